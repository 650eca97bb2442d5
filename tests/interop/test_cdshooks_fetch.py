"""CDS Hooks: prefetch left out is asked of the EHR's FHIR server; the link to the full report; feedback.

Sources (CDS Hooks 2.0): "Prefetch Template" (a key the client did not satisfy is left out; a key with no
data is ``null``), "FHIR Resource Access" (with ``fhirServer`` and ``fhirAuthorization`` the service may
query the FHIR server, presenting ``access_token`` as an OAuth 2.0 bearer token; ``fhirServer`` REQUIRED
when ``fhirAuthorization`` is sent), "HTTP Status Codes" (412 when the service cannot retrieve the data),
"Link" (``label``, ``url``, ``type`` ``absolute``|``smart``) and "Feedback" (``POST
{baseUrl}/cds-services/{service.id}/feedback`` with ``card``, ``outcome`` accepted|overridden,
``acceptedSuggestions`` for accepted, ``overrideReason``, ``outcomeTimestamp``). The FHIR server is a
loopback server that checks the bearer token.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from micromets.api import create_app
from micromets.api.cdshooks import SERVICE_ID
from micromets.api.security import SecuritySettings
from micromets.assess import assess
from micromets.interop.fhir import to_bundle
from micromets.model import parse_case
from micromets.store import Store

from _auth import BASE_URL, Ehr, EhrAuth, sign_in
from _loopback import Loopback

URL = f"/cds-services/{SERVICE_ID}"
FEEDBACK = URL + "/feedback"
TOKEN = "fhir-access-token-for-micromets"


def _split_prefetch(name: str) -> tuple[str, dict[str, Any]]:
    """An example case as the EHR holds it: the Patient, the Condition and the Observations, by query."""
    case = parse_case(json.loads(resources.files("micromets.examples").joinpath(f"{name}.json").read_text()))
    bundle = to_bundle(assess(case), case)
    found = [e["resource"] for e in bundle["entry"]]
    patient = next(r for r in found if r["resourceType"] == "Patient")

    def searchset(kind: str) -> dict[str, Any]:
        return {"resourceType": "Bundle", "type": "searchset",
                "entry": [{"resource": r} for r in found if r["resourceType"] == kind]}

    return str(patient["id"]), {"patient": patient, "conditions": searchset("Condition"),
                                "observations": searchset("Observation")}


@pytest.fixture(scope="module")
def ehr() -> Ehr:
    return Ehr("https://ehr.example.org", "ES384", kid="ehr-1")


@pytest.fixture
def fhir() -> Any:
    with Loopback() as server:
        server.token = TOKEN
        yield server


@pytest.fixture
def patient(fhir: Loopback) -> tuple[str, dict[str, Any]]:
    """The patient's data on the FHIR server; the observations come in two pages."""
    pid, prefetch = _split_prefetch("pn1mi")
    observations = prefetch["observations"]["entry"]
    page2 = f"/fhir/Observation?patient={pid}&page=2"
    fhir.routes[f"/fhir/Patient/{pid}"] = prefetch["patient"]
    fhir.routes[f"/fhir/Condition?patient={pid}"] = prefetch["conditions"]
    fhir.routes[f"/fhir/Observation?patient={pid}"] = {
        "resourceType": "Bundle", "type": "searchset", "entry": observations[:10],
        "link": [{"relation": "next", "url": fhir.base + page2}]}
    fhir.routes[page2] = {"resourceType": "Bundle", "type": "searchset", "entry": observations[10:]}
    return pid, prefetch


@pytest.fixture
def store() -> Any:
    with Store.in_memory() as store:
        yield store


@pytest.fixture
def app(ehr: Ehr, fhir: Loopback, tmp_path: Path, store: Store) -> FastAPI:
    ehr.write_jwks(tmp_path / "ehr.json")
    trust = tmp_path / "trust.json"
    trust.write_text(json.dumps({"clients": [{"iss": ehr.issuer, "jwks_file": "ehr.json",
                                              "fhir_servers": [fhir.base + "/fhir"]}]}))
    return create_app(store, settings=SecuritySettings(cds_trust=str(trust)))


@pytest.fixture
def client(app: FastAPI, ehr: Ehr) -> TestClient:
    client = TestClient(app, base_url=BASE_URL)
    client.auth = EhrAuth(ehr)
    return client


