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
from fastapi.responses import Response

from micromets.api import audit, services
from micromets.api.errors import ErrorBody, InvalidRequest, decode_json
from micromets.errors import CaseValidationError, FieldProblem
from micromets.model import INSUFFICIENT_DATA, Assessment, Case, Prognosis
from micromets.model.assessment import DECISION_VALUES, DECLINED, DEFERRED
from micromets.report.labels import decision_label, field_label, stage_labels, treatment_label, value_label

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


def _words(value: str) -> str:
    """A decision key or coded value as the reports word it: ``"her2_therapy"`` -> ``"HER2-directed therapy"``."""
    return decision_label(value) if value in DECISION_VALUES else value_label(value)


def _treatments(p: Prognosis) -> str:
    return " + ".join(treatment_label(t).lower() for t in p.treatments_evaluated)


def _summary_card(a: Assessment, hook_instance: str) -> dict[str, Any]:
    s = a.staging
    tnm = " ".join(x for x in (s.t, s.n, s.m) if x)
    # the same headline stage as the web page and the PDF: anatomic first, then the prognostic stage, each labelled
    stages = ", ".join(f"{name.lower()} {value}" for name, value in stage_labels(
        s.anatomic_stage, s.pathological_prognostic_stage, s.clinical_prognostic_stage))
    key_decisions = [f"{_words(k)}: {_words(v)}" for k, v in a.decisions.items()
                     if v not in ("not_indicated", "not_applicable")]
    summary = f"{tnm or 'TNM unknown'}: {stages} ({s.edition})"
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
                      f"{_treatments(p) or 'surgery only'}: {os}"]
        deaths = _deaths_line(p)
        if deaths:
            lines.append(deaths)
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


#: PREDICT's treatment column for each decision key that it models (the benefit a refusal forgoes).
_PREDICT_TREATMENT = {"chemotherapy": "chemotherapy", "endocrine": "endocrine", "her2_therapy": "trastuzumab",
                      "bisphosphonate": "bisphosphonate", "whole_breast_rt": "radiotherapy",
                      "post_mastectomy_rt": "radiotherapy"}


def _at_ten(p: Prognosis) -> int:
    return p.years.index(10) if 10 in p.years else len(p.years) - 1


def _deaths_line(p: Prognosis) -> str | None:
    other = p.other_cause_mortality
    if other is None:
        return None
    k = _at_ten(p)
    arm = f"with {_treatments(p)}" if p.treatments_evaluated else "after surgery alone"
    return (f"**Deaths at {p.years[k]} years** {arm}: breast cancer {100 * p.breast_cancer_mortality.with_treatments[k]:.1f}%, "
            f"other causes {100 * other.with_treatments[k]:.1f}%")


def _competing_risk_card(a: Assessment, hook_instance: str) -> list[dict[str, Any]]:
    """Breast-cancer deaths beside other-cause deaths, with the model's assumptions; a warning when PREDICT's
    other-cause figure overstates this patient's life expectancy."""
    from micromets.prognosis.assumptions import is_other_cause_caveat

    p = a.prognosis
    if p is None or p.other_cause_mortality is None:
        return []
    k = _at_ten(p)
    breast, other = p.breast_cancer_mortality.with_treatments[k], p.other_cause_mortality.with_treatments[k]
    caveats = [x for x in p.assumptions if is_other_cause_caveat(x)]
    summary = (f"Deaths at {p.years[k]} y: breast cancer {100 * breast:.1f}% vs other causes {100 * other:.1f}%"
               + (" (PREDICT likely overstates life expectancy)" if caveats else ""))
    header = "| | " + " | ".join(f"{y} y" for y in p.years) + " |"
    lines = [f"PREDICT v{p.model_version}, cumulative deaths by cause:", "", header,
             "|---|" + "---|" * len(p.years)]
    arms = [("surgery only", p.breast_cancer_mortality.surgery_only, p.other_cause_mortality.surgery_only)]
    if p.treatments_evaluated:
        arms.append((_treatments(p), p.breast_cancer_mortality.with_treatments,
                     p.other_cause_mortality.with_treatments))
    for arm, b_values, o_values in arms:
        lines.append(f"| breast cancer, {arm} | " + " | ".join(f"{100 * v:.1f}%" for v in b_values) + " |")
        lines.append(f"| other causes, {arm} | " + " | ".join(f"{100 * v:.1f}%" for v in o_values) + " |")
    if p.assumptions:
        lines += ["", "**Assumptions behind these figures**", ""]
        lines += [f"- {field_label(x.input)}: {x.value_used}. {x.note}" for x in p.assumptions]
    return [_card(summary, "\n".join(lines), "warning" if caveats else "info", "competing-risks", hook_instance)]


