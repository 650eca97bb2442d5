"""Worked examples for findings left open by the flip-property scan: an input is named only where it could change
the answer, and every reason it is named for is kept. Each expectation is derived from the cited source, not
from the engine.

* PR separates HR-positive from triple-negative disease only when ER is negative, so it is asked only where
  ER-negative PR-positive disease is decided otherwise than triple-negative disease. After neoadjuvant
  anthracycline-taxane chemotherapy with gBRCA1, ER 0 % and HER2 0: olaparib for triple-negative residual disease
  (OlympiA, Tutt NEJM 2021: non-pCR), and for HR-positive residual disease at CPS+EG >= 3 (Mittendorf JCO 2011:
  cT2 cN1 = stage IIB 1 point, ypT1 N0 stage I 0 or ypT2 N0 stage IIA 1, ER-negative 1, grade 3 1); capecitabine
  is discussed for either (CREATE-X, Masuda NEJM 2017: benefit concentrated in triple-negative disease; olaparib
  and capecitabine not compared). With the residual size also unknown both subtypes wait for it, and PR was
  asked although it could not change either answer.
* In situ carcinoma only in the excised breast with a nodal micrometastasis: the invasive focus was missed, so it
  is microscopic (the case format takes no invasive size beside ``in_situ_only``: 0 or omitted). NCCN's rows for
  pT1mi/T1a pN1mi: HR-positive HER2-negative "endocrine therapy +/- chemotherapy (category 2B)" (NCCN v2.2015
  BINV-6), HER2-positive "consider chemotherapy with trastuzumab", triple-negative "consider chemotherapy" - the
  same 'discuss' whatever the receptors, which choose only the regimen. Where the patient makes the subtypes
  differ (a vulnerable patient of 70 or more: HR-positive disease is not offered chemotherapy, as RxPONDER and
  TAILORx enrolled patients fit for it; ASCO geriatric 2018) the receptors are still asked.
* Geriatric assessment before chemotherapy from age 65 (ASCO geriatric oncology 2018, Mohile JCO; 2023 update):
  an unknown age may be 65 or more, so the age is named as the input that decides whether it is advised.
* One missing field, every reason: PREDICT needs the age at diagnosis (Wishart, Breast Cancer Res 2010) and the
  boost is decided on age (ASTRO 2018, Smith PRO): a clinician is told both.
"""

from __future__ import annotations

from typing import Any

from micromets.assess import assess
from micromets.model import INSUFFICIENT_DATA, Assessment, parse_case
from micromets.report._common import prognosis_reasons


def _assess(data: dict[str, Any]) -> Assessment:
    return assess(parse_case({"id": "loose", "metastasis": "cM0", **data}))


def _asking(assessment: Assessment, key: str) -> set[str]:
    return {m.field for m in assessment.missing if key in m.decisions}


def _why(assessment: Assessment, field: str) -> str:
    return next(m.why for m in assessment.missing if m.field == field)


def _tumour(data: dict[str, Any], **tumour: Any) -> dict[str, Any]:
    return {**data, "tumour": {**data["tumour"], **tumour}}


RECEPTORS = {"hr_positive": {"er_percent": 90, "pr_percent": 50, "her2_ihc": "0"},
             "her2_positive": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "3+"},
             "triple_negative": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "0"}}

DCIS_BCS_N1MI = {
    "sex": "female", "age": 55, "menopausal_status": "post", "ecog": 0, "clinical_nodes": "cN0",
    "tumour": {"in_situ_only": True, "grade": 2},
    "surgery": {"breast": "bcs", "status": "done", "margins_mm": 3},
    "nodes": {"procedure": "slnb", "examined": 2, "deposits": [{"node": 1, "size_mm": 1.2, "method": "he"}]}}


