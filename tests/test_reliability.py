"""Never lose a good figure: failures stay isolated, writes are atomic, builds take turns."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, built, run_figgen

SQUARES = "/images/tiny/squares.png"
FIT = "/images/tiny/fit.png"


def edit_config(project: Path, old: str, new: str) -> None:
    config = project / "figgen.yaml"
    assert old in config.read_text()
    config.write_text(config.read_text().replace(old, new, 1))


def image(project: Path, name: str) -> Path:
    return project / "site/static/images/tiny" / name


def figgen_json(project: Path) -> dict:
    return json.loads((project / "site/data/figgen.json").read_text())


def test_a_failing_figure_keeps_its_previous_image_and_the_others_build(tiny):
    before = image(tiny, "squares.png").read_bytes()
    edit_config(tiny, "params: {count: 3}", "params: {count: 4, fail: true}")
    edit_config(tiny, "epochs: 30", "epochs: 31")  # fit.png must be rebuilt meanwhile
    result = run_figgen(tiny, "build")
    assert result.returncode == 1
    assert built(result) == {"model line", FIT}
    assert image(tiny, "squares.png").read_bytes() == before
    assert f"figure {SQUARES} failed: ValueError: this figure is broken on purpose" in result.stdout
    assert 'raise ValueError("this figure is broken on purpose")' in result.stdout  # last frames shown
    entry = figgen_json(tiny)["figures"][SQUARES]
    assert entry["stale"] is True and "broken on purpose" in entry["error"]
    assert run_figgen(tiny, "check").returncode == 1


@pytest.mark.slow
def test_fail_fast_stops_at_the_first_failure(fresh_tiny):
    edit_config(fresh_tiny, "params: {count: 3}", "params: {count: 3, fail: true}")
    result = run_figgen(fresh_tiny, "build", "--fail-fast", "--jobs", "1")
    assert result.returncode == 1
    assert "stopped by --fail-fast" in result.stdout


@pytest.mark.parametrize("old, new, reason", [
    ("learning_rate: 0.1", "learning_rate: 0.1, fail: true", "RuntimeError: training broken on purpose"),
    ("learning_rate: 0.1", "learning_rate: 1000.0", "model 'line': loss became nan at epoch 1"),
])
@pytest.mark.slow
def test_a_model_that_fails_skips_its_figures_only(fresh_tiny, old, new, reason):
    edit_config(fresh_tiny, old, new)
    result = run_figgen(fresh_tiny, "build")
    assert result.returncode == 1
    assert built(result) == {SQUARES}
    assert f"model line failed: {reason}" in result.stdout
    assert f"figure {FIT} skipped: model 'line' failed" in result.stdout
    assert not image(fresh_tiny, "fit.png").exists()


@pytest.mark.slow
def test_a_truncated_checkpoint_is_discarded_and_retrained(tiny):
    checkpoint = next((tiny / ".figgen/models/line").glob("*.pt"))
    checkpoint.write_bytes(checkpoint.read_bytes()[:100])
    image(tiny, "fit.png").unlink()
    result = run_figgen(tiny, "build", check=True)
    assert "discarding truncated or missing checkpoint" in result.stderr
    assert built(result) == {"model line", FIT}


@pytest.mark.slow
def test_a_corrupt_checkpoint_of_the_same_size_is_caught_by_its_checksum(tiny):
    checkpoint = next((tiny / ".figgen/models/line").glob("*.pt"))
    data = bytearray(checkpoint.read_bytes())
    data[len(data) // 2] ^= 0xFF
    checkpoint.write_bytes(bytes(data))
    image(tiny, "fit.png").unlink()
    result = run_figgen(tiny, "build", check=True)
    assert "checksum mismatch" in result.stderr
    assert built(result) == {"model line", FIT}


@pytest.mark.slow
def test_garbage_manifests_are_discarded_with_a_warning(tiny):
    (tiny / ".figgen/figures.json").write_text("{not json")
    (tiny / ".figgen/sources.json").write_text("[1, 2")
    next((tiny / ".figgen/models/line").glob("*.json")).write_text("garbage")
    result = run_figgen(tiny, "build", check=True)
    assert "discarding unreadable" in result.stderr
    assert built(result) == {SQUARES, FIT, "model line"}
    assert run_figgen(tiny, "check").returncode == 0


def start_build(project: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "figgen", "-C", str(project), "build", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)}, start_new_session=True,
    )


def assert_every_image_decodes(project: Path) -> None:
    from PIL import Image

    for path in (project / "site/static").rglob("*"):
        if path.is_file():
            assert path.suffix == ".png", f"leftover file {path}"
            with Image.open(path) as picture:
                picture.verify()
    data = project / "site/data/figgen.json"
    if data.exists():
        json.loads(data.read_text())


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("delay", [0.3, 1.5, 3.0])
def test_an_interrupted_build_leaves_only_whole_files_and_the_next_one_finishes(fresh_tiny, sig, delay):
    process = start_build(fresh_tiny)
    time.sleep(delay)
    os.killpg(process.pid, sig)  # the whole process group: the workers die too
    process.communicate(timeout=60)
    assert_every_image_decodes(fresh_tiny)
    run_figgen(fresh_tiny, "build", check=True)
    assert_every_image_decodes(fresh_tiny)
    assert run_figgen(fresh_tiny, "check").returncode == 0


@pytest.mark.slow
def test_sigterm_reports_an_interruption_and_exits_130(fresh_tiny):
    edit_config(fresh_tiny, "params: {count: 3}", "params: {count: 3, sleep: 5}")
    process = start_build(fresh_tiny)
    deadline = time.monotonic() + 120
    while not list((fresh_tiny / ".figgen/models").glob("line/*.json")) and time.monotonic() < deadline:
        time.sleep(0.1)  # wait until the model is trained and recorded; squares.png is still drawing
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted" in stderr and "Traceback" not in stderr
    # the model finished before the signal: the next build does not train it again
    result = run_figgen(fresh_tiny, "build", check=True)
    assert "model line" not in built(result)


def holds_the_project_lock(project: Path) -> bool:
    """Some process holds figgen's lock on `project` (an flock on the folder: figgen/lock.py)."""
    stat = project.stat()
    held = f"{os.major(stat.st_dev):02x}:{os.minor(stat.st_dev):02x}:{stat.st_ino}"
    return any(line.split()[5] == held for line in Path("/proc/locks").read_text().splitlines()
               if line.split()[1] == "FLOCK")


