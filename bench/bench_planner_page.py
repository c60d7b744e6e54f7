"""Benchmark the planner page for a 200-line plan on PostgreSQL: query count and server time.

Creates its own database (lnd_bench_web), migrates it, builds a plan with 200 lines (each on its
own role), then requests the planner page (GET) and the live preview (POST of the whole table)
through Django's test client, in process, so the time is the server's: URL routing, middleware,
queries, scoring, the SVG chart and template rendering. Prints the median of N runs and the
machine, then drops the database.

    .venv/bin/python bench/bench_planner_page.py [--lines 200] [--runs 30]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/lnd_bench_web  (the default)
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lnd_bench_web"

from bench.support import cpu_model, recreate_database  # noqa: E402


def build_plan(lines: int, suffix: str):
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from plans.models import Plan, PlanLine
    from plans.selectors import built_in_target_model
    from roles.models import Discipline, Membership, Organization, Role

    organization = Organization.objects.create(name=f"Bench {suffix}", slug=f"bench-{suffix}")
    user = get_user_model().objects.create_user(f"bench-planner-{suffix}", password="x")
    Membership.objects.create(user=user, organization=organization, role="planner")
    disciplines = list(Discipline.objects.order_by("slug"))
    roles = Role.objects.bulk_create(
        Role(
            organization=organization,
            title=f"Bench role {index:03d}",
            discipline=disciplines[index % len(disciplines)],
            annual_cost=Decimal(60000 + index * 100),
            band_split={"social": 40, "formal": 60} if index % 9 == 0 else {},
        )
        for index in range(lines)
    )
    plan = Plan.objects.create(
        organization=organization, name="Bench plan", target_model=built_in_target_model()
    )
    PlanLine.objects.bulk_create(
        PlanLine(
            plan=plan,
            role=role,
            current_fte=Decimal(index % 5),
            planned_fte=Decimal(index % 3) + Decimal("0.5"),
        )
        for index, role in enumerate(roles)
    )
    return user, plan


def table_post_data(plan) -> dict:
    lines = list(plan.lines.order_by("id"))
    data = {
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": str(len(lines)),
        "version": str(plan.version),
    }
    for index, line in enumerate(lines):
        data[f"lines-{index}-role"] = str(line.role_id)
        data[f"lines-{index}-current_fte"] = str(line.current_fte)
        data[f"lines-{index}-planned_fte"] = str(line.planned_fte + 1)
    return data


def measure(client, method: str, url: str, data: dict, runs: int) -> tuple[int, list[float]]:
    """Query count of one request, and the wall time of `runs` more, in milliseconds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    send = getattr(client, method)
    send(url, data)  # warm up: templates, session, connection
    with CaptureQueriesContext(connection) as captured:
        response = send(url, data)
    query_count = len(captured)  # read now: later requests reset the connection's query log
    assert response.status_code == 200, response.status_code
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = send(url, data)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return query_count, timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "l_and_d_planner.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections
        from django.test import Client
        from django.urls import reverse

        call_command("migrate", verbosity=0)
        results = []
        for count in (5, args.lines):
            user, plan = build_plan(count, suffix=str(count))
            client = Client()
            client.force_login(user)
            detail = reverse("plans:detail", args=[plan.pk])
            preview = reverse("plans:preview", args=[plan.pk])
            data = table_post_data(plan)
            results.append(
                (f"GET planner page, {count} lines", *measure(client, "get", detail, {}, args.runs))
            )
            results.append(
                (
                    f"POST live preview, {count} lines",
                    *measure(client, "post", preview, data, args.runs),
                )
            )
        print(f"Planner page benchmark ({args.runs} runs each, in-process server time)")
        print(
            f"machine: {platform.platform()}; CPU: {cpu_model()}; cores: {os.cpu_count()}; "
            f"Python {platform.python_version()}; "
            f"PostgreSQL {connections['default'].cursor().connection.server_version}"
        )
        for label, queries, timings in results:
            print(
                f"{label:32} queries: {queries:3d}   median {statistics.median(timings):7.1f} ms"
                f"   min {min(timings):7.1f} ms   max {max(timings):7.1f} ms"
            )
        connections.close_all()
    finally:
        recreate_database(url, drop_only=True)


if __name__ == "__main__":
    main()
