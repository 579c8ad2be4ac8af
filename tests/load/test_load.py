"""Load test: `pgo serve` with two gunicorn workers, many concurrent people signing in, reading pages and
changing their consent. Afterwards: no server errors, and every write the clients saw succeed is in the
database exactly once (no lost or duplicated writes). Sessions and throttling work across the workers."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
import requests
from helpers import CSRF, signed_in, toggle_consent
from sqlalchemy import func
from sqlmodel import Session, select

from pgo import db
from pgo.accounts import teams
from pgo.accounts.models import ConsentEvent, SignInAttempt
from pgo.accounts.service import create_user

pytestmark = pytest.mark.slow

PATIENTS = 12
CHANGES_EACH = 10
TIME_LIMIT = 90  # seconds for the whole run
PASSWORD = "een-lang-wachtwoord"
PAGES = ("/", "/consent", "/access-log", "/preferences")


@pytest.fixture
def practice(migrated_url):
    engine = db.make_engine(migrated_url)
    with db.session_scope(engine) as session:
        team = teams.create_team(session=session, name="De Linde")
        people = [
            create_user(session=session, email=f"p{n}@example.nl", password=PASSWORD, name=f"P{n}")
            for n in range(PATIENTS)
        ]
        result = {"team_id": team.id, "people": {p.email: p.id for p in people}, "engine": engine}
    yield result
    engine.dispose()


def test_concurrent_people_lose_no_writes(practice, server_factory):
    server = server_factory(workers=2)
    statuses: Counter[int] = Counter()
    confirmed: Counter[str] = Counter()  # writes each client saw succeed
    lock = threading.Lock()
    deadline = time.monotonic() + TIME_LIMIT

    def person(email: str) -> None:
        browser = signed_in(server.url, email, PASSWORD)
        for number in range(CHANGES_EACH):
            if time.monotonic() > deadline:
                return
            response = toggle_consent(browser, server.url, practice["team_id"], grant=number % 2 == 0)
            page = browser.get(server.url + PAGES[number % len(PAGES)], timeout=30)
            with lock:
                statuses[response.status_code] += 1
                statuses[page.status_code] += 1
                if response.status_code == 302:
                    confirmed[email] += 1

    threads = [threading.Thread(target=person, args=(email,)) for email in practice["people"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIME_LIMIT + 30)
    assert not any(t.is_alive() for t in threads)

    assert all(code < 500 for code in statuses), statuses
    assert sum(confirmed.values()) == PATIENTS * CHANGES_EACH, "some clients ran out of time"
    with Session(practice["engine"]) as session:
        for email, user_id in practice["people"].items():
            stored = session.exec(select(func.count()).where(ConsentEvent.user_id == user_id)).one()
            assert stored == confirmed[email], f"{email}: sent {confirmed[email]} changes, stored {stored}"


def test_sessions_and_throttling_are_shared_by_the_workers(practice, server_factory):
    server = server_factory(workers=2)
    email = next(iter(practice["people"]))
    browser = signed_in(server.url, email, PASSWORD)
    # many requests on one session: gunicorn spreads them over both workers; each must know the session
    for _ in range(40):
        assert browser.get(f"{server.url}/consent", allow_redirects=False, timeout=30).status_code == 200
    # failed attempts through fresh connections (either worker) add up to one throttle
    answers = []
    for _ in range(7):
        anonymous = requests.Session()
        token = CSRF.search(anonymous.get(f"{server.url}/sign-in", timeout=30).text).group(1)
        answers.append(
            anonymous.post(
                f"{server.url}/sign-in",
                data={"email": email, "password": "wrong-password", "csrf_token": token},
                timeout=30,
            ).status_code
        )
    assert answers[:5] == [400] * 5
    assert answers[5:] == [429, 429]
    with Session(practice["engine"]) as session:
        assert session.exec(select(func.count()).where(SignInAttempt.succeeded.is_(False))).one() == 5
