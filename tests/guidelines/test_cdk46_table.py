"""The adjuvant CDK4/6 inhibitor decision as a first-match decision table equals the rule function it replaced.

The rule: monarchE cohort 1 (Johnston, JCO 2020; Harbeck, Ann Oncol 2021: abemaciclib 2 years for HR-positive
HER2-negative disease with >= 4 positive nodes, or 1-3 with grade 3 or a tumour >= 50 mm) and NATALEE (Slamon, NEJM
2024: ribociclib 3 years for anatomic stage IIB-III, node-positive disease at any T, or T2N0 with grade 3 / grade 2
with Ki-67 >= 20% or high genomic risk), both enrolling ECOG 0-1; AJCC 8 for T1N1mi (stage IB) and T3N1mi; the
ribociclib label (QTcF < 450 ms; a non-steroidal AI with ovarian suppression before menopause, as NATALEE gave
goserelin) and the abemaciclib label (interstitial lung disease; venous thromboembolism, MONARCH 2). The oracle is
targeted.cdk46_inhibitor as it was at commit b732d9c (the branch base; unchanged since d830a40) with
_cdk46_decision, _cdk46_agent and _micrometastatic, frozen below, plus one rule added since (where a trial would
offer a CDK4/6 inhibitor, a declined endocrine therapy rules it out: both trials gave it only with endocrine therapy)
and one note (a man offered ribociclib is told it goes with a GnRH agonist, as NATALEE gave men goserelin). Drawn
patients
(tests/properties/_strategies.drawn_case_dicts), each varied by its position along the axes the decision reads -
receptors (an undecided subtype included), nodal status (unknown included), size, grade, Ki-67, ECOG, QTcF and
conditions, menopausal status and ovarian suppression, declined endocrine therapy or ovarian suppression - plus
worked cases for the rarest rules and rails, are compared case by case (the whole board) and, for the decision and
the rule id, column-wise (the table over columns, then the agent rails: ``cdk46_inhibitor_decide``).
"""

from __future__ import annotations

import copy
import dataclasses
from collections import Counter
from typing import Any

import numpy as np
import pytest
from tests.guidelines._targeted_cases import contexts_of
from tests.properties._strategies import drawn_case_dicts

from micromets.guidelines._context import Board, Context, unknown_fields
from micromets.guidelines.patient import (
    ACTIVE,
    decide_if_immaterial,
    ecog_of,
    fitness,
    gate,
    no_invasive_disease,
    ofs_intent,
    receptor_fields,
    subtype_variants,
)
from micromets.guidelines.rules import evaluate, rules
from micromets.guidelines.targeted import (
    CDK46_INHIBITOR,
    cdk46_columns,
    cdk46_facts,
    cdk46_inhibitor,
    cdk46_inhibitor_decide,
    cdk46_rails,
)

KEY = "cdk46_inhibitor"
N = 2700

_RECEPTORS: tuple[dict[str, Any] | None, ...] = (
    None,
    {"er_percent": 90, "pr_percent": 40, "her2_ihc": "1+"},
    {"er_percent": 60, "pr_percent": 0, "her2_ihc": "0"},
    {"er_percent": None, "pr_percent": 0, "her2_ihc": "1+"},  # HR-positive or triple-negative: undecided
    {"er_percent": 80, "pr_percent": 20, "her2_ihc": None},  # HER2 unknown: HR-positive or HER2-positive
    {"er_percent": 0, "pr_percent": 0, "her2_ihc": "0"},
    {"er_percent": 0, "pr_percent": 0, "her2_ihc": "3+"},
    {"er_percent": None, "pr_percent": None, "her2_ihc": "0"},
    {"er_percent": 95, "pr_percent": 80, "her2_ihc": "ultralow"},
    {"er_percent": 0, "pr_percent": 0, "her2_ihc": None},  # ER- and PR-negative rule it out, HER2 unknown
)
_NODES: tuple[Any, ...] = (
    None,
    [],
    [{"node": 1, "size_mm": 1.0, "method": "he"}],
    [{"node": 1, "size_mm": 4.0, "method": "he"}],
    [{"node": n, "size_mm": 5.0, "method": "he"} for n in range(1, 6)],
    "unknown",
)
_SIZES = (None, 15.0, 30.0, 55.0, "unknown")
_GRADES = (None, 1, 2, 3, "unknown")
_KI67 = (None, 10, 25, "unknown")
_FITNESS: tuple[dict[str, Any] | None, ...] = (
    None, {"ecog": 0}, {"ecog": 1}, {"ecog": 0}, {"ecog": 1}, {"ecog": 2}, {"clinical_frailty_scale": 7})
