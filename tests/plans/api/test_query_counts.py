"""Query counts do not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PlanFactory, PlanLineFactory, RoleFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    """Queries of a request in the steady state: the connection has prepared its statements
    (on PostgreSQL the first request of a connection also sends one PREPARE per hot query)."""
    client.get(url)
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


def test_a_new_connection_prepares_each_hot_statement_once(planner_client, organization):
    """On PostgreSQL a connection's first score read prepares its three statements; the next
    reads only execute them. Elsewhere nothing is prepared."""
    from l_and_d_planner import prepared

    plan = build_plan_with_lines(organization, 2)
    url = f"/api/v1/plans/{plan.id}/score/"
    connection.ensure_connection()
    if connection.vendor == "postgresql":  # as on a fresh connection: nothing prepared yet
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")
        prepared._prepared.pop(connection.connection, None)
    with CaptureQueriesContext(connection) as first:
        assert planner_client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert planner_client.get(url).status_code == 200
    prepares = [q["sql"] for q in first.captured_queries if q["sql"].startswith("PREPARE")]
    if connection.vendor == "postgresql":
        assert len(prepares) == 3
        assert len(first.captured_queries) == 6
    else:
        assert prepares == [] and len(first.captured_queries) == 3
    assert len(second.captured_queries) == 3
