"""Post-mastectomy RT as a first-match decision table equals the rule function it replaced.

The oracle is the function as it was (radiation._post_mastectomy_rt at commit 963a6b7), frozen below. Patients drawn
by the property tests' strategy (every setting: planned, upfront, after neoadjuvant therapy; every nodal state;
T1-T4 and inflammatory; DCIS), half of them given a mastectomy, are compared case by case (decision, rule id,
text, rationale, evidence, would-change-if, missing inputs) and, for the decisions and rule ids, column-wise.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from tests.properties._strategies import case_dicts

from micromets.errors import MicrometsError
from micromets.guidelines._context import Board, Context
from micromets.guidelines.radiation import (
    PMRT,
    _many_nodes_operated_first,
    _post_mastectomy_rt,
    _quadrant_could_tip,
    _schedules,
    adverse_features,
    pmrt_columns,
    pre_treatment_high_risk,
)
from micromets.guidelines.rules import evaluate, rules
from micromets.model import parse_case
from micromets.pathology import classify
from micromets.staging import stage


def _frozen_pmrt(ctx: Context, board: Board) -> None:
    """radiation._post_mastectomy_rt as it was before it became a table (commit 963a6b7)."""
    key = "post_mastectomy_rt"
    facts = ctx.say("setting", "surgery", "n", "t", "grade", "receptors", "age", "lvi")
    evidence = ["EBCTCG-PMRT-2014", "ASCO-ASTRO-PMRT-2016"]
    if ctx.breast_surgery is None:
        return board.unknown(key, {"surgery.breast": "PMRT applies after mastectomy"})
    if ctx.breast_surgery != "mastectomy":
        return board.decide(key, "not_applicable", rid="radiation.pmrt.not_applicable", strength="strong",
                            text="No mastectomy: PMRT does not apply.", rationale=facts, evidence=evidence,
                            would_change_if="mastectomy")
    status, tg = ctx.node_status, ctx.t_group
    if ctx.in_situ_only and status in (None, "negative", "not_staged", "itc", "molecular"):
        return board.decide(key, "not_indicated", rid="radiation.pmrt.not_indicated.dcis", strength="strong",
                            text="Ductal carcinoma in situ treated by mastectomy: no PMRT.", rationale=facts,
                            evidence=["NCCN-BREAST"], would_change_if="invasive carcinoma with nodal disease")
    chest = _schedules("regional")
    high_risk_before = pre_treatment_high_risk(ctx)
    if high_risk_before:
        return board.decide(key, "recommended", rid="radiation.pmrt.recommended.pre_treatment_high_risk",
                            strength="strong",
                            text=f"{high_risk_before}: PMRT to the chest wall and regional nodes "
                                 "whatever the response to neoadjuvant therapy (NCCN). " + chest,
                            rationale=facts + f"; {high_risk_before}", evidence=[*evidence, "NCCN-BREAST", "NSABP-B51"],
                            would_change_if="nothing in this system: the pre-treatment stage decides")
    operated_first = _many_nodes_operated_first(ctx)
    if operated_first is not None:
        return board.decide(key, "recommended", rid="radiation.pmrt.recommended.high_risk", strength="strong",
                            text=f"PMRT to chest wall and regional nodes ({operated_first} positive nodes at the "
                                 "axillary surgery already done; NCCN: >= 4 nodes, T3 N+ or T4). " + chest,
                            rationale=facts + f"; {operated_first} positive nodes",
                            evidence=[*evidence, "NCCN-BREAST"], would_change_if="no mastectomy, or M1")
    if status is None:
        field = ctx.node_status_field
        return board.unknown(key, {field: "the nodal category decides PMRT"})
    many_nodes = (ctx.positive_nodes or 0) >= rules().radiation.high_risk_min_positive_nodes
    high_t = tg in rules().radiation.node_positive_high_risk_t_groups
    if tg == "T4" or many_nodes or (high_t and status in ("micro", "macro")):
        why = ">= 4 positive nodes" if many_nodes else "T4" if tg == "T4" and status not in ("micro", "macro") else (
            f"{tg} with nodal metastasis" + (" (N1mi staged as N1 for T3-4 by AJCC 8)" if status == "micro" else ""))
        return board.decide(key, "recommended", rid="radiation.pmrt.recommended.high_risk", strength="strong",
                            text=f"PMRT to chest wall and regional nodes ({why}; NCCN: >= 4 nodes, T3 N+ or T4). "
                                 + chest, rationale=facts, evidence=[*evidence, "NCCN-BREAST"],
                            would_change_if="nothing short of M1")
    if ctx.setting == "post_neoadjuvant" and status in ("itc", "micro", "macro", "molecular"):
        return board.decide(key, "recommended", rid="radiation.pmrt.recommended.after_neoadjuvant", strength="moderate",
                            text="Residual nodal disease after neoadjuvant therapy: PMRT including the regional "
                                 "nodes. " + chest, rationale=facts,
                            evidence=[*evidence, "NCCN-BREAST"], would_change_if="ypN0 after therapy")
    if ctx.setting == "post_neoadjuvant":
        if ctx.initial_clinical_n is None:
            return board.unknown(key, {"neoadjuvant_therapy.pre_treatment_clinical_nodes":
                                       "after a nodal complete response, PMRT depends on the nodal status before "
                                       "therapy"})
        if ctx.initial_clinical_n != "N0":
            return board.decide(key, "discuss", rid="radiation.pmrt.discuss.ypn0_after_cn1", strength="moderate",
                                text="Initially node-positive, ypN0 after neoadjuvant therapy: PMRT including the nodes "
                                     "has been standard; NSABP B-51 (cT1-3 N1 -> ypN0) found no gain from chest-wall "
                                     "and nodal RT after mastectomy (HR 0.88, 0.60-1.28). " + chest,
                                rationale=facts, evidence=[*evidence, "NCCN-BREAST", "NSABP-B51"],
                                would_change_if="residual nodal disease or cT4/cN2-3 before therapy (recommended), "
                                                "or cN0 before therapy")
    if ctx.setting == "planned" and not ctx.nodes_operated_first:
        value = "recommended" if status == "macro" else "not_indicated"
        return board.decide(key, value, rid=f"radiation.pmrt.{value}.planned", strength="weak",
                            text="Provisional, before surgery: final PMRT decision on the pathology." +
                                 (" Clinically node-positive: PMRT is usually indicated." if value == "recommended"
                                  else ""), rationale=facts, evidence=evidence,
                            would_change_if="the final nodal pathology")
    if status == "macro":
        favourable = evaluate(rules().radiation.pmrt_favourable_one_to_three, ctx.facts())
        if favourable.met:
            return board.decide(key, "discuss", rid="radiation.pmrt.discuss.favourable", strength="moderate",
                                text="1 macrometastatic node with every low-risk factor (ASCO/ASTRO/SSO 2016): locoregional "
                                     "risk may be low enough that toxicity outweighs benefit; discuss PMRT. " + chest,
                                rationale=facts + f"; low-risk factors: {', '.join(favourable.held())}",
                                evidence=evidence, would_change_if="any adverse feature or a second positive node")
        return board.decide(key, "recommended", rid="radiation.pmrt.recommended.one_to_three", strength="moderate",
                            text="1-3 macrometastatic nodes: PMRT including regional nodes (EBCTCG 2014: 10-yr "
                                 "locoregional failure 21.0% -> 4.3%, 20-yr breast cancer mortality 49.4% -> 41.5%). "
                                 "If ALND was omitted, PMRT including the nodes replaces it (ASCO 2025). " + chest,
                            rationale=facts, evidence=[*evidence, "ASCO-SLNB-2025", "AMAROS"],
                            would_change_if="a single node with every low-risk factor (discuss)")
    found = adverse_features(ctx)
    need = rules().radiation.adverse_features.min_count_to_discuss
    if tg == "T3" or (status == "micro" and len(found) >= need):
        return board.decide(key, "discuss", rid="radiation.pmrt.discuss.adverse", strength="weak",
                            text=f"{'T3 node-negative' if tg == 'T3' else 'pN1mi'} after mastectomy"
                                 + (f" with adverse features ({', '.join(found)})" if found else "") +
                                 ": consider PMRT (a single node or small nodal metastases lowers the risk; ASCO/ASTRO/"
                                 "SSO 2016). " + chest, rationale=facts, evidence=[*evidence, "IBCSG-23-01"],
                            would_change_if="fewer adverse features (not indicated) or a macrometastasis")
    if status == "micro":
        _quadrant_could_tip(ctx, board, found, need, "PMRT")
    word = {"micro": "pN1mi with favourable features", "itc": "pN0(i+): no PMRT for the ITC"}.get(status, "pN0")
    board.decide(key, "not_indicated", rid="radiation.pmrt.not_indicated", strength="moderate",
                 text=f"{word}: PMRT generally not indicated (IBCSG 23-01 mastectomy patients had no PMRT).",
                 rationale=facts, evidence=[*evidence, "IBCSG-23-01"],
                 would_change_if=f"{need} or more adverse features (young age, grade 3, ER-negative, LVI, large "
                                 "tumour, multiple micrometastatic nodes, medial/central location), T3, or a "
                                 "macrometastasis")




_MASTECTOMY = {"breast": "mastectomy", "status": "done", "date": "2026-10-01"}
#: Rules the strategy reaches rarely: one macrometastatic node with every ASCO/ASTRO/SSO 2016 low-risk factor
#: (T1, over 45, grade 1-2, no LVI, ER-positive), and ypN0 after neoadjuvant therapy for cN1 (NSABP B-51).
_WORKED: list[dict[str, Any]] = [
    {"id": "favourable", "age": 60, "metastasis": "cM0", "clinical_nodes": "cN0", "surgery": _MASTECTOMY,
     "tumour": {"size_mm": 15, "grade": 2, "lvi": False, "er_percent": 90, "pr_percent": 50, "her2_ihc": "1+"},
     "nodes": {"procedure": "slnb", "examined": 3, "deposits": [{"node": 1, "size_mm": 4.0, "method": "he"}]}},
    {"id": "ypn0-cn1", "age": 50, "metastasis": "cM0", "clinical_nodes": "cN0", "surgery": _MASTECTOMY,
     "neoadjuvant": True,
     "neoadjuvant_therapy": {"pre_treatment_size_mm": 30, "pre_treatment_clinical_nodes": "cN1",
                             "nodes_biopsy_proven": True, "agents": ["anthracycline", "taxane"]},
     "tumour": {"size_mm": 8, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "0"},
     "nodes": {"procedure": "slnb_then_alnd", "examined": 12, "deposits": []}},
]


def _contexts(n: int) -> list[Context]:
    drawn: list[dict[str, Any]] = []

    @settings(derandomize=True, max_examples=n, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(case_dicts())
    def collect(case: dict[str, Any]) -> None:
        drawn.append(case)

    collect()
    drawn += _WORKED
    out = []
    for i, data in enumerate(drawn):
        surgery = data.get("surgery")
        if i % 2 and isinstance(surgery, dict) and surgery.get("breast") in ("bcs", "none"):
            data = {**data, "surgery": {**surgery, "breast": "mastectomy"}}
            data["surgery"].pop("margins_mm", None)
        try:
            case = parse_case(data)
        except MicrometsError:
            continue
        findings = classify(case).findings
        out.append(Context.of(case, findings, stage(case, findings).staging))
    return out


@pytest.fixture(scope="module")
def contexts() -> list[Context]:
    return _contexts(2500)


def _state(board: Board) -> tuple[Any, ...]:
    return (board.decisions, [r.model_dump() for r in board.recommendations], [m.model_dump() for m in board.missing])


def test_the_pmrt_table_decides_as_the_rule_function_did(contexts: list[Context]) -> None:
    seen: set[str] = set()
    for ctx in contexts:
        new, old = Board(), Board()
        _post_mastectomy_rt(ctx, new)
        _frozen_pmrt(ctx, old)
        assert _state(new) == _state(old), (ctx.case.model_dump(exclude_none=True))
        seen.update(r.id for r in new.recommendations)
        seen.update(f"missing:{m.field}" for m in new.missing)
    # The drawn patients reach every rule of the table that decides, and every input it asks for.
    assert {r.rid for r in PMRT.rules if r.decision != "insufficient_data"} <= seen
    assert {"missing:surgery.breast", "missing:neoadjuvant_therapy.pre_treatment_clinical_nodes"} <= seen
    assert seen & {"missing:clinical_nodes", "missing:nodes.deposits"}


def test_column_wise_evaluation_equals_case_by_case(contexts: list[Context]) -> None:
    decisions, rule_ids = PMRT.decide(pmrt_columns(contexts))
    for i, ctx in enumerate(contexts):
        board = Board()
        _frozen_pmrt(ctx, board)
        expected_rule = board.recommendations[0].id if board.recommendations else None
        assert (decisions[i], rule_ids[i]) == (board.decisions["post_mastectomy_rt"], expected_rule)
    assert np.all(PMRT.match(pmrt_columns(contexts)) >= 0)
