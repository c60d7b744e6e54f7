"""Writes of single sign-on: provision the user, link the identity, keep memberships in step.

`oidc_sign_in` runs once the backend has checked the ID token. It refuses (SignInRefused,
nothing written: one transaction) without a verified email; otherwise it finds the user by the
provider's subject id, or on the first sign-in by email, or creates one; then accepts the pending
invitations of the verified email and applies the group mapping.
"""

import logging
import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from roles import services as roles_services
from roles.models import Membership
from sso import config, selectors
from sso.errors import SignInRefused
from sso.models import ManagedMembership, OidcIdentity

logger = logging.getLogger(__name__)

USERNAME_MAX = 150


def verified_email(claims: dict) -> str:
    """The email the provider vouches for; refuses a missing or unverified one.

    OpenID Connect's email_verified is a boolean; some providers send the string "true".
    """
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise SignInRefused("no_email")
    verified = claims.get("email_verified")
    if verified is not True and str(verified).lower() != "true":
        raise SignInRefused("unverified_email", email)
    return email.strip()


def _free_username(claims: dict, email: str) -> str:
    preferred = claims.get("preferred_username")
    base = preferred if isinstance(preferred, str) and preferred.strip() else email
    base = re.sub(r"[^\w.@+-]", "", base)[: USERNAME_MAX - 4] or "user"
    candidate, number = base, 1
    while selectors.username_taken(candidate):
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _user_for(issuer: str, subject: str, claims: dict, email: str):
    identity = selectors.identity_for(issuer, subject)
    if identity is not None:
        return identity.user, identity
    users = selectors.users_with_email(email)
    if len(users) > 1:
        raise SignInRefused("ambiguous_email")
    if users:
        return users[0], None
    user = get_user_model()(username=_free_username(claims, email), email=email)
    user.set_unusable_password()
    return user, None


def _apply_names(user, claims: dict, email: str) -> None:
    user.email = email
    for field, claim in (("first_name", "given_name"), ("last_name", "family_name")):
        value = claims.get(claim)
        if isinstance(value, str) and value.strip():
            setattr(user, field, value.strip()[:150])


def invitations_accept(user, email: str) -> list[Membership]:
    """Hook: accept the pending invitations of the verified email (roles.services does it)."""
    return roles_services.invitations_accept_for_email(user, email)


@transaction.atomic
def oidc_sign_in(*, issuer: str, claims: dict):
    """The user signing in with these (checked) claims; created and linked on first sign-in."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise SignInRefused("bad_token", "no subject")
    email = verified_email(claims)
    user, identity = _user_for(issuer, subject, claims, email)
    if user.pk is not None and not user.is_active:
        raise SignInRefused("inactive")
    _apply_names(user, claims, email)
    try:
        user.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as error:
        raise SignInRefused("bad_profile", ", ".join(sorted(error.message_dict))) from None
    user.save()
    if identity is None:
        identity = OidcIdentity(user=user, issuer=issuer, subject=subject)
    identity.last_sign_in = timezone.now()
    identity.save()
    invitations_accept(user, email)
    memberships_sync_from_groups(user=user, groups=config.claim_groups(claims))
    return user


def _set_role(membership: Membership, role: str, groups: list[str]) -> None:
    if membership.role != role:
        try:
            roles_services.membership_update(membership=membership, role=role)
        except ValidationError:
            logger.warning("Group mapping keeps %s: it is the last admin.", membership)
            return
    ManagedMembership.objects.update_or_create(membership=membership, defaults={"groups": groups})


def _remove(membership: Membership) -> bool:
    try:
        roles_services.membership_delete(membership=membership)
    except ValidationError:
        logger.warning("Group mapping keeps %s: it is the last admin.", membership)
        return False
    return True


@transaction.atomic
def memberships_sync_from_groups(*, user, groups: set[str] | None) -> dict[str, str | None]:
    """Bring the user's memberships in step with the provider's groups and OIDC_GROUP_MAP.

    An organization a group maps to gets the membership with the highest mapped role (created,
    or updated and from then on managed); a managed membership that no group maps to any more is
    removed. Memberships no group names are left alone, and the last admin of an organization
    is never demoted nor removed. Nothing happens when the provider sent no groups claim.
    Returns organization slug -> role now (None: removed), for what changed.
    """
    grants = config.group_grants()
    if not grants or groups is None:
        return {}
    wanted = config.desired_roles(grants, groups)
    current = selectors.memberships_by_slug(user.id)
    organizations = selectors.organizations_by_slug(set(wanted))
    changes: dict[str, str | None] = {}
    for slug, role in sorted(wanted.items()):
        sources = sorted(
            g.group for g in grants if g.organization_slug == slug and g.group in groups
        )
        membership = current.get(slug)
        if membership is None:
            organization = organizations.get(slug)
            if organization is None:
                logger.warning(
                    "OIDC_GROUP_MAP names organization '%s', which does not exist.", slug
                )
                continue
            membership = roles_services.membership_create(
                organization=organization, username=user.username, role=role
            )
        elif membership.role == role and hasattr(membership, "sso_management"):
            continue
        _set_role(membership, role, sources)
        changes[slug] = membership.role
    for slug, membership in sorted(current.items()):
        if slug not in wanted and hasattr(membership, "sso_management") and _remove(membership):
            changes[slug] = None
    return changes
