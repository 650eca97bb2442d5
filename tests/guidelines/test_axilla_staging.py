"""Was the axilla staged adequately before axillary treatment is omitted? Worked examples for the rules the axillary
staging audit (tests/vignettes/axilla) changed, each with its source."""

from __future__ import annotations

from typing import Any

from tests.guidelines._helpers import ITC, MICRO, macro, missing_fields, run

CN1_BEFORE = {"pre_treatment_size_mm": 30, "pre_treatment_clinical_nodes": "cN1", "nodes_biopsy_proven": True,
              "agents": ["anthracycline", "taxane"]}


def after_nst(before: str = "cN1", **nodes: Any) -> dict[str, Any]:
    """Changes for a ycN0 patient after neoadjuvant chemotherapy, sentinel biopsy negative unless deposits given."""
    # a node proven positive by biopsy makes the axilla cN1 or more (AJCC 8): no biopsy-proven node with cN0
    proven = {"nodes_biopsy_proven": False} if before == "cN0" else {}
    return {"neoadjuvant": True, "neoadjuvant_therapy": {**CN1_BEFORE, "pre_treatment_clinical_nodes": before, **proven},
            "nodes": {"procedure": "slnb", "deposits": [], "internal_mammary": "none", "supraclavicular": False,
                      "infraclavicular": False, **nodes}}


def axilla(**changes: Any) -> str:
    return str(run(**changes).decisions["axillary_surgery"])


# --- a sentinel biopsy that found no node ------------------------------------------------------------------------


def test_no_sentinel_node_found_after_upfront_surgery_means_alnd() -> None:
    """NCCN (level I/II dissection when no sentinel node is identified), ASCO 2021: the axilla is unstaged."""
    nodes = {"procedure": "slnb", "examined": 0, "deposits": []}
    assert axilla(nodes=nodes) == "alnd"
    assert axilla(nodes={**nodes, "examined": 2, "sentinel_nodes_removed": 0}) == "alnd"  # 2 non-sentinel nodes
    assert axilla(nodes={**nodes, "examined": 2}) == "none_needed"  # two negative sentinel nodes: staged


def test_no_sentinel_node_found_after_neoadjuvant_therapy_means_alnd_whatever_the_nodes_before() -> None:
    """cN0 before therapy as well as cN1: a sentinel biopsy that found no node stages nothing (NCCN; ASCO 2021)."""
    for before in ("cN0", "cN1"):
        assert axilla(**after_nst(before, examined=0, sentinel_nodes_removed=0, tracers=["radioisotope", "blue_dye"],
                                  clipped_node="not_placed")) == "alnd", before


# --- the sentinel mapping after neoadjuvant therapy (initially node-positive, now ycN0) -----------------------------

DUAL = ["radioisotope", "blue_dye"]


def test_dual_tracer_alone_does_not_make_one_or_two_sentinel_nodes_adequate() -> None:
    """ACOSOG Z1071: false-negative rate 31% with 1 and 21.1% with 2 sentinel nodes (SENTINA 24.3%, 18.5%); the 10.8%
    of dual tracer is an average that includes the >= 3-node patients -> axillary RT or ALND, never 'none needed'."""
    for count in (1, 2):
        decision = axilla(**after_nst(examined=count, sentinel_nodes_removed=count, tracers=DUAL,
                                      clipped_node="not_placed"))
        assert decision == "axillary_rt_or_alnd", count


def test_three_sentinel_nodes_or_the_clipped_node_make_the_mapping_adequate() -> None:
    """Z1071: 9.1% with >= 3 sentinel nodes, 6.8% with the clipped node among them; Caudle (TAD)."""
    assert axilla(**after_nst(examined=3, sentinel_nodes_removed=3, tracers=["radioisotope"],
                              clipped_node="not_placed")) == "none_needed"
    assert axilla(**after_nst(examined=1, sentinel_nodes_removed=1, tracers=["radioisotope"],
                              clipped_node="retrieved")) == "none_needed"


def test_tracers_unrecorded_do_not_block_when_they_cannot_change_the_answer() -> None:
    """With >= 3 sentinel nodes the tracers cannot change the adequacy; with 2 nodes the clipped node can: asked for."""
    assert axilla(**after_nst(examined=3, sentinel_nodes_removed=3, clipped_node="not_placed")) == "none_needed"
    result = run(**after_nst(examined=2, sentinel_nodes_removed=2, tracers=DUAL))
    assert result.decisions["axillary_surgery"] == "insufficient_data"
    assert "nodes.clipped_node" in missing_fields(result) and "nodes.tracers" not in missing_fields(result)


