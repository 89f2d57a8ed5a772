"""A build's home: `Build(workspace).run()` plans, trains the stale models, draws the stale
figures, records them and publishes figgen.json, then returns a typed `BuildReport`.

`figgen build`, `figgen watch` and whoever else builds (a test, the bench) are callers: they
parse, print the report and pick an exit code. Nothing here prints but through the callbacks a
caller gives (`on_event` for progress, `on_wait` for the project lock).
"""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass, field, replace

from figgen.atomic import remove_leftover_temporaries
from figgen.errors import BadInput, BuildFailed, FiggenError
from figgen.lock import DEFAULT_LOCK_TIMEOUT, project_lock
from figgen.names import figures_named
from figgen.planner import FRESH, Plan, make_plan, models_to_train
from figgen.training.device import DEVICE_CHOICES
from figgen.workspace import Workspace


@dataclass(frozen=True)
class BuildOptions:
    """What a caller may ask of a build; refused at once (BadInput) if it cannot be done."""

    names: tuple[str, ...] = ()
    force: bool = False
    device: str = "auto"
    jobs: int | None = None
    fail_fast: bool = False
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    no_push: bool = False
    executor: str = "local"
    scheduler: str | None = None

    def __post_init__(self):
        if self.jobs is not None and self.jobs < 1:
            raise BadInput(f"--jobs must be at least 1, not {self.jobs}")
        if self.device not in DEVICE_CHOICES:
            raise BadInput(f"unknown device '{self.device}' (choose from {', '.join(DEVICE_CHOICES)})")
        if self.device in ("cuda", "mps"):  # asked for by name: refuse at once if it is not there
            from figgen.training.device import resolve_device

            resolve_device(self.device)

    @property
    def whole(self) -> bool:
        """A plain build of every figure: its no-op answer may be stamped (figgen/freshness/stamp.py)."""
        return not self.names and not self.force


@dataclass
class BuildReport:
    """What a build did: one outcome per task (pulled from the remote ones first)."""

    selected: int  # figures the build was asked about
    fresh: int = 0  # of those, already up to date
    outcomes: list = field(default_factory=list)  # runner.Outcome
    seconds: float = 0.0
    device: str = "cpu"
    transfers: str | None = None  # the remote cache's one-line summary, if one is configured
    noop: bool = False  # nothing to draw, nothing to push: the project lock was not even taken
    warnings: list = field(default_factory=list)  # claims this build's numbers make false (claim_pages.py)
    unvouched: list = field(default_factory=list)  # figures whose reads figgen could not all see (reach.py)

    @property
    def failures(self) -> list:
        return [o for o in self.outcomes if o.status == "failed"]

    def problem(self) -> FiggenError | None:
        """The error a caller raises for this build (a bad input first: exit 2), or None."""
        failures = self.failures
        if any(o.bad_input for o in failures):
            return BadInput(next(o.error for o in failures if o.bad_input))
        if failures:
            return BuildFailed(f"{len(failures)} of {len(self.outcomes)} tasks failed (see above)")
        return None

    def text(self) -> str:
        """What `figgen build` prints on stdout."""
        if self.noop:
            return f"all {self.selected} figures up to date ({self.seconds:.2f} s)"
        from figgen.report import summary_table

        lines = [summary_table(self.outcomes, self.fresh, self.seconds, self.device)]
        return "\n".join(lines + ([self.transfers] if self.transfers else []))


