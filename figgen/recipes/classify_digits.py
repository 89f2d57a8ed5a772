"""Train an image classifier on the 8x8 digits: cross-entropy, Adam with a cosine learning-rate
schedule, shuffled mini-batches.

After every epoch the accuracy is measured on the training images and on the held-out test
images (the learning curves); at the end, the test confusion matrix says which digits are
mistaken for which.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from figgen.data.digits import load_split
from figgen.training.run import TrainingResult


@dataclass
class Hyperparameters:
    epochs: int = 20
    batch_size: int = 32
    learning_rate: float = 0.002


@torch.no_grad()
def accuracy(model: nn.Module, images: torch.Tensor, labels: torch.Tensor) -> float:
    model.eval()
    correct = (model(images).argmax(dim=1) == labels).sum().item()
    model.train()
    return correct / len(labels)


def train(run) -> TrainingResult:
    hp = run.hyperparameters(Hyperparameters)
    data = load_split()
    device = run.device
    x_train = torch.tensor(data.train_images).unsqueeze(1).to(device)  # (N, 8, 8) -> (N, 1, 8, 8)
    y_train = torch.tensor(data.train_labels).to(device)
    x_test = torch.tensor(data.test_images).unsqueeze(1).to(device)
    y_test = torch.tensor(data.test_labels).to(device)

    model = run.build_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=hp.learning_rate)
    # The step size shrinks smoothly to zero over the training (cosine schedule): big steps
    # first to learn fast, small ones last so the final weights settle instead of jittering.
    steps = hp.epochs * -(-len(y_train) // hp.batch_size)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps)
    shuffle = torch.Generator().manual_seed(run.seed)  # on the CPU: the same order on every device
    history = {"epoch": [], "train_accuracy": [], "test_accuracy": [], "loss": []}

    for epoch in range(1, hp.epochs + 1):
        order = torch.randperm(len(y_train), generator=shuffle).to(device)
        total = 0.0
        for start in range(0, len(order), hp.batch_size):
            batch = order[start : start + hp.batch_size]
            loss = nn.functional.cross_entropy(model(x_train[batch]), y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += loss.item() * len(batch)
        history["epoch"].append(epoch)
        history["loss"].append(total / len(order))
        history["train_accuracy"].append(accuracy(model, x_train, y_train))
        history["test_accuracy"].append(accuracy(model, x_test, y_test))
        run.progress(epoch, hp.epochs, total / len(order))

    model.eval()
    with torch.no_grad():
        predicted = model(x_test).argmax(dim=1)
    classes = int(y_train.max().item()) + 1
    confusion = torch.zeros(classes, classes, dtype=torch.int64)  # rows: true digit, columns: predicted
    confusion.index_put_((y_test.cpu(), predicted.cpu()), torch.ones_like(y_test.cpu()), accumulate=True)
    history["confusion"] = confusion
    metrics = {"test_accuracy": history["test_accuracy"][-1], "train_accuracy": history["train_accuracy"][-1]}
    return TrainingResult(model=model, metrics=metrics, history=history)
