"""Import and export of a plan's lines (CSV, XLSX); the XLSX export carries the score too.

Plan files (CSV or XLSX, first sheet; see `static/templates/plan_lines_template.csv`):

    role (required)         a role title of the shared catalog or the plan's organization,
                            ignoring case and surrounding spaces (the organization's own role
                            wins when both have the title)
    current_fte, planned_fte (required columns)
                            FTE from 0 to 9999.9, at most one decimal; a blank cell is 0
    locked                  yes/no (blank: no)
    note                    free text, at most 500 characters
    employees_served        the plan's setting (DESIGN §10): the employees its department
                            serves, a whole number from 1; every filled cell must say the same;
                            all blank clears the plan's override; no such column keeps it

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
from functools import partial

from django.db import transaction

from l_and_d_planner.imports import (
    ABSENT,
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
    csv_bytes,
    parse_bool,
    parse_decimal,
    parse_text,
    read_table,
    title_key,
    xlsx_bytes,
)
from plans import presenters, selectors
from plans.models import MAX_EMPLOYEES, MAX_FTE, Plan, PlanLine
from plans.presenters import PLAN_EXPORT_COLUMNS, readiness_sheet_rows, roadmap_sheet_rows
from plans.selectors import plan_readiness, plan_roadmap, plan_score
from plans.services.lines import LineChanges, lines_write
from plans.services.plans import StaleVersion, ensure_editable, plan_bump_version

PLAN_REQUIRED_COLUMNS = ("role", "current_fte", "planned_fte")
PLAN_OPTIONAL_COLUMNS = ("locked", "note", "employees_served")
KEEP = object()  # the file has no employees_served column: the plan keeps its setting
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


def unknown_role_reason(title: str, roles: dict[str, tuple[int, str]]) -> str:
    """Why a title matched no role, with the closest catalog title when one is near (a typo)."""
    close = difflib.get_close_matches(title_key(title), roles, n=1, cutoff=0.8)
    hint = f" Did you mean '{roles[close[0]][1]}'?" if close else ""
    return f"Unknown role '{title}': not in the catalog.{hint}"


def _line_role(
    check,
    number: int,
    roles: dict[str, tuple[int, str]],
    seen: dict[int, int],
    row_errors: list[RowError],
) -> tuple[int, str] | None:
    """The (role id, title) the row's `role` names, noting an empty, unknown or repeated one."""
    title = check("role", parse_text)
    if title == "":
        row_errors.append(RowError(number, "role", "The role is empty."))
        return None
    if not title:
        return None
    role = roles.get(title_key(title))
    if role is None:
        row_errors.append(RowError(number, "role", unknown_role_reason(title, roles)))
    elif role[0] in seen:
        row_errors.append(RowError(number, "role", f"'{title}' is already on row {seen[role[0]]}."))
    else:
        seen[role[0]] = number
    return role


def _fte(value) -> Decimal:
    return parse_decimal(value, places=1, maximum=MAX_FTE, what="FTE")


def parse_line_rows(table: Table, roles: dict[str, tuple[int, str]]) -> list[LineRow]:
    """Check every row of a plan file; raise ImportRejected with every problem."""
    errors: list[RowError] = []
    parsed: list[LineRow] = []
    seen: dict[int, int] = {}
    has_locked = "locked" in table.columns
    has_note = "note" in table.columns
    for number, cells in table.rows:
        row_errors: list[RowError] = []

        check = partial(checked_cell, table, cells, number, row_errors=row_errors)
        role = _line_role(check, number, roles, seen, row_errors)
        current_fte = check("current_fte", _fte)
        planned_fte = check("planned_fte", _fte)
        locked = check("locked", lambda v: parse_bool(v, blank=False)) if has_locked else None
        note = check("note", lambda v: parse_text(v, max_length=NOTE_MAX)) if has_note else None
        if row_errors:
            errors.extend(row_errors)
            continue
        parsed.append(
            LineRow(
                row=number,
                role_id=role[0],
                title=role[1],
                current_fte=current_fte,
                planned_fte=planned_fte,
                locked=locked,
                note=note,
            )
        )
    if errors:
        raise ImportRejected(errors)
    return parsed


LINE_COMPARED_FIELDS: list[ComparedField[LineRow, PlanLine]] = [
    ComparedField(
        name,
        # `locked` and `note` are None when the file has no such column: keep the line's.
        (lambda row, name=name: ABSENT if getattr(row, name) is None else getattr(row, name)),
        (lambda line, name=name: getattr(line, name)),
    )
    for name in ("current_fte", "planned_fte", "locked", "note")
]


