"""The bulk insert engine (#19, 2026-12-03: from pgo.records.importing): many rows into one table at driver speed.

Used by the record importer (pgo.records.importing) and the measurement import listener
(pgo.measurements.importing) alike. ``insert_many`` writes rows with one driver-level executemany (on SQLite
several rows a statement), ``ids_by_key`` finds the ids of a person's rows by a key column in plain SQL.
Table and column names are the callers' constants, never input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Dialect, Table, insert
from sqlalchemy.types import TypeEngine
from sqlmodel import Session
from sqlmodel.sql.sqltypes import UTCDateTime


def ids_by_key(session: Session, table: str, column: str, user_id: int, keys: list[str]) -> list[tuple]:
    """(key, id) of the user's rows whose ``column`` is one of ``keys``, in plain SQL: SQLAlchemy's expansion of a
    long IN list cost as much as the query. ``table`` and ``column`` are the callers' constants, never input."""
    if not keys:
        return []
    connection = session.connection()
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    marks = ",".join([mark] * len(keys))
    sql = f"SELECT {column}, id FROM {table} WHERE user_id = {mark} AND {column} IN ({marks})"  # noqa: S608
    return connection.exec_driver_sql(sql, (user_id, *keys)).all()


def insert_many(
    session: Session,
    table: Table,
    rows: list[dict[str, Any]],
    *,
    fixed: Iterable[str] = (),
    as_text: Iterable[str] = (),
    returning: str | None = None,
) -> list[tuple]:
    """Insert rows with one driver-level executemany (on SQLite of several rows a statement): the statement is
    compiled once and only the columns that need it are converted per row (SQLAlchemy's per-row parameter handling
    was a third of an import's time).

    ``fixed`` columns hold the same value in every row (converted once); ``as_text`` columns are JSON columns given
    as JSON text already (SQLite stores the text, PostgreSQL casts it). Every row has the keys of the first row.
    With ``returning`` (a key column), the INSERT itself gives back (key, id) of every row it stored (RETURNING).
    """
    if not rows:
        return []
    connection = session.connection()
    dialect = connection.dialect
    keys = tuple(rows[0])
    text_columns = tuple(as_text)
    sql, as_tuple = _compiled_insert(dialect, table, keys, text_columns)
    convert = {
        key: processor
        for key in keys
        if key not in text_columns and (processor := _converter(table.c[key].type, dialect))
    }
    constant = {key: convert.pop(key)(rows[0][key]) if key in convert else rows[0][key] for key in fixed}
    for row in rows:  # the row dicts are made for this insert alone: updated in place
        row.update(constant)
    for key, processor in convert.items():  # a column at a time: one loop per converted column, not per value
        for row in rows:
            row[key] = processor(row[key])
    if dialect.name == "sqlite" and as_tuple is not None:
        return _insert_rows_at_once(connection, sql, list(map(as_tuple, rows)), returning)
    params = list(map(as_tuple, rows)) if as_tuple else rows
    if returning is None:
        connection.exec_driver_sql(sql, params)
        return []
    return _psycopg_returning(connection, f"{sql} RETURNING {returning}, id", params)  # PostgreSQL


def _psycopg_returning(connection: Connection, sql: str, params: list) -> list[tuple]:
    """psycopg's executemany gives back what each row's RETURNING gives, one result set a row (SQLAlchemy's own
    executemany does not ask for them). It runs in the connection's transaction like every other statement."""
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.executemany(sql, params, returning=True)
        found: list[tuple] = []
        while True:
            found.extend(cursor.fetchall())
            if not cursor.nextset():
                return found
    finally:
        cursor.close()


ROWS_PER_INSERT = 64
_SQLITE_VARIABLES = 999  # the fewest parameters a SQLite statement may have (builds before 3.32)


