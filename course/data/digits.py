"""The 8x8 handwritten digits of scikit-learn (1,797 images, shipped with the library).

One fixed, stratified 80/20 train/test split, pixels scaled from 0..16 to [0, 1], so every
model of the course is trained and tested on exactly the same images.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

SPLIT_SEED = 0  # the split never changes with a model's seed: test scores stay comparable
TEST_FRACTION = 0.2


@dataclass(frozen=True)
class Digits:
    train_images: np.ndarray  # (N, 8, 8) float32 in [0, 1]
    train_labels: np.ndarray  # (N,) int64 in 0..9
    test_images: np.ndarray
    test_labels: np.ndarray


@lru_cache(maxsize=1)
def load_split() -> Digits:
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    data = load_digits()
    images = (data.images / 16.0).astype(np.float32)
    labels = data.target.astype(np.int64)
    train_x, test_x, train_y, test_y = train_test_split(
        images, labels, test_size=TEST_FRACTION, stratify=labels, random_state=SPLIT_SEED
    )
    for array in (train_x, test_x, train_y, test_y):
        array.setflags(write=False)  # shared by every caller: keep it intact
    return Digits(train_x, train_y, test_x, test_y)
