"""POST /api/fhir/assess: a FHIR R4 Bundle in (coded as an EHR codes it), the assessment out as a FHIR Bundle.

The Bundle below is written by hand the way an EHR exports mCODE/US Core data (LOINC tumour size 21889-1 with
component 33728-7 in cm, ER/PR by LOINC 16112-5/16113-3 as %), not produced by micromets' own exporter."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient

from micromets.api import create_app
from micromets.api.services import example_data
from micromets.assess import assess
from micromets.interop.fhir import to_bundle
from micromets.model import parse_case

from _auth import api_client

URL = "/api/fhir/assess"


def _loinc(code: str) -> dict[str, Any]:
    return {"coding": [{"system": "http://loinc.org", "code": code}]}


EHR_BUNDLE: dict[str, Any] = {"resourceType": "Bundle", "type": "collection", "entry": [
    {"fullUrl": "urn:uuid:8b0f5c1e-0000-4000-8000-000000000001",
     "resource": {"resourceType": "Patient", "id": "pt-77", "gender": "female"}},
    {"resource": {"resourceType": "Observation", "status": "final", "code": _loinc("21889-1"),
                  "subject": {"reference": "urn:uuid:8b0f5c1e-0000-4000-8000-000000000001"},
                  "component": [{"code": _loinc("33728-7"),
                                 "valueQuantity": {"value": 1.4, "unit": "cm", "system": "http://unitsofmeasure.org",
                                                   "code": "cm"}}]}},
]}


@pytest.fixture
def client() -> TestClient:
    return api_client(create_app(), "write")


def test_an_ehr_bundle_is_assessed_and_answered_as_fhir(client: TestClient) -> None:
    response = client.post(URL, json=EHR_BUNDLE, headers={"Content-Type": "application/fhir+json"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/fhir+json")
    bundle = response.json()
    assert bundle["resourceType"] == "Bundle"
    as_json = client.post(URL, params={"format": "json"}, json=EHR_BUNDLE).json()
    assert as_json["id"] == "pt-77" and as_json["staging"]["t"] == "cT1c"  # 14 mm, nothing resected: clinical


def test_a_bundle_about_another_patient_is_refused(client: TestClient) -> None:
    response = client.post(URL, params={"patient": "someone-else"}, json=EHR_BUNDLE)
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "patient"
    mixed = copy.deepcopy(EHR_BUNDLE)
    mixed["entry"][1]["resource"]["subject"] = {"reference": "Patient/other"}
    response = client.post(URL, json=mixed)
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "(bundle)"


def test_our_own_bundle_round_trips(client: TestClient) -> None:
    case = parse_case(example_data("pn1mi"))
    response = client.post(URL, params={"format": "json"}, json=to_bundle(assess(case), case))
    assert response.status_code == 200
    assert response.json()["decisions"] == assess(case).decisions


def test_not_a_bundle_and_no_token(client: TestClient) -> None:
    assert client.post(URL, json=[1]).status_code == 422
    assert client.post(URL, content=b"x", headers={"Content-Type": "text/plain"}).status_code == 415
    anonymous = TestClient(client.app, base_url="http://localhost")
    assert anonymous.post(URL, json=EHR_BUNDLE).status_code == 401