class Build:
    """One build of a workspace: `plan()` says what is stale, `run()` does it, `publish()`
    writes figgen.json from the records (under the project lock, as `run` calls it)."""

    def __init__(self, workspace: Workspace, options: BuildOptions = BuildOptions(), on_event=None, on_wait=None,
                 started: float | None = None):
        """`on_event(event)`: each task started or finished, each epoch; `on_wait(text)`: the
        project lock is held by another build (typing.Callable is not imported: a no-op's budget).
        `started`: the caller's time.perf_counter() when it began (reading the project counts)."""
        self.started = started if started is not None else time.perf_counter()
        self.workspace = workspace
        self.options = options
        self.on_event = on_event or (lambda event: None)
        self.on_wait = on_wait or (lambda text: None)
        self.selected = figures_named(workspace.project, tuple(options.names))
        self.changed = False  # whether this build recorded anything: figgen.json is then composed again

    def record(self, *recorded) -> None:
        """The one writer of what a build remembers: the runner and the remote cache hand it
        what they learnt (figgen/recorded.py)."""
        record(self.workspace, *recorded)
        self.changed = self.changed or bool(recorded)

    def plan(self) -> Plan:
        workspace = self.workspace
        return make_plan(workspace.project, workspace.fingerprints, workspace.records, self.selected, self.options.force)

    def run(self, pool=None) -> BuildReport:
        """`pool`: any figgen.pool.Pool; by default the one `options.executor` names."""
        workspace, options = self.workspace, self.options
        plan = self.plan()
        if not plan.figures and not _pushes_waiting(workspace.project, options.no_push) and not self._exports_due():
            _finish_noop(workspace, plan.status, options.lock_timeout, self.on_wait)
            return BuildReport(len(self.selected), len(self.selected), seconds=time.perf_counter() - self.started,
                               noop=True, warnings=_false_claims(workspace.project),
                               unvouched=_unvouched(workspace, self.selected))

        from figgen.hermetic import prepare_build

        prepare_build()  # forked workers inherit a fixed hash seed and figgen's MPLCONFIGDIR (figgen/hermetic.py)
        with project_lock(workspace.project.root, options.lock_timeout, self.on_wait):
            workspace.reload_records()  # another build may have done part of the work meanwhile
            plan = self.plan()
            for folder in (workspace.project.images, workspace.project.cache):
                remove_leftover_temporaries(folder)
            _refuse_foreign_files(workspace, plan)  # an author's file at a declared output: never overwritten
            remote = _remote(workspace.project, options.no_push)  # None unless a remote cache is configured
            pulled = remote.pull_before_build(workspace, plan, self.record) if remote and not options.force else []
            plan.models = models_to_train(plan, workspace.store, options.force)
            pulled += self._prepare_exports(plan, remote)  # an export pulled, or its model trained
            _check_hyperparameters(workspace, plan)
            _check_params(workspace, plan)
            device_used = _training_device(options.device) if plan.models else "cpu"
            outcomes = self._execute(plan, device_used, pool) if not plan.is_noop else []
            workspace.recompute()  # with what the tasks were seen reading (figgen/recording.py)
            from figgen.dependencies import settle  # figures that read images this build wrote

            outcomes = settle(workspace, self.selected, outcomes, lambda again: self._execute(again, device_used, pool),
                              self.on_wait)  # on_wait: the build's one channel for a notice line
            plan.fingerprints = workspace.fingerprints
            outcomes += self._make_exports(remote)  # models for the browser (figgen/export/)
            if remote:  # noted before the push: a push that fails, or never happens, is retried
                _remember_pushes(workspace, plan, outcomes)
            try:
                status = workspace.statuses()
                if self.changed or _figgen_json_is_stale(workspace, status):  # a projection of the state
                    _finish(workspace, status)
                _remember_written(workspace)
            finally:  # after publishing: a pushed manifest holds the record's inputs and date too
                if remote:
                    remote.push_pending(workspace)

        fresh = sum(plan.status[f.output] == FRESH for f in self.selected) if not options.force else 0
        return BuildReport(len(self.selected), fresh, pulled + outcomes, time.perf_counter() - self.started,
                           device_used, remote.transfers.summary(remote.url, remote.push_allowed) if remote else None,
                           warnings=_false_claims(workspace.project), unvouched=_unvouched(workspace, self.selected))

    def publish(self) -> None:
        """Write figgen.json (and figgen_declared.json) from the records; only under the project lock."""
        _finish(self.workspace, self.workspace.statuses())

    def _exports_due(self) -> bool:
        """Models declared `export:` whose published export is not today's (a whole build makes them)."""
        if self.options.names:
            return False
        from figgen.export.building import exports_due

        return bool(exports_due(self.workspace))

    def _prepare_exports(self, plan, remote) -> list:
        if self.options.names:
            return []
        from figgen.export.building import prepare

        return prepare(self.workspace, plan, remote, self.record, self.options.force)

    def _make_exports(self, remote) -> list:
        if self.options.names:
            return []
        from figgen.export.building import make

        return make(self.workspace, self.record, remote, self.on_event)

    def _execute(self, plan, device: str, pool):
        return _execute(self.workspace, plan, device, self.options.jobs, self.options.fail_fast,
                        self.options.executor, self.options.scheduler, self.on_event, pool, self.record)