def test_in_situ_carcinoma_with_a_nodal_micrometastasis_is_discussed_whatever_the_receptors() -> None:
    """Every subtype of a microscopic invasive focus with pN1mi is a 'consider' (NCCN): 'discuss'. The receptors
    choose the regimen, not the decision, so chemotherapy names neither them nor the invasive size the case format
    does not take beside in_situ_only (it was insufficient_data asking ER, PR, HER2 and tumour.size_mm)."""
    for name, receptors in RECEPTORS.items():
        known = _assess(_tumour(DCIS_BCS_N1MI, **receptors))
        assert known.decisions["chemotherapy"] == "discuss", name
        assert not _asking(known, "chemotherapy"), name
    unknown = _assess(DCIS_BCS_N1MI)
    assert unknown.decisions["chemotherapy"] == "discuss"
    assert not _asking(unknown, "chemotherapy")
    chemotherapy = next(r for r in unknown.recommendations if r.id.startswith("systemic.chemotherapy."))
    assert "in situ carcinoma only" in chemotherapy.text.lower()
    # The receptors are still asked where they decide: endocrine and HER2-directed therapy.
    assert "tumour.er_percent" in _asking(unknown, "endocrine")
    assert "tumour.her2_ihc" in _asking(unknown, "her2_therapy")


def test_in_situ_carcinoma_with_a_nodal_micrometastasis_in_a_vulnerable_older_patient_asks_for_the_receptors() \
        -> None:
    """At 72 with a Charlson index of 4 (vulnerable): HR-positive HER2-negative disease is not offered chemotherapy
    (RxPONDER/TAILORx enrolled patients fit for it; ASCO geriatric 2018), while triple-negative disease is still
    discussed. The receptors decide here: they are asked."""
    older = {**DCIS_BCS_N1MI, "age": 72, "charlson_index": 4}
    assert _assess(_tumour(older, **RECEPTORS["hr_positive"])).decisions["chemotherapy"] == "not_indicated"
    assert _assess(_tumour(older, **RECEPTORS["triple_negative"])).decisions["chemotherapy"] == "discuss"
    unknown = _assess(older)
    assert unknown.decisions["chemotherapy"] == INSUFFICIENT_DATA
    assert {"tumour.er_percent", "tumour.her2_ihc"} <= _asking(unknown, "chemotherapy")
    assert "tumour.size_mm" not in _asking(unknown, "chemotherapy")


HR_POSITIVE_RS_30 = {
    "sex": "female", "menopausal_status": "post", "oncotype_rs": 30, "clinical_nodes": "cN0",
    "tumour": {"size_mm": 15, "grade": 2, "er_percent": 90, "pr_percent": 50, "her2_ihc": "0"},
    "surgery": {"breast": "bcs", "status": "done", "margins_mm": 3},
    "nodes": {"procedure": "slnb", "examined": 2, "deposits": []}}


def test_unknown_age_names_age_for_the_geriatric_assessment_before_chemotherapy() -> None:
    """Recurrence score 30: chemotherapy recommended (TAILORx). No performance status: decided for a fit patient
    with ECOG named. With the age unknown the patient may be 65 or older, when a geriatric assessment is advised
    before chemotherapy (ASCO geriatric 2018): both reasons say so, and age is the input that decides it."""
    unknown = _assess(HR_POSITIVE_RS_30)
    assert unknown.decisions["chemotherapy"] == "recommended"
    assert "age not given: from 65 assess fitness first" in _why(unknown, "ecog")
    assert "from age 65 a geriatric assessment is advised" in _why(unknown, "age")
    assert not any(r.id == "diagnostics.geriatric_assessment.order" for r in unknown.recommendations)
    older = _assess({**HR_POSITIVE_RS_30, "age": 67})
    assert any(r.id == "diagnostics.geriatric_assessment.order" for r in older.recommendations)
    assert "assess fitness first" in _why(older, "ecog")
    assert older.decisions["chemotherapy"] == "recommended"  # below 70: decided for a fit patient, ECOG named
    younger = _assess({**HR_POSITIVE_RS_30, "age": 58})
    assert not any(r.id == "diagnostics.geriatric_assessment.order" for r in younger.recommendations)
    assert "assess fitness" not in _why(younger, "ecog")
    assert not any(m.field == "age" for m in younger.missing)


def test_unknown_age_without_chemotherapy_considered_is_not_named_for_a_geriatric_assessment() -> None:
    """Recurrence score 10: endocrine therapy alone (TAILORx); no chemotherapy, so no geriatric assessment is
    in question and the age is named only for what else it decides (PREDICT)."""
    result = _assess({**HR_POSITIVE_RS_30, "oncotype_rs": 10})
    assert result.decisions["chemotherapy"] == "not_indicated"
    assert "geriatric" not in _why(result, "age")


