"""The author's loop: scaffold a figure with `figgen new`, see it rebuilt by `figgen watch`."""

from __future__ import annotations

import json
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
    assert "paste into a page:  ![](/images/tiny/ma-courbe.png)" in result.stdout  # the alt is in figgen.yaml
    assert 'alt: "Une \\"courbe\\" élégante"' in (tiny / "figgen.yaml").read_text()
    assert (tiny / "tinyfigs/figures/ma_courbe.py").exists()
    assert built(run_figgen(tiny, "build", check=True)) == {"/images/tiny/ma-courbe.png"}
    page = tiny / "content/docs/page.md"
    page.write_text(page.read_text() + "\n![](/images/tiny/ma-courbe.png)\n")
    assert run_figgen(tiny, "check").returncode == 1  # the page's figure numbers are figgen.json's
    run_figgen(tiny, "build", check=True)
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


@pytest.mark.slow
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


def printed_command(result, prefix: str) -> list[str]:
    """The arguments of the command a `figgen new`/`init` output line tells the author to run."""
    import shlex

    line = next(line for line in result.stdout.splitlines() if line.startswith(prefix))
    return shlex.split(line[len(prefix):].strip())


def fresh_hugo_site(folder):
    (folder / "content").mkdir(parents=True)
    (folder / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "A site"\n', encoding="utf-8")
    return folder


def test_init_then_new_puts_the_module_where_the_declaration_points_and_builds_it(tmp_path):
    site = fresh_hugo_site(tmp_path / "site")
    run_figgen(site, "init", check=True)
    assert (site / "figgen.yaml").read_text().startswith("# yaml-language-server: $schema=.figgen/figgen.schema.json\n")
    assert (site / ".figgen/figgen.schema.json").is_file()
    result = run_figgen(site, "new", "/images/chapter1/waves.png", "--alt", "Waves", check=True)
    assert "paste into a page:  ![](/images/chapter1/waves.png)" in result.stdout
    assert (site / "figcode/figures/waves.py").is_file()
    assert not (site / "figcode/figures/figures").exists()
    command = printed_command(result, "then run:")
    assert command[:2] == ["figgen", "build"]
    built_now = built(run_figgen(site, *command[1:], check=True))
    assert built_now == {"/images/chapter1/waves.png"}
    assert (site / "assets/images/chapter1/waves.png").stat().st_size > 1000
    assert not list((site / "assets/images").rglob("figures"))


@pytest.mark.slow
def test_new_recipe_scaffolds_a_model_that_trains_and_a_figure_that_reads_it(tmp_path):
    site = fresh_hugo_site(tmp_path / "site")
    run_figgen(site, "init", check=True)
    result = run_figgen(site, "new", "--recipe", "moons", check=True)
    assert (site / "figcode/models/moons.py").is_file() and (site / "figcode/recipes/moons.py").is_file()
    next_step = printed_command(result, "then draw it:")
    assert next_step[:3] == ["figgen", "new", "/images/moons.png"]
    result = run_figgen(site, "new", "/images/moons.png", "--alt", "Two moons", "--model", "moons", check=True)
    command = printed_command(result, "then run:")
    assert command == ["figgen", "build", "/images/moons.png"]  # `moons` alone is also the model
    assert built(run_figgen(site, *command[1:], check=True)) == {"model moons", "/images/moons.png"}
    data = json.loads((site / "data/figgen.json").read_text())
    assert data["models"]["moons"]["metrics"]["accuracy"] > 0.8  # it really learnt
    again = run_figgen(site, "new", "--recipe", "moons")
    assert again.returncode == 2 and "already declared" in again.stderr
