"""#16 (2026-12-03): a card and its read-aloud text show numbers the Dutch way and units as people write them."""

from __future__ import annotations

import itertools

from records_helpers import add_user
from sqlmodel import select

from pgo.i18n import use_locale
from pgo.records.explanations import explain_records
from pgo.records.importing import import_resources
from pgo.records.models import RecordEntry
from pgo.records.presenters import present

_PEOPLE = itertools.count()


def _shown(session, value, unit, low=None, high=None, lang="nl"):
    resource = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"code": "laboratory"}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": "2951-2", "display": "Sodium"}]},
        "effectiveDateTime": "2021-06-12",
        "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit},
    }
    if low is not None:
        resource["referenceRange"] = [{"low": {"value": low, "unit": unit}, "high": {"value": high, "unit": unit}}]
    user_id = add_user(session, email=f"v{next(_PEOPLE)}@example.nl")
    import_resources(session=session, user_id=user_id, resources=[resource], source="lab.json")
    entry = session.exec(select(RecordEntry).where(RecordEntry.user_id == user_id)).one()
    with use_locale(lang):
        item = present(entry, {})
    words = explain_records(session=session, user_id=user_id, entry_ids=[entry.id], levels="simple", lang=lang)
    return item, words[entry.id]


def test_a_value_with_float_noise_is_shown_at_the_ranges_precision_with_a_decimal_comma(session):
    item, explanation = _shown(session, 4.2371, "mmol/L", 3.5, 5.1)
    assert item.value == "4,2 mmol/l"
    assert item.reference_range == "3,5 – 5,1 mmol/l"
    assert "3,5 - 5,1 mmol/l" in " ".join(explanation.meaning)


def test_a_value_without_a_range_gets_three_significant_digits(session):
    item, _explanation = _shown(session, 143.255, "mmol/L")
    assert item.value == "143 mmol/l"


def test_ucum_syntax_never_reaches_the_card(session):
    assert _shown(session, 7.41, "[pH]")[0].value == "7,41"
    assert _shown(session, 120, "mm[Hg]")[0].value == "120 mmHg"
    assert _shown(session, 85, "mL/min/{1.73_m2}")[0].value == "85 ml/min/1,73 m²"
    assert _shown(session, 60, "umol/L", lang="en")[0].value == "60 µmol/L"


def test_read_aloud_says_the_unit_in_words(session):
    _item, explanation = _shown(session, 4.2, "mmol/L", 3.5, 5.1)
    assert "millimol per liter" in explanation.speech
    assert "mmol/l" not in explanation.speech


def test_a_record_names_its_organisation_not_the_file(session, tmp_path):
    import json

    from pgo.records.importing import import_paths
    from pgo.records.queries import category_page

    organisation = {"resourceType": "Organization", "id": "lab1", "name": "Streeklab Haarlem"}
    result = {
        "resourceType": "Observation",
        "id": "r1",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "2951-2"}]},
        "effectiveDateTime": "2021-06-12",
        "valueQuantity": {"value": 140, "unit": "mmol/L"},
        "performer": [{"reference": "Organization/lab1"}],
    }
    user_id = add_user(session, email="org@example.nl")
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": "http://example.org/fhir/Organization/lab1", "resource": organisation},
        {"fullUrl": "http://example.org/fhir/Observation/r1", "resource": result},
    ]}  # fmt: skip
    path = tmp_path / "mp-MedUse2-mp9-tmg.json"
    path.write_text(json.dumps(bundle))
    assert import_paths(session=session, user_id=user_id, paths=[path]).ok
    with use_locale("nl"):
        item = category_page(session=session, user_id=user_id, category="result").items[0]
    assert item.sources == ("Streeklab Haarlem",)
    assert item.files == ("mp-MedUse2-mp9-tmg.json",)  # for "all details" only
