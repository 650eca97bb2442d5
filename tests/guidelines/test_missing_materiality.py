"""A missing input is named only where it could change the answer, and one that could is never defaulted in silence
(the brief's principle), on cases a drop-one-input scan found. Expectations come from the cited sources, not from
the engine.

* HER2-positive with a molecular-only nodal finding (pN0(mol+), AJCC 8: N0 like ITCs). HER2-directed therapy is
  given at every invasive size; the size only chooses the regimen (NCCN: T1a N0 consider paclitaxel + trastuzumab,
  T1b-c N0/N1mi the APT regimen, Tolaney NEJM 2015; larger tumours the full regimen). When the therapy will not be
  'recommended' now - chemotherapy declined or not offered (the trials gave it with chemotherapy: APT), or LVEF
  < 40 % (SAFE-HEaRt; ESC 2022 cardio-oncology) - no regimen is chosen and the size is not asked for on its behalf.
* No invasive tumour in the breast (pT0) with pN0(mol+): as with pN0(i+), there is no proven invasive disease, so
  no HER2-directed therapy or chemotherapy (NSABP B-43 for in situ disease; NCCN).
* Residual in situ carcinoma only after neoadjuvant therapy (ypTis): no invasive tumour is left to measure, so the
  "> 20 mm" higher-risk marker of the bisphosphonate decision is known absent (EBCTCG, Lancet 2015;386:1353;
  ASCO-OH 2022 / Dhesy-Thind JCO 2017): the size is not asked for.
* PREDICT was derived and validated in women (Wishart, Breast Cancer Res 2010; Candido dos Reis 2017): an
  unrecorded sex is said, as a man's is, not passed over.
* Fertility counselling (ACS/ASCO survivorship, Runowicz JCO 2016): for a pregnant patient ovarian stimulation for
  oocyte or embryo cryopreservation cannot be done and contraception is for after delivery; the counselling is the
  pregnancy's (ESMO "Cancer, pregnancy and fertility", Peccatori Ann Oncol 2013; Amant, Lancet 2012). A woman whose
  menopausal status is not recorded is not read as postmenopausal in silence: the status is asked for (below 60, or
  with the age unknown: from 60 she is postmenopausal by NCCN's definition of menopause).
"""

from __future__ import annotations

import copy
from typing import Any

from micromets.assess import assess
from micromets.model import INSUFFICIENT_DATA, Assessment, parse_case

HER2_POSITIVE_MOLECULAR_NODE: dict[str, Any] = {
    "id": "her2-mol", "age": 52, "sex": "female", "menopausal_status": "post",
    "tumour": {"size_mm": 12.0, "histology": "ductal", "grade": 3, "er_percent": 0, "pr_percent": 0,
               "her2_ihc": "3+", "lvi": False},
    "clinical_nodes": "cN0", "metastasis": "cM0", "neoadjuvant": False,
    "nodes": {"procedure": "slnb", "examined": 2, "deposits": [{"node": 1, "method": "rt_pcr"}]},
    "surgery": {"breast": "bcs", "status": "done", "date": "2026-11-02", "margins_mm": 3.0},
    "ecog": 0, "lvef_percent": 60,
}

HER2_REGIMEN = "HER2 regimen"


def _assess(data: dict[str, Any]) -> Assessment:
    return assess(parse_case(data))


