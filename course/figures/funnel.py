"""The bottleneck idea with the trained autoencoder: 64 pixels → 2 numbers → 64 pixels.

A real test digit goes through the real network: its code (two numbers) and its
reconstruction are what the trained model computes; below, more test digits and their
reconstructions. The layer sizes written on the funnel are traced from the model. On a computer
the funnel lies left to right; on a phone (ctx.width "narrow") it stands top to bottom, its names
beside it, and the strip of digits takes two blocks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from course.data.digits import load_split
from course.draw.blocks import box, darker, lighter
from course.draw.canvas import diagram
from course.draw.dark import for_rendering
from course.draw.french import decimal
from course.draw.images import thumbnail
from course.draw.style import INK, LABEL_SIZE, LINE_WIDTH, NOTE_SIZE, PAGE_WIDTH, PALETTE, figure_width, is_narrow
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


def _trapezoid(ax, x0: float, x1: float, y: float, h0: float, h1: float, colour, upright: bool = False):
    """A funnel from x0 (h0 high) to x1 (h1 high) around y; `upright`: from y0 = x0 to y1 = x1
    around x = y, h0 and h1 wide."""
    from matplotlib.patches import Polygon

    corners = [(x0, y - h0 / 2), (x1, y - h1 / 2), (x1, y + h1 / 2), (x0, y + h0 / 2)]
    ax.add_patch(Polygon([(b, a) for a, b in corners] if upright else corners, closed=True,
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
    if is_narrow(ctx):
        return for_rendering(_upright(images, codes, rebuilt, sizes, code_at, figure_width(ctx)), ctx.rendering)

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


def _upright(images, codes, rebuilt, sizes: list[int], code_at: int, width: float):
    """A phone's funnel: top to bottom, each part named on its right; the strip in two blocks."""
    height, side = images.shape[1:]
    chosen = len(images) - 1
    per_block = math.ceil(chosen / 2)
    small, pitch, row = 0.5, 0.62, 0.56  # the strip's thumbnails, their spacing across and down
    strip_top = 0.3 + 3 * row + 0.12 + small / 2  # two blocks of two rows, a gap between them
    big, waist, drop = 0.95, 0.62, 0.8  # the featured images' side, the funnel's waist and length
    cx = 1.3  # the funnel's axis: its names on the right
    rebuilt_y = strip_top + 0.4 + big / 2
    decoder = (rebuilt_y + big / 2 + 0.1, rebuilt_y + big / 2 + 0.1 + drop)  # bottom (wide) to top (waist)
    latent = sizes[code_at]
    cell = min(0.56, (waist + 0.7) / latent)
    code_y = decoder[1] + 0.2
    encoder = (code_y + 0.2, code_y + 0.2 + drop)  # bottom (waist) to top (wide)
    input_y = encoder[1] + 0.1 + big / 2
    figure, ax = diagram(width, input_y + big / 2 + 0.05)

    name_x = cx + max(big, latent * cell) / 2 + 0.15

    def named(y, name: str, note: str = "", colour=INK, bold: bool = False):
        ax.text(name_x, y + (0.03 if note else 0.0), name, ha="left", va="bottom" if note else "center",
                fontsize=LABEL_SIZE, color=colour, fontweight="bold" if bold else "normal")
        if note:
            ax.text(name_x, y - 0.03, note, ha="left", va="top", fontsize=NOTE_SIZE, color=INK)

    thumbnail(ax, images[0], (cx, input_y), big)
    named(input_y, "Entrée", f"{height}×{side} = {sizes[0]} pixels")
    thumbnail(ax, rebuilt[0], (cx, rebuilt_y), big)
    named(rebuilt_y, "Reconstruction", f"{sizes[-1]} pixels")
    spans = [(encoder[1], encoder[0], big, waist), (decoder[1], decoder[0], waist, big)]  # top to bottom
    for (y0, y1, w0, w1), colour in zip(spans, (PALETTE["input"], PALETTE["output"])):
        _trapezoid(ax, y0, y1, cx, w0, w1, colour, upright=True)
    for index, size in enumerate(sizes):
        if index in (0, code_at, len(sizes) - 1):
            continue
        y0, y1, w0, w1 = spans[index > code_at]
        steps = code_at if index < code_at else len(sizes) - 1 - code_at
        fraction = (index if index < code_at else index - code_at) / steps
        y, w = y0 + fraction * (y1 - y0), w0 + fraction * (w1 - w0)
        ax.plot([cx - w / 2, cx + w / 2], [y, y], color=INK, linewidth=0.8, linestyle=(0, (2, 2)), zorder=2)
        ax.text(cx - w / 2 - 0.06, y, str(size), ha="right", va="center", fontsize=NOTE_SIZE, color=INK)
    for (y0, y1, _, _), name, colour in zip(spans, ("Encodeur", "Décodeur"), (PALETTE["input"], PALETTE["output"])):
        named((y0 + y1) / 2, name, colour=darker(colour, 0.3), bold=True)
    for i, value in enumerate(codes[0]):
        x = cx - (latent - 1) / 2 * cell + i * cell
        box(ax, (x, code_y), cell, 0.3, PALETTE["latent"], decimal(float(value), 2), fontsize=NOTE_SIZE,
            rounding=0.03, zorder=3)
    named(code_y, "Code latent", f"{latent} nombres")

    # more test digits, in two blocks: each input above its reconstruction
    ax.text(0.05, strip_top + 0.1, "D'autres chiffres de test :", ha="left", va="bottom", fontsize=NOTE_SIZE,
            color=INK)
    for i in range(chosen):
        block, column = divmod(i, per_block)
        x = width - 0.05 - small / 2 - (per_block - 1 - column) * pitch
        top_y = strip_top - small / 2 - block * (2 * row + 0.12)
        thumbnail(ax, images[1 + i], (x, top_y), small)
        thumbnail(ax, rebuilt[1 + i], (x, top_y - row), small)
        if column == 0:
            ax.text(0.05, top_y, "entrée", ha="left", va="center", fontsize=NOTE_SIZE, color=PALETTE["neutral"])
            ax.text(0.05, top_y - row, "sortie", ha="left", va="center", fontsize=NOTE_SIZE, color=PALETTE["neutral"])
    return figure
