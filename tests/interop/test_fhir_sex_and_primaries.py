"""FHIR import: a Patient without a gender, ICD-10-CM header codes, two primaries, and each import warning once.

Three hand-written bundles in ``bundles-sex/``; the expectations were written from the sources:

- FHIR R4 Patient.gender is optional (0..1): a Patient without it says nothing of the sex, which then stays
  unrecorded (never read as a woman's). ASCO 2020 (male breast cancer, Hassett et al.): tamoxifen for a man, an
  aromatase inhibitor only with a GnRH agonist; EBCTCG 2015: adjuvant bisphosphonates in postmenopausal women;
  ASCO-SSO 2024: over 65, male breast cancer is a criterion for germline BRCA1/2 testing.
- ICD-10-CM tabular list, category C50 (malignant neoplasm of breast): 4th character the site (C50.9 unspecified
  site), 5th character the sex (C50.91 "malignant neoplasm of breast of unspecified site, female", C50.92 "..., male"),
  6th character the side (C50.911 right, C50.912 left). The category and subcategory codes above the 6th character
  are headers, not billable, which other systems still send: they are breast cancer, with the sex where the 5th
  character gives it and no side.
- Bilateral breast cancer is two primaries, each staged on its own (AJCC 8th ed.): a case is one primary.
- CDS Hooks 2.0: cards are independent of one another; a warning shown on two cards is shown twice.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from _bundles import Expected, assessed_through_the_cli
from micromets.api.cdshooks import SERVICE_ID
from micromets.errors import CaseValidationError
from micromets.interop.fhir import import_bundle
from micromets.interop.fhir._context import breast_cancer_kind, coded_sex

from _auth import BASE_URL, Ehr, EhrAuth, cds_app

BUNDLES = Path(__file__).parent / "bundles-sex"
FOLLOWUP = Path(__file__).parent / "bundles-followup"

#: (T, N, M, anatomic, pathological prognostic, clinical prognostic); None = not checked. AJCC 8: 16 mm T1c, one
#: sentinel micrometastasis pN1mi(sn), T1 N1mi M0 IB; 21 mm T2, 0 of 2 sentinel nodes pN0(sn), T2 N0 M0 IIA.
STAGED: Expected = {
    "gender-absent": ("pT1c", "pN1mi(sn)", "cM0", "IB", None, None),
    "icd10cm-header-code": ("pT2", "pN0(sn)", "cM0", "IIA", None, None),
}


def _bundle(name: str, folder: Path = BUNDLES) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / f"{name}.json").read_text())
    return data


def _missing(assessment: dict[str, Any], field: str) -> list[dict[str, Any]]:
    return [m for m in assessment["missing"] if m["field"] == field]


# --- a Patient without a gender ----------------------------------------------------------------------------------

def test_a_patient_without_a_gender_has_no_sex() -> None:
    imported = import_bundle(_bundle("gender-absent"))
    assert imported.case.sex is None and imported.case.menopausal_status is None
    assert imported.case.age == 71  # born 1955-03-10, diagnosed 2026-09-01


def test_a_patient_without_a_gender_is_not_assessed_as_a_woman() -> None:
    assessment = assessed_through_the_cli(BUNDLES, STAGED, "gender-absent")
    decisions = assessment["decisions"]
    # ER 95 %: endocrine therapy either way; the agent is a man's or a woman's: named, with the sex asked for
    assert decisions["endocrine"] == "recommended"
    endocrine = next(r for r in assessment["recommendations"] if r["id"].startswith("systemic.endocrine."))
    assert "for a man tamoxifen" in endocrine["text"] and "ASCO-MALE-2020" in endocrine["evidence"]
    # a bisphosphonate: a postmenopausal woman's to discuss, not a man's (EBCTCG 2015)
    assert decisions["bisphosphonate"] == "insufficient_data"
    assert any("bisphosphonate" in m["decisions"] for m in _missing(assessment, "sex"))
    # over 65: male breast cancer would make germline testing advised (ASCO-SSO 2024)
    assert any("germline" in m["why"] for m in _missing(assessment, "sex"))


@pytest.mark.parametrize("gender", ["unknown", "other"])
def test_an_unusable_gender_no_longer_says_the_rules_for_women_apply(gender: str) -> None:
    bundle = _bundle("gender-unknown", FOLLOWUP)
    bundle["entry"][0]["resource"]["gender"] = gender
    why = [w for f, w in import_bundle(bundle).missing if f == "sex"]
    assert why and "as for a woman" not in why[0] and "missing" in why[0]


# --- ICD-10-CM header codes ----------------------------------------------------------------------------------------

_CM = "http://hl7.org/fhir/sid/icd-10-cm"


def _condition(code: str) -> dict[str, Any]:
    return {"resourceType": "Condition", "id": "c", "code": {"coding": [{"system": _CM, "code": code}]}}


@pytest.mark.parametrize(("code", "kind", "sex"), [
    ("C50", "invasive", None),        # the category
    ("C50.9", "invasive", None),      # unspecified site, no sex
    ("C50.91", "invasive", "female"),
    ("C50.92", "invasive", "male"),
    ("C50.4", "invasive", None),      # upper-outer quadrant
    ("C50.41", "invasive", "female"),
    ("C50.62", "invasive", "male"),   # axillary tail, male
    ("C50.912", "invasive", "female"),
    ("C50.7", None, None),            # no such subcategory (8 is overlapping sites)
    ("C50.93", None, None),           # 5th character 1 or 2 only
])
def test_icd10cm_header_codes_are_breast_cancer_with_the_sex_they_name(code: str, kind: str | None,
                                                                       sex: str | None) -> None:
    condition = _condition(code)
    assert breast_cancer_kind(condition) == kind
    assert coded_sex(condition) == ([(code, sex)] if sex else [])


def test_a_header_code_condition_is_the_cancer_assessed_without_a_side() -> None:
    assessment = assessed_through_the_cli(BUNDLES, STAGED, "icd10cm-header-code")
    case = import_bundle(_bundle("icd10cm-header-code")).case
    assert case.sex == "female" and case.age == 70  # the onset of the C50.91 Condition gives the age
    assert case.tumour is not None and case.tumour.laterality is None  # C50.91 names no side
    assert not any("not used" in w and "C50.91" in w for w in assessment["warnings"])


def test_a_header_code_of_the_other_sex_is_an_error_on_sex() -> None:
    bundle = _bundle("icd10cm-header-code")
    bundle["entry"][0]["resource"]["gender"] = "male"
    with pytest.raises(CaseValidationError) as caught:
        import_bundle(bundle)
    assert [p.field for p in caught.value.problems] == ["sex"]
    assert "C50.91" in caught.value.problems[0].message


# --- two primaries -------------------------------------------------------------------------------------------------

def test_breast_cancers_of_both_breasts_are_refused_naming_each_condition() -> None:
    with pytest.raises(CaseValidationError) as caught:
        import_bundle(_bundle("bilateral-two-primaries"))
    (problem,) = caught.value.problems
    assert problem.field == "tumour.laterality"
    for words in ("Condition/breast-ca-right", "right", "C50.411", "Condition/breast-ca-left", "left", "C50.212",
                  "one primary per case"):
        assert words in problem.message, words


def test_two_conditions_of_one_side_are_read_as_the_one_cancer() -> None:
    """A problem-list entry and an encounter diagnosis of the same tumour: no second primary is said."""
    bundle = _bundle("bilateral-two-primaries")
    for entry in bundle["entry"]:
        if entry["resource"].get("id") == "breast-ca-left":
            entry["resource"]["code"]["coding"][0]["code"] = "C50.911"  # right, as the other
    case = import_bundle(bundle).case
    assert case.tumour is not None and case.tumour.laterality == "right"


# --- CDS Hooks: each import warning once ---------------------------------------------------------------------------

def test_each_import_warning_is_on_one_card_only(tmp_path: Path) -> None:
    ehr = Ehr()
    client = TestClient(cds_app(ehr, tmp_path / "ehr-jwks.json"), base_url=BASE_URL)
    client.auth = EhrAuth(ehr)
    bundle = _bundle("deceased-registry-extract", FOLLOWUP)
    body = {"hook": "patient-view", "hookInstance": "5f0c8a9e-3d2b-4c1e-9a7f-2b6d8e4c1a31",
            "context": {"userId": "Practitioner/1", "patientId": "dec-6"}, "prefetch": {"bundle": bundle}}
    response = client.post(f"/cds-services/{SERVICE_ID}", json=body)
    assert response.status_code == 200
    cards = response.json()["cards"]
    died = [c for c in cards if "deceasedDateTime" in c["detail"]]
    assert len(died) == 1 and died[0]["indicator"] == "warning"
    assert died[0]["detail"].count("deceasedDateTime") == 1
    lines = [line for c in cards if c["indicator"] == "warning" for line in c["detail"].splitlines()
             if line.startswith("- ")]
    assert len(lines) == len(set(lines))
