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
    found = {index.name: tuple(c.name for c in index.columns) for index in table.indexes}
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
