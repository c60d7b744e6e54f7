"""The score read's hand-written queries give exactly what the ORM gives (both databases)."""

from decimal import Decimal

import pytest

from plans import selectors
from plans.models import ReadinessAnswer
from roles.permissions import membership_role
from tests.factories import PlanFactory, PlanLineFactory, RoleFactory, discipline, shared_role

pytestmark = pytest.mark.django_db


def test_line_inputs_equal_the_orm_built_ones(organization):
    """Given lines with splits, overrides, locks and odd decimals, the raw read equals the ORM."""
    plan = PlanFactory(organization=organization)
    split = RoleFactory(
        organization=organization,
        discipline=discipline("training-delivery"),
        band_split={"social": 40, "formal": 60},
        annual_cost=Decimal("61234.56"),
    )
    PlanLineFactory(plan=plan, role=split, current_fte=Decimal("0.1"), planned_fte=Decimal("2.7"))
    PlanLineFactory(
        plan=plan,
        role=shared_role("Coach"),
        current_fte=Decimal("3"),
        planned_fte=Decimal("0"),
        cost_override=Decimal("70000.05"),
        locked=True,
    )
    expected = [
        selectors.line_input_from_role(
            line.role,
            {
                "current_fte": line.current_fte,
                "planned_fte": line.planned_fte,
                "cost_override": line.cost_override,
                "locked": line.locked,
            },
            line.id,
        )
        for line in selectors.plan_lines(plan)
    ]
    assert selectors.plan_line_inputs([plan.id])[plan.id] == expected


def test_caller_plans_carry_the_orm_values_and_readiness_totals(organization, planner):
    plan = PlanFactory(organization=organization, name="Raw read")
    ReadinessAnswer.objects.create(plan=plan, code="system_rewards", answer=1)
    ReadinessAnswer.objects.create(plan=plan, code="system_measures", answer=4)
    ReadinessAnswer.objects.create(plan=plan, code="not-a-question", answer=4)
    fetched = selectors.plan_for_caller(planner, plan.id)
    stored = selectors.plan_fresh(plan.id)
    assert (fetched.name, fetched.status, fetched.version) == (
        stored.name,
        stored.status,
        stored.version,
    )
    assert fetched.organization.currency == stored.organization.currency
    assert fetched.target_model.targets == stored.target_model.targets
    assert fetched.target_model.tolerance_points == stored.target_model.tolerance_points
    assert fetched.caller_role == membership_role(planner, organization.id) == "planner"
    # Unknown codes do not count: (1 + 4) / 2 / 4 * 100.
    assert selectors.score_fetches([fetched])[0].readiness == Decimal("62.5")


def test_caller_plans_hide_other_organizations(organization, outsider):
    plan = PlanFactory(organization=organization)
    assert selectors.plan_for_caller(outsider, plan.id) is None
    assert selectors.plans_score_fetch(outsider, {}) == []
