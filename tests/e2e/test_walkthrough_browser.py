"""In Chromium: what the walkthrough found without JavaScript and on a 390-pixel phone screen."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from plans.models import PlanLine
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
def trainers_plan(standard_catalog):
    """A planner and an all-trainer plan (so one band sits at 100% in both columns)."""
    organization = OrganizationFactory(name="Acme Learning & Development", slug="acme-walk")
    planner = UserFactory(username="planner")
    MembershipFactory(user=planner, organization=organization, role="planner")
    plan = PlanFactory(organization=organization, name="All trainers", created_by=planner)
    PlanLine.objects.create(
        plan=plan, role=shared_role("Trainer"), current_fte=Decimal(4), planned_fte=Decimal(4)
    )
    return plan


def test_without_javascript_enter_in_the_role_search_searches_and_saves_nothing(
    open_context, trainers_plan
):
    page = open_context(trainers_plan.created_by, java_script_enabled=False).new_page()
    page.goto(f"/plans/{trainers_plan.pk}/")
    page.get_by_label("Planned FTE, Trainer", exact=True).fill("2")
    search = page.get_by_label("Search roles by title or discipline")
    search.fill("coach")
    search.press("Enter")
    # the roles matching "coach" are listed, the typed value is kept, nothing is saved
    expect(page.get_by_role("button", name="Add Coach", exact=True)).to_be_visible()
    expect(page.get_by_label("Planned FTE, Trainer", exact=True)).to_have_value("2")
    expect(page.get_by_test_id("plan-version")).to_have_text(str(trainers_plan.version))
    assert PlanLine.objects.get(plan=trainers_plan).planned_fte == Decimal(4)
    # adding the role brings the reader back to the table, where the new row is
    page.get_by_role("button", name="Add Coach", exact=True).click()
    expect(page).to_have_url(f"{page.url.split('#')[0]}#lines-heading")
    expect(page.get_by_label("Planned FTE, Coach", exact=True)).to_be_in_viewport()


def test_on_a_phone_pages_do_not_scroll_sideways_and_chart_labels_fit(open_context, trainers_plan):
    context = open_context(
        trainers_plan.created_by, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    # a long plan name in the "Start from" select used to push the dashboard wider
    PlanFactory(
        organization=trainers_plan.organization, name="A scenario " + "with a long name " * 4
    )
    for url in ("/", f"/plans/{trainers_plan.pk}/", f"/plans/{trainers_plan.pk}/report/"):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
    page.goto(f"/plans/{trainers_plan.pk}/")
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('svg.mix-chart .chart-value')].map(text => {
            const box = text.getBBox(), width = text.ownerSVGElement.viewBox.baseVal.width;
            return box.x + box.width > width ? text.textContent : null;
        }).filter(Boolean)"""
    )
    assert overflow == []  # "Current 100%" and "Planned 100%" stay inside the chart
