"""Which project modules a module depends on, and a digest of their text.

A figure is stale when its drawing module, or any project module it imports (transitively,
lazy imports inside functions included), changes. Imports are read from the syntax tree, never
by importing: the no-op build must not pay for torch or matplotlib. Each file's digest and
import list is cached by its stat signature (size, mtime, ctime, inode), so an unchanged file
is not read again. ctime is in the key because tar, rsync -t or a CI cache restore put mtime
back, but nothing but the kernel sets ctime: a same-size edit with its mtime restored is seen.
"""

from __future__ import annotations

import ast
import hashlib
import os
import time
from pathlib import Path

from figgen.code_digest import code_digest
from figgen.store import stat_signature, trusted


class SourceIndex:
    def __init__(self, packages: dict[str, Path], cache: dict | None = None):
        self.packages = packages  # top-level package name -> its folder
        self.cache = cache if cache is not None else {}  # path -> {signature, digest, imports}
        self.changed = False
        # Memos for this run: each file is located and stat'ed once, however many figures share it.
        self._files: dict[str, Path | None] = {}
        self._entries: dict[str, dict] = {}
        self._imports: dict[str, list[str]] = {}
        self._closures: dict[str, tuple[str, ...]] = {}
        self._files_read: dict[str, str] = {}
        self.syntax_errors: dict[str, str] = {}  # module -> "path:line: SyntaxError: message"

    # --- one module ------------------------------------------------------------------------

    def module_file(self, module: str) -> Path | None:
        if module not in self._files:
            self._files[module] = self._locate(module)
        return self._files[module]

    def _locate(self, module: str) -> Path | None:
        top, *rest = module.split(".")
        folder = self.packages.get(top)
        if folder is None:
            return None
        base = os.path.join(folder, *rest)
        for candidate in (os.path.join(base, "__init__.py"), base + ".py"):
            if os.path.isfile(candidate):
                return Path(candidate)
        return None

    def _entry(self, module: str) -> dict:
        if module not in self._entries:
            self._entries[module] = self._read_entry(module)
        return self._entries[module]

    def _read_entry(self, module: str) -> dict:
        path = self.module_file(module)
        if path is None:
            return {"digest": "missing", "imports": []}
        key = str(path)
        extras = _package_data_files(path)
        signature = [stat_signature(path)] + [[p.name, *stat_signature(p)] for p in extras]
        entry = self.cache.get(key)
        if not (entry and entry.get("signature") == signature and "data" in entry and "code" in entry
                and trusted(signature[0], entry.get("hashed_at", 0))):
            entry = self._hash_entry(module, path, extras, signature)
            self.cache[key] = entry
            self.changed = True
        if entry.get("syntax_error"):
            self.syntax_errors[module] = entry["syntax_error"]
        return entry

    def _hash_entry(self, module: str, path: Path, extras: list[Path], signature: list) -> dict:
        hashed_at = time.time_ns()
        text = path.read_bytes()
        digest = hashlib.sha256(text)
        data = {}
        for extra in extras:  # data files shipped in a package count as part of that package
            content = extra.read_bytes()
            digest.update(extra.name.encode() + b"\0" + content)
            data[extra.name] = hashlib.sha256(content).hexdigest()
        entry = {"signature": signature, "digest": digest.hexdigest(), "sha256": hashlib.sha256(text).hexdigest(),
                 "code": code_digest(text), "data": data, "hashed_at": hashed_at}
        try:
            entry["imports"] = sorted(_imported_names(module, path, text))
        except (SyntaxError, ValueError) as error:  # the build reports it for the figures that use it
            entry["imports"] = []
            shown = os.path.relpath(path, self.packages[module.partition(".")[0]].parent)
            entry["syntax_error"] = f"{shown}:{getattr(error, 'lineno', None) or 1}: SyntaxError: {getattr(error, 'msg', error)}"
        return entry

    def digest(self, module: str) -> str:
        return self._entry(module)["digest"]

    def sha256(self, module: str) -> str:
        """The digest of the module's file alone (`digest` also covers its package's data files)."""
        return self._entry(module).get("sha256", "missing")

    def code(self, module: str) -> str:
        """The digest of what Python executes of the module (figgen/code_digest.py): its key."""
        return self._entry(module).get("code", "missing")

    def data_files(self, module: str) -> dict[str, str]:
        """{file name: sha256} of the data files beside a package's `__init__.py`."""
        return self._entry(module).get("data", {})

    # --- any file a task was seen reading ---------------------------------------------------

    def file_digest(self, path: str) -> str:
        """sha256 of a file, "missing", or for a folder ending in "/" a digest of its listing.

        Files are cached by stat signature like modules, so a no-op build reads none again."""
        if path in self._files_read:
            return self._files_read[path]
        if path.endswith("/"):
            found = listing_digest(path)
        else:
            found = self._cached_file_digest(path)
        self._files_read[path] = found
        return found

    def forget_file_digests(self, prefix: str) -> None:
        """Files under `prefix` were written during this run: their digests are read again."""
        for path in [p for p in self._files_read if p.startswith(prefix)]:
            del self._files_read[path]

    def _cached_file_digest(self, path: str) -> str:
        key = "file:" + path
        try:
            signature = [stat_signature(path)]
            if not os.path.isfile(path):
                return "missing"
        except OSError:
            return "missing"
        entry = self.cache.get(key)
        if entry and entry.get("signature") == signature and trusted(signature[0], entry.get("hashed_at", 0)):
            return entry["sha256"]
        hashed_at = time.time_ns()
        try:
            with open(path, "rb") as handle:
                digest = (code_digest(handle.read()) if path.endswith(".py")
                          else hashlib.file_digest(handle, "sha256").hexdigest())
        except OSError:
            return "missing"
        self.cache[key] = {"signature": signature, "sha256": digest, "hashed_at": hashed_at}
        self.changed = True
        return digest

    def direct_imports(self, module: str) -> list[str]:
        """Project modules named by the import statements of `module`, resolved to files."""
        if module not in self._imports:
            self._imports[module] = self._resolve_imports(module)
        return self._imports[module]

    def _resolve_imports(self, module: str) -> list[str]:
        found = set()
        for name in self._entry(module)["imports"]:
            for candidate in _with_parents(name):
                if self.module_file(candidate) is not None:
                    found.add(candidate)
        found.discard(module)
        return sorted(found)

    # --- transitive -------------------------------------------------------------------------

    def closure(self, module: str) -> tuple[str, ...]:
        """`module`, the packages that contain it, and every project module they import."""
        if module in self._closures:
            return self._closures[module]
        seen: set[str] = set()
        pending = [name for name in _with_parents(module) if self.module_file(name)] or [module]
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            pending.extend(self.direct_imports(name))
        self._closures[module] = tuple(sorted(seen))
        return self._closures[module]

    def inputs(self, modules: list[str]) -> dict[str, str]:
        """{real path: sha256 of its bytes} of every source file the `modules` run, as fingerprinted."""
        found = {}
        for name in {m for module in modules for m in self.closure(module)}:
            path = self.module_file(name)
            if path is not None:
                found[os.path.realpath(path)] = self._entry(name)["sha256"]
        return found

    def closure_syntax_error(self, module: str) -> str | None:
        """The first syntax error among the files `module` runs, if any."""
        return next((self.syntax_errors[m] for m in self.closure(module) if m in self.syntax_errors), None)

    def closure_digest(self, module: str) -> str:
        digest = hashlib.sha256()
        for name in self.closure(module):
            digest.update(f"{name}={self.digest(name)}\n".encode())
        return digest.hexdigest()


