"""The bottleneck idea with the trained autoencoder: 64 pixels → 2 numbers → 64 pixels.

A real test digit goes through the real network: its code (two numbers) and its
reconstruction are what the trained model computes; below, more test digits and their
reconstructions. The layer sizes written on the funnel are traced from the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course.data.digits import load_split
from course.draw.blocks import box, darker, lighter
from course.draw.canvas import diagram
from course.draw.dark import for_rendering
from course.draw.french import decimal
from course.draw.images import thumbnail
from course.draw.style import INK, LABEL_SIZE, LINE_WIDTH, NOTE_SIZE, PAGE_WIDTH, PALETTE
from course.draw.tracing import dense_chain


def examples(labels: np.ndarray, digits: list[int], rank: int = 0) -> list[int]:
    """The index of the rank-th (0: first) test image of each digit asked for."""
    return [int(np.flatnonzero(labels == digit)[rank]) for digit in digits]


def run_autoencoder(model, images: np.ndarray):
    """(codes (N, latent), reconstructions (N, H, W)) of (N, H, W) images, from the trained model."""
    import torch

    with torch.no_grad():
        flat = torch.tensor(images).reshape(len(images), -1)  # (N, H, W) -> (N, H*W), a copy
        codes = model.encode(flat)  # (N, H*W) -> (N, latent)
        rebuilt = model.decode(codes)  # (N, latent) -> (N, H*W)
    return codes.numpy(), rebuilt.reshape(images.shape).numpy()


def _trapezoid(ax, x0: float, x1: float, y: float, h0: float, h1: float, colour):
    from matplotlib.patches import Polygon

    ax.add_patch(Polygon([(x0, y - h0 / 2), (x1, y - h1 / 2), (x1, y + h1 / 2), (x0, y + h0 / 2)], closed=True,
                         facecolor=lighter(colour, 0.75), edgecolor=darker(colour, 0.1), linewidth=LINE_WIDTH,
                         zorder=1))


@dataclass(frozen=True)
class Params:
    """figgen.yaml's `params:` of this figure: the values are there, the types here."""

    featured: int  # the digit followed through the funnel
    digits: list[int]  # the strip of digits at its mouth
    rank: int = 1  # which test image of each digit the strip shows: not the first, which the
    # reconstructions figure (autoencoder_reconstructions.py) already shows


def draw(ctx):
    model = ctx.model("autoencoder").module
    data = load_split()
    strip_digits = ctx.params.digits
    featured = examples(data.test_labels, [ctx.params.featured])[0]
    chosen = examples(data.test_labels, strip_digits, ctx.params.rank)
    images = data.test_images[[featured, *chosen]]
    codes, rebuilt = run_autoencoder(model, images)
    height, width = images.shape[1:]
    sizes = [layer.size for layer in dense_chain(model, height * width)]
    code_at = min(range(len(sizes)), key=sizes.__getitem__)
    ctx.fact("side", f"{height}×{width}")
    ctx.fact("pixels", sizes[0])
    ctx.fact("latent", sizes[code_at])

    figure, ax = diagram(PAGE_WIDTH, 3.9)
    row, big = 2.75, 1.45  # the featured example's row and its images' side
    left_x, right_x = 0.05 + big / 2, PAGE_WIDTH - 0.05 - big / 2
    middle = PAGE_WIDTH / 2
    waist = 0.62  # the funnel's height at the code
    # the funnel: wide at the images, narrow at the code; its inner lines are the hidden layers
    spans = [(left_x + big / 2 + 0.1, middle - 0.45, big, waist), (middle + 0.45, right_x - big / 2 - 0.1, waist, big)]
    for (x0, x1, h0, h1), colour in zip(spans, (PALETTE["input"], PALETTE["output"])):
        _trapezoid(ax, x0, x1, row, h0, h1, colour)
    for index, size in enumerate(sizes):
        if index in (0, code_at, len(sizes) - 1):
            continue
        x0, x1, h0, h1 = spans[index > code_at]
        steps = code_at if index < code_at else len(sizes) - 1 - code_at
        fraction = (index if index < code_at else index - code_at) / steps
        x, h = x0 + fraction * (x1 - x0), h0 + fraction * (h1 - h0)
        ax.plot([x, x], [row - h / 2, row + h / 2], color=INK, linewidth=0.8, linestyle=(0, (2, 2)), zorder=2)
        ax.text(x, row - h / 2 - 0.05, str(size), ha="center", va="top", fontsize=NOTE_SIZE, color=INK)
    header = row + big / 2 + 0.06  # one row of titles over the five parts
    for (x0, x1, _, _), name, colour in zip(spans, ("Encodeur", "Décodeur"), (PALETTE["input"], PALETTE["output"])):
        ax.text((x0 + x1) / 2, header, name, ha="center", va="bottom", fontsize=LABEL_SIZE, fontweight="bold",
                color=darker(colour, 0.3))
    thumbnail(ax, images[0], (left_x, row), big)
    thumbnail(ax, rebuilt[0], (right_x, row), big)
    ax.text(left_x, header, "Entrée", ha="center", va="bottom", fontsize=LABEL_SIZE)
    ax.text(right_x, header, "Reconstruction", ha="center", va="bottom", fontsize=LABEL_SIZE)
    ax.text(left_x, row - big / 2 - 0.06, f"{height}×{width} = {sizes[0]} pixels", ha="center", va="top",
            fontsize=NOTE_SIZE)
    ax.text(right_x, row - big / 2 - 0.06, f"{sizes[-1]} pixels", ha="center", va="top", fontsize=NOTE_SIZE)

    # the code itself: the trained model's numbers for this image
    latent = sizes[code_at]
    cell = min(0.3, (waist + 0.4) / latent)
    for i, value in enumerate(codes[0]):
        y = row + (latent - 1) / 2 * cell - i * cell
        box(ax, (middle, y), 0.8, cell, PALETTE["latent"], decimal(float(value), 2), fontsize=NOTE_SIZE,
            rounding=0.03, zorder=3)
    ax.text(middle, header, "Code latent", ha="center", va="bottom", fontsize=LABEL_SIZE)
    ax.text(middle, row - latent / 2 * cell - 0.06, f"{latent} nombres", ha="center", va="top",
            fontsize=NOTE_SIZE)

    # more test digits: each input above its reconstruction
    small, pitch = 0.5, (PAGE_WIDTH - 1.0) / len(chosen)
    top_y, bottom_y = 1.05, 0.5
    ax.text(0.05, (top_y + bottom_y) / 2 + 0.55, "D'autres chiffres de test :", ha="left", va="bottom",
            fontsize=NOTE_SIZE, color=INK)
    ax.text(0.05, top_y, "entrée", ha="left", va="center", fontsize=NOTE_SIZE, color=PALETTE["neutral"])
    ax.text(0.05, bottom_y, "sortie", ha="left", va="center", fontsize=NOTE_SIZE, color=PALETTE["neutral"])
    for i in range(len(chosen)):
        x = 1.0 + pitch * (i + 0.5)
        thumbnail(ax, images[1 + i], (x, top_y), small)
        thumbnail(ax, rebuilt[1 + i], (x, bottom_y), small)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py
