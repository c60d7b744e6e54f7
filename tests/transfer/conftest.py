"""Helpers of the import/export tests: the fixture files and a plan to import into."""

import math
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import PlanFactory

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def plan(organization):
    return PlanFactory(organization=organization, name="Learning team 2027")


def sqlite_extra_batches(rows: int, *models) -> int:
    """Extra statements SQLite needs to bulk-write `rows` rows of each model, else 0.

    SQLite caps a statement at 999 parameters, so Django splits a bulk write of many rows into
    several statements; PostgreSQL writes up to 2,000 rows in one. The import still never runs a
    query per row: this is a fixed number of statements per a few hundred rows.
    """
    if connection.vendor != "sqlite":
        return 0
    extra = 0
    for model in models:
        fields = model._meta.concrete_fields
        per_batch = max(connection.ops.bulk_batch_size(fields, [None] * rows), 1)
        extra += math.ceil(rows / per_batch) - 1
    return extra
