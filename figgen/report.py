"""What a build tells its user: live progress while it works, a summary table when it is done."""

from __future__ import annotations

import sys
import time

from figgen.tasks import BUILT, FAILED, SKIPPED, EpochDone, Outcome, TaskFinished, TaskStarted


class Progress:
    """Prints one line per started/finished task and, while training, the epoch and loss.

    On a terminal the epoch line is rewritten in place; in a log (CI) it is printed at most
    once a second per model so logs stay short.
    """

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.live = stream.isatty()
        self._last_epoch_line: dict[str, float] = {}
        self._open_line = False

    def _print(self, text: str, transient: bool = False) -> None:
        if self.live:
            self.stream.write("\r\033[K" + text + ("" if transient else "\n"))
            self._open_line = transient
        elif not transient:
            self.stream.write(text + "\n")
        self.stream.flush()

    def __call__(self, event: TaskStarted | TaskFinished | EpochDone) -> None:
        if isinstance(event, TaskStarted):
            verb = {"model": "training model", "export": "exporting model"}.get(event.kind, "drawing")
            self._print(f"  {verb} {event.name} ...")
        elif isinstance(event, TaskFinished):
            outcome: Outcome = event.outcome
            label = f"{outcome.kind} {outcome.name}" if outcome.kind != "figure" else outcome.name
            if outcome.status == BUILT:
                self._print(f"  ok      {label} ({outcome.seconds:.1f} s, {outcome.device})")
            else:
                self._print(f"  FAILED  {label}: {outcome.error}")
        elif isinstance(event, EpochDone):
            line = f"    {event.model}: epoch {event.epoch}/{event.epochs}  loss {event.loss:.4f}"
            now = time.monotonic()
            final = event.epoch == event.epochs
            if self.live:
                self._print(line, transient=not final)
            elif final or now - self._last_epoch_line.get(event.model, 0) >= 1.0:
                self._last_epoch_line[event.model] = now
                self._print(line)


def summary_table(outcomes: list[Outcome], fresh: int, seconds: float, device: str) -> str:
    rows = [("", "status", "seconds", "device")]
    for outcome in outcomes:
        label = f"{outcome.kind} {outcome.name}" if outcome.kind != "figure" else outcome.name
        shown = f"{outcome.seconds:.1f}" if outcome.status == BUILT else "-"
        rows.append((label, outcome.status, shown, outcome.device or "-"))
    width = max(len(row[0]) for row in rows)
    lines = [f"{a:<{width}}  {b:<8} {c:>7}  {d}" for a, b, c, d in rows] if len(rows) > 1 else []
    counts = {status: sum(o.status == status for o in outcomes) for status in (BUILT, FAILED, SKIPPED)}
    lines.append(
        f"built {counts[BUILT]}, up to date {fresh}, skipped {counts[SKIPPED]}, failed {counts[FAILED]}"
        f" in {seconds:.2f} s (device: {device})"
    )
    for outcome in outcomes:
        if outcome.status == FAILED:
            lines.append(f"\n{outcome.kind} {outcome.name} failed: {outcome.error}")
            if outcome.traceback:
                lines.extend("    " + line for line in outcome.traceback.splitlines())
        elif outcome.status == SKIPPED:
            lines.append(f"{outcome.kind} {outcome.name} skipped: {outcome.error}")
    return "\n".join(lines)
