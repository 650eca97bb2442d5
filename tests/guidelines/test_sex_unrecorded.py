"""A patient whose sex is not recorded is read neither as a woman nor as a man.

The case format makes ``sex`` optional. Where the sex changes the answer the decision is ``insufficient_data`` naming
``sex``; where the decision is the same for both sexes but its plan differs, ``sex`` is named in ``missing``; a
recorded menopausal status, pregnancy or breastfeeding, or planned ovarian function suppression is recorded only for a
woman (the case format refuses each for a man), so it settles the sex. Sources:

- ASCO 2020, management of male breast cancer (Hassett et al., J Clin Oncol 2020;38:1849-63): tamoxifen is the
  first-line adjuvant endocrine therapy for men; an aromatase inhibitor only together with a GnRH agonist. Ovarian
  function suppression is for women (ASCO 2016; SOFT/TEXT).
- EBCTCG 2015 (Lancet 386:1353-61) and ASCO-OH 2022: the adjuvant bisphosphonate benefit is in postmenopausal women
  (natural or induced); no data for men.
- RxPONDER (Kalinsky, NEJM 2021) enrolled women: with 1-3 positive nodes and RS <= 25 the menopausal status decides
  chemotherapy; a man has none.
- ASCO-SSO 2024 germline testing (Bedrosian et al., J Clin Oncol 2024): BRCA1/2 testing for every patient <= 65, and
  over 65 for male breast cancer (among other criteria).
"""

from __future__ import annotations

from typing import Any

import pytest

from micromets.assess import assess
from micromets.model import INSUFFICIENT_DATA, Assessment, parse_case
from micromets.model.case import recorded_sex

#: HR-positive, HER2-negative, pT1c pN0(sn) after breast-conserving surgery, RS 10; no sex, no menopausal status.
_CASE: dict[str, Any] = {
    "id": "sex-unrecorded", "age": 72, "metastasis": "cM0", "clinical_nodes": "cN0", "oncotype_rs": 10,
    "tumour": {"size_mm": 15, "grade": 2, "er_percent": 90, "pr_percent": 50, "her2_ihc": "1+"},
    "surgery": {"breast": "bcs", "status": "done", "margins_mm": 3},
    "nodes": {"procedure": "slnb", "examined": 2, "deposits": []},
}


def _assess(**changes: Any) -> Assessment:
    return assess(parse_case({**_CASE, **changes}))


def _missing(a: Assessment, field: str) -> list[Any]:
    return [m for m in a.missing if m.field == field]


def _rec(a: Assessment, prefix: str) -> Any:
    return next(r for r in a.recommendations if r.id.startswith(prefix))


@pytest.mark.parametrize(("changes", "sex"), [
    ({}, None),
    ({"sex": "male"}, "male"),
    ({"menopausal_status": "peri"}, "female"),
    ({"age": 34, "pregnancy": {"status": "pregnant"}}, "female"),
    ({"age": 34, "pregnancy": {"status": "lactating"}}, "female"),
    ({"age": 40, "ovarian_function_suppression": "planned"}, "female"),
    ({"pregnancy": {"status": "not_pregnant"}}, None),  # said of a man too
    ({"ovarian_function_suppression": "not_planned"}, None),
])
def test_the_sex_is_what_the_case_records_or_implies(changes: dict[str, Any], sex: str | None) -> None:
    assert recorded_sex(parse_case({**_CASE, **changes})) == sex


def test_endocrine_therapy_is_recommended_either_way_and_the_agent_names_the_sex() -> None:
    """ER 90 %: endocrine therapy for a man and for a woman (ASCO/CAP 2020; ASCO 2020 male breast cancer); the agent
    differs (tamoxifen for a man, an AI only with a GnRH agonist), so the sex is named, not guessed."""
    a = _assess()
    assert a.decisions["endocrine"] == "recommended"
    rec = _rec(a, "systemic.endocrine.")
    assert "for a man tamoxifen" in rec.text and "GnRH agonist" in rec.text
    assert "ASCO-MALE-2020" in rec.evidence
    assert any("endocrine agent" in m.why for m in _missing(a, "sex"))


def test_a_recorded_menopausal_status_settles_the_sex_for_the_agent() -> None:
    a = _assess(menopausal_status="post")
    rec = _rec(a, "systemic.endocrine.")
    assert rec.text.startswith("Aromatase inhibitor") and "for a man" not in rec.text
    assert not _missing(a, "sex")


def test_a_man_gets_tamoxifen_not_a_woman_s_plan() -> None:
    rec = _rec(_assess(sex="male"), "systemic.endocrine.")
    assert rec.text.startswith("Tamoxifen 20 mg daily") and "ASCO-MALE-2020" in rec.evidence


def test_the_bisphosphonate_waits_for_the_sex_when_a_man_s_answer_differs() -> None:
    """Age 33, lower risk, HR-positive: a woman is offered a bisphosphonate to discuss whatever her menopausal status
    (before the menopause ovarian suppression is advised under 35, ASCO 2016, and an induced menopause counts;
    after it, a lower-risk postmenopausal candidate, ASCO-OH 2022); for a man there are no data (EBCTCG 2015)."""
    woman = _assess(age=33, sex="female")
    assert woman.decisions["bisphosphonate"] == "discuss"
    unrecorded = _assess(age=33)
    assert unrecorded.decisions["bisphosphonate"] == INSUFFICIENT_DATA
    assert [d for m in _missing(unrecorded, "sex") for d in m.decisions] == ["bisphosphonate"]
    assert not any("bisphosphonate" in m.decisions for m in _missing(unrecorded, "menopausal_status"))
    assert _assess(age=33, sex="male").decisions["bisphosphonate"] == "not_indicated"


