"""Shared fixtures: a tiny figgen project built for real, and a way to run the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tiers

REPO = Path(__file__).resolve().parent.parent
TINY = Path(__file__).resolve().parent / "tinyproject"
SHARED_SEED = REPO.parent / "shared" / "seed"

# Runs figgen's CLI and, at exit, reports which heavy libraries the process had imported.
_RUN_AND_REPORT_IMPORTS = """
import atexit, sys
atexit.register(lambda: print("HEAVY-IMPORTS:" + ",".join(
    m for m in ("torch", "matplotlib", "numpy", "jinja2") if m in sys.modules), file=sys.stderr))
sys.argv = ["figgen"] + sys.argv[1:]
from figgen.launcher import main
main()
"""


def run_figgen(project: Path, *args: str, timeout: float = 300, check: bool = False,
               env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`cwd`: where it runs (`python -c` puts its folder first on sys.path, before PYTHONPATH)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    result = subprocess.run(
        [sys.executable, "-c", _RUN_AND_REPORT_IMPORTS, "-C", str(project), *args],
        capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"figgen {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def heavy_imports(result: subprocess.CompletedProcess) -> list[str]:
    line = next(line for line in result.stderr.splitlines() if line.startswith("HEAVY-IMPORTS:"))
    return [name for name in line.split(":", 1)[1].split(",") if name]


def built(result: subprocess.CompletedProcess) -> set[str]:
    """Names in the summary table that were built: figure site paths and 'model NAME'."""
    names = set()
    for line in result.stdout.splitlines():
        parts = line.split()
        if "built" in parts[1:3] and not line.startswith("built "):
            names.add(" ".join(parts[: parts.index("built")]))
    return names


@pytest.fixture(scope="session")
def built_tiny(tmp_path_factory) -> Path:
    """The tiny project after one real cold build (copied by each test that changes it)."""
    project = tmp_path_factory.mktemp("tiny-built") / "project"
    shutil.copytree(TINY, project)
    run_figgen(project, "build", check=True)
    return project


@pytest.fixture
def tiny(built_tiny, tmp_path) -> Path:
    """A private, already built copy of the tiny project."""
    project = tmp_path / "project"
    shutil.copytree(built_tiny, project)
    return project


@pytest.fixture
def fresh_tiny(tmp_path) -> Path:
    """A private copy of the tiny project that was never built."""
    project = tmp_path / "project"
    shutil.copytree(TINY, project, ignore=shutil.ignore_patterns(".figgen", "images", "data", "__pycache__"))
    return project


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Tell tiers.require which markers the running test carries (before any fixture runs,
    so a module-scoped fixture that trains the course is caught too)."""
    tiers.current_markers = {marker.name for marker in item.iter_markers()}
    tiers.current_test = item.nodeid


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item):
    tiers.current_markers, tiers.current_test = set(), ""
