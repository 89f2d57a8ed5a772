"""The work itself, run in worker processes: train one model, render one figure.

A worker serves one task at a time over a pipe (see figgen.pool). Heavy libraries (torch,
matplotlib) are imported here, lazily, once per worker process. Every task returns a plain
dict; anything a drawing or a recipe raises, SystemExit and KeyboardInterrupt included,
becomes a failure record with the last frames of its traceback: one broken figure never
stops the others.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import traceback
from pathlib import Path

from figgen import exact_import
from figgen.config import Project
from figgen.errors import BadInput, FiggenError, UnreadableCheckpoint, describe_os_error
from figgen.lifeline import die_with_parent, watch_parent

_worker: dict = {}  # this process's project, pipe, thread count and loaded models


def serve(connection, project: Project, parent_pid: int, threads: int) -> None:
    """A worker's life: receive (task, arguments), send events and one result, until told to stop."""
    die_with_parent()
    watch_parent(parent_pid)
    # Ctrl-C is the main process's business: it stops the workers itself. SIGTERM (to the
    # process group) ends a worker silently: the main process prints the one line.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    init_worker(project, threads=threads)
    _worker["connection"] = connection
    tasks = {"model": train_model, "figure": render_figure}
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        kind, arguments = message
        result = tasks[kind](*arguments)
        result["executed"] = dict(exact_import.executed)
        connection.send(("result", result))


def init_worker(project: Project, events=None, threads: int = 1) -> None:
    """Prepare this process to run tasks (also used in-process by bench/naive.py)."""
    os.environ["MPLBACKEND"] = "Agg"
    os.environ.pop("MATPLOTLIBRC", None)  # figures draw under matplotlib's own defaults
    os.environ["OMP_NUM_THREADS"] = str(threads)
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")  # deterministic cuBLAS
    _worker.update(project=project, connection=None, threads=threads, loaded={})


def _send(event: dict) -> None:
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


def _failure(error: BaseException) -> dict:
    if isinstance(error, SyntaxError) and error.filename:  # where the author must look, nothing more
        message = f"{_relative(error.filename)}:{error.lineno}: SyntaxError: {error.msg}"
        return {"ok": False, "error": message, "bad_input": False, "traceback": ""}
    if isinstance(error, OSError) and _in_generated_folders(error.filename2 or error.filename):
        return {"ok": False, "error": describe_os_error(error), "bad_input": False, "traceback": ""}
    frames = traceback.format_exception(type(error), error, error.__traceback__)
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if not isinstance(error, FiggenError) and type(error).__name__ not in message:
        message = f"{type(error).__name__}: {message}"
    return {
        "ok": False,
        "error": message,
        "bad_input": isinstance(error, BadInput),
        "traceback": "".join(frames[-3:]).rstrip(),
    }


def _prepare_torch(device: str):
    import torch

    torch.set_num_threads(_worker["threads"])
    if device == "cuda":  # (torch.use_deterministic_algorithms would import the compiler: +3 s)
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False
    return torch.device(device)


def train_model(name: str, checkpoint: Path, device: str) -> dict:
    from figgen.context import model_class
    from figgen.loader import project_attribute
    from figgen.training.checkpoint import save_checkpoint
    from figgen.training.run import TrainingRun

    project: Project = _worker["project"]
    spec = project.models[name]
    started = time.perf_counter()
    try:
        torch_device = _prepare_torch(device)
        train = project_attribute(project.root, project.package, spec.recipe, "train")
        run = TrainingRun(spec=spec, model_class=model_class(project, spec), device=torch_device, report=_send)
        result = train(run)
        try:
            save_checkpoint(checkpoint, result.model, run.built_with or spec.architecture, result.metrics,
                            result.history)
        except RuntimeError:  # torch's C++ stream says only "basic_ios::clear: iostream error"
            raise OSError(0, "write failed (disk full?)", str(checkpoint)) from None
    except BaseException as error:  # SystemExit and KeyboardInterrupt from a recipe fail this task only
        return _failure(error)
    seconds = round(time.perf_counter() - started, 2)
    return {"ok": True, "seconds": seconds, "device": device, "metrics": _plain(result.metrics)}


def _plain(value):
    """Metrics as JSON-ready numbers, lists and dicts (figgen.json is read by Hugo)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):  # tensors, numpy arrays and scalars
        return _plain(value.tolist())
    if isinstance(value, float):
        return round(value, 6)
    return value


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


def render_figure(output: str, checkpoints: dict[str, Path]) -> dict:
    from figgen.context import FigureContext
    from figgen.loader import project_attribute
    from figgen.saving import save_figure
    from figgen.store import file_sha256, stat_signature

    project: Project = _worker["project"]
    figure = next(f for f in project.figures if f.output == output)
    target = project.output_file(figure)
    started = time.perf_counter()
    drawn = None
    try:
        _pristine_matplotlib()
        draw = project_attribute(project.root, project.package, figure.draw, "draw")
        context = FigureContext(project, figure, checkpoints, _worker["loaded"])
        drawn = draw(context)
        if drawn is None or not hasattr(drawn, "savefig"):
            raise TypeError(f"{figure.draw}.draw() must return a matplotlib Figure, not {type(drawn).__name__}")
        settings = project.settings
        width, height = save_figure(drawn, target, figure.format, settings.display_dpi, settings.pixel_ratio,
                                    background="auto" if figure.rendering == "dark" else "white")
    except UnreadableCheckpoint as error:
        return {**_failure(error), "unreadable_checkpoint": error.model}
    except BaseException as error:  # SystemExit and KeyboardInterrupt from draw() fail this figure only
        return _failure(error)
    finally:
        try:
            _close_figures(drawn)
        except Exception:
            pass
    return {
        "ok": True,
        "seconds": round(time.perf_counter() - started, 2),
        "device": "cpu",
        "width": width,
        "height": height,
        "stat": stat_signature(target),
        "sha256": file_sha256(target),
        "facts": _plain(context.facts),  # issue 12: numbers by name, for alt texts and pages
    }