_CONDITIONS: tuple[dict[str, Any] | None, ...] = (
    None, {"qtcf_ms": 420}, {"qtcf_ms": 470}, {}, {"qtcf_ms": 430, "interstitial_lung_disease": True},
    {"venous_thromboembolism": True, "thrombophilia": True}, {"qtcf_ms": 455, "venous_thromboembolism": True},
)
_MENOPAUSE: tuple[tuple[str, str | None] | None, ...] = (
    None, ("pre", "not_planned"), ("pre", None), ("pre", "planned"), ("post", None), ("peri", "not_planned"))
_DECLINED = (None, "endocrine", "ovarian_function_suppression", None, None)


def _set(tumour: dict[str, Any], name: str, value: Any) -> None:
    if value == "unknown":
        tumour.pop(name, None)
    elif value is not None:
        tumour[name] = value


def _vary(drawn: dict[str, Any], i: int) -> dict[str, Any]:
    case = copy.deepcopy(drawn)
    tumour = case.setdefault("tumour", {})
    receptors = _RECEPTORS[i % len(_RECEPTORS)]
    if receptors is not None:
        for name in ("her2_ish_ratio", "her2_ish_copies"):
            tumour.pop(name, None)
        for name, value in receptors.items():
            _set(tumour, name, "unknown" if value is None else value)
    if not tumour.get("in_situ_only"):
        _set(tumour, "size_mm", _SIZES[i % 7 % len(_SIZES)])
    _set(tumour, "grade", _GRADES[i % 11 % len(_GRADES)])
    _set(tumour, "ki67_percent", _KI67[i % 13 % len(_KI67)])
    deposits = _NODES[i % 17 % len(_NODES)]
    surgery = case.get("surgery")
    if deposits is not None and not (isinstance(surgery, dict) and surgery.get("status") == "planned"):
        if deposits == "unknown":
            case["nodes"] = {"procedure": "none"}
            case.pop("clinical_nodes", None)
        else:
            case["nodes"] = {"procedure": "slnb", "examined": max(3, len(deposits)), "deposits": deposits}
    fitness_change = _FITNESS[i % 19 % len(_FITNESS)]
    if fitness_change is not None:
        for name in ("ecog", "clinical_frailty_scale", "life_expectancy_years", "g8_score"):
            case.pop(name, None)
        case.update(fitness_change)
    conditions = _CONDITIONS[i % 23 % len(_CONDITIONS)]
    if conditions is not None:
        case["conditions"] = {**{k: v for k, v in (case.get("conditions") or {}).items()
                                 if k not in ("qtcf_ms", "interstitial_lung_disease")}, **conditions}
    menopause = _MENOPAUSE[i % 29 % len(_MENOPAUSE)]
    if menopause is not None and case.get("sex") != "male":
        case["menopausal_status"], ofs = menopause
        case.pop("ovarian_function_suppression", None)
        if ofs is not None:
            case["ovarian_function_suppression"] = ofs
        if menopause[0] == "post":
            case.pop("pregnancy", None)
    declined = _DECLINED[i % 31 % len(_DECLINED)]
    if declined is not None:
        case["preferences"] = {"declined": [declined]}
    return case


def _mi_upfront(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "age": 52, "sex": "female", "menopausal_status": "post", "metastasis": "cM0", "clinical_nodes": "cN0",
        "tumour": {"size_mm": 24, "grade": 2, "ki67_percent": 25, "er_percent": 90, "pr_percent": 50,
                   "her2_ihc": "1+"},
        "surgery": {"breast": "bcs", "status": "done", "margins_mm": 3}, "ecog": 0,
        "nodes": {"procedure": "slnb", "examined": 3, "deposits": [{"node": 1, "size_mm": 4.0, "method": "he"}]}}
    for name, value in changes.items():
        base[name] = {**base[name], **value} if name in ("tumour", "conditions") and name in base else value
    return base


