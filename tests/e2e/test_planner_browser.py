"""In Chromium: sign in, draft a 12-person plan, watch the score move while typing, save,
collide with a second browser, compare plans, print, and check accessibility with axe-core."""

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
PASSWORD = "correct horse battery staple"


@pytest.fixture
def acme(standard_catalog):
    organization = OrganizationFactory(name="Acme Learning & Development", slug="acme-e2e")
    planner = UserFactory(username="planner")
    admin = UserFactory(username="admin")
    MembershipFactory(user=planner, organization=organization, role="planner")
    MembershipFactory(user=admin, organization=organization, role="admin")
    return {"organization": organization, "planner": planner, "admin": admin}


def plan_with(organization, name, rows, user=None):
    plan = PlanFactory(organization=organization, name=name, created_by=user, updated_by=user)
    for title, current, planned in rows:
        PlanLine.objects.create(
            plan=plan,
            role=shared_role(title),
            current_fte=Decimal(current),
            planned_fte=Decimal(planned),
        )
    return plan


def fte_input(page, column: str, title: str):
    return page.get_by_label(f"{column} FTE, {title}", exact=True)


def add_role(page, query: str, title: str):
    page.get_by_label("Search roles by title or discipline").fill(query)
    page.get_by_role("button", name=f"Add {title}", exact=True).click()
    expect(page.get_by_text(f"Added {title}.")).to_be_visible()


def test_draft_a_plan_and_watch_the_score_move_while_typing(
    open_context, acme, live_server, tmp_path
):
    page = open_context().new_page()
    # sign in with the login form
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username").fill("planner")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("^Plans"))).to_be_visible()

    # a new, empty plan from the dashboard
    page.get_by_label("Plan name").fill("2027: our modern department")
    page.get_by_role("button", name="Create plan").click()
    expect(page.get_by_role("heading", name="2027: our modern department")).to_be_visible()
    plan = Plan.objects.get(name="2027: our modern department")

    # add four roles from the catalog through the search box (htmx lists them as you type)
    add_role(page, "trainer", "Trainer")
    add_role(page, "instructional", "Instructional Designer")
    add_role(page, "knowledge", "Knowledge Manager")
    add_role(page, "community", "Community Manager")
    assert plan.lines.count() == 0  # nothing saved yet

    # today's twelve people: 8 trainers, 3 instructional designers, 1 knowledge manager
    for title, current in [
        ("Trainer", "8"),
        ("Instructional Designer", "3"),
        ("Knowledge Manager", "1"),
    ]:
        fte_input(page, "Current", title).fill(current)
    expect(page.get_by_test_id("current-score")).to_have_text("9.3")
    expect(page.get_by_test_id("current-shape")).to_have_text("training-centric")

    # planned, typed one number at a time: the score follows before anything is saved
    fte_input(page, "Planned", "Trainer").fill("2")
    expect(page.get_by_test_id("planned-score")).to_have_text("0.0")
    fte_input(page, "Planned", "Knowledge Manager").fill("6")
    expect(page.get_by_test_id("planned-score")).to_have_text("77.8")
    fte_input(page, "Planned", "Instructional Designer").fill("1")
    fte_input(page, "Planned", "Community Manager").fill("3")
    expect(page.get_by_test_id("planned-score")).to_have_text("77.8")
    expect(page.get_by_test_id("planned-share-social")).to_have_text("25%")
    expect(page.get_by_test_id("planned-shape")).to_have_text("modern")
    expect(page.get_by_test_id("planned-fte")).to_contain_text("12.0")
    expect(page.locator("#unsaved-note")).to_contain_text("unsaved changes")
    plan.refresh_from_db()
    assert plan.lines.count() == 0 and plan.version == 1

    # explicit save
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text(re.compile(r"Saved: 4 added"))).to_be_visible()
    saved = dict(plan.lines.values_list("role__title", "planned_fte"))
    assert saved == {
        "Trainer": Decimal("2.0"),
        "Instructional Designer": Decimal("1.0"),
        "Knowledge Manager": Decimal("6.0"),
        "Community Manager": Decimal("3.0"),
    }
    expect(page.get_by_test_id("planned-score")).to_have_text("77.8")
    # a test run leaves the working tree alone: README screenshots come from scripts/screenshots.sh
    shot = tmp_path / "planner.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000


