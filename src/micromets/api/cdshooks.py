"""CDS Hooks service (https://cds-hooks.hl7.org/): ``GET /cds-services`` and ``POST /cds-services/{id}``.

One service, ``micromets-breast-micromets`` on the ``patient-view`` hook. The patient's data must come
in ``prefetch`` (FHIR resources or Bundles); micromets never calls the EHR's FHIR server, even when
``fhirServer``/``fhirAuthorization`` are sent (no network calls). The response is ``{"cards": [...]}``:
a summary card, one card per decision that is ``recommended`` or ``discuss``, and warning cards for
missing data or prefetch that cannot be used. Bad prefetch gives a card, a malformed request a 422::

    >>> from fastapi import FastAPI
    >>> from fastapi.testclient import TestClient
    >>> app = FastAPI(); app.include_router(router)
    >>> TestClient(app).get("/cds-services").json()["services"][0]["id"]
    'micromets-breast-micromets'
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from micromets.api import audit
from micromets.api.errors import ErrorBody, InvalidRequest, decode_json
from micromets.errors import CaseValidationError, FieldProblem
from micromets.model import INSUFFICIENT_DATA, Assessment, Case

if TYPE_CHECKING:
    from micromets.store import AuditEntry

__all__ = ["SERVICE_ID", "build_cards", "discovery", "router"]

SERVICE_ID = "micromets-breast-micromets"
HOOK = "patient-view"
SUMMARY_MAX = 139  # the spec: "<140-character summary"
PREFETCH = {
    "patient": "Patient/{{context.patientId}}",
    "conditions": "Condition?patient={{context.patientId}}",
    "observations": "Observation?patient={{context.patientId}}",
}
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "http://micromets.local/cds-services")
_NO_FETCH = ("micromets does not query the FHIR server itself (no network calls, even when fhirServer and "
             "fhirAuthorization are sent): the EHR must send the data in prefetch.")

# Not in the OpenAPI document: CDS clients discover the service through GET /cds-services (the spec's own
# discovery), and the REST API's OpenAPI listing stays the REST contract.
router = APIRouter(tags=["cds-hooks"], include_in_schema=False)


def discovery() -> dict[str, Any]:
    """The CDS Hooks discovery document."""
    return {"services": [{
        "hook": HOOK,
        "id": SERVICE_ID,
        "title": "micromets: early breast cancer with nodal micrometastases",
        "description": "AJCC 8 stage, PREDICT prognosis and guideline-based decisions (axillary surgery, "
                       "systemic therapy, radiotherapy) from the patient's mCODE data. Decision support only.",
        "prefetch": dict(PREFETCH),
        "usageRequirements": "Send the patient's Patient, Condition and Observation resources (mCODE/micromets "
                             "Bundle) as prefetch. " + _NO_FETCH,
    }]}


def _short(text: str, limit: int = SUMMARY_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _source() -> dict[str, str]:
    from micromets.assess import micromets_version

    return {"label": f"micromets {micromets_version()} (decision support; check before acting)"}


def _card(summary: str, detail: str, indicator: str, key: str, hook_instance: str,
          links: list[dict[str, str]] | None = None) -> dict[str, Any]:
    card: dict[str, Any] = {
        "uuid": str(uuid.uuid5(_NAMESPACE, f"{hook_instance}/{key}")),
        "summary": _short(summary), "detail": detail, "indicator": indicator, "source": _source(),
    }
    if links:
        card["links"] = links
    return card


_ACRONYMS = {"her2": "HER2", "rt": "RT", "alnd": "ALND", "cdk46": "CDK4/6", "slnb": "SLNB"}


def _words(value: str) -> str:
    """A snake_case key or value in words: ``"her2_therapy"`` -> ``"HER2 therapy"``."""
    return " ".join(_ACRONYMS.get(w, w) for w in value.split("_"))


def _summary_card(a: Assessment, hook_instance: str) -> dict[str, Any]:
    s = a.staging
    tnm = " ".join(x for x in (s.t, s.n, s.m) if x)
    stage = s.pathological_prognostic_stage or s.clinical_prognostic_stage or s.anatomic_stage
    key_decisions = [f"{_words(k)}: {_words(v)}" for k, v in a.decisions.items()
                     if v not in ("not_indicated", "not_applicable")]
    summary = f"{tnm or 'TNM unknown'}, stage {stage or 'unknown'} ({s.edition})"
    if key_decisions:
        summary += "; " + "; ".join(key_decisions[:3])
    lines = [f"**Stage ({s.edition})**: {tnm or '–'}; anatomic {s.anatomic_stage or '–'}, pathological prognostic "
             f"{s.pathological_prognostic_stage or '–'}, clinical prognostic {s.clinical_prognostic_stage or '–'}", "",
             "**Decisions**", ""]
    lines += [f"- {_words(k)}: **{_words(v)}**" for k, v in a.decisions.items()]
    if a.prognosis is not None:
        p = a.prognosis
        os = ", ".join(f"{y} y {100 * v:.0f}%" for y, v in zip(p.years, p.overall_survival.with_treatments, strict=True))
        lines += ["", f"**{p.model} v{p.model_version}** overall survival with "
                      f"{' + '.join(p.treatments_evaluated) or 'surgery only'}: {os}"]
    lines += ["", "Decision support only: every output must be checked by the treating team."]
    return _card(summary, "\n".join(lines), "info", "summary", hook_instance)


def _decision_cards(a: Assessment, hook_instance: str) -> list[dict[str, Any]]:
    from micromets.guidelines import decision_key
    from micromets.knowledge.evidence import evidence_registry

    registry = evidence_registry()
    cards = []
    for key, value in a.decisions.items():
        if value not in ("recommended", "discuss"):
            continue
        recs = [r for r in a.recommendations if decision_key(r.id) == key]
        lines: list[str] = []
        links: list[dict[str, str]] = []
        for rec in recs:
            lines += [rec.text, "", f"*Why*: {rec.rationale}", f"*Strength*: {rec.strength}",
                      f"*Would change if*: {rec.would_change_if}", "", "*Evidence*:"]
            for eid in rec.evidence:
                record = registry.get(eid)
                lines.append(f"- {eid}: {record.citation}" if record else f"- {eid}")
                if record and record.url and all(link["url"] != record.url for link in links):
                    links.append({"label": eid, "url": record.url, "type": "absolute"})
            lines.append("")
        first = recs[0].text if recs else ""
        summary = f"{_words(key)[:1].upper()}{_words(key)[1:]}: {_words(value)}" + (f" – {first}" if first else "")
        cards.append(_card(summary, "\n".join(lines).strip() or "No recommendation text.", "info",
                           f"decision/{key}", hook_instance, links or None))
    return cards


def _data_cards(a: Assessment, hook_instance: str) -> list[dict[str, Any]]:
    cards = []
    insufficient = [k for k, v in a.decisions.items() if v == INSUFFICIENT_DATA]
    if insufficient or a.missing:
        names = ", ".join(_words(k) for k in insufficient) or "stage or prognosis"
        lines = [f"Decisions that cannot be made yet: {names}.", "", "**Missing data**", ""]
        lines += [f"- `{m.field}`: {m.why}" for m in a.missing]
        cards.append(_card(f"More data needed for: {names}", "\n".join(lines), "warning", "missing", hook_instance))
    if a.warnings:
        cards.append(_card(f"{len(a.warnings)} warning(s) about this assessment",
                           "\n".join(f"- {w}" for w in a.warnings), "warning", "warnings", hook_instance))
    return cards


def build_cards(assessment: Assessment, hook_instance: str) -> list[dict[str, Any]]:
    """The cards for one assessment: summary, decisions to act on, missing data and warnings."""
    return ([_summary_card(assessment, hook_instance)] + _decision_cards(assessment, hook_instance)
            + _data_cards(assessment, hook_instance))


def _problem_card(problems: list[FieldProblem], hook_instance: str, summary: str) -> dict[str, Any]:
    lines = [f"- `{p.field}`: {p.message}" for p in problems]
    return _card(summary, "\n".join(lines) + "\n\n" + _NO_FETCH, "warning", "prefetch", hook_instance)


def _check_request(body: Any) -> tuple[str, dict[str, Any]]:
    if not isinstance(body, dict):
        raise InvalidRequest([FieldProblem("(body)", "a CDS Hooks request must be a JSON object")])
    problems = []
    for name in ("hook", "hookInstance"):
        if not isinstance(body.get(name), str) or not body[name]:
            problems.append(FieldProblem(name, "is required (a string)"))
    if "context" in body and not isinstance(body["context"], dict):
        problems.append(FieldProblem("context", "must be an object"))
    prefetch = body.get("prefetch")
    if prefetch is not None and not isinstance(prefetch, dict):
        problems.append(FieldProblem("prefetch", "must be an object of prefetch key -> FHIR resource"))
    if not problems and body["hook"] != HOOK:
        problems.append(FieldProblem("hook", f"this service answers the {HOOK!r} hook; got {body['hook'][:40]!r}"))
    if problems:
        raise InvalidRequest(problems)
    return str(body["hookInstance"]), prefetch or {}


def _resources(prefetch: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    from micromets.interop.fhir import resources_in

    found: list[dict[str, Any]] = []
    absent: list[str] = []
    for key in sorted(prefetch):
        value = prefetch[key]
        if value is None:
            absent.append(key)
            continue
        found.extend(resources_in(value, f"prefetch.{key}"))
    absent += [k for k in PREFETCH if k not in prefetch]
    return found, absent


def _answer(hook_instance: str, prefetch: dict[str, Any], actor: str | None) -> tuple[str, list[AuditEntry]]:
    """The response body and, when a case was assessed, its record (the cards returned)."""
    from micromets.store import entry

    answer, case, assessment = _cards(hook_instance, prefetch)
    body = json.dumps(answer, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    if case is None or assessment is None:
        return body, []
    return body, [entry(case, assessment, source="cds-hooks", actor=actor, output="cards", response_json=body)]


def _cards(hook_instance: str, prefetch: dict[str, Any]) -> tuple[dict[str, Any], Case | None, Assessment | None]:
    from micromets.assess import assess
    from micromets.interop.fhir import case_from_resources

    try:
        resources, absent = _resources(prefetch)
        if not any(r.get("resourceType") == "Observation" for r in resources):
            missing = ", ".join(sorted(set(absent))) or "observations"
            problem = FieldProblem("prefetch", f"no Observation resources were sent (absent or empty: {missing})")
            card = _problem_card([problem], hook_instance, "micromets: the patient's data were not sent")
            return {"cards": [card]}, None, None
        case: Case = case_from_resources(resources)
    except CaseValidationError as exc:
        card = _problem_card(exc.problems, hook_instance, "micromets: the FHIR data cannot be used as they are")
        return {"cards": [card]}, None, None
    assessment = assess(case)
    return {"cards": build_cards(assessment, hook_instance)}, case, assessment


@router.get("/cds-services")
def cds_discovery() -> dict[str, Any]:
    """CDS Hooks discovery: the services this server offers."""
    return discovery()


@router.post("/cds-services/{service_id}", responses={404: {"model": ErrorBody}, 422: {"model": ErrorBody}})
async def cds_service(service_id: str, request: Request) -> Response:
    """Call the micromets CDS service with a CDS Hooks request; returns ``{"cards": [...]}``."""
    if service_id != SERVICE_ID:
        raise InvalidRequest([FieldProblem("service_id", f"unknown CDS service {service_id[:60]!r}")], status_code=404)
    hook_instance, prefetch = _check_request(decode_json(await request.body()))
    body, entries = await run_in_threadpool(_answer, hook_instance, prefetch, audit.actor_of(request))
    await audit.record(request, entries)  # the cards of an assessed case are returned once recorded
    return Response(body, media_type="application/json")
