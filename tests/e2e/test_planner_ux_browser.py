"""In Chromium (issue 14): a six-role plan built without a page reload, the prompt before
unsaved edits are lost, every page on a 390 px phone (no sideways scroll, the sticky score) and
axe at 390 and 1366 px on every page, error pages included."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from playwright.sync_api import expect

from plans.models import Plan, PlanLine
from plans.services.roadmap import roadmap_build
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
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SIX_ROLES = [
    ("knowledge", "Knowledge Manager", "1", "4"),
    ("organisation", "Organisation Design Consultant", "0", "3"),
    ("community", "Community Manager", "0", "1"),
    ("coach", "Coach", "1", "1"),
    ("trainer", "Trainer", "6", "1"),
    ("instructional", "Instructional Designer", "2", "0"),
]


@pytest.fixture
def acme(standard_catalog):
    organization = OrganizationFactory(name="Acme Learning & Development", slug="acme-ux")
    users = {}
    for role in ("admin", "planner", "viewer"):
        users[role] = UserFactory(username=role)
        MembershipFactory(user=users[role], organization=organization, role=role)
    modern = PlanFactory(organization=organization, name="Modern 2027", created_by=users["planner"])
    for _query, title, current, planned in SIX_ROLES:
        PlanLine.objects.create(
            plan=modern,
            role=shared_role(title),
            current_fte=Decimal(current),
            planned_fte=Decimal(planned),
            note="Keeps the monthly onboarding cohort" if title == "Trainer" else "",
        )
    roadmap_build(plan=modern, start=date(2027, 1, 1), max_fte_per_quarter=Decimal(2))
    Plan.objects.filter(pk=modern.pk).update(version=modern.version + 1)  # roadmap now stale
    approved = PlanFactory(
        organization=organization, name="Approved 2026", status="approved", source_plan=modern
    )
    PlanLine.objects.create(
        plan=approved, role=shared_role("Trainer"), current_fte=Decimal(4), planned_fte=Decimal(4)
    )
    review = PlanFactory(organization=organization, name="In review", status="in_review")
    PlanLine.objects.create(
        plan=review, role=shared_role("Coach"), current_fte=Decimal(1), planned_fte=Decimal(2)
    )
    empty = PlanFactory(organization=organization, name="Empty plan")
    return {
        "organization": organization,
        **users,
        "modern": modern,
        "approved": approved,
        "review": review,
        "empty": empty,
    }


def planner_pages(acme) -> list[str]:
    """Every page a planner opens, with data in it."""
    modern, approved = acme["modern"].pk, acme["approved"].pk
    return [
        "/",
        f"/plans/{modern}/",
        f"/plans/{acme['empty'].pk}/",
        f"/plans/{approved}/",
        f"/plans/{modern}/settings/",
        f"/plans/{modern}/history/",
        f"/plans/{modern}/suggestions/?mode=reassign&step=0.5",
        f"/plans/{modern}/readiness/",
        f"/plans/{modern}/roadmap/",
        f"/plans/{modern}/report/",
        f"/plans/{modern}/import/",
        f"/plans/compare/?ids={modern},{approved}",
        "/plans/compare/?ids=1",  # the error keeps the form
        "/plans/new/",
        "/roles/",
        "/roles/import/",
        "/accounts/password/",
        "/plans/999999/",  # 404
        "/roles/new/",  # 403 for a planner
    ]


def admin_pages(acme) -> list[str]:
    return [f"/plans/{acme['review'].pk}/", "/roles/new/", f"/plans/{acme['modern'].pk}/history/"]


def check_page(page, url: str, width: int) -> list[str]:
    problems = []
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        problems.append(f"{url} at {width}px scrolls sideways ({scroll_width}px)")
    problems += [f"{url} at {width}px: {violation}" for violation in axe_violations(page)]
    return problems


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1366px"])
def test_every_page_fits_the_screen_and_axe_finds_nothing_serious(
    open_context, acme, live_server, viewport
):
    problems = []
    for user, urls in (
        (acme["planner"], planner_pages(acme)),
        (acme["admin"], admin_pages(acme)),
        (acme["viewer"], [f"/plans/{acme['modern'].pk}/"]),
        (None, ["/accounts/login/"]),
    ):
        context = open_context(
            user, viewport=viewport, is_mobile=viewport is PHONE, bypass_csp=True
        )
        page = context.new_page()
        for url in urls:
            response = page.goto(url)
            assert response.status in (200, 400, 403, 404), (url, response.status)
            problems += check_page(page, url, viewport["width"])
        context.close()
    # 500 and 503 are rendered without a request (and the 503 without a database)
    context = open_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    for name in ("500.html", "503.html"):
        page.goto("/accounts/login/")
        page.set_content(render_to_string(name))
        expect(page.get_by_role("link", name="Go to your plans")).to_be_visible()
        problems += check_page(page, name, viewport["width"])
    assert not problems, "\n".join(problems)


def test_on_a_phone_lines_are_cards_and_the_score_stays_in_sight_while_editing(open_context, acme):
    context = open_context(acme["planner"], viewport=PHONE, is_mobile=True, bypass_csp=True)
    page = context.new_page()
    page.goto(f"/plans/{acme['modern'].pk}/")
    last = page.get_by_label("Planned FTE, Instructional Designer", exact=True)
    last.scroll_into_view_if_needed()
    last.fill("1")
    summary = page.get_by_test_id("score-summary")
    expect(summary).to_contain_text("11.0 FTE")  # the planned total with the typed value
    expect(summary).to_be_in_viewport()
    box, row = summary.bounding_box(), last.bounding_box()
    assert box["y"] < row["y"] and box["y"] + box["height"] <= 844
    # a line is a card: role, band, current and planned all within the 390 px screen
    card = page.locator("tr.line-row").filter(has_text="Trainer").first
    card_box = card.bounding_box()
    assert card_box["x"] >= 0 and card_box["x"] + card_box["width"] <= 390
    for label in ("Current FTE, Trainer", "Planned FTE, Trainer"):
        field = page.get_by_label(label, exact=True).bounding_box()
        assert field["x"] + field["width"] <= 390
    expect(card).to_contain_text("Formal")
    # chart text stays legible: at least 12 px on screen
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('svg.mix-chart text')].map(text => {
            const svg = text.ownerSVGElement;
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return parseFloat(getComputedStyle(text).fontSize) * scale;
        })"""
    )
    assert sizes and min(sizes) >= 12, min(sizes)