def _request(pid: str, fhir: Loopback, prefetch: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"userId": "Practitioner/1", "patientId": pid}, "fhirServer": fhir.base + "/fhir",
        "fhirAuthorization": {"access_token": TOKEN, "token_type": "Bearer", "expires_in": 300,
                              "scope": "user/Patient.read user/Condition.read user/Observation.read",
                              "subject": "micromets"}}
    if prefetch is not None:
        body["prefetch"] = prefetch
    body.update(extra)
    return body


def _summary(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    card: dict[str, Any] = response.json()["cards"][0]
    assert card["summary"].startswith("pT"), card  # assessed: TNM and stage, not a "data not sent" card
    return card


def test_absent_prefetch_is_fetched_with_the_bearer_token(client: TestClient, fhir: Loopback,
                                                          patient: tuple[str, dict[str, Any]]) -> None:
    pid, prefetch = patient
    fetched = _summary(client.post(URL, json=_request(pid, fhir)))
    sent = _summary(client.post(URL, json=_request(pid, fhir, prefetch, fhirAuthorization=None, fhirServer=None)))
    assert fetched["summary"] == sent["summary"] and fetched["detail"] == sent["detail"]
    paths = sorted(r["path"] for r in fhir.requests)
    assert paths == sorted([f"/fhir/Patient/{pid}", f"/fhir/Condition?patient={pid}",
                            f"/fhir/Observation?patient={pid}", f"/fhir/Observation?patient={pid}&page=2"])
    assert all(r["headers"]["authorization"] == f"Bearer {TOKEN}" for r in fhir.requests)


def test_only_the_keys_left_out_are_fetched(client: TestClient, fhir: Loopback,
                                            patient: tuple[str, dict[str, Any]]) -> None:
    pid, prefetch = patient
    _summary(client.post(URL, json=_request(pid, fhir, {"patient": prefetch["patient"],
                                                        "observations": prefetch["observations"]})))
    assert [r["path"] for r in fhir.requests] == [f"/fhir/Condition?patient={pid}"]
    fhir.requests.clear()
    _summary(client.post(URL, json=_request(pid, fhir, prefetch)))
    _summary(client.post(URL, json=_request(pid, fhir, {**prefetch, "conditions": None})))  # null: no data
    assert fhir.requests == []


@pytest.mark.parametrize("problem", ["wrong token", "server not trusted", "next page elsewhere", "bad patient id",
                                     "unreachable"])
def test_a_fetch_that_cannot_be_done_is_412(client: TestClient, fhir: Loopback, patient: tuple[str, dict[str, Any]],
                                            problem: str, caplog: pytest.LogCaptureFixture) -> None:
    pid, _ = patient
    body = _request(pid, fhir)
    if problem == "wrong token":
        body["fhirAuthorization"]["access_token"] = "another-token"
    elif problem == "server not trusted":
        body["fhirServer"] = "https://elsewhere.example.org/fhir"
    elif problem == "next page elsewhere":
        fhir.routes[f"/fhir/Observation?patient={pid}"]["link"][0]["url"] = "https://elsewhere.example.org/p2"
    elif problem == "bad patient id":  # a FHIR id by its pattern, but a dot segment in a URL path (RFC 3986 5.2.4)
        body["context"]["patientId"] = ".."
    else:
        fhir.server.shutdown()
        fhir.server.server_close()
    response = client.post(URL, json=body)
    assert response.status_code == 412, response.text
    assert response.json()["detail"][0]["field"] == "fhirServer"
    # The reason names the prefetch key, not the URL: the patient id must not reach the server log.
    for text in (response.json()["detail"][0]["message"], caplog.text):
        assert pid not in text and "Practitioner/x" not in text and TOKEN not in text
    if problem in ("server not trusted", "bad patient id"):
        assert fhir.requests == []
    assert all("elsewhere" not in r["path"] for r in fhir.requests)


@pytest.mark.parametrize(("extra", "field"), [
    ({"fhirServer": None}, "fhirServer"),
    ({"fhirAuthorization": {"token_type": "Bearer"}}, "fhirAuthorization.access_token"),
    ({"fhirAuthorization": {"access_token": TOKEN, "token_type": "MAC"}}, "fhirAuthorization.token_type"),
    ({"fhirServer": "ftp://ehr.example.org"}, "fhirServer"),
])
def test_malformed_fhir_access_fields_are_422(client: TestClient, fhir: Loopback, extra: dict[str, Any],
                                              field: str) -> None:
    body = {k: v for k, v in {**_request("p1", fhir), **extra}.items() if v is not None}
    response = client.post(URL, json=body)
    assert response.status_code == 422
    assert field in [d["field"] for d in response.json()["detail"]]


def test_the_summary_card_links_to_the_full_report(app: FastAPI, client: TestClient, fhir: Loopback,
                                                   patient: tuple[str, dict[str, Any]]) -> None:
    pid, prefetch = patient
    card = _summary(client.post(URL, json=_request(pid, fhir, prefetch)))
    (link,) = card["links"]
    assert link["type"] == "absolute" and link["label"]
    assert link["url"].startswith(BASE_URL + "/assessments/case/") and pid not in link["url"]
    browser = TestClient(app, base_url=BASE_URL)
    assert browser.get(urlsplit(link["url"]).path).status_code == 401  # the web app needs a session
    sign_in(browser, app)
    page = browser.get(urlsplit(link["url"]).path)
    assert page.status_code == 200 and "micrometastas" in page.text.lower()
    assert browser.get("/assessments/case/" + "0" * 64).status_code == 404


def test_no_link_without_an_audit_store(ehr: Ehr, fhir: Loopback, tmp_path: Path,
                                        patient: tuple[str, dict[str, Any]]) -> None:
    client = TestClient(create_app(settings=SecuritySettings(cds_jwks={ehr.issuer: ehr.write_jwks(tmp_path / "k")})),
                        base_url=BASE_URL)
    client.auth = EhrAuth(ehr)
    pid, prefetch = patient
    assert "links" not in _summary(client.post(URL, json=_request(pid, fhir, prefetch)))


def test_feedback_is_recorded(client: TestClient, store: Store, ehr: Ehr) -> None:
    feedback = {"feedback": [
        {"card": "9368d37b-283f-44a0-93ea-547cebab93ed", "outcome": "overridden",
         "overrideReason": {"reason": {"code": "d7ecf885", "system": "https://example.com/override-reasons"},
                            "userComment": "A comment entered by the clinician."},
         "outcomeTimestamp": "2020-12-11T00:00:00Z"},
        {"card": "4e0a3a1e-3283-4575-ab82-028d55fe2719", "outcome": "accepted",
         "acceptedSuggestions": [{"id": "e56e1945-20b3-4393-8503-a1a20fd73152"}],
         "outcomeTimestamp": "2021-12-11T10:05:31Z"}]}
    response = client.post(FEEDBACK, json=feedback)
    assert response.status_code == 200, response.text
    (event,) = [e for e in store.events() if e.action == "cds-feedback"]
    assert event.actor is not None and ehr.issuer in event.actor
    assert event.detail == {"service": SERVICE_ID, "feedback": feedback["feedback"]}


@pytest.mark.parametrize("body", [
    {}, {"feedback": []},
    {"feedback": [{"card": "c", "outcome": "ignored", "outcomeTimestamp": "2020-12-11T00:00:00Z"}]},
    {"feedback": [{"card": "c", "outcome": "accepted", "outcomeTimestamp": "2020-12-11T00:00:00Z"}]},
    {"feedback": [{"card": "c", "outcome": "overridden"}]},
    {"feedback": [{"card": "c", "outcome": "overridden", "outcomeTimestamp": "yesterday"}]},
    {"feedback": [{"outcome": "overridden", "outcomeTimestamp": "2020-12-11T00:00:00Z"}]},
])
def test_malformed_feedback_is_422_and_not_recorded(client: TestClient, store: Store, body: dict[str, Any]) -> None:
    assert client.post(FEEDBACK, json=body).status_code == 422
    assert not [e for e in store.events() if e.action == "cds-feedback"]


_CARD = "f6b95768-b1c8-40dc-8385-bf3504b82ffb"  # the spec's "overridden guidance" example


def _one(**item: Any) -> dict[str, Any]:
    return {"feedback": [{"card": _CARD, "outcome": "overridden", "outcomeTimestamp": "2020-12-11T00:00:00Z", **item}]}


@pytest.mark.parametrize("card", ["c", "card-1", "not-a-uuid-at-all-but-long-enough-000000000000",
                                  "9368d37b283f44a093ea547cebab93ed",  # 32 digits without the dashes
                                  "{9368d37b-283f-44a0-93ea-547cebab93ed}", "urn:uuid:9368d37b-283f-44a0-93ea-547cebab93ed",
                                  "9368d37b-283f-44a0-93ea-547cebab93ez", " 9368d37b-283f-44a0-93ea-547cebab93ed",
                                  "<script>alert(1)</script>", "", 12345, None, ["9368d37b-283f-44a0-93ea-547cebab93ed"]])
def test_a_feedback_card_that_is_not_a_uuid_is_refused_naming_the_field(client: TestClient, store: Store,
                                                                        card: Any) -> None:
    """CDS Hooks 2.0, "Feedback": ``card`` REQUIRED, "The ``card.uuid`` from the CDS Hooks response" (the 3.0 logical
    model CDSHooksFeedback types it ``uuid``); micromets' card uuids are UUIDs, so any other text names no card."""
    body = _one(card=card)
    if card is None:
        del body["feedback"][0]["card"]
    response = client.post(FEEDBACK, json=body)
    assert response.status_code == 422, response.text
    (problem,) = response.json()["detail"]
    assert problem["field"] == "feedback[0].card" and "uuid" in problem["message"].lower()
    assert "<script>" not in response.text  # the value is not echoed
    assert not [e for e in store.events() if e.action == "cds-feedback"]


@pytest.mark.parametrize(("item", "field"), [
    ({"outcome": None}, "outcome"),
    ({"outcome": "ignored"}, "outcome"),
    ({"outcome": "Accepted"}, "outcome"),
    ({"outcomeTimestamp": None}, "outcomeTimestamp"),
    ({"outcomeTimestamp": "2020-12-11"}, "outcomeTimestamp"),
    ({"outcomeTimestamp": "2020-12-11T00:00:00"}, "outcomeTimestamp"),  # no zone: not a UTC instant
    ({"outcomeTimestamp": "2020-12-11T01:00:00+01:00"}, "outcomeTimestamp"),  # the spec: "in UTC"
    ({"outcomeTimestamp": 1607644800}, "outcomeTimestamp"),
    ({"outcome": "accepted"}, "acceptedSuggestions"),
    ({"outcome": "accepted", "acceptedSuggestions": []}, "acceptedSuggestions"),
    ({"outcome": "accepted", "acceptedSuggestions": [{"id": "s1"}]}, "acceptedSuggestions"),
    ({"overrideReason": {"reason": {"code": "d7ecf885"}}}, "overrideReason"),  # Coding: system REQUIRED
    ({"overrideReason": {"reason": "patient refused"}}, "overrideReason"),
    ({"overrideReason": {"userComment": 7}}, "overrideReason"),
])
def test_each_required_feedback_field_is_checked_and_named(client: TestClient, store: Store, item: dict[str, Any],
                                                           field: str) -> None:
    """CDS Hooks 2.0, "Feedback": ``outcome`` REQUIRED (``accepted`` or ``overridden``), ``outcomeTimestamp``
    REQUIRED ("ISO timestamp in UTC"), ``acceptedSuggestions`` required for accepted outcomes (each ``id`` "the
    ``card.suggestion.uuid``"), ``overrideReason.reason`` a Coding (``code`` and ``system`` REQUIRED)."""
    body = _one(**item)
    body["feedback"][0] = {k: v for k, v in body["feedback"][0].items() if v is not None}
    response = client.post(FEEDBACK, json=body)
    assert response.status_code == 422, response.text
    assert [p["field"] for p in response.json()["detail"]] == [f"feedback[0].{field}"]
    assert not [e for e in store.events() if e.action == "cds-feedback"]


@pytest.mark.parametrize("item", [
    {},
    {"card": _CARD.upper()},  # RFC 9562 section 4: hexadecimal digits in either case
    {"overrideReason": {"userComment": "A comment entered by the clinician."}},  # reason is CONDITIONAL
    {"overrideReason": {"reason": {"code": "d7ecf885", "system": "https://example.com/r", "display": "Refused"}}},
    {"outcomeTimestamp": "2020-12-11T00:00:00.123+00:00"},
])
def test_well_formed_feedback_is_recorded(client: TestClient, store: Store, item: dict[str, Any]) -> None:
    assert client.post(FEEDBACK, json=_one(**item)).status_code == 200
    assert len([e for e in store.events() if e.action == "cds-feedback"]) == 1


def test_feedback_needs_a_jwt_for_the_feedback_url(app: FastAPI, ehr: Ehr, store: Store) -> None:
    anonymous = TestClient(app, base_url=BASE_URL)
    body = {"feedback": [{"card": "c", "outcome": "overridden", "outcomeTimestamp": "2020-12-11T00:00:00Z"}]}
    assert anonymous.post(FEEDBACK, json=body).status_code == 401
    wrong_aud = ehr.token(BASE_URL + URL)  # a JWT for the service, not its feedback endpoint
    assert anonymous.post(FEEDBACK, json=body, headers={"Authorization": f"Bearer {wrong_aud}"}).status_code == 401
    assert anonymous.post("/cds-services/other/feedback", json=body,
                          headers={"Authorization": f"Bearer {ehr.token(BASE_URL + '/cds-services/other/feedback')}"}
                          ).status_code == 404
    assert not [e for e in store.events() if e.action == "cds-feedback"]


# --- radiotherapy given before: the Procedure prefetch key ------------------------------------------------------
# mCODE STU4 RadiotherapyCourseSummary (HL7/fhir-mCODE-ig input/fsh/SD_Radiotherapy.fsh, EX_Radiotherapy.fsh) is a
# Procedure (code SNOMED CT 1217123003); docs/case-format.md: a mantle/mediastinal field before makes whole-breast RT
# 'discuss' (re-irradiation, ESTRO-EORTC 2022). SMART App Launch v1/v2 scopes: patient/Procedure.read,
# patient/Procedure.rs (s = search).

_SCT = "http://snomed.info/sct"
_RT_CASE = {
    "id": "cds-rt", "age": 62, "sex": "female", "menopausal_status": "post",
    "tumour": {"size_mm": 14, "grade": 2, "er_percent": 90, "pr_percent": 20, "her2_ihc": "1+", "laterality": "left"},
    "nodes": {"procedure": "slnb", "examined": 2, "deposits": [{"node": 1, "size_mm": 1.1, "method": "he"}]},
    "surgery": {"breast": "bcs", "status": "done"},
}


def _rt_prefetch() -> tuple[str, dict[str, Any], dict[str, Any]]:
    """The case's Patient/Condition/Observation searchsets and, apart, a mantle field for Hodgkin lymphoma in 2009."""
    case = parse_case(_RT_CASE)
    found = [e["resource"] for e in to_bundle(assess(case), case)["entry"]]
    patient = next(r for r in found if r["resourceType"] == "Patient")
    pid = str(patient["id"])

    def searchset(*resources: dict[str, Any]) -> dict[str, Any]:
        return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}

    lymphoma = {"resourceType": "Condition", "id": "hl", "subject": {"reference": f"Patient/{pid}"},
                "code": {"text": "Hodgkin lymphoma"}}
    course = {"resourceType": "Procedure", "id": "rt-1", "status": "completed", "subject": {"reference": f"Patient/{pid}"},
              "code": {"coding": [{"system": _SCT, "code": "1217123003"}]},
              "bodySite": [{"coding": [{"system": _SCT, "code": "72410000", "display": "Mediastinal structure"}]}],
              "performedPeriod": {"start": "2009-03-02", "end": "2009-04-20"},
              "reasonReference": [{"reference": "Condition/hl"}]}
    prefetch = {"patient": patient,
                "conditions": searchset(*(r for r in found if r["resourceType"] == "Condition"), lymphoma),
                "observations": searchset(*(r for r in found if r["resourceType"] == "Observation"))}
    return pid, prefetch, searchset(course)


