"""`manage.py import_roles` and `manage.py import_plan`."""

import pytest
from django.core.management import CommandError, call_command

from roles.models import Role
from tests.factories import PlanFactory
from tests.support import FIXTURES


@pytest.fixture
def plan(organization):
    """An empty plan to import into (overrides the planner pages' scored plan)."""
    return PlanFactory(organization=organization, name="Learning team 2027")


pytestmark = pytest.mark.django_db


def test_import_roles_loads_the_catalog_of_the_organization(organization, capsys):
    call_command("import_roles", str(FIXTURES / "roles_ok.csv"), organization=organization.slug)
    assert "2 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert Role.objects.filter(organization=organization).count() == 2


def test_import_roles_dry_run_writes_nothing(organization, capsys):
    call_command(
        "import_roles", str(FIXTURES / "roles_ok.csv"), organization=organization.slug, dry_run=True
    )
    assert "Would import" in capsys.readouterr().out
    assert not Role.objects.filter(organization=organization).exists()


def test_import_roles_prints_every_problem_and_fails(organization, capsys):
    with pytest.raises(CommandError, match="nothing was written"):
        call_command(
            "import_roles",
            str(FIXTURES / "roles_non_numeric_cost.csv"),
            organization=organization.slug,
        )
    err = capsys.readouterr().err
    assert "row 2, column annual_cost: 'lots' is not a number" in err
    assert "row 3, column annual_cost" in err


def test_import_roles_needs_a_known_organization():
    with pytest.raises(CommandError, match="No organization"):
        call_command("import_roles", str(FIXTURES / "roles_ok.csv"), organization="nope")


def test_import_plan_replaces_the_lines(plan, planner, capsys):
    call_command("import_plan", str(FIXTURES / "plan_ok.csv"), plan=plan.id, user=planner.username)
    assert "3 created" in capsys.readouterr().out
    assert plan.lines.count() == 3
    assert plan.lines.model.history.filter(history_user=planner).count() == 3


def test_import_plan_reports_a_bad_last_row(plan, capsys):
    with pytest.raises(CommandError):
        call_command("import_plan", str(FIXTURES / "plan_last_row_bad.csv"), plan=plan.id)
    assert "row 6, column role: Unknown role 'Nobody In Particular'" in capsys.readouterr().err
    assert plan.lines.count() == 0


def test_import_plan_needs_a_file_and_a_plan(plan):
    with pytest.raises(CommandError, match="No file"):
        call_command("import_plan", str(FIXTURES / "missing.csv"), plan=plan.id)
    with pytest.raises(CommandError, match="No plan"):
        call_command("import_plan", str(FIXTURES / "plan_ok.csv"), plan=999999)
