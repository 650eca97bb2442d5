"""CDS Hooks: discovery shape, card fields per the spec, cards from prefetch, no 500 for bad input.

The client is an EHR that signs a JWT for every call (its authentication is tested in
test_cdshooks_auth.py)."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest
from fastapi.testclient import TestClient

from micromets.api.cdshooks import SERVICE_ID
from micromets.assess import assess
from micromets.interop.fhir import to_bundle
from micromets.model import parse_case

from _auth import BASE_URL, Ehr, EhrAuth, cds_app

URL = f"/cds-services/{SERVICE_ID}"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    ehr = Ehr()
    app = cds_app(ehr, tmp_path_factory.mktemp("cds") / "ehr-jwks.json")
    client = TestClient(app, base_url=BASE_URL)
    client.auth = EhrAuth(ehr)
    return client


def _example_bundle(name: str) -> dict[str, Any]:
    case = parse_case(json.loads(resources.files("micromets.examples").joinpath(f"{name}.json").read_text()))
    return to_bundle(assess(case), case)


def _patient_of(bundle: dict[str, Any]) -> str:
    return next(str(e["resource"]["id"]) for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")


def _request(prefetch: Any = None, patient_id: str | None = None, **extra: Any) -> dict[str, Any]:
    """A patient-view call; the patient in context is the bundle's own patient unless ``patient_id`` says."""
    if patient_id is None and isinstance(prefetch, dict) and isinstance(prefetch.get("bundle"), dict) \
            and prefetch["bundle"].get("resourceType") == "Bundle":
        patient_id = _patient_of(prefetch["bundle"])
    body = {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
            "context": {"userId": "Practitioner/1", "patientId": patient_id or "p1"}, **extra}
    if prefetch is not None:
        body["prefetch"] = prefetch
    return body


def _check_card(card: dict[str, Any]) -> None:
    assert isinstance(card["summary"], str) and 0 < len(card["summary"]) < 140
    assert card["indicator"] in ("info", "warning", "critical")
    assert isinstance(card["source"]["label"], str) and card["source"]["label"]
    assert isinstance(card.get("detail", ""), str)
    for link in card.get("links", []):
        assert link["label"] and link["url"].startswith("http") and link["type"] in ("absolute", "smart")


def test_discovery(client: TestClient) -> None:
    body = client.get("/cds-services").json()
    (service,) = body["services"]
    assert service["id"] == SERVICE_ID and service["hook"] == "patient-view"
    assert service["description"] and isinstance(service["prefetch"], dict)
    assert all("{{context.patientId}}" in t for t in service["prefetch"].values())


def test_cards_from_a_micromets_bundle(client: TestClient) -> None:
    response = client.post(URL, json=_request({"bundle": _example_bundle("her2-osna-micromet")}))
    assert response.status_code == 200
    cards = response.json()["cards"]
    for card in cards:
        _check_card(card)
    assert "pT1c" in cards[0]["summary"] and cards[0]["indicator"] == "info"
    # issue 12: the headline stage is the anatomic one, as on the web page and the PDF, and each stage is labelled
    assert "anatomic stage IIA" in cards[0]["summary"] or "anatomic stage I" in cards[0]["summary"]
    assert "prognostic stage" in cards[0]["summary"]
    decision_cards = [c for c in cards if c["summary"].startswith("HER2-directed therapy: recommended")]
    assert len(decision_cards) == 1
    assert "*Evidence*" in decision_cards[0]["detail"] and "*Why*" in decision_cards[0]["detail"]
    assert len({c["uuid"] for c in cards}) == len(cards)
    again = client.post(URL, json=_request({"bundle": _example_bundle("her2-osna-micromet")})).json()
    assert again == response.json()  # deterministic, uuids included


def test_cards_from_searchset_prefetch_of_plain_mcode(client: TestClient) -> None:
    observations = {"resourceType": "Bundle", "type": "searchset", "entry": [
        {"resource": {"resourceType": "Observation", "status": "final",
                      "code": {"coding": [{"system": "http://loinc.org", "code": "21889-1"}]},
                      "valueQuantity": {"value": 14, "unit": "mm", "code": "mm"}}}]}
    prefetch = {"patient": {"resourceType": "Patient", "id": "p1", "gender": "female"}, "observations": observations,
                "conditions": None}
    cards = client.post(URL, json=_request(prefetch)).json()["cards"]
    for card in cards:
        _check_card(card)
    warnings = [c for c in cards if c["indicator"] == "warning"]
    details = "".join(c["detail"] for c in warnings)
    # the missing inputs are named in words (issue 12: no field paths on a card the clinician reads)
    assert warnings and "**Missing data**" in details and "- ER (% of nuclei):" in details
    assert "tumour.er_percent" not in details and "`" not in details


