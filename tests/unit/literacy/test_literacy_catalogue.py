import random
import re

import pytest

from pgo.config import fixtures_dir
from pgo.literacy.catalogue import SYSTEMS, coverage, default_catalogue, explain, load
from pgo.literacy.check import check_catalogue
from pgo.literacy.fixture_codes import codes_in_folder


@pytest.fixture(scope="module")
def fixture_codes():
    folder = fixtures_dir()
    if not folder.is_dir():
        pytest.skip("shared FHIR fixtures not found (set PGO_FIXTURES)")
    return [(c.system, c.code) for c in codes_in_folder(folder)]


def test_whole_catalogue_passes_the_gate_and_is_complete():
    outcome = check_catalogue(default_catalogue())
    failures = [
        f"{r.entry_id} {r.lang}/{r.level}: {p.message}" for r in outcome.results for p in r.problems
    ] + outcome.missing_fields
    assert failures == []
    assert {r.level for r in outcome.results} == {"simple", "standard", "detailed"}


def test_every_fixture_code_is_explained_or_excluded_on_purpose(fixture_codes):
    report = coverage(fixture_codes)
    assert report.total >= 100
    assert report.missing == ()
    assert len(report.excluded) == 2
    assert len(report.covered) == report.total - len(report.excluded)


def test_fixture_codes_come_from_json_and_xml(fixture_codes):
    assert ("http://loinc.org", "85354-9") in fixture_codes  # Nictiz XML
    assert ("http://loinc.org", "55284-4") in fixture_codes  # Synthea JSON
    assert ("urn:oid:2.16.840.1.113883.2.4.4.10", "6939") in fixture_codes  # G-Standaard PRK, XML


def test_known_code_explains_at_each_level_and_language():
    simple = explain([("http://loinc.org", "718-7")], "lab", "simple", "nl")
    detailed = explain([{"system": "http://loinc.org", "code": "718-7"}], "lab", "detailed", "en")
    assert not simple.is_fallback and simple.entry_id == "hemoglobin"
    assert simple.what != detailed.what and "Hb" in simple.title
    assert simple.high and simple.low and simple.ask and simple.sources


def test_atc_group_matches_a_specific_medicine(tmp_path):
    (tmp_path / "meds.yaml").write_text(
        "- {id: statins, category: medicine, codes: ['atc:C10AA']}\n- {id: fallback-general, fallback_for: general}"
    )
    catalogue = load(tmp_path)
    one = explain([(SYSTEMS["atc"][0], "C10AA05")], "medicine", "standard", "nl", catalogue=catalogue)
    assert not one.is_fallback and one.entry_id == "statins"
    other = explain([(SYSTEMS["atc"][0], "C10AX09")], "medicine", "standard", "nl", catalogue=catalogue)
    assert other.is_fallback


def test_unknown_code_gets_the_category_text_not_a_guess():
    code = f"{random.randint(10**6, 10**7)}-{random.randint(0, 9)}"
    result = explain([("http://loinc.org", code)], "lab", "simple", "nl")
    assert result.is_fallback and result.entry_id == "fallback-lab"
    medicine = explain([("http://snomed.info/sct", code)], "medicine", "standard", "en")
    assert medicine.is_fallback and medicine.entry_id == "fallback-medicine"
    assert explain([], "something-else", "standard", "en").entry_id == "fallback-general"


def test_coverage_reports_missing_codes():
    report = coverage([("http://loinc.org", "718-7"), ("http://example.org", "x")])
    assert report.total == 2 and len(report.covered) == 1
    assert report.missing == (("http://example.org", "x"),)


def test_g_standaard_short_names_match_their_oids():
    """Issue #15: GPK, HPK, ZI-number and PRK were swapped; the fixture product is found under each real OID."""
    from pgo.literacy.catalogue import default_catalogue, parse_code

    assert parse_code("gpk:1") == [("urn:oid:2.16.840.1.113883.2.4.4.1", "1")]
    assert parse_code("hpk:1") == [("urn:oid:2.16.840.1.113883.2.4.4.7", "1")]
    assert parse_code("zi:1") == [("urn:oid:2.16.840.1.113883.2.4.4.8", "1")]
    assert parse_code("prk:1") == [("urn:oid:2.16.840.1.113883.2.4.4.10", "1")]
    catalogue = default_catalogue()
    product = catalogue.find("urn:oid:2.16.840.1.113883.2.4.4.1", "63630")  # GPK, display METOCLOPRAMIDE ZETPIL
    assert product is not None and product is catalogue.find("http://www.whocc.no/atc", "A03FA01")


