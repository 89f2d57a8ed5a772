"""The work itself, run in worker processes: train one model, render one figure.

`run(task) -> TaskResult` is the one entry every path calls (figgen.tasks): the local pool's
workers over a pipe (see figgen.pool), the warm watch's forked builds through that pool, and
any executor (figgen.executors) in its own processes. Heavy libraries (torch, matplotlib) are
imported here, lazily, once per worker process. Anything a drawing or a recipe raises,
SystemExit and KeyboardInterrupt included, becomes a failed result with the last frames of its
traceback: one broken figure never stops the others.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import os
import signal
import sys
import time
import traceback
from pathlib import Path

from figgen import exact_import
from figgen.config import Project
from figgen.descendants import become_subreaper, end_task_descendants
from figgen.errors import BadInput, FiggenError, UnreadableCheckpoint, describe_os_error
from figgen.lifeline import die_with_parent, watch_parent
from figgen.tasks import FigureTask, ModelTask, Output, TaskResult

_worker: dict = {}  # this process's project, pipe, thread count and loaded models
WORKER_VARIABLES = ("MPLBACKEND", "OMP_NUM_THREADS", "CUBLAS_WORKSPACE_CONFIG")  # set by init_worker


def serve(connection, project: Project, parent_pid: int, threads: int) -> None:
    """A worker's life: receive a task, send events and one result, until told to stop."""
    die_with_parent()
    # None: started by a fork server (figgen/hermetic.py), which ends when the main process does
    watch_parent(parent_pid if parent_pid is not None else os.getppid())
    # Ctrl-C is the main process's business: it stops the workers itself. SIGTERM (to the
    # process group) ends a worker silently: the main process prints the one line.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    init_worker(project, threads=threads)
    become_subreaper()  # a task's helpers, and their orphans, stay below this worker
    _worker["connection"] = connection
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        result = run(task)
        end_task_descendants()  # before the result: the build never ends with a helper holding its pipe
        connection.send(("result", result))


def run(task: ModelTask | FigureTask) -> TaskResult:
    """Run one task in this (prepared) process; the result names the source files it compiled."""
    result = train_model(task) if isinstance(task, ModelTask) else render_figure(task)
    result.executed = dict(exact_import.executed)
    return result


def forget_project_code(package: str) -> None:
    """Drop every module of the project's package, its `__init__` included, and what they built.

    A long-lived worker (a Dask cluster serving build after build) would otherwise run the
    code of an earlier build: the next task imports the package again from disk.
    """
    from figgen.loader import forget_modules

    forget_modules((package,))
    for path in [p for p in exact_import.executed if _inside_package(p, package)]:
        del exact_import.executed[path]
    _worker.get("loaded", {}).clear()  # models built from the forgotten classes


def _inside_package(path: str, package: str) -> bool:
    project: Project | None = _worker.get("project")
    if project is None:
        return True
    return path.startswith(str(Path(project.root, package).resolve()) + os.sep)


def init_worker(project: Project, events=None, threads: int = 1) -> None:
    """Prepare this process to run tasks (also used in-process by bench/naive.py); `events`: where
    a task's events go, anything with `send(("event", event))` (the pool's pipe, a Dask topic)."""
    os.environ["MPLBACKEND"] = "Agg"
    os.environ.pop("MATPLOTLIBRC", None)  # figures draw under matplotlib's own defaults
    os.environ["OMP_NUM_THREADS"] = str(threads)
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")  # deterministic cuBLAS
    _worker.update(project=project, connection=events, threads=threads, loaded={})


