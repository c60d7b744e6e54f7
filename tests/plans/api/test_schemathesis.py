"""Schemathesis fuzzes the whole API from its OpenAPI schema against a live server on seeded data.

At least 2,000 generated requests, valid and invalid, authenticated with a planner's token, with
all of schemathesis' checks (issue 12): no 5xx, every status, header, content type and body as
documented, invalid input refused, valid input accepted, authentication enforced.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from plans.models import TargetModel
from plans.services.demo import demo_load
from roles.catalog import load_standard_catalog
from roles.models import Discipline, Role

pytestmark = [pytest.mark.schemathesis, pytest.mark.xdist_group("schemathesis")]

MIN_REQUESTS = 2_000


def schemathesis_config(path: Path, *, ids: list[int], plan_ids: list[int]) -> Path:
    """Path ids come from the seeded data most of the time, so real objects get exercised."""
    path.write_text(
        f"[dictionaries.ids]\nvalues = {ids}\n"
        f"[dictionaries.plans]\nvalues = {plan_ids}\n"
        "[parameters]\n"
        '"path.id" = { dictionary = "ids", probability = 0.7 }\n'
        '"path.plan_pk" = { dictionary = "plans", probability = 0.8 }\n'
        "[phases.coverage]\nenabled = false\n"
        # Schema-valid input may still break a rule that no schema states: an id that does not
        # exist or belongs to another organization, targets that must sum to 1, a role of the
        # shared catalog. Such requests answer 400 with the field and reason.
        "[checks.positive_data_acceptance]\n"
        'expected-statuses = ["2xx", "400", "401", "403", "404", "409", "429"]\n'
    )
    return path


@pytest.mark.django_db(transaction=True)
def test_generated_requests_find_no_server_error_and_no_schema_violation(live_server, tmp_path):
    load_standard_catalog(Discipline, Role, TargetModel)
    demo = demo_load()
    planner = demo["organization"].memberships.get(role="planner").user
    token, _ = Token.objects.get_or_create(user=planner)
    plan_ids = [plan.id for plan in demo["plans"]]
    ids = [
        *plan_ids,
        *Role.objects.order_by("id").values_list("id", flat=True)[:5],
        demo["organization"].id,
        TargetModel.objects.order_by("id").first().id,
        *demo["plans"][0].lines.order_by("id").values_list("id", flat=True)[:3],
    ]
    config = schemathesis_config(tmp_path / "schemathesis.toml", ids=ids, plan_ids=plan_ids)
    st = Path(sys.executable).with_name("st")
    command = [
        str(st),
        "--config-file",
        str(config),
        "run",
        f"{live_server.url}/api/v1/schema/",
        "--header",
        f"Authorization: Token {token.key}",
        "--checks",
        "all",
        "--phases",
        "fuzzing",
        "--max-examples",
        os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "40"),
        "--seed",
        "20261125",
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--report",
        "json",
        "--report-json-path",
        str(tmp_path / "report.json"),
        "--no-color",
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=600)
    report = json.loads((tmp_path / "report.json").read_text())
    summary = completed.stdout[-3000:]
    generated = report["test_cases"]["generated"]
    assert report["failures"] == [], summary
    assert report["errors"] == [], summary
    assert generated >= MIN_REQUESTS, summary
    assert completed.returncode == 0, summary
