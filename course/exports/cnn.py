"""The CNN for the page's drawing lab: 64 pixels of ink in, the ten digits' probabilities out."""

from __future__ import annotations

import torch
from torch import nn

from course.data.digits import load_split
from figgen.export import Export

GRID = 8


class DrawnDigit(nn.Module):
    """A drawn 8x8 grid, ink 0..1 row-major, as the CNN reads it; softmax over its scores.

    The digits were trained at the scale the page draws (0 blank paper, 1 full ink: scikit-learn's
    0..16 divided by 16), so the grid is only reshaped.
    """

    def __init__(self, cnn: nn.Module):
        super().__init__()
        self.cnn = cnn

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        images = pixels.clamp(0, 1).reshape(-1, 1, GRID, GRID)  # (1, 64) -> (1, 1, 8, 8)
        return torch.softmax(self.cnn(images), dim=1)  # (1, 10) probabilities


def export(trained) -> Export:
    data = load_split()
    test = torch.tensor(data.test_images).reshape(-1, GRID * GRID)
    labels = data.test_labels.tolist()
    # a clear 4 and a clear 9 of the test set, a blank page, and the 4 with its top closed
    # by a stroke: the shape where the network hesitates between 4 and 9
    four, nine = test[labels.index(4)], test[labels.index(9)]
    closed_four = four.reshape(GRID, GRID).clone()
    closed_four[1, 2:6] = 1.0
    references = [four, nine, torch.zeros(GRID * GRID), closed_four.reshape(-1)]
    return Export(
        module=DrawnDigit(trained.module),
        inputs={"pixels": four.unsqueeze(0)},
        outputs=("probabilities",),
        references=tuple({"pixels": image.unsqueeze(0)} for image in references),
        meta={"labels": [str(digit) for digit in range(10)], "grid": [GRID, GRID]},
    )