def _records_what_it_reads(task):
    """Run `task` with figgen/recording.py watching: its result carries `read` and `environment`.

    The project's modules are forgotten first, so that each task imports (and is seen
    importing) what it uses, whatever ran before it in this process."""

    @functools.wraps(task)
    def run(*arguments) -> TaskResult:
        from figgen import hermetic, recording

        project: Project = _worker["project"]
        _forget_project_modules(project)
        figgen_folder = Path(__file__).resolve().parent
        # A virtual environment inside the project holds libraries: their versions stand for them.
        # Another figure's image, or a hand-made one, is an input (figgen/dependencies.py); its own is not.
        ignored = (project.cache, project.data_file, figgen_folder, sys.prefix, sys.exec_prefix, *_own_outputs(arguments[0]))
        variables, seed = _task_environment(project, arguments[0])
        links, libraries = _reach(project)
        with hermetic.environment(variables, seed):
            recording.start(project.root, ignored, (project.root,), links, libraries)
            try:
                result = task(*arguments)
            finally:
                seen = recording.stop()
        if not result.ok:  # the message and frames are printed and kept: no token in them
            from figgen.redact import environment_values_hidden

            result = dataclasses.replace(result, **{key: environment_values_hidden(getattr(result, key), os.environ,
                                                                                    seen.environment)
                                                    for key in ("error", "traceback")})
        return dataclasses.replace(result, read=dict(seen.read), environment=dict(seen.environment),
                                   unobserved=dict(seen.unobserved))

    return run


def _own_outputs(task) -> tuple[str, ...]:
    project: Project = _worker["project"]
    if isinstance(task, ModelTask):
        return (str(project.images),)  # a recipe reads no figure
    return tuple(str(project.output_file(f)) for f in project.figures if f.output == task.output)


def _reach(project: Project) -> tuple[dict[str, str], tuple[str, ...]]:
    """Once per worker: the project's links to outside it, and the libraries' folders."""
    from figgen import reach

    if _worker.get("reach_of") != project.root:  # a Dask worker may serve several projects
        _worker.update(reach=(reach.links(str(project.root)), reach.library_folders()), reach_of=project.root)
        reach.observe_pillow_fonts()
        reach.trace_children()
    return _worker["reach"]


def _task_environment(project: Project, task) -> tuple[dict[str, str], int]:
    """The variables the task sees (figgen/hermetic.py) and its seed."""
    from figgen import hermetic

    if isinstance(task, ModelTask):
        spec = project.models[task.name]
        seed = hermetic.task_seed("model", task.name, spec.seed)
    else:
        spec = next(f for f in project.figures if f.output == task.output)
        seed = hermetic.task_seed("figure", task.output)
    own = {name: os.environ[name] for name in WORKER_VARIABLES if name in os.environ}
    return {**hermetic.visible(project, spec), **own}, seed


def _forget_project_modules(project: Project) -> None:
    """Drop the modules of the project's own code; libraries stay (loader.forget_modules)."""
    from figgen.loader import forget_modules

    forget_modules(root=project.root)
    from figgen import reach

    # an editable package outside the project: imported again by each task, so it is seen (reach.py)
    for name in reach.editable_modules(str(project.root), _reach(project)[1]):
        sys.modules.pop(name, None)
    importlib.invalidate_caches()  # a module added since the last task is found


def _send(event) -> None:
    connection = _worker.get("connection")
    if connection is not None:
        connection.send(("event", event))


def _relative(path: str) -> str:
    project: Project | None = _worker.get("project")
    try:
        return str(Path(path).relative_to(project.root)) if project else path
    except ValueError:
        return path


def _in_generated_folders(path) -> bool:
    """A path figgen writes (an image, the cache): its fault is the place, not the code."""
    project: Project | None = _worker.get("project")
    if not path or project is None:
        return False
    real = os.path.abspath(os.fsdecode(path))
    return any(real.startswith(str(folder) + os.sep) or real == str(folder) for folder in (project.images, project.cache))


def _failure(error: BaseException) -> TaskResult:
    if isinstance(error, SyntaxError) and error.filename:  # where the author must look, nothing more
        return TaskResult(ok=False, error=f"{_relative(error.filename)}:{error.lineno}: SyntaxError: {error.msg}")
    if isinstance(error, OSError) and _in_generated_folders(error.filename2 or error.filename):
        return TaskResult(ok=False, error=describe_os_error(error))
    frames = traceback.format_exception(type(error), error, error.__traceback__)
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if not isinstance(error, FiggenError) and type(error).__name__ not in message:
        message = f"{type(error).__name__}: {message}"
    return TaskResult(ok=False, error=message, bad_input=isinstance(error, BadInput),
                      traceback="".join(frames[-3:]).rstrip())


