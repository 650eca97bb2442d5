"""The brief's principle over a wide set of records: ``insufficient_data`` appears only when the missing input could
change the answer, and an input named as missing can be given.

Base records: the packaged examples, every vignette (tests/vignettes/**/*.jsonl) and drawn cases
(tests/properties/_strategies.drawn_case_dicts, derandomised). For every decision left ``insufficient_data`` and every
input F it names (``missing[].decisions``, not the case-level entries with no decision), F is given each value the case
format allows (representative values for numbers, each side of the rules' cut-offs), under each way of giving or
leaving out the other inputs named for the same decision (all combinations up to a cap, a fixed sample beyond it):

* if no way of giving the others lets F change the decision or its strength, and no value leaves it open, F was not
  material: a finding (``immaterial``);
* if every value of F still leaves the decision open and still names F, the question cannot be answered: a finding
  (``unanswerable``).

A decision that stays open whatever is given is not called immaterial (some input outside the sweep's values may
decide it). Findings that another change owns or that are left for review are listed in ``KNOWN`` with the reason;
any other finding fails the test. (The drop-one-input sweep over the examples, test_missing_materiality_sweep.py,
is the narrower companion.)
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from tests.guidelines._materiality import Outcome, base_cases, decide, named_for, values_of, with_value

from micromets.model import INSUFFICIENT_DATA

pytestmark = pytest.mark.slow  # about 30 s of CPU

DRAWN = 150
#: Ways of giving the other named inputs tried per input, at most (a fixed sample beyond it).
MAX_COMBINATIONS = 48


@dataclass(frozen=True)
class Finding:
    label: str
    decision: str
    field: str
    kind: str  # "immaterial" | "unanswerable"
    outcomes: tuple[Outcome, ...]


def _immaterial_or_open(data: dict[str, Any], key: str, field: str, named: list[str]) -> set[Outcome] | None:
    """The outcomes F gives when it cannot change the decision under any way of giving the others; None when it can."""
    others = [(g, (None, *values_of(g))) for g in named if g != field and values_of(g)]
    combos = list(itertools.product(*(values for _, values in others)))
    if len(combos) > MAX_COMBINATIONS:
        combos = [combos[0], *random.Random(0).sample(combos[1:], MAX_COMBINATIONS - 1)]
    seen: set[Outcome] = set()
    for combo in combos:
        record = data
        for (name, _), value in zip(others, combo, strict=True):
            record = with_value(record, name, value)
        outcomes = {r[0][key] for value in values_of(field) if (r := decide(with_value(record, field, value)))}
        if len(outcomes) > 1:
            return None
        seen |= outcomes
    return seen


def _findings(label: str, data: dict[str, Any]) -> list[Finding]:
    result = decide(data)
    if result is None:
        return []
    decisions, missing = result
    found = []
    for key, (value, _) in decisions.items():
        if value != INSUFFICIENT_DATA:
            continue
        named = named_for(missing, key)
        for field in named:
            if not values_of(field):
                continue
            filled = [r for value in values_of(field) if (r := decide(with_value(data, field, value))) is not None]
            if filled and all(r[0][key][0] == INSUFFICIENT_DATA and field in named_for(r[1], key) for r in filled):
                found.append(Finding(label, key, field, "unanswerable", ()))
                continue
            seen = _immaterial_or_open(data, key, field, named)
            if seen and all(outcome[0] != INSUFFICIENT_DATA for outcome in seen):
                found.append(Finding(label, key, field, "immaterial", tuple(sorted(seen, key=str))))
    return found


#: Findings left for review, each with who owns it or why it is left: (decision, field, which records, reason).
KNOWN: list[tuple[str, str, Callable[[dict[str, Any]], bool], str]] = []


def _known(finding: Finding, case: dict[str, Any]) -> bool:
    return any(finding.decision == key and finding.field == field and applies(case)
               for key, field, applies, _ in KNOWN)


@pytest.fixture(scope="module")
def findings() -> list[tuple[Finding, dict[str, Any]]]:
    return [(finding, case) for label, case in base_cases(DRAWN) for finding in _findings(label, case)]


def test_every_named_input_could_change_its_decision_and_can_be_given(
        findings: list[tuple[Finding, dict[str, Any]]]) -> None:
    new = [finding for finding, case in findings if not _known(finding, case)]
    assert not new, new


def test_the_sweep_reaches_open_decisions_of_every_kind() -> None:
    """The base records leave enough decisions open for the sweep to mean something (guards a shrinking base)."""
    open_keys = set()
    for _, case in base_cases(DRAWN):
        result = decide(case)
        if result is not None:
            open_keys |= {key for key, (value, _) in result[0].items() if value == INSUFFICIENT_DATA}
    assert len(open_keys) >= 12, sorted(open_keys)
