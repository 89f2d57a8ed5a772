"""`figgen build --executor dask`: the runner's tasks, run by a Dask cluster (dask.distributed).

`DaskPool` is the futures pool (figgen/executors/futures.py) over `Client.get_executor()`: each
task travels as `run_on_dask(project, threads, task)`, which prepares figgen's worker state in
the Dask worker, forgets the project's package (its `__init__.py` included: a long-lived worker
must run today's code), then calls `worker.run(task)`, the local pool's very entry. So a Dask
build keeps the local pool's rules: the result names the source files it compiled (an edit
during the build is refused), a task past its `timeout:` fails by name at once, and the worker
still running it is restarted (its nanny starts a fresh process).

What runs where: planning, fingerprints, the lock and figgen.json stay in the `figgen build`
process; training and drawing run on the workers, which import the project's code from the same
path. Workers that do not share the project's disk share trained models through the remote
cache: a worker pushes the checkpoint it trained, the worker that draws with it (or `figgen
build` itself) pulls it. A drawn image, small, comes back inside its task's result. A
training's per-epoch progress comes back as events on a topic of the scheduler's (one per
build): the worker logs each `EpochDone`, the build's client turns it back into one.
"""

from __future__ import annotations

import os
import queue
import re
import uuid
from concurrent.futures import Future
from pathlib import Path

from figgen.errors import BadInput
from figgen.executors.futures import FuturesPool
from figgen.state import ModelRecord
from figgen.tasks import EpochDone, FigureTask, ModelTask, Output, Task, TaskResult, failed


def _distributed():
    try:
        import distributed
    except ImportError:
        raise BadInput("--executor dask needs the 'dask' extra: pip install 'figgen[dask]'") from None
    return distributed


class DaskPool(FuturesPool):
    """A `Pool` over a Dask cluster: `scheduler` address, or a local cluster of `workers` processes."""

    def __init__(self, project, scheduler: str | None, workers: int, threads: int | None, on_event=None):
        distributed = _distributed()
        self.project = project
        self.threads = threads
        self.cluster = None
        self.keys: dict[Future, str] = {}
        self.on_event = on_event or (lambda event: None)
        self.topic = f"figgen-progress-{uuid.uuid4().hex[:12]}"  # this build's: another's events stay apart
        self.events: queue.SimpleQueue = queue.SimpleQueue()  # filled on the client's thread, read on ours
        try:
            if scheduler:
                self.client = distributed.Client(scheduler, timeout="10s")
            else:  # real worker processes (with nannies, to restart them), one thread each
                self.cluster = distributed.LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                    dashboard_address=None, silence_logs=40,
                )
                self.client = distributed.Client(self.cluster)
        except OSError as error:  # unreachable scheduler, timeout
            raise BadInput(f"cannot reach the Dask scheduler {scheduler}: {error}") from None
        try:
            refuse_threaded_workers(self.client.nthreads(), scheduler)
        except BadInput:
            self.client.close()
            if self.cluster is not None:
                self.cluster.close()
            raise
        slots = sum(self.client.nthreads().values()) or workers
        self.client.subscribe_topic(self.topic, lambda logged: self.events.put(logged[1]))
        super().__init__(self.client.get_executor(pure=False), slots)

    def wait(self, timeout: float = 0.2) -> list[tuple[Task, TaskResult]]:
        finished = super().wait(timeout)
        self._tell_events()  # a model's epochs before its end: the worker logged them first
        return finished

    def _tell_events(self) -> None:
        while not self.events.empty():
            event = epoch_event(self.events.get())
            if event is not None:
                self.on_event(event)

    def _start(self, task: Task) -> Future:
        key = f"figgen-{task.kind}-{re.sub(r'[^A-Za-z0-9_.-]+', '_', task.name)}-{uuid.uuid4().hex[:8]}"
        future = self.executor.submit(run_on_dask, self.project, self.threads, task, self.topic, key=key)
        self.keys[future] = key
        return future

    def _result(self, task: Task, future: Future) -> TaskResult:
        self.keys.pop(future, None)
        try:
            result = future.result()
        except Exception as error:  # a killed worker, a lost connection: this task fails, not the build
            return failed(f"the Dask task failed: {type(error).__name__}: {error}")
        return fetch_missing_output(self.project, task, result) if result.ok else result

    def _stop_overdue(self, task: Task, future: Future) -> None:
        """Cancel the task and restart the worker that runs it: a Python thread cannot be stopped."""
        key = self.keys.pop(future, None)
        try:
            holder = next((worker for worker, keys in self.client.processing().items() if key in keys), None)
        except Exception:
            holder = None
        future.cancel()
        if holder is None:
            return
        try:
            self.client.restart_workers([holder], timeout=30)
        except Exception as error:  # a worker without a nanny cannot be restarted from here
            from figgen.store import warn

            warn(f"{task.name}: could not restart Dask worker {holder} ({type(error).__name__}): "
                 "the task may still be running there")

    def close(self) -> None:
        self._shut(cancel=False)

    def terminate(self) -> None:
        self.pending.clear()
        self._shut(cancel=True)

    def _shut(self, cancel: bool) -> None:
        try:
            self.client.unsubscribe_topic(self.topic)
            if cancel:
                for future in list(self.futures):
                    future.cancel()
            self.futures.clear()
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