#: The rails and rules the varied patients reach rarely (ribociclib's QTcF and ovarian-suppression gates after
#: NATALEE with nodal macrometastasis; interstitial lung disease; an unknown nodal status that does not matter at T3,
#: NATALEE's stage IIB whatever N, or matters at T2), each stated from the trial criteria and labels above.
_WORKED: list[dict[str, Any]] = [
    # pT2 N1 grade 2, 1 node: NATALEE (node-positive), not monarchE cohort 1; QTcF 470 ms: ribociclib must not start.
    {**_mi_upfront(conditions={"qtcf_ms": 470}), "id": "cdk46-natalee-long-qt"},
    # Premenopausal, ovarian suppression declined: NATALEE's AI needs it - discuss.
    {**_mi_upfront(menopausal_status="pre", preferences={"declined": ["ovarian_function_suppression"]},
                   conditions={"qtcf_ms": 420}), "id": "cdk46-natalee-no-ofs"},
    # Grade 3 with 1 node: monarchE cohort 1; interstitial lung disease - discuss.
    {**_mi_upfront(tumour={"grade": 3}, conditions={"interstitial_lung_disease": True, "qtcf_ms": 420}),
     "id": "cdk46-monarche-ild"},
    # monarchE with prior VTE, premenopausal without ovarian suppression; QTcF unknown (an ECG is named).
    {**_mi_upfront(tumour={"grade": 3}, menopausal_status="pre", ovarian_function_suppression="not_planned",
                   conditions={"venous_thromboembolism": True}), "id": "cdk46-monarche-vte-no-ofs"},
    # T3 (55 mm) with the nodal status unknown: stage IIB or higher whatever N (NATALEE).
    {**_mi_upfront(tumour={"size_mm": 55}, nodes={"procedure": "none"}, clinical_nodes=None), "id": "cdk46-t3-nx"},
    # T2 with the nodal status unknown: N decides.
    {**_mi_upfront(nodes={"procedure": "none"}, clinical_nodes=None), "id": "cdk46-t2-nx"},
    # T3 N unknown, pregnant: every nodal status is deferred in pregnancy (the gate), the answer stands.
    {**_mi_upfront(tumour={"size_mm": 55}, nodes={"procedure": "none"}, clinical_nodes=None, menopausal_status="pre",
                   pregnancy={"status": "pregnant", "gestational_age_weeks": 20}), "id": "cdk46-t3-nx-pregnant"},
    # ER unknown, PR 0, T1N0: every subtype the receptors allow is not indicated (low risk / triple-negative).
    {**_mi_upfront(tumour={"size_mm": 12, "er_percent": None, "pr_percent": 0},
                   nodes={"procedure": "slnb", "examined": 2, "deposits": []}), "id": "cdk46-subtype-immaterial"},
    # Metastatic with ECOG 2: the CDK4/6 trials enrolled ECOG 0-1 (the metastatic rail's exception).
    {**_mi_upfront(metastasis="cM1", ecog=2), "id": "cdk46-metastatic-ecog"},
]


def test_the_worked_cases_are_valid_cases() -> None:
    assert len(contexts_of(_WORKED)) == len(_WORKED)


def _varied_contexts() -> list[Context]:
    return contexts_of([_vary(drawn, i) for i, drawn in enumerate(drawn_case_dicts(N))])


@pytest.fixture(scope="module")
def contexts() -> list[Context]:
    return [*_varied_contexts(), *contexts_of(_WORKED)]


def _state(board: Board) -> tuple[Any, ...]:
    return (board.decisions, [r.model_dump() for r in board.recommendations], [m.model_dump() for m in board.missing])


def _frozen_outcome(ctx: Context) -> tuple[str, str | None]:
    board = Board()
    _frozen_cdk46_inhibitor(ctx, board)
    rec = board.recommendation(KEY)
    return board.decisions[KEY], rec.id if rec else None


