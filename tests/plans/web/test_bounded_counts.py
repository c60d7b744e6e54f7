"""Client-given counts are bounded (DESIGN §12, issue 12 item 5): a forged formset count, an
over-long list in a JSON body or a page size in another notation answers fast, never a 500."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from plans.domain import readiness
from plans.models import PlanLine
from tests.factories import PlanFactory
from tests.support import TRAINING_CENTRIC, add_lines, lines_post_data

pytestmark = pytest.mark.django_db

HUGE = "999999999999999999"


@pytest.fixture
def plan(organization):
    return add_lines(PlanFactory(organization=organization), TRAINING_CENTRIC)


@pytest.mark.parametrize(
    "extra",
    [{}, {"add_role": "5"}, {"search": "1", "role_q": "coach"}],
    ids=["save", "add-role", "search"],
)
@pytest.mark.parametrize("field", ["lines-TOTAL_FORMS", "lines-INITIAL_FORMS"])
def test_a_forged_row_count_answers_400_fast(planner_web, plan, extra, field):
    data = {**lines_post_data(plan, {"Trainer": {"planned_fte": "9"}}), field: HUGE, **extra}
    started = time.perf_counter()
    response = planner_web.post(reverse("plans:detail", args=[plan.pk]), data)
    elapsed = time.perf_counter() - started
    assert response.status_code == 400
    assert "The table can hold at most 1000 rows" in response.content.decode()
    assert elapsed < 2
    assert PlanLine.objects.get(plan=plan, role__title="Trainer").planned_fte == 1


@pytest.mark.parametrize("count", [HUGE, "1001", "1_0", "١٢", "-1", "1e3"])
def test_the_preview_refuses_a_forged_row_count(planner_web, plan, count):
    data = {**lines_post_data(plan), "lines-TOTAL_FORMS": count}
    started = time.perf_counter()
    response = planner_web.post(reverse("plans:preview", args=[plan.pk]), data)
    assert response.status_code == 400
    assert time.perf_counter() - started < 2


def test_a_table_of_exactly_the_posted_rows_still_saves(planner_web, plan):
    data = lines_post_data(plan, {"Trainer": {"planned_fte": "4"}})
    response = planner_web.post(reverse("plans:detail", args=[plan.pk]), data)
    assert response.status_code == 302
    assert PlanLine.objects.get(plan=plan, role__title="Trainer").planned_fte == 4


def test_more_readiness_answers_than_questions_are_refused(planner_client, plan):
    answers = [{"code": readiness.QUESTIONS[0].code, "answer": 1}] * 100_000
    response = planner_client.put(
        f"/api/v1/plans/{plan.pk}/readiness/", {"answers": answers}, format="json"
    )
    assert response.status_code == 400
    assert "answers" in response.json()


@pytest.mark.parametrize("size", ["0_2", "٢", "+2", "%202", "2e0", "99999999999999999999"])
def test_a_page_size_in_another_notation_is_refused_with_the_field(
    planner_client, organization, size
):
    for _ in range(3):
        PlanFactory(organization=organization)
    response = planner_client.get(f"/api/v1/plans/?page_size={size}")
    assert response.status_code == 400
    assert response.json() == {"page_size": ["Give a whole number from 1 to 1000."]}
