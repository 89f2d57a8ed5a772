"""Why an export is not today's: the lines of `figgen why export:NAME` and of `figgen check`.

The recorded tree of the published export (its key is in the card) is compared with today's by
the one function that compares a figure's (figgen/inputs.py: differences): a retrained model
shows as its `model.` leaves, an edit of the export hook as `code.` ones.
"""

from __future__ import annotations

from figgen.export.keys import export_tree
from figgen.export.published import export_states, published_digest
from figgen.export.store import export_store
from figgen.inputs import differences
from figgen.planner import FRESH, MISSING

EXPORT_PREFIX = "export:"


def explain_export(workspace, name: str) -> list[str]:
    """The lines `figgen why export:NAME` prints."""
    project, store = workspace.project, export_store(workspace.project)
    state, key = export_states(project, workspace.fingerprints, store)[name]
    title = f"export {name}"
    if state == FRESH:
        record = store.record(name, key)
        return [f"{title}: fresh, exported {record.built_at if record and record.built_at else 'earlier'} "
                f"from today's model {name}"]
    published = published_digest(project, name)
    record = store.record(name, published) if published else None
    if record is None or not record.inputs:
        if state == MISSING and published is None:
            return [f"{title}: missing: never exported"]
        return [f"{title}: {state}: no recorded inputs to compare with"]
    changed = differences(record.inputs, export_tree(project, workspace.fingerprints, name))
    if not changed:
        reason = "its files were deleted" if state == MISSING else "its published files were changed by hand"
        return [f"{title}: {state}: its inputs are unchanged, but {reason}"]
    return ([f"{title}: {state}: {summary(workspace, name, changed)}, since its export on {record.built_at or '?'}:"]
            + [f"  {line}" for line in changed])


def summary(workspace, name: str, changed: list[str]) -> str:
    """A few words for the changed lines: "model cnn retrained", "its export code changed"."""
    parts = []
    if any(line.startswith("model.") for line in changed):
        trained = workspace.store.record(name, workspace.fingerprints.models[name]) is not None
        parts.append(f"model {name} {'retrained' if trained else 'changed (not trained yet)'}")
    if any(line.startswith(("code.", "data.", "hook")) for line in changed):
        parts.append("its export code changed")
    if any(line.startswith(("libraries.", "figgen", "format")) for line in changed):
        parts.append("the exporter changed")
    return ", ".join(parts) or "its inputs changed"


def export_problems(workspace) -> list[str]:
    """`figgen check`: one line per declared export that is missing or stale."""
    project = workspace.project
    if not any(spec.export for spec in project.models.values()):
        return []
    problems = []
    for name, (state, _) in export_states(project, workspace.fingerprints, export_store(project)).items():
        if state != FRESH:
            spec = project.models[name]
            first = explain_export(workspace, name)[0].split(": ", 2)
            reason = first[2].rstrip(":").split(", since")[0] if len(first) > 2 else state
            line = spec.key_lines.get("export") or spec.line
            problems.append(f"figgen.yaml:{line}: export {name} is {state} ({reason}): "
                            f"{project.settings.missing_image_hint}")
    return problems
