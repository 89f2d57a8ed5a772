"""`figgen why NAME`: which inputs of a figure (or of a model's figures) changed since its build."""

from __future__ import annotations

import sys
from pathlib import Path

from figgen.inputs import differences
from figgen.errors import BadInput
from figgen.export.reasons import EXPORT_PREFIX, explain_export
from figgen.names import MODEL_PREFIX, figures_named, model_named
from figgen.planner import FRESH
from figgen.workspace import Workspace, open_workspace


def why(start: Path, name: str, out=sys.stdout) -> int:
    from figgen.read_only import reading_only

    reading_only()  # a read-only checkout: its caches are left as they are
    workspace = open_workspace(start)
    status = workspace.statuses()
    exported = _exported_model(workspace.project, name)
    figures = figures_named(workspace.project, (name,)) if not name.startswith(EXPORT_PREFIX) else []
    for figure in figures:
        for line in explain(workspace, figure, status[figure.output]):
            print(line, file=out)
    for line in explain_export(workspace, exported) if exported else []:
        print(line, file=out)
    workspace.save_sources_cache()
    return 0


def _exported_model(project, name: str) -> str | None:
    """`export:cnn` (or `model:cnn`, whose figures are explained too): the model whose export to explain."""
    for prefix in (EXPORT_PREFIX, MODEL_PREFIX):
        if name.startswith(prefix):
            spec = model_named(project, MODEL_PREFIX + name[len(prefix):])
            if spec.export:
                return spec.name
            if prefix == EXPORT_PREFIX:
                raise BadInput(f"model '{spec.name}' is not exported (no `export:` in figgen.yaml)")
    return None


def explain(workspace: Workspace, figure, state: str) -> list[str]:
    """The lines `figgen why` prints for one figure."""
    record = workspace.records.get(figure.output)
    title = f"{figure.name} ({figure.output})"
    if state == FRESH:
        return [f"{title}: fresh, built {record.built_at or 'earlier'} from today's inputs"]
    if not record.inputs:
        if state == "missing" and figure.output not in workspace.records:
            return [f"{title}: missing: never built"]
        return [f"{title}: {state}: no recorded inputs to compare with (built before figgen recorded them)"]
    changed = differences(record.inputs, workspace.fingerprints.figure_tree(figure))
    if not changed:
        reason = "the image file was deleted" if state == "missing" else "the image file was changed by hand"
        return [f"{title}: {state}: its inputs are unchanged, but {reason}"]
    return [f"{title}: {state}, since its build on {record.built_at or '?'}:"] + [f"  {line}" for line in changed]


def short_reason(workspace: Workspace, figure, state: str) -> str:
    """One cell of `figgen list`'s reason column."""
    if state == FRESH:
        return "-"
    lines = explain(workspace, figure, state)
    if len(lines) == 1:
        return lines[0].split(": ", 1)[1].split(": ", 1)[-1]
    first = lines[1].strip().split(":")[0]
    more = f" (+{len(lines) - 2} more)" if len(lines) > 2 else ""
    return f"{first} changed{more}"


__all__ = ["why", "explain", "short_reason", "MODEL_PREFIX"]
