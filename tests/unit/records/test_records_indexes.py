"""The records and measurement tables get no index that a longer index (a unique key included) already leads
with: every import keeps each index up to date, and such an index answers nothing the longer one does not."""

from __future__ import annotations

import pytest
from sqlalchemy import UniqueConstraint

from pgo.measurements.models import Measurement
from pgo.records import models

TABLES = [
    models.RecordResource,
    models.RecordProvenance,
    models.RecordEntry,
    models.RecordLink,
    models.RecordCoding,
    Measurement,
]


def _column_lists(table) -> dict[str, tuple[str, ...]]:
    """Columns of each index over all rows; a partial index (of some rows only) stands in for no other index."""
    found = {
        index.name: tuple(c.name for c in index.columns)
        for index in table.indexes
        if index.dialect_options["sqlite"]["where"] is None
    }
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            found[constraint.name] = tuple(c.name for c in constraint.columns)
    return found


# Kept on purpose: "id IN (...) AND user_id = ?" is answered from (user_id, rowid) alone (see the model).
KEPT = {"ix_record_entry_user_id"}


@pytest.mark.parametrize("model", TABLES, ids=lambda model: model.__tablename__)
def test_no_index_is_the_start_of_another(model):
    lists = _column_lists(model.__table__)
    for name, columns in lists.items():
        if name in KEPT:
            continue
        longer = [other for other, more in lists.items() if other != name and more[: len(columns)] == columns]
        assert not longer, f"{name} {columns} is the start of {longer}"


def test_the_kept_index_exists():
    assert {index.name for index in models.RecordEntry.__table__.indexes} >= KEPT


def _plan(session, statement) -> str:
    compiled = statement.compile(session.bind)
    params = compiled.construct_params()
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + str(compiled), tuple(params[k] for k in compiled.positiontup)
        )
        return " ".join(str(row[-1]) for row in rows)
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")  # a tiny table: ask what it could use
    return " ".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + str(compiled), params))


def test_flagged_results_are_read_from_the_partial_index(session):
    """The overview's newest results outside the range, and their count, come from the index of flagged results."""
    from sqlalchemy import func, select

    from pgo.records import queries

    newest = queries._newest_first(queries._mine(1, "result").where(models.FLAGGED)).limit(5)
    count = (
        select(func.count())
        .select_from(models.RecordEntry)
        .where(models.RecordEntry.user_id == 1, models.RecordEntry.category == "result", models.FLAGGED)
    )
    for statement in (newest, count):
        assert "ix_record_entry_flagged" in _plan(session, statement)
