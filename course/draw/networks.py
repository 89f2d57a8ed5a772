"""Whole fully connected networks drawn as columns of neurons, coloured by role."""

from __future__ import annotations

from dataclasses import dataclass

from course.draw.neurons import NeuronLayer, dense_network
from course.draw.style import INK, NOTE_SIZE, PALETTE


@dataclass(frozen=True)
class DrawnNetwork:
    layers: list[NeuronLayer]
    narrowest: int  # index of the bottleneck (the latent code of an autoencoder)
    caption_y: float  # where the size captions hang from


def bottleneck_network(ax, sizes: list[int], x0: float, x1: float, y_centre: float, most: int = 9,
                       spacing: float = 0.24, radius: float = 0.085) -> DrawnNetwork:
    """Columns for layers of the given true `sizes` between x0 and x1, each captioned with its size.

    The first column is the input, the last the output, the narrowest the latent code: the
    colours say so, as everywhere in the course.
    """
    narrowest = min(range(len(sizes)), key=sizes.__getitem__)
    roles = ["input" if i == 0 else "output" if i == len(sizes) - 1 else "latent" if i == narrowest else "hidden"
             for i in range(len(sizes))]
    step = (x1 - x0) / (len(sizes) - 1)
    layers = dense_network(ax, sizes, [PALETTE[role] for role in roles], [x0 + i * step for i in range(len(sizes))],
                           y_centre, most=most, spacing=spacing, radius=radius)
    caption_y = min(layer.bottom for layer in layers) - 0.08
    for layer in layers:
        ax.text(layer.x, caption_y, str(layer.count), ha="center", va="top", fontsize=NOTE_SIZE, color=INK,
                fontweight="bold")
    return DrawnNetwork(layers=layers, narrowest=narrowest, caption_y=caption_y)
