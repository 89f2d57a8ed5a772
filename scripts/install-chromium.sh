#!/usr/bin/env sh
# Headless Chromium and its WebDriver for tests/test_browser.py (Debian/Ubuntu packages).
# Does nothing when both are already installed; the browser tests skip when they are absent.
set -eu

if command -v chromium >/dev/null 2>&1 && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "install-chromium: chromium and chromium-driver are missing and installing them needs root;" >&2
    echo "install-chromium: the browser tests will be skipped (run this script as root to get them)." >&2
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-chromium: no apt-get here; install chromium and its chromedriver yourself." >&2
    exit 0
fi

echo "install-chromium: installing chromium and chromium-driver..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
chromium --version
