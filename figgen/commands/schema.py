"""`figgen schema`: print the JSON Schema of figgen.yaml (figgen/config/json_schema.py)."""

from __future__ import annotations

import sys

from figgen.config.json_schema import SHIPPED, schema_text  # noqa: F401  (SHIPPED: the copy in the package)


def schema(out=sys.stdout) -> int:
    out.write(schema_text())
    return 0
