"""The autoencoder's decoder for the page's latent-plane lab: a 2-number code in, an 8x8 image out."""

from __future__ import annotations

import torch
from torch import nn

from course.data.digits import load_split
from figgen.export import Export

GRID = 8
MARGIN = 0.05  # matplotlib's default margins: the window the latent-space figure shows


class Decoder(nn.Module):
    def __init__(self, autoencoder: nn.Module):
        super().__init__()
        self.autoencoder = autoencoder

    def forward(self, code: torch.Tensor) -> torch.Tensor:
        return self.autoencoder.decode(code)  # (1, 2) -> (1, 64) pixels, ink 0..1 (a sigmoid)


def export(trained) -> Export:
    data = load_split()
    with torch.no_grad():
        codes = trained.module.encode(torch.tensor(data.test_images).flatten(1))  # (N, 2)
    labels = torch.tensor(data.test_labels)
    low, high = codes.min(dim=0).values, codes.max(dim=0).values
    pad = (high - low) * MARGIN
    centres = {str(digit): codes[labels == digit].mean(dim=0) for digit in range(10)}
    # the code of a real 1 of the test set, the mean codes of the 1s and of the 7s (the morph
    # the page invites), and the middle of the window
    one = codes[labels.tolist().index(1)]
    references = [one, centres["1"], centres["7"], (low + high) / 2]
    return Export(
        module=Decoder(trained.module),
        inputs={"code": one.unsqueeze(0)},
        outputs=("pixels",),
        references=tuple({"code": code.unsqueeze(0)} for code in references),
        meta={"grid": [GRID, GRID],
              "latent_range": [[float(low[0] - pad[0]), float(high[0] + pad[0])],
                               [float(low[1] - pad[1]), float(high[1] + pad[1])]],
              "centres": {digit: [float(v) for v in centre] for digit, centre in centres.items()}},
    )
