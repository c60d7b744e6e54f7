#!/usr/bin/env bash
# Refresh the README screenshots in docs/ (desktop 1366 px and phone 390 px) from the demo data.
# Run it on purpose after a visible change; the test suite never writes into docs/.
#   ./scripts/screenshots.sh              writes docs/screenshot-*.png
#   SCREENSHOTS_DIR=/tmp/shots ./scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export SCREENSHOTS_DIR="${SCREENSHOTS_DIR:-$PWD/docs}"
export DATABASE_URL="${DATABASE_URL:-sqlite:///$PWD/.test-sqlite-db-screenshots.sqlite3}"
[ -d node_modules/axe-core ] || npm install --no-audit --no-fund >/dev/null
.venv/bin/python -m pytest -q -p no:cacheprovider tests/e2e/readme_screenshots.py
ls -l "$SCREENSHOTS_DIR"/screenshot-*.png
