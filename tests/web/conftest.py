"""Test-client fixtures: an app on a fresh, migrated database per test, and a client that checks every page."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from helpers import csrf_token
from pagecheck import check_page
from sqlmodel import Session

from pgo import create_app
from pgo.accounts.service import create_user

PASSWORD = "correct-paard-batterij"


class CheckedClient(FlaskClient):
    """Every HTML page the app returns passes the page checks."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        is_full_page = response.mimetype == "text/html" and response.get_data(as_text=True).lstrip().lower().startswith(
            "<!doctype"
        )
        if is_full_page:
            check_page(response.get_data(as_text=True), where=f"{response.request.method} {response.request.path}")
        return response


@pytest.fixture
def app(tmp_path, database_url):
    app = create_app(
        {
            "TESTING": True,
            "PGO_DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "PGO_INSTANCE_PATH": str(tmp_path / "instance"),
            "SESSION_COOKIE_SECURE": False,
        }
    )
    app.test_client_class = CheckedClient
    yield app
    app.extensions["pgo_engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db_session(app):
    with Session(app.extensions["pgo_engine"], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def make_user(app):
    def make(email: str, role: str = "patient", name: str = "", **preferences):
        with Session(app.extensions["pgo_engine"], expire_on_commit=False) as session:
            user = create_user(session=session, email=email, password=PASSWORD, role=role, name=name)
            for key, value in preferences.items():
                setattr(user, key, value)
            session.add(user)
            session.commit()
            return user

    return make


@pytest.fixture
def demo_patient(app, make_user):
    """Makes a patient with the demo records (the Dutch and English fixtures), as ``demo_patient(email, name)``;
    other options go to ``make_user`` (``simplified=True``, ...)."""
    from pgo.accounts.models import User
    from pgo.demo import DemoPeople
    from pgo.records import demo

    def make(email: str = "anna@example.nl", name: str = "Anna de Vries", **options):
        user = make_user(email, name=name, **options)
        with Session(app.extensions["pgo_engine"], expire_on_commit=False) as session:
            people = DemoPeople(patient=session.get(User, user.id), clinician=None, team=None)  # type: ignore[arg-type]
            demo.seed(session, people)
            session.commit()
            assert people.notes == [], people.notes
        return user

    return make


@pytest.fixture
def sign_in(client):
    def do(email: str, password: str = PASSWORD):
        token = csrf_token(client, "/sign-in")
        return client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token})

    return do


@pytest.fixture
def token(client):
    return lambda path="/": csrf_token(client, path)


@pytest.fixture
def client_for(app):
    """Another browser, signed in as ``email``."""

    def make(email: str, password: str = PASSWORD):
        other = app.test_client()
        token = csrf_token(other, "/sign-in")
        other.post("/sign-in", data={"email": email, "password": password, "csrf_token": token})
        return other

    return make
