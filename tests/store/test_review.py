"""Re-assessment under the current rules (issue 9: "re-assess a stored case under the current rule set and
show the diff (decisions, stage, figures that moved, and the rule that moved them)"): ``compare`` on a
recorded assessment JSON altered the way a change of rules would alter it."""

from __future__ import annotations

import copy
from typing import Any

from micromets.assess import assess
from micromets.model import parse_case
from micromets.store.review import FIGURE_TOLERANCE, compare

from _cases import BASE_CASE


def _now_and_then() -> tuple[Any, dict[str, Any]]:
    case = parse_case(copy.deepcopy(BASE_CASE))
    now = assess(case)
    return now, now.model_dump(mode="json")


def test_identical_assessments_show_nothing_moved() -> None:
    now, then = _now_and_then()
    result = compare(1, then, now)
    assert result.changed is False and result.row_id == 1
    assert not (result.decisions or result.staging or result.findings or result.prognosis or result.recommendations)
    assert not result.versions["ruleset_version"].changed and result.assessment == then


def test_versions_old_and_new_are_reported() -> None:
    now, then = _now_and_then()
    then["micromets_version"], then["ruleset_version"] = "0.0.9", "micromets-rules-2024.01+abcdefabcdef"
    versions = compare(1, then, now).versions
    assert versions["micromets_version"].before == "0.0.9" and versions["micromets_version"].changed
    assert versions["ruleset_version"].after == now.ruleset_version


def test_a_moved_decision_names_the_rules_behind_it_then_and_now() -> None:
    now, then = _now_and_then()
    rec = now.recommendations[0]
    from micromets.guidelines import decision_key

    key = decision_key(rec.id)
    assert key is not None
    then["decisions"][key] = "old-decision"
    then["recommendations"][0]["id"] = rec.id + ".retired"
    result = compare(1, then, now)
    (decision,) = result.decisions
    assert (decision.field, decision.before, decision.after) == (key, "old-decision", now.decisions[key])
    assert rec.id in decision.rules_after and rec.id + ".retired" in decision.rules_before
    changes = {(r.id, r.change) for r in result.recommendations}
    assert {(rec.id, "added"), (rec.id + ".retired", "removed")} <= changes


def test_a_changed_recommendation_lists_the_fields_that_changed() -> None:
    now, then = _now_and_then()
    then["recommendations"][0]["strength"] = "weak" if now.recommendations[0].strength != "weak" else "strong"
    then["recommendations"][0]["evidence"] = ["OLD-TRIAL"]
    (change,) = compare(1, then, now).recommendations
    assert change.change == "changed" and change.fields == ["strength", "evidence"]


def test_stage_and_findings_that_moved_are_listed() -> None:
    now, then = _now_and_then()
    then["staging"]["n"] = "pN0"
    then["findings"]["positive_nodes"] = 99
    result = compare(1, then, now)
    assert [c.field for c in result.staging] == ["staging.n"] and result.staging[0].before == "pN0"
    assert [(c.field, c.before) for c in result.findings] == [("findings.positive_nodes", 99)]


def test_figures_move_only_beyond_the_tolerance() -> None:
    now, then = _now_and_then()
    assert now.prognosis is not None
    series = then["prognosis"]["overall_survival"]["with_treatments"]
    series[0] += FIGURE_TOLERANCE / 2  # below 0.1 percentage point: not a move
    series[-1] += FIGURE_TOLERANCE * 3
    moved = compare(1, then, now).prognosis
    year = now.prognosis.years[-1]
    assert [c.field for c in moved] == [f"overall_survival.with_treatments[{year}y]"]


def test_missing_and_warnings_added_and_removed() -> None:
    now, then = _now_and_then()
    then["missing"] = [{"field": "tumour.ki67_percent", "why": "old rule"}]
    then["warnings"] = ["an old warning"]
    result = compare(1, then, now)
    assert result.missing_removed == ["tumour.ki67_percent"] and "an old warning" in result.warnings_removed
    assert result.missing_added == [m.field for m in now.missing if m.field != "tumour.ki67_percent"]
