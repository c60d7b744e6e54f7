"""Benchmark: rebalancing suggestions for a 2,000-line plan on PostgreSQL, every case.

Creates its own database (lnd_bench_rebal), migrates it, builds a training-centric plan of
2,000 lines (each on its own role; ~8% of roles split across bands, ~5% of lines locked,
a budget cap equal to today's cost and a compliance floor), and a 10-line plan to compare query
counts, then ANALYZEs (as autovacuum would). Each case calls GET /api/v1/plans/{id}/suggestions/
through Django's test client in process, so the time is the server's: routing, token auth, the
database fetch, the engine and the JSON rendering. Goal (issue 13): every case under 200 ms and
`optimal` true, the same queries as 10 lines.

Cases, each for both aims (tolerance, best):
- every mode at every step of STEPS;
- budget mode with the cap at today's cost and at 80% of it, at every step;
- the pathological inputs (budget at 30% of today's cost, a compliance floor at 90% of formal,
  a headcount cap at half the FTE) at steps 0.1, 0.5 and 2 in the modes they apply to.

It prints one table: case, mode, aim, step, median and min wall time, median CPU time of the
process (what the request itself used: on a shared machine other processes stretch wall time),
queries, score before -> after, `optimal`, and the verdict; then drops the database.

    .venv/bin/python bench/bench_suggestions.py [--lines 2000] [--runs 5]
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


def measure(client, url: str, runs: int) -> tuple[int, list[float], list[float], dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = len(captured)
    assert response.status_code == 200, response.content[:300]
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return queries, wall, cpu, response.json()


STEPS = ("0.1", "0.5", "1", "2", "5")
PATHOLOGICAL_STEPS = ("0.1", "0.5", "2")
AIMS = ("tolerance", "best")
HEADER = (
    f"{'case':26} {'mode':8} {'aim':9} {'step':>4} {'median':>8} {'min':>8} {'cpu':>7}"
    f" {'queries':>7}  {'score':>14}  {'optimal':7}  verdict"
)


def cases(large):
    """(label, mode, plan fields, steps) of every case."""
    from decimal import Decimal

    from plans.domain.scoring import band_totals
    from plans.selectors import plan_line_inputs

    lines = plan_line_inputs([large.id])[large.id]
    fte = sum(line.planned_fte for line in lines)
    formal = band_totals(lines, "planned")[0]["formal"]
    today = large.budget_cap
    high_floor = (formal * Decimal("0.9")).quantize(Decimal("0.1"))
    half = (fte / 2).quantize(Decimal("0.1"))
    rows = [(f"plain ({mode})", mode, {}, STEPS) for mode in ("reassign", "grow", "budget")]
    rows.append(
        ("budget cap 80% of today", "budget", {"budget_cap": today * Decimal("0.8")}, STEPS)
    )
    patho = [
        ("budget cap 30% of today", ("budget",), {"budget_cap": today * Decimal("0.3")}),
        ("floor 90% of formal", ("budget", "grow", "reassign"), {"compliance_floor": high_floor}),
        ("headcount cap fte/2", ("budget", "grow"), {"headcount_cap": half}),
    ]
    for label, modes, fields in patho:
        for mode in modes:
            rows.append((label, mode, fields, PATHOLOGICAL_STEPS))
    return rows


def run_cases(client, small, large, args) -> list[dict]:
    """Every case: one printed row each; returns the rows."""
    from plans.models import Plan

    saved = Plan.objects.filter(pk=large.pk).values(
        "budget_cap", "compliance_floor", "headcount_cap"
    )[0]
    small_queries = {}
    results = []
    print(HEADER)
    for label, mode, fields, steps in cases(large):
        Plan.objects.filter(pk=large.pk).update(**{**saved, **fields})
        for aim in AIMS:
            for step in steps:
                query = f"?mode={mode}&step={step}&aim={aim}"
                if mode not in small_queries:
                    small_queries[mode], _, _, _ = measure(
                        client, f"/api/v1/plans/{small.id}/suggestions/{query}", 1
                    )
                queries, wall, cpu, body = measure(
                    client, f"/api/v1/plans/{large.id}/suggestions/{query}", args.runs
                )
                summary, result = body["summary"], body["result"]
                median = statistics.median(wall)
                ok = (
                    median < GOAL_MS
                    and result["optimal"] is True
                    and queries <= small_queries[mode]
                )
                row = {
                    "case": label,
                    "mode": mode,
                    "aim": aim,
                    "step": step,
                    "median": median,
                    "max": max(wall),
                    "min": min(wall),
                    "cpu": statistics.median(cpu),
                    "queries": queries,
                    "optimal": result["optimal"],
                    "verdict": "ok" if ok else "OVER GOAL",
                }
                results.append(row)
                score = f"{summary['score_before']} -> {summary['score_after']}"
                print(
                    f"{label:26} {mode:8} {aim:9} {step:>4} {median:6.1f}ms {min(wall):6.1f}ms"
                    f" {row['cpu']:5.1f}ms {queries:>7}  {score:>14}  {str(result['optimal']):7}"
                    f"  {row['verdict']}"
                )
    Plan.objects.filter(pk=large.pk).update(**saved)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per case (median)")
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

        print(f"Suggestions benchmark: GET /api/v1/plans/<id>/suggestions/, {args.lines} lines")
        print(f"machine: {machine_description()}")
        print(
            f"PostgreSQL {connections['default'].cursor().connection.server_version}; "
            f"{args.runs} runs a case, in-process server time (test client); goal {GOAL_MS} ms"
        )
        results = run_cases(client, small, large, args)
        over = [row for row in results if row["verdict"] != "ok"]
        slowest = max(results, key=lambda row: row["median"])
        print(
            f"{len(results)} cases; all optimal: {all(r['optimal'] for r in results)}; "
            f"over goal: {len(over)}; slowest median {slowest['median']:.1f} ms "
            f"({slowest['case']}, {slowest['mode']}, {slowest['aim']}, step {slowest['step']}); "
            f"max CPU {max(r['cpu'] for r in results):.1f} ms; "
            f"slowest min {max(r['min'] for r in results):.1f} ms"
        )
        connections.close_all()
    finally:
        recreate_database(url, drop_only=True)


if __name__ == "__main__":
    main()
