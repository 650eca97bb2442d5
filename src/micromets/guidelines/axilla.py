"""DP-A, the axilla: whether to do a sentinel biopsy, and what to do after a positive sentinel node.

After upfront surgery the trend is de-escalation (IBCSG 23-01, Z0011, AMAROS, SENOMAC); after
neoadjuvant therapy the rule is the opposite: any residual nodal disease, ITC included, means ALND, and a
negative sentinel biopsy in an initially node-positive axilla is trusted only when the mapping was adequate
(>= 3 sentinel nodes or the clipped node retrieved; dual tracer alone does not make 1-2 sentinel nodes adequate:
Z1071, SENTINA, SN FNAC, GANEA 2). A sentinel biopsy that found no node leaves the axilla unstaged: ALND.

Both decisions are first-match decision tables (``SENTINEL_BIOPSY``; ``AXILLARY_SURGERY`` then ``AXILLARY_PROCEDURE``
for nodes reported without their procedure), evaluated for one patient here and over columns by
``sentinel_biopsy_columns``/``SENTINEL_BIOPSY.decide`` and ``axillary_surgery_columns``/``axillary_surgery_decide``.

    >>> from micromets.model import Case, Findings, Staging
    >>> from micromets.guidelines._context import Board, Context
    >>> case = Case(surgery={"breast": "bcs", "status": "done"}, clinical_nodes="cN0",
    ...             nodes={"procedure": "slnb", "examined": 3})
    >>> board = Board()
    >>> axillary_surgery(Context.of(case, Findings(positive_nodes=1, micrometastatic_nodes=1),
    ...                             Staging(t="pT1c", n="pN1mi(sn)", m="cM0")), board)
    >>> board.decisions["axillary_surgery"]
    'omit_alnd'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NotRequired, TypedDict

import numpy as np
from numpy.typing import NDArray

from micromets.guidelines._context import Board, Context, unknown_fields
from micromets.guidelines.radiation import limited_fitness, prior_rt_same_region
from micromets.guidelines.rules import Evaluation, evaluate, rules
from micromets.guidelines.table import (
    DecisionTable,
    Derived,
    Facts,
    Rule,
    always,
    negate,
    one_of,
    render,
    stack,
    unknown,
)
from micromets.model import INSUFFICIENT_DATA, Case
from micromets.staging.categories import n_group


@cache  # a pure function of the rule set
def _morbidity() -> str:
    return "Morbidity: " + "; ".join(f"{m.evidence}: {m.figure}" for m in rules().axilla.morbidity) + "."


@cache  # a pure function of the rule set
def _false_negative_rates() -> str:
    rates = rules().axilla.post_neoadjuvant_mapping.false_negative_rates
    return "False-negative rates after neoadjuvant therapy: " + "; ".join(f"{r.evidence}: {r.figure}"
                                                                           for r in rates) + "."


def _pregnancy_note(ctx: Context) -> str:
    if not ctx.pregnant:
        return ""
    return (" Pregnant: surgery is possible in any trimester (Amant 2012); map with the radioisotope alone (low-dose "
            "99mTc: fetal dose negligible, Gentilini 2004/2010) and avoid blue dye (isosulfan blue anaphylaxis 1.1-1.6% "
            "outside pregnancy; a maternal reaction endangers the fetus). ASCO 2017 kept its advice against sentinel "
            "biopsy in pregnancy (weak, informal consensus) while published series report safe radioisotope-only "
            "mapping: the guidelines disagree, discuss with the patient.")


def _beyond_sentinel_after_neoadjuvant(ctx: Context) -> str | None:
    """Pre-treatment findings for which sentinel biopsy after neoadjuvant therapy is not validated, in words."""
    nst = ctx.case.neoadjuvant_therapy
    if nst is not None and nst.pre_treatment_t_extension == "inflammatory":
        return "Inflammatory cancer (cT4d) before therapy: sentinel biopsy is not reliable in inflammatory cancer"
    if ctx.initial_clinical_n in ("N2", "N3") and not _internal_mammary_only_before(ctx):
        return (f"c{ctx.initial_clinical_n} before therapy: sentinel biopsy after neoadjuvant therapy was validated "
                "in cN1 disease (Z1071 mostly cN1; A011202 and NSABP B-51 enrolled cN1 only)")
    return None


def _internal_mammary_only_before(ctx: Context) -> bool:
    """cN2b before neoadjuvant therapy (or before surgery): clinically detected internal mammary nodes WITHOUT clinically
    evident axillary nodes (AJCC 8). The axilla was clinically node-negative, so its staging is that of a cN0 axilla;
    the exclusion of cN2 from sentinel biopsy after neoadjuvant therapy (Z1071, A011202, NSABP B-51) concerns axillary
    N2 (matted or fixed nodes, cN2a)."""
    case = ctx.case
    if case.neoadjuvant:
        nst = case.neoadjuvant_therapy
        return nst is not None and nst.pre_treatment_clinical_nodes == "cN2b"
    return case.clinical_nodes == "cN2b"


def _initial_axillary_n(ctx: Context) -> str | None:
    """The clinical N of the axilla before therapy: N0 for cN2b (internal mammary nodes only), else the N group."""
    return "N0" if _internal_mammary_only_before(ctx) else ctx.initial_clinical_n


def _axillary_clinical_n(ctx: Context) -> str | None:
    """The clinical N of the axilla now (after neoadjuvant therapy the ycN): N0 for cN2b, else the N group."""
    return "N0" if ctx.case.clinical_nodes == "cN2b" else n_group(ctx.case.clinical_nodes)


def unstaged_after_bcs(ctx: Context) -> bool:
    """Invasive cancer operated by breast-conserving surgery without neoadjuvant therapy, the record saying that no
    axillary operation was done (``nodes.procedure: "none"``): the axilla is unstaged, and its staging is still open -
    a sentinel biopsy remains feasible after a lumpectomy - unless the criteria to omit it hold (SOUND/ASCO 2025, age
    >= 70). Both axillary decisions are then taken as before the operation. (After a mastectomy a later sentinel biopsy
    is not the standard: that record stays 'decided at surgery'.)"""
    nodes = ctx.case.nodes
    return ctx.setting == "upfront" and ctx.breast_surgery == "bcs" and nodes is not None \
        and nodes.procedure == "none" and not ctx.in_situ_only


def unstaged_after_mastectomy(ctx: Context) -> bool:
    """Invasive cancer operated by mastectomy without neoadjuvant therapy, the record saying that no axillary operation
    was done (``nodes.procedure: "none"``): the axilla is unstaged, and a sentinel biopsy after the mastectomy is not
    the standard (the sentinel-biopsy decision stays 'decided at surgery')."""
    nodes = ctx.case.nodes
    surgery = ctx.case.surgery
    return ctx.setting == "upfront" and ctx.breast_surgery == "mastectomy" and surgery is not None \
        and surgery.status == "done" and nodes is not None and nodes.procedure == "none" and not ctx.in_situ_only


def _mapping(ctx: Context) -> tuple[list[str], list[str], list[str]]:
    """The sentinel mapping after neoadjuvant therapy: criteria met, failed, and the fields still unknown (why each
    is needed: ``_MAPPING_FIELDS``)."""
    t = rules().axilla.post_neoadjuvant_mapping
    nodes = ctx.case.nodes
    met: list[str] = []
    failed: list[str] = []
    unknown: list[str] = []
    count = nodes.sentinel_nodes_removed if nodes else None
    examined = nodes.examined if nodes else None
    if count is not None:
        (met if count >= t.min_sentinel_nodes else failed).append(f"{count} sentinel node(s) removed")
    elif nodes is not None and nodes.procedure == "slnb" and examined is not None and examined < t.min_sentinel_nodes:
        # Sentinel nodes are a subset of the nodes examined, so fewer examined means fewer sentinel nodes.
        failed.append(f"at most {examined} sentinel node(s) ({examined} examined)")
    else:
        unknown.append("nodes.sentinel_nodes_removed")
    tracers = nodes.tracers if nodes else None
    if tracers is not None:
        words = f"tracer(s): {', '.join(tracers).replace('_', ' ') or 'none recorded'}"
        if len(tracers) < t.min_tracers:
            failed.append(words)
        elif t.dual_tracer_alone_adequate:
            met.append(words)
        else:  # stated, but 1-2 sentinel nodes stay inadequate with it (Z1071: 31% and 21.1%)
            failed.append(words + " (not enough without >= 3 sentinel nodes or the clipped node)")
    elif t.dual_tracer_alone_adequate:
        unknown.append("nodes.tracers")
    clip = nodes.clipped_node if nodes else None
    if clip == "retrieved":
        met.append("clipped node retrieved")
    elif clip is not None:
        failed.append("clipped node " + clip.replace("_", " "))
    else:
        unknown.append("nodes.clipped_node")
    return met, failed, unknown


def axillary_surgery(ctx: Context, board: Board) -> None:
    """Completion axillary treatment: de-escalate after upfront surgery, ALND for residual disease after NST."""
    _axillary_surgery(ctx, board)
    _prior_rt_note(ctx, board)
    nodes = ctx.case.nodes
    if nodes is not None and nodes.procedure is not None:
        return  # the procedure is named: no rule of AXILLARY_PROCEDURE holds
    key = "axillary_surgery"
    facts = {"procedure_unknown": True, "nodes_examined": nodes is not None and ctx.case.has_nodal_pathology,
             "decision": board.decisions.get(key),
             "deposits_asked": any(m.field == "nodes.deposits" and key in m.decisions for m in board.missing)}
    found = AXILLARY_PROCEDURE.first(facts)
    if found >= 0:
        render(AXILLARY_PROCEDURE.rules[found], ctx, board, say=(), evidence=[], parameters={})


def _prior_rt_note(ctx: Context, board: Board) -> None:
    """After RT to the same region, the RT that an axillary de-escalation relies on (AMAROS axillary RT; the
    whole-breast tangents of Z0011) would be re-irradiation: said where the decision leans on it (the value stands)."""
    if not board.explains or not prior_rt_same_region(ctx):
        return
    rule = board.rule("axillary_surgery")
    if rule is None or not (rule[1] == "axillary_rt_or_alnd" or rule[0] == "surgery.alnd.omit.z0011"):
        return
    board.amend("axillary_surgery", note="Prior radiotherapy to this region: the axillary RT (AMAROS) or whole-breast "
                "tangents (Z0011) this relies on would be re-irradiation - decide with the radiation oncologist "
                "(ESTRO-EORTC 2022); axillary dissection is the option that needs no further RT.",
                extra_evidence=("ESTRO-EORTC-REIRRADIATION-2022",))


@dataclass(frozen=True)
class _Rule(Rule):
    """A rule of these tables, with the patient facts its rationale states in words (``ctx.say``; the rationale is
    ``{facts}`` and what the rule adds)."""

    say: tuple[str, ...] = ()


# A yes/no fact joined with others by ``&`` or ``|`` is compared with 1 (``f["beyond_sentinel"] == 1``, not the bare
# read): a comparison is a boolean, so the compiled one-case function stops at the first part that decides and derives
# no fact the rule then does not need (most patients are not before surgery or after neoadjuvant therapy). Over
# columns the comparison gives the same booleans.


def _post_nst(f: Facts) -> Any:
    return f["setting"] == "post_neoadjuvant"


def _unoperated(f: Facts) -> Any:
    return f["axilla_unoperated"] == 1


def _initially_node_positive(f: Facts) -> Any:
    return negate(one_of(f["initial_clinical_n"], (None, "N0")))


class _Texts(TypedDict):
    """What several rules of a table say alike."""

    text: str
    say: tuple[str, ...]
    rationale: NotRequired[str]
    would_change_if: str


class _Cited(_Texts):
    evidence: tuple[str, ...]


_DCIS = _Cited(
    text="Ductal carcinoma in situ: no axillary dissection (a sentinel biopsy at most, with mastectomy).",
    say=("t", "n", "surgery"), evidence=("ASCO-SLNB-2025", "NCCN-BREAST"),
    would_change_if="invasive carcinoma with nodal metastasis")
#: After neoadjuvant therapy a rationale states the setting and the N, then the nodal status before therapy.
_AFTER_NST = "{facts}{before}"
_SETTING_N = ("setting", "n")
_RESIDUAL = _Cited(
    text="Residual nodal disease after neoadjuvant therapy (ypN0(i+), ypN1mi or more): axillary dissection (NCCN; UK "
         "ABS/RCR 2019: any residual disease, ITC or micrometastasis included). Residual ITC/micrometastases predict "
         "further nodal disease (additional positive nodes in about 17% with ITC and 64% with micrometastases, "
         "MSKCC). Alliance A011202 (axillary and nodal RT instead of ALND for a positive sentinel node after "
         "neoadjuvant chemotherapy) has no published results yet: pending.",
    rationale=_AFTER_NST, say=_SETTING_N,
    evidence=("ASCO-AXILLA-2021", "NCCN-BREAST", "UK-ABS-RCR-2019", "MOO-2018", "ALLIANCE-A011202"),
    would_change_if="no residual nodal disease (ypN0), or Alliance A011202 showing nodal RT to be non-inferior")
_YPN0 = _Cited(
    text="No residual nodal disease after neoadjuvant therapy (ypN0): no axillary dissection; regional nodal RT "
         "according to the nodal status before therapy.",
    rationale=_AFTER_NST, say=_SETTING_N, evidence=("ASCO-AXILLA-2021", "NCCN-BREAST"),
    would_change_if="any residual nodal disease, isolated tumour cells included (then ALND)")
_MAPPING_FIELDS = {
    "nodes.sentinel_nodes_removed": "{min_sentinel_nodes} or more sentinel nodes make a negative sentinel biopsy "
                                    "after neoadjuvant therapy adequate",
    "nodes.tracers": "dual-tracer mapping lowers the false-negative rate of a sentinel biopsy after neoadjuvant "
                     "therapy",
    "nodes.clipped_node": "retrieving the clipped, biopsy-proven node (targeted axillary dissection) makes a negative "
                          "sentinel biopsy after neoadjuvant therapy adequate"}
_MICROMETS: _Texts = {
    "text": "Omit axillary dissection: sentinel node micrometastasis only (pN1mi). IBCSG 23-01: 10-yr DFS 76.8% without "
            "vs 74.9% with ALND; non-sentinel nodes involved in about 13% of the ALND arm. "
            "{mastectomy_note}{many_note}{beyond_note}{morbidity}",
    "say": ("n", "surgery", "t", "cn"),
    "would_change_if": "a macrometastasis (> 2 mm) in a sentinel node, extranodal extension, or a clinically positive "
                       "axilla"}


def _micro(f: Facts) -> Any:
    return f["node_status"] == "micro"


#: Completion axillary treatment (DP-A). Upfront surgery: IBCSG 23-01 and AATRM 048 (micrometastases), ACOSOG Z0011,
#: SENOMAC and POSNOC (1-2 macrometastatic sentinel nodes with BCS), AMAROS/OTOASOR (axillary RT instead of ALND).
#: After neoadjuvant therapy: NCCN, ASCO 2021 and UK ABS/RCR 2019 (any residual nodal disease -> ALND); ACOSOG
#: Z1071, SENTINA, SN FNAC and GANEA 2 for an adequate sentinel mapping. Thresholds are the rule table's
#: (knowledge/guidelines/axilla.json); NaN/None = unknown.
_AXILLA_RULES: tuple[_Rule, ...] = (
    # Before the breast operation, the axilla not yet operated: on the clinical N, decided again on the sentinel result.
    _Rule("surgery.alnd.none_needed.dcis", "none_needed", lambda f: _unoperated(f) & (f["in_situ_only"] == 1),
          reads=("axilla_unoperated", "in_situ_only"), **_DCIS),
    _Rule("surgery.alnd.insufficient.clinical_nodes", INSUFFICIENT_DATA,
          lambda f: _unoperated(f) & unknown(f["clinical_n"]), reads=("axilla_unoperated", "clinical_n"),
          missing={"clinical_nodes": "the clinical nodal status decides the axillary operation"}),
    _Rule("surgery.alnd.none_needed.planned_cn0", "none_needed",
          lambda f: _unoperated(f) & (f["clinical_n"] == "N0"), reads=("axilla_unoperated", "clinical_n"),
          text="Clinically node-negative: no axillary dissection up front; completion treatment is decided on the "
               "sentinel node result.",
          say=("setting", "cn"), evidence=("ASCO-AXILLA-2021", "ASCO-SLNB-2025"),
          would_change_if="a biopsy-proven clinically positive node, or the sentinel node result"),
    _Rule("surgery.alnd.none_needed.planned_internal_mammary_only", "none_needed",
          lambda f: _unoperated(f) & (f["axillary_clinical_n"] == "N0"), reads=("axilla_unoperated", "axillary_clinical_n"),
          text="Internal mammary nodes clinically involved without clinically evident axillary nodes (cN2b, AJCC 8): the "
               "axilla is clinically node-negative - no axillary dissection up front; it is staged by sentinel biopsy "
               "and completion treatment is decided on its result. The internal mammary nodes are treated by regional "
               "nodal RT including the internal mammary chain (NCCN; EORTC 22922); neoadjuvant systemic therapy is "
               "usually given first for this stage.",
          say=("setting", "cn"), evidence=("AJCC-8", "ASCO-AXILLA-2021", "NCCN-BREAST", "EORTC-22922"),
          would_change_if="clinically or biopsy-proven positive axillary nodes (then ALND or neoadjuvant therapy first)"),
    _Rule("surgery.alnd.alnd.planned_cn_positive", "alnd", lambda f: f["axilla_unoperated"],
          reads=("axilla_unoperated", "clinical_n"), strength="moderate",
          text="Clinically node-positive: axillary dissection at surgery, unless neoadjuvant systemic therapy is given "
               "first (preferred for HER2-positive and triple-negative disease; then sentinel biopsy/targeted axillary "
               "dissection if the axilla responds). {morbidity}",
          say=("setting", "cn", "receptors"), evidence=("ASCO-AXILLA-2021", "NCCN-BREAST", "AMAROS"),
          would_change_if="a clinically node-negative axilla (benign node biopsy), or a complete nodal response to "
                          "neoadjuvant therapy"),
    _Rule("surgery.alnd.none_needed.already_done", "none_needed", lambda f: f["axillary_dissection_done"],
          reads=("axillary_dissection_done",), text="Axillary dissection has been done: no further axillary surgery.",
          say=("n",), evidence=("ASCO-AXILLA-2021",), would_change_if="an axillary recurrence"),
    _Rule("surgery.alnd.none_needed.dcis", "none_needed",
          lambda f: f["in_situ_only"] & one_of(f["node_status"], (None, "negative", "not_staged", "itc", "molecular")),
          reads=("in_situ_only", "node_status"), **_DCIS),
    # A sentinel biopsy that found no node (mapping failure) leaves the axilla unstaged, in any setting.
    _Rule("surgery.alnd.alnd.sentinel_not_found", "alnd", lambda f: f["sentinel_not_found"] == 1,
          reads=("sentinel_not_found",), strength="moderate",
          text="No sentinel node found at the sentinel biopsy (mapping failure): the axilla is unstaged - axillary "
               "dissection (levels I-II). Only a patient who met the criteria to omit the sentinel biopsy (SOUND/ASCO "
               "2025, or age >= 70 with HR+/HER2- cN0 disease) may instead be left without axillary surgery; discuss. "
               "{morbidity}",
          say=("setting", "cn", "surgery"), evidence=("ASCO-AXILLA-2021", "NCCN-BREAST", "ASCO-SLNB-2025"),
          would_change_if="a sentinel node found (then its result decides)"),
    # After neoadjuvant therapy: any residual nodal disease, ITC included, means ALND; a negative sentinel biopsy in an
    # initially node-positive axilla is trusted only with an adequate mapping. An RT-PCR-only node (ypN0(mol+)) is
    # ypN0 (AJCC 8; residual nodal disease is histological in NCCN, ASCO 2021 and Alliance A011202).
    _Rule("surgery.alnd.insufficient.residual_nodes", INSUFFICIENT_DATA,
          lambda f: _post_nst(f) & unknown(f["node_status"]), reads=("setting", "node_status"),
          missing={"nodes.deposits": "residual nodal disease after neoadjuvant therapy decides ALND"}),
    _Rule("surgery.alnd.alnd.residual_after_neoadjuvant", "alnd",
          lambda f: _post_nst(f) & one_of(f["node_status"], ("itc", "micro", "macro"))
          & negate(f["internal_mammary_only_after_neoadjuvant"]),
          reads=("setting", "node_status", "internal_mammary_only_after_neoadjuvant"), **_RESIDUAL),
    _Rule("surgery.alnd.alnd.after_neoadjuvant_high_risk", "alnd",
          lambda f: _post_nst(f) & (f["beyond_sentinel"] == 1), reads=("setting", "beyond_sentinel"),
          strength="moderate",
          text="{beyond}: axillary dissection whatever the response (NCCN; ASCO 2021), with the regional nodal RT these "
               "stages receive.", rationale=_AFTER_NST, say=_SETTING_N,
          evidence=("NCCN-BREAST", "ASCO-AXILLA-2021", "ALLIANCE-A011202", "NSABP-B51"),
          would_change_if="cN1 or less before therapy and no inflammatory cancer (then sentinel mapping decides)"),
    # Residual disease in the internal mammary nodes only, the axilla negative: the axilla is read as ypN0 (its
    # mapping decides, below); ALND does not reach the internal mammary chain, which nodal RT treats.
    _Rule("surgery.alnd.none_needed.internal_mammary_only_after_neoadjuvant", "none_needed",
          lambda f: _post_nst(f) & (f["internal_mammary_only_after_neoadjuvant"] == 1)
          & ((f["initial_axillary_n"] == "N0") | ((f["mapping_met"] == 1) & negate(f["clipped_node_missed"]))),
          reads=("setting", "internal_mammary_only_after_neoadjuvant", "initial_axillary_n", "mapping_met",
                 "clipped_node_missed"),
          text="Residual disease after neoadjuvant therapy in the internal mammary nodes only ({imn}); the axillary "
               "sentinel nodes are negative{mapping_words}: no axillary dissection, which does not reach the internal "
               "mammary chain and adds morbidity to a negative axilla (ASCO 2021). The internal mammary nodes are "
               "treated by regional nodal RT including the internal mammary chain (NCCN; EORTC 22922) - see regional "
               "nodal irradiation.",
          rationale=_AFTER_NST, say=_SETTING_N,
          evidence=("AJCC-8", "ASCO-AXILLA-2021", "NCCN-BREAST", "EORTC-22922", "ACOSOG-Z1071"),
          would_change_if="residual disease in an axillary node, ITC included (then ALND), or an inadequate axillary "
                          "sentinel mapping in an initially node-positive axilla (then axillary RT or ALND)"),
    _Rule("surgery.alnd.alnd.unstaged_after_neoadjuvant", "alnd",
          lambda f: _post_nst(f) & (f["node_status"] == "not_staged")
          & negate(one_of(f["initial_axillary_n"], (None, "N0"))),
          reads=("setting", "node_status", "initial_axillary_n"), strength="moderate",
          text="Initially node-positive and no axillary node examined after neoadjuvant therapy: the axilla is "
               "unstaged - axillary dissection (or sentinel biopsy/targeted axillary dissection if still possible).",
          rationale=_AFTER_NST, say=_SETTING_N, evidence=("ASCO-AXILLA-2021", "NCCN-BREAST"),
          would_change_if="an adequate negative sentinel biopsy / targeted axillary dissection"),
    _Rule("surgery.alnd.none_needed.ypn0", "none_needed",
          lambda f: _post_nst(f) & (f["node_status"] == "not_staged"), reads=("setting", "node_status"),
          also_need={"nodes.procedure": "after neoadjuvant therapy the axilla needs surgical staging"}, **_YPN0),
    # What is left after neoadjuvant therapy is ypN0 on examined nodes.
    _Rule("surgery.alnd.none_needed.ypn0", "none_needed",
          lambda f: _post_nst(f) & (f["initial_axillary_n"] == "N0"), reads=("setting", "initial_axillary_n"),
          **_YPN0),
    _Rule("surgery.alnd.none_needed.ypn0_adequate_mapping", "none_needed",
          lambda f: _post_nst(f) & (f["mapping_met"] == 1) & negate(f["clipped_node_missed"]),
          reads=("setting", "mapping_met", "clipped_node_missed"),
          text=_YPN0["text"] + " The mapping was adequate ({mapping_met}): the false-negative rate is about 10% or below "
                               "with >= 3 sentinel nodes or the clipped node retrieved. "
                               "{false_negative_rates}",
          rationale=_AFTER_NST + "; mapping: {mapping}", say=_SETTING_N,
          evidence=("ACOSOG-Z1071", "SENTINA", "SN-FNAC", "GANEA-2", "ASCO-AXILLA-2021", "NCCN-BREAST"),
          would_change_if=_YPN0["would_change_if"]),
    # An unknown nodal status before therapy: the mapping inputs still unknown are asked for too (unless the clipped
    # node was missed, which alone decides); ``render`` leaves out those the case gives.
    _Rule("surgery.alnd.insufficient.pre_treatment_nodes", INSUFFICIENT_DATA,
          lambda f: _post_nst(f) & unknown(f["initial_clinical_n"]), reads=("setting", "initial_clinical_n"),
          missing={"neoadjuvant_therapy.pre_treatment_clinical_nodes":
                   "an initially node-positive axilla needs adequate sentinel mapping before a negative result is "
                   "trusted; cN0 before therapy needs none", **_MAPPING_FIELDS}),
    _Rule("surgery.alnd.insufficient.mapping", INSUFFICIENT_DATA,
          lambda f: _post_nst(f) & (f["mapping_unknown"] == 1) & negate(f["clipped_node_missed"]),
          reads=("setting", "mapping_unknown", "clipped_node_missed"), missing=_MAPPING_FIELDS),
    _Rule("surgery.alnd.rt_or_alnd.inadequate_mapping_after_neoadjuvant", "axillary_rt_or_alnd", _post_nst,
          reads=("setting", "mapping_met", "clipped_node_missed"), strength="moderate",
          text="Initially node-positive, ypN0 on sentinel biopsy alone, but {inadequate}: the undissected axilla may hold "
               "missed disease. Axillary RT (levels I-III with the regional nodes) or axillary dissection: RT treats it "
               "without dissection morbidity (UK ABS/RCR 2019 offers axillary RT after a nodal complete response), ALND "
               "gives the certainty. {false_negative_rates} {morbidity}",
          rationale=_AFTER_NST + "; mapping: {mapping}", say=_SETTING_N,
          evidence=("ACOSOG-Z1071", "SENTINA", "SN-FNAC", "GANEA-2", "ASCO-AXILLA-2021", "UK-ABS-RCR-2019",
                    "NCCN-BREAST", "AMAROS"),
          would_change_if=">= 3 sentinel nodes or the clipped node retrieved (then no further "
                          "axillary surgery); residual nodal disease (then ALND)"),
    # After upfront surgery (or nodes operated before a planned breast operation): by the sentinel node result.
    _Rule("surgery.alnd.insufficient.nodes", INSUFFICIENT_DATA, lambda f: unknown(f["node_status"]),
          reads=("node_status",),
          missing={"{node_status_field}": "the sentinel node result (ITC, micro- or macrometastasis, and how many "
                                          "nodes) decides completion axillary treatment"}),
    # Nodal disease in the internal mammary nodes only (pN1b, pN2b), the axillary sentinel nodes negative: the axilla
    # is staged negative and needs no further surgery; the internal mammary chain is treated by nodal RT (see RNI).
    _Rule("surgery.alnd.none_needed.internal_mammary_only", "none_needed", lambda f: f["internal_mammary_only"] == 1,
          reads=("internal_mammary_only",),
          text="The axillary sentinel nodes are negative; the nodal disease is in the internal mammary nodes only "
               "({imn}, AJCC 8): no axillary dissection and no axillary RT for the axilla, which a negative sentinel "
               "biopsy stages (ALND after a negative sentinel biopsy adds morbidity without benefit: ASCO 2021). The "
               "involved internal mammary nodes are treated by regional nodal RT including the internal mammary "
               "chain (NCCN; EORTC 22922, DBCG-IMN) - see regional nodal irradiation.",
          say=("n", "cn", "surgery"), evidence=("AJCC-8", "ASCO-AXILLA-2021", "NCCN-BREAST", "EORTC-22922"),
          would_change_if="a positive axillary sentinel node (then by its result), or supraclavicular or "
                          "infraclavicular nodes"),
    # An invasive cancer operated by mastectomy without neoadjuvant therapy and without any axillary operation: the
    # axilla is unstaged and a later sentinel biopsy is not the standard after a mastectomy (the sentinel-biopsy
    # decision is closed at surgery). Unless the criteria to omit axillary staging hold (age >= 70 HR+/HER2- cN0:
    # SSO Choosing Wisely, ASCO 2021/2025), 'no further axillary surgery' would leave an unstaged axilla untreated:
    # axillary dissection (which stages it) or axillary RT, as after a failed sentinel mapping.
    # The criteria to omit staging still possible but not decided (e.g. 74 years, ER unknown): they decide between no
    # further axillary treatment and ALND/axillary RT, so their unknown inputs are named (see _axillary_surgery).
    _Rule("surgery.alnd.insufficient.unstaged_omission_criteria", INSUFFICIENT_DATA,
          lambda f: f["unstaged_omission_open"] == 1, reads=("unstaged_omission_open",)),
    _Rule("surgery.alnd.rt_or_alnd.unstaged_after_mastectomy", "axillary_rt_or_alnd",
          lambda f: f["unstaged_after_mastectomy"] == 1, reads=("unstaged_after_mastectomy",), strength="moderate",
          text="The axilla was not staged at the mastectomy and the criteria to omit axillary staging (age >= 70 with "
               "HR-positive/HER2-negative cN0 disease) are not met: the nodal status is unknown, and it decides adjuvant "
               "systemic therapy and post-mastectomy/nodal RT. A sentinel biopsy after a mastectomy is not the "
               "standard: axillary dissection (levels I-II), which stages the axilla, or axillary RT (levels I-III, "
               "AMAROS) if the nodal result would not change systemic therapy. {morbidity}",
          say=("setting", "cn", "surgery"),
          evidence=("ASCO-AXILLA-2021", "NCCN-BREAST", "ASCO-SLNB-2025", "SSO-CHOOSING-WISELY-2016", "AMAROS"),
          would_change_if="the criteria to omit axillary staging met (age >= 70, HR-positive/HER2-negative, cN0)"),
    _Rule("surgery.alnd.none_needed.node_negative", "none_needed",
          lambda f: one_of(f["node_status"], ("negative", "not_staged")), reads=("node_status",),
          text="No further axillary surgery.", say=("n", "cn"), evidence=("ASCO-AXILLA-2021", "NCCN-BREAST"),
          would_change_if="a positive sentinel node or a clinically positive axilla"),
    _Rule("surgery.alnd.none_needed.itc", "none_needed", lambda f: one_of(f["node_status"], ("itc", "molecular")),
          reads=("node_status",),
          text="Isolated tumour cells only (pN0(i+)): no axillary dissection and no axillary RT for the ITC.",
          say=("n", "surgery"), evidence=("ASCO-AXILLA-2021", "NCCN-BREAST", "ESMO-EBC-2024"),
          would_change_if="a deposit > 0.2 mm or > 200 cells (micrometastasis) or clinically involved nodes"),
    _Rule("surgery.alnd.alnd.clinically_node_positive", "alnd", _initially_node_positive, reads=("initial_clinical_n",),
          text="Biopsy-proven clinically node-positive disease treated with upfront surgery: axillary dissection "
               "(axillary RT per AMAROS/OTOASOR in selected cases). {morbidity}",
          say=("cn", "n", "surgery"), evidence=("AMAROS", "OTOASOR", "ASCO-AXILLA-2021", "NCCN-BREAST"),
          would_change_if="a clinically node-negative axilla before surgery (Z0011/AMAROS pathways)"),
    # Sentinel micrometastases (IBCSG 23-01, AATRM 048). An unrecorded neoadjuvant flag is upfront surgery, as everywhere
    # (Context.setting; AJCC 8 staging writes the yp prefix only when neoadjuvant therapy is stated), and a sentinel
    # biopsy at upfront surgery is the staging operation of a clinically node-negative axilla: an unrecorded clinical N
    # is named as missing (the decision holds only for cN0), not a block.
    _Rule("surgery.alnd.rt_or_alnd.micromets_ene", "axillary_rt_or_alnd",
          lambda f: _micro(f) & (f["extranodal_extension"] == 1), reads=("node_status", "extranodal_extension"),
          strength="weak",
          text="Sentinel micrometastasis with extranodal extension: outside IBCSG 23-01 (which excluded extracapsular "
               "extension); axillary RT (AMAROS, 50 Gy/25) or ALND; discuss at the tumour board.",
          say=("n", "surgery"), evidence=("IBCSG-23-01", "AMAROS", "ASCO-AXILLA-2021"),
          would_change_if="no extranodal extension (then omit ALND)"),
    _Rule("surgery.alnd.omit.micromets", "omit_alnd",
          lambda f: _micro(f) & negate(unknown(f["t_group"])) & negate(one_of(f["t_group"], f["ibcsg_23_01_t_groups"])),
          reads=("node_status", "t_group"), strength="moderate",
          evidence=("IBCSG-23-01", "AATRM-048", "ACOSOG-Z0011", "ASCO-AXILLA-2021", "ST-GALLEN-2023", "ESMO-EBC-2024",
                    "AMAROS"), **_MICROMETS),
    _Rule("surgery.alnd.omit.micromets", "omit_alnd",
          lambda f: _micro(f) & ((f["breast_surgery"] == "mastectomy")
                                 | (f["micrometastatic_nodes"] >= f["micrometastases_few_in_trials_min_nodes"])),
          reads=("node_status", "breast_surgery", "micrometastatic_nodes"), strength="moderate",
          evidence=("IBCSG-23-01", "AATRM-048", "ACOSOG-Z0011", "ASCO-AXILLA-2021", "ST-GALLEN-2023", "ESMO-EBC-2024"),
          **_MICROMETS),
    _Rule("surgery.alnd.omit.micromets", "omit_alnd", _micro, reads=("node_status",),
          evidence=("IBCSG-23-01", "AATRM-048", "ACOSOG-Z0011", "ASCO-AXILLA-2021", "ST-GALLEN-2023", "ESMO-EBC-2024"),
          **_MICROMETS),
    # What is left is a sentinel macrometastasis (Z0011, SENOMAC, POSNOC, AMAROS).
    _Rule("surgery.alnd.insufficient.positive_nodes", INSUFFICIENT_DATA, lambda f: unknown(f["positive_nodes"]),
          reads=("positive_nodes",),
          missing={"{node_status_field}": "the number of positive sentinel nodes decides ALND"}),
    _Rule("surgery.alnd.alnd.three_or_more", "alnd", lambda f: f["positive_nodes"] > f["z0011_max_positive_nodes"],
          reads=("positive_nodes",),
          text="{positive} positive sentinel nodes (>= 3): axillary dissection; axillary RT per AMAROS (levels I-III + "
               "medial supraclavicular, 50 Gy/25) is an alternative in selected cases. {morbidity}",
          say=("n", "surgery", "t"), evidence=("AMAROS", "OTOASOR", "ACOSOG-Z0011", "ASCO-AXILLA-2021"),
          would_change_if="1-2 positive sentinel nodes (Z0011/SENOMAC pathways)"),
    _Rule("surgery.alnd.alnd.extranodal_extension", "alnd", lambda f: f["extranodal_extension"] == 1,
          reads=("extranodal_extension",), strength="moderate",
          text="Sentinel macrometastasis with extranodal extension: outside Z0011 (gross ENE excluded); axillary "
               "dissection, or axillary RT per AMAROS. POSNOC allowed ENE: discuss limited microscopic ENE. {morbidity}",
          say=("n", "surgery"), evidence=("ACOSOG-Z0011", "AMAROS", "POSNOC", "ASCO-AXILLA-2021"),
          would_change_if="no extranodal extension"),
    # Regional nodal RT declined where the axilla would otherwise be treated by RT (AMAROS fields) instead of ALND:
    # after mastectomy, or after BCS outside Z0011 (whole-breast RT declined, or a T3 tumour). Axillary RT is nodal RT,
    # which the patient declined: ALND is the remaining axillary treatment (NCCN; AMAROS).
    _Rule("surgery.alnd.alnd.nodal_rt_declined", "alnd",
          lambda f: (f["nodal_rt_declined"] == 1)
          & ((f["breast_surgery"] == "mastectomy")
             | ((f["breast_surgery"] == "bcs") & ((f["whole_breast_rt_declined"] == 1)
                                                  | (negate(unknown(f["t_group"]))
                                                     & negate(one_of(f["t_group"], f["z0011_t_groups"])))))),
          reads=("nodal_rt_declined", "breast_surgery", "whole_breast_rt_declined", "t_group"), strength="moderate",
          text="{positive} macrometastatic sentinel node(s), outside Z0011 ({outside_z0011}), and regional nodal RT "
               "declined: axillary RT (AMAROS fields) is nodal RT, so axillary dissection is the axillary treatment "
               "left (AMAROS: 10-yr axillary recurrence 0.93% with ALND vs 1.82% with axillary RT). {morbidity}",
          say=("n", "surgery", "t"), evidence=("AMAROS", "ACOSOG-Z0011", "ASCO-AXILLA-2021", "NCCN-BREAST"),
          would_change_if="nodal RT accepted (then axillary RT or ALND)"),
    # From here an unreported extranodal extension is named as a condition (see _axillary_surgery).
    # Z0011 gave planned whole-breast (tangential) RT: a patient who declines it is outside the trial; AMAROS treated
    # the undissected axilla with RT instead.
    _Rule("surgery.alnd.rt_or_alnd.whole_breast_rt_declined", "axillary_rt_or_alnd",
          lambda f: (f["breast_surgery"] == "bcs") & f["whole_breast_rt_declined"],
          reads=("breast_surgery", "whole_breast_rt_declined"), strength="moderate",
          text="{positive} macrometastatic sentinel node(s) after breast-conserving surgery, whole-breast RT declined: "
               "outside Z0011, which gave planned whole-breast (tangential) RT to every patient. Axillary RT (AMAROS "
               "fields, 50 Gy/25), if nodal RT is accepted, or ALND. {morbidity}",
          say=("n", "surgery", "t"), evidence=("ACOSOG-Z0011", "AMAROS", "ASCO-AXILLA-2021"),
          would_change_if="whole-breast RT accepted (then the Z0011 pathway: omit ALND)"),
    _Rule("surgery.alnd.omit.z0011", "omit_alnd",
          lambda f: (f["breast_surgery"] == "bcs") & one_of(f["t_group"], f["z0011_t_groups"]),
          reads=("breast_surgery", "t_group"),
          text="Omit axillary dissection: {positive} positive sentinel node(s), cT1-2 cN0, breast-conserving surgery "
               "with whole-breast RT, no extranodal extension (Z0011: 10-yr OS 86.3% vs 83.6%; SENOMAC: 5-yr RFS 89.7% "
               "vs 88.7%). Tangents in Z0011 were often high tangents; consider nodal RT by risk. INSEMA randomisation 2 "
               "(underpowered) is a caution, not a reversal. {morbidity}",
          say=("n", "surgery", "t", "cn"),
          evidence=("ACOSOG-Z0011", "SENOMAC", "POSNOC", "INSEMA-R2", "ASCO-AXILLA-2021", "NCCN-BREAST"),
          would_change_if=">= 3 positive sentinel nodes, extranodal extension, a T3 tumour, mastectomy, or no "
                          "whole-breast RT"),
    _Rule("surgery.alnd.insufficient.tumour_size", INSUFFICIENT_DATA,
          lambda f: (f["breast_surgery"] == "bcs") & unknown(f["t_group"]), reads=("breast_surgery", "t_group"),
          missing={"tumour.size_mm": "Z0011 included cT1-2 tumours only"}),
    _Rule("surgery.alnd.rt_or_alnd.t3", "axillary_rt_or_alnd", lambda f: f["breast_surgery"] == "bcs",
          reads=("breast_surgery", "t_group"), strength="moderate",
          text="1-2 macrometastatic sentinel nodes with a T3 tumour: outside Z0011; SENOMAC (cT1-3, about 90% nodal RT) "
               "supports omitting ALND when nodal RT is given. Options: nodal/axillary RT or ALND. {morbidity}",
          say=("n", "surgery", "t"), evidence=("SENOMAC", "AMAROS", "ASCO-AXILLA-2021"),
          would_change_if="a T1-2 tumour (Z0011 pathway)"),
    _Rule("surgery.alnd.rt_or_alnd.mastectomy", "axillary_rt_or_alnd", lambda f: f["breast_surgery"] == "mastectomy",
          reads=("breast_surgery",), strength="moderate",
          text="{positive} macrometastatic sentinel node(s) after mastectomy: axillary RT (AMAROS fields, 50 Gy/25; "
               "10-yr axillary recurrence 1.82% vs 0.93% with ALND) or ALND. ALND is not required when PMRT including "
               "the regional nodes is planned (ASCO 2025; SENOMAC). {morbidity}",
          say=("n", "surgery", "t"), evidence=("AMAROS", "SENOMAC", "ASCO-SLNB-2025", "POSNOC"),
          would_change_if=">= 3 positive sentinel nodes or extranodal extension (ALND)"),
    _Rule("surgery.alnd.insufficient.surgery", INSUFFICIENT_DATA, always, reads=("breast_surgery",),
          missing={"surgery.breast": "breast-conserving surgery vs mastectomy decides the axillary pathway for sentinel "
                                     "macrometastases"}),
)
AXILLARY_SURGERY = DecisionTable("axillary_surgery", _AXILLA_RULES)

#: The rules of the Z0011/AMAROS pathway that hold only without gross extranodal extension: an unreported one is
#: named as the condition (Z0011 excluded gross ENE; SENOMAC and POSNOC allowed microscopic ENE).
_WITHOUT_GROSS_ENE = frozenset({"surgery.alnd.alnd.nodal_rt_declined", "surgery.alnd.rt_or_alnd.whole_breast_rt_declined",
                                "surgery.alnd.omit.z0011", "surgery.alnd.insufficient.tumour_size",
                                "surgery.alnd.rt_or_alnd.t3", "surgery.alnd.rt_or_alnd.mastectomy",
                                "surgery.alnd.insufficient.surgery"})


def _mapping_of(ctx: Context) -> tuple[list[str], list[str], list[str]]:
    """The sentinel mapping after neoadjuvant therapy (``_mapping``), derived once per patient."""
    return ctx.remembered("axilla_mapping", _mapping)


def _sentinel_not_found(case: Case) -> bool:
    """A sentinel biopsy alone that removed no node: no deposit, and no sentinel node (or no node at all) examined."""
    nodes = case.nodes
    if nodes is None or nodes.procedure != "slnb" or nodes.deposits:
        return False
    count = nodes.sentinel_nodes_removed
    return count == 0 if count is not None else nodes.examined == 0


def internal_mammary_only(ctx: Context) -> bool:
    """Nodal metastasis in the internal mammary nodes only (AJCC 8 pN1b: found at an internal mammary sentinel biopsy;
    pN2b: clinically detected), with the axillary nodes examined and negative (ITC at most), after upfront surgery or
    with the axilla operated before a planned breast surgery. Supraclavicular or infraclavicular nodes stage N3 and
    are not this."""
    return ctx.setting != "post_neoadjuvant" and _internal_mammary_disease_only(ctx)


def _internal_mammary_disease_only(ctx: Context) -> bool:
    """The nodal disease is in the internal mammary nodes only: axillary nodes examined and negative (ITC at most),
    no supraclavicular or infraclavicular node."""
    if ctx.node_status not in ("micro", "macro"):
        return False
    nodes = ctx.case.nodes
    if nodes is None or nodes.internal_mammary not in ("sentinel_microscopic", "clinically_detected") \
            or nodes.supraclavicular or nodes.infraclavicular:
        return False
    if not nodes.examined:  # no axillary node examined: the axilla is not staged negative
        return False
    return ctx.findings.positive_nodes == 0


def internal_mammary_only_after_neoadjuvant(ctx: Context) -> bool:
    """After neoadjuvant therapy, residual disease in the internal mammary nodes only, the axillary nodes examined and
    free of any residual disease (ITC count as residual after neoadjuvant therapy): the axilla is read as ypN0 - its
    sentinel mapping decides - and the internal mammary chain is treated by regional nodal RT (ALND does not reach
    it)."""
    return ctx.setting == "post_neoadjuvant" and _internal_mammary_disease_only(ctx) \
        and not ctx.findings.itc_nodes


def internal_mammary_words(case: Case) -> str:
    """The internal mammary finding in words, with the N category it gives when the axilla is negative (AJCC 8)."""
    imn = case.nodes.internal_mammary if case.nodes else None
    return ("clinically detected internal mammary node(s): pN2b with a negative axilla" if imn == "clinically_detected"
            else "internal mammary sentinel node metastasis: pN1b with a negative axilla")


def _ypn0_examined(ctx: Context) -> bool:
    # The mapping is read only for a negative axilla after neoadjuvant therapy (the table's rules say where): ypN0 (an
    # RT-PCR-only node, ypN0(mol+), included), or residual disease in the internal mammary nodes only.
    return ctx.setting == "post_neoadjuvant" and (ctx.node_status in ("negative", "molecular")
                                                  or internal_mammary_only_after_neoadjuvant(ctx))


def _extranodal_extension(ctx: Context) -> float:
    ene = ctx.extranodal_extension
    return np.nan if ene is None else float(ene)


#: How each fact of the table is derived from the guideline context (NaN/None = unknown); a case derives only those
#: the rules up to its match read.
_AXILLA_FACTS: dict[str, Callable[[Context], Any]] = {
    # Breast surgery planned, the axilla neither dissected nor operated first (or left unstaged at breast-conserving
    # surgery, ``unstaged_after_bcs``): the clinical N decides, provisionally.
    "axilla_unoperated": lambda c: (c.setting == "planned" and not c.axillary_dissection_done
                                    and not c.nodes_operated_first) or unstaged_after_bcs(c),
    "setting": lambda c: c.setting,
    "axillary_dissection_done": lambda c: c.axillary_dissection_done,
    "in_situ_only": lambda c: c.in_situ_only,
    "clinical_n": lambda c: n_group(c.case.clinical_nodes),
    "node_status": lambda c: c.node_status,
    "initial_clinical_n": lambda c: c.initial_clinical_n,
    "initial_axillary_n": _initial_axillary_n,
    "axillary_clinical_n": _axillary_clinical_n,
    "beyond_sentinel": lambda c: _beyond_sentinel_after_neoadjuvant(c) is not None,
    # Nodal disease found elsewhere (supraclavicular, internal mammary) is decided by its own rules.
    "sentinel_not_found": lambda c: c.node_status in (None, "negative", "not_staged") and _sentinel_not_found(c.case),
    "mapping_met": lambda c: _ypn0_examined(c) and bool(_mapping_of(c)[0]),
    "mapping_unknown": lambda c: _ypn0_examined(c) and bool(_mapping_of(c)[2]),
    "clipped_node_missed": lambda c: c.case.nodes is not None and c.case.nodes.clipped_node == "not_retrieved",
    "extranodal_extension": _extranodal_extension,
    "internal_mammary_only": internal_mammary_only,
    "internal_mammary_only_after_neoadjuvant": internal_mammary_only_after_neoadjuvant,
    # An unrecorded count of micrometastatic nodes counts as none, as the rule function read it.
    "micrometastatic_nodes": lambda c: float(c.findings.micrometastatic_nodes or 0),
    "positive_nodes": lambda c: np.nan if c.positive_nodes is None else float(c.positive_nodes),
    "breast_surgery": lambda c: c.breast_surgery,
    "unstaged_after_mastectomy": lambda c: float(unstaged_after_mastectomy(c) and _omission_met(c) is None),
    "unstaged_omission_open": lambda c: float(unstaged_after_mastectomy(c) and _omission_met(c) is None
                                              and any(e.possible for e in _omission_evaluations(c))),
    "whole_breast_rt_declined": lambda c: c.declined("whole_breast_rt"),
    "nodal_rt_declined": lambda c: c.declined("regional_nodal_irradiation"),
    "t_group": lambda c: c.t_group,
    # Read by the procedure check after the table (AXILLARY_PROCEDURE), over columns.
    "procedure_unknown": lambda c: c.case.nodes is None or c.case.nodes.procedure is None,
    "nodes_examined": lambda c: c.case.nodes is not None and c.case.has_nodal_pathology,
    "node_status_field": lambda c: c.node_status_field,
}


@cache  # a pure function of the rule set
def _axilla_thresholds() -> dict[str, Any]:
    t = rules().axilla
    return {"z0011_max_positive_nodes": float(t.z0011_max_positive_nodes), "z0011_t_groups": tuple(t.z0011_t_groups),
            "ibcsg_23_01_t_groups": tuple(t.ibcsg_23_01_t_groups),
            "micrometastases_few_in_trials_min_nodes": float(t.micrometastases_few_in_trials_min_nodes)}


def axillary_surgery_facts(ctx: Context) -> Derived:
    """The facts the axillary-surgery table reads, for one patient (each derived when first read), thresholds
    included."""
    return Derived(ctx, _AXILLA_FACTS, _axilla_thresholds())


def axillary_surgery_columns(contexts: Sequence[Context]) -> dict[str, Any]:
    """The same facts for a batch of patients, one numpy column per fact (the thresholds stay as they are)."""
    return stack([axillary_surgery_facts(ctx).complete() for ctx in contexts], constants=_axilla_thresholds())


def _before_therapy(ctx: Context) -> str:
    nst = ctx.case.neoadjuvant_therapy
    before = f"; before therapy {(nst.pre_treatment_clinical_nodes if nst else None) or 'unknown'}"
    if nst is not None and nst.nodes_biopsy_proven is not None:
        before += ", biopsy-proven" if nst.nodes_biopsy_proven else ", not biopsy-proven"
    return before


def _inadequate(ctx: Context) -> str:
    nodes = ctx.case.nodes
    if nodes is not None and nodes.clipped_node == "not_retrieved":
        return ("the clipped, biopsy-proven node was not retrieved (Z1071: false-negative rate 19.0% when the clipped "
                "node was not among the sentinel nodes)")
    return (f"mapping not adequate ({', '.join(_mapping_of(ctx)[1])}): neither >= 3 sentinel nodes nor the clipped "
            "node retrieved (dual tracer alone leaves the false-negative rate near 20% with 1-2 sentinel nodes)")


def _many_micrometastases(ctx: Context) -> bool:
    return (ctx.findings.micrometastatic_nodes or 0) >= rules().axilla.micrometastases_few_in_trials_min_nodes


def _beyond_ibcsg_23_01(ctx: Context) -> str:
    if ctx.t_group is None or ctx.t_group in rules().axilla.ibcsg_23_01_t_groups:
        return ""
    return (f"{ctx.t_group}: outside IBCSG 23-01 (tumours <= 5 cm); the regional nodal RT that T3-4 with nodal "
            "metastasis receives covers the undissected axilla (AMAROS fields). ")


#: The parameters of the texts, each derived for the matched rule of one patient when its text reads it.
_AXILLA_PARAMETERS: dict[str, Callable[[Context], Any]] = {
    "imn": lambda c: internal_mammary_words(c.case),
    "mapping_words": lambda c: "" if _initial_axillary_n(c) == "N0"
    else f" and their mapping was adequate ({', '.join(_mapping_of(c)[0])})",
    "outside_z0011": lambda c: "mastectomy" if c.breast_surgery == "mastectomy" else "whole-breast RT declined"
    if c.declined("whole_breast_rt") else f"{c.t_group} tumour",
    "morbidity": lambda c: _morbidity(),
    "false_negative_rates": lambda c: _false_negative_rates(),
    "node_status_field": lambda c: c.node_status_field,
    "positive": lambda c: c.positive_nodes,
    "before": _before_therapy,
    "beyond": _beyond_sentinel_after_neoadjuvant,
    "min_sentinel_nodes": lambda c: rules().axilla.post_neoadjuvant_mapping.min_sentinel_nodes,
    "mapping_met": lambda c: ", ".join(_mapping_of(c)[0]),
    "mapping": lambda c: ", ".join(_mapping_of(c)[0] + _mapping_of(c)[1]),
    "inadequate": _inadequate,
    "mastectomy_note": lambda c: "After mastectomy omission is preferred (IBCSG 23-01 included mastectomy, about 9%; "
    "St Gallen 2023 majority; ESMO 2024); some NCCN versions still list ALND or axillary RT as options. "
    if c.breast_surgery == "mastectomy" else "",
    "many_note": lambda c: "Three or more micrometastatic nodes: few such patients were in the trials; discuss. "
    if _many_micrometastases(c) else "",
    "beyond_note": _beyond_ibcsg_23_01,
}


_PROCEDURE_WHY = ("after an axillary dissection no further axillary surgery is needed; after a sentinel biopsy alone the "
                  "nodes decide")

#: Nodes given without the procedure that gave them, read after the table above, on its decision (no rule holding:
#: the decision stands). Nodes were examined and the decision is not "none needed": after an axillary dissection
#: nothing further is done, so the answer for a sentinel biopsy alone is not given as if the operation were known.
#: A nodal result asked for is read with the operation that gave it.
AXILLARY_PROCEDURE = DecisionTable("axillary_surgery", (
    Rule("surgery.alnd.insufficient.procedure", INSUFFICIENT_DATA,
         lambda f: f["procedure_unknown"] & f["nodes_examined"] & (f["decision"] != "none_needed"),
         reads=("procedure_unknown", "nodes_examined", "decision"), missing={"nodes.procedure": _PROCEDURE_WHY}),
    Rule("surgery.alnd.insufficient.procedure_of_deposits", INSUFFICIENT_DATA,
         lambda f: f["procedure_unknown"] & f["deposits_asked"], reads=("procedure_unknown", "deposits_asked"),
         missing={"nodes.procedure": _PROCEDURE_WHY}),
))


def _deposits_asked(matched: NDArray[np.intp], columns: Facts) -> NDArray[np.bool_]:
    """Rows whose matched rule asks for the nodal deposits (its missing fields as ``render`` names them)."""
    asked = np.zeros(len(matched), dtype=np.bool_)
    for i, rule in enumerate(_AXILLA_RULES):
        if "nodes.deposits" in rule.missing:
            asked |= matched == i
        elif "{node_status_field}" in rule.missing:
            asked |= (matched == i) & (columns["node_status_field"] == "nodes.deposits")
    return asked


def axillary_surgery_decide(columns: Facts) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    """The decision and the matched rule id of every row (``axillary_surgery_columns``) as ``axillary_surgery``
    decides one patient: the table, then the procedure check (no text is rendered)."""
    matched = AXILLARY_SURGERY.match(columns)
    decisions = np.array([r.decision for r in _AXILLA_RULES] + [None], dtype=object)[matched]
    ids = np.array([r.rid if r.decision != INSUFFICIENT_DATA else None for r in _AXILLA_RULES] + [None],
                   dtype=object)[matched]
    unnamed = AXILLARY_PROCEDURE.match({"procedure_unknown": columns["procedure_unknown"],
                                        "nodes_examined": columns["nodes_examined"], "decision": decisions,
                                        "deposits_asked": _deposits_asked(matched, columns)})
    asked = unnamed >= 0  # the procedure decides first: insufficient data, no recommendation
    decisions[asked] = INSUFFICIENT_DATA
    ids[asked] = None
    return decisions, ids


def _axillary_surgery(ctx: Context, board: Board) -> None:
    rule = _AXILLA_RULES[AXILLARY_SURGERY.first(axillary_surgery_facts(ctx))]
    known: tuple[str, ...] = ()
    if rule.rid == "surgery.alnd.insufficient.unstaged_omission_criteria":
        # The unknown inputs of every criteria set still possible (a set another one covers is left out).
        possible = [e for e in _omission_evaluations(ctx) if e.possible]
        return board.unknown("axillary_surgery", unknown_fields(*possible, context=ctx, any_of=True))
    if rule.rid in _WITHOUT_GROSS_ENE and ctx.extranodal_extension is None:
        # Gross ENE (matted nodes) is seen at surgery and excluded Z0011; microscopic ENE was allowed in SENOMAC and
        # POSNOC. An unreported ENE therefore does not block the pathway: the condition is stated, not assumed away.
        board.need("nodes.deposits[].extranodal_extension", "Z0011 excluded gross extranodal extension: the "
                   "axillary recommendation holds only if there is none")
        board.warn("Extranodal extension is not reported for the sentinel macrometastasis: the axillary "
                   "recommendation applies only if there is no gross extranodal extension.")
    elif rule.rid in ("surgery.alnd.insufficient.pre_treatment_nodes", "surgery.alnd.insufficient.mapping"):
        # The mapping inputs the case gives are not asked for; once the clipped node was missed, none is.
        unknown_now = [] if ctx.case.nodes is not None and ctx.case.nodes.clipped_node == "not_retrieved" \
            else _mapping_of(ctx)[2]
        known = tuple(name for name in _MAPPING_FIELDS if name not in unknown_now)
    if rule.rid.startswith(_OMIT) and ctx.setting != "post_neoadjuvant" and ctx.initial_clinical_n is None:
        # Named, not a block: the sentinel biopsy at upfront surgery presumes a clinically node-negative axilla.
        board.need("clinical_nodes", "IBCSG 23-01 and Z0011 omit axillary dissection only in a clinically node-negative "
                   "axilla (which a sentinel biopsy at upfront surgery presumes): the recommendation holds for cN0")
    render(rule, ctx, board, say=rule.say, evidence=["ASCO-AXILLA-2021"],
           parameters=rule.parameters(ctx, _AXILLA_PARAMETERS, explains=board.explains), known_inputs=known)


_OMIT = "surgery.alnd.omit."


# --- DP-A1: sentinel biopsy before surgery ----------------------------------------------------------------------------

DCIS_OPERATION_DECIDES = ("for DCIS the planned operation decides: sentinel biopsy with a mastectomy, none with "
                          "breast-conserving surgery")
_SENTINEL_SAY = ("age", "menopause", "t", "grade", "receptors", "cn", "surgery")
_SLNB_RECOMMENDED: _Texts = {
    "text": "Sentinel lymph node biopsy (dual tracer where available) at surgery; no routine cytokeratin IHC on "
            "H&E-negative sentinel nodes.{outside}",
    "rationale": "{facts}; not met: {not_met}{fitness_suffix}", "say": _SENTINEL_SAY,
    "would_change_if": "all SOUND/ASCO 2025 criteria holding (postmenopausal and >= 50, cT <= 2 cm, grade 1-2, "
                       "HR+/HER2-, normal axillary ultrasound, BCS with whole-breast RT), or age >= 70 with cT1 "
                       "HR+/HER2- cN0"}
_SLNB_OMISSION: _Texts = {
    "text": "Sentinel biopsy may be omitted ({criteria}): every criterion holds. Omit it only if the nodal result would "
            "not change systemic therapy or radiotherapy; whole-breast RT is given as in the trials (SOUND, INSEMA) "
            "unless the RT-omission criteria are also met (CALGB 9343 enrolled on clinical node status). SOUND: 5-yr "
            "distant DFS 98.0% without vs 97.7% with SLNB; INSEMA: axillary recurrence 1.0% vs 0.3%, lymphoedema 1.8% "
            "vs 5.7%.{strengthens}{pregnancy_note}",
    "rationale": "{facts}; criteria met: {held}{fitness_suffix}", "say": _SENTINEL_SAY,
    "would_change_if": "any criterion failing: age < 50 or premenopausal, cT > 2 cm, grade 3, HR-negative or "
                       "HER2-positive, a suspicious/undone axillary ultrasound, or mastectomy (SOUND path); age < 70, "
                       "cT > 2 cm, a suspicious axillary ultrasound or endocrine therapy declined (age >= 70 path)"}
_AFTER_THERAPY = _Cited(
    text="Sentinel biopsy after neoadjuvant therapy (cN0 before therapy, or not recorded); any residual nodal disease "
         "(ITC included) means axillary dissection.{pregnancy_note}",
    say=("setting", "cn"),
    evidence=("ASCO-AXILLA-2021", "NCCN-BREAST", "UK-ABS-RCR-2019", "ALLIANCE-A011202"),
    would_change_if="a clinically positive axilla after therapy (then axillary dissection)")
_AFTER_THERAPY_CN_POSITIVE = _Cited(
    text="Sentinel biopsy after neoadjuvant therapy. Initially node-positive, now ycN0: dual tracer, at least 3 "
         "sentinel nodes and retrieval of the clipped node (targeted axillary dissection); a negative result is "
         "trusted only with at least 3 sentinel nodes or the clipped node retrieved (each brings the false-negative "
         "rate to about 10% or below; dual tracer alone does not with 1-2 nodes); any "
         "residual nodal disease (ITC included) means axillary dissection. {false_negative_rates}{pregnancy_note}",
    say=_AFTER_THERAPY["say"],
    evidence=("ASCO-AXILLA-2021", "NCCN-BREAST", "UK-ABS-RCR-2019", "ALLIANCE-A011202", "ACOSOG-Z1071", "SENTINA",
              "SN-FNAC", "GANEA-2"),
    would_change_if=_AFTER_THERAPY["would_change_if"])
_SLNB_PREGNANT: _Texts = {
    "text": "Sentinel lymph node biopsy with the radioisotope alone at surgery; no routine cytokeratin IHC on "
            "H&E-negative sentinel nodes.{outside}{pregnancy_note}",
    "rationale": _SLNB_RECOMMENDED["rationale"] + "; pregnant", "say": _SENTINEL_SAY,
    "would_change_if": _SLNB_RECOMMENDED["would_change_if"]}
_DCIS_OPERATION = {"surgery.breast": DCIS_OPERATION_DECIDES}


def _omission(f: Facts) -> Any:
    """A criteria set for omitting the sentinel biopsy is met (its strength is known)."""
    return negate(unknown(f["omission_strength"]))


#: Sentinel biopsy before surgery (DP-A1). Omission only when every criterion of a set holds: SOUND / ASCO 2025, or
#: age >= 70 with cT1 (ASCO-OH 2021, NCCN, SSO Choosing Wisely) - the sets and their strengths are the rule table's
#: (knowledge/guidelines/slnb_omission.json). DCIS: sentinel biopsy with a mastectomy only (ASCO 2017, NCCN). After
#: neoadjuvant therapy: sentinel biopsy for ycN0 unless cN2-3 or inflammatory before therapy (Z1071, SENTINA, SN FNAC,
#: GANEA 2; A011202 and NSABP B-51 enrolled cN1). NaN/None = unknown.
_SENTINEL_RULES: tuple[_Rule, ...] = (
    # Surgery recorded as done, the operation not: it matters only for an invasive cancer whose record says no axillary
    # operation was done without neoadjuvant therapy (breast-conserving surgery leaves staging open, any other
    # operation closes it); otherwise every operation gives 'not applicable'.
    _Rule("surgery.slnb.insufficient.operation_done", INSUFFICIENT_DATA,
          lambda f: (f["setting"] == "planned") & (f["surgery_done"] == 1) & unknown(f["breast_surgery"])
          & (f["no_axillary_procedure"] == 1) & negate(f["neoadjuvant"]) & negate(f["in_situ_only"]),
          reads=("setting", "surgery_done", "breast_surgery", "no_axillary_procedure", "neoadjuvant", "in_situ_only"),
          missing={"surgery.breast": "surgery is recorded as done without an axillary operation: after "
                                     "breast-conserving surgery axillary staging is still open, after any other "
                                     "operation it is not"}),
    # Nodes already examined (an axillary procedure before the breast operation, e.g. before a mastectomy with
    # reconstruction): staging is done whatever the breast surgery still to come. An axilla left unstaged at
    # breast-conserving surgery is decided as before the operation (below).
    _Rule("surgery.slnb.not_applicable.surgery_done", "not_applicable",
          lambda f: ((f["setting"] != "planned") | (f["has_nodal_pathology"] == 1)
                     | ((f["surgery_done"] == 1) & unknown(f["breast_surgery"])))
          & negate(f["unstaged_after_bcs"]),
          reads=("setting", "has_nodal_pathology", "surgery_done", "breast_surgery", "unstaged_after_bcs"),
          text="Axillary staging has already been done or decided at surgery.", say=("setting", "n"),
          evidence=("ASCO-SLNB-2025",), would_change_if="only a new, not yet operated cancer would reopen this decision"),
    _Rule("surgery.slnb.not_applicable.no_breast_surgery", "not_applicable", lambda f: f["breast_surgery"] == "none",
          reads=("breast_surgery",),
          text="No breast surgery (e.g. primary endocrine therapy for a patient unfit for or declining surgery): no "
               "sentinel biopsy; the axilla is followed clinically and by ultrasound.",
          say=("surgery", "cn", "age"), evidence=("ASCO-SLNB-2025",), would_change_if="breast surgery planned"),
    # After neoadjuvant therapy, on the clinical N after it and the stage before it.
    _Rule("surgery.slnb.insufficient.nodes_after_therapy", INSUFFICIENT_DATA,
          lambda f: f["neoadjuvant"] & unknown(f["clinical_n"]), reads=("neoadjuvant", "clinical_n"),
          missing={"clinical_nodes": "the clinical nodal status after neoadjuvant therapy decides between sentinel "
                                     "biopsy and axillary dissection"}),
    _Rule("surgery.slnb.not_applicable.persistent_nodes", "not_applicable",
          lambda f: f["neoadjuvant"] & (f["axillary_clinical_n"] != "N0"), reads=("neoadjuvant", "axillary_clinical_n"),
          text="Clinically node-positive after neoadjuvant therapy: axillary dissection, not sentinel biopsy.",
          say=("setting", "cn"), evidence=("ASCO-AXILLA-2021", "NCCN-BREAST"),
          would_change_if="a clinically node-negative axilla after neoadjuvant therapy (ycN0)"),
    _Rule("surgery.slnb.not_applicable.after_neoadjuvant_high_risk", "not_applicable",
          lambda f: f["neoadjuvant"] & f["beyond_sentinel"], reads=("neoadjuvant", "beyond_sentinel"),
          strength="moderate",
          text="{beyond}: axillary dissection, not sentinel biopsy, after neoadjuvant therapy whatever the response.",
          say=("setting", "cn"),
          evidence=("NCCN-BREAST", "ASCO-AXILLA-2021", "ALLIANCE-A011202", "NSABP-B51"),
          would_change_if="cN1 or less before therapy and no inflammatory cancer"),
    _Rule("surgery.slnb.recommended.after_neoadjuvant", "recommended",
          lambda f: f["neoadjuvant"] & negate(one_of(f["initial_axillary_n"], (None, "N0"))),
          reads=("neoadjuvant", "initial_axillary_n"), **_AFTER_THERAPY_CN_POSITIVE),
    _Rule("surgery.slnb.recommended.after_neoadjuvant", "recommended", lambda f: f["neoadjuvant"],
          reads=("neoadjuvant", "initial_axillary_n"), **_AFTER_THERAPY),
    # Ductal carcinoma in situ: the planned operation decides.
    _Rule("surgery.slnb.recommended.dcis_mastectomy", "recommended",
          lambda f: f["in_situ_only"] & (f["breast_surgery"] == "mastectomy"), reads=("in_situ_only", "breast_surgery"),
          strength="moderate",
          text="Ductal carcinoma in situ treated by mastectomy: sentinel biopsy at the mastectomy, because an occult "
               "invasive cancer found in the specimen could no longer be staged by sentinel biopsy afterwards.",
          say=("t", "surgery"), evidence=("ASCO-SLNB-2017", "NCCN-BREAST"),
          would_change_if="breast-conserving surgery (then no sentinel biopsy for DCIS)"),
    _Rule("surgery.slnb.not_applicable.dcis", "not_applicable",
          lambda f: f["in_situ_only"] & (f["breast_surgery"] == "bcs"), reads=("in_situ_only", "breast_surgery"),
          strength="moderate",
          text="Ductal carcinoma in situ only with breast-conserving surgery: no sentinel biopsy (it stays possible "
               "later if invasion is found).",
          say=("t", "surgery"), evidence=("ASCO-SLNB-2025",),
          would_change_if="invasive carcinoma on the core biopsy, or mastectomy"),
    # What is left of DCIS has the operation unknown.
    _Rule("surgery.slnb.insufficient.clinical_nodes_dcis", INSUFFICIENT_DATA,
          lambda f: f["in_situ_only"] & unknown(f["clinical_n"]), reads=("in_situ_only", "clinical_n"),
          missing={"clinical_nodes": "the clinical nodal status (examination and axillary ultrasound) decides whether "
                                     "a sentinel biopsy is the right axillary procedure", **_DCIS_OPERATION}),
    _Rule("surgery.slnb.insufficient.clinical_nodes", INSUFFICIENT_DATA, lambda f: unknown(f["clinical_n"]),
          reads=("clinical_n",),
          missing={"clinical_nodes": "the clinical nodal status (examination and axillary ultrasound) decides whether "
                                     "a sentinel biopsy is the right axillary procedure"}),
    _Rule("surgery.slnb.not_applicable.clinically_node_positive", "not_applicable",
          lambda f: f["axillary_clinical_n"] != "N0", reads=("axillary_clinical_n",),
          text="Clinically node-positive: a sentinel biopsy is not the staging procedure. Biopsy-proven nodes call for "
               "axillary dissection at upfront surgery, or neoadjuvant systemic therapy first (preferred for "
               "HER2-positive and triple-negative disease), then sentinel biopsy/targeted axillary dissection.",
          say=("cn", "receptors"), evidence=("ASCO-AXILLA-2021", "NCCN-BREAST"),
          would_change_if="a clinically node-negative axilla (cN0), e.g. a benign core biopsy of the suspicious node"),
    _Rule("surgery.slnb.insufficient.dcis_operation", INSUFFICIENT_DATA, lambda f: f["in_situ_only"],
          reads=("in_situ_only",), missing=_DCIS_OPERATION),
    # Invasive, cN0: the omission criteria sets, in order (the first met decides; its evidence is the case's).
    _Rule("surgery.slnb.omission_possible", "omission_possible",
          lambda f: (_omission(f) & f["limited_fitness"]) | (f["omission_strength"] == "strong"),
          reads=("omission_strength", "limited_fitness"), **_SLNB_OMISSION),
    _Rule("surgery.slnb.omission_possible", "omission_possible", lambda f: f["omission_strength"] == "moderate",
          reads=("omission_strength",), strength="moderate", **_SLNB_OMISSION),
    _Rule("surgery.slnb.omission_possible", "omission_possible", lambda f: f["omission_strength"] == "weak",
          reads=("omission_strength",), strength="weak", **_SLNB_OMISSION),
    # A criteria set not yet decided: its unknown inputs are named (see _sentinel_biopsy).
    _Rule("surgery.slnb.insufficient.omission_criteria", INSUFFICIENT_DATA, lambda f: f["omission_open"],
          reads=("omission_open",)),
    _Rule("surgery.slnb.recommended.unstaged_after_surgery", "recommended", lambda f: f["unstaged_after_bcs"],
          reads=("unstaged_after_bcs",),
          text="The axilla was not staged at the breast-conserving operation and the criteria to omit staging are not "
               "met: sentinel lymph node biopsy as a separate operation (feasible after a lumpectomy; dual tracer where "
               "available). The nodal result decides adjuvant systemic therapy, regional RT and completion axillary "
               "treatment.{outside}{pregnancy_note}",
          rationale=_SLNB_RECOMMENDED["rationale"], say=_SENTINEL_SAY,
          evidence=("ASCO-SLNB-2025", "SOUND", "NCCN-BREAST", "ASCO-AXILLA-2021"),
          would_change_if=_SLNB_RECOMMENDED["would_change_if"]),
    _Rule("surgery.slnb.recommended", "recommended", lambda f: f["pregnant"], reads=("pregnant",), strength="weak",
          evidence=("ASCO-SLNB-2025", "SOUND", "NCCN-BREAST", "AMANT-2012", "GENTILINI-SLNB-PREGNANCY", "ASCO-SLNB-2017",
                    "BLUE-DYE-ANAPHYLAXIS"), **_SLNB_PREGNANT),
    _Rule("surgery.slnb.recommended", "recommended", lambda f: f["limited_fitness"], reads=("limited_fitness",),
          strength="moderate", evidence=("ASCO-SLNB-2025", "SOUND", "NCCN-BREAST"), **_SLNB_RECOMMENDED),
    _Rule("surgery.slnb.recommended", "recommended", always, reads=(),
          evidence=("ASCO-SLNB-2025", "SOUND", "NCCN-BREAST"), **_SLNB_RECOMMENDED),
)
SENTINEL_BIOPSY = DecisionTable("sentinel_biopsy", _SENTINEL_RULES)


def _omission_evaluations(ctx: Context) -> list[Evaluation]:
    """Each omission criteria set evaluated for the patient, in the rule table's order, derived once per patient."""
    return ctx.remembered("slnb_omission", _evaluate_omission)


