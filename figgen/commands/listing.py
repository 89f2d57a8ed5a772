"""`figgen list`: one row per figure, with its models and whether it is up to date."""

from __future__ import annotations

import sys
from pathlib import Path

from figgen.workspace import open_workspace


def list_figures(start: Path, out=sys.stdout, err=sys.stderr) -> int:
    workspace = open_workspace(start)
    status = workspace.statuses()
    workspace.save_sources_cache()
    rows = [("figure", "models", "status", "seconds", "device")]
    for figure in workspace.project.figures:
        record = workspace.records.get(figure.output)
        seconds = record.get("seconds")
        rows.append((
            figure.output,
            ", ".join(figure.models + tuple(f"{a} (arch.)" for a in figure.architectures if a not in figure.models)) or "-",
            status[figure.output],
            f"{seconds:.1f}" if isinstance(seconds, (int, float)) else "-",
            record.get("device") or "-",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip(), file=out)
    for error in sorted({e for e in map(workspace.syntax_error, workspace.project.figures) if e}):
        print(f"figgen: warning: {error}", file=err)
    return 0
