"""Ten test digits (one of each) above what the autoencoder rebuilds from their 2-number codes."""

from __future__ import annotations

import torch

from course.draw.dark import for_rendering
from course.draw.french import decimal
from course.draw.style import INK, LABEL_SIZE, figure_width, is_narrow, new_figure
from course.figures._results import bare, caption, first_of_each_class, test_digits


def draw(ctx):
    trained = ctx.model("autoencoder")
    images, labels = test_digits()
    chosen = first_of_each_class(labels)
    originals = torch.tensor(images[chosen]).flatten(1)  # (10, 64)
    with torch.no_grad():
        codes = trained.module.encode(originals)
        rebuilt = trained.module.decode(codes).view(-1, 8, 8).numpy()

    rows = [(images[chosen], "Originaux"), (rebuilt, f"Reconstruits\n(code de {codes.shape[1]}\nnombres)")]
    narrow = is_narrow(ctx)  # a phone's rendering: digits 0-4, then 5-9, each above its reconstruction
    blocks = 2 if narrow else 1
    columns = len(chosen) // blocks
    figure = new_figure(figure_width(ctx), 4.1 if narrow else 2.6)
    grid = figure.add_gridspec(3 * blocks - 1, columns + 1, width_ratios=[1.9 if narrow else 1.6] + [1] * columns,
                               height_ratios=[1, 1, 0.25, 1, 1][: 3 * blocks - 1], wspace=0.08, hspace=0.08,
                               left=0.0, right=1.0, top=0.98 if narrow else 0.97, bottom=0.16 if narrow else 0.24)
    for block in range(blocks):
        for row, (pictures, title) in enumerate(rows):
            label = figure.add_subplot(grid[3 * block + row, 0])
            label.set_axis_off()
            label.text(0.0, 0.5, title, fontsize=LABEL_SIZE, color=INK, va="center")
            for column, picture in enumerate(pictures[block * columns : (block + 1) * columns]):
                ax = figure.add_subplot(grid[3 * block + row, column + 1])
                ax.imshow(picture, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
                bare(ax)
    caption(figure, f"Chaque image de 64 pixels passe par un code de {codes.shape[1]} nombres puis est "
                f"reconstruite. Erreur quadratique moyenne sur tout le test : {decimal(trained.metrics['test_mse'], 4)}.",
            characters=46 if narrow else 100)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py
