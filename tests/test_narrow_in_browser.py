"""On a phone the page shows the narrow rendering of the reader's scheme, and fetches only it.

Chromium at 390 px (a phone's metrics) and 1280 px, light and dark emulated, on the tiny site
of test_narrow_renderings.py (one figure in four renderings): the image shown is the one for
that width and scheme, and no other rendering's file is downloaded.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

import pytest

from browser import chromium, chromium_missing, fetched_urls, image_states, open_page, serve
from test_narrow_renderings import narrow_site
from test_plugin import hugo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_missing() is not None and not os.environ.get("CI"), reason=chromium_missing() or ""),
]


def rendering_of(url: str) -> str:
    """`/images/example.narrow.dark_hu_3f2a.webp` -> "narrow.dark"; `/images/example.png` -> "light"."""
    name = urlparse(url).path.rsplit("/", 1)[-1].split("_hu")[0]
    parts = name.split(".")[1:]
    parts = [part for part in parts if part in ("narrow", "dark")]
    return ".".join(parts) or "light"


def test_each_width_and_scheme_downloads_only_its_own_rendering(tmp_path):
    site = narrow_site(tmp_path)
    result = hugo(site)
    assert result.returncode == 0, result.stdout + result.stderr
    expected = {(390, "light"): "narrow", (390, "dark"): "narrow.dark", (1280, "light"): "light", (1280, "dark"): "dark"}
    with serve(site / "public") as base:
        for width in (390, 1280):
            with chromium(tmp_path / f"profile-{width}", width=width) as driver:
                if width < 600:  # a window can't be that narrow
                    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                           {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": True})
                for scheme in ("light", "dark"):
                    driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                                           {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
                    driver.get("about:blank")
                    open_page(driver, base + "/docs/demo/")
                    shown = [image for image in image_states(driver) if "/images/" in image["src"]]
                    fetched = [url for url in fetched_urls(driver) if urlparse(url).path.startswith("/images/")]
                    want = expected[(width, scheme)]
                    assert [rendering_of(image["src"]) for image in shown] == [want], (width, scheme, shown)
                    assert shown[0]["naturalWidth"] > 0
                    assert fetched and {rendering_of(url) for url in fetched} == {want}, (width, scheme, fetched)
