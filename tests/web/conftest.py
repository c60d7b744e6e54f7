"""Fixtures for the web pages: signed-in Django test clients and a small scored plan."""

from decimal import Decimal

import pytest
from django.test import Client

from plans.models import PlanLine
from tests.factories import PlanFactory, shared_role


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def planner_web(planner):
    return client_for(planner)


@pytest.fixture
def admin_web(admin_user):
    return client_for(admin_user)


@pytest.fixture
def viewer_web(viewer):
    return client_for(viewer)


@pytest.fixture
def outsider_web(outsider):
    return client_for(outsider)


# A training-centric department: 10 FTE today, 10 FTE planned the modern way.
TRAINING_CENTRIC = [
    ("Trainer", "6", "1"),
    ("Instructional Designer", "3", "0"),
    ("Knowledge Manager", "1", "6"),
    ("Community Manager", "0", "2"),
]


def add_lines(plan, rows):
    for title, current, planned in rows:
        PlanLine.objects.create(
            plan=plan,
            role=shared_role(title),
            current_fte=Decimal(current),
            planned_fte=Decimal(planned),
        )
    return plan


@pytest.fixture
def plan(organization, planner):
    plan = PlanFactory(organization=organization, name="Department 2027", created_by=planner)
    return add_lines(plan, TRAINING_CENTRIC)


def lines_post_data(plan, changes: dict | None = None, *, version=None, extra=None) -> dict:
    """The planner form as a browser would post it, with `changes` by role title."""
    changes = changes or {}
    lines = list(plan.lines.select_related("role").order_by("id"))
    data = {
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": str(len(lines)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "version": str(plan.version if version is None else version),
    }
    for index, line in enumerate(lines):
        row = {
            "role": str(line.role_id),
            "current_fte": str(line.current_fte),
            "planned_fte": str(line.planned_fte),
            "cost_override": "" if line.cost_override is None else str(line.cost_override),
            "note": line.note,
        }
        if line.locked:
            row["locked"] = "on"
        row.update(changes.get(line.role.title, {}))
        for key, value in row.items():
            if value is not None:
                data[f"lines-{index}-{key}"] = value
    data.update(extra or {})
    return data
