"""Benchmark: rebalancing suggestions for a 2,000-line plan on PostgreSQL, per mode.

Creates its own database (lnd_bench_rebal), migrates it, builds a training-centric plan of
2,000 lines (each on its own role; ~8% of roles split across bands, ~5% of lines locked,
a budget cap equal to today's cost and a compliance floor), and a 10-line plan to compare query
counts, then ANALYZEs (as autovacuum would). Then, per mode, it calls GET /api/v1/plans/{id}/suggestions/ through Django's test
client in process, so the time is the server's: routing, token auth, the database fetch, the
engine and the JSON rendering. Prints the median/min/max of N runs, the query counts and the
machine, then drops the database. Goal (issue 6): under 200 ms, same queries as 10 lines.

Then budget mode at every step in BUDGET_STEPS, with the budget cap at today's cost and at a
tight 80% of it (the target is then out of reach: the engine must prove the best reachable mix).

Last, the pathological inputs that made the exact search explode before the work limit (tight
budget, high compliance floor, headcount cap at half the FTE) at steps 0.1, 0.5 and 2: the time
and whether the search completed (`result.optimal`) or stopped at the limit.

    .venv/bin/python bench/bench_suggestions.py [--lines 2000] [--runs 15] [--step 0.5]
                                                [--sweep-runs 5] [--patho-runs 2]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/lnd_bench_rebal  (the default)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lnd_bench_rebal"
GOAL_MS = 200
BUDGET_STEPS = ("0.1", "0.5", "1", "2", "5")
TIGHT_BUDGET = "0.8"  # share of today's cost

from bench.support import recreate_database  # noqa: E402


def build_plan(organization, lines: int):
    """A training-centric plan: most FTE in formal disciplines, a few split or locked lines."""
    from decimal import Decimal

    from plans.models import Plan, PlanLine
    from plans.selectors import built_in_target_model
    from roles.models import Discipline, Role

    rng = random.Random(lines)
    by_band: dict[str, list] = {}
    for discipline in Discipline.objects.order_by("slug"):
        by_band.setdefault(discipline.band, []).append(discipline)
    roles = []
    for index in range(lines):
        band = rng.choices(["formal", "social", "experiential"], weights=[7, 1, 2])[0]
        roles.append(
            Role(
                organization=organization,
                title=f"Bench role {lines}-{index:04d}",
                discipline=rng.choice(by_band[band]),
                annual_cost=Decimal(rng.randrange(50_000, 110_000, 500)),
                band_split={"social": 40, "formal": 60} if rng.random() < 0.08 else {},
            )
        )
    roles = Role.objects.bulk_create(roles)
    plan = Plan.objects.create(
        organization=organization,
        name=f"Bench plan {lines}",
        target_model=built_in_target_model(),
        compliance_floor=Decimal(lines // 20),
    )
    fte_choices = [Decimal(v) for v in ("0.5", "1", "1", "1", "1.5", "2", "3")]
    PlanLine.objects.bulk_create(
        PlanLine(
            plan=plan,
            role=role,
            current_fte=(fte := rng.choice(fte_choices)),
            planned_fte=fte,
            locked=rng.random() < 0.05,
        )
        for role in roles
    )
    today = sum(line.planned_fte * line.role.annual_cost for line in plan.lines.all())
    plan.budget_cap = today
    plan.save(update_fields=["budget_cap"])
    return plan


def measure(client, url: str, runs: int) -> tuple[int, list[float], dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = len(captured)
    assert response.status_code == 200, response.content[:300]
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return queries, timings, response.json()


def budget_sweep(client, small, large, args) -> None:
    """Budget mode at every step, with the cap at today's cost and at a tight share of it."""
    from decimal import Decimal

    from plans.models import Plan

    today = large.budget_cap
    print(f"budget mode by step ({args.sweep_runs} runs each; cap = today's cost, then tight)")
    for label, cap in (
        ("cap today", today),
        (f"cap {TIGHT_BUDGET}x", today * Decimal(TIGHT_BUDGET)),
    ):
        Plan.objects.filter(pk=large.pk).update(budget_cap=cap)
        for step in BUDGET_STEPS:
            query = f"?mode=budget&step={step}"
            small_queries, _, _ = measure(
                client, f"/api/v1/plans/{small.id}/suggestions/{query}", 1
            )
            queries, timings, body = measure(
                client, f"/api/v1/plans/{large.id}/suggestions/{query}", args.sweep_runs
            )
            median = statistics.median(timings)
            verdict = "ok" if median < GOAL_MS and queries == small_queries else "OVER GOAL"
            summary, result = body["summary"], body["result"]
            reached = "reached" if result["target_reached"] else result["binding_constraint"]
            print(
                f"budget {label:10} step {step:>3}: median {median:6.1f} ms"
                f"  max {max(timings):6.1f}  queries {queries}"
                f"  score {summary['score_before']} -> {summary['score_after']} ({reached})"
                f"  [{verdict}]"
            )
    Plan.objects.filter(pk=large.pk).update(budget_cap=today)


