"""CDS Hooks service (https://cds-hooks.hl7.org/): discovery, the service and its feedback endpoint.

One service, ``micromets-breast-micromets`` on the ``patient-view`` hook. The patient's data come in
``prefetch`` (FHIR resources or Bundles); prefetch keys the client left out are asked of its FHIR server
when the request carries ``fhirServer`` and ``fhirAuthorization`` (``micromets.api.cdsfetch``; 412 when
that fails). The response is ``{"cards": [...]}``: a summary card (with a link to the full report when
assessments are recorded), one card per decision that is ``recommended`` or ``discuss``, and warning
cards for missing data or prefetch that cannot be used. Bad prefetch gives a card, a malformed request a
422. ``POST /cds-services/{id}/feedback`` takes the spec's feedback (what the clinician did with a card)
and records it as an audit event::

    >>> from fastapi import FastAPI
    >>> from fastapi.testclient import TestClient
    >>> app = FastAPI(); app.include_router(router)
    >>> TestClient(app).get("/cds-services").json()["services"][0]["id"]
    'micromets-breast-micromets'
"""

from __future__ import annotations

import hashlib
import json
import logging
import marshal
import re
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from micromets.api import audit, services
from micromets.api.errors import ErrorBody, InvalidRequest, decode_json
from micromets.api.guard import local_url
from micromets.errors import CaseValidationError, FieldProblem
from micromets.interop.fhir_id import FHIR_ID
from micromets.model import INSUFFICIENT_DATA, Assessment, Case, Prognosis
from micromets.model.assessment import DECISION_VALUES, DECLINED, DEFERRED
from micromets.model.strict_json import printable
from micromets.report.labels import (
    after_neoadjuvant,
    decision_label,
    field_label,
    stage_labels,
    treatment_label,
    value_label,
)

if TYPE_CHECKING:
    from micromets.store import AuditEntry

__all__ = ["SERVICE_ID", "build_cards", "discovery", "report_link", "router"]

_log = logging.getLogger(__name__)

SERVICE_ID = "micromets-breast-micromets"
HOOK = "patient-view"
SUMMARY_MAX = 139  # the spec: "<140-character summary"
PREFETCH = {
    "patient": "Patient/{{context.patientId}}",
    "conditions": "Condition?patient={{context.patientId}}",
    "observations": "Observation?patient={{context.patientId}}",
    # radiotherapy given before (mCODE RadiotherapyCourseSummary): conditions.prior_chest_radiotherapy
    "procedures": "Procedure?patient={{context.patientId}}",
}
#: Keys added after clients registered the first three: asked of the FHIR server only when the access token's scope
#: grants their search (a token issued for Patient, Condition and Observation alone is not refused a card for them).
_OPTIONAL = {"procedures": "Procedure"}
#: A SMART scope granting search of a resource type: v1 ``patient/Procedure.read``, ``user/*.read``, ``.*``; v2
#: ``patient/Procedure.rs`` (permissions from c, r, u, d, s in that order; ``s`` is search), optional query after ``?``.
_SCOPE = re.compile(r"(?:patient|user|system)/(?P<type>[A-Za-z]+|\*)\.(?P<perm>read|\*|c?r?u?d?s?)(?:\?\S*)?")
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "http://micromets.local/cds-services")
_NO_FETCH = ("Send the data in prefetch, or send fhirServer and fhirAuthorization so that micromets can ask the "
             "FHIR server for the prefetch keys left out.")

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
                             "Bundle) as prefetch, and the Procedures for radiotherapy given before. " + _NO_FETCH
                             + " Feedback on cards is recorded.",
    }]}


