"""`figgen init`: make an existing Hugo site a figgen project, with one working example figure.

Writes figgen.yaml (its first line points YAML editors at figgen's schema) and a package of the
site's code beside the site's config (figures/ now; models/ and recipes/ come with
`figgen new --recipe`), installs figgen's Hugo component into the site's themes/ and names it in
the site's configuration (or prints the exact lines where the file cannot be edited safely), and
adds figgen's outputs to .gitignore. It never
overwrites a file: anything already there stops it before it writes a thing.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from figgen.atomic import write_atomically
from figgen.config.json_schema import MODELINE, refresh_schema_copy
from figgen.config import CONFIG_NAME
from figgen.errors import BadInput

HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml",
                "config.json")
# The Python package of the site's code, laid out as figgen.yaml's defaults expect: figures/ for
# drawing modules (`figgen new`), models/ and recipes/ for models (`figgen new --recipe`).
PACKAGE = "figcode"
EXAMPLE_OUTPUT = "/images/example.png"
EXAMPLE_ALT = "A sine wave and a cosine wave over one period, drawn by figgen"
GITIGNORE = ("/.figgen/", "/assets/images/", "/data/figgen.json", "__pycache__/")
GOLDMARK = "[markup.goldmark.parser]\n  wrapStandAloneImageWithinParagraph = false\n"

CONFIG_TEXT = f"""\
{MODELINE}
# figgen.yaml: every figure of this site, drawn by a function of the Python package below.
# A figure: {{output: its site path (.png, .svg, .jpg or .webp), draw: module path in the package
# of the module holding draw(ctx), alt: its description, params: {{its module's Params}},
# models: [trained models it reads]}}. `figgen new` adds figures, `figgen new --recipe` models.
# figgen writes the images to assets/images/ and what Hugo shows with them to data/figgen.json.
# The first line lets YAML-aware editors complete and check this file (`figgen schema`).
package: {PACKAGE}
site: .
content: content

figures:
  - output: {EXAMPLE_OUTPUT}
    draw: figures.example
    alt: {EXAMPLE_ALT}
    params: {{periods: 1}}
"""

EXAMPLE_TEXT = '''\
"""An example figure: a function `draw(ctx)` that returns a matplotlib Figure.

`ctx.params` is this module's `Params`, filled from the figure's `params:` in figgen.yaml (a
misspelt key or a wrong type there is an error); `figgen build` redraws the image whenever this
file, a module of the package it imports, or those params change.
"""

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure


@dataclass
class Params:
    periods: float = 1  # how many periods of each wave are drawn


def draw(ctx):
    x = np.linspace(0, 2 * np.pi * ctx.params.periods, 200)
    figure = Figure(figsize=(6, 2.5))  # inches; 1 inch = 100 CSS pixels on the page
    axes = figure.add_subplot()
    axes.plot(x, np.sin(x), label="sin")
    axes.plot(x, np.cos(x), label="cos")
    axes.legend()
    return figure
'''


def component_source() -> Path:
    """figgen's Hugo component, shipped inside the figgen package."""
    return Path(__file__).resolve().parent.parent / "themes" / "figgen"


def hugo_config(site: Path) -> Path:
    for name in HUGO_CONFIGS:
        if (site / name).is_file():
            return site / name
    raise BadInput(f"{site} is not a Hugo site (no hugo.toml, hugo.yaml or config.toml): run figgen init in your site's folder")


