"""REST API: case JSON in, assessment JSON (or a rendering of it) out.

Bodies are read raw and validated once, by ``micromets.model.parse_case`` (the same path the CLI
uses), so API errors carry the same field paths and messages as the CLI. The request body schemas
in OpenAPI reference ``#/components/schemas/Case``, which ``create_app`` adds to the document.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from micromets.api import audit, board, services
from micromets.api.errors import ErrorBody, InvalidRequest, decode_json, error_response
from micromets.errors import CaseValidationError, FieldProblem, UnknownVersionError
from micromets.interop.fhir_id import FHIR_ID_PATTERN
from micromets.model import Assessment, Case, ErrorDetail, ErrorResult, parse_case
from micromets.model.strict_json import printable
from micromets.store import (
    MAX_LIST_LIMIT,
    AssessmentSummary,
    AuditEntry,
    Output,
    PurgeResult,
    Source,
    Store,
    StoredAssessment,
    StoreError,
    entry,
)
from micromets.store.review import Reassessment

__all__ = ["MAX_BATCH_ITEMS", "router"]

MAX_BATCH_ITEMS = 1000



def strict_query(request: Request) -> None:
    """Refuse a query parameter the ``/api/`` operation does not take, or one given twice (422, named).

    Never ignored: ``/api/assess?patient=p1`` would otherwise assess a Bundle about any patient while the client
    believes the patient was checked (only ``/api/fhir/assess`` takes ``patient``), and of
    ``?prognosis_version=2.2&prognosis_version=3.0`` one value would win silently (HTTP parameter pollution).
    """
    route = request.scope.get("route")
    if not str(getattr(route, "path", "")).startswith("/api/"):  # /healthz: probes may add cache-busters
        return
    dependant = getattr(route, "dependant", None)
    known = {param.alias for param in getattr(dependant, "query_params", [])}
    problems: list[FieldProblem] = []
    seen: dict[str, int] = {}
    for name, _ in request.query_params.multi_items():
        seen[name] = seen.get(name, 0) + 1
    for name, count in seen.items():
        shown = printable(name)
        if name not in known:
            takes = ", ".join(sorted(known)) or "none"
            problems.append(FieldProblem(shown, f"is not a query parameter of this endpoint (it takes: {takes})"))
        elif count > 1:
            problems.append(FieldProblem(shown, f"is given {count} times; give it once"))
    if problems:
        raise InvalidRequest(problems[:20])


router = APIRouter(dependencies=[Depends(strict_query)])
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
    """Only that the process answers: the probe is open, so it names no software or version (a scanner would
    read them to pick its exploits; OWASP WSTG-INFO-02, "Fingerprint Web Server")."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["ok"]


class Versions(BaseModel):
    """The versions behind every answer (any valid API token)."""

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
    """Liveness: ``{"status": "ok"}`` and nothing else (no credentials needed; the versions are at
    ``/api/version``)."""
    return Health(status="ok")


@router.get("/api/version", tags=["service"], response_model=Versions)
def version() -> Versions:
    """The micromets version, the rule set version and the PREDICT versions implemented (any valid token)."""
    from micromets.assess import micromets_version
    from micromets.knowledge import ruleset_version

    return Versions(micromets_version=micromets_version(), ruleset_version=ruleset_version(),
                    prognosis_versions=services.prognosis_versions())


_ASSESS_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS, 503: {"model": ErrorBody, "description": "The audit store cannot record the assessment."},
}


def _completed(case: Case, prognosis_version: str | None) -> Case:
    """A ``treatments`` object read as the web reads it: a treatment left out (null) is taken from the recommended
    set, so choosing one treatment never silently drops the others (docs/web-and-api.md)."""
    return board.complete_treatments(case, prognosis_version)


def _assess_json(case: Case, prognosis_version: str | None, actor: str | None,
                 imported: Any = None) -> tuple[str, AuditEntry]:
    case = _completed(case, prognosis_version)
    assessment = services.assess_case(case, prognosis_version)
    if imported is not None:  # FHIR input: what the import could not use is part of the answer
        from micromets.interop.fhir import with_import_notes

        assessment = with_import_notes(assessment, imported)
    body = assessment.model_dump_json()
    return body, entry(case, assessment, source="api", actor=actor, assessment_json=body)


