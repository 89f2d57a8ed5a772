"""The few ways figgen can fail, each mapped to one exit code.

The CLI catches `FiggenError` once and prints its message as one line: no traceback for
problems the user can fix.
"""

EXIT_OK = 0
EXIT_FAILED = 1  # a build failed, or the site is out of sync with the code
EXIT_BAD_INPUT = 2  # bad configuration, bad arguments, unusable device


class FiggenError(Exception):
    exit_code = EXIT_FAILED

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line:
            where += f":{self.line}"
        return f"{where}: {self.message}" if where else self.message


class BadInput(FiggenError):
    """Something the user wrote (figgen.yaml, a flag, a figure name) cannot be used."""

    exit_code = EXIT_BAD_INPUT


class BuildFailed(FiggenError):
    """At least one model or figure could not be made."""


class OutOfSync(FiggenError):
    """The pages and the generated figures disagree (`figgen check`)."""


class LockTimeout(FiggenError):
    """Another build held the project lock for longer than --lock-timeout."""


class UnreadableCheckpoint(FiggenError):
    """A checkpoint whose bytes match its record but that torch refuses to load (tampered)."""

    def __init__(self, model: str, path, reason: str):
        super().__init__(f"checkpoint of model '{model}' cannot be loaded ({reason}): {path}")
        self.model = model


def describe_os_error(error: OSError) -> str:
    """`cannot write PATH: reason` for a failed write: the path the user must look at."""
    path = error.filename2 or error.filename
    reason = error.strerror or str(error)
    return f"cannot write {path}: {reason}" if path else f"cannot write: {reason}"
