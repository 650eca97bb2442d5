"""Safety invariants of issue 8 over generated valid cases that carry the patient fields (hypothesis).

* No cardiotoxic start recommended with LVEF < 50% or heart failure (IC-OS 2021, SAFE-HEaRt, Armenian 2017).
* No CDK4/6 inhibitor (anything but not_indicated/declined/deferred) at ECOG >= 2 (NATALEE, monarchE: ECOG 0-1).
* Nothing recommended that the input forbids: pregnancy and breastfeeding (endocrine therapy, monoclonal
  antibodies, zoledronic acid) (Amant 2012, Shachar 2017, HKMJ 2017, Onkopedia 2022), active autoimmune disease or transplant for pembrolizumab (KEYNOTE-522, label), complete DPD deficiency
  or creatinine clearance < 30 for capecitabine (EMA, label), dental treatment pending for bisphosphonates
  (ASCO/CCO 2017), QTcF >= 450 ms for ribociclib (label), frailty for chemotherapy (ASCO 2018, SIOG 2021).
* A declined treatment is shown as declined and asks for nothing; DCIS gets no systemic decision but
  not_indicated.
* insufficient_data only when the missing input can change the decision: each reported input of a systemic
  decision is changed (what-if) and some value flips that decision.

Metastatic cases are outside these invariants (every decision goes to the metastatic pathway, 'discuss').
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from micromets.errors import CaseValidationError
from micromets.guidelines import GuidelineResult, decision_key, recommend
from micromets.knowledge.evidence import evidence_registry
from micromets.model import DECISION_VALUES, DECLINED, DEFERRED, INSUFFICIENT_DATA, Case, parse_case
from micromets.pathology import classify
from micromets.staging import stage
from micromets.whatif import apply_changes

maybe = lambda s: st.none() | s  # noqa: E731

SYSTEMIC = ("chemotherapy", "endocrine", "her2_therapy", "cdk46_inhibitor", "olaparib", "immunotherapy",
            "capecitabine", "bisphosphonate")
ACTIVE = ("recommended", "discuss")
NOT_IN_PREGNANCY = ("endocrine", "her2_therapy", "cdk46_inhibitor", "olaparib", "immunotherapy", "capecitabine",
                    "bisphosphonate")
RIBOCICLIB_IDS = ("systemic.cdk46.recommended.natalee", "systemic.cdk46.recommended.natalee_t3")

deposit = st.fixed_dictionaries({
    "node": st.integers(1, 6),
    "size_mm": st.sampled_from([0.1, 1.2, 2.5, 6.0]),
    "method": st.just("he"),
    "extranodal_extension": st.just(False),
})
conditions = st.fixed_dictionaries({}, optional={
    "heart_failure": st.booleans(),
    "ischaemic_heart_disease": st.booleans(),
    "prior_anthracycline_mg_m2": st.sampled_from([100.0, 300.0]),
    "venous_thromboembolism": st.booleans(),
    "thrombophilia": st.booleans(),
    "osteoporosis": st.booleans(),
    "egfr_ml_min": st.sampled_from([20.0, 40.0, 90.0]),
    "dental_health": st.sampled_from(["good", "needs_treatment"]),
    "dental_surgery_planned": st.booleans(),
    "peripheral_neuropathy_grade": st.integers(0, 3),
    "interstitial_lung_disease": st.booleans(),
    "autoimmune_disease": st.sampled_from(["none", "inactive", "active", "present"]),
    "organ_transplant": st.booleans(),
    "qtcf_ms": st.sampled_from([420.0, 470.0]),
    "dpd_deficiency": st.sampled_from(["none", "partial", "complete"]),
})
cases = st.fixed_dictionaries({
    "age": st.sampled_from([34, 45, 58, 68, 74, 83]),
    "sex": st.sampled_from(["female", "female", "female", "male"]),
    "menopausal_status": maybe(st.sampled_from(["pre", "post"])),
    "tumour": st.fixed_dictionaries({
        "size_mm": maybe(st.sampled_from([0.0, 4.0, 8.0, 15.0, 25.0, 55.0])),
        "grade": maybe(st.integers(1, 3)),
        "nuclear_grade": maybe(st.integers(1, 3)),
        "er_percent": maybe(st.sampled_from([0.0, 5.0, 90.0])),
        "pr_percent": maybe(st.sampled_from([0.0, 60.0])),
        "her2_ihc": maybe(st.sampled_from(["0", "1+", "3+"])),
        "ki67_percent": maybe(st.sampled_from([5.0, 25.0])),
        "in_situ_only": maybe(st.booleans()),
    }),
    "clinical_nodes": maybe(st.sampled_from(["cN0", "cN1"])),
    "nodes": maybe(st.fixed_dictionaries({
        "procedure": st.sampled_from(["slnb", "slnb_then_alnd"]), "examined": st.just(8),
        "deposits": st.lists(deposit, max_size=5, unique_by=lambda d: d["node"])})),
    "neoadjuvant": st.booleans(),
    "neoadjuvant_therapy": st.fixed_dictionaries({
        "pre_treatment_size_mm": maybe(st.sampled_from([15.0, 35.0])),
        "pre_treatment_clinical_nodes": maybe(st.sampled_from(["cN0", "cN1"])),
        "agents": st.lists(st.sampled_from(["anthracycline", "taxane", "platinum", "trastuzumab", "pembrolizumab"]),
                           unique=True, max_size=4)}),
    "surgery": maybe(st.fixed_dictionaries({"breast": st.sampled_from(["bcs", "mastectomy"]),
                                            "status": st.sampled_from(["done", "done", "planned"])})),
    "oncotype_rs": maybe(st.sampled_from([10, 20, 30])),
    "germline_brca": maybe(st.sampled_from(["brca1", "negative"])),
    "ecog": maybe(st.integers(0, 4)),
    "charlson_index": maybe(st.integers(0, 4)),
    "g8_score": maybe(st.sampled_from([11.0, 16.0])),
    "clinical_frailty_scale": maybe(st.sampled_from([3, 5, 7])),
    "life_expectancy_years": maybe(st.sampled_from([3.0, 12.0])),
    "lvef_percent": maybe(st.sampled_from([35.0, 45.0, 53.0, 62.0])),
    "conditions": maybe(conditions),
    "pregnancy": maybe(st.sampled_from([{"status": "pregnant", "gestational_age_weeks": 9.0},
                                        {"status": "pregnant", "trimester": 2}, {"status": "pregnant"},
                                        {"status": "lactating"}, {"status": "not_pregnant"}])),
    "ovarian_function_suppression": maybe(st.sampled_from(["planned", "not_planned"])),
    "preferences": maybe(st.fixed_dictionaries({"declined": st.lists(
        st.sampled_from([*SYSTEMIC, "whole_breast_rt", "ovarian_function_suppression"]), unique=True, max_size=3)})),
})


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if v is not None}
    out["metastasis"] = "cM0"
    out["tumour"] = {k: v for k, v in out["tumour"].items() if v is not None}
    if out["tumour"].get("in_situ_only"):
        out["tumour"]["size_mm"] = 0.0
    if out.get("sex") == "male":
        for key in ("menopausal_status", "pregnancy", "ovarian_function_suppression"):
            out.pop(key, None)
    if out.get("menopausal_status") == "post":
        out.pop("pregnancy", None)
        out.pop("ovarian_function_suppression", None)
    if not out.get("neoadjuvant"):
        out.pop("neoadjuvant_therapy", None)
    return out


def _pipeline(data: dict[str, Any]) -> tuple[Case, GuidelineResult]:
    try:
        case = parse_case(data)
    except CaseValidationError:
        assume(False)
        raise
    findings = classify(case).findings
    return case, recommend(case, findings, stage(case, findings).staging)


def _rec_id(result: GuidelineResult, key: str) -> str | None:
    return next((r.id for r in result.recommendations if decision_key(r.id) == key), None)


SETTINGS = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.filter_too_much,
                                                                            HealthCheck.too_slow])


@SETTINGS
@given(cases)
def test_contract_holds_with_patient_fields(data: dict[str, Any]) -> None:
    case, result = _pipeline(_clean(data))
    registry = evidence_registry()
    for key, value in result.decisions.items():
        assert value in (*DECISION_VALUES[key], INSUFFICIENT_DATA, DECLINED, DEFERRED), (key, value)
    seen = set()
    for r in result.recommendations:
        assert r.evidence and all(e in registry for e in r.evidence), r.id
        key = decision_key(r.id)
        if key is not None:
            assert key not in seen and r.decision == result.decisions[key], r.id
            seen.add(key)
            assert (r.clinical_decision is not None) == (r.decision == DECLINED), r.id
    if INSUFFICIENT_DATA in result.decisions.values():
        assert result.missing


@SETTINGS
@given(cases)
def test_nothing_recommended_that_the_input_forbids(data: dict[str, Any]) -> None:  # noqa: C901
    case, result = _pipeline(_clean(data))
    d = result.decisions
    c = case.conditions
    if case.lvef_percent is not None and case.lvef_percent < 50 or (c and c.heart_failure):
        assert d["her2_therapy"] != "recommended"
        if d["chemotherapy"] in ACTIVE:
            text = next(r.text for r in result.recommendations if decision_key(r.id) == "chemotherapy")
            assert "anthracycline" not in text.replace("no anthracycline", "").replace("without anthracycline", "") \
                .replace("non-anthracycline", "").replace("anthracycline-free", "") or "no anthracycline" in text
    if case.ecog is not None and case.ecog >= 2:
        assert d["cdk46_inhibitor"] in ("not_indicated", DECLINED, DEFERRED)
        if case.neoadjuvant is not True:
            assert d["immunotherapy"] != "recommended"
    pregnancy = case.pregnancy
    if pregnancy is not None and pregnancy.status == "pregnant":
        for key in NOT_IN_PREGNANCY:
            assert d[key] not in ACTIVE, key
        if pregnancy.current_trimester in (None, 1):
            assert d["chemotherapy"] not in ACTIVE
    if pregnancy is not None and pregnancy.status == "lactating":
        for key in ("endocrine", "her2_therapy", "immunotherapy", "bisphosphonate"):
            assert d[key] not in ACTIVE, key
    if c is not None:
        if c.autoimmune_disease == "active" or c.organ_transplant:
            assert d["immunotherapy"] != "recommended"
        if c.dpd_deficiency == "complete" or (c.egfr_ml_min is not None and c.egfr_ml_min < 30):
            assert d["capecitabine"] not in ACTIVE
        if c.dental_surgery_planned or c.dental_health == "needs_treatment":
            assert d["bisphosphonate"] not in ACTIVE
        if c.qtcf_ms is not None and c.qtcf_ms >= 450 and d["cdk46_inhibitor"] in ACTIVE:
            assert _rec_id(result, "cdk46_inhibitor") not in RIBOCICLIB_IDS
    frail = ((case.ecog or 0) >= 3 or (case.clinical_frailty_scale or 0) >= 7
             or (case.life_expectancy_years is not None and case.life_expectancy_years < 5))
    if frail:
        assert d["chemotherapy"] in ("not_indicated", DECLINED)
    deposits = case.nodes.deposits if case.nodes else []
    if case.tumour is not None and case.tumour.in_situ_only and not case.neoadjuvant and \
            case.clinical_nodes != "cN1" and not any(dep.size_mm is not None and dep.size_mm > 0.2 for dep in deposits):
        for key in SYSTEMIC:
            assert d[key] in ("not_indicated", DECLINED), key


@SETTINGS
@given(cases)
def test_declined_treatments_are_declined_and_ask_for_nothing(data: dict[str, Any]) -> None:
    case, result = _pipeline(_clean(data))
    declined = set(case.preferences.declined) if case.preferences else set()
    for key in declined & set(DECISION_VALUES):
        assert result.decisions[key] == DECLINED
        assert not any(key in m.decisions for m in result.missing)
    if "chemotherapy" in declined:
        assert not any(r.id == "diagnostics.genomic_assay.order" for r in result.recommendations)


#: Values to try for an input a systemic decision reports missing (a field not listed here is not probed).
PROBES: dict[str, list[Any]] = {
    "oncotype_rs": [5, 40], "tumour.her2_ihc": ["0", "3+"], "tumour.er_percent": [0, 90],
    "tumour.pr_percent": [0, 60], "menopausal_status": ["pre", "post"], "germline_brca": ["brca1", "negative"],
    "tumour.size_mm": [0, 3, 15, 30, 60], "tumour.grade": [1, 3], "tumour.nuclear_grade": [1, 3], "age": [40, 60, 80],
    "pregnancy.gestational_age_weeks": [8, 20], "tumour.ki67_percent": [5, 30], "clinical_nodes": ["cN0", "cN1", "cN2a"],
}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(cases)
# Found by exploration: ER unknown, PR 0, HER2 0, gBRCA1, residual disease after NST - capecitabine is "discuss"
# for both subtypes left open (HR-positive; triple-negative with olaparib recommended), so ER cannot flip it.
@example({"age": 34, "sex": "female", "tumour": {"pr_percent": 0.0, "her2_ihc": "0"}, "clinical_nodes": "cN1",
          "neoadjuvant": True, "neoadjuvant_therapy": {"pre_treatment_size_mm": None,
                                                       "pre_treatment_clinical_nodes": None, "agents": []},
          "surgery": {"breast": "bcs", "status": "done"}, "germline_brca": "brca1", "metastasis": "cM0"})
def test_every_reported_missing_input_can_flip_its_systemic_decision(data: dict[str, Any]) -> None:
    data = _clean(data)
    _, result = _pipeline(data)
    for item in result.missing:
        keys = [k for k in item.decisions if k in SYSTEMIC and result.decisions[k] == INSUFFICIENT_DATA]
        if not keys or item.field not in PROBES:
            continue
        outcomes: dict[str, set[str]] = {k: set() for k in keys}
        valid = 0
        for value in PROBES[item.field]:
            try:
                changed = parse_case(apply_changes(data, {item.field: value}))
            except CaseValidationError:
                continue
            valid += 1
            findings = classify(changed).findings
            after = recommend(changed, findings, stage(changed, findings).staging)
            for k in keys:
                outcomes[k].add(after.decisions[k])
        for k, seen in outcomes.items():
            others = any(m.field != item.field and k in m.decisions for m in result.missing)
            # Some probe value must lead elsewhere: one definite answer for every value means the input could
            # not change the decision (a value may also reveal a further missing input: insufficient_data again).
            if valid >= 2 and not others:
                assert len(seen) >= 2 or seen == {INSUFFICIENT_DATA}, repr((item.field, k, seen, data))
