"""Assessment (and case) -> FHIR R4 Bundle of type ``collection``.

Deterministic: ids derive from the case id (or a hash of the case), ``fullUrl`` values are UUIDv5 of
those ids, and no clock is read (dates come from the case and the follow-up plan). Every resource is
built with the ``fhir.resources.R4B`` models before it enters the Bundle. Example::

    >>> from micromets.assess import assess
    >>> from micromets.model import parse_case
    >>> case = parse_case({"id": "demo", "sex": "female", "tumour": {"size_mm": 12, "grade": 2}})
    >>> bundle = to_bundle(assess(case), case)
    >>> bundle["type"], bundle["entry"][0]["resource"]["resourceType"]
    ('collection', 'Patient')
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from typing import Any

from fhir.resources.R4B import get_fhir_model_class

from micromets.interop.fhir import codes
from micromets.interop.fhir._fields import encode_value, field_label, quantity
from micromets.interop.fhir._standard import ajcc_coding
from micromets.model import Assessment, Case, Recommendation
from micromets.model.assessment import DECLINED, DEFERRED

__all__ = ["OUTPUT_TAG", "SPECIAL_PATHS", "bundle_stem", "to_bundle"]

#: ``meta.tag`` code on resources that carry micromets output (stage, prognosis, advice); import skips them.
OUTPUT_TAG = "assessment-output"
#: Case fields exported in a standard (LOINC-coded) resource instead of the generic ``case-field`` one.
SPECIAL_PATHS = frozenset({
    "id", "age", "sex", "tumour.size_mm", "tumour.er_percent", "tumour.pr_percent", "tumour.her2_ihc",
    "tumour.her2_ish_ratio", "tumour.her2_ish_copies", "nodes.examined", "nodes.deposits",
    "ecog", "lvef_percent", "charlson_index", "conditions.qtcf_ms", "pregnancy.status",
    "pregnancy.gestational_age_weeks", "tumour.laterality", "preferences.declined",
    "conditions.connective_tissue_disease",
    *(f"conditions.{name}" for name in codes.codes_table()["mappings"]["conditions"]),
})
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,40}$")


def bundle_stem(assessment: Assessment, case: Case | None) -> str:
    """The id prefix of every resource: the case id when it is a short FHIR id, else a hash.

    >>> from micromets.model import Assessment, Findings, Staging
    >>> a = Assessment(id="case-1", micromets_version="x", ruleset_version="r", findings=Findings(), staging=Staging())
    >>> bundle_stem(a, None)
    'case-1'
    """
    case_id = case.id if case is not None and case.id is not None else assessment.id
    if case_id is not None and _FHIR_ID.match(case_id):
        return case_id
    if case_id is not None:
        source = "id:" + case_id
    elif case is not None:
        source = "case:" + json.dumps(case.model_dump(mode="json"), sort_keys=True)
    else:
        source = "assessment:" + assessment.model_dump_json()
    return "mm-" + hashlib.sha256(source.encode()).hexdigest()[:20]


class _Builder:
    """Collects validated resources; ``add`` returns the reference (``urn:uuid:...``) to use."""

    def __init__(self, stem: str) -> None:
        self.stem = stem
        self.entries: list[dict[str, Any]] = []
        self._namespace = uuid.uuid5(uuid.NAMESPACE_URL, codes.local("base"))

    def rid(self, suffix: str) -> str:
        suffix = re.sub(r"[^A-Za-z0-9\-.]+", "-", suffix).strip("-")
        candidate = f"{self.stem}-{suffix}"
        if len(candidate) <= 64:
            return candidate
        return f"{self.stem[:40]}-{hashlib.sha256(candidate.encode()).hexdigest()[:20]}"

    def ref(self, resource_type: str, rid: str) -> str:
        return f"urn:uuid:{uuid.uuid5(self._namespace, f'{resource_type}/{rid}')}"

    def add(self, resource: dict[str, Any], *, output: bool = False, profile: str | None = None) -> str:
        if output:
            resource.setdefault("meta", {})["tag"] = [codes.local_coding("tag", OUTPUT_TAG, "micromets output")]
        if profile is not None:
            resource.setdefault("meta", {})["profile"] = [profile]
        model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        dumped: dict[str, Any] = model.model_dump(mode="json", exclude_none=True, by_alias=True)
        reference = self.ref(resource["resourceType"], resource["id"])
        self.entries.append({"fullUrl": reference, "resource": dumped})
        return reference


def _local_concept(system_name: str, code: str, label: str) -> dict[str, Any]:
    return {"coding": [codes.local_coding(system_name, code, label)], "text": label}


def _observation(b: _Builder, suffix: str, code: dict[str, Any], subject: str, **fields: Any) -> dict[str, Any]:
    return {"resourceType": "Observation", "id": b.rid(suffix), "status": "final", "code": code,
            "subject": {"reference": subject}, **fields}


def _lab() -> list[dict[str, Any]]:
    return [{"coding": [codes.coding("laboratory")]}]


def _field_component(path: str, value: Any) -> dict[str, Any]:
    return {"code": _local_concept("case_field", path, field_label(path)), **encode_value(path, value)}


# --- the patient and the inputs -------------------------------------------------------------------------

def _profile(name: str) -> str:
    return str(codes.codes_table()["profiles"][name]["url"])


def _patient(b: _Builder, case: Case | None, assessment: Assessment) -> tuple[str, bool]:
    """The Patient reference and whether it conforms to mCODE CancerPatient (US Core Patient: identifier, name,
    gender). The name is never known to micromets: it is recorded as absent, as US Core allows (us-core-6)."""
    resource: dict[str, Any] = {"resourceType": "Patient", "id": b.rid("patient")}
    case_id = case.id if case is not None and case.id is not None else assessment.id
    if case_id is not None:
        resource["identifier"] = [{"system": codes.local("case_id"), "value": case_id}]
    if case is not None and case.sex is not None:
        resource["gender"] = case.sex
    if case is not None and case.age is not None:
        resource["extension"] = [{"url": codes.local("ext_age"),
                                  "valueAge": quantity(case.age, "a") | {"unit": "years"}}]
    conforms = "identifier" in resource and "gender" in resource
    if conforms:
        resource["name"] = [{"extension": [{"url": codes.extension_url("data_absent_reason"),
                                            "valueCode": codes.coding("data_absent_unknown")["code"]}]}]
    return b.add(resource, profile=_profile("cancer_patient") if conforms else None), conforms


def _flatten(data: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """(path, value) for every scalar or list-of-scalars leaf of the case dict."""
    out: list[tuple[str, Any]] = []
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.extend(_flatten(value, path + "."))
        else:
            out.append((path, value))
    return out


def _generic_fields(b: _Builder, case: Case, patient: str) -> None:
    for path, value in _flatten(case.model_dump(mode="json", exclude_none=True)):
        if path in SPECIAL_PATHS:
            continue
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            _field_observation(b, path, item, patient, f"f-{path}" + (f"-{i + 1}" if isinstance(value, list) else ""))


def _field_observation(b: _Builder, path: str, value: Any, patient: str, suffix: str) -> None:
    code = _local_concept("case_field", path, field_label(path))
    b.add(_observation(b, suffix, code, patient, **encode_value(path, value)))


# --- patient context: fitness, comorbidities, pregnancy, preferences (standard codes where verified) --------

def _patient_context(b: _Builder, case: Case, patient: str) -> None:
    if case.ecog is not None:  # mCODE ECOGPerformanceStatus: LOINC 89247-1, valueInteger, category survey
        b.add(_observation(b, "ecog", codes.concept("ecog"), patient, category=[{"coding": [codes.coding("survey")]}],
                           valueInteger=case.ecog))
    if case.lvef_percent is not None:
        b.add(_observation(b, "lvef", codes.concept("lvef"), patient,
                           valueQuantity=quantity(float(case.lvef_percent), "%")))
    conditions = case.conditions
    if conditions is not None and conditions.qtcf_ms is not None:
        b.add(_observation(b, "qtcf", codes.concept("qtc_fridericia"), patient,
                           valueQuantity=quantity(float(conditions.qtcf_ms), "ms")))
    _pregnancy(b, case, patient)
    _comorbidities(b, case, patient)
    _connective_tissue_disease(b, case, patient)
    _declined(b, case, patient)


def _pregnancy(b: _Builder, case: Case, patient: str) -> None:
    pregnancy = case.pregnancy
    if pregnancy is None:
        return
    if pregnancy.status in ("pregnant", "not_pregnant"):
        b.add(_observation(b, "pregnancy-status", codes.concept("pregnancy_status"), patient,
                           category=[{"coding": [codes.coding("survey")]}],
                           valueCodeableConcept=codes.concept(pregnancy.status)))
    elif pregnancy.status is not None:  # lactating: no verified standard code
        _field_observation(b, "pregnancy.status", pregnancy.status, patient, "f-pregnancy.status")
    if pregnancy.gestational_age_weeks is not None:
        b.add(_observation(b, "gestational-age", codes.concept("gestational_age_weeks"), patient,
                           valueQuantity=quantity(float(pregnancy.gestational_age_weeks), "wk")))


def _condition_state(field: str, value: Any) -> tuple[bool | None, dict[str, Any] | None]:
    """(present?, exact case value to carry) for one coded comorbidity; ``None`` when not recorded."""
    if value is None:
        return None, None
    if field == "autoimmune_disease":
        return value != "none", {"valueCode": value}
    if field == "peripheral_neuropathy_grade":
        return value > 0, {"valueInteger": value}
    return bool(value), None


def _comorbidities(b: _Builder, case: Case, patient: str) -> None:
    """Present conditions as Condition resources; an mCODE Comorbidities Observation lists them (present by
    reference, absent by code) and carries the Charlson index."""
    mapping: dict[str, list[str]] = codes.codes_table()["mappings"]["conditions"]
    present: list[str] = []
    absent: list[dict[str, Any]] = []
    conditions = case.conditions
    for field, names in mapping.items():
        value = getattr(conditions, field) if conditions is not None else None
        is_present, exact = _condition_state(field, value)
        if is_present is None:
            continue
        code = codes.concept(names[0])
        code["coding"].append(codes.local_coding("case_field", f"conditions.{field}", field_label(f"conditions.{field}")))
        if not is_present:
            absent.append({"url": codes.extension_url("comorbid_absent"), "valueCodeableConcept": code})
            continue
        resource: dict[str, Any] = {
            "resourceType": "Condition", "id": b.rid(f"condition-{field.replace('_', '-')}"),
            "clinicalStatus": {"coding": [codes.coding("inactive" if value == "inactive" else "active")]},
            "verificationStatus": {"coding": [codes.coding("confirmed")]},
            "category": [{"coding": [codes.coding("problem_list_item")]}],
            "code": code, "subject": {"reference": patient},
        }
        if exact is not None:
            resource["extension"] = [{"url": codes.local("ext_case_value"), **exact}]
        present.append(b.add(resource))
    if not present and not absent and case.charlson_index is None:
        return
    extensions = [{"url": codes.extension_url("comorbid_present"), "valueReference": {"reference": ref}}
                  for ref in present] + absent
    resource = _observation(b, "comorbidities", codes.concept("comorbidities"), patient, extension=extensions)
    if case.charlson_index is not None:
        resource["method"] = {"coding": [codes.local_coding("case_field", "charlson_index", codes.text("charlson"))],
                              "text": codes.text("charlson")}
        resource["valueInteger"] = case.charlson_index
    b.add(resource)


#: The connective-tissue diseases that have a verified SNOMED CT disorder code (the import reads them back).
_CTD_CODES = {"scleroderma": "systemic_sclerosis", "active_lupus": "systemic_lupus"}


def _connective_tissue_disease(b: _Builder, case: Case, patient: str) -> None:
    """Systemic sclerosis or active lupus as an active Condition with its SNOMED CT code (as an EHR records it);
    'none' and 'other' have no standard code and travel as the local case-field observation."""
    path = "conditions.connective_tissue_disease"
    value = case.conditions.connective_tissue_disease if case.conditions is not None else None
    if value is None:
        return
    if value not in _CTD_CODES:
        _field_observation(b, path, value, patient, f"f-{path}")
        return
    code = codes.concept(_CTD_CODES[value])
    code["coding"].append(codes.local_coding("case_field", path, field_label(path)))
    b.add({"resourceType": "Condition", "id": b.rid(f"condition-{value.replace('_', '-')}"),
           "clinicalStatus": {"coding": [codes.coding("active")]},
           "verificationStatus": {"coding": [codes.coding("confirmed")]},
           "category": [{"coding": [codes.coding("problem_list_item")]}], "code": code,
           "subject": {"reference": patient}})


def _declined(b: _Builder, case: Case, patient: str) -> None:
    """Each declined treatment as a Procedure with status not-done and the reason 'refusal of treatment by
    patient' (R4 Procedure.statusReason: why a procedure was not performed)."""
    if case.preferences is None:
        return
    export: dict[str, str] = codes.codes_table()["mappings"]["declined_export"]
    for key in dict.fromkeys(case.preferences.declined):
        label = key.replace("_", " ")
        coding = [codes.local_coding("case_value", key, label)]
        if key in export:
            coding.insert(0, codes.coding(export[key]))
        b.add({"resourceType": "Procedure", "id": b.rid(f"declined-{key.replace('_', '-')}"), "status": "not-done",
               "statusReason": codes.concept("patient_refusal"), "code": {"coding": coding, "text": label},
               "subject": {"reference": patient}})


