"""Reading files and cells: no database, so these are plain function tests."""

from decimal import Decimal

import pytest

from l_and_d_planner.tabular import (
    MAX_IMPORT_BYTES,
    CellError,
    ImportRejected,
    header_name,
    neutralise,
    parse_bool,
    parse_decimal,
    parse_text,
    read_table,
    xlsx_bytes,
)
from tests.support import fixture_bytes

REQUIRED = ("role", "current_fte", "planned_fte")


def rejected(filename: str, content: bytes) -> list[tuple]:
    with pytest.raises(ImportRejected) as caught:
        read_table(filename=filename, content=content, required=REQUIRED)
    return [(error.row, error.column, error.reason) for error in caught.value.errors]


def test_rows_are_numbered_as_a_spreadsheet_shows_them_skipping_blank_rows():
    content = b"role,current_fte,planned_fte\nTrainer,1,2\n,,\n\nCoach,0,1\n"
    table = read_table(filename="p.csv", content=content, required=REQUIRED)
    assert [number for number, _ in table.rows] == [2, 5]
    assert table.cell(table.rows[1][1], "role") == "Coach"


def test_headers_match_ignoring_case_spaces_and_a_byte_order_mark():
    content = "\ufeffRole, Current FTE ,planned-fte,Extra\nTrainer,1,2,x\n".encode()
    table = read_table(filename="p.csv", content=content, required=REQUIRED)
    assert set(table.columns) >= {"role", "current_fte", "planned_fte", "extra"}
    assert header_name(" Planned FTE ") == "planned_fte"


def test_semicolon_separated_files_are_read():
    table = read_table(
        filename="p.csv", content=fixture_bytes("plan_semicolon.csv"), required=REQUIRED
    )
    assert [cells[:3] for _, cells in table.rows] == [["Trainer", "4", "2"], ["Coach", "0", "2.5"]]


def test_an_empty_file_is_rejected():
    assert rejected("plan_empty.csv", fixture_bytes("plan_empty.csv")) == [
        (None, None, "The file is empty.")
    ]


def test_a_header_without_rows_is_rejected():
    assert rejected("p.csv", fixture_bytes("plan_header_only.csv")) == [
        (None, None, "The file has a header but no data rows.")
    ]


def test_a_missing_column_is_reported_on_the_header_row():
    assert rejected("p.csv", fixture_bytes("plan_missing_column.csv")) == [
        (1, "planned_fte", "The header (row 1) has no column 'planned_fte'.")
    ]


def test_undecodable_bytes_name_the_row_they_are_on():
    [(row, column, reason)] = rejected("p.csv", fixture_bytes("plan_undecodable.csv"))
    assert (row, column) == (3, None)
    assert "0xe9" in reason and "UTF-8" in reason


def test_a_file_over_the_size_limit_is_rejected_before_reading():
    content = b"role,current_fte,planned_fte\n" + b"Trainer,1,1\n" * (MAX_IMPORT_BYTES // 12 + 1)
    [(row, _, reason)] = rejected("big.csv", content)
    assert row is None and "the limit is 5 MB" in reason


@pytest.mark.parametrize("name", ["plan_bad.xlsx", "plan_old_excel.xls"])
def test_a_broken_or_old_excel_file_is_rejected(name):
    [(row, _, reason)] = rejected(name, fixture_bytes(name))
    assert row is None and ".xlsx" in reason


def test_an_xlsx_file_is_read_from_its_first_sheet():
    content = xlsx_bytes(
        [
            ("Lines", ["Role", "current_fte", "planned_fte"], [["Trainer", 1.5, 2], [None, None]]),
            ("Other", None, [["ignored"]]),
        ]
    )
    table = read_table(filename="upload", content=content, required=REQUIRED)
    assert table.rows == [(2, ["Trainer", 1.5, 2])]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.5", Decimal("1.5")),
        (" 2 ", Decimal("2")),
        (3, Decimal("3")),
        (0.1, Decimal("0.1")),
        ("", Decimal("0")),
        (None, Decimal("0")),
        ("1.50", Decimal("1.5")),
        (".5", Decimal("0.5")),
    ],
)
def test_fte_cells_that_parse(value, expected):
    assert parse_decimal(value, places=1, maximum=Decimal("9999.9"), what="FTE") == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("-1", "must not be negative"),
        ("abc", "is not a number"),
        ("1,5", "use a dot"),
        ("1.25", "at most 1 decimal place"),
        (True, "is not a number"),
        ("1e3", "is not a number"),
        ("10000", "largest FTE allowed"),
        (float("nan"), "is not a number"),
    ],
)
def test_fte_cells_that_do_not_parse(value, reason):
    with pytest.raises(CellError, match=reason):
        parse_decimal(value, places=1, maximum=Decimal("9999.9"), what="FTE")


def test_booleans_accept_the_usual_words():
    assert [parse_bool(v, blank=False) for v in ("yes", "No", "TRUE", 1, "x", "", None)] == [
        True,
        False,
        True,
        True,
        True,
        False,
        False,
    ]
    with pytest.raises(CellError):
        parse_bool("maybe", blank=False)


@pytest.mark.parametrize(
    "text", ["=SUM(A1)", "+1", "-2", "@cmd", "'=x", "''+y", "plain", "'quoted"]
)
def test_neutralising_a_formula_and_reading_it_back_gives_the_text(text):
    written = neutralise(text)
    if text[0] in "=+-@" or text.lstrip("'")[:1] in "=+-@":
        assert written == "'" + text
    else:
        assert written == text
    assert parse_text(written) == text
