"""insert_many, the bulk insert engine (pgo.bulk, #19), stores what SQLAlchemy's own insert stores, value for
value."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from records_helpers import add_user
from sqlalchemy import insert

from pgo.bulk import ROWS_PER_INSERT, insert_many
from pgo.measurements.models import Measurement

MOMENTS = [
    datetime(2024, 3, 31, 1, 30, tzinfo=UTC),
    datetime(1958, 4, 12, tzinfo=UTC),
    datetime(2024, 3, 31, 3, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2))),  # not UTC: the general way
    datetime(1, 1, 1, 0, 0, 0, 1, tzinfo=UTC),
]


def _rows(user_id: int, prefix: str) -> list[dict]:
    return [
        {
            "user_id": user_id,
            "type": "heart_rate",
            "values": {"value": 60 + n},
            "unit": "/min",
            "entered_values": {},
            "entered_unit": "",
            "measured_at": moment,
            "entered_at": MOMENTS[0],
            "source": "imported",
            "source_ref": None,
            "note": "",
            "idempotency_token": f"{prefix}{n}",
            "flagged": n % 2 == 0,
            "severity": "ok",
        }
        for n, moment in enumerate(MOMENTS)
    ]


def test_the_same_values_as_sqlalchemys_insert(session):
    user_id = add_user(session)
    insert_many(session, Measurement.__table__, _rows(user_id, "bulk-"), fixed=("user_id", "entered_at"))
    session.execute(insert(Measurement.__table__), _rows(user_id, "orm-"))
    raw = session.connection().exec_driver_sql(
        'SELECT idempotency_token, measured_at, entered_at, "values", flagged FROM measurement ORDER BY id'
    )
    stored = {token: rest for token, *rest in raw}
    assert len(stored) == 2 * len(MOMENTS)
    for n in range(len(MOMENTS)):
        assert stored[f"bulk-{n}"] == stored[f"orm-{n}"]


def test_empty_and_set_optional_moments_and_json_text(session):
    from pgo.records.models import RecordEntry

    user_id = add_user(session)

    def rows(prefix: str, details_as_text: bool) -> list[dict]:
        return [
            {
                "user_id": user_id,
                "category": "medication",
                "resource_type": "MedicationRequest",
                "dedup_key": f"{prefix}{n}",
                "code_key": "",
                "title": "paracetamol",
                "status": "active",
                "effective_at": MOMENTS[n],
                "effective_text": "",
                "end_at": end,
                "value_text": "",
                "value_num": None if n else 1.5,
                "comparator": "",
                "unit": "",
                "ref_low": None,
                "ref_high": None,
                "ref_text": "",
                "flag": "",
                "is_current": n == 0,
                "details": '{"kind": "x"}' if details_as_text else {"kind": "x"},
                "created_at": MOMENTS[1],
                "concept_id": "paracetamol",  # issue #15
                "concept_how": "name",
            }
            for n, end in enumerate([None, MOMENTS[3], None])
        ]

    insert_many(
        session, RecordEntry.__table__, rows("bulk-", True), fixed=("user_id", "created_at"), as_text=("details",)
    )
    session.execute(insert(RecordEntry.__table__), rows("orm-", False))
    raw = session.connection().exec_driver_sql(
        "SELECT dedup_key, effective_at, end_at, value_num, is_current, details, created_at FROM record_entry"
    )
    stored = {key: rest for key, *rest in raw}
    for n in range(3):
        assert stored[f"bulk-{n}"] == stored[f"orm-{n}"]
    assert stored["bulk-0"][1] is None and stored["bulk-1"][1] is not None


def test_many_rows_are_stored_in_their_order_with_the_same_values(session):
    """On SQLite rows go in groups of ROWS_PER_INSERT per statement: full groups and a rest, ids in row order."""
    user_id = add_user(session)
    count = 2 * ROWS_PER_INSERT + 3
    bulk = [{**_rows(user_id, "")[n % len(MOMENTS)], "idempotency_token": f"bulk-{n:04d}"} for n in range(count)]
    orm = [{**row, "idempotency_token": row["idempotency_token"].replace("bulk", "orm")} for row in bulk]
    insert_many(session, Measurement.__table__, bulk, fixed=("user_id", "entered_at"))
    session.execute(insert(Measurement.__table__), orm)
    raw = session.connection().exec_driver_sql(
        'SELECT idempotency_token, measured_at, entered_at, "values", flagged FROM measurement ORDER BY id'
    )
    tokens, values = zip(*((token, tuple(rest)) for token, *rest in raw), strict=True)
    assert list(tokens[:count]) == [f"bulk-{n:04d}" for n in range(count)]
    assert values[:count] == values[count:]


def test_returning_gives_the_id_of_every_stored_row(session):
    """More rows than one INSERT holds on SQLite, so several statements each give back their own rows."""
    user_id = add_user(session)
    rows = [row for n in range(40) for row in _rows(user_id, f"r{n}-")]  # 160 rows
    found = insert_many(session, Measurement.__table__, rows, fixed=("user_id",), returning="idempotency_token")
    stored = session.connection().exec_driver_sql("SELECT idempotency_token, id FROM measurement").all()
    assert len(found) == len(stored) == 160
    assert dict(found) == dict(stored)
    assert insert_many(session, Measurement.__table__, _rows(user_id, "plain-")) == []
