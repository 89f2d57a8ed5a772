"""The property a build tool must have: an incremental build equals a build from scratch.

Each named mutation is a list of steps (edit the project, then build with some environment).
The harness applies them one by one to a copy of the built tiny project, building after each
(the incremental side), applies them all to a fresh copy and builds once (from scratch), and
compares what a reader sees: every declared image, byte for byte, and figgen.json's alt texts,
captions, facts, sizes, metrics and page texts. A mutation may instead make the build fail:
then both sides must fail loudly (exit != 0) and neither prints a traceback. After a green
incremental build, a second build must do nothing (the recorded fingerprints are today's).

Before the last build, `figgen why` must name the input the mutation changed (the tree that is
hashed is the tree `why` prints).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import sqlite3
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from conftest import REPO, TINY
from conftest import run_figgen as run_figgen_in

SQUARES, FIT = "/images/tiny/squares.png", "/images/tiny/fit.png"


# --- edits --------------------------------------------------------------------------------------


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def squares(project: Path) -> Path:
    return project / "tinyfigs/figures/squares.py"


def colours_from(code: str, imports: str = "") -> Callable[[Path], None]:
    """squares.py takes its colours from `code` (lines run inside draw(), setting COLOURS)."""

    def apply(project: Path) -> None:
        path = squares(project)
        edit(path, 'square(axes, i, "C%d" % i)', "square(axes, i, COLOURS[i % len(COLOURS)])")
        body = textwrap.indent(textwrap.dedent(code).strip(), "    ")
        edit(path, "def draw(ctx):\n", f"{textwrap.dedent(imports).strip()}\n\n\ndef draw(ctx):\n{body}\n")

    return apply


def in_config(old: str, new: str) -> Callable[[Path], None]:
    return lambda project: edit(project / "figgen.yaml", old, new)


def in_file(relative: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda project: edit(project / relative, old, new)


def new_file(relative: str, text: str) -> Callable[[Path], None]:
    return lambda project: write(project / relative, text)


def removed(relative: str) -> Callable[[Path], None]:
    return lambda project: (project / relative).unlink()


def latin1(relative: str, cookie: bool, old: str = "", new: str = "") -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / relative
        text = path.read_text(encoding="utf-8").replace(old, new) if old else path.read_text(encoding="utf-8")
        path.write_bytes((("# -*- coding: latin-1 -*-\n" if cookie else "") + text).encode("latin-1"))

    return apply


def both(*edits: Callable[[Path], None]) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        for one in edits:
            one(project)

    return apply


ARCHITECTURE_FIGURE = """  - output: /images/tiny/arch.png
    draw: figures.arch
    alt: "Le poids initial du modèle"
    architectures: [line]
"""
ARCHITECTURE_DRAW = '''
    from matplotlib.figure import Figure


    def draw(ctx):
        network = ctx.architecture("line")
        weight = float(network.linear.weight.detach().flatten()[0])
        ctx.fact("weight", weight)
        figure = Figure(figsize=(2, 1))
        figure.text(0.1, 0.5, f"poids {weight:.4f}")
        return figure
'''


# --- the mutations --------------------------------------------------------------------------------


@dataclass
class Step:
    change: Callable[[Path], None]
    env: dict = field(default_factory=dict)


@dataclass
class Mutation:
    name: str
    steps: list[Step]
    why: tuple[str, str] | None = None  # (figure, text `figgen why figure` prints before the last build)
    fails: bool = False
    figgen_edit: Callable[[Path], None] | None = None  # applied to a copy of figgen put first on the path
    slow: bool = True


def step(*changes, env: dict | None = None) -> Step:
    return Step(both(*changes), env or {})


DECLARED = in_config("params: {count: 3}", "params: {count: 3}\n    env: [TINY_COLOURS]")
MPL_FONTS = Path(importlib.util.find_spec("matplotlib").origin).parent / "mpl-data/fonts/ttf"
TITLE_IN_FONT = both(
    in_file("tinyfigs/figures/squares.py", "import time\n",
            "import time\nfrom pathlib import Path\n\nfrom matplotlib.font_manager import FontProperties\n"),
    in_file("tinyfigs/figures/squares.py", 'axes.axis("off")', 'axes.axis("off")\n    axes.set_title("Carrés", '
            'fontproperties=FontProperties(fname=Path(__file__).resolve().parents[2] / "fonts/title.ttf"))'))
MEAN_COLOUR = '''
    try:
        with Image.open(Path(__file__).resolve().parents[2] / "site/static/images/{where}") as image:
            COLOURS = ["#%02x%02x%02x" % image.convert("RGB").resize((1, 1)).getpixel((0, 0)), "C1", "C2"]
    except FileNotFoundError:
        COLOURS = ["C0", "C1", "C2"]
'''
PHOTO_IMPORTS = "from pathlib import Path\n\nfrom PIL import Image"
EDITABLE = {"PYTHONPATH": f"{REPO}{os.pathsep}editable-src"}  # relative: the folder above the project


def font_file(relative: str, name: str) -> Callable[[Path], None]:
    """One of matplotlib's own fonts, copied into the project."""

    def apply(project: Path) -> None:
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(MPL_FONTS / name, project / relative)

    return apply