def test_the_table_decides_as_the_rule_function_did(contexts: list[Context]) -> None:
    assert len(contexts) >= 2500
    matched = np.zeros(len(CDK46_INHIBITOR.rules), dtype=int)
    outcomes: Counter[str] = Counter()
    for ctx in contexts:
        new, old = Board(), Board()
        cdk46_inhibitor(ctx, new)
        _frozen_cdk46_inhibitor(ctx, old)
        assert _state(new) == _state(old), ctx.case.model_dump(exclude_none=True)
        matched[CDK46_INHIBITOR.first(cdk46_facts(ctx, one_case=True))] += 1
        rec = old.recommendation(KEY)
        outcomes[rec.id if rec else old.decisions[KEY]] += 1
        outcomes[f"value:{old.decisions[KEY]}"] += 1
    # Every rule of the table decides some of the patients (the subtype- and nodal-status-open rules included) ...
    assert np.all(matched > 0), dict(zip((r.rid for r in CDK46_INHIBITOR.rules), matched.tolist(), strict=True))
    # ... and every rail after it changes some decisions: ribociclib's QTcF and ovarian-suppression gates, and
    # interstitial lung disease (an active decision becomes 'discuss').
    assert outcomes["systemic.cdk46.discuss.ofs"] and outcomes["systemic.cdk46.not_indicated.qtcf"], outcomes
    assert outcomes["systemic.cdk46.discuss.vte"], outcomes
    ild = Counter(rid for ctx in contexts if ctx.conditions.interstitial_lung_disease
                  for value, rid in [_frozen_outcome(ctx)] if value == "discuss" and ".recommended." in (rid or ""))
    assert ild["systemic.cdk46.recommended.monarche"] and ild["systemic.cdk46.recommended.natalee"], ild


def test_column_wise_evaluation_equals_case_by_case(contexts: list[Context]) -> None:
    """The table over columns gives each patient the rule one case matches (an undecided subtype or nodal status
    settled by its variants), and with the agent rails the decision and rule id the frozen function records."""
    decisions, rule_ids = CDK46_INHIBITOR.decide(cdk46_columns(contexts))
    values, ids = cdk46_inhibitor_decide(contexts)
    settled: Counter[str] = Counter()
    for i, ctx in enumerate(contexts):
        rule = CDK46_INHIBITOR.rules[CDK46_INHIBITOR.first(cdk46_facts(ctx))]
        assert (decisions[i], rule_ids[i]) == (rule.decision, rule.rid if rule.decision != "insufficient_data"
                                               else None), i
        assert cdk46_rails(ctx, rule.decision, rule.rid)[0] == values[i]
        assert (values[i], ids[i] if values[i] != "insufficient_data" else None) == _frozen_outcome(ctx), (
            i, ctx.case.model_dump(exclude_none=True))
        board = Board()
        _frozen_cdk46_inhibitor(ctx, board)
        rec = board.recommendation(KEY)
        settled.update(unknown for unknown in ("receptor subtype", "nodal status")
                       if rec is not None and f"(The {unknown} not given: the answer is the same" in rec.text)
    # Both kinds of unknown input are settled by their variants for some patients (not only left open).
    assert settled["receptor subtype"] and settled["nodal status"], settled


# --- the function as it was at b732d9c (frozen oracle) ---------------------------------------------------------------
def _frozen_not_hr_positive_her2_negative(ctx: Context) -> bool:
    """Known from ER/PR or HER2 alone, before the subtype can be named: HER2-positive, or ER- and PR-negative."""
    f = ctx.findings
    return f.her2 == "positive" or (f.er == "negative" and f.pr == "negative")


def _frozen_cdk46_inhibitor(ctx: Context, board: Board) -> None:
    """monarchE cohort 1 (abemaciclib) and NATALEE (ribociclib) as the trials enrolled; then the agent the patient allows."""
    if not _frozen_decision(ctx, board):
        _frozen_agent(ctx, board)


_frozen_full = _frozen_cdk46_inhibitor  # the whole decision, as decide_if_immaterial runs it for each variant


def _frozen_endocrine_declined(board: Board, facts: str) -> None:
    """Added after the freeze (patient vignettes): where a trial would offer a CDK4/6 inhibitor but endocrine therapy
    is declined, none is offered - monarchE and NATALEE gave it only with endocrine therapy."""
    board.decide("cdk46_inhibitor", "not_indicated", rid="systemic.cdk46.not_indicated.endocrine_declined",
                 strength="strong",
                 text="Endocrine therapy is declined: monarchE and NATALEE gave abemaciclib and ribociclib only with "
                      "endocrine therapy, so there is no evidence for a CDK4/6 inhibitor alone; none is offered.",
                 rationale=facts, evidence=["MONARCHE", "NATALEE"],
                 would_change_if="the patient accepts endocrine therapy (then by the trial criteria)")


