"""CDS Hooks under hostile requests: what an external JWT and SSRF probe sends, and what it must get back.

Sources:
- CDS Hooks 2.0, "Trusting CDS Clients": the JWT travels in ``Authorization: Bearer``; ``exp`` and ``iat`` are
  numbers (seconds since the epoch); ``jti`` is a nonce against replay; discovery needs no JWT from us.
- CDS Hooks 2.0, "FHIR Resource Access": ``fhirServer`` and ``fhirAuthorization`` come in the request *body*,
  which the JWT does not sign. OWASP Server-Side Request Forgery Prevention Cheat Sheet: a server that makes
  requests to URLs taken from input must check them against an allow-list of destinations.
- RFC 7519 section 2 (NumericDate: a JSON numeric value), RFC 7515 section 4.1.11 (``crit``: a recipient that
  does not understand a listed extension MUST reject the JWS), RFC 6750 section 3.1 (``invalid_request``, 400,
  for a request that repeats a parameter or uses more than one method to send a token), RFC 9110 section 11.4
  (``credentials = auth-scheme [ 1*SP token68 ]``: one or more spaces), section 8.4 and 15.5.16 (a content
  coding the server does not apply: 415), RFC 3986 section 5.2.4 (dot segments: ``Patient/..`` is another path).
"""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from micromets.api import cdsfetch, create_app
from micromets.api.cdshooks import SERVICE_ID
from micromets.api.security import SecuritySettings

from _auth import BASE_URL, Ehr, anonymous_client
from _loopback import Loopback

PATH = f"/cds-services/{SERVICE_ID}"
AUD = BASE_URL + PATH
BODY = {"hook": "patient-view", "hookInstance": "0b7c1f3e-5d7a-4c8e-9f1a-2b3c4d5e6f70",
        "context": {"userId": "Practitioner/1", "patientId": "p1"}}
ALLOWED_FHIR = "https://fhir.hospital.example.org/r4"


@pytest.fixture(scope="module")
def open_ehr() -> Ehr:
    """A trusted EHR whose trust-file entry lists no FHIR servers."""
    return Ehr("https://ehr.example.org", "ES384", kid="ehr-1")


@pytest.fixture(scope="module")
def listed_ehr() -> Ehr:
    """A trusted EHR whose trust-file entry lists exactly one FHIR server."""
    return Ehr("https://ehr2.example.org", "ES384", kid="ehr2-1")


@pytest.fixture
def app(open_ehr: Ehr, listed_ehr: Ehr, tmp_path: Path) -> FastAPI:
    open_ehr.write_jwks(tmp_path / "open.json")
    listed_ehr.write_jwks(tmp_path / "listed.json")
    trust = tmp_path / "trust.json"
    trust.write_text(json.dumps({"clients": [
        {"iss": open_ehr.issuer, "jwks_file": "open.json"},
        {"iss": listed_ehr.issuer, "jwks_file": "listed.json", "fhir_servers": [ALLOWED_FHIR]}]}))
    return create_app(settings=SecuritySettings(cds_trust=str(trust)))


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return anonymous_client(app)


@pytest.fixture
def fetches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The FHIR servers micromets tried to query (the query itself is replaced by a failure: no network)."""
    servers: list[str] = []

    async def recorded(base: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        servers.append(base)
        raise cdsfetch.FetchError("the FHIR server was not asked (test)")

    monkeypatch.setattr(cdsfetch, "fetch_missing", recorded)
    return servers


def _with_fhir_access(server: str, patient_id: str = "p1") -> dict[str, Any]:
    return {**BODY, "context": {"userId": "Practitioner/1", "patientId": patient_id}, "fhirServer": server,
            "fhirAuthorization": {"access_token": "secret-access-token", "token_type": "Bearer", "expires_in": 300,
                                  "scope": "user/Observation.read", "subject": "micromets"}}


def _call(client: TestClient, token: str | None, body: Any = None, **kwargs: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.post(PATH, json=BODY if body is None else body, headers=headers, **kwargs)


def _refused(response: httpx.Response, words: str) -> None:
    assert response.status_code == 401, response.text
    assert 'error="invalid_token"' in response.headers["www-authenticate"] or words == "bearer"
    (problem,) = response.json()["detail"]
    assert problem["field"] == "(authorization)"
    assert words.lower() in problem["message"].lower(), problem


def _signed(ehr: Ehr, claims: dict[str, Any], **header: Any) -> str:
    """A JWS over exactly these claims: PyJWT's encoder would refuse the malformed ones a probe sends."""
    headers = {"kid": ehr.kid, "typ": "JWT", **header}
    return jwt.api_jws.PyJWS().encode(json.dumps(claims).encode(), ehr.private_key, algorithm="ES384",
                                      headers=headers)