def test_clipped_node_not_retrieved_is_never_adequate() -> None:
    """Z1071: 19.0% false negatives when the clipped node was not among the sentinel nodes."""
    assert axilla(**after_nst(examined=4, sentinel_nodes_removed=4, tracers=DUAL,
                              clipped_node="not_retrieved")) == "axillary_rt_or_alnd"


# --- unrecorded inputs that change the axillary pathway -------------------------------------------------------------


def test_an_unrecorded_neoadjuvant_flag_is_upfront_surgery_as_everywhere() -> None:
    """AJCC 8: the yp prefix is written only when neoadjuvant therapy is stated, so nodal pathology without the flag
    is staged pN (upfront) and every decision reads it so (Context.setting). pN1mi: omit ALND (IBCSG 23-01); ITC:
    nothing further (ASCO 2021). Lead's decision on the axilla audit: the flag is not asked for in the axilla alone."""
    assert axilla(neoadjuvant=None, nodes__deposits=[MICRO]) == "omit_alnd"
    assert axilla(neoadjuvant=None, nodes__deposits=[ITC]) == "none_needed"
    assert axilla(neoadjuvant=None) == "none_needed"


def test_an_unrecorded_clinical_n_is_named_as_the_condition_of_an_omission() -> None:
    """IBCSG 23-01 and Z0011 enrolled clinically node-negative axillae; a sentinel biopsy at upfront surgery is the
    staging operation of such an axilla (biopsy-proven cN1 means ALND, ASCO 2021). An unrecorded clinical N therefore
    does not block the omission, but it is named as its condition; a recorded cN1 gives ALND."""
    for deposits in ([MICRO], [macro(1)]):
        result = run(clinical_nodes=None, nodes__deposits=deposits)
        assert result.decisions["axillary_surgery"] == "omit_alnd"
        assert any(m.field == "clinical_nodes" and "holds for cN0" in m.why for m in result.missing)
    assert axilla(clinical_nodes=None, nodes__deposits=[ITC]) == "none_needed"
    assert axilla(clinical_nodes="cN1", nodes__deposits=[MICRO]) == "alnd"
    given = run(clinical_nodes="cN0", nodes__deposits=[MICRO])
    assert not any(m.field == "clinical_nodes" for m in given.missing)


def test_unrecorded_neoadjuvant_flag_or_clinical_nodes_do_not_block_alnd_that_holds_either_way() -> None:
    """>= 3 positive sentinel nodes (Z0011 excluded them) or a macrometastasis with extranodal extension: ALND upfront
    whatever the clinical N, and ALND after neoadjuvant therapy (residual disease) - nothing to ask for."""
    three = [macro(1), macro(2), macro(3)]
    for unknown in ({"neoadjuvant": None}, {"clinical_nodes": None}, {"neoadjuvant": None, "clinical_nodes": None}):
        assert axilla(**unknown, nodes__examined=4, nodes__deposits=three) == "alnd", unknown
        assert axilla(**unknown, nodes__deposits=[macro(1, ene=True)]) == "alnd", unknown


# --- a suspicious axillary node before surgery ----------------------------------------------------------------------


def test_suspicious_axillary_ultrasound_in_a_cn0_axilla_is_biopsied_before_surgery() -> None:
    """NCCN work-up (clinical-knowledge D1): a suspicious node on imaging -> US-guided core or FNA before surgery; the
    result decides between the cN0 pathways (SLNB, omission) and cN1 (ALND or neoadjuvant therapy)."""
    planned = {"surgery": {"breast": "bcs", "status": "planned"}, "nodes": None, "tumour__size_mm": 15}
    result = run(**planned, axillary_ultrasound="suspicious")
    assert "diagnostics.axillary_node_biopsy.order" in {r.id for r in result.recommendations}
    assert result.decisions["sentinel_biopsy"] != "omission_possible"
    for quiet in ({"axillary_ultrasound": "normal"}, {"axillary_ultrasound": "suspicious", "clinical_nodes": "cN1"}):
        ids = {r.id for r in run(**planned, **quiet).recommendations}
        assert "diagnostics.axillary_node_biopsy.order" not in ids, quiet
