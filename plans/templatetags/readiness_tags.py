"""Template tags of the readiness check: words from `plans.presenters`, data from selectors.

The readiness and roadmap pages and the print report put their report in the context; only the
planner's readiness summary, drawn inside the planner page, asks `plan_readiness_report`.
"""

from django import template

from plans import presenters
from plans.domain.readiness import Flag
from plans.domain.types import PlanScore
from plans.selectors import ReadinessReport, plan_readiness

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_readiness_report(context, plan) -> ReadinessReport:
    """The plan's readiness report (a selector), in at most two queries.

    On the planner page the plan is already scored (`score` in the context): its planned shape is
    reused, so the summary costs one query for the answers.
    """
    score = context.get("score")
    if isinstance(score, PlanScore):
        return plan_readiness(plan, planned_shape=score.planned.shape)
    return plan_readiness(plan)


# The same thresholds as the staffing score's badge: good (75+), fair (50+), poor, or none.
register.filter("readiness_badge", presenters.score_badge)
register.filter("readiness_group_label", presenters.readiness_group_label)
register.filter("question_text", presenters.question_text)
register.filter("answer_word", presenters.answer_word)


@register.filter
def flag_message(flag: Flag) -> str:
    """What a readiness risk means and what to do about it."""
    return presenters.readiness_flag_message(flag)