# SSRF: fhirServer comes from the unsigned body


@pytest.mark.parametrize("server", [
    "https://127.0.0.1/fhir", "https://localhost:8443/fhir", "https://[::1]/fhir",
    "https://169.254.169.254/latest/meta-data", "https://10.0.0.1/fhir", "https://metadata.google.internal/",
    "https://fhir.example.org/r4",  # public, plausible, but not listed for this client
    ALLOWED_FHIR,  # listed, but for the other client: one EHR's list opens nothing to another
])
def test_a_client_that_lists_no_fhir_server_makes_micromets_query_none(client: TestClient, open_ehr: Ehr,
                                                                         fetches: list[str], server: str) -> None:
    """OWASP SSRF: destinations from input need an allow-list; an empty list allows nothing (deny by default)."""
    response = _call(client, open_ehr.token(AUD), _with_fhir_access(server))
    assert response.status_code == 412, response.text
    (problem,) = response.json()["detail"]
    assert problem["field"] == "fhirServer" and "fhir_servers" in problem["message"]
    assert fetches == []


@pytest.mark.parametrize("server", [
    ALLOWED_FHIR + "/../admin", ALLOWED_FHIR + "@127.0.0.1", ALLOWED_FHIR + "?_format=xml", ALLOWED_FHIR + "#x",
    ALLOWED_FHIR + "/Patient", ALLOWED_FHIR.replace("https:", "http:"), ALLOWED_FHIR.replace("/r4", "/R4"),
    ALLOWED_FHIR.replace(".org", ".org:8443"), "https://fhir.hospital.example.org:99999/r4",
    "https://fhir.hospital.example.org.evil.example/r4", "https://127.0.0.1/r4",
])
def test_only_a_listed_fhir_server_itself_is_queried(client: TestClient, listed_ehr: Ehr, fetches: list[str],
                                                    server: str) -> None:
    response = _call(client, listed_ehr.token(AUD), _with_fhir_access(server))
    assert response.status_code == 412, response.text
    assert response.json()["detail"][0]["field"] == "fhirServer"
    assert fetches == []


@pytest.mark.parametrize("server", [
    ALLOWED_FHIR, ALLOWED_FHIR + "/",
    # RFC 3986 section 6.2.2.1: scheme and host are case-insensitive; 6.2.3: the default port is the same server
    "HTTPS://FHIR.HOSPITAL.EXAMPLE.ORG/r4", "Https://Fhir.Hospital.Example.Org/r4/",
    "https://fhir.hospital.example.org:443/r4",
])
def test_the_listed_fhir_server_is_queried(client: TestClient, listed_ehr: Ehr, fetches: list[str],
                                           server: str) -> None:
    response = _call(client, listed_ehr.token(AUD), _with_fhir_access(server))
    assert response.status_code == 412  # the (replaced) query failed: it was attempted
    assert response.json()["detail"][0]["message"].startswith("the FHIR server was not asked (test)")
    assert fetches == [ALLOWED_FHIR]  # the listed URL itself, not the spelling the body sent


def test_a_trust_file_entry_in_capitals_is_the_same_server(tmp_path: Path, listed_ehr: Ehr, fetches: list[str]) -> None:
    """The allow-list side is normalised the same way (RFC 3986 section 6.2.2.1)."""
    listed_ehr.write_jwks(tmp_path / "listed.json")
    trust = tmp_path / "trust.json"
    trust.write_text(json.dumps({"clients": [{"iss": listed_ehr.issuer, "jwks_file": "listed.json",
                                              "fhir_servers": ["HTTPS://FHIR.Hospital.Example.org:443/r4/"]}]}))
    client = anonymous_client(create_app(settings=SecuritySettings(cds_trust=str(trust))))
    assert _call(client, listed_ehr.token(AUD), _with_fhir_access(ALLOWED_FHIR)).status_code == 412
    assert fetches == [ALLOWED_FHIR]


