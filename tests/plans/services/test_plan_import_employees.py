"""The plan import's settings column: `employees_served` (DESIGN §10)."""

import pytest

from l_and_d_planner.tabular import ImportRejected
from plans.models import Plan
from plans.services.imports import plan_import, plan_import_preview
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


def csv(*rows: str) -> bytes:
    return ("\n".join(["role,current_fte,planned_fte,employees_served", *rows]) + "\n").encode()


@pytest.fixture
def plan(organization):
    return PlanFactory(organization=organization, name="Division plan")


def test_the_file_sets_the_plans_employees_served(plan, planner):
    content = csv("Trainer,4,3,1200", "Coach,0,1,")
    summary = plan_import(plan=plan, filename="p.csv", content=content, user=planner)
    assert summary.created == 2
    plan.refresh_from_db()
    assert plan.employees_served == 1200
    assert plan.version == 2
    assert Plan.history.filter(id=plan.id).latest("history_date").employees_served == 1200


def test_only_the_setting_changed_still_saves_it_and_moves_the_version(plan, planner):
    plan_import(plan=plan, filename="p.csv", content=csv("Trainer,4,3,1200"), user=planner)
    plan.refresh_from_db()
    plan_import(plan=plan, filename="p.csv", content=csv("Trainer,4,3,900"), user=planner)
    plan.refresh_from_db()
    assert (plan.employees_served, plan.version) == (900, 3)
    plan_import(plan=plan, filename="p.csv", content=csv("Trainer,4,3,900"), user=planner)
    plan.refresh_from_db()
    assert plan.version == 3  # nothing changed: the version stays


def test_all_blank_clears_and_no_column_keeps(plan, planner):
    plan.employees_served = 700
    plan.save()
    keep = b"role,current_fte,planned_fte\nTrainer,1,1\n"
    plan_import(plan=plan, filename="p.csv", content=keep, user=planner)
    plan.refresh_from_db()
    assert plan.employees_served == 700
    plan_import(plan=plan, filename="p.csv", content=csv("Trainer,1,1,"), user=planner)
    plan.refresh_from_db()
    assert plan.employees_served is None


def test_bad_or_differing_numbers_reject_the_file_with_every_row(plan):
    content = csv("Trainer,4,3,1200", "Coach,0,1,1300", "Knowledge Manager,1,1,0", "Nope,1,1,")
    with pytest.raises(ImportRejected) as caught:
        plan_import_preview(plan=plan, filename="p.csv", content=content)
    problems = {(error.row, error.column) for error in caught.value.errors}
    assert (3, "employees_served") in problems  # differs from row 2
    assert (4, "employees_served") in problems  # 0 is not a number of employees
    assert (5, "role") in problems  # the line errors come in the same answer
    plan.refresh_from_db()
    assert plan.employees_served is None and plan.lines.count() == 0
