"""The readiness API: questions, a plan's answers and scores, and `scores/` carrying readiness."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.domain.readiness import QUESTIONS, SYSTEM
from plans.models import ReadinessAnswer
from plans.presenters import QUESTION_TEXTS
from tests.factories import PlanFactory, PlanLineFactory, RoleFactory, discipline

pytestmark = pytest.mark.django_db

SYSTEM_CODES = [q.code for q in QUESTIONS if q.group == SYSTEM]


def url(plan) -> str:
    return f"/api/v1/plans/{plan.id}/readiness/"


@pytest.fixture
def plan(organization):
    return PlanFactory(organization=organization)


@pytest.fixture
def modern_plan(organization):
    """Planned column modern (7/2/1), current column training-centric."""
    plan = PlanFactory(organization=organization, name="Modern")
    for slug, current, planned in [
        ("knowledge-management", "0", "7"),
        ("coaching-mentoring", "0", "2"),
        ("training-delivery", "10", "1"),
    ]:
        role = RoleFactory(organization=organization, discipline=discipline(slug))
        PlanLineFactory(
            plan=plan, role=role, current_fte=Decimal(current), planned_fte=Decimal(planned)
        )
    return plan


def test_the_questions_list_code_group_and_wording(planner_client):
    response = planner_client.get("/api/v1/readiness-questions/")
    assert response.status_code == 200
    body = response.json()
    assert body[0] == {
        "code": QUESTIONS[0].code,
        "group": "system",
        "question": QUESTION_TEXTS[QUESTIONS[0].code],
    }
    assert {item["group"] for item in body} == {"system", "leadership", "inside_outside"}
    assert len(body) == len(QUESTIONS)


def test_a_new_plan_has_null_scores_and_nothing_answered(planner_client, plan):
    body = planner_client.get(url(plan)).json()
    assert body["score"] is None
    assert body["answers"] == [] and body["weakest"] == [] and body["flags"] == []
    assert [(g["group"], g["score"], g["answered"]) for g in body["groups"]] == [
        ("system", None, 0),
        ("leadership", None, 0),
        ("inside_outside", None, 0),
    ]


def test_put_stores_the_answers_and_answers_the_same_body_as_get(planner_client, plan):
    answers = [
        {"code": SYSTEM_CODES[0], "answer": 1, "note": "Bonuses count sales only."},
        {"code": SYSTEM_CODES[1], "answer": 2},
        {"code": "leadership_goals", "answer": 4, "note": ""},
    ]
    response = planner_client.put(url(plan), {"answers": answers}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body == planner_client.get(url(plan)).json()
    assert body["score"] == 58.3  # 7 / 12
    assert body["groups"][0] == {"group": "system", "score": 37.5, "answered": 2, "total": 5}
    assert body["answers"][0] == {
        "code": SYSTEM_CODES[0],
        "answer": 1,
        "note": "Bonuses count sales only.",
    }
    assert [w["code"] for w in body["weakest"]] == [
        SYSTEM_CODES[0],
        SYSTEM_CODES[1],
        "leadership_goals",
    ]
    assert body["weakest"][0]["question"] == QUESTION_TEXTS[QUESTIONS[0].code]
    assert body["flags"] == []  # the plan has no modern planned column


def test_put_replaces_the_whole_answer_set(planner_client, plan):
    planner_client.put(
        url(plan),
        {
            "answers": [
                {"code": SYSTEM_CODES[0], "answer": 1},
                {"code": SYSTEM_CODES[1], "answer": 1},
            ]
        },
        format="json",
    )
    body = planner_client.put(
        url(plan), {"answers": [{"code": SYSTEM_CODES[1], "answer": 3}]}, format="json"
    ).json()
    assert [(a["code"], a["answer"]) for a in body["answers"]] == [(SYSTEM_CODES[1], 3)]
    assert ReadinessAnswer.objects.filter(plan=plan).count() == 1


@pytest.mark.parametrize(
    ("item", "field_text"),
    [
        ({"code": "no_such_question", "answer": 2}, "not a valid choice"),
        ({"code": SYSTEM_CODES[0], "answer": 5}, "less than or equal to 4"),
        ({"code": SYSTEM_CODES[0], "answer": -1}, "greater than or equal to 0"),
        ({"code": SYSTEM_CODES[0], "answer": "often"}, "valid integer"),
        ({"code": SYSTEM_CODES[0], "answer": None}, "may not be null"),
        ({"code": SYSTEM_CODES[0], "answer": 2, "note": "x" * 1001}, "no more than 1000"),
    ],
)
def test_a_bad_answer_is_400_and_stores_nothing(planner_client, plan, item, field_text):
    planner_client.put(
        url(plan), {"answers": [{"code": SYSTEM_CODES[2], "answer": 3}]}, format="json"
    )
    good = {"code": SYSTEM_CODES[1], "answer": 2}
    response = planner_client.put(url(plan), {"answers": [good, item]}, format="json")
    assert response.status_code == 400
    assert "answers" in response.json()
    assert field_text in str(response.json())
    stored = list(ReadinessAnswer.objects.filter(plan=plan).values_list("code", "answer"))
    assert stored == [(SYSTEM_CODES[2], 3)]  # the earlier answers, untouched


def test_a_question_answered_twice_is_400_and_stores_nothing(planner_client, plan):
    twice = [{"code": SYSTEM_CODES[0], "answer": 1}, {"code": SYSTEM_CODES[0], "answer": 2}]
    response = planner_client.put(url(plan), {"answers": twice}, format="json")
    assert response.status_code == 400
    assert "answered twice" in str(response.json()["answers"])
    assert not ReadinessAnswer.objects.filter(plan=plan).exists()


@pytest.mark.parametrize("body", [{}, {"answers": "all good"}, [], {"answers": [3]}])
def test_a_malformed_body_is_400(planner_client, plan, body):
    assert planner_client.put(url(plan), body, format="json").status_code == 400


def test_answers_are_kept_in_the_audit_history(planner_client, plan, planner):
    planner_client.put(
        url(plan), {"answers": [{"code": SYSTEM_CODES[0], "answer": 1}]}, format="json"
    )
    planner_client.put(
        url(plan), {"answers": [{"code": SYSTEM_CODES[0], "answer": 3}]}, format="json"
    )
    planner_client.put(
        url(plan), {"answers": [{"code": SYSTEM_CODES[0], "answer": 3}]}, format="json"
    )
    history = ReadinessAnswer.history.filter(plan_id=plan.id).order_by("history_date")
    assert [(h.history_type, h.answer) for h in history] == [("+", 1), ("~", 3)]
    assert history.last().history_user == planner


def test_a_modern_plan_on_a_lagging_system_is_flagged(planner_client, modern_plan):
    answers = [{"code": code, "answer": 1} for code in SYSTEM_CODES]
    body = planner_client.put(url(modern_plan), {"answers": answers}, format="json").json()
    assert body["groups"][0]["score"] == 25.0
    assert [flag["code"] for flag in body["flags"]] == ["system_lags"]
    assert "Before moving people" in body["flags"][0]["message"]


def test_viewers_read_but_cannot_answer_and_outsiders_see_nothing(
    viewer_client, outsider_client, plan
):
    assert viewer_client.get(url(plan)).status_code == 200
    put = viewer_client.put(url(plan), {"answers": []}, format="json")
    assert put.status_code == 403
    assert outsider_client.get(url(plan)).status_code == 404
    assert outsider_client.put(url(plan), {"answers": []}, format="json").status_code == 404
    assert outsider_client.get("/api/v1/plans/999999/readiness/").status_code == 404


def test_an_archived_plan_keeps_its_answers_frozen(planner_client, plan):
    plan.status = "archived"
    plan.save()
    response = planner_client.put(
        url(plan), {"answers": [{"code": SYSTEM_CODES[0], "answer": 1}]}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["plan_status"] == "archived"
    assert "reopen it as a draft" in response.json()["detail"]


def test_scores_carry_each_plans_readiness_beside_its_staffing_score(planner_client, organization):
    answered = PlanFactory(organization=organization)
    silent = PlanFactory(organization=organization)
    planner_client.put(
        url(answered),
        {
            "answers": [
                {"code": SYSTEM_CODES[0], "answer": 3},
                {"code": SYSTEM_CODES[1], "answer": 2},
            ]
        },
        format="json",
    )
    results = {r["plan"]["id"]: r for r in planner_client.get("/api/v1/scores/").json()["results"]}
    assert results[answered.id]["readiness"] == 62.5
    assert results[silent.id]["readiness"] is None
    assert "score" in results[answered.id]["planned"]
    score = planner_client.get(f"/api/v1/plans/{answered.id}/score/").json()
    assert score["readiness"] == 62.5


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def test_readiness_reads_take_the_same_queries_with_more_answers_and_lines(
    planner_client, organization, django_assert_max_num_queries
):
    plan = PlanFactory(organization=organization)
    planner_client.put(
        url(plan), {"answers": [{"code": SYSTEM_CODES[0], "answer": 3}]}, format="json"
    )
    one = count_queries(planner_client, url(plan))
    for role in RoleFactory.create_batch(30, organization=organization):
        PlanLineFactory(plan=plan, role=role)
    everything = [{"code": q.code, "answer": 2} for q in QUESTIONS]
    planner_client.put(url(plan), {"answers": everything}, format="json")
    with django_assert_max_num_queries(one):
        planner_client.get(url(plan))
    questions = count_queries(planner_client, "/api/v1/readiness-questions/")
    assert questions <= 2  # authentication only


def test_scores_add_one_query_for_every_plans_answers(
    planner_client, organization, django_assert_max_num_queries
):
    first = PlanFactory(organization=organization)
    planner_client.put(
        url(first), {"answers": [{"code": SYSTEM_CODES[0], "answer": 3}]}, format="json"
    )
    one = count_queries(planner_client, "/api/v1/scores/")
    for plan in PlanFactory.create_batch(40, organization=organization):
        ReadinessAnswer.objects.create(plan=plan, code=SYSTEM_CODES[0], answer=2)
    with django_assert_max_num_queries(one):
        response = planner_client.get("/api/v1/scores/")
    assert {r["readiness"] for r in response.json()["results"]} == {75.0, 50.0}