def _json(body: str | bytes) -> Response:
    return Response(body, media_type="application/json")


def _is_fhir(decoded: Any) -> bool:
    """FHIR input is a JSON object with ``resourceType`` (a case never has one), whether sent as
    ``application/fhir+json`` or ``application/json``; a case sent as ``application/fhir+json`` stays a case."""
    return isinstance(decoded, dict) and "resourceType" in decoded


_ASSESS_BODY = {"requestBody": {"required": True, "description": "One case in the case format (contract v1), or the "
                                "patient's FHIR R4 data (a Bundle or one resource; docs/interop.md).",
                                "content": {"application/json": {"schema": _CASE},
                                            "application/fhir+json": {"schema": {"type": "object"}}}}}


@router.post("/api/assess", tags=["assessment"], response_model=Assessment, responses=_ASSESS_ERRORS,
             openapi_extra=_ASSESS_BODY)
async def assess(request: Request, prognosis_version: PrognosisVersion = None) -> Response:
    """Assess one case: findings, stage, prognosis, decisions, recommendations, follow-up.

    When the server has an audit store, the assessment is recorded before it is returned; if it cannot
    be recorded, the response is 503 and no assessment is returned."""
    services.check_prognosis_version(prognosis_version)
    decoded = decode_json(await request.body())
    imported: Any = None
    if _is_fhir(decoded):
        from micromets.interop.fhir import import_bundle

        imported = await run_in_threadpool(import_bundle, decoded)  # model validation costs CPU: off the loop
        case = imported.case
    else:
        case = parse_case(decoded)
    # The body is serialised once: the stored assessment text is exactly the text returned.
    body, record = await services.compute(_assess_json, case, prognosis_version, audit.actor_of(request), imported)
    await audit.record(request, [record])
    return _json(body)


_NO_STORE = "this server runs without an audit store (start it with `micromets serve`; see docs/store.md)"
_STORE_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such record, or the server runs without an audit store."},
    503: {"model": ErrorBody, "description": "The audit store cannot be read."},
}


def _store_of(request: Request) -> Store:
    store = audit.store_of(request)
    if store is None:
        raise InvalidRequest([FieldProblem("(store)", _NO_STORE)], status_code=404)
    return store


_unavailable = audit.unavailable


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
    request: Request, row_id: audit.RowId
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


def _reassess(record: StoredAssessment, actor: str | None) -> tuple[str, AuditEntry]:
    from micromets.store.review import reassess_case

    case, assessment, result = reassess_case(record)
    body = result.model_dump_json()
    return body, entry(case, assessment, source="reassess", actor=actor, output="reassess",
                       response_json=body, reassessed_from=record.id)


@router.post("/api/assessments/{row_id}/reassess", tags=["audit"], response_model=Reassessment,
             responses={**_STORE_ERRORS, 422: {"model": ErrorBody,
                                               "description": "The recorded case no longer validates."}})
async def reassess(
    request: Request, row_id: audit.RowId
) -> Response:
    """Re-assess a recorded case under the current rule set and show what moved: decisions (with the
    rule ids behind them), stage, findings, survival figures, recommendations, versions old and new.
    The re-assessment is itself recorded (source ``reassess``, ``reassessed_from`` = the row), so this is
    a ``POST`` (no body) that needs the ``read`` and ``write`` scopes."""
    if await request.body():
        raise InvalidRequest([FieldProblem("(body)", "re-assessing takes no body; send an empty POST")])
    record = await run_in_threadpool(stored_assessment, request, row_id)
    body, prepared = await services.compute(_reassess, record, audit.actor_of(request))
    await audit.record(request, [prepared])
    return _json(body)


