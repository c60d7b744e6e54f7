"""Each scored column carries `staffing` (DESIGN §10): score/, scores/ and the selector."""

from decimal import Decimal

import pytest

from plans import selectors
from roles.models import Benchmark, Organization
from tests.factories import PlanFactory, PlanLineFactory, RoleFactory, discipline

pytestmark = pytest.mark.django_db


def sized_plan(organization, *, employees=5000, current="11", planned="12", cost="80000"):
    Organization.objects.filter(pk=organization.pk).update(employees=employees)
    plan = PlanFactory(organization=organization)
    role = RoleFactory(organization=organization, annual_cost=Decimal(cost))
    PlanLineFactory(
        plan=plan, role=role, current_fte=Decimal(current), planned_fte=Decimal(planned)
    )
    return plan


def by_metric(staffing: dict) -> dict:
    return {item["metric"]: item for item in staffing["references"]}


def test_the_score_carries_the_issue_example(planner_client, organization):
    plan = sized_plan(organization)
    body = planner_client.get(f"/api/v1/plans/{plan.id}/score/").json()
    planned = body["planned"]["staffing"]
    assert planned["employees"] == 5000
    assert planned["fte"] == 12.0
    assert planned["employees_per_fte"] == 416.7
    assert planned["fte_per_1000"] == 2.4
    assert planned["cost_per_employee"] == 192.0
    assert planned["currency"] == "EUR"
    references = by_metric(planned)
    atd = references["employees_per_ld_fte"]
    assert (atd["name"], atd["value"], atd["implied_fte"], atd["gap_fte"], atd["status"]) == (
        "ATD 2021",
        385.0,
        13.0,
        1.0,
        "below",
    )
    assert atd["benchmark"] == Benchmark.objects.get(name="ATD 2021").id
    bersin = references["ld_fte_per_1000_employees"]
    assert (bersin["implied_fte"], bersin["gap_fte"]) == (26.0, 14.0)
    spend = references["spend_per_employee"]
    assert spend["implied_fte"] is None and spend["status"] is None
    assert spend["currency"] == "USD" and spend["converted_value"] is None
    assert "not converted" in spend["reason"]
    current = body["current"]["staffing"]
    assert current["fte"] == 11.0 and by_metric(current)["employees_per_ld_fte"]["gap_fte"] == 2.0


def test_an_exchange_rate_lets_money_be_compared(planner_client, organization):
    plan = sized_plan(organization)
    Organization.objects.filter(pk=organization.pk).update(
        exchange_currency="USD", exchange_rate=Decimal("0.9")
    )
    body = planner_client.get(f"/api/v1/plans/{plan.id}/score/").json()
    spend = by_metric(body["planned"]["staffing"])["spend_per_employee"]
    # USD 1,054 × 0.9 = EUR 948.60 a head × 5,000 employees / EUR 80,000 per FTE = 59.29 FTE.
    assert spend["converted_value"] == 948.6
    assert (spend["implied_fte"], spend["gap_fte"], spend["reason"]) == (59.3, 47.3, None)


def test_the_plan_overrides_the_employees_for_a_division(planner_client, organization):
    plan = sized_plan(organization)
    plan.employees_served = 1000
    plan.save()
    body = planner_client.get("/api/v1/scores/").json()
    [result] = body["results"]
    staffing = result["planned"]["staffing"]
    assert staffing["employees"] == 1000
    assert by_metric(staffing)["employees_per_ld_fte"]["implied_fte"] == 2.6


def test_unknown_employees_and_an_empty_plan_give_nulls_with_reasons(planner_client, organization):
    unknown = sized_plan(organization, employees=None)
    body = planner_client.get(f"/api/v1/plans/{unknown.id}/score/").json()
    staffing = body["planned"]["staffing"]
    assert staffing["employees"] is None and staffing["employees_per_fte"] is None
    assert "Employees served unknown" in staffing["reasons"][0]
    assert all(item["implied_fte"] is None for item in staffing["references"])
    Organization.objects.filter(pk=organization.pk).update(employees=800)
    empty = PlanFactory(organization=organization)
    body = planner_client.get(f"/api/v1/plans/{empty.id}/score/").json()
    staffing = body["planned"]["staffing"]
    assert staffing["fte"] == 0.0 and staffing["employees_per_fte"] is None
    assert staffing["reasons"] == ["No L&D FTE in this column yet."]
    assert by_metric(staffing)["employees_per_ld_fte"]["implied_fte"] == 2.1


