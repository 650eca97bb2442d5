"""Blind audit of the FHIR import with bundles coded as other systems code them (mCODE IG examples, US Core,
LOINC/SNOMED CT answers): the defects it found, each a silent wrong value before the fix.

Sources, read before the bundles were run:
- FHIR R4 Quantity (hl7.org/fhir/R4/datatypes.html#Quantity): ``code`` is the coded (UCUM) form of the unit, ``unit``
  its human-readable form; both describe the same unit.
- LOINC 44648-4 'Histologic grade [Score] in Breast cancer specimen by Nottingham' (mCODE IG example
  us-core-observation-lab-tumor-grade-jenny-m, value LA27824-4 'Nottingham grade 2'); Nottingham total score = sum of
  three feature scores of 1-3, so 3-9 (SNOMED CT 1287461000 definition); grade bands 3-5 = 1, 6-7 = 2, 8-9 = 3
  (Elston and Ellis, Histopathology 1991;19:403-10).
- mCODE IG example us-core-observation-lab-sentinel-nodes-jenny-m (HL7/fhir-mCODE-ig input/fsh/EX_ExtendedExample.fsh):
  LOINC 92832-5 'Sentinel lymph nodes with metastasis [#]' with no value and only the component 92833-3 (3 nodes
  examined). AJCC 8: pN0 needs the examined nodes to be free of metastasis; an unknown number of involved nodes is
  not zero.
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.interop._audit_bundles import L, S, U
from tests.interop._audit_bundles import bundle as _bundle
from tests.interop._audit_bundles import cc as _cc
from tests.interop._audit_bundles import obs as _obs
from tests.interop._audit_bundles import refused as _refused

from micromets.interop.fhir import import_bundle

# --- Quantity.code and Quantity.unit naming different lengths ---------------------------------------------------

def test_a_size_whose_ucum_code_and_unit_text_disagree_is_refused_not_read_as_the_code() -> None:
    # was: 1.4 mm (the code) silently, although the unit says cm (14 mm): pT1a vs pT1c
    bundle = _bundle(_obs("s", _cc(L, "21889-1"), valueQuantity={"value": 1.4, "unit": "cm", "system": U, "code": "mm"}))
    problems = _refused(bundle)
    assert [f for f, _ in problems] == ["tumour.size_mm"]
    assert "'mm'" in problems[0][1] and "'cm'" in problems[0][1]


def test_a_readable_unit_naming_the_same_length_as_the_code_is_read() -> None:
    # a matching readable unit ("millimeters" beside the code "mm") is the same unit: read
    same = _bundle(_obs("s", _cc(L, "21889-1"), valueQuantity={"value": 14, "unit": "millimeters", "system": U,
                                                                "code": "mm"}))
    assert import_bundle(same).case.tumour.size_mm == 14


def test_the_mcode_example_size_in_centimetres_is_read() -> None:
    # mCODE tumor-size-jenny-m: component 33728-7 2.5 'cm' "centimeters" -> 25 mm (AJCC 8: pT2)
    bundle = _bundle(_obs("s", _cc(L, "21889-1"), component=[{
        "code": _cc(L, "33728-7"), "valueQuantity": {"value": 2.5, "unit": "centimeters", "system": U, "code": "cm"}}]))
    assert import_bundle(bundle).case.tumour.size_mm == 25


# --- a number under the Nottingham [Score] code -----------------------------------------------------------------

def _grade(**value: Any) -> Any:
    return import_bundle(_bundle(_obs("g", _cc(L, "44648-4"), **value)))


def test_three_under_the_nottingham_score_code_is_not_taken_as_grade_3() -> None:
    # was: grade 3; a total score of 3 is grade 1 (Elston and Ellis) - the number does not say which
    imported = _grade(valueInteger=3)
    assert imported.case.tumour is None or imported.case.tumour.grade is None
    assert [f for f, _ in imported.missing] == ["tumour.grade"]
    assert "score" in imported.missing[0][1]


@pytest.mark.parametrize(("score", "grade"), [(4, 1), (5, 1), (6, 2), (7, 2), (8, 3), (9, 3)])
def test_a_total_score_under_the_score_code_gives_its_grade_with_a_warning(score: int, grade: int) -> None:
    # was: 'no value' for 4-9 (the score was dropped with a wrong message)
    imported = _grade(valueInteger=score)
    assert imported.case.tumour is not None and imported.case.tumour.grade == grade
    assert any("total score" in w for w in imported.warnings)


@pytest.mark.parametrize("value", [{"valueInteger": 2}, {"valueString": "2"},
                                   {"valueQuantity": {"value": 1, "unit": "{score}", "system": U, "code": "{score}"}}])
def test_one_or_two_can_only_be_the_grade(value: dict[str, Any]) -> None:
    imported = _grade(**value)
    assert imported.case.tumour is not None and imported.case.tumour.grade in (1, 2)
    assert not imported.warnings


def test_three_under_a_grade_identifier_code_is_grade_3() -> None:
    # LOINC 33732-9 'Histology grade [Identifier]' names the grade, not a score
    imported = import_bundle(_bundle(_obs("g", _cc(L, "33732-9"), valueInteger=3)))
    assert imported.case.tumour is not None and imported.case.tumour.grade == 3


# --- a count of involved nodes without a number -----------------------------------------------------------------

def _sentinel(**value: Any) -> dict[str, Any]:
    return _obs("sn", _cc(L, "92832-5", "Sentinel lymph nodes with metastasis [#] in Cancer specimen"),
                component=[{"code": _cc(L, "92833-3"), "valueQuantity": {"value": 3, "unit": "Count", "system": U,
                                                                         "code": "1"}}], **value)


def test_the_mcode_sentinel_example_without_a_positive_count_is_not_staged_node_negative() -> None:
    # was: nodes.examined 3 and no deposit -> pN0, although the number of involved nodes was never given
    problems = _refused(_bundle(_sentinel()))
    assert [f for f, _ in problems] == ["nodes.deposits"]
    assert "no number" in problems[0][1] and "3 examined" in problems[0][1]


def test_a_data_absent_positive_count_is_not_staged_node_negative_either() -> None:
    absent = {"dataAbsentReason": _cc("http://terminology.hl7.org/CodeSystem/data-absent-reason", "unknown")}
    assert [f for f, _ in _refused(_bundle(_sentinel(**absent)))] == ["nodes.deposits"]


def test_the_same_example_beside_a_reported_pn0_is_read() -> None:
    # the mCODE example bundle also carries pN0 (SNOMED CT 1229947003): examined 3, node-negative, consistent
    pn0 = _obs("pn", _cc(S, "371494008", "pN category"), valueCodeableConcept=_cc(S, "1229947003", "AJCC pN0"))
    imported = import_bundle(_bundle(_sentinel(), pn0))
    assert imported.case.nodes is not None and imported.case.nodes.examined == 3
    assert not imported.case.nodes.deposits


def test_a_zero_count_is_node_negative() -> None:
    imported = import_bundle(_bundle(_sentinel(valueInteger=0)))
    assert imported.case.nodes is not None and imported.case.nodes.examined == 3 and not imported.case.nodes.deposits


# --- Observation.interpretation POS / NEG --------------------------------------------------------------------------
# FHIR R4 Observation.interpretation (value set observation-interpretation, HL7 v3 codes POS "Positive", NEG
# "Negative"); ASCO/CAP 2020 ER/PR (>= 1 % positive, < 1 % negative); ASCO/CAP 2018 HER2 (IHC 3+ positive, 0/1+
# negative).

_V3 = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"


def _flag(code: str) -> list[dict[str, Any]]:
    return [_cc(_V3, code)]


@pytest.mark.parametrize(("loinc", "percent", "flag", "field"), [
    ("85329-1", 90, "NEG", "tumour.er_percent"),   # ER 90 % flagged negative
    ("85329-1", 0.5, "POS", "tumour.er_percent"),  # ER 0.5 % flagged positive
    ("85325-9", 40, "NEG", "tumour.pr_percent"),   # PR 40 % flagged negative
])
def test_a_percentage_contradicted_by_its_interpretation_is_refused(loinc: str, percent: float, flag: str,
                                                                     field: str) -> None:
    # was: the percentage read, the interpretation ignored
    bundle = _bundle(_obs("r", _cc(L, loinc), valueQuantity={"value": percent, "unit": "%", "system": U, "code": "%"},
                          interpretation=_flag(flag)))
    problems = _refused(bundle)
    assert [f for f, _ in problems] == [field]


def test_an_ihc_score_contradicted_by_its_interpretation_is_refused() -> None:
    bundle = _bundle(_obs("h", _cc(L, "85319-2"), valueString="3+", interpretation=_flag("NEG")))
    assert [f for f, _ in _refused(bundle)] == ["tumour.her2_ihc"]


def test_an_interpretation_that_agrees_is_read_silently() -> None:
    bundle = _bundle(_obs("e", _cc(L, "85329-1"), valueQuantity={"value": 0, "unit": "%", "system": U, "code": "%"},
                          interpretation=_flag("NEG")),
                     _obs("h", _cc(L, "85319-2"), valueString="3+", interpretation=_flag("POS")))
    imported = import_bundle(bundle)
    assert imported.case.tumour is not None
    assert (imported.case.tumour.er_percent, imported.case.tumour.her2_ihc) == (0, "3+")


@pytest.mark.parametrize(("loinc", "field", "said"), [("16113-3", "tumour.pr_percent", "negative"),
                                                       ("48676-1", "tumour.her2_ihc", "positive")])
def test_an_interpretation_alone_is_the_reported_status(loinc: str, field: str, said: str) -> None:
    # was: "gives PR as 'given'": the interpretation was not read
    imported = import_bundle(_bundle(_obs("x", _cc(L, loinc), interpretation=_flag("NEG" if said == "negative"
                                                                                    else "POS"))))
    assert [(f, said in why) for f, why in imported.missing] == [(field, True)]


def test_a_value_and_an_interpretation_that_disagree_without_a_number_are_refused() -> None:
    bundle = _bundle(_obs("x", _cc(L, "48676-1"), valueCodeableConcept=_cc(L, "LA6576-8", "Positive"),
                          interpretation=_flag("NEG")))
    assert [f for f, _ in _refused(bundle)] == ["tumour.her2_ihc"]


# --- a reported pT the size contradicts ------------------------------------------------------------------------------
# AJCC 8 chapter 48 T by the invasive size (whole millimetres): T1b > 5-10 mm, T1c > 10-20 mm, T2 > 20-50 mm, T3 > 50
# mm. mCODE example tnm-pathologic-primary-tumor-category-jenny-m: code SNOMED CT 384625004 'pT category', value
# 1229859000 'American Joint Committee on Cancer pT3'.

def _pt(value: dict[str, Any]) -> dict[str, Any]:
    return _obs("t", _cc(S, "384625004", "pT category"), valueCodeableConcept=value)


def _size(mm: float) -> dict[str, Any]:
    return _obs("s", _cc(L, "21889-1"), valueQuantity={"value": mm, "unit": "mm", "system": U, "code": "mm"})


def test_a_reported_pt3_beside_a_12_mm_tumour_is_refused() -> None:
    # was: a warning "pT3 read but not used" and the case staged pT1c
    problems = _refused(_bundle(_size(12), _pt(_cc(S, "1229859000", "American Joint Committee on Cancer pT3"))))
    assert [f for f, _ in problems] == ["tumour.size_mm"]
    assert "pT3" in problems[0][1] and "T1c" in problems[0][1]


@pytest.mark.parametrize("text", ["pT1", "pT1c", "pT1c(m)"])
def test_a_reported_pt_that_agrees_is_read(text: str) -> None:
    imported = import_bundle(_bundle(_size(12), _pt({"text": text})))
    assert imported.case.tumour is not None and imported.case.tumour.size_mm == 12


def test_a_ypt_is_compared_with_the_residual_size() -> None:
    # ypT2 beside a 12 mm residual tumour: one is wrong
    assert [f for f, _ in _refused(_bundle(_size(12), _pt({"text": "ypT2"})))] == ["tumour.size_mm"]
    imported = import_bundle(_bundle(_size(12), _pt({"text": "ypT1c"})))
    assert imported.case.neoadjuvant is True


# --- the quadrant from the cancer's classification code ---------------------------------------------------------
# ICD-10-CM tabular C50 (C50.1 central portion, C50.2 upper-inner, C50.3 lower-inner, C50.4 upper-outer, C50.5
# lower-outer quadrant, C50.6 axillary tail; 5th character 1 female, 6th 1 right / 2 left), the same subsites in WHO
# ICD-10 and ICD-O-3 topography (mCODE CancerBodyLocationVS admits ICD-O-3 topography in Condition.bodySite). D05
# subcategories are histologic types (D05.1 intraductal), not sites.

_ICD10CM, _ICD10 = "http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10"
_ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"


def _cancer_bundle(code: dict[str, Any], **fields: Any) -> dict[str, Any]:
    bundle = _bundle()
    bundle["entry"][1]["resource"] = {"resourceType": "Condition", "id": "bc", "subject": {"reference": "Patient/p"},
                                      "code": code, "onsetDateTime": "2024-03-01", **fields}
    return bundle


@pytest.mark.parametrize(("code", "site", "quadrant"), [
    (_cc(_ICD10CM, "C50.412"), None, "upper_outer"),
    (_cc(_ICD10CM, "C50.211"), None, "upper_inner"),
    (_cc(_ICD10, "C50.1"), None, "central"),
    (_cc(_ICD10, "C50.6"), None, "axillary_tail"),
    (_cc(S, "363346000"), _cc(_ICDO3, "C50.3"), "lower_inner"),
    (_cc(_ICD10CM, "C50.912"), None, None),   # unspecified site
    (_cc(_ICD10CM, "C50.812"), None, None),   # overlapping sites: more than one quadrant
    (_cc(_ICD10CM, "C50.012"), None, None),   # nipple and areola: not a quadrant the field names
    (_cc(_ICD10CM, "D05.12"), None, None),    # intraductal carcinoma in situ: D05.1 is a type, not the centre
])
def test_the_quadrant_is_read_from_the_cancers_subsite(code: dict[str, Any], site: dict[str, Any] | None,
                                                      quadrant: str | None) -> None:
    # was: never read (the quadrant decides nodal RT for a medial/central tumour, EORTC 22922)
    imported = import_bundle(_cancer_bundle(code, **({"bodySite": [site]} if site else {})))
    assert imported.case.tumour is not None and imported.case.tumour.quadrant == quadrant


def test_two_codes_naming_different_quadrants_are_refused() -> None:
    bundle = _cancer_bundle(_cc(_ICD10CM, "C50.412"), bodySite=[_cc(_ICDO3, "C50.2")])
    assert [f for f, _ in _refused(bundle)] == ["tumour.quadrant"]


# --- US Core birth sex without a gender ------------------------------------------------------------------------------
# US Core Patient extension us-core-birthsex: "a code classifying the person's sex assigned at birth" (F, M, UNK); the
# case's sex is not inferred from anything but Patient.gender female/male (docs/interop.md).

def test_a_birth_sex_without_a_gender_is_named_not_taken() -> None:
    # was: silently ignored (no sex, no word why)
    bundle = _bundle()
    patient = bundle["entry"][0]["resource"]
    del patient["gender"]
    patient["extension"] = [{"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex", "valueCode": "F"}]
    imported = import_bundle(bundle)
    assert imported.case.sex is None
    assert [f for f, _ in imported.missing] == ["sex"] and "birth sex 'F'" in imported.missing[0][1]
    patient["gender"] = "female"  # with a gender the birth sex adds nothing
    assert import_bundle(bundle).case.sex == "female" and not import_bundle(bundle).missing


def test_a_stage_group_coded_without_text_is_named_by_its_code() -> None:
    # mCODE STU2 staging values were codes of http://cancerstaging.org (the AJCC); was "stage group 'no value'"
    bundle = _bundle(_obs("sg", _cc(L, "21902-2"), valueCodeableConcept=_cc("http://cancerstaging.org", "IIA")))
    assert any("stage group 'IIA'" in w for w in import_bundle(bundle).warnings)
