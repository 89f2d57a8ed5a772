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
    source = "from matplotlib.figure import Figure\n\n\ndef draw(ctx):\n" + textwrap.indent(
        textwrap.dedent(body).strip() + "\n", "    ")
    (project / "tinyfigs/figures" / f"{module}.py").write_text(source, encoding="utf-8")
    output = f"/images/tiny/{module}.png"
    with open(project / "figgen.yaml", "a", encoding="utf-8") as config:
        config.write(f"  - output: {output}\n    draw: figures.{module}\n    alt: \"Figure {module}\"\n")
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


def children(pid: int) -> list[int]:
    """The live child processes of `pid` (Linux's /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue  # ended meanwhile
    return [child for child in found if alive(child)]


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
@pytest.mark.slow
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


@pytest.mark.slow
def test_a_same_size_edit_in_the_same_second_never_runs_the_old_bytecode(tiny, monkeypatch):
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)  # as on an author's machine
    bad = add_figure(tiny, "versioned", 'raise ValueError("version A")')
    source = tiny / "tinyfigs/figures/versioned.py"
    first = run_figgen(tiny, "build", "versioned")
    assert "ValueError: version A" in first.stdout
    stat = source.stat()
    edit(source, "version A", "version B")  # same size; mtime put back to the same second
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = run_figgen(tiny, "build", "versioned", "--force")
    assert f"figure {bad} failed: ValueError: version B" in second.stdout, second.stdout


@pytest.mark.slow
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


@pytest.mark.slow
def test_rcparams_set_by_one_figure_or_matplotlibrc_never_reach_another(tiny, tmp_path):
    before = image(tiny, "squares.png").read_bytes()
    add_figure(tiny, "leaky", """
        import matplotlib
        matplotlib.rcParams.update({"patch.linewidth": 12, "patch.force_edgecolor": True})
        return Figure(figsize=(2, 1))
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
    edit(tiny / "figgen.yaml", "    draw: figures.fit\n", "    draw: figures.fit\n    timeout: 0\n")
    result = run_figgen(tiny, "build")
    assert result.returncode == 2
    assert error_lines(result) == ["figgen: error: figgen.yaml:19: figure /images/tiny/fit.png: timeout "
                                   "must be a positive number of seconds, not 0"]


# --- 8. a dead worker costs its own task only; workers die with their parent ----------------

VICTIM = """
import os, time
(ctx.project.root / "victim.pid").write_text(str(os.getpid()))
time.sleep(60)
"""


@pytest.mark.slow
def test_a_worker_killed_like_the_oom_killer_does_costs_only_its_task(tiny):
    victim = add_figure(tiny, "victim", VICTIM)
    edit(tiny / "figgen.yaml", "epochs: 30", "epochs: 31")
    edit(tiny / "figgen.yaml", "params: {count: 3}", "params: {count: 3, sleep: 2}")
    process = start(tiny, "build", "--jobs", "2")
    pid_file = tiny / "victim.pid"
    wait_for(pid_file.exists, what="the victim figure to start")
    os.kill(int(pid_file.read_text()), signal.SIGKILL)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 1, out + err
    assert f"figure {victim} failed: its worker process was killed by SIGKILL" in out
    assert "built 3, up to date 0, skipped 0, failed 1" in out, out


@pytest.mark.slow
@pytest.mark.parametrize("how", ["kill -9 the build", "Ctrl-C to figgen watch"])
def test_workers_never_outlive_their_build(tiny, how):
    add_figure(tiny, "victim", VICTIM)
    pid_file = tiny / "victim.pid"
    if how == "kill -9 the build":
        process = start(tiny, "build")
    else:
        process = start(tiny, "watch", "--debounce", "100")
    wait_for(pid_file.exists, what="the victim figure to start")
    worker = int(pid_file.read_text())
    process.send_signal(signal.SIGKILL if how == "kill -9 the build" else signal.SIGINT)
    process.communicate(timeout=60)
    wait_for(lambda: not alive(worker), seconds=10, what=f"worker {worker} to end")


