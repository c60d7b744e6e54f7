"""The plans API: create, lines, score, optimistic locking, permissions, bad input."""

from decimal import Decimal

import pytest

from plans.models import Plan, PlanLine
from tests.factories import (
    PlanFactory,
    PlanLineFactory,
    RoleFactory,
    TargetModelFactory,
    discipline,
    shared_role,
)

pytestmark = pytest.mark.django_db


def create_plan(client, organization, name="Plan A"):
    response = client.post(
        "/api/v1/plans/", {"organization": organization.id, "name": name}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_plan_is_created_with_organization_and_name_alone(planner_client, organization):
    body = create_plan(planner_client, organization)
    plan = Plan.objects.get(pk=body["id"])
    assert plan.target_model.name == "Modern Learning Department (70/20/10)"
    assert body["status"] == "draft"
    assert body["version"] == 1
    assert body["created_by"] == "paula-planner"
    assert isinstance(body["id"], int) and isinstance(body["target_model"], int)


def test_a_plan_defaults_to_the_organizations_target_model(planner_client, organization):
    own = TargetModelFactory(
        organization=organization,
        name="Compliance heavy",
        experiential_percent=50,
        social_percent=20,
        formal_percent=30,
    )
    organization.default_target_model = own
    organization.save()
    body = create_plan(planner_client, organization)
    assert body["target_model"] == own.id


def test_client_creates_plan_adds_lines_and_reads_the_design_score(planner_client, organization):
    plan = create_plan(planner_client, organization)
    lines = [("Knowledge Manager", 5, "5"), ("Coach", "3", 3), ("Trainer", 2.0, "2.0")]
    for title, current, planned in lines:
        response = planner_client.post(
            f"/api/v1/plans/{plan['id']}/lines/",
            {"role": shared_role(title).id, "current_fte": current, "planned_fte": planned},
            format="json",
        )
        assert response.status_code == 201, response.content
    score = planner_client.get(f"/api/v1/plans/{plan['id']}/score/").json()
    assert score["plan"]["id"] == plan["id"]
    assert score["target_model"]["targets"] == {"experiential": 0.7, "social": 0.2, "formal": 0.1}
    assert score["current"]["score"] == 77.8
    assert score["current"]["moves_needed_fte"] == 2.0
    assert score["current"]["shape"] == "modern"
    bands = {band["band"]: band for band in score["planned"]["bands"]}
    assert bands["experiential"]["share"] == 0.5
    assert bands["experiential"]["target"] == 0.7
    assert bands["experiential"]["status"] == "under"
    assert bands["experiential"]["gap_fte"] == 2.0
    assert bands["formal"]["cost"] == 120000.0
    assert score["cost"] == {
        "currency": "EUR",
        "current": 779000.0,
        "planned": 779000.0,
        "delta": 0.0,
    }


def test_line_fields_come_back_with_role_band_and_cost(planner_client, organization):
    plan = PlanFactory(organization=organization)
    role = shared_role("Facilitator")
    response = planner_client.post(
        f"/api/v1/plans/{plan.id}/lines/",
        {"role": role.id, "current_fte": "1.5", "planned_fte": 2, "locked": True, "note": "hi"},
        format="json",
    )
    body = response.json()
    assert body["role"] == role.id
    assert body["role_title"] == "Facilitator"
    assert body["band"] == "formal"
    assert body["current_fte"] == 1.5 and body["planned_fte"] == 2.0
    assert body["locked"] is True and body["note"] == "hi"
    assert body["annual_cost"] == 65000.0


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("abc", "valid number"),
        (-1, "greater than or equal to 0"),
        ("Infinity", "valid number"),
        ("NaN", "valid number"),
        ("1.25", "decimal place"),
        (1e9, "digits"),
        ("", "valid number"),
        (None, "null"),
        ([1], "valid number"),
    ],
)
def test_bad_fte_answers_400_naming_the_field_and_writes_nothing(
    planner_client, organization, value, reason
):
    plan = PlanFactory(organization=organization)
    response = planner_client.post(
        f"/api/v1/plans/{plan.id}/lines/",
        {"role": shared_role("Coach").id, "current_fte": value, "planned_fte": 1},
        format="json",
    )
    assert response.status_code == 400
    assert reason in " ".join(response.json()["current_fte"]).lower() or reason in " ".join(
        response.json()["current_fte"]
    )
    assert PlanLine.objects.count() == 0
    plan.refresh_from_db()
    assert plan.version == 1