def test_an_organization_without_references_gets_an_empty_list(planner_client, organization):
    plan = sized_plan(organization)
    Organization.objects.filter(pk=organization.pk).update(
        reference_employees_per_ld_fte=None,
        reference_ld_fte_per_1000_employees=None,
        reference_spend_per_employee=None,
    )
    body = planner_client.get(f"/api/v1/plans/{plan.id}/score/").json()
    assert body["planned"]["staffing"]["references"] == []
    assert body["planned"]["staffing"]["employees_per_fte"] == 416.7


def test_an_organizations_own_reference_is_used(planner_client, organization, other_organization):
    plan = sized_plan(organization)
    ours = Benchmark.objects.create(
        organization=organization,
        name="Our sector",
        source="Sector body",
        year=2024,
        metric="employees_per_ld_fte",
        value=Decimal("500"),
        low=Decimal("400"),
        high=Decimal("600"),
    )
    Organization.objects.filter(pk=organization.pk).update(reference_employees_per_ld_fte=ours)
    atd = by_metric(
        planner_client.get(f"/api/v1/plans/{plan.id}/score/").json()["planned"]["staffing"]
    )["employees_per_ld_fte"]
    # 5,000 / 500 = 10.0 FTE; the range 400-600 implies 8.3-12.5 FTE: 12.0 is within.
    assert (atd["name"], atd["implied_fte"], atd["gap_fte"], atd["status"]) == (
        "Our sector",
        10.0,
        -2.0,
        "within",
    )
    assert (atd["low"], atd["high"]) == (400.0, 600.0)


def test_staffing_implied_fte_is_the_default_references(planner, organization):
    plan = sized_plan(organization)
    visible = selectors.plan_visible(planner, plan.id)
    assert selectors.staffing_implied_fte(visible) == Decimal("13.0")
    Organization.objects.filter(pk=organization.pk).update(employees=None)
    assert selectors.staffing_implied_fte(selectors.plan_visible(planner, plan.id)) is None


def test_staffing_implied_fte_falls_back_to_the_next_metric(planner, organization):
    plan = sized_plan(organization)
    Organization.objects.filter(pk=organization.pk).update(reference_employees_per_ld_fte=None)
    assert selectors.staffing_implied_fte(selectors.plan_visible(planner, plan.id)) == Decimal(
        "26.0"
    )


def test_grow_to_the_benchmark_size(planner_client, organization):
    """`size=benchmark` grows the plan to the FTE the default reference implies (13.0 here)."""
    plan = sized_plan(organization, current="8.4", planned="8.4")  # knowledge management
    for slug, fte in (("community-management", "2.4"), ("training-delivery", "1.2")):
        role = RoleFactory(organization=organization, discipline=discipline(slug))
        PlanLineFactory(plan=plan, role=role, current_fte=Decimal(fte), planned_fte=Decimal(fte))
    url = f"/api/v1/plans/{plan.id}/suggestions/"
    sized = planner_client.get(url, {"mode": "grow", "size": "benchmark", "step": "0.5"})
    assert sized.status_code == 200, sized.content
    assert sized.json()["result"]["total_fte"] == 13.0
    plain = planner_client.get(url, {"mode": "grow", "step": "0.5"}).json()
    assert plain["result"]["total_fte"] == 12.0  # 70/20/10 already: nothing to add
    posted = planner_client.post(
        url,
        {
            "mode": "grow",
            "size": "benchmark",
            "step": "0.5",
            "lines": [
                {"role": line.role_id, "planned_fte": str(line.planned_fte), "locked": False}
                for line in plan.lines.all()
            ],
        },
        format="json",
    )
    assert posted.status_code == 200 and posted.json()["result"]["total_fte"] == 13.0


@pytest.mark.parametrize(
    "params, words",
    [
        ({"mode": "reassign", "size": "benchmark"}, "grow mode only"),
        ({"mode": "grow", "size": "benchmark", "grow_to": "20"}, "not both"),
        ({"mode": "grow", "size": "other"}, "not a valid choice"),
    ],
)
def test_size_benchmark_refusals_name_the_field(planner_client, organization, params, words):
    plan = sized_plan(organization)
    response = planner_client.get(f"/api/v1/plans/{plan.id}/suggestions/", params)
    assert response.status_code == 400
    assert words in str(response.json()["size"])


def test_size_benchmark_without_employees_says_what_to_set(planner_client, organization):
    plan = sized_plan(organization, employees=None)
    response = planner_client.get(
        f"/api/v1/plans/{plan.id}/suggestions/", {"mode": "grow", "size": "benchmark"}
    )
    assert response.status_code == 400
    assert "employees served" in str(response.json()["size"])