def _wbrt_card(response: Any) -> str:
    cards = response.json()["cards"]
    return next(c["summary"] for c in cards if "whole-breast" in c["summary"].lower() or "wbrt" in c["summary"].lower())


def test_discovery_asks_for_the_patients_procedures(client: TestClient) -> None:
    service = client.get("/cds-services").json()["services"][0]
    assert service["prefetch"]["procedures"] == "Procedure?patient={{context.patientId}}"


def test_prior_radiotherapy_in_the_procedures_prefetch_reaches_the_decision(client: TestClient, fhir: Loopback) -> None:
    # was: no Procedure prefetch key; a client following discovery could not send the course at all
    pid, prefetch, procedures = _rt_prefetch()
    plain = client.post(URL, json=_request(pid, fhir, prefetch, fhirAuthorization=None, fhirServer=None))
    with_rt = client.post(URL, json=_request(pid, fhir, {**prefetch, "procedures": procedures},
                                             fhirAuthorization=None, fhirServer=None))
    assert "recommended" in _wbrt_card(plain).lower()
    assert "discuss" in _wbrt_card(with_rt).lower()


@pytest.mark.parametrize("scope", ["user/Patient.read user/Condition.read user/Observation.read patient/Procedure.read",
                                   "patient/*.read", "patient/Patient.rs patient/Condition.rs patient/Observation.rs "
                                                     "patient/Procedure.rs"])
