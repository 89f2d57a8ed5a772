"""A file name that is not UTF-8 (`caf\\xe9.md`, from a Latin-1 archive) cannot go into
figgen.json, a record or a page's URL: the project's own files are refused by name, in one
line, before anything is written."""

from __future__ import annotations

import os
from pathlib import Path

from figgen.errors import BadInput


def shown(path: Path) -> str:
    """The name as bytes escape it: `content/docs/caf\\xe9.md`."""
    return repr(os.fsencode(path))[2:-1]


def refuse_undecodable(paths: list[Path], what: str) -> list[Path]:
    """`paths`, or a BadInput naming the first whose name is not UTF-8."""
    for path in paths:
        try:
            str(path).encode("utf-8")
        except UnicodeEncodeError:
            raise BadInput(f"{shown(path)}: the name of this {what} is not UTF-8: rename it "
                           "(figgen writes names into figgen.json and the site's URLs)") from None
    return paths
