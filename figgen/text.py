"""The one way figgen reads a text file: a decoding error is `file:line: ...` (exit 2), never a traceback.

Pages, figgen.yaml and figure modules are written by hand, in editors that may save Latin-1.
Python source is decoded as Python itself decodes it: UTF-8 unless a PEP 263 cookie
(`# -*- coding: latin-1 -*-`) on one of its first two lines says otherwise.
"""

from __future__ import annotations

import re
from pathlib import Path

from figgen.errors import BadInput

_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def read_text(path: Path, shown: str | None = None, python: bool = False, what: str = "file") -> str:
    """The text of `path`; `shown` names it in errors (a project-relative path), `what` says what it is."""
    shown = shown or str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        hint = " (a dangling symbolic link?)" if Path(path).is_symlink() else ""
        raise BadInput(f"cannot read this {what}: {error.strerror}{hint}", shown) from None
    encoding = source_encoding(data) if python else "utf-8"
    try:
        return data.decode(encoding)
    except LookupError:
        raise BadInput(f"declares an unknown encoding '{encoding}'", shown, 1) from None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        advice = "save it as UTF-8" if encoding == "utf-8" else f"save it as {encoding} or UTF-8"
        name = "UTF-8" if encoding == "utf-8" else encoding
        raise BadInput(f"is not {name} text (byte 0x{data[error.start]:02x}): {advice}", shown, line) from None


def source_encoding(data: bytes) -> str:
    """What Python decodes a module with: its coding cookie, else UTF-8 (PEP 263, PEP 3120)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    for line in data.split(b"\n", 2)[:2]:
        match = _CODING.match(line)
        if match:
            return match[1].decode("ascii").lower()
        if line.strip() and not line.lstrip().startswith(b"#"):
            break  # the cookie must come before any code
    return "utf-8"