def test_procedures_are_fetched_when_the_token_grants_them(client: TestClient, fhir: Loopback, scope: str) -> None:
    pid, prefetch, procedures = _rt_prefetch()
    fhir.routes[f"/fhir/Procedure?patient={pid}"] = procedures
    body = _request(pid, fhir, prefetch)
    body["fhirAuthorization"]["scope"] = scope
    response = client.post(URL, json=body)
    assert [r["path"] for r in fhir.requests] == [f"/fhir/Procedure?patient={pid}"]
    assert "discuss" in _wbrt_card(response).lower()


def test_procedures_are_not_asked_with_a_token_that_does_not_grant_them(client: TestClient, fhir: Loopback) -> None:
    # a client registered for the first three keys (scope without Procedure) gets its card as before, no 412
    pid, prefetch, _ = _rt_prefetch()
    response = client.post(URL, json=_request(pid, fhir, prefetch))
    assert fhir.requests == []
    assert "recommended" in _wbrt_card(response).lower()


# --- hostile feedback (probes of 2026-12-02) ---------------------------------------------------------------------
# CDS Hooks 2.0 "Feedback": outcomeTimestamp is an "ISO timestamp in UTC"; RFC 3339 section 5.6 gives its
# internet form (full-date "T" full-time, time-offset "Z" or +hh:mm); AcceptedSuggestion is {"id": the
# card.suggestion.uuid}. The feedback is recorded as sent in the audit trail, so a control character (NUL, ESC) in a
# comment or a Coding is refused as the JWT's jti, tenant and sub are (OWASP Logging Cheat Sheet, event data
# sanitisation); a trailing NUL after a valid timestamp was accepted because Python's fromisoformat ignores it.

