#!/usr/bin/env sh
# Headless Chromium and its WebDriver for tests/test_browser.py (Debian/Ubuntu packages).
# Does nothing when both are already installed; the browser tests skip when they are absent.
set -eu

if command -v chromium >/dev/null 2>&1 && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi
"$(dirname "$0")/apt-install.sh" install-chromium chromium chromium-driver
if command -v chromium >/dev/null 2>&1; then chromium --version; fi
