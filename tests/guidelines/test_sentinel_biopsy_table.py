"""The sentinel biopsy before surgery (DP-A1, ``sentinel_biopsy``) as a first-match decision table equals the rule
function it replaced.

The rule: omit the sentinel biopsy only when every criterion of a set holds - SOUND / ASCO 2025 (postmenopausal and
>= 50, cT <= 2 cm, grade 1-2, HR+/HER2-, normal axillary ultrasound, BCS with whole-breast RT) or age >= 70 with cT1
HR+/HER2- cN0 (ASCO-OH 2021, NCCN, SSO Choosing Wisely); limited fitness strengthens an omission, never creates one.
Clinically node-positive: not the staging procedure (ASCO 2021, NCCN). DCIS: sentinel biopsy with a mastectomy only
(ASCO 2017, NCCN). After neoadjuvant therapy: sentinel biopsy for ycN0, not after cN2-3 or inflammatory cancer (Z1071,
SENTINA, SN FNAC, GANEA 2; A011202 and NSABP B-51 enrolled cN1). Pregnancy: radioisotope alone (Gentilini; ASCO 2017).

The oracle is ``axilla.sentinel_biopsy`` with ``_dcis_sentinel``, ``_after_neoadjuvant``, ``_pregnancy_note``,
``_beyond_sentinel_after_neoadjuvant`` and ``_false_negative_rates`` as they were at commit d830a40, frozen below
(amended on branch axilla-staging: the advice after neoadjuvant therapy no longer says that dual tracer alone makes
1-2 negative sentinel nodes adequate - ACOSOG Z1071 31% and 21.1%, SENTINA 24.3% and 18.5% false-negative rates;
the criteria sets, read from the rule table, now also ask for a non-suspicious ultrasound and a woman at >= 70 and for
whole-breast RT on the SOUND path; amended on branch local-patient: at >= 70 only a recorded suspicious ultrasound
counts, an unrecorded one is not asked for - the rule table's criterion, and the would-change-if words).
Patients drawn by the property tests' strategy, with the settings the decision reads varied in turn (surgery planned,
the breast operation, the clinical N, the axillary ultrasound and age, neoadjuvant therapy and the stage before it),
plus worked cases for the rarest rules, are compared case by case (the whole board: decisions, recommendations,
missing inputs) and, for the decision and the rule id, column-wise.
"""

from __future__ import annotations

from collections import Counter
from itertools import cycle
from typing import Any

import numpy as np
import pytest
from tests.properties._strategies import drawn_case_dicts

from micromets.errors import MicrometsError
from micromets.guidelines._context import Board, Context, unknown_fields
from micromets.guidelines.axilla import (
    SENTINEL_BIOPSY,
    sentinel_biopsy,
    sentinel_biopsy_columns,
    sentinel_biopsy_facts,
)
from micromets.guidelines.radiation import limited_fitness
from micromets.guidelines.rules import evaluate, rules
from micromets.model import parse_case
from micromets.pathology import classify
from micromets.staging import stage

# --- the oracle: axilla.py at commit d830a40, frozen ----------------------------------------------------------------

def _frozen_false_negative_rates() -> str:
    rates = rules().axilla.post_neoadjuvant_mapping.false_negative_rates
    return "False-negative rates after neoadjuvant therapy: " + "; ".join(f"{r.evidence}: {r.figure}"
                                                                           for r in rates) + "."

def _frozen_pregnancy_note(ctx: Context) -> str:
    if not ctx.pregnant:
        return ""
    return (" Pregnant: surgery is possible in any trimester (Amant 2012); map with the radioisotope alone (low-dose "
            "99mTc: fetal dose negligible, Gentilini 2004/2010) and avoid blue dye (isosulfan blue anaphylaxis 1.1-1.6% "
            "outside pregnancy; a maternal reaction endangers the fetus). ASCO 2017 kept its advice against sentinel "
            "biopsy in pregnancy (weak, informal consensus) while published series report safe radioisotope-only "
            "mapping: the guidelines disagree, discuss with the patient.")


