"""Capecitabine after neoadjuvant chemotherapy as a first-match decision table equals the rule function it replaced.

The rule is CREATE-X (Masuda, NEJM 2017): capecitabine for HER2-negative residual invasive disease after
neoadjuvant chemotherapy, the benefit concentrated in triple-negative disease; for gBRCA carriers olaparib
(OlympiA, Tutt NEJM 2021) is the alternative; HER2-positive residual disease takes T-DM1 (KATHERINE); the
capecitabine label and EMA/MHRA (2020) contraindicate it with complete DPD deficiency and creatinine clearance
< 30 mL/min. The oracle is targeted.capecitabine as it was at commit d830a40 (with _capecitabine_full,
_capecitabine_decision, _capecitabine_barrier and _capecitabine_patient), frozen below; for an undecided subtype it
decides olaparib for each variant with targeted.olaparib (equal to its own frozen oracle in
test_olaparib_table.py). Each patient's board first gets the olaparib decision, as in the engine. Drawn patients,
varied so that every setting, response, subtype and germline BRCA result is met (tests/guidelines/_targeted_cases.py),
plus worked cases for the rarest rules, are compared case by case (the whole board) and, for the decision and the
rule id, column-wise.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from tests.guidelines._targeted_cases import contexts_of, varied_contexts

from micromets.guidelines._context import Board, Context
from micromets.guidelines.patient import (
    ACTIVE,
    decide_if_immaterial,
    fitness,
    receptor_fields,
    residual_disease,
    subtype_variants,
)
from micromets.guidelines.rules import rules
from micromets.guidelines.targeted import (
    CAPECITABINE,
    capecitabine,
    capecitabine_columns,
    capecitabine_facts,
    olaparib,
)
from micromets.model import INSUFFICIENT_DATA

KEY = "capecitabine"


def _frozen_capecitabine(ctx: Context, board: Board) -> None:
    """CREATE-X: capecitabine for HER2-negative residual invasive disease after neoadjuvant chemotherapy."""
    key = "capecitabine"
    facts = ctx.say("receptors", "setting", "pcr", "t", "n")
    if ctx.setting != "post_neoadjuvant":
        return board.decide(key, "not_indicated", rid="systemic.capecitabine.not_indicated.not_post_neoadjuvant",
                            strength="strong", text="Capecitabine (CREATE-X) applies to residual disease after "
                                                    "neoadjuvant chemotherapy only.", rationale=facts,
                            evidence=["CREATE-X"], would_change_if="residual invasive disease after neoadjuvant "
                                                                   "chemotherapy (HER2-negative)")
    if not _frozen_decision(ctx, board, facts):
        _frozen_patient(ctx, board)


def _frozen_full(ctx: Context, board: Board, facts: str) -> None:
    if not _frozen_decision(ctx, board, facts):
        _frozen_patient(ctx, board)


def _frozen_decision(ctx: Context, board: Board, facts: str) -> bool | None:
    key = "capecitabine"
    # amended (patient-first vignettes, round 7, 2026-12-02): CREATE-X enrolled residual disease after neoadjuvant
    # chemotherapy; after neoadjuvant endocrine therapy alone (recorded agents, none cytotoxic) it does not apply.
    agents = set(ctx.agents())
    if agents and "endocrine" in agents and not agents & {"anthracycline", "taxane", "platinum"}:
        board.decide(key, "not_indicated", rid="systemic.capecitabine.not_indicated.after_neoadjuvant_endocrine",
                     strength="strong",
                     text="Neoadjuvant endocrine therapy only, no neoadjuvant chemotherapy: capecitabine after surgery "
                          "(CREATE-X) was tested for residual disease after neoadjuvant chemotherapy and does not "
                          "apply; whether adjuvant chemotherapy is given is decided by the residual disease (see "
                          "chemotherapy).",
                     rationale=facts, evidence=["CREATE-X", "NCCN-BREAST"],
                     would_change_if="residual invasive disease after neoadjuvant chemotherapy")
        return None
    residual = residual_disease(ctx)
    if residual is False:
        board.decide(key, "not_indicated", rid="systemic.capecitabine.not_indicated.pcr", strength="strong",
                     text="Pathological complete response: no capecitabine.", rationale=facts,
                     evidence=["CREATE-X"], would_change_if="residual invasive disease")
        return None
    if ctx.subtype == "her2_pos" or ctx.findings.her2 == "positive":
        board.decide(key, "not_indicated", rid="systemic.capecitabine.not_indicated.her2_positive",
                     strength="strong", text="HER2-positive residual disease: T-DM1 (KATHERINE), not "
                                             "capecitabine.", rationale=facts, evidence=["KATHERINE", "CREATE-X"],
                     would_change_if="HER2-negative disease")
        return None
    if _frozen_barrier(ctx, board, facts):
        return None
    if ctx.subtype is None:
        # The triple-negative answer reads the olaparib decision, which the unknown subtype also left open:
        # decide olaparib again for each variant first, or the variants would disagree for no reason.
        def with_olaparib(variant: Context, scratch: Board) -> None:
            olaparib(variant, scratch)
            _frozen_full(variant, scratch, facts)

        decide_if_immaterial(
            board, key, with_olaparib, subtype_variants(ctx),
            unknown="The receptor subtype",
            fields=receptor_fields(ctx, "capecitabine (CREATE-X) is for HER2-negative disease"))
        return True
    if residual is None:
        board.unknown(key, {"tumour.size_mm": "residual invasive disease after neoadjuvant therapy decides "
                                              "capecitabine"})
        return None
    if ctx.subtype == "hr_pos_her2_neg":
        board.decide(key, "discuss", rid="systemic.capecitabine.discuss.hr_positive", strength="weak",
                     text="HR-positive residual disease: CREATE-X benefit was concentrated in triple-negative "
                          "disease; endocrine therapy +/- CDK4/6 inhibitor is the backbone; discuss "
                          "capecitabine 1,250 mg/m2 twice daily days 1-14 every 3 weeks x6-8.",
                     rationale=facts, evidence=["CREATE-X", "NCCN-BREAST"],
                     would_change_if="triple-negative disease (recommended)")
        return None
    # amended (patient-safety audit 2026-12-02): olaparib declined by the patient is no alternative to capecitabine.
    if board.decisions.get("olaparib") == "recommended" and not ctx.declined("olaparib"):
        board.decide(key, "discuss", rid="systemic.capecitabine.discuss.olaparib_eligible", strength="moderate",
                     text="Triple-negative residual disease with gBRCA: olaparib (OlympiA) or capecitabine "
                          "(CREATE-X); they have not been compared; choose at the tumour board.",
                     rationale=facts, evidence=["CREATE-X", "OLYMPIA"],
                     would_change_if="no gBRCA variant (capecitabine recommended)")
        return None
    # amended (patient audit 2026-12-01): CREATE-X predates pembrolizumab; after KEYNOTE-522 capecitabine is
    # discussed (no trial tested it added to adjuvant pembrolizumab), and unrecorded agents are asked for.
    agents = ctx.agents()
    if not agents:
        board.unknown(key, {"neoadjuvant_therapy.agents": "whether pembrolizumab was part of neoadjuvant therapy "
                                                          "decides capecitabine: CREATE-X predates it, so after "
                                                          "KEYNOTE-522 capecitabine is discussed rather than "
                                                          "recommended"})
        return None
    if "pembrolizumab" in agents:
        board.decide(key, "discuss", rid="systemic.capecitabine.discuss.after_pembrolizumab", strength="weak",
                     text="Triple-negative residual invasive disease after neoadjuvant chemotherapy with "
                          "pembrolizumab (KEYNOTE-522): pembrolizumab continues to 1 year. Adding capecitabine is not "
                          "established: CREATE-X (TNBC DFS HR 0.58, OS HR 0.52) enrolled patients treated before "
                          "pembrolizumab, and no trial has tested capecitabine added to adjuvant pembrolizumab "
                          "(combined toxicity data are limited). Discuss; if chosen, 1,250 mg/m2 twice daily days "
                          "1-14 every 3 weeks x6-8 cycles.",
                     rationale=facts, evidence=["CREATE-X", "KEYNOTE-522", "NCCN-BREAST"],
                     would_change_if="neoadjuvant chemotherapy without pembrolizumab (recommended), or a "
                                     "pathological complete response")
        return None
    # amended (patient-safety audit 2026-12-02): an unknown germline BRCA result that leaves olaparib open is not read
    # as negative: a carrier's capecitabine is discussed beside olaparib (OlympiA), so the result is asked for, except
    # where both answers end alike (pregnancy defers both; a vulnerable patient's are both discussed).
    if (board.decisions.get("olaparib") == INSUFFICIENT_DATA and ctx.case.germline_brca is None
            and not ctx.pregnant and fitness(ctx).level != "vulnerable" and not ctx.declined("olaparib")):
        board.unknown(key, {"germline_brca": "a germline BRCA1/2 variant makes olaparib (OlympiA) the alternative to "
                                             "capecitabine for triple-negative residual disease (then discussed "
                                             "rather than recommended); ASCO-SSO 2024: test every patient eligible "
                                             "for a PARP inhibitor"})
        return None
    board.decide(key, "recommended", rid="systemic.capecitabine.recommended", strength="moderate",
                 text="Triple-negative residual invasive disease after neoadjuvant chemotherapy without "
                      "pembrolizumab: capecitabine 1,250 mg/m2 twice daily days 1-14 every 3 weeks x6-8 cycles "
                      "(CREATE-X TNBC: DFS HR 0.58, OS HR 0.52).", rationale=facts, evidence=["CREATE-X", "NCCN-BREAST"],
                 would_change_if="a pathological complete response, a gBRCA variant (then discuss vs olaparib), or "
                                 "pembrolizumab in the neoadjuvant regimen (then discussed)")
    return None


CAPECITABINE_EVIDENCE = ["EMA-DPD-2020", "CAPECITABINE-LABEL"]


def _frozen_barrier(ctx: Context, board: Board, facts: str) -> bool:
    """Contraindications and frailty decide before the tumour does (complete DPD deficiency, CrCl < 30, frail)."""
    key = "capecitabine"
    d = rules().safety.drugs
    c = ctx.conditions
    egfr = c.egfr_ml_min
    fit = fitness(ctx)
    if c.dpd_deficiency == "complete":
        text, rid, evidence = ("Complete DPD deficiency: capecitabine is contraindicated (EMA/MHRA; risk of fatal "
                               "toxicity).", "dpd", CAPECITABINE_EVIDENCE)
        change = "no complete DPD deficiency"
    elif egfr is not None and egfr < d.capecitabine_contraindicated_below_ml_min:
        text, rid, evidence = (f"eGFR {egfr:g} mL/min (standing in for creatinine clearance): capecitabine is "
                               f"contraindicated below {d.capecitabine_contraindicated_below_ml_min:g} mL/min (label).",
                               "renal", CAPECITABINE_EVIDENCE)
        change = f"creatinine clearance >= {d.capecitabine_contraindicated_below_ml_min:g} mL/min"
    elif fit.level == "frail":
        text, rid, evidence = (f"Not offered: {fit.words} - outside trial evidence (CREATE-X enrolled fit patients).",
                               "frail", ["ASCO-GERIATRIC-2018", "SIOG-EUSOMA-2021"])
        change = "no frailty (ECOG <= 2, CFS < 7, life expectancy >= 5 years)"
    else:
        return False
    board.decide(key, "not_indicated", rid=f"systemic.capecitabine.not_indicated.{rid}", strength="strong",
                 text=text, rationale=facts, evidence=evidence, would_change_if=change)
    return True


def _frozen_patient(ctx: Context, board: Board) -> None:
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
    if fit.level == "vulnerable":
        board.amend(key, value="discuss", strength="weak", extra_evidence=("ASCO-GERIATRIC-2018",),
                    note=f"Patient: {fit.words} - outside trial evidence; discuss after a geriatric assessment.")


def _frozen_rule_only(ctx: Context, board: Board) -> None:
    """The frozen decision without the patient notes and the vulnerable-patient rail that follow it."""
    if ctx.setting != "post_neoadjuvant":
        return _frozen_capecitabine(ctx, board)
    _frozen_decision(ctx, board, ctx.say("receptors", "setting", "pcr", "t", "n"))


_TNBC = {"er_percent": 0, "pr_percent": 0, "her2_ihc": "0"}
_AFTER_NST: dict[str, Any] = {
    "age": 45, "metastasis": "cM0", "neoadjuvant": True, "surgery": {"status": "done", "breast": "mastectomy"},
    "neoadjuvant_therapy": {"pre_treatment_size_mm": 40, "pre_treatment_clinical_nodes": "cN1",
                            "agents": ["anthracycline", "taxane"]},
    "nodes": {"procedure": "slnb", "examined": 3, "deposits": [{"node": 1, "size_mm": 4.0, "method": "he"}]}}
#: Rules the varied patients reach rarely: complete DPD deficiency and eGFR below 30 mL/min (the label), triple-
#: negative residual disease in a gBRCA carrier (olaparib eligible), and HER2-negative disease of unknown ER and PR
#: in a vulnerable patient (both subtypes are then discussed: the subtype is immaterial).
_WORKED: list[dict[str, Any]] = [
    {**_AFTER_NST, "id": "dpd", "tumour": {"size_mm": 12, **_TNBC}, "conditions": {"dpd_deficiency": "complete"}},
    {**_AFTER_NST, "id": "renal", "tumour": {"size_mm": 12, **_TNBC}, "conditions": {"egfr_ml_min": 25}},
    {**_AFTER_NST, "id": "gbrca", "tumour": {"size_mm": 12, "grade": 3, **_TNBC}, "germline_brca": "brca1"},
    {**_AFTER_NST, "id": "vulnerable", "tumour": {"size_mm": 12, "her2_ihc": "0"}, "ecog": 2},
    # amended (patient audit 2026-12-01): after KEYNOTE-522 (pembrolizumab among the agents) capecitabine is
    # discussed; with the agents unrecorded it is insufficient data (CREATE-X predates pembrolizumab).
    {**_AFTER_NST, "id": "after-keynote522", "tumour": {"size_mm": 12, "grade": 3, **_TNBC},
     "neoadjuvant_therapy": {**_AFTER_NST["neoadjuvant_therapy"],
                             "agents": ["anthracycline", "taxane", "platinum", "pembrolizumab"]}},
    {**_AFTER_NST, "id": "agents-unrecorded", "tumour": {"size_mm": 12, "grade": 3, **_TNBC},
     "neoadjuvant_therapy": {**_AFTER_NST["neoadjuvant_therapy"], "agents": []}},
    # amended (patient-first vignettes, round 7): neoadjuvant endocrine therapy only -> no CREATE-X capecitabine.
    {**_AFTER_NST, "id": "after-neoadjuvant-endocrine", "tumour": {"size_mm": 14, "grade": 2, "er_percent": 95,
                                                                 "pr_percent": 50, "her2_ihc": "1+"},
     "neoadjuvant_therapy": {**_AFTER_NST["neoadjuvant_therapy"], "agents": ["endocrine"]}},
]


@pytest.fixture(scope="module")
def contexts() -> list[Context]:
    return [*varied_contexts(2600), *contexts_of(_WORKED)]


def _with_olaparib(ctx: Context) -> Board:
    board = Board()
    olaparib(ctx, board)
    return board


def _state(board: Board) -> tuple[Any, ...]:
    return (board.decisions, [r.model_dump() for r in board.recommendations], [m.model_dump() for m in board.missing])


def test_the_table_decides_as_the_rule_function_did(contexts: list[Context]) -> None:
    assert len(contexts) >= 2500
    matched = np.zeros(len(CAPECITABINE.rules), dtype=int)
    for ctx in contexts:
        new, old = _with_olaparib(ctx), _with_olaparib(ctx)
        capecitabine(ctx, new)
        _frozen_capecitabine(ctx, old)
        assert _state(new) == _state(old), ctx.case.model_dump(exclude_none=True)
        matched[CAPECITABINE.first(capecitabine_facts(ctx, new.decisions["olaparib"]))] += 1
    # Every rule of the table decides some of the patients (the subtype-open rule included).
    assert np.all(matched > 0), dict(zip((r.rid for r in CAPECITABINE.rules), matched.tolist(), strict=True))


def test_column_wise_evaluation_equals_case_by_case(contexts: list[Context]) -> None:
    boards = [_with_olaparib(ctx) for ctx in contexts]
    decisions, rule_ids = CAPECITABINE.decide(capecitabine_columns(
        contexts, [board.decisions["olaparib"] for board in boards]))
    for i, (ctx, board) in enumerate(zip(contexts, boards, strict=True)):
        _frozen_rule_only(ctx, board)
        rec = board.recommendation(KEY)
        assert (decisions[i], rule_ids[i]) == (board.decisions[KEY], rec.id if rec else None), i
