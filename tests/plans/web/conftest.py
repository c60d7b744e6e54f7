"""The planner pages' plan: a small training-centric department, scored."""

import pytest

from tests.factories import PlanFactory
from tests.support import TRAINING_CENTRIC, add_lines


@pytest.fixture
def plan(organization, planner):
    plan = PlanFactory(organization=organization, name="Department 2027", created_by=planner)
    return add_lines(plan, TRAINING_CENTRIC)
