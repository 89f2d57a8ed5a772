"""One test digit on its way through the CNN: the feature maps after each layer.

Each convolution turns the image into several maps (one per filter), ReLU keeps the positive
responses, max pooling halves the resolution; the classifier reads the last, tiny maps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from course.draw.dark import for_rendering
from course.draw.style import INK, LABEL_SIZE, NARROW_WIDTH, NOTE_SIZE, PAGE_WIDTH, is_narrow, new_figure
from course.draw.french import percent
from course.figures._results import bare, caption, test_digits


def feature_maps(model, image: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """(label, maps (C, H, W)) after each ReLU and each pooling of model.features."""
    x = torch.tensor(image).view(1, 1, *image.shape)
    found, convolutions = [], 0
    with torch.no_grad():
        for layer in model.features:
            x = layer(x)
            if isinstance(layer, nn.Conv2d):
                convolutions += 1
            elif isinstance(layer, nn.ReLU):
                found.append((f"Convolution {convolutions}\n+ ReLU", x[0].numpy()))
            elif isinstance(layer, nn.MaxPool2d):
                found.append(("Max-pooling", x[0].numpy()))
        probabilities = torch.softmax(model.classifier(x), dim=1)[0].numpy()
    return found, probabilities


@dataclass(frozen=True)
class Params:
    """figgen.yaml's `params:` of this figure: the values are there, the types here."""

    index: int  # which test digit goes through the network
    maps: int  # maps drawn per layer (the first ones)


def draw(ctx):
    shown = ctx.params.maps
    images, labels = test_digits()
    index = ctx.params.index
    image, label = images[index], int(labels[index])
    model = ctx.model("cnn").module
    layers, probabilities = feature_maps(model, image)

    input_size = ctx.fact("input_size", "×".join(str(side) for side in image.shape))  # (H, W)
    names = [(f"Image d'entrée\n{input_size}", LABEL_SIZE)]
    names += [(f"{name}\n{maps.shape[0]} cartes {maps.shape[1]}×{maps.shape[2]}", NOTE_SIZE) for name, maps in layers]
    narrow = is_narrow(ctx)  # a phone's rendering: each row's name on one line above its maps
    figure, label_axes, map_axes = (_narrow_grid if narrow else _wide_grid)(len(names), shown)
    for label_ax, (name, size) in zip(label_axes, names):
        label_ax.set_axis_off()
        if narrow:
            name = name.replace("\n+", " +").replace("\n", " : ")
        label_ax.text(0.0, 0.5 if not narrow else 0.3, name, fontsize=size, color=INK, va="center")
    map_axes[0][0].imshow(image, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    for row, (name, maps) in enumerate(layers, start=1):
        channels, height, width = maps.shape
        ctx.fact(f"maps_{row}", f"{height}×{width}")
        top = max(maps.max(), 1e-6)  # one scale per layer: maps of a layer are comparable
        for column in range(min(shown, channels)):
            map_axes[row][column].imshow(maps[column], cmap="magma", vmin=0, vmax=top, interpolation="nearest")
    for ax in (ax for row in map_axes for ax in row):
        bare(ax)
    predicted = ctx.fact("predicted", int(np.argmax(probabilities)))
    ctx.fact("probability", float(probabilities[predicted]))
    ctx.fact("label", int(label))
    caption(figure, f"Les {shown} premières cartes de chaque couche (clair : forte activation, noir : nulle). "
                f"Chiffre réel : {label} ; prédit : {predicted}, avec une probabilité de "
                f"{percent(100 * probabilities[predicted])}.", characters=46 if narrow else 100)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py


def _wide_grid(rows: int, shown: int):
    """(figure, label axes per row, map axes per row): each row's name left of its maps."""
    figure = new_figure(PAGE_WIDTH, 1.0 + 0.82 * rows)
    grid = figure.add_gridspec(rows, shown + 1, width_ratios=[1.9] + [1] * shown, wspace=0.1, hspace=0.32,
                               left=0.0, right=1.0, top=0.95, bottom=0.12)
    labels = [figure.add_subplot(grid[row, 0]) for row in range(rows)]
    maps = [[figure.add_subplot(grid[row, column + 1]) for column in range(shown if row else 1)] for row in range(rows)]
    return figure, labels, maps


def _narrow_grid(rows: int, shown: int):
    """The same for a phone: each row's name on a line of its own, above maps that span the width."""
    height = 0.9 + 0.78 * rows
    figure = new_figure(NARROW_WIDTH, height)
    grid = figure.add_gridspec(2 * rows, shown, height_ratios=[0.3, 0.44] * rows, wspace=0.1, hspace=0.12,
                               left=0.0, right=1.0, top=0.99, bottom=0.84 / height)
    labels = [figure.add_subplot(grid[2 * row, :]) for row in range(rows)]
    maps = [[figure.add_subplot(grid[2 * row + 1, column]) for column in range(shown if row else 1)]
            for row in range(rows)]
    return figure, labels, maps
