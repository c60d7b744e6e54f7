"""The import/export API: JSON shapes, permissions, 404 for foreign objects, query counts."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from plans.models import PlanLine, PlanStatus
from roles.models import Role
from tests.factories import PlanFactory, PlanLineFactory, RoleFactory, shared_role
from tests.support import fixture_bytes, sqlite_extra_batches


@pytest.fixture
def plan(organization):
    """An empty plan to import into (overrides the planner pages' scored plan)."""
    return PlanFactory(organization=organization, name="Learning team 2027")


pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, fixture_bytes(name) if content is None else content)


def post_plan_file(client, plan, name, **extra):
    return client.post(
        f"/api/v1/plans/{plan.id}/import/", {"file": upload(name), **extra}, format="multipart"
    )


def post_roles_file(client, organization, name):
    return client.post(
        "/api/v1/roles/import/",
        {"file": upload(name), "organization": organization.id},
        format="multipart",
    )


def test_an_accepted_plan_file_answers_what_changed(planner_client, plan):
    response = post_plan_file(planner_client, plan, "plan_ok.csv")
    assert response.status_code == 200
    assert response.json() == {
        "created": 3,
        "updated": 0,
        "deleted": 0,
        "unchanged": 0,
        "version": 2,
    }
    again = post_plan_file(planner_client, plan, "plan_ok.csv")
    assert again.json() == {"created": 0, "updated": 0, "deleted": 0, "unchanged": 3, "version": 2}


def test_a_rejected_plan_file_answers_400_with_every_error(planner_client, plan):
    response = post_plan_file(planner_client, plan, "plan_non_numeric_fte.csv")
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "row": 2,
                "column": "current_fte",
                "reason": "'four' is not a number: give the FTE as a number.",
            },
            {
                "row": 3,
                "column": "planned_fte",
                "reason": "'1,5' is not a number: use a dot for decimals and no thousands separator.",
            },
        ]
    }


@pytest.mark.parametrize(
    "name", ["plan_empty.csv", "plan_bad.xlsx", "plan_undecodable.csv", "plan_missing_column.csv"]
)
def test_file_level_problems_answer_400_in_the_same_shape(planner_client, plan, name):
    response = post_plan_file(planner_client, plan, name)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert set(error) == {"row", "column", "reason"} and error["reason"]


def test_a_request_without_a_file_answers_400_in_the_same_shape(planner_client, plan):
    response = planner_client.post(f"/api/v1/plans/{plan.id}/import/", {}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"][0]["column"] == "file"


def test_a_file_over_the_limit_answers_400(planner_client, plan, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    big = b"role,current_fte,planned_fte\n" + b"Trainer,1,1\n" * 460_000
    response = planner_client.post(
        f"/api/v1/plans/{plan.id}/import/", {"file": upload("big.csv", big)}, format="multipart"
    )
    assert response.status_code == 400
    assert "the limit is 5 MB" in response.json()["errors"][0]["reason"]


def test_a_stale_version_answers_409(planner_client, plan):
    response = post_plan_file(planner_client, plan, "plan_ok.csv", version=9)
    assert response.status_code == 409
    assert plan.lines.count() == 0


def test_a_read_only_plan_answers_409(planner_client, plan):
    plan.status = PlanStatus.APPROVED
    plan.save()
    response = post_plan_file(planner_client, plan, "plan_ok.csv")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This plan is approved: an admin can reopen it as a draft to change it."
    )
    assert plan.lines.count() == 0


def test_viewers_may_not_import_a_plan_but_may_export_it(viewer_client, plan):
    assert post_plan_file(viewer_client, plan, "plan_ok.csv").status_code == 403
    response = viewer_client.get(f"/api/v1/plans/{plan.id}/export/?as=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="learning-team-2027-lines.csv"' in response["Content-Disposition"]


def test_a_foreign_plan_is_404_for_import_and_export(outsider_client, plan):
    assert post_plan_file(outsider_client, plan, "plan_ok.csv").status_code == 404
    assert outsider_client.get(f"/api/v1/plans/{plan.id}/export/").status_code == 404
    assert plan.lines.count() == 0


def test_plan_export_as_xlsx_opens_with_a_score_sheet(viewer_client, plan):
    PlanLineFactory(plan=plan, role=shared_role("Trainer"))
    response = viewer_client.get(f"/api/v1/plans/{plan.id}/export/?as=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Lines", "Score", "Readiness", "Roadmap"]


def test_an_unknown_export_format_answers_400(viewer_client, plan):
    response = viewer_client.get(f"/api/v1/plans/{plan.id}/export/?as=pdf")
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"row": None, "column": "as", "reason": "Use csv or xlsx."}]
    }