def _tumour_size(b: _Builder, case: Case, patient: str) -> None:
    if case.tumour is None or case.tumour.size_mm is None:
        return
    component = {"code": codes.concept("tumour_size_max"),
                 "valueQuantity": quantity(case.tumour.size_mm, "mm")}
    resource = _observation(b, "tumour-size", codes.concept("tumour_size", "Invasive tumour size"), patient,
                            category=_lab(), component=[component])
    b.add(resource)  # mCODE TumorSize needs a focus (Tumor) or specimen, which micromets does not have: no claim


_RECEPTOR_VALUE: dict[str, tuple[str | None, str]] = {"positive": ("positive", "Positive"), "low_positive": ("positive", "Low positive"),
                   "negative": ("negative", "Negative")}
_HER2_VALUE: dict[str, tuple[str | None, str]] = {"positive": ("positive", "Positive"), "negative": ("negative", "Negative"),
               "zero": ("negative", "Negative (HER2 0)"), "ultralow": ("negative", "Negative (HER2-ultralow)"),
               "low": ("negative", "Negative (HER2-low)"), "equivocal": (None, "Equivocal")}


def _status_value(table: dict[str, tuple[str | None, str]], status: str | None) -> dict[str, Any]:
    if status is None or status not in table:
        return {}
    name, label = table[status]
    if name is None:
        return {"valueCodeableConcept": {"text": label}}
    return {"valueCodeableConcept": codes.concept(name, label)}


