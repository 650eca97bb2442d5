"""Turning raw input into a ``Case``, with errors that name the field and say what is wrong."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from micromets.errors import CaseValidationError, FieldProblem
from micromets.model.case import Case

_NESTED_FIELD = re.compile(r"^(?P<field>[A-Za-z_][\w.\[\]]*): (?P<message>.+)$", re.DOTALL)


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def _plain(error: dict[str, Any]) -> FieldProblem:
    """One pydantic error as a field path and a sentence a clinician can act on."""
    field = _path(tuple(error["loc"]))
    kind = error["type"]
    message = str(error["msg"])
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
        nested = _NESTED_FIELD.match(message)
        if nested:
            inner = nested.group("field")
            field = f"{field}.{inner}" if field else inner
            message = nested.group("message")
    elif kind == "extra_forbidden":
        message = "is not a field of the case format (check the spelling; unknown fields are rejected)"
    elif kind == "missing":
        message = "is required"
    elif kind == "literal_error":
        message = f"must be one of {ctx.get('expected', '')}; got {error.get('input')!r}"
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = {"greater_than_equal": "at least", "less_than_equal": "at most",
                 "greater_than": "above", "less_than": "below"}[kind]
        limit = next(iter(ctx.values()), "")
        if isinstance(limit, float) and limit.is_integer():
            limit = int(limit)  # "at least 18", not "at least 18.0"
        message = f"must be {bound} {limit}; got {error.get('input')!r}"
        if field.endswith("_mm") and kind == "less_than_equal":
            message += " (sizes are in millimetres: was a value in another unit entered?)"
    elif kind in ("int_parsing", "int_from_float", "float_parsing", "bool_parsing", "int_type", "float_type",
                  "bool_type", "string_type", "date_from_datetime_parsing", "date_parsing", "list_type",
                  "model_type", "model_attributes_type", "dict_type"):
        message = f"{message[0].lower()}{message[1:]}; got {error.get('input')!r}"
    return FieldProblem(field=field or "(case)", message=message)


def problems_from(error: ValidationError) -> list[FieldProblem]:
    return [_plain(e) for e in error.errors(include_url=False)]  # type: ignore[arg-type]


def parse_case(data: Any) -> Case:
    """Validate a mapping (already decoded JSON) into a ``Case``.

    Raises ``CaseValidationError`` listing every invalid field::

        >>> parse_case({"tumour": {"grade": 4}})
        Traceback (most recent call last):
        ...
        micromets.errors.CaseValidationError: tumour.grade: must be at most 3; got 4
    """
    if not isinstance(data, dict):
        raise CaseValidationError([FieldProblem("(case)", "a case must be a JSON object")])
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        raise CaseValidationError(problems_from(exc)) from None


def parse_case_json(text: str | bytes) -> Case:
    """Decode JSON text and validate it; malformed JSON is reported like any other invalid input."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaseValidationError([FieldProblem("(json)", f"not valid JSON: {exc.msg} at line {exc.lineno}, "
                                                          f"column {exc.colno}")]) from None
    return parse_case(data)
