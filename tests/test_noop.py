"""A no-op build and check: cheap (a stamp of every file's stat, nothing composed or imported that
is not needed), yet never stale; figgen.json written only under the lock, and checked by `check`.

Speed is measured by `make bench` (bench/run.py); here, what a no-op imports and what it writes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import _RUN_AND_REPORT_IMPORTS, REPO, built, run_figgen
from figgen.lock import project_lock
from figgen.freshness.walk import RACY_NS

SQUARES = "/images/tiny/squares.png"
# Never on the path of a build or check with nothing to do.
HEAVY = {"yaml", "jinja2", "numpy", "matplotlib", "torch", "babel", "markdown_it", "pydantic", "click", "PIL"}
COMPOSING = {"figgen.hugo_data", "figgen.content_scan", "figgen.numbers", "figgen.placeholders",
             "figgen.measurements", "figgen.build.site_rules", "figgen.image_refs"}
# What answering from the stamp may import of figgen, and how many modules in all (Python's own
# start-up is about 30 of them).
FROM_THE_STAMP = {"figgen", "figgen.launcher", "figgen.errors", "figgen.freshness", "figgen.freshness.stamp",
                  "figgen.freshness.walk"}
MODULE_BUDGET = 50


def imported_modules(project: Path, command: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run `figgen -C project command` under `python -X importtime`: its result and every module it imported."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", _RUN_AND_REPORT_IMPORTS, "-C", str(project), command],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    modules = {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines()
               if line.startswith("import time:") and "self [us]" not in line}
    return result, modules


def wait_until_settled(project: Path) -> None:
    """Until every file of the project and of figgen changed more than 2 s ago: the racy rule
    (store.trusted) keeps a stamp from vouching for a file that could still change unseen."""
    newest = max(path.stat().st_ctime_ns for folder in (project, REPO / "figgen") for path in folder.rglob("*")
                 if "__pycache__" not in path.parts)
    time.sleep(max(0.0, (newest + RACY_NS) / 1e9 - time.time() + 0.05))


def stamped(project: Path, command: str = "build") -> Path:
    """Run no-op `figgen build`/`check` until one leaves its stamp."""
    stamp = project / f".figgen/noop-{command}.stamp"
    for _ in range(3):
        if stamp.exists():
            return stamp
        wait_until_settled(project)
        result = run_figgen(project, command, check=True)
        assert not built(result), result.stdout
    assert stamp.exists(), f"no stamp after three no-op {command}s"
    return stamp


def figgen_json(project: Path) -> dict:
    return json.loads((project / "site/data/figgen.json").read_text(encoding="utf-8"))


def edit_figgen_json(project: Path, change) -> None:
    data = figgen_json(project)
    change(data)
    (project / "site/data/figgen.json").write_text(json.dumps(data, indent=2), encoding="utf-8")


# --- imports: measured in modules, not seconds ------------------------------------------------


def test_a_repeated_noop_build_and_check_are_answered_from_the_stamp(tiny):
    stamped(tiny, "build")
    stamped(tiny, "check")
    for command, said in (("build", "all 2 figures up to date ("), ("check", "ok: 2 figures fresh")):
        result, modules = imported_modules(tiny, command)
        assert result.returncode == 0 and said in result.stdout, result.stdout + result.stderr
        figgen_modules = {m for m in modules if m.split(".")[0] == "figgen"}
        assert figgen_modules <= FROM_THE_STAMP, f"figgen {command} imported {figgen_modules - FROM_THE_STAMP}"
        assert not modules & HEAVY
        assert len(modules) <= MODULE_BUDGET, f"figgen {command} imported {len(modules)} modules: {sorted(modules)}"


def test_a_noop_build_after_an_unrelated_edit_composes_and_imports_nothing_it_does_not_need(tiny):
    stamped(tiny, "build")
    data = tiny / "site/data/figgen.json"
    before = data.stat()
    (tiny / "notes.txt").write_text("not an input of any figure\n")  # the stamp no longer vouches
    result, modules = imported_modules(tiny, "build")
    assert result.returncode == 0 and "all 2 figures up to date" in result.stdout, result.stderr
    assert "figgen.workspace" in modules  # it did look at every fingerprint
    assert not modules & (HEAVY | COMPOSING), sorted(modules & (HEAVY | COMPOSING))
    assert (data.stat().st_mtime_ns, data.stat().st_ino) == (before.st_mtime_ns, before.st_ino)


def test_a_comment_only_edit_is_answered_from_the_stamp_with_figgen_json_showing_it(tiny):
    stamped(tiny, "build")
    module, recipe = tiny / "tinyfigs/figures/squares.py", tiny / "tinyfigs/recipes/fit_line.py"
    for comment in ("# une remarque", "# une autre, aussitôt"):  # the second: the files are too recent to trust
        for path in (module, recipe):
            path.write_text(path.read_text(encoding="utf-8") + f"\n{comment}\n", encoding="utf-8")
        result, modules = imported_modules(tiny, "build")
        assert result.returncode == 0 and "all 2 figures up to date" in result.stdout, result.stdout + result.stderr
        assert "figgen.workspace" not in modules and not modules & (HEAVY | COMPOSING), sorted(modules)
        shown = figgen_json(tiny)["figures"][SQUARES]["provenance"]["draw"]
        assert shown["path"] == "tinyfigs/figures/squares.py" and comment in shown["source"]
    answered = (tiny / "site/data/figgen.json").read_bytes()
    (tiny / ".figgen/noop-build.stamp").unlink()  # a full build composes figgen.json: the same bytes
    (tiny / ".figgen/data.json").unlink(missing_ok=True)
    assert not built(run_figgen(tiny, "build", check=True))
    assert (tiny / "site/data/figgen.json").read_bytes() == answered
    assert run_figgen(tiny, "check").returncode == 0
    module.write_text(module.read_text(encoding="utf-8") + "_NOW_CODE = 1\n", encoding="utf-8")
    assert built(run_figgen(tiny, "build", check=True)) == {SQUARES}  # code: the build runs in full


def test_a_comment_that_moves_a_marked_passage_shows_its_new_lines(tiny):
    """The stamp's answer to a comment edit keeps figgen.json's marked passages true: their line
    numbers and labels change with a comment, so such an edit composes figgen.json again."""
    module = tiny / "tinyfigs/figures/squares.py"
    module.write_text(module.read_text(encoding="utf-8").replace(
        "def draw(ctx):\n", "# figgen-show: Le dessin\ndef draw(ctx):\n"), encoding="utf-8")
    stamped(tiny, "build")

    def excerpts() -> list:
        return [(e["label"], e["line"]) for e in figgen_json(tiny)["figures"][SQUARES]["provenance"]["excerpts"]]

    (label, line), = excerpts()
    for edit, expected in ((lambda text: "# une ligne de plus\n" + text, (label, line + 1)),
                           (lambda text: text.replace("figgen-show: Le dessin", "figgen-show: Les carrés"),
                            ("Les carrés", line + 1))):
        module.write_text(edit(module.read_text(encoding="utf-8")), encoding="utf-8")
        result = run_figgen(tiny, "build", check=True)
        assert not built(result) and "up to date" in result.stdout, result.stdout + result.stderr
        assert excerpts() == [expected]
    assert run_figgen(tiny, "check").returncode == 0


# --- never stale: each input of figgen.json, changed under a valid stamp ----------------------


def add_metric_call(project: Path) -> None:
    page = project / "content/docs/page.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n{{< metric "@squares.count" >}} carrés.\n',
                    encoding="utf-8")


def change_alt(project: Path) -> None:
    config = project / "figgen.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("Des carrés de couleur", "Trois carrés"),
                      encoding="utf-8")


# Each case waits 2 s for the files to settle before a stamp is written: two in the fast tier.
@pytest.mark.parametrize("change, expected", [
    pytest.param(add_metric_call, lambda data: data["texts"]["en"]["@squares.count::"]["text"] == "3",
                 id="a page's metric call"),
    pytest.param(change_alt, lambda data: data["figures"][SQUARES]["alt"] == "Trois carrés",
                 id="an alt text in figgen.yaml", marks=pytest.mark.slow),
    pytest.param(lambda p: edit_figgen_json(p, lambda d: d["figures"][SQUARES].update(alt="à la main")),
                 lambda data: data["figures"][SQUARES]["alt"] == "Des carrés de couleur", id="figgen.json edited by hand"),
    pytest.param(lambda p: (p / "site/data/figgen.json").unlink(),
                 lambda data: data["figures"][SQUARES]["facts"] == {"count": 3}, id="figgen.json deleted",
                 marks=pytest.mark.slow),
])
def test_a_change_to_an_input_of_figgen_json_is_seen_under_a_stamp(tiny, change, expected):
    stamped(tiny, "build")
    change(tiny)
    result = run_figgen(tiny, "build", check=True)
    assert not built(result)
    assert expected(figgen_json(tiny))
    assert run_figgen(tiny, "check").returncode == 0


@pytest.mark.slow
def test_a_deleted_image_is_redrawn_under_a_stamp(tiny):
    stamped(tiny, "build")
    stamped(tiny, "check")
    (tiny / "site/static/images/tiny/squares.png").unlink()
    assert run_figgen(tiny, "check").returncode == 1
    assert built(run_figgen(tiny, "build", check=True)) == {SQUARES}


def test_an_environment_variable_is_part_of_the_stamp(tiny):
    stamped(tiny, "build")
    _, modules = imported_modules(tiny, "build")
    assert "figgen.workspace" not in modules
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", _RUN_AND_REPORT_IMPORTS, "-C", str(tiny), "build"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO), "FIGGEN_NOOP": "1"})
    assert result.returncode == 0 and "figgen.workspace" in result.stderr  # looked again


# --- figgen.json: written under the lock, checked against the records -------------------------


def test_a_noop_build_rewrites_figgen_json_only_under_the_lock(tiny):
    edit_figgen_json(tiny, lambda d: d["figures"][SQUARES].update(facts={"count": 99}))
    edited = (tiny / "site/data/figgen.json").read_bytes()
    with project_lock(tiny, 5, print):  # another build is running
        result = run_figgen(tiny, "build", "--lock-timeout", "0.5")
        assert result.returncode == 1 and "another figgen build still holds the lock" in result.stderr
        assert (tiny / "site/data/figgen.json").read_bytes() == edited
    run_figgen(tiny, "build", check=True)
    assert figgen_json(tiny)["figures"][SQUARES]["facts"] == {"count": 3}
    with project_lock(tiny, 5, print):  # figgen.json current: a no-op needs no lock
        assert run_figgen(tiny, "build", "--lock-timeout", "0.5").returncode == 0


def test_check_names_a_figure_whose_figgen_json_entry_differs_and_build_fixes_it(tiny):
    assert run_figgen(tiny, "check").returncode == 0
    edit_figgen_json(tiny, lambda d: d["figures"][SQUARES].update(facts={"count": 4}, width=999))
    result = run_figgen(tiny, "check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"site/data/figgen.json: {SQUARES}: facts, width differ from the build's: run figgen build"], result.stdout
    edit_figgen_json(tiny, lambda d: d["figures"][SQUARES].update(alt="Des ronds", stale=True))
    assert (f"site/data/figgen.json: {SQUARES}: alt, facts, stale, width differ from the build's: run figgen build"
            in run_figgen(tiny, "check").stdout)
    assert not built(run_figgen(tiny, "build", check=True))
    assert run_figgen(tiny, "check").returncode == 0


def test_check_names_a_missing_figgen_json_and_a_stray_metric_text(tiny):
    edit_figgen_json(tiny, lambda d: d["texts"].update({"line.final_loss::": {"text": "0"}}))  # not a language
    result = run_figgen(tiny, "check")
    assert result.returncode == 1
    assert ("site/data/figgen.json: metric text line.final_loss:: is not in the build's: run figgen build"
            in result.stdout.splitlines()), result.stdout
    (tiny / "site/data/figgen.json").unlink()
    result = run_figgen(tiny, "check")
    assert result.returncode == 1 and "site/data/figgen.json is missing: run figgen build" in result.stdout


@pytest.mark.slow
def test_figgen_json_is_the_same_whether_figgen_yaml_was_parsed_or_read_from_its_cache(tiny):
    config = tiny / "figgen.yaml"
    config.write_text(config.read_text().replace("{epochs: 30, learning_rate: 0.1}", "{learning_rate: 0.1, epochs: 30}"))
    run_figgen(tiny, "build", check=True)  # key order is part of the inputs tree (figgen.yaml's order)
    shown = figgen_json(tiny)["figures"]["/images/tiny/fit.png"]["provenance"]["models"][0]["hyperparameters"]
    assert 'training: {"learning_rate": 0.1, "epochs": 30}' in shown  # as figgen.yaml writes it
    assert (tiny / ".figgen/config.json").exists()  # the next commands read the project from the cache
    assert run_figgen(tiny, "check").returncode == 0
    run_figgen(tiny, "build", check=True)
    assert figgen_json(tiny)["figures"]["/images/tiny/fit.png"]["provenance"]["models"][0]["hyperparameters"] == shown
