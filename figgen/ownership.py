"""figgen touches only what it made: the images it wrote, as its records show.

An author's own `logo.png` at the path of a newly declared figure is not figgen's: `figgen new`
refuses the path, a build refuses to overwrite the file, and `figgen clean` keeps it. A record
(`.figgen/figures.json`) holds the sha256 of the image figgen wrote; a small ledger
(`.figgen/written.json`, {output: sha256}) keeps the same facts apart from the records, so that
records discarded as unreadable do not turn figgen's own images into an author's files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from figgen.atomic import read_json, write_json_atomically
from figgen.errors import BadInput

LEDGER = "written.json"


def _ledger(project) -> dict[str, str]:
    path = project.cache / LEDGER
    document = read_json(path, default={}) if path.exists() else {}
    return {k: v for k, v in document.items() if isinstance(v, str)} if isinstance(document, dict) else {}


def written_digests(project, records) -> dict[str, set[str]]:
    """{output: the sha256s figgen is known to have written there}."""
    known: dict[str, set[str]] = {}
    for output, digest in _ledger(project).items():
        known.setdefault(output, set()).add(digest)
    for figure in project.figures:
        digest = records.get(figure.output).sha256
        if digest:
            known.setdefault(figure.output, set()).add(digest)
    return known


def remember(project, records) -> None:
    """After a build: the images its records say figgen wrote (one small file, written if changed)."""
    ledger = _ledger(project)
    updated = dict(ledger)
    for figure in project.figures:
        digest = records.get(figure.output).sha256
        if digest and project.output_file(figure).exists():
            updated[figure.output] = digest
    if updated != ledger:
        write_json_atomically(project.cache / LEDGER, dict(sorted(updated.items())))


def _shown(project, path: Path) -> str:
    try:
        return str(path.relative_to(project.root))
    except ValueError:
        return str(path)


def refuse_foreign_files(project, records, figures) -> None:
    """Before a build writes `figures`: a file at one of their paths that figgen's records do not
    show it wrote is the author's; refused, one line naming it (exit 2)."""
    known = None
    for figure in figures:
        path = project.output_file(figure)
        if not path.is_file():
            continue
        known = known if known is not None else written_digests(project, records)
        if figure.output not in known:
            raise BadInput(f"{_shown(project, path)} is not a file figgen wrote ({figure.output} is declared in "
                           "figgen.yaml): move it or delete it, then build again")


def refuse_existing_output(project, outputs: list[str]) -> None:
    """`figgen new`: a path that already holds a file is refused (one line, exit 2)."""
    for output in outputs:
        path = project.site_file(output)
        if path.exists():
            raise BadInput(f"{_shown(project, path)} already exists: figgen would overwrite it; "
                           "choose another image name, or move the file first")


def sha256_of(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def removable(project, records) -> tuple[list[Path], list[Path]]:
    """`figgen clean`: (images figgen wrote and nobody changed since, images it keeps)."""
    known = written_digests(project, records)
    remove, keep = [], []
    for figure in project.figures:
        path = project.output_file(figure)
        if not path.is_file():
            continue
        (remove if sha256_of(path) in known.get(figure.output, ()) else keep).append(path)
    return remove, keep
