"""What a task reaches beyond the project's own files, and what figgen cannot see it read.

The recording (figgen/recording.py) sees every Python-level `open`, whoever calls it: the
project's code, matplotlib opening a font while the figure is saved, the import system. Three
more cases are handled here:

- a symlink inside the project whose target is outside it (a shared data folder): a read of the
  target is recorded under the link's project path, so a retargeted link or an edited target
  is seen (`links`);
- an editable package outside the project (its version stays the same when its code changes):
  its modules are forgotten before each task like the project's, so each task imports them,
  and their sources are recorded by absolute path with their code digest (`outside_library`);
- reads no audit hook sees: a child process (`subprocess`, `os.system`), SQLite opening its
  database, `ctypes` calling C, Pillow's FreeType opening a font. The task is marked
  `unobserved` with what it did; the build says it cannot vouch for that figure (`figgen build
  --verify` shows whether it is at least reproducible).
"""

from __future__ import annotations

import codecs
import os
import re
import site
import sys
from pathlib import Path

from figgen.after_import import AfterImport

# Audit events after which a task may read files figgen does not see, and what they mean.
def in_progress():
    """The recording of the task in progress, or None: figgen/recording.py sets this hook when it
    is imported (this module never imports it back: no cycle)."""
    return None


UNOBSERVED_EVENTS = {
    "subprocess.Popen": "runs a child process",
    "os.system": "runs a shell command",
    "os.posix_spawn": "runs a child process",
    "os.exec": "runs a program",
    "os.spawn": "runs a child process",
    "sqlite3.connect": "opens a SQLite database",
    "ctypes.dlopen": "loads a C library through ctypes",
}

_SKIPPED_FOLDERS = {".git", ".hg", ".venv", "venv", "node_modules", "__pycache__", ".figgen", ".tools",
                    "public", "resources"}


def library_folders() -> tuple[str, ...]:
    """Where installed libraries live: their versions stand for them."""
    folders = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(Path(__file__).resolve().parent)}
    try:
        folders.update(site.getsitepackages())
    except AttributeError:
        pass
    user = getattr(site, "getusersitepackages", lambda: None)()
    if user:
        folders.add(user)
    folders = {form for f in folders if f for form in (os.path.abspath(f), os.path.realpath(f))}
    return tuple(sorted(f.rstrip(os.sep) + os.sep for f in folders))


def links(root: str) -> dict[str, str]:
    """{real target + "/"-or-not: project-relative link} for symlinks in the project pointing outside it."""
    root = os.path.realpath(root).rstrip(os.sep) + os.sep
    found = {}
    for folder, folders, files in os.walk(root):
        folders[:] = [f for f in folders if f not in _SKIPPED_FOLDERS]
        for name in (*folders, *files):
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                continue
            target = os.path.realpath(path)
            if target.startswith(root) or target == root.rstrip(os.sep):
                continue
            relative = path[len(root):]
            found[target + (os.sep if os.path.isdir(target) else "")] = relative
    return found


def through_link(found: str, linked: dict[str, str]) -> str | None:
    """The project path a file outside the project was reached by, if a link leads to it."""
    for target, relative in linked.items():
        if target.endswith(os.sep):
            if found.startswith(target):
                return os.path.join(relative, found[len(target):])
        elif found == target:
            return relative
    return None


def outside_library(path: str, libraries: tuple[str, ...]) -> bool:
    """A Python source outside the project and outside every library folder: an editable install's."""
    if not path.endswith(".py") or path.startswith(libraries):  # no system call for most opens
        return False
    real = os.path.realpath(path)
    return not real.startswith(libraries)


def editable_modules(root: str, libraries: tuple[str, ...]) -> list[str]:
    """Modules loaded from sources outside the project and the library folders."""
    root = os.path.realpath(root).rstrip(os.sep) + os.sep
    names = []
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None) or ""
        if not path.endswith(".py"):
            continue
        real = os.path.realpath(path)
        if not real.startswith(libraries) and not real.startswith(root) and not _standard(real):
            names.append(name)
    return names


def _standard(real: str) -> bool:
    return real.startswith((os.path.realpath(sys.base_prefix), "/usr/lib", "/usr/local/lib"))


def observe_pillow_fonts() -> None:
    """Pillow's FreeType opens a font file in C, unseen by the audit hook: each font loaded by
    path is reported to the recording as an `open` (now, or once PIL.ImageFont is imported)."""
    module = sys.modules.get("PIL.ImageFont")
    if module is not None:
        _patch_pillow(module)
    elif not any(isinstance(f, AfterImport) for f in sys.meta_path):
        sys.meta_path.insert(0, AfterImport("PIL.ImageFont", _patch_pillow))


