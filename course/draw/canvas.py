"""Diagram canvases laid out in inches, so sizes on screen are what the code says.

A diagram's axes spans its whole figure with one data unit = one inch = 100 CSS pixels on the
page: a 0.3-unit circle is 30 px wide, a 10 pt label is 0.14 units tall. No guessing of scales.
"""

from __future__ import annotations

from course.draw.style import new_figure


def diagram(width: float, height: float):
    """(figure, ax): a blank canvas, (0, 0) bottom left, (width, height) top right, in inches."""
    figure = new_figure(width, height)
    ax = figure.add_axes((0, 0, 1, 1))
    _as_canvas(ax, 0, width, 0, height)
    return figure, ax


def set_height(figure, ax, height: float) -> None:
    """Change a diagram's height once its content is laid out, keeping one unit = one inch."""
    width = figure.get_size_inches()[0]
    figure.set_size_inches(width, height)
    ax.set_ylim(0, height)


def panel(figure, left: float, bottom: float, width: float, height: float):
    """An axes (for an image, a plot) at a place of `figure` given in inches."""
    figure_width, figure_height = figure.get_size_inches()
    return figure.add_axes((left / figure_width, bottom / figure_height, width / figure_width, height / figure_height))


def _as_canvas(ax, x0: float, x1: float, y0: float, y1: float) -> None:
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.axis("off")
