"""The FHIR import at its edges (#23, 2026-12-03): what a patient, clinician or auditor would see go wrong.

Each test names the behaviour it guards: the report of a folder import adds up its files, what is stored of a
resource (its id, address, version, profile, source) is cut at the column's length and no further, the same number
written in two spellings is one resource, a refused file says (in Dutch, the default language) which resource and
which date, and SQLite's page cache is given back after an import.
"""

from __future__ import annotations

import json

import pytest
from records_helpers import OBSERVATION, add_user
from sqlmodel import func, select

from pgo.records import importing
from pgo.records.importing import (
    ImportReport,
    Refusal,
    canonical_json,
    import_paths,
    import_resources,
    store_file,
)
from pgo.records.models import RecordCoding, RecordEntry, RecordLink, RecordProvenance, RecordResource
from pgo.records.revision import current

ORGANIZATION = {"resourceType": "Organization", "id": "lab", "name": "Streeklab"}
PRACTITIONER = {"resourceType": "Practitioner", "id": "dr", "name": [{"family": "Visser"}]}


def _ndjson(path, resources: list[dict]):
    path.write_text("".join(json.dumps(r) + "\n" for r in resources))
    return path


def _count(session, model, user_id: int | None = None) -> int:
    query = select(func.count()).select_from(model)
    if user_id is not None:
        query = query.where(model.user_id == user_id)
    return session.exec(query).one()


def test_a_folder_import_reports_the_sum_of_its_files(session, tmp_path):
    folder = tmp_path / "dossier"
    folder.mkdir()
    # a: the sodium result three times over (two duplicates within the file), a lab and two doctors
    second_doctor = {**PRACTITIONER, "id": "dr2", "name": [{"family": "Bakker"}]}
    _ndjson(folder / "a.ndjson", [OBSERVATION, OBSERVATION, OBSERVATION, ORGANIZATION, PRACTITIONER, second_doctor])
    # b: the sodium result again (a duplicate), the same fact from the lab (merged), the lab again (a duplicate)
    _ndjson(folder / "b.ndjson", [OBSERVATION, {**OBSERVATION, "id": "from-the-lab"}, ORGANIZATION])
    (folder / "c.json").write_text("{broken")
    user = add_user(session)
    report = import_paths(session=session, user_id=user, paths=[folder])
    assert (report.imported, report.duplicates, report.merged, report.new_records) == (5, 4, 1, 1)
    assert report.kept == {"Organization": 2, "Practitioner": 2}
    assert not report.ok
    summary = report.as_dict()
    assert list(summary["kept"]) == ["Organization", "Practitioner"]  # sorted by type
    assert summary["imported"] == 5 and summary["duplicates"] == 4
    assert [r["file"] for r in summary["refused"]] == ["c.json"]
    assert "c.json" in summary["refused"][0]["error"]


def test_adding_reports_keeps_every_count_and_refusal():
    total = ImportReport(imported=1, duplicates=2, merged=3, new_records=4)
    total.kept["Organization"] = 1
    part = ImportReport(imported=10, duplicates=20, merged=30, new_records=40, refused=[Refusal("x.json", "kapot")])
    part.kept.update({"Organization": 2, "Practitioner": 1})
    total.add(part)
    assert (total.imported, total.duplicates, total.merged, total.new_records) == (11, 22, 33, 44)
    assert total.kept == {"Organization": 3, "Practitioner": 1}
    assert total.refused == [Refusal("x.json", "kapot")] and not total.ok
    assert ImportReport().ok


def test_stored_text_is_sorted_compact_and_keeps_accents():
    assert canonical_json({"b": 1, "a": "één"}) == '{"a":"één","b":1}'


def test_sources_are_named_by_file_or_by_the_name_given_and_their_kind(session, tmp_path):
    path = _ndjson(tmp_path / "uitslagen.ndjson", [OBSERVATION])
    user = add_user(session)
    import_paths(session=session, user_id=user, paths=[path])
    import_paths(session=session, user_id=user, paths=[path], source_name="Huisarts Jansen")
    import_resources(session=session, user_id=user, resources=[OBSERVATION], source="Ziekenhuis")
    rows = session.exec(select(RecordProvenance.source_name, RecordProvenance.source_kind)).all()
    assert sorted(rows) == [("Huisarts Jansen", "file"), ("Ziekenhuis", "provider"), ("uitslagen.ndjson", "file")]


def test_a_provider_resource_keeps_the_fhir_version_it_came_in(session):
    user = add_user(session)
    stu3 = import_resources(session=session, user_id=user, resources=[OBSERVATION], source="Oud", fhir_version="STU3")
    assert stu3.ok
    assert session.exec(select(RecordResource.fhir_version)).all() == ["STU3"]
    assert session.exec(select(RecordProvenance.fhir_version)).all() == ["STU3"]