@pytest.mark.parametrize("patient_id", [".", "..", "..."])
def test_a_patient_id_of_dots_never_reaches_a_fetch_path(patient_id: str, tmp_path: Path, listed_ehr: Ehr) -> None:
    """``[A-Za-z0-9\\-.]{1,64}`` (the FHIR id pattern) admits "..", but ``Patient/..`` is the server's base."""
    with pytest.raises(cdsfetch.FetchError, match="context.patientId"):
        cdsfetch.query_url(ALLOWED_FHIR, "Patient/{{context.patientId}}", {"patientId": patient_id})
    with Loopback() as fhir:
        listed_ehr.write_jwks(tmp_path / "listed.json")
        trust = tmp_path / "trust.json"
        trust.write_text(json.dumps({"clients": [{"iss": listed_ehr.issuer, "jwks_file": "listed.json",
                                                  "fhir_servers": [fhir.base + "/fhir"]}]}))
        client = anonymous_client(create_app(settings=SecuritySettings(cds_trust=str(trust))))
        response = _call(client, listed_ehr.token(AUD), _with_fhir_access(fhir.base + "/fhir", patient_id))
        assert response.status_code == 412, response.text
        assert fhir.requests == []


# The JWT


@pytest.mark.parametrize("claim", ["exp", "iat", "nbf"])
@pytest.mark.parametrize("kind", ["string", "boolean", "object"])
def test_time_claims_must_be_json_numbers(client: TestClient, open_ehr: Ehr, claim: str, kind: str) -> None:
    """RFC 7519: exp, iat and nbf are NumericDates (JSON numbers); "1700000000", true or an object are not."""
    claims = open_ehr.claims(AUD)
    seconds = claims["iat"] + 60 if claim == "exp" else claims["iat"]
    claims[claim] = {"string": str(seconds), "boolean": True, "object": {"seconds": seconds}}[kind]
    _refused(_call(client, _signed(open_ehr, claims)), claim)


@pytest.mark.parametrize("exp", [10**30, 1e308, 2**63])
def test_an_exp_beyond_any_date_is_refused_not_a_server_error(client: TestClient, open_ehr: Ehr, exp: Any) -> None:
    """A signed JWT whose exp overflowed a datetime gave 500; it is simply too far ahead (at most 5 minutes)."""
    _refused(_call(client, _signed(open_ehr, open_ehr.claims(AUD, exp=exp))), "ahead")


@pytest.mark.parametrize("jti", ["a\x00b", "line\nbreak", "tab\there", "\x7f"])
def test_a_jti_with_control_characters_is_refused(client: TestClient, open_ehr: Ehr, jti: str) -> None:
    """The jti is stored to detect replay (PostgreSQL text cannot hold NUL) and may be logged."""
    _refused(_call(client, _signed(open_ehr, open_ehr.claims(AUD, jti=jti))), "jti")


def test_an_unknown_critical_header_is_refused(client: TestClient, open_ehr: Ehr) -> None:
    """RFC 7515 4.1.11: a JWS whose crit lists an extension the recipient does not understand MUST be rejected."""
    response = _call(client, _signed(open_ehr, open_ehr.claims(AUD), crit=["urn:example:policy"],
                                     **{"urn:example:policy": "x"}))
    assert response.status_code == 401


def test_a_key_embedded_in_the_jwt_header_is_never_used(client: TestClient, open_ehr: Ehr) -> None:
    """A JWT carrying its own key (``jwk``, ``x5u``) would verify itself; only the trust file's keys count (RFC 8725
    3.10), so such a JWT is refused outright, and without them the attacker's signature does not verify."""
    attacker = Ehr(open_ehr.issuer, "ES384", kid=open_ehr.kid)
    (public,) = attacker.jwks()["keys"]
    _refused(_call(client, attacker.sign(attacker.claims(AUD), jwk=public)), "jwk")
    _refused(_call(client, attacker.sign(attacker.claims(AUD), x5u="https://attacker.example/cert.pem")), "x5u")
    _refused(_call(client, attacker.sign(attacker.claims(AUD))), "signature")


