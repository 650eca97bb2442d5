"""Tests of the controls named in docs/safety/hazard-log.md that no other test file covers yet.

Written from the hazard (what must not happen to a patient) and from the requirements of issues 8 and 9,
not from micromets' code: several fail until the controls are built (the hazard log marks them "control in
development"). Each test names its hazard id.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from micromets.api.cdshooks import SERVICE_ID
from micromets.assess import assess
from micromets.cli import app as cli_app
from micromets.errors import CaseValidationError
from micromets.interop.fhir import case_from_bundle, to_bundle
from micromets.model import Assessment, parse_case, parse_case_json

from _auth import BASE_URL, Ehr, EhrAuth, cds_app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "pn1mi.json"
runner = CliRunner()


def example() -> dict[str, Any]:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def with_(data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    for path, value in changes.items():
        target = out
        parts = path.split("__")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return out


def run(data: dict[str, Any], version: str | None = None) -> Assessment:
    return assess(parse_case(data), prognosis_version=version)


# ----------------------------------------------------------------- H-01 a size in centimetres read as mm

def test_h01_an_invasive_size_and_deposit_that_look_like_centimetres_are_warned() -> None:
    """Issue 9: 'an invasive size of 1.8 with a deposit of 0.12' is valid but suspicious (18 mm read as 1.8 mm
    turns pT1c into pT1a and a 1.2 mm micrometastasis into ITC): the warning must say so."""
    data = with_(example(), tumour__size_mm=1.8)
    data["nodes"]["deposits"] = [{"node": 1, "size_mm": 0.12, "method": "he"}]
    warnings = run(data).warnings
    assert any(re.search(r"centimet|\bcm\b", w, re.IGNORECASE) for w in warnings), warnings


def test_h01_a_180_mm_tumour_with_breast_conserving_surgery_is_warned() -> None:
    """Issue 9: a 180 mm invasive tumour treated by breast-conserving surgery is implausible (likely 18 mm)."""
    data = with_(example(), tumour__size_mm=180.0)
    warnings = run(data).warnings
    assert any("180" in w and re.search(r"breast-conserving|bcs|lumpectomy", w, re.IGNORECASE)
               for w in warnings), warnings


# ----------------------------------------------------------------- H-08 unit, percent and fraction slips

def test_h08_receptor_percentages_that_look_like_fractions_are_warned() -> None:
    """ER 0.9 and PR 0.6 'percent' are most likely the fractions 90 % and 60 %: read as percentages they make the
    tumour ER-negative (< 1 %, ASCO/CAP 2020) and withdraw endocrine therapy. Valid, but must be flagged."""
    data = with_(example(), tumour__er_percent=0.9, tumour__pr_percent=0.6)
    warnings = run(data).warnings
    assert any(re.search(r"fraction|0\.9", w, re.IGNORECASE) for w in warnings), warnings


@pytest.mark.parametrize(("path", "value"), [("tumour__size_mm", False), ("tumour__size_mm", True),
                                             ("tumour__size_mm", "18"), ("tumour__lvi", "yes"),
                                             ("ecog", [1]), ("tumour__er_percent", True)])
def test_h08_a_json_boolean_list_or_string_is_never_a_number_or_a_boolean(path: str, value: Any) -> None:
    """Issue 9: 'size_mm: false stages as pT0, true as pT1mi, "yes" becomes true' must be errors naming the field
    (``er_percent: true`` would otherwise be ER 1 %, i.e. ER-positive)."""
    with pytest.raises(CaseValidationError) as caught:
        parse_case(with_(example(), **{path: value}))
    assert path.replace("__", ".") in {p.field for p in caught.value.problems}


def test_h08_duplicate_json_keys_are_an_error() -> None:
    """Issue 9: duplicate keys silently kept the last value (e.g. two ER values)."""
    text = json.dumps(example())[:-1] + ', "age": 41, "age": 83}'
    with pytest.raises(CaseValidationError):
        parse_case_json(text)


# ------------------------------------------------------------------- H-11 a crash on hostile input

def test_h11_hostile_jsonl_lines_each_give_one_output_line_and_no_traceback(tmp_path: Path) -> None:
    """Issue 9: nesting ~1,000 deep, an integer over 4,300 digits, a lone surrogate and invalid UTF-8 each
    give one error line; the valid lines before and after are still assessed; exit status 2."""
    good = json.dumps(example())
    lines = [
        good.encode(),
        b"[" * 1000 + b"]" * 1000,
        b'{"id": "big", "age": ' + b"9" * 5000 + b"}",
        b'{"id": "\\ud800", "age": 50}',
        b'{"id": "bad-utf8 \xff\xfe"}',
        good.encode(),
    ]
    source = tmp_path / "hostile.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    result = runner.invoke(cli_app, ["assess", "--jsonl", str(source)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code == 2, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == len(lines)
    assert "staging" in records[0] and "staging" in records[-1]
    assert all("error" in r for r in records[1:-1])


def test_h11_a_far_future_surgery_date_never_crashes() -> None:
    """Issue 9: surgery.date in year 9990 or later raised an unhandled ValueError (HTTP 500 on every path)."""
    data = with_(example(), surgery__date="9999-12-31")
    result = runner.invoke(cli_app, ["assess", "-", "--format", "ics"], input=json.dumps(data))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 2)


# ------------------------------------------------------------- H-06 another patient's FHIR data

def _patient_bundle(patient_id: str, subject: str | None) -> dict[str, Any]:
    observation: dict[str, Any] = {
        "resourceType": "Observation", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "21889-1"}]},
        "valueQuantity": {"value": 14, "unit": "mm", "code": "mm"}}
    if subject is not None:
        observation["subject"] = {"reference": subject}
    return {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Patient", "id": patient_id, "gender": "female"}},
        {"resource": observation}]}


def test_h06_fhir_import_refuses_a_bundle_with_two_patients() -> None:
    bundle = _patient_bundle("p1", "Patient/p1")
    bundle["entry"].append({"resource": {"resourceType": "Patient", "id": "p2", "gender": "female"}})
    with pytest.raises(CaseValidationError) as caught:
        case_from_bundle(bundle)
    assert any("patient" in (p.field + p.message).lower() for p in caught.value.problems)


def test_h06_fhir_import_refuses_a_resource_about_another_patient() -> None:
    with pytest.raises(CaseValidationError) as caught:
        case_from_bundle(_patient_bundle("p1", "Patient/p2"))
    assert any("p2" in p.message or "subject" in p.field for p in caught.value.problems)


def test_h06_fhir_import_accepts_resources_about_the_same_patient() -> None:
    assert case_from_bundle(_patient_bundle("p1", "Patient/p1")).tumour.size_mm == 14.0  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """A trusted EHR that signs a JWT for every call (CDS Hooks authentication: test_cdshooks_auth)."""
    ehr = Ehr()
    test_client = TestClient(cds_app(ehr, tmp_path_factory.mktemp("cds") / "ehr-jwks.json"), base_url=BASE_URL)
    test_client.auth = EhrAuth(ehr)
    return test_client


def _cds_request(context_patient: str, prefetch: dict[str, Any]) -> dict[str, Any]:
    return {"hook": "patient-view", "hookInstance": "0f5c3a52-1d1e-4a43-9a5e-5d6a2a1b7c11",
            "context": {"userId": "Practitioner/1", "patientId": context_patient}, "prefetch": prefetch}


def _cards(client: TestClient, body: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post(f"/cds-services/{SERVICE_ID}", json=body)
    assert response.status_code in (200, 422), response.text
    return response.json().get("cards", []) if response.status_code == 200 else []


def test_h06_cds_hooks_gives_no_advice_from_another_patients_prefetch(client: TestClient) -> None:
    """The EHR asks about patient p1 but the prefetched data are about p2: no stage or advice may be shown."""
    bundle = _patient_bundle("p2", "Patient/p2")
    cards = _cards(client, _cds_request("p1", {"patient": bundle["entry"][0]["resource"],
                                               "observations": {"resourceType": "Bundle", "type": "searchset",
                                                                "entry": [bundle["entry"][1]]}}))
    assert all(c["indicator"] in ("warning", "critical") for c in cards), [c["summary"] for c in cards]
    assert not any(re.search(r"\b[cp]T[0-9is]", c["summary"]) for c in cards)
    assert any("patient" in (c["summary"] + c.get("detail", "")).lower() for c in cards) or not cards


def test_h06_cds_hooks_gives_no_advice_from_a_micromets_bundle_of_another_patient(client: TestClient) -> None:
    case = parse_case({**example(), "id": "someone-else"})
    bundle = to_bundle(assess(case), case)
    cards = _cards(client, _cds_request("p1", {"bundle": bundle}))
    assert not any(re.search(r"\b[cp]T[0-9is]", c["summary"]) for c in cards), [c["summary"] for c in cards]


# ------------------------------------------------ H-04 a model applied outside its population

def test_h04_predict_is_not_applied_silently_to_a_man() -> None:
    """PREDICT was derived and validated in women (Wishart 2010/2012; v3 East Anglia cohort): for a man the
    figures are either withheld or shown with a warning that names the model and the population."""
    data = with_(example(), sex="male")
    data.pop("menopausal_status", None)
    assessment = run(data)
    assert assessment.prognosis is None or any(
        re.search(r"predict", w, re.IGNORECASE) and re.search(r"\bm(ale|en)\b", w, re.IGNORECASE)
        for w in assessment.warnings), assessment.warnings


def test_h04_other_cause_mortality_is_shown_beside_breast_cancer_mortality() -> None:
    """Issue 8 item 6: the competing risk decides treatment for frail patients; PREDICT's all-cause mortality is
    breast-cancer plus other-cause deaths, so the three series add up."""
    prognosis = run(example()).prognosis
    assert prognosis is not None and prognosis.other_cause_mortality is not None
    for which in ("surgery_only", "with_treatments"):
        os_ = getattr(prognosis.overall_survival, which)
        bc = getattr(prognosis.breast_cancer_mortality, which)
        oc = getattr(prognosis.other_cause_mortality, which)
        assert len(oc) == len(prognosis.years)
        assert all(abs(o + b + c - 1) < 1e-3 for o, b, c in zip(os_, bc, oc, strict=True))


def test_h07_an_assumed_heart_dose_is_reported_with_the_figures() -> None:
    """Issue 8 item 3: PREDICT v3.2 needs the mean heart dose with radiotherapy; when the case lacks it the value
    used must be named next to the figures (no silent default)."""
    data = example()
    data.pop("treatments", None)
    prognosis = run(data, "3.2").prognosis
    assert prognosis is not None and "radiotherapy" in prognosis.treatments_evaluated
    assumed = {a.input: a.value_used for a in prognosis.assumptions}
    assert "treatments.heart_dose_gy" in assumed, prognosis.assumptions



# ------------------------------------------------- H-14 a free-text comorbidity that no rule reads

def test_h14_free_text_comorbidities_are_flagged_as_not_interpreted() -> None:
    """Free text is never parsed (by design), so every output must say which entries the rules did not read:
    a warning naming each entry travels with the assessment to every format (text, JSON, CDS Hooks, FHIR)."""
    data = with_(example(), comorbidities=["on haemodialysis three times a week", "myocardial infarction 2025"])
    warnings = run(data).warnings
    flagged = [w for w in warnings if re.search(r"not (been )?(interpreted|parsed|read|used)", w, re.IGNORECASE)]
    assert any("haemodialysis" in w for w in flagged) and any("myocardial" in w for w in flagged), warnings
