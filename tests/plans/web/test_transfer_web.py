"""Browser pages: upload -> preview -> confirm, exports, the print report and its sections."""

import copy
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import PlanLine, PlanStatus
from plans.views import transfer as plan_transfer_views
from roles.models import Role
from tests.factories import PlanFactory, PlanLineFactory, RoleFactory, shared_role
from tests.support import FIXTURE_TEMPLATES, fixture_bytes


@pytest.fixture
def plan(organization):
    """An empty plan to import into (overrides the planner pages' scored plan)."""
    return PlanFactory(organization=organization, name="Learning team 2027")


pytestmark = pytest.mark.django_db


@pytest.fixture
def planner_web(client, planner):
    client.force_login(planner)
    return client


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, fixture_bytes(name))


def test_upload_shows_the_changes_and_confirm_writes_them(planner_web, plan):
    url = reverse("plans:import", args=[plan.pk])
    page = planner_web.get(url)
    assert page.status_code == 200 and b'hx-encoding="multipart/form-data"' in page.content
    assert b"<progress" in page.content
    preview = planner_web.post(url, {"file": upload("plan_ok.csv")})
    html = preview.content.decode()
    assert "Preview of plan_ok.csv" in html
    assert "3 to create · 0 to update · 0 to delete · 0 unchanged" in html
    assert plan.lines.count() == 0
    token = preview.context["token"]
    done = planner_web.post(url, {"token": token}, follow=True)
    assert "3 lines created" in done.content.decode()
    # the leader lands on the plan, where the imported lines and their score show
    assert done.redirect_chain[-1][0] == reverse("plans:detail", args=[plan.pk])
    assert plan.lines.count() == 3
    assert PlanLine.history.filter(history_change_reason="import from plan_ok.csv").count() == 3


def test_a_bad_file_shows_every_problem_and_no_confirm_button(planner_web, plan):
    preview = planner_web.post(
        reverse("plans:import", args=[plan.pk]), {"file": upload("plan_duplicate_role.csv")}
    )
    html = preview.content.decode()
    assert "plan_duplicate_role.csv was not imported" in html
    assert "&#x27;TRAINER&#x27; is already on row 2." in html
    assert "Confirm the import" not in html


def test_htmx_uploads_get_only_the_preview(planner_web, plan):
    response = planner_web.post(
        reverse("plans:import", args=[plan.pk]),
        {"file": upload("plan_ok.csv")},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Preview of plan_ok.csv" in html and "<html" not in html


def test_a_forged_token_writes_nothing(planner_web, plan):
    response = planner_web.post(
        reverse("plans:import", args=[plan.pk]), {"token": "forged"}, follow=True
    )
    assert "upload the file again" in response.content.decode()
    assert plan.lines.count() == 0


def test_confirm_after_the_plan_changed_asks_for_a_new_preview(planner_web, plan):
    url = reverse("plans:import", args=[plan.pk])
    token = planner_web.post(url, {"file": upload("plan_ok.csv")}).context["token"]
    PlanLineFactory(plan=plan, role=shared_role("Facilitator"))
    plan.version += 1
    plan.save()
    response = planner_web.post(url, {"token": token}, follow=True)
    assert "changed since your preview" in response.content.decode()
    assert plan.lines.count() == 1


def test_viewers_get_403_and_outsiders_404_on_the_import_page(client, viewer, outsider, plan):
    client.force_login(viewer)
    assert client.get(reverse("plans:import", args=[plan.pk])).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("plans:import", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plans:export", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plans:report", args=[plan.pk])).status_code == 404


def test_the_export_downloads_for_a_viewer(client, viewer, plan):
    PlanLineFactory(plan=plan, role=shared_role("Trainer"))
    client.force_login(viewer)
    response = client.get(reverse("plans:export", args=[plan.pk]) + "?as=csv")
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").startswith("role,discipline,band,current_fte")
    assert client.get(reverse("plans:export", args=[plan.pk]) + "?as=doc").status_code == 404


def test_the_report_shows_header_scores_bands_and_lines(client, viewer, plan):
    PlanLineFactory(
        plan=plan, role=shared_role("Trainer"), current_fte=Decimal("10"), planned_fte=Decimal("1")
    )
    PlanLineFactory(
        plan=plan,
        role=shared_role("Knowledge Manager"),
        current_fte=Decimal("0"),
        planned_fte=Decimal("7"),
    )
    PlanLineFactory(
        plan=plan, role=shared_role("Coach"), current_fte=Decimal("0"), planned_fte=Decimal("2")
    )
    client.force_login(viewer)
    response = client.get(reverse("plans:report", args=[plan.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Learning team 2027</h1>" in html
    assert 'data-testid="current-score">0.0<' in html
    assert 'data-testid="planned-score">100.0<' in html
    assert 'data-testid="current-shape">training-centric<' in html
    assert 'data-testid="planned-shape">modern<' in html
    assert "on target" in html
    assert 'data-band="formal"' in html and "Knowledge Manager" in html
    assert "@media print" in html and "data-print" in html  # static/js/behaviours.js prints


def test_other_features_can_add_report_sections(client, viewer, plan, monkeypatch, settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], FIXTURE_TEMPLATES]
    settings.TEMPLATES = templates
    monkeypatch.setattr(plan_transfer_views, "REPORT_SECTIONS", [])
    plan_transfer_views.register_report_section(
        "report_test_section.html",
        context=lambda request, plan: {"note": f"extra for {plan.name}"},
    )
    client.force_login(viewer)
    response = client.get(reverse("plans:report", args=[plan.pk]))
    assert "extra for Learning team 2027 · Learning team 2027" in response.content.decode()


def test_the_report_takes_the_same_queries_for_2_and_100_lines(
    client, viewer, organization, django_assert_max_num_queries
):
    client.force_login(viewer)

    def plan_with(count):
        plan = PlanFactory(organization=organization)
        for role in RoleFactory.create_batch(count, organization=organization):
            PlanLineFactory(plan=plan, role=role)
        return plan

    small, large = plan_with(2), plan_with(100)
    with CaptureQueriesContext(connection) as context:
        client.get(reverse("plans:report", args=[small.pk]))
    with django_assert_max_num_queries(len(context.captured_queries)):
        response = client.get(reverse("plans:report", args=[large.pk]))
    assert response.status_code == 200


def test_read_only_plans_show_why_nothing_can_be_imported(planner_web, plan):
    plan.status = PlanStatus.ARCHIVED
    plan.save()
    response = planner_web.post(
        reverse("plans:import", args=[plan.pk]), {"file": upload("plan_ok.csv")}
    )
    assert "reopen it to edit" in response.content.decode()
    assert "Confirm the import" not in response.content.decode()


def test_an_admin_imports_roles_through_preview_and_confirm(client, admin_user, organization):
    client.force_login(admin_user)
    url = reverse("roles:import")
    preview = client.post(url, {"organization": organization.id, "file": upload("roles_ok.csv")})
    assert "2 to create" in preview.content.decode()
    assert not Role.objects.filter(organization=organization).exists()
    done = client.post(url, {"token": preview.context["token"]}, follow=True)
    assert "2 created" in done.content.decode()
    assert Role.objects.filter(organization=organization).count() == 2


def test_only_admins_see_the_roles_import(client, planner):
    client.force_login(planner)
    assert client.get(reverse("roles:import")).status_code == 403


def test_roles_export_downloads_the_visible_catalog(client, viewer, organization):
    RoleFactory(organization=organization, title="=cmd|' /C calc'!A0")
    client.force_login(viewer)
    response = client.get(reverse("roles:export") + "?as=csv")
    text = response.content.decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text and "Trainer" in text
