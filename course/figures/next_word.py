"""What the language model expects after "bonjour comment ça": its most probable next words."""

from __future__ import annotations

from course.draw.dark import for_rendering
from course.draw.french import percent
from course.draw.style import INK, NOTE_SIZE, PALETTE, figure_width, is_narrow, new_figure
from course.figures._results import french_axis, plot_axes


def draw(ctx):
    history = ctx.model("lm").history
    words = list(history["top_words"])
    probabilities = [float(p) for p in history["top_probabilities"]]
    ctx.fact("shown", len(words))
    ctx.fact("runners_up", ", ".join(f"« {w} »" for w in words[1:4]) + f" et « {words[4]} »")
    ctx.fact("runner_up_probability", probabilities[1])
    narrow = is_narrow(ctx)  # a phone's rendering: narrower, the same text sizes
    figure = new_figure(figure_width(ctx), 4.2 if narrow else 3.6)
    ax = plot_axes(figure, (0.3, 0.16, 0.64, 0.68) if narrow else (0.16, 0.14, 0.8, 0.76))
    ax.grid(False, axis="y")
    rows = range(len(words))
    colours = [PALETTE["output"]] + [PALETTE["hidden"]] * (len(words) - 1)
    # figgen-show: Le tracé : une barre par mot candidat, de longueur sa probabilité selon le modèle
    ax.barh(rows, probabilities, color=colours, height=0.7)
    for row, probability in zip(rows, probabilities):
        text = percent(100 * probability) if probability >= 0.001 else "< " + percent(0.1)
        ax.text(probability + 0.01, row, text, va="center", fontsize=NOTE_SIZE, color=INK)
    ax.set_yticks(list(rows))
    ax.set_yticklabels([f"« {word} »" for word in words])
    ax.invert_yaxis()  # the most probable word on top
    ax.set_xlim(0, min(1.0, max(probabilities) + 0.12))
    french_axis(ax.xaxis, scale=100, suffix="\u00a0%")
    ax.set_xlabel("Probabilité du mot suivant,\nselon le modèle" if narrow else "Probabilité du mot suivant, selon le modèle")
    ax.set_title(f"« {history['prompt']} … » :{chr(10) if narrow else ' '}les {len(words)} mots suivants les plus probables",
                 fontsize=NOTE_SIZE + 1, color=INK, loc="left", **({"x": -0.42} if narrow else {}))
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py
