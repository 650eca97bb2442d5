"""The decisions written as first-match tables, evaluated over a batch of patients column by column.

Each entry of :data:`TABLES` is one decision key with its table(s) and how a batch of patients is decided over
columns (the facts as numpy columns, then first match; a decision that reads an earlier one, as capecitabine reads
olaparib, gets that decision's column). :func:`decide_columns` gives, for every patient of a batch, the value each
table decides and the id of the rule that decided it (None for insufficient_data, which has no recommendation),
with no text rendered: what the cohort engine needs once every decision is a table (issue 13). :func:`decide_columns` gives the table's
value; :func:`final_columns` applies after it, column-wise, the rails that change these decisions, with the rule
functions the per-case engine uses: metastatic disease (``safety.metastatic_outcome``; a CDK4/6 inhibitor with ECOG
above the trials' limit, ``safety.metastatic_unfit``), RT discussed after prior RT to the same region or with
scleroderma or active lupus (``radiation.rt_caution``), RT asked for the prior RT after an earlier cancer treatment (``radiation.prior_rt_asked``), RT deferred in pregnancy (``radiation.deferred_in_pregnancy``), systemic treatment deferred in pregnancy or while breastfeeding
(``patient.gated_value``) and treatments the patient declined (``preferences.declined_rule_id``).

    >>> from micromets.model import parse_case
    >>> from micromets.pathology import classify
    >>> from micromets.staging import stage
    >>> case = parse_case({"age": 45, "tumour": {"size_mm": 12, "grade": 2}, "metastasis": "cM0",
    ...     "surgery": {"breast": "bcs", "status": "done", "margins_mm": 3}})
    >>> findings = classify(case).findings
    >>> ctx = Context.of(case, findings, stage(case, findings).staging)
    >>> values, rule_ids = decide_columns([ctx])["boost"]
    >>> values.tolist(), rule_ids.tolist()
    (['recommended'], ['radiation.boost.recommended.young'])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
from numpy.typing import NDArray

from micromets.guidelines import (
    DECISION_POINTS,
    _her2_field_alias,
    axilla,
    chemotherapy,
    endocrine,
    radiation,
    targeted,
)
from micromets.guidelines._context import Board, Context
from micromets.guidelines.patient import ACTIVE, PREFIXES, SYSTEMIC_KEYS, gate_reason, gated_value
from micromets.guidelines.preferences import declined_rule_id
from micromets.guidelines.safety import (
    FITNESS_DECIDES,
    METASTATIC_BY_FITNESS,
    fitness_holds,
    fitness_would_change,
    metastatic_outcome,
    metastatic_unfit,
    metastatic_unfit_rule_id,
)
from micromets.guidelines.table import DecisionTable, Facts, unknown
from micromets.model import DECLINED, DEFERRED, INSUFFICIENT_DATA

__all__ = ["TABLES", "Columns", "TabledDecision", "decide_columns", "final_columns"]

#: The value and the rule id of every patient of a batch, for one decision key.
Columns = tuple[NDArray[np.object_], NDArray[np.object_]]
Decided = Mapping[str, NDArray[np.object_]]


def by_table(table: DecisionTable, columns: Callable[[Sequence[Context]], Facts]
             ) -> Callable[[Sequence[Context], Decided], Columns]:
    """A batch decided by one table over the fact columns (no earlier decision read)."""
    def decide(contexts: Sequence[Context], decided: Decided) -> Columns:
        return table.decide(columns(contexts))
    return decide


@dataclass(frozen=True)
class TabledDecision:
    """One decision key evaluated by tables: its rules and how a batch is decided over columns (given the values
    of the keys decided before it)."""

    tables: tuple[DecisionTable, ...]
    decide: Callable[[Sequence[Context], Decided], Columns]


def _capecitabine(contexts: Sequence[Context], decided: Decided) -> Columns:
    return targeted.capecitabine_decide(contexts, list(decided["olaparib"]))


def board_before(ctx: Context, point: Callable[[Context, Board], None] | None, *, explains: bool = True) -> Board:
    """The board as the per-case engine (``recommend``) leaves it just before decision point ``point`` (``None``: after
    every decision point, before the rails): the earlier decisions, their recommendations and missing inputs, decided
    per patient by the same functions. For a table that reads decisions which are not tables yet (the bisphosphonate
    reads chemotherapy and endocrine therapy) and for a rail. ``explains=False``: the values, missing inputs and rule
    ids only (what a table's facts read), no recommendation built."""
    board = Board(field_aliases=_her2_field_alias(ctx.case, ctx.findings), explains=explains)
    for decision_point in DECISION_POINTS:
        if decision_point is point:
            break
        decision_point(ctx, board)
    return board


def _bisphosphonate(contexts: Sequence[Context], decided: Decided) -> Columns:
    # The earlier boards are built only for the patients the first rules leave undecided (when a fact reads them).
    return endocrine.bisphosphonate_decide(contexts, [partial(board_before, ctx, endocrine.bisphosphonate,
                                                              explains=False) for ctx in contexts])


#: Every decision key that is a table so far, in the order of the decision points (later ones may read earlier).
TABLES: Mapping[str, TabledDecision] = {
    "sentinel_biopsy": TabledDecision((axilla.SENTINEL_BIOPSY,),
                                      by_table(axilla.SENTINEL_BIOPSY, axilla.sentinel_biopsy_columns)),
    "axillary_surgery": TabledDecision((axilla.AXILLARY_SURGERY, axilla.AXILLARY_PROCEDURE),
                                       lambda contexts, decided: axilla.axillary_surgery_decide(
                                           axilla.axillary_surgery_columns(contexts))),
    "chemotherapy": TabledDecision((chemotherapy.CHEMOTHERAPY,),
                                   lambda contexts, decided: chemotherapy.chemotherapy_decide(contexts)),
    "endocrine": TabledDecision((endocrine.ENDOCRINE,), by_table(endocrine.ENDOCRINE, endocrine.endocrine_columns)),
    "her2_therapy": TabledDecision((targeted.HER2_THERAPY,),
                                   lambda contexts, decided: targeted.her2_therapy_decide(contexts)),
    "cdk46_inhibitor": TabledDecision((targeted.CDK46_INHIBITOR,),
                                      lambda contexts, decided: targeted.cdk46_inhibitor_decide(contexts)),
    "olaparib": TabledDecision((targeted.OLAPARIB,), by_table(targeted.OLAPARIB, targeted.olaparib_columns)),
    "immunotherapy": TabledDecision((targeted.IMMUNOTHERAPY,),
                                    by_table(targeted.IMMUNOTHERAPY, targeted.immunotherapy_columns)),
    "capecitabine": TabledDecision((targeted.CAPECITABINE,), _capecitabine),
    "bisphosphonate": TabledDecision((endocrine.BISPHOSPHONATE,), _bisphosphonate),
    "whole_breast_rt": TabledDecision((radiation.WBRT,), by_table(radiation.WBRT, radiation.wbrt_columns)),
    "boost": TabledDecision((radiation.BOOST,), by_table(radiation.BOOST, radiation.boost_columns)),
    "regional_nodal_irradiation": TabledDecision((radiation.RNI,), by_table(radiation.RNI, radiation.rni_columns)),
    "post_mastectomy_rt": TabledDecision((radiation.PMRT,), by_table(radiation.PMRT, radiation.pmrt_columns)),
}


def decide_columns(contexts: Sequence[Context]) -> dict[str, Columns]:
    """For each tabled decision key: the value and the matched rule id of every patient, column-wise (the rule id
    is None where the value is insufficient_data: no recommendation carries it)."""
    out: dict[str, Columns] = {}
    if not contexts:
        return {key: (np.array([], dtype=object), np.array([], dtype=object)) for key in TABLES}
    for key, tabled in TABLES.items():
        values, ids = tabled.decide(contexts, {k: v for k, (v, _) in out.items()})
        gaps = int(np.count_nonzero(unknown(values)))
        if gaps:  # every table ends in a rule for what is left: a gap is a programming error
            raise RuntimeError(f"no rule of the {key} table matched {gaps} patient(s)")
        ids = ids.copy()
        ids[values == INSUFFICIENT_DATA] = None
        out[key] = (values.copy(), ids)
    return out


def _hold_unassessed_fitness(contexts: Sequence[Context], out: dict[str, Columns]) -> None:
    """The older patients with no fitness measure (``safety.fitness_holds``): the decisions a poorer status would change
    become insufficient_data, as the per-case rail (``safety.unassessed_fitness``) finds them on the board that all
    decision points leave (few patients: per case)."""
    for i, ctx in enumerate(contexts):
        if ctx.metastatic or not fitness_holds(ctx) \
                or not any(out[key][0][i] in ACTIVE for key in FITNESS_DECIDES):
            continue
        board = board_before(ctx, None, explains=False)
        for key in fitness_would_change(ctx, board):
            out[key][0][i], out[key][1][i] = INSUFFICIENT_DATA, None


def final_columns(contexts: Sequence[Context]) -> dict[str, Columns]:
    """The decisions of :func:`decide_columns` after the rails, as the per-case engine's board ends: value and rule
    id of the recommendation (None for insufficient_data)."""
    out = decide_columns(contexts)
    _hold_unassessed_fitness(contexts, out)
    pregnant = np.array([bool(ctx.pregnant) for ctx in contexts], dtype=np.bool_)
    gated = np.flatnonzero(pregnant | np.array([ctx.lactating for ctx in contexts], dtype=np.bool_))
    metastatic = np.array([ctx.metastatic for ctx in contexts], dtype=np.bool_)
    cautions = [radiation.rt_caution(ctx) for ctx in contexts]
    cautioned = np.array([c is not None for c in cautions], dtype=np.bool_)
    for key, (values, ids) in out.items():
        if key in radiation.REIRRADIATED:  # before the pregnancy deferral, as the per-case rails run
            for i in np.flatnonzero(radiation.discussed_for_caution(cautioned, values)).tolist():  # few patients
                values[i], ids[i] = "discuss", radiation.caution_rule_id(key, cautions[i] or "")
            for i in np.flatnonzero(values == "recommended").tolist():
                if radiation.prior_rt_asked(contexts[i], values[i]):  # an earlier cancer treated, prior RT not said
                    values[i], ids[i] = INSUFFICIENT_DATA, None
        if key in radiation.DEFERRED_IN_PREGNANCY:
            deferred = radiation.deferred_in_pregnancy(pregnant, values)
            values[deferred], ids[deferred] = DEFERRED, radiation.deferred_rule_id(key)
        if key in SYSTEMIC_KEYS:
            for i in gated.tolist():  # few patients: the per-case gate itself
                ctx = contexts[i]
                gated_to = gated_value(ctx, key, values[i])
                if values[i] != DEFERRED and gated_to == DEFERRED:
                    values[i], ids[i] = DEFERRED, f"{PREFIXES[key]}.{DEFERRED}.{gate_reason(ctx, key)}"
                elif gated_to == INSUFFICIENT_DATA:  # pregnant, chemotherapy active: the gestational age decides
                    values[i], ids[i] = INSUFFICIENT_DATA, None
        value, rid = metastatic_outcome(key)
        values[metastatic], ids[metastatic] = value, (None if value == INSUFFICIENT_DATA else rid)
        if key in METASTATIC_BY_FITNESS:
            for i in np.flatnonzero(metastatic).tolist():  # few patients: the per-case rail
                if metastatic_unfit(contexts[i], key):
                    values[i], ids[i] = "not_indicated", metastatic_unfit_rule_id(key)
        declined = np.array([ctx.declined(key) for ctx in contexts], dtype=np.bool_)
        values[declined], ids[declined] = DECLINED, declined_rule_id(key)
    return out
