"""The tiny project under tests/ built through the real CLI: the life of a figure."""

from __future__ import annotations

import json

import pytest

from conftest import built, heavy_imports, run_figgen


def test_cold_build_makes_every_figure_and_the_hugo_data(fresh_tiny):
    result = run_figgen(fresh_tiny, "build", check=True)
    assert built(result) == {"/images/tiny/squares.png", "/images/tiny/fit.png", "model line"}
    for name in ("squares", "fit"):
        assert (fresh_tiny / f"site/static/images/tiny/{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = json.loads((fresh_tiny / "site/data/figgen.json").read_text())
    fit = data["figures"]["/images/tiny/fit.png"]
    assert fit["alt"] == "Une droite ajustée à des points"
    assert fit["models"] == ["line"] and fit["stale"] is False and fit["device"] == "cpu"
    assert data["models"]["line"]["metrics"]["final_loss"] < 0.5  # it really trained
    assert data["models"]["line"]["device"] == "cpu"


def test_noop_build_rebuilds_nothing_and_imports_no_heavy_library(tiny):
    result = run_figgen(tiny, "build", check=True)
    assert built(result) == set()
    assert "all 2 figures up to date" in result.stdout
    assert heavy_imports(result) == []


def test_editing_a_helper_rebuilds_only_the_figures_that_import_it(tiny):
    helper = tiny / "tinyfigs/shapes.py"
    helper.write_text(helper.read_text() + "\nEDITED = 1  # code: a comment alone changes no key\n")
    result = run_figgen(tiny, "build", check=True)
    assert built(result) == {"/images/tiny/squares.png"}


def test_editing_an_unrelated_module_rebuilds_nothing(tiny):
    (tiny / "tinyfigs/unrelated.py").write_text("VALUE = 1\n")
    assert built(run_figgen(tiny, "build", check=True)) == set()


def test_editing_a_hyperparameter_retrains_the_model_and_redraws_its_figures_only(tiny):
    config = tiny / "figgen.yaml"
    config.write_text(config.read_text().replace("epochs: 30", "epochs: 31"))
    result = run_figgen(tiny, "build", check=True)
    assert built(result) == {"model line", "/images/tiny/fit.png"}


@pytest.mark.slow
def test_a_model_is_trained_once_per_fingerprint_ever(tiny):
    config = tiny / "figgen.yaml"
    original = config.read_text()
    config.write_text(original.replace("epochs: 30", "epochs: 31"))
    run_figgen(tiny, "build", check=True)
    config.write_text(original)  # back to a fingerprint already trained: no training
    assert built(run_figgen(tiny, "build", check=True)) == {"/images/tiny/fit.png"}


def test_check_names_a_deleted_output_and_fails(tiny):
    assert run_figgen(tiny, "check").returncode == 0
    (tiny / "site/static/images/tiny/fit.png").unlink()
    result = run_figgen(tiny, "check")
    assert result.returncode == 1
    assert "content/docs/page.md:7: /images/tiny/fit.png is missing: run figgen build" in result.stdout


def test_check_reports_an_undeclared_image_with_its_line(tiny):
    page = tiny / "content/docs/page.md"
    page.write_text(page.read_text() + "\n![](/images/tiny/nope.png)\n")
    result = run_figgen(tiny, "check")
    assert result.returncode == 1
    assert "content/docs/page.md:9: /images/tiny/nope.png is not declared by any figure" in result.stdout


def test_check_accepts_hand_made_static_files_and_warns_about_unused_figures(tiny):
    (tiny / "site/static/images/photo.png").write_bytes(b"\x89PNG hand made")
    page = tiny / "content/docs/page.md"
    page.write_text('<img src="/images/photo.png" alt="photo">\n')
    run_figgen(tiny, "build", check=True)  # figgen.json's `pages` follow the page: check compares them
    result = run_figgen(tiny, "check")
    assert result.returncode == 0
    assert "/images/tiny/fit.png is declared (figgen.yaml:" in result.stderr


def test_a_hand_edited_output_is_stale_but_a_touched_one_is_fresh(tiny):
    image = tiny / "site/static/images/tiny/squares.png"
    image.touch()
    assert run_figgen(tiny, "check").returncode == 0
    image.write_bytes(image.read_bytes() + b"\0")
    result = run_figgen(tiny, "check")
    assert result.returncode == 1 and "squares.png is stale" in result.stdout


def test_list_shows_each_figure_its_models_status_and_reason(tiny):
    (tiny / "site/static/images/tiny/squares.png").unlink()
    rows = run_figgen(tiny, "list", check=True).stdout.splitlines()
    assert rows[0].split() == ["name", "models", "status", "reason", "seconds", "device"]
    assert rows[1].split()[:3] == ["tiny/squares", "-", "missing"]
    assert "the image file was deleted" in rows[1]
    assert rows[2].split()[:4] == ["tiny/fit", "model:line", "fresh", "-"]
    # the names `list` shows are the names `build` accepts
    assert run_figgen(tiny, "build", rows[1].split()[0], check=True).returncode == 0


@pytest.mark.slow
def test_same_inputs_give_byte_identical_images(tiny):
    image = tiny / "site/static/images/tiny/fit.png"
    before = image.read_bytes()
    run_figgen(tiny, "build", "--force", check=True)
    assert image.read_bytes() == before


def test_clean_removes_images_cache_and_data(tiny):
    run_figgen(tiny, "clean", check=True)
    assert not (tiny / "site/static/images/tiny/fit.png").exists()
    assert not (tiny / ".figgen").exists()
    assert not (tiny / "site/data/figgen.json").exists()


def test_building_one_figure_by_name(tiny):
    (tiny / "site/static/images/tiny/squares.png").unlink()
    (tiny / "site/static/images/tiny/fit.png").unlink()
    result = run_figgen(tiny, "build", "squares", check=True)
    assert built(result) == {"/images/tiny/squares.png"}
