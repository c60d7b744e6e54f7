"""OIDC_GROUPS_CLAIM and OIDC_GROUP_MAP: each sign-in brings the memberships in step."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from roles.models import Membership
from sso.config import GroupGrant, desired_roles, parse_group_map
from sso.models import ManagedMembership, OidcIdentity
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.oidc_provider.fixtures import sign_in_at_provider


def test_the_map_reads_group_equals_slug_colon_role():
    assert parse_group_map(" hr-admins=acme:admin, ld = acme:Planner ,,") == (
        GroupGrant("hr-admins", "acme", "admin"),
        GroupGrant("ld", "acme", "planner"),
    )


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ("hr-admins", "write group=organization-slug:role"),
        ("ld=acme:boss", "admin, planner, viewer"),
    ],
)
def test_a_bad_map_entry_is_refused_with_the_entry_named(entry, words):
    with pytest.raises(ImproperlyConfigured) as refused:
        parse_group_map(entry)
    assert f"'{entry}'" in str(refused.value) and words in str(refused.value)


def test_a_bad_map_stops_the_system_check(settings):
    settings.OIDC_GROUPS_CLAIM = "groups"
    settings.OIDC_GROUP_MAP = "ld=acme"
    with pytest.raises(SystemCheckError, match="sso.E002"):
        call_command("check")


def test_several_groups_of_one_organization_give_the_highest_role():
    grants = parse_group_map("ld=acme:viewer,hr-admins=acme:admin,ld=globex:planner")
    assert desired_roles(grants, {"ld", "hr-admins"}) == {"acme": "admin", "globex": "planner"}
    assert desired_roles(grants, {"ld"}) == {"acme": "viewer", "globex": "planner"}
    assert desired_roles(grants, set()) == {}


@pytest.fixture
def group_map(sso_settings):
    sso_settings.OIDC_GROUPS_CLAIM = "groups"
    sso_settings.OIDC_GROUP_MAP = "hr-admins=acme:admin,ld=acme:planner,ld=globex:viewer"
    return sso_settings


def roles_of(user) -> dict[str, str]:
    return {
        m.organization.slug: m.role
        for m in Membership.objects.filter(user=user).select_related("organization")
    }


@pytest.mark.django_db
def test_each_sign_in_adds_updates_and_removes_the_memberships_the_map_manages(
    client, group_map, oidc_provider
):
    acme = OrganizationFactory(slug="acme")
    OrganizationFactory(slug="globex")
    MembershipFactory(organization=acme, role="admin")  # another admin, so demotions may happen
    by_hand = MembershipFactory(organization=OrganizationFactory(slug="initech"), role="viewer")
    username, password = oidc_provider.add_user(email="gail@example.com", groups=["ld"])

    sign_in_at_provider(client, username, password)
    user = OidcIdentity.objects.get(subject=username).user
    by_hand.user = user
    by_hand.save()
    assert roles_of(user) == {"acme": "planner", "globex": "viewer", "initech": "viewer"}

    client.logout()
    username, password = oidc_provider.add_user(
        email="gail@example.com", username=username, groups=["hr-admins", "unmapped"]
    )
    sign_in_at_provider(client, username, password)
    assert roles_of(user) == {"acme": "admin", "initech": "viewer"}  # globex removed, by hand kept
    assert ManagedMembership.objects.get(membership__user=user).groups == ["hr-admins"]

    client.logout()
    username, password = oidc_provider.add_user(
        email="gail@example.com", username=username, groups=[]
    )
    sign_in_at_provider(client, username, password)
    assert roles_of(user) == {"initech": "viewer"}


@pytest.mark.django_db
def test_the_map_never_removes_nor_demotes_the_last_admin(client, group_map, oidc_provider):
    OrganizationFactory(slug="acme")
    username, password = oidc_provider.add_user(email="hal@example.com", groups=["hr-admins"])
    sign_in_at_provider(client, username, password)
    user = OidcIdentity.objects.get(subject=username).user

    for groups in (["ld"], []):  # a demotion, then a removal
        client.logout()
        username, password = oidc_provider.add_user(
            email="hal@example.com", username=username, groups=groups
        )
        response = sign_in_at_provider(client, username, password)
        assert response["Location"] == "/"
        assert roles_of(user) == {"acme": "admin"}


@pytest.mark.django_db
def test_a_mapped_group_takes_over_a_membership_made_by_hand(client, group_map, oidc_provider):
    acme = OrganizationFactory(slug="acme")
    MembershipFactory(organization=acme, role="admin")
    user = UserFactory(username="ian", email="ian@example.com")
    MembershipFactory(user=user, organization=acme, role="viewer")
    username, password = oidc_provider.add_user(email="ian@example.com", groups=["ld"])

    sign_in_at_provider(client, username, password)

    assert roles_of(user) == {"acme": "planner"}
    assert ManagedMembership.objects.filter(membership__user=user).count() == 1


@pytest.mark.django_db
def test_without_a_groups_claim_the_memberships_stay(client, group_map, oidc_provider):
    acme = OrganizationFactory(slug="acme")
    MembershipFactory(organization=acme, role="admin")
    username, password = oidc_provider.add_user(email="jo@example.com", groups=["ld"])
    sign_in_at_provider(client, username, password)
    client.logout()
    username, password = oidc_provider.add_user(email="jo@example.com", username=username)

    sign_in_at_provider(client, username, password)  # this time the provider sent no groups

    user = OidcIdentity.objects.get(subject=username).user
    assert roles_of(user) == {"acme": "planner"}


@pytest.mark.django_db
def test_an_organization_the_map_names_but_that_does_not_exist_is_skipped(
    client, group_map, oidc_provider
):
    OrganizationFactory(slug="acme")  # no globex
    username, password = oidc_provider.add_user(email="kim@example.com", groups=["ld"])

    response = sign_in_at_provider(client, username, password)

    assert response["Location"] == "/"
    assert roles_of(OidcIdentity.objects.get(subject=username).user) == {"acme": "planner"}


@pytest.mark.parametrize("count", [1, 8])
@pytest.mark.django_db
def test_a_returning_sign_in_runs_the_same_number_of_queries_whatever_the_groups(
    client, group_map, oidc_provider, django_assert_max_num_queries, count
):
    # 27 with savepoints: session, identity, user, invitations, memberships, organizations.
    group_map.OIDC_GROUP_MAP = ",".join(f"g{n}=org-{n}:planner" for n in range(count))
    for number in range(count):
        MembershipFactory(organization=OrganizationFactory(slug=f"org-{number}"), role="admin")
    groups = [f"g{n}" for n in range(count)]
    username, password = oidc_provider.add_user(email="quinn@example.com", groups=groups)
    sign_in_at_provider(client, username, password)  # the first sign-in makes the memberships
    client.logout()

    returning = django_assert_max_num_queries(27)
    response = sign_in_at_provider(client, username, password, during_callback=returning)

    assert response["Location"] == "/"
    assert len(roles_of(OidcIdentity.objects.get(subject=username).user)) == count