def test_nothing_to_import_is_refused_and_changes_nothing(session):
    user = add_user(session)
    report = import_resources(session=session, user_id=user, resources=[], source="Leeg")
    assert [(r.file, r.error) for r in report.refused] == [("Leeg", "Leeg bevat geen FHIR-resources.")]
    assert current(session=session, user_id=user) == 0


def test_each_import_that_stores_or_links_raises_the_revision_and_a_refusal_does_not(session, tmp_path):
    user = add_user(session)
    path = _ndjson(tmp_path / "a.ndjson", [OBSERVATION])
    import_paths(session=session, user_id=user, paths=[path])
    assert current(session=session, user_id=user) == 1
    again = import_paths(session=session, user_id=user, paths=[path])  # duplicates only: still a new look
    assert (again.imported, again.duplicates) == (0, 1)
    assert current(session=session, user_id=user) == 2
    (tmp_path / "b.json").write_text("{")
    import_paths(session=session, user_id=user, paths=[tmp_path / "b.json"])
    assert current(session=session, user_id=user) == 2


def test_what_is_stored_of_a_resource_is_cut_at_the_column_and_no_further(session, tmp_path):
    long_id = "i" * 130
    url = "urn:uuid:" + "u" * 600
    profile = "http://nictiz.nl/fhir/StructureDefinition/" + "p" * 600
    other = "http://nictiz.nl/fhir/StructureDefinition/second"
    resource = {**OBSERVATION, "id": long_id, "meta": {"profile": [profile, other]}}
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"fullUrl": url, "resource": resource}]}
    (tmp_path / "bundel.json").write_text(json.dumps(bundle))
    user = add_user(session)
    source = "Bron " + "b" * 300
    import_paths(session=session, user_id=user, paths=[tmp_path / "bundel.json"], source_name=source)
    stored = session.exec(select(RecordResource)).one()
    assert stored.fhir_id == long_id[:128] and len(stored.fhir_id) == 128
    assert stored.full_url == url[:512]
    assert stored.profile == profile[:512]
    assert stored.shown is True and stored.resource_type == "Observation"
    assert stored.body == resource
    provenance = session.exec(select(RecordProvenance)).one()
    assert provenance.source_name == source[:255]
    assert provenance.profile == profile[:512]
    assert provenance.fhir_version == "R4"
    # the same file from the same (long) source again: one source, not two
    import_paths(session=session, user_id=user, paths=[tmp_path / "bundel.json"], source_name=source)
    assert _count(session, RecordProvenance) == 1


def test_a_resource_without_id_or_profile_is_stored_with_empty_ones(session):
    user = add_user(session)
    import_resources(session=session, user_id=user, resources=[ORGANIZATION | {"id": ""}], source="Lab")
    stored = session.exec(select(RecordResource)).one()
    assert (stored.fhir_id, stored.full_url, stored.profile, stored.shown) == ("", "", "", False)


def test_what_is_stored_of_a_record_is_cut_at_the_column_and_no_further(session):
    system, code, display = "http://" + "s" * 300, "c" * 130, "d" * 600
    coding = {"system": system, "code": code, "display": display}
    result = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [coding, dict(coding)]},  # the same coding twice: one coding row
        "effectiveDateTime": "2021-06-12",
        "valueString": "v" * 2100,
    }
    unit = "u" * 70
    measured = {**OBSERVATION, "valueQuantity": {"value": 5, "comparator": "<= ", "unit": unit}}  # a padded comparator
    user = add_user(session)
    report = import_resources(session=session, user_id=user, resources=[result, measured], source="Lab")
    assert report.new_records == 2
    by_value = {e.value_num: e for e in session.exec(select(RecordEntry)).all()}
    text = by_value[None]
    assert text.value_text == "v" * 2000
    assert text.status == "final"
    codings = session.exec(select(RecordCoding).where(RecordCoding.entry_id == text.id)).all()
    assert [(c.system, c.code, c.display) for c in codings] == [(system[:255], code[:128], display[:500])]
    number = by_value[5]
    assert (number.comparator, number.unit) == ("<=", unit[:60])
    assert number.details and number.created_at is not None


def test_a_long_status_is_cut_at_forty_characters(session):
    user = add_user(session)
    status = "s" * 45
    import_resources(session=session, user_id=user, resources=[{**OBSERVATION, "status": status}], source="Lab")
    assert session.exec(select(RecordEntry.status)).one() == status[:40]


