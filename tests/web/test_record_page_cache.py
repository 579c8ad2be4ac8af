"""Record pages are kept once rendered (pgo.web.fragments) and made again when anything they depend on changes."""

from __future__ import annotations

import json

import pytest
from helpers import get_counting_queries
from sqlmodel import Session

from pgo.records.importing import import_paths
from pgo.records.titles import record_title
from pgo.web.fragments import store

PAGES = ["/records", "/records/results", "/records/medication", "/records/problems"]


# The Dutch page's title of each test's result: the catalogue's title when it knows the code (#16)
GLUCOSE = record_title("Glucose nuchter", "http://loinc.org|2345-7", "result", "nl")
KALIUM = record_title("Kalium", "http://loinc.org|2823-3", "result", "nl")
CHOLESTEROL = record_title("Cholesterol totaal", "http://loinc.org|2093-3", "result", "nl")


def _observation(title: str, value: float, when: str, code: str = "2345-7") -> dict:
    return {
        "resourceType": "Observation",
        "id": f"obs-{code}-{when}",
        "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                  "code": "laboratory"}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": code, "display": title}], "text": title},
        "effectiveDateTime": when,
        "valueQuantity": {"value": value, "unit": "mmol/L", "system": "http://unitsofmeasure.org", "code": "mmol/L"},
        "referenceRange": [{"low": {"value": 4.0, "unit": "mmol/L"}, "high": {"value": 7.8, "unit": "mmol/L"}}],
    }  # fmt: skip


def _import(app, tmp_path, user_id: int, name: str, *resources: dict):
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}
    path = tmp_path / name
    path.write_text(json.dumps(bundle))
    with Session(app.extensions["pgo_engine"]) as session:
        report = import_paths(session=session, user_id=user_id, paths=[path])
        session.commit()
    return report


def _queries(app, client, path: str) -> tuple[int, str]:
    count, response = get_counting_queries(app, client, path)
    assert response.status_code == 200, path
    return count, response.get_data(as_text=True)


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def piet(app, make_user, tmp_path):
    user = make_user("piet@example.nl", name="Piet")
    _import(app, tmp_path, user.id, "first.json", _observation("Glucose nuchter", 9.1, "2026-01-05"))
    return user


@pytest.mark.parametrize("path", PAGES)
def test_a_second_visit_gets_the_same_page_without_the_content_queries(app, client, piet, sign_in, path):
    sign_in("piet@example.nl")
    first_count, first = _queries(app, client, path)
    again_count, again = _queries(app, client, path)
    assert _main(again) == _main(first)  # (the CSRF token in the header is signed with the time: not compared)
    # what is left: the sign-in session, the person, the records revision (the content's queries are skipped)
    assert again_count < first_count
    assert again_count <= 5
    assert store(app).hits >= 1


def test_an_import_shows_at_once(app, client, piet, sign_in, tmp_path):
    sign_in("piet@example.nl")
    before = client.get("/records").get_data(as_text=True)
    assert GLUCOSE in before and KALIUM not in before
    _import(app, tmp_path, piet.id, "second.json", _observation("Kalium", 6.9, "2026-02-01", code="2823-3"))
    after = client.get("/records").get_data(as_text=True)
    assert KALIUM in after and GLUCOSE in after
    results = client.get("/records/results").get_data(as_text=True)
    assert "Kalium" in results


def test_a_refused_file_does_not_throw_the_pages_away(app, client, piet, sign_in, tmp_path):
    sign_in("piet@example.nl")
    client.get("/records")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with Session(app.extensions["pgo_engine"]) as session:
        assert not import_paths(session=session, user_id=piet.id, paths=[bad]).ok
        session.commit()
    hits = store(app).hits
    client.get("/records")
    assert store(app).hits == hits + 1


def test_language_and_reading_level_each_get_their_own_page(app, client, piet, sign_in, token):
    sign_in("piet@example.nl")
    dutch = client.get("/records").get_data(as_text=True)
    assert "Let hierop" in dutch
    client.post("/language", data={"lang": "en", "csrf_token": token(), "next": "/records"})
    english = client.get("/records").get_data(as_text=True)
    assert "Needs attention" in english
    assert english != dutch
    with Session(app.extensions["pgo_engine"]) as session:
        from pgo.accounts.models import User

        person = session.get(User, piet.id)
        person.reading_level = "detailed"
        session.add(person)
        session.commit()
    detailed = client.get("/records").get_data(as_text=True)
    assert 'aria-current="true"' in detailed
    current = detailed.split('aria-current="true"')[1][:200]
    assert "detailed" in current


