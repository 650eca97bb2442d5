"""DP-S3-S5 targeted and post-neoadjuvant therapy: HER2-directed therapy, CDK4/6 inhibitors, olaparib,
pembrolizumab and capecitabine.

    >>> from micromets.model import Case, Findings, Staging
    >>> from micromets.guidelines._context import Board, Context
    >>> board = Board()
    >>> her2_therapy(Context.of(Case(), Findings(her2="low", subtype="hr_pos_her2_neg"), Staging()), board)
    >>> board.decisions["her2_therapy"]
    'not_indicated'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from micromets.guidelines._context import Board, Context, NodeStatus, unknown_fields
from micromets.guidelines.patient import (
    ACTIVE,
    PREFIXES,
    decide_if_immaterial,
    ecog_of,
    fitness,
    gate,
    gated_value,
    heart,
    no_invasive_disease,
    ofs_intent,
    one_definite_answer,
    receptor_fields,
    residual_disease,
    subtype_variants,
)
from micromets.guidelines.rules import ShortEvaluation, evaluate, evaluate_until_met, rules
from micromets.guidelines.table import (
    DecisionTable,
    Derived,
    Rule,
    always,
    negate,
    one_of,
    render,
    stack,
    unknown,
)
from micromets.model import DEFERRED, INSUFFICIENT_DATA
from micromets.staging import anatomic_stage, clinical_n, n_group, t_category, t_group

CYTOTOXIC = {"anthracycline", "taxane", "platinum"}


def _pembrolizumab_given(ctx: Context) -> float:
    """Whether pembrolizumab was part of neoadjuvant therapy: 1, 0, or NaN when the agents are not recorded."""
    agents = ctx.agents()
    return np.nan if not agents else float("pembrolizumab" in agents)


def _number(value: float | None) -> float:
    """A number fact of a decision table (NaN = unknown)."""
    return np.nan if value is None else float(value)


def _response(ctx: Context) -> str | None:
    """The response to neoadjuvant therapy as a code fact: 'residual' invasive disease, 'pcr', or None (unknown)."""
    residual = residual_disease(ctx)
    return None if residual is None else "residual" if residual else "pcr"


def _agreed_variant(ctx: Context, key: str, value: Callable[[Context], str | None]) -> Context | None:
    """decide_if_immaterial's test for an unknown receptor subtype, over a decision table: the first subtype variant
    when every variant the known receptors allow gets one definite answer (``value``, as the pregnancy/lactation
    gate will make of it), else None (the subtype stays open). Derived once per context and decision."""
    def agreed(ctx: Context) -> Context | None:
        variants = subtype_variants(ctx)
        return variants[0] if one_definite_answer(gated_value(v, key, value(v)) for v in variants) else None
    return ctx.remembered(f"{key}.agreed_variant", agreed)


def _subtype_decider(ctx: Context, key: str, by_variants: bool, value: Callable[[Context], str | None]) -> Context:
    """The context whose facts decide after the subtype rule: the patient's own, or - when the unknown subtype is
    immaterial - the first subtype variant (its answer, rule id included, is the one recorded)."""
    return (_agreed_variant(ctx, key, value) or ctx) if by_variants else ctx


def her2_therapy(ctx: Context, board: Board) -> None:
    """HER2-directed therapy only for HER2-positive disease; T-DM1 for residual disease after NST."""
    key = "her2_therapy"
    _her2_decision(ctx, board)
    plans_tdm1 = board.explains and board.rule_id(key) in _TDM1_RULES  # read before the rails re-label the decision
    _her2_heart(ctx, board)
    if her2_without_chemotherapy_discusses(ctx, board.decisions.get(key)):
        # The note is words: a board of values does not read it (Board.amend).
        frail = fitness(ctx).level == "frail"
        why = (f"Patient: {fitness(ctx).words} - chemotherapy is not offered, and the trials gave HER2-directed "
               "therapy with chemotherapy" if frail else "Chemotherapy is declined by the patient, and the trials "
               "gave HER2-directed therapy with chemotherapy (APT: weekly paclitaxel)")
        note = f"{why}: trastuzumab without it is outside trial evidence; discuss." if board.explains else ""
        board.amend(key, value="discuss", strength="weak", note=note,
                    extra_evidence=("ASCO-GERIATRIC-2018", "SIOG-EUSOMA-2021") if frail else ("APT",))
    if plans_tdm1 and ctx.conditions.interstitial_lung_disease and board.decisions.get(key) in ACTIVE:
        # A note, not a new value: HER2-directed therapy stays indicated; the lung decides between its agents.
        board.amend(key, note="Interstitial lung disease: T-DM1 is stopped for good if ILD or pneumonitis is diagnosed "
                              "and patients with dyspnoea have more pulmonary events (Kadcyla label) - respiratory "
                              "review first, and weigh completing trastuzumab instead of T-DM1.",
                    extra_evidence=("TDM1-LABEL-PULMONARY",))


#: The HER2-directed rules whose plan is (or may be) T-DM1: residual disease after neoadjuvant therapy, or a
#: response not given.
_TDM1_RULES = frozenset({"systemic.her2.recommended.tdm1", "systemic.her2.recommended.after_neoadjuvant"})


_HER2_LVEF = " Baseline LVEF and every 3 months on trastuzumab."

#: HER2-directed therapy (ASCO/CAP 2018/2023 for the HER2 result; APT for small node-negative or micrometastatic
#: tumours, APHINITY for pertuzumab when node-positive, KATHERINE for T-DM1 on residual disease after neoadjuvant
#: therapy; NSABP B-43 for DCIS). Thresholds are the rule table's (knowledge/guidelines/chemotherapy.json);
#: NaN/None = unknown. The heart and no-chemotherapy rails amend the decision afterwards (``her2_therapy``).
HER2_THERAPY = DecisionTable("her2_therapy", (
    Rule("systemic.her2.not_indicated.dcis", "not_indicated", lambda f: f["no_invasive"], reads=("no_invasive",),
         text="No invasive carcinoma (DCIS only or no invasive tumour): no HER2-directed therapy (for HER2-positive "
              "DCIS, NSABP B-43 trastuzumab with RT was a negative trial).",
         evidence=("NCCN-BREAST", "NSABP-B43"), would_change_if="invasive carcinoma"),
    Rule("systemic.her2.insufficient.her2", INSUFFICIENT_DATA, lambda f: unknown(f["her2"]), reads=("her2",),
         missing={"tumour.her2_ihc": "HER2 status decides HER2-directed therapy"}),
    # The reflex ISH is advised alongside (her2_therapy's code, before the table's answer).
    Rule("systemic.her2.insufficient.equivocal", INSUFFICIENT_DATA, lambda f: f["her2"] == "equivocal",
         reads=("her2",),
         missing={"tumour.her2_ish_ratio": "HER2 IHC 2+ needs ISH before HER2 therapy can be decided"}),
    Rule("systemic.her2.not_indicated.her2_negative", "not_indicated", lambda f: f["her2"] != "positive",
         reads=("her2",),
         text="HER2-negative ({her2}): no HER2-directed adjuvant therapy (HER2-low/ultralow status matters only in "
              "metastatic disease).",
         evidence=("ASCO-CAP-HER2-2018", "ASCO-CAP-HER2-2023", "NCCN-BREAST"),
         would_change_if="HER2-positive (IHC 3+ or ISH-amplified)"),
    # After neoadjuvant therapy HER2-directed therapy continues either way; the residual disease picks the agent.
    Rule("systemic.her2.recommended.after_neoadjuvant", "recommended",
         lambda f: (f["setting"] == "post_neoadjuvant") & unknown(f["response"]), reads=("setting", "response"),
         text="HER2-directed therapy to complete 1 year after neoadjuvant therapy; the agent follows the residual "
              "disease (not given): residual invasive disease -> T-DM1 x14 cycles (KATHERINE: 3-yr iDFS 88.3% vs "
              "77.0%); pathological complete response -> trastuzumab (+ pertuzumab if initially node-positive).",
         evidence=("KATHERINE", "APHINITY", "NCCN-BREAST"), would_change_if="HER2-negative on retesting",
         also_need={"tumour.size_mm": "residual invasive disease (0 = none) chooses T-DM1 or completing trastuzumab"}),
    Rule("systemic.her2.recommended.tdm1", "recommended",
         lambda f: (f["setting"] == "post_neoadjuvant") & (f["response"] == "residual"),
         reads=("setting", "response"),
         text="Residual invasive disease after neoadjuvant therapy (ypN0(i+)/ypN1mi included): T-DM1 3.6 mg/kg "
              "every 3 weeks x14 cycles (KATHERINE: 3-yr iDFS 88.3% vs 77.0%, HR 0.50).",
         evidence=("KATHERINE", "NCCN-BREAST"),
         would_change_if="a pathological complete response (complete 1 year of trastuzumab +/- pertuzumab)"),
    Rule("systemic.her2.recommended.complete_year", "recommended", lambda f: f["setting"] == "post_neoadjuvant",
         reads=("setting",),
         text="Pathological complete response: complete 1 year of trastuzumab (with pertuzumab if initially "
              "node-positive).", evidence=("APHINITY", "NCCN-BREAST"),
         would_change_if="residual invasive disease (T-DM1)"),
    Rule("systemic.her2.recommended.t1a_if_treated", "recommended",
         lambda f: (f["size_mm"] <= f["t1a_max_mm"]) & (f["node_status"] != "macro"), reads=("size_mm", "node_status"),
         strength="weak",
         text="HER2-positive T1a/T1mi: systemic therapy is a 'consider' (see chemotherapy); if treated, weekly "
              "paclitaxel + trastuzumab for 1 year (APT). No therapy is also reasonable for T1a N0.",
         evidence=("APT", "NCCN-BREAST"), would_change_if="a tumour > {t1a_max_mm:g} mm"),
    # HER2-directed therapy is given at every size; the size only chooses the regimen (not the decision).
    Rule("systemic.her2.recommended.size_unknown", "recommended",
         lambda f: unknown(f["size_mm"]) & (f["node_status"] != "macro"), reads=("size_mm", "node_status"),
         strength="moderate",
         text="HER2-positive invasive cancer: trastuzumab for 1 year with chemotherapy; the regimen follows the size "
              "(not given): <= {t1c_max_mm:g} mm without nodal macrometastasis weekly paclitaxel + trastuzumab (APT); "
              "larger or node-positive, chemotherapy with trastuzumab (+ pertuzumab if node-positive; neoadjuvant "
              "preferred before surgery). Baseline LVEF and every 3 months on trastuzumab.",
         evidence=("APT", "APHINITY", "NCCN-BREAST", "ARMENIAN-2017"), would_change_if="HER2-negative on retesting",
         also_need={"tumour.size_mm": "tumour size chooses the HER2 regimen (APT up to 20 mm without nodal "
                                      "macrometastasis, else the full regimen)"}),
    Rule("systemic.her2.recommended", "recommended",
         lambda f: (f["node_status"] == "macro") | (f["size_mm"] > f["t1c_max_mm"]), reads=("size_mm", "node_status"),
         text="Trastuzumab for 1 year with chemotherapy; pertuzumab for node-positive (macrometastatic) disease "
              "(APHINITY 6-yr iDFS 87.9% vs 83.4% node-positive; no benefit node-negative).{neoadjuvant}" + _HER2_LVEF,
         evidence=("APHINITY", "KATHERINE", "NCCN-BREAST", "ARMENIAN-2017"),
         would_change_if="HER2-negative on retesting"),
    Rule("systemic.her2.recommended", "recommended", always, reads=("size_mm", "node_status"),
         text="Weekly paclitaxel x12 + trastuzumab to complete 1 year (APT, node-negative or micrometastatic <= 3 cm); "
              "no pertuzumab for pN0/pN1mi." + _HER2_LVEF,
         evidence=("APT", "ATEMPT", "NCCN-BREAST", "ARMENIAN-2017"), would_change_if="HER2-negative on retesting"),
))


#: How each fact of the HER2 table is derived from the guideline context (NaN/None = unknown).
_HER2_FACTS: dict[str, Callable[[Context], Any]] = {
    "no_invasive": no_invasive_disease,
    "her2": lambda c: c.findings.her2,
    "setting": lambda c: c.setting,
    "response": _response,
    "size_mm": lambda c: _number(c.size_mm),
    "node_status": lambda c: c.node_status,
}


def her2_therapy_facts(ctx: Context) -> Derived:
    """The facts the HER2 table reads, for one patient (each derived when first read), thresholds included."""
    return Derived(ctx, _HER2_FACTS, _her2_thresholds())


def her2_therapy_columns(contexts: Sequence[Context]) -> dict[str, Any]:
    """The same facts for a batch of patients, one numpy column per fact (the thresholds stay numbers)."""
    return stack([her2_therapy_facts(ctx).complete() for ctx in contexts], constants=_her2_thresholds())


@cache  # a pure function of the rule set
def _her2_thresholds() -> dict[str, float]:
    t = rules().chemotherapy
    return {"t1a_max_mm": float(t.t1a_max_mm), "t1c_max_mm": float(t.t1c_max_mm)}


#: The parameters of the HER2 texts, derived for the matched rule of one patient when its text reads them.
_HER2_PARAMETERS: dict[str, Callable[[Context], Any]] = {
    "her2": lambda c: c.findings.her2,
    "t1a_max_mm": lambda c: rules().chemotherapy.t1a_max_mm,
    "t1c_max_mm": lambda c: rules().chemotherapy.t1c_max_mm,
    "neoadjuvant": lambda c: " Neoadjuvant TCHP/THP is preferred before surgery." if c.setting == "planned" else "",
}


#: The size-unknown rule without its request for the size: for a patient whose HER2-directed therapy will not stay
#: 'recommended' (the heart, no chemotherapy, pregnancy, declined), no regimen is chosen now, so the size that would
#: choose it (APT; NCCN) is not asked for by this decision.
_HER2_SIZE_UNKNOWN_NO_REGIMEN = next(
    replace(rule, also_need={}) for rule in HER2_THERAPY.rules if rule.rid == "systemic.her2.recommended.size_unknown")


def her2_regimen_chosen(ctx: Context) -> bool:
    """Whether a recommended HER2-directed therapy stays recommended after the patient's own rails (heart, no
    chemotherapy given with it, pregnancy or breastfeeding, declined, metastatic disease): only then does the
    tumour size choose its regimen now."""
    key, value = "her2_therapy", "recommended"
    return (her2_heart_gate(ctx) is None and not her2_without_chemotherapy_discusses(ctx, value)
            and gated_value(ctx, key, value) == value and not ctx.declined(key) and not ctx.metastatic)


def _her2_decision(ctx: Context, board: Board) -> None:
    rule = HER2_THERAPY.rules[HER2_THERAPY.first(her2_therapy_facts(ctx))]
    if rule.rid == _HER2_SIZE_UNKNOWN_NO_REGIMEN.rid and not her2_regimen_chosen(ctx):
        rule = _HER2_SIZE_UNKNOWN_NO_REGIMEN
    facts = ("receptors", "setting", "t", "n", "pcr")
    if rule.rid == "systemic.her2.insufficient.equivocal" and board.explains:  # advice is words: none on a what-if
        ihc = ctx.case.tumour.her2_ihc if ctx.case.tumour else None
        text = ("HER2 IHC 2+ (equivocal): reflex in situ hybridisation (dual-probe ISH) before any HER2 decision."
                if ihc in ("2+", None) else
                f"HER2 IHC {ihc} with an incomplete ISH result that could be amplified (group 1 is positive whatever "
                "the IHC): report both the HER2/CEP17 ratio and the HER2 copy number before any HER2 decision.")
        board.advise("diagnostics.her2.ish", "order", strength="strong",
                     text=text, rationale=ctx.say(*facts), evidence=["ASCO-CAP-HER2-2018", "ASCO-CAP-HER2-2023"],
                     would_change_if="IHC 3+ (positive) or 0/1+ (negative)")
    render(rule, ctx, board, say=facts, evidence=["NCCN-BREAST"],
           parameters=rule.parameters(ctx, _HER2_PARAMETERS, explains=board.explains))


CARDIAC_EVIDENCE = ["SAFE-HEART", "IC-OS-2021", "ESC-CARDIO-ONCOLOGY-2022", "TRASTUZUMAB-LABEL", "TDM1-LABEL",
                    "ARMENIAN-2017"]


def her2_without_chemotherapy_discusses(ctx: Context, value: str | None) -> bool:
    """Whether a recommended HER2-directed therapy turns into 'discuss' because no chemotherapy goes with it: a frail
    patient is not offered it, or the patient declines it (the trials gave HER2-directed therapy with chemotherapy;
    after neoadjuvant therapy it continues)."""
    return (value == "recommended" and ctx.setting != "post_neoadjuvant"
            and (fitness(ctx).level == "frail" or ctx.declined("chemotherapy")))


def her2_heart_gate(ctx: Context) -> str | None:
    """What the heart does to an active HER2-directed therapy: 'deferred' (LVEF < 40%, or heart failure with a
    reduced or unmeasured LVEF), 'discuss' (LVEF 40-49% or heart failure), None (no change)."""
    h = heart(ctx)
    if h.severe or (h.heart_failure and (h.lvef is None or h.reduced)):
        return DEFERRED
    return "discuss" if h.reduced or h.heart_failure else None


def her2_therapy_decide(contexts: Sequence[Context]) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    """The decision and rule id of every patient as ``her2_therapy`` ends it: the table over columns, then the
    heart and no-chemotherapy rails (per patient, with the functions the one-case path uses)."""
    values, ids = HER2_THERAPY.decide(her2_therapy_columns(contexts))
    values, ids = values.copy(), ids.copy()
    for i in np.flatnonzero(np.isin(values, ACTIVE)).tolist():
        gate = her2_heart_gate(contexts[i])
        if gate is not None:
            values[i], ids[i] = gate, f"{PREFIXES['her2_therapy']}.{gate}.cardiac"
        if her2_without_chemotherapy_discusses(contexts[i], values[i]):
            values[i] = "discuss"
    return values, ids


def _her2_heart(ctx: Context, board: Board) -> None:
    """No HER2-directed start with LVEF < 50%: 40-49% discuss with cardioprotection, < 40% or heart failure deferred."""
    key = "her2_therapy"
    if board.decisions.get(key) not in ACTIVE:
        return
    outcome = her2_heart_gate(ctx)
    if not board.explains:  # a board of values keeps the gate's value and id; the words and notes are not read
        if outcome is not None:
            gate(board, key, outcome, rid="cardiac", strength="strong" if outcome == DEFERRED else "weak",
                 evidence=CARDIAC_EVIDENCE, why="", would_change_if="")
        return
    t = rules().safety
    h = heart(ctx)
    severe_cut = t.cardiac.lvef_severe_below_percent
    lvef = f"LVEF {h.lvef:g}%" if h.lvef is not None else "LVEF not measured"
    if outcome == DEFERRED:
        why = (f"{lvef}" + (" (IC-OS severe, < " f"{severe_cut:g}%)" if h.severe else "")
               + (" with heart failure" if h.heart_failure else ""))
        return gate(board, key, "deferred", rid="cardiac", strength="strong", evidence=CARDIAC_EVIDENCE,
                    why=f"Cardiac: {why} - HER2-directed therapy (trastuzumab, pertuzumab, T-DM1) is not started now; "
                        "deferred until cardiac recovery under cardio-oncology (heart-failure treatment, repeat "
                        f"LVEF). The trials required LVEF >= {t.lvef_min_percent:g}%; SAFE-HEaRt started at 40-49% only "
                        "without heart failure and on cardioprotection.",
                    would_change_if=f"LVEF recovered to >= {severe_cut:g}% without heart failure (then discussed with "
                                    f"cardioprotection) or >= {t.lvef_min_percent:g}% (standard)")
    if outcome == "discuss":
        why = f"{lvef}" + (" with heart failure" if h.heart_failure else "")
        return gate(board, key, "discuss", rid="cardiac", strength="weak", evidence=CARDIAC_EVIDENCE,
                    why=f"Cardiac: {why} - outside the trials (LVEF >= {t.lvef_min_percent:g}% required). Start only "
                        "with cardio-oncology: ACE inhibitor/ARB plus beta-blocker and LVEF every 3 weeks to 3 months "
                        "(SAFE-HEaRt: 27 of 30 patients with LVEF 40-49% completed HER2 therapy).",
                    would_change_if=f"LVEF >= {t.lvef_min_percent:g}% without heart failure (recommended), or < "
                                    f"{severe_cut:g}% (deferred)")
    notes = []
    if h.lvef is None:
        notes.append(f"Start only after a baseline LVEF >= {t.lvef_min_percent:g}% (echocardiography or MUGA; not "
                     "given).")
    if h.borderline:
        notes.append(f"LVEF {h.lvef:g}% is borderline (EU label: caution <= {t.cardiac.lvef_borderline_max_percent:g}%): "
                     "closer LVEF monitoring.")
    if ctx.conditions.ischaemic_heart_disease or ctx.conditions.prior_anthracycline:
        notes.append("Increased cardiac risk (ischaemic heart disease or prior anthracycline, Armenian 2017): "
                     "cardio-oncology assessment and closer monitoring.")
    if notes:
        board.amend(key, note=" ".join(notes), extra_evidence=("ARMENIAN-2017",))


def not_hr_positive_her2_negative(ctx: Context) -> bool:
    """Known from ER/PR or HER2 alone, before the subtype can be named: HER2-positive, or ER- and PR-negative."""
    f = ctx.findings
    return f.her2 == "positive" or (f.er == "negative" and f.pr == "negative")


def cdk46_inhibitor(ctx: Context, board: Board) -> None:
    """monarchE cohort 1 (abemaciclib) and NATALEE (ribociclib) as the trials enrolled; then the agent the patient allows."""
    if not _cdk46_decision(ctx, board):
        _cdk46_agent(ctx, board)


_cdk46_full = cdk46_inhibitor  # the whole decision, as decide_if_immaterial runs it for each variant

CDK46_PATIENT_EVIDENCE = ["RIBOCICLIB-LABEL", "ABEMACICLIB-LABEL"]
_CDK46_KEY = "cdk46_inhibitor"
_NODE_STATUSES: tuple[NodeStatus, ...] = ("negative", "micro", "macro")

#: Adjuvant CDK4/6 inhibitors as the trials enrolled: monarchE cohort 1 (Johnston JCO 2020: abemaciclib for >= 4
#: positive nodes, or 1-3 with grade 3 or a tumour >= 50 mm) and NATALEE (Slamon NEJM 2024: ribociclib for anatomic
#: stage IIB-III, node-positive at any T, or T2N0 with grade 3 / grade 2 with Ki-67 >= 20% or high genomic risk), both
#: ECOG 0-1; the ribociclib label's QTcF limit; AJCC 8 for T1N1mi (stage IB) and T3N1mi. The criteria sets and
#: thresholds are the rule table's (knowledge/guidelines/targeted.json, safety.json); NaN/None = unknown. An unknown
#: receptor subtype or nodal status is decided as every value it could take would be (``cdk46_facts``); the agent
#: rails (QTcF and ovarian suppression for ribociclib, interstitial lung disease) follow the table (``cdk46_rails``).
CDK46_INHIBITOR = DecisionTable(_CDK46_KEY, (
    # ECOG before frailty: a frail patient with ECOG >= 2 is told the ECOG.
    Rule("systemic.cdk46.not_indicated.ecog", "not_indicated", lambda f: f["ecog"] > f["trial_max_ecog"],
         reads=("ecog",),
         text="ECOG {ecog}: outside trial evidence - NATALEE and monarchE enrolled ECOG 0-{limit} only; no adjuvant "
              "CDK4/6 inhibitor.",
         rationale="ECOG {ecog}; {facts}", evidence=("NATALEE", "MONARCHE"),
         would_change_if="ECOG 0-{limit} (then by the trial criteria)"),
    Rule("systemic.cdk46.not_indicated.frail", "not_indicated", lambda f: f["frail"], reads=("frail",),
         text="{fitness}: outside trial evidence - NATALEE and monarchE enrolled fit patients (ECOG 0-{limit}) for "
              "2-3 years of treatment; no adjuvant CDK4/6 inhibitor.",
         rationale="{fitness}; {facts}", evidence=("NATALEE", "MONARCHE", "ASCO-GERIATRIC-2018"),
         would_change_if="no frailty (CFS < 7, life expectancy >= 5 years) and ECOG 0-1"),
    Rule("systemic.cdk46.not_indicated.no_invasive", "not_indicated", lambda f: f["no_invasive"],
         reads=("no_invasive",),
         text="No invasive carcinoma (DCIS only or no invasive tumour): no CDK4/6 inhibitor (the trials and labels "
              "are for invasive node-positive or stage II-III disease).",
         would_change_if="invasive carcinoma"),
    # The subtype is not named yet, but HER2-positive or ER- and PR-negative already rules the drugs out.
    Rule("systemic.cdk46.not_indicated.subtype", "not_indicated", lambda f: f["receptors_exclude"],
         reads=("receptors_exclude",), text="Not HR-positive/HER2-negative: no adjuvant CDK4/6 inhibitor.",
         evidence=("MONARCHE", "NATALEE"), would_change_if="HR-positive, HER2-negative disease"),
    # The fields it needs are named by decide_if_immaterial (which receptors separate the answers).
    Rule("systemic.cdk46.insufficient.subtype", INSUFFICIENT_DATA, lambda f: unknown(f["subtype"]),
         reads=("subtype",)),
    Rule("systemic.cdk46.not_indicated.subtype", "not_indicated", lambda f: f["subtype"] != "hr_pos_her2_neg",
         reads=("subtype",), text="Not HR-positive/HER2-negative: no adjuvant CDK4/6 inhibitor.",
         evidence=("MONARCHE", "NATALEE"), would_change_if="HR-positive, HER2-negative disease"),
    # Decided when every nodal status gives the same answer (e.g. T3: NATALEE whatever N), by decide_if_immaterial.
    Rule("systemic.cdk46.insufficient.nodal_status", INSUFFICIENT_DATA, lambda f: unknown(f["node_status"]),
         reads=("node_status",)),
    Rule("systemic.cdk46.not_indicated.qtcf", "not_indicated",
         lambda f: (f["node_status"] != "macro") & (f["qtcf"] >= f["qtcf_limit"]), reads=("node_status", "qtcf"),
         text="QTcF {qtcf:g} ms (>= {qtc_limit:g}): ribociclib must not be started (label), and without "
              "macrometastatic nodes abemaciclib is outside monarchE: no CDK4/6 inhibitor.",
         rationale="QTcF {qtcf:g} ms; {facts}", evidence=(*CDK46_PATIENT_EVIDENCE, "MONARCHE"),
         would_change_if="QTcF < {qtc_limit:g} ms (then by the NATALEE criteria)"),
    # With endocrine therapy declined every T gives 'not indicated' (stage IB below, or no drug without endocrine
    # therapy): the T category is not asked for then.
    Rule("systemic.cdk46.insufficient.t", INSUFFICIENT_DATA,
         lambda f: unknown(f["t_group"]) & (f["node_status"] != "macro") & negate(f["endocrine_declined"]),
         reads=("t_group", "node_status", "endocrine_declined"),
         missing={"tumour.size_mm": "T category decides NATALEE eligibility"}),
    Rule("systemic.cdk46.not_indicated.t1n1mi", "not_indicated",
         lambda f: (f["node_status"] == "micro") & one_of(f["t_group"], ("T0", "T1")), reads=("node_status", "t_group"),
         text="T1N1mi is anatomic stage IB: below the stage II entry of NATALEE, and monarchE needs node-positive "
              "high-risk disease: no CDK4/6 inhibitor.",
         evidence=("NATALEE", "MONARCHE", "AJCC-8"), would_change_if="a tumour > 20 mm or a nodal macrometastasis"),
    # Where a rule below would offer a drug (any nodal metastasis left here, or NATALEE met or open): both trials gave
    # it only with endocrine therapy. Outside the trials the low-risk reason below stays the one given.
    Rule("systemic.cdk46.not_indicated.endocrine_declined", "not_indicated",
         lambda f: f["endocrine_declined"] & (one_of(f["node_status"], ("micro", "macro")) | (f["natalee"] != "no")),
         reads=("endocrine_declined", "node_status", "natalee"),
         text="Endocrine therapy is declined: monarchE and NATALEE gave abemaciclib and ribociclib only with endocrine "
              "therapy, so there is no evidence for a CDK4/6 inhibitor alone; none is offered.",
         evidence=("MONARCHE", "NATALEE"),
         would_change_if="the patient accepts endocrine therapy (then by the trial criteria)"),
    Rule("systemic.cdk46.recommended.natalee_t3", "recommended",
         lambda f: (f["node_status"] == "micro") & one_of(f["t_group"], ("T3", "T4")), reads=("node_status", "t_group"),
         strength="moderate",
         text="T3-4 with pN1mi: stage IIB-III whether N1mi is read as N0 or N1 (NATALEE covers T3N0 and T3N1): "
              "ribociclib 3 years with an AI.",
         evidence=("NATALEE", "AJCC-8"), would_change_if="a T1-2 tumour"),
    Rule("systemic.cdk46.discuss.t2n1mi", "discuss", lambda f: f["node_status"] == "micro", reads=("node_status",),
         strength="weak",
         text="T2N1mi: anatomic stage IIB under AJCC 8, but whether micrometastatic nodes counted as positive in "
              "monarchE and NATALEE is unverified: check the label and protocol wording. Read as N0, T2N0 qualifies "
              "for NATALEE only with grade 3, or grade 2 with Ki-67 >= 20% or high genomic risk.",
         evidence=("NATALEE", "MONARCHE", "AJCC-8"),
         would_change_if="a nodal macrometastasis (eligible) or a T1 tumour (stage IB, not eligible)"),
    # monarche compared, not read bare: a boolean, so one case evaluates monarchE's criteria only with macrometastases.
    Rule("systemic.cdk46.recommended.monarche", "recommended",
         lambda f: (f["node_status"] == "macro") & (f["monarche"] == 1), reads=("node_status", "monarche"),
         text="{monarche_met}: abemaciclib 150 mg twice daily for 2 years with endocrine therapy (monarchE: 5-yr "
              "iDFS gain about 7.6 points). Ribociclib (NATALEE) is an alternative.",
         evidence=("MONARCHE", "NATALEE", "NCCN-BREAST"),
         would_change_if="1-3 positive nodes with grade 1-2 and tumour < 50 mm (NATALEE only)"),
    Rule("systemic.cdk46.recommended.natalee", "recommended", lambda f: f["natalee"] == "met", reads=("natalee",),
         strength="moderate",
         text="{natalee_met}: ribociclib 400 mg days 1-21 every 28 days for 3 years with a non-steroidal AI{ofs} "
              "(NATALEE: 3-yr iDFS 90.4% vs 87.1%). Check QTc and liver tests.",
         evidence=("NATALEE", "NCCN-BREAST"),
         would_change_if="T1N0, or T2N0 grade 1 / grade 2 with Ki-67 < 20% and low genomic risk (not indicated)"),
    # The fields are the open criteria of the NATALEE sets still possible (any one set qualifies).
    Rule("systemic.cdk46.insufficient.natalee", INSUFFICIENT_DATA, lambda f: f["natalee"] == "possible",
         reads=("natalee",)),
    Rule("systemic.cdk46.not_indicated.low_risk", "not_indicated", always, reads=("node_status", "natalee"),
         text="Outside monarchE cohort 1 and NATALEE (e.g. T1N0, or T2N0 without grade 3 / grade 2 with Ki-67 >= 20% "
              "or high genomic risk): no CDK4/6 inhibitor.",
         evidence=("MONARCHE", "NATALEE"),
         would_change_if="nodal macrometastasis, T3, or T2N0 with grade 3 / grade 2 and Ki-67 >= 20% or high genomic "
                         "risk"),
))
_CDK46_BY_SUBTYPE = next(i for i, r in enumerate(CDK46_INHIBITOR.rules) if r.rid.endswith(".insufficient.subtype"))
_CDK46_BY_NODES = next(i for i, r in enumerate(CDK46_INHIBITOR.rules) if r.rid.endswith(".insufficient.nodal_status"))
_CDK46_NATALEE_OPEN = "systemic.cdk46.insufficient.natalee"


CdkTrial = Literal["monarche_cohort1", "natalee"]


def _cdk46_trial(ctx: Context, name: CdkTrial) -> list[ShortEvaluation]:
    """monarchE cohort 1 or NATALEE evaluated on the patient's facts (criteria sets of the rule table), each only
    when read (NATALEE is not needed when monarchE is met), up to the first set met: the decision and its text read
    that one (any one set qualifies), the sets still possible only when none is met (their unknown criteria). A set
    is evaluated up to its first failed criterion: no reader needs more of a set ruled out."""
    memo_name, evaluated = _TRIAL_EVALUATIONS[name]
    return ctx.remembered(memo_name, evaluated)


def _trial_evaluations(name: CdkTrial) -> Callable[[Context], list[ShortEvaluation]]:
    def evaluated(ctx: Context) -> list[ShortEvaluation]:
        f = ctx.read_facts()  # copied only to be changed
        if f["anatomic_stage"] is None and ctx.t_group in ("T3", "T4"):
            # T3 N0 is anatomic stage IIB and T4 N0 IIIB (AJCC 8): IIB-III whatever the nodes, as NATALEE asks.
            f = {**f, "anatomic_stage": "IIB" if ctx.t_group == "T3" else "IIIB"}
        return evaluate_until_met(getattr(rules().targeted, name), f)
    return evaluated


#: The memo name and the evaluation of each trial (one function per trial, not one made per call).
_TRIAL_EVALUATIONS: dict[CdkTrial, tuple[str, Callable[[Context], list[ShortEvaluation]]]] = {
    name: (f"cdk46.{name}", _trial_evaluations(name)) for name in ("monarche_cohort1", "natalee")}


def _monarche(ctx: Context) -> bool:
    return any(e.met for e in _cdk46_trial(ctx, "monarche_cohort1"))


def _natalee(ctx: Context) -> str:
    """NATALEE as a code fact: 'met' (a criteria set holds), 'possible' (one could, inputs missing), 'no'."""
    natalee = _cdk46_trial(ctx, "natalee")
    return "met" if any(e.met for e in natalee) else "possible" if any(e.possible for e in natalee) else "no"


def _cdk46_outcome(ctx: Context) -> tuple[str, str | None]:
    """The decision and rule id as ``cdk46_inhibitor`` ends them for a patient (the table, then the agent rails)."""
    rule = CDK46_INHIBITOR.rules[CDK46_INHIBITOR.first(cdk46_facts(ctx))]
    return cdk46_rails(ctx, rule.decision, rule.rid)


def _agreed_node_status(ctx: Context) -> Context | None:
    """decide_if_immaterial's test for an unknown nodal status: the node-negative variant when every nodal status
    gets one definite answer (as the pregnancy/lactation gate will make of it), else None."""
    return ctx.remembered(f"{_CDK46_KEY}.agreed_node_status", _node_status_agreed)


def _node_status_agreed(ctx: Context) -> Context | None:
    variants = [ctx.varied(node_status=value) for value in _NODE_STATUSES]
    values = {gated_value(v, _CDK46_KEY, _cdk46_outcome(v)[0]) for v in variants}
    return variants[0] if len(values) == 1 and INSUFFICIENT_DATA not in values else None


def _cdk46_decider(ctx: Context) -> Context:
    """The context whose facts decide after the subtype and nodal-status rules: the patient's own, or - when an
    unknown subtype or nodal status is immaterial - the first variant (its answer, rule id included, is recorded)."""
    decider = ctx
    if ctx.subtype is None and not not_hr_positive_her2_negative(ctx):
        decider = _agreed_variant(ctx, _CDK46_KEY, lambda v: _cdk46_outcome(v)[0]) or ctx
    if decider.subtype == "hr_pos_her2_neg" and decider.node_status is None:
        decider = _agreed_node_status(decider) or decider
    return decider


#: How each fact of the CDK4/6 table is derived (NaN/None = unknown). The subtype, nodal status, trial criteria and
#: invasiveness are the deciding context's (``_cdk46_decider``): a node-negative variant of a tumour of size 0 has no
#: invasive disease, and its answer is the one recorded. The variants share the rest (performance status, QTcF, T).
_CDK46_FACTS: dict[str, Callable[[Context], Any]] = {
    "ecog": lambda c: _number(ecog_of(c)),
    "frail": lambda c: fitness(c).level == "frail",
    "no_invasive": lambda c: no_invasive_disease(_cdk46_decider(c)),
    "receptors_exclude": lambda c: c.subtype is None and not_hr_positive_her2_negative(c),
    "subtype": lambda c: _cdk46_decider(c).subtype,
    "node_status": lambda c: _cdk46_decider(c).node_status,
    "qtcf": lambda c: _number(c.conditions.qtcf_ms),
    "t_group": lambda c: c.t_group,
    "endocrine_declined": lambda c: c.declined("endocrine"),
    "monarche": lambda c: _monarche(_cdk46_decider(c)),
    "natalee": lambda c: _natalee(_cdk46_decider(c)),
}

#: One case resolves an unknown subtype or nodal status itself, by decide_if_immaterial over the whole decision for
#: each variant: the subtype and nodal-status rules match every such case.
_CDK46_CASE_FACTS: dict[str, Callable[[Context], Any]] = {
    **_CDK46_FACTS,
    "no_invasive": no_invasive_disease,
    "subtype": lambda c: c.subtype,
    "node_status": lambda c: c.node_status,
    "monarche": _monarche,
    "natalee": _natalee,
}


def cdk46_facts(ctx: Context, *, one_case: bool = False) -> Derived:
    """The facts the CDK4/6 table reads, for one patient (each derived when first read), thresholds included.
    ``one_case``: an unknown subtype or nodal status is left to decide_if_immaterial (its rule matches)."""
    return Derived(ctx, _CDK46_CASE_FACTS if one_case else _CDK46_FACTS, _cdk46_thresholds())


def cdk46_columns(contexts: Sequence[Context]) -> dict[str, Any]:
    """The same facts for a batch of patients, one numpy column per fact (the thresholds stay numbers)."""
    return stack([cdk46_facts(ctx).complete() for ctx in contexts], constants=_cdk46_thresholds())


@cache  # a pure function of the rule set
def _cdk46_thresholds() -> dict[str, float]:
    s = rules().safety
    return {"trial_max_ecog": float(s.trial_max_ecog), "qtcf_limit": float(s.drugs.ribociclib_qtcf_max_ms_exclusive)}


#: The parameters of the CDK4/6 texts, derived for the matched rule of one patient when its text reads them.
_CDK46_PARAMETERS: dict[str, Callable[[Context], Any]] = {
    "ecog": ecog_of,
    "limit": lambda c: rules().safety.trial_max_ecog,
    "fitness": lambda c: fitness(c).words,
    "qtcf": lambda c: c.conditions.qtcf_ms,
    "qtc_limit": lambda c: rules().safety.drugs.ribociclib_qtcf_max_ms_exclusive,
    "monarche_met": lambda c: next(e for e in _cdk46_trial(c, "monarche_cohort1") if e.met).criteria.name,
    "natalee_met": lambda c: next(e for e in _cdk46_trial(c, "natalee") if e.met).criteria.name,
    # A man is not described by menopause: his GnRH agonist is named in the patient note (NATALEE; ASCO 2020).
    "ofs": lambda c: "" if c.male else " (+ OFS if premenopausal)",
}


def _cdk46_decision(ctx: Context, board: Board) -> bool | None:
    """Record the decision; True when the agent checks are already in it (an unknown input was immaterial)."""
    key = _CDK46_KEY
    index = CDK46_INHIBITOR.first(cdk46_facts(ctx, one_case=True))
    if index == _CDK46_BY_SUBTYPE:
        decide_if_immaterial(
            board, key, _cdk46_full, subtype_variants(ctx), unknown="The receptor subtype",
            fields=receptor_fields(ctx, "CDK4/6 inhibitors are for HR-positive, HER2-negative disease"))
        return True
    if index == _CDK46_BY_NODES:
        variants = [ctx.varied(node_status=value) for value in _NODE_STATUSES]
        decide_if_immaterial(board, key, _cdk46_full, variants, unknown="The nodal status",
                             fields={ctx.node_status_field: "the nodal status decides CDK4/6 eligibility"})
        return True
    rule = CDK46_INHIBITOR.rules[index]
    if rule.rid == _CDK46_NATALEE_OPEN:
        # Any one NATALEE set qualifies: a set whose open criteria another possible set shares adds nothing (T2N0
        # grade unknown with Ki-67 >= 20%: the grade decides, the genomic risk cannot).
        possible = [e for e in _cdk46_trial(ctx, "natalee") if e.possible]
        board.unknown(key, unknown_fields(*possible, context=ctx, any_of=True))
        return None
    render(rule, ctx, board, say=("t", "n", "grade", "ki67", "rs", "stage"), evidence=["NATALEE", "MONARCHE"],
           parameters=rule.parameters(ctx, _CDK46_PARAMETERS, explains=board.explains))
    return None


def _cdk46_long_qt(ctx: Context) -> bool:
    qtcf = ctx.conditions.qtcf_ms
    return qtcf is not None and qtcf >= rules().safety.drugs.ribociclib_qtcf_max_ms_exclusive


def _cdk46_no_ofs(ctx: Context) -> bool:
    """Premenopausal without ovarian suppression (not planned, or declined)."""
    return ctx.menopause == "pre" and not ctx.male and ofs_intent(ctx) == "not_planned"


def cdk46_agent_gate(ctx: Context, rid: str) -> str | None:
    """What the agent does to an active decision of rule ``rid`` when only ribociclib fits (NATALEE without monarchE):
    'qtcf' (QTcF too long: not indicated), 'ofs' (premenopausal without ovarian suppression: discuss), None."""
    if rid not in ("systemic.cdk46.recommended.natalee", "systemic.cdk46.recommended.natalee_t3"):
        return None
    return "qtcf" if _cdk46_long_qt(ctx) else "ofs" if _cdk46_no_ofs(ctx) else None


def _cdk46_clots(ctx: Context) -> list[str]:
    """Prior venous thromboembolism and thrombophilia, in words."""
    c = ctx.conditions
    return [w for w, flag in (("prior venous thromboembolism", c.venous_thromboembolism),
                              ("thrombophilia", c.thrombophilia)) if flag]


def cdk46_vte_discusses(ctx: Context, rid: str) -> bool:
    """Whether a monarchE recommendation becomes 'discuss' for clotting: abemaciclib is the only agent left (ribociclib
    is barred by QTcF >= 450 ms or, before the menopause, needs ovarian suppression that is not planned) and the patient
    has had venous thromboembolism or has a thrombophilia. monarchE excluded a history of VTE (Johnston, JCO 2020) and
    abemaciclib raises VTE (label; monarchE 2.5% vs 0.6%, 4.3% with tamoxifen): outside trial evidence."""
    return rid == "systemic.cdk46.recommended.monarche" and bool(_cdk46_clots(ctx)) \
        and (_cdk46_long_qt(ctx) or _cdk46_no_ofs(ctx))


def cdk46_ild_discusses(ctx: Context) -> bool:
    """Whether interstitial lung disease turns an active CDK4/6 decision left by the agent gate into 'discuss'."""
    return bool(ctx.conditions.interstitial_lung_disease)


def cdk46_rails(ctx: Context, value: str, rid: str | None) -> tuple[str, str | None]:
    """The decision and rule id after the agent rails of ``_cdk46_agent`` (the functions it uses), from the table's."""
    if value not in ACTIVE or rid is None:
        return value, rid
    outcome = cdk46_agent_gate(ctx, rid)
    if outcome is not None:
        value = "not_indicated" if outcome == "qtcf" else "discuss"
        return value, f"{PREFIXES[_CDK46_KEY]}.{value}.{outcome}"
    if cdk46_vte_discusses(ctx, rid):
        return "discuss", f"{PREFIXES[_CDK46_KEY]}.discuss.vte"
    return ("discuss" if cdk46_ild_discusses(ctx) else value), rid


