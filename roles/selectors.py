"""Reads of organizations, memberships and the catalog, scoped to what a user may see."""

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from functools import cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.db.models import OuterRef, Q, QuerySet, Subquery
from rest_framework.authtoken.models import Token

from l_and_d_planner import prepared
from l_and_d_planner.tabular import csv_bytes, title_key, xlsx_bytes
from roles.bands import BANDS
from roles.models import (
    REFERENCE_FIELDS,
    Benchmark,
    Discipline,
    Invitation,
    Membership,
    Organization,
    Role,
)


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


# --- invitations -----------------------------------------------------------------------------


def member_with_email_exists(organization_id: int, email: str) -> bool:
    return Membership.objects.filter(
        organization_id=organization_id, user__email__iexact=email
    ).exists()


def membership_of(user_id: int, organization_id: int) -> Membership | None:
    return Membership.objects.filter(user_id=user_id, organization_id=organization_id).first()


def _pending(now) -> Q:
    return Q(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


def invitations_pending_for(organization_id: int, email: str, now) -> QuerySet[Invitation]:
    return Invitation.objects.filter(_pending(now), organization_id=organization_id, email=email)


def invitations_pending_for_email(email: str, now, *, lock: bool = False) -> list[Invitation]:
    """Pending invitations to `email` in every organization, oldest first (one per org)."""
    invitations = Invitation.objects.filter(_pending(now), email=email).order_by("created_at")
    if lock:
        invitations = invitations.select_for_update()
    chosen: dict[int, Invitation] = {}
    for invitation in invitations:
        chosen.setdefault(invitation.organization_id, invitation)
    return list(chosen.values())


def invitation_by_token_hash(token_hash: str) -> Invitation | None:
    return Invitation.objects.select_related("organization").filter(token_hash=token_hash).first()


def invitation_for_update(invitation_id: int) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=invitation_id)
    )


def invitations_of(organization_ids) -> QuerySet[Invitation]:
    """Invitations of these organizations, newest first, with who sent them."""
    return Invitation.objects.filter(organization_id__in=list(organization_ids)).select_related(
        "organization", "invited_by", "accepted_by"
    )


# --- members page ----------------------------------------------------------------------------


def members_of(organization_id: int) -> list[Membership]:
    """The organization's memberships with their users, by username: one query."""
    return list(
        Membership.objects.filter(organization_id=organization_id)
        .select_related("user")
        .order_by("user__username")
    )


def membership_in(organization_id: int, membership_id: int) -> Membership | None:
    return (
        Membership.objects.filter(organization_id=organization_id, pk=membership_id)
        .select_related("user", "organization")
        .first()
    )


def invitation_in(organization_id: int, invitation_id: int) -> Invitation | None:
    return invitations_of([organization_id]).filter(pk=invitation_id).first()


def former_members_of(organization_id: int) -> list:
    """Active accounts that were members of the organization and are no longer: two queries."""
    user_model = get_user_model()
    past = Membership.history.filter(organization_id=organization_id).values("user_id")
    return list(
        user_model.objects.filter(id__in=past, is_active=True)
        .exclude(memberships__organization_id=organization_id)
        .order_by("username")
    )


def former_member(organization_id: int, user_id: int):
    return next((user for user in former_members_of(organization_id) if user.id == user_id), None)


def users_sharing_an_organization_with(user, username: str):
    """The user named `username` if they belong to one of `user`'s organizations, else None.

    Member management answers "unknown" for everyone else, so that it reveals nothing about
    accounts outside the caller's organizations.
    """
    return (
        get_user_model()
        .objects.filter(
            username=username, memberships__organization_id__in=organization_ids_for(user)
        )
        .distinct()
        .first()
    )


def organization_ids_of_user(user_id: int) -> set[int]:
    """Every organization a user belongs to (not cached: for decisions about another user)."""
    return set(Membership.objects.filter(user_id=user_id).values_list("organization_id", flat=True))


