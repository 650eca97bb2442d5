"""Item 3 of issue 8 for the local-therapy decisions: an input reported as leaving a decision insufficient_data
must be able to change that decision. For every such (field, decision) pair the property supplies each plausible
value of the field (what-if) and requires at least one to move the decision away from insufficient_data.

Cases are drawn around the local-therapy rules: planned surgery in older patients (SOUND, Choosing Wisely),
upfront surgery with ITC/micro/macro deposits (RT omission, nodal RT, PMRT) and the axilla after neoadjuvant
therapy (sentinel mapping adequacy), with inputs left out at random.
"""

from __future__ import annotations

import copy
import itertools
import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from micromets.errors import CaseValidationError
from micromets.guidelines import recommend
from micromets.model import INSUFFICIENT_DATA, parse_case
from micromets.pathology import classify
from micromets.staging import stage

LOCAL = ("sentinel_biopsy", "axillary_surgery", "whole_breast_rt", "boost", "regional_nodal_irradiation",
         "post_mastectomy_rt")
ITC = {"node": 1, "size_mm": 0.1, "method": "ihc", "extranodal_extension": False}
MICRO = {"node": 1, "size_mm": 1.2, "method": "he", "extranodal_extension": False}
MACRO = {"node": 1, "size_mm": 4.0, "method": "he", "extranodal_extension": False}

#: Plausible values of every field a local rule may report; a new field must be added here to be tested.
CANDIDATES: dict[str, list[Any]] = {
    # The first value of each list is the one most rules accept, so that filling the other inputs with it leaves
    # the tested input free to decide.
    "age": [66, 40, 55, 75],
    "menopausal_status": ["post", "pre"],
    "clinical_nodes": ["cN0", "cN1"],
    "axillary_ultrasound": ["normal", "not_done", "suspicious"],
    "sex": ["female", "male"],
    "neoadjuvant": [False, True],
    "surgery.breast": ["bcs", "mastectomy"],
    "surgery.margins_mm": [3, 0, 0.5, 1.5],
    "tumour.size_mm": [15, 8, 25, 35, 60],
    "tumour.grade": [1, 2, 3],
    "tumour.er_percent": [90, 0],
    "tumour.pr_percent": [50, 0],
    "tumour.her2_ihc": ["0", "1+", "3+"],
    "tumour.ki67_percent": [5, 30],
    "tumour.lvi": [False, True],
    "tumour.quadrant": ["upper_outer", "upper_inner"],
    "nodes.deposits": [[], [ITC], [MICRO], [MACRO], [MACRO, {**MACRO, "node": 2}]],
    "nodes.procedure": ["slnb", "slnb_then_alnd"],
    "nodes.sentinel_nodes_removed": [1, 3, 0],
    "nodes.tracers": [["radioisotope"], ["radioisotope", "blue_dye"]],
    "nodes.clipped_node": ["not_placed", "retrieved", "not_retrieved"],
    "neoadjuvant_therapy.pre_treatment_clinical_nodes": ["cN1", "cN0", "cN2a"],
}

maybe = lambda s: st.none() | s  # noqa: E731

tumour = st.fixed_dictionaries({
    "size_mm": maybe(st.sampled_from([6.0, 15.0, 25.0, 60.0])),
    "grade": maybe(st.integers(1, 3)),
    "er_percent": maybe(st.sampled_from([0.0, 90.0])),
    "pr_percent": maybe(st.sampled_from([0.0, 50.0])),
    "her2_ihc": maybe(st.sampled_from(["0", "1+", "3+"])),
    "ki67_percent": maybe(st.sampled_from([5.0, 30.0])),
    "lvi": maybe(st.booleans()),
    "quadrant": maybe(st.sampled_from(["upper_outer", "upper_inner", "central"])),
})
nodes = st.fixed_dictionaries({
    "procedure": st.sampled_from(["slnb", "slnb", "slnb_then_alnd"]),
    "examined": maybe(st.sampled_from([2, 3, 5])),
    "deposits": st.sampled_from([[], [ITC], [MICRO], [MACRO]]),
    "sentinel_nodes_removed": maybe(st.sampled_from([1, 2])),
    "tracers": maybe(st.sampled_from([["radioisotope"], ["radioisotope", "blue_dye"]])),
    "clipped_node": maybe(st.sampled_from(["not_placed", "retrieved", "not_retrieved"])),
})
cases = st.fixed_dictionaries({
    "age": maybe(st.sampled_from([45, 58, 67, 74, 84])),
    "menopausal_status": maybe(st.sampled_from(["pre", "post"])),
    "metastasis": st.just("cM0"),
    "tumour": tumour,
    "clinical_nodes": maybe(st.sampled_from(["cN0", "cN1"])),
    "nodes": maybe(nodes),
    "axillary_ultrasound": maybe(st.sampled_from(["normal", "not_done"])),
    "neoadjuvant": st.booleans(),
    "pre_nodes": maybe(st.sampled_from(["cN0", "cN1"])),
    "surgery": st.fixed_dictionaries({"breast": maybe(st.sampled_from(["bcs", "mastectomy"])),
                                      "status": st.sampled_from(["done", "done", "planned"]),
                                      "margins_mm": maybe(st.sampled_from([0.5, 3.0]))}),
    "ecog": maybe(st.integers(0, 3)),
})


