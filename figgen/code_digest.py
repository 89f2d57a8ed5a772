"""The digest of what Python executes in a module: a comment costs nothing.

A module's key is the digest of its tokens without comments and blank lines (their kind and
text, not their place): a comment-only edit, or a blank line added, neither retrains a model
nor redraws a figure. Everything Python runs counts, docstrings included (`__doc__` can be
read). A file that does not tokenize (a syntax or encoding error) counts by its bytes: the
build reports the error anyway. The provenance block still shows today's source: figgen.json
is recomposed from the files (figgen/freshness/: a comment-only edit rewrites only its provenance).
"""

from __future__ import annotations

import hashlib
import io
import tokenize

_SKIPPED = (tokenize.COMMENT, tokenize.NL)
_PLACE_ONLY = (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)  # "\r\n" or 2 spaces: the same code


def code_digest(source: bytes) -> str:
    digest = hashlib.sha256(b"tokens\0")
    try:
        for token in tokenize.tokenize(io.BytesIO(source).readline):
            if token.type not in _SKIPPED:
                text = "" if token.type in _PLACE_ONLY else token.string
                digest.update(f"{token.type}\0{text}\0".encode("utf-8", "surrogatepass"))
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError, ValueError):
        return hashlib.sha256(source).hexdigest()
    return digest.hexdigest()


def file_code_digest(path: str) -> str | None:
    """A Python file's code digest; None if it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return code_digest(handle.read())
    except OSError:
        return None
