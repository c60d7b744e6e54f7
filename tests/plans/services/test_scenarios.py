"""Scenarios copy the lines and leave an audit trail naming who made them."""

from decimal import Decimal

import pytest

from plans.models import PlanLine
from plans.services.scenarios import plan_clone
from tests.factories import PlanFactory, PlanLineFactory, shared_role

pytestmark = pytest.mark.django_db


def test_a_clone_copies_the_lines_and_its_history_names_the_user(organization, planner):
    source = PlanFactory(organization=organization, name="Today")
    PlanLineFactory(plan=source, role=shared_role("Trainer"), planned_fte=Decimal("2.5"))
    PlanLineFactory(plan=source, role=shared_role("Coach"), current_fte=Decimal("1"))
    copy = plan_clone(source=source, user=planner)
    lines = {line.role.title: line for line in copy.lines.select_related("role")}
    assert lines["Trainer"].planned_fte == Decimal("2.5") and lines["Coach"].current_fte == 1
    records = PlanLine.history.filter(plan_id=copy.id)
    assert records.count() == 2
    assert {(record.history_type, record.history_user_id) for record in records} == {
        ("+", planner.id)
    }
