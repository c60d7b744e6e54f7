#!/usr/bin/env bash
# Install everything into .venv and run the app on SQLite with demo data.
# Prints the demo accounts' passwords (generated on each run). PORT=8000 by default.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
export DATABASE_URL="sqlite:///$PWD/db.sqlite3"
export DEBUG="${DEBUG:-1}"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed_demo --reset-passwords
echo
echo "Open http://127.0.0.1:${PORT:-8000}/ and sign in with one of the accounts above."
echo "API docs: http://127.0.0.1:${PORT:-8000}/api/v1/docs/  Admin: http://127.0.0.1:${PORT:-8000}/admin/"
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT:-8000}"
