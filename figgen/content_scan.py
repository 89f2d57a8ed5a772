"""Find the images the course pages show, with their line numbers.

Four syntaxes count: Markdown `![alt](/path "title")`, reference-style Markdown `![alt][ref]`
with its `[ref]: /path` definition, Hugo's `{{< figure src="/path" >}}` and raw
`<img src="/path">`. The metric shortcode's calls are found here too: figgen formats their
numbers for the page (hugo_data.metric_texts). Text inside HTML comments and fenced code blocks is not shown to
readers, so it is blanked first (keeping line breaks, so line numbers stay true). Pages are
only read, never executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from figgen.text import read_text

_HIDDEN = re.compile(r"<!--.*?(?:-->|\Z)|^(```|~~~).*?(?:^\1[ \t]*$|\Z)", re.DOTALL | re.MULTILINE)
_REFERENCES = {
    "markdown": re.compile(r"!\[[^\]]*\]\(\s*<?(?P<src>[^)\s>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"),
    "shortcode": re.compile(r"\{\{[<%]\s*figure\b[^}]*?\bsrc\s*=\s*(?P<q>[\"'`])(?P<src>.+?)(?P=q)", re.DOTALL),
    "html": re.compile(r"<img\b[^>]*?\bsrc\s*=\s*(?P<q>[\"'])(?P<src>.+?)(?P=q)", re.DOTALL | re.IGNORECASE),
}
# `![alt][label]`, `![alt][]` and `![label]` (not followed by `(` or `:`), and the definitions.
_REFERENCE_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\](?:\[(?P<label>[^\]]*)\])?(?![(\[:])")
_DEFINITION = re.compile(r"^ {0,3}\[(?P<label>[^\]]+)\]:\s*<?(?P<src>[^\s>]+)>?", re.MULTILINE)
_METRIC = re.compile(
    r"\{\{[<%]\s*(?:metric|metrique)\s+(?:\"(?P<key>[^\"]+)\"(?:\s+\"(?P<style>[^\"]*)\")?(?:\s+\"?(?P<precision>\d+)\"?)?"
    r"|(?P<named>[^>%]*?))\s*[>%]\}\}")
_NAMED = re.compile(r"(?P<name>key|cle|format|precision)\s*=\s*\"?(?P<value>[^\"\s]*)\"?")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


@dataclass(frozen=True)
class ImageReference:
    page: Path
    line: int
    src: str
    kind: str = "markdown"  # markdown, reference, shortcode or html


@dataclass(frozen=True)
class MetricCall:
    page: Path
    line: int
    key: str
    style: str
    precision: str

    @property
    def spec(self) -> str:
        """How the shortcode names this call in figgen.json's `texts`: key:format:precision."""
        return f"{self.key}:{self.style}:{self.precision}"


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def visible_text(markdown: str) -> str:
    """The page with comments and code blocks blanked out, line breaks kept."""
    return _HIDDEN.sub(_blank, markdown)


def references_in(page: Path, markdown: str) -> list[ImageReference]:
    text = visible_text(markdown)
    found = []
    for kind, pattern in _REFERENCES.items():
        for match in pattern.finditer(text):
            found.append((kind, match.start("src"), match.group("src")))
    definitions = {m["label"].strip().lower(): m["src"] for m in _DEFINITION.finditer(text)}
    for match in _REFERENCE_IMAGE.finditer(text):
        label = (match["label"] or match["alt"]).strip().lower()
        if label in definitions:  # an undefined label is plain text to Markdown, not an image
            found.append(("reference", match.start(), definitions[label]))
    references = []
    for kind, start, src in found:
        src = src.strip()
        if src and not _EXTERNAL.match(src):
            line = text.count("\n", 0, start) + 1
            references.append(ImageReference(page, line, src.split("#")[0].split("?")[0], kind))
    return sorted(references, key=lambda ref: (ref.line, ref.src))


def metric_calls(page: Path, markdown: str) -> list[MetricCall]:
    text = visible_text(markdown)
    calls = []
    for match in _METRIC.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if match["named"] is not None and not match["key"]:
            named = {m["name"]: m["value"] for m in _NAMED.finditer(match["named"])}
            key = named.get("key", named.get("cle", ""))  # `cle`: the course's French name for it
            calls.append(MetricCall(page, line, key, named.get("format", ""), named.get("precision", "")))
        else:
            calls.append(MetricCall(page, line, match["key"], match["style"] or "", match["precision"] or ""))
    return calls


def metric_calls_in(content: Path) -> list[MetricCall]:
    calls: list[MetricCall] = []
    for page in sorted(content.rglob("*.md")):
        calls.extend(metric_calls(page, read_page(page)))
    return calls


def scan_content(content: Path) -> list[ImageReference]:
    references: list[ImageReference] = []
    for page in sorted(content.rglob("*.md")):
        references.extend(references_in(page, read_page(page)))
    return references


def read_page(page: Path) -> str:
    """A page's text; a page that is not UTF-8, or a dangling link, is one located error."""
    return read_text(page, what="page")
