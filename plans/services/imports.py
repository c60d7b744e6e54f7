"""Import and export of a plan's lines (CSV, XLSX), and the plan export's score sheet.

Plan files (CSV or XLSX, first sheet; see `static/templates/plan_lines_template.csv`):

    role (required)         a role title of the shared catalog or the plan's organization,
                            ignoring case and surrounding spaces (the organization's own role
                            wins when both have the title)
    current_fte, planned_fte (required columns)
                            FTE from 0 to 9999.9, at most one decimal; a blank cell is 0
    locked                  yes/no (blank: no)
    note                    free text, at most 500 characters

Other columns (the export's discipline, band, annual_cost) are ignored. An import replaces the
plan's lines: lines of roles not in the file are deleted, lines of the file are created or
updated. Lines keep their cost override, and keep `locked` / `note` when the file has no such
column. All or nothing, in one transaction; the plan's version moves on once when anything
changed and not at all when nothing did; every line change is in the history with the reason
"import from <filename>".
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from l_and_d_planner.tabular import (
    BULK_BATCH_SIZE,
    CellError,
    FieldChange,
    ImportRejected,
    ImportSummary,
    RowChange,
    RowError,
    Table,
    csv_bytes,
    import_reason,
    parse_bool,
    parse_decimal,
    parse_text,
    read_table,
    title_key,
    xlsx_bytes,
)
from plans.models import MAX_FTE, Plan, PlanLine
from plans.presenters import readiness_sheet_rows, roadmap_sheet_rows
from plans.selectors import plan_lines, plan_readiness, plan_roadmap
from plans.services.plans import PlanScoreResult, StaleVersion, ensure_editable, plan_score
from roles.bands import BAND_SHORT_LABELS, BANDS
from roles.models import Role

PLAN_REQUIRED_COLUMNS = ("role", "current_fte", "planned_fte")
PLAN_OPTIONAL_COLUMNS = ("locked", "note")
PLAN_EXPORT_COLUMNS = [
    "role",
    "discipline",
    "band",
    "current_fte",
    "planned_fte",
    "annual_cost",
    "locked",
    "note",
]
NOTE_MAX = PlanLine._meta.get_field("note").max_length


@dataclass(frozen=True, slots=True)
class LineRow:
    """A valid plan-file row, its role resolved."""

    row: int
    role_id: int
    title: str
    current_fte: Decimal
    planned_fte: Decimal
    locked: bool | None  # None: the file has no `locked` column
    note: str | None  # None: the file has no `note` column


def _role_lookup(plan: Plan) -> dict[str, tuple[int, str]]:
    """Lowercased title -> (role id, title) of the catalog the plan may use, in one query."""
    lookup: dict[str, tuple[int, str]] = {}
    rows = Role.objects.filter(
        Q(organization__isnull=True) | Q(organization_id=plan.organization_id)
    ).values_list("id", "title", "organization_id")
    for role_id, title, organization_id in rows:
        key = title_key(title)
        if organization_id is not None or key not in lookup:
            lookup[key] = (role_id, title)
    return lookup


def unknown_role_reason(title: str, roles: dict[str, tuple[int, str]]) -> str:
    """Why a title matched no role, with the closest catalog title when one is near (a typo)."""
    close = difflib.get_close_matches(title_key(title), roles, n=1, cutoff=0.8)
    hint = f" Did you mean '{roles[close[0]][1]}'?" if close else ""
    return f"Unknown role '{title}': not in the catalog.{hint}"


def parse_line_rows(table: Table, roles: dict[str, tuple[int, str]]) -> list[LineRow]:
    """Check every row of a plan file; raise ImportRejected with every problem."""
    errors: list[RowError] = []
    parsed: list[LineRow] = []
    seen: dict[int, int] = {}
    has_locked = "locked" in table.columns
    has_note = "note" in table.columns
    for number, cells in table.rows:
        row_errors: list[RowError] = []
        role = None
        try:
            title = parse_text(table.cell(cells, "role"))
        except CellError as error:
            row_errors.append(RowError(number, "role", str(error)))
            title = None
        if title == "":
            row_errors.append(RowError(number, "role", "The role is empty."))
        elif title:
            role = roles.get(title_key(title))
            if role is None:
                row_errors.append(RowError(number, "role", unknown_role_reason(title, roles)))
            elif role[0] in seen:
                row_errors.append(
                    RowError(number, "role", f"'{title}' is already on row {seen[role[0]]}.")
                )
            else:
                seen[role[0]] = number
        ftes = {}
        for column in ("current_fte", "planned_fte"):
            try:
                ftes[column] = parse_decimal(
                    table.cell(cells, column), places=1, maximum=MAX_FTE, what="FTE"
                )
            except CellError as error:
                row_errors.append(RowError(number, column, str(error)))
        locked = note = None
        if has_locked:
            try:
                locked = parse_bool(table.cell(cells, "locked"), blank=False)
            except CellError as error:
                row_errors.append(RowError(number, "locked", str(error)))
        if has_note:
            try:
                note = parse_text(table.cell(cells, "note"), max_length=NOTE_MAX)
            except CellError as error:
                row_errors.append(RowError(number, "note", str(error)))
        if row_errors:
            errors.extend(row_errors)
            continue
        parsed.append(
            LineRow(
                row=number,
                role_id=role[0],
                title=role[1],
                current_fte=ftes["current_fte"],
                planned_fte=ftes["planned_fte"],
                locked=locked,
                note=note,
            )
        )
    if errors:
        raise ImportRejected(errors)
    return parsed


@dataclass
class _LinePlan:
    summary: ImportSummary
    to_create: list[PlanLine]
    to_update: list[PlanLine]
    update_fields: list[str]
    to_delete: list[PlanLine]


LINE_COMPARED_FIELDS = ("current_fte", "planned_fte", "locked", "note")


def _plan_line_import(plan: Plan, table: Table) -> _LinePlan:
    """Validate and work out the creates, updates and deletes: two queries in all."""
    rows = parse_line_rows(table, _role_lookup(plan))
    existing = {line.role_id: line for line in PlanLine.objects.filter(plan=plan)}
    titles = {}
    changes: list[RowChange] = []
    to_create: list[PlanLine] = []
    to_update: list[PlanLine] = []
    update_fields: set[str] = set()
    unchanged = 0
    for row in rows:
        line = existing.pop(row.role_id, None)
        titles[row.role_id] = row.title
        wanted = {
            "current_fte": row.current_fte,
            "planned_fte": row.planned_fte,
            "locked": row.locked,
            "note": row.note,
        }
        if line is None:
            to_create.append(
                PlanLine(
                    plan_id=plan.id,
                    role_id=row.role_id,
                    current_fte=row.current_fte,
                    planned_fte=row.planned_fte,
                    locked=bool(row.locked),
                    note=row.note or "",
                )
            )
            changes.append(RowChange("create", row.row, row.title))
            continue
        diffs = []
        for name in LINE_COMPARED_FIELDS:
            after = wanted[name]
            if after is None:  # the file has no such column: keep the line's value
                continue
            before = getattr(line, name)
            if before != after:
                diffs.append(FieldChange(name, before, after))
                setattr(line, name, after)
                update_fields.add(name)
        if diffs:
            to_update.append(line)
            changes.append(RowChange("update", row.row, row.title, tuple(diffs)))
        else:
            unchanged += 1
    to_delete = list(existing.values())
    if to_delete:
        deleted_titles = dict(Role.objects.filter(id__in=existing).values_list("id", "title"))
        changes.extend(
            RowChange("delete", None, deleted_titles.get(line.role_id, "?")) for line in to_delete
        )
    summary = ImportSummary(
        created=len(to_create),
        updated=len(to_update),
        deleted=len(to_delete),
        unchanged=unchanged,
        changes=tuple(changes),
    )
    return _LinePlan(summary, to_create, to_update, sorted(update_fields), to_delete)


def _read_plan_table(filename: str, content: bytes) -> Table:
    return read_table(
        filename=filename,
        content=content,
        required=PLAN_REQUIRED_COLUMNS,
        known=PLAN_OPTIONAL_COLUMNS,
    )


def plan_import_preview(*, plan: Plan, filename: str, content: bytes) -> ImportSummary:
    """What importing this file into the plan would change; raises ImportRejected."""
    ensure_editable(plan)
    return _plan_line_import(plan, _read_plan_table(filename, content)).summary


def _delete_lines_with_history(lines: list[PlanLine], *, user, reason: str, moment) -> None:
    """Delete lines, with one "-" history row each, in a fixed number of queries.

    `QuerySet.delete()` would send a signal per line and so write the history a row at a time;
    when nothing but history refers to plan lines, write the history in bulk and delete in one
    statement. If another model ever points at plan lines, the ORM's cascade is used instead.
    """
    history_model = PlanLine.history.model
    referenced = [
        relation
        for relation in PlanLine._meta.related_objects
        if not issubclass(relation.related_model, history_model)
    ]
    if referenced:
        for line in lines:
            line._change_reason = reason
            line._history_user = user
            line.delete()
        return
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
    PlanLine.objects.filter(id__in=[line.id for line in lines])._raw_delete(PlanLine.objects.db)


@transaction.atomic
def plan_import(
    *,
    plan: Plan,
    filename: str,
    content: bytes,
    user=None,
    expected_version: int | None = None,
) -> ImportSummary:
    """Replace the plan's lines with the file's, all or nothing.

    Raises ImportRejected when any row is bad, django ValidationError when the plan is approved
    or archived, StaleVersion when `expected_version` is given and the plan moved on.
    """
    table = _read_plan_table(filename, content)
    locked_plan = Plan.objects.select_for_update().get(pk=plan.pk)
    ensure_editable(locked_plan)
    if expected_version is not None and locked_plan.version != expected_version:
        raise StaleVersion(locked_plan.version)
    planned = _plan_line_import(locked_plan, table)
    if not planned.summary.changed:
        return planned.summary
    reason = import_reason(filename)
    moment = timezone.now()  # one import, one moment in the history
    if planned.to_delete:
        _delete_lines_with_history(planned.to_delete, user=user, reason=reason, moment=moment)
    if planned.to_update:
        bulk_update_with_history(
            planned.to_update,
            PlanLine,
            planned.update_fields,
            batch_size=BULK_BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
            default_date=moment,
        )
    if planned.to_create:
        bulk_create_with_history(
            planned.to_create,
            PlanLine,
            batch_size=BULK_BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
            default_date=moment,
        )
    Plan.objects.filter(pk=plan.pk).update(
        version=F("version") + 1, updated_by=user, updated_at=timezone.now()
    )
    plan.refresh_from_db(fields=["version", "updated_by", "updated_at"])
    return planned.summary


# --- export -----------------------------------------------------------------------------------


def plan_export_rows(plan: Plan) -> list[list[Any]]:
    """The plan's lines in PLAN_EXPORT_COLUMNS order, in one query."""
    return [
        [
            line.role.title,
            line.role.discipline.name,
            line.role.discipline.band,
            line.current_fte,
            line.planned_fte,
            line.annual_cost,
            "yes" if line.locked else "no",
            line.note,
        ]
        for line in plan_lines(plan)
    ]


