"""A clinic-wide page logs the patients it shows in one go (issue #22): one entry per patient, chained, in page
order; the clinician's own data is not logged; a wrong code writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from pgo.accounts.audit import AccessLogError, record_access, record_views_of_patients, verify_chain
from pgo.accounts.models import AccessLogEntry

MARCH_3 = datetime(2026, 3, 3, 10, 15, tzinfo=UTC)


def test_one_entry_per_patient_shown_chained_after_what_was_there(session, people):
    record_access(session=session, actor_id=people.jansen.id, actor_role="clinician", team_id=people.linde.id,
                  patient_id=people.anna.id, what="view:records", purpose="care", now=MARCH_3)  # fmt: skip
    entries = record_views_of_patients(
        session=session,
        actor_id=people.jansen.id,
        actor_role="clinician",
        views=[(people.bram.id, people.linde.id), (people.jansen.id, None), (people.anna.id, people.linde.id)],
        what="view:measurements",
        purpose="care",
        now=MARCH_3,
    )
    session.commit()
    assert [(e.user_id, e.what) for e in entries] == [
        (people.bram.id, "view:measurements"),
        (people.anna.id, "view:measurements"),
    ]
    assert [e.id for e in session.exec(select(AccessLogEntry).order_by(AccessLogEntry.id))] == [1, 2, 3]
    report = verify_chain(session=session)
    assert report.ok and report.entries == 3


def test_a_wrong_code_writes_nothing(session, people):
    with pytest.raises(AccessLogError, match="unknown access code 'peek:everything'"):
        record_views_of_patients(session=session, actor_id=people.jansen.id, actor_role="clinician",
                                 views=[(people.anna.id, None)], what="peek:everything", purpose="care")  # fmt: skip
    with pytest.raises(AccessLogError, match="unknown purpose 'curiosity'"):
        record_views_of_patients(
            session=session,
            actor_id=people.jansen.id,
            actor_role="clinician",
            views=[(people.anna.id, None)],
            what="view:measurements",
            purpose="curiosity",
        )
    assert session.exec(select(AccessLogEntry)).all() == []
