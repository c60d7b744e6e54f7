"""Every web page, for every kind of member, with garbage too: never a 500, never a leak.

Walks the URL configuration, so a page added later is covered without editing this test.
"""

import re

import pytest
from django.urls import get_resolver

from plans.services.demo import demo_load
from roles.models import Membership
from tests.factories import MembershipFactory, OrganizationFactory, PlanFactory, RoleFactory

pytestmark = pytest.mark.django_db

GARBAGE_QUERIES = ["", "?ids=1,abc,,999999", "?as=pdf", "?mode=nope&step=-1", "?band=x&q=%00"]
GARBAGE_POSTS = [{}, {"version": "x", "current_fte": "NaN", "name": "", "start": "soon"}]


def web_routes() -> list[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return [
        route
        for route in walk(get_resolver().url_patterns)
        if not route.startswith(("admin/", "api/", "accounts/logout"))
    ]


def fill(route: str, *, pk: int, role_pk: int, member_pk: int | None = None) -> str:
    url = "/" + route
    url = url.replace("roles/<int:pk>", f"roles/{role_pk}")
    if member_pk is not None and route.startswith("members/"):
        url = url.replace("<int:pk>", str(member_pk))  # a membership, invitation or user id
    url = url.replace("<int:pk>", str(pk)).replace("<int:tid>", "999999")
    url = url.replace("<str:token>", "not-a-token")  # an invitation link
    assert "<" not in url, url
    return url


@pytest.fixture
def demo():
    result = demo_load()
    result["foreign_plan"] = PlanFactory(organization=OrganizationFactory())
    result["foreign_role"] = RoleFactory(organization=result["foreign_plan"].organization)
    result["foreign_member"] = MembershipFactory(organization=result["foreign_plan"].organization)
    return result


@pytest.mark.parametrize("username", ["admin", "planner", "viewer"])
def test_no_page_answers_500_and_foreign_plans_are_404(client, demo, username):
    membership = Membership.objects.get(user__username=username)
    client.force_login(membership.user)
    plan = demo["plans"][0]
    own_role = RoleFactory(organization=demo["organization"])
    for route in web_routes():
        own = fill(route, pk=plan.id, role_pk=own_role.id)
        for query in GARBAGE_QUERIES:
            response = client.get(own + query)
            assert response.status_code < 500, (own + query, response.status_code)
        for payload in GARBAGE_POSTS:
            response = client.post(own, payload)
            assert response.status_code < 500, (own, payload, response.status_code)
        if "<int:pk>" in route:
            foreign = fill(
                route,
                pk=demo["foreign_plan"].id,
                role_pk=demo["foreign_role"].id,
                member_pk=demo["foreign_member"].id,
            )
            assert client.get(foreign).status_code in (404, 405), foreign
            assert client.post(foreign, {}).status_code in (404, 405), foreign
    plan.refresh_from_db()
    assert plan.name == "Today: training-centric department"


def test_anonymous_visitors_are_sent_to_sign_in(client, demo):
    for route in web_routes():
        if route.startswith(("accounts/login", "accounts/oidc/")):  # the ways in
            continue
        url = fill(route, pk=demo["plans"][0].id, role_pk=demo["foreign_role"].id)
        response = client.get(url)
        if route.startswith("invitations/"):  # public: the link's token is the credential
            assert response.status_code == 410, url
            continue
        assert response.status_code in (302, 405), url
        if response.status_code == 302:
            assert re.search(r"/accounts/login/\?next=", response["Location"]), url