def _patch_pillow(module) -> None:
    font_class = getattr(module, "FreeTypeFont", None)
    if font_class is None or getattr(font_class.__init__, "_figgen_observed", False):
        return
    original = font_class.__init__

    def __init__(self, font=None, *arguments, **options):
        if isinstance(font, (str, bytes, os.PathLike)):
            current = in_progress()
            if current is not None and not current._busy:
                current.opened(font, "rb", 0)
        original(self, font, *arguments, **options)

    __init__._figgen_observed = True
    font_class.__init__ = __init__


def describe(unobserved: dict[str, str]) -> str:
    """'runs a child process (python tools/palette.py)', ... for the build's warning."""
    return "; ".join(f"{what} ({detail})" if detail else what for what, detail in unobserved.items())


def cannot_vouch(workspace, figures) -> list[str]:
    """One line per figure (or model it reads) whose last run did something figgen cannot see."""
    lines, models = [], set()
    for figure in figures:
        unobserved = workspace.records.get(figure.output).unobserved or {}
        if unobserved:
            lines.append(f"figgen: cannot vouch for {figure.output}: its drawing {describe(unobserved)}, whose "
                         "reads figgen cannot see (figgen build --verify checks it is reproducible)")
        models.update(figure.models)
    for name in sorted(models):
        unobserved = workspace.store.discovered(name).get("unobserved") or {}
        if unobserved:
            lines.append(f"figgen: cannot vouch for model '{name}': its training {describe(unobserved)}, whose "
                         "reads figgen cannot see")
    return lines


# --- child processes, traced at the OS level ------------------------------------------------------

STRACE = ("strace", "-f", "-qq", "-e", "trace=open,openat,openat2,creat", "-e", "status=successful")


def trace_children() -> bool:
    """Once per worker: a child process a task starts runs under strace (when installed), so the
    files it opens are inputs like the task's own; os.system goes through subprocess. False
    where strace is missing: such a task is marked unobserved instead."""
    import shutil
    import subprocess

    strace = shutil.which("strace")
    if strace is None:
        return False
    if getattr(subprocess.Popen._execute_child, "_figgen_traced", False):
        return True
    original = subprocess.Popen._execute_child

    def _execute_child(self, args, executable, *rest, **options):
        current = in_progress()
        # Popen._execute_child(args, executable, preexec_fn, close_fds, pass_fds, cwd, env, startupinfo,
        # creationflags, shell, ...): called with positions by Popen.__init__
        if current is None or current._busy or len(rest) < 8:
            return original(self, args, executable, *rest, **options)
        shell = rest[7]
        argv = [args] if isinstance(args, (str, bytes, os.PathLike)) else list(args)
        if shell:
            argv = ["/bin/sh", "-c", *argv]
        program = executable or argv[0]
        import tempfile

        handle, trace = tempfile.mkstemp(prefix="figgen-trace-", suffix=".txt")
        os.close(handle)
        cwd = rest[3] if rest[3] is not None else os.getcwd()
        current.traces.append((trace, os.fsdecode(cwd)))
        traced = [strace, *STRACE[1:], "-o", trace, "--", os.fsdecode(program), *map(os.fsdecode, argv[1:])]
        if shell:
            rest = (*rest[:7], False, *rest[8:])
        return original(self, traced, None, *rest, **options)

    _execute_child._figgen_traced = True
    subprocess.Popen._execute_child = _execute_child

    def system(command):
        return subprocess.call(command, shell=True)

    os.system = system
    return True


_OPENED = re.compile(r'^\d+\s+(?:open|openat|openat2|creat)\((?:AT_FDCWD, |\d+, )?"((?:[^"\\]|\\.)*)", ([A-Z_|]+)')


def read_traces(recording) -> None:
    """The files the task's children opened (strace's output), as the task's own reads."""
    for trace, cwd in recording.traces:
        try:
            with open(trace, encoding="utf-8", errors="surrogateescape") as handle:
                lines = handle.readlines()
            os.unlink(trace)
        except OSError:
            continue
        for line in lines:
            found = _OPENED.match(line)
            if not found:
                continue
            path = os.fsdecode(codecs.escape_decode(found.group(1).encode("utf-8", "surrogateescape"))[0])
            flags = found.group(2)
            if "O_WRONLY" in flags or line.split("(", 1)[0].endswith("creat"):
                continue
            recording.opened(os.path.join(cwd, path), "r", 0)
    recording.traces.clear()
