"""'My health on one page' (issue #21): the summary page, its language and wording switch, the patient's notes."""

from __future__ import annotations

import pytest
from helpers import csrf_token

from pgo.summary.notes import MAX_LENGTH


@pytest.fixture
def anna(demo_patient):
    """A patient with the demo records."""
    return demo_patient()


def test_the_summary_shows_the_essentials_in_the_patients_words(client, anna, sign_in):
    sign_in("anna@example.nl")
    html = client.get("/summary").get_data(as_text=True)
    assert "Mijn gezondheid op één pagina" in html
    for expected in ("Hoge bloeddruk", "Jicht", "Allergie voor bijengif", "1 zetpil, 1 keer per dag", "Griepprik",
                     "Natrium", "138 mmol/l", "Ziekenhuis Rijnzicht", "Anna de Vries"):  # fmt: skip
        assert expected in html, expected
    assert "SNOMED CT" not in html  # codes only in the doctor's wording


def test_the_doctors_wording_in_english_for_abroad(client, anna, sign_in):
    sign_in("anna@example.nl")
    html = client.get("/summary?lang=en&wording=clinical").get_data(as_text=True)
    assert 'lang="en"' in html and "Patient summary" in html
    for expected in ("Hypertension", "SNOMED CT 38341003", "Active problems", "Current medication",
                     "Allergies and intolerances", "Immunizations", "reference range: 136 – 146 mmol/L"):  # fmt: skip
        assert expected in html, expected
    assert "Hoge bloeddruk" not in html
    # the page around it stays in the person's own language
    assert "Taal van het overzicht" in html


def test_unknown_choices_fall_back_to_the_defaults(client, anna, sign_in):
    sign_in("anna@example.nl")
    response = client.get("/summary?lang=xx&wording=<script>")
    assert response.status_code == 200
    assert "Hoge bloeddruk" in response.get_data(as_text=True)


def test_the_patient_writes_a_note_for_the_doctor_and_it_is_on_the_summary(client, anna, sign_in):
    sign_in("anna@example.nl")
    token = csrf_token(client, "/summary")
    response = client.post(
        "/summary/note", data={"text": "Ik ben bang voor prikken.\r\nIk hoor slecht.", "csrf_token": token}
    )
    assert response.status_code == 302
    html = client.get("/summary?lang=en").get_data(as_text=True)
    assert "My notes for the doctor" in html
    assert "Ik ben bang voor prikken.\nIk hoor slecht." in html
    # emptying the note removes it from the summary
    client.post("/summary/note", data={"text": "  ", "csrf_token": token})
    assert "Ik ben bang" not in client.get("/summary").get_data(as_text=True)


def test_a_note_that_is_too_long_is_refused_and_the_old_one_kept(client, anna, sign_in):
    sign_in("anna@example.nl")
    token = csrf_token(client, "/summary")
    client.post("/summary/note", data={"text": "Mijn eerste notitie.", "csrf_token": token})
    response = client.post("/summary/note", data={"text": "x" * (MAX_LENGTH + 1), "csrf_token": token})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Houd uw notitie korter dan 1000 tekens." in html and 'aria-invalid="true"' in html
    assert "Mijn eerste notitie." in html  # the kept note is still on the summary


def test_another_patient_never_sees_annas_summary(client, anna, make_user, sign_in):
    make_user("b@example.nl", name="Bert")
    sign_in("b@example.nl")
    html = client.get("/summary").get_data(as_text=True)
    assert "Anna de Vries" not in html and "Hoge bloeddruk" not in html
    assert html.count("Hier staat nog niets.") == 6  # every section: Bert has no records and no care team
