"""CDS Hooks JWTs that an external probe signs with the trusted client's own key: well signed, yet to be refused.

Each token here carries a valid ES384 signature by a key of the trust file, so only the checks of the token's
content stand between it and the service. Sources:
- CDS Hooks 2.0, "Trusting CDS Clients": the header holds ``alg``, ``kid``, ``typ`` (fixed ``JWT``) and
  optionally ``jku``; the payload ``iss``, ``aud``, ``exp``, ``iat``, ``jti`` and optionally ``tenant`` (a string);
  the JWT authenticates one call (``jti`` against replay). The 5-minute ceiling on ``exp`` is SMART Backend
  Services' ("no more than five minutes in the future"), which micromets applies.
- RFC 7515 section 5.2 and RFC 7519 section 4: a header or claim set with a name given twice may be refused
  (the alternative, taking the last, lets two parsers read two different tokens); RFC 7519 section 5.2 and 7.2
  step 8: ``cty: JWT`` makes the payload a nested JWT; RFC 8725 (JWT BCP) section 3.10: keys named by the token
  itself (``jwk``, ``x5u``, ``x5c``) are not to be trusted, section 3.6: no compression; RFC 8259 section 6:
  NaN and Infinity are not JSON numbers; section 8.1: JSON text is UTF-8.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils
from fastapi.testclient import TestClient

from micromets.api.cdshooks import SERVICE_ID

from _auth import BASE_URL, Ehr, anonymous_client, cds_app

PATH = f"/cds-services/{SERVICE_ID}"
AUD = BASE_URL + PATH
BODY = {"hook": "patient-view", "hookInstance": "1c7e2d3f-5d7a-4c8e-9f1a-2b3c4d5e6f70",
        "context": {"userId": "Practitioner/1", "patientId": "p1"}}


@pytest.fixture(scope="module")
def ehr() -> Ehr:
    return Ehr("https://ehr.example.org", "ES384", kid="probe-1")


@pytest.fixture(scope="module")
def client(ehr: Ehr, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    app = cds_app(ehr, Path(tmp_path_factory.mktemp("jwks")) / "jwks.json")
    return anonymous_client(app, raise_server_exceptions=False)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _signed(ehr: Ehr, header: bytes, payload: bytes) -> str:
    """A compact JWS over exactly these bytes, signed ES384 (RFC 7518 3.4: r and s, 48 bytes each)."""
    signing_input = f"{_b64(header)}.{_b64(payload)}"
    r, s = utils.decode_dss_signature(ehr.private_key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA384())))
    return f"{signing_input}.{_b64(r.to_bytes(48, 'big') + s.to_bytes(48, 'big'))}"


def _header(ehr: Ehr, **extra: Any) -> bytes:
    return json.dumps({"alg": "ES384", "typ": "JWT", "kid": ehr.kid, **extra}).encode()


def _claims(ehr: Ehr, **overrides: Any) -> bytes:
    return json.dumps(ehr.claims(AUD, **overrides)).encode()


def _with(payload: bytes, tail: str) -> bytes:
    """The JSON object ``payload`` with more members written as text (what json.dumps cannot write)."""
    return payload[:-1] + b", " + tail.encode() + b"}"


def _call(client: TestClient, token: str) -> httpx.Response:
    return client.post(PATH, json=BODY, headers={"Authorization": f"Bearer {token}"})


def _refused(response: httpx.Response, *words: str) -> None:
    assert response.status_code == 401, response.text
    (problem,) = response.json()["detail"]
    assert problem["field"] == "(authorization)"
    for word in words:
        assert word.lower() in problem["message"].lower(), problem


def test_the_probe_signs_what_the_service_accepts(client: TestClient, ehr: Ehr) -> None:
    """The signer of this module: a plain token of its making gets cards, so every refusal below is the content's."""
    assert _call(client, _signed(ehr, _header(ehr), _claims(ehr))).status_code == 200


# Names given twice: the signed token must mean one thing to every reader


@pytest.mark.parametrize("claim", ["iss", "aud", "exp", "jti"])
def test_a_claim_given_twice_is_refused_whichever_comes_last(client: TestClient, ehr: Ehr, claim: str) -> None:
    other = {"iss": '"https://attacker.example"', "aud": '"https://other.example/cds-services/x"',
             "exp": str(int(time.time()) + 86_400), "jti": '"replayed"'}[claim]
    trusted_last = b"{" + f'"{claim}": {other}, '.encode() + _claims(ehr)[1:]
    for payload in (_with(_claims(ehr), f'"{claim}": {other}'), trusted_last):
        _refused(_call(client, _signed(ehr, _header(ehr), payload)), claim, "more than once")