def cdk46_inhibitor_decide(contexts: Sequence[Context]) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    """The decision and rule id of every patient as ``cdk46_inhibitor`` ends it: the table over columns, then the
    agent rails (per patient, with the functions the one-case path uses)."""
    values, ids = CDK46_INHIBITOR.decide(cdk46_columns(contexts))
    values, ids = values.copy(), ids.copy()
    for i in np.flatnonzero(np.isin(values, ACTIVE)).tolist():
        values[i], ids[i] = cdk46_rails(contexts[i], values[i], ids[i])
    return values, ids


def _cdk46_agent(ctx: Context, board: Board) -> None:
    """Ribociclib needs QTcF < 450 ms and, before menopause, ovarian suppression; abemaciclib and VTE; ILD."""
    key = _CDK46_KEY
    rid = board.rule_id(key)  # the rule that decided (a what-if board keeps it too)
    if board.decisions.get(key) not in ACTIVE or rid is None:
        return
    qtc_limit = rules().safety.drugs.ribociclib_qtcf_max_ms_exclusive
    qtcf = ctx.conditions.qtcf_ms
    long_qt = _cdk46_long_qt(ctx)
    premenopausal = ctx.menopause == "pre" and not ctx.male
    no_ofs = _cdk46_no_ofs(ctx)
    clots = _cdk46_clots(ctx)
    monarche = rid == "systemic.cdk46.recommended.monarche"
    ribociclib_only = rid in ("systemic.cdk46.recommended.natalee", "systemic.cdk46.recommended.natalee_t3")
    outcome = cdk46_agent_gate(ctx, rid)
    if outcome == "qtcf":
        return gate(board, key, "not_indicated", rid="qtcf", strength="strong", evidence=CDK46_PATIENT_EVIDENCE,
                    why=f"QTcF {qtcf:g} ms (>= {qtc_limit:g}): ribociclib must not be started (label: QTcF < "
                        f"{qtc_limit:g} ms), and abemaciclib is outside monarchE criteria here: no CDK4/6 inhibitor.",
                    would_change_if=f"QTcF < {qtc_limit:g} ms (ribociclib), or monarchE criteria (abemaciclib)")
    if outcome == "ofs":
        return gate(board, key, "discuss", rid="ofs", strength="weak", evidence=["NATALEE", "RIBOCICLIB-LABEL"],
                    why="Premenopausal: ribociclib with a non-steroidal AI needs ovarian function suppression (NATALEE "
                        "gave goserelin), which is not planned or was declined: discuss ovarian suppression.",
                    would_change_if="ovarian function suppression planned")
    if cdk46_vte_discusses(ctx, rid):
        barred = (f"QTcF {qtcf:g} ms bars ribociclib, label: QTcF < {qtc_limit:g} ms" if long_qt else
                  "ribociclib needs ovarian function suppression before the menopause, NATALEE, and it is not planned "
                  "or was declined; abemaciclib would then go with tamoxifen, VTE 4.3% in monarchE")
        excluded = ("monarchE excluded patients with a history of venous thromboembolism: outside trial evidence"
                    if ctx.conditions.venous_thromboembolism else "a thrombophilia adds to that risk")
        gate(board, key, "discuss", rid="vte", strength="weak", evidence=["MONARCHE", *CDK46_PATIENT_EVIDENCE],
             why=f"{' and '.join(clots).capitalize()}: abemaciclib is the only CDK4/6 inhibitor left ({barred}). It "
                 f"raises venous thromboembolism (label; monarchE 2.5% vs 0.6%) and {excluded} - discuss with "
                 "haematology (thromboprophylaxis) or forgo the CDK4/6 inhibitor. If chosen: "
                 "abemaciclib 150 mg twice daily for 2 years with endocrine therapy (monarchE cohort 1).",
             would_change_if="no prior VTE or thrombophilia, or ribociclib possible (QTcF < "
                             f"{qtc_limit:g} ms; ovarian suppression before the menopause)", keep_plan=False)
        if cdk46_ild_discusses(ctx):
            board.amend(key, extra_evidence=("ABEMACICLIB-LABEL",),
                        note="Interstitial lung disease: severe or fatal ILD/pneumonitis occurs with CDK4/6 inhibitors "
                             "(monarchE 3% any grade, 0.4% grade 3-4): discuss with the respiratory team.")
        return None
    notes = []
    if not monarche and long_qt:
        notes.append(f"QTcF {qtcf:g} ms: ribociclib must not be started (QTcF >= {qtc_limit:g}); only abemaciclib, "
                     "if monarchE criteria apply.")
    if monarche and long_qt:
        notes.append(f"QTcF {qtcf:g} ms: abemaciclib only - ribociclib must not be started (QTcF >= {qtc_limit:g}).")
    elif monarche and clots and not no_ofs:
        notes.append(f"{' and '.join(clots).capitalize()}: abemaciclib raises venous thromboembolism (5% vs 0.9% in "
                     "MONARCH 2); ribociclib (NATALEE criteria are met here) is preferred if QTcF allows.")
    elif monarche and no_ofs:
        notes.append("Without ovarian suppression: abemaciclib with tamoxifen (monarchE allowed it); ribociclib would "
                     "need ovarian suppression.")
    if not monarche and qtcf is None:
        notes.append(f"ECG before starting ribociclib: QTcF must be < {qtc_limit:g} ms.")
        board.need("conditions.qtcf_ms", f"ribociclib is started only with QTcF < {qtc_limit:g} ms (ECG)")
    if ribociclib_only and premenopausal and ofs_intent(ctx) is None:
        notes.append("Premenopausal: with ovarian function suppression (NATALEE).")
    if ribociclib_only and ctx.male:
        notes.append("A man: ribociclib with a non-steroidal aromatase inhibitor and a GnRH agonist (NATALEE gave men "
                     "goserelin; ribociclib label).")
    if notes:
        board.amend(key, note=" ".join(notes), extra_evidence=tuple(CDK46_PATIENT_EVIDENCE))
    if cdk46_ild_discusses(ctx):
        board.amend(key, value="discuss", strength="weak", extra_evidence=("ABEMACICLIB-LABEL",),
                    note="Interstitial lung disease: severe or fatal ILD/pneumonitis occurs with CDK4/6 inhibitors "
                         "(monarchE 3% any grade, 0.4% grade 3-4): discuss with the respiratory team.")


