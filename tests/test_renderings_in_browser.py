"""The page shows the rendering of the reader's colour scheme, and fetches only that one.

A real headless Chromium, with `prefers-color-scheme` emulated (Emulation.setEmulatedMedia),
on the course's module 3 page and on small hugo-book and hugo-geekdoc sites whose three figures
declare `renderings: [light, dark]`: first in auto mode (the system decides), then with the
theme's own choice forced both ways (hugo-book's BookTheme, hugo-geekdoc's toggle, the course's
toggle). For every figure the browser must show the expected file, and the hidden rendering
must not be fetched, in all four combinations of system scheme and theme toggle, the page's
first figure included.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import hugo_site  # noqa: E402
from browser import chromium, chromium_missing, fetched_urls, image_states, open_page, serve  # noqa: E402
from conftest import run_figgen  # noqa: E402

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_missing() is not None and not os.environ.get("CI"), reason=chromium_missing() or ""),
]

REPO = Path(__file__).resolve().parents[1]
# ../shared/themes beside the repository (or beside the folder of worktrees that holds it)
THEMES = next((folder / "shared" / "themes" for folder in REPO.parents if (folder / "shared" / "themes").is_dir()),
              REPO.parent / "shared" / "themes")
MODULE3_URL = "/" + quote(str(hugo_site.MODULE3_PAGE.parent)) + "/"
DARK_BACKGROUND = "rgb(22, 24, 29)"  # course.css --bg in dark mode, and the dark figures' background


def emulate(driver, scheme: str) -> None:
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                           {"features": [{"name": "prefers-color-scheme", "value": scheme}]})


def is_dark(url: str) -> bool:
    return ".dark" in urlparse(url).path


def figure_files(urls: list[str], prefix: str = "/images/") -> list[str]:
    return [url for url in urls if urlparse(url).path.startswith(prefix)]


def look(driver, url: str) -> tuple[list[dict], list[str]]:
    """The figures shown (every image laid out, scrolled to) and every figure file fetched.

    A fresh load, as a reader's: from a blank page, so that nothing of the previous load (under
    another emulated scheme) is still being fetched into this one.
    """
    driver.get("about:blank")
    open_page(driver, url)
    figures = [image for image in image_states(driver) if figure_files([image["src"]])]  # not a theme's logo
    return figures, figure_files(fetched_urls(driver))


def stem(url: str) -> str:
    """`/images/module3/nn_zoo.dark_hu_29606d.webp` -> `module3/nn_zoo`: the figure a file is of."""
    name = urlparse(url).path.removeprefix("/images/").split("_hu")[0]
    return name.rsplit(".", 1)[0].removesuffix(".dark") if "_hu" not in urlparse(url).path else name.removesuffix(".dark")


def assert_shows(images: list[dict], fetched: list[str], scheme: str, count: int, first: str,
                 forced_against_system: bool = False) -> None:
    assert len(images) == count, [image["src"] for image in images]
    wrong = [image["src"] for image in images if is_dark(image["src"]) != (scheme == "dark")]
    assert not wrong, f"{scheme}: shows the other rendering: {wrong}"
    assert all(image["naturalWidth"] > 0 and image["alt"] for image in images)
    other = [url for url in fetched if is_dark(url) != (scheme == "dark")]
    assert not other, f"{scheme}: fetched the hidden rendering: {other}"  # the first figure included


# --- the course --------------------------------------------------------------------------------


@pytest.mark.course
def test_the_course_page_follows_the_system_then_the_readers_choice(tmp_path):
    course = hugo_site.real_course()
    figures = [path for path in course.data["figures"] if ".dark." not in path]
    with serve(course.public) as base, chromium(tmp_path / "profile") as driver:
        url = base + MODULE3_URL
        images, _ = look(driver, url)
        count, first = len(images), stem(images[0]["src"])
        assert count >= 20 and all(image["path"] in figures for image in images)

        for scheme in ("light", "dark"):  # auto: the system decides
            emulate(driver, scheme)
            assert_shows(*look(driver, url), scheme, count, first)
            background = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
            assert (background == DARK_BACKGROUND) == (scheme == "dark")

        # The toggle, under a dark system: light, remembered across pages and reloads.
        driver.find_element("css selector", ".theme-toggle").click()
        assert driver.execute_script("return document.documentElement.dataset.theme") == "light"
        assert_shows(*look(driver, url), "light", count, first, forced_against_system=True)
        assert driver.execute_script("return getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"

        # Under a light system, the toggle back to dark.
        emulate(driver, "light")
        driver.find_element("css selector", ".theme-toggle").click()
        assert_shows(*look(driver, url), "dark", count, first, forced_against_system=True)
        assert driver.execute_script("return getComputedStyle(document.body).backgroundColor") == DARK_BACKGROUND


def test_the_choice_is_applied_before_the_first_paint():
    """No flash of the other theme: the stored choice is set by a script before any style."""
    head = (REPO / "site" / "layouts" / "_partials" / "head.html").read_text(encoding="utf-8")
    assert head.index('localStorage.getItem("theme")') < head.index("css/course.css")
    assert "<script src" not in head and " defer" not in head


# --- hugo-book and hugo-geekdoc ----------------------------------------------------------------

BOXES = '''
from matplotlib.figure import Figure


def draw(ctx):
    dark = ctx.rendering == "dark"
    figure = Figure(figsize=(6, 2), facecolor="#16181d" if dark else "white")
    axes = figure.add_axes([0, 0, 1, 1])
    axes.set_facecolor("#16181d" if dark else "white")
    for i in range(ctx.params["count"]):
        axes.bar(i, 1 + i, color="#4aa3df" if dark else "#0072b2")
    axes.set_title("dark" if dark else "light", color="#e6e6e6" if dark else "#222222")
    return figure
'''

PAGE = """---
title: Figures
---

