"""Provenance a student reads (issue 29): the marked lines first, the whole files folded, metrics counted.

`# figgen-show: label` above a statement (figgen/excerpts.py) puts that paragraph of code, with
its line numbers, before the whole files of the folded block under a figure. A marker is a
comment: adding one neither retrains a model nor redraws a figure (figgen/code_digest.py).
"""

from __future__ import annotations

import html as html_lib
import os
import re
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import built, run_figgen
from figgen.excerpts import excerpts
from figgen.hugo_data import _formatted_metrics
from figgen.natural_order import natural_key

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hugo_site import build_or_fail  # noqa: E402
from test_numbers_by_name import _read, edit, figgen_json, with_layouts  # noqa: E402

def deferred_codes(page: str, public: Path) -> list[str]:
    """The HTML each provenance block fetches when unfolded, as a browser reads it (a block holds
    a <details> of its own: a regular expression cannot find where one ends)."""
    return _read(page, public)[1]


SOURCE = textwrap.dedent('''\
    import torch


    class Net:
        def forward(self, x):
            """x: (B, 4) -> (B, 2)."""
            # figgen-show: La passe avant
            hidden = self.layer(x)  # (B, 4) -> (B, 8)
            return self.readout(hidden)

        # figgen-show: Le pas entier
        @torch.no_grad()
        def step(self):
            a = 1

            return a


    values = f(
        # figgen-show: inside a bracket: no statement starts here
        1)
    # figgen-show:
    b = 2  # figgen-show: a trailing comment is no marker
    # figgen-show: at the end of the file
    ''')


def test_a_marker_shows_the_paragraph_of_code_below_it():
    shown = excerpts(SOURCE)
    assert [excerpt["label"] for excerpt in shown] == ["La passe avant", "Le pas entier"]
    forward, step = shown
    assert forward["line"] == 8  # its first line in the file, for the line numbers shown
    assert forward["code"] == "hidden = self.layer(x)  # (B, 4) -> (B, 8)\nreturn self.readout(hidden)"  # dedented
    assert step["line"] == 12 and step["code"].startswith("@torch.no_grad()\ndef step(self):")
    assert step["code"].endswith("return a")  # a marked def brings its whole body, blank lines included
    assert excerpts("x = (\n# figgen-show: broken\n") == []  # a module that does not parse shows none


def test_metrics_come_in_the_order_a_reader_counts():
    metrics = {"accuracy_by_delay": {"10": 0.9, "40": 0.5, "5": 1.0, "80": 0.2}, "chance": 0.125,
               "history": [1, 2]}
    names = [metric["name"] for metric in _formatted_metrics(metrics, "fr")]
    assert names == ["accuracy_by_delay.5", "accuracy_by_delay.10", "accuracy_by_delay.40", "accuracy_by_delay.80",
                     "chance"]
    assert sorted(["layer10.w", "layer2.w", "layer2.b"], key=natural_key) == ["layer2.b", "layer2.w", "layer10.w"]


