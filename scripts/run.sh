#!/usr/bin/env bash
# Install everything into .venv and run the app on SQLite with demo data.
#
# The database (db.sqlite3) and the demo passwords survive restarts: the first run generates the
# passwords, prints them and keeps them in .local/demo-accounts.txt (git-ignored, readable by you
# only); later runs print them from there and leave your edits alone.
#   ./scripts/run.sh            start (PORT=8000 by default: PORT=8080 ./scripts/run.sh)
#   ./scripts/run.sh --reset    start over: a fresh database, new passwords
set -euo pipefail
cd "$(dirname "$0")/.."
RESET=0
for arg in "$@"; do
  case "$arg" in
    --reset) RESET=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "Unknown option: $arg (use --reset to start over)" >&2; exit 2 ;;
  esac
done
source scripts/setup.sh
DB="$PWD/db.sqlite3"
ACCOUNTS=".local/demo-accounts.txt"
export DATABASE_URL="sqlite:///$DB"
export DEBUG="${DEBUG:-1}"
if [ "$RESET" = 1 ]; then
  echo "Starting over: removing db.sqlite3 and $ACCOUNTS"
  rm -f "$DB" "$ACCOUNTS"
fi
.venv/bin/python manage.py migrate --noinput -v0
if [ -s "$ACCOUNTS" ]; then
  .venv/bin/python manage.py seed_demo >/dev/null
  echo "Demo accounts (kept in $ACCOUNTS; ./scripts/run.sh --reset starts over):"
  cat "$ACCOUNTS"
else
  mkdir -p .local
  umask 077
  .venv/bin/python manage.py seed_demo --reset-passwords | grep -E '^  ' > "$ACCOUNTS"
  echo "Demo accounts (passwords generated now, kept in $ACCOUNTS):"
  cat "$ACCOUNTS"
fi
echo
echo "Open http://127.0.0.1:${PORT:-8000}/ and sign in with one of the accounts above."
echo "API docs: http://127.0.0.1:${PORT:-8000}/api/v1/docs/  Admin: http://127.0.0.1:${PORT:-8000}/admin/"
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT:-8000}"
