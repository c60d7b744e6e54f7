"""Scenarios: rebalancing suggestions for a plan, cloning a plan, applying suggestions as a copy.

"Fetch, then compute": `plan_suggestions` loads the plan's lines and the catalog candidates in
two queries (whatever the plan's size), then calls the pure engine `plans.domain.rebalancing`.
The writes (`plan_clone`, `plan_apply_suggestions`) create a new draft plan whose
`source_plan` is the original, atomically, with audit history for every line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from l_and_d_planner.validation import plain_number_problem
from plans.domain import rebalancing
from plans.domain.rebalancing import Mode, Suggestion
from plans.domain.types import LineInput
from plans.models import Plan, PlanLine
from plans.selectors import (
    catalog_line_inputs,
    line_input_from_role,
    plan_line_inputs,
    target_input,
)
from plans.services.lines import LineChanges, lines_write
from plans.services.plans import plan_create
from roles.selectors import catalog_roles_by_id

# The most rows a screen may send: far above any real department, small enough to bound a request.
MAX_SCREEN_LINES = 5000
MAX_FTE = Decimal("9999.9")


@dataclass(frozen=True)
class ScreenLine:
    """One row of the planner as on screen: the role, its planned FTE and its lock."""

    role: int
    planned_fte: Decimal
    locked: bool


def _screen_error(index: int, field: str, reason: str) -> ValidationError:
    return ValidationError({"lines": [f"lines[{index}].{field}: {reason}"]})


def _screen_fte(index: int, value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise _screen_error(index, "planned_fte", "give a number of FTE.")
    if plain_number_problem(value):
        raise _screen_error(index, "planned_fte", "give a plain decimal number such as 1.5.")
    try:
        fte = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise _screen_error(index, "planned_fte", "give a number of FTE.") from None
    if not fte.is_finite() or fte < 0 or fte > MAX_FTE:
        raise _screen_error(index, "planned_fte", f"give 0 to {MAX_FTE} FTE.")
    if fte % Decimal("0.1") != 0:
        raise _screen_error(index, "planned_fte", "use steps of 0.1 FTE.")
    return fte.quantize(Decimal("0.1"))


def screen_lines_parse(raw) -> list[ScreenLine]:
    """The rows a planner's screen sends, checked (a 400 with the row and field otherwise).

    `raw`: a list of {role, planned_fte, locked}; at most `MAX_SCREEN_LINES`; a role once.
    """
    if not isinstance(raw, list):
        raise ValidationError({"lines": ["Send a list of {role, planned_fte, locked} rows."]})
    if len(raw) > MAX_SCREEN_LINES:
        raise ValidationError({"lines": [f"Send at most {MAX_SCREEN_LINES} rows."]})
    rows, seen = [], set()
    for index, row in enumerate(raw):
        if not isinstance(row, dict):
            raise _screen_error(index, "role", "each row is {role, planned_fte, locked}.")
        role = row.get("role")
        if isinstance(role, bool) or not isinstance(role, int) or not 0 < role < 2**31:
            raise _screen_error(index, "role", "give the role's id.")
        if role in seen:
            raise _screen_error(index, "role", "this role is listed twice.")
        seen.add(role)
        locked = row.get("locked", False)
        if not isinstance(locked, bool):
            raise _screen_error(index, "locked", "give true or false.")
        rows.append(ScreenLine(role, _screen_fte(index, row.get("planned_fte")), locked))
    return rows


def _screen_inputs(plan: Plan, screen: list[ScreenLine]) -> list[LineInput]:
    """The screen's rows as the engine's lines: saved lines keep their current FTE, cost
    override and id; a role not saved yet must belong to the plan's catalog."""
    saved = {line.role_id: line for line in plan_line_inputs([plan.id]).get(plan.id, [])}
    missing = [row.role for row in screen if row.role not in saved]
    roles = catalog_roles_by_id(plan.organization_id, missing) if missing else {}
    inputs = []
    for index, row in enumerate(screen):
        line = saved.get(row.role)
        if line is not None:
            inputs.append(replace(line, planned_fte=row.planned_fte, locked=row.locked))
        elif row.role in roles:
            values = {"planned_fte": row.planned_fte, "locked": row.locked}
            inputs.append(line_input_from_role(roles[row.role], values))
        else:
            raise _screen_error(index, "role", "not a role of this plan's catalog.")
    return inputs


