"""Fingerprints: one hash per model and per figure that changes exactly when its output would.

- architecture: the model class's module (and what it imports) + its `architecture:` block;
- model: the architecture + the training recipe's modules + `training:` + seed + library versions;
- figure: the drawing module's closure + its params + the fingerprints of the models and
  architectures it reads + the versions of the libraries that render it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from figgen.config import FigureSpec, ModelSpec, Project
from figgen.sources import SourceIndex
from figgen.versions import versions


def _hash(*parts) -> str:
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def tracked_packages(project: Project) -> dict[str, Path]:
    """The project's package and figgen itself: the code whose edits make figures stale."""
    figgen_dir = Path(__file__).resolve().parent
    return {"figgen": figgen_dir, project.package: project.package_dir}


@dataclass
class Fingerprints:
    architectures: dict[str, str]
    models: dict[str, str]
    figures: dict[str, str]  # by site path


def compute(project: Project, sources: SourceIndex) -> Fingerprints:
    package = project.package
    architectures = {
        name: _hash(
            "architecture",
            sources.closure_digest(f"{package}.{spec.module}"),
            spec.class_name,
            spec.architecture,
        )
        for name, spec in project.models.items()
    }
    model_versions = versions(project.settings.libraries)
    models = {
        name: _model_fingerprint(spec, architectures[name], sources, package, model_versions)
        for name, spec in project.models.items()
    }
    figure_versions = versions(project.settings.libraries)
    figures = {
        figure.output: _figure_fingerprint(figure, architectures, models, sources, package, figure_versions)
        for figure in project.figures
    }
    return Fingerprints(architectures=architectures, models=models, figures=figures)


def _model_fingerprint(spec: ModelSpec, architecture: str, sources, package, library_versions) -> str:
    recipe = sources.closure_digest(f"{package}.{spec.recipe}")
    return _hash("model", architecture, recipe, spec.training, spec.seed, library_versions)


def _figure_fingerprint(figure: FigureSpec, architectures, models, sources, package, library_versions) -> str:
    return _hash(
        "figure",
        figure.output,
        sources.closure_digest(f"{package}.{figure.draw}"),
        figure.params,
        {name: models[name] for name in figure.models},
        {name: architectures[name] for name in figure.architectures},
        library_versions,
        *([figure.rendering] if figure.rendering else []),  # none declared: today's fingerprint
    )
