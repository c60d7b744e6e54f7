"""In Chromium: "Sign in with …", sign in at the (real, local) provider, land on the dashboard."""

import pytest
from playwright.sync_api import expect

from sso.models import OidcIdentity
from tests.e2e.conftest import axe_violations
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def test_sign_in_with_the_provider_lands_on_the_dashboard_of_the_mapped_organization(
    open_context, live_server, sso_settings, oidc_provider
):
    sso_settings.OIDC_GROUPS_CLAIM = "groups"
    sso_settings.OIDC_GROUP_MAP = "ld=acme-sso:planner"
    sso_settings.PASSWORD_LOGIN = False
    organization = OrganizationFactory(name="Acme Learning", slug="acme-sso")
    MembershipFactory(organization=organization, role="admin")
    username, password = oidc_provider.add_user(
        email="nora@example.com", groups=["ld"], extra_claims={"given_name": "Nora"}
    )
    page = open_context().new_page()

    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_label("Password")).to_have_count(0)  # PASSWORD_LOGIN=0
    assert axe_violations(page) == []
    page.get_by_role("link", name="Sign in with Acme ID").click()

    assert page.url.startswith(f"{oidc_provider.issuer}/authorize?")
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Plans · Acme Learning")).to_be_visible()
    assert page.url == f"{live_server.url}/"
    user = OidcIdentity.objects.get(subject=username).user
    assert user.memberships.get().role == "planner"
