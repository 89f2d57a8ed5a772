"""Names in the order a reader counts: `accuracy_by_delay.5` before `accuracy_by_delay.40`."""

from __future__ import annotations

import re

_RUNS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple:
    """Text runs compare as text, digit runs as numbers ("delay.5" < "delay.40" < "delay.80")."""
    return tuple((1, int(run), run) if run.isdigit() else (0, 0, run) for run in _RUNS.split(name) if run)
