"""The decisions written as first-match tables, evaluated over a batch of patients column by column.

Each entry of :data:`TABLES` is one decision key with its table, the facts of one patient (plain values, as the
per-case engine reads them) and the same facts of a batch (numpy columns). :func:`decide_columns` gives, for every
patient of a batch, the value each table decides and the id of the rule that decided it, with no text rendered:
what the cohort engine needs once every decision is a table (issue 13). :func:`decide_columns` gives the table's
value; :func:`final_columns` applies after it, column-wise, the rails that change these decisions, with the rule
functions the per-case engine uses: metastatic disease (``safety.metastatic_outcome``), RT deferred in pregnancy
(``radiation.deferred_in_pregnancy``) and treatments the patient declined (``preferences.declined_rule_id``).

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

import numpy as np
from numpy.typing import NDArray

from micromets.guidelines import radiation
from micromets.guidelines._context import Context
from micromets.guidelines.preferences import declined_rule_id
from micromets.guidelines.safety import metastatic_outcome
from micromets.guidelines.table import DecisionTable, Facts
from micromets.model import DECLINED, DEFERRED

__all__ = ["TABLES", "TabledDecision", "decide_columns", "decide_one", "final_columns"]


@dataclass(frozen=True)
class TabledDecision:
    """One decision key evaluated by a table: its facts for one patient and for a batch."""

    table: DecisionTable
    facts: Callable[[Context], Facts]
    columns: Callable[[Sequence[Context]], Facts]


#: Every decision key that is a table so far, in the order of the decision points.
TABLES: Mapping[str, TabledDecision] = {
    "boost": TabledDecision(radiation.BOOST, radiation.boost_facts, radiation.boost_columns),
    "regional_nodal_irradiation": TabledDecision(radiation.RNI, radiation.rni_facts, radiation.rni_columns),
    "post_mastectomy_rt": TabledDecision(radiation.PMRT, radiation.pmrt_facts, radiation.pmrt_columns),
}


def _rule_ids(table: DecisionTable) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    values = np.array([r.decision for r in table.rules] + [None], dtype=object)
    ids = np.array([r.rid for r in table.rules] + [None], dtype=object)
    return values, ids


def decide_columns(contexts: Sequence[Context]) -> dict[str, tuple[NDArray[np.object_], NDArray[np.object_]]]:
    """For each tabled decision key: the value and the matched rule id of every patient, column-wise.

    The rule id is given for every rule, ``insufficient_data`` ones included (they name the unknown fact), so a
    registry can count why decisions stay open.
    """
    out: dict[str, tuple[NDArray[np.object_], NDArray[np.object_]]] = {}
    if not contexts:
        return {key: (np.array([], dtype=object), np.array([], dtype=object)) for key in TABLES}
    for key, tabled in TABLES.items():
        matched = tabled.table.match(tabled.columns(contexts))
        if (matched < 0).any():
            raise RuntimeError(f"no rule of the {key} table matched {int((matched < 0).sum())} patient(s)")
        values, ids = _rule_ids(tabled.table)
        out[key] = (values[matched], ids[matched])
    return out


def final_columns(contexts: Sequence[Context]) -> dict[str, tuple[NDArray[np.object_], NDArray[np.object_]]]:
    """The decisions of :func:`decide_columns` after the rails, as the per-case engine's board ends: value and rule
    id (of the recommendation; for insufficient_data, of the rule that found the input missing)."""
    out = decide_columns(contexts)
    pregnant = np.array([ctx.pregnant for ctx in contexts], dtype=np.bool_)
    metastatic = np.array([ctx.metastatic for ctx in contexts], dtype=np.bool_)
    for key, (values, ids) in out.items():
        if key in radiation.DEFERRED_IN_PREGNANCY:
            deferred = radiation.deferred_in_pregnancy(pregnant, values)
            values[deferred], ids[deferred] = DEFERRED, radiation.deferred_rule_id(key)
        values[metastatic], ids[metastatic] = metastatic_outcome(key)
        declined = np.array([ctx.declined(key) for ctx in contexts], dtype=np.bool_)
        values[declined], ids[declined] = DECLINED, declined_rule_id(key)
    return out


def decide_one(ctx: Context) -> dict[str, tuple[str, str]]:
    """The same for one patient on plain values (the per-case engine's evaluation): value and rule id per key."""
    out: dict[str, tuple[str, str]] = {}
    for key, tabled in TABLES.items():
        index = tabled.table.first(tabled.facts(ctx))
        if index < 0:  # every table ends in a rule for what is left; a gap is a programming error
            raise RuntimeError(f"no rule of the {key} table matched")
        rule = tabled.table.rules[index]
        out[key] = (rule.decision, rule.rid)
    return out
