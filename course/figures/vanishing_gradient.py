"""How much error signal reaches each step: ||dL/dh_t|| for the RNN and the LSTM (log scale).

Measured on the networks of the longest delay, at initialisation by default (the LSTM twice: with
the course's "chrono" gate biases and with PyTorch's default initialisation): that is when
learning must start, and a step that receives no signal can never learn to matter. The loss is
computed at the last step; for the plain RNN the signal fades geometrically on its way back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course.draw.dark import for_rendering
from course.draw.french import decimal
from course.draw.style import COMPARE, INK, NOTE_SIZE, PALETTE, figure_width, is_narrow, new_figure
from course.figures._results import plot_axes

NAMES = {"rnn": "RNN simple", "lstm": "LSTM, initialisation « chrono »"}
DEFAULT_INIT = "LSTM, initialisation par défaut de PyTorch"
MOMENTS = {"initial": ("gradient_norm_initial", "à l'initialisation", "-"),
           "trained": ("gradient_norm_trained", "après entraînement", "--")}


def decay_per_decade(norms) -> float:
    """Steps over which the norm shrinks tenfold (a straight-line fit of log10 ||dL/dh_t||)."""
    slope = np.polyfit(np.arange(len(norms)), np.log10(np.maximum(norms, 1e-300)), 1)[0]
    return 1 / slope


def power_of_ten(value: float) -> str:
    """1.2e-24 -> "10⁻²⁴": the order of magnitude, as the alt text writes it."""
    exponent = int(np.floor(np.log10(value)))
    return "10" + str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def report_facts(ctx, moments) -> None:
    """Orders of magnitude the alt text quotes, from the first moment drawn."""
    key = MOMENTS[moments[0]][0]
    rnn, lstm = (np.asarray(ctx.model(name).history[key]) for name in ("rnn", "lstm"))
    ctx.fact("steps", len(rnn))
    ctx.fact("rnn_decade_steps", round(float(decay_per_decade(rnn))))
    ctx.fact("rnn_last", power_of_ten(rnn[-1]))
    ctx.fact("rnn_first", power_of_ten(rnn[0]))
    ctx.fact("lstm_low", power_of_ten(lstm.min()))
    ctx.fact("lstm_high", power_of_ten(lstm[:-1].max()))  # the last step is where the loss is taken
    default = np.asarray(ctx.model("lstm").history["gradient_norm_initial_default_init"])
    ctx.fact("lstm_first", power_of_ten(lstm[0]))
    ctx.fact("lstm_default_first", power_of_ten(default[0]))


@dataclass(frozen=True)
class Params:
    """figgen.yaml's `params:` of this figure: the values are there, the types here."""

    moments: list[str]  # the training moments whose gradients are drawn


def draw(ctx):
    moments = ctx.params.moments
    narrow = is_narrow(ctx)  # a phone's rendering: narrower, the legend under the plot, notes wrapped
    figure = new_figure(figure_width(ctx), 5.6 if narrow else 3.8)
    ax = plot_axes(figure, (0.2, 0.37, 0.76, 0.53) if narrow else (0.1, 0.14, 0.86, 0.8))
    for name, colour in (("rnn", COMPARE["first"]), ("lstm", COMPARE["second"])):
        history = ctx.model(name).history
        for moment in moments:
            key, when, style = MOMENTS[moment]
            norms = np.asarray(history[key])
            suffix = f", {when}" if len(moments) > 1 else ""
            ax.plot(np.arange(len(norms)), norms, style, color=colour, linewidth=2, label=NAMES[name] + suffix)
            if name == "rnn" and moment == "initial":
                steps = decay_per_decade(norms)
                middle = len(norms) // 2
                ax.annotate(f"divisé par 10 toutes{chr(10) if narrow else ' '}les {decimal(steps, 1)} étapes",
                            (middle, norms[middle]),
                            xytext=(10, -14), textcoords="offset points", fontsize=NOTE_SIZE, color=colour)
        if name == "lstm" and "initial" in moments:  # the same LSTM without chrono's gate biases
            default = np.asarray(history["gradient_norm_initial_default_init"])
            label = DEFAULT_INIT.replace(" de PyTorch", "\nde PyTorch") if narrow else DEFAULT_INIT
            ax.plot(np.arange(len(default)), default, ":", color=colour, linewidth=2, label=label)
    last = len(norms) - 1
    report_facts(ctx, moments)
    ax.set_yscale("log")
    ax.set_xlim(-1, last + 1)
    ax.axvline(0, color=PALETTE["neutral"], linewidth=1)
    ax.text(0.8, 0.98, "symbole à retenir (t = 0)", rotation=90, va="top", ha="left", fontsize=NOTE_SIZE,
            transform=ax.get_xaxis_transform(), color=PALETTE["neutral"], zorder=3,
            bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none"))  # over the curves
    ax.set_xlabel(f"Étape t de la séquence{chr(10) if narrow else ' '}(la perte est calculée à la dernière, t = {last})")
    ax.set_ylabel("Norme du gradient ‖∂L/∂hₜ‖")
    title = "Signal d'erreur reçu par chaque étape" + (f", {MOMENTS[moments[0]][1]}" if len(moments) == 1 else "")
    ax.set_title(title.replace(", ", ",\n") if narrow else title, fontsize=NOTE_SIZE + 1, color=INK, loc="left",
                 **({"x": -0.2} if narrow else {}))
    if narrow:  # under the plot, one entry a line: the plot keeps the whole width
        ax.legend(loc="upper left", bbox_to_anchor=(-0.2, -0.27), frameon=False, labelcolor=INK, fontsize=NOTE_SIZE)
    else:
        ax.legend(loc="lower right", frameon=False, labelcolor=INK, fontsize=NOTE_SIZE)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py
