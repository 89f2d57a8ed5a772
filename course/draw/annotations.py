"""Marks that group parts of a diagram: braces with a label, shaded regions."""

from __future__ import annotations

from course.draw.style import INK, LABEL_SIZE, LINE_WIDTH


def brace(ax, x0: float, x1: float, y: float, label: str, colour: str = INK, height: float = 0.14,
          fontsize: float = LABEL_SIZE, **text_properties):
    """A horizontal curly brace from x0 to x1, its tips on `y` and its point up, a label above it."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    middle, half = (x0 + x1) / 2, height / 2
    bend = min(height, (x1 - x0) / 8)  # how far along each of the four curls reaches
    vertices = [
        (x0, y), (x0, y + half), (x0 + bend, y + half),  # left tip curls up to the bar
        (middle - bend, y + half), (middle, y + half), (middle, y + height),  # bar, then the point
        (middle, y + half), (middle + bend, y + half),
        (x1 - bend, y + half), (x1, y + half), (x1, y),  # bar, then the right tip curls down
    ]
    codes = [Path.MOVETO, Path.CURVE3, Path.CURVE3, Path.LINETO, Path.CURVE3, Path.CURVE3,
             Path.CURVE3, Path.CURVE3, Path.LINETO, Path.CURVE3, Path.CURVE3]
    ax.add_patch(PathPatch(Path(vertices, codes), fill=False, edgecolor=colour, linewidth=LINE_WIDTH,
                           capstyle="round", joinstyle="round", zorder=3))
    return ax.text(middle, y + height + 0.05, label, ha="center", va="bottom", color=colour,
                   fontsize=fontsize, **text_properties)


def region(ax, x0: float, y0: float, x1: float, y1: float, colour, alpha: float = 1.0, zorder: float = 0):
    """A rounded, borderless shaded area behind a part of a diagram."""
    from matplotlib.patches import FancyBboxPatch

    patch = FancyBboxPatch((x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0,rounding_size=0.12",
                           facecolor=colour, edgecolor="none", alpha=alpha, zorder=zorder)
    ax.add_patch(patch)
    return patch