def _frozen_sentinel_biopsy(ctx: Context, board: Board) -> None:
    """Sentinel biopsy before surgery: omission only when every SOUND/ASCO 2025 criterion holds (or age >= 70)."""
    key = "sentinel_biopsy"
    surgery = ctx.case.surgery
    nodes = ctx.case.nodes
    no_procedure = nodes is not None and nodes.procedure == "none"
    # amended (axilla-adequacy, 2026-12-02): an invasive cancer left unstaged at breast-conserving surgery (no
    # neoadjuvant therapy, no axillary operation recorded) is decided as before the operation; the operation, when
    # unrecorded, is asked for only where it decides that (any other operation closes staging).
    unstaged = ctx.setting == "upfront" and ctx.breast_surgery == "bcs" and no_procedure and not ctx.in_situ_only
    done_unknown = surgery is not None and surgery.status == "done" and surgery.breast is None
    if ctx.setting == "planned" and done_unknown and no_procedure and not ctx.case.neoadjuvant \
            and not ctx.in_situ_only:
        return board.unknown(key, {"surgery.breast": "surgery is recorded as done without an axillary operation: "
                                                     "after breast-conserving surgery axillary staging is still "
                                                     "open, after any other operation it is not"})
    if (ctx.setting != "planned" or ctx.case.has_nodal_pathology or done_unknown) and not unstaged:
        # Nodes already examined (an axillary procedure before the breast operation, e.g. before a mastectomy with
        # reconstruction): staging is done whatever the breast surgery still to come.
        return board.decide(key, "not_applicable", rid="surgery.slnb.not_applicable.surgery_done", strength="strong",
                            text="Axillary staging has already been done or decided at surgery.",
                            rationale=ctx.say("setting", "n"), evidence=["ASCO-SLNB-2025"],
                            would_change_if="only a new, not yet operated cancer would reopen this decision")
    if ctx.breast_surgery == "none":
        return board.decide(
            key, "not_applicable", rid="surgery.slnb.not_applicable.no_breast_surgery", strength="strong",
            text="No breast surgery (e.g. primary endocrine therapy for a patient unfit for or declining surgery): "
                 "no sentinel biopsy; the axilla is followed clinically and by ultrasound.",
            rationale=ctx.say("surgery", "cn", "age"), evidence=["ASCO-SLNB-2025"],
            would_change_if="breast surgery planned")
    if ctx.case.neoadjuvant:
        return _frozen_after_neoadjuvant(ctx, board)
    if ctx.in_situ_only and ctx.breast_surgery in ("bcs", "mastectomy"):
        return _frozen_dcis_sentinel(ctx, board)
    cn = ctx.facts()["clinical_n"]
    if cn is None:
        needed = {"clinical_nodes": "the clinical nodal status (examination and axillary ultrasound) decides whether "
                                    "a sentinel biopsy is the right axillary procedure"}
        if ctx.in_situ_only and ctx.breast_surgery is None:
            needed["surgery.breast"] = _FROZEN_DCIS_OPERATION_DECIDES
        return board.unknown(key, needed)
    if cn != "N0" and ctx.case.clinical_nodes != "cN2b":  # amended (axilla-adequacy): cN2b = axilla clinically N0
        return board.decide(
            key, "not_applicable", rid="surgery.slnb.not_applicable.clinically_node_positive", strength="strong",
            text="Clinically node-positive: a sentinel biopsy is not the staging procedure. Biopsy-proven nodes call "
                 "for axillary dissection at upfront surgery, or neoadjuvant systemic therapy first (preferred for "
                 "HER2-positive and triple-negative disease), then sentinel biopsy/targeted axillary dissection.",
            rationale=ctx.say("cn", "receptors"), evidence=["ASCO-AXILLA-2021", "NCCN-BREAST"],
            would_change_if="a clinically node-negative axilla (cN0), e.g. a benign core biopsy of the suspicious node")
    if ctx.in_situ_only:
        return _frozen_dcis_sentinel(ctx, board)
    sets = rules().slnb_omission.criteria_sets
    facts = dict(ctx.facts())
    if facts["subtype"] is None and ctx.findings.er == "negative" and ctx.findings.pr == "negative":
        # ER- and PR-: HR+/HER2- is already excluded whatever the pending HER2 result.
        facts["subtype"] = "hormone_receptor_negative"
    results = [evaluate(s, facts) for s in sets]
    met = next((r for r in results if r.met), None)
    fitness = limited_fitness(ctx)
    if met is not None:
        strong = (f" Limited fitness ({', '.join(fitness)}) strengthens the omission: the nodal result would rarely "
                  "change treatment, and competing mortality dominates." if fitness else "")
        return board.decide(
            key, "omission_possible", rid="surgery.slnb.omission_possible",
            strength="strong" if fitness else met.criteria.strength,
            text=f"Sentinel biopsy may be omitted ({met.criteria.name}): every criterion holds. Omit it only if the "
                 "nodal result would not change systemic therapy or radiotherapy; whole-breast RT is given as in "
                 "the trials (SOUND, INSEMA) unless the RT-omission criteria are also met (CALGB 9343 enrolled "
                 "on clinical node status). SOUND: 5-yr distant DFS 98.0% without vs 97.7% with SLNB; INSEMA: "
                 "axillary recurrence 1.0% vs 0.3%, lymphoedema 1.8% vs 5.7%." + strong + _frozen_pregnancy_note(ctx),
            rationale=ctx.say("age", "menopause", "t", "grade", "receptors", "cn", "surgery") +
            f"; criteria met: {', '.join(met.held())}" + (f"; {', '.join(fitness)}" if fitness else ""),
            evidence=list(dict.fromkeys([*met.criteria.evidence, "INSEMA"])),
            would_change_if="any criterion failing: age < 50 or premenopausal, cT > 2 cm, grade 3, HR-negative or "
                            "HER2-positive, a suspicious/undone axillary ultrasound, or mastectomy (SOUND path); "
                            # amended (local-patient, 2026-12-01): a recorded suspicious ultrasound is the >= 70 path's
                            # only ultrasound criterion (SSO Choosing Wisely 2016 asks for none)
                            "age < 70, cT > 2 cm, a suspicious axillary ultrasound or endocrine therapy declined (age "
                            ">= 70 path)")
    possible = [r for r in results if r.possible]
    if possible:
        return board.unknown(key, unknown_fields(*possible, context=ctx, any_of=True))
    if unstaged:  # amended (axilla-adequacy): a sentinel biopsy as a separate operation
        outside = (f" Limited fitness ({', '.join(fitness)}) but the omission criteria are not met: omitting the "
                   "sentinel biopsy for that reason alone is outside trial evidence - discuss." if fitness else "")
        return board.decide(
            key, "recommended", rid="surgery.slnb.recommended.unstaged_after_surgery", strength="strong",
            text="The axilla was not staged at the breast-conserving operation and the criteria to omit staging are "
                 "not met: sentinel lymph node biopsy as a separate operation (feasible after a lumpectomy; dual "
                 "tracer where available). The nodal result decides adjuvant systemic therapy, regional RT and "
                 "completion axillary treatment." + outside + _frozen_pregnancy_note(ctx),
            rationale=ctx.say("age", "menopause", "t", "grade", "receptors", "cn", "surgery")
            + "; not met: " + "; ".join(f"{r.criteria.name}: {', '.join(c.label for c in r.failed)}" for r in results)
            + (f"; {', '.join(fitness)}" if fitness else ""),
            evidence=["ASCO-SLNB-2025", "SOUND", "NCCN-BREAST", "ASCO-AXILLA-2021"],
            would_change_if="all SOUND/ASCO 2025 criteria holding (postmenopausal and >= 50, cT <= 2 cm, grade 1-2, "
                            "HR+/HER2-, normal axillary ultrasound, BCS with whole-breast RT), or age >= 70 with cT1 "
                            "HR+/HER2- cN0")
    sound = results[0]
    if ctx.case.axillary_ultrasound == "not_done" and all(c.fact == "axillary_ultrasound" for c in sound.failed):
        board.advise("diagnostics.axillary_ultrasound.order", "order", strength="moderate",
                     text="Axillary ultrasound: if it is normal, sentinel biopsy may be omitted (SOUND/ASCO 2025); "
                          "a suspicious node needs a US-guided core biopsy or FNA before surgery.",
                     rationale=ctx.say("age", "menopause", "t", "grade", "receptors") + "; axillary ultrasound not done",
                     evidence=["ASCO-SLNB-2025", "SOUND"], would_change_if="a criterion other than the ultrasound failing")
    outside = (f" Limited fitness ({', '.join(fitness)}) but the omission criteria are not met: omitting the sentinel "
               "biopsy for that reason alone is outside trial evidence - discuss." if fitness else "")
    pregnancy = _frozen_pregnancy_note(ctx)
    board.decide(
        key, "recommended", rid="surgery.slnb.recommended",
        strength="weak" if pregnancy else "moderate" if fitness else "strong",
        text=("Sentinel lymph node biopsy with the radioisotope alone at surgery" if pregnancy else
              "Sentinel lymph node biopsy (dual tracer where available) at surgery") +
             "; no routine cytokeratin IHC on H&E-negative sentinel nodes." + outside + pregnancy,
        rationale=ctx.say("age", "menopause", "t", "grade", "receptors", "cn", "surgery") +
        "; not met: " + "; ".join(f"{r.criteria.name}: {', '.join(c.label for c in r.failed)}" for r in results)
        + (f"; {', '.join(fitness)}" if fitness else "") + ("; pregnant" if pregnancy else ""),
        evidence=["ASCO-SLNB-2025", "SOUND", "NCCN-BREAST", *(["AMANT-2012", "GENTILINI-SLNB-PREGNANCY",
                                                              "ASCO-SLNB-2017", "BLUE-DYE-ANAPHYLAXIS"]
                                                             if pregnancy else [])],
        would_change_if="all SOUND/ASCO 2025 criteria holding (postmenopausal and >= 50, cT <= 2 cm, grade 1-2, "
                        "HR+/HER2-, normal axillary ultrasound, BCS with whole-breast RT), or age >= 70 with cT1 "
                        "HR+/HER2- cN0")