def test_a_header_parameter_given_twice_is_refused(client: TestClient, ehr: Ehr) -> None:
    header = b'{"alg": "HS256", "typ": "JWT", "kid": "%s", "alg": "ES384"}' % ehr.kid.encode()
    _refused(_call(client, _signed(ehr, header, _claims(ehr))), "header", "alg", "more than once")


# Numbers that are not JSON numbers, text that is not UTF-8, JSON too deep


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e309", "9" * 400])
@pytest.mark.parametrize("claim", ["exp", "iat", "nbf"])
def test_a_time_that_is_no_json_number_is_refused_naming_the_claim(client: TestClient, ehr: Ehr, claim: str,
                                                                     literal: str) -> None:
    claims = ehr.claims(AUD)
    claims.pop(claim, None)
    payload = _with(json.dumps(claims).encode(), f'"{claim}": {literal}')
    response = _call(client, _signed(ehr, _header(ehr), payload))
    _refused(response, claim)
    assert response.status_code != 500


def test_a_payload_that_is_not_utf8_is_refused(client: TestClient, ehr: Ehr) -> None:
    payload = _with(_claims(ehr), '"tenant": "caf').replace(b'"caf', b'"caf\xe9"')
    _refused(_call(client, _signed(ehr, _header(ehr), payload)), "payload", "utf-8", "well-formed")


@pytest.mark.parametrize("part", ["header", "payload"])
def test_deeply_nested_json_in_a_jwt_is_refused_not_a_server_error(client: TestClient, ehr: Ehr, part: str) -> None:
    deep = '"x": ' + "[" * 5_000 + "]" * 5_000
    header, payload = _header(ehr), _claims(ehr)
    token = _signed(ehr, _with(header, deep), payload) if part == "header" else _signed(ehr, header, _with(payload, deep))
    _refused(_call(client, token), part, "nested")


@pytest.mark.parametrize("payload", [b"[1, 2]", b'"a string"', b"null"])
def test_a_payload_that_is_not_an_object_is_refused(client: TestClient, ehr: Ehr, payload: bytes) -> None:
    _refused(_call(client, _signed(ehr, _header(ehr), payload)), "payload")


# Header parameters micromets does not apply


@pytest.mark.parametrize("extra", [
    {"cty": "JWT"},  # RFC 7519 5.2: the payload would be a nested JWT
    {"zip": "DEF"},  # a compressed payload (RFC 7516 4.1.3; RFC 8725 3.6)
    {"x5u": "https://attacker.example/cert.pem"},  # RFC 8725 3.10: not on any allow-list (SSRF)
    {"x5c": ["MIIBszCCATqgAwIBAgIUZ"]},
    {"jwk": {"kty": "EC", "crv": "P-384", "x": "AA", "y": "AA"}},
])
def test_a_header_naming_its_own_key_or_a_nested_token_is_refused(client: TestClient, ehr: Ehr,
                                                                   extra: dict[str, Any]) -> None:
    (name,) = extra
    _refused(_call(client, _signed(ehr, _header(ehr, **extra), _claims(ehr))), name)


# Times that make no sense together


@pytest.mark.parametrize("age_s", [24 * 3600, 365 * 86_400])
def test_a_jwt_issued_long_before_its_exp_is_refused(client: TestClient, ehr: Ehr, age_s: int) -> None:
    """exp within 5 minutes but iat a day or a year ago: not a JWT signed for this call."""
    now = int(time.time())
    _refused(_call(client, _signed(ehr, _header(ehr), _claims(ehr, iat=now - age_s, exp=now + 60))), "iat")


@pytest.mark.parametrize("iat", [0, -1, -10**9])
def test_an_iat_at_or_before_1970_is_refused(client: TestClient, ehr: Ehr, iat: int) -> None:
    _refused(_call(client, _signed(ehr, _header(ehr), _claims(ehr, iat=iat))), "iat")


def test_an_exp_before_iat_is_refused(client: TestClient, ehr: Ehr) -> None:
    now = int(time.time())  # within the clock-skew leeway, so "expired" alone would let it through
    _refused(_call(client, _signed(ehr, _header(ehr), _claims(ehr, iat=now, exp=now - 5))), "exp", "iat")


