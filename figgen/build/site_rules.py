"""The rules a site must keep with its figures: `check_site(workspace)` lists what breaks them.

`figgen check` (the CI gate) prints them and fails; a build refuses the placeholder problems of
the figures it just drew. A problem is:
- a page shows an image that is missing, stale, undeclared, misspelt or written in a way
  Hugo resolves differently (image_refs.py holds the one rule both sides follow), or an image
  whose dark rendering is missing or stale (shown_files.py);
- an alt text or caption of figgen.yaml names a metric or fact the build did not produce, or
  quotes a measured-looking number by hand (a percentage, a decimal number) instead of a
  placeholder, unless the figure lists it under `fixed:`;
- a page's metric shortcode names an unknown metric or fact;
- a page marks a claim (claim_pages.py) that figgen.yaml does not declare, or one this build's
  metrics and facts make false;
- a page quotes a measured-looking number by hand where figgen's numbers are (hand_typed_scope.py:
  by default the prose of a page that shows a figgen figure or number, and the alt texts and
  captions of figgen's figures; never a version or a date), unless its front matter lists it
  under `figgen_fixed:`, or gives a figgen figure an alt text other than figgen.yaml's;
- a page writes a placeholder figgen never fills (page_placeholders.py), or a figgen figure as a
  Markdown image where another image render hook renders them (image_hooks.py);
- a page's lab (`figgen-lab`) shows a model that is unknown or not exported, or names no kind
  the shortcode draws (export/lab_calls.py); a declared export missing or stale (export/reasons.py);
- a figure's `params:` are refused by its module's Params: that line alone (params_check.py).
- figgen.json differs from what a build would write from the records (data_drift.py).
Declared figures that no page shows are only warnings: a draft may not use them yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from figgen.content_scan import PageScan, metric_calls_in, scan_pages
from figgen.data_drift import drift
from figgen.image_hooks import hook_problems
from figgen.image_refs import problem_with
from figgen.page_placeholders import page_placeholder_problems
from figgen.params_check import params_problems
from figgen.planner import FRESH
from figgen.renderings import default_output
from figgen.shown_files import rendering_problems
from figgen.workspace import Workspace


@dataclass(frozen=True)
class Problem:
    message: str  # "figgen.yaml:12: ..."
    fresh: bool = True  # about a fresh figure: the build itself should have produced it


@dataclass
class SiteReport:
    figures: int  # declared
    problems: list[str] = field(default_factory=list)  # each "path:line: ..."
    warnings: list[str] = field(default_factory=list)  # declared figures that no page shows
    summary: str = "the site and its figures are out of sync"  # what the problems amount to


def check_site(workspace: Workspace) -> SiteReport:
    project = workspace.project
    status = workspace.statuses()
    workspace.save_sources_cache()
    declared = {figure.output: figure for figure in project.figures}
    report = SiteReport(len(declared))
    problems, warnings = report.problems, report.warnings
    used: set[str] = set()

    broken = params_problems(project, status)  # one line per misspelt key, and no noise downstream of it
    if broken:
        report.problems += broken.values()
        report.summary = "a figure's params are refused by its module's Params"
        return report

    scans = scan_pages(project.content, project.settings.claim_shortcodes)  # a claim's {{< >}} inner is prose
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
            if status[output] != FRESH:
                fix = workspace.syntax_error(figure) or workspace.project.settings.missing_image_hint
                problems.append(f"figgen.yaml:{figure.line}: {output} is {status[output]}: {fix}")

    warnings += translation_warnings(project)

    document = _document(workspace, status)
    problems += drift(project, document, status)  # first: placeholder_problems re-renders the texts in place
    problems += [p.message for p in placeholder_problems(workspace, status, document)]
    problems += translation_problems(workspace, document)
    problems += hand_typed_problems(workspace)
    problems += page_text_problems(workspace, scans)
    problems += page_placeholder_problems(scans, lambda page, line: _where(project, page, line))
    problems += hook_problems(project.site, scans, declared, lambda page, line: _where(project, page, line))
    problems += _export_problems(workspace)
    problems += _lab_problems(workspace, scans)
    problems += metric_call_problems(workspace, status, document)
    problems += _claim_problems(workspace, scans, document, warnings)
    return report


def _export_problems(workspace: Workspace) -> list[str]:
    from figgen.export.reasons import export_problems  # models published for the browser

    return export_problems(workspace)


def _lab_problems(workspace: Workspace, scans) -> list[str]:
    from figgen.export.lab_calls import lab_call_problems  # a page's labs and the models they show

    project = workspace.project
    return lab_call_problems(project, scans, lambda page, line: _where(project, page, line))


def _claim_problems(workspace: Workspace, scans, document: dict, warnings: list[str]) -> list[str]:
    from figgen.claim_pages import claim_problems, unmarked_warnings
    from figgen.hugo_data import data_file_name

    warnings += unmarked_warnings(workspace.project, scans)
    return claim_problems(workspace.project, scans, document, data_file_name(workspace.project))


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

    from figgen.hand_typed_scope import figgen_yaml_in_scope
    from figgen.translations import all_texts

    text = None
    problems = []
    if not figgen_yaml_in_scope(workspace.project.settings.hand_typed):
        return []
    for figure in workspace.project.figures:
        for key in ("alt", "caption"):
            for number in (n for template in all_texts(figure, key) for n in hand_typed_numbers(template, figure.fixed)):
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
    from figgen.hand_typed_scope import image_texts_in_scope, prose_in_scope
    from figgen.translations import all_texts
    from figgen.placeholders import hand_typed_numbers

    project = workspace.project
    scope = project.settings.hand_typed
    declared = {figure.output: figure for figure in project.figures}
    hint = ('write it with the metric shortcode, e.g. {{< metric "model.metric" "percent" >}}, or list it '
            "under the page's front matter `figgen_fixed:` if it is a published or defined number")
    problems = []
    for scan in scans:
        fixed = scan.front_matter.get("figgen_fixed") or []
        fixed = [str(entry) for entry in fixed] if isinstance(fixed, list) else [str(fixed)]
        where = lambda line: _where(project, scan.page, line)  # noqa: E731
        for line, text in scan.prose if prose_in_scope(scan, declared, project.settings.metric_shortcodes, scope) else ():
            problems += [f'{where(line)}: quotes "{n}" by hand: {hint}' for n in hand_typed_numbers(text, fixed)]
        for reference in scan.images:
            texts = (("alt text", reference.alt), ("caption", reference.title))
            for name, text in texts if image_texts_in_scope(reference, declared, scope) else ():
                problems += [f'{where(reference.line)}: the {name} of {reference.src} quotes "{n}" by hand: {hint}'
                             for n in hand_typed_numbers(text, fixed)]
            figure = declared.get(reference.src)
            if figure and reference.alt and reference.alt not in all_texts(figure, "alt"):
                problems.append(f"{where(reference.line)}: the page gives {reference.src} its own alt text; a figgen "
                                f"figure's alt lives in figgen.yaml (line {figure.line}): write ![]({reference.src})")
    return problems


def translation_problems(workspace: Workspace, document: dict) -> list[str]:
    """A placeholder of a figure's text in another language naming what the build did not produce."""
    from figgen.hugo_data import data_file_name, languages_of
    from figgen.measurements import UnknownMeasurement
    from figgen.placeholders import render
    from figgen.translations import texts_of

    project = workspace.project
    languages = languages_of(project)
    problems = []
    for figure in project.figures:
        if document["figures"][figure.output]["stale"] or not all(document["models"][m]["trained"] for m in figure.models):
            continue  # its numbers are not known yet: the build says so
        for key in ("alt", "caption"):
            for language, template in texts_of(figure, key).items():
                try:
                    render(template, document, languages.locale(language), data_file_name(project))
                except UnknownMeasurement as problem:
                    problems.append(f"figgen.yaml:{figure.text_lines.get(key, figure.line)}: figure {figure.output}: "
                                    f"{key} ({language}): {problem}")
    return problems


def translation_warnings(project) -> list[str]:
    """`check: {missing_translation: warn}`: each figure figgen.yaml gives no text in a language of the site."""
    from figgen.hugo_data import languages_of
    from figgen.translations import untranslated

    if project.settings.missing_translation != "warn":
        return []
    languages = languages_of(project)
    return [f"figgen: warning: figgen.yaml:{figure.line}: {figure.output} has no alt text or caption in "
            f"'{language}': its pages show the default language's words" for figure in project.figures
            for language in untranslated(figure, languages)]


def metric_call_problems(workspace: Workspace, status, document: dict | None = None) -> list[str]:
    from figgen.hugo_data import data_file_name, metric_texts, project_locale

    project = workspace.project
    calls = metric_calls_in(project.content, project.settings.metric_shortcodes)
    texts = metric_texts(document or _document(workspace, status), calls, project_locale(project), data_file_name(project))
    return [f"{_where(workspace.project, call.page, call.line)}: {texts[call.spec]['error']}"
            for call in calls if "error" in texts[call.spec]]
