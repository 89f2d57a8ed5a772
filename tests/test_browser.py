"""The course as a reader sees it: a real headless Chromium on the built site.

The site is served over HTTP on 127.0.0.1, as a static host would serve it. Skipped where
Chromium is missing (scripts/install-chromium.sh installs it; CI has it). The screenshots are
kept in tests/artifacts/ for a human to look at.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import hugo_site  # noqa: E402
from browser import (  # noqa: E402
    ARTIFACTS,
    chromium,
    chromium_missing,
    fetched_urls,
    full_page_screenshot,
    image_states,
    open_page,
    serve,
    viewport_screenshot,
)

pytestmark = [
    pytest.mark.browser,
    # In CI (CI=true) a missing browser is a failure, never a silent skip.
    pytest.mark.skipif(chromium_missing() is not None and not os.environ.get("CI"), reason=chromium_missing() or ""),
]

MODULE3_URL = "/" + quote(str(hugo_site.MODULE3_PAGE.parent)) + "/"
COLUMN = 720  # CSS px: the text column, and the width figures are drawn for


def pixel_width(url: str) -> int:
    """The width in pixels of the image file at `url`, as served."""
    from io import BytesIO
    from urllib.request import urlopen

    from PIL import Image

    with urlopen(url, timeout=30) as response:
        return Image.open(BytesIO(response.read())).width


def assert_every_image_is_shown(driver) -> list[dict]:
    images = image_states(driver)
    assert images, "the page shows no image"
    broken = [image["src"] for image in images if image["naturalWidth"] == 0]
    assert not broken, f"images that did not load: {broken}"
    assert all(image["alt"] for image in images)
    return images


def assert_nothing_fetched_from_elsewhere(driver, base: str) -> None:
    foreign = [url for url in fetched_urls(driver) if not url.startswith(base + "/")]
    assert not foreign, f"the page fetched from outside the site: {foreign}"


def assert_math_is_drawn(driver) -> None:
    sizes = driver.execute_script(
        "return Array.from(document.querySelectorAll('math')).map(m => m.getBoundingClientRect().width)"
    )
    assert sizes and min(sizes) > 0, "MathML formulas are missing or drawn empty"


@pytest.fixture(scope="module")
def placeholder_site(tmp_path_factory) -> Path:
    """The repository's pages with placeholder figures: the theme, without training anything."""
    root = tmp_path_factory.mktemp("browser-placeholders")
    site = hugo_site.copy_project(root, with_figures=False)
    hugo_site.write_placeholder_figures(site, hugo_site.referenced_images(root / "content"))
    return hugo_site.build_or_fail(site, root / "public")


@pytest.mark.course
def test_the_theme_reads_well_on_a_desktop_a_phone_and_paper(placeholder_site, tmp_path):
    with serve(placeholder_site) as base, chromium(tmp_path / "profile") as driver:
        open_page(driver, base + MODULE3_URL)
        assert_every_image_is_shown(driver)
        assert_nothing_fetched_from_elsewhere(driver, base)
        assert_math_is_drawn(driver)
        visible = "return getComputedStyle(document.querySelector('.sidebar')).display !== 'none'"
        assert driver.execute_script(visible)
        column = driver.execute_script("return document.querySelector('.page').getBoundingClientRect().width")
        assert column == pytest.approx(COLUMN, abs=1)

        # A phone: the outline folds behind the "Menu" button, figures shrink to the screen.
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
        )
        assert not driver.execute_script(visible)
        overflow = driver.execute_script("return document.documentElement.scrollWidth")
        assert overflow <= 390, "the page scrolls sideways on a phone"
        driver.find_element("css selector", ".menu-button").click()
        assert driver.execute_script(visible)
        viewport_screenshot(driver, ARTIFACTS / "module3-phone-menu.png")
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

        # Paper: only the text and its figures, at the column's width; links show their target.
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        assert not driver.execute_script(visible)
        widths = driver.execute_script(
            "const column = document.querySelector('.page').getBoundingClientRect().width;"
            "return Array.from(document.querySelectorAll('.figgen-figure img')).map(i => i.getBoundingClientRect().width / column)"
        )
        assert widths and all(width == pytest.approx(1, abs=0.01) for width in widths), widths
        target = driver.execute_script(
            "const a = document.querySelector('.page a[href^=\"http\"]');"
            "return [a.getAttribute('href'), getComputedStyle(a, '::after').content]"
        )
        assert target[0] in target[1], target
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


# Where math is wider than a phone: its box, whether it scrolls, and the luminance of the
# pixels at its left and right edges, in its top padding (no glyph there: only the shadow).
_WIDE_MATH = """
const rows = [];
for (const math of document.querySelectorAll('.page math')) {
  const box = math.getBoundingClientRect();
  let scroller = math.parentElement;
  while (scroller && !['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX)) scroller = scroller.parentElement;
  const frame = scroller ? scroller.getBoundingClientRect() : null;
  rows.push({text: math.textContent.slice(0, 40), right: box.right, left: box.left,
             scrolls: !!scroller && scroller.scrollWidth > scroller.clientWidth,
             frameLeft: frame && frame.left, frameRight: frame && frame.right,
             index: scroller ? Array.from(document.querySelectorAll('.math-display')).indexOf(scroller) : -1});
}
return rows;"""


