"""The server-rendered web UI: case form -> tumour-board answer, treatments, what-if and downloads.

Stateless: the result page carries the validated case as JSON in hidden form fields, and downloads,
treatment toggles, what-if and "edit" post it back. Pages work without JavaScript; ``static/form.js``
only adds and removes deposit rows in place, moves focus to an error summary and offers the right
input for the quick what-if (without it, the same buttons round-trip to the server).
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParameter
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from micromets.api import audit, board, form, guard, security, services
from micromets.api.errors import InvalidRequest
from micromets.api.limits import MAX_FORM_FIELDS
from micromets.errors import CaseValidationError, FieldProblem, UnknownVersionError
from micromets.model import Assessment, Case, parse_case
from micromets.model.strict_json import loads_strict, printable
from micromets.report._common import (
    answer_warnings,
    deferrals,
    only_to_discuss,
    percent,
    split_warnings,
    treatment_label,
    unmodelled_treatments,
)
from micromets.report.labels import after_neoadjuvant
from micromets.store import AuditEntry, StoreError, entry

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")

_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True))
_env.globals.update(input_id=form.input_id, choice_label=form.choice_label, empty_label=form.empty_label,
                    percent=percent, treatment_label=treatment_label, output_label=board.output_label,
                    input_label=board.input_label, value_text=board.value_text, decision_text=board.decision_text,
                    tone=board.tone, glyph=board.glyph, message_in_words=board.message_in_words, json_attr=lambda v: json.dumps(v, ensure_ascii=False),
                    choice_labels=lambda choices: [form.choice_label(c) for c in choices])


def _csrf_field() -> Markup:
    """The hidden CSRF field every POST form carries (the token of this request's session)."""
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(security.current_csrf_token())


_env.globals.update(csrf_field=_csrf_field, signed_in=lambda: bool(security.current_csrf_token()),
                    url=guard.current_url)


def _page(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = _env.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code, headers={"Content-Security-Policy": _CSP})


#: The inputs that may carry several values: check boxes (the form's multiple choices, the treatment toggles).
_REPEATABLE = frozenset({f.path for s in form.SECTIONS for f in s.fields if f.kind == "multi"} | {"treat"})


async def _form_data(request: Request) -> dict[str, list[str]]:
    """The submitted fields by name; a field that takes one value sent more than once is an ``InvalidRequest``
    naming it (OWASP HTTP Parameter Pollution: which of the values was meant is not known, so none is taken)."""
    if (problem := _not_utf8(request.headers.get("content-type", ""), await request.body())) is not None:
        raise InvalidRequest([problem])
    submitted = await request.form(max_fields=MAX_FORM_FIELDS)
    data: dict[str, list[str]] = {}
    for key, value in submitted.multi_items():
        if isinstance(value, str):
            data.setdefault(key, []).append(value)
    repeated = [FieldProblem(printable(name, 80), f"was sent {len(values)} times; send it once")
                for name, values in data.items() if len(values) > 1 and name not in _REPEATABLE]
    if repeated:
        raise InvalidRequest(repeated[:20])
    return data


def _not_utf8(content_type: str, body: bytes) -> FieldProblem | None:
    """A problem for a form body that is not UTF-8 text, else ``None``. The pages are UTF-8, so a browser sends
    UTF-8 (WHATWG HTML, "application/x-www-form-urlencoded" encoding uses the page's encoding); Starlette would
    read other bytes silently as Latin-1, or as U+FFFD replacement characters when percent-encoded, and a
    case id would be recorded as something never typed."""
    media = content_type.partition(";")[0].strip().lower()
    raw = urllib.parse.unquote_to_bytes(body) if media == "application/x-www-form-urlencoded" else body
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return FieldProblem("(form)", f"is not UTF-8 text (byte 0x{raw[exc.start:exc.start + 1].hex()} is not valid "
                                      "UTF-8); send the form from this server's pages")
    return None


def _first(data: dict[str, list[str]], name: str) -> str:
    return (data.get(name) or [""])[0].strip()


def _versions() -> list[str]:
    return services.prognosis_versions()


def _form_page(values: dict[str, Any], *, problems: list[FieldProblem] | None = None, status_code: int = 200,
               example: str = "", version: str = "", extra_row: bool = False, notice: str = "",
               needed: list[board.MissingView] | None = None, whatif_of: str = "") -> HTMLResponse:
    """The case form; ``whatif_of`` (the original case as JSON) makes it the what-if form of that case."""
    rows = form.deposit_rows(values, minimum=0)
    if extra_row or not rows:
        rows.append({})
    errors: dict[str, str] = {}
    summary = []
    for problem in problems or []:
        target = form.error_target(problem.field, len(rows))
        message = board.message_in_words(problem.field, problem.message)
        label = board.input_label(target or problem.field)
        if target is not None:
            errors.setdefault(target, message)
        # a contradiction is marked at every field it involves: either may be the wrong one
        others = [t for r in problem.related if (t := form.error_target(r, len(rows))) is not None and t != target]
        for other in others:
            errors.setdefault(other, board.conflict_in_words(label, message, marked_there=target is not None))
        anchor = target or (others[0] if others else None)
        summary.append({"field": problem.field, "label": label,
                        "message": message, "anchor": form.input_id(anchor) if anchor else None})
    # each input the report needs is marked beside it too, not only in the list at the top
    needed_inputs = {target for m in needed or [] if (target := form.error_target(m.field, len(rows)))}
    versions = _versions()
    return _page("form.html", status_code, sections=form.SECTIONS, deposit_fields=form.DEPOSIT_FIELDS,
                 needed_inputs=needed_inputs,
                 values=values, rows=rows, errors=errors, summary=summary, examples=services.example_names(),
                 example=example, versions=versions, version=version or (versions[-1] if versions else ""),
                 notice=notice, needed=needed or [], whatif_of=whatif_of)


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


def _enough(assessment: Assessment) -> bool:
    """A report is worth showing when at least the stage or the survival estimate could be computed."""
    return assessment.staging.anatomic_stage is not None or assessment.prognosis is not None


def _assessed(case: Case, version: str) -> tuple[Case, Assessment]:
    case = board.complete_treatments(case, version or None)
    return case, services.assess_case(case, version or None)


def _result_context(case: Case, assessment: Assessment, version: str) -> dict[str, Any]:
    recommendations, refs = board.recommendation_views(assessment)
    case_data = case.model_dump(mode="json", exclude_none=True)
    toggles = board.toggles(case, assessment)
    return {
        "a": assessment, "case": case, "case_json": _case_json(case), "version": version,
        "decisions": board.decision_views(assessment.decisions, deferrals(assessment),
                                           board.decision_strengths(assessment)), "missing": board.missing_views(assessment),
        "prognosis_reasons": board.prognosis_reasons(assessment) if assessment.prognosis is None else [],
        "toggles": toggles, "changed_from_recommended": [t for t in toggles if t.included != t.recommended],
        "recommendations": recommendations, "refs": refs, "chemotherapy_choices": board.CHEMOTHERAPY_CHOICES,
        "fhir": services.fhir_exporter() is not None, "whatif_groups": form.whatif_groups(case_data),
        "case_values": form.flatten(case_data), "check_first": split_warnings(assessment)[0],
        "answer_warnings": answer_warnings(assessment), "unmodelled": unmodelled_treatments(assessment),
        "only_to_discuss": only_to_discuss(assessment),
        "after_neoadjuvant": after_neoadjuvant(assessment.staging.t, assessment.staging.n),
        "evaluated_text": " + ".join(treatment_label(t) for t in assessment.prognosis.treatments_evaluated)
        if assessment.prognosis and assessment.prognosis.treatments_evaluated else "none evaluated",
        "fragment": Markup(services.report_fragment(assessment, case)),  # our own renderer, autoescaped
    }


def _result_page(case: Case, version: str, actor: str | None, *,
                 gate: bool = False) -> tuple[HTMLResponse, AuditEntry] | list[board.MissingView]:
    """The result page and its audit record; with ``gate``, the missing inputs instead when too little is known."""
    case, assessment = _assessed(case, version)
    if gate and not _enough(assessment):
        return board.missing_views(assessment)
    page = _page("result.html", **_result_context(case, assessment, version))
    return page, entry(case, assessment, source="web", actor=actor, output="html", response=bytes(page.body))


async def _recorded(request: Request, response: Response, entries: list[AuditEntry]) -> Response:
    """``response`` once its records are committed; the 503 error page when they cannot be."""
    try:
        await audit.record(request, entries)
    except InvalidRequest as exc:
        return _error_page(exc.problems, exc.status_code)
    return response


_NOT_ENOUGH = FieldProblem("(case)", "Too little is known for a report: neither the stage nor the survival "
                                     "estimate can be computed. Enter at least the inputs listed below.")


@router.post("/assess", response_class=HTMLResponse)
async def submit(request: Request) -> Response:
    """Form submission: validate, then show the report (or the form again with inline errors)."""
    try:
        data = await _form_data(request)
    except InvalidRequest as exc:
        return _error_page(exc.problems)
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
        answer = await services.compute(_result_page_gated, case, version, audit.actor_of(request))
    except UnknownVersionError as exc:
        return _form_page(values, problems=[FieldProblem("prognosis_version", str(exc))], status_code=422)
    if isinstance(answer, list):
        return _form_page(values, problems=[_NOT_ENOUGH], status_code=422, version=version, needed=answer)
    page, prepared = answer
    return await _recorded(request, page, [prepared])


def _result_page_gated(case: Case, version: str,
                       actor: str | None) -> tuple[HTMLResponse, AuditEntry] | list[board.MissingView]:
    return _result_page(case, version, actor, gate=True)


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


def _with_toggles(case: Case, data: dict[str, list[str]]) -> Case:
    """The case with the treatment toggles of the result page applied (or reset to the recommended set)."""
    current = case.treatments.model_dump(exclude_none=True) if case.treatments is not None else None
    if _first(data, "treatments") == "reset":
        kept = {k: v for k, v in (current or {}).items() if k == "heart_dose_gy"}
        chosen: dict[str, Any] | None = kept or None
    else:
        chosen = board.treatments_from_toggles(data, current)
    case_data = case.model_dump(mode="json", exclude_none=True)
    case_data.pop("treatments", None)
    if chosen:
        case_data["treatments"] = chosen
    return parse_case(case_data)


@router.post("/report", response_class=HTMLResponse)
async def report(request: Request) -> Response:
    """The report of a case posted as JSON (``case_json``), e.g. back from the what-if page.

    With ``treatments`` = ``apply`` (the toggles of the result page) the posted toggles become the set of
    treatments evaluated; ``reset`` goes back to the recommended set.
    """
    try:
        case, version, data = await _posted_case(request)
        if _first(data, "treatments") in ("apply", "reset"):
            case = _with_toggles(case, data)
    except (CaseValidationError, InvalidRequest) as exc:
        return _error_page(exc.problems)
    answer = await services.compute(_result_page, case, version, audit.actor_of(request))
    assert not isinstance(answer, list)  # ungated
    page, prepared = answer
    return await _recorded(request, page, [prepared])


@router.post("/edit", response_class=HTMLResponse)
async def edit(request: Request) -> HTMLResponse:
    """The form prefilled with a posted case, to change it and assess again."""
    return await _prefilled_form(request, whatif=False)


@router.post("/whatif/form", response_class=HTMLResponse)
async def whatif_form(request: Request) -> HTMLResponse:
    """The whole form prefilled with a posted case: change any inputs, then see what changes."""
    return await _prefilled_form(request, whatif=True)


async def _prefilled_form(request: Request, *, whatif: bool) -> HTMLResponse:
    """The form filled with the posted case; ``whatif``: submitting it compares with that case."""
    try:
        case, version, _ = await _posted_case(request)
    except (CaseValidationError, InvalidRequest) as exc:
        return _error_page(exc.problems)
    return _form_page(form.flatten(case.model_dump(mode="json", exclude_none=True)), version=version,
                      whatif_of=_case_json(case) if whatif else "")


def _whatif(case: Case, version: str, changes: dict[str, Any]) -> Any:
    from micromets.whatif import apply_changes, whatif

    before_data = case.model_dump(mode="json", exclude_none=True)
    if any(path.startswith("treatments.") for path in changes):
        # Choosing one treatment keeps the others as they were (recommended unless set): never a silent new set.
        changed = board.complete_treatments(parse_case(apply_changes(before_data, changes)), version or None)
        assert changed.treatments is not None
        for name in board.TREATMENTS:
            changes.setdefault(f"treatments.{name}", getattr(changed.treatments, name))
    try:
        return whatif(before_data, changes, prognosis_version=version or None)
    except (CaseValidationError, UnknownVersionError):
        raise
    except (ValueError, KeyError) as exc:
        raise InvalidRequest([FieldProblem("value", str(exc))]) from None


def _quick_change(case: Case, data: dict[str, list[str]]) -> tuple[str, Any]:
    """The one change of the quick what-if: a field the form offers and its value, typed as the form types it."""
    case_data = case.model_dump(mode="json", exclude_none=True)
    path = _first(data, "field")
    offered = {p: f for _, fields in form.whatif_groups(case_data) for p, _, f in fields}
    if path not in offered:
        raise InvalidRequest([FieldProblem("field", "choose a field to change")])
    raw = _first(data, "value")
    spec = offered[path]
    choices = spec.choices if spec.kind == "select" else ("true", "false") if spec.kind == "bool" else ()
    if choices and raw:
        # Without JavaScript the value is typed: the code or its label (``yes``, ``third generation``) will do.
        by_label = {form.choice_label(c).casefold(): c for c in choices} | {c.casefold(): c for c in choices}
        if raw.casefold() not in by_label:
            allowed = ", ".join(form.choice_label(c) for c in choices)
            raise InvalidRequest([FieldProblem("value", f"{board.input_label(path)}: choose one of {allowed}")])
        raw = by_label[raw.casefold()]
    return path, form.convert(spec, raw) if raw else None


@router.post("/whatif", response_class=HTMLResponse)
async def what_if(request: Request) -> Response:
    """Try a change to the case and show what changes in the assessment.

    Either one field and its value (``field``, ``value``: the quick what-if of the result page) or the
    whole form (``whatif_of`` carries the original case; every input that differs is a change).
    """
    try:
        case, version, data = await _posted_case(request)
    except (CaseValidationError, InvalidRequest) as exc:
        return _error_page(exc.problems)
    context: dict[str, Any] = {"case_json": _case_json(case), "version": version, "problems": [], "result": None,
                               "changes": [], "whatif_groups": form.whatif_groups(case.model_dump(mode="json",
                                                                                                  exclude_none=True)),
                               "field": _first(data, "field"), "value": _first(data, "value"),
                               "case_values": form.flatten(case.model_dump(mode="json", exclude_none=True))}
    try:
        if _first(data, "mode") == "form":
            if _first(data, "action") == "add_deposit" or _first(data, "action").startswith("remove_deposit:"):
                values = form.flatten(form.case_data_from_form(data))
                action = _first(data, "action")
                if action.startswith("remove_deposit:"):
                    values = _without_row(values, action.removeprefix("remove_deposit:"))
                return _form_page(values, version=version, extra_row=action == "add_deposit",
                                  whatif_of=_case_json(case))
            after = form.case_data_from_form(data)
            try:
                after_case = parse_case(after)
            except CaseValidationError as exc:
                return _form_page(form.flatten(after), problems=exc.problems, status_code=422, version=version,
                                  whatif_of=_case_json(case))
            # Both sides as the model writes them (defaults included), so only real differences count.
            changes = board.case_changes(case.model_dump(mode="json", exclude_none=True),
                                         after_case.model_dump(mode="json", exclude_none=True))
        else:
            path, value = _quick_change(case, data)
            changes = {path: value}
        before_values = board.leaves(case.model_dump(mode="json", exclude_none=True))
        shown = [{"path": p, "label": board.input_label(p), "before": before_values.get(p), "after": v}
                 for p, v in changes.items()]
        context["changes"] = shown
        if not changes:
            context["problems"] = [FieldProblem("(what-if)", "no input was changed")]
            return _page("whatif.html", 422, **context)
        context["result"] = result = await services.compute(_whatif, case, version, dict(changes))
    except (CaseValidationError, InvalidRequest) as exc:
        context["problems"] = exc.problems
        return _page("whatif.html", 422, **context)
    except UnknownVersionError as exc:
        context["problems"] = [FieldProblem("prognosis_version", str(exc))]
        return _page("whatif.html", 422, **context)
    from micromets.whatif import apply_changes

    context["after_json"] = json.dumps(apply_changes(case.model_dump(mode="json", exclude_none=True),
                                                     dict(result.changes)), separators=(",", ":"))
    page = _page("whatif.html", **context)
    answer = json.dumps(result.as_dict(), separators=(",", ":"), ensure_ascii=False, allow_nan=False)
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


async def _stored_record(request: Request, lookup: Callable[[Any], Any], absent: FieldProblem) -> Any:
    """One record from the audit store, or the error page saying why there is none (no store, store down, absent)."""
    store = audit.store_of(request)
    if store is None:
        return _error_page([_NO_STORE], 404)
    try:
        record = await run_in_threadpool(lookup, store)
    except StoreError as exc:
        return _error_page(audit.unavailable(exc).problems, 503)
    return _error_page([absent], 404) if record is None else record


def _reassessed(record: Any, actor: str | None) -> tuple[Any, AuditEntry]:
    from micromets.store.review import reassess_case

    case, assessment, result = reassess_case(record)
    return result, entry(case, assessment, source="reassess", actor=actor, output="reassess",
                         response_json=result.model_dump_json(), reassessed_from=record.id)


@router.get("/assessments/{row_id}/reassess", response_class=HTMLResponse)
def reassess_by_get() -> Response:
    """GET must be safe (RFC 9110 section 9.2.1) and re-assessing records a row: 405, pointing to the button."""
    page = _error_page([FieldProblem("(method)", "re-assessing records a new row: use the \u201cRe-assess\u201d "
                                     "button on the audit trail page (/assessments)")], 405)
    page.headers["Allow"] = "POST"
    return page


@router.post("/assessments/{row_id}/reassess", response_class=HTMLResponse)
async def reassess(request: Request,
                   row_id: audit.RowId) -> Response:
    """A recorded case re-assessed under the current rules: what moved since it was recorded (a POST with the
    CSRF token, from the audit trail's button: it records a new row)."""
    record = await _stored_record(request, lambda store: store.get(row_id),
                                  FieldProblem("row_id", f"no recorded assessment {row_id}"))
    if isinstance(record, Response):
        return record
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
    record = await _stored_record(request, lambda store: store.latest_for_case(case_sha256),
                                  FieldProblem("case_sha256", "no recorded assessment of this case"))
    if isinstance(record, Response):
        return record
    case, assessment = record.to_case(), record.to_assessment()
    # CDS Hooks assessments use the default PREDICT version ("").
    return _page("result.html", **_result_context(case, assessment, ""))


async def _end_session(request: Request, session: security.WebSession) -> None:
    """Record ``session`` as signed out on every worker (until its cookie would have expired anyway)."""
    expires = dt.datetime.fromtimestamp(session.expires, dt.UTC)
    await run_in_threadpool(request.app.state.access.revoke_session, session.sid, expires)


def _signed_out(request: Request) -> Response:
    response = RedirectResponse(guard.local_url(request.scope, "/"), status_code=303)
    name, path, secure = guard.cookie_spec(request.scope, request.app.state.settings, security.SESSION_COOKIE)
    response.delete_cookie(name, path=path, secure=secure, httponly=True, samesite="strict")
    return response


@router.post("/signout")
async def signout(request: Request) -> Response:
    """End the web session and go back to the sign-in page. The session is recorded as signed out in the
    access tables (every worker refuses its cookie from now on, a copy of it included), then the cookie
    is removed. If that record cannot be written, say so and keep the cookie: the user may try again."""
    try:
        await _end_session(request, request.state.web_session)
    except StoreError:
        return problem_page("(session)", "signing out could not be recorded (database unavailable), so this "
                            "session would stay valid until it expires; try again, or tell the administrator", 503)
    return _signed_out(request)


@router.post("/signout-everywhere")
async def signout_everywhere(request: Request) -> Response:
    """End every web session of this account (the sign-in link's name), in every browser and on every worker,
    this one included (OWASP Session Management Cheat Sheet: a way to close all other active sessions, e.g.
    after a lost device). API tokens are separate credentials: ``micromets token revoke`` ends those."""
    session: security.WebSession = request.state.web_session
    try:
        await run_in_threadpool(request.app.state.access.end_sessions, session.name)
    except StoreError:
        return problem_page("(session)", "signing out everywhere could not be recorded (database unavailable), "
                            "so your sessions stay valid; try again, or tell the administrator", 503)
    return _signed_out(request)


@router.post(guard.SIGNIN_PATH)
async def signin(request: Request) -> Response:
    """The sign-in confirmation form (``guard`` checked its CSRF token): use up the link and open a new
    session, in place of any session this browser had (session fixation: never keep a session id from before
    the sign-in; OWASP Session Management Cheat Sheet, "Renew the Session ID After Any Privilege Level Change").

    A browser signed in as another account than the page said (the page of a link opened from another site is
    fetched without the ``SameSite=Strict`` session cookie) is shown the page again, now saying so: another
    user's link never switches accounts unnoticed (login CSRF)."""
    try:
        data = await _form_data(request)
    except InvalidRequest as exc:
        return _error_page(exc.problems)
    link, target, replaces = _first(data, "token"), guard.safe_target(_first(data, "next")), _first(data, "replaces")
    access = request.app.state.access
    current: security.WebSession | None = getattr(request.state, "web_session", None)
    try:
        account = await run_in_threadpool(access.login_token_name, link)
        if account is None:
            return signin_page(LINK_NOT_VALID, signed_in_as=current.name if current else None)
        if current is not None and current.name not in (replaces, account):
            return signin_confirmation(account=account, current=current.name, link=link, target=target,
                                       csrf=_first(data, "csrf_token"), status_code=409)
        name = await run_in_threadpool(access.consume_login_token, link)
        if name is None:  # used up by someone else since it was looked at
            return signin_page(LINK_NOT_VALID, signed_in_as=current.name if current else None)
        if current is not None:
            await _end_session(request, current)
        generation = await run_in_threadpool(access.session_generation, name)
    except StoreError:
        return signin_page("Sign-in is not possible now (database unavailable).", 503)
    settings: security.SecuritySettings = request.app.state.settings
    cookie, _ = security.new_session_cookie(settings.session_secret, name, access.now(), settings.session_lifetime,
                                            generation)
    response = RedirectResponse(guard.local_url(request.scope, target), status_code=303)
    name, path, secure = guard.cookie_spec(request.scope, settings, security.SESSION_COOKIE)
    response.set_cookie(name, cookie, max_age=int(settings.session_lifetime.total_seconds()), path=path,
                        secure=secure, httponly=True, samesite="strict")
    signin_name, _, _ = guard.cookie_spec(request.scope, settings, security.SIGNIN_COOKIE)
    response.delete_cookie(signin_name, path=path, secure=secure, httponly=True, samesite="strict")
    return response


#: What a used, expired or mistyped sign-in link gets (one answer for the three: it tells a prober nothing).
LINK_NOT_VALID = "This sign-in link is not valid: it was already used, has expired, or was mistyped."


def signin_page(message: str = "", status_code: int = 401, *, signed_in_as: str | None = None) -> HTMLResponse:
    """The page shown instead of any web page without a valid session (it shows no patient data)."""
    return _page("signin.html", status_code, message=message, signed_in_as=signed_in_as)


def signin_confirmation(*, account: str, current: str | None, link: str, target: str, csrf: str,
                        status_code: int = 200) -> HTMLResponse:
    """The page a sign-in link opens: the account it signs in to and a button that signs in. Nothing is used up
    by showing it. The link is in the form, so the page is never stored and never sent as a referrer."""
    page = _page("signin_confirm.html", status_code, account=account, current=current, link=link, target=target,
                 signin_csrf=csrf)
    page.headers["Cache-Control"] = "no-store"
    page.headers["Referrer-Policy"] = "no-referrer"
    return page


def problem_page(field: str, message: str, status_code: int) -> HTMLResponse:
    """An error page naming one problem (e.g. a form without its CSRF token)."""
    return _error_page([FieldProblem(field, message)], status_code)
