"""A record's page says under its details how the record was recognised (issue #15, 2026-12-03): its own
explanation, its group's, or not recognised, and by what (code, an equivalent code, its name)."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from pgo.records.importing import import_resources
from pgo.records.models import RecordEntry

PRK = "urn:oid:2.16.840.1.113883.2.4.4.10"


def _statement(number: int, concept: dict) -> dict:
    return {"resourceType": "MedicationStatement", "id": f"ms-{number}", "status": "active",
            "medicationCodeableConcept": concept, "effectivePeriod": {"start": "2021-06-12"}}  # fmt: skip


RECORDS = [
    _statement(1, {"coding": [{"system": PRK, "code": "1", "display": "X"}], "text": "ACETYLSALICYLZUUR 100MG"}),
    _statement(2, {"text": "NITROGLYCERINE SPRAY 0,4MG/DO"}),
    _statement(3, {"text": "ONBEKEND PREPARAAT 5MG"}),
    _statement(4, {"coding": [{"system": "http://www.whocc.no/atc", "code": "B01AC06"}], "text": "Ascal"}),
]


def _details(client, entry_id: int) -> str:
    page = client.get(f"/records/item/{entry_id}").get_data(as_text=True)
    found = re.search(r'<dd class="record-recognition">(.*?)</dd>', page, re.S)
    assert found, "the record's details say how it was recognised"
    return " ".join(found.group(1).split())


def test_the_details_say_how_each_record_was_recognised(app, client, make_user, sign_in):
    user = make_user("anna@example.nl", name="Anna")
    with Session(app.extensions["pgo_engine"]) as session:
        assert import_resources(session=session, user_id=user.id, resources=RECORDS, source="test").ok
        session.commit()
        ids = {e.title: e.id for e in session.exec(select(RecordEntry).where(RecordEntry.user_id == user.id))}
    sign_in("anna@example.nl")
    assert _details(client, ids["ACETYLSALICYLZUUR 100MG"]) == "Eigen uitleg. Herkend aan de naam, niet aan een code."
    assert _details(client, ids["Ascal"]) == "Eigen uitleg. Herkend aan de code."
    assert _details(client, ids["NITROGLYCERINE SPRAY 0,4MG/DO"]) == (
        "Uitleg over de groep: over dit gegeven zelf is nog geen uitleg. Herkend aan de naam, niet aan een code."
    )
    unknown = _details(client, ids["ONBEKEND PREPARAAT 5MG"])
    assert unknown.startswith("Niet herkend: ") and "Herkend" not in unknown
    client.set_cookie("pgo_lang", "en")
    assert _details(client, ids["ONBEKEND PREPARAAT 5MG"]).startswith("Not recognised: there is no explanation")
    assert _details(client, ids["Ascal"]) == "Its own explanation. We recognised it by its code."


def test_the_card_in_a_list_does_not_repeat_it(app, client, make_user, sign_in):
    user = make_user("anna@example.nl", name="Anna")
    with Session(app.extensions["pgo_engine"]) as session:
        import_resources(session=session, user_id=user.id, resources=RECORDS[:1], source="test")
        session.commit()
    sign_in("anna@example.nl")
    assert "record-recognition" not in client.get("/records/medication").get_data(as_text=True)


def test_the_sources_say_who_reviewed_the_explanation_and_when(app, client, make_user, sign_in, monkeypatch):
    import dataclasses
    from datetime import date

    from pgo.literacy import catalogue

    cat = catalogue.default_catalogue()
    reviewed = dataclasses.replace(cat.by_id["platelet-inhibitors"], reviewed=date(2026, 12, 3), reviewed_by="A. Arts")
    entries = tuple(reviewed if e.id == reviewed.id else e for e in cat.entries)
    changed = dataclasses.replace(cat, entries=entries, by_id={**cat.by_id, reviewed.id: reviewed})
    monkeypatch.setattr(catalogue, "default_catalogue", lambda: changed)
    user = make_user("anna@example.nl", name="Anna")
    with Session(app.extensions["pgo_engine"]) as session:
        import_resources(session=session, user_id=user.id, resources=RECORDS, source="test")
        session.commit()
        ids = {e.title: e.id for e in session.exec(select(RecordEntry).where(RecordEntry.user_id == user.id))}
    sign_in("anna@example.nl")
    page = client.get(f"/records/item/{ids['Ascal']}").get_data(as_text=True)
    assert "Nagekeken op 3 december 2026 door A. Arts" in page
    other = client.get(f"/records/item/{ids['NITROGLYCERINE SPRAY 0,4MG/DO']}").get_data(as_text=True)
    assert "Nagekeken op 3 december 2026</p>" in other  # a date alone: nobody named
