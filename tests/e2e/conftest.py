"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live_server.

Never downloads a browser: it launches /usr/bin/chromium (scripts/test.sh installs the Debian
package when it is missing). live_server needs a transactional database, which pytest-django
flushes after each test, wiping the standard catalog that a data migration loaded. So each test
(re)loads the catalog first, and a teardown hook loads it again after the flush, leaving the
database as the other tests expect it. (serialized_rollback=True restores the data only at the
start of a test, not after it, and skips the post-migrate content types: it did not fit.)
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from playwright.sync_api import sync_playwright
from pytest_django.plugin import blocking_manager_key

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run
# beside it without this (the ORM calls here are ordinary synchronous test setup).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def load_catalog() -> None:
    from plans.models import TargetModel
    from roles.catalog import load_standard_catalog
    from roles.models import Discipline, Role

    load_standard_catalog(Discipline, Role, TargetModel)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After the flush of a browser test, put the migration-loaded catalog back."""
    result = yield
    if nextitem is None:
        # The session is over: the test database is already gone with its fixtures.
        return result
    blocker = item.config.stash[blocking_manager_key]
    with blocker.unblock():
        load_catalog()
        # Close this test's connections now: otherwise one stays open and blocks the
        # DROP DATABASE of the test database at the end of the session.
        connections.close_all()
    return result


@pytest.fixture
def standard_catalog(transactional_db):
    load_catalog()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (scripts/test.sh does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_context(browser, live_server):
    """New browser contexts (separate cookie jars), optionally signed in as a user."""
    contexts = []

    def open_(user=None, **options):
        # options: more new_context() settings, e.g. java_script_enabled=False or a viewport
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
            )
        contexts.append(context)
        return context

    yield open_
    for context in contexts:
        context.close()


def axe_violations(page, minimum=("serious", "critical")) -> list[str]:
    """Run axe-core in the page; the serious and critical violations, described."""
    if not AXE_JS.exists():
        pytest.fail("node_modules/axe-core is missing: run `npm install` (scripts/test.sh does)")
    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{item['id']} ({item['impact']}): {item['help']} — "
        + "; ".join(node["target"][0] for node in item["nodes"][:3])
        for item in violations
        if item["impact"] in minimum
    ]
