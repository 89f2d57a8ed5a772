"""Train an autoencoder to rebuild the 8x8 digits from their compressed code.

The loss is the mean squared error between each image and its reconstruction; no label is used.
The test error says how much of a digit survives the squeeze through the bottleneck.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import torch
from pydantic import Field
from torch import nn

from course.data.digits import load_split
from figgen.training.loop import fit
from figgen.training.run import TrainingResult


@dataclass
class Hyperparameters:
    epochs: Annotated[int, Field(ge=1)] = 120
    batch_size: Annotated[int, Field(ge=1)] = 64
    learning_rate: Annotated[float, Field(gt=0)] = 0.01


# figgen-show: La perte : l'écart quadratique moyen entre l'image reconstruite et l'image d'origine
def reconstruction_error(model: nn.Module, images: torch.Tensor) -> torch.Tensor:
    return nn.functional.mse_loss(model(images), images)  # the image is its own target


def train(run) -> TrainingResult:
    hp = run.hyperparameters(Hyperparameters)
    data = load_split()
    x_train = torch.tensor(data.train_images).flatten(1).to(run.device)  # (N, 8, 8) -> (N, 64)
    x_test = torch.tensor(data.test_images).flatten(1).to(run.device)

    model = run.build_model()
    # figgen-show: L'entraînement : Adam fait baisser cette perte, lot après lot (la boucle : figgen/training/loop.py)
    history = fit(
        run, model, torch.optim.Adam(model.parameters(), lr=hp.learning_rate), reconstruction_error,
        [x_train], epochs=hp.epochs, batch_size=hp.batch_size,
        evaluate=lambda model: {"test_mse": reconstruction_error(model, x_test)},
    )

    history["train_mse"] = history.pop("loss")  # the training loss is the training images' error
    metrics = {"test_mse": history["test_mse"][-1], "train_mse": history["train_mse"][-1]}
    return TrainingResult(model=model, metrics=metrics, history=history)
