"""Erasing a former member: deactivated, signed out, tokens gone, a pseudonym in the history."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from rest_framework.authtoken.models import Token

from plans.models import Plan
from roles import services
from roles.models import Invitation, Membership
from tests.conftest import api_client_for, member
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def former(organization, admin_client_api):
    """Frank planned in Acme (a plan in his name, an invitation to his email), then left."""
    frank = member(organization, "planner", "frank-former")
    frank.first_name, frank.last_name = "Frank", "Former"
    frank.save()
    frank_api = api_client_for(frank)
    created = frank_api.post(
        "/api/v1/plans/", {"organization": organization.id, "name": "Frank's plan"}, format="json"
    )
    assert created.status_code == 201
    Invitation.objects.create(
        organization=organization,
        email=frank.email,
        role="planner",
        token_hash="f" * 64,
        expires_at=created.json()["updated_at"],
    )
    admin_client_api.delete(f"/api/v1/memberships/{frank.memberships.get().id}/")
    return frank


def signed_in_browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_the_members_page_lists_former_members(admin_web, former):
    text = admin_web.get("/members/").content.decode()
    assert f"/members/former/{former.pk}/erase/" in text


def test_erase_deactivates_signs_out_ends_tokens_and_pseudonymises(
    admin_web, admin_client_api, organization, former
):
    browser = signed_in_browser(former)
    assert browser.get("/").status_code == 200
    token = Token.objects.get(user=former).key
    plan = Plan.objects.get(name="Frank's plan")

    response = admin_web.post(f"/members/former/{former.pk}/erase/", follow=True)
    pseudonym = f"erased-user-{former.pk}"
    assert f"it appears as {pseudonym}" in response.content.decode()

    former.refresh_from_db()
    assert (former.username, former.email, former.first_name, former.last_name) == (
        pseudonym,
        "",
        "",
        "",
    )
    assert not former.is_active and not former.has_usable_password()
    assert not Token.objects.filter(key=token).exists()
    for session in Session.objects.all():
        assert session.get_decoded().get("_auth_user_id") != str(former.pk)
    assert browser.get("/").status_code == 302  # signed out
    other = Client()
    refused = other.get("/api/v1/plans/", HTTP_AUTHORIZATION=f"Token {token}")
    assert refused.status_code in (401, 403)
    assert refused.json()["detail"] == "Invalid token."

    # The history keeps every change, in the pseudonym's name, and the plan keeps its numbers.
    entries = admin_client_api.get("/api/v1/audit/?page_size=1000").json()["results"]
    who = {entry["who"] for entry in entries}
    assert pseudonym in who and "frank-former" not in who
    body = admin_client_api.get("/api/v1/audit/?page_size=1000").content.decode()
    assert "frank-former@example.com" not in body and "Frank" not in body.replace(
        "Frank's plan", ""
    )
    assert Plan.objects.get(pk=plan.pk).name == "Frank's plan"
    assert not Invitation.objects.filter(email__icontains="frank").exists()
    assert not Invitation.history.filter(email__icontains="frank").exists()
    assert not Membership.history.filter(user__username="frank-former").exists()


def test_a_current_member_cannot_be_erased(admin_web, planner):
    assert admin_web.post(f"/members/former/{planner.pk}/erase/").status_code == 404
    planner.refresh_from_db()
    assert planner.is_active


def test_someone_still_in_an_organization_the_admin_does_not_administer_stays(
    admin_web, former, other_organization
):
    MembershipFactory(user=former, organization=other_organization, role="viewer")
    response = admin_web.post(f"/members/former/{former.pk}/erase/")
    assert response.status_code == 403
    assert "an organization you do not administer" in response.content.decode()
    former.refresh_from_db()
    assert former.is_active and former.username == "frank-former"


def test_someone_in_another_organization_the_admin_administers_can_be_erased(
    admin_web, admin_user, former, other_organization
):
    MembershipFactory(user=admin_user, organization=other_organization, role="admin")
    MembershipFactory(user=former, organization=other_organization, role="viewer")
    assert admin_web.post(f"/members/former/{former.pk}/erase/").status_code == 302
    former.refresh_from_db()
    assert not former.is_active
    assert not Membership.objects.filter(user=former).exists()


def test_planners_cannot_erase(planner_web, former):
    assert planner_web.post(f"/members/former/{former.pk}/erase/").status_code == 403


def test_a_user_who_never_was_a_member_is_not_found(admin_web, outsider):
    assert admin_web.post(f"/members/former/{outsider.pk}/erase/").status_code == 404


def test_staff_accounts_are_not_erased_here(admin_user, organization, former):
    former.is_staff = True
    former.save()
    with pytest.raises(Exception) as refused:
        services.member_erase(organization=organization, user=former, by=admin_user)
    assert "Site staff" in str(refused.value)
    assert get_user_model().objects.get(pk=former.pk).is_active


def test_erase_ends_the_single_sign_on_link(admin_web, former):
    """The provider's (issuer, subject) pair is personal data too: erasing removes it, so a
    later sign-in at the provider cannot reach the erased account."""
    from sso.models import OidcIdentity

    OidcIdentity.objects.create(user=former, issuer="https://id.example", subject="frank-42")
    response = admin_web.post(f"/members/former/{former.pk}/erase/")
    assert response.status_code == 302
    assert not OidcIdentity.objects.filter(subject="frank-42").exists()