@pytest.mark.parametrize(("item", "field"), [
    ({"outcomeTimestamp": "2020-12-11T00:00:00Z\x00"}, "outcomeTimestamp"),  # was accepted (fromisoformat)
    ({"outcomeTimestamp": "2020-12-11T00:00:00\x00Z"}, "outcomeTimestamp"),
    ({"outcomeTimestamp": "2020-W50-5T00:00:00Z"}, "outcomeTimestamp"),  # ISO week date: not RFC 3339
    ({"outcomeTimestamp": "20201211T000000Z"}, "outcomeTimestamp"),  # ISO basic format: not RFC 3339
    ({"outcomeTimestamp": "2020-12-11T00Z"}, "outcomeTimestamp"),
    ({"outcomeTimestamp": "2020-12-11T00:00:00 Z"}, "outcomeTimestamp"),
    ({"overrideReason": {"userComment": "refused\x00"}}, "overrideReason.userComment"),
    ({"overrideReason": {"userComment": "a\x1bb"}}, "overrideReason.userComment"),
    ({"overrideReason": {"reason": {"code": "d7\x00", "system": "https://example.com/r"}}}, "overrideReason"),
    ({"overrideReason": {"reason": {"code": "d7", "system": "https://example.com/r", "display": "R\x00"}}},
     "overrideReason"),
    ({"outcome": "accepted", "acceptedSuggestions": [{"id": _CARD, "note": "x" * 1000}]}, "acceptedSuggestions"),
    ({"acceptedSuggestions": "zzz"}, "acceptedSuggestions"),  # overridden: when sent, still the spec's shape
    ({"acceptedSuggestions": [{"id": "not-a-uuid"}]}, "acceptedSuggestions"),
])
def test_hostile_feedback_values_are_refused_naming_the_field(client: TestClient, store: Store,
                                                               item: dict[str, Any], field: str) -> None:
    response = client.post(FEEDBACK, json=_one(**item))
    assert response.status_code == 422, response.text
    assert [p["field"] for p in response.json()["detail"]] == [f"feedback[0].{field}"]
    assert "x" * 100 not in response.text and "\\u0000" not in response.text  # nothing echoed
    assert not [e for e in store.events() if e.action == "cds-feedback"]


@pytest.mark.parametrize("item", [
    {"overrideReason": {"userComment": "Line one.\nLine two,\tindented.\r\n"}},  # a comment may have lines
    {"outcomeTimestamp": "2020-12-11t00:00:00z"},  # RFC 3339 5.6 NOTE: T and Z may be lower case
    {"outcomeTimestamp": "2020-12-11T00:00:00.5-00:00"},
    {"outcome": "accepted", "acceptedSuggestions": [{"id": _CARD}]},
])
def test_feedback_values_the_spec_allows_are_recorded(client: TestClient, store: Store, item: dict[str, Any]) -> None:
    assert client.post(FEEDBACK, json=_one(**item)).status_code == 200
    assert len([e for e in store.events() if e.action == "cds-feedback"]) == 1
