"""`figgen watch` forks each rebuild from a warm parent: every rebuild must still run the code on
disk (never a module the parent or an earlier rebuild imported), and draw the very bytes a
one-shot `figgen build` draws."""

from __future__ import annotations

import pytest

import os
import queue
import signal
import subprocess
import sys
import threading
import time

from conftest import REPO, run_figgen

pytestmark = pytest.mark.slow  # real servers, clusters or watchers: minutes under load


def start_watch(project):
    watcher = subprocess.Popen([sys.executable, "-m", "figgen", "-C", str(project), "watch"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "PYTHONPATH": str(REPO)}, start_new_session=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in watcher.stdout], daemon=True).start()
    return watcher, lines


def wait_for(lines: queue.Queue, text: str, seconds: float = 120) -> list[str]:
    seen, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            seen.append(lines.get(timeout=0.1))
        except queue.Empty:
            continue
        if text in seen[-1]:
            return seen
    raise AssertionError(f"no '{text}' within {seconds} s:\n{''.join(seen)}")


def test_each_warm_rebuild_runs_the_edited_code_and_draws_what_a_one_shot_build_draws(tiny):
    image = tiny / "site/static/images/tiny/squares.png"
    helper = tiny / "tinyfigs/shapes.py"
    original = image.read_bytes()
    watcher, lines = start_watch(tiny)
    drawn = []
    try:
        wait_for(lines, "waiting for changes")
        for size in ("0.5, 0.5", "0.8, 0.8"):  # a change, then back: the second must not reuse the first
            before = image.stat().st_mtime_ns
            helper.write_text(helper.read_text().replace("0.8, 0.8" if size == "0.5, 0.5" else "0.5, 0.5", size))
            output = wait_for(lines, "waiting for changes")
            assert image.stat().st_mtime_ns != before, "".join(output)
            drawn.append(image.read_bytes())
    finally:
        os.killpg(watcher.pid, signal.SIGINT)  # Ctrl-C
        assert watcher.wait(timeout=30) == 0
    assert drawn[0] != original, "the first rebuild drew the edited helper"
    assert drawn[1] == original, "the second rebuild drew the helper as it is on disk again"
    helper.write_text(helper.read_text().replace("0.8, 0.8", "0.5, 0.5"))
    run_figgen(tiny, "build", check=True)  # one-shot, in a fresh process
    assert image.read_bytes() == drawn[0], "a warm rebuild and a one-shot build draw the same bytes"
