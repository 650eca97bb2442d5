"""Axillary and radiotherapy decisions for the patient as recorded (session 2026-12-01, branch local-patient).

Sources named in each test: AJCC 8 (pN1b/pN2b: internal mammary nodes with a negative axilla), NCCN (nodal RT for
involved internal mammary nodes; prior RT to the breast or chest wall against breast conservation; a positive
mastectomy margin as a reason for chest-wall RT), EORTC 22922 / MA.20 / DBCG-IMN (fields including the internal
mammary chain; medial/central tumours enrolled), ASCO 2021 (no ALND after a negative sentinel biopsy), SSO Choosing
Wisely 2016 (>= 70, HR+, clinically node-negative: no ultrasound asked), SOUND / ASCO 2025 (negative axillary
ultrasound required), the ESTRO-EORTC 2022 re-irradiation consensus.
"""

from __future__ import annotations

from typing import Any

import pytest
from tests._cases import make_case
from tests.guidelines._helpers import MICRO, macro, missing_fields, rec, run

from micromets.guidelines import GuidelineResult
from micromets.guidelines._context import Context
from micromets.guidelines.batch import final_columns
from micromets.model import parse_case
from micromets.pathology import classify
from micromets.staging import stage

MASTECTOMY = {"breast": "mastectomy", "status": "done", "margins_mm": 3}
PLANNED_BCS = {"breast": "bcs", "status": "planned"}
RT_KEYS = ("whole_breast_rt", "boost", "regional_nodal_irradiation", "post_mastectomy_rt")
_PREFIX = {"whole_breast_rt": "wbrt", "boost": "boost", "regional_nodal_irradiation": "rni", "post_mastectomy_rt": "pmrt"}


def missing_for(result: GuidelineResult, key: str) -> set[str]:
    return {m.field for m in result.missing if key in m.decisions}


def four_nodes() -> dict[str, Any]:
    return {"procedure": "slnb_then_alnd", "examined": 14, "deposits": [macro(n) for n in range(1, 5)]}


# --- internal mammary nodes only ------------------------------------------------------------------------------------

def test_pn2b_internal_mammary_only_needs_no_axillary_dissection_but_imn_radiotherapy() -> None:
    """cN2b (clinically detected internal mammary node, clinically negative axilla), sentinel nodes negative: AJCC 8
    pN2b. The axilla is staged negative (ASCO 2021: no ALND after a negative sentinel biopsy); the internal mammary
    nodes are irradiated (NCCN; EORTC 22922/MA.20/DBCG-IMN fields include them)."""
    result = run(clinical_nodes="cN2b", nodes__internal_mammary="clinically_detected")
    assert result.decisions["axillary_surgery"] == "none_needed"
    assert result.decisions["regional_nodal_irradiation"] == "recommended"
    rni = rec(result, "regional_nodal_irradiation")
    assert "internal mammary" in rni.text and "1-3 macrometastatic" not in rni.text
    assert rni.strength == "strong"
    assert "0 positive" not in rec(result, "axillary_surgery").text


def test_pn1b_after_mastectomy_no_amaros_for_a_negative_axilla_and_pmrt_with_the_imn() -> None:
    """Internal mammary sentinel metastasis, axillary sentinel nodes negative, mastectomy (pN1b): AMAROS treats a
    positive axillary sentinel node, not a negative one; PMRT as for node-positive disease (EBCTCG 2014), with the
    internal mammary chain."""
    result = run(surgery=MASTECTOMY, nodes__internal_mammary="sentinel_microscopic")
    assert result.decisions["axillary_surgery"] == "none_needed"
    assert result.decisions["post_mastectomy_rt"] == "recommended"
    assert "internal mammary" in rec(result, "post_mastectomy_rt").text


def test_internal_mammary_with_a_positive_axilla_still_treats_the_axilla() -> None:
    """pN1c (axillary macrometastasis and an internal mammary sentinel metastasis) after mastectomy: the axilla is
    positive, so the axillary pathway (AMAROS RT or ALND) stands; nodal RT includes the internal mammary chain."""
    result = run(surgery=MASTECTOMY, nodes__internal_mammary="sentinel_microscopic", nodes__deposits=[macro(1)])
    assert result.decisions["axillary_surgery"] in ("axillary_rt_or_alnd", "alnd")
    assert result.decisions["regional_nodal_irradiation"] == "recommended"


