"""Test tiers, checked: a test that trains the course, builds the course with Hugo or starts a
browser must say so with its marker, or it fails by name.

`make test-fast` deselects the `course`, `browser` and `slow` markers. A marker forgotten would
quietly put minutes of training back into the fast tier; so the helpers that do that work call
`require(marker)`, which fails the running test unless it carries the marker, in every tier.
"""

from __future__ import annotations

current_markers: set[str] = set()  # the markers of the test being run (set by conftest.py)
current_test: str = ""


class MissingMarker(AssertionError):
    pass


def require(marker: str, what: str) -> None:
    """Fail the running test unless it is marked `marker` (outside pytest: nothing to check)."""
    if current_test and marker not in current_markers:
        raise MissingMarker(f"{current_test} {what} but is not marked @pytest.mark.{marker}")
