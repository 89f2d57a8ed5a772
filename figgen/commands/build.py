"""`figgen build`: train the stale models, draw the stale figures, skip the fresh ones.

The work is the engine's (figgen/build/engine.py); this prints its report and picks the exit code.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from figgen.build.engine import Build, BuildOptions, refuse_credentials_in_environment
from figgen.lock import DEFAULT_LOCK_TIMEOUT
from figgen.freshness.stamp import Snapshot
from figgen.workspace import open_workspace


def build(start: Path, names=(), force=False, device="auto", jobs=None, fail_fast=False,
          lock_timeout=DEFAULT_LOCK_TIMEOUT, out=sys.stdout, err=sys.stderr,
          no_push=False, executor="local", scheduler=None) -> int:
    started = time.perf_counter()
    options = BuildOptions(tuple(names), force, device, jobs, fail_fast, lock_timeout, no_push, executor, scheduler)
    snapshot = Snapshot(start) if options.whole else None  # before anything is read
    refuse_credentials_in_environment()  # before anything is read or written
    workspace = open_workspace(start)
    report = Build(workspace, options, progress(), lambda text: print(f"figgen: {text}", file=err), started).run()
    for warning in report.warnings:
        print(warning, file=err)
    if report.noop and snapshot and not report.unvouched:  # the stamp would answer without the warning
        snapshot.record(workspace.project, "build", [f"all {report.selected} figures up to date ({{seconds}} s)"],
                        report.warnings)
    print(report.text(), file=out)
    for line in report.unvouched:
        print(line, file=err)
    problem = report.problem()
    if problem:
        raise problem
    return 0


def progress():
    """Live progress on stderr (figgen.report.Progress), imported at the first event: a no-op
    build has none, and never pays for the runner's modules."""
    shown = []

    def on_event(event) -> None:
        if not shown:
            from figgen.report import Progress

            shown.append(Progress())
        shown[0](event)

    return on_event
