"""The catalog API: organizations, memberships, disciplines, roles, target models."""

import pytest

from plans.models import TargetModel
from roles.models import Membership, Role
from tests.factories import (
    MembershipFactory,
    PlanFactory,
    PlanLineFactory,
    RoleFactory,
    TargetModelFactory,
)

pytestmark = pytest.mark.django_db


def test_disciplines_are_the_ten_of_the_model(viewer_client):
    body = viewer_client.get("/api/v1/disciplines/?page_size=100").json()
    bands = [item["band"] for item in body["results"]]
    assert body["count"] == 10
    assert bands.count("experiential") == 3
    assert bands.count("social") == 4
    assert bands.count("formal") == 3


def test_roles_carry_band_code_and_effective_band_split(viewer_client):
    body = viewer_client.get("/api/v1/roles/?search=Facilitator").json()
    facilitator = body["results"][0]
    assert facilitator["band"] == "formal"
    assert facilitator["band_split"] == {"experiential": 0, "social": 40, "formal": 60}
    coach = viewer_client.get("/api/v1/roles/?search=Mentoring Programme").json()["results"][0]
    assert coach["band_split"] == {"experiential": 0, "social": 100, "formal": 0}
    assert coach["annual_cost"] == 76000.0
    assert isinstance(coach["discipline"], int)


def test_roles_filter_by_band_and_active(viewer_client):
    formal = viewer_client.get("/api/v1/roles/?band=formal&page_size=100").json()
    assert formal["count"] == 9
    assert {role["band"] for role in formal["results"]} == {"formal"}
    assert viewer_client.get("/api/v1/roles/?band=nope").status_code == 400
    assert viewer_client.get("/api/v1/roles/?active=false").json()["count"] == 0