def _receptors(b: _Builder, case: Case, assessment: Assessment, patient: str) -> None:
    tumour = case.tumour
    if tumour is None:
        return
    findings = assessment.findings
    for name, percent, status in (("er", tumour.er_percent, findings.er), ("pr", tumour.pr_percent, findings.pr)):
        if percent is None and status is None:
            continue
        components = [] if percent is None else [_field_component(f"tumour.{name}_percent", float(percent))]
        extra: dict[str, Any] = {"component": components} if components else {}
        b.add(_observation(b, f"{name}", codes.concept(name), patient, category=_lab(),
                           **_status_value(_RECEPTOR_VALUE, status), **extra))
    her2_fields = [(f"tumour.{n}", getattr(tumour, n)) for n in ("her2_ihc", "her2_ish_ratio", "her2_ish_copies")]
    components = [_field_component(path, value) for path, value in her2_fields if value is not None]
    if components or findings.her2 is not None:
        extra = {"component": components} if components else {}
        b.add(_observation(b, "her2", codes.concept("her2"), patient, category=_lab(),
                           **_status_value(_HER2_VALUE, findings.her2), **extra))


def _nodes(b: _Builder, case: Case, assessment: Assessment, patient: str) -> None:
    findings = assessment.findings
    components: list[dict[str, Any]] = []
    if case.nodes is not None and case.nodes.examined is not None:
        components.append({"code": codes.concept("nodes_examined"), "valueInteger": case.nodes.examined})
    for key in ("positive_nodes", "micrometastatic_nodes", "macrometastatic_nodes", "itc_nodes"):
        count = getattr(findings, key)
        if count is not None:
            label = key.replace("_", " ").replace("itc", "ITC").capitalize()
            components.append({"code": _local_concept("output", f"findings.{key}", label), "valueInteger": count})
    if components:
        code = _local_concept("output", "nodal-findings", codes.text("nodal_findings"))
        b.add(_observation(b, "nodes", code, patient, category=_lab(), component=components))
    if case.nodes is None:
        return
    categories = [d.category for d in findings.deposits] if len(findings.deposits) == len(case.nodes.deposits) else []
    for i, deposit in enumerate(case.nodes.deposits):
        parts = [_field_component(f"nodes.deposits.{k}", v)
                 for k, v in deposit.model_dump(mode="json", exclude_none=True).items()]
        extra: dict[str, Any] = {}
        if categories and categories[i] is not None:
            label = str(categories[i])
            extra["interpretation"] = [_local_concept("output", f"deposit.{label}", label)]
        code = _local_concept("case_field", "nodes.deposits", codes.text("nodal_deposit"))
        b.add(_observation(b, f"deposit-{i + 1}", code, patient, category=_lab(), component=parts, **extra))