def test_the_bisphosphonate_names_sex_and_menopausal_status_when_both_decide() -> None:
    """Age 72, status unrecorded: premenopausal without suppression, no benefit; postmenopausal, discuss (EBCTCG
    2015); a man, no data. Either input alone may settle it."""
    a = _assess()
    assert a.decisions["bisphosphonate"] == INSUFFICIENT_DATA
    for field in ("sex", "menopausal_status"):
        assert any("bisphosphonate" in m.decisions for m in _missing(a, field)), field


def test_a_bisphosphonate_that_no_one_would_get_needs_no_sex() -> None:
    """Triple-negative T1a (4 mm) pN0: no adjuvant systemic therapy (NCCN), so no bisphosphonate for anyone."""
    a = _assess(age=60, oncotype_rs=None,
                tumour={"size_mm": 4, "grade": 2, "er_percent": 0, "pr_percent": 0, "her2_ihc": "0"})
    assert a.decisions["bisphosphonate"] == "not_indicated"
    assert not any("bisphosphonate" in m.decisions for m in _missing(a, "sex"))


def test_rxponder_s_menopausal_question_names_the_sex_too() -> None:
    """1-3 macrometastatic nodes, RS 18: premenopausal women benefit from chemotherapy (RxPONDER), postmenopausal
    women do not; a man has no menopausal status (and RxPONDER enrolled women only: ASCO 2020 male breast cancer
    guideline), so his chemotherapy is discussed. Unrecorded: both inputs are asked for."""
    nodes = {"procedure": "slnb", "examined": 2, "deposits": [{"node": 1, "size_mm": 4, "method": "he"}]}
    unrecorded = _assess(age=58, oncotype_rs=18, nodes=nodes)
    assert unrecorded.decisions["chemotherapy"] == INSUFFICIENT_DATA
    for field in ("sex", "menopausal_status"):
        assert any("chemotherapy" in m.decisions for m in _missing(unrecorded, field)), field
    woman = _assess(age=58, oncotype_rs=18, nodes=nodes, sex="female")
    assert woman.decisions["chemotherapy"] == INSUFFICIENT_DATA
    assert not any("chemotherapy" in m.decisions for m in _missing(woman, "sex"))
    # amended (patient audit 2026-12-01): was 'not_indicated' (the postmenopausal RxPONDER reading applied to a man)
    assert _assess(age=58, oncotype_rs=18, nodes=nodes, sex="male").decisions["chemotherapy"] == "discuss"


def test_germline_testing_over_65_names_the_sex() -> None:
    """ASCO-SSO 2024: over 65, male breast cancer is a criterion for BRCA1/2 testing; HR-positive disease in a woman
    without TNBC, family history or PARP-inhibitor eligibility is not."""
    assert any("germline" in m.why for m in _missing(_assess(), "sex"))
    assert not any(r.id == "diagnostics.germline.offer" for r in _assess(sex="female").recommendations)
    assert not _missing(_assess(sex="female"), "sex")
    assert any(r.id == "diagnostics.germline.offer" for r in _assess(sex="male").recommendations)


def test_the_cohort_path_names_the_same_missing_inputs() -> None:
    """recommend(..., explains=False) (the cohort engine) keeps the missing inputs of the explained run."""
    from micromets.guidelines import recommend
    from micromets.pathology import classify
    from micromets.staging import stage

    case = parse_case(_CASE)
    result = classify(case)
    staging = stage(case, result.findings).staging
    explained = recommend(case, result.findings, staging)
    values = recommend(case, result.findings, staging, explains=False)
    assert [m.model_dump() for m in values.missing] == [m.model_dump() for m in explained.missing]
    assert any(m.field == "sex" for m in values.missing)


def test_a_man_offered_ribociclib_is_told_it_goes_with_a_gnrh_agonist() -> None:
    """NATALEE (Slamon, NEJM 2024) gave men goserelin with the non-steroidal AI, as the ribociclib label asks: a man
    whose CDK4/6 decision rests on NATALEE alone (node-negative T2 grade 3: outside monarchE) is told so."""
    case = {"id": "natalee-man", "age": 60, "sex": "male", "tumour": {"size_mm": 30, "grade": 3, "er_percent": 90,
            "pr_percent": 50, "her2_ihc": "1+", "ki67_percent": 30}, "clinical_nodes": "cN0",
            "nodes": {"procedure": "slnb", "examined": 2, "deposits": []}, "metastasis": "cM0",
            "surgery": {"breast": "mastectomy", "status": "done", "date": "2026-10-01", "margins_mm": 5},
            "ecog": 0, "conditions": {"qtcf_ms": 420}}
    result = assess(case)
    rec = next(r for r in result.recommendations if r.id.startswith("systemic.cdk46."))
    assert rec.id.startswith("systemic.cdk46.recommended.natalee"), rec.id
    assert "GnRH agonist" in rec.text
    woman = assess({**case, "sex": "female", "menopausal_status": "post"})
    assert "GnRH agonist" not in next(r for r in woman.recommendations if r.id == rec.id).text
