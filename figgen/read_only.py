"""`check`, `why` and `list` work in a read-only checkout (a CI cache, a container layer).

They only read; what they write is figgen's own caches (source digests, the no-op stamp, the
config cache). While one of them runs, a cache that cannot be written is left as it is: the
answer is the same, only the next run is slower.
"""

from __future__ import annotations

import contextlib
import errno

_reading_only = False
_DENIED = (errno.EACCES, errno.EPERM, errno.EROFS)


def reading_only() -> None:
    """Called by a command that writes nothing but caches."""
    global _reading_only
    _reading_only = True


@contextlib.contextmanager
def cache_write():
    """Around a write: a refused one is skipped while a read-only command runs."""
    try:
        yield
    except OSError as error:
        if not (_reading_only and error.errno in _DENIED):
            raise