{paragraphs}

![Three bars](/images/one.png)

{paragraphs}

![Four bars](/images/two.png)

{paragraphs}

![Five bars](/images/three.png)
"""

THEME_SETTINGS = {
    "hugo-book": {"head": "layouts/_partials/docs/inject/head.html", "attribute": "data-theme",
                  "extra": '[params]\n  BookSection = "docs"\n  BookTheme = "{mode}"\n'},
    "hugo-geekdoc": {"head": "layouts/partials/head/custom.html", "attribute": "color-theme",
                     "extra": '[params]\n  geekdocRepo = ""\n'},
}


def themed_site(folder: Path, theme: str, mode: str = "auto") -> Path:
    """A site on `theme` with figgen's component and three figures drawn light and dark."""
    settings = THEME_SETTINGS[theme]
    site = folder / f"{theme}-{mode}"
    shutil.copytree(THEMES / theme, site / "themes" / theme)
    shutil.copytree(REPO / "figgen" / "themes" / "figgen", site / "themes" / "figgen")
    (site / "content" / "docs").mkdir(parents=True)
    paragraphs = "\n\n".join(["Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 6] * 8)
    (site / "content" / "docs" / "figures.md").write_text(PAGE.format(paragraphs=paragraphs), encoding="utf-8")
    head = site / settings["head"]
    head.parent.mkdir(parents=True)
    head.write_text('{{ partial "figgen/renderings-style.html" . }}\n', encoding="utf-8")
    attribute = settings["attribute"]
    (site / "hugo.toml").write_text(
        'baseURL = "http://localhost/"\ntitle = "Site"\n'
        f'theme = ["figgen", "{theme}"]\ndisableKinds = ["taxonomy", "term", "rss", "sitemap"]\n'
        + settings["extra"].format(mode=mode)
        + f"  [params.figgen]\n    dark_selector = 'html[{attribute}=\"dark\"]'\n"
          f"    light_selector = 'html[{attribute}=\"light\"]'\n", encoding="utf-8")
    package = site / "figs"
    (package / "figures").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "figures" / "__init__.py").write_text("", encoding="utf-8")
    (package / "figures" / "boxes.py").write_text(BOXES, encoding="utf-8")
    figures = "".join(f"  - {{output: /images/{name}.png, draw: figures.boxes, alt: {count} bars, params: {{count: {count}}}}}\n"
                      for name, count in (("one", 3), ("two", 4), ("three", 5)))
    (site / "figgen.yaml").write_text(f"package: figs\nsite: .\nrenderings: [light, dark]\nfigures:\n{figures}",
                                      encoding="utf-8")
    run_figgen(site, "build", check=True)
    result = subprocess.run([hugo_site.hugo_binary(), "--source", str(site), "--destination", str(site / "public"),
                             "--panicOnWarning"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return site / "public"


@pytest.mark.parametrize("theme", ["hugo-book", "hugo-geekdoc"])
def test_a_themed_site_follows_the_system_then_the_themes_own_choice(theme, tmp_path):
    if not (THEMES / theme).is_dir():
        pytest.skip(f"../shared/themes/{theme} is absent")
    attribute = THEME_SETTINGS[theme]["attribute"]
    public = themed_site(tmp_path, theme, "auto")
    for width in (1280, 390) if theme == "hugo-geekdoc" else (1280,):  # a laptop and a phone
        with serve(public) as base, chromium(tmp_path / f"profile-{width}", width=width) as driver:
            if width < 600:  # a window can't be that narrow
                driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                       {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": True})
            url = base + "/docs/figures/"
            for scheme in ("light", "dark"):  # auto: the system decides
                emulate(driver, scheme)
                assert_shows(*look(driver, url), scheme, 3, "one")
            if theme == "hugo-geekdoc":  # its toggle: auto -> dark -> light, kept in localStorage
                for forced, system in (("dark", "light"), ("light", "dark")):
                    emulate(driver, system)
                    open_page(driver, url)
                    driver.execute_script("document.querySelector('#gdoc-color-theme').click()")
                    assert driver.execute_script(f"return document.documentElement.getAttribute('{attribute}')") == forced
                    assert_shows(*look(driver, url), forced, 3, "one", forced_against_system=True)
    if theme == "hugo-book":  # its setting: BookTheme, at build time
        for forced, system in (("dark", "light"), ("light", "dark")):
            public = themed_site(tmp_path, theme, forced)
            with serve(public) as base, chromium(tmp_path / f"profile-{forced}") as driver:
                emulate(driver, system)
                assert_shows(*look(driver, base + "/docs/figures/"), forced, 3, "one", forced_against_system=True)
