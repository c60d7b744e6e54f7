"""CSV and XLSX files: reading with their limits, parsing cells, neutralising, writing.

The one file library every import and export uses; it knows nothing of roles, plans or the
database. Reading a file turns bytes into a `Table` (header names and cells with the row numbers
a spreadsheet shows: the header is row 1). Parsing a cell gives a value or a `CellError` with the
reason. An import collects every bad row as a `RowError` and raises `ImportRejected` before
anything is written; an accepted file is reported as an `ImportSummary` (see
`l_and_d_planner.imports` for the algorithm that computes it). Writing neutralises text cells a
spreadsheet would run as formulas.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from l_and_d_planner.validation import PLAIN_DECIMAL, text_problem

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_MB = 5
MAX_IMPORT_ROWS = 20_000
# Cells right of this column are not read (a sheet could name cell XFD1 on every row).
MAX_IMPORT_COLUMNS = 200
# An XLSX file is a zip archive: each member is checked before anything is inflated, so that a
# small file cannot unpack into gigabytes (an "archive bomb"). A real 20,000-row sheet inflates
# to about 10 MB at a ratio near 10:1.
MAX_XLSX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_XLSX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_XLSX_RATIO = 100
XLSX_RATIO_FLOOR_BYTES = 1024 * 1024  # smaller members may compress as they like

CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_FORMATS = ("csv", "xlsx")

# A spreadsheet evaluates a cell starting with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

TRUE_WORDS = frozenset({"yes", "y", "true", "t", "1", "x", "on"})
FALSE_WORDS = frozenset({"no", "n", "false", "f", "0", "off", ""})
PLAIN_NUMBER = PLAIN_DECIMAL  # the one rule of l_and_d_planner.validation (no "+", ASCII only)


# --- the report -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem of an import file: the row as a spreadsheet numbers it (None: the file)."""

    row: int | None
    column: str | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


class ImportRejected(Exception):
    """The file is not valid: nothing was written. `errors` says every bad row."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problem(s) in the file; nothing was imported.")
        self.errors = errors


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class RowChange:
    """What an import does to one object: create, update or delete, with the changed fields."""

    kind: str  # "create" | "update" | "delete"
    row: int | None
    title: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class ImportSummary:
    """What an import changed (or, in a preview, would change)."""

    created: int
    updated: int
    deleted: int
    unchanged: int
    changes: tuple[RowChange, ...] = field(default=(), repr=False)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
        }


# --- reading files ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A file's first sheet: normalised header name -> cell index, and the data rows."""

    columns: dict[str, int]
    rows: list[tuple[int, list[Any]]]  # (row number as a spreadsheet shows it, cells)

    def cell(self, cells: list[Any], column: str) -> Any:
        index = self.columns.get(column)
        if index is None or index >= len(cells):
            return None
        return cells[index]


def header_name(value: Any) -> str:
    """`Current FTE ` -> `current_fte`: header cells match ignoring case, spaces and dashes."""
    text = "" if value is None else str(value)
    return re.sub(r"[\s\-]+", "_", text.strip().lstrip("\ufeff").strip().lower())


