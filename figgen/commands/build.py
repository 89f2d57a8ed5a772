"""`figgen build`: train the stale models, draw the stale figures, skip the fresh ones."""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

from figgen.atomic import remove_leftover_temporaries
from figgen.errors import BadInput, BuildFailed
from figgen.hugo_data import compose, write_if_changed
from figgen.lock import DEFAULT_LOCK_TIMEOUT, project_lock
from figgen.planner import FRESH, make_plan, models_to_train, select_figures
from figgen.training.device import DEVICE_CHOICES
from figgen.workspace import Workspace, open_workspace


def build(start: Path, names=(), force=False, device="auto", jobs=None, fail_fast=False,
          lock_timeout=DEFAULT_LOCK_TIMEOUT, out=sys.stdout, err=sys.stderr,
          no_push=False, executor="local", scheduler=None) -> int:
    started = time.perf_counter()
    if jobs is not None and jobs < 1:
        raise BadInput(f"--jobs must be at least 1, not {jobs}")
    if device not in DEVICE_CHOICES:
        raise BadInput(f"unknown device '{device}' (choose from {', '.join(DEVICE_CHOICES)})")
    if device in ("cuda", "mps"):  # asked for by name: refuse at once if it is not there
        from figgen.training.device import resolve_device

        resolve_device(device)
    workspace = open_workspace(start)
    selected = select_figures(workspace.project, tuple(names))
    plan = make_plan(workspace.project, workspace.fingerprints, workspace.records, selected, force)
    if not plan.figures:
        _finish(workspace, plan.status)
        fresh = len(selected)
        print(f"all {fresh} figures up to date ({time.perf_counter() - started:.2f} s)", file=out)
        return 0

    with project_lock(workspace.project.cache, lock_timeout, lambda text: print(f"figgen: {text}", file=err)):
        workspace.reload_records()  # another build may have done part of the work meanwhile
        plan = make_plan(workspace.project, workspace.fingerprints, workspace.records, selected, force)
        for folder in (workspace.project.static, workspace.project.cache):
            remove_leftover_temporaries(folder)
        remote = _remote(workspace.project, no_push)  # None unless a remote cache is configured
        pulled = remote.pull_before_build(workspace, plan) if remote and not force else []
        plan.models = models_to_train(plan, workspace.store, force)
        _check_hyperparameters(workspace, plan)
        device_used = _training_device(device) if plan.models else "cpu"
        outcomes = _execute(workspace, plan, device_used, jobs, fail_fast, executor, scheduler) if not plan.is_noop else []
        if remote:
            remote.push_after_build(workspace, plan, outcomes)
        _finish(workspace, workspace.statuses())

    from figgen.report import summary_table

    fresh = sum(plan.status[f.output] == FRESH for f in selected) if not force else 0
    print(summary_table(pulled + outcomes, fresh, time.perf_counter() - started, device_used), file=out)
    if remote:
        print(remote.transfers.summary(remote.url, remote.push_allowed), file=out)
    failures = [o for o in outcomes if o.status == "failed"]
    if any(o.bad_input for o in failures):
        raise BadInput(next(o.error for o in failures if o.bad_input))
    if failures:
        raise BuildFailed(f"{len(failures)} of {len(outcomes)} tasks failed (see above)")
    return 0


def _finish(workspace: Workspace, status: dict[str, str]) -> None:
    workspace.save_sources_cache()
    document = compose(workspace.project, workspace.fingerprints, status, workspace.records, workspace.store)
    write_if_changed(workspace.project, document)


def _training_device(requested: str) -> str:
    from figgen.training.device import resolve_device

    return resolve_device(requested)


def _check_hyperparameters(workspace: Workspace, plan) -> None:
    """Refuse a misspelt or mistyped hyperparameter before anything is trained (exit 2)."""
    touched = {m for f in plan.figures for m in (*f.models, *f.architectures)}
    if not touched:
        return
    from figgen.context import model_class
    from figgen.loader import import_project_module
    from figgen.training.hyperparameters import check_architecture, parse_training

    project = workspace.project
    for name in sorted(touched):
        spec = project.models[name]
        check_architecture(spec, model_class(project, spec))
        if name in plan.models:
            recipe = import_project_module(project.root, project.package, "recipes", spec.recipe)
            if hasattr(recipe, "Hyperparameters"):
                parse_training(spec, recipe.Hyperparameters)


def _remote(project, no_push: bool):
    from figgen.remote_cache import open_remote

    return open_remote(project.cache_url, no_push)


def _execute(workspace: Workspace, plan, device: str, jobs, fail_fast, executor="local", scheduler=None):
    import os

    from figgen.report import Progress
    from figgen.runner import execute

    # SIGTERM (CI cancelling a job) stops the build like Ctrl-C: workers are ended and only
    # complete files, written atomically, remain.
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    jobs = jobs or min(os.cpu_count() or 1, max(1, len(plan.figures) + len(plan.models)))
    try:
        pool = _pool(executor, workspace.project, scheduler, jobs, len(plan.figures) + len(plan.models))
        return execute(workspace.project, plan, workspace.store, workspace.records, device, jobs, fail_fast,
                       Progress(), pool=pool)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _pool(executor: str, project, scheduler, jobs: int, tasks: int):
    """The executor for the runner; None: its own pool of local worker processes."""
    from figgen.runner import threads_per_worker

    if executor == "dask":
        from figgen.executors.dask_executor import DaskPool

        # A local cluster has `jobs` single-threaded workers; a real cluster's workers size themselves.
        return DaskPool(project, scheduler, workers=jobs, threads=None if scheduler else threads_per_worker(jobs))
    if executor == "inline" and tasks == 1:  # figgen watch's forked rebuild of one figure
        from figgen.executors.inline import InlinePool

        return InlinePool(project, threads_per_worker(1))
    return None
