"""Read-aloud audio (only text the app wrote) and the one-question reading-level screener."""

from __future__ import annotations

from sqlmodel import Session

from pgo.accounts.models import User


def test_read_aloud_speaks_a_page_summary_in_the_page_language(client, make_user, sign_in):
    make_user("anna@example.nl")
    sign_in("anna@example.nl")
    response = client.get("/read-aloud?page=overview")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "audio/wav"
    assert response.data[:4] == b"RIFF" and response.data[8:12] == b"WAVE"
    assert len(response.data) > 10000


def test_read_aloud_refuses_what_the_app_did_not_write(client, make_user, sign_in):
    make_user("anna@example.nl")
    sign_in("anna@example.nl")
    assert client.get("/read-aloud?page=anything").status_code == 404
    assert client.get("/read-aloud?text=hello").status_code == 404
    assert client.get("/read-aloud?item=999999").status_code == 404


def test_read_aloud_needs_a_signed_in_patient(client):
    assert client.get("/read-aloud?page=overview").status_code == 302


def test_the_screener_suggests_and_the_person_decides(app, client, make_user, sign_in, token):
    user = make_user("anna@example.nl")
    sign_in("anna@example.nl")
    page = client.get("/reading-level").get_data(as_text=True)
    assert "Hoe vaak" in page and page.count('type="radio"') == 5
    # no answer: 400 with the message, nothing saved
    empty = client.post("/reading-level", data={"csrf_token": token("/reading-level")})
    assert empty.status_code == 400 and "Kies hoe vaak u hulp nodig hebt." in empty.get_data(as_text=True)
    # "often" suggests the simple level, but does not save it
    answered = client.post("/reading-level", data={"answer": "4", "csrf_token": token("/reading-level")})
    assert answered.status_code == 302
    suggestion = client.get(answered.headers["Location"]).get_data(as_text=True)
    assert "Wij stellen dit niveau voor: eenvoudig." in suggestion
    with Session(app.extensions["pgo_engine"]) as session:
        assert session.get(User, user.id).reading_level == "standard"
    # saving it is the person's own step; a made-up level is refused
    assert client.post("/reading-level/save", data={"level": "expert", "csrf_token": token()}).status_code == 400
    saved = client.post("/reading-level/save", data={"level": "simple", "csrf_token": token()})
    assert saved.status_code == 302
    with Session(app.extensions["pgo_engine"]) as session:
        assert session.get(User, user.id).reading_level == "simple"


def test_the_screener_needs_sign_in(client):
    assert client.get("/reading-level").status_code == 302