def is_blank(value: Any) -> bool:
    """An empty cell: None or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def _is_blank(cells: Iterable[Any]) -> bool:
    return all(is_blank(cell) for cell in cells)


def read_table(
    *, filename: str, content: bytes, required: Iterable[str], known: Iterable[str] = ()
) -> Table:
    """Read a CSV or XLSX file into a Table; raise ImportRejected for a file-level problem.

    Checks the size limit, empty files, undecodable bytes, unreadable XLSX, the row limit,
    and that the `required` columns are in the header (row 1).
    """
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportRejected(
            [
                RowError(
                    None,
                    None,
                    f"The file is {len(content) / 1024 / 1024:.1f} MB; the limit is "
                    f"{MAX_IMPORT_MB} MB.",
                )
            ]
        )
    if not content.strip():
        raise ImportRejected([RowError(None, None, "The file is empty.")])
    lowered = filename.lower()
    if content[:4] == b"PK\x03\x04" or lowered.endswith((".xlsx", ".xlsm")):
        raw_rows = _xlsx_rows(content)
    elif lowered.endswith(".xls") or content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportRejected(
            [RowError(None, None, "Old Excel (.xls) files are not read: save as .xlsx or CSV.")]
        )
    else:
        raw_rows = _csv_rows(content)
    return _table_from_rows(raw_rows, required=tuple(required), known=tuple(known))


def _csv_rows(content: bytes) -> Iterable[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = content[: error.start].count(b"\n") + 1
        raise ImportRejected(
            [
                RowError(
                    row,
                    None,
                    f"Byte 0x{content[error.start]:02x} at position {error.start} is not UTF-8: "
                    "save the file as CSV UTF-8.",
                )
            ]
        ) from None
    if "\x00" in text:
        raise ImportRejected(
            [RowError(None, None, "The file holds NUL bytes: it is not a CSV text file.")]
        )
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_bomb_reason(content: bytes) -> str | None:
    """Why this zip archive must not be inflated (None: it may), read from its directory only.

    Checks every member's declared size and compression ratio, and the total; zipfile never
    inflates a member past its declared size, so a member that lies about it fails its CRC
    check instead of growing.
    """
    import zipfile

    try:
        members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None  # not a zip: openpyxl says it is unreadable
    total = 0
    for member in members:
        size = member.file_size
        total += size
        if size > MAX_XLSX_MEMBER_BYTES:
            return (
                f"Part '{member.filename}' of this XLSX file unpacks to {size / 1024 / 1024:,.0f} "
                f"MB; the limit is {MAX_XLSX_MEMBER_BYTES // 1024 // 1024} MB: "
                "save the sheet as CSV or split it."
            )
        ratio = size / max(member.compress_size, 1)
        if size > XLSX_RATIO_FLOOR_BYTES and ratio > MAX_XLSX_RATIO:
            return (
                f"Part '{member.filename}' of this XLSX file is compressed {ratio:,.0f} to 1 "
                f"(more than {MAX_XLSX_RATIO} to 1): it looks like an archive bomb and is not read."
            )
    if total > MAX_XLSX_TOTAL_BYTES:
        return (
            f"This XLSX file unpacks to {total / 1024 / 1024:,.0f} MB; the limit is "
            f"{MAX_XLSX_TOTAL_BYTES // 1024 // 1024} MB: save the sheet as CSV or split it."
        )
    return None


def _xlsx_rows(content: bytes) -> Iterable[list[Any]]:
    reason = _xlsx_bomb_reason(content)
    if reason:
        raise ImportRejected([RowError(None, None, reason)])
    # openpyxl is imported here so that CSV-only code paths do not pay for it. With defusedxml
    # installed (requirements.txt) openpyxl parses through it: no entity expansion.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers store wrong dimensions; read what is there
    except Exception:  # openpyxl raises many kinds (zip, XML, key errors) for a broken file
        raise ImportRejected(
            [RowError(None, None, "This is not a readable XLSX file: save it again as .xlsx.")]
        ) from None

    def rows():
        try:
            for values in sheet.iter_rows(values_only=True, max_col=MAX_IMPORT_COLUMNS):
                cells = list(values)
                while cells and cells[-1] is None:
                    cells.pop()
                yield cells
        except Exception:
            raise ImportRejected(
                [RowError(None, None, "This XLSX file is damaged: save it again as .xlsx.")]
            ) from None
        finally:
            workbook.close()

    return rows()


def _header_columns(header: list[Any], *, required: tuple, known: tuple) -> dict[str, int]:
    """Column name -> index in the header row (of a repeated name, the first).

    Raises ImportRejected when a required column is missing or a column the import reads
    appears twice.
    """
    columns: dict[str, int] = {}
    errors: list[RowError] = []
    for index, cell in enumerate(header):
        name = header_name(cell)
        if not name:
            continue
        if name in columns and name in (*required, *known):
            errors.append(RowError(1, name, "This column appears twice in the header."))
        columns.setdefault(name, index)
    for name in required:
        if name not in columns:
            errors.append(RowError(1, name, f"The header (row 1) has no column '{name}'."))
    if errors:
        raise ImportRejected(errors)
    return columns


def _table_from_rows(raw_rows: Iterable[list[Any]], *, required: tuple, known: tuple) -> Table:
    iterator = iter(raw_rows)
    try:
        header = next(iterator)
    except csv.Error as error:
        raise ImportRejected([RowError(1, None, f"Unreadable CSV: {error}.")]) from None
    except StopIteration:
        raise ImportRejected([RowError(None, None, "The file is empty.")]) from None
    columns = _header_columns(header, required=required, known=known)
    rows: list[tuple[int, list[Any]]] = []
    number = 1
    try:
        for cells in iterator:
            number += 1
            # Every row read counts, blank ones too: a sheet of a million empty rows is refused
            # after MAX_IMPORT_ROWS of them rather than read to its end.
            if number - 1 > MAX_IMPORT_ROWS:
                raise ImportRejected(
                    [
                        RowError(
                            number,
                            None,
                            f"The file has more than {MAX_IMPORT_ROWS:,} rows: split it.",
                        )
                    ]
                )
            if _is_blank(cells):
                continue
            rows.append((number, cells))
    except csv.Error as error:
        raise ImportRejected([RowError(number + 1, None, f"Unreadable CSV: {error}.")]) from None
    if not rows:
        raise ImportRejected([RowError(None, None, "The file has a header but no data rows.")])
    return Table(columns=columns, rows=rows)


# --- cells ------------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell's value is not acceptable; the message is the reason shown to the user."""


