"""System checks of the single sign-on settings: caught at start-up, without the network."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from sso.config import parse_group_map


@checks.register(checks.Tags.security)
def check_single_sign_on(app_configs=None, **kwargs):
    problems = []
    if bool(settings.OIDC_ISSUER) != bool(settings.OIDC_CLIENT_ID):
        problems.append(
            checks.Error(
                "Set OIDC_ISSUER and OIDC_CLIENT_ID together (single sign-on needs both).",
                id="sso.E001",
            )
        )
    try:
        parse_group_map(settings.OIDC_GROUP_MAP)
    except ImproperlyConfigured as error:
        problems.append(checks.Error(str(error), id="sso.E002"))
    if settings.OIDC_GROUP_MAP.strip() and not settings.OIDC_GROUPS_CLAIM:
        problems.append(
            checks.Warning(
                "OIDC_GROUP_MAP is set but OIDC_GROUPS_CLAIM is not: the map is not applied.",
                id="sso.W001",
            )
        )
    if not settings.PASSWORD_LOGIN and not settings.OIDC_ISSUER:
        problems.append(
            checks.Warning(
                "PASSWORD_LOGIN=0 without single sign-on: the password form stays.", id="sso.W002"
            )
        )
    return problems