def plan_suggestions(
    *,
    plan: Plan,
    mode: Mode,
    step: Decimal,
    aim: str = "tolerance",
    grow_to: Decimal | None = None,
    screen: list[ScreenLine] | None = None,
) -> Suggestion:
    """Suggestions for the plan's planned column (the plan needs `target_model` selected).

    `screen`: the planner's rows as on screen (unsaved values; roles not listed count as
    absent) instead of the saved lines. Stores nothing. Raises ValidationError when budget
    mode is asked of a plan without a budget cap, or for a role outside the catalog.
    """
    if mode == "budget" and plan.budget_cap is None:
        raise ValidationError({"mode": "This plan has no budget cap: set one to use budget mode."})
    if screen is None:
        lines = plan_line_inputs([plan.id]).get(plan.id, [])
    else:
        lines = _screen_inputs(plan, screen)
    on_screen = {line.role_id for line in lines}
    candidates = [
        candidate
        for candidate in catalog_line_inputs(organization_id=plan.organization_id, plan_id=plan.id)
        if candidate.role_id not in on_screen
    ]
    return rebalancing.suggest(
        lines,
        target_input(plan.target_model),
        mode=mode,
        step=step,
        headcount_cap=plan.headcount_cap,
        budget_cap=plan.budget_cap,
        compliance_floor=plan.compliance_floor,
        candidates=candidates,
        aim=aim,
        grow_to=grow_to,
    )


def _new_scenario(*, source: Plan, name: str, user, description: str) -> Plan:
    return plan_create(
        organization=source.organization,
        name=name[:200],
        user=user,
        description=description,
        target_model=source.target_model,
        headcount_cap=source.headcount_cap,
        budget_cap=source.budget_cap,
        compliance_floor=source.compliance_floor,
        employees_served=source.employees_served,
        source_plan=source,
    )


def _save_lines(lines: list[PlanLine], *, user) -> None:
    """Create the scenario's lines in bulk, their history naming the user."""
    for line in lines:
        # field checks (FTE range, one decimal); the roles come from the plan or its catalog,
        # and one line per role is the database's constraint
        line.clean_fields(exclude=["plan", "role"])
    lines_write(LineChanges(to_create=lines, to_update=[], to_delete=[]), user=user)


@transaction.atomic
def plan_clone(*, source: Plan, user=None, name: str | None = None) -> Plan:
    """A new draft copy of the plan (settings and lines); `source_plan` points at the original."""
    plan = _new_scenario(
        source=source,
        name=name or f"Copy of {source.name}",
        user=user,
        description=source.description,
    )
    _save_lines(
        [
            PlanLine(
                plan=plan,
                role_id=line.role_id,
                current_fte=line.current_fte,
                planned_fte=line.planned_fte,
                cost_override=line.cost_override,
                locked=line.locked,
                note=line.note,
            )
            for line in source.lines.order_by("id")
        ],
        user=user,
    )
    return plan


@transaction.atomic
def plan_apply_suggestions(
    *,
    plan: Plan,
    mode: Mode,
    step: Decimal,
    user=None,
    name: str | None = None,
    aim: str = "tolerance",
    grow_to: Decimal | None = None,
    screen: list[ScreenLine] | None = None,
) -> tuple[Plan, Suggestion]:
    """Create a draft scenario of `plan` with the suggested planned FTE; the original is untouched.

    The suggestion is computed from the same inputs the person saw (`screen`: the rows on the
    planner's screen; else the saved lines), so the scenario holds exactly what was shown. Saved
    roles keep their current FTE, cost override and note; other roles become new lines (0 FTE
    today).
    """
    suggestion = plan_suggestions(
        plan=plan, mode=mode, step=step, aim=aim, grow_to=grow_to, screen=screen
    )
    label = {"reassign": "reassigned", "grow": "grown", "budget": "within budget"}[mode]
    aim_label = "" if aim == "tolerance" else ", best score"
    scenario = _new_scenario(
        source=plan,
        name=name or f"{plan.name} ({label}{aim_label}, step {step})",
        user=user,
        description=f"Suggestions ({mode}, {aim}, step {step} FTE) applied to “{plan.name}”.",
    )
    saved = {line.role_id: line for line in plan.lines.order_by("id")}
    lines = []
    for line in suggestion.lines:
        old = saved.get(line.role_id)
        lines.append(
            PlanLine(
                plan=scenario,
                role_id=line.role_id,
                current_fte=old.current_fte if old else Decimal(0),
                planned_fte=line.planned_fte,
                cost_override=old.cost_override if old else None,
                locked=line.locked,
                note=old.note if old else "Proposed by the rebalancing suggestions.",
            )
        )
    _save_lines(lines, user=user)
    return scenario, suggestion