# --- the assessment ---------------------------------------------------------------------------------------

def _prefix_pathological(category: str) -> bool:
    return category.startswith(("p", "yp"))


_TNM_PROFILES = {"t": "tnm_primary_tumor", "n": "tnm_regional_nodes", "m": "tnm_distant_metastases"}


def _ajcc_value(value: str, group: str = "tnm_values") -> dict[str, Any]:
    """The value as text, with its SNOMED CT AJCC qualifier value when one was verified (fhir_standard.json)."""
    coding = ajcc_coding(value, group)
    return {"coding": [coding], "text": value} if coding is not None else {"text": value}


def _staging(b: _Builder, assessment: Assessment, patient: str, condition: str,
             conforms: bool) -> list[tuple[str, str, str]]:
    """T, N, M and stage-group observations; returns (label, value, reference) of the stage groups.

    With ``conforms`` (the Patient is a CancerPatient, so the Condition is a PrimaryCancerCondition) every
    observation meets its mCODE TNM profile and claims it: category, code, method, focus, a CodeableConcept value."""
    staging = assessment.staging
    method = codes.concept("ajcc8", "AJCC 8th edition")
    members: list[dict[str, str]] = []
    for letter, value in (("t", staging.t), ("n", staging.n), ("m", staging.m)):
        if value is None:
            continue
        kind = "pathological" if _prefix_pathological(value) else "clinical"
        code = codes.concept(f"{letter}_{kind}", f"AJCC 8 {letter.upper()} category ({kind})")
        resource = _observation(b, f"tnm-{letter}", code, patient, method=method, category=_stage_category(value),
                                focus=[{"reference": condition}], valueCodeableConcept=_ajcc_value(value))
        profile = _profile(_TNM_PROFILES[letter]) if conforms else None
        members.append({"reference": b.add(resource, output=True, profile=profile)})
    pathological = staging.t is not None and _prefix_pathological(staging.t)
    groups = (("anatomic_stage", "stage_pathological" if pathological else "stage_clinical", "anatomic stage group"),
              ("pathological_prognostic_stage", "stage_pathological", "pathological prognostic stage group"),
              ("clinical_prognostic_stage", "stage_clinical", "clinical prognostic stage group"))
    out: list[tuple[str, str, str]] = []
    for key, code_name, label in groups:
        value = getattr(staging, key)
        if value is None:
            continue
        code = codes.concept(code_name, f"AJCC 8 {label}")
        code["coding"].append(codes.local_coding("output", f"staging.{key}", f"AJCC 8 {label}"))
        resource = _observation(b, f"stage-{key.replace('_', '-')}", code, patient, method=method,
                                category=_stage_category(staging.t or ""), focus=[{"reference": condition}],
                                valueCodeableConcept=_ajcc_value(value, "stage_values"), hasMember=members or None)
        profile = _profile("tnm_stage_group") if conforms else None
        out.append((label, value, b.add({k: v for k, v in resource.items() if v is not None}, output=True,
                                        profile=profile)))
    return out


