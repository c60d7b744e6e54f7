"""Exports: columns, the Score sheet, formula neutralising, and export -> import round trips."""

import csv
import io
from decimal import Decimal

import pytest
from django.db.models import Q
from openpyxl import load_workbook

from plans.models import PlanLine
from plans.services.imports import PLAN_EXPORT_COLUMNS, plan_export, plan_import
from roles.models import Role
from roles.selectors import role_export
from roles.services import role_import
from tests.factories import PlanFactory, PlanLineFactory, RoleFactory, discipline, shared_role


@pytest.fixture
def plan(organization):
    """An empty plan to import into (overrides the planner pages' scored plan)."""
    return PlanFactory(organization=organization, name="Learning team 2027")


pytestmark = pytest.mark.django_db


@pytest.fixture
def filled_plan(plan, organization):
    evil = RoleFactory(
        organization=organization,
        title='=HYPERLINK("http://x")',
        discipline=discipline("community-management"),
        annual_cost=Decimal("61000.50"),
    )
    PlanLineFactory(
        plan=plan,
        role=shared_role("Trainer"),
        current_fte=Decimal("6"),
        planned_fte=Decimal("1.5"),
        locked=True,
        note="-keep compliance trainers",
        cost_override=Decimal("50000"),
    )
    PlanLineFactory(
        plan=plan,
        role=shared_role("Coach"),
        current_fte=Decimal("0"),
        planned_fte=Decimal("2"),
        note="@coaching, +2",
    )
    PlanLineFactory(plan=plan, role=evil, current_fte=Decimal("0.5"), planned_fte=Decimal("3.5"))
    return plan


def lines_of(plan) -> list[tuple]:
    return sorted(
        plan.lines.values_list(
            "role_id", "current_fte", "planned_fte", "locked", "note", "cost_override"
        )
    )


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_export_has_the_columns_and_neutralised_text(filled_plan):
    rows = csv_rows(plan_export(plan=filled_plan, as_format="csv"))
    assert rows[0] == PLAN_EXPORT_COLUMNS
    by_role = {row[0]: row for row in rows[1:]}
    assert by_role["Trainer"] == [
        "Trainer",
        "Training delivery",
        "formal",
        "6.0",
        "1.5",
        "50000.00",
        "yes",
        "'-keep compliance trainers",
    ]
    assert by_role['\'=HYPERLINK("http://x")'][5] == "61000.50"
    assert by_role["Coach"][7] == "'@coaching, +2"


def test_xlsx_export_has_lines_with_numbers_and_a_score_sheet(filled_plan):
    workbook = load_workbook(io.BytesIO(plan_export(plan=filled_plan, as_format="xlsx")))
    assert workbook.sheetnames == ["Lines", "Score", "Readiness", "Roadmap"]
    lines = list(workbook["Lines"].iter_rows(values_only=True))
    assert list(lines[0]) == PLAN_EXPORT_COLUMNS
    evil = next(row for row in lines if "HYPERLINK" in row[0])
    assert evil[0] == '\'=HYPERLINK("http://x")'
    assert workbook["Lines"].cell(row=lines.index(evil) + 1, column=1).data_type == "s"
    trainer = next(row for row in lines if row[0] == "Trainer")
    assert (trainer[3], trainer[4]) == (6, 1.5)
    score = {row[0]: row[1:] for row in workbook["Score"].iter_rows(values_only=True) if row}
    assert score["Plan"][0] == filled_plan.name
    assert score["Total FTE"][:2] == (6.5, 7)
    assert score["Score (0–100)"][0] is not None
    assert score["Formal"][0] == 10  # the target share, in percent


def test_xlsx_export_carries_readiness_answers_and_the_roadmap(filled_plan):
    from datetime import date

    from plans.services.readiness import readiness_answers_save
    from plans.services.roadmap import roadmap_build

    readiness_answers_save(plan=filled_plan, answers=[{"code": "system_rewards", "answer": 1}])
    roadmap_build(plan=filled_plan, start=date(2027, 1, 1), max_fte_per_quarter=Decimal("1"))
    workbook = load_workbook(io.BytesIO(plan_export(plan=filled_plan, as_format="xlsx")))
    readiness = {
        row[0]: row[1:]
        for row in workbook["Readiness"].iter_rows(values_only=True)
        if row and row[0]
    }
    assert readiness["Readiness score (0-100)"][0] == 25
    assert readiness["system_rewards"][2] == 1
    roadmap = list(workbook["Roadmap"].iter_rows(values_only=True))
    assert roadmap[0][0] == "Start" and roadmap[0][1].date() == date(2027, 1, 1)
    assert any(row and row[2] in ("move", "hire", "exit") for row in roadmap[3:])


