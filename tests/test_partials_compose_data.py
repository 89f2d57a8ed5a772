"""figgen's Hugo partials compose data, never rendered HTML: a partial that needs what another
one computes gets it as a returned dict or list (`return` in a partial), not by rendering it to
a string and taking that apart again with a regular expression or a replace."""

from __future__ import annotations

import re
from pathlib import Path

LAYOUTS = Path(__file__).resolve().parent.parent / "figgen" / "themes" / "figgen" / "layouts"
# Hugo's regular-expression functions, and a replace or split over a partial's output.
SURGERY = re.compile(r"\b(findRE|findRESubmatch|replaceRE)\b|\b(replace|split)\s+\$\w*(html|auto|light|dark)\w*\b",
                     re.IGNORECASE)


def surgery(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if SURGERY.search(line)]


def test_no_partial_takes_rendered_html_apart():
    offenders = [f"{path.relative_to(LAYOUTS)}: {line}" for path in sorted(LAYOUTS.rglob("*.html"))
                 for line in surgery(path.read_text(encoding="utf-8"))]
    assert offenders == []
    # what the rule catches: the picture.html and rendering-sources.html of before
    assert surgery('{{- range findRESubmatch `<source ([^>]*)>` $html }}') != []
    assert surgery('{{- $auto = replace $auto ` fetchpriority="high"` ` loading="lazy"` }}') != []
    assert surgery('{{- $set := partial "figgen/image-set.html" . }}') == []
