"""The base of every input model: JSON types are checked, never coerced.

A case arrives as JSON, so a field accepts exactly the JSON types that mean its value: a number field
takes a JSON number (never ``true``, ``"18"`` or ``[18]``); a boolean takes ``true``/``false`` only;
an integer field takes a whole number (``3`` or ``3.0``, as JSON Schema's ``integer`` does, never
``"3"``); text takes a string. Dates are ISO text ``YYYY-MM-DD`` (or ``datetime.date`` from Python)
between ``MIN_DATE`` and ``MAX_DATE``, a fixed range because the core reads no clock. Text carries no
control characters (a newline in an id would forge lines in a report or a calendar file) and no invisible
format characters (bidi overrides, zero-width characters: the text would display as something it is not).

Everything here is driven by the field annotations, so fields added later get the same rules without
any per-field code::

    >>> class Example(StrictInput):
    ...     size_mm: float | None = None
    ...     when: dt.date | None = None
    >>> Example.model_validate({"size_mm": 18, "when": "2026-03-14"}).when
    datetime.date(2026, 3, 14)
    >>> Example.model_validate({"size_mm": False})
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Example
    size_mm
      Input should be a valid number [type=float_type, input_value=False, input_type=bool]
        For further information visit https://errors.pydantic.dev/2.14/v/float_type
"""

from __future__ import annotations

import datetime as dt
import math
import re
import types
import typing
import unicodedata
from functools import cache
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, model_validator

__all__ = ["MAX_DATE", "MIN_DATE", "Conflict", "FieldKind", "StrictInput", "field_kinds", "identifier_problem",
           "unwrap"]

#: Oldest date accepted: registry cohorts reach back to the 1970s; earlier dates are typing slips.
MIN_DATE = dt.date(1950, 1, 1)
#: Latest date accepted: planned dates decades ahead; the follow-up plan adds at most ~20 years.
MAX_DATE = dt.date(2099, 12, 31)

FieldKind = Literal["int", "int_literal", "float", "bool", "date", "str", "str_list"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROL = "\x00-\x1f\x7f-\x9f"  # Unicode category Cc
# Unicode category Cf (format characters, Unicode 14 as in Python 3.11; tests/model/test_strict_types.py checks
# this list against unicodedata): invisible, and the bidi controls among them (U+202A-U+202E, U+2066-U+2069,
# U+200E/U+200F, U+061C) reorder what is displayed, so an id or a comorbidity can read differently from what it
# is (Trojan Source, CVE-2021-42574); zero-width characters (U+200B-U+200D, U+2060, U+FEFF) and the soft hyphen
# make two different ids look alike. Plus U+2028/U+2029, the line and paragraph separators: line breaks.
_FORMAT_BMP = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u2028-\u202e"
               "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb")
_FORMAT_ASTRAL = ("\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
                  "\U000e0001\U000e0020-\U000e007f")
# Control and format characters, and lone surrogates (Python callers can build strings no UTF-8 output can carry).
_NOT_PLAIN = re.compile(f"[{_CONTROL}{_FORMAT_BMP}{_FORMAT_ASTRAL}\ud800-\udfff]")
# The JSON Schema form of _NOT_PLAIN (JSON has no lone surrogates; an ECMA-262 pattern without the u flag has
# no way to name the astral format characters, which validation refuses all the same).
_PLAIN_TEXT = "^[^" + (_CONTROL + _FORMAT_BMP).encode("unicode_escape").decode("ascii").replace("\\x", "\\u00") + "]*$"


