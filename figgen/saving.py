"""Save a drawn figure in the format its site path names, the same bytes from one run to the next.

PNG for plots and diagrams, SVG where a diagram's vectors are smaller than its pixels, JPEG or
WebP for photographs. Raster formats are saved at `pixel_ratio` pixels per CSS pixel (hi-DPI
screens); the recorded width and height are in saved pixels, as for a PNG.
"""

from __future__ import annotations

import re
from pathlib import Path

from figgen.atomic import atomic_path

# No "Software" or date entry: the same inputs give the same bytes.
_METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}}
_PHOTO_QUALITY = 85


def save_figure(figure, target: Path, image_format: str, display_dpi: int, pixel_ratio: int,
                background: str = "white") -> tuple[int, int]:
    """Write `figure` to `target` (through a temporary file: the last good image survives a failure).

    `background`: white, whatever the drawing set, except for a dark rendering ("auto": the
    figure's own face colour, which a dark drawing sets).

    Returns its (width, height) in saved pixels: CSS pixels times the pixel ratio.
    """
    options = {"dpi": display_dpi * pixel_ratio, "bbox_inches": "tight", "pad_inches": 0.08, "facecolor": background}
    if image_format in _METADATA:
        options["metadata"] = _METADATA[image_format]
    if image_format in ("jpeg", "webp"):
        options["pil_kwargs"] = {"quality": _PHOTO_QUALITY}
    if image_format == "svg":
        import matplotlib

        matplotlib.rcParams["svg.hashsalt"] = "figgen"  # stable element ids
    with atomic_path(target) as temporary:
        figure.savefig(temporary, format=image_format, **options)
    return image_size(target, image_format, display_dpi, pixel_ratio)


def image_size(path: Path, image_format: str, display_dpi: int = 100, pixel_ratio: int = 2) -> tuple[int, int]:
    if image_format == "png":
        with open(path, "rb") as handle:
            header = handle.read(24)
        return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
    if image_format == "svg":  # matplotlib writes the size in points, 72 to the inch
        head = path.read_text(encoding="utf-8")[:2000]
        width, height = (float(re.search(fr'{key}="([\d.]+)pt"', head)[1]) for key in ("width", "height"))
        scale = display_dpi * pixel_ratio / 72
        return round(width * scale), round(height * scale)
    from PIL import Image  # matplotlib depends on Pillow: always there where figures are drawn

    with Image.open(path) as image:
        return image.size