def threaded_worker_message(worker: str, threads: int) -> str:
    return (f"Dask worker {worker} runs {threads} threads: figgen records what each task reads per process, "
            "so two tasks at once would cross their records; start workers with --nthreads 1")


def refuse_threaded_workers(nthreads: dict, scheduler: str | None) -> None:
    """One task per worker process: a worker with more threads is refused in one line (exit 2)."""
    threaded = {worker: count for worker, count in nthreads.items() if count > 1}
    if threaded:
        worker, count = sorted(threaded.items())[0]
        raise BadInput(threaded_worker_message(worker, count))


# --- on the Dask worker --------------------------------------------------------------------


def epoch_event(logged) -> EpochDone | None:
    """An `EpochDone` from what a worker logged on the topic (a plain dict travels), or None."""
    try:
        return EpochDone(str(logged["model"]), int(logged["epoch"]), int(logged["epochs"]), float(logged["loss"]),
                         dict(logged.get("extra") or {}))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


class _Topic:
    """A task's events, logged on the build's topic (the local pool sends them down its pipe)."""

    def __init__(self, worker, topic: str):
        self.worker, self.topic = worker, topic

    def send(self, message) -> None:
        _, event = message
        if isinstance(event, EpochDone):
            self.worker.log_event(self.topic, {"model": event.model, "epoch": event.epoch, "epochs": event.epochs,
                                               "loss": float(event.loss), "extra": _plain(event.extra)})


def _plain(extra: dict) -> dict:
    """What the scheduler's wire carries (msgpack): numbers as floats, anything else as its text."""
    return {str(k): float(v) if isinstance(v, (int, float)) else str(v) for k, v in extra.items()}


def run_on_dask(project, threads: int | None, task: Task, topic: str | None = None) -> TaskResult:
    from distributed import get_worker

    from figgen import worker

    here = get_worker()
    if here.state.nthreads > 1:  # joined after the build started: this task fails, records stay apart
        return failed(threaded_worker_message(here.address, here.state.nthreads))
    if threads is None:
        threads = max(1, (os.cpu_count() or 1) // here.state.nthreads)
    worker.init_worker(project, _Topic(here, topic) if topic else None, threads)
    worker.forget_project_code(project.package)  # this build's code, not an earlier build's
    if isinstance(task, FigureTask):
        _pull_missing_checkpoints(project, task.checkpoints)
    result = worker.run(task)
    if result.ok and isinstance(task, ModelTask):
        _push_checkpoint(project, task, result)
    if result.ok and isinstance(task, FigureTask):  # an image is small: it travels with its result
        for path, output in result.outputs.items():
            output.content = Path(path).read_bytes()
    return result


# --- sharing results through the remote cache (workers on other machines) -------------------


def _remote(project):
    from figgen.remote_cache import RemoteCache, configured_url, pushes_allowed

    url = configured_url(project.cache_url)
    return RemoteCache(url, push=pushes_allowed(False), timeout=project.cache_timeout) if url else None


def _pull_missing_checkpoints(project, checkpoints: dict) -> None:
    missing = {name: Path(path) for name, path in checkpoints.items() if not Path(path).exists()}
    remote = _remote(project) if missing else None
    if remote:
        from figgen.store import ModelStore

        for name, path in missing.items():
            remote.pull_model(ModelStore(path.parent.parent), name, path.stem)


def _push_checkpoint(project, task: ModelTask, result: TaskResult) -> None:
    """A trained model goes to the remote cache at once, for the workers that draw with it."""
    remote = _remote(project)
    if remote is None or not remote.push_allowed:
        return
    written = result.output()
    record = ModelRecord(sha256=written.sha256, size=written.stat[0], seconds=result.seconds, device=result.device,
                         metrics=result.metrics or {})
    remote.push_checkpoint(task.name, task.checkpoint.stem, task.checkpoint, record.to_json())


# --- back in `figgen build` ----------------------------------------------------------------


def fetch_missing_output(project, task: Task, result: TaskResult) -> TaskResult:
    """Put a worker's output on this disk if the worker's disk is another one; stat it here."""
    from figgen.atomic import write_atomically
    from figgen.store import file_sha256, stat_signature

    if isinstance(task, FigureTask):
        produced = result.output()
        target = project.output_file(next(f for f in project.figures if f.output == task.output))
        if not target.exists() or file_sha256(target) != produced.sha256:
            write_atomically(target, produced.content)
        result.outputs = {str(target): Output(sha256=produced.sha256, stat=stat_signature(target))}
        return result
    if task.checkpoint.exists():
        return result
    remote = _remote(project)
    if remote:
        from figgen.store import ModelStore

        if remote.pull_model(ModelStore(task.checkpoint.parent.parent), task.name, task.checkpoint.stem):
            return result
    return failed(f"the Dask worker saved model {task.name} on its own disk: give the cluster a "
                  "shared folder or a remote cache (cache: url in figgen.yaml)")
