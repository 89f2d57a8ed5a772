"""The course's LSTM cell, drawn with the sizes of the real network (`models.lstm`).

The cell state runs straight across the top; the forget, input and output gates (σ) and the
candidate (tanh) read [h_{t-1}, x_t] from the bottom and act on it through pointwise × and +.
"""

from __future__ import annotations

from dataclasses import dataclass

from course.draw.arrows import polyline_arrow, wire
from course.draw.blocks import box, darker, lighter
from course.draw.canvas import diagram
from course.draw.dark import for_rendering
from course.draw.measure import text_size
from course.draw.gates import PRODUCT, SIGMOID, SUM, TANH, gate, pointwise
from course.draw.style import INK, LABEL_SIZE, LINE_WIDTH, NOTE_SIZE, PAGE_WIDTH, PALETTE
from course.draw.tracing import trace

# One colour per gate, from the house palette.
GATES = {
    "forget": PALETTE["recurrent"],
    "input": PALETTE["input"],
    "candidate": PALETTE["hidden"],
    "output": PALETTE["output"],
}
WIRE = dict(colour=INK, width=LINE_WIDTH * 1.1)


@dataclass(frozen=True)
class LSTMSizes:
    inputs: int  # d
    hidden: int  # h: the size of C_t, h_t and of each gate's output
    gates: int  # blocks of rows in the weight matrices: 4 for an LSTM


