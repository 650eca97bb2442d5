"""Published mCODE example resources (HL7/fhir-mCODE-ig; test data and their source paths: _ig_examples.py), coded
as STU4, STU2 and STU1 systems code them, read by the importer, the assessment and the CDS Hooks service.

What a correct import is, by source:

- AJCC 8th ed. chapter 48: T by the invasive size (T2 > 20-50 mm, T3 > 50 mm); M0 is clinical (there is no pM0);
  M1 is spread beyond the breast and its regional nodes. mCODE STU4 tnm-pathologic-distant-metastases-category-jenny-m:
  code SNOMED CT 371497001 'pM category', value data-absent-reason 'not-applicable' ("cancer is not metastatic, pM0 is
  not valid").
- ASCO/CAP 2020 (ER/PR) and 2018/2023 (HER2): the decisions need the percentage of stained nuclei and the IHC score; a
  bare Positive/Negative is reported, not turned into a number.
- mCODE STU2 ComorbiditiesElixhauser (input/fsh/SD_ComorbidCondition.fsh, DEF_CodeSystems.fsh): component code
  loinc-requested-cs#CHF = "a disorder in ElixhauserCongestiveHeartFailureVS", value SNOMED CT 52101004 Present /
  2667000 Absent; ElixhauserCongestiveHeartFailureVS (VS_ComorbidCondition.fsh) lists ICD-10-CM I50.1-I50.9.
- mCODE STU4 EX_Basic.fsh john-anyperson-chf: congestive heart failure as ICD10CM#I50.32; secondary-cancer-condition-
  brain-mets: profile SecondaryCancerCondition, SNOMED CT 94225005, extension relatedPrimaryCancerCondition;
  SecondaryCancerDisorderVS (VS_CancerCondition.fsh): ICD-10-CM C77 (lymph nodes), C78, C79.
- mCODE STU1 (tag STU1) Condition-mCODEPrimaryCancerConditionExample01.json: Condition.bodySite laterality as the
  extension .../mcode-laterality (renamed mcode-laterality-qualifier in STU2), SNOMED CT 7771000 left.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.interop import _ig_examples as ig
from tests.interop._audit_bundles import refused

from micromets.api.cdshooks import SERVICE_ID
from micromets.assess import assess
from micromets.interop.fhir import import_bundle, with_import_notes

from _auth import BASE_URL, Ehr, EhrAuth, cds_app

_PT = "tnm-pathologic-primary-tumor-category-jenny-m"


def _stu4_without_pt() -> list[dict[str, Any]]:
    """Jenny M as a system that sends the size but no pT category would send her."""
    return ig.without(ig.jenny_m_stu4(), _PT)


# --- the published example as it is -------------------------------------------------------------------------------

@pytest.mark.parametrize("resources", [ig.jenny_m_stu4, ig.jenny_m_stu2], ids=["stu4", "stu2"])
def test_the_published_jenny_m_is_refused_because_its_pt3_contradicts_its_2_5_cm_tumour(resources: Any) -> None:
    # the example reports pT3 (SNOMED CT 1229859000 / AJCC#pT3) beside a 2.5 cm tumour: AJCC 8 T2; one of them is wrong
    problems = refused(ig.bundle(resources()))
    assert [f for f, _ in problems] == ["tumour.size_mm"]
    assert "pT3" in problems[0][1] and "T2" in problems[0][1] and _PT in problems[0][1]


def test_stu4_jenny_m_reads_every_field_the_example_gives() -> None:
    imported = import_bundle(ig.bundle(_stu4_without_pt()))
    case = imported.case
    assert (case.id, case.sex, case.age) == ("cancer-patient-jenny-m", "female", 53)  # born 1965-01-01, onset 2018-03-16
    assert case.tumour is not None
    assert (case.tumour.size_mm, case.tumour.grade, case.tumour.laterality) == (25, 2, "left")
    assert (case.clinical_nodes, case.metastasis, case.ecog, case.oncotype_rs) == ("cN0", "cM0", 0, 47)
    assert case.nodes is not None and case.nodes.examined == 3 and not case.nodes.deposits  # reported pN0
    assert case.surgery is not None and (case.surgery.breast, str(case.surgery.date)) == ("bcs", "2018-04-01")
    # doxorubicin + paclitaxel ordered 2018-04-12, after the operation: anthracycline and taxane; anastrozole
    assert case.treatments is not None and case.treatments.chemotherapy == "third_gen" and case.treatments.endocrine
    # ER Positive, PR Negative, HER2 Negative without the numbers: named as missing, never a default
    assert sorted(f for f, _ in imported.missing) == ["tumour.er_percent", "tumour.her2_ihc", "tumour.pr_percent"]


# --- pM: SNOMED CT 371497001 'pM category' (mCODE STU3/STU4) ---------------------------------------------------------

def test_pm_not_applicable_is_said_and_is_not_a_missing_m() -> None:
    # was: "'pM category' has no code micromets reads"; with the code known, 'Not Applicable' must not become a missing
    # M category beside the clinical cM0
    imported = import_bundle(ig.bundle(_stu4_without_pt()))
    assert imported.case.metastasis == "cM0"
    assert "metastasis" not in [f for f, _ in imported.missing]
    assert any("tnm-pathologic-distant-metastases-category-jenny-m: pM 'not applicable'" in w for w in imported.warnings)


def test_a_pm1_under_the_snomed_pm_code_is_read() -> None:
    # was: ignored ("no code micromets reads"), leaving the clinical cM0: a metastatic cancer assessed as M0
    resources = ig.replaced(_stu4_without_pt(), "tnm-pathologic-distant-metastases-category-jenny-m",
                            valueCodeableConcept=ig.cc(ig.S, "1229916009", "American Joint Committee on Cancer pM1"))
    resources = ig.without(resources, "tnm-clinical-distant-metastases-category-jenny-m")
    assert import_bundle(ig.bundle(resources)).case.metastasis == "pM1"


def test_an_unknown_pm_is_a_missing_m_category_naming_the_resource() -> None:
    resources = ig.replaced(_stu4_without_pt(), "tnm-pathologic-distant-metastases-category-jenny-m",
                            valueCodeableConcept=ig.cc("http://terminology.hl7.org/CodeSystem/data-absent-reason",
                                                       "unknown", "Unknown"))
    resources = ig.without(resources, "tnm-clinical-distant-metastases-category-jenny-m")
    imported = import_bundle(ig.bundle(resources))
    assert imported.case.metastasis is None
    assert [(f, "data-absent-reason 'unknown'" in why) for f, why in imported.missing if f == "metastasis"] == [
        ("metastasis", True)]


# --- STU2: AJCC codes in http://cancerstaging.org, the Elixhauser panel ---------------------------------------------

def test_stu2_jenny_m_reads_as_stu4_and_the_elixhauser_chf_absent_is_no_heart_failure() -> None:
    stu2 = import_bundle(ig.bundle(ig.without(ig.jenny_m_stu2(), _PT)))
    stu4 = import_bundle(ig.bundle(_stu4_without_pt()))
    assert stu2.case.conditions is not None and stu2.case.conditions.heart_failure is False  # was: unknown, unsaid
    # the STU2 example's morphology is SNOMED CT 413448000 (adenocarcinoma, no subtype), STU4's 82711006 (infiltrating
    # duct carcinoma): only STU4's is a histologic type (test_fhir_lab_patterns.py); STU2's is named as missing
    assert stu4.case.tumour is not None and stu4.case.tumour.histology == "ductal"
    assert any(f == "tumour.histology" and "413448000" in why for f, why in stu2.missing)
    assert stu2.case.model_copy(update={"conditions": None}) == stu4.case.model_copy(
        update={"tumour": stu4.case.tumour.model_copy(update={"histology": None})})
    assert any("Elixhauser comorbidity categories that are not case fields" in w and "DEPRESS present" in w
               for w in stu2.warnings)


def _elixhauser(*components: dict[str, Any]) -> dict[str, Any]:
    return {**copy.deepcopy(ig.ELIXHAUSER_JENNY_M), "component": list(components)}


def test_the_elixhauser_chf_present_is_heart_failure() -> None:
    resources = [*_stu4_without_pt(), _elixhauser(ig._elixhauser_component("CHF", True))]
    case = import_bundle(ig.bundle(resources)).case
    assert case.conditions is not None and case.conditions.heart_failure is True


def test_an_elixhauser_chf_without_present_or_absent_is_said_not_read_as_absent() -> None:
    resources = [*_stu4_without_pt(), _elixhauser({"code": ig.cc(ig.LNC_TBD, "CHF")})]
    imported = import_bundle(ig.bundle(resources))
    assert imported.case.conditions is None or imported.case.conditions.heart_failure is None
    assert any("Elixhauser category CHF without a Present/Absent value" in w for w in imported.warnings)


# --- heart failure coded in ICD-10-CM (mCODE john-anyperson-chf) ----------------------------------------------------

def _with_condition(code: str, display: str) -> list[dict[str, Any]]:
    condition = ig._condition("john-anyperson-chf", ig.cc(ig.ICD10CM, code, display), "2016-01-01")
    return [*_stu4_without_pt(), condition]


@pytest.mark.parametrize(("code", "display"), [("I50.32", "Chronic diastolic (congestive) heart failure"),
                                               ("I50.9", "Heart failure, unspecified"),
                                               ("I11.0", "Hypertensive heart disease with heart failure")])
def test_an_icd10cm_heart_failure_condition_is_heart_failure(code: str, display: str) -> None:
    # was: not read (only SNOMED CT 84114007), so anthracycline and trastuzumab cautions never applied
    case = import_bundle(ig.bundle(_with_condition(code, display))).case
    assert case.conditions is not None and case.conditions.heart_failure is True


def test_takotsubo_in_the_elixhauser_chf_value_set_is_not_read_as_heart_failure() -> None:
    case = import_bundle(ig.bundle(_with_condition("I51.81", "Takotsubo syndrome"))).case
    assert case.conditions is None or case.conditions.heart_failure is None


def test_the_jenny_m_comorbidities_absent_codes_micromets_does_not_record_are_said() -> None:
    warnings = import_bundle(ig.bundle(_stu4_without_pt())).warnings
    assert any("'Obesity (disorder)' recorded as absent" in w for w in warnings)
    assert any("'Disorder of lung (disorder)' recorded as absent" in w for w in warnings)


# --- STU1 laterality extension ----------------------------------------------------------------------------------------

def test_the_stu1_laterality_extension_gives_the_side() -> None:
    # a breast cancer Condition without a side in its code, the side in bodySite as STU1 wrote it
    resources = ig.replaced(_stu4_without_pt(), "primary-cancer-condition-jenny-m",
                            code=ig.cc(ig.S, "254837009", "Malignant neoplasm of breast (disorder)"),
                            bodySite=[{"extension": [ig.STU1_LATERALITY], "coding": [{"system": ig.S, "code": "76752008"}]}])
    resources = ig.replaced(resources, "cancer-related-surgical-procedure-jenny-m", bodySite=None)
    resources = ig.replaced(resources, "tumor-specimen-left-breast-jenny-m", collection=None)
    resources = [r for r in resources if r["resourceType"] != "Procedure" or "biopsy" not in r["id"]]
    case = import_bundle(ig.bundle(resources)).case
    assert case.tumour is not None and case.tumour.laterality == "left"  # was: None, silently


# --- secondary cancers (mCODE SecondaryCancerCondition) -------------------------------------------------------------

def _secondary(code: dict[str, Any], related: str | None = ig.CANCER, **extra: Any) -> dict[str, Any]:
    """secondary-cancer-condition-brain-mets (EX_Basic.fsh) moved to Jenny M."""
    out: dict[str, Any] = {
        "resourceType": "Condition", "id": "secondary-cancer-condition-brain-mets",
        "meta": {"profile": [ig.MCODE + "mcode-secondary-cancer-condition"]},
        "clinicalStatus": ig._clinical("active", "Active"), "verificationStatus": ig._verified(),
        "category": [ig.cc("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item")],
        "code": code, "subject": ig.ref(ig.PATIENT), "onsetDateTime": "2019-05-01", **extra}
    if related is not None:
        out["extension"] = [{"url": "http://hl7.org/fhir/StructureDefinition/condition-related",
                             "valueReference": ig.ref(related)}]
    return out


_BRAIN = ig.cc(ig.S, "94225005", "Secondary malignant neoplasm of brain")


@pytest.mark.parametrize("code", [_BRAIN, ig.cc(ig.ICD10CM, "C79.51", "Secondary malignant neoplasm of bone")])
def test_a_distant_metastasis_beside_cm0_is_refused(code: dict[str, Any]) -> None:
    # was: ignored; the patient assessed as cM0 (early breast cancer treatment for metastatic disease)
    problems = refused(ig.bundle([*_stu4_without_pt(), _secondary(code)]))
    assert [f for f, _ in problems] == ["metastasis"]
    assert "secondary-cancer-condition-brain-mets" in problems[0][1] and "cM0" in problems[0][1]


def test_a_distant_metastasis_without_an_m_category_is_missing_not_m0_and_not_m1() -> None:
    resources = ig.without(_stu4_without_pt(), "tnm-clinical-distant-metastases-category-jenny-m")
    imported = import_bundle(ig.bundle([*resources, _secondary(_BRAIN)]))
    assert imported.case.metastasis is None
    assert any(f == "metastasis" and "secondary-cancer-condition-brain-mets" in why for f, why in imported.missing)


def test_a_distant_metastasis_beside_cm1_agrees() -> None:
    resources = ig.replaced(_stu4_without_pt(), "tnm-clinical-distant-metastases-category-jenny-m",
                            valueCodeableConcept=ig.cc(ig.S, "1229903009", "American Joint Committee on Cancer cM1"))
    imported = import_bundle(ig.bundle([*resources, _secondary(_BRAIN)]))
    assert imported.case.metastasis == "cM1"


def test_a_secondary_in_the_axillary_nodes_is_said_not_read_as_distant() -> None:
    # C77.3: axillary nodes are regional (N) for a breast cancer
    code = ig.cc(ig.ICD10CM, "C77.3", "Secondary and unspecified malignant neoplasm of axilla and upper limb lymph nodes")
    imported = import_bundle(ig.bundle([*_stu4_without_pt(), _secondary(code, related=None)]))
    assert imported.case.metastasis == "cM0"
    assert any("does not say that it is a distant metastasis" in w for w in imported.warnings)


def test_another_primarys_metastasis_is_said_and_refuted_ones_say_nothing() -> None:
    other = _secondary(_BRAIN, related="Condition/primary-cancer-condition-nsclc")
    imported = import_bundle(ig.bundle([*_stu4_without_pt(), other]))
    assert imported.case.metastasis == "cM0"
    assert any("of another primary" in w for w in imported.warnings)
    refuted = _secondary(_BRAIN, verificationStatus=ig._verified("refuted"))
    assert import_bundle(ig.bundle([*_stu4_without_pt(), refuted])).case.metastasis == "cM0"


# --- assessment and CDS Hooks ----------------------------------------------------------------------------------------

def test_the_assessment_of_jenny_m_names_the_receptor_results_it_could_not_use() -> None:
    imported = import_bundle(ig.bundle(_stu4_without_pt()))
    assessment = with_import_notes(assess(imported.case), imported)
    named = [m.why for m in assessment.missing if m.why.startswith("Observation/tumor-marker-test-")]
    assert len(named) == 3
    # HER2 given only as Negative: HER2 therapy is not decided from it (ASCO/CAP: the IHC score decides)
    assert assessment.decisions["her2_therapy"] == "insufficient_data"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    ehr = Ehr()
    app = cds_app(ehr, tmp_path_factory.mktemp("cds") / "ehr-jwks.json")
    out = TestClient(app, base_url=BASE_URL)
    out.auth = EhrAuth(ehr)
    return out


def _prefetch(resources: list[dict[str, Any]]) -> dict[str, Any]:
    """The resources as a CDS Hooks client prefetches them (searchset Bundles by type, the Patient read)."""
    def searchset(*kinds: str) -> dict[str, Any]:
        return {"resourceType": "Bundle", "type": "searchset",
                "entry": [{"resource": r} for r in resources if r["resourceType"] in kinds]}
    patient = next(r for r in resources if r["resourceType"] == "Patient")
    return {"patient": patient, "conditions": searchset("Condition"), "observations": searchset("Observation"),
            "procedures": searchset("Procedure")}


def _cards(client: TestClient, resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    body = {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
            "context": {"userId": "Practitioner/1", "patientId": "cancer-patient-jenny-m"},
            "prefetch": _prefetch(resources)}
    response = client.post(f"/cds-services/{SERVICE_ID}", json=body)
    assert response.status_code == 200
    cards: list[dict[str, Any]] = response.json()["cards"]
    return cards


def test_cds_hooks_jenny_m_cards_name_the_missing_receptor_numbers(client: TestClient) -> None:
    details = "".join(c.get("detail", "") for c in _cards(client, _stu4_without_pt()))
    assert "Observation/tumor-marker-test-er-jenny-m gives ER as 'positive'" in details


def test_cds_hooks_a_distant_metastasis_beside_cm0_is_a_problem_card(client: TestClient) -> None:
    cards = _cards(client, [*_stu4_without_pt(), _secondary(_BRAIN)])
    assert len(cards) == 1 and cards[0]["indicator"] in ("warning", "critical")
    assert "metastasis" in cards[0].get("detail", "") and "secondary-cancer-condition-brain-mets" in cards[0]["detail"]


# --- MII Kerndatensatzmodul Onkologie (German systems) -----------------------------------------------------------------
# Sources: kerndatensatzmodul-onkologie 2ed2c86: Condition-mii-exa-onko-diagnose (ICD-10-GM C50.4, side R 'rechts' as
# the seitenlokalisation extension), the TNM profiles (prefix c/p/u and the suffixes (i+), (i-), (mol+), (mol-), (sn)
# as extensions, mii-ex-onko-tnm-itc-suffix / -sn-suffix), the y-symbol (LOINC 101658-3, SNOMED CT 421755005: "the
# classification was made during or after initial multimodal therapy"). AJCC 8: pN0(i+) = ITC only (<= 0.2 mm);
# ypT0 = no invasive residual after neoadjuvant therapy.

def _mii(*observations: dict[str, Any]) -> dict[str, Any]:
    return ig.bundle([ig.MII_PATIENT, ig.MII_DIAGNOSIS, *observations])


def test_the_mii_icd10gm_breast_cancer_gives_side_and_quadrant() -> None:
    # was: an ICD-10-GM code was no breast cancer: the side 'rechts' and the quadrant were dropped silently
    case = import_bundle(_mii(ig.mii_tnm("m", "M", "c", "M0"))).case
    assert case.tumour is not None and (case.tumour.laterality, case.tumour.quadrant) == ("right", "upper_outer")
    assert case.metastasis == "cM0"


def test_the_mii_itc_suffix_extension_is_part_of_the_category() -> None:
    # value N0 with the (i+) and (sn) suffix extensions is pN0(i+)(sn): was read as pN0 (node-negative, ITC lost)
    imported = import_bundle(_mii(ig.mii_tnm("n", "N", "p", "N0", suffixes=("i+", "sn"))))
    assert imported.case.nodes is not None
    assert [d.reported_category for d in imported.case.nodes.deposits] == ["itc"]
    assert any("pN0(i+)(sn)" in w for w in imported.warnings)


def test_the_mii_example_pn0_i_minus_sn_is_node_negative() -> None:
    # Observation-mii-exa-onko-tnm-n-kategorie-pN0i-sn: N0 (i-) (sn)
    imported = import_bundle(_mii(ig.mii_tnm("n", "N", "p", "N0", suffixes=("i-", "sn"))))
    assert imported.case.nodes is None or not imported.case.nodes.deposits
    assert not any(f == "nodes.deposits" for f, _ in imported.missing)


def test_the_mii_y_symbol_makes_the_categories_of_its_date_y_categories() -> None:
    # pT0 of 2021-06-22 with a y-symbol of that date is ypT0 (a complete response after neoadjuvant therapy): was pT0,
    # read as a case without neoadjuvant therapy
    imported = import_bundle(_mii(ig.mii_tnm("t", "T", "p", "T0", date="2021-06-22"), ig.mii_y_symbol("2021-06-22")))
    assert imported.case.neoadjuvant is True
    assert imported.case.tumour is not None and imported.case.tumour.size_mm == 0


@pytest.mark.parametrize("date", [None, "2021-01-05"])
def test_a_y_symbol_that_marks_no_category_is_missing_not_guessed(date: str | None) -> None:
    imported = import_bundle(_mii(ig.mii_tnm("t", "T", "p", "T0", date="2021-06-22"), ig.mii_y_symbol(date)))
    assert not imported.case.neoadjuvant
    assert any(f == "neoadjuvant" and "TNM-y-Symbol-Observation-2" in why for f, why in imported.missing)


def test_the_mii_grading_example_is_grade_3() -> None:
    # mii-cs-onko-grading 3 'schlecht differenziert' (ConceptMap: SNOMED CT 373373000 poorly differentiated): was a
    # missing grade "' '"
    case = import_bundle(_mii(ig.MII_GRADING)).case
    assert case.tumour is not None and case.tumour.grade == 3


@pytest.mark.parametrize("code", ["4", "L", "X"])
def test_an_mii_grading_that_is_no_nottingham_grade_is_missing_with_its_code(code: str) -> None:
    grading = copy.deepcopy(ig.MII_GRADING)
    grading["valueCodeableConcept"]["coding"][0]["code"] = code
    imported = import_bundle(_mii(grading))
    assert [(f, f"code {code}" in why) for f, why in imported.missing] == [("tumour.grade", True)]


def test_an_mii_distant_metastasis_beside_cm0_is_refused() -> None:
    # mii-exa-onko-fernmetastasen-1 (lung) beside cM0: was "no code micromets reads" and the patient assessed as cM0
    problems = refused(_mii(ig.mii_tnm("m", "M", "c", "M0"), ig.MII_DISTANT_METASTASIS))
    assert [f for f, _ in problems] == ["metastasis"]
    assert "mii-exa-onko-fernmetastasen-1" in problems[0][1] and "Lunge" in problems[0][1]


def test_an_mii_distant_metastasis_without_an_m_category_is_missing_and_with_m1_agrees() -> None:
    imported = import_bundle(_mii(ig.MII_DISTANT_METASTASIS))
    assert imported.case.metastasis is None
    assert any(f == "metastasis" and "mii-exa-onko-fernmetastasen-1" in why for f, why in imported.missing)
    assert import_bundle(_mii(ig.mii_tnm("m", "M", "c", "M1"), ig.MII_DISTANT_METASTASIS)).case.metastasis == "cM1"


# --- ER as other systems send it (Jenny M's ER result re-coded) ------------------------------------------------------
# ASCO/CAP 2020: ER >= 1 % of stained nuclei is positive; UCUM '%' and LOINC's '/100 cells' ({percent}, /100{cells}).

_ER = "tumor-marker-test-er-jenny-m"


@pytest.mark.parametrize("change", [
    {"valueCodeableConcept": None, "valueQuantity": {"value": 95, "unit": "%", "system": ig.U, "code": "%"}},
    {"code": ig.cc(ig.L, "85329-1"), "valueCodeableConcept": None,
     "valueQuantity": {"value": 95, "unit": "percent", "system": ig.U, "code": "{percent}"}},
    {"component": [{"code": ig.cc(ig.L, "85329-1"), "valueQuantity": {"value": 95, "unit": "%", "system": ig.U, "code": "%"}}]},
    {"code": ig.cc(ig.L, "16112-5"), "valueCodeableConcept": None, "valueString": "Positive (95%)"},
], ids=["quantity-%", "85329-1-{percent}", "component", "16112-5-text"])
def test_an_er_percentage_coded_the_ways_systems_code_it_is_read(change: dict[str, Any]) -> None:
    case = import_bundle(ig.bundle(ig.replaced(_stu4_without_pt(), _ER, **change))).case
    assert case.tumour is not None and case.tumour.er_percent == 95


def test_an_er_number_at_or_below_1_without_a_unit_is_not_guessed() -> None:
    # was: 0.95 read as 0.95 % (ER-negative) although it may be the fraction 0.95 (95 %, ER-positive)
    change = {"valueCodeableConcept": None, "valueQuantity": {"value": 0.95}}
    imported = import_bundle(ig.bundle(ig.replaced(_stu4_without_pt(), _ER, **change)))
    assert imported.case.tumour is not None and imported.case.tumour.er_percent is None
    assert any(f == "tumour.er_percent" and "without a unit" in why for f, why in imported.missing)


# --- a result about another cancer (Observation.focus) ---------------------------------------------------------------

def test_a_staging_result_whose_focus_is_another_cancer_is_not_read() -> None:
    # the lung cancer's cN3 (focus: primary-cancer-condition-nsclc) beside Jenny M's cN0: was read as this cancer's
    # (a conflict, or cN3 for a node-negative breast cancer)
    imported = import_bundle(ig.bundle([*_stu4_without_pt(), ig.NSCLC, ig.NSCLC_CN3]))
    assert imported.case.clinical_nodes == "cN0"
    assert "clinical_nodes" not in [f for f, _ in imported.missing]  # was: "gives cN3; micromets needs one of ..."
    assert any("tnm-clinical-regional-nodes-category-cN3 is about Condition/primary-cancer-condition-nsclc" in w
               for w in imported.warnings)


def test_a_focus_on_the_breast_cancer_is_read() -> None:
    resources = ig.replaced(_stu4_without_pt(), "tnm-clinical-regional-nodes-category-jenny-m", focus=[ig.ref(ig.CANCER)])
    assert import_bundle(ig.bundle(resources)).case.clinical_nodes == "cN0"


def test_the_stu1_example_patient_s_lung_cancer_staging_is_not_read_silently_as_a_breast_cancer_s() -> None:
    # mCODE STU1 examples: a man with non-small cell lung cancer; cT3 and cM0 (http://cancerstaging.org codes) would be
    # read as the breast cancer's without a word
    observations = [ig.stu1_observation("mCODETNMClinicalPrimaryTumorCategoryExample01",
                                        "mcode-tnm-clinical-primary-tumor-category", "21905-5", "cT3", "survey"),
                    ig.stu1_observation("mCODETNMClinicalDistantMetastasesCategoryExample01",
                                        "mcode-tnm-clinical-distant-metastases-category", "21907-1", "cM0", "survey")]
    imported = import_bundle(ig.bundle([ig.STU1_PATIENT, ig.STU1_PRIMARY, *observations]))
    assert any("Condition/mCODEPrimaryCancerConditionExample01 is a primary cancer" in w for w in imported.warnings)


def test_the_cancer_condition_s_stage_summary_is_said_not_dropped_silently() -> None:
    # primary-cancer-condition-jenny-m: stage.summary SNOMED CT 1222806003 'stage IIIC' beside stage groups IIB
    warnings = import_bundle(ig.bundle(_stu4_without_pt())).warnings
    assert any("primary-cancer-condition-jenny-m: stage summary 'American Joint Committee on Cancer stage IIIC" in w
               for w in warnings)
