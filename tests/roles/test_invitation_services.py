"""Invitations: a single-use, expiring link for one email address, accepted into a membership."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from roles import services
from roles.models import Invitation, Membership
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def invite(organization, email="new.person@example.com", role="planner", by=None):
    return services.invitation_create(
        organization=organization, email=email, role=role, invited_by=by
    )


def test_the_token_is_not_stored_only_its_hash(organization, admin_user):
    issued = invite(organization, by=admin_user)
    stored = Invitation.objects.get()
    assert issued.token not in stored.token_hash
    assert stored.token_hash == services.invitation_token_hash(issued.token)
    assert len(issued.token) >= 40
    assert stored.expires_at - stored.created_at == pytest.approx(
        timedelta(days=7), abs=timedelta(seconds=5)
    )
    assert stored.email == "new.person@example.com"


def test_accepting_as_the_invited_user_creates_the_membership(organization):
    issued = invite(organization, email="New.Person@Example.com")
    user = UserFactory(username="newbie", email="new.person@example.com")
    membership = services.invitation_accept(token=issued.token, user=user)
    assert (membership.user, membership.organization, membership.role) == (
        user,
        organization,
        "planner",
    )
    issued.invitation.refresh_from_db()
    assert issued.invitation.accepted_by == user
    assert issued.invitation.state(timezone.now()) == "accepted"


def test_a_link_works_once(organization):
    issued = invite(organization)
    user = UserFactory(username="newbie", email="new.person@example.com")
    services.invitation_accept(token=issued.token, user=user)
    with pytest.raises(services.InvitationRefused) as refused:
        services.invitation_accept(token=issued.token, user=user)
    assert refused.value.message_dict == {"token": ["This invitation link was already used."]}


def test_an_expired_link_is_refused(organization):
    issued = invite(organization)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    user = UserFactory(username="newbie", email="new.person@example.com")
    with pytest.raises(services.InvitationRefused) as refused:
        services.invitation_accept(token=issued.token, user=user)
    assert "expired" in refused.value.message_dict["token"][0]
    assert not Membership.objects.filter(user=user).exists()


def test_a_revoked_link_is_refused(organization):
    issued = invite(organization)
    services.invitation_revoke(invitation=issued.invitation)
    user = UserFactory(username="newbie", email="new.person@example.com")
    with pytest.raises(services.InvitationRefused) as refused:
        services.invitation_accept(token=issued.token, user=user)
    assert "withdrawn" in refused.value.message_dict["token"][0]


def test_another_users_account_cannot_accept(organization):
    issued = invite(organization)
    intruder = UserFactory(username="intruder", email="intruder@example.com")
    with pytest.raises(services.InvitationRefused) as refused:
        services.invitation_accept(token=issued.token, user=intruder)
    assert "another email address" in refused.value.message_dict["token"][0]
    assert not Membership.objects.filter(user=intruder).exists()
    issued.invitation.refresh_from_db()
    assert issued.invitation.state(timezone.now()) == "pending"


def test_an_unknown_token_is_refused(organization):
    invite(organization)
    user = UserFactory(username="newbie", email="new.person@example.com")
    with pytest.raises(services.InvitationRefused) as refused:
        services.invitation_accept(token="not-a-token", user=user)
    assert refused.value.message_dict == {"token": ["This invitation link is not valid."]}


def test_sign_up_creates_the_account_with_the_invited_email(organization):
    issued = invite(organization, role="viewer")
    user, membership = services.invitation_sign_up(
        token=issued.token, username="newbie", password="a long passphrase 42"
    )
    assert user.email == "new.person@example.com"
    assert user.check_password("a long passphrase 42")
    assert membership.role == "viewer"


def test_sign_up_with_a_weak_password_writes_nothing(organization):
    issued = invite(organization)
    with pytest.raises(ValidationError) as refused:
        services.invitation_sign_up(token=issued.token, username="newbie", password="123")
    assert "password" in refused.value.message_dict
    assert (
        not Membership.objects.exists()
        or not Membership.objects.filter(user__username="newbie").exists()
    )
    issued.invitation.refresh_from_db()
    assert issued.invitation.accepted_at is None


def test_inviting_a_member_again_is_refused(organization, admin_user):
    with pytest.raises(ValidationError) as refused:
        invite(organization, email=admin_user.email.upper())
    assert "already a member" in refused.value.message_dict["email"][0]


def test_a_new_invitation_revokes_the_pending_one(organization):
    first = invite(organization)
    second = invite(organization, role="admin")
    first.invitation.refresh_from_db()
    assert first.invitation.revoked_at is not None
    assert second.invitation.state(timezone.now()) == "pending"


def test_accept_for_email_takes_every_pending_invitation(organization, other_organization):
    invite(organization, role="planner")
    invite(other_organization, role="viewer")
    third = OrganizationFactory()
    expired = invite(third)
    Invitation.objects.filter(pk=expired.invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    user = UserFactory(username="sso-user", email="someone@else.example")
    memberships = services.invitations_accept_for_email(user, "NEW.person@example.com")
    assert sorted((m.organization.slug, m.role) for m in memberships) == [
        ("acme-test", "planner"),
        ("globex-test", "viewer"),
    ]
    assert not Membership.objects.filter(user=user, organization=third).exists()
    assert services.invitations_accept_for_email(user, "new.person@example.com") == []


def test_accept_for_email_keeps_an_existing_membership(organization):
    user = UserFactory(username="already", email="new.person@example.com")
    MembershipFactory(user=user, organization=organization, role="admin")
    invite_other = OrganizationFactory()
    invite(invite_other)
    Invitation.objects.create(
        organization=organization,
        email="new.person@example.com",
        role="viewer",
        token_hash="x" * 64,
        expires_at=timezone.now() + timedelta(days=1),
    )
    memberships = services.invitations_accept_for_email(user, "new.person@example.com")
    roles = {m.organization_id: m.role for m in memberships}
    assert roles == {organization.id: "admin", invite_other.id: "planner"}
    assert services.invitations_accept_for_email(user, "") == []


def test_sign_up_is_refused_when_the_email_has_an_account(organization):
    issued = invite(organization)
    UserFactory(username="existing", email="New.Person@example.com")
    with pytest.raises(ValidationError) as refused:
        services.invitation_sign_up(
            token=issued.token, username="second", password="a long passphrase 42"
        )
    assert "sign in" in refused.value.message_dict["username"][0]
    assert not get_user_model().objects.filter(username="second").exists()


def test_accept_for_email_skips_withdrawn_and_used_invitations(organization, other_organization):
    withdrawn = invite(organization)
    services.invitation_revoke(invitation=withdrawn.invitation)
    used = invite(other_organization)
    first = UserFactory(username="first", email="new.person@example.com")
    services.invitation_accept(token=used.token, user=first)
    second = UserFactory(username="second", email="other@example.com")
    assert services.invitations_accept_for_email(second, "new.person@example.com") == []
    assert not Membership.objects.filter(user=second).exists()
