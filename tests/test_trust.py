"""Never green with a wrong figure (issue 10): each case a hostile author tried, built for real.

Every test runs the real `figgen` on a private copy of tests/tinyproject. A figure module the
test needs is written into that copy (`add_figure`), never into tests/tinyproject itself.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import REPO, built, run_figgen

SQUARES = "/images/tiny/squares.png"
FIT = "/images/tiny/fit.png"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_figure(project: Path, module: str, body: str, declaration: str = "") -> str:
    """Write tinyfigs/figures/<module>.py with `body` as draw()'s body; declare it. Its site path."""
    source = "from figgen.draw.style import new_figure\n\n\ndef draw(ctx):\n" + textwrap.indent(
        textwrap.dedent(body).strip() + "\n", "    ")
    (project / "tinyfigs/figures" / f"{module}.py").write_text(source, encoding="utf-8")
    output = f"/images/tiny/{module}.png"
    with open(project / "figgen.yaml", "a", encoding="utf-8") as config:
        config.write(f"  - output: {output}\n    draw: {module}\n    alt: \"Figure {module}\"\n")
        config.write(textwrap.indent(textwrap.dedent(declaration).strip() + "\n", "    ") if declaration else "")
    return output


def image(project: Path, name: str) -> Path:
    return project / "site/static/images/tiny" / name


def figgen_json(project: Path) -> dict:
    return json.loads((project / "site/data/figgen.json").read_text(encoding="utf-8"))


def start(project: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "figgen", "-C", str(project), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
    )


def wait_for(condition, seconds: float = 120, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead: only its parent has not read its exit status yet
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def no_traceback(result) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("HEAVY-IMPORTS:")]


# --- 1. anything draw() raises or calls fails that figure only ------------------------------


@pytest.mark.parametrize("body, reason", [
    ("import sys\nsys.exit(0)", "SystemExit"),
    ("raise KeyboardInterrupt", "KeyboardInterrupt"),
    ("import os\nos._exit(1)", "its worker process exited (code 1)"),
])
def test_exit_or_interrupt_inside_draw_fails_that_figure_only(tiny, body, reason):
    bad = add_figure(tiny, "bad", body)
    edit(tiny / "figgen.yaml", "epochs: 30", "epochs: 31")  # the model must still be retrained
    result = run_figgen(tiny, "build")
    assert result.returncode == 1, result.stdout + result.stderr
    assert built(result) == {"model line", FIT}
    assert f"figure {bad} failed: " in result.stdout and reason in result.stdout
    assert "built 2, up to date 1, skipped 0, failed 1" in result.stdout
    entries = figgen_json(tiny)["figures"]
    assert entries[bad]["stale"] is True
    assert entries[FIT]["stale"] is False
    assert figgen_json(tiny)["models"]["line"]["trained"] is True


# --- 2. what a worker runs is the source that was fingerprinted -----------------------------


def test_a_same_size_edit_in_the_same_second_never_runs_the_old_bytecode(tiny):
    bad = add_figure(tiny, "versioned", 'raise ValueError("version A")')
    source = tiny / "tinyfigs/figures/versioned.py"
    first = run_figgen(tiny, "build", "versioned")
    assert "ValueError: version A" in first.stdout
    stat = source.stat()
    edit(source, "version A", "version B")  # same size; mtime put back to the same second
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = run_figgen(tiny, "build", "versioned", "--force")
    assert f"figure {bad} failed: ValueError: version B" in second.stdout, second.stdout


def test_an_edit_during_the_build_then_reverted_is_not_left_marked_fresh(tiny):
    config, fit_source = tiny / "figgen.yaml", tiny / "tinyfigs/figures/fit.py"
    edit(config, "epochs: 30", "epochs: 31")  # fit.png waits for the model...
    edit(config, "params: {count: 3}", "params: {count: 3, sleep: 4}")  # ...and for squares (jobs 1)
    original = fit_source.read_text(encoding="utf-8")
    records = tiny / ".figgen/models/line"
    trained_before = len(list(records.glob("*.json")))
    process = start(tiny, "build", "--jobs", "1")
    wait_for(lambda: len(list(records.glob("*.json"))) > trained_before, what="the model to be trained")
    edit(fit_source, "perte finale", "PERTE ÉDITÉE")  # squares is drawing: fit.py is not imported yet
    out, _ = process.communicate(timeout=120)
    fit_source.write_text(original, encoding="utf-8")  # the author reverts
    assert process.returncode == 1, out
    assert "tinyfigs/figures/fit.py changed during the build" in out
    again = run_figgen(tiny, "build")
    assert again.returncode == 0 and FIT in built(again), again.stdout
    assert run_figgen(tiny, "check").returncode == 0


