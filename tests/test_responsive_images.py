"""Figures as the built HTML offers them: a 1x and a 2x file, WebP first, lazy below the first.

Reads the real course built by Hugo (hugo_site.real_course) and opens the files its srcsets
name, so the widths checked are the pixels actually sent.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))

import hugo_site  # noqa: E402
import pytest  # noqa: E402

pytestmark = pytest.mark.course  # reads the real course built by Hugo


class _Pictures(HTMLParser):
    """Each <img> the page shows, with the <source> elements of its <picture>: `sources` for
    every scheme, `dark` those for a dark one (media="(prefers-color-scheme: dark)"), `narrow`
    those for a phone (media="(max-width: ...)"). A
    figure's renderings alone, in hidden spans (figgen/picture.html), are left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images: list[dict] = []
        self._sources: list[dict] | None = None
        self._dark: list[dict] = []
        self._narrow: list[dict] = []  # a phone's renderings (media="(max-width: ...)"): test_narrow_renderings.py
        self._spans: list[bool] = []  # for each open <span>: is it hidden?

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "span":
            self._spans.append("hidden" in attributes)
        elif any(self._spans):
            return
        elif tag == "picture":
            self._sources, self._dark, self._narrow = [], [], []
        elif tag == "source" and self._sources is not None and "max-width" in attributes.get("media", ""):
            self._narrow.append(attributes)
        elif tag == "source" and self._sources is not None:
            (self._dark if "prefers-color-scheme: dark" in attributes.get("media", "") else self._sources).append(attributes)
        elif tag == "img":
            self.images.append({**attributes, "sources": self._sources or [], "dark": self._dark,
                                "narrow": self._narrow})

    def handle_endtag(self, tag):
        if tag == "span" and self._spans:
            self._spans.pop()
        elif tag == "picture" and not any(self._spans):
            self._sources, self._dark = None, []


def pictures(html: Path) -> list[dict]:
    parser = _Pictures()
    parser.feed(html.read_text(encoding="utf-8"))
    return parser.images


def candidates(srcset: str) -> list[tuple[str, int]]:
    """"a.png 736w, b.png 1472w" -> [("a.png", 736), ("b.png", 1472)]."""
    pairs = [candidate.strip().rsplit(" ", 1) for candidate in srcset.split(",")]
    return [(url, int(width.rstrip("w"))) for url, width in pairs]


def test_every_figure_offers_its_1x_and_2x_files_webp_first():
    course = hugo_site.real_course()
    images = pictures(course.public / hugo_site.MODULE3_PAGE)
    assert len(images) >= 20
    for image in images:
        declared = course.data["figures"][image["src"]]
        width = declared["width"]
        assert (int(image["width"]), int(image["height"])) == (width, declared["height"])
        assert f"{width}px" in image["sizes"]
        fallback = candidates(image["srcset"])
        assert [descriptor for _, descriptor in fallback] == [width, 2 * width], image["src"]
        for url, descriptor in fallback:  # the descriptor is the file's real width
            with Image.open(hugo_site.output_file(course.public, url)) as file:
                assert file.width == descriptor, url
        (webp,) = image["sources"]
        assert webp["type"] == "image/webp" and webp["sizes"] == image["sizes"]
        assert [descriptor for _, descriptor in candidates(webp["srcset"])] == [width, 2 * width]
        assert all(url.endswith(".webp") for url, _ in candidates(webp["srcset"]))
        # Its dark rendering: the same offer (WebP, then the fallback with its own size), under a dark system.
        dark_path = declared["renderings"]["dark"]
        dark = course.data["figures"][dark_path]
        dark_webp, dark_fallback = image["dark"]
        assert dark_webp["type"] == "image/webp" and dark_fallback["sizes"] == image["sizes"]
        assert (int(dark_fallback["width"]), int(dark_fallback["height"])) == (dark["width"], dark["height"])
        for source in (dark_webp, dark_fallback):
            assert [d for _, d in candidates(source["srcset"])] == [dark["width"], 2 * dark["width"]], dark_path
            assert all(dark_path.rsplit("/", 1)[1].split(".")[0] + ".dark" in url for url, _ in candidates(source["srcset"]))


def test_photos_are_sent_as_jpeg_and_diagrams_as_png():
    course = hugo_site.real_course()
    images = {image["src"]: image for image in pictures(course.public / hugo_site.MODULE3_PAGE)}
    photo = images["/images/module3/jpeg.png"]  # a portrait saved by figgen as PNG
    assert all(url.endswith(".jpg") for url, _ in candidates(photo["srcset"]))
    diagram = images["/images/module3/cnn.png"]
    assert all(url.endswith(".png") for url, _ in candidates(diagram["srcset"]))
    # The photo's largest file is a fraction of the PNG figgen saved.
    largest = hugo_site.output_file(course.public, candidates(photo["srcset"])[-1][0])
    assert largest.stat().st_size * 2 < (course.site / "static/images/module3/jpeg.png").stat().st_size


def test_only_the_first_figure_loads_at_once():
    course = hugo_site.real_course()
    first, *others = pictures(course.public / hugo_site.MODULE3_PAGE)
    # lazy too where the theme can force a scheme (figgen/picture.html): only the shown rendering loads
    assert first.get("fetchpriority") == "high"
    assert others and all(
        image.get("loading") == "lazy" and image.get("decoding") == "async" and "fetchpriority" not in image
        for image in others
    )


def test_the_module3_page_read_to_the_end_weighs_under_900_kib_on_a_phone():
    """Lighthouse weighs what loads before a reader scrolls; a student reads the whole page.
    A phone (412 px, DPR 1.75) and a 1x desktop both get the 1x WebP of every figure.
    (825 KiB measured: 33 KiB of gzipped HTML since the provenance code is fetched on unfolding,
    103 KiB of math font, 689 KiB of figures; 915 KiB when the page carried that code.)"""
    import gzip

    course = hugo_site.real_course()
    page = course.public / hugo_site.MODULE3_PAGE
    figures = sum(
        hugo_site.output_file(course.public, candidates(image["sources"][0]["srcset"])[0][0]).stat().st_size
        for image in pictures(page)
    )
    font = (course.public / "fonts" / "DejaVuMathTeXGyre.woff").stat().st_size
    total = len(gzip.compress(page.read_bytes())) + font + figures
    assert total <= 900 * 1024, f"{total / 1024:.0f} KiB"
