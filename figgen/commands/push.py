"""`figgen push`: share what this project already built with the remote cache.

For a remote set up after the models were trained (or a second remote): every fresh figure and
the models it reads are pushed unless the remote already holds a valid copy. It is the same
push a build does (figgen/remote_cache.py: first writer wins, manifest last).
"""

from __future__ import annotations

import sys
from pathlib import Path

from figgen.errors import BadInput
from figgen.lock import DEFAULT_LOCK_TIMEOUT, project_lock
from figgen.planner import FRESH
from figgen.workspace import open_workspace


def push(start: Path, lock_timeout=DEFAULT_LOCK_TIMEOUT, out=sys.stdout, err=sys.stderr) -> int:
    from figgen.remote_cache import open_remote, push_pending, remember_everything

    workspace = open_workspace(start)
    remote = open_remote(workspace.project.cache_url, no_push=False, timeout=workspace.project.cache_timeout,
                         cache=workspace.project.cache)
    if remote is None:
        raise BadInput("no remote cache to push to: set cache.url in figgen.yaml or FIGGEN_CACHE_URL")
    if not remote.push_allowed:
        raise BadInput("the remote cache is read-only here (FIGGEN_CACHE_READONLY)")
    with project_lock(workspace.project.root, lock_timeout, lambda text: print(f"figgen: {text}", file=err)):
        fresh = [f for f, status in workspace.statuses().items() if status == FRESH]
        remember_everything(workspace, fresh)
        push_pending(remote, workspace)
    print(remote.transfers.summary(remote.url, remote.push_allowed), file=out)
    return 0
