"""What counts as residual disease after neoadjuvant therapy (neoadjuvant audit, tests/vignettes/neoadjuvant).

* Residual disease outside the axilla (internal mammary sentinel node, clinically detected internal mammary,
  infraclavicular or supraclavicular nodes) is nodal disease: never a pCR, whatever the breast and the axillary
  sentinel nodes show (AJCC 8: pCR = no invasive carcinoma in breast or regional nodes; ypN1b and above).
* An RT-PCR-only node (ypN0(mol+), AJCC 8: N0) is not residual disease: the trials that define residual disease and
  pCR judged it histologically (CTNeoBC / FDA 2014 guidance: no invasive cancer on H&E in breast and all sampled
  nodes; CREATE-X, KATHERINE, OlympiA: residual invasive disease on pathology), and NCCN/ASCO 2021/Alliance A011202
  base completion axillary treatment on a histologically positive sentinel node. So it is a pCR (with a warning),
  the axilla is judged as ypN0 (sentinel mapping adequacy for an initially node-positive axilla), and nodal RT/PMRT
  follow the nodal status before therapy (NSABP B-51).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests._cases import make_case
from tests.guidelines._helpers import run

from micromets.pathology import classify

RT_PCR = {"node": 1, "method": "rt_pcr"}


def _nst(nodes_before: str = "cN0", **changes: Any) -> dict[str, Any]:
    """TNBC after neoadjuvant anthracycline-taxane, breast ypT0, 3 negative sentinel nodes (dual tracer)."""
    base: dict[str, Any] = dict(
        neoadjuvant=True, tumour__size_mm=0, tumour__er_percent=0, tumour__pr_percent=0, tumour__her2_ihc="1+",
        tumour__grade=3, germline_brca="negative", nodes__procedure="slnb", nodes__examined=3,
        nodes__sentinel_nodes_removed=3, nodes__tracers=["radioisotope", "blue_dye"], nodes__deposits=[],
        neoadjuvant_therapy={"pre_treatment_size_mm": 30, "pre_treatment_clinical_nodes": nodes_before,
                             "nodes_biopsy_proven": nodes_before != "cN0", "agents": ["anthracycline", "taxane"]},
        conditions={"dpd_deficiency": "none"})
    base.update(changes)
    return base


@pytest.mark.parametrize("outside", [{"nodes__internal_mammary": "sentinel_microscopic"},
                                     {"nodes__internal_mammary": "clinically_detected"},
                                     {"nodes__supraclavicular": True}, {"nodes__infraclavicular": True}])
def test_nodal_disease_outside_the_axilla_is_not_a_complete_response(outside: dict[str, Any]) -> None:
    findings = classify(make_case(**_nst(**outside))).findings
    assert findings.pathological_complete_response is False


def test_internal_mammary_only_residual_disease_gets_capecitabine() -> None:
    """ypT0, axillary sentinel nodes negative, internal mammary sentinel node involved (ypN1b): CREATE-X residual
    disease (it was 'pathological complete response: no capecitabine')."""
    result = run(**_nst(nodes__internal_mammary="sentinel_microscopic"))
    assert result.decisions["capecitabine"] == "recommended"
    assert result.decisions["regional_nodal_irradiation"] == "recommended"


def test_rt_pcr_only_node_after_neoadjuvant_therapy_is_a_complete_response() -> None:
    pathology = classify(make_case(**_nst(nodes__deposits=[RT_PCR])))
    assert pathology.findings.pathological_complete_response is True
    assert any("ypN0(mol+)" in w for w in pathology.warnings)


def test_rt_pcr_only_node_decides_the_residual_disease_therapies() -> None:
    """Was insufficient_data asking for tumour.size_mm (given as 0) for capecitabine, and ALND."""
    result = run(**_nst(nodes__deposits=[RT_PCR]))
    assert result.decisions["capecitabine"] == "not_indicated"
    assert result.decisions["axillary_surgery"] == "none_needed"
    assert result.decisions["regional_nodal_irradiation"] == "not_indicated"  # cN0 before, ypN0 after


def test_rt_pcr_only_node_after_cn1_is_judged_by_the_sentinel_mapping() -> None:
    adequate = run(**_nst("cN1", nodes__deposits=[RT_PCR], nodes__clipped_node="retrieved"))
    assert adequate.decisions["axillary_surgery"] == "none_needed"
    assert adequate.decisions["regional_nodal_irradiation"] == "discuss"  # NSABP B-51
    inadequate = run(**_nst("cN1", nodes__deposits=[RT_PCR], nodes__examined=2, nodes__sentinel_nodes_removed=2,
                            nodes__tracers=["radioisotope"], nodes__clipped_node="not_retrieved"))
    assert inadequate.decisions["axillary_surgery"] == "axillary_rt_or_alnd"


def test_rt_pcr_only_node_after_mastectomy_follows_the_nodal_status_before_therapy() -> None:
    result = run(**_nst("cN1", nodes__deposits=[RT_PCR], nodes__clipped_node="retrieved", surgery__breast="mastectomy"))
    assert result.decisions["post_mastectomy_rt"] == "discuss"


@settings(max_examples=40, deadline=None)
@given(imn=st.sampled_from(["sentinel_microscopic", "clinically_detected"]),
       in_situ=st.booleans(), deposit=st.sampled_from([None, RT_PCR]))
def test_no_complete_response_with_involved_internal_mammary_nodes(imn: str, in_situ: bool,
                                                                   deposit: dict[str, Any] | None) -> None:
    """Invariant: involved internal mammary nodes after neoadjuvant therapy are never a pCR (AJCC 8)."""
    case = make_case(**_nst(nodes__internal_mammary=imn, tumour__in_situ_only=in_situ,
                            nodes__deposits=[deposit] if deposit else []))
    assert classify(case).findings.pathological_complete_response is False
