"""Query counts do not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PlanFactory, PlanLineFactory, RoleFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def build_plan_with_lines(organization, count):
    plan = PlanFactory(organization=organization)
    roles = RoleFactory.create_batch(count, organization=organization)
    for role in roles:
        PlanLineFactory(plan=plan, role=role)
    return plan


def test_plan_list_takes_the_same_queries_at_1_and_200_plans(
    planner_client, organization, django_assert_max_num_queries
):
    PlanFactory(organization=organization)
    one = count_queries(planner_client, "/api/v1/plans/?page_size=1000")
    PlanFactory.create_batch(199, organization=organization)
    with django_assert_max_num_queries(one):
        response = planner_client.get("/api/v1/plans/?page_size=1000")
    assert response.json()["count"] == 200


def test_score_takes_the_same_queries_at_1_and_200_lines(
    planner_client, organization, django_assert_max_num_queries
):
    small = build_plan_with_lines(organization, 1)
    # The first read on a connection also prepares its two statements (PostgreSQL).
    count_queries(planner_client, f"/api/v1/plans/{small.id}/score/")
    one = count_queries(planner_client, f"/api/v1/plans/{small.id}/score/")
    large = build_plan_with_lines(organization, 200)
    with django_assert_max_num_queries(one):
        response = planner_client.get(f"/api/v1/plans/{large.id}/score/")
    assert response.json()["current"]["total_fte"] == 200.0
    # The token, the plan joined with the caller's membership (readiness totals folded in),
    # the lines: three queries, whatever the size of the plan.
    assert one == 3


def test_scores_take_the_same_queries_at_1_and_200_plans(
    planner_client, organization, django_assert_max_num_queries
):
    build_plan_with_lines(organization, 2)
    one = count_queries(planner_client, "/api/v1/scores/")
    role = RoleFactory(organization=organization)
    for plan in PlanFactory.create_batch(199, organization=organization):
        PlanLineFactory(plan=plan, role=role)
    with django_assert_max_num_queries(one):
        response = planner_client.get("/api/v1/scores/")
    assert response.json()["count"] == 200
    assert one == 3


def test_lines_list_takes_the_same_queries_at_1_and_200_lines(
    planner_client, organization, django_assert_max_num_queries
):
    small = build_plan_with_lines(organization, 1)
    one = count_queries(planner_client, f"/api/v1/plans/{small.id}/lines/")
    large = build_plan_with_lines(organization, 200)
    with django_assert_max_num_queries(one):
        planner_client.get(f"/api/v1/plans/{large.id}/lines/?page_size=1000")