def _prepare_torch(device: str):
    import torch

    torch.set_num_threads(_worker["threads"])
    if device == "cuda":  # (torch.use_deterministic_algorithms would import the compiler: +3 s)
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False
    return torch.device(device)


@_records_what_it_reads
def train_model(task: ModelTask) -> TaskResult:
    from figgen.context import json_ready, model_class
    from figgen.loader import project_attribute
    from figgen.store import file_sha256, stat_signature
    from figgen.training.checkpoint import save_checkpoint
    from figgen.training.run import TrainingRun

    project: Project = _worker["project"]
    name, checkpoint, device = task.name, task.checkpoint, task.device
    spec = project.models[name]
    started = time.perf_counter()
    try:
        torch_device = _prepare_torch(device)
        train = project_attribute(project.root, project.package, spec.recipe, "train")
        run = TrainingRun(spec=spec, model_class=model_class(project, spec), device=torch_device, report=_send)
        result = train(run)
        if not isinstance(result.metrics, dict):
            raise FiggenError(f"model '{name}': metrics must be a dict of named values, not "
                              f"{type(result.metrics).__name__}")
        metrics = {str(key): json_ready(value, f"model '{name}': metric '{key}'") for key, value in result.metrics.items()}
        try:
            save_checkpoint(checkpoint, result.model, run.built_with or spec.architecture, result.metrics,
                            result.history)
        except RuntimeError:  # torch's C++ stream says only "basic_ios::clear: iostream error"
            raise OSError(0, "write failed (disk full?)", str(checkpoint)) from None
    except BaseException as error:  # SystemExit and KeyboardInterrupt from a recipe fail this task only
        return _failure(error)
    seconds = round(time.perf_counter() - started, 2)
    written = Output(sha256=file_sha256(checkpoint), stat=stat_signature(checkpoint))
    return TaskResult(ok=True, seconds=seconds, device=device, metrics=metrics, outputs={str(checkpoint): written})


def _pristine_matplotlib() -> None:
    """Matplotlib's own defaults: no rcParams left by the previous figure, no matplotlibrc."""
    import matplotlib

    matplotlib.rcdefaults()


def _close_figures(drawn) -> None:
    """Free what a figure holds: pyplot keeps every figure it made until told to close it."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
    if drawn is not None and hasattr(drawn, "clear"):
        drawn.clear()


@_records_what_it_reads
def render_figure(task: FigureTask) -> TaskResult:
    from figgen.context import FigureContext
    from figgen.loader import project_attribute
    from figgen.renderings import scheme
    from figgen.saving import save_figure
    from figgen.store import file_sha256, stat_signature

    project: Project = _worker["project"]
    figure = next(f for f in project.figures if f.output == task.output)
    target = project.output_file(figure)
    started = time.perf_counter()
    drawn = None
    try:
        _pristine_matplotlib()
        draw = project_attribute(project.root, project.package, figure.draw, "draw")
        context = FigureContext(project, figure, task.checkpoints, _worker["loaded"])
        drawn = draw(context)
        if drawn is None or not hasattr(drawn, "savefig"):
            raise TypeError(f"{figure.draw}.draw() must return a matplotlib Figure, not {type(drawn).__name__}")
        settings = project.settings
        width, height = save_figure(drawn, target, figure.format, settings.display_dpi, settings.pixel_ratio,
                                    background="auto" if scheme(figure.rendering) == "dark" else "white")
    except UnreadableCheckpoint as error:
        result = _failure(error)
        result.unreadable_checkpoint = error.model
        return result
    except BaseException as error:  # SystemExit and KeyboardInterrupt from draw() fail this figure only
        return _failure(error)
    finally:
        try:
            _close_figures(drawn)
        except Exception:
            pass
    return TaskResult(
        ok=True,
        seconds=round(time.perf_counter() - started, 2),
        device=task.device,
        width=width,
        height=height,
        outputs={str(target): Output(sha256=file_sha256(target), stat=stat_signature(target))},
        facts=context.facts,  # checked by ctx.fact as JSON: figgen.json stays JSON
    )