def listing_digest(folder: str) -> str:
    """What `os.listdir` gives (pkgutil and glob discovery): a new or removed file changes it;
    an install's metadata folder does not (recording.installers_record)."""
    try:
        names = sorted(name for name in os.listdir(folder) if not name.endswith((".egg-info", ".dist-info")))
    except OSError:
        return "missing"
    # surrogateescape: a name that is not UTF-8 still has its bytes (file_names.py refuses it if read)
    return "listing:" + hashlib.sha256("\n".join(names).encode("utf-8", "surrogateescape")).hexdigest()


def _package_data_files(path: Path) -> list[Path]:
    if path.name != "__init__.py":
        return []
    from figgen.file_names import refuse_undecodable

    with os.scandir(path.parent) as entries:
        return refuse_undecodable(sorted(
            Path(entry.path) for entry in entries
            if entry.is_file() and not entry.name.endswith((".py", ".pyc")) and not entry.name.startswith(".")
        ), "data file")


def _with_parents(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def _imported_names(module: str, path: Path, source: bytes) -> set[str]:
    """Every absolute module name an import statement in `source` may load."""
    is_package = path.name == "__init__.py"
    package_parts = module.split(".") if is_package else module.split(".")[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                keep = len(package_parts) - (node.level - 1)
                base = ".".join(package_parts[: max(keep, 0)])
                origin = f"{base}.{node.module}" if node.module else base
            else:
                origin = node.module or ""
            if origin:
                names.add(origin)
                # `from pkg import name` may name a submodule: keep it, resolution decides
                names.update(f"{origin}.{alias.name}" for alias in node.names if alias.name != "*")
    return names