def init(start: Path, out=sys.stdout) -> int:
    site = start.resolve()
    config = hugo_config(site)
    targets = [site / CONFIG_NAME, site / PACKAGE, site / "themes" / "figgen"]
    existing = [path for path in targets if path.exists()]
    if existing:
        raise BadInput(f"{existing[0].relative_to(site)} already exists: figgen init never overwrites; "
                       "remove it, or set figgen up by hand (README: Use figgen in your own Hugo site)")

    write_atomically(site / CONFIG_NAME, CONFIG_TEXT.encode())
    (site / PACKAGE / "figures").mkdir(parents=True)
    write_atomically(site / PACKAGE / "__init__.py", f'"""This site\'s figures and models (figgen.yaml: package: {PACKAGE})."""\n'.encode())
    write_atomically(site / PACKAGE / "figures" / "__init__.py", b"")
    write_atomically(site / PACKAGE / "figures" / "example.py", EXAMPLE_TEXT.encode())
    refresh_schema_copy(site)
    shutil.copytree(component_source(), site / "themes" / "figgen")
    print(f"created {CONFIG_NAME}, {PACKAGE}/figures/example.py and themes/figgen (figgen's Hugo component)", file=out)

    missing = configure_hugo(config)
    if missing:
        print(f"add to {config.name} (figgen could not edit it safely):", file=out)
        for line in missing:
            print(f"    {line}", file=out)
    else:
        print(f"added the figgen component and the setting it needs to {config.name}", file=out)
    added = add_ignored(site / ".gitignore")
    if added:
        print(f"added to .gitignore: {' '.join(added)}", file=out)
    print(f"paste into a page:  ![]({EXAMPLE_OUTPUT})  (its alt text is in {CONFIG_NAME})", file=out)
    print("then run:           figgen build && hugo server", file=out)
    return 0


def configure_hugo(config: Path) -> list[str]:
    """Put figgen first in the site's themes and turn off paragraph-wrapped images.

    Edits a TOML config whose `theme` is one plain line; returns the lines to add by hand
    otherwise (YAML or JSON configs, a themesDir of its own, a [markup] table already there).
    """
    text = config.read_text(encoding="utf-8")
    needs_goldmark = "wrapStandAloneImageWithinParagraph" not in text
    by_hand = [line for line in ('theme = ["figgen", ...your theme...]  (figgen first)',
                                 *(GOLDMARK.splitlines() if needs_goldmark else ())) if line]
    if config.suffix != ".toml" or re.search(r"^\s*themesDir\s*=", text, re.MULTILINE):
        return by_hand
    edited = _with_figgen_theme(text)
    if edited is None:
        return by_hand
    if needs_goldmark:
        if re.search(r"^\s*\[\[?markup[.\]]", text, re.MULTILINE):
            write_atomically(config, edited.encode())
            return GOLDMARK.splitlines()
        edited = edited.rstrip("\n") + "\n\n# figgen: an image alone on its line becomes a <figure>\n" + GOLDMARK
    write_atomically(config, edited.encode())
    return []


def _with_figgen_theme(text: str) -> str | None:
    """The config with "figgen" first in `theme`, or None when `theme` is not one plain line."""
    match = re.search(r'^theme\s*=\s*(?:"([^"]*)"|\[([^\]\n]*)\])\s*(#.*)?$', text, re.MULTILINE)
    if match is None:
        if re.search(r"^\s*theme\s*=", text, re.MULTILINE):
            return None
        first_table = re.search(r"^\s*\[", text, re.MULTILINE)
        at = first_table.start() if first_table else len(text)
        return text[:at] + 'theme = ["figgen"]\n' + ("\n" if first_table else "") + text[at:]
    themes = [match[1]] if match[1] is not None else re.findall(r'"([^"]*)"', match[2])
    themes = ["figgen", *[theme for theme in themes if theme and theme != "figgen"]]
    line = "theme = [" + ", ".join(f'"{theme}"' for theme in themes) + "]"
    return text[: match.start()] + line + text[match.end():]


def add_ignored(gitignore: Path) -> list[str]:
    present = gitignore.read_text(encoding="utf-8").splitlines() if gitignore.exists() else []
    added = [entry for entry in GITIGNORE if entry not in present]
    if added:
        text = "\n".join(present).rstrip("\n")
        text = (text + "\n\n" if text else "") + "# figgen: generated figures and its cache\n" + "\n".join(added) + "\n"
        write_atomically(gitignore, text.encode())
    return added
