"""API of members and invitations: nothing about people outside the admin's organizations."""

import pytest
from django.core import mail
from django.utils import timezone

from roles.models import Invitation, Membership
from tests.conftest import api_client_for, member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def add(client, organization, username):
    return client.post(
        "/api/v1/memberships/",
        {"organization": organization.id, "username": username, "role": "viewer"},
        format="json",
    )


def test_adding_a_foreign_user_answers_exactly_like_an_unknown_one(
    admin_client_api, organization, outsider
):
    foreign = add(admin_client_api, organization, outsider.username)
    unknown = add(admin_client_api, organization, "nobody-at-all")
    assert foreign.status_code == unknown.status_code == 400
    assert foreign.json()["username"] == [
        f"No user named '{outsider.username}' in your organizations: invite them by email instead."
    ]
    assert unknown.json()["username"] == [
        "No user named 'nobody-at-all' in your organizations: invite them by email instead."
    ]
    assert outsider.email not in foreign.content.decode()
    assert not Membership.objects.filter(user=outsider, organization=organization).exists()


def test_a_user_with_no_organization_is_unknown_too(admin_client_api, organization):
    loner = UserFactory(username="loner", email="loner@example.com")
    response = add(admin_client_api, organization, loner.username)
    assert response.status_code == 400
    assert "loner@example.com" not in response.content.decode()


def test_memberships_list_shows_no_foreign_member(admin_client_api, outsider):
    response = admin_client_api.get("/api/v1/memberships/")
    assert response.status_code == 200
    body = response.content.decode()
    assert outsider.username not in body and outsider.email not in body


def test_a_foreign_organization_filter_answers_like_an_unknown_one(
    admin_client_api, other_organization
):
    foreign = admin_client_api.get(f"/api/v1/memberships/?organization={other_organization.id}")
    unknown = admin_client_api.get("/api/v1/memberships/?organization=987654")
    assert foreign.status_code == unknown.status_code == 400
    assert list(foreign.json()) == list(unknown.json()) == ["organization"]


def test_admin_creates_lists_and_revokes_invitations(admin_client_api, organization, settings):
    settings.MAIL_CONFIGURED = False
    created = admin_client_api.post(
        "/api/v1/invitations/",
        {"organization": organization.id, "email": "Nina@Example.com", "role": "planner"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["email"] == "nina@example.com"
    assert body["state"] == "pending"
    assert body["invited_by"] == "alice-admin"
    assert body["link"].startswith("http://testserver/invitations/")
    listed = admin_client_api.get("/api/v1/invitations/").json()
    assert [row["email"] for row in listed["results"]] == ["nina@example.com"]
    assert listed["results"][0]["link"] is None  # the link is shown once
    revoked = admin_client_api.delete(f"/api/v1/invitations/{body['id']}/")
    assert revoked.status_code == 204
    again = admin_client_api.get(f"/api/v1/invitations/{body['id']}/").json()
    assert again["state"] == "revoked"


def test_an_invitation_created_through_the_api_is_mailed_when_configured(
    admin_client_api, organization, settings
):
    settings.MAIL_CONFIGURED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    created = admin_client_api.post(
        "/api/v1/invitations/",
        {"organization": organization.id, "email": "nina@example.com", "role": "viewer"},
        format="json",
    )
    assert created.status_code == 201
    assert mail.outbox[0].to == ["nina@example.com"]
    assert created.json()["link"] in mail.outbox[0].body


def test_planners_cannot_invite_and_see_no_invitations(planner_client, organization):
    Invitation.objects.create(
        organization=organization,
        email="x@example.com",
        token_hash="a" * 64,
        expires_at=timezone.now(),
    )
    response = planner_client.post(
        "/api/v1/invitations/",
        {"organization": organization.id, "email": "nina@example.com", "role": "admin"},
        format="json",
    )
    assert response.status_code == 403
    assert planner_client.get("/api/v1/invitations/").json()["count"] == 0


def test_invitations_of_another_organization_stay_hidden(
    admin_client_api, outsider_client, other_organization, organization
):
    created = outsider_client.post(
        "/api/v1/invitations/",
        {"organization": other_organization.id, "email": "z@example.com", "role": "viewer"},
        format="json",
    )
    invitation_id = created.json()["id"]
    assert admin_client_api.get("/api/v1/invitations/").json()["count"] == 0
    assert admin_client_api.get(f"/api/v1/invitations/{invitation_id}/").status_code == 404
    assert admin_client_api.delete(f"/api/v1/invitations/{invitation_id}/").status_code == 404
    into_foreign = admin_client_api.post(
        "/api/v1/invitations/",
        {"organization": other_organization.id, "email": "y@example.com", "role": "viewer"},
        format="json",
    )
    assert into_foreign.status_code == 400 and "organization" in into_foreign.json()


def test_inviting_a_member_says_so_and_bad_input_is_400(admin_client_api, organization, planner):
    member_again = admin_client_api.post(
        "/api/v1/invitations/",
        {"organization": organization.id, "email": planner.email, "role": "viewer"},
        format="json",
    )
    assert member_again.status_code == 400 and "email" in member_again.json()
    bad = admin_client_api.post(
        "/api/v1/invitations/",
        {"organization": organization.id, "email": "nope", "role": "boss"},
        format="json",
    )
    assert bad.status_code == 400
    assert set(bad.json()) == {"email", "role"}


def test_invitations_list_query_count(
    admin_client_api, organization, django_assert_max_num_queries
):
    client_admin = member(organization, "admin", "second-admin")
    second = api_client_for(client_admin)
    for number in range(12):
        second.post(
            "/api/v1/invitations/",
            {"organization": organization.id, "email": f"p{number}@example.com"},
            format="json",
        )
    with django_assert_max_num_queries(5):
        response = admin_client_api.get("/api/v1/invitations/")
    assert response.json()["count"] == 12


def test_a_foreign_organization_filter_on_invitations_answers_like_an_unknown_one(
    admin_client_api, other_organization
):
    foreign = admin_client_api.get(f"/api/v1/invitations/?organization={other_organization.id}")
    unknown = admin_client_api.get("/api/v1/invitations/?organization=987654")
    assert foreign.status_code == unknown.status_code == 400
    assert foreign.json().keys() == unknown.json().keys() == {"organization"}


def test_a_foreign_membership_id_answers_like_an_unknown_one(admin_client_api, outsider):
    foreign_id = Membership.objects.get(user=outsider).id
    for method in ("get", "patch", "delete"):
        foreign = getattr(admin_client_api, method)(f"/api/v1/memberships/{foreign_id}/")
        unknown = getattr(admin_client_api, method)("/api/v1/memberships/98765/")
        assert foreign.status_code == unknown.status_code == 404
        assert foreign.json() == unknown.json()
    assert Membership.objects.get(user=outsider).role == "admin"
