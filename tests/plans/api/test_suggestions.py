"""API: suggestions, apply-suggestions and clone."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.domain.scoring import band_totals, score_column
from plans.models import Plan, PlanLine
from plans.selectors import plan_line_inputs, target_input
from plans.services.demo import TODAY_PLAN, demo_load
from tests.conftest import api_client_for
from tests.factories import OrganizationFactory, PlanFactory, RoleFactory, shared_role

pytestmark = pytest.mark.django_db
D = Decimal


def plan_with(organization, rows, **fields):
    plan = PlanFactory(organization=organization, **fields)
    for title, planned, *locked in rows:
        PlanLine.objects.create(
            plan=plan,
            role=shared_role(title),
            current_fte=D(planned),
            planned_fte=D(planned),
            locked=bool(locked),
        )
    return plan


TRAINING = [("Trainer", "5"), ("Instructional Designer", "4"), ("Knowledge Manager", "1")]


def url(plan, what="suggestions"):
    return f"/api/v1/plans/{plan.id}/{what}/"


def test_suggestions_answer_actions_summary_and_the_resulting_column(planner_client, organization):
    plan = plan_with(organization, TRAINING)
    response = planner_client.get(url(plan), {"mode": "reassign", "step": "0.5", "aim": "best"})
    assert response.status_code == 200
    body = response.json()
    assert body["mode"] == "reassign" and body["aim"] == "best"
    assert body["result"]["score"] == 100.0
    assert body["result"]["optimal"] is True
    assert body["result"]["total_fte"] == 10.0
    assert body["result"]["target_reached"] is True
    assert body["result"]["binding_constraint"] is None
    assert {band["band"] for band in body["result"]["bands"]} == {
        "experiential",
        "social",
        "formal",
    }
    action = next(a for a in body["actions"] if a["role_title"] == "Knowledge Manager")
    assert action == {
        **action,
        "band": "experiential",
        "from_fte": 1.0,
        "to_fte": 7.0,
        "delta": 6.0,
        "cost_delta": 510000.0,
        "delta_text": "+6.0",
        "cost_delta_text": "+510,000",
        "reason": "Experiential is 60 points under its target.",
        "new_line": False,
    }
    assert body["summary"]["score_before"] == 11.1
    assert body["summary"]["fte_added"] == body["summary"]["fte_removed"] == 8.0
    assert body["summary"]["currency"] == "EUR"


def test_unreachable_targets_answer_the_best_result_and_the_binding_constraint(
    planner_client, organization
):
    plan = plan_with(organization, [("Trainer", "9", True), ("Knowledge Manager", "1")])
    body = planner_client.get(url(plan)).json()
    assert body["actions"] == []
    assert body["result"]["target_reached"] is False
    assert body["result"]["binding_constraint"] == "locked_lines"


@pytest.mark.parametrize(
    "params, field",
    [
        ({"mode": "shuffle"}, "mode"),
        ({"step": "0"}, "step"),
        ({"step": "0.25"}, "step"),
        ({"step": "7"}, "step"),
        ({"step": "lots"}, "step"),
        ({"mode": "budget"}, "mode"),  # the plan has no budget cap
        ({"aim": "perfect"}, "aim"),
        ({"mode": "grow", "grow_to": "-1"}, "grow_to"),
        ({"mode": "grow", "grow_to": "lots"}, "grow_to"),
    ],
)
def test_bad_parameters_answer_400_with_the_field(planner_client, organization, params, field):
    plan = plan_with(organization, TRAINING)
    response = planner_client.get(url(plan), params)
    assert response.status_code == 400
    assert field in response.json()


def test_foreign_plans_are_404_and_viewers_cannot_post(
    outsider_client, viewer_client, organization
):
    plan = plan_with(organization, TRAINING)
    for what in ("suggestions",):
        assert outsider_client.get(url(plan, what)).status_code == 404
    for what in ("apply-suggestions", "clone"):
        assert outsider_client.post(url(plan, what), {}, format="json").status_code == 404
        assert viewer_client.post(url(plan, what), {}, format="json").status_code == 403
    assert viewer_client.get(url(plan)).status_code == 200
    assert Plan.objects.count() == 1


def test_apply_creates_a_draft_scenario_and_leaves_the_original(planner_client, organization):
    plan = plan_with(organization, TRAINING, budget_cap=D("700000"), status="approved")
    before = list(plan.lines.values_list("role__title", "planned_fte"))
    response = planner_client.post(
        url(plan, "apply-suggestions"), {"mode": "budget", "step": "1"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    scenario = Plan.objects.get(pk=body["id"])
    assert body["source_plan"] == plan.id and body["status"] == "draft"
    assert scenario.budget_cap == plan.budget_cap
    assert list(plan.lines.values_list("role__title", "planned_fte")) == before
    lines = plan_line_inputs([scenario.id])[scenario.id]
    column = score_column(lines, target_input(scenario.target_model), "planned")
    assert column.cost <= D("700000")
    assert (
        column.score
        > score_column(
            plan_line_inputs([plan.id])[plan.id], target_input(plan.target_model), "planned"
        ).score
    )
    suggested = planner_client.get(url(plan), {"mode": "budget", "step": "1"}).json()
    assert float(column.score) == suggested["result"]["score"]
    # the new roles start at 0 FTE today; history records every line
    assert all(line.history.count() == 1 for line in scenario.lines.all())


def test_clone_copies_settings_and_lines(planner_client, organization):
    plan = plan_with(organization, TRAINING, headcount_cap=D("12"))
    response = planner_client.post(url(plan, "clone"), {"name": "Copy A"}, format="json")
    assert response.status_code == 201
    copy = Plan.objects.get(pk=response.json()["id"])
    assert copy.name == "Copy A" and copy.source_plan == plan and copy.headcount_cap == D("12")
    assert sorted(copy.lines.values_list("role__title", "planned_fte", "current_fte")) == sorted(
        plan.lines.values_list("role__title", "planned_fte", "current_fte")
    )
    assert planner_client.post(url(plan, "clone"), {"name": ""}, format="json").status_code == 400


def test_suggestions_take_the_same_queries_at_10_and_400_lines(
    planner_client, organization, django_assert_max_num_queries
):
    def build(count):
        plan = PlanFactory(organization=organization)
        roles = RoleFactory.create_batch(count, organization=organization)
        PlanLine.objects.bulk_create(
            PlanLine(plan=plan, role=role, current_fte=D(1), planned_fte=D(1)) for role in roles
        )
        return plan

    small = build(10)
    with CaptureQueriesContext(connection) as context:
        assert planner_client.get(url(small), {"mode": "grow"}).status_code == 200
    baseline = len(context.captured_queries)
    large = build(400)
    for mode in ("reassign", "grow"):
        with django_assert_max_num_queries(baseline):
            response = planner_client.get(url(large), {"mode": mode})
        assert response.status_code == 200
    assert baseline <= 6


@pytest.mark.parametrize("mode", ["reassign", "grow", "budget"])
def test_demo_training_centric_plan_improves_and_keeps_every_constraint(mode):
    demo = demo_load()
    plan = next(p for p in demo["plans"] if p.name == TODAY_PLAN)
    client = api_client_for(demo["organization"].memberships.get(role="planner").user)
    plan.budget_cap = D("800000")
    plan.headcount_cap = D("40")
    plan.compliance_floor = D("1.5")
    plan.lines.filter(role__title="Knowledge Manager").update(locked=True)
    plan.save()
    target = target_input(plan.target_model)
    original = plan_line_inputs([plan.id])[plan.id]
    before = score_column(original, target, "planned")
    response = client.post(url(plan, "apply-suggestions"), {"mode": mode}, format="json")
    assert response.status_code == 201
    scenario = Plan.objects.get(pk=response.json()["id"])
    lines = plan_line_inputs([scenario.id])[scenario.id]
    after = score_column(lines, target, "planned")
    assert after.score >= before.score
    assert after.score > before.score  # and really better for this plan
    total = sum(line.planned_fte for line in lines)
    assert total <= plan.headcount_cap
    assert band_totals(lines, "planned")[0]["formal"] >= plan.compliance_floor
    locked = {line.role_id: line.planned_fte for line in original if line.locked}
    assert {line.role_id: line.planned_fte for line in lines if line.role_id in locked} == locked
    assert all(line.planned_fte >= 0 for line in lines)
    if mode == "reassign":
        assert total == sum(line.planned_fte for line in original)
    if mode == "budget":
        assert after.cost <= plan.budget_cap
    changes = {line.role_id: line.planned_fte for line in lines}
    for line in original:
        assert (changes[line.role_id] - line.planned_fte) % D("0.5") == 0


def test_the_default_aim_is_the_least_change_within_tolerance(planner_client, organization):
    plan = plan_with(organization, TRAINING)
    least = planner_client.get(url(plan)).json()
    best = planner_client.get(url(plan), {"aim": "best"}).json()
    assert least["aim"] == "tolerance" and least["result"]["optimal"] is True
    assert least["result"]["target_reached"] is True
    assert least["summary"]["fte_removed"] == 7.5 < best["summary"]["fte_removed"] == 8.0
    assert least["result"]["score"] == 94.4
    # 7.5 of 10 planned FTE leave formal and 7.5 join the others: both warnings
    assert [w["code"] for w in least["warnings"]] == ["removes_much", "adds_much"]
    assert "7.5 FTE of 10.0 FTE" in least["warnings"][0]["message"]


def test_grow_to_makes_the_grown_plan_reach_the_total(planner_client, organization):
    plan = plan_with(organization, TRAINING)
    body = planner_client.get(url(plan), {"mode": "grow", "grow_to": "71.2"}).json()
    assert body["summary"]["fte_after"] == 71.5
    assert body["result"]["target_reached"] is True
    assert {w["code"] for w in body["warnings"]} == {"adds_much"}
    posted = planner_client.post(
        url(plan),
        {"mode": "grow", "grow_to": "71.2", "lines": screen_rows(plan)},
        format="json",
    ).json()
    assert posted["summary"]["fte_after"] == 71.5


def screen_rows(plan, **changes):
    return [
        {
            "role": line.role_id,
            "planned_fte": str(changes.get(line.role.title, line.planned_fte)),
            "locked": line.locked,
        }
        for line in plan.lines.select_related("role").order_by("id")
    ]


def test_post_suggests_for_the_values_on_screen_and_stores_nothing(
    planner_client, viewer_client, organization
):
    plan = plan_with(organization, TRAINING)
    version = plan.version
    rows = screen_rows(plan, Trainer="1", **{"Instructional Designer": "1"})
    rows.append({"role": shared_role("Community Manager").id, "planned_fte": 2, "locked": True})
    response = viewer_client.post(url(plan), {"mode": "reassign", "lines": rows}, format="json")
    assert response.status_code == 200
    body = response.json()
    # on screen: 1 + 1 formal, 1 experiential, 2 social (locked): 5 FTE, not the saved 10
    assert body["summary"]["fte_before"] == 5.0
    assert (
        body["summary"]["score_before"]
        != planner_client.get(url(plan)).json()["summary"]["score_before"]
    )
    assert all(a["role_title"] != "Community Manager" for a in body["actions"])
    plan.refresh_from_db()
    assert plan.version == version and plan.lines.count() == 3


@pytest.mark.parametrize(
    "lines, reason",
    [
        ("nope", "Send a list"),
        ([{"role": 999999, "planned_fte": 1, "locked": False}], "lines[0].role: not a role"),
        ([{"role": "x", "planned_fte": 1}], "lines[0].role"),
        ([{"role": 1, "planned_fte": -1}], "lines[0].planned_fte"),
        ([{"role": 1, "planned_fte": "0.25"}], "lines[0].planned_fte: use steps of 0.1"),
        ([{"role": 1, "planned_fte": "NaN"}], "lines[0].planned_fte"),
        ([{"role": 1, "planned_fte": 1, "locked": "yes"}], "lines[0].locked"),
        ([{"role": 1, "planned_fte": 1}, {"role": 1, "planned_fte": 2}], "listed twice"),
        ([{"role": 1, "planned_fte": 1}] * 5001, "at most 5000"),
    ],
)
def test_post_answers_400_with_the_row_and_field(planner_client, organization, lines, reason):
    plan = plan_with(organization, TRAINING)
    response = planner_client.post(url(plan), {"lines": lines}, format="json")
    assert response.status_code == 400
    assert reason in " ".join(response.json()["lines"])


def test_post_refuses_a_role_of_another_organization(planner_client, organization):
    plan = plan_with(organization, TRAINING)
    foreign = RoleFactory(organization=OrganizationFactory())  # another organization's role
    rows = [*screen_rows(plan), {"role": foreign.id, "planned_fte": "1", "locked": False}]
    response = planner_client.post(url(plan), {"lines": rows}, format="json")
    assert response.status_code == 400
    assert "not a role of this plan's catalog" in response.json()["lines"][0]


def test_post_takes_the_same_queries_at_10_and_400_rows(
    planner_client, organization, django_assert_max_num_queries
):
    def build(count):
        plan = PlanFactory(organization=organization)
        roles = RoleFactory.create_batch(count, organization=organization)
        PlanLine.objects.bulk_create(
            PlanLine(plan=plan, role=role, current_fte=D(1), planned_fte=D(1)) for role in roles
        )
        extra = RoleFactory(organization=organization)
        rows = [{"role": r.id, "planned_fte": "2", "locked": False} for r in roles]
        return plan, [*rows, {"role": extra.id, "planned_fte": "1", "locked": False}]

    small, rows = build(10)
    with CaptureQueriesContext(connection) as context:
        assert planner_client.post(url(small), {"lines": rows}, format="json").status_code == 200
    baseline = len(context.captured_queries)
    large, rows = build(400)
    with django_assert_max_num_queries(baseline):
        response = planner_client.post(url(large), {"lines": rows}, format="json")
    assert response.status_code == 200
    assert baseline <= 8


def test_apply_with_the_rows_on_screen_creates_exactly_what_was_shown(planner_client, organization):
    plan = plan_with(organization, TRAINING, budget_cap=D("600000"))
    rows = screen_rows(plan, Trainer="3")
    shown = planner_client.post(
        url(plan), {"mode": "budget", "step": "0.5", "lines": rows}, format="json"
    ).json()
    response = planner_client.post(
        url(plan, "apply-suggestions"),
        {"mode": "budget", "step": "0.5", "lines": rows},
        format="json",
    )
    assert response.status_code == 201
    scenario = Plan.objects.get(pk=response.json()["id"])
    planned = dict(scenario.lines.values_list("role_id", "planned_fte"))
    for action in shown["actions"]:
        assert planned[action["role"]] == D(str(action["to_fte"]))
    lines = plan_line_inputs([scenario.id])[scenario.id]
    column = score_column(lines, target_input(scenario.target_model), "planned")
    assert float(column.score) == shown["result"]["score"]
    assert float(column.cost) == shown["summary"]["cost_after"] <= 600000


def test_budget_mode_brings_a_plan_over_its_cap_under_it_with_the_least_change(
    planner_client, organization
):
    plan = plan_with(organization, TRAINING)
    cost = sum(line.planned_fte * line.role.annual_cost for line in plan.lines.all())
    plan.budget_cap = cost - D("20000")
    plan.save()
    body = planner_client.get(url(plan), {"mode": "budget"}).json()
    assert body["summary"]["cost_after"] <= float(plan.budget_cap)
    cut = next(a for a in body["actions"] if a["delta"] < 0)
    assert cut["reason"].startswith("Budget cap") or "over its target" in cut["reason"]
