"""Exports under `.figgen/exports/<name>/<key>.onnx` (+ `.card.json`, and `.json` written last).

Like a checkpoint (figgen/store.py), an export is kept by key, so a model is exported once per
key, ever; its record is written last: files without one were interrupted and do not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from figgen.atomic import read_json, write_json_atomically
from figgen.state import BadRecord, _NUMBER, _checked, _json
from figgen.store import file_sha256, warn


@dataclass(frozen=True)
class ExportRecord:
    """An export on disk: the checksums and sizes of its two files, and the tree it was made from."""

    sha256: str  # of the .onnx file
    size: int
    card_sha256: str
    seconds: float | None = None
    built_at: str | None = None
    inputs: dict | None = None  # the export's inputs tree, for `figgen why`

    @classmethod
    def from_json(cls, document) -> ExportRecord:
        values = _checked(document, {"sha256": str, "size": int, "card_sha256": str, "seconds": _NUMBER,
                                     "built_at": str, "inputs": dict})
        if not values["sha256"] or values["size"] is None or not values["card_sha256"]:
            raise BadRecord("it has no sha256, size or card_sha256")
        return cls(**values)

    def to_json(self) -> dict:
        return _json(self)


class ExportStore:
    def __init__(self, folder: Path):
        self.folder = folder  # the project's .figgen/exports

    def onnx(self, name: str, key: str) -> Path:
        return self.folder / name / f"{key}.onnx"

    def card(self, name: str, key: str) -> Path:
        return self.folder / name / f"{key}.card.json"

    def _record_path(self, name: str, key: str) -> Path:
        return self.folder / name / f"{key}.json"

    def record(self, name: str, key: str) -> ExportRecord | None:
        """The record of this exact export if both its files are there, whole; else None."""
        path = self._record_path(name, key)
        if not path.exists():
            return None
        try:
            record = ExportRecord.from_json(read_json(path))
        except BadRecord as problem:
            warn(f"discarding unreadable export record {path} ({problem})")
            self.discard(name, key)
            return None
        onnx, card = self.onnx(name, key), self.card(name, key)
        if (not onnx.exists() or onnx.stat().st_size != record.size or not card.exists()
                or file_sha256(onnx) != record.sha256 or file_sha256(card) != record.card_sha256):
            warn(f"discarding the truncated or corrupt export {onnx}")
            self.discard(name, key)
            return None
        return record

    def save_record(self, name: str, key: str, seconds=None, built_at=None, inputs=None) -> ExportRecord:
        """Record an export now on disk (made here, or pulled): its checksums are taken here."""
        onnx = self.onnx(name, key)
        record = ExportRecord(sha256=file_sha256(onnx), size=onnx.stat().st_size,
                              card_sha256=file_sha256(self.card(name, key)), seconds=seconds, built_at=built_at,
                              inputs=inputs)
        write_json_atomically(self._record_path(name, key), record.to_json())
        return record

    def discard(self, name: str, key: str) -> None:
        for path in (self._record_path(name, key), self.onnx(name, key), self.card(name, key)):
            path.unlink(missing_ok=True)


def export_store(project) -> ExportStore:
    return ExportStore(project.cache / "exports")
