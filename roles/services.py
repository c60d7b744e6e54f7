"""Writes to organizations, memberships and the catalog. Validate with full_clean, then save."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from roles.models import Discipline, Membership, MembershipRole, Organization, Role


@transaction.atomic
def role_create(
    *,
    organization: Organization | None,
    title: str,
    discipline: Discipline,
    annual_cost: Decimal = Decimal("0"),
    band_split: dict | None = None,
    description: str = "",
    active: bool = True,
) -> Role:
    role = Role(
        organization=organization,
        title=title,
        discipline=discipline,
        annual_cost=annual_cost,
        band_split=band_split or {},
        description=description,
        active=active,
    )
    role.full_clean()
    role.save()
    return role


@transaction.atomic
def role_update(*, role: Role, **changes) -> Role:
    for field, value in changes.items():
        setattr(role, field, value)
    role.full_clean()
    role.save()
    return role


@transaction.atomic
def membership_create(*, organization: Organization, username: str, role: str) -> Membership:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationError({"username": f"No user named '{username}'."})
    if Membership.objects.filter(organization=organization, user=user).exists():
        raise ValidationError({"username": f"{username} is already a member."})
    membership = Membership(organization=organization, user=user, role=role)
    membership.full_clean()
    membership.save()
    return membership


def _ensure_another_admin_remains(membership: Membership) -> None:
    others = Membership.objects.filter(
        organization_id=membership.organization_id, role=MembershipRole.ADMIN
    ).exclude(pk=membership.pk)
    if membership.role == MembershipRole.ADMIN and not others.exists():
        raise ValidationError({"role": "An organization keeps at least one admin."})


@transaction.atomic
def membership_update(*, membership: Membership, role: str) -> Membership:
    if role != MembershipRole.ADMIN:
        _ensure_another_admin_remains(membership)
    membership.role = role
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_delete(*, membership: Membership) -> None:
    _ensure_another_admin_remains(membership)
    membership.delete()


@transaction.atomic
def organization_update(*, organization: Organization, **changes) -> Organization:
    for field, value in changes.items():
        setattr(organization, field, value)
    organization.full_clean()
    organization.save()
    return organization