def _evaluate_omission(ctx: Context) -> list[Evaluation]:
    facts = ctx.facts()  # a new dict: changed here only
    if facts["subtype"] is None and ctx.findings.er == "negative" and ctx.findings.pr == "negative":
        # ER- and PR-: HR+/HER2- is already excluded whatever the pending HER2 result.
        facts["subtype"] = "hormone_receptor_negative"
    return [evaluate(s, facts) for s in rules().slnb_omission.criteria_sets]


def _omission_met(ctx: Context) -> Evaluation | None:
    return next((e for e in _omission_evaluations(ctx) if e.met), None)


def _fitness(ctx: Context) -> list[str]:
    return ctx.remembered("limited_fitness", limited_fitness)


def _omission_strength(ctx: Context) -> str | None:
    met = _omission_met(ctx)
    return None if met is None else met.criteria.strength


#: How each fact of the sentinel-biopsy table is derived (NaN/None = unknown); the criteria sets and the fitness
#: markers are evaluated only for a patient whose match reads them.
_SENTINEL_FACTS: dict[str, Callable[[Context], Any]] = {
    "setting": lambda c: c.setting,
    "surgery_done": lambda c: c.case.surgery is not None and c.case.surgery.status == "done",
    "no_axillary_procedure": lambda c: c.case.nodes is not None and c.case.nodes.procedure == "none",
    "unstaged_after_bcs": unstaged_after_bcs,
    "breast_surgery": lambda c: c.breast_surgery,
    "has_nodal_pathology": lambda c: c.case.has_nodal_pathology,
    "neoadjuvant": lambda c: bool(c.case.neoadjuvant),
    "in_situ_only": lambda c: c.in_situ_only,
    "clinical_n": lambda c: n_group(c.case.clinical_nodes),
    "initial_clinical_n": lambda c: c.initial_clinical_n,
    "initial_axillary_n": _initial_axillary_n,
    "axillary_clinical_n": _axillary_clinical_n,
    "beyond_sentinel": lambda c: _beyond_sentinel_after_neoadjuvant(c) is not None,
    "omission_strength": _omission_strength,
    "omission_open": lambda c: _omission_met(c) is None and any(e.possible for e in _omission_evaluations(c)),
    "limited_fitness": lambda c: bool(_fitness(c)),
    "pregnant": lambda c: bool(c.pregnant),
}


