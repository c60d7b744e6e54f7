"""The audit log: every audited model of our apps, old -> new values, filters, CSV, isolation."""

import csv
import io
from datetime import timedelta

import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone

from roles import selectors, services
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

EXPECTED_TYPES = {
    "membership",
    "invitation",
    "role",
    "targetmodel",
    "plan",
    "planline",
    "readinessanswer",
    "roadmap",
    "roadmaptransition",
}


def test_every_history_table_of_our_apps_is_audited_and_attributed():
    """A model added with `history = HistoricalRecords()` shows up here; one that cannot be
    attributed to an organization fails this test (give it `audit_organization_path`)."""
    sources = selectors.audit_sources()
    assert EXPECTED_TYPES <= set(sources)
    unattributed = [key for key, source in sources.items() if source.organization_filter is None]
    assert unattributed == []


def make_plan_and_change_it(client, organization, name="Learning 2027"):
    created = client.post(
        "/api/v1/plans/", {"organization": organization.id, "name": name}, format="json"
    )
    assert created.status_code == 201, created.content
    plan = created.json()
    renamed = client.patch(
        f"/api/v1/plans/{plan['id']}/",
        {"name": f"{name} (v2)", "version": plan["version"]},
        format="json",
    )
    assert renamed.status_code == 200, renamed.content
    return plan["id"]


def test_a_change_shows_who_when_object_and_old_to_new(admin_client_api, organization):
    plan_id = make_plan_and_change_it(admin_client_api, organization)
    response = admin_client_api.get("/api/v1/audit/?type=plan")
    assert response.status_code == 200
    entries = response.json()["results"]
    assert [entry["action"] for entry in entries] == ["changed", "created"]
    change = entries[0]
    assert change["who"] == "alice-admin"
    assert change["object_id"] == plan_id
    assert change["object"] == f"Plan #{plan_id} (Learning 2027 (v2))"
    assert {"field": "name", "old": "Learning 2027", "new": "Learning 2027 (v2)"} in change[
        "changes"
    ]
    created = entries[1]
    assert {"field": "name", "old": "–", "new": "Learning 2027"} in created["changes"]


def test_memberships_and_invitations_are_in_the_log(admin_web, admin_client_api, planner):
    admin_client_api.post(
        "/api/v1/invitations/",
        {"organization": planner.memberships.get().organization_id, "email": "n@example.com"},
        format="json",
    )
    membership = planner.memberships.get()
    admin_client_api.patch(f"/api/v1/memberships/{membership.id}/", {"role": "viewer"})
    entries = admin_client_api.get("/api/v1/audit/?type=membership").json()["results"]
    assert entries[0]["changes"] == [{"field": "role", "old": "planner", "new": "viewer"}]
    invitations = admin_client_api.get("/api/v1/audit/?type=invitation").json()["results"]
    assert invitations[0]["object"].endswith("(n@example.com)")
    assert invitations[0]["who"] == "alice-admin"
    assert not any(change["field"] == "token_hash" for change in invitations[0]["changes"])


def test_one_organization_never_sees_anothers_entries(
    admin_client_api, outsider_client, organization, other_organization, admin_web
):
    make_plan_and_change_it(outsider_client, other_organization, name="Globex secret")
    make_plan_and_change_it(admin_client_api, organization)
    api = admin_client_api.get("/api/v1/audit/?page_size=1000").content.decode()
    assert "Globex secret" not in api and "oscar-outsider" not in api
    web = admin_web.get("/audit/").content.decode()
    assert "Globex secret" not in web and "Learning 2027" in web
    csv_text = b"".join(admin_web.get("/audit/export.csv").streaming_content).decode()
    assert "Globex secret" not in csv_text and "Learning 2027" in csv_text
    foreign = admin_client_api.get(f"/api/v1/audit/?organization={other_organization.id}")
    unknown = admin_client_api.get("/api/v1/audit/?organization=99999")
    assert foreign.status_code == unknown.status_code == 400
    assert foreign.json() == unknown.json()


