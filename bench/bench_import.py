"""Benchmark: import 10,000-row catalog and plan files from CSV and XLSX, all or nothing.

Run from the project root:

    .venv/bin/python bench/bench_import.py            # PostgreSQL database lnd_bench_io
    BENCH_DATABASE_URL=postgres://... .venv/bin/python bench/bench_import.py
    .venv/bin/python bench/bench_import.py --rows 1000 --repeats 1 --database-url postgres://...

It creates (and migrates) its own database, then for each format times:
  * a catalog import of 10,000 new roles into an empty organization catalog;
  * a plan import of 10,000 lines (against those 10,000 roles) into an empty plan;
  * the same plan file imported again (nothing changes: no writes, no version bump).
Each time covers reading, validating every row and writing in one transaction (with the
history rows). The goals (issue 7): under 2 s from CSV and under 4 s from XLSX.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import cpu_model  # noqa: E402


def parse_arguments() -> argparse.Namespace:
    """Options; each defaults to its environment variable, then to the issue's benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lnd_bench_io"
        ),
        help="Database to create (if missing), migrate and write to (BENCH_DATABASE_URL).",
    )
    parser.add_argument(
        "--rows",
        type=int,
        default=int(os.environ.get("BENCH_ROWS", "10000")),
        help="Rows per file (BENCH_ROWS; default 10,000).",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=int(os.environ.get("BENCH_REPEATS", "3")),
        help="Runs of each case; best and median are shown (BENCH_REPEATS; default 3).",
    )
    return parser.parse_args()


ARGUMENTS = parse_arguments()
DATABASE_URL = ARGUMENTS.database_url
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "l_and_d_planner.settings")
os.environ.setdefault("DEBUG", "0" if os.environ.get("SECRET_KEY") else "1")

ROWS = ARGUMENTS.rows
GOALS = {"csv": 2.0, "xlsx": 4.0}
REPEATS = ARGUMENTS.repeats


def ensure_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database if it is not there."""
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        return
    connection = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or "postgres",
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or "127.0.0.1",
        port=config.get("PORT") or 5432,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    connection.close()


def machine_info() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version") if connection.vendor == "postgresql" else None
        server = cursor.fetchone()[0] if connection.vendor == "postgresql" else connection.vendor
    return (
        f"{platform.platform()} · Python {platform.python_version()} · CPU {cpu_model()} · "
        f"{os.cpu_count()} cores · {connection.vendor} {server}"
    )


def catalog_rows(count: int) -> list[list]:
    disciplines = ["coaching-mentoring", "Knowledge management", "training-delivery"]
    return [
        [
            f"Bench role {number:05d}",
            disciplines[number % 3],
            70000 + number,
            "",
            "",
            "",
            f"Role number {number}",
            "yes",
        ]
        for number in range(count)
    ]


def plan_rows(count: int) -> list[list]:
    return [
        [f"bench ROLE {number:05d} ", (number % 50) / 10, (number % 70) / 10, "no", ""]
        for number in range(count)
    ]


def files(header: list[str], rows: list[list]) -> dict[str, bytes]:
    from l_and_d_planner.tabular import csv_bytes, xlsx_bytes

    return {"csv": csv_bytes(header, rows), "xlsx": xlsx_bytes([("Sheet1", header, rows)])}


def timed(function, **kwargs):
    start = time.perf_counter()
    result = function(**kwargs)
    return time.perf_counter() - start, result


def load_average() -> str:
    try:
        return " / ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def main() -> int:
    ensure_database(DATABASE_URL)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)

    from plans.models import Plan
    from plans.services.imports import plan_import
    from plans.services.plans import plan_create
    from roles.models import Organization, Role
    from roles.services import role_import

    print(f"Machine: {machine_info()}")
    print(f"Database: {DATABASE_URL}")
    print(f"Rows per file: {ROWS:,}\n")

    catalog_header = [
        "title",
        "discipline",
        "annual_cost",
        "experiential_percent",
        "social_percent",
        "formal_percent",
        "description",
        "active",
    ]
    catalog_files = files(catalog_header, catalog_rows(ROWS))
    plan_files = files(["role", "current_fte", "planned_fte", "locked", "note"], plan_rows(ROWS))
    timings: dict[tuple[str, str], list[float]] = {}
    sizes: dict[str, float] = {}
    user, _ = get_user_model().objects.get_or_create(username="bench-importer")
    for _ in range(REPEATS):
        for as_format in ("csv", "xlsx"):
            slug = f"bench-{as_format}"
            Plan.objects.filter(organization__slug=slug).delete()
            Role.objects.filter(organization__slug=slug).delete()
            Organization.objects.filter(slug=slug).delete()
            organization = Organization.objects.create(name=f"Bench {as_format}", slug=slug)
            plan = plan_create(organization=organization, name=f"Bench plan {as_format}")
            name = f"bench.{as_format}"
            catalog, lines = catalog_files[as_format], plan_files[as_format]
            sizes[f"catalog {as_format}"] = len(catalog) / 1024
            sizes[f"plan {as_format}"] = len(lines) / 1024
            seconds, summary = timed(
                role_import, organization=organization, filename=name, content=catalog, user=user
            )
            assert summary.created == ROWS, summary
            timings.setdefault((as_format, "catalog"), []).append(seconds)
            seconds, summary = timed(
                plan_import, plan=plan, filename=name, content=lines, user=user
            )
            assert summary.created == ROWS, summary
            timings.setdefault((as_format, "plan"), []).append(seconds)
            version = plan.version
            seconds, summary = timed(
                plan_import, plan=plan, filename=name, content=lines, user=user
            )
            assert summary.unchanged == ROWS and plan.version == version, summary
            timings.setdefault((as_format, "again"), []).append(seconds)
    labels = {
        "catalog": f"catalog, {ROWS:,} new roles",
        "plan": f"plan, {ROWS:,} new lines",
        "again": "plan, same file again (no change)",
    }
    print(f"Load average during the run (1/5/15 min): {load_average()}")
    print(f"Best and median of {REPEATS} runs, each read + validate + write + commit:\n")
    failures = 0
    for (as_format, kind), values in timings.items():
        best, median = min(values), statistics.median(values)
        goal = GOALS[as_format]
        verdict = "ok" if best < goal else "OVER GOAL"
        failures += best >= goal
        size = sizes[f"{'catalog' if kind == 'catalog' else 'plan'} {as_format}"]
        print(
            f"{as_format.upper():4} {labels[kind]:36} {size:5.0f} KB  best {best:5.2f} s  "
            f"median {median:5.2f} s  (goal < {goal:.0f} s: {verdict})"
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