@pytest.mark.slow
def test_sigterm_to_the_process_group_prints_one_line(fresh_tiny, tmp_path):
    edit(fresh_tiny / "figgen.yaml", "params: {count: 3}", "params: {count: 3, sleep: 30}")
    log = tmp_path / "stderr.txt"
    with open(log, "w") as stderr:  # more workers than ready tasks: some wait idle for work
        process = subprocess.Popen(
            [sys.executable, "-m", "figgen", "-C", str(fresh_tiny), "build", "--jobs", "4"],
            stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        wait_for(lambda: "drawing" in log.read_text(), what="the build to start drawing")
        wait_for(lambda: len(children(process.pid)) >= 2, what="two workers to start (the model, squares.png)")
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    err = log.read_text()
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith(" ")]
    assert process.returncode == 130
    assert lines == ["figgen: interrupted: finished figures are kept, the next build does the rest"], err


# --- 9. watch follows a figgen.yaml that is replaced, not rewritten -------------------------


def replace_file(path: Path, old: str, new: str) -> None:
    """What `sed -i` and many editors do: write a new file, rename it over the old one."""
    temporary = path.with_name(path.name + ".new")
    temporary.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    os.replace(temporary, path)


@pytest.mark.slow
def test_watch_sees_every_save_of_a_replaced_figgen_yaml(tiny):
    import queue
    import threading

    watcher = subprocess.Popen(
        [sys.executable, "-m", "figgen", "-C", str(tiny), "watch", "--debounce", "100"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in watcher.stdout], daemon=True).start()

    def wait_for_line(fragment: str) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if fragment in lines.get(timeout=1):
                    return
            except queue.Empty:
                continue
        raise AssertionError(f"watch did not print {fragment!r}")

    try:
        wait_for_line("waiting for changes")
        for old, new in (("params: {count: 3}", "params: {count: 2}"), ("count: 2", "count: 4")):
            replace_file(tiny / "figgen.yaml", old, new)
            wait_for_line("changed figgen.yaml")
            wait_for_line("waiting for changes")
            record = json.loads((tiny / ".figgen/figures.json").read_text())[SQUARES]
            assert figgen_json(tiny)["figures"][SQUARES]["fingerprint"] == record["fingerprint"]
            assert figgen_json(tiny)["figures"][SQUARES]["stale"] is False
    finally:
        watcher.send_signal(signal.SIGINT)
        watcher.communicate(timeout=30)


# --- 10. YAML aliases cannot blow up ----------------------------------------------------------


