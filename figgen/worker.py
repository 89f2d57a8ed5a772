"""The work itself, run in worker processes: train one model, render one figure.

Heavy libraries (torch, matplotlib) are imported here, lazily, once per worker process.
Every task returns a plain dict; an exception becomes a failure record with the last frames
of its traceback, so one broken figure never stops the others.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import traceback
from pathlib import Path

from figgen.config import Project
from figgen.errors import BadInput, FiggenError

_worker: dict = {}  # this process's project, progress queue, thread count and loaded models


def init_worker(project: Project, events, threads: int) -> None:
    # Ctrl-C is the main process's business: it stops the workers itself, cleanly.
    # (A Dask worker runs tasks in a thread, where signal handlers cannot be set.)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["MPLBACKEND"] = "Agg"
    os.environ["OMP_NUM_THREADS"] = str(threads)
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")  # deterministic cuBLAS
    _worker.update(project=project, events=events, threads=threads, loaded={})


def _send(event: dict) -> None:
    events = _worker.get("events")
    if events is not None:
        events.put(event)


def _failure(error: BaseException) -> dict:
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
        train = project_attribute(project.root, project.package, "recipes", spec.recipe, "train")
        run = TrainingRun(spec=spec, model_class=model_class(project, spec), device=torch_device, report=_send)
        result = train(run)
        save_checkpoint(checkpoint, result.model, run.built_with or spec.architecture, result.metrics, result.history)
    except Exception as error:
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


def render_figure(output: str, checkpoints: dict[str, Path]) -> dict:
    from figgen.context import FigureContext
    from figgen.draw.save import png_size, save_png
    from figgen.loader import project_attribute
    from figgen.store import file_sha256

    project: Project = _worker["project"]
    figure = next(f for f in project.figures if f.output == output)
    target = project.output_file(figure)
    started = time.perf_counter()
    try:
        draw = project_attribute(project.root, project.package, "figures", figure.draw, "draw")
        drawn = draw(FigureContext(project, figure, checkpoints, _worker["loaded"]))
        if drawn is None or not hasattr(drawn, "savefig"):
            raise TypeError(f"{figure.draw}.draw() must return a matplotlib Figure, not {type(drawn).__name__}")
        save_png(drawn, target)
    except Exception as error:
        return _failure(error)
    stat = target.stat()
    width, height = png_size(target)
    return {
        "ok": True,
        "seconds": round(time.perf_counter() - started, 2),
        "device": "cpu",
        "width": width,
        "height": height,
        "stat": [stat.st_size, stat.st_mtime_ns],
        "sha256": file_sha256(target),
    }
