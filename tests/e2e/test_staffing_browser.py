"""In Chromium: the "Department size" panel beside the score follows the typing, links every
figure to its benchmark, says that benchmarks are not targets, and passes axe-core."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from plans.models import PlanLine
from roles.models import Benchmark, Organization
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
EXAMPLE = (
    "5,000 employees: 1 L&D FTE per 417; ATD 2021 reports 385 — the reference implies 13.0 FTE, "
    "the plan has 12.0"
)


@pytest.fixture
def sized_plan(standard_catalog):
    organization = OrganizationFactory(name="Sized Org", slug="sized-e2e")
    Organization.objects.filter(pk=organization.pk).update(employees=5000)
    planner = UserFactory(username="sizer")
    MembershipFactory(user=planner, organization=organization, role="planner")
    plan = PlanFactory(organization=organization, name="Size me")
    PlanLine.objects.create(
        plan=plan,
        role=shared_role("Trainer"),
        current_fte=Decimal("10"),
        planned_fte=Decimal("12"),
    )
    return {"plan": plan, "planner": planner}


def test_the_department_size_panel_follows_the_typing_and_links_its_sources(
    open_context, sized_plan
):
    page = open_context(sized_plan["planner"]).new_page()
    page.goto(f"/plans/{sized_plan['plan'].pk}/")
    panel = page.get_by_test_id("staffing-panel")
    expect(panel.get_by_role("heading", name="Department size")).to_be_visible()
    atd = panel.locator('[data-metric="employees_per_ld_fte"]')
    expect(atd.get_by_test_id("staffing-sentence")).to_have_text(EXAMPLE)
    expect(atd).to_have_attribute("data-status", "below")
    expect(panel.get_by_test_id("staffing-caveat")).to_contain_text(
        "Benchmarks describe averages of surveyed organisations, not targets"
    )
    # Bersin's 5.2 per 1,000 is there too, and the dollars are said to be unconverted.
    expect(panel.locator('[data-metric="ld_fte_per_1000_employees"]')).to_contain_text(
        "Bersin 2011 reports 5.2 per 1,000 — the reference implies 26.0 FTE"
    )
    expect(panel.locator('[data-metric="spend_per_employee"]')).to_contain_text("not converted")
    assert axe_violations(page) == []

    # Typing 13 planned FTE refreshes the panel with the unsaved values: now within.
    page.get_by_label("Planned FTE, Trainer", exact=True).fill("13")
    expect(panel.get_by_text("with your unsaved values")).to_be_visible()
    atd = page.get_by_test_id("staffing-panel").locator('[data-metric="employees_per_ld_fte"]')
    expect(atd).to_have_attribute("data-status", "within")
    expect(atd.get_by_test_id("staffing-sentence")).to_contain_text(
        "1 L&D FTE per 385; ATD 2021 reports 385 — the reference implies 13.0 FTE, the plan has 13.0"
    )

    # The benchmark's name leads to its entry, with its source and the note (leaving the
    # unsaved values behind: the planner asks first, and we say yes).
    prompts = []
    page.once("dialog", lambda dialog: (prompts.append(dialog.type), dialog.accept()))
    atd.get_by_role("link", name="ATD 2021").click()
    benchmark = Benchmark.objects.get(name="ATD 2021")
    row = page.locator(f"#benchmark-{benchmark.pk}")
    expect(row).to_be_visible()
    expect(row).to_contain_text("As published in the report's summary")
    assert prompts in (["confirm"], ["beforeunload"])
    expect(row.get_by_role("link", name=benchmark.source)).to_have_attribute(
        "href", benchmark.source_url
    )
    assert axe_violations(page) == []
