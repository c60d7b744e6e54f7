"""Who may do what on the planner pages, and the draft → review → approved → archived workflow."""

from decimal import Decimal

import pytest
from django.urls import reverse

from plans.models import PlanLine, PlanStatus
from tests.factories import MembershipFactory, OrganizationFactory, PlanFactory
from tests.support import add_lines, client_for, lines_post_data

pytestmark = pytest.mark.django_db


def test_viewer_reads_the_plan_without_inputs_and_cannot_save(viewer_web, plan):
    page = viewer_web.get(reverse("plans:detail", args=[plan.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="lines-0-planned_fte"' not in html
    assert "only planners and admins can change it" in html
    data = lines_post_data(plan, {"Trainer": {"planned_fte": "9"}})
    assert viewer_web.post(reverse("plans:detail", args=[plan.pk]), data).status_code == 403
    assert PlanLine.objects.get(plan=plan, role__title="Trainer").planned_fte == Decimal("1.0")
    status = {"status": "in_review", "version": "1"}
    assert viewer_web.post(reverse("plans:status", args=[plan.pk]), status).status_code == 403
    assert viewer_web.get(reverse("plans:settings", args=[plan.pk])).status_code == 403


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "plans:detail"),
        ("post", "plans:detail"),
        ("post", "plans:preview"),
        ("get", "plans:history"),
        ("get", "plans:settings"),
        ("post", "plans:status"),
        ("post", "plans:copy"),
        ("get", "plans:role_search"),
    ],
)
def test_outsider_gets_404_for_a_foreign_plan(outsider_web, plan, method, name):
    response = getattr(outsider_web, method)(reverse(name, args=[plan.pk]))
    assert response.status_code == 404


def test_outsider_cannot_compare_a_foreign_plan(outsider_web, plan, outsider):
    own = PlanFactory(organization=outsider.memberships.get().organization)
    response = outsider_web.get(reverse("plans:compare"), {"ids": f"{own.pk},{plan.pk}"})
    assert response.status_code == 404


