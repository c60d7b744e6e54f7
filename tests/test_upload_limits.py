"""Hostile upload files are refused fast and in bounded memory (issue 12, item 4).

The archive bomb is built on the fly (bench/xlsx_bomb.py): 1 MB that inflates to 1 GiB.
"""

import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bench.xlsx_bomb import xlsx_bomb, xlsx_with_sheet
from l_and_d_planner.tabular import MAX_IMPORT_ROWS, ImportRejected, read_table
from tests.factories import PlanFactory

REQUIRED = ("role", "current_fte", "planned_fte")
HEADER = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>role</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>current_fte</t></is></c>'
    b'<c r="C1" t="inlineStr"><is><t>planned_fte</t></is></c></row>'
)


def sheet(rows: bytes, doctype: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + doctype
        + b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<sheetData>"
        + HEADER
        + rows
        + b"</sheetData></worksheet>"
    )


def reading(content: bytes, filename: str = "plan.xlsx") -> tuple[list[str], float, float]:
    """(the reasons it was refused, seconds, peak MB of Python allocations while reading)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImportRejected) as caught:
            read_table(filename=filename, content=content, required=REQUIRED)
    finally:
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return [error.reason for error in caught.value.errors], seconds, peak / 1024 / 1024


def test_an_archive_bomb_is_refused_before_it_is_inflated():
    bomb = xlsx_bomb(1024**3)
    assert len(bomb) < 2 * 1024 * 1024  # under the 5 MB upload limit: the size check passes it
    [reason], seconds, peak_mb = reading(bomb)
    assert "xl/worksheets/sheet1.xml" in reason and "unpacks to 1,020 MB" in reason
    assert seconds < 1.0
    assert peak_mb < 100


def test_a_member_compressed_far_beyond_any_real_sheet_is_refused():
    bomb = xlsx_bomb(30 * 1024 * 1024)  # under the size limit, 6,000 to 1
    [reason], _, peak_mb = reading(bomb)
    assert "looks like an archive bomb" in reason
    assert peak_mb < 100


@pytest.mark.django_db
def test_the_api_answers_an_archive_bomb_with_400_and_the_reason(planner_client, organization):
    plan = PlanFactory(organization=organization)
    bomb = SimpleUploadedFile("plan.xlsx", xlsx_bomb(1024**3))
    started = time.perf_counter()
    response = planner_client.post(
        f"/api/v1/plans/{plan.id}/import/", {"file": bomb}, format="multipart"
    )
    assert time.perf_counter() - started < 1.0
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert "unpacks to 1,020 MB; the limit is 50 MB" in error["reason"]
    assert plan.lines.count() == 0


def test_blank_xlsx_rows_count_against_the_row_limit():
    # One data row after a million empty rows: the reader stops at the limit.
    content = xlsx_with_sheet(
        sheet(b'<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>Trainer</t></is></c></row>')
    )
    [reason], seconds, _ = reading(content)
    assert reason == f"The file has more than {MAX_IMPORT_ROWS:,} rows: split it."
    assert seconds < 5


def test_blank_csv_rows_count_against_the_row_limit():
    content = b"role,current_fte,planned_fte\n" + b",,\n" * MAX_IMPORT_ROWS + b"Trainer,1,1\n"
    with pytest.raises(ImportRejected) as caught:
        read_table(filename="plan.csv", content=content, required=REQUIRED)
    [error] = caught.value.errors
    assert (error.row, error.reason) == (
        MAX_IMPORT_ROWS + 2,
        f"The file has more than {MAX_IMPORT_ROWS:,} rows: split it.",
    )


def test_exactly_the_row_limit_with_blank_rows_is_read():
    content = b"role,current_fte,planned_fte\n" + b",,\n" * (MAX_IMPORT_ROWS - 1) + b"T,1,1\n"
    table = read_table(filename="plan.csv", content=content, required=REQUIRED)
    assert table.rows == [(MAX_IMPORT_ROWS + 1, ["T", "1", "1"])]


def test_xml_entities_are_refused_not_expanded():
    doctype = b'<!DOCTYPE worksheet [<!ENTITY e "expanded">]>'
    content = xlsx_with_sheet(
        sheet(b'<row r="2"><c r="A2" t="inlineStr"><is><t>&e;</t></is></c></row>', doctype)
    )
    [reason], _, _ = reading(content)
    assert reason.endswith("save it again as .xlsx.")


def test_cells_far_to_the_right_do_not_widen_every_row():
    row = (
        b'<row><c r="A%d" t="inlineStr"><is><t>T</t></is></c><c r="XFD%d" t="n"><v>1</v></c></row>'
    )
    rows = b"".join(row.replace(b"%d", str(n).encode()) for n in range(2, 3002))
    tracemalloc.start()
    try:
        table = read_table(
            filename="plan.xlsx", content=xlsx_with_sheet(sheet(rows)), required=REQUIRED
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(table.rows) == 3000
    assert table.rows[0] == (2, ["T"])
    assert peak / 1024 / 1024 < 100
