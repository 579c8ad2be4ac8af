"""Measurements as FHIR R4 Observations and back, with the shared Nictiz and Synthea fixtures."""

import json
from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest

from pgo.config import fixtures_dir
from pgo.measurements.entry import new_form_token, record_measurement
from pgo.measurements.fhir import (
    fhir_resources_for_export,
    measurement_from_observation,
    observation_for,
    store_imported_measurement,
)

FHIR = "{http://hl7.org/fhir}"
LISTS = {"coding", "component", "category", "profile", "note", "identifier", "extension"}
NOW = datetime(2025, 3, 12, 10, 0, tzinfo=UTC)


def xml_to_json(element):
    """Just enough FHIR XML -> JSON for Observations: value attributes, repeated elements as lists."""
    if len(element) == 0 and "value" in element.attrib:
        value = element.attrib["value"]
        return float(value) if element.tag == FHIR + "value" and value.replace(".", "", 1).isdigit() else value
    out = {}
    for child in element:
        name = child.tag.removeprefix(FHIR)
        if name == "text" and element.tag == FHIR + "Observation":
            continue
        converted = xml_to_json(child)
        if name in LISTS:
            out.setdefault(name, []).append(converted)
        else:
            out[name] = converted
    return out


def load_xml(relative: str) -> dict:
    path = fixtures_dir() / relative
    if not path.exists():
        pytest.skip(f"fixture {relative} not available")
    root = ElementTree.parse(path).getroot()  # noqa: S314 (trusted fixtures)
    return {"resourceType": root.tag.removeprefix(FHIR), **xml_to_json(root)}


def enter(session, patient, type, values, unit=None):
    return record_measurement(
        session=session,
        user_id=patient.id,
        type=type,
        form_values=values,
        unit=unit,
        measured_at=datetime(2025, 3, 12, 8, 0),
        token=new_form_token(),
        now=NOW,
    ).measurement


def test_blood_pressure_observation_shape(session, patient):
    m = enter(session, patient, "blood_pressure", {"systolic": "142", "diastolic": "88", "heart_rate": "71"})
    obs = observation_for(m)
    assert obs["resourceType"] == "Observation" and obs["status"] == "final"
    assert obs["meta"]["profile"] == ["http://nictiz.nl/fhir/StructureDefinition/nl-core-BloodPressure"]
    assert obs["category"][0]["coding"][0]["code"] == "vital-signs"
    assert obs["code"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "85354-9",
        "display": "Blood pressure panel with all children optional",
    }
    components = {c["code"]["coding"][0]["code"]: c["valueQuantity"] for c in obs["component"]}
    assert components["8480-6"] == {
        "value": 142,
        "unit": "mm[Hg]",
        "system": "http://unitsofmeasure.org",
        "code": "mm[Hg]",
    }
    assert components["8462-4"]["value"] == 88 and components["8867-4"]["code"] == "/min"
    assert obs["effectiveDateTime"] == "2025-03-12T07:00:00+00:00"
    assert "valueQuantity" not in obs
    json.dumps(obs)


@pytest.mark.parametrize(
    ("type", "values", "unit", "loinc", "ucum", "expected"),
    [
        ("body_weight", {"value": "165"}, "lb", "29463-7", "kg", 74.843),
        ("body_temperature", {"value": "37,8"}, None, "8310-5", "Cel", 37.8),
        ("blood_glucose", {"value": "126"}, "mg/dL", "14743-9", "mmol/L", 6.994),
        ("oxygen_saturation", {"value": "97"}, None, "59408-5", "%", 97),
        ("pain_score", {"value": "4"}, None, "72514-3", "{score}", 4),
        ("peak_flow", {"value": "450"}, None, "19935-6", "L/min", 450),
    ],
)
def test_round_trip(session, patient, type, values, unit, loinc, ucum, expected):
    m = enter(session, patient, type, values, unit)
    obs = observation_for(m)
    assert obs["code"]["coding"][0]["code"] == loinc and obs["valueQuantity"]["code"] == ucum
    back = measurement_from_observation(obs)
    assert back["type"] == type and back["values"]["value"] == pytest.approx(expected, abs=1e-3)
    assert back["measured_at"] == m.measured_at and back["source"] == "imported"


