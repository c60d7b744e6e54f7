"""Writes to plan lines: one line at a time (the API) or a whole table at once (the planner).

Every write checks that the plan may still change (a draft), records history with
django-simple-history and moves the plan's `version` on exactly once per call, so a client that
read an older version is told of the conflict instead of overwriting. The table save writes in
bulk: its query count does not grow with the number of changed rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from plans import selectors
from plans.models import Plan, PlanLine
from plans.services.plans import StaleVersion, ensure_editable, plan_bump_version
from roles.models import Role

LINE_FIELDS = ("current_fte", "planned_fte", "cost_override", "locked", "note")
BULK_BATCH_SIZE = 500


@dataclass(frozen=True, slots=True)
class LineEdit:
    """One row of the lines table as the user left it: a role and its values, or `remove`."""

    role_id: int
    current_fte: Decimal = Decimal("0")
    planned_fte: Decimal = Decimal("0")
    cost_override: Decimal | None = None
    locked: bool = False
    note: str = ""
    remove: bool = False

    def values(self) -> dict:
        return {field: getattr(self, field) for field in LINE_FIELDS}


@dataclass(frozen=True)
class LinesSaveResult:
    """What one save of the table changed, and the plan at its new version."""

    plan: Plan
    created: int
    updated: int
    removed: int

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.removed


@dataclass
class LineChanges:
    """Lines to create, update and delete in one bulk write."""

    to_create: list[PlanLine]
    to_update: list[PlanLine]
    to_delete: list[PlanLine]
    update_fields: Sequence[str] = LINE_FIELDS

    @property
    def changed(self) -> int:
        return len(self.to_create) + len(self.to_update) + len(self.to_delete)


# --- one line (the API) ----------------------------------------------------------------------


class StaleLine(Exception):
    """The line changed since the caller read it (or the caller sent no version)."""

    def __init__(self, current_version: int, sent_version: int | None):
        super().__init__(f"The line is now at version {current_version}.")
        self.current_version = current_version
        self.sent_version = sent_version


def _locked_line(line: PlanLine, expected_version: int | None) -> tuple[Plan, PlanLine]:
    """Lock the line's plan (every write of a plan's lines queues there), check that the plan
    may change and that the line is still at `expected_version`; the line as stored now.

    Raises PlanLine.DoesNotExist when the line was deleted meanwhile.
    """
    plan = selectors.plan_for_update(line.plan_id)
    ensure_editable(plan)
    current = PlanLine.objects.select_related("role").get(pk=line.pk, plan_id=plan.pk)
    if expected_version is None or current.version != expected_version:
        raise StaleLine(current.version, expected_version)
    current.plan = plan
    return plan, current


@transaction.atomic
def plan_line_create(
    *,
    plan: Plan,
    role: Role,
    current_fte: Decimal = Decimal("0"),
    planned_fte: Decimal = Decimal("0"),
    cost_override: Decimal | None = None,
    locked: bool = False,
    note: str = "",
    user=None,
) -> PlanLine:
    """Add a role to a plan (one line per role per plan).

    The plan's row is locked first, so two concurrent adds of the same role queue: the second
    sees the first's line and is refused with a 400 naming `role`, never a database error.
    """
    plan = selectors.plan_for_update(plan.pk)
    ensure_editable(plan)
    line = PlanLine(
        plan=plan,
        role=role,
        current_fte=current_fte,
        planned_fte=planned_fte,
        cost_override=cost_override,
        locked=locked,
        note=note,
    )
    line.full_clean()
    try:
        with transaction.atomic():
            line.save()
    except IntegrityError:
        raise ValidationError({"role": "This plan already has a line for this role."}) from None
    plan_bump_version(plan=plan, user=user)
    return line


@transaction.atomic
def plan_line_update(
    *, line: PlanLine, expected_version: int | None, user=None, **changes
) -> PlanLine:
    """Change the fields in `changes` (only those: a PATCH writes what it sends) if the line is
    still at `expected_version`, else raise StaleLine; the line's version moves on by one."""
    plan, current = _locked_line(line, expected_version)
    for field, value in changes.items():
        setattr(current, field, value)
    current.version += 1
    current.full_clean()
    try:
        with transaction.atomic():
            current.save(update_fields=[*changes, "version"])
    except IntegrityError:
        raise ValidationError({"role": "This plan already has a line for this role."}) from None
    plan_bump_version(plan=plan, user=user)
    return current


