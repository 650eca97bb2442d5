"""REST API: case JSON in, assessment JSON (or a rendering of it) out.

Bodies are read raw and validated once, by ``micromets.model.parse_case`` (the same path the CLI
uses), so API errors carry the same field paths and messages as the CLI. The request body schemas
in OpenAPI reference ``#/components/schemas/Case``, which ``create_app`` adds to the document.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from micromets.api import services
from micromets.api.errors import ErrorBody, InvalidRequest, decode_json, loggable
from micromets.errors import CaseValidationError, FieldProblem, UnknownVersionError
from micromets.model import Assessment, Case, ErrorDetail, ErrorResult, parse_case
from micromets.store.repository import (
    MAX_LIST_LIMIT,
    MAX_ROW_ID,
    AssessmentSummary,
    StoredAssessment,
    StoreError,
)

if TYPE_CHECKING:
    from micromets.store import Store

__all__ = ["MAX_BATCH_ITEMS", "router"]

MAX_BATCH_ITEMS = 1000

router = APIRouter()
_log = logging.getLogger(__name__)

_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorBody, "description": "Request body above the size limit (1 MiB; batch 10 MiB)."},
    422: {"model": ErrorBody, "description": "Invalid input; every problem names its field."},
}
_CASE = {"$ref": "#/components/schemas/Case"}


def _body(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"requestBody": {"required": True, "description": description,
                            "content": {"application/json": {"schema": schema}}}}


_CASE_BODY = _body(_CASE, "One case in the case format (contract v1).")
_BATCH_BODY = _body({"type": "array", "items": _CASE, "maxItems": MAX_BATCH_ITEMS},
                    f"A JSON array of at most {MAX_BATCH_ITEMS} cases.")

PrognosisVersion = Annotated[
    str | None,
    Query(max_length=20, description="PREDICT version, e.g. 3.0 (default: the newest implemented).",
          json_schema_extra={"enum": services.prognosis_versions()}),
]


class Health(BaseModel):
    status: Literal["ok"]
    micromets_version: str
    ruleset_version: str
    prognosis_versions: list[str]


class WhatIfRequest(BaseModel):
    """A case, the changes to try (dotted field path -> new value; null = unknown) and the PREDICT version."""

    model_config = ConfigDict(extra="forbid", strict=True)

    case: dict[str, Any] = Field(description="A case in the case format.")
    changes: dict[str, Any] = Field(min_length=1, max_length=50, examples=[{"tumour.grade": 3}])
    prognosis_version: str | None = Field(None, max_length=20)


async def _case_from(request: Request) -> Case:
    return parse_case(decode_json(await request.body()))


@router.get("/healthz", tags=["service"], response_model=Health)
def healthz() -> Health:
    """Liveness and versions."""
    from micromets.assess import micromets_version
    from micromets.knowledge import ruleset_version

    return Health(status="ok", micromets_version=micromets_version(), ruleset_version=ruleset_version(),
                  prognosis_versions=services.prognosis_versions())


_ASSESS_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS, 503: {"model": ErrorBody, "description": "The audit store cannot record the assessment."},
}


@router.post("/api/assess", tags=["assessment"], response_model=Assessment, responses=_ASSESS_ERRORS,
             openapi_extra=_CASE_BODY)
async def assess(request: Request, prognosis_version: PrognosisVersion = None) -> Assessment:
    """Assess one case: findings, stage, prognosis, decisions, recommendations, follow-up.

    When the server has an audit store, the assessment is recorded before it is returned; if it cannot
    be recorded, the response is 503 and no assessment is returned."""
    services.check_prognosis_version(prognosis_version)
    case = await _case_from(request)
    assessment = await run_in_threadpool(services.assess_case, case, prognosis_version)
    store = _store_or_none(request)
    if store is not None:
        await run_in_threadpool(_record, store, case, assessment)
    return assessment


_NO_STORE = "this server runs without an audit store (start it with `micromets serve`; see docs/store.md)"
_STORE_DOWN = ("the audit store is unavailable, so the assessment was not recorded and is not returned; "
               "try again later or tell the administrator")
_STORE_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such record, or the server runs without an audit store."},
    503: {"model": ErrorBody, "description": "The audit store cannot be read."},
}


def _store_or_none(request: Request) -> Store | None:
    store: Store | None = getattr(request.app.state, "store", None)
    return store


def _store_of(request: Request) -> Store:
    store = _store_or_none(request)
    if store is None:
        raise InvalidRequest([FieldProblem("(store)", _NO_STORE)], status_code=404)
    return store


def _unavailable(exc: StoreError) -> InvalidRequest:
    _log.error("audit store failure: %s", loggable(exc))
    return InvalidRequest([FieldProblem("(store)", _STORE_DOWN)], status_code=503)


def _record(store: Store, case: Case, assessment: Assessment) -> None:
    try:
        store.record(case, assessment, source="api")
    except StoreError as exc:
        raise _unavailable(exc) from None


@router.get("/api/assessments", tags=["audit"], response_model=list[AssessmentSummary],
            responses=_STORE_ERRORS)
def assessments(
    request: Request,
    case_id: Annotated[str | None, Query(max_length=200, description="Only this case's records.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIST_LIMIT, description="At most this many records.")] = 50,
) -> list[AssessmentSummary]:
    """Recorded assessments, newest first, without their payloads (audit store; see docs/store.md)."""
    store = _store_of(request)
    try:
        return [row.summary() for row in store.list(case_id=case_id, limit=limit)]
    except StoreError as exc:
        raise _unavailable(exc) from None


@router.get("/api/assessments/{row_id}", tags=["audit"], response_model=StoredAssessment,
            responses=_STORE_ERRORS)
def stored_assessment(
    request: Request, row_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="Row id.")]
) -> StoredAssessment:
    """One recorded assessment with its case, as stored."""
    store = _store_of(request)
    try:
        row = store.get(row_id)
    except StoreError as exc:
        raise _unavailable(exc) from None
    if row is None:
        raise InvalidRequest([FieldProblem("row_id", f"no recorded assessment {row_id}")], status_code=404)
    return row


def _raw_id(item: Any) -> str | None:
    value = item.get("id") if isinstance(item, dict) else None
    return value[:200] if isinstance(value, str) else None


def _assess_items(items: list[Any], prognosis_version: str | None, store: Store | None) -> list[dict[str, Any]]:
    """Assess each item; with an audit store, every assessment is recorded before any is returned."""
    results: list[dict[str, Any]] = []
    for item in items:
        try:
            case = parse_case(item)
        except CaseValidationError as exc:
            details = [ErrorDetail(field=p.field, message=p.message) for p in exc.problems]
            error = ErrorResult(id=_raw_id(item), error=details[0], errors=details)
            results.append(error.model_dump(mode="json"))
            continue
        assessment = services.assess_case(case, prognosis_version)
        if store is not None:
            _record(store, case, assessment)
        results.append(assessment.model_dump(mode="json"))
    return results


@router.post("/api/assess/batch", tags=["assessment"], response_model=list[Assessment | ErrorResult],
             responses=_ERRORS, openapi_extra=_BATCH_BODY)
async def assess_batch(request: Request, prognosis_version: PrognosisVersion = None) -> JSONResponse:
    """Assess up to 1,000 cases: one result per item, in order; an invalid item gives an error result.

    With an audit store every valid item's assessment is recorded; if the store fails the response is 503."""
    services.check_prognosis_version(prognosis_version)
    items = decode_json(await request.body())
    if not isinstance(items, list):
        raise InvalidRequest([FieldProblem("(body)", "must be a JSON array of cases")])
    if len(items) > MAX_BATCH_ITEMS:
        message = f"has {len(items)} cases; send at most {MAX_BATCH_ITEMS} per request"
        raise InvalidRequest([FieldProblem("(body)", message)])
    results = await run_in_threadpool(_assess_items, items, prognosis_version, _store_or_none(request))
    return JSONResponse(results)


