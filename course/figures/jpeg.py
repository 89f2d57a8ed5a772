"""The same photograph at several JPEG qualities: real Pillow encodings, their measured sizes."""

from __future__ import annotations

from dataclasses import dataclass

import io

import numpy as np

from course.data.photo import grace_hopper
from course.draw.canvas import panel
from course.draw.dark import for_rendering
from course.draw.french import NBSP, decimal, kilobytes
from course.draw.style import INK, LABEL_SIZE, NARROW_WIDTH, NOTE_SIZE, PAGE_WIDTH, PALETTE, is_narrow, new_figure


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
    if is_narrow(ctx):  # a phone's rendering: one version a row, its name and size beside it
        return for_rendering(_draw_narrow(versions, raw_size, photo, (left, top, side)), ctx.rendering)

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
        full.text(0.5, -0.04, _size(size, raw_size, column), transform=full.transAxes,
                  ha="center", va="top", fontsize=LABEL_SIZE, color=INK, fontweight="bold")
        _zoom(panel(figure, x, 0.1, width, width), pixels, left, top, side)
    figure.text(0.0, 0.1 + width + 0.06 / height, "Détail agrandi (encadré) : plus la qualité baisse, plus les blocs de "
                "8×8 pixels se voient et les couleurs bavent", fontsize=NOTE_SIZE, color=INK, ha="left", va="bottom",
                transform=figure.dpi_scale_trans)
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py


def _draw_narrow(versions, raw_size: int, photo, crop):
    """For a phone: a row per version, its name and measured size, the photo, the enlarged detail."""
    left, top, side = crop
    width = 0.9
    photo_height = width * photo.height / photo.width
    text_width = NARROW_WIDTH - width - photo_height - 0.2
    row = photo_height + 0.12
    header, note = 0.3, 0.62
    height = note + row * len(versions) + header
    figure = new_figure(NARROW_WIDTH, height)
    for x, name in ((text_width + 0.1 + width / 2, "Photo"), (NARROW_WIDTH - photo_height / 2, "Détail agrandi")):
        figure.text(x, height - header + 0.06, name, ha="center", va="bottom", fontsize=NOTE_SIZE, color=INK,
                    transform=figure.dpi_scale_trans)
    for index, (pixels, size, title) in enumerate(versions):
        y = height - header - (index + 1) * row + 0.06
        full = panel(figure, text_width + 0.1, y, width, photo_height)
        full.imshow(pixels, interpolation="lanczos")
        full.add_patch(_frame(left, top, side))
        full.set_axis_off()
        _zoom(panel(figure, NARROW_WIDTH - photo_height, y, photo_height, photo_height), pixels, left, top, side)
        middle = y + photo_height / 2
        figure.text(0.03, middle + 0.03, title.replace(" (", "\n("), ha="left", va="bottom", fontsize=NOTE_SIZE,
                    color=INK, transform=figure.dpi_scale_trans, linespacing=1.1)
        figure.text(0.03, middle - 0.03, _size(size, raw_size, index), ha="left", va="top", fontsize=LABEL_SIZE,
                    color=INK, fontweight="bold", transform=figure.dpi_scale_trans)
    figure.text(0.03, 0.02, "Plus la qualité baisse, plus les blocs\nde 8×8 pixels se voient et les couleurs\nbavent "
                "(détail agrandi, encadré).", fontsize=NOTE_SIZE, color=INK, ha="left", va="bottom",
                transform=figure.dpi_scale_trans)
    return figure


def _size(size: int, raw_size: int, column: int) -> str:
    """The measured size in ko, and how many times smaller than the raw pixels (but the original's)."""
    ratio = "" if column == 0 else f" (÷{NBSP}{decimal(raw_size / size, 0)})"
    return kilobytes(size, 0 if size >= 100_000 else 1) + ratio


def _zoom(ax, pixels, left: int, top: int, side: int) -> None:
    """The enlarged detail, framed in the colour of its frame on the photo."""
    ax.imshow(pixels[top : top + side, left : left + side], interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color(PALETTE["output"])
        spine.set_linewidth(1.5)


def _frame(left: int, top: int, side: int):
    from matplotlib.patches import Rectangle

    return Rectangle((left - 0.5, top - 0.5), side, side, fill=False, edgecolor=PALETTE["output"], linewidth=1.5)
