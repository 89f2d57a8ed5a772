"""An autoencoder: squeeze each 8x8 digit through a 2-number bottleneck, then rebuild it.

The encoder must keep only what matters to reconstruct the image, so the latent code becomes a
compact description of the digit; the decoder mirrors the encoder and ends with a sigmoid because
pixels lie in [0, 1].
"""

import torch
from torch import nn


class Autoencoder(nn.Module):
    def __init__(self, input_size: int = 64, hidden: list[int] = (32, 16), latent: int = 2):
        super().__init__()
        sizes = [input_size, *hidden, latent]  # e.g. 64 -> 32 -> 16 -> 2
        encoder, decoder = [], []
        for a, b in zip(sizes[:-1], sizes[1:]):
            encoder += [nn.Linear(a, b), nn.ReLU()]
        reversed_sizes = sizes[::-1]  # 2 -> 16 -> 32 -> 64
        for a, b in zip(reversed_sizes[:-1], reversed_sizes[1:]):
            decoder += [nn.Linear(a, b), nn.ReLU()]
        self.encoder = nn.Sequential(*encoder[:-1])  # no activation on the code itself
        self.decoder = nn.Sequential(*decoder[:-1], nn.Sigmoid())  # pixels in [0, 1]

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """x: (B, 64) flattened images -> (B, latent) codes."""
        return self.encoder(x)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """z: (B, latent) codes -> (B, 64) reconstructed images."""
        return self.decoder(z)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # figgen-show: La passe avant : encoder l'image en 2 nombres, puis la reconstruire à partir d'eux
        return self.decode(self.encode(x))
