"""Template tags of the readiness check: the planner's readiness summary needs only `plan`."""

from django import template

from plans.domain.readiness import ANSWER_SCALE, GROUP_LABELS
from plans.domain.types import PlanScore
from plans.presenters import score_badge
from plans.services.readiness import ReadinessReport, plan_readiness

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_readiness_report(context, plan) -> ReadinessReport:
    """The plan's readiness report, in at most two queries.

    On the planner page the plan is already scored (`score` in the context): its planned shape is
    reused, so the summary costs one query for the answers.
    """
    score = context.get("score")
    if isinstance(score, PlanScore):
        return plan_readiness(plan, planned_shape=score.planned.shape)
    return plan_readiness(plan)


# The same thresholds as the staffing score's badge: good (75+), fair (50+), poor, or none.
register.filter("readiness_badge", score_badge)


@register.filter
def readiness_group_label(group: str) -> str:
    return GROUP_LABELS.get(group, group)


@register.filter
def answer_word(answer: int | None) -> str:
    """`3 (often)` for an answer, `–` for none."""
    if answer is None:
        return "–"
    return f"{answer} ({ANSWER_SCALE.get(answer, '?').lower()})"
