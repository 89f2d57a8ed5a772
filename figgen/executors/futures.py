"""A `Pool` over any concurrent.futures executor (Dask's `Client.get_executor()`, a thread pool).

Each task is `worker.run(task)`, the same entry as the local pool's. At most `slots` tasks are
submitted at once (as many as the executor runs side by side), so a task starts when it is
submitted and its time limit counts from then, as in the local pool. A task past its limit is
reported by name at once; `_stop_overdue` says how the executor stops it (a plain executor can
only cancel what has not started: DaskPool also restarts the worker that runs it).
"""

from __future__ import annotations

import collections
import time
from concurrent.futures import FIRST_COMPLETED, Executor, Future
from concurrent.futures import wait as wait_for

from figgen import worker
from figgen.tasks import Task, TaskResult, failed, time_limit_error


class FuturesPool:
    def __init__(self, executor: Executor, slots: int):
        self.executor = executor
        self.slots = max(1, slots)
        self.pending: collections.deque[Task] = collections.deque()
        self.futures: dict[Future, tuple[Task, float]] = {}  # future -> (task, deadline)

    # --- the Pool protocol -----------------------------------------------------------------

    def submit(self, task: Task) -> None:
        self.pending.append(task)

    def busy(self) -> bool:
        return bool(self.pending) or bool(self.futures)

    def running(self) -> list[Task]:
        return [task for task, _ in self.futures.values()] + list(self.pending)

    def wait(self, timeout: float = 0.2) -> list[tuple[Task, TaskResult]]:
        self._dispatch()
        if not self.futures:
            return []
        now = time.monotonic()
        until = min([now + timeout] + [deadline for _, deadline in self.futures.values()])
        done, _ = wait_for(list(self.futures), timeout=max(0.0, until - now), return_when=FIRST_COMPLETED)
        finished = []
        for future in done:
            task, _ = self.futures.pop(future)
            finished.append((task, self._result(task, future)))
        now = time.monotonic()
        for future, (task, deadline) in list(self.futures.items()):
            if now >= deadline:
                del self.futures[future]
                self._stop_overdue(task, future)
                finished.append((task, failed(time_limit_error(task.timeout))))
        return finished

    def close(self) -> None:
        self.executor.shutdown(wait=True)

    def terminate(self) -> None:
        self.pending.clear()
        for future in list(self.futures):
            future.cancel()
        self.futures.clear()
        self.executor.shutdown(wait=False, cancel_futures=True)

    # --- what an executor may refine -------------------------------------------------------

    def _start(self, task: Task) -> Future:
        return self.executor.submit(worker.run, task)

    def _result(self, task: Task, future: Future) -> TaskResult:
        try:
            return future.result()
        except Exception as error:  # the executor lost the task: it fails, the build goes on
            return failed(f"{type(error).__name__}: {error}")

    def _stop_overdue(self, task: Task, future: Future) -> None:
        future.cancel()

    def _dispatch(self) -> None:
        while self.pending and len(self.futures) < self.slots:
            task = self.pending.popleft()
            self.futures[self._start(task)] = (task, time.monotonic() + task.timeout)