def _short(text: str, limit: int = SUMMARY_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


#: What turns text into markup in a card's detail, which the EHR renders as GitHub Flavored Markdown (CDS Hooks
#: "Card"): raw HTML and autolinks (<, >), entities (&), links and images ([, ]), code spans (`) and escapes (\\).
_MARKDOWN_ACTIVE = re.compile(r"([\\`\[\]<>&])")


def _md(text: object) -> str:
    """Text that may echo the request (a FHIR value, a patient id, a field problem) as literal Markdown: each active
    character backslash-escaped (CommonMark "Backslash escapes"), line breaks flattened so it cannot open a block.

    >>> _md("Patient/<img src=x onerror=alert(1)> [x](javascript:y)")
    'Patient/\\\\<img src=x onerror=alert(1)\\\\> \\\\[x\\\\](javascript:y)'
    """
    return _MARKDOWN_ACTIVE.sub(r"\\\1", " ".join(str(text).split()))


def _code_span(text: str) -> str:
    """``text`` in a Markdown code span, shown literally; only a backtick could end the span early."""
    return "`" + " ".join(text.replace("`", "'").split()) + "`"


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


def _summary_card(a: Assessment, hook_instance: str, report_url: str | None = None) -> dict[str, Any]:
    s = a.staging
    tnm = " ".join(x for x in (s.t, s.n, s.m) if x)
    # the same headline stage as the web page and the PDF: anatomic first, then the prognostic stage, each labelled
    before_therapy = after_neoadjuvant(s.t, s.n)
    stages = ", ".join(f"{name.lower()} {value}" for name, value in stage_labels(
        s.anatomic_stage, s.pathological_prognostic_stage, s.clinical_prognostic_stage, before_therapy=before_therapy))
    key_decisions = [f"{_words(k)}: {_words(v)}" for k, v in a.decisions.items()
                     if v not in ("not_indicated", "not_applicable")]
    summary = f"{tnm or 'TNM unknown'}: {stages} ({s.edition})"
    if key_decisions:
        summary += "; " + "; ".join(key_decisions[:3])
    lines = [f"**Stage ({s.edition})**: {tnm or '–'}; anatomic {s.anatomic_stage or '–'}, pathological prognostic "
             f"{s.pathological_prognostic_stage or '–'}, clinical prognostic"
             f"{' before neoadjuvant therapy' if before_therapy else ''} {s.clinical_prognostic_stage or '–'}", "",
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
    links = [{"label": "Full micromets report", "url": report_url, "type": "absolute"}] if report_url else None
    return _card(summary, "\n".join(lines), "info", "summary", hook_instance, links)


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
        lines += [f"- {_md(field_label(x.input))}: {_md(x.value_used)}. {_md(x.note)}" for x in p.assumptions]
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
        lines += [f"- {_md(field_label(m.field))}: {_md(m.why)}" for m in a.missing]
        cards.append(_card(f"More data needed for: {names}", "\n".join(lines), "warning", "missing", hook_instance))
    if a.warnings:
        cards.append(_card(f"{len(a.warnings)} warning(s) about this assessment",
                           "\n".join(f"- {_md(w)}" for w in a.warnings), "warning", "warnings", hook_instance))
    return cards


def report_link(base_url: str, case: Case) -> str:
    """The absolute URL of the web page with the full report of ``case`` as recorded (the newest record of
    exactly this case, found by the SHA-256 of its canonical JSON: no patient data in the URL)."""
    from micromets.store import case_sha256

    return _report_url(base_url, case_sha256(case))


def _report_url(base_url: str, case_sha256: str) -> str:
    return f"{base_url.rstrip('/')}/assessments/case/{case_sha256}"


def build_cards(assessment: Assessment, hook_instance: str, report_url: str | None = None) -> list[dict[str, Any]]:
    """The cards for one assessment: summary (linking to ``report_url``), decisions to act on, missing data and
    warnings."""
    return ([_summary_card(assessment, hook_instance, report_url)] + _decision_cards(assessment, hook_instance)
            + _preference_cards(assessment, hook_instance) + _competing_risk_card(assessment, hook_instance)
            + _data_cards(assessment, hook_instance))


def _problem_card(problems: list[FieldProblem], hook_instance: str, summary: str) -> dict[str, Any]:
    # The field may hold a prefetch key as sent (any length): shown shortened, as every other echo of input is.
    lines = [f"- {_code_span(printable(p.field, 120))}: {_md(p.message)}" for p in problems]
    return _card(summary, "\n".join(lines) + "\n\n" + _NO_FETCH, "warning", "prefetch", hook_instance)


def _check_request(body: Any) -> tuple[str, str, dict[str, Any]]:
    """The hook instance, the patient in context and the prefetch of a valid patient-view request."""
    if not isinstance(body, dict):
        raise InvalidRequest([FieldProblem("(body)", "a CDS Hooks request must be a JSON object")])
    problems = []
    for name in ("hook", "hookInstance"):
        if not isinstance(body.get(name), str) or not body[name]:
            problems.append(FieldProblem(name, "is required (a string)"))
    if isinstance(body.get("hookInstance"), str) and body["hookInstance"] and not _UUID.fullmatch(body["hookInstance"]):
        # CDS Hooks 2.0, "HTTP Request": hookInstance is "a universally unique identifier (UUID) for this particular
        # hook call". Card uuids are derived from it, so an arbitrary text (megabytes, a patient name) is refused
        # and never echoed.
        problems.append(FieldProblem("hookInstance", "must be a UUID (8-4-4-4-12 hexadecimal digits, e.g. "
                                                     "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea)"))
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
    elif not FHIR_ID.fullmatch(context["patientId"]):
        # patient-view: "The FHIR Patient.id" (FHIR R4 id: micromets.interop.fhir_id). Anything else (a look-alike
        # letter, a path, megabytes echoed into a card) names no patient of the EHR.
        # The value is not echoed: it may be a patient identifier in another form (an MRN with a slash...).
        problems.append(FieldProblem("context.patientId", "must be a FHIR id: 1 to 64 letters A-Z/a-z, digits, "
                                                          "'-' or '.' (FHIR R4 id)"))
    problems += _fhir_access_problems(body)
    if problems:
        raise InvalidRequest(problems)
    return str(body["hookInstance"]), str(body["context"]["patientId"]), prefetch or {}


def _fhir_access_problems(body: dict[str, Any]) -> list[FieldProblem]:
    """The spec's request fields for FHIR access: ``fhirServer`` (a URL, REQUIRED with ``fhirAuthorization``)
    and ``fhirAuthorization`` (``access_token`` REQUIRED, ``token_type`` fixed ``Bearer``)."""
    server, authorization = body.get("fhirServer"), body.get("fhirAuthorization")
    problems = []
    # The scheme is case-insensitive (RFC 3986 section 3.1): HTTPS:// is an https URL.
    if server is not None and (not isinstance(server, str) or not server.lower().startswith(("https://", "http://"))):
        problems.append(FieldProblem("fhirServer", "must be the base URL of the FHIR server"))
    if authorization is None:
        return problems
    if not isinstance(authorization, dict):
        return [*problems, FieldProblem("fhirAuthorization", "must be an object")]
    if server is None:
        problems.append(FieldProblem("fhirServer", "is required when fhirAuthorization is sent"))
    token = authorization.get("access_token")
    if not isinstance(token, str) or not token:
        problems.append(FieldProblem("fhirAuthorization.access_token", "is required (the OAuth 2.0 access token)"))
    elif len(token) > 8192 or not _B64TOKEN.fullmatch(token):
        # It is sent as "Authorization: Bearer <token>", whose syntax is b64token (RFC 6750 section 2.1): any other
        # character (a letter outside ASCII, a control character) cannot be sent in the header.
        problems.append(FieldProblem("fhirAuthorization.access_token", "must be an OAuth 2.0 bearer token (RFC 6750: "
                                                                       "letters, digits, -._~+/ and trailing =, at "
                                                                       "most 8192 characters)"))
    if str(authorization.get("token_type", "Bearer")).lower() != "bearer":
        problems.append(FieldProblem("fhirAuthorization.token_type", "must be Bearer"))
    return problems


#: A UUID in its string form (RFC 9562 section 4: 8-4-4-4-12 hexadecimal digits, either case).
_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
#: RFC 6750 ``b64token``: a bearer access token.
_B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
#: The most prefetch keys a card names (a request may hold thousands).
_KEYS_SHOWN = 10


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


@dataclass(frozen=True)
class _Fetch:
    """A valid request whose prefetch must first be completed from the FHIR server."""

    body: dict[str, Any]
    hook_instance: str
    patient_id: str
    prefetch: dict[str, Any]


def _answer_raw(raw: bytes, actor: str | None, link_base: str | None) -> tuple[str, list[AuditEntry]] | _Fetch:
    """:func:`_answer` for a request body as received, or what to fetch first."""
    body = decode_json(raw)
    hook_instance, patient_id, prefetch = _check_request(body)
    if _to_fetch(body, prefetch):
        return _Fetch(body, hook_instance, patient_id, prefetch)
    return _answer(hook_instance, patient_id, prefetch, actor, link_base)


def _answer(hook_instance: str, patient_id: str, prefetch: dict[str, Any],
            actor: str | None, link_base: str | None = None) -> tuple[str, list[AuditEntry]]:
    """The response body and, when a case was assessed, its record (the cards returned)."""
    from micromets.store import entry

    answer, assessed = _cards(hook_instance, patient_id, prefetch, link_base)
    body = json.dumps(answer, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    if assessed is None:
        return body, []
    case, assessment, chart = assessed
    return body, [entry(case, assessment, source="cds-hooks", actor=actor, output="cards", response_json=body,
                        assessment_json=chart.assessment_json)]


@dataclass(frozen=True)
class _Chart:
    """What a chart's data gave, kept as text: the canonical case JSON, the assessment JSON, the case's SHA-256 and
    the import's warnings.

    Text, not the objects, because strings are invisible to the garbage collector: a few hundred charts' worth
    of pydantic objects made every full collection walk ~100,000 more objects (measured: pauses up to 178 ms,
    in the tail of every call behind them). Both parse back to equal objects (tests/snapshot/test_round_trip.py).
    """

    case_json: str
    assessment_json: str
    case_sha256: str
    import_warnings: tuple[str, ...]

    def objects(self) -> tuple[Case, Assessment]:
        return Case.model_validate_json(self.case_json), Assessment.model_validate_json(self.assessment_json)


def _cards(hook_instance: str, patient_id: str, prefetch: dict[str, Any],
           link_base: str | None = None) -> tuple[dict[str, Any], tuple[Case, Assessment, _Chart] | None]:
    key = _RECENT.key(patient_id, prefetch)
    chart = _RECENT.get(key)
    if chart is None:
        fresh = _chart(hook_instance, patient_id, prefetch)
        if isinstance(fresh, dict):  # the data cannot be used: the card says why
            return fresh, None
        case, assessment, chart = fresh
        _RECENT.put(key, chart)
    else:
        case, assessment = chart.objects()
    link = _report_url(link_base, chart.case_sha256) if link_base else None
    warnings = chart.import_warnings
    # Each import warning once, on its own card: the assessment carries them too (with_import_notes, "FHIR import:"
    # for the report and the REST answer), so the card of the assessment's warnings leaves them out.
    from micromets.interop.fhir.import_ import IMPORT_WARNING_PREFIX

    imported = {IMPORT_WARNING_PREFIX + w for w in warnings}
    shown = assessment if not imported else assessment.model_copy(
        update={"warnings": [w for w in assessment.warnings if w not in imported]})
    cards = build_cards(shown, hook_instance, link)
    if warnings:
        cards.append(_card(f"{len(warnings)} FHIR import warning(s): values read but not used, notes on the record",
                           "\n".join(f"- {_md(w)}" for w in warnings), "warning", "import", hook_instance))
    return {"cards": cards}, (case, assessment, chart)


def _chart(hook_instance: str, patient_id: str,
           prefetch: dict[str, Any]) -> tuple[Case, Assessment, _Chart] | dict[str, Any]:
    """The imported case, its assessment and their text for the recent charts, or the answer (a problem card) when
    the prefetch cannot be used."""
    from micromets.assess import assess
    from micromets.interop.fhir import import_resources, with_import_notes
    from micromets.store import canonical_case_json

    try:
        resources, absent = _resources(prefetch)
        if not any(r.get("resourceType") == "Observation" for r in resources):
            keys = sorted(set(absent))
            missing = ", ".join(printable(k) for k in keys[:_KEYS_SHOWN]) or "observations"
            if len(keys) > _KEYS_SHOWN:
                missing += f" and {len(keys) - _KEYS_SHOWN} more"
            problem = FieldProblem("prefetch", f"no Observation resources were sent (absent or empty: {missing})")
            return {"cards": [_problem_card([problem], hook_instance, "micromets: the patient's data were not sent")]}
        imported = import_resources(resources, patient_id=patient_id)
    except CaseValidationError as exc:
        return {"cards": [_problem_card(exc.problems, hook_instance,
                                        "micromets: the FHIR data cannot be used as they are")]}
    # What the import could not use (e.g. ER "positive" without a percentage) is missing data the card must name.
    case = imported.case
    assessment = with_import_notes(assess(case), imported)
    case_json = canonical_case_json(case)
    chart = _Chart(case_json, assessment.model_dump_json(), hashlib.sha256(case_json.encode()).hexdigest(),
                   tuple(imported.warnings))
    return case, assessment, chart


class _RecentCharts:
    """The import and assessment of the charts this worker process saw last, by the SHA-256 of the patient id and
    the prefetch as decoded.

    patient-view fires each time a clinician opens a chart, so the same patient's unchanged data come back again
    and again; both steps are pure functions of these data under the process's one rule set, so an unchanged chart
    is neither checked nor imported nor assessed twice. Any change to any resource changes the key. Only cards
    (they carry the hook instance) and the audit record are made anew for every call. Bounded: the oldest entry
    goes first; nothing is kept beyond the process.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[bytes, _Chart] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(patient_id: str, prefetch: dict[str, Any]) -> bytes:
        # marshal writes decoded JSON (dicts, lists, strings, numbers) faithfully at C speed, three times faster
        # than json.dumps: equal bytes mean equal data. Equal data built differently may give other bytes (a
        # miss, never a wrong hit).
        return hashlib.sha256(marshal.dumps((patient_id, prefetch))).digest()

    def get(self, key: bytes) -> _Chart | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: bytes, chart: _Chart) -> _Chart:
        with self._lock:
            self._items[key] = chart
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return chart


#: A few hundred charts: ~30 kB of text each.
_RECENT = _RecentCharts(256)


def _base_url(request: Request) -> str:
    """Where clients reach this server: ``--public-url``, else the request's own scheme, host and root path."""
    settings = getattr(request.app.state, "settings", None)
    public = getattr(settings, "public_url", None)
    if isinstance(public, str) and public:
        return public.rstrip("/")
    host = request.headers.get("host", "")
    # The root path as the guard builds local URLs: a root_path of '/' must not make '//assessments'.
    return f"{request.url.scheme}://{host}{local_url(request.scope, '').rstrip('/')}"


def _to_fetch(body: dict[str, Any], prefetch: dict[str, Any]) -> list[str]:
    """The prefetch keys to ask of the FHIR server: those left out, when the request gives FHIR access."""
    authorization = body.get("fhirAuthorization")
    if not isinstance(authorization, dict):
        return []
    return [key for key in PREFETCH if key not in prefetch
            and (key not in _OPTIONAL or _scope_grants(authorization.get("scope"), _OPTIONAL[key]))]


def _scope_grants(scope: Any, resource_type: str) -> bool:
    """Whether an OAuth scope string (SMART App Launch v1 or v2) grants searching ``resource_type``::

        >>> _scope_grants("user/Patient.read patient/Procedure.rs", "Procedure"), _scope_grants("patient/*.read", "Procedure")
        (True, True)
        >>> _scope_grants("user/Patient.read user/Observation.read", "Procedure"), _scope_grants(None, "Procedure")
        (False, False)
    """
    if not isinstance(scope, str):
        return False
    for token in scope.split()[:200]:
        match = _SCOPE.fullmatch(token)
        if match is None or match["type"] not in (resource_type, "*"):
            continue
        if match["perm"] in ("read", "*") or "s" in match["perm"]:
            return True
    return False


async def _fetched(request: Request, body: dict[str, Any], patient_id: str, prefetch: dict[str, Any]) -> dict[str, Any]:
    """``prefetch`` completed from the client's FHIR server when it sent ``fhirServer`` and ``fhirAuthorization``
    and left keys out; unchanged otherwise. 412 (the spec's status for data that cannot be had) on failure."""
    from micromets.api.cdsfetch import FetchError, fetch_missing

    missing = _to_fetch(body, prefetch)
    if not missing:
        return prefetch
    authorization = body["fhirAuthorization"]
    client = getattr(request.state, "cds_client", None)
    server = client.allowed_fhir_server(str(body["fhirServer"])) if client is not None else None
    if server is None:
        raise InvalidRequest([FieldProblem("fhirServer", "is not one of the FHIR servers micromets may query for this CDS "
                                           "client (fhir_servers in the CDS trust file); send the data in prefetch")], status_code=412)
    try:
        fetched = await fetch_missing(server, str(authorization["access_token"]), PREFETCH,
                                      {**body["context"], "patientId": patient_id}, missing)
    except FetchError as exc:
        _log.warning("CDS Hooks prefetch from the FHIR server failed: %s", exc)
        raise InvalidRequest([FieldProblem("fhirServer", f"{exc}; send the data in prefetch")], status_code=412) from None
    return {**prefetch, **fetched}


@router.get("/cds-services")
def cds_discovery() -> dict[str, Any]:
    """CDS Hooks discovery: the services this server offers."""
    return discovery()


def _unknown_service(service_id: str) -> InvalidRequest:
    return InvalidRequest([FieldProblem("service_id", f"unknown CDS service {service_id[:60]!r}")], status_code=404)


@router.post("/cds-services/{service_id}", responses={404: {"model": ErrorBody}, 422: {"model": ErrorBody}})
async def cds_service(service_id: str, request: Request) -> Response:
    """Call the micromets CDS service with a CDS Hooks request; returns ``{"cards": [...]}``."""
    if service_id != SERVICE_ID:
        raise _unknown_service(service_id)
    raw = await request.body()
    link_base = _base_url(request) if audit.store_of(request) is not None else None
    actor = audit.actor_of(request)
    # Decoded in turn, not on arrival: a call waiting in the queue holds its body as bytes, not as thousands of
    # objects that the garbage collector would walk again and again (measured: ~15 % of a call's CPU at 50 calls).
    outcome = await services.compute(_answer_raw, raw, actor, link_base, on_loop=True)
    if isinstance(outcome, _Fetch):
        prefetch = await _fetched(request, outcome.body, outcome.patient_id, outcome.prefetch)
        outcome = await services.compute(_answer, outcome.hook_instance, outcome.patient_id, prefetch, actor,
                                         link_base, on_loop=True)
    answer, entries = outcome
    await audit.record(request, entries)  # the cards of an assessed case are returned once recorded
    return Response(answer, media_type="application/json")


_OUTCOMES = ("accepted", "overridden")
_MAX_FEEDBACK = 100


def _check_feedback(body: Any) -> list[dict[str, Any]]:
    """The feedback items of a valid feedback request (CDS Hooks 2.0, "Feedback"), as recorded."""
    if not isinstance(body, dict) or not isinstance(body.get("feedback"), list) or not body["feedback"]:
        raise InvalidRequest([FieldProblem("feedback", "is required: a non-empty array of Feedback")])
    if len(body["feedback"]) > _MAX_FEEDBACK:
        raise InvalidRequest([FieldProblem("feedback", f"at most {_MAX_FEEDBACK} items in one request")])
    problems: list[FieldProblem] = []
    items = []
    for i, item in enumerate(body["feedback"]):
        at = f"feedback[{i}]"
        if not isinstance(item, dict):
            problems.append(FieldProblem(at, "must be an object"))
            continue
        card, outcome, when = item.get("card"), item.get("outcome"), item.get("outcomeTimestamp")
        if card is None:
            problems.append(FieldProblem(f"{at}.card", "is required: the card.uuid of the response (a UUID)"))
        elif not isinstance(card, str) or not _UUID.fullmatch(card):
            # "The card.uuid from the CDS Hooks response"; micromets' card uuids are UUIDs (uuid5), so anything else
            # names no card of ours. Not echoed: it is free text that would otherwise reach the audit trail.
            problems.append(FieldProblem(f"{at}.card", "must be the card.uuid of the response: a UUID (8-4-4-4-12 "
                                                       "hexadecimal digits, e.g. 4e0a3a1e-3283-4575-ab82-028d55fe2719)"))
        if outcome is None:
            problems.append(FieldProblem(f"{at}.outcome", "is required: accepted or overridden"))
        elif outcome not in _OUTCOMES:
            problems.append(FieldProblem(f"{at}.outcome", "must be accepted or overridden"))
        if not isinstance(when, str) or not _utc_timestamp(when):
            problems.append(FieldProblem(f"{at}.outcomeTimestamp", "is required: an ISO 8601 / RFC 3339 date-time in "
                                                                   "UTC (e.g. 2020-12-11T00:00:00Z)"))
        accepted = item.get("acceptedSuggestions")
        # When sent (with either outcome) it is the spec's array of AcceptedSuggestion, {"id": the suggestion's
        # uuid} and nothing else: it is recorded as sent, so no free text rides along into the audit trail.
        if (outcome == "accepted" or accepted is not None) and not (isinstance(accepted, list) and accepted and all(
                isinstance(a, dict) and set(a) == {"id"} and isinstance(a["id"], str) and _UUID.fullmatch(a["id"])
                for a in accepted)):
            problems.append(FieldProblem(f"{at}.acceptedSuggestions", "is required for an accepted outcome: "
                                                                      "[{\"id\": the suggestion's uuid}, ...]"))
        reason = item.get("overrideReason")
        if reason is not None and not _override_reason_ok(reason):
            problems.append(FieldProblem(f"{at}.overrideReason", "must be {\"reason\": Coding {\"code\", \"system\"}, "
                                                                 "\"userComment\": text}"))
        elif isinstance(reason, dict) and _CONTROL.search(reason.get("userComment", "")):
            problems.append(FieldProblem(f"{at}.overrideReason.userComment", "must be text: a control character "
                                                                             "other than a line break or tab is not"))
        items.append({k: item[k] for k in ("card", "outcome", "outcomeTimestamp", "acceptedSuggestions",
                                            "overrideReason") if k in item})
    if problems:
        raise InvalidRequest(problems)
    if len(json.dumps(items)) > 64 * 1024:
        raise InvalidRequest([FieldProblem("feedback", "is too large to record (64 KiB)")])
    return items


def _override_reason_ok(reason: Any) -> bool:
    """The spec's OverrideReason: ``reason`` a Coding (``code`` and ``system`` REQUIRED strings, ``display``
    optional), ``userComment`` text; either may be left out."""
    if not isinstance(reason, dict) or not set(reason) <= {"reason", "userComment"}:
        return False
    coding = reason.get("reason")
    if coding is not None and not (isinstance(coding, dict) and set(coding) <= {"code", "system", "display"}
                                   and all(isinstance(coding.get(k), str) and coding[k] for k in ("code", "system"))
                                   and isinstance(coding.get("display", ""), str)
                                   and not any(_CONTROL.search(v) or "\t" in v or "\n" in v or "\r" in v
                                               for v in coding.values())):
        return False
    return isinstance(reason.get("userComment", ""), str)


#: Control characters a recorded text may not hold (line breaks and tabs aside): they are no part of a clinician's
#: comment or a Coding, and the audit trail records what it is sent (OWASP Logging Cheat Sheet, event data
#: sanitisation; the same rule as the JWT's jti, tenant and sub). The store keeps them JSON-escaped either way.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: RFC 3339 section 5.6 ``date-time`` with a zero ``time-offset`` (``Z``, ``+00:00`` or ``-00:00``); T and Z in either
#: case (its NOTE). Python's ``fromisoformat`` alone also takes ISO week dates, the basic format and a trailing NUL.
_RFC3339_UTC = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]00:00)", re.ASCII)


def _utc_timestamp(text: str) -> bool:
    """An RFC 3339 date-time in UTC, as the spec's ``outcomeTimestamp`` ("ISO timestamp in UTC when action was
    taken on card"): ``Z`` or a zero offset.

    >>> _utc_timestamp("2020-12-11T00:00:00Z"), _utc_timestamp("2020-12-11T01:00:00+01:00"), _utc_timestamp("2020-12-11")
    (True, False, False)
    >>> _utc_timestamp("2020-12-11T00:00:00Z\\x00"), _utc_timestamp("2020-W50-5T00:00:00Z")
    (False, False)
    """
    import datetime as dt

    if not _RFC3339_UTC.fullmatch(text):
        return False
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return "T" in text.upper() and moment.utcoffset() == dt.timedelta(0)


@router.post("/cds-services/{service_id}/feedback", responses={404: {"model": ErrorBody}, 422: {"model": ErrorBody}})
async def cds_feedback(service_id: str, request: Request) -> Response:
    """The CDS client's feedback on cards (accepted or overridden), recorded as an audit event ``cds-feedback``."""
    from starlette.concurrency import run_in_threadpool

    from micromets.store import StoreError

    if service_id != SERVICE_ID:
        raise _unknown_service(service_id)
    items = _check_feedback(decode_json(await request.body()))
    store = audit.store_of(request)
    if store is not None:
        detail = {"service": service_id, "feedback": items}
        try:
            await run_in_threadpool(store.record_event, "cds-feedback", actor=audit.actor_of(request), detail=detail)
        except StoreError as exc:
            audit.unavailable(exc)  # logs the cause
            raise InvalidRequest([FieldProblem("(store)", "the audit store is unavailable, so the feedback was not "
                                                          "recorded; send it again later")], status_code=503) from None
    return Response("{}", media_type="application/json")
