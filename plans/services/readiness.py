"""Readiness answers and reskilling roadmaps: the reads (selectors) and writes (services).

The maths lives in `plans.readiness` and `plans.roadmap` (pure); this module fetches their inputs
in a fixed number of queries and stores their results atomically.

Readiness answers and roadmaps do not move the plan's `version`: they are not the plan's
headcount, so saving them never makes a planner's open edit of the lines stale. They can be
changed on any plan but an archived one (an approved plan is exactly the one being carried out).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from plans.domain import readiness, roadmap
from plans.models import (
    Plan,
    PlanLine,
    PlanStatus,
    ReadinessAnswer,
    Roadmap,
    RoadmapTransition,
)
from plans.services.plans import plan_score

# --- readiness: reads ----------------------------------------------------------------------


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


_SCORE_THE_PLAN = object()


def plan_readiness(plan: Plan, *, planned_shape=_SCORE_THE_PLAN) -> ReadinessReport:
    """The plan's readiness report: two queries (answers, and lines for the planned shape).

    Pass `planned_shape` (str or None) when the caller already scored the plan, to save the
    second query.
    """
    if planned_shape is _SCORE_THE_PLAN:
        planned_shape = plan_score(plan).score.planned.shape
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


# --- readiness: writes ---------------------------------------------------------------------


def ensure_not_archived(plan: Plan, what: str) -> None:
    if plan.status == PlanStatus.ARCHIVED:
        raise ValidationError({"status": f"The plan is archived: reopen it to change its {what}."})


def _answer_errors(answers: list[Mapping]) -> dict[str, list[str]]:
    problems: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(answers):
        code, answer = item.get("code"), item.get("answer")
        problem = readiness.answer_problem(code, answer)
        if problem is None and code in seen:
            problem = f"{code}: answered twice."
        note = item.get("note") or ""
        if problem is None and (not isinstance(note, str) or len(note) > readiness.NOTE_MAX_LENGTH):
            problem = f"{code}: the note must be text of at most {readiness.NOTE_MAX_LENGTH}."
        if problem:
            problems.append(f"Item {index + 1}: {problem}")
        seen.add(code)
    return {"answers": problems} if problems else {}


@transaction.atomic
def readiness_answers_save(*, plan: Plan, answers: list[Mapping], user=None) -> None:
    """Replace the plan's answers with `answers` ([{code, answer, note}]), all or nothing.

    Questions not in `answers` become unanswered. Any unknown code, answer outside 0-4,
    duplicate or over-long note raises ValidationError and stores nothing. Unchanged answers are
    not re-saved, so the audit history shows only real changes.
    """
    ensure_not_archived(plan, "readiness answers")
    errors = _answer_errors(answers)
    if errors:
        raise ValidationError(errors)
    existing = {item.code: item for item in ReadinessAnswer.objects.filter(plan=plan)}
    wanted = {item["code"]: item for item in answers}
    for code, stored in existing.items():
        if code not in wanted:
            stored.delete()
    for code, item in wanted.items():
        note = item.get("note") or ""
        stored = existing.get(code)
        if stored is not None and (stored.answer, stored.note) == (item["answer"], note):
            continue
        stored = stored or ReadinessAnswer(plan=plan, code=code)
        stored.answer, stored.note, stored.updated_by = item["answer"], note, user
        stored.full_clean(exclude=["plan"])
        stored.save()


# --- roadmap: reads ------------------------------------------------------------------------


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


# --- roadmap: writes -----------------------------------------------------------------------


def _kept_learning_plans(old: Iterable[RoadmapTransition]) -> dict[tuple, dict[str, str]]:
    """Learning plans of the old transitions, by (kind, from, to, quarter) and (kind, from, to)."""
    kept: dict[tuple, dict[str, str]] = {}
    for item in sorted(old, key=lambda t: (t.quarter, t.id)):
        pair = (item.kind, item.from_role_id, item.to_role_id)
        kept.setdefault((*pair, item.quarter), item.learning_plan)
        kept.setdefault(pair, item.learning_plan)
    return kept


@transaction.atomic
def roadmap_build(*, plan: Plan, start: date, max_fte_per_quarter: Decimal, user=None) -> Roadmap:
    """Build (or rebuild) the plan's roadmap from its current to its planned FTE.

    A rebuild keeps the learning-plan text of moves (and hires) that still exist: a transition
    between the same roles in the same quarter keeps its text, else the first of that pair does.
    Raises ValidationError naming `start` or `max_fte_per_quarter` when no roadmap can be built.
    """
    ensure_not_archived(plan, "roadmap")
    changes = plan_role_changes(plan)
    try:
        built = roadmap.build_roadmap(changes, start=start, max_fte_per_quarter=max_fte_per_quarter)
    except roadmap.RoadmapError as error:
        raise ValidationError({error.field: error.message}) from None
    found = Roadmap.objects.select_for_update().filter(plan=plan).first()
    kept: dict[tuple, dict[str, str]] = {}
    if found is None:
        found = Roadmap(plan=plan, created_by=user)
    else:
        kept = _kept_learning_plans(found.transitions.all())
        found.transitions.all().delete()
    found.start = start
    found.max_fte_per_quarter = max_fte_per_quarter
    found.plan_version = plan.version
    found.updated_by = user
    found.full_clean(exclude=["plan"])
    found.save()
    by_id = {change.role_id: change for change in changes}
    rows = []
    for step in built.transitions:
        source = by_id.get(step.from_role_id)
        target = by_id.get(step.to_role_id)
        pair = (step.kind, step.from_role_id, step.to_role_id)
        text = kept.get((*pair, step.quarter)) or kept.get(pair)
        if text is None:
            text = roadmap.learning_plan_prefill(
                step.kind,
                from_title=source.title if source else None,
                to_title=target.title if target else None,
                to_discipline=target.discipline if target else None,
            )
        row = RoadmapTransition(
            roadmap=found,
            kind=step.kind,
            from_role_id=step.from_role_id,
            to_role_id=step.to_role_id,
            fte=step.fte,
            quarter=step.quarter,
            effective_date=step.effective_date,
            affinity=step.affinity,
            **text,
        )
        row.full_clean(exclude=["roadmap", "from_role", "to_role"])
        rows.append(row)
    bulk_create_with_history(rows, RoadmapTransition, default_user=user)
    return found


@transaction.atomic
def roadmap_transition_update(
    *, transition: RoadmapTransition, learning_plan: Mapping[str, str], user=None
) -> RoadmapTransition:
    """Change some of the six learning-plan fields of one transition."""
    ensure_not_archived(transition.roadmap.plan, "roadmap")
    unknown = set(learning_plan) - set(roadmap.LEARNING_PLAN_FIELDS)
    if unknown:
        raise ValidationError(
            {
                "learning_plan": f"Unknown field(s) {', '.join(sorted(unknown))}: use "
                f"{', '.join(roadmap.LEARNING_PLAN_FIELDS)}."
            }
        )
    for name, text in learning_plan.items():
        setattr(transition, name, text or "")
    transition.full_clean(exclude=["roadmap", "from_role", "to_role"])
    transition.save()
    return transition


# --- export: XLSX sheets -------------------------------------------------------------------


def readiness_sheet_rows(plan: Plan) -> list[list]:
    """The XLSX "Readiness" sheet: scores per group, flags, then every question and answer."""
    report = plan_readiness(plan)
    result = report.result
    stored = report.answers_by_code
    rows: list[list] = [["Readiness score (0-100)", result.score], []]
    rows.append(["Group", "Score", "Answered", "Questions"])
    rows.extend([[g.group, g.score, g.answered, g.total] for g in result.groups])
    rows.append([])
    rows.extend([["Risk", flag.message] for flag in result.flags])
    rows.append(["Code", "Group", "Question", "Answer (0-4)", "Note"])
    for question in readiness.QUESTIONS:
        answer = stored.get(question.code)
        rows.append(
            [
                question.code,
                question.group,
                question.question,
                answer.answer if answer else None,
                answer.note if answer else "",
            ]
        )
    return rows


def roadmap_sheet_rows(plan: Plan) -> list[list]:
    """The XLSX "Roadmap" sheet: one row per transition with its learning-network plan."""
    found = plan_roadmap(plan)
    if found is None:
        return [["No roadmap has been built for this plan."]]
    rows: list[list] = [
        ["Start", found.start, "Most FTE moved a quarter", found.max_fte_per_quarter],
        [],
        ["Quarter", "Effective", "Kind", "From role", "To role", "FTE"]
        + [name.capitalize() for name in roadmap.LEARNING_PLAN_FIELDS],
    ]
    for t in found.loaded_transitions:
        rows.append(
            [
                t.quarter,
                t.effective_date,
                t.kind,
                t.from_role.title if t.from_role else "",
                t.to_role.title if t.to_role else "",
                t.fte,
                *(getattr(t, name) for name in roadmap.LEARNING_PLAN_FIELDS),
            ]
        )
    return rows
