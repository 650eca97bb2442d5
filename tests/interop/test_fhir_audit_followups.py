"""Follow-ups of the FHIR import audit: the breast cancer coded in a classification, and the Patient resource.

Eight hand-written bundles in ``bundles-followup/``; the expectations were written from the sources before the
bundles were run:

- ICD-10-CM (system ``http://hl7.org/fhir/sid/icd-10-cm``, OID 2.16.840.1.113883.6.90): C50 malignant neoplasm of
  breast, 5th character 1 female / 2 male breast, 6th character 1 right / 2 left / 9 unspecified side (C50.412 upper-
  outer quadrant of the left female breast); D05 carcinoma in situ of breast, 5th character 1 right / 2 left (D05.0x
  lobular, D05.1x intraductal). The mCODE IG lists these codes in PrimaryMalignantNeoplasmDisorderVS and
  CarcinomaInSituDisorderVS (HL7/fhir-mCODE-ig 543477b5, VS_CancerCondition.fsh); C79.81 is a *secondary* neoplasm of
  the breast (SecondaryCancerDisorderVS), not a breast cancer.
- WHO ICD-10 (``http://hl7.org/fhir/sid/icd-10``): C50.0-C50.9 without side; D05.0 lobular, D05.1 intraductal, D05.7
  other, D05.9 unspecified carcinoma in situ of breast.
- mCODE PrimaryCancerCondition: "If ICD-O-3 is used, the primary cancer disorder code must be SNOMED CT 363346000 ...
  the ICD-O-3 ... topography codes should be entered in the ... body location" (ICD-O-3 topography C50.x breast, C77.3
  lymph nodes of axilla or arm).
- AJCC 8th ed. (breast): LCIS is benign and not staged (no Tis (LCIS)): a D05.0 Condition is not the cancer assessed.
- FHIR R4 Patient: ``deceased[x]`` (boolean or dateTime) says whether the patient has died; ``gender`` is the
  AdministrativeGender (male | female | other | unknown), so 'other' and 'unknown' do not give the sex.
- Stage: AJCC 8th ed. chapter 48 (T1b > 5-10 mm, T1c > 10-20 mm, T2 > 20-50 mm; no nodal metastasis in the sentinel
  nodes -> pN0(sn); anatomic T1 N0 M0 IA, T2 N0 M0 IIA).
- A drug given before the breast cancer's onset, or for another Condition, is no treatment of this cancer; an
  anthracycline then is the case's prior anthracycline (its cumulative dose limits another one: docs/interop.md).
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
from micromets.interop.fhir._context import breast_cancer_kind

from _auth import BASE_URL, Ehr, EhrAuth, cds_app

BUNDLES = Path(__file__).parent / "bundles-followup"

#: (T, N, M, anatomic, pathological prognostic, clinical prognostic); None = not checked
STAGED: Expected = {
    "icd10cm-cancer-prior-anthracycline": ("pT1c", "pN0(sn)", "cM0", "IA", None, None),   # 14 mm, 0 of 2 sentinel
    "icdo3-topography-lymphoma-and-breast": ("pT1c", "pN0(sn)", "cM0", "IA", None, None),  # 18 mm, 0 of 1
    "icd10cm-dcis-then-invasive": ("pT1b", "pN0(sn)", "cM0", "IA", None, None),            # 9 mm, 0 of 2
    "deceased-registry-extract": ("pT1c", "pN0(sn)", "cM0", "IA", None, None),             # 16 mm, 0 of 2
    "gender-unknown": ("pT2", "pN0(sn)", "cM0", "IIA", None, None),                         # 21 mm, 0 of 2
}

#: the field the error must name and the words of its message
REFUSED = {
    "icd10cm-laterality-contradicts-body-site": ("tumour.laterality", ("C50.911", "right", "left")),
    "birth-date-after-onset": ("age", ("2026-04-21", "2026-03-10", "Condition/breast-ca")),
}

READ = {"icd10-who-neoadjuvant-reason"}


def _bundle(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((BUNDLES / f"{name}.json").read_text())
    return data


def test_every_bundle_in_the_folder_has_an_expectation() -> None:
    assert {p.stem for p in BUNDLES.glob("*.json")} == set(STAGED) | set(REFUSED) | READ


@pytest.mark.parametrize("name", sorted(STAGED))
def test_bundle_stages_through_the_cli(name: str) -> None:
    assessed_through_the_cli(BUNDLES, STAGED, name)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_contradictory_data_are_a_field_named_error(name: str) -> None:
    field, words = REFUSED[name]
    with pytest.raises(CaseValidationError) as caught:
        import_bundle(_bundle(name))
    named = [p for p in caught.value.problems if p.field == field]
    assert named, caught.value.problems
    assert all(word in named[0].message for word in words), named


# --- 1. the breast cancer coded in ICD-10-CM / ICD-10 / with an ICD-O-3 topography ---------------------------------

def test_an_icd10cm_breast_cancer_sets_an_old_anthracycline_apart() -> None:
    imported = import_bundle(_bundle("icd10cm-cancer-prior-anthracycline"))
    case = imported.case
    # doxorubicin 2009 (Hodgkin lymphoma), no reasonReference; the breast cancer C50.412 from 2026-02-03
    assert not case.neoadjuvant and case.neoadjuvant_therapy is None
    assert case.conditions is not None and case.conditions.prior_anthracycline is True
    assert any("MedicationStatement/abvd-doxorubicin" in w and "2009-06-02" in w for w in imported.warnings)
    assert case.tumour is not None and case.tumour.laterality == "left"  # C50.412: 6th character 2
    assert case.age == 46  # born 1979-06-14, onset 2026-02-03 (the lymphoma's onset is not the diagnosis)
    assert case.treatments is not None and case.treatments.endocrine is True  # letrozole after the operation


def test_a_breast_cancer_condition_entered_in_error_does_not_date_the_drugs() -> None:
    # FHIR R4 condition-ver-status entered-in-error: the statement was made in error, it is not a diagnosis; its onset
    # (2008) must not make the 2009 doxorubicin a treatment of the breast cancer
    bundle = _bundle("icd10cm-cancer-prior-anthracycline")
    wrong = {"resourceType": "Condition", "id": "wrong-entry", "subject": {"reference": "Patient/icd-cm-1"},
             "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                                                "code": "entered-in-error"}]},
             "code": {"coding": [{"system": "http://snomed.info/sct", "code": "254837009"}]}, "onsetDateTime": "2008-01-07"}
    bundle["entry"].append({"resource": wrong})
    case = import_bundle(bundle).case
    assert not case.neoadjuvant
    assert case.conditions is not None and case.conditions.prior_anthracycline is True
    assert case.age == 46


def test_chemotherapy_whose_reason_is_the_icd10_coded_cancer_is_its_treatment() -> None:
    case = import_bundle(_bundle("icd10-who-neoadjuvant-reason")).case
    # reasonReference -> the breast cancer (WHO ICD-10 C50.9): not "given for another condition"
    assert case.neoadjuvant is True
    assert case.neoadjuvant_therapy is not None and case.neoadjuvant_therapy.agents == ["anthracycline", "taxane"]
    assert case.conditions is None or case.conditions.prior_anthracycline is None
    assert case.tumour is not None and case.tumour.laterality == "right"  # ICD-10 has no side: the body site gives it
    assert case.age == 56  # born 1968-11-30, onset 2025-09-15


def test_a_generic_cancer_code_with_another_icdo3_topography_is_another_cancer() -> None:
    imported = import_bundle(_bundle("icdo3-topography-lymphoma-and-breast"))
    case = imported.case
    # 363346000 at C77.3 (axillary nodes, 2004) is the lymphoma; 363346000 at C50.4 (2026) the breast cancer
    assert case.age == 51  # born 1975-01-20, onset 2026-05-18 -- not 29, the age at the lymphoma
    assert not case.neoadjuvant
    assert case.conditions is not None and case.conditions.prior_anthracycline is True


def test_an_earlier_dcis_is_not_the_cancer_assessed() -> None:
    imported = import_bundle(_bundle("icd10cm-dcis-then-invasive"))
    case = imported.case
    assert case.tumour is not None and case.tumour.laterality == "right"  # C50.211; the DCIS D05.12 was left
    assert case.age == 64  # born 1961-10-08, invasive onset 2026-01-15 (not 52 at the DCIS)
    assert not case.neoadjuvant and (case.treatments is None or case.treatments.endocrine is None)
    assert any("MedicationStatement/tamoxifen-2014" in w for w in imported.warnings)  # before this cancer: not its
    assert any("Condition/dcis-2014" in w and "in situ" in w for w in imported.warnings)


def _condition(system: str, code: str, **more: Any) -> dict[str, Any]:
    return {"resourceType": "Condition", "id": "c", "code": {"coding": [{"system": system, "code": code}]}, **more}


_CM, _WHO = "http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10"


@pytest.mark.parametrize(("system", "code", "kind"), [
    (_CM, "C50.412", "invasive"), (_CM, "C50.929", "invasive"), (_WHO, "C50.9", "invasive"), (_WHO, "C50", "invasive"),
    (_CM, "D05.11", "in_situ"), (_CM, "D05.90", "in_situ"), (_WHO, "D05.1", "in_situ"), (_WHO, "D05.7", "in_situ"),
    (_CM, "D05.02", None),   # lobular carcinoma in situ: benign in AJCC 8
    (_WHO, "D05.0", None),
    (_CM, "C79.81", None),   # secondary malignant neoplasm of breast: a metastasis to the breast
    (_CM, "C81.10", None),   # Hodgkin lymphoma
    (_WHO, "C50.412", None),  # an ICD-10-CM code under the WHO system URI is not a WHO code
    ("urn:oid:2.16.840.1.113883.6.90", "C50.911", "invasive"),
])
def test_which_classification_codes_are_the_breast_cancer(system: str, code: str, kind: str | None) -> None:
    assert breast_cancer_kind(_condition(system, code)) == kind


def test_an_in_situ_condition_alone_is_the_cancer_and_gives_its_side() -> None:
    patient = {"resourceType": "Patient", "id": "p", "gender": "female", "birthDate": "1970-01-01"}
    dcis = {**_condition(_CM, "D05.11"), "subject": {"reference": "Patient/p"}, "onsetDateTime": "2026-03-01"}
    case = import_bundle({"resourceType": "Bundle", "type": "collection",
                          "entry": [{"resource": patient}, {"resource": dcis}]}).case
    assert case.tumour is not None and case.tumour.laterality == "right"
    assert case.age == 56


def test_a_code_side_agreeing_with_the_body_site_is_no_conflict() -> None:
    bundle = _bundle("icd10cm-laterality-contradicts-body-site")
    for entry in bundle["entry"]:
        if entry["resource"].get("id") == "breast-ca":
            entry["resource"]["code"]["coding"][0]["code"] = "C50.912"  # left, as the body site
    case = import_bundle(bundle).case
    assert case.tumour is not None and case.tumour.laterality == "left"


# --- 2. deceased ------------------------------------------------------------------------------------------------

def test_a_deceased_patient_is_assessed_with_a_warning_naming_the_field() -> None:
    assessment = assessed_through_the_cli(BUNDLES, STAGED, "deceased-registry-extract")
    died = [w for w in assessment["warnings"] if "Patient.deceasedDateTime is 2027-08-30" in w]
    assert died and "not advice" in died[0]


@pytest.mark.parametrize(("deceased", "warned"), [({"deceasedBoolean": True}, True), ({"deceasedBoolean": False}, False),
                                                  ({}, False)])
def test_deceased_boolean(deceased: dict[str, Any], warned: bool) -> None:
    bundle = _bundle("deceased-registry-extract")
    patient = bundle["entry"][0]["resource"]
    patient.pop("deceasedDateTime")
    patient.update(deceased)
    imported = import_bundle(bundle)
    assert any("Patient.deceasedBoolean" in w for w in imported.warnings) is warned


def test_a_cds_hooks_call_for_a_deceased_patient_shows_the_warning(tmp_path: Path) -> None:
    ehr = Ehr()
    client = TestClient(cds_app(ehr, tmp_path / "ehr-jwks.json"), base_url=BASE_URL)
    client.auth = EhrAuth(ehr)
    body = {"hook": "patient-view", "hookInstance": "5f0c8a9e-3d2b-4c1e-9a7f-2b6d8e4c1a30",
            "context": {"userId": "Practitioner/1", "patientId": "dec-6"},
            "prefetch": {"bundle": _bundle("deceased-registry-extract")}}
    response = client.post(f"/cds-services/{SERVICE_ID}", json=body)
    assert response.status_code == 200
    warned = [c for c in response.json()["cards"] if c["indicator"] == "warning" and "deceasedDateTime" in c["detail"]]
    assert warned and "not advice" in warned[0]["detail"]


# --- 3. gender other / unknown ----------------------------------------------------------------------------------

@pytest.mark.parametrize("gender", ["unknown", "other"])
def test_an_administrative_gender_that_is_no_sex_is_reported(gender: str) -> None:
    bundle = _bundle("gender-unknown")
    bundle["entry"][0]["resource"]["gender"] = gender
    imported = import_bundle(bundle)
    assert imported.case.sex is None  # not inferred from the code's "male breast" either
    why = [w for f, w in imported.missing if f == "sex"]
    # the sex stays unrecorded: the decisions that turn on it name it (never "as for a woman")
    assert why and f"'{gender}'" in why[0] and "as for a woman" not in why[0]
    assert imported.case.tumour is not None and imported.case.tumour.laterality == "right"  # C50.921


@pytest.mark.parametrize(("gender", "code", "agrees"), [
    ("male", "C50.921", True),     # right male breast
    ("female", "C50.921", False),  # ICD-10-CM 5th character 2: male breast
    ("male", "C50.911", False),    # 5th character 1: female breast
    ("female", "C50.911", True),
])
def test_the_sex_an_icd10cm_code_names_is_checked_against_the_gender(gender: str, code: str, agrees: bool) -> None:
    bundle = _bundle("gender-unknown")
    bundle["entry"][0]["resource"]["gender"] = gender
    bundle["entry"][1]["resource"]["code"]["coding"][0]["code"] = code
    if agrees:
        assert import_bundle(bundle).case.sex == gender
    else:
        with pytest.raises(CaseValidationError) as caught:
            import_bundle(bundle)
        assert [p.field for p in caught.value.problems] == ["sex"]
        assert code in caught.value.problems[0].message


def test_the_missing_sex_reaches_the_assessment() -> None:
    assessment = assessed_through_the_cli(BUNDLES, STAGED, "gender-unknown")
    assert any(m["field"] == "sex" and "Patient.gender is 'unknown'" in m["why"] for m in assessment["missing"])


# --- 4. a birth date after the onset ----------------------------------------------------------------------------

def test_a_birth_date_after_the_onset_names_both_dates_not_a_negative_age() -> None:
    with pytest.raises(CaseValidationError) as caught:
        import_bundle(_bundle("birth-date-after-onset"))
    assert [p.field for p in caught.value.problems] == ["age"]
    assert "got -1" not in caught.value.problems[0].message
