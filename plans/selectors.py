"""Reads of plans, scoped to what a user may see, and "fetch" of the inputs of the maths.

The fetch functions load rows into the frozen dataclasses of `plans.domain` in a fixed number of
queries, whatever the number of plans or lines.
"""

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from plans.domain import readiness, roadmap, scoring
from plans.domain.types import LineInput, TargetInput
from plans.models import (
    BUILT_IN_MODEL_NAME,
    Plan,
    PlanLine,
    ReadinessAnswer,
    Roadmap,
    RoadmapTransition,
    TargetModel,
)
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


# --- readiness and roadmap ---------------------------------------------------------------------
# Stored answers, readiness reports and scores, role changes, roadmaps with their transitions.


@dataclass(frozen=True)
class StoredAnswer:
    code: str
    answer: int
    note: str


@dataclass(frozen=True)
class ReadinessReport:
    """A plan's readiness: its stored answers and what the pure scoring makes of them."""

    plan: Plan
    answers: tuple[StoredAnswer, ...]
    result: readiness.ReadinessResult
    planned_shape: str | None

    @property
    def answers_by_code(self) -> dict[str, StoredAnswer]:
        return {item.code: item for item in self.answers}


def stored_answers(plan: Plan) -> tuple[StoredAnswer, ...]:
    """The plan's answers to known questions, in questionnaire order (one query)."""
    rows = ReadinessAnswer.objects.filter(plan=plan).values_list("code", "answer", "note")
    by_code = {code: StoredAnswer(code, answer, note) for code, answer, note in rows}
    return tuple(by_code[q.code] for q in readiness.QUESTIONS if q.code in by_code)


def plan_planned_shape(plan: Plan) -> str | None:
    """The shape of the plan's planned column (one query for its lines; the plan needs its
    `target_model`)."""
    lines = plan_line_inputs([plan.id]).get(plan.id, [])
    return scoring.score_plan(lines, target_input(plan.target_model)).planned.shape


_SCORE_THE_PLAN = object()


def plan_readiness(plan: Plan, *, planned_shape=_SCORE_THE_PLAN) -> ReadinessReport:
    """The plan's readiness report: two queries (answers, and lines for the planned shape).

    Pass `planned_shape` (str or None) when the caller already scored the plan, to save the
    second query.
    """
    if planned_shape is _SCORE_THE_PLAN:
        planned_shape = plan_planned_shape(plan)
    answers = stored_answers(plan)
    result = readiness.score_readiness(
        {item.code: item.answer for item in answers}, planned_shape=planned_shape
    )
    return ReadinessReport(plan=plan, answers=answers, result=result, planned_shape=planned_shape)


def plans_readiness_scores(plan_ids: Iterable[int]) -> dict[int, Decimal | None]:
    """Every given plan's overall readiness score (None: nothing answered), in one query."""
    plan_ids = list(plan_ids)
    answers: dict[int, dict[str, int]] = defaultdict(dict)
    rows = ReadinessAnswer.objects.filter(plan_id__in=plan_ids).values_list(
        "plan_id", "code", "answer"
    )
    for plan_id, code, answer in rows:
        answers[plan_id][code] = answer
    return {
        plan_id: readiness.score_readiness(answers.get(plan_id, {})).score for plan_id in plan_ids
    }


def plan_role_changes(plan: Plan) -> list[roadmap.RoleChange]:
    """The plan's lines as the roadmap sees them (one query)."""
    rows = (
        PlanLine.objects.filter(plan=plan)
        .order_by("id")
        .values_list(
            "role_id",
            "role__title",
            "role__discipline__slug",
            "role__annual_cost",
            "cost_override",
            "current_fte",
            "planned_fte",
        )
    )
    return [
        roadmap.RoleChange(
            role_id=role_id,
            title=title,
            discipline=slug,
            current_fte=current,
            planned_fte=planned,
            annual_cost=override if override is not None else cost,
        )
        for role_id, title, slug, cost, override, current, planned in rows
    ]


def plan_roadmap(plan: Plan) -> Roadmap | None:
    """The plan's roadmap with its transitions and their roles loaded (two queries)."""
    found = Roadmap.objects.filter(plan=plan).first()
    if found is None:
        return None
    transitions = list(
        found.transitions.select_related("from_role__discipline", "to_role__discipline").order_by(
            "quarter", "id"
        )
    )
    found.loaded_transitions = transitions
    return found


def roadmap_transition_for(plan: Plan, transition_id: int) -> RoadmapTransition | None:
    """A transition of this plan's roadmap, or None (never another plan's)."""
    return (
        RoadmapTransition.objects.filter(roadmap__plan=plan, pk=transition_id)
        .select_related("from_role", "to_role", "roadmap__plan")
        .first()
    )
