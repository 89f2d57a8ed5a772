"""Train the course's real models (figgen.yaml's specs) in-process, on a budget the test chooses."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import tiers
from figgen.config import load_project
from figgen.context import TrainedModel, model_class
from figgen.loader import project_attribute
from figgen.training.run import TrainingRun

REPO = Path(__file__).resolve().parent.parent

# Small budgets: enough to see each model learn, a few seconds in all.
SMALL = {
    "cnn": {"epochs": 2, "batch_size": 64},
    "rnn": {"delays": [2, 4], "train_size": 512, "test_size": 256, "epochs": 6, "batch_size": 64},
    "lstm": {"delays": [2, 4], "train_size": 512, "test_size": 256, "epochs": 6, "batch_size": 64},
    "autoencoder": {"epochs": 4},
    "lm": {"epochs": 3},
}


def course():
    return load_project(REPO)


def train(name: str, training: dict | None = None, seed: int | None = None, device: str = "cpu", project=None):
    """(result, run) for model `name`, its `training:` block updated with `training`."""
    import torch

    tiers.require("course", "trains a course model")
    project = project or course()
    spec = project.models[name]
    spec = dataclasses.replace(spec, training={**spec.training, **(training or {})},
                               seed=spec.seed if seed is None else seed)
    recipe = project_attribute(project.root, project.package, spec.recipe, "train")
    run = TrainingRun(spec=spec, model_class=model_class(project, spec), device=torch.device(device))
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as a build worker: these small networks only lose time to threading
    try:
        return recipe(run), run
    finally:
        torch.set_num_threads(threads)


def as_trained(name: str, result, run) -> TrainedModel:
    """What a figure's ctx.model(name) returns, from an in-process training result."""
    from figgen.training.checkpoint import _portable

    result.model.cpu().eval()
    return TrainedModel(spec=run.spec, module=result.model, metrics=_portable(result.metrics),
                        history=_portable(result.history))