def _olympia_could_apply(ctx: Context) -> tuple[bool | None, str]:
    """Whether OlympiA's clinical criteria (ignoring BRCA) hold: True/False, None when unknown; and the reason."""
    if ctx.setting == "post_neoadjuvant":
        residual = residual_disease(ctx)
        if residual is None:
            return None, "residual disease after neoadjuvant therapy unknown"
        return residual, "non-pCR after neoadjuvant chemotherapy" if residual else "pathological complete response"
    if ctx.node_status == "micro" and ctx.t_group in ("T0", "T1"):
        return False, "T1N1mi (stage IB): outside OlympiA by the stage I consensus"
    evaluations = evaluate_until_met(rules().targeted.olympia_adjuvant, ctx.read_facts())
    if evaluations and evaluations[-1].met:  # the set met is the reason given
        return True, evaluations[-1].criteria.name
    if any(e.possible for e in evaluations):
        return None, "OlympiA criteria incomplete"
    return False, "below the OlympiA thresholds (TNBC >= pT2 or >= pN1; HR+ >= 4 positive nodes)"


def _olympia_unknowns(ctx: Context, why: str) -> dict[str, str]:
    """The inputs that leave OlympiA eligibility open (the residual disease, or the criteria still possible)."""
    if ctx.setting == "post_neoadjuvant":
        return {"tumour.size_mm": f"OlympiA eligibility cannot be decided ({why}; 0 = no residual invasive tumour)"}
    evaluations = [evaluate(s, ctx.read_facts(), until_failed=True) for s in rules().targeted.olympia_adjuvant]
    return unknown_fields(*(e for e in evaluations if e.possible), context=ctx, any_of=True) or {
        "tumour.size_mm": f"OlympiA eligibility cannot be decided ({why})"}


