"""`figgen check`: the CI gate that keeps the pages and the generated figures in sync.

Fails (exit 1) when a page shows an image that no figure declares and no hand-made file
provides, or when a declared figure is missing or stale. Declared figures that no page shows
are only warnings: a draft may not use them yet.
"""

from __future__ import annotations

import sys
from pathlib import Path

from figgen.content_scan import scan_content
from figgen.errors import OutOfSync
from figgen.planner import FRESH
from figgen.workspace import open_workspace


def check(start: Path, out=sys.stdout, err=sys.stderr) -> int:
    workspace = open_workspace(start)
    project = workspace.project
    status = workspace.statuses()
    workspace.save_sources_cache()
    declared = {figure.output: figure for figure in project.figures}
    problems: list[str] = []
    used: set[str] = set()

    def where(path: Path, line: int) -> str:
        try:
            return f"{path.relative_to(project.root)}:{line}"
        except ValueError:
            return f"{path}:{line}"

    for reference in scan_content(project.content):
        src = reference.src
        if src in declared:
            used.add(src)
            if status[src] != FRESH:
                fix = workspace.syntax_error(declared[src]) or "run make figures"
                problems.append(f"{where(reference.page, reference.line)}: {src} is {status[src]}: {fix}")
        elif not _hand_made_file_exists(project, reference.page, src):
            problems.append(f"{where(reference.page, reference.line)}: {src} is not declared by any figure")

    for output, figure in declared.items():
        if output not in used:
            print(f"figgen: warning: {output} is declared (figgen.yaml:{figure.line}) but no page shows it", file=err)
            if status[output] != FRESH:
                fix = workspace.syntax_error(figure) or "run make figures"
                problems.append(f"figgen.yaml:{figure.line}: {output} is {status[output]}: {fix}")

    for problem in problems:
        print(problem, file=out)
    if problems:
        raise OutOfSync(f"{len(problems)} problem(s): the site and its figures are out of sync")
    print(f"ok: {len(declared)} figures fresh, every image the pages show exists", file=out)
    return 0


def _hand_made_file_exists(project, page: Path, src: str) -> bool:
    if src.startswith("/"):
        candidate = (project.static / src.lstrip("/")).resolve()
        return candidate.is_file() and project.static.resolve() in candidate.parents
    return (page.parent / src).is_file()  # a page-relative image in a page bundle
