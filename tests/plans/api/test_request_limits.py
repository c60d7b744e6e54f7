"""JSON bodies are bounded (issue 12, item 8 in part): too deep or too large is a 400 with the
reason, never a 500."""

import json

import pytest

from plans.models import Plan


@pytest.mark.django_db
def test_a_hundred_thousand_nested_brackets_answer_400(planner_client, organization):
    response = planner_client.post(
        "/api/v1/plans/", data="[" * 100_000, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "JSON nested more than 32 levels deep."}


@pytest.mark.django_db
def test_nesting_past_the_limit_answers_400_and_within_it_reaches_the_fields(
    planner_client, organization
):
    deep = {"name": "Deep"}
    for _ in range(40):
        deep = {"inner": deep}
    response = planner_client.post("/api/v1/plans/", data=deep, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "JSON nested more than 32 levels deep."}
    shallow = planner_client.post(
        "/api/v1/plans/",
        data={"name": "Shallow", "organization": organization.id, "notes": "x"},
        format="json",
    )
    assert shallow.status_code == 201, shallow.json()


@pytest.mark.django_db
def test_an_oversized_body_answers_400_before_it_is_parsed(planner_client, organization):
    body = json.dumps({"name": "x" * (11 * 1024 * 1024), "organization": organization.id})
    response = planner_client.post("/api/v1/plans/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is larger than 10 MB."}
    assert not Plan.objects.filter(organization=organization).exists()


@pytest.mark.django_db
def test_writes_take_json_only(planner_client, organization):
    response = planner_client.post(
        "/api/v1/plans/", {"name": "Form", "organization": organization.id}, format="multipart"
    )
    assert response.status_code == 415
    assert "Unsupported media type" in response.json()["detail"]
