"""The page queries: overview, results grouped by test with a trend, medication, documents."""

from __future__ import annotations

from records_helpers import add_user, fixture
from sqlmodel import select

from pgo.i18n import use_locale
from pgo.records.importing import import_paths
from pgo.records.models import RecordEntry
from pgo.records.queries import category_page, codings_of, document_content, medication_page, overview, results_page


def test_results_are_grouped_by_test_newest_first_with_earlier_values(session):
    user_id = add_user(session)
    import_paths(session=session, user_id=user_id, paths=[next(fixture("synthea-r4").glob("Fletcher_*.json"))])
    page = results_page(session=session, user_id=user_id, per_page=10, history=4)
    assert page.total > 10 and page.pages > 1 and len(page.items) == 10
    newest = [group.latest.id for group in page.items]
    assert len(set(newest)) == 10
    repeated = next(g for g in page.items if g.previous)
    assert len(repeated.trend) == 1 + len(repeated.previous) <= 4
    keys = {session.get(RecordEntry, item.id).code_key for item in (repeated.latest, *repeated.previous)}
    assert keys == {repeated.code_key}
    # #16: the file's name only under "all details"; without an organisation in the data the card says "a file"
    assert repeated.latest.files == (next(fixture("synthea-r4").glob("Fletcher_*.json")).name,)
    assert all(not name.endswith(".json") for name in repeated.latest.sources)


def test_overview_flags_abnormal_results_in_words_and_shape(session):
    user_id = add_user(session)
    import_paths(session=session, user_id=user_id, paths=[fixture("nictiz-stu3-zib2017")])
    with use_locale("en"):
        view = overview(session=session, user_id=user_id)
    chloride = next(item for item in view.abnormal_results if "Chloride" in item.title)
    assert (chloride.flag, chloride.flag_label, chloride.flag_shape) == ("high", "Higher than the reference range", "▲")
    assert chloride.reference_range == "99 – 108 mmol/L" and chloride.value == "109 mmol/L"  # English writes L (#16)
    assert view.recent_results and view.counts["result"] >= 1


def test_medication_with_dose_in_words_and_documents_with_their_pdf(session):
    user_id = add_user(session)
    import_paths(session=session, user_id=user_id, paths=[fixture("nictiz-stu3-zib2017")])
    meds = medication_page(session=session, user_id=user_id)
    every = list(meds.current) + list(meds.stopped.items)
    assert len(every) == 2 and all(item.title for item in every)
    assert any(item.dose for item in every)
    documents = category_page(session=session, user_id=user_id, category="document")
    content = document_content(session=session, user_id=user_id, entry_id=documents.items[0].id)
    assert content is not None and content.content_type == "application/pdf" and content.data.startswith(b"%PDF")
    assert document_content(session=session, user_id=user_id + 99, entry_id=documents.items[0].id) is None


def test_a_medication_in_a_later_file_names_the_record_and_every_coding_is_kept(session, tmp_path):
    import json

    user_id = add_user(session)
    use = {"resourceType": "MedicationStatement", "status": "active", "effectiveDateTime": "2024-01-02",
           "medicationReference": {"reference": "Medication/m1", "display": "zetpil"},
           "dosage": [{"timing": {"repeat": {"frequency": 3, "period": 1, "periodUnit": "d"}},
                       "doseQuantity": {"value": 1, "unit": "stuk"}}]}  # fmt: skip
    product = {"resourceType": "Medication", "id": "m1", "code": {"coding": [
        {"system": "urn:oid:2.16.840.1.113883.2.4.4.8", "code": "14983265", "display": "PRIMPERAN ZETPIL 20MG"},
        {"system": "http://www.whocc.no/atc", "code": "A03FA01", "display": "metoclopramide"}]}}  # fmt: skip
    (tmp_path / "a-use.json").write_text(json.dumps(use))
    (tmp_path / "b-product.json").write_text(json.dumps(product))
    import_paths(session=session, user_id=user_id, paths=[tmp_path / "a-use.json", tmp_path / "b-product.json"])
    entry = session.exec(select(RecordEntry).where(RecordEntry.category == "medication")).one()
    assert entry.title == "PRIMPERAN ZETPIL 20MG"
    found = {(system, code) for system, code, _d in codings_of(session=session, user_id=user_id, entry_id=entry.id)}
    assert found == {("urn:oid:2.16.840.1.113883.2.4.4.8", "14983265"), ("http://www.whocc.no/atc", "A03FA01")}
    with use_locale("nl"):
        current = medication_page(session=session, user_id=user_id).current
    assert [item.dose for item in current] == ["1 zetpil, 3 keer per dag"]  # the form in the product name (#16)