# --- the mastectomy margin ------------------------------------------------------------------------------------------

def test_unrecorded_mastectomy_margin_is_named_only_where_tumour_on_ink_would_change_pmrt() -> None:
    """Favourable pN1mi after mastectomy: PMRT not indicated (ASCO/ASTRO/SSO 2016), but tumour on ink would make
    chest-wall RT a discussion (NCCN) - the margin is named and the decision stands. With 4 positive nodes PMRT is
    recommended whatever the margin: not named."""
    favourable = run(surgery={"breast": "mastectomy", "status": "done"}, nodes__deposits=[MICRO],
                     tumour__quadrant="upper_outer")
    assert favourable.decisions["post_mastectomy_rt"] == "not_indicated"
    assert "surgery.margins_mm" in missing_fields(favourable)
    assert missing_for(favourable, "post_mastectomy_rt") == set()
    on_ink = run(surgery={"breast": "mastectomy", "status": "done", "margins_mm": 0}, nodes__deposits=[MICRO],
                 tumour__quadrant="upper_outer")
    assert on_ink.decisions["post_mastectomy_rt"] == "discuss"
    many = run(surgery={"breast": "mastectomy", "status": "done"}, nodes=four_nodes())
    assert many.decisions["post_mastectomy_rt"] == "recommended"
    assert "surgery.margins_mm" not in missing_fields(many)


# --- the axillary ultrasound before omitting the sentinel biopsy ------------------------------------------------

OLDER_PLANNED: dict[str, Any] = dict(age=74, surgery=PLANNED_BCS, nodes={"procedure": "none"}, tumour__size_mm=15)


def test_choosing_wisely_at_70_needs_no_ultrasound() -> None:
    """SSO Choosing Wisely 2016 / NCCN: >= 70, HR+/HER2-, clinically node-negative, endocrine therapy - no ultrasound
    is part of the criterion, so an unrecorded (or undone) one neither blocks nor is asked for."""
    for ultrasound in (None, "not_done", "normal"):
        result = run(**OLDER_PLANNED, axillary_ultrasound=ultrasound)
        assert result.decisions["sentinel_biopsy"] == "omission_possible", ultrasound
        assert "axillary_ultrasound" not in missing_fields(result)


def test_a_recorded_suspicious_ultrasound_always_blocks_omission() -> None:
    """A suspicious node needs a US-guided biopsy before surgery (NCCN; ASCO 2025): no omission at any age."""
    result = run(**OLDER_PLANNED, axillary_ultrasound="suspicious")
    assert result.decisions["sentinel_biopsy"] == "recommended"


def test_the_sound_path_below_70_still_needs_the_ultrasound() -> None:
    """SOUND / ASCO 2025 (postmenopausal >= 50, cT <= 2 cm, G1-2, HR+/HER2-, BCS + WBRT) required a negative axillary
    ultrasound: at 64 an unrecorded one decides."""
    result = run(age=64, surgery=PLANNED_BCS, nodes={"procedure": "none"}, tumour__size_mm=12,
                 axillary_ultrasound=None)
    assert result.decisions["sentinel_biopsy"] == "insufficient_data"
    assert missing_for(result, "sentinel_biopsy") == {"axillary_ultrasound"}


# --- prior radiotherapy to the same region ---------------------------------------------------------------------

@pytest.mark.parametrize("prior", ["mantle_or_mediastinal", "ipsilateral_breast"])
def test_prior_rt_to_the_same_region_is_never_a_plain_recommendation(prior: str) -> None:
    """Re-irradiation is an individual decision (ESTRO-EORTC 2022): whole-breast RT and the boost after BCS, PMRT and
    nodal RT after mastectomy with 4 nodes are 'discuss', saying what the rules would otherwise recommend."""
    bcs = run(age=45, menopausal_status="pre", nodes__deposits=[MICRO], conditions={"prior_chest_radiotherapy": prior})
    assert bcs.decisions["whole_breast_rt"] == "discuss"
    assert bcs.decisions["boost"] == "discuss"
    wbrt = rec(bcs, "whole_breast_rt")
    assert "re-irradiation" in wbrt.text and "ESTRO-EORTC-REIRRADIATION-2022" in wbrt.evidence
    assert wbrt.id == "radiation.wbrt.discuss.reirradiation"
    mastectomy = run(surgery=MASTECTOMY, nodes=four_nodes(), conditions={"prior_chest_radiotherapy": prior})
    assert mastectomy.decisions["post_mastectomy_rt"] == "discuss"
    assert mastectomy.decisions["regional_nodal_irradiation"] == "discuss"


