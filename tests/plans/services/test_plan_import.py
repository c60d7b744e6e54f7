"""Importing a plan's lines: every kind of bad file, all-or-nothing, idempotence, history."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from l_and_d_planner.tabular import ImportRejected
from plans.models import PlanLine, PlanStatus
from plans.services.imports import plan_import, plan_import_preview
from plans.services.plans import StaleVersion
from tests.factories import PlanFactory, PlanLineFactory, RoleFactory, shared_role
from tests.support import fixture_bytes, sqlite_extra_batches


@pytest.fixture
def plan(organization):
    """An empty plan to import into (overrides the planner pages' scored plan)."""
    return PlanFactory(organization=organization, name="Learning team 2027")


pytestmark = pytest.mark.django_db


def import_fixture(plan, name, **kwargs):
    return plan_import(plan=plan, filename=name, content=fixture_bytes(name), **kwargs)


def errors_of(plan, name) -> list[tuple]:
    with pytest.raises(ImportRejected) as caught:
        import_fixture(plan, name)
    return [(error.row, error.column, error.reason) for error in caught.value.errors]


def saved_lines(plan) -> list[tuple]:
    return sorted(
        plan.lines.values_list("role__title", "current_fte", "planned_fte", "locked", "note")
    )


def test_a_good_file_creates_the_lines_and_bumps_the_version_once(plan, planner):
    summary = import_fixture(plan, "plan_ok.csv", user=planner)
    assert summary.counts() == {"created": 3, "updated": 0, "deleted": 0, "unchanged": 0}
    assert saved_lines(plan) == [
        ("Coach", Decimal("0.0"), Decimal("2.0"), True, ""),
        ("Knowledge Manager", Decimal("0.5"), Decimal("1.5"), False, ""),
        ("Trainer", Decimal("4.0"), Decimal("2.0"), False, "Two move to coaching"),
    ]
    plan.refresh_from_db()
    assert plan.version == 2 and plan.updated_by == planner


def test_importing_the_same_file_twice_changes_nothing_the_second_time(plan, planner):
    import_fixture(plan, "plan_ok.csv", user=planner)
    history_rows = PlanLine.history.count()
    summary = import_fixture(plan, "plan_ok.csv", user=planner)
    plan.refresh_from_db()
    assert summary.counts() == {"created": 0, "updated": 0, "deleted": 0, "unchanged": 3}
    assert PlanLine.history.count() == history_rows
    assert plan.version == 2


def test_the_import_is_in_the_history_with_the_file_name_and_the_user(plan, planner):
    import_fixture(plan, "plan_ok.csv", user=planner)
    records = PlanLine.history.filter(plan_id=plan.id)
    assert records.count() == 3
    assert {(r.history_type, r.history_change_reason, r.history_user_id) for r in records} == {
        ("+", "import from plan_ok.csv", planner.id)
    }


def test_a_file_replaces_the_lines_keeping_cost_overrides_and_recording_deletes(plan, planner):
    trainer, facilitator = shared_role("Trainer"), shared_role("Facilitator")
    kept = PlanLineFactory(
        plan=plan,
        role=trainer,
        current_fte=Decimal("9"),
        cost_override=Decimal("50000"),
        note="keep my override",
    )
    PlanLineFactory(plan=plan, role=facilitator)
    summary = import_fixture(plan, "plan_ok.csv", user=planner)
    assert summary.counts() == {"created": 2, "updated": 1, "deleted": 1, "unchanged": 0}
    kept.refresh_from_db()
    assert (kept.current_fte, kept.cost_override, kept.note) == (
        Decimal("4.0"),
        Decimal("50000"),
        "Two move to coaching",
    )
    assert not plan.lines.filter(role=facilitator).exists()
    deleted = PlanLine.history.get(history_type="-")
    assert (deleted.role_id, deleted.history_change_reason) == (
        facilitator.id,
        "import from plan_ok.csv",
    )


def test_without_locked_and_note_columns_lines_keep_theirs(plan):
    PlanLineFactory(plan=plan, role=shared_role("Trainer"), locked=True, note="compliance")
    import_fixture(plan, "plan_semicolon.csv")
    assert saved_lines(plan) == [
        ("Coach", Decimal("0.0"), Decimal("2.5"), False, ""),
        ("Trainer", Decimal("4.0"), Decimal("2.0"), True, "compliance"),
    ]


def test_the_organizations_own_role_wins_over_a_shared_one_of_the_same_title(plan, organization):
    own = RoleFactory(organization=organization, title="coach")
    import_fixture(plan, "plan_semicolon.csv")
    assert plan.lines.filter(role=own).exists()


def test_another_organizations_roles_are_unknown(plan, other_organization):
    RoleFactory(organization=other_organization, title="Chief Happiness Officer")
    assert errors_of(plan, "plan_unknown_role.csv") == [
        (3, "role", "Unknown role 'Chief Happiness Officer': not in the catalog.")
    ]


def test_a_misspelled_role_gets_the_closest_catalog_title_as_a_hint(plan):
    content = b"role,current_fte,planned_fte\nKnowledge Manger,1,2\nTrainer,1,1\n"
    with pytest.raises(ImportRejected) as rejected:
        plan_import(plan=plan, filename="typo.csv", content=content)
    assert [(e.row, e.column, e.reason) for e in rejected.value.errors] == [
        (
            2,
            "role",
            "Unknown role 'Knowledge Manger': not in the catalog. "
            "Did you mean 'Knowledge Manager'?",
        )
    ]
    assert plan.lines.count() == 0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("plan_negative_fte.csv", [(2, "current_fte", "The FTE must not be negative (-1).")]),
        (
            "plan_non_numeric_fte.csv",
            [
                (2, "current_fte", "'four' is not a number: give the FTE as a number."),
                (
                    3,
                    "planned_fte",
                    "'1,5' is not a number: use a dot for decimals and no thousands separator.",
                ),
            ],
        ),
        (
            "plan_over_precise_fte.csv",
            [
                (
                    2,
                    "current_fte",
                    "1.25 has too many decimals: give the FTE with at most 1 decimal place.",
                )
            ],
        ),
        ("plan_duplicate_role.csv", [(4, "role", "'TRAINER' is already on row 2.")]),
        ("plan_bad_locked.csv", [(2, "locked", "'maybe' is not yes or no.")]),
        (
            "plan_fte_too_large.csv",
            [(2, "current_fte", "10000 is more than the largest FTE allowed, 9999.9.")],
        ),
        (
            "plan_missing_column.csv",
            [(1, "planned_fte", "The header (row 1) has no column 'planned_fte'.")],
        ),
        ("plan_empty.csv", [(None, None, "The file is empty.")]),
        ("plan_header_only.csv", [(None, None, "The file has a header but no data rows.")]),
        (
            "plan_bad.xlsx",
            [(None, None, "This is not a readable XLSX file: save it again as .xlsx.")],
        ),
        (
            "plan_old_excel.xls",
            [(None, None, "Old Excel (.xls) files are not read: save as .xlsx or CSV.")],
        ),
    ],
)
def test_every_bad_file_is_reported_and_nothing_is_written(plan, name, expected):
    PlanLineFactory(plan=plan, role=shared_role("Facilitator"))
    assert errors_of(plan, name) == expected
    plan.refresh_from_db()
    assert plan.version == 1
    assert saved_lines(plan) == [("Facilitator", Decimal("1.0"), Decimal("1.0"), False, "")]


