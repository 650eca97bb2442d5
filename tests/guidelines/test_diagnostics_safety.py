"""Diagnostics (what to order, what not to order) and safety rails."""

from __future__ import annotations

from tests.guidelines._helpers import MICRO, macro, missing_fields, rec, run

from micromets.model import DECISION_VALUES, INSUFFICIENT_DATA

HER2 = dict(tumour__her2_ihc="3+", tumour__size_mm=25)


def test_no_routine_ihc_on_negative_sentinel_nodes() -> None:
    """NSABP B-32 (Weaver NEJM 2011), ACOSOG Z0010 (Giuliano JAMA 2011): no routine cytokeratin IHC."""
    r = next(r for r in run().recommendations if r.id == "diagnostics.slnb.no_routine_ihc")
    assert r.decision == "do_not_order" and {"NSABP-B32-OCCULT", "ACOSOG-Z0010"} <= set(r.evidence)


def test_no_advice_against_sentinel_ihc_in_lobular_carcinoma() -> None:
    """CAP breast protocol (and the advice's own text): IHC is acceptable for lobular carcinoma."""
    assert not any(r.id == "diagnostics.slnb.no_routine_ihc" for r in run(tumour__histology="lobular").recommendations)


def test_no_staging_imaging_for_stage_i_ii() -> None:
    """NCCN / ASCO Choosing Wisely: no CT/bone scan/PET for asymptomatic stage I-II."""
    assert any(r.id == "diagnostics.staging_imaging.not_routine" for r in run().recommendations)


def test_germline_offer_at_65_or_younger() -> None:
    """ASCO-SSO 2024 (Bedrosian): offer BRCA1/2 testing to all <= 65."""
    assert any(r.id == "diagnostics.germline.offer" for r in run(age=60).recommendations)
    assert not any(r.id == "diagnostics.germline.offer" for r in run(age=72, oncotype_rs=10).recommendations)


def test_ecog_3_chemotherapy_not_offered() -> None:
    """ASCO geriatric oncology 2018 / SIOG-EUSOMA 2021; the adjuvant trials enrolled ECOG 0-1: at ECOG 3 adjuvant
    chemotherapy is outside trial evidence and not offered, even with RS 40 (was 'discuss' before issue 8)."""
    result = run(oncotype_rs=40, ecog=3)
    r = rec(result, "chemotherapy")
    assert result.decisions["chemotherapy"] == "not_indicated" and "ECOG 3" in r.text
    assert "outside trial evidence" in r.text


def test_high_charlson_turns_chemotherapy_into_discuss() -> None:
    assert run(oncotype_rs=40, charlson_index=4).decisions["chemotherapy"] == "discuss"


def test_low_lvef_qualifies_trastuzumab_and_anthracycline() -> None:
    """Armenian JCO 2017, SAFE-HEaRt (Lynce BCRT 2019): with LVEF 40-49% HER2 therapy is only discussed, with
    cardioprotection, and chemotherapy names a non-anthracycline regimen (was: 'recommended' plus a note)."""
    result = run(**HER2, lvef_percent=42)
    assert result.decisions["her2_therapy"] == "discuss"
    assert "cardio-oncology" in rec(result, "her2_therapy").text and "SAFE-HEART" in rec(result, "her2_therapy").evidence
    assert "without anthracycline" in rec(result, "chemotherapy").text
    for key in ("her2_therapy", "chemotherapy"):
        assert "ARMENIAN-2017" in rec(result, key).evidence
    assert any("LVEF 42%" in w for w in result.warnings)


def test_ecog_2_cdk46_outside_trials_not_indicated() -> None:
    """monarchE/NATALEE enrolled ECOG 0-1 (COSA 2023 NATALEE abstract; Lilly monarchE criteria): at ECOG 2 a CDK4/6
    inhibitor is outside trial evidence - not indicated (issue 8: 'discuss' at ECOG 2 was unsafe)."""
    result = run(nodes__deposits=[macro(1)], oncotype_rs=10, ecog=2)
    assert result.decisions["cdk46_inhibitor"] == "not_indicated"
    assert "outside trial evidence" in rec(result, "cdk46_inhibitor").text


def test_metastatic_every_decision_discuss_or_not_applicable_or_insufficient() -> None:
    result = run(metastasis="cM1", nodes__deposits=[MICRO])
    assert any("early breast cancer only" in w for w in result.warnings)
    for key, value in result.decisions.items():
        allowed = DECISION_VALUES[key]
        expected = "discuss" if "discuss" in allowed else "not_applicable" if "not_applicable" in allowed \
            else INSUFFICIENT_DATA
        assert value == expected, key
    assert "metastasis" in missing_fields(result)


def test_male_patient_warning_and_tamoxifen() -> None:
    result = run(sex="male", menopausal_status=None, age=66, oncotype_rs=10)
    assert any("mostly or only women" in w for w in result.warnings)
    assert "Tamoxifen" in rec(result, "endocrine").text
