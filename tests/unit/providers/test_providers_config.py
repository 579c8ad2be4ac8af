"""Provider list, token encryption, the sandbox's XML to JSON conversion and the CLI command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from pgo.config import fixtures_dir
from pgo.providers import configured_providers, load_providers
from pgo.providers.config import ProviderConfigError
from pgo.providers.crypto import decrypt, encrypt
from pgo.records.fhir_xml import FhirXmlError, parse_xml
from pgo.records.fhir_xml import xml_to_json as element_to_json


def xml_to_json(data: bytes, *, version: str) -> dict:
    """The records converter, as the sandbox uses it for its demo patients."""
    return element_to_json(parse_xml(data), version)


ENTRY = {
    "id": "ziekenhuis",
    "name": "Ziekenhuis Test",
    "authorize_url": "https://zh.example/authorize",
    "token_url": "https://zh.example/token",
    "fhir_base_url": "https://zh.example/fhir/",
    "client_id": "pgo",
    "client_secret": "s3cret",
    "scopes": "patient/*.read",
}


def test_providers_from_yaml_and_json(tmp_path):
    (tmp_path / "p.json").write_text(json.dumps({"providers": [ENTRY]}))
    (tmp_path / "p.yaml").write_text("- " + "\n  ".join(f"{k}: '{v}'" for k, v in ENTRY.items()))
    for name in ("p.json", "p.yaml"):
        [provider] = load_providers(tmp_path / name)
        assert provider.fhir_base_url == "https://zh.example/fhir" and provider.scopes == ("patient/*.read",)
        assert "s3cret" not in repr(provider)


def test_incomplete_or_duplicate_providers_are_refused(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps([{**ENTRY, "token_url": ""}]))
    with pytest.raises(ProviderConfigError, match="token_url"):
        load_providers(path)
    path.write_text(json.dumps([ENTRY, ENTRY]))
    with pytest.raises(ProviderConfigError, match="unique"):
        load_providers(path)


def test_sandbox_entry_comes_from_the_environment(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps([ENTRY]))
    providers = configured_providers({"PGO_PROVIDERS_FILE": str(path), "PGO_SANDBOX_URL": "http://127.0.0.1:5001/"})
    assert [p.id for p in providers] == ["ziekenhuis", "sandbox"]
    assert providers[1].token_url == "http://127.0.0.1:5001/oauth/token"
    assert configured_providers({}) == []


@given(st.text(min_size=1, max_size=300))
def test_tokens_round_trip_and_need_the_same_secret(token):
    sealed = encrypt("one secret", token)
    assert token not in sealed or len(token) < 4
    assert decrypt("one secret", sealed) == token
    assert decrypt("another secret", sealed) is None


@pytest.mark.parametrize(("folder", "version"), [("nictiz-stu3-zib2017", "STU3"), ("nictiz-r4-zib2020", "R4")])
def test_every_nictiz_fixture_converts_to_valid_fhir_json(folder, version):
    if version == "STU3":
        from fhir.resources.STU3 import get_fhir_model_class
    else:
        from fhir.resources.R4B import get_fhir_model_class
    for path in sorted(Path(fixtures_dir(), folder).glob("*.xml")):
        resource = xml_to_json(path.read_bytes(), version=version)
        json.dumps(resource)
        if not (version == "R4" and resource["resourceType"] in ("Procedure", "Encounter", "AllergyIntolerance")):
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)  # R4B differs from R4 there


def test_converter_keeps_repeats_numbers_and_primitive_extensions():
    xml = b"""<Observation xmlns="http://hl7.org/fhir"><id value="x"/><status value="final"/>
      <code><coding><system value="http://loinc.org"/><code value="29463-7"/></coding></code>
      <valueQuantity><value value="72.50"/><unit value="kg"/></valueQuantity>
      <component><code><text value="a"/></code></component><component><code><text value="b"/></code></component>
    </Observation>"""
    resource = xml_to_json(xml, version="R4")
    assert resource["valueQuantity"]["value"] == 72.5
    assert [c["code"]["text"] for c in resource["component"]] == ["a", "b"]
    assert resource["code"]["coding"][0]["code"] == "29463-7"
    with pytest.raises(FhirXmlError, match="not in the FHIR namespace"):
        xml_to_json(b"<html/>", version="R4")


def test_sandbox_command_is_registered():
    from pgo.cli import main

    result = CliRunner().invoke(main, ["sandbox", "--help"])
    assert result.exit_code == 0 and "--port" in result.output