@dataclass(frozen=True)
class CpsEgScore:
    """CPS+EG points: ``low`` counts only what is known, ``high`` adds every point an unknown input could add.

    ``uncertain`` names the inputs behind the difference (they decide only when the threshold lies between).
    """

    low: int
    high: int
    text: str
    missing: dict[str, str]
    uncertain: dict[str, str] = field(default_factory=dict)


#: The T and N groups a stage input left unknown could be (AJCC 8 anatomic stage groups).
_T_GROUPS = ("T0", "T1", "T2", "T3", "T4")
_N_GROUPS = ("N0", "N1mi", "N1", "N2", "N3")


def _stage_points(points: dict[str, int], t: str | None, n: str | None) -> tuple[list[int], bool, bool]:
    """CPS+EG points of every stage group T and N allow (an unknown one taking each group), and whether the unknown
    T, or the unknown N, changes them (only then is that input needed)."""
    def value(tg: str, ng: str) -> int | None:
        stage = anatomic_stage(tg, ng, "M0")
        return None if stage is None else points.get(stage, 0)

    ts, ns = ([t] if t else list(_T_GROUPS)), ([n] if n else list(_N_GROUPS))
    grid = {(tg, ng): v for tg in ts for ng in ns if (v := value(tg, ng)) is not None}
    t_matters = any(len({v for (tg, ng), v in grid.items() if ng == fixed}) > 1 for fixed in ns)
    n_matters = any(len({v for (tg, ng), v in grid.items() if tg == fixed}) > 1 for fixed in ts)
    # No stage group (ypT0/Tis N0: no residual, or in situ only) scores as stage 0.
    return sorted(set(grid.values())) or [0], t_matters, n_matters


