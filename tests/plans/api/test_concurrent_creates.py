"""Concurrent first creates give one success and a refusal, never a 500 (issue 12 item 7).

Each race fires the same create on real threads (each with its own database connection)
through the API, `TRIALS` times; we count the answers and what the database holds.
"""

from __future__ import annotations

import pytest

from plans.domain import readiness
from plans.models import PlanLine, ReadinessAnswer, Roadmap, TargetModel
from tests.factories import PlanFactory, shared_role
from tests.races import race, statuses, token_client
from tests.support import TRAINING_CENTRIC, add_lines

TRIALS = 10
RACERS = 4


def run_races(make_calls, check) -> list[list[int]]:
    outcomes = []
    for trial in range(TRIALS):
        calls, subject = make_calls(trial)
        codes = statuses(race(calls))
        outcomes.append(sorted(codes))
        check(subject, codes)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_the_same_line_role_added_at_once_makes_one_line(standard_catalog, organization, planner):
    clients = [token_client(planner) for _ in range(RACERS)]
    role = shared_role("Coach")

    def calls(trial):
        plan = PlanFactory(organization=organization)
        url = f"/api/v1/plans/{plan.id}/lines/"
        body = {"role": role.id, "planned_fte": 1}
        return [lambda c=c: c.post(url, body, format="json") for c in clients], plan

    def check(plan, codes):
        assert PlanLine.objects.filter(plan=plan, role=role).count() == 1

    outcomes = run_races(calls, check)
    assert outcomes == [[201] + [400] * (RACERS - 1)] * TRIALS


@pytest.mark.django_db(transaction=True)
def test_first_readiness_puts_at_once_store_one_answer_set(standard_catalog, organization, planner):
    clients = [token_client(planner) for _ in range(RACERS)]
    code = readiness.QUESTIONS[0].code

    def calls(trial):
        plan = PlanFactory(organization=organization)
        url = f"/api/v1/plans/{plan.id}/readiness/"
        return [
            lambda c=c, n=n: c.put(url, {"answers": [{"code": code, "answer": n}]}, format="json")
            for n, c in enumerate(clients)
        ], plan

    def check(plan, codes):
        assert ReadinessAnswer.objects.filter(plan=plan, code=code).count() == 1

    outcomes = run_races(calls, check)
    assert outcomes == [[200] * RACERS] * TRIALS  # idempotent: each replaces the answers


@pytest.mark.django_db(transaction=True)
def test_first_roadmap_posts_at_once_build_one_roadmap(standard_catalog, organization, planner):
    clients = [token_client(planner) for _ in range(RACERS)]
    body = {"start": "2027-01-01", "max_fte_per_quarter": 2}

    def calls(trial):
        plan = add_lines(PlanFactory(organization=organization), TRAINING_CENTRIC)
        url = f"/api/v1/plans/{plan.id}/roadmap/"
        return [lambda c=c: c.post(url, body, format="json") for c in clients], plan

    def check(plan, codes):
        assert Roadmap.objects.filter(plan=plan).count() == 1

    outcomes = run_races(calls, check)
    assert outcomes == [[201] * RACERS] * TRIALS  # idempotent: each rebuilds the one roadmap


@pytest.mark.django_db(transaction=True)
def test_the_same_target_model_name_created_at_once_makes_one_model(
    standard_catalog, organization, admin_user
):
    clients = [token_client(admin_user) for _ in range(RACERS)]

    def calls(trial):
        body = {
            "name": f"Compliance {trial}",
            "organization": organization.id,
            "targets": {"experiential": 0.5, "social": 0.2, "formal": 0.3},
        }
        return [
            lambda c=c: c.post("/api/v1/target-models/", body, format="json") for c in clients
        ], body["name"]

    def check(name, codes):
        assert TargetModel.objects.filter(organization=organization, name=name).count() == 1

    outcomes = run_races(calls, check)
    assert outcomes == [[201] + [400] * (RACERS - 1)] * TRIALS
