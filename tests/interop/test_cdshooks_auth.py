"""CDS Hooks client authentication (CDS Hooks 2.0, "Trusting CDS Clients"; RFC 7519 JWT, RFC 7515 JWS,
RFC 7517 JWK, RFC 7518 algorithms; RFC 8725 JWT best practices).

Real ES384 and RS384 JWTs signed with keys generated here; the service verifies them against the
issuer's public JWK Set configured locally. The spec: every service call carries
``Authorization: Bearer <JWT>``; header ``alg``/``kid``/``typ``; claims ``iss``, ``aud`` (the URL of
the endpoint called), ``exp``, ``iat``, ``jti`` (against replay); ``none`` and symmetric (HMAC)
algorithms SHALL NOT be used; ES384 and RS384 are recommended. Discovery carries no patient data and
stays open ("CDS Services SHOULD require authentication if invoking the service poses any risk of
exposing sensitive data").
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from micromets.api import create_app
from micromets.api.cdsauth import load_jwks
from micromets.api.cdshooks import SERVICE_ID
from micromets.api.security import SecuritySettings

from _auth import BASE_URL, Ehr, anonymous_client, cds_app

PATH = f"/cds-services/{SERVICE_ID}"
AUD = BASE_URL + PATH
BODY = {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"userId": "Practitioner/1", "patientId": "p1"}}


@pytest.fixture(scope="module")
def ehr() -> Ehr:
    return Ehr("https://ehr.example.org", "ES384")


@pytest.fixture
def app(ehr: Ehr, tmp_path: Path) -> FastAPI:
    return cds_app(ehr, tmp_path / "jwks.json")


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return anonymous_client(app)


def _call(client: TestClient, token: str | None, **kwargs: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.post(PATH, json=BODY, headers=headers, **kwargs)


def _refused(response: Any, words: str = "") -> None:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    detail = response.json()["detail"]
    assert detail[0]["field"] == "(authorization)"
    assert words.lower() in detail[0]["message"].lower(), detail


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    head = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
    return head + "." + _b64(signature)


def test_es384_jwt_is_accepted_and_gives_cards(client: TestClient, ehr: Ehr) -> None:
    response = _call(client, ehr.token(AUD))
    assert response.status_code == 200, response.text
    assert response.json()["cards"]


def test_rs384_jwt_is_accepted(tmp_path: Path) -> None:
    rsa_ehr = Ehr("https://rsa-ehr.example.org", "RS384", kid="rsa-1")
    client = anonymous_client(cds_app(rsa_ehr, tmp_path / "rsa.json"))
    assert _call(client, rsa_ehr.token(AUD)).status_code == 200


def test_the_tenant_claim_and_issuer_reach_the_principal(app: FastAPI, ehr: Ehr) -> None:
    @app.post("/cds-services/probe/whoami")
    def whoami(request: Request) -> dict[str, Any]:
        result: dict[str, Any] = request.state.principal.as_dict()
        return result

    token = ehr.token(BASE_URL + "/cds-services/probe/whoami", tenant="hospital-a")
    me = anonymous_client(app).post("/cds-services/probe/whoami", json={}, headers={"Authorization": f"Bearer {token}"})
    assert me.json() == {"kind": "cds-client", "id": ehr.issuer, "name": ehr.issuer, "scope": "cds",
                         "scopes": ["cds"], "tenant": "hospital-a"}


def test_discovery_stays_open(client: TestClient) -> None:
    assert client.get("/cds-services").json()["services"][0]["id"] == SERVICE_ID


def test_missing_or_non_bearer_authorization(client: TestClient, ehr: Ehr) -> None:
    _refused(_call(client, None), "bearer")
    _refused(client.post(PATH, json=BODY, headers={"Authorization": "Basic " + ehr.token(AUD)}), "bearer")
    _refused(_call(client, "not.a.jwt"), "well-formed")
    _refused(_call(client, ""), "bearer")


def test_expired(client: TestClient, ehr: Ehr) -> None:
    now = int(time.time())
    _refused(_call(client, ehr.token(AUD, iat=now - 600, exp=now - 120)), "expired")


def test_exp_far_in_the_future_is_refused(client: TestClient, ehr: Ehr) -> None:
    now = int(time.time())
    _refused(_call(client, ehr.token(AUD, exp=now + 30 * 24 * 3600)), "ahead")
    # Issue 10: exp at most 5 minutes ahead (30 s allowed for clock skew).
    _refused(_call(client, ehr.token(AUD, exp=now + 10 * 60)), "ahead")
    assert _call(client, ehr.token(AUD, exp=now + 5 * 60)).status_code == 200


def test_issued_in_the_future(client: TestClient, ehr: Ehr) -> None:
    now = int(time.time())
    _refused(_call(client, ehr.token(AUD, iat=now + 600, exp=now + 900)), "not valid yet")


@pytest.mark.parametrize("aud", [
    BASE_URL + "/cds-services",  # the discovery endpoint, not the service called
    BASE_URL + "/cds-services/another-service",
    "https://evil.example" + PATH,
    BASE_URL.replace("http:", "https:") + PATH,
    [BASE_URL + "/cds-services/another-service"],
])
def test_wrong_audience(client: TestClient, ehr: Ehr, aud: Any) -> None:
    _refused(_call(client, ehr.token(AUD) if aud is None else ehr.token(aud)), "aud")


def test_audience_as_an_array_containing_the_endpoint(client: TestClient, ehr: Ehr) -> None:
    assert _call(client, ehr.token([AUD])).status_code == 200


def test_audience_must_be_exactly_the_endpoint(client: TestClient, ehr: Ehr) -> None:
    """The spec's two forms are "url" and ["url"]; an array naming other services too could be replayed there."""
    _refused(_call(client, ehr.token([AUD, BASE_URL + "/cds-services/another-service"])), "aud")
    _refused(_call(client, ehr.token(AUD + "/")), "aud")
    _refused(_call(client, ehr.token(AUD.upper())), "aud")


