"""The handle a training recipe receives: its hyperparameters, its device, a progress hook.

A recipe is a module of the project's package (figgen.yaml's `recipe:`) with a
`train(run) -> TrainingResult` function.
It reads its hyperparameters with `run.hyperparameters(Hyperparameters)`, builds its network
with `run.build_model()`, and calls `run.progress(epoch, epochs, loss)` once per epoch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

from figgen.config import ModelSpec
from figgen.errors import FiggenError
from figgen.training.hyperparameters import check_architecture, parse_training


class TrainingDiverged(FiggenError):
    """The loss became NaN or infinite: the model is unusable, its figures are skipped."""


@dataclass
class TrainingResult:
    model: object  # the trained torch.nn.Module whose weights are checkpointed
    metrics: dict  # numbers quoted on the site, e.g. {"test_accuracy": 0.978}
    history: dict = field(default_factory=dict)  # curves for the figures (lists, tensors, numbers)


@dataclass
class TrainingRun:
    spec: ModelSpec
    model_class: type
    device: object  # torch.device
    report: Callable[[object], None] = lambda event: None  # each figgen.tasks.EpochDone
    built_with: dict | None = None  # constructor arguments of the last build_model() call

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def seed(self) -> int:
        return self.spec.seed

    def hyperparameters(self, hyperparameters_class):
        return parse_training(self.spec, hyperparameters_class)

    def build_model(self, **derived):
        """A fresh network from the `architecture:` block, seeded, on the training device.

        `derived` holds arguments that come from the data rather than from figgen.yaml (a
        vocabulary size, say); they are saved in the checkpoint so the figures rebuild the
        very same network.
        """
        import torch

        check_architecture(self.spec, self.model_class)
        torch.manual_seed(self.seed)
        self.built_with = {**self.spec.architecture, **derived}
        return self.model_class(**self.built_with).to(self.device)

    def progress(self, epoch: int, epochs: int, loss: float, **extra) -> None:
        loss = float(loss)
        if not math.isfinite(loss):
            raise TrainingDiverged(f"model '{self.name}': loss became {loss} at epoch {epoch}")
        from figgen.tasks import EpochDone

        self.report(EpochDone(self.name, epoch, epochs, loss, extra))
