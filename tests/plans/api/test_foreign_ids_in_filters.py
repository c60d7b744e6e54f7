"""A foreign id in a filter answers exactly like an unknown id (DESIGN §12, issue 12 item 9):
the same status and the same body, so nobody learns which ids exist elsewhere."""

from __future__ import annotations

import pytest

from plans.models import Plan
from tests.factories import PlanFactory, TargetModelFactory

pytestmark = pytest.mark.django_db

UNKNOWN = 987654321


@pytest.fixture
def foreign(other_organization):
    plan = PlanFactory(organization=other_organization, name="Globex secret plan")
    model = TargetModelFactory(organization=other_organization, name="Globex model")
    return {"organization": other_organization.id, "plan": plan.id, "target_model": model.id}


@pytest.fixture
def own(organization):
    return PlanFactory(organization=organization, name="Our plan")


def same_answer(client, url: str, foreign_id: int) -> tuple[int, object]:
    foreign = client.get(url.format(id=foreign_id))
    unknown = client.get(url.format(id=UNKNOWN))
    assert foreign.status_code == unknown.status_code
    assert foreign.json() == unknown.json()
    return foreign.status_code, foreign.json()


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("/api/v1/plans/?organization={id}", "organization"),
        ("/api/v1/plans/?source_plan={id}", "plan"),
        ("/api/v1/plans/?target_model={id}", "target_model"),
        ("/api/v1/target-models/?organization={id}", "organization"),
        ("/api/v1/roles/?organization={id}", "organization"),
        ("/api/v1/memberships/?organization={id}", "organization"),
    ],
)
def test_a_foreign_id_answers_like_an_unknown_id(planner_client, own, foreign, url, kind):
    status, body = same_answer(planner_client, url, foreign[kind])
    assert status == 400
    assert "Globex" not in str(body)


def test_scores_answer_a_foreign_organization_like_an_unknown_one(planner_client, own, foreign):
    status, body = same_answer(
        planner_client, "/api/v1/scores/?organization={id}", foreign["organization"]
    )
    assert status == 200 and body == {"count": 0, "results": []}


def test_ones_own_ids_still_filter(planner_client, own, organization):
    PlanFactory(organization=organization, name="Scenario", source_plan=own)
    plans = planner_client.get(f"/api/v1/plans/?organization={organization.id}").json()
    assert {row["name"] for row in plans["results"]} == {"Our plan", "Scenario"}
    scenarios = planner_client.get(f"/api/v1/plans/?source_plan={own.id}").json()
    assert [row["name"] for row in scenarios["results"]] == ["Scenario"]
    built_in = Plan.objects.get(pk=own.pk).target_model_id
    by_model = planner_client.get(f"/api/v1/plans/?target_model={built_in}").json()
    assert by_model["count"] == 2
