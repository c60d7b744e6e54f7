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


def save_queries(client, plan, changed_rows: int) -> tuple[int, int]:
    """Post the planner with `changed_rows` rows changed: (queries, version after)."""
    titles = [line.role.title for line in plan.lines.select_related("role").order_by("id")]
    changes = {title: {"planned_fte": "4.5", "note": "moved"} for title in titles[:changed_rows]}
    data = lines_post_data(plan, changes)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("plans:detail", args=[plan.pk]), data)
    assert response.status_code == 302, response.status_code
    plan.refresh_from_db()
    return len(captured), plan.version


@pytest.mark.parametrize("kind", ["update", "create", "remove"])
def test_planner_save_takes_the_same_queries_for_2_and_20_changed_rows(
    planner_web, organization, kind
):
    """Given two plans, when 2 and then 20 rows are saved, then the query count is the same
    and each save moves the version on by exactly one."""
    plans = {rows: plan_with_lines(organization, 25, f"Save {kind} {rows}") for rows in (2, 20)}
    counts = {}
    for rows, plan in plans.items():
        version_before = plan.version
        if kind == "update":
            counts[rows], version_after = save_queries(planner_web, plan, rows)
        else:
            counts[rows], version_after = _save_adding_or_removing(planner_web, plan, rows, kind)
        assert version_after == version_before + 1
    assert counts[2] == counts[20], counts
    assert counts[20] <= 20


def _save_adding_or_removing(client, plan, rows: int, kind: str) -> tuple[int, int]:
    data = lines_post_data(plan)
    total = int(data["lines-TOTAL_FORMS"])
    if kind == "remove":
        for index in range(rows):
            data[f"lines-{index}-remove"] = "on"
    else:
        for offset in range(rows):
            role = RoleFactory(organization=organization_of(plan), title=f"New {plan.pk}-{offset}")
            prefix = f"lines-{total + offset}"
            data.update({f"{prefix}-role": str(role.pk), f"{prefix}-current_fte": "0"})
            data[f"{prefix}-planned_fte"] = "1.5"
        data["lines-TOTAL_FORMS"] = str(total + rows)
    lines_before = plan.lines.count()
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("plans:detail", args=[plan.pk]), data)
    assert response.status_code == 302, response.status_code
    expected = lines_before - rows if kind == "remove" else lines_before + rows
    assert plan.lines.count() == expected
    plan.refresh_from_db()
    return len(captured), plan.version


def organization_of(plan):
    return plan.organization


def test_planner_save_records_each_change_in_the_history(planner_web, planner, organization):
    """Bulk saving keeps the audit trail: one history row per changed line, by the user."""
    plan = plan_with_lines(organization, 5, "Audited")
    before = PlanLine.history.filter(plan_id=plan.pk).count()
    save_queries(planner_web, plan, 3)
    records = PlanLine.history.filter(plan_id=plan.pk).order_by("-history_id")[:3]
    assert PlanLine.history.filter(plan_id=plan.pk).count() == before + 3
    assert {record.history_user_id for record in records} == {planner.pk}
    assert {record.planned_fte for record in records} == {Decimal("4.5")}


def test_nothing_but_history_refers_to_plan_lines():
    """The bulk delete of lines relies on it (see plans.services.lines)."""
    history_model = PlanLine.history.model
    referring = [
        relation.related_model.__name__
        for relation in PlanLine._meta.related_objects
        if not issubclass(relation.related_model, history_model)
    ]
    assert referring == []