def cps_eg_score(ctx: Context) -> CpsEgScore:
    """CPS+EG (Mittendorf, JCO 2011): pre-treatment clinical stage, ypTNM stage, ER-negative and nuclear grade 3.

    The pre-treatment stage uses the pre-treatment size, nodes and direct extension (cT4 from
    ``neoadjuvant_therapy.pre_treatment_t_extension``). Nuclear grade is used when given; the histological grade
    is a stated stand-in otherwise. An unknown part of either stage widens the score to every stage it allows and
    is named only when it changes the points (e.g. any ypT with ypN1 is stage IIA-IIIB: 1 point).
    """
    table = rules().targeted.olympia_cps_eg
    nst = ctx.case.neoadjuvant_therapy
    tumour = ctx.case.tumour
    uncertain: dict[str, str] = {}
    # As in staging, an extension that is not recorded is no extension: cT4 must be stated (at any size).
    t_base = t_category(nst.pre_treatment_size_mm, nst.pre_treatment_t_extension, None)[0] if nst else None
    before_n = n_group(clinical_n(nst.pre_treatment_clinical_nodes)) if nst else None
    clinical, t_open, n_open = _stage_points(table.clinical_stage_points, t_group(t_base), before_n)
    why = "the pre-treatment clinical stage sets CPS+EG points"
    if t_open:
        uncertain["neoadjuvant_therapy.pre_treatment_size_mm"] = why
    if n_open:
        uncertain["neoadjuvant_therapy.pre_treatment_clinical_nodes"] = why
    before = anatomic_stage(t_group(t_base), before_n, "M0")
    after = ctx.staging.anatomic_stage
    after_n = None if ctx.staging.n is None or "NX" in ctx.staging.n else n_group(ctx.staging.n)
    pathological = [table.pathological_stage_points.get(after, 0)] if after is not None else []
    if after is None:
        pathological, t_open, n_open = _stage_points(table.pathological_stage_points, ctx.t_group, after_n)
        why = "the post-treatment (ypTNM) stage group sets CPS+EG points"
        if t_open:
            uncertain["tumour.size_mm"] = why
        if n_open:
            uncertain[ctx.node_status_field] = why
    er_negative = table.er_negative_points if ctx.findings.er == "negative" else 0
    er_open = table.er_negative_points if ctx.findings.er is None else 0
    if er_open:
        uncertain["tumour.er_percent"] = "ER-negative disease adds a point"
    nuclear = tumour.nuclear_grade if tumour else None
    grade, grade_text = (nuclear, f"nuclear grade {nuclear}") if nuclear is not None else (
        (ctx.grade, f"histological grade {ctx.grade} standing in for nuclear grade") if ctx.grade is not None
        else (None, "nuclear grade unknown"))
    if grade is None:
        uncertain["tumour.nuclear_grade"] = ("nuclear grade 3 (the histological grade stands in when only it is "
                                             "known) adds a point")
    low = min(clinical) + min(pathological) + er_negative + (table.grade3_points if grade == 3 else 0)
    high = (max(clinical) + max(pathological) + er_negative + er_open
            + (table.grade3_points if grade in (3, None) else 0))
    before_text = (before or "unknown") + (f", c{t_base}" if t_base and t_base.startswith("T4") else "")
    text = (f"{low if low == high else f'{low}-{high}'} (clinical stage {before_text}, ypTNM stage "
            f"{after or 'unknown'}, ER {ctx.findings.er or 'unknown'}, {grade_text})")
    return CpsEgScore(low, high, text, {}, uncertain)


def olaparib(ctx: Context, board: Board) -> None:
    """Adjuvant olaparib for gBRCA1/2, HER2-negative disease meeting OlympiA criteria."""
    key = "olaparib"
    index = OLAPARIB.first(Derived(ctx, _OLAPARIB_CASE_FACTS, _olaparib_thresholds()))
    if index == _OLAPARIB_BY_SUBTYPE:
        # Whether PR matters is judged under each germline BRCA result when that is open too (every subtype then
        # waits for it, but ER-negative PR-positive and triple-negative disease may still be decided alike).
        brca_results = [] if ctx.case.germline_brca is not None else [
            (lambda c, v=value: c.varied(case=c.case.model_copy(update={"germline_brca": v})))
            for value in ("brca1", "negative")]
        return decide_if_immaterial(
            board, key, olaparib, subtype_variants(ctx), unknown="The receptor subtype", completions=brca_results,
            fields=receptor_fields(ctx, "olaparib (OlympiA) is for HER2-negative disease"))
    rule = OLAPARIB.rules[index]
    if rule.rid == "systemic.olaparib.insufficient.criteria":
        return board.unknown(key, _olympia_unknowns(ctx, _olympia(ctx)[1]))
    if rule.rid == "systemic.olaparib.insufficient.cps_eg":
        score = _cps_eg(ctx)
        assert score is not None  # the rule reads the score of HR-positive disease after neoadjuvant therapy
        min_score = rules().targeted.olympia_cps_eg.min_score
        return board.unknown(key, {name: f"CPS+EG {score.text}: {why}, which would reach the OlympiA threshold "
                                         f"({min_score})" for name, why in score.uncertain.items()})
    render(rule, ctx, board, say=("brca", "receptors", "setting", "t", "n", "pcr"),
           evidence=list(rules().targeted.olympia_cps_eg.evidence) if rule.rid == _CPS_EG_RID else ["OLYMPIA"],
           parameters=rule.parameters(ctx, _OLAPARIB_PARAMETERS, explains=board.explains))


_CPS_EG_RID = "systemic.olaparib.not_indicated.cps_eg"

#: Adjuvant olaparib (OlympiA, Tutt NEJM 2021: gBRCA1/2, HER2-negative; triple-negative >= pT2 or >= pN1, HR-positive
#: >= 4 positive nodes; after neoadjuvant chemotherapy non-pCR, and for HR-positive disease a CPS+EG score >= 3). An
#: unknown receptor subtype is decided as every subtype the known receptors allow would be (``_subtype_decider``).
OLAPARIB = DecisionTable("olaparib", (
    Rule("systemic.olaparib.not_indicated.no_invasive", "not_indicated", lambda f: f["no_invasive"],
         reads=("no_invasive",),
         text="No invasive carcinoma (DCIS only or no invasive tumour): no olaparib (OlympiA enrolled high-risk "
              "invasive disease).", would_change_if="invasive carcinoma"),
    # The fields it needs are named by decide_if_immaterial (which receptors separate the answers).
    Rule("systemic.olaparib.insufficient.subtype", INSUFFICIENT_DATA, lambda f: f["subtype_open"],
         reads=("subtype_open",)),
    Rule("systemic.olaparib.not_indicated.her2_positive", "not_indicated", lambda f: f["her2_positive"],
         reads=("her2_positive",), text="HER2-positive: outside OlympiA.", would_change_if="HER2-negative disease"),
    Rule("systemic.olaparib.not_indicated.frail", "not_indicated", lambda f: f["frail"], reads=("frail",),
         strength="moderate",
         text="{fitness}: outside trial evidence (OlympiA enrolled patients fit for a year of olaparib after "
              "chemotherapy); no adjuvant olaparib.",
         rationale="{fitness}; {facts}", evidence=("OLYMPIA", "ASCO-GERIATRIC-2018"),
         would_change_if="no frailty (ECOG <= 2, CFS < 7, life expectancy >= 5 years)"),
    Rule("systemic.olaparib.not_indicated.criteria", "not_indicated", lambda f: f["olympia"] == "no",
         reads=("olympia",), text="Outside OlympiA: {why}.", evidence=("OLYMPIA", "NCCN-BREAST"),
         would_change_if="TNBC > 20 mm or nodal macrometastasis, HR+ with >= 4 positive nodes, or residual disease "
                         "after neoadjuvant chemotherapy - with a gBRCA variant"),
    Rule("systemic.olaparib.not_indicated.brca_negative", "not_indicated", lambda f: f["brca"] == "negative",
         reads=("brca",), text="No germline BRCA1/2 pathogenic variant: no olaparib.",
         would_change_if="a germline BRCA1/2 variant"),
    # HR-positive after neoadjuvant therapy: the CPS+EG score (NaN otherwise) even at its highest below threshold.
    Rule(_CPS_EG_RID, "not_indicated", lambda f: f["cps_eg_high"] < f["min_score"], reads=("cps_eg_high",),
         text="HR-positive after neoadjuvant therapy with CPS+EG {cps_eg}: below the OlympiA threshold "
              "({min_score}).", would_change_if="a CPS+EG score >= {min_score}"),
    Rule("systemic.olaparib.insufficient.brca", INSUFFICIENT_DATA, lambda f: unknown(f["brca"]), reads=("brca",),
         missing={"germline_brca": "the patient could meet OlympiA criteria: a germline BRCA1/2 result decides "
                                   "adjuvant olaparib"}),
    # The fields are those of the OlympiA criteria sets still possible, or the residual disease (_olympia_unknowns).
    Rule("systemic.olaparib.insufficient.criteria", INSUFFICIENT_DATA, lambda f: unknown(f["olympia"]),
         reads=("olympia",)),
    # The fields are the unknown parts of the score that could lift it to the threshold.
    Rule("systemic.olaparib.insufficient.cps_eg", INSUFFICIENT_DATA, lambda f: f["cps_eg_low"] < f["min_score"],
         reads=("cps_eg_low",)),
    Rule("systemic.olaparib.recommended", "recommended", always, reads=("brca", "olympia", "cps_eg_low"),
         text="Germline {brca} with {why_met}: olaparib 300 mg twice daily for 1 year after chemotherapy and surgery "
              "(OlympiA: 3-yr iDFS 85.9% vs 77.1%; 4-yr OS 89.8% vs 86.4%).",
         evidence=("OLYMPIA", "NCCN-BREAST"), would_change_if="no gBRCA variant, or a stage I (T1N0/T1N1mi) tumour"),
))
_OLAPARIB_BY_SUBTYPE = next(i for i, r in enumerate(OLAPARIB.rules) if r.rid.endswith(".insufficient.subtype"))


