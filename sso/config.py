"""The single sign-on settings, read when a request needs them (tests change them per test).

`settings.py` reads the environment (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME,
PASSWORD_LOGIN, OIDC_GROUPS_CLAIM, OIDC_GROUP_MAP); this module turns those values into what the
views and the backend ask: is sign-on on, what is it called, which group gives which membership.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from roles.models import MembershipRole

ROLE_RANK = {MembershipRole.VIEWER: 1, MembershipRole.PLANNER: 2, MembershipRole.ADMIN: 3}


@dataclass(frozen=True, slots=True)
class GroupGrant:
    """One entry of OIDC_GROUP_MAP: members of `group` get `role` in organization `slug`."""

    group: str
    organization_slug: str
    role: str


def oidc_enabled() -> bool:
    """Single sign-on is offered when an issuer and a client id are configured."""
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def password_login_enabled() -> bool:
    """PASSWORD_LOGIN=0 hides the password form (only when single sign-on is there instead)."""
    return settings.PASSWORD_LOGIN or not oidc_enabled()


def provider_name() -> str:
    return settings.OIDC_NAME or "single sign-on"


def parse_group_map(text: str) -> tuple[GroupGrant, ...]:
    """'hr-admins=acme:admin,ld=acme:planner' -> grants; ImproperlyConfigured on a bad entry."""
    grants = []
    for entry in (item.strip() for item in text.split(",")):
        if not entry:
            continue
        group, equals, target = entry.partition("=")
        slug, colon, role = target.strip().partition(":")
        group, slug, role = group.strip(), slug.strip(), role.strip().lower()
        if not (equals and colon and group and slug and role):
            raise ImproperlyConfigured(
                f"OIDC_GROUP_MAP entry '{entry}': write group=organization-slug:role."
            )
        if role not in MembershipRole.values:
            raise ImproperlyConfigured(
                f"OIDC_GROUP_MAP entry '{entry}': the role must be one of "
                f"{', '.join(MembershipRole.values)}."
            )
        grants.append(GroupGrant(group=group, organization_slug=slug, role=role))
    return tuple(grants)


def group_grants() -> tuple[GroupGrant, ...]:
    """The configured mapping; empty when OIDC_GROUPS_CLAIM is not set."""
    if not settings.OIDC_GROUPS_CLAIM:
        return ()
    return parse_group_map(settings.OIDC_GROUP_MAP)


def claim_groups(claims: dict) -> set[str] | None:
    """The groups the provider sent in OIDC_GROUPS_CLAIM; None when it sent no such claim.

    A list of names, or one string of names separated by commas or spaces.
    """
    value = claims.get(settings.OIDC_GROUPS_CLAIM)
    if value is None:
        return None
    if isinstance(value, str):
        return {name for name in value.replace(",", " ").split() if name}
    if isinstance(value, list | tuple):
        return {str(name) for name in value}
    return set()


def desired_roles(grants: tuple[GroupGrant, ...], groups: set[str]) -> dict[str, str]:
    """Organization slug -> role the groups give (the highest role when several groups apply)."""
    roles: dict[str, str] = {}
    for grant in grants:
        if grant.group not in groups:
            continue
        current = roles.get(grant.organization_slug)
        if current is None or ROLE_RANK[grant.role] > ROLE_RANK[current]:
            roles[grant.organization_slug] = grant.role
    return roles
