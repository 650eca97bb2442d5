"""Plausibility warnings (issue 9, item 1): valid but suspicious input is assessed, with a warning first.

Concrete examples: the issue's own (an invasive size of 1.8 with a deposit of 0.12; a 180 mm tumour
with breast-conserving surgery) and the slips a pathologist would query: ER entered as a fraction
(ASCO/CAP 2020 reports ER as % of nuclei, 0-100), a dissection recorded as a sentinel biopsy, 0 typed
for an unknown size (the case format: 0 means no invasive tumour), a menopausal status at odds with age.
"""

from __future__ import annotations

from typing import Any

import pytest

from micromets.assess import assess
from micromets.knowledge import load_json
from micromets.model import parse_case
from micromets.pathology.plausibility import PREFIX, plausibility_warnings
from micromets.report.html import render_html
from micromets.report.text import render_text

BASE: dict[str, Any] = {
    "id": "p", "age": 58, "sex": "female", "menopausal_status": "post", "metastasis": "cM0", "clinical_nodes": "cN0",
    "tumour": {"size_mm": 18, "grade": 2, "er_percent": 90, "pr_percent": 50, "her2_ihc": "1+", "ki67_percent": 12},
    "surgery": {"breast": "bcs", "status": "done", "date": "2026-10-01", "margins_mm": 3},
    "nodes": {"procedure": "slnb", "examined": 3, "deposits": [{"node": 1, "size_mm": 1.2, "method": "he"}]},
}


def warnings_for(**changes: Any) -> list[str]:
    data = {**BASE, **{k: v for k, v in changes.items() if not isinstance(v, dict)}}
    for key, value in changes.items():
        if isinstance(value, dict):
            data[key] = {**BASE.get(key, {}), **value}
    return plausibility_warnings(parse_case(data))


def test_a_typical_case_gets_no_plausibility_warning() -> None:
    assert warnings_for() == []


def test_sizes_that_look_like_centimetres() -> None:
    found = warnings_for(tumour={"size_mm": 1.8},
                         nodes={"deposits": [{"node": 1, "size_mm": 0.12, "method": "he"}]})
    assert len(found) == 1 and found[0].startswith(PREFIX)
    assert "centimetres" in found[0] and "18 mm" in found[0] and "1.2 mm" in found[0]


@pytest.mark.parametrize(("size", "deposit"), [(18, 0.12), (2, 0.12), (1.8, 1.2), (6.5, 0.1)])
def test_real_small_sizes_in_millimetres_do_not_warn(size: float, deposit: float) -> None:
    # 18 mm with an ITC, a 2 mm tumour, 1.8 mm with a 1.2 mm deposit, 6.5 mm with an ITC: all plausible in mm.
    found = warnings_for(tumour={"size_mm": size}, nodes={"deposits": [{"node": 1, "size_mm": deposit, "method": "he"}]})
    assert not [w for w in found if "centimetres" in w]


def test_a_huge_tumour_with_breast_conserving_surgery() -> None:
    found = warnings_for(tumour={"size_mm": 180})
    assert len(found) == 1 and "180 mm" in found[0] and "breast-conserving" in found[0]
    assert warnings_for(tumour={"size_mm": 180}, surgery={"breast": "mastectomy"}) == []
    assert warnings_for(tumour={"size_mm": 45}) == []


@pytest.mark.parametrize("field", ["er_percent", "pr_percent", "ki67_percent"])
def test_percentages_that_look_like_fractions(field: str) -> None:
    found = warnings_for(tumour={field: 0.9})
    assert len(found) == 1 and f"tumour.{field} is 0.9 %" in found[0] and "90 %" in found[0]
    assert warnings_for(tumour={field: 1}) == [] and warnings_for(tumour={field: 0}) == []


def test_more_nodes_than_the_procedure_yields() -> None:
    assert "axillary dissection" in warnings_for(nodes={"examined": 14})[0]
    assert warnings_for(nodes={"examined": 14, "procedure": "slnb_then_alnd"}) == []
    assert "check nodes.examined" in warnings_for(nodes={"examined": 85, "procedure": "alnd"})[0]


def test_zero_size_with_features_of_an_invasive_tumour() -> None:
    found = warnings_for(tumour={"size_mm": 0})
    assert len(found) == 1 and "leave size_mm out" in found[0] and "tumour.grade" in found[0]
    assert warnings_for(tumour={"size_mm": 0}, neoadjuvant=True) == []  # ypT0 with biopsy grade: expected



def test_zero_size_beside_multifocal_warns() -> None:
    # tumour.multifocal is "more than one invasive focus" (case format; AJCC 8 (m) suffix): it describes an invasive
    # tumour as a grade does; after neoadjuvant therapy (ypT0) it is not queried
    found = warnings_for(tumour={"size_mm": 0, "grade": None, "multifocal": True})
    assert len(found) == 1 and "tumour.multifocal" in found[0]
    assert warnings_for(tumour={"size_mm": 0, "grade": None, "multifocal": False}) == []
    assert warnings_for(tumour={"size_mm": 0, "multifocal": True}, neoadjuvant=True) == []


@pytest.mark.parametrize(("age", "status", "warns"), [(51, "pregnant", True), (58, "lactating", True),
                                                      (50, "pregnant", False), (38, "pregnant", False),
                                                      (62, "not_pregnant", False)])
def test_pregnancy_at_an_age_above_50_warns(age: int, status: str, warns: bool) -> None:
    found = warnings_for(age=age, menopausal_status="pre" if age <= 60 else "post", pregnancy={"status": status})
    found = [w for w in found if "pregnan" in w or "breastfeeding" in w]
    assert bool(found) == warns, found
    if warns:
        assert f"at age {age}" in found[0] and "pregnancy.status" in found[0]

def test_menopausal_status_at_odds_with_age() -> None:
    assert "postmenopausal at age 31" in warnings_for(age=31)[0]
    assert "premenopausal at age 67" in warnings_for(age=67, menopausal_status="pre")[0]
    assert warnings_for(age=45, menopausal_status="post") == []


def test_thresholds_are_data_with_a_header() -> None:
    table = load_json("pathology/plausibility.json")
    assert {"id", "title", "version", "last_modified", "source"} <= set(table)
    assert table["centimetre_sizes"]["tumour_below_mm"] == 5.0


def test_the_assessment_runs_and_lists_plausibility_warnings_first() -> None:
    data = {**BASE, "tumour": {**BASE["tumour"], "size_mm": 1.8, "er_percent": 0.9},
            "nodes": {**BASE["nodes"], "deposits": [{"node": 1, "size_mm": 0.12, "method": "he"}]}}
    assessment = assess(parse_case(data))
    assert assessment.staging.t == "pT1a" and assessment.findings.itc_nodes == 1  # the input as given is assessed
    assert [w.startswith(PREFIX) for w in assessment.warnings][:2] == [True, True]
    assert not any(w.startswith(PREFIX) for w in assessment.warnings[2:])
    text = render_text(assessment)
    assert text.index("CHECK THESE INPUTS") < text.index("FINDINGS") and "centimetres" in text.split("FINDINGS")[0]
    html = render_html(assessment, parse_case(data))
    assert html.index('id="mm-check-first"') < html.index('class="mm-disclaimer"') < html.index('class="mm-summary"')