def _olaparib_by_variants(ctx: Context) -> bool:
    """The subtype is unknown and HER2 is not known to be positive (which alone rules olaparib out)."""
    return ctx.subtype is None and ctx.findings.her2 != "positive"


def _olaparib_value(variant: Context) -> str:
    """The olaparib decision of a patient whose subtype is known (a subtype variant)."""
    return OLAPARIB.rules[OLAPARIB.first(olaparib_facts(variant))].decision


def _olaparib_decider(ctx: Context) -> Context:
    return _subtype_decider(ctx, "olaparib", _olaparib_by_variants(ctx), _olaparib_value)


def _olympia(ctx: Context) -> tuple[bool | None, str]:
    return ctx.remembered("olympia", _olympia_could_apply)  # the fact and the text (or the missing fields) read it


def _cps_eg(ctx: Context) -> CpsEgScore | None:
    """The CPS+EG score of HR-positive disease after neoadjuvant therapy (OlympiA scores only that), else None."""
    if ctx.setting != "post_neoadjuvant" or ctx.subtype != "hr_pos_her2_neg":
        return None
    return ctx.remembered("cps_eg", cps_eg_score)  # the facts and the text read it


def _cps_eg_bound(ctx: Context, high: bool) -> float:
    score = _cps_eg(_olaparib_decider(ctx))
    return np.nan if score is None else float(score.high if high else score.low)


#: How each fact of the olaparib table is derived (NaN/None = unknown); the facts after the subtype are the deciding
#: context's (the patient's, or the subtype variant every variant agrees with).
_OLAPARIB_FACTS: dict[str, Callable[[Context], Any]] = {
    "no_invasive": no_invasive_disease,
    "subtype_open": lambda c: _olaparib_by_variants(c) and _agreed_variant(c, "olaparib", _olaparib_value) is None,
    "her2_positive": lambda c: (d := _olaparib_decider(c)).subtype == "her2_pos" or d.findings.her2 == "positive",
    "frail": lambda c: fitness(c).level == "frail",
    "olympia": lambda c: {True: "yes", False: "no", None: None}[_olympia(_olaparib_decider(c))[0]],
    "brca": lambda c: c.case.germline_brca,
    "cps_eg_high": lambda c: _cps_eg_bound(c, high=True),
    "cps_eg_low": lambda c: _cps_eg_bound(c, high=False),
}


#: One case resolves an undecided subtype itself, by decide_if_immaterial over the table's decision for each variant:
#: its subtype rule matches every such case (the variants are then not decided twice).
_OLAPARIB_CASE_FACTS = {**_OLAPARIB_FACTS, "subtype_open": _olaparib_by_variants}


def olaparib_facts(ctx: Context) -> Derived:
    """The facts the olaparib table reads, for one patient (each derived when first read), thresholds included."""
    return Derived(ctx, _OLAPARIB_FACTS, _olaparib_thresholds())


def olaparib_columns(contexts: Sequence[Context]) -> dict[str, Any]:
    """The same facts for a batch of patients, one numpy column per fact (the thresholds stay numbers)."""
    return stack([olaparib_facts(ctx).complete() for ctx in contexts], constants=_olaparib_thresholds())


@cache  # a pure function of the rule set
def _olaparib_thresholds() -> dict[str, float]:
    return {"min_score": float(rules().targeted.olympia_cps_eg.min_score)}


def _why_met(ctx: Context) -> str:
    why = _olympia(ctx)[1]
    score = _cps_eg(ctx)
    min_score = rules().targeted.olympia_cps_eg.min_score
    return why if score is None else f"{why}; CPS+EG {score.text} (>= {min_score})"


#: The parameters of the olaparib texts, derived for the matched rule of one patient when its text reads them.
_OLAPARIB_PARAMETERS: dict[str, Callable[[Context], Any]] = {
    "fitness": lambda c: fitness(c).words,
    "why": lambda c: _olympia(c)[1],
    "cps_eg": lambda c: score.text if (score := _cps_eg(c)) else "",
    "min_score": lambda c: rules().targeted.olympia_cps_eg.min_score,
    "brca": lambda c: (c.case.germline_brca or "").upper(),
    "why_met": _why_met,
}


def immunotherapy(ctx: Context, board: Board) -> None:
    """Pembrolizumab: neoadjuvant KEYNOTE-522 for TNBC cT1c N1-2 / cT2-4, continued after surgery; never de novo."""
    _immunotherapy_decision(ctx, board)
    _immunotherapy_patient(ctx, board)


IMMUNE_EVIDENCE = ["KEYNOTE-522-ELIGIBILITY", "PEMBROLIZUMAB-LABEL"]

#: Pembrolizumab (KEYNOTE-522: neoadjuvant with chemotherapy for triple-negative cT1c N1-2 / cT2-4, continued
#: after surgery; its eligibility and the label for autoimmune disease, transplant and ECOG 0-1). An unknown
#: receptor subtype is decided as every subtype the known receptors allow would be (``_subtype_decider``).
IMMUNOTHERAPY = DecisionTable("immunotherapy", (
    Rule("systemic.immunotherapy.not_indicated.no_invasive", "not_indicated", lambda f: f["no_invasive"],
         reads=("no_invasive",), text="No invasive carcinoma (DCIS only or no invasive tumour): no pembrolizumab.",
         would_change_if="invasive triple-negative carcinoma"),
    Rule("systemic.immunotherapy.not_indicated.upfront", "not_indicated", lambda f: f["setting"] == "upfront",
         reads=("setting",), text="Upfront surgery: no evidence for adjuvant-only pembrolizumab.",
         evidence=("KEYNOTE-522", "NCCN-BREAST"),
         would_change_if="neoadjuvant therapy with pembrolizumab (KEYNOTE-522)"),
    Rule("systemic.immunotherapy.not_indicated.no_neoadjuvant_pembro", "not_indicated",
         lambda f: (f["setting"] == "post_neoadjuvant") & (f["pembrolizumab_given"] == 0),
         reads=("setting", "pembrolizumab_given"),
         text="Pembrolizumab was not part of neoadjuvant therapy: no evidence for starting it after surgery.",
         would_change_if="pembrolizumab given before surgery"),
    # The fields it needs are named by decide_if_immaterial (which receptors separate the answers).
    Rule("systemic.immunotherapy.insufficient.subtype", INSUFFICIENT_DATA, lambda f: f["subtype_open"],
         reads=("subtype_open",)),
    Rule("systemic.immunotherapy.not_indicated.subtype", "not_indicated",
         lambda f: f["subtype"] != "triple_negative", reads=("subtype",),
         text="Not triple-negative: no pembrolizumab for early disease.{er_low_note}",
         would_change_if="triple-negative disease"),
    Rule("systemic.immunotherapy.not_indicated.autoimmune_transplant", "not_indicated",
         lambda f: f["autoimmune_active"] | f["organ_transplant"], reads=("autoimmune_active", "organ_transplant"),
         text="Pembrolizumab is not {start}: {what} - excluded from KEYNOTE-522 (autoimmune disease) and at risk of "
              "flare or graft rejection (label); any exception only after specialist discussion.",
         rationale="{what}; {facts}", evidence=tuple(IMMUNE_EVIDENCE),
         would_change_if="no active autoimmune disease and no transplant"),
    # Not started outside KEYNOTE-522's fitness; a patient already on it continues (a note weighs it).
    Rule("systemic.immunotherapy.not_indicated.fitness", "not_indicated",
         lambda f: (f["setting"] != "post_neoadjuvant") & ((f["ecog"] > f["trial_max_ecog"]) | negate(f["fit"])),
         reads=("setting", "ecog", "fit"), strength="moderate",
         text="{why}: outside KEYNOTE-522 (ECOG 0-{limit}, fit for four-drug chemotherapy); pembrolizumab is not "
              "added - chemotherapy is decided on its own.",
         rationale="{why}; {facts}", evidence=("KEYNOTE-522-ELIGIBILITY", "ASCO-GERIATRIC-2018"),
         would_change_if="ECOG 0-{limit} and no frailty or major comorbidity"),
    # Continued only when it was given before surgery, never started after it alone: unrecorded agents decide.
    Rule("systemic.immunotherapy.insufficient.agents", INSUFFICIENT_DATA,
         lambda f: (f["setting"] == "post_neoadjuvant") & unknown(f["pembrolizumab_given"]),
         reads=("setting", "pembrolizumab_given"),
         missing={"neoadjuvant_therapy.agents": "whether pembrolizumab was part of neoadjuvant therapy decides it: "
                                                "continued after surgery if it was (KEYNOTE-522), never started "
                                                "after surgery alone"}),
    # An autoimmune disease recorded without whether it needed systemic treatment in the past 2 years ('present', e.g.
    # a coded diagnosis from another system): the KEYNOTE-522 exclusion ("active autoimmune disease that has required
    # systemic treatment in the past 2 years"; replacement therapy such as thyroxine or insulin is not systemic
    # treatment) rules it out or not, so it is asked wherever pembrolizumab would otherwise be given.
    Rule("systemic.immunotherapy.insufficient.autoimmune", INSUFFICIENT_DATA,
         lambda f: f["autoimmune_present"] & ((f["setting"] == "post_neoadjuvant") | (f["keynote522"] == "met")),
         reads=("autoimmune_present", "setting", "keynote522"),
         missing={"conditions.autoimmune_disease": "an autoimmune disease is recorded: whether it needed systemic "
                                                   "treatment (disease-modifying agents, corticosteroids, "
                                                   "immunosuppressants; not replacement therapy such as thyroxine or "
                                                   "insulin) in the past 2 years decides pembrolizumab (KEYNOTE-522 "
                                                   "exclusion): 'active' rules it out, 'inactive' does not"}),
    Rule("systemic.immunotherapy.recommended.continue", "recommended", lambda f: f["setting"] == "post_neoadjuvant",
         reads=("setting",),
         text="Continue pembrolizumab 200 mg every 3 weeks (or 400 mg every 6 weeks) after surgery to complete "
              "1 year (9 adjuvant cycles), whatever the response (KEYNOTE-522: 5-yr OS 86.6% vs 81.7%).",
         would_change_if="immune-related toxicity"),
    Rule("systemic.immunotherapy.recommended.keynote522", "recommended", lambda f: f["keynote522"] == "met",
         reads=("keynote522",),
         text="{keynote522_met}: neoadjuvant pembrolizumab with paclitaxel-carboplatin then AC/EC, continued after "
              "surgery to 1 year (KEYNOTE-522: pCR 64.8% vs 51.2%; 5-yr EFS 81.2% vs 72.2%).",
         evidence=("KEYNOTE-522", "NCCN-BREAST"), would_change_if="cT1a-b N0 or cT1c N0 (stage I, not an indication)"),
    # The fields are those of the KEYNOTE-522 criteria sets still possible (unknown_fields).
    Rule("systemic.immunotherapy.insufficient.keynote522", INSUFFICIENT_DATA, lambda f: f["keynote522"] == "open",
         reads=("keynote522",)),
    Rule("systemic.immunotherapy.not_indicated.stage_i", "not_indicated", always, reads=("keynote522",),
         text="cT1 N0 triple-negative: not a KEYNOTE-522 indication.",
         would_change_if="cT2 or larger, or cT1c with clinically positive nodes"),
))
_IMMUNO_BY_SUBTYPE = next(i for i, r in enumerate(IMMUNOTHERAPY.rules) if r.rid.endswith(".insufficient.subtype"))


def _immuno_by_variants(ctx: Context) -> bool:
    """The subtype is unknown and the known receptors do not already rule out triple-negative disease."""
    f = ctx.findings
    known_not_tn = f.her2 == "positive" or f.er in ("positive", "low_positive") or f.pr == "positive"
    return ctx.subtype is None and not known_not_tn


def _immuno_decider(ctx: Context) -> Context:
    return _subtype_decider(ctx, "immunotherapy", _immuno_by_variants(ctx), _immunotherapy_value)


