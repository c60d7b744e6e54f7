"""Department size (DESIGN §10) on the plan pages besides the planner: the print report's
section, and the rows the dashboard and the compare page add. Words from `plans.presenters`."""

from __future__ import annotations

from django.http import HttpRequest

from plans import presenters, selectors
from plans.models import Plan
from plans.views.transfer import register_report_section


def staffing_summary(result) -> dict | None:
    """The planned column's size of a `PlanScoreResult`, for a table cell."""
    if result.staffing is None:
        return None
    return presenters.staffing_panel(result.staffing.planned, "planned")


def report_section_context(request: HttpRequest, plan: Plan) -> dict:
    """Both columns' size (one query for the lines)."""
    result = selectors.plan_score(plan)
    return {
        "planned": presenters.staffing_panel(result.staffing.planned, "planned"),
        "current": presenters.staffing_panel(result.staffing.current, "current"),
    }


register_report_section(
    "plans/staffing_report_section.html", context=report_section_context, order=150
)

urlpatterns: list = []