def test_undecodable_bytes_are_reported_with_their_row(plan):
    [(row, column, reason)] = errors_of(plan, "plan_undecodable.csv")
    assert (row, column) == (3, None) and "not UTF-8" in reason


def test_a_file_whose_only_bad_row_is_the_last_writes_nothing(plan):
    assert errors_of(plan, "plan_last_row_bad.csv") == [
        (6, "role", "Unknown role 'Nobody In Particular': not in the catalog.")
    ]
    assert plan.lines.count() == 0
    assert PlanLine.history.count() == 0


@pytest.mark.parametrize("status", [PlanStatus.APPROVED, PlanStatus.ARCHIVED])
def test_approved_and_archived_plans_are_read_only(plan, status):
    plan.status = status
    plan.save()
    with pytest.raises(ValidationError, match="reopen it"):
        import_fixture(plan, "plan_ok.csv")
    with pytest.raises(ValidationError):
        plan_import_preview(plan=plan, filename="p.csv", content=fixture_bytes("plan_ok.csv"))
    assert plan.lines.count() == 0


def test_an_older_version_is_refused(plan):
    with pytest.raises(StaleVersion):
        import_fixture(plan, "plan_ok.csv", expected_version=7)
    assert plan.lines.count() == 0


def test_the_preview_says_what_would_change_and_writes_nothing(plan):
    PlanLineFactory(plan=plan, role=shared_role("Trainer"), current_fte=Decimal("3"))
    summary = plan_import_preview(plan=plan, filename="p.csv", content=fixture_bytes("plan_ok.csv"))
    assert summary.counts() == {"created": 2, "updated": 1, "deleted": 0, "unchanged": 0}
    update = next(change for change in summary.changes if change.kind == "update")
    assert update.title == "Trainer"
    assert [(f.field, f.before, f.after) for f in update.fields][0] == (
        "current_fte",
        Decimal("3.0"),
        Decimal("4.0"),
    )
    assert plan.lines.count() == 1


def test_import_query_count_does_not_grow_with_rows(
    plan, organization, django_assert_max_num_queries
):
    roles = RoleFactory.create_batch(200, organization=organization)

    def content(count):
        rows = "".join(f"{role.title},1,2\n" for role in roles[:count])
        return ("role,current_fte,planned_fte\n" + rows).encode()

    small = PlanFactory(organization=organization)
    with CaptureQueriesContext(connection) as ten:
        plan_import(plan=small, filename="ten.csv", content=content(10))
    extra = sqlite_extra_batches(200, PlanLine, PlanLine.history.model)
    with django_assert_max_num_queries(len(ten.captured_queries) + extra):
        summary = plan_import(plan=plan, filename="many.csv", content=content(200))
    assert summary.created == 200
    assert len(ten.captured_queries) <= 12


def test_replacing_lines_takes_the_same_queries_for_10_and_200_lines(
    organization, django_assert_max_num_queries
):
    roles = RoleFactory.create_batch(400, organization=organization)

    def plan_with_lines(count):
        plan = PlanFactory(organization=organization)
        for role in roles[:count]:
            PlanLineFactory(plan=plan, role=role)
        # half the lines change, the other half leave, as many new roles come in
        kept = roles[: count // 2]
        new = roles[200 : 200 + count // 2]
        rows = "".join(f"{role.title},3,4\n" for role in kept + new)
        return plan, ("role,current_fte,planned_fte\n" + rows).encode()

    small, small_file = plan_with_lines(10)
    with CaptureQueriesContext(connection) as ten:
        plan_import(plan=small, filename="ten.csv", content=small_file)
    large, large_file = plan_with_lines(200)
    history = PlanLine.history.model
    extra = sqlite_extra_batches(100, PlanLine, history, PlanLine, history, history)
    with django_assert_max_num_queries(len(ten.captured_queries) + extra):
        summary = plan_import(plan=large, filename="many.csv", content=large_file)
    assert summary.counts() == {"created": 100, "updated": 100, "deleted": 100, "unchanged": 0}
    assert PlanLine.history.filter(plan_id=large.id, history_type="-").count() == 100
