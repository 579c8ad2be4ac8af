"""Recognising a record's concept by code, by an equivalent code, by name, or by its group (issue #15)."""

import pytest

from pgo.literacy import catalogue
from pgo.literacy.recognition import catalogue_category, recognise
from pgo.literacy.recognition_names import load_tables, name_tables, words

NHG45_URI = "https://referentiemodel.nhg.org/tabellen/nhg-tabel-45-diagnostische-bepalingen"
NHG45_OID = "urn:oid:2.16.840.1.113883.2.4.4.30.45"
GPK = "urn:oid:2.16.840.1.113883.2.4.4.1"
ATC = "http://www.whocc.no/atc"
LOINC = "http://loinc.org"


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("ACETYLSALICYLZUUR TABLETMSR 100MG", "platelet-inhibitors"),  # upper case, G-Standaard form words
        ("Zestril 10 mg tablet", "ace-inhibitors"),  # brand name -> lisinopril
        ("METOPROLOL SUCCINAAT TABLET MGA 50MG", "beta-blockers"),  # salt and form
        ("metformine", "metformin"),  # Dutch spelling
        ("Metformin hydrochloride 500 mg", "metformin"),  # English spelling
        ("CAPECITABINE TABLET 500MG", "capecitabine"),  # its own entry, not chemotherapy's infusion text (2026-12-03)
    ],
)
def test_medicine_by_name_without_coding(text, entry):
    found = recognise((), text, "medicine")
    assert (found.entry_id, found.how, found.level) == (entry, "name", "concept")


def test_medicine_by_display_of_a_g_standaard_coding():
    found = recognise(((GPK, "99999", "LISINOPRIL TABLET 20MG"),), "", "medicine")
    assert (found.entry_id, found.how) == ("ace-inhibitors", "name")


def test_medicine_without_own_entry_falls_back_to_its_atc_group_and_says_so():
    found = recognise((), "NITROGLYCERINE SPRAY 0,4MG/DO", "medicine")
    assert (found.entry_id, found.level) == ("group-atc-c01da", "group")  # its ATC level-4 group (nitrates)
    text = catalogue.explain([], "medicine", "standard", "nl", concept=found.entry_id)
    assert text.is_group and not text.is_fallback
    assert "groep nitraten" in text.what and "geeft het hart meer zuurstof" in text.what
    assert "nog geen eigen uitleg" in text.what


def test_unknown_medicine_gets_the_generic_text():
    found = recognise((), "ONBEKEND PREPARAAT 5MG", "medicine")
    assert (found.entry_id, found.how, found.level) == ("fallback-medicine", "", "generic")


def test_part_of_a_word_is_not_a_name():
    assert name_tables().substance("PARACETAMOLACHTIG") is None  # no guessing from part of a word


@pytest.mark.parametrize("system", [NHG45_URI, NHG45_OID])
def test_nhg_table_45_code_is_its_loinc_concept(system):
    found = recognise(((system, "3208", "glucose nuchter"),), "", "lab")
    assert (found.entry_id, found.how) == ("glucose", "equivalent")


@pytest.mark.parametrize(
    ("text", "entry"),
    [("Natrium", "sodium"), ("kalium (K)", "potassium"), ("Kreatinine", "creatinine"), ("eGFR (CKD-EPI)", "egfr"),
     ("INR", "inr"), ("Hb", "hemoglobin"), ("HbA1c", "hba1c"), ("TSH", "tsh")],
)  # fmt: skip
def test_lab_test_by_name(text, entry):
    found = recognise(((NHG45_URI, "0", text),), "", "lab")
    assert (found.entry_id, found.how) == (entry, "name")


def _lab_tests_without_own_entry():
    """Lab tests the tables recognise by code and by name that have no entry of their own (yet): (code, name, panel).

    Chosen from the tables rather than named here, so that writing entries (#15 part 3, 2026-12-03) keeps these tests
    about the panel fallback instead of breaking them."""
    cat, tables = catalogue.default_catalogue(), name_tables()
    names = {code: " ".join(name) for name, code in sorted(tables.lab_names.items())}
    found = [
        (code, names[code], panel)
        for code, panel in sorted(tables.lab_panels.items())
        if panel != "vital" and (LOINC, code) not in cat.by_code and code in names
    ]
    assert found, "every named lab test has its own entry: pick another example of the panel fallback"
    return found


