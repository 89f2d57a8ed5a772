"""The autoencoder's 2-D codes of all test digits, one colour and one marker shape per digit.

Some digits gather in clear clusters, others pile up together or spread over the plane: the
alt text and the page say so. The ten colours share one luminance, chosen so that every mark
stands at >= 3:1 (WCAG 1.4.11) on the white page and on the dark one alike; since equal
luminance is what colour-blind readers confuse, each digit also has its own shape.
"""

from __future__ import annotations

import numpy as np
import torch

from course.draw.dark import for_rendering
from course.draw.style import INK, NOTE_SIZE, figure_width, is_narrow, new_figure
from course.figures._results import plot_axes, test_digits


# Ten hues at a relative luminance of about 0.19: 4.4:1 on white, 4:1 on the dark background.
DIGIT_COLOURS = ("#007ec5", "#c75800", "#008a64", "#bd538e", "#997300",
                 "#8d67bb", "#d3493b", "#518618", "#00838f", "#a0522d")
DIGIT_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", "h")


def draw(ctx):
    trained = ctx.model("autoencoder")
    images, labels = test_digits()
    with torch.no_grad():
        codes = trained.module.encode(torch.tensor(images).flatten(1)).numpy()
    if codes.shape[1] != 2:
        raise ValueError(f"latent_space draws a 2-D code; the autoencoder's has {codes.shape[1]} dimensions")

    def colours(digit):
        return DIGIT_COLOURS[digit]

    narrow = is_narrow(ctx)  # a phone's rendering: the legend under the plot, in two rows of five
    figure = new_figure(figure_width(ctx, 6.4), 5.4 if narrow else 5.2)
    ax = plot_axes(figure, (0.17, 0.27, 0.79, 0.71) if narrow else (0.1, 0.1, 0.72, 0.86))
    for digit in range(10):
        points = codes[labels == digit]
        ax.scatter(points[:, 0], points[:, 1], s=24, color=colours(digit), marker=DIGIT_MARKERS[digit],
                   linewidths=0, label=str(digit))
    _label_clusters(figure, ax, codes, labels, colours)
    ax.set_xlabel("Code latent, 1ʳᵉ coordonnée (z₁)")
    ax.set_ylabel("Code latent, 2ᵉ coordonnée (z₂)")
    place = ({"loc": "upper center", "bbox_to_anchor": (0.4, -0.13), "ncols": 5, "columnspacing": 1.2} if narrow
             else {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0)})
    handles, names = ax.get_legend_handles_labels()
    if narrow:  # matplotlib fills a legend column by column: this order reads 0 to 4, then 5 to 9
        handles, names = zip(*[(handles[i], names[i]) for pair in zip(range(5), range(5, 10)) for i in pair])
    ax.legend(handles, names, title="Chiffre", frameon=False, labelcolor=INK, markerscale=1.8, fontsize=NOTE_SIZE,
              title_fontsize=NOTE_SIZE, **place)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py


def _label_clusters(figure, ax, codes, labels, colours) -> None:
    """Each of the ten digits written where its codes gather (their median), moved aside when it
    would cover another label: every digit is labelled, as the alt text says.

    Digits are placed in order of how tight their cluster is, so the clearest clusters keep
    their label on their median; the others take the nearest free spot around theirs.
    """
    from course.draw.measure import renderer_of

    renderer = renderer_of(figure)
    spread = {digit: np.median(np.abs(codes[labels == digit] - np.median(codes[labels == digit], axis=0)))
              for digit in range(10)}
    placed = []
    for digit in sorted(spread, key=spread.get):
        centre = np.median(codes[labels == digit], axis=0)
        # an opaque circle above the points: the digit reads on one plain colour
        text = ax.text(*centre, str(digit), fontsize=15, fontweight="bold", ha="center", va="center",
                       color=colours(digit), bbox={"boxstyle": "circle,pad=0.15", "facecolor": "white",
                                                   "edgecolor": colours(digit)}, zorder=5)
        box = text.get_window_extent(renderer).padded(2)
        for offset in _spiral(box.width):
            moved = box.translated(*offset)
            if not any(moved.overlaps(other) for other in placed) and figure.bbox.contains(moved.x0, moved.y0) \
                    and figure.bbox.contains(moved.x1, moved.y1):
                break
        text.set_position(ax.transData.inverted().transform(
            ax.transData.transform(centre) + np.asarray(offset)))
        placed.append(moved)


def _spiral(step: float):
    """Offsets in display pixels: none first, then rings of eight directions, further and further."""
    yield (0.0, 0.0)
    for ring in range(1, 12):
        for angle in np.linspace(0, 2 * np.pi, 8, endpoint=False):
            yield (ring * step * 0.6 * np.cos(angle), ring * step * 0.6 * np.sin(angle))
