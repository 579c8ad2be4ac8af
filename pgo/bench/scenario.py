"""The benchmark's world: a migrated database with a large and a small patient record and a consenting team."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pgo import db
from pgo.bench.data import add_measurements, generate_record, write_bundle

PASSWORD = "bench-wachtwoord-lang-genoeg"  # noqa: S105  (throwaway accounts in a temporary database)
CLINICIAN = "clinician@bench.pgo"


@dataclass
class Person:
    email: str
    user_id: int
    resources: int
    measurements: int


@dataclass
class Scenario:
    url: str
    secret_key: str
    instance: Path
    large: Person
    small: Person
    clinician_email: str = CLINICIAN

    def app(self):
        from pgo import create_app

        return create_app(
            {
                "PGO_DATABASE_URL": self.url,
                "SECRET_KEY": self.secret_key,
                "PGO_INSTANCE_PATH": str(self.instance),
                "SESSION_COOKIE_SECURE": False,
            }
        )

    def server_environment(self) -> dict[str, str]:
        """The environment under which `pgo serve` uses the same database and signs cookies the same way."""
        return {
            **os.environ,
            "PGO_DATABASE_URL": self.url,
            "PGO_SECRET_KEY": self.secret_key,
            "PGO_INSTANCE_PATH": str(self.instance),
            "PGO_SECURE_COOKIES": "0",
        }


def _patient(session, folder: Path, email: str, resources: int, measurements: int) -> Person:
    from pgo.accounts.service import create_user
    from pgo.clock import utcnow
    from pgo.records.importing import import_paths

    user = create_user(session=session, email=email, password=PASSWORD, role="patient", name=email.split("@")[0])
    bundle = write_bundle(generate_record(resources), folder / f"{email.split('@')[0]}.json")
    report = import_paths(session=session, user_id=user.id, paths=[bundle])
    if not report.ok:
        raise RuntimeError(f"benchmark record refused: {report.refused}")
    add_measurements(session=session, user_id=user.id, count=measurements, now=utcnow())
    return Person(email, user.id, resources, measurements)


def build(folder: Path, *, resources: int, measurements: int) -> Scenario:
    """A fresh SQLite database in ``folder``; the small patient has a tenth of the large one's record."""
    from pgo.accounts import consent, teams
    from pgo.accounts.service import create_user

    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    engine = db.make_engine(url)
    db.migrate(engine)
    with db.session_scope(engine) as session:
        large = _patient(session, folder, "large@bench.pgo", resources, measurements)
        small = _patient(session, folder, "small@bench.pgo", max(resources // 10, 10), max(measurements // 10, 5))
        clinician = create_user(session=session, email=CLINICIAN, password=PASSWORD, role="clinician", name="Bench")
        team = teams.create_team(session=session, name="Bench practice")
        teams.add_clinician(session=session, team_id=team.id, clinician_id=clinician.id)
        for person in (large, small):
            consent.grant(
                session=session, patient_id=person.user_id, team_id=team.id, category="all", actor_id=person.user_id
            )
    engine.dispose()
    return Scenario(url=url, secret_key="bench-" + os.urandom(16).hex(), instance=folder, large=large, small=small)
