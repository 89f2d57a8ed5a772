"""The same photograph at several JPEG qualities: real Pillow encodings, their measured sizes."""

from __future__ import annotations

from dataclasses import dataclass

import io

import numpy as np

from course.data.photo import grace_hopper
from course.draw.canvas import panel
from course.draw.dark import for_rendering
from course.draw.french import NBSP, decimal, kilobytes
from course.draw.style import INK, LABEL_SIZE, NOTE_SIZE, PAGE_WIDTH, PALETTE, new_figure


def jpeg_round_trip(image, quality: int):
    """(the decoded image as an array, the size of the JPEG file in bytes) at this quality."""
    from PIL import Image

    encoded = io.BytesIO()
    image.save(encoded, format="JPEG", quality=quality)
    size = encoded.tell()
    encoded.seek(0)
    return np.asarray(Image.open(encoded).convert("RGB")), size


@dataclass(frozen=True)
class Params:
    """figgen.yaml's `params:` of this figure: the values are there, the types here."""

    qualities: list[int]  # JPEG qualities shown, from high to low
    crop: tuple[int, int, int]  # left, top, side of the enlarged detail, in pixels of the photo


def draw(ctx):
    qualities = ctx.params.qualities
    left, top, side = ctx.params.crop
    photo = grace_hopper(gray=False)
    raw_size = photo.width * photo.height * 3  # one byte per colour channel and pixel
    versions = [(np.asarray(photo), raw_size, "Original (non compressé)")]
    versions += [(*jpeg_round_trip(photo, quality), f"JPEG, qualité {quality}") for quality in qualities]

    columns = len(versions)
    gap = 0.12
    width = (PAGE_WIDTH - gap * (columns - 1)) / columns
    photo_height = width * photo.height / photo.width
    caption = 0.62  # room for the two caption lines under each photo
    height = 0.35 + photo_height + caption + width + 0.1
    figure = new_figure(PAGE_WIDTH, height)
    for column, (pixels, size, title) in enumerate(versions):
        x = column * (width + gap)
        full = panel(figure, x, height - 0.35 - photo_height, width, photo_height)
        full.imshow(pixels, interpolation="lanczos")
        full.add_patch(_frame(left, top, side))
        full.set_axis_off()
        full.set_title(title.replace(", ", ",\n") if column else "Original\n(non compressé)", fontsize=NOTE_SIZE,
                       color=INK, pad=3, linespacing=1.1)
        ratio = "" if column == 0 else f" (÷{NBSP}{decimal(raw_size / size, 0)})"
        full.text(0.5, -0.04, kilobytes(size, 0 if size >= 100_000 else 1) + ratio, transform=full.transAxes,
                  ha="center", va="top", fontsize=LABEL_SIZE, color=INK, fontweight="bold")
        zoom = panel(figure, x, 0.1, width, width)
        zoom.imshow(pixels[top : top + side, left : left + side], interpolation="nearest")
        zoom.set_xticks([])
        zoom.set_yticks([])
        for spine in zoom.spines.values():
            spine.set_visible(True)
            spine.set_color(PALETTE["output"])
            spine.set_linewidth(1.5)
    figure.text(0.0, 0.1 + width + 0.06 / height, "Détail agrandi (encadré) : plus la qualité baisse, plus les blocs de "
                "8×8 pixels se voient et les couleurs bavent", fontsize=NOTE_SIZE, color=INK, ha="left", va="bottom",
                transform=figure.dpi_scale_trans)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py


def _frame(left: int, top: int, side: int):
    from matplotlib.patches import Rectangle

    return Rectangle((left - 0.5, top - 0.5), side, side, fill=False, edgecolor=PALETTE["output"], linewidth=1.5)