def test_lines_of_a_deleted_plan_stay_attributed(admin_client_api, organization):
    plan_id = make_plan_and_change_it(admin_client_api, organization)
    role = selectors.catalog_for_organization(organization.id).first()
    line = admin_client_api.post(
        f"/api/v1/plans/{plan_id}/lines/",
        {"role": role.id, "current_fte": "2", "planned_fte": "3"},
        format="json",
    )
    assert line.status_code == 201, line.content
    assert admin_client_api.delete(f"/api/v1/plans/{plan_id}/").status_code == 204
    lines = admin_client_api.get("/api/v1/audit/?type=planline").json()["results"]
    assert {entry["action"] for entry in lines} >= {"created", "deleted"}


def test_filters_by_type_user_and_date(admin_client_api, planner_client, organization):
    make_plan_and_change_it(planner_client, organization, name="By Paula")
    make_plan_and_change_it(admin_client_api, organization, name="By Alice")
    by_paula = admin_client_api.get("/api/v1/audit/?type=plan&user=paula-planner").json()
    assert by_paula["count"] == 2
    assert {entry["who"] for entry in by_paula["results"]} == {"paula-planner"}
    tomorrow = (timezone.now() + timedelta(days=1)).date().isoformat()
    assert admin_client_api.get(f"/api/v1/audit/?since={tomorrow}").json()["count"] == 0
    yesterday = (timezone.now() - timedelta(days=1)).date().isoformat()
    assert admin_client_api.get(f"/api/v1/audit/?type=plan&since={yesterday}").json()["count"] == 4
    bad = admin_client_api.get("/api/v1/audit/?since=last-tuesday&type=nothing")
    assert bad.status_code == 400
    assert set(bad.json()) == {"since", "type"}


def test_imports_are_in_the_log(admin_client_api, admin_user, organization):
    content = b"title,discipline,annual_cost\nCommunity Lead,Community management,61000\n"
    services.role_import(
        organization=organization, filename="roles.csv", content=content, user=admin_user
    )
    imports = admin_client_api.get("/api/v1/audit/?type=import").json()
    assert imports["count"] == 1
    entry = imports["results"][0]
    assert entry["is_import"] is True
    assert entry["reason"] == "import from roles.csv"
    assert entry["object"].endswith("(Community Lead)")
    assert {"field": "annual cost per FTE", "old": "–", "new": "61000"} in entry["changes"]


def test_the_csv_export_is_streamed_with_one_row_per_field(
    admin_web, admin_client_api, organization
):
    make_plan_and_change_it(admin_client_api, organization)
    response = admin_web.get("/audit/export.csv?type=plan")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["when", "who", "type", "object", "action", "field", "old", "new", "reason"]
    assert any(
        row[1:8] == ["alice-admin", "Plan", row[3], "changed", "name", "Learning 2027", row[7]]
        and row[7] == "Learning 2027 (v2)"
        for row in rows[1:]
    )


def test_the_web_page_filters_and_paginates(admin_web, admin_client_api, organization):
    for number in range(30):
        make_plan_and_change_it(admin_client_api, organization, name=f"Plan {number:02}")
    first = admin_web.get("/audit/?type=plan")
    text = first.content.decode()
    assert first.status_code == 200
    assert "60 entries." in text and "Page 1 of 2" in text
    assert "Plan 29 (v2)" in text and "Plan 00 (v2)" not in text
    second = admin_web.get("/audit/?type=plan&page=2").content.decode()
    assert "Plan 00 (v2)" in second
    assert admin_web.get("/audit/?since=not-a-date").status_code == 400


@pytest.mark.parametrize("who", ["planner_web", "viewer_web"])
def test_only_admins_see_the_log(request, who):
    assert request.getfixturevalue(who).get("/audit/").status_code == 403
    assert request.getfixturevalue(who).get("/audit/export.csv").status_code == 403


def test_non_admins_get_403_from_the_api(planner_client, viewer_client):
    assert planner_client.get("/api/v1/audit/").status_code == 403
    assert viewer_client.get("/api/v1/audit/").status_code == 403


