"""`pgo catalogue coverage` (issue #15): how the clinical resources of FHIR files would be explained."""

import json

from click.testing import CliRunner

from pgo.records.catalogue_cli import catalogue_command

PATIENT = {"reference": "Patient/p"}
BUNDLE = {
    "resourceType": "Bundle",
    "type": "collection",
    "entry": [
        {"resource": {"resourceType": "Patient", "id": "p"}},
        {"resource": {"resourceType": "MedicationStatement", "id": "m1", "status": "active",
                      "medicationCodeableConcept": {"text": "ZESTRIL TABLET 10MG"}, "subject": PATIENT}},
        {"resource": {"resourceType": "MedicationStatement", "id": "m2", "status": "active",
                      "medicationCodeableConcept": {"text": "NITROGLYCERINE SPRAY"}, "subject": PATIENT}},
        {"resource": {"resourceType": "MedicationStatement", "id": "m3", "status": "active",
                      "medicationCodeableConcept": {"coding": [{"system": "urn:oid:2.16.840.1.113883.2.4.4.10",
                                                                "code": "1", "display": "XYZ 5MG"}]},
                      "subject": {"reference": "Patient/p"}}},
        {"resource": {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p"}}},
        {"resource": {"resourceType": "Encounter", "id": "e1", "status": "finished",
                      "subject": {"reference": "Patient/p"}}},
    ],
}  # fmt: skip


def test_coverage_json_counts_each_kind(tmp_path):
    (tmp_path / "record.json").write_text(json.dumps(BUNDLE), encoding="utf-8")
    result = CliRunner().invoke(catalogue_command, ["coverage", "--json", str(tmp_path)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {k: report[k] for k in ("resources", "concept", "group", "generic", "none")} == {
        "resources": 4, "concept": 1, "group": 1, "generic": 1, "none": 1,
    }  # fmt: skip
    assert report["by_type"]["MedicationStatement"] == {"concept": 1, "group": 1, "generic": 1, "none": 0}
    assert report["unexplained"] == [
        {"system": "urn:oid:2.16.840.1.113883.2.4.4.10", "code": "1", "display": "XYZ 5MG", "count": 1}
    ]


def test_coverage_fails_under_the_threshold(tmp_path):
    (tmp_path / "record.json").write_text(json.dumps(BUNDLE), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(catalogue_command, ["coverage", "--fail-under", "95", str(tmp_path)]).exit_code == 1
    assert runner.invoke(catalogue_command, ["coverage", "--fail-under", "50", str(tmp_path)]).exit_code == 0