class _Redirector:
    """A loopback server answering every GET with ``302 Location: target`` (a key set URL that moved elsewhere)."""

    def __init__(self, target: str) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the http.server hook name)
                self.send_response(302)
                self.send_header("Location", target)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/jwks.json"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_jwks_url_that_redirects_is_not_followed(tmp_path: Path) -> None:
    """The key set comes from the configured URL only: a redirect (to keys an attacker serves) is not followed,
    so the call is refused (401, not 500) and the other server is never asked."""
    attacker = Ehr("https://moved-ehr.example.org", "ES384", kid="moved-1")
    with Loopback() as elsewhere:
        elsewhere.routes["/jwks.json"] = attacker.jwks()
        redirector = _Redirector(elsewhere.base + "/jwks.json")
        try:
            trust = tmp_path / "trust.json"
            trust.write_text(json.dumps({"clients": [{"iss": attacker.issuer, "jwks_url": redirector.url}]}))
            client = anonymous_client(create_app(settings=SecuritySettings(cds_trust=str(trust))))
            _refused(_call(client, attacker.token(AUD)), "cannot be fetched")
            _refused(_call(client, attacker.sign(attacker.claims(AUD), jku=elsewhere.base + "/jwks.json")), "jku")
        finally:
            redirector.close()
        assert elsewhere.requests == []


def test_the_jwt_is_taken_from_the_authorization_header_only(client: TestClient, open_ehr: Ehr) -> None:
    for name in ("access_token", "jwt", "token"):
        response = client.post(f"{PATH}?{name}={open_ehr.token(AUD)}", json=BODY)
        _refused(response, "bearer")
    response = client.post(PATH, json=BODY, headers={"Cookie": f"access_token={open_ehr.token(AUD)}"})
    _refused(response, "bearer")


@pytest.mark.parametrize("form", ["Bearer  {}", "Bearer {}  ", "bearer {}", "BEARER {}"])
def test_spaces_and_the_case_of_bearer_are_as_http_allows(client: TestClient, open_ehr: Ehr, form: str) -> None:
    """RFC 9110 11.1 and 11.4: the scheme is case-insensitive and 1*SP may separate it from the token; the
    field value's trailing whitespace is not part of it."""
    response = client.post(PATH, json=BODY, headers={"Authorization": form.format(open_ehr.token(AUD))})
    assert response.status_code == 200, response.text


def test_whitespace_inside_the_token_is_refused(client: TestClient, open_ehr: Ehr) -> None:
    token = open_ehr.token(AUD)
    _refused(_call(client, token[:30] + " " + token[30:]), "well-formed")


def _two_authorizations(client: TestClient, first: str, second: str) -> httpx.Response:
    request = client.build_request("POST", PATH, json=BODY)
    request.headers = httpx.Headers([*request.headers.multi_items(), ("authorization", first),
                                     ("authorization", second)])
    return client.send(request)


def test_two_authorization_headers_are_an_invalid_request(client: TestClient, open_ehr: Ehr) -> None:
    """RFC 6750 3.1: a request that repeats the credentials is invalid_request (400), whichever comes first: a
    proxy that checked one and a service that read the other would disagree on who called."""
    for first, second in ((f"Bearer {open_ehr.token(AUD)}", "Bearer x.y.z"),
                          ("Bearer x.y.z", f"Bearer {open_ehr.token(AUD)}")):
        response = _two_authorizations(client, first, second)
        assert response.status_code == 400, response.text
        assert 'error="invalid_request"' in response.headers["www-authenticate"]
        assert response.json()["detail"][0]["field"] == "(authorization)"


