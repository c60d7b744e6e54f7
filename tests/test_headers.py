"""Security headers on every response (issue 12, item 10): a page, an API answer, a static file."""

import pytest
from django.test import Client

from tests.factories import PlanFactory

CSP_REQUIRED = ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")


def assert_guarded(response):
    policy = response["Content-Security-Policy"]
    for directive in CSP_REQUIRED:
        assert directive in policy, (directive, policy)
    script = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "unsafe-inline" not in script and "unsafe-eval" not in script
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_a_page_carries_the_security_headers(planner_web, organization):
    response = planner_web.get("/")
    assert response.status_code == 200
    assert_guarded(response)


@pytest.mark.django_db
def test_an_api_answer_carries_the_security_headers(planner_client):
    response = planner_client.get("/api/v1/plans/")
    assert response.status_code == 200
    assert_guarded(response)


def test_a_static_file_carries_the_security_headers(settings):
    # WhiteNoise answers static files before the rest of the middleware runs.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/css/app.css")
    assert response.status_code == 200
    assert_guarded(response)


@pytest.mark.django_db
def test_pages_hold_no_inline_script(planner_web, organization, planner):
    plan = PlanFactory(organization=organization, created_by=planner)
    # the pages of the planner, its report and roadmap, the import page, the sign-in page
    for url in (
        f"/plans/{plan.pk}/",
        f"/plans/{plan.pk}/report/",
        f"/plans/{plan.pk}/roadmap/",
        f"/plans/{plan.pk}/import/",
        "/accounts/login/",
    ):
        html = planner_web.get(url).content.decode()
        assert "<script>" not in html and " onclick=" not in html and "hx-on" not in html, url


@pytest.mark.django_db
def test_the_api_docs_load_from_local_files(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "<script>" not in html
