"""The dose in words from the structured dosage, in nl and en (#16, 2026-12-03).

Examples: the Nictiz zib2017 (STU3) MedicationUse and MedicationAgreement fixtures, the HL7 R4 specification's
MedicationStatement example, and MP9 3.0 (R4) dosage shapes as the Nictiz MedicationProcess profiles define them
(timing.repeat with when/timeOfDay/dayOfWeek, doseAndRate, asNeededCodeableConcept from NHG table 25,
maxDosePerPeriod; units from the G-Standaard thesaurus of base units, 900.2).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pgo.i18n import use_locale
from pgo.records.dosage import dosage_in_words, dose_in_words, dose_parts, from_legacy
from pgo.records.fhir_xml import parse_xml, xml_to_json

GSTD = "urn:oid:2.16.840.1.113883.2.4.4.1.900.2"
UCUM = "http://unitsofmeasure.org"
NHG25 = "https://referentiemodel.nhg.org/tabellen/nhg-tabel-25-gebruiksvoorschrift#aanvullend-numeriek"
STUK = {"value": 1, "unit": "stuk", "system": GSTD, "code": "245"}


def fixture(path: str) -> dict:
    full = Path(os.environ["PGO_FIXTURES"]) / path
    if not full.exists():
        pytest.skip("shared FHIR fixtures not found (set PGO_FIXTURES)")
    if full.suffix == ".json":
        return json.loads(full.read_text())
    return xml_to_json(parse_xml(full.read_bytes()), "STU3")


def words(dosages: list[dict], lang: str) -> str:
    with use_locale(lang):
        return dose_in_words(dose_parts(dosages), lang)


def mp9(repeat: dict, dose: dict | None = None, **more) -> dict:
    return {"timing": {"repeat": repeat}, "doseAndRate": [{"doseQuantity": dose or STUK}], **more}


def test_the_example_from_the_issue_in_both_languages():
    dosage = mp9({"frequency": 1, "period": 1, "periodUnit": "d", "when": ["MORN"]})
    assert words([dosage], "nl") == "1 stuk, 1 keer per dag, 's ochtends"
    assert words([dosage], "en") == "1 piece, once a day, in the morning"


def test_stu3_medication_use_fixture_with_range_as_needed_and_maximum():
    resource = fixture("nictiz-stu3-zib2017/zib-MedicationUse-01.xml")
    assert words(resource["dosage"], "nl") == "1 tot 2 stuks, tot 4 keer per dag, zo nodig, maximaal 6 stuks per dag"
    assert words(resource["dosage"], "en") == "1 to 2 pieces, up to 4 times a day, when needed, at most 6 pieces a day"


def test_stu3_medication_agreement_fixture():
    resource = fixture("nictiz-stu3-zib2017/zib-MedicationAgreement-01.xml")
    assert words(resource["dosageInstruction"], "nl") == "1 stuk, 1 keer per dag, zo nodig"
    assert words(resource["dosageInstruction"], "en") == "1 piece, once a day, when needed"


def test_r4_specification_example_with_an_orderable_drug_form_and_a_reason():
    resource = fixture("hl7-r4-examples/medicationStatement-example1.json")
    assert words(resource["dosage"], "en") == (
        "1 to 2 tablets, once a day, when needed: Restless Legs, Taking at bedtime"  # the instruction as written
    )
    assert words(resource["dosage"], "nl") == (
        "1 tot 2 tabletten, 1 keer per dag, zo nodig: Restless Legs, Taking at bedtime"
    )


def test_text_is_the_fallback_when_the_structure_says_nothing():
    resource = fixture("hl7-r4-examples/medicationRequest-example1.json")
    assert words(resource["dosageInstruction"], "nl") == "Take one tablet daily as directed"
    assert words([{"text": "Volgens schema trombosedienst"}], "en") == "Volgens schema trombosedienst"


@pytest.mark.parametrize(
    ("repeat", "nl", "en"),
    [
        ({"frequency": 3, "period": 1, "periodUnit": "d"}, "3 keer per dag", "3 times a day"),
        ({"frequency": 2, "frequencyMax": 3, "period": 1, "periodUnit": "d"}, "2 tot 3 keer per dag",
         "2 to 3 times a day"),
        ({"frequency": 1, "period": 8, "periodUnit": "h"}, "elke 8 uur", "every 8 hours"),
        ({"frequency": 1, "period": 4, "periodMax": 6, "periodUnit": "h"}, "elke 4 tot 6 uur", "every 4 to 6 hours"),
        ({"frequency": 1, "period": 2, "periodUnit": "d"}, "om de 2 dagen", "every 2 days"),
        ({"frequency": 2, "period": 1, "periodUnit": "wk"}, "2 keer per week", "2 times a week"),
        ({"frequency": 1, "period": 1, "periodUnit": "wk", "dayOfWeek": ["mon", "thu"]},
         "1 keer per week, op maandag en donderdag", "once a week, on Monday and Thursday"),
        ({"when": ["MORN", "EVE"], "period": 1, "periodUnit": "d"}, "'s ochtends en 's avonds",
         "in the morning and in the evening"),
        ({"timeOfDay": ["08:00:00", "14:00:00", "20:00:00"]}, "om 08:00, 14:00 en 20:00",
         "at 08:00, 14:00 and 20:00"),
        ({"frequency": 1, "period": 1, "periodUnit": "d", "when": ["HS"]}, "1 keer per dag, voor het slapengaan",
         "once a day, before going to sleep"),
        ({"frequency": 3, "period": 1, "periodUnit": "d", "when": ["PC"]}, "3 keer per dag, na het eten",
         "3 times a day, after a meal"),
    ],
)  # fmt: skip
def test_schedules(repeat, nl, en):
    assert words([mp9(repeat)], "nl") == f"1 stuk, {nl}"
    assert words([mp9(repeat)], "en") == f"1 piece, {en}"


@pytest.mark.parametrize(
    ("quantity", "nl", "en"),
    [
        ({"value": 0.5, "unit": "stuk", "system": GSTD, "code": "245"}, "0,5 stuk", "0.5 piece"),
        ({"value": 2, "unit": "Stuk", "system": GSTD, "code": "245"}, "2 stuks", "2 pieces"),
        ({"value": 7.5, "unit": "milliliter", "system": GSTD, "code": "233"}, "7,5 ml", "7.5 mL"),
        ({"value": 500, "unit": "mg", "system": UCUM, "code": "mg"}, "500 mg", "500 mg"),
        ({"value": 1250, "unit": "mg", "system": UCUM, "code": "mg"}, "1.250 mg", "1,250 mg"),
        ({"value": 3, "unit": "druppel", "system": UCUM, "code": "[drp]"}, "3 druppels", "3 drops"),
        ({"value": 2, "unit": "pufje"}, "2 pufjes", "2 puffs"),
        ({"value": 1, "unit": "zetpil"}, "1 zetpil", "1 suppository"),
        ({"value": 1, "unit": "TAB", "system": "http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm",
          "code": "TAB"}, "1 tablet", "1 tablet"),
        ({"value": 1, "unit": "applicatie"}, "1 applicatie", "1 applicatie"),
    ],
)  # fmt: skip
def test_dose_units_in_words(quantity, nl, en):
    dosage = mp9({"frequency": 1, "period": 1, "periodUnit": "d"}, dose=quantity)
    assert words([dosage], "nl") == f"{nl}, 1 keer per dag"
    assert words([dosage], "en") == f"{en}, once a day"


def test_r4_dose_range_in_dose_and_rate_and_a_maximum_over_days():
    dosage = {
        "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
        "doseAndRate": [{"doseRange": {"low": {**STUK}, "high": {**STUK, "value": 2}}}],
        "maxDosePerPeriod": {"numerator": {**STUK, "value": 8}, "denominator": {"value": 2, "unit": "dag",
                                                                                "system": UCUM, "code": "d"}},
        "asNeededCodeableConcept": {"coding": [{"system": NHG25, "code": "1137", "display": "zo nodig"}]},
    }  # fmt: skip
    assert words([dosage], "nl") == "1 tot 2 stuks, 1 keer per dag, zo nodig, maximaal 8 stuks om de 2 dagen"
    assert words([dosage], "en") == "1 to 2 pieces, once a day, when needed, at most 8 pieces every 2 days"


def test_several_instructions_in_sequence_order():
    first = {**mp9({"frequency": 2, "period": 1, "periodUnit": "d"}), "sequence": 2}
    second = {**mp9({"frequency": 1, "period": 1, "periodUnit": "d"}), "sequence": 1}
    assert words([first, second], "en") == "1 piece, once a day; 1 piece, 2 times a day"


def test_stored_shape_keeps_no_words_and_moves_stu3_doses_into_dose_and_rate():
    stored = dose_parts([{"doseQuantity": STUK, "timing": {"repeat": {"frequency": 1, "periodUnit": "d"}}}])
    repeat = {"frequency": 1, "periodUnit": "d"}
    assert stored == [{"timing": {"repeat": repeat}, "doseAndRate": [{"doseQuantity": STUK}]}]


def test_rows_stored_before_the_new_shape_still_read():
    legacy = {"dose": "0.5 stuk", "count": "2", "period": "1", "period_unit": "d", "as_needed": True}
    with use_locale("nl"):
        assert dosage_in_words(legacy, "nl") == "0,5 stuk, 2 keer per dag, zo nodig"
    with use_locale("en"):
        assert dosage_in_words(legacy, "en") == "0.5 piece, 2 times a day, when needed"
    assert from_legacy({"text": "x"}) == {"text": "x"}


def test_nonsense_is_dropped_not_shown():
    assert dose_parts(["x", None, {"timing": "daily", "doseQuantity": {"value": "veel"}}]) == []
    assert words([{"timing": {"repeat": {"frequency": True, "periodUnit": "fortnight"}}}], "nl") == ""


quantities_st = st.fixed_dictionaries(
    {"value": st.one_of(st.integers(0, 5000), st.floats(0.01, 5000, allow_nan=False))},
    optional={"unit": st.sampled_from(["stuk", "mg", "ml", "druppel", "???"]), "code": st.sampled_from(["245", "mg"])},
)
repeats = st.fixed_dictionaries(
    {},
    optional={
        "frequency": st.integers(1, 12),
        "frequencyMax": st.integers(1, 12),
        "period": st.sampled_from([1, 2, 8, 0.5]),
        "periodMax": st.integers(1, 12),
        "periodUnit": st.sampled_from(["h", "d", "wk", "mo", "a", "min", "s", "x"]),
        "when": st.lists(st.sampled_from(["MORN", "EVE", "HS", "ACM", "nonsense"]), max_size=3),
        "dayOfWeek": st.lists(st.sampled_from(["mon", "sun", "xyz"]), max_size=3),
    },
)


@given(repeats, quantities_st)
def test_any_schedule_reads_without_a_decimal_point_in_dutch_or_a_raw_placeholder(repeat, quantity):
    dosage = mp9(repeat, dose=quantity)
    dutch, english = words([dosage], "nl"), words([dosage], "en")
    for text in (dutch, english):
        assert "%(" not in text and "None" not in text and "[" not in text
    assert not re.search(r"\d\.(\d{1,2}|\d{4,})(?!\d)", dutch)  # a point in Dutch groups thousands only


@pytest.mark.parametrize(
    ("product", "nl", "en"),
    [
        ("CAPECITABINE 500MG TABLET", "2 tabletten", "2 tablets"),
        ("METOCLOPRAMIDE ZETPIL 20MG", "2 zetpillen", "2 suppositories"),
        ("Acetaminophen 325 MG Oral Tablet", "2 tabletten", "2 tablets"),
        ("CALCIUMCARBONAAT BRUISTABLET 1000MG", "2 bruistabletten", "2 effervescent tablets"),
        ("OMEPRAZOL CAPSULE MSR 20MG", "2 capsules", "2 capsules"),
        ("HUMALOG INJVLST 100E/ML", "2 stuks", "2 pieces"),  # no form in the name: "stuk" as sent
    ],
)
def test_a_piece_is_the_dose_form_in_the_products_name(product, nl, en):
    dosage = mp9({"frequency": 1, "period": 1, "periodUnit": "d"}, dose={**STUK, "value": 2})
    for lang, expected in (("nl", nl), ("en", en)):
        with use_locale(lang):
            assert dose_in_words(dose_parts([dosage]), lang, product=product).startswith(expected + ",")


def test_a_measured_unit_is_never_replaced_by_the_form():
    dosage = mp9({"frequency": 1, "period": 1, "periodUnit": "d"}, dose={"value": 5, "unit": "ml", "code": "mL"})
    with use_locale("nl"):
        assert dose_in_words(dose_parts([dosage]), "nl", product="PARACETAMOL DRANK 24MG/ML") == "5 ml, 1 keer per dag"


def test_mp9_period_of_use_infusion_rate_and_additional_instruction():
    course = mp9(
        {"frequency": 2, "period": 1, "periodUnit": "d", "boundsDuration": {"value": 5, "unit": "dag", "code": "d"}},
        additionalInstruction=[{"text": "Innemen met water"}],
    )
    assert words([course], "nl") == "1 stuk, 2 keer per dag, gedurende 5 dagen, Innemen met water"
    assert words([course], "en") == "1 piece, 2 times a day, for 5 days, Innemen met water"
    one_week = mp9({"frequency": 1, "period": 1, "periodUnit": "d", "boundsDuration": {"value": 1, "code": "wk"}})
    assert words([one_week], "nl") == "1 stuk, 1 keer per dag, gedurende 1 week"
    drip = {"doseAndRate": [{"rateQuantity": {"value": 50, "unit": "ml/uur", "system": UCUM, "code": "mL/h"}}]}
    assert words([drip], "nl") == "met 50 ml/uur"
    assert words([drip], "en") == "at 50 mL/h"
