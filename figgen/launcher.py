"""The `figgen` entry point: errors become one line and an exit code, here and only here.

`make figures` and `make check` run `figgen build` and `figgen check` with no options on every
save and before every Hugo build. Importing click costs about 65 ms, close to half of the
no-op budget (0.15 s), so those exact invocations go straight to their command function;
anything with an option or another command goes through the click interface in cli.py.
Before either, a stamp may answer them (freshness/stamp.py): when no file they could read changed
since they last found everything up to date, they cost little more than stat-ing those files.
"""

from __future__ import annotations

import sys

from figgen.errors import FiggenError

running = False  # main() is this process's command line
INTERRUPTED = "figgen: interrupted: finished figures are kept, the next build does the rest"


def plain_invocation(argv: list[str]):
    """(project folder, command) for `[-C DIR] build|check` and nothing else; None otherwise."""
    plain = _plain_arguments(argv)
    if plain is None:
        return None
    from pathlib import Path

    return Path(plain[0]), plain[1]


def _plain_arguments(argv: list[str]) -> tuple[str, str] | None:
    project = "."
    if len(argv) == 3 and argv[0] in ("-C", "--project"):
        project, argv = argv[1], argv[2:]
    if len(argv) == 1 and argv[0] in ("build", "check"):
        return project, argv[0]
    return None


def main() -> None:
    global running
    running = True  # a build with work may start again with PYTHONHASHSEED=0 (figgen/hermetic.py)
    try:
        plain = _plain_arguments(sys.argv[1:])
        if plain is not None:
            from figgen.freshness.stamp import answer

            if answer(*plain):  # nothing changed since the last no-op: its answer, from the stamp
                return
        plain = plain_invocation(sys.argv[1:])
        if plain is None:
            from figgen.cli import run_cli

            run_cli()
        elif plain[1] == "build":
            from figgen.commands.build import build

            build(plain[0])
        else:
            from figgen.commands.check import check

            check(plain[0])
    except FiggenError as error:
        print(f"figgen: error: {error}", file=sys.stderr)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except OSError as error:  # a full disk, a folder replaced by a file: name the path, no traceback
        from figgen.errors import describe_os_error

        print(f"figgen: error: {describe_os_error(error)}", file=sys.stderr)
        sys.exit(1)