def test_an_iat_a_little_before_exp_and_a_fractional_exp_are_accepted(client: TestClient, ehr: Ehr) -> None:
    """RFC 7519 section 2: a NumericDate may be non-integer; 5 minutes from iat to exp is the usual lifetime."""
    now = int(time.time())
    assert _call(client, _signed(ehr, _header(ehr), _claims(ehr, iat=now - 10, exp=now + 290))).status_code == 200
    assert _call(client, _signed(ehr, _header(ehr), _claims(ehr, exp=now + 60.5))).status_code == 200


# tenant: an opaque string (CDS Hooks), never cut or dropped silently


@pytest.mark.parametrize("tenant", [123, ["a"], "", "t" * 300, "a\nb", "nul\x00"])
def test_a_tenant_that_is_not_a_short_printable_string_is_refused(client: TestClient, ehr: Ehr, tenant: Any) -> None:
    _refused(_call(client, _signed(ehr, _header(ehr), _claims(ehr, tenant=tenant))), "tenant")


def test_a_tenant_string_is_accepted(client: TestClient, ehr: Ehr) -> None:
    tenant = "2ddd6c3a-8e9a-44c6-a305-52111ad302a2"  # the spec's example
    assert _call(client, _signed(ehr, _header(ehr), _claims(ehr, tenant=tenant))).status_code == 200


# A JWK Set URL that answers, slowly


class _Trickle:
    """A loopback server that sends a JWK Set's headers at once, then its body one byte every 0.1 s."""

    def __init__(self, body: bytes) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the http.server hook name)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    for byte in body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.1)
                except OSError:  # micromets hung up: what it should do
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/jwks.json"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_jwks_url_trickling_its_answer_is_given_up_on_time(ehr: Ehr) -> None:
    """Each read came within the 0.5 s timeout, so the fetch of a ~1 kB set took ~100 s holding the key set's lock
    (every call of that client waited on it); the whole body now has twice the timeout."""
    from micromets.api.cdsauth import CdsAuthError, JwksUrl

    trickle = _Trickle(json.dumps(ehr.jwks()).encode())
    try:
        keys = JwksUrl(trickle.url, timeout=0.5)
        started = time.monotonic()
        with pytest.raises(CdsAuthError, match="cannot be fetched"):
            keys.key(ehr.kid)
        assert time.monotonic() - started < 5
    finally:
        trickle.close()


@pytest.mark.parametrize(("offset", "words"), [(3600, "expired"), (-3600, "not valid yet")])
def test_the_jwt_times_are_judged_by_the_servers_clock(ehr: Ehr, tmp_path: Path, offset: int, words: str) -> None:
    """RFC 7519 sections 4.1.4 and 4.1.6: exp and iat are judged against "the current date/time", which for the
    server is the clock its replay cache and sessions use (``AccessStore.now``), not only the system clock PyJWT
    reads: a server whose clock is an hour ahead must find a JWT that expired by it expired."""
    import datetime as dt

    from micromets.api.cdsauth import CdsAuthError, CdsTrust

    trust = CdsTrust.from_files({ehr.issuer: ehr.write_jwks(tmp_path / "jwks.json")})
    aud = BASE_URL + f"/cds-services/{SERVICE_ID}"
    now = dt.datetime.now(dt.UTC)
    assert trust.verify(ehr.token(aud), aud, now).issuer == ehr.issuer
    with pytest.raises(CdsAuthError, match=words):
        trust.verify(ehr.token(aud), aud, now + dt.timedelta(seconds=offset))


@pytest.mark.parametrize(("claim", "value"), [("sub", 7), ("sub", 1.5), ("sub", True), ("sub", ["ehr-app"]),
                                              ("sub", {"id": "ehr-app"}), ("jti", 12345), ("jti", ["a"]),
                                              ("jti", {"a": 1})])
def test_a_sub_or_jti_of_another_json_type_is_refused_naming_the_claim(ehr: Ehr, tmp_path: Path, claim: str,
                                                                       value: Any) -> None:
    """RFC 7519 sections 4.1.2 and 4.1.7: ``sub`` and ``jti`` are case-sensitive strings. A number, array or object
    was refused with PyJWT's wording ("Subject must be a string", "JWT ID must be a string"), which names neither
    claim; the refusal names the claim as for any other malformed value, and echoes nothing."""
    import datetime as dt

    from micromets.api.cdsauth import CdsAuthError, CdsTrust

    trust = CdsTrust.from_files({ehr.issuer: ehr.write_jwks(tmp_path / "jwks.json")})
    with pytest.raises(CdsAuthError) as refused:
        trust.verify(ehr.token(AUD, **{claim: value}), AUD, dt.datetime.now(dt.UTC))
    assert str(refused.value) == f"JWT {claim} must be a string of 1 to 255 printable characters"
