"""Whose data a page may show: the patient themselves, or a clinician with a current grant (logged)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from pgo.accounts import consent, teams
from pgo.accounts.models import AccessLogEntry
from pgo.accounts.patient_views import patient_in_view
from pgo.web.access import signed_in


@pytest.fixture
def probe(app):
    @signed_in
    def show(patient_id):
        patient = patient_in_view(patient_id or None, category="measurements", what="view:measurements")
        return f"patient {patient.id}"

    app.add_url_rule("/probe/<int:patient_id>", "probe", show)


def test_patients_see_only_themselves_and_clinicians_need_consent(app, probe, make_user, db_session, client_for):
    anna = make_user("anna@example.nl")
    bert = make_user("bert@example.nl")
    doctor = make_user("doc@example.nl", role="clinician", name="Dr. Jansen")
    outsider = make_user("other@example.nl", role="clinician")
    team = teams.create_team(session=db_session, name="De Linde")
    teams.add_clinician(session=db_session, team_id=team.id, clinician_id=doctor.id)
    db_session.commit()

    anna_browser = client_for("anna@example.nl")
    assert anna_browser.get(f"/probe/{anna.id}").get_data(as_text=True) == f"patient {anna.id}"
    assert anna_browser.get(f"/probe/{bert.id}").status_code == 404  # no IDOR
    doctor_browser = client_for("doc@example.nl")
    assert doctor_browser.get(f"/probe/{anna.id}").status_code == 404  # no consent yet

    consent.grant(session=db_session, patient_id=anna.id, team_id=team.id, category="measurements", actor_id=anna.id)
    db_session.commit()
    assert doctor_browser.get(f"/probe/{anna.id}").status_code == 200
    assert client_for("other@example.nl").get(f"/probe/{anna.id}").status_code == 404
    entries = db_session.exec(select(AccessLogEntry)).all()
    assert [(e.actor_id, e.user_id, e.what, e.team_id) for e in entries] == [
        (doctor.id, anna.id, "view:measurements", team.id)
    ]
    assert outsider.id not in {e.actor_id for e in entries}

    consent.revoke(session=db_session, patient_id=anna.id, team_id=team.id, category="measurements", actor_id=anna.id)
    db_session.commit()
    assert doctor_browser.get(f"/probe/{anna.id}").status_code == 404  # revoking works on the next request
