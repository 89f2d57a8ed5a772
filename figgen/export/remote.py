"""Exports in the remote cache, beside checkpoints (figgen/remote_cache.py), under the same rules:

    exports/<name>/<key>/model.onnx + card.json + manifest.json

The manifest, written last, holds both files' sha256 and size; a pull checks each file's bytes
against it before the export is recorded, and refuses (and rebuilds, then pushes over) anything else.
"""

from __future__ import annotations

from figgen.export.store import ExportStore
from figgen.store import file_sha256

ONNX, CARD = "model.onnx", "card.json"


def _folder(remote, name: str, key: str) -> str:
    return f"{remote.root}/exports/{name}/{key}"


def _problem(manifest, name: str, key: str) -> str | None:
    """Why a manifest read back is not a valid one for this export (None: it is)."""
    if not isinstance(manifest, dict):
        return "its manifest is not a JSON object"
    if manifest.get("kind") != "export" or manifest.get("name") != name or manifest.get("key") != key:
        return "its manifest is for another object"
    for part in ("onnx", "card"):
        entry = manifest.get(part)
        if not (isinstance(entry, dict) and isinstance(entry.get("sha256"), str)
                and type(entry.get("size")) is int and entry["size"] >= 0):
            return f"its manifest has no valid {part} sha256 and size"
    return None


def pull_export(remote, store: ExportStore, name: str, key: str, inputs: dict, record) -> bool:
    """Download an export's files into the store; `record` (Build.record) files it."""
    from figgen.recorded import ExportSaved

    folder = _folder(remote, name, key)
    manifest = remote._manifest(folder)
    if manifest is None:
        return False
    label = f"export {name}"
    problem = _problem(manifest, name, key)
    if problem:
        return remote._refuse(folder, label, problem)
    if not (remote._download(folder, ONNX, store.onnx(name, key), manifest["onnx"], label)
            and remote._download(folder, CARD, store.card(name, key), manifest["card"], label)):
        return False
    record(ExportSaved(name, key, seconds=manifest.get("seconds") if isinstance(manifest.get("seconds"), (int, float))
                       else None, built_at=manifest.get("built_at") if isinstance(manifest.get("built_at"), str) else None,
                       inputs=inputs))
    remote.transfers.pulled.append(label)
    return True


def push_export(remote, store: ExportStore, name: str, key: str) -> bool:
    record = store.record(name, key)
    folder = _folder(remote, name, key)
    if record is None or not remote._should_push(folder, lambda found: None if _problem(found, name, key) else found):
        return False
    card = store.card(name, key)
    manifest = {"kind": "export", "name": name, "key": key, "seconds": record.seconds, "built_at": record.built_at,
                "onnx": {"sha256": record.sha256, "size": record.size},
                "card": {"sha256": file_sha256(card), "size": card.stat().st_size}}
    import uuid

    remote.fs.makedirs(folder, exist_ok=True)
    temporary = f"{folder}/.tmp-{uuid.uuid4().hex}-{CARD}"  # the card first; the model and manifest last
    remote.fs.put_file(str(card), temporary)
    remote.fs.mv(temporary, f"{folder}/{CARD}")
    remote._upload(folder, ONNX, store.onnx(name, key), manifest)
    remote.transfers.pushed.append(f"export {name}")
    return True
