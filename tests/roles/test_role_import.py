"""Importing the role catalog: creates and updates, bad rows, the shared catalog, history."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from l_and_d_planner.tabular import ImportRejected
from roles.models import Role
from roles.services import role_import, role_import_preview
from tests.factories import OrganizationFactory, RoleFactory, discipline
from tests.support import fixture_bytes, sqlite_extra_batches

pytestmark = pytest.mark.django_db


def import_fixture(organization, name, **kwargs):
    return role_import(
        organization=organization, filename=name, content=fixture_bytes(name), **kwargs
    )


def errors_of(organization, name) -> list[tuple]:
    with pytest.raises(ImportRejected) as caught:
        import_fixture(organization, name)
    return [(error.row, error.column, error.reason) for error in caught.value.errors]


def test_a_good_file_creates_roles_with_discipline_by_slug_or_name(organization, admin_user):
    summary = import_fixture(organization, "roles_ok.csv", user=admin_user)
    assert summary.counts() == {"created": 2, "updated": 0, "deleted": 0, "unchanged": 0}
    designer = Role.objects.get(organization=organization, title="Learning Experience Designer")
    assert designer.discipline.slug == "instructional-design"
    assert designer.annual_cost == Decimal("72000")
    assert designer.band_split == {"experiential": 20, "social": 0, "formal": 80}
    lead = Role.objects.get(organization=organization, title="Community Lead")
    assert (lead.discipline.slug, lead.band_split, lead.active) == (
        "community-management",
        {},
        True,
    )
    record = Role.history.get(title="Community Lead")
    assert (record.history_type, record.history_change_reason, record.history_user_id) == (
        "+",
        "import from roles_ok.csv",
        admin_user.id,
    )


def test_a_second_import_of_the_same_file_changes_nothing(organization):
    import_fixture(organization, "roles_ok.csv")
    history_rows = Role.history.count()
    summary = import_fixture(organization, "roles_ok.csv")
    assert summary.counts() == {"created": 0, "updated": 0, "deleted": 0, "unchanged": 2}
    assert Role.history.count() == history_rows


def test_known_titles_are_updated_ignoring_case_and_spaces(organization):
    RoleFactory(organization=organization, title="community lead", annual_cost=Decimal("1"))
    summary = import_fixture(organization, "roles_ok.csv")
    assert (summary.created, summary.updated) == (1, 1)
    lead = Role.objects.get(organization=organization, title__iexact="community lead")
    assert (lead.title, lead.annual_cost) == ("Community Lead", Decimal("68000.00"))
    assert lead.discipline == discipline("community-management")
    assert Role.history.filter(id=lead.id, history_type="~").count() == 1


def test_absent_optional_columns_leave_existing_roles_alone(organization):
    role = RoleFactory(
        organization=organization,
        title="Community Lead",
        annual_cost=Decimal("5"),
        discipline=discipline("community-management"),
        description="kept",
    )
    content = b"title,discipline\nCommunity Lead,community-management\n"
    summary = role_import(organization=organization, filename="r.csv", content=content)
    role.refresh_from_db()
    assert summary.unchanged == 1
    assert (role.annual_cost, role.description) == (Decimal("5"), "kept")


def test_another_organizations_role_of_the_same_title_is_not_touched(organization):
    other = OrganizationFactory()
    theirs = RoleFactory(organization=other, title="Community Lead", annual_cost=Decimal("1"))
    import_fixture(organization, "roles_ok.csv")
    theirs.refresh_from_db()
    assert theirs.annual_cost == Decimal("1")
    assert Role.objects.filter(title="Community Lead").count() == 2


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "roles_unknown_discipline.csv",
            [
                (
                    2,
                    "discipline",
                    "Unknown discipline 'Growth hacking': use a discipline's name or slug.",
                )
            ],
        ),
        (
            "roles_negative_cost.csv",
            [(2, "annual_cost", "The annual cost must not be negative (-100).")],
        ),
        (
            "roles_non_numeric_cost.csv",
            [
                (2, "annual_cost", "'lots' is not a number: give the annual cost as a number."),
                (
                    3,
                    "annual_cost",
                    "'80,000' is not a number: use a dot for decimals and no thousands separator.",
                ),
            ],
        ),
        (
            "roles_bad_band_split.csv",
            [
                (
                    2,
                    "experiential_percent, social_percent, formal_percent",
                    "The band percentages must sum to 100; they sum to 90.",
                )
            ],
        ),
        ("roles_duplicate_title.csv", [(3, "title", "'community lead' is already on row 2.")]),
        (
            "roles_missing_column.csv",
            [(1, "discipline", "The header (row 1) has no column 'discipline'.")],
        ),
        (
            "roles_shared_changed.csv",
            [
                (
                    2,
                    "annual_cost",
                    "'Trainer' is a role of the shared standard catalog, which is "
                    "read-only: give your own role another title.",
                )
            ],
        ),
    ],
)
def test_every_bad_catalog_file_is_reported_and_nothing_is_written(organization, name, expected):
    before = Role.objects.count()
    assert errors_of(organization, name) == expected
    assert Role.objects.count() == before


def test_a_shared_role_exactly_as_exported_is_accepted_as_unchanged(organization):
    trainer = Role.objects.get(organization__isnull=True, title="Trainer")
    content = f"title,discipline,annual_cost\nTrainer,Training delivery,{trainer.annual_cost}\n"
    summary = role_import(organization=organization, filename="r.csv", content=content.encode())
    assert summary.unchanged == 1 and summary.created == 0


def test_the_preview_writes_nothing(organization):
    summary = role_import_preview(
        organization=organization, filename="r.csv", content=fixture_bytes("roles_ok.csv")
    )
    assert summary.created == 2
    assert not Role.objects.filter(organization=organization).exists()


def test_catalog_import_query_count_does_not_grow_with_rows(
    organization, django_assert_max_num_queries
):
    def content(prefix, count):
        rows = "".join(f"{prefix} {n},coaching-mentoring,{n}\n" for n in range(count))
        return ("title,discipline,annual_cost\n" + rows).encode()

    with CaptureQueriesContext(connection) as ten:
        role_import(organization=organization, filename="a.csv", content=content("A", 10))
    extra = sqlite_extra_batches(200, Role, Role.history.model)
    with django_assert_max_num_queries(len(ten.captured_queries) + extra):
        summary = role_import(
            organization=organization, filename="b.csv", content=content("B", 200)
        )
    assert summary.created == 200
    # and updating 200 known roles takes no more either
    with django_assert_max_num_queries(len(ten.captured_queries) + extra):
        summary = role_import(
            organization=organization,
            filename="b.csv",
            content=content("B", 200).replace(b",1", b",7"),
        )
    assert summary.updated > 100
