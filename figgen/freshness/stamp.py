"""Answer a repeated `figgen build` or `figgen check` from a stamp, at the cost of stat-ing files.

A no-op build, or a check that passes, records in `.figgen/noop-build.stamp` (or
`noop-check.stamp`) everything it could have read: the stat signature (size, mtime, ctime,
inode) of every file under the project folder and under figgen's own package, the
environment, the interpreter, `sys.path` and the signature of each of its folders (installing
or upgrading a library adds or renames a `.dist-info` there). The next plain `figgen build` or
`figgen check` takes the same snapshot with `os.stat` alone, before importing the rest of
figgen: identical, it gives the same answer again; any difference, and the command runs in full.

This is make's idea with two fixes: ctime and inode as well as mtime (a restored mtime or a
replaced file shows), and every file rather than a list of declared inputs, so that what an
input is stays the fingerprint's business and no new kind of input can be forgotten here.
Left out: `.git`, `__pycache__`, `node_modules`, virtual environments (their libraries count
through sys.path) and Hugo's own output folders, none of which figgen reads. A symbolic link
counts by its text and its target's signature; a linked folder outside the walk is walked too.

A stamp is written only when it can be trusted: nothing changed while the command ran (the
snapshot taken after it equals the one taken before it read anything), and every file had
settled before the first snapshot (walk.settled, git's racy rule: a same-size rewrite within
one clock tick keeps size, mtime and ctime). A project whose site or content folder lies
outside the project folder is never stamped. Only the standard library's built-in modules are
imported here: the stamp is marshal data, read by the interpreter that wrote it.

A build stamp also keeps the code digest (figgen/code_digest.py) of each project module the
build read: when the only changes since are comments, comments.py answers instead.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import time

from figgen.freshness.walk import FIGGEN, all_settled, find_root, snapshot

_FORMAT = 2
# Variables that differ between two `make figures` runs of one shell and that nothing reads.
_VOLATILE_VARIABLES = frozenset({"_", "OLDPWD", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKE_TERMOUT", "MAKE_TERMERR",
                       "PYTHONHASHSEED", "MPLCONFIGDIR"})  # set by figgen itself for its tasks (hermetic.py)


def stamp_path(root: str, command: str) -> str:
    return os.path.join(root, ".figgen", f"noop-{command}.stamp")


def answer(start: str, command: str, out=None, err=None) -> bool:
    """Print the recorded answer of `figgen <command>` if nothing changed since; False to run it."""
    started = time.perf_counter()
    try:
        root = find_root(os.path.realpath(start))
        if root is None:
            return False
        with open(stamp_path(root, command), "rb") as handle:
            stamp = marshal.load(handle)
        if not isinstance(stamp, dict) or stamp.get("format") != _FORMAT or stamp.get("root") != root:
            return False
        if _surroundings() != stamp["surroundings"]:
            return False
        files = snapshot(stamp["root"], stamp["skipped"])
        if files != stamp["files"]:
            if command != "build":
                return False
            from figgen.freshness.comments import only_comments_changed

            if not only_comments_changed(stamp, files, stamp_path(root, command)):
                return False
    except (OSError, ValueError, EOFError, TypeError, LookupError):  # a KeyError too
        return False
    for line in stamp["errors"]:
        print(line, file=err or sys.stderr)
    for line in stamp["lines"]:
        print(line.replace("{seconds}", f"{time.perf_counter() - started:.2f}"), file=out or sys.stdout)
    return True


class Snapshot:
    """The files a command could read, taken before it reads any of them."""

    def __init__(self, start):
        self.root = find_root(os.path.realpath(str(start)))
        self.taken_at = time.time_ns()
        self.surroundings = _surroundings()
        self.skipped = _previously_skipped(self.root) if self.root else []
        try:
            self.files = snapshot(self.root, self.skipped) if self.root else None
        except OSError:
            self.files = None

    def record(self, project, command: str, lines: list[str], errors: list[str] = ()) -> None:
        """The command found everything up to date: stamp it, if the stamp can be trusted.

        `lines` are printed again on stdout (`{seconds}` replaced by the time taken), `errors`
        on stderr (warnings)."""
        skipped = _skipped(project)
        if self.files is None or skipped is None or str(project.root) != self.root:
            return
        files = {path: signature for path, signature in self.files.items()
                 if not any(path == s or path.startswith(s + os.sep) for s in skipped)}
        if not all_settled(files.values(), self.taken_at):
            return  # a file changed too recently: a same-size rewrite in this clock tick would not show
        try:
            if _surroundings() != self.surroundings or snapshot(self.root, skipped) != files:
                if skipped != self.skipped:
                    forget(self.root, command)  # the site moved: walk everything next time
                return  # something changed while the command ran
            from figgen.atomic import write_atomically

            codes, texts = _code_digests(project, files) if command == "build" else ({}, {})
            write_atomically(_as_path(stamp_path(self.root, command)), marshal.dumps({
                "format": _FORMAT, "root": self.root, "skipped": skipped, "surroundings": self.surroundings,
                "files": files, "codes": codes, "texts": texts,
                "data_file": str(project.data_file), "lines": list(lines), "errors": list(errors)}))
        except OSError:
            return  # a read-only checkout still works, only slower


def forget(root, command: str) -> None:
    try:
        os.unlink(stamp_path(str(root), command))
    except FileNotFoundError:
        pass


def _surroundings() -> tuple:
    """What, besides the files, the command's answer depends on."""
    # A digest of the variables, never their values: the stamp is a file in the project.
    environment = hashlib.sha256("\0".join(
        f"{k}={v}" for k, v in sorted(os.environ.items()) if k not in _VOLATILE_VARIABLES
    ).encode("utf-8", "surrogateescape")).hexdigest()
    folders = []
    for folder in sys.path:
        try:
            stat = os.stat(folder or ".")
            folders.append((folder, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino))
        except OSError:
            folders.append((folder, None))
    return (sys.version, sys.executable, os.getcwd(), FIGGEN, environment, tuple(folders))


