"""First-match decision tables evaluated over columns: one implementation for one case and for a million.

A decision point written as a table is a list of rules in order; each rule has a small vectorised predicate
over named fact columns (numpy arrays, NaN or None = unknown) and what it decides. The first rule whose
predicate holds decides the row (like ``np.select``). An unknown is never a silent default: a rule that needs
a fact which is unknown is preceded by a rule that matches exactly that unknown and decides
``insufficient_data`` naming the field. A single case is a batch of one.

Explanations are rendered per case, only when asked, from the matched rule and the facts it reads
(:func:`render`): the recommendation text, the rationale naming the patient facts, the evidence and what
would change the decision.

    >>> import numpy as np
    >>> table = DecisionTable("boost", (
    ...     Rule("radiation.boost.a", "recommended", lambda f: f["age"] <= 50, reads=("age",)),
    ...     Rule("radiation.boost.b", "discuss", lambda f: np.ones(len(f["age"]), bool), reads=()),
    ... ))
    >>> table.match({"age": np.array([40.0, 60.0])}).tolist()
    [0, 1]
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from micromets.guidelines._context import Board, Context, decision_key
from micromets.model import INSUFFICIENT_DATA
from micromets.model.assessment import Strength

__all__ = ["Columns", "DecisionTable", "Rule", "render"]

Columns = Mapping[str, NDArray[Any]]
Predicate = Callable[[Columns], NDArray[np.bool_]]


@dataclass(frozen=True)
class Rule:
    """One row of a decision table.

    ``rid`` is the recommendation id (the matched-rule id of the cohort output); for an
    ``insufficient_data`` rule it names the rule only and ``missing`` maps each field to why it is needed.
    ``text``, ``would_change_if`` and the reasons of ``missing``/``also_need`` are templates filled from the
    table's parameters (``str.format``).
    ``also_need`` names inputs recorded as missing although the rule decides (they could change it).
    """

    rid: str
    decision: str
    when: Predicate
    reads: tuple[str, ...]
    strength: Strength = "strong"
    text: str = ""
    would_change_if: str = ""
    missing: Mapping[str, str] = field(default_factory=dict)
    also_need: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DecisionTable:
    """The rules of one decision key, first match wins."""

    key: str
    rules: tuple[Rule, ...]

    def match(self, facts: Columns) -> NDArray[np.intp]:
        """Index of the first rule whose predicate holds, for every row (-1 when none holds)."""
        n = len(next(iter(facts.values())))
        if n == 1:
            return np.array([self._first(facts)], dtype=np.intp)
        matched = np.full(n, -1, dtype=np.intp)
        undecided = np.ones(n, dtype=np.bool_)
        left = n
        for i, rule in enumerate(self.rules):
            hit = np.asarray(rule.when(facts), dtype=np.bool_)
            if left < n:  # some rows are decided (never for a batch of one: its first hit ends the loop)
                hit = np.logical_and(undecided, hit)
            # Counting the rows a rule decides is one C call; for a batch of one the array bookkeeping around a
            # predicate cost as much as the predicate, so a rule that decides nobody skips it.
            found = int(np.count_nonzero(hit))
            if found:
                matched[hit] = i
                np.logical_xor(undecided, hit, out=undecided)  # hit is a subset of undecided
                left -= found
                if not left:
                    break
        return matched

    def _first(self, facts: Columns) -> int:
        """The first rule that holds for a batch of one: the same predicates, without the bookkeeping of the
        rows already decided (for one row it cost twice the predicates)."""
        for i, rule in enumerate(self.rules):
            if np.asarray(rule.when(facts), dtype=np.bool_)[0]:
                return i
        return -1

    def decide(self, facts: Columns) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
        """The decision and the matched rule id of every row (column-wise; no text is rendered)."""
        matched = self.match(facts)
        decisions = np.array([r.decision for r in self.rules] + [None], dtype=object)
        ids = np.array([r.rid if r.decision != INSUFFICIENT_DATA else None for r in self.rules] + [None],
                       dtype=object)
        return decisions[matched], ids[matched]


def render(rule: Rule, ctx: Context, board: Board, *, say: tuple[str, ...], evidence: list[str],
           parameters: Mapping[str, Any], known_inputs: Collection[str] = ()) -> None:
    """Record one case's decision on the board from its matched rule: text, rationale naming the facts,
    evidence, what would change it, and the inputs it leaves missing (those of ``rule.missing`` that this case
    has not given: a rule that matches "any of these unknown" names only the unknown ones)."""
    key = board_key(rule)
    if rule.decision == INSUFFICIENT_DATA:
        board.unknown(key, {name: why.format(**parameters) for name, why in rule.missing.items()
                            if name not in known_inputs})
        return
    for name, why in rule.also_need.items():
        board.need(name, why.format(**parameters))
    board.decide(key, rule.decision, rid=rule.rid, strength=rule.strength, text=rule.text.format(**parameters),
                 rationale=ctx.say(*say), evidence=list(evidence),
                 would_change_if=rule.would_change_if.format(**parameters))


def board_key(rule: Rule) -> str:
    """The decision key a rule belongs to (by its id's prefix)."""
    key = decision_key(rule.rid)
    if key is None:
        raise ValueError(f"rule id {rule.rid!r} belongs to no decision")
    return key
