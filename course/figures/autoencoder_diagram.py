"""The course's autoencoder as layers of neurons, narrowing to the code and widening back.

The layer sizes come from a forward pass through `models.autoencoder`; each column draws at
most a few neurons and is captioned with the real count. On a phone (ctx.width "narrow") the
columns close up and the legend takes two rows.
"""

from __future__ import annotations

from course.draw.canvas import diagram
from course.draw.dark import for_rendering
from course.draw.legend import Entry, legend
from course.draw.networks import bottleneck_network
from course.draw.style import NOTE_SIZE, PALETTE, figure_width, is_narrow
from course.draw.tracing import constructor_arguments, dense_chain


def traced_layers(ctx):
    model = ctx.architecture("autoencoder")
    return dense_chain(model, constructor_arguments(model, ctx.spec("autoencoder").architecture)["input_size"])


def draw(ctx):
    layers = traced_layers(ctx)
    narrow, width = is_narrow(ctx), figure_width(ctx)
    margin = 0.5 if narrow else 0.7  # room for the captions of the first and last columns
    figure, ax = diagram(width, 3.45 if narrow else 3.2)
    network = bottleneck_network(ax, [layer.size for layer in layers], margin, width - margin, 2.3 if narrow else 2.05)
    first, last, code = network.layers[0], network.layers[-1], network.layers[network.narrowest]
    for layer, text in ((first, "pixels\nd'entrée"), (code, "code\nlatent"), (last, "pixels\nreconstruits")):
        ax.text(layer.x, network.caption_y - 0.22, text, ha="center", va="top", fontsize=NOTE_SIZE,
                color=PALETTE["neutral"], linespacing=1.1)
    legend(ax, [Entry("entrée", PALETTE["input"], "circle"), Entry("couche cachée", PALETTE["hidden"], "circle"),
                Entry("code latent", PALETTE["latent"], "circle"), Entry("sortie", PALETTE["output"], "circle")],
           anchor=(0.5, 0.0), loc="lower center", columns=2 if narrow else None)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py