@router.get("/api/schema/case", tags=["schema"])
def case_schema() -> dict[str, Any]:
    """JSON Schema of the case (input), as ``micromets schema case``."""
    return Case.model_json_schema(mode="validation")


@router.get("/api/schema/assessment", tags=["schema"])
def assessment_schema() -> dict[str, Any]:
    """JSON Schema of the assessment (output), as ``micromets schema assessment``."""
    return Assessment.model_json_schema(mode="serialization")


@router.get("/api/examples", tags=["examples"])
def examples() -> list[str]:
    """Names of the packaged example cases."""
    return services.example_names()


@router.get("/api/examples/{name}", tags=["examples"], responses={404: {"model": ErrorBody}})
def example(name: str) -> dict[str, Any]:
    """One packaged example case."""
    try:
        return services.example_data(name)
    except KeyError:
        problem = FieldProblem("name", f"no example called {name[:40]!r}; see /api/examples")
        raise InvalidRequest([problem], status_code=404) from None


def _run_whatif(body: WhatIfRequest) -> dict[str, Any]:
    from micromets.whatif import whatif

    try:
        result = whatif(body.case, body.changes, prognosis_version=body.prognosis_version)
    except (CaseValidationError, UnknownVersionError):
        raise
    except (ValueError, KeyError) as exc:
        raise InvalidRequest([FieldProblem("changes", str(exc))]) from None
    data: dict[str, Any] = result.as_dict()
    return data


