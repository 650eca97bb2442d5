"""Properties that must hold for every case the contract can express (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from micromets.errors import CaseValidationError
from micromets.guidelines import GuidelineResult, decision_key, recommend
from micromets.knowledge.evidence import evidence_registry
from micromets.model import DECISION_VALUES, INSUFFICIENT_DATA, Case, Findings, Staging, parse_case
from micromets.pathology import classify
from micromets.staging import stage

maybe = lambda s: st.none() | s  # noqa: E731

deposit = st.fixed_dictionaries({
    "node": st.integers(1, 6),
    "size_mm": st.sampled_from([0.1, 0.15, 0.5, 1.2, 2.0, 2.5, 6.0, 15.0]),
    "method": st.sampled_from(["he", "ihc"]),
    "extranodal_extension": maybe(st.booleans()),
})
tumour = st.fixed_dictionaries({
    "size_mm": maybe(st.sampled_from([0.0, 0.8, 4.0, 8.0, 15.0, 20.0, 25.0, 35.0, 55.0])),
    "grade": maybe(st.integers(1, 3)),
    "er_percent": maybe(st.sampled_from([0.0, 0.5, 5.0, 50.0, 95.0])),
    "pr_percent": maybe(st.sampled_from([0.0, 10.0, 60.0])),
    "her2_ihc": maybe(st.sampled_from(["0", "ultralow", "1+", "2+", "3+"])),
    "ki67_percent": maybe(st.sampled_from([5.0, 12.0, 25.0])),
    "lvi": maybe(st.booleans()),
})
nodes = st.fixed_dictionaries({
    "procedure": st.sampled_from(["slnb", "slnb_then_alnd", "alnd", "none"]),
    "examined": st.just(8),
    "deposits": st.lists(deposit, max_size=5),
})
cases = st.fixed_dictionaries({
    "age": maybe(st.sampled_from([32, 45, 52, 58, 66, 72, 81])),
    "sex": st.sampled_from(["female", "female", "female", "male"]),
    "menopausal_status": maybe(st.sampled_from(["pre", "peri", "post"])),
    "tumour": tumour,
    "clinical_nodes": maybe(st.sampled_from(["cN0", "cN1", "cN2a", "cNX"])),
    "nodes": maybe(nodes),
    "metastasis": maybe(st.sampled_from(["cM0", "cM0", "cM0", "cM1"])),
    "neoadjuvant": st.booleans(),
    "axillary_ultrasound": maybe(st.sampled_from(["normal", "suspicious", "not_done"])),
    "surgery": maybe(st.fixed_dictionaries({
        "breast": st.sampled_from(["bcs", "mastectomy", "none"]),
        "status": st.sampled_from(["done", "done", "planned"]),
        "margins_mm": maybe(st.sampled_from([0.0, 1.0, 3.0]))})),
    "oncotype_rs": maybe(st.sampled_from([8, 15, 16, 22, 25, 26, 40])),
    "mammaprint": maybe(st.sampled_from(["low", "high"])),
    "germline_brca": maybe(st.sampled_from(["brca1", "brca2", "negative"])),
    "ecog": maybe(st.integers(0, 4)),
    "charlson_index": maybe(st.integers(0, 5)),
    "lvef_percent": maybe(st.sampled_from([40.0, 60.0])),
    "neoadjuvant_therapy": st.none() | st.fixed_dictionaries({
        "pre_treatment_size_mm": maybe(st.sampled_from([15.0, 30.0, 60.0])),
        "pre_treatment_clinical_nodes": maybe(st.sampled_from(["cN0", "cN1"])),
        "agents": st.lists(st.sampled_from(["anthracycline", "taxane", "platinum", "trastuzumab", "pembrolizumab",
                                            "endocrine"]), unique=True, max_size=4)}),
})


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if v is not None}
    for key in ("tumour", "surgery"):
        if key in out:
            out[key] = {k: v for k, v in out[key].items() if v is not None}
    if out.get("sex") == "male":
        out.pop("menopausal_status", None)
    if not out.get("neoadjuvant"):
        out.pop("neoadjuvant_therapy", None)
    if "nodes" in out and out["nodes"]["procedure"] == "none":
        out["nodes"] = {"procedure": "none"}
    if out.get("surgery", {}).get("breast") == "none":
        out["surgery"].pop("margins_mm", None)
    return out


def _pipeline(data: dict[str, Any]) -> tuple[Case, Findings, GuidelineResult]:
    try:
        case = parse_case(_clean(data))
    except CaseValidationError:
        assume(False)
        raise
    findings = classify(case).findings
    return case, findings, recommend(case, findings, stage(case, findings).staging)


def _contract(result: GuidelineResult) -> None:
    registry = evidence_registry()
    assert set(result.decisions) == set(DECISION_VALUES)
    for key, value in result.decisions.items():
        assert value in (*DECISION_VALUES[key], INSUFFICIENT_DATA), (key, value)
    if INSUFFICIENT_DATA in result.decisions.values():
        assert result.missing
    seen: set[str] = set()
    for r in result.recommendations:
        assert r.evidence and all(e in registry for e in r.evidence), r.id
        assert r.rationale and r.would_change_if and r.text
        key = decision_key(r.id)
        if key is not None:
            assert key not in seen, f"two recommendations for {key}"
            seen.add(key)
            assert r.decision == result.decisions[key], r.id


SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


@SETTINGS
@given(cases)
def test_every_case_satisfies_the_contract(data: dict[str, Any]) -> None:
    case, findings, result = _pipeline(data)
    _contract(result)
    assert recommend(case, findings, stage(case, findings).staging) == result  # deterministic


@SETTINGS
@given(cases)
def test_safety_properties(data: dict[str, Any]) -> None:
    case, findings, result = _pipeline(data)
    d = result.decisions
    if d["her2_therapy"] == "recommended":
        assert findings.her2 == "positive"
    if d["endocrine"] == "recommended":
        assert case.tumour is not None and case.tumour.er_percent is not None and case.tumour.er_percent >= 1
    if d["cdk46_inhibitor"] in ("recommended", "discuss") and case.metastasis not in ("cM1", "pM1"):
        assert findings.subtype == "hr_pos_her2_neg"
    if d["olaparib"] == "recommended":
        assert case.germline_brca in ("brca1", "brca2") and findings.her2 != "positive"


# --- unit style: hand-built Findings and Staging -----------------------------------------------------
ITC_N = st.sampled_from(["pN0(i+)(sn)", "pN0(i+)"])
RESIDUAL_N = st.sampled_from(["ypN0(i+)(sn)", "ypN0(i+)", "ypN1mi(sn)", "ypN1mi", "ypN1a", "ypN2a", "ypN3a"])
findings_st = st.builds(
    Findings,
    positive_nodes=maybe(st.integers(0, 12)),
    micrometastatic_nodes=maybe(st.integers(0, 4)),
    macrometastatic_nodes=maybe(st.integers(0, 8)),
    itc_nodes=maybe(st.integers(0, 3)),
    er=maybe(st.sampled_from(["positive", "low_positive", "negative"])),
    pr=maybe(st.sampled_from(["positive", "negative"])),
    her2=maybe(st.sampled_from(["positive", "equivocal", "low", "ultralow", "zero", "negative"])),
    subtype=maybe(st.sampled_from(["hr_pos_her2_neg", "her2_pos", "triple_negative"])),
    pathological_complete_response=maybe(st.booleans()),
)
T_ST = st.sampled_from(["pT1a", "pT1b", "pT1c", "pT2", "pT3", "pT1mi", "ypT0", "ypT1c", "cT2", "pTX"])
case_st = st.builds(
    lambda age, surgery, cn, alnd, rs: Case(age=age, surgery={"breast": surgery, "status": "done"},
                                            clinical_nodes=cn, oncotype_rs=rs,
                                            nodes={"procedure": "slnb_then_alnd" if alnd else "slnb", "examined": 6}),
    maybe(st.integers(25, 90)), st.sampled_from(["bcs", "mastectomy"]), maybe(st.sampled_from(["cN0", "cN1"])),
    st.booleans(), maybe(st.integers(0, 60)))


@settings(max_examples=300, deadline=None)
@given(case_st, findings_st, T_ST, ITC_N)
def test_never_alnd_for_itc_only_after_upfront_surgery(case: Case, findings: Findings, t: str, n: str) -> None:
    result = recommend(case, findings, Staging(t=t, n=n, m="cM0"))
    assert result.decisions["axillary_surgery"] != "alnd"
    _contract(result)


@settings(max_examples=300, deadline=None)
@given(case_st, findings_st, T_ST, RESIDUAL_N)
def test_residual_nodal_disease_after_neoadjuvant_never_omits_alnd(case: Case, findings: Findings, t: str,
                                                                   n: str) -> None:
    case = case.model_copy(update={"neoadjuvant": True, "nodes": case.nodes.model_copy(update={"procedure": "slnb"})})
    result = recommend(case, findings, Staging(t=t, n=n, m="cM0"))
    assert result.decisions["axillary_surgery"] not in ("omit_alnd", "none_needed")
    _contract(result)


@settings(max_examples=300, deadline=None)
@given(case_st, findings_st, T_ST, st.sampled_from(["pN0", "pN0(i+)", "pN1mi(sn)", "pN1a", "pN2a", "pNX", "cN0"]))
def test_hand_built_findings_satisfy_the_contract(case: Case, findings: Findings, t: str, n: str) -> None:
    result = recommend(case, findings, Staging(t=t, n=n, m="cM0"))
    _contract(result)
    if findings.her2 != "positive":
        assert result.decisions["her2_therapy"] != "recommended"
    if findings.er == "negative":
        assert result.decisions["endocrine"] != "recommended"
