"""The environment a task runs in: set by figgen, the same in every build, on every machine.

As Bazel's strict action environment does, a task sees a fixed, known set of variables, not
the shell's: a variable the drawing could read, and the build could not see changing, would
make an incremental build differ from a build from scratch. A task gets:

- fixed values: `TZ=UTC` (the C library reads it, not `os.environ`), `LANG`/`LC_ALL=C.UTF-8`,
  `PYTHONHASHSEED=0`, and the worker's own (`MPLBACKEND`, `OMP_NUM_THREADS`, ...);
- `MPLCONFIGDIR`: a folder of the worker's own, emptied after every task (no style sheet or
  matplotlibrc of the author's; only matplotlib's font cache is kept, a cache of the system);
- passed through, not part of the key: `PATH`, `HOME`, `TMPDIR`, `USER`, `LOGNAME`, `PYTHONPATH`,
  `VIRTUAL_ENV`, `CUDA_VISIBLE_DEVICES` (what finds programs and devices, not what draws);
- the variables figgen.yaml declares (`env:` at the top, for every task, and per figure or
  model), each in the task's key by the digest of its value, never by the value;
- `random`, NumPy's global generator and torch's seeded from the task's name and seed.

`PYTHONHASHSEED` takes effect only when an interpreter starts, and workers are forked (warm: the
main process has imported the figure modules and their libraries). So `figgen build` and
`figgen watch`, run from the command line, start again with `PYTHONHASHSEED=0` (one exec, only
once a build knows it has work) and their forked workers inherit it; a build called in-process
(a test, a script) whose interpreter has another seed makes its workers through a fork server
started with it (figgen.pool). Either way a set of strings iterates in the same order in every
build.
"""

from __future__ import annotations

import hashlib
import os
import sys
from contextlib import contextmanager

FIXED = {"TZ": "UTC", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "0"}
PASSED = ("PATH", "HOME", "TMPDIR", "USER", "LOGNAME", "PYTHONPATH", "VIRTUAL_ENV", "CUDA_VISIBLE_DEVICES")
CONFIG_FOLDER = "MPLCONFIGDIR"
# Variables a task sees with a value figgen chose: never an input.
SET_BY_FIGGEN = frozenset({*FIXED, CONFIG_FOLDER})


def declared(project, spec) -> tuple[str, ...]:
    """The variables a figure or model may read: figgen.yaml's `env:`, project-wide then its own."""
    return tuple(dict.fromkeys((*project.settings.env, *getattr(spec, "env", ()))))


def env_digests(project, spec, environ=None) -> dict[str, str | None]:
    """The `env` part of a key: each declared variable's digest, as the task would see it."""
    environ = os.environ if environ is None else environ
    from figgen.redact import variable_digest  # the launcher imports this module: keep it light

    return {name: variable_digest(name, environ.get(name)) for name in sorted(declared(project, spec))}


def visible(project, spec, environ=None) -> dict[str, str]:
    """The variables a task reads (values), before the worker's own are added."""
    environ = os.environ if environ is None else environ
    names = (*PASSED, *declared(project, spec))
    return {**{name: environ[name] for name in names if name in environ}, **FIXED}


def task_seed(kind: str, name: str, seed: int = 0) -> int:
    """One seed per task, from its name and declared seed: the same in every build."""
    return int.from_bytes(hashlib.sha256(f"{kind}\0{name}\0{seed}".encode()).digest()[:4], "big")


# --- in a worker process -----------------------------------------------------------------------


_config_folders: dict[int, str] = {}  # process id -> its MPLCONFIGDIR (a forked child makes its own)


def config_folder() -> str:
    """The worker's MPLCONFIGDIR, made once; matplotlib reads it once, when it is imported."""
    import atexit
    import shutil
    import tempfile

    folder = _config_folders.get(os.getpid())
    if folder and os.path.isdir(folder):
        return folder
    folder = tempfile.mkdtemp(prefix="figgen-mpl-")
    atexit.register(shutil.rmtree, folder, True)
    _copy_font_cache(folder)
    _config_folders[os.getpid()] = folder
    return folder


def shared_config_folder() -> str:
    """figgen's own MPLCONFIGDIR for the build's main process (whose matplotlib its forked workers
    inherit): never the author's, so no style sheet or matplotlibrc of theirs; it keeps only
    matplotlib's scan of the system's fonts (fontlist-*.json), which costs a second to redo."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "figgen", "matplotlib")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        import tempfile

        folder = os.path.join(tempfile.gettempdir(), f"figgen-matplotlib-{os.getuid() if hasattr(os, 'getuid') else 0}")
        os.makedirs(folder, exist_ok=True)
    _empty(folder)
    return folder


def prepare_build() -> None:
    """In a build's main process, before any figure module (and matplotlib) is imported."""
    os.environ[CONFIG_FOLDER] = shared_config_folder()
    start_again_with_fixed_hash_seed()


