"""The compiled one-case evaluation of every decision table equals its predicates, rule by rule.

``DecisionTable.first`` runs a function compiled once per table from the predicates' own source
(``micromets.guidelines._compiled``: the scalar helpers expanded, ``&``/``|`` of two booleans short-circuited). The
predicates themselves stay the definition: over numpy columns (``DecisionTable.match``) and called one by one
(``DecisionTable.interpreted_first``). Here the fact columns the batch engine builds for the drawn patients of the
property tests, the worked cases of every table test and part of the synthetic registry are read back row by row as
plain values (what one case gives the table), and for every row of every table the compiled first match, the
interpreted one and the column-wise match are the same rule. First match wins, as in a guideline's decision table
(e.g. NCCN Breast: the first branch that applies decides).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from tests.guidelines.test_batch_columns import _drawn_contexts, _registry_contexts

from micromets.guidelines import batch, recommend
from micromets.guidelines._compiled import compiled_source
from micromets.guidelines.table import DecisionTable, Derived, Facts, Rule, always, negate, one_of, unknown

_ROWS = 2_000


def _rows(facts: Facts) -> Iterator[dict[str, Any]]:
    """Each row of fact columns as the plain values one case has (NaN for unknown numbers, None for codes)."""
    n = max(len(value) for value in facts.values() if isinstance(value, np.ndarray))
    for i in range(n):
        yield {name: value[i].item() if isinstance(value, np.ndarray) and value.dtype != object
               else value[i] if isinstance(value, np.ndarray) else value for name, value in facts.items()}


@pytest.fixture(scope="module")
def captured() -> list[tuple[DecisionTable, Facts, np.ndarray[Any, Any]]]:
    """Every table with the fact columns the batch engine gave it and the rows it matched."""
    seen: list[tuple[DecisionTable, Facts, np.ndarray[Any, Any]]] = []
    original = DecisionTable.match

    def spy(self: DecisionTable, facts: Facts) -> np.ndarray[Any, Any]:
        matched = original(self, facts)
        seen.append((self, facts, matched))
        return matched

    DecisionTable.match = spy  # type: ignore[method-assign]
    try:
        batch.decide_columns([*_drawn_contexts(), *_registry_contexts(0)[:_ROWS]])
    finally:
        DecisionTable.match = original  # type: ignore[method-assign]
    return seen


def test_every_table_is_compiled_from_its_predicates() -> None:
    """No predicate of the engine's tables falls back to a call: each is read from its source."""
    for tabled in batch.TABLES.values():
        for table in tabled.tables:
            assert "_whens_[" not in compiled_source(table.rules), table.key


def test_compiled_first_equals_the_predicates_on_every_row(
        captured: list[tuple[DecisionTable, Facts, np.ndarray[Any, Any]]]) -> None:
    keys = set()
    for table, facts, matched in captured:
        keys.add(table.key)
        for row, expected in zip(_rows(facts), matched.tolist(), strict=True):
            assert table.first(row) == table.interpreted_first(row) == expected, (table.key, row)
    assert keys == {table.key for tabled in batch.TABLES.values() for table in tabled.tables}


# Predicates of the shapes the compiler expands, each checked over every combination of known and unknown values.
_WORKED = DecisionTable("boost", (
    Rule("radiation.boost.a", "recommended", lambda f: unknown(f["x"]) | negate(one_of(f["code"], (None, "a"))),
         reads=("x", "code")),
    Rule("radiation.boost.b", "recommended", lambda f: (f["x"] > f["limit"]) & f["flag"], reads=("x", "flag")),
    Rule("radiation.boost.c", "discuss", lambda f: (f["x"] <= f["limit"]) & (f["code"] == "b") | f["flag"],
         reads=("x", "code", "flag")),
    Rule("radiation.boost.d", "discuss", always, reads=()),
))


@pytest.mark.parametrize("x", [np.nan, 1.0, 5.0])
@pytest.mark.parametrize("code", [None, "a", "b", "c"])
@pytest.mark.parametrize("flag", [True, False])
def test_the_scalar_helpers_expand_to_what_they_do(x: float, code: str | None, flag: bool) -> None:
    row = {"x": x, "code": code, "flag": flag, "limit": 3.0}
    assert _WORKED.first(row) == _WORKED.interpreted_first(row)
    columns = {"x": np.array([x]), "code": np.array([code], dtype=object), "flag": np.array([flag]), "limit": 3.0}
    assert _WORKED.match(columns).tolist() == [_WORKED.first(row)]


def test_a_lazy_fact_behind_a_decided_boolean_is_not_derived() -> None:
    """``a & b`` of two comparisons short-circuits once compiled: a fact the answer does not need is not derived."""
    derived: list[str] = []

    def fact(name: str, value: Any) -> Any:
        return lambda subject: derived.append(name) or value

    table = DecisionTable("boost", (
        Rule("radiation.boost.a", "recommended", lambda f: (f["age"] <= 50) & (f["grade"] == 3), reads=("age", "grade")),
        Rule("radiation.boost.b", "discuss", always, reads=()),
    ))
    facts = Derived(None, {"age": fact("age", 60.0), "grade": fact("grade", 3.0)}, {})
    assert table.first(facts) == 1
    assert derived == ["age"]


