"""Train an image classifier on the 8x8 digits: cross-entropy, Adam with a cosine learning-rate
schedule, shuffled mini-batches.

After every epoch the accuracy is measured on the training images and on the held-out test
images (the learning curves); at the end, the test confusion matrix says which digits are
mistaken for which.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import torch
from pydantic import Field
from torch import nn

from course.data.digits import load_split
from figgen.training.loop import cosine_schedule, fit
from figgen.training.run import TrainingResult


@dataclass
class Hyperparameters:
    epochs: Annotated[int, Field(ge=1)] = 20
    batch_size: Annotated[int, Field(ge=1)] = 32
    learning_rate: Annotated[float, Field(gt=0)] = 0.002


# figgen-show: La perte : l'entropie croisée entre les scores du réseau et le vrai chiffre
def classification_loss(model: nn.Module, images: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return nn.functional.cross_entropy(model(images), labels)


def accuracy(model: nn.Module, images: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """The fraction of images classified right, as a 0-d tensor (read back once per epoch)."""
    return (model(images).argmax(dim=1) == labels).float().mean()


def confusion_matrix(predicted: torch.Tensor, labels: torch.Tensor, classes: int) -> torch.Tensor:
    """(classes, classes) counts, rows: true digit, columns: predicted digit."""
    return torch.bincount(labels * classes + predicted, minlength=classes * classes).view(classes, classes)


def train(run) -> TrainingResult:
    hp = run.hyperparameters(Hyperparameters)
    data = load_split()
    x_train = torch.tensor(data.train_images).unsqueeze(1).to(run.device)  # (N, 8, 8) -> (N, 1, 8, 8)
    y_train = torch.tensor(data.train_labels).to(run.device)
    x_test = torch.tensor(data.test_images).unsqueeze(1).to(run.device)
    y_test = torch.tensor(data.test_labels).to(run.device)

    model = run.build_model()
    # figgen-show: L'entraînement : Adam fait baisser cette perte, lot après lot (la boucle : figgen/training/loop.py)
    history = fit(
        run, model, torch.optim.Adam(model.parameters(), lr=hp.learning_rate), classification_loss,
        [x_train, y_train], epochs=hp.epochs, batch_size=hp.batch_size, schedule=cosine_schedule,
        evaluate=lambda model: {"train_accuracy": accuracy(model, x_train, y_train),
                                "test_accuracy": accuracy(model, x_test, y_test)},
    )

    with torch.no_grad():
        predicted = model(x_test).argmax(dim=1)
    classes = int(data.train_labels.max()) + 1
    history["confusion"] = confusion_matrix(predicted.cpu(), y_test.cpu(), classes)
    metrics = {"test_accuracy": history["test_accuracy"][-1], "train_accuracy": history["train_accuracy"][-1]}
    return TrainingResult(model=model, metrics=metrics, history=history)
