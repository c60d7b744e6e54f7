"""Reads of organizations, memberships and the catalog, scoped to what a user may see."""

from django.db.models import Q, QuerySet

from roles.models import Discipline, Membership, MembershipRole, Organization, Role


def membership_roles(user) -> dict[int, str]:
    """Organization id -> the user's membership role; cached on the user for the request."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_membership_roles", None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("organization_id", "role"))
        user._membership_roles = cached
    return cached


def organization_ids_for(user) -> list[int]:
    return list(membership_roles(user))


def user_can_view(user, organization_id: int | None) -> bool:
    """Members see their organization; everyone signed in sees the shared catalog (None)."""
    if organization_id is None:
        return getattr(user, "is_authenticated", False)
    return organization_id in membership_roles(user)


def user_can_plan(user, organization_id: int | None) -> bool:
    return membership_roles(user).get(organization_id) in (
        MembershipRole.ADMIN,
        MembershipRole.PLANNER,
    )


def user_is_admin(user, organization_id: int | None) -> bool:
    return membership_roles(user).get(organization_id) == MembershipRole.ADMIN


def organizations_for(user) -> QuerySet[Organization]:
    return Organization.objects.filter(id__in=organization_ids_for(user)).select_related(
        "default_target_model"
    )


def memberships_visible_to(user) -> QuerySet[Membership]:
    return Membership.objects.filter(organization_id__in=organization_ids_for(user)).select_related(
        "user", "organization"
    )


def disciplines_all() -> QuerySet[Discipline]:
    return Discipline.objects.all()


def roles_visible_to(user) -> QuerySet[Role]:
    """The shared catalog plus the roles of the user's organizations."""
    return Role.objects.filter(
        Q(organization__isnull=True) | Q(organization_id__in=organization_ids_for(user))
    ).select_related("discipline", "organization")