def _needs_quote(text: str) -> bool:
    stripped = text.lstrip("'")
    return (
        bool(stripped) and stripped[0] in FORMULA_TRIGGERS and text[0] in (*FORMULA_TRIGGERS, "'")
    )


def neutralise(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would run as a formula with a single quote."""
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def parse_text(value: Any, *, max_length: int | None = None) -> str:
    """A text cell, trimmed; the quote `neutralise` added is taken off again."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("'") and _needs_quote(text[1:]):
        text = text[1:]
    if max_length is not None and len(text) > max_length:
        raise CellError(f"At most {max_length} characters; this has {len(text)}.")
    problem = text_problem(text, multiline=True)
    if problem:
        raise CellError(problem)
    return text


def parse_decimal(
    value: Any, *, places: int, maximum: Decimal, what: str, blank: Decimal | None = Decimal("0")
) -> Decimal | None:
    """A number >= 0 with at most `places` decimals, up to `maximum`; blank gives `blank`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return blank
    if isinstance(value, bool):
        raise CellError(f"'{value}' is not a number: give the {what} as a number.")
    if isinstance(value, int | float):
        text = repr(value) if isinstance(value, float) else str(value)
    else:
        text = parse_text(value).replace(" ", "").replace("\u00a0", "")
    if text.startswith("-"):
        raise CellError(f"The {what} must not be negative ({text}).")
    if not PLAIN_NUMBER.match(text):
        if "," in text:
            raise CellError(
                f"'{text}' is not a number: use a dot for decimals and no thousands separator."
            )
        raise CellError(f"'{text}' is not a number: give the {what} as a number.")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(f"'{text}' is not a number.") from None
    step = Decimal(1).scaleb(-places)
    if number != number.quantize(step):
        raise CellError(
            f"{text} has too many decimals: give the {what} with at most {places} "
            f"decimal place{'s' if places != 1 else ''}."
        )
    if number > maximum:
        raise CellError(f"{text} is more than the largest {what} allowed, {maximum}.")
    return number.quantize(step)


def parse_bool(value: Any, *, blank: bool) -> bool:
    """yes/no, true/false, 1/0, x; blank gives `blank`."""
    if value is None:
        return blank
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = parse_text(value).lower()
    if not text:
        return blank
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(f"'{text}' is not yes or no.")


def checked_cell(
    table: Table,
    cells: list[Any],
    number: int,
    column: str,
    parse: Callable[[Any], Any],
    row_errors: list[RowError],
) -> Any:
    """Parse one cell; on a bad value, note the reason in `row_errors` and give None."""
    try:
        return parse(table.cell(cells, column))
    except CellError as error:
        row_errors.append(RowError(number, column, str(error)))
        return None


def title_key(title: str) -> str:
    """How titles match: ignoring case and surrounding spaces."""
    return title.strip().lower()


# --- writing files ----------------------------------------------------------------------------


def csv_bytes(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    """A UTF-8 CSV (with a byte-order mark, so that Excel reads accents right), cells neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def csv_lines(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """The same CSV as `csv_bytes`, one line at a time (for a StreamingHttpResponse)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
        yield buffer.getvalue()


XLSX_MIN_WIDTH = 8
XLSX_MAX_WIDTH = 60


def xlsx_column_widths(header: list[str] | None, rows: list[list[Any]]) -> list[int]:
    """Column widths (in characters) that show each column's longest value, within bounds."""
    widths: list[int] = []
    for row in [header or [], *rows]:
        for index, cell in enumerate(row):
            if index == len(widths):
                widths.append(XLSX_MIN_WIDTH)
            text = "" if cell is None else str(cell)
            longest_line = max((len(line) for line in text.splitlines()), default=0)
            widths[index] = max(widths[index], min(longest_line + 2, XLSX_MAX_WIDTH))
    return widths


def xlsx_bytes(sheets: list[tuple[str, list[str] | None, Iterable[list[Any]]]]) -> bytes:
    """An XLSX workbook: (sheet title, header or None, rows) per sheet; text cells neutralised."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title)
        rows = [[neutralise(cell) for cell in row] for row in rows]
        # Spreadsheets open with default-width columns otherwise: titles cut, dates as "###".
        for index, width in enumerate(xlsx_column_widths(header, rows), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        if header:
            from openpyxl.cell import WriteOnlyCell

            cells = []
            for name in header:
                cell = WriteOnlyCell(sheet, value=name)
                cell.font = bold
                cells.append(cell)
            sheet.append(cells)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
