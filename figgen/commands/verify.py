"""`figgen build --verify`: draw the figures again in a scratch copy; name each whose bytes differ.

A figure whose bytes change from one build to the next escaped figgen's seeding (os.urandom,
the clock, a thread race...): its readers would see a different image after every clean
build, and the remote cache would hold whichever came first. The build runs first, as usual;
then the project is copied (without its version control, virtual environments and the
figures' images) and built again in a fresh process, with the trained models kept (checkpoints
are verified by their own fingerprints) and no remote cache to pull from: only drawing runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from figgen.errors import BuildFailed

# Never copied: history, environments, tools, Hugo's output.
_LEFT_OUT = (".git", ".hg", ".venv", "venv", "node_modules", "__pycache__", ".tools", "public", "resources",
             ".pytest_cache")


class NotReproducible(BuildFailed):
    """A figure drawn twice from the same sources gave different bytes."""


def verify(start: Path, names=(), jobs=None, device="auto", out=sys.stdout, err=sys.stderr) -> int:
    from figgen.commands.build import build
    from figgen.names import figures_named
    from figgen.workspace import open_workspace

    build(start, names, device=device, jobs=jobs, out=out, err=err)
    project = open_workspace(start).project
    selected = figures_named(project, tuple(names))
    with tempfile.TemporaryDirectory(prefix="figgen-verify-") as scratch:
        copy = Path(scratch) / "project"
        shutil.copytree(project.root, copy, symlinks=True, ignore=shutil.ignore_patterns(*_LEFT_OUT))
        for figure in selected:
            (copy / project.output_file(figure).relative_to(project.root)).unlink(missing_ok=True)
        environ = {**os.environ}
        if project.cache_url or environ.get("FIGGEN_CACHE_URL"):  # drawn here, never pulled
            environ.update(FIGGEN_CACHE_URL=(Path(scratch) / "no-cache").as_uri(), FIGGEN_CACHE_READONLY="1")
        command = [sys.executable, "-m", "figgen", "-C", str(copy), "build", *(["--jobs", str(jobs)] if jobs else []),
                   "--device", device]
        again = subprocess.run(command, capture_output=True, text=True, env=environ, cwd=scratch)
        if again.returncode != 0:
            raise BuildFailed("the second build, in a scratch copy, failed:\n" + (again.stdout + again.stderr).strip())
        differing = [figure.output for figure in selected if _bytes(project.output_file(figure))
                     != _bytes(copy / project.output_file(figure).relative_to(project.root))]
    if differing:
        for output in differing:
            print(f"{output}: not reproducible: drawn again from the same sources, its bytes differ", file=out)
        raise NotReproducible(f"{len(differing)} of {len(selected)} figures are not reproducible (randomness "
                              "figgen does not seed: os.urandom, the clock, threads?)")
    print(f"verified: {len(selected)} figures drawn again give the same bytes", file=out)
    return 0


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
