"""`package:` names a folder beside figgen.yaml (figgen/loader.py imports it from there only):
a misspelt name is refused at load time, on its line, not as a traceback in every task."""

from __future__ import annotations

import difflib
from pathlib import Path


def missing_package(root: Path, package: str) -> str | None:
    """Why `package` is not the project's package folder, or None."""
    if (root / package).is_dir():
        return None
    try:
        folders = sorted(p.name for p in root.iterdir() if (p / "__init__.py").is_file())
    except OSError:
        folders = []
    close = difflib.get_close_matches(package, folders, n=1)
    hint = f"; did you mean {close[0]}?" if close else f" (packages there: {', '.join(folders) or 'none'})"
    return f"package: no folder '{package}' beside figgen.yaml{hint}"
