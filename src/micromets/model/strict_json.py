"""Strict JSON decoding: the one decoder every entry point uses (CLI, REST, web, CDS Hooks, cohort cells).

Python's ``json.loads`` is lenient where a clinical input must not be: it accepts ``NaN`` and
``Infinity``, keeps the last of two equal keys, decodes ``"\\ud800"`` into a lone surrogate that no
UTF-8 output can carry, raises ``RecursionError`` on deep nesting and ``ValueError`` past 4,300 digits.
``loads_strict`` rejects all of these, and invalid UTF-8, as ``CaseValidationError`` whose problems name
the field (``tumour.size_mm``) or, when no field applies, the pseudo-field the caller passes as
``where``: ``(line)`` for a JSON Lines line, ``(body)`` for an HTTP body, ``(json)`` otherwise.

Limits (documented in docs/case-format.md): nesting at most ``MAX_DEPTH`` levels, integers at most
``MAX_INT_DIGITS`` digits, at most ``MAX_PROBLEMS`` problems reported per document.

    >>> loads_strict('{"tumour": {"size_mm": 18}}')
    {'tumour': {'size_mm': 18}}
    >>> loads_strict('{"age": 60, "age": 61}')
    Traceback (most recent call last):
    ...
    micromets.errors.CaseValidationError: age: appears more than once in the same object; give each field once
    >>> loads_strict(b'{"id": "\\\\ud800"}', where="(line)")
    Traceback (most recent call last):
    ...
    micromets.errors.CaseValidationError: id: contains a lone surrogate (\\ud800), which is not valid Unicode text
"""

from __future__ import annotations

import json
import math
import re
from functools import partial
from typing import Any

import numpy as np

from micromets.errors import CaseValidationError, FieldProblem

__all__ = ["MAX_DEPTH", "MAX_INT_DIGITS", "MAX_PROBLEMS", "loads_strict", "printable", "underflow_message", "underflows"]

#: Deepest nesting accepted. A case is 4 levels deep, a batch 5, a CDS Hooks request with FHIR prefetch
#: about 12; 64 leaves room for FHIR extensions and stays far below Python's recursion limit.
MAX_DEPTH = 64
#: Longest integer accepted, in digits (no case field needs more than 9; Python refuses more than 4,300).
MAX_INT_DIGITS = 100
#: At most this many problems are listed for one document (a hostile input could contain millions).
MAX_PROBLEMS = 20

# A backslash and the byte it escapes (cannot fail after its first byte: linear on any text).
_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_QUOTE, _ZERO, _NINE, _LOWER_E, _UPPER_E = (ord(c) for c in '"09eE')
_PLUS, _MINUS = ord("+"), ord("-")
_BLOCK = (MAX_INT_DIGITS + 1) // 2
#: +1 for an opening bracket, -1 for a closing one, 0 for every other byte.
_BRACKET_STEP = np.zeros(256, dtype=np.int8)
_BRACKET_STEP[[ord("["), ord("{")]] = 1
_BRACKET_STEP[[ord("]"), ord("}")]] = -1
# A \uD800-\uDFFF escape: the only way a surrogate can enter text that was valid UTF-8.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_KEY_SHOWN = 60


