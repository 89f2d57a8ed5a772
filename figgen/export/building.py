"""The build's export step: which exports are due, what to pull or train for them, making them.

`Build.run` (figgen/build/engine.py) calls `prepare` after its pulls (an export on the remote
is pulled; else its model's checkpoint is found, pulled or trained with the build's models) and
`make` after its tasks ran: the exports still missing are made in one child process (torch and
the exporter live there), recorded, published into the static folder and noted for the push.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from figgen.atomic import write_atomically
from figgen.export.keys import export_tree
from figgen.export.published import export_states, published_files
from figgen.export.store import export_store
from figgen.planner import FRESH
from figgen.recorded import ExportSaved
from figgen.tasks import Outcome

KIND = "export"


def exports_due(workspace) -> dict[str, str]:
    """{model name: today's key} of the exports whose published files are not today's."""
    project = workspace.project
    if not any(spec.export for spec in project.models.values()):
        return {}  # a site without exports pays nothing
    states = export_states(project, workspace.fingerprints, export_store(project))
    return {name: key for name, (state, key) in states.items() if state != FRESH}


def prepare(workspace, plan, remote, record, force: bool = False) -> list[Outcome]:
    """Pull what the due exports need from the remote; add the models they need trained to the plan.
    `record`: Build.record, the one writer of what a build remembers (figgen/recorded.py).
    `force` (figgen build --force) pulls nothing, as for figures, and retrains an export's model."""
    store, models = export_store(workspace.project), workspace.store
    outcomes = []
    for name, key in exports_due(workspace).items():
        if store.record(name, key) is not None:
            continue
        if remote is not None and not force:
            from figgen.export.remote import pull_export

            if pull_export(remote, store, name, key, export_tree(workspace.project, workspace.fingerprints, name), record):
                outcomes.append(Outcome(KIND, name, "pulled", device="remote"))
                continue
        fingerprint = workspace.fingerprints.models[name]
        if name in plan.models or models.verified_record(name, fingerprint) is not None and not force:
            continue
        if remote is not None and not force and remote.pull_model(models, name, fingerprint):
            outcomes.append(Outcome("model", name, "pulled", device="remote"))
            continue
        plan.models.append(name)
    return outcomes


def make(workspace, record, remote=None, on_event=None) -> list[Outcome]:
    """Make the due exports that are not in the store yet (recorded through `record`, Build.record),
    then publish every due one that is."""
    project, store = workspace.project, export_store(workspace.project)
    due = exports_due(workspace)
    jobs, outcomes = [], []
    for name, key in due.items():
        if store.record(name, key) is not None:
            continue
        checkpoint = workspace.store.checkpoint(name, workspace.fingerprints.models[name])
        if workspace.store.record(name, workspace.fingerprints.models[name]) is None:
            outcomes.append(Outcome(KIND, name, "skipped", error=f"model '{name}' is not trained"))
            continue
        jobs.append({"name": name, "key": key, "checkpoint": str(checkpoint), "onnx": str(store.onnx(name, key)),
                     "card": str(store.card(name, key))})
    for result in _run(project, jobs, on_event):
        name = result["name"]
        if result["ok"]:
            key = due[name]
            record(ExportSaved(name, key, seconds=result["seconds"], inputs=export_tree(project, workspace.fingerprints, name),
                               built_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat()))
            outcomes.append(Outcome(KIND, name, "built", seconds=result["seconds"], device="cpu"))
            if remote is not None:
                remember_push(project, name, key)
        else:
            outcomes.append(Outcome(KIND, name, "failed", seconds=result["seconds"], error=result["error"],
                                    traceback=result.get("traceback", "")))
    for name, key in due.items():
        if store.record(name, key) is not None:
            publish(project, store, name, key)
    from figgen.tasks import TaskFinished

    for outcome in outcomes:
        (on_event or (lambda event: None))(TaskFinished(outcome))
    return outcomes


def _run(project, jobs: list[dict], on_event) -> list[dict]:
    """Run the jobs in one child process: its JSON lines, one per job (a crash fails them all)."""
    if not jobs:
        return []
    from figgen.tasks import TaskStarted

    for job in jobs:
        (on_event or (lambda event: None))(TaskStarted(KIND, job["name"]))
    with tempfile.TemporaryDirectory(prefix="figgen-export-") as folder:
        path = Path(folder) / "jobs.json"
        path.write_text(json.dumps({"root": str(project.root), "exports": jobs}))
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "figgen.export.onnx_export", str(path)], capture_output=True,
                              text=True, cwd=project.root)
    results = []
    for line in done.stdout.splitlines():
        try:
            results.append(json.loads(line))
        except ValueError:
            continue  # a print of the site's hook
    answered = {r.get("name") for r in results}
    stderr = done.stderr.strip().splitlines()
    for job in jobs:
        if job["name"] not in answered:
            results.append({"name": job["name"], "ok": False, "seconds": time.perf_counter() - started,
                            "error": f"the export process ended (exit {done.returncode})"
                                     + (f": {stderr[-1]}" if stderr else ""), "traceback": done.stderr})
    return results


def publish(project, store, name: str, key: str) -> None:
    """Copy the stored export into the static folder (atomically; unchanged files are left alone)."""
    for source, target in zip((store.onnx(name, key), store.card(name, key)), published_files(project, name)):
        data = source.read_bytes()
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, data)


def remember_push(project, name: str, key: str) -> None:
    """Note the export as pending for the remote (figgen/remote_cache.py pushes what is pending)."""
    from figgen.atomic import read_json, write_json_atomically
    from figgen.remote_cache import PENDING

    path = project.cache / PENDING
    pending = read_json(path, default=[]) if path.exists() else []
    pending = pending if isinstance(pending, list) else []
    entry = {"kind": KIND, "name": name, "key": key}
    if entry not in pending:
        write_json_atomically(path, [*pending, entry])
