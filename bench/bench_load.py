"""Benchmark: a busy team for 60 s against gunicorn (2 workers) on PostgreSQL, then a check that
every acknowledged write is in the database.

Run from the project root:

    .venv/bin/python bench/bench_load.py                       # 60 s, the default mix
    .venv/bin/python bench/bench_load.py --seconds 30 --planners 4 --think-ms 50
    BENCH_DATABASE_URL=postgres://... CACHE_URL=redis://127.0.0.1:6379/14 .venv/bin/python ...

It creates (and migrates) its own database `lnd_bench_load`, seeds an organization with one
plan of 20 lines per planner, starts gunicorn with 2 workers (production settings: DEBUG off,
the cache in Redis when CACHE_URL is set), and runs, each in its own threads (closed loop: a
user sends its next request when the last one answered, after `--think-ms`):

  * planners saving lines of their own plan (`line`: PATCH planned_fte, see WRITE KINDS);
  * dashboards polling every plan's score (`scores`: GET /api/v1/scores/?organization=);
  * clients pulling one plan's score (`score`: GET /api/v1/plans/{id}/score/);
  * an import now and then (`import`: POST /api/v1/plans/{id}/import/ with the plan version,
    one every `--import-every` seconds).

It prints requests per second, p50/p95/p99 and errors per kind, then reads the database:
every acknowledged line write must be in the line's history and the last one in the line, and
the import plan's lines must be those of the last acknowledged file. Exits 1 on any error or
lost write. Aim (issue 12): 0 errors, 0 lost acknowledged writes, p95 under 250 ms.

WRITE KINDS: a line save sends `{"planned_fte": x}`, plus `"version": n` when the line's JSON
has a `version` (lines carry one once their writes are version-checked); a 409 re-reads the
line and tries again (counted as a conflict, not an error). `--write-kind plan` saves the plan
instead (PATCH /api/v1/plans/{id}/ with its `version`, the version check that exists today).
"""

import argparse
import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import machine_description, recreate_database  # noqa: E402

SECRET = secrets.token_urlsafe(64)
LINES_PER_PLAN = 20
AIM_P95_MS = 250


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lnd_bench_load"
        ),
    )
    parser.add_argument("--cache-url", default=os.environ.get("CACHE_URL", ""))
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--planners", type=int, default=6)
    parser.add_argument("--dashboards", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--import-every", type=float, default=3.0)
    parser.add_argument("--think-ms", type=float, default=0.0)
    parser.add_argument("--write-kind", choices=("line", "plan"), default="line")
    return parser.parse_args()


# --- the database -----------------------------------------------------------------------------


def server_environment(options) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": options.database_url,
        "DJANGO_SETTINGS_MODULE": "l_and_d_planner.settings",
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "0",
        # A busy team is not an attack: the throttles stay out of the measurement.
        "API_THROTTLE_USER": "1000000/minute",
        "API_THROTTLE_ANON": "1000000/minute",
        "LOG_LEVEL": "ERROR",
    }
    if options.cache_url:
        env["CACHE_URL"] = options.cache_url
    else:
        env.pop("CACHE_URL", None)
        env.pop("REDIS_URL", None)
    return env


def seed(options) -> dict:
    os.environ.update(server_environment(options))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from rest_framework.authtoken.models import Token

    from plans.models import Plan, PlanLine
    from plans.selectors import built_in_target_model
    from roles.models import Membership, Organization, Role
    from tests.factories import UserFactory

    organization = Organization.objects.create(name="Load", slug="load")
    roles = list(Role.objects.filter(organization__isnull=True).order_by("id")[:LINES_PER_PLAN])
    target = built_in_target_model()
    planners = []
    for number in range(options.planners + 1):  # the last one imports
        user = UserFactory(username=f"load-planner-{number}")
        Membership.objects.create(user=user, organization=organization, role="planner")
        plan = Plan.objects.create(
            organization=organization, name=f"Load plan {number}", target_model=target
        )
        lines = PlanLine.objects.bulk_create(
            PlanLine(plan=plan, role=role, current_fte=Decimal(1), planned_fte=Decimal(1))
            for role in roles
        )
        token = Token.objects.create(user=user).key
        planners.append({"token": token, "plan": plan.id, "lines": [line.id for line in lines]})
    return {
        "organization": organization.id,
        "planners": planners[:-1],
        "importer": planners[-1],
        "roles": [role.title for role in roles],
    }


