"""`figgen check`: the CI gate that keeps the pages and the generated figures in sync.

Fails (exit 1) when:
- a page shows an image that is missing, stale, undeclared, misspelt or written in a way
  Hugo resolves differently (image_refs.py holds the one rule both sides follow), or an image
  whose dark rendering is missing or stale (shown_files.py);
- an alt text or caption of figgen.yaml names a metric or fact the build did not produce, or
  quotes a measured-looking number by hand (a percentage, a decimal number) instead of a
  placeholder, unless the figure lists it under `fixed:`;
- a page's metric shortcode names an unknown metric or fact;
- a page quotes a measured-looking number by hand where readers see it (its prose outside code,
  an alt text, a caption), unless its front matter lists it under `figgen_fixed:`, or gives a
  figgen figure an alt text other than figgen.yaml's (write `![](/images/...)`).
- figgen.json differs from what a build would write from the records (data_drift.py).
Declared figures that no page shows are only warnings: a draft may not use them yet.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from figgen.content_scan import PageScan, metric_calls_in, scan_pages
from figgen.data_drift import drift
from figgen.errors import OutOfSync
from figgen.image_refs import problem_with
from figgen.noop_stamp import Snapshot
from figgen.planner import FRESH
from figgen.read_only import reading_only
from figgen.renderings import default_output
from figgen.shown_files import rendering_problems
from figgen.workspace import Workspace, open_workspace


@dataclass(frozen=True)
class Problem:
    message: str  # "figgen.yaml:12: ..."
    fresh: bool = True  # about a fresh figure: the build itself should have produced it


def check(start: Path, out=sys.stdout, err=sys.stderr) -> int:
    reading_only()  # a read-only checkout: its caches are left as they are (figgen/read_only.py)
    snapshot = Snapshot(start)  # before anything is read
    workspace = open_workspace(start)
    project = workspace.project
    status = workspace.statuses()
    workspace.save_sources_cache()
    declared = {figure.output: figure for figure in project.figures}
    problems: list[str] = []
    warnings: list[str] = []
    used: set[str] = set()

    scans = scan_pages(project.content)
    for reference in (reference for scan in scans for reference in scan.images):
        used.add(reference.src)
        problem = problem_with(project, reference, declared, status, fix=workspace.syntax_error)
        if problem:
            problems.append(f"{_where(project, reference.page, reference.line)}: {problem}")

    used |= {f.output for f in project.figures if default_output(f) in used}  # its dark rendering too
    problems += rendering_problems(workspace, used, status)  # what a reader in dark mode gets
    for output, figure in declared.items():
        if output not in used:
            warnings.append(f"figgen: warning: {output} is declared (figgen.yaml:{figure.line}) but no page shows it")
            print(warnings[-1], file=err)
            if status[output] != FRESH:
                fix = workspace.syntax_error(figure) or workspace.project.settings.missing_image_hint
                problems.append(f"figgen.yaml:{figure.line}: {output} is {status[output]}: {fix}")

    document = _document(workspace, status)
    problems += drift(project, document, status)  # first: placeholder_problems re-renders the texts in place
    problems += [p.message for p in placeholder_problems(workspace, status, document)]
    problems += hand_typed_problems(workspace)
    problems += page_text_problems(workspace, scans)
    problems += metric_call_problems(workspace, status, document)

    for problem in problems:
        print(problem, file=out)
    if problems:
        raise OutOfSync(f"{len(problems)} problem(s): the site and its figures are out of sync")
    said = f"ok: {len(declared)} figures fresh, every image the pages show exists"
    snapshot.record(project, "check", [said], warnings)
    print(said, file=out)
    return 0


def _where(project, path: Path, line: int) -> str:
    try:
        return f"{path.relative_to(project.root)}:{line}"
    except ValueError:
        return f"{path}:{line}"


def _document(workspace: Workspace, status) -> dict:
    from figgen.hugo_data import compose

    return compose(workspace.project, workspace.fingerprints, status, workspace.records, workspace.store)


def _config_text(workspace: Workspace) -> str:
    from figgen.text import read_text

    return read_text(workspace.project.config_path, "figgen.yaml")


def placeholder_problems(workspace: Workspace, status: dict[str, str], document: dict | None = None) -> list[Problem]:
    """Placeholders naming a metric or fact that figgen.json (`document`) does not hold."""
    from figgen.hugo_data import render_texts
    from figgen.placeholders import line_of

    document = document or _document(workspace, status)
    for figure in workspace.project.figures:  # render from the templates, not the rendered texts
        document["figures"][figure.output].update(alt=figure.alt, **({"caption": figure.caption} if figure.caption else {}))
    found = render_texts(workspace.project, document)
    if not found:
        return []
    text = _config_text(workspace)
    problems = []
    for figure, key, message in found:
        needle = message.split('"')[1] if '"' in message else key
        line = line_of(text, needle.lstrip("@").split(".")[-1], figure.text_lines.get(key, figure.line))
        fresh = status[default_output(figure)] == FRESH and all(  # its texts quote the light one's facts
            document["models"][m]["trained"] for m in figure.models)
        problems.append(Problem(f"figgen.yaml:{line}: figure {figure.output}: {key}: {message}", fresh))
    return problems


def hand_typed_problems(workspace: Workspace) -> list[str]:
    from figgen.placeholders import hand_typed_numbers, line_of

    text = None
    problems = []
    for figure in workspace.project.figures:
        for key in ("alt", "caption"):
            for number in hand_typed_numbers(getattr(figure, key), figure.fixed):
                text = text if text is not None else _config_text(workspace)
                first = " ".join(number.split())
                line = line_of(text, first.split()[0] if " " in first else first, figure.text_lines.get(key, figure.line))
                problems.append(
                    f"figgen.yaml:{line}: figure {figure.output}: {key} quotes \"{number}\" by hand: write the "
                    "measured value as a placeholder such as {cnn.test_accuracy:pourcent:1} or "
                    "{@figure.fact}, or list it under the figure's `fixed:` if it is a published or defined number")
    return problems


def page_text_problems(workspace: Workspace, scans: list[PageScan]) -> list[str]:
    """Hand-typed measured numbers where a page's readers see them, and figgen figures given
    another alt text than figgen.yaml's."""
    from figgen.placeholders import hand_typed_numbers

    project = workspace.project
    declared = {figure.output: figure for figure in project.figures}
    hint = ('write it with the metric shortcode, e.g. {{< metric "model.metric" "percent" >}}, or list it '
            "under the page's front matter `figgen_fixed:` if it is a published or defined number")
    problems = []
    for scan in scans:
        fixed = scan.front_matter.get("figgen_fixed") or []
        fixed = [str(entry) for entry in fixed] if isinstance(fixed, list) else [str(fixed)]
        where = lambda line: _where(project, scan.page, line)  # noqa: E731
        for line, text in scan.prose:
            problems += [f'{where(line)}: quotes "{n}" by hand: {hint}' for n in hand_typed_numbers(text, fixed)]
        for reference in scan.images:
            for name, text in (("alt text", reference.alt), ("caption", reference.title)):
                problems += [f'{where(reference.line)}: the {name} of {reference.src} quotes "{n}" by hand: {hint}'
                             for n in hand_typed_numbers(text, fixed)]
            figure = declared.get(reference.src)
            if figure and reference.alt and reference.alt != figure.alt:
                problems.append(f"{where(reference.line)}: the page gives {reference.src} its own alt text; a figgen "
                                f"figure's alt lives in figgen.yaml (line {figure.line}): write ![]({reference.src})")
    return problems


def metric_call_problems(workspace: Workspace, status, document: dict | None = None) -> list[str]:
    from figgen.hugo_data import data_file_name, metric_texts, project_locale

    project = workspace.project
    calls = metric_calls_in(project.content, project.settings.metric_shortcodes)
    texts = metric_texts(document or _document(workspace, status), calls, project_locale(project), data_file_name(project))
    return [f"{_where(workspace.project, call.page, call.line)}: {texts[call.spec]['error']}"
            for call in calls if "error" in texts[call.spec]]