_BARE = DecisionTable("boost", (
    Rule("radiation.boost.a", "recommended", lambda f: f["flag"] & (f["age"] <= 50), reads=("flag", "age")),
    Rule("radiation.boost.b", "discuss", lambda f: f["other"] | (f["grade"] == 3), reads=("other", "grade")),
    Rule("radiation.boost.c", "discuss", always, reads=()),
))


@pytest.mark.parametrize("flag", [True, False, np.True_, np.False_, 1, 0])
@pytest.mark.parametrize("other", [True, False, np.True_, np.False_, 2])
@pytest.mark.parametrize("age", [40.0, 60.0])
def test_a_bare_fact_read_that_decides_alone_spares_the_other_side(flag: Any, other: Any, age: float) -> None:
    """``a & b`` with ``a`` a bare fact read: the bool False decides without ``b`` (the bool True for ``|``); any
    other value (a numpy bool, an integer) takes the operator as written. Either way the match is the predicates'."""
    derived: list[str] = []

    def fact(name: str, value: Any) -> Any:
        return lambda subject: derived.append(name) or value

    values = {"flag": flag, "other": other, "age": age, "grade": 3.0}
    facts = Derived(None, {name: fact(name, value) for name, value in values.items()}, {})
    assert _BARE.first(facts) == _BARE.first(dict(values)) == _BARE.interpreted_first(values)
    assert ("age" in derived) == (flag is not False)
    assert ("grade" in derived) == ("other" in derived and other is not True)


def _same(a: Any, b: Any) -> bool:
    """Equal values, NaN equal to NaN (an unknown number derived twice is two NaN objects)."""
    return a == b or (isinstance(a, float) and isinstance(b, float) and a != a and b != b)


def test_derivations_compiled_in_equal_derived_on_every_call() -> None:
    """Facts given as ``Derived`` go to the table's function for their derivations (each fact's expression read
    from its source and written where a rule reads the fact, ``_compiled.compile_derived``). On every call the
    per-case engine makes for the drawn patients, the worked cases and part of the synthetic registry, that function
    returns the first match the predicates give, and leaves the facts mapping as ``Derived.__missing__`` leaves it
    under the plain compiled function: the same facts derived, in the same order, with the same values (the texts'
    parameters and the decision's own code read them after)."""
    original = DecisionTable.first
    checked: set[str] = set()

    def spy(self: DecisionTable, facts: Facts) -> int:
        if type(facts) is Derived:
            given = dict(facts)
            inlined = Derived(facts._subject, facts._derive, given)
            plain = Derived(facts._subject, facts._derive, given)
            index = original(self, inlined)
            assert index == self._first(plain) == self.interpreted_first(
                Derived(facts._subject, facts._derive, given)), self.key
            assert list(inlined) == list(plain), self.key
            assert all(_same(inlined[name], plain[name]) for name in plain), self.key
            if self._by_derive.of(facts._derive) is not None:
                checked.add(self.key)
        return original(self, facts)

    DecisionTable.first = spy  # type: ignore[method-assign]
    try:
        for ctx in [*_drawn_contexts(), *_registry_contexts(0)[:_ROWS]]:
            recommend(ctx.case, ctx.findings, ctx.staging)
    finally:
        DecisionTable.first = original  # type: ignore[method-assign]
    # Every table the engine decides with, but the boost (its facts are a plain dict). Capecitabine's one-case facts
    # are a module's mapping (``targeted._CAPE_CASE_FACTS``), compiled unless earlier tests of this process met its
    # what-if mappings (built anew per patient) first, which close the table to compiling (``_Variants.closed``).
    expected = {table.key for tabled in batch.TABLES.values() for table in tabled.tables} - {"boost"}
    assert expected - {"capecitabine"} <= checked <= expected


def test_a_derivation_is_written_where_the_fact_is_read() -> None:
    """A fact's expression replaces its read (derived once, stored); a function that cannot be read is called."""
    table = DecisionTable("boost", (
        Rule("radiation.boost.a", "recommended", lambda f: (f["age"] <= 50) & (f["grade"] == 3), reads=("age", "grade")),
        Rule("radiation.boost.b", "discuss", lambda f: f["age"] > 70, reads=("age",)),
        Rule("radiation.boost.c", "discuss", always, reads=()),
    ))
    derive = {"age": lambda subject: subject["age"], "grade": _grade}
    source = compiled_source(table.rules, derive)
    assert "_s_['age']" in source and "_derive_[0](_s_)" in source
    for age, grade, expected in ((40.0, 3, 0), (40.0, 2, 2), (80.0, 3, 1)):
        facts = Derived({"age": age, "grade": grade}, derive, {})
        assert table.first(facts) == expected
        assert facts == ({"age": age, "grade": grade} if age <= 50 else {"age": age})


def _grade(subject: dict[str, Any]) -> Any:
    found = subject.get("grade")
    return found
