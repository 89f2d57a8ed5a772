"""`figgen build --executor dask`: the runner's tasks, sent to a Dask cluster (dask.distributed).

The runner submits `worker.train_model` and `worker.render_figure` to a concurrent.futures
executor and reads back a result dict; `DaskPool` is such an executor. Each task travels as
`run_task(project, threads, task, args)`, which sets up figgen's worker state in the Dask worker
process on first use, then runs the task there.

What runs where: planning, fingerprints, the lock and figgen.json stay in the `figgen build`
process; training and drawing run on the workers, which import the project's code from the same
path. Workers that do not share the project's disk share trained models through the remote
cache: a worker pushes the checkpoint it trained, the worker that draws with it (or `figgen
build` itself) pulls it. A drawn PNG, small, comes back with its task's result.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import Executor, Future, InvalidStateError
from pathlib import Path

from figgen.errors import BadInput

_prepared: dict = {}  # in a Dask worker process: the project root whose worker state is set up


def _distributed():
    try:
        import distributed
    except ImportError:
        raise BadInput("--executor dask needs the 'dask' extra: pip install 'figgen[dask]'") from None
    return distributed


class DaskPool(Executor):
    """A concurrent.futures executor over a Dask cluster: `scheduler` address, or a local one."""

    def __init__(self, project, scheduler: str | None, workers: int, threads: int | None):
        distributed = _distributed()
        self.project = project
        self.threads = threads
        self.cluster = None
        self._submitted: list = []
        try:
            if scheduler:
                self.client = distributed.Client(scheduler, timeout="10s")
            else:  # real worker processes, one thread each, as the local process pool
                self.cluster = distributed.LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                    dashboard_address=None, silence_logs=40,
                )
                self.client = distributed.Client(self.cluster)
        except OSError as error:  # unreachable scheduler, timeout
            raise BadInput(f"cannot reach the Dask scheduler {scheduler}: {error}") from None
        # A long-lived worker may still hold last build's project code: forget it.
        self.client.run(forget_project_code, project.package)

    def submit(self, fn, /, *args, **kwargs) -> Future:
        outer: Future = Future()
        inner = self.client.submit(run_task, self.project, self.threads, fn, args, pure=False)
        self._submitted.append(inner)

        def settle(done) -> None:
            try:
                result = done.result()
                if result.get("ok"):
                    result = fetch_missing_output(self.project, fn.__name__, args, result)
            except Exception as error:  # a killed worker, a lost connection: this task fails, not the build
                result = {"ok": False, "error": f"the Dask task failed: {type(error).__name__}: {error}"}
            try:
                outer.set_result(result)
            except InvalidStateError:  # cancelled by --fail-fast meanwhile
                pass

        inner.add_done_callback(settle)
        return outer

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        try:
            if cancel_futures:
                self.client.cancel([f for f in self._submitted if not f.done()], force=True)
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


# --- on the Dask worker --------------------------------------------------------------------


def run_task(project, threads: int | None, task, args) -> dict:
    from figgen import worker

    if _prepared.get("root") != project.root:
        if threads is None:
            from distributed import get_worker

            threads = max(1, (os.cpu_count() or 1) // get_worker().state.nthreads)
        worker.init_worker(project, None, threads)
        _prepared["root"] = project.root
    if task.__name__ == "render_figure":
        _pull_missing_checkpoints(project, args[1])
    result = task(*args)
    if result.get("ok"):
        _push_output(project, task.__name__, args, result)
        if task.__name__ == "render_figure":
            result["png"] = project.output_file(next(f for f in project.figures if f.output == args[0])).read_bytes()
    return result


def forget_project_code(package: str) -> None:
    """Drop the modules of the project's package: the next task imports them fresh."""
    from figgen import worker

    for name in [n for n in sys.modules if n.startswith(f"{package}.")]:
        del sys.modules[name]
    worker._worker.get("loaded", {}).clear()
    _prepared.clear()


# --- sharing results through the remote cache (workers on other machines) -------------------


def _remote(project):
    from figgen.remote_cache import configured_url, pushes_allowed, RemoteCache

    url = configured_url(project.cache_url)
    return RemoteCache(url, push=pushes_allowed(False)) if url else None


def _pull_missing_checkpoints(project, checkpoints: dict) -> None:
    missing = {name: Path(path) for name, path in checkpoints.items() if not Path(path).exists()}
    remote = _remote(project) if missing else None
    if remote:
        from figgen.store import ModelStore

        for name, path in missing.items():
            remote.pull_model(ModelStore(path.parent.parent), name, path.stem)


def _push_output(project, task_name: str, args, result: dict) -> None:
    """A trained model goes to the remote cache at once, for the workers that draw with it."""
    remote = _remote(project) if task_name == "train_model" else None
    if remote is None or not remote.push_allowed:
        return
    from figgen.remote_cache import sha256_of

    name, checkpoint = args[0], Path(args[1])
    record = {key: result[key] for key in ("seconds", "device", "metrics")}
    record.update(sha256=sha256_of(checkpoint), size=checkpoint.stat().st_size)
    remote.push_checkpoint(name, checkpoint.stem, checkpoint, record)


def fetch_missing_output(project, task_name: str, args, result: dict) -> dict:
    """In `figgen build`: put a worker's output on this disk if the worker's disk is another one."""
    from figgen.atomic import write_atomically
    from figgen.remote_cache import sha256_of

    if task_name == "render_figure":  # a PNG is small: it comes back with its result
        png = result.pop("png")
        target = project.output_file(next(f for f in project.figures if f.output == args[0]))
        if not target.exists() or sha256_of(target) != result["sha256"]:
            write_atomically(target, png)
            stat = target.stat()
            result["stat"] = [stat.st_size, stat.st_mtime_ns]
        return result
    name, checkpoint = args[0], Path(args[1])
    if checkpoint.exists():
        return result
    remote = _remote(project)
    if remote:
        from figgen.store import ModelStore

        if remote.pull_model(ModelStore(checkpoint.parent.parent), name, checkpoint.stem):
            return result
    return {"ok": False, "error": f"the Dask worker saved model {name} on its own disk: give the cluster a "
                                  "shared folder or a remote cache (cache: url in figgen.yaml)"}
