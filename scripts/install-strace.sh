#!/usr/bin/env sh
# strace, with which figgen traces the child processes a task starts (figgen/reach.py): the files
# they open become the task's inputs. Without it such a task is only marked "cannot vouch", and
# tests/test_incremental.py's "data file read by a child process" fails. Debian/Ubuntu package.
set -eu

if command -v strace >/dev/null 2>&1; then
    exit 0
fi
"$(dirname "$0")/apt-install.sh" install-strace strace
if command -v strace >/dev/null 2>&1; then strace -V | head -1; fi
