"""A page's labs against figgen.yaml: `figgen check` names, at the page's line, a lab whose model
is unknown or not exported, or whose kind the shortcode does not draw.

Hugo stops on these too (the shortcode's errorf), but only once the figures are built and only
with the first one; the check says every one of them, before Hugo runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

LAB_SHORTCODE = "figgen-lab"
LAB_KINDS = ("grid", "plane", "prefix")  # figgen/themes/figgen/layouts/_partials/figgen/lab.html


@dataclass(frozen=True)
class LabCall:
    page: Path
    line: int
    model: str
    kind: str


def lab_calls_of(scans) -> list[LabCall]:
    return [LabCall(scan.page, call.line, call.named.get("model", ""), call.named.get("kind", ""))
            for scan in scans for call in scan.shortcodes if call.name == LAB_SHORTCODE]


def lab_problem(project, call: LabCall) -> str | None:
    """What is wrong with one lab call, in a few words, or None."""
    if not call.model:
        return f'{LAB_SHORTCODE} needs model="NAME" (one of figgen.yaml\'s models declared `export: onnx`)'
    spec = project.models.get(call.model)
    exported = sorted(name for name, model in project.models.items() if model.export)
    if spec is None:
        return (f"{LAB_SHORTCODE} shows the model {call.model!r}, which figgen.yaml does not declare "
                f"(exported models: {', '.join(exported) or 'none'})")
    if not spec.export:
        return (f"{LAB_SHORTCODE} shows the model {call.model!r}, which is not exported: "
                f"add `export: onnx` to it in figgen.yaml (figgen.yaml:{spec.line})")
    if call.kind not in LAB_KINDS:
        return f"{LAB_SHORTCODE} needs kind=\"grid\", \"plane\" or \"prefix\" (not {call.kind!r})"
    return None


def lab_call_problems(project, scans, where) -> list[str]:
    """One "page:line: ..." per broken lab call; `where(page, line)` writes the place."""
    return [f"{where(call.page, call.line)}: {problem}" for call in lab_calls_of(scans)
            if (problem := lab_problem(project, call))]
