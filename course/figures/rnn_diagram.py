"""The course's RNN drawn from the network itself: folded (a cell and its loop) and unrolled.

The sizes written on the diagram (input d, hidden h, so W_hh is h×h, classes) come from a
forward pass through `models.rnn` of figgen.yaml, never from the drawing code.
"""

from __future__ import annotations

from dataclasses import dataclass

from course.draw.arrows import arrow, self_loop
from course.draw.blocks import box, darker
from course.draw.canvas import diagram
from course.draw.dark import for_rendering
from course.draw.style import INK, LABEL_SIZE, NOTE_SIZE, PAGE_WIDTH, PALETTE
from course.draw.tracing import trace

CELL = 0.24  # radius of a hidden-state circle
INPUT_Y, HIDDEN_Y, OUTPUT_Y = 0.6, 1.6, 2.55
LOOP_TEXT = darker(PALETTE["recurrent"], 0.3)  # the loop's colour, dark enough to read as text


@dataclass(frozen=True)
class RecurrentSizes:
    inputs: int  # d: numbers per time step
    hidden: int  # h: size of the hidden state, so W_hh is h×h
    classes: int
    steps: int  # time steps of the traced sequence


def traced_sizes(model, steps: int) -> RecurrentSizes:
    """Sizes read from a forward pass of a (1, steps, d) sequence of zeros."""
    import torch

    d = model.recurrent.input_size  # the one size a dummy input must know beforehand
    layers = {layer.name: layer for layer in trace(model, torch.zeros(1, steps, d))}
    recurrent, readout = layers["recurrent"], layers["readout"]
    assert recurrent.output_shape[0] == steps  # (T, h): one hidden state per step
    return RecurrentSizes(inputs=recurrent.input_shape[-1], hidden=recurrent.output_shape[-1],
                          classes=readout.output_shape[-1], steps=steps)


def _state(ax, centre, label: str, colour: str = PALETTE["recurrent"]):
    from matplotlib.patches import Circle

    ax.add_patch(Circle(centre, CELL, facecolor=colour, edgecolor=INK, linewidth=1.1, zorder=3))
    ax.text(*centre, label, ha="center", va="center", fontsize=LABEL_SIZE + 1, zorder=4)


def _up(ax, x: float, y0: float, y1: float, **properties):
    return arrow(ax, (x, y0), (x, y1), **properties)


@dataclass(frozen=True)
class Params:
    """figgen.yaml's `params:` of this figure: the values are there, the types here."""

    steps: int  # time steps of the unrolled network


def draw(ctx):
    sizes = traced_sizes(ctx.architecture("rnn"), ctx.params.steps)
    d, h, c = sizes.inputs, sizes.hidden, sizes.classes
    figure, ax = diagram(PAGE_WIDTH, 3.2)
    box_w, box_h = 0.5, 0.34

    # --- folded: one cell, its loop and its three weight matrices -----------------------------
    fx = 1.2
    ax.text(fx + 0.25, 3.15, "Replié", ha="center", va="top", fontsize=LABEL_SIZE, fontweight="bold")
    box(ax, (fx, INPUT_Y), box_w, box_h, PALETTE["input"], "$x_t$", text_colour="white")
    _state(ax, (fx, HIDDEN_Y), "$h_t$")
    box(ax, (fx, OUTPUT_Y), box_w, box_h, PALETTE["output"], r"$\hat{y}$", text_colour="white")
    _up(ax, fx, INPUT_Y + box_h / 2, HIDDEN_Y - CELL)
    _up(ax, fx, HIDDEN_Y + CELL, OUTPUT_Y - box_h / 2)
    self_loop(ax, (fx, HIDDEN_Y), CELL, side="right", size=1.6 * CELL, head=12)
    note = dict(fontsize=NOTE_SIZE, color=INK, va="center")
    ax.text(fx + 0.08, (INPUT_Y + HIDDEN_Y) / 2 - 0.05, f"$W_{{xh}}$ : {h}×{d}", ha="left", **note)
    ax.text(fx + 0.08, (HIDDEN_Y + OUTPUT_Y) / 2 + 0.02, f"$W_{{hy}}$ : {c}×{h}", ha="left", **note)
    ax.text(fx + CELL + 0.45, HIDDEN_Y, f"$W_{{hh}}$\n{h}×{h}", ha="left", fontsize=NOTE_SIZE,
            color=LOOP_TEXT, va="center", fontweight="bold", linespacing=1.2)
    ax.text(fx + 0.25, 0.08, r"$h_t = \tanh(W_{xh}\,x_t + W_{hh}\,h_{t-1})$", ha="center", va="bottom",
            fontsize=NOTE_SIZE, color=INK)
    ax.text(fx - box_w / 2 - 0.08, INPUT_Y, f"{d} valeurs", ha="right", **note)
    ax.text(fx - CELL - 0.08, HIDDEN_Y, f"{h} neurones", ha="right", **note)
    ax.text(fx - box_w / 2 - 0.08, OUTPUT_Y, f"{c} classes", ha="right", **note)

    ax.text(2.8, HIDDEN_Y, "=", ha="center", va="center", fontsize=22, color=PALETTE["neutral"])

    # --- unrolled over the steps: the same weights at every step --------------------------------
    steps = sizes.steps
    x0 = 3.4
    spacing = (PAGE_WIDTH - box_w / 2 - 0.05 - x0) / steps
    xs = [x0 + spacing * (t + 1) for t in range(steps)]
    ax.text((x0 + xs[-1]) / 2, 3.15, f"Déroulé dans le temps ({steps} pas)", ha="center", va="top",
            fontsize=LABEL_SIZE, fontweight="bold")
    _state(ax, (x0, HIDDEN_Y), "$0$", colour="white")
    ax.text(x0, HIDDEN_Y - CELL - 0.08, "$h_0$", ha="center", va="top", fontsize=NOTE_SIZE)
    previous = x0
    for t, x in enumerate(xs, start=1):
        box(ax, (x, INPUT_Y), box_w, box_h, PALETTE["input"], f"$x_{t}$", text_colour="white")
        _state(ax, (x, HIDDEN_Y), f"$h_{t}$")
        _up(ax, x, INPUT_Y + box_h / 2, HIDDEN_Y - CELL)
        arrow(ax, (previous + CELL, HIDDEN_Y), (x - CELL, HIDDEN_Y), colour=PALETTE["recurrent"], width=1.8)
        ax.text((previous + x) / 2, HIDDEN_Y + 0.07, "$W_{hh}$", ha="center", va="bottom", fontsize=NOTE_SIZE,
                color=LOOP_TEXT)
        previous = x
    box(ax, (xs[-1], OUTPUT_Y), box_w, box_h, PALETTE["output"], r"$\hat{y}$", text_colour="white")
    _up(ax, xs[-1], HIDDEN_Y + CELL, OUTPUT_Y - box_h / 2)
    ax.text(xs[-1] - box_w / 2 - 0.1, OUTPUT_Y, "lu au dernier pas", ha="right", **note)
    ax.text((x0 + xs[-1]) / 2, 0.1, "les mêmes poids à chaque pas de temps", ha="center", va="bottom",
            fontsize=NOTE_SIZE, color=PALETTE["neutral"], style="italic")
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py
