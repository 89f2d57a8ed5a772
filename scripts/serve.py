"""`make serve`: `figgen watch` beside `hugo server`; Ctrl-C stops both and exits 0.

    serve.py FIGGEN HUGO SITE_DIR [HUGO_SERVER_ARGS...]

Make dies of the SIGINT a terminal sends its whole foreground process group, and the shell
recipe it replaces (`trap 'kill 0' ...`) signalled itself in a loop until dash crashed. Here
the two servers run in a process group of their own that this script makes the terminal's
foreground group: Ctrl-C reaches them and this script, not make, so make sees a clean exit 0.
The terminal is handed back before exiting, and nothing is left running.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time


def take_the_terminal() -> tuple[int, int] | None:
    """Become a process group of our own, in the terminal's foreground; (tty, previous group).

    Without a terminal in the foreground (CI, a pipe, a background job) nothing changes: we
    stay in make's group and get whatever signal it gets.
    """
    try:
        tty = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        return None
    previous = os.tcgetpgrp(tty)
    if previous != os.getpgrp():
        os.close(tty)
        return None
    os.setpgid(0, 0)
    signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # a background group may not set the foreground
    os.tcsetpgrp(tty, os.getpgrp())
    return tty, previous


def give_back(terminal: tuple[int, int] | None) -> None:
    if terminal:
        tty, previous = terminal
        with contextlib.suppress(OSError):
            os.tcsetpgrp(tty, previous)
        os.close(tty)


def stop(processes: list[subprocess.Popen]) -> None:
    """Ask each server to stop (SIGINT, as Ctrl-C), then insist."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    deadline = time.monotonic() + 10
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        if process.poll() is None:
            process.kill()
            process.wait()


def main() -> int:
    figgen, hugo, site, *hugo_args = sys.argv[1:]
    terminal = take_the_terminal()
    interrupted = False

    def on_signal(_number, _frame) -> None:
        nonlocal interrupted
        interrupted = True

    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, on_signal)
    processes = [
        subprocess.Popen([figgen, "watch"]),
        subprocess.Popen([hugo, "server", "--disableFastRender", *hugo_args], cwd=site),
    ]
    try:
        while not interrupted and all(p.poll() is None for p in processes):
            time.sleep(0.1)
        stop(processes)
        if terminal:  # the group is ours alone: end what a build may have left (its workers)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(os.getpgrp(), signal.SIGTERM)
    finally:
        give_back(terminal)
    failed = [p for p in processes if p.returncode not in (0, -signal.SIGINT, 130) and not interrupted]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
