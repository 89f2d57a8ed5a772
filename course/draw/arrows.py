"""Arrows in one house style: what flows where, in every diagram."""

from __future__ import annotations

from course.draw.style import INK, LINE_WIDTH, PALETTE


def arrow(ax, start, end, colour: str = PALETTE["neutral"], width: float = LINE_WIDTH,
          bend: float = 0.0, head: float = 11.0, style: str = "-|>", zorder: float = 3, **properties):
    """A straight (or, with `bend`, curved) arrow from `start` to `end` in data coordinates.

    `bend` is matplotlib's arc3 radius: the fraction of the length by which the middle bows,
    positive to the right of the direction of travel.
    """
    from matplotlib.patches import FancyArrowPatch

    patch = FancyArrowPatch(
        start, end,
        arrowstyle=style, mutation_scale=head, color=colour, linewidth=width,
        connectionstyle=f"arc3,rad={bend}", shrinkA=0, shrinkB=0, zorder=zorder, **properties,
    )
    ax.add_patch(patch)
    return patch


def polyline_arrow(ax, points, colour: str = PALETTE["neutral"], width: float = LINE_WIDTH,
                   head: float = 11.0, zorder: float = 3):
    """An arrow along straight segments through `points`, with its head on the last one.

    Wires of a circuit-like diagram (the LSTM cell) turn at right angles like this.
    """
    xs, ys = zip(*points)
    ax.plot(xs[:-1], ys[:-1], color=colour, linewidth=width, solid_capstyle="round",
            solid_joinstyle="round", zorder=zorder)
    return arrow(ax, points[-2], points[-1], colour=colour, width=width, head=head, zorder=zorder)


def wire(ax, points, colour: str = INK, width: float = LINE_WIDTH, zorder: float = 2):
    """A line without a head through `points` (joins and copies in a circuit diagram)."""
    xs, ys = zip(*points)
    (line,) = ax.plot(xs, ys, color=colour, linewidth=width, solid_capstyle="round",
                      solid_joinstyle="round", zorder=zorder)
    return line


def self_loop(ax, centre, radius: float, colour: str = PALETTE["recurrent"], side: str = "top",
              size: float | None = None, width: float = LINE_WIDTH * 1.3, head: float = 10.0, zorder: float = 4):
    """A loop leaving a node and coming back into it: the recurrent connection of an RNN.

    `centre` and `radius` describe the node; the loop, a circle of diameter `size` (by default
    the node's), leaves and re-enters the node's outline 40° each side of `side` ("top",
    "right", "bottom" or "left"), turning anticlockwise.
    """
    import numpy as np

    size = size or 2 * radius
    loop_radius = size / 2
    facing = np.radians({"top": 90, "left": 180, "bottom": 270, "right": 0}[side])
    spread = np.radians(40)
    # the loop's centre, on the axis through `side`, at the distance where its circle cuts the
    # node's outline at ±spread
    along = radius * np.cos(spread)
    across = radius * np.sin(spread)
    distance = along + np.sqrt(max(loop_radius**2 - across**2, 1e-9))
    loop_centre = np.array(centre) + distance * np.array([np.cos(facing), np.sin(facing)])
    meet = np.arctan2(across, along - distance)  # where the loop meets the node, seen from its centre
    angles = facing + np.linspace(-meet, meet, 60)
    points = loop_centre + loop_radius * np.column_stack([np.cos(angles), np.sin(angles)])
    wire(ax, points[:-6], colour=colour, width=width, zorder=zorder)
    return arrow(ax, points[-7], points[-1], colour=colour, width=width, head=head, zorder=zorder)
