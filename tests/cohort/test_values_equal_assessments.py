"""The cohort path's values (``assess_values_many``, guideline boards that explain nothing) equal the whole assessments.

Issue 13: explanations (rationale, would-change-if, evidence) are rendered "only when asked"; ``micromets cohort``
asks for none, so it runs the same decision points and rails on boards that keep values only
(``recommend(..., explains=False)``), skips the benefit forgone and the follow-up items, and builds no Assessment.
What it outputs must not change: for every case, what docs/cohort.md ("Output") says the columns hold is read here
from the whole assessment (``assess_many``) and compared with the values - findings, stage, PREDICT figures (and the
whole prognosis they are cut from, which the values build only when asked), every
decision, the id of the recommendation that decided each (``rule.<key>``: the last recommendation of that key), the
unique missing field names in order and the warnings.

Rows: synthetic registries (four seeds, 4 % invalid rows, parsed as the cohort parses them), cases drawn by the
property tests' strategy (neoadjuvant settings, DCIS, inflammatory and metastatic disease, patient factors), every
vignette, hard vignette, SEER golden case and packaged example (under every PREDICT version).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests._cases import fixture_cases
from tests.properties._strategies import drawn_case_dicts

from micromets.assess import CaseValues, assess_many, assess_values_many
from micromets.cohort.columns import cases_from_batch
from micromets.cohort.synthetic import synthetic_registry
from micromets.errors import MicrometsError
from micromets.followup import follow_up_gaps, plan_follow_up
from micromets.followup import plan as plan_module
from micromets.guidelines import decision_key, recommend
from micromets.model import DECISION_VALUES, Assessment, Case, parse_case
from micromets.pathology import classify
from micromets.prognosis import available_versions
from micromets.staging import stage

#: (rows, seed) of the registries; 4 % of the rows invalid (error rows, not compared).
REGISTRIES = ((6_000, 101), (6_000, 202), (6_000, 303), (6_000, 404))
DRAWN = 1_000
CHUNK = 1_000  # the cohort's batch size


def _expected(a: Assessment) -> dict[str, Any]:
    """What the cohort columns read of a whole assessment (docs/cohort.md, "Output")."""
    rules: dict[str, str] = {}
    for rec in a.recommendations:  # display order: the last recommendation of a key is the one the column names
        key = decision_key(rec.id)
        if key is not None:
            rules[key] = rec.id
    p = a.prognosis
    figures = None if p is None else (p.model_version, tuple(p.years), tuple(p.treatments_evaluated), [
        *p.overall_survival.surgery_only, *p.overall_survival.with_treatments,
        *p.breast_cancer_mortality.surgery_only, *p.breast_cancer_mortality.with_treatments])
    return {"id": a.id, "findings": a.findings, "staging": a.staging, "prognosis": p, "figures": figures,
            "decisions": a.decisions, "rules": {key: rules.get(key) for key in DECISION_VALUES},
            "missing": [m.field for m in a.missing], "warnings": a.warnings}


def _got(v: CaseValues) -> dict[str, Any]:
    # The figures the columns read, and the whole prognosis they are cut from
    p = v.prognosis
    figures = None if p is None else (p.model_version, p.years, p.treatments_evaluated, p.figures)
    return {"id": v.id, "findings": v.findings, "staging": v.staging, "prognosis": None if p is None else p.whole(),
            "figures": figures, "decisions": v.decisions, "rules": {key: v.rule_ids.get(key) for key in DECISION_VALUES},
            "missing": list(v.missing_fields), "warnings": list(v.warnings)}


def _compare(cases: list[Case], version: str | None = None) -> int:
    compared = 0
    for start in range(0, len(cases), CHUNK):
        chunk = cases[start:start + CHUNK]
        whole = assess_many(chunk, prognosis_version=version)
        values = assess_values_many(chunk, prognosis_version=version)
        for case, a, v in zip(chunk, whole, values, strict=True):
            expected, got = _expected(a), _got(v)
            assert got == expected, (case.id, [k for k in expected if got[k] != expected[k]])
            compared += 1
    return compared


def _registry_cases() -> list[Case]:
    cases: list[Case] = []
    invalid = 0
    for rows, seed in REGISTRIES:
        for batch in synthetic_registry(rows, seed=seed, invalid_fraction=0.04).to_batches(max_chunksize=CHUNK):
            parsed = cases_from_batch(batch)[1]
            cases += [c for c in parsed if isinstance(c, Case)]
            invalid += sum(not isinstance(c, Case) for c in parsed)
    assert invalid > 0
    return cases


def test_registry_rows_values_equal_whole_assessments() -> None:
    cases = _registry_cases()
    assert _compare(cases) >= 20_000
    # Not vacuous: undecided rows, missing inputs and warnings are among them.
    values = assess_values_many(cases[:3_000])
    assert {"insufficient_data", "recommended", "not_indicated"} <= {x for v in values for x in v.decisions.values()}
    assert any(v.missing_fields for v in values) and any(v.warnings for v in values)


def test_drawn_cases_values_equal_whole_assessments() -> None:
    cases = []
    for data in drawn_case_dicts(DRAWN):
        try:
            cases.append(parse_case(data))
        except MicrometsError:
            continue
    assert len(cases) > DRAWN // 2
    _compare(cases)
    # Not vacuous: the rails that re-decide (declined, deferred in pregnancy, metastatic disease) are among them.
    values = assess_values_many(cases)
    assert {"declined", "deferred", "discuss"} <= {x for v in values for x in v.decisions.values()}
    assert any(v.rule_ids["chemotherapy"] == "systemic.chemotherapy.declined" for v in values)
    assert any(v.staging.m in ("cM1", "pM1") for v in values)


@pytest.mark.parametrize("version", available_versions())
def test_fixture_cases_values_equal_whole_assessments(version: str) -> None:
    cases = fixture_cases()
    assert len(cases) > 1000
    assert _compare(cases, version) == len(cases)


def _premenopausal_on_endocrine(date: dt.date) -> Case:
    return parse_case({"id": "f", "age": 41, "menopausal_status": "pre", "metastasis": "cM0", "clinical_nodes": "cN0",
                       "tumour": {"size_mm": 22, "grade": 2, "er_percent": 90, "pr_percent": 50, "her2_ihc": "1+"},
                       "surgery": {"breast": "bcs", "status": "done", "margins_mm": 4, "date": date.isoformat()},
                       "nodes": {"procedure": "slnb", "examined": 2, "deposits": []}})


def test_follow_up_gaps_are_the_plans_missing_inputs_and_warnings() -> None:
    """Undated (a case that bypassed validation: dates past year 9999), planned, dated and no date."""
    case = _premenopausal_on_endocrine(dt.date(2026, 3, 1))
    assert case.surgery is not None
    variants = [case, case.model_copy(update={"surgery": case.surgery.model_copy(update={"date": dt.date(9995, 1, 1)})}),
                case.model_copy(update={"surgery": case.surgery.model_copy(update={"status": "planned"})}),
                case.model_copy(update={"surgery": None})]
    for variant in variants:
        findings = classify(variant).findings
        result = recommend(variant, findings, stage(variant, findings).staging)
        plan = plan_follow_up(variant, result.decisions, result.recommendations)
        assert follow_up_gaps(variant, result.decisions, lambda r=result: r.recommendations) == \
            (plan.missing, plan.warnings)
    assert any("outside the calendar" in w for w in follow_up_gaps(variants[1], {}, list)[1])


def test_follow_up_gaps_read_the_words_only_when_they_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    """The plan asks whether the recommendations name ovarian suppression or an aromatase inhibitor for a
    premenopausal patient on endocrine therapy; the words are rendered only when the answer would change what is
    output (made so here: the months outside the calendar made to depend on it)."""
    case = _premenopausal_on_endocrine(dt.date(2026, 3, 1))
    decisions = {"endocrine": "recommended"}
    asked: list[bool] = []

    def words() -> list[Any]:
        asked.append(True)
        return []

    assert "surgery.date" not in [m.field for m in follow_up_gaps(case, decisions, words)[0]]
    assert not asked
    monkeypatch.setattr(plan_module, "_outside_calendar", lambda date, therapy, *rest: therapy.ofs_or_ai_named)
    warnings = follow_up_gaps(case, decisions, words)[1]
    assert asked and not any("outside the calendar" in w for w in warnings)  # no recommendation names them
