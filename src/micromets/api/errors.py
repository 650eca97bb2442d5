"""The one place where errors become HTTP responses.

Every error body has the same shape, whatever went wrong::

    {"detail": [{"field": "tumour.grade", "message": "must be at most 3; got 4"}]}

``field`` is the dotted path into the case (``nodes.deposits[0].size_mm``), a query parameter name
(``prognosis_version``), or a pseudo-field in parentheses for the request as a whole: ``(body)`` for a
body that is empty, oversized, not UTF-8 or not valid JSON (as decoded by ``loads_strict``: no
NaN/Infinity, duplicate keys, lone surrogates, excessive nesting or digits), ``(case)`` for a body
that is valid JSON but not a case object.

Status codes: 422 for invalid input of any kind (including malformed JSON), 413 for a body above the
size limit, 404/405 as usual. Bad input never produces a 500.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from micromets.errors import CaseValidationError, FieldProblem, UnknownVersionError
from micromets.model import ErrorDetail
from micromets.model.strict_json import loads_strict, printable

__all__ = [
    "ErrorBody",
    "InvalidRequest",
    "decode_json",
    "error_response",
    "install_error_handlers",
    "loggable",
    "problems_from_request_validation",
]


class ErrorBody(BaseModel):
    """The body of every error response."""

    detail: list[ErrorDetail]


class InvalidRequest(Exception):
    """Invalid input that is not a case problem (bad query value, too many batch items, bad JSON)."""

    def __init__(self, problems: Sequence[FieldProblem], *, status_code: int = 422) -> None:
        self.problems = list(problems)
        self.status_code = status_code
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in self.problems))


def error_response(status_code: int, problems: Sequence[FieldProblem],
                   headers: Mapping[str, str] | None = None) -> JSONResponse:
    body = {"detail": [p.as_dict() for p in problems]}
    return JSONResponse(status_code=status_code, content=body, headers=headers)


def decode_json(body: bytes) -> Any:
    """Decode a request body with the strict decoder every entry point shares (``loads_strict``).

    Problems that concern the body as a whole name ``(body)``; the others name their field::

        >>> decode_json(b'{"age": 60}')
        {'age': 60}
        >>> decode_json(b'{"age": NaN}')
        Traceback (most recent call last):
        ...
        micromets.errors.CaseValidationError: age: is NaN, which is not a number in JSON; leave the field out (or null) when unknown
    """
    if not body.strip():
        raise InvalidRequest([FieldProblem("(body)", "is empty; send the case as a JSON object")])
    return loads_strict(body, where="(body)")


def loggable(exc: BaseException) -> str:
    """An exception for the server log: its first line only, at most 300 characters.

    Database errors carry more lines (PostgreSQL's ``DETAIL: Failing row contains (...)`` holds the
    row's values, i.e. patient data); the first line names the failure without them.

    >>> loggable(ValueError("cannot write: check violation\\nDETAIL: Failing row contains (p-1, 58)"))
    'cannot write: check violation'
    """
    lines = str(exc).strip().splitlines() or [type(exc).__name__]
    return lines[0][:300]


def _dotted(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + printable(str(part))
    return out


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def problems_from_request_validation(exc: RequestValidationError) -> list[FieldProblem]:
    """FastAPI's own validation errors (query parameters, typed bodies) in our field/message shape."""
    problems = []
    for error in exc.errors():
        loc = list(error.get("loc", ()))
        kind = str(error.get("type", ""))
        if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
            loc = loc[1:]
        field = _dotted(loc) or "(body)"
        message = str(error.get("msg", "is invalid")).removeprefix("Value error, ")  # a validator's own words
        if kind == "json_invalid":
            field = "(body)"
            message = "is not valid JSON: " + str((error.get("ctx") or {}).get("error", message))
        elif kind == "missing":
            message = "is required"
        elif kind == "extra_forbidden":
            message = "is not a known field (check the spelling; unknown fields are rejected)"
        elif "input" in error and kind != "missing":
            message = f"{message[:1].lower()}{message[1:]}; got {_short(error['input'])}"
        problems.append(FieldProblem(field, message))
    return problems or [FieldProblem("(body)", "is invalid")]


async def _case_invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CaseValidationError)
    return error_response(422, exc.problems)


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InvalidRequest)
    return error_response(exc.status_code, exc.problems)


async def _request_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(422, problems_from_request_validation(exc))


async def _unknown_version(request: Request, exc: Exception) -> JSONResponse:
    return error_response(422, [FieldProblem("prognosis_version", str(exc))])


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    problem = FieldProblem("(request)", str(exc.detail))
    response = error_response(exc.status_code, [problem])
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers: every error response gets the ``{"detail": [{field, message}]}`` shape."""
    app.add_exception_handler(CaseValidationError, _case_invalid)
    app.add_exception_handler(InvalidRequest, _invalid_request)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(UnknownVersionError, _unknown_version)
    app.add_exception_handler(StarletteHTTPException, _http_error)
