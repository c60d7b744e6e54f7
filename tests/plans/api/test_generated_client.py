"""A Python client generated from the published schema works untouched (issue 12, item 12).

openapi-python-client generates the client into a temporary directory; the test imports it
and runs token -> plan -> line -> score -> suggestions against a live server. Today's schema
made it fail to import (`Unset` undefined in writes that offered three body types).
"""

import importlib
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, shared_role

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PASSWORD = "correct horse battery staple"


def generate_client(schema_url: str, directory: Path):
    schema = directory / "schema.json"
    with urllib.request.urlopen(schema_url, timeout=30) as response:
        schema.write_bytes(response.read())
    config = directory / "config.yaml"
    config.write_text("package_name_override: planner_client\npost_hooks: []\n")
    completed = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(schema),
            "--config",
            str(config),
            "--meta",
            "none",
            "--output-path",
            str(directory / "planner_client"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Warning" not in completed.stdout, completed.stdout
    sys.path.insert(0, str(directory))
    try:
        return importlib.import_module("planner_client")
    finally:
        sys.path.remove(str(directory))


@pytest.mark.django_db(transaction=True)
def test_a_client_generated_from_the_schema_runs_the_planner_flow(
    live_server, standard_catalog, tmp_path
):
    organization = OrganizationFactory(name="Generated", slug="generated")
    user = UserFactory(username="generated-planner")
    MembershipFactory(user=user, organization=organization, role="planner")
    trainer, knowledge = shared_role("Trainer"), shared_role("Knowledge Manager")

    client_package = generate_client(f"{live_server.url}/api/v1/schema/?format=json", tmp_path)
    names = [name for name in sys.modules if name.startswith("planner_client")]
    try:
        api = importlib.import_module("planner_client.api")
        models = importlib.import_module("planner_client.models")
        token_create = importlib.import_module("planner_client.api.auth.auth_token_create")
        plans = {
            name: importlib.import_module(f"planner_client.api.plans.{name}")
            for name in (
                "plans_create",
                "plans_lines_create",
                "plans_score_retrieve",
                "plans_suggestions_retrieve",
            )
        }
        assert api is not None

        anonymous = client_package.Client(base_url=live_server.url)
        token = token_create.sync(
            client=anonymous, body=models.TokenRequest(username=user.username, password=PASSWORD)
        )
        assert isinstance(token, models.Token) and len(token.token) == 40

        client = client_package.AuthenticatedClient(
            base_url=live_server.url, token=token.token, prefix="Token"
        )
        plan = plans["plans_create"].sync(
            client=client,
            body=models.PlanRequest(organization=organization.id, name="Generated plan"),
        )
        assert isinstance(plan, models.Plan) and plan.name == "Generated plan"
        for role, current, planned in ((trainer, 6, 1), (knowledge, 1, 6)):
            line = plans["plans_lines_create"].sync(
                plan.id,
                client=client,
                body=models.PlanLineRequest(role=role.id, current_fte=current, planned_fte=planned),
            )
            assert isinstance(line, models.PlanLine), line
        score = plans["plans_score_retrieve"].sync(plan.id, client=client)
        assert isinstance(score, models.PlanScore)
        assert score.current.total_fte == 7 and score.planned.total_fte == 7
        suggestions = plans["plans_suggestions_retrieve"].sync(
            plan.id, client=client, mode=models.PlansSuggestionsRetrieveMode.REASSIGN, step=0.5
        )
        assert isinstance(suggestions, models.Suggestions)
        assert suggestions.result.score >= score.planned.score

        # An error answer is typed too: another organization's plan is a 404 `Error`.
        missing = plans["plans_score_retrieve"].sync(999_999_999, client=client)
        assert isinstance(missing, models.Error) and missing.detail
    finally:
        for name in names + [n for n in sys.modules if n.startswith("planner_client")]:
            sys.modules.pop(name, None)
