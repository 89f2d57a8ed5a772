"""Run the runner's tasks on any concurrent.futures executor (a Dask cluster, this process).

The runner speaks to WorkerPool's seam: `submit(task)`, `wait()` for `(task, result)` pairs,
`busy()`, `running()`, `close()`, `terminate()`. This adapter gives that seam to an executor
whose `submit(fn, *args)` returns a future of the task's result dict. Per-task time limits are
WorkerPool's alone: a remote or in-process task cannot be killed on its own.
"""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Executor, Future
from concurrent.futures import wait as wait_for

from figgen import worker
from figgen.pool import Task

TASK_FUNCTIONS = {"model": worker.train_model, "figure": worker.render_figure}


class FuturesPool:
    def __init__(self, executor: Executor):
        self.executor = executor
        self.futures: dict[Future, Task] = {}

    def submit(self, task: Task) -> None:
        self.futures[self.executor.submit(TASK_FUNCTIONS[task.kind], *task.arguments)] = task

    def busy(self) -> bool:
        return bool(self.futures)

    def running(self) -> list[Task]:
        return list(self.futures.values())

    def wait(self, timeout: float = 0.2) -> list[tuple[Task, dict]]:
        done, _ = wait_for(self.futures, timeout=timeout, return_when=FIRST_COMPLETED)
        finished = []
        for future in done:
            task = self.futures.pop(future)
            try:
                finished.append((task, future.result()))
            except Exception as error:  # the executor lost the task: it fails, the build goes on
                finished.append((task, {"ok": False, "error": f"{type(error).__name__}: {error}"}))
        return finished

    def close(self) -> None:
        self.executor.shutdown(wait=True)

    def terminate(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
