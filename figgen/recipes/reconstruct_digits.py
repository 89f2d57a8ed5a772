"""Train an autoencoder to rebuild the 8x8 digits from their compressed code.

The loss is the mean squared error between each image and its reconstruction; no label is used.
The test error says how much of a digit survives the squeeze through the bottleneck.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from figgen.data.digits import load_split
from figgen.training.run import TrainingResult


@dataclass
class Hyperparameters:
    epochs: int = 120
    batch_size: int = 64
    learning_rate: float = 0.01


@torch.no_grad()
def mean_squared_error(model: nn.Module, images: torch.Tensor) -> float:
    model.eval()
    error = nn.functional.mse_loss(model(images), images).item()
    model.train()
    return error


def train(run) -> TrainingResult:
    hp = run.hyperparameters(Hyperparameters)
    data = load_split()
    x_train = torch.tensor(data.train_images).flatten(1).to(run.device)  # (N, 8, 8) -> (N, 64)
    x_test = torch.tensor(data.test_images).flatten(1).to(run.device)

    model = run.build_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=hp.learning_rate)
    shuffle = torch.Generator().manual_seed(run.seed)
    history = {"epoch": [], "train_mse": [], "test_mse": []}

    for epoch in range(1, hp.epochs + 1):
        order = torch.randperm(len(x_train), generator=shuffle).to(run.device)
        total = 0.0
        for start in range(0, len(order), hp.batch_size):
            batch = x_train[order[start : start + hp.batch_size]]
            loss = nn.functional.mse_loss(model(batch), batch)  # the image is its own target
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        history["epoch"].append(epoch)
        history["train_mse"].append(total / len(order))
        history["test_mse"].append(mean_squared_error(model, x_test))
        run.progress(epoch, hp.epochs, total / len(order))

    model.eval()
    metrics = {"test_mse": history["test_mse"][-1], "train_mse": history["train_mse"][-1]}
    return TrainingResult(model=model, metrics=metrics, history=history)
