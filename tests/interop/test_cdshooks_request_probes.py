"""CDS Hooks request bodies from a hostile-input probe, sent with a valid JWT: what the body holds is checked field by
field, and nothing in it is echoed without bound or reaches the network in a form that cannot be sent.

Sources: CDS Hooks 2.0 patient-view hook (``context.patientId``: "The FHIR Patient.id of the current patient in
context"), FHIR R4 datatype ``id`` (``[A-Za-z0-9\\-\\.]{1,64}``), CDS Hooks 2.0 "FHIR Resource Access"
(``fhirAuthorization.access_token``: an OAuth 2.0 access token, sent as a Bearer token), RFC 6750 section 2.1
(``credentials = "Bearer" 1*SP b64token``; ``b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" )
*"="``).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from micromets.api import cdsfetch, create_app
from micromets.api.cdshooks import SERVICE_ID
from micromets.api.security import SecuritySettings

from _auth import BASE_URL, Ehr, anonymous_client

PATH = f"/cds-services/{SERVICE_ID}"
AUD = BASE_URL + PATH
FHIR_SERVER = "https://fhir.hospital.example.org/r4"


@pytest.fixture(scope="module")
def ehr() -> Ehr:
    return Ehr("https://ehr.example.org", "ES384", kid="request-probe-1")


@pytest.fixture(scope="module")
def client(ehr: Ehr, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """A client whose trust-file entry lists a FHIR server, so a request with FHIR access would be fetched for."""
    folder = Path(tmp_path_factory.mktemp("trust"))
    ehr.write_jwks(folder / "ehr.json")
    (folder / "trust.json").write_text(json.dumps({"clients": [
        {"iss": ehr.issuer, "jwks_file": "ehr.json", "fhir_servers": [FHIR_SERVER]}]}))
    app = create_app(settings=SecuritySettings(cds_trust=str(folder / "trust.json")))
    return anonymous_client(app, raise_server_exceptions=False)


def _call(client: TestClient, ehr: Ehr, **fields: Any) -> httpx.Response:
    body = {"hook": "patient-view", "hookInstance": str(uuid.uuid4()),
            "context": {"userId": "Practitioner/1", "patientId": "p1"}, **fields}
    return client.post(PATH, json=body, headers={"Authorization": f"Bearer {ehr.token(AUD)}"})


def _problem(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 422, response.text
    (problem,) = response.json()["detail"]
    return dict(problem)


@pytest.mark.parametrize("patient_id", [
    "p" * 900_000,  # was echoed whole into a card: a 900 kB answer
    "p\u0430tient-1",  # a Cyrillic a: looks like patient-1, is not
    "../Practitioner/x", "p1\n",  # the line break: a 500 (httpx InvalidURL) when the FHIR server was listed
    "<img src=x onerror=alert(1)>", "p" * 65,
])
def test_a_patient_id_that_is_no_fhir_id_is_named(client: TestClient, ehr: Ehr, patient_id: str) -> None:
    response = _call(client, ehr, context={"patientId": patient_id}, prefetch={"patient": None})
    problem = _problem(response)
    assert problem["field"] == "context.patientId" and "FHIR id" in problem["message"]
    assert len(response.content) < 1_000  # and the value is not echoed


def test_a_fhir_id_of_64_characters_is_a_patient_id(client: TestClient, ehr: Ehr) -> None:
    response = _call(client, ehr, context={"patientId": "A-z.0" * 12 + "abcd"}, prefetch={"patient": None})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("token", ["t\u00f6ken", "snow\u2603man", "a\x00b", "a b", "a,b", "x" * 8193])
def test_an_access_token_that_cannot_be_a_bearer_token_is_named(client: TestClient, ehr: Ehr,
                                                                monkeypatch: pytest.MonkeyPatch, token: str) -> None:
    """Before, a token outside ASCII reached httpx, which cannot encode it in a header: a 500 (UnicodeEncodeError),
    for a client whose FHIR server is listed."""
    asked: list[str] = []

    async def recorded(base: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        asked.append(base)
        raise cdsfetch.FetchError("not asked (test)")

    monkeypatch.setattr(cdsfetch, "fetch_missing", recorded)
    response = _call(client, ehr, fhirServer=FHIR_SERVER,
                     fhirAuthorization={"access_token": token, "token_type": "Bearer", "scope": "patient/*.read"})
    assert _problem(response)["field"] == "fhirAuthorization.access_token"
    assert asked == []


def test_a_bearer_token_of_rfc_6750_syntax_is_used(client: TestClient, ehr: Ehr,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    tokens: list[str] = []

    async def recorded(base: str, access_token: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        tokens.append(access_token)
        raise cdsfetch.FetchError("not asked (test)")

    monkeypatch.setattr(cdsfetch, "fetch_missing", recorded)
    token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.a-b_c~d+e/f=="
    response = _call(client, ehr, fhirServer=FHIR_SERVER, fhirAuthorization={"access_token": token,
                                                                             "token_type": "Bearer"})
    assert response.status_code == 412 and tokens == [token]


def test_thousands_of_empty_prefetch_keys_give_a_short_card(client: TestClient, ehr: Ehr) -> None:
    """The card listed every key sent (50,000 keys: a 389 kB answer); it names the first ones and counts the rest."""
    response = _call(client, ehr, prefetch={f"key{i}": None for i in range(50_000)})
    assert response.status_code == 200, response.text
    (card,) = response.json()["cards"]
    assert len(card["detail"]) < 2_000 and "more" in card["detail"]


def test_a_prefetch_key_of_any_length_is_shown_shortened(client: TestClient, ehr: Ehr) -> None:
    response = _call(client, ehr, prefetch={"k" * 500_000: "not a resource"})
    assert response.status_code == 200, response.text
    (card,) = response.json()["cards"]
    assert "prefetch.kkk" in card["detail"] and len(card["detail"]) < 2_000


@pytest.mark.parametrize("patient_id", ["p1\n", "p1\r\n", "p 1"])
def test_a_query_is_never_built_from_an_id_with_a_line_break(patient_id: str) -> None:
    """``^...$`` let "p1\\n" through (``$`` matches before a final line break): httpx then raised InvalidURL, a 500."""
    with pytest.raises(cdsfetch.FetchError, match="context.patientId"):
        cdsfetch.query_url(FHIR_SERVER, "Patient/{{context.patientId}}", {"patientId": patient_id})


# What the FHIR server answers is input too


class _RawFhir:
    """A loopback FHIR server answering every GET with the bytes of ``answer(path)``."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.answer: Any = lambda path: b"{}"
        self.paths: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the http.server hook name)
                owner.paths.append(self.path)
                body = owner.answer(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "application/fhir+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/fhir"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def raw_fhir() -> Any:
    server = _RawFhir()
    yield server
    server.close()


@pytest.fixture
def fetching_client(ehr: Ehr, raw_fhir: _RawFhir, tmp_path: Path) -> TestClient:
    ehr.write_jwks(tmp_path / "ehr.json")
    (tmp_path / "trust.json").write_text(json.dumps({"clients": [
        {"iss": ehr.issuer, "jwks_file": "ehr.json", "fhir_servers": [raw_fhir.base]}]}))
    app = create_app(settings=SecuritySettings(cds_trust=str(tmp_path / "trust.json")))
    return anonymous_client(app, raise_server_exceptions=False)


@pytest.mark.parametrize(("answer", "words"), [
    (b"[" * 100_000 + b"]" * 100_000, "nested"),  # RecursionError: a 500
    (b'{"resourceType": "Patient", "id": "p1", "x": ' + b"9" * 5_000 + b"}", "digits"),  # ValueError: a 500
    (b'{"resourceType": "Bundle", "type": "searchset", "total": NaN}', "NaN"),
    (b'{"resourceType": "Patient", "resourceType": "Bundle"}', "more than once"),
])
def test_an_answer_of_the_fhir_server_that_is_no_acceptable_json_is_412(
        fetching_client: TestClient, ehr: Ehr, raw_fhir: _RawFhir, answer: bytes, words: str) -> None:
    """CDS Hooks "HTTP Status Codes": 412 when the service cannot retrieve the data it needs. The answers were
    decoded by json.loads: deep nesting and a 5,000-digit integer raised out of the fetch (500), NaN and a name
    given twice passed into the import."""
    raw_fhir.answer = lambda path: answer
    response = _call(fetching_client, ehr, fhirServer=raw_fhir.base,
                     fhirAuthorization={"access_token": "fhir-token", "token_type": "Bearer"})
    assert response.status_code == 412, response.text[:300]
    (problem,) = response.json()["detail"]
    assert problem["field"] == "fhirServer" and words in problem["message"], problem
    assert raw_fhir.paths  # it was asked


def test_all_pages_of_a_fetch_together_are_bounded(fetching_client: TestClient, ehr: Ehr, raw_fhir: _RawFhir,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page under the per-answer limit, but page after page (up to 20 of 8 MiB) added up without a bound."""
    monkeypatch.setattr(cdsfetch, "MAX_TOTAL_BYTES", 200_000)
    filler = [{"resource": {"resourceType": "Observation", "id": f"o{i}", "status": "final",
                            "code": {"text": "x" * 200}}} for i in range(200)]

    def page(path: str) -> bytes:
        number = int(path.rsplit("page=", 1)[1]) if "page=" in path else 1
        return json.dumps({"resourceType": "Bundle", "type": "searchset", "entry": filler, "link": [
            {"relation": "next", "url": f"{raw_fhir.base}/Observation?patient=p1&page={number + 1}"}]}).encode()

    raw_fhir.answer = page
    response = _call(fetching_client, ehr, prefetch={"patient": None, "conditions": None},
                     fhirServer=raw_fhir.base, fhirAuthorization={"access_token": "fhir-token", "token_type": "Bearer"})
    assert response.status_code == 412, response.text[:300]
    assert "together" in response.json()["detail"][0]["message"]
    assert len(raw_fhir.paths) < 10
