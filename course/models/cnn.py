"""A small convolutional network for the 8x8 digits.

Two convolutions slide small learned filters over the image (each detects a local pattern such as
an edge or a curve), max pooling halves the resolution, and two linear layers turn the final
feature maps into one score per class.
"""

import torch
from torch import nn


class SmallCNN(nn.Module):
    def __init__(
        self,
        channels: list[int] = (8, 16),
        kernel_size: int = 3,
        hidden: int = 64,
        classes: int = 10,
        image_size: int = 8,
        in_channels: int = 1,
    ):
        super().__init__()
        c1, c2 = channels
        padding = kernel_size // 2  # "same" padding: a convolution keeps the image size
        # figgen-show: Les couches : deux convolutions (de petits filtres, ReLU, un max pooling divise la taille par deux), puis le classifieur
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, c1, kernel_size, padding=padding),  # (B, 1, 8, 8) -> (B, c1, 8, 8)
            nn.ReLU(),
            nn.MaxPool2d(2),  # (B, c1, 8, 8) -> (B, c1, 4, 4)
            nn.Conv2d(c1, c2, kernel_size, padding=padding),  # (B, c1, 4, 4) -> (B, c2, 4, 4)
            nn.ReLU(),
            nn.MaxPool2d(2),  # (B, c2, 4, 4) -> (B, c2, 2, 2)
        )
        side = image_size // 4  # two poolings of 2
        self.classifier = nn.Sequential(
            nn.Flatten(),  # (B, c2, 2, 2) -> (B, c2 * 4)
            nn.Linear(c2 * side * side, hidden),  # (B, c2 * 4) -> (B, hidden)
            nn.ReLU(),
            nn.Linear(hidden, classes),  # (B, hidden) -> (B, classes)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (B, 1, 8, 8) images -> (B, classes) logits."""
        # figgen-show: La passe avant : les convolutions extraient les motifs, le classifieur donne un score par chiffre
        return self.classifier(self.features(x))
