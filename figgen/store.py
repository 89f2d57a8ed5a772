"""What figgen remembers between builds, under `.figgen/`.

- `models/<name>/<fingerprint>.pt` (+ `.json`): a trained model, kept by fingerprint so a
  model is trained once per fingerprint, ever, and shared by every figure that reads it.
  The `.json` is written last: a checkpoint without one was interrupted and does not count.
- `figures.json`: for each generated image, its `FigureRecord` (figgen/state.py): the fingerprint
  it was built from and the stat signature and checksum of the file, to tell a fresh image from
  a stale or tampered one.
- `sources.json`: the digest and imports of each source file, keyed by its stat signature.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from figgen.atomic import read_json, write_atomically, write_json_atomically
# The one "too recent to trust" rule and the stat signature live in the freshness layer.
from figgen.freshness.walk import RACY_NS, settled, trusted  # noqa: F401
from figgen.freshness.walk import signature as stat_signature  # noqa: F401
from figgen.state import EMPTY, BadRecord, FigureRecord, ModelRecord


def warn(message: str) -> None:
    print(f"figgen: warning: {message}", file=sys.stderr)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class ModelStore:
    def __init__(self, folder: Path):
        self.folder = folder

    def checkpoint(self, name: str, fingerprint: str) -> Path:
        return self.folder / name / f"{fingerprint}.pt"

    def _record_path(self, name: str, fingerprint: str) -> Path:
        return self.folder / name / f"{fingerprint}.json"

    def record(self, name: str, fingerprint: str) -> ModelRecord | None:
        """The training record of this exact model, or None if it was never (fully) trained."""
        path = self._record_path(name, fingerprint)
        if not path.exists():
            return None
        checkpoint = self.checkpoint(name, fingerprint)
        try:
            record = ModelRecord.from_json(read_json(path))
        except BadRecord as problem:
            warn(f"discarding unreadable training record {path} ({problem})")
            self.discard(name, fingerprint)
            return None
        if not checkpoint.exists() or checkpoint.stat().st_size != record.size:
            warn(f"discarding truncated or missing checkpoint {checkpoint}")
            self.discard(name, fingerprint)
            return None
        return record

    def verified_record(self, name: str, fingerprint: str) -> ModelRecord | None:
        """Like `record`, and the checkpoint's bytes match the checksum taken when it was saved."""
        record = self.record(name, fingerprint)
        if record and file_sha256(self.checkpoint(name, fingerprint)) != record.sha256:
            warn(f"discarding corrupt checkpoint {self.checkpoint(name, fingerprint)} (checksum mismatch)")
            self.discard(name, fingerprint)
            return None
        return record

    def save_record(self, name: str, fingerprint: str, seconds, device, metrics: dict) -> ModelRecord:
        """Record a checkpoint now on disk (trained here, or pulled): its checksum and size are taken here."""
        checkpoint = self.checkpoint(name, fingerprint)
        record = ModelRecord(sha256=file_sha256(checkpoint), size=checkpoint.stat().st_size, seconds=seconds,
                             device=device, metrics=metrics or {})
        write_json_atomically(self._record_path(name, fingerprint), record.to_json())
        return record

    def discovered(self, name: str) -> dict:
        """What the model's recipe was seen reading when it last trained (figgen/recording.py)."""
        path = self.folder / name / "reads.json"
        document = read_json(path, default={}) if path.exists() else {}
        return document if isinstance(document, dict) else {}

    def save_discovered(self, name: str, discovered: dict) -> None:
        write_json_atomically(self.folder / name / "reads.json", discovered)

    def adopt(self, name: str, planned: str, fingerprint: str) -> None:
        """File a checkpoint trained under its planned fingerprint under its final one: what the
        training was seen reading is part of the fingerprint, and is known only afterwards."""
        if planned != fingerprint:
            os.replace(self.checkpoint(name, planned), self.checkpoint(name, fingerprint))

    def discard(self, name: str, fingerprint: str) -> None:
        for path in (self._record_path(name, fingerprint), self.checkpoint(name, fingerprint)):
            path.unlink(missing_ok=True)


class FigureRecords:
    """`figures.json`: the `FigureRecord` of each generated image, by site path. `Build`
    (figgen/build/engine.py) is its one writer: the runner and the remote cache hand it typed
    values (figgen/recorded.py); tests/test_layers.py fails on any other writer."""

    def __init__(self, path: Path):
        self.path = path
        document = read_json(path, default={}) if path.exists() else {}
        if not isinstance(document, dict):
            warn(f"discarding unreadable {path}: every figure will be rebuilt")
            document = {}
        self.by_output: dict[str, FigureRecord] = {}
        for output, entry in document.items():
            try:
                self.by_output[output] = FigureRecord.from_json(entry)
            except BadRecord as problem:
                warn(f"discarding the record of {output} in {path} ({problem}): it will be rebuilt")

    def __contains__(self, output: str) -> bool:
        return output in self.by_output

    def get(self, output: str) -> FigureRecord:
        return self.by_output.get(output, EMPTY)

    def put(self, output: str, record: FigureRecord) -> None:
        """A whole new record (a drawn or pulled figure's): nothing of the previous one stays."""
        self.by_output[output] = record

    def forget(self, output: str) -> FigureRecord:
        return self.by_output.pop(output)

    def to_json(self) -> dict:
        return {output: record.to_json() for output, record in self.by_output.items()}

    def save(self) -> None:
        # Keys in their own order: an inputs tree keeps params in figgen.yaml's order.
        write_atomically(self.path, (json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n").encode())


def load_sources_cache(path: Path) -> dict:
    document = read_json(path, default={})
    return document if isinstance(document, dict) else {}


def remove_cache(folder: Path) -> None:
    import shutil  # not on the no-op build's path: shutil brings in three compression modules

    shutil.rmtree(folder, ignore_errors=True)
