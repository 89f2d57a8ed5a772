"""Write a file so that readers only ever see the old version or the complete new one.

The bytes go to a temporary file in the same folder, are flushed to disk, then renamed over
the target: a rename within one file system is atomic, so a build killed at any moment leaves
either the previous good file or the new one, never a truncated mix.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
from pathlib import Path

TEMP_PREFIX = ".figgen-tmp-"
_serial = itertools.count()


def _new_temporary(folder: Path, suffix: str) -> str:
    # Unique per process and call, created exclusively (what tempfile does, without its import cost).
    while True:
        candidate = folder / f"{TEMP_PREFIX}{os.getpid()}-{next(_serial)}{suffix}"
        try:
            os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            return str(candidate)
        except FileExistsError:
            continue


@contextlib.contextmanager
def atomic_path(target: Path):
    """Yield a temporary path next to `target`; on success it replaces `target` atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = _new_temporary(target.parent, target.suffix)
    try:
        yield Path(temporary)
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as error:
        if error.filename or error.filename2:
            raise
        # A failed write (a full disk) names no file: name the one the user knows.
        raise OSError(error.errno, error.strerror or str(error), str(target)) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def write_atomically(target: Path, data: bytes) -> None:
    from figgen.read_only import cache_write

    with cache_write(), atomic_path(target) as temporary:  # check, why, list: a read-only checkout
        temporary.write_bytes(data)


def write_json_atomically(target: Path, document) -> None:
    write_atomically(target, (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode())


def read_json(path: Path, default=None):
    """The JSON document at `path`, or `default` when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def remove_leftover_temporaries(folder: Path) -> int:
    """Delete temporaries left by a build that was killed before it could rename them."""
    removed = 0
    if folder.is_dir():
        for leftover in folder.rglob(f"{TEMP_PREFIX}*"):
            with contextlib.suppress(OSError):
                leftover.unlink()
                removed += 1
    return removed
