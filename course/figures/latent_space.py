"""The autoencoder's 2-D codes of all test digits, coloured by digit: similar digits cluster."""

from __future__ import annotations

import numpy as np
import torch

from course.draw.dark import for_rendering
from course.draw.style import INK, NOTE_SIZE, new_figure
from course.figures._results import plot_axes, test_digits


def draw(ctx):
    trained = ctx.model("autoencoder")
    images, labels = test_digits()
    with torch.no_grad():
        codes = trained.module.encode(torch.tensor(images).flatten(1)).numpy()
    if codes.shape[1] != 2:
        raise ValueError(f"latent_space draws a 2-D code; the autoencoder's has {codes.shape[1]} dimensions")

    from matplotlib import colormaps

    colours = colormaps["tab10"]
    figure = new_figure(6.4, 5.2)
    ax = plot_axes(figure, (0.1, 0.1, 0.72, 0.86))
    for digit in range(10):
        points = codes[labels == digit]
        ax.scatter(points[:, 0], points[:, 1], s=14, color=colours(digit), alpha=0.75, linewidths=0,
                   label=str(digit))
    _label_clusters(figure, ax, codes, labels, colours)
    ax.set_xlabel("Code latent, 1ʳᵉ coordonnée (z₁)")
    ax.set_ylabel("Code latent, 2ᵉ coordonnée (z₂)")
    ax.legend(title="Chiffre", loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, labelcolor=INK,
              markerscale=1.8, fontsize=NOTE_SIZE, title_fontsize=NOTE_SIZE)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py


def _label_clusters(figure, ax, codes, labels, colours) -> None:
    """Each digit written where its codes gather (their median), unless it would cover another label.

    Digits are labelled in order of how tight their cluster is, so the clearest clusters get a
    label first; the legend names every colour anyway.
    """
    from course.draw.measure import renderer_of

    renderer = renderer_of(figure)
    spread = {digit: np.median(np.abs(codes[labels == digit] - np.median(codes[labels == digit], axis=0)))
              for digit in range(10)}
    placed = []
    for digit in sorted(spread, key=spread.get):
        centre = np.median(codes[labels == digit], axis=0)
        text = ax.text(*centre, str(digit), fontsize=15, fontweight="bold", ha="center", va="center",
                       color=colours(digit), bbox={"boxstyle": "circle,pad=0.15", "facecolor": "white",
                                                   "edgecolor": colours(digit), "alpha": 0.85})
        box = text.get_window_extent(renderer).padded(2)
        if any(box.overlaps(other) for other in placed):
            text.remove()
        else:
            placed.append(box)
