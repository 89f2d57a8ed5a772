"""The autoencoder again, its two halves marked: the encoder compresses, the decoder rebuilds.

Same network and same drawing as autoencoder.png (course.draw.networks); which layer belongs to
which half is read from the model's own `encoder` and `decoder` modules.
"""

from __future__ import annotations

from course.draw.annotations import brace, region
from course.draw.blocks import darker, lighter
from course.draw.canvas import diagram
from course.draw.dark import for_rendering
from course.draw.networks import bottleneck_network
from course.draw.style import NOTE_SIZE, PAGE_WIDTH, PALETTE
from course.draw.tracing import constructor_arguments, dense_chain


def draw(ctx):
    model = ctx.architecture("autoencoder")
    layers = dense_chain(model, constructor_arguments(model, ctx.spec("autoencoder").architecture)["input_size"])
    sizes = [layer.size for layer in layers]
    code = max(i for i, layer in enumerate(layers) if layer.name.startswith("encoder"))  # the encoder's output

    figure, ax = diagram(PAGE_WIDTH, 3.6)
    network = bottleneck_network(ax, sizes, 0.75, PAGE_WIDTH - 0.75, 1.9)
    columns = network.layers
    top, bottom = max(column.top for column in columns) + 0.12, network.caption_y - 0.55
    middle = columns[code].x
    code_half = 0.24  # the code belongs to both halves: it gets a band of its own between them
    halves = [
        ("Encodeur", columns[0].x - 0.35, middle, PALETTE["input"], f"compresse {sizes[0]} nombres en {sizes[code]}"),
        ("Décodeur", middle, columns[-1].x + 0.35, PALETTE["output"],
         f"reconstruit {sizes[-1]} nombres à partir de {sizes[code]}"),
    ]
    for name, x0, x1, colour, role in halves:
        inner0, inner1 = (x0, x1 - code_half) if x1 == middle else (x0 + code_half, x1)
        region(ax, inner0, bottom, inner1, top, lighter(colour, 0.86))
        brace(ax, x0 + 0.05, x1 - 0.05, top + 0.06, name, colour=darker(colour, 0.2), fontweight="bold")
        ax.text((inner0 + inner1) / 2, network.caption_y - 0.62, role, ha="center", va="top", fontsize=NOTE_SIZE,
                color=darker(colour, 0.3))
    region(ax, middle - code_half + 0.03, bottom, middle + code_half - 0.03, top, lighter(PALETTE["latent"], 0.6))
    ax.text(middle, network.caption_y - 0.22, "code\nlatent", ha="center", va="top", fontsize=NOTE_SIZE,
            color=darker(PALETTE["latent"], 0.6), linespacing=1.1)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py
