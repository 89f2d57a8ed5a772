"""Carry out a plan: train the stale models, then render each figure as soon as its models exist.

Work runs in a pool of worker processes (figgen.pool: heavy imports are paid once per worker,
not once per figure). Each finished task is recorded at once, atomically, so an interrupted
build loses only the tasks that were still running. A result is recorded only if the source
its worker ran is the source that was fingerprinted: an edit during the build discards it.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from figgen.config import Project
from figgen.inputs import fingerprint, planned_reads
from figgen.planner import Plan
from figgen.pool import Pool, WorkerPool, start_method
from figgen.sources import SourceIndex
from figgen.state import FigureRecord
from figgen.store import FigureRecords, ModelStore, warn
from figgen.tasks import (BUILT, FAILED, SKIPPED, FigureTask, ModelTask, Outcome, Task, TaskFinished, TaskResult,
                          TaskStarted, failed)

# One intra-op thread per worker, whatever --jobs says: a model's weights must not depend on
# how many builds share the machine (thread count changes the order of float reductions).
TORCH_THREADS = 1


def model_task(project: Project, sources: SourceIndex, name: str, checkpoint: Path, device: str,
               tree: dict | None = None) -> ModelTask:
    spec = project.models[name]
    modules = [f"{project.package}.{spec.module}", f"{project.package}.{spec.recipe}"]
    inputs = {**sources.inputs(modules), **planned_reads(project, tree or {})}
    return ModelTask(name, checkpoint, device, spec.timeout, inputs)


def figure_task(project: Project, sources: SourceIndex, figure, checkpoints: dict,
                tree: dict | None = None) -> FigureTask:
    modules = [f"{project.package}.{figure.draw}"]
    modules += [f"{project.package}.{project.models[m].module}" for m in (*figure.models, *figure.architectures)]
    needed = {name: checkpoints[name] for name in figure.models}
    inputs = {**sources.inputs(modules), **planned_reads(project, tree or {})}
    return FigureTask(figure.output, needed, figure.timeout, inputs)


def execute(project: Project, plan: Plan, store: ModelStore, records: FigureRecords, sources: SourceIndex,
            device: str, jobs: int, fail_fast: bool, on_event, pool: Pool | None = None) -> list[Outcome]:
    """`pool`: any `Pool` (figgen.pool.make_pool), else figgen's own local worker processes."""
    fingerprints = plan.fingerprints
    checkpoints = {  # the planned figures' models, and those trained only to be exported (figgen/export/)
        name: store.checkpoint(name, fingerprints.models[name])
        for name in {*plan.models, *(name for figure in plan.figures for name in figure.models)}
    }
    untrained = set(plan.models)
    retrained: set[str] = set()  # models whose checkpoint was refused once in this build
    waiting = list(plan.figures)
    outcomes: list[Outcome] = []
    pool = pool or WorkerPool(jobs, start_method(device), project, TORCH_THREADS, on_event)

    def train(name: str) -> None:
        on_event(TaskStarted("model", name))
        pool.submit(model_task(project, sources, name, checkpoints[name], device, fingerprints.trees.model(name)))

    def submit_ready_figures() -> None:
        for figure in [f for f in waiting if not untrained.intersection(f.models)]:
            waiting.remove(figure)
            pool.submit(figure_task(project, sources, figure, checkpoints, fingerprints.trees.figure(figure)))
            on_event(TaskStarted("figure", figure.output))

    def skip_dependents(model: str, reason: str) -> None:
        for figure in [f for f in waiting if model in f.models]:
            waiting.remove(figure)
            outcomes.append(Outcome("figure", figure.output, SKIPPED, error=reason))

    def retrain_after_refused_checkpoint(task: Task, result: TaskResult) -> bool:
        """A checkpoint torch refuses to load is discarded and its model trained again, once."""
        model = result.unreadable_checkpoint
        if not model or model in retrained:
            return False
        warn(f"discarding {result.error}; training it again")
        retrained.add(model)
        store.discard(model, fingerprints.models[model])
        untrained.add(model)
        waiting.append(next(f for f in plan.figures if f.output == task.name))
        train(model)
        return True

    try:
        for name in plan.models:
            train(name)
        submit_ready_figures()
        while pool.busy():
            for task, result in pool.wait():
                if task.kind == "figure" and retrain_after_refused_checkpoint(task, result):
                    continue
                outcome = _record(task, _checked(task, result, project), store, records, fingerprints, project)
                outcomes.append(outcome)
                on_event(TaskFinished(outcome))
                if task.kind == "model":
                    untrained.discard(task.name)
                    checkpoints[task.name] = store.checkpoint(task.name, fingerprints.models[task.name])
                    if outcome.status == FAILED:
                        skip_dependents(task.name, f"model '{task.name}' failed")
                if outcome.status == FAILED and fail_fast:
                    _stop(pool, waiting, outcomes)
                    break
            submit_ready_figures()
    except BaseException:
        pool.terminate()
        raise
    pool.close()
    return outcomes


