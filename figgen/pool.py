"""Where tasks run: the `Pool` protocol, `make_pool`, and the local pool of worker processes.

A pool takes `ModelTask`s and `FigureTask`s and gives back `(task, TaskResult)` pairs
(figgen.tasks). Every pool keeps the same rules: a task past its time limit is stopped and
reported by name, a lost worker fails the task it held and nothing else.

The local pool runs each task in a worker process of its own, one task at a time, so whatever
goes wrong costs that task only: a task past its time limit has its worker killed; a worker
that dies (os._exit, the OOM killer) fails the task it held, and a fresh worker takes the next.
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import wait as wait_for
from typing import Callable, Protocol

from figgen import hermetic, worker
from figgen.errors import BadInput
from figgen.tasks import Event, Task, TaskResult, failed, time_limit_error


class Pool(Protocol):
    """What the runner needs of whoever runs its tasks."""

    def submit(self, task: Task) -> None: ...

    def busy(self) -> bool: ...

    def running(self) -> list[Task]:
        """Tasks submitted and not yet returned by `wait`."""

    def wait(self, timeout: float = 0.2) -> list[tuple[Task, TaskResult]]:
        """The tasks that ended within `timeout` seconds (past their time limit included)."""

    def close(self) -> None: ...

    def terminate(self) -> None: ...


def make_pool(executor: str, project, jobs: int, device: str, threads: int,
              on_event: Callable[[Event], None], scheduler: str | None = None) -> Pool:
    """`local`: figgen's own worker processes; `dask`: a Dask cluster (`scheduler`, else a local one)."""
    if executor == "dask":
        from figgen.executors.dask_executor import DaskPool

        return DaskPool(project, scheduler, workers=jobs, threads=threads, on_event=on_event)
    return WorkerPool(jobs, start_method(device), project, threads, on_event)


@dataclass
class _Worker:
    process: object
    connection: object
    task: Task | None = None
    deadline: float = 0.0


def start_method(device: str) -> str:
    """fork is cheap, but CUDA (and MPS) cannot run in a forked child: those need spawn."""
    forced = os.environ.get("FIGGEN_START_METHOD", "").strip()
    if forced:
        if forced not in multiprocessing.get_all_start_methods():
            choices = ", ".join(multiprocessing.get_all_start_methods())
            raise BadInput(f"FIGGEN_START_METHOD={forced} is not a start method here (choose from {choices})")
        return forced
    if device in ("cuda", "mps") or "fork" not in multiprocessing.get_all_start_methods():
        return "spawn"
    return "fork"


def _death(exitcode) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        hint = ": out of memory?" if -exitcode == signal.SIGKILL else ""
        return f"its worker process was killed by {name}{hint}"
    return f"its worker process exited (code {exitcode}) before finishing"


class WorkerPool:
    def __init__(self, size: int, method: str, project, threads: int, on_event):
        if method == "fork" and not hermetic.hash_seed_fixed():
            # A forked worker keeps this interpreter's hash seed: workers fork from a server
            # started with PYTHONHASHSEED=0 instead, so a set's order is the same in every build.
            method = "forkserver"
        self.context = multiprocessing.get_context(method)
        if method == "forkserver":
            self.context.set_forkserver_preload(["figgen.worker"])
        self.parent = method != "forkserver"  # a worker's parent: this process, or the fork server
        self.size = size
        self.project = project
        self.threads = threads
        self.on_event = on_event
        self.pending: collections.deque[Task] = collections.deque()
        self.workers: list[_Worker] = []

    # --- the seam --------------------------------------------------------------------------

    def submit(self, task: Task) -> None:
        self.pending.append(task)

    def busy(self) -> bool:
        return bool(self.pending) or any(w.task for w in self.workers)

    def running(self) -> list[Task]:
        return [w.task for w in self.workers if w.task] + list(self.pending)

    def wait(self, timeout: float = 0.2) -> list[tuple[Task, TaskResult]]:
        """Start what can start, then return the tasks that ended within `timeout` seconds."""
        self._dispatch()
        busy = [w for w in self.workers if w.task]
        if not busy:
            return []
        until = min([time.monotonic() + timeout] + [w.deadline for w in busy])
        wait_for([w.connection for w in busy] + [w.process.sentinel for w in busy],
                 timeout=max(0.0, until - time.monotonic()))
        finished = []
        for slot in busy:
            result = self._collect(slot)
            if result is not None:
                finished.append((slot.task, result))
                slot.task = None
        self.workers = [w for w in self.workers if w.process.is_alive() or w.task]
        return finished

    # --- workers ---------------------------------------------------------------------------

    def _start_worker(self) -> _Worker:
        ours, theirs = self.context.Pipe()
        process = self.context.Process(
            target=worker.serve, args=(theirs, self.project, os.getpid() if self.parent else None, self.threads),
            name="figgen-worker", daemon=True,
        )
        with hermetic.fixed_hash_seed_for_children():  # a spawned or fork-server interpreter starts with it
            process.start()
        theirs.close()
        slot = _Worker(process, ours)
        self.workers.append(slot)
        return slot

    def _dispatch(self) -> None:
        while self.pending:
            idle = next((w for w in self.workers if w.task is None and w.process.is_alive()), None)
            if idle is None:
                if len(self.workers) >= self.size:
                    return
                idle = self._start_worker()
            task = self.pending.popleft()
            try:
                idle.connection.send(task)
            except (BrokenPipeError, OSError):
                self._retire(idle)
                self.pending.appendleft(task)  # that worker was already dead: another takes it
                continue
            idle.task, idle.deadline = task, time.monotonic() + task.timeout

    def _collect(self, slot: _Worker) -> TaskResult | None:
        """The task's result if it ended (well or not), None while it still runs."""
        try:
            while slot.connection.poll():
                _, payload = slot.connection.recv()
                if isinstance(payload, TaskResult):
                    return payload
                self.on_event(payload)  # a typed event (figgen.tasks.Event)
        except (EOFError, OSError):
            pass  # the pipe closed: the worker is gone
        if not slot.process.is_alive() or slot.connection.closed:
            slot.process.join(timeout=1)
            self._retire(slot)
            return failed(_death(slot.process.exitcode))
        if time.monotonic() >= slot.deadline:
            self._retire(slot)
            return failed(time_limit_error(slot.task.timeout))
        return None

    def _retire(self, slot: _Worker) -> None:
        _end(slot.process)
        slot.connection.close()
        if slot in self.workers:
            self.workers.remove(slot)

    def close(self) -> None:
        """Let idle workers exit; end the rest."""
        for slot in list(self.workers):
            try:
                slot.connection.send(None)
            except OSError:
                pass
        for slot in list(self.workers):
            slot.process.join(timeout=5)
            self._retire(slot)

    def terminate(self) -> None:
        for slot in list(self.workers):
            self._retire(slot)
        self.pending.clear()


def _end(process) -> None:
    from figgen.descendants import descendants, end

    below = descendants(process.pid) if process.is_alive() and process.pid else []  # the task's helpers
    _end_worker(process)
    end(below)


def _end_worker(process) -> None:
    if process.is_alive():
        process.terminate()
        process.join(timeout=3)
    if process.is_alive():
        process.kill()
        process.join(timeout=3)