_FROZEN_DCIS_OPERATION_DECIDES = ("for DCIS the planned operation decides: sentinel biopsy with a mastectomy, none with "
                          "breast-conserving surgery")


def _frozen_dcis_sentinel(ctx: Context, board: Board) -> None:
    if ctx.breast_surgery is None:
        return board.unknown("sentinel_biopsy", {"surgery.breast": _FROZEN_DCIS_OPERATION_DECIDES})
    if ctx.breast_surgery == "mastectomy":
        return board.decide(
            "sentinel_biopsy", "recommended", rid="surgery.slnb.recommended.dcis_mastectomy", strength="moderate",
            text="Ductal carcinoma in situ treated by mastectomy: sentinel biopsy at the mastectomy, because an occult "
                 "invasive cancer found in the specimen could no longer be staged by sentinel biopsy afterwards.",
            rationale=ctx.say("t", "surgery"), evidence=["ASCO-SLNB-2017", "NCCN-BREAST"],
            would_change_if="breast-conserving surgery (then no sentinel biopsy for DCIS)")
    board.decide(
        "sentinel_biopsy", "not_applicable", rid="surgery.slnb.not_applicable.dcis", strength="moderate",
        text="Ductal carcinoma in situ only with breast-conserving surgery: no sentinel biopsy (it stays possible "
             "later if invasion is found).",
        rationale=ctx.say("t", "surgery"), evidence=["ASCO-SLNB-2025"],
        would_change_if="invasive carcinoma on the core biopsy, or mastectomy")