def test_the_audit_api_page_has_a_bounded_query_count(
    admin_client_api, organization, django_assert_max_num_queries
):
    for number in range(20):
        make_plan_and_change_it(admin_client_api, organization, name=f"P{number}")
    sources = len(selectors.audit_sources())
    # Authentication and memberships (2), then per source one count and one page query, plus
    # one "previous rows" query per source present on the page.
    with django_assert_max_num_queries(2 + 3 * sources):
        response = admin_client_api.get("/api/v1/audit/?page_size=100")
    assert response.json()["count"] >= 40
    with django_assert_max_num_queries(2 + 3 * sources):
        response = admin_client_api.get("/api/v1/audit/?page_size=10")
    assert len(response.json()["results"]) == 10


def test_an_admin_of_two_organizations_sees_both_or_one(
    admin_client_api, admin_user, organization, other_organization, outsider_client
):
    MembershipFactory(user=admin_user, organization=other_organization, role="admin")
    make_plan_and_change_it(outsider_client, other_organization, name="Globex plan")
    make_plan_and_change_it(admin_client_api, organization)
    both = admin_client_api.get("/api/v1/audit/?type=plan").json()
    assert both["count"] == 4
    only_acme = admin_client_api.get(f"/api/v1/audit/?type=plan&organization={organization.id}")
    assert only_acme.json()["count"] == 2


def test_foreign_keys_are_shown_by_name(admin_client_api, organization, planner):
    plan_id = make_plan_and_change_it(admin_client_api, organization)
    trainer = selectors.catalog_for_organization(organization.id).get(title="Trainer")
    admin_client_api.post(
        f"/api/v1/plans/{plan_id}/lines/",
        {"role": trainer.id, "current_fte": "2", "planned_fte": "3"},
        format="json",
    )
    line = admin_client_api.get("/api/v1/audit/?type=planline").json()["results"][0]
    assert {"field": "role", "old": "–", "new": "Trainer"} in line["changes"]
    assert {"field": "plan", "old": "–", "new": "Learning 2027 (v2)"} in line["changes"]
    memberships = admin_client_api.get("/api/v1/audit/?type=membership").json()["results"]
    assert f"Membership #{planner.memberships.get().id} (paula-planner)" in {
        entry["object"] for entry in memberships
    }


def test_the_web_page_and_the_export_have_bounded_query_counts(
    admin_web, admin_client_api, organization, django_assert_max_num_queries
):
    for number in range(25):
        make_plan_and_change_it(admin_client_api, organization, name=f"P{number}")
    sources = len(selectors.audit_sources())
    with django_assert_max_num_queries(6 + 4 * sources):
        page = admin_web.get("/audit/")
    assert page.status_code == 200
    with django_assert_max_num_queries(6 + 4 * sources):
        response = admin_web.get("/audit/export.csv")
        rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) > 100


def test_each_change_is_compared_with_the_row_just_before_it(admin_client_api, organization):
    plan = admin_client_api.post(
        "/api/v1/plans/", {"organization": organization.id, "name": "N0"}, format="json"
    ).json()
    version = plan["version"]
    for number in range(1, 6):
        renamed = admin_client_api.patch(
            f"/api/v1/plans/{plan['id']}/", {"name": f"N{number}", "version": version}
        )
        version = renamed.json()["version"]
    entries = admin_client_api.get("/api/v1/audit/?type=plan&page_size=3").json()["results"]
    names = [
        next(change for change in entry["changes"] if change["field"] == "name")
        for entry in entries
    ]
    assert [(change["old"], change["new"]) for change in names] == [
        ("N4", "N5"),
        ("N3", "N4"),
        ("N2", "N3"),
    ]


def test_since_and_until_take_iso_times(admin_client_api, organization):
    make_plan_and_change_it(admin_client_api, organization)
    now = timezone.now()
    before = (now - timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    after = (now + timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    window = admin_client_api.get(
        "/api/v1/audit/", {"type": "plan", "since": before, "until": after}
    ).json()
    assert window["count"] == 2
    empty = admin_client_api.get("/api/v1/audit/", {"type": "plan", "until": before}).json()
    assert empty["count"] == 0
    bad = admin_client_api.get("/api/v1/audit/", {"until": "2026-02-30T10:00:00"})
    assert bad.status_code == 400 and "until" in bad.json()
