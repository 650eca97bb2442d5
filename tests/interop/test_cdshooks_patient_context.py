"""CDS Hooks cards for the patient context: deaths from breast cancer beside deaths from other causes (a warning
when PREDICT's age-only other-cause figure overstates this patient's life expectancy), declined and deferred
decisions with what the rules decided, and FHIR values read but not used.
Card rules from the CDS Hooks specification: summary < 140 characters, indicator info|warning|critical."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_fhir_patient_context import _assessment_with_preferences, _ehr, _obs

from micromets.api.cdshooks import SERVICE_ID, build_cards
from micromets.assess import assess
from micromets.interop.fhir import to_bundle
from micromets.model import parse_case

from _auth import BASE_URL, Ehr, EhrAuth, cds_app

URL = f"/cds-services/{SERVICE_ID}"
FRAIL = {"id": "frail", "age": 84, "sex": "female", "menopausal_status": "post", "ecog": 2, "charlson_index": 3,
         "detection": "symptomatic",
         "tumour": {"size_mm": 11, "grade": 1, "er_percent": 98, "pr_percent": 80, "her2_ihc": "0", "ki67_percent": 5},
         "nodes": {"procedure": "slnb", "examined": 1, "deposits": []}, "surgery": {"breast": "bcs", "status": "done"}}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """An EHR that signs a JWT for every call (authentication itself: test_cdshooks_auth)."""
    ehr = Ehr()
    test_client = TestClient(cds_app(ehr, tmp_path_factory.mktemp("cds") / "ehr-jwks.json"), base_url=BASE_URL)
    test_client.auth = EhrAuth(ehr)
    return test_client


def _cards(client: TestClient, bundle: dict[str, Any]) -> list[dict[str, Any]]:
    # the patient in context is the bundle's own patient (a wrong patient's data are refused)
    patient = next(e["resource"]["id"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    body = {"hook": "patient-view", "hookInstance": "5f2b1c1e-0000-4000-8000-000000000001",
            "context": {"patientId": patient}, "prefetch": {"bundle": bundle}}
    response = client.post(URL, json=body)
    assert response.status_code == 200
    cards: list[dict[str, Any]] = response.json()["cards"]
    for card in cards:
        assert 0 < len(card["summary"]) < 140 and card["indicator"] in ("info", "warning", "critical")
    return cards


def test_competing_risks_card_warns_for_a_frail_patient(client: TestClient) -> None:
    case = parse_case(FRAIL)
    cards = _cards(client, to_bundle(assess(case), case))
    (card,) = [c for c in cards if c["summary"].startswith("Deaths at 10 y")]
    assert "other causes" in card["summary"] and card["indicator"] == "warning"
    assert "| other causes, surgery only |" in card["detail"] and "Charlson comorbidity index 3" in card["detail"]
    summary = cards[0]
    assert "**Deaths at 10 years**" in summary["detail"]


def test_competing_risks_card_is_information_for_a_fit_patient(client: TestClient) -> None:
    case = parse_case({**FRAIL, "age": 55, "ecog": 0, "charlson_index": 0, "menopausal_status": "post"})
    (card,) = [c for c in _cards(client, to_bundle(assess(case), case)) if c["summary"].startswith("Deaths at")]
    assert card["indicator"] == "info" and "overstates" not in card["summary"]


def test_declined_and_deferred_decisions_get_their_own_cards() -> None:
    cards = build_cards(_assessment_with_preferences(), "h-1")
    declined = next(c for c in cards if c["summary"].startswith("Whole-breast radiotherapy: declined"))
    assert declined["summary"] == "Whole-breast radiotherapy: declined by the patient (the rules: recommended)"
    assert declined["indicator"] == "info" and "overall survival gain of radiotherapy" in declined["detail"]
    deferred = next(c for c in cards if c["summary"].startswith("Chemotherapy: deferred"))
    assert deferred["indicator"] == "warning" and "first trimester" in deferred["detail"]


def test_values_read_but_not_used_are_shown(client: TestClient) -> None:
    cards = _cards(client, _ehr(_obs("76635-2", valueQuantity={"value": 440, "unit": "ms", "code": "ms"})))
    (card,) = [c for c in cards if "read but not used" in c["summary"]]
    assert card["indicator"] == "warning" and "Fridericia" in card["detail"]
