"""`renderings: [light, dark]`: a figure drawn once per colour scheme, each rendering its own output."""

from __future__ import annotations

import json

from conftest import built, run_figgen

from figgen.inputs import differences

SQUARES = "/images/tiny/squares.png"
SQUARES_DARK = "/images/tiny/squares.dark.png"

# The tiny project's squares, on a dark background in the dark rendering; `lie` makes the dark
# rendering report another fact than the light one (a bug the build must refuse).
DRAW_BY_RENDERING = '''
from matplotlib.figure import Figure
from tinyfigs.shapes import square


def draw(ctx):
    count = ctx.params["count"]
    ctx.fact("count", count + (1 if ctx.params.get("lie") and ctx.rendering == "dark" else 0))
    figure = Figure(figsize=(3, 1), facecolor="#121212" if ctx.rendering == "dark" else "white")
    axes = figure.add_axes([0, 0, 1, 1])
    for i in range(count):
        square(axes, i, "C%d" % i)
    axes.set_xlim(0, count)
    axes.axis("off")
    return figure
'''


def declare_renderings(project, extra_params: str = "") -> None:
    config = project / "figgen.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("    params: {count: 3}\n", f"    params: {{count: 3{extra_params}}}\n    renderings: [light, dark]\n")
    config.write_text(text, encoding="utf-8")
    (project / "tinyfigs" / "figures" / "squares.py").write_text(DRAW_BY_RENDERING, encoding="utf-8")


def corner_pixel(path):
    from PIL import Image

    with Image.open(path) as image:
        return image.convert("RGB").getpixel((1, 1))


def test_a_project_that_declares_nothing_gets_one_file_per_figure(built_tiny):
    images = built_tiny / "site" / "static" / "images"
    assert sorted(p.name for p in images.rglob("*.png")) == ["fit.png", "squares.png"]
    document = json.loads((built_tiny / "site" / "data" / "figgen.json").read_text(encoding="utf-8"))
    assert "renderings" not in document["figures"][SQUARES]


def test_two_renderings_are_two_figures_with_their_own_records(tiny):
    declare_renderings(tiny)
    result = run_figgen(tiny, "build", check=True)
    assert built(result) == {SQUARES, SQUARES_DARK}  # fit.png, untouched, stays fresh
    images = tiny / "site" / "static" / "images" / "tiny"
    assert corner_pixel(images / "squares.png") == (255, 255, 255)
    assert corner_pixel(images / "squares.dark.png") == (0x12, 0x12, 0x12)  # its own face colour, not white

    records = json.loads((tiny / ".figgen" / "figures.json").read_text(encoding="utf-8"))
    light, dark = records[SQUARES], records[SQUARES_DARK]
    assert light["fingerprint"] != dark["fingerprint"]
    assert differences(light["inputs"], dark["inputs"]) == ["rendering: light -> dark"]
    assert light["facts"] == dark["facts"] == {"count": 3}

    document = json.loads((tiny / "site" / "data" / "figgen.json").read_text(encoding="utf-8"))
    assert document["figures"][SQUARES]["renderings"] == {"dark": SQUARES_DARK}
    assert document["figures"][SQUARES_DARK]["width"] == document["figures"][SQUARES]["width"]
    assert "provenance" not in document["figures"][SQUARES_DARK]  # the page shows the light one's

    listing = run_figgen(tiny, "list", check=True).stdout
    assert "tiny/squares.dark" in listing and "tiny/squares " in listing
    assert "tiny/squares.dark" in run_figgen(tiny, "why", "tiny/squares.dark", check=True).stdout

    # Naming the figure builds both renderings; naming the dark one, that one alone.
    assert built(run_figgen(tiny, "build", "--force", "squares", check=True)) == {SQUARES, SQUARES_DARK}
    assert built(run_figgen(tiny, "build", "--force", "squares.dark", check=True)) == {SQUARES_DARK}
    assert run_figgen(tiny, "check").returncode == 0  # the page shows squares.png: its dark one is shown too


def test_renderings_that_report_different_facts_fail_the_build_by_name(tiny):
    declare_renderings(tiny, extra_params=", lie: true")
    result = run_figgen(tiny, "build")
    assert result.returncode == 1, result.stderr
    assert (f"figure {SQUARES}: its renderings report different facts (count: 3 in light, 4 in dark)"
            in result.stderr)


def test_a_project_default_applies_to_every_figure_and_unknown_renderings_are_refused(tiny):
    config = tiny / "figgen.yaml"
    config.write_text("renderings: [light, dark]\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    listing = run_figgen(tiny, "list", check=True).stdout
    assert "tiny/fit.dark" in listing and "tiny/squares.dark" in listing

    config.write_text(config.read_text(encoding="utf-8").replace("[light, dark]", "[light, sepia]"), encoding="utf-8")
    result = run_figgen(tiny, "list")
    assert result.returncode == 2
    assert "figgen.yaml:1: renderings: unknown rendering 'sepia' (accepted: light, dark, narrow)" in result.stderr
