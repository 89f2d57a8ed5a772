"""The team path and the Dask executor, proven on this repository's own course (minutes).

Clone 1 (a copy of course/, content/, site/ and figgen.yaml) builds the course once and pushes
to a shared folder (`file://`); `figgen push` shares the same results with an S3 server (moto, on
127.0.0.1). A fresh clone with an empty `.figgen/` then builds from each remote: it trains
nothing, exits 0, passes `figgen check`, and its images and figgen.json (facts, texts, alt
texts) are clone 1's byte for byte, dates aside. Finally `--executor dask` on a local cluster,
with clone 1's trained models, draws the same images and figgen.json as the local pool (model
training on Dask is proven on the tiny project: tests/test_dask_executor.py).
"""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import pytest

import tiers
from conftest import REPO, built, heavy_imports, run_figgen
from test_remote_cache import ACCESS_KEY, BUCKET, SECRET_KEY, no_secret_anywhere

pytestmark = pytest.mark.course

COPIED = ("course", "content", "site", "figgen.yaml")
_GENERATED = shutil.ignore_patterns("__pycache__", "public", "resources", "figgen.json", ".hugo_build.lock", ".figgen")


def GENERATED(folder: str, names: list[str]) -> set[str]:
    """What a build makes: never part of a clone (the images folder of a built checkout included)."""
    ignored = set(_GENERATED(folder, names))
    return (ignored | ({"images"} if Path(folder) == REPO / "site/static" else set())
            | ({"models"} if Path(folder) == REPO / "site/static/figgen" else set()))  # the exports (figgen/export/)
BUILD_TIMEOUT = 1500  # a cold build of the course trains five models: minutes on a shared machine


def copy_course(folder: Path) -> Path:
    project = folder / f"clone-{uuid.uuid4().hex[:6]}"
    project.mkdir(parents=True)
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=GENERATED)  # the theme's link is copied as files
        else:
            shutil.copy2(source, project / name)
    return project


def images(project: Path) -> dict[str, bytes]:
    folder = project / "site/static/images"
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def figgen_json(project: Path, *, timings: bool = True) -> dict:
    """figgen.json without the build dates (and, for another executor, the seconds each task took)."""
    document = json.loads((project / "site/data/figgen.json").read_text(encoding="utf-8"))
    for entry in document["figures"].values():
        entry.pop("built", None)
        if not timings:
            entry.pop("seconds", None)
    if not timings:  # another build's training took other seconds
        for entry in document["models"].values():
            entry.pop("seconds", None)
    return document


@pytest.fixture(scope="module")
def first_clone(tmp_path_factory):
    """Clone 1, built once from scratch and pushed to a shared folder: (project, url, result)."""
    tiers.require("course", "builds the whole course")
    folder = tmp_path_factory.mktemp("course-team")
    url = f"file://{folder / 'shared-cache'}"
    project = copy_course(folder)
    result = run_figgen(project, "build", env={"FIGGEN_CACHE_URL": url}, timeout=BUILD_TIMEOUT, check=True)
    return project, url, result


