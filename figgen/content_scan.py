"""Read a page as Hugo does: shortcodes first, then CommonMark (markdown-it-py, like Goldmark).

What a page shows, with true line numbers:
- its images: Markdown `![alt](/path "title")` and reference-style `![alt][ref]` (with their
  ordinal, the number Hugo's image render hook sees as `.Ordinal`, and whether the image stands
  alone in its paragraph), raw `<img src>` in HTML, and Hugo's `figure`/`figgen-figure`
  shortcodes (with their `.Ordinal` among the page's shortcodes);
- the calls of the metric shortcode (its names come from figgen.yaml: `metric_shortcodes`);
- its prose, outside code, for the hand-typed numbers `figgen check` looks for.

Code spans, fenced code (any fence length), indented code and HTML comments are not shown to
readers and are skipped, exactly where Goldmark skips them. Shortcodes are Hugo's, not
Markdown's: they are found in the raw text first (as Hugo does, even inside code blocks) and
replaced by a placeholder of the same length before the Markdown is parsed. The inner text of
a `{{< >}}` pair is not Markdown to Hugo (its template decides), so it is left out of the page's
Markdown. Pages are only read, never executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from figgen.text import read_text

FIGURE_SHORTCODES = ("figure", "figgen-figure")
_SHORTCODE = re.compile(
    r"\{\{(?P<open>[<%])\s*(?:(?P<comment>/\*.*?\*/)"
    r"|(?P<close>/)?\s*(?P<name>\w[\w./-]*)(?P<params>.*?)\s*(?P<self>/)?)\s*[>%]\}\}",
    re.DOTALL)
_PARAM = re.compile(
    r"""(?:(?P<name>[\w-]+)\s*=\s*)?(?:"(?P<dq>(?:[^"\\]|\\.)*)"|`(?P<bq>[^`]*)`|(?P<bare>[^\s"`=]+))""")
_IMG_TAG = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))",
                      re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_FRONT_MATTER = re.compile(r"\A(?:---[ \t]*\n.*?\n---[ \t]*$|\+\+\+[ \t]*\n.*?\n\+\+\+[ \t]*$)", re.DOTALL | re.MULTILINE)
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


@dataclass(frozen=True)
class ImageReference:
    page: Path
    line: int
    src: str  # the path, without its ?query and #fragment (which pass through to the site)
    kind: str = "markdown"  # markdown, shortcode or html
    alt: str = ""
    title: str = ""  # the Markdown title, or a shortcode's caption: shown as the caption
    ordinal: int | None = None  # Hugo's `.Ordinal` of the image (markdown) or shortcode
    standalone: bool = False  # alone in its paragraph: a block figure for Goldmark
    shortcode: str = ""  # the shortcode's name, for kind "shortcode"


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


@dataclass(frozen=True)
class Shortcode:
    name: str
    line: int
    ordinal: int | None  # among the page's top-level shortcodes (Hugo's `.Ordinal`); None if nested
    positional: tuple[str, ...]
    named: dict = field(default_factory=dict)
    markdown: bool = False  # `{{% %}}`: its inner text is Markdown of the page


@dataclass(frozen=True)
class PageScan:
    page: Path
    images: list[ImageReference]
    shortcodes: list[Shortcode]
    prose: list[tuple[int, str]]  # (line, text shown to readers outside code), alt texts apart
    front_matter: dict = field(default_factory=dict)


def _blank(text: str) -> str:
    """The same number of characters and line breaks, nothing else: line numbers stay true."""
    return re.sub(r"[^\n]", " ", text)


def _params(text: str) -> tuple[tuple[str, ...], dict]:
    positional, named = [], {}
    for match in _PARAM.finditer(text):
        value = next(v for v in (match["dq"], match["bq"], match["bare"]) if v is not None)
        if match["dq"] is not None:
            value = value.replace('\\"', '"')
        if match["name"]:
            named[match["name"]] = value
        else:
            positional.append(value)
    return tuple(positional), named


def _shortcodes(text: str, markdown_pairs=()) -> tuple[list[Shortcode], str]:
    """The page's shortcode calls, and its text with each call (and `{{< >}}` inner) blanked;
    the inner text of a `{{< >}}` pair named in `markdown_pairs` stays (its template renders it
    as the page's Markdown: a claim's mark, figgen/claim-text.html)."""
    calls, stack, top = [], [], 0
    out = list(text)
    matches = [m for m in _SHORTCODE.finditer(text) if not m["comment"]]
    # Hugo knows a pair from its template (.Inner); a page shows it by a closing tag further on.
    last_close = {m["name"]: m.start() for m in matches if m["close"]}
    for match in matches:
        if match["comment"]:  # {{</* escaped */>}}: shown as text, not a call
            continue
        # Hugo puts a placeholder in the call's place: Markdown sees a word, not the call.
        out[match.start():match.end()] = re.sub(r"[^\n]", "x", match.group(0))
        line = text.count("\n", 0, match.start()) + 1
        if match["close"]:
            for depth in range(len(stack) - 1, -1, -1):
                opened, inner_start = stack[depth]
                if opened.name == match["name"]:
                    del stack[depth:]
                    if not opened.markdown and opened.name not in markdown_pairs:  # {{< pair >}}: not Markdown
                        out[inner_start:match.start()] = _blank(text[inner_start:match.start()])
                    break
            continue  # a closing tag without its opening one is Hugo's error, not ours
        positional, named = _params(match["params"])
        call = Shortcode(match["name"], line, None if stack else top, positional, named, match["open"] == "%")
        top += 0 if stack else 1
        calls.append(call)
        if not match["self"] and last_close.get(match["name"], -1) > match.end():
            stack.append((call, match.end()))
    # A call never closed is a lone shortcode: what follows it is page text again.
    return calls, "".join(out)


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    # Hugo's Goldmark: CommonMark and GitHub's tables (images in cells count for `.Ordinal`).
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    parser.normalizeLink = lambda url: url  # the destination as written, as Hugo's `.Destination`
    return parser


def _plain(tokens) -> str:
    return "".join(t.content if t.type in ("text", "code_inline") else _plain(t.children or [])
                   for t in tokens)


def scan_page(page: Path, markdown: str, markdown_pairs=()) -> PageScan:
    """Everything figgen needs to know of one page (see the module's docstring)."""
    text = markdown.replace("\r\n", "\n")
    front = _FRONT_MATTER.match(text)
    front_matter = _front_matter(front.group(0)) if front else {}
    if front:
        text = _blank(front.group(0)) + text[front.end():]
    shortcodes, body = _shortcodes(text, markdown_pairs)
    images: list[ImageReference] = []
    prose: list[tuple[int, str]] = []
    ordinal = 0
    tokens = _parser().parse(body)
    for index, token in enumerate(tokens):
        if token.type == "html_block":
            images += _html_images(page, token.content, token.map[0] + 1)
        if token.type != "inline":
            continue
        line = token.map[0] + 1
        standalone = (tokens[index - 1].type == "paragraph_open"
                      and [c.type for c in token.children if not (c.type == "text" and not c.content.strip())] == ["image"])
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "text":
                prose.append((line, child.content))
            elif child.type == "html_inline":
                images += _html_images(page, child.content, line)
            elif child.type == "image":
                src = child.attrs.get("src", "")
                alt = _plain(child.children or [])
                images.append(ImageReference(page, line, src, "markdown", alt, str(child.attrs.get("title") or ""),
                                             ordinal, standalone))
                ordinal += 1
    for call in shortcodes:
        if call.name in FIGURE_SHORTCODES and call.named.get("src"):
            images.append(ImageReference(page, call.line, call.named["src"], "shortcode",
                                         call.named.get("alt", ""), call.named.get("caption", call.named.get("title", "")),
                                         call.ordinal, True, call.name))
    local = [ref for ref in map(_local, images) if ref]  # remote images are no file of the site
    return PageScan(page, sorted(local, key=lambda r: (r.line, r.kind != "markdown", r.ordinal or 0)),
                    shortcodes, prose, front_matter)


def _front_matter(block: str) -> dict:
    """A page's YAML (---) or TOML (+++) front matter; {} if it does not parse (Hugo says why)."""
    body = block.split("\n", 1)[1].rsplit("\n", 1)[0]
    try:
        if block.startswith("+++"):
            import tomllib

            data = tomllib.loads(body)
        else:
            import yaml

            data = yaml.safe_load(body)
    except Exception:  # noqa: BLE001 - a page Hugo cannot read fails Hugo's build, with its own message
        return {}
    return data if isinstance(data, dict) else {}


def _local(reference: ImageReference) -> ImageReference | None:
    src = reference.src.strip()
    if not src or _EXTERNAL.match(src):
        return None
    # The path as Hugo's `(urls.Parse .Destination).Path` reads it: %-escapes decoded.
    return replace(reference, src=unquote(src.split("#")[0].split("?")[0]))


def _html_images(page: Path, html: str, first_line: int) -> list[ImageReference]:
    html = _COMMENT.sub(lambda m: _blank(m.group(0)), html)
    return [ImageReference(page, first_line + html.count("\n", 0, m.start()),
                           next(v for v in (m["dq"], m["sq"], m["bare"]) if v is not None), "html")
            for m in _IMG_TAG.finditer(html)]


def references_in(page: Path, markdown: str) -> list[ImageReference]:
    return scan_page(page, markdown).images


def metric_calls(page: Path, markdown: str, names=("metric",)) -> list[MetricCall]:
    return metric_calls_of(scan_page(page, markdown), names)


def metric_calls_of(scan: PageScan, names) -> list[MetricCall]:
    calls = []
    for call in scan.shortcodes:
        if call.name not in names:
            continue
        if call.named:
            calls.append(MetricCall(scan.page, call.line, call.named.get("key", ""), call.named.get("format", ""),
                                    call.named.get("precision", "")))
        else:
            values = list(call.positional) + ["", "", ""]
            calls.append(MetricCall(scan.page, call.line, values[0], values[1], values[2]))
    return calls


def pages_of(content: Path) -> list[Path]:
    from figgen.file_names import refuse_undecodable

    return refuse_undecodable(sorted(content.rglob("*.md")), "page")


def scan_pages(content: Path, markdown_pairs=()) -> list[PageScan]:
    return [scan_page(page, read_page(page), markdown_pairs) for page in pages_of(content)]


def metric_calls_in(content: Path, names=("metric",)) -> list[MetricCall]:
    return [call for scan in scan_pages(content) for call in metric_calls_of(scan, names)]


def scan_content(content: Path) -> list[ImageReference]:
    return [reference for scan in scan_pages(content) for reference in scan.images]


def read_page(page: Path) -> str:
    """A page's text; a page that is not UTF-8, or a dangling link, is one located error."""
    return read_text(page, what="page")
