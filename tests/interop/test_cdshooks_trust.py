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


# --- sub: the client_id of the CDS client -----------------------------------------------------------------------
# CDS Hooks 1.0, "Trusting EHRs": payload "sub | REQUIRED | string | Client_id of the EHR" and "CDS Services SHOULD
# whitelist the iss, jku and sub fields to only the EHRs they trust". CDS Hooks 2.0 ("Trusting CDS Clients") dropped
# sub from the table and allow-lists iss and jku only: so sub stays optional unless the trust file lists the
# client's client_ids, and then it is required and must be one of them. A sub that is sent must be a string (RFC 7519
# section 4.1.2: "a case-sensitive string"), kept short and printable like tenant and jti (it may reach a log line).


@pytest.fixture(scope="module")
def sub_trust(tmp_path_factory: pytest.TempPathFactory, ec: Ehr, rsa: Ehr) -> Path:
    folder = tmp_path_factory.mktemp("sub")
    ec.write_jwks(folder / "ec.json")
    rsa.write_jwks(folder / "rsa.json")
    path = folder / "cds-trust.json"
    path.write_text(json.dumps({"clients": [
        {"iss": EC_ISS, "jwks_file": "ec.json", "client_ids": ["ehr-cds-client", "ehr-cds-client-2"]},
        {"iss": RSA_ISS, "jwks_file": "rsa.json"},  # no client_ids: sub optional
    ]}))
    return path


@pytest.fixture
def sub_client(sub_trust: Path) -> TestClient:
    return anonymous_client(create_app(settings=SecuritySettings(cds_trust=str(sub_trust))))


def test_a_configured_client_id_is_accepted_as_sub(sub_client: TestClient, ec: Ehr) -> None:
    for sub in ("ehr-cds-client", "ehr-cds-client-2"):
        response = _call(sub_client, ec.token(AUD, sub=sub))
        assert response.status_code == 200, response.text


@pytest.mark.parametrize(("sub", "words"), [
    (None, "no sub claim"),
    ("another-client", "not a client_id"),
    ("EHR-CDS-CLIENT", "not a client_id"),  # RFC 7519: StringOrURI values compare case-sensitively
    ("ehr-cds-client ", "not a client_id"),
])
def test_with_client_ids_a_jwt_without_one_of_them_is_401(sub_client: TestClient, ec: Ehr, sub: str | None,
                                                          words: str) -> None:
    response = _call(sub_client, ec.token(AUD, sub=sub))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    message = response.json()["detail"][0]["message"]
    assert words in message and "ehr-cds-client" not in message  # the allowed ids are not told to the caller


def test_a_client_id_of_another_client_does_not_pass(sub_client: TestClient, rsa: Ehr) -> None:
    """The allow-list is per client: the RSA client (no client_ids) may send any well-formed sub, and its JWTs
    are never checked against the EC client's list."""
    assert _call(sub_client, rsa.token(AUD)).status_code == 200
    assert _call(sub_client, rsa.token(AUD, sub="ehr-cds-client")).status_code == 200
    assert _call(sub_client, rsa.token(AUD, sub="rsa-own-client-id")).status_code == 200


@pytest.mark.parametrize("sub", [7, True, ["ehr-cds-client"], {"id": "x"}, "", "x" * 256, "ehr\ncds", "a\x00b"])
def test_a_malformed_sub_is_401_whatever_the_configuration(client: TestClient, sub_client: TestClient, ec: Ehr,
                                                           rsa: Ehr, sub: Any) -> None:
    for caller, ehr in ((client, ec), (sub_client, rsa), (sub_client, ec)):
        response = _call(caller, ehr.token(AUD, sub=sub))
        assert response.status_code == 401, (sub, response.text)
        assert "sub" in response.json()["detail"][0]["message"].lower()


def test_without_client_ids_sub_stays_optional(client: TestClient, ec: Ehr) -> None:
    """CDS Hooks 2.0 has no sub claim: a trust file without client_ids accepts JWTs with or without one."""
    assert _call(client, ec.token(AUD)).status_code == 200
    assert _call(client, ec.token(AUD, sub="client_id")).status_code == 200  # the 1.0 example's value


@pytest.mark.parametrize("client_ids", ["ehr-cds-client", [""], [7], ["x" * 256], ["a\nb"]])
def test_bad_client_ids_are_refused_at_start(tmp_path: Path, ec: Ehr, client_ids: Any) -> None:
    ec.write_jwks(tmp_path / "ec.json")
    path = tmp_path / "trust.json"
    path.write_text(json.dumps({"clients": [{"iss": EC_ISS, "jwks_file": "ec.json", "client_ids": client_ids}]}))
    with pytest.raises(ValueError, match="client_ids"):
        CdsTrust.from_files({}, path)


def test_client_ids_are_loaded(sub_trust: Path) -> None:
    ec_client, rsa_client = load_trust_file(sub_trust)
    assert ec_client.client_ids == {"ehr-cds-client", "ehr-cds-client-2"} and not rsa_client.client_ids


def test_a_sub_sent_as_null_is_malformed_not_absent(client: TestClient, ec: Ehr) -> None:
    """RFC 7519 section 4.1.2: ``sub`` is a StringOrURI; ``null`` is neither, so it is refused, not read as absent."""
    claims = ec.claims(AUD)
    claims["sub"] = None
    response = _call(client, ec.sign(claims))
    assert response.status_code == 401 and "sub" in response.json()["detail"][0]["message"].lower()


def test_an_empty_client_ids_list_is_refused_at_start_not_read_as_any_sub(tmp_path: Path, ec: Ehr) -> None:
    """OWASP Authorization Cheat Sheet, "Deny by default": an allow-list given empty allowed every sub (as if it were
    left out), failing open; it is refused, saying to leave the field out for CDS Hooks 2.0's optional sub."""
    ec.write_jwks(tmp_path / "ec.json")
    path = tmp_path / "trust.json"
    path.write_text(json.dumps({"clients": [{"iss": EC_ISS, "jwks_file": "ec.json", "client_ids": []}]}))
    with pytest.raises(ValueError, match="client_ids .*leave the field out"):
        CdsTrust.from_files({}, path)


def test_a_trust_file_that_gives_a_name_twice_is_refused_at_start(tmp_path: Path, ec: Ehr) -> None:
    """RFC 8259 section 4 (names SHOULD be unique; implementations differ on which one they keep): with
    ``"client_ids"`` given twice, json.loads kept the last one silently, here the empty list that allowed any sub."""
    ec.write_jwks(tmp_path / "ec.json")
    path = tmp_path / "trust.json"
    client = f'{{"iss": "{EC_ISS}", "jwks_file": "ec.json", "client_ids": ["ehr-cds-client"], "client_ids": []}}'
    path.write_text('{"clients": [' + client + "]}")
    with pytest.raises(ValueError, match="client_ids.*more than once"):
        CdsTrust.from_files({}, path)
