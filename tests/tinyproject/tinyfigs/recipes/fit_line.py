from dataclasses import dataclass
from typing import Annotated

import torch
from pydantic import Field

from figgen.training.run import TrainingResult


@dataclass
class Hyperparameters:
    epochs: Annotated[int, Field(ge=1)] = 30
    learning_rate: Annotated[float, Field(gt=0)] = 0.1
    batch_size: Annotated[int, Field(ge=1)] = 64  # the whole data set: one step per epoch
    fail: bool = False  # lets the tests break training on purpose


def train(run) -> TrainingResult:
    hp = run.hyperparameters(Hyperparameters)
    if hp.fail:
        raise RuntimeError("training broken on purpose")
    generator = torch.Generator().manual_seed(run.seed)
    x = torch.rand(64, 1, generator=generator)
    y = 2 * x + 1 + 0.05 * torch.randn(64, 1, generator=generator)
    model = run.build_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=hp.learning_rate)
    losses = []
    for epoch in range(1, hp.epochs + 1):
        for start in range(0, len(x), hp.batch_size):
            batch = slice(start, start + hp.batch_size)
            loss = torch.nn.functional.mse_loss(model(x[batch].to(run.device)), y[batch].to(run.device))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        losses.append(loss.item())
        run.progress(epoch, hp.epochs, loss.item() * (float("nan") if hp.learning_rate > 100 else 1))
    return TrainingResult(model=model, metrics={"final_loss": losses[-1]}, history={"losses": losses})