def test_nested_yaml_aliases_are_refused_quickly(tiny):
    bomb = "\n".join(["    params:", "      a0: &a0 [x, x, x, x, x, x, x, x, x]"]
                     + [f"      a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)])
    edit(tiny / "figgen.yaml", "    draw: figures.fit\n", "    draw: figures.fit\n" + bomb + "\n")
    started = time.monotonic()
    result = run_figgen(tiny, "build")
    assert time.monotonic() - started < 20
    assert result.returncode == 2
    assert len(error_lines(result)) == 1 and "expands to more than 20000 values (nested YAML aliases?)" in result.stderr
    assert "figgen.yaml:" in result.stderr
    assert sum(f.stat().st_size for f in (tiny / ".figgen").rglob("*") if f.is_file()) < 5_000_000


# --- 11. the lock survives the cache being deleted ---------------------------------------------


@pytest.mark.slow
def test_deleting_the_cache_during_a_build_lets_no_second_build_in(fresh_tiny):
    import shutil

    edit(fresh_tiny / "figgen.yaml", "params: {count: 3}", "params: {count: 3, sleep: 6}")
    first = start(fresh_tiny, "build")
    # The model's record itself, not the temporary file it is written through (.figgen-tmp-*.json):
    # deleting the cache between those two would fail the first build and free the lock early.
    wait_for(lambda: [p for p in (fresh_tiny / ".figgen/models").glob("line/*.json") if not p.name.startswith(".")],
             what="the model")
    shutil.rmtree(fresh_tiny / ".figgen")
    second = run_figgen(fresh_tiny, "build", "--lock-timeout", "0.5")
    first_out, first_err = first.communicate(timeout=120)
    assert second.returncode == 1, (second.stdout + second.stderr + "\n--- the first build:\n" + first_out
                                    + first_err)
    assert "another figgen build still holds the lock" in second.stderr


# --- 12. figures are closed once saved ----------------------------------------------------------


@pytest.mark.slow
def test_pyplot_figures_are_closed_once_saved(tiny):
    for index in range(24):
        add_figure(tiny, f"pyplot_{index}", """
            import matplotlib.pyplot as plt
            figure, axes = plt.subplots(figsize=(1, 1))
            axes.plot([0, 1], [0, 1])
            return figure
        """)
    result = run_figgen(tiny, "build", "--jobs", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(built(result)) == 24
    assert "More than 20 figures have been opened" not in result.stderr


# --- one-line errors where tracebacks were ------------------------------------------------------


@pytest.mark.slow
def test_a_syntax_error_in_one_figure_is_one_located_line_and_the_others_build(tiny):
    edit(tiny / "tinyfigs/figures/squares.py", "    figure = Figure(figsize=(3, 1))", "    figure = Figure(figsize=(3, 1)")
    edit(tiny / "figgen.yaml", "epochs: 30", "epochs: 31")
    lines = (tiny / "tinyfigs/figures/squares.py").read_text().splitlines()
    where = f"tinyfigs/figures/squares.py:{lines.index('    figure = Figure(figsize=(3, 1)') + 1}: SyntaxError"
    result = run_figgen(tiny, "build")
    no_traceback(result)
    assert result.returncode == 1 and built(result) == {"model line", FIT}
    assert f"figure {SQUARES} failed: {where}" in result.stdout
    check = run_figgen(tiny, "check")
    no_traceback(check)
    assert check.returncode == 1
    assert [line for line in check.stdout.splitlines() if "squares" in line] == [
        f"content/docs/page.md:5: {SQUARES} is stale: {where}: '(' was never closed"]
    listing = run_figgen(tiny, "list")
    no_traceback(listing)
    assert listing.returncode == 0 and error_lines(listing) == [
        f"figgen: warning: {where}: '(' was never closed"]


@pytest.mark.parametrize("where, line", [("figgen.yaml", 15), ("content/docs/page.md", 5)])
def test_a_latin1_file_is_one_located_line(tiny, where, line):
    path = tiny / where
    text = path.read_text(encoding="utf-8").replace("](/images/tiny/squares.png)", '](/images/tiny/squares.png "carrés")')
    path.write_bytes(text.encode("latin-1"))
    result = run_figgen(tiny, "check")
    assert result.returncode == 2 and len(error_lines(result)) == 1, result.stderr
    assert f"{where}:{line}: is not UTF-8 text (byte 0xe9): save it as UTF-8" in result.stderr


def test_a_dangling_page_link_is_one_line(tiny):
    (tiny / "content/docs/gone.md").symlink_to(tiny / "content/docs/nowhere.md")
    result = run_figgen(tiny, "check")
    assert result.returncode == 2 and len(error_lines(result)) == 1
    assert "gone.md: cannot read this page: No such file or directory (a dangling symbolic link?)" in result.stderr


def _folder_is_a_file(project: Path) -> Path:
    import shutil

    folder = project / "site/static/images/tiny"
    shutil.rmtree(folder)
    folder.write_text("not a folder")
    return folder / "squares.png"


def _image_is_a_folder(project: Path) -> Path:
    path = image(project, "squares.png")
    path.unlink()
    (path / "inside").mkdir(parents=True)
    return path


def _folder_is_a_symlink_loop(project: Path) -> Path:
    import shutil

    folder = project / "site/static/images/tiny"
    shutil.rmtree(folder)
    folder.symlink_to(folder)
    return folder / "squares.png"


@pytest.mark.parametrize("break_output", [_folder_is_a_file, _image_is_a_folder, _folder_is_a_symlink_loop])
def test_an_unwritable_output_is_one_line_naming_the_path(tiny, break_output):
    target = break_output(tiny)
    result = run_figgen(tiny, "build", "squares", "--force")
    no_traceback(result)
    assert result.returncode == 1
    failure = next(line for line in result.stdout.splitlines() if line.startswith(f"figure {SQUARES} failed"))
    assert "cannot write " in failure and str(target.parent.parent.name) in failure, failure


@pytest.mark.slow
def test_a_full_disk_is_one_line_naming_the_path(fresh_tiny):
    import resource

    def small_disk():  # every write past 2 kB fails as on a full disk (EFBIG, like ENOSPC)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    result = subprocess.run(
        [sys.executable, "-m", "figgen", "-C", str(fresh_tiny), "build"], capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)}, preexec_fn=small_disk, timeout=300,
    )
    no_traceback(result)
    assert result.returncode == 1
    assert "basic_ios" not in result.stdout
    assert [line for line in result.stdout.splitlines() if " failed: " in line
            and "cannot write " not in line] == [], result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("figgen:")]
    assert len(errors) == 1 and errors[0].startswith("figgen: error: cannot write /"), result.stderr


