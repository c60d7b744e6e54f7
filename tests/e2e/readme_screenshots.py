"""The README's screenshots, desktop and phone: run on purpose by scripts/screenshots.sh.

Not a test module (its name does not start with `test_`), so a test run never rewrites docs/;
the script passes this file to pytest explicitly with SCREENSHOTS_DIR set.
"""

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from plans.models import Plan
from plans.services.demo import MODERN_PLAN, TODAY_PLAN, demo_load
from plans.services.roadmap import roadmap_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def test_refresh_the_readme_screenshots(standard_catalog, open_context):
    target = Path(os.environ["SCREENSHOTS_DIR"])
    target.mkdir(parents=True, exist_ok=True)
    demo_load()
    modern = Plan.objects.get(name=MODERN_PLAN)
    roadmap_build(plan=modern, start=date(2027, 1, 1), max_fte_per_quarter=Decimal(2))
    today = Plan.objects.get(name=TODAY_PLAN)
    user = modern.created_by

    page = open_context(user, viewport=DESKTOP).new_page()
    page.goto(f"/plans/{modern.pk}/")
    expect(page.get_by_test_id("planned-score")).to_be_visible()
    page.screenshot(path=str(target / "screenshot-planner.png"))
    page.goto(f"/plans/{modern.pk}/roadmap/")
    page.get_by_role("heading", name="Timeline").scroll_into_view_if_needed()
    page.screenshot(path=str(target / "screenshot-roadmap.png"))
    page.goto(f"/plans/compare/?ids={today.pk},{modern.pk}")
    page.screenshot(path=str(target / "screenshot-compare.png"))

    phone = open_context(user, viewport=PHONE, is_mobile=True).new_page()
    phone.goto(f"/plans/{modern.pk}/")
    field = phone.get_by_label("Planned FTE, Coach", exact=True)
    field.scroll_into_view_if_needed()
    field.fill("2")
    expect(phone.locator("#unsaved-note")).to_contain_text("unsaved changes")
    expect(phone.get_by_test_id("score-summary")).to_be_in_viewport()
    phone.screenshot(path=str(target / "screenshot-planner-phone.png"))
    for name in ("planner", "roadmap", "compare", "planner-phone"):
        assert (target / f"screenshot-{name}.png").stat().st_size > 10_000
