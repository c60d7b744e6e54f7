"""The provider's configuration, fetched from its discovery document when first needed.

Nothing here runs at start-up: the app starts, and the sign-in page answers, while the provider
is down. The first sign-in reads `<issuer>/.well-known/openid-configuration`, checks that it names
the configured issuer, and keeps it in Django's cache for an hour (OIDC_DISCOVERY_CACHE_SECONDS).
"""

import hashlib
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.cache import cache

WELL_KNOWN = "/.well-known/openid-configuration"


class ProviderUnavailable(Exception):
    """The provider did not answer, or answered with something that is not its configuration."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class ProviderConfiguration:
    """The endpoints a sign-in uses, from the discovery document."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str
    end_session_endpoint: str


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + WELL_KNOWN


def _cache_key(issuer: str) -> str:
    return "sso:discovery:" + hashlib.sha256(issuer.encode()).hexdigest()


def _fetch(issuer: str) -> dict:
    try:
        response = requests.get(discovery_url(issuer), timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except requests.RequestException as error:
        raise ProviderUnavailable("unreachable", str(error)) from None
    except ValueError:
        raise ProviderUnavailable("not_json", discovery_url(issuer)) from None
    if not isinstance(document, dict):
        raise ProviderUnavailable("not_json", discovery_url(issuer))
    return document


def _configuration_from(issuer: str, document: dict) -> ProviderConfiguration:
    # OpenID Connect Discovery 1.0, section 4.3: the document must name the issuer it was
    # fetched for, exactly; otherwise tokens could be accepted from another provider.
    if document.get("issuer") != issuer:
        raise ProviderUnavailable(
            "issuer_mismatch", f"{document.get('issuer')!r} instead of {issuer!r}"
        )
    missing = [
        name
        for name in ("authorization_endpoint", "token_endpoint", "jwks_uri")
        if not isinstance(document.get(name), str) or not document.get(name)
    ]
    if missing:
        raise ProviderUnavailable("incomplete", ", ".join(missing))
    return ProviderConfiguration(
        issuer=issuer,
        authorization_endpoint=document["authorization_endpoint"],
        token_endpoint=document["token_endpoint"],
        jwks_uri=document["jwks_uri"],
        userinfo_endpoint=str(document.get("userinfo_endpoint") or ""),
        end_session_endpoint=str(document.get("end_session_endpoint") or ""),
    )


def provider_configuration() -> ProviderConfiguration:
    """The configured issuer's endpoints, from the cache or fetched now.

    Raises ProviderUnavailable (with a code the sign-in page words) when the provider is down or
    its document is unusable; a failure is not cached, so the next click tries again.
    """
    issuer = settings.OIDC_ISSUER
    key = _cache_key(issuer)
    document = cache.get(key)
    if document is None:
        document = _fetch(issuer)
        configuration = _configuration_from(issuer, document)
        cache.set(key, document, settings.OIDC_DISCOVERY_CACHE_SECONDS)
        return configuration
    return _configuration_from(issuer, document)


def forget_provider_configuration() -> None:
    """Drop the cached document (a sign-in failing on a key or endpoint fetches it afresh)."""
    cache.delete(_cache_key(settings.OIDC_ISSUER))