def sqlite_rows(*names: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        (project / "data").mkdir(exist_ok=True)
        with contextlib.closing(sqlite3.connect(project / "data/colours.db")) as db, db:
            db.execute("create table if not exists colours (name text)")
            db.executemany("insert into colours values (?)", [(n,) for n in names])

    return apply


def photo(relative: str, colour: tuple) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        from PIL import Image

        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (8, 8), colour).save(project / relative)

    return apply


def outside_file(relative: str, text: str) -> Callable[[Path], None]:
    """A file in the folder above the project (shared by the incremental and scratch copies)."""
    return lambda project: write(project.parent / relative, text)


def link(relative: str, outside: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        if not (project / relative).is_symlink():
            (project / relative).symlink_to(project.parent / outside, target_is_directory=True)

    return apply


COLOUR_FILE = "red\nblue\ngreen\n"
READ_COLOURS = 'COLOURS = (Path(__file__).resolve().parents[2] / "{where}").read_text().split()'

MUTATIONS = [
    # settings that change the bytes
    Mutation("pixel_ratio", [step(in_config("package: tinyfigs\n", "package: tinyfigs\npixel_ratio: 1\n"))],
             why=("squares", "render.pixel_ratio: 2 -> 1")),
    Mutation("display_dpi", [step(in_config("package: tinyfigs\n", "package: tinyfigs\ndisplay_dpi: 72\n"))],
             why=("squares", "render.display_dpi: 100 -> 72")),
    Mutation("libraries listed", [step(in_config("package: tinyfigs\n", "package: tinyfigs\nlibraries: [matplotlib, numpy, torch, pillow]\n"))],
             why=("squares", "libraries.pillow: new")),
    # figgen.yaml blocks
    Mutation("params value", [step(in_config("count: 3", "count: 4"))], why=("squares", "params.count: 3 -> 4")),
    # A figure without a Params class gets its params as a dict, in figgen.yaml's order.
    Mutation("params order", [
        step(in_config("    models: [line]\n", "    models: [line]\n    params: {width: 3, label: a}\n"),
             in_file("tinyfigs/figures/fit.py", "    trained = ctx.model(\"line\")",
                     "    ctx.fact(\"order\", list(ctx.params))\n    trained = ctx.model(\"line\")")),
        step(in_config("params: {width: 3, label: a}", "params: {label: a, width: 3}")),
    ], why=("fit", "params: order width, label -> label, width")),
    Mutation("params edit then revert", [step(in_config("count: 3", "count: 5")), step(in_config("count: 5", "count: 3"))],
             why=("squares", "params.count: 5 -> 3")),
    Mutation("alt text", [step(in_config('alt: "Des carrés de couleur"', 'alt: "Trois carrés ({@squares.count})"'))],
             slow=False),
    Mutation("training block", [step(in_config("epochs: 30", "epochs: 20"))],
             why=("fit", "models.line.training.epochs: 30 -> 20")),
    Mutation("seed", [step(in_config("seed: 3", "seed: 4"))], why=("fit", "models.line.seed: 3 -> 4")),
    Mutation("new figure", [step(in_config("figures:\n", "figures:\n  - output: /images/tiny/two.png\n"
                                           "    draw: figures.squares\n    alt: Deux carrés\n    params: {count: 2}\n"))]),
    # code
    Mutation("helper edited", [step(in_file("tinyfigs/shapes.py", "0.8, 0.8", "0.6, 0.6"))],
             why=("squares", "code.tinyfigs/shapes.py:")),
    Mutation("helper renamed", [step(lambda p: (p / "tinyfigs/shapes.py").rename(p / "tinyfigs/blocks.py"),
                                     in_file("tinyfigs/figures/squares.py", "tinyfigs.shapes", "tinyfigs.blocks"))],
             why=("squares", "code.tinyfigs/blocks.py: new")),
    Mutation("model class edited", [step(in_file("tinyfigs/models/line.py", "return self.linear(x)", "return self.linear(x) + 0.5"))],
             why=("fit", "models.line.code.tinyfigs/models/line.py:")),
    Mutation("recipe edited", [step(in_file("tinyfigs/recipes/fit_line.py", "lr=hp.learning_rate", "lr=hp.learning_rate / 2"))],
             why=("fit", "models.line.code.tinyfigs/recipes/fit_line.py:")),
    Mutation("model class edited, figure traces the architecture", [
        step(in_config("figures:\n", "figures:\n" + ARCHITECTURE_FIGURE), new_file("tinyfigs/figures/arch.py", ARCHITECTURE_DRAW)),
        step(in_file("tinyfigs/models/line.py", "self.linear = nn.Linear(inputs, 1)",
                     "self.linear = nn.Linear(inputs, 1)\n        nn.init.constant_(self.linear.weight, 0.25)")),
    ], why=("arch", "architectures.line.code.tinyfigs/models/line.py:")),
    Mutation("figgen's saving code edited", [step()], why=("squares", "code.figgen/saving.py:"),
             figgen_edit=lambda figgen: edit(figgen / "saving.py", '"pad_inches": 0.08', '"pad_inches": 0.3')),
    Mutation("figgen's figure context edited", [step()], why=("squares", "code.figgen/context.py:"),
             figgen_edit=lambda figgen: edit(figgen / "context.py", "self.params = _params(project, figure)",
                                             "self.params = _params(project, figure)\n"
                                             "        if hasattr(self.params, 'count'):\n"
                                             "            self.params.count = 2")),
    # files read while drawing
    Mutation("data file in a folder that is no package", [
        step(new_file("palette/colours.txt", COLOUR_FILE),
             colours_from(READ_COLOURS.format(where="palette/colours.txt"), "from pathlib import Path")),
        step(new_file("palette/colours.txt", "yellow\nblack\n")),
    ], why=("squares", "read.palette/colours.txt:"), slow=False),
    Mutation("data file deleted", [
        step(new_file("palette/colours.txt", COLOUR_FILE), colours_from('''
            try:
                COLOURS = (Path(__file__).resolve().parents[2] / "palette/colours.txt").read_text().split()
            except FileNotFoundError:
                COLOURS = ["C5", "C6"]
        ''', "from pathlib import Path")),
        step(removed("palette/colours.txt")),
    ], why=("squares", "read.palette/colours.txt:")),
    Mutation("data file deleted, the drawing needs it", [
        step(new_file("palette/colours.txt", COLOUR_FILE),
             colours_from(READ_COLOURS.format(where="palette/colours.txt"), "from pathlib import Path")),
        step(removed("palette/colours.txt")),
    ], fails=True),
    Mutation("data file in the figures package's sub-folder", [
        step(new_file("tinyfigs/figures/styles/colours.txt", COLOUR_FILE),
             colours_from('COLOURS = (Path(__file__).parent / "styles/colours.txt").read_text().split()', "from pathlib import Path")),
        step(new_file("tinyfigs/figures/styles/colours.txt", "purple\norange\n")),
    ], why=("squares", "read.tinyfigs/figures/styles/colours.txt:")),
    Mutation("data file beside a package's __init__", [
        step(new_file("tinyfigs/figures/colours.txt", COLOUR_FILE),
             colours_from('COLOURS = (Path(__file__).parent / "colours.txt").read_text().split()', "from pathlib import Path")),
        step(new_file("tinyfigs/figures/colours.txt", "purple\norange\n")),
    ], why=("squares", "data.tinyfigs/figures/colours.txt:")),
    Mutation("data file at the project root", [
        step(new_file("colours.txt", COLOUR_FILE), colours_from(READ_COLOURS.format(where="colours.txt"), "from pathlib import Path")),
        step(new_file("colours.txt", "olive\ncyan\n")),
    ], why=("squares", "read.colours.txt:")),
    Mutation("matplotlib style file", [
        step(new_file("styles/tiny.mplstyle", "axes.facecolor: red\n"), colours_from('''
            matplotlib.style.use(str(Path(__file__).resolve().parents[2] / "styles/tiny.mplstyle"))
            COLOURS = [matplotlib.rcParams["axes.facecolor"], "C1", "C2"]
        ''', "import matplotlib.style\nfrom pathlib import Path")),
        step(new_file("styles/tiny.mplstyle", "axes.facecolor: blue\n")),
    ], why=("squares", "read.styles/tiny.mplstyle:")),
    Mutation("data files found by glob", [
        step(new_file("palette/a.txt", "red\n"), colours_from(
            'COLOURS = [p.read_text().strip() for p in sorted((Path(__file__).resolve().parents[2] / "palette").glob("*.txt"))]',
            "from pathlib import Path")),
        step(new_file("palette/b.txt", "blue\n")),
    ], why=("squares", "read.palette/:")),
    Mutation("data read by the training recipe", [
        step(new_file("data/slope.txt", "2\n"), in_file("tinyfigs/recipes/fit_line.py", "y = 2 * x + 1",
                                                         "y = float((__import__('pathlib').Path(__file__).resolve().parents[2] / 'data/slope.txt').read_text()) * x + 1")),
        step(new_file("data/slope.txt", "-3\n")),
    ], why=("fit", "models.line.read.data/slope.txt:")),
    # code reached by no import statement
    Mutation("importlib.import_module", [
        step(new_file("tinyfigs/palettes/__init__.py", ""), new_file("tinyfigs/palettes/warm.py", "COLOURS = ['red', 'orange']\n"),
             colours_from('COLOURS = importlib.import_module("tinyfigs.palettes." + "warm").COLOURS', "import importlib")),
        step(new_file("tinyfigs/palettes/warm.py", "COLOURS = ['brown', 'pink']\n")),
    ], why=("squares", "read.tinyfigs/palettes/warm.py:")),
    Mutation("pkgutil discovery", [
        step(new_file("tinyfigs/plugins/__init__.py", ""), new_file("tinyfigs/plugins/a.py", "COLOUR = 'red'\n"), colours_from('''
            import tinyfigs.plugins as plugins
            found = sorted(m.name for m in pkgutil.iter_modules(plugins.__path__))
            COLOURS = [importlib.import_module("tinyfigs.plugins." + n).COLOUR for n in found]
            ctx.fact("plugins", found)
        ''', "import importlib\nimport pkgutil")),
        step(new_file("tinyfigs/plugins/b.py", "COLOUR = 'blue'\n")),
    ], why=("squares", "read.tinyfigs/plugins/:")),
    Mutation("from package import * pulls a submodule", [
        step(new_file("tinyfigs/kit/__init__.py", "__all__ = ['tones']\n"), new_file("tinyfigs/kit/tones.py", "COLOURS = ['red', 'blue']\n"),
             colours_from("COLOURS = tones.COLOURS", "from tinyfigs.kit import *  # noqa: F403")),
        step(new_file("tinyfigs/kit/tones.py", "COLOURS = ['green', 'grey']\n")),
    ], why=("squares", "read.tinyfigs/kit/tones.py:")),
    Mutation("PEP 562 lazy submodule", [
        step(new_file("tinyfigs/lazy/__init__.py", '''
            import importlib


            def __getattr__(name):
                return importlib.import_module(f"{__name__}.{name}")
        '''), new_file("tinyfigs/lazy/tones.py", "COLOURS = ['red', 'blue']\n"),
            colours_from("COLOURS = lazy.tones.COLOURS", "import tinyfigs.lazy as lazy")),
        step(new_file("tinyfigs/lazy/tones.py", "COLOURS = ['navy', 'gold']\n")),
    ], why=("squares", "read.tinyfigs/lazy/tones.py:")),
    Mutation("module beside figgen.yaml", [
        step(new_file("tinypalette.py", "COLOURS = ['red', 'blue']\n"), colours_from("COLOURS = tinypalette.COLOURS", "import tinypalette")),
        step(new_file("tinypalette.py", "COLOURS = ['teal', 'salmon', 'black']\n")),
    ], why=("squares", "read.tinypalette.py:")),
    # the environment a task sees (figgen/hermetic.py): declared variables, by digest
    Mutation("environment variable read by draw()", [
        step(colours_from('COLOURS = os.environ.get("TINY_COLOURS", "red blue").split()', "import os"), DECLARED),
        step(env={"TINY_COLOURS": "green grey"}),
    ], why=("squares", "env.TINY_COLOURS: TINY_COLOURS set")),
    Mutation("environment variable unset", [
        step(colours_from('COLOURS = os.getenv("TINY_COLOURS", "red blue").split()', "import os"), DECLARED,
             env={"TINY_COLOURS": "green grey"}),
        step(),
    ], why=("squares", "env.TINY_COLOURS: TINY_COLOURS unset")),
    Mutation("environment variable not declared", [
        step(colours_from('COLOURS = os.environ.get("TINY_COLOURS", "red blue").split()', "import os")),
        step(env={"TINY_COLOURS": "green grey"}),
    ]),
    Mutation("every TINY_* variable, one added", [
        step(colours_from('COLOURS = [v for k, v in sorted(os.environ.items()) if k.startswith("TINY_")] or ["red", "blue"]',
                          "import os"), env={"TINY_A": "olive"}),
        step(env={"TINY_A": "olive", "TINY_B": "navy"}),
    ]),
    Mutation("project-wide variable read by the training recipe", [
        step(in_config("package: tinyfigs\n", "package: tinyfigs\nenv: [TINY_SLOPE]\n"),
             in_file("tinyfigs/recipes/fit_line.py", "y = 2 * x + 1", "y = float(__import__('os').environ.get('TINY_SLOPE', '2')) * x + 1")),
        step(env={"TINY_SLOPE": "-1"}),
    ], why=("fit", "models.line.env.TINY_SLOPE: TINY_SLOPE set")),
    Mutation("TZ set in the build's environment", [
        step(colours_from('COLOURS = ["C0", "C1", "C2"]\nctx.fact("hour", time.localtime(0).tm_hour)')),
        step(env={"TZ": "Asia/Tokyo"}),
    ]),
    Mutation("style sheet under MPLCONFIGDIR", [
        step(new_file("mplconfig/stylelib/tiny.mplstyle", "axes.facecolor: red\n"), colours_from('''
            try:
                matplotlib.style.use("tiny")
            except OSError:
                pass
            COLOURS = [matplotlib.rcParams["axes.facecolor"], "C1", "C2"]
        ''', "import matplotlib.style")),
        step(env={"MPLCONFIGDIR": "incremental/mplconfig"}),  # the harness runs figgen from the folder above
    ]),
    # randomness nobody seeded, hash order: the same in every build
    Mutation("unseeded NumPy randomness", [step(colours_from("COLOURS = [tuple(numpy.random.rand(3)) for _ in range(3)]",
                                                               "import numpy"))]),
    Mutation("iterating a set of strings", [step(colours_from(
        'COLOURS = list({"red", "blue", "green", "orange", "purple", "olive", "navy"})\nctx.fact("order", COLOURS)'))]),
    Mutation("random and torch in a figure", [step(colours_from('''
        COLOURS = [random.choice(["red", "blue", "green"]) for _ in range(3)]
        COLOURS[0] = (float(torch.rand(1)), 0.2, 0.2)
    ''', "import random\n\nimport torch"))]),
    # code: a comment costs nothing, a docstring counts
    Mutation("comment-only edit of a figure module", [step(in_file("tinyfigs/figures/squares.py", "def draw(ctx):\n",
                                                                    "# Trois carrés.\ndef draw(ctx):  # dessine\n"))]),
    Mutation("comment-only edit of a training recipe", [step(in_file("tinyfigs/recipes/fit_line.py", "    losses = []\n",
                                                                      "    losses = []  # une par époque\n\n"))]),
    Mutation("docstring read by the drawing", [
        step(in_file("tinyfigs/figures/squares.py", "def draw(ctx):\n", 'def draw(ctx):\n    """Des carrés."""\n'),
             in_file("tinyfigs/figures/squares.py", 'axes.axis("off")', 'axes.axis("off")\n    axes.set_title(draw.__doc__)')),
        step(in_file("tinyfigs/figures/squares.py", '"""Des carrés."""', '"""Trois carrés."""')),
    ], why=("squares", "code.tinyfigs/figures/squares.py:")),
    # files read outside Python's view (figgen/reach.py)
    Mutation("font file opened while the figure is saved", [
        step(font_file("fonts/title.ttf", "DejaVuSans.ttf"), TITLE_IN_FONT),
        step(font_file("fonts/title.ttf", "DejaVuSerif.ttf")),
    ], why=("squares", "read.fonts/title.ttf:")),
    Mutation("font loaded by Pillow's FreeType", [
        step(font_file("fonts/measure.ttf", "DejaVuSans.ttf"), colours_from('''
            width = ImageFont.truetype(str(Path(__file__).resolve().parents[2] / "fonts/measure.ttf"), 40).getlength("carrés")
            ctx.fact("width", round(width))
            COLOURS = ["C0", "C1", "C2"]
        ''', "from pathlib import Path\n\nfrom PIL import ImageFont")),
        step(font_file("fonts/measure.ttf", "DejaVuSans-Bold.ttf")),
    ], why=("squares", "read.fonts/measure.ttf:")),
    Mutation("row added to a SQLite database", [
        step(sqlite_rows("red", "blue"), colours_from('''
            with contextlib.closing(sqlite3.connect(Path(__file__).resolve().parents[2] / "data/colours.db")) as db:
                COLOURS = [row[0] for row in db.execute("select name from colours order by rowid")]
        ''', "import contextlib\nimport sqlite3\nfrom pathlib import Path")),
        step(sqlite_rows("green")),
    ], why=("squares", "read.data/colours.db:")),
    Mutation("data file read by a child process", [
        step(new_file("tools/palette.py", 'from pathlib import Path\nprint((Path(__file__).parent / "palette.txt").read_text())\n'),
             new_file("tools/palette.txt", "red blue\n"), colours_from('''
            script = Path(__file__).resolve().parents[2] / "tools/palette.py"
            COLOURS = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True).stdout.split()
        ''', "import subprocess\nimport sys\nfrom pathlib import Path")),
        step(new_file("tools/palette.txt", "green grey\n")),
    ], why=("squares", "read.tools/palette.txt:")),
    Mutation("hand-made photo in the images folder", [
        step(photo("site/static/images/photos/sky.png", (30, 90, 200)), colours_from(MEAN_COLOUR.format(where="photos/sky.png"),
                                                                                    PHOTO_IMPORTS)),
        step(photo("site/static/images/photos/sky.png", (200, 60, 20))),
    ], why=("squares", "read.site/static/images/photos/sky.png:")),
    Mutation("another figure's image read by a figure", [
        step(colours_from(MEAN_COLOUR.format(where="tiny/fit.png"), PHOTO_IMPORTS)),
        step(in_file("tinyfigs/figures/fit.py", 'label="modèle"', 'label="modèle", linewidth=14, color="red"')),
    ]),
    Mutation("shared data file outside the project, through a symlink", [
        step(outside_file("shared-data/colours.txt", "red blue\n"), link("shared", "shared-data"),
             colours_from('COLOURS = (Path(__file__).resolve().parents[2] / "shared/colours.txt").resolve().read_text().split()',
                          "from pathlib import Path")),
        step(outside_file("shared-data/colours.txt", "green orange\n")),
    ], why=("squares", "read.shared/colours.txt:")),
    Mutation("editable package outside the project", [
        step(outside_file("editable-src/tinyextra/__init__.py", "COLOURS = ['red', 'blue']\n"),
             colours_from("COLOURS = tinyextra.COLOURS", "import tinyextra"), env=EDITABLE),
        step(outside_file("editable-src/tinyextra/__init__.py", "COLOURS = ['teal', 'gold']\n"), env=EDITABLE),
    ], why=("squares", "editable-src/tinyextra/__init__.py:")),
    # results that figgen.json cannot hold, text it cannot decode
    Mutation("NaN fact", [step(in_file("tinyfigs/figures/squares.py", 'ctx.fact("count"', 'ctx.fact("ratio", float("nan"))\n    ctx.fact("count"'))],
             fails=True),
    Mutation("set fact", [step(in_file("tinyfigs/figures/squares.py", 'ctx.fact("count"', 'ctx.fact("kinds", {1, 2})\n    ctx.fact("count"'))],
             fails=True),
    Mutation("Path fact", [step(in_file("tinyfigs/figures/squares.py", 'ctx.fact("count"', 'ctx.fact("where", __import__("pathlib").Path("."))\n    ctx.fact("count"'))],
             fails=True),
    Mutation("NaN metric", [step(in_file("tinyfigs/recipes/fit_line.py", 'metrics={"final_loss": losses[-1]}', 'metrics={"final_loss": float("inf")}'))],
             fails=True),
    Mutation("Latin-1 module with its coding cookie", [step(latin1("tinyfigs/figures/squares.py", cookie=True,
                                                                   old='axes.axis("off")', new='axes.axis("off")\n    axes.set_title("carrés")'))],
             why=("squares", "code.tinyfigs/figures/squares.py:")),
    Mutation("Latin-1 module without a cookie", [step(latin1("tinyfigs/figures/squares.py", cookie=False,
                                                             old='axes.axis("off")', new='axes.axis("off")\n    axes.set_title("carrés")'))],
             fails=True),
    Mutation("Latin-1 page", [step(latin1("content/docs/page.md", cookie=False, old='title: "Page"',
                                          new='title: "Page d\'essai : les carrés"'))], fails=True),
]


# --- the harness ----------------------------------------------------------------------------------


def shown(project: Path) -> dict:
    """What a reader of the site gets: declared images' bytes, and figgen.json's texts and numbers."""
    document = json.loads((project / "site/data/figgen.json").read_text(encoding="utf-8"))
    figures = {
        output: {key: entry.get(key) for key in ("alt", "caption", "facts", "width", "height", "stale", "error")}
        for output, entry in document["figures"].items()
    }
    images = {output: (project / "site/static" / output.lstrip("/")).read_bytes() for output in document["figures"]}
    models = {name: entry["metrics"] for name, entry in document["models"].items()}
    return {"figures": figures, "images": images, "models": models, "texts": document.get("texts")}


def fails_loudly(result) -> None:
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr


def figgen_copy(tmp_path: Path, change) -> dict:
    """A copy of figgen, first on the path, with `change` applied: the real one is never edited."""
    folder = tmp_path / "engine"
    shutil.copytree(REPO / "figgen", folder / "figgen", ignore=shutil.ignore_patterns("__pycache__"))
    change(folder / "figgen")
    return {"PYTHONPATH": str(folder)}  # and the harness runs figgen outside the repository


def check_mutation(mutation: Mutation, built_tiny: Path, tmp_path: Path) -> None:
    engine = figgen_copy(tmp_path, mutation.figgen_edit) if mutation.figgen_edit else {}

    def run_figgen(*args, **options):  # from a folder that holds no figgen: the copy is the one imported
        return run_figgen_in(*args, cwd=tmp_path, **options)

    incremental = tmp_path / "incremental"
    shutil.copytree(built_tiny, incremental, symlinks=True)
    for number, one in enumerate(mutation.steps, 1):
        one.change(incremental)
        env = {**engine, **one.env}
        if number == len(mutation.steps) and mutation.why:
            figure, expected = mutation.why
            why = run_figgen(incremental, "why", figure, env=env)
            assert expected in why.stdout, why.stdout + why.stderr
        result = run_figgen(incremental, "build", env=env)
        if number < len(mutation.steps):
            assert result.returncode == 0, result.stdout + result.stderr

    scratch = tmp_path / "scratch"
    shutil.copytree(TINY, scratch, ignore=shutil.ignore_patterns(".figgen", "images", "data", "__pycache__"))
    for one in mutation.steps:
        one.change(scratch)
    from_scratch = run_figgen(scratch, "build", env={**engine, **mutation.steps[-1].env})

    if mutation.fails:
        fails_loudly(result)
        fails_loudly(from_scratch)
        return
    assert result.returncode == 0, result.stdout + result.stderr
    assert from_scratch.returncode == 0, from_scratch.stdout + from_scratch.stderr
    assert shown(incremental) == shown(scratch)
    again = run_figgen(incremental, "build", env={**engine, **mutation.steps[-1].env})
    assert again.returncode == 0 and "up to date" in again.stdout, again.stdout + again.stderr


def test_there_are_enough_named_mutations():
    assert len(MUTATIONS) >= 59
    assert len({m.name for m in MUTATIONS}) == len(MUTATIONS)


@pytest.mark.parametrize("mutation", [pytest.param(m, id=m.name.replace(" ", "-"))
                                      for m in MUTATIONS if not m.slow])
def test_incremental_equals_from_scratch(mutation, built_tiny, tmp_path):
    check_mutation(mutation, built_tiny, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("mutation", [pytest.param(m, id=m.name.replace(" ", "-")) for m in MUTATIONS if m.slow])
def test_incremental_equals_from_scratch_slow(mutation, built_tiny, tmp_path):
    check_mutation(mutation, built_tiny, tmp_path)


def test_an_install_of_the_project_in_its_checkout_changes_no_key(tiny):
    """`pip install -e .` writes NAME.egg-info into the checkout, and importlib.metadata reads it
    whenever a library looks for entry points (the course's digits models did, through their
    libraries): a clone without the install would get other keys, and pull nothing."""
    colours_from('COLOURS = ["C0", "C1", "C2"][: 3 + 0 * len(importlib.metadata.entry_points())]',
                 "import importlib.metadata")(tiny)
    assert run_figgen_in(tiny, "build", check=True).returncode == 0
    installed = tiny / "tinyfigs.egg-info"
    write(installed / "PKG-INFO", "Metadata-Version: 2.1\nName: tinyfigs\nVersion: 0.1\n")
    write(installed / "entry_points.txt", "[console_scripts]\ntinyfigs = tinyfigs:main\n")
    for _ in range(2):
        again = run_figgen_in(tiny, "build", check=True).stdout
        assert again.startswith("all 2 figures up to date"), again  # (squares.png redrawn, before)
        write(installed / "entry_points.txt", "[console_scripts]\ntinyfigs = tinyfigs:other\n")