def assert_pulled_clone_equals(first: Path, second: Path, result) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    assert built(result) == set(), f"the fresh clone trained or drew something:\n{result.stdout}"
    assert "torch" not in heavy_imports(result), "nothing was trained: torch was never imported"
    check = run_figgen(second, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert images(second) == images(first)
    assert figgen_json(second) == figgen_json(first)


def test_a_fresh_clone_builds_the_course_from_a_shared_folder_and_trains_nothing(first_clone, tmp_path):
    first, url, first_result = first_clone
    assert {"model cnn", "model rnn", "model lstm", "model autoencoder", "model lm"} <= built(first_result)
    assert "pulled 0, pushed" in first_result.stdout
    second = copy_course(tmp_path)
    result = run_figgen(second, "build", env={"FIGGEN_CACHE_URL": url}, timeout=BUILD_TIMEOUT)
    assert_pulled_clone_equals(first, second, result)
    assert "pushed 0" in result.stdout
    assert not (second / ".figgen/pending-pushes.json").exists()


def test_the_course_build_exports_its_three_labs_models_and_onnxruntime_agrees(first_clone):
    from test_export_course import references_hold

    first, _, result = first_clone
    assert {"export cnn", "export autoencoder", "export lm"} <= built(result)
    exports = json.loads((first / "site/data/figgen.json").read_text(encoding="utf-8"))["exports"]
    assert sorted(exports) == ["autoencoder", "cnn", "lm"]
    for name, entry in exports.items():
        onnx = first / "site/static" / entry["onnx"].lstrip("/")
        card = json.loads((first / "site/static" / entry["card"].lstrip("/")).read_text(encoding="utf-8"))
        assert card["digest"] == entry["digest"] and onnx.stat().st_size == entry["bytes"]
        assert 3 <= len(references_hold(card, onnx))


@pytest.mark.slow
def test_a_fresh_clone_builds_the_course_from_s3_and_trains_nothing(first_clone, tmp_path):
    from test_remote_cache import s3_server

    first, _, _ = first_clone
    with s3_server() as endpoint:
        env = {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_DEFAULT_REGION": "us-east-1",
               "FIGGEN_CACHE_ENDPOINT": endpoint, "FIGGEN_CACHE_URL": f"s3://{BUCKET}/course"}
        pushed = run_figgen(first, "push", env=env, timeout=300, check=True)
        assert f"remote cache s3://{BUCKET}/course: pulled 0, pushed" in pushed.stdout
        second = copy_course(tmp_path)
        result = run_figgen(second, "build", env=env, timeout=BUILD_TIMEOUT)
    assert_pulled_clone_equals(first, second, result)
    no_secret_anywhere(second, pushed, result)


@pytest.mark.slow
def test_dask_draws_the_course_as_the_local_pool_does(first_clone, tmp_path):
    pytest.importorskip("distributed")
    first, _, _ = first_clone
    clone = copy_course(tmp_path)
    shutil.copytree(first / ".figgen/models", clone / ".figgen/models")  # trained once, by clone 1
    result = run_figgen(clone, "build", "--executor", "dask", "--jobs", "2", timeout=BUILD_TIMEOUT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not [name for name in built(result) if name.startswith("model ")], result.stdout
    drawn = built(result)
    assert len({name for name in drawn if name.startswith("/")}) == len(figgen_json(first)["figures"])
    assert {name for name in drawn if name.startswith("export ")} == {
        f"export {name}" for name in figgen_json(first)["exports"]}  # made in the parent, from the checkpoints
    assert images(clone) == images(first)
    assert figgen_json(clone, timings=False) == figgen_json(first, timings=False)
    assert run_figgen(clone, "check").returncode == 0


@pytest.mark.slow
def test_two_builds_of_the_course_from_scratch_give_the_same_bytes(first_clone):
    """Clone 1 (a build from scratch, above) against the repository's own build, which the course
    tier makes anyway (hugo_site.real_course; from scratch on a fresh checkout, as in CI): the
    course trained twice costs no third training. Images, checkpoints and figgen.json, dates and
    seconds aside, byte for byte."""
    import hugo_site

    first, _, _ = first_clone
    hugo_site.real_course()  # `figgen build` in the repository

    def made(project: Path) -> dict[str, bytes]:
        return {str(p.relative_to(project)): p.read_bytes() for folder in ("site/static/images", ".figgen/models")
                for p in sorted((project / folder).rglob("*")) if p.suffix in (".png", ".pt")}

    clone = made(first)
    assert sum(name.endswith(".pt") for name in clone) == 5
    repository = made(REPO)
    assert [name for name in clone if repository.get(name) != clone[name]] == []
    assert figgen_json(REPO, timings=False) == figgen_json(first, timings=False)