def test_admin_creates_a_role_with_a_band_split(admin_client_api, organization):
    response = admin_client_api.post(
        "/api/v1/roles/",
        {
            "organization": organization.id,
            "title": "Learning Experience Coach",
            "discipline": Role.objects.get(title="Coach").discipline_id,
            "annual_cost": "81000.50",
            "band_split": {"experiential": 20, "social": 80},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["band"] == "social"
    assert body["band_split"] == {"experiential": 20, "social": 80, "formal": 0}
    assert Role.objects.get(pk=body["id"]).history.count() == 1


@pytest.mark.parametrize(
    ("split", "reason"),
    [
        ({"social": 50, "formal": 40}, "sum to 100"),
        ({"social": 150, "formal": -50}, "outside 0-100"),
        ({"gossip": 100}, "Unknown band"),
        ({"social": 50.5, "formal": 49.5}, "whole percentage"),
        ("all social", "object"),
    ],
)
def test_bad_band_split_answers_400(admin_client_api, organization, split, reason):
    response = admin_client_api.post(
        "/api/v1/roles/",
        {"organization": organization.id, "title": "X", "discipline": 1, "band_split": split},
        format="json",
    )
    assert response.status_code == 400
    assert reason in " ".join(response.json()["band_split"])
    assert not Role.objects.filter(title="X").exists()


def test_role_titles_are_unique_per_organization_ignoring_case(admin_client_api, organization):
    RoleFactory(organization=organization, title="Data Storyteller")
    response = admin_client_api.post(
        "/api/v1/roles/",
        {"organization": organization.id, "title": "data storyteller", "discipline": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "already has a role" in str(response.json())


def test_planners_cannot_write_the_catalog_and_nobody_writes_the_shared_one(
    planner_client, admin_client_api, organization
):
    payload = {"organization": organization.id, "title": "New", "discipline": 1}
    assert planner_client.post("/api/v1/roles/", payload, format="json").status_code == 403
    shared = Role.objects.get(title="Trainer")
    response = admin_client_api.patch(
        f"/api/v1/roles/{shared.id}/", {"annual_cost": 1}, format="json"
    )
    assert response.status_code == 400
    shared.refresh_from_db()
    assert shared.annual_cost == 60000


def test_another_organizations_roles_are_invisible(outsider_client, organization):
    own = RoleFactory(organization=organization, title="Internal only")
    assert outsider_client.get(f"/api/v1/roles/{own.id}/").status_code == 404
    assert outsider_client.get("/api/v1/roles/?search=Internal only").json()["count"] == 0


def test_a_role_in_use_cannot_be_deleted(admin_client_api, organization):
    role = RoleFactory(organization=organization)
    PlanLineFactory(plan=PlanFactory(organization=organization), role=role)
    response = admin_client_api.delete(f"/api/v1/roles/{role.id}/")
    assert response.status_code == 400
    assert Role.objects.filter(pk=role.pk).exists()


def test_target_models_list_built_in_and_own_as_fractions(viewer_client, organization):
    TargetModelFactory(
        organization=organization,
        name="Ours",
        experiential_percent=60,
        social_percent=25,
        formal_percent=15,
    )
    body = viewer_client.get("/api/v1/target-models/").json()
    by_name = {item["name"]: item for item in body["results"]}
    built_in = by_name["Modern Learning Department (70/20/10)"]
    assert built_in["targets"] == {"experiential": 0.7, "social": 0.2, "formal": 0.1}
    assert built_in["tolerance"] == 0.05 and built_in["is_built_in"] is True
    assert by_name["Ours"]["targets"]["social"] == 0.25


def test_targets_not_summing_to_100_percent_answer_400(admin_client_api, organization):
    response = admin_client_api.post(
        "/api/v1/target-models/",
        {
            "organization": organization.id,
            "name": "Bad",
            "targets": {"experiential": 0.7, "social": 0.2, "formal": 0.2},
        },
        format="json",
    )
    assert response.status_code == 400
    assert "sum to 1" in str(response.json()["targets"])
    assert not TargetModel.objects.filter(name="Bad").exists()
    good = admin_client_api.post(
        "/api/v1/target-models/",
        {
            "organization": organization.id,
            "name": "Compliance",
            "targets": {"experiential": 0.5, "social": 0.2, "formal": 0.3},
            "tolerance": 0.1,
        },
        format="json",
    )
    assert good.status_code == 201, good.content
    saved = TargetModel.objects.get(name="Compliance")
    assert (saved.formal_percent, saved.tolerance_points) == (30, 10)


def test_built_in_target_model_is_read_only(admin_client_api):
    built_in = TargetModel.objects.get(organization__isnull=True)
    response = admin_client_api.patch(
        f"/api/v1/target-models/{built_in.id}/", {"name": "Mine"}, format="json"
    )
    assert response.status_code == 403


def test_organizations_list_only_mine_with_my_role(
    planner_client, organization, other_organization
):
    body = planner_client.get("/api/v1/organizations/").json()
    assert [(item["id"], item["my_role"]) for item in body["results"]] == [
        (organization.id, "planner")
    ]
    assert planner_client.get(f"/api/v1/organizations/{other_organization.id}/").status_code == 404


def test_admin_adds_and_changes_members(
    admin_client_api, admin_user, organization, other_organization, outsider
):
    # Adding by username finds only people of the admin's organizations (here both share Globex).
    MembershipFactory(user=admin_user, organization=other_organization, role="viewer")
    response = admin_client_api.post(
        "/api/v1/memberships/",
        {"organization": organization.id, "username": outsider.username, "role": "viewer"},
        format="json",
    )
    assert response.status_code == 201, response.content
    membership_id = response.json()["id"]
    changed = admin_client_api.patch(
        f"/api/v1/memberships/{membership_id}/", {"role": "planner"}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["role"] == "planner"
    unknown = admin_client_api.post(
        "/api/v1/memberships/",
        {"organization": organization.id, "username": "nobody-here", "role": "viewer"},
        format="json",
    )
    assert unknown.status_code == 400 and "username" in unknown.json()


def test_planners_cannot_manage_members(planner_client, organization, outsider):
    response = planner_client.post(
        "/api/v1/memberships/",
        {"organization": organization.id, "username": outsider.username, "role": "admin"},
        format="json",
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=outsider, organization=organization).exists()


def test_the_last_admin_cannot_be_demoted_or_removed(admin_client_api, admin_user, organization):
    membership = Membership.objects.get(user=admin_user, organization=organization)
    demote = admin_client_api.patch(
        f"/api/v1/memberships/{membership.id}/", {"role": "viewer"}, format="json"
    )
    assert demote.status_code == 400
    assert admin_client_api.delete(f"/api/v1/memberships/{membership.id}/").status_code == 400
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_a_token_is_obtained_with_username_and_password(client, planner):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": planner.username, "password": "correct horse battery staple"},
    )
    assert response.status_code == 200
    token = response.json()["token"]
    listed = client.get("/api/v1/plans/", HTTP_AUTHORIZATION=f"Token {token}")
    assert listed.status_code == 200
