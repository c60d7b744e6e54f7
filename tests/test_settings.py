"""The one settings module, read from the environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_settings(env_changes: dict, code: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    }
    env.update(env_changes)
    env["DJANGO_SETTINGS_MODULE"] = "l_and_d_planner.settings"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_with_debug_on_and_nothing_else_set_it_runs_on_sqlite_in_the_project():
    result = run_settings(
        {"DEBUG": "1"},
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], "
        "s.DATABASES['default']['NAME'])",
    )
    debug, engine, name = result.stdout.split()
    assert (debug, engine) == ("True", "django.db.backends.sqlite3")
    assert name == str(ROOT / "db.sqlite3")


def test_debug_is_off_unless_set():
    # Issue 12: DEBUG unset with a strong SECRET_KEY showed tracebacks.
    key = "k" * 20 + "abcdefghijklmnopqrstuvwxyz0123456789"
    result = run_settings(
        {"SECRET_KEY": key}, "from django.conf import settings; print(settings.DEBUG)"
    )
    assert result.stdout.split() == ["False"]
    nothing_set = run_settings({}, "from django.conf import settings; settings.DEBUG")
    assert nothing_set.returncode != 0
    assert "SECRET_KEY must be set" in nothing_set.stderr


def test_with_debug_off_it_refuses_to_start_without_a_secret_key():
    result = run_settings({"DEBUG": "0"}, "from django.conf import settings; settings.DEBUG")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_with_debug_off_it_refuses_a_weak_secret_key():
    result = run_settings(
        {"DEBUG": "0", "SECRET_KEY": "django-insecure-short"},
        "from django.conf import settings; settings.DEBUG",
    )
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_production_settings_read_the_environment():
    key = "k" * 20 + "abcdefghijklmnopqrstuvwxyz0123456789"
    result = run_settings(
        {
            "DEBUG": "false",
            "SECRET_KEY": key,
            "ALLOWED_HOSTS": "a.example.com,b.example.com",
            "DATABASE_URL": "postgres://u:p@db.example.com:5432/planner",
        },
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, d['ENGINE'], d['HOST'], s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "False ['a.example.com', 'b.example.com'] django.db.backends.postgresql "
        "db.example.com True True"
    )
