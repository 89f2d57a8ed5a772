"""A manifest is the record: what the remote cache keeps beside each object.

A manifest holds everything the local record of that object holds, except what only makes sense
on one disk (a stat signature, the last error), plus the key it was stored under and the
object's size. A pull checks it whole (key, sha256, types, sizes) and then *replaces* the local
record with it: a pulled image never keeps the facts of the build before it.

Pure functions: no file system, no network.
"""

from __future__ import annotations

import re

from figgen.state import BadRecord, FigureRecord

FORMAT = 2  # manifests of earlier figgen versions (no key, no facts) are refused and replaced

# What a local record holds that must not travel: it describes one disk, or one build's failure.
LOCAL_ONLY = ("stat", "last_error")

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def model_manifest(name: str, key: str, record: dict) -> dict:
    """The training record (seconds, device, metrics, sha256, size) of model `name` under `key`."""
    return {**record, "format": FORMAT, "kind": "model", "name": name, "key": key}


def figure_manifest(output: str, key: str, record: dict, size: int) -> dict:
    """The figure's record (facts, size in pixels, inputs, date...) under `key`."""
    kept = {k: v for k, v in record.items() if k not in LOCAL_ONLY}
    return {**kept, "format": FORMAT, "kind": "figure", "output": output, "key": key, "fingerprint": key,
            "size": size}


def model_record(manifest, name: str, key: str) -> tuple[dict | None, str]:
    """(the training record to store, "") or (None, why the manifest is refused)."""
    problem = _common_problem(manifest, "model", key) or _identity(manifest, "name", name)
    problem = problem or _typed(manifest, {"metrics": dict, "seconds": (int, float, type(None)),
                                           "device": (str, type(None))})
    if problem:
        return None, problem
    return {k: manifest.get(k) for k in ("seconds", "device", "metrics")}, ""


def figure_record(manifest, output: str, key: str) -> tuple[FigureRecord | None, str]:
    """(the figure record to store, stat aside, "") or (None, why the manifest is refused)."""
    problem = _common_problem(manifest, "figure", key) or _identity(manifest, "output", output)
    problem = problem or _typed(manifest, {"facts": dict, "seconds": (int, float, type(None)),
                                           "device": (str, type(None))})
    for side in ("width", "height"):
        value = manifest.get(side) if isinstance(manifest, dict) else None
        if not problem and (type(value) is not int or value <= 0):
            problem = f"its {side} is not a positive whole number of pixels"
    for optional, kind in (("inputs", dict), ("built_at", str), ("inputs_of", str)):
        if not problem and optional in manifest and not isinstance(manifest[optional], kind):
            problem = f"its {optional} is not a {kind.__name__}"
    if problem:
        return None, problem
    record = {k: v for k, v in manifest.items() if k not in ("format", "kind", "output", "key", "size", *LOCAL_ONLY)}
    try:
        return FigureRecord.from_json({**record, "fingerprint": key}), ""
    except BadRecord as problem:  # a field the checks above do not name (what it read, say)
        return None, str(problem)


def _common_problem(manifest, kind: str, key: str) -> str:
    if not isinstance(manifest, dict):
        return "its manifest is not a JSON object"
    if manifest.get("format") != FORMAT or manifest.get("kind") != kind:
        return "its manifest is from another figgen version"
    if manifest.get("key") != key:
        return f"its manifest was stored under another key ({str(manifest.get('key'))[:20]})"
    if not isinstance(manifest.get("sha256"), str) or not _SHA256.match(manifest["sha256"]):
        return "its sha256 is not a checksum"
    if type(manifest.get("size")) is not int or manifest["size"] < 0:
        return "its size is not a number of bytes"
    return ""


def _identity(manifest: dict, field: str, expected: str) -> str:
    found = manifest.get(field)
    return "" if found == expected else f"its manifest describes {str(found)[:60]!s}, not {expected}"


def _typed(manifest: dict, types: dict) -> str:
    for name, kind in types.items():
        if not isinstance(manifest.get(name), kind):
            return f"its {name} has the wrong type"
    return ""
