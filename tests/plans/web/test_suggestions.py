"""Web: the suggestions page, its htmx fragment and "apply as scenario"."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Plan, PlanLine
from tests.factories import PlanFactory, RoleFactory
from tests.support import add_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(organization, planner):
    """Planned as today: 6 trainers, 3 instructional designers, 1 knowledge manager."""
    plan = PlanFactory(organization=organization, name="Today", created_by=planner)
    rows = [("Trainer", "6", "6"), ("Instructional Designer", "3", "3")]
    return add_lines(plan, [*rows, ("Knowledge Manager", "1", "1")])


def page(plan):
    return reverse("plans:suggestions", args=[plan.pk])


def test_the_page_shows_actions_and_the_score_they_reach(planner_web, plan):
    response = planner_web.get(page(plan), {"mode": "reassign", "step": "0.5", "aim": "best"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="suggested-score">100.0<' in html
    assert "Aim: best score." in html
    assert "Knowledge Manager" in html
    assert "Apply as a new scenario" in html
    assert 'name="mode"' in html and 'name="step"' in html


def test_htmx_gets_only_the_result_fragment(planner_web, plan):
    response = planner_web.get(page(plan), {"mode": "grow"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="suggestions-result"' in html
    assert "<html" not in html


def test_bad_step_is_a_form_error_not_a_500(planner_web, plan):
    response = planner_web.get(page(plan), {"step": "0.25"})
    assert response.status_code == 400
    assert "no more than 1 decimal place" in response.content.decode()
    response = planner_web.get(page(plan), {"mode": "budget"})
    assert response.status_code == 400
    assert "no budget cap" in response.content.decode()


def test_apply_creates_the_scenario_and_lands_on_it_with_a_compare_link(planner_web, plan):
    original = list(plan.lines.values_list("role_id", "planned_fte"))
    response = planner_web.post(page(plan), {"mode": "reassign", "step": "1"}, follow=True)
    scenario = Plan.objects.exclude(pk=plan.pk).get()
    assert scenario.source_plan == plan and scenario.status == "draft"
    assert response.redirect_chain[-1][0] == reverse("plans:detail", args=[scenario.pk])
    assert f"/plans/compare/?ids={plan.pk},{scenario.pk}" in response.content.decode()
    assert list(plan.lines.values_list("role_id", "planned_fte")) == original


def test_viewers_read_but_cannot_apply_and_outsiders_get_404(viewer_web, outsider_web, plan):
    response = viewer_web.get(page(plan))
    assert response.status_code == 200
    assert "Apply as a new scenario" not in response.content.decode()
    assert viewer_web.post(page(plan), {"mode": "reassign"}).status_code == 403
    assert outsider_web.get(page(plan)).status_code == 404
    assert outsider_web.post(page(plan), {"mode": "reassign"}).status_code == 404
    assert Plan.objects.count() == 1


def test_the_planner_page_has_the_panel_that_works_without_js(planner_web, plan):
    html = planner_web.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'data-testid="suggestions-panel"' in html
    assert f'action="{page(plan)}"' in html and 'method="get"' in html
    preview = reverse("plans:suggestions_preview", args=[plan.pk])
    assert f'data-suggestions-preview="{preview}"' in html
    # the script is a file (no inline script: the CSP forbids it)
    assert '<script src="/static/js/suggestions.js" defer></script>' in html
    assert "<script>" not in html


def test_page_queries_do_not_grow_with_lines(
    planner_web, organization, django_assert_max_num_queries
):
    def build(count):
        plan = PlanFactory(organization=organization)
        roles = RoleFactory.create_batch(count, organization=organization)
        PlanLine.objects.bulk_create(
            PlanLine(plan=plan, role=role, current_fte=Decimal(1), planned_fte=Decimal(1))
            for role in roles
        )
        return plan

    small = build(10)
    with CaptureQueriesContext(connection) as context:
        assert planner_web.get(page(small)).status_code == 200
    large = build(300)
    with django_assert_max_num_queries(len(context.captured_queries)):
        assert planner_web.get(page(large)).status_code == 200


def preview(plan):
    return reverse("plans:suggestions_preview", args=[plan.pk])


def rows_on_screen(plan, **planned):
    import json

    return json.dumps(
        [
            {
                "role": line.role_id,
                "planned_fte": planned.get(line.role.title, str(line.planned_fte)),
                "locked": line.locked,
            }
            for line in plan.lines.select_related("role").order_by("id")
        ]
    )


def test_the_panel_answers_for_the_values_on_screen_and_stores_nothing(viewer_web, plan):
    version = plan.version
    lines = rows_on_screen(plan, Trainer="1")  # unsaved: 1 trainer instead of 6
    response = viewer_web.post(preview(plan), {"mode": "reassign", "step": "0.5", "lines": lines})
    html = response.content.decode()
    assert response.status_code == 200
    assert "from the values on screen (not saved)" in html
    # 1 + 3 formal and 1 experiential on screen score 22.2; the saved plan (10 FTE) 11.1
    assert "Score 22.2 →" in html
    saved = viewer_web.get(page(plan), {"mode": "reassign"}, HTTP_HX_REQUEST="true")
    assert "Score 11.1 →" in saved.content.decode()
    plan.refresh_from_db()
    assert plan.version == version


def test_the_preview_answers_400_for_a_bad_row(planner_web, plan):
    response = planner_web.post(
        preview(plan), {"lines": '[{"role": 1, "planned_fte": "-2", "locked": false}]'}
    )
    assert response.status_code == 400
    assert "lines[0].planned_fte" in response.content.decode()
    response = planner_web.post(preview(plan), {"lines": "{nope"})
    assert response.status_code == 400


def test_apply_carries_the_rows_that_were_shown(planner_web, plan):
    lines = rows_on_screen(plan, Trainer="2")
    shown = planner_web.post(preview(plan), {"mode": "reassign", "step": "0.5", "lines": lines})
    html = shown.content.decode()
    assert 'name="lines" value="' in html  # the apply form carries the same rows
    planner_web.post(page(plan), {"mode": "reassign", "step": "0.5", "lines": lines})
    scenario = Plan.objects.exclude(pk=plan.pk).get()
    total = sum(line.planned_fte for line in scenario.lines.all())
    assert total == Decimal("6")  # 2 + 3 + 1 on screen, reassigned: the total stays


def test_signed_changes_and_warnings_show_on_the_page(planner_web, plan):
    html = planner_web.get(page(plan), {"mode": "reassign"}).content.decode()
    assert 'data-testid="suggestion-delta">+' in html
    assert 'data-testid="suggestion-delta">−' in html
    assert 'data-testid="suggestion-warning" data-code="removes_much"' in html
    assert "Check before applying." in html


def test_the_planner_and_the_dashboard_flag_a_plan_over_its_budget_cap(planner_web, plan):
    # 6 trainers, 3 instructional designers, 1 knowledge manager: planned cost above 500,000
    plan.budget_cap = Decimal("500000")
    plan.save()
    planned = sum(line.planned_fte * line.role.annual_cost for line in plan.lines.all())
    over = f"{planned - Decimal('500000'):,.0f}"
    expected = f"Budget cap 500,000 EUR: {over} EUR over"
    detail = planner_web.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert f'data-testid="over-budget">{expected}<' in detail
    dashboard = planner_web.get(reverse("plans:dashboard")).content.decode()
    assert f'data-testid="over-budget">{expected}<' in dashboard
    plan.budget_cap = planned
    plan.save()
    assert "over-budget" not in planner_web.get(reverse("plans:dashboard")).content.decode()