# --- audit log -------------------------------------------------------------------------------
# The audit log is the union of every django-simple-history table of our apps, discovered at
# start (`audit_sources`), so a model another app adds with `history = HistoricalRecords()`
# appears without a line here, provided it can be attributed to an organization:
#
#   1. the model says so itself, with `audit_organization_path = "plan__organization_id"` (a
#      lookup on its historical rows) — the extension point for unusual shapes;
#   2. else its `organization` field;
#   3. else its first owning foreign key (on_delete=CASCADE) to another audited model (a line's
#      plan, a transition's roadmap): the parent's historical rows give the organization, so the entries of deleted
#      parents stay attributable.
#
# A model none of these attributes is left out of the log; `tests/roles/test_audit.py` fails
# for it, so nobody forgets.

IMPORT_REASON_PREFIX = "import from "
AUDIT_PAGE_SIZE = 50
AUDIT_BATCH_SIZE = 500


@dataclass(frozen=True, slots=True)
class AuditSource:
    """One audited model: its type key (the model name), the model and its history model."""

    key: str
    model: type
    history: type
    organization_filter: Callable[[list[int]], Q] | None


def _history_model(model) -> type | None:
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, attribute).model if attribute else None


def _our_app_configs():
    base = str(settings.BASE_DIR)
    return [
        config
        for config in apps.get_app_configs()
        if str(config.path).startswith(base) and ".venv" not in str(config.path)
    ]


def _organization_filter(model, histories: dict) -> Callable[[list[int]], Q] | None:
    path = getattr(model, "audit_organization_path", None)
    if path:
        return lambda ids: Q(**{f"{path}__in": ids})
    field_names = {field.name for field in model._meta.concrete_fields}
    if "organization" in field_names:
        return lambda ids: Q(organization_id__in=ids)
    for field in model._meta.concrete_fields:
        parent = field.related_model if field.is_relation else None
        if parent is None or parent is model or parent not in histories:
            continue
        if field.remote_field.on_delete is not models.CASCADE:
            continue  # a reference (a line's role), not the owner (a line's plan)
        parent_filter = _organization_filter(parent, histories)
        if parent_filter is None:
            continue
        parent_history = histories[parent]
        attname = field.attname

        def by_parent(ids, parent_history=parent_history, parent_filter=parent_filter, a=attname):
            return Q(**{f"{a}__in": parent_history.objects.filter(parent_filter(ids)).values("id")})

        return by_parent
    return None


@cache
def audit_sources() -> dict[str, AuditSource]:
    """Every audited model of our apps by type key (model name), discovered once."""
    histories = {}
    for config in _our_app_configs():
        for model in config.get_models():
            history = _history_model(model)
            if history is not None:
                histories[model] = history
    return {
        model._meta.model_name: AuditSource(
            key=model._meta.model_name,
            model=model,
            history=history,
            organization_filter=_organization_filter(model, histories),
        )
        for model, history in sorted(histories.items(), key=lambda item: item[0]._meta.label)
    }


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """What the log is asked for: the organizations (already checked) and the filters."""

    organization_ids: tuple[int, ...]
    type: str = ""  # a source key, "import", or "" for all
    username: str = ""
    since: datetime | None = None
    until: datetime | None = None


def _source_rows(source: AuditSource, query: AuditQuery) -> QuerySet:
    rows = source.history.objects.filter(source.organization_filter(list(query.organization_ids)))
    if query.type == "import":
        rows = rows.filter(history_change_reason__startswith=IMPORT_REASON_PREFIX)
    if query.username:
        rows = rows.filter(history_user__username=query.username)
    if query.since is not None:
        rows = rows.filter(history_date__gte=query.since)
    if query.until is not None:
        rows = rows.filter(history_date__lt=query.until)
    return (
        rows.select_related("history_user")
        .annotate(previous_history_id=_previous_history_id(source.history))
        .order_by("-history_date", "-history_id")
    )


def _previous_history_id(history) -> Subquery:
    """The history id of the same object's row just before this one (None for the first)."""
    before = history.objects.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    return Subquery(before.order_by("-history_date", "-history_id").values("history_id")[:1])


@dataclass(slots=True)
class AuditRecord:
    """A historical row, the row before it for the same object (None for the first), and its
    source; the presenters word it."""

    source: AuditSource
    record: Any
    previous: Any = None
    related: dict = dataclass_field(default_factory=dict)  # names of what foreign keys point at


def _sort_key(item: AuditRecord):
    return (item.record.history_date, item.source.key, item.record.history_id)


