"""Reskilling roadmaps: building (or rebuilding) a plan's roadmap and editing its learning plans.

The maths is `plans.domain.roadmap` (pure), the inputs come from `plans.selectors`, the prefilled
learning-network texts from `plans.presenters`; this module stores the result atomically. Like
readiness answers, a roadmap does not move the plan's `version`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from plans import presenters, selectors
from plans.domain import roadmap
from plans.models import Plan, Roadmap, RoadmapTransition
from plans.services.readiness import lock_editable_plan


def _kept_learning_plans(old: Iterable[RoadmapTransition]) -> dict[tuple, dict[str, str]]:
    """Learning plans of the old transitions, by (kind, from, to, quarter) and (kind, from, to)."""
    kept: dict[tuple, dict[str, str]] = {}
    for item in sorted(old, key=lambda t: (t.quarter, t.id)):
        pair = (item.kind, item.from_role_id, item.to_role_id)
        kept.setdefault((*pair, item.quarter), item.learning_plan)
        kept.setdefault(pair, item.learning_plan)
    return kept


def _learning_plan(
    step: roadmap.Transition,
    by_id: dict[int, roadmap.RoleChange],
    kept: dict[tuple, dict[str, str]],
) -> dict[str, str]:
    """The text a transition keeps from the old roadmap, else the prefill of its target."""
    pair = (step.kind, step.from_role_id, step.to_role_id)
    text = kept.get((*pair, step.quarter)) or kept.get(pair)
    if text is not None:
        return text
    source = by_id.get(step.from_role_id)
    target = by_id.get(step.to_role_id)
    return presenters.learning_plan_prefill(
        step.kind,
        from_title=source.title if source else None,
        to_title=target.title if target else None,
        to_discipline=target.discipline if target else None,
    )


@transaction.atomic
def roadmap_build(*, plan: Plan, start: date, max_fte_per_quarter: Decimal, user=None) -> Roadmap:
    """Build (or rebuild) the plan's roadmap from its current to its planned FTE.

    A rebuild keeps the learning-plan text of moves (and hires) that still exist: a transition
    between the same roles in the same quarter keeps its text, else the first of that pair does.
    Raises ValidationError naming `start` or `max_fte_per_quarter` when no roadmap can be built.
    """
    plan = lock_editable_plan(plan)
    changes = selectors.plan_role_changes(plan)
    try:
        built = roadmap.build_roadmap(changes, start=start, max_fte_per_quarter=max_fte_per_quarter)
    except roadmap.RoadmapError as error:
        raise ValidationError(
            {error.field: presenters.roadmap_error_words(error.code, error.details)}
        ) from None
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
        row = RoadmapTransition(
            roadmap=found,
            kind=step.kind,
            from_role_id=step.from_role_id,
            to_role_id=step.to_role_id,
            fte=step.fte,
            quarter=step.quarter,
            effective_date=step.effective_date,
            affinity=step.affinity,
            **_learning_plan(step, by_id, kept),
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
    lock_editable_plan(transition.roadmap.plan)
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