def record(workspace: Workspace, *recorded) -> None:
    """Save each change (figgen/recorded.py) to the store, at once and atomically, figures.json once."""
    from figgen.recorded import ExportSaved, FigureDrawn, FigureFailed, ModelDiscarded, ModelSaved

    store, records = workspace.store, workspace.records
    figures = False
    for change in recorded:
        match change:
            case FigureDrawn(output, figure_record):
                records.put(output, figure_record)
                figures = True
            case FigureFailed(output, error):
                records.put(output, records.get(output).failed(error))
                figures = True
            case ModelSaved(name, fingerprint, seconds, device, metrics, planned, discovered):
                if discovered is not None:
                    store.save_discovered(name, discovered)
                if planned is not None:
                    store.adopt(name, planned, fingerprint)
                store.save_record(name, fingerprint, seconds, device, metrics)  # nothing older stays
            case ModelDiscarded(name, fingerprint):
                store.discard(name, fingerprint)
            case ExportSaved(name, key, seconds, built_at, inputs):
                from figgen.export.store import export_store

                export_store(workspace.project).save_record(name, key, seconds=seconds, built_at=built_at, inputs=inputs)
            case _:
                raise TypeError(f"a build records no {type(change).__name__}")
    if figures:
        records.save()


def _unvouched(workspace: Workspace, selected) -> list[str]:
    """Never silently green: a figure whose reads figgen could not all see is named (reach.py)."""
    from figgen.reach import cannot_vouch

    return cannot_vouch(workspace, selected)


def _false_claims(project) -> list[str]:
    if not project.claims:
        return []  # a no-op build imports nothing it does not need
    from figgen.claim_pages import false_claim_warnings

    return false_claim_warnings(project)


def _finish_noop(workspace: Workspace, status: dict[str, str], lock_timeout: float, on_wait) -> None:
    """Nothing to draw: leave figgen.json alone unless one of its inputs changed since it was
    written (a page's metric calls, a record, a setting); then rewrite it under the lock, as a
    build does, so that it never pairs another build's new image with facts read before it."""
    workspace.save_sources_cache()
    if not _figgen_json_is_stale(workspace, status):
        return
    with project_lock(workspace.project.root, lock_timeout, on_wait):
        workspace.reload_records()  # a build that held the lock may have drawn and recorded meanwhile
        _finish(workspace, workspace.statuses())


def _figgen_json_is_stale(workspace: Workspace, status: dict[str, str]) -> bool:
    """Whether figgen.json (and figgen_declared.json), projections of the records, the pages and
    the settings, must be composed again, though no record changed."""
    from figgen.freshness.composed import figgen_json_is_current

    return bool(_inputs_to_record(workspace, status)) or not (
        figgen_json_is_current(workspace, status) or _figgen_json_holds_the_build(workspace, status))


def _figgen_json_holds_the_build(workspace: Workspace, status: dict[str, str]) -> bool:
    """Compose figgen.json without the lock: True (its digest remembered) if the file already
    holds exactly that, so that a no-op never waits for a running build to write nothing."""
    from figgen.freshness.composed import Inputs, remember_build
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
    from figgen.freshness.composed import Inputs, forget_build, remember_build
    from figgen.hugo_data import compose, write_if_changed

    from figgen.removed_figures import remove_undeclared

    workspace.save_sources_cache()
    gone = remove_undeclared(workspace.project, workspace.records)  # a figure taken out of figgen.yaml
    for output in gone:
        workspace.records.forget(output)
    if gone:
        workspace.records.save()
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
    from figgen.build.site_rules import placeholder_problems

    problems = [p for p in placeholder_problems(workspace, status, document) if p.fresh]
    if problems:
        raise BadInput(problems[0].message)


def _refuse_disagreeing_renderings(workspace: Workspace, status: dict[str, str]) -> None:
    """A figure's renderings must report the same facts: a colour scheme never changes a number."""
    from figgen.renderings import refuse_disagreeing_renderings

    refuse_disagreeing_renderings(workspace.project.figures, lambda output: workspace.records.get(output).facts
                                  if status[output] == FRESH else None)


