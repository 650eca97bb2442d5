"""The CDS Hooks trust file (``micromets serve --cds-trust``) and the probe of issue 10.

Sources: CDS Hooks 2.0, "Trusting CDS Clients" (header ``alg``/``kid``/``typ`` REQUIRED, ``jku`` OPTIONAL;
claims ``iss``, ``aud``, ``exp``, ``iat``, ``jti`` REQUIRED, ``tenant`` OPTIONAL; ``aud`` the URL of the
endpoint called; "an allowlist of the iss and jku fields"; ``none`` and symmetric algorithms SHALL NOT be
used; ES384 and RS384 RECOMMENDED) and issue 10 (``exp`` at most 5 minutes ahead, a ``jti`` replay cache,
401 otherwise). Keys are generated here; the JWK Set URL is a loopback server.
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
from fastapi import FastAPI
from fastapi.testclient import TestClient

from micromets.api import create_app
from micromets.api.cdsauth import CdsTrust, JwksUrl, load_trust_file
from micromets.api.cdshooks import SERVICE_ID
from micromets.api.security import SecuritySettings

from _auth import BASE_URL, Ehr, anonymous_client
from _loopback import Loopback

PATH = f"/cds-services/{SERVICE_ID}"
AUD = BASE_URL + PATH
BODY = {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"userId": "Practitioner/1", "patientId": "p1"}}
EC_ISS, RSA_ISS, URL_ISS = "https://ehr.example.org", "https://rsa-ehr.example.org", "https://url-ehr.example.org"


@pytest.fixture(scope="module")
def ec() -> Ehr:
    return Ehr(EC_ISS, "ES384", kid="ec-1")


@pytest.fixture(scope="module")
def rsa() -> Ehr:
    return Ehr(RSA_ISS, "RS384", kid="rsa-1")


@pytest.fixture(scope="module")
def by_url() -> Ehr:
    return Ehr(URL_ISS, "ES384", kid="url-1")


@pytest.fixture(scope="module")
def jwks_server(by_url: Ehr) -> Any:
    with Loopback() as server:
        server.routes["/jwks.json"] = by_url.jwks()
        yield server


@pytest.fixture(scope="module")
def trust_file(tmp_path_factory: pytest.TempPathFactory, ec: Ehr, rsa: Ehr, jwks_server: Loopback) -> Path:
    folder = tmp_path_factory.mktemp("trust")
    ec.write_jwks(folder / "ec.json")
    rsa.write_jwks(folder / "rsa.json")
    path = folder / "cds-trust.json"
    path.write_text(json.dumps({"clients": [
        {"iss": EC_ISS, "jwks_file": "ec.json"},
        {"iss": RSA_ISS, "jwks_file": str(folder / "rsa.json")},
        {"iss": URL_ISS, "jwks_url": jwks_server.base + "/jwks.json"},
    ]}))
    return path


@pytest.fixture
def app(trust_file: Path) -> FastAPI:
    return create_app(settings=SecuritySettings(cds_trust=str(trust_file)))


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return anonymous_client(app)


def _call(client: TestClient, token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.post(PATH, json=BODY, headers=headers)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode()) + "."


def _probe(ec: Ehr) -> dict[str, str | None]:
    """Issue 10's probe: each of these must get 401."""
    now = int(time.time())
    forger = Ehr(EC_ISS, "ES384", kid=ec.kid)  # the trusted issuer and kid, another private key
    head, payload, _ = ec.token(AUD).split(".")
    hs_header = {"alg": "HS256", "typ": "JWT", "kid": ec.kid}
    hs_unsigned = _unsigned(hs_header, ec.claims(AUD)).rstrip(".")
    hs = hs_unsigned + "." + _b64(hmac.new(json.dumps(ec.jwks()["keys"][0]).encode(), hs_unsigned.encode(),
                                           hashlib.sha256).digest())
    return {
        "missing token": None,
        "forged signature": forger.token(AUD),
        "signature of another payload": f"{head}.{payload}.{ec.token(AUD).split('.')[2]}",
        "expired": ec.token(AUD, iat=now - 900, exp=now - 300),
        "wrong aud": ec.token(BASE_URL + "/cds-services/another-service"),
        "unknown iss": Ehr("https://stranger.example.org", "ES384", kid=ec.kid).token(AUD),
        "alg none": _unsigned({"alg": "none", "typ": "JWT", "kid": ec.kid}, ec.claims(AUD)),
        "HS256 with the public key as secret": hs,
        "exp too far ahead": ec.token(AUD, exp=now + 3600),
    }


def test_the_probe_gets_401_every_time(client: TestClient, ec: Ehr) -> None:
    for name, token in _probe(ec).items():
        response = _call(client, token)
        assert response.status_code == 401, (name, response.text)
        assert response.headers["www-authenticate"].startswith("Bearer"), name


def test_a_replayed_jti_gets_401(client: TestClient, ec: Ehr) -> None:
    token = ec.token(AUD)
    assert _call(client, token).status_code == 200
    assert _call(client, token).status_code == 401


def test_valid_es384_and_rs384_from_jwks_files_get_200(client: TestClient, ec: Ehr, rsa: Ehr) -> None:
    for ehr in (ec, rsa):
        response = _call(client, ehr.token(AUD))
        assert response.status_code == 200, response.text
        assert response.json()["cards"]


