"""Scenarios: rebalancing suggestions for a plan, cloning a plan, applying suggestions as a copy.

"Fetch, then compute": `plan_suggestions` loads the plan's lines and the catalog candidates in
two queries (whatever the plan's size), then calls the pure engine `plans.domain.rebalancing`.
The writes (`plan_clone`, `plan_apply_suggestions`) create a new draft plan whose
`source_plan` is the original, atomically, with audit history for every line.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from plans.domain import rebalancing
from plans.domain.rebalancing import Mode, Suggestion
from plans.models import Plan, PlanLine
from plans.selectors import catalog_line_inputs, plan_line_inputs, target_input
from plans.services.lines import LineChanges, lines_write
from plans.services.plans import plan_create


def plan_suggestions(*, plan: Plan, mode: Mode, step: Decimal) -> Suggestion:
    """Suggestions for the plan's planned column (the plan needs `target_model` selected).

    Raises ValidationError when budget mode is asked of a plan without a budget cap.
    """
    if mode == "budget" and plan.budget_cap is None:
        raise ValidationError({"mode": "This plan has no budget cap: set one to use budget mode."})
    lines = plan_line_inputs([plan.id]).get(plan.id, [])
    candidates = catalog_line_inputs(organization_id=plan.organization_id, plan_id=plan.id)
    return rebalancing.suggest(
        lines,
        target_input(plan.target_model),
        mode=mode,
        step=step,
        headcount_cap=plan.headcount_cap,
        budget_cap=plan.budget_cap,
        compliance_floor=plan.compliance_floor,
        candidates=candidates,
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
    *, plan: Plan, mode: Mode, step: Decimal, user=None, name: str | None = None
) -> tuple[Plan, Suggestion]:
    """Create a draft scenario of `plan` with the suggested planned FTE; the original is untouched.

    Existing lines are copied with their new planned FTE; roles the engine proposes from the
    catalog become new lines (0 FTE today).
    """
    suggestion = plan_suggestions(plan=plan, mode=mode, step=step)
    planned = {line.role_id: line.planned_fte for line in suggestion.lines}
    label = {"reassign": "reassigned", "grow": "grown", "budget": "within budget"}[mode]
    scenario = _new_scenario(
        source=plan,
        name=name or f"{plan.name} ({label}, step {step})",
        user=user,
        description=f"Suggestions ({mode}, step {step} FTE) applied to “{plan.name}”.",
    )
    lines = []
    existing = set()
    for line in plan.lines.order_by("id"):
        existing.add(line.role_id)
        lines.append(
            PlanLine(
                plan=scenario,
                role_id=line.role_id,
                current_fte=line.current_fte,
                planned_fte=planned.get(line.role_id, line.planned_fte),
                cost_override=line.cost_override,
                locked=line.locked,
                note=line.note,
            )
        )
    for action in suggestion.actions:
        if action.role_id not in existing:
            lines.append(
                PlanLine(
                    plan=scenario,
                    role_id=action.role_id,
                    current_fte=Decimal(0),
                    planned_fte=action.to_fte,
                    note="Proposed by the rebalancing suggestions.",
                )
            )
    _save_lines(lines, user=user)
    return scenario, suggestion
