"""Installed versions of the libraries that change what a figure looks like.

Read from the `*.dist-info` and `*.egg-info` names on sys.path (pip, setuptools' develop
installs and Debian's dist-packages all leave one) rather than with importlib.metadata, which
costs more than the whole no-op build may take. As the interpreter imports: the first folder
of sys.path that holds a distribution gives its version.
"""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache



@lru_cache(maxsize=None)
def _dist_infos() -> dict[str, str]:
    found: dict[str, str] = {}
    pattern = re.compile(r"^(?P<name>[A-Za-z0-9_.]+)-(?P<version>[^-]+?)(?:-py\d[\d.]*)?\.(?:dist|egg)-info$")
    for folder in sys.path:
        if not folder or not os.path.isdir(folder):
            continue
        for entry in os.listdir(folder):
            match = pattern.match(entry)
            if match:
                name = re.sub(r"[-_.]+", "-", match["name"]).lower()
                found.setdefault(name, match["version"])
    return found


def installed_version(distribution: str) -> str:
    return _dist_infos().get(re.sub(r"[-_.]+", "-", distribution).lower(), "absent")


def versions(libraries: tuple[str, ...]) -> dict[str, str]:
    return {name: installed_version(name) for name in libraries}
