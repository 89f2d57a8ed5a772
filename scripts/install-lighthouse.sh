#!/usr/bin/env sh
# Lighthouse for tests/test_lighthouse.py and `make lighthouse`: Node from Debian's packages
# where missing, then the pinned npm `lighthouse` into .tools/lighthouse (project-local,
# git-ignored). Lighthouse drives the machine's Chromium (scripts/install-chromium.sh).
# Does nothing when the pinned version is already there; the Lighthouse test skips when
# Node cannot be installed.
set -eu

VERSION=12.2.3  # 13 needs Node 22; Debian 12 ships Node 18/20
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PREFIX="$ROOT/.tools/lighthouse"
CLI="$PREFIX/node_modules/lighthouse/cli/index.js"

installed_version() {
    node -p "require('$PREFIX/node_modules/lighthouse/package.json').version" 2>/dev/null || true
}

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    "$ROOT/scripts/apt-install.sh" install-lighthouse nodejs npm
    command -v npm >/dev/null 2>&1 || exit 0  # not installed: the Lighthouse test skips
fi

if [ "$(installed_version)" = "$VERSION" ] && [ -f "$CLI" ]; then
    exit 0
fi

echo "install-lighthouse: installing lighthouse@$VERSION into $PREFIX..."
mkdir -p "$PREFIX"
# --no-save: no package.json to keep in sync; the pin lives here.
npm install --prefix "$PREFIX" --no-save --no-audit --no-fund --loglevel=error "lighthouse@$VERSION"
node "$CLI" --version
