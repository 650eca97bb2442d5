"""The server-rendered web UI: case form -> tumour-board report, downloads and what-if.

Stateless: the result page carries the validated case as JSON in hidden form fields, and downloads,
what-if and "edit" post it back. Pages work without JavaScript; ``static/form.js`` only adds and
removes deposit rows in place (without it, the same buttons round-trip to the server).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParameter
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from micromets.api import audit, form, security, services
from micromets.api.errors import InvalidRequest
from micromets.errors import CaseValidationError, FieldProblem, UnknownVersionError
from micromets.model import Case, parse_case
from micromets.model.strict_json import loads_strict
from micromets.store import MAX_ROW_ID, AuditEntry, StoreError, entry

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
_CHOICE_LABELS = {
    "he": "H&E", "ihc": "IHC", "osna": "OSNA", "rt_pcr": "RT-PCR", "bcs": "breast-conserving surgery",
    "slnb": "sentinel node biopsy", "alnd": "axillary dissection", "slnb_then_alnd": "SLNB then ALND",
    "second_gen": "second generation", "third_gen": "third generation", "brca1": "BRCA1", "brca2": "BRCA2",
    "not_done": "not done", "sentinel_microscopic": "microscopic, in a sentinel node",
    "clinically_detected": "clinically detected", "chest_wall_and_skin": "chest wall and skin",
    "chest_wall": "chest wall", "true": "yes", "false": "no",
}

_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True))
_env.globals.update(input_id=form.input_id, choice_label=lambda v: _CHOICE_LABELS.get(str(v), str(v)))


def _csrf_field() -> Markup:
    """The hidden CSRF field every POST form carries (the token of this request's session)."""
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(security.current_csrf_token())


_env.globals.update(csrf_field=_csrf_field, signed_in=lambda: bool(security.current_csrf_token()))


def _page(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = _env.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code, headers={"Content-Security-Policy": _CSP})


async def _form_data(request: Request) -> dict[str, list[str]]:
    submitted = await request.form(max_fields=20_000)
    data: dict[str, list[str]] = {}
    for key, value in submitted.multi_items():
        if isinstance(value, str):
            data.setdefault(key, []).append(value)
    return data


def _first(data: dict[str, list[str]], name: str) -> str:
    return (data.get(name) or [""])[0].strip()


def _versions() -> list[str]:
    return services.prognosis_versions()


def _form_page(values: dict[str, Any], *, problems: list[FieldProblem] | None = None, status_code: int = 200,
               example: str = "", version: str = "", extra_row: bool = False,
               notice: str = "") -> HTMLResponse:
    rows = form.deposit_rows(values, minimum=0)
    if extra_row or not rows:
        rows.append({})
    errors: dict[str, str] = {}
    summary = []
    for problem in problems or []:
        target = form.error_target(problem.field, len(rows))
        if target is not None:
            errors.setdefault(target, problem.message)
        summary.append({"field": problem.field, "message": problem.message,
                        "anchor": form.input_id(target) if target else None})
    versions = _versions()
    return _page("form.html", status_code, sections=form.SECTIONS, deposit_fields=form.DEPOSIT_FIELDS,
                 values=values, rows=rows, errors=errors, summary=summary, examples=services.example_names(),
                 example=example, versions=versions, version=version or (versions[-1] if versions else ""),
                 notice=notice)


@router.get("/assets/report.css")
def report_css() -> Response:
    """The report's stylesheet, for the result page that embeds the report fragment."""
    return Response(services.report_css(), media_type="text/css",
                    headers={"Cache-Control": "max-age=3600"})


@router.get("/", response_class=HTMLResponse)
def index(example: str = "") -> HTMLResponse:
    """The case form, empty or prefilled with a packaged example (``/?example=pn1mi``)."""
    if not example:
        return _form_page({})
    try:
        data = services.example_data(example)
    except KeyError:
        problem = FieldProblem("example", f"no example called {example[:40]!r}")
        return _form_page({}, problems=[problem], status_code=404)
    return _form_page(form.flatten(data), example=example,
                      notice=f"Loaded example “{example}”. Check the values, then press Assess.")


def _case_json(case: Case) -> str:
    return json.dumps(case.model_dump(mode="json", exclude_none=True), separators=(",", ":"))


def _result_page(case: Case, version: str, actor: str | None) -> tuple[HTMLResponse, AuditEntry]:
    assessment = services.assess_case(case, version or None)
    fragment = Markup(services.report_fragment(assessment, case))  # our own renderer, autoescaped
    page = _page("result.html", assessment=assessment, fragment=fragment, case_json=_case_json(case),
                 version=version, fhir=services.fhir_exporter() is not None,
                 whatif_fields=form.scalar_fields())
    return page, entry(case, assessment, source="web", actor=actor, output="html", response=bytes(page.body))


async def _recorded(request: Request, response: Response, entries: list[AuditEntry]) -> Response:
    """``response`` once its records are committed; the 503 error page when they cannot be."""
    try:
        await audit.record(request, entries)
    except InvalidRequest as exc:
        return _error_page(exc.problems, exc.status_code)
    return response


@router.post("/assess", response_class=HTMLResponse)
async def submit(request: Request) -> Response:
    """Form submission: validate, then show the report (or the form again with inline errors)."""
    data = await _form_data(request)
    values = form.flatten(form.case_data_from_form(data))
    version = _first(data, "prognosis_version")
    action = _first(data, "action")
    if action == "add_deposit":
        return _form_page(values, version=version, extra_row=True)
    if action.startswith("remove_deposit:"):
        values = _without_row(values, action.removeprefix("remove_deposit:"))
        return _form_page(values, version=version)
    problems: list[FieldProblem] = []
    try:
        services.check_prognosis_version(version)
    except InvalidRequest as exc:
        problems.extend(exc.problems)
    try:
        case = parse_case(form.case_data_from_form(data))
    except CaseValidationError as exc:
        problems.extend(exc.problems)
    if problems:
        return _form_page(values, problems=problems, status_code=422, version=version)
    try:
        page, prepared = await services.compute(_result_page, case, version, audit.actor_of(request))
    except UnknownVersionError as exc:
        return _form_page(values, problems=[FieldProblem("prognosis_version", str(exc))], status_code=422)
    return await _recorded(request, page, [prepared])


def _without_row(values: dict[str, Any], index: str) -> dict[str, Any]:
    rows = form.deposit_rows(values, minimum=0)
    if index.isdigit() and int(index) < len(rows):
        del rows[int(index)]
    kept = {k: v for k, v in values.items() if not k.startswith("nodes.deposits[")}
    for i, row in enumerate(rows):
        kept.update({f"nodes.deposits[{i}].{k}": v for k, v in row.items()})
    return kept


async def _posted_case(request: Request) -> tuple[Case, str, dict[str, list[str]]]:
    data = await _form_data(request)
    case_data = loads_strict(_first(data, "case_json") or "null", where="case_json")
    version = _first(data, "prognosis_version")
    services.check_prognosis_version(version)
    return parse_case(case_data), version, data


def _error_page(problems: list[FieldProblem], status_code: int = 422) -> HTMLResponse:
    return _page("error.html", status_code, problems=problems)


@router.post("/report", response_class=HTMLResponse)
async def report(request: Request) -> Response:
    """The report of a case posted as JSON (``case_json``), e.g. back from the what-if page."""
    try:
        case, version, _ = await _posted_case(request)
    except (CaseValidationError, InvalidRequest) as exc:
        return _error_page(exc.problems)
    page, prepared = await services.compute(_result_page, case, version, audit.actor_of(request))
    return await _recorded(request, page, [prepared])


@router.post("/edit", response_class=HTMLResponse)
async def edit(request: Request) -> HTMLResponse:
    """The form prefilled with a posted case, to change it and assess again."""
    try:
        case, version, _ = await _posted_case(request)
    except (CaseValidationError, InvalidRequest) as exc:
        return _error_page(exc.problems)
    return _form_page(form.flatten(case.model_dump(mode="json", exclude_none=True)), version=version)


def _whatif(case: Case, version: str, field: str, value: str) -> tuple[dict[str, Any], Any]:
    from micromets.whatif import parse_assignment, whatif

    try:
        path, new_value = parse_assignment(f"{field}={value}")
        result = whatif(case.model_dump(mode="json", exclude_none=True), {path: new_value},
                        prognosis_version=version or None)
    except (CaseValidationError, UnknownVersionError):
        raise
    except (ValueError, KeyError) as exc:
        raise InvalidRequest([FieldProblem("value", str(exc))]) from None
    data: dict[str, Any] = result.as_dict()
    return data, result


@router.post("/whatif", response_class=HTMLResponse)
async def what_if(request: Request) -> Response:
    """Try one change to the case and show what changes in the assessment."""
    try:
        case, version, data = await _posted_case(request)
    except (CaseValidationError, InvalidRequest) as exc:
        return _error_page(exc.problems)
    field, value = _first(data, "field"), _first(data, "value")
    choices = {f.path: f for f in form.scalar_fields()}
    context: dict[str, Any] = {"case_json": _case_json(case), "version": version, "field": field,
                               "value": value, "whatif_fields": form.scalar_fields(), "problems": [],
                               "result": None, "label": choices[field].label if field in choices else field}
    if field not in choices:
        context["problems"] = [FieldProblem("field", "choose a field to change")]
        return _page("whatif.html", 422, **context)
    try:
        context["result"], result = await services.compute(_whatif, case, version, field, value)
    except (CaseValidationError, InvalidRequest) as exc:
        context["problems"] = exc.problems
        return _page("whatif.html", 422, **context)
    except UnknownVersionError as exc:
        context["problems"] = [FieldProblem("prognosis_version", str(exc))]
        return _page("whatif.html", 422, **context)
    page = _page("whatif.html", **context)
    answer = json.dumps(context["result"], separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    entries = await run_in_threadpool(audit.whatif_entries, case.model_dump(mode="json", exclude_none=True),
                                      dict(result.changes), result, actor=audit.actor_of(request),
                                      response_json=answer, response=bytes(page.body))
    return await _recorded(request, page, entries)


_DOWNLOADS = {"json": ("application/json", "-assessment.json"), "pdf": ("application/pdf", "-report.pdf"),
              "ics": ("text/calendar", "-follow-up.ics"), "fhir": ("application/fhir+json", "-fhir.json")}


def _download(case: Case, version: str, fmt: Any, actor: str | None) -> tuple[bytes, AuditEntry]:
    assessment = services.assess_case(case, version or None)
    content = services.render(assessment, case, fmt)
    return content, entry(case, assessment, source="web-download", actor=actor, output=fmt, response=content)


@router.post("/download/{fmt}")
async def download(request: Request, fmt: str) -> Response:
    """The assessment of a posted case as a file: json, pdf, ics or fhir."""
    if fmt not in _DOWNLOADS:
        return _error_page([FieldProblem("format", f"unknown download format {fmt[:20]!r}")], 404)
    try:
        case, version, _ = await _posted_case(request)
        content, prepared = await run_in_threadpool(_download, case, version, fmt, audit.actor_of(request))
    except (CaseValidationError, InvalidRequest) as exc:
        return _error_page(exc.problems, getattr(exc, "status_code", 422))
    media_type, suffix = _DOWNLOADS[fmt]
    filename = services.safe_filename(case.id, suffix)
    response = Response(content, media_type=media_type,
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    return await _recorded(request, response, [prepared])


_NO_STORE = FieldProblem("(store)", "this server runs without an audit store (see docs/store.md)")


@router.get("/assessments", response_class=HTMLResponse)
def stored_assessments(request: Request, case_id: str = "") -> Response:
    """The audit trail: recorded assessments, newest first, each with a link to re-assess it."""
    store = audit.store_of(request)
    if store is None:
        return _error_page([_NO_STORE], 404)
    case_id = case_id.strip()[:200]
    try:
        rows = [row.summary() for row in store.list(case_id=case_id or None, limit=200)]
    except StoreError as exc:
        return _error_page(audit.unavailable(exc).problems, 503)
    from micromets.knowledge import ruleset_version

    return _page("assessments.html", rows=rows, case_id=case_id, ruleset=ruleset_version())


def _reassessed(record: Any, actor: str | None) -> tuple[Any, AuditEntry]:
    from micromets.store.review import reassess_case

    case, assessment, result = reassess_case(record)
    return result, entry(case, assessment, source="reassess", actor=actor, output="reassess",
                         response_json=result.model_dump_json(), reassessed_from=record.id)


@router.get("/assessments/{row_id}/reassess", response_class=HTMLResponse)
async def reassess(request: Request,
                   row_id: Annotated[int, PathParameter(ge=1, le=MAX_ROW_ID)]) -> Response:
    """A recorded case re-assessed under the current rules: what moved since it was recorded."""
    store = audit.store_of(request)
    if store is None:
        return _error_page([_NO_STORE], 404)
    try:
        record = await run_in_threadpool(store.get, row_id)
    except StoreError as exc:
        return _error_page(audit.unavailable(exc).problems, 503)
    if record is None:
        return _error_page([FieldProblem("row_id", f"no recorded assessment {row_id}")], 404)
    try:
        result, prepared = await services.compute(_reassessed, record, audit.actor_of(request))
    except CaseValidationError as exc:
        return _error_page(exc.problems)
    page = _page("reassess.html", record=record.summary(), result=result)
    return await _recorded(request, page, [prepared])


@router.get("/assessments/case/{case_sha256}", response_class=HTMLResponse)
async def recorded_report(request: Request, case_sha256: Annotated[str, PathParameter(pattern="^[0-9a-f]{64}$")]) -> Response:
    """The full report of the newest record of a case, by the SHA-256 of its canonical JSON (the link of a
    CDS Hooks card: it names no patient)."""
    store = audit.store_of(request)
    if store is None:
        return _error_page([_NO_STORE], 404)
    try:
        record = await run_in_threadpool(store.latest_for_case, case_sha256)
    except StoreError as exc:
        return _error_page(audit.unavailable(exc).problems, 503)
    if record is None:
        return _error_page([FieldProblem("case_sha256", "no recorded assessment of this case")], 404)
    case, assessment = record.to_case(), record.to_assessment()
    fragment = Markup(services.report_fragment(assessment, case))  # our own renderer, autoescaped
    return _page("result.html", assessment=assessment, fragment=fragment, case_json=_case_json(case),
                 version="",  # CDS Hooks assessments use the default PREDICT version
                 fhir=services.fhir_exporter() is not None, whatif_fields=form.scalar_fields())


@router.post("/signout")
def signout() -> Response:
    """End the web session (its cookie is removed) and go back to the sign-in page."""
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(security.SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response


def signin_page(message: str = "", status_code: int = 401) -> HTMLResponse:
    """The page shown instead of any web page without a valid session (it shows no patient data)."""
    return _page("signin.html", status_code, message=message)


def problem_page(field: str, message: str, status_code: int) -> HTMLResponse:
    """An error page naming one problem (e.g. a form without its CSRF token)."""
    return _error_page([FieldProblem(field, message)], status_code)
