"""Plan lines are version-checked like plans (DESIGN §12, issue 12 item 1).

A PUT, PATCH or DELETE of a line must carry the `version` read: missing or stale answers 409
with the line's current version; a PATCH writes only the fields it sends. The races run real
threads, each with its own database connection, through the whole API stack.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import Plan, PlanLine
from tests.factories import PlanFactory, PlanLineFactory, shared_role
from tests.races import race, statuses, token_client


def line_url(line: PlanLine) -> str:
    return f"/api/v1/plans/{line.plan_id}/lines/{line.id}/"


@pytest.fixture
def line(organization):
    plan = PlanFactory(organization=organization)
    return PlanLineFactory(plan=plan, role=shared_role("Trainer"), planned_fte=Decimal("1"))


@pytest.mark.django_db
class TestVersionIsRequired:
    def test_a_line_reads_with_its_version(self, planner_client, line):
        body = planner_client.get(line_url(line)).json()
        assert body["version"] == 1

    def test_a_patch_without_version_answers_409_with_the_current_version(
        self, planner_client, line
    ):
        response = planner_client.patch(line_url(line), {"planned_fte": 3}, format="json")
        assert response.status_code == 409
        assert response.json()["version"] == 1
        assert "Send the line's `version`" in response.json()["detail"]
        line.refresh_from_db()
        assert line.planned_fte == Decimal("1.0")

    def test_a_stale_patch_answers_409_and_changes_nothing(self, planner_client, line):
        first = planner_client.patch(
            line_url(line), {"planned_fte": 3, "version": 1}, format="json"
        )
        assert first.status_code == 200 and first.json()["version"] == 2
        stale = planner_client.patch(line_url(line), {"note": "late", "version": 1}, format="json")
        assert stale.status_code == 409
        assert stale.json()["version"] == 2
        line.refresh_from_db()
        assert (line.planned_fte, line.note, line.version) == (Decimal("3.0"), "", 2)

    def test_a_put_must_carry_the_version_too(self, planner_client, line):
        body = {"role": line.role_id, "current_fte": 2, "planned_fte": 4}
        assert planner_client.put(line_url(line), body, format="json").status_code == 409
        ok = planner_client.put(line_url(line), {**body, "version": 1}, format="json")
        assert ok.status_code == 200 and ok.json()["planned_fte"] == 4.0

    def test_a_delete_must_carry_the_version(self, planner_client, line):
        missing = planner_client.delete(line_url(line))
        assert missing.status_code == 409 and missing.json()["version"] == 1
        stale = planner_client.delete(line_url(line) + "?version=7")
        assert stale.status_code == 409 and stale.json()["version"] == 1
        assert planner_client.delete(line_url(line) + "?version=١").status_code == 409
        assert PlanLine.objects.filter(pk=line.pk).exists()
        assert planner_client.delete(line_url(line) + "?version=1").status_code == 204
        assert not PlanLine.objects.filter(pk=line.pk).exists()

    def test_a_delete_may_send_the_version_as_if_match(self, planner_client, line):
        response = planner_client.delete(line_url(line), HTTP_IF_MATCH='"1"')
        assert response.status_code == 204

    def test_a_patch_writes_only_the_fields_it_sends(self, planner_client, line):
        with CaptureQueriesContext(connection) as queries:
            response = planner_client.patch(
                line_url(line), {"note": "Two trainers move", "version": 1}, format="json"
            )
        assert response.status_code == 200
        updates = [
            query["sql"]
            for query in queries.captured_queries
            if query["sql"].startswith('UPDATE "plans_planline"')
        ]
        assert len(updates) == 1
        set_clause = updates[0].split(" SET ")[1].split(" WHERE ")[0]
        assert '"note"' in set_clause and '"version"' in set_clause
        for untouched in ("current_fte", "planned_fte", "cost_override", "locked", "role_id"):
            assert f'"{untouched}"' not in set_clause

    def test_the_planner_table_save_moves_changed_lines_versions_on(self, planner_web, line):
        from django.urls import reverse

        from tests.support import lines_post_data

        plan = line.plan
        data = lines_post_data(plan, {"Trainer": {"planned_fte": "5"}})
        response = planner_web.post(reverse("plans:detail", args=[plan.pk]), data)
        assert response.status_code == 302
        line.refresh_from_db()
        assert (line.planned_fte, line.version) == (Decimal("5.0"), 2)


@pytest.mark.django_db(transaction=True)
def test_two_patches_of_different_fields_at_once_keep_both(standard_catalog, organization, planner):
    """40 trials: two clients PATCH different fields of one line at the same moment, each
    retrying on 409 with the version it reads again, as a client must: both values stay."""
    plan = PlanFactory(organization=organization)
    clients = [token_client(planner), token_client(planner)]
    lost = 0
    trials = 40
    for trial in range(trials):
        line = PlanLineFactory(plan=plan, role=shared_role("Trainer"), note="")
        url = line_url(line)

        def patch(client, body, url=url):
            version = 1
            for _attempt in range(10):
                response = client.patch(url, {**body, "version": version}, format="json")
                if response.status_code != 409:
                    return response
                version = response.json()["version"]
            return response

        results = race(
            [
                lambda trial=trial: patch(clients[0], {"planned_fte": trial + 2}),
                lambda trial=trial: patch(clients[1], {"note": f"trial {trial}"}),
            ]
        )
        assert statuses(results) == [200, 200]
        line.refresh_from_db()
        if (line.planned_fte, line.note) != (Decimal(trial + 2), f"trial {trial}"):
            lost += 1
        assert line.version == 3
        PlanLine.objects.filter(pk=line.pk).delete()
    assert lost == 0


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_patches_of_one_version_acknowledge_exactly_one(
    standard_catalog, organization, planner
):
    plan = PlanFactory(organization=organization)
    line = PlanLineFactory(plan=plan, role=shared_role("Trainer"), planned_fte=Decimal("1"))
    writers = 50
    clients = [token_client(planner) for _ in range(writers)]
    url = line_url(line)

    def patch(index):
        return lambda: clients[index].patch(
            url, {"planned_fte": index + 10, "version": 1}, format="json"
        )

    results = race([patch(index) for index in range(writers)])
    codes = statuses(results)
    assert sorted(set(codes)) == [200, 409]
    assert codes.count(200) == 1 and codes.count(409) == writers - 1
    winner = results[codes.index(200)]
    line.refresh_from_db()
    assert line.planned_fte == Decimal(str(winner.json()["planned_fte"]))
    assert line.version == 2
    assert {response.json()["version"] for response in results if response.status_code == 409} == {
        2
    }
    assert Plan.objects.get(pk=plan.pk).version == plan.version + 1
