"""In Chromium: an admin invites someone on the members page, copies the link, the invitee joins;
the page is accessible (axe) and fits 1366 and 390 pixel screens."""

import re

import pytest
from playwright.sync_api import expect

from roles.models import Membership
from tests.e2e.conftest import axe_violations
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def team(standard_catalog, settings):
    settings.MAIL_CONFIGURED = False
    organization = OrganizationFactory(name="Acme Learning", slug="acme-members")
    admin = UserFactory(username="ada-admin", email="ada@example.com")
    MembershipFactory(user=admin, organization=organization, role="admin")
    planner = UserFactory(username="pat-planner", email="pat@example.com")
    MembershipFactory(user=planner, organization=organization, role="planner")
    return organization, admin, planner


@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)])
def test_invite_copy_the_link_and_join(open_context, team, width, height):
    organization, admin, planner = team
    page = open_context(admin, viewport={"width": width, "height": height}).new_page()
    page.goto("/")
    page.get_by_role("link", name="Members", exact=True).click()
    expect(page.get_by_role("heading", name="Members of Acme Learning")).to_be_visible()
    expect(page.get_by_role("row", name="pat-planner")).to_contain_text("never")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # change a role
    page.get_by_label("Role of pat-planner").select_option("viewer")
    page.get_by_role("button", name="Change role of pat-planner").click()
    expect(page.get_by_role("status")).to_contain_text("pat-planner is now viewer.")

    # invite: no mail server, so the page shows the link to copy
    page.get_by_label("Email").fill("nina@example.com")
    page.get_by_role("combobox", name="Role", exact=True).select_option("planner")  # "Role *"
    page.get_by_role("button", name="Invite", exact=True).click()
    link = page.get_by_role("textbox", name="Invitation link")
    expect(link).to_have_value(re.compile(r"/invitations/[\w-]{40,}/$"))
    invitation_url = link.input_value()
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # the invitee opens the link in their own browser and creates an account
    invitee = open_context(viewport={"width": width, "height": height}).new_page()
    invitee.goto(invitation_url)
    expect(invitee.get_by_role("heading", name="Join Acme Learning")).to_be_visible()
    assert axe_violations(invitee) == []
    invitee.get_by_label("Username").fill("nina")
    invitee.get_by_role("textbox", name="Password", exact=True).fill("a long passphrase 42")
    invitee.get_by_label("Password again").fill("a long passphrase 42")
    invitee.get_by_role("button", name="Create account and join").click()
    expect(invitee.get_by_role("status")).to_contain_text("Welcome to Acme Learning")
    assert Membership.objects.get(user__username="nina", organization=organization).role == (
        "planner"
    )

    # the admin sees the new member and the accepted invitation
    page.goto("/members/")
    members = page.get_by_role("table", name="Members, their role and last sign-in")
    expect(members.get_by_role("rowheader", name="nina", exact=True)).to_be_visible()
    invitations = page.get_by_role("table", name="Invitations sent from this organization")
    expect(invitations.get_by_role("row", name="nina@example.com")).to_contain_text("accepted")


def test_the_audit_log_page_is_accessible(open_context, team):
    organization, admin, planner = team
    page = open_context(admin, viewport={"width": 390, "height": 844}).new_page()
    page.goto("/members/")
    page.get_by_label("Role of pat-planner").select_option("viewer")
    page.get_by_role("button", name="Change role of pat-planner").click()
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("cell", name="role: planner → viewer")).to_be_visible()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
