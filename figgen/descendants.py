"""A task leaves nothing behind: the processes it started end with it.

A `draw()` that starts a helper (`subprocess.Popen(["sleep", "99"])`) hands it the build's
stdout: `figgen build | tee log` would stay open until the helper exits. A worker is made a
child subreaper (Linux), so that a helper's own orphans stay below it; after each task, and
before the pool ends a worker (time limit, failure), every process below the worker is killed.
Elsewhere (no /proc), only what the task's own `subprocess` module still tracks is ended.
"""

from __future__ import annotations

import os
import signal
import sys

_PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> None:
    """Orphans of this process's descendants are re-parented to it, not to init (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _parents() -> dict[int, int]:
    """{pid: parent pid} of every process we can see, read from /proc."""
    parents = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return parents
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
            # the command name may hold spaces and parentheses: the fields start after the last ')'
            parents[int(entry)] = int(stat[stat.rindex(b")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return parents


def descendants(pid: int, spare: set[int] = frozenset()) -> list[int]:
    """Every process below `pid` (children first), but those in `spare` and what lies below them."""
    parents = _parents()
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in spare:
                found.append(child)
                stack.append(child)
    return found


def end(pids: list[int]) -> None:
    """SIGKILL each of them: a helper that ignores SIGTERM must not keep the build's pipe open."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _reap() -> None:
    """In a worker: collect the exit status of its ended children (no zombie left behind). Never
    in the main process, where multiprocessing waits for its own workers by pid."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def end_task_descendants(spare: set[int] = frozenset()) -> None:
    """After a task, in its worker: end every process the task left running below the worker."""
    spare = set(spare) | _kept_by_multiprocessing()
    end(descendants(os.getpid(), spare))
    _reap()


def _kept_by_multiprocessing() -> set[int]:
    """multiprocessing's resource tracker, if this worker started one: it outlives tasks."""
    tracker = sys.modules.get("multiprocessing.resource_tracker")
    pid = getattr(getattr(tracker, "_resource_tracker", None), "_pid", None)
    return {pid} if isinstance(pid, int) else set()
