"""The summary as an International Patient Summary (#21): a valid FHIR document Bundle, downloadable, in the export,
and an export imported into a fresh account keeps the summary's data."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session

from pgo.accounts.service import create_user
from pgo.config import fixtures_dir
from pgo.records import demo
from pgo.records.export import export_bundle
from pgo.records.importing import import_paths, import_resources
from pgo.summary.health import health_summary
from pgo.summary.ips import SECTIONS, ips_bundle, validate

PASSWORD = "correct-paard-batterij"


@pytest.fixture
def anna(demo_patient):
    """A patient with the demo records."""
    return demo_patient()


def _facts(session: Session, user_id: int) -> dict[str, list[tuple[str, str, str, str]]]:
    """What the doctor's wording of the summary says, per section (care providers aside: they name the import);
    sorted, as records of one date may come in another order."""
    found = health_summary(session=session, user_id=user_id, lang="en", wording="clinical")
    return {
        s.key: sorted((line.title, line.detail, line.when, line.code) for line in s.lines)
        for s in found.sections
        if s.key != "providers"
    }


def test_the_ips_bundle_is_a_valid_fhir_document_with_the_ips_sections(db_session, anna):
    bundle = ips_bundle(session=db_session, user_id=anna.id)
    validate(bundle)  # raises when invalid
    assert bundle["type"] == "document"
    composition = bundle["entry"][0]["resource"]
    assert composition["resourceType"] == "Composition" and composition["type"]["coding"][0]["code"] == "60591-5"
    assert [s["code"]["coding"][0]["code"] for s in composition["section"]] == [code for _k, code, *_ in SECTIONS]
    urls = {e["fullUrl"] for e in bundle["entry"]}
    for section in composition["section"]:
        assert all(ref["reference"] in urls for ref in section.get("entry", []))  # every reference resolves
    types = [e["resource"]["resourceType"] for e in bundle["entry"]]
    for kind in ("Patient", "Condition", "AllergyIntolerance", "Immunization", "Observation"):
        assert kind in types
    hypertension = next(
        e["resource"] for e in bundle["entry"] if e["resource"].get("code", {}).get("text") == "Hypertension"
    )
    assert {"system": "http://snomed.info/sct", "code": "38341003"}.items() <= hypertension["code"]["coding"][0].items()


def test_an_empty_record_gives_a_valid_bundle_with_empty_reasons(db_session, make_user):
    nobody = make_user("leeg@example.nl")
    bundle = ips_bundle(session=db_session, user_id=nobody.id)
    validate(bundle)
    sections = bundle["entry"][0]["resource"]["section"]
    assert all(s["emptyReason"]["coding"][0]["code"] == "nilknown" and "entry" not in s for s in sections)


def test_validation_catches_a_broken_bundle(db_session, anna):
    bundle = ips_bundle(session=db_session, user_id=anna.id)
    bundle["entry"][0]["resource"]["date"] = "yesterday"  # not a FHIR dateTime
    with pytest.raises(ValueError, match="(?i)date"):
        validate(bundle)


def test_the_patient_downloads_the_ips_from_the_summary_page(client, anna, sign_in):
    sign_in("anna@example.nl")
    assert "/summary/ips.json" in client.get("/summary").get_data(as_text=True)
    response = client.get("/summary/ips.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/fhir+json")
    assert "attachment" in response.headers["Content-Disposition"]
    validate(json.loads(response.get_data(as_text=True)))


@pytest.fixture
def reuben(app, make_user):
    """A patient with one source's records (the demo's three sources are about three different people, and an
    export of several people's records is refused on import)."""
    user = make_user("reuben@example.nl", name="Reuben Lind")
    folder = fixtures_dir()
    with Session(app.extensions["pgo_engine"]) as session:
        name, relative = demo.DEMO_SOURCES[2]
        import_paths(session=session, user_id=user.id, paths=[folder / relative], source_name=name)
        session.commit()
    return user


def test_the_export_holds_the_ips_and_importing_it_into_a_fresh_account_keeps_the_data(db_session, reuben, tmp_path):
    anna = reuben
    exported = export_bundle(session=db_session, user_id=anna.id)
    documents = [e["resource"] for e in exported["entry"] if e["resource"]["resourceType"] == "Bundle"]
    assert len(documents) == 1 and documents[0]["type"] == "document"
    validate(documents[0])
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    fresh = create_user(session=db_session, email="fresh@example.nl", password=PASSWORD, name="Anna de Vries")
    report = import_paths(session=db_session, user_id=fresh.id, paths=[path], source_name="export.json")
    db_session.commit()
    assert report.refused == []
    before, after = _facts(db_session, anna.id), _facts(db_session, fresh.id)
    assert after == before
    assert {key for key, lines in before.items() if not lines} == {"allergies"}  # none in this source (see below)


def test_the_ips_alone_imported_into_a_fresh_account_keeps_the_data(db_session, anna):
    bundle = ips_bundle(session=db_session, user_id=anna.id)
    fresh = create_user(session=db_session, email="abroad@example.nl", password=PASSWORD)
    report = import_resources(session=db_session, user_id=fresh.id, resources=[bundle], source="ips.json",
                              source_kind="file", fhir_version="R4")  # fmt: skip
    db_session.commit()
    assert report.refused == []
    before = _facts(db_session, anna.id)
    assert _facts(db_session, fresh.id) == before
    assert {key for key, lines in before.items() if not lines} == set()
