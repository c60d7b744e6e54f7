"""The members page: admins list, re-role, remove, invite (link shown or mailed) and erase."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from roles.models import Invitation, Membership
from tests.factories import MembershipFactory, UserFactory
from tests.support import client_for

pytestmark = pytest.mark.django_db


def test_admins_see_members_with_role_and_last_sign_in(admin_web, admin_user, planner, viewer):
    admin_user.last_login = timezone.make_aware(timezone.datetime(2026, 3, 4, 9, 30))
    admin_user.save(update_fields=["last_login"])
    response = admin_web.get("/members/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "paula-planner" in text and "victor-viewer" in text
    assert "4 Mar 2026, 09:30" in text
    assert "never" in text  # the planner never signed in
    assert 'href="/members/"' in text  # the nav links the page for admins


def test_the_nav_hides_members_from_non_admins(planner_web):
    assert 'href="/members/"' not in planner_web.get("/").content.decode()


@pytest.mark.parametrize("who", ["planner_web", "viewer_web"])
def test_only_admins_open_the_members_page(request, who):
    assert request.getfixturevalue(who).get("/members/").status_code == 403


def test_change_role_and_remove(admin_web, organization, planner):
    membership = Membership.objects.get(user=planner)
    response = admin_web.post(f"/members/{membership.pk}/role/", {"role": "viewer"}, follow=True)
    assert "paula-planner is now viewer." in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "viewer"
    admin_web.post(f"/members/{membership.pk}/remove/")
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_admin_stays(admin_web, admin_user):
    membership = Membership.objects.get(user=admin_user)
    response = admin_web.post(f"/members/{membership.pk}/remove/", follow=True)
    assert "An organization keeps at least one admin." in response.content.decode()
    response = admin_web.post(f"/members/{membership.pk}/role/", {"role": "viewer"}, follow=True)
    assert "An organization keeps at least one admin." in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_another_organizations_member_is_not_found(admin_web, outsider):
    foreign = Membership.objects.get(user=outsider)
    assert admin_web.post(f"/members/{foreign.pk}/remove/").status_code == 404
    assert admin_web.post(f"/members/{foreign.pk}/role/", {"role": "viewer"}).status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_without_mail_server_the_page_shows_the_link_and_it_works(
    admin_web, organization, settings
):
    settings.MAIL_CONFIGURED = False
    response = admin_web.post("/members/invite/", {"email": "nina@example.com", "role": "planner"})
    assert response.status_code == 200
    text = response.content.decode()
    link = re.search(r'id="invitation-link" value="(http://testserver/invitations/[^"]+/)"', text)
    assert link, text
    assert len(mail.outbox) == 0
    # The invited person creates an account with a password and lands in the organization.
    path = link.group(1).removeprefix("http://testserver")
    from django.test import Client

    browser = Client()
    opened = browser.get(path)
    assert "Join Acme" in opened.content.decode()
    assert "no-store" in opened["Cache-Control"]  # the link's page is never cached
    assert "no-store" in response["Cache-Control"]  # nor the page that shows the link
    response = browser.post(
        path,
        {
            "username": "nina",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.get(user__username="nina").role == "planner"
    assert browser.get("/").status_code == 200  # signed in
    # Single use: the link is spent.
    assert Client().get(path).status_code == 410


def test_with_a_mail_server_the_invitation_is_mailed(admin_web, settings):
    settings.MAIL_CONFIGURED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = admin_web.post("/members/invite/", {"email": "omar@example.com", "role": "viewer"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["omar@example.com"]
    assert message.subject == "You are invited to Acme on L&D Planner"
    assert re.search(r"http://testserver/invitations/[\w-]+/", message.body)
    assert "alice-admin invited you" in message.body


def test_an_invitation_for_a_bad_email_is_refused(admin_web):
    response = admin_web.post("/members/invite/", {"email": "not an email", "role": "viewer"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert not Invitation.objects.exists()


def test_revoke_from_the_page(admin_web, organization, settings):
    settings.MAIL_CONFIGURED = False
    admin_web.post("/members/invite/", {"email": "nina@example.com", "role": "planner"})
    invitation = Invitation.objects.get()
    response = admin_web.post(f"/members/invitations/{invitation.pk}/revoke/", follow=True)
    assert "The invitation for nina@example.com was withdrawn." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_a_signed_in_user_with_another_email_cannot_accept(organization, settings, admin_web):
    settings.MAIL_CONFIGURED = False
    text = admin_web.post(
        "/members/invite/", {"email": "nina@example.com", "role": "planner"}
    ).content.decode()
    path = re.search(r"http://testserver(/invitations/[^\"]+/)", text).group(1)
    someone = client_for(UserFactory(username="someone", email="someone@example.com"))
    assert "sent to another email address" in someone.get(path).content.decode()
    someone.post(path)
    assert not Membership.objects.filter(user__username="someone").exists()
    nina = client_for(UserFactory(username="nina", email="nina@example.com"))
    assert nina.post(path).status_code == 302
    assert Membership.objects.filter(user__username="nina", organization=organization).exists()


def test_an_expired_link_answers_410(organization, settings, admin_web):
    settings.MAIL_CONFIGURED = False
    text = admin_web.post(
        "/members/invite/", {"email": "nina@example.com", "role": "planner"}
    ).content.decode()
    path = re.search(r"http://testserver(/invitations/[^\"]+/)", text).group(1)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    from django.test import Client

    response = Client().get(path)
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_the_members_page_runs_a_fixed_number_of_queries(
    admin_web, organization, django_assert_max_num_queries
):
    for _ in range(15):
        MembershipFactory(organization=organization, role="viewer")
    with django_assert_max_num_queries(12):
        response = admin_web.get("/members/")
    assert response.content.decode().count("Change role") == 16


def test_an_admin_who_removes_themselves_lands_on_the_dashboard(
    admin_web, admin_user, organization
):
    MembershipFactory(organization=organization, role="admin")
    own = Membership.objects.get(user=admin_user)
    response = admin_web.post(f"/members/{own.pk}/remove/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert admin_web.get("/members/").status_code == 403
