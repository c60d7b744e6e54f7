"""Reads of single sign-on: identities and the memberships the group mapping looks after."""

from django.contrib.auth import get_user_model

from roles.models import Membership, Organization
from sso.models import OidcIdentity


def identity_for(issuer: str, subject: str) -> OidcIdentity | None:
    return (
        OidcIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    )


def users_with_email(email: str) -> list:
    """Every account with this email, whatever its case (two means: refuse, do not guess)."""
    return list(get_user_model().objects.filter(email__iexact=email)[:2])


def username_taken(username: str) -> bool:
    return get_user_model().objects.filter(username__iexact=username).exists()


def memberships_by_slug(user_id: int) -> dict[str, Membership]:
    """The user's memberships by organization slug, each with its management row if any."""
    memberships = Membership.objects.select_related("organization", "sso_management").filter(
        user_id=user_id
    )
    return {membership.organization.slug: membership for membership in memberships}


def organizations_by_slug(slugs: set[str]) -> dict[str, Organization]:
    return {org.slug: org for org in Organization.objects.filter(slug__in=slugs)}