def _insert_rows_at_once(connection: Connection, sql: str, rows: list[tuple], returning: str | None) -> list[tuple]:
    """SQLite: up to ``ROWS_PER_INSERT`` rows in one INSERT (a VALUES list), in their order, so they get the same ids
    as one by one. Each statement costs SQLite its own start and end (a statement journal, the transaction checked)
    and pysqlite a reset and a step: one statement per row was about a tenth of an import's SQL.

    With ``returning``, each INSERT gives back (key, id) of its rows: RETURNING cannot be run by executemany."""
    per = max(1, min(ROWS_PER_INSERT, _SQLITE_VARIABLES // len(rows[0])))
    if returning is not None:
        found: list[tuple] = []
        for at in range(0, len(rows), per):
            chunk = rows[at : at + per]
            statement = _rows_sql(sql, len(chunk), returning)
            found.extend(connection.exec_driver_sql(statement, tuple(chain.from_iterable(chunk))).all())
        return found
    full = len(rows) - len(rows) % per
    if full:
        chunks = [tuple(chain.from_iterable(rows[at : at + per])) for at in range(0, full, per)]
        connection.exec_driver_sql(_rows_sql(sql, per), chunks)
    if full < len(rows):
        connection.exec_driver_sql(_rows_sql(sql, len(rows) - full), tuple(chain.from_iterable(rows[full:])))
    return []


@lru_cache(maxsize=512)
def _rows_sql(sql: str, count: int, returning: str | None = None) -> str:
    """``sql`` (an INSERT of one row) for ``count`` rows, giving back (``returning``, id) of each when asked."""
    head, _values, row = sql.rpartition(" VALUES ")  # the last: only placeholders follow it
    tail = f" RETURNING {returning}, id" if returning else ""
    return f"{head} VALUES {', '.join([row] * count)}{tail}"


_PROBE = datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=UTC)


def _converter(column_type: TypeEngine, dialect: Dialect) -> Callable[[Any], Any] | None:
    """The column's bind processor; for an aware datetime column on SQLite one that writes a UTC datetime's text
    itself (as SQLAlchemy does, checked once per insert), without the two conversions of every value."""
    processor = column_type.dialect_impl(dialect).bind_processor(dialect)
    if processor is None or dialect.name != "sqlite" or not isinstance(column_type, UTCDateTime):
        return processor
    if processor(_PROBE) != _utc_text(_PROBE):
        return processor

    def convert(value: datetime | None) -> Any:
        if value is None:
            return None  # what SQLAlchemy's processors give for None
        return _utc_text(value) if value.tzinfo is UTC else processor(value)

    return convert


def _utc_text(moment: datetime) -> str:
    """A UTC datetime as SQLite stores it (SQLAlchemy's DATETIME storage format)."""
    return "%04d-%02d-%02d %02d:%02d:%02d.%06d" % (  # noqa: UP031 (half the time of the f-string)
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
        moment.microsecond,
    )


# INSERT statements by dialect (its kind, paramstyle and server version), table, columns and JSON-text columns:
# compiling them again for every batch cost 5 ms a batch.
_compiled: dict[tuple, tuple[str, Callable[[dict], tuple] | None]] = {}


def _compiled_insert(
    dialect: Dialect, table: Table, keys: tuple[str, ...], as_text: tuple[str, ...]
) -> tuple[str, Callable[[dict], tuple] | None]:
    """The statement's text, and for positional paramstyles what makes a row's parameters in its order."""
    cache_key = (type(dialect), dialect.paramstyle, dialect.server_version_info, table, keys, as_text)
    if (found := _compiled.get(cache_key)) is not None:
        return found
    statement = insert(table).inline()  # no RETURNING: ids are looked up per batch
    if dialect.name != "sqlite":
        from sqlalchemy import JSON, Text, bindparam, cast

        statement = statement.values({k: cast(bindparam(k, type_=Text()), JSON) for k in as_text})
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    found = _compiled[cache_key] = (
        compiled.string,
        _tuple_of(compiled.positiontup) if compiled.positional else None,
    )
    return found


def _tuple_of(names: list[str]) -> Callable[[dict], tuple]:
    getter = itemgetter(*names)
    return getter if len(names) > 1 else lambda row: (getter(row),)
