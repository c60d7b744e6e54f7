"""The planner leaders keep open (issue 14), on the server side: review with comments, the next
step, Add without reload, the stale roadmap, compare with a baseline, error pages, History."""

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from openpyxl import load_workbook

from plans.models import Plan, PlanStatusChange
from plans.services.roadmap import roadmap_build
from tests.factories import PlanFactory, shared_role
from tests.support import add_lines

pytestmark = pytest.mark.django_db


def move(client, plan, status, comment=None):
    """Post a status change; a comment (even empty) is sent as the admin's review form does."""
    plan.refresh_from_db()
    data = {"status": status, "version": plan.version}
    if comment is not None:
        data["comment"] = comment
    return client.post(reverse("plans:status", args=[plan.pk]), data, follow=True)


def html_of(response) -> str:
    return response.content.decode()


def test_review_submit_withdraw_send_back_and_approve_with_comments_in_history(
    plan, planner_web, admin_web, organization
):
    move(planner_web, plan, "in_review")
    plan.refresh_from_db()
    assert plan.status == "in_review"

    # the planner who submitted it can withdraw it (a plain button: no comment asked)
    detail = html_of(planner_web.get(reverse("plans:detail", args=[plan.pk])))
    assert "Withdraw from review" in detail
    move(planner_web, plan, "draft")
    plan.refresh_from_db()
    assert plan.status == "draft"

    # an admin sends it back only with a comment
    move(planner_web, plan, "in_review")
    page = html_of(move(admin_web, plan, "draft", ""))
    plan.refresh_from_db()
    assert plan.status == "in_review" and "a comment is required" in page
    move(admin_web, plan, "draft", "Formal is still too big: cut one trainer.")
    plan.refresh_from_db()
    assert plan.status == "draft"

    # approve with an optional comment
    move(planner_web, plan, "in_review")
    move(admin_web, plan, "approved", "Good mix.")
    plan.refresh_from_db()
    assert plan.status == "approved"
    moves = list(
        PlanStatusChange.objects.filter(plan=plan)
        .order_by("id")
        .values_list("from_status", "to_status", "comment")
    )
    assert moves == [
        ("draft", "in_review", ""),
        ("in_review", "draft", ""),
        ("draft", "in_review", ""),
        ("in_review", "draft", "Formal is still too big: cut one trainer."),
        ("draft", "in_review", ""),
        ("in_review", "approved", "Good mix."),
    ]
    history = html_of(planner_web.get(reverse("plans:history", args=[plan.pk])))
    assert "Formal is still too big: cut one trainer." in history
    assert "Good mix." in history and "in review → approved" in history


def test_reviewing_admin_sees_approve_as_primary_and_reopen_is_secondary(plan, admin_web):
    Plan.objects.filter(pk=plan.pk).update(status="in_review")
    page = html_of(admin_web.get(reverse("plans:detail", args=[plan.pk])))
    form = page[page.index('data-testid="review-form"') :]
    approve = form.index(">Approve</button>")
    send_back = form.index(">Send back to draft</button>")
    assert approve < send_back
    assert re.search(r'class="button small">Approve</button>', form)
    assert re.search(r'class="button small secondary">Send back to draft</button>', form)
    Plan.objects.filter(pk=plan.pk).update(status="approved")
    page = html_of(admin_web.get(reverse("plans:detail", args=[plan.pk])))
    assert re.search(r'class="button small secondary">Reopen as draft</button>', page)
    assert 'data-testid="save"' not in page  # read-only: no edit controls


def test_empty_plan_opens_on_add_your_roles_and_submit_is_not_primary(organization, planner_web):
    empty = PlanFactory(organization=organization, name="Empty")
    page = html_of(planner_web.get(reverse("plans:detail", args=[empty.pk])))
    assert page.index('id="add-role"') < page.index('id="score-panel"')
    assert '<h2 id="add-role-heading">Add your roles</h2>' in page
    assert 'class="button small secondary">Submit for review</button>' in page
    assert "Start by adding your roles" in page


