"""One build at a time per project: an author's `make serve` and a manual `make figures` must
not write the same files together.

The lock is an OS lock (flock) on the project folder itself, not on a file in `.figgen/`:
deleting the cache (by hand, or `figgen clean`) cannot remove it while a build holds it, and a
build that is killed releases it with its process.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from figgen.errors import LockTimeout

DEFAULT_LOCK_TIMEOUT = 300.0  # seconds a build waits for another one before giving up


@contextlib.contextmanager
def project_lock(root: Path, timeout: float, say):
    handle = _open_lock(root)
    try:
        if not handle.try_acquire():
            say("another figgen build is running in this project: waiting for it to finish...")
            deadline = time.monotonic() + timeout
            while not handle.try_acquire():
                if 0 <= timeout and time.monotonic() >= deadline:
                    raise LockTimeout(f"another figgen build still holds the lock on {root} after {timeout:g} s")
                time.sleep(0.1)
        yield
    finally:
        handle.close()  # closing the descriptor releases the lock


def _open_lock(root: Path):
    if os.name == "posix":  # flock the folder itself
        return _FolderLock(os.open(root, os.O_RDONLY))
    from filelock import FileLock  # Windows cannot lock a folder: a file beside figgen.yaml, never deleted

    return _FileLock(FileLock(root / ".figgen.lock"))


class _FolderLock:
    def __init__(self, descriptor: int):
        self.descriptor = descriptor

    def try_acquire(self) -> bool:
        import fcntl

        try:
            fcntl.flock(self.descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def close(self) -> None:
        os.close(self.descriptor)


class _FileLock:
    def __init__(self, lock):
        self.lock = lock

    def try_acquire(self) -> bool:
        from filelock import Timeout

        try:
            self.lock.acquire(timeout=0)
            return True
        except Timeout:
            return False

    def close(self) -> None:
        self.lock.release()
