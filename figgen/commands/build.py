"""`figgen build`: train the stale models, draw the stale figures, skip the fresh ones."""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

from figgen.atomic import remove_leftover_temporaries
from figgen.errors import BadInput, BuildFailed, FiggenError
from figgen.lock import DEFAULT_LOCK_TIMEOUT, project_lock
from figgen.names import figures_named
from figgen.noop_stamp import Snapshot
from figgen.planner import FRESH, make_plan, models_to_train
from figgen.training.device import DEVICE_CHOICES
from figgen.workspace import Workspace, open_workspace


def build(start: Path, names=(), force=False, device="auto", jobs=None, fail_fast=False,
          lock_timeout=DEFAULT_LOCK_TIMEOUT, out=sys.stdout, err=sys.stderr,
          no_push=False, executor="local", scheduler=None) -> int:
    started = time.perf_counter()
    snapshot = Snapshot(start) if not names and not force else None  # before anything is read
    if jobs is not None and jobs < 1:
        raise BadInput(f"--jobs must be at least 1, not {jobs}")
    if device not in DEVICE_CHOICES:
        raise BadInput(f"unknown device '{device}' (choose from {', '.join(DEVICE_CHOICES)})")
    if device in ("cuda", "mps"):  # asked for by name: refuse at once if it is not there
        from figgen.training.device import resolve_device

        resolve_device(device)
    workspace = open_workspace(start)
    selected = figures_named(workspace.project, tuple(names))
    plan = make_plan(workspace.project, workspace.fingerprints, workspace.records, selected, force)
    if not plan.figures and not _pushes_waiting(workspace.project, no_push):
        _finish_noop(workspace, plan.status, lock_timeout, err)
        unvouched = _say_unvouched(workspace, selected, err)
        said = f"all {len(selected)} figures up to date"
        if snapshot and not unvouched:  # the stamp would answer without the warning
            snapshot.record(workspace.project, "build", [said + " ({seconds} s)"])
        print(f"{said} ({time.perf_counter() - started:.2f} s)", file=out)
        return 0

    from figgen.hermetic import prepare_build

    prepare_build()  # forked workers inherit a fixed hash seed and figgen's MPLCONFIGDIR (figgen/hermetic.py)
    with project_lock(workspace.project.root, lock_timeout, lambda text: print(f"figgen: {text}", file=err)):
        workspace.reload_records()  # another build may have done part of the work meanwhile
        plan = make_plan(workspace.project, workspace.fingerprints, workspace.records, selected, force)
        for folder in (workspace.project.images, workspace.project.cache):
            remove_leftover_temporaries(folder)
        remote = _remote(workspace.project, no_push)  # None unless a remote cache is configured
        pulled = remote.pull_before_build(workspace, plan) if remote and not force else []
        plan.models = models_to_train(plan, workspace.store, force)
        _check_hyperparameters(workspace, plan)
        _check_params(workspace, plan)
        device_used = _training_device(device) if plan.models else "cpu"
        outcomes = _execute(workspace, plan, device_used, jobs, fail_fast, executor, scheduler) if not plan.is_noop else []
        workspace.recompute()  # with what the tasks were seen reading (figgen/recording.py)
        from figgen.dependencies import settle  # figures that read images this build wrote

        outcomes = settle(workspace, selected, outcomes, lambda again: _execute(workspace, again, device_used, jobs, fail_fast,
                                                                       executor, scheduler), err)
        plan.fingerprints = workspace.fingerprints
        if remote:  # noted before the push: a push that fails, or never happens, is retried
            _remember_pushes(workspace, plan, outcomes)
        try:
            _finish(workspace, workspace.statuses())
        finally:  # after _finish: a pushed manifest holds the record's inputs and date too
            if remote:
                remote.push_pending(workspace)

    from figgen.report import summary_table

    fresh = sum(plan.status[f.output] == FRESH for f in selected) if not force else 0
    print(summary_table(pulled + outcomes, fresh, time.perf_counter() - started, device_used), file=out)
    if remote:
        print(remote.transfers.summary(remote.url, remote.push_allowed), file=out)
    _say_unvouched(workspace, selected, err)
    failures = [o for o in outcomes if o.status == "failed"]
    if any(o.bad_input for o in failures):
        raise BadInput(next(o.error for o in failures if o.bad_input))
    if failures:
        raise BuildFailed(f"{len(failures)} of {len(outcomes)} tasks failed (see above)")
    return 0


