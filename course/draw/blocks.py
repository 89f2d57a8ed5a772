"""Boxes and slabs: layers drawn as blocks, feature maps as 3-D-looking stacks."""

from __future__ import annotations

from dataclasses import dataclass

from course.draw.style import INK, LABEL_SIZE, LINE_WIDTH


def box(ax, centre, width: float, height: float, colour: str, label: str | None = None,
        text_colour: str = INK, fontsize: float = LABEL_SIZE, rounding: float = 0.06,
        alpha: float = 1.0, zorder: float = 2, **text_properties):
    """A rounded rectangle centred on `centre`, with an optional label in its middle."""
    from matplotlib.patches import FancyBboxPatch

    x, y = centre
    patch = FancyBboxPatch(
        (x - width / 2, y - height / 2), width, height,
        boxstyle=f"round,pad=0,rounding_size={min(rounding, width / 2, height / 2)}",
        facecolor=colour, edgecolor=INK, linewidth=LINE_WIDTH * 0.8, alpha=alpha, zorder=zorder,
    )
    ax.add_patch(patch)
    if label:
        ax.text(x, y, label, ha="center", va="center", color=text_colour, fontsize=fontsize,
                zorder=zorder + 0.1, **text_properties)
    return patch


def lighter(colour: str, amount: float) -> tuple[float, float, float]:
    """`colour` mixed with white: amount 0 keeps it, 1 gives white."""
    from matplotlib.colors import to_rgb

    return tuple(c + (1 - c) * amount for c in to_rgb(colour))


def darker(colour: str, amount: float) -> tuple[float, float, float]:
    """`colour` mixed with black: amount 0 keeps it, 1 gives black."""
    from matplotlib.colors import to_rgb

    return tuple(c * (1 - amount) for c in to_rgb(colour))


@dataclass(frozen=True)
class Slab:
    """Where a drawn feature-map stack lies.

    The front face (x, y, width, height) is one H×W map facing the reader; the stack of C maps
    recedes up and to the right by (dx, dy), so a deeper slab has more channels.
    """

    x: float
    y: float
    width: float
    height: float
    dx: float
    dy: float

    @property
    def right(self) -> float:
        return self.x + self.width + self.dx

    @property
    def top(self) -> float:
        return self.y + self.height + self.dy

    def on_front(self, across: float, up: float) -> tuple[float, float]:
        """A point of the front map: `across` and `up` in [0, 1] from its bottom-left corner."""
        return self.x + across * self.width, self.y + up * self.height


def slab(ax, x: float, y: float, width: float, height: float, depth: float, colour: str,
         zorder: float = 2) -> Slab:
    """A 3-D-looking stack of feature maps: a `width`×`height` front map, `depth` ∝ channels.

    The depth recedes at 45°, like the oblique drawings of a geometry textbook.
    """
    from matplotlib.patches import Polygon

    dx = dy = depth / 2**0.5
    shape = Slab(x, y, width, height, dx, dy)
    w, h = width, height
    faces = [
        ([(x, y + h), (x + w, y + h), (x + w + dx, y + h + dy), (x + dx, y + h + dy)], lighter(colour, 0.35)),
        ([(x + w, y), (x + w + dx, y + dy), (x + w + dx, y + h + dy), (x + w, y + h)], darker(colour, 0.15)),
        ([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], colour),  # the front map
    ]
    for corners, face_colour in faces:
        ax.add_patch(Polygon(corners, closed=True, facecolor=face_colour, edgecolor=INK,
                             linewidth=LINE_WIDTH * 0.6, joinstyle="round", zorder=zorder))
    return shape


def front_patch(ax, shape: Slab, across: tuple[float, float], up: tuple[float, float], colour: str,
                zorder: float = 3):
    """A window of the front map of `shape` (a kernel or a pooling window); returns its corners,
    so projection lines can start from them."""
    from matplotlib.patches import Polygon

    (a0, a1), (u0, u1) = across, up
    corners = [shape.on_front(a, u) for a, u in ((a0, u0), (a1, u0), (a1, u1), (a0, u1))]
    ax.add_patch(Polygon(corners, closed=True, facecolor=colour, edgecolor=INK,
                         linewidth=LINE_WIDTH * 0.8, zorder=zorder))
    return corners