def _frozen_decision(ctx: Context, board: Board) -> bool | None:  # noqa: C901 - one branch per trial criterion
    """Record the decision; True when the agent checks are already in it (an unknown subtype was immaterial)."""
    key = "cdk46_inhibitor"
    facts = ctx.say("t", "n", "grade", "ki67", "rs", "stage")
    ecog = ecog_of(ctx)
    limit = rules().safety.trial_max_ecog
    fit = fitness(ctx)
    if fit.level == "frail" and not (ecog is not None and ecog > limit):
        board.decide(key, "not_indicated", rid="systemic.cdk46.not_indicated.frail", strength="strong",
                     text=f"{fit.words}: outside trial evidence - NATALEE and monarchE enrolled fit patients (ECOG "
                          f"0-{limit}) for 2-3 years of treatment; no adjuvant CDK4/6 inhibitor.",
                     rationale=f"{fit.words}; {facts}", evidence=["NATALEE", "MONARCHE", "ASCO-GERIATRIC-2018"],
                     would_change_if="no frailty (CFS < 7, life expectancy >= 5 years) and ECOG 0-1")
        return None
    if ecog is not None and ecog > limit:
        board.decide(key, "not_indicated", rid="systemic.cdk46.not_indicated.ecog", strength="strong",
                     text=f"ECOG {ecog}: outside trial evidence - NATALEE and monarchE enrolled ECOG 0-{limit} "
                          "only; no adjuvant CDK4/6 inhibitor.",
                     rationale=f"ECOG {ecog}; {facts}", evidence=["NATALEE", "MONARCHE"],
                     would_change_if=f"ECOG 0-{limit} (then by the trial criteria)")
        return None
    if no_invasive_disease(ctx):
        board.decide(key, "not_indicated", rid="systemic.cdk46.not_indicated.no_invasive", strength="strong",
                     text="No invasive carcinoma (DCIS only or no invasive tumour): no CDK4/6 inhibitor (the "
                          "trials and labels are for invasive node-positive or stage II-III disease).",
                     rationale=facts, evidence=["NATALEE", "MONARCHE"], would_change_if="invasive carcinoma")
        return None
    if ctx.subtype is None and _frozen_not_hr_positive_her2_negative(ctx):
        board.decide(key, "not_indicated", rid="systemic.cdk46.not_indicated.subtype", strength="strong",
                     text="Not HR-positive/HER2-negative: no adjuvant CDK4/6 inhibitor.", rationale=facts,
                     evidence=["MONARCHE", "NATALEE"], would_change_if="HR-positive, HER2-negative disease")
        return None
    if ctx.subtype is None:
        decide_if_immaterial(
            board, key, _frozen_full, subtype_variants(ctx), unknown="The receptor subtype",
            fields=receptor_fields(ctx, "CDK4/6 inhibitors are for HR-positive, HER2-negative disease"))
        return True
    if ctx.subtype != "hr_pos_her2_neg":
        board.decide(key, "not_indicated", rid="systemic.cdk46.not_indicated.subtype", strength="strong",
                     text="Not HR-positive/HER2-negative: no adjuvant CDK4/6 inhibitor.", rationale=facts,
                     evidence=["MONARCHE", "NATALEE"], would_change_if="HR-positive, HER2-negative disease")
        return None
    status = ctx.node_status
    if status is None:  # decided when every nodal status gives the same answer (e.g. T3: NATALEE whatever N)
        variants = [dataclasses.replace(ctx, node_status=value) for value in ("negative", "micro", "macro")]
        decide_if_immaterial(board, key, _frozen_full, variants, unknown="The nodal status",
                             fields={ctx.node_status_field: "the nodal status decides CDK4/6 eligibility"})
        return True
    table = rules().targeted
    qtc_limit = rules().safety.drugs.ribociclib_qtcf_max_ms_exclusive
    qtcf = ctx.conditions.qtcf_ms
    if status != "macro" and qtcf is not None and qtcf >= qtc_limit:
        board.decide(key, "not_indicated", rid="systemic.cdk46.not_indicated.qtcf", strength="strong",
                     text=f"QTcF {qtcf:g} ms (>= {qtc_limit:g}): ribociclib must not be started (label), and without "
                          "macrometastatic nodes abemaciclib is outside monarchE: no CDK4/6 inhibitor.",
                     rationale=f"QTcF {qtcf:g} ms; {facts}", evidence=_PATIENT_EVIDENCE + ["MONARCHE"],
                     would_change_if=f"QTcF < {qtc_limit:g} ms (then by the NATALEE criteria)")
        return None
    # Amended deliberately (branch missing-material): with endocrine therapy declined no T category can make a
    # CDK4/6 inhibitor indicated (monarchE and NATALEE gave it with endocrine therapy), so the size is not asked.
    if ctx.t_group is None and status != "macro" and not ctx.declined("endocrine"):
        board.unknown(key, {"tumour.size_mm": "T category decides NATALEE eligibility"})
        return None
    if status == "micro":
        if ctx.t_group not in ("T0", "T1") and ctx.declined("endocrine"):
            return _frozen_endocrine_declined(board, facts)
        _frozen_micrometastatic(ctx, board, facts)
        return None
    f = dict(ctx.facts())
    if f["anatomic_stage"] is None and ctx.t_group in ("T3", "T4"):
        # T3 N0 is anatomic stage IIB and T4 N0 IIIB (AJCC 8): IIB-III whatever the nodes, as NATALEE asks.
        f["anatomic_stage"] = "IIB" if ctx.t_group == "T3" else "IIIB"
    if ctx.declined("endocrine") and (status == "macro" or any(
            e.met or e.possible for e in (evaluate(s, f) for s in table.natalee))):
        return _frozen_endocrine_declined(board, facts)
    if status == "macro":
        cohort = [evaluate(s, f) for s in table.monarche_cohort1]
        if any(e.met for e in cohort):
            met = next(e for e in cohort if e.met)
            board.decide(
                key, "recommended", rid="systemic.cdk46.recommended.monarche", strength="strong",
                text=f"{met.criteria.name}: abemaciclib 150 mg twice daily for 2 years with endocrine therapy "
                     "(monarchE: 5-yr iDFS gain about 7.6 points). Ribociclib (NATALEE) is an alternative.",
                rationale=facts, evidence=["MONARCHE", "NATALEE", "NCCN-BREAST"],
                would_change_if="1-3 positive nodes with grade 1-2 and tumour < 50 mm (NATALEE only)")
            return None
    natalee = [evaluate(s, f) for s in table.natalee]
    if any(e.met for e in natalee):
        met = next(e for e in natalee if e.met)
        board.decide(
            key, "recommended", rid="systemic.cdk46.recommended.natalee", strength="moderate",
            # amended (patient audit 2026-12-01): a man is not described by menopause (his GnRH agonist is in the note)
            text=f"{met.criteria.name}: ribociclib 400 mg days 1-21 every 28 days for 3 years with a non-steroidal AI"
                 + ("" if ctx.male else " (+ OFS if premenopausal)")
                 + " (NATALEE: 3-yr iDFS 90.4% vs 87.1%). Check QTc and liver tests.",
            rationale=facts, evidence=["NATALEE", "NCCN-BREAST"],
            would_change_if="T1N0, or T2N0 grade 1 / grade 2 with Ki-67 < 20% and low genomic risk (not indicated)")
        return None
    possible = [e for e in natalee if e.possible]
    if possible:
        # Any one NATALEE set qualifies: a set whose open criteria another possible set shares adds nothing (T2N0
        # grade unknown with Ki-67 >= 20%: the grade decides, the genomic risk cannot).
        board.unknown(key, unknown_fields(*possible, context=ctx, any_of=True))
        return None
    board.decide(key, "not_indicated", rid="systemic.cdk46.not_indicated.low_risk", strength="strong",
                 text="Outside monarchE cohort 1 and NATALEE (e.g. T1N0, or T2N0 without grade 3 / grade 2 with "
                      "Ki-67 >= 20% or high genomic risk): no CDK4/6 inhibitor.", rationale=facts,
                 evidence=["MONARCHE", "NATALEE"],
                 would_change_if="nodal macrometastasis, T3, or T2N0 with grade 3 / grade 2 and Ki-67 >= 20% or high "
                                 "genomic risk")
    return None


