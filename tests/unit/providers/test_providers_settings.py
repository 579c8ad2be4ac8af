"""What real authorization servers ask for (#24): extra authorization parameters (SMART's aud), the client's
authentication at the token endpoint, RFC 9207's iss in the callback, and endpoints discovered from the FHIR base."""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest

from pgo.providers import ProviderError, begin_connection, finish_connection, load_providers, refresh
from pgo.providers.config import ProviderConfigError
from pgo.providers.discovery import forget

ENTRY = {
    "id": "ziekenhuis",
    "name": "Ziekenhuis Test",
    "authorize_url": "https://zh.example/authorize",
    "token_url": "https://zh.example/token",
    "fhir_base_url": "https://zh.example/fhir/",
    "client_id": "pgo",
    "client_secret": "s3cret",
}


@pytest.fixture(autouse=True)
def _fresh_discovery():
    forget()
    yield
    forget()


def load(tmp_path, **changes):
    path = tmp_path / "providers.json"
    path.write_text(json.dumps([{**ENTRY, **changes}]))
    return load_providers(path)[0]


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_the_authorization_request_carries_aud_and_the_providers_parameters(tmp_path, redirect_uri):
    """Finding 3: SMART's aud (the FHIR base), prompt=consent for offline_access, RFC 8707's resource."""
    provider = load(tmp_path, authorization_params={"prompt": "consent", "resource": "https://zh.example/fhir"})
    url, _state, _verifier = begin_connection(provider, redirect_uri)
    params = query(url)
    assert params["aud"] == "https://zh.example/fhir"
    assert params["prompt"] == "consent" and params["resource"] == "https://zh.example/fhir"
    assert params["code_challenge_method"] == "S256" and params["scope"] == "patient/*.read"


def test_aud_can_be_set_or_left_out(tmp_path, redirect_uri):
    assert query(begin_connection(load(tmp_path, authorization_params={"aud": "urn:x"}), redirect_uri)[0])["aud"] == (
        "urn:x"
    )
    assert "aud" not in query(begin_connection(load(tmp_path, authorization_params={"aud": ""}), redirect_uri)[0])


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"authorization_params": {"state": "x"}}, "may not set state"),
        ({"authorization_params": ["prompt"]}, "must be a mapping"),
        ({"token_endpoint_auth_method": "client_secret_jwt"}, "token_endpoint_auth_method"),
        ({"token_endpoint_auth_method": "private_key_jwt", "client_secret": ""}, "private_key_file"),
        ({"client_secret": ""}, "client_secret"),
        ({"private_key_alg": "none", "private_key_file": "k.pem"}, "private_key_alg"),
        ({"token_url": "http://zh.example/token"}, "https"),
        ({"fhir_base_url": "ftp://zh.example/fhir"}, "https"),
        ({"authorize_url": ""}, "both authorize_url and token_url"),
    ],
)
def test_unusable_settings_are_refused_with_the_reason(tmp_path, changes, complaint):
    with pytest.raises(ProviderConfigError, match=complaint):
        load(tmp_path, **changes)


def test_private_key_jwt_needs_no_secret(tmp_path):
    provider = load(
        tmp_path, client_secret="", token_endpoint_auth_method="private_key_jwt", private_key_file="/keys/pgo.pem"
    )
    assert provider.token_endpoint_auth_method == "private_key_jwt" and provider.private_key_alg == "RS384"


def test_client_secret_post_connects_and_refreshes(provider, connect):
    provider = replace(provider, token_endpoint_auth_method="client_secret_post")
    tokens = connect(provider)
    assert refresh(provider, tokens.refresh_token).access_token


def test_the_callback_iss_must_be_the_providers_issuer(provider, consent, redirect_uri):
    """RFC 9207: the sandbox names itself in the callback; an answer naming another server is refused."""
    provider = replace(provider, issuer=provider.fhir_base_url.removesuffix("/fhir"))
    url, state, verifier = begin_connection(provider, redirect_uri)
    callback = consent(url)
    assert callback["iss"] == provider.issuer
    common = {"code": callback["code"], "state": callback["state"], "expected_state": state, "code_verifier": verifier}
    with pytest.raises(ProviderError, match="^rejected") as refused:
        finish_connection(provider, redirect_uri, iss="https://other.example", **common)
    assert refused.value.kind == "rejected"
    assert finish_connection(provider, redirect_uri, iss=callback["iss"], **common).access_token


