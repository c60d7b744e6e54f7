"""Reads of organizations, memberships and the catalog, scoped to what a user may see."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q, QuerySet
from rest_framework.authtoken.models import Token

from l_and_d_planner import prepared
from l_and_d_planner.tabular import csv_bytes, title_key, xlsx_bytes
from roles.bands import BANDS
from roles.models import REFERENCE_FIELDS, Benchmark, Discipline, Membership, Organization, Role


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


# --- import ---
# Reads of the catalog import (its writes are in `roles.services`) and the catalog export.


def organizations_by_ids(organization_ids) -> QuerySet[Organization]:
    """Organizations by id, by name."""
    return Organization.objects.filter(id__in=list(organization_ids)).order_by("name")


def organization_visible_to(user, organization_id: int) -> Organization | None:
    """One of the user's organizations, or None (any other is not revealed)."""
    return organizations_for(user).filter(pk=organization_id).first()


def organization_by_slug(slug: str) -> Organization | None:
    return Organization.objects.filter(slug=slug).first()


def user_by_username(username: str):
    """The user with this username, or None."""
    return get_user_model().objects.filter(username=username).first()


def organization_lock(organization_id: int) -> None:
    """Lock the organization's row until the transaction ends (SELECT … FOR UPDATE).

    Catalog imports into one organization take this lock first, so that two of them cannot
    create the same title at once.
    """
    Organization.objects.select_for_update().filter(pk=organization_id).first()


def disciplines_by_name_or_slug() -> dict[str, Discipline]:
    """Lowercased slug and name -> discipline, in one query."""
    lookup: dict[str, Discipline] = {}
    for discipline in Discipline.objects.all():
        lookup[discipline.slug.lower()] = discipline
        lookup[discipline.name.strip().lower()] = discipline
    return lookup


def roles_by_title_key(organization_id: int) -> dict[str, Role]:
    """`title_key` -> the role a catalog row of this organization names, in one query.

    The organization's own role wins over a shared one with the same title.
    """
    own: dict[str, Role] = {}
    shared: dict[str, Role] = {}
    for role in catalog_for_organization(organization_id):
        (own if role.organization_id else shared)[title_key(role.title)] = role
    return {**shared, **own}


def roles_for_export(user, organization_id: int | None = None) -> QuerySet[Role]:
    """The catalog the user sees, or only the shared catalog and one organization's roles."""
    roles = roles_visible_to(user)
    if organization_id is not None:
        roles = roles.filter(id__in=catalog_for_organization(organization_id).values("id"))
    return roles.order_by("organization_id", "title")


BAND_PERCENT_COLUMNS = tuple(f"{band.value}_percent" for band in BANDS)
ROLE_EXPORT_COLUMNS = [
    "title",
    "discipline",
    "band",
    "annual_cost",
    *BAND_PERCENT_COLUMNS,
    "description",
    "active",
    "catalog",
]


def band_split_percents(band_split: dict | None) -> dict[str, int]:
    """A stored split with every band's whole percent; {} for the discipline's default."""
    if not band_split:
        return {}
    return {band.value: int(band_split.get(band.value, 0)) for band in BANDS}


def role_export_rows(roles: Iterable[Role]) -> list[list[Any]]:
    """Catalog rows in ROLE_EXPORT_COLUMNS order (roles need `discipline`, `organization`)."""
    rows = []
    for role in roles:
        split = band_split_percents(role.band_split)
        rows.append(
            [
                role.title,
                role.discipline.name,
                role.discipline.band,
                role.annual_cost,
                *[split.get(band.value) if split else None for band in BANDS],
                role.description,
                "yes" if role.active else "no",
                role.organization.slug if role.organization_id else "shared",
            ]
        )
    return rows


def role_export(*, roles: Iterable[Role], as_format: str) -> bytes:
    """The catalog as CSV or XLSX bytes, in a shape `roles.services.role_import` reads back."""
    rows = role_export_rows(roles)
    if as_format == "xlsx":
        return xlsx_bytes([("Roles", ROLE_EXPORT_COLUMNS, rows)])
    return csv_bytes(ROLE_EXPORT_COLUMNS, rows)


# --- API authentication ----------------------------------------------------------------------


def _token_user_sql() -> tuple[str, list[str], list[str]]:
    user_model = get_user_model()
    user_fields = [field.attname for field in user_model._meta.concrete_fields]
    token_fields = [field.attname for field in Token._meta.concrete_fields]
    quote = connection.ops.quote_name
    columns = [f"t.{quote(Token._meta.get_field(name).column)}" for name in token_fields] + [
        f"u.{quote(user_model._meta.get_field(name).column)}" for name in user_fields
    ]
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(Token._meta.db_table)} t"
        f" JOIN {quote(user_model._meta.db_table)} u ON u.{quote(user_model._meta.pk.column)}"
        f" = t.{quote(Token._meta.get_field('user').column)} WHERE t.{quote('key')} = %s"
    )
    return sql, token_fields, user_fields


def user_and_token(key: str):
    """(user, token) of an API token key, or None: one query, prepared on PostgreSQL.

    Every API request authenticates, so this is the hot path's first query. On PostgreSQL the
    row comes from one prepared statement and is turned into the models with `Model.from_db`
    (the values psycopg2 returns are already Python's); elsewhere the ORM reads it.
    """
    if connection.vendor != "postgresql":
        token = Token.objects.select_related("user").filter(key=key).first()
        return None if token is None else (token.user, token)
    sql, token_fields, user_fields = _token_user_sql()
    with connection.cursor() as cursor:
        prepared.execute(cursor, "lnd_token_user", sql, [key])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(token_fields)
    token = Token.from_db(connection.alias, token_fields, row[:split])
    user = get_user_model().from_db(connection.alias, user_fields, row[split:])
    token.user = user
    return user, token


# --- benchmarks (DESIGN §10) ---


def benchmarks_visible_to(user) -> QuerySet[Benchmark]:
    """The shared benchmarks plus those of the user's organizations."""
    return Benchmark.objects.filter(
        Q(organization__isnull=True) | Q(organization_id__in=organization_ids_for(user))
    ).select_related("organization")


def benchmarks_for_organization(organization_id: int | None) -> QuerySet[Benchmark]:
    """The benchmarks an organization compares with: the shared ones plus its own."""
    return Benchmark.objects.filter(
        Q(organization__isnull=True) | Q(organization_id=organization_id)
    ).order_by("metric", "organization_id", "-year", "name")


def benchmark_visible(user, benchmark_id) -> Benchmark | None:
    if not str(benchmark_id).isdigit():
        return None
    return benchmarks_visible_to(user).filter(pk=int(benchmark_id)).first()


def organization_with_references(organization_id: int) -> Organization | None:
    """The organization with its reference benchmarks (one query)."""
    return (
        Organization.objects.select_related(*REFERENCE_FIELDS.values())
        .filter(pk=organization_id)
        .first()
    )
