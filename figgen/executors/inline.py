"""Run a task at once, in this process: for the lone figure of a `figgen watch` rebuild.

That rebuild is already a process forked from a warm parent; a worker process forked from it
again would only add a fork and a round trip to the edit-to-PNG time.
"""

from __future__ import annotations

import signal
from concurrent.futures import Executor, Future


class InlinePool(Executor):
    def __init__(self, project, threads: int):
        from figgen import worker

        previous = signal.getsignal(signal.SIGINT)
        worker.init_worker(project, None, threads)
        signal.signal(signal.SIGINT, previous)  # this process still stops on Ctrl-C

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))  # tasks return failures as dicts; Ctrl-C propagates
        return future
