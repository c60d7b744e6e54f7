"""Writes to organizations, memberships and the catalog. Validate with full_clean, then save."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model, password_validation
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from l_and_d_planner.imports import (
    ABSENT,
    BULK_BATCH_SIZE,
    ComparedField,
    ImportChanges,
    import_changes,
    import_reason,
)
from l_and_d_planner.tabular import (
    CellError,
    ImportRejected,
    ImportSummary,
    RowError,
    Table,
    checked_cell,
    is_blank,
    parse_bool,
    parse_decimal,
    parse_text,
    read_table,
    title_key,
)
from roles import permissions, presenters, selectors
from roles.bands import BANDS
from roles.models import (
    BENCHMARK_EDITABLE_FIELDS,
    INVITATION_LIFETIME_DAYS,
    MAX_ANNUAL_COST,
    REFERENCE_FIELDS,
    Benchmark,
    Discipline,
    Invitation,
    Membership,
    MembershipRole,
    Organization,
    Role,
)


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
@transaction.atomic
def role_delete(*, role: Role) -> None:
    """Delete an organization's role that no plan uses (else deactivate it)."""
    if role.plan_lines.exists():
        raise ValidationError({"role": "This role is used in plans: deactivate it instead."})
    role.delete()


def membership_create(
    *, organization: Organization, username: str, role: str, added_by=None
) -> Membership:
    """Add an existing account by username. With `added_by` (every request does), only an
    account sharing one of `added_by`'s organizations is found: anyone else answers exactly
    like an unknown username, so adding reveals nothing outside the admin's organizations;
    newcomers are invited by email instead."""
    if added_by is None:
        user = get_user_model().objects.filter(username=username).first()
    else:
        user = selectors.users_sharing_an_organization_with(added_by, username)
    if user is None:
        raise ValidationError(
            {
                "username": f"No user named '{username}' in your organizations: "
                "invite them by email instead."
            }
        )
    if Membership.objects.filter(organization=organization, user=user).exists():
        raise ValidationError({"username": f"{username} is already a member."})
    membership = Membership(organization=organization, user=user, role=role)
    membership.full_clean()
    membership.save()
    return membership


