"""Layers of neurons as columns of circles, joined by their connections.

A real layer can hold hundreds of neurons: a column draws at most a few, with a vertical
ellipsis standing for the others, and the caption gives the true count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from course.draw.style import INK, LINE_WIDTH, PALETTE


@dataclass(frozen=True)
class NeuronLayer:
    x: float
    ys: tuple[float, ...]  # centres of the drawn circles, top to bottom
    count: int  # how many neurons the real layer has
    radius: float

    @property
    def top(self) -> float:
        return max(self.ys) + self.radius

    @property
    def bottom(self) -> float:
        return min(self.ys) - self.radius


def circles_to_draw(count: int, largest: int, most: int) -> int:
    """How many circles stand for a layer of `count` neurons when the widest has `largest`.

    Small layers are drawn whole; bigger ones get a column that grows with the logarithm of
    their size, so a 64 → 16 → 2 narrowing still shows as a narrowing.
    """
    if count <= 3 or largest <= most:
        return min(count, most)
    scaled = round(most * math.log(count) / math.log(largest))
    return max(3, min(count, most, scaled))


def neuron_layer(ax, x: float, y_centre: float, count: int, colour: str, shown: int | None = None,
                 spacing: float = 0.28, radius: float = 0.1, memory: bool = False, zorder: float = 3) -> NeuronLayer:
    """A column of circles centred on (x, y_centre); `shown` circles (an ellipsis among them
    when the layer is bigger) stand for `count` neurons. `memory` rings each circle: a memory
    cell (LSTM) rather than a plain neuron."""
    from matplotlib.patches import Circle

    shown = min(count, shown or count)
    slots = [y_centre + (shown - 1) / 2 * spacing - i * spacing for i in range(shown)]
    gap = shown // 2 if count > shown else None  # the slot the ellipsis takes
    centres = []
    for i, y in enumerate(slots):
        if i == gap:
            for offset in (-0.28, 0.0, 0.28):  # three dots: a vertical ellipsis
                ax.add_patch(Circle((x, y + offset * spacing), radius * 0.16, color=INK, zorder=zorder))
            continue
        ax.add_patch(Circle((x, y), radius, facecolor=colour, edgecolor=INK, linewidth=LINE_WIDTH * 0.7,
                            zorder=zorder))
        if memory:
            ax.add_patch(Circle((x, y), radius * 0.55, fill=False, edgecolor="white", linewidth=LINE_WIDTH,
                                zorder=zorder + 0.1))
        centres.append(y)
    return NeuronLayer(x=x, ys=tuple(centres), count=count, radius=radius)


def connect(ax, left: NeuronLayer, right: NeuronLayer, colour: str = PALETTE["neutral"],
            alpha: float = 0.45, width: float = 0.6, reach: int | None = None, zorder: float = 1):
    """Every drawn neuron of `left` joined to every drawn neuron of `right` (a dense layer), or,
    with `reach`, only to those at most `reach` rows away (a convolution's local connections)."""
    from matplotlib.collections import LineCollection

    def near(i: int, j: int) -> bool:
        if reach is None:
            return True
        offset = (len(left.ys) - len(right.ys)) / 2  # centre the narrower column on the wider
        return abs(i - (j + offset)) <= reach

    segments = [
        ((left.x + left.radius, a), (right.x - right.radius, b))
        for i, a in enumerate(left.ys) for j, b in enumerate(right.ys) if near(i, j)
    ]
    lines = LineCollection(segments, colors=colour, linewidths=width, alpha=alpha, zorder=zorder)
    ax.add_collection(lines)
    return lines


def dense_network(ax, sizes: list[int], colours: list[str], xs: list[float], y_centre: float,
                  most: int = 9, spacing: float = 0.28, radius: float = 0.1) -> list[NeuronLayer]:
    """Fully connected layers of the given true `sizes`, one column per layer at `xs`."""
    largest = max(sizes)
    layers = [
        neuron_layer(ax, x, y_centre, size, colour, shown=circles_to_draw(size, largest, most),
                     spacing=spacing, radius=radius)
        for size, colour, x in zip(sizes, colours, xs)
    ]
    for left, right in zip(layers, layers[1:]):
        connect(ax, left, right)
    return layers

