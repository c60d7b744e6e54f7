"""In Chromium: a leader answers the readiness check of the demo's modern scenario, sees the risk
flag on the planner, builds the reskilling roadmap, edits a learning plan and prints it."""

import pytest
from playwright.sync_api import expect

from plans.domain.readiness import QUESTIONS, SYSTEM
from plans.models import Plan, RoadmapTransition
from plans.presenters import QUESTION_TEXTS
from plans.services.demo import MODERN_PLAN, demo_load
from tests.e2e.conftest import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def test_answer_the_readiness_check_and_open_the_roadmap(standard_catalog, open_context, tmp_path):
    demo_load()
    plan = Plan.objects.get(name=MODERN_PLAN)
    page = open_context(plan.created_by).new_page()

    page.goto(f"/plans/{plan.id}/readiness/")
    for question in QUESTIONS:
        answer = "1 · Rarely" if question.group == SYSTEM else "3 · Often"
        page.get_by_role("group", name=QUESTION_TEXTS[question.code]).get_by_label(answer).check()
    page.get_by_label("Note (optional)").first.fill("Bonuses still count course hours.")
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_text("Readiness answers saved.")).to_be_visible()
    expect(page.get_by_test_id("readiness-score")).to_have_text(
        "55.8"
    )  # (5 × 1 + 8 × 3) / 13 / 4 × 100
    expect(page.get_by_test_id("readiness-flag")).to_contain_text("pull people right back")
    assert axe_violations(page) == []

    page.goto(f"/plans/{plan.id}/")
    expect(page.get_by_test_id("readiness-summary-score")).to_have_text("55.8")
    expect(page.get_by_test_id("readiness-summary-flag")).to_be_visible()

    page.get_by_role("link", name="Reskilling roadmap").click()
    expect(page.get_by_text("No roadmap yet.")).to_be_visible()
    page.get_by_label("Start").fill("2026-01-01")
    page.get_by_label("Most FTE moved a quarter").fill("2")
    page.get_by_role("button", name="Build roadmap").click()
    expect(page.get_by_text("Roadmap built.")).to_be_visible()
    timeline = page.get_by_test_id("roadmap-timeline")
    expect(timeline).to_be_visible()
    expect(timeline.locator("g.tl-quarter")).to_have_count(5)  # 9.5 FTE at 2 a quarter
    expect(page.get_by_role("heading", name="Senior Trainer → Coach", exact=False)).to_be_visible()

    coach = page.locator("article.transition", has=page.get_by_role("heading", name="→ Coach"))
    coach.locator("summary", has_text="Edit this learning plan").click()
    coach.get_by_label("Target the people you need").fill("Mia, who coaches the sales teams.")
    coach.get_by_role("button", name="Save learning plan").click()
    expect(page.get_by_text("Learning plan saved.")).to_be_visible()  # swapped in by htmx
    saved = RoadmapTransition.objects.get(roadmap__plan=plan, to_role__title="Coach")
    assert saved.target == "Mia, who coaches the sales teams."
    assert axe_violations(page) == []

    page.emulate_media(media="print")
    expect(page.locator("#roadmap-build-form")).to_be_hidden()
    expect(timeline).to_be_visible()
    expect(coach.locator("dd", has_text="Mia, who coaches the sales teams.")).to_be_visible()
    expect(coach.get_by_label("Target the people you need")).to_be_hidden()
    page.emulate_media(media="screen")
    page.goto(f"/plans/{plan.id}/roadmap/")
    page.get_by_role("heading", name="Timeline").scroll_into_view_if_needed()
    # a test run leaves the working tree alone: README screenshots come from scripts/screenshots.sh
    shot = tmp_path / "roadmap.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