def test_prior_contralateral_or_no_rt_changes_nothing() -> None:
    """The other breast is not the same region; 'none' is none."""
    for prior in ("contralateral_breast", "none"):
        result = run(nodes__deposits=[MICRO], conditions={"prior_chest_radiotherapy": prior})
        assert result.decisions["whole_breast_rt"] == "recommended", prior


def test_unrecorded_prior_rt_is_not_asked_unless_an_earlier_cancer_treatment_is_recorded() -> None:
    """Not recorded, not asked (as comorbidities): a question for every patient would bury the missing list. A prior
    anthracycline records an earlier cancer: then the prior RT is asked for, and RT waits for it (amended,
    contra-unknown 2026-12-02: was 'recommended' meanwhile, beside a missing input that would make it 'discuss' -
    ESTRO-EORTC re-irradiation consensus 2022, NCCN; insufficient_data when the missing input could change it)."""
    plain = run(nodes__deposits=[MICRO])
    assert plain.decisions["whole_breast_rt"] == "recommended"
    assert "conditions.prior_chest_radiotherapy" not in missing_fields(plain)
    earlier = run(nodes__deposits=[MICRO], conditions={"prior_anthracycline": True})
    assert earlier.decisions["whole_breast_rt"] == "insufficient_data"
    assert any(m.field == "conditions.prior_chest_radiotherapy" and "whole_breast_rt" in m.decisions
               for m in earlier.missing)


def test_in_pregnancy_the_deferral_stands_and_the_prior_rt_is_asked_for_after_delivery() -> None:
    """Radiotherapy is not started during pregnancy (Amant 2012): an indicated RT is 'deferred' whatever the history,
    so an earlier cancer's unrecorded RT does not turn the deferral into insufficient_data; it is asked for the decision
    after delivery (both engines: the batch rail is the same function)."""
    pregnant = run(age=33, menopausal_status="pre", nodes__deposits=[MICRO],
                   pregnancy={"status": "pregnant", "trimester": 2}, conditions={"prior_anthracycline": True})
    assert pregnant.decisions["whole_breast_rt"] == "deferred"
    assert "conditions.prior_chest_radiotherapy" in missing_fields(pregnant)


def test_planned_breast_conservation_after_prior_rt_is_flagged_for_the_surgeon() -> None:
    """NCCN counts prior breast/chest-wall RT against breast conservation (which relies on whole-breast RT)."""
    result = run(age=38, menopausal_status="pre", surgery=PLANNED_BCS, nodes={"procedure": "none"},
                 tumour__quadrant="upper_outer", conditions={"prior_chest_radiotherapy": "mantle_or_mediastinal"})
    advice = [r for r in result.recommendations if r.id == "surgery.breast.radiotherapy_caution"]
    assert len(advice) == 1 and "mastectomy" in advice[0].text
    assert result.decisions["whole_breast_rt"] == "discuss"


def test_declined_and_pregnancy_still_apply_after_prior_rt() -> None:
    """A declined RT stays declined; during pregnancy the discussion says 'after delivery' (Amant 2012)."""
    declined = run(nodes__deposits=[MICRO], conditions={"prior_chest_radiotherapy": "ipsilateral_breast"},
                   preferences={"declined": ["whole_breast_rt"]})
    assert declined.decisions["whole_breast_rt"] == "declined"
    pregnant = run(age=33, menopausal_status="pre", nodes__deposits=[MICRO], pregnancy={"status": "pregnant",
                   "trimester": 2}, conditions={"prior_chest_radiotherapy": "ipsilateral_breast"})
    assert pregnant.decisions["whole_breast_rt"] == "discuss"
    assert "after delivery" in rec(pregnant, "whole_breast_rt").text


