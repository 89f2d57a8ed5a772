"""Run a function on a library right after it is imported: a meta-path finder that wraps the
module's loader once, then steps aside (used to seed torch and to observe Pillow's fonts)."""

from __future__ import annotations

import sys


class AfterImport:
    """A meta-path finder that calls `then(module)` once `name` is imported, then steps aside."""

    def __init__(self, name: str, then):
        self.name, self.then = name, then

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        original, then = spec.loader.exec_module, self.then

        def exec_module(module):
            original(module)
            then(module)

        spec.loader.exec_module = exec_module
        return spec

    def invalidate_caches(self) -> None:
        pass
