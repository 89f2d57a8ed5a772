"""What a fingerprint is made of, spelt out, so `figgen why` can name what changed.

The fingerprint (fingerprint.py) is a hash; these are the same inputs as a readable tree:
source files with their digests, parameters, the inputs of the models a figure reads, library
versions. A build stores the tree with each figure's record; `figgen why` compares it with
today's and names each leaf that differs.
"""

from __future__ import annotations

from figgen.config import FigureSpec, ModelSpec, Project
from figgen.sources import SourceIndex
from figgen.versions import versions


def _code(project: Project, sources: SourceIndex, module: str) -> dict[str, str]:
    """Each file of a module's import closure (project-relative path) -> its digest."""
    files = {}
    for name in sources.closure(module):
        path = sources.module_file(name)
        try:
            shown = str(path.resolve().relative_to(project.root.resolve())) if path else name
        except ValueError:
            shown = f"<figgen>/{name.replace('.', '/')}"  # figgen's own modules, installed elsewhere
        files[shown] = sources.digest(name)[:12]
    return files


def model_inputs(project: Project, sources: SourceIndex, spec: ModelSpec) -> dict:
    package = project.package
    return {
        "class": spec.class_path,
        "code": {**_code(project, sources, f"{package}.{spec.module}"),
                 **_code(project, sources, f"{package}.{spec.recipe}")},
        "architecture": spec.architecture,
        "training": spec.training,
        "seed": spec.seed,
        "libraries": versions(project.settings.libraries),
    }


def figure_inputs(project: Project, sources: SourceIndex, figure: FigureSpec) -> dict:
    rendering = {"rendering": figure.rendering} if figure.rendering else {}  # light or dark
    return {
        **rendering,
        "code": _code(project, sources, f"{project.package}.{figure.draw}"),
        "params": figure.params,
        "models": {name: model_inputs(project, sources, project.models[name]) for name in figure.models},
        "architectures": {
            name: {key: value for key, value in model_inputs(project, sources, project.models[name]).items()
                   if key in ("class", "architecture")}
            for name in figure.architectures
        },
        "libraries": versions(project.settings.libraries),
    }


def flatten(tree, prefix: str = "") -> dict[str, object]:
    """{"models": {"cnn": {"training": {"epochs": 20}}}} -> {"models.cnn.training.epochs": 20}."""
    if isinstance(tree, dict) and tree:
        flat = {}
        for key, value in tree.items():
            flat.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: tree}


def differences(recorded: dict, current: dict) -> list[str]:
    """One line per input that changed, was added or was removed, in a stable order."""
    before, after = flatten(recorded), flatten(current)
    lines = []
    for key in sorted(before.keys() | after.keys()):
        if key not in before:
            lines.append(f"{key}: new ({_show(after[key])})")
        elif key not in after:
            lines.append(f"{key}: removed (was {_show(before[key])})")
        elif before[key] != after[key]:
            lines.append(f"{key}: {_show(before[key])} -> {_show(after[key])}")
    return lines


def _show(value) -> str:
    return value if isinstance(value, str) else repr(value)