def _stage_category(value: str) -> list[dict[str, Any]]:
    """Observation.category (US Core Simple Observation needs one): laboratory for pathological staging, imaging
    for clinical staging, as the mCODE examples categorise them."""
    return [{"coding": [codes.coding("laboratory" if _prefix_pathological(value) else "imaging")]}]


def _breast_site(case: Case | None) -> dict[str, Any]:
    """Condition.bodySite: breast structure with the mCODE laterality qualifier when the side is known."""
    laterality = case.tumour.laterality if case is not None and case.tumour is not None else None
    if laterality is None:  # mCODE binds bodySite extensibly to cancer body locations: the coded breast structure
        return {"coding": [codes.coding("breast_structure")], "text": codes.text("breast_site")}
    return {"extension": [{"url": codes.extension_url("laterality"), "valueCodeableConcept": codes.concept(laterality)}],
            "coding": [codes.coding("breast_structure")], "text": f"{laterality.capitalize()} breast"}


def _condition(b: _Builder, assessment: Assessment, patient: str, case: Case | None = None) -> tuple[str, dict[str, Any]]:
    resource: dict[str, Any] = {
        "resourceType": "Condition", "id": b.rid("primary-cancer"),
        "clinicalStatus": {"coding": [codes.coding("active")]},
        "verificationStatus": {"coding": [codes.coding("confirmed")]},
        "category": [{"coding": [codes.coding("problem_list_item")]}],
        "code": codes.concept("cancer", "Breast cancer"),
        "bodySite": [_breast_site(case)],
        "subject": {"reference": patient},
    }
    return b.ref("Condition", resource["id"]), resource


