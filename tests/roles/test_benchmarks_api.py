"""Benchmarks per organization (DESIGN §10): shared seeds read-only, each organization's own,
admins alone write, nobody sees another organization's; organization and plan sizing fields."""

from decimal import Decimal

import pytest

from roles.models import Benchmark, Organization
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

SEEDED = {
    "ATD 2021": ("employees_per_ld_fte", 385.0, ""),
    "ATD 2018, BEST award winners": ("employees_per_ld_fte", 335.0, ""),
    "ATD 2018, BEST, adjusted for outsourcing": ("employees_per_ld_fte", 293.0, ""),
    "Bersin 2011": ("ld_fte_per_1000_employees", 5.2, ""),
    "Bersin 2011, high-impact learning organisations": ("ld_fte_per_1000_employees", 4.3, ""),
    "Training magazine 2006": ("ld_fte_per_1000_employees", 6.7, ""),
    "ATD 2024": ("spend_per_employee", 1283.0, "USD"),
    "ATD 2025": ("spend_per_employee", 1054.0, "USD"),
}


def own(organization, **fields) -> Benchmark:
    values = {
        "name": "Our sector survey",
        "source": "Sector body",
        "year": 2024,
        "metric": "employees_per_ld_fte",
        "value": Decimal("300"),
        **fields,
    }
    return Benchmark.objects.create(organization=organization, **values)


def new_benchmark(organization, **fields) -> dict:
    return {
        "organization": organization.id,
        "name": "Regional survey",
        "source": "Regional HR association",
        "year": 2024,
        "metric": "ld_fte_per_1000_employees",
        "value": 4.8,
        **fields,
    }


def test_the_seeded_shared_set_is_there_with_its_sources(viewer_client):
    body = viewer_client.get("/api/v1/benchmarks/?shared=true&page_size=100").json()
    seeded = {
        item["name"]: (item["metric"], item["value"], item["currency"]) for item in body["results"]
    }
    assert seeded == SEEDED
    assert all(item["shared"] and item["organization"] is None for item in body["results"])
    assert all("as published" in item["note"].lower() for item in body["results"])
    atd = next(item for item in body["results"] if item["name"] == "ATD 2021")
    assert atd["year"] == 2021 and atd["source_url"].startswith("https://")


def test_a_new_organization_starts_with_the_shared_default_references(organization):
    names = {metric: ref.name for metric, ref in organization.references().items()}
    assert names == {
        "employees_per_ld_fte": "ATD 2021",
        "ld_fte_per_1000_employees": "Bersin 2011",
        "spend_per_employee": "ATD 2025",
    }


def test_members_read_shared_and_their_own_never_another_organizations(
    viewer_client, organization, other_organization
):
    mine = own(organization, name="Ours")
    theirs = own(other_organization, name="Theirs")
    names = {
        item["name"]
        for item in viewer_client.get("/api/v1/benchmarks/?page_size=100").json()["results"]
    }
    assert "Ours" in names and "Theirs" not in names and "ATD 2021" in names
    assert viewer_client.get(f"/api/v1/benchmarks/{mine.id}/").status_code == 200
    assert viewer_client.get(f"/api/v1/benchmarks/{theirs.id}/").status_code == 404
    filtered = viewer_client.get(f"/api/v1/benchmarks/?organization={organization.id}").json()
    assert [item["name"] for item in filtered["results"]] == ["Ours"]


def test_an_admin_adds_edits_and_retires_an_own_benchmark(admin_client_api, organization):
    response = admin_client_api.post(
        "/api/v1/benchmarks/", new_benchmark(organization, low=4.0, high=6.0), format="json"
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["value"], created["low"], created["high"]) == (4.8, 4.0, 6.0)
    assert created["organization"] == organization.id and not created["shared"]
    url = f"/api/v1/benchmarks/{created['id']}/"
    patched = admin_client_api.patch(url, {"value": 5.1, "note": "2025 edition"}, format="json")
    assert patched.status_code == 200 and patched.json()["value"] == 5.1
    benchmark = Benchmark.objects.get(pk=created["id"])
    assert benchmark.history.count() == 2  # simple-history keeps every change
    # Chosen as the organization's reference, then retired: it stops being the reference.
    Organization.objects.filter(pk=organization.pk).update(
        reference_ld_fte_per_1000_employees=benchmark
    )
    retired = admin_client_api.patch(url, {"active": False}, format="json")
    assert retired.status_code == 200 and retired.json()["active"] is False
    organization.refresh_from_db()
    assert organization.reference_ld_fte_per_1000_employees_id is None
    assert admin_client_api.delete(url).status_code == 405


def test_planners_and_viewers_cannot_write(planner_client, viewer_client, organization):
    mine = own(organization)
    for client in (planner_client, viewer_client):
        response = client.post("/api/v1/benchmarks/", new_benchmark(organization), format="json")
        assert response.status_code == 403
        patched = client.patch(f"/api/v1/benchmarks/{mine.id}/", {"value": 1}, format="json")
        assert patched.status_code == 403
    mine.refresh_from_db()
    assert mine.value == Decimal("300")