def _display(client, token, **chosen):
    data = {"text_size": "normal", "reading_level": "standard", "language": "nl", "csrf_token": token("/preferences")}
    data.update({name: value for name, value in chosen.items() if value})
    assert client.post("/preferences", data=data).status_code == 302


def test_text_size_and_contrast_share_a_page_the_simplified_view_has_its_own(app, client, piet, sign_in, token):
    sign_in("piet@example.nl")
    _display(client, token)
    normal = client.get("/records/results").get_data(as_text=True)
    kept = store(app).hits
    _display(client, token, text_size="xlarge", high_contrast="y")
    large = client.get("/records/results").get_data(as_text=True)
    assert store(app).hits == kept + 1  # same content: kept
    assert 'class="text-xlarge contrast-high"' in large and _main(large) == _main(normal)
    _display(client, token, simplified="y")
    simple = client.get("/records/results").get_data(as_text=True)
    assert store(app).hits == kept + 1  # another content: made
    assert 'class="text-normal simplified"' in simple and _main(simple) != _main(normal)


def test_one_persons_page_is_never_shown_to_another(app, make_user, client_for, piet, tmp_path):
    other = make_user("greet@example.nl", name="Greet")
    _import(app, tmp_path, other.id, "greet.json", _observation("Cholesterol totaal", 8.4, "2026-03-01", code="2093-3"))
    piet_page = client_for("piet@example.nl").get("/records").get_data(as_text=True)
    greet_page = client_for("greet@example.nl").get("/records").get_data(as_text=True)
    assert GLUCOSE in piet_page and CHOLESTEROL not in piet_page
    assert CHOLESTEROL in greet_page and GLUCOSE not in greet_page


def test_the_csrf_token_and_messages_stay_per_request(app, client, piet, sign_in, client_for):
    sign_in("piet@example.nl")
    client.get("/records")
    other_browser = client_for("piet@example.nl")
    mine, theirs = client.get("/records").get_data(as_text=True), other_browser.get("/records").get_data(as_text=True)
    token_of = lambda html: html.split('"X-CSRFToken": "')[1].split('"')[0]  # noqa: E731
    assert token_of(mine) != token_of(theirs)


def test_the_store_keeps_at_most_its_limit_and_drops_the_least_recently_used():
    from pgo.web.fragments import FragmentStore

    kept = FragmentStore(limit=10)  # plain strings stand in for Markup
    kept.put("a", "aaaa")
    kept.put("b", "bbbb")
    assert kept.get("a") == "aaaa"  # a is now the most recently used
    kept.put("c", "cccc")  # 12 > 10: b goes
    assert kept.get("b") is None and kept.get("a") == "aaaa" and kept.get("c") == "cccc"
    assert kept.size == 8 and len(kept) == 2
    kept.put("huge", "x" * 11)  # larger than the whole store: not kept, nothing else dropped
    assert kept.get("huge") is None and len(kept) == 2
    kept.put("a", "a")  # replacing counts the new size only
    assert kept.size == 5


def test_no_page_is_kept_while_templates_reload(app, client, piet, sign_in):
    app.jinja_env.auto_reload = True
    sign_in("piet@example.nl")
    client.get("/records")
    client.get("/records")
    assert len(store(app)) == 0


def _menu(html: str) -> str:
    return html[html.index('<nav class="main-menu') : html.index("</nav>", html.index('<nav class="main-menu'))]


def test_the_menu_is_kept_per_role_page_and_language(app, client, piet, sign_in, token, client_for, make_user):
    sign_in("piet@example.nl")
    first = _menu(client.get("/records").get_data(as_text=True))
    home = _menu(client.get("/").get_data(as_text=True))
    again = _menu(client.get("/records").get_data(as_text=True))
    menus = store(app, "layout")
    assert again == first and menus.hits == 1 and len(menus) == 2
    assert 'href="/records" aria-current="page"' in again and 'href="/" aria-current' not in again
    assert 'href="/" aria-current="page"' in home and 'href="/records" aria-current' not in home
    client.post("/language", data={"lang": "en", "next": "/records", "csrf_token": token("/records")})
    english = _menu(client.get("/records").get_data(as_text=True))
    assert "My records" in english and "Mijn gegevens" in again
    make_user("dokter@example.nl", role="clinician")
    clinician = _menu(client_for("dokter@example.nl").get("/").get_data(as_text=True))
    assert "Mijn gegevens" not in clinician and 'href="/" aria-current="page"' in clinician