def _prognosis(b: _Builder, assessment: Assessment, patient: str, condition: str) -> str | None:
    prognosis = assessment.prognosis
    if prognosis is None:
        return None
    treatments = " + ".join(prognosis.treatments_evaluated) or "no adjuvant treatment"
    predictions: list[dict[str, Any]] = []
    series = [("overall_survival", "surgery_only", "Overall survival, surgery only"),
              ("overall_survival", "with_treatments", f"Overall survival with {treatments}"),
              ("breast_cancer_mortality", "surgery_only", "Breast cancer mortality, surgery only"),
              ("breast_cancer_mortality", "with_treatments", f"Breast cancer mortality with {treatments}")]
    if prognosis.other_cause_mortality is not None:
        series += [("other_cause_mortality", "surgery_only", "Deaths from other causes, surgery only"),
                   ("other_cause_mortality", "with_treatments", f"Deaths from other causes with {treatments}")]
    for outcome, arm, label in series:
        values = getattr(getattr(prognosis, outcome), arm)
        for year, probability in zip(prognosis.years, values, strict=True):
            predictions.append({
                "outcome": _local_concept("output", f"prognosis.{outcome}.{arm}", label),
                "probabilityDecimal": probability,
                "whenRange": {"high": quantity(float(year), "a") | {"unit": "years"}},
            })
    notes = [{"text": f"Overall survival gain from {g.treatment} (stacked in model order) at "
                      + ", ".join(f"{y} y: {v:+.4f}" for y, v in zip(prognosis.years, g.overall_survival_gain,
                                                                      strict=True))}
             for g in prognosis.incremental_benefit]
    notes += [{"text": f"Assumption ({a.input}): {a.value_used}. {a.note}"} for a in prognosis.assumptions]
    model = f"{prognosis.model} v{prognosis.model_version}"
    resource = {
        "resourceType": "RiskAssessment", "id": b.rid("prognosis"), "status": "final",
        "subject": {"reference": patient}, "condition": {"reference": condition},
        "code": {"text": codes.text("prognosis")},
        "method": _local_concept("output", f"model.{prognosis.model}-{prognosis.model_version}", model),
        "prediction": predictions,
    }
    if notes:
        resource["note"] = notes
    return b.add(resource, output=True)


def _recommendation_activity(rec: Recommendation) -> dict[str, Any]:
    extensions: list[dict[str, Any]] = [
        {"url": codes.local("ext_decision"), "valueCode": rec.decision},
        {"url": codes.local("ext_strength"), "valueCode": rec.strength},
        *({"url": codes.local("ext_evidence"), "valueCoding": codes.local_coding("evidence", e)} for e in rec.evidence),
        {"url": codes.local("ext_would_change_if"), "valueString": rec.would_change_if},
    ]
    if rec.clinical_decision is not None:
        extensions.append({"url": codes.local("ext_clinical_decision"), "valueCode": rec.clinical_decision})
    label = f"{rec.domain}: {rec.decision.replace('_', ' ')}"
    detail: dict[str, Any] = {
        "extension": extensions,
        "code": _local_concept("recommendation", rec.id, label),
        "status": "not-started",
        "description": rec.text,
        "reasonCode": [{"text": rec.rationale}],
    }
    if rec.decision == DECLINED:  # the patient's refusal: cancelled, with the reason coded as mCODE codes it
        detail.update(status="cancelled", statusReason=codes.concept("patient_refusal"), doNotPerform=True)
    elif rec.decision == DEFERRED:  # indicated, not now: on hold until the condition in the text resolves
        detail.update(status="on-hold", statusReason={"text": rec.text})
    return {"detail": detail}


