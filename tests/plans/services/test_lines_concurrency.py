"""Saving the planner table at the same moment: one save wins, the others are told, none is lost.

Real threads, each with its own database connection, fire the same save (the same version read)
at once; afterwards we count what was acknowledged and what is in the database.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from plans.models import Plan, PlanLine
from plans.services.lines import LineEdit, plan_lines_save
from plans.services.plans import StaleVersion
from tests.factories import PlanFactory, PlanLineFactory, shared_role

WRITERS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_one_version_acknowledge_exactly_one(
    standard_catalog, organization, planner
):
    plan = PlanFactory(organization=organization)
    line = PlanLineFactory(plan=plan, role=shared_role("Trainer"), planned_fte=Decimal("1"))
    version = plan.version
    history_before = PlanLine.history.filter(id=line.id).count()
    barrier = threading.Barrier(WRITERS)
    acknowledged: list[Decimal] = []
    stale: list[int] = []
    errors: list[BaseException] = []

    def save(planned: Decimal) -> None:
        try:
            barrier.wait(timeout=30)
            plan_lines_save(
                plan_id=plan.id,
                expected_version=version,
                edits=[LineEdit(role_id=line.role_id, planned_fte=planned)],
                user=planner,
            )
            acknowledged.append(planned)
        except StaleVersion as refused:
            stale.append(refused.current_version)
        except BaseException as error:  # noqa: BLE001 - reported below, the test must see it
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(Decimal(index + 2),)) for index in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(acknowledged) == 1 and len(stale) == WRITERS - 1
    assert set(stale) == {version + 1}
    line.refresh_from_db()
    assert line.planned_fte == acknowledged[0]
    assert Plan.objects.get(pk=plan.pk).version == version + 1
    assert PlanLine.history.filter(id=line.id).count() == history_before + 1