def _immunotherapy_value(variant: Context) -> str:
    return IMMUNOTHERAPY.rules[IMMUNOTHERAPY.first(immunotherapy_facts(variant))].decision


def _keynote522(ctx: Context) -> list[ShortEvaluation]:
    # the fact and the text (or the missing fields) read them: whether a set is met or possible, the name of the one
    # met and the unknown criteria of those possible (never a set's failed criteria: evaluated up to the first)
    return ctx.remembered("keynote522", lambda c: [evaluate(s, c.read_facts(), until_failed=True)
                                                   for s in rules().targeted.keynote522])


def _keynote522_state(ctx: Context) -> str:
    evaluations = _keynote522(ctx)
    return ("met" if any(e.met for e in evaluations) else "open" if any(e.possible for e in evaluations)
            else "not_met")


#: How each fact of the immunotherapy table is derived (NaN/None = unknown); the facts after the subtype are the
#: deciding context's (the patient's, or the subtype variant every variant agrees with).
_IMMUNO_FACTS: dict[str, Callable[[Context], Any]] = {
    "no_invasive": no_invasive_disease,
    "setting": lambda c: c.setting,
    "pembrolizumab_given": _pembrolizumab_given,
    "subtype_open": lambda c: _immuno_by_variants(c) and _agreed_variant(c, "immunotherapy",
                                                                          _immunotherapy_value) is None,
    "subtype": lambda c: _immuno_decider(c).subtype,
    "autoimmune_active": lambda c: c.conditions.autoimmune_disease == "active",
    "autoimmune_present": lambda c: c.conditions.autoimmune_disease == "present",
    "organ_transplant": lambda c: bool(c.conditions.organ_transplant),
    "ecog": lambda c: _number(ecog_of(c)),
    "fit": lambda c: fitness(c).level == "fit",
    "keynote522": lambda c: _keynote522_state(_immuno_decider(c)),
}


#: One case resolves an undecided subtype itself, by decide_if_immaterial over the table's decision for each variant:
#: its subtype rule matches every such case (the variants are then not decided twice).
_IMMUNO_CASE_FACTS = {**_IMMUNO_FACTS, "subtype_open": _immuno_by_variants}


def immunotherapy_facts(ctx: Context) -> Derived:
    """The facts the immunotherapy table reads, for one patient (each derived when first read), thresholds
    included."""
    return Derived(ctx, _IMMUNO_FACTS, _immuno_thresholds())


def immunotherapy_columns(contexts: Sequence[Context]) -> dict[str, Any]:
    """The same facts for a batch of patients, one numpy column per fact (the thresholds stay numbers)."""
    return stack([immunotherapy_facts(ctx).complete() for ctx in contexts], constants=_immuno_thresholds())


@cache  # a pure function of the rule set
def _immuno_thresholds() -> dict[str, float]:
    return {"trial_max_ecog": float(rules().safety.trial_max_ecog)}


def _immuno_why_unfit(ctx: Context) -> str:
    ecog = ecog_of(ctx)
    limit = rules().safety.trial_max_ecog
    return f"ECOG {ecog}" if ecog is not None and ecog > limit else fitness(ctx).words


#: The parameters of the immunotherapy texts, derived for the matched rule of one patient when its text reads them.
_IMMUNO_PARAMETERS: dict[str, Callable[[Context], Any]] = {
    "er_low_note": lambda c: " ER-low (1-10%) disease was outside KEYNOTE-522's ER < 1% definition; some centres "
                             "extend it: discuss at the tumour board." if c.triple_negative_like or c.er_low else "",
    "start": lambda c: "continued" if c.setting == "post_neoadjuvant" else "started",
    "what": lambda c: "active autoimmune disease (systemic treatment in the past 2 years)"
    if c.conditions.autoimmune_disease == "active" else "an organ or allogeneic stem-cell transplant",
    "why": _immuno_why_unfit,
    "limit": lambda c: rules().safety.trial_max_ecog,
    "keynote522_met": lambda c: next(e for e in _keynote522(c) if e.met).criteria.name,
}


def _immunotherapy_decision(ctx: Context, board: Board) -> None:
    key = "immunotherapy"
    index = IMMUNOTHERAPY.first(Derived(ctx, _IMMUNO_CASE_FACTS, _immuno_thresholds()))
    if index == _IMMUNO_BY_SUBTYPE:
        # Recorded as decide_if_immaterial records it: the variants' common answer, or the receptors needed.
        return decide_if_immaterial(
            board, key, _immunotherapy_decision, subtype_variants(ctx), unknown="The receptor subtype",
            fields=receptor_fields(ctx, "pembrolizumab (KEYNOTE-522) is for triple-negative disease"))
    rule = IMMUNOTHERAPY.rules[index]
    if rule.rid == "systemic.immunotherapy.insufficient.keynote522":
        return board.unknown(key, unknown_fields(*(e for e in _keynote522(ctx) if e.possible), context=ctx))
    render(rule, ctx, board, say=("receptors", "setting", "t", "cn", "n"), evidence=["KEYNOTE-522"],
           parameters=rule.parameters(ctx, _IMMUNO_PARAMETERS, explains=board.explains))


def _immunotherapy_patient(ctx: Context, board: Board) -> None:
    """Notes on a pembrolizumab recommendation: continuation outside ECOG 0-1, inactive autoimmune disease; interstitial
    lung disease makes it a weak recommendation (the contract has no 'discuss' for immunotherapy)."""
    key = "immunotherapy"
    if board.decisions.get(key) != "recommended":
        return
    c = ctx.conditions
    ecog = ecog_of(ctx)
    limit = rules().safety.trial_max_ecog
    notes = []
    if ctx.setting == "post_neoadjuvant" and ecog is not None and ecog > limit:
        notes.append(f"ECOG {ecog} is outside the trial population (ECOG 0-{limit}): weigh continuation.")
    if c.autoimmune_disease == "inactive":
        notes.append("Inactive autoimmune disease: risk of flare - co-manage with the specialist.")
    if c.interstitial_lung_disease:
        # Immune-mediated pneumonitis is the label's leading warning and KEYNOTE protocols exclude pneumonitis that
        # needed steroids or current pneumonitis: outside trial evidence, so a weak recommendation, as olaparib's and
        # HER2-directed therapy's outside ECOG 0-1 (safety.fitness); a CDK4/6 inhibitor is discussed for the same.
        notes.append("Interstitial lung disease: higher risk of fatal immune-mediated pneumonitis (label), and the "
                     "KEYNOTE trials excluded pneumonitis that needed steroids and current pneumonitis - a weak "
                     "recommendation: respiratory review before the first dose, and weigh chemotherapy without "
                     "pembrolizumab.")
    if notes:
        board.amend(key, note=" ".join(notes), extra_evidence=tuple(IMMUNE_EVIDENCE),
                    strength="weak" if c.interstitial_lung_disease else None)


def capecitabine(ctx: Context, board: Board) -> None:
    """CREATE-X: capecitabine for HER2-negative residual invasive disease after neoadjuvant chemotherapy."""
    facts = ctx.say("receptors", "setting", "pcr", "t", "n") if board.explains else ""  # words: not for a what-if
    if not _capecitabine_decision(ctx, board, facts):
        _capecitabine_patient(ctx, board)  # a no-op unless the decision is active


def _capecitabine_full(ctx: Context, board: Board, facts: str) -> None:
    if not _capecitabine_decision(ctx, board, facts):
        _capecitabine_patient(ctx, board)


CAPECITABINE_EVIDENCE = ["EMA-DPD-2020", "CAPECITABINE-LABEL"]

#: Capecitabine after neoadjuvant chemotherapy (CREATE-X, Masuda NEJM 2017: HER2-negative residual invasive disease,
#: the benefit in triple-negative disease; OlympiA for gBRCA carriers; KATHERINE for HER2-positive residual disease),
#: with the label's contraindications (complete DPD deficiency, creatinine clearance < 30 mL/min) and frailty
#: deciding before the tumour does. The olaparib decision already made for the patient is a fact it reads.
CAPECITABINE = DecisionTable("capecitabine", (
    Rule("systemic.capecitabine.not_indicated.not_post_neoadjuvant", "not_indicated",
         lambda f: f["setting"] != "post_neoadjuvant", reads=("setting",),
         text="Capecitabine (CREATE-X) applies to residual disease after neoadjuvant chemotherapy only.",
         would_change_if="residual invasive disease after neoadjuvant chemotherapy (HER2-negative)"),
    # CREATE-X enrolled residual disease after neoadjuvant CHEMOTHERAPY (anthracycline and/or taxane): after
    # neoadjuvant endocrine therapy alone (recorded agents, none cytotoxic) it does not apply - whether to give
    # adjuvant chemotherapy is the chemotherapy decision's question.
    Rule("systemic.capecitabine.not_indicated.after_neoadjuvant_endocrine", "not_indicated",
         lambda f: f["neoadjuvant_endocrine_only"] == 1, reads=("setting", "neoadjuvant_endocrine_only"),
         text="Neoadjuvant endocrine therapy only, no neoadjuvant chemotherapy: capecitabine after surgery (CREATE-X) "
              "was tested for residual disease after neoadjuvant chemotherapy and does not apply; whether adjuvant "
              "chemotherapy is given is decided by the residual disease (see chemotherapy).",
         evidence=("CREATE-X", "NCCN-BREAST"), would_change_if="residual invasive disease after neoadjuvant chemotherapy"),
    Rule("systemic.capecitabine.not_indicated.pcr", "not_indicated", lambda f: f["response"] == "pcr",
         reads=("response",), text="Pathological complete response: no capecitabine.",
         would_change_if="residual invasive disease"),
    Rule("systemic.capecitabine.not_indicated.her2_positive", "not_indicated", lambda f: f["her2_positive"],
         reads=("her2_positive",), text="HER2-positive residual disease: T-DM1 (KATHERINE), not capecitabine.",
         evidence=("KATHERINE", "CREATE-X"), would_change_if="HER2-negative disease"),
    Rule("systemic.capecitabine.not_indicated.dpd", "not_indicated", lambda f: f["dpd_complete"],
         reads=("dpd_complete",),
         text="Complete DPD deficiency: capecitabine is contraindicated (EMA/MHRA; risk of fatal toxicity).",
         evidence=tuple(CAPECITABINE_EVIDENCE), would_change_if="no complete DPD deficiency"),
    Rule("systemic.capecitabine.not_indicated.renal", "not_indicated",
         lambda f: f["egfr"] < f["capecitabine_contraindicated_below_ml_min"], reads=("egfr",),
         text="eGFR {egfr:g} mL/min (standing in for creatinine clearance): capecitabine is contraindicated below "
              "{renal_limit:g} mL/min (label).",
         evidence=tuple(CAPECITABINE_EVIDENCE), would_change_if="creatinine clearance >= {renal_limit:g} mL/min"),
    Rule("systemic.capecitabine.not_indicated.frail", "not_indicated", lambda f: f["frail"], reads=("frail",),
         text="Not offered: {fitness} - outside trial evidence (CREATE-X enrolled fit patients).",
         evidence=("ASCO-GERIATRIC-2018", "SIOG-EUSOMA-2021"),
         would_change_if="no frailty (ECOG <= 2, CFS < 7, life expectancy >= 5 years)"),
    # The fields it needs are named by decide_if_immaterial (which receptors separate the answers).
    Rule("systemic.capecitabine.insufficient.subtype", INSUFFICIENT_DATA, lambda f: f["subtype_open"],
         reads=("subtype_open",)),
    Rule("systemic.capecitabine.insufficient.residual", INSUFFICIENT_DATA, lambda f: unknown(f["response"]),
         reads=("response",),
         missing={"tumour.size_mm": "residual invasive disease after neoadjuvant therapy decides capecitabine"}),
    Rule("systemic.capecitabine.discuss.hr_positive", "discuss", lambda f: f["subtype"] == "hr_pos_her2_neg",
         reads=("subtype",), strength="weak",
         text="HR-positive residual disease: CREATE-X benefit was concentrated in triple-negative disease; endocrine "
              "therapy +/- CDK4/6 inhibitor is the backbone; discuss capecitabine 1,250 mg/m2 twice daily days 1-14 "
              "every 3 weeks x6-8.",
         evidence=("CREATE-X", "NCCN-BREAST"), would_change_if="triple-negative disease (recommended)"),
    # Olaparib declined by the patient is no alternative: capecitabine is then decided as without it.
    Rule("systemic.capecitabine.discuss.olaparib_eligible", "discuss",
         lambda f: (f["olaparib"] == "recommended") & negate(f["olaparib_declined"]),
         reads=("olaparib", "olaparib_declined"), strength="moderate",
         text="Triple-negative residual disease with gBRCA: olaparib (OlympiA) or capecitabine (CREATE-X); they have "
              "not been compared; choose at the tumour board.",
         evidence=("CREATE-X", "OLYMPIA"), would_change_if="no gBRCA variant (capecitabine recommended)"),
    # CREATE-X (2007-2012) predates pembrolizumab: capecitabine added to KEYNOTE-522's adjuvant pembrolizumab has not
    # been tested in a trial, so after it capecitabine is discussed, not recommended.
    Rule("systemic.capecitabine.insufficient.agents", INSUFFICIENT_DATA, lambda f: unknown(f["pembrolizumab"]),
         reads=("subtype", "olaparib", "pembrolizumab"),
         missing={"neoadjuvant_therapy.agents": "whether pembrolizumab was part of neoadjuvant therapy decides "
                                                "capecitabine: CREATE-X predates it, so after KEYNOTE-522 capecitabine "
                                                "is discussed rather than recommended"}),
    Rule("systemic.capecitabine.discuss.after_pembrolizumab", "discuss", lambda f: f["pembrolizumab"] == 1,
         reads=("subtype", "olaparib", "pembrolizumab"), strength="weak",
         text="Triple-negative residual invasive disease after neoadjuvant chemotherapy with pembrolizumab "
              "(KEYNOTE-522): pembrolizumab continues to 1 year. Adding capecitabine is not established: CREATE-X "
              "(TNBC DFS HR 0.58, OS HR 0.52) enrolled patients treated before pembrolizumab, and no trial has tested "
              "capecitabine added to adjuvant pembrolizumab (combined toxicity data are limited). Discuss; if "
              "chosen, 1,250 mg/m2 twice daily days 1-14 every 3 weeks x6-8 cycles.",
         evidence=("CREATE-X", "KEYNOTE-522", "NCCN-BREAST"),
         would_change_if="neoadjuvant chemotherapy without pembrolizumab (recommended), or a pathological complete "
                         "response"),
    # The germline BRCA result that leaves olaparib open decides between 'recommended' and 'discuss' (olaparib is the
    # alternative for a carrier): asked, never read as negative; immaterial where both answers end alike (pregnancy
    # defers both; a vulnerable patient has both discussed; olaparib declined is no alternative).
    Rule("systemic.capecitabine.insufficient.brca", INSUFFICIENT_DATA,
         lambda f: (f["olaparib"] == INSUFFICIENT_DATA) & f["brca_unknown"] & negate(f["pregnant"])
         & negate(f["vulnerable"]) & negate(f["olaparib_declined"]),
         reads=("subtype", "olaparib", "pembrolizumab", "brca_unknown", "pregnant", "vulnerable", "olaparib_declined"),
         missing={"germline_brca": "a germline BRCA1/2 variant makes olaparib (OlympiA) the alternative to "
                                   "capecitabine for triple-negative residual disease (then discussed rather than "
                                   "recommended); ASCO-SSO 2024: test every patient eligible for a PARP inhibitor"}),
    Rule("systemic.capecitabine.recommended", "recommended", always, reads=("subtype", "olaparib", "pembrolizumab"),
         strength="moderate",
         text="Triple-negative residual invasive disease after neoadjuvant chemotherapy without pembrolizumab: "
              "capecitabine 1,250 mg/m2 twice daily days 1-14 every 3 weeks x6-8 cycles (CREATE-X TNBC: DFS HR 0.58, "
              "OS HR 0.52).",
         evidence=("CREATE-X", "NCCN-BREAST"),
         would_change_if="a pathological complete response, a gBRCA variant (then discuss vs olaparib), or "
                         "pembrolizumab in the neoadjuvant regimen (then discussed)"),
))
_CAPE_BY_SUBTYPE = next(i for i, r in enumerate(CAPECITABINE.rules) if r.rid.endswith(".insufficient.subtype"))


