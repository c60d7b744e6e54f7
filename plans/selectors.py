"""Reads of plans, scoped to what a user may see, and "fetch" of the inputs of the maths.

The fetch functions load rows into the frozen dataclasses of `plans.domain` in a fixed number of
queries, whatever the number of plans or lines.
"""

import json
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from l_and_d_planner.tabular import title_key
from plans.domain.types import LineInput, TargetInput
from plans.models import BUILT_IN_MODEL_NAME, Plan, PlanLine, TargetModel
from roles.bands import Band
from roles.models import Role, band_split_fractions
from roles.selectors import organization_ids_for

LINE_INPUT_FIELDS = (
    "plan_id",
    "id",
    "role_id",
    "role__title",
    "band_split_text",
    "role__discipline__band",
    "role__discipline__name",
    "role__annual_cost",
    "cost_override",
    "current_fte",
    "planned_fte",
    "locked",
)


def plans_visible_to(user) -> QuerySet[Plan]:
    return Plan.objects.filter(organization_id__in=organization_ids_for(user)).select_related(
        "organization", "target_model", "created_by", "updated_by"
    )


def target_models_visible_to(user) -> QuerySet[TargetModel]:
    return TargetModel.objects.filter(
        Q(organization__isnull=True) | Q(organization_id__in=organization_ids_for(user))
    )


def built_in_target_model() -> TargetModel:
    return TargetModel.objects.filter(organization__isnull=True, name=BUILT_IN_MODEL_NAME).first()


def target_input(target_model: TargetModel) -> TargetInput:
    return TargetInput(
        targets=target_model.targets,
        tolerance=target_model.tolerance_points / 100,
        name=target_model.name,
        id=target_model.id,
    )


@lru_cache(maxsize=1024)
def _split_fractions(band_split_text: str | None, discipline_band: str) -> dict[Band, Decimal]:
    """Fractions per band of a stored split, parsed once per distinct (split, band).

    Thousands of lines share a handful of splits (most are `{}`), so the JSON is fetched as text
    and decoded here once instead of once a row. The dict is shared: nobody mutates it.
    """
    return band_split_fractions(json.loads(band_split_text or "{}"), discipline_band)


def _line_input(row: tuple) -> LineInput:
    (
        _plan_id,
        line_id,
        role_id,
        title,
        band_split,
        discipline_band,
        discipline_name,
        role_cost,
        cost_override,
        current_fte,
        planned_fte,
        locked,
    ) = row
    return LineInput(
        role_id=role_id,
        title=title,
        band_split=_split_fractions(band_split, discipline_band),
        current_fte=current_fte,
        planned_fte=planned_fte,
        annual_cost=cost_override if cost_override is not None else role_cost,
        locked=locked,
        line_id=line_id,
        discipline=discipline_name,
    )


def plan_line_inputs(plan_ids: Iterable[int]) -> dict[int, list[LineInput]]:
    """Every line of the given plans, as LineInputs, in one query."""
    by_plan: dict[int, list[LineInput]] = defaultdict(list)
    rows = (
        PlanLine.objects.filter(plan_id__in=list(plan_ids))
        .order_by("plan_id", "id")
        .annotate(band_split_text=Cast("role__band_split", TextField()))
        .values_list(*LINE_INPUT_FIELDS)
    )
    for row in rows:
        by_plan[row[0]].append(_line_input(row))
    return by_plan


def plan_lines(plan: Plan) -> QuerySet[PlanLine]:
    return plan.lines.select_related("role__discipline").order_by("id")


# --- imports and exports ---------------------------------------------------------------------


def plan_by_id(plan_id: int) -> Plan | None:
    """Any plan, with its organization (for the management commands, which see every plan)."""
    return Plan.objects.select_related("organization").filter(pk=plan_id).first()


def plan_locked_for_import(plan_id: int) -> Plan:
    """The plan, its row locked until the transaction ends (SELECT … FOR UPDATE)."""
    return Plan.objects.select_for_update().get(pk=plan_id)


def catalog_titles_for_plan(plan: Plan) -> dict[str, tuple[int, str]]:
    """`title_key` -> (role id, title) of the roles the plan may use, in one query.

    The shared catalog and the plan's organization's roles; the organization's own role wins
    when both have a title.
    """
    lookup: dict[str, tuple[int, str]] = {}
    rows = Role.objects.filter(
        Q(organization__isnull=True) | Q(organization_id=plan.organization_id)
    ).values_list("id", "title", "organization_id")
    for role_id, title, organization_id in rows:
        key = title_key(title)
        if organization_id is not None or key not in lookup:
            lookup[key] = (role_id, title)
    return lookup


def plan_lines_by_role(plan: Plan) -> dict[int, PlanLine]:
    """Role id -> the plan's line of that role, with the role's title, in one query."""
    lines = PlanLine.objects.filter(plan_id=plan.id).select_related("role").order_by("id")
    return {line.role_id: line for line in lines}
