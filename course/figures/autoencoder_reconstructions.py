"""Ten test digits (one of each) above what the autoencoder rebuilds from their 2-number codes."""

from __future__ import annotations

import torch

from course.draw.dark import for_rendering
from course.draw.french import decimal
from course.draw.style import INK, LABEL_SIZE, PAGE_WIDTH, new_figure
from course.figures._results import bare, caption, first_of_each_class, test_digits


def draw(ctx):
    trained = ctx.model("autoencoder")
    images, labels = test_digits()
    chosen = first_of_each_class(labels)
    originals = torch.tensor(images[chosen]).flatten(1)  # (10, 64)
    # figgen-show: Le passage par le goulot : encoder chaque image, puis la reconstruire à partir de son code
    with torch.no_grad():
        codes = trained.module.encode(originals)
        rebuilt = trained.module.decode(codes).view(-1, 8, 8).numpy()

    columns = len(chosen)
    figure = new_figure(PAGE_WIDTH, 2.6)
    grid = figure.add_gridspec(2, columns + 1, width_ratios=[1.6] + [1] * columns, wspace=0.08, hspace=0.08,
                               left=0.0, right=1.0, top=0.97, bottom=0.24)
    for row, (pictures, title) in enumerate(((images[chosen], "Originaux"),
                                             (rebuilt, f"Reconstruits\n(code de {codes.shape[1]}\nnombres)"))):
        label = figure.add_subplot(grid[row, 0])
        label.set_axis_off()
        label.text(0.0, 0.5, title, fontsize=LABEL_SIZE, color=INK, va="center")
        for column, picture in enumerate(pictures):
            ax = figure.add_subplot(grid[row, column + 1])
            ax.imshow(picture, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
            bare(ax)
    caption(figure, f"Chaque image de 64 pixels passe par un code de {codes.shape[1]} nombres puis est "
                f"reconstruite. Erreur quadratique moyenne sur tout le test : {decimal(trained.metrics['test_mse'], 4)}.")
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py