@pytest.mark.slow
def test_a_tampered_checkpoint_refused_by_torch_is_discarded_and_retrained(tiny):
    import datetime

    import torch

    checkpoint = next((tiny / ".figgen/models/line").glob("*.pt"))
    torch.save({"state_dict": {}, "when": datetime.datetime(2026, 1, 1)}, checkpoint)  # not weights-only
    record_path = checkpoint.with_suffix(".json")
    record = json.loads(record_path.read_text())
    from figgen.store import file_sha256

    record.update(sha256=file_sha256(checkpoint), size=checkpoint.stat().st_size)  # a hostile author
    record_path.write_text(json.dumps(record))
    image(tiny, "fit.png").unlink()
    result = run_figgen(tiny, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "figgen: warning: discarding checkpoint of model 'line' cannot be loaded" in result.stderr
    assert built(result) == {"model line", FIT}
    assert run_figgen(tiny, "build").stdout.startswith("all 2 figures up to date")


# --- accented names work from figgen.yaml to the page; spaces are refused, saying what is allowed


def test_an_accented_image_name_builds_and_checks(tiny):
    edit(tiny / "figgen.yaml", "/images/tiny/squares.png", "/images/tiny/réseau.png")
    edit(tiny / "content/docs/page.md", "/images/tiny/squares.png", "/images/tiny/réseau.png")
    result = run_figgen(tiny, "build", check=True)
    assert "/images/tiny/réseau.png" in built(result)
    assert image(tiny, "réseau.png").is_file()
    assert run_figgen(tiny, "check").returncode == 0


def test_a_spaced_image_name_is_refused_saying_what_is_allowed(tiny):
    edit(tiny / "figgen.yaml", "/images/tiny/squares.png", "/images/tiny/mon reseau.png")
    result = run_figgen(tiny, "build")
    assert result.returncode == 2 and len(error_lines(result)) == 1
    assert ("figgen.yaml:13: output '/images/tiny/mon reseau.png' must be a site path like "
            "/images/module3/name.png whose folder and file names use only letters (accents allowed), "
            "digits, '-' and '_' (no spaces, no '..')") in result.stderr


# --- the same bytes however the build is run -----------------------------------------------------


def built_bytes(project: Path) -> dict[str, bytes]:
    """Each PNG's and each checkpoint's bytes."""
    found: dict[str, bytes] = {}
    for path in [*(project / "site/static/images").rglob("*.png"), *(project / ".figgen/models").rglob("*.pt")]:
        found[str(path.relative_to(project))] = path.read_bytes()
    return found


@pytest.mark.slow
def test_jobs_1_and_jobs_2_build_the_same_bytes(tmp_path):
    import shutil

    from conftest import TINY

    results = []
    for jobs in ("1", "2"):
        project = tmp_path / f"jobs{jobs}"
        shutil.copytree(TINY, project, ignore=shutil.ignore_patterns(".figgen", "images", "data", "__pycache__"))
        run_figgen(project, "build", "--jobs", jobs, check=True)
        results.append(built_bytes(project))
    assert any(name.endswith(".pt") for name in results[0]) and len(results[0]) >= 3
    assert results[0] == results[1]


@pytest.mark.slow
def test_spawned_workers_build_the_same_bytes_as_forked_ones(fresh_tiny, built_tiny, monkeypatch):
    monkeypatch.setenv("FIGGEN_START_METHOD", "spawn")
    run_figgen(fresh_tiny, "build", check=True)
    assert built_bytes(fresh_tiny) == built_bytes(built_tiny)


def test_an_accented_image_name_reaches_the_page_through_hugo(tiny, tmp_path):
    import shutil

    import hugo_site

    edit(tiny / "figgen.yaml", "/images/tiny/squares.png", "/images/tiny/réseau.png")
    edit(tiny / "content/docs/page.md", "![](/images/tiny/squares.png)", "![](/images/tiny/réseau.png)")
    run_figgen(tiny, "build", check=True)
    site = hugo_site.copy_project(tmp_path / "hugo", with_figures=False, content=tiny / "content")
    shutil.copytree(tiny / "site/static/images/tiny", site / "static/images/tiny")
    (site / "data").mkdir(exist_ok=True)
    shutil.copy(tiny / "site/data/figgen.json", site / "data/figgen.json")
    public = hugo_site.build_or_fail(site, tmp_path / "public")
    html = (public / "docs/page/index.html").read_text(encoding="utf-8")
    assert "Des carrés de couleur" in html  # the declared alt, found by the accented path
    assert (public / "images/tiny/réseau.png").read_bytes() == image(tiny, "réseau.png").read_bytes()
