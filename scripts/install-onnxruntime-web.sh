#!/usr/bin/env sh
# scripts/install-onnxruntime-web.sh [STATIC_DIR]: the runtime of figgen's labs (README: Labs).
# Installs the pinned npm `onnxruntime-web` into .tools/onnxruntime-web (project-local,
# git-ignored; Node from Debian's packages where missing, as for Lighthouse), then copies the
# three files a lab loads into STATIC_DIR/figgen/ort/ (default: site/static), so the site serves
# its own runtime (no CDN, works offline). Only the plain WebAssembly build: its loader, its
# glue and its .wasm (about 3 MB gzipped); not the WebGPU, WebGL or JSEP variants.
# Does nothing when the pinned version is already there and copied.
set -eu

VERSION=1.23.2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PREFIX="$ROOT/.tools/onnxruntime-web"
DIST="$PREFIX/node_modules/onnxruntime-web/dist"
TARGET="${1:-$ROOT/site/static}/figgen/ort"
FILES="ort.wasm.min.mjs ort-wasm-simd-threaded.mjs ort-wasm-simd-threaded.wasm"

installed_version() {
    node -p "require('$PREFIX/node_modules/onnxruntime-web/package.json').version" 2>/dev/null || true
}

if [ "$(installed_version)" != "$VERSION" ]; then
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        "$ROOT/scripts/apt-install.sh" install-onnxruntime-web nodejs npm
        command -v npm >/dev/null 2>&1 || exit 0  # not installed: the labs' tests skip
    fi
    echo "install-onnxruntime-web: installing onnxruntime-web@$VERSION into $PREFIX..."
    mkdir -p "$PREFIX"
    # --no-save: no package.json to keep in sync; the pin lives here.
    npm install --prefix "$PREFIX" --no-save --no-audit --no-fund --loglevel=error "onnxruntime-web@$VERSION"
fi

mkdir -p "$TARGET"
for file in $FILES; do
    cmp -s "$DIST/$file" "$TARGET/$file" || cp "$DIST/$file" "$TARGET/$file"
done
