"""Share the summary by link (#21): encrypted at rest with a key only the link holds, expiry, code, revoke,
every opening logged, kind pages without data, throttled guessing."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest
from helpers import csrf_token
from sqlalchemy import text
from sqlmodel import Session, select

from pgo.clock import utcnow
from pgo.summary import sharing
from pgo.summary.models import ShareLink

ADDRESS = "192.0.2.7"


@pytest.fixture
def anna(demo_patient):
    """A patient with the demo records."""
    return demo_patient()


def _make(session, user_id, **options) -> sharing.CreatedLink:
    created = sharing.create_link(session=session, user_id=user_id, lang="nl", wording="patient", **options)
    session.commit()
    return created


def _open(session, created, key=None, **options):
    return sharing.open_link(session=session, public_id=created.link.public_id, key=created.key if key is None else key,
                             address=options.pop("address", ADDRESS), **options)  # fmt: skip


def test_the_link_opens_the_summary_and_the_opening_is_logged(db_session, anna):
    created = _make(db_session, anna.id, label="Dr. Smit")
    opened = _open(db_session, created)
    assert opened.summary.name == "Anna de Vries"
    assert "Hoge bloeddruk" in [line.title for line in opened.summary.section("problems").lines]
    assert opened.ips["type"] == "document"
    [link] = sharing.links_of(session=db_session, user_id=anna.id)
    assert link.label == "Dr. Smit" and len(link.openings) == 1 and link.state(utcnow()) == "active"


def test_the_stored_content_is_unreadable_without_the_links_key(app, db_session, anna):
    created = _make(db_session, anna.id)
    key_bytes = base64.urlsafe_b64decode(created.key + "=")
    # nothing in the database holds the key, in any form, nor the summary in plain text
    dump = []
    with app.extensions["pgo_engine"].connect() as connection:
        for table in ("summary_share_link", "access_log_entry", "sign_in_attempt"):
            for row in connection.execute(text(f"SELECT * FROM {table}")):  # noqa: S608 - fixed table names
                dump += [bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode() for v in row]
    blob = b"\x00".join(dump)
    assert created.key.encode() not in blob and key_bytes not in blob
    assert b"Anna" not in blob and b"Hoge bloeddruk" not in blob and b"Hypertension" not in blob
    # the row alone opens nothing: another key (all keys are equally likely) fails the authentication tag
    for guess in (b"\x00" * 32, bytes(b ^ 1 for b in key_bytes)):
        with pytest.raises(sharing.Unavailable, match="^unknown$") as refusal:
            _open(db_session, created, key=base64.urlsafe_b64encode(guess).decode().rstrip("="), address="192.0.2.99")
        assert refusal.value.reason == "unknown"
    assert _open(db_session, created).summary.name == "Anna de Vries"  # control: the link's own key opens it


@pytest.mark.parametrize("key", ["", "abc", "not base64 !!", "A" * 43])
def test_a_guessed_key_opens_nothing(db_session, anna, key):
    created = _make(db_session, anna.id)
    with pytest.raises(sharing.Unavailable, match="^unknown$") as refusal:
        _open(db_session, created, key=key)
    assert refusal.value.reason == "unknown"


def test_revoked_and_expired_links_open_nothing(db_session, anna):
    created = _make(db_session, anna.id, days=7)
    with pytest.raises(sharing.Unavailable, match="^expired$") as refusal:
        _open(db_session, created, now=utcnow() + timedelta(days=7, seconds=1))
    assert refusal.value.reason == "expired"
    assert _open(db_session, created, now=utcnow() + timedelta(days=6)).summary  # still open before the end
    assert sharing.revoke_link(session=db_session, user_id=anna.id, link_id=created.link.id)
    db_session.commit()
    with pytest.raises(sharing.Unavailable, match="^revoked$") as refusal:
        _open(db_session, created)
    assert refusal.value.reason == "revoked"


def test_expiry_is_seven_days_by_default_and_at_most_a_year(db_session, anna):
    created = _make(db_session, anna.id)
    assert created.link.expires_at - created.link.created_at == timedelta(days=7)
    assert _make(db_session, anna.id, days=365).link
    with pytest.raises(sharing.ShareError, match="^days$"):
        _make(db_session, anna.id, days=366)


def test_a_link_with_a_code_needs_the_right_code(db_session, anna):
    created = _make(db_session, anna.id, code="ab12 cd")
    for code, reason in (("", "needs_code"), ("ab12ce", "wrong_code")):
        with pytest.raises(sharing.Unavailable, match=f"^{reason}$") as refusal:
            _open(db_session, created, code=code)
        assert refusal.value.reason == reason
    assert _open(db_session, created, code="AB12CD").summary.name == "Anna de Vries"  # case and spaces do not count


def test_guessing_codes_is_throttled_per_link(db_session, anna):
    created = _make(db_session, anna.id, code="1234")
    for n in range(5):
        with pytest.raises(sharing.Unavailable, match="^wrong_code$"):
            _open(db_session, created, code=f"99{n}9", address=f"192.0.2.{n + 10}")
    with pytest.raises(sharing.Unavailable, match="^throttled$") as refusal:
        _open(db_session, created, code="1234", address="192.0.2.50")  # even the right code waits now
    assert refusal.value.reason == "throttled" and refusal.value.retry_after > 0


def test_guessing_links_is_throttled_per_address(db_session, anna):
    created = _make(db_session, anna.id)
    for n in range(20):
        with pytest.raises(sharing.Unavailable, match="^unknown$"):
            sharing.open_link(session=db_session, public_id=f"guess{n}", key=created.key, address=ADDRESS)
    with pytest.raises(sharing.Unavailable, match="^throttled$") as refusal:
        _open(db_session, created)
    assert refusal.value.reason == "throttled"
    assert _open(db_session, created, address="198.51.100.1").summary  # another address is not held up


# --- the pages ---------------------------------------------------------------------------------------------


def _create_on_the_page(client, **fields) -> str:
    token = csrf_token(client, "/summary/share")
    response = client.post("/summary/share?lang=en&wording=clinical",
                           data={"days": "7", "csrf_token": token, **fields})  # fmt: skip
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "<svg" in html and "<title>QR-code van de link</title>" in html
    return re.search(r'class="share-url"><a href="(http://localhost(/summary/shared/[^"]+))"', html).group(2)


def test_anna_shares_her_summary_and_sees_when_it_was_opened(app, client, anna, sign_in):
    sign_in("anna@example.nl")
    path = _create_on_the_page(client, label="Hospital in Spain")
    # a doctor abroad opens it without an account
    doctor = app.test_client()
    response = doctor.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Hypertension" in html and "SNOMED CT 38341003" in html
    assert response.headers["Referrer-Policy"] in ("no-referrer", "same-origin")  # the key never leaves the site
    # Anna sees the opening on her list and in her access log
    page = client.get("/summary/share").get_data(as_text=True)
    assert "Hospital in Spain" in page and "1 keer geopend:" in page and "geopend op" in page
    log = client.get("/access-log").get_data(as_text=True)
    assert "Iemand opende uw gezondheidsoverzicht met uw deellink op" in log


def token_of(client, path: str) -> str:
    return csrf_token(client, path)


def test_revoked_wrong_code_and_guessed_links_show_a_kind_page_without_data(app, client, anna, sign_in):
    sign_in("anna@example.nl")
    path = _create_on_the_page(client, code="4321")
    doctor = app.test_client()
    asked = doctor.get(path)
    assert asked.status_code == 200 and "Typ de code" in asked.get_data(as_text=True)
    wrong = doctor.post(path, data={"code": "0000", "csrf_token": csrf_token(doctor, path)})
    assert wrong.status_code == 401 and "Deze code klopt niet" in wrong.get_data(as_text=True)
    right = doctor.post(path, data={"code": "4321", "csrf_token": csrf_token(doctor, path)})
    assert right.status_code == 200 and "Hypertension" in right.get_data(as_text=True)
    public_id = path.split("/")[3]
    guessed = doctor.get(f"/summary/shared/{public_id[:-2]}xx/{path.split('/')[4]}")
    assert guessed.status_code == 404 and "Deze link klopt niet" in guessed.get_data(as_text=True)
    wrong_key = doctor.post(
        f"/summary/shared/{public_id}/{'B' * 43}", data={"code": "4321", "csrf_token": token_of(doctor, path)}
    )
    assert wrong_key.status_code == 401
    with Session(app.extensions["pgo_engine"]) as session:
        link_id = session.exec(select(ShareLink.id).where(ShareLink.public_id == public_id)).one()
    token = csrf_token(client, "/summary/share")
    assert client.post(f"/summary/share/{link_id}/revoke", data={"csrf_token": token}).status_code == 302
    revoked = doctor.post(path, data={"code": "4321", "csrf_token": csrf_token(doctor, path)})
    assert revoked.status_code == 410
    for response in (wrong, guessed, wrong_key, revoked):
        html = response.get_data(as_text=True)
        assert "Anna" not in html and "Hypertension" not in html and "Hoge bloeddruk" not in html


def test_another_patient_cannot_stop_annas_link(app, client, anna, make_user, sign_in, client_for):
    sign_in("anna@example.nl")
    path = _create_on_the_page(client)
    with Session(app.extensions["pgo_engine"]) as session:
        link_id = session.exec(select(ShareLink.id)).one()
    make_user("b@example.nl")
    bert = client_for("b@example.nl")
    token = csrf_token(bert, "/summary/share")
    assert bert.post(f"/summary/share/{link_id}/revoke", data={"csrf_token": token}).status_code == 404
    assert "Anna" not in bert.get("/summary/share").get_data(as_text=True)
    assert app.test_client().get(path).status_code == 200  # still open


def test_the_doctor_downloads_the_shared_ips_and_it_is_logged(app, client, anna, sign_in):
    from pgo.summary.ips import validate

    sign_in("anna@example.nl")
    path = _create_on_the_page(client, code="5555")
    doctor = app.test_client()
    page = doctor.post(path, data={"code": "5555", "csrf_token": csrf_token(doctor, path)}).get_data(as_text=True)
    assert f'action="{path}/ips.json"' in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert doctor.post(f"{path}/ips.json", data={"csrf_token": token}).status_code == 400  # the code form again
    download = doctor.post(f"{path}/ips.json", data={"code": "5555", "csrf_token": token})
    assert download.status_code == 200 and download.headers["Content-Type"].startswith("application/fhir+json")
    validate(download.get_json(force=True))
    assert "2 keer geopend:" in client.get("/summary/share").get_data(as_text=True)