def test_the_audience_is_the_public_url_when_configured(ehr: Ehr, tmp_path: Path) -> None:
    settings = SecuritySettings(cds_jwks={ehr.issuer: ehr.write_jwks(tmp_path / "j.json")},
                                public_url="https://cds.hospital.org/micromets",
                                allowed_hosts=("localhost", "cds.hospital.org"))
    client = anonymous_client(create_app(settings=settings))
    assert _call(client, ehr.token("https://cds.hospital.org/micromets" + PATH)).status_code == 200
    _refused(_call(client, ehr.token(AUD)), "aud")


def test_untrusted_issuer(client: TestClient, ehr: Ehr) -> None:
    _refused(_call(client, ehr.token(AUD, iss="https://other-ehr.example.org")), "iss")
    # A stranger with its own key, claiming to be the trusted issuer: the kid is unknown or the signature fails.
    impostor = Ehr(ehr.issuer, "ES384", kid=ehr.kid)
    _refused(_call(client, impostor.token(AUD)), "signature")


def test_alg_none_is_refused(client: TestClient, ehr: Ehr) -> None:
    token = _unsigned({"alg": "none", "typ": "JWT", "kid": ehr.kid}, ehr.claims(AUD))
    _refused(_call(client, token), "alg")
    _refused(_call(client, _unsigned({"alg": "None", "typ": "JWT", "kid": ehr.kid}, ehr.claims(AUD))), "alg")


def test_hs256_signed_with_the_public_key_is_refused(client: TestClient, ehr: Ehr) -> None:
    """Algorithm confusion: an attacker HMAC-signs with the (public) key as the shared secret."""
    from cryptography.hazmat.primitives import serialization

    public = ehr.private_key.public_key()
    pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    secrets_tried = [pem, json.dumps(ehr.jwks()["keys"][0]).encode(), b""]
    for alg, digest in (("HS256", hashlib.sha256), ("HS384", hashlib.sha384)):
        for secret in secrets_tried:
            header, claims = {"alg": alg, "typ": "JWT", "kid": ehr.kid}, ehr.claims(AUD)
            unsigned = _unsigned(header, claims).rsplit(".", 1)[0]
            signature = hmac.new(secret, unsigned.encode(), digest).digest()
            _refused(_call(client, unsigned + "." + _b64(signature)), "alg")


def test_alg_that_does_not_fit_the_key_is_refused(client: TestClient, ehr: Ehr) -> None:
    rsa = Ehr(ehr.issuer, "RS384", kid=ehr.kid)  # an RSA key claiming the kid of the P-384 key
    _refused(_call(client, rsa.token(AUD)), "does not fit")


@pytest.mark.parametrize("alg", ["ES256", "ES512", "RS256", "RS512", "PS384"])
def test_only_es384_and_rs384_are_accepted(tmp_path: Path, alg: str) -> None:
    """The spec recommends ES384 and RS384; this service accepts those two only, even with a matching key."""
    other = Ehr("https://ehr.example.org", alg, kid="k")
    client = anonymous_client(cds_app(other, tmp_path / "jwks.json"))
    _refused(_call(client, other.token(AUD)), "alg")


