"""The validated project saved as JSON (`.figgen/config.json`), and read back without YAML or pydantic.

The codec is derived from the dataclasses of model.py, field by field: a field added there is
saved and read back with no line here (JSON has no tuple: a field declared as one is made one
again; a field missing from an older cache takes its default).
"""

from __future__ import annotations

from dataclasses import asdict, fields
from pathlib import Path

from figgen.config.model import ClaimSpec, FigureSpec, ModelSpec, Project, Settings


def project_to_cache(project: Project) -> dict:
    document = asdict(project)
    for folder in ("root", "site", "content"):
        document[folder] = str(getattr(project, folder).relative_to(project.root))
    return document


def _tuples(cls) -> frozenset:
    """The fields of `cls` declared as tuples (read once per class: the no-op build reads this cache)."""
    found = _TUPLES.get(cls)
    if found is None:
        found = _TUPLES[cls] = frozenset(f.name for f in fields(cls) if str(f.type).startswith("tuple"))
    return found


_TUPLES: dict = {}


def _typed(cls, document: dict):
    """`cls` from its asdict(), its tuples made tuples again."""
    tuples = _tuples(cls)
    return cls(**{name: tuple(value) if name in tuples else value for name, value in document.items()})


def project_from_cache(root: Path, document: dict) -> Project:
    project = _typed(Project, {**document, "root": root, "site": root / document["site"],
                               "content": root / document["content"]})
    return Project(**{**{f.name: getattr(project, f.name) for f in fields(Project)},
                      "models": {name: _typed(ModelSpec, spec) for name, spec in project.models.items()},
                      "figures": [_typed(FigureSpec, figure) for figure in project.figures],
                      "settings": _typed(Settings, project.settings),
                      "claims": tuple(_typed(ClaimSpec, claim) for claim in project.claims)})
