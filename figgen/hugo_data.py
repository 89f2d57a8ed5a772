"""`site/data/figgen.json`: what Hugo knows about the figures and the models behind them.

The render hook reads a figure's alt text, caption, size and provenance from it, and its
number on the page from `pages` (page_numbers.py); the metric shortcode prints the texts figgen
formatted for it (`texts`, by the page's language), so the site has one formatter.
"""

from __future__ import annotations

import json

from figgen.atomic import write_atomically
from figgen.content_scan import PageScan, metric_calls_of, scan_pages
from figgen.config import FigureSpec, Project
from figgen.inputs import Fingerprints
from figgen.loader import module_file
from figgen.measurements import UnknownMeasurement, lookup
from figgen.numbers import FormatProblem, format_value
from figgen.page_numbers import page_entry, page_path
from figgen.placeholders import render
from figgen.planner import FRESH
from figgen.renderings import DEFAULT_RENDERING, other_renderings
from figgen.site_locale import SiteLanguages, site_languages
from figgen.translations import language_entries
from figgen.store import FigureRecords, ModelStore
from figgen.text import read_text


def compose(project: Project, fingerprints: Fingerprints, status: dict[str, str],
            records: FigureRecords, store: ModelStore, scans: list[PageScan] | None = None) -> dict:
    figures = {}
    renderings = other_renderings(project.figures)
    for figure in project.figures:
        record = records.get(figure.output)
        fresh = status[figure.output] == FRESH
        entry = {
            "name": figure.name,
            "fingerprint": fingerprints.figures[figure.output],
            "alt": figure.alt,
            "models": list(figure.models),
            "architectures": list(figure.architectures),
            "seconds": record.seconds,
            "device": record.device,
            "built": record.built_at,
            "stale": not fresh,
            "facts": record.facts if fresh else {},
        }
        if figure.caption:
            entry["caption"] = figure.caption
        if record.width and record.height:
            entry["width"] = record.width // project.settings.pixel_ratio
            entry["height"] = record.height // project.settings.pixel_ratio
        if record.last_error:
            entry["error"] = record.last_error
        if figure.output in renderings:  # {"dark": its site path}: the page offers both
            entry["renderings"] = renderings[figure.output]
        figures[figure.output] = entry
    models = {}
    for name, spec in project.models.items():
        fingerprint = fingerprints.models[name]
        trained = store.record(name, fingerprint)
        models[name] = {
            "fingerprint": fingerprint,
            "trained": trained is not None,
            "device": trained.device if trained else None,
            "seconds": trained.seconds if trained else None,
            "metrics": trained.metrics if trained else {},
        }
    settings = project.settings  # what the Hugo component needs to know of figgen.yaml
    languages = languages_of(project)
    document = {"figures": figures, "models": models,
                "settings": {"images_url": settings.images_url, "rebuild": settings.rebuild_command,
                             "missing_image_hint": settings.missing_image_hint,
                             "locale": languages.locale(languages.default)}}
    if any(spec.export for spec in project.models.values()):  # models published for the browser
        from figgen.export.published import export_entries

        document["exports"] = export_entries(project, fingerprints)
    render_texts(project, document)
    scans = scan_pages(project.content) if scans is None else scans
    document.update(page_documents(document, scans, project.content, languages, settings.metric_shortcodes,
                                   settings.images_url, data_file_name(project)))
    add_provenance(project, document)
    return document


def languages_of(project: Project) -> SiteLanguages:
    return site_languages(project.site, project.settings.locale)


def project_locale(project: Project) -> str:
    """The locale of the site's default language: figgen.yaml's alt texts and captions use it."""
    languages = languages_of(project)
    return languages.locale(languages.default)


def page_documents(document: dict, scans: list[PageScan], content, languages: SiteLanguages,
                   metric_shortcodes=("metric",), images_url: str = "/images",
                   source: str = "figgen.json") -> dict:
    """figgen.json's `pages` (each page's numbered figures) and `texts` ({language: {call: text}}:
    a page's metric calls formatted in the page's own language)."""
    declared = set(document["figures"])
    pages, calls = {}, {languages.default: []}
    for scan in scans:
        language = languages.language_of(scan.page, content)
        pages[page_path(scan.page, content)] = page_entry(scan, declared, language, images_url)
        calls.setdefault(language, []).extend(metric_calls_of(scan, metric_shortcodes))
    texts = {language: metric_texts(document, found, languages.locale(language), source) for language, found in calls.items()}
    return {"pages": pages, "texts": texts}


def render_texts(project: Project, document: dict) -> list[tuple[FigureSpec, str, str]]:
    """Fill each figure's alt and caption from their placeholders; returns what could not be.

    A text whose numbers are not all known yet (its figure or model not built) keeps its
    placeholders and is listed as (figure, "alt"/"caption", problem) for `figgen check`.
    """
    problems = []
    languages = languages_of(project)
    locale = languages.locale(languages.default)
    for figure in project.figures:
        entry = document["figures"][figure.output]
        for key in ("alt", "caption"):
            if key in entry:
                try:
                    entry[key] = render(entry[key], document, locale, data_file_name(project))
                except UnknownMeasurement as problem:
                    problems.append((figure, key, str(problem)))
        if len(languages.locales) > 1:  # each other language's words and notation (translations.py)
            entry["languages"] = language_entries(figure, languages, _renderer(project, document))
    return problems


