"""The freshness layer's comment path (figgen/freshness/comments.py) decides "only comments
changed" without tokenize; it must never say so where the code digest (the key) changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from figgen.code_digest import code_digest
from figgen.freshness.comments import comment_lines_only, with_sources

BASE = (b'"""Doc."""\nimport os\n\nX = "a#b"  # c\nY = """\n# inside a string\n"""\nZ = \'it\\\'s\'\n\n\n'
        b'def f():\n    return 1\n')


@pytest.mark.parametrize("after, expected", [
    (BASE + b"# at the end\n", True),
    (BASE.replace(b"\ndef f", b"\n# before a function\n\ndef f"), True),
    (BASE.replace(b"    return", b"    # in a body\n    return"), True),
    (BASE.replace(b"# inside a string\n", b"# inside a string\n# also inside\n"), False),  # a docstring's text
    (BASE.replace(b"  # c", b"  # d"), False),  # after code: the tokens decide
    (b"# -*- coding: latin-1 -*-\n" + BASE, False),  # an encoding cookie
    (BASE.replace(b"return 1", b"return 2"), False),
])
def test_only_whole_comment_lines_outside_strings_pass_without_tokenize(after, expected):
    assert comment_lines_only(BASE, after) is expected
    if expected:
        assert code_digest(after) == code_digest(BASE)


def test_a_comment_line_inserted_anywhere_in_a_real_module_is_never_taken_for_code_unchanged():
    for module in sorted(Path(__file__).parent.joinpath("tinyproject").rglob("*.py")):
        data = module.read_bytes()
        lines = data.split(b"\n")
        for at in range(len(lines) + 1):
            after = b"\n".join([*lines[:at], b"    # inserted", *lines[at:]])
            if comment_lines_only(data, after):
                assert code_digest(after) == code_digest(data), f"{module}:{at}"


def test_figgen_json_shows_the_new_source_in_every_provenance_block_and_nothing_else_changes():
    import json

    document = {"figures": {"/a.png": {"alt": "x", "provenance": {
        "draw": {"path": "pkg/fig.py", "source": 'old "text"\n'},
        "models": [{"class": "M", "name": "m", "path": "pkg/fig.py", "source": "old"},
                   {"class": "N", "name": "n", "path": "pkg/other.py", "source": "kept"}]}}}}
    written = (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    new = 'x = "é"\n# une remarque\n'
    shown = with_sources(written, {"pkg/fig.py": new.encode()})
    document["figures"]["/a.png"]["provenance"]["draw"]["source"] = new
    document["figures"]["/a.png"]["provenance"]["models"][0]["source"] = new
    assert shown == (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