def _preference_cards(a: Assessment, hook_instance: str) -> list[dict[str, Any]]:
    """One card per decision the patient declined or that is deferred, with what the rules decided and, when
    PREDICT evaluated that treatment, the survival gain it gives."""
    from micromets.guidelines import decision_key

    cards = []
    for key, value in a.decisions.items():
        if value not in (DECLINED, DEFERRED):
            continue
        recs = [r for r in a.recommendations if decision_key(r.id) == key]
        clinical = next((r.clinical_decision for r in recs if r.clinical_decision), None)
        summary = f"{_words(key)[:1].upper()}{_words(key)[1:]}: " + (
            "declined by the patient" if value == DECLINED else "deferred")
        if clinical:
            summary += f" (the rules: {_words(clinical)})"
        lines = [f"{r.text}\n\n*Why*: {r.rationale}" for r in recs]
        gain = _forgone_gain(a, key)
        if gain:
            lines.append(gain)
        cards.append(_card(summary, "\n\n".join(lines) or summary, "info" if value == DECLINED else "warning",
                           f"preference/{key}", hook_instance))
    return cards


def _forgone_gain(a: Assessment, key: str) -> str | None:
    p = a.prognosis
    treatment = _PREDICT_TREATMENT.get(key)
    if p is None or treatment is None:
        return None
    for benefit in p.incremental_benefit:
        if benefit.treatment == treatment:
            gains = ", ".join(f"{y} y {100 * g:+.1f}%" for y, g in zip(p.years, benefit.overall_survival_gain,
                                                                        strict=True))
            return f"*PREDICT v{p.model_version}*: overall survival gain of {treatment_label(treatment).lower()}: {gains}"
    return None


def _data_cards(a: Assessment, hook_instance: str) -> list[dict[str, Any]]:
    cards = []
    insufficient = [k for k, v in a.decisions.items() if v == INSUFFICIENT_DATA]
    if insufficient or a.missing:
        names = ", ".join(_words(k) for k in insufficient) or "stage or prognosis"
        lines = [f"Decisions that cannot be made yet: {names}.", "", "**Missing data**", ""]
        lines += [f"- {field_label(m.field)}: {m.why}" for m in a.missing]
        cards.append(_card(f"More data needed for: {names}", "\n".join(lines), "warning", "missing", hook_instance))
    if a.warnings:
        cards.append(_card(f"{len(a.warnings)} warning(s) about this assessment",
                           "\n".join(f"- {w}" for w in a.warnings), "warning", "warnings", hook_instance))
    return cards


def build_cards(assessment: Assessment, hook_instance: str) -> list[dict[str, Any]]:
    """The cards for one assessment: summary, decisions to act on, missing data and warnings."""
    return ([_summary_card(assessment, hook_instance)] + _decision_cards(assessment, hook_instance)
            + _preference_cards(assessment, hook_instance) + _competing_risk_card(assessment, hook_instance)
            + _data_cards(assessment, hook_instance))


def _problem_card(problems: list[FieldProblem], hook_instance: str, summary: str) -> dict[str, Any]:
    lines = [f"- `{p.field}`: {p.message}" for p in problems]
    return _card(summary, "\n".join(lines) + "\n\n" + _NO_FETCH, "warning", "prefetch", hook_instance)