def _frozen_after_neoadjuvant(ctx: Context, board: Board) -> None:
    key = "sentinel_biopsy"
    now = ctx.facts()["clinical_n"]
    if now is None:
        return board.unknown(key, {"clinical_nodes": "the clinical nodal status after neoadjuvant therapy decides "
                                                     "between sentinel biopsy and axillary dissection"})
    if now != "N0" and ctx.case.clinical_nodes != "cN2b":  # amended (axilla-adequacy): ycN2b = axilla clinically N0
        return board.decide(
            key, "not_applicable", rid="surgery.slnb.not_applicable.persistent_nodes", strength="strong",
            text="Clinically node-positive after neoadjuvant therapy: axillary dissection, not sentinel biopsy.",
            rationale=ctx.say("setting", "cn"), evidence=["ASCO-AXILLA-2021", "NCCN-BREAST"],
            would_change_if="a clinically node-negative axilla after neoadjuvant therapy (ycN0)")
    beyond = _frozen_beyond_sentinel_after_neoadjuvant(ctx)
    if beyond:
        return board.decide(
            key, "not_applicable", rid="surgery.slnb.not_applicable.after_neoadjuvant_high_risk", strength="moderate",
            text=f"{beyond}: axillary dissection, not sentinel biopsy, after neoadjuvant therapy whatever the "
                 "response.", rationale=ctx.say("setting", "cn"),
            evidence=["NCCN-BREAST", "ASCO-AXILLA-2021", "ALLIANCE-A011202", "NSABP-B51"],
            would_change_if="cN1 or less before therapy and no inflammatory cancer")
    # amended (axilla-adequacy, 2026-12-02): the axilla of cN2b was clinically node-negative before therapy.
    was_positive = ctx.initial_clinical_n not in (None, "N0") and not _frozen_cn2b_before(ctx)
    text = ("Sentinel biopsy after neoadjuvant therapy. Initially node-positive, now ycN0: dual tracer, at least 3 "
            "sentinel nodes and retrieval of the clipped node (targeted axillary dissection); a negative result is "
            "trusted only with at least 3 sentinel nodes or the clipped node retrieved (each brings the false-negative "
            "rate to about 10% or below; dual tracer alone does not with 1-2 nodes); any "
            "residual nodal disease (ITC included) means axillary dissection. " + _frozen_false_negative_rates()
            if was_positive else
            "Sentinel biopsy after neoadjuvant therapy (cN0 before therapy, or not recorded); any residual nodal "
            "disease (ITC included) means axillary dissection.")
    board.decide(key, "recommended", rid="surgery.slnb.recommended.after_neoadjuvant", strength="strong",
                 text=text + _frozen_pregnancy_note(ctx),
                 rationale=ctx.say("setting", "cn"),
                 evidence=["ASCO-AXILLA-2021", "NCCN-BREAST", "UK-ABS-RCR-2019", "ALLIANCE-A011202",
                           *(["ACOSOG-Z1071", "SENTINA", "SN-FNAC", "GANEA-2"] if was_positive else [])],
                 would_change_if="a clinically positive axilla after therapy (then axillary dissection)")