def test_lab_test_without_own_entry_gets_its_panel():
    code, name, panel = _lab_tests_without_own_entry()[0]
    found = recognise((), name, "lab")
    assert (found.entry_id, found.level) == (f"group-lab-{panel}", "group")
    found = recognise(((LOINC, code, ""),), "", "lab")
    assert (found.entry_id, found.level) == (f"group-lab-{panel}", "group")


def test_lab_tests_of_part_3_have_their_own_entry_by_code_and_by_name():
    """Issue #15 part 3 (2026-12-03): the ESR was only its panel's text; now it is a concept, found either way."""
    by_name = recognise((), "BSE", "lab")
    assert (by_name.entry_id, by_name.how, by_name.level) == ("esr", "name", "concept")
    by_code = recognise((("http://loinc.org", "4537-7", ""),), "", "lab")
    assert (by_code.entry_id, by_code.how, by_code.level) == ("esr", "code", "concept")


def test_problem_codes_fall_back_to_their_body_system():
    assert recognise((("http://hl7.org/fhir/sid/icpc-1-nl", "K99", ""),), "", "problem").entry_id == ("group-problem-k")
    assert recognise((("http://hl7.org/fhir/sid/icd-10-nl", "J45.9", ""),), "", "problem").entry_id == (
        "group-problem-r"
    )
    assert recognise((("http://hl7.org/fhir/sid/icd-10", "N40", ""),), "", "problem").entry_id == "group-problem-y"
    assert recognise((("http://hl7.org/fhir/sid/dsm5", "300.02", ""),), "", "problem").entry_id == "group-problem-p"


def test_own_entry_wins_over_group():
    found = recognise(((ATC, "C09AA03", ""),), "", "medicine")
    assert (found.entry_id, found.how, found.level) == ("ace-inhibitors", "code", "concept")


def test_record_categories():
    assert catalogue_category("result", "lab") == "lab"
    assert catalogue_category("medication") == "medicine"
    assert catalogue_category("something") == "general"


def test_matcher_words():
    assert words("ACETYLSALICYLZUUR/Coffeïne 100MG") == ["acetylsalicylzuur", "coffein", "100mg"]


def test_tables_load_and_are_large_enough():
    tables = load_tables()
    assert len(set(tables.substances.values())) >= 300
    assert all(len(code) in (1, 3, 4, 5, 7) for code in tables.substances.values())


