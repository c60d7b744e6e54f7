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

from plans.domain.types import LineInput, TargetInput
from plans.models import BUILT_IN_MODEL_NAME, Plan, PlanLine, TargetModel
from roles.bands import Band
from roles.models import band_split_fractions
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


# --- rebalancing inputs ---


def catalog_line_inputs(*, organization_id: int, plan_id: int) -> list[LineInput]:
    """Active catalog roles (shared or the organization's) not in the plan, as 0-FTE lines.

    One query. The rebalancing engine keeps those sitting wholly in one band and, for a band
    with no role of its own in the plan, proposes the cheapest of them.
    """
    from roles.models import Role

    rows = (
        Role.objects.filter(Q(organization__isnull=True) | Q(organization_id=organization_id))
        .filter(active=True)
        .exclude(plan_lines__plan_id=plan_id)
        .order_by("annual_cost", "title", "id")
        .values_list(
            "id", "title", "band_split", "discipline__band", "discipline__name", "annual_cost"
        )
    )
    return [
        LineInput(
            role_id=role_id,
            title=title,
            band_split=band_split_fractions(split, band),
            current_fte=Decimal(0),
            planned_fte=Decimal(0),
            annual_cost=cost,
            discipline=discipline,
        )
        for role_id, title, split, band, discipline, cost in rows
    ]
