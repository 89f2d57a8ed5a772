"""A comment costs nothing, measured: a build whose only changes since its stamp are comments.

A module's key is its code digest (figgen/code_digest.py: its tokens without comments), so a
comment-only edit makes nothing stale; but it does change the stamp's snapshot, and running the
whole build to find that out costs a dozen no-ops (importing the config, every fingerprint,
composing figgen.json). The build stamp keeps the code digest of each project module it read
(stamp._code_digests); when every file that differs from the stamp is one of those modules and
its tokens still give the same digest, the build's answer is the stamp's. Only one thing shows
the edit: the provenance block of figgen.json, which holds each module's source as it is now
(hugo_data.add_provenance); it is rewritten here, under the project lock, as a build would.

The stamp is then renewed with the new signatures, except for a file changed too recently to
trust (walk.settled): that one stays "changed", so the next build reads its tokens again.
Anything else (a lock held by a running build, a file that cannot be read, a new or deleted
file) and the build runs in full.
"""

from __future__ import annotations

import json
import marshal
import os
import time

from figgen.freshness.walk import settled

UNSETTLED = (-1, -1, -1, -1)  # never a file's signature: its file is read again next time


def only_comments_changed(stamp: dict, files: dict, stamp_file: str) -> bool:
    """True (figgen.json's provenance brought up to date, the stamp renewed) when every file that
    differs from `stamp` is a module whose code digest is unchanged."""
    codes = stamp.get("codes") or {}
    before = stamp["files"]
    changed = [path for path in files.keys() | before.keys() if files.get(path) != before.get(path)]
    if not changed or not all(path in codes and path in files for path in changed):
        return False
    lock = _try_lock(stamp["root"])
    if lock is None:
        return False  # a build is running: it decides
    try:
        return _answer(stamp, files, changed, stamp_file)
    finally:
        os.close(lock)


def _answer(stamp: dict, files: dict, changed: list[str], stamp_file: str) -> bool:
    from figgen.code_digest import code_digest

    root, codes = stamp["root"], stamp["codes"]
    seen_at = time.time_ns()
    sources = {}
    for path in changed:
        with open(path, "rb") as handle:
            data = handle.read()
        if code_digest(data) != codes[path]:
            return False  # code changed: the build decides what is stale
        sources[os.path.relpath(path, root)] = data
    data_file = stamp.get("data_file")
    renewed = dict(files)
    if data_file and _show_sources(data_file, sources):
        renewed[data_file] = _signature(data_file)  # written by figgen, under the lock, a moment ago
    for path in changed:
        if not settled(files[path][2], seen_at):
            renewed[path] = UNSETTLED
    from figgen.atomic import write_atomically

    write_atomically(_as_path(stamp_file), marshal.dumps({**stamp, "files": renewed}))
    return True


def _show_sources(data_file: str, sources: dict[str, bytes]) -> bool:
    """Put each module's new text in the provenance blocks of figgen.json; True if it was rewritten."""
    from figgen.atomic import write_json_atomically
    from figgen.text import source_encoding

    with open(data_file, "rb") as handle:
        written = handle.read()
    document = json.loads(written)
    texts = {shown: data.decode(source_encoding(data)) for shown, data in sources.items()}  # as Python decodes it
    for entry in document.get("figures", {}).values():
        provenance = entry.get("provenance") or {}
        for block in [provenance.get("draw") or {}, *provenance.get("models", [])]:
            if block.get("path") in texts:
                block["source"] = texts[block["path"]]
    if (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode() == written:
        return False
    write_json_atomically(_as_path(data_file), document)
    return True


def _try_lock(root: str) -> int | None:
    """The project lock (figgen/lock.py: flock on the project folder), if no build holds it."""
    try:
        import fcntl
    except ImportError:  # Windows: its lock is a file (figgen/lock.py), left to the build
        return None
    descriptor = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return descriptor
    except OSError:
        os.close(descriptor)
        return None


def _signature(path: str) -> tuple:
    stat = os.stat(path)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def _as_path(path: str):
    from pathlib import Path

    return Path(path)