_WHATIF_BODY = _body(WhatIfRequest.model_json_schema(mode="validation"),
                     "The case, the changes to try and the PREDICT version.")


@router.post("/api/whatif", tags=["assessment"], responses=_ERRORS, openapi_extra=_WHATIF_BODY)
async def what_if(request: Request) -> JSONResponse:
    """What changes (decisions, stage, survival figures) when some inputs change."""
    # Read raw, like every other body, so the strict decoder (duplicate keys, surrogates, ...) applies.
    try:
        body = WhatIfRequest.model_validate(decode_json(await request.body()))
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False)) from None
    services.check_prognosis_version(body.prognosis_version)
    return JSONResponse(await run_in_threadpool(_run_whatif, body))


def _attachment(content: bytes, media_type: str, filename: str) -> Response:
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _pdf(case: Case, prognosis_version: str | None) -> bytes:
    return services.pdf_bytes(services.assess_case(case, prognosis_version), case)


def _ics(case: Case, prognosis_version: str | None) -> bytes:
    return services.ics_bytes(services.assess_case(case, prognosis_version))


_BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.post("/api/report.pdf", tags=["reports"], response_class=Response, openapi_extra=_CASE_BODY,
             responses={**_ERRORS, 200: {"content": {"application/pdf": _BINARY},
                                         "description": "The tumour-board report as PDF."}})
async def report_pdf(request: Request, prognosis_version: PrognosisVersion = None) -> Response:
    """The tumour-board report of one case as PDF."""
    services.check_prognosis_version(prognosis_version)
    case = await _case_from(request)
    content = await run_in_threadpool(_pdf, case, prognosis_version)
    return _attachment(content, "application/pdf", services.safe_filename(case.id, "-report.pdf"))


@router.post("/api/followup.ics", tags=["reports"], response_class=Response, openapi_extra=_CASE_BODY,
             responses={**_ERRORS, 200: {"content": {"text/calendar": _BINARY},
                                         "description": "The follow-up plan as iCalendar."}})
async def followup_ics(request: Request, prognosis_version: PrognosisVersion = None) -> Response:
    """The dated follow-up plan of one case as an iCalendar file."""
    services.check_prognosis_version(prognosis_version)
    case = await _case_from(request)
    content = await run_in_threadpool(_ics, case, prognosis_version)
    return _attachment(content, "text/calendar", services.safe_filename(case.id, "-follow-up.ics"))