def _renderer(project: Project, document: dict):
    """render(text, locale), keeping the placeholders of a text whose numbers are not known yet:
    the default language's text already reports them."""
    def rendered(text: str, locale: str) -> str:
        try:
            return render(text, document, locale, data_file_name(project))
        except UnknownMeasurement:
            return text
    return rendered


def data_file_name(project: Project) -> str:
    """The site's data file as messages name it: site/data/figgen.json, relative to figgen.yaml."""
    return str(project.data_file.relative_to(project.root))


def metric_texts(document: dict, calls, locale: str = "en", source: str = "figgen.json") -> dict:
    """The shortcode's texts: `key:format:precision` (as written in the page) -> text or error."""
    texts = {}
    for call in calls:
        try:
            value = lookup(document, call.key, source)
            text = format_value(value, call.style, int(call.precision) if call.precision else None, locale)
            texts[call.spec] = {"value": value, "text": text}
        except UnknownMeasurement as problem:
            texts[call.spec] = {"error": str(problem)}
        except (FormatProblem, ValueError) as problem:
            texts[call.spec] = {"error": f'the metric "{call.key}" {problem}'}
    return texts


def add_provenance(project: Project, document: dict) -> None:
    """Under each fresh figure, the code that drew it and the hyperparameters of its models.

    Only for fresh figures: their fingerprint covers these very files, so the code shown is
    the code that ran. Stale figures show none rather than code that did not draw them.
    """
    for figure in project.figures:
        entry = document["figures"][figure.output]
        if entry["stale"] or figure.rendering not in ("", DEFAULT_RENDERING):  # shown under the light one
            continue
        draw = project.root / module_file(project.package, figure.draw)
        provenance = {"draw": _source(project, draw), "models": []}
        for name in figure.models:
            spec = project.models[name]
            provenance["models"].append({
                "name": name,
                "class": spec.class_name,
                **_source(project, project.root / module_file(project.package, spec.module)),
                "hyperparameters": _hyperparameters(spec),
                "metrics": _formatted_metrics(document["models"][name]["metrics"], document["settings"]["locale"]),
                "device": document["models"][name]["device"],
            })
        entry["provenance"] = provenance


def _formatted_metrics(metrics: dict, locale: str) -> list[dict]:
    """[{name: "accuracy_by_delay.40", text: "0.76"}]: every measured value, in the site's locale."""
    from figgen.inputs import flatten

    shown = []
    for name, value in flatten(metrics).items():
        try:
            shown.append({"name": name, "text": format_value(value, "", 4 if isinstance(value, float) else None, locale)})
        except FormatProblem:
            continue  # a list (a history) is not one value
    return shown


def _source(project: Project, path) -> dict:
    if not path.is_file():
        return {"path": str(path), "source": ""}
    shown = str(path.relative_to(project.root))
    return {"path": shown, "source": read_text(path, shown, python=True)}  # as Python decoded it


def _hyperparameters(spec) -> str:
    """The model's block of figgen.yaml, as YAML (JSON flow style is YAML)."""
    lines = [f"{spec.name}:", f"  class: {spec.class_path}", f"  seed: {spec.seed}"]
    for block in ("architecture", "training"):
        lines.append(f"  {block}: {json.dumps(getattr(spec, block), ensure_ascii=False)}")
    return "\n".join(lines)


def declarations(project: Project) -> dict:
    """figgen_declared.json, beside figgen.json: the figures figgen.yaml declares and what to do
    when one is missing. Small and stable, so a site commits it: on a fresh clone (no figgen.json,
    no images) Hugo still tells a declared figure ("run figgen build") from an unknown image."""
    return {"figures": sorted(figure.output for figure in project.figures),
            "missing_image_hint": project.settings.missing_image_hint}


def declarations_file(project: Project):
    return project.data_file.with_name("figgen_declared.json")


def serialized(document: dict) -> bytes:
    """A data file's bytes: the same document always gives the same bytes."""
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def holds(project: Project, document: dict) -> bool:
    """figgen.json and figgen_declared.json already hold exactly what write_if_changed would write."""
    try:
        return (project.data_file.read_bytes() == serialized(document)
                and declarations_file(project).read_bytes() == serialized(declarations(project)))
    except OSError:
        return False


def write_if_changed(project: Project, document: dict) -> bool:
    _write_json_if_changed(declarations_file(project), declarations(project))
    return _write_json_if_changed(project.data_file, document)


def _write_json_if_changed(path, document: dict) -> bool:
    data = serialized(document)
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomically(path, data)
    return True
