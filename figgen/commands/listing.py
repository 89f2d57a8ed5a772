"""`figgen list`: one row per figure: the name `figgen build` accepts, its models, whether it is
up to date and, when it is not, why (the first input that changed; `figgen why NAME` says all)."""

from __future__ import annotations

import sys
from pathlib import Path

from figgen.commands.why import short_reason
from figgen.workspace import open_workspace


def list_figures(start: Path, out=sys.stdout, err=sys.stderr) -> int:
    from figgen.read_only import reading_only

    reading_only()  # a read-only checkout: its caches are left as they are
    workspace = open_workspace(start)
    status = workspace.statuses()
    rows = [("name", "models", "status", "reason", "seconds", "device")]
    for figure in workspace.project.figures:
        record = workspace.records.get(figure.output)
        seconds = record.seconds
        rows.append((
            figure.name,
            ", ".join([f"model:{m}" for m in figure.models]
                      + [f"{a} (arch.)" for a in figure.architectures if a not in figure.models]) or "-",
            status[figure.output],
            short_reason(workspace, figure, status[figure.output]),
            f"{seconds:.1f}" if isinstance(seconds, (int, float)) else "-",
            record.device or "-",
        ))
    workspace.save_sources_cache()
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip(), file=out)
    for error in sorted({e for e in map(workspace.syntax_error, workspace.project.figures) if e}):
        print(f"figgen: warning: {error}", file=err)
    return 0
