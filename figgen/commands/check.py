"""`figgen check`: the CI gate that keeps the pages and the generated figures in sync.

The rules are the engine's (figgen/build/site_rules.py); this prints what breaks them and
fails (exit 1) if anything does.
"""

from __future__ import annotations

import sys
from pathlib import Path

from figgen.build.site_rules import check_site
from figgen.errors import OutOfSync
from figgen.freshness.stamp import Snapshot
from figgen.read_only import reading_only
from figgen.workspace import open_workspace


def check(start: Path, out=sys.stdout, err=sys.stderr) -> int:
    reading_only()  # a read-only checkout: its caches are left as they are (figgen/read_only.py)
    snapshot = Snapshot(start)  # before anything is read
    workspace = open_workspace(start)
    report = check_site(workspace)
    for warning in report.warnings:
        print(warning, file=err)
    for problem in report.problems:
        print(problem, file=out)
    if report.problems:
        raise OutOfSync(f"{len(report.problems)} problem(s): {report.summary}")
    said = f"ok: {report.figures} figures fresh, every image the pages show exists"
    snapshot.record(workspace.project, "check", [said], report.warnings)
    print(said, file=out)
    return 0
