#!/usr/bin/env sh
# Shrink the math font the site serves (site/static/fonts/DejaVuMathTeXGyre.woff) to the
# characters a course's formulas use: Latin, Greek, accents, operators, arrows, delimiters,
# the script and double-struck capitals of math-letters.html. Its MATH table (big operators,
# stretchy brackets) is kept. 266 KB -> about 105 KB: it is fetched before the first paint
# of every page that shows a formula. Run on the original font (TeX Gyre DejaVu Math, woff;
# in git: `git show 89dcfc0:site/static/fonts/DejaVuMathTeXGyre.woff > original.woff`):
#   scripts/subset-math-font.sh original.woff
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
"$ROOT/.venv/bin/pyftsubset" "$1" \
    --output-file="$ROOT/site/static/fonts/DejaVuMathTeXGyre.woff" --flavor=woff \
    --layout-features='*' \
    --unicodes="U+0020-007E,U+00A0-00FF,U+0131,U+0237,U+02B0-02FF,U+0300-036F,U+0391-03A9,U+03B1-03C9,U+03D1,U+03D5,U+03D6,U+03F0,U+03F1,U+03F5,U+2000-206F,U+20D0-20FF,U+2100-214F,U+2190-21FF,U+2200-22FF,U+2300-23FF,U+25A0-25FF,U+27C0-27EF,U+2980-29FF,U+2A00-2AFF,U+1D49C-1D4CF,U+1D538-1D56B"