def _set(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    target = out
    parts = path.split(".")
    for part in parts[:-1]:
        if target.get(part) is None:
            target[part] = {}
        target = target[part]
    target[parts[-1]] = value
    return out


def _decide(data: dict[str, Any]) -> dict[str, Any] | None:
    try:
        case = parse_case(data)
    except CaseValidationError:
        return None
    findings = classify(case).findings
    result = recommend(case, findings, stage(case, findings).staging)
    return {"decisions": result.decisions, "missing": result.missing}


def _as_case(raw: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in raw.items() if k != "pre_nodes"}
    if data["neoadjuvant"]:
        data["neoadjuvant_therapy"] = {"pre_treatment_size_mm": 30, "pre_treatment_clinical_nodes": raw["pre_nodes"]}
    if data["surgery"]["status"] == "planned":
        data["nodes"] = None
    return data


def _contexts(data: dict[str, Any], others: list[str]) -> list[dict[str, Any]]:
    """Fillings of the other missing fields: every combination when there are few, else the first value of each
    with one or two of them varied, and each left missing in turn (a filled field can change the setting)."""
    choices = [CANDIDATES[name] for name in others]
    if math.prod(len(c) for c in choices) <= 160:
        combos = list(itertools.product(*choices))
    else:
        first = tuple(c[0] for c in choices)
        combos = [first]
        for i, j in itertools.combinations_with_replacement(range(len(others)), 2):
            for a in choices[i][1:]:
                for b in (choices[j][1:] if j != i else [a]):
                    combo = list(first)
                    combo[i], combo[j] = a, b
                    combos.append(tuple(combo))
    out = []
    for combo in combos:
        filled = data
        for name, value in zip(others, combo, strict=True):
            filled = _set(filled, name, value)
        out.append(filled)
    for skip in others:
        filled = data
        for name in others:
            if name != skip:
                filled = _set(filled, name, CANDIDATES[name][0])
        out.append(filled)
    return out


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases)
def test_every_missing_input_of_a_local_decision_can_flip_it(raw: dict[str, Any]) -> None:
    data = _as_case(raw)
    base = _decide(data)
    if base is None:
        return
    reported: dict[str, list[str]] = {}
    for item in base["missing"]:
        for key in (k for k in item.decisions if k in LOCAL):
            assert base["decisions"][key] == INSUFFICIENT_DATA
            assert item.field in CANDIDATES, f"no candidate values for {item.field} ({key})"
            reported.setdefault(key, []).append(item.field)
    for key, fields in reported.items():
        for name in fields:
            # The field can change the decision if, with the other reported inputs filled in some way, its
            # values lead to different decisions (or to a decision at all where it alone was missing).
            flips = False
            for context in _contexts(data, [f for f in fields if f != name]):
                outcomes = {
                    flipped["decisions"][key]
                    for value in CANDIDATES[name]
                    if (flipped := _decide(_set(context, name, value))) is not None
                }
                if len(outcomes) > 1 or (outcomes and INSUFFICIENT_DATA not in outcomes and len(fields) == 1):
                    flips = True
                    break
            assert flips, (key, name, fields, repr(data))
