"""Child processes die with their parent: no worker left running with PPID 1.

Two guards, because either alone has a gap: Linux's parent-death signal (prctl) kills the
child the moment its parent exits, even by SIGKILL; a watchdog thread that polls the parent's
pid covers the other systems and a parent that died before the signal was armed.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Ask the kernel to send `sig` to this process when its parent exits (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except (OSError, AttributeError):
        pass  # no prctl here: the watchdog still guards


def watch_parent(parent_pid: int, every: float = 0.5) -> None:
    """Exit at once if the parent is (or becomes) another process than `parent_pid`."""
    if os.getppid() != parent_pid:
        os._exit(1)

    def watchdog() -> None:
        while True:
            time.sleep(every)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watchdog, name="figgen-parent-watchdog", daemon=True).start()
