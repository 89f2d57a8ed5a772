"""The validated project saved as JSON (`.figgen/config.json`), and read back without YAML or pydantic."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from figgen.config.model import ClaimSpec, FigureSpec, ModelSpec, Project, Settings


def project_to_cache(project: Project) -> dict:
    return {
        "package": project.package,
        "site": str(project.site.relative_to(project.root)),
        "content": str(project.content.relative_to(project.root)),
        "models": {name: asdict(spec) for name, spec in project.models.items()},
        "figures": [asdict(figure) for figure in project.figures],
        "figures_line": project.figures_line,
        "settings": asdict(project.settings),
        "cache_url": project.cache_url,
        "claims": [asdict(claim) for claim in project.claims],
        "cache_timeout": project.cache_timeout,
    }


def project_from_cache(root: Path, document: dict) -> Project:
    figures = [
        FigureSpec(**{**f, "models": tuple(f["models"]), "architectures": tuple(f["architectures"]),
                      "fixed": tuple(f.get("fixed", ())), "renderings": tuple(f.get("renderings", ())),
                      "env": tuple(f.get("env", ()))})
        for f in document["figures"]
    ]
    settings = document["settings"]
    return Project(
        root=root,
        package=document["package"],
        site=root / document["site"],
        content=root / document["content"],
        models={name: ModelSpec(**{**spec, "env": tuple(spec.get("env", ()))}) for name, spec in document["models"].items()},
        figures=figures,
        figures_line=document.get("figures_line", 0),
        settings=Settings(**{**settings, "libraries": tuple(settings["libraries"]),
                              "metric_shortcodes": tuple(settings.get("metric_shortcodes", ("metric",))),
                              "renderings": tuple(settings.get("renderings", ())),
                              "claim_shortcodes": tuple(settings.get("claim_shortcodes", ("figgen-claim",))),

                              "env": tuple(settings.get("env", ()))}),
        cache_url=document.get("cache_url"),
        claims=tuple(ClaimSpec(**claim) for claim in document.get("claims", ())),
        cache_timeout=document.get("cache_timeout", 5.0),
    )