def sentinel_biopsy_facts(ctx: Context) -> Derived:
    """The facts the sentinel-biopsy table reads, for one patient (each derived when first read)."""
    return Derived(ctx, _SENTINEL_FACTS, {})


def sentinel_biopsy_columns(contexts: Sequence[Context]) -> dict[str, Any]:
    """The same facts for a batch of patients, one numpy column per fact."""
    return stack([sentinel_biopsy_facts(ctx).complete() for ctx in contexts], constants={})


def _fitness_suffix(ctx: Context) -> str:
    fitness = _fitness(ctx)
    return f"; {', '.join(fitness)}" if fitness else ""


def _strengthens(ctx: Context) -> str:
    fitness = _fitness(ctx)
    return (f" Limited fitness ({', '.join(fitness)}) strengthens the omission: the nodal result would rarely change "
            "treatment, and competing mortality dominates." if fitness else "")


def _outside(ctx: Context) -> str:
    fitness = _fitness(ctx)
    return (f" Limited fitness ({', '.join(fitness)}) but the omission criteria are not met: omitting the sentinel "
            "biopsy for that reason alone is outside trial evidence - discuss." if fitness else "")


def _held(ctx: Context) -> str:
    met = _omission_met(ctx)
    return ", ".join(met.held()) if met else ""


