"""Clinic-wide pages read across every consenting patient: their number of queries must not grow with the clinic
(issue #22). A query count, not a timing: the timing is `pgo bench --clinic`'s."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event

from pgo.accounts import consent, teams
from pgo.accounts.models import Role, User
from pgo.clinic.preparation import patient_rows
from pgo.decisions.offers import offer_aid
from pgo.measurements.models import Measurement
from pgo.measurements.overview import flagged_readings

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)


@contextmanager
def counted(session, parameters: list[int] | None = None):
    """The statements the session sends; with ``parameters``, also how many values each one binds."""
    statements: list[str] = []
    engine = session.get_bind()

    def count(conn, cursor, statement, bound, *args):
        statements.append(statement)
        if parameters is not None:
            parameters.append(len(bound) if isinstance(bound, list | tuple | dict) else 0)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def clinic(session, patients: int) -> tuple[int, list[int]]:
    """A team of one clinician with ``patients`` consenting patients, each offered an aid, each with two flagged
    readings in the last month."""
    doctor = User(email="dokter@example.nl", name="Dokter", role=Role.CLINICIAN)
    session.add(doctor)
    session.flush()
    team = teams.create_team(session=session, name="Praktijk")
    teams.add_clinician(session=session, team_id=team.id, clinician_id=doctor.id)
    ids = []
    for n in range(patients):
        user = User(email=f"p{n}@example.nl", name=f"Patiënt {n:04d}", role=Role.PATIENT)
        session.add(user)
        session.flush()
        consent.grant(session=session, patient_id=user.id, team_id=team.id, category="all", actor_id=user.id)
        offer_aid(
            session=session,
            clinician_id=doctor.id,
            patient_id=user.id,
            aid_id="high-blood-pressure",
            consultation_date=date(2026, 4, 1),
        )
        for day in (1, 2):
            session.add(
                Measurement(
                    user_id=user.id,
                    type="blood_pressure",
                    values={"systolic": 190, "diastolic": 100},
                    unit="mm[Hg]",
                    measured_at=NOW - timedelta(days=day),
                    idempotency_token=f"t{n}-{day}",
                    flagged=True,
                    severity="contact_practice",
                )
            )
        ids.append(user.id)
    session.flush()
    return doctor.id, ids


@pytest.mark.parametrize("small, large", [(3, 12)])
def test_the_patient_list_asks_as_often_for_twelve_patients_as_for_three(engine, small, large):
    from sqlmodel import Session

    counts = []
    for size in (small, large):
        with Session(engine) as session:
            doctor_id, _ids = clinic(session, size)
            with counted(session) as statements:
                rows = patient_rows(session=session, clinician_id=doctor_id, now=NOW, lang="nl").rows
            session.rollback()
        assert len(rows) == size
        assert all(row.flagged == 2 and row.offered for row in rows)
        counts.append(len(statements))
    assert counts[0] == counts[1], f"queries for {small} and {large} patients: {counts}"


def test_the_flagged_readings_ask_as_often_for_twelve_patients_as_for_three(engine):
    from sqlmodel import Session

    counts = []
    for size in (3, 12):
        with Session(engine) as session:
            _doctor, ids = clinic(session, size)
            with counted(session) as statements:
                rows = flagged_readings(session=session, patient_ids=ids, since=NOW - timedelta(days=30)).rows
            session.rollback()
        assert len(rows) == 2 * size
        counts.append(len(statements))
    assert counts[0] == counts[1], f"queries for 3 and 12 patients: {counts}"


def test_the_clinic_pages_bind_as_many_values_for_twelve_patients_as_for_three(engine):
    """Consent is joined in SQL: no statement lists every consenting patient. The old code read every patient's
    grants and name and asked with an ``IN`` list of all their ids, a cost that grew with the clinic (#22)."""
    from sqlmodel import Session

    from pgo.measurements.overview import flagged_for_clinician

    most_bound = []
    for size in (3, 12):
        with Session(engine) as session:
            doctor_id, _ids = clinic(session, size)
            bound: list[int] = []
            with counted(session, bound):
                listed = patient_rows(session=session, clinician_id=doctor_id, now=NOW, lang="nl", per_page=2)
                flagged = flagged_for_clinician(
                    session=session, clinician_id=doctor_id, since=NOW - timedelta(days=30), per_page=2
                )
            session.rollback()
        assert (listed.paging.total, len(listed.rows), flagged.sharing, len(flagged.rows)) == (size, 2, size, 2)
        assert {p.patient_id for p in flagged.patients} == {r.patient_id for r in flagged.rows}
        most_bound.append(max(bound))
    assert most_bound[0] == most_bound[1], f"values bound for 3 and 12 patients: {most_bound}"


def test_the_patient_list_shows_fifty_a_page_by_name_and_counts_only_that_page(session):
    doctor_id, _ids = clinic(session, 51)
    first = patient_rows(session=session, clinician_id=doctor_id, now=NOW, lang="nl")
    second = patient_rows(session=session, clinician_id=doctor_id, now=NOW, lang="nl", page=2)
    past_the_end = patient_rows(session=session, clinician_id=doctor_id, now=NOW, lang="nl", page=9)
    assert (first.paging.total, first.paging.pages, len(first.rows), len(second.rows)) == (51, 2, 50, 1)
    assert [r.name for r in first.rows][:2] == ["Patiënt 0000", "Patiënt 0001"]
    assert [r.name for r in second.rows] == ["Patiënt 0050"] == [r.name for r in past_the_end.rows]
    assert second.rows[0].flagged == 2 and second.rows[0].offered


def test_flagged_readings_come_fifty_a_page_newest_first(session):
    _doctor, ids = clinic(session, 26)  # 52 flagged readings
    first = flagged_readings(session=session, patient_ids=ids, since=NOW - timedelta(days=30))
    second = flagged_readings(session=session, patient_ids=ids, since=NOW - timedelta(days=30), page=2)
    assert (first.paging.total, first.paging.pages, len(first.rows), len(second.rows)) == (52, 2, 50, 2)
    when = [r.measurement_id for r in first.rows + second.rows]
    assert len(set(when)) == 52
    assert {r.patient_name for r in second.rows} <= {f"Patiënt {n:04d}" for n in range(26)}


def test_a_clinic_of_more_than_a_thousand_patients_is_listed(session):
    """SQLite refuses an expression more than 1,000 deep: the names were read with one OR per patient."""
    from pgo.accounts.consent import visible_patients

    doctor = User(email="dokter@example.nl", name="Dokter", role=Role.CLINICIAN)
    session.add(doctor)
    session.flush()
    team = teams.create_team(session=session, name="Praktijk")
    teams.add_clinician(session=session, team_id=team.id, clinician_id=doctor.id)
    users = [User(email=f"p{n}@example.nl", name=f"P {n:04d}", role=Role.PATIENT) for n in range(1001)]
    session.add_all(users)
    session.flush()
    for user in users:
        consent.grant(session=session, patient_id=user.id, team_id=team.id, category="records", actor_id=user.id)
    found = visible_patients(session=session, clinician_id=doctor.id)
    assert len(found) == 1001 and found[0].name == "P 0000" and found[-1].name == "P 1000"


def test_a_clinicians_consenting_patients_are_found_through_their_teams_not_every_current_grant(session):
    """With many teams on one server, the consent subquery must start from the clinician's teams: the old plan read
    every current grant of every team (the index on ``revoked_at`` alone), a cost that grew with the server (#22)."""
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("the query plan is read with SQLite's EXPLAIN QUERY PLAN")
    from sqlalchemy import text

    doctor_id, _ids = clinic(session, 3)
    other = teams.create_team(session=session, name="Andere praktijk")
    for n in range(20):
        user = User(email=f"q{n}@example.nl", name=f"Ander {n}", role=Role.PATIENT)
        session.add(user)
        session.flush()
        consent.grant(session=session, patient_id=user.id, team_id=other.id, category="all", actor_id=user.id)
    query = consent.consenting_patient_ids(clinician_id=doctor_id, category="measurements")
    compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    plan = [row[-1] for row in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]
    grants = [step for step in plan if "consent_grant" in step]
    assert grants and all("team_id=" in step for step in grants), plan
