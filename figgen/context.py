"""What a drawing function receives: its parameters and the models it declared.

A figure module of the project's package (figgen.yaml's `draw:`) defines `draw(ctx) -> matplotlib.figure.Figure`.
It may only read the models its declaration names, so its fingerprint is always complete:
`ctx.model(name)` for a trained model, `ctx.architecture(name)` for an untrained network whose
shapes a diagram traces.
"""

from __future__ import annotations

import math
import pickle
from dataclasses import dataclass
from pathlib import Path

from figgen.config import FigureSpec, ModelSpec, Project
from figgen.errors import FiggenError, UnreadableCheckpoint
from figgen.loader import project_attribute
from figgen.renderings import scheme, width


@dataclass
class TrainedModel:
    spec: ModelSpec
    module: object  # torch.nn.Module in eval mode, on the CPU
    metrics: dict
    history: dict


def model_class(project: Project, spec: ModelSpec):
    return project_attribute(project.root, project.package, spec.module, spec.class_name)


def build_untrained(project: Project, spec: ModelSpec, arguments: dict | None = None):
    """The network of figgen.yaml (or of `arguments`, as saved with a checkpoint), seeded."""
    import torch

    from figgen.training.hyperparameters import check_architecture

    cls = model_class(project, spec)
    check_architecture(spec, cls)
    torch.manual_seed(spec.seed)
    return cls(**(arguments if arguments is not None else spec.architecture))


def load_trained(project: Project, spec: ModelSpec, checkpoint: Path) -> TrainedModel:
    from figgen.training.checkpoint import load_checkpoint

    document = load_checkpoint(checkpoint)
    module = build_untrained(project, spec, document.get("architecture"))
    module.load_state_dict(document["state_dict"])
    module.eval()
    return TrainedModel(spec=spec, module=module, metrics=document["metrics"], history=document["history"])


def _params(project: Project, figure: FigureSpec):
    from figgen.figure_params import figure_params
    from figgen.loader import import_project_module

    return figure_params(figure, import_project_module(project.root, project.package, figure.draw))


def json_ready(value, where: str):
    """`value` as figgen.json can hold it: finite numbers, text, true/false, null, and lists and
    dicts (text keys) of those; tensors and numpy values become their numbers. Anything else
    (NaN, an infinity, a set, a Path) is refused with one line naming `where`: a figgen.json that
    is not JSON would fail every figure of the site, far from its cause."""
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):  # tensors, numpy arrays and scalars
        value = value.tolist()
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise FiggenError(f"{where} is {value}: figgen.json holds finite numbers only")
        return round(value, 6)
    if isinstance(value, (list, tuple)):
        return [json_ready(item, f"{where}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise FiggenError(f"{where} has the key {key!r}: keys must be text")
        return {key: json_ready(item, f"{where}.{key}") for key, item in value.items()}
    raise FiggenError(f"{where} is a {type(value).__name__} ({str(value)[:40]}): give a number, a text, "
                      "true/false, or a list or dict of those")


class FigureContext:
    def __init__(self, project: Project, figure: FigureSpec, checkpoints: dict[str, Path], loaded: dict):
        self.project = project
        self.figure = figure
        self.params = _params(project, figure)  # the module's `Params` instance, or figgen.yaml's dict
        self._checkpoints = checkpoints  # model name -> checkpoint of its current fingerprint
        self._loaded = loaded  # shared per worker process: a model is loaded once
        self.facts: dict = {}  # what the drawing measured, by name (see `fact`)
        # "light" or "dark" (figgen.yaml's `renderings:`): which colour scheme to draw for
        self.rendering = scheme(figure.rendering)
        # "wide", or "narrow" (`renderings: [..., narrow]`): a phone's rendering, shown about
        # half as wide, so drawn narrower with the same text sizes (renderings.py)
        self.width = width(figure.rendering)

    def fact(self, name: str, value):
        """Report a number (or short text) this figure measured, e.g. `ctx.fact("code_bytes", 8)`.

        figgen stores it in figgen.json beside the image; alt texts, captions and pages quote it
        as `{@<figure stem>.<name>}` or `{{< metrique "@<figure stem>.<name>" >}}`. Returns the
        value, so a label can be drawn from the very number that is reported.
        """
        if not isinstance(name, str) or not name.replace("_", "a").isalnum():
            raise FiggenError(f"figure {self.figure.output}: fact name {name!r} must be letters, digits and _")
        self.facts[name] = json_ready(value, f"figure {self.figure.output}: fact '{name}'")
        return value

    def spec(self, name: str) -> ModelSpec:
        if name not in self.figure.models and name not in self.figure.architectures:
            raise FiggenError(f"figure {self.figure.output} reads model '{name}' but does not declare it")
        return self.project.models[name]

    def model(self, name: str) -> TrainedModel:
        if name not in self.figure.models:
            raise FiggenError(f"figure {self.figure.output} reads trained model '{name}': add it to its models")
        checkpoint = self._checkpoints[name]
        if checkpoint not in self._loaded:
            try:
                self._loaded[checkpoint] = load_trained(self.project, self.spec(name), checkpoint)
            except (OSError, RuntimeError, ValueError, EOFError, KeyError, pickle.UnpicklingError) as error:
                # Its checksum matched, yet torch refuses it (weights_only) or it does not fit
                # the model: the runner discards it and trains the model again.
                reason = str(error).strip().splitlines()[0][:120] if str(error).strip() else type(error).__name__
                raise UnreadableCheckpoint(name, checkpoint, reason) from None
        return self._loaded[checkpoint]

    def architecture(self, name: str):
        """An untrained network built from figgen.yaml, for diagrams that trace its shapes."""
        if name not in self.figure.architectures and name not in self.figure.models:
            raise FiggenError(f"figure {self.figure.output} traces '{name}': add it to its architectures")
        return build_untrained(self.project, self.spec(name))

    def recipe(self, name: str):
        """The training recipe module of a model this figure reads (declared in its `models:`)."""
        from figgen.loader import import_project_module

        if name not in self.figure.models:
            raise FiggenError(f"figure {self.figure.output} reads the recipe of '{name}': add it to its models")
        return import_project_module(self.project.root, self.project.package, self.spec(name).recipe)

    def hyperparameters(self, name: str):
        """The model's hyperparameters as its recipe trained with them: its `Hyperparameters`
        filled from figgen.yaml's `training:` (the plain block where the recipe declares none)."""
        from figgen.training.hyperparameters import parse_training

        declared = getattr(self.recipe(name), "Hyperparameters", None)
        return parse_training(self.spec(name), declared) if declared else dict(self.spec(name).training)

    def training_data(self, name: str):
        """What the model's recipe trains on: its `training_data(hyperparameters, seed)`, so a figure
        shows the very points the model learnt from, never a copy of its settings."""
        recipe = self.recipe(name)
        if not callable(getattr(recipe, "training_data", None)):
            raise FiggenError(f"figure {self.figure.output}: the recipe {self.spec(name).recipe} of '{name}' "
                              "defines no training_data(hyperparameters, seed)")
        return recipe.training_data(self.hyperparameters(name), self.spec(name).seed)
