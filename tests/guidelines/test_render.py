"""``render`` builds a table rule's recommendation without validating it, its values checked once per rule
(``Rule.plain_domain``): the recommendation equals the validated one, and a value that is not plainly of its field's
type is still refused by validation."""

from __future__ import annotations

import dataclasses
from importlib import resources
from typing import Any

import pytest
from pydantic import ValidationError

from micromets import parse_case_json
from micromets.guidelines._context import Board, Context
from micromets.guidelines.radiation import BOOST
from micromets.guidelines.table import Rule, render
from micromets.model import Recommendation
from micromets.pathology import classify
from micromets.staging import stage

_RULE = next(rule for rule in BOOST.rules if rule.rid == "radiation.boost.recommended.positive_margin")


def _context() -> Context:
    folder = resources.files("micromets") / "examples"
    name = sorted(p.name for p in folder.iterdir() if p.name.endswith(".json"))[0]
    case = parse_case_json((folder / name).read_text())
    findings = classify(case).findings
    return Context.of(case, findings, stage(case, findings).staging)


def _rendered(rule: Rule, evidence: Any) -> Recommendation:
    board = Board()
    render(rule, _context(), board, say=("t", "n"), evidence=evidence, parameters={"x": 1})
    (recommendation,) = board.recommendations
    return recommendation


@pytest.mark.parametrize("rule, evidence", [
    (_RULE, ["ASTRO-WBI-2018", "NCCN-BREAST"]),
    (dataclasses.replace(_RULE, evidence=("EORTC-BOOST",)), ["ignored"]),
    (dataclasses.replace(_RULE, text="{x:g} mm", would_change_if="{x!r}", rationale="{facts}; {x}"), ("A", "B")),
])
def test_a_rendered_recommendation_equals_the_validated_one(rule: Rule, evidence: Any) -> None:
    rendered = _rendered(rule, evidence)
    validated = Recommendation.model_validate(rendered.model_dump(exclude_unset=True))
    assert rule.plain_domain == "radiation"
    assert rendered == validated
    assert rendered.model_fields_set == validated.model_fields_set
    assert rendered.model_dump_json() == validated.model_dump_json()
    assert rendered.evidence is not evidence and rendered.evidence is not rule.evidence  # a list of its own


@pytest.mark.parametrize("rule, evidence", [
    (_RULE, []),  # no evidence at all
    (_RULE, ["ASTRO-WBI-2018", 7]),
    (dataclasses.replace(_RULE, text=["not a string"]), ["ASTRO-WBI-2018"]),  # type: ignore[arg-type]
    (dataclasses.replace(_RULE, evidence=("EORTC-BOOST", None)), ["ASTRO-WBI-2018"]),  # type: ignore[arg-type]
])
def test_a_value_not_plainly_of_its_type_is_still_validated(rule: Rule, evidence: Any) -> None:
    with pytest.raises(ValidationError):
        _rendered(rule, evidence)
