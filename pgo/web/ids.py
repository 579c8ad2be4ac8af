"""Numbers from URLs and forms that name rows: only what the database can hold (#17, 2026-12-03).

An id >= 2**63 reached the database, which cannot hold it, and answered 500. The ``int`` URL converter of the
app is replaced by one that refuses such ids (the route answers 404, as for any id that names nothing), and query
arguments and form fields use ``database_id`` and ``MAX_ID``.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**63 - 1  # the largest BIGINT (PostgreSQL) and INTEGER (SQLite)


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` that matches only 0 .. MAX_ID; a larger number matches no route (404)."""

    def __init__(self, map: Map, *args, **kwargs) -> None:  # noqa: A002  (werkzeug's own parameter name)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def database_id(value: str) -> int:
    """For ``request.args.get(name, type=database_id)``: a number the database can hold, or ValueError (= absent)."""
    number = int(value)
    if not 0 <= number <= MAX_ID:
        raise ValueError(value)
    return number