def test_raw_json_nan_and_infinity_are_rejected(planner_client, organization):
    plan = PlanFactory(organization=organization)
    for literal in ("NaN", "Infinity", "-Infinity", "1e400"):
        response = planner_client.post(
            f"/api/v1/plans/{plan.id}/lines/",
            data=f'{{"role": {shared_role("Coach").id}, "current_fte": {literal}}}',
            content_type="application/json",
        )
        assert response.status_code == 400, literal
        body = response.json()
        # Strict JSON refuses the NaN/Infinity literals; 1e400 parses to inf and the field says no.
        assert "current_fte" in body or "not JSON compliant" in body["detail"]
    assert PlanLine.objects.count() == 0


def test_malformed_json_answers_400(planner_client, organization):
    response = planner_client.post(
        "/api/v1/plans/", data='{"name": ', content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]
    assert Plan.objects.count() == 0


def test_unknown_role_and_another_organizations_role_answer_400(
    planner_client, organization, other_organization
):
    plan = PlanFactory(organization=organization)
    foreign = RoleFactory(organization=other_organization, title="Secret role")
    for role_id in (999999, foreign.id, "x"):
        response = planner_client.post(
            f"/api/v1/plans/{plan.id}/lines/", {"role": role_id, "current_fte": 1}, format="json"
        )
        assert response.status_code == 400
        assert "role" in response.json()
    assert PlanLine.objects.count() == 0


def test_a_second_line_for_the_same_role_answers_400(planner_client, organization):
    plan = PlanFactory(organization=organization)
    role = shared_role("Coach")
    PlanLineFactory(plan=plan, role=role)
    response = planner_client.post(
        f"/api/v1/plans/{plan.id}/lines/", {"role": role.id, "current_fte": 1}, format="json"
    )
    assert response.status_code == 400
    assert "already has a line" in str(response.json())
    assert plan.lines.count() == 1


def test_patch_must_carry_the_version_read(planner_client, organization):
    plan = PlanFactory(organization=organization, name="Before")
    url = f"/api/v1/plans/{plan.id}/"
    missing = planner_client.patch(url, {"name": "No version"}, format="json")
    assert missing.status_code == 409
    stale = planner_client.patch(url, {"name": "Stale", "version": 7}, format="json")
    assert stale.status_code == 409
    plan.refresh_from_db()
    assert plan.name == "Before" and plan.version == 1
    fresh = planner_client.patch(url, {"name": "After", "version": 1}, format="json")
    assert fresh.status_code == 200
    assert fresh.json()["version"] == 2
    again = planner_client.patch(url, {"name": "Lost update", "version": 1}, format="json")
    assert again.status_code == 409
    plan.refresh_from_db()
    assert plan.name == "After"


