"""The trained encoder at work: each digit image becomes one point of the 2-D latent plane.

One test image is followed step by step (pixels, encoder, two numbers, a point); a few more
sit beside the points the trained encoder gives them; every other test digit is a faint dot,
and the name of each remaining digit sits at the median of its points, so the reader sees
that similar images land close together. On a computer the image and its code stand left of
the plane; on a phone (ctx.width "narrow") above it, the encoder's arrow pointing right.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course.data.digits import load_split
from course.draw.arrows import arrow
from course.draw.blocks import box
from course.draw.canvas import diagram, panel
from course.draw.dark import for_rendering
from course.draw.french import decimal
from course.draw.images import thumbnail
from course.draw.placement import place_beside, spread_apart
from course.draw.style import INK, LABEL_SIZE, LINE_WIDTH, NOTE_SIZE, PALETTE, figure_width, is_narrow
from course.draw.tracing import dense_chain


def encode(model, images: np.ndarray) -> np.ndarray:
    """(N, H, W) images -> (N, latent) codes, with the trained encoder."""
    import torch

    with torch.no_grad():
        return model.encode(torch.tensor(images).reshape(len(images), -1)).numpy()  # (N, H, W) -> (N, H*W) -> (N, 2)


@dataclass(frozen=True)
class Params:
    """figgen.yaml's `params:` of this figure: the values are there, the types here."""

    featured: int  # the digit followed through the encoder
    digits: list[int]  # the others whose codes are shown beside it


def draw(ctx):
    from matplotlib.patches import ConnectionPatch
    from matplotlib.patheffects import withStroke

    model = ctx.model("autoencoder").module
    data = load_split()
    codes = encode(model, data.test_images)
    if codes.shape[1] != 2:
        raise ValueError(f"encoder.png draws a 2-D latent plane; models.autoencoder has latent={codes.shape[1]}")
    height, width = data.test_images.shape[1:]
    encoder_sizes = [layer.size for layer in dense_chain(model, height * width) if not layer.name.startswith("decoder")]
    featured = typical(data.test_images, data.test_labels, ctx.params.featured)
    others = [typical(data.test_images, data.test_labels, digit) for digit in ctx.params.digits]

    narrow, page = is_narrow(ctx), figure_width(ctx)
    # the plane's box (left, bottom, right, top) and the featured image's path, in inches
    if narrow:
        left, bottom, right, top = 0.05, 0.05, page - 0.05, 3.05
        figure, canvas = diagram(page, top + 1.4)
    else:
        left, bottom, right, top = 2.35, 0.25, page - 0.05, 3.3
        figure, canvas = diagram(page, 3.6)
    plane = panel(figure, left, bottom, right - left, top - bottom)
    plane.scatter(*codes.T, s=7, color=BACKGROUND, edgecolors="none", zorder=1)
    _frame(plane)
    plane.set_title("Plan latent : tous les chiffres de test", fontsize=LABEL_SIZE, pad=6,
                    loc="left" if narrow else "center")
    _pad_limits(plane, codes, codes[[featured, *others]])
    canvas.set_zorder(plane.get_zorder() + 1)  # the thumbnails placed on the plane go over its points

    def on_page(points):  # plane coordinates -> inches on the page
        (x0, x1), (y0, y1) = plane.get_xlim(), plane.get_ylim()
        return (np.asarray(points) - [x0, y0]) / [x1 - x0, y1 - y0] * [right - left, top - bottom] + [left, bottom]

    medians = on_page([np.median(codes[data.test_labels == digit], axis=0) for digit in range(10)])
    shown = {int(data.test_labels[index]) for index in [featured, *others]}
    named = sorted(set(range(10)) - shown)  # the other digits: their name where they tend to land
    halo = [withStroke(linewidth=3, foreground="white")]
    labels_at = spread_apart(medians[named], gap=0.2, fixed=on_page(codes[[featured, *others]]))
    for digit, (x, y) in zip(named, labels_at):
        canvas.text(x, y, str(digit), ha="center", va="center", fontsize=LABEL_SIZE, color=PALETTE["neutral"],
                    fontweight="bold", zorder=2, path_effects=halo)

    # one image, step by step: 64 pixels -> encoder -> two numbers -> a point of the plane
    z = codes[featured]
    code_text = f"({decimal(float(z[0]), 2)} ; {decimal(float(z[1]), 2)})"
    steps = "encodeur\n" + " → ".join(map(str, encoder_sizes))
    if narrow:  # left to right above the plane; the arrow to the point leaves the code downwards
        row, image_x, code_x = top + 0.7, 0.5, page - 0.05 - 0.7
        canvas.text(0.05, row + 0.5, f"Une image : {height * width} pixels", ha="left", va="bottom",
                    fontsize=NOTE_SIZE)
        thumbnail(canvas, data.test_images[featured], (image_x, row), 0.8)
        arrow(canvas, (image_x + 0.5, row - 0.1), (code_x - 0.75, row - 0.1), colour=PALETTE["input"],
              width=LINE_WIDTH * 2.5, head=16)
        canvas.text(image_x + 0.5, row - 0.02, steps, ha="left", va="bottom", fontsize=NOTE_SIZE,
                    color=PALETTE["input"], linespacing=1.2)
        box(canvas, (code_x, row - 0.1), 1.3, 0.32, PALETTE["latent"], code_text, fontsize=NOTE_SIZE)
        canvas.text(code_x, row + 0.1, "2 nombres = un point", ha="center", va="bottom", fontsize=NOTE_SIZE)
        start = (code_x, row - 0.26)
    else:
        column = 1.0
        canvas.text(column, top + 0.05, f"Une image : {height * width} pixels", ha="center", va="bottom",
                    fontsize=NOTE_SIZE)
        thumbnail(canvas, data.test_images[featured], (column, 2.8), 0.9)
        arrow(canvas, (column, 2.28), (column, 1.62), colour=PALETTE["input"], width=LINE_WIDTH * 2.5, head=16)
        canvas.text(column + 0.12, 1.95, steps, ha="left", va="center", fontsize=NOTE_SIZE, color=PALETTE["input"],
                    linespacing=1.2)
        box(canvas, (column, 1.35), 1.5, 0.32, PALETTE["latent"], code_text, fontsize=NOTE_SIZE)
        canvas.text(column, 1.12, "2 nombres = un point", ha="center", va="top", fontsize=NOTE_SIZE)
        start = (column + 0.75, 1.35)
    _mark(plane, z)
    figure.add_artist(ConnectionPatch(xyA=start, coordsA=canvas.transData, xyB=z, coordsB=plane.transData, **ARROW))

    # a few more test digits, each beside the point the encoder gives it, where there is room
    side = 0.4
    anchors = on_page(codes[others])
    featured_at = on_page(codes[featured])
    spots = place_beside(anchors, np.vstack([labels_at, featured_at]), side,
                         (left + 0.05, bottom + 0.05, right - 0.05, top - 0.05), lines=[(start, featured_at)])
    for index, (x, y) in zip(others, spots):
        _mark(plane, codes[index])
        thumbnail(canvas, data.test_images[index], (x, y), side, zorder=6)
        figure.add_artist(ConnectionPatch(xyA=(x, y), coordsA=canvas.transData, xyB=codes[index],
                                          coordsB=plane.transData, **{**ARROW, "shrinkA": 16}))
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py


