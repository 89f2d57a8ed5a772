"""What a build records, typed: one `FigureRecord` per generated image, one `ModelRecord` per
trained checkpoint.

Like DVC's lockfile entries, a record is a frozen value checked field by field when it is read
back: a record of the wrong shape (a hand edit, a half-written file of an older figgen) is
refused where it is read, and its figure is simply built again, instead of failing later on a
`.get()` that found a string where a number was expected. The JSON on disk is the one figgen
always wrote (`.figgen/figures.json`, `models/<name>/<fingerprint>.json`): no migration.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

_NUMBER = (int, float)


class BadRecord(ValueError):
    """A record read back whose shape is not what figgen writes."""


def _checked(document, types: dict) -> dict:
    """The known fields of `document`, each of its type or None; BadRecord names the first that is not."""
    if not isinstance(document, dict):
        raise BadRecord("not a JSON object")
    values = {}
    for name, kind in types.items():
        value = document.get(name)
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool) and kind is not bool):
            raise BadRecord(f"its {name} has the wrong type ({type(value).__name__})")
        values[name] = value
    return values


def _json(record) -> dict:
    """A record as JSON: fields left empty are left out (an older reader sees what it always saw)."""
    values = ((f.name, getattr(record, f.name)) for f in fields(record))  # shallow: no copy of inputs trees
    return {key: value for key, value in values if value is not None}


@dataclass(frozen=True)
class FigureRecord:
    """What one image was built from, and what is known of the file written."""

    fingerprint: str | None = None  # the inputs tree's hash the image was drawn from
    sha256: str | None = None  # of the bytes figgen wrote
    stat: list | None = None  # figgen.store.stat_signature of that file, right after writing it
    width: int | None = None  # pixels
    height: int | None = None
    seconds: float | None = None
    device: str | None = None
    facts: dict = field(default_factory=dict)  # numbers the drawing reported (figure context)
    read: dict | None = None  # what the drawing was seen reading (figgen/recording.py)
    environment: dict | None = None
    unobserved: dict | None = None  # what it did that figgen could not see reading (figgen/reach.py)
    inputs: dict | None = None  # the whole inputs tree, for `figgen why`
    inputs_of: str | None = None  # the fingerprint `inputs` is the tree of
    built_at: str | None = None  # ISO date, UTC
    last_error: str | None = None  # the last build of it failed: the image on disk is stale

    @classmethod
    def from_json(cls, document) -> FigureRecord:
        types = {"fingerprint": str, "sha256": str, "stat": list, "width": int, "height": int,
                 "seconds": _NUMBER, "device": str, "facts": dict, "read": dict, "environment": dict,
                 "unobserved": dict, "inputs": dict, "inputs_of": str, "built_at": str, "last_error": str}
        values = _checked(document, types)
        if values["stat"] is not None and not all(type(v) is int for v in values["stat"]):
            raise BadRecord("its stat is not a list of whole numbers")
        return cls(**{**values, "facts": values["facts"] or {}})

    def to_json(self) -> dict:
        return _json(self)

    def failed(self, error: str) -> FigureRecord:
        """The same record, saying its last build failed (the image on disk stays, now stale)."""
        return replace(self, last_error=error)


@dataclass(frozen=True)
class ModelRecord:
    """A trained checkpoint: how it was trained, and the checksum and size of the file saved."""

    sha256: str
    size: int
    seconds: float | None = None
    device: str | None = None
    metrics: dict = field(default_factory=dict)

    @classmethod
    def from_json(cls, document) -> ModelRecord:
        values = _checked(document, {"sha256": str, "size": int, "seconds": _NUMBER, "device": str, "metrics": dict})
        if values["sha256"] is None or values["size"] is None:
            raise BadRecord("it has no sha256 or size")
        return cls(**{**values, "metrics": values["metrics"] or {}})

    def to_json(self) -> dict:
        return _json(self)


EMPTY = FigureRecord()  # the record of a figure never built