def wait_until_it_holds_the_lock(process: subprocess.Popen, project: Path, seconds: float = 120) -> None:
    """Until the build `process` has taken the project lock: a condition, not a guessed delay."""
    if not Path("/proc/locks").exists():
        pytest.skip("needs Linux's /proc/locks to see the lock taken")
    deadline = time.monotonic() + seconds
    while not holds_the_project_lock(project):
        assert process.poll() is None, f"the first build ended before taking the lock: {process.communicate()}"
        assert time.monotonic() < deadline, f"the first build did not take the lock within {seconds} s"
        time.sleep(0.02)


@pytest.mark.slow
def test_two_builds_at_once_take_turns(fresh_tiny):
    edit_config(fresh_tiny, "params: {count: 3}", "params: {count: 3, sleep: 3}")
    first = start_build(fresh_tiny)
    wait_until_it_holds_the_lock(first, fresh_tiny)
    second = start_build(fresh_tiny)
    out1, err1 = first.communicate(timeout=120)
    out2, err2 = second.communicate(timeout=120)
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    assert "another figgen build is running in this project" in err2
    assert "up to date" in out2  # the second found the work done
    assert_every_image_decodes(fresh_tiny)
    assert run_figgen(fresh_tiny, "check").returncode == 0


@pytest.mark.slow
def test_waiting_for_the_lock_gives_up_after_the_timeout(fresh_tiny):
    edit_config(fresh_tiny, "params: {count: 3}", "params: {count: 3, sleep: 6}")
    first = start_build(fresh_tiny)
    wait_until_it_holds_the_lock(first, fresh_tiny)
    result = run_figgen(fresh_tiny, "build", "--lock-timeout", "0.5")
    first.communicate(timeout=120)
    assert result.returncode == 1
    assert "another figgen build still holds" in result.stderr