def test_shared_benchmarks_are_read_only_even_for_admins(admin_client_api):
    atd = Benchmark.objects.get(organization=None, name="ATD 2021")
    response = admin_client_api.patch(f"/api/v1/benchmarks/{atd.id}/", {"value": 1}, format="json")
    assert response.status_code == 403
    atd.refresh_from_db()
    assert atd.value == Decimal("385")


def test_an_admin_cannot_write_into_another_organization(
    admin_client_api, organization, other_organization
):
    theirs = own(other_organization)
    response = admin_client_api.post(
        "/api/v1/benchmarks/", new_benchmark(other_organization), format="json"
    )
    assert response.status_code == 400
    assert "organization" in response.json()
    patched = admin_client_api.patch(
        f"/api/v1/benchmarks/{theirs.id}/", {"value": 1}, format="json"
    )
    assert patched.status_code == 404
    mine = own(organization)
    moved = admin_client_api.patch(
        f"/api/v1/benchmarks/{mine.id}/", {"organization": other_organization.id}, format="json"
    )
    assert moved.status_code == 400


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"value": 0}, "value"),
        ({"value": -3}, "value"),
        ({"value": "lots"}, "value"),
        ({"low": 9, "value": 5}, "low"),
        ({"high": 2, "value": 5}, "high"),
        ({"metric": "headcount"}, "metric"),
        ({"metric": "spend_per_employee", "currency": ""}, "currency"),
        ({"currency": "USD"}, "currency"),
        ({"metric": "spend_per_employee", "currency": "dollars"}, "currency"),
        ({"name": "x" * 201}, "name"),
        ({"note": "x" * 5001}, "note"),
        ({"year": 1800}, "year"),
        ({"source_url": "not a url"}, "source_url"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_benchmarks_answer_400_with_the_field(admin_client_api, organization, fields, field):
    response = admin_client_api.post(
        "/api/v1/benchmarks/", new_benchmark(organization, **fields), format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()


def test_benchmark_list_takes_the_same_queries_at_1_and_50(
    viewer_client, organization, django_assert_max_num_queries
):
    own(organization)
    viewer_client.get("/api/v1/benchmarks/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        viewer_client.get("/api/v1/benchmarks/?page_size=100")
    for index in range(49):
        own(organization, name=f"Survey {index}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = viewer_client.get("/api/v1/benchmarks/?page_size=100").json()
    assert body["count"] == 50 + len(SEEDED)


def test_admins_set_employees_references_and_exchange_rate(
    admin_client_api, organization, other_organization
):
    bersin_high = Benchmark.objects.get(name="Bersin 2011, high-impact learning organisations")
    url = f"/api/v1/organizations/{organization.id}/"
    response = admin_client_api.patch(
        url,
        {
            "employees": 5000,
            "reference_ld_fte_per_1000_employees": bersin_high.id,
            "exchange_currency": "USD",
            "exchange_rate": 0.92,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["employees"], body["exchange_currency"], body["exchange_rate"]) == (
        5000,
        "USD",
        0.92,
    )
    organization.refresh_from_db()
    assert organization.reference_ld_fte_per_1000_employees == bersin_high
    theirs = own(other_organization)
    hidden = admin_client_api.patch(
        url, {"reference_employees_per_ld_fte": theirs.id}, format="json"
    )
    assert hidden.status_code == 400
    atd = Benchmark.objects.get(name="ATD 2021")
    wrong_metric = admin_client_api.patch(
        url, {"reference_spend_per_employee": atd.id}, format="json"
    )
    assert wrong_metric.status_code == 400
    assert "reference_spend_per_employee" in wrong_metric.json()
    for bad in ({"employees": 0}, {"employees": -1}, {"exchange_rate": 2, "exchange_currency": ""}):
        assert admin_client_api.patch(url, bad, format="json").status_code == 400


def test_planners_cannot_change_the_organizations_size(planner_client, organization):
    response = planner_client.patch(
        f"/api/v1/organizations/{organization.id}/", {"employees": 10}, format="json"
    )
    assert response.status_code == 403


def test_a_plan_may_override_the_employees_served(planner_client, organization):
    plan = PlanFactory(organization=organization)
    url = f"/api/v1/plans/{plan.id}/"
    response = planner_client.patch(
        url, {"employees_served": 1200, "version": plan.version}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["employees_served"] == 1200
    bad = planner_client.patch(url, {"employees_served": 0, "version": 2}, format="json")
    assert bad.status_code == 400 and "employees_served" in bad.json()


def test_filters_refuse_unknown_words_and_foreign_organizations_alike(
    admin_client_api, organization, other_organization
):
    for url in (
        "/api/v1/benchmarks/?active=abc",
        "/api/v1/benchmarks/?shared=maybe",
        "/api/v1/roles/?shared=abc",
    ):
        response = admin_client_api.get(url)
        assert response.status_code == 400, url
        assert "Give true or false." in str(response.json())
    assert admin_client_api.get("/api/v1/benchmarks/?active=false").status_code == 200
    foreign = admin_client_api.get(f"/api/v1/benchmarks/?organization={other_organization.id}")
    unknown = admin_client_api.get("/api/v1/benchmarks/?organization=987654")
    assert foreign.status_code == unknown.status_code == 400
    assert foreign.json() == unknown.json()