def test_a_compressed_body_is_415_naming_the_content_encoding(client: TestClient, open_ehr: Ehr) -> None:
    raw = json.dumps(BODY).encode()
    for body in (gzip.compress(raw), raw):  # a real gzip body, and plain JSON merely labelled gzip
        response = client.post(PATH, content=body, headers={"Authorization": f"Bearer {open_ehr.token(AUD)}",
                                                            "Content-Type": "application/json",
                                                            "Content-Encoding": "gzip"})
        assert response.status_code == 415, response.text
        assert response.json()["detail"][0]["field"] == "(content-encoding)"
        assert response.headers["accept-encoding"] == "identity"


def test_discovery_stays_public_whatever_the_caller_sends(client: TestClient) -> None:
    """The spec lets a client send a JWT to discovery too; discovery holds no patient data and needs none."""
    for headers in ({}, {"Authorization": "Bearer not-a-jwt"}, {"Authorization": "Basic dTpw"}):
        response = client.get("/cds-services", headers=headers)
        assert response.status_code == 200 and response.json()["services"][0]["id"] == SERVICE_ID
    head = client.head("/cds-services")
    assert head.status_code == 200 and head.content == b""


def test_refusals_name_no_key_material(client: TestClient, open_ehr: Ehr) -> None:
    """A refused JWT's message says what is wrong, never the key, the token or the expected signature."""
    token = _signed(open_ehr, open_ehr.claims(AUD, exp="soon"))
    response = _call(client, token)
    assert response.status_code == 401
    text = response.text
    (public,) = open_ehr.jwks()["keys"]
    assert token.split(".")[2] not in text and public["x"] not in text
    assert base64.urlsafe_b64encode(b"soon").decode().rstrip("=") not in text


# Cards: text that echoes the request stays text


_MARKUP = "<img src=x onerror=alert(1)>[open](javascript:alert(2))<https://evil.example>&lt;b&gt;"


def _rendered_details(response: httpx.Response) -> list[str]:
    """Every card detail as an EHR renders it: CommonMark with raw HTML allowed (the permissive worst case of the
    spec's GitHub Flavored Markdown)."""
    from markdown_it import MarkdownIt  # installed with rich, a dependency of micromets

    renderer = MarkdownIt("commonmark", {"html": True})
    assert response.status_code == 200, response.text
    return [renderer.render(card["detail"]) for card in response.json()["cards"]]


def _inert(html: str) -> bool:
    """No element came from the request: card details hold lists and emphasis, never images or links."""
    return "<img" not in html and "<a " not in html


def test_request_text_in_cards_renders_as_text_not_markup(client: TestClient, open_ehr: Ehr) -> None:
    """CDS Hooks "Card": detail is GitHub Flavored Markdown, which passes raw HTML and links through. A FHIR value
    or a patient id sent to micromets and quoted back in a card must render as the characters sent (OWASP XSS
    Prevention: encode for the output context), not become an image, a link or an entity in the EHR."""
    from micromets.api.services import example_data
    from micromets.assess import assess
    from micromets.interop.fhir import to_bundle
    from micromets.model import parse_case

    case = parse_case(example_data("pn1mi"))
    bundle = to_bundle(assess(case), case)
    patient_id = next(e["resource"]["id"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    bundle["entry"].append({"fullUrl": "urn:uuid:5b7c1f3e-5d7a-4c8e-9f1a-2b3c4d5e6f71", "resource": {
        "resourceType": "Observation", "status": "final", "subject": {"reference": f"Patient/{patient_id}"},
        "code": {"coding": [{"system": "http://loinc.org", "code": _MARKUP}], "text": _MARKUP},
        "valueString": _MARKUP}})
    body = {**BODY, "context": {"patientId": patient_id}, "prefetch": {"all": bundle}}
    details = _rendered_details(_call(client, open_ehr.token(AUD), body))  # a card of the value not used
    echoed = [d for d in details if "onerror" in d]
    assert echoed, details  # the value is shown, as text
    assert all(_inert(d) for d in details), echoed
    # A patient id is a FHIR id (patient-view: "The FHIR Patient.id"): markup there never reaches a card.
    response = _call(client, open_ehr.token(AUD), {**body, "context": {"patientId": _MARKUP}})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "context.patientId"
    assert "onerror" not in response.text
