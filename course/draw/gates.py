"""The pieces of a gated cell (LSTM): learned layers as boxes, pointwise operations as circles."""

from __future__ import annotations

from course.draw.blocks import box
from course.draw.style import INK, LABEL_SIZE, LINE_WIDTH

# The symbol a student reads in each piece.
SIGMOID = "σ"
TANH = "tanh"
PRODUCT = "×"
SUM = "+"


def gate(ax, centre, symbol: str, colour: str, width: float = 0.5, height: float = 0.34, zorder: float = 4):
    """A learned layer of the cell (weights + activation): a coloured box with its activation."""
    return box(ax, centre, width, height, colour, label=symbol, fontsize=LABEL_SIZE + 1, text_colour="white",
               fontweight="bold", zorder=zorder)


def pointwise(ax, centre, symbol: str, radius: float = 0.15, colour: str = "white", zorder: float = 5):
    """A pointwise operation (no weights): × or + in a circle, tanh in an oval."""
    from matplotlib.patches import Ellipse

    width = 2 * radius * (1.8 if len(symbol) > 1 else 1.0)
    ax.add_patch(Ellipse(centre, width, 2 * radius, facecolor=colour, edgecolor=INK, linewidth=LINE_WIDTH,
                         zorder=zorder))
    size = LABEL_SIZE + 4 if len(symbol) == 1 else LABEL_SIZE - 1
    # The glyphs × and + sit slightly high in their text box: centre them on the circle's middle.
    ax.text(centre[0], centre[1], symbol, ha="center", va="center_baseline" if len(symbol) > 1 else "center",
            fontsize=size, color=INK, zorder=zorder + 0.1)
    return width / 2, radius  # half-width and half-height, to end wires on its outline