def _check_request(body: Any) -> tuple[str, str, dict[str, Any]]:
    """The hook instance, the patient in context and the prefetch of a valid patient-view request."""
    if not isinstance(body, dict):
        raise InvalidRequest([FieldProblem("(body)", "a CDS Hooks request must be a JSON object")])
    problems = []
    for name in ("hook", "hookInstance"):
        if not isinstance(body.get(name), str) or not body[name]:
            problems.append(FieldProblem(name, "is required (a string)"))
    prefetch = body.get("prefetch")
    if prefetch is not None and not isinstance(prefetch, dict):
        problems.append(FieldProblem("prefetch", "must be an object of prefetch key -> FHIR resource"))
    if isinstance(body.get("hook"), str) and body["hook"] and body["hook"] != HOOK:
        problems.insert(0, FieldProblem("hook", f"this service answers the {HOOK!r} hook; got {body['hook'][:40]!r}"))
    context = body.get("context")
    if not isinstance(context, dict):
        problems.append(FieldProblem("context", "is required (an object with the patient-view patientId)"))
    elif not isinstance(context.get("patientId"), str) or not context["patientId"]:
        # patient-view requires it, and it is what the prefetched data must be about (never a wrong patient's).
        problems.append(FieldProblem("context.patientId", "is required (the FHIR id of the patient in context)"))
    if problems:
        raise InvalidRequest(problems)
    return str(body["hookInstance"]), str(body["context"]["patientId"]), prefetch or {}


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


def _answer(hook_instance: str, patient_id: str, prefetch: dict[str, Any],
            actor: str | None) -> tuple[str, list[AuditEntry]]:
    """The response body and, when a case was assessed, its record (the cards returned)."""
    from micromets.store import entry

    answer, case, assessment = _cards(hook_instance, patient_id, prefetch)
    body = json.dumps(answer, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    if case is None or assessment is None:
        return body, []
    return body, [entry(case, assessment, source="cds-hooks", actor=actor, output="cards", response_json=body)]


def _cards(hook_instance: str, patient_id: str,
           prefetch: dict[str, Any]) -> tuple[dict[str, Any], Case | None, Assessment | None]:
    from micromets.assess import assess
    from micromets.interop.fhir import import_resources

    try:
        resources, absent = _resources(prefetch)
        if not any(r.get("resourceType") == "Observation" for r in resources):
            missing = ", ".join(sorted(set(absent))) or "observations"
            problem = FieldProblem("prefetch", f"no Observation resources were sent (absent or empty: {missing})")
            card = _problem_card([problem], hook_instance, "micromets: the patient's data were not sent")
            return {"cards": [card]}, None, None
        imported = import_resources(resources, patient_id=patient_id)
    except CaseValidationError as exc:
        card = _problem_card(exc.problems, hook_instance, "micromets: the FHIR data cannot be used as they are")
        return {"cards": [card]}, None, None
    case: Case = imported.case
    assessment = assess(case)
    cards = build_cards(assessment, hook_instance)
    if imported.warnings:
        cards.append(_card(f"{len(imported.warnings)} FHIR value(s) read but not used",
                           "\n".join(f"- {w}" for w in imported.warnings), "warning", "import", hook_instance))
    return {"cards": cards}, case, assessment


@router.get("/cds-services")
def cds_discovery() -> dict[str, Any]:
    """CDS Hooks discovery: the services this server offers."""
    return discovery()


@router.post("/cds-services/{service_id}", responses={404: {"model": ErrorBody}, 422: {"model": ErrorBody}})
async def cds_service(service_id: str, request: Request) -> Response:
    """Call the micromets CDS service with a CDS Hooks request; returns ``{"cards": [...]}``."""
    if service_id != SERVICE_ID:
        raise InvalidRequest([FieldProblem("service_id", f"unknown CDS service {service_id[:60]!r}")], status_code=404)
    hook_instance, patient_id, prefetch = _check_request(decode_json(await request.body()))
    body, entries = await services.compute(_answer, hook_instance, patient_id, prefetch, audit.actor_of(request))
    await audit.record(request, entries)  # the cards of an assessed case are returned once recorded
    return Response(body, media_type="application/json")
