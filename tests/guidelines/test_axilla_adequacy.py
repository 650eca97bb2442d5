"""Adequacy of axillary staging: fixes found by the blind vignettes of tests/vignettes/adequacy (each test fails on
8e6a499). Cases come from that folder's builder; expected values from the sources named in each test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _modules import load_module
from micromets.assess import assess
from micromets.model import INSUFFICIENT_DATA, Assessment, parse_case

B = load_module("build_adequacy_vignettes",
                Path(__file__).parents[1] / "vignettes" / "adequacy" / "build_adequacy_vignettes.py")
IMN = {"internal_mammary": "sentinel_microscopic"}


def run(case: dict[str, Any]) -> Assessment:
    return assess(parse_case({"id": "t", **case}))


def axilla(case: dict[str, Any]) -> str:
    return str(run(case).decisions["axillary_surgery"])


# --- residual disease in the internal mammary nodes only after neoadjuvant therapy ---------------------------------
# ALND treats the axilla, not the internal mammary chain (NCCN BINV-D: ALND for residual axillary disease; the IMN by
# nodal RT, NCCN BINV-I, EORTC 22922). The axilla is then ypN0 and its mapping decides (ACOSOG Z1071, Caudle 2016),
# as it does after upfront surgery (pN1b with negative axillary sentinel nodes: no ALND).

def test_imn_only_after_nst_with_adequate_mapping_needs_no_alnd() -> None:
    a = run(B.after_nst("cN1", nodes=IMN))
    assert a.decisions["axillary_surgery"] == "none_needed"
    assert a.decisions["regional_nodal_irradiation"] == "recommended"
    rec = next(r for r in a.recommendations if r.id.startswith("surgery.alnd."))
    assert rec.id == "surgery.alnd.none_needed.internal_mammary_only_after_neoadjuvant" and "internal mammary" in rec.text


def test_imn_only_after_nst_cn0_before_needs_no_alnd() -> None:
    assert axilla(B.after_nst("cN0", nodes={**IMN, "examined": 1, "sentinel_nodes_removed": 1})) == "none_needed"


def test_imn_only_after_nst_with_inadequate_mapping_is_rt_or_alnd() -> None:
    case = B.after_nst("cN1", nodes={**IMN, "examined": 1, "sentinel_nodes_removed": 1, "tracers": ["radioisotope"],
                                     "clipped_node": "not_placed"})
    assert axilla(case) == "axillary_rt_or_alnd"


def test_imn_with_axillary_itc_after_nst_is_still_alnd() -> None:
    itc = {"node": 1, "size_mm": 0.1, "cells": 20, "method": "ihc"}
    assert axilla(B.after_nst("cN1", nodes={**IMN, "deposits": [itc]})) == "alnd"


def test_imn_and_axillary_micrometastasis_after_nst_is_still_alnd() -> None:
    assert axilla(B.after_nst("cN1", nodes={**IMN, "deposits": [B.he(1, 1.0)]})) == "alnd"


# --- cN2b: internal mammary nodes WITHOUT clinically evident axillary nodes (AJCC 8) --------------------------------
# The axilla is clinically node-negative: staged by sentinel biopsy as a cN0 axilla (NCCN BINV-D); the cN2 exclusion
# of sentinel biopsy after neoadjuvant therapy (Z1071, A011202, NSABP B-51) is axillary N2 (matted or fixed nodes).

def test_cn2b_before_nst_negative_sentinel_biopsy_needs_no_alnd() -> None:
    case = B.after_nst("cN2b", nodes={"examined": 1, "sentinel_nodes_removed": 1, "tracers": ["radioisotope"],
                                      "clipped_node": "not_placed"})
    assert axilla(case) == "none_needed"


@pytest.mark.parametrize("before", ["cN2a", "cN3a", "cN3b"])
def test_axillary_n2_n3_before_nst_stays_alnd(before: str) -> None:
    """NCCN; Z1071/A011202/B-51 validated SLNB after NAC in cN1: axillary cN2-3 -> ALND whatever the response."""
    assert axilla(B.after_nst(before)) == "alnd"


def test_cn2b_before_nst_planned_sentinel_biopsy_is_recommended_as_for_cn0() -> None:
    case = B.after_nst("cN2b", surgery={"status": "planned", "margins_mm": B.DROP, "date": "2026-11-02"},
                       nodes={"procedure": "none", "examined": 0, "sentinel_nodes_removed": B.DROP, "tracers": B.DROP,
                              "clipped_node": B.DROP, "deposits": []})
    a = run(case)
    assert a.decisions["sentinel_biopsy"] == "recommended"
    rec = next(r for r in a.recommendations if r.id.startswith("surgery.slnb."))
    assert "clipped node" not in rec.text  # no axillary node was clipped: the cN0 advice


def test_cn2b_planned_upfront_stages_the_axilla_by_sentinel_biopsy() -> None:
    a = run(B.planned(clinical_nodes="cN2b", nodes={"internal_mammary": "clinically_detected"}))
    assert a.decisions["sentinel_biopsy"] == "recommended"
    assert a.decisions["axillary_surgery"] == "none_needed"
    assert any(r.id == "surgery.alnd.none_needed.planned_internal_mammary_only" for r in a.recommendations)


def test_cn2b_is_never_offered_sentinel_biopsy_omission() -> None:
    """SOUND, INSEMA and Choosing Wisely are cN0 only: cN2b stays 'recommended' even when the rest qualifies."""
    case = B.omission_candidate(age=74, clinical_nodes="cN2b", nodes={"internal_mammary": "clinically_detected"})
    assert run(case).decisions["sentinel_biopsy"] == "recommended"


@pytest.mark.parametrize("clinical", ["cN1", "cN2a"])
def test_clinically_positive_axilla_planned_stays_alnd(clinical: str) -> None:
    a = run(B.planned(clinical_nodes=clinical, axillary_ultrasound="suspicious"))
    assert (a.decisions["axillary_surgery"], a.decisions["sentinel_biopsy"]) == ("alnd", "not_applicable")


def test_no_insufficient_data_in_these_cases() -> None:
    for case in (B.after_nst("cN1", nodes=IMN), B.planned(clinical_nodes="cN2b")):
        a = run(case)
        assert INSUFFICIENT_DATA not in (a.decisions["axillary_surgery"], a.decisions["sentinel_biopsy"])


# --- an axilla left unstaged at breast-conserving surgery (nodes.procedure "none", no neoadjuvant therapy) ---------
# NCCN BINV-D: a cN0 invasive cancer is staged by sentinel biopsy unless the omission criteria hold (SOUND/ASCO 2025;
# age >= 70: SSO Choosing Wisely, ASCO 2021); a sentinel biopsy remains feasible after a lumpectomy.
NO_AXILLARY_OPERATION = {"procedure": "none", "examined": 0, "sentinel_nodes_removed": B.DROP, "tracers": B.DROP}


def test_unstaged_tnbc_after_bcs_is_advised_a_sentinel_biopsy() -> None:
    case = B.done(age=52, tumour={"er_percent": 0, "pr_percent": 0, "grade": 3}, nodes=NO_AXILLARY_OPERATION)
    a = run(case)
    assert a.decisions["sentinel_biopsy"] == "recommended"
    rec = next(r for r in a.recommendations if r.id.startswith("surgery.slnb."))
    assert rec.id == "surgery.slnb.recommended.unstaged_after_surgery" and "separate operation" in rec.text
    # completion treatment waits for that result, as before any operation on a cN0 axilla
    assert any(r.id == "surgery.alnd.none_needed.planned_cn0" for r in a.recommendations)


def test_unstaged_after_bcs_meeting_sound_may_stay_unstaged() -> None:
    case = B.done(age=58, tumour={"size_mm": 9.0, "grade": 1}, nodes=NO_AXILLARY_OPERATION)
    assert run(case).decisions["sentinel_biopsy"] == "omission_possible"


def test_unstaged_after_bcs_at_74_may_stay_unstaged() -> None:
    case = B.done(age=74, tumour={"size_mm": 15.0}, axillary_ultrasound="not_done", nodes=NO_AXILLARY_OPERATION)
    assert run(case).decisions["sentinel_biopsy"] == "omission_possible"


def test_unstaged_cn1_after_bcs_is_alnd_not_node_negative() -> None:
    """NCCN BINV-D: a biopsy-proven cN1 axilla at upfront surgery -> ALND; 'no further surgery' would be wrong."""
    case = B.done(clinical_nodes="cN1", axillary_ultrasound="suspicious", nodes=NO_AXILLARY_OPERATION)
    assert axilla(case) == "alnd"


def test_mastectomy_without_axillary_operation_stays_decided_at_surgery() -> None:
    case = B.done(surgery={"breast": "mastectomy", "margins_mm": B.DROP}, nodes=NO_AXILLARY_OPERATION,
                  tumour={"er_percent": 0, "pr_percent": 0})
    assert run(case).decisions["sentinel_biopsy"] == "not_applicable"


# --- the breast operation asked for only where it changes the answer -------------------------------------------------

def test_done_operation_unrecorded_without_procedure_is_not_applicable() -> None:
    """Every operation closes the question when no axillary procedure is recorded as 'none'."""
    case = B.done(surgery={"breast": B.DROP, "margins_mm": B.DROP},
                  nodes={"procedure": B.DROP, "examined": B.DROP, "sentinel_nodes_removed": B.DROP, "tracers": B.DROP})
    a = run(case)
    assert a.decisions["sentinel_biopsy"] == "not_applicable"
    assert not any("sentinel_biopsy" in m.decisions for m in a.missing)


def test_done_operation_unrecorded_with_no_axillary_operation_asks_for_it() -> None:
    """BCS leaves staging open (recommended), a mastectomy or no breast surgery closes it: the operation decides."""
    case = B.done(surgery={"breast": B.DROP, "margins_mm": B.DROP}, nodes=NO_AXILLARY_OPERATION,
                  tumour={"er_percent": 0, "pr_percent": 0})
    a = run(case)
    assert a.decisions["sentinel_biopsy"] == INSUFFICIENT_DATA
    assert any(m.field == "surgery.breast" and "sentinel_biopsy" in m.decisions for m in a.missing)


def test_micrometastasis_does_not_name_the_breast_operation() -> None:
    """IBCSG 23-01 enrolled BCS and mastectomy; ASCO 2021: no ALND for micrometastases whatever the operation."""
    case = B.done(surgery={"breast": B.DROP, "margins_mm": B.DROP}, nodes={"deposits": [B.he(1, 1.0)]})
    a = run(case)
    assert a.decisions["axillary_surgery"] == "omit_alnd"
    assert not any(m.field == "surgery.breast" and "axillary" in m.why for m in a.missing)


@settings(max_examples=40, deadline=None)
@given(before=st.sampled_from(["cN0", "cN1", "cN2b"]), removed=st.integers(1, 5),
       tracers=st.sampled_from([["radioisotope"], ["radioisotope", "blue_dye"], ["indocyanine_green"]]),
       clip=st.sampled_from(["retrieved", "not_retrieved", "not_placed", None]))
def test_imn_only_residual_disease_decides_the_axilla_as_ypn0(before: str, removed: int, tracers: list[str],
                                                              clip: str | None) -> None:
    """Invariant: after neoadjuvant therapy, residual disease in the internal mammary nodes only never changes the
    axillary decision of the same, negative, axillary sentinel biopsy (ALND does not reach the IMN chain)."""
    nodes: dict[str, Any] = {"examined": removed, "sentinel_nodes_removed": removed, "tracers": tracers,
                             "clipped_node": clip if clip is not None else B.DROP}
    negative = B.after_nst(before, nodes=nodes)
    with_imn = B.after_nst(before, nodes={**nodes, **IMN})
    assert axilla(with_imn) == axilla(negative)
