"""A real headless Chromium looking at a built site served over HTTP on 127.0.0.1.

Used by test_browser.py. Chromium and its driver are Debian packages (scripts/install-chromium.sh);
where they are missing, `chromium_missing()` says why so that tests can skip.
"""

from __future__ import annotations

import base64
import contextlib
import shutil
from pathlib import Path

import tiers

CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]


def chromium_missing() -> str | None:
    """Why no browser test can run here, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    if not CHROMEDRIVER.exists():
        return f"{CHROMEDRIVER} is missing (scripts/install-chromium.sh installs it)"
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        return "chromium is missing (scripts/install-chromium.sh installs it)"
    return None


# Pages are served as a static host serves them (gzip), by the Lighthouse helper's server.
from lighthouse import serve  # noqa: E402,F401


@contextlib.contextmanager
def chromium(profile: Path, width: int = 1280, height: int = 900):
    """A headless Chromium with a fresh profile; quits even when the test fails."""
    tiers.require("browser", "starts Chromium")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary:
        options.binary_location = binary
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def open_page(driver, url: str) -> None:
    """Load a page and wait until every image has finished loading (or failed)."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
    # Figures below the first screen load lazily, when a reader scrolls to them: fetch them
    # all now, as a reader who scrolls through the page gets them. Only the displayed ones: a
    # figure's other rendering (light/dark), hidden, is never fetched, and must stay so.
    driver.execute_script(f"document.querySelectorAll('img[loading=lazy]').forEach(i => {{ if ({_DISPLAYED}) i.loading = 'eager'; }});")
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script(f"return Array.from(document.images).filter(i => {_DISPLAYED}).every(i => i.complete)")
    )


_DISPLAYED = "i.getClientRects().length > 0"  # laid out: not inside anything display:none


UNFOLDED = ("const codes = document.querySelectorAll('.figgen-provenance .figgen-code');"
            "return codes.length > 0 && Array.from(codes).every(code => code.children.length > 0);")


def unfold_provenance(driver, timeout: float = 15) -> None:
    """Opens every provenance block of the page and waits for its code, which the block fetches
    when unfolded (figgen/provenance/<digest>.json)."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("document.querySelectorAll('.figgen-provenance').forEach(d => { d.open = true; })")
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script(UNFOLDED))


def image_states(driver) -> list[dict]:
    return driver.execute_script(
        # src: the file the browser chose (srcset, <picture>); path: the figure's own URL.
        f"return Array.from(document.images).filter(i => {_DISPLAYED}).map(i => ({{src: i.currentSrc || i.src, alt: i.alt,"
        " path: decodeURIComponent(new URL(i.src).pathname),"
        " naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight,"
        " width: i.getBoundingClientRect().width, height: i.getBoundingClientRect().height}))"
    )


def fetched_urls(driver) -> list[str]:
    """Every URL the page loaded: the document and its resources."""
    return driver.execute_script(
        "return [location.href].concat(performance.getEntriesByType('resource').map(e => e.name))"
    )


def full_page_screenshot(driver, target: Path) -> Path:
    """The whole page, top to bottom, as one PNG.

    The viewport is stretched to the page's height for the shot (what Puppeteer's fullPage
    does): capturing "beyond the viewport" instead leaves far-away images unpainted.
    """
    width = driver.execute_script("return document.documentElement.clientWidth")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        # Every image shown decoded (a hidden rendering is never fetched, so never decodes), then
        # two animation frames: the stretched layout is painted.
        driver.execute_async_script(
            "const done = arguments[0];"
            f"Promise.allSettled(Array.from(document.images).filter(i => {_DISPLAYED}).map(i => i.decode()))"
            ".then(() => requestAnimationFrame(() => requestAnimationFrame(done)));"
        )
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "fromSurface": True})
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(base64.b64decode(shot["data"]))
    return target


def viewport_screenshot(driver, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(target))
    return target
