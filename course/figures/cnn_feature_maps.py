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
from course.draw.style import INK, LABEL_SIZE, NOTE_SIZE, PAGE_WIDTH, new_figure
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

    rows = 1 + len(layers)
    figure = new_figure(PAGE_WIDTH, 1.0 + 0.82 * rows)
    grid = figure.add_gridspec(rows, shown + 1, width_ratios=[1.9] + [1] * shown, wspace=0.1, hspace=0.32,
                               left=0.0, right=1.0, top=0.95, bottom=0.12)
    label_ax = figure.add_subplot(grid[0, 0])
    label_ax.set_axis_off()
    input_size = ctx.fact("input_size", "×".join(str(side) for side in image.shape))  # (H, W)
    label_ax.text(0.0, 0.5, f"Image d'entrée\n{input_size}", fontsize=LABEL_SIZE, color=INK, va="center")
    ax = figure.add_subplot(grid[0, 1])
    ax.imshow(image, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    bare(ax)
    for row, (name, maps) in enumerate(layers, start=1):
        channels, height, width = maps.shape
        ctx.fact(f"maps_{row}", f"{height}×{width}")
        label_ax = figure.add_subplot(grid[row, 0])
        label_ax.set_axis_off()
        label_ax.text(0.0, 0.5, f"{name}\n{channels} cartes {height}×{width}", fontsize=NOTE_SIZE, color=INK, va="center")
        top = max(maps.max(), 1e-6)  # one scale per layer: maps of a layer are comparable
        for column in range(min(shown, channels)):
            ax = figure.add_subplot(grid[row, column + 1])
            ax.imshow(maps[column], cmap="magma", vmin=0, vmax=top, interpolation="nearest")
            bare(ax)
    predicted = ctx.fact("predicted", int(np.argmax(probabilities)))
    ctx.fact("probability", float(probabilities[predicted]))
    ctx.fact("label", int(label))
    caption(figure, f"Les {shown} premières cartes de chaque couche (clair : forte activation, noir : nulle). "
                f"Chiffre réel : {label} ; prédit : {predicted}, avec une probabilité de "
                f"{percent(100 * probabilities[predicted])}.")
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py
