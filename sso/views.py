"""The sign-in page and the two steps of single sign-on: off to the provider, and back.

The steps are mozilla-django-oidc's views with the endpoints read from discovery at the click
(not at start-up) and every refusal turned into a sentence on the sign-in page.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import urlencode
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    get_next_url,
)

from sso import config
from sso.discovery import ProviderUnavailable, provider_configuration
from sso.errors import SignInRefused
from sso.presenters import refusal_message

logger = logging.getLogger(__name__)


def _refused(request, code: str, detail: str = "", next_url: str | None = None):
    logger.warning("Single sign-on refused (%s): %s", code, detail)
    messages.error(request, refusal_message(code, detail))
    url = resolve_url(settings.LOGIN_URL)
    if next_url:
        url = f"{url}?{urlencode({'next': next_url})}"
    return HttpResponseRedirect(url)


class SignInView(auth_views.LoginView):
    """Django's sign-in page; the template offers single sign-on beside (or instead of) the
    password form ({% sign_in_options %}), and with PASSWORD_LOGIN=0 a password is refused."""

    def post(self, request, *args, **kwargs):
        if not config.password_login_enabled():
            messages.error(request, refusal_message("password_login_off"))
            response = self.get(request, *args, **kwargs)
            response.status_code = 403
            return response
        return super().post(request, *args, **kwargs)


class OidcAuthenticateView(OIDCAuthenticationRequestView):
    """The "Sign in with …" link: read the provider's configuration (cached), send the browser
    there."""

    def __init__(self, *args, **kwargs):
        # The library reads the endpoint from settings here; ours comes from discovery in get().
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not config.oidc_enabled():
            raise Http404("Single sign-on is not configured.")
        try:
            provider = provider_configuration()
        except ProviderUnavailable as error:
            return _refused(request, error.code, error.detail, get_next_url(request, "next"))
        self.OIDC_OP_AUTH_ENDPOINT = provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID
        return super().get(request)


class OidcCallbackView(OIDCAuthenticationCallbackView):
    """Back from the provider: sign the user in, or say on the sign-in page why not."""

    def get(self, request):
        if not config.oidc_enabled():
            raise Http404("Single sign-on is not configured.")
        if request.GET.get("error"):
            self.provider_said_no = True
            super().get(request)  # forgets the state, signs nobody in
            detail = request.GET.get("error_description") or request.GET["error"]
            return _refused(request, "provider_error", detail[:200])
        try:
            return super().get(request)
        except SignInRefused as refusal:
            next_url = request.session.get("oidc_login_next")
            return _refused(request, refusal.code, refusal.detail, next_url)
        except SuspiciousOperation:
            return _refused(request, "state")

    def login_failure(self):
        # Reached without a refusal: no sign-in was started here, or the account is inactive
        # (or the provider said no, which get() words).
        if getattr(self, "provider_said_no", False):
            return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))
        user = getattr(self, "user", None)
        return _refused(self.request, "inactive" if user is not None else "state")
