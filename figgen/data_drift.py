"""Where figgen.json on disk differs from what a build would write: `figgen check`'s comparison.

figgen.json is a build product like the images: what Hugo shows beside a figure (its facts,
alt text, caption, size, whether it is stale) must be what the records say now. A file edited by
hand, restored from an old checkout, or written by a build that lost a race is named here, one
line per figure (or model, or metric text) that differs, with the keys that do.

A stale or missing figure is not compared: `figgen check` already names it, and the build that
redraws it rewrites figgen.json. Models, metric texts and settings are compared once every
figure is fresh (before, their differences are the stale figures' and models' own).
"""

from __future__ import annotations

import json

from figgen.planner import FRESH

_SECTIONS = ("figures", "models", "texts")  # compared entry by entry; other keys as a whole


def drift(project, composed: dict, status: dict[str, str]) -> list[str]:
    """One line per difference between figgen.json and `composed` (what the build writes)."""
    path = project.data_file
    try:
        shown = str(path.relative_to(project.root))
    except ValueError:
        shown = str(path)
    fix = f"run {project.settings.rebuild_command}"
    try:
        on_disk = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [f"{shown} is missing: {fix}"]
    except (OSError, ValueError) as error:
        return [f"{shown} cannot be read ({error.__class__.__name__}): {fix}"]
    if not isinstance(on_disk, dict):
        return [f"{shown} is not a JSON object: {fix}"]
    expected = json.loads(json.dumps(composed))  # as JSON reads it back: tuples are lists
    stale = {output for output, said in status.items() if said != FRESH}
    figures = on_disk.get("figures")
    if isinstance(figures, dict):
        figures = {output: entry for output, entry in figures.items() if output not in stale}
    problems = _section_drift({output: entry for output, entry in expected["figures"].items() if output not in stale},
                              figures, "figures")
    if not stale:
        for section in _SECTIONS[1:]:
            problems += _section_drift(expected.get(section, {}), on_disk.get(section), section)
        for key in sorted(set(expected) | set(on_disk)):
            if key == "exports":
                problems += _exports_drift(expected.get(key), on_disk.get(key))
            elif key not in _SECTIONS and expected.get(key) != on_disk.get(key):
                problems.append(f"{key} differs from the build's")
    return [f"{shown}: {problem}: {fix}" for problem in problems]


def _exports_drift(expected, on_disk) -> list[str]:
    """The exports' entries; one the build would leave out is a missing or stale export, which
    `figgen check` names once already (figgen/export/reasons.py)."""
    if isinstance(on_disk, dict) and isinstance(expected, dict):
        on_disk = {name: entry for name, entry in on_disk.items() if name in expected}
    return [] if expected == on_disk else ["exports differs from the build's"]


def _section_drift(expected: dict, on_disk, section: str) -> list[str]:
    label = {"figures": "", "models": "model ", "texts": "metric text "}[section]
    if not isinstance(on_disk, dict):
        return [f"{section} is missing"]
    problems = []
    for name, entry in expected.items():
        found = on_disk.get(name)
        if found is None:
            problems.append(f"{label}{name} is missing")
        elif isinstance(entry, dict) and isinstance(found, dict):
            keys = sorted(key for key in {*entry, *found} if entry.get(key) != found.get(key))
            if keys:
                problems.append(f"{label}{name}: {', '.join(keys)} {'differs' if len(keys) == 1 else 'differ'} "
                                "from the build's")
        elif entry != found:
            problems.append(f"{label}{name} differs from the build's")
    for name in on_disk:
        if name not in expected:
            problems.append(f"{label}{name} is not in the build's")
    return problems