def _attach_previous(items: list[AuditRecord]) -> list[AuditRecord]:
    """Give every record the one before it (its id came with the row): one query per source
    in the batch, however long the objects' histories are."""
    by_source: dict[str, list[AuditRecord]] = {}
    for item in items:
        by_source.setdefault(item.source.key, []).append(item)
    for group in by_source.values():
        wanted = {item.record.previous_history_id for item in group} - {None}
        if not wanted:
            continue
        history = group[0].source.history
        previous = {row.history_id: row for row in history.objects.filter(history_id__in=wanted)}
        for item in group:
            item.previous = previous.get(item.record.previous_history_id)
    related = audit_related_labels(items)
    for item in items:
        item.related = related
    return items


class AuditLog:
    """The entries an `AuditQuery` selects, newest first, as a lazy sequence.

    Paginators (Django's and DRF's) ask `count()` (one query per source) and a slice (one
    query per source, plus one per source present in the slice for the previous rows). The CSV
    export walks `batches()`, which streams each source and merges them by date.
    """

    def __init__(self, query: AuditQuery):
        self.query = query
        sources = audit_sources()
        if query.type and query.type != "import":
            sources = {query.type: sources[query.type]} if query.type in sources else {}
        self.sources = [
            source for source in sources.values() if source.organization_filter is not None
        ]
        if not query.organization_ids:
            self.sources = []

    def count(self) -> int:
        return sum(_source_rows(source, self.query).count() for source in self.sources)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        merged: list[AuditRecord] = []
        for source in self.sources:
            rows = _source_rows(source, self.query)
            merged.extend(AuditRecord(source, row) for row in rows[:stop])
        merged.sort(key=_sort_key, reverse=True)
        return _attach_previous(merged[start:stop])

    def _stream(self, source: AuditSource, size: int):
        for row in _source_rows(source, self.query).iterator(chunk_size=size):
            yield AuditRecord(source, row)

    def batches(self, size: int = AUDIT_BATCH_SIZE):
        """Every entry, newest first, in lists of `size` (with their previous rows)."""
        streams = [self._stream(source, size) for source in self.sources]
        batch: list[AuditRecord] = []
        for item in heapq.merge(*streams, key=_sort_key, reverse=True):
            batch.append(item)
            if len(batch) == size:
                yield _attach_previous(batch)
                batch = []
        if batch:
            yield _attach_previous(batch)


def _relation_fields(history) -> list:
    """The foreign keys of a historical model that point at a model (not the history user)."""
    return [
        field
        for field in history._meta.concrete_fields
        if field.is_relation and field.name not in ("history_user",) and field.related_model
    ]


def audit_related_labels(items: list[AuditRecord]) -> dict[tuple, str]:
    """(model label, pk) -> how people name the object a foreign key of these records points
    at ("Trainer", "paula-planner"): one query per related model, whatever the batch size.
    Rows that no longer exist are absent (the presenter then shows the id)."""
    wanted: dict[type, set] = {}
    for item in items:
        for record in (item.record, item.previous):
            if record is None:
                continue
            for field in _relation_fields(type(record)):
                value = getattr(record, field.attname)
                if value is not None:
                    wanted.setdefault(field.related_model, set()).add(value)
    labels: dict[tuple, str] = {}
    for model, ids in wanted.items():
        name_field = _label_field(model)
        if name_field is None:
            continue
        rows = model._default_manager.filter(pk__in=ids).values_list("pk", name_field)
        labels.update({(model._meta.label, pk): str(name) for pk, name in rows})
    return labels


def _label_field(model) -> str | None:
    """The field that names a row of `model` (a user's username, a plan's name…), if any."""
    if model is get_user_model():
        return model.USERNAME_FIELD
    names = {field.name for field in model._meta.concrete_fields}
    return next((name for name in ("name", "title", "slug") if name in names), None)


def audit_log(query: AuditQuery) -> AuditLog:
    return AuditLog(query)


def administered_organization_ids(user) -> list[int]:
    return sorted(org for org, role in membership_roles(user).items() if role == "admin")


def audit_usernames(organization_ids) -> list[str]:
    """Usernames of the organizations' members, for the user filter."""
    return sorted(
        set(
            Membership.objects.filter(organization_id__in=list(organization_ids)).values_list(
                "user__username", flat=True
            )
        )
    )


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