_PATIENT_EVIDENCE = ["RIBOCICLIB-LABEL", "ABEMACICLIB-LABEL"]


def _frozen_agent(ctx: Context, board: Board) -> None:  # noqa: C901 - one branch per label condition
    """Ribociclib needs QTcF < 450 ms and, before menopause, ovarian suppression; abemaciclib and VTE; ILD."""
    key = "cdk46_inhibitor"
    # The recommendation's id only (decide_if_immaterial re-runs this on boards that keep ids, not recommendations).
    rid = board.rule_id(key)
    if board.decisions.get(key) not in ACTIVE or rid is None:
        return
    qtc_limit = rules().safety.drugs.ribociclib_qtcf_max_ms_exclusive
    qtcf = ctx.conditions.qtcf_ms
    long_qt = qtcf is not None and qtcf >= qtc_limit
    premenopausal = ctx.menopause == "pre" and not ctx.male
    no_ofs = premenopausal and ofs_intent(ctx) == "not_planned"
    clots = [w for w, flag in (("prior venous thromboembolism", ctx.conditions.venous_thromboembolism),
                               ("thrombophilia", ctx.conditions.thrombophilia)) if flag]
    monarche = rid == "systemic.cdk46.recommended.monarche"
    ribociclib_only = rid in ("systemic.cdk46.recommended.natalee", "systemic.cdk46.recommended.natalee_t3")
    if ribociclib_only and long_qt:
        return gate(board, key, "not_indicated", rid="qtcf", strength="strong", evidence=_PATIENT_EVIDENCE,
                    why=f"QTcF {qtcf:g} ms (>= {qtc_limit:g}): ribociclib must not be started (label: QTcF < "
                        f"{qtc_limit:g} ms), and abemaciclib is outside monarchE criteria here: no CDK4/6 inhibitor.",
                    would_change_if=f"QTcF < {qtc_limit:g} ms (ribociclib), or monarchE criteria (abemaciclib)")
    if ribociclib_only and no_ofs:
        return gate(board, key, "discuss", rid="ofs", strength="weak", evidence=["NATALEE", "RIBOCICLIB-LABEL"],
                    why="Premenopausal: ribociclib with a non-steroidal AI needs ovarian function suppression (NATALEE "
                        "gave goserelin), which is not planned or was declined: discuss ovarian suppression.",
                    would_change_if="ovarian function suppression planned")
    # amended (patient-safety audit 2026-12-02): with prior VTE or thrombophilia, a monarchE patient for whom
    # ribociclib is barred (long QTcF, or premenopausal without ovarian suppression) is left with abemaciclib only,
    # which raises VTE and whose trial excluded a history of VTE (Johnston, JCO 2020): 'discuss', not recommended.
    if monarche and clots and (long_qt or no_ofs):
        barred = (f"QTcF {qtcf:g} ms bars ribociclib, label: QTcF < {qtc_limit:g} ms" if long_qt else
                  "ribociclib needs ovarian function suppression before the menopause, NATALEE, and it is not planned "
                  "or was declined; abemaciclib would then go with tamoxifen, VTE 4.3% in monarchE")
        excluded = ("monarchE excluded patients with a history of venous thromboembolism: outside trial evidence"
                    if ctx.conditions.venous_thromboembolism else "a thrombophilia adds to that risk")
        gate(board, key, "discuss", rid="vte", strength="weak", evidence=["MONARCHE", *_PATIENT_EVIDENCE],
             why=f"{' and '.join(clots).capitalize()}: abemaciclib is the only CDK4/6 inhibitor left ({barred}). It "
                 f"raises venous thromboembolism (label; monarchE 2.5% vs 0.6%) and {excluded} - discuss with "
                 "haematology (thromboprophylaxis) or forgo the CDK4/6 inhibitor. If chosen: abemaciclib 150 mg twice "
                 "daily for 2 years with endocrine therapy (monarchE cohort 1).",
             would_change_if=f"no prior VTE or thrombophilia, or ribociclib possible (QTcF < {qtc_limit:g} ms; "
                             "ovarian suppression before the menopause)", keep_plan=False)
        if ctx.conditions.interstitial_lung_disease:
            board.amend(key, extra_evidence=("ABEMACICLIB-LABEL",),
                        note="Interstitial lung disease: severe or fatal ILD/pneumonitis occurs with CDK4/6 inhibitors "
                             "(monarchE 3% any grade, 0.4% grade 3-4): discuss with the respiratory team.")
        return
    notes = []
    if not monarche and long_qt:
        notes.append(f"QTcF {qtcf:g} ms: ribociclib must not be started (QTcF >= {qtc_limit:g}); only abemaciclib, "
                     "if monarchE criteria apply.")
    if monarche and long_qt:
        notes.append(f"QTcF {qtcf:g} ms: abemaciclib only - ribociclib must not be started (QTcF >= {qtc_limit:g}).")
    elif monarche and clots and not no_ofs:
        notes.append(f"{' and '.join(clots).capitalize()}: abemaciclib raises venous thromboembolism (5% vs 0.9% in "
                     "MONARCH 2); ribociclib (NATALEE criteria are met here) is preferred if QTcF allows.")
    elif monarche and clots:
        notes.append(f"{' and '.join(clots).capitalize()}: abemaciclib raises venous thromboembolism (5% vs 0.9% in "
                     "MONARCH 2); weigh thromboprophylaxis or ovarian suppression with ribociclib.")
    elif monarche and no_ofs:
        notes.append("Without ovarian suppression: abemaciclib with tamoxifen (monarchE allowed it); ribociclib would "
                     "need ovarian suppression.")
    if not monarche and qtcf is None:
        notes.append(f"ECG before starting ribociclib: QTcF must be < {qtc_limit:g} ms.")
        board.need("conditions.qtcf_ms", f"ribociclib is started only with QTcF < {qtc_limit:g} ms (ECG)")
    if ribociclib_only and premenopausal and ofs_intent(ctx) is None:
        notes.append("Premenopausal: with ovarian function suppression (NATALEE).")
    # Amended since the freeze (a man and ribociclib): NATALEE gave men goserelin, as the ribociclib label asks.
    if ribociclib_only and ctx.male:
        notes.append("A man: ribociclib with a non-steroidal aromatase inhibitor and a GnRH agonist (NATALEE gave men "
                     "goserelin; ribociclib label).")
    if notes:
        board.amend(key, note=" ".join(notes), extra_evidence=tuple(_PATIENT_EVIDENCE))
    if ctx.conditions.interstitial_lung_disease:
        board.amend(key, value="discuss", strength="weak", extra_evidence=("ABEMACICLIB-LABEL",),
                    note="Interstitial lung disease: severe or fatal ILD/pneumonitis occurs with CDK4/6 inhibitors "
                         "(monarchE 3% any grade, 0.4% grade 3-4): discuss with the respiratory team.")