def _frozen_cn2b_before(ctx: Context) -> bool:
    """amended (axilla-adequacy): cN2b before therapy (or before surgery without it)."""
    nst = ctx.case.neoadjuvant_therapy
    if ctx.case.neoadjuvant:
        return nst is not None and nst.pre_treatment_clinical_nodes == "cN2b"
    return ctx.case.clinical_nodes == "cN2b"


def _frozen_beyond_sentinel_after_neoadjuvant(ctx: Context) -> str | None:
    """Pre-treatment findings for which sentinel biopsy after neoadjuvant therapy is not validated, in words."""
    nst = ctx.case.neoadjuvant_therapy
    if nst is not None and nst.pre_treatment_t_extension == "inflammatory":
        return "Inflammatory cancer (cT4d) before therapy: sentinel biopsy is not reliable in inflammatory cancer"
    # amended (axilla-adequacy, 2026-12-02): cN2b (internal mammary nodes only) is not axillary cN2.
    if ctx.initial_clinical_n in ("N2", "N3") and not _frozen_cn2b_before(ctx):
        return (f"c{ctx.initial_clinical_n} before therapy: sentinel biopsy after neoadjuvant therapy was validated "
                "in cN1 disease (Z1071 mostly cN1; A011202 and NSABP B-51 enrolled cN1 only)")
    return None



# --- the patients ---------------------------------------------------------------------------------------------------

_PLANNED_BCS = {"breast": "bcs", "status": "planned"}
_SOUND: dict[str, Any] = {"age": 62, "sex": "female", "menopausal_status": "post", "clinical_nodes": "cN0", "metastasis": "cM0",
          "surgery": _PLANNED_BCS, "nodes": {"procedure": "none"}, "axillary_ultrasound": "normal",
          "tumour": {"size_mm": 15, "grade": 1, "er_percent": 90, "pr_percent": 50, "her2_ihc": "1+"}}
#: Rules the strategy reaches rarely: every SOUND criterion holding (ASCO 2025), with and without limited fitness;
#: age >= 70 with cT2 (SSO Choosing Wisely, weak); surgery recorded as done without the operation.
_WORKED: list[dict[str, Any]] = [
    {**_SOUND, "id": "sound"},
    {**_SOUND, "id": "sound-frail", "ecog": 3},
    {**_SOUND, "id": "sound-pending-us", "axillary_ultrasound": "not_done"},
    {**_SOUND, "id": "older-ct2", "age": 76, "axillary_ultrasound": None,
     "tumour": {**_SOUND["tumour"], "size_mm": 33, "grade": 3}},
    {**_SOUND, "id": "operation-unknown", "surgery": {"status": "done"}, "nodes": {"procedure": "none"}},
]


def _context(data: dict[str, Any]) -> Context | None:
    try:
        case = parse_case({k: v for k, v in data.items() if v is not None})
    except MicrometsError:
        return None
    findings = classify(case).findings
    return Context.of(case, findings, stage(case, findings).staging)


