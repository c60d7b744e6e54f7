"""Reads of organizations, memberships and the catalog, scoped to what a user may see."""

from django.db.models import Q, QuerySet

from roles.models import Discipline, Membership, Organization, Role


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


def catalog_for_organization(organization_id: int | None) -> QuerySet[Role]:
    """The catalog an organization plans with: the shared roles plus its own.

    The one place this filter is written; plans, imports, search and the catalog page use it.
    """
    return Role.objects.filter(
        Q(organization__isnull=True) | Q(organization_id=organization_id)
    ).select_related("discipline", "organization")


def catalog_roles_by_id(organization_id: int, role_ids) -> dict[int, Role]:
    """Roles of the organization's catalog among `role_ids`, by id, in one query."""
    ids = [role_id for role_id in role_ids if isinstance(role_id, int)]
    if not ids:
        return {}
    return {role.id: role for role in catalog_for_organization(organization_id).filter(id__in=ids)}


def catalog_search(
    organization_id: int, query: str, *, exclude_plan_id: int | None, exclude_ids=(), limit: int
) -> list[Role]:
    """Active catalog roles matching `query` (title or discipline), not yet in the plan."""
    roles = (
        catalog_for_organization(organization_id)
        .filter(active=True)
        .filter(Q(title__icontains=query) | Q(discipline__name__icontains=query))
        .exclude(id__in=list(exclude_ids))
        .order_by("title")
    )
    if exclude_plan_id is not None:
        roles = roles.exclude(plan_lines__plan_id=exclude_plan_id)
    return list(roles[:limit])


def role_titles_by_id(role_ids) -> dict[int, str]:
    return dict(Role.objects.filter(id__in=list(role_ids)).values_list("id", "title"))


def role_visible(user, role_id: int) -> Role | None:
    return roles_visible_to(user).filter(pk=role_id).first()


# --- to remove once every caller asks roles.permissions (layout move in progress) -----------


def user_can_view(user, organization_id: int | None) -> bool:
    if organization_id is None:
        return getattr(user, "is_authenticated", False)
    return organization_id in membership_roles(user)


def user_can_plan(user, organization_id: int | None) -> bool:
    return membership_roles(user).get(organization_id) in ("admin", "planner")


def user_is_admin(user, organization_id: int | None) -> bool:
    return membership_roles(user).get(organization_id) == "admin"