def test_missing_prefetch_without_fhir_access_gives_a_card_that_says_what_to_send(client: TestClient) -> None:
    """No prefetch and no fhirServer/fhirAuthorization: nothing to assess (fetching: test_cdshooks_fetch.py)."""
    for body in (_request(), _request({"patient": None, "observations": None}),
                 # null is the spec's "no data" for a key: not asked of the FHIR server again.
                 _request({"patient": None, "conditions": None, "observations": None},
                          fhirServer="https://ehr.example/fhir", fhirAuthorization={"access_token": "x"})):
        response = client.post(URL, json=body)
        assert response.status_code == 200
        (card,) = response.json()["cards"]
        _check_card(card)
        assert card["indicator"] == "warning" and "fhirServer and fhirAuthorization" in card["detail"]


@pytest.mark.parametrize("prefetch", [
    {"observations": {"resourceType": "Observation", "status": "final", "code": "not a concept"}},
    {"observations": {"resourceType": "Unknown"}},
    {"observations": [1, 2]},
    {"observations": {"resourceType": "Observation", "status": "final",  # a size in inches
                      "code": {"coding": [{"system": "http://loinc.org", "code": "21889-1"}]},
                      "valueQuantity": {"value": 1, "unit": "in", "code": "[in_i]"}}},
])
def test_bad_prefetch_gives_a_warning_card_not_a_500(client: TestClient, prefetch: dict[str, Any]) -> None:
    response = client.post(URL, json=_request(prefetch))
    assert response.status_code == 200
    (card,) = response.json()["cards"]
    _check_card(card)
    assert card["indicator"] == "warning" and "`" in card["detail"]


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"hookInstance": "x"}, 422, "hook"),
    ({"hook": "patient-view"}, 422, "hookInstance"),
    ({"hook": "order-sign", "hookInstance": "x"}, 422, "hook"),
    ({"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", "prefetch": [1]}, 422,
     "prefetch"),
    # CDS Hooks 2.0 "HTTP Request": hookInstance is a UUID
    ({"hook": "patient-view", "hookInstance": "x", "context": {"patientId": "p1"}}, 422, "hookInstance"),
    ({"hook": "patient-view", "hookInstance": "d1577c69dfbe44adba6d3e05e953b2ea", "context": {"patientId": "p1"}},
     422, "hookInstance"),
    ({"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea\n",
      "context": {"patientId": "p1"}}, 422, "hookInstance"),
    ([], 422, "(body)"),
])
def test_malformed_requests_are_422(client: TestClient, body: Any, status: int, field: str) -> None:
    response = client.post(URL, json=body)
    assert response.status_code == status
    assert response.json()["detail"][0]["field"] == field


