"""Export round trip, and the `pgo import` / `pgo export` commands."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from records_helpers import MULTI_PATIENT_BUNDLE, add_user, fixture
from sqlmodel import select

from pgo.records import export
from pgo.records.export import export_bundle
from pgo.records.importing import import_paths, import_resources
from pgo.records.models import RecordEntry

FOLDERS = ["nictiz-r4-zib2020", "nictiz-stu3-zib2017", "hl7-r4-examples", "synthea-r4"]


def _records(session, user_id):
    rows = session.exec(select(RecordEntry).where(RecordEntry.user_id == user_id)).all()
    return sorted((r.category, r.code_key, r.title, r.effective_text, r.value_text, r.flag) for r in rows)


def test_export_then_import_into_a_fresh_account_gives_the_same_records(session, tmp_path):
    first = add_user(session, "a@example.nl")
    r4_without_patient = [p for p in fixture("nictiz-r4-zib2020").iterdir() if "Patient" not in p.name]
    # One person's record from STU3 and R4 sources (the R4 examples are about someone else: leave that Patient out)
    report = import_paths(session=session, user_id=first, paths=[fixture("nictiz-stu3-zib2017"), *r4_without_patient])
    assert report.ok
    bundle = export_bundle(session=session, user_id=first)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    second = add_user(session, "b@example.nl")
    path = tmp_path / "export.json"
    path.write_text(json.dumps(bundle))
    report = import_paths(session=session, user_id=second, paths=[path])
    assert report.ok
    assert _records(session, second) == _records(session, first)
    third = add_user(session, "c@example.nl")
    assert import_resources(session=session, user_id=third, resources=[bundle], source="export").ok
    assert _records(session, third) == _records(session, first)


def test_contributors_add_resources_to_the_export(session, monkeypatch):
    user_id = add_user(session)

    def measurements(*, session, user_id):
        yield {"resourceType": "Observation", "id": "home-1", "status": "final", "code": {"text": "Gewicht"}}

    monkeypatch.setattr(export, "_contributors", lambda: [measurements])
    bundle = export_bundle(session=session, user_id=user_id)
    assert [e["resource"]["id"] for e in bundle["entry"]] == ["home-1"]


@pytest.fixture
def cli(tmp_path, monkeypatch):
    from pgo import cli as pgo_cli
    from pgo import db
    from pgo.accounts.models import User

    monkeypatch.setenv("PGO_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("PGO_SECRET_KEY", "test")
    pgo_cli.open_engine.cache_clear()
    with db.session_scope(pgo_cli.open_engine()) as session:
        session.add(User(email="jo@example.nl"))
    yield pgo_cli.main
    pgo_cli.open_engine().dispose()
    pgo_cli.open_engine.cache_clear()


@pytest.mark.parametrize("folder", FOLDERS)
def test_cli_imports_every_fixture_folder(cli, folder):
    result = CliRunner().invoke(cli, ["import", "--user", "jo@example.nl", "--json", str(fixture(folder))])
    report = json.loads(result.output)
    assert set(report) == {"imported", "duplicates", "kept", "refused"}
    refused = [r["file"] for r in report["refused"]]
    assert refused == ([MULTI_PATIENT_BUNDLE] if folder == "hl7-r4-examples" else [])
    assert result.exit_code == (2 if refused else 0)
    assert report["imported"] > 0


def test_cli_plain_report_export_and_unknown_user(cli, tmp_path):
    runner = CliRunner()
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    result = runner.invoke(cli, ["import", "--user", "jo@example.nl", str(fixture("synthea-r4")), str(bad)])
    assert result.exit_code == 2
    assert "Claim" in result.output and "bad.json" in result.output
    exported = runner.invoke(cli, ["export", "--user", "jo@example.nl"])
    assert exported.exit_code == 0
    assert len(json.loads(exported.output)["entry"]) > 1000
    unknown = runner.invoke(cli, ["import", "--user", "nobody@example.nl", str(bad)])
    assert unknown.exit_code != 0 and "nobody@example.nl" in unknown.output


def test_cli_export_is_in_the_patients_access_log_with_actor_and_purpose(cli, monkeypatch):
    """#17: `pgo export --user` (an operator reading a whole record) left no access-log entry."""
    from pgo import cli as pgo_cli
    from pgo import db
    from pgo.accounts.audit import verify_chain
    from pgo.accounts.models import AccessLogEntry

    monkeypatch.setenv("USER", "beheerder")
    monkeypatch.setenv("LOGNAME", "beheerder")
    runner = CliRunner()
    assert runner.invoke(cli, ["export", "--user", "jo@example.nl", "--purpose", "support"]).exit_code == 0
    assert runner.invoke(cli, ["export", "--user", "jo@example.nl", "--purpose", "nosy"]).exit_code != 0
    with db.session_scope(pgo_cli.open_engine()) as session:
        entries = session.exec(select(AccessLogEntry)).all()
        assert [(e.what, e.purpose, e.actor_id, e.actor_role) for e in entries] == [
            ("export:all", "support", None, "operator")
        ]
        assert "beheerder" in entries[0].detail
        assert verify_chain(session=session).ok
