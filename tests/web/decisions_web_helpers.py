"""Shared set-up for the decision-aid and clinic web tests: people, consent, signed-in clients."""

from __future__ import annotations

import re

from pgo.accounts import consent, teams

PASSWORD = "correct-paard-batterij"


def signed_in(app, email: str):
    client = app.test_client()
    html = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    client.post("/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token})
    return client


def token_of(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def practice(db_session, make_user, categories=("all",)):
    """Anna (patient), Bert (another patient), Dr. Jansen in De Linde with Anna's consent, and an outsider."""
    anna = make_user("anna@example.nl", name="Anna de Vries")
    bert = make_user("bert@example.nl", name="Bert Bos")
    doctor = make_user("doc@example.nl", role="clinician", name="Dr. Jansen")
    make_user("other@example.nl", role="clinician", name="Dr. Elders")
    team = teams.create_team(session=db_session, name="De Linde")
    teams.add_clinician(session=db_session, team_id=team.id, clinician_id=doctor.id)
    for category in categories:
        consent.grant(session=db_session, patient_id=anna.id, team_id=team.id, category=category, actor_id=anna.id)
    db_session.commit()
    return anna, bert, doctor, team