def test_scleroderma_or_active_lupus_makes_radiotherapy_a_discussion() -> None:
    """NCCN: active connective-tissue disease involving the skin (especially scleroderma and lupus) is a relative
    contraindication to radiotherapy: never a plain 'recommended'. Another connective-tissue disease is not."""
    for disease in ("scleroderma", "active_lupus"):
        bcs = run(nodes__deposits=[MICRO], conditions={"connective_tissue_disease": disease})
        assert bcs.decisions["whole_breast_rt"] == "discuss", disease
        assert rec(bcs, "whole_breast_rt").id == "radiation.wbrt.discuss.connective_tissue_disease"
        mastectomy = run(surgery=MASTECTOMY, nodes=four_nodes(), conditions={"connective_tissue_disease": disease})
        assert mastectomy.decisions["post_mastectomy_rt"] == "discuss"
        assert mastectomy.decisions["regional_nodal_irradiation"] == "discuss"
    other = run(nodes__deposits=[MICRO], conditions={"connective_tissue_disease": "other"})
    assert other.decisions["whole_breast_rt"] == "recommended"


def test_a_recorded_autoimmune_disease_is_named_beside_radiotherapy_active_or_coded_only() -> None:
    """NCCN: connective-tissue disease (scleroderma, lupus) is a relative contraindication to RT. A coded autoimmune
    disease (active, or 'present': coded in the record without its activity) may be one, so the RT advice says what to
    confirm; the decision stands (the connective-tissue field decides it). 'inactive' and 'none' are not named."""
    for value, words in (("active", "Active autoimmune disease is recorded"),
                         ("present", "An autoimmune disease is recorded (whether it is active is not stated)")):
        result = run(nodes__deposits=[MICRO], conditions={"autoimmune_disease": value})
        assert result.decisions["whole_breast_rt"] == "recommended", value
        assert words in rec(result, "whole_breast_rt").text, value
    for value in ("inactive", "none"):
        result = run(nodes__deposits=[MICRO], conditions={"autoimmune_disease": value})
        assert "autoimmune disease is recorded" not in rec(result, "whole_breast_rt").text.lower(), value


def test_the_batch_engine_applies_the_same_rail() -> None:
    """One rule, two engines: final_columns (cohort) equals recommend for prior RT cases."""
    from micromets.guidelines import recommend

    cases = [make_case(nodes__deposits=[MICRO], conditions={"prior_chest_radiotherapy": prior})
             for prior in ("mantle_or_mediastinal", "ipsilateral_breast", "contralateral_breast", "none")]
    cases += [make_case(surgery=MASTECTOMY, nodes=four_nodes(), conditions={"prior_chest_radiotherapy": "mantle_or_mediastinal"}),
              make_case(nodes__deposits=[MICRO], conditions={"connective_tissue_disease": "scleroderma"}),
              make_case(age=33, menopausal_status="pre", nodes__deposits=[MICRO],
                        pregnancy={"status": "pregnant", "trimester": 2},
                        conditions={"prior_chest_radiotherapy": "ipsilateral_breast"})]
    contexts = []
    for case in cases:
        findings = classify(case).findings
        contexts.append(Context.of(case, findings, stage(case, findings).staging))
    columns = final_columns(contexts)
    for i, ctx in enumerate(contexts):
        result = recommend(ctx.case, ctx.findings, ctx.staging)
        for key in RT_KEYS:
            assert columns[key][0][i] == result.decisions[key], (i, key)
            rule = next((r.id for r in result.recommendations if r.id.startswith(f"radiation.{_PREFIX[key]}.")), None)
            if result.decisions[key] != "insufficient_data":
                assert columns[key][1][i] == rule, (i, key)


def test_the_field_is_validated() -> None:
    """A value outside the contract is refused, as every coded condition is."""
    from micromets.errors import CaseValidationError

    with pytest.raises(CaseValidationError):
        parse_case({"conditions": {"prior_chest_radiotherapy": "left_breast"}})
