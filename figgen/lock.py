"""One build at a time per project: an author's `make serve` and a manual `make figures` must
not write the same files together. The lock is an OS file lock (filelock), so a build that is
killed releases it with its process."""

from __future__ import annotations

import contextlib
from pathlib import Path

from figgen.errors import LockTimeout

DEFAULT_LOCK_TIMEOUT = 300.0  # seconds a build waits for another one before giving up


@contextlib.contextmanager
def project_lock(cache: Path, timeout: float, say):
    from filelock import FileLock, Timeout  # not needed, so not imported, on the no-op path

    cache.mkdir(parents=True, exist_ok=True)
    lock = FileLock(cache / "build.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        say("another figgen build is running in this project: waiting for it to finish...")
        try:
            lock.acquire(timeout=timeout if timeout >= 0 else -1)
        except Timeout:
            raise LockTimeout(f"another figgen build still holds {cache / 'build.lock'} after {timeout:g} s") from None
    try:
        yield
    finally:
        lock.release()