def test_one_number_in_two_spellings_is_one_resource(session, tmp_path):
    """A file is read by orjson, a provider's resources come as Python objects: 1e-07 and 1e-7, 0.00001 and 1e-05
    are the same number, so the second import of the same result is a duplicate, not a second copy."""
    values = [138, 1e-7, 0.00001, -2.5e-9, 0.000012, 3e-05]
    for n, value in enumerate(values):
        user = add_user(session, f"p{n}@example.nl")
        resource = {**OBSERVATION, "valueQuantity": {"value": value, "unit": "mmol/l"}, "note": [value, 1]}
        path = tmp_path / f"r{n}.json"
        path.write_text(json.dumps(resource))
        first = import_paths(session=session, user_id=user, paths=[path])
        second = import_resources(session=session, user_id=user, resources=[resource], source="Lab")
        assert (first.imported, second.imported, second.duplicates) == (1, 0, 1), value
        body = session.exec(select(RecordResource.body).where(RecordResource.user_id == user)).one()
        assert body == resource


def test_a_nul_character_is_refused_from_a_file_and_from_a_provider(session, tmp_path):
    user = add_user(session)
    for name, text in (
        ("nul.json", '{"resourceType": "Observation", "status": "final", "code": {"text": "zout\\u0000"}}'),
        ("nul-small.json", '{"resourceType": "Observation", "status": "x\\u0000", "valueQuantity": {"value": 1e-7}}'),
    ):
        (tmp_path / name).write_text(text)
        report = import_paths(session=session, user_id=user, paths=[tmp_path / name])
        assert [r.error for r in report.refused] == [f"{name} bevat een NUL-teken. Dat staat FHIR niet toe."]
    provider = import_resources(
        session=session, user_id=user, resources=[{**OBSERVATION, "status": "\x00"}], source="Lab"
    )
    assert [r.error for r in provider.refused] == ["Lab bevat een NUL-teken. Dat staat FHIR niet toe."]
    infinite = {**OBSERVATION, "valueQuantity": {"value": float("inf")}}
    refused = import_resources(session=session, user_id=user, resources=[infinite], source="Lab")
    assert [(r.file, r.error) for r in refused.refused] == [
        ("Lab", "Lab bevat een getal dat FHIR niet toestaat (NaN of Infinity).")
    ]
    assert _count(session, RecordResource) == 0


def test_a_refused_date_names_the_resource_and_the_date(session):
    user = add_user(session)
    cases = [
        (
            {**OBSERVATION, "id": "NA-X", "effectiveDateTime": "2021-02-30"},
            "heeft een datum die niet bestaat in Observation/NA-X: 2021-02-30.",
        ),
        (
            {**OBSERVATION, "effectiveDateTime": "2021-02-30"},
            "heeft een datum die niet bestaat in Observation: 2021-02-30.",
        ),
        (
            {**OBSERVATION, "id": "oud", "effectiveDateTime": "1899-12-31"},
            "heeft een datum van voor 1900 in Observation/oud: 1899-12-31.",
        ),
    ]
    for resource, message in cases:
        report = import_resources(session=session, user_id=user, resources=[resource], source="Lab")
        assert [r.error for r in report.refused] == ["Lab " + message]
    assert _count(session, RecordResource) == 0 and _count(session, RecordEntry) == 0


def test_the_page_cache_is_large_while_storing_and_given_back_after(session, tmp_path, monkeypatch):
    """SQLite's page cache (PRAGMA cache_size); PostgreSQL has no such setting per connection."""
    if session.connection().dialect.name != "sqlite":
        pytest.skip("SQLite's page cache only")
    seen: list[int] = []

    def listener(*, session, **_kw):
        seen.append(session.connection().exec_driver_sql("PRAGMA cache_size").scalar())

    monkeypatch.setattr(importing, "_listeners", lambda: [listener])
    session.connection().exec_driver_sql("PRAGMA cache_size=-3000")
    user = add_user(session)
    assert import_resources(session=session, user_id=user, resources=[OBSERVATION], source="Lab").ok
    assert seen == [-65536]
    assert session.connection().exec_driver_sql("PRAGMA cache_size").scalar() == -3000


def test_listeners_hear_each_batch_of_new_resources_once(session, tmp_path, monkeypatch):
    heard: list[tuple] = []

    def listener(*, session, user_id, resources, source, import_file_id):
        heard.append((session, user_id, sorted(r["id"] for r in resources), source, import_file_id))

    monkeypatch.setattr(importing, "_listeners", lambda: [listener])
    user = add_user(session)
    results = [{**OBSERVATION, "id": f"r{n}"} for n in range(3)]
    import_resources(session=session, user_id=user, resources=results, source="Lab")
    import_resources(session=session, user_id=user, resources=results, source="Lab")  # nothing new: not heard
    assert heard == [(session, user, ["r0", "r1", "r2"], "Lab", None)]


