"""Strict JSON types in the case (issue 9, item 1): a JSON boolean, list or string is never a number, a
boolean is true/false only, integers do not come from strings, dates are ISO text in a fixed range.

The schema walk covers every number, integer and boolean field the JSON Schema of ``Case`` lists, so a
field added later is covered without touching this file. Expected behaviour comes from the issue
(``tumour.size_mm: false`` staged as pT0, ``true`` as pT1mi, ``"yes"`` became true) and JSON Schema
(``integer`` accepts 3.0: JSON Schema 2020-12 validation, section 6.1.1).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import types
import typing
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from micromets.errors import CaseValidationError
from micromets.model import Case, Tumour, parse_case
from micromets.model._strict import MAX_DATE, MIN_DATE, StrictInput, field_kinds

DEPOSIT = {"node": 1, "method": "he", "size_mm": 1.0}
WRONG_FOR_NUMBER = [True, False, "18", "", [18], {"value": 18}]
WRONG_FOR_BOOLEAN = ["yes", "true", "false", 1, 0, 1.0, [True], {"value": True}]
WRONG_FOR_STRING = [5, 5.5, True, ["a"], {"a": 1}]


def _leaves(schema: dict[str, Any], defs: dict[str, Any], prefix: str) -> Iterator[tuple[str, str]]:
    for name, prop in schema.get("properties", {}).items():
        yield from _property(prop, defs, f"{prefix}{name}")


def _property(prop: dict[str, Any], defs: dict[str, Any], path: str) -> Iterator[tuple[str, str]]:
    for option in prop.get("anyOf", [prop]):
        if "$ref" in option:
            yield from _leaves(defs[option["$ref"].rsplit("/", 1)[1]], defs, f"{path}.")
        elif option.get("type") == "array":
            items = option.get("items", {})
            if "$ref" in items:
                yield from _leaves(defs[items["$ref"].rsplit("/", 1)[1]], defs, f"{path}[0].")
            elif items.get("type") == "string":
                yield f"{path}[0]", "string"
        elif option.get("type") in ("number", "integer", "boolean", "string"):
            yield path, option["type"]


def _submodels(model: type[BaseModel], prefix: str) -> Iterator[tuple[str, type[BaseModel]]]:
    """Every input model reachable from ``model`` with its path prefix (lists of models as ``[0]``)."""
    yield prefix, model
    for name, info in model.model_fields.items():
        annotation = info.annotation
        options = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
        for option in options:
            is_list = typing.get_origin(option) is list
            inner = typing.get_args(option)[0] if is_list else option
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                yield from _submodels(inner, f"{prefix}{name}{'[0]' if is_list else ''}.")


def schema_fields() -> list[tuple[str, str]]:
    schema = Case.model_json_schema(mode="validation")
    return sorted(set(_leaves(schema, schema.get("$defs", {}), "")))


def case_with(path: str, value: Any) -> dict[str, Any]:
    """A case that is valid except, possibly, for ``value`` at ``path`` (``a.b[0].c``)."""
    data: dict[str, Any] = {"neoadjuvant": True} if path.startswith("neoadjuvant_therapy.") else {}
    target: Any = data
    parts = path.replace("[0]", ".[0]").split(".")
    for i, part in enumerate(parts[:-1]):
        if part == "[0]":
            if not target:
                target.append(copy.deepcopy(DEPOSIT) if parts[i - 1] == "deposits" else {})
            target = target[0]
            continue
        target = target.setdefault(part, [] if parts[i + 1] == "[0]" else {})
    last = parts[-1]
    if last == "[0]":
        target.append(value)
    else:
        target[last] = value
    return data


FIELDS = schema_fields()
TYPED = [(p, t) for p, t in FIELDS if t in ("number", "integer", "boolean")]


def test_the_walk_covers_the_fields_the_issue_names() -> None:
    paths = {p for p, _ in TYPED}
    assert {"tumour.size_mm", "tumour.grade", "tumour.lvi", "nodes.examined", "nodes.deposits[0].size_mm",
            "nodes.deposits[0].contiguous", "surgery.margins_mm", "treatments.endocrine_years", "age"} <= paths
    # The schema walk and the model's own field list agree (no number or boolean field escapes the walk).
    from_models = {f"{prefix}{name}" for prefix, model in _submodels(Case, "")
        for name, kind in field_kinds(model).items() if kind in ("int", "int_literal", "float", "bool")}
    assert from_models <= paths and len(paths) >= 34


@pytest.mark.parametrize(("path", "kind"), TYPED, ids=[p for p, _ in TYPED])
def test_every_number_and_boolean_field_rejects_other_json_types(path: str, kind: str) -> None:
    wrong = WRONG_FOR_BOOLEAN if kind == "boolean" else [*WRONG_FOR_NUMBER, *([2.5] if kind == "integer" else [])]
    for value in wrong:
        with pytest.raises(CaseValidationError) as info:
            parse_case(case_with(path, value))
        fields = [p.field for p in info.value.problems]
        assert path in fields, (value, info.value.problems)
        message = next(p.message for p in info.value.problems if p.field == path)
        assert message.startswith("must be") and "got" in message, message


@pytest.mark.parametrize("path", [p for p, t in FIELDS if t == "string"])
def test_every_text_field_rejects_numbers_booleans_and_containers(path: str) -> None:
    for value in WRONG_FOR_STRING:
        with pytest.raises(CaseValidationError) as info:
            parse_case(case_with(path, value))
        assert path in [p.field for p in info.value.problems], (value, info.value.problems)


def test_the_issue_examples() -> None:
    for value in (False, True):
        with pytest.raises(CaseValidationError, match=r"tumour\.size_mm: must be a number"):
            parse_case({"tumour": {"size_mm": value}})
    with pytest.raises(CaseValidationError, match=r"tumour\.lvi: must be true or false"):
        parse_case({"tumour": {"lvi": "yes"}})
    with pytest.raises(CaseValidationError, match=r"tumour\.grade: must be a whole number"):
        parse_case({"tumour": {"grade": "3"}})
    with pytest.raises(CaseValidationError, match=r"tumour\.er_percent: must be a finite number"):
        parse_case({"tumour": {"er_percent": float("nan")}})


def test_json_numbers_keep_working() -> None:
    case = parse_case({"age": 60, "tumour": {"size_mm": 18, "grade": 2.0, "er_percent": 95.5},
                       "nodes": {"examined": 3.0}, "treatments": {"endocrine_years": 5.0}})
    assert case.tumour is not None and case.tumour.size_mm == 18.0 and case.tumour.grade == 2
    assert isinstance(case.tumour.grade, int) and case.nodes is not None and case.nodes.examined == 3
    assert case.age == 60.0 and case.treatments is not None and case.treatments.endocrine_years == 5


@pytest.mark.parametrize("value", [MIN_DATE.isoformat(), "2026-10-01", MAX_DATE.isoformat(), " 2026-10-01 "])
def test_dates_are_iso_text_within_the_documented_range(value: str) -> None:
    case = parse_case({"surgery": {"date": value}})
    assert case.surgery is not None and case.surgery.date == dt.date.fromisoformat(value.strip())


@pytest.mark.parametrize(("value", "fragment"), [
    ("1949-12-31", "must be between 1950-01-01 and 2099-12-31"),
    ("2100-01-01", "must be between"), ("9990-06-01", "must be between"),
    ("2026-02-30", "valid date"), ("2026-1-1", "valid date"), ("2026-10-01T00:00:00", "valid date"),
    ("10000-01-01", "valid date"), (20261001, "valid date"), (True, "valid date"), ("", "valid date"),
])
def test_dates_outside_the_range_or_not_iso_are_rejected(value: Any, fragment: str) -> None:
    with pytest.raises(CaseValidationError) as info:
        parse_case({"surgery": {"date": value}})
    assert info.value.first.field == "surgery.date" and fragment in info.value.first.message


@pytest.mark.parametrize("text", ["a\nb", "a\rb", "tab\there", "nul\x00", "esc\x1b[31m", "c1\x85c", "del\x7fx"])
def test_text_fields_reject_control_characters(text: str) -> None:
    with pytest.raises(CaseValidationError) as info:
        parse_case({"id": text})
    assert info.value.first.field == "id" and "control character" in info.value.first.message
    with pytest.raises(CaseValidationError) as info:
        parse_case({"comorbidities": ["asthma", text]})
    assert info.value.first.field == "comorbidities[1]"


def test_python_callers_build_cases_as_before() -> None:
    """Internal code builds cases from Python objects (tests, what-if, FHIR import, cohort, web form)."""
    case = Case(age=55, surgery={"breast": "bcs", "status": "done", "date": dt.date(2026, 1, 15)},  # type: ignore[arg-type]
                nodes={"procedure": "slnb", "examined": 2})  # type: ignore[arg-type]
    assert case.surgery is not None and case.surgery.date == dt.date(2026, 1, 15)
    assert Case.model_validate(case.model_dump()) == case
    assert Case.model_validate(case.model_dump(mode="json")) == case
    with pytest.raises(ValueError, match="valid date"):
        Case(surgery={"date": dt.datetime(2026, 1, 15, 8, 30)})  # type: ignore[arg-type]


def test_fields_added_later_are_strict_without_per_field_code() -> None:
    class Later(Tumour):
        new_score: float | None = None
        new_flag: bool | None = None
        new_count: int | None = None
        new_date: dt.date | None = None
        new_text: str | None = None

    ok = Later.model_validate({"new_score": 1, "new_flag": True, "new_count": 2.0, "new_date": "2026-05-01",
                               "new_text": "x"})
    assert (ok.new_count, ok.new_date) == (2, dt.date(2026, 5, 1))
    for field, value in (("new_score", "1"), ("new_flag", "yes"), ("new_count", "2"), ("new_date", "2200-01-01"),
                         ("new_text", "a\nb"), ("new_score", float("inf"))):
        with pytest.raises(ValueError, match=field):
            Later.model_validate({field: value})
    assert issubclass(Later, StrictInput)


def test_the_schema_documents_the_date_range_and_plain_text() -> None:
    schema = Case.model_json_schema(mode="validation")
    surgery = schema["$defs"]["Surgery"]["properties"]["date"]
    assert "1950-01-01" in surgery["description"] and "2099-12-31" in surgery["description"]
    pattern = re.compile(schema["properties"]["id"]["anyOf"][0]["pattern"])
    assert schema["properties"]["comorbidities"]["items"]["pattern"] == pattern.pattern
    assert pattern.match("case 12 é") and not pattern.match("a\nb") and not pattern.match("\x85")


# Invisible format characters (Unicode category Cf). Trojan Source (CVE-2021-42574; Boucher & Anderson 2021):
# bidirectional controls reorder what is displayed, zero-width characters and the soft hyphen make two different
# texts look alike; Unicode TR #36 (security considerations) and UTS #39 section 3.1 (identifiers exclude
# Default_Ignorable_Code_Point). An id must be what it displays, so these are refused, never stripped.
TROJAN = {
    "U+202E RIGHT-TO-LEFT OVERRIDE": "case-\u202e1gnp",
    "U+202A LEFT-TO-RIGHT EMBEDDING": "\u202acase",
    "U+2066 LEFT-TO-RIGHT ISOLATE": "a\u2066b\u2069",
    "U+2069 POP DIRECTIONAL ISOLATE": "ab\u2069",
    "U+200F RIGHT-TO-LEFT MARK": "ab\u200f",
    "U+061C ARABIC LETTER MARK": "\u061cab",
    "U+200B ZERO WIDTH SPACE": "case\u200b1",
    "U+200D ZERO WIDTH JOINER": "case\u200d1",
    "U+2060 WORD JOINER": "case\u20601",
    "U+FEFF ZERO WIDTH NO-BREAK SPACE": "\ufeffcase",
    "U+00AD SOFT HYPHEN": "ca\u00adse",
    "U+E0041 TAG LATIN CAPITAL LETTER A": "case\U000e0041",
}


@pytest.mark.parametrize("name", sorted(TROJAN))
def test_text_fields_refuse_invisible_format_characters_naming_field_and_character(name: str) -> None:
    # The case's text fields: its id (an identifier) and the comorbidities (free text).
    for data, field in (({"id": TROJAN[name]}, "id"), ({"comorbidities": ["asthma", TROJAN[name]]}, "comorbidities[1]")):
        with pytest.raises(CaseValidationError) as info:
            parse_case(data)
        assert info.value.first.field == field
        assert name in info.value.first.message and "invisible" in info.value.first.message


def test_line_and_paragraph_separators_are_line_breaks() -> None:
    for text in ("a\u2028b", "a\u2029b"):
        with pytest.raises(CaseValidationError) as info:
            parse_case({"id": text})
        assert info.value.first.field == "id" and "line break" in info.value.first.message


def test_the_refused_characters_are_exactly_unicode_control_format_separator_and_surrogate() -> None:
    """The hand-kept ranges of _strict against the Unicode database of this Python: every Cc, Cf, Cs, Zl and Zp
    code point is refused, and no other (letters, marks, digits, punctuation, symbols, spaces in any script)."""
    from micromets.model import _strict

    everything = "".join(map(chr, range(0x110000)))
    refused = {m.start() for m in _strict._NOT_PLAIN.finditer(everything)}
    expected = {c for c in range(0x110000) if unicodedata.category(chr(c)) in ("Cc", "Cf", "Cs", "Zl", "Zp")}
    assert refused == expected
    schema = re.compile(_strict._PLAIN_TEXT.replace("^[^", "[").removesuffix("]*$") + "]")
    bmp = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF)
    in_schema = {ord(m.group()) for m in schema.finditer(bmp)}
    assert in_schema == {c for c in expected if c < 0x10000 and not 0xD800 <= c <= 0xDFFF}


@pytest.mark.parametrize("text", ["Müller-Lüdenscheidt", "São Paulo", "سرطان الثدي", "乳腺癌", "Ελένη", "rak dojke 🎗",
                                  "non\u00a0breaking", "e\u0301"])
def test_ordinary_text_of_any_script_is_accepted(text: str) -> None:
    assert parse_case({"comorbidities": [text]}).comorbidities == [text]
    if unicodedata.normalize("NFKC", text) == text:
        assert parse_case({"id": text, "comorbidities": [text]}).id == text
    else:  # an id must be NFKC: "non\u00a0breaking" looks like "non breaking" (tests/model/test_case_id_confusables.py)
        with pytest.raises(CaseValidationError, match="^id: "):
            parse_case({"id": text})