class _BadNumber:
    """A number ``json`` would decode to something unusable; reported with its path after decoding."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


class _DuplicateKeys(dict[str, Any]):
    """An object that repeated a key (the last value kept, as ``json`` does); reported after decoding."""

    duplicates: list[str]


class _Flags:
    __slots__ = ("suspect",)

    def __init__(self) -> None:
        self.suspect = False


def printable(text: str, limit: int = _KEY_SHOWN) -> str:
    r"""``text`` with control characters and surrogates escaped, shortened: safe in any message or log.

    >>> printable("a\nb\ud800")
    'a\\nb\\ud800'
    """
    shown = _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _shown_number(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:12]}…{text[-4:]} ({len(text)} characters)"


def loads_strict(data: bytes | bytearray | str, *, where: str = "(json)") -> Any:
    """Decode one JSON document strictly; ``CaseValidationError`` names every problem (up to ``MAX_PROBLEMS``).

    ``data`` as bytes must be UTF-8 (a leading byte-order mark is ignored, as RFC 8259 allows).
    """
    if isinstance(data, bytes | bytearray):
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = bytes(data)[exc.start:exc.start + 1].hex()
            raise CaseValidationError([FieldProblem(where, (
                f"is not UTF-8 text (byte 0x{bad} at position {exc.start} is not valid UTF-8); "
                "save the file as UTF-8"))]) from None
    else:
        text = data
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise CaseValidationError([FieldProblem(where, "is empty; expected a JSON value")])
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        # So few brackets (a case has about ten) cannot nest too deep, and checking every number while decoding
        # (~5 µs for a case) costs less than the vectorised scan that finds the numbers worth checking (~30 µs).
        deep, odd_numbers = False, True
    else:
        deep, odd_numbers = _scan(text)
    if deep:
        raise CaseValidationError([FieldProblem(where, f"is nested more than {MAX_DEPTH} levels deep")])
    flags = _Flags()
    # The object hook finds repeated keys; the number hooks are needed only when a number could be too long or
    # too large, which _scan sees in a large text (a per-number Python call costs about a third of the decoding).
    numbers: dict[str, Any] = ({"parse_int": partial(_integer, flags=flags), "parse_float": partial(_float, flags=flags)}
                               if odd_numbers else {})
    try:
        # partial, not lambda: called once per object, a C-level call saves a Python frame each.
        value = json.loads(text, object_pairs_hook=partial(_object, flags=flags),
                           parse_constant=partial(_constant, flags=flags), **numbers)
    except json.JSONDecodeError as exc:
        raise CaseValidationError([FieldProblem(where, (
            f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"))]) from None
    if flags.suspect or _SURROGATE_ESCAPE.search(text):
        problems: list[FieldProblem] = []
        _check(value, "", where, problems)
        if problems:
            raise CaseValidationError(problems)
    return value


def _scan(text: str) -> tuple[bool, bool]:
    """Whether brackets outside strings nest deeper than ``MAX_DEPTH``, and whether a number outside strings
    could be refused (more than ``MAX_INT_DIGITS`` digits in a row, or an exponent of three digits or more).

    Vectorised over the UTF-8 bytes (quotes, backslashes, brackets and digits are single bytes in UTF-8), so
    that a 30 kB FHIR prefetch costs tens of microseconds and any depth is found without recursion. The
    second answer may be a false alarm (``1e005``); it only selects the slower, exact number checks.
    """
    raw = text.encode("utf-8", "surrogatepass")
    if b"\\" in raw:
        # Escapes out first (a backslash outside a string makes the text invalid JSON anyway).
        raw = _ESCAPE.sub(b"", raw)
    # Four zero bytes after the text, so that the bytes after any exponent mark can be read without bounds checks.
    codes = np.frombuffer(raw + b"\0\0\0\0", dtype=np.uint8)
    outside = (np.cumsum(codes == _QUOTE, dtype=np.int32) & 1) == 0
    steps = _BRACKET_STEP.take(codes)
    steps[~outside] = 0
    deep = int(np.cumsum(steps, dtype=np.int32).max()) > MAX_DEPTH
    digits = (codes >= _ZERO) & (codes <= _NINE) & outside
    # A run of more than 100 digits fills a whole aligned block of 50: a cheap necessary condition (a run of 50
    # to 100 is a false alarm, which costs only the exact checks).
    blocks = digits[: digits.size // _BLOCK * _BLOCK].reshape(-1, _BLOCK)
    long_run = bool(blocks.all(axis=1).any())
    marks = np.flatnonzero(((codes == _LOWER_E) | (codes == _UPPER_E)) & outside)
    marks = marks[marks < codes.size - 4]
    first = marks + 1 + ((codes[marks + 1] == _PLUS) | (codes[marks + 1] == _MINUS))
    big_exponent = bool((digits[first] & digits[first + 1] & digits[first + 2]).any())
    return deep, long_run or big_exponent


def _object(pairs: list[tuple[str, Any]], flags: _Flags) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    flags.suspect = True
    seen: set[str] = set()
    counted: set[str] = set()
    repeated = _DuplicateKeys(result)
    repeated.duplicates = []
    for key, _ in pairs:
        if key in seen and key not in counted:
            repeated.duplicates.append(key)
            counted.add(key)
        seen.add(key)
    return repeated


def _integer(text: str, flags: _Flags) -> int | _BadNumber:
    if len(text) <= MAX_INT_DIGITS:  # every integer of a case: no sign to discount
        return int(text)
    if len(text) - text.startswith("-") > MAX_INT_DIGITS:
        flags.suspect = True
        return _BadNumber(f"is an integer of {len(text.lstrip('-'))} digits; at most {MAX_INT_DIGITS} are accepted")
    return int(text)


def _float(text: str, flags: _Flags) -> float | _BadNumber:
    value = float(text)
    if math.isfinite(value) and not (value == 0 and underflows(text)):
        return value
    flags.suspect = True
    if value == 0:
        return _BadNumber(underflow_message(text))
    return _BadNumber(f"is too large to be a number ({_shown_number(text)})")


def underflows(text: str) -> bool:
    """Whether number text that ``float()`` read as zero names a number that is not zero (``1e-400``: below the
    smallest double, about 4.9e-324, it becomes ``0.0`` without an error). Call it when the value read is 0.

    >>> underflows("1e-400"), underflows("-0.0e-999"), underflows("0"), underflows("0.000")
    (True, False, False, False)
    """
    mantissa = text.strip().lower().partition("e")[0]
    return any(digit in mantissa for digit in "123456789")


def underflow_message(text: str) -> str:
    """The problem of number text that ``underflows``: it would silently have been read as 0."""
    return (f"is too small to be represented ({_shown_number(text.strip())}, below about 5e-324): it would be read as "
            "0, which is not what was written; give 0 if it is 0")


def _constant(name: str, flags: _Flags) -> _BadNumber:
    flags.suspect = True
    return _BadNumber(f"is {name}, which is not a number in JSON; leave the field out (or null) when unknown")


def _join(path: str, key: str) -> str:
    shown = printable(key)
    return f"{path}.{shown}" if path else shown


def _check(value: Any, path: str, where: str, problems: list[FieldProblem]) -> None:
    """Report bad numbers, repeated keys and lone surrogates with their paths (depth is bounded already)."""
    if len(problems) >= MAX_PROBLEMS:
        return
    field = path or where
    if isinstance(value, _BadNumber):
        problems.append(FieldProblem(field, value.message))
    elif isinstance(value, str):
        if _has_surrogate(value):
            problems.append(FieldProblem(field, _surrogate_message(value)))
    elif isinstance(value, dict):
        for key in getattr(value, "duplicates", ()):
            problems.append(FieldProblem(_join(path, key), (
                "appears more than once in the same object; give each field once")))
        for key, item in value.items():
            if _has_surrogate(key):
                problems.append(FieldProblem(_join(path, key), "the field name " + _surrogate_message(key)))
            _check(item, _join(path, key), where, problems)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check(item, f"{path}[{i}]", where, problems)
    del problems[MAX_PROBLEMS:]


def _has_surrogate(text: str) -> bool:
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _surrogate_message(text: str) -> str:
    found = next(c for c in text if "\ud800" <= c <= "\udfff")
    shown = found.encode("unicode_escape").decode("ascii")
    return f"contains a lone surrogate ({shown}), which is not valid Unicode text"
