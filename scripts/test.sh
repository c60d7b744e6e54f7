#!/usr/bin/env bash
# Install everything and run the whole test suite: lint, migrations check, deploy check, then
# pytest on PostgreSQL (browser tests in Debian's Chromium included), then again on SQLite.
# DATABASE_URL overrides the PostgreSQL database (default: postgres@127.0.0.1:5432, trust auth).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- system packages: Chromium for the browser tests, PostgreSQL if there is none -----------
if [ ! -x /usr/bin/chromium ]; then
    echo "== installing Debian's chromium"
    as_root apt-get update -qq && as_root apt-get install -y -qq chromium >/dev/null
fi
PG_URL_DEFAULT="postgres://postgres@127.0.0.1:5432/lnd_planner"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    if [ "${CI:-}" = "true" ] && [ -z "${INSTALL_POSTGRES:-}" ]; then
        echo "CI=true but no PostgreSQL answers on 127.0.0.1:5432: refusing to fall back to SQLite." >&2
        exit 2
    fi
    echo "== no PostgreSQL on 127.0.0.1:5432: installing and starting one"
    command -v pg_ctlcluster >/dev/null || { as_root apt-get update -qq; as_root apt-get install -y -qq postgresql >/dev/null; }
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    as_root su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
    PG_URL_DEFAULT="postgres://postgres:postgres@127.0.0.1:5432/lnd_planner"
fi

# --- Redis: the shared sign-in lockout test runs two app servers against one ----------------
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    if ! command -v redis-server >/dev/null; then
        echo "== installing Debian's redis-server"
        as_root apt-get update -qq && as_root apt-get install -y -qq redis-server >/dev/null
    fi
    echo "== starting redis-server on 127.0.0.1:6379"
    redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save "" --appendonly no >/dev/null
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.2; done
fi
export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"

# --- Python and npm packages ------------------------------------------------------------------
REQUIREMENTS=requirements-dev.txt source scripts/setup.sh
if [ -f package.json ]; then
    npm install --no-audit --no-fund --silent >/dev/null
fi

export DEBUG=1
unset SECRET_KEY
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== migrations are committed"
DATABASE_URL="sqlite:///:memory:" .venv/bin/python manage.py makemigrations --check --dry-run
echo "== manage.py check --deploy (production settings)"
DEBUG=0 SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    ALLOWED_HOSTS=planner.example.com DATABASE_URL="sqlite:///:memory:" \
    .venv/bin/python manage.py check --deploy --fail-level WARNING

echo "== pytest on PostgreSQL"
DATABASE_URL="${DATABASE_URL:-$PG_URL_DEFAULT}" .venv/bin/python -m pytest -n 2 --dist loadgroup "$@"

echo "== pytest on SQLite (browser and schemathesis runs are PostgreSQL-only)"
DATABASE_URL="sqlite:///$PWD/.test-sqlite.db" CI= .venv/bin/python -m pytest -n 2 \
    -m "not browser and not schemathesis" -q "$@"
