"""Post-mastectomy RT and regional nodal irradiation as first-match decision tables equal the rule functions they
replaced.

The oracles are the functions as they were (radiation._post_mastectomy_rt at commit 963a6b7,
radiation._regional_nodal_irradiation at commit 7fb57a4), frozen below. Patients drawn
by the property tests' strategy (every setting: planned, upfront, after neoadjuvant therapy; every nodal state;
T1-T4 and inflammatory; DCIS), half of them given a mastectomy, are compared case by case (decision, rule id,
text, rationale, evidence, would-change-if, missing inputs) and, for the decisions and rule ids, column-wise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from tests.properties._strategies import drawn_case_dicts

from micromets.errors import MicrometsError
from micromets.guidelines._context import Board, Context
from micromets.guidelines.axilla import _omission_met
from micromets.guidelines.radiation import (
    PMRT,
    RNI,
    _axilla_negative_words,
    _many_nodes_operated_first,
    _organs_at_risk,
    _post_mastectomy_rt,
    _regional_nodal_irradiation,
    _schedules,
    adverse_features,
    medial_or_central,
    pmrt_columns,
    pre_treatment_high_risk,
    rni_columns,
)
from micromets.guidelines.rules import evaluate, rules
from micromets.model import parse_case
from micromets.pathology import classify
from micromets.staging import stage


def _frozen_imn(ctx: Context) -> str | None:
    """Amended (local-patient, 2026-12-01): involved internal mammary nodes (AJCC 8 N1b/N1c by sentinel biopsy,
    N2b/N3b clinically detected) after upfront surgery, or before it on the clinical N; not after neoadjuvant therapy."""
    if ctx.setting == "post_neoadjuvant" or ctx.node_status not in ("micro", "macro"):
        return None
    nodes = ctx.case.nodes
    if nodes is not None and nodes.internal_mammary in ("clinically_detected", "sentinel_microscopic"):
        return nodes.internal_mammary
    if ctx.setting == "planned" and not ctx.nodes_operated_first and ctx.case.clinical_nodes in ("cN2b", "cN3b"):
        return "clinically_detected"
    return None


def _unstaged_mastectomy(ctx: Context) -> bool:
    """amended (patient-first vignettes, round 7): the axillary decision's test for an axilla left unstaged at a
    mastectomy outside the criteria to omit its staging (tests/guidelines/test_axillary_surgery_table.py)."""
    surgery, nodes = ctx.case.surgery, ctx.case.nodes
    return ctx.setting == "upfront" and ctx.breast_surgery == "mastectomy" and surgery is not None \
        and surgery.status == "done" and nodes is not None and nodes.procedure == "none" and not ctx.in_situ_only \
        and _omission_met(ctx) is None


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
    # Changed since the freeze (rt-audit, 2026-12-01): the organ-at-risk limits join the PMRT texts (Darby 2013:
    # the internal mammary field of PMRT carries the heart dose).
    chest = f"{_schedules('regional')} {_organs_at_risk()}"
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
    if _unstaged_mastectomy(ctx):
        # amended (patient-first vignettes, round 7, 2026-12-02): an axilla left unstaged at mastectomy (outside the
        # omission criteria) is not node-negative: PMRT waits for the nodal result of the ALND.
        return board.decide(key, "discuss", rid="radiation.pmrt.discuss.unstaged_after_mastectomy", strength="weak",
                            text="The axilla was not staged at the mastectomy (no node examined): PMRT is decided on "
                                 "the result of the axillary dissection (node-negative: not indicated, EBCTCG 2014; "
                                 "node-positive: by the nodal burden); if axillary RT is chosen instead of a "
                                 "dissection, it is given as PMRT including the regional nodes (ASCO 2025; AMAROS). "
                                 + chest, rationale=facts, evidence=[*evidence, "ASCO-SLNB-2025", "AMAROS"],
                            would_change_if="the nodal result of the axillary dissection")
    if ctx.setting == "post_neoadjuvant" and status in ("itc", "micro", "macro"):
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
    imn = _frozen_imn(ctx)
    if imn is not None:
        # Amended (local-patient, 2026-12-01): involved internal mammary nodes -> PMRT including the IMN chain (NCCN);
        # clinically detected ones are N2b/N3b (stage III).
        clinical = imn == "clinically_detected"
        return board.decide(
            key, "recommended", rid="radiation.pmrt.recommended.internal_mammary",
            strength="strong" if clinical else "moderate",
            text=("Clinically detected internal mammary node(s) (N2b/N3b, stage III): PMRT to the chest wall and "
                  "regional nodes including the internal mammary chain (NCCN: stage III and N2-3 disease)."
                  if clinical else
                  "Internal mammary sentinel node metastasis (N1b/N1c): PMRT including the regional nodes and the "
                  "internal mammary chain (EBCTCG 2014 for node-positive disease; NCCN).")
            + _axilla_negative_words(ctx) + " " + chest, rationale=facts,
            evidence=[*evidence, "NCCN-BREAST", "EORTC-22922", "AJCC-8"],
            would_change_if="nothing short of M1" if clinical
            else "nothing in this system: involved internal mammary nodes are irradiated")
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
    # Added since the freeze (rt-audit, 2026-12-01): tumour on ink after mastectomy -> re-excision where feasible,
    # otherwise chest-wall RT discussed (NCCN).
    if ctx.case.surgery is not None and ctx.case.surgery.margins_mm == 0:
        return board.decide(key, "discuss", rid="radiation.pmrt.discuss.positive_margin", strength="weak",
                            text="Tumour on ink after mastectomy: re-excision where feasible; otherwise chest-wall RT "
                                 "is discussed (NCCN: a positive mastectomy margin is a reason for chest-wall RT). "
                                 + chest, rationale=facts, evidence=[*evidence, "NCCN-BREAST"],
                            would_change_if="clear margins after re-excision (then by nodal status)")
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
        _frozen_quadrant_could_tip(ctx, board, found, need, "PMRT")
    if ctx.setting != "planned" and (ctx.case.surgery is None or ctx.case.surgery.margins_mm is None):
        # Amended (local-patient, 2026-12-01): an unrecorded mastectomy margin is named where tumour on ink would make
        # PMRT 'discuss' (NCCN); the decision stands.
        board.need("surgery.margins_mm", "tumour on ink after mastectomy would make chest-wall RT a discussion (NCCN); "
                                         "PMRT stays not indicated until the margin is known")
    # Changed since the freeze (rt-audit, 2026-12-01): node-negative disease cites EBCTCG 2014, not IBCSG 23-01
    # (a trial of micrometastases).
    text = {"micro": "pN1mi with favourable features: PMRT generally not indicated (IBCSG 23-01 mastectomy patients "
                     "had no PMRT; ASCO/ASTRO/SSO 2016: a single node or small nodal metastases lower the risk).",
            "itc": "pN0(i+): no PMRT for the ITC (ITC-only nodes are N0, AJCC 8)."}.get(
        status, "Node-negative: PMRT not indicated (EBCTCG 2014: no reduction in recurrence or breast cancer "
                "mortality after mastectomy for node-negative disease).")
    board.decide(key, "not_indicated", rid="radiation.pmrt.not_indicated", strength="moderate",
                 text=text,
                 rationale=facts, evidence=[*evidence, "IBCSG-23-01"],
                 would_change_if=f"{need} or more adverse features (young age, grade 3, ER-negative, LVI, large "
                                 "tumour, multiple micrometastatic nodes, medial/central location), T3, or a "
                                 "macrometastasis")




def _frozen_rni(ctx: Context, board: Board) -> None:
    """radiation._regional_nodal_irradiation as it was before it became a table (commit 7fb57a4)."""
    key = "regional_nodal_irradiation"
    facts = ctx.say("setting", "n", "t", "grade", "receptors", "age", "lvi", "surgery")
    evidence = ["MA20", "EORTC-22922", "DBCG-IMN", "NCCN-BREAST"]
    # Changed since the freeze (rt-audit, 2026-12-01): the AMAROS axillary schedule (levels I-III, the alternative
    # to a dissection) is offered only when the axilla was not dissected.
    dissected = ctx.case.nodes is not None and ctx.case.nodes.procedure in ("alnd", "slnb_then_alnd")
    nodal = _schedules("regional") if dissected else _schedules("regional", "axilla")
    need = rules().radiation.adverse_features.min_count_to_discuss
    status = ctx.node_status
    if ctx.in_situ_only and status in (None, "negative", "not_staged", "itc", "molecular"):
        return board.decide(key, "not_indicated", rid="radiation.rni.not_indicated.dcis", strength="strong",
                            text="Ductal carcinoma in situ: no regional nodal RT.", rationale=facts,
                            evidence=["NCCN-BREAST"], would_change_if="invasive carcinoma with nodal disease")
    high_risk_before = pre_treatment_high_risk(ctx)
    if high_risk_before:
        return board.decide(key, "recommended", rid="radiation.rni.recommended.pre_treatment_high_risk",
                            strength="strong",
                            text=f"{high_risk_before}: regional nodal RT whatever the response to "
                                 f"neoadjuvant therapy (NCCN; NSABP B-51 enrolled cT1-3 N1 only). {nodal}",
                            rationale=facts + f"; {high_risk_before}", evidence=[*evidence, "NSABP-B51"],
                            would_change_if="nothing in this system: the pre-treatment stage decides")
    operated_first = _many_nodes_operated_first(ctx)
    if operated_first is not None:
        return board.decide(key, "recommended", rid="radiation.rni.recommended.four_or_more", strength="strong",
                            text=f"{operated_first} positive nodes at the axillary surgery already done: regional "
                                 f"nodal RT (supraclavicular, axillary apex, internal mammary). {nodal} "
                                 f"{_organs_at_risk()}", rationale=facts + f"; {operated_first} positive nodes",
                            evidence=[*evidence, "EBCTCG-PMRT-2014"], would_change_if="nothing short of M1")
    if status is None:
        field = ctx.node_status_field
        return board.unknown(key, {field: "the nodal category decides regional nodal irradiation"})
    if ctx.setting == "post_neoadjuvant":
        return _frozen_rni_after_neoadjuvant(ctx, board, facts, evidence, nodal)
    imn = _frozen_imn(ctx)
    positive = ctx.positive_nodes
    if imn == "clinically_detected" or (imn == "sentinel_microscopic" and positive is not None
                                        and positive < rules().radiation.high_risk_min_positive_nodes):
        # Amended (local-patient, 2026-12-01): involved internal mammary nodes -> nodal RT including the IMN chain.
        clinical = imn == "clinically_detected"
        return board.decide(
            key, "recommended", rid="radiation.rni.recommended.internal_mammary",
            strength="strong" if clinical else "moderate",
            text=("Clinically detected internal mammary node(s): regional nodal RT including the internal mammary "
                  "chain, the supraclavicular fossa and the axillary apex (NCCN; the MA.20, EORTC 22922 and DBCG-IMN "
                  "fields include the internal mammary nodes: EORTC 22922 15-yr breast cancer mortality 16.0% vs 19.8%; "
                  "DBCG-IMN 8-yr OS 75.9% vs 72.2%)." if clinical else
                  "Internal mammary sentinel node metastasis: regional nodal RT including the internal mammary chain "
                  "(NCCN; the MA.20, EORTC 22922 and DBCG-IMN fields include the internal mammary nodes: EORTC 22922 "
                  "15-yr breast cancer mortality 16.0% vs 19.8%).")
            + f"{_axilla_negative_words(ctx)} {nodal} {_organs_at_risk()}", rationale=facts,
            evidence=[*evidence, "AJCC-8"],
            would_change_if="nothing in this system: involved internal mammary nodes are irradiated")
    high_t = ctx.t_group in rules().radiation.node_positive_high_risk_t_groups
    if status in ("micro", "macro") and high_t:
        burden = ("micrometastasis only, N1mi, staged as N1 for T3-4 by AJCC 8" if status == "micro"
                  else "macrometastasis")
        return board.decide(key, "recommended", rid="radiation.rni.recommended.t3_node_positive", strength="strong",
                            text=f"{ctx.t_group} with nodal metastasis ({burden}): regional nodal RT "
                                 "including the internal mammary and supraclavicular nodes and any undissected axilla "
                                 "(NCCN: T3 N+; MA.20 enrolled node-positive and high-risk node-negative patients "
                                 f"after BCS, EORTC 22922 node-positive or medial/central tumours). {nodal} "
                                 f"{_organs_at_risk()}", rationale=facts, evidence=[*evidence, "EBCTCG-PMRT-2014"],
                            would_change_if="a T1-2 tumour (then by nodal burden)")
    if _unstaged_mastectomy(ctx):
        # amended (patient-first vignettes, round 7, 2026-12-02): an axilla left unstaged at mastectomy (outside the
        # omission criteria) is not node-negative: nodal RT waits for the ALND result, or is the axillary RT itself.
        return board.decide(key, "discuss", rid="radiation.rni.discuss.unstaged_after_mastectomy", strength="weak",
                            text="The axilla was not staged at the mastectomy (no node examined): regional nodal RT is "
                                 "decided on the result of the axillary dissection; if axillary RT is chosen instead "
                                 "of a dissection (see axillary surgery), it is nodal RT to axillary levels I-III and "
                                 "the medial supraclavicular fossa (AMAROS). " + nodal, rationale=facts,
                            evidence=[*evidence, "AMAROS", "ASCO-AXILLA-2021"],
                            would_change_if="the nodal result of the axillary dissection (node-negative: not "
                                            "indicated; node-positive: by the nodal burden)")
    if status in ("negative", "not_staged", "itc", "molecular"):
        found = adverse_features(ctx)
        if medial_or_central(ctx) and len(found) >= need:
            return board.decide(key, "discuss", rid="radiation.rni.discuss.medial_node_negative", strength="weak",
                                text=f"Node-negative, medial/central tumour with another adverse feature "
                                     f"({', '.join(found)}): consider internal mammary and medial supraclavicular RT. "
                                     "EORTC 22922 enrolled medial/central tumours whatever the nodal status (15-yr "
                                     "breast cancer mortality 16.0% vs 19.8% overall) but identified no subgroup that "
                                     "benefits most; the count of features is consensus, not a trial threshold. "
                                     "Weigh heart and lung dose. " + nodal, rationale=facts,
                                evidence=[*evidence, "EIO-MEDIAL"],
                                would_change_if="a lateral tumour or no other adverse feature (not indicated)")
        if _frozen_quadrant_holds(ctx, board, found, need, node_negative=True):
            return None
        word = "pN0(i+): no nodal RT for the ITC." if status in ("itc", "molecular") else "Node-negative: no nodal RT."
        return board.decide(key, "not_indicated", rid="radiation.rni.not_indicated.node_negative", strength="strong",
                            text=word + (" Decided again on the sentinel result." if ctx.setting == "planned"
                                         and not ctx.nodes_operated_first else ""),
                            rationale=facts + (f"; adverse features: {', '.join(found)}" if found else ""),
                            evidence=[*evidence, "ASCO-AXILLA-2021"],
                            would_change_if="a micrometastasis with adverse features, a macrometastasis, or a "
                                            "medial/central tumour with another adverse feature (discuss)")
    if status == "micro":
        found = adverse_features(ctx)
        if len(found) >= need:
            return board.decide(key, "discuss", rid="radiation.rni.discuss.micromets_adverse", strength="weak",
                                text=f"pN1mi with combined adverse features ({', '.join(found)}): consider regional "
                                     "nodal RT (consensus; the trials did not stratify by micrometastasis). "
                                     "Lymphoedema rises with nodal RT (MA.20 8.4% vs 4.5%). " + nodal,
                                rationale=facts, evidence=[*evidence, "IBCSG-23-01"],
                                would_change_if=f"fewer than {need} adverse features (not indicated)")
        if _frozen_quadrant_holds(ctx, board, found, need):
            return None
        return board.decide(key, "not_indicated", rid="radiation.rni.not_indicated.micromets", strength="moderate",
                            text="pN1mi without combined adverse features: no routine nodal RT; whole-breast RT with "
                                 "standard or high tangents (Z0011 practice, often high tangents; IBCSG 23-01).",
                            rationale=facts + (f"; adverse features: {', '.join(found)}" if found else ""),
                            evidence=[*evidence, "IBCSG-23-01", "JAGSI-2014", "ACOSOG-Z0011"],
                            would_change_if=f"{need} or more of: young age, grade 3, ER-negative, LVI, large tumour, "
                                            "multiple micrometastatic nodes, medial/central location (discuss); a "
                                            "macrometastasis; a T3-4 tumour (recommended)")
    positive = ctx.positive_nodes
    imn = (" Medial/central tumour: include the internal mammary nodes (EORTC 22922)." if medial_or_central(ctx)
           else "")
    if positive is not None and positive >= rules().radiation.high_risk_min_positive_nodes:
        return board.decide(key, "recommended", rid="radiation.rni.recommended.four_or_more", strength="strong",
                            text=f"{positive} positive nodes: regional nodal RT (supraclavicular, axillary apex, "
                                 f"internal mammary).{imn} {nodal} {_organs_at_risk()}", rationale=facts,
                            evidence=[*evidence, "EBCTCG-PMRT-2014"], would_change_if="nothing short of M1")
    board.decide(key, "recommended", rid="radiation.rni.recommended.one_to_three", strength="moderate",
                 text="1-3 macrometastatic nodes: regional nodal RT is strongly considered (MA.20: 10-yr DFS 82.0% vs "
                      "77.0%; EORTC 22922: 15-yr breast cancer mortality 16.0% vs 19.8%), especially with adverse "
                      "features; with ALND omitted (Z0011) high tangents or nodal RT by risk (SENOMAC: about 90% got "
                      f"nodal RT). Lymphoedema 8.4% vs 4.5% (MA.20).{imn} {nodal} {_organs_at_risk()}",
                 rationale=facts, evidence=[*evidence, "SENOMAC", "JAGSI-2014"],
                 would_change_if="micrometastases only (not routine)")


def _frozen_rni_after_neoadjuvant(ctx: Context, board: Board, facts: str, evidence: list[str], nodal: str) -> None:
    key = "regional_nodal_irradiation"
    if ctx.node_status in ("itc", "micro", "macro"):
        return board.decide(key, "recommended", rid="radiation.rni.recommended.residual", strength="strong",
                            text=f"Residual nodal disease after neoadjuvant therapy: regional nodal RT (with ALND). "
                                 f"{nodal}", rationale=facts, evidence=[*evidence, "ALLIANCE-A011202"],
                            would_change_if="no residual nodal disease")
    initial = ctx.initial_clinical_n
    if initial is None:
        return board.unknown(key, {"neoadjuvant_therapy.pre_treatment_clinical_nodes":
                                   "after a nodal complete response, nodal RT depends on the nodal status before "
                                   "therapy (cN0: not indicated; cN1: discussed; cN2-3: recommended)"})
    if initial != "N0":
        return board.decide(key, "discuss", rid="radiation.rni.discuss.ypn0_after_cn1", strength="moderate",
                            text="Initially node-positive, ypN0 after neoadjuvant therapy: regional nodal RT has "
                                 "been standard, but NSABP B-51 (cT1-3 N1 biopsy-proven -> ypN0) found no gain in "
                                 "invasive breast cancer recurrence-free interval (HR 0.88, 0.60-1.28). If the "
                                 "axillary staging was not adequate, the axilla itself needs RT or ALND (see axillary "
                                 f"surgery). {nodal}",
                            rationale=facts, evidence=[*evidence, "NSABP-B51"],
                            would_change_if="residual nodal disease, or cT4/cN2-3 before therapy (recommended)")
    board.decide(key, "not_indicated", rid="radiation.rni.not_indicated.ypn0", strength="moderate",
                 text="cN0 before and ypN0 after neoadjuvant therapy: no regional nodal RT.",
                 rationale=facts, evidence=evidence, would_change_if="residual nodal disease")




def _frozen_quadrant_could_tip(ctx: Context, board: Board, found: Sequence[str], need: int, what: str) -> None:
    """radiation._quadrant_could_tip as the frozen functions called it (commit 7fb57a4)."""
    if medial_or_central(ctx) is None and len(found) == need - 1:
        board.need("tumour.quadrant", f"a medial/central tumour would make {what} worth discussing (EORTC 22922)")


def _frozen_quadrant_holds(ctx: Context, board: Board, found: Sequence[str], need: int, *,
                           node_negative: bool = False) -> bool:
    """Amended (local-patient, 2026-12-01; product owner): regional nodal RT one adverse feature short of 'discuss'
    with the quadrant unrecorded is insufficient_data naming the quadrant (a medial/central tumour, as EORTC 22922 and
    MA.20 enrolled, would be the one more), instead of not_indicated with the quadrant named.
    Amended (materiality, 2026-12-02): node-negative, 'discuss' needs a medial/central tumour itself, so with enough
    other adverse features already the unrecorded quadrant decides too (it was not_indicated, the quadrant unnamed)."""
    short = len(found) >= need - 1 if node_negative else len(found) == need - 1
    if medial_or_central(ctx) is None and short:
        board.unknown("regional_nodal_irradiation", {
            "tumour.quadrant": "a medial/central tumour would add the adverse feature that makes regional nodal RT "
                               "worth discussing (EORTC 22922 and MA.20 enrolled medial/central tumours)"})
        return True
    return False


_MASTECTOMY = {"breast": "mastectomy", "status": "done", "date": "2026-10-01"}
#: Rules the strategy reaches rarely: one macrometastatic node with every ASCO/ASTRO/SSO 2016 low-risk factor
#: (T1, over 45, grade 1-2, no LVI, ER-positive), ypN0 after neoadjuvant therapy for cN1 (NSABP B-51), and tumour on
#: ink after mastectomy.
_WORKED: list[dict[str, Any]] = [
    # amended (patient-first vignettes, round 7): mastectomy at 62 with the axilla never staged -> discuss both.
    {"id": "unstaged-mastectomy-62", "age": 62, "sex": "female", "menopausal_status": "post", "metastasis": "cM0",
     "clinical_nodes": "cN0", "neoadjuvant": False, "axillary_ultrasound": "normal", "surgery": _MASTECTOMY,
     "tumour": {"size_mm": 28, "grade": 2, "lvi": False, "er_percent": 90, "pr_percent": 50, "her2_ihc": "1+"},
     "nodes": {"procedure": "none", "deposits": []}},
    {"id": "favourable", "age": 60, "metastasis": "cM0", "clinical_nodes": "cN0", "surgery": _MASTECTOMY,
     "tumour": {"size_mm": 15, "grade": 2, "lvi": False, "er_percent": 90, "pr_percent": 50, "her2_ihc": "1+"},
     "nodes": {"procedure": "slnb", "examined": 3, "deposits": [{"node": 1, "size_mm": 4.0, "method": "he"}]}},
    {"id": "ypn0-cn1", "age": 50, "metastasis": "cM0", "clinical_nodes": "cN0", "surgery": _MASTECTOMY,
     "neoadjuvant": True,
     "neoadjuvant_therapy": {"pre_treatment_size_mm": 30, "pre_treatment_clinical_nodes": "cN1",
                             "nodes_biopsy_proven": True, "agents": ["anthracycline", "taxane"]},
     "tumour": {"size_mm": 8, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "0"},
     "nodes": {"procedure": "slnb_then_alnd", "examined": 12, "deposits": []}},
    # Tumour on ink after mastectomy, node-negative T2 (NCCN: chest-wall RT discussed).
    # Internal mammary nodes only, axillary sentinel nodes negative (pN2b, pN1b): PMRT and nodal RT including the IMN.
    {"id": "imn-clinical", "age": 52, "metastasis": "cM0", "clinical_nodes": "cN2b", "surgery": _MASTECTOMY,
     "tumour": {"size_mm": 18, "grade": 2, "lvi": False, "er_percent": 90, "pr_percent": 50, "her2_ihc": "1+"},
     "nodes": {"procedure": "slnb", "examined": 2, "deposits": [], "internal_mammary": "clinically_detected"}},
    {"id": "imn-sentinel", "age": 52, "metastasis": "cM0", "clinical_nodes": "cN0", "surgery": _MASTECTOMY,
     "tumour": {"size_mm": 18, "grade": 2, "lvi": False, "er_percent": 90, "pr_percent": 50, "her2_ihc": "1+"},
     "nodes": {"procedure": "slnb", "examined": 2, "deposits": [], "internal_mammary": "sentinel_microscopic"}},
    # Prior RT to the same region (ESTRO-EORTC 2022 re-irradiation; NCCN): the tables decide as without it, and the
    # rail after them (per case and column-wise, test_batch_columns) makes a recommended RT 'discuss'.
    {"id": "prior-rt-ipsilateral", "age": 62, "metastasis": "cM0", "clinical_nodes": "cN0", "surgery": _MASTECTOMY,
     "conditions": {"prior_chest_radiotherapy": "ipsilateral_breast"},
     "tumour": {"size_mm": 22, "grade": 2, "lvi": False, "er_percent": 90, "pr_percent": 50, "her2_ihc": "1+"},
     "nodes": {"procedure": "slnb_then_alnd", "examined": 14,
               "deposits": [{"node": n, "size_mm": 5.0, "method": "he"} for n in range(1, 5)]}},
    {"id": "prior-rt-mantle", "age": 45, "menopausal_status": "pre", "metastasis": "cM0", "clinical_nodes": "cN0",
     "surgery": {"breast": "bcs", "status": "done", "date": "2026-10-01", "margins_mm": 3},
     "conditions": {"prior_chest_radiotherapy": "mantle_or_mediastinal"},
     "tumour": {"size_mm": 18, "grade": 2, "lvi": False, "er_percent": 90, "pr_percent": 50, "her2_ihc": "1+"},
     "nodes": {"procedure": "slnb", "examined": 2, "deposits": [{"node": 1, "size_mm": 4.0, "method": "he"}]}},
    {"id": "mastectomy-on-ink", "age": 58, "metastasis": "cM0", "clinical_nodes": "cN0",
     "surgery": {**_MASTECTOMY, "margins_mm": 0},
     "tumour": {"size_mm": 30, "grade": 2, "lvi": False, "er_percent": 90, "pr_percent": 50, "her2_ihc": "1+"},
     "nodes": {"procedure": "slnb", "examined": 2, "deposits": []}},
]


def _contexts(n: int) -> list[Context]:
    drawn = drawn_case_dicts(n)
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


#: Since the tables replaced them, the other unknown adverse features are named besides the quadrant (each one that
#: alone would make the decision 'discuss'; the decision stands): a deliberate difference from the frozen functions,
#: checked in tests/guidelines/test_local_patient.py. (The amendments marked "local-patient" are the others.)
_ONE_MORE_FEATURE = "one more of the combined adverse features"
#: Likewise (materiality, 2026-12-02), PMRT for 1-3 macrometastatic nodes names a low-risk factor not recorded while
#: the others hold (the decision stands), checked in tests/guidelines/test_materiality_findings.py.
_LOW_RISK_FACTOR = "a single node with every low-risk factor would make PMRT a discussion"


def _state(board: Board) -> tuple[Any, ...]:
    return (board.decisions, [r.model_dump() for r in board.recommendations],
            [m.model_dump() for m in board.missing if _ONE_MORE_FEATURE not in m.why and _LOW_RISK_FACTOR not in m.why])


_TABLES = {
    "post_mastectomy_rt": (PMRT, _post_mastectomy_rt, _frozen_pmrt, pmrt_columns,
                           {"missing:surgery.breast", "missing:neoadjuvant_therapy.pre_treatment_clinical_nodes",
                            "missing:surgery.margins_mm"}),
    "regional_nodal_irradiation": (RNI, _regional_nodal_irradiation, _frozen_rni, rni_columns,
                                   {"missing:neoadjuvant_therapy.pre_treatment_clinical_nodes", "missing:tumour.quadrant"}),
}


@pytest.mark.parametrize("key", sorted(_TABLES))
def test_the_table_decides_as_the_rule_function_did(contexts: list[Context], key: str) -> None:
    table, decide, frozen, _, asked = _TABLES[key]
    seen: set[str] = set()
    for ctx in contexts:
        new, old = Board(), Board()
        decide(ctx, new)
        frozen(ctx, old)
        assert _state(new) == _state(old), (ctx.case.model_dump(exclude_none=True))
        seen.update(r.id for r in new.recommendations)
        seen.update(f"missing:{m.field}" for m in new.missing)
    # The drawn patients reach every rule of the table that decides, and every input it asks for.
    assert {r.rid for r in table.rules if r.decision != "insufficient_data"} <= seen
    assert asked <= seen
    assert seen & {"missing:clinical_nodes", "missing:nodes.deposits"}


@pytest.mark.parametrize("key", sorted(_TABLES))
def test_column_wise_evaluation_equals_case_by_case(contexts: list[Context], key: str) -> None:
    table, _, frozen, columns, _ = _TABLES[key]
    facts = columns(contexts)
    decisions, rule_ids = table.decide(facts)
    for i, ctx in enumerate(contexts):
        board = Board()
        frozen(ctx, board)
        expected_rule = board.recommendations[0].id if board.recommendations else None
        assert (decisions[i], rule_ids[i]) == (board.decisions[key], expected_rule)
    assert np.all(table.match(facts) >= 0)