def test_a_new_source_of_a_known_record_links_it_once(session):
    user = add_user(session)
    import_resources(session=session, user_id=user, resources=[OBSERVATION], source="Huisarts")
    report = import_resources(session=session, user_id=user, resources=[{**OBSERVATION, "id": "lab-1"}], source="Lab")
    assert (report.imported, report.merged, report.new_records) == (1, 1, 0)
    entry = session.exec(select(RecordEntry)).one()
    links = session.exec(select(RecordLink.resource_id).where(RecordLink.entry_id == entry.id)).all()
    assert len(links) == 2 == _count(session, RecordResource, user)


def _raw_count(session, table: str, where: str) -> int:
    """Rows of a staged file are hidden from ORM reads until the import shows them: counted in plain SQL."""
    return session.connection().exec_driver_sql(f"SELECT count(*) FROM {table} WHERE {where}").scalar()  # noqa: S608


def test_a_staged_file_is_stored_in_batches_of_500_each_row_carrying_its_file(session, tmp_path, monkeypatch):
    heard: list[object] = []
    monkeypatch.setattr(importing, "_listeners", lambda: [lambda **kw: heard.append(kw["import_file_id"])])
    results = [
        {**OBSERVATION, "id": f"r{n}", "valueQuantity": {"value": 100 + n, "unit": "mmol/l"}} for n in range(501)
    ]
    path = _ndjson(tmp_path / "groot.ndjson", results)
    user = add_user(session)
    done: list[int] = []
    report = store_file(session=session, user_id=user, path=path, source="Huisarts", file_id=7, batch_done=done.append)
    assert done == [500, 1]
    assert heard == [7, 7]  # what a feature stores from the file is hidden with it
    assert (report.imported, report.new_records) == (501, 501)
    for table in ("record_resource", "record_entry", "record_link", "record_coding"):
        assert _raw_count(session, table, "import_file_id = 7") == 501, table
    where = "import_file_id = 7 AND source_name = 'Huisarts' AND source_kind = 'file'"
    assert _raw_count(session, "record_provenance", where) == 501


def test_a_provider_resource_without_type_is_refused_in_the_providers_name(session):
    user = add_user(session)
    report = import_resources(session=session, user_id=user, resources=[OBSERVATION, {"id": "x"}], source="Lab")
    assert [r.file for r in report.refused] == ["Lab"]
    assert report.refused[0].error.startswith("Lab ")
    assert _count(session, RecordResource) == 0


def test_a_medicine_named_in_a_later_delivery_names_the_earlier_record(session):
    user = add_user(session)
    statement = {
        "resourceType": "MedicationStatement",
        "status": "active",
        "medicationReference": {"reference": "Medication/m1"},
        "effectivePeriod": {"start": "2021-01-01"},
    }
    medication = {
        "resourceType": "Medication",
        "id": "m1",
        "code": {"coding": [{"system": "http://www.whocc.no/atc", "code": "C09AA02"}], "text": "Enalapril 10 mg"},
    }
    import_resources(session=session, user_id=user, resources=[statement], source="Apotheek")
    import_resources(session=session, user_id=user, resources=[medication], source="Apotheek")
    entry = session.exec(select(RecordEntry).where(RecordEntry.category == "medication")).one()
    assert (entry.title, entry.code_key) == ("Enalapril 10 mg", "http://www.whocc.no/atc|C09AA02")


def test_a_medicine_named_in_a_later_file_names_the_earlier_record(session, tmp_path):
    user = add_user(session)
    statement = {
        "resourceType": "MedicationStatement",
        "status": "active",
        "medicationReference": {"reference": "Medication/m2"},
        "effectivePeriod": {"start": "2021-01-01"},
    }
    medication = {"resourceType": "Medication", "id": "m2", "code": {"text": "Metformine 500 mg"}}
    import_paths(session=session, user_id=user, paths=[_ndjson(tmp_path / "1.ndjson", [statement])])
    import_paths(session=session, user_id=user, paths=[_ndjson(tmp_path / "2.ndjson", [medication])])
    entry = session.exec(select(RecordEntry).where(RecordEntry.category == "medication")).one()
    assert entry.title == "Metformine 500 mg"


