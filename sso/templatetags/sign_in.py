"""`{% sign_in_options as sign_in %}`: what the sign-in page offers, from the settings.

A template tag rather than view context, so every page that renders registration/login.html (the
sign-in view, a lockout answer) offers the same ways in.
"""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from sso import config
from sso.presenters import sign_in_button_label

register = template.Library()


@register.simple_tag(takes_context=True)
def sign_in_options(context) -> dict:
    """{sso_enabled, sso_label, sso_url, password_login} for the sign-in page."""
    options = {
        "sso_enabled": config.oidc_enabled(),
        "password_login": config.password_login_enabled(),
    }
    if options["sso_enabled"]:
        query = urlencode({"next": context.get("next") or ""})
        options["sso_url"] = f"{reverse('oidc_authentication_init')}?{query}"
        options["sso_label"] = sign_in_button_label()
    return options