def _checked(task: Task, result: TaskResult, project: Project) -> TaskResult:
    """The result, unless its worker ran source other than what was fingerprinted."""
    if not result.ok:
        return result
    read = {os.path.realpath(project.root / path): digest for path, digest in result.read.items()}
    # a module's bytes (compiled) or its code digest (read: figgen/code_digest.py): either matches
    seen = {path: {d for d in (read.get(path), result.executed.get(path)) if d is not None} for path in task.inputs}
    moved = sorted(path for path, digest in task.inputs.items() if seen[path] and digest not in seen[path])
    if not moved:
        return result
    try:
        shown = os.path.relpath(moved[0], project.root)
    except ValueError:
        shown = moved[0]
    return replace(failed(f"{shown} changed during the build: result discarded, build again", discard=True),
                   executed=result.executed)


def _record(task: Task, result: TaskResult, store, records, fingerprints, project: Project) -> Outcome:
    kind, name = task.kind, task.name
    if not result.ok:
        if kind == "model" and result.discard:
            store.discard(name, fingerprints.models[name])
        if kind == "figure":  # the previous image stays on disk; its record says why it is stale
            records.put(name, records.get(name).failed(result.error))
            records.save()
        return Outcome(kind, name, FAILED, error=result.error, traceback=result.traceback, bad_input=result.bad_input)
    # What the task was seen reading joins its inputs tree: the fingerprint recorded is the
    # hash of that tree, with the digests the task read (the next build compares today's).
    discovered = {"read": result.read, "environment": result.environment, "unobserved": result.unobserved}
    if kind == "model":
        tree = fingerprints.trees.model(name, discovered)
        store.save_discovered(name, {key: tree[key] for key in ("read", "environment", "unobserved") if key in tree})
        store.adopt(name, fingerprints.models[name], fingerprint(tree))
        fingerprints.models[name] = fingerprint(tree)
        store.save_record(name, fingerprints.models[name], result.seconds, result.device, result.metrics)
    else:
        from datetime import datetime, timezone

        figure = next(f for f in project.figures if f.output == name)
        tree = fingerprints.trees.figure(figure, discovered)
        fingerprints.figures[name] = fingerprint(tree)
        image = result.output()
        records.put(name, FigureRecord(
            fingerprint=fingerprints.figures[name], seconds=result.seconds, device=result.device,
            width=result.width, height=result.height, stat=list(image.stat), sha256=image.sha256,
            facts=result.facts or {}, read=tree["read"], environment=tree["environment"],
            unobserved=tree.get("unobserved") or None, inputs=tree,
            inputs_of=fingerprints.figures[name], built_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat()))
        records.save()
    return Outcome(kind, name, BUILT, seconds=result.seconds, device=result.device)


def _stop(pool: Pool, waiting, outcomes) -> None:
    """--fail-fast: let nothing new start; what is running is abandoned."""
    for task in pool.running():
        outcomes.append(Outcome(task.kind, task.name, SKIPPED, error="stopped by --fail-fast"))
    outcomes.extend(Outcome("figure", f.output, SKIPPED, error="stopped by --fail-fast") for f in waiting)
    waiting.clear()
    pool.terminate()
