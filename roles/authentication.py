"""API authentication of members (its own module: DRF imports it while it loads its settings)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from roles.selectors import user_and_token


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, reading the token and its user in one prepared query."""

    def authenticate_credentials(self, key):
        found = user_and_token(key)
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user, token = found
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, token
