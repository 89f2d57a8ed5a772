"""A warm parent for `figgen watch`: heavy libraries imported once, each rebuild forked from it.

Starting a process and importing torch and matplotlib is most of a one-figure rebuild (about
2.5 s of 3). The watcher imports those third-party libraries once, then forks a child per
change. The child forgets every module of figgen and of the project package before it builds, so
the code it runs is always the code on disk: only libraries that the author does not edit stay
warm. The child's own worker processes are forked from it, warm too, and keep their time limits.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

# Imported once by the parent; never a module of figgen or of the project.
WARM_LIBRARIES = ("numpy", "PIL.Image", "matplotlib", "matplotlib.pyplot", "torch", "torch.nn.functional")


def can_fork() -> bool:
    return hasattr(os, "fork")


def warm_up() -> None:
    """Import the heavy libraries and load matplotlib's fonts, so children start ready."""
    import importlib

    os.environ.setdefault("MPLBACKEND", "Agg")
    for name in WARM_LIBRARIES:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
    try:  # the first text drawn loads the font files: do it here, once
        import io

        from matplotlib.figure import Figure

        figure = Figure(figsize=(1, 1))
        figure.text(0.5, 0.5, "é", fontweight="bold")
        figure.savefig(io.BytesIO(), format="png")
    except Exception:  # warming is an optimisation, never a reason to fail
        pass
    _freeze_heap()


def _freeze_heap() -> None:
    """Keep the garbage collector of a forked child off the parent's objects.

    A collection in the child would touch every object inherited from the parent (millions,
    with torch), copying their memory pages: 0.2 s of a 0.7 s rebuild.
    """
    import gc

    gc.collect()
    gc.freeze()


def forget_project_code(packages: tuple[str, ...]) -> None:
    """Drop figgen's and the project's modules: the next import reads them from disk."""
    from figgen.loader import forget_modules

    forget_modules(packages)


def rebuild_forked(root: Path, package: str, out) -> int:
    """Build then check in a child forked from this warm process; its exit status."""
    out.flush()
    sys.stderr.flush()
    _freeze_heap()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the watcher's loop
        code = 1
        try:
            from figgen.lifeline import die_with_parent

            die_with_parent(signal.SIGTERM)  # a killed watch ends its rebuild (and its workers)
            code = _build_and_check(root, package, out)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        except BaseException:  # a bug in figgen itself: say it, keep watching
            import traceback

            traceback.print_exc()
        finally:
            out.flush()
            sys.stderr.flush()
            os._exit(code)
    return _wait(pid)


def _wait(pid: int) -> int:
    try:
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status)
    except ChildProcessError:
        return 1
    except KeyboardInterrupt:  # the watch is stopping: stop the rebuild (and its workers) first
        _stop_child(pid)
        raise


def _stop_child(pid: int, grace: float = 10.0) -> None:
    """SIGINT (a terminal's Ctrl-C may not have reached it), then SIGKILL after `grace` seconds."""
    import time

    deadline = time.monotonic() + grace
    try:
        os.kill(pid, signal.SIGINT)
        while time.monotonic() < deadline:
            if os.waitpid(pid, os.WNOHANG)[0]:
                return
            time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _build_and_check(root: Path, package: str, out) -> int:
    """The engine's build, then its site rules; progress and errors on stderr, as `figgen build`."""
    forget_project_code(("figgen", package))
    from figgen.build.engine import Build
    from figgen.build.site_rules import check_site
    from figgen.errors import FiggenError, OutOfSync
    from figgen.report import Progress
    from figgen.workspace import open_workspace

    code = 0
    try:
        # its workers fork from this warm child; each task keeps its time limit
        report = Build(open_workspace(root), on_event=Progress(),
                       on_wait=lambda text: print(f"figgen: {text}", file=sys.stderr)).run()
        print(report.text(), file=sys.stdout)
        problem = report.problem()
        if problem:
            raise problem
    except FiggenError as error:
        print(f"figgen: error: {error}", file=sys.stderr)
        code = error.exit_code
    except KeyboardInterrupt:
        return 130
    try:
        site = check_site(open_workspace(root))
    except FiggenError as error:  # the build above said it already
        return code or error.exit_code
    if site.problems:
        print("\n".join(site.problems), file=out)
        return code or OutOfSync.exit_code
    print("figgen: site in sync, waiting for changes (Ctrl-C to stop)", file=out)
    return code
