"""Carry out a plan: train the stale models, then render each figure as soon as its models exist.

Work runs in a pool of worker processes (heavy imports are paid once per worker, not once per
figure). Each finished task is recorded at once, atomically, so an interrupted build loses only
the tasks that were still running.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from figgen import worker
from figgen.config import Project
from figgen.planner import Plan
from figgen.store import FigureRecords, ModelStore

BUILT, FAILED, SKIPPED = "built", "failed", "skipped"


@dataclass
class Outcome:
    kind: str  # "model" or "figure"
    name: str  # model name or figure site path
    status: str
    seconds: float = 0.0
    device: str = ""
    error: str = ""
    traceback: str = ""
    bad_input: bool = False


def threads_per_worker(jobs: int) -> int:
    return max(1, (os.cpu_count() or 1) // jobs)


def execute(project: Project, plan: Plan, store: ModelStore, records: FigureRecords,
            device: str, jobs: int, fail_fast: bool, on_event, pool=None) -> list[Outcome]:
    """`pool`: another concurrent.futures executor for the same tasks (figgen/executors/)."""
    fingerprints = plan.fingerprints
    checkpoints = {
        name: store.checkpoint(name, fingerprints.models[name])
        for figure in plan.figures for name in figure.models
    }
    untrained = set(plan.models)
    waiting = list(plan.figures)
    outcomes: list[Outcome] = []
    context = multiprocessing.get_context("fork")
    events = context.Queue()
    pool = pool or ProcessPoolExecutor(
        max_workers=jobs, mp_context=context,
        initializer=worker.init_worker, initargs=(project, events, threads_per_worker(jobs)),
    )
    running: dict = {}

    def submit_ready_figures() -> None:
        for figure in [f for f in waiting if not untrained.intersection(f.models)]:
            waiting.remove(figure)
            needed = {name: checkpoints[name] for name in figure.models}
            running[pool.submit(worker.render_figure, figure.output, needed)] = ("figure", figure.output)
            on_event({"started": "figure", "name": figure.output})

    def skip_dependents(model: str, reason: str) -> None:
        for figure in [f for f in waiting if model in f.models]:
            waiting.remove(figure)
            outcomes.append(Outcome("figure", figure.output, SKIPPED, error=reason))

    try:
        for name in plan.models:
            on_event({"started": "model", "name": name})
            running[pool.submit(worker.train_model, name, checkpoints[name], device)] = ("model", name)
        submit_ready_figures()
        while running:
            done, _ = wait(running, timeout=0.2, return_when=FIRST_COMPLETED)
            _drain(events, on_event)
            for future in done:
                kind, name = running.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    result = {"ok": False, "error": "its worker process died (killed, or out of memory)"}
                outcome = _record(kind, name, result, store, records, fingerprints)
                outcomes.append(outcome)
                on_event({"finished": kind, "outcome": outcome})
                if kind == "model":
                    untrained.discard(name)
                    if outcome.status == FAILED:
                        skip_dependents(name, f"model '{name}' failed")
                if outcome.status == FAILED and fail_fast:
                    _stop(pool, running, waiting, untrained, outcomes)
                    break
            else:
                submit_ready_figures()
        _drain(events, on_event)
    except BaseException:
        _terminate(pool)
        raise
    pool.shutdown(wait=True)
    return outcomes


def _record(kind, name, result, store, records, fingerprints) -> Outcome:
    if not result.get("ok"):
        if kind == "figure":  # the previous image stays on disk; its record says why it is stale
            records.update(name, last_error=result["error"])
            records.save()
        return Outcome(kind, name, FAILED, error=result["error"], traceback=result.get("traceback", ""),
                       bad_input=result.get("bad_input", False))
    if kind == "model":
        store.save_record(name, fingerprints.models[name],
                          {"seconds": result["seconds"], "device": result["device"], "metrics": result["metrics"]})
    else:
        records.update(name, fingerprint=fingerprints.figures[name], last_error=None,
                       **{key: result[key] for key in ("seconds", "device", "width", "height", "stat", "sha256")})
        records.save()
    return Outcome(kind, name, BUILT, seconds=result["seconds"], device=result["device"])


def _stop(pool, running, waiting, untrained, outcomes) -> None:
    """--fail-fast: let nothing new start; what is running is abandoned."""
    for future, (kind, name) in list(running.items()):
        future.cancel()
        outcomes.append(Outcome(kind, name, SKIPPED, error="stopped by --fail-fast"))
    outcomes.extend(Outcome("figure", f.output, SKIPPED, error="stopped by --fail-fast") for f in waiting)
    running.clear()
    waiting.clear()
    _terminate(pool)


def _terminate(pool: ProcessPoolExecutor) -> None:
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


def _drain(events, on_event) -> None:
    while True:
        try:
            on_event(events.get_nowait())
        except queue.Empty:
            return
