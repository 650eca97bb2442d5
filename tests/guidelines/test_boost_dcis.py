"""The tumour-bed boost for in situ carcinoma only (Tis), from the ASTRO 2018 whole-breast RT guideline's separate
DCIS statement (Smith BD et al., Pract Radiat Oncol 2018;8:145-152; read in a secondary report, evidence record
ASTRO-WBI-2018-DCIS-BOOST, status M): after breast-conserving surgery a boost may be used for DCIS with any of age
<= 50, high grade, or close or positive margins (conditional); otherwise it may be omitted. DCIS is graded by nuclear
grade (``tumour.nuclear_grade``). ER is no criterion of the statement, so an in situ case is never asked for it (the
invasive table asked over 70: vignette ``dcis-low-risk-older`` came back ``insufficient_data`` naming
``tumour.er_percent``, which it gives).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from micromets.guidelines import GuidelineResult, decision_key, recommend
from micromets.model import parse_case
from micromets.pathology import classify
from micromets.staging import stage

VIGNETTES = Path(__file__).resolve().parents[1] / "vignettes" / "hard" / "hard_vignettes.jsonl"


def _vignette(name: str) -> dict[str, Any]:
    for line in VIGNETTES.read_text().splitlines():
        record = json.loads(line)
        if record["id"] == name:
            return dict(record["case"])
    raise LookupError(name)


def _dcis(age: float | None = 76, nuclear_grade: int | None = 1, margins_mm: float | None = 5.0,
          er_percent: float | None = 95, grade: int | None = None) -> dict[str, Any]:
    """Vignette dcis-low-risk-older (screen-detected DCIS after BCS) with the boost's inputs changed."""
    case = json.loads(json.dumps(_vignette("dcis-low-risk-older")))
    if age is None:
        case.pop("age")
    else:
        case["age"] = age
    case["tumour"].update(nuclear_grade=nuclear_grade, er_percent=er_percent, grade=grade)
    case["surgery"]["margins_mm"] = margins_mm
    return case


def _run(data: dict[str, Any]) -> GuidelineResult:
    case = parse_case(data)
    findings = classify(case).findings
    return recommend(case, findings, stage(case, findings).staging)


def _boost(result: GuidelineResult) -> tuple[str, str | None, str | None, set[str]]:
    found = [r for r in result.recommendations if decision_key(r.id) == "boost"]
    missing = {m.field for m in result.missing if "boost" in (m.decisions or [])}
    return (result.decisions["boost"], found[0].id if found else None, found[0].strength if found else None,
            missing)


def test_the_low_risk_older_vignette_is_decided_without_er() -> None:
    """ASTRO 2018 DCIS: 76, nuclear grade 1, margins 5 mm: none of age <= 50, high grade, close/positive margin, so
    the boost may be omitted; ER is no criterion and is not asked for (it was: insufficient_data, tumour.er_percent)."""
    value, rid, strength, missing = _boost(_run(_vignette("dcis-low-risk-older")))
    assert (value, rid, strength) == ("not_indicated", "radiation.boost.not_indicated.dcis", "weak")
    assert not missing


def test_high_nuclear_grade_calls_for_a_boost_at_any_age() -> None:
    """ASTRO 2018 DCIS: high grade -> a boost may be used (conditional), at 60 and at 76 alike (the invasive table
    read the Nottingham grade, absent for DCIS, and asked for it at 60)."""
    for age in (60, 76):
        value, rid, strength, _ = _boost(_run(_dcis(age=age, nuclear_grade=3)))
        assert (value, rid, strength) == ("recommended", "radiation.boost.recommended.dcis", "weak"), age


def test_a_close_margin_calls_for_a_boost_over_70() -> None:
    """ASTRO 2018 DCIS: close (< 2 mm) margin -> a boost may be used (the invasive table said 'individualise')."""
    value, rid, _, _ = _boost(_run(_dcis(age=76, nuclear_grade=2, margins_mm=1.0)))
    assert (value, rid) == ("recommended", "radiation.boost.recommended.dcis")


def test_age_50_or_younger_calls_for_a_boost_conditionally() -> None:
    """ASTRO 2018 DCIS: age <= 50 -> a boost may be used: a conditional recommendation (weak), not the invasive
    statement's strong one (EORTC 22881 randomised invasive cancer only)."""
    value, rid, strength, _ = _boost(_run(_dcis(age=45, nuclear_grade=1, margins_mm=5.0)))
    assert (value, rid, strength) == ("recommended", "radiation.boost.recommended.dcis", "weak")


def test_low_risk_dcis_at_60_may_omit_the_boost() -> None:
    """ASTRO 2018 DCIS: 60, nuclear grade 2, margins 5 mm, no criterion met -> may be omitted (the invasive table
    made it a shared decision at 51-70)."""
    value, rid, _, missing = _boost(_run(_dcis(age=60, nuclear_grade=2, er_percent=None)))
    assert (value, rid) == ("not_indicated", "radiation.boost.not_indicated.dcis")
    assert "tumour.er_percent" not in missing


def test_an_unknown_nuclear_grade_is_asked_for_by_name_and_not_the_nottingham_grade() -> None:
    """Over 50 with wide margins, only a high nuclear grade would call for the boost: that is the input to give."""
    value, _, _, missing = _boost(_run(_dcis(age=60, nuclear_grade=None, er_percent=None)))
    assert value == "insufficient_data"
    assert missing == {"tumour.nuclear_grade"}


@settings(max_examples=60, deadline=None)
@given(age=st.sampled_from([None, 35, 50, 51, 70, 71, 85]), nuclear_grade=st.sampled_from([None, 1, 2, 3]),
       margins_mm=st.sampled_from([None, 0.0, 1.0, 1.9, 2.0, 5.0]), er=st.sampled_from([None, 0, 5, 95]))
def test_er_never_decides_nor_is_asked_for_in_situ(age: float | None, nuclear_grade: int | None,
                                                   margins_mm: float | None, er: float | None) -> None:
    """Invariant (ASTRO 2018's DCIS criteria are age, grade and margins): the boost of an in situ case is the same
    whatever ER is, names neither ER nor the Nottingham grade as missing, and is a boost exactly when one criterion
    holds (or the margin is positive)."""
    value, _, _, missing = _boost(_run(_dcis(age, nuclear_grade, margins_mm, er)))
    assert _boost(_run(_dcis(age, nuclear_grade, margins_mm, 50)))[0] == value
    assert not missing & {"tumour.er_percent", "tumour.grade"}
    criterion = (age is not None and age <= 50) or nuclear_grade == 3 or (margins_mm is not None and margins_mm < 2)
    if criterion:
        assert value == "recommended"
    elif None in (age, nuclear_grade, margins_mm):
        assert value == "insufficient_data"
    else:
        assert value == "not_indicated"
