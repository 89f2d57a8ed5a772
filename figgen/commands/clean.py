"""`figgen clean`: remove the images figgen wrote, figgen.json and the cache (models included).

An image edited by hand since figgen wrote it, or a file figgen never wrote at a declared
output, is kept and named (figgen/ownership.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from figgen.config import find_root, load_project
from figgen.lock import DEFAULT_LOCK_TIMEOUT, project_lock
from figgen.store import remove_cache


def clean(start: Path, lock_timeout: float = DEFAULT_LOCK_TIMEOUT, out=sys.stdout) -> int:
    project = load_project(find_root(start.resolve()), allow_no_figures=True)
    removed = 0
    with project_lock(project.root, lock_timeout, lambda text: print(f"figgen: {text}", file=sys.stderr)):
        from figgen.ownership import removable
        from figgen.store import FigureRecords

        remove, keep = removable(project, FigureRecords(project.cache / "figures.json"))
        for path in remove:
            path.unlink()
            removed += 1
        for path in keep:
            print(f"figgen: kept {path.relative_to(project.root)}: figgen did not write it, or it was edited "
                  "by hand since", file=sys.stderr)
        from figgen.export.published import remove_published

        exports = remove_published(project)  # models published for the browser (figgen/export/)
        project.data_file.unlink(missing_ok=True)
        remove_cache(project.cache)  # the lock is on the project folder, not in the cache
    exported = f"{exports} exported models, " if exports else ""
    print(f"removed {removed} generated images, {exported}{project.data_file.name} and {project.cache.name}/", file=out)
    return 0
