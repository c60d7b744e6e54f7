"""The role catalog pages: browse and filter; organization admins create and edit roles."""

from decimal import Decimal

import pytest
from django.urls import reverse

from roles.models import Role
from tests.factories import RoleFactory, discipline

pytestmark = pytest.mark.django_db


def test_catalog_filters_by_band_and_discipline(planner_web):
    social = planner_web.get(reverse("roles:list"), {"band": "social"})
    assert social.status_code == 200
    bands = {role.discipline.band for role in social.context["roles"]}
    assert bands == {"social"}
    coaching = planner_web.get(reverse("roles:list"), {"discipline": "coaching-mentoring"})
    assert {role.discipline.slug for role in coaching.context["roles"]} == {"coaching-mentoring"}
    assert "Coach" in [role.title for role in coaching.context["roles"]]


def test_catalog_hides_other_organizations_roles(planner_web, other_organization, organization):
    RoleFactory(organization=other_organization, title="Globex secret role")
    RoleFactory(organization=organization, title="Acme own role")
    titles = [role.title for role in planner_web.get(reverse("roles:list")).context["roles"]]
    assert "Acme own role" in titles and "Globex secret role" not in titles


def test_admin_creates_a_role_with_a_band_split(admin_web, organization):
    response = admin_web.post(
        reverse("roles:create"),
        {
            "title": "Trainer-coach",
            "discipline": discipline("training-delivery").pk,
            "annual_cost": "70000",
            "active": "on",
            "split_experiential": "",
            "split_social": "40",
            "split_formal": "60",
        },
    )
    assert response.status_code == 302
    role = Role.objects.get(organization=organization, title="Trainer-coach")
    assert role.band_split == {"experiential": 0, "social": 40, "formal": 60}
    assert role.annual_cost == Decimal("70000")


def test_band_split_must_sum_to_100(admin_web):
    response = admin_web.post(
        reverse("roles:create"),
        {
            "title": "Half a role",
            "discipline": discipline("training-delivery").pk,
            "annual_cost": "70000",
            "split_social": "40",
            "split_formal": "40",
        },
    )
    assert response.status_code == 400
    assert "must sum to 100; it sums to 80" in response.content.decode()


def test_duplicate_title_is_a_form_error(admin_web, organization):
    RoleFactory(organization=organization, title="Learning Analyst")
    response = admin_web.post(
        reverse("roles:create"),
        {
            "title": "learning analyst",
            "discipline": discipline("knowledge-management").pk,
            "annual_cost": "1",
        },
    )
    assert response.status_code == 400
    assert "already has a role with this title" in response.content.decode()


def test_admin_edits_an_own_role_but_not_the_shared_catalog(admin_web, organization):
    own = RoleFactory(organization=organization, title="Acme analyst")
    response = admin_web.post(
        reverse("roles:update", args=[own.pk]),
        {
            "title": "Acme analyst",
            "discipline": own.discipline_id,
            "annual_cost": "91000",
            "active": "on",
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.annual_cost == Decimal("91000") and own.band_split == {}
    shared = Role.objects.filter(organization__isnull=True).first()
    assert admin_web.get(reverse("roles:update", args=[shared.pk])).status_code == 403


def test_planner_cannot_create_and_outsider_cannot_see_roles(
    planner_web, outsider_web, organization
):
    assert planner_web.get(reverse("roles:create")).status_code == 403
    own = RoleFactory(organization=organization, title="Acme analyst")
    assert outsider_web.get(reverse("roles:update", args=[own.pk])).status_code == 404
