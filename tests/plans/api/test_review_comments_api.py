"""Review through the API as on the web: a status move may carry a comment, kept in History;
sending a plan back from review needs one (issue 14, item 4)."""

import pytest

from plans.models import Plan, PlanStatusChange

pytestmark = pytest.mark.django_db


def submitted(planner_client, organization) -> dict:
    plan = planner_client.post(
        "/api/v1/plans/", {"organization": organization.id, "name": "Review me"}, format="json"
    ).json()
    moved = planner_client.patch(
        f"/api/v1/plans/{plan['id']}/",
        {"status": "in_review", "version": plan["version"]},
        format="json",
    )
    assert moved.status_code == 200, moved.json()
    return moved.json()


def test_an_admin_sends_back_with_a_comment_and_history_keeps_it(
    planner_client, admin_client_api, organization
):
    plan = submitted(planner_client, organization)
    url = f"/api/v1/plans/{plan['id']}/"
    refused = admin_client_api.patch(
        url,
        {"status": "draft", "status_comment": "  ", "version": plan["version"]},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json() == {
        "status_comment": ["Say what to change: a comment is required to send a plan back."]
    }
    assert Plan.objects.get(pk=plan["id"]).status == "in_review"
    sent_back = admin_client_api.patch(
        url,
        {"status": "draft", "status_comment": "Costs look low", "version": plan["version"]},
        format="json",
    )
    assert sent_back.status_code == 200, sent_back.json()
    assert "status_comment" not in sent_back.json()  # write-only
    change = PlanStatusChange.objects.filter(plan_id=plan["id"]).first()
    assert (change.from_status, change.to_status, change.comment) == (
        "in_review",
        "draft",
        "Costs look low",
    )


def test_an_admin_approves_with_an_optional_comment(planner_client, admin_client_api, organization):
    plan = submitted(planner_client, organization)
    approved = admin_client_api.patch(
        f"/api/v1/plans/{plan['id']}/",
        {"status": "approved", "status_comment": "", "version": plan["version"]},
        format="json",
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_a_comment_goes_with_a_status_move_alone(planner_client, organization):
    plan = planner_client.post(
        "/api/v1/plans/", {"organization": organization.id, "name": "Draft"}, format="json"
    ).json()
    url = f"/api/v1/plans/{plan['id']}/"
    for body in (
        {"status_comment": "why", "version": plan["version"]},
        {"status": "in_review", "name": "Renamed", "status_comment": "x", "version": 1},
    ):
        response = planner_client.patch(url, body, format="json")
        assert response.status_code == 400
        assert "status_comment" in response.json()
    assert Plan.objects.get(pk=plan["id"]).name == "Draft"