def test_xlsx_columns_are_wide_enough_to_read_titles_and_dates(filled_plan):
    """Without widths LibreOffice and Excel cut titles and show dates as "###"."""
    from datetime import date

    from plans.services.roadmap import roadmap_build

    roadmap_build(plan=filled_plan, start=date(2027, 1, 1), max_fte_per_quarter=Decimal("1"))
    workbook = load_workbook(io.BytesIO(plan_export(plan=filled_plan, as_format="xlsx")))
    lines = workbook["Lines"]
    longest_title = max(len(str(row[0])) for row in lines.iter_rows(values_only=True))
    assert lines.column_dimensions["A"].width >= longest_title
    assert lines.column_dimensions["B"].width >= len("Coaching & mentoring")
    roadmap = workbook["Roadmap"]
    effective = [row[1] for row in roadmap.iter_rows(values_only=True) if row and row[1]]
    assert any(isinstance(value, date) for value in effective)
    assert roadmap.column_dimensions["B"].width >= len("2027-01-01")
    widths = [
        dimension.width
        for sheet in workbook.worksheets
        for dimension in sheet.column_dimensions.values()
    ]
    assert widths and max(widths) <= 60


@pytest.mark.parametrize("as_format", ["csv", "xlsx"])
def test_an_exported_plan_imports_back_unchanged(filled_plan, as_format):
    before = lines_of(filled_plan)
    version = filled_plan.version
    history_rows = PlanLine.history.count()
    content = plan_export(plan=filled_plan, as_format=as_format)
    summary = plan_import(plan=filled_plan, filename=f"plan.{as_format}", content=content)
    filled_plan.refresh_from_db()
    assert summary.counts() == {"created": 0, "updated": 0, "deleted": 0, "unchanged": 3}
    assert lines_of(filled_plan) == before
    assert filled_plan.version == version
    assert PlanLine.history.count() == history_rows


@pytest.mark.parametrize("as_format", ["csv", "xlsx"])
def test_an_exported_plan_recreates_the_same_lines_in_an_empty_plan(
    filled_plan, organization, as_format
):
    from tests.factories import PlanFactory

    empty = PlanFactory(organization=organization)
    content = plan_export(plan=filled_plan, as_format=as_format)
    summary = plan_import(plan=empty, filename=f"plan.{as_format}", content=content)
    assert summary.created == 3
    strip_override = [line[:5] for line in lines_of(filled_plan)]
    assert [line[:5] for line in lines_of(empty)] == strip_override


@pytest.mark.parametrize("as_format", ["csv", "xlsx"])
def test_an_exported_catalog_imports_back_unchanged(organization, as_format):
    RoleFactory(
        organization=organization,
        title="+Growth coach",
        discipline=discipline("coaching-mentoring"),
        band_split={"experiential": 0, "social": 60, "formal": 40},
        description="-",
        annual_cost=Decimal("1234.56"),
        active=False,
    )
    roles = Role.objects.filter(Q(organization__isnull=True) | Q(organization=organization))
    roles = roles.select_related("discipline", "organization").order_by("title")
    content = role_export(roles=roles, as_format=as_format)
    history_rows = Role.history.count()
    summary = role_import(organization=organization, filename=f"r.{as_format}", content=content)
    assert summary.counts() == {"created": 0, "updated": 0, "deleted": 0, "unchanged": 29}
    assert Role.history.count() == history_rows


def test_an_exported_catalog_builds_the_same_catalog_in_another_organization(
    organization, other_organization
):
    RoleFactory(
        organization=organization,
        title="Growth coach",
        discipline=discipline("coaching-mentoring"),
        band_split={"experiential": 0, "social": 60, "formal": 40},
        annual_cost=Decimal("10.5"),
    )
    roles = Role.objects.filter(organization=organization).select_related(
        "discipline", "organization"
    )
    role_import(
        organization=other_organization,
        filename="r.csv",
        content=role_export(roles=roles, as_format="csv"),
    )
    copy = Role.objects.get(organization=other_organization)
    assert (copy.title, copy.discipline.slug, copy.band_split, copy.annual_cost) == (
        "Growth coach",
        "coaching-mentoring",
        {"experiential": 0, "social": 60, "formal": 40},
        Decimal("10.50"),
    )