def _capecitabine_value(variant: Context) -> str:
    """A subtype variant's capecitabine decision as _capecitabine_full records it (vulnerable: discussed)."""
    rule = CAPECITABINE.rules[CAPECITABINE.first(capecitabine_facts(variant, _olaparib_value(variant)))]
    return "discuss" if rule.decision in ACTIVE and fitness(variant).level == "vulnerable" else rule.decision


def _cape_decider(ctx: Context) -> Context:
    return _subtype_decider(ctx, "capecitabine", ctx.subtype is None, _capecitabine_value)


_CYTOTOXIC_AGENTS = frozenset({"anthracycline", "taxane", "platinum"})


def _neoadjuvant_endocrine_only(ctx: Context) -> float:
    """1 when the recorded neoadjuvant agents include endocrine therapy and no cytotoxic agent (NaN: unrecorded)."""
    agents = set(ctx.agents())
    if not agents:
        return np.nan
    return float("endocrine" in agents and not agents & _CYTOTOXIC_AGENTS)


#: How each fact of the capecitabine table is derived (NaN/None = unknown); the subtype is the deciding context's
#: (the patient's, or the subtype variant every variant agrees with). ``olaparib`` is given with the case.
_CAPE_FACTS: dict[str, Callable[[Context], Any]] = {
    "setting": lambda c: c.setting,
    "neoadjuvant_endocrine_only": _neoadjuvant_endocrine_only,
    "response": _response,
    "her2_positive": lambda c: c.subtype == "her2_pos" or c.findings.her2 == "positive",
    "dpd_complete": lambda c: c.conditions.dpd_deficiency == "complete",
    "egfr": lambda c: _number(c.conditions.egfr_ml_min),
    "frail": lambda c: fitness(c).level == "frail",
    "vulnerable": lambda c: fitness(c).level == "vulnerable",
    "brca_unknown": lambda c: c.case.germline_brca is None,
    "olaparib_declined": lambda c: c.declined("olaparib"),
    "pregnant": lambda c: bool(c.pregnant),
    "subtype_open": lambda c: c.subtype is None and _agreed_variant(c, "capecitabine", _capecitabine_value) is None,
    "subtype": lambda c: _cape_decider(c).subtype,
    "pembrolizumab": _pembrolizumab_given,
}


#: One case leaves an undecided subtype to decide_if_immaterial (its rule matches every case whose subtype is not
#: known): the rules after it read the patient's own subtype and olaparib decision, which is given with the facts.
#: A module's mapping, not one built per case: the table's compiled function serves it (DecisionTable.first).
_CAPE_CASE_FACTS: dict[str, Callable[[Context], Any]] = {
    **_CAPE_FACTS,
    "subtype_open": lambda c: c.subtype is None,
    "subtype": lambda c: c.subtype,
}


def capecitabine_facts(ctx: Context, olaparib_decision: str | None, *, one_case: bool = False) -> Derived:
    """The facts the capecitabine table reads, for one patient (each derived when first read), thresholds included;
    ``olaparib_decision`` is the patient's olaparib decision (a variant that decides reads its own). ``one_case``:
    an undecided subtype is left to decide_if_immaterial (the subtype rule matches it), as one case resolves it."""
    if one_case:  # the subtype is the patient's own wherever it is read: so is the olaparib decision
        return Derived(ctx, _CAPE_CASE_FACTS, {**_cape_thresholds(), "olaparib": olaparib_decision})

    def olaparib_of(c: Context) -> str | None:
        decider = _cape_decider(c)
        return olaparib_decision if decider is c else _olaparib_value(decider)

    return Derived(ctx, {**_CAPE_FACTS, "olaparib": olaparib_of}, _cape_thresholds())


def capecitabine_columns(contexts: Sequence[Context], olaparib_decisions: Sequence[str | None]) -> dict[str, Any]:
    """The same facts for a batch of patients, one numpy column per fact, given their olaparib decisions."""
    return stack([capecitabine_facts(ctx, decision).complete()
                  for ctx, decision in zip(contexts, olaparib_decisions, strict=True)], constants=_cape_thresholds())


@cache  # a pure function of the rule set
def _cape_thresholds() -> dict[str, float]:
    d = rules().safety.drugs
    return {"capecitabine_contraindicated_below_ml_min": float(d.capecitabine_contraindicated_below_ml_min)}


#: The parameters of the capecitabine texts, derived for the matched rule of one patient when its text reads them.
_CAPE_PARAMETERS: dict[str, Callable[[Context], Any]] = {
    "egfr": lambda c: c.conditions.egfr_ml_min,
    "renal_limit": lambda c: rules().safety.drugs.capecitabine_contraindicated_below_ml_min,
    "fitness": lambda c: fitness(c).words,
}


def _capecitabine_decision(ctx: Context, board: Board, facts: str) -> bool | None:
    """Record the decision; True when the patient checks are already in it (an unknown subtype was immaterial)."""
    key = "capecitabine"
    index = CAPECITABINE.first(capecitabine_facts(ctx, board.decisions.get("olaparib"), one_case=True))
    if index == _CAPE_BY_SUBTYPE:
        # The triple-negative answer reads the olaparib decision, which the unknown subtype also left open:
        # decide olaparib again for each variant first, or the variants would disagree for no reason.
        def with_olaparib(variant: Context, scratch: Board) -> None:
            olaparib(variant, scratch)
            _capecitabine_full(variant, scratch, facts)

        decide_if_immaterial(
            board, key, with_olaparib, subtype_variants(ctx),
            unknown="The receptor subtype",
            fields=receptor_fields(ctx, "capecitabine (CREATE-X) is for HER2-negative disease"))
        return True
    rule = CAPECITABINE.rules[index]
    if rule.decision == INSUFFICIENT_DATA:
        board.unknown(key, dict(rule.missing))
        return None
    if not board.explains:  # a what-if re-run reads the value only
        board.settle_checked(rule.key, rule.decision, rule.rid)  # checked once for the rule (Rule.key)
        return None
    # The rationale is the patient's facts as given (a subtype variant deciding for the patient keeps them). The texts
    # are filled as format_map fills them, by their templates compiled once (Rule.fillers), reading the parameters
    # only when a template has a field.
    fill_text, fill_would_change_if, _ = rule.fillers
    parameters = Derived(ctx, _CAPE_PARAMETERS, {}) if fill_text or fill_would_change_if else {}
    text = rule.text if fill_text is None else fill_text(parameters)
    would_change_if = rule.would_change_if if fill_would_change_if is None else fill_would_change_if(parameters)
    board.record(rule.key, rule.decision, rule.rid, rule.strength, text, facts, list(rule.evidence or ("CREATE-X",)),
                 would_change_if)
    return None


def capecitabine_vulnerable_discusses(ctx: Context, value: str | None) -> bool:
    """Whether a vulnerable patient's active capecitabine becomes 'discuss' (outside CREATE-X's fit population; a
    geriatric assessment first)."""
    return value in ACTIVE and fitness(ctx).level == "vulnerable"


def capecitabine_decide(contexts: Sequence[Context], olaparib_decisions: Sequence[str | None]
                        ) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    """The decision and rule id of every patient as ``capecitabine`` ends it: the table over columns (given the
    patients' olaparib decisions), then the vulnerable-patient rail with the function the one-case path uses."""
    values, ids = CAPECITABINE.decide(capecitabine_columns(contexts, olaparib_decisions))
    values = values.copy()
    for i in np.flatnonzero(np.isin(values, ACTIVE)).tolist():
        if capecitabine_vulnerable_discusses(contexts[i], values[i]):
            values[i] = "discuss"
    return values, ids


def _capecitabine_patient(ctx: Context, board: Board) -> None:
    """DPD deficiency and renal function (labels); frail or vulnerable patients (fitness)."""
    key = "capecitabine"
    if board.decisions.get(key) not in ACTIVE:
        return
    d = rules().safety.drugs
    c = ctx.conditions
    egfr = c.egfr_ml_min
    fit = fitness(ctx)
    notes = []
    if c.dpd_deficiency == "partial":
        notes.append("Partial DPD deficiency: reduced starting dose, titrated to tolerance (EMA/MHRA).")
    elif c.dpd_deficiency is None:
        notes.append("Test for DPD deficiency before starting (EMA/MHRA: phenotype and/or DPYD genotype).")
        board.need("conditions.dpd_deficiency", "DPD status is tested before starting capecitabine (EMA/MHRA)")
    if egfr is not None and egfr < d.capecitabine_reduced_dose_below_ml_min:
        notes.append(f"eGFR {egfr:g} mL/min: 75% of the starting dose (label, creatinine clearance 30-50 mL/min).")
    if notes:
        board.amend(key, note=" ".join(notes), extra_evidence=tuple(CAPECITABINE_EVIDENCE))
    if capecitabine_vulnerable_discusses(ctx, board.decisions.get(key)):
        board.amend(key, value="discuss", strength="weak", extra_evidence=("ASCO-GERIATRIC-2018",),
                    note=f"Patient: {fit.words} - outside trial evidence; discuss after a geriatric assessment.")
