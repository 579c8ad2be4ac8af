"""The whole connect-a-provider flow against the sandbox: consent, code exchange, reading every resource."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from pgo.config import fixtures_dir
from pgo.i18n import use_locale
from pgo.providers import begin_connection, fetch_patient_resources, finish_connection
from pgo.providers.errors import CONSENT_REFUSED, STATE_MISMATCH, ProviderError
from pgo.sandbox.questionnaires import questionnaire_resources

REDIRECT_URI = "http://127.0.0.1:1/records/providers/callback"


USERS = {"nictiz-stu3-zib2017": "johan", "nictiz-r4-zib2020": "jo"}


def fixture_counts(folder: str) -> Counter:
    """Resources per type in a fixture folder (read straight from the XML root elements), and the questionnaires
    (Task + Questionnaire) the sandbox offers that patient: everything the MedMij query sets reach (#20)."""
    names = (
        etree.QName(etree.parse(str(path)).getroot()).localname for path in Path(fixtures_dir(), folder).glob("*.xml")
    )
    counts = Counter(names) + Counter(r["resourceType"] for r in questionnaire_resources(USERS[folder]))
    # zib-Product-01 is a Medication nothing in the folder points to (the agreements name Product-02 and -03):
    # MedMij includes a Medication with what refers to it, so no search reaches this one.
    return counts - Counter({"Medication": 1}) if folder == "nictiz-stu3-zib2017" else counts


def test_begin_connection_asks_for_pkce_s256_and_state(provider, consent, connect):
    url, state, verifier = begin_connection(provider, REDIRECT_URI)
    assert url.startswith(provider.authorize_url)
    assert "code_challenge_method=S256" in url and "code_challenge=" in url and f"state={state}" in url
    assert verifier not in url and len(verifier) >= 43


@pytest.mark.parametrize(("username", "folder"), [("johan", "nictiz-stu3-zib2017"), ("jo", "nictiz-r4-zib2020")])
def test_whole_flow_reads_every_resource_of_the_patient(provider, consent, connect, username, folder):
    tokens = connect(provider, username)
    assert tokens.refresh_token and tokens.patient and tokens.expires_at is not None
    resources = list(fetch_patient_resources(provider, tokens))
    assert Counter(r["resourceType"] for r in resources) == fixture_counts(folder)
    assert len({(r["resourceType"], r["id"]) for r in resources}) == len(resources)


def test_paging_follows_next_links(provider, consent, connect, monkeypatch):
    monkeypatch.setattr("pgo.providers.client.PAGE_SIZE", 2)
    resources = list(fetch_patient_resources(provider, connect(provider)))
    assert Counter(r["resourceType"] for r in resources) == fixture_counts("nictiz-stu3-zib2017")


def test_refused_consent_gives_a_clear_message(provider, consent, connect):
    url, state, verifier = begin_connection(provider, REDIRECT_URI)
    callback = consent(url, allow=False)
    assert callback["error"] == "access_denied" and "code" not in callback
    with pytest.raises(ProviderError, match="consent_refused") as caught:
        finish_connection(
            provider,
            REDIRECT_URI,
            code=None,
            state=callback["state"],
            expected_state=state,
            code_verifier=verifier,
            error=callback["error"],
        )
    assert caught.value.kind == CONSENT_REFUSED
    with use_locale("nl"):
        assert "toestemming" in caught.value.message()
    with use_locale("en"):
        assert "permission" in caught.value.message()


def test_state_mismatch_is_refused_before_any_token_request(provider, consent, connect):
    url, _state, verifier = begin_connection(provider, REDIRECT_URI)
    callback = consent(url)
    with pytest.raises(ProviderError, match="state_mismatch") as caught:
        finish_connection(
            provider,
            REDIRECT_URI,
            code=callback["code"],
            state=callback["state"],
            expected_state="someone-else",
            code_verifier=verifier,
        )
    assert caught.value.kind == STATE_MISMATCH


@pytest.mark.parametrize("verifier", [None, "wrong" * 10])
def test_token_request_without_the_right_code_verifier_is_refused(provider, consent, connect, verifier):
    import requests

    url, state, real_verifier = begin_connection(provider, REDIRECT_URI)
    callback = consent(url)
    form = {"grant_type": "authorization_code", "code": callback["code"], "redirect_uri": REDIRECT_URI}
    if verifier:
        form["code_verifier"] = verifier
    answer = requests.post(provider.token_url, data=form, auth=(provider.client_id, provider.client_secret), timeout=5)
    assert answer.status_code == 400
    assert answer.json()["error"] in ("invalid_request", "invalid_grant")
    assert real_verifier != verifier


def test_authorization_without_pkce_is_refused(provider, consent, connect):
    import requests

    url = (
        f"{provider.authorize_url}?response_type=code&client_id={provider.client_id}"
        f"&redirect_uri={REDIRECT_URI}&scope=patient/*.read&state=abc"
    )
    answer = requests.get(url, timeout=5, allow_redirects=False)
    assert answer.status_code in (302, 400)
    assert "code_challenge" in answer.text or "invalid_request" in answer.headers.get("Location", "")


def test_fhir_api_needs_a_bearer_token(provider, consent, connect):
    import requests

    answer = requests.get(f"{provider.fhir_base_url}/Observation", timeout=5)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].lower().startswith("bearer")
    assert requests.get(f"{provider.fhir_base_url}/metadata", timeout=5).json()["resourceType"] == "CapabilityStatement"


def test_read_by_id(provider, consent, connect):
    import requests

    tokens = connect(provider)
    headers = {"Authorization": f"Bearer {tokens.access_token}"}
    answer = requests.get(f"{provider.fhir_base_url}/Patient/{tokens.patient}", headers=headers, timeout=5)
    assert answer.headers["Content-Type"].startswith("application/fhir+json")
    assert answer.json()["id"] == tokens.patient