def _percent(fraction: Decimal | None) -> Decimal | None:
    return None if fraction is None else (fraction * 100).quantize(Decimal("0.1"))


def score_sheet_rows(result: PlanScoreResult) -> list[list[Any]]:
    """The XLSX "Score" sheet: the plan, each column's score, and the band summary."""
    score = result.score
    plan = result.plan
    rows: list[list[Any]] = [
        ["Plan", plan.name],
        ["Organization", plan.organization.name],
        ["Status", plan.get_status_display()],
        ["Target model", result.target_model.name],
        ["Version", plan.version],
        [],
        ["", "Current", "Planned"],
    ]
    columns = (score.current, score.planned)
    rows.extend(
        [
            ["Score (0-100)", *[column.score for column in columns]],
            ["Shape", *[(column.shape or "").replace("_", " ") for column in columns]],
            ["Most >= Much >= Some", *[_yes_no(column.ordering_holds) for column in columns]],
            ["Total FTE", *[column.total_fte for column in columns]],
            ["FTE to move to match the model", *[column.moves_needed_fte for column in columns]],
            ["Annual cost", *[column.cost for column in columns]],
            [],
            [
                "Band",
                "Target %",
                "Current FTE",
                "Current %",
                "Current status",
                "Planned FTE",
                "Planned %",
                "Planned status",
                "Planned gap FTE",
            ],
        ]
    )
    for band in BANDS:
        current, planned = score.current.band(band), score.planned.band(band)
        rows.append(
            [
                BAND_SHORT_LABELS[band],
                _percent(current.target),
                current.fte,
                _percent(current.share),
                (current.status or "").replace("_", " "),
                planned.fte,
                _percent(planned.share),
                (planned.status or "").replace("_", " "),
                planned.gap_fte,
            ]
        )
    return rows


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def plan_export(*, plan: Plan, as_format: str) -> bytes:
    """The plan's lines as CSV, or as XLSX with the sheets Score, Readiness and Roadmap too."""
    rows = plan_export_rows(plan)
    if as_format == "xlsx":
        return xlsx_bytes(
            [
                ("Lines", PLAN_EXPORT_COLUMNS, rows),
                ("Score", None, score_sheet_rows(plan_score(plan))),
                ("Readiness", None, readiness_sheet_rows(plan_readiness(plan))),
                ("Roadmap", None, roadmap_sheet_rows(plan_roadmap(plan))),
            ]
        )
    return csv_bytes(PLAN_EXPORT_COLUMNS, rows)


def export_filename(name: str, suffix: str, as_format: str) -> str:
    """A safe download name such as `2027-modern-learning-department-lines.xlsx`."""
    from django.utils.text import slugify

    return f"{slugify(name)[:60] or 'export'}-{suffix}.{as_format}"
