"""Where a site serves its exports, whether they are today's, and their figgen.json entries.

`<static>/figgen/models/NAME.onnx` and `NAME.json` (its card, whose `digest` is the export's
key). An export is fresh when its published card holds today's key and both files are the
bytes the build recorded; `figgen check` and the build ask the same question here.
"""

from __future__ import annotations

import json
from pathlib import Path

from figgen.export.keys import export_keys
from figgen.planner import FRESH, MISSING, STALE
from figgen.store import file_sha256

URL_PREFIX = "/figgen/models"


def published_files(project, name: str) -> tuple[Path, Path]:
    folder = project.static / URL_PREFIX.strip("/")
    return folder / f"{name}.onnx", folder / f"{name}.json"


def published_digest(project, name: str) -> str | None:
    """The key the published card says it was exported with, or None (no card, or not figgen's)."""
    try:
        digest = json.loads(published_files(project, name)[1].read_text(encoding="utf-8")).get("digest")
    except (OSError, ValueError, AttributeError):
        return None
    return digest if isinstance(digest, str) else None


def export_state(project, store, name: str, key: str) -> str:
    """fresh, stale (another key, or files changed by hand) or missing."""
    onnx, card = published_files(project, name)
    if not onnx.is_file() or not card.is_file():
        return MISSING
    if published_digest(project, name) != key:
        return STALE
    record = store.record(name, key)
    if record is not None and (file_sha256(onnx) != record.sha256 or file_sha256(card) != record.card_sha256):
        return STALE
    return FRESH


def export_states(project, fingerprints, store) -> dict[str, tuple[str, str]]:
    """{model name: (state, today's key)} for every model declared `export:`."""
    return {name: (export_state(project, store, name, key), key)
            for name, key in export_keys(project, fingerprints).items()}


def export_entries(project, fingerprints) -> dict:
    """figgen.json's `exports`: each fresh export's URLs, key and size (the page loads these)."""
    entries = {}
    from figgen.export.store import export_store

    for name, (state, key) in export_states(project, fingerprints, export_store(project)).items():
        if state == FRESH:
            onnx, _ = published_files(project, name)
            entries[name] = {"onnx": f"{URL_PREFIX}/{name}.onnx", "card": f"{URL_PREFIX}/{name}.json",
                             "digest": key, "bytes": onnx.stat().st_size}
    return entries


def remove_published(project) -> int:
    """`figgen clean`: remove the published exports of the models declared `export:`; their number."""
    removed = 0
    for name in (name for name, spec in project.models.items() if spec.export):
        onnx, card = published_files(project, name)
        if published_digest(project, name) is not None:  # a card figgen wrote: its model goes with it
            for path in (onnx, card):
                if path.is_file():
                    path.unlink()
                    removed += path.suffix == ".onnx"
    return removed