BACKGROUND = "#C4C4C4"  # the other test digits: visible, yet clearly behind
ARROW = dict(arrowstyle="-|>", mutation_scale=11, color=PALETTE["input"], linewidth=1.4, shrinkB=5, zorder=5)


def typical(images: np.ndarray, labels: np.ndarray, digit: int) -> int:
    """The test image of `digit` nearest the mean image of all of them: a clean, ordinary
    example, chosen by its pixels only (where the encoder puts it is left to the encoder)."""
    indices = np.flatnonzero(labels == digit)
    mean = images[indices].mean(axis=0)
    return int(indices[np.argmin(((images[indices] - mean) ** 2).sum(axis=(1, 2)))])


def _mark(plane, point) -> None:
    plane.scatter(*point, s=55, color=PALETTE["input"], edgecolors=INK, linewidths=1.0, zorder=4)


def _frame(plane) -> None:
    """A plain frame without ticks: the code's units mean nothing in themselves, only closeness does."""
    plane.set_xticks([])
    plane.set_yticks([])
    plane.spines[["top", "right"]].set_visible(True)
    for spine in plane.spines.values():
        spine.set_color(PALETTE["neutral"])
    plane.text(0.99, 0.02, "$z_1$", transform=plane.transAxes, ha="right", va="bottom", fontsize=LABEL_SIZE)
    plane.text(0.01, 0.98, "$z_2$", transform=plane.transAxes, ha="left", va="top", fontsize=LABEL_SIZE)


def _pad_limits(ax, codes: np.ndarray, shown: np.ndarray) -> None:
    """Limits around the bulk of the points (1st to 99th percentile) and the `shown` ones, with
    a margin: a few outliers do not squeeze everything into a corner."""
    low = np.minimum(np.percentile(codes, 1, axis=0), shown.min(axis=0))
    high = np.maximum(np.percentile(codes, 99, axis=0), shown.max(axis=0))
    margin = (high - low) * 0.08
    ax.set_xlim(low[0] - margin[0], high[0] + margin[0])
    ax.set_ylim(low[1] - margin[1], high[1] + margin[1])
