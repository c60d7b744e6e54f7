"""The one import algorithm: a file's rows against the objects they name.

Every import (the role catalog, a plan's lines) reads its file with `l_and_d_planner.tabular`,
parses the rows into its own row type, then calls `import_changes` with the objects that exist
today keyed the way rows are keyed (a title, a role id). The answer says which rows create an
object, which update one (field by field, before and after) and which objects the file leaves
out (deleted when the import replaces a collection), and the `ImportSummary` a preview shows.
The caller then writes everything in bulk, all or nothing, with history.

Pure: no ORM, no queries. Callers pass the objects and, per compared field, how to read it from
a row and from an object (`ComparedField`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from l_and_d_planner.tabular import FieldChange, ImportSummary, RowChange

# Rows and objects written per statement by the bulk writes of an import.
BULK_BATCH_SIZE = 2_000

RowT = TypeVar("RowT")
ObjectT = TypeVar("ObjectT")


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()
"""A row's value of a column its file does not have: the object keeps its value."""


def _as_is(value: Any) -> Any:
    return value


@dataclass(frozen=True, slots=True)
class ComparedField(Generic[RowT, ObjectT]):
    """A field an import compares: its value in a row and in an object, and how it shows.

    `of_row` gives ABSENT when the file has no such column. `attribute` is where `Update.apply`
    writes the row's value (the field's name unless told, e.g. `discipline_id`).
    `shown` turns a value into what a preview shows (an id into a name).
    """

    name: str
    of_row: Callable[[RowT], Any]
    of_object: Callable[[ObjectT], Any]
    shown: Callable[[Any], Any] = _as_is
    attribute: str | None = None


@dataclass(frozen=True, slots=True)
class Update(Generic[RowT, ObjectT]):
    """A row that changes an existing object: the changes as shown, and the values to write."""

    row: RowT
    target: ObjectT
    changes: tuple[FieldChange, ...]
    values: dict[str, Any]  # attribute -> the row's value

    def apply(self) -> ObjectT:
        """Set the row's values on the object (not saved)."""
        for attribute, value in self.values.items():
            setattr(self.target, attribute, value)
        return self.target


@dataclass(frozen=True)
class ImportChanges(Generic[RowT, ObjectT]):
    """What a file does to the existing objects, and the summary a preview shows."""

    summary: ImportSummary
    creates: list[RowT] = field(default_factory=list)
    updates: list[Update[RowT, ObjectT]] = field(default_factory=list)
    deletes: list[ObjectT] = field(default_factory=list)

    @property
    def changed_fields(self) -> list[str]:
        """The fields any update changes, for `bulk_update` (sorted: a stable statement)."""
        return sorted({change.field for update in self.updates for change in update.changes})


def _update_of(
    row: RowT, target: ObjectT, fields: Sequence[ComparedField[RowT, ObjectT]]
) -> Update[RowT, ObjectT] | None:
    """The row's changes to the object, or None when the row matches it."""
    changes: list[FieldChange] = []
    values: dict[str, Any] = {}
    for compared in fields:
        after = compared.of_row(row)
        if after is ABSENT:
            continue
        before = compared.of_object(target)
        if before != after:
            changes.append(
                FieldChange(compared.name, compared.shown(before), compared.shown(after))
            )
            values[compared.attribute or compared.name] = after
    if not changes:
        return None
    return Update(row, target, tuple(changes), values)


def import_changes(
    *,
    rows: Iterable[RowT],
    existing: Mapping[Hashable, ObjectT],
    key: Callable[[RowT], Hashable],
    row_number: Callable[[RowT], int],
    row_title: Callable[[RowT], str],
    fields: Sequence[ComparedField[RowT, ObjectT]],
    object_title: Callable[[ObjectT], str] | None = None,
) -> ImportChanges[RowT, ObjectT]:
    """Match each row to the existing object of its key and say what the file changes.

    A row without an object creates one; a row whose compared fields differ updates its object;
    the rest are unchanged. With `object_title`, the import replaces the collection: the objects
    no row names are deleted (and shown under that title). Changes are listed in row order,
    then the deletes in the order of `existing`.
    """
    left = dict(existing)
    changes: list[RowChange] = []
    creates: list[RowT] = []
    updates: list[Update[RowT, ObjectT]] = []
    unchanged = 0
    for row in rows:
        target = left.pop(key(row), None)
        if target is None:
            creates.append(row)
            changes.append(RowChange("create", row_number(row), row_title(row)))
            continue
        update = _update_of(row, target, fields)
        if update is None:
            unchanged += 1
            continue
        updates.append(update)
        changes.append(RowChange("update", row_number(row), row_title(row), update.changes))
    deletes = list(left.values()) if object_title is not None else []
    changes.extend(RowChange("delete", None, object_title(target)) for target in deletes)
    summary = ImportSummary(
        created=len(creates),
        updated=len(updates),
        deleted=len(deletes),
        unchanged=unchanged,
        changes=tuple(changes),
    )
    return ImportChanges(summary, creates, updates, deletes)


def import_reason(filename: str) -> str:
    """The change reason imports leave in the audit history."""
    name = (filename or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    return f"import from {name}"[:100]