def _frozen_micrometastatic(ctx: Context, board: Board, facts: str) -> None:
    key = "cdk46_inhibitor"
    if ctx.t_group in ("T0", "T1"):
        return board.decide(key, "not_indicated", rid="systemic.cdk46.not_indicated.t1n1mi", strength="strong",
                            text="T1N1mi is anatomic stage IB: below the stage II entry of NATALEE, and monarchE "
                                 "needs node-positive high-risk disease: no CDK4/6 inhibitor.",
                            rationale=facts, evidence=["NATALEE", "MONARCHE", "AJCC-8"],
                            would_change_if="a tumour > 20 mm or a nodal macrometastasis")
    if ctx.t_group in ("T3", "T4"):
        return board.decide(key, "recommended", rid="systemic.cdk46.recommended.natalee_t3", strength="moderate",
                            text="T3-4 with pN1mi: stage IIB-III whether N1mi is read as N0 or N1 (NATALEE covers T3N0 "
                                 "and T3N1): ribociclib 3 years with an AI.", rationale=facts,
                            evidence=["NATALEE", "AJCC-8"], would_change_if="a T1-2 tumour")
    board.decide(key, "discuss", rid="systemic.cdk46.discuss.t2n1mi", strength="weak",
                 text="T2N1mi: anatomic stage IIB under AJCC 8, but whether micrometastatic nodes counted as positive "
                      "in monarchE and NATALEE is unverified: check the label and protocol wording. Read as N0, T2N0 "
                      "qualifies for NATALEE only with grade 3, or grade 2 with Ki-67 >= 20% or high genomic risk.",
                 rationale=facts, evidence=["NATALEE", "MONARCHE", "AJCC-8"],
                 would_change_if="a nodal macrometastasis (eligible) or a T1 tumour (stage IB, not eligible)")