def _copy_font_cache(folder: str) -> None:
    """matplotlib's list of the system's fonts: rebuilding it costs a second per worker."""
    import shutil

    source = shared_config_folder()
    try:
        for name in os.listdir(source):
            if name.startswith("fontlist-") and name.endswith(".json"):
                shutil.copy(os.path.join(source, name), folder)
    except OSError:
        pass


def _share_font_cache(folder: str) -> None:
    """A font scan a worker made is kept for the next builds (written whole, then renamed)."""
    try:
        names = [n for n in os.listdir(folder) if n.startswith("fontlist-") and n.endswith(".json")]
        shared = shared_config_folder()
        for name in names:
            if not os.path.exists(os.path.join(shared, name)):
                import shutil

                temporary = os.path.join(shared, f".{name}.{os.getpid()}")
                shutil.copy(os.path.join(folder, name), temporary)
                os.replace(temporary, os.path.join(shared, name))
    except OSError:
        pass


def _empty(folder: str) -> None:
    """What a task left in MPLCONFIGDIR (a style sheet, a matplotlibrc) is gone for the next."""
    import shutil

    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name.startswith("fontlist-") and name.endswith(".json") or name.startswith(".matplotlib_lock"):
            continue
        path = os.path.join(folder, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except OSError:
                pass


@contextmanager
def environment(variables: dict[str, str], seed: int):
    """Run a task with exactly `variables` in os.environ, TZ and locale applied, all seeded."""
    import locale
    import time

    saved = dict(os.environ)
    folder = config_folder()
    os.environ.clear()
    os.environ.update({**variables, CONFIG_FOLDER: folder})
    time.tzset()
    saved_locale = locale.setlocale(locale.LC_ALL)
    try:
        locale.setlocale(locale.LC_ALL, FIXED["LC_ALL"])
    except locale.Error:
        locale.setlocale(locale.LC_ALL, "C")
    _seed(seed)
    try:
        yield
    finally:
        _stop_seeding_on_import()
        os.environ.clear()
        os.environ.update(saved)
        time.tzset()
        try:
            locale.setlocale(locale.LC_ALL, saved_locale)
        except locale.Error:
            pass
        _empty(folder)
        _share_font_cache(folder)


def _seed(seed: int) -> None:
    import random

    random.seed(seed)
    try:
        import numpy
    except ImportError:
        pass
    else:
        numpy.random.seed(seed)
    if "torch" in sys.modules:
        _seed_torch(sys.modules["torch"], seed)
    else:  # torch is heavy: seeded when the task imports it, if it does
        from figgen.after_import import AfterImport

        sys.meta_path.insert(0, AfterImport("torch", lambda torch: _seed_torch(torch, seed)))


def _seed_torch(torch, seed: int) -> None:
    manual_seed = getattr(torch, "manual_seed", None)
    if manual_seed is not None:
        manual_seed(seed)


def _stop_seeding_on_import() -> None:
    from figgen.after_import import AfterImport

    for finder in [f for f in sys.meta_path if isinstance(f, AfterImport) and f.name == "torch"]:
        sys.meta_path.remove(finder)


# --- starting worker processes -------------------------------------------------------------------


def start_again_with_fixed_hash_seed() -> None:
    """Replace this process by the same command with PYTHONHASHSEED=0, unless it has it already
    (or it was not started from the command line): its forked workers then inherit it."""
    launcher = sys.modules.get("figgen.launcher")  # started from the command line, not called in-process
    if hash_seed_fixed() or not getattr(launcher, "running", False) or not hasattr(os, "execv") or not getattr(sys, "orig_argv", None):
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os.environ["PYTHONHASHSEED"] = FIXED["PYTHONHASHSEED"]
    os.execv(sys.executable, sys.orig_argv)


def hash_seed_fixed() -> bool:
    """Whether this interpreter was started with PYTHONHASHSEED=0 (forked children inherit it)."""
    return sys.flags.hash_randomization == 0


@contextmanager
def fixed_hash_seed_for_children():
    """PYTHONHASHSEED=0 in the environment while a process that starts an interpreter is made."""
    saved = os.environ.get("PYTHONHASHSEED")
    os.environ["PYTHONHASHSEED"] = FIXED["PYTHONHASHSEED"]
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("PYTHONHASHSEED", None)
        else:
            os.environ["PYTHONHASHSEED"] = saved
