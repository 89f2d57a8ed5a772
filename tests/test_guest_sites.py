"""figgen as a guest in someone else's English Hugo site, on two real documentation themes.

One small project (a plain matplotlib figure that reports a fact, quoted by name in its
caption and in the prose), built with hugo-book and with hugo-geekdoc, each of which has an image
render hook of its own. The site lists its theme first, so the theme keeps its hook for every
Markdown image, and shows figgen's figure with the `figgen-figure` shortcode. The same site is
built without figgen: every image and Hugo `figure` that is not figgen's must come out the same.
The themes are used in place (../shared/themes), linked into a temporary site, never copied.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, run_figgen
from hugo_site import hugo_binary

# ../shared beside the clone; FIGGEN_SHARED names it elsewhere (a worktree one level deeper).
THEMES = Path(os.environ.get("FIGGEN_SHARED", REPO.parent / "shared")) / "themes"
COMPONENT = REPO / "figgen" / "themes" / "figgen"

FIGURE = '''\
from matplotlib.figure import Figure


def draw(ctx):
    values = [0.91, 0.935, 0.978]
    ctx.fact("best", values[-1])
    figure = Figure(figsize=(6, 3))
    axes = figure.add_subplot()
    axes.plot([1, 2, 3], values, marker="o")
    axes.set_xlabel("epoch")
    axes.set_ylabel("accuracy")
    figure.tight_layout()
    return figure
'''

CONFIG = '''\
package: figures
site: .
figures:
  - output: /images/accuracy.png
    draw: accuracy
    alt: "Accuracy climbs over three epochs and ends at {@accuracy.best:percent:1}"
    caption: "The best epoch reaches {@accuracy.best:percent:1}."
'''

PAGE = '''\
---
title: "Results"
---

A photo the site had before figgen:

![A hand-placed photo](/photo.png "A title")

{{< figgen-figure src="/images/accuracy.png" >}}

The model reaches {{< metric "@accuracy.best" "percent" 1 >}} on the held-out set.

{{< figure src="/photo.png" alt="Hugo's own figure" caption="Hugo's caption" link="https://example.org/"
    class="wide" width="120" target="_blank" >}}

{{< figgen-figure src="/images/accuracy.png" caption="The same figure again." >}}
'''


def _site(folder: Path, theme: str, with_figgen: bool) -> Path:
    (folder / "content" / "docs").mkdir(parents=True)
    (folder / "themes").mkdir()
    (folder / "themes" / theme).symlink_to(THEMES / theme)
    themes = f'["{theme}"]'
    if with_figgen:
        (folder / "themes" / "figgen").symlink_to(COMPONENT)
        themes = f'["{theme}", "figgen"]'  # the theme first: it keeps its own image render hook
    (folder / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "Guest"\nlanguageCode = "en-us"\n'
        f'theme = {themes}\ndisableKinds = ["taxonomy", "term", "rss", "sitemap"]\n'
        '[params]\n  BookSection = "docs"\n  geekdocRootMenu = true\n'
        '[markup.goldmark.parser]\n  wrapStandAloneImageWithinParagraph = false\n'
        '[markup.goldmark.renderer]\n  unsafe = true\n', encoding="utf-8")
    (folder / "static").mkdir()
    from PIL import Image

    Image.new("RGB", (200, 100), "#3a7").save(folder / "static" / "photo.png")
    page = PAGE if with_figgen else re.sub(r"\{\{< (figgen-figure|metric) [^}]*>\}\}", "", PAGE)
    (folder / "content" / "docs" / "results.md").write_text(page, encoding="utf-8")
    if with_figgen:
        (folder / "figgen.yaml").write_text(CONFIG, encoding="utf-8")
        (folder / "figures").mkdir()
        (folder / "figures" / "__init__.py").write_text("", encoding="utf-8")
        (folder / "figures" / "accuracy.py").write_text(FIGURE, encoding="utf-8")
        run_figgen(folder, "build", check=True)
    result = subprocess.run([hugo_binary(), "--source", str(folder), "--destination", str(folder / "public")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "public" / "docs" / "results" / "index.html"


@pytest.fixture(scope="module", params=["hugo-book", "hugo-geekdoc"])
def built(request, tmp_path_factory):
    if not (THEMES / request.param).is_dir():
        pytest.skip(f"../shared/themes/{request.param} is absent")
    folder = tmp_path_factory.mktemp(request.param)
    ours = _site(folder / "with", request.param, True).read_text(encoding="utf-8")
    theirs = _site(folder / "without", request.param, False).read_text(encoding="utf-8")
    return ours, theirs


def _tags(html: str, pattern: str) -> list[str]:
    return re.findall(pattern, html, re.DOTALL)


def test_numbers_are_written_in_the_sites_language(built):
    ours, _ = built
    assert ">97.8%<" in ours  # the metric shortcode, English
    assert "reaches 97.8%." in ours  # the caption's placeholder
    assert 'alt="Accuracy climbs over three epochs and ends at 97.8%"' in ours
    assert "97,8" not in ours


def test_images_and_figures_that_are_not_figgens_are_left_as_the_host_renders_them(built):
    ours, theirs = built
    photo = r'<img[^>]*src="?/photo\.png[^>]*>'
    assert _tags(ours, photo) and _tags(ours, photo) == _tags(theirs, photo)  # theme's hook, Hugo's figure
    hugo_figure = r'<figure class="?wide"?.*?</figure>'
    assert _tags(ours, hugo_figure) == _tags(theirs, hugo_figure)
    figure = _tags(ours, hugo_figure)[0]
    for part in ('href="https://example.org/"', 'target="_blank"', 'width="120"', "Hugo&rsquo;s caption"):
        assert part in figure.replace("&#39;", "'")


def test_figgens_figures_are_numbered_once_with_unique_ids_and_captions_not_alts(built):
    ours, _ = built
    figures = _tags(ours, r'<figure class="?figgen-figure"?[^>]*>.*?</figure>')
    assert len(figures) == 2
    ids = [re.search(r'id="?([\w-]+)', f).group(1) for f in figures]
    assert ids == ["figure-1", "figure-2"]
    captions = [re.sub(r"<[^>]+>", "", re.search(r"<figcaption>(.*?)</figcaption>", f, re.DOTALL).group(1)).strip()
                for f in figures]
    assert captions == ["Figure 1: The best epoch reaches 97.8%.", "Figure 2: The same figure again."]
    assert ours.count("<style>.figgen-figure") == 1  # the stylesheet, once per page
    assert "height:auto" in ours


def test_the_provenance_stays_out_of_the_meta_description(built):
    ours, _ = built
    description = re.search(r'<meta name="?description"? content="([^"]*)"', ours)
    assert description is not None
    assert "code that drew" not in description.group(1) and "Built on" not in description.group(1)
