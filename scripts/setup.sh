#!/usr/bin/env bash
# Sourced by run.sh and test.sh: a Python 3.11 virtual environment in .venv with the pinned
# requirements: REQUIREMENTS=requirements.txt (production, the default) or requirements-dev.txt
# (adds the tests and tools). Re-running is cheap: pip only installs what changed.
set -euo pipefail
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "L&D Planner needs Python 3.11; found $("$PYTHON" --version)." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "${REQUIREMENTS:-requirements.txt}"
