"""Stat signatures, the one "changed too recently to trust" rule, and the walk of a project.

Only the standard library's built-in modules are imported here: the stamp (stamp.py) is
answered with them alone.
"""

from __future__ import annotations

import os

FIGGEN = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # figgen's own package
SKIPPED_FOLDERS = {".git", "__pycache__", "node_modules"}
RACY_NS = 2_000_000_000  # file times tick coarsely: a change this close to a hash may not show


def signature(path) -> list[int]:
    """What must stay the same for what was read of a file to hold without reading it again.

    ctime is part of it because tools put mtime back (tar, rsync -t, a CI cache restore) while
    only the kernel sets ctime; the inode changes when a file is replaced.
    """
    stat = os.stat(path)
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def settled(changed_at_ns: int, seen_at_ns: int) -> bool:
    """The one "changed too recently to trust" rule (git's "racy" rule): what was seen at
    `seen_at_ns` of a file last changed (ctime) at `changed_at_ns` holds only if the file had
    settled by then; a same-size rewrite within the same clock tick leaves size, mtime and ctime
    unchanged. Every answer given from a stat signature asks this: the sources' and config's
    caches (store.trusted), the stamp, the comment path and figgen.json's digest."""
    return seen_at_ns - changed_at_ns > RACY_NS


def trusted(signature: list, hashed_at_ns: int) -> bool:
    """A digest taken at `hashed_at_ns` holds for a file with this stat signature."""
    return settled(signature[2], hashed_at_ns)


def all_settled(signatures, seen_at_ns: int) -> bool:
    """`settled` for every signature of a collection (None: a missing file, nothing to trust)."""
    newest = max((s[2] for s in signatures if s), default=0)
    return settled(newest, seen_at_ns)


def snapshot(root: str, skipped: list[str]) -> dict[str, tuple]:
    """path -> (size, mtime, ctime, inode[, link]) of every file under `root` and figgen's package.

    Left out: `.git`, `__pycache__`, `node_modules`, virtual environments (their libraries count
    through sys.path, stamp.surroundings) and `skipped`. A symbolic link counts by its text and
    its target's signature; a linked folder outside the walk is walked too."""
    files: dict[str, tuple] = {}
    roots = [root] if FIGGEN.startswith(root + os.sep) else [root, FIGGEN]
    for folder in roots:
        _walk(folder, skipped, files, roots, set())
    return files


def files_under(folder: str, wanted) -> list[str]:
    """Every file under `folder` whose name `wanted` accepts, in a stable order (no __pycache__)."""
    found: list[str] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return found
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):  # as os.walk: a linked folder is not entered
            if entry.name != "__pycache__":
                found += files_under(entry.path, wanted)
        elif wanted(entry.name):
            found.append(entry.path)
    return found


def find_root(start: str) -> str | None:
    """The folder holding figgen.yaml, at `start` or above."""
    folder = start
    while True:
        if os.path.isfile(os.path.join(folder, "figgen.yaml")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _walk(folder: str, skipped, files: dict, roots: list[str], visited: set) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            path = entry.path
            if path in skipped:
                continue
            if entry.is_symlink():
                _link(entry, skipped, files, roots, visited)
            elif entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIPPED_FOLDERS and not os.path.exists(os.path.join(path, "pyvenv.cfg")):
                    _walk(path, skipped, files, roots, visited)
            else:
                stat = entry.stat(follow_symlinks=False)
                files[path] = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def _link(entry, skipped, files: dict, roots: list[str], visited: set) -> None:
    """A link: what it points to, and what is there (a folder outside the walk is walked too)."""
    path, text = entry.path, os.readlink(entry.path)
    target = os.path.realpath(path)
    if os.path.isdir(target):
        files[path] = (0, 0, 0, 0, text)
        inside = any(target == r or target.startswith(r + os.sep) for r in roots)
        if not inside and target not in visited and entry.name not in SKIPPED_FOLDERS:
            visited.add(target)  # a folder linked twice, or a link loop, is walked once
            _walk(path, skipped, files, roots, visited)
        return
    try:
        stat = os.stat(path)
        files[path] = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, text)
    except OSError:
        files[path] = (0, 0, 0, 0, text)  # dangling
