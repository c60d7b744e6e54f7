"""Benchmark `GET /api/v1/plans/{id}/score/` on PostgreSQL.

1. Server time and query count of the score endpoint for a 1-line and a 2,000-line plan
   (in-process through the whole Django stack, median of repeated requests).
2. Requests per second of the score endpoint (12-line demo plan and the 2,000-line plan) against
   a bare Django JsonResponse view, served by gunicorn with 2 workers, each loaded by wrk for
   10 seconds on 127.0.0.1.

Usage: .venv/bin/python bench/bench_score.py   (PG_URL overrides the server,
default postgres://postgres@127.0.0.1:5432; it creates and drops the database lnd_bench_score).
"""

import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "lnd_bench_score"
DATABASE_URL = f"{PG_URL}/{DB_NAME}"
SECRET = secrets.token_urlsafe(64)


def setup_django() -> None:
    # Production settings (DEBUG off, as under gunicorn below), reachable as http://testserver.
    os.environ.update(
        DATABASE_URL=DATABASE_URL,
        DJANGO_SETTINGS_MODULE="bench.bench_settings",
        DEBUG="0",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="testserver,127.0.0.1",
        SECURE_SSL_REDIRECT="0",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_data():
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from plans.models import Plan, PlanLine
    from plans.selectors import built_in_target_model
    from plans.services.demo import demo_load
    from roles.models import Discipline, Membership, Role

    demo = demo_load()
    organization = demo["organization"]
    user = get_user_model().objects.get(username="planner")
    token, _ = Token.objects.get_or_create(user=user)
    disciplines = list(Discipline.objects.all())
    roles = Role.objects.bulk_create(
        Role(
            organization=organization,
            title=f"Bench role {i}",
            discipline=disciplines[i % len(disciplines)],
            annual_cost=Decimal(50000 + i),
            band_split={"social": 50, "formal": 50} if i % 7 == 0 else {},
        )
        for i in range(2000)
    )
    target = built_in_target_model()
    large = Plan.objects.create(organization=organization, name="Bench 2000", target_model=target)
    PlanLine.objects.bulk_create(
        PlanLine(
            plan=large,
            role=role,
            current_fte=Decimal(i % 30) / 10,
            planned_fte=Decimal((i * 7) % 40) / 10,
        )
        for i, role in enumerate(roles)
    )
    small = Plan.objects.create(organization=organization, name="Bench 1", target_model=target)
    PlanLine.objects.create(plan=small, role=roles[0], current_fte=1, planned_fte=2)
    assert Membership.objects.filter(user=user, organization=organization).exists()
    # As autovacuum would soon after a bulk load: planner statistics for the new rows.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return token.key, small, large, demo["plans"][0]


def in_process(token: str, plan_id: int, runs: int = 200) -> tuple[float, int, float]:
    """Median and p95 server time (ms) and the query count of one score request."""
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    url = f"/api/v1/plans/{plan_id}/score/"
    for _ in range(5):
        assert client.get(url).status_code == 200
    queries = []

    def count_query(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count_query):
        client.get(url)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    timings.sort()
    return (
        statistics.median(timings),
        timings[int(len(timings) * 0.95) - 1],
        len(queries),
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*prefix, "apt-get", "install", "-y", "-qq", "wrk"], check=True)
    return shutil.which("wrk")


def wrk_rps(wrk: str, url: str, token: str, seconds: int = 10) -> tuple[float, str]:
    output = subprocess.run(
        [wrk, "-t2", "-c16", f"-d{seconds}s", "-H", f"Authorization: Token {token}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    latency = re.search(r"Latency\s+(\S+)", output).group(1)
    return rps, f"avg latency {latency}" + (f", NON-2xx: {errors.group(1)}" if errors else "")


def main() -> None:
    from bench.support import machine_description, recreate_database

    print(f"machine: {machine_description()}")
    recreate_database(DATABASE_URL)
    setup_django()
    token, small, large, demo_plan = build_data()

    print("\n== score endpoint, in-process (Django test client, whole stack, PostgreSQL)")
    for label, plan in (("1-line plan", small), ("2,000-line plan", large)):
        median, p95, queries = in_process(token, plan.id)
        print(f"{label:16} median {median:6.2f} ms   p95 {p95:6.2f} ms   {queries} queries")

    print("\n== throughput: gunicorn, 2 workers, wrk -t2 -c16, 10 s each, 127.0.0.1")
    wrk = ensure_wrk()
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=DATABASE_URL,
        DJANGO_SETTINGS_MODULE="bench.bench_settings",
        DEBUG="0",
        SECRET_KEY=SECRET,
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "l_and_d_planner.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        results = {}
        for label, path in (
            ("bare JsonResponse", "/bench/bare/"),
            (
                f"score, demo plan ({demo_plan.lines.count()} lines)",
                f"/api/v1/plans/{demo_plan.id}/score/",
            ),
            ("score, 2,000-line plan", f"/api/v1/plans/{large.id}/score/"),
        ):
            rps, note = wrk_rps(wrk, base + path, token)
            results[label] = rps
            print(f"{label:32} {rps:9.1f} req/s   ({note})")
        bare = results["bare JsonResponse"]
        for label, rps in results.items():
            if label != "bare JsonResponse":
                print(f"{label:32} {rps / bare:6.1%} of the bare view")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
