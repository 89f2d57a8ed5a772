"""The first convolution's filters before and after training, side by side, on one colour scale.

"Before" is the very network the training started from (same seed, untrained). A filter that
hardly changed is framed: its ReLU output stayed at 0, so it never received a gradient ("dead").
"""

from __future__ import annotations

import numpy as np

from course.draw.dark import for_rendering
from course.draw.style import INK, PALETTE, TITLE_SIZE, figure_width, is_narrow, new_figure
from course.figures._results import bare, caption

UNCHANGED = 0.1  # a filter that moved by less than 10 % of its initial size is called unchanged


def filters_of(model) -> np.ndarray:
    """(count, k, k) weights of the first convolution (single input channel)."""
    return model.features[0].weight.detach().cpu().numpy()[:, 0]


def draw(ctx):
    before = filters_of(ctx.architecture("cnn"))
    after = filters_of(ctx.model("cnn").module)
    change = np.linalg.norm(after - before, axis=(1, 2)) / np.linalg.norm(before, axis=(1, 2))
    unchanged = change < UNCHANGED
    count, size, _ = after.shape
    ctx.fact("filters", int(count))
    ctx.fact("kernel", f"{size}×{size}")
    columns = int(np.ceil(np.sqrt(count)))
    rows = int(np.ceil(count / columns))
    ctx.fact("grid", f"{rows}×{columns}")
    limit = max(np.abs(before).max(), np.abs(after).max())  # one scale for both: sizes compare

    narrow = is_narrow(ctx)  # a phone's rendering: the same two grids, titles and note wrapped narrower
    figure = new_figure(figure_width(ctx), 2.9 if narrow else 3.9)
    grids = figure.subfigures(1, 2, wspace=0.08)
    cut = "\n" if narrow else " "
    for grid, weights, title in ((grids[0], before, f"Avant{cut}l'entraînement\n(poids aléatoires)"),
                                 (grids[1], after, f"Après{cut}l'entraînement\n")):
        room = {"top": 0.75, "bottom": 0.02} if narrow else {}  # a phone's titles take three lines
        axes = grid.subplots(rows, columns, gridspec_kw={"wspace": 0.12, "hspace": 0.12, **room})
        for index, ax in enumerate(axes.flat):
            bare(ax)
            if index >= count:
                continue
            ax.imshow(weights[index], cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
            if unchanged[index]:
                for spine in ax.spines.values():
                    spine.set_visible(True)
                    spine.set(color=PALETTE["neutral"], linewidth=2, linestyle="--")
        grid.suptitle(title, fontsize=TITLE_SIZE, color=INK)
    note = (f"Les {count} filtres {size}×{size} de la première couche de convolution, sur la même échelle de couleurs "
            "(rouge : poids positif, bleu : négatif, blanc : nul). L'entraînement renforce et réorganise les poids "
            "aléatoires de départ en motifs de traits et de contrastes.")
    if unchanged.any():
        dead = int(unchanged.sum())
        ctx.fact("dead", dead)
        note += (f"\nEncadré{'s' if dead > 1 else ''} en pointillés : {dead} filtre{'s' if dead > 1 else ''} "
                 f"resté{'s' if dead > 1 else ''} presque inchangé{'s' if dead > 1 else ''} (« mort » : sa sortie "
                 "après ReLU est toujours nulle, il ne reçoit aucun gradient).")
    caption(figure, note, x=0.0, y=-0.02, va="top", characters=46 if narrow else 100)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py
