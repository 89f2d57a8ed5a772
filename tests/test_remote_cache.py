"""The remote cache, for real: a shared folder (file://) and an S3 server (moto) on 127.0.0.1.

A first clone builds and pushes; a second clean clone pulls everything, trains nothing and gets
byte-identical images; a corrupt remote object is refused and rebuilt; read-only mode pushes
nothing; the fake credentials never show up in output or in figgen.json.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import uuid
from pathlib import Path

import pytest

from conftest import TINY, built, heavy_imports, run_figgen

pytestmark = pytest.mark.slow  # real servers, clusters or watchers: minutes under load

IMAGES = ("tiny/squares.png", "tiny/fit.png")
ACCESS_KEY = "AKIAFIGGENTESTKEY0001"
SECRET_KEY = "figgen-test-secret-do-not-print-0123456789"
BUCKET = "figgen-cache"


def clone(folder: Path, yaml_extra: str = "") -> Path:
    project = folder / f"clone-{uuid.uuid4().hex[:6]}"
    shutil.copytree(TINY, project, ignore=shutil.ignore_patterns(".figgen", "images", "data", "__pycache__"))
    if yaml_extra:
        config = project / "figgen.yaml"
        config.write_text(config.read_text() + yaml_extra)
    return project


def image_bytes(project: Path) -> dict[str, bytes]:
    return {name: (project / "site/static/images" / name).read_bytes() for name in IMAGES}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- a shared folder -------------------------------------------------------------------------


def test_a_shared_folder_cache_from_figgen_yaml_is_pulled_by_a_second_clone(tmp_path):
    shared = tmp_path / "shared-cache"
    yaml_extra = f"\ncache:\n  url: file://{shared}\n"
    first = clone(tmp_path, yaml_extra)
    result = run_figgen(first, "build", check=True)
    assert built(result) == {"model line", "/images/tiny/squares.png", "/images/tiny/fit.png"}
    assert f"remote cache file://{shared}: pulled 0, pushed 3" in result.stdout
    assert not list(shared.rglob(".tmp-*")), "no temporary upload is left behind"

    second = clone(tmp_path, yaml_extra)
    result = run_figgen(second, "build", check=True)
    assert built(result) == set(), result.stdout
    assert "pulled 3, pushed 0" in result.stdout
    assert heavy_imports(result) == [], "a fully pulled build trains and draws nothing"
    assert image_bytes(second) == image_bytes(first)
    models = json.loads((second / "site/data/figgen.json").read_text())["models"]
    assert models["line"]["trained"] and models["line"]["metrics"]["final_loss"] > 0
    assert run_figgen(second, "check").returncode == 0
    assert "all 2 figures up to date" in run_figgen(second, "build", check=True).stdout


def test_an_object_without_its_manifest_is_absent_and_gets_built(tmp_path):
    """What an interrupted push leaves (the manifest is written last) is never pulled."""
    shared = tmp_path / "shared-cache"
    first = clone(tmp_path)
    run_figgen(first, "build", env={"FIGGEN_CACHE_URL": str(shared)}, check=True)
    for manifest in shared.glob("figures/*/manifest.json"):
        manifest.unlink()
    second = clone(tmp_path)
    result = run_figgen(second, "build", env={"FIGGEN_CACHE_URL": str(shared)}, check=True)
    assert built(result) == {"/images/tiny/squares.png", "/images/tiny/fit.png"}  # the model is pulled
    assert "pulled 1, pushed 2" in result.stdout
    assert image_bytes(second) == image_bytes(first)


def test_a_cache_url_with_credentials_in_figgen_yaml_is_refused(fresh_tiny):
    config = fresh_tiny / "figgen.yaml"
    config.write_text(config.read_text() + "\ncache:\n  url: s3://AKIA:secret@bucket/figgen\n")
    result = run_figgen(fresh_tiny, "build")
    assert result.returncode == 2
    line = len(config.read_text().splitlines())
    assert result.stderr.strip().startswith(f"figgen: error: figgen.yaml:{line}: cache.url must not hold credentials")
    assert "secret" not in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_cache_protocol_is_one_line_exit_2(fresh_tiny):
    result = run_figgen(fresh_tiny, "build", env={"FIGGEN_CACHE_URL": "nosuchproto://host/x?v=abc"})
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("figgen: error: cache url nosuchproto://host/x?***")
    assert "abc" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("url", ["s3://AKIAUSER:SeCrEtPw@bucket/figgen", "file://user:SeCrEtPw@/tmp/figgen-cache"])
def test_a_cache_url_with_credentials_in_the_environment_is_refused_even_by_a_noop_build(tiny, url):
    result = run_figgen(tiny, "build", env={"FIGGEN_CACHE_URL": url})
    assert result.returncode == 2, result.stdout
    assert result.stderr.strip().startswith("figgen: error: FIGGEN_CACHE_URL must not hold credentials (")
    assert "SeCrEtPw" not in result.stderr + result.stdout and "Traceback" not in result.stderr
    assert not [p for p in tiny.rglob("*") if "SeCrEtPw" in str(p) or "@" in p.name], "no folder named after them"


# --- a manifest is the record -----------------------------------------------------------------


@pytest.fixture(scope="module")
def pushed(tmp_path_factory):
    """(first clone, shared folder) after one build that pushed the model and both figures."""
    folder = tmp_path_factory.mktemp("pushed")
    shared = folder / "shared-cache"
    first = clone(folder)
    run_figgen(first, "build", env={"FIGGEN_CACHE_URL": f"file://{shared}"}, check=True)
    return first, shared


def own_copy(pushed, tmp_path) -> str:
    shared = tmp_path / "shared-cache"
    shutil.copytree(pushed[1], shared)
    return f"file://{shared}"


def figure_folder(url: str, output: str) -> Path:
    shared = Path(url[len("file://"):])
    return next(m.parent for m in shared.glob("figures/*/manifest.json") if json.loads(m.read_text())["output"] == output)


@pytest.mark.slow  # several builds of the tiny project
def test_a_manifest_holds_the_facts_and_a_pull_replaces_the_local_record(pushed, tmp_path):
    first, _ = pushed
    url = own_copy(pushed, tmp_path)
    manifest = json.loads((figure_folder(url, "/images/tiny/squares.png") / "manifest.json").read_text())
    assert manifest["facts"] == {"count": 3} and manifest["key"] == manifest["fingerprint"]
    assert "stat" not in manifest and "last_error" not in manifest
    # a clone whose last local build drew 4 squares (facts: 4) pulls the 3 squares of the remote
    second = clone(tmp_path)
    config = second / "figgen.yaml"
    config.write_text(config.read_text().replace("params: {count: 3}", "params: {count: 4}"))
    run_figgen(second, "build", "squares", check=True)
    config.write_text(config.read_text().replace("params: {count: 4}", "params: {count: 3}"))
    result = run_figgen(second, "build", env={"FIGGEN_CACHE_URL": url}, check=True)
    assert "pulled 3, pushed 0" in result.stdout, result.stdout
    facts = json.loads((second / "site/data/figgen.json").read_text())["figures"]["/images/tiny/squares.png"]["facts"]
    assert facts == {"count": 3}
    assert image_bytes(second) == image_bytes(first)
    assert run_figgen(second, "check").returncode == 0


@pytest.mark.slow  # several builds of the tiny project
def test_an_object_under_another_key_is_refused_and_built_here(pushed, tmp_path):
    first, _ = pushed
    url = own_copy(pushed, tmp_path)
    squares, fit = figure_folder(url, "/images/tiny/squares.png"), figure_folder(url, "/images/tiny/fit.png")
    for name in ("figure.png", "manifest.json"):  # the fit picture, served under squares' key
        shutil.copy(fit / name, squares / name)
    second = clone(tmp_path)
    result = run_figgen(second, "build", env={"FIGGEN_CACHE_URL": url}, check=True)
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "refusing /images/tiny/squares.png from the remote cache: its manifest was " \
        "stored under another key" in warnings[0], result.stderr
    assert built(result) == {"/images/tiny/squares.png"}
    assert image_bytes(second) == image_bytes(first)
    assert json.loads((squares / "manifest.json").read_text())["output"] == "/images/tiny/squares.png", \
        "the good object was pushed over the refused one"


@pytest.mark.slow  # several builds of the tiny project
def test_a_manifest_with_a_width_that_is_not_a_number_is_refused(pushed, tmp_path):
    first, _ = pushed
    url = own_copy(pushed, tmp_path)
    manifest_path = figure_folder(url, "/images/tiny/fit.png") / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps({**manifest, "width": "wide"}))
    second = clone(tmp_path)
    result = run_figgen(second, "build", env={"FIGGEN_CACHE_URL": url}, check=True)
    assert "refusing /images/tiny/fit.png from the remote cache: its width is not a positive whole number" \
        in result.stderr
    assert built(result) == {"/images/tiny/fit.png"} and "Traceback" not in result.stderr
    assert run_figgen(second, "check").returncode == 0
    assert "all 2 figures up to date" in run_figgen(second, "build", check=True).stdout
    assert image_bytes(second) == image_bytes(first)


@pytest.mark.slow  # several builds of the tiny project
def test_a_failed_push_is_retried_by_the_next_noop_build(tmp_path):
    shared = tmp_path / "shared-cache"
    shared.write_text("a file where the cache's folder should be")  # every push fails
    project = clone(tmp_path)
    env = {"FIGGEN_CACHE_URL": f"file://{shared}"}
    result = run_figgen(project, "build", env=env, check=True)
    assert "the next build tries again" in result.stderr and "pushed 0" in result.stdout
    shared.unlink()
    again = run_figgen(project, "build", env=env, check=True)
    assert built(again) == set() and "pulled 0, pushed 3" in again.stdout, again.stdout + again.stderr
    assert not (project / ".figgen/pending-pushes.json").exists()
    third = run_figgen(project, "build", env=env, check=True)
    assert "all 2 figures up to date" in third.stdout and "remote cache" not in third.stdout


@pytest.mark.slow  # several builds of the tiny project
def test_figgen_push_shares_what_was_built_before_the_remote_existed(built_tiny, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(built_tiny, project)
    shared = tmp_path / "shared-cache"
    result = run_figgen(project, "push", env={"FIGGEN_CACHE_URL": f"file://{shared}"}, check=True)
    assert f"remote cache file://{shared}: pulled 0, pushed 3" in result.stdout
    second = clone(tmp_path)
    pulled = run_figgen(second, "build", env={"FIGGEN_CACHE_URL": f"file://{shared}"}, check=True)
    assert built(pulled) == set() and "pulled 3" in pulled.stdout
    assert image_bytes(second) == image_bytes(project)


# --- S3 --------------------------------------------------------------------------------------


@contextlib.contextmanager
def s3_server():
    """An S3 server (moto) on 127.0.0.1 with the bucket made: its endpoint URL."""
    moto_server = pytest.importorskip("moto.server")
    s3fs = pytest.importorskip("s3fs")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        fs = s3fs.S3FileSystem(key=ACCESS_KEY, secret=SECRET_KEY, client_kwargs={"endpoint_url": endpoint},
                               skip_instance_cache=True)
        if not fs.exists(BUCKET):  # moto keeps its buckets per process: an earlier server's is still there
            fs.mkdir(BUCKET)
        yield endpoint
    finally:
        server.stop()


@pytest.fixture(scope="module")
def s3_endpoint():
    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3(s3_endpoint, monkeypatch):
    """Fake credentials in the environment and an empty prefix of a bucket, for one test."""
    s3fs = pytest.importorskip("s3fs")
    for name, value in {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
                        "AWS_DEFAULT_REGION": "us-east-1", "FIGGEN_CACHE_ENDPOINT": s3_endpoint}.items():
        monkeypatch.setenv(name, value)
    fs = s3fs.S3FileSystem(client_kwargs={"endpoint_url": s3_endpoint}, skip_instance_cache=True)
    if not fs.exists(BUCKET):
        fs.mkdir(BUCKET)
    prefix = f"{BUCKET}/{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("FIGGEN_CACHE_URL", f"s3://{prefix}")
    return fs, prefix


@pytest.fixture(scope="module")
def first_s3_clone(s3_endpoint, tmp_path_factory):
    """A clone built once against an S3 prefix; tests copy that prefix to work on their own."""
    pytest.importorskip("s3fs")
    env = {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_DEFAULT_REGION": "us-east-1",
           "FIGGEN_CACHE_ENDPOINT": s3_endpoint}
    import s3fs

    fs = s3fs.S3FileSystem(key=ACCESS_KEY, secret=SECRET_KEY, client_kwargs={"endpoint_url": s3_endpoint},
                           skip_instance_cache=True)
    if not fs.exists(BUCKET):
        fs.mkdir(BUCKET)
    prefix = f"{BUCKET}/first"
    project = clone(tmp_path_factory.mktemp("s3-first"))
    result = run_figgen(project, "build", env={**env, "FIGGEN_CACHE_URL": f"s3://{prefix}"}, check=True)
    return project, prefix, result


def copy_prefix(fs, source: str, destination: str) -> None:
    for key in fs.find(source):
        fs.copy(key, destination + key[len(source):])


def no_secret_anywhere(project: Path, *results) -> None:
    for result in results:
        for stream in (result.stdout, result.stderr):
            assert SECRET_KEY not in stream and ACCESS_KEY not in stream
    for path in [project / "site/data/figgen.json", *(project / ".figgen").rglob("*.json")]:
        text = path.read_text()
        assert SECRET_KEY not in text and ACCESS_KEY not in text, path


def test_a_second_clean_clone_pulls_everything_from_s3_and_trains_nothing(first_s3_clone, s3, tmp_path):
    fs, prefix = s3
    first, first_prefix, first_result = first_s3_clone
    assert built(first_result) == {"model line", "/images/tiny/squares.png", "/images/tiny/fit.png"}
    assert f"remote cache s3://{first_prefix}: pulled 0, pushed 3" in first_result.stdout
    copy_prefix(fs, first_prefix, prefix)

    second = clone(tmp_path)
    result = run_figgen(second, "build", check=True)
    assert built(result) == set(), result.stdout
    assert "model line" in result.stdout and "pulled" in result.stdout
    assert f"remote cache s3://{prefix}: pulled 3, pushed 0" in result.stdout
    assert heavy_imports(result) == []
    assert image_bytes(second) == image_bytes(first)
    first_models = json.loads((first / "site/data/figgen.json").read_text())["models"]
    second_models = json.loads((second / "site/data/figgen.json").read_text())["models"]
    assert second_models == first_models
    no_secret_anywhere(second, first_result, result)


def test_a_corrupt_remote_object_is_refused_rebuilt_and_replaced(first_s3_clone, s3, tmp_path):
    fs, prefix = s3
    first = first_s3_clone[0]
    copy_prefix(fs, first_s3_clone[1], prefix)
    fit_object = next(key for key in fs.find(f"{prefix}/figures") if key.endswith("figure.png")
                      and json.loads(fs.cat_file(key.rsplit("/", 1)[0] + "/manifest.json"))["output"]
                      == "/images/tiny/fit.png")
    fs.pipe_file(fit_object, b"\x89PNG not the image the manifest describes")

    second = clone(tmp_path)
    result = run_figgen(second, "build", check=True)
    assert "refusing /images/tiny/fit.png from the remote cache: its sha256 does not match" in result.stderr
    assert built(result) == {"/images/tiny/fit.png"}, "the model and the other figure are still pulled"
    assert "pulled 2, pushed 1, refused 1 corrupt" in result.stdout
    assert image_bytes(second) == image_bytes(first)
    assert fs.cat_file(fit_object) == image_bytes(first)["tiny/fit.png"], "the good image replaced the bad one"
    no_secret_anywhere(second, result)


def test_read_only_mode_and_no_push_push_nothing(s3, tmp_path):
    fs, prefix = s3
    project = clone(tmp_path)
    result = run_figgen(project, "build", env={"FIGGEN_CACHE_READONLY": "1"}, check=True)
    assert "pushed nothing (read-only)" in result.stdout
    assert not fs.exists(prefix) or fs.find(prefix) == []
    (project / "tinyfigs/figures/squares.py").write_text(
        (project / "tinyfigs/figures/squares.py").read_text() + "\nEDITED = 1\n")
    result = run_figgen(project, "build", "--no-push", check=True)
    assert built(result) == {"/images/tiny/squares.png"}
    assert "pushed nothing (read-only)" in result.stdout
    assert not fs.exists(prefix) or fs.find(prefix) == []
    no_secret_anywhere(project, result)


def run_without(module: str, project: Path, *args: str, env: dict) -> "subprocess.CompletedProcess":
    """figgen, as if `module` (an optional extra) were not installed."""
    import os
    import subprocess
    import sys

    from conftest import REPO

    code = (f"import sys; sys.modules[{module!r}] = None; sys.argv = ['figgen'] + sys.argv[1:]\n"
            "from figgen.launcher import main; main()")
    return subprocess.run([sys.executable, "-c", code, "-C", str(project), *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO), **env}, timeout=120)


def test_s3_without_the_remote_extra_says_which_extra_to_install(fresh_tiny):
    result = run_without("s3fs", fresh_tiny, "build", env={"FIGGEN_CACHE_URL": "s3://bucket/figgen"})
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == ("figgen: error: cache url s3://bucket/figgen needs the 'remote' extra: "
                                     "pip install 'figgen[remote]'")