def test_ecog_names_every_decision_it_could_change_in_one_reason() -> None:
    """monarchE cohort 1 (4 positive nodes) at RS 30: chemotherapy (trials of fit patients, ECOG 0-1) and
    abemaciclib (monarchE enrolled ECOG 0-1) would both change with a poorer status; one reason names both."""
    data = {**HR_POSITIVE_RS_30, "age": 58, "surgery": {"breast": "mastectomy", "status": "done"},
            "nodes": {"procedure": "slnb_then_alnd", "examined": 12,
                      "deposits": [{"node": i, "size_mm": 5.0, "method": "he"} for i in range(1, 5)]}}
    why = _why(_assess(data), "ecog")
    assert "chemotherapy" in why and "cdk46 inhibitor" in why
    assert why.count("performance status not given") == 1


def test_a_missing_field_keeps_every_reason_it_is_named_for() -> None:
    """Age unknown after breast-conserving surgery: PREDICT needs it (no prognosis without it) and the boost is
    decided on it (ASTRO 2018: > 50 with grade 1-2 and clear margins may omit it). Both reasons are kept in one
    entry, so the report can say why no prognosis was computed."""
    result = _assess({**HR_POSITIVE_RS_30, "oncotype_rs": 10, "tumour": {**HR_POSITIVE_RS_30["tumour"], "grade": 1}})
    entries = [m for m in result.missing if m.field == "age"]
    assert len(entries) == 1
    assert "PREDICT needs the age at diagnosis" in entries[0].why
    assert "boost" in entries[0].why
    assert "boost" in entries[0].decisions
    assert any(reason.startswith("age:") and "PREDICT" in reason for reason in prognosis_reasons(result))


ER0_GBRCA1_AFTER_NST = {
    "sex": "female", "age": 45, "menopausal_status": "pre", "ecog": 0, "germline_brca": "brca1",
    "clinical_nodes": "cN0", "tumour": {"grade": 3, "er_percent": 0, "her2_ihc": "0"},
    "surgery": {"breast": "mastectomy", "status": "done"},
    "nodes": {"procedure": "slnb", "examined": 2, "deposits": []}, "neoadjuvant": True,
    "neoadjuvant_therapy": {"pre_treatment_size_mm": 30, "pre_treatment_clinical_nodes": "cN1",
                            "agents": ["anthracycline", "taxane"]}}


def test_pr_is_not_asked_where_er_negative_pr_positive_residual_disease_is_decided_like_triple_negative() -> None:
    """Grade 3: CPS+EG is 3 or 4 for any residual size (IIB 1 + ypN0 0-1 + ER-negative 1 + grade 3 1), so
    olaparib is recommended for residual disease whether PR is 0 % or 60 %, and not indicated after a pCR (ypT0
    ypN0); capecitabine is discussed either way. Flipping PR never changes either: only the residual size is
    asked."""
    for size in (0, 0.5, 4, 15, 30, 60):
        answers = {pr: _assess(_tumour(ER0_GBRCA1_AFTER_NST, size_mm=size, pr_percent=pr)).decisions
                   for pr in (0, 60)}
        for key in ("olaparib", "capecitabine"):
            assert answers[0][key] == answers[60][key], (size, key)
        assert answers[0]["olaparib"] == ("not_indicated" if size == 0 else "recommended"), size
    unknown = _assess(ER0_GBRCA1_AFTER_NST)
    for key in ("olaparib", "capecitabine"):
        assert unknown.decisions[key] == INSUFFICIENT_DATA, key
        assert _asking(unknown, key) == {"tumour.size_mm"}, key


def test_pr_is_asked_where_it_separates_er_negative_residual_disease() -> None:
    """Grade 2: ER-negative PR-positive ypT1 N0 residual disease scores CPS+EG 2 (IIB 1 + stage I 0 + ER-negative
    1): not OlympiA-eligible, while triple-negative residual disease is. PR changes olaparib here: it is asked."""
    grade_2 = _tumour(ER0_GBRCA1_AFTER_NST, grade=2)
    assert _assess(_tumour(grade_2, size_mm=15, pr_percent=0)).decisions["olaparib"] == "recommended"
    assert _assess(_tumour(grade_2, size_mm=15, pr_percent=60)).decisions["olaparib"] == "not_indicated"
    assert "tumour.pr_percent" in _asking(_assess(grade_2), "olaparib")
