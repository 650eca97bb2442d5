"""Audit of FHIR R4 / mCODE import "as other systems code it": 22 hand-written bundles in ``bundles-audit/``.

Each bundle is coded differently from the ones in ``bundles/`` and ``bundles-other/``: an Epic-style searchset with
LOINC answer codes (ER/PR interpretation 16112-5/16113-3 beside the percentages, ECOG as LOINC answer LA9622-7), the
mCODE STU4 HistologicGrade profile (code NCIT C18000, SNOMED CT intermediate grade) with ``urn:uuid`` references, a
Cerner-style transaction whose DiagnosticReport holds ``contained`` results (HER2 IHC "2+" as valueString, ISH ratio
and copies as results of their own, an ITC-only node), tumour-registry counts (NAACCR LOINC 21894-1 / 21893-3) and
mCODE STU2 AJCC codes (``http://cancerstaging.org``), and bundles whose data contradict each other or are absent.

Expectations come from the sources, written before the bundles were run:

- Codes: mCODE STU4 FSH sources (HL7/fhir-mCODE-ig 543477b5): HistologicGrade ``code = NCIT#C18000``, values
  HistologicGradeVS (low / intermediate / high histologic grade = Nottingham grade 1 / 2 / 3 for breast carcinoma);
  the STU4 ballot example histologic-grade-intermediate (LOINC 33732-9); mCODE STU2 TNM category value sets ("all
  codes defined in http://cancerstaging.org"); LOINC answer list LL529-9 of 89247-1 (LA9622-7 = ECOG 0 ... LA9626-8 =
  ECOG 4); NAACCR items #830 / #820 (LOINC 21894-1 / 21893-3): values 90-99 are registry codes (#820: 90 = 90 or
  more, 95 = positive aspiration, 97 = positive nodes, number unspecified, 98 = no nodes examined, 99 = unknown),
  and ITC-only nodes are not counted as positive (SEER breast schema).
- Receptors: ASCO/CAP 2020 ER/PR guideline (>= 1 % positive, < 1 % negative); ASCO/CAP 2018 HER2 guideline (IHC 3+
  positive; IHC 2+ with dual-probe ISH group 1, ratio >= 2.0 and >= 4 signals per cell, positive).
- Stage: AJCC Cancer Staging Manual 8th ed., chapter 48 (T1b > 5-10 mm, T1c > 10-20 mm, T2 > 20-50 mm; N1mi
  micrometastases only; N1a 1-3 nodes with one deposit > 2 mm; N0(i+) ITC only; "(sn)" sentinel nodes only, up to
  five; anatomic table T1 N0 M0 IA, T1 N1mi M0 IB, T1 N1 M0 IIA, T2 N0 M0 IIA; pathological prognostic table: T1 N1mi
  M0 G1 HER2- ER+ PR+ IA, T1 N0 M0 HER2+ (any grade, ER, PR) IA).
- FHIR R4 ObservationStatus: entered-in-error results are not results; an amended result supersedes the final one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from _bundles import Expected, assessed_through_the_cli
from micromets.errors import CaseValidationError
from micromets.interop.fhir import import_bundle

BUNDLES = Path(__file__).parent / "bundles-audit"

#: bundles that stage: (T, N, M, anatomic, pathological prognostic, clinical prognostic); None = not checked
STAGED: Expected = {
    # 16 mm -> pT1c; 1 micrometastatic node of 2 sentinel nodes -> pN1mi(sn); cM0 -> anatomic IB;
    # pathological prognostic T1 N1mi M0 G1, HER2- (IHC 1+), ER+ (80 %), PR+ (30 %) -> IA.
    "epic-loinc-answers": ("pT1c", "pN1mi(sn)", "cM0", "IB", "IA", None),
    # 2.4 cm -> 24 mm -> pT2; 0 of 3 sentinel nodes -> pN0(sn); cM0 -> anatomic T2 N0 M0 IIA.
    "mcode-stu4-histologic-grade": ("pT2", "pN0(sn)", "cM0", "IIA", None, None),
    # 0.9 cm -> pT1b; ITC in 1 of 4 sentinel nodes -> pN0(i+)(sn); cM0 -> IA; HER2 IHC 2+ with ISH ratio 2.4 and 5.1
    # signals/cell (group 1) -> HER2+; pathological prognostic T1 N0 M0 HER2+ -> IA.
    "cerner-contained-ish": ("pT1b", "pN0(i+)(sn)", "cM0", "IA", "IA", None),
    # 12 mm -> pT1c; pN1mi with 1 positive node of 3 (registry counts), sentinel only -> pN1mi(sn); cM0 -> IB.
    "registry-naaccr-counts": ("pT1c", "pN1mi(sn)", "cM0", "IB", None, None),
    # 15 mm -> pT1c; 0 of 2 sentinel nodes -> pN0(sn); cM0 -> IA.
    "prior-anthracycline-other-cancer": ("pT1c", "pN0(sn)", "cM0", "IA", None, None),
    # 8 mm -> pT1b; 1 macrometastatic node (3.5 mm > 2 mm) of 2 sentinel nodes -> pN1a(sn); cM0 -> T1 N1 M0 IIA.
    "mcode-stu2-ajcc-codes": ("pT1b", "pN1a(sn)", "cM0", "IIA", None, None),
    # 22 mm -> pT2; 0 of 1 sentinel node -> pN0(sn); cM0 -> anatomic T2 N0 M0 IIA (HER2: IHC 2+, ratio 4.6/2.0 = 2.3
    # with 4.6 signals/cell -> ISH group 1 -> positive).
    "lis-ish-value-ratio": ("pT2", "pN0(sn)", "cM0", "IIA", None, None),
}

#: bundles that cannot become a case: the field the error must name and a word of its message
REFUSED = {
    "registry-positive-unspecified": ("nodes.deposits", "97"),          # NAACCR 97: positive nodes, number unspecified
    "er-interpretation-contradicts-percent": ("tumour.er_percent", "negative"),   # "Negative" beside 90 %
    "her2-interpretation-contradicts-ihc": ("tumour.her2_ihc", "negative"),       # "Negative" beside IHC 3+
    "pn-contradicts-node-counts": ("nodes.deposits", "pN2a"),            # pN2a beside 1 micrometastatic node in 3
    "size-two-finals-different-dates": ("tumour.size_mm", "conflicting"),  # 12 mm and 16 mm, both final
    "size-in-inches": ("tumour.size_mm", "[in_i]"),                       # micromets reads mm, cm, um
    "ecog-codes-disagree": ("ecog", "1, 2"),                             # LA9623-5 (ECOG 1) with SNOMED CT grade 2
    # 2 sentinel nodes, then 12 from the completion dissection: the case's count is neither the larger nor guessed
    "sentinel-then-dissection-counts": ("nodes.examined", "12"),
    # one Observation: valueQuantity 25 mm beside the longest-dimension component 1.2 cm
    "size-value-contradicts-component": ("tumour.size_mm", "conflicting"),
}

#: bundles read for their fields (no stage checked)
READ = {"statuses-eie-amended", "comparator-and-data-absent", "birth-year-only", "grade-core-and-excision",
        "ips-er-snomed-uncoded-conditions", "condition-onset-age"}


def _bundle(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((BUNDLES / f"{name}.json").read_text())
    return data


def test_every_bundle_in_the_folder_has_an_expectation() -> None:
    assert {p.stem for p in BUNDLES.glob("*.json")} == set(STAGED) | set(REFUSED) | READ
    assert len(set(STAGED) | set(REFUSED) | READ) >= 15


@pytest.mark.parametrize("name", sorted(STAGED))
def test_bundle_stages_through_the_cli(name: str) -> None:
    assessed_through_the_cli(BUNDLES, STAGED, name)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_contradictory_or_unreadable_data_are_a_field_named_error(name: str) -> None:
    field, word = REFUSED[name]
    with pytest.raises(CaseValidationError) as caught:
        import_bundle(_bundle(name))
    named = [p for p in caught.value.problems if p.field == field]
    assert named, caught.value.problems
    assert any(word in p.message for p in named), named


def test_epic_loinc_answer_codes() -> None:
    case = import_bundle(_bundle("epic-loinc-answers")).case
    assert case.tumour is not None
    # the Positive interpretations agree with 80 % and 30 %; the HER2 Negative with IHC 1+: no error
    assert (case.tumour.er_percent, case.tumour.pr_percent, case.tumour.her2_ihc) == (80, 30, "1+")
    assert (case.tumour.ki67_percent, case.tumour.grade, case.tumour.laterality) == (12, 1, "right")
    assert (case.ecog, case.menopausal_status) == (0, "post")  # LOINC answer LA9622-7 = ECOG 0
    assert case.age == 57  # born 1968-07-04, breast cancer onset 2026-05-11


def test_mcode_stu4_histologic_grade_profile() -> None:
    imported = import_bundle(_bundle("mcode-stu4-histologic-grade"))
    case = imported.case
    assert case.tumour is not None and case.nodes is not None
    assert case.tumour.grade == 2  # NCIT C18000 with SNOMED CT 1286893008 intermediate histologic grade
    assert (case.tumour.size_mm, case.tumour.laterality, case.age) == (24.0, "left", 66)
    assert (case.tumour.er_percent, case.tumour.pr_percent, case.tumour.her2_ihc) == (95, 60, "0")
    assert case.nodes.examined == 3
    assert not any("has no code micromets reads" in w for w in imported.warnings)


def test_contained_results_her2_by_ish_and_performance_status() -> None:
    case = import_bundle(_bundle("cerner-contained-ish")).case
    assert case.tumour is not None and case.nodes is not None
    assert (case.tumour.her2_ihc, case.tumour.her2_ish_ratio, case.tumour.her2_ish_copies) == ("2+", 2.4, 5.1)
    assert (case.tumour.er_percent, case.tumour.pr_percent, case.tumour.grade) == (0, 0, 3)
    assert [d.reported_category for d in case.nodes.deposits] == ["itc"]
    assert (case.ecog, case.karnofsky) == (1, 80)


def test_registry_counts_are_read_and_registry_codes_are_not_counts() -> None:
    case = import_bundle(_bundle("registry-naaccr-counts")).case
    assert case.nodes is not None and case.nodes.examined == 3
    assert [d.reported_category for d in case.nodes.deposits] == ["micrometastasis"]
    assert case.tumour is not None and case.tumour.grade == 2
    # 98 in the positive count is "no nodes examined" (NAACCR #820): reported as missing, never 98 nodes
    bundle = _bundle("registry-naaccr-counts")
    for entry in bundle["entry"]:
        if entry["resource"].get("id") == "pos":
            entry["resource"]["valueInteger"] = 98
    imported = import_bundle(bundle)
    assert any(f == "nodes.deposits" and "registry code" in why for f, why in imported.missing)


def test_an_anthracycline_for_another_cancer_is_not_neoadjuvant_therapy() -> None:
    imported = import_bundle(_bundle("prior-anthracycline-other-cancer"))
    case = imported.case
    assert case.conditions is not None and case.conditions.prior_anthracycline is True
    assert not case.neoadjuvant  # doxorubicin 2008-09 for Hodgkin lymphoma, breast cancer 2026
    assert case.treatments is not None and case.treatments.endocrine is True  # tamoxifen after surgery
    assert any("MedicationStatement/abvd-dox" in w and "prior anthracycline" in w for w in imported.warnings)


def test_a_date_before_the_onset_alone_sets_a_drug_apart() -> None:
    bundle = _bundle("prior-anthracycline-other-cancer")
    for entry in bundle["entry"]:
        entry["resource"].pop("reasonReference", None)
    case = import_bundle(bundle).case
    assert case.conditions is not None and case.conditions.prior_anthracycline is True
    assert not case.neoadjuvant


def test_entered_in_error_is_ignored_and_amended_supersedes_final() -> None:
    imported = import_bundle(_bundle("statuses-eie-amended"))
    case = imported.case
    assert case.tumour is not None
    assert case.tumour.er_percent == 85  # the 0 % result was entered in error
    assert case.tumour.her2_ihc == "1+"  # final over preliminary
    assert case.tumour.size_mm == 17.0  # amended 1.7 cm over final 1.5 cm
    assert case.conditions is None or case.conditions.heart_failure is None  # Condition entered in error


def test_a_bound_and_an_absent_result_are_named_not_guessed() -> None:
    imported = import_bundle(_bundle("comparator-and-data-absent"))
    case = imported.case
    assert case.tumour is not None
    # "<1 %" is a bound, but every value below it is ER-negative (ASCO/CAP 2020: < 1 % is negative): read as 0 %,
    # with a warning naming the result (test_fhir_lab_patterns.py); "not-performed" is named as missing
    assert (case.tumour.er_percent, case.tumour.pr_percent, case.tumour.ki67_percent) == (0, None, 25)
    missing = dict(imported.missing)
    assert any("Observation/er" in w and "<1 %" in w for w in imported.warnings)
    assert "Observation/pr" in missing["tumour.pr_percent"] and "not-performed" in missing["tumour.pr_percent"]


def test_a_birth_year_without_a_diagnosis_date_leaves_the_age_unknown() -> None:
    case = import_bundle(_bundle("birth-year-only")).case
    assert case.age is None


def test_the_surgical_grade_is_used_without_neoadjuvant_therapy() -> None:
    imported = import_bundle(_bundle("grade-core-and-excision"))
    assert imported.case.tumour is not None and imported.case.tumour.grade == 2
    assert any("Observation/grade-core" in w for w in imported.warnings)


def test_ips_er_code_and_conditions_coded_only_by_text() -> None:
    imported = import_bundle(_bundle("ips-er-snomed-uncoded-conditions"))
    assert imported.case.tumour is not None and imported.case.tumour.er_percent == 70  # agrees with 416053008
    # the onsets 2012-03-01 (hypertension) and 2026-04-01 (the cancer) are both uncoded: the age is not guessed
    assert imported.case.age is None
    assert any(f == "age" and "2012-03-01" in why for f, why in imported.missing)
    # the same SNOMED CT "ER positive tumour" beside 0 % is a contradiction
    bundle = _bundle("ips-er-snomed-uncoded-conditions")
    for entry in bundle["entry"]:
        if entry["resource"].get("id") == "er-pct":
            entry["resource"]["valueQuantity"]["value"] = 0
    with pytest.raises(CaseValidationError) as caught:
        import_bundle(bundle)
    assert [p.field for p in caught.value.problems] == ["tumour.er_percent"]


def test_the_age_at_onset_given_by_the_condition() -> None:
    assert import_bundle(_bundle("condition-onset-age")).case.age == 58  # Condition.onsetAge 58 a


_L = "http://loinc.org"


def _obs(rid: str, code: str, **value: Any) -> dict[str, Any]:
    return {"resourceType": "Observation", "id": rid, "status": value.pop("status", "final"),
            "code": {"coding": [{"system": _L, "code": code}]}, "subject": {"reference": "Patient/p"}, **value}


def _small_bundle(*observations: dict[str, Any]) -> dict[str, Any]:
    resources = [{"resourceType": "Patient", "id": "p", "gender": "female"},
                 {"resourceType": "Specimen", "id": "core", "type": {"text": "Core needle biopsy, breast"}},
                 {"resourceType": "Procedure", "id": "lump", "status": "completed", "subject": {"reference": "Patient/p"},
                  "code": {"coding": [{"system": "http://snomed.info/sct", "code": "392021009"}]},
                  "performedDateTime": "2026-10-01"}, *observations]
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}


def test_a_status_is_compared_with_the_results_of_its_own_specimen() -> None:
    # core biopsy "Negative" with 0 %, the excision 5 %: two specimens may differ (ER heterogeneity); the excision
    # value is used (no neoadjuvant therapy) and no contradiction is reported
    negative = {"coding": [{"system": _L, "code": "LA6577-6"}]}
    core = {"reference": "Specimen/core"}
    case = import_bundle(_small_bundle(
        _obs("er-core-int", "16112-5", valueCodeableConcept=negative, specimen=core, effectiveDateTime="2026-09-02"),
        _obs("er-core", "85329-1", valueQuantity={"value": 0, "unit": "%"}, specimen=core, effectiveDateTime="2026-09-02"),
        _obs("er-exc", "85329-1", valueQuantity={"value": 5, "unit": "%"}, effectiveDateTime="2026-10-05"))).case
    assert case.tumour is not None and case.tumour.er_percent == 5


def test_a_superseded_preliminary_result_is_not_a_contradiction() -> None:
    # preliminary IHC 3+ superseded by the final 1+; the interpretation Negative agrees with 1+
    case = import_bundle(_small_bundle(
        _obs("ihc-p", "85319-2", status="preliminary", valueCodeableConcept={"coding": [{"system": _L, "code": "LA11843-2"}]}),
        _obs("ihc", "85319-2", valueCodeableConcept={"coding": [{"system": _L, "code": "LA11841-6"}]}),
        _obs("her2", "48676-1", valueCodeableConcept={"coding": [{"system": _L, "code": "LA6577-6"}]}))).case
    assert case.tumour is not None and case.tumour.her2_ihc == "1+"


def test_the_ish_ratio_as_a_fhir_ratio() -> None:
    case = import_bundle(_bundle("lis-ish-value-ratio")).case
    assert case.tumour is not None
    assert (case.tumour.her2_ihc, case.tumour.her2_ish_ratio, case.tumour.her2_ish_copies) == ("2+", 2.3, 4.6)
    assert case.tumour.grade == 2


def test_a_core_biopsy_result_before_the_recorded_onset_keeps_chemotherapy_neoadjuvant() -> None:
    # a system that records the cancer's onset as the date of the operation: the core biopsy result (2026-03-02)
    # shows the cancer was known before the epirubicin (April-July), which is therefore neoadjuvant
    bundle = _small_bundle(
        _obs("er-core", "85329-1", valueQuantity={"value": 80, "unit": "%"}, specimen={"reference": "Specimen/core"},
             effectiveDateTime="2026-03-02"),
        {"resourceType": "Condition", "id": "ca", "subject": {"reference": "Patient/p"}, "onsetDateTime": "2026-10-01",
         "code": {"coding": [{"system": "http://snomed.info/sct", "code": "254837009"}]}},
        {"resourceType": "MedicationAdministration", "id": "epi", "status": "completed", "subject": {"reference": "Patient/p"},
         "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "3995"}]},
         "effectivePeriod": {"start": "2026-04-01", "end": "2026-07-01"}})
    case = import_bundle(bundle).case
    assert case.neoadjuvant is True
    assert case.neoadjuvant_therapy is not None and case.neoadjuvant_therapy.agents == ["anthracycline"]
    assert case.conditions is None or case.conditions.prior_anthracycline is None


def _nodes_bundle(pn: str, micro: int) -> dict[str, Any]:
    sln = {"resourceType": "Procedure", "id": "sln", "status": "completed", "subject": {"reference": "Patient/p"},
           "code": {"coding": [{"system": "http://snomed.info/sct", "code": "396487001"}]}, "performedDateTime": "2026-10-01"}
    return _small_bundle(sln, _obs("pn", "21900-6", valueCodeableConcept={"text": pn}),
                         _obs("exam", "92833-3", valueInteger=2), _obs("micro", "85344-0", valueInteger=micro))


@pytest.mark.parametrize(("pn", "micro", "agrees"), [
    ("pN0(i-)(sn)", 0, True),   # AJCC 8 pN0(i-): no ITC found by IHC -- node-negative, needs no counts by class
    ("pN0(mol-)", 0, True),
    ("pN1(sn)", 1, True),       # less specific than the N1mi the counts give: agrees
    ("pN1mi(sn)", 1, True),
    ("pN0(i-)", 1, False),      # one micrometastatic node: N1mi, not N0
    ("pN1a", 1, False),         # N1a needs a deposit > 2 mm
])
def test_a_reported_pn_is_checked_against_the_node_counts(pn: str, micro: int, agrees: bool) -> None:
    if agrees:
        nodes = import_bundle(_nodes_bundle(pn, micro)).case.nodes
        assert nodes is not None and len(nodes.deposits) == micro
    else:
        with pytest.raises(CaseValidationError) as caught:
            import_bundle(_nodes_bundle(pn, micro))
        assert [p.field for p in caught.value.problems] == ["nodes.deposits"]
