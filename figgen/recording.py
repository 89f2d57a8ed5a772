"""What a task really read while it ran: a depfile, as a compiler writes one.

Static import analysis (sources.py) is the first guess at a figure's inputs; it cannot see a
colour list opened by path, a module reached through `importlib.import_module`, `pkgutil`
discovery or a PEP 562 `__getattr__`, nor an environment variable. While a task runs, an
audit hook (`sys.addaudithook`) sees every `open` (imports included: the loader opens the
source, or its `.pyc`) and every directory listing that is not importlib's own, and a
recording `os.environ` sees every variable the project's code looks up. The worker sends
them back with the result; the runner stores them with the task's record, and the next build
puts them in the task's inputs tree with today's digests (figgen/inputs.py).

Only the project's folder counts: figgen's own code is in every tree already, its outputs
(images, `.figgen/`, figgen.json) are not inputs, and a file outside the project (a system
font, matplotlib's own data) belongs to a library whose version is in the tree.
"""

from __future__ import annotations

import hashlib
import os
import sys

# Set by figgen for every task (worker.init_worker, figgen/hermetic.py): the same in every build, not an input.
FIXED_VARIABLES = frozenset({"MPLBACKEND", "MATPLOTLIBRC", "OMP_NUM_THREADS", "CUBLAS_WORKSPACE_CONFIG",
                             "TZ", "LANG", "LC_ALL", "PYTHONHASHSEED", "MPLCONFIGDIR"})

from figgen import reach
from figgen.reach import UNOBSERVED_EVENTS as _UNOBSERVED

_TEMPORARY = ".figgen-tmp-"  # figgen/atomic.py: what saving writes before renaming it
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_current: "Recording | None" = None
reach.in_progress = lambda: _current  # the C-level observers of reach.py report here
# The frames between a lookup and the code that asked for it (os and _collections_abc may be frozen).
_PLUMBING = ("os.py", "<frozen os>", "_collections_abc.py", "<frozen _collections_abc>", "recording.py")


def installers_record(relative: str) -> bool:
    """A path in a distribution's metadata folder (`NAME.egg-info/`, `NAME.dist-info/`): pip's
    record of an install (`pip install -e .` writes one into the checkout), which
    importlib.metadata reads whenever a library looks for entry points. Not an input: a clone
    without the install must get the same keys (the course's models did not), and the key
    holds the installed libraries' versions already."""
    return any(part.endswith((".egg-info", ".dist-info")) for part in relative.split(os.sep))


class Recording:
    """The files, folders and variables one task read, with what it found."""

    def __init__(self, root: str, ignored: tuple[str, ...], code_folders: tuple[str, ...],
                 links: dict[str, str] | None = None, libraries: tuple[str, ...] = ()):
        self.root = root.rstrip(os.sep) + os.sep
        self.ignored = ignored  # folders and files figgen writes, figgen's own package
        self.code_folders = code_folders  # whose `os.environ` lookups count: the project's
        self.links = links or {}  # real target outside the project -> the project's link to it
        self.libraries = libraries  # installed libraries' folders: their versions stand for them
        self.written: set[str] = set()  # variables the task set itself before reading them
        self.read: dict[str, str] = {}  # project-relative path ("dir/" for a listing) -> digest
        self.environment: dict[str, str | None] = {}  # name -> digest of its value (or None: unset)
        self.unobserved: dict[str, str] = {}  # what the task did that may read unseen files -> detail
        self.traces: list[tuple[str, str]] = []  # (strace output, cwd) of each child process (reach.py)
        self._busy = False

    def _relative(self, path) -> str | None:
        # abspath, not realpath: no system call per open (importing torch opens thousands of
        # files), and a data folder linked from elsewhere is still the project's.
        try:
            found = os.path.abspath(os.fsdecode(path))
        except (TypeError, ValueError):
            return None
        if not found.startswith(self.root):
            return self._outside(found)
        if any(found == i or found.startswith(i + os.sep) for i in self.ignored):
            return None
        relative = found[len(self.root):]
        return None if installers_record(relative) else relative

    def _outside(self, found: str) -> str | None:
        """A file outside the project: its link's project path, or (an editable package's
        source) its absolute path; None for the rest (libraries, system files)."""
        from figgen import reach

        if found.endswith(".pyc") and "__pycache__" in found:  # an editable module run from its bytecode
            from importlib.util import source_from_cache

            try:
                found = source_from_cache(found)
            except ValueError:
                return None
        if self.links:
            linked = reach.through_link(os.path.realpath(found), self.links)
            if linked is not None:
                return linked
        if found.endswith(".py") and reach.outside_library(found, self.libraries) and not reach._standard(found):
            return found  # absolute: the tree names it so
        return None

    def opened(self, path, mode, flags) -> None:
        if isinstance(path, int) or self._writes_only(mode, flags):
            return
        relative = self._relative(path)
        if relative is None or os.path.basename(relative).startswith(_TEMPORARY):  # saving's own file
            return
        if relative.endswith(".pyc") and "__pycache__" in relative:  # a module run from its bytecode
            from importlib.util import source_from_cache

            try:
                relative = os.path.relpath(source_from_cache(self.root + relative), self.root)
            except ValueError:
                return
        if relative not in self.read:
            from figgen.file_names import refuse_undecodable

            refuse_undecodable([relative], "data file")  # the task fails in one line: records stay JSON
            self.read[relative] = self._digest(os.path.join(self.root, relative))

    @staticmethod
    def _writes_only(mode, flags) -> bool:
        if isinstance(mode, str):
            return "r" not in mode and "+" not in mode
        return bool(isinstance(flags, int) and flags & os.O_ACCMODE == os.O_WRONLY)

    def listed(self, folder) -> None:
        if isinstance(folder, int):
            return
        folder = os.path.abspath(os.fsdecode(folder if folder is not None else "."))
        relative = "" if folder + os.sep == self.root else self._relative(folder)
        key = (relative.rstrip(os.sep) + "/") if relative else "./"
        if relative is not None and key not in self.read:
            from figgen.sources import listing_digest

            self._busy = True  # our own listing must not be recorded
            try:
                self.read[key] = listing_digest(folder)
            finally:
                self._busy = False

    def _digest(self, path: str) -> str:
        self._busy = True  # our own open() below must not be recorded
        try:
            with open(path, "rb") as handle:
                if path.endswith(".py"):  # a module reached by no import statement: its code counts
                    from figgen.code_digest import code_digest

                    return code_digest(handle.read())
                return hashlib.file_digest(handle, "sha256").hexdigest()
        except (IsADirectoryError, FileNotFoundError, NotADirectoryError):
            return "missing"
        except OSError:
            return "unreadable"
        finally:
            self._busy = False

    def asked_by_project(self, frame) -> bool:
        """Whether the project's code made this call, rather than a library while it is imported
        (torch scanning sys.path for its plugins, matplotlib looking for a matplotlibrc): the
        first frame up the stack that is either the import system or the project's decides."""
        while frame is not None:
            filename = frame.f_code.co_filename
            if filename.startswith("<frozen importlib"):
                return False
            if filename.startswith(self.code_folders) and not filename.startswith(self.ignored):
                return True
            frame = frame.f_back
        return False

    def looked_up(self, name: str, value: str | None) -> None:
        if name in FIXED_VARIABLES or name in self.environment or name in self.written:
            return
        frame = sys._getframe(2)
        while frame is not None and frame.f_code.co_filename.endswith(_PLUMBING):
            frame = frame.f_back
        filename = frame.f_code.co_filename if frame is not None else ""
        if filename.startswith(self.code_folders) and not filename.startswith(self.ignored):
            from figgen.redact import variable_digest

            self.environment[name] = variable_digest(name, value)  # never the value: it may be a token


