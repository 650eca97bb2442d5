"""The strict JSON decoder shared by every entry point (issue 9, item 1).

Each case is a concrete hostile input from the issue's probe or from RFC 8259's interoperability
notes: duplicate names (RFC 8259 section 4: "names within an object SHOULD be unique"), lone
surrogates (section 8.2: such strings cannot be represented as Unicode), NaN/Infinity (section 6:
"not permitted"), invalid UTF-8 (section 8.1), nesting and number limits (section 9 allows them).
"""

from __future__ import annotations

import json
import math
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from micromets.errors import CaseValidationError
from micromets.model.strict_json import MAX_DEPTH, MAX_INT_DIGITS, MAX_PROBLEMS, loads_strict, printable


def problems(data: bytes | str, where: str = "(json)") -> list[tuple[str, str]]:
    with pytest.raises(CaseValidationError) as info:
        loads_strict(data, where=where)
    return [(p.field, p.message) for p in info.value.problems]


def test_valid_json_decodes_as_json_loads_does() -> None:
    text = '{"id": "é", "tumour": {"size_mm": 18.5, "grade": 2}, "comorbidities": ["a"], "x": null, "b": true}'
    assert loads_strict(text) == json.loads(text)
    assert loads_strict(text.encode("utf-8")) == json.loads(text)


def test_a_utf8_byte_order_mark_is_ignored() -> None:
    assert loads_strict(b'\xef\xbb\xbf{"age": 60}') == {"age": 60}


def test_duplicate_keys_name_the_key_path() -> None:
    assert problems('{"tumour": {"size_mm": 18, "size_mm": 1.8}}') == [
        ("tumour.size_mm", "appears more than once in the same object; give each field once")]
    assert problems('[{"id": "a"}, {"id": "b", "id": "c"}]')[0][0] == "[1].id"


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\uDBFF"])
def test_lone_surrogates_in_values_and_keys_are_rejected(escape: str) -> None:
    found = problems(f'{{"id": "x{escape}y", "nodes": {{"deposits": [{{"k{escape}": 1}}]}}}}')
    assert found[0][0] == "id" and "lone surrogate" in found[0][1]
    assert found[1][0].startswith("nodes.deposits[0].k\\u") and "field name" in found[1][1]


def test_a_surrogate_pair_is_one_valid_character() -> None:
    assert loads_strict('{"id": "\\ud83d\\ude00"}') == {"id": "\U0001F600"}


@pytest.mark.parametrize("body", [b'{"id": "\xff"}', b"\xc3\x28", b'{"a": "\xed\xa0\x80"}'])
def test_invalid_utf8_is_an_error_not_a_crash(body: bytes) -> None:
    field, message = problems(body, "(line)")[0]
    assert field == "(line)" and "not UTF-8" in message


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_rejected_with_the_field(constant: str) -> None:
    assert problems(f'{{"tumour": {{"er_percent": {constant}}}}}')[0] == (
        "tumour.er_percent", f"is {constant}, which is not a number in JSON; leave the field out (or null) when unknown")


def test_a_number_too_large_for_a_float_is_rejected() -> None:
    field, message = problems('{"age": 1e400}')[0]
    assert field == "age" and "too large" in message


def test_integers_above_the_digit_limit_are_rejected_without_valueerror() -> None:
    # Python refuses int() of more than 4,300 digits with ValueError; the probe sent 5,000.
    assert loads_strict('{"n": ' + "9" * MAX_INT_DIGITS + "}")["n"] == int("9" * MAX_INT_DIGITS)
    for digits in (MAX_INT_DIGITS + 1, 4_301, 100_000):
        field, message = problems('{"tumour": {"grade": -' + "9" * digits + "}}")[0]
        assert field == "tumour.grade" and f"{digits} digits" in message


def test_bad_numbers_are_found_in_small_and_in_large_documents() -> None:
    """A case (a few brackets) has every number checked while decoding; a large document (a FHIR bundle, more
    brackets than the depth limit) has its text scanned first: both report the same problems."""
    padding = ", ".join('{"k": [1, 2.5]}' for _ in range(MAX_DEPTH))
    for bad, fragment in (("1e400", "too large"), ("-" + "9" * (MAX_INT_DIGITS + 1), "digits"),
                          ("9" * 400 + ".5", "too large")):
        small = '{"tumour": {"size_mm": ' + bad + "}}"
        large = '{"tumour": {"size_mm": ' + bad + '}, "pad": [' + padding + "]}"
        for text in (small, large):
            field, message = problems(text)[0]
            assert field == "tumour.size_mm" and fragment in message, text[:40]
    large = '{"age": 1e300, "n": ' + "9" * MAX_INT_DIGITS + ', "pad": [' + padding + "]}"
    assert loads_strict(large) == json.loads(large)


