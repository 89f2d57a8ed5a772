"""The CNN's accuracy on the training and test images after each epoch."""

from __future__ import annotations

from course.draw.dark import for_rendering
from course.draw.french import percent
from course.draw.style import COMPARE, INK, NOTE_SIZE, figure_width, is_narrow, new_figure
from course.figures._results import french_axis, plot_axes


def report_facts(ctx, history) -> None:
    """What the alt text says of the curves, measured on them."""
    train, test = history["train_accuracy"], history["test_accuracy"]
    ctx.fact("epochs", len(history["epoch"]))
    ctx.fact("first_accuracy", min(train[0], test[0]))
    above = [epoch for epoch, a, b in zip(history["epoch"], train, test) if min(a, b) >= 0.9]
    ctx.fact("epochs_to_90", int(above[0]) if above else len(history["epoch"]))
    ctx.fact("final_test_accuracy", test[-1])
    ctx.fact("final_train_accuracy", train[-1])


def draw(ctx):
    history = ctx.model("cnn").history
    epochs = history["epoch"]
    narrow = is_narrow(ctx)  # a phone's rendering: narrower, the same text sizes
    figure = new_figure(figure_width(ctx), 3.6)
    ax = plot_axes(figure, (0.22, 0.2, 0.74, 0.76) if narrow else (0.1, 0.14, 0.86, 0.78))
    # figgen-show: Le tracé : l'exactitude mesurée après chaque époque, sur les images d'entraînement et de test
    ax.plot(epochs, history["train_accuracy"], "o-", color=COMPARE["first"], markersize=4, label="Images d'entraînement")
    ax.plot(epochs, history["test_accuracy"], "s-", color=COMPARE["second"], markersize=4, label="Images de test (jamais vues)")
    final = history["test_accuracy"][-1]
    report_facts(ctx, history)
    ax.annotate(f"test : {percent(100 * final)}", (epochs[-1], final), xytext=(-6, -18), textcoords="offset points",
                ha="right", fontsize=NOTE_SIZE, color=COMPARE["second"])
    ax.set_xlabel("Époque (un passage sur toutes\nles images d'entraînement)" if narrow
                  else "Époque (un passage sur toutes les images d'entraînement)")
    ax.set_ylabel("Exactitude")
    ax.set_xlim(0.5, epochs[-1] + 0.5)
    ax.set_xticks(range(0, epochs[-1] + 1, max(1, len(epochs) // 10)))
    low = min(min(history["train_accuracy"]), min(history["test_accuracy"]))
    ax.set_ylim(max(0.0, low - 0.03), 1.005)
    french_axis(ax.yaxis, scale=100, suffix="\u00a0%")
    ax.legend(loc="lower right", frameon=False, labelcolor=INK)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py