def test_score_panel_names_the_next_action_from_the_band_gaps(plan, planner_web):
    page = html_of(planner_web.get(reverse("plans:detail", args=[plan.pk])))
    # planned 1 + 0 + 6 + 2 = 9 FTE: social 2 of a 1.8 target is on target, formal 1 of 0.9 too,
    # experiential 6 of 6.3: within 5 points -> every band within target, saved -> submit
    assert 'data-testid="next-step"' in page
    add_lines_plan = PlanFactory(organization=plan.organization, name="Trainers")
    add_lines(add_lines_plan, [("Trainer", "4", "4"), ("Knowledge Manager", "0", "1")])
    page = html_of(planner_web.get(reverse("plans:detail", args=[add_lines_plan.pk])))
    # 5 FTE planned: formal 4 of a 0.5 target is 3.5 over (experiential is only 2.5 short)
    assert "Formal is 3.5 FTE over: see suggestions." in page
    other = PlanFactory(organization=plan.organization, name="Social heavy")
    add_lines(
        other,
        [("Trainer", "1", "1"), ("Knowledge Manager", "1", "1"), ("Community Manager", "3", "3")],
    )
    page = html_of(planner_web.get(reverse("plans:detail", args=[other.pk])))
    # 5 FTE: experiential 1 of 3.5 -> 2.5 short (social 2.0 over, formal 0.5 over)
    assert "Experiential is 2.5 FTE short: see suggestions." in page
    assert 'href="#suggestions-panel-heading"' in page


def test_add_row_answers_one_unsaved_row_in_few_queries(
    plan, planner_web, django_assert_max_num_queries
):
    coach = shared_role("Coach")
    data = {"lines-TOTAL_FORMS": "4", "add_role": str(coach.pk)}
    for index, line in enumerate(plan.lines.order_by("id")):
        data[f"lines-{index}-role"] = str(line.role_id)
    with django_assert_max_num_queries(6):
        response = planner_web.post(reverse("plans:add_row", args=[plan.pk]), data)
    body = html_of(response)
    assert response.status_code == 200 and response["HX-Trigger-After-Settle"] == "rows-changed"
    assert f'name="lines-4-role" value="{coach.pk}"' in body
    assert 'id="lines-total-forms" value="5" hx-swap-oob="outerHTML"' in body
    assert "Added Coach. Not saved yet" in body
    assert plan.lines.count() == 4  # nothing saved
    # a role already in the table is refused, and nothing is swapped
    data["add_role"] = str(plan.lines.order_by("id").first().role_id)
    again = planner_web.post(reverse("plans:add_row", args=[plan.pk]), data)
    assert again["HX-Reswap"] == "none" and "is already in the table" in html_of(again)


def test_viewer_cannot_add_rows(plan, viewer_web):
    response = viewer_web.post(reverse("plans:add_row", args=[plan.pk]), {"add_role": "1"})
    assert response.status_code == 403


def test_a_stale_roadmap_is_flagged_on_the_planner_the_report_and_the_export(plan, planner_web):
    roadmap_build(plan=plan, start=date(2027, 1, 1), max_fte_per_quarter=Decimal(2))
    page = html_of(planner_web.get(reverse("plans:detail", args=[plan.pk])))
    assert 'data-testid="roadmap-stale"' not in page
    Plan.objects.filter(pk=plan.pk).update(version=plan.version + 2)
    page = html_of(planner_web.get(reverse("plans:detail", args=[plan.pk])))
    built = plan.version
    stale = f"built from version {built} of this plan; the plan is now at version {built + 2}"
    assert 'data-testid="roadmap-stale"' in page and stale in page
    report = html_of(planner_web.get(reverse("plans:report", args=[plan.pk])))
    assert 'data-testid="report-roadmap-stale"' in report and stale in report
    export = planner_web.get(reverse("plans:export", args=[plan.pk]) + "?as=xlsx")
    sheet = load_workbook(
        BytesIO(b"".join(export.streaming_content if export.streaming else [export.content]))
    )["Roadmap"]
    assert sheet["A1"].value == "Warning" and stale in sheet["B1"].value