def test_workflow_from_draft_to_approved_and_back(planner_web, admin_web, plan):
    url = reverse("plans:status", args=[plan.pk])
    planner_web.post(url, {"status": "in_review", "version": "1"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_REVIEW
    # a planner may not approve
    response = planner_web.post(url, {"status": "approved", "version": str(plan.version)})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_REVIEW
    admin_web.post(url, {"status": "approved", "version": str(plan.version)})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    # approved is read-only: the page shows no inputs and a save is refused
    page = planner_web.get(reverse("plans:detail", args=[plan.pk]))
    assert 'name="lines-0-planned_fte"' not in page.content.decode()
    assert "approved and read-only" in page.content.decode()
    data = lines_post_data(plan, {"Trainer": {"planned_fte": "7"}})
    response = planner_web.post(reverse("plans:detail", args=[plan.pk]), data, follow=True)
    assert "This plan is approved: an admin can reopen it as a draft" in response.content.decode()
    assert PlanLine.objects.get(plan=plan, role__title="Trainer").planned_fte == Decimal("1.0")
    # only an admin reopens it
    assert [code for code, _ in page.context["status_actions"]] == []
    admin_page = admin_web.get(reverse("plans:detail", args=[plan.pk]))
    assert "Reopen as draft" in admin_page.content.decode()
    admin_web.post(url, {"status": "draft", "version": str(plan.version)})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_status_change_from_a_stale_page_is_refused(planner_web, plan):
    data = lines_post_data(plan, {"Trainer": {"planned_fte": "2"}})
    planner_web.post(reverse("plans:detail", args=[plan.pk]), data)
    response = planner_web.post(
        reverse("plans:status", args=[plan.pk]),
        {"status": "in_review", "version": "1"},
        follow=True,
    )
    assert "Someone saved this plan since you opened it" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_organization_switcher_changes_the_dashboard(planner, plan, other_organization):
    MembershipFactory(user=planner, organization=other_organization, role="viewer")
    theirs = PlanFactory(organization=other_organization, name="Globex learning plan")
    web = client_for(planner)
    first = web.get(reverse("plans:dashboard")).content.decode()
    assert "Department 2027" in first and "Globex learning plan" not in first
    assert 'name="organization"' in first
    response = web.post(
        reverse("plans:organization_switch"),
        {"organization": other_organization.pk, "next": "/"},
    )
    assert response.status_code == 302
    second = web.get(reverse("plans:dashboard"))
    html = second.content.decode()
    assert theirs.name in html and "Department 2027" not in html
    assert second.context["can_plan"] is False  # a viewer there


def test_switching_to_a_foreign_organization_is_404(planner_web):
    stranger = OrganizationFactory()
    response = planner_web.post(reverse("plans:organization_switch"), {"organization": stranger.pk})
    assert response.status_code == 404


def test_switch_never_redirects_off_site(planner_web, organization):
    response = planner_web.post(
        reverse("plans:organization_switch"),
        {"organization": organization.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_sign_in_with_the_styled_form(client, planner):
    page = client.get(reverse("login"))
    assert 'autocomplete="current-password"' in page.content.decode()
    response = client.post(
        reverse("login"),
        {"username": "paula-planner", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302 and response["Location"] == "/"
    wrong = client.post(reverse("login"), {"username": "paula-planner", "password": "nope"})
    assert wrong.status_code == 200
    assert "Please enter a correct username and password" in wrong.content.decode()


def test_password_change_page_is_styled(planner_web):
    html = planner_web.get(reverse("password_change")).content.decode()
    assert "Change your password" in html and 'for="id_old_password"' in html


def test_dashboard_lists_plans_with_score_shape_fte_cost_and_who(planner_web, plan, planner):
    response = planner_web.get(reverse("plans:dashboard"))
    item = response.context["scored_plans"][0]
    assert item["plan"] == plan
    assert item["planned"]["score"] == Decimal("96.3")
    assert item["planned"]["shape"] == "modern"
    html = response.content.decode()
    assert "10.0 → 9.0" in html
    assert "Department 2027" in html


def test_create_an_empty_plan_and_a_copy(planner_web, plan, organization):
    response = planner_web.post(reverse("plans:create"), {"name": "Blank slate"})
    assert response.status_code == 302
    blank = organization.plans.get(name="Blank slate")
    assert blank.lines.count() == 0 and blank.status == PlanStatus.DRAFT
    response = planner_web.post(
        reverse("plans:create"), {"name": "Scenario B", "copy_from": plan.pk}
    )
    copy = organization.plans.get(name="Scenario B")
    assert response["Location"] == reverse("plans:detail", args=[copy.pk])
    assert copy.source_plan == plan
    assert sorted(copy.lines.values_list("role__title", "planned_fte")) == sorted(
        plan.lines.values_list("role__title", "planned_fte")
    )


def test_new_plan_needs_a_name_and_a_planner(planner_web, viewer_web):
    response = planner_web.post(reverse("plans:create"), {"name": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert viewer_web.post(reverse("plans:create"), {"name": "Mine"}).status_code == 403


def test_compare_two_plans_shows_scores_and_differences(planner_web, plan, organization):
    other = add_lines(
        PlanFactory(organization=organization, name="All trainers"), [("Trainer", "10", "10")]
    )
    response = planner_web.get(reverse("plans:compare"), {"ids": f"{plan.pk},{other.pk}"})
    assert response.status_code == 200
    first, second = response.context["columns"]
    assert first["planned"]["score"] == Decimal("96.3")
    assert second["planned"]["score"] == Decimal("0.0")
    assert second["score_delta"] == Decimal("-96.3")
    assert second["fte_delta"] == Decimal("1.00")
    trainer = next(row for row in response.context["line_rows"] if row["title"] == "Trainer")
    assert trainer["values"] == [Decimal("1.0"), Decimal("10.0")] and trainer["differs"]
    # the same with ids=..&ids=.. (the dashboard's checkboxes)
    again = planner_web.get(f"{reverse('plans:compare')}?ids={plan.pk}&ids={other.pk}")
    assert len(again.context["columns"]) == 2


@pytest.mark.parametrize("ids", ["1", "1,2,3,4,5", "abc,2", ",,"])
def test_compare_rejects_bad_choices_with_a_message(planner_web, ids):
    response = planner_web.get(reverse("plans:compare"), {"ids": ids})
    assert response.status_code == 400
    assert response.context["form"].errors["ids"]
