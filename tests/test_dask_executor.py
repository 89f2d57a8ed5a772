"""`figgen build --executor dask`: the tiny project built by a Dask cluster of real worker
processes (started here, on 127.0.0.1) gives the very images of a local build."""

from __future__ import annotations

import json

import pytest

from conftest import built, run_figgen

pytestmark = pytest.mark.slow  # real servers, clusters or watchers: minutes under load

pytest.importorskip("distributed")

IMAGES = ("tiny/squares.png", "tiny/fit.png")


def test_a_dask_cluster_builds_the_same_images_as_the_local_pool(fresh_tiny, built_tiny):
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        result = run_figgen(fresh_tiny, "build", "--executor", "dask", "--scheduler", cluster.scheduler_address,
                            check=True)
    assert built(result) == {"model line", "/images/tiny/squares.png", "/images/tiny/fit.png"}, result.stdout
    for name in IMAGES:
        ours = (fresh_tiny / "site/static/images" / name).read_bytes()
        assert ours == (built_tiny / "site/static/images" / name).read_bytes(), name
    ours = json.loads((fresh_tiny / "site/data/figgen.json").read_text())["models"]["line"]["metrics"]
    theirs = json.loads((built_tiny / "site/data/figgen.json").read_text())["models"]["line"]["metrics"]
    assert ours == theirs
    assert "all 2 figures up to date" in run_figgen(fresh_tiny, "build", check=True).stdout
    assert run_figgen(fresh_tiny, "check").returncode == 0


def test_without_a_scheduler_figgen_starts_and_stops_a_local_cluster(fresh_tiny, built_tiny):
    result = run_figgen(fresh_tiny, "build", "squares", "--executor", "dask", "--jobs", "1", check=True)
    assert built(result) == {"/images/tiny/squares.png"}
    name = IMAGES[0]
    assert (fresh_tiny / "site/static/images" / name).read_bytes() == (built_tiny / "site/static/images" / name).read_bytes()


def test_an_unreachable_scheduler_is_one_line_exit_2(fresh_tiny):
    result = run_figgen(fresh_tiny, "build", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9", timeout=120)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[0].startswith("figgen: error: cannot reach the Dask scheduler tcp://127.0.0.1:9")
    assert "Traceback" not in result.stderr


def test_scheduler_without_the_dask_executor_is_a_usage_error(fresh_tiny):
    result = run_figgen(fresh_tiny, "build", "--scheduler", "tcp://127.0.0.1:9")
    assert result.returncode == 2 and "--scheduler needs --executor dask" in result.stderr


def test_dask_without_the_dask_extra_says_which_extra_to_install(fresh_tiny):
    from test_remote_cache import run_without

    result = run_without("distributed", fresh_tiny, "build", "--executor", "dask", env={})
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == "figgen: error: --executor dask needs the 'dask' extra: pip install 'figgen[dask]'"
