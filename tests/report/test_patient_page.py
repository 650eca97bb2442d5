"""Issue 12, item 7: a patient-facing page with an icon array ("of 100 women like you") from the same PREDICT
figures as the tumour-board report, printable, without jargon, worded for the patient's sex.

The icon counts are checked against the assessment's own figures: alive with surgery alone and alive with the
treatments are PREDICT's overall survival at 10 years rounded to whole people out of 100, and the 100 icons add up.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from micromets.assess import assess
from micromets.model import parse_case
from micromets.report.patient import icon_groups, render_patient_html

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _data(**changes: object) -> dict[str, object]:
    data = json.loads((EXAMPLES / "pn1mi.json").read_text(encoding="utf-8"))
    data.update(changes)
    return data


def _page(data: dict[str, object]) -> str:
    case = parse_case(data)
    return render_patient_html(assess(case), case)


def test_icon_array_matches_the_predict_figures() -> None:
    a = assess(parse_case(_data()))
    p = a.prognosis
    assert p is not None and 10 in p.years
    k = p.years.index(10)
    groups = {g.key: g.count for g in icon_groups(p)}
    assert sum(groups.values()) == 100
    assert groups["alive_surgery"] == round(100 * p.overall_survival.surgery_only[k])
    alive = groups["alive_surgery"] + sum(v for key, v in groups.items() if key.startswith("treatment:"))
    assert alive == round(100 * p.overall_survival.with_treatments[k])
    assert {f"treatment:{t}" for t in p.treatments_evaluated} <= set(groups)
    assert abs(groups["breast_cancer"] - 100 * p.breast_cancer_mortality.with_treatments[k]) < 1.5


def test_page_has_a_100_person_svg_the_figures_and_no_jargon() -> None:
    page = _page(_data())
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert svg.count("<circle") == 100 and 'role="img"' in svg and "Of 100 women like you" in svg
    assert "Out of 100 women like you, 10 years after surgery" in page
    assert "after 5 years" in page and "after 15 years" in page
    text = re.sub(r"<[^>]+>", " ", page[page.index("<body"):])
    for jargon in ("pN1mi", "pT1c", "HR+", "HER2 low", "stage IB", "not_indicated", "insufficient", "endocrine",
                   "systemic.", "overall_survival", "ALND", "cM0"):
        assert jargon not in text, jargon
    assert "hormone therapy" in text  # PREDICT's "endocrine" in the patient's words
    assert "@media print" in page and "@page" in page and "<script" not in page


@pytest.mark.parametrize(("sex", "word"), [("female", "women"), ("male", "men"), (None, "people")])
def test_wording_follows_the_patients_sex(sex: str | None, word: str) -> None:
    data = _data(sex=sex, menopausal_status=None if sex == "male" else "post")
    page = _page(data)
    assert f"Out of 100 {word} like you" in page
    other = {"women", "men", "people"} - {word}
    text = re.sub(r"<[^>]+>", " ", page[page.index("<body"):])
    for w in other:
        assert f" {w} like you" not in text


def test_without_figures_the_page_says_so_plainly() -> None:
    data = _data()
    data["surgery"] = {"breast": "bcs", "status": "planned"}
    data["nodes"] = {"procedure": "none"}
    page = _page(data)
    assert "could not be worked out" in page and "<svg" not in page
    assert "these numbers" not in page and "these figures" not in page  # no figures to talk through
