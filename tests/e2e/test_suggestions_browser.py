"""In Chromium: the suggestions panel answers for the values on screen (unsaved), shows signed
changes and warnings, and "Apply as a new scenario" creates exactly what was shown; without
JavaScript the panel still works from the saved plan. The script is a file (no inline script)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from plans.models import Plan, PlanLine
from tests.e2e.conftest import axe_violations
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    PlanFactory,
    UserFactory,
    shared_role,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def setup(standard_catalog):
    organization = OrganizationFactory(name="Acme", slug="acme-suggest")
    planner = UserFactory(username="suggest-planner")
    MembershipFactory(user=planner, organization=organization, role="planner")
    plan = PlanFactory(organization=organization, name="Training heavy", created_by=planner)
    for title, fte in (
        ("Trainer", "6"),
        ("Instructional Designer", "3"),
        ("Knowledge Manager", "1"),
    ):
        PlanLine.objects.create(
            plan=plan, role=shared_role(title), current_fte=Decimal(fte), planned_fte=Decimal(fte)
        )
    return {"plan": plan, "planner": planner}


def test_the_panel_suggests_for_the_values_on_screen_and_applies_them(open_context, setup):
    plan = setup["plan"]
    page = open_context(setup["planner"]).new_page()
    page.goto(f"/plans/{plan.pk}/")
    # unsaved: 2 trainers instead of 6 (8 FTE on screen, 10 saved)
    page.get_by_label("Planned FTE, Trainer", exact=True).fill("2")
    panel = page.get_by_test_id("suggestions-panel")
    panel.get_by_label("Mode", exact=True).select_option("reassign")
    panel.get_by_role("button", name="Suggest").click()
    result = panel.get_by_test_id("suggestions-result")
    expect(result).to_be_visible()
    expect(panel.get_by_test_id("suggestions-aim")).to_contain_text("values on screen")
    # the score before is the screen's (2 + 3 formal, 1 experiential: 18.5), not the saved 11.1
    expect(result).to_contain_text("Score 18.5 →")
    expect(panel.get_by_test_id("suggestion-delta").first).to_have_text(re.compile(r"^[+−]\d"))
    expect(panel.get_by_test_id("suggestion-warning").first).to_be_visible()
    assert axe_violations(page) == []  # the panel with its answer, warnings included
    shown = {
        row.locator("th").inner_text().replace(" new", "").strip(): row.locator("td")
        .nth(2)
        .inner_text()
        .strip()
        for row in panel.get_by_test_id("suggestion-action").all()
    }
    assert shown
    panel.get_by_role("button", name="Apply as a new scenario").click()
    expect(page.get_by_text("Suggestions applied as the new scenario")).to_be_visible()
    scenario = Plan.objects.exclude(pk=plan.pk).get()
    planned = {line.role.title: line.planned_fte for line in scenario.lines.select_related("role")}
    for title, to_fte in shown.items():
        assert planned[title] == Decimal(to_fte)
    assert sum(planned.values()) == Decimal("6")  # reassign keeps the screen's total


def test_without_javascript_the_panel_asks_for_the_saved_plan(open_context, setup):
    plan = setup["plan"]
    page = open_context(setup["planner"], java_script_enabled=False).new_page()
    page.goto(f"/plans/{plan.pk}/")
    panel = page.get_by_test_id("suggestions-panel")
    panel.get_by_role("button", name="Suggest").click()
    expect(page).to_have_url(re.compile(rf"/plans/{plan.pk}/suggestions/\?"))
    expect(page.get_by_test_id("suggestions-result")).to_be_visible()
