"""Legends in one style: what each colour or symbol means, kept off the drawing."""

from __future__ import annotations

from dataclasses import dataclass

from course.draw.style import INK, LINE_WIDTH, NOTE_SIZE


@dataclass(frozen=True)
class Entry:
    label: str
    colour: str
    shape: str = "square"  # "square", "circle", "ring" (a memory cell) or "line"


def _handle(entry: Entry):
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if entry.shape in ("circle", "ring"):
        circle = Line2D([], [], marker="o", linestyle="none", markersize=10, markerfacecolor=entry.colour,
                        markeredgecolor=INK, markeredgewidth=0.8)
        if entry.shape == "circle":
            return circle
        ring = Line2D([], [], marker="o", linestyle="none", markersize=5.5, markerfacecolor="none",
                      markeredgecolor="white", markeredgewidth=1.2)
        return (circle, ring)  # drawn one over the other: a memory cell
    if entry.shape == "line":
        return Line2D([], [], color=entry.colour, linewidth=LINE_WIDTH * 1.5)
    return Patch(facecolor=entry.colour, edgecolor=INK, linewidth=0.8)


def legend(ax, entries: list[Entry], anchor=(0.5, 0.0), loc: str = "upper center", columns: int | None = None,
           fontsize: float = NOTE_SIZE, title: str | None = None):
    """A frameless legend placed by its `loc` corner at `anchor` (axes fraction), one row by default."""
    made = ax.legend(
        [_handle(entry) for entry in entries], [entry.label for entry in entries],
        loc=loc, bbox_to_anchor=anchor, ncol=columns or len(entries), frameon=False, fontsize=fontsize,
        handlelength=1.4, handleheight=1.0, handletextpad=0.5, columnspacing=1.3, borderaxespad=0.0,
        title=title, title_fontsize=fontsize,
    )
    made.set_zorder(10)
    return made
