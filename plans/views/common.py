"""What every plan page shares: the plan fetched for the user, and the page around it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.safestring import mark_safe

from plans import presenters, selectors
from plans.charts import band_chart_svg
from plans.domain.types import PlanScore
from plans.models import Plan
from roles import permissions
from roles.views.organization import page, remember_organization


def plan_or_404(request: HttpRequest, pk: int, rule: str = "plan.view") -> Plan:
    """The plan if the user may see it (else 404: its existence is not revealed).

    With a rule, a member whose role the rule refuses gets a 403. A refusal about the plan's
    state (an approved plan is frozen) is left to the page, which shows the plan read-only
    and says why: ask `permissions.decide` there.
    """
    plan = selectors.plan_visible(request.user, pk)
    if plan is None:
        raise Http404("No such plan.")
    decision = permissions.decide(request.user, rule, plan)
    if not decision.allowed and not decision.about_state:
        raise PermissionDenied(decision.reason)
    return plan


def plan_page(
    request: HttpRequest, template: str, plan: Plan, context: dict, status: int = 200
) -> HttpResponse:
    """A full page about one plan: its organization is the current one in the navigation."""
    remember_organization(request, plan.organization_id)
    return page(request, template, context, status=status)


def score_context(score: PlanScore, plan: Plan, *, chart_id: str = "mix") -> dict:
    """Everything the score panel shows, for the saved plan or for unsaved values."""
    target = selectors.target_input(plan.target_model)
    return {
        "score": score,
        # "Budget cap 880,000 EUR: 23,000 EUR over" when the planned cost is above the cap
        "budget_flag": presenters.budget_flag(
            plan.budget_cap, score.planned.cost, plan.organization.currency
        ),
        "current": presenters.column_summary("current", score.current),
        "planned": presenters.column_summary("planned", score.planned),
        "bands": presenters.band_rows(score),
        "tolerance": target.tolerance,
        "tolerance_points": presenters.percent_text(target.tolerance).rstrip("%"),
        # Built from numbers and escaped text only.
        "chart_svg": mark_safe(  # noqa: S308
            band_chart_svg(score.current, score.planned, target, chart_id=chart_id)
        ),
        "chart_text": presenters.chart_description(score.current, score.planned, target),
        "cost_delta": score.planned.cost - score.current.cost,
        "fte_delta": score.planned.total_fte - score.current.total_fte,
        **staffing_context(score, plan),
    }


def staffing_context(score: PlanScore, plan: Plan) -> dict:
    """The "Department size" panel of both columns (no query: the plan's organization came
    with its reference benchmarks)."""
    sized = selectors.plan_staffing(plan, score)
    return {
        "staffing_panel": presenters.staffing_panel(sized.planned, "planned"),
        "staffing_today": presenters.staffing_panel(sized.current, "current"),
    }