@transaction.atomic
def plan_line_delete(*, line: PlanLine, expected_version: int | None, user=None) -> None:
    """Delete the line if it is still at `expected_version`, else raise StaleLine."""
    plan, current = _locked_line(line, expected_version)
    current.delete()
    plan_bump_version(plan=plan, user=user)


# --- many lines at once (the planner table, imports) -----------------------------------------


def lines_delete_with_history(
    lines: Sequence[PlanLine], *, user, reason: str | None, moment: datetime
) -> None:
    """Delete lines with one "-" history row each, in a fixed number of queries.

    `QuerySet.delete()` sends a signal per line, and django-simple-history answers each with
    its own INSERT. Nothing but history refers to plan lines (a test asserts it), so the history
    is written in bulk and the rows are deleted with one parameterised DELETE through Django's
    public cursor API.
    """
    if not lines:
        return
    history_model = PlanLine.history.model
    history_model.objects.bulk_create(
        [
            history_model(
                history_date=moment,
                history_user=user,
                history_change_reason=reason,
                history_type="-",
                **{
                    field.attname: getattr(line, field.attname)
                    for field in history_model.tracked_fields
                },
            )
            for line in lines
        ],
        batch_size=BULK_BATCH_SIZE,
    )
    ids = [line.id for line in lines]
    table = connection.ops.quote_name(PlanLine._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), BULK_BATCH_SIZE):
            batch = ids[start : start + BULK_BATCH_SIZE]
            placeholders = ", ".join(["%s"] * len(batch))
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({placeholders})", batch)


def lines_write(
    changes: LineChanges, *, user, reason: str | None = None, moment: datetime | None = None
) -> None:
    """Apply creates, updates and deletes in bulk, each with its history rows (one moment)."""
    moment = moment or timezone.now()
    lines_delete_with_history(changes.to_delete, user=user, reason=reason, moment=moment)
    history = {"default_user": user, "default_change_reason": reason, "default_date": moment}
    if changes.to_update:
        # Every changed line's version moves on, so a client holding the old one is told.
        # Callers hold the plan's row lock, which every write of its lines takes first.
        for line in changes.to_update:
            line.version += 1
        bulk_update_with_history(
            changes.to_update,
            PlanLine,
            list(dict.fromkeys([*changes.update_fields, "version"])),
            batch_size=BULK_BATCH_SIZE,
            **history,
        )
    if changes.to_create:
        bulk_create_with_history(changes.to_create, PlanLine, batch_size=BULK_BATCH_SIZE, **history)


def _table_changes(plan: Plan, edits: Sequence[LineEdit], existing: dict[int, PlanLine]):
    """Compare the table with the stored lines: what to create, update and delete."""
    changes = LineChanges(to_create=[], to_update=[], to_delete=[])
    for edit in edits:
        line = existing.get(edit.role_id)
        if edit.remove:
            if line is not None:
                changes.to_delete.append(line)
            continue
        values = edit.values()
        if line is None:
            changes.to_create.append(PlanLine(plan=plan, role_id=edit.role_id, **values))
        elif any(getattr(line, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(line, field, value)
            changes.to_update.append(line)
    for line in [*changes.to_create, *changes.to_update]:
        line.clean_fields(exclude=["plan", "role"])
    return changes


@transaction.atomic
def plan_lines_save(
    *, plan_id: int, expected_version: int, edits: Sequence[LineEdit], user=None
) -> LinesSaveResult:
    """Save the planner's lines table in one step, if nobody saved since `expected_version`.

    Rows are keyed by role: a row for a role without a line creates one, `remove` deletes it,
    changed values update it; lines not in the table (added by someone else since) are left
    alone. One transaction, one version check, one version bump, bulk writes with history.
    Roles must be ones the plan may use (the caller checked them against the catalog).
    """
    plan = selectors.plan_for_update(plan_id)
    if plan.version != expected_version:
        raise StaleVersion(plan.version)
    ensure_editable(plan)
    existing = selectors.plan_lines_by_role(plan)
    changes = _table_changes(plan, edits, existing)
    if changes.changed:
        lines_write(changes, user=user)
        plan_bump_version(plan=plan, user=user)
    return LinesSaveResult(
        plan=plan,
        created=len(changes.to_create),
        updated=len(changes.to_update),
        removed=len(changes.to_delete),
    )