def test_build_a_six_role_plan_without_a_page_reload_then_submit_it(open_context, acme):
    plan = acme["empty"]
    page = open_context(acme["planner"], viewport=DESKTOP).new_page()
    page.goto(f"/plans/{plan.pk}/")
    expect(page.get_by_role("heading", name="Add your roles")).to_be_visible()
    expect(page.get_by_label("Search roles by title or discipline")).to_be_focused()
    page.evaluate("window.sameDocument = 'yes'")
    search = page.get_by_label("Search roles by title or discipline")
    for query, title, _current, _planned in SIX_ROLES:
        search.fill(query)
        page.get_by_role("button", name=f"Add {title}", exact=True).click()
        expect(page.get_by_label(f"Planned FTE, {title}", exact=True)).to_be_visible()
        expect(page.locator("#add-role-status")).to_contain_text(f"Added {title}.")
        expect(search).to_have_value(query)  # the search stays put
        expect(page.get_by_role("button", name=f"Add {title}", exact=True)).to_have_count(0)
    assert page.evaluate("window.sameDocument") == "yes"  # never reloaded
    expect(page.locator("tr.line-row")).to_have_count(6)
    expect(page.get_by_test_id("save")).to_have_text("Save changes (6 pending)")
    expect(page.get_by_test_id("next-step")).to_contain_text("Enter today's and the planned FTE")
    for _query, title, current, planned in SIX_ROLES:
        page.get_by_label(f"Current FTE, {title}", exact=True).fill(current)
        page.get_by_label(f"Planned FTE, {title}", exact=True).fill(planned)
    expect(page.get_by_test_id("planned-score")).to_have_text("100.0")
    expect(page.get_by_test_id("next-step")).to_contain_text("Every band is within target")
    assert page.evaluate("window.sameDocument") == "yes"
    assert PlanLine.objects.filter(plan=plan).count() == 0  # nothing stored before Save
    page.get_by_test_id("save").click()
    expect(page.get_by_text(re.compile("Saved: 6 added"))).to_be_visible()
    assert PlanLine.objects.filter(plan=plan).count() == 6
    # the next step is now the primary button
    submit = page.get_by_role("button", name="Submit for review")
    expect(submit).to_have_class(re.compile(r"^button small$"))
    submit.click()
    expect(page.get_by_test_id("plan-status")).to_have_text("In review")


def test_leaving_with_unsaved_edits_asks_first_and_enter_never_saves(open_context, acme):
    plan = acme["modern"]
    page = open_context(acme["planner"], viewport=DESKTOP).new_page()
    page.goto(f"/plans/{plan.pk}/")
    planned = page.get_by_label("Planned FTE, Trainer", exact=True)
    planned.fill("3")
    expect(page.get_by_test_id("save")).to_have_text("Save changes (1 pending)")
    planned.press("Enter")
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("plan-version")).to_have_text(
        str(Plan.objects.get(pk=plan.pk).version)
    )
    assert PlanLine.objects.get(plan=plan, role__title="Trainer").planned_fte == Decimal(1)

    prompts = []

    def answer(dialog, accept):
        prompts.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    # asking for suggestions (htmx, the page stays) does not count as leaving
    page.once("dialog", lambda dialog: answer(dialog, False))
    page.locator(".suggestions-form button[type=submit]").click()  # the suggestions panel
    page.wait_for_timeout(300)
    assert prompts == []  # the handler is still waiting: it dismisses the next prompt
    page.get_by_role("link", name="Plans", exact=True).click()
    page.wait_for_timeout(200)
    assert prompts == ["You have unsaved changes on this plan. Leave without saving them?"]
    assert page.url.endswith(f"/plans/{plan.pk}/")
    expect(planned).to_have_value("3")  # still there

    page.once("dialog", lambda dialog: answer(dialog, True))
    page.get_by_role("link", name="Plans", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("^Plans"))).to_be_visible()
    assert len(prompts) == 2

    # closing the tab asks too (the browser's own beforeunload prompt)
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_label("Planned FTE, Coach", exact=True).fill("2")
    kinds = []
    page.once("dialog", lambda dialog: (kinds.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(300)
    assert kinds == ["beforeunload"]


def test_without_javascript_the_page_says_what_was_kept(open_context, acme):
    plan = acme["modern"]
    page = open_context(acme["planner"], java_script_enabled=False).new_page()
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_label("Planned FTE, Trainer", exact=True).fill("2")
    page.get_by_label("Search roles by title or discipline").fill("learning tech")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#unsaved-note")).to_contain_text(
        "your typed values were kept on this page but are not stored yet"
    )
    expect(page.get_by_label("Planned FTE, Trainer", exact=True)).to_have_value("2")
