"""FHIR Bundle (or loose resources) -> contract case dict -> ``Case``.

Reads the Bundles written by ``to_bundle`` and a subset of plain mCODE/US Core data: Patient gender,
tumour size (LOINC 21889-1 / 33728-7), ER/PR/HER2 observations with the numbers micromets needs,
lymph nodes examined (LOINC 92833-3), clinical N and M categories. Resources tagged as micromets
output (stage, prognosis, advice) are skipped: they are recomputed. Nothing is invented: a field the
Bundle does not give stays absent, and a value that cannot become a case field is an error naming
that field. Example::

    >>> bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
    ...     {"resource": {"resourceType": "Patient", "id": "p1", "gender": "female"}},
    ...     {"resource": {"resourceType": "Observation", "status": "final",
    ...                   "code": {"coding": [{"system": "http://loinc.org", "code": "21889-1"}]},
    ...                   "component": [{"code": {"coding": [{"system": "http://loinc.org", "code": "33728-7"}]},
    ...                                  "valueQuantity": {"value": 1.2, "unit": "cm", "code": "cm"}}]}}]}
    >>> case = case_from_bundle(bundle)
    >>> case.id, case.sex, case.tumour.size_mm
    ('p1', 'female', 12.0)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from micromets.errors import CaseValidationError, FieldProblem
from micromets.interop.fhir import codes
from micromets.interop.fhir._context import (
    autoimmune_unknown,
    breast_cancer_kind,
    coded_sex,
    condition_sides,
    is_autoimmune_condition,
    is_comorbidity,
    read_condition,
    read_context_observation,
    read_histology,
    read_other_refusal,
    read_procedure,
    read_quadrant,
    read_secondary_cancers,
    the_breast_cancers,
)
from micromets.interop.fhir._fields import FieldError, decode_value, list_paths
from micromets.interop.fhir._history import (
    PriorRadiotherapy,
    connective_tissue_kind,
    is_radiotherapy,
    is_radiotherapy_history,
    read_connective_tissue_disease,
    read_radiotherapy_history,
)
from micromets.interop.fhir._standard import StandardReader, expand_contained, resolve_references
from micromets.interop.fhir._standard import json_objects as _items
from micromets.interop.fhir._validate import InvalidResource, checked
from micromets.interop.fhir.export import OUTPUT_TAG
from micromets.interop.fhir_id import FHIR_ID_PATTERN
from micromets.model import Assessment, Case, parse_case
from micromets.model.assessment import MissingItem
from micromets.model.strict_json import printable
from micromets.pathology import classify
from micromets.staging.tnm import pathological_n, t_category

__all__ = [
    "ImportedCase", "case_dict_from_resources", "case_from_bundle", "case_from_resources", "import_bundle",
    "check_one_patient", "import_resources", "resources_in", "with_import_notes",
]

_SKIPPED_STATUS = {"entered-in-error", "cancelled"}
#: How an import warning reads among the assessment's warnings (``with_import_notes``).
IMPORT_WARNING_PREFIX = "FHIR import: "


def resources_in(value: Any, where: str = "(bundle)") -> list[dict[str, Any]]:
    """The resources of a Bundle (any type, nested Bundles flattened) or of a single resource.

    References to another entry by its ``fullUrl`` (``urn:uuid:...``) are rewritten as ``Type/id`` (or kept as the
    fullUrl when that entry has no id), so that who a resource is about can be compared across resources.
    """
    aliases: dict[str, str] = {}
    found = _resources_in(value, where, aliases)
    if aliases:
        for resource in found:
            for name in _SUBJECT_FIELDS:
                reference = resource.get(name)
                if isinstance(reference, dict) and reference.get("reference") in aliases:
                    resource[name] = {**reference, "reference": aliases[reference["reference"]]}
    return found


def _resources_in(value: Any, where: str, aliases: dict[str, str]) -> list[dict[str, Any]]:
    if not isinstance(value, dict) or not isinstance(value.get("resourceType"), str):
        raise CaseValidationError([FieldProblem(where, "is not a FHIR resource (a JSON object with resourceType)")])
    if value["resourceType"] != "Bundle":
        return [_validated(value, where)]
    found: list[dict[str, Any]] = []
    entries = value.get("entry") or []
    if not isinstance(entries, list):
        raise CaseValidationError([FieldProblem(f"{where}.entry", "must be a list")])
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise CaseValidationError([FieldProblem(f"{where}.entry[{i}]", "is not a Bundle entry (a JSON object)")])
        resource = entry.get("resource")
        if resource is None:
            # bdl-5: an entry holds a resource unless it reports a request or response (a batch-response's 404)
            if "request" in entry or "response" in entry:
                continue
            raise CaseValidationError([FieldProblem(f"{where}.entry[{i}]", (
                "has no resource (FHIR R4 bdl-5: an entry must have a resource unless it has a request or response)"))])
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        if isinstance(kind, str) and kind != "Bundle":  # most entries: checked here, the place named only on error
            try:
                found.append(checked(kind, resource))
            except InvalidResource as exc:
                raise _invalid(resource, f"{where}.entry[{i}].resource", exc) from None
        else:
            found.extend(_resources_in(resource, f"{where}.entry[{i}].resource", aliases))
        full_url = entry.get("fullUrl")
        if isinstance(full_url, str) and isinstance(resource, dict):
            rid = resource.get("id")
            aliases[full_url] = f"{kind}/{rid}" if isinstance(kind, str) and isinstance(rid, str) else full_url
    return found


#: Where a resource names the patient it is about.
_SUBJECT_FIELDS = ("subject", "patient")


def _patient_reference(reference: str) -> str | None:
    """``Patient/<id>`` for a reference to a Patient (relative, absolute or versioned), else ``None``."""
    parts = reference.split("/")
    if "_history" in parts:
        parts = parts[: parts.index("_history")]
    if len(parts) >= 2 and parts[-2] == "Patient" and parts[-1]:
        return f"Patient/{parts[-1]}"
    return None


def _patients_named(resources: list[dict[str, Any]]) -> set[str]:
    """Every patient the resources are about: Patient resources and the subjects of the others."""
    named: set[str] = set()
    seen: set[str] = set()  # the same reference in every resource: read once
    for resource in resources:
        if resource.get("resourceType") == "Patient":
            if isinstance(resource.get("id"), str):
                named.add(f"Patient/{resource['id']}")
            continue
        for reference in (resource.get("subject"), resource.get("patient")):  # _SUBJECT_FIELDS
            target = reference.get("reference") if isinstance(reference, dict) else None
            if isinstance(target, str) and target not in seen:
                seen.add(target)
                if patient := _patient_reference(target):
                    named.add(patient)
    return named


#: A literal reference to a resource of another type (``Group/g1``, ``https://x/fhir/Device/d1/_history/2``), or a
#: conditional one (``Patient?identifier=...``: a search, whose answer micromets cannot see).
_TYPED_REFERENCE = re.compile(rf"(?:.*/)?([A-Z][A-Za-z]+)/{FHIR_ID_PATTERN}(?:/_history/{FHIR_ID_PATTERN})?")


def _not_about_a_patient(resources: list[dict[str, Any]]) -> list[FieldProblem]:
    """Problems for resources whose ``subject``/``patient`` names something other than a patient: data about a
    Group, a Device or a patient found by a search are not this patient's. (``urn:uuid`` references left as they
    are name no type; a resource without a subject is about the patient the data were sent for.)"""
    problems: list[FieldProblem] = []
    for resource in resources:
        for name in _SUBJECT_FIELDS:
            reference = resource.get(name)
            target = reference.get("reference") if isinstance(reference, dict) else None
            if not isinstance(target, str) or _patient_reference(target) or target.startswith(("urn:", "#")):
                continue
            typed = _TYPED_REFERENCE.fullmatch(target)
            if "?" in target or (typed is not None and typed.group(1) != "Patient"):
                label = f"{resource.get('resourceType')}/{printable(str(resource.get('id', '?')), 64)}"
                problems.append(FieldProblem("(bundle)", (
                    f"{label}.{name} is {printable(target, 80)!r}, not a reference to the patient: data about a "
                    "group, a device or a patient found by a search are not read as this patient's")))
                if len(problems) >= 5:
                    return problems
    return problems


def check_one_patient(resources: list[dict[str, Any]], patient_id: str | None = None, *,
                      patient_field: str = "context.patientId") -> list[FieldProblem]:
    """Problems when the resources are about more than one patient, or not about ``patient_id``.

    A wrong patient's data must never be assessed: every Patient resource and every ``subject``/``patient``
    reference must name the same patient (and, in a CDS Hooks call, the patient of the hook's context)::

        >>> obs = {"resourceType": "Observation", "subject": {"reference": "Patient/p2"}}
        >>> check_one_patient([{"resourceType": "Patient", "id": "p1"}, obs])[0].message[:47]
        'the data are about 2 patients (Patient/p1, Pati'
        >>> check_one_patient([obs], "p1")[0].field
        'context.patientId'
    """
    if others := _not_about_a_patient(resources):
        return others
    named = _patients_named(resources)
    if len(named) > 1:
        listed = ", ".join(sorted(named)[:5])
        return [FieldProblem("(bundle)", f"the data are about {len(named)} patients ({listed}); send one patient's "
                                         "data only")]
    if patient_id is not None and named and named != {f"Patient/{patient_id}"}:
        (other,) = named
        return [FieldProblem(patient_field, f"the data sent are about {other}, not the patient in context "
                                                  f"(Patient/{patient_id}): they are not used")]
    return []


def _validated(resource: dict[str, Any], where: str) -> dict[str, Any]:
    """The resource checked against the element definitions of its FHIR R4B type (``_validate``), without nulls."""
    try:
        return checked(str(resource["resourceType"]), resource)
    except InvalidResource as exc:
        raise _invalid(resource, where, exc) from None


def _invalid(resource: dict[str, Any], where: str, exc: InvalidResource) -> CaseValidationError:
    message = str(exc)
    if message.startswith("resourceType: "):
        return CaseValidationError([FieldProblem(f"{where}.resourceType", message.removeprefix("resourceType: "))])
    return CaseValidationError([FieldProblem(where, f"is not a valid FHIR {printable(resource['resourceType'], 40)}: "
                                                    f"{printable(message, 240)}")])


#: A problem, warning or missing entry longer than this is shortened in the middle (``_capped``).
_MAX_MESSAGE = 1_000


#: Control characters (C0, C1), lone surrogates and the bidirectional controls (Unicode TR9; CVE-2021-42574 "Trojan
#: Source": an override reorders what is shown), escaped in what the import says.
_UNSHOWN = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _capped(message: str) -> str:
    r"""``message`` with its control characters escaped and its middle left out when it is longer than
    ``_MAX_MESSAGE``: a value the Bundle gives (a unit, a status, a display) is quoted in it, and a value of 100,000
    characters was sent back whole, in the 422, the assessment's warnings and a CDS card; a NUL, an ESC or a U+202E
    went on into the web page, the PDF and the card. The start (which resource) and the end (what to do) are kept.

    >>> len(_capped("Observation/x gives a length in '" + "u" * 5000 + "'; micromets reads mm, cm or um"))
    1000
    >>> _capped("short"), _capped("status 'done\u202e\x1b'")
    ('short', "status 'done\\u202e\\x1b'")
    """
    message = _UNSHOWN.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), message)
    if len(message) <= _MAX_MESSAGE:
        return message
    tail = message[-150:]
    gap = f" … ({len(message) - _MAX_MESSAGE + 40:,} characters left out) … "
    return message[: _MAX_MESSAGE - len(tail) - len(gap)] + gap + tail


class _Collector:
    """Builds the nested case dict; a field given twice with different values is a contradiction."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.problems: list[FieldProblem] = []
        self.warnings: list[str] = []
        self.missing_items: list[tuple[str, str]] = []
        self.reported_pn: list[tuple[str, str]] = []
        self.reported_pt: list[tuple[str, str]] = []
        self._lists = list_paths()

    def problem(self, path: str, message: str) -> None:
        self.problems.append(FieldProblem(path, _capped(message)))

    def warn(self, message: str) -> None:
        message = _capped(message)
        if message not in self.warnings:
            self.warnings.append(message)

    def missing(self, path: str, why: str) -> None:
        """A value the data give that cannot become ``path`` (reported in the assessment's ``missing``)."""
        why = _capped(why)
        if (path, why) not in self.missing_items:
            self.missing_items.append((path, why))

    def put(self, path: str, value: Any) -> None:
        *parents, leaf = path.split(".")
        node = self.data
        for part in parents:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                self.problems.append(FieldProblem(path, "conflicts with another field of the Bundle"))
                return
            node = child
        if path in self._lists:
            items = node.setdefault(leaf, [])
            if not (path == "preferences.declined" and value in items):  # one refusal may be recorded twice
                items.append(value)
        elif path == "conditions.autoimmune_disease" and "present" in (node.get(leaf), value) \
                and {node.get(leaf), value} <= {"present", "inactive", "active"}:
            # 'present' (an autoimmune disease, activity not said) yields to the value that says it
            node[leaf] = value if node.get(leaf) in (None, "present") else node[leaf]
        elif leaf in node and node[leaf] != value:
            if not any(p.field == path for p in self.problems):  # a field already refused, e.g. by _one_primary
                self.problem(path, f"the Bundle gives conflicting values {node[leaf]!r} and {value!r}")
        else:
            node[leaf] = value

    def has(self, path: str) -> bool:
        return self.get(path) is not None

    def get(self, path: str) -> Any:
        """The value collected for ``path`` so far, else ``None``."""
        node: Any = self.data
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def decode_into(self, path: str, element: dict[str, Any]) -> None:
        try:
            self.put(path, decode_value(path, element))
        except FieldError as exc:
            self.problems.append(exc.problem)


def _codings(concept: Any) -> list[dict[str, Any]]:
    found = concept.get("coding") if isinstance(concept, dict) else None
    return [c for c in found if isinstance(c, dict)] if isinstance(found, list) else []


def _has(concept: Any, name: str) -> bool:
    return any(codes.is_code(c, name) for c in _codings(concept))


def _case_field(concept: Any) -> str | None:
    """The case field path a concept names in the local ``case-field`` code system."""
    found = concept.get("coding") if isinstance(concept, dict) else None
    if isinstance(found, list):
        system = codes.local("case_field")
        for one in found:
            if isinstance(one, dict) and one.get("system") == system and isinstance(one.get("code"), str):
                return str(one["code"])
    return None


def _is_output(resource: dict[str, Any]) -> bool:
    meta = resource.get("meta")
    tags = meta.get("tag") if isinstance(meta, dict) else None
    if not tags:
        return False
    system = codes.local("tag")
    return any(isinstance(t, dict) and t.get("system") == system and t.get("code") == OUTPUT_TAG for t in _items(tags))


#: US Core Patient extension: "A code classifying the person's sex assigned at birth" (F, M, UNK)
_US_CORE_BIRTHSEX = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex"


def _patient(c: _Collector, patient: dict[str, Any]) -> None:
    ids = [i.get("value") for i in _items(patient.get("identifier"))
           if isinstance(i, dict) and i.get("system") == codes.local("case_id")]
    case_id = ids[0] if ids else patient.get("id")
    if isinstance(case_id, str):
        c.put("id", case_id)
    gender = patient.get("gender")
    if gender in ("female", "male"):
        c.put("sex", gender)
    elif gender in ("other", "unknown"):
        # FHIR AdministrativeGender 'other'/'unknown' says nothing of the sex the decisions need: reported, as a
        # Patient without a gender is (the sex is then not recorded: never read as a woman's or a man's)
        c.missing("sex", f"Patient.gender is '{gender}': the sex is not taken; the decisions that depend on it (male "
                         "breast cancer: endocrine therapy, ovarian function suppression, bisphosphonates, germline "
                         "testing) name the sex as missing, or are insufficient data where it could change them, "
                         "until the sex is entered")
    birth = [str(e.get("valueCode")) for e in _items(patient.get("extension"))
             if isinstance(e, dict) and e.get("url") == _US_CORE_BIRTHSEX and isinstance(e.get("valueCode"), str)]
    if birth and gender not in ("female", "male"):
        # US Core birthsex is the sex assigned at birth (birth certificate), not the sex the record gives now: said,
        # not taken (as Patient.gender 'other'/'unknown' is not)
        c.missing("sex", f"Patient has no gender 'female' or 'male'; its US Core birth sex '{printable(birth[0])[:8]}' "
                         "(sex assigned at birth) is not taken as the sex: enter the sex")
    _deceased(c, patient)
    for ext in _items(patient.get("extension")):
        if isinstance(ext, dict) and ext.get("url") == codes.local("ext_age"):
            given = ext.get("valueAge")
            age: dict[str, Any] = given if isinstance(given, dict) else {}
            if age.get("code", "a") != "a":
                c.problem("age", f"the age is given in {age.get('code')!r}; years ('a') are needed")
            elif age.get("value") is not None:
                c.put("age", age["value"])


def _sex_agrees(c: _Collector, cancers: list[dict[str, Any]]) -> None:
    """An ICD-10-CM code of the breast cancer names a female or a male breast; a Patient.gender that says otherwise
    leaves the sex the decisions need (ovarian function suppression, PREDICT's population) unknown: an error on
    ``sex`` (one of them is wrong, or the administrative gender is not the sex), never a choice."""
    sex = c.get("sex")
    for condition in cancers if sex is not None else []:
        for code, named in coded_sex(condition):
            if named != sex:
                c.problem("sex", f"Patient.gender is '{sex}' but Condition/{condition.get('id', '(no id)')} is coded "
                                 f"{code}, a cancer of the {named} breast (ICD-10-CM); enter the sex the decisions "
                                 "need")
                return


def _one_primary(c: _Collector, cancers: list[dict[str, Any]]) -> None:
    """Breast cancer Conditions (the invasive ones, else the in situ ones: ``the_breast_cancers``) on both sides
    (bilateral breast cancer, or a second primary) are two primaries: a case is one primary (its own size,
    receptors, nodes and stage; AJCC 8 stages each primary on its own), so the data of each are sent as a case of
    their own. An error on ``tumour.laterality`` naming each Condition and its side, never one side chosen.
    (Conditions on one side, or with no side, are read as the one cancer: a problem-list entry and an encounter
    diagnosis often record the same tumour twice.)"""
    sides: dict[str, list[str]] = {}
    for condition in cancers:
        said = condition_sides(condition)
        if len(said) == 1:  # two sides in one Condition: _laterality's own error
            (side, sources), = said.items()
            sides.setdefault(side, []).append(f"Condition/{condition.get('id', '(no id)')} ({side}, by "
                                              f"{', '.join(sources)})")
    if len(sides) > 1:
        named = " and ".join(", ".join(found) for _, found in sorted(sides.items()))
        c.problem("tumour.laterality", f"{named} are breast cancers of both breasts (bilateral breast cancer or a "
                                       "second primary): micromets assesses one primary per case; send each "
                                       "primary's data (its Condition, size, receptors and nodes) as a case of its "
                                       "own")


def _deceased(c: _Collector, patient: dict[str, Any]) -> None:
    """A patient recorded as deceased: the import goes on (a registry or a retrospective review may want the stage
    and the prognosis of the time of diagnosis), but every assessment says that its recommendations are not for the
    care of this patient."""
    if patient.get("deceasedBoolean") is True:
        given = "Patient.deceasedBoolean is true"
    elif isinstance(patient.get("deceasedDateTime"), str):
        given = f"Patient.deceasedDateTime is {printable(patient['deceasedDateTime'], 40)}"
    else:
        return
    c.warn(f"{given}: the patient has died, so the recommendations are not advice for this patient's care (read them "
           "only as a retrospective or registry review of the decisions at diagnosis)")


def _observation(c: _Collector, obs: dict[str, Any], reader: StandardReader) -> None:
    code = obs.get("code")
    path = _case_field(code)
    if path == "nodes.deposits":
        deposit: dict[str, Any] = {}
        for comp in _items(obs.get("component")):
            sub = _case_field(comp.get("code")) if isinstance(comp, dict) else None
            if sub and sub.startswith("nodes.deposits."):
                name = sub.removeprefix("nodes.deposits.")
                try:
                    value = decode_value(sub, comp)
                except FieldError as exc:
                    c.problems.append(exc.problem)
                    continue
                if name in deposit and deposit[name] != value:
                    # One deposit, two sizes (or two nodes): the last one read would decide micro- or macrometastasis.
                    c.problem(sub, f"Observation/{obs.get('id', '(no id)')} gives {name} twice, {deposit[name]!r} "
                                   f"and {value!r}; send one value per deposit")
                    continue
                deposit[name] = value
        c.put("nodes.deposits", deposit)
    elif path is not None:
        c.decode_into(path, obs)
    elif read_context_observation(c, obs) or reader.brca_finding(obs):
        pass
    elif not reader.observation(c, obs) and not _grouping_panel(obs):
        c.warn(f"Observation/{obs.get('id', '(no id)')} '{_shown(code)}' has no code micromets reads: not used")


def _grouping_panel(obs: dict[str, Any]) -> bool:
    """A panel that only groups other results (``hasMember``, no value or component of its own; a CAP eCC synoptic
    section): its members are read as results of their own, so the panel itself is not "not used"."""
    return bool(_items(obs.get("hasMember"))) and not obs.get("component") and not any(
        k.startswith("value") for k in obs)


def _shown(concept: Any) -> str:
    if isinstance(concept, dict) and concept.get("text"):
        return str(concept["text"])[:80]
    first = next(iter(_codings(concept)), {})
    return str(first.get("display") or first.get("code") or "?")[:80]


def _onset_date(condition: dict[str, Any]) -> str | None:
    """The onset date of a Condition (``onsetDateTime`` or the start of ``onsetPeriod``), else ``None``."""
    onset = condition.get("onsetDateTime")
    period = condition.get("onsetPeriod")
    if not isinstance(onset, str) and isinstance(period, dict):
        onset = period.get("start")
    return onset[:10] if isinstance(onset, str) else None


def _age_from_dates(c: _Collector, patient: dict[str, Any] | None, conditions: list[dict[str, Any]]) -> None:
    if c.has("age") or patient is None:
        return
    # the age at diagnosis of the cancer: a comorbidity's onset (a DVT years ago) must not set it
    coded = the_breast_cancers(conditions)
    cancers = coded or [x for x in conditions if not is_comorbidity(x) and not is_radiotherapy_history(x)
                        and connective_tissue_kind(x.get("code")) is None]
    for condition in cancers:  # Condition.onsetAge: the age at onset itself (UCUM "a")
        age = condition.get("onsetAge")
        if isinstance(age, dict) and isinstance(age.get("value"), int | float):
            if age.get("code", "a") != "a":
                c.problem("age", f"Condition.onsetAge is given in {age.get('code')!r}; years ('a') are needed")
            else:
                c.put("age", age["value"])
    birth = patient.get("birthDate")
    onsets = sorted({d for d in (_onset_date(x) for x in cancers) if d is not None})
    if c.has("age") or not isinstance(birth, str) or not onsets or len(birth) < 10:
        return  # a birth year alone, or no diagnosis date: the age stays unknown
    if not coded and len(onsets) > 1:
        c.missing("age", f"Conditions with onsets {', '.join(onsets)} are not coded as breast cancer; the age at "
                         "diagnosis is not taken from any of them (code the breast cancer, e.g. SNOMED CT 254837009)")
        return
    try:
        born, onset = dt.date.fromisoformat(birth[:10]), dt.date.fromisoformat(onsets[0])
    except ValueError:
        c.problems.append(FieldProblem("age", "Patient.birthDate or Condition.onsetDateTime is not a date"))
        return
    if born > onset:  # one of the two dates is wrong: an age below 0 would only hide which
        named = next((f"Condition/{x.get('id', '(no id)')}" for x in cancers if _onset_date(x) == onsets[0]), "Condition")
        c.problem("age", f"Patient.birthDate {birth[:10]} is after the onset {onsets[0]} of the breast cancer ({named}); "
                         "one of the dates is wrong: correct it or give the age at diagnosis")
        return
    c.put("age", onset.year - born.year - ((onset.month, onset.day) < (born.month, born.day)))


def _skipped(resource: dict[str, Any]) -> bool:
    status = resource.get("status")
    return (isinstance(status, str) and status in _SKIPPED_STATUS) or _entered_in_error(resource)


def _not_given(resource: dict[str, Any]) -> bool:
    return resource.get("doNotPerform") is True or resource.get("status") in ("not-taken", "entered-in-error")


def _entered_in_error(resource: dict[str, Any]) -> bool:
    status = resource.get("verificationStatus")
    if not isinstance(status, dict):
        return False
    return any(isinstance(x, dict) and x.get("code") == "entered-in-error" for x in _items(status.get("coding")))


@dataclass(frozen=True)
class ImportedCase:
    """A case read from FHIR and what was read but not used (shown to the user; never silently dropped)."""

    case: Case
    warnings: list[str] = field(default_factory=list)
    #: (field, why) for values the data give that cannot become that field (e.g. ER "Positive" without a percentage).
    missing: list[tuple[str, str]] = field(default_factory=list)


def case_dict_from_resources(resources: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The contract case dict the resources describe; ``CaseValidationError`` for unmappable input."""
    return _collect(resources).data


def _once_each(resources: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[FieldProblem]]:
    """The resources with each (type, id) once: the same resource sent twice (in a Bundle nested in another, in two
    prefetch keys, or an entry repeated: FHIR R4 bdl-7, each fullUrl once) is one fact, read once, not two deposits or
    two tumours. Two *different* resources under one type and id are a conflict micromets does not resolve."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    kept: list[dict[str, Any]] = []
    problems: list[FieldProblem] = []
    for resource in resources:
        kind, rid = resource.get("resourceType"), resource.get("id")
        if not isinstance(kind, str) or not isinstance(rid, str):
            kept.append(resource)
            continue
        first = seen.setdefault((kind, rid), resource)
        if first is resource:
            kept.append(resource)
        elif first != resource and len(problems) < 5:
            problems.append(FieldProblem("(bundle)", (
                f"{kind}/{printable(rid)} is sent twice with different content; send each resource once, "
                "in its current version")))
    return kept, problems


def _collect(resources: Iterable[dict[str, Any]], patient_id: str | None = None,
             patient_field: str = "context.patientId") -> _Collector:
    # Before contained resources are expanded: their ids are local to their container (two reports may each have #1).
    resources, repeated = _once_each(list(resources))
    if repeated:
        raise CaseValidationError(repeated)
    resources = expand_contained(resources)
    c = _Collector()
    c.problems.extend(check_one_patient(resources, patient_id, patient_field=patient_field))
    # the breast cancer assessed: an in situ Condition beside an invasive one is not it (its onset, its side), nor is
    # one entered in error
    cancers = the_breast_cancers([r for r in resources if r.get("resourceType") == "Condition" and not _skipped(r)
                                  and not _is_output(r)])
    _one_primary(c, cancers)
    reader = StandardReader(resources, cancers)
    patients: list[dict[str, Any]] = []
    conditions: list[dict[str, Any]] = []
    radiotherapy: list[dict[str, Any]] = []
    exported_cancers: list[dict[str, Any]] = []  # a micromets Bundle's cancer Condition (tagged output: its stage)
    for resource in resources:
        kind = resource.get("resourceType")
        if _skipped(resource):
            continue
        if _is_output(resource):
            if kind == "Condition":  # the breast cancer: its stage is output, its laterality is input
                read_condition(c, resource, output=True)
                if breast_cancer_kind(resource) is not None:
                    exported_cancers.append(resource)
            continue
        if kind == "Patient":
            patients.append(resource)
        elif kind == "Condition":
            conditions.append(resource)
            if is_radiotherapy_history(resource):
                read_radiotherapy_history(c, resource)
            elif connective_tissue_kind(resource.get("code")) is not None:
                read_connective_tissue_disease(c, resource)
            elif not reader.brca_finding(resource):
                read_condition(c, resource, output=False, the_cancer=any(resource is x for x in cancers))
        elif kind == "Observation":
            _observation(c, resource, reader)
        elif kind == "Procedure":
            if is_radiotherapy(resource) and resource.get("status") != "not-done":
                radiotherapy.append(resource)  # read once the cancer's side and diagnosis date are known
            elif not reader.procedure(c, resource):
                read_procedure(c, resource)
        elif kind in ("MedicationRequest", "MedicationStatement", "MedicationAdministration") and not _not_given(resource):
            reader.medication(c, resource)
        elif kind in ("ServiceRequest", "MedicationRequest", "MedicationStatement"):
            read_other_refusal(c, resource)
    _autoimmune_said(c, conditions)
    if not cancers:
        _other_primary_said(c, conditions)
    if len(cancers) == 1:  # two primaries are refused by _one_primary, each naming its Condition
        read_quadrant(c, cancers[0])
        read_histology(c, cancers[0])
    for patient in patients[:1]:
        _patient(c, patient)
    _sex_agrees(c, cancers)
    _age_from_dates(c, patients[0] if patients else None, conditions)
    reader.finish(c)
    read_secondary_cancers(c, conditions, {str(x["id"]) for x in cancers if isinstance(x.get("id"), str)},
                           c.get("metastasis"))
    side = c.get("tumour.laterality")
    PriorRadiotherapy(radiotherapy).read(
        c, side=side if isinstance(side, str) else None,
        diagnosed=_onset_date(cancers[0]) if len(cancers) == 1 else None,
        cancer_ids={str(x["id"]) for x in (*cancers, *exported_cancers) if isinstance(x.get("id"), str)},
        other_ids={str(x["id"]) for x in conditions if isinstance(x.get("id"), str) and breast_cancer_kind(x) is None})
    c.reported_pn = reader.reported_pn
    c.reported_pt = reader.reported_pt
    if c.problems:
        raise CaseValidationError(c.problems)
    return c


def _autoimmune_said(c: _Collector, conditions: list[dict[str, Any]]) -> None:
    """Autoimmune diseases other systems code (SNOMED CT or ICD-10(-CM); systemic lupus and sclerosis included: they
    are autoimmune too) make ``conditions.autoimmune_disease`` 'present', each said, unless the data give whether it
    is active (micromets' own Condition). A 'none' beside one is a contradiction (the collector's error). A refuted or
    entered-in-error Condition is ignored; an unconfirmed, provisional or differential one is said and not used."""
    if c.get("conditions.autoimmune_disease") in ("inactive", "active"):
        return
    for condition in conditions:
        code = condition.get("code")
        verification = _status_of(condition.get("verificationStatus"))
        if verification == "refuted":
            continue
        if verification in ("unconfirmed", "provisional", "differential"):
            if is_autoimmune_condition(condition):
                c.warn(f"condition '{_shown(code)}' is {verification}: not used")
            continue
        if is_autoimmune_condition(condition) or (connective_tissue_kind(code) is not None and not any(
                one.get("system") == codes.local("case_field") for one in _codings(code))):
            autoimmune_unknown(c, _shown(code), _status_of(condition.get("clinicalStatus")))


#: mCODE PrimaryCancerCondition (STU1 to STU4: HL7/fhir-mCODE-ig input/fsh/SD_Condition.fsh, STU1
#: input/examples/Condition-mCODEPrimaryCancerConditionExample01.json)
_MCODE_PRIMARY = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-primary-cancer-condition"


def _other_primary_said(c: _Collector, conditions: list[dict[str, Any]]) -> None:
    """No Condition is coded as a breast cancer, but one claims to be a primary cancer (mCODE): its staging and markers
    may be another cancer's (the mCODE STU1 example patient has a lung cancer); read as sent, with a warning each."""
    for condition in conditions:
        meta = condition.get("meta")
        profiles = meta.get("profile") if isinstance(meta, dict) else None
        if isinstance(profiles, list) and _MCODE_PRIMARY in profiles:
            c.warn(f"Condition/{printable(str(condition.get('id', '(no id)')), 64)} is a primary cancer "
                   f"('{printable(_shown(condition.get('code')), 60)}') not coded as a breast cancer micromets knows, "
                   "and no other Condition is: the staging and tumour results read are assumed to be the breast "
                   "cancer's; check that this is a breast cancer (code it, e.g. SNOMED CT 254837009)")


def _status_of(concept: Any) -> str | None:
    return next((str(one["code"]) for one in _codings(concept) if isinstance(one.get("code"), str)), None)


def import_resources(resources: Iterable[dict[str, Any]], *, patient_id: str | None = None,
                     patient_field: str = "context.patientId") -> ImportedCase:
    """The case and the import warnings (values read but not used, e.g. a Karnofsky score).

    With ``patient_id`` (e.g. a CDS Hooks ``context.patientId``) data about any other patient are refused; the
    problem names ``patient_field``.
    """
    collected = _collect(resources, patient_id, patient_field)
    case = parse_case(collected.data)
    if problems := _reported_pn_disagrees(case, collected.reported_pn) + _reported_pt_disagrees(case,
                                                                                               collected.reported_pt):
        raise CaseValidationError(problems)
    return ImportedCase(case, list(collected.warnings), list(collected.missing_items))


def _reported_pn_disagrees(case: Case, reported: list[tuple[str, str]]) -> list[FieldProblem]:
    """A pathological N category the data report that the node findings read contradict (AJCC 8: e.g. "pN2a" beside
    one micrometastatic node) is an error on ``nodes.deposits``: one of them is wrong, and micromets does not choose.
    A less specific report agrees with its subcategories ("pN1" with N1mi, "pN0" with N0(i+)); "(sn)", "(f)", "(m)",
    "(i-)" and "(mol-)" do not change the category."""
    if not reported or case.nodes is None or not case.has_nodal_pathology:
        return []
    pathology = classify(case)
    base, suffixes, why = pathological_n(case, pathology.findings, by_node=pathology.node_categories)
    if base is None:
        return []
    derived = base + "".join(f"({s})" for s in suffixes if s in ("i+", "mol+"))
    problems = []
    for rid, value in reported:
        core = re.sub(r"\((?:sn|f|m|i-|mol-)\)", "", value)  # "(i-)", "(mol-)": nothing found by IHC / RT-PCR
        core = core[core.index("N"):]
        if core != "NX" and not derived.startswith(core):
            problems.append(FieldProblem("nodes.deposits", f"{rid} reports {value}, but the node findings give "
                                                           f"p{derived} ({why}, AJCC 8); say which applies"))
    return problems


def _reported_pt_disagrees(case: Case, reported: list[tuple[str, str]]) -> list[FieldProblem]:
    """A pathological T category the data report that the invasive size read contradicts (AJCC 8 size bands, e.g.
    "pT3" beside 12 mm) is an error on ``tumour.size_mm``: one of them is wrong, and micromets does not choose. A less
    specific report agrees with its subcategories ("pT1" with T1c); "(m)" does not change the category. pT is compared
    with a case without neoadjuvant therapy and ypT with one (the size is then the residual tumour's)."""
    tumour = case.tumour
    if not reported or tumour is None or tumour.size_mm is None:
        return []
    derived, why = t_category(tumour.size_mm, tumour.t_extension, tumour.in_situ_only)
    if derived is None:
        return []
    problems = []
    for rid, value in reported:
        if value.startswith("yp") != bool(case.neoadjuvant):
            continue
        core = re.sub(r"\((?:m|\d+)\)", "", value)
        core = core[core.index("T"):]
        if core not in ("TX",) and not derived.startswith(core):
            # A laboratory may code the extent of the in situ carcinoma as the tumour size beside pTis
            hint = "; if that size is the extent of the in situ carcinoma, leave it out: size_mm is the invasive size" \
                if core.startswith("Tis") else ""
            problems.append(FieldProblem("tumour.size_mm", f"{rid} reports {value}, but the invasive size gives "
                                                           f"{derived} ({why}, AJCC 8); say which applies{hint}"))
    return problems


def import_bundle(bundle: dict[str, Any], *, patient_id: str | None = None,
                  patient_field: str = "context.patientId") -> ImportedCase:
    """:func:`import_resources` for a Bundle (or a single resource)."""
    return import_resources(resolve_references(bundle, resources_in(bundle)), patient_id=patient_id,
                            patient_field=patient_field)


def with_import_notes(assessment: Assessment, imported: ImportedCase) -> Assessment:
    """The assessment with what the import could not use: ``missing`` entries naming the resource, and warnings.

    >>> from micromets.assess import assess
    >>> imported = ImportedCase(parse_case({"id": "x"}), ["a Karnofsky score is not ECOG"],
    ...                         [("tumour.er_percent", "Observation/er gives ER as 'positive' without the percentage")])
    >>> out = with_import_notes(assess(imported.case), imported)
    >>> [m.why for m in out.missing if m.why.startswith("Observation/er")], out.warnings[-1]
    (["Observation/er gives ER as 'positive' without the percentage"], 'FHIR import: a Karnofsky score is not ECOG')
    """
    if not imported.missing and not imported.warnings:
        return assessment
    known = {(m.field, m.why) for m in assessment.missing}
    extra = [MissingItem(field=f, why=why) for f, why in imported.missing if (f, why) not in known]
    return assessment.model_copy(update={
        "missing": [*assessment.missing, *extra],
        "warnings": [*assessment.warnings, *(IMPORT_WARNING_PREFIX + w for w in imported.warnings)],
    })


def case_from_resources(resources: Iterable[dict[str, Any]]) -> Case:
    """A validated ``Case`` from loose FHIR resources (e.g. CDS Hooks prefetch results)."""
    return import_resources(resources).case


def case_from_bundle(bundle: dict[str, Any]) -> Case:
    """A validated ``Case`` from a FHIR Bundle; ``CaseValidationError`` names every unusable field."""
    return import_bundle(bundle).case