def _say_unvouched(workspace: Workspace, selected, err) -> list[str]:
    """Never silently green: a figure whose reads figgen could not all see is named (reach.py)."""
    from figgen.reach import cannot_vouch

    lines = cannot_vouch(workspace, selected)
    for line in lines:
        print(line, file=err)
    return lines


def _finish_noop(workspace: Workspace, status: dict[str, str], lock_timeout: float, err) -> None:
    """Nothing to draw: leave figgen.json alone unless one of its inputs changed since it was
    written (a page's metric calls, a record, a setting); then rewrite it under the lock, as a
    build does, so that it never pairs another build's new image with facts read before it."""
    from figgen.data_digest import figgen_json_is_current

    workspace.save_sources_cache()
    if not _inputs_to_record(workspace, status) and (
            figgen_json_is_current(workspace, status) or _figgen_json_holds_the_build(workspace, status)):
        return
    with project_lock(workspace.project.root, lock_timeout, lambda text: print(f"figgen: {text}", file=err)):
        workspace.reload_records()  # a build that held the lock may have drawn and recorded meanwhile
        _finish(workspace, workspace.statuses())


def _figgen_json_holds_the_build(workspace: Workspace, status: dict[str, str]) -> bool:
    """Compose figgen.json without the lock: True (its digest remembered) if the file already
    holds exactly that, so that a no-op never waits for a running build to write nothing."""
    from figgen.data_digest import Inputs, remember_build
    from figgen.hugo_data import compose, holds

    inputs = Inputs(workspace, status)  # before composing reads the files it names
    document = compose(workspace.project, workspace.fingerprints, status, workspace.records, workspace.store)
    if not holds(workspace.project, document):
        return False
    _refuse_unknown_placeholders(workspace, status, document)
    _refuse_disagreeing_renderings(workspace, status)
    remember_build(workspace, inputs)
    return True


def _finish(workspace: Workspace, status: dict[str, str]) -> None:
    """Write figgen.json from the records; only ever called under the project lock."""
    from figgen.data_digest import Inputs, forget_build, remember_build
    from figgen.hugo_data import compose, write_if_changed

    workspace.save_sources_cache()
    forget_build(workspace)  # until figgen.json is written and its texts are checked
    record_inputs(workspace, status)
    inputs = Inputs(workspace, status)  # before composing reads the files it names
    document = compose(workspace.project, workspace.fingerprints, status, workspace.records, workspace.store)
    write_if_changed(workspace.project, document)
    _refuse_unknown_placeholders(workspace, status, document)
    _refuse_disagreeing_renderings(workspace, status)
    remember_build(workspace, inputs)


def _refuse_unknown_placeholders(workspace: Workspace, status: dict[str, str], document: dict) -> None:
    """A placeholder naming a metric or fact that the build did not produce: figgen.yaml:LINE."""
    from figgen.commands.check import placeholder_problems

    problems = [p for p in placeholder_problems(workspace, status, document) if p.fresh]
    if problems:
        raise BadInput(problems[0].message)


def _refuse_disagreeing_renderings(workspace: Workspace, status: dict[str, str]) -> None:
    """A figure's renderings must report the same facts: a colour scheme never changes a number."""
    from figgen.renderings import refuse_disagreeing_renderings

    refuse_disagreeing_renderings(workspace.project.figures, lambda output: workspace.records.get(output).get("facts")
                                  if status[output] == FRESH else None)