def _ensure_another_admin_remains(membership: Membership) -> Membership:
    """Refuse to demote or remove the organization's last admin; the membership as stored now.

    Every admin membership of the organization is row-locked first (SELECT … FOR UPDATE, in id
    order), so two admins demoting or removing each other at the same moment queue: the second
    sees the first's change and is refused, and the organization keeps an admin.
    """
    admin_ids = list(
        Membership.objects.select_for_update()
        .filter(organization_id=membership.organization_id, role=MembershipRole.ADMIN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    current = Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if current is None:
        raise ValidationError({"membership": "This membership was removed meanwhile."})
    if current.role == MembershipRole.ADMIN and admin_ids == [current.pk]:
        raise ValidationError({"role": "An organization keeps at least one admin."})
    return current


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


# --- benchmarks (DESIGN §10) ---

BENCHMARK_FIELDS = (*BENCHMARK_EDITABLE_FIELDS, "active")


@transaction.atomic
def benchmark_create(*, organization: Organization, **fields) -> Benchmark:
    """A benchmark of the organization's own (shared ones are seeded, never created here)."""
    benchmark = Benchmark(organization=organization)
    for name in BENCHMARK_FIELDS:
        if name in fields:
            setattr(benchmark, name, fields[name])
    benchmark.full_clean()
    benchmark.save()
    return benchmark


@transaction.atomic
def benchmark_update(*, benchmark: Benchmark, **changes) -> Benchmark:
    """Edit or retire (`active=False`) an organization's benchmark. A retired benchmark stops
    being its organization's reference for its metric."""
    if benchmark.organization_id is None:
        raise ValidationError({"organization": "Shared benchmarks are read-only."})
    for name, value in changes.items():
        if name in BENCHMARK_FIELDS:
            setattr(benchmark, name, value)
    benchmark.full_clean()
    benchmark.save()
    # Retired, it is nobody's reference; with another metric, not that of its old metric.
    for metric, field in REFERENCE_FIELDS.items():
        if not benchmark.active or metric != benchmark.metric:
            Organization.objects.filter(**{f"{field}_id": benchmark.id}).update(**{field: None})
    return benchmark


# --- import ---
# Catalog files (CSV or XLSX, first sheet; see `static/templates/roles_template.csv`):
#
#     title (required)        the role's title; matched to the organization's roles ignoring
#                             case and surrounding spaces
#     discipline (required)   a discipline's name or slug, ignoring case
#     annual_cost             annual cost per FTE, >= 0, at most two decimals (blank: 0)
#     experiential_percent, social_percent, formal_percent
#                             the band split in whole percent summing to 100; all blank: the
#                             discipline's band takes 100%
#     description             free text (blank: none)
#     active                  yes/no, true/false, 1/0 (blank: yes)
#
# Other columns (e.g. `band`, `catalog` of an export) are ignored. A present column is the truth
# for every row; an absent optional column leaves existing roles as they are. A catalog import
# creates and updates roles, it never deletes one. Rows naming a role of the shared standard
# catalog are accepted only if they match it (as in an export); the shared catalog is read-only.

ROLE_REQUIRED_COLUMNS = ("title", "discipline")
ROLE_OPTIONAL_COLUMNS = (
    "annual_cost",
    *selectors.BAND_PERCENT_COLUMNS,
    "description",
    "active",
)
ROLE_TITLE_MAX = Role._meta.get_field("title").max_length


@dataclass(frozen=True, slots=True)
class RoleRow:
    """A valid catalog row: the values a present column gives (absent columns are missing)."""

    row: int
    title: str
    values: dict[str, Any]


def _band_split_from(cells: list[Any]) -> dict[str, int]:
    """The percent columns' split (all blank: {}); raises CellError unless it sums to 100."""
    if all(is_blank(value) for value in cells):
        return {}
    percents = {}
    for band, value in zip(BANDS, cells, strict=True):
        number = parse_decimal(value, places=0, maximum=Decimal(100), what="percentage")
        percents[band.value] = int(number)
    total = sum(percents.values())
    if total != 100:
        raise CellError(f"The band percentages must sum to 100; they sum to {total}.")
    return percents


def _role_title(check, number: int, seen: dict[str, int], row_errors: list[RowError]) -> str:
    """The row's title, noting an empty one or one an earlier row has."""
    title = check("title", lambda value: parse_text(value, max_length=ROLE_TITLE_MAX))
    if title == "":
        row_errors.append(RowError(number, "title", "The title is empty."))
    elif title:
        key = title_key(title)
        if key in seen:
            row_errors.append(
                RowError(number, "title", f"'{title}' is already on row {seen[key]}.")
            )
        else:
            seen[key] = number
    return title


def _role_discipline(
    check, number: int, disciplines: dict[str, Discipline], row_errors: list[RowError]
) -> Discipline | None:
    text = check("discipline", parse_text)
    if text == "":
        row_errors.append(RowError(number, "discipline", "The discipline is empty."))
        return None
    if not text:
        return None
    discipline = disciplines.get(text.lower())
    if discipline is None:
        row_errors.append(
            RowError(
                number,
                "discipline",
                f"Unknown discipline '{text}': use a discipline's name or slug.",
            )
        )
    return discipline


def _role_optional_values(table: Table, cells: list[Any], check, number, row_errors) -> dict:
    """The values of the optional columns the file has."""
    values: dict[str, Any] = {}
    if "annual_cost" in table.columns:
        values["annual_cost"] = check(
            "annual_cost",
            lambda v: parse_decimal(v, places=2, maximum=MAX_ANNUAL_COST, what="annual cost"),
        )
    percent_columns = selectors.BAND_PERCENT_COLUMNS
    if any(column in table.columns for column in percent_columns):
        try:
            values["band_split"] = _band_split_from(
                [table.cell(cells, column) for column in percent_columns]
            )
        except CellError as error:
            row_errors.append(RowError(number, ", ".join(percent_columns), str(error)))
    if "description" in table.columns:
        values["description"] = check("description", parse_text)
    if "active" in table.columns:
        values["active"] = check("active", lambda v: parse_bool(v, blank=True))
    return values


def _parse_role_rows(table: Table, disciplines: dict[str, Discipline]) -> list[RoleRow]:
    """Check every row; raise ImportRejected with every problem, or return the valid rows."""
    errors: list[RowError] = []
    parsed: list[RoleRow] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        row_errors: list[RowError] = []
        check = partial(checked_cell, table, cells, number, row_errors=row_errors)
        title = _role_title(check, number, seen, row_errors)
        discipline = _role_discipline(check, number, disciplines, row_errors)
        values = _role_optional_values(table, cells, check, number, row_errors)
        if row_errors:
            errors.extend(row_errors)
        else:
            parsed.append(
                RoleRow(row=number, title=title, values={"discipline": discipline, **values})
            )
    if errors:
        raise ImportRejected(errors)
    return parsed


def _row_value(name: str):
    """A row's value of an optional column, ABSENT when the file has no such column."""
    return lambda row: row.values.get(name, ABSENT)


def _role_compared_fields(disciplines: dict[str, Discipline]) -> list[ComparedField]:
    names = {discipline.id: discipline.name for discipline in disciplines.values()}
    return [
        ComparedField("title", lambda row: row.title, lambda role: role.title),
        ComparedField(
            "discipline",
            lambda row: row.values["discipline"].id,
            lambda role: role.discipline_id,
            shown=lambda discipline_id: names.get(discipline_id, discipline_id),
            attribute="discipline_id",
        ),
        ComparedField("annual_cost", _row_value("annual_cost"), lambda role: role.annual_cost),
        ComparedField(
            "band_split",
            _row_value("band_split"),
            lambda role: selectors.band_split_percents(role.band_split),
            shown=lambda split: (
                ", ".join(f"{band} {percent}%" for band, percent in split.items()) or "default"
            ),
        ),
        ComparedField("description", _row_value("description"), lambda role: role.description),
        ComparedField("active", _row_value("active"), lambda role: role.active),
    ]


def _read_role_table(filename: str, content: bytes) -> Table:
    return read_table(
        filename=filename,
        content=content,
        required=ROLE_REQUIRED_COLUMNS,
        known=ROLE_OPTIONAL_COLUMNS,
    )


def _role_import_changes(organization: Organization, table: Table) -> ImportChanges:
    """Validate the rows and work out what to create and update: two queries in all."""
    disciplines = selectors.disciplines_by_name_or_slug()
    changes = import_changes(
        rows=_parse_role_rows(table, disciplines),
        existing=selectors.roles_by_title_key(organization.id),
        key=lambda row: title_key(row.title),
        row_number=lambda row: row.row,
        row_title=lambda row: row.title,
        fields=_role_compared_fields(disciplines),
    )
    shared_changed = [
        RowError(
            update.row.row,
            update.changes[0].field,
            f"'{update.target.title}' is a role of the shared standard catalog, which is "
            "read-only: give your own role another title.",
        )
        for update in changes.updates
        if update.target.organization_id is None
    ]
    if shared_changed:
        raise ImportRejected(shared_changed)
    return changes


def role_import_preview(
    *, organization: Organization, filename: str, content: bytes
) -> ImportSummary:
    """What importing this catalog file would change; raises ImportRejected. Writes nothing."""
    return _role_import_changes(organization, _read_role_table(filename, content)).summary


def _new_role(organization: Organization, row: RoleRow) -> Role:
    return Role(
        organization_id=organization.id,
        title=row.title,
        discipline_id=row.values["discipline"].id,
        annual_cost=row.values.get("annual_cost") or Decimal("0"),
        band_split=row.values.get("band_split") or {},
        description=row.values.get("description") or "",
        active=row.values.get("active", True),
    )


@transaction.atomic
def role_import(
    *, organization: Organization, filename: str, content: bytes, user=None
) -> ImportSummary:
    """Create and update the organization's roles from a CSV/XLSX file, all or nothing.

    Every change is in the roles' history with the reason "import from <filename>".
    Raises ImportRejected (nothing written) when any row is bad.
    """
    table = _read_role_table(filename, content)
    selectors.organization_lock(organization.id)
    changes = _role_import_changes(organization, table)
    history = {
        "default_user": user,
        "default_change_reason": import_reason(filename),
        "default_date": timezone.now(),  # one import, one moment in the history
    }
    try:
        with transaction.atomic():
            if changes.creates:
                new_roles = [_new_role(organization, row) for row in changes.creates]
                bulk_create_with_history(new_roles, Role, batch_size=BULK_BATCH_SIZE, **history)
            if changes.updates:
                now = timezone.now()
                roles = [update.apply() for update in changes.updates]
                for role in roles:
                    role.updated_at = now
                bulk_update_with_history(
                    roles,
                    Role,
                    sorted({*changes.changed_fields, "updated_at"}),
                    batch_size=BULK_BATCH_SIZE,
                    **history,
                )
    except IntegrityError:
        raise ImportRejected(
            [RowError(None, "title", "The catalog changed during the import: try again.")]
        ) from None
    return changes.summary


# --- invitations ---
# An admin invites an email address with a role. The link carries a random token (secrets, 256
# bits); the database keeps only its SHA-256, so a leaked table accepts nothing. A link works
# once, for INVITATION_LIFETIME_DAYS, for the account whose email is the invited one.


class InvitationRefused(ValidationError):
    """The link cannot be used (unknown, expired, used, revoked, or meant for another email)."""


@dataclass(frozen=True, slots=True)
class IssuedInvitation:
    """A new invitation and its token, which exists only here (the link shows it once)."""

    invitation: Invitation
    token: str


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _normalised_email(email: str) -> str:
    return (email or "").strip().lower()


@transaction.atomic
def invitation_create(
    *, organization: Organization, email: str, role: str, invited_by=None
) -> IssuedInvitation:
    """Invite `email` into the organization; an earlier pending invitation of it is revoked.

    Refuses an address that already belongs to a member of this organization (and says nothing
    about accounts elsewhere).
    """
    email = _normalised_email(email)
    now = timezone.now()
    invitation = Invitation(
        organization=organization,
        email=email,
        role=role,
        invited_by=invited_by,
        expires_at=now + timedelta(days=INVITATION_LIFETIME_DAYS),
    )
    token = secrets.token_urlsafe(32)
    invitation.token_hash = invitation_token_hash(token)
    invitation.full_clean()
    if selectors.member_with_email_exists(organization.id, email):
        raise ValidationError({"email": f"{email} is already a member of this organization."})
    for earlier in selectors.invitations_pending_for(organization.id, email, now):
        earlier.revoked_at = now
        earlier.save(update_fields=["revoked_at"])
    invitation.save()
    return IssuedInvitation(invitation=invitation, token=token)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Make a pending invitation's link useless; a used one stays as it is."""
    if invitation.accepted_at is not None:
        raise ValidationError({"invitation": "This invitation was already accepted."})
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_usable(token: str) -> Invitation:
    """The pending invitation of this token, or InvitationRefused saying why not."""
    invitation = selectors.invitation_by_token_hash(invitation_token_hash(token or ""))
    if invitation is None:
        raise InvitationRefused({"token": "This invitation link is not valid."})
    state = invitation.state(timezone.now())
    if state != "pending":
        raise InvitationRefused({"token": INVITATION_REFUSALS[state]})
    return invitation


INVITATION_REFUSALS = {
    "accepted": "This invitation link was already used.",
    "revoked": "This invitation was withdrawn: ask an admin for a new one.",
    "expired": "This invitation has expired: ask an admin for a new one.",
}


def _accept(invitation: Invitation, user, now) -> Membership:
    """Mark the invitation used by `user`; the membership (an existing one keeps its role)."""
    membership = selectors.membership_of(user.id, invitation.organization_id)
    if membership is None:
        membership = Membership(
            user=user, organization_id=invitation.organization_id, role=invitation.role
        )
        membership.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError:  # joined at the same moment by another path (two invitations)
            membership = selectors.membership_of(user.id, invitation.organization_id)
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def invitation_accept(*, token: str, user) -> Membership:
    """Accept the invitation of `token` as the signed-in `user`, whose email must be the
    invited one. Raises InvitationRefused (nothing written) otherwise."""
    invitation = invitation_usable(token)
    invitation = selectors.invitation_for_update(invitation.pk)
    if invitation.state(timezone.now()) != "pending":
        raise InvitationRefused({"token": INVITATION_REFUSALS[invitation.state(timezone.now())]})
    if _normalised_email(user.email) != invitation.email:
        raise InvitationRefused(
            {
                "token": "This invitation was sent to another email address: sign in with that "
                "account, or sign out and create one."
            }
        )
    return _accept(invitation, user, timezone.now())


@transaction.atomic
def invitation_sign_up(*, token: str, username: str, password: str):
    """Create an account for the invited email with a password, and accept the invitation.

    Returns (user, membership). Raises ValidationError (username taken, weak password) or
    InvitationRefused; nothing is written then.
    """
    invitation = invitation_usable(token)
    user_model = get_user_model()
    if user_model.objects.filter(email__iexact=invitation.email, is_active=True).exists():
        raise ValidationError(
            {"username": "An account with this email exists: sign in with it, then open the link."}
        )
    username = (username or "").strip()
    user = user_model(username=username, email=invitation.email)
    errors = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError({"username": "A user with that username already exists."}) from None
    return user, invitation_accept(token=token, user=user)


@transaction.atomic
def invitations_accept_for_email(user, email: str) -> list[Membership]:
    """Accept every pending, unexpired invitation addressed to `email` for `user`.

    For sign-in paths that have verified the address (single sign-on): call it only with an
    email the identity provider vouches for. Returns the memberships (new or existing), one per
    invited organization; an empty list when nothing is pending.
    """
    email = _normalised_email(email)
    if not email:
        return []
    now = timezone.now()
    memberships = []
    for invitation in selectors.invitations_pending_for_email(email, now, lock=True):
        memberships.append(_accept(invitation, user, now))
    return memberships


def invitation_send(*, issued: IssuedInvitation, link: str) -> bool:
    """Mail the invitation's link when an outgoing mail server is configured.

    Returns False (nothing sent) without one: the page then shows the link to copy.
    """
    if not settings.MAIL_CONFIGURED:
        return False
    invitation = issued.invitation
    subject, body = presenters.invitation_email(
        organization_name=invitation.organization.name,
        role=invitation.role,
        link=link,
        invited_by=invitation.invited_by.get_username() if invitation.invited_by else "",
    )
    send_mail(subject, body, None, [invitation.email])
    return True


# --- erasure ---
# An admin erases a former member (rule: roles.permissions.can_erase_member). Nothing is
# deleted: the history keeps every change, now in the pseudonym's name, and plans keep their
# numbers. What held the person's name or email is overwritten.


def _end_sessions(user_id: int) -> int:
    """Delete the user's sessions (database sessions: each session's data is decoded)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user_id):
            session.delete()
            ended += 1
    return ended


def _scrub_email_everywhere(email: str, replacement: str) -> None:
    """Replace an email in invitations and their history (the only other copies we keep)."""
    if not email:
        return
    Invitation.objects.filter(email__iexact=email).update(email=replacement)
    Invitation.history.filter(email__iexact=email).update(email=replacement)


@transaction.atomic
def member_erase(*, organization: Organization, user, by) -> str:
    """Erase a former member: deactivate, sign out everywhere, end API tokens, and replace
    their name and email with a pseudonym everywhere. Returns the pseudonym."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    permissions.require(by, "member.erase", organization.id, user)
    pseudonym = presenters.pseudonym_for(user.pk)
    old_email = user.email
    for membership in Membership.objects.filter(user=user):
        membership.delete()  # only organizations `by` administers remain (the rule)
    user.username = pseudonym
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    Token.objects.filter(user=user).delete()
    identities = getattr(user, "oidc_identities", None)  # the sso app's provider links
    if identities is not None:
        identities.all().delete()
    _end_sessions(user.pk)
    _scrub_email_everywhere(old_email, f"{pseudonym}@erased.invalid")
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)
    ).update(object_repr=pseudonym)
    return pseudonym
