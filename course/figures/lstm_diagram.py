"""The course's LSTM cell, drawn with the sizes of the real network (`models.lstm`).

The cell state runs straight across the top; the forget, input and output gates (σ) and the
candidate (tanh) read [h_{t-1}, x_t] from the bottom and act on it through pointwise × and +.
On a phone (ctx.width "narrow") the same cell closes up, its header takes two lines and its
legend two columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from course.draw.arrows import polyline_arrow, wire
from course.draw.blocks import box, darker, lighter
from course.draw.canvas import diagram
from course.draw.dark import for_rendering
from course.draw.measure import text_size
from course.draw.gates import PRODUCT, SIGMOID, SUM, TANH, gate, pointwise
from course.draw.style import INK, LABEL_SIZE, LINE_WIDTH, NOTE_SIZE, PALETTE, figure_width, is_narrow
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


@dataclass(frozen=True)
class Layout:
    """Where the cell's parts go, in inches: x of each part, and `lift`, added to every height."""

    left: float  # where the states enter...
    right: float  # ...and leave
    join: float  # where x_t joins h_{t-1}
    gates: dict  # gate name -> x
    out: float  # x of the output's tanh and ×
    gate_width: float
    lift: float  # room below the cell for the legend
    panel: tuple[float, float]  # the cell's shaded box, left and right


WIDE = Layout(left=0.45, right=6.25, join=1.3, gates={"forget": 1.75, "input": 2.5, "candidate": 3.25, "output": 4.3},
              out=4.95, gate_width=0.5, lift=0.0, panel=(1.0, 5.75))
NARROW = Layout(left=0.5, right=3.88, join=0.82,
                gates={"forget": 1.15, "input": 1.68, "candidate": 2.21, "output": 2.8}, out=3.28,
                gate_width=0.45, lift=0.55, panel=(0.64, 3.62))


def draw(ctx):
    sizes = traced_sizes(ctx.architecture("lstm"))
    h, d = sizes.hidden, sizes.inputs
    narrow, width = is_narrow(ctx), figure_width(ctx)
    at = NARROW if narrow else WIDE
    lift = at.lift
    figure, ax = diagram(width, 4.0 + lift + (0.2 if narrow else 0.0))  # a phone: two header lines

    left, right = at.left, at.right
    cell_line, bus, gate_row = 3.25 + lift, 1.65 + lift, 2.2 + lift
    ax.add_patch(_panel((at.panel[0], 1.35 + lift), at.panel[1] - at.panel[0], 2.25))
    gx = at.gates
    product_x, join_x, out_x = gx["candidate"], at.join, at.out

    # the cell state: straight across the top, touched only by × and +
    forget_at, add_at = (gx["forget"], cell_line), (product_x, cell_line)
    wire(ax, [(left, cell_line), (right - 0.2, cell_line)], colour=INK, width=LINE_WIDTH * 2.2)
    polyline_arrow(ax, [(right - 0.25, cell_line), (right, cell_line)], colour=INK, width=LINE_WIDTH * 2.2)
    ax.text(left - 0.08, cell_line, "$C_{t-1}$", ha="right", va="center", fontsize=LABEL_SIZE)
    # the new states are named after their arrow on a computer, over its tip on a phone
    after = dict(ha="right", va="bottom") if narrow else dict(ha="left", va="center")
    ax.text(right + (0.0 if narrow else 0.08), cell_line + (0.1 if narrow else 0.0), "$C_t$", fontsize=LABEL_SIZE,
            **after)

    # [h_{t-1}, x_t]: the bus that feeds all four gates
    wire(ax, [(left, bus), (gx["output"], bus)], **WIRE)
    wire(ax, [(join_x, 1.0 + lift), (join_x, bus)], **WIRE)
    ax.plot(join_x, bus, "o", color=INK, markersize=5, zorder=3)
    ax.text(left - 0.08, bus, "$h_{t-1}$", ha="right", va="center", fontsize=LABEL_SIZE)
    ax.text(join_x, 0.95 + lift, "$x_t$", ha="center", va="top", fontsize=LABEL_SIZE)
    for name, x in gx.items():
        polyline_arrow(ax, [(x, bus), (x, gate_row - 0.17)], **WIRE, head=9)

    symbols = {"forget": SIGMOID, "input": SIGMOID, "candidate": TANH, "output": SIGMOID}
    names = {"forget": "$f_t$", "input": "$i_t$", "candidate": r"$\tilde{C}_t$", "output": "$o_t$"}
    for name, x in gx.items():
        gate(ax, (x, gate_row), symbols[name], GATES[name], width=at.gate_width)

    # forget: f_t × C_{t-1}
    polyline_arrow(ax, [(gx["forget"], gate_row + 0.17), (gx["forget"], cell_line - 0.15)], **WIRE, head=9)
    pointwise(ax, forget_at, PRODUCT)
    # input: i_t × C̃_t, added to the cell state
    product_y = 2.72 + lift
    polyline_arrow(ax, [(gx["input"], gate_row + 0.17), (gx["input"], product_y), (product_x - 0.15, product_y)],
                   **WIRE, head=9)
    polyline_arrow(ax, [(product_x, gate_row + 0.17), (product_x, product_y - 0.15)], **WIRE, head=9)
    pointwise(ax, (product_x, product_y), PRODUCT)
    polyline_arrow(ax, [(product_x, product_y + 0.15), (product_x, cell_line - 0.15)], **WIRE, head=9)
    pointwise(ax, add_at, SUM)
    # output: h_t = o_t × tanh(C_t)
    squash_y = 2.72 + lift
    polyline_arrow(ax, [(out_x, cell_line), (out_x, squash_y + 0.15)], **WIRE, head=9)
    pointwise(ax, (out_x, squash_y), TANH)
    polyline_arrow(ax, [(out_x, squash_y - 0.15), (out_x, gate_row + 0.15)], **WIRE, head=9)
    polyline_arrow(ax, [(gx["output"] + at.gate_width / 2, gate_row), (out_x - 0.15, gate_row)], **WIRE, head=9)
    pointwise(ax, (out_x, gate_row), PRODUCT)
    wire(ax, [(out_x, gate_row - 0.15), (out_x, bus), (right - 0.2, bus)], **WIRE)
    polyline_arrow(ax, [(right - 0.25, bus), (right, bus)], **WIRE)
    ax.text(right + (0.0 if narrow else 0.08), bus + (0.06 if narrow else 0.0), "$h_t$", fontsize=LABEL_SIZE, **after)

    # each gate's output named in its colour beside its wire: (x, y, horizontal alignment, vertical)
    between = (gate_row + 0.17 + product_y - 0.15) / 2
    places = {
        "forget": (gx["forget"] + 0.07, (gate_row + 0.17 + cell_line - 0.15) / 2, "left", "center"),
        "input": (gx["input"] + 0.07, between, "left", "center"),
        "candidate": (product_x + 0.07, between, "left", "center"),
        # on a phone the arrow from o_t to × is short: its name goes over the gate
        "output": (gx["output"], gate_row + 0.2, "center", "bottom") if narrow
        else ((gx["output"] + out_x) / 2 + 0.02, gate_row + 0.16, "center", "center"),
    }
    for name, (x, y, ha, va) in places.items():
        ax.text(x, y, names[name], ha=ha, va=va, fontsize=LABEL_SIZE, color=darker(GATES[name], 0.25))

    sizes_of = f"h = {h}, d = {d} : $C_t$ et $h_t$ ont {h} valeurs ;"
    weights = f"{sizes.gates} couches apprises de {h}×({h}+{d}) poids chacune"
    ax.text((at.panel[0] + at.panel[1]) / 2 if narrow else 3.35, 3.72 + lift,
            f"{sizes_of}\n{weights}" if narrow else f"{sizes_of} {weights}",
            ha="center", va="bottom", fontsize=NOTE_SIZE, color=INK, **({"linespacing": 1.2} if narrow else {}))
    _legend(ax, width, narrow)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py


