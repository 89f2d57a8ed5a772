"""The JSON Schema of figgen.yaml, generated from the types that validate it (`figgen schema` prints it).

YAML language servers (VS Code's YAML extension, and others) read it through the first line
`figgen init` writes: `# yaml-language-server: $schema=.figgen/figgen.schema.json`. figgen keeps
that copy current whenever it reads a changed figgen.yaml, so it follows the installed figgen.
"""

from __future__ import annotations

import json
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent / "figgen.schema.json"
SCHEMA_COPY = ".figgen/figgen.schema.json"  # relative to figgen.yaml, as its modeline names it
MODELINE = f"# yaml-language-server: $schema={SCHEMA_COPY}"


def schema_text() -> str:
    from figgen.config.schema import json_schema

    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def refresh_schema_copy(root: Path) -> None:
    """Put the shipped schema at .figgen/figgen.schema.json unless it is already there."""
    from figgen.atomic import write_atomically

    target = root / SCHEMA_COPY
    try:
        shipped = SHIPPED.read_bytes()
        if not target.is_file() or target.read_bytes() != shipped:
            write_atomically(target, shipped)
    except OSError:
        pass  # a read-only checkout only loses the editor's completion
