"""Worked examples for DP-R (whole-breast RT, omission, boost, RNI, PMRT), each with its source."""

from __future__ import annotations

from tests.guidelines._helpers import ITC, MICRO, macro, missing_fields, rec, run

MASTECTOMY = {"breast": "mastectomy", "status": "done"}


def test_wbrt_after_bcs_with_fractionation_and_heart_dose() -> None:
    """EBCTCG 2011; START-B 40 Gy/15; FAST-Forward 26 Gy/5; Darby 2013 7.4%/Gy."""
    result = run(age=58, tumour__ki67_percent=25)
    r = rec(result, "whole_breast_rt")
    assert result.decisions["whole_breast_rt"] == "recommended"
    assert "40 Gy in 15" in r.text and "26 Gy in 5" in r.text and "7.4% per Gy" in r.text


def test_calgb_9343_allows_omission() -> None:
    """CALGB 9343 (Hughes JCO 2013): >= 70, T1 cN0 ER+ with endocrine therapy -> RT may be omitted."""
    assert run(age=74, tumour__ki67_percent=25, tumour__size_mm=35).decisions["whole_breast_rt"] == "recommended"
    assert run(age=74, tumour__ki67_percent=25, tumour__grade=3, tumour__lvi=True).decisions["whole_breast_rt"] == "omission_possible"


def test_prime_ii_allows_omission() -> None:
    """PRIME II (Kunkler NEJM 2023): >= 65, HR+, pN0, <= 3 cm, margins >= 1 mm."""
    assert run(age=67, tumour__size_mm=25, tumour__ki67_percent=25).decisions["whole_breast_rt"] == "omission_possible"


def test_lumina_allows_omission_and_needs_ki67() -> None:
    """LUMINA (Whelan NEJM 2023): >= 55, T1N0 G1-2, ER+ PR > 20%, HER2-, Ki-67 <= 13.25%."""
    assert run(age=58, tumour__ki67_percent=20).decisions["whole_breast_rt"] == "recommended"
    assert run(age=58, tumour__ki67_percent=10).decisions["whole_breast_rt"] == "omission_possible"
    assert run(age=58, tumour__ki67_percent=10, tumour__pr_percent=15).decisions["whole_breast_rt"] == "recommended"
    unknown = run(age=58, tumour__ki67_percent=None)
    assert unknown.decisions["whole_breast_rt"] == "recommended"
    assert "tumour.ki67_percent" in missing_fields(unknown)


def test_pn1mi_never_omits_rt() -> None:
    """Every omission trial required node-negative disease: pN1mi -> WBRT."""
    assert run(age=76, nodes__deposits=[MICRO]).decisions["whole_breast_rt"] == "recommended"


def test_itc_counts_as_n0_for_rt_omission() -> None:
    """AJCC 8: ITC-only nodes are pN0(i+), i.e. N0. CALGB 9343 (>= 70, T1 N0 ER+) therefore applies; the trial
    reports do not state ITC handling and EXPERT enrols pN0(i+) explicitly, which the text says. (This replaces the
    earlier rule that kept RT 'recommended' for every pN0(i+): issue 8 showed it contradicts the AJCC N0 class.)"""
    result = run(age=76, nodes__deposits=[ITC])
    assert result.decisions["whole_breast_rt"] == "omission_possible"
    r = rec(result, "whole_breast_rt")
    assert "pN0(i+)" in r.text and "EXPERT" in r.evidence and "CALGB-9343" in r.evidence


def test_mastectomy_no_wbrt_or_boost() -> None:
    result = run(surgery=MASTECTOMY)
    assert result.decisions["whole_breast_rt"] == "not_applicable" and result.decisions["boost"] == "not_applicable"


def test_boost_by_age() -> None:
    """ASTRO 2018 (Smith PRO 2018): <= 50 boost; > 70 HR+ G1-2 margins >= 2 mm no boost; 51-70 G3 boost."""
    assert run(age=45, menopausal_status="pre").decisions["boost"] == "recommended"
    assert run(age=75, surgery__margins_mm=3).decisions["boost"] == "not_indicated"
    assert run(age=60, tumour__grade=3).decisions["boost"] == "recommended"


