"""Save a figure as a PNG that is byte-identical from one run to the next."""

from __future__ import annotations

from pathlib import Path

from figgen.atomic import atomic_path
from figgen.draw.style import DISPLAY_DPI, PIXEL_RATIO


def save_png(figure, target: Path) -> None:
    # No "Software" or date chunk: the same inputs give the same bytes. Written to a
    # temporary file and renamed, so the previous good image survives any failure.
    with atomic_path(target) as temporary:
        figure.savefig(
            temporary,
            format="png",
            dpi=DISPLAY_DPI * PIXEL_RATIO,
            metadata={"Software": None},
            bbox_inches="tight",
            pad_inches=0.08,
            facecolor="white",
        )


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) in pixels, read from the PNG header."""
    with open(path, "rb") as handle:
        header = handle.read(24)
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
