"""FHIR R4 / mCODE in and out for the patient context: fitness, comorbidities, pregnancy, laterality, preferences.

Codes as published (knowledge/interop/fhir_codes.json names each source): mCODE ECOGPerformanceStatus (LOINC
89247-1, valueInteger) and KarnofskyPerformanceStatus (89243-0); mCODE Comorbidities (SNOMED CT 398192003 with the
comorbidConditionPresent/Absent extensions); mCODE laterality qualifier (7771000 left, 24028007 right) on a breast
structure (76752008) body site; US Core pregnancy status (LOINC 82810-3, SNOMED CT 77386006 pregnant, 60001007 not
pregnant); LOINC 49051-6 gestational age in weeks, 10230-1 / 18043-0 LVEF, 76634-5 QTc by Fridericia (8636-3 is a
QTc without method), eGFR 33914-3 / 62238-1 / 98979-8 / 48642-3 / 48643-1; refusal of treatment by patient
SNOMED CT 105480006 (mCODE TreatmentTerminationReasonVS) as Procedure.statusReason of a not-done Procedure.

The import bundles below are written by hand the way an EHR codes these facts (mCODE examples: effective dates,
performers, interpretations, category survey), not produced by the exporter.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class

from micromets.assess import assess
from micromets.errors import CaseValidationError
from micromets.interop.fhir import case_from_bundle, import_bundle, to_bundle
from micromets.interop.fhir.codes import local
from micromets.model import Assessment, Case, parse_case
from micromets.model.assessment import Findings, Prognosis, Recommendation, Staging

LOINC, SCT, UCUM = "http://loinc.org", "http://snomed.info/sct", "http://unitsofmeasure.org"
LATERALITY = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-laterality-qualifier"
PRESENT = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-related-condition"
ABSENT = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-related-condition-absent"

BASE: dict[str, Any] = {
    "id": "ctx-1", "age": 76, "sex": "female", "menopausal_status": "post", "detection": "symptomatic",
    "tumour": {"size_mm": 14, "grade": 2, "er_percent": 90, "pr_percent": 20, "her2_ihc": "1+", "ki67_percent": 15},
    "nodes": {"procedure": "slnb", "examined": 2, "deposits": [{"node": 1, "size_mm": 1.1, "method": "he"}]},
    "surgery": {"breast": "bcs", "status": "done", "date": "2026-09-14"},
}

FULL: dict[str, Any] = {
    **BASE,
    "ecog": 2, "lvef_percent": 48.5, "charlson_index": 3, "g8_score": 12.5, "clinical_frailty_scale": 6,
    "life_expectancy_years": 5, "smoker": False, "comorbidities": ["COPD GOLD 2"],
    "tumour": {**BASE["tumour"], "laterality": "right", "quadrant": "lower_inner", "multifocal": True,
               "nuclear_grade": 3},
    "nodes": {**BASE["nodes"], "sentinel_nodes_removed": 2, "tracers": ["radioisotope", "blue_dye"]},
    "conditions": {
        "heart_failure": True, "ischaemic_heart_disease": False, "prior_anthracycline": True,
        "prior_anthracycline_mg_m2": 240, "venous_thromboembolism": True, "thrombophilia": False,
        "osteoporosis": True, "fragility_fracture": False, "egfr_ml_min": 52, "dental_health": "needs_treatment",
        "dental_surgery_planned": True, "peripheral_neuropathy_grade": 2, "interstitial_lung_disease": False,
        "autoimmune_disease": "active", "organ_transplant": False, "qtcf_ms": 452, "dpd_deficiency": "partial",
    },
    "preferences": {"declined": ["chemotherapy", "endocrine", "whole_breast_rt", "ovarian_function_suppression"]},
    "treatments": {"endocrine": True, "radiotherapy": True, "heart_dose_gy": 1.2},
}

VARIANTS: dict[str, dict[str, Any]] = {
    "full": FULL,
    "pregnant": {**BASE, "age": 34, "menopausal_status": "pre", "ovarian_function_suppression": "planned",
                 "pregnancy": {"status": "pregnant", "trimester": 2, "gestational_age_weeks": 21.5},
                 "tumour": {**BASE["tumour"], "laterality": "left"},
                 "conditions": {"autoimmune_disease": "none", "peripheral_neuropathy_grade": 0}},
    "lactating": {**BASE, "age": 31, "menopausal_status": "pre", "pregnancy": {"status": "lactating"}},
    "not-pregnant-inactive-autoimmune": {**BASE, "age": 40, "menopausal_status": "pre",
                                         "pregnancy": {"status": "not_pregnant"},
                                         "conditions": {"autoimmune_disease": "inactive", "organ_transplant": True}},
    "charlson-only": {**BASE, "charlson_index": 0, "ecog": 0},
    "neoadjuvant-context": {**BASE, "neoadjuvant": True, "surgery": {"breast": "mastectomy", "status": "done"},
                            "neoadjuvant_therapy": {"pre_treatment_size_mm": 40, "pre_treatment_t_extension": "skin",
                                                    "pre_treatment_clinical_nodes": "cN1", "nodes_biopsy_proven": True,
                                                    "agents": ["anthracycline", "taxane"]},
                            "nodes": {"procedure": "slnb", "examined": 4, "sentinel_nodes_removed": 4,
                                      "tracers": ["indocyanine_green"], "clipped_node": "retrieved", "deposits": []}},
}


def _bundle(case: Case) -> dict[str, Any]:
    return to_bundle(assess(case), case)


def _by_code(bundle: dict[str, Any], system: str, code: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"]
            if any(c.get("system") == system and c.get("code") == code
                   for c in (e["resource"].get("code") or {}).get("coding", []))]


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_round_trip_with_every_new_field(name: str) -> None:
    case = parse_case(copy.deepcopy(VARIANTS[name]))
    bundle = _bundle(case)
    for entry in bundle["entry"]:
        get_fhir_model_class(entry["resource"]["resourceType"]).model_validate(entry["resource"])
    imported = import_bundle(bundle)
    assert imported.case == case
    assert imported.warnings == []


def test_export_uses_the_standard_codes() -> None:
    bundle = _bundle(parse_case(copy.deepcopy(FULL)))
    (ecog,) = _by_code(bundle, LOINC, "89247-1")
    assert ecog["valueInteger"] == 2 and ecog["category"][0]["coding"][0]["code"] == "survey"
    (lvef,) = _by_code(bundle, LOINC, "10230-1")
    assert lvef["valueQuantity"] == {"value": 48.5, "unit": "%", "system": UCUM, "code": "%"}
    (qtc,) = _by_code(bundle, LOINC, "76634-5")
    assert qtc["valueQuantity"]["value"] == 452 and qtc["valueQuantity"]["code"] == "ms"
    (comorbidities,) = _by_code(bundle, SCT, "398192003")
    assert comorbidities["valueInteger"] == 3 and comorbidities["method"]["text"] == "Charlson Comorbidity Index"
    absent = {c["code"] for x in comorbidities["extension"] if x["url"] == ABSENT
              for c in x["valueCodeableConcept"]["coding"] if c["system"] == SCT}
    assert absent == {"414545008", "234467004", "443165006", "233703007", "161663000"}
    present = [x for x in comorbidities["extension"] if x["url"] == PRESENT]
    assert len(present) == 5  # heart failure, VTE, osteoporosis, neuropathy, autoimmune disease
    for code in ("84114007", "429098002", "64859006", "302226006", "85828009"):
        (condition,) = _by_code(bundle, SCT, code)
        assert condition["resourceType"] == "Condition" and condition["verificationStatus"]["coding"][0]["code"] == "confirmed"
    declined = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Procedure"]
    assert len(declined) == 4
    assert all(p["status"] == "not-done" and p["statusReason"]["coding"][0]["code"] == "105480006" for p in declined)
    assert any(c.get("code") == "367336001" for p in declined for c in p["code"]["coding"])  # chemotherapy
    (cancer,) = [e["resource"] for e in bundle["entry"] if e["resource"]["id"].endswith("primary-cancer")]
    site = cancer["bodySite"][0]
    assert site["coding"][0]["code"] == "76752008"
    assert site["extension"][0]["url"] == LATERALITY
    assert site["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "24028007"


def test_export_of_pregnancy_status_and_gestational_age() -> None:
    bundle = _bundle(parse_case(copy.deepcopy(VARIANTS["pregnant"])))
    (status,) = _by_code(bundle, LOINC, "82810-3")
    assert status["valueCodeableConcept"]["coding"][0]["code"] == "77386006"
    (weeks,) = _by_code(bundle, LOINC, "49051-6")
    assert weeks["valueQuantity"]["value"] == 21.5 and weeks["valueQuantity"]["code"] == "wk"


# --- import of EHR-coded bundles -------------------------------------------------------------------------------

def _obs(code: str, system: str = LOINC, **fields: Any) -> dict[str, Any]:
    return {"resourceType": "Observation", "status": "final", "subject": {"reference": "Patient/p9"},
            "effectiveDateTime": "2026-09-01", "code": {"coding": [{"system": system, "code": code}]}, **fields}


def _condition(code: str, *, clinical: str = "active", verification: str = "confirmed", **fields: Any) -> dict[str, Any]:
    return {"resourceType": "Condition", "subject": {"reference": "Patient/p9"},
            "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                           "code": clinical}]},
            "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                                               "code": verification}]},
            "code": {"coding": [{"system": SCT, "code": code}]}, **fields}


def _refused(code: str, display: str, reason: str = "105480006") -> dict[str, Any]:
    return {"resourceType": "Procedure", "status": "not-done", "subject": {"reference": "Patient/p9"},
            "statusReason": {"coding": [{"system": SCT, "code": reason}]},
            "code": {"coding": [{"system": SCT, "code": code, "display": display}]}}


def _ehr(*resources: dict[str, Any]) -> dict[str, Any]:
    patient = {"resourceType": "Patient", "id": "p9", "gender": "female", "birthDate": "1949-03-02"}
    primary = _condition("254837009", onsetDateTime="2026-08-20",
                         bodySite=[{"coding": [{"system": SCT, "code": "76752008"}],
                                    "extension": [{"url": LATERALITY, "valueCodeableConcept": {
                                        "coding": [{"system": SCT, "code": "24028007", "display": "Right"}]}}]}])
    size = _obs("21889-1", component=[{"code": {"coding": [{"system": LOINC, "code": "33728-7"}]},
                                       "valueQuantity": {"value": 1.4, "unit": "cm", "system": UCUM, "code": "cm"}}])
    return {"resourceType": "Bundle", "type": "searchset",
            "entry": [{"resource": r} for r in (patient, primary, size, *resources)]}


def test_an_ehr_coded_bundle_is_read() -> None:
    bundle = _ehr(
        _obs("89247-1", valueInteger=2, category=[{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                                                          "observation-category", "code": "survey"}]}],
             method={"coding": [{"system": SCT, "code": "5880005", "display": "Clinical examination"}]},
             interpretation=[{"coding": [{"system": LOINC, "code": "LA9624-3"}]}]),
        _obs("18043-0", valueQuantity={"value": 45, "unit": "%", "system": UCUM, "code": "%"}),
        _obs("98979-8", valueQuantity={"value": 41, "unit": "mL/min/{1.73_m2}", "system": UCUM,
                                       "code": "mL/min/{1.73_m2}"}),
        _obs("82810-3", valueCodeableConcept={"coding": [{"system": SCT, "code": "60001007"}]}),
        _obs("76634-5", valueQuantity={"value": 0.47, "unit": "s", "system": UCUM, "code": "s"}),
        _obs("398192003", SCT, method={"text": "Charlson Comorbidity Index (1987)"}, valueInteger=3,
             extension=[{"url": ABSENT, "valueCodeableConcept": {"coding": [{"system": SCT, "code": "234467004"}]}}]),
        _condition("84114007", clinical="resolved"),  # past heart failure still counts
        _condition("128053003", onsetDateTime="2019-05-01"),  # a DVT: venous thromboembolism
        _condition("443165006"),  # osteoporotic fracture
        _condition("233703007", verification="refuted"),  # ILD ruled out
        _refused("367336001", "Chemotherapy"),
        _refused("108290001", "Radiotherapy"),
    )
    imported = import_bundle(bundle)
    case = imported.case
    assert (case.id, case.age, case.ecog, case.lvef_percent, case.charlson_index) == ("p9", 77, 2, 45, 3)
    assert case.tumour is not None and case.tumour.laterality == "right" and case.tumour.size_mm == 14
    assert case.pregnancy is not None and case.pregnancy.status == "not_pregnant"
    c = case.conditions
    assert c is not None
    assert (c.egfr_ml_min, c.qtcf_ms, c.heart_failure, c.venous_thromboembolism, c.fragility_fracture) == (
        41, 470, True, True, True)
    assert c.interstitial_lung_disease is False and c.thrombophilia is False
    assert case.preferences is not None
    assert case.preferences.declined == ["chemotherapy", "whole_breast_rt", "boost", "post_mastectomy_rt",
                                         "regional_nodal_irradiation"]
    assert imported.warnings == []


@pytest.mark.parametrize(("unit", "value"), [("mL/min/1.73m2", 58.0), ("mL/min/{1.73_m2}", 58.0)])
@pytest.mark.parametrize("code", ["33914-3", "62238-1", "98979-8", "48642-3", "48643-1"])
def test_every_egfr_code_and_its_unit_spellings(code: str, unit: str, value: float) -> None:
    case = case_from_bundle(_ehr(_obs(code, valueQuantity={"value": value, "unit": unit})))
    assert case.conditions is not None and case.conditions.egfr_ml_min == value


def test_karnofsky_is_the_cases_karnofsky_never_its_ecog() -> None:
    """mCODE KarnofskyPerformanceStatus (LOINC 89243-0, valueInteger): the score itself goes into the case; the
    rated ECOG stays unknown (the pipeline says when it reads a Karnofsky score as ECOG)."""
    imported = import_bundle(_ehr(_obs("89243-0", valueInteger=80,
                                       interpretation=[{"coding": [{"system": LOINC, "code": "LA29177-5"}]}])))
    assert imported.case.ecog is None and imported.case.karnofsky == 80
    with pytest.raises(CaseValidationError, match="karnofsky"):
        import_bundle(_ehr(_obs("89243-0", valueInteger=85)))


def test_ecog_as_a_snomed_grade_is_read() -> None:
    case = case_from_bundle(_ehr(_obs("89247-1", valueCodeableConcept={"coding": [{"system": SCT,
                                                                                     "code": "423053003"}]})))
    assert case.ecog == 3


def test_qtc_without_the_fridericia_formula_is_not_used() -> None:
    for code, words in (("8636-3", "without the correction formula"), ("76635-2", "by Bazett")):
        imported = import_bundle(_ehr(_obs(code, valueQuantity={"value": 480, "code": "ms"})))
        assert imported.case.conditions is None
        assert any(words in w and "76634-5" in w for w in imported.warnings)


def test_gestational_age_in_days_and_pregnant_status() -> None:
    case = case_from_bundle(_ehr(
        _obs("82810-3", valueCodeableConcept={"coding": [{"system": SCT, "code": "77386006"}]}),
        _obs("11885-1", valueQuantity={"value": 140, "unit": "d", "system": UCUM, "code": "d"}),
    ))
    assert case.pregnancy is not None and case.pregnancy.status == "pregnant"
    assert case.pregnancy.gestational_age_weeks == 20 and case.pregnancy.current_trimester == 2


def test_comorbidity_details_that_are_missing_stay_unknown_and_are_reported() -> None:
    imported = import_bundle(_ehr(
        _condition("85828009", clinical="remission"),  # autoimmune disease: was it treated in the last 2 years?
        _condition("302226006"),  # neuropathy: which grade?
        _condition("161663000", verification="provisional"),
    ))
    c = imported.case.conditions
    assert c is not None and c.autoimmune_disease == "present"  # recorded; its treatment in the past 2 years not said
    assert c.peripheral_neuropathy_grade is None and c.organ_transplant is None
    text = " ".join(imported.warnings)
    assert "autoimmune_disease set to 'present'" in text and "peripheral_neuropathy_grade left unknown" in text
    assert "provisional" in text


def test_an_active_autoimmune_disease_is_not_read_as_the_fields_active() -> None:
    # The case field's 'active' is systemic treatment in the past 2 years (docs/case-format.md), the KEYNOTE-522
    # exclusion, which does not count replacement therapy (thyroxine, insulin): an active clinical status does not say
    # it (was: 'active', which rules pembrolizumab out; then: unknown, which let it stay recommended). 'present', warned.
    imported = import_bundle(_ehr(_condition("85828009")))
    assert imported.case.conditions is not None and imported.case.conditions.autoimmune_disease == "present"
    assert any("autoimmune_disease set to 'present'" in w for w in imported.warnings)


def test_laterality_from_a_precoordinated_cancer_code_and_not_from_other_conditions() -> None:
    bundle = _ehr()
    bundle["entry"][1]["resource"] = _condition("353431000119107")  # primary malignant neoplasm of female left breast
    dvt_left_leg = _condition("128053003", bodySite=[{"coding": [{"system": SCT, "code": "30021000"}], "extension": [
        {"url": LATERALITY, "valueCodeableConcept": {"coding": [{"system": SCT, "code": "24028007"}]}}]}])
    bundle["entry"].append({"resource": dvt_left_leg})
    case = case_from_bundle(bundle)
    assert case.tumour is not None and case.tumour.laterality == "left"


def test_refusals_in_other_idioms_are_reported_not_read() -> None:
    request = {"resourceType": "MedicationRequest", "status": "active", "intent": "order", "doNotPerform": True,
               "subject": {"reference": "Patient/p9"},
               "medicationCodeableConcept": {"text": "letrozole 2.5 mg"}}
    imported = import_bundle(_ehr(request, _refused("367336001", "Chemotherapy", reason="183932001")))
    assert imported.case.preferences is None
    text = " ".join(imported.warnings)
    assert "MedicationRequest 'letrozole 2.5 mg'" in text and "not the patient's refusal" in text


@pytest.mark.parametrize(("resources", "field"), [
    ([_obs("89247-1", valueInteger=5)], "ecog"),
    ([_obs("10230-1", valueQuantity={"value": 0.55, "unit": "1"})], "lvef_percent"),
    ([_obs("33914-3", valueQuantity={"value": 1.0, "unit": "mL/s"})], "conditions.egfr_ml_min"),
    ([_obs("89247-1", valueInteger=1), _obs("89247-1", valueInteger=2)], "ecog"),
    ([_obs("49051-6", valueQuantity={"value": 3, "code": "mo"})], "pregnancy.gestational_age_weeks"),
])
def test_unusable_values_are_errors_naming_the_field(resources: list[dict[str, Any]], field: str) -> None:
    with pytest.raises(CaseValidationError) as caught:
        case_from_bundle(_ehr(*resources))
    assert field in [p.field for p in caught.value.problems]


# --- the assessment: declined and deferred decisions, competing risks ------------------------------------------

def _assessment_with_preferences() -> Assessment:
    prognosis = Prognosis.model_validate({
        "model_version": "3.2", "years": [5, 10, 15], "treatments_evaluated": ["radiotherapy"],
        "overall_survival": {"surgery_only": [0.83, 0.56, 0.28], "with_treatments": [0.83, 0.55, 0.27]},
        "breast_cancer_mortality": {"surgery_only": [0.02, 0.04, 0.06], "with_treatments": [0.01, 0.03, 0.05]},
        "other_cause_mortality": {"surgery_only": [0.15, 0.40, 0.66], "with_treatments": [0.16, 0.42, 0.68]},
        "incremental_benefit": [{"treatment": "radiotherapy", "overall_survival_gain": [0.0, -0.01, -0.01]}],
        "assumptions": [{"input": "treatments.heart_dose_gy", "value_used": "2 Gy", "note": "no dose given"}],
    })
    recs = [
        Recommendation(id="radiation.wbrt.recommended", domain="radiation", decision="declined", strength="strong",
                       text="Whole-breast radiotherapy was declined by the patient.", rationale="pT1 N0 BCS",
                       evidence=["PREDICT-V3"], would_change_if="the patient changes her mind",
                       clinical_decision="recommended"),
        Recommendation(id="systemic.chemotherapy.deferred", domain="systemic", decision="deferred", strength="moderate",
                       text="Chemotherapy after the first trimester.", rationale="pregnant, 10 weeks",
                       evidence=["PREDICT-V3"], would_change_if="gestation beyond 14 weeks"),
    ]
    return Assessment(id="pref", micromets_version="x", ruleset_version="r", findings=Findings(), staging=Staging(),
                      prognosis=prognosis, decisions={"whole_breast_rt": "declined", "chemotherapy": "deferred"},
                      recommendations=recs)


def test_declined_and_deferred_decisions_in_the_care_plan() -> None:
    bundle = to_bundle(_assessment_with_preferences())
    plan = next(e["resource"] for e in bundle["entry"] if e["resource"]["id"].endswith("recommendations"))
    declined, deferred = (a["detail"] for a in plan["activity"])
    assert declined["status"] == "cancelled" and declined["doNotPerform"] is True
    assert declined["statusReason"]["coding"][0]["code"] == "105480006"
    assert {"url": local("ext_clinical_decision"), "valueCode": "recommended"} in declined["extension"]
    assert deferred["status"] == "on-hold" and deferred["statusReason"]["text"].startswith("Chemotherapy after")
    decisions = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Parameters")
    assert {p["name"]: p["valueCode"] for p in decisions["parameter"]} == {"whole_breast_rt": "declined",
                                                                         "chemotherapy": "deferred"}


def test_other_cause_deaths_and_assumptions_in_the_risk_assessment() -> None:
    bundle = to_bundle(_assessment_with_preferences())
    risk = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "RiskAssessment")
    other = [p for p in risk["prediction"]
             if p["outcome"]["coding"][0]["code"] == "prognosis.other_cause_mortality.with_treatments"]
    assert [p["probabilityDecimal"] for p in other] == [0.16, 0.42, 0.68]
    assert any(n["text"] == "Assumption (treatments.heart_dose_gy): 2 Gy. no dose given" for n in risk["note"])
