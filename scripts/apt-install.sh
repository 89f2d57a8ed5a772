#!/usr/bin/env sh
# scripts/apt-install.sh WHO PACKAGE...: install Debian/Ubuntu packages that tests need, as root
# or through password-less sudo. Where neither apt-get nor root is at hand it says so and exits 0:
# the tests that need the packages skip or say what is missing (the install-*.sh scripts call this).
set -eu
who=$1
shift

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "$who: $* missing, and installing needs root (run this script as root)." >&2
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "$who: no apt-get here; install $* yourself." >&2
    exit 0
fi

echo "$who: installing $*..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "$@" >/dev/null
