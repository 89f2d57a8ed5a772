"""`figgen build --executor dask`: the tiny project built by a Dask cluster of real worker
processes (started here, on 127.0.0.1) gives the very images of a local build."""

from __future__ import annotations

import json
import time

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
    # per-epoch progress comes back from the cluster as from the local pool (the last epoch always shows)
    assert "line: epoch 30/30  loss" in result.stderr, result.stderr
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


# --- the local pool's rules, on a cluster -----------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as running:
        yield running


@pytest.mark.slow
@pytest.mark.alone  # a bound in seconds
def test_a_draw_past_its_timeout_fails_by_name_and_its_worker_is_restarted(tiny, cluster):
    from test_trust import add_figure, edit

    hang = add_figure(tiny, "hang", "import time\nwhile True:\n    time.sleep(1)", "timeout: 3")
    edit(tiny / "figgen.yaml", "params: {count: 3}", "params: {count: 2}")
    started = time.monotonic()
    result = run_figgen(tiny, "build", "--executor", "dask", "--scheduler", cluster.scheduler_address,
                        timeout=120)
    elapsed = time.monotonic() - started
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"figure {hang} failed: stopped after its time limit of 3 s" in result.stdout
    assert built(result) == {"/images/tiny/squares.png"}
    assert elapsed < 3 + 25, f"the build took {elapsed:.0f} s"  # cluster connection and restart included
    assert json.loads((tiny / "site/data/figgen.json").read_text())["figures"][hang]["stale"] is True
    # the worker that ran it was restarted: the cluster still has two idle workers, and builds
    from distributed import Client

    with Client(cluster.scheduler_address) as client:
        client.wait_for_workers(2, timeout=30)
        assert all(not keys for keys in client.processing().values())


@pytest.mark.slow
def test_an_edit_during_a_dask_build_is_refused_as_with_the_local_pool(tiny, cluster):
    from test_trust import edit, start, wait_for

    config, fit_source = tiny / "figgen.yaml", tiny / "tinyfigs/figures/fit.py"
    edit(config, "epochs: 30", "epochs: 31")  # the model trains on Dask: fit.png waits for it
    edit(config, "params: {count: 3}", "params: {count: 3, sleep: 4}")
    original = fit_source.read_text(encoding="utf-8")
    from distributed import Client

    process = start(tiny, "build", "--executor", "dask", "--scheduler", cluster.scheduler_address)
    # As soon as the cluster trains the model, the figure that waits for it has not imported its
    # module yet: edit it then (after the model was trained, fit.py may already be running).
    with Client(cluster.scheduler_address, timeout="10s") as client:
        wait_for(lambda: any("model" in str(key) or "line" in str(key)
                             for keys in client.processing().values() for key in keys),
                 what="the cluster to train the model")
    edit(fit_source, "perte finale", "PERTE ÉDITÉE")
    out, _ = process.communicate(timeout=120)
    fit_source.write_text(original, encoding="utf-8")
    assert process.returncode == 1, out
    assert "tinyfigs/figures/fit.py changed during the build" in out
    again = run_figgen(tiny, "build")
    assert again.returncode == 0 and "/images/tiny/fit.png" in built(again), again.stdout


@pytest.mark.slow
def test_a_long_lived_worker_runs_todays_package_init(tiny, cluster):
    """The package's own __init__.py is forgotten between builds, as its submodules are."""
    init = tiny / "tinyfigs/__init__.py"
    squares = tiny / "tinyfigs/figures/squares.py"
    init.write_text("COUNT_BONUS = 0\n", encoding="utf-8")
    source = squares.read_text()
    assert 'ctx.fact("count", ctx.params.count)' in source  # the line this test edits
    squares.write_text(source.replace('ctx.fact("count", ctx.params.count)',
                                      'import tinyfigs\n    ctx.fact("count", ctx.params.count + tinyfigs.COUNT_BONUS)'))
    for bonus in (0, 5):
        init.write_text(f"COUNT_BONUS = {bonus}\n", encoding="utf-8")
        run_figgen(tiny, "build", "squares", "--executor", "dask", "--scheduler", cluster.scheduler_address,
                   check=True)
        facts = json.loads((tiny / "site/data/figgen.json").read_text())["figures"]["/images/tiny/squares.png"]["facts"]
        assert facts == {"count": 3 + bonus}
