"""Small helpers shared by the results figures (plots of what the trained models do)."""

from __future__ import annotations

import numpy as np

from course.draw.french import decimal
from course.draw.style import INK, PALETTE


def test_digits() -> tuple[np.ndarray, np.ndarray]:
    """The test images (N, 8, 8) in [0, 1] and their labels, as every digits model was scored on."""
    from course.data.digits import load_split

    data = load_split()
    return data.test_images, data.test_labels


def first_of_each_class(labels: np.ndarray, classes: int = 10) -> list[int]:
    """The index of the first test image of each digit 0..9."""
    return [int(np.flatnonzero(labels == digit)[0]) for digit in range(classes)]


def french_axis(axis, digits: int = 0, scale: float = 1.0, suffix: str = "") -> None:
    """Tick labels with a decimal comma (0,5 not 0.5), optionally scaled (0.9 -> 90) and suffixed."""
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda value, _: decimal(value * scale, digits) + suffix))


def plot_axes(figure, rect=(0.1, 0.14, 0.86, 0.78)):
    """A standard plot in the house style: light grid, ink-coloured text."""
    ax = figure.add_axes(rect)
    ax.grid(True, color=PALETTE["light"], linewidth=0.8)
    ax.set_axisbelow(True)
    ax.tick_params(colors=INK)
    return ax


def bare(ax) -> None:
    """An axes that only shows its image: no ticks, no frame."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def caption(figure, text: str, x: float = 0.0, y: float = 0.02, ha: str = "left", va: str = "bottom",
            characters: int = 100) -> None:
    """A note under a figure, wrapped so it never runs wider than the page (9 pt: ~100 characters;
    a phone's rendering, NARROW_WIDTH wide: ~46)."""
    import textwrap

    from course.draw.style import NOTE_SIZE

    for mark in ":;?!":  # French spacing: the space before these never breaks a line
        text = text.replace(f" {mark}", f"\u00a0{mark}")
    lines = [textwrap.fill(paragraph, characters) for paragraph in text.split("\n")]
    figure.text(x, y, "\n".join(lines), fontsize=NOTE_SIZE, color=INK, ha=ha, va=va)
