"""Hot queries planned once per database connection: PostgreSQL's PREPARE / EXECUTE.

The score read runs two small joins whose *planning* takes several times longer than their
execution (0.7 ms against 0.1 ms on the bench machine). On PostgreSQL a named statement is
prepared the first time a connection runs it and executed by name afterwards; other databases,
and `DB_PREPARED_STATEMENTS=0` (for a pooler in transaction mode, such as PgBouncer, where a
session's prepared statements do not follow the client), run the SQL as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from weakref import WeakKeyDictionary

from django.conf import settings
from django.db import connection

_prepared: WeakKeyDictionary = WeakKeyDictionary()  # DB-API connection -> statement names


def _numbered(sql: str) -> str:
    """`%s` placeholders as PostgreSQL's `$1, $2, …`."""
    counter = iter(range(1, sql.count("%s") + 1))
    return re.sub(r"%s", lambda _: f"${next(counter)}", sql)


def execute(cursor, name: str, sql: str, params: Sequence) -> None:
    """Run `sql` with `params` on `cursor`, as the prepared statement `name` where possible.

    `name` must identify `sql` exactly (the same text every time it is used).
    """
    if connection.vendor != "postgresql" or not settings.DB_PREPARED_STATEMENTS:
        cursor.execute(sql, params)
        return
    names = _prepared.setdefault(connection.connection, set())
    if name not in names:
        cursor.execute(f"PREPARE {name} AS {_numbered(sql)}")
        names.add(name)
    cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)
