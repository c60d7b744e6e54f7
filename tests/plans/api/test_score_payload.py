"""The score endpoints build their bodies directly; they must equal what the schema documents."""

import json
from decimal import Decimal

import pytest
from rest_framework.renderers import JSONRenderer

from plans import selectors
from plans.api.serializers import PlanScoreSerializer, plan_score_payload
from plans.services.demo import demo_load
from plans.services.readiness import readiness_answers_save
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


def as_json(data) -> dict:
    return json.loads(JSONRenderer().render(data))


def test_payload_equals_the_documented_serializer_for_full_empty_and_answered_plans():
    demo = demo_load()
    empty = PlanFactory(organization=demo["organization"])
    readiness_answers_save(plan=demo["plans"][1], answers=[{"code": "system_rewards", "answer": 3}])
    readiness = {demo["plans"][1].id: Decimal("75.0")}
    for plan in [*demo["plans"], empty]:
        result = selectors.plan_score(plan)
        documented = PlanScoreSerializer(result, context={"readiness": readiness}).data
        built = plan_score_payload(result, readiness.get(plan.id))
        assert as_json(built) == as_json(documented)
    assert (
        as_json(plan_score_payload(selectors.plan_score(empty), None))["current"]["score"] is None
    )
