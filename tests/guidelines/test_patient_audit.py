"""Systemic decisions read for THE PATIENT (patient audit, 2026-12-01): men and the assay trials, MammaPrint with an
unknown MINDACT clinical risk, capecitabine after KEYNOTE-522, and the assay trials' age range.

Sources: ASCO male breast cancer guideline (Hassett JCO 2020: the 21-gene score in node-negative men; TAILORx,
RxPONDER and MINDACT enrolled women only); MINDACT (Cardoso NEJM 2016) clinical risk and the ASCO 2017 focused
update (Krop JCO 2017: MammaPrint has no utility at low clinical risk); CREATE-X (Masuda NEJM 2017) predates
KEYNOTE-522 (Schmid NEJM 2020); TAILORx enrolled women aged 18-75 (NCT00310180), MINDACT 18-70; ASCO geriatric
oncology 2018 (Mohile): geriatric assessment before chemotherapy from 65.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.guidelines._helpers import MICRO, macro, missing_fields, rec, run

from micromets.model import INSUFFICIENT_DATA

MENOPAUSE = re.compile(r"(?i)\b(pre|post|peri)-?menopausal\b|menopausal status")


def _man(**changes: Any) -> dict[str, Any]:
    return {"sex": "male", "menopausal_status": None, **changes}


def _nodes(*deposits: dict[str, Any]) -> dict[str, Any]:
    return {"procedure": "slnb", "examined": 3, "deposits": list(deposits)}


# --- men (ASCO 2020) ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "decision", "rid"), [
    # 1-3 macrometastatic nodes, RS <= 25: RxPONDER enrolled women, ASCO 2020 endorses the RS node-negative only.
    ({"age": 62, "oncotype_rs": 18, "nodes": _nodes(macro(1))}, "discuss", "systemic.chemotherapy.discuss.male_n1"),
    # pN1mi at 46, RS 20: the NCCN pN0 branch, without TAILORx's age <= 50 (women) rule.
    ({"age": 46, "oncotype_rs": 20, "nodes": _nodes(MICRO)}, "not_indicated",
     "systemic.chemotherapy.not_indicated.male_low_rs"),
    ({"age": 44, "oncotype_rs": 25, "nodes": _nodes()}, "not_indicated",
     "systemic.chemotherapy.not_indicated.male_low_rs"),
    ({"age": 58, "oncotype_rs": 26, "nodes": _nodes()}, "recommended", "systemic.chemotherapy.recommended.male_high_rs"),
    ({"age": 58, "oncotype_rs": 26, "nodes": _nodes(macro(1))}, "recommended",
     "systemic.chemotherapy.recommended.male_high_rs"),
    # MammaPrint at high clinical risk (T2 grade 2): MINDACT enrolled women; ASCO 2020 names the RS for men.
    ({"age": 60, "mammaprint": "low", "tumour__size_mm": 25.0}, "discuss",
     "systemic.chemotherapy.discuss.male_mammaprint_low"),
    ({"age": 60, "mammaprint": "high", "tumour__size_mm": 25.0}, "recommended",
     "systemic.chemotherapy.recommended.male_mammaprint_high"),
])
def test_a_mans_assay_reading_is_never_strong_nor_menopausal(changes: dict[str, Any], decision: str,
                                                             rid: str) -> None:
    result = run(**_man(**changes))
    chemo = rec(result, "chemotherapy")
    assert (chemo.decision, chemo.id) == (decision, rid)
    assert chemo.strength != "strong"
    assert "ASCO-MALE-2020" in chemo.evidence
    assert not MENOPAUSE.search(f"{chemo.text} {chemo.would_change_if}"), chemo.text


def test_a_woman_keeps_the_rxponder_reading() -> None:
    """The converse: a postmenopausal woman with one macrometastatic node and RS 18 -> no chemotherapy (RxPONDER)."""
    chemo = rec(run(age=62, oncotype_rs=18, nodes=_nodes(macro(1))), "chemotherapy")
    assert (chemo.decision, chemo.id) == ("not_indicated", "systemic.chemotherapy.not_indicated.postmenopausal_n1")


def test_a_man_without_a_score_is_asked_for_it_without_menopausal_words() -> None:
    result = run(**_man(age=64, oncotype_rs=None, nodes=_nodes(macro(1))))
    assert result.decisions["chemotherapy"] == INSUFFICIENT_DATA
    whys = [m.why for m in result.missing if m.field == "oncotype_rs"]
    assert whys and not any(MENOPAUSE.search(why) for why in whys), whys
    assert "menopausal_status" not in missing_fields(result)


def test_ribociclib_for_a_man_names_no_menopause() -> None:
    """NATALEE enrolled men (ribociclib + NSAI + goserelin): the text does not say 'if premenopausal' to a man."""
    cdk = rec(run(**_man(age=63, oncotype_rs=14, tumour__size_mm=28.0, tumour__ki67_percent=15,
                         nodes=_nodes(macro(1), macro(2)))), "cdk46_inhibitor")
    assert cdk.id == "systemic.cdk46.recommended.natalee"
    assert "GnRH agonist" in cdk.text and not MENOPAUSE.search(cdk.text), cdk.text


# --- MammaPrint and the MINDACT clinical risk ---------------------------------------------------------------------

@pytest.mark.parametrize(("tumour", "mammaprint", "age", "menopause", "field"), [
    ({"size_mm": 25.0, "grade": None}, "high", 60, "post", "tumour.grade"),    # G1 low (no chemo), G2-3 high (chemo)
    ({"size_mm": None, "grade": 2}, "high", 60, "post", "tumour.size_mm"),     # <= 20 mm low, > 20 mm high
    ({"size_mm": 25.0, "grade": None}, "low", 45, "pre", "tumour.grade"),      # G1 low (none), G2-3 high (<= 50: discuss)
])
def test_an_unknown_clinical_risk_that_decides_is_asked_for(tumour: dict[str, Any], mammaprint: str, age: int,
                                                            menopause: str, field: str) -> None:
    result = run(age=age, menopausal_status=menopause, mammaprint=mammaprint, oncotype_rs=None,
                 tumour__size_mm=tumour["size_mm"], tumour__grade=tumour["grade"])
    assert result.decisions["chemotherapy"] == INSUFFICIENT_DATA
    assert any(m.field == field and "chemotherapy" in m.decisions and "MINDACT" in m.why for m in result.missing)


@pytest.mark.parametrize(("tumour", "mammaprint"), [
    ({"size_mm": 8.0, "grade": None}, "high"),   # <= 10 mm is low clinical risk at every grade
    ({"size_mm": 25.0, "grade": None}, "low"),   # low risk or genomic low at > 50: no chemotherapy either way
])
def test_an_unknown_clinical_risk_that_cannot_change_the_answer_is_decided(tumour: dict[str, Any],
                                                                           mammaprint: str) -> None:
    result = run(age=60, mammaprint=mammaprint, oncotype_rs=None, tumour__size_mm=tumour["size_mm"],
                 tumour__grade=tumour["grade"])
    chemo = rec(result, "chemotherapy")
    assert chemo.decision == "not_indicated"
    assert "not given: the answer is the same whatever it is" in chemo.text


# --- capecitabine and pembrolizumab after neoadjuvant therapy ------------------------------------------------------

def _after_nst(agents: list[str]) -> dict[str, Any]:
    return {"age": 47, "menopausal_status": "pre", "neoadjuvant": True, "oncotype_rs": None,
            "tumour": {"size_mm": 14.0, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "0",
                       "histology": "ductal", "t_extension": "none"},
            "neoadjuvant_therapy": {"pre_treatment_size_mm": 32, "pre_treatment_clinical_nodes": "cN0",
                                    "agents": agents},
            "germline_brca": "negative"}


def test_capecitabine_after_keynote522_is_discussed_and_pembrolizumab_continues() -> None:
    result = run(**_after_nst(["anthracycline", "taxane", "platinum", "pembrolizumab"]))
    cape = rec(result, "capecitabine")
    assert (cape.decision, cape.id) == ("discuss", "systemic.capecitabine.discuss.after_pembrolizumab")
    assert "KEYNOTE-522" in cape.evidence and "pembrolizumab" in cape.text
    assert result.decisions["immunotherapy"] == "recommended"


def test_capecitabine_after_chemotherapy_without_pembrolizumab_stays_recommended() -> None:
    cape = rec(run(**_after_nst(["anthracycline", "taxane"])), "capecitabine")
    assert (cape.decision, cape.id) == ("recommended", "systemic.capecitabine.recommended")


def test_unrecorded_neoadjuvant_agents_are_asked_for_by_pembrolizumab_and_capecitabine() -> None:
    """Pembrolizumab continues only if it was given (KEYNOTE-522), and decides capecitabine: not a silent 'none'."""
    result = run(**_after_nst([]))
    assert result.decisions["immunotherapy"] == INSUFFICIENT_DATA
    assert result.decisions["capecitabine"] == INSUFFICIENT_DATA
    agents = [m for m in result.missing if m.field == "neoadjuvant_therapy.agents"]
    assert agents and {"immunotherapy", "capecitabine"} <= {d for m in agents for d in m.decisions}


# --- the assay trials' age range ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("age", "strong"), [(75, True), (76, False), (80, False)])
def test_a_high_score_beyond_tailorx_ages_is_not_strong_and_names_the_geriatric_assessment(age: int,
                                                                                           strong: bool) -> None:
    chemo = rec(run(age=age, oncotype_rs=30, ecog=0, g8_score=16, clinical_frailty_scale=2, charlson_index=0),
                "chemotherapy")
    assert chemo.decision == "recommended"
    assert (chemo.strength == "strong") is strong
    assert ("geriatric assessment" in chemo.text) is not strong
    assert ("TAILORX-ELIGIBILITY" in chemo.evidence) is not strong


@pytest.mark.parametrize(("age", "strong"), [(70, True), (71, False)])
def test_mammaprint_high_beyond_mindact_ages_is_not_strong(age: int, strong: bool) -> None:
    chemo = rec(run(age=age, mammaprint="high", oncotype_rs=None, tumour__size_mm=25.0, ecog=0, g8_score=16,
                    clinical_frailty_scale=2, charlson_index=0), "chemotherapy")
    assert chemo.decision == "recommended"
    assert (chemo.strength == "strong") is strong