def record_inputs(workspace: Workspace, status: dict[str, str]) -> None:
    """Store, with each figure built from its current fingerprint, the inputs of that
    fingerprint and the build's date, once: `figgen why` compares them with today's."""
    figures = _inputs_to_record(workspace, status)
    if not figures:
        return
    from datetime import datetime, timezone

    from figgen.recorded import FigureDrawn

    built_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    record(workspace, *(FigureDrawn(figure.output, replace(
        workspace.records.get(figure.output), inputs=workspace.fingerprints.figure_tree(figure),
        inputs_of=workspace.fingerprints.figures[figure.output], built_at=built_at)) for figure in figures))


def _inputs_to_record(workspace: Workspace, status: dict[str, str]) -> list:
    """The fresh figures whose record does not hold the inputs of their fingerprint yet."""
    return [figure for figure in workspace.project.figures
            if status[figure.output] == FRESH
            and workspace.records.get(figure.output).inputs_of != workspace.fingerprints.figures[figure.output]]


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
        recipe = _imported_or_none(lambda: import_project_module(project.root, project.package, spec.recipe),
                                   spec.key_lines.get("recipe") or spec.line)
        cls = _imported_or_none(lambda: model_class(project, spec), spec.key_lines.get("class") or spec.line)
        if recipe is None or cls is None:
            continue
        check_architecture(spec, cls)
        if name in plan.models and hasattr(recipe, "Hyperparameters"):
            parse_training(spec, recipe.Hyperparameters)


def _imported_or_none(load, line: int | None = None):
    """What `load` imports, or None where the project's code is broken (even sys.exit at import):
    that is the failure of the task that runs it, reported with the task, not here. A module or
    name that is not there is figgen.yaml's value at `line`: the error says where."""
    try:
        return load()
    except BadInput as error:
        if error.path is None and line:
            from figgen.config.model import CONFIG_NAME

            raise BadInput(error.message, CONFIG_NAME, line) from None
        raise
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
    from figgen.figure_params import figure_params
    from figgen.loader import forget_modules, import_project_module

    project = workspace.project
    try:
        for figure in plan.figures:
            module = _imported_or_none(lambda: import_project_module(project.root, project.package, figure.draw),
                                       figure.key_lines.get("draw") or figure.line)
            if module is not None:
                figure_params(figure, module)
    finally:
        forget_modules((project.package,))


def refuse_credentials_in_environment() -> None:
    from figgen.remote_cache import configured_url

    configured_url(None)  # FIGGEN_CACHE_URL with credentials: one line, exit 2 (figgen/redact.py)


def _refuse_foreign_files(workspace: Workspace, plan) -> None:
    from figgen.ownership import refuse_foreign_files

    refuse_foreign_files(workspace.project, workspace.records, plan.figures)


def _remember_written(workspace: Workspace) -> None:
    from figgen.ownership import remember

    remember(workspace.project, workspace.records)


def _remote(project, no_push: bool):
    from figgen.remote_cache import open_remote

    return open_remote(project.cache_url, no_push, timeout=project.cache_timeout, cache=project.cache)


def _execute(workspace: Workspace, plan, device: str, jobs, fail_fast, executor="local", scheduler=None,
             on_event=None, pool=None, recorder=None):
    import os

    from figgen.pool import make_pool
    from figgen.runner import TORCH_THREADS, execute

    # SIGTERM (CI cancelling a job) stops the build like Ctrl-C: workers are ended and only
    # complete files, written atomically, remain.
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    jobs = jobs or min(os.cpu_count() or 1, max(1, len(plan.figures) + len(plan.models)))
    try:
        # A local Dask cluster has `jobs` single-threaded workers, like the local pool.
        pool = pool or make_pool(executor, workspace.project, jobs, device, TORCH_THREADS, on_event, scheduler)
        return execute(workspace.project, plan, workspace.store, recorder or (lambda change: record(workspace, change)),
                       workspace.sources, device, jobs, fail_fast, on_event, pool=pool)
    finally:
        signal.signal(signal.SIGTERM, previous)
