"""Placeholders written in a page, where figgen never fills them.

figgen fills `{model.metric:percent:1}` and `{@figure.fact}` in figgen.yaml's alt texts and
captions only. Written in a page (its prose, an image's alt text or title, a shortcode's
parameter such as `{{< figgen-figure caption="... {@x.best:percent:1}" >}}`), it would reach
readers as typed: `figgen check` refuses it with its file and line, and says what fills it.
"""

from __future__ import annotations

from figgen.content_scan import PageScan
from figgen.placeholders import PLACEHOLDER

HINT = ("figgen fills placeholders only in figgen.yaml's alt and caption: move the text there, or quote the "
        "number with the metric shortcode: {{< metric %s >}}")


def _found(text: str) -> list[str]:
    return [match.group(0) for match in PLACEHOLDER.finditer(text or "")]


def placeholders_in_page(scan: PageScan) -> list[tuple[int, str, str]]:
    """(line, where in the page, placeholder) for each placeholder the page's readers would see."""
    found = [(line, "the prose", p) for line, text in scan.prose for p in _found(text)]
    for reference in scan.images:
        if reference.kind == "markdown":  # a shortcode's parameters are read below
            found += [(reference.line, f"the alt text of {reference.src}", p) for p in _found(reference.alt)]
            found += [(reference.line, f"the title of {reference.src}", p) for p in _found(reference.title)]
    for call in scan.shortcodes:
        for name, value in [*((f"parameter {i + 1}", v) for i, v in enumerate(call.positional)), *call.named.items()]:
            found += [(call.line, f"the {call.name} shortcode's {name}", p) for p in _found(value)]
    return sorted(found)


def _as_shortcode(text: str) -> str:
    """{@a.best:percent:1} -> "@a.best" "percent" "1": the metric shortcode's arguments."""
    from figgen.placeholders import placeholders_in

    placeholder = placeholders_in(text)[0]
    parts = [placeholder.key, placeholder.style, *([str(placeholder.precision)] if placeholder.precision is not None else [])]
    return " ".join(f'"{part}"' for part in parts if part)


def page_placeholder_problems(scans: list[PageScan], where) -> list[str]:
    """`where(page, line)` -> "content/page.md:12"."""
    return [f"{where(scan.page, line)}: {place} holds the placeholder {placeholder}, which no one fills: "
            + HINT % _as_shortcode(placeholder)
            for scan in scans for line, place, placeholder in placeholders_in_page(scan)]
