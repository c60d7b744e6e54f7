"""Helpers shared by the tests: fixture files, signed-in web clients, a plan posted as a browser would."""

import math
from decimal import Decimal
from pathlib import Path

from django.db import connection
from django.test import Client

from plans.models import PlanLine
from tests.factories import shared_role

FIXTURES = Path(__file__).parent / "fixtures" / "files"
FIXTURE_TEMPLATES = Path(__file__).parent / "fixtures" / "templates"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


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


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# A training-centric department: 10 FTE today, 10 FTE planned the modern way.
TRAINING_CENTRIC = [
    ("Trainer", "6", "1"),
    ("Instructional Designer", "3", "0"),
    ("Knowledge Manager", "1", "6"),
    ("Community Manager", "0", "2"),
]


def add_lines(plan, rows):
    for title, current, planned in rows:
        PlanLine.objects.create(
            plan=plan,
            role=shared_role(title),
            current_fte=Decimal(current),
            planned_fte=Decimal(planned),
        )
    return plan


def lines_post_data(plan, changes: dict | None = None, *, version=None, extra=None) -> dict:
    """The planner form as a browser would post it, with `changes` by role title."""
    changes = changes or {}
    lines = list(plan.lines.select_related("role").order_by("id"))
    data = {
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": str(len(lines)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "version": str(plan.version if version is None else version),
    }
    for index, line in enumerate(lines):
        row = {
            "role": str(line.role_id),
            "current_fte": str(line.current_fte),
            "planned_fte": str(line.planned_fte),
            "cost_override": "" if line.cost_override is None else str(line.cost_override),
            "note": line.note,
        }
        if line.locked:
            row["locked"] = "on"
        row.update(changes.get(line.role.title, {}))
        for key, value in row.items():
            if value is not None:
                data[f"lines-{index}-{key}"] = value
    data.update(extra or {})
    return data