def test_boost_over_70_with_er_unknown_is_not_called_hr_negative() -> None:
    """ASTRO 2018 (Smith PRO 2018): over 70 the boost is omitted for HR+ grade 1-2 with margins >= 2 mm. An unknown ER
    could be positive (omit) or negative (discuss): insufficient data naming ER - not "HR-negative"."""
    unknown = run(age=75, tumour__grade=1, tumour__er_percent=None, tumour__pr_percent=None, surgery__margins_mm=3)
    assert unknown.decisions["boost"] == "insufficient_data"
    assert any(m.field == "tumour.er_percent" and "boost" in m.decisions for m in unknown.missing)
    negative = run(age=75, tumour__grade=1, tumour__er_percent=0, tumour__pr_percent=0, surgery__margins_mm=3)
    assert negative.decisions["boost"] == "discuss"
    assert "HR-negative" in next(r.text for r in negative.recommendations if r.id.startswith("radiation.boost"))


def test_rni_itc_no_micromets_no_unless_adverse() -> None:
    """Consensus: pN0(i+) no RNI; pN1mi not routine, consider with combined adverse features."""
    assert run(nodes__deposits=[ITC]).decisions["regional_nodal_irradiation"] == "not_indicated"
    assert run(nodes__deposits=[MICRO]).decisions["regional_nodal_irradiation"] == "not_indicated"
    adverse = run(nodes__deposits=[MICRO], tumour__grade=3, tumour__lvi=True)
    assert adverse.decisions["regional_nodal_irradiation"] == "discuss"


def test_rni_one_to_three_macro_and_four_plus() -> None:
    """MA.20 (Whelan NEJM 2015), EORTC 22922 (Poortmans NEJM 2015)."""
    assert run(nodes__deposits=[macro(1)]).decisions["regional_nodal_irradiation"] == "recommended"
    nodes = {"procedure": "slnb_then_alnd", "examined": 15, "deposits": [macro(i) for i in range(1, 5)]}
    r = rec(run(nodes=nodes), "regional_nodal_irradiation")
    assert r.decision == "recommended" and r.strength == "strong"


def test_rni_after_neoadjuvant_residual_nodes() -> None:
    result = run(neoadjuvant=True, nodes__deposits=[MICRO], tumour__size_mm=5,
                 neoadjuvant_therapy={"pre_treatment_size_mm": 30, "pre_treatment_clinical_nodes": "cN1",
                                      "agents": ["anthracycline", "taxane"]})
    assert result.decisions["regional_nodal_irradiation"] == "recommended"


def test_pmrt_by_nodes() -> None:
    """EBCTCG 2014, ASCO/ASTRO/SSO 2016: >= 4 nodes yes; 1-3 macro yes; pN1mi favourable no; BCS n/a."""
    nodes = {"procedure": "slnb_then_alnd", "examined": 15, "deposits": [macro(i) for i in range(1, 5)]}
    assert run(surgery=MASTECTOMY, nodes=nodes).decisions["post_mastectomy_rt"] == "recommended"
    assert run(surgery=MASTECTOMY, nodes__deposits=[macro(1), macro(2)]).decisions["post_mastectomy_rt"] == "recommended"
    assert run(surgery=MASTECTOMY, nodes__deposits=[MICRO]).decisions["post_mastectomy_rt"] == "not_indicated"
    assert run().decisions["post_mastectomy_rt"] == "not_applicable"


def test_pmrt_pn1mi_with_combined_adverse_features_discuss() -> None:
    result = run(surgery=MASTECTOMY, nodes__deposits=[MICRO], age=36, menopausal_status="pre", tumour__grade=3)
    assert result.decisions["post_mastectomy_rt"] == "discuss"


def test_pmrt_single_node_all_low_risk_factors_discuss() -> None:
    """ASCO/ASTRO/SSO 2016 low-risk factors: single node, T1, > 45, low grade, no LVI, ER+ -> discuss."""
    assert run(surgery=MASTECTOMY, nodes__deposits=[macro(1)]).decisions["post_mastectomy_rt"] == "discuss"