def test_compare_takes_an_explicit_baseline_states_differences_and_keeps_the_selection(
    plan, planner_web, organization
):
    scenario = PlanFactory(organization=organization, name="Scenario", source_plan=plan)
    add_lines(scenario, [("Trainer", "6", "1"), ("Knowledge Manager", "1", "8")])
    url = reverse("plans:compare")
    # without a choice the scenario's source is the baseline, whatever the order
    page = html_of(planner_web.get(url, {"ids": f"{scenario.pk},{plan.pk}"}))
    assert "Baseline: <strong>Department 2027</strong>" in page
    # Department plans experiential 6 + social 2 + formal 1; the scenario 8 / 0 / 1
    assert "<strong>Scenario</strong> plans +2.0 FTE Experiential, −2.0 FTE Social" in page
    assert 'class="mix-chart compare-chart"' in page
    page = html_of(
        planner_web.get(url, {"ids": f"{scenario.pk},{plan.pk}", "baseline": scenario.pk})
    )
    assert "Baseline: <strong>Scenario</strong>" in page
    assert "<strong>Department 2027</strong> plans −2.0 FTE Experiential, +2.0 FTE Social" in page
    # an error (one plan only) keeps what was ticked
    response = planner_web.get(url, {"ids": str(plan.pk)})
    assert response.status_code == 400
    assert f'value="{plan.pk}" id="choose-{plan.pk}" checked' in html_of(response)


def test_error_pages_use_the_layout_with_a_way_back(plan, viewer_web, settings):
    settings.DEBUG = False
    missing = viewer_web.get("/plans/999999/")
    assert missing.status_code == 404
    assert "Page not found" in html_of(missing) and 'href="/"' in html_of(missing)
    assert "site-header" in html_of(missing)
    refused = viewer_web.get(reverse("plans:settings", args=[plan.pk]))
    assert refused.status_code == 403
    assert "You cannot open this page" in html_of(refused) and "Go to your plans" in html_of(
        refused
    )
    for name in ("500.html", "503.html"):
        html = render_to_string(name)  # no request, no database
        assert "site-header" in html and "Go to your plans" in html


def test_history_shows_an_import_with_its_file_name(plan, planner_web):
    csv = b"role,current_fte,planned_fte\nTrainer,5,2\nCoach,0,3\n"
    from plans.services.imports import plan_import

    plan_import(plan=plan, filename="lines-2027.csv", content=csv, user=plan.created_by)
    history = html_of(planner_web.get(reverse("plans:history", args=[plan.pk])))
    assert "import from lines-2027.csv" in history
    assert "Coach created" in history


def test_new_role_form_asks_for_a_cost_and_the_new_role_lands_highlighted(admin_web):
    from roles.models import Discipline, Role

    form = html_of(admin_web.get(reverse("roles:create")))
    cost_input = re.search(r'<input[^>]*name="annual_cost"[^>]*>', form).group(0)
    assert 'value="0' not in cost_input and "value=" not in cost_input
    coaching = Discipline.objects.get(slug="coaching-mentoring")
    data = {"title": "Peer Coach", "discipline": coaching.pk, "annual_cost": "", "active": "on"}
    refused = admin_web.post(reverse("roles:create"), data)
    assert refused.status_code == 400 and not Role.objects.filter(title="Peer Coach").exists()
    data["annual_cost"] = "52000"
    response = admin_web.post(reverse("roles:create"), data)
    role = Role.objects.get(title="Peer Coach")
    assert response["Location"] == f"/roles/?new={role.pk}#role-{role.pk}"
    listing = html_of(admin_web.get(response["Location"]))
    assert f'<tr id="role-{role.pk}" class="just-added" data-testid="new-role">' in listing


def test_an_invalid_value_marks_its_field_not_the_whole_row(plan, planner_web):
    data = {
        "lines-TOTAL_FORMS": "4",
        "lines-INITIAL_FORMS": "4",
        "version": plan.version,
        "search": "1",
    }
    for index, line in enumerate(plan.lines.order_by("id")):
        data[f"lines-{index}-role"] = line.role_id
        data[f"lines-{index}-current_fte"] = line.current_fte
        data[f"lines-{index}-planned_fte"] = "-3" if index == 0 else line.planned_fte
    page = html_of(planner_web.post(reverse("plans:detail", args=[plan.pk]), data))
    assert page.count("field-error") == 1 and "has-error" not in page
    assert 'aria-invalid="true" aria-describedby="id_lines-0-planned_fte-error"' in page


def test_a_status_move_through_the_api_is_kept_for_history_too(plan, planner_client, planner_web):
    response = planner_client.patch(
        f"/api/v1/plans/{plan.pk}/", {"status": "in_review", "version": plan.version}, format="json"
    )
    assert response.status_code == 200
    change = PlanStatusChange.objects.get(plan=plan)
    assert (change.from_status, change.to_status, change.user) == (
        "draft",
        "in_review",
        plan.created_by,
    )
    history = html_of(planner_web.get(reverse("plans:history", args=[plan.pk])))
    assert "draft → in review" in history