PATHOLOGICAL_STEPS = ("0.1", "0.5", "2")


def pathological(client, large, args) -> None:
    """Inputs that make the exact search huge: the time and whether it completed."""
    from decimal import Decimal

    from plans.domain.scoring import band_totals
    from plans.models import Plan
    from plans.selectors import plan_line_inputs

    saved = Plan.objects.filter(pk=large.pk).values(
        "budget_cap", "compliance_floor", "headcount_cap"
    )[0]
    lines = plan_line_inputs([large.id])[large.id]
    fte = sum(line.planned_fte for line in lines)
    formal = band_totals(lines, "planned")[0]["formal"]
    today = saved["budget_cap"]
    high_floor = (formal * Decimal("0.9")).quantize(Decimal("0.1"))
    half = (fte / 2).quantize(Decimal("0.1"))
    cases = [
        ("budget", "budget 30% of today", {"budget_cap": today * Decimal("0.3")}),
        ("budget", "floor 90% of formal", {"compliance_floor": high_floor}),
        ("budget", "headcount cap fte/2", {"headcount_cap": half}),
        ("grow", "floor 90% of formal", {"compliance_floor": high_floor}),
        ("grow", "headcount cap fte/2", {"headcount_cap": half}),
        ("reassign", "floor 90% of formal", {"compliance_floor": high_floor}),
    ]
    print(
        f"pathological inputs ({args.patho_runs} runs each; work limit {rebalancing_limit()} units)"
    )
    for mode, label, fields in cases:
        Plan.objects.filter(pk=large.pk).update(**{**saved, **fields})
        for step in PATHOLOGICAL_STEPS:
            url = f"/api/v1/plans/{large.id}/suggestions/?mode={mode}&step={step}"
            _queries, timings, body = measure(client, url, args.patho_runs)
            summary, result = body["summary"], body["result"]
            print(
                f"{mode:8} {label:20} step {step:>3}: median {statistics.median(timings):7.1f} ms"
                f"  max {max(timings):7.1f}  score {summary['score_before']} -> "
                f"{summary['score_after']}  optimal {result['optimal']}"
            )
    Plan.objects.filter(pk=large.pk).update(**saved)


def rebalancing_limit() -> int:
    from plans.domain.rebalancing import WORK_LIMIT

    return WORK_LIMIT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--step", default="0.5")
    parser.add_argument("--sweep-runs", type=int, default=5, help="runs per budget sweep point")
    parser.add_argument("--patho-runs", type=int, default=2, help="runs per pathological case")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "l_and_d_planner.settings")
    try:
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connections
        from rest_framework.authtoken.models import Token
        from rest_framework.test import APIClient

        from bench.support import machine_description
        from roles.models import Membership, Organization

        call_command("migrate", verbosity=0)
        organization = Organization.objects.create(name="Bench", slug="bench")
        user = get_user_model().objects.create_user("bench-planner", password="x")
        Membership.objects.create(user=user, organization=organization, role="planner")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        small, large = build_plan(organization, 10), build_plan(organization, args.lines)
        with connections["default"].cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, as autovacuum keeps them in production

        print(f"Suggestions benchmark: GET /api/v1/plans/<id>/suggestions/, step {args.step}")
        print(f"machine: {machine_description()}")
        print(
            f"PostgreSQL {connections['default'].cursor().connection.server_version}; "
            f"{args.runs} runs each, in-process server time (test client)"
        )
        for mode in ("reassign", "grow", "budget"):
            query = f"?mode={mode}&step={args.step}"
            small_queries, _, _ = measure(
                client, f"/api/v1/plans/{small.id}/suggestions/{query}", 1
            )
            queries, timings, body = measure(
                client, f"/api/v1/plans/{large.id}/suggestions/{query}", args.runs
            )
            median = statistics.median(timings)
            verdict = "ok" if median < GOAL_MS and queries == small_queries else "OVER GOAL"
            summary = body["summary"]
            print(
                f"{mode:9} {args.lines} lines: median {median:6.1f} ms  min {min(timings):6.1f}"
                f"  max {max(timings):6.1f}  queries {queries} (10 lines: {small_queries})"
                f"  score {summary['score_before']} -> {summary['score_after']}"
                f"  actions {summary['actions']}  [{verdict}]"
            )
        budget_sweep(client, small, large, args)
        pathological(client, large, args)
        connections.close_all()
    finally:
        recreate_database(url, drop_only=True)


if __name__ == "__main__":
    main()