def _panel(corner, width, height):
    from matplotlib.patches import FancyBboxPatch

    return FancyBboxPatch(corner, width, height, boxstyle="round,pad=0,rounding_size=0.15",
                          facecolor=lighter(PALETTE["neutral"], 0.9), edgecolor=lighter(PALETTE["neutral"], 0.5),
                          linewidth=1.0, zorder=0)


def _legend(ax, width: float, narrow: bool) -> None:
    """The notation, drawn with the very pieces of the diagram: centred rows on a computer; on a
    phone the gates in two columns, then the learned layer and the operations one row each."""
    gap, symbol = 0.3, 0.36
    gates = [("forget", "$f_t$ : porte d'oubli"), ("input", "$i_t$ : porte d'entrée"),
             ("candidate", r"$\tilde{C}_t$ : candidat"), ("output", "$o_t$ : porte de sortie")]
    widths = [symbol + 0.06 + text_size(ax, label, fontsize=NOTE_SIZE)[0] for _, label in gates]
    if narrow:  # (x, y) of each: two columns, two rows
        column = max(widths[0], widths[2]) + 0.25
        x0 = (width - column - max(widths[1], widths[3])) / 2
        spots = [(x0, 1.1), (x0 + column, 1.1), (x0, 0.82), (x0 + column, 0.82)]
    else:
        x, spots = (width - sum(widths) - gap * (len(gates) - 1)) / 2, []
        for item in widths:
            spots.append((x, 0.5))
            x += item + gap
    for (name, label), (x, y) in zip(gates, spots):
        box(ax, (x + symbol / 2, y), 0.26, 0.18, GATES[name], zorder=2)
        ax.text(x + symbol + 0.06, y, label, ha="left", va="center", fontsize=NOTE_SIZE)

    learned, pointwise_label = "couche apprise (poids + activation)", "opérations terme à terme :"
    operations = [(TANH, 0.42), (PRODUCT, 0.3), (SUM, 0.3)]  # symbol, room it takes
    learned_width = symbol + 0.06 + text_size(ax, learned, fontsize=NOTE_SIZE)[0]
    operations_width = text_size(ax, pointwise_label, fontsize=NOTE_SIZE)[0] + 0.06 + sum(r for _, r in operations)
    if narrow:
        rows = [((width - learned_width) / 2, 0.5), ((width - operations_width) / 2, 0.17)]
    else:
        x = (width - learned_width - gap - operations_width) / 2
        rows = [(x, 0.17), (x + learned_width + gap, 0.17)]
    (x, y), (x_operations, y_operations) = rows
    gate(ax, (x + symbol / 2, y), SIGMOID, PALETTE["neutral"], width=0.3, height=0.2)
    ax.text(x + symbol + 0.06, y, learned, ha="left", va="center", fontsize=NOTE_SIZE)
    x, y = x_operations, y_operations
    ax.text(x, y, pointwise_label, ha="left", va="center", fontsize=NOTE_SIZE)
    x += text_size(ax, pointwise_label, fontsize=NOTE_SIZE)[0] + 0.06
    for operation, room in operations:
        pointwise(ax, (x + room / 2, y), operation, radius=0.11)
        x += room