def test_keys_from_a_jwks_url(client: TestClient, by_url: Ehr, jwks_server: Loopback) -> None:
    assert _call(client, by_url.token(AUD)).status_code == 200
    fetched = [r for r in jwks_server.requests if r["path"] == "/jwks.json"]
    assert fetched, "the JWK Set was not fetched from its URL"
    # The configured URL is the client's allowed jku; another jku is refused (and never fetched).
    assert _call(client, by_url.sign(by_url.claims(AUD), jku=jwks_server.base + "/jwks.json")).status_code == 200
    assert _call(client, by_url.sign(by_url.claims(AUD), jku=jwks_server.base + "/other.json")).status_code == 401
    assert not [r for r in jwks_server.requests if r["path"] == "/other.json"]
    assert _call(client, Ehr(URL_ISS, "ES384", kid="url-1").token(AUD)).status_code == 401  # forged


def test_the_jwks_url_is_kept_not_fetched_per_call(by_url: Ehr, jwks_server: Loopback) -> None:
    source = JwksUrl(jwks_server.base + "/jwks.json")
    before = len(jwks_server.requests)
    for _ in range(5):
        assert source.key(by_url.kid) is not None
    assert source.key("unknown-kid") is None  # within min_interval: no new fetch
    assert len(jwks_server.requests) - before == 1


def test_a_rotated_key_is_fetched_when_its_kid_is_new(jwks_server: Loopback) -> None:
    old, new = Ehr(URL_ISS, "ES384", kid="old"), Ehr(URL_ISS, "ES384", kid="new")
    jwks_server.routes["/rotating.json"] = old.jwks()
    source = JwksUrl(jwks_server.base + "/rotating.json", min_interval=0)
    assert source.key("old") is not None and source.key("new") is None
    jwks_server.routes["/rotating.json"] = new.jwks()
    assert source.key("new") is not None


def test_an_unreachable_jwks_url_gives_401_not_500(tmp_path: Path, by_url: Ehr) -> None:
    path = tmp_path / "trust.json"
    path.write_text(json.dumps({"clients": [{"iss": URL_ISS, "jwks_url": "http://127.0.0.1:9/jwks.json"}]}))
    client = anonymous_client(create_app(settings=SecuritySettings(cds_trust=str(path))))
    response = _call(client, by_url.token(AUD))
    assert response.status_code == 401
    assert "cannot be fetched" in response.json()["detail"][0]["message"]


def test_cds_jwks_and_cds_trust_together(tmp_path: Path, ec: Ehr, trust_file: Path) -> None:
    other = Ehr("https://other.example.org", "RS384", kid="o")
    settings = SecuritySettings(cds_jwks={other.issuer: other.write_jwks(tmp_path / "o.json")}, cds_trust=str(trust_file))
    client = anonymous_client(create_app(settings=settings))
    assert _call(client, other.token(AUD)).status_code == 200
    assert _call(client, ec.token(AUD)).status_code == 200


def test_public_url_is_the_audience(trust_file: Path, ec: Ehr) -> None:
    settings = SecuritySettings(cds_trust=str(trust_file), public_url="https://cds.hospital.org",
                                allowed_hosts=("localhost",))
    client = anonymous_client(create_app(settings=settings))
    assert _call(client, ec.token("https://cds.hospital.org" + PATH)).status_code == 200
    assert _call(client, ec.token(AUD)).status_code == 401


@pytest.mark.parametrize(("content", "words"), [
    ({"clients": [{"iss": EC_ISS}]}, "exactly one of jwks_file and jwks_url"),
    ({"clients": [{"iss": EC_ISS, "jwks_file": "a.json", "jwks_url": "https://x.example/j"}]}, "exactly one"),
    ({"clients": [{"iss": EC_ISS, "jwks_url": "http://ehr.example.org/jwks"}]}, "https://"),
    ({"clients": [{"iss": EC_ISS, "jwks_url": "https://ehr.example.org/j", "fhir_servers": ["ftp://x"]}]}, "https://"),
    ({"clients": [{"iss": "", "jwks_url": "https://ehr.example.org/j"}]}, "iss"),
    ({"clients": [{"iss": EC_ISS, "jwks_url": "https://ehr.example.org/j", "secret": "x"}]}, "unknown field"),
    ({"clients": [{"iss": EC_ISS, "jwks_url": "https://a.example/j"}, {"iss": EC_ISS, "jwks_url": "https://b.example/j"}]},
     "configured twice"),
    ({"issuers": []}, "clients"),
    ({"clients": [{"iss": EC_ISS, "jwks_file": "missing.json"}]}, "cannot read"),
])
def test_a_bad_trust_file_is_refused_at_start(tmp_path: Path, content: Any, words: str) -> None:
    path = tmp_path / "trust.json"
    path.write_text(json.dumps(content))
    with pytest.raises(ValueError, match=words):
        CdsTrust.from_files({}, path)


def test_trust_file_paths_are_relative_to_the_file(trust_file: Path) -> None:
    clients = load_trust_file(trust_file)
    assert [c.issuer for c in clients] == [EC_ISS, RSA_ISS, URL_ISS]
    assert clients[2].jku and not clients[0].jku
