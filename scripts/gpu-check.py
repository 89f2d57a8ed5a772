#!/usr/bin/env python3
"""The GPU check: build the course from cold on CUDA and on the CPU, compare, check the bars.

Meant for a CUDA machine with no network and no `make` set-up: it needs only a python3 with
torch (a CUDA build), numpy, matplotlib, scikit-learn, Pillow, click, pyyaml, jinja2, filelock.
From a checkout:

    python3 scripts/gpu-check.py                 # results under $OUT, or ./gpu-check-out
    python3 scripts/gpu-check.py --devices cpu   # the same on a machine without CUDA

Each device builds its own fresh copy of the checkout with
`PYTHONPATH=<copy> python3 -m figgen build --device D --force`, so nothing is cached between
them. Under the output folder: build-D.log, figgen-D.json (site/data/figgen.json of that build)
and gpu-check.md, a table of each model's training seconds and metrics per device, the cold
build's wall time, and the quality bars. Exit 0 when every build built every task and every
bar holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
SKIPPED = {".git", ".venv", ".figgen", "__pycache__", ".pytest_cache", "gpu-check-out"}
GENERATED = ("site/public", "site/resources", "site/data/figgen.json", "site/static/images/module")
SUMMARY = re.compile(r"built (\d+), up to date (\d+), skipped (\d+), failed (\d+) in ([\d.]+) s")


def copy_checkout(target: Path) -> Path:
    """The checkout's sources, without caches, venvs or anything a build generates."""

    def ignored(folder: str, names: list[str]) -> set[str]:
        relative = Path(folder).relative_to(CHECKOUT).as_posix()
        return {name for name in names
                if name in SKIPPED or f"{relative}/{name}".lstrip("./").startswith(GENERATED)}

    shutil.copytree(CHECKOUT, target, ignore=ignored, symlinks=True)
    return target