def _line_import_changes(plan: Plan, table: Table) -> ImportChanges[LineRow, PlanLine]:
    """Validate and work out the creates, updates and deletes: two queries in all."""
    return import_changes(
        rows=parse_line_rows(table, selectors.catalog_titles_for_plan(plan)),
        existing=selectors.plan_lines_by_role(plan),
        key=lambda row: row.role_id,
        row_number=lambda row: row.row,
        row_title=lambda row: row.title,
        fields=LINE_COMPARED_FIELDS,
        object_title=lambda line: line.role.title,
    )


def _employees(value) -> int | None:
    number = parse_decimal(
        value, places=0, maximum=Decimal(MAX_EMPLOYEES), what="employees", blank=None
    )
    if number is not None and number < 1:
        raise CellError("Give the employees served as a whole number from 1, or leave it blank.")
    return None if number is None else int(number)


def parse_employees_served(table: Table):
    """The plan's `employees_served` of a file: KEEP without the column, None when every cell
    is blank, else the one number the filled cells give; raises ImportRejected."""
    if "employees_served" not in table.columns:
        return KEEP
    errors: list[RowError] = []
    found: tuple[int, int] | None = None  # (row, value)
    for number, cells in table.rows:
        value = checked_cell(table, cells, number, "employees_served", _employees, errors)
        if value is None:
            continue
        if found is None:
            found = (number, value)
        elif value != found[1]:
            errors.append(
                RowError(
                    number,
                    "employees_served",
                    f"{value:,} differs from {found[1]:,} on row {found[0]}: a plan has one "
                    "number of employees served.",
                )
            )
    if errors:
        raise ImportRejected(errors)
    return None if found is None else found[1]


def _plan_file(plan: Plan, table: Table) -> tuple[ImportChanges[LineRow, PlanLine], object]:
    """The line changes and the employees served of a file, every problem reported at once."""
    errors: list[RowError] = []
    served, changes = KEEP, None
    try:
        changes = _line_import_changes(plan, table)
    except ImportRejected as rejected:
        errors.extend(rejected.errors)
    try:
        served = parse_employees_served(table)
    except ImportRejected as rejected:
        errors.extend(rejected.errors)
    if errors:
        raise ImportRejected(sorted(errors, key=lambda error: error.row or 0))
    return changes, served


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
    return _plan_file(plan, _read_plan_table(filename, content))[0].summary


def _new_line(plan: Plan, row: LineRow) -> PlanLine:
    return PlanLine(
        plan_id=plan.id,
        role_id=row.role_id,
        current_fte=row.current_fte,
        planned_fte=row.planned_fte,
        locked=bool(row.locked),
        note=row.note or "",
    )


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
    locked_plan = selectors.plan_for_update(plan.pk)
    ensure_editable(locked_plan)
    if expected_version is not None and locked_plan.version != expected_version:
        raise StaleVersion(locked_plan.version)
    changes, served = _plan_file(locked_plan, table)
    served_changes = served is not KEEP and served != locked_plan.employees_served
    if not changes.summary.changed and not served_changes:
        return changes.summary
    if changes.summary.changed:
        lines_write(
            LineChanges(
                to_create=[_new_line(locked_plan, row) for row in changes.creates],
                to_update=[update.apply() for update in changes.updates],
                to_delete=changes.deletes,
                update_fields=changes.changed_fields,
            ),
            user=user,
            reason=import_reason(filename),
        )
    if served_changes:  # a plan setting: saved with its history like the settings form does
        locked_plan.employees_served = served
        locked_plan.updated_by = user
        locked_plan.save(update_fields=["employees_served", "updated_by", "updated_at"])
        plan.employees_served = served
    plan_bump_version(plan=locked_plan, user=user)
    plan.version, plan.updated_by, plan.updated_at = (
        locked_plan.version,
        locked_plan.updated_by,
        locked_plan.updated_at,
    )
    return changes.summary


# --- export -----------------------------------------------------------------------------------


def plan_export(*, plan: Plan, as_format: str) -> bytes:
    """The plan's lines as CSV, or as XLSX with the sheets Score, Readiness and Roadmap too."""
    rows = presenters.plan_line_rows(selectors.plan_lines(plan))
    if as_format != "xlsx":
        return csv_bytes(PLAN_EXPORT_COLUMNS, rows)
    result = plan_score(plan)
    score_rows = presenters.score_sheet_rows(
        plan=plan, target_model_name=result.target_model.name, score=result.score
    ) + presenters.staffing_sheet_rows(result.staffing)
    return xlsx_bytes(
        [
            ("Lines", PLAN_EXPORT_COLUMNS, rows),
            ("Score", None, score_rows),
            ("Readiness", None, readiness_sheet_rows(plan_readiness(plan))),
            ("Roadmap", None, roadmap_sheet_rows(plan_roadmap(plan), plan_version=plan.version)),
        ]
    )