@router.get("/api/assessments/{row_id}/reassess", include_in_schema=False)
def reassess_by_get() -> Response:
    """GET must be safe (RFC 9110 section 9.2.1) and re-assessing records a row: 405, pointing to the POST."""
    problem = FieldProblem("(method)", "re-assessing records a new row, so it is a POST (no body): "
                           "POST /api/assessments/{row_id}/reassess, with a token of scopes read and write")
    return error_response(405, [problem], headers={"Allow": "POST"})


class PurgeRequest(BaseModel):
    """Which records to purge: those created before ``before``, or older than ``retention_days``.

    Strict: a purge deletes, so ``"retention_days": true`` (1 day) or ``"5"`` is refused, never converted.
    """

    model_config = ConfigDict(extra="forbid", strict=True)

    before: dt.datetime | None = Field(None, description="An instant with its offset, e.g. 2026-01-01T00:00:00Z.")
    retention_days: int | None = Field(None, ge=1, le=100_000)


_PURGE_BODY = _body(PurgeRequest.model_json_schema(mode="validation"), "Either before or retention_days.")


def _purged(store: Store, body: PurgeRequest, actor: str | None) -> PurgeResult:
    if (body.before is None) == (body.retention_days is None):
        raise InvalidRequest([FieldProblem("(body)", "give either before or retention_days")])
    if body.before is not None and body.before.tzinfo is None:
        raise InvalidRequest([FieldProblem("before", "needs a UTC offset, e.g. 2026-01-01T00:00:00Z")])
    before = body.before or dt.datetime.now(dt.UTC) - dt.timedelta(days=body.retention_days or 0)
    try:
        return store.purge(before, actor=actor)
    except ValueError as exc:
        raise InvalidRequest([FieldProblem("before", str(exc))]) from None
    except StoreError as exc:
        raise _unavailable(exc) from None


@router.post("/api/admin/purge", tags=["audit"], response_model=PurgeResult, openapi_extra=_PURGE_BODY,
             responses={**_STORE_ERRORS, 422: {"model": ErrorBody}})
async def purge(request: Request) -> PurgeResult:
    """Delete the records created before a date (admin). The purge leaves an audit event (who, when, how
    many, which ids and dates) that no purge can delete; see docs/store.md (retention)."""
    store = _store_of(request)
    raw = await request.body()
    # The strict decoder first, as for every other body: {"retention_days": 36500, "retention_days": 1} must not
    # quietly purge all but the last day.
    decode_json(raw)
    try:
        body = PurgeRequest.model_validate_json(raw)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False)) from None
    return await run_in_threadpool(_purged, store, body, audit.actor_of(request))


def _raw_id(item: Any) -> str | None:
    value = item.get("id") if isinstance(item, dict) else None
    return value[:200] if isinstance(value, str) else None


def _assess_items(items: list[Any], prognosis_version: str | None,
                  actor: str | None) -> tuple[bytes, list[AuditEntry]]:
    """Assess every item; return the response body and the records of its assessments (nothing is
    recorded here: the caller records them all in one transaction, then returns the body)."""
    results: list[str] = []
    entries: list[AuditEntry] = []
    for item in items:
        try:
            case = parse_case(item)
        except CaseValidationError as exc:
            details = [ErrorDetail(field=p.field, message=p.message) for p in exc.problems]
            results.append(ErrorResult(id=_raw_id(item), error=details[0], errors=details).model_dump_json())
            continue
        case = _completed(case, prognosis_version)
        assessment = services.assess_case(case, prognosis_version)
        text = assessment.model_dump_json()
        entries.append(entry(case, assessment, source="batch", actor=actor, assessment_json=text))
        results.append(text)
    return ("[" + ",".join(results) + "]").encode(), entries


@router.post("/api/assess/batch", tags=["assessment"], response_model=list[Assessment | ErrorResult],
             responses=_ERRORS, openapi_extra=_BATCH_BODY)