def test_an_admin_imports_roles(admin_client_api, organization):
    response = post_roles_file(admin_client_api, organization, "roles_ok.csv")
    assert response.status_code == 200
    assert response.json() == {"created": 2, "updated": 0, "deleted": 0, "unchanged": 0}
    assert Role.objects.filter(organization=organization).count() == 2


def test_a_rejected_catalog_answers_400(admin_client_api, organization):
    response = post_roles_file(admin_client_api, organization, "roles_unknown_discipline.csv")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "row": 2,
            "column": "discipline",
            "reason": "Unknown discipline 'Growth hacking': use a discipline's name or slug.",
        }
    ]


def test_planners_may_not_import_roles(planner_client, organization):
    response = post_roles_file(planner_client, organization, "roles_ok.csv")
    assert response.status_code == 403
    assert not Role.objects.filter(organization=organization).exists()


def test_importing_into_a_foreign_organization_is_404(outsider_client, organization):
    assert post_roles_file(outsider_client, organization, "roles_ok.csv").status_code == 404
    assert not Role.objects.filter(organization=organization).exists()


def test_the_catalog_export_shows_only_what_the_user_may_see(
    viewer_client, organization, other_organization
):
    RoleFactory(organization=organization, title="Our role", annual_cost=Decimal("5"))
    RoleFactory(organization=other_organization, title="Their role")
    response = viewer_client.get("/api/v1/roles/export/?as=csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "Our role" in text and "Trainer" in text and "Their role" not in text
    assert (
        viewer_client.get(f"/api/v1/roles/export/?organization={other_organization.id}").status_code
        == 404
    )


def test_plan_export_query_count_does_not_grow_with_lines(
    viewer_client, organization, django_assert_max_num_queries
):
    def plan_with(count):
        plan = PlanFactory(organization=organization)
        for role in RoleFactory.create_batch(count, organization=organization):
            PlanLineFactory(plan=plan, role=role)
        return plan

    small, large = plan_with(2), plan_with(100)
    with CaptureQueriesContext(connection) as context:
        viewer_client.get(f"/api/v1/plans/{small.id}/export/?as=xlsx")
    with django_assert_max_num_queries(len(context.captured_queries)):
        response = viewer_client.get(f"/api/v1/plans/{large.id}/export/?as=xlsx")
    assert response.status_code == 200


def test_plan_import_through_the_api_query_count_does_not_grow_with_rows(
    planner_client, organization, django_assert_max_num_queries
):
    roles = RoleFactory.create_batch(200, organization=organization)

    def file_of(count):
        body = "".join(f"{role.title},1,1.5\n" for role in roles[:count])
        return upload("p.csv", ("role,current_fte,planned_fte\n" + body).encode())

    small, large = PlanFactory(organization=organization), PlanFactory(organization=organization)
    with CaptureQueriesContext(connection) as context:
        planner_client.post(
            f"/api/v1/plans/{small.id}/import/", {"file": file_of(10)}, format="multipart"
        )
    extra = sqlite_extra_batches(200, PlanLine, PlanLine.history.model)
    with django_assert_max_num_queries(len(context.captured_queries) + extra):
        response = planner_client.post(
            f"/api/v1/plans/{large.id}/import/", {"file": file_of(200)}, format="multipart"
        )
    assert response.json()["created"] == 200