def test_nesting_is_limited_without_recursion_error() -> None:
    assert loads_strict("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    for depth in (MAX_DEPTH + 1, 1_000, sys.getrecursionlimit() * 10):
        assert problems("[" * depth + "]" * depth, "(body)") == [
            ("(body)", f"is nested more than {MAX_DEPTH} levels deep")]
    assert problems('{"a":' * 5000 + "1" + "}" * 5000)[0][1].startswith("is nested")


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    text = json.dumps({"id": "[" * 5000 + '\\"{' * 100, "x": [[["\\\\"]]]})
    assert loads_strict(text)["id"].startswith("[[[")
    # Brackets after an unterminated string are inside it: the input is reported as invalid JSON.
    field, message = problems("[" * 10 + '"' + '[\\"' * 100)[0]
    assert field == "(json)" and "Unterminated string" in message


@pytest.mark.parametrize(("text", "fragment"), [
    ("{not json", "not valid JSON"), ("", "is empty"), ("   \n", "is empty"), ('{"a": 1} x', "Extra data"),
    ('{"a": "line\nbreak"}', "Invalid control character"),
])
def test_malformed_json_names_the_input(text: str, fragment: str) -> None:
    field, message = problems(text, "(line)")[0]
    assert field == "(line)" and fragment in message


def test_problems_are_capped() -> None:
    text = "[" + ",".join('"\\ud800"' for _ in range(1000)) + "]"
    assert len(problems(text)) == MAX_PROBLEMS


def test_printable_escapes_what_a_message_cannot_carry() -> None:
    assert printable("a\nb\x00\ud800") == "a\\nb\\x00\\ud800"
    assert len(printable("k" * 10_000)) == 60


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10) | st.text(alphabet='[]{}"\\:,ab\u00e9', max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet='[]{}"\\ab', max_size=4), inner,
                                                                max_size=3),
    max_leaves=40)


@given(value=_json_values, extra=st.integers(0, 70))
def test_the_depth_limit_counts_nesting_as_the_decoded_value_has_it(value: object, extra: int) -> None:
    """Depth measured on the decoded value (RFC 8259 nesting), whatever brackets, quotes and escapes the strings hold."""
    nested = value
    for _ in range(extra):
        nested = [nested]
    text = json.dumps(nested, ensure_ascii=False)
    if _depth(nested) > MAX_DEPTH:
        with pytest.raises(CaseValidationError, match="nested more than"):
            loads_strict(text)
    else:
        assert loads_strict(text) == nested


_number_tokens = st.from_regex(r"-?(0|[1-9][0-9]{0,120})(\.[0-9]{1,120})?([eE][+-]?[0-9]{1,4})?", fullmatch=True)


@given(token=_number_tokens, prefix=st.sampled_from(['{"id": "1e999 and 9' + "9" * 120 + '", "n": ', "[", '{"n": [']))
def test_numbers_are_refused_exactly_when_rfc_8259_values_cannot_be_kept(token: str, prefix: str) -> None:
    """An integer of more than MAX_INT_DIGITS digits, or a number that overflows a double, or a non-zero one that
    underflows to 0 (RFC 8259 section 6: numbers beyond IEEE 754 binary64 range are not interoperable), is
    refused; every other number decodes as json does, wherever it stands and whatever digits or exponents the
    strings around it hold."""
    text = prefix + token + {"[": "]", '{"n": [': "]}"}.get(prefix, "}")
    is_integer = not any(c in token for c in ".eE")
    too_long = is_integer and len(token.lstrip("-")) > MAX_INT_DIGITS
    mantissa = token.lower().split("e")[0]
    underflow = float(token) == 0 and mantissa.strip("-0.") != ""  # non-zero digits written, 0.0 read
    if too_long or not math.isfinite(float(token)) or underflow:
        with pytest.raises(CaseValidationError, match="digits|too large|too small"):
            loads_strict(text)
    else:
        assert loads_strict(text) == json.loads(text)
