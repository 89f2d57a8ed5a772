"""Each page's figures, numbered once, here, for the Hugo component to print.

A page's figures are the declared figures (figgen.yaml) it shows alone in a paragraph
(`![](/images/x.png)` on its own) or with the `figgen-figure` shortcode, in source order. The
component finds an image's entry by what Hugo tells its render hook or shortcode: the page's
`.File.Path` and the call's `.Ordinal` (the n-th image, or the n-th shortcode, of the page). No
template scans the page's text: the one reading of the page is content_scan's.

    "pages": {"docs/intro.md": {"lang": "en", "first": "image:0",
                                "figures": {"image:0": {"number": 1, "id": "figure-1", "src": ...}}}}
"""

from __future__ import annotations

from pathlib import Path

from figgen.content_scan import PageScan


def call_key(reference) -> str:
    """"image:3": the 4th Markdown image of the page; "shortcode:0": its first shortcode."""
    return f"{'image' if reference.kind == 'markdown' else 'shortcode'}:{reference.ordinal}"


def page_entry(scan: PageScan, declared, language: str, images_url: str = "/images") -> dict:
    figures = {}
    ordered = [ref for ref in scan.images if ref.ordinal is not None and ref.src in declared
               and (ref.kind == "markdown" and ref.standalone or ref.shortcode == "figgen-figure")]
    for number, reference in enumerate(ordered, start=1):
        figures[call_key(reference)] = {"number": number, "id": f"figure-{number}", "src": reference.src}
    shown = [ref for ref in scan.images if ref.ordinal is not None and ref.kind in ("markdown", "shortcode")]
    entry = {"lang": language, "figures": figures}
    if shown:
        entry["first"] = call_key(shown[0])  # loaded at once; the others lazily
    ours = [ref for ref in shown if ref.src in declared]
    if ours:
        entry["style"] = call_key(ours[0])  # brings figgen's stylesheet, once per page
    raw = [{"line": ref.line, "src": ref.src} for ref in scan.images if ref.kind == "html"
           and (ref.src in declared or ref.src.startswith(images_url + "/"))]
    if raw:
        entry["raw_images"] = raw  # checked by the page layout (check-raw-images.html)
    return entry


def page_path(page: Path, content: Path) -> str:
    """The page as Hugo's `.File.Path` names it: relative to its content folder, with slashes."""
    try:
        return page.relative_to(content).as_posix()
    except ValueError:
        return page.as_posix()