def test_endpoints_are_discovered_from_the_fhir_base(provider, connect):
    """Only the FHIR base configured: the sandbox's .well-known/smart-configuration names the endpoints."""
    bare = replace(provider, authorize_url="", token_url="")
    tokens = connect(bare)
    assert tokens.patient and refresh(bare, tokens.refresh_token).access_token


def test_a_callback_without_iss_is_refused_when_the_server_promised_one(provider, consent, redirect_uri):
    """RFC 9207 2.4: the sandbox's smart-configuration says it sends iss; an answer without it is not its own."""
    bare = replace(provider, authorize_url="", token_url="")
    url, state, verifier = begin_connection(bare, redirect_uri)
    callback = consent(url)
    common = {"code": callback["code"], "state": callback["state"], "expected_state": state, "code_verifier": verifier}
    with pytest.raises(ProviderError, match="no iss"):
        finish_connection(bare, redirect_uri, **common)
    assert finish_connection(bare, redirect_uri, iss=callback["iss"], **common).access_token


def test_discovery_without_a_configuration_is_a_clear_refusal(provider, redirect_uri):
    bare = replace(provider, authorize_url="", token_url="", fhir_base_url=provider.fhir_base_url + "/nothing")
    with pytest.raises(ProviderError, match="^rejected") as refused:
        begin_connection(bare, redirect_uri)
    assert refused.value.kind == "rejected"


def test_discovery_of_another_issuer_is_refused(provider, redirect_uri):
    bare = replace(provider, authorize_url="", token_url="", issuer="https://not-the-sandbox.example")
    with pytest.raises(ProviderError, match="another issuer"):
        begin_connection(bare, redirect_uri)


@pytest.fixture(scope="module")
def key_pair(tmp_path_factory):
    """An RSA key pair: the private key in a PEM file (as the configuration names it), the public key's PEM."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path_factory.mktemp("keys") / "pgo.pem"
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return path, public.decode()


@pytest.fixture(scope="module")
def jwt_sandbox(key_pair, redirect_uri_module):
    """A sandbox that also knows a client signing in with private_key_jwt."""
    import threading

    from werkzeug.serving import make_server

    from pgo.sandbox import create_sandbox_app

    app = create_sandbox_app({"SANDBOX_REDIRECT_URIS": [redirect_uri_module], "SANDBOX_JWT_PUBLIC_KEY": key_pair[1]})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def redirect_uri_module():
    return "http://127.0.0.1:1/records/providers/callback"  # the providers conftest's REDIRECT_URI


@pytest.mark.parametrize("alg", ["RS384", "RS256"])
def test_private_key_jwt_connects_and_refreshes(jwt_sandbox, key_pair, connect, alg):
    from pgo.providers.config import sandbox_provider

    provider = replace(
        sandbox_provider(jwt_sandbox, client_id="pgo-demo-jwt", client_secret=""),
        token_endpoint_auth_method="private_key_jwt",
        private_key_file=str(key_pair[0]),
        private_key_alg=alg,
    )
    tokens = connect(provider)
    assert refresh(provider, tokens.refresh_token).access_token


def test_private_key_jwt_with_another_key_is_refused(jwt_sandbox, tmp_path, connect):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from pgo.providers.config import sandbox_provider

    other = tmp_path / "other.pem"
    other.write_bytes(
        rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    provider = replace(
        sandbox_provider(jwt_sandbox, client_id="pgo-demo-jwt", client_secret=""),
        token_endpoint_auth_method="private_key_jwt",
        private_key_file=str(other),
    )
    with pytest.raises(ProviderError, match="^rejected") as refused:
        connect(provider)
    assert refused.value.kind == "rejected"