def _skipped(project) -> list[str] | None:
    """Paths the snapshot leaves out; None when the project cannot be stamped."""
    root = str(project.root)
    needed = (project.site, project.content, project.images, project.data_file.parent, project.cache)
    if not all(str(path) == root or str(path).startswith(root + os.sep) for path in needed):
        return None
    site, cache = str(project.site), str(project.cache)
    # figgen's caches of what it read (config, source digests, figgen.json's digest) are not
    # inputs: a cache that is right changes no answer, and one that is wrong is wrong either way
    caches = [os.path.join(cache, name) for name in ("config.json", "sources.json", "data.json")]
    return sorted({stamp_path(root, "build"), stamp_path(root, "check"), os.path.join(root, ".figgen.lock"),
                   os.path.join(site, "public"), os.path.join(site, "resources"),
                   os.path.join(site, ".hugo_build.lock"), *caches})


def _code_digests(project, files: dict) -> tuple[dict[str, str], dict[str, bytes]]:
    """path -> code digest, and path -> bytes, of each project module whose digest the sources
    cache took from exactly the bytes the stamp vouches for (same signature, taken once settled)."""
    from figgen.store import load_sources_cache, trusted

    codes, texts = {}, {}
    for path, entry in load_sources_cache(project.cache / "sources.json").items():
        signature = entry.get("signature") if isinstance(entry, dict) else None
        if (isinstance(signature, list) and len(signature) == 1 and isinstance(entry.get("code"), str)
                and list(files.get(path, ())) == signature[0] and trusted(signature[0], entry.get("hashed_at", 0))):
            codes[path] = entry["code"]
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
                if tuple(files[path]) == _signature(path):  # the bytes the signature vouches for
                    texts[path] = data
            except OSError:
                continue
    return codes, texts


def _signature(path: str) -> tuple:
    stat = os.stat(path)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def _previously_skipped(root: str) -> list[str]:
    """What the last stamp left out (Hugo's output can be large); nothing if there is none."""
    for command in ("build", "check"):
        try:
            with open(stamp_path(root, command), "rb") as handle:
                skipped = marshal.load(handle).get("skipped")
            if isinstance(skipped, list) and all(isinstance(path, str) for path in skipped):
                return skipped
        except (OSError, ValueError, EOFError, TypeError, AttributeError):
            continue
    return []


def _as_path(path: str):
    from pathlib import Path

    return Path(path)
