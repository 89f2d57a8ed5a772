"""Names on the command line: figures and models live in distinct name spaces.

- a figure: `module3/cnn` (what `figgen list` shows), its site path, its file name `cnn.png`,
  or its stem `cnn` when no model has that name;
- a model: `model:cnn`, standing for the figures that read it (building them trains it).
A bare name that is both a figure's stem and a model is refused: it says which to write.
"""

from __future__ import annotations

from figgen.config import FigureSpec, ModelSpec, Project
from figgen.errors import BadInput
from figgen.planner import select_figures

MODEL_PREFIX = "model:"


def model_named(project: Project, name: str) -> ModelSpec:
    model = name[len(MODEL_PREFIX):]
    if model not in project.models:
        import difflib

        close = difflib.get_close_matches(model, list(project.models), n=2, cutoff=0.6)
        hint = f"; did you mean {', '.join(MODEL_PREFIX + c for c in close)}?" if close else \
            f" (models: {', '.join(sorted(project.models)) or 'none'})"
        raise BadInput(f"unknown model '{model}'{hint}")
    return project.models[model]


def figures_named(project: Project, names: tuple[str, ...]) -> list[FigureSpec]:
    """The figures the names stand for; a model name stands for the figures that read it."""
    if not names:
        return list(project.figures)
    chosen: list[FigureSpec] = []
    for name in names:
        if name.startswith(MODEL_PREFIX):
            spec = model_named(project, name)
            found = [f for f in project.figures if spec.name in f.models]
            if not found:
                raise BadInput(f"no figure reads the model '{spec.name}': nothing to build")
        else:
            if name in project.models and any(f.name.rsplit("/", 1)[-1] == name for f in project.figures):
                figure = next(f for f in project.figures if f.name.rsplit("/", 1)[-1] == name)
                raise BadInput(f"'{name}' is both the figure {figure.name} and a model: "
                               f"write {figure.name} (or {name}.png) for the figure, {MODEL_PREFIX}{name} for the model")
            if name in project.models:
                raise BadInput(f"'{name}' is a model, not a figure: write {MODEL_PREFIX}{name}")
            found = select_figures(project, (name,))
        chosen += [f for f in found if f not in chosen]
    return chosen


def figure_named(project: Project, name: str) -> FigureSpec:
    return figures_named(project, (name,))[0]
