"""In Chromium, under the Content-Security-Policy (issue 12, item 10): the planner, its search,
the import, report, roadmap and API docs pages run with no CSP violation in the console."""

import pytest
from playwright.sync_api import expect

from tests.factories import MembershipFactory, OrganizationFactory, PlanFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_pages_run_without_csp_violations(open_context, standard_catalog):
    organization = OrganizationFactory(name="Acme", slug="acme-csp")
    planner = UserFactory(username="csp-planner")
    MembershipFactory(user=planner, organization=organization, role="planner")
    plan = PlanFactory(organization=organization, name="CSP plan", created_by=planner)
    context = open_context(planner)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(str(error)))

    page.goto(f"/plans/{plan.pk}/")
    assert "script-src 'self'" in page.evaluate(
        "async () => (await fetch(location.href)).headers.get('content-security-policy')"
    )
    # Enter in the role search fires the htmx search (static/js/behaviours.js, not hx-on).
    search = page.get_by_label("Search roles by title or discipline")
    search.fill("coach")
    search.press("Enter")
    expect(page.get_by_role("button", name="Add Coach", exact=True)).to_be_visible()
    violations = page.evaluate("window.__cspViolations")
    for url in (
        f"/plans/{plan.pk}/import/",
        f"/plans/{plan.pk}/report/",
        f"/plans/{plan.pk}/roadmap/",
        "/api/v1/docs/",
    ):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        violations += page.evaluate("window.__cspViolations")
    assert violations == [], violations
    assert console == [], console
    expect(page.locator(".swagger-ui")).to_be_visible()  # the docs page ran its scripts
    assert violations == []
    assert [text for text in console if "Content Security Policy" in text] == []