def test_put_also_requires_the_version(planner_client, organization):
    plan = PlanFactory(organization=organization, name="Before")
    payload = {"organization": organization.id, "name": "Put", "target_model": plan.target_model_id}
    assert (
        planner_client.put(f"/api/v1/plans/{plan.id}/", payload, format="json").status_code == 409
    )
    payload["version"] = 1
    response = planner_client.put(f"/api/v1/plans/{plan.id}/", payload, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "Put"


def test_changing_lines_moves_the_plan_version_on(planner_client, organization):
    plan = PlanFactory(organization=organization)
    response = planner_client.post(
        f"/api/v1/plans/{plan.id}/lines/",
        {"role": shared_role("Coach").id, "current_fte": 1},
        format="json",
    )
    line_id = response.json()["id"]
    planner_client.patch(
        f"/api/v1/plans/{plan.id}/lines/{line_id}/",
        {"planned_fte": 3, "version": response.json()["version"]},
        format="json",
    )
    plan.refresh_from_db()
    assert plan.version == 3
    assert (
        planner_client.patch(
            f"/api/v1/plans/{plan.id}/", {"name": "x", "version": 1}, format="json"
        ).status_code
        == 409
    )


def test_workflow_status_changes_follow_roles(planner_client, admin_client_api, organization):
    plan = PlanFactory(organization=organization)
    url = f"/api/v1/plans/{plan.id}/"
    assert (
        planner_client.patch(url, {"status": "in_review", "version": 1}, format="json").status_code
        == 200
    )
    refused = planner_client.patch(url, {"status": "approved", "version": 2}, format="json")
    assert refused.status_code == 400 and "status" in refused.json()
    assert (
        admin_client_api.patch(url, {"status": "approved", "version": 2}, format="json").status_code
        == 200
    )
    frozen = planner_client.post(
        f"/api/v1/plans/{plan.id}/lines/",
        {"role": shared_role("Coach").id, "current_fte": 1},
        format="json",
    )
    assert frozen.status_code == 409
    assert (
        frozen.json()["detail"]
        == "This plan is approved: an admin can reopen it as a draft to change it."
    )
    rename = planner_client.patch(url, {"name": "x", "version": 3}, format="json")
    assert rename.status_code == 409


def test_viewers_read_but_cannot_write(viewer_client, organization):
    plan = PlanFactory(organization=organization)
    assert viewer_client.get(f"/api/v1/plans/{plan.id}/score/").status_code == 200
    assert (
        viewer_client.post(
            "/api/v1/plans/", {"organization": organization.id, "name": "x"}, format="json"
        ).status_code
        == 403
    )
    assert (
        viewer_client.post(
            f"/api/v1/plans/{plan.id}/lines/", {"role": shared_role("Coach").id}, format="json"
        ).status_code
        == 403
    )
    assert viewer_client.delete(f"/api/v1/plans/{plan.id}/").status_code == 403
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_another_organizations_plan_is_invisible(outsider_client, organization):
    plan = PlanFactory(organization=organization)
    line = PlanLineFactory(plan=plan, role=shared_role("Coach"))
    for url in (
        f"/api/v1/plans/{plan.id}/",
        f"/api/v1/plans/{plan.id}/score/",
        f"/api/v1/plans/{plan.id}/lines/",
        f"/api/v1/plans/{plan.id}/lines/{line.id}/",
    ):
        assert outsider_client.get(url).status_code == 404, url
    assert outsider_client.get("/api/v1/plans/").json()["count"] == 0
    assert outsider_client.get("/api/v1/scores/").json()["count"] == 0
    assert (
        outsider_client.patch(
            f"/api/v1/plans/{plan.id}/", {"name": "x", "version": 1}, format="json"
        ).status_code
        == 404
    )
    created = outsider_client.post(
        "/api/v1/plans/", {"organization": organization.id, "name": "x"}, format="json"
    )
    assert created.status_code == 400 and "organization" in created.json()


def test_anonymous_requests_are_refused(client, organization):
    assert client.get("/api/v1/plans/").status_code in (401, 403)


def test_lists_are_paginated_with_page_size_up_to_1000(planner_client, organization):
    PlanFactory.create_batch(3, organization=organization)
    body = planner_client.get("/api/v1/plans/?page_size=2").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    big = planner_client.get("/api/v1/roles/?page_size=5000").json()
    assert len(big["results"]) == big["count"] == 28


def test_scores_lists_every_plan_with_both_columns(planner_client, organization):
    plans = PlanFactory.create_batch(2, organization=organization)
    PlanLineFactory(plan=plans[0], role=shared_role("Trainer"), current_fte=Decimal("4"))
    body = planner_client.get(f"/api/v1/scores/?organization={organization.id}").json()
    assert body["count"] == 2
    by_id = {item["plan"]["id"]: item for item in body["results"]}
    assert by_id[plans[0].id]["current"]["score"] == 0.0
    assert by_id[plans[1].id]["current"]["score"] is None
    assert by_id[plans[1].id]["current"]["reason"]
    assert planner_client.get("/api/v1/scores/?organization=abc").status_code == 400
    assert planner_client.get("/api/v1/scores/?status=nope").status_code == 400


@pytest.mark.parametrize("raw", ["1.5", "1e3", "-1", "+1", " 1"])
def test_scores_take_only_a_whole_organization_id(planner_client, organization, raw):
    """`1.5` must not read as organization 1: the filter answers 400 naming the field."""
    PlanFactory(organization=organization)
    response = planner_client.get("/api/v1/scores/", {"organization": raw})
    assert response.status_code == 400, response.json()
    assert "organization" in response.json()


def test_a_role_of_the_plans_organization_may_be_used(planner_client, organization):
    plan = PlanFactory(organization=organization)
    own = RoleFactory(
        organization=organization,
        title="Our own KM role",
        discipline=discipline("knowledge-management"),
    )
    response = planner_client.post(
        f"/api/v1/plans/{plan.id}/lines/", {"role": own.id, "planned_fte": "2.5"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["band"] == "experiential"
