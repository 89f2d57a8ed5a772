"""figgen as a guest in someone else's English and German Hugo site, on two real documentation themes.

One small project (a plain matplotlib figure that reports a fact, quoted by name in its
caption and in the prose), built with hugo-book and with hugo-geekdoc, each of which has an image
render hook of its own. The site lists its theme first, so the theme keeps its hook for every
Markdown image, and shows figgen's figure with the `figgen-figure` shortcode. The same site is
built without figgen: every image and Hugo `figure` that is not figgen's must come out the same.
The site is bilingual: the German page gets the German alt text and caption of figgen.yaml, and
every number in German notation ("97,8 %"). An archive post with no figure quotes versions and
a hand-typed "30% faster": none of figgen's business, `figgen check` passes. The site keeps
Hugo's default wrapStandAloneImageWithinParagraph: figgen needs no site-wide setting.
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
    alt:
      en: "Accuracy climbs over three epochs and ends at {@accuracy.best:percent:1}"
      de: "Die Genauigkeit steigt über drei Epochen auf {@accuracy.best:percent:1}"
    caption:
      en: "The best epoch reaches {@accuracy.best:percent:1}."
      de: "Die beste Epoche erreicht {@accuracy.best:percent:1}."
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

PAGE_DE = '''\
---
title: "Ergebnisse"
---

{{< figgen-figure src="/images/accuracy.png" >}}

Das Modell erreicht {{< metric "@accuracy.best" "percent" 1 >}} auf den Testdaten.
'''

# An old post: no figgen figure, no figgen number. Its numbers are the site's business.
ARCHIVE = '''\
---
title: "Upgrading"
---

We moved to Python 3.11 and Hugo 0.168.0 on 2024-05-12: the build is 30% faster, 2.5 times on a laptop.
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
        'defaultContentLanguage = "en"\n'
        '[languages.en]\n  label = "English"\n  weight = 1\n'
        '[languages.de]\n  label = "Deutsch"\n  weight = 2\n'
        '[params]\n  BookSection = "docs"\n  geekdocRootMenu = true\n'
        '[markup.goldmark.renderer]\n  unsafe = true\n', encoding="utf-8")
    (folder / "static").mkdir()
    from PIL import Image

    Image.new("RGB", (200, 100), "#3a7").save(folder / "static" / "photo.png")
    page = PAGE if with_figgen else re.sub(r"\{\{< (figgen-figure|metric) [^}]*>\}\}", "", PAGE)
    (folder / "content" / "docs" / "results.md").write_text(page, encoding="utf-8")
    (folder / "content" / "docs" / "archive.md").write_text(ARCHIVE, encoding="utf-8")
    german = PAGE_DE if with_figgen else re.sub(r"\{\{< (figgen-figure|metric) [^}]*>\}\}", "", PAGE_DE)
    (folder / "content" / "docs" / "results.de.md").write_text(german, encoding="utf-8")
    if with_figgen:
        (folder / "figgen.yaml").write_text(CONFIG, encoding="utf-8")
        (folder / "figures").mkdir()
        (folder / "figures" / "__init__.py").write_text("", encoding="utf-8")
        (folder / "figures" / "accuracy.py").write_text(FIGURE, encoding="utf-8")
        run_figgen(folder, "build", check=True)
        checked = run_figgen(folder, "check")
        assert checked.returncode == 0, checked.stdout + checked.stderr  # the archive post included
    result = subprocess.run([hugo_binary(), "--source", str(folder), "--destination", str(folder / "public")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "public" / "docs" / "results" / "index.html"


@pytest.fixture(scope="module", params=["hugo-book", "hugo-geekdoc"])
def built(request, tmp_path_factory):
    if not (THEMES / request.param).is_dir():
        pytest.skip(f"../shared/themes/{request.param} is absent")
    folder = tmp_path_factory.mktemp(request.param)
    ours = _site(folder / "with", request.param, True)
    theirs = _site(folder / "without", request.param, False)
    return Built(ours.read_text(encoding="utf-8"), theirs.read_text(encoding="utf-8"), folder / "with" / "public")


def _german(built) -> str:
    return (built.public / "de" / "docs" / "results" / "index.html").read_text(encoding="utf-8")


class Built(tuple):
    """(our page's HTML, the same page without figgen), and where our site was published."""

    def __new__(cls, ours: str, theirs: str, public: Path):
        built = super().__new__(cls, (ours, theirs))
        built.public = public
        built.site = public.parent
        return built


def _tags(html: str, pattern: str) -> list[str]:
    return re.findall(pattern, html, re.DOTALL)


def test_numbers_are_written_in_the_sites_language(built):
    ours, _ = built
    assert ">97.8%<" in ours  # the metric shortcode, English
    assert "reaches 97.8%." in ours  # the caption's placeholder
    assert 'alt="Accuracy climbs over three epochs and ends at 97.8%"' in ours
    assert "97,8" not in ours


def test_the_german_page_gets_german_words_and_notation(built):
    german = _german(built)
    assert 'alt="Die Genauigkeit steigt über drei Epochen auf 97,8\u00a0%"' in german
    caption = re.sub(r"<[^>]+>", "", re.search(r"<figcaption>(.*?)</figcaption>", german, re.DOTALL).group(1))
    assert re.sub(r"[ \n]+", " ", caption).strip() == "Abbildung 1: Die beste Epoche erreicht 97,8\u00a0%."  # figgen's de.yaml
    assert ">97,8\u00a0%<" in german  # the metric shortcode
    assert "97.8" not in german and "Accuracy climbs" not in german


def _check_with(built, name: str, text: str):
    """`figgen check` of the built site with one more page, removed afterwards."""
    page = built.site / "content" / "docs" / name
    page.write_text(text, encoding="utf-8")
    try:
        return run_figgen(built.site, "check")
    finally:
        page.unlink()


def test_a_placeholder_in_a_shortcode_parameter_fails_check_with_its_line(built):
    result = _check_with(built, "typo.md", '---\ntitle: "T"\n---\n\nText.\n\n'
                         '{{< figgen-figure src="/images/accuracy.png" caption="Best: {@accuracy.best:percent:1}" >}}\n')
    assert result.returncode == 1
    assert "content/docs/typo.md:7: " in result.stdout and "{@accuracy.best:percent:1}" in result.stdout


def test_a_figgen_figure_left_to_the_themes_image_hook_fails_check_with_its_line(built):
    result = _check_with(built, "markdown.md", '---\ntitle: "M"\n---\n\n![](/images/accuracy.png)\n')
    assert result.returncode == 1
    assert "content/docs/markdown.md:5: /images/accuracy.png is a figgen figure, but the theme" in result.stdout
    assert "figgen-figure" in result.stdout


def test_an_undeclared_image_is_said_to_be_no_file_of_the_sites_own_static_folder(built):
    result = _check_with(built, "photo.md", '---\ntitle: "P"\n---\n\n![](/images/zebra-crossing.png)\n')
    assert result.returncode == 1
    assert "content/docs/photo.md:5: /images/zebra-crossing.png is not declared by any figure (figgen.yaml) " \
           "and is no file of static" in result.stdout  # the site's folder is static/, not site/static


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


# --- in a real browser: what a reader sees on a phone and on a laptop ----------------------

# WCAG contrast of every highlighted token of the unfolded provenance code on its background.
CONTRASTS = """
const parse = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
const lum = rgb => { const [r, g, b] = rgb.map(v => { v /= 255;
  return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
const out = [];
for (const block of document.querySelectorAll('.figgen-code .chroma')) {
  const background = parse(getComputedStyle(block).backgroundColor);
  for (const token of block.querySelectorAll('span')) {
    if (!token.textContent.trim()) continue;
    out.push([token.className, ratio(parse(getComputedStyle(token).color), background)]);
  }
}
return out;
"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_a_reader_sees_figures_at_their_ratio_and_readable_provenance_in_light_and_dark(built, tmp_path, width):
    from browser import chromium, chromium_missing, image_states, open_page, serve, unfold_provenance

    if chromium_missing():
        pytest.skip(chromium_missing())
    with serve(built.public) as base, chromium(tmp_path / "profile", width=width) as driver:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",  # a window can't be that narrow
                               {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": width < 600})
        for scheme in ("light", "dark"):
            driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                                   {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
            open_page(driver, base + "/docs/results/")
            figures = [image for image in image_states(driver) if "/images/accuracy" in image["path"]]
            assert len(figures) == 2
            for image in figures:  # the image's own ratio, whatever the column's width
                natural = image["naturalWidth"] / image["naturalHeight"]
                assert abs(image["width"] / image["height"] - natural) / natural < 0.01, (width, image)
                assert image["width"] <= width
            ids = driver.execute_script("return Array.from(document.querySelectorAll('[id]')).map(e => e.id)")
            ours = [i for i in ids if i.startswith("figure-")]  # (hugo-book repeats its own TableOfContents)
            assert ours == ["figure-1", "figure-2"] and all(ids.count(i) == 1 for i in ours)
            assert driver.execute_script("return document.documentElement.clientWidth") == width
            unfold_provenance(driver)
            contrasts = driver.execute_script(CONTRASTS)
            assert len(contrasts) > 20, contrasts  # the code is there, highlighted by classes
            low = [(name, round(value, 2)) for name, value in contrasts if value < 4.5]
            assert low == [], (scheme, low)
