"""Find the images the course pages show, with their line numbers.

Three syntaxes count: Markdown `![alt](/path "title")`, Hugo's `{{< figure src="/path" >}}`
and raw `<img src="/path">`. Text inside HTML comments and fenced code blocks is not shown to
readers, so it is blanked first (keeping line breaks, so line numbers stay true). Pages are
only read, never executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from figgen.errors import BadInput

_HIDDEN = re.compile(r"<!--.*?(?:-->|\Z)|^(```|~~~).*?(?:^\1[ \t]*$|\Z)", re.DOTALL | re.MULTILINE)
_REFERENCES = [
    re.compile(r"!\[[^\]]*\]\(\s*<?(?P<src>[^)\s>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"),
    re.compile(r"\{\{[<%]\s*figure\b[^}]*?\bsrc\s*=\s*(?P<q>[\"'`])(?P<src>.+?)(?P=q)", re.DOTALL),
    re.compile(r"<img\b[^>]*?\bsrc\s*=\s*(?P<q>[\"'])(?P<src>.+?)(?P=q)", re.DOTALL | re.IGNORECASE),
]
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


@dataclass(frozen=True)
class ImageReference:
    page: Path
    line: int
    src: str


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def visible_text(markdown: str) -> str:
    """The page with comments and code blocks blanked out, line breaks kept."""
    return _HIDDEN.sub(_blank, markdown)


def references_in(page: Path, markdown: str) -> list[ImageReference]:
    text = visible_text(markdown)
    found = []
    for pattern in _REFERENCES:
        for match in pattern.finditer(text):
            src = match.group("src").strip()
            if src and not _EXTERNAL.match(src):
                line = text.count("\n", 0, match.start("src")) + 1
                found.append(ImageReference(page, line, src.split("#")[0].split("?")[0]))
    return sorted(found, key=lambda ref: (ref.line, ref.src))


def scan_content(content: Path) -> list[ImageReference]:
    references: list[ImageReference] = []
    for page in sorted(content.rglob("*.md")):
        references.extend(references_in(page, read_page(page)))
    return references


def read_page(page: Path) -> str:
    """A page's text; a page that is not UTF-8, or a dangling link, is one located error."""
    data = b""
    try:
        data = page.read_bytes()
        return data.decode("utf-8")
    except OSError as error:
        hint = " (a dangling symbolic link?)" if page.is_symlink() else ""
        raise BadInput(f"cannot read this page: {error.strerror}{hint}", str(page)) from None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise BadInput(f"is not UTF-8 text (byte 0x{data[error.start]:02x}): save it as UTF-8", str(page), line) from None