#: The parameters of the sentinel-biopsy texts, each derived for the matched rule when its text reads it.
_SENTINEL_PARAMETERS: dict[str, Callable[[Context], Any]] = {
    "beyond": _beyond_sentinel_after_neoadjuvant,
    "false_negative_rates": lambda c: _false_negative_rates(),
    "pregnancy_note": _pregnancy_note,
    "criteria": lambda c: met.criteria.name if (met := _omission_met(c)) else "",
    "held": _held,
    "fitness_suffix": _fitness_suffix,
    "strengthens": _strengthens,
    "outside": _outside,
    "not_met": lambda c: "; ".join(f"{e.criteria.name}: {', '.join(k.label for k in e.failed)}"
                                   for e in _omission_evaluations(c)),
}


def sentinel_biopsy(ctx: Context, board: Board) -> None:
    """Sentinel biopsy before surgery: omission only when every SOUND/ASCO 2025 criterion holds (or age >= 70)."""
    rule = _SENTINEL_RULES[SENTINEL_BIOPSY.first(sentinel_biopsy_facts(ctx))]
    evidence: list[str] = []
    if rule.rid == "surgery.slnb.insufficient.omission_criteria":
        # The unknown inputs of every criteria set still possible (a set another one covers is left out).
        possible = [e for e in _omission_evaluations(ctx) if e.possible]
        return board.unknown("sentinel_biopsy", unknown_fields(*possible, context=ctx, any_of=True))
    if rule.rid == "surgery.slnb.omission_possible" and board.explains:  # evidence: not read on a board of values
        met = _omission_met(ctx)
        evidence = list(dict.fromkeys([*met.criteria.evidence, "INSEMA"])) if met else []
    elif rule.rid == "surgery.slnb.recommended" and board.explains and ctx.case.axillary_ultrasound == "not_done" \
            and all(c.fact == "axillary_ultrasound" for c in _omission_evaluations(ctx)[0].failed):
        # SOUND (the first set) failed on the ultrasound alone: it is worth doing before surgery (advice, which a
        # board of values does not keep).
        board.advise("diagnostics.axillary_ultrasound.order", "order", strength="moderate",
                     text="Axillary ultrasound: if it is normal, sentinel biopsy may be omitted (SOUND/ASCO 2025); "
                          "a suspicious node needs a US-guided core biopsy or FNA before surgery.",
                     rationale=ctx.say("age", "menopause", "t", "grade", "receptors") + "; axillary ultrasound not done",
                     evidence=["ASCO-SLNB-2025", "SOUND"], would_change_if="a criterion other than the ultrasound failing")
    render(rule, ctx, board, say=rule.say, evidence=evidence,
           parameters=rule.parameters(ctx, _SENTINEL_PARAMETERS, explains=board.explains))
