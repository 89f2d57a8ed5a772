"""The CNN's confusion matrix on the test set: which digit is taken for which."""

from __future__ import annotations

import numpy as np

from course.draw.dark import for_rendering
from course.draw.french import percent
from course.draw.style import INK, NOTE_SIZE, PALETTE, figure_width, is_narrow, new_figure


def report_facts(ctx, confusion) -> int:
    """Counts the alt text quotes: test images, errors, the range of the diagonal, the worst mix-up."""
    errors = int(confusion.sum() - np.trace(confusion))
    ctx.fact("test_images", int(confusion.sum()))
    ctx.fact("errors", errors)
    ctx.fact("correct_min", int(np.diag(confusion).min()))
    ctx.fact("correct_max", int(np.diag(confusion).max()))
    off = confusion - np.diag(np.diag(confusion))
    true, predicted = np.unravel_index(int(np.argmax(off)), off.shape)
    ctx.fact("worst_true", int(true))
    ctx.fact("worst_predicted", int(predicted))
    ctx.fact("worst_count", int(off[true, predicted]))
    return errors


def draw(ctx):
    trained = ctx.model("cnn")
    confusion = np.asarray(trained.history["confusion"])
    classes = len(confusion)
    narrow = is_narrow(ctx)  # a phone's rendering: narrower, the same text sizes
    figure = new_figure(figure_width(ctx, 5.4), 4.4 if narrow else 5.0)
    ax = figure.add_axes((0.16, 0.14, 0.8, 0.74) if narrow else (0.14, 0.12, 0.8, 0.8))
    # figgen-show: Le tracé : une case par couple (vrai chiffre, chiffre prédit), avec le nombre d'images de test qui y tombent
    ax.imshow(confusion, cmap="Blues", vmin=0, vmax=confusion.max() * 1.15)
    for true in range(classes):
        for predicted in range(classes):
            count = confusion[true, predicted]
            if count == 0:
                continue
            on_diagonal = true == predicted
            ax.text(predicted, true, str(count), ha="center", va="center", fontsize=NOTE_SIZE,
                    color="white" if on_diagonal else PALETTE["output"], fontweight="normal" if on_diagonal else "bold")
    ax.set_xticks(range(classes))
    ax.set_yticks(range(classes))
    ax.set_xlabel("Chiffre prédit par le réseau")
    ax.set_ylabel("Vrai chiffre")
    ax.xaxis.set_label_position("top")
    ax.xaxis.tick_top()
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(length=0, colors=INK)
    errors = report_facts(ctx, confusion)
    accuracy = np.trace(confusion) / confusion.sum()
    ax.set_title(f"{confusion.sum()} images de test : {errors} erreurs (hors diagonale, en orange),"
                 f"{chr(10) if narrow else ' '}exactitude {percent(100 * accuracy)}", y=-0.17 if narrow else -0.1, fontsize=NOTE_SIZE, color=INK)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py
