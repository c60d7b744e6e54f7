"""Model-layer validation: FTE, band splits, uniqueness, tenancy, history."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from plans.models import PlanLine, TargetModel
from roles.models import Role, validate_band_split
from tests.factories import (
    OrganizationFactory,
    PlanFactory,
    PlanLineFactory,
    RoleFactory,
    TargetModelFactory,
    shared_role,
)

pytestmark = pytest.mark.django_db


def test_the_standard_catalog_is_loaded():
    assert Role.objects.filter(organization__isnull=True).count() >= 25
    assert set(
        Role.objects.filter(organization__isnull=True).values_list("discipline__band", flat=True)
    ) == {"experiential", "social", "formal"}
    built_in = TargetModel.objects.get(organization__isnull=True)
    assert built_in.name == "Modern Learning Department (70/20/10)"
    assert (
        built_in.experiential_percent,
        built_in.social_percent,
        built_in.formal_percent,
        built_in.tolerance_points,
    ) == (70, 20, 10, 5)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (Decimal("-0.1"), "greater than or equal to 0"),
        (Decimal("1.25"), "decimal place"),
        (Decimal("10000"), "digits"),
    ],
)
def test_fte_validation(value, message):
    line = PlanLineFactory.build(plan=PlanFactory(), role=shared_role("Coach"), current_fte=value)
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert message in " ".join(error.value.message_dict["current_fte"])


def test_a_plan_cannot_use_another_organizations_role():
    plan = PlanFactory()
    foreign = RoleFactory(organization=OrganizationFactory())
    line = PlanLine(plan=plan, role=foreign, current_fte=1, planned_fte=1)
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert "another organization" in str(error.value.message_dict["role"])


def test_one_line_per_role_per_plan():
    line = PlanLineFactory(role=shared_role("Coach"))
    duplicate = PlanLine(plan=line.plan, role=line.role, current_fte=1, planned_fte=1)
    with pytest.raises(ValidationError, match="already has a line"):
        duplicate.full_clean()


def test_band_split_validation_normalises_and_rejects():
    assert validate_band_split({"social": 60, "formal": 40}) == {
        "experiential": 0,
        "social": 60,
        "formal": 40,
    }
    assert validate_band_split({}) == {}
    for bad in ({"social": 60}, {"x": 100}, {"social": True, "formal": 99}, [100]):
        with pytest.raises(ValidationError):
            validate_band_split(bad)


def test_target_model_targets_must_sum_to_100():
    model = TargetModelFactory.build(
        organization=OrganizationFactory(),
        experiential_percent=70,
        social_percent=20,
        formal_percent=20,
    )
    with pytest.raises(ValidationError, match="sum to 100"):
        model.full_clean()


def test_changes_are_kept_in_the_audit_history():
    role = RoleFactory(organization=OrganizationFactory(), annual_cost=Decimal("50000"))
    role.annual_cost = Decimal("55000")
    role.save()
    line = PlanLineFactory(role=role)
    line.planned_fte = Decimal("3")
    line.save()
    assert [h.annual_cost for h in role.history.order_by("history_id")] == [50000, 55000]
    assert line.history.count() == 2
    assert line.plan.history.count() == 1
