"""Does figgen.json already hold what a build would write? A digest of everything it is made of.

Composing figgen.json (every metric text formatted, every page read for its metric calls, the
provenance code of every figure) was most of a no-op build's time, for a file that a no-op
leaves as it was. So a build remembers, in `.figgen/data.json`, the digest of what it composed
figgen.json from; a no-op recomposes only when today's digest differs. The digest covers:

- the project as parsed from figgen.yaml, the fingerprints, the figures' statuses and records;
- the stat signature of every file composing reads, or that could change what it writes: the
  content folder (metric calls), the Hugo site's configuration (its languages), the models' training records and checkpoints, the code shown as
  provenance, figgen's own modules (an edit or an upgrade may write figgen.json differently);
- figgen.json's own stat signature, and figgen_declared.json's: a hand edit, a checkout or a
  deletion is seen.

A signature is trusted only if its file had settled when it was taken (walk.settled, the
layer's one rule): a same-size rewrite within the same clock tick keeps size, mtime and ctime.
A digest over a file that changed too recently is not remembered; the next run composes again.
figgen.json is the exception: the build wrote it itself, under the project lock, a moment ago.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

from figgen.atomic import read_json, write_json_atomically
from figgen.freshness.walk import all_settled, files_under, signature
from figgen.site_locale import CONFIG_NAMES

BUILD_DIGEST = "data.json"  # under .figgen/: the digest figgen.json was last composed under
_FORMAT = 2  # bump when what the digest covers changes
_FIGGEN = Path(__file__).resolve().parent.parent


class Inputs:
    """figgen.json's inputs as they are now: plain values, and stat signatures of files."""

    def __init__(self, workspace, status: dict[str, str]):
        self.workspace = workspace
        self.signatures: dict[str, list[int] | None] = {}
        project = workspace.project
        for path in _files_behind(workspace):
            self.signatures[str(path)] = _signature(path)
        self.values = {
            "format": _FORMAT,
            "python": sys.version,
            "project": project,
            # the keys only: the inputs trees behind them hold this run's memos
            "fingerprints": {"architectures": workspace.fingerprints.architectures,
                             "models": workspace.fingerprints.models, "figures": workspace.fingerprints.figures},
            "status": status,
            "records": workspace.records.to_json(),
        }
        self.taken_at = time.time_ns()

    def settled(self) -> bool:
        """Every file stat'ed had stopped changing well before its signature was taken."""
        return all_settled(self.signatures.values(), self.taken_at)

    def digest(self) -> str:
        """The digest of these inputs and of figgen.json as it is on disk now."""
        data_file = self.workspace.project.data_file
        # keys in their order, not sorted: figgen.json shows some mappings (hyperparameters) as written
        declared = data_file.with_name("figgen_declared.json")  # written beside it (hugo_data.declarations)
        text = json.dumps([self.values, self.signatures, _signature(data_file), _signature(declared)],
                          separators=(",", ":"),
                          default=_plain)
        return hashlib.sha256(text.encode()).hexdigest()


def figgen_json_is_current(workspace, status: dict[str, str]) -> bool:
    """True when figgen.json was composed from exactly these inputs and not touched since."""
    stored = read_json(workspace.project.cache / BUILD_DIGEST)
    return isinstance(stored, dict) and stored.get("digest") == Inputs(workspace, status).digest()


def remember_build(workspace, inputs: Inputs) -> None:
    """After composing figgen.json from `inputs` (taken before composing read its files)."""
    path = workspace.project.cache / BUILD_DIGEST
    if inputs.settled():
        write_json_atomically(path, {"digest": inputs.digest()})
    else:
        forget(path)


def forget_build(workspace) -> None:
    forget(workspace.project.cache / BUILD_DIGEST)


def forget(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _files_behind(workspace) -> list[Path]:
    """The files whose content can change figgen.json without changing a fingerprint or record."""
    project = workspace.project
    files = [Path(path) for path in files_under(str(project.content), lambda name: True)]
    files += [Path(path) for path in files_under(str(_FIGGEN), lambda name: name.endswith(".py"))]
    files += [project.site / name for name in CONFIG_NAMES]  # its languages and locales (site_locale.py)
    for name in project.models:
        checkpoint = workspace.store.checkpoint(name, workspace.fingerprints.models[name])
        files += [checkpoint, checkpoint.with_suffix(".json")]
    modules = {figure.draw for figure in project.figures}
    modules |= {project.models[name].module for figure in project.figures for name in figure.models}
    modules |= {project.models[name].recipe for figure in project.figures for name in figure.models}  # its marked lines
    files += [project.root / project.package / f"{module.replace('.', '/')}.py" for module in sorted(modules)]
    return files


def _signature(path: Path) -> list[int] | None:
    try:
        return signature(path)
    except OSError:
        return None


def _plain(value):
    """JSON for the dataclasses and paths of a project and its fingerprints."""
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    fields = getattr(value, "__dict__", None)
    return fields if fields is not None else str(value)
