"""The BgZ section pages (#20 part 2): each section on its own page with its explanation, in Dutch and English, in
the simplified view too; alerts and directives first on the overview; only for the patient herself."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from pgo.records.bgz.sections import SLUGS

SECTION_PAGES = [f"/records/{slug}" for slug in SLUGS]
# what each page shows of the demo data (a zib2017 and a zib2020 example per section, written for #20)
EXPECTED = {
    "alerts": ["Draagt een pacemaker: geen MRI zonder overleg", "Valt snel: help bij opstaan"],
    "directives": [
        "Reanimatie",
        "Nee, deze behandeling wil u niet",
        "Beademing op de intensive care",
        "Niet-reanimerenverklaring",
    ],
    "care-plan": ["Herstel na heupoperatie", "Twee keer per week fysiotherapie", "Zelf de trap op naar de slaapkamer"],
    "appointments": ["Controle orthopedie", "Neem uw medicijnlijst mee.", "Controle bij de huisarts"],
    "care-team": ["Team heupherstel", "Dr. H. de Vries", "030 123 45 67", "Kees Jongeneel", "Marieke van Putten"],
    "devices": ["Rollator", "Nieuwe heup (heupprothese)", "Linker heup"],
    "nutrition": ["Zoutarm eten", "Niet meer dan 6 gram zout per dag.", "Drinkvoeding met extra eiwit"],
    "functioning": ["Lukt met hulp van een rollator", "Vergeet soms afspraken"],
    "insurance": ["Zorgverzekeraar Zilveren Kruis", "123456789", "Zorgverzekeraar Rijnland", "Natura Plus"],
}


@pytest.fixture
def anna(demo_patient):
    return demo_patient("anna@example.nl", "Anna")


def test_anonymous_people_are_sent_to_sign_in(client):
    for path in [*SECTION_PAGES, "/records/more", "/read-aloud?section=alerts"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/sign-in" in response.headers["Location"]


def test_clinicians_do_not_get_the_patient_pages(client, make_user, sign_in):
    make_user("doc@example.nl", role="clinician")
    sign_in("doc@example.nl")
    assert client.get("/records/alerts").status_code == 403
    assert client.get("/records/more").status_code == 403


def test_every_section_shows_its_records_with_sources_and_explanation(client, anna, sign_in):
    sign_in("anna@example.nl")
    assert set(EXPECTED) == set(SLUGS)
    for slug, expected in EXPECTED.items():
        html = client.get(f"/records/{slug}").get_data(as_text=True)
        for text in expected:
            assert text in html, (slug, text)
        assert 'class="explanation section-intro"' in html, slug
        assert f"/read-aloud?section={slug}" in html, slug
        assert "Huisartsenpraktijk De Linde" in html and "Ziekenhuis Rijnzicht" in html, slug


def test_the_explanation_comes_from_the_catalogue_at_the_persons_level_and_language(client, anna, sign_in, app):
    sign_in("anna@example.nl")
    html = client.get("/records/directives").get_data(as_text=True)
    assert "In een noodgeval kunt u het soms zelf niet meer zeggen." in html  # standard level, Dutch
    client.set_cookie("pgo_lang", "en")
    client.post("/preferences", data={"language": "en"})
    english = client.get("/records/directives", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Your wishes about treatment" in english and "In an emergency you may not be able to say it" in english
    assert "Uw wensen over behandeling" not in english


def test_the_overview_shows_alerts_and_directives_first(client, anna, sign_in):
    sign_in("anna@example.nl")
    html = client.get("/records").get_data(as_text=True)
    important = html.index("Belangrijk om te weten")
    assert important < html.index("Let hierop")  # before the results outside the range
    for text in ("Draagt een pacemaker", "Valt snel", "Reanimatie", "Beademing op de intensive care"):
        assert important < html.index(text), text
    assert "<strong>Reanimatie</strong>: Nee, deze behandeling wil u niet" in html  # the decision in words, one line
    assert 'href="/records/alerts"' in html and 'href="/records/directives"' in html


def test_the_list_of_sections_counts_each_and_links_to_it(client, anna, sign_in):
    sign_in("anna@example.nl")
    html = client.get("/records/more").get_data(as_text=True)
    for slug in SLUGS:
        assert f'href="/records/{slug}"' in html, slug
    assert "Meer over uw zorg" in html
    assert 'href="/records/more"' in client.get("/records/problems").get_data(as_text=True)  # in the records menu


def test_a_section_without_records_says_so(client, make_user, sign_in):
    make_user("leeg@example.nl")
    sign_in("leeg@example.nl")
    for path in SECTION_PAGES:
        html = client.get(path).get_data(as_text=True)
        assert "Hier staat nog niets." in html, path


def test_the_section_explanation_is_read_aloud(client, anna, sign_in, monkeypatch):
    from pgo.literacy import read_aloud

    said = []
    monkeypatch.setattr(read_aloud, "synthesize", lambda text, lang, cache_dir: said.append((text, lang)) or b"RIFF")
    sign_in("anna@example.nl")
    response = client.get("/read-aloud?section=directives&level=simple")
    assert response.status_code == 200 and response.mimetype == "audio/wav"
    assert said and "Bijvoorbeeld of u gereanimeerd wilt worden." in said[0][0]
    assert client.get("/read-aloud?section=nonsense").status_code == 404


def test_the_simplified_view_keeps_every_section(client, demo_patient, sign_in):
    demo_patient("eenvoud@example.nl", "Eenvoud", simplified=True)
    sign_in("eenvoud@example.nl")
    html = client.get("/records/alerts").get_data(as_text=True)
    assert 'class="page-pictogram only-simplified"' in html
    assert "Draagt een pacemaker" in html


def test_a_long_section_has_pages_and_a_nonsense_page_number_is_the_first(client, make_user, sign_in, app):
    from pgo.records.importing import import_resources

    user = make_user("veel@example.nl")
    visits = [
        {"resourceType": "Appointment", "id": f"a{n}", "status": "fulfilled", "description": f"Controle {n}",
         "start": f"2025-01-{1 + n:02d}T09:00:00+01:00"}
        for n in range(28)
    ]  # fmt: skip
    with Session(app.extensions["pgo_engine"]) as session:
        import_resources(session=session, user_id=user.id, source="Ziekenhuis", resources=visits)
        session.commit()
    sign_in("veel@example.nl")
    first = client.get("/records/appointments").get_data(as_text=True)
    assert "Pagina 1 van 2" in first and 'href="/records/appointments?page=2"' in first
    assert "Controle 27" in first and "Controle 0<" not in first
    second = client.get("/records/appointments?page=2").get_data(as_text=True)
    assert "Controle 0<" in second and "Controle 27" not in second
    assert client.get("/records/appointments?page=abc").status_code == 200


def test_a_simple_reader_gets_the_simple_explanation(client, make_user, sign_in):
    make_user("eenvoudig@example.nl", reading_level="simple")
    sign_in("eenvoudig@example.nl")
    html = client.get("/records/directives").get_data(as_text=True)
    assert "Bijvoorbeeld of u gereanimeerd wilt worden." in html  # the simple text
    assert "In een noodgeval kunt u het soms zelf niet meer zeggen." not in html  # not the standard one
    assert "/read-aloud?section=directives&amp;level=simple" in html