def traced_sizes(model, steps: int = 3) -> LSTMSizes:
    import torch

    d = model.recurrent.input_size  # the one size a dummy input must know beforehand
    recurrent = next(layer for layer in trace(model, torch.zeros(1, steps, d)) if layer.name == "recurrent")
    h = recurrent.output_shape[-1]  # (T, h)
    rows = model.recurrent.weight_ih_l0.shape[0]  # (4h, d): the four gates' weights stacked
    return LSTMSizes(inputs=recurrent.input_shape[-1], hidden=h, gates=rows // h)


def draw(ctx):
    sizes = traced_sizes(ctx.architecture("lstm"))
    h, d = sizes.hidden, sizes.inputs
    figure, ax = diagram(PAGE_WIDTH, 4.0)

    left, right = 0.45, 6.25  # where the states enter and leave
    cell_line, bus, gate_row = 3.25, 1.65, 2.2
    ax.add_patch(_panel((1.0, 1.35), 4.75, 2.25))
    gx = {"forget": 1.75, "input": 2.5, "candidate": 3.25, "output": 4.3}
    product_x, join_x, out_x = gx["candidate"], 1.3, 4.95

    # the cell state: straight across the top, touched only by × and +
    forget_at, add_at = (gx["forget"], cell_line), (product_x, cell_line)
    wire(ax, [(left, cell_line), (right - 0.2, cell_line)], colour=INK, width=LINE_WIDTH * 2.2)
    polyline_arrow(ax, [(right - 0.25, cell_line), (right, cell_line)], colour=INK, width=LINE_WIDTH * 2.2)
    ax.text(left - 0.08, cell_line, "$C_{t-1}$", ha="right", va="center", fontsize=LABEL_SIZE)
    ax.text(right + 0.08, cell_line, "$C_t$", ha="left", va="center", fontsize=LABEL_SIZE)

    # [h_{t-1}, x_t]: the bus that feeds all four gates
    wire(ax, [(left, bus), (gx["output"], bus)], **WIRE)
    wire(ax, [(join_x, 1.0), (join_x, bus)], **WIRE)
    ax.plot(join_x, bus, "o", color=INK, markersize=5, zorder=3)
    ax.text(left - 0.08, bus, "$h_{t-1}$", ha="right", va="center", fontsize=LABEL_SIZE)
    ax.text(join_x, 0.95, "$x_t$", ha="center", va="top", fontsize=LABEL_SIZE)
    for name, x in gx.items():
        polyline_arrow(ax, [(x, bus), (x, gate_row - 0.17)], **WIRE, head=9)

    symbols = {"forget": SIGMOID, "input": SIGMOID, "candidate": TANH, "output": SIGMOID}
    names = {"forget": "$f_t$", "input": "$i_t$", "candidate": r"$\tilde{C}_t$", "output": "$o_t$"}
    for name, x in gx.items():
        gate(ax, (x, gate_row), symbols[name], GATES[name])

    # forget: f_t × C_{t-1}
    polyline_arrow(ax, [(gx["forget"], gate_row + 0.17), (gx["forget"], cell_line - 0.15)], **WIRE, head=9)
    pointwise(ax, forget_at, PRODUCT)
    # input: i_t × C̃_t, added to the cell state
    product_y = 2.72
    polyline_arrow(ax, [(gx["input"], gate_row + 0.17), (gx["input"], product_y), (product_x - 0.15, product_y)],
                   **WIRE, head=9)
    polyline_arrow(ax, [(product_x, gate_row + 0.17), (product_x, product_y - 0.15)], **WIRE, head=9)
    pointwise(ax, (product_x, product_y), PRODUCT)
    polyline_arrow(ax, [(product_x, product_y + 0.15), (product_x, cell_line - 0.15)], **WIRE, head=9)
    pointwise(ax, add_at, SUM)
    # output: h_t = o_t × tanh(C_t)
    squash_y = 2.72
    polyline_arrow(ax, [(out_x, cell_line), (out_x, squash_y + 0.15)], **WIRE, head=9)
    pointwise(ax, (out_x, squash_y), TANH)
    polyline_arrow(ax, [(out_x, squash_y - 0.15), (out_x, gate_row + 0.15)], **WIRE, head=9)
    polyline_arrow(ax, [(gx["output"] + 0.25, gate_row), (out_x - 0.15, gate_row)], **WIRE, head=9)
    pointwise(ax, (out_x, gate_row), PRODUCT)
    wire(ax, [(out_x, gate_row - 0.15), (out_x, bus), (right - 0.2, bus)], **WIRE)
    polyline_arrow(ax, [(right - 0.25, bus), (right, bus)], **WIRE)
    ax.text(right + 0.08, bus, "$h_t$", ha="left", va="center", fontsize=LABEL_SIZE)

    # each gate's output named in its colour beside its wire: (x, y, horizontal alignment)
    between = (gate_row + 0.17 + product_y - 0.15) / 2
    places = {
        "forget": (gx["forget"] + 0.07, (gate_row + 0.17 + cell_line - 0.15) / 2, "left"),
        "input": (gx["input"] + 0.07, between, "left"),
        "candidate": (product_x + 0.07, between, "left"),
        "output": ((gx["output"] + out_x) / 2 + 0.02, gate_row + 0.16, "center"),
    }
    for name, (x, y, ha) in places.items():
        ax.text(x, y, names[name], ha=ha, va="center", fontsize=LABEL_SIZE, color=darker(GATES[name], 0.25))

    ax.text(3.35, 3.72, f"h = {h}, d = {d} : $C_t$ et $h_t$ ont {h} valeurs ; {sizes.gates} couches apprises "
            f"de {h}×({h}+{d}) poids chacune", ha="center", va="bottom", fontsize=NOTE_SIZE, color=INK)
    _legend(ax)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py


def _panel(corner, width, height):
    from matplotlib.patches import FancyBboxPatch

    return FancyBboxPatch(corner, width, height, boxstyle="round,pad=0,rounding_size=0.15",
                          facecolor=lighter(PALETTE["neutral"], 0.9), edgecolor=lighter(PALETTE["neutral"], 0.5),
                          linewidth=1.0, zorder=0)


def _legend(ax) -> None:
    """The notation, drawn with the very pieces of the diagram, in two centred rows."""
    gap, symbol = 0.3, 0.36
    gates = [("forget", "$f_t$ : porte d'oubli"), ("input", "$i_t$ : porte d'entrée"),
             ("candidate", r"$\tilde{C}_t$ : candidat"), ("output", "$o_t$ : porte de sortie")]
    widths = [symbol + 0.06 + text_size(ax, label, fontsize=NOTE_SIZE)[0] for _, label in gates]
    x = (PAGE_WIDTH - sum(widths) - gap * (len(gates) - 1)) / 2
    for (name, label), width in zip(gates, widths):
        box(ax, (x + symbol / 2, 0.5), 0.26, 0.18, GATES[name])
        ax.text(x + symbol + 0.06, 0.5, label, ha="left", va="center", fontsize=NOTE_SIZE)
        x += width + gap

    learned, pointwise_label = "couche apprise (poids + activation)", "opérations terme à terme :"
    operations = [(TANH, 0.42), (PRODUCT, 0.3), (SUM, 0.3)]  # symbol, room it takes
    width = (symbol + 0.06 + text_size(ax, learned, fontsize=NOTE_SIZE)[0] + gap
             + text_size(ax, pointwise_label, fontsize=NOTE_SIZE)[0] + 0.06 + sum(room for _, room in operations))
    x, y = (PAGE_WIDTH - width) / 2, 0.17
    gate(ax, (x + symbol / 2, y), SIGMOID, PALETTE["neutral"], width=0.3, height=0.2)
    ax.text(x + symbol + 0.06, y, learned, ha="left", va="center", fontsize=NOTE_SIZE)
    x += symbol + 0.06 + text_size(ax, learned, fontsize=NOTE_SIZE)[0] + gap
    ax.text(x, y, pointwise_label, ha="left", va="center", fontsize=NOTE_SIZE)
    x += text_size(ax, pointwise_label, fontsize=NOTE_SIZE)[0] + 0.06
    for operation, room in operations:
        pointwise(ax, (x + room / 2, y), operation, radius=0.11)
        x += room
