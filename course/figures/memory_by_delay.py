"""Recall accuracy against the delay T, for the plain RNN and the LSTM, with chance level."""

from __future__ import annotations

from course.draw.dark import for_rendering
from course.draw.french import percent
from course.draw.style import COMPARE, INK, NOTE_SIZE, PALETTE, figure_width, is_narrow, new_figure
from course.figures._results import french_axis, plot_axes

NAMES = {"rnn": "RNN simple", "lstm": "LSTM"}


def draw(ctx):
    narrow = is_narrow(ctx)  # a phone's rendering: narrower, the same text sizes
    figure = new_figure(figure_width(ctx), 3.8 if narrow else 3.6)
    ax = plot_axes(figure, (0.22, 0.24, 0.74, 0.72) if narrow else (0.1, 0.14, 0.86, 0.78))
    chance = None
    # figgen-show: Le tracé : l'exactitude de chaque réseau pour chaque délai, mesurée sur des séquences jamais vues
    for name, colour, marker in (("rnn", COMPARE["first"], "o"), ("lstm", COMPARE["second"], "s")):
        trained = ctx.model(name)
        delays = trained.history["delays"]
        accuracy = [trained.history["accuracy_by_delay"][str(delay)] for delay in delays]
        ax.plot(delays, accuracy, marker + "-", color=colour, markersize=6, linewidth=2, label=NAMES[name])
        chance = trained.history["chance"]
        perfect = [delay for delay, value in zip(delays, accuracy) if value >= 0.995]
        ctx.fact(f"{name}_perfect_up_to", max(perfect) if perfect else 0)
        ctx.fact(f"{name}_lowest", min(accuracy))
    ctx.fact("delays", ", ".join(str(d) for d in delays[:-1]) + f" et {delays[-1]}")
    ctx.fact("chance_one_in", round(1 / chance))
    ax.axhline(chance, color=PALETTE["neutral"], linestyle="--", linewidth=1.2)
    ax.text(delays[0], chance + 0.02, f"hasard : 1 chance sur {round(1 / chance)} ({percent(100 * chance)})",
            fontsize=NOTE_SIZE, color=PALETTE["neutral"], va="bottom")
    ax.set_xscale("log")
    ax.set_xticks(delays)
    ax.set_xticklabels([str(delay) for delay in delays])
    ax.minorticks_off()
    ax.set_xlabel("Délai T : symboles parasites entre\nle symbole à retenir et la question" if narrow
                  else "Délai T : nombre de symboles parasites entre le symbole à retenir et la question")
    ax.set_ylabel("Exactitude sur le test")
    ax.set_ylim(0, 1.05)
    french_axis(ax.yaxis, scale=100, suffix="\u00a0%")
    ax.legend(loc="center left", frameon=False, labelcolor=INK)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py