def _edge_luminance(driver, element, scroll_to: str, name: str) -> tuple[int, int]:
    """The brightest pixel of a strip at the element's left edge and at its right edge (the middle
    half of its height), after scrolling it to its start or its end: a glyph only darkens some
    pixels, a shadow all of them."""
    from io import BytesIO

    from PIL import Image

    # Into view (twice: figures off screen are laid out only when near it, which moves the
    # page), scrolled, then two frames (the shadows follow the scroll on the next one).
    box = driver.execute_async_script(
        "const [element, done] = arguments; const frame = f => requestAnimationFrame(() => requestAnimationFrame(f));"
        "element.scrollIntoView({block: 'center'});"
        "frame(() => { element.scrollIntoView({block: 'center'});"
        f"  element.scrollLeft = {'0' if scroll_to == 'start' else 'element.scrollWidth'};"
        "  frame(() => { const r = element.getBoundingClientRect(); done([r.left, r.top, r.right, r.bottom]); }); });",
        element)
    shot = Image.open(BytesIO(driver.get_screenshot_as_png())).convert("L").crop(tuple(round(v) for v in box))
    ARTIFACTS.mkdir(exist_ok=True)
    shot.save(ARTIFACTS / f"math-phone-{name}-{scroll_to}.png")  # for a human to look at
    width, height = shot.size
    rows = range(height // 4, 3 * height // 4)
    brightest = lambda columns: max(shot.getpixel((x, y)) for x in columns for y in rows)
    return brightest(range(0, 3)), brightest(range(width - 3, width))


@pytest.mark.course
def test_wide_math_scrolls_on_a_phone_with_a_visible_cue(placeholder_site, tmp_path):
    """At 390 px no formula runs past the screen unseen: one wider than the column scrolls
    inside its own box, and a shadow on the side where more of it hides says so."""
    with serve(placeholder_site) as base, chromium(tmp_path / "profile", width=390, height=844) as driver:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
        )
        open_page(driver, base + MODULE3_URL)
        formulas = driver.execute_script(_WIDE_MATH)
        assert formulas
        hidden = [f["text"] for f in formulas if f["right"] > 390 + 0.5 and not f["scrolls"]]
        assert not hidden, f"formulas cut at the screen's edge with no way to scroll: {hidden}"
        wide = [f for f in formulas if f["scrolls"]]
        assert wide, "no formula of module 3 is wider than a phone: the scroll cue is untested"
        assert all(f["frameLeft"] >= -0.5 and f["frameRight"] <= 390.5 for f in wide), wide  # its box fits the screen
        boxes = driver.find_elements("css selector", ".math-display")
        for index in sorted({f["index"] for f in wide}):
            left, right = _edge_luminance(driver, boxes[index], "start", str(index))
            assert right < left - 20, (wide, left, right)  # more to the right: a shadow there only
            left, right = _edge_luminance(driver, boxes[index], "end", str(index))
            assert left < right - 20, (wide, left, right)  # and at the end, on the left only


@pytest.mark.course
def test_the_module3_page_shows_every_real_figure(tmp_path):
    course = hugo_site.real_course()
    with serve(course.public) as base, chromium(tmp_path / "profile") as driver:
        open_page(driver, base + MODULE3_URL)
        for image in assert_every_image_is_shown(driver):
            # Drawn for the column and shown at exactly their display size; a screen of 1
            # device pixel per CSS pixel gets the 1x file (WebP, from srcset), never stretched.
            declared = course.data["figures"][image["path"]]
            # (figgen's stylesheet keeps a figure inside the text column: max-width 100 %)
            assert image["width"] == pytest.approx(min(declared["width"], COLUMN), abs=0.5), image["src"]
            assert abs(image["naturalWidth"] - declared["width"]) <= 1, image["src"]
            assert image["src"].endswith(".webp"), image["src"]
        # A hi-DPI screen gets the file with twice the pixels: sharp.
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 2, "mobile": False}
        )
        open_page(driver, base + MODULE3_URL)
        for image in assert_every_image_is_shown(driver):
            # naturalWidth is in CSS px (the srcset's width over the density): read the file.
            declared = course.data["figures"][image["path"]]
            assert abs(pixel_width(image["src"]) - 2 * declared["width"]) <= 2, image["src"]
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        assert_nothing_fetched_from_elsewhere(driver, base)
        assert_math_is_drawn(driver)
        shot = full_page_screenshot(driver, ARTIFACTS / "module3-full-page.png")
        assert shot.stat().st_size > 50_000
