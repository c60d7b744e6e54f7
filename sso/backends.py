"""The authentication backend of single sign-on: mozilla-django-oidc's, with what it leaves out.

mozilla-django-oidc exchanges the code, fetches the signing key from the JWKS endpoint and checks
the signature and nonce. This subclass adds what OpenID Connect Core 1.0 §3.1.3.7 also asks and
the library leaves to its users: the endpoints come from discovery (sso.discovery, fetched when
first needed), and the ID token's issuer, audience (and azp), expiry and issue time are checked.
Every refusal raises SignInRefused with a code the sign-in page words; nothing is written then.
"""

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from sso import config, services
from sso.discovery import ProviderUnavailable, forget_provider_configuration, provider_configuration
from sso.errors import SignInRefused

# Claims of the ID token that describe the token, not the person: userinfo never overrides them.
TOKEN_CLAIMS = {"iss", "aud", "azp", "exp", "iat", "nbf", "nonce", "auth_time", "at_hash"}


class OidcBackend(OIDCAuthenticationBackend):
    """Signs in (and on first sign-in provisions) a user from an OpenID Connect provider."""

    def __init__(self, *args, **kwargs):
        # Django builds a backend for every request that reads the session's user: read no
        # endpoint and touch no network here (the provider may be down; see sso.discovery).
        self.UserModel = get_user_model()
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce: a password sign-in never reaches the provider.
        if request is None or "nonce" not in kwargs or not config.oidc_enabled():
            return None
        try:
            provider = provider_configuration()
        except ProviderUnavailable as error:
            raise SignInRefused(error.code, error.detail) from None
        self.issuer = provider.issuer
        self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_uri
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_CLIENT_SECRET
        try:
            return super().authenticate(request, **kwargs)
        except requests.HTTPError as error:
            raise SignInRefused("token_request", str(error.response.status_code)) from None
        except requests.RequestException:
            raise SignInRefused("unreachable") from None

    def verify_token(self, token, **kwargs):
        """The ID token's claims, once its signature, issuer, audience, times and nonce hold."""
        if not isinstance(token, str) or not token:
            raise SignInRefused("bad_token", "no ID token")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise SignInRefused("bad_token", "unreadable") from None
        algorithm = header.get("alg")
        if algorithm not in settings.OIDC_SIGN_ALGORITHMS:
            raise SignInRefused("bad_token", f"signed with {algorithm}")
        self.OIDC_RP_SIGN_ALGO = algorithm
        key = self._signing_key(token)
        payload = self._decoded(token, key, algorithm)
        audiences = payload["aud"] if isinstance(payload["aud"], list) else [payload["aud"]]
        if len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SignInRefused("wrong_audience")
        if kwargs.get("nonce") != payload.get("nonce"):
            raise SignInRefused("nonce")
        return payload

    def _signing_key(self, token):
        try:
            return self.retrieve_matching_jwk(token)
        except SuspiciousOperation:
            # The provider may have rotated its keys: the next sign-in reads discovery afresh.
            forget_provider_configuration()
            raise SignInRefused("bad_signature") from None
        except (jwt.PyJWKError, KeyError, ValueError):
            raise SignInRefused("bad_signature") from None

    def _decoded(self, token, key, algorithm) -> dict:
        try:
            return jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.issuer,
                leeway=settings.OIDC_CLOCK_SKEW_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise SignInRefused("expired") from None
        except jwt.InvalidIssuerError:
            raise SignInRefused("wrong_issuer") from None
        except jwt.InvalidAudienceError:
            raise SignInRefused("wrong_audience") from None
        except jwt.InvalidSignatureError:
            raise SignInRefused("bad_signature") from None
        except jwt.InvalidTokenError as error:
            raise SignInRefused("bad_token", str(error)) from None

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, completed by the userinfo endpoint's when it names the same
        subject (OpenID Connect Core §5.3.2); a userinfo failure leaves the ID token's alone."""
        claims = dict(payload)
        if not self.OIDC_OP_USER_ENDPOINT or not access_token:
            return claims
        try:
            response = requests.get(
                self.OIDC_OP_USER_ENDPOINT,
                headers={"Authorization": f"Bearer {access_token}"},
                timeout=settings.OIDC_TIMEOUT,
            )
            response.raise_for_status()
            userinfo = response.json()
        except (requests.RequestException, ValueError):
            return claims
        if isinstance(userinfo, dict) and userinfo.get("sub") == payload.get("sub"):
            claims.update({k: v for k, v in userinfo.items() if k not in TOKEN_CLAIMS})
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        try:
            return services.oidc_sign_in(issuer=self.issuer, claims=claims)
        except IntegrityError:
            # Two first sign-ins of one account at once: the other one made the user.
            raise SignInRefused("conflict") from None