# --- the load ---------------------------------------------------------------------------------


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.errors = defaultdict(list)
        self.conflicts = defaultdict(int)
        self.line_acks = defaultdict(list)  # line id -> acknowledged planned_fte, in order
        self.plan_acks = defaultdict(list)  # plan id -> acknowledged descriptions
        self.last_import = None  # (plan id, {role title: planned_fte})

    def timed(self, kind, call):
        started = time.perf_counter()
        try:
            status, body = call()
        except (OSError, http.client.HTTPException) as error:
            status, body = None, repr(error).encode()
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.latencies[kind].append(elapsed)
            if status is None or status >= 500 or status not in (200, 201, 409):
                self.errors[kind].append(f"{status}: {body[:200]!r}")
            elif status == 409:
                self.conflicts[kind] += 1
        return status, body


class Http:
    def __init__(self, port: int, token: str):
        self.port, self.token = port, token

    def send(self, method: str, path: str, body: bytes | None = None, content_type=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Authorization": f"Token {self.token}", "Host": "127.0.0.1"}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def json(self, method, path, data):
        return self.send(method, path, json.dumps(data).encode(), "application/json")


def planner_loop(http, planner, results, stop, options, rng):
    lines = {}  # line id -> its last JSON (for its version, when it has one)
    sequence = 0
    plan_version = None
    while not stop.is_set():
        sequence += 1
        if options.write_kind == "plan":
            if plan_version is None:
                status, body = http.send("GET", f"/api/v1/plans/{planner['plan']}/")
                plan_version = json.loads(body)["version"]
            text = f"save {sequence}"
            status, body = results.timed(
                "plan",
                lambda t=text, v=plan_version: http.json(
                    "PATCH", f"/api/v1/plans/{planner['plan']}/", {"description": t, "version": v}
                ),
            )
            if status == 200:
                plan_version = json.loads(body)["version"]
                with results.lock:
                    results.plan_acks[planner["plan"]].append(text)
            else:
                plan_version = None
        else:
            line_id = rng.choice(planner["lines"])
            value = Decimal(sequence % 400) / 10
            data = {"planned_fte": float(value)}
            known = lines.get(line_id)
            if known is not None and "version" in known:
                data["version"] = known["version"]
            path = f"/api/v1/plans/{planner['plan']}/lines/{line_id}/"
            status, body = results.timed("line", lambda p=path, d=data: http.json("PATCH", p, d))
            if status == 200:
                lines[line_id] = json.loads(body)
                with results.lock:
                    results.line_acks[line_id].append(value)
            elif status == 409:
                lines[line_id] = json.loads(http.send("GET", path)[1])
        think(stop, options)


def reader_loop(http, kind, paths, results, stop, options, rng):
    while not stop.is_set():
        path = rng.choice(paths)
        results.timed(kind, lambda p=path: http.send("GET", p))
        think(stop, options)


def import_loop(http, importer, roles, results, stop, options, rng):
    plan_path = f"/api/v1/plans/{importer['plan']}/"
    while not stop.wait(options.import_every):
        version = json.loads(http.send("GET", plan_path)[1])["version"]
        rows = {title: Decimal(rng.randint(0, 50)) / 10 for title in roles}
        csv = "role,current_fte,planned_fte\n" + "".join(
            f"{title},1,{fte}\n" for title, fte in rows.items()
        )
        boundary = secrets.token_hex(8)
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="version"\r\n\r\n{version}'
            f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="plan.csv"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n'
        ).encode()
        status, _ = results.timed(
            "import",
            lambda b=body, k=boundary: http.send(
                "POST", f"{plan_path}import/", b, f"multipart/form-data; boundary={k}"
            ),
        )
        if status == 200:
            with results.lock:
                results.last_import = (importer["plan"], rows)


def think(stop, options):
    if options.think_ms:
        stop.wait(options.think_ms / 1000)


def run_load(port: int, data: dict, options) -> Results:
    results = Results()
    stop = threading.Event()
    plans = [planner["plan"] for planner in data["planners"]]
    reader_token = data["planners"][0]["token"]
    threads = []
    for number, planner in enumerate(data["planners"]):
        threads.append(
            (
                planner_loop,
                (Http(port, planner["token"]), planner, results, stop, options),
                number,
            )
        )
    scores_path = [f"/api/v1/scores/?organization={data['organization']}"]
    for number in range(options.dashboards):
        args = (Http(port, reader_token), "scores", scores_path, results, stop, options)
        threads.append((reader_loop, args, 100 + number))
    score_paths = [f"/api/v1/plans/{plan}/score/" for plan in plans]
    for number in range(options.clients):
        args = (Http(port, reader_token), "score", score_paths, results, stop, options)
        threads.append((reader_loop, args, 200 + number))
    importer = data["importer"]
    args = (Http(port, importer["token"]), importer, data["roles"], results, stop, options)
    threads.append((import_loop, args, 300))
    running = [
        threading.Thread(target=target, args=(*args, random.Random(seed)), daemon=True)
        for target, args, seed in threads
    ]
    for thread in running:
        thread.start()
    time.sleep(options.seconds)
    stop.set()
    for thread in running:
        thread.join(timeout=60)
    return results


