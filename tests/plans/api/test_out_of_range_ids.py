"""Ids beyond PostgreSQL's bigint answer 400 or 404, never 500, in the API and the web pages."""

import pytest

from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"


def test_out_of_range_ids_in_paths_and_filters(planner_client, organization, client, planner):
    plan = PlanFactory(organization=organization)
    expected = {
        f"/api/v1/plans/{HUGE}/": 404,
        f"/api/v1/plans/{HUGE}/score/": 404,
        f"/api/v1/plans/{HUGE}/lines/": 404,
        f"/api/v1/plans/{plan.id}/lines/{HUGE}/": 404,
        f"/api/v1/plans/{HUGE}/readiness/": 404,
        f"/api/v1/plans/{HUGE}/roadmap/": 404,
        f"/api/v1/plans/{plan.id}/roadmap/transitions/{HUGE}/": 404,
        f"/api/v1/plans/{HUGE}/suggestions/": 404,
        f"/api/v1/plans/{HUGE}/export/?as=csv": 404,
        f"/api/v1/roles/{HUGE}/": 404,
        f"/api/v1/memberships/{HUGE}/": 404,
        f"/api/v1/target-models/{HUGE}/": 404,
        f"/api/v1/plans/?organization={HUGE}": 400,
        f"/api/v1/roles/?discipline={HUGE}": 400,
    }
    answered = {url: planner_client.get(url).status_code for url in expected}
    assert answered == expected
    export = planner_client.get(f"/api/v1/roles/export/?as=csv&organization={HUGE}")
    assert export.status_code in (400, 404)
    scores = planner_client.get(f"/api/v1/scores/?organization={HUGE}")
    assert scores.status_code == 200 and scores.json()["count"] == 0
    line = planner_client.post(
        f"/api/v1/plans/{plan.id}/lines/", {"role": int(HUGE)}, format="json"
    )
    assert line.status_code == 400 and "role" in line.json()
    created = planner_client.post(
        "/api/v1/plans/", {"organization": int(HUGE), "name": "x"}, format="json"
    )
    assert created.status_code == 400 and "organization" in created.json()
    client.force_login(planner)
    web = {
        f"/plans/{HUGE}/": 404,
        f"/plans/{HUGE}/report/": 404,
        f"/roles/{HUGE}/edit/": 404,
        f"/plans/compare/?ids={HUGE},{plan.id}": 400,
    }
    assert {url: client.get(url).status_code for url in web} == web