def _with(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(base)
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for part in parents:
            target = target[part]
        if value is None:
            target.pop(last, None)
        else:
            target[last] = value
    return data


def _why(assessment: Assessment, field: str) -> str:
    return " ".join(m.why for m in assessment.missing if m.field == field)


def _asking(assessment: Assessment, key: str) -> set[str]:
    return {m.field for m in assessment.missing if key in m.decisions}


# --- HER2-directed therapy after a molecular-only nodal finding ------------------------------------------------

def test_molecular_node_is_n0_and_her2_therapy_is_given_at_every_size() -> None:
    for size in (3.0, 12.0, 25.0):  # T1a, T1c, T2 (NCCN: consider T-H / APT / full regimen)
        a = _assess(_with(HER2_POSITIVE_MOLECULAR_NODE, tumour__size_mm=size))
        assert a.staging.n is not None and a.staging.n.startswith("pN0(mol+)")
        assert a.decisions["her2_therapy"] == "recommended", size


def test_unknown_size_asks_for_the_her2_regimen_only_when_a_regimen_is_chosen_now() -> None:
    fit = _assess(_with(HER2_POSITIVE_MOLECULAR_NODE, tumour__size_mm=None))
    assert fit.decisions["her2_therapy"] == "recommended"
    # The size chooses APT or the full regimen (and decides chemotherapy: T1a consider, T1b+ APT).
    assert HER2_REGIMEN in _why(fit, "tumour.size_mm")
    assert fit.decisions["chemotherapy"] == INSUFFICIENT_DATA and "tumour.size_mm" in _asking(fit, "chemotherapy")
    for no_regimen in ({"preferences": {"declined": ["chemotherapy"]}},  # APT gave trastuzumab with paclitaxel
                       {"ecog": 3},  # not offered chemotherapy (ASCO geriatric 2018; SIOG/EUSOMA 2021)
                       {"lvef_percent": 35}):  # LVEF < 40 %: deferred (SAFE-HEaRt; ESC 2022)
        a = _assess(_with(HER2_POSITIVE_MOLECULAR_NODE, tumour__size_mm=None, **no_regimen))
        assert a.decisions["her2_therapy"] in ("discuss", "deferred"), no_regimen
        assert HER2_REGIMEN not in _why(a, "tumour.size_mm"), (no_regimen, _why(a, "tumour.size_mm"))
        assert "her2_therapy" not in {d for m in a.missing for d in m.decisions}


def test_no_invasive_tumour_with_a_molecular_only_node_is_treated_as_with_itc() -> None:
    """pT0 pN0(mol+) and pT0 pN0(i+) are both N0 with no invasive tumour seen (AJCC 8): neither gets HER2-directed
    therapy or chemotherapy (NSABP B-43; NCCN)."""
    itc = {"node": 1, "size_mm": 0.1, "method": "ihc"}
    for deposit in ({"node": 1, "method": "rt_pcr"}, itc):
        a = _assess(_with(HER2_POSITIVE_MOLECULAR_NODE, tumour__size_mm=0, nodes__deposits=[deposit]))
        assert a.decisions["her2_therapy"] == "not_indicated", deposit
        assert a.decisions["chemotherapy"] == "not_indicated", deposit


# --- bisphosphonate after residual in situ disease only --------------------------------------------------------

YPTIS_AFTER_NST: dict[str, Any] = {
    "id": "yptis", "age": 60, "sex": "female", "menopausal_status": "post",
    "tumour": {"in_situ_only": True, "histology": "ductal", "grade": 3, "er_percent": 0, "pr_percent": 0,
               "her2_ihc": "1+"},
    "clinical_nodes": "cN1", "metastasis": "cM0", "neoadjuvant": True,
    "neoadjuvant_therapy": {"pre_treatment_size_mm": 28, "pre_treatment_clinical_nodes": "cN1",
                            "agents": ["anthracycline", "taxane"]},
    "nodes": {"procedure": "slnb", "examined": 4, "deposits": []},
    "surgery": {"breast": "bcs", "status": "done", "date": "2026-10-12", "margins_mm": 2.0},
    "germline_brca": "negative", "ecog": 0,
}


def test_residual_in_situ_only_after_neoadjuvant_therapy_does_not_ask_for_a_size() -> None:
    a = _assess(YPTIS_AFTER_NST)
    assert a.staging.t == "ypTis"
    assert a.decisions["bisphosphonate"] != INSUFFICIENT_DATA
    assert "tumour.size_mm" not in _asking(a, "bisphosphonate")
    # Residual nodal disease is a higher-risk marker on its own (the rule's "residual disease after neoadjuvant
    # therapy"): a bisphosphonate is recommended to a postmenopausal woman (ASCO-OH 2022).
    micro = _assess(_with(YPTIS_AFTER_NST, nodes__deposits=[{"node": 1, "size_mm": 1.0, "method": "he"}]))
    assert micro.decisions["bisphosphonate"] == "recommended"


def test_an_invasive_residual_of_unknown_size_is_still_asked_for() -> None:
    """An invasive residual without a size may be > 20 mm, the higher-risk marker: asked, not read as small."""
    a = _assess(_with(YPTIS_AFTER_NST, tumour__in_situ_only=False, nodes__deposits=[], age=70))
    assert a.decisions["bisphosphonate"] in (INSUFFICIENT_DATA, "recommended")
    if a.decisions["bisphosphonate"] == INSUFFICIENT_DATA:
        assert "tumour.size_mm" in _asking(a, "bisphosphonate")


# --- PREDICT and an unrecorded sex ------------------------------------------------------------------------------

def _predict_population_warnings(a: Assessment) -> list[str]:
    return [w for w in a.warnings if "PREDICT" in w and "women" in w]


def test_predict_says_when_the_sex_is_not_recorded() -> None:
    unrecorded = _with(HER2_POSITIVE_MOLECULAR_NODE, sex=None, menopausal_status=None)
    a = _assess(unrecorded)
    assert a.prognosis is not None
    assert any("Sex not recorded" in w for w in _predict_population_warnings(a)), a.warnings
    man = _assess(_with(unrecorded, sex="male"))
    assert any("Male patient" in w for w in _predict_population_warnings(man))
    woman = _assess(_with(unrecorded, sex="female"))
    assert not _predict_population_warnings(woman)
    # A recorded menopausal status is recorded only for a woman (the case format refuses it for a man).
    implied = _assess(_with(unrecorded, menopausal_status="post"))
    assert not _predict_population_warnings(implied)
    # The model has no sex term: the figures are the same, so the sex is not a missing input of the prognosis.
    assert woman.prognosis is not None and a.prognosis.overall_survival == woman.prognosis.overall_survival


# --- fertility counselling ---------------------------------------------------------------------------------------

PREMENOPAUSAL_TNBC: dict[str, Any] = {
    "id": "pre-tnbc", "age": 34, "sex": "female", "menopausal_status": "pre",
    "tumour": {"size_mm": 18.0, "histology": "ductal", "grade": 3, "er_percent": 0, "pr_percent": 0,
               "her2_ihc": "0"},
    "clinical_nodes": "cN0", "metastasis": "cM0", "neoadjuvant": False,
    "nodes": {"procedure": "slnb", "examined": 2, "deposits": [{"node": 1, "size_mm": 1.0, "method": "he"}]},
    "surgery": {"breast": "bcs", "status": "done", "date": "2026-11-02", "margins_mm": 3.0},
    "germline_brca": "negative", "ecog": 0,
}


def _counselling(a: Assessment) -> list[str]:
    return [item.what for item in a.follow_up if item.category == "fertility"]


def test_a_premenopausal_woman_is_offered_fertility_preservation_counselling() -> None:
    items = _counselling(_assess(PREMENOPAUSAL_TNBC))
    assert len(items) == 1 and "fertility preservation" in items[0].lower()


def test_a_pregnant_woman_gets_pregnancy_counselling_not_fertility_preservation() -> None:
    for pregnancy in ({"status": "pregnant", "trimester": 2}, {"status": "pregnant"}):
        for menopause in ("pre", None):  # pregnancy implies premenopausal whatever the case records
            a = _assess(_with(PREMENOPAUSAL_TNBC, pregnancy=pregnancy, menopausal_status=menopause))
            items = _counselling(a)
            assert len(items) == 1, (pregnancy, menopause, items)
            text = items[0].lower()
            assert "fertility preservation before chemotherapy" not in text
            assert "pregnan" in text and "obstetric" in text and "after delivery" in text
            fertility = next(i for i in a.follow_up if i.category == "fertility")
            assert "ESMO-PREGNANCY-2013" in fertility.evidence


def test_an_unrecorded_menopausal_status_is_asked_for_the_fertility_counselling() -> None:
    a = _assess(_with(PREMENOPAUSAL_TNBC, menopausal_status=None))
    assert not _counselling(a)
    assert "fertility" in _why(a, "menopausal_status")
    man = _assess(_with(PREMENOPAUSAL_TNBC, sex="male", menopausal_status=None))
    assert "fertility" not in _why(man, "menopausal_status")
    # From 60 a woman is postmenopausal by definition (NCCN Breast, definition of menopause): nothing to ask then.
    older = _assess(_with(PREMENOPAUSAL_TNBC, age=70, menopausal_status=None))
    assert not _counselling(older) and "fertility" not in _why(older, "menopausal_status")
    unknown_age = _assess(_with(PREMENOPAUSAL_TNBC, age=None, menopausal_status=None))
    assert "fertility" in _why(unknown_age, "menopausal_status")


# --- CDK4/6 inhibitor with endocrine therapy declined ------------------------------------------------------------

def test_cdk46_does_not_ask_for_the_size_when_endocrine_therapy_is_declined() -> None:
    """monarchE (Johnston JCO 2020) and NATALEE (Slamon NEJM 2024) gave the drugs only with endocrine therapy: with
    it declined no T category can make one indicated (T1N1mi is stage IB, below both trials, AJCC 8)."""
    hr_positive_micro = _with(PREMENOPAUSAL_TNBC, age=58, menopausal_status="post",
                              tumour__er_percent=90, tumour__pr_percent=60, tumour__grade=2)
    for size in (12.0, 35.0, 60.0):
        a = _assess(_with(hr_positive_micro, tumour__size_mm=size, preferences={"declined": ["endocrine"]}))
        assert a.decisions["cdk46_inhibitor"] == "not_indicated", size
    unknown = _assess(_with(hr_positive_micro, tumour__size_mm=None, preferences={"declined": ["endocrine"]}))
    assert unknown.decisions["cdk46_inhibitor"] == "not_indicated"
    assert "tumour.size_mm" not in _asking(unknown, "cdk46_inhibitor")
    # Accepted, the T category decides (T1N1mi stage IB: not indicated; T2N1mi discussed): asked for.
    accepted = _assess(_with(hr_positive_micro, tumour__size_mm=None))
    assert "tumour.size_mm" in _asking(accepted, "cdk46_inhibitor")


# --- chemotherapy: ER-low disease with PR not given; the TAILORx age group of a postmenopausal woman ---------------

HR_POSITIVE_POST: dict[str, Any] = {
    "id": "hr-post", "age": 62, "sex": "female", "menopausal_status": "post",
    "tumour": {"size_mm": 16.0, "histology": "ductal", "grade": 2, "er_percent": 95, "pr_percent": 60,
               "her2_ihc": "1+"},
    "clinical_nodes": "cN0", "metastasis": "cM0", "neoadjuvant": False,
    "nodes": {"procedure": "slnb", "examined": 3, "deposits": [{"node": 1, "size_mm": 1.2, "method": "he"}]},
    "surgery": {"breast": "bcs", "status": "done", "date": "2026-11-02", "margins_mm": 3.0},
    "germline_brca": "negative", "ecog": 0,
}


def test_er_low_disease_with_pr_not_given_is_not_read_as_triple_negative() -> None:
    """ER 1-10 % (ER-low, ASCO/CAP 2020, Allison JCO 2020) HER2-negative disease: PR-negative goes the
    triple-negative way (pT1c: chemotherapy recommended, NCCN), PR-positive the luminal one, where the recurrence
    score decides (TAILORx, RxPONDER). With PR unknown the answer is open: PR is asked for, never read as negative."""
    er_low = _with(HR_POSITIVE_POST, tumour__er_percent=5)
    assert _assess(_with(er_low, tumour__pr_percent=0)).decisions["chemotherapy"] == "recommended"
    luminal = _assess(_with(er_low, tumour__pr_percent=50, oncotype_rs=12))
    assert luminal.decisions["chemotherapy"] == "not_indicated"
    unknown = _assess(_with(er_low, tumour__pr_percent=None))
    assert unknown.decisions["chemotherapy"] == INSUFFICIENT_DATA
    assert "tumour.pr_percent" in _asking(unknown, "chemotherapy")
    # When both ways give the same answer (a high score: chemotherapy either way), PR is not asked for.
    high = _assess(_with(er_low, tumour__pr_percent=None, oncotype_rs=35))
    assert high.decisions["chemotherapy"] == "recommended"
    assert "tumour.pr_percent" not in _asking(high, "chemotherapy")


def test_a_postmenopausal_woman_of_unknown_age_is_not_read_as_over_50() -> None:
    """TAILORx (Sparano NEJM 2018) and ASCO 2022 (Andre JCO 2022) set the group 'age <= 50 or premenopausal':
    menopause can come before 50, so a postmenopausal woman of unknown age may be in it. Node-negative RS 16-25
    (or pN1mi at any RS <= 25, NCCN's pN0 grouping vs ASCO's node-positive reading) then depends on the age."""
    for nodes, rs in (([], 18), ([{"node": 1, "size_mm": 1.2, "method": "he"}], 12)):
        base = _with(HR_POSITIVE_POST, nodes__deposits=nodes, oncotype_rs=rs)
        assert _assess(_with(base, age=45)).decisions["chemotherapy"] == "discuss", nodes
        assert _assess(_with(base, age=62)).decisions["chemotherapy"] == "not_indicated", nodes
        unknown = _assess(_with(base, age=None))
        assert unknown.decisions["chemotherapy"] == INSUFFICIENT_DATA, nodes
        assert "age" in _asking(unknown, "chemotherapy")
    # RS <= 15 without nodal micrometastasis: no benefit at any age (TAILORx): the age is not asked for.
    low = _assess(_with(HR_POSITIVE_POST, nodes__deposits=[], oncotype_rs=12, age=None))
    assert low.decisions["chemotherapy"] == "not_indicated"
    assert "age" not in _asking(low, "chemotherapy")


# --- HER2 IHC 2+ with the copy number alone ------------------------------------------------------------------------

def test_ihc_2plus_with_a_decisive_copy_number_does_not_wait_for_the_ratio() -> None:
    """ASCO/CAP 2018 (Wolff JCO 2018; reaffirmed 2023) dual-probe groups with concurrent IHC 2+: >= 6 HER2 copies per
    cell is group 1 (ratio >= 2) or group 3 (ratio < 2), both positive; < 4 copies is group 2 or 5, both negative.
    Only 4-6 copies (group 1 vs group 4) leave the ratio deciding."""
    equivocal = _with(HER2_POSITIVE_MOLECULAR_NODE, tumour__her2_ihc="2+")
    for copies, decision in ((7.0, "recommended"), (3.0, "not_indicated")):
        for ratio in (1.5, 2.5):  # the two ways the ratio could be: the same answer
            full = _assess(_with(equivocal, tumour__her2_ish_copies=copies, tumour__her2_ish_ratio=ratio))
            assert full.decisions["her2_therapy"] == decision, (copies, ratio)
        alone = _assess(_with(equivocal, tumour__her2_ish_copies=copies))
        assert alone.decisions["her2_therapy"] == decision, copies
        assert "tumour.her2_ish_ratio" not in {m.field for m in alone.missing}
    middle = _assess(_with(equivocal, tumour__her2_ish_copies=5.0))
    assert middle.decisions["her2_therapy"] == INSUFFICIENT_DATA
    assert "tumour.her2_ish_ratio" in _asking(middle, "her2_therapy")


def test_planned_ovarian_suppression_implies_a_premenopausal_woman() -> None:
    """Ovarian function suppression is for premenopausal women (SOFT/TEXT; ASCO 2016) and the case format refuses it
    with 'post': planned, it says the menopausal status, which is then not asked (as a pregnancy says it)."""
    hr_positive = _with(HR_POSITIVE_POST, age=44, menopausal_status=None, oncotype_rs=12,
                        ovarian_function_suppression="planned")
    a = _assess(hr_positive)
    assert "menopausal_status" not in {m.field for m in a.missing}, a.missing
    assert a.decisions["bisphosphonate"] != INSUFFICIENT_DATA
    assert _counselling(a), "a premenopausal woman is offered fertility counselling (ACS/ASCO 2016)"