def record_inputs(workspace: Workspace, status: dict[str, str]) -> None:
    """Store, with each figure built from its current fingerprint, the inputs of that
    fingerprint and the build's date, once: `figgen why` compares them with today's."""
    figures = _inputs_to_record(workspace, status)
    if not figures:
        return
    from datetime import datetime, timezone

    for figure in figures:
        built_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        workspace.records.update(figure.output, inputs=workspace.fingerprints.figure_tree(figure),
                                 inputs_of=workspace.fingerprints.figures[figure.output], built_at=built_at)
    workspace.records.save()


def _inputs_to_record(workspace: Workspace, status: dict[str, str]) -> list:
    """The fresh figures whose record does not hold the inputs of their fingerprint yet."""
    return [figure for figure in workspace.project.figures
            if status[figure.output] == FRESH
            and workspace.records.get(figure.output).get("inputs_of") != workspace.fingerprints.figures[figure.output]]


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
        recipe = _imported_or_none(lambda: import_project_module(project.root, project.package, spec.recipe))
        cls = _imported_or_none(lambda: model_class(project, spec))
        if recipe is None or cls is None:
            continue
        check_architecture(spec, cls)
        if name in plan.models and hasattr(recipe, "Hyperparameters"):
            parse_training(spec, recipe.Hyperparameters)


def _imported_or_none(load):
    """What `load` imports, or None where the project's code is broken (even sys.exit at import):
    that is the failure of the task that runs it, reported with the task, not here."""
    try:
        return load()
    except FiggenError:
        raise
    except KeyboardInterrupt:
        raise
    except BaseException:
        return None


def _pushes_waiting(project, no_push: bool) -> bool:
    """Whether an earlier build left pushes for the remote (one stat: a no-op build stays cheap).

    Every build, a no-op one too, refuses a cache URL that holds credentials.
    """
    from figgen.remote_cache import configured_url, pushes_allowed, pushes_pending

    return bool(configured_url(project.cache_url)) and pushes_allowed(no_push) and pushes_pending(project.cache)


def _remember_pushes(workspace: Workspace, plan, outcomes) -> None:
    from figgen.remote_cache import remember_pushes

    remember_pushes(workspace, plan, outcomes)


def _check_params(workspace: Workspace, plan) -> None:
    """Refuse a misspelt or out-of-range figure param (its module's `Params`) before anything is drawn.

    Only figures about to be drawn are checked: their params or their module changed, or they
    would not be stale; the no-op build imports no figure module. The project's modules imported
    here are forgotten afterwards, so that workers forked from this process import (and check
    against its fingerprint) the code as it is when they draw, as they would without this check.
    """
    import sys

    from figgen.figure_params import figure_params
    from figgen.loader import import_project_module

    project = workspace.project
    before = set(sys.modules)
    try:
        for figure in plan.figures:
            module = _imported_or_none(lambda: import_project_module(project.root, project.package, figure.draw))
            if module is not None:
                figure_params(figure, module)
    finally:
        for name in set(sys.modules) - before:
            if name == project.package or name.startswith(project.package + "."):
                del sys.modules[name]


def _remote(project, no_push: bool):
    from figgen.remote_cache import open_remote

    return open_remote(project.cache_url, no_push)


def _execute(workspace: Workspace, plan, device: str, jobs, fail_fast, executor="local", scheduler=None):
    import os

    from figgen.pool import make_pool
    from figgen.report import Progress
    from figgen.runner import TORCH_THREADS, execute

    # SIGTERM (CI cancelling a job) stops the build like Ctrl-C: workers are ended and only
    # complete files, written atomically, remain.
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    jobs = jobs or min(os.cpu_count() or 1, max(1, len(plan.figures) + len(plan.models)))
    try:
        progress = Progress()
        # A local Dask cluster has `jobs` single-threaded workers, like the local pool.
        pool = make_pool(executor, workspace.project, jobs, device, TORCH_THREADS, progress, scheduler)
        return execute(workspace.project, plan, workspace.store, workspace.records, workspace.sources, device,
                       jobs, fail_fast, progress, pool=pool)
    finally:
        signal.signal(signal.SIGTERM, previous)
