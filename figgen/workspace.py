"""Everything a command reads about a project: config, fingerprints, records, model store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from figgen.atomic import write_json_atomically
from figgen.config import Project, find_root, load_project
from figgen.inputs import Fingerprints, compute, tracked_packages
from figgen.planner import figure_statuses
from figgen.sources import SourceIndex
from figgen.store import FigureRecords, ModelStore, load_sources_cache


@dataclass
class Workspace:
    project: Project
    sources: SourceIndex
    fingerprints: Fingerprints
    records: FigureRecords
    store: ModelStore

    def statuses(self) -> dict[str, str]:
        return figure_statuses(self.project, self.fingerprints, self.records)

    def syntax_error(self, figure) -> str | None:
        """`path:line: SyntaxError: ...` if the code that draws `figure` cannot even be parsed."""
        package = self.project.package
        modules = [f"{package}.{figure.draw}"] + [
            f"{package}.{self.project.models[name].module}" for name in (*figure.models, *figure.architectures)
        ]
        return next(filter(None, map(self.sources.closure_syntax_error, modules)), None)

    def recompute(self) -> None:
        """Fingerprints again, after a build recorded what its tasks were seen reading."""
        self.fingerprints = compute(self.project, self.sources, self.records, self.store)

    def reload_records(self) -> None:
        """Re-read what another build may have recorded while we waited for the lock."""
        self.records = FigureRecords(self.project.cache / "figures.json")
        self.recompute()  # what its tasks read is part of the fingerprints

    def save_sources_cache(self) -> None:
        if self.sources.changed:
            # Only a cache: a lost race between two builds costs a re-hash, nothing more.
            write_json_atomically(self.project.cache / "sources.json", self.sources.cache)
            self.sources.changed = False


def open_workspace(start: Path) -> Workspace:
    project = load_project(find_root(start.resolve()))
    sources = SourceIndex(tracked_packages(project), load_sources_cache(project.cache / "sources.json"))
    records = FigureRecords(project.cache / "figures.json")
    store = ModelStore(project.cache / "models")
    return Workspace(project=project, sources=sources, fingerprints=compute(project, sources, records, store),
                     records=records, store=store)