def test_tampered_signature_or_payload(client: TestClient, ehr: Ehr) -> None:
    token = ehr.token(AUD)
    head, payload, signature = token.split(".")
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    _refused(_call(client, f"{head}.{payload}.{flipped}"), "signature")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["tenant"] = "someone-else"
    _refused(_call(client, f"{head}.{_b64(json.dumps(claims).encode())}.{signature}"), "signature")


def test_unknown_or_missing_kid(client: TestClient, ehr: Ehr) -> None:
    _refused(_call(client, ehr.sign(ehr.claims(AUD), kid="nope")), "kid")
    import jwt

    no_kid = jwt.encode(ehr.claims(AUD), ehr.private_key, algorithm="ES384", headers={"typ": "JWT"})
    _refused(_call(client, no_kid), "kid")


def test_wrong_or_missing_typ(client: TestClient, ehr: Ehr) -> None:
    """The spec's JWT header table: typ REQUIRED, fixed value JWT."""
    _refused(_call(client, ehr.sign(ehr.claims(AUD), typ="at+jwt")), "typ")
    import jwt

    untyped = jwt.encode(ehr.claims(AUD), ehr.private_key, algorithm="ES384", headers={"kid": ehr.kid, "typ": None})
    assert "typ" not in jwt.get_unverified_header(untyped)
    _refused(_call(client, untyped), "typ")


@pytest.mark.parametrize("claim", ["iss", "aud", "exp", "iat", "jti"])
def test_every_required_claim_must_be_there(client: TestClient, ehr: Ehr, claim: str) -> None:
    claims = ehr.claims(AUD)
    del claims[claim]
    _refused(_call(client, ehr.sign(claims)))


def test_a_replayed_jti_is_refused(client: TestClient, ehr: Ehr) -> None:
    token = ehr.token(AUD)
    assert _call(client, token).status_code == 200
    _refused(_call(client, token), "already used")
    # The same jti in a new JWT is a replay too.
    jti = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "==="))["jti"]
    _refused(_call(client, ehr.token(AUD, jti=jti)), "already used")


def test_a_jku_not_configured_for_the_client_is_refused_and_never_fetched(client: TestClient, ehr: Ehr) -> None:
    """The spec: "CDS Services SHOULD maintain an allowlist of the iss and jku fields". A JWT naming a key set
    URL that is not the client's configured one is refused; micromets never fetches keys from a URL a JWT names."""
    stranger = Ehr(ehr.issuer, "ES384", kid="stranger-key")
    _refused(_call(client, stranger.sign(stranger.claims(AUD), jku="http://127.0.0.1:9/jwks.json")), "jku")
    _refused(_call(client, ehr.sign(ehr.claims(AUD), jku="http://127.0.0.1:9/jwks.json")), "jku")


def test_without_trusted_clients_every_call_is_refused(ehr: Ehr) -> None:
    client = anonymous_client(create_app())
    _refused(_call(client, ehr.token(AUD)), "no CDS client is trusted")
    assert client.get("/cds-services").status_code == 200


def test_a_text_plain_body_is_415_even_with_a_valid_jwt(client: TestClient, ehr: Ehr) -> None:
    response = client.post(PATH, content=json.dumps(BODY).encode(),
                           headers={"Authorization": f"Bearer {ehr.token(AUD)}", "Content-Type": "text/plain"})
    assert response.status_code == 415


def _jwks_file(tmp_path: Path, keys: list[dict[str, Any]]) -> Path:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": keys}))
    return path


def test_jwks_files_with_private_or_symmetric_keys_are_refused(tmp_path: Path, ehr: Ehr) -> None:
    from jwt.algorithms import ECAlgorithm

    private = json.loads(ECAlgorithm.to_jwk(ehr.private_key))
    with pytest.raises(ValueError, match="private"):
        load_jwks(_jwks_file(tmp_path, [{**private, "kid": "k"}]))
    with pytest.raises(ValueError, match="private or symmetric"):
        load_jwks(_jwks_file(tmp_path, [{"kty": "oct", "k": "c2VjcmV0", "kid": "k"}]))
    with pytest.raises(ValueError, match="kid"):
        load_jwks(_jwks_file(tmp_path, [{k: v for k, v in ehr.jwks()["keys"][0].items() if k != "kid"}]))
    with pytest.raises(ValueError, match="JWK Set"):
        load_jwks(_jwks_file(tmp_path, []))
    with pytest.raises(ValueError, match="cannot read"):
        load_jwks(tmp_path / "missing.json")
    assert list(load_jwks(_jwks_file(tmp_path, ehr.jwks()["keys"]))) == [ehr.kid]
