"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live_server.

Never downloads a browser: it launches /usr/bin/chromium (scripts/test.sh installs the Debian
package when it is missing). live_server needs a transactional database: see `standard_catalog`
in tests/conftest.py for how the catalog survives its flush.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import sync_playwright

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
    # Evaluated through the DevTools protocol: a <script> tag would be inline script, which the
    # Content-Security-Policy refuses.
    page.evaluate(AXE_JS.read_text())
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{item['id']} ({item['impact']}): {item['help']} — "
        + "; ".join(node["target"][0] for node in item["nodes"][:3])
        for item in violations
        if item["impact"] in minimum
    ]
