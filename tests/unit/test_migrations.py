"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from pgo import db


def test_migrations_match_models(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    db.migrate(engine)
    db.migrate(engine)  # idempotent: a second run changes nothing
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations differ; run scripts/new_migration.py: {diff}"


def test_0014_resolves_raced_duplicates_before_its_unique_indexes(tmp_path):
    """#17: a database with two current grants and two unfinished responses (made by races) still upgrades."""
    from alembic import command
    from sqlalchemy import text
    from sqlmodel import Session

    from pgo.accounts.models import CareTeam, ConsentGrant, User
    from pgo.decisions.models import DecisionResponse

    engine = db.make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    db.load_models()
    with engine.begin() as connection:
        config = db.alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, "0013_flagged_index")
    with Session(engine) as session:  # the models' columns are those of 0013: 0014 adds only indexes
        patient = User(email="a@example.nl", role="patient")
        team = CareTeam(name="De Linde")
        session.add_all([patient, team])
        session.flush()
        for _ in range(2):
            session.add(ConsentGrant(user_id=patient.id, team_id=team.id, category="all", granted_by=patient.id))
            session.add(DecisionResponse(user_id=patient.id, aid_id="knee", aid_version="1", answers={}))
        session.commit()
    db.migrate(engine)
    with engine.connect() as connection:
        grants = connection.execute(text("SELECT id, revoked_at IS NULL FROM consent_grant ORDER BY id")).all()
        responses = connection.execute(text("SELECT id FROM decision_response")).all()
    engine.dispose()
    assert [tuple(g) for g in grants] == [(1, 1), (2, 0)]
    assert [r[0] for r in responses] == [2]  # the newest, the one that was resumed
