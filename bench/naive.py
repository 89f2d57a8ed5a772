"""The naive baseline: what a plain script (or a Makefile without fingerprints) does.

One process trains every model and draws every figure, in order, from scratch: no cache, no
parallelism, no skipping. `bench/run.py` times it beside figgen on the same project.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from figgen import worker
from figgen.config import load_project
from figgen.tasks import FigureTask, ModelTask


def main(root: Path) -> None:
    project = load_project(root)
    worker.init_worker(project, events=None, threads=os.cpu_count() or 1)  # all cores, as torch would
    checkpoints = {}
    with tempfile.TemporaryDirectory() as folder:
        for name in project.models:
            checkpoints[name] = Path(folder) / f"{name}.pt"
            result = worker.run(ModelTask(name, checkpoints[name], "cpu", timeout=float("inf")))
            if not result.ok:
                raise SystemExit(f"model {name}: {result.error}")
        for figure in project.figures:
            task = FigureTask(figure.output, {m: checkpoints[m] for m in figure.models}, timeout=float("inf"))
            result = worker.run(task)
            if not result.ok:
                raise SystemExit(f"figure {figure.output}: {result.error}")
            print(f"{figure.output}  built  {result.seconds:.1f}  cpu")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
