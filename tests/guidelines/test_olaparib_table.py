"""Adjuvant olaparib as a first-match decision table equals the rule function it replaced.

The rule is OlympiA (Tutt, NEJM 2021; Geyer, Ann Oncol 2022): one year of olaparib for germline BRCA1/2 carriers with
HER2-negative high-risk disease - triple-negative >= pT2 or >= pN1, HR-positive with >= 4 positive nodes, and after
neoadjuvant chemotherapy residual invasive disease (HR-positive: a CPS+EG score >= 3, Mittendorf JCO 2011). The
oracle is targeted.olaparib as it was at commit d830a40, frozen below; the helpers it calls (_olympia_could_apply,
_olympia_unknowns, cps_eg_score) are unchanged since and imported. Drawn patients, varied so that every setting,
response, subtype (known, and undecided between its variants) and germline BRCA result is met
(tests/guidelines/_targeted_cases.py), plus worked cases for the rarest rules, are compared case by case (the whole
board) and, for the decision and the rule id, column-wise.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest
from tests.guidelines._targeted_cases import contexts_of, varied_contexts

from micromets.guidelines._context import Board, Context
from micromets.guidelines.patient import (
    decide_if_immaterial,
    fitness,
    no_invasive_disease,
    receptor_fields,
    subtype_variants,
)
from micromets.guidelines.rules import rules
from micromets.guidelines.targeted import (
    OLAPARIB,
    _olympia_could_apply,
    _olympia_unknowns,
    cps_eg_score,
    olaparib,
    olaparib_columns,
    olaparib_facts,
)

KEY = "olaparib"


def _frozen_olaparib(ctx: Context, board: Board) -> None:
    """Adjuvant olaparib for gBRCA1/2, HER2-negative disease meeting OlympiA criteria."""
    key = "olaparib"
    facts = ctx.say("brca", "receptors", "setting", "t", "n", "pcr")
    if no_invasive_disease(ctx):
        return board.decide(key, "not_indicated", rid="systemic.olaparib.not_indicated.no_invasive", strength="strong",
                            text="No invasive carcinoma (DCIS only or no invasive tumour): no olaparib (OlympiA enrolled "
                                 "high-risk invasive disease).", rationale=facts, evidence=["OLYMPIA"],
                            would_change_if="invasive carcinoma")
    if ctx.subtype is None and ctx.findings.her2 != "positive":
        # Whether PR matters is judged under each germline BRCA result when that is open too (every subtype then
        # waits for it, but ER-negative PR-positive and triple-negative disease may still be decided alike).
        brca_results = [] if ctx.case.germline_brca is not None else [
            (lambda c, v=value: dataclasses.replace(c, case=c.case.model_copy(update={"germline_brca": v})))
            for value in ("brca1", "negative")]
        return decide_if_immaterial(
            board, key, _frozen_olaparib, subtype_variants(ctx), unknown="The receptor subtype", completions=brca_results,
            fields=receptor_fields(ctx, "olaparib (OlympiA) is for HER2-negative disease"))
    if ctx.subtype == "her2_pos" or ctx.findings.her2 == "positive":
        return board.decide(key, "not_indicated", rid="systemic.olaparib.not_indicated.her2_positive",
                            strength="strong", text="HER2-positive: outside OlympiA.", rationale=facts,
                            evidence=["OLYMPIA"], would_change_if="HER2-negative disease")
    fit = fitness(ctx)
    if fit.level == "frail":
        return board.decide(key, "not_indicated", rid="systemic.olaparib.not_indicated.frail", strength="moderate",
                            text=f"{fit.words}: outside trial evidence (OlympiA enrolled patients fit for a year of "
                                 "olaparib after chemotherapy); no adjuvant olaparib.",
                            rationale=f"{fit.words}; {facts}", evidence=["OLYMPIA", "ASCO-GERIATRIC-2018"],
                            would_change_if="no frailty (ECOG <= 2, CFS < 7, life expectancy >= 5 years)")
    could, why = _olympia_could_apply(ctx)
    brca = ctx.case.germline_brca
    if could is False:
        return board.decide(key, "not_indicated", rid="systemic.olaparib.not_indicated.criteria", strength="strong",
                            text=f"Outside OlympiA: {why}.", rationale=facts, evidence=["OLYMPIA", "NCCN-BREAST"],
                            would_change_if="TNBC > 20 mm or nodal macrometastasis, HR+ with >= 4 positive nodes, or "
                                            "residual disease after neoadjuvant chemotherapy - with a gBRCA variant")
    if brca == "negative":
        return board.decide(key, "not_indicated", rid="systemic.olaparib.not_indicated.brca_negative",
                            strength="strong", text="No germline BRCA1/2 pathogenic variant: no olaparib.",
                            rationale=facts, evidence=["OLYMPIA"], would_change_if="a germline BRCA1/2 variant")
    hr_after_nst = ctx.setting == "post_neoadjuvant" and ctx.subtype == "hr_pos_her2_neg"
    score = cps_eg_score(ctx) if hr_after_nst else None
    table = rules().targeted.olympia_cps_eg
    if score is not None and not score.missing and score.high < table.min_score:
        return board.decide(key, "not_indicated", rid="systemic.olaparib.not_indicated.cps_eg", strength="strong",
                            text=f"HR-positive after neoadjuvant therapy with CPS+EG {score.text}: below the "
                                 f"OlympiA threshold ({table.min_score}).", rationale=facts,
                            evidence=table.evidence, would_change_if=f"a CPS+EG score >= {table.min_score}")
    if brca is None:
        return board.unknown(key, {"germline_brca": "the patient could meet OlympiA criteria: a germline BRCA1/2 "
                                                    "result decides adjuvant olaparib"})
    if could is None:
        return board.unknown(key, _olympia_unknowns(ctx, why))
    if score is not None:
        if score.missing:
            return board.unknown(key, score.missing)
        if score.low < table.min_score:
            return board.unknown(key, {name: f"CPS+EG {score.text}: {why}, which would reach the OlympiA threshold "
                                             f"({table.min_score})" for name, why in score.uncertain.items()})
        why = f"{why}; CPS+EG {score.text} (>= {table.min_score})"
    board.decide(key, "recommended", rid="systemic.olaparib.recommended", strength="strong",
                 text=f"Germline {brca.upper()} with {why}: olaparib 300 mg twice daily for 1 year after chemotherapy "
                      "and surgery (OlympiA: 3-yr iDFS 85.9% vs 77.1%; 4-yr OS 89.8% vs 86.4%).",
                 rationale=facts, evidence=["OLYMPIA", "NCCN-BREAST"],
                 would_change_if="no gBRCA variant, or a stage I (T1N0/T1N1mi) tumour")



_HR_POSITIVE = {"er_percent": 90, "pr_percent": 40, "her2_ihc": "1+"}
_AFTER_NST: dict[str, Any] = {
    "age": 45, "metastasis": "cM0", "neoadjuvant": True, "germline_brca": "brca2",
    "surgery": {"status": "done", "breast": "mastectomy"}}
#: Rules the varied patients reach rarely: HR-positive residual disease after neoadjuvant therapy in a gBRCA carrier
#: with a CPS+EG score below 3 at most (cT1 N0, ypT1 N0, grade 1), open across the threshold (grade unknown), and
#: reaching it (cT3 N1, ypN1, grade 3).
_WORKED: list[dict[str, Any]] = [
    {**_AFTER_NST, "id": "cps-low", "tumour": {"size_mm": 8, "grade": 1, "nuclear_grade": 1, **_HR_POSITIVE},
     "neoadjuvant_therapy": {"pre_treatment_size_mm": 15, "pre_treatment_clinical_nodes": "cN0"},
     "nodes": {"procedure": "slnb", "examined": 2, "deposits": []}},
    {**_AFTER_NST, "id": "cps-open", "tumour": {"size_mm": 25, **_HR_POSITIVE},
     "neoadjuvant_therapy": {"pre_treatment_size_mm": 60, "pre_treatment_clinical_nodes": "cN1"},
     "nodes": {"procedure": "alnd", "examined": 10, "deposits": [{"node": 1, "size_mm": 4.0, "method": "he"}]}},
    {**_AFTER_NST, "id": "cps-met", "tumour": {"size_mm": 25, "grade": 3, "nuclear_grade": 3, **_HR_POSITIVE},
     "neoadjuvant_therapy": {"pre_treatment_size_mm": 60, "pre_treatment_clinical_nodes": "cN2a"},
     "nodes": {"procedure": "alnd", "examined": 10, "deposits": [{"node": 1, "size_mm": 4.0, "method": "he"}]}},
]


@pytest.fixture(scope="module")
def contexts() -> list[Context]:
    return [*varied_contexts(2600), *contexts_of(_WORKED)]


def _state(board: Board) -> tuple[Any, ...]:
    return (board.decisions, [r.model_dump() for r in board.recommendations], [m.model_dump() for m in board.missing])


def test_the_table_decides_as_the_rule_function_did(contexts: list[Context]) -> None:
    assert len(contexts) >= 2500
    matched = np.zeros(len(OLAPARIB.rules), dtype=int)
    for ctx in contexts:
        new, old = Board(), Board()
        olaparib(ctx, new)
        _frozen_olaparib(ctx, old)
        assert _state(new) == _state(old), ctx.case.model_dump(exclude_none=True)
        matched[OLAPARIB.first(olaparib_facts(ctx))] += 1
    # Every rule of the table decides some of the patients (the subtype-open rule included).
    assert np.all(matched > 0), dict(zip((r.rid for r in OLAPARIB.rules), matched.tolist(), strict=True))


def test_column_wise_evaluation_equals_case_by_case(contexts: list[Context]) -> None:
    decisions, rule_ids = OLAPARIB.decide(olaparib_columns(contexts))
    for i, ctx in enumerate(contexts):
        board = Board()
        _frozen_olaparib(ctx, board)
        rec = board.recommendation(KEY)
        assert (decisions[i], rule_ids[i]) == (board.decisions[KEY], rec.id if rec else None), i