def test_a_second_browser_saving_first_causes_a_visible_conflict(open_context, acme):
    plan = plan_with(
        acme["organization"], "Shared plan", [("Trainer", "6", "4"), ("Coach", "0", "1")]
    )
    mine = open_context(acme["planner"]).new_page()
    theirs = open_context(acme["admin"]).new_page()
    mine.goto(f"/plans/{plan.pk}/")
    theirs.goto(f"/plans/{plan.pk}/")

    fte_input(theirs, "Planned", "Trainer").fill("3")
    theirs.get_by_role("button", name="Save changes").click()
    expect(theirs.get_by_text(re.compile("Saved: 0 added, 1 changed"))).to_be_visible()

    fte_input(mine, "Planned", "Trainer").fill("5")
    mine.get_by_role("button", name="Save changes").click()
    conflict = mine.get_by_test_id("conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("admin saved version 2")
    trainer_row = conflict.get_by_role("row", name=re.compile("^Trainer"))
    expect(trainer_row).to_contain_text("3.0")  # theirs
    expect(trainer_row).to_contain_text("5")  # mine, kept
    assert PlanLine.objects.get(plan=plan, role__title="Trainer").planned_fte == Decimal("3.0")
    # my value is still in the form; saving again, knowingly, replaces theirs
    expect(fte_input(mine, "Planned", "Trainer")).to_have_value("5")
    mine.get_by_role("button", name="Save changes").click()
    expect(mine.get_by_text(re.compile("Saved:"))).to_be_visible()
    assert PlanLine.objects.get(plan=plan, role__title="Trainer").planned_fte == Decimal("5.0")


def test_compare_print_and_accessibility(open_context, acme):
    organization = acme["organization"]
    today = plan_with(
        organization,
        "Today",
        [
            ("Trainer", "8", "8"),
            ("Instructional Designer", "3", "3"),
            ("Knowledge Manager", "1", "1"),
        ],
    )
    modern = plan_with(
        organization,
        "Modern",
        [
            ("Trainer", "8", "2"),
            ("Instructional Designer", "3", "1"),
            ("Knowledge Manager", "1", "6"),
            ("Community Manager", "0", "3"),
        ],
    )
    page = open_context(acme["planner"]).new_page()

    # compare, chosen from the dashboard's checkboxes
    page.goto("/")
    assert not axe_violations(page), axe_violations(page)
    page.get_by_label("Compare Today").check()
    page.get_by_label("Compare Modern").check()
    page.get_by_role("button", name=re.compile("Compare selected")).click()
    table = page.get_by_test_id("compare-table")
    expect(table.get_by_role("row", name=re.compile("^Planned score"))).to_contain_text("9.3")
    expect(table.get_by_role("row", name=re.compile("^Planned score"))).to_contain_text("77.8")
    expect(table.get_by_role("row", name=re.compile("^Planned score"))).to_contain_text(
        re.compile(r"\([+-]68\.5\)")
    )
    assert f"ids={today.pk}" in page.url and f"ids={modern.pk}" in page.url
    assert not axe_violations(page), axe_violations(page)

    page.goto("/roles/?band=social")
    expect(page.get_by_role("row", name=re.compile("^Community Manager"))).to_be_visible()
    assert not axe_violations(page), axe_violations(page)

    page.goto(f"/plans/{modern.pk}/")
    assert not axe_violations(page), axe_violations(page)

    # the print view: no navigation or buttons; the chart, its caption and the numbers stay
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Save changes")).to_be_hidden()
    expect(page.locator("svg.mix-chart")).to_be_visible()
    expect(page.locator("figure.chart figcaption")).to_contain_text(
        "Shape: current training-centric, planned modern"
    )
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000

    # the printable report linked from the planner opens, in print media too
    page.emulate_media(media="screen")
    with page.expect_navigation():
        page.get_by_role("link", name="Printable report").click()
    page.emulate_media(media="print")
    expect(page.get_by_text("Modern").first).to_be_visible()
    assert page.pdf(format="A4").startswith(b"%PDF")
