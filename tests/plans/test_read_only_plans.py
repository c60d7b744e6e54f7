"""Read-only means read-only (DESIGN §12, issue 12 item 2).

A plan in review, approved or archived refuses every change — lines, settings, plan PATCH/PUT,
DELETE, import, readiness, the roadmap, and target-model changes that would move its score —
through the API (409 saying how to move it back to draft) and the web (a message, never a 500).
Status moves themselves follow the workflow as before.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.domain import readiness
from plans.models import Plan, PlanLine, PlanStatus, ReadinessAnswer, Roadmap, RoadmapTransition
from plans.services.roadmap import roadmap_build
from tests.factories import PlanFactory, TargetModelFactory, shared_role
from tests.support import TRAINING_CENTRIC, add_lines, lines_post_data

pytestmark = pytest.mark.django_db

READ_ONLY = [PlanStatus.IN_REVIEW, PlanStatus.APPROVED, PlanStatus.ARCHIVED]
MESSAGES = {
    PlanStatus.IN_REVIEW: "This plan is in review: withdraw it to a draft (or have an admin "
    "send it back) to change it.",
    PlanStatus.APPROVED: "This plan is approved: an admin can reopen it as a draft to change it.",
    PlanStatus.ARCHIVED: "This plan is archived: an admin can reopen it as a draft to change it.",
}
FIRST_QUESTION = readiness.QUESTIONS[0].code
CSV = b"role,current_fte,planned_fte\nTrainer,6,3\n"


def plan_in(organization, status: str) -> Plan:
    plan = add_lines(PlanFactory(organization=organization), TRAINING_CENTRIC)
    roadmap_build(plan=plan, start=date(2027, 1, 1), max_fte_per_quarter=Decimal("2"))
    Plan.objects.filter(pk=plan.pk).update(status=status)
    return Plan.objects.get(pk=plan.pk)


def snapshot(plan: Plan) -> tuple:
    fresh = Plan.objects.filter(pk=plan.pk).values().first()
    lines = list(PlanLine.objects.filter(plan_id=plan.pk).order_by("id").values())
    answers = list(ReadinessAnswer.objects.filter(plan_id=plan.pk).values())
    roadmaps = list(Roadmap.objects.filter(plan_id=plan.pk).values())
    transitions = list(
        RoadmapTransition.objects.filter(roadmap__plan_id=plan.pk).order_by("id").values()
    )
    return fresh, lines, answers, roadmaps, transitions


def api_writes(plan: Plan) -> dict:
    """Every API write of a plan: name -> (method, url, body, format)."""
    line = PlanLine.objects.filter(plan=plan).order_by("id").first()
    transition = RoadmapTransition.objects.filter(roadmap__plan=plan).first()
    base = f"/api/v1/plans/{plan.pk}/"
    return {
        "plan PATCH": ("patch", base, {"name": "Renamed", "version": plan.version}, "json"),
        "plan PUT": (
            "put",
            base,
            {"organization": plan.organization_id, "name": "Renamed", "version": plan.version},
            "json",
        ),
        "plan DELETE": ("delete", base, None, "json"),
        "line POST": ("post", f"{base}lines/", {"role": shared_role("Coach").id}, "json"),
        "line PATCH": (
            "patch",
            f"{base}lines/{line.pk}/",
            {"planned_fte": 9, "version": line.version},
            "json",
        ),
        "line DELETE": ("delete", f"{base}lines/{line.pk}/?version={line.version}", None, "json"),
        "import": (
            "post",
            f"{base}import/",
            {"file": SimpleUploadedFile("lines.csv", CSV), "version": plan.version},
            "multipart",
        ),
        "readiness PUT": (
            "put",
            f"{base}readiness/",
            {"answers": [{"code": FIRST_QUESTION, "answer": 3}]},
            "json",
        ),
        "roadmap POST": (
            "post",
            f"{base}roadmap/",
            {"start": "2027-04-01", "max_fte_per_quarter": 1},
            "json",
        ),
        "transition PATCH": (
            "patch",
            f"{base}roadmap/transitions/{transition.pk}/",
            {"learning_plan": {"focus": "changed"}},
            "json",
        ),
    }


@pytest.mark.parametrize("status", READ_ONLY)
def test_every_api_write_of_a_read_only_plan_answers_409_and_changes_nothing(
    request, organization, status
):
    for role in ("planner", "admin_user"):
        client_fixture = "planner_client" if role == "planner" else "admin_client_api"
        client = request.getfixturevalue(client_fixture)
        plan = plan_in(organization, status)
        before = snapshot(plan)
        for name, (method, url, body, fmt) in api_writes(plan).items():
            response = getattr(client, method)(url, body, format=fmt)
            assert response.status_code == 409, (role, name, response.content)
            assert response.json()["detail"] == MESSAGES[status], (role, name)
            assert response.json()["plan_status"] == status
            assert snapshot(plan) == before, (role, name)


def test_a_draft_still_takes_every_write(planner_client, organization):
    plan = plan_in(organization, PlanStatus.DRAFT)
    writes = api_writes(plan)
    for name in ("line PATCH", "readiness PUT", "transition PATCH", "roadmap POST"):
        method, url, body, fmt = writes[name]
        response = getattr(planner_client, method)(url, body, format=fmt)
        assert response.status_code in (200, 201), (name, response.content)
    method, url, body, fmt = writes["plan DELETE"]
    assert planner_client.delete(url).status_code == 204
    assert not Plan.objects.filter(pk=plan.pk).exists()


def test_an_approved_plan_is_not_deleted_then_is_once_reopened(
    planner_client, admin_client_api, organization
):
    plan = plan_in(organization, PlanStatus.APPROVED)
    response = planner_client.delete(f"/api/v1/plans/{plan.pk}/")
    assert response.status_code == 409
    assert Plan.objects.filter(pk=plan.pk).exists()
    assert PlanLine.objects.filter(plan=plan).count() == len(TRAINING_CENTRIC)
    assert Roadmap.objects.filter(plan=plan).exists()
    reopen = admin_client_api.patch(
        f"/api/v1/plans/{plan.pk}/", {"status": "draft", "version": plan.version}, format="json"
    )
    assert reopen.status_code == 200 and reopen.json()["status"] == "draft"
    assert planner_client.delete(f"/api/v1/plans/{plan.pk}/").status_code == 204


def test_status_moves_still_follow_the_workflow(planner_client, admin_client_api, organization):
    plan = plan_in(organization, PlanStatus.DRAFT)
    url = f"/api/v1/plans/{plan.pk}/"

    def move(client, status, version):
        return client.patch(url, {"status": status, "version": version}, format="json")

    assert move(planner_client, "in_review", 1).status_code == 200
    assert move(planner_client, "draft", 2).status_code == 200  # a planner withdraws it
    assert move(planner_client, "in_review", 3).status_code == 200
    assert move(planner_client, "approved", 4).status_code == 400  # only an admin approves
    assert move(admin_client_api, "approved", 4).status_code == 200
    assert move(admin_client_api, "archived", 5).status_code == 200
    assert move(admin_client_api, "draft", 6).status_code == 200
    assert Plan.objects.get(pk=plan.pk).status == "draft"


def test_a_status_move_with_field_changes_is_refused_whole(planner_client, organization):
    plan = plan_in(organization, PlanStatus.DRAFT)
    response = planner_client.patch(
        f"/api/v1/plans/{plan.pk}/",
        {"status": "in_review", "name": "Sneaky", "version": plan.version},
        format="json",
    )
    assert response.status_code == 409
    assert Plan.objects.get(pk=plan.pk).name == plan.name
    assert Plan.objects.get(pk=plan.pk).status == "draft"


@pytest.mark.parametrize("status", READ_ONLY)
def test_the_web_refuses_with_a_message_never_a_500(planner_web, organization, status):
    plan = plan_in(organization, status)
    before = snapshot(plan)
    settings = planner_web.post(
        reverse("plans:settings", args=[plan.pk]),
        {
            "name": "Renamed",
            "description": "",
            "target_model": str(plan.target_model_id),
            "headcount_cap": "",
            "budget_cap": "",
            "compliance_floor": "",
            "version": str(plan.version),
        },
    )
    assert settings.status_code == 409
    assert MESSAGES[status] in settings.content.decode()
    lines = planner_web.post(
        reverse("plans:detail", args=[plan.pk]),
        lines_post_data(plan, {"Trainer": {"planned_fte": "7"}}),
        follow=True,
    )
    assert lines.status_code == 200 and MESSAGES[status] in lines.content.decode()
    answers = planner_web.post(
        reverse("plans:readiness", args=[plan.pk]), {f"answer_{FIRST_QUESTION}": "3"}
    )
    assert answers.status_code == 400 and MESSAGES[status] in answers.content.decode()
    build = planner_web.post(
        reverse("plans:roadmap_build", args=[plan.pk]),
        {"start": "2027-04-01", "max_fte_per_quarter": "1"},
    )
    assert build.status_code == 400 and MESSAGES[status] in build.content.decode()
    imported = planner_web.post(
        reverse("plans:import", args=[plan.pk]), {"file": SimpleUploadedFile("l.csv", CSV)}
    )
    assert imported.status_code in (200, 400, 409)
    assert MESSAGES[status] in imported.content.decode()
    assert "Confirm the import" not in imported.content.decode()
    assert snapshot(plan) == before


def test_the_settings_page_of_an_approved_plan_shows_it_read_only(planner_web, organization):
    plan = plan_in(organization, PlanStatus.APPROVED)
    page = planner_web.get(reverse("plans:settings", args=[plan.pk]))
    assert page.status_code == 200
    assert MESSAGES[PlanStatus.APPROVED] in page.content.decode()


def test_a_target_model_used_by_an_approved_plan_keeps_its_targets(admin_client_api, organization):
    model = TargetModelFactory(organization=organization, name="Ours")
    plan = plan_in(organization, PlanStatus.APPROVED)
    Plan.objects.filter(pk=plan.pk).update(target_model=model)
    url = f"/api/v1/target-models/{model.pk}/"
    body = {"targets": {"experiential": 0.5, "social": 0.3, "formal": 0.2}}
    response = admin_client_api.patch(url, body, format="json")
    assert response.status_code == 409
    assert f"The plan '{plan.name}' uses this model." in response.json()["detail"]
    model.refresh_from_db()
    assert model.experiential_percent == Decimal("70.00")
    description = admin_client_api.patch(url, {"description": "Words only"}, format="json")
    assert description.status_code == 200
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
    assert admin_client_api.patch(url, body, format="json").status_code == 200
