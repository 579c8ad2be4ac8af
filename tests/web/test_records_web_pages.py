"""The record pages: access, explanations at a level, the level switch with and without htmx, documents, paging."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from pgo.records.models import RecordEntry

PASSWORD = "correct-paard-batterij"

PAGES = [
    "/records",
    "/records/results",
    "/records/medication",
    "/records/problems",
    "/records/allergies",
    "/records/vaccinations",
    "/records/procedures",
    "/records/visits",
    "/records/documents",
]


@pytest.fixture
def anna(demo_patient):
    """A patient with the demo records (the Dutch and English fixtures)."""
    return demo_patient("anna@example.nl", "Anna")


def entry(app, user_id: int, category: str, **where) -> RecordEntry:
    with Session(app.extensions["pgo_engine"]) as session:
        query = select(RecordEntry).where(RecordEntry.user_id == user_id, RecordEntry.category == category)
        for name, value in where.items():
            query = query.where(getattr(RecordEntry, name) == value)
        return session.exec(query.order_by(RecordEntry.id)).first()


def test_anonymous_people_are_sent_to_sign_in(client):
    for path in PAGES + ["/records/item/1", "/records/documents/1/file", "/read-aloud?page=overview"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/sign-in" in response.headers["Location"]


def test_clinicians_do_not_get_the_patient_pages(client, make_user, sign_in):
    make_user("doc@example.nl", role="clinician")
    sign_in("doc@example.nl")
    assert client.get("/records").status_code == 403


def test_every_record_page_shows_records_with_sources_and_explanations(client, anna, sign_in):
    sign_in("anna@example.nl")
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert 'class="explanation"' in html, path
        assert "Huisartsenpraktijk De Linde" in html or "Synthea" in html or "Rijnzicht" in html, path
        assert "/read-aloud?" in html, path


def test_results_show_the_value_range_flag_in_words_and_a_trend(client, anna, sign_in):
    sign_in("anna@example.nl")
    html = client.get("/records/results?page=1").get_data(as_text=True)
    assert "138 mmol/l" in html  # the zib2020 sodium result
    assert "136 – 146 mmol/l" in html
    assert "Ongeveer hetzelfde als de vorige keer" in html or "Hoger dan de vorige keer" in html
    overview = client.get("/records").get_data(as_text=True)
    assert "Hoger dan de referentiewaarde" in overview and "icon-arrow-up" in overview  # words and a shape


def _glucose(value: float, when: str) -> dict:
    return {
        "resourceType": "Observation", "id": f"glucose-{when}", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7", "display": "Glucose"}]},
        "effectiveDateTime": when, "valueQuantity": {"value": value, "unit": "mmol/L"},
    }  # fmt: skip


def test_each_earlier_result_is_compared_with_the_one_before_it(app, client, make_user, sign_in):
    from pgo.records.importing import import_resources

    user = make_user("kees@example.nl", name="Kees")
    readings = [(5.0, "2026-01-05"), (7.0, "2026-02-05"), (6.9, "2026-03-05"), (6.0, "2026-04-05")]
    with Session(app.extensions["pgo_engine"]) as session:
        resources = [_glucose(value, when) for value, when in readings]
        assert import_resources(session=session, user_id=user.id, resources=resources, source="Lab").ok
        session.commit()
    sign_in("kees@example.nl")
    html = client.get("/records/results").get_data(as_text=True)
    table = html[html.index('<table class="trend">') : html.index("</table>")]
    rows = [re.sub(r"<[^>]+>", "|", row) for row in table.split("<tr>")[2:]]  # newest first, after the header
    compared = [next((w for w in ("Lager", "Ongeveer", "Hoger") if w in row), "") for row in rows]
    assert compared == ["Lager", "Ongeveer", "Hoger", ""]  # 6.0 < 6.9, 6.9 ~ 7.0, 7.0 > 5.0, the first: nothing


def test_paging_keeps_pages_short(client, anna, sign_in):
    sign_in("anna@example.nl")
    first = client.get("/records/results").get_data(as_text=True)
    assert "Pagina 1 van" in first and 'rel="next"' in first
    second = client.get("/records/results?page=2").get_data(as_text=True)
    assert "Pagina 2 van" in second and 'rel="prev"' in second
    titles = lambda html: set(re.findall(r'id="item-(\d+)"', html))  # noqa: E731
    assert titles(first).isdisjoint(titles(second))
    assert first.count('class="card record') <= 20


def test_level_switch_without_javascript_changes_only_that_item(client, anna, app, sign_in):
    sign_in("anna@example.nl")
    sodium = entry(app, anna.id, "result", value_text="138")
    standard = client.get("/records/results").get_data(as_text=True)
    simple = client.get(f"/records/results?level=simple&item={sodium.id}").get_data(as_text=True)
    assert "Normaal is 136 - 146 mmol/l." in simple
    assert "Normaal is 136 - 146 mmol/l." not in standard
    assert "De normale waarde van het lab is 136 - 146 mmol/l." in standard
    detailed = client.get(f"/records/results?level=detailed&item={sodium.id}").get_data(as_text=True)
    assert "binnen de referentiewaarde" in detailed


def test_the_level_chosen_for_the_page_applies_to_every_explanation_and_its_pages(client, anna, app, sign_in):
    # #18: one choice for the page, not three links a card; the pager keeps it
    sign_in("anna@example.nl")
    simple = client.get("/records/results?level=simple").get_data(as_text=True)
    levels = re.findall(r'href="/read-aloud\?item=\d+&amp;level=(\w+)"', simple)
    assert len(levels) >= 10 and set(levels) == {"simple"}
    assert "Normaal is 136 - 146 mmol/l." in simple
    assert 'href="/records/results?page=2&amp;level=simple"' in simple
    assert simple.count('aria-label="Niveau van de uitleg"') == 1
    assert 'href="/records/results?level=detailed"' in simple
    standard = client.get("/records/results").get_data(as_text=True)
    assert set(re.findall(r"/read-aloud\?item=\d+&amp;level=(\w+)", standard)) == {"standard"}
    assert 'href="/records/results?page=2"' in standard
    bad = client.get("/records/results?level=%3Cscript%3E").get_data(as_text=True)  # not a level: the preference
    assert set(re.findall(r"/read-aloud\?item=\d+&amp;level=(\w+)", bad)) == {"standard"}


def test_level_switch_with_htmx_returns_only_the_explanation(client, anna, app, sign_in):
    sign_in("anna@example.nl")
    sodium = entry(app, anna.id, "result", value_text="138")
    headers = {"HX-Request": "true", "HX-Current-URL": "http://localhost/records/results?page=1"}
    partial = client.get(f"/records/item/{sodium.id}?level=simple", headers=headers).get_data(as_text=True)
    assert partial.lstrip().startswith('<section class="explanation"')
    assert "<html" not in partial and "Normaal is 136 - 146 mmol/l." in partial
    assert f'href="/records/results?page=1&amp;level=detailed&amp;item={sodium.id}#item-{sodium.id}"' in partial
    full = client.get(f"/records/item/{sodium.id}?level=simple").get_data(as_text=True)
    assert full.lstrip().lower().startswith("<!doctype") and "Normaal is 136 - 146 mmol/l." in full


def test_the_document_opens_or_downloads_only_for_its_owner(client, anna, app, make_user, sign_in):
    document = entry(app, anna.id, "document")
    sign_in("anna@example.nl")
    opened = client.get(f"/records/documents/{document.id}/file")
    assert opened.status_code == 200
    assert opened.headers["Content-Type"] == "application/pdf"
    assert opened.headers["Content-Disposition"].startswith("inline; filename=")
    assert opened.data.startswith(b"%PDF")
    saved = client.get(f"/records/documents/{document.id}/file?download=1")
    assert saved.headers["Content-Disposition"].startswith("attachment; filename=")
    assert saved.headers["Content-Disposition"].endswith('.pdf"')
    not_a_document = entry(app, anna.id, "allergy")
    assert client.get(f"/records/documents/{not_a_document.id}/file").status_code == 404

    make_user("bert@example.nl")
    bert = client.application.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', bert.get("/sign-in").get_data(as_text=True)).group(1)
    bert.post("/sign-in", data={"email": "bert@example.nl", "password": PASSWORD, "csrf_token": token})
    assert bert.get(f"/records/documents/{document.id}/file").status_code == 404
    assert bert.get(f"/records/item/{document.id}").status_code == 404
    assert bert.get(f"/read-aloud?item={document.id}").status_code == 404
    assert "Huisartsenpraktijk De Linde" not in bert.get("/records").get_data(as_text=True)
