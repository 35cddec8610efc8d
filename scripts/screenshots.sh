#!/bin/sh
# Screenshots of the credit dashboard and of one dunning letter, for a visual check in a real
# browser (headless Chromium: Debian `apt-get install chromium`, or CREDITLAB_CHROMIUM=path).
#
#   scripts/screenshots.sh [OUT]        (default OUT: screenshots/)
#
# Runs the dashboard and the dunning report on the demo portfolio into OUT/reports, then writes
# OUT/credit_dashboard.png (the page at A4 width, 794 px = 21 cm at 96 dpi, 12000 px tall) and
# OUT/letter.png (the first letter, one A4 page: 794 x 1123 px) and prints their paths.
# Needs the package installed with the reports extra (or PYTHONPATH set to the repository).
set -eu
OUT=${1:-screenshots}
PY=${PYTHON:-python3}
mkdir -p "$OUT"
"$PY" -m creditlab.cli report run credit_dashboard --out "$OUT/reports" >/dev/null
"$PY" -m creditlab.cli report run dunning -p pdf=no --out "$OUT/reports" >/dev/null
"$PY" - "$OUT" <<'PYTHON'
import sys
from pathlib import Path

from creditlab.documents import screenshot

out = Path(sys.argv[1])
letter = sorted((out / "reports" / "dunning" / "lettres").glob("*.html"))[0]
print(screenshot(out / "reports" / "credit_dashboard" / "credit_dashboard.html",
                 out / "credit_dashboard.png", width=794, height=12000))
print(screenshot(letter, out / "letter.png", width=794, height=1123))
PYTHON