def test_unknown_service_and_bad_json(client: TestClient) -> None:
    assert client.post("/cds-services/other", json=_request()).status_code == 404
    response = client.post(URL, content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "(body)"


def test_a_wrong_patients_data_are_refused(client: TestClient) -> None:
    """Hazard H-06 (docs/safety/hazard-log.md): the prefetched data must be about the patient in the hook's
    context (CDS Hooks patient-view context.patientId); another patient's bundle gives a problem card, no advice."""
    bundle = _example_bundle("her2-osna-micromet")
    cards = client.post(URL, json=_request({"bundle": bundle}, patient_id="someone-else")).json()["cards"]
    assert len(cards) == 1 and cards[0]["indicator"] == "warning"
    assert "context.patientId" in cards[0]["detail"] and "Patient/someone-else" in cards[0]["detail"]
    mixed = copy.deepcopy(bundle)
    observation = next(e["resource"] for e in mixed["entry"] if e["resource"]["resourceType"] == "Observation")
    observation["subject"] = {"reference": "Patient/another"}
    cards = client.post(URL, json=_request({"bundle": mixed})).json()["cards"]
    assert len(cards) == 1 and "2 patients" in cards[0]["detail"]


def test_the_patient_in_context_is_required(client: TestClient) -> None:
    body = _request({"bundle": _example_bundle("pn1mi")})
    del body["context"]["patientId"]
    response = client.post(URL, json=body)
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "context.patientId"


def test_a_value_the_import_cannot_use_is_named_on_the_missing_data_card(client: TestClient) -> None:
    """CDS Hooks 2.0 cards for the clinician: a grade sent as words that are no Nottingham grade (LOINC 44648-4,
    mCODE) is not guessed; the card names the resource and what it said, as the CLI and REST do."""
    observations = {"resourceType": "Bundle", "type": "searchset", "entry": [
        {"resource": {"resourceType": "Observation", "id": "size", "status": "final",
                      "code": {"coding": [{"system": "http://loinc.org", "code": "21889-1"}]},
                      "valueQuantity": {"value": 14, "unit": "mm", "code": "mm"}}},
        {"resource": {"resourceType": "Observation", "id": "grade", "status": "final",
                      "code": {"coding": [{"system": "http://loinc.org", "code": "44648-4"}]},
                      "valueCodeableConcept": {"text": "cannot be assessed"}}}]}
    prefetch = {"patient": {"resourceType": "Patient", "id": "p1", "gender": "female"}, "observations": observations,
                "conditions": None}
    cards = client.post(URL, json=_request(prefetch)).json()["cards"]
    details = "".join(c.get("detail", "") for c in cards if c["indicator"] == "warning")
    assert "Observation/grade gives the grade as 'cannot be assessed'" in details


def _as_received(prefetch: dict[str, Any]) -> dict[str, Any]:
    """The prefetch as the service decodes it from the request body."""
    from micromets.api.errors import decode_json

    return dict(decode_json(json.dumps(prefetch).encode()))


def test_a_chart_opened_again_gives_the_same_cards_and_a_changed_chart_new_ones(client: TestClient) -> None:
    """patient-view fires at every chart opening: an unchanged chart is answered from the worker's recent charts
    (same cards, card ids from the new hookInstance, a new audit record), and any change to the data is seen."""
    from micromets.api import cdshooks

    bundle = _example_bundle("pn1mi")
    first = client.post(URL, json=_request({"bundle": bundle})).json()["cards"]
    key = cdshooks._RECENT.key(_patient_of(bundle), _as_received({"bundle": bundle}))
    assert cdshooks._RECENT.get(key) is not None
    again_body = _request({"bundle": bundle})
    again_body["hookInstance"] = "0b6e2a4c-5d1f-4c9e-8a63-0d2a7f1e9b44"
    again = client.post(URL, json=again_body).json()["cards"]
    assert [c["summary"] for c in again] == [c["summary"] for c in first]
    assert [c["detail"] for c in again] == [c["detail"] for c in first]
    assert {c["uuid"] for c in again}.isdisjoint(c["uuid"] for c in first)  # cards belong to their hook instance
    # The same data in another patient's context is not the same chart: refused as in H-06, never reused.
    cards = client.post(URL, json=_request({"bundle": bundle}, patient_id="someone-else")).json()["cards"]
    assert len(cards) == 1 and "context.patientId" in cards[0]["detail"]
    # Grade 2 -> 3: a different chart, so a different answer (PREDICT's figures on the cards change).
    changed = copy.deepcopy(bundle)
    (grade,) = [e["resource"] for e in changed["entry"] if e["resource"]["resourceType"] == "Observation"
                and e["resource"]["code"]["coding"][0]["code"] == "tumour.grade"]
    assert grade["valueInteger"] == 2
    grade["valueInteger"] = 3
    cards = client.post(URL, json=_request({"bundle": changed})).json()["cards"]
    assert [c["detail"] for c in cards] != [c["detail"] for c in first]
    fresh = cdshooks._RECENT.get(cdshooks._RECENT.key(_patient_of(bundle), _as_received({"bundle": changed})))
    assert fresh is not None and fresh.objects()[0].tumour.grade == 3


def test_recent_charts_are_bounded_oldest_first() -> None:
    from micromets.api.cdshooks import _RecentCharts

    recent = _RecentCharts(2)
    keys = [recent.key(f"p{i}", {"patient": {"resourceType": "Patient", "id": f"p{i}"}}) for i in range(3)]
    assert len(set(keys)) == 3
    for key in keys[:2]:
        recent.put(key, f"chart {key.hex()}")  # type: ignore[arg-type]
    recent.get(keys[0])  # used: now the newest
    recent.put(keys[2], "chart 2")  # type: ignore[arg-type]
    assert recent.get(keys[1]) is None and recent.get(keys[0]) is not None and recent.get(keys[2]) is not None


@pytest.mark.parametrize(("root_path", "expected"), [("", "https://ehr.example"), ("/", "https://ehr.example"),
                                                     ("/mm", "https://ehr.example/mm"),
                                                     ("/mm/", "https://ehr.example/mm")])
def test_card_links_are_built_under_the_root_path_without_a_double_slash(root_path: str, expected: str) -> None:
    """RFC 3986 3.3: '//assessments' after the host is a path with an empty segment, not the route; a proxy that
    mounts micromets at '/' must give card links 'https://host/assessments/...'."""
    from starlette.requests import Request

    from micromets.api.cdshooks import _base_url

    app = type("App", (), {"state": type("State", (), {})()})()
    scope = {"type": "http", "scheme": "https", "method": "POST", "path": "/cds-services/x", "root_path": root_path,
             "headers": [(b"host", b"ehr.example")], "app": app, "query_string": b""}
    assert _base_url(Request(scope)) == expected


def test_after_neoadjuvant_therapy_the_card_names_the_clinical_stage_as_the_one_before_therapy(
        client: TestClient) -> None:
    # AJCC 8th ed., breast: after neoadjuvant therapy there is no pathological prognostic stage; the clinical
    # prognostic stage was assigned from the findings before therapy, as the web page and the PDF say.
    response = client.post(URL, json=_request({"bundle": _example_bundle("neoadjuvant-residual-micromet")}))
    assert response.status_code == 200
    summary_card = response.json()["cards"][0]
    _check_card(summary_card)
    assert summary_card["summary"].startswith("yp")
    assert "clinical prognostic stage before neoadjuvant therapy" in summary_card["summary"]
    assert "clinical prognostic before neoadjuvant therapy" in summary_card["detail"]