def test_a_name_for_two_substances_is_refused(tmp_path):
    for name in ("lab-tests.tsv", "problem-groups.tsv"):
        (tmp_path / name).write_text((catalogue.CATALOGUE_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "substances.tsv").write_text("atc\ten\tnl\tbrands\nC09AA03\tx\tx\tZestril\nC09AA05\ty\ty\tZestril\n")
    with pytest.raises(ValueError, match="names both"):
        load_tables(tmp_path)


@pytest.mark.parametrize(
    ("display", "group"),
    [("Hartfalen", "group-problem-k"), ("vasculaire dementie", "group-problem-p"),
     ("Fracture of wrist (disorder)", "group-problem-l"), ("polsfractuur", "group-problem-l"),
     ("urine-incontinentie", "group-problem-u"), ("liesbreuk", "group-problem-d")],
)  # fmt: skip
def test_problem_with_unknown_snomed_code_gets_its_body_system_by_name(display, group):
    found = recognise((("http://snomed.info/sct", "1", display),), "", "problem")
    assert (found.entry_id, found.how, found.level) == (group, "name", "group")


def test_problem_names_are_not_matched_inside_short_words():
    assert name_tables().problem_group("postwond") is None  # "wond" is too short to be the tail of a compound


@pytest.mark.parametrize(
    ("display", "group"),
    [("Penicilline", "group-allergy-medicine"), ("allergie voor CLARITROMYCINE", "group-allergy-medicine"),
     ("Pinda", "group-allergy-food"), ("wespengif", "group-allergy-insect"), ("Latex", "group-allergy-latex"),
     ("huisstofmijt", "group-allergy-environment")],
)  # fmt: skip
def test_allergy_with_unknown_code_gets_its_allergen_group(display, group):
    found = recognise((("http://snomed.info/sct", "1", display),), "", "allergy")
    assert (found.entry_id, found.level) == (group, "group")


def test_vaccine_without_own_entry_gets_the_vaccine_group():
    found = recognise((("urn:oid:2.16.840.1.113883.2.4.4.10", "1", "DKTP-Hib-HepB"),), "", "vaccination")
    assert (found.entry_id, found.how, found.level) == ("group-atc-j07ca", "name", "group")  # level 4 (#15)


def test_every_atc_level_3_and_4_group_of_the_substances_has_a_group_text():
    """Issue #15, 2026-12-03: a medicine without its own entry gets its level-4 (else level-3) group's text."""
    cat = catalogue.default_catalogue()
    substances = {code for code in name_tables().substances.values() if len(code) == 7}
    assert len(substances) >= 1000
    missing = {group for code in substances for group in (code[:4], code[:5])
               if (catalogue.ATC, group) not in cat.by_code}  # fmt: skip
    assert missing == set()


def test_an_own_entry_on_a_higher_level_wins_over_a_lower_groups_text():
    cat = catalogue.default_catalogue()
    assert cat.find(catalogue.ATC, "N02AB03").id == "opioids"  # the N02A entry, not the N02AB group's text
    assert cat.find(catalogue.ATC, "C08CA02").id == "group-atc-c08ca"  # felodipine: no entry of its own
    assert cat.find(catalogue.ATC, "C08CA01").id == "amlodipine"  # its own entry (#15 part 3) beats the group
    assert cat.find(catalogue.ATC, "C08CA02").group


def test_dutch_and_international_spellings_meet():
    assert words("METHOTREXAAT") == words("methotrexate")
    assert words("Morfine") == words("morphine")
    assert words("fosfaat") == words("phosphate")


def test_a_substance_from_the_who_index_is_recognised_by_its_dutch_spelling():
    found = recognise(((GPK, "1", "FOLCODINE DRANK 1MG/ML"),), "", "medicine")  # pholcodine, R05DA08
    assert (found.entry_id, found.how, found.level) == ("group-atc-r05da", "name", "group")
    found = recognise((), "TIAGABINE TABLET FO 5MG", "medicine")
    assert found.entry_id == "group-atc-n03ag"
    text = catalogue.explain([], "medicine", "simple", "en", concept=found.entry_id)
    assert "epilepsy" in text.what and "no text for this medicine itself" in text.what


def test_at_least_400_lab_tests_are_recognised_each_with_a_panel_text():
    cat, tables = catalogue.default_catalogue(), name_tables()
    own = {code for system, code in cat.by_code if system == LOINC}
    assert len(own | set(tables.lab_panels)) >= 400
    without_text = {p for p in tables.lab_panels.values() if f"group-lab-{p}" not in cat.by_id} - {"vital"}
    assert without_text == set()


def test_a_lab_test_without_its_own_entry_gets_its_panels_text():
    code, name, panel = _lab_tests_without_own_entry()[-1]
    found = recognise(((LOINC, code, f"{name} [Massa/volume] in Serum of Plasma"),), "", "lab")
    assert (found.entry_id, found.level) == (f"group-lab-{panel}", "group")
    assert recognise((), name.upper(), "lab").entry_id == f"group-lab-{panel}"


@pytest.mark.parametrize(
    ("coding", "text", "entry"),
    [((LOINC, "10535-3", "Digoxine [Massa/volume] in Serum of Plasma"), "", "digoxin-level"),
     ((NHG45_URI, "0", "Lithiumspiegel"), "", "lithium-level"),
     (None, "PTH", "parathyroid-hormone"),
     (None, "Lipoproteine a", "lipoprotein-a"),
     ((LOINC, "14866-8", "Parathyreoïd hormoon [Mol/volume] in Serum of Plasma"), "", "parathyroid-hormone"),
     ((LOINC, "14685-2", "Cobalamine [Mol/volume] in Serum of Plasma"), "", "vitamin-b12-level")],
)  # fmt: skip
def test_chemistry_tests_of_part_3_have_their_own_entry(coding, text, entry):
    """Issue #15 part 3 (2026-12-03): drug levels, hormones and lipids that only had their panel's text, also in the
    units Dutch labs report (moles); vitamin B12 in moles had a mistyped code."""
    found = recognise((coding,) if coding else (), text, "lab")
    assert (found.entry_id, found.level) == (entry, "concept")


def test_a_group_text_names_the_who_group_at_the_detailed_level_only():
    cat = catalogue.default_catalogue()
    standard = catalogue.explain([(ATC, "C09AA99")], "medicine", "standard", "nl", catalogue=cat)
    assert standard.entry_id == "ace-inhibitors"  # an own entry on the level-4 code: no group text
    group = cat.by_id["group-atc-c09d"]
    assert "WHO" not in group.text("nl", "standard", "what")
    assert group.text("en", "detailed", "what").endswith(
        "In the WHO ATC list this group is called Angiotensin II receptor blockers (ARBs), combinations (C09D)."
    )


@pytest.mark.parametrize(
    ("text", "atc"),
    [
        ("PERMETRINE CREME 50MG/G", "P03AC04"),  # 'th' as 't': permethrin
        ("IJZER(II)FUMARAAT TABLET 200MG", "B03AA02"),  # ferrous fumarate is B03AA02 in the WHO index
        ("MYCOFENOLAATMOFETIL TABLET 500MG", "L04AA06"),
        ("TESTOSTERON GEL 16,2MG/G", "G03BA03"),
        # on their current WHO ATC codes (index of 2026-04-25)
        ("GABAPENTINE CAPSULE 300MG", "N02BF01"),
        ("Comirnaty", "J07BN01"),
        ("MAGALDRAAT SUSPENSIE", "A02AD02"),
    ],
)
def test_common_dutch_spellings_and_salts(text, atc):
    assert name_tables().substance(text) == atc


def test_abbreviations_keep_their_th():
    assert name_tables().lab("PTH") != name_tables().lab("PT")


@pytest.mark.parametrize(
    ("text", "atc"),
    [
        ("HYDROCORTISON CREME 10MG/G", "D07AA02"),  # the skin's, not the tablet the name alone gives
        ("HYDROCORTISON TABLET 10MG", "H02AB09"),
        ("DEXAMETHASON OOGDRUPPELS 1MG/ML", "S01BA01"),
        ("DEXAMETHASON TABLET 0,5MG", "H02AB02"),
        ("BUDESONIDE CAPSULE MSR 3MG", "A07EA06"),  # by mouth: the gut's, not the inhaler's
        ("BUDESONIDE INHALATIEPOEDER 200UG/DO", "R03BA02"),
        ("BUDESONIDE NEUSSPRAY 64UG/DO", "R01AD05"),
        ("MICONAZOL ORALE GEL 20MG/G", "A01AB09"),  # a mouth gel is not a skin gel
        ("MICONAZOL CREME 20MG/G", "D01AC02"),
        ("CLOTRIMAZOL VAGINAALTABLET 200MG", "G01AF02"),
        ("TERBINAFINE CREME 10MG/G", "D01AE15"),
        ("TERBINAFINE TABLET 250MG", "D01BA02"),
        ("METOPROLOL SUCCINAAT TABLET MGA 50MG", "C07AB02"),  # one route only: the name's code stays
        ("Pulmicort Turbuhaler", "R03BA02"),
        ("PARACETAMOL CREME", "N02BE01"),  # no skin paracetamol in the table: the name's code, never a guess
    ],
)
def test_the_dosage_form_chooses_the_route_of_the_substance(text, atc):
    assert name_tables().substance(text) == atc


@pytest.mark.parametrize(
    ("system", "code", "entry_id"),
    [
        ("http://hl7.org/fhir/sid/icd-10-nl", "E11.65", "diabetes-type-2"),  # a subcategory: its category's entry
        ("http://hl7.org/fhir/sid/icd-10", "E119", "diabetes-type-2"),  # sent without the dot
        ("http://hl7.org/fhir/sid/icpc-1-nl", "T90.02", "diabetes-type-2"),  # its own code: exact
        ("http://hl7.org/fhir/sid/icd-10", "E78.0", "familial-hypercholesterolemia"),  # exact wins over E78
        ("http://hl7.org/fhir/sid/icd-10", "E78.49", "hyperlipidemia"),
    ],
)
def test_a_classification_code_falls_back_to_its_category(system, code, entry_id):
    assert catalogue.default_catalogue().find(system, code).id == entry_id


def test_the_category_is_never_shorter_than_three_characters():
    found = catalogue.default_catalogue().find("http://hl7.org/fhir/sid/icd-10", "E1")
    assert found is None
    assert catalogue.default_catalogue().find("http://loinc.org", "2345-79") is None  # not a classification