def test_round_trip_blood_pressure_and_note(session, patient):
    m = enter(session, patient, "blood_pressure", {"systolic": "130", "diastolic": "85", "heart_rate": "66"})
    assert measurement_from_observation(observation_for(m))["values"] == m.values
    note = enter(session, patient, "feeling", {"note": "Goed geslapen"})
    obs = observation_for(note)
    assert obs["valueString"] == "Goed geslapen" and obs["category"][0]["coding"][0]["code"] == "survey"
    assert measurement_from_observation(obs) is None  # notes are not read back as numbers


def test_export_yields_every_measurement(session, patient, clinician):
    enter(session, patient, "heart_rate", {"value": "60"})
    enter(session, patient, "body_weight", {"value": "80"})
    enter(session, clinician, "heart_rate", {"value": "60"})
    resources = list(fhir_resources_for_export(session=session, user_id=patient.id))
    assert len(resources) == 2 and all(r["resourceType"] == "Observation" for r in resources)


@pytest.mark.parametrize(
    ("relative", "type", "values"),
    [
        ("nictiz-r4-zib2020/nl-core-BloodPressure-01.xml", "blood_pressure", {"systolic": 125, "diastolic": 75}),
        ("nictiz-r4-zib2020/nl-core-BodyWeight-01.xml", "body_weight", {"value": 2.4}),  # 2400 g
        ("nictiz-r4-zib2020/nl-core-BodyHeight-01.xml", "body_height", {"value": 153}),
        ("nictiz-r4-zib2020/nl-core-HeartRate-01.xml", "heart_rate", {"value": 126}),
        ("nictiz-r4-zib2020/nl-core-BodyTemperature-01.xml", "body_temperature", {"value": 38.6}),
        ("nictiz-r4-zib2020/nl-core-O2Saturation-01.xml", "oxygen_saturation", {"value": 92}),
    ],
)
def test_nictiz_examples(relative, type, values):
    mapped = measurement_from_observation(load_xml(relative))
    assert mapped["type"] == type and mapped["values"] == values
    assert mapped["measured_at"].tzinfo is not None and mapped["source_ref"].startswith("Observation/")


def test_stu3_glucose_needs_a_time():
    resource = load_xml("nictiz-stu3-zib2017/vitalsigns-bloodglucose-01.xml")
    assert measurement_from_observation(resource) is None  # this example has no effective[x] nor issued
    mapped = measurement_from_observation({**resource, "issued": "2013-02-08T06:43:00+01:00"})
    assert mapped["type"] == "blood_glucose" and mapped["values"] == {"value": 6.3}


def test_nictiz_blood_pressure_note_and_time():
    mapped = measurement_from_observation(load_xml("nictiz-r4-zib2020/nl-core-BloodPressure-01.xml"))
    assert mapped["note"] == "Mw. is zwanger"
    assert mapped["measured_at"] == datetime(2013, 2, 8, 5, 43, tzinfo=UTC)


def test_synthea_vitals_and_storing_once(session, patient):
    path = next(iter(sorted((fixtures_dir() / "synthea-r4").glob("Reuben_Lind*.json"))), None)
    if path is None:
        pytest.skip("Synthea fixture not available")
    bundle = json.loads(path.read_text())
    mapped = [m for e in bundle["entry"] if (m := measurement_from_observation(e["resource"]))]
    types = {m["type"] for m in mapped}
    assert {"blood_pressure", "body_weight", "body_height", "pain_score"} <= types
    bp = next(m for m in mapped if m["type"] == "blood_pressure")
    assert bp["values"]["systolic"] > bp["values"]["diastolic"]
    for item in mapped:
        store_imported_measurement(session=session, user_id=patient.id, mapped=item, origin=path.name)
    count = len(list(fhir_resources_for_export(session=session, user_id=patient.id)))
    for item in mapped:
        store_imported_measurement(session=session, user_id=patient.id, mapped=item, origin=path.name)
    assert count == len(mapped) == len(list(fhir_resources_for_export(session=session, user_id=patient.id)))


@pytest.mark.parametrize(
    "resource",
    [
        {},
        {"resourceType": "Patient"},
        {"resourceType": "Observation", "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]}},
        {
            "resourceType": "Observation",
            "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
            "effectiveDateTime": "2020-01-01",
            "valueQuantity": {"value": 9999, "code": "/min"},
        },
        {
            "resourceType": "Observation",
            "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
            "effectiveDateTime": "2020-01-01",
            "valueQuantity": {"value": 70, "code": "furlong"},
        },
        {
            "resourceType": "Observation",
            "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9"}]},
            "effectiveDateTime": "garbage",
            "component": "x",
        },
    ],
)
def test_unusable_observations_give_none(resource):
    assert measurement_from_observation(resource) is None
