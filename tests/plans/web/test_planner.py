"""The planner page: read, live preview without saving, save, conflicts, add and remove lines."""

from decimal import Decimal

import pytest
from django.urls import reverse

from plans.models import Plan, PlanLine
from tests.factories import shared_role
from tests.support import lines_post_data

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_sign_in(client, plan):
    response = client.get(reverse("plans:detail", args=[plan.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_planner_page_shows_lines_scores_and_chart(planner_web, plan):
    response = planner_web.get(reverse("plans:detail", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Knowledge Manager" in html and "Community Manager" in html
    assert response.context["current"]["score"] == Decimal("11.1")
    assert response.context["planned"]["score"] == Decimal("96.3")
    assert response.context["planned"]["shape"] == "modern"
    assert response.context["current"]["shape"] == "training-centric"
    assert "<svg" in html and 'role="img"' in html
    # the chart's text alternative names every band's numbers
    assert "Experiential (Most): current 10%, planned 66.7%, target 70% ± 5 points." in html
    assert 'id="id_lines-0-planned_fte"' in html and 'for="id_lines-0-planned_fte"' in html
    assert reverse("plans:suggestions", args=[plan.pk]) in html
    assert reverse("plans:report", args=[plan.pk]) in html


def test_preview_scores_unsaved_values_and_saves_nothing(planner_web, plan):
    data = lines_post_data(plan, {"Trainer": {"planned_fte": "4"}})
    response = planner_web.post(reverse("plans:preview", args=[plan.pk]), data)
    assert response.status_code == 200
    assert response.context["planned"]["score"] == Decimal("74.1")
    assert response.context["planned"]["column"].total_fte == Decimal("12.00")
    assert 'hx-swap-oob="true"' in response.content.decode()
    plan.refresh_from_db()
    assert plan.version == 1
    assert PlanLine.objects.get(plan=plan, role__title="Trainer").planned_fte == Decimal("1.0")


def test_preview_skips_invalid_rows_and_says_so(planner_web, plan):
    data = lines_post_data(plan, {"Trainer": {"planned_fte": "lots"}})
    response = planner_web.post(reverse("plans:preview", args=[plan.pk]), data)
    assert response.status_code == 200
    assert response.context["invalid_rows"] == 1
    assert "1 row with invalid values is not counted" in response.content.decode()


def test_save_without_javascript_stores_changes_and_bumps_version(planner_web, plan, planner):
    data = lines_post_data(
        plan, {"Trainer": {"planned_fte": "4", "note": "keep the onboarding course"}}
    )
    response = planner_web.post(reverse("plans:detail", args=[plan.pk]), data)
    assert response.status_code == 302
    line = PlanLine.objects.get(plan=plan, role__title="Trainer")
    assert line.planned_fte == Decimal("4.0")
    assert line.note == "keep the onboarding course"
    plan.refresh_from_db()
    assert plan.version == 2
    assert plan.updated_by == planner
    page = planner_web.get(reverse("plans:detail", args=[plan.pk]))
    assert page.context["planned"]["score"] == Decimal("74.1")
    assert "1 changed" in page.content.decode()


def test_invalid_values_save_nothing_and_show_the_error(planner_web, plan):
    data = lines_post_data(plan, {"Trainer": {"planned_fte": "-2"}})
    response = planner_web.post(reverse("plans:detail", args=[plan.pk]), data)
    assert response.status_code == 400
    assert "greater than or equal to 0" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    plan.refresh_from_db()
    assert plan.version == 1


def test_stale_save_shows_the_conflict_and_both_versions(planner_web, admin_web, plan):
    # the admin saves first, from the version both read
    first = lines_post_data(plan, {"Trainer": {"planned_fte": "2"}})
    assert admin_web.post(reverse("plans:detail", args=[plan.pk]), first).status_code == 302
    # the planner saves from the old version
    mine = lines_post_data(plan, {"Trainer": {"planned_fte": "5"}}, version=1)
    response = planner_web.post(reverse("plans:detail", args=[plan.pk]), mine)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone saved first" in html and "alice-admin" in html
    trainer = next(row for row in response.context["conflict"]["rows"] if row["title"] == "Trainer")
    assert trainer["theirs"].planned_fte == Decimal("2.0")
    assert trainer["yours"]["planned_fte"] == Decimal("5")
    assert trainer["differs"] is True
    # nothing of the planner's was saved; their value stands
    assert PlanLine.objects.get(plan=plan, role__title="Trainer").planned_fte == Decimal("2.0")
    # the planner's values are kept in the form, and the form now carries the new version
    assert response.context["version"] == 2
    assert 'value="5"' in html
    # saving again, knowingly, replaces theirs
    again = lines_post_data(plan, {"Trainer": {"planned_fte": "5"}}, version=2)
    assert planner_web.post(reverse("plans:detail", args=[plan.pk]), again).status_code == 302
    assert PlanLine.objects.get(plan=plan, role__title="Trainer").planned_fte == Decimal("5.0")


def test_add_role_keeps_unsaved_edits_then_save_creates_the_line(planner_web, plan):
    coach = shared_role("Coach")
    data = lines_post_data(
        plan, {"Trainer": {"planned_fte": "3"}}, extra={"add_role": str(coach.pk)}
    )
    response = planner_web.post(reverse("plans:detail", args=[plan.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Added Coach" in html
    assert f'name="lines-4-role" value="{coach.pk}"' in html
    assert 'id="id_lines-0-planned_fte" value="3"' in html
    assert not PlanLine.objects.filter(plan=plan, role=coach).exists()
    # the browser posts the re-rendered form with FTE for the new row
    data = lines_post_data(plan, {"Trainer": {"planned_fte": "3"}})
    data.update(
        {
            "lines-TOTAL_FORMS": "5",
            "lines-4-role": str(coach.pk),
            "lines-4-current_fte": "0",
            "lines-4-planned_fte": "1.5",
        }
    )
    assert planner_web.post(reverse("plans:detail", args=[plan.pk]), data).status_code == 302
    assert PlanLine.objects.get(plan=plan, role=coach).planned_fte == Decimal("1.5")


def test_search_without_javascript_lists_roles_not_yet_in_the_plan(planner_web, plan):
    data = lines_post_data(plan, extra={"role_q": "manager", "search": "1"})
    response = planner_web.post(reverse("plans:detail", args=[plan.pk]), data)
    titles = [role.title for role in response.context["role_results"]]
    assert "Knowledge Manager" not in titles  # already in the plan
    assert "Training Coordinator" not in titles
    assert any("Manager" in title for title in titles)
    partial = planner_web.get(
        reverse("plans:role_search", args=[plan.pk]), {"role_q": "coach"}
    ).content.decode()
    assert "Coach" in partial and 'name="add_role"' in partial


def test_removing_a_line(planner_web, plan):
    data = lines_post_data(plan, {"Instructional Designer": {"remove": "on"}})
    assert planner_web.post(reverse("plans:detail", args=[plan.pk]), data).status_code == 302
    assert not PlanLine.objects.filter(plan=plan, role__title="Instructional Designer").exists()
    assert PlanLine.objects.filter(plan=plan).count() == 3


def test_role_of_another_organization_cannot_be_added(planner_web, plan, other_organization):
    from tests.factories import RoleFactory

    foreign = RoleFactory(organization=other_organization, title="Their secret role")
    data = lines_post_data(plan, extra={"add_role": str(foreign.pk)})
    response = planner_web.post(reverse("plans:detail", args=[plan.pk]), data)
    assert "not in this plan" in response.content.decode()
    data = lines_post_data(plan)
    data.update(
        {
            "lines-TOTAL_FORMS": "5",
            "lines-4-role": str(foreign.pk),
            "lines-4-current_fte": "1",
            "lines-4-planned_fte": "1",
        }
    )
    response = planner_web.post(reverse("plans:detail", args=[plan.pk]), data)
    assert response.status_code == 400
    assert not PlanLine.objects.filter(plan=plan, role=foreign).exists()


def test_plan_settings_are_version_checked(planner_web, admin_web, plan):
    url = reverse("plans:settings", args=[plan.pk])
    form = {"name": "Renamed by admin", "target_model": plan.target_model_id, "version": "1"}
    assert admin_web.post(url, form).status_code == 302
    stale = {"name": "Renamed by planner", "target_model": plan.target_model_id, "version": "1"}
    response = planner_web.post(url, stale)
    assert response.status_code == 409
    assert "Renamed by admin" in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).name == "Renamed by admin"


def test_history_names_who_changed_what(planner_web, plan):
    data = lines_post_data(plan, {"Trainer": {"planned_fte": "4"}})
    planner_web.post(reverse("plans:detail", args=[plan.pk]), data)
    response = planner_web.get(reverse("plans:history", args=[plan.pk]))
    assert response.status_code == 200
    first = response.context["events"][0]
    assert first["what"] == "Trainer"
    assert first["who"].username == "paula-planner"
    assert first["changes"] == ["planned FTE: 1.0 → 4.0"]
