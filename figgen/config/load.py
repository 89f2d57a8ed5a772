"""Find and load figgen.yaml: from the config cache while the file is unchanged, else parsed and validated.

Importing and running the YAML parser and pydantic costs more than the whole no-op build, and
figgen.yaml changes far less often than figgen runs. "Unchanged" is judged by size, mtime,
ctime and inode (a same-size edit whose mtime was put back still moves ctime), and by the
modification times of this package's own modules (a new figgen may validate differently).
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

from figgen.atomic import read_json, write_atomically
from figgen.config.cache import project_from_cache, project_to_cache
from figgen.config.model import CONFIG_NAME, Project
from figgen.errors import BadInput
from figgen.renderings import expand


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding a figgen.yaml."""
    for folder in [start, *start.parents]:
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise BadInput(f"no {CONFIG_NAME} in {start} or any folder above it")


def load_project(root: Path, allow_no_figures: bool = False) -> Project:
    """The validated project; served from `.figgen/config.json` while figgen.yaml is unchanged."""
    project = _load_project(root)
    project = dataclasses.replace(project, figures=expand(project.figures))  # a figure per rendering
    if not project.figures and not allow_no_figures:
        raise BadInput("declares no figures: add one under `figures:` (or run `figgen new`)", CONFIG_NAME,
                       project.figures_line or 1)
    if not project.package:
        raise BadInput("missing required key 'package': the Python package of your figures", CONFIG_NAME, 1)
    return project


def _code_signature() -> list[int]:
    folder = os.path.dirname(__file__)
    return sorted(entry.stat().st_mtime_ns for entry in os.scandir(folder) if entry.name.endswith(".py"))


def _load_project(root: Path) -> Project:
    import time

    from figgen.store import stat_signature, trusted

    path = root / CONFIG_NAME
    try:
        signature = [*stat_signature(path), *_code_signature()]
    except OSError as error:
        raise BadInput(f"cannot read {CONFIG_NAME}: {error.strerror}") from None
    cache = root / ".figgen" / "config.json"
    cached = read_json(cache) if cache.exists() else None
    if isinstance(cached, dict) and cached.get("signature") == signature and trusted(signature, cached.get("read_at", 0)):
        try:
            return project_from_cache(root, cached["project"])
        except (KeyError, TypeError, ValueError):
            pass  # a damaged cache is simply rebuilt
    read_at = time.time_ns()
    project = parse_project(root, read_text(path))
    from figgen.config.json_schema import refresh_schema_copy

    refresh_schema_copy(root)  # what figgen.yaml's modeline points editors at
    try:
        # keys in figgen.yaml's order, not sorted: a project read from the cache must equal the
        # project read from figgen.yaml (figgen.json shows the hyperparameters in that order)
        document = {"signature": signature, "read_at": read_at, "project": project_to_cache(project)}
        write_atomically(cache, (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode())
    except OSError:
        pass  # a read-only checkout still works, only slower
    return project


def parse_project(root: Path, text: str) -> Project:
    """The project a figgen.yaml text declares (YAML, then the schema); no cache involved."""
    from figgen.config.schema import project_from_document
    from figgen.config.yaml_lines import parse_yaml

    document, lines = parse_yaml(text, CONFIG_NAME)
    return project_from_document(root, document, lines)


def read_text(path: Path) -> str:
    data = b""
    try:
        data = path.read_bytes()
        return data.decode("utf-8")
    except OSError as error:
        raise BadInput(f"cannot read {path.name}: {error.strerror}") from None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise BadInput(f"is not UTF-8 text (byte 0x{data[error.start]:02x}): save it as UTF-8", path.name, line) from None