def test_nhg_table_45_under_both_system_uris():
    from pgo.literacy.catalogue import parse_code

    assert parse_code("nhg45:3208") == [
        ("urn:oid:2.16.840.1.113883.2.4.4.30.45", "3208"),
        ("https://referentiemodel.nhg.org/tabellen/nhg-tabel-45-diagnostische-bepalingen", "3208"),
    ]


def _loinc_check_digit(number: str) -> str:
    """LOINC's mod-10 check digit (the Luhn scheme: every other digit doubled, starting at the right)."""
    total = 0
    for position, digit in enumerate(reversed(number)):
        value = int(digit) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str(-total % 10)


def test_loinc_check_digit_of_known_codes():
    assert [_loinc_check_digit(c) for c in ("2160", "718", "14685", "4548")] == ["0", "7", "2", "4"]


def test_every_loinc_code_has_a_valid_check_digit():
    """A mistyped LOINC code matches no real record (#15, 2026-12-03: vitamin B12 and folate in moles, the units Dutch
    labs report, had 14685-4 and 14732-4 instead of 14685-2 and 14732-2, so those results got only the panel text)."""
    from pgo.literacy.recognition_names import name_tables

    codes = {code for system, code in default_catalogue().by_code if system in SYSTEMS["loinc"]}
    codes |= set(name_tables().lab_panels)
    wrong = sorted(c for c in codes if _loinc_check_digit(c.split("-")[0]) != c.split("-")[-1])
    assert wrong == []


def _medicines():
    return [e for e in default_catalogue().entries if e.category == "medicine" and not e.group and not e.fallback_for]


def test_every_medicine_has_side_effects_at_every_level():
    """#15 part 3 (2026-12-03): a medicine's side effects stand under their own heading, at each level and language."""
    missing = [
        f"{e.id} [{lang}/{level}]"
        for e in _medicines()
        for lang in ("nl", "en")
        for level in ("simple", "standard", "detailed")
        if not e.text(lang, level, "side_effects")
    ]
    assert len(_medicines()) > 30
    assert missing == []


def test_no_medicine_names_side_effects_under_why():
    """#15 part 3 (2026-12-03): "why" says why a person gets the medicine; side effects have their own heading."""
    named = [
        f"{e.id} [{lang}/{level}]"
        for e in default_catalogue().entries
        if e.category == "medicine"
        for lang in ("nl", "en")
        for level in ("simple", "standard", "detailed")
        if any(word in e.text(lang, level, "why").lower() for word in ("bijwerking", "side effect", "side-effect"))
    ]
    assert named == []


DOSE = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:mg|g|gram|grams|microgram|mcg|µg|ug|ml|ie|iu|eenheden|units)\b", re.I)


def test_no_medicine_text_states_a_dose():
    """CONTENT.md: never a dose in a general text; the prescription says how much (#15, 2026-12-03)."""
    doses = [
        f"{e.id} [{lang}/{level}/{field}]: {found.group(0)}"
        for e in default_catalogue().entries
        if e.category == "medicine"
        for lang in ("nl", "en")
        for level in ("simple", "standard", "detailed")
        for field in ("what", "why", "side_effects", "ask")
        if (found := DOSE.search(e.text(lang, level, field) or ""))
    ]
    assert doses == []


def test_the_dose_check_sees_a_dose():
    """Control: the pattern finds the doses it is for, and not a count or an ATC code."""
    assert DOSE.search("Volwassenen nemen 500 mg") and DOSE.search("tot 4 gram per dag")
    assert DOSE.search("20 IE insuline") and not DOSE.search("ATC N02BE01, twee keer per dag")
