"""Lighthouse (npm, pinned by scripts/install-lighthouse.sh) on a built site served on 127.0.0.1.

Used by test_lighthouse.py and by `make lighthouse`, which runs this file on site/public and
prints a table of scores and page weights per page and preset:

    python tests/lighthouse.py site/public

Lighthouse drives the machine's Chromium (scripts/install-chromium.sh), headless and cut off
from the internet; where Node, Lighthouse or Chromium is missing, `lighthouse_missing()` says
why so that the test can skip.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

REPO = Path(__file__).resolve().parents[1]
VERSION = "12.2.3"  # the pin of scripts/install-lighthouse.sh
CLI = REPO / ".tools" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
PRESETS = ("mobile", "desktop")  # mobile is Lighthouse's default: Moto G Power, slow 4G
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")

# Headless, and nothing reached outside 127.0.0.1: no updates, no sync, no first-run pings.
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
]


@functools.lru_cache(maxsize=64)
def _gzipped(path: str, mtime_ns: int) -> bytes:
    """A file's gzip body, once per version (a lab's runtime is 12 MB: no need to compress it at each request)."""
    return gzip.compress(Path(path).read_bytes(), compresslevel=6)


class _CompressingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files as a static host does: text gzipped for a client that accepts it (Lighthouse
    would otherwise weigh HTML at its raw size, which no real host sends)."""

    COMPRESSED = ("text/html", "text/css", "image/svg+xml", "text/javascript", "application/json", "application/wasm")
    # A lab's runtime (README: Labs): its WebAssembly compiles while it streams only when so typed.
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript", ".onnx": "application/octet-stream"}

    def send_head(self):
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # the redirect to the folder's URL, with its slash
            target = target / "index.html"
        kind = self.guess_type(str(target))
        if not (target.is_file() and kind in self.COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = _gzipped(str(target), target.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else ""))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format, *args):  # the table reports what matters, not every GET
        pass


@contextlib.contextmanager
def serve(folder: Path):
    """Serve `folder` on 127.0.0.1 (a free port) in a thread, compressed; yields the base URL."""
    handler = functools.partial(_CompressingHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def chromium_binary() -> str | None:
    return os.environ.get("CHROME_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def lighthouse_missing() -> str | None:
    """Why Lighthouse cannot run here, or None."""
    if not shutil.which("node"):
        return "node is missing (scripts/install-lighthouse.sh installs it from Debian's packages)"
    if not CLI.exists():
        return f"{CLI.relative_to(REPO)} is missing (scripts/install-lighthouse.sh installs it)"
    if not chromium_binary():
        return "chromium is missing (scripts/install-chromium.sh installs it)"
    return None


@dataclass(frozen=True)
class Report:
    page: str  # the URL path, as the site links it
    preset: str
    scores: dict  # category -> 0..100
    weight: int  # bytes transferred by the page load
    oversized: list  # "url: natural WxH for displayed WxH at DPR d" of images sent > 2x too big
    errors: list  # console errors


def page_paths(public: Path) -> list[str]:
    """Every page of the built site, as URL paths ("/", "/docs/module3/...")."""
    paths = []
    for html in sorted(public.rglob("*.html")):
        relative = html.relative_to(public).as_posix()
        path = "/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)
        paths.append(quote(path))
    return paths


def oversized_images(artifacts: dict) -> list[str]:
    """Images sent more than twice as large as shown at the device's pixel ratio."""
    ratio = artifacts["ViewportDimensions"]["devicePixelRatio"]
    found = []
    for image in artifacts["ImageElements"]:
        natural = image.get("naturalDimensions") or {}
        if image.get("isCss") or not natural.get("width") or not image.get("displayedWidth"):
            continue  # not an <img>, or not loaded (lazy, below the fold), or not shown
        shown = (image["displayedWidth"] * ratio, image["displayedHeight"] * ratio)
        if natural["width"] > 2 * shown[0] + 1 or natural["height"] > 2 * shown[1] + 1:
            found.append(
                f"{image['src']}: {natural['width']}x{natural['height']} shown at "
                f"{image['displayedWidth']}x{image['displayedHeight']} CSS px, DPR {ratio}"
            )
    return found


def run_lighthouse(url: str, preset: str, workdir: Path, dark: bool = False) -> tuple[dict, dict]:
    """One Lighthouse run: its report (LHR) and the artifacts it gathered; `dark`: under a
    system in dark mode (prefers-color-scheme: dark), as a reader studying in the evening."""
    workdir.mkdir(parents=True, exist_ok=True)
    artifacts_dir = workdir / "artifacts"
    command = [
        "node", str(CLI), url,
        "--output=json", f"--output-path={workdir / 'report.json'}", "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS + (['--force-dark-mode'] if dark else []))}",
        f"-GA={artifacts_dir}",
    ]
    if preset != "mobile":
        command.append(f"--preset={preset}")
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=300,
        env={**os.environ, "CHROME_PATH": chromium_binary() or ""},
    )
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url} ({preset}): {result.stderr[-2000:]}")
    report = json.loads((workdir / "report.json").read_text(encoding="utf-8"))
    artifacts = json.loads((artifacts_dir / "artifacts.json").read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse could not load {url}: {report['runtimeError']}")
    return report, artifacts


def summarize(page: str, preset: str, report: dict, artifacts: dict) -> Report:
    scores = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
    errors = [
        f"{item.get('description', '')} {item.get('sourceLocation', {}).get('url') or item.get('url', '')}".strip()
        for item in report["audits"]["errors-in-console"]["details"]["items"]
    ]
    return Report(
        page=page,
        preset=preset,
        scores=scores,
        weight=int(report["audits"]["total-byte-weight"]["numericValue"]),
        oversized=oversized_images(artifacts),
        errors=errors,
    )


def audit(base: str, page: str, preset: str, workdir: Path, dark: bool = False) -> Report:
    report, artifacts = run_lighthouse(base + page, preset, workdir, dark)
    return summarize(page, preset, report, artifacts)


def audit_site(public: Path, workdir: Path, pages: list[str] | None = None) -> list[Report]:
    """Every page under every preset, one after another (parallel runs would skew the scores)."""
    reports = []
    with serve(public) as base:
        for number, page in enumerate(pages or page_paths(public)):
            for preset in PRESETS:
                reports.append(audit(base, page, preset, workdir / f"{number}-{preset}"))
    return reports


def table(reports: list[Report]) -> str:
    header = f"{'page':<48} {'preset':<8} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} {'weight':>10}"
    lines = [header, "-" * len(header)]
    for report in reports:
        score = [report.scores[name] for name in CATEGORIES]
        lines.append(
            f"{report.page[:48]:<48} {report.preset:<8} {score[0]:>4} {score[1]:>4} {score[2]:>4} {score[3]:>4} "
            f"{report.weight / 1024:>6.0f} KiB"
        )
        lines += [f"    oversized: {item}" for item in report.oversized]
        lines += [f"    console error: {item}" for item in sorted(set(report.errors))]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    public = Path(argv[0] if argv else REPO / "site" / "public")
    missing = lighthouse_missing()
    if missing:
        print(f"lighthouse: {missing}", file=sys.stderr)
        return 2
    if not (public / "index.html").exists():
        print(f"lighthouse: {public} holds no built site (run `make site`)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="figgen-lighthouse-") as workdir:
        reports = audit_site(public, Path(workdir), argv[1:] or None)
    print(f"Lighthouse {VERSION}, Chromium headless, presets: {', '.join(PRESETS)}")
    print(table(reports))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
