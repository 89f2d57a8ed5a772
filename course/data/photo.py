"""A real photograph: Grace Hopper's portrait, bundled with matplotlib (no download)."""

from __future__ import annotations

import numpy as np

SAMPLE = "grace_hopper.jpg"


def grace_hopper(gray: bool = True, size: tuple[int, int] | None = None):
    """The portrait as a PIL image: grayscale ("L") or RGB, optionally resized to (width, height)."""
    from matplotlib import cbook
    from PIL import Image

    with cbook.get_sample_data(SAMPLE) as handle:
        image = Image.open(handle)
        image.load()
    image = image.convert("L" if gray else "RGB")
    if size is not None:
        image = image.resize(size, Image.Resampling.LANCZOS)
    return image


def grace_hopper_array(gray: bool = True, size: tuple[int, int] | None = None) -> np.ndarray:
    """The portrait as floats in [0, 1]: (H, W) in grayscale, (H, W, 3) in colour."""
    return np.asarray(grace_hopper(gray, size), dtype=np.float32) / 255.0
