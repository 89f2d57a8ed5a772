#!/usr/bin/env sh
# strace, with which figgen traces the child processes a task starts (figgen/reach.py): the files
# they open become the task's inputs. Without it such a task is only marked "cannot vouch", and
# tests/test_incremental.py's "data file read by a child process" fails. Debian/Ubuntu package.
set -eu

if command -v strace >/dev/null 2>&1; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "install-strace: strace is missing and installing it needs root (apt-get install strace)." >&2
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-strace: no apt-get here; install strace yourself." >&2
    exit 0
fi

echo "install-strace: installing strace..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq strace >/dev/null
strace -V | head -1
