"""Two corners of the chemotherapy decision where ``insufficient_data`` named inputs that could not change it (the
brief: ``insufficient_data`` only when the missing input could change the answer).

* A man with 1-3 macrometastatic nodes whose own factors cap chemotherapy at 'discuss' (ECOG 2: the adjuvant trials
  enrolled ECOG 0-1, ASCO geriatric oncology 2018; LVEF < 40 %: no anthracycline, review before any chemotherapy,
  Armenian JCO 2017). Every 21-gene recurrence score gives 'discuss' for him: >= 26 would recommend chemotherapy
  (TAILORx thresholds, read for men by the ASCO 2020 male breast cancer guideline, Hassett JCO 2020; capped), a lower
  score leaves it to discussion (RxPONDER, which spared chemotherapy at RS <= 25 after the menopause, enrolled women
  only). A MammaPrint result is read the same way (MINDACT enrolled women only): high would recommend (capped), low is
  discussed. So neither the score nor the grade and size (MINDACT clinical risk) are asked for.
* In situ carcinoma only in the breast with a nodal metastasis, the breast operation not given: if the breast was
  excised the invasive focus was missed, so it is microscopic (NCCN T1mi/T1a rows; pN1mi HR+/HER2-: 'endocrine
  therapy +/- chemotherapy', discussed); if not, its size is unknown. The case format takes no invasive size beside
  ``in_situ_only`` (docs/case-format.md), so the operation is what is asked for, not the size.
"""

from __future__ import annotations

import copy
from typing import Any

from micromets.assess import assess
from micromets.model import INSUFFICIENT_DATA, Assessment, parse_case

#: A man, HR-positive HER2-negative, one 4 mm nodal macrometastasis after mastectomy, MammaPrint given, no
#: recurrence score, grade and size not recorded.
MAN_N1: dict[str, Any] = {
    "id": "man-n1", "age": 60, "sex": "male",
    "tumour": {"histology": "ductal", "er_percent": 90, "pr_percent": 50, "her2_ihc": "1+"},
    "clinical_nodes": "cN0", "metastasis": "cM0", "neoadjuvant": False,
    "nodes": {"procedure": "slnb", "examined": 3, "deposits": [{"node": 1, "size_mm": 4.0, "method": "he"}]},
    "surgery": {"breast": "mastectomy", "status": "done", "date": "2026-11-02", "margins_mm": 4.0},
    "mammaprint": "low", "ecog": 2, "lvef_percent": 60,
}

#: In situ carcinoma only in the breast, one nodal micrometastasis, HR-positive HER2-negative, no score, the breast
#: operation not given.
IN_SITU_N1MI: dict[str, Any] = {
    "id": "dcis-n1mi", "age": 58, "sex": "female", "menopausal_status": "post",
    "tumour": {"in_situ_only": True, "er_percent": 90, "pr_percent": 40, "her2_ihc": "1+"},
    "clinical_nodes": "cN0", "metastasis": "cM0", "neoadjuvant": False,
    "nodes": {"procedure": "slnb", "examined": 3, "deposits": [{"node": 1, "size_mm": 1.2, "method": "he"}]},
    "surgery": {"status": "done", "date": "2026-10-01"}, "ecog": 0, "lvef_percent": 62,
}


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


def _asking(assessment: Assessment, key: str) -> set[str]:
    return {m.field for m in assessment.missing if key in m.decisions}


# --- a man with 1-3 nodes, capped at 'discuss' --------------------------------------------------------------------

def test_a_capped_man_with_one_to_three_nodes_is_discussed_without_the_score_grade_or_size() -> None:
    for cap in ({"ecog": 2}, {"ecog": 0, "lvef_percent": 35}):
        for mammaprint in ("low", "high", None):
            a = _assess(_with(MAN_N1, mammaprint=mammaprint, **cap))
            assert a.decisions["chemotherapy"] == "discuss", (cap, mammaprint)
            assert not {"oncotype_rs", "tumour.grade", "tumour.size_mm"} & _asking(a, "chemotherapy"), (cap, mammaprint)


def test_every_score_gives_the_capped_man_the_same_answer() -> None:
    """The answer the unknown score is spared for is the one every score gives (RS 10, 20, 30)."""
    for rs in (10, 20, 30):
        a = _assess(_with(MAN_N1, oncotype_rs=rs, mammaprint=None, tumour__grade=2, tumour__size_mm=25))
        assert a.decisions["chemotherapy"] == "discuss", rs


def test_a_fit_man_with_one_to_three_nodes_is_still_asked_for_the_score() -> None:
    """Fit, RS >= 26 recommends chemotherapy (TAILORx thresholds, ASCO 2020) and a lower one is discussed: asked."""
    fit = _with(MAN_N1, ecog=0, mammaprint=None, tumour__grade=2, tumour__size_mm=25)
    a = _assess(fit)
    assert a.decisions["chemotherapy"] == INSUFFICIENT_DATA
    assert "oncotype_rs" in _asking(a, "chemotherapy")
    assert _assess(_with(fit, oncotype_rs=30)).decisions["chemotherapy"] == "recommended"
    assert _assess(_with(fit, oncotype_rs=20)).decisions["chemotherapy"] == "discuss"


# --- in situ only in the breast, a nodal metastasis, the operation unknown ----------------------------------------

def test_the_breast_operation_not_the_size_is_asked_for() -> None:
    a = _assess(IN_SITU_N1MI)
    for key in ("chemotherapy", "bisphosphonate"):
        assert a.decisions[key] == INSUFFICIENT_DATA, key
        assert "surgery.breast" in _asking(a, key), key
        assert "tumour.size_mm" not in _asking(a, key), key
    excised = _assess(_with(IN_SITU_N1MI, surgery__breast="bcs"))
    assert excised.decisions["chemotherapy"] == "discuss"  # NCCN T1mi/T1a pN1mi HR+/HER2-: ET +/- chemotherapy


def test_with_the_subtype_open_too_the_operation_and_the_receptors_are_asked_for() -> None:
    a = _assess(_with(IN_SITU_N1MI, tumour__er_percent=None, tumour__pr_percent=None, tumour__her2_ihc=None))
    asked = _asking(a, "chemotherapy")
    assert a.decisions["chemotherapy"] == INSUFFICIENT_DATA
    assert "surgery.breast" in asked and "tumour.size_mm" not in asked, asked


def test_the_operation_is_not_asked_where_it_cannot_change_the_answer() -> None:
    """A recurrence score of 14 after the menopause: endocrine therapy alone at any size (TAILORx), operated or not."""
    a = _assess(_with(IN_SITU_N1MI, oncotype_rs=14))
    assert a.decisions["chemotherapy"] == "not_indicated"
    assert not {"surgery.breast", "tumour.size_mm"} & _asking(a, "chemotherapy")


def test_the_wide_sweep_finds_nothing_in_these_corners() -> None:
    """The cases the wide materiality sweep (test_missing_materiality_wide.py) found, written by hand (its drawn
    cases no longer reach them): no named input is immaterial or unanswerable for any decision."""
    from tests.guidelines.test_missing_materiality_wide import _findings

    cases = [MAN_N1, _with(MAN_N1, lvef_percent=35, ecog=0), IN_SITU_N1MI,
             _with(IN_SITU_N1MI, tumour__er_percent=None, tumour__pr_percent=None, tumour__her2_ihc=None),
             _with(IN_SITU_N1MI, surgery=None)]
    found = [(f.decision, f.field, f.kind) for case in cases for f in _findings(case["id"], case)
             if f.decision in ("chemotherapy", "bisphosphonate")]
    assert not found, found
