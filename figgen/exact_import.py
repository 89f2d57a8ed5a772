"""Import the project's modules from the exact bytes on disk, and remember what was run.

Python reuses a `.pyc` whose recorded source mtime (whole seconds) and size match: a same-size
edit saved within the same second runs the old code under the new fingerprint. For the tracked
packages we compile from the source bytes, never through the bytecode cache, and keep the
sha256 of every file compiled, so the runner can check that what ran is what was fingerprinted.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import os
import sys

executed: dict[str, str] = {}  # real path of each compiled source file -> sha256 of its bytes


class ExactSourceLoader(importlib.machinery.SourceFileLoader):
    def get_code(self, fullname):
        path = self.get_filename(fullname)
        source = self.get_data(path)
        executed[os.path.realpath(path)] = hashlib.sha256(source).hexdigest()
        return compile(source, path, "exec", dont_inherit=True)


class ExactSourceFinder:
    """A meta-path finder for the tracked packages only; everything else imports as usual."""

    def __init__(self, packages: set[str]):
        self.packages = packages

    def find_spec(self, fullname, path=None, target=None):
        if fullname.partition(".")[0] not in self.packages:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and type(spec.loader) is importlib.machinery.SourceFileLoader:
            spec.loader = ExactSourceLoader(fullname, spec.origin)
        return spec

    def invalidate_caches(self) -> None:
        pass


def install(packages: set[str]) -> None:
    """Route imports of `packages` through the exact loader (idempotent)."""
    for finder in sys.meta_path:
        if isinstance(finder, ExactSourceFinder):
            finder.packages |= packages
            return
    sys.meta_path.insert(0, ExactSourceFinder(set(packages)))
