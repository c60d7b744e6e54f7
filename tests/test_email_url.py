"""EMAIL_URL -> Django's email settings (a pure function: no database)."""

import pytest

from l_and_d_planner.email_url import email_settings_from_url

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_smtp_with_starttls_on_587_and_a_percent_encoded_password():
    assert email_settings_from_url("smtp://mailer%40acme.example:p%40ss@mail.acme.example:587") == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.acme.example",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer@acme.example",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
    }


def test_smtp_over_ssl_defaults_to_465_and_from_sets_the_sender():
    settings = email_settings_from_url("smtp+ssl://u:p@mail.example?from=hr@acme.example")
    assert (settings["EMAIL_PORT"], settings["EMAIL_USE_SSL"], settings["EMAIL_USE_TLS"]) == (
        465,
        True,
        False,
    )
    assert settings["DEFAULT_FROM_EMAIL"] == "hr@acme.example"


def test_a_plain_relay_and_the_development_backends():
    relay = email_settings_from_url("smtp://relay.local:25")
    assert (relay["EMAIL_HOST"], relay["EMAIL_PORT"], relay["EMAIL_USE_TLS"]) == (
        "relay.local",
        25,
        False,
    )
    assert email_settings_from_url("console://") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }
    assert email_settings_from_url("locmem://")["EMAIL_BACKEND"].endswith("locmem.EmailBackend")


def test_an_unknown_scheme_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="unknown scheme 'ftp'"):
        email_settings_from_url("ftp://mail.example")
