"""Every text template of the decision tables, filled as ``render`` fills it, equals ``str.format_map``.

``render`` fills a rule's text, would_change_if and rationale with functions made once per template
(``micromets.guidelines._compiled.compile_template``: one f-string each). ``str.format_map`` stays the definition:
for every template of every table, with parameters of several types, both give the same string (a plain ``str``),
read the parameters in the same order and fail alike.
"""

from __future__ import annotations

import importlib
import pkgutil
import string
import types
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

import micromets.guidelines
from micromets.guidelines.batch import TABLES
from micromets.guidelines.table import DecisionTable, Rule, _filler, _filler_with_facts, _WithFacts


def _rules() -> Iterator[Rule]:
    tables = {id(table): table for tabled in TABLES.values() for table in tabled.tables}
    for module in pkgutil.iter_modules(micromets.guidelines.__path__):
        for value in vars(importlib.import_module(f"micromets.guidelines.{module.name}")).values():
            if isinstance(value, DecisionTable):
                tables[id(value)] = value
    for table in tables.values():
        yield from table.rules


def _templates() -> list[str]:
    found: set[str] = set()
    for rule in _rules():
        for template in (rule.text, rule.would_change_if, *rule.missing, *rule.missing.values(), *rule.also_need,
                         *rule.also_need.values()):
            if "{" in template:
                found.add(template)
    return sorted(found)


def _rationales() -> list[str]:
    return sorted({rule.rationale for rule in _rules()})


class _Reads(dict[str, Any]):
    """Parameters that note each one read, given when first read (as ``Derived`` derives them)."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        super().__init__()
        self.values = values
        self.read: list[str] = []

    def __missing__(self, name: str) -> Any:
        self.read.append(name)
        value = self[name] = self.values[name]
        return value


class _Text(str):
    """A string of a subclass (format_map gives a plain str of it)."""


def _values(template: str) -> list[dict[str, Any]]:
    """Parameter sets for the fields of a template: numbers where a specification asks for one, else several kinds."""
    fields = {name: spec for _, name, spec, _ in string.Formatter().parse(template) if name is not None}
    numeric = {name for name, spec in fields.items() if spec}
    kinds: list[tuple[Any, Any]] = [("words", 12.5), (_Text("sub"), 3), (None, 0.1), (True, -7), (7, 1e21),
                                    ("{braces}", 2.0)]
    return [{name: number if name in numeric else word for name in fields} for word, number in kinds]


def _same(filled: Any, expected: Any) -> None:
    """Both raised the same error or gave the same plain string."""
    assert type(filled) is type(expected)
    if isinstance(expected, Exception):
        assert str(filled) == str(expected)
    else:
        assert filled == expected


def _outcome(fill: Any, *args: Any) -> Any:
    try:
        return fill(*args)
    except (KeyError, ValueError, TypeError, AttributeError, IndexError) as error:
        return error


@pytest.mark.parametrize("template", _templates())
def test_a_template_is_filled_as_format_map_fills_it(template: str) -> None:
    alone = [part for part in string.Formatter().parse(template) if part != ("", None, None, None)]
    if not (len(alone) == 1 and not alone[0][0]):  # a field alone is left to format_map (it makes a plain str)
        assert not isinstance(_filler(template), types.BuiltinMethodType)  # compiled, not format_map itself
    for values in _values(template):
        filled, expected = _Reads(values), _Reads(values)
        _same(_outcome(_filler(template), filled), _outcome(template.format_map, expected))
        assert filled.read == expected.read
    _same(_outcome(_filler(template), {}), _outcome(template.format_map, {}))  # a parameter missing


@pytest.mark.parametrize("template", _rationales())
def test_a_rationale_is_filled_with_the_facts_as_format_map_fills_it(template: str) -> None:
    for values in _values(template):
        values.pop("facts", None)
        filled, expected = _Reads(values), _Reads(values)
        _same(_outcome(_filler_with_facts(template), "age 54; T1c", filled),
              _outcome(template.format_map, _WithFacts("age 54; T1c", expected)))
        assert filled.read == expected.read


@pytest.mark.parametrize("template", ["plain {{braces}} only", "{a!r} and {b!s:>8} then {c:.1f}%", "{a}{b}",
                                      "{a.real} by attribute", "{0} by position", "{} automatic", "{a:{b}} nested",
                                      "{a}", "one }", "open {", "{a!x}"])
def test_templates_format_map_reads_otherwise_are_filled_by_it(template: str) -> None:
    """Conversions and specifications are kept; what an f-string cannot say is left to format_map itself."""
    for values in ({"a": 1.25, "b": "x", "c": 3, "0": "zero"}, {"a": _Text("t"), "b": None, "c": 2.5}):
        _same(_outcome(_filler(template), dict(values)), _outcome(template.format_map, dict(values)))
