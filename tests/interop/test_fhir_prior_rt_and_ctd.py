"""FHIR import of radiotherapy given before this cancer and of a connective-tissue disease (the two radiotherapy
conditions of docs/case-format.md), coded the way other systems code them.

Sources of the codes (knowledge/interop/fhir_codes.json names each): mCODE STU3/STU4 RadiotherapyCourseSummary
(HL7/fhir-mCODE-ig input/fsh/SD_Radiotherapy.fsh: profile mcode-radiotherapy-course-summary, code SNOMED CT
1217123003, performedPeriod, bodySite from RadiotherapyTreatmentLocationVS with the mcode-laterality-qualifier
extension; EX_Radiotherapy.fsh: chest wall 78904004 with reasonCode ICD-10-CM C50.811), RadiotherapyTreatmentLocationVS
(breast 76752008, mediastinum 72410000, supraclavicular lymph node 76838003, urinary bladder 89837001) and its
qualifier value set (right and left 51440002); SNOMED CT 429479009 history of radiation therapy; ICD-10-CM Z92.3
personal history of irradiation; SNOMED CT 89155008 systemic sclerosis and 55464009 systemic lupus erythematosus;
ICD-10(-CM) M34 systemic sclerosis (M34.0 progressive systemic sclerosis, M34.81 with lung involvement) and M32
systemic lupus erythematosus (M32.10, M32.9).

The bundles are written by hand as an EHR or an mCODE sender would write them, not by the exporter.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class

from micromets.assess import assess
from micromets.errors import CaseValidationError
from micromets.interop.fhir import import_bundle, to_bundle
from micromets.interop.fhir.codes import local
from micromets.model import parse_case

SCT, ICD10CM = "http://snomed.info/sct", "http://hl7.org/fhir/sid/icd-10-cm"
LATERALITY = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-laterality-qualifier"
COURSE_SUMMARY = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-radiotherapy-course-summary"
RIGHT, LEFT, BOTH = "24028007", "7771000", "51440002"
PRIOR, CTD = "conditions.prior_chest_radiotherapy", "conditions.connective_tissue_disease"


def _status(system: str, code: str) -> dict[str, Any]:
    return {"coding": [{"system": f"http://terminology.hl7.org/CodeSystem/{system}", "code": code}]}


def _condition(system: str, code: str, *, clinical: str | None = "active", rid: str = "c-other",
               **fields: Any) -> dict[str, Any]:
    out = {"resourceType": "Condition", "id": rid, "subject": {"reference": "Patient/p9"},
           "verificationStatus": _status("condition-ver-status", "confirmed"),
           "code": {"coding": [{"system": system, "code": code}]}, **fields}
    if clinical is not None:
        out["clinicalStatus"] = _status("condition-clinical", clinical)
    return out


def _site(code: str, side: str | None = None) -> dict[str, Any]:
    site: dict[str, Any] = {"coding": [{"system": SCT, "code": code}]}
    if side is not None:
        site["extension"] = [{"url": LATERALITY, "valueCodeableConcept": {"coding": [{"system": SCT, "code": side}]}}]
    return site


def _course(*sites: dict[str, Any], start: str | None = "2009-03-02", rid: str = "rt-1", **fields: Any) -> dict[str, Any]:
    """An mCODE RadiotherapyCourseSummary as in EX_Radiotherapy.fsh."""
    out: dict[str, Any] = {
        "resourceType": "Procedure", "id": rid, "meta": {"profile": [COURSE_SUMMARY]}, "status": "completed",
        "subject": {"reference": "Patient/p9"},
        "code": {"coding": [{"system": SCT, "code": "1217123003",
                             "display": "Radiotherapy course of treatment (regime/therapy)"}]},
        "bodySite": list(sites), **fields}
    if start is not None:
        out["performedPeriod"] = {"start": start, "end": start[:4] + "-04-20"}
    return out


def _ehr(*resources: dict[str, Any]) -> dict[str, Any]:
    """A right breast cancer diagnosed 2026-08-20 (SNOMED CT 254837009 with a right laterality qualifier)."""
    patient = {"resourceType": "Patient", "id": "p9", "gender": "female", "birthDate": "1959-03-02"}
    primary = _condition(SCT, "254837009", rid="bc", onsetDateTime="2026-08-20", bodySite=[_site("76752008", RIGHT)])
    return {"resourceType": "Bundle", "type": "searchset",
            "entry": [{"resource": r} for r in (patient, primary, *resources)]}


def _conditions(*resources: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    imported = import_bundle(_ehr(*resources))
    conditions = imported.case.conditions
    return (conditions.model_dump(exclude_none=True) if conditions else {}), imported.warnings


# --- round trip -------------------------------------------------------------------------------------------------

BASE: dict[str, Any] = {
    "id": "rt-ctd", "age": 62, "sex": "female", "menopausal_status": "post",
    "tumour": {"size_mm": 14, "grade": 2, "er_percent": 90, "pr_percent": 20, "her2_ihc": "1+", "laterality": "left"},
    "nodes": {"procedure": "slnb", "examined": 2, "deposits": [{"node": 1, "size_mm": 1.1, "method": "he"}]},
    "surgery": {"breast": "bcs", "status": "done"},
}


@pytest.mark.parametrize(("prior", "disease"), [
    ("none", "none"), ("ipsilateral_breast", "scleroderma"), ("mantle_or_mediastinal", "active_lupus"),
    ("contralateral_breast", "other"),
])
def test_export_then_import_gives_back_both_fields(prior: str, disease: str) -> None:
    case = parse_case({**copy.deepcopy(BASE),
                       "conditions": {"prior_chest_radiotherapy": prior, "connective_tissue_disease": disease}})
    bundle = to_bundle(assess(case), case)
    for entry in bundle["entry"]:
        get_fhir_model_class(entry["resource"]["resourceType"]).model_validate(entry["resource"])
    imported = import_bundle(bundle)
    assert imported.case == case
    assert imported.warnings == []
    # a receiving EHR sees systemic sclerosis / active lupus as an active Condition with the SNOMED CT disorder code
    coded = {c["code"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Condition"
             for c in e["resource"]["code"]["coding"] if c["system"] == SCT}
    assert {"scleroderma": {"89155008"}, "active_lupus": {"55464009"}}.get(disease, set()) <= coded
    assert not ({"89155008", "55464009"} - {"scleroderma": {"89155008"}, "active_lupus": {"55464009"}}.get(disease, set())) & coded


# --- prior radiotherapy: mCODE RadiotherapyCourseSummary ------------------------------------------------------------

def test_course_summary_to_this_breast_before_the_diagnosis_is_ipsilateral() -> None:
    # 2009 course to the right breast for an earlier right breast cancer (C50.911); this cancer: right, 2026
    course = _course(_site("76752008", RIGHT), reasonCode=[{"coding": [{"system": ICD10CM, "code": "C50.911"}]}])
    conditions, _ = _conditions(course)
    assert conditions["prior_chest_radiotherapy"] == "ipsilateral_breast"


def test_course_summary_to_the_other_breast_is_contralateral() -> None:
    conditions, warnings = _conditions(_course(_site("76752008", LEFT)))
    assert conditions["prior_chest_radiotherapy"] == "contralateral_breast"
    assert warnings == []


def test_undated_course_for_the_other_breasts_cancer_is_given_before() -> None:
    # reasonCode ICD-10-CM C50.912 (left female breast); this cancer is on the right
    course = _course(_site("76752008", LEFT), start=None, reasonCode=[{"coding": [{"system": ICD10CM, "code": "C50.912"}]}])
    conditions, _ = _conditions(course)
    assert conditions["prior_chest_radiotherapy"] == "contralateral_breast"


def test_both_breasts_include_this_one() -> None:
    # RadiotherapyTreatmentLocationQualifierVS 'Right and left' on the chest wall 78904004
    conditions, _ = _conditions(_course(_site("78904004", BOTH)))
    assert conditions["prior_chest_radiotherapy"] == "ipsilateral_breast"


def test_mantle_field_for_a_lymphoma_is_mantle_or_mediastinal() -> None:
    lymphoma = {"resourceType": "Condition", "id": "hl", "subject": {"reference": "Patient/p9"},
                "code": {"text": "Hodgkin lymphoma"}}
    course = _course(_site("72410000"), _site("76838003", RIGHT), _site("76838003", LEFT), start=None,
                     reasonReference=[{"reference": "Condition/hl"}])
    conditions, _ = _conditions(lymphoma, course)
    assert conditions["prior_chest_radiotherapy"] == "mantle_or_mediastinal"


def test_a_reason_condition_is_another_disease_only_beside_a_recognised_breast_cancer() -> None:
    # the breast cancer coded in a local system only: the Condition the course names may be this cancer
    local_cancer = {"resourceType": "Condition", "id": "bc-local", "subject": {"reference": "Patient/p9"},
                    "code": {"coding": [{"system": "http://example.org/his/diagnoses", "code": "IDC-B"}]}}
    course = _course(_site("76752008", RIGHT), start=None, reasonReference=[{"reference": "Condition/bc-local"}])
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Patient", "id": "p9", "gender": "female"}}, {"resource": local_cancer},
        {"resource": course}]}
    imported = import_bundle(bundle)
    assert imported.case.conditions is None or imported.case.conditions.prior_chest_radiotherapy is None
    assert any("whether it was given before this cancer" in w for w in imported.warnings)


def test_an_earlier_mantle_field_outweighs_an_earlier_contralateral_course() -> None:
    conditions, _ = _conditions(_course(_site("76752008", LEFT), rid="rt-a", start="2012-01-10"),
                                _course(_site("72410000"), rid="rt-b", start="1992-05-04"))
    assert conditions["prior_chest_radiotherapy"] == "mantle_or_mediastinal"


def test_radiotherapy_of_this_cancer_is_not_prior_radiotherapy() -> None:
    after = _course(_site("76752008", RIGHT), start="2026-10-05")
    for_it = _course(_site("78904004", RIGHT), start=None, rid="rt-2", reasonReference=[{"reference": "Condition/bc"}])
    conditions, warnings = _conditions(after, for_it)
    assert "prior_chest_radiotherapy" not in conditions
    assert not any("radiotherapy" in w for w in warnings)


def test_partial_dates_are_compared_only_where_they_tell() -> None:
    # FHIR R4 dateTime allows a year or a year-month: 1998 is before 2026-08-20, but 2026-08 neither before nor after
    earlier = _course(_site("76752008", RIGHT), performedDateTime="1998", start=None)
    conditions, _ = _conditions(earlier)
    assert conditions["prior_chest_radiotherapy"] == "ipsilateral_breast"
    same_month = _course(_site("76752008", RIGHT), performedDateTime="2026-08", start=None)
    conditions, warnings = _conditions(same_month)
    assert "prior_chest_radiotherapy" not in conditions
    assert any("whether it was given before this cancer" in w for w in warnings)


def test_radiotherapy_elsewhere_is_not_chest_radiotherapy() -> None:
    conditions, warnings = _conditions(_course(_site("89837001")))  # urinary bladder
    assert "prior_chest_radiotherapy" not in conditions
    assert warnings == []


@pytest.mark.parametrize(("course", "said"), [
    (_course(_site("76752008")), "without the side"),
    (_course(_site("78904004", LEFT), start=None), "whether it was given before this cancer"),
    (_course(), "without a body site"),
    # undated, for a breast cancer without a side (SNOMED CT 254837009): may be this cancer's radiotherapy
    (_course(_site("76752008", RIGHT), start=None, reasonCode=[{"coding": [{"system": SCT, "code": "254837009"}]}]),
     "whether it was given before this cancer"),
    # undated, for a disease micromets does not know (a breast cancer coded otherwise would look the same)
    (_course(_site("76752008", RIGHT), start=None, reasonCode=[{"coding": [{"system": "http://example.org/his/diagnoses", "code": "IDC-B"}],
                                                               "text": "Infiltrating duct carcinoma"}]),
     "whether it was given before this cancer"),
    (_course(_site("39607008", LEFT)), "not a region"),  # lung: chest, but no region the field names
])
def test_radiotherapy_without_a_clear_region_or_time_is_reported_not_guessed(course: dict[str, Any], said: str) -> None:
    conditions, warnings = _conditions(course)
    assert "prior_chest_radiotherapy" not in conditions
    assert any(said in w and "Procedure/rt-1" in w for w in warnings), warnings


@pytest.mark.parametrize(("system", "code"), [(ICD10CM, "Z92.3"), ("http://hl7.org/fhir/sid/icd-10", "Z92.3"),
                                             (SCT, "429479009")])
def test_history_of_irradiation_without_a_region_is_reported(system: str, code: str) -> None:
    conditions, warnings = _conditions(_condition(system, code, clinical=None))
    assert "prior_chest_radiotherapy" not in conditions
    assert any("Condition/c-other" in w and "not to which region" in w for w in warnings)


def test_z92_3_is_listed_in_both_classifications_with_its_source() -> None:
    # WHO ICD-10 and ICD-10-CM both have Z92.3 'Personal history of irradiation' (inclusion term: personal history of
    # exposure to therapeutic radiation); was listed under ICD-10-CM only (read in WHO ICD-10 by accident of a union)
    from micromets.interop.fhir import codes

    table = codes.codes_table()["mappings"]["prior_chest_radiotherapy"]
    assert table["history_classified"] == {"icd10cm": ["Z92.3"], "icd10": ["Z92.3"]}
    assert "WHO ICD-10 Z92.3" in table["_about"]
    # and each list in its own system: Z92.3 in another classification (here ICD-9-CM's URI) is not read as it
    _, warnings = _conditions(_condition("http://hl7.org/fhir/sid/icd-9-cm", "Z92.3", clinical=None))
    assert not any("not to which region" in w for w in warnings)


def test_prior_radiotherapy_against_none_is_an_error_naming_the_field() -> None:
    none = {"resourceType": "Observation", "status": "final", "subject": {"reference": "Patient/p9"},
            "code": {"coding": [{"system": local("case_field"), "code": PRIOR}]},
            "valueCodeableConcept": {"coding": [{"system": local("case_value"), "code": "none"}]}}
    with pytest.raises(CaseValidationError) as error:
        import_bundle(_ehr(none, _course(_site("76752008", RIGHT))))
    assert PRIOR in [p.field for p in error.value.problems]


# --- connective-tissue disease ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("system", "code", "clinical"), [
    (SCT, "89155008", "active"), (ICD10CM, "M34.0", "active"), (ICD10CM, "M34.81", None),
    (ICD10CM, "M34.0", "remission"),
])
def test_systemic_sclerosis_is_scleroderma(system: str, code: str, clinical: str | None) -> None:
    conditions, _ = _conditions(_condition(system, code, clinical=clinical))
    assert conditions["connective_tissue_disease"] == "scleroderma"


@pytest.mark.parametrize(("system", "code", "clinical", "expected"), [
    (SCT, "55464009", "active", "active_lupus"), (ICD10CM, "M32.10", "relapse", "active_lupus"),
    (ICD10CM, "M32.9", "inactive", "other"), (SCT, "55464009", "remission", "other"),
])
def test_systemic_lupus_by_its_clinical_status(system: str, code: str, clinical: str, expected: str) -> None:
    conditions, _ = _conditions(_condition(system, code, clinical=clinical))
    assert conditions["connective_tissue_disease"] == expected


def test_lupus_without_a_clinical_status_is_reported_not_guessed() -> None:
    conditions, warnings = _conditions(_condition(ICD10CM, "M32.9", clinical=None))
    assert "connective_tissue_disease" not in conditions
    assert any("without a clinical status" in w for w in warnings)


def test_localized_scleroderma_and_a_refuted_sclerosis_are_not_read() -> None:
    morphea = _condition(ICD10CM, "L94.0", rid="m")  # localized scleroderma: not systemic
    refuted = _condition(SCT, "89155008", rid="r", verificationStatus=_status("condition-ver-status", "refuted"))
    conditions, warnings = _conditions(morphea, refuted)
    assert "connective_tissue_disease" not in conditions
    assert any("refuted" in w for w in warnings)


def test_sclerosis_and_active_lupus_together_are_an_error_naming_the_field() -> None:
    with pytest.raises(CaseValidationError) as error:
        import_bundle(_ehr(_condition(SCT, "89155008", rid="a"), _condition(ICD10CM, "M32.9", rid="b")))
    assert CTD in [p.field for p in error.value.problems]


def test_a_connective_tissue_disease_onset_is_not_the_cancers_age() -> None:
    # without a coded breast cancer, the onset of an uncoded Condition may give the age: never the sclerosis onset
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Patient", "id": "p9", "gender": "female", "birthDate": "1959-03-02"}},
        {"resource": _condition(SCT, "89155008", onsetDateTime="1990-01-01")}]}
    assert import_bundle(bundle).case.age is None


def test_an_imported_mantle_field_reaches_the_radiation_decisions() -> None:
    # docs/case-format.md: a mantle/mediastinal field before makes whole-breast RT 'discuss' (re-irradiation,
    # ESTRO-EORTC 2022); without the course the same case gets whole-breast RT recommended
    case = parse_case(copy.deepcopy(BASE))
    bundle = to_bundle(assess(case), case)
    without = assess(import_bundle(bundle).case)
    lymphoma = {"resourceType": "Condition", "id": "hl", "subject": bundle["entry"][0]["resource"].get("subject"),
                "code": {"text": "Hodgkin lymphoma"}}
    patient = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    course = _course(_site("72410000"), reasonReference=[{"reference": "Condition/hl"}])
    for resource in (lymphoma, course):
        resource["subject"] = {"reference": f"Patient/{patient['id']}"}
        bundle["entry"].append({"resource": resource})
    imported = import_bundle(bundle)
    assert imported.case.conditions is not None
    assert imported.case.conditions.prior_chest_radiotherapy == "mantle_or_mediastinal"
    wbrt = {r.id.split(".")[1]: r.decision for r in assess(imported.case).recommendations if r.id.startswith("radiation.wbrt")}
    before = {r.id.split(".")[1]: r.decision for r in without.recommendations if r.id.startswith("radiation.wbrt")}
    assert before == {"wbrt": "recommended"} and wbrt == {"wbrt": "discuss"}


# --- autoimmune disease from other systems' Conditions ------------------------------------------------------------
# docs/case-format.md: conditions.autoimmune_disease 'active' = systemic treatment in the past 2 years (KEYNOTE-522
# excluded "active autoimmune disease that has required systemic treatment in the past 2 years"; replacement therapy is
# not systemic treatment). A Condition's code and clinicalStatus do not say it: the field is 'present' (recorded, its
# treatment not said), the import warns, and the assessment asks for it where it decides pembrolizumab. SNOMED CT codes
# from the COVID-19 IG immune / GI condition value sets (logicahealth/covid-19, fsh/fsh-source).

@pytest.mark.parametrize(("system", "code", "clinical"), [
    (SCT, "55464009", "active"),     # systemic lupus erythematosus
    (SCT, "89155008", "active"),     # systemic sclerosis
    (ICD10CM, "M32.14", "active"),   # lupus glomerular disease
    (SCT, "69896004", "active"),     # rheumatoid arthritis
    (SCT, "34000006", "remission"),  # Crohn's disease
    (SCT, "396230008", "inactive"),  # dermatomyositis
])
def test_an_autoimmune_condition_makes_the_autoimmune_field_present_and_says_so(system: str, code: str,
                                                                                clinical: str) -> None:
    # was: left unknown (None) with an import-level missing entry, so pembrolizumab stayed 'recommended' beside it
    imported = import_bundle(_ehr(_condition(system, code, rid="ai", clinical=clinical)))
    conditions = imported.case.conditions
    assert conditions is not None and conditions.autoimmune_disease == "present"
    assert any("autoimmune_disease set to 'present'" in w and clinical in w for w in imported.warnings)


def test_a_refuted_autoimmune_condition_says_nothing_and_micromets_own_value_wins() -> None:
    refuted = _condition(SCT, "69896004", rid="ra", verificationStatus=_status("condition-ver-status", "refuted"))
    ignored = import_bundle(_ehr(refuted))
    assert not any("autoimmune" in w for w in ignored.warnings)
    # ruling out rheumatoid arthritis does not rule out every autoimmune disease (was: 'none')
    assert ignored.case.conditions is None or ignored.case.conditions.autoimmune_disease is None
    # a micromets Bundle gives the field itself (its case-value extension): an SLE Condition beside it adds no doubt
    case = parse_case({**copy.deepcopy(BASE), "conditions": {"autoimmune_disease": "inactive",
                                                              "connective_tissue_disease": "active_lupus"}})
    imported = import_bundle(to_bundle(assess(case), case))
    assert imported.case.conditions is not None and imported.case.conditions.autoimmune_disease == "inactive"
    assert not any("autoimmune_disease set to 'present'" in w for w in imported.warnings)
