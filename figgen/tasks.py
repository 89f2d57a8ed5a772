"""The contract between the runner and whoever runs a task: a dataclass in, a dataclass out.

The local pool, the warm watch's forked builds, a concurrent.futures executor and a Dask cluster
all send a `ModelTask` or a `FigureTask` to `figgen.worker.run` and get one `TaskResult` back.
Every field a path must carry is declared here, so a new executor cannot silently drop one: the
runner reads attributes, never optional dict keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Union


@dataclass(frozen=True)
class ModelTask:
    """Train model `name` and save it to `checkpoint`."""

    kind: ClassVar[str] = "model"
    name: str
    checkpoint: Path
    device: str  # "cpu", "cuda" or "mps"
    timeout: float  # seconds, from figgen.yaml's `timeout:`
    inputs: dict[str, str] = field(default_factory=dict)  # source file -> sha256 it was fingerprinted with


@dataclass(frozen=True)
class FigureTask:
    """Draw the figure whose site path is `output`, reading these trained models."""

    kind: ClassVar[str] = "figure"
    output: str
    checkpoints: dict[str, Path]  # model name -> checkpoint of its current fingerprint
    timeout: float
    inputs: dict[str, str] = field(default_factory=dict)
    device: str = "cpu"  # figures draw on the CPU

    @property
    def name(self) -> str:
        return self.output


Task = Union[ModelTask, FigureTask]


@dataclass
class Output:
    """A file a task wrote: its checksum and its stat signature (figgen.store.stat_signature).

    `content` carries the bytes only across machines (a Dask worker on another disk); the
    receiving side writes them and takes the stat of its own copy.
    """

    sha256: str
    stat: list[int]  # [size, mtime_ns, ctime_ns, inode]: one shape everywhere
    content: bytes | None = None


@dataclass
class TaskResult:
    ok: bool
    error: str = ""  # one line, for the summary
    traceback: str = ""  # the last frames, for the author
    bad_input: bool = False  # a mistake in figgen.yaml or the project (exit 2), not a crash
    seconds: float = 0.0
    device: str = ""
    outputs: dict[str, Output] = field(default_factory=dict)  # absolute path -> what was written
    width: int | None = None  # a figure's pixel size
    height: int | None = None
    facts: dict = field(default_factory=dict)  # what a drawing reported by name (ctx.fact)
    metrics: dict = field(default_factory=dict)  # what a training recipe returned
    executed: dict[str, str] = field(default_factory=dict)  # source compiled -> sha256 of its bytes
    read: dict[str, str] = field(default_factory=dict)  # file the task opened -> sha256 (recorded at run time)
    environment: dict[str, str | None] = field(default_factory=dict)  # variable read -> digest of its value or None
    unobserved: dict[str, str] = field(default_factory=dict)  # reads figgen cannot see (figgen/reach.py)
    unreadable_checkpoint: str | None = None  # the model whose checkpoint torch refused
    discard: bool = False  # the source changed during the build: the output must not be kept

    def output(self) -> Output | None:
        """The one file a task writes (a checkpoint or an image), if it wrote it."""
        return next(iter(self.outputs.values()), None)


def failed(error: str, **details) -> TaskResult:
    return TaskResult(ok=False, error=error, **details)


def time_limit_error(timeout: float) -> str:
    """What every pool says of a task stopped at its time limit."""
    return f"stopped after its time limit of {timeout:g} s (raise `timeout:` in figgen.yaml if it needs longer)"


BUILT, FAILED, SKIPPED = "built", "failed", "skipped"


@dataclass
class Outcome:
    """What a build reports of one task: built, failed or skipped (and pulled, by the remote cache)."""

    kind: str  # "model" or "figure"
    name: str  # model name or figure site path
    status: str
    seconds: float = 0.0
    device: str = ""
    error: str = ""
    traceback: str = ""
    bad_input: bool = False


# What a build tells whoever watches it (figgen.report.Progress), from the runner and the pools.
@dataclass(frozen=True)
class TaskStarted:
    kind: str  # "model" or "figure"
    name: str


@dataclass(frozen=True)
class TaskFinished:
    outcome: Outcome


@dataclass(frozen=True)
class EpochDone:
    """Sent by a training run (TrainingRun.progress) from its worker, as it trains."""

    model: str
    epoch: int
    epochs: int
    loss: float
    extra: dict = field(default_factory=dict)  # what a recipe adds (an accuracy so far...)


Event = Union[TaskStarted, TaskFinished, EpochDone]
