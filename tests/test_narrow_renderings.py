"""`renderings: [light, dark, narrow]`: a phone's rendering of every scheme, picked by the page.

A narrow rendering is drawn narrower with the same text (ctx.width), so its text is larger
once a phone shrinks it to its screen. On a site made by `figgen init` (no theme), the page
offers it in <source media="(max-width: 600px)"> (and dark on top), with its own size; and
`figgen check` fails when a shown figure's narrow file is missing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_figgen
from hugo_site import parse_page
from test_plugin import hugo, new_hugo_site

from figgen.renderings import drawn, rendering_output, scheme, width

# The example figure, 7 inches wide, or 3.6 on a phone: the same 10 pt text, twice as large there.
DRAW_BY_WIDTH = '''
from matplotlib.figure import Figure


def draw(ctx):
    narrow = ctx.width == "narrow"
    figure = Figure(figsize=(3.6 if narrow else 7.0, 2.5), facecolor="#121212" if ctx.rendering == "dark" else "white")
    axes = figure.add_subplot()
    axes.plot([0, 1, 2], [0, 1, 0])
    axes.set_title(f"{ctx.rendering} {ctx.width}", fontsize=10)
    ctx.fact("peak", 1)
    return figure
'''


def test_narrow_is_drawn_for_every_declared_scheme_and_named_beside_it():
    assert drawn(("light", "dark", "narrow")) == ("light", "dark", "narrow", "narrow.dark")
    assert drawn(("light", "narrow")) == ("light", "narrow")
    assert drawn(("light", "dark")) == ("light", "dark")
    assert [(scheme(r), width(r)) for r in ("", "dark", "narrow", "narrow.dark")] == [
        ("light", "wide"), ("dark", "wide"), ("light", "narrow"), ("dark", "narrow")]
    assert rendering_output("/images/m/cnn.png", "narrow.dark") == "/images/m/cnn.narrow.dark.png"


def sources_of(html: str, image: str) -> dict[str, str]:
    """media -> the first file its <source> offers, for the <picture> of `image`."""
    picture = next(p for p in re.findall(r"<picture>.*?</picture>", html, re.S) if f'src="{image}"' in p
                   or f"src={image}" in p)
    found = {}
    for attributes in re.findall(r"<source ([^>]*)>", picture):
        media = re.search(r'media="?([^">]*\))"?', attributes)
        if media is None:  # the light rendering's own WebP: what no query matched
            continue
        found.setdefault(media[1], re.search(r'srcset="?([^ ",]+)', attributes)[1])
    return found


def narrow_site(tmp_path) -> Path:
    """A site made by `figgen init`, its example figure in four renderings, on one page; built."""
    site = new_hugo_site(tmp_path / "site")
    run_figgen(site, "init", check=True)
    config = site / "figgen.yaml"
    config.write_text("renderings: [light, dark, narrow]\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    (site / "figcode" / "figures" / "example.py").write_text(DRAW_BY_WIDTH, encoding="utf-8")
    (site / "content" / "docs" / "demo.md").write_text("---\ntitle: Demo\n---\n\n![](/images/example.png)\n",
                                                      encoding="utf-8")
    for kind in ("single", "list"):  # no theme: the page's content is enough
        layout = site / "layouts" / f"{kind}.html"
        layout.parent.mkdir(exist_ok=True)
        layout.write_text('<!doctype html><meta name="viewport" content="width=device-width">'
                          "<title>{{ .Title }}</title>{{ .Content }}", encoding="utf-8")
    run_figgen(site, "build", check=True)
    return site


@pytest.mark.slow
def test_a_site_offers_the_narrow_rendering_to_phones_and_check_covers_it(tmp_path):
    site = narrow_site(tmp_path)
    images = site / "assets" / "images"
    names = sorted(p.name for p in images.glob("example*.png"))
    assert names == ["example.dark.png", "example.narrow.dark.png", "example.narrow.png", "example.png"]

    result = hugo(site)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (site / "public" / "docs" / "demo" / "index.html").read_text(encoding="utf-8")
    sources = sources_of(html, "/images/example.png")
    phone, dark = "(max-width: 600px)", "(prefers-color-scheme: dark)"
    assert list(sources) == [f"{phone} and {dark}", phone, dark]  # the first that matches wins
    assert "example.narrow.dark" in sources[f"{phone} and {dark}"]
    assert "example.narrow" in sources[phone] and ".dark" not in sources[phone]
    assert "example.dark" in sources[dark] and "narrow" not in sources[dark]
    widths = {m[0]: int(m[1]) for m in re.findall(r'media="?([^">]*\))"?[^>]*?width="?(\d+)', html)}
    figure = parse_page(site / "public" / "docs" / "demo" / "index.html").figures[0]
    assert widths[phone] < int(figure["img"]["width"]) * 0.6  # its own size: the page keeps its aspect ratio

    assert run_figgen(site, "check").returncode == 0
    (images / "example.narrow.dark.png").unlink()
    failed = run_figgen(site, "check")
    assert failed.returncode == 1
    assert "the narrow.dark rendering of /images/example.png (shown by a page) is" in failed.stdout + failed.stderr