def test_a_marker_changes_no_key_and_the_block_shows_the_marked_lines_first(tiny, tmp_path):
    edit(tiny / "tinyfigs/models/line.py", "        return self.linear(x)",
         "        # figgen-show: La passe avant : une droite\n        return self.linear(x)")
    edit(tiny / "tinyfigs/recipes/fit_line.py", "            optimizer.zero_grad()",
         "            # figgen-show: Un pas d'entraînement\n            optimizer.zero_grad()")
    edit(tiny / "tinyfigs/figures/fit.py", "    with torch.no_grad():",
         "    # figgen-show: Le tracé de la droite apprise\n    with torch.no_grad():")
    result = run_figgen(tiny, "build")
    assert result.returncode == 0 and "up to date" in result.stdout and not built(result), result.stdout
    provenance = figgen_json(tiny)["figures"]["/images/tiny/fit.png"]["provenance"]
    lines = {path: (tiny / path).read_text(encoding="utf-8").splitlines()
             for path in {excerpt["path"] for excerpt in provenance["excerpts"]}}
    assert [(e["path"], e["label"]) for e in provenance["excerpts"]] == [  # forward pass, training step, drawing
        ("tinyfigs/models/line.py", "La passe avant : une droite"),
        ("tinyfigs/recipes/fit_line.py", "Un pas d'entraînement"),
        ("tinyfigs/figures/fit.py", "Le tracé de la droite apprise"),
    ]
    for excerpt in provenance["excerpts"]:
        assert lines[excerpt["path"]][excerpt["line"] - 1].strip() == excerpt["code"].splitlines()[0]
    assert figgen_json(tiny)["figures"]["/images/tiny/squares.png"]["provenance"]["excerpts"] == []

    page = build_or_fail(with_layouts(tiny), tmp_path / "public") / "docs/page/index.html"
    codes = deferred_codes(page.read_text(encoding="utf-8"), tmp_path / "public")  # one per block, fetched when unfolded
    assert len(codes) == 2
    fit = next(code for code in codes if "LineModel" in code)
    plain = html_lib.unescape(re.sub(r"<[^>]+>", "", fit))
    order = [plain.index(text) for text in ("La passe avant : une droite", "Un pas d'entraînement",
                                            "Le tracé de la droite apprise", "Les fichiers entiers", "def draw(ctx)")]
    assert order == sorted(order), plain[:600]  # the marked lines, then the whole files
    assert "tinyfigs/recipes/fit_line.py, ligne" in plain
    first = provenance["excerpts"][1]["line"]  # the training step's line numbers are the file's
    assert re.search(rf'<span class="ln">\s*{first}\s*</span>', fit), fit[:2000]
    marked, whole = fit.split('<details class="figgen-whole">')  # the whole files, folded
    assert "def draw(ctx)" in html_lib.unescape(re.sub(r"<[^>]+>", "", whole))
    assert "def draw(ctx)" not in html_lib.unescape(re.sub(r"<[^>]+>", "", marked))
    squares = next(code for code in codes if "LineModel" not in code)
    assert "figgen-whole" not in squares  # nothing marked: the whole file, as before


@pytest.mark.browser
def test_on_a_phone_the_marked_lines_come_first_and_no_code_line_runs_past_its_box(tiny, tmp_path):
    from browser import chromium, chromium_missing, serve, unfold_provenance

    if chromium_missing() and not os.environ.get("CI"):
        pytest.skip(chromium_missing())
    edit(tiny / "tinyfigs/figures/fit.py", "    with torch.no_grad():",
         "    # figgen-show: Le tracé de la droite apprise, une ligne bien plus longue que l'écran d'un téléphone\n"
         "    with torch.no_grad():  # " + "un commentaire très long " * 6 + "\n")
    site = with_layouts(tiny)
    assert run_figgen(tiny, "build").returncode == 0
    public = build_or_fail(site, tmp_path / "public")
    with serve(public) as base, chromium(tmp_path / "profile", width=390) as driver:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
        driver.get(base + "/docs/page/")
        unfold_provenance(driver)
        driver.execute_script("document.querySelectorAll('.figgen-whole').forEach(d => { d.open = true; });")
        shown = driver.execute_script(
            "return Array.from(document.querySelectorAll('.figgen-code pre')).map(p => "
            "[p.scrollWidth, p.clientWidth, p.getBoundingClientRect().right, p.innerText.slice(0, 80)])")
        first = driver.execute_script(
            "const b = Array.from(document.querySelectorAll('.figgen-code')).find(c => c.querySelector('.figgen-excerpt'));"
            "return [b.querySelector('.figgen-excerpt').innerText, b.querySelector('pre').innerText];")
    assert len(shown) >= 4, shown
    wide = [row for row in shown if row[0] > row[1] + 1 or row[2] > 390]
    assert not wide, wide  # long lines wrap: nothing hides past the box's edge
    assert first[0].startswith("Le tracé de la droite apprise") and "with torch.no_grad()" in first[1], first
