"""Load test: `pgo serve` with two gunicorn workers; many patients with imported records at once sign in, enter
blood pressure readings through the real form (some sent twice: a double click, and the same form from a second
session at the same moment) and read their record pages and measurement history. Afterwards: no server errors,
no connection errors, and every reading a client saw accepted is in the database exactly once (no lost or
duplicated writes). Sessions and throttling work across the workers."""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from functools import partial
from itertools import cycle
from statistics import median

import pytest
import requests
from load_clients import CSRF, csrf_of, fill_in_reading, post_reading, signed_in, stored_id
from sqlalchemy import func
from sqlmodel import Session, select

from pgo import config, db
from pgo.accounts import teams
from pgo.accounts.models import SignInAttempt
from pgo.accounts.service import create_user
from pgo.measurements.models import Measurement, Source
from pgo.records.importing import import_paths
from pgo.records.models import RecordEntry

pytestmark = pytest.mark.slow

PATIENTS = 12
READINGS_EACH = 8
TIME_LIMIT = 75  # seconds for all the clients together
PASSWORD = "een-lang-wachtwoord"
RESULT_ID = re.compile(r"/\d+$")
PAGES = ("/records", "/records/results", "/measurements/blood_pressure/history", "/records/medication", "/")
BUNDLES = ("Floyd_Connelly_*.json", "Reuben_Lind_*.json")  # Synthea patients, 145 and 199 resources


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


@pytest.fixture
def with_records(practice):
    """Each patient's record holds a Synthea bundle, imported the way `pgo import` does."""
    folder = config.fixtures_dir() / "synthea-r4"
    bundles = cycle([next(folder.glob(pattern)) for pattern in BUNDLES])
    for user_id in practice["people"].values():
        with db.session_scope(practice["engine"]) as session:
            report = import_paths(session=session, user_id=user_id, paths=[next(bundles)])
            assert report.imported and not report.refused
    return practice


class Tally:
    """What the clients saw, shared by the threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter[int] = Counter()
        self.accepted: dict[str, dict[str, int]] = {}  # email -> token -> measurement id
        self.problems: list[str] = []
        self.seconds: dict[str, list[float]] = {}  # "GET /records" -> how long each answer took
        self.resent = 0

    def watch(self, browser: requests.Session) -> requests.Session:
        """Count every response this session gets (sign-in, forms, posts, pages).

        Every request opens its own connection: consecutive requests of one person then land on either worker,
        and no request meets gunicorn closing an idle keep-alive connection (after 2 s) at the moment it is
        sent, a client-side race that browsers cover by retrying and that is not what this test is about."""
        browser.headers["Connection"] = "close"

        def count(response: requests.Response, *args, **kwargs) -> None:
            path = RESULT_ID.sub("/<id>", requests.utils.urlparse(response.url).path)
            with self.lock:
                self.statuses[response.status_code] += 1
                self.seconds.setdefault(f"{response.request.method} {path}", []).append(
                    response.elapsed.total_seconds()
                )

        browser.hooks["response"].append(count)
        return browser

    def slowest(self) -> str:
        worst = sorted(self.seconds.items(), key=lambda item: -max(item[1]))[:4]
        return ", ".join(f"{where} {len(t)}x median {median(t):.2f} max {max(t):.2f} s" for where, t in worst)

    def accept(self, email: str, token: str, ids: list[int | None]) -> None:
        with self.lock:
            self.resent += len(ids) - 1
            if None in ids or len(set(ids)) != 1:
                self.problems.append(f"{email}: one reading sent {len(ids)} times answered {ids}")
                return
            self.accepted.setdefault(email, {})[token] = ids[0]


def _at_once(*sends):
    """Run the sends in parallel threads released together; their responses in order."""
    barrier = threading.Barrier(len(sends), timeout=30)
    answers: list = [None] * len(sends)

    def run(index, send):
        barrier.wait()
        answers[index] = send()

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(sends)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(answer is not None for answer in answers), "a parallel send did not finish"
    return answers


def _enter_and_read(base: str, email: str, tally: Tally, deadline: float) -> None:
    phone, laptop = (signed_in(base, email, PASSWORD, tally.watch(requests.Session())) for _ in range(2))
    laptop_csrf = csrf_of(laptop, base)
    for number in range(READINGS_EACH):
        if time.monotonic() > deadline:
            return
        reading = fill_in_reading(phone, base, systolic=112 + number, diastolic=72 + number, pulse=64 + number)
        if number % 4 == 1:  # the same form from two sessions at the same moment
            responses = _at_once(
                partial(post_reading, phone, base, reading), partial(post_reading, laptop, base, reading, laptop_csrf)
            )
        elif number % 4 == 3:  # a double click: the same POST again
            responses = [post_reading(phone, base, reading), post_reading(phone, base, reading)]
        else:
            responses = [post_reading(phone, base, reading)]
        tally.accept(email, reading.token, [stored_id(r) for r in responses])
        phone.get(base + PAGES[number % len(PAGES)], timeout=30)


def test_many_patients_enter_readings_and_read_records_at_once(with_records, server_factory):
    practice = with_records
    server = server_factory(workers=2)
    tally = Tally()
    started = time.monotonic()
    deadline = started + TIME_LIMIT

    def person(email: str) -> None:
        try:
            _enter_and_read(server.url, email, tally, deadline)
        except Exception as error:  # noqa: BLE001  (counted, then asserted below)
            with tally.lock:
                tally.problems.append(f"{email}: {error!r}")

    threads = [threading.Thread(target=person, args=(email,)) for email in practice["people"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIME_LIMIT + 60)
    took = time.monotonic() - started
    assert not any(t.is_alive() for t in threads)

    assert tally.problems == [], server.messages()  # connection errors and time-outs land here too
    assert all(code < 500 for code in tally.statuses), tally.statuses
    assert set(tally.statuses) <= {200, 302, 303}, tally.statuses
    accepted = sum(len(tokens) for tokens in tally.accepted.values())
    assert accepted == PATIENTS * READINGS_EACH, "some clients ran out of time"
    with Session(practice["engine"]) as session:
        for email, user_id in practice["people"].items():
            assert session.exec(select(func.count()).where(RecordEntry.user_id == user_id)).one() > 100
            stored = session.exec(
                select(Measurement).where(Measurement.user_id == user_id, Measurement.source == Source.ENTERED)
            ).all()
            assert {m.idempotency_token: m.id for m in stored} == tally.accepted[email], f"{email}: lost or extra"
            assert len(stored) == len(tally.accepted[email]), f"{email}: a reading stored twice"
            assert all(set(m.values) == {"systolic", "diastolic", "heart_rate"} for m in stored)
    print(
        f"\nload: {PATIENTS} patients, {sum(tally.statuses.values())} requests {dict(tally.statuses)}, "
        f"{accepted} readings stored once each, {tally.resent} re-sent, {took:.1f} s; slowest: {tally.slowest()}"
    )


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
