"""Single sign-on configured from the environment: the app starts without asking the provider."""

import socket
import time

from tests.test_settings import run_settings

RENDER_SIGN_IN_PAGE = (
    "import django; django.setup(); "
    "from django.core.management import call_command; call_command('check'); "
    "from django.test import Client; r = Client().get('/accounts/login/'); "
    "print(r.status_code, 'Sign in with Acme ID' in r.content.decode(), "
    "'name=\"password\"' in r.content.decode())"
)


def test_the_app_starts_and_the_sign_in_page_answers_while_the_provider_hangs():
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        issuer = f"http://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        result = run_settings(
            {
                "DEBUG": "1",
                "DATABASE_URL": "sqlite:///:memory:",
                "OIDC_ISSUER": issuer,
                "OIDC_CLIENT_ID": "ld-planner",
                "OIDC_CLIENT_SECRET": "secret",
                "OIDC_NAME": "Acme ID",
                "PASSWORD_LOGIN": "0",
                "OIDC_TIMEOUT": "30",
                "OIDC_GROUPS_CLAIM": "groups",
                "OIDC_GROUP_MAP": "hr-admins=acme:admin,ld=acme:planner",
            },
            RENDER_SIGN_IN_PAGE,
        )
        elapsed = time.monotonic() - started

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["200", "True", "False"]
    assert elapsed < 20  # a discovery fetch would have waited OIDC_TIMEOUT (30 s)


def test_a_bad_group_map_in_the_environment_fails_the_check():
    result = run_settings(
        {
            "DEBUG": "1",
            "DATABASE_URL": "sqlite:///:memory:",
            "OIDC_ISSUER": "http://127.0.0.1:9",
            "OIDC_CLIENT_ID": "ld-planner",
            "OIDC_GROUPS_CLAIM": "groups",
            "OIDC_GROUP_MAP": "hr-admins=acme",
        },
        RENDER_SIGN_IN_PAGE,
    )

    assert result.returncode != 0
    assert "sso.E002" in result.stderr and "write group=organization-slug:role" in result.stderr


def test_single_sign_on_comes_after_the_password_backend():
    from django.conf import settings

    assert settings.AUTHENTICATION_BACKENDS[-2:] == [
        "django.contrib.auth.backends.ModelBackend",
        "sso.backends.OidcBackend",
    ]