def test_an_unknown_lab_test_is_explained_by_the_text_for_lab_results(session):
    """A lab result the catalogue does not know gets the general text about lab results, not about any result."""
    user = add_user(session)
    lab = "http://terminology.hl7.org/CodeSystem/observation-category"
    unknown = {
        **OBSERVATION,
        "category": [{"coding": [{"system": lab, "code": "laboratory"}]}],
        "code": {"coding": [{"system": "http://example.org/lab", "code": "zzz"}], "text": "Onbekende bepaling"},
    }
    import_resources(session=session, user_id=user, resources=[unknown], source="Lab")
    entry = session.exec(select(RecordEntry)).one()
    assert (entry.concept_id, entry.concept_how) == ("fallback-lab", "")


def test_a_lab_test_named_but_not_coded_is_explained_by_its_name(session):
    user = add_user(session)
    lab = "http://terminology.hl7.org/CodeSystem/observation-category"
    named = {
        **OBSERVATION,
        "category": [{"coding": [{"system": lab, "code": "laboratory"}]}],
        "code": {"coding": [{"system": "http://example.org/lab", "code": "na"}], "text": "Natrium"},
    }
    import_resources(session=session, user_id=user, resources=[named], source="Lab")
    entry = session.exec(select(RecordEntry)).one()
    assert (entry.concept_id, entry.concept_how) == ("sodium", "name")


def test_each_resource_of_a_batch_keeps_its_own_profile(session):
    base = "http://nictiz.nl/fhir/StructureDefinition/"
    lab = {**OBSERVATION, "id": "lab", "meta": {"profile": [base + "nl-core-LaboratoryTestResult"]}}
    weight = {**OBSERVATION, "id": "weight", "meta": {"profile": [base + "nl-core-BodyWeight"]}}
    user = add_user(session)
    import_resources(session=session, user_id=user, resources=[lab, weight, PRACTITIONER], source="Lab")
    stored = dict(session.exec(select(RecordResource.fhir_id, RecordResource.profile)).all())
    sources = session.exec(select(RecordProvenance.profile)).all()
    assert sorted(sources) == ["", base + "nl-core-BodyWeight", base + "nl-core-LaboratoryTestResult"]
    assert stored == {"lab": base + "nl-core-LaboratoryTestResult", "weight": base + "nl-core-BodyWeight", "dr": ""}


def test_records_with_too_little_to_compare_stay_apart(session):
    """Two results without a code or a value cannot be recognised as one fact: each is a record of its own."""
    bare = [{"resourceType": "Observation", "id": f"bare-{n}", "status": "final"} for n in range(2)]
    user = add_user(session)
    report = import_resources(session=session, user_id=user, resources=bare, source="Lab")
    assert (report.imported, report.merged, report.new_records) == (2, 0, 2)


def test_a_file_delivered_again_with_one_new_result_gives_the_new_one_its_source(session):
    user = add_user(session)
    first = {**OBSERVATION, "id": "r1"}
    second = {**OBSERVATION, "id": "r2", "effectiveDateTime": "2021-07-01"}
    import_resources(session=session, user_id=user, resources=[first], source="Huisarts")
    again = import_resources(session=session, user_id=user, resources=[first, second], source="Huisarts")
    assert (again.imported, again.duplicates) == (1, 1)
    sources = session.exec(
        select(RecordResource.fhir_id, RecordProvenance.source_name).join(
            RecordProvenance, RecordProvenance.resource_id == RecordResource.id
        )
    ).all()
    assert sorted(sources) == [("r1", "Huisarts"), ("r2", "Huisarts")]


def test_a_result_names_the_lab_that_came_in_the_same_delivery(session):
    user = add_user(session)
    result = {**OBSERVATION, "performer": [{"reference": "Organization/lab"}]}
    import_resources(session=session, user_id=user, resources=[ORGANIZATION, result], source="Lab")
    entry = session.exec(select(RecordEntry)).one()
    assert entry.details["organisation"] == "Streeklab"


def test_a_reference_is_resolved_in_the_patients_own_earlier_imports_only(session):
    """Patient A's lab is known to A's later results, never to patient B's results that use the same id."""
    a, b = add_user(session, "a@example.nl"), add_user(session, "b@example.nl")
    result = {**OBSERVATION, "performer": [{"reference": "Organization/lab"}]}
    import_resources(session=session, user_id=a, resources=[ORGANIZATION], source="Lab")
    import_resources(session=session, user_id=b, resources=[result], source="Lab")
    import_resources(session=session, user_id=a, resources=[result], source="Lab")
    named = dict(session.exec(select(RecordEntry.user_id, RecordEntry.details)).all())
    assert named[a].get("organisation") == "Streeklab"
    assert "organisation" not in named[b]