def build(device: str, work: Path, out: Path, extra: list[str], timeout: int) -> dict:
    """Build a fresh copy on `device`; what the check reports about it."""
    project = copy_checkout(work / f"course-{device}")
    command = [sys.executable, "-m", "figgen", "build", "--device", device, "--force", *extra]
    environment = {**os.environ, "PYTHONPATH": str(project), "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True, timeout=timeout)
        log, code = done.stdout + done.stderr, done.returncode
    except subprocess.TimeoutExpired as expired:
        log, code = f"{expired.stdout or ''}{expired.stderr or ''}\ntimed out after {timeout} s", 124
    wall = time.perf_counter() - started
    (out / f"build-{device}.log").write_text(f"$ {' '.join(command)}\n{log}")
    data = project / "site" / "data" / "figgen.json"
    models = {}
    if data.exists():
        shutil.copyfile(data, out / f"figgen-{device}.json")
        models = json.loads(data.read_text())["models"]
    summary = SUMMARY.search(log)
    return {
        "device": device,
        "exit": code,
        "wall": wall,
        "built": int(summary.group(1)) if summary else 0,
        "failed": int(summary.group(4)) if summary else None,
        "models": models,
    }


def quality_bars(models: dict) -> list[tuple[str, bool]]:
    """The course's claims (tests/test_quality_bars.py), read from one build's figgen.json."""
    def metric(name: str) -> dict:
        return models.get(name, {}).get("metrics", {})

    rnn, lstm = metric("rnn").get("accuracy_by_delay", {}), metric("lstm").get("accuracy_by_delay", {})
    return [
        ("cnn test accuracy >= 0.97", metric("cnn").get("test_accuracy", 0) >= 0.97),
        ("lstm >= 0.9 where rnn <= 0.5", any(lstm.get(d, 0) >= 0.9 and rnn[d] <= 0.5 for d in rnn)),
        ("next word 'va'", metric("lm").get("next_word") == "va"),
        ("autoencoder test mse < 0.04", metric("autoencoder").get("test_mse", 1) < 0.04),
    ]


def machine() -> str:
    import torch

    cpu = platform.processor() or platform.machine()
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no CUDA device"
    return (f"{gpu}; {os.cpu_count()} CPU cores ({cpu}); Python {platform.python_version()}; "
            f"torch {torch.__version__} (CUDA {torch.version.cuda})")


def short_metrics(metrics: dict) -> str:
    def number(value):
        return f"{value:.4g}" if isinstance(value, float) else str(value)

    parts = []
    for key, value in metrics.items():
        if isinstance(value, dict):
            value = "/".join(number(value[k]) for k in sorted(value, key=int))
            parts.append(f"{key} {value}")
        elif key not in ("vocabulary_size",):
            parts.append(f"{key} {number(value)}")
    return ", ".join(parts)


def report(builds: list[dict], command: str) -> str:
    devices = [b["device"] for b in builds]
    lines = [f"# figgen GPU check ({time.strftime('%Y-%m-%d %H:%M')})", "", f"Machine: {machine()}", "",
             f"Command: `{command}`", ""]
    lines += ["| model | " + " | ".join(f"{d} (s)" for d in devices)
              + (" | cuda / cpu" if {"cuda", "cpu"} <= set(devices) else "") + " | metrics |",
              "|---" * (len(devices) + 2 + ({"cuda", "cpu"} <= set(devices))) + "|"]
    names = sorted({name for b in builds for name in b["models"]})
    for name in names:
        seconds = [b["models"].get(name, {}).get("seconds") for b in builds]
        row = [name] + [f"{s:.2f}" if s is not None else "failed" for s in seconds]
        if {"cuda", "cpu"} <= set(devices):
            cuda, cpu = (builds[devices.index(d)]["models"].get(name, {}).get("seconds") for d in ("cuda", "cpu"))
            row.append(f"{cuda / cpu:.2f}" if cuda and cpu else "-")
        row.append("; ".join(f"{b['device']}: {short_metrics(b['models'].get(name, {}).get('metrics', {}))}"
                             for b in builds))
        lines.append("| " + " | ".join(row) + " |")
    lines.append("| **cold build, wall** | " + " | ".join(f"{b['wall']:.1f}" for b in builds)
                 + (f" | {builds[devices.index('cuda')]['wall'] / builds[devices.index('cpu')]['wall']:.2f}"
                    if {"cuda", "cpu"} <= set(devices) else "") + " | |")
    lines += ["", "| device | exit | tasks built | failed | " + " | ".join(bar for bar, _ in quality_bars({})) + " |",
              "|---" * (4 + len(quality_bars({}))) + "|"]
    for b in builds:
        bars = quality_bars(b["models"])
        lines.append(f"| {b['device']} | {b['exit']} | {b['built']} | {b['failed']} | "
                     + " | ".join("ok" if held else "**FAILS**" for _, held in bars) + " |")
    return "\n".join(lines) + "\n"


def passed(builds: list[dict], tasks: int) -> bool:
    return all(b["exit"] == 0 and b["built"] == tasks and all(held for _, held in quality_bars(b["models"]))
               for b in builds)


def main() -> int:
    import torch

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", default="cuda,cpu" if torch.cuda.is_available() else "cpu",
                        help="comma-separated, built in this order (default: cuda,cpu where CUDA is present)")
    parser.add_argument("--out", type=Path, default=Path(os.environ.get("OUT", "gpu-check-out")))
    parser.add_argument("--tasks", type=int, default=27, help="tasks a complete build builds (default 27)")
    parser.add_argument("--timeout", type=int, default=240, help="seconds per build")
    parser.add_argument("build_options", nargs="*", help="passed to figgen build (after --), e.g. -- --jobs 2")
    arguments = parser.parse_args()
    out = arguments.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    builds = []
    with tempfile.TemporaryDirectory(prefix="figgen-gpu-check-") as work:
        for device in arguments.devices.split(","):
            builds.append(build(device, Path(work), out, arguments.build_options, arguments.timeout))
            print(f"{device}: exit {builds[-1]['exit']}, {builds[-1]['built']} built, {builds[-1]['wall']:.1f} s",
                  flush=True)
    command = "python3 scripts/gpu-check.py " + " ".join(sys.argv[1:])
    table = report(builds, command.strip())
    (out / "gpu-check.md").write_text(table)
    print(table)
    return 0 if passed(builds, arguments.tasks) else 1


if __name__ == "__main__":
    sys.exit(main())
