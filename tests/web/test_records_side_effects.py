"""A medicine's side effects are shown under their own heading, not under "why is this done" (#15, 2026-12-03)."""

from __future__ import annotations

import re

from pagecheck import check_page
from sqlmodel import Session

from pgo.records.importing import import_resources

AMLODIPINE = {
    "resourceType": "MedicationStatement",
    "id": "ms-amlodipine",
    "status": "active",
    "medicationCodeableConcept": {
        "coding": [{"system": "http://www.whocc.no/atc", "code": "C08CA01", "display": "amlodipine"}],
        "text": "AMLODIPINE TABLET 5MG",
    },
    "effectivePeriod": {"start": "2025-03-01"},
}


def test_the_medication_page_shows_side_effects_under_their_own_heading(app, client, make_user, sign_in):
    user = make_user("bram@example.nl", name="Bram")
    with Session(app.extensions["pgo_engine"]) as session:
        import_resources(session=session, user_id=user.id, resources=[AMLODIPINE], source="test")
        session.commit()
    sign_in("bram@example.nl")
    html = client.get("/records/medication").get_data(as_text=True)
    check_page(html, where="/records/medication")
    side_effects = re.search(r'<p class="side-effects"><strong>Bijwerkingen:</strong> ([^<]+)</p>', html)
    assert side_effects is not None and "dikke enkels" in side_effects.group(1).lower()
    why = re.search(r"<details class=\"not-simplified-details\">.*?</details>", html, re.S)
    assert why is not None and "enkels" not in why.group(0)