def _audit(event: str, args) -> None:
    recording = _current
    if recording is None or recording._busy:
        return
    if event == "open":
        # Whoever opens a file of the project reads an input: the project's code, the import
        # system (dynamic imports), a library while the figure is saved (a font by path).
        recording.opened(*args[:3])
    elif event in ("os.listdir", "os.scandir"):
        if recording.asked_by_project(sys._getframe(1)):  # not importlib caching a folder, nor a library at import
            recording.listed(args[0] if args else None)
    elif event == "sqlite3.connect":  # SQLite opens the database in C: its file is read
        if args and isinstance(args[0], (str, bytes, os.PathLike)):
            recording.opened(args[0], "r", 0)
    elif event in _UNOBSERVED and not _traced(event, args) and recording.asked_by_project(sys._getframe(1)):
        recording.unobserved.setdefault(_UNOBSERVED[event], _detail(args))


def _traced(event: str, args) -> bool:
    """A child process started under strace (reach.trace_children): its reads are seen."""
    if event != "subprocess.Popen" or len(args) < 2 or not isinstance(args[1], list) or len(args[1]) < 2:
        return False
    return os.path.basename(os.fsdecode(args[1][0])) == "strace" and "-o" in args[1]


def _detail(args) -> str:
    """The program or library named by an audit event's arguments, shortly."""
    for value in args[:2]:
        if isinstance(value, (list, tuple)) and value:
            return " ".join(os.fsdecode(v) if isinstance(v, (str, bytes)) else str(v) for v in value)[:80]
        if isinstance(value, (str, bytes, os.PathLike)):
            return os.fsdecode(value)[:80]
    return ""


class RecordingEnviron(os._Environ):
    """`os.environ`, sharing its storage, that tells the running recording what was looked up."""

    def __getitem__(self, key):
        try:
            value = super().__getitem__(key)
        except KeyError:
            if _current is not None and isinstance(key, str):
                _current.looked_up(key, None)
            raise
        if _current is not None and isinstance(key, str):
            _current.looked_up(key, value)
        return value

    def __setitem__(self, key, value):
        if _current is not None:
            _current.written.add(key)
        super().__setitem__(key, value)

    def __contains__(self, key):
        try:
            self[key]
        except KeyError:
            return False
        return True


_installed = False


def install() -> None:
    """Once per process: the audit hook cannot be removed, so it stays idle between tasks."""
    global _installed
    if _installed:
        return
    sys.addaudithook(_audit)
    environ = os.environ
    if not isinstance(environ, RecordingEnviron):
        os.environ = RecordingEnviron(environ._data, environ.encodekey, environ.decodekey,
                                      environ.encodevalue, environ.decodevalue)
    _installed = True


def start(root, ignored, code_folders, links=None, libraries=()) -> Recording:
    global _current
    install()
    _current = Recording(str(root), tuple(str(i) for i in ignored), tuple(str(f) + os.sep for f in code_folders),
                         links, libraries)
    return _current


def stop() -> Recording | None:
    global _current
    recording = _current
    if recording is not None and recording.traces:
        from figgen.reach import read_traces

        recording._busy = True  # reading the traces is no read of the task's
        try:
            read_traces(recording)
        finally:
            recording._busy = False
    _current = None
    return recording