def _care_plans(b: _Builder, assessment: Assessment, patient: str, condition: str) -> list[str]:
    refs: list[str] = []
    if assessment.recommendations:
        plan = {"resourceType": "CarePlan", "id": b.rid("recommendations"), "status": "active",
                "intent": "proposal", "title": "micromets recommendations",
                "description": "Decision support for the tumour board; every item must be checked by the treating team.",
                "subject": {"reference": patient}, "addresses": [{"reference": condition}],
                "activity": [_recommendation_activity(r) for r in assessment.recommendations]}
        refs.append(b.add(plan, output=True))
    if assessment.follow_up:
        activities = []
        for item in assessment.follow_up:
            detail: dict[str, Any] = {
                "code": {"text": item.what}, "status": "not-started", "description": item.what,
                "scheduledPeriod": {"start": item.due.isoformat(), "end": item.due.isoformat()},
            }
            extensions = [{"url": codes.local("ext_evidence"), "valueCoding": codes.local_coding("evidence", e)}
                          for e in item.evidence]
            if extensions:
                detail["extension"] = extensions
            activities.append({"detail": detail})
        plan = {"resourceType": "CarePlan", "id": b.rid("follow-up"), "status": "active", "intent": "proposal",
                "title": "micromets follow-up plan", "subject": {"reference": patient},
                "addresses": [{"reference": condition}], "activity": activities}
        refs.append(b.add(plan, output=True))
    return refs


def _guidance(b: _Builder, assessment: Assessment, patient: str, results: list[str]) -> None:
    parameters = {"resourceType": "Parameters", "id": b.rid("decisions"),
                  "parameter": [{"name": key, "valueCode": value} for key, value in assessment.decisions.items()]}
    if not parameters["parameter"]:
        del parameters["parameter"]
    outputs = b.add(parameters, output=True)
    issues = [{"severity": "warning", "code": "required", "diagnostics": m.why, "expression": [m.field]}
              for m in assessment.missing]
    issues += [{"severity": "information", "code": "informational", "diagnostics": w} for w in assessment.warnings]
    resource: dict[str, Any] = {
        "resourceType": "GuidanceResponse", "id": b.rid("guidance"), "moduleUri": codes.local("module"),
        "status": "data-required" if assessment.missing else "success", "subject": {"reference": patient},
        "outputParameters": {"reference": outputs},
        "note": [{"text": f"micromets {assessment.micromets_version}, rules {assessment.ruleset_version}. "
                          "Decision support only: every output must be checked by the treating team."}],
    }
    if issues:
        outcome = {"resourceType": "OperationOutcome", "id": b.rid("messages"), "issue": issues}
        resource["evaluationMessage"] = [{"reference": b.add(outcome, output=True)}]
    if assessment.missing:
        resource["dataRequirement"] = [{"type": "Observation", "mustSupport": [m.field]} for m in assessment.missing]
    if results:
        resource["result"] = {"reference": results[0]}
    b.add(resource, output=True)


def to_bundle(assessment: Assessment, case: Case | None = None) -> dict[str, Any]:
    """The assessment (and, when given, the case it was made from) as a FHIR R4 ``collection`` Bundle.

    Returns a JSON-ready dict. Without ``case`` only the output resources and a bare Patient are written.
    """
    b = _Builder(bundle_stem(assessment, case))
    patient, conforms = _patient(b, case, assessment)
    if case is not None:
        _tumour_size(b, case, patient)
        _receptors(b, case, assessment, patient)
        _nodes(b, case, assessment, patient)
        _patient_context(b, case, patient)
        _generic_fields(b, case, patient)
    condition, condition_resource = _condition(b, assessment, patient, case)
    stages = _staging(b, assessment, patient, condition, conforms)
    if stages:
        condition_resource["stage"] = [{"summary": _ajcc_value(value, "stage_values"), "type": {"text": f"AJCC 8 {label}"},
                                        "assessment": [{"reference": ref}]} for label, value, ref in stages]
    b.add(condition_resource, output=True, profile=_profile("primary_cancer_condition") if conforms else None)
    _prognosis(b, assessment, patient, condition)
    plans = _care_plans(b, assessment, patient, condition)
    _guidance(b, assessment, patient, plans)
    bundle: dict[str, Any] = {"resourceType": "Bundle", "id": b.rid("bundle"), "type": "collection",
                              "entry": b.entries}
    if assessment.id is not None:
        bundle["identifier"] = {"system": codes.local("case_id"), "value": assessment.id}
    validated: dict[str, Any] = get_fhir_model_class("Bundle").model_validate(bundle).model_dump(
        mode="json", exclude_none=True, by_alias=True)
    return validated