async def assess_batch(request: Request, prognosis_version: PrognosisVersion = None) -> Response:
    """Assess up to 1,000 cases: one result per item, in order; an invalid item gives an error result.

    With an audit store, all valid items' assessments are recorded in one transaction before the response
    is returned; if the store fails (or any item fails), nothing is recorded and nothing is returned (503)."""
    services.check_prognosis_version(prognosis_version)
    items = decode_json(await request.body())
    if not isinstance(items, list):
        raise InvalidRequest([FieldProblem("(body)", "must be a JSON array of cases")])
    if len(items) > MAX_BATCH_ITEMS:
        message = f"has {len(items)} cases; send at most {MAX_BATCH_ITEMS} per request"
        raise InvalidRequest([FieldProblem("(body)", message)])
    body, entries = await services.compute(_assess_items, items, prognosis_version, audit.actor_of(request))
    await audit.record(request, entries)
    return _json(body)


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


def _run_whatif(body: WhatIfRequest, actor: str | None) -> tuple[str, list[AuditEntry]]:
    from micromets.whatif import whatif

    base = body.case
    if isinstance(base.get("treatments"), dict):  # a partial set given with the case: completed as on the web
        with contextlib.suppress(CaseValidationError):  # an invalid case is reported by the what-if itself
            base = _completed(parse_case(base), body.prognosis_version).model_dump(mode="json", exclude_none=True)
    changes = board.complete_treatment_changes(base, dict(body.changes), body.prognosis_version)
    try:
        result = whatif(base, changes, prognosis_version=body.prognosis_version)
    except (CaseValidationError, UnknownVersionError):
        raise
    except (ValueError, KeyError) as exc:
        raise InvalidRequest([FieldProblem("changes", str(exc))]) from None
    text = json.dumps(result.as_dict(), separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text, audit.whatif_entries(base, changes, result, actor=actor, response_json=text)


_WHATIF_BODY = _body(WhatIfRequest.model_json_schema(mode="validation"),
                     "The case, the changes to try and the PREDICT version.")


@router.post("/api/whatif", tags=["assessment"], responses=_ASSESS_ERRORS, openapi_extra=_WHATIF_BODY)
async def what_if(request: Request) -> Response:
    """What changes (decisions, stage, survival figures) when some inputs change.

    With an audit store both assessments (the case as given and as changed) are recorded with the
    answer before it is returned (503 when they cannot be)."""
    # Read raw, like every other body, so the strict decoder (duplicate keys, surrogates, ...) applies.
    try:
        body = WhatIfRequest.model_validate(decode_json(await request.body()))
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False)) from None
    services.check_prognosis_version(body.prognosis_version)
    text, entries = await services.compute(_run_whatif, body, audit.actor_of(request))
    await audit.record(request, entries)
    return _json(text)


def _attachment(content: bytes, media_type: str, filename: str) -> Response:
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def rendered(case: Case, prognosis_version: str | None, output: Output, source: Source,
              actor: str | None) -> tuple[bytes, AuditEntry]:
    """The assessment of ``case`` rendered as ``output`` (pdf, ics, fhir, or the assessment json)."""
    case = _completed(case, prognosis_version)
    assessment = services.assess_case(case, prognosis_version)
    content = services.render(assessment, case, output)
    return content, entry(case, assessment, source=source, actor=actor, output=output, response=content)


_BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.post("/api/report.pdf", tags=["reports"], response_class=Response, openapi_extra=_CASE_BODY,
             responses={**_ERRORS, 200: {"content": {"application/pdf": _BINARY},
                                         "description": "The tumour-board report as PDF."}})
async def report_pdf(request: Request, prognosis_version: PrognosisVersion = None) -> Response:
    """The tumour-board report of one case as PDF."""
    services.check_prognosis_version(prognosis_version)
    case = await _case_from(request)
    content, prepared = await run_in_threadpool(rendered, case, prognosis_version, "pdf", "api",
                                                audit.actor_of(request))
    await audit.record(request, [prepared])
    return _attachment(content, "application/pdf", services.safe_filename(case.id, "-report.pdf"))


def _patient_page(case: Case, prognosis_version: str | None, actor: str | None) -> tuple[str, AuditEntry]:
    from micromets.report.patient import render_patient_html

    case = _completed(case, prognosis_version)
    assessment = services.assess_case(case, prognosis_version)
    page = render_patient_html(assessment, case)
    return page, entry(case, assessment, source="api", actor=actor, output="html", response=page)


