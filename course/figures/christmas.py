"""A convolution filter slid over a Christmas scene: its response peaks on the blue bauble.

The scene is drawn procedurally, the filter is written by hand (a blue disk: +1 on the blue
channel, -1 on red and green), and the response map is a real `torch.nn.functional.conv2d`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course.draw.arrows import arrow
from course.draw.canvas import diagram, panel
from course.draw.dark import for_rendering
from course.draw.style import INK, NARROW_WIDTH, NOTE_SIZE, PAGE_WIDTH, PALETTE, is_narrow

SUPERSAMPLE = 4  # the scene is painted 4x larger, then reduced: smooth, anti-aliased edges

BLUE = (30, 90, 230)
OTHER_BAUBLES = [(215, 30, 35), (240, 190, 30), (215, 30, 35), (200, 200, 205), (240, 190, 30), (215, 30, 35)]


@dataclass(frozen=True)
class Scene:
    image: np.ndarray  # (H, W, 3) floats in [0, 1]
    blue_bauble: tuple[float, float]  # (row, column) of its centre, in pixels


def christmas_scene(size: int, bauble_radius: int) -> Scene:
    """A tree on a wall, red, golden and silver baubles and a single blue one, painted with PIL."""
    from PIL import Image, ImageDraw

    s = size * SUPERSAMPLE / 96  # the layout is designed on a 96-pixel grid
    image = Image.new("RGB", (size * SUPERSAMPLE,) * 2, (246, 238, 222))  # a cream wall
    paint = ImageDraw.Draw(image)
    paint.rectangle([0, 82 * s, 96 * s, 96 * s], fill=(190, 150, 110))  # wooden floor
    paint.rectangle([43 * s, 72 * s, 53 * s, 86 * s], fill=(110, 70, 40))  # trunk
    for apex, base, half_width in ((12, 42, 17), (24, 58, 25), (38, 76, 32)):  # three tiers, top first
        paint.polygon([(48 * s, apex * s), ((48 - half_width) * s, base * s), ((48 + half_width) * s, base * s)],
                      fill=(35, 125, 60))
    star = [(48 + r * np.sin(a), 11 - r * np.cos(a)) for a, r in zip(np.arange(10) * np.pi / 5, [6, 2.5] * 5)]
    paint.polygon([(x * s, y * s) for x, y in star], fill=(250, 205, 40))
    for x0, x1, colour in ((18, 32, (200, 40, 45)), (60, 78, (240, 190, 30))):  # presents under the tree
        paint.rectangle([x0 * s, 76 * s, x1 * s, 88 * s], fill=colour)
        paint.rectangle([(x0 + x1) / 2 * s - s, 76 * s, (x0 + x1) / 2 * s + s, 88 * s], fill=(250, 245, 235))
    spots = [(40, 30), (56, 44), (36, 50), (62, 62), (46, 58), (30, 68)]
    blue_spot = (55, 30)
    for (x, y), colour in [*zip(spots, OTHER_BAUBLES), (blue_spot, BLUE)]:
        r = bauble_radius
        paint.ellipse([(x - r) * s, (y - r) * s, (x + r) * s, (y + r) * s], fill=colour)
        paint.ellipse([(x - r / 2.2) * s, (y - r / 2.2) * s, (x - r / 8) * s, (y - r / 8) * s],
                      fill=(255, 255, 255))  # a glint of light
    image = image.resize((size, size), Image.Resampling.LANCZOS)
    scale = size / 96
    return Scene(np.asarray(image, dtype=np.float32) / 255, (blue_spot[1] * scale, blue_spot[0] * scale))


def blue_disk_filter(radius: int) -> np.ndarray:
    """(3, k, k) weights: inside a disk, +1 on blue and -1/2 on red and green; 0 outside.

    It measures "blue minus the mean of the other two" over a bauble-sized disk: white, grey
    and green score about zero, warm colours below zero, and only a blue disk scores high.
    Normalised by the disk's area, so a fully blue window scores about its blueness.
    """
    rows, columns = np.mgrid[-radius : radius + 1, -radius : radius + 1]
    disk = (rows**2 + columns**2 <= radius**2 + 0.5).astype(np.float32)
    return np.stack([-disk / 2, -disk / 2, disk]) / disk.sum()  # (3, k, k), k = 2 * radius + 1


def filter_response(image: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The convolution of the (H, W, 3) image with one (3, k, k) filter, same size: (H, W)."""
    import torch
    import torch.nn.functional as F

    x = torch.from_numpy(image).permute(2, 0, 1)[None]  # (H, W, 3) -> (1, 3, H, W)
    w = torch.from_numpy(weights)[None]  # (3, k, k) -> (1, 3, k, k): one output channel
    return F.conv2d(x, w, padding=weights.shape[-1] // 2)[0, 0].numpy()  # (1, 1, H, W) -> (H, W)


@dataclass(frozen=True)
class Params:
    """figgen.yaml's `params:` of this figure: the values are there, the types here."""

    size: int  # pixels of the square tree image
    bauble_radius: int  # pixels; the filter is a disc of the same radius


def draw(ctx):
    size = ctx.params.size
    radius = ctx.params.bauble_radius
    scene = christmas_scene(size, radius)
    weights = blue_disk_filter(radius)
    response = filter_response(scene.image, weights)
    row, column = np.unravel_index(np.argmax(response), response.shape)
    k = weights.shape[-1]

    at = _narrow_layout(k) if is_narrow(ctx) else _wide_layout(k)
    figure, canvas = diagram(at.width, at.height)
    picture = panel(figure, *at.picture)
    picture.imshow(scene.image, interpolation="nearest")  # an image is pixels: show them
    picture.set_axis_off()
    picture.set_title(f"Image : {size}×{size} pixels, 3 couleurs", fontsize=NOTE_SIZE, pad=4)
    for offset, style in ((-2.6 * k, (0, (2, 2))), (-1.3 * k, (0, (2, 2))), (0, "solid")):  # the sliding window
        picture.add_patch(_window(column + offset - k / 2, row - k / 2, k, style))
    picture.annotate("", xy=(column - k / 2 - 1, row - k / 2 - 3), xytext=(column - 2.6 * k - k / 2, row - k / 2 - 3),
                     arrowprops=dict(arrowstyle="-|>", color=INK, linewidth=1.2, mutation_scale=10))

    # the filter: one k×k grid of weights per colour channel, each named above
    canvas.text(*at.filter_title, f"Filtre 3×{k}×{k}", ha="center", va="bottom", fontsize=NOTE_SIZE)
    colours = _diverging()
    for i, name in enumerate(("rouge", "vert", "bleu")):
        x, y = at.grids[i]
        grid = panel(figure, x, y, at.cell, at.cell)
        grid.imshow(weights[i], cmap=colours, vmin=-weights.max(), vmax=weights.max(), interpolation="nearest")
        _cells(grid, k)
        canvas.text(x + at.cell / 2, y + at.cell + 0.02, name, ha="center", va="bottom", fontsize=NOTE_SIZE)
    scale = panel(figure, *at.scale)
    scale.imshow(np.linspace(-1, 1, 64)[None], cmap=colours, aspect="auto", extent=(-1, 1, 0, 1))
    scale.set_yticks([])
    scale.set_xticks([-1, 0, 1], ["−", "0", "+"])
    scale.tick_params(length=0, labelsize=NOTE_SIZE, pad=1)
    for spine in scale.spines.values():
        spine.set_visible(False)

    result = panel(figure, *at.result)
    result.imshow(response, cmap="viridis", interpolation="nearest")
    result.set_axis_off()
    result.set_title("Réponse du filtre (conv2d)", fontsize=NOTE_SIZE, pad=4)
    result.add_patch(_window(column - k / 2, row - k / 2, k, "solid", colour="white"))
    result.annotate("maximum :\nla boule bleue", xy=(column, row + k / 2 + 1), xytext=(column, row + 2.4 * k),
                    color="white", fontsize=NOTE_SIZE, ha="center", va="top",
                    arrowprops=dict(arrowstyle="-|>", color="white", linewidth=1.2, mutation_scale=10))

    for (start, end, (x, y), align), label in zip(at.arrows, (f"chaque\nfenêtre {k}×{k}", "somme des\nproduits")):
        arrow(canvas, start, end)
        canvas.text(x, y, label, ha=align, va="bottom" if align == "center" else "center", fontsize=NOTE_SIZE,
                    linespacing=1.1)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py


@dataclass(frozen=True)
class Layout:
    """Where each part goes, in inches of a diagram canvas (course/draw/canvas.py)."""

    width: float
    height: float
    picture: tuple[float, float, float, float]  # left, bottom, width, height
    result: tuple[float, float, float, float]
    cell: float  # side of one channel's grid of weights
    grids: list[tuple[float, float]]  # bottom left of each channel's grid: red, green, blue
    filter_title: tuple[float, float]  # its bottom centre
    scale: tuple[float, float, float, float]  # the colour bar of the weights
    arrows: list  # (start, end, where its label goes, its alignment): image -> filter -> response


def _wide_layout(k: int) -> Layout:
    """A computer's: image, filter and response side by side, the flow left to right."""
    side, bottom, cell, caption, gap = 2.35, 0.05, 0.46, 0.19, 0.06
    middle = bottom + side / 2
    filter_x = (PAGE_WIDTH - cell) / 2
    result_x = PAGE_WIDTH - side
    grids = [(filter_x, bottom + side - (i + 1) * (caption + cell) - i * gap) for i in range(3)]
    arrows = [((start, middle), (end, middle), ((start + end) / 2, middle + 0.08), "center")
              for start, end in ((side + 0.1, filter_x - 0.1), (filter_x + cell + 0.1, result_x - 0.1))]
    return Layout(PAGE_WIDTH, 2.75, (0.0, bottom, side, side), (result_x, bottom, side, side), cell, grids,
                  (PAGE_WIDTH / 2, bottom + side + 0.04), (filter_x - 0.15, bottom + 0.17, cell + 0.3, 0.07), arrows)


def _narrow_layout(k: int) -> Layout:
    """A phone's: the same parts stacked, the flow top to bottom, the filter's grids in a row."""
    side, cell, gap = 2.2, 0.42, 0.3
    x = (NARROW_WIDTH - side) / 2
    centre = NARROW_WIDTH / 2
    result_y = 0.05
    scale_y = result_y + side + 1.05
    grids_y = scale_y + 0.2
    grids_x = centre - (3 * cell + 2 * gap) / 2
    grids = [(grids_x + i * (cell + gap), grids_y) for i in range(3)]
    title_y = grids_y + cell + 0.22
    picture_y = title_y + 0.95
    arrows = [((centre, picture_y - 0.06), (centre, title_y + 0.22), (centre + 0.12, (picture_y + title_y + 0.16) / 2), "left"),
              ((centre, scale_y - 0.2), (centre, result_y + side + 0.25), (centre + 0.12, (scale_y + result_y + side) / 2),
               "left")]
    return Layout(NARROW_WIDTH, picture_y + side + 0.25, (x, picture_y, side, side), (x, result_y, side, side), cell,
                  grids, (centre, title_y), (centre - 0.6, scale_y, 1.2, 0.07), arrows)


def _window(x: float, y: float, k: int, style, colour: str = PALETTE["convolution"]):
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.5, y - 0.5), k, k, fill=False, edgecolor=colour, linewidth=1.8, linestyle=style)


def _cells(ax, k: int) -> None:
    """Thin lines between the weights, so each one reads as a separate number."""
    ax.set_xticks(np.arange(-0.5, k, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, k, 1), minor=True)
    ax.grid(which="minor", color=PALETTE["light"], linewidth=0.5)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color(INK)
        spine.set_linewidth(0.8)


def _diverging():
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("poids", [PALETTE["output"], "white", PALETTE["input"]])
