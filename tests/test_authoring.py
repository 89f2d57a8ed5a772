"""The author's loop: scaffold a figure with `figgen new`, see it rebuilt by `figgen watch`."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from conftest import REPO, built, run_figgen

from figgen.commands.new import add_to_figures


@pytest.mark.slow
def test_new_scaffolds_a_figure_that_builds_and_passes_check(tiny):
    result = run_figgen(tiny, "new", "/images/tiny/ma-courbe.png", "--alt", 'Une "courbe" élégante', "--model", "line",
                        check=True)
    assert "paste into a page:  ![](/images/tiny/ma-courbe.png)" in result.stdout  # its alt lives in figgen.yaml
    assert (tiny / "tinyfigs/figures/ma_courbe.py").exists()
    assert built(run_figgen(tiny, "build", check=True)) == {"/images/tiny/ma-courbe.png"}
    page = tiny / "content/docs/page.md"
    page.write_text(page.read_text() + "\n![](/images/tiny/ma-courbe.png)\n")
    assert run_figgen(tiny, "check").returncode == 0


def test_new_refuses_a_figure_that_exists_and_leaves_the_config_alone(tiny):
    config = (tiny / "figgen.yaml").read_text()
    result = run_figgen(tiny, "new", "/images/tiny/fit.png", "--alt", "x")
    assert result.returncode == 2 and "already declared" in result.stderr
    result = run_figgen(tiny, "new", "/images/tiny/x.png", "--alt", "x", "--model", "nope")
    assert result.returncode == 2 and "unknown model 'nope'" in result.stderr
    assert (tiny / "figgen.yaml").read_text() == config


def test_declarations_are_appended_to_the_figures_list_wherever_it_is():
    declaration = "  - output: /images/a.png\n"
    assert add_to_figures("models: {}\nfigures: []\n", declaration) == "models: {}\nfigures:\n" + declaration
    text = "figures:\n  - output: /images/b.png\n\nmodels: {}\n"
    assert add_to_figures(text, declaration) == (
        "figures:\n  - output: /images/b.png\n" + declaration + "\nmodels: {}\n"
    )


def test_watch_rebuilds_a_figure_when_its_helper_changes(tiny):
    image = tiny / "site/static/images/tiny/squares.png"
    before = image.stat().st_mtime_ns
    watcher = subprocess.Popen(
        [sys.executable, "-m", "figgen", "-C", str(tiny), "watch", "--debounce", "200"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        for line in watcher.stdout:
            if "waiting for changes" in line:
                break
        helper = tiny / "tinyfigs/shapes.py"
        helper.write_text(helper.read_text().replace("0.8, 0.8", "0.7, 0.7"))
        deadline = time.monotonic() + 60
        while image.stat().st_mtime_ns == before and time.monotonic() < deadline:
            time.sleep(0.2)
        assert image.stat().st_mtime_ns != before, "the watcher did not rebuild squares.png"
    finally:
        watcher.terminate()
        watcher.wait(timeout=30)


def test_only_option_less_build_and_check_skip_click():
    from pathlib import Path

    from figgen.launcher import plain_invocation

    assert plain_invocation(["build"]) == (Path("."), "build")
    assert plain_invocation(["-C", "site", "check"]) == (Path("site"), "check")
    for argv in (["build", "--force"], ["build", "cnn"], ["list"], [], ["--help"], ["-C", "x", "build", "-j", "2"]):
        assert plain_invocation(argv) is None