@router.post("/api/patient.html", tags=["reports"], response_class=Response, openapi_extra=_CASE_BODY,
             responses={**_ERRORS, 200: {"content": {"text/html": {"schema": {"type": "string"}}},
                                         "description": "The patient's page: plain words and an icon array."}})
async def patient_page(request: Request, prognosis_version: PrognosisVersion = None) -> Response:
    """A printable page for the patient: the PREDICT figures in plain words, with an "of 100 people like you"
    icon array (no stage codes or rule ids)."""
    services.check_prognosis_version(prognosis_version)
    case = await _case_from(request)
    page, prepared = await run_in_threadpool(_patient_page, case, prognosis_version, audit.actor_of(request))
    await audit.record(request, [prepared])
    return Response(page, media_type="text/html; charset=utf-8")


@router.post("/api/followup.ics", tags=["reports"], response_class=Response, openapi_extra=_CASE_BODY,
             responses={**_ERRORS, 200: {"content": {"text/calendar": _BINARY},
                                         "description": "The follow-up plan as iCalendar."}})
async def followup_ics(request: Request, prognosis_version: PrognosisVersion = None) -> Response:
    """The dated follow-up plan of one case as an iCalendar file."""
    services.check_prognosis_version(prognosis_version)
    case = await _case_from(request)
    content, prepared = await run_in_threadpool(rendered, case, prognosis_version, "ics", "api",
                                                audit.actor_of(request))
    await audit.record(request, [prepared])
    return _attachment(content, "text/calendar", services.safe_filename(case.id, "-follow-up.ics"))


_FHIR_JSON = "application/fhir+json"
_FHIR_BODY = _body({"type": "object", "description": "A FHIR R4 Bundle (mCODE / US Core coded) about one patient."},
                   "A FHIR R4 Bundle (Content-Type application/fhir+json or application/json).")
FhirPatient = Annotated[str | None, Query(max_length=64, pattern=f"^{FHIR_ID_PATTERN}$",
                                          description="The FHIR id of the patient the Bundle must be about.")]


def _fhir_assessed(data: Any, patient: str | None, prognosis_version: str | None, output: Literal["fhir", "json"],
                   actor: str | None) -> tuple[bytes, AuditEntry]:
    from micromets.interop.fhir import import_bundle, with_import_notes

    imported = import_bundle(data, patient_id=patient, patient_field="patient") if isinstance(data, dict) else None
    if imported is None:
        raise InvalidRequest([FieldProblem("(body)", "a FHIR Bundle must be a JSON object")])
    # values the Bundle gives that micromets did not turn into fields: shown (warnings, missing), not lost
    assessment = with_import_notes(services.assess_case(imported.case, prognosis_version), imported)
    content = services.render(assessment, imported.case, output)
    return content, entry(imported.case, assessment, source="api", actor=actor, output=output, response=content)


@router.post("/api/fhir/assess", tags=["interop"], response_class=Response, openapi_extra=_FHIR_BODY,
             responses={**_ASSESS_ERRORS, 200: {"content": {_FHIR_JSON: {"schema": {"type": "object"}}},
                                                "description": "The assessment as a FHIR Bundle (or JSON)."}})
async def assess_fhir(request: Request, prognosis_version: PrognosisVersion = None, patient: FhirPatient = None,
                      output: Annotated[Literal["fhir", "json"], Query(alias="format")] = "fhir") -> Response:
    """Assess the patient a FHIR R4 Bundle describes (the same import as CDS Hooks; docs/interop.md).

    Returns the assessment as a FHIR Bundle (``format=json``: the assessment JSON). With ``patient``, data
    about any other patient are refused; data about two patients always are. FHIR values read but not used
    (e.g. a Karnofsky score) are listed in the assessment's warnings."""
    services.check_prognosis_version(prognosis_version)
    data = decode_json(await request.body())
    content, prepared = await services.compute(_fhir_assessed, data, patient, prognosis_version, output,
                                                audit.actor_of(request))
    await audit.record(request, [prepared])
    return Response(content, media_type=_FHIR_JSON if output == "fhir" else "application/json")
