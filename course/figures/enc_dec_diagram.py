"""The autoencoder again, its two halves marked: the encoder compresses, the decoder rebuilds.

Same network and same drawing as autoencoder.png (course.draw.networks); which layer belongs to
which half is read from the model's own `encoder` and `decoder` modules. On a phone
(ctx.width "narrow") the columns close up and each half's role takes two lines.
"""

from __future__ import annotations

from course.draw.annotations import brace, region
from course.draw.blocks import darker, lighter
from course.draw.canvas import diagram
from course.draw.dark import for_rendering
from course.draw.networks import bottleneck_network
from course.draw.style import NOTE_SIZE, PALETTE, figure_width, is_narrow
from course.draw.tracing import constructor_arguments, dense_chain


def draw(ctx):
    model = ctx.architecture("autoencoder")
    layers = dense_chain(model, constructor_arguments(model, ctx.spec("autoencoder").architecture)["input_size"])
    sizes = [layer.size for layer in layers]
    code = max(i for i, layer in enumerate(layers) if layer.name.startswith("encoder"))  # the encoder's output

    narrow, width = is_narrow(ctx), figure_width(ctx)
    margin = 0.4 if narrow else 0.75
    figure, ax = diagram(width, 3.8 if narrow else 3.6)
    network = bottleneck_network(ax, sizes, margin, width - margin, 2.1 if narrow else 1.9)
    columns = network.layers
    top, bottom = max(column.top for column in columns) + 0.12, network.caption_y - 0.55
    middle = columns[code].x
    # the code belongs to both halves: it gets a band of its own between them, on a phone wide
    # enough for "latent"
    code_half = 0.29 if narrow else 0.24
    pad, cut = (0.3, "\n") if narrow else (0.35, " ")  # a phone: each role on two lines
    halves = [
        ("Encodeur", columns[0].x - pad, middle, PALETTE["input"],
         f"compresse {sizes[0]}{cut}nombres en {sizes[code]}"),
        ("Décodeur", middle, columns[-1].x + pad, PALETTE["output"],
         f"reconstruit {sizes[-1]} nombres{cut}à partir de {sizes[code]}"),
    ]
    for name, x0, x1, colour, role in halves:
        inner0, inner1 = (x0, x1 - code_half) if x1 == middle else (x0 + code_half, x1)
        region(ax, inner0, bottom, inner1, top, lighter(colour, 0.86))
        brace(ax, x0 + 0.05, x1 - 0.05, top + 0.06, name, colour=darker(colour, 0.2), fontweight="bold")
        ax.text((inner0 + inner1) / 2, network.caption_y - 0.62, role, ha="center", va="top", fontsize=NOTE_SIZE,
                color=darker(colour, 0.3), linespacing=1.1)
    region(ax, middle - code_half + 0.03, bottom, middle + code_half - 0.03, top, lighter(PALETTE["latent"], 0.6))
    ax.text(middle, network.caption_y - 0.22, "code\nlatent", ha="center", va="top", fontsize=NOTE_SIZE,
            color=darker(PALETTE["latent"], 0.6), linespacing=1.1)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py
