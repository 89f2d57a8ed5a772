"""The course's RNN drawn from the network itself: folded (a cell and its loop) and unrolled.

The sizes written on the diagram (input d, hidden h, so W_hh is h×h, classes) come from a
forward pass through `models.rnn` of figgen.yaml, never from the drawing code. On a computer
the two views sit side by side; on a phone (ctx.width "narrow") the folded one above the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from course.draw.arrows import arrow, self_loop
from course.draw.blocks import box, darker
from course.draw.canvas import diagram
from course.draw.dark import for_rendering
from course.draw.style import INK, LABEL_SIZE, NOTE_SIZE, PALETTE, figure_width, is_narrow
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
    narrow, width = is_narrow(ctx), figure_width(ctx)
    if narrow:  # the folded view on top, the unrolled one under it
        figure, ax = diagram(width, 6.5)
        _folded(ax, sizes, 1.55, 3.35)
        _unrolled(ax, sizes, 0.35, width, 0.0)
    else:
        figure, ax = diagram(width, 3.2)
        _folded(ax, sizes, 1.2, 0.0)
        ax.text(2.8, HIDDEN_Y, "=", ha="center", va="center", fontsize=22, color=PALETTE["neutral"])
        _unrolled(ax, sizes, 3.4, width, 0.0)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py


BOX_W, BOX_H = 0.5, 0.34


def _folded(ax, sizes: RecurrentSizes, fx: float, base: float) -> None:
    """One cell, its loop and its three weight matrices, centred on x = fx, from y = base up."""
    d, h, c = sizes.inputs, sizes.hidden, sizes.classes
    input_y, hidden_y, output_y = INPUT_Y + base, HIDDEN_Y + base, OUTPUT_Y + base
    ax.text(fx + 0.25, 3.15 + base, "Replié", ha="center", va="top", fontsize=LABEL_SIZE, fontweight="bold")
    box(ax, (fx, input_y), BOX_W, BOX_H, PALETTE["input"], "$x_t$", text_colour="white")
    _state(ax, (fx, hidden_y), "$h_t$")
    box(ax, (fx, output_y), BOX_W, BOX_H, PALETTE["output"], r"$\hat{y}$", text_colour="white")
    _up(ax, fx, input_y + BOX_H / 2, hidden_y - CELL)
    _up(ax, fx, hidden_y + CELL, output_y - BOX_H / 2)
    self_loop(ax, (fx, hidden_y), CELL, side="right", size=1.6 * CELL, head=12)
    note = dict(fontsize=NOTE_SIZE, color=INK, va="center")
    ax.text(fx + 0.08, (input_y + hidden_y) / 2 - 0.05, f"$W_{{xh}}$ : {h}×{d}", ha="left", **note)
    ax.text(fx + 0.08, (hidden_y + output_y) / 2 + 0.02, f"$W_{{hy}}$ : {c}×{h}", ha="left", **note)
    ax.text(fx + CELL + 0.45, hidden_y, f"$W_{{hh}}$\n{h}×{h}", ha="left", fontsize=NOTE_SIZE,
            color=LOOP_TEXT, va="center", fontweight="bold", linespacing=1.2)
    ax.text(fx + 0.25, 0.08 + base, r"$h_t = \tanh(W_{xh}\,x_t + W_{hh}\,h_{t-1})$", ha="center", va="bottom",
            fontsize=NOTE_SIZE, color=INK)
    ax.text(fx - BOX_W / 2 - 0.08, input_y, f"{d} valeurs", ha="right", **note)
    ax.text(fx - CELL - 0.08, hidden_y, f"{h} neurones", ha="right", **note)
    ax.text(fx - BOX_W / 2 - 0.08, output_y, f"{c} classes", ha="right", **note)


def _unrolled(ax, sizes: RecurrentSizes, x0: float, right: float, base: float) -> None:
    """The same weights at every step: h_0 at x0, the steps up to `right`, from y = base up."""
    note = dict(fontsize=NOTE_SIZE, color=INK, va="center")
    input_y, hidden_y, output_y = INPUT_Y + base, HIDDEN_Y + base, OUTPUT_Y + base
    steps = sizes.steps
    spacing = (right - BOX_W / 2 - 0.05 - x0) / steps
    xs = [x0 + spacing * (t + 1) for t in range(steps)]
    ax.text((x0 + xs[-1]) / 2, 3.15 + base, f"Déroulé dans le temps ({steps} pas)", ha="center", va="top",
            fontsize=LABEL_SIZE, fontweight="bold")
    _state(ax, (x0, hidden_y), "$0$", colour="white")
    ax.text(x0, hidden_y - CELL - 0.08, "$h_0$", ha="center", va="top", fontsize=NOTE_SIZE)
    previous = x0
    for t, x in enumerate(xs, start=1):
        box(ax, (x, input_y), BOX_W, BOX_H, PALETTE["input"], f"$x_{t}$", text_colour="white")
        _state(ax, (x, hidden_y), f"$h_{t}$")
        _up(ax, x, input_y + BOX_H / 2, hidden_y - CELL)
        arrow(ax, (previous + CELL, hidden_y), (x - CELL, hidden_y), colour=PALETTE["recurrent"], width=1.8)
        ax.text((previous + x) / 2, hidden_y + 0.07, "$W_{hh}$", ha="center", va="bottom", fontsize=NOTE_SIZE,
                color=LOOP_TEXT)
        previous = x
    box(ax, (xs[-1], output_y), BOX_W, BOX_H, PALETTE["output"], r"$\hat{y}$", text_colour="white")
    _up(ax, xs[-1], hidden_y + CELL, output_y - BOX_H / 2)
    ax.text(xs[-1] - BOX_W / 2 - 0.1, output_y, "lu au dernier pas", ha="right", **note)
    ax.text((x0 + xs[-1]) / 2, 0.1 + base, "les mêmes poids à chaque pas de temps", ha="center", va="bottom",
            fontsize=NOTE_SIZE, color=PALETTE["neutral"], style="italic")
