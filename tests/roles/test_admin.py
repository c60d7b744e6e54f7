"""The Django admin serves HR admins: catalog, target models, members, plans with lines."""

import pytest
from django.contrib.auth import get_user_model

from plans.models import PlanLine
from roles.models import Role
from tests.factories import PlanFactory, PlanLineFactory, shared_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    user = get_user_model().objects.create_superuser("hr", "hr@example.com", "pw-for-tests-1")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/roles/role/",
        "/admin/roles/role/?discipline__band__exact=formal&q=trainer",
        "/admin/roles/discipline/",
        "/admin/roles/organization/",
        "/admin/roles/membership/",
        "/admin/plans/targetmodel/",
        "/admin/plans/plan/",
        "/admin/plans/planline/",
        "/admin/plans/readinessanswer/",
        "/admin/plans/roadmap/",
    ],
)
def test_admin_lists_answer(superuser_client, url):
    response = superuser_client.get(url)
    assert response.status_code == 200


def test_role_search_and_band_filter_in_the_admin(superuser_client):
    response = superuser_client.get("/admin/roles/role/?discipline__band__exact=formal&q=trainer")
    content = response.content.decode()
    assert "Senior Trainer" in content
    assert "Knowledge Manager" not in content


def test_plan_admin_shows_lines_inline_and_history(superuser_client):
    plan = PlanFactory(name="Admin plan")
    PlanLineFactory(plan=plan, role=shared_role("Coach"))
    change = superuser_client.get(f"/admin/plans/plan/{plan.id}/change/")
    assert change.status_code == 200
    assert "Coach" in change.content.decode()
    role = Role.objects.get(title="Coach")
    history = superuser_client.get(f"/admin/roles/role/{role.id}/history/")
    assert history.status_code == 200
    assert PlanLine.objects.filter(plan=plan).count() == 1


def test_the_admin_is_branded_for_hr_admins(superuser_client):
    content = superuser_client.get("/admin/").content.decode()
    assert "L&amp;D Planner administration" in content
    assert "Django administration" not in content
