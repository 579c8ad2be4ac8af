"""The clinicians' gap page (issue #15, part 5): the codes without their own explanation, across patients, most
frequent first, paged, in Dutch and English, and never a patient's name, address or id."""

from __future__ import annotations

import re

from sqlmodel import Session

from pgo.records.catalogue_gaps import MIN_PEOPLE
from pgo.records.importing import import_resources

PRK = "urn:oid:2.16.840.1.113883.2.4.4.10"


def _statement(code: str, display: str, day: int = 1) -> dict:
    return {"resourceType": "MedicationStatement", "id": f"ms-{code}-{day}", "status": "active",
            "medicationCodeableConcept": {"coding": [{"system": PRK, "code": code, "display": display}]},
            "effectivePeriod": {"start": f"2021-06-{day:02}"}}  # fmt: skip


def _patients_with(app, make_user, count: int, resources: list[dict], start: int = 0) -> list:
    people = []
    for number in range(start, start + count):
        user = make_user(f"patient{number}@example.nl", name=f"Pieternella Patiënt{number}")
        with Session(app.extensions["pgo_engine"]) as session:
            assert import_resources(session=session, user_id=user.id, resources=resources, source="test").ok
            session.commit()
        people.append(user)
    return people


def test_only_clinicians_see_the_gap_page(client, make_user, sign_in):
    assert client.get("/clinic/catalogue/gaps").status_code == 302
    make_user("anna@example.nl")
    sign_in("anna@example.nl")
    assert client.get("/clinic/catalogue/gaps").status_code == 403


def test_the_gap_page_lists_codes_most_frequent_first_and_names_no_patient(app, client, make_user, sign_in):
    people = _patients_with(app, make_user, MIN_PEOPLE, [_statement("111111", "ONBEKEND MIDDEL A")])
    people += _patients_with(app, make_user, 1, [_statement("222222", "ONBEKEND MIDDEL B")], start=50)
    people += _patients_with(app, make_user, 1, [{**_statement("x", "x"), "medicationCodeableConcept": {
        "text": "Zalf van Pieternella"}}], start=60)  # fmt: skip
    make_user("doc@example.nl", role="clinician", name="Dokter")
    sign_in("doc@example.nl")
    page = client.get("/clinic/catalogue/gaps").get_data(as_text=True)
    assert "<h1>Gegevens zonder eigen uitleg</h1>" in page
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", page, re.S)
    assert (
        "111111" in rows[0]
        and "ONBEKEND MIDDEL A" in rows[0]
        and f'<td data-label="Patiënten">{MIN_PEOPLE}<' in rows[0]
    )
    assert "222222" in rows[1] and "minder dan 5" in rows[1]
    assert "Pieternella" not in page and "example.nl" not in page  # no name, no address, not even in free text
    for person in people:
        assert f"/patients/{person.id}/" not in page
    assert "1 gegeven zonder code staat niet in de lijst" in page
    client.set_cookie("pgo_lang", "en")
    english = client.get("/clinic/catalogue/gaps").get_data(as_text=True)
    assert "<h1>Records without their own explanation</h1>" in english and "fewer than 5" in english


def test_the_gap_page_is_paged(app, client, make_user, sign_in):
    resources = [_statement(f"9{n:02}", f"MIDDEL {n}", day=n + 1) for n in range(27)]
    _patients_with(app, make_user, 1, resources)
    make_user("doc@example.nl", role="clinician")
    sign_in("doc@example.nl")
    first = client.get("/clinic/catalogue/gaps").get_data(as_text=True)
    assert "Pagina 1 van 2" in first and 'rel="next"' in first
    second = client.get("/clinic/catalogue/gaps?page=2").get_data(as_text=True)
    assert len(re.findall(r'<th scope="row">', second)) == 2
