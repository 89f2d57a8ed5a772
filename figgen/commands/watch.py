"""`figgen watch`: rebuild the stale figures whenever the code, figgen.yaml or the pages change.

Used by `make serve` beside `hugo server`: Hugo sees the new PNG and reloads the browser.
Each rebuild is forked from a warm parent (figgen/warm_watch.py) that imports figgen's and the
project's modules afresh; where fork is missing, it runs a fresh `figgen build` process.
The project folder is watched, not each file: editors and `sed -i` save by replacing a file
(a new inode), which a watch on the file itself stops seeing. Changes are filtered by path.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from figgen import warm_watch
from figgen.config import CONFIG_NAME, find_root, load_project
from figgen.lifeline import die_with_parent


def watch(start: Path, debounce_ms: int = 800, out=sys.stdout) -> int:
    try:
        return _watch(start, debounce_ms, out)
    except KeyboardInterrupt:  # Ctrl-C is how a watch ends: a rebuild in progress stopped itself
        print("figgen: watch stopped", file=out, flush=True)
        return 0


def _watch(start: Path, debounce_ms: int, out) -> int:
    from watchfiles import watch as watch_changes  # a Rust-backed watcher: debounced, cheap

    from figgen.hermetic import prepare_build

    prepare_build()  # each rebuild's forked workers inherit PYTHONHASHSEED=0 and figgen's MPLCONFIGDIR
    root = find_root(start.resolve())
    project = load_project(root, allow_no_figures=True)
    watched = [project.package_dir, root / CONFIG_NAME, project.content]
    print(f"figgen: watching {', '.join(str(p.relative_to(root)) for p in watched if p.exists())}", file=out)
    if warm_watch.can_fork():
        warm_watch.warm_up()
    started = False
    # step: a save is handed over once 20 ms pass without another event (watchfiles: 50 ms)
    for changes in watch_changes(root, debounce=debounce_ms, watch_filter=change_filter(watched),
                                 raise_interrupt=False, step=20, rust_timeout=500, yield_on_timeout=True):
        if not changes:  # the watcher is live: build once, then only on changes
            if not started:
                started = True
                rebuild(root, out)
            continue
        names = sorted({Path(path).relative_to(root).as_posix() for _, path in changes})
        print(f"figgen: changed {', '.join(names[:5])}{' ...' if len(names) > 5 else ''}", file=out, flush=True)
        rebuild(root, out)
    return 0


def change_filter(watched: list[Path]):
    """Keep changes to figgen.yaml itself and to files inside the watched folders."""
    files = {str(path) for path in watched if path.suffix}
    folders = tuple(str(path) + os.sep for path in watched if not path.suffix)

    def relevant(_change, path: str) -> bool:
        if path not in files and not path.startswith(folders):
            return False
        name = Path(path).name
        return not (name.startswith(".") or name.endswith((".pyc", "~")) or "__pycache__" in path)

    return relevant


def rebuild(root: Path, out) -> None:
    """Build what is stale, then say which pages show images that do not exist."""
    if warm_watch.can_fork():
        warm_watch.rebuild_forked(root, load_project(root, allow_no_figures=True).package, out)
        return
    command = [sys.executable, "-m", "figgen", "-C", str(root)]
    _run_child([*command, "build"])
    check = subprocess.run([*command, "check"], capture_output=True, text=True, check=False,
                           preexec_fn=_child_setup)
    if check.returncode != 0:
        print(check.stdout.rstrip(), file=out, flush=True)
    else:
        print("figgen: site in sync, waiting for changes (Ctrl-C to stop)", file=out, flush=True)


def _child_setup() -> None:
    die_with_parent(signal.SIGTERM)  # the build ends (and ends its workers) if watch is killed


def _run_child(command: list[str]) -> None:
    """Run a build; if watch is stopped meanwhile (Ctrl-C, SIGTERM), stop the build too."""
    child = subprocess.Popen(command, preexec_fn=_child_setup)
    try:
        child.wait()
    finally:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