def _varied(drawn: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The drawn patients with the settings the decision reads varied in turn, one change per patient."""
    breast = cycle(["bcs", "mastectomy", "bcs", None, "bcs", "none"])
    clinical = cycle(["cN0", "cN0", "cN0", None, "cN1", "cN0", "cN2a", "cN2b"])
    ultrasound = cycle(["normal", "normal", "not_done", None, "suspicious"])
    age = cycle([45, 52, 64, 71, 78, 86])
    size = cycle([8.0, 15.0, 19.0, 24.0, 33.0])
    before = cycle([None, "cN0", "cN1", "cN1", "cN2a", "cN3a", "cN1", "cN2b"])
    extension = cycle(["none", "none", "none", "inflammatory"])
    # amended (axilla-adequacy): the operation also recorded as done with no axillary procedure (an axilla left
    # unstaged at breast-conserving surgery, or the operation unrecorded).
    status = cycle(["planned", "planned", "done"])
    out = []
    for i, data in enumerate(drawn):
        data = {**data}
        tumour = {**(data.get("tumour") or {})}
        variant = i % 4
        if variant:
            # Before surgery: the operation planned, the axilla not yet operated.
            operation = next(breast)
            data["surgery"] = {"status": "planned", **({"breast": operation} if operation else {})}
            if operation == "none" or (variant in (1, 2) and next(status) == "done"):
                data["surgery"]["status"] = "done"
            data["nodes"] = {"procedure": "none"}
            data["clinical_nodes"] = next(clinical)
        if variant == 2:
            # The SOUND / age >= 70 criteria in reach: size, ultrasound and age vary.
            data["axillary_ultrasound"] = next(ultrasound)
            data["age"] = next(age)
            if not tumour.get("in_situ_only"):
                tumour["size_mm"] = next(size)
            data["tumour"] = tumour
        elif variant == 3 and not tumour.get("in_situ_only"):
            # Neoadjuvant therapy, with the nodal status and the T extension before it.
            therapy: dict[str, Any] = {"pre_treatment_t_extension": next(extension)}
            pre = next(before)
            if pre is not None:
                therapy["pre_treatment_clinical_nodes"] = pre
            data["neoadjuvant"] = True
            data["neoadjuvant_therapy"] = therapy
        out.append(data)
    return out


@pytest.fixture(scope="module")
def contexts() -> list[Context]:
    drawn = _varied(drawn_case_dicts(2700)) + _WORKED
    out = [ctx for ctx in map(_context, drawn) if ctx is not None]
    assert len(out) >= 2500
    return out


def _board(decide: Any, ctx: Context) -> tuple[Any, ...]:
    board = Board()
    decide(ctx, board)
    return (board.decisions, [r.model_dump() for r in board.recommendations], [m.model_dump() for m in board.missing],
            board.warnings)


def test_the_table_decides_as_the_rule_function_did(contexts: list[Context]) -> None:
    hits: Counter[int] = Counter()
    for ctx in contexts:
        assert _board(sentinel_biopsy, ctx) == _board(_frozen_sentinel_biopsy, ctx), ctx.case.model_dump(
            exclude_none=True)
        hits[SENTINEL_BIOPSY.first(sentinel_biopsy_facts(ctx))] += 1
    # Every rule of the table matched at least one patient (none is dead, none was left untested).
    assert sorted(hits) == list(range(len(SENTINEL_BIOPSY.rules))), {
        SENTINEL_BIOPSY.rules[i].rid for i in set(range(len(SENTINEL_BIOPSY.rules))) - set(hits)}


def test_column_wise_evaluation_equals_case_by_case(contexts: list[Context]) -> None:
    facts = sentinel_biopsy_columns(contexts)
    decisions, rule_ids = SENTINEL_BIOPSY.decide(facts)
    matched = SENTINEL_BIOPSY.match(facts)
    for i, ctx in enumerate(contexts):
        board = Board()
        _frozen_sentinel_biopsy(ctx, board)
        # The ultrasound order is advice beside the decision, not the decision's recommendation.
        decided = [r.id for r in board.recommendations if r.id.startswith("surgery.slnb")]
        assert (decisions[i], rule_ids[i]) == (board.decisions["sentinel_biopsy"], decided[0] if decided else None)
        assert matched[i] == SENTINEL_BIOPSY.first(sentinel_biopsy_facts(ctx))
    assert np.all(matched >= 0)
