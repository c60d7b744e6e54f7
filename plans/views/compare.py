"""Compare two to four plans side by side: scores, band shares, FTE, cost and differences."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from plans import presenters, selectors
from plans.charts import compare_chart_svg
from plans.domain.types import LineInput
from plans.forms import CompareForm
from plans.models import Plan
from plans.views.staffing import staffing_summary
from roles.bands import BAND_SHORT_LABELS, BAND_WORDS, BANDS
from roles.views.organization import organization_context


def compare_lines(plans: list[Plan]) -> list[dict]:
    """Planned FTE per role across the plans (one query), roles that differ first."""
    inputs = selectors.plan_line_inputs(plan.id for plan in plans)
    titles: dict[int, str] = {}
    per_plan: list[dict[int, LineInput]] = []
    for plan in plans:
        by_role = {line.role_id: line for line in inputs.get(plan.id, [])}
        per_plan.append(by_role)
        for line in by_role.values():
            titles.setdefault(line.role_id, line.title)
    rows = []
    for role_id, title in sorted(titles.items(), key=lambda item: item[1].lower()):
        values = [
            by_role[role_id].planned_fte if role_id in by_role else Decimal(0)
            for by_role in per_plan
        ]
        rows.append({"title": title, "values": values, "differs": len(set(values)) > 1})
    return sorted(rows, key=lambda row: not row["differs"])


def _digits(raw) -> int | None:
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and len(text) <= 12 else None


def posted_ids(request: HttpRequest) -> list[int]:
    """The plan ids in the query (`ids=1,2` or `ids=1&ids=2`), valid or not, to keep them ticked."""
    ids = []
    for raw in request.GET.getlist("ids")[:20]:
        for part in raw.split(",")[:20]:
            number = _digits(part)
            if number is not None and number not in ids:
                ids.append(number)
    return ids


def baseline_first(ids: list[int], found: dict[int, Plan], baseline_id: int | None) -> list[int]:
    """The plans in compare order: the chosen baseline first. Without a choice, a scenario's
    source plan if it is compared too, else the first plan picked."""
    if baseline_id not in found:
        baseline_id = next(
            (found[i].source_plan_id for i in ids if found[i].source_plan_id in found), ids[0]
        )
    return [baseline_id, *(plan_id for plan_id in ids if plan_id != baseline_id)]


@login_required
@require_GET
def plan_compare(request: HttpRequest) -> HttpResponse:
    """Two to four plans side by side: scores, band shares, FTE, cost and the differences."""
    org_context = organization_context(request)
    organization = org_context["current_organization"]
    organization_id = organization.id if organization else None
    choices = list(selectors.organization_plans(request.user, organization_id).order_by("name"))
    form = CompareForm(request.GET if "ids" in request.GET else None)
    context = {
        "choices": choices,
        "form": form,
        "columns": [],
        # An error keeps what was ticked: the ids as posted, the readable ones.
        "selected": posted_ids(request),
        "baseline_id": _digits(request.GET.get("baseline")),
    }
    if form.is_bound and form.is_valid():
        ids = form.cleaned_data["ids"]
        found = selectors.plans_by_ids(request.user, ids)
        if len(found) != len(ids):
            raise Http404("No such plan.")
        ids = baseline_first(ids, found, context["baseline_id"])
        plans = [found[plan_id] for plan_id in ids]
        results = selectors.plans_score(plans)
        base = results[0].score.planned
        columns = []
        for result in results:
            planned = result.score.planned
            bands = []
            for band in BANDS:
                share = planned.band(band).share
                base_share = base.band(band).share
                bands.append(
                    {
                        "label": BAND_SHORT_LABELS[band],
                        "code": band.value,
                        "band": planned.band(band),
                        "pct": presenters.percent_text(share),
                        "status": presenters.band_status_words(planned.band(band).status),
                        "delta_points": None
                        if share is None or base_share is None
                        else ((share - base_share) * 100).quantize(Decimal("0.1")),
                    }
                )
            columns.append(
                {
                    "plan": result.plan,
                    "current": presenters.column_summary("current", result.score.current),
                    "planned": presenters.column_summary("planned", planned),
                    "bands": bands,
                    "score_delta": None
                    if planned.score is None or base.score is None
                    else planned.score - base.score,
                    "fte_delta": planned.total_fte - base.total_fte,
                    "cost_delta": planned.cost - base.cost,
                    "staffing": staffing_summary(result),
                    "differences": presenters.band_fte_differences(base, planned),
                }
            )
        context.update(
            {
                "columns": columns,
                "selected": ids,
                "baseline_id": ids[0],
                "chart_svg": mark_safe(  # noqa: S308 - numbers and escaped names only
                    compare_chart_svg(
                        [(result.plan.name, result.score.planned) for result in results],
                        selectors.target_input(plans[0].target_model),
                    )
                ),
                "line_rows": compare_lines(plans),
                "band_rows": [
                    {
                        "label": BAND_SHORT_LABELS[band],
                        "word": BAND_WORDS[band],
                        "cells": [column["bands"][index] for column in columns],
                    }
                    for index, band in enumerate(BANDS)
                ],
            }
        )
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "plans/plan_compare.html", {**org_context, **context}, status=status)


urlpatterns = [path("plans/compare/", plan_compare, name="compare")]
