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
from figgen.image_hooks import other_hooks

HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml",
                "config.json")
# The Python package of the site's code, laid out as figgen.yaml's defaults expect: figures/ for
# drawing modules (`figgen new`), models/ and recipes/ for models (`figgen new --recipe`).
PACKAGE = "figcode"
EXAMPLE_OUTPUT = "/images/example.png"
EXAMPLE_ALT = "A sine wave and a cosine wave over one period, drawn by figgen"
# figgen's cache, but not the schema copy figgen.yaml's first line names: a fresh clone's editor finds it.
GITIGNORE = ("/.figgen/*", "!/.figgen/figgen.schema.json", "/assets/images/", "/data/figgen.json", "/resources/_gen/",
             "__pycache__/")

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

    hooked = other_hooks(site)  # a theme's own image render hook keeps the site's images its own
    missing = configure_hugo(config, after=bool(hooked))
    if missing:
        print(f"add to {config.name} (figgen could not edit it safely):", file=out)
        for line in missing:
            print(f"    {line}", file=out)
    else:
        print(f"added the figgen component to {config.name}", file=out)
    added = add_ignored(site / ".gitignore")
    if added:
        print(f"added to .gitignore: {' '.join(added)}", file=out)
    if hooked:
        print(f"{hooked[0]} has its own image render hook: it stays before figgen, so the site's images keep its "
              "look; show figgen's figures with the figgen-figure shortcode (figgen check fails a figgen figure "
              "written as a Markdown image there)", file=out)
        print(f'paste into a page:  {{{{< figgen-figure src="{EXAMPLE_OUTPUT}" >}}}}  '
              f"(its alt text is in {CONFIG_NAME})", file=out)
    else:
        print(f"paste into a page:  ![]({EXAMPLE_OUTPUT})  (its alt text is in {CONFIG_NAME})", file=out)
    print("then run:           figgen build && hugo server", file=out)
    return 0


def configure_hugo(config: Path, after: bool = False) -> list[str]:
    """Name figgen in the site's themes: first, or `after` the themes (one of which has its own
    image render hook, which then keeps rendering the site's Markdown images).

    Edits a TOML config whose `theme` is one plain line; returns the line to add by hand
    otherwise (YAML or JSON configs, a themesDir of its own). No other setting is needed.
    """
    text = config.read_text(encoding="utf-8")
    order = '...your theme..., "figgen"' if after else '"figgen", ...your theme...'
    by_hand = [f"theme = [{order}]  (figgen {'after the theme with its own image hook' if after else 'first'})"]
    if config.suffix != ".toml" or re.search(r"^\s*themesDir\s*=", text, re.MULTILINE):
        return by_hand
    edited = _with_figgen_theme(text, after)
    if edited is None:
        return by_hand
    write_atomically(config, edited.encode())
    return []


def _with_figgen_theme(text: str, after: bool = False) -> str | None:
    """The config with "figgen" in `theme` (first, or last), or None when `theme` is not one plain line.
    Either quote: `hugo new site` writes theme = 'PaperMod'."""
    match = re.search(r"""^theme\s*=\s*(?:"([^"]*)"|'([^']*)'|\[([^\]\n]*)\])\s*(#.*)?$""", text, re.MULTILINE)
    if match is None:
        if re.search(r"^\s*theme\s*=", text, re.MULTILINE):
            return None
        first_table = re.search(r"^\s*\[", text, re.MULTILINE)
        at = first_table.start() if first_table else len(text)
        return text[:at] + 'theme = ["figgen"]\n' + ("\n" if first_table else "") + text[at:]
    single = match[1] if match[1] is not None else match[2]
    themes = [single] if single is not None else re.findall(r""""([^"]*)"|'([^']*)'""", match[3])
    themes = [name if isinstance(name, str) else (name[0] or name[1]) for name in themes]
    others = [theme for theme in themes if theme and theme != "figgen"]
    themes = [*others, "figgen"] if after else ["figgen", *others]
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
