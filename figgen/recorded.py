"""What a task or a pull gives the build to record: typed values, written by `Build` alone.

The runner and the remote cache compute what is now known (a drawn figure's record, a trained
or pulled model, a checkpoint to throw away) and hand it to `Build.record` (figgen/build/engine.py),
the one writer of `.figgen/figures.json` and the models' records: changing what a build
records touches this file and the engine, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from figgen.state import FigureRecord


@dataclass(frozen=True)
class FigureDrawn:
    """A figure's image is on disk (drawn here, or pulled): its whole new record."""

    output: str
    record: FigureRecord


@dataclass(frozen=True)
class FigureFailed:
    """The figure's last build failed: the image on disk stays, its record says why it is stale."""

    output: str
    error: str


@dataclass(frozen=True)
class ModelSaved:
    """A checkpoint is on disk under `planned` (trained here, or pulled): filed under `fingerprint`
    (what training was seen reading is known only afterwards), its checksum taken then."""

    name: str
    fingerprint: str
    seconds: float | None
    device: str | None
    metrics: dict = field(default_factory=dict)
    planned: str | None = None  # None: already under `fingerprint`
    discovered: dict | None = None  # what the recipe was seen reading (figgen/recording.py)


@dataclass(frozen=True)
class ModelDiscarded:
    """A checkpoint that must not be used (refused by torch, or trained from moved source)."""

    name: str
    fingerprint: str


@dataclass(frozen=True)
class ExportSaved:
    """A model's export (its .onnx and card) is on disk under `key` (made here, or pulled)."""

    name: str
    key: str
    seconds: float | None = None
    built_at: str | None = None
    inputs: dict | None = None


Recorded = Union[FigureDrawn, FigureFailed, ModelSaved, ModelDiscarded, ExportSaved]