# --- the report -------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(fraction * len(ordered)), len(ordered) - 1)]


def report(results: Results, seconds: int) -> tuple[int, float]:
    total = sum(len(values) for values in results.latencies.values())
    errors = sum(len(values) for values in results.errors.values())
    print(f"\n{total:,} requests in {seconds} s: {total / seconds:,.1f} req/s, {errors} errors")
    print(f"{'kind':8} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    worst_p95 = 0.0
    for kind, values in sorted(results.latencies.items()):
        p95 = percentile(values, 0.95)
        worst_p95 = max(worst_p95, p95)
        print(
            f"{kind:8} {len(values):9,} {len(values) / seconds:8.1f} "
            f"{statistics.median(values):8.1f} {p95:8.1f} {percentile(values, 0.99):8.1f}"
            + (
                f"   {results.conflicts[kind]} conflicts (409, retried)"
                if results.conflicts[kind]
                else ""
            )
        )
    all_values = [value for values in results.latencies.values() for value in values]
    print(
        f"{'all':8} {total:9,} {total / seconds:8.1f} {statistics.median(all_values):8.1f} "
        f"{percentile(all_values, 0.95):8.1f} {percentile(all_values, 0.99):8.1f}"
    )
    for kind, messages in results.errors.items():
        for message in messages[:5]:
            print(f"  error ({kind}): {message}")
    return errors, percentile(all_values, 0.95)


def lost_writes(results: Results) -> int:
    """Acknowledged writes missing from the database (its rows and their history)."""
    from plans.models import Plan, PlanLine

    lost = 0
    for line_id, acks in results.line_acks.items():
        line = PlanLine.objects.get(id=line_id)
        history = {row.planned_fte for row in line.history.all()}
        lost += sum(1 for value in set(acks) if value not in history)
        if line.planned_fte != acks[-1]:
            lost += 1
    for plan_id, acks in results.plan_acks.items():
        plan = Plan.objects.get(id=plan_id)
        history = {row.description for row in plan.history.all()}
        lost += sum(1 for text in acks if text not in history)
        lost += plan.description != acks[-1]
    acknowledged = sum(map(len, results.line_acks.values())) + sum(
        map(len, results.plan_acks.values())
    )
    if results.last_import:
        plan_id, rows = results.last_import
        stored = {
            line.role.title: line.planned_fte
            for line in PlanLine.objects.filter(plan_id=plan_id).select_related("role")
        }
        lost += stored != rows
        acknowledged += 1
    print(f"acknowledged writes: {acknowledged:,}; lost: {lost}")
    return lost


def start_gunicorn(options) -> tuple[subprocess.Popen, int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
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
        env=server_environment(options),
    )
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def main() -> int:
    options = parse_arguments()
    print(f"machine: {machine_description()}")
    recreate_database(options.database_url)
    data = seed(options)
    print(
        f"gunicorn 2 workers, PostgreSQL, cache {options.cache_url or 'local memory'}; "
        f"{options.planners} planners ({options.write_kind} saves), {options.dashboards} "
        f"dashboards, {options.clients} score clients, an import every {options.import_every} s, "
        f"think time {options.think_ms:.0f} ms, {options.seconds} s"
    )
    server, port = start_gunicorn(options)
    try:
        warm = Http(port, data["planners"][0]["token"])
        for _ in range(20):  # both workers loaded and connected before the clock starts
            warm.send("GET", f"/api/v1/plans/{data['planners'][0]['plan']}/score/")
        load_before = os.getloadavg()[0]
        results = run_load(port, data, options)
        print(
            f"machine load average (1 min) before {load_before:.1f}, "
            f"after {os.getloadavg()[0]:.1f} (2 cores, shared)"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    errors, p95 = report(results, options.seconds)
    lost = lost_writes(results)
    ok = errors == 0 and lost == 0 and p95 < AIM_P95_MS
    print("aim met" if ok else "AIM MISSED", f"(p95 of all requests {p95:.0f} ms)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
