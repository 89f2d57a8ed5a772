"""Decide what a build must do: which figures are stale and which models they need trained.

Pure decisions over fingerprints and records; nothing here imports torch or matplotlib.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from figgen.config import FigureSpec, Project
from figgen.errors import BadInput
from figgen.inputs import Fingerprints
from figgen.renderings import with_other_renderings
from figgen.state import FigureRecord
from figgen.store import FigureRecords, ModelStore, file_sha256, stat_signature

FRESH, STALE, MISSING = "fresh", "stale", "missing"


def image_status(project: Project, figure: FigureSpec, fingerprint: str, record: FigureRecord) -> str:
    path = project.output_file(figure)
    try:
        signature = stat_signature(path)
        if record.fingerprint != fingerprint:
            return STALE
        if record.stat == signature:
            return FRESH
        # Touched since it was written (a checkout, a copy, a restored mtime moves ctime):
        # fresh only if the bytes are ours.
        return FRESH if record.sha256 == file_sha256(path) else STALE
    except OSError:  # missing, or not a file we can read (a folder, a symlink loop): draw it again
        return MISSING


def select_figures(project: Project, names: tuple[str, ...]) -> list[FigureSpec]:
    """The figures named on the command line (name, site path, unique stem or drawing module)."""
    if not names:
        return list(project.figures)
    chosen: list[FigureSpec] = []
    for name in names:
        matches = [f for f in project.figures if name in (f.name, f.output, f.output.rsplit("/", 1)[-1], f.draw, f.draw.rsplit(".", 1)[-1])]
        matches = matches or [f for f in project.figures if f.name.rsplit("/", 1)[-1] == name]
        matches = [f for f in matches if f.rendering in ("", "light")] or matches  # one figure, all renderings
        if len(matches) != 1:
            import difflib

            known = [f.name for f in project.figures]
            if matches:
                raise BadInput(f"'{name}' is ambiguous: {', '.join(f.name for f in matches)}")
            close = difflib.get_close_matches(name, known + [k.rsplit("/", 1)[-1] for k in known], n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else " (run `figgen list`)"
            raise BadInput(f"unknown figure '{name}'{hint}")
        chosen += [f for f in with_other_renderings(project.figures, matches) if f not in chosen]
    return chosen


@dataclass
class Plan:
    fingerprints: Fingerprints
    status: dict[str, str]  # site path -> fresh / stale / missing, before the build
    figures: list[FigureSpec] = field(default_factory=list)  # to render
    models: list[str] = field(default_factory=list)  # to train

    @property
    def is_noop(self) -> bool:
        return not self.figures and not self.models


def figure_statuses(project: Project, fingerprints: Fingerprints, records: FigureRecords) -> dict[str, str]:
    return {
        figure.output: image_status(project, figure, fingerprints.figures[figure.output], records.get(figure.output))
        for figure in project.figures
    }


def make_plan(project, fingerprints, records, selected, force=False) -> Plan:
    status = figure_statuses(project, fingerprints, records)
    figures = [f for f in selected if force or status[f.output] != FRESH]
    return Plan(fingerprints=fingerprints, status=status, figures=figures)


def models_to_train(plan: Plan, store: ModelStore, force: bool = False) -> list[str]:
    """Models the planned figures read that have no valid checkpoint for their fingerprint."""
    needed = sorted({model for figure in plan.figures for model in figure.models})
    return [
        name
        for name in needed
        if force or store.verified_record(name, plan.fingerprints.models[name]) is None
    ]
