"""The MedMij query sets (#20): the tables, and the sandbox answering them and refusing what they do not define."""

from __future__ import annotations

import pytest
import requests

from pgo.providers import fetch_patient_resources
from pgo.providers.queries import (
    BGZ,
    GP,
    QUERY_SETS,
    QUESTIONNAIRES,
    R4,
    SERVICES,
    STU3,
    VACCINATIONS,
    queries_for,
    version_of,
)
from pgo.sandbox import search


def texts(version: str, service: str) -> list[str]:
    return [query.text for query in QUERY_SETS[(service, version)]]


def test_every_query_names_its_source_and_reads_back_as_the_standard_writes_it():
    for (service, version), queries in QUERY_SETS.items():
        assert service in SERVICES and version in (STU3, R4) and queries
        for query in queries:
            assert query.source.startswith("MedMij"), query
            assert query.service == service
            path, _sep, rest = query.text.partition("?")
            assert path == query.path and rest == "&".join(f"{k}={v}" for k, v in query.params)


def test_bgz_2017_stu3_searches_are_the_medmij_ones():
    bgz = texts(STU3, BGZ)
    for expected in (
        "Patient?_include=Patient:general-practitioner",
        "Coverage?_include=Coverage:payor:Patient&_include=Coverage:payor:Organization",
        "Consent?category=http://snomed.info/sct|11291000146105",
        "Consent?category=http://snomed.info/sct|11341000146107",
        "Observation/$lastn?category=http://snomed.info/sct|118228005,http://snomed.info/sct|384821006",
        "Flag",
        "NutritionOrder",
        "MedicationStatement?category=urn:oid:2.16.840.1.113883.2.4.3.11.60.20.77.5.3|6"
        "&_include=MedicationStatement:medication",
        "DeviceUseStatement?_include=DeviceUseStatement:device",
        "Immunization?status=completed",
        "Observation/$lastn?code=http://loinc.org|85354-9",
        "Encounter?class=http://hl7.org/fhir/v3/ActCode|IMP,http://hl7.org/fhir/v3/ActCode|ACUTE,"
        "http://hl7.org/fhir/v3/ActCode|NONAC",
        "ProcedureRequest?status=active",
        "Appointment?status=booked,pending,proposed",
    ):
        assert expected in bgz, expected


def test_r4_uses_r4_names_and_code_systems():
    bgz = " ".join(texts(R4, BGZ))
    assert "ProcedureRequest" not in bgz and "ServiceRequest?status=active" in bgz
    assert "http://terminology.hl7.org/CodeSystem/v3-ActCode|IMP" in bgz and "hl7.org/fhir/v3/" not in bgz
    assert "MedicationStatement?category=http://snomed.info/sct|422979000" in " ".join(texts(R4, "medication"))
    assert texts(R4, VACCINATIONS) == ["Immunization"] and (VACCINATIONS, STU3) not in QUERY_SETS


def test_gp_data_asks_for_nhg_table_45_results_with_their_includes():
    (results,) = [text for text in texts(STU3, GP) if "nhg-tabel-45" in text]
    assert results == (
        "Observation?code=https://referentiemodel.nhg.org/tabellen/nhg-tabel-45-diagnostische-bepalingen|"
        "&_include=Observation:related-target&_include=Observation:specimen"
    )
    assert (GP, R4) not in QUERY_SETS


def test_questionnaires_ask_for_open_tasks_only():
    for version in (STU3, R4):
        (query,) = queries_for(version, (QUESTIONNAIRES,))
        assert query.text == "Task?code=http://loinc.org|74468-0&status=requested,received,accepted,in-progress"


def test_unknown_version_is_refused():
    with pytest.raises(ValueError, match="unknown FHIR version"):
        queries_for("DSTU2")
    assert version_of("3.0.2") == STU3 and version_of("4.0.1") == R4 and version_of("5.0.0") is None


def test_sandbox_accepts_each_defined_search_in_any_parameter_order_and_refuses_others():
    for version in (STU3, R4):
        for query in queries_for(version):
            assert search.check(version, query.path, reversed(query.params)) is None, query.text
            assert search.check(version, query.path, [*query.params, ("_count", "5"), ("patient", "x")]) is None
    assert "not part of a MedMij query set" in search.check(STU3, "Observation", [])
    assert search.check(R4, "ProcedureRequest", [("status", "active")]) is not None
    assert search.check(STU3, "Condition", [("code", "x")]) is not None


def test_token_search_forms():
    observation = {"resourceType": "Observation", "id": "1", "code": {"coding": [{"system": "s", "code": "c"}]}}
    resources = (observation, {"resourceType": "Observation", "id": "2", "code": {"coding": [{"system": "t"}]}})
    for token, found in (("s|c", ["1"]), ("s|", ["1"]), ("c", ["1"]), ("x|c", []), ("x|y,s|c", ["1"])):
        assert [r["id"] for r in search.run(resources, "Observation", "", [("code", token)])] == found, token


def test_lastn_keeps_the_newest_per_code():
    def reading(ident, code, when):
        return {"resourceType": "Observation", "id": ident, "code": {"coding": [{"system": "l", "code": code}]},
                "effectiveDateTime": when}  # fmt: skip

    resources = (reading("a", "1", "2026-01-01"), reading("b", "1", "2026-03-01"), reading("c", "2", "2025-01-01"))
    assert [r["id"] for r in search.run(resources, "Observation", "$lastn", [])] == ["b", "c"]


def test_sandbox_answers_an_undefined_search_with_400_and_an_operation_outcome(provider, consent, connect):
    tokens = connect(provider, "johan")
    headers = {"Authorization": f"Bearer {tokens.access_token}"}
    answer = requests.get(f"{provider.fhir_base_url}/Observation?patient={tokens.patient}", headers=headers, timeout=5)
    assert answer.status_code == 400
    assert answer.json()["resourceType"] == "OperationOutcome"
    assert answer.json()["issue"][0]["code"] == "not-supported"


def test_sandbox_metadata_says_the_version_of_the_token_patient(provider, consent, connect):
    for username, version in (("johan", "3.0.2"), ("jo", "4.0.1")):
        headers = {"Authorization": f"Bearer {connect(provider, username).access_token}"}
        assert requests.get(f"{provider.fhir_base_url}/metadata", headers=headers, timeout=5).json()["fhirVersion"] == (
            version
        )


def test_includes_arrive_with_what_includes_them(provider, consent, connect):
    resources = list(fetch_patient_resources(provider, connect(provider, "johan")))
    kinds = {r["resourceType"] for r in resources}
    assert {"Specimen", "Task", "Questionnaire", "Binary"} <= kinds
    assert len({(r["resourceType"], r["id"]) for r in resources}) == len(resources)


def test_a_provider_configured_for_one_service_is_asked_only_that(provider, consent, connect):
    from dataclasses import replace

    only = replace(provider, fhir_version=STU3, data_services=(QUESTIONNAIRES,))
    resources = list(fetch_patient_resources(only, connect(provider, "johan")))
    assert sorted(r["resourceType"] for r in resources) == ["Questionnaire", "Task"]
