"""Page query counts do not grow with the data (N+1 guard)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import PlanLine
from tests.factories import PlanFactory, RoleFactory, discipline
from tests.support import lines_post_data

pytestmark = pytest.mark.django_db

DISCIPLINES = ["knowledge-management", "community-management", "training-delivery"]


def plan_with_lines(organization, count: int, name: str):
    plan = PlanFactory(organization=organization, name=name)
    PlanLine.objects.bulk_create(
        PlanLine(
            plan=plan,
            role=RoleFactory(
                organization=organization,
                title=f"{name} role {index}",
                discipline=discipline(DISCIPLINES[index % 3]),
                band_split={"social": 30, "formal": 70} if index % 7 == 0 else {},
            ),
            current_fte=Decimal("1.5"),
            planned_fte=Decimal(index % 4),
        )
        for index in range(count)
    )
    return plan


def queries(client, method: str, url: str, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200, response.status_code
    return len(captured)


def test_planner_page_same_queries_for_5_and_200_lines(planner_web, organization):
    small = plan_with_lines(organization, 5, "Small")
    large = plan_with_lines(organization, 200, "Large")
    queries(planner_web, "get", reverse("plans:detail", args=[small.pk]))  # warm the session
    small_count = queries(planner_web, "get", reverse("plans:detail", args=[small.pk]))
    queries(planner_web, "get", reverse("plans:detail", args=[large.pk]))
    large_count = queries(planner_web, "get", reverse("plans:detail", args=[large.pk]))
    assert small_count == large_count
    assert large_count <= 10


def test_preview_same_queries_for_5_and_200_lines(planner_web, organization):
    small = plan_with_lines(organization, 5, "Small")
    large = plan_with_lines(organization, 200, "Large")
    url_small = reverse("plans:preview", args=[small.pk])
    url_large = reverse("plans:preview", args=[large.pk])
    small_count = queries(planner_web, "post", url_small, lines_post_data(small))
    large_count = queries(planner_web, "post", url_large, lines_post_data(large))
    assert small_count == large_count <= 8


def test_dashboard_and_compare_do_not_grow_with_plans(planner_web, organization):
    plans = [plan_with_lines(organization, 3, f"P{index}") for index in range(2)]
    ids = f"{plans[0].pk},{plans[1].pk}"
    few = queries(planner_web, "get", reverse("plans:dashboard"))
    compare_few = queries(planner_web, "get", reverse("plans:compare"), {"ids": ids})
    more = [plan_with_lines(organization, 20, f"Q{index}") for index in range(8)]
    many = queries(planner_web, "get", reverse("plans:dashboard"))
    ids4 = ",".join(str(plan.pk) for plan in [*plans, *more[:2]])
    compare_many = queries(planner_web, "get", reverse("plans:compare"), {"ids": ids4})
    assert few == many
    assert compare_few == compare_many


def test_catalog_and_history_do_not_grow(planner_web, admin_web, organization):
    plan = plan_with_lines(organization, 3, "Hist")
    url = reverse("plans:detail", args=[plan.pk])
    admin_web.post(url, lines_post_data(plan, {"Hist role 0": {"planned_fte": "2"}}))
    history_few = queries(planner_web, "get", reverse("plans:history", args=[plan.pk]))
    catalog_few = queries(planner_web, "get", reverse("roles:list"))
    plan.refresh_from_db()
    changes = {f"Hist role {index}": {"planned_fte": "3.5", "note": "x"} for index in range(3)}
    admin_web.post(url, lines_post_data(plan, changes))
    plan_with_lines(organization, 30, "More roles")
    history_many = queries(planner_web, "get", reverse("plans:history", args=[plan.pk]))
    catalog_many = queries(planner_web, "get", reverse("roles:list"))
    assert history_few == history_many
    assert catalog_few == catalog_many


def test_a_200_line_table_can_be_saved(planner_web, organization):
    plan = plan_with_lines(organization, 200, "Big")
    data = lines_post_data(plan, {"Big role 199": {"planned_fte": "9"}})
    response = planner_web.post(reverse("plans:detail", args=[plan.pk]), data)
    assert response.status_code == 302
    assert plan.lines.get(role__title="Big role 199").planned_fte == Decimal("9.0")
    assert plan.lines.filter(planned_fte=Decimal("1.0")).count() == 50  # the others untouched