# --- 4. pristine matplotlib defaults for every figure ---------------------------------------


def test_rcparams_set_by_one_figure_or_matplotlibrc_never_reach_another(tiny, tmp_path):
    before = image(tiny, "squares.png").read_bytes()
    add_figure(tiny, "leaky", """
        import matplotlib
        matplotlib.rcParams.update({"patch.linewidth": 12, "patch.force_edgecolor": True})
        return new_figure(2, 1)
    """)
    result = run_figgen(tiny, "build", "leaky", "squares", "--force", "--jobs", "1")  # one worker, in order
    assert result.returncode == 0, result.stdout + result.stderr
    assert image(tiny, "squares.png").read_bytes() == before
    rc_file = tmp_path / "matplotlibrc"
    rc_file.write_text("patch.linewidth: 12\npatch.force_edgecolor: True\nfigure.facecolor: red\n")
    os.environ["MATPLOTLIBRC"] = str(rc_file)
    try:
        run_figgen(tiny, "build", "squares", "--force", check=True)
    finally:
        del os.environ["MATPLOTLIBRC"]
    assert image(tiny, "squares.png").read_bytes() == before


# --- 5. size + mtime alone is never trusted -------------------------------------------------


def put_back_mtime(path: Path, old: str, new: str) -> None:
    stat = path.stat()
    edit(path, old, new)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size


@pytest.mark.parametrize("where, old, new", [
    ("tinyfigs/figures/squares.py", '"C%d" % i', '"C%d" % 1'),
    ("figgen.yaml", "count: 3", "count: 2"),
])
def test_a_same_size_edit_with_its_mtime_put_back_is_seen(tiny, where, old, new):
    assert run_figgen(tiny, "check").returncode == 0  # caches warm
    put_back_mtime(tiny / where, old, new)
    result = run_figgen(tiny, "check")
    assert result.returncode == 1 and f"{SQUARES} is stale" in result.stdout, result.stdout


def test_a_damaged_image_with_its_mtime_put_back_is_seen(tiny):
    path = image(tiny, "squares.png")
    assert run_figgen(tiny, "check").returncode == 0
    stat = path.stat()
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    result = run_figgen(tiny, "check")
    assert result.returncode == 1 and f"{SQUARES} is stale" in result.stdout
    assert built(run_figgen(tiny, "build", check=True)) == {SQUARES}


# --- 6. a figgen.yaml without figures is an error -------------------------------------------


@pytest.mark.parametrize("text, line", [("", 1), ("package: tinyfigs\nfigures: []\n", 2),
                                         ("# nothing yet\n", 1)])
def test_a_figgen_yaml_without_figures_is_an_error(tiny, text, line):
    before = (tiny / "site/data/figgen.json").read_bytes()
    (tiny / "figgen.yaml").write_text(text)
    for command in ("build", "check", "list"):
        result = run_figgen(tiny, command)
        assert result.returncode == 2, result.stdout + result.stderr
        assert error_lines(result) == [f"figgen: error: figgen.yaml:{line}: declares no figures: "
                                       "add one under `figures:` (or run `figgen new`)"]
    assert (tiny / "site/data/figgen.json").read_bytes() == before


# --- 7. per-task time limits ------------------------------------------------------------------


def test_a_draw_that_never_returns_is_stopped_at_its_time_limit(tiny):
    hang = add_figure(tiny, "hang", "import time\nwhile True:\n    time.sleep(1)", "timeout: 2")
    edit(tiny / "figgen.yaml", "params: {count: 3}", "params: {count: 2}")
    started = time.monotonic()
    result = run_figgen(tiny, "build", timeout=120)
    assert time.monotonic() - started < 60
    assert result.returncode == 1
    assert built(result) == {SQUARES}
    assert f"figure {hang} failed: stopped after its time limit of 2 s" in result.stdout
    assert figgen_json(tiny)["figures"][hang]["stale"] is True


def test_timeout_must_be_a_positive_number(tiny):
    edit(tiny / "figgen.yaml", "    draw: fit\n", "    draw: fit\n    timeout: 0\n")
    result = run_figgen(tiny, "build")
    assert result.returncode == 2
    assert error_lines(result) == ["figgen: error: figgen.yaml:19: figure /images/tiny/fit.png.timeout "
                                   "must be a positive number of seconds, not 0"]