def unwrap(annotation: Any) -> Any:
    """``Annotated[float, ...] | None`` -> ``float`` (other unions are left as they are)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _kind(annotation: Any) -> FieldKind | None:
    base = unwrap(annotation)
    if typing.get_origin(base) is Literal:
        return "int_literal" if all(type(a) is int for a in typing.get_args(base)) else None
    if typing.get_origin(base) is list:
        return "str_list" if unwrap(typing.get_args(base)[0]) is str else None
    kinds: dict[Any, FieldKind] = {bool: "bool", int: "int", float: "float", dt.date: "date", str: "str"}
    return kinds.get(base)


@cache
def field_kinds(model: type[BaseModel]) -> dict[str, FieldKind]:
    """The scalar fields of ``model`` by kind (nested models, literals and other lists are not listed)."""
    found = {name: _kind(info.annotation) for name, info in model.model_fields.items()}
    return {name: kind for name, kind in found.items() if kind is not None}


def _control_message(text: str) -> str:
    found = _NOT_PLAIN.search(text)
    char = found.group() if found else ""
    shown = char.encode("unicode_escape").decode("ascii")
    if "\ud800" <= char <= "\udfff":
        return f"contains a lone surrogate ({shown}), which is not valid Unicode text"
    if unicodedata.category(char) == "Cc":
        return f"contains a control character ({shown}); text fields must be a single line of plain text"
    named = f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip()
    if unicodedata.category(char) in ("Zl", "Zp"):
        return f"contains a line break ({named}); text fields must be a single line of plain text"
    return (f"contains an invisible formatting character ({named}) at position {found.start() + 1 if found else 0}: "
            "it can make the text display differently from what it is (bidirectional override, zero-width "
            "character); remove it")


# Identifiers (a case id): Unicode Technical Standard #39, "Unicode Security Mechanisms", section 5.2, restriction
# level "Moderately Restrictive": one script, or Latin with one other script that is not Cyrillic or Greek (whose
# letters look like Latin ones: "P\u0430tient-1" with a Cyrillic a is not "Patient-1"), or the Han-based sets of
# Japanese, Chinese and Korean writing. Characters common to all scripts (digits, punctuation) and combining marks
# count for none. Python has no Script property: a letter's script is the first word of its Unicode name (LATIN
# SMALL LETTER A, CYRILLIC SMALL LETTER A, CJK UNIFIED IDEOGRAPH-4E00), which names the script for the letters of
# every script an id is written in (a coarser split, e.g. OLD ITALIC and OLD PERSIAN both "OLD", only accepts more).
_HAN_SETS = (frozenset({"LATIN", "CJK", "IDEOGRAPHIC", "HIRAGANA", "KATAKANA"}),
             frozenset({"LATIN", "CJK", "IDEOGRAPHIC", "BOPOMOFO"}),
             frozenset({"LATIN", "CJK", "IDEOGRAPHIC", "HANGUL"}))
_NEVER_WITH_LATIN = frozenset({"CYRILLIC", "GREEK"})
# Letters whose name's first word is no script (modifier letters; the Japanese prolonged sound mark, common to both kana).
_NO_SCRIPT = frozenset({"MODIFIER", "KATAKANA-HIRAGANA"})


def _script(char: str) -> str | None:
    category = unicodedata.category(char)
    if not (category[0] == "L" or (category == "Nd" and not char.isascii())):
        return None
    word = unicodedata.name(char, "").split(" ", 1)[0]
    return None if word in _NO_SCRIPT or not word else word


def identifier_problem(text: str) -> str | None:
    """Why ``text`` cannot be an identifier that people read and compare, or ``None``: it is not in Unicode
    normalization form NFKC (a full-width or mathematical letter, a letter and a separate combining accent: text
    that displays as another, normalized id while being different), its letters mix scripts beyond UTS #39
    "Moderately Restrictive" (a Cyrillic or Greek look-alike among Latin letters), or its digits come from more
    than one decimal digit system (UTS #39 section 5.3, mixed numbers: BENGALI DIGIT FOUR looks like an 8).

    >>> identifier_problem("Patient-12"), identifier_problem("Müller 7"), identifier_problem("患者-12"), identifier_problem("山田たろう")
    (None, None, None, None)
    >>> identifier_problem("P\u0430tient-12")
    "mixes scripts: 'P' is Latin and 'а' (U+0430 CYRILLIC SMALL LETTER A) is Cyrillic, which look alike; write the id in one script"
    >>> identifier_problem("\uff30atient")
    "contains 'Ｐ' (U+FF30 FULLWIDTH LATIN CAPITAL LETTER P), a compatibility form of 'P'; write 'P'"
    """
    if text.isascii():
        return None
    normal = unicodedata.normalize("NFKC", text)
    if normal != text:
        for char in text:
            if unicodedata.normalize("NFKC", char) != char:
                return (f"contains {char!r} (U+{ord(char):04X} {unicodedata.name(char, '')}), a compatibility form of "
                        f"{unicodedata.normalize('NFKC', char)!r}; write {unicodedata.normalize('NFKC', char)!r}")
        return (f"is not in Unicode normal form (a letter and a separate combining mark where one character exists): "
                f"write it as {normal!r}")
    first: dict[str, str] = {}
    for char in text:
        script = _script(char)
        if script is not None:
            first.setdefault(script, char)
    scripts = frozenset(first)
    others = scripts - {"LATIN"}
    if not (len(scripts) <= 1 or any(scripts <= allowed for allowed in _HAN_SETS)
            or ("LATIN" in scripts and len(others) == 1 and not others & _NEVER_WITH_LATIN)):
        ordered = sorted(scripts, key=lambda name: text.index(first[name]))
        a, b = ("LATIN", next(n for n in ordered if n != "LATIN")) if "LATIN" in scripts else (ordered[0], ordered[1])
        shown = f"{first[b]!r} (U+{ord(first[b]):04X} {unicodedata.name(first[b], '')})"
        return (f"mixes scripts: {first[a]!r} is {a.title()} and {shown} is {b.title()}, which look alike; write the "
                "id in one script")
    zeros = {ord(char) - unicodedata.digit(char) for char in text if unicodedata.category(char) == "Nd"}
    if len(zeros) > 1:
        return "mixes digits of different number systems (e.g. 0-9 and another script's digits); use one"
    return None


def _document(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Write the rules enforced by the validators below into the JSON Schema."""
    properties = schema.get("properties", {})
    for name, kind in field_kinds(model).items():
        target = properties.get(name)
        if not isinstance(target, dict):
            continue
        if kind == "date":
            note = f"ISO date (YYYY-MM-DD) from {MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}."
            target["description"] = f"{target['description']} {note}" if target.get("description") else note
        elif kind in ("str", "str_list"):
            branches = target.get("anyOf", [target])
            for branch in branches:
                strings = branch.get("items") if kind == "str_list" else branch
                if isinstance(strings, dict) and strings.get("type") == "string":
                    strings["pattern"] = _PLAIN_TEXT


class StrictInput(BaseModel):
    """Base of the input models: strict JSON types, finite numbers, ISO dates in range, no control or format characters."""

    model_config = ConfigDict(strict=True, allow_inf_nan=False, json_schema_extra=_document)

    @model_validator(mode="before")
    @classmethod
    def _from_json_types(cls, data: Any) -> Any:
        """ISO text -> date, a whole JSON number (3.0) -> int and -0.0 -> 0.0: the only conversions allowed."""
        converting = _fields_of(cls).converted
        if not converting or not isinstance(data, dict):
            return data
        converted: dict[str, Any] | None = None
        for name, kind in converting:
            value = data.get(name)
            if value is None:  # the common case (a field not given): nothing to convert
                continue
            new: Any = value
            if kind == "date" and isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
                try:
                    new = dt.date.fromisoformat(value.strip())
                except ValueError:
                    new = value  # 2026-02-30: left for the date check, which names the field
            elif kind in ("int", "int_literal") and type(value) is float and value.is_integer():
                new = int(value)
            elif kind == "float" and type(value) is float and value == 0 and math.copysign(1.0, value) < 0:
                new = 0.0  # -0.0 (JSON "-0.0") is the number 0; kept signed it would be shown as "-0 mm"
            elif kind == "int_literal" and isinstance(value, bool):
                new = _JsonBoolean(value)  # Literal[1, 2, 3] would take true as 1 (True == 1 in Python)
            if new is not value:
                converted = converted if converted is not None else dict(data)
                converted[name] = new
        return converted if converted is not None else data

    @model_validator(mode="after")
    def _dates_in_range_and_plain_text(self) -> StrictInput:
        for name, kind in _fields_of(type(self)).checked:
            value = getattr(self, name)
            if value is None:
                continue
            if kind == "date" and not MIN_DATE <= value <= MAX_DATE:
                raise ValueError(f"{name}: must be between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()}; "
                                 f"got {value.isoformat()} (is the year right?)")
            if kind == "str" and _NOT_PLAIN.search(value):
                raise ValueError(f"{name}: {_control_message(value)}")
            if kind == "str_list":
                for i, item in enumerate(value):
                    if _NOT_PLAIN.search(item):
                        raise ValueError(f"{name}[{i}]: {_control_message(item)}")
        return self


class Conflict(ValueError):
    """Two or more fields of one object contradict each other: ``"field: message"`` names the field the message is
    about; ``others`` names the fields it contradicts (relative to the same object, e.g. ``"in_situ_only"`` or
    ``"surgery.breast"``), so that a form can mark each of them and not only the first.

    >>> Conflict("size_mm: is above 0 but in_situ_only is true", "in_situ_only").others
    ('in_situ_only',)
    """

    def __init__(self, message: str, *others: str) -> None:
        super().__init__(message)
        self.others = others
        self.more: list[Conflict] = []  # further contradictions of the same object, reported together

    @staticmethod
    def raise_all(found: list[Conflict]) -> None:
        """Raise the first of ``found`` carrying the others, so that one check reports every contradiction."""
        if found:
            found[0].more = found[1:]
            raise found[0]


class _JsonBoolean:
    """A JSON boolean sent for a numeric code: matches no literal, so validation names the field."""

    __slots__ = ("value",)

    def __init__(self, value: bool) -> None:
        self.value = value

    def __repr__(self) -> str:
        return repr(self.value)


class _Fields(NamedTuple):
    converted: tuple[tuple[str, FieldKind], ...]  # fields the "before" step may convert
    checked: tuple[tuple[str, FieldKind], ...]  # fields the "after" step checks


@cache
def _fields_of(model: type[BaseModel]) -> _Fields:
    kinds = field_kinds(model).items()
    return _Fields(converted=tuple((n, k) for n, k in kinds if k in ("date", "int", "int_literal", "float")),
                   checked=tuple((n, k) for n, k in kinds if k in ("date", "str", "str_list")))
