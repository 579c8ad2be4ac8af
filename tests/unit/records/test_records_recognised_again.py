"""Stored records are recognised again when the catalogue changes, without importing them again (issue #15,
2026-12-03): at start-up when the catalogue's version changed, and by `pgo catalogue recognise --stored`."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from records_helpers import add_user
from sqlmodel import Session, select
from test_records_concepts import ASPIRIN_WITHOUT_ATC, SODIUM_BY_NHG

from pgo.literacy.catalogue import CATALOGUE_DIR
from pgo.records.importing import import_resources
from pgo.records.models import RecognitionState, RecordEntry
from pgo.records.recognition_store import catalogue_version, recognise_if_changed


def _concepts(engine) -> dict[str, tuple[str, str]]:
    with Session(engine) as session:
        return {e.title: (e.concept_id, e.concept_how) for e in session.exec(select(RecordEntry)).all()}


def _forget_concepts(engine) -> None:
    """As a catalogue of an older version left them: no concept (the rows before migration 0015 look the same)."""
    with Session(engine) as session:
        session.execute(RecordEntry.__table__.update().values(concept_id="", concept_how=""))
        session.commit()


@pytest.fixture
def imported(engine):
    with Session(engine) as session:
        user_id = add_user(session)
        import_resources(
            session=session, user_id=user_id, resources=[ASPIRIN_WITHOUT_ATC, SODIUM_BY_NHG], source="test"
        )
        session.commit()
    _forget_concepts(engine)
    return engine


def test_start_up_recognises_again_only_when_the_catalogue_version_changed(imported):
    assert recognise_if_changed(imported, version="v1") == (2, 2)
    assert _concepts(imported)["natrium"] == ("sodium", "name")
    _forget_concepts(imported)
    assert recognise_if_changed(imported, version="v1") is None  # same version: nothing read
    assert _concepts(imported)["natrium"] == ("", "")
    assert recognise_if_changed(imported, version="v2") == (2, 2)  # the catalogue changed
    assert _concepts(imported)["ACETYLSALICYLZUUR TABLETMSR 100MG"] == ("platelet-inhibitors", "name")


def test_the_version_is_kept_in_the_database_so_every_server_of_it_agrees(imported):
    """Each server of one database had its own file in its instance folder: a second one recognised everything
    again at its first start."""
    assert recognise_if_changed(imported, version="v1") == (2, 2)
    with Session(imported) as session:
        assert session.get(RecognitionState, 1).catalogue_version == "v1"
    assert recognise_if_changed(imported, version="v1") is None  # another server, same database


def test_the_version_follows_the_data_files(tmp_path):
    copy = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, copy)
    before = catalogue_version.__wrapped__(copy)
    assert before == catalogue_version.__wrapped__(copy)
    with (copy / "substances.tsv").open("a", encoding="utf-8") as table:
        table.write("C09AA99\tnewpril\tnewpril\tNieuwmerk\n")
    assert catalogue_version.__wrapped__(copy) != before


def test_an_app_that_migrates_on_start_recognises_stored_records_again(imported, database_url, tmp_path):
    from pgo import create_app

    create_app({"PGO_DATABASE_URL": database_url, "PGO_INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "t",
                "PGO_MIGRATE_ON_START": True, "TESTING": True})  # fmt: skip
    assert _concepts(imported)["natrium"] == ("sodium", "name")


def test_the_command_recognises_stored_records(imported, database_url, monkeypatch):
    from pgo.cli import main, open_engine

    monkeypatch.setenv("PGO_DATABASE_URL", database_url)
    open_engine.cache_clear()
    try:
        refused = CliRunner().invoke(main, ["catalogue", "recognise"])
        assert refused.exit_code == 2 and "--stored" in refused.output
        result = CliRunner().invoke(main, ["catalogue", "recognise", "--stored"])
    finally:
        open_engine.cache_clear()
    assert result.exit_code == 0, result.output
    assert "2 records recognised again, 2 changed" in result.output
    assert _concepts(imported)["natrium"] == ("sodium", "name")


def test_recognising_again_renders_the_changed_persons_pages_anew(imported):
    from pgo.records import revision
    from pgo.records.recognition_store import recognise_stored

    with Session(imported) as session:
        user_id = session.exec(select(RecordEntry.user_id)).first()
        before = revision.current(session=session, user_id=user_id)
        recognise_stored(session)
        assert revision.current(session=session, user_id=user_id) == before + 1
        recognise_stored(session)  # nothing changed: the kept pages stay
        assert revision.current(session=session, user_id=user_id) == before + 1
