"""Import of the patient context coded the way other systems code it: fitness, comorbidities, pregnancy,
tumour laterality and declined treatments.

Each reader takes a resource already checked against its FHIR type and writes case fields through the
collector of :mod:`micromets.interop.fhir.import_` (``put`` for a value, ``problem`` for an error that names
the field, ``warn`` for something read but not used). Nothing is guessed: a Karnofsky score is the case's
``karnofsky`` (the pipeline uses it for ECOG only when no ECOG is given, and says so), a QTc without the Fridericia formula is not a QTcF, a comorbidity without the detail a field needs
(neuropathy grade) leaves that field unknown, an autoimmune disease without whether it needed systemic treatment in the
past 2 years is ``present`` (never guessed ``active`` or ``inactive``), and each is said.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, Protocol

from micromets.interop.fhir import codes

__all__ = ["Sink", "breast_cancer_kind", "coded_sex", "is_breast_cancer", "is_comorbidity", "read_condition",
           "read_secondary_cancers", "secondary_cancer_site",
           "read_context_observation", "histology_of", "read_histology", "read_other_refusal", "read_procedure",
           "the_breast_cancers"]

_ACTIVE = {"active", "recurrence", "relapse"}
_UNSURE = {"unconfirmed", "provisional", "differential"}
_DECLINABLE = frozenset({
    "sentinel_biopsy", "axillary_surgery", "chemotherapy", "endocrine", "her2_therapy", "cdk46_inhibitor",
    "olaparib", "immunotherapy", "capecitabine", "bisphosphonate", "regional_nodal_irradiation",
    "post_mastectomy_rt", "whole_breast_rt", "boost", "ovarian_function_suppression",
})


class Sink(Protocol):
    """What the readers need from the import collector."""

    def put(self, path: str, value: Any) -> None: ...
    def problem(self, path: str, message: str) -> None: ...
    def warn(self, message: str) -> None: ...
    def missing(self, path: str, why: str) -> None: ...


def _items(value: Any) -> list[dict[str, Any]]:
    """The objects of a JSON array (anything else: none), so that a malformed element is skipped, not a crash."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _mappings() -> dict[str, Any]:
    data: dict[str, Any] = codes.codes_table()["mappings"]
    return data


def _codings(concept: Any) -> list[dict[str, Any]]:
    if not isinstance(concept, dict):
        return []
    return [c for c in _items(concept.get("coding")) if isinstance(c, dict)]


def _has(concept: Any, *names: str) -> str | None:
    for one in _codings(concept):
        found = codes.code_name(one, names)
        if found:
            return found
    return None


def _local(concept: Any, system_name: str) -> str | None:
    for one in _codings(concept):
        if one.get("system") == codes.local(system_name) and isinstance(one.get("code"), str):
            return str(one["code"])
    return None


def _status_code(concept: Any) -> str | None:
    for one in _codings(concept):
        if isinstance(one.get("code"), str):
            return str(one["code"])
    return None


def _shown(concept: Any) -> str:
    if isinstance(concept, dict) and concept.get("text"):
        return str(concept["text"])
    first = next(iter(_codings(concept)), {})
    return str(first.get("display") or first.get("code") or "?")


def _number(obs: dict[str, Any]) -> tuple[float | None, str | None]:
    """The numeric value of an Observation and its unit (UCUM code, else unit text)."""
    if isinstance(obs.get("valueInteger"), int):
        return float(obs["valueInteger"]), None
    q = obs.get("valueQuantity")
    if isinstance(q, dict) and isinstance(q.get("value"), int | float) and not isinstance(q.get("value"), bool):
        return float(q["value"]), q.get("code") or q.get("unit")
    return None, None


def _put_number(sink: Sink, path: str, obs: dict[str, Any], units: dict[str | None, float], what: str) -> None:
    value, unit = _number(obs)
    if value is None:
        sink.problem(path, f"the Bundle gives {what} without a numeric value")
        return
    if unit not in units:
        wanted = ", ".join(repr(u) for u in units if u is not None)
        sink.problem(path, f"the Bundle gives {what} in {unit!r}; micromets reads {wanted}")
        return
    sink.put(path, round(value * units[unit], 4))


# --- Observations --------------------------------------------------------------------------------------------

def read_context_observation(sink: Sink, obs: dict[str, Any]) -> bool:
    """Read one Observation of the patient context; ``False`` when its code is not one of them."""
    readers = _context_readers()
    name = _has(obs.get("code"), *readers)
    if name is None:
        return False
    readers[name](sink, obs)
    return True


@cache
def _context_readers() -> dict[str, Callable[[Sink, dict[str, Any]], None]]:
    """The reader of each code of the patient context (the first code listed wins when a coding has several)."""
    return {
        "ecog": _ecog, "karnofsky": _karnofsky, "lvef": _lvef, "lvef_echo": _lvef,
        "pregnancy_status": _pregnancy_status, "gestational_age_weeks": _gestational_age,
        "gestational_age_lmp": _gestational_age, "qtc_fridericia": _qtcf, "qtc": _qtc_other,
        "qtc_bazett": _qtc_other, "comorbidities": _comorbidities, "comorbidities_elixhauser": _elixhauser,
        **{name: _egfr for name in _mappings()["egfr"]},
    }


def _ecog(sink: Sink, obs: dict[str, Any]) -> None:
    # the grade as an integer (mCODE), or a coded answer: SNOMED CT ECOG grade or LOINC answer (LL529-9, as EHRs send)
    scales: list[list[str]] = [_mappings()["ecog_values"], _mappings()["ecog_values_loinc"]]
    value: int | None = None
    if isinstance(obs.get("valueInteger"), int):
        value = obs["valueInteger"]
    else:
        graded = {g for grades in scales if (found := _has(obs.get("valueCodeableConcept"), *grades))
                  for g in [grades.index(found)]}
        if len(graded) > 1:
            sink.problem("ecog", f"the ECOG observation codes two different grades ({', '.join(map(str, sorted(graded)))})")
            return
        value = graded.pop() if graded else None
    if value is None or not 0 <= value <= 4:
        sink.problem("ecog", f"the ECOG observation (LOINC 89247-1) gives {value if value is not None else 'no grade'}; "
                             "micromets reads an integer 0-4 (or the SNOMED CT or LOINC coded ECOG grade 0-4)")
        return
    sink.put("ecog", int(value))


def _karnofsky(sink: Sink, obs: dict[str, Any]) -> None:
    # The case field; the pipeline converts it to ECOG (ECOG-ACRIN table) only when no ECOG is given, and says so.
    value, _ = _number(obs)
    if value is None:
        sink.warn("a Karnofsky observation without a value was not used")
    elif 10 <= value <= 100 and float(value).is_integer() and int(value) % 10 == 0:
        sink.put("karnofsky", int(value))
    else:
        sink.problem("karnofsky", f"the Karnofsky observation gives {value:g}; a score is 10-100 in steps of 10")


def _lvef(sink: Sink, obs: dict[str, Any]) -> None:
    _put_number(sink, "lvef_percent", obs, {"%": 1.0}, "the LVEF")


def _egfr(sink: Sink, obs: dict[str, Any]) -> None:
    units: list[str] = _mappings()["egfr_units"]
    _put_number(sink, "conditions.egfr_ml_min", obs, dict.fromkeys(units, 1.0), "the eGFR")


def _qtcf(sink: Sink, obs: dict[str, Any]) -> None:
    _put_number(sink, "conditions.qtcf_ms", obs, {"ms": 1.0, "s": 1000.0}, "the QTc (Fridericia)")


def _qtc_other(sink: Sink, obs: dict[str, Any]) -> None:
    value, unit = _number(obs)
    which = "by Bazett" if _has(obs.get("code"), "qtc_bazett") else "without the correction formula"
    sink.warn(f"QTc {value:g} {unit or ''} given {which} (LOINC {_status_code(obs.get('code'))}) is not used: "
              "micromets needs the QTc by Fridericia (LOINC 76634-5); Bazett over-corrects at high heart rates"
              if value is not None else f"a QTc observation {which} without a value was not used")


def _pregnancy_status(sink: Sink, obs: dict[str, Any]) -> None:
    value = obs.get("valueCodeableConcept")
    found = _has(value, "pregnant", "not_pregnant")
    if found is None:
        sink.warn(f"pregnancy status '{_shown(value)}' is neither pregnant nor not pregnant: pregnancy.status left "
                  "unknown")
        return
    sink.put("pregnancy.status", found)


def _gestational_age(sink: Sink, obs: dict[str, Any]) -> None:
    if isinstance(obs.get("valueInteger"), int) and _has(obs.get("code"), "gestational_age_weeks"):
        sink.put("pregnancy.gestational_age_weeks", obs["valueInteger"])
        return
    _put_number(sink, "pregnancy.gestational_age_weeks", obs, {"wk": 1.0, "d": 1 / 7}, "the gestational age")


def _comorbidities(sink: Sink, obs: dict[str, Any]) -> None:
    """mCODE Comorbidities: the Charlson index as value (method names it); present and absent conditions as
    extensions (present by reference are read from the referenced Condition itself)."""
    method = obs.get("method")
    value, _ = _number(obs)
    is_charlson = _local(method, "case_field") == "charlson_index" or "charlson" in _shown(method).lower()
    if value is not None and is_charlson:
        sink.put("charlson_index", int(value))
    elif value is not None:
        sink.warn(f"a comorbidity score {value:g} by '{_shown(method)}' is not a Charlson index: not used")
    for ext in _items(obs.get("extension")):
        url = ext.get("url") if isinstance(ext, dict) else None
        concept = ext.get("valueCodeableConcept") if isinstance(ext, dict) else None
        if url == codes.extension_url("comorbid_absent") and concept is not None:
            if not _condition_value(sink, concept, present=False, clinical_status=None, exact=None):
                sink.warn(f"Observation/{obs.get('id', '(no id)')}: comorbidity '{_shown(concept)[:60]}' recorded as "
                          "absent (mCODE Comorbidities) is not a "
                          "condition micromets records: not used")
        elif url == codes.extension_url("comorbid_present") and concept is not None:
            if not _condition_value(sink, concept, present=True, clinical_status=None, exact=None):
                sink.warn(f"Observation/{obs.get('id', '(no id)')}: comorbidity '{_shown(concept)[:60]}' recorded as "
                          "present (mCODE Comorbidities) is not a "
                          "condition micromets records: not used")
            elif _condition_field(concept) == "autoimmune_disease":
                autoimmune_unknown(sink, _shown(concept), None)  # an mCODE Comorbidities entry says no more


#: Elixhauser categories (mCODE STU2 ComorbiditiesElixhauser) -> the case field each one is
_ELIXHAUSER_FIELDS = {"elixhauser_chf": "conditions.heart_failure"}


def _elixhauser(sink: Sink, obs: dict[str, Any]) -> None:
    """mCODE STU2 ComorbiditiesElixhauser: one component per Elixhauser category, value Present (SNOMED CT 52101004)
    or Absent (2667000). Congestive heart failure is ``conditions.heart_failure``; the other categories are not case
    fields (said); a category without a present/absent value is said too, never read as absent."""
    if isinstance(obs.get("valueInteger"), int):
        sink.warn(f"an Elixhauser comorbidity index {obs['valueInteger']} is not a Charlson index: not used")
    unused: list[str] = []
    for comp in _items(obs.get("component")):
        category = _has(comp.get("code"), *_ELIXHAUSER_FIELDS)
        said = _has(comp.get("valueCodeableConcept"), "present_qualifier", "absent_qualifier")
        shown = next((str(c.get("code")) for c in _codings(comp.get("code")) if c.get("code")), "?")
        if category is None:
            unused.append(f"{shown[:20]} {'present' if said == 'present_qualifier' else 'absent' if said else '(no value)'}")
        elif said is None:
            sink.warn(f"Elixhauser category {shown} without a Present/Absent value: {_ELIXHAUSER_FIELDS[category]} not "
                      "set from it")
        else:
            sink.put(_ELIXHAUSER_FIELDS[category], said == "present_qualifier")
    if unused:
        sink.warn(f"Observation/{obs.get('id', '(no id)')}: Elixhauser comorbidity categories that are not case fields, "
                  f"not used: {', '.join(unused[:12])}"
                  + (f" and {len(unused) - 12} more" if len(unused) > 12 else ""))


# --- Conditions ----------------------------------------------------------------------------------------------

def _condition_field(concept: Any) -> str | None:
    local = _local(concept, "case_field")
    if local is not None and local.startswith("conditions."):
        return local.removeprefix("conditions.")
    for field, names in _mappings()["conditions"].items():
        if _has(concept, *names):
            return str(field)
    for field, listed in _mappings()["conditions_classified"].items():
        if not field.startswith("_") and any(_classified_as(one, listed) for one in _codings(concept)):
            return str(field)
    return None


def _classified_as(coding: dict[str, Any], listed: dict[str, Any]) -> bool:
    """A coding of ``listed["system"]`` whose code is listed (``"I50*"``: the category I50 with any subcode)."""
    code = coding.get("code")
    if codes.canonical_system(coding.get("system")) != codes.system(listed["system"]) or not isinstance(code, str):
        return False
    return any(code == one or (one.endswith("*") and (code == one[:-1] or code.startswith(one[:-1] + ".")))
               for one in listed["codes"])


def _condition_value(sink: Sink, concept: Any, *, present: bool, clinical_status: str | None,
                     exact: dict[str, Any] | None) -> bool:
    field = _condition_field(concept)
    if field is None:
        return False
    path = f"conditions.{field}"
    if field == "autoimmune_disease":
        if exact is not None and isinstance(exact.get("valueCode"), str):
            sink.put(path, exact["valueCode"])
        elif not present:
            sink.put(path, "none")
        # else: 'present', said once every Condition is read (autoimmune_unknown), unless another gives the value
    elif field == "peripheral_neuropathy_grade":
        if exact is not None and isinstance(exact.get("valueInteger"), int):
            sink.put(path, exact["valueInteger"])
        elif not present:
            sink.put(path, 0)
        else:
            sink.warn("peripheral neuropathy recorded without a CTCAE grade: conditions.peripheral_neuropathy_grade "
                      "left unknown")
    else:
        sink.put(path, present)
    return True


def is_autoimmune_condition(condition: dict[str, Any]) -> bool:
    """A Condition coded (by another system: no micromets case value) as an autoimmune disease micromets lists: a
    SNOMED CT code of ``mappings.conditions.autoimmune_disease`` or an ICD-10-CM / ICD-10 code of
    ``mappings.autoimmune_disease_classifications`` (the codes file)."""
    code = condition.get("code")
    return _exact_value(condition) is None and _local(code, "case_field") is None \
        and (any(_has(code, name) for name in _mappings()["conditions"]["autoimmune_disease"])
             or _autoimmune_classified(code) is not None)


def _autoimmune_classified(concept: Any) -> str | None:
    """The first ICD-10-CM / ICD-10 code of the concept that names an autoimmune disease (a listed prefix of the code
    without its dot), else ``None``::

        >>> _autoimmune_classified({"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E06.3"}]})
        'E06.3'
        >>> _autoimmune_classified({"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M06.1"}]})
    """
    prefixes = tuple(_mappings()["autoimmune_disease_classifications"]["prefixes"])
    uris = {codes.system("icd10cm"), codes.system("icd10")}
    for one in _codings(concept):
        value = one.get("code")
        if codes.canonical_system(one.get("system")) in uris and isinstance(value, str) \
                and value.replace(".", "").upper().startswith(prefixes):
            return value
    return None


def is_named_autoimmune_disease(concept: Any) -> bool:
    """A code of one autoimmune disease (rheumatoid arthritis, Crohn's disease, ...), not the general 'autoimmune
    disease' concept: refuting one disease does not say there is no autoimmune disease at all."""
    names = [n for n in _mappings()["conditions"]["autoimmune_disease"] if n != "autoimmune_disease"]
    return _has(concept, *names) is not None or _autoimmune_classified(concept) is not None


def autoimmune_unknown(sink: Sink, shown: str, clinical_status: str | None) -> None:
    """An autoimmune disease coded by another system: ``conditions.autoimmune_disease`` is ``present``. The field's
    ``active`` means systemic treatment in the past 2 years (the KEYNOTE-522 exclusion, which does not count
    replacement therapy such as thyroxine or insulin), which neither the code nor the clinical status says (an active
    disease may be untreated or on replacement only; one in remission may still be on a disease-modifying drug): the
    decisions it could change (pembrolizumab) ask for it. Said as a warning."""
    status = clinical_status or "no clinical status"
    sink.warn(f"autoimmune disease '{shown[:60]}' recorded ({status}) without saying whether it needed systemic "
              "treatment in the past 2 years: conditions.autoimmune_disease set to 'present' (enter 'active' or "
              "'inactive'; active rules pembrolizumab out)")
    sink.put("conditions.autoimmune_disease", "present")


def _exact_value(resource: dict[str, Any]) -> dict[str, Any] | None:
    for ext in _items(resource.get("extension")):
        if isinstance(ext, dict) and ext.get("url") == codes.local("ext_case_value"):
            return ext
    return None


@cache
def _classified() -> dict[tuple[str, str], tuple[str, str | None, str | None]]:
    """(system URI, code) -> (kind "invasive" | "in_situ", the side the code names, the sex of the breast it names)
    of the breast cancer codes of the classifications (ICD-10-CM, ICD-10), from ``breast_cancer_classifications`` in
    the codes file (a value is the side, or ``{"side": ..., "sex": ...}``)."""
    table: dict[str, Any] = codes.codes_table()["breast_cancer_classifications"]
    out: dict[tuple[str, str], tuple[str, str | None, str | None]] = {}
    for name in ("icd10cm", "icd10"):
        uri = codes.system(table[name]["system"])
        for kind in ("invasive", "in_situ"):
            for code, named in table[name][kind].items():
                detail = named if isinstance(named, dict) else {"side": named}
                out[(uri, code)] = (kind, detail.get("side"), detail.get("sex"))
    return out


def _classified_codes(concept: Any) -> list[tuple[str, str, str | None, str | None]]:
    """(code, kind, side, sex) of each breast cancer code of a classification the concept carries."""
    found = []
    for one in _codings(concept):
        key = (str(codes.canonical_system(one.get("system"))), str(one.get("code")))
        if key in _classified():
            found.append((key[1], *_classified()[key]))
    return found


def coded_sex(condition: dict[str, Any]) -> list[tuple[str, str]]:
    """(code, "female" | "male") for each code of the Condition that names the sex of the breast (ICD-10-CM C50:
    5th character 1 female, 2 male breast)."""
    return [(code, sex) for code, _, _, sex in _classified_codes(condition.get("code")) if sex is not None]


def _other_topography(condition: dict[str, Any]) -> str | None:
    """The ICD-O-3 topography of ``bodySite`` when it is not the breast (mCODE: a Condition coded only as malignant
    neoplastic disease gives its site as an ICD-O-3 topography in ``bodySite``), else ``None``."""
    table: dict[str, Any] = codes.codes_table()["breast_cancer_classifications"]["icdo3_topography"]
    uri = codes.system(table["system"])
    sites = [str(c.get("code")) for site in _items(condition.get("bodySite")) for c in _codings(site)
             if codes.canonical_system(c.get("system")) == uri and isinstance(c.get("code"), str)]
    other = [code for code in sites if code not in table["breast"]]
    return other[0] if other and len(other) == len(sites) else None


def breast_cancer_kind(condition: dict[str, Any]) -> str | None:
    """``"invasive"`` for a Condition coded as breast cancer (mCODE example SNOMED CT codes, micromets' own code,
    ICD-10-CM / ICD-10 C50), ``"in_situ"`` for carcinoma in situ of the breast other than LCIS (ICD-10-CM / ICD-10
    D05), else ``None``. A Condition coded only as malignant neoplastic disease whose ICD-O-3 topography is another
    site (a lymphoma's lymph nodes) is another cancer::

        >>> breast_cancer_kind({"code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C50.912"}]}})
        'invasive'
        >>> breast_cancer_kind({"code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "D05.01"}]}})
    """
    code = condition.get("code")
    snomed = _has(code, *_mappings()["breast_cancer_conditions"])
    generic: list[str] = codes.codes_table()["breast_cancer_classifications"]["icdo3_topography"]["generic_cancer_codes"]
    if snomed is not None and not (snomed in generic and _other_topography(condition) is not None):
        return "invasive"
    kinds = {kind for _, kind, _, _ in _classified_codes(code)}
    return "invasive" if "invasive" in kinds else "in_situ" if kinds else None


def is_breast_cancer(condition: dict[str, Any]) -> bool:
    """A Condition coded as breast cancer, invasive or in situ (:func:`breast_cancer_kind`)."""
    return breast_cancer_kind(condition) is not None


def the_breast_cancers(conditions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Conditions that are the breast cancer assessed: the invasive ones, else the in situ ones (a DCIS
    diagnosed years before an invasive cancer is not the cancer assessed: its onset and side are not this one's)."""
    kinds = [(c, breast_cancer_kind(c)) for c in conditions]
    invasive = [c for c, kind in kinds if kind == "invasive"]
    return invasive or [c for c, kind in kinds if kind == "in_situ"]


def is_comorbidity(condition: dict[str, Any]) -> bool:
    """A Condition coded as one of the case's coded comorbidities."""
    return _condition_field(condition.get("code")) is not None


def read_condition(sink: Sink, condition: dict[str, Any], *, output: bool, the_cancer: bool | None = None) -> None:
    """A comorbidity (not output) or the breast cancer (its laterality, output or not). ``the_cancer``: whether the
    Condition is the cancer assessed (:func:`the_breast_cancers`); by default, whether it is coded as breast cancer."""
    code = condition.get("code")
    kind = breast_cancer_kind(condition)
    if the_cancer is None:
        the_cancer = kind is not None
    if the_cancer:
        _laterality(sink, condition)
        for stage in [] if output else _items(condition.get("stage")):
            if isinstance(stage.get("summary"), dict):  # mCODE PrimaryCancerCondition.stage.summary
                sink.warn(f"Condition/{condition.get('id', '(no id)')}: stage summary '{_shown(stage['summary'])[:80]}' "
                          "read but not used: micromets derives the AJCC 8 stage from the T, N and M findings")
        return
    if kind == "in_situ":
        sink.warn(f"Condition/{condition.get('id', '(no id)')} ({_shown(code)}) is a carcinoma in situ beside an "
                  "invasive breast cancer Condition: the invasive one is the cancer assessed (its onset and side are "
                  "used)")
        return
    if output:
        return
    verification = _status_code(condition.get("verificationStatus"))
    if verification in _UNSURE and _condition_field(code) is not None:
        sink.warn(f"condition '{_shown(code)}' is {verification}: not used")
        return
    if verification == "refuted" and _exact_value(condition) is None and _condition_field(code) == "autoimmune_disease" \
            and is_named_autoimmune_disease(code):
        return  # ignored: ruling out one disease does not rule out every autoimmune disease (was: 'none')
    _condition_value(sink, code, present=verification != "refuted",
                     clinical_status=_status_code(condition.get("clinicalStatus")), exact=_exact_value(condition))


def _laterality(sink: Sink, condition: dict[str, Any]) -> None:
    """The side from the code (SNOMED CT left breast cancer, ICD-10-CM C50.xx1/2, D05.x1/2) and the body sites; two
    sides are an error naming where each comes from."""
    said = condition_sides(condition)
    if len(said) > 1:
        where = "; ".join(f"{side} by {', '.join(sources)}" for side, sources in sorted(said.items()))
        sink.problem("tumour.laterality", f"the breast cancer Condition/{condition.get('id', '(no id)')} names both "
                                          f"sides ({where}); enter the laterality of the tumour assessed")
        return
    for side in said:
        sink.put("tumour.laterality", side)


def read_quadrant(sink: Sink, condition: dict[str, Any]) -> None:
    """``tumour.quadrant`` from the subsite of the one cancer's C50 code (ICD-10-CM, ICD-10) or ICD-O-3 topography
    (bodySite), or a SNOMED CT breast quadrant in its bodySite; two codes naming different quadrants are a conflict
    (the collector's error naming the field)."""
    table: dict[str, Any] = codes.codes_table()["breast_cancer_classifications"]
    by_subsite = {k: v for k, v in table["quadrant_by_subsite"].items() if not k.startswith("_")}
    by_snomed = {k: v for k, v in table["quadrant_by_snomed_body_site"].items() if not k.startswith("_")}
    found = [code for code, kind, _, _ in _classified_codes(condition.get("code")) if kind == "invasive"]
    topography, snomed = codes.system(table["icdo3_topography"]["system"]), codes.system("snomed")
    sites = [c for site in _items(condition.get("bodySite")) for c in _codings(site) if isinstance(c.get("code"), str)]
    found += [str(c["code"]) for c in sites if codes.canonical_system(c.get("system")) == topography]
    quadrants = [by_subsite.get(code[:5]) for code in found]
    quadrants += [by_snomed.get(str(c["code"])) for c in sites if codes.canonical_system(c.get("system")) == snomed]
    for quadrant in quadrants:
        if quadrant is not None:
            sink.put("tumour.quadrant", quadrant)


def read_histology(sink: Sink, condition: dict[str, Any]) -> None:
    """``tumour.histology`` from the one cancer's histology-morphology-behavior extension (mCODE: SNOMED CT morphology;
    MII Onkologie: ICD-O-3 morphology/behaviour): 8500/3 ductal, 8520/3 lobular, 8522/3 mixed, listed special types
    other. A morphology not listed (an in situ /2 behaviour, an unlisted type) is a missing ``tumour.histology`` naming
    the Condition, not a guess; two extensions naming different types are the collector's conflict."""
    table: dict[str, Any] = codes.codes_table()["breast_cancer_classifications"]["histology"]
    rid = f"Condition/{condition.get('id', '(no id)')}"
    for ext in _items(condition.get("extension")):
        if ext.get("url") in table["extension_urls"]:
            found = histology_of(sink, rid, ext.get("valueCodeableConcept"))
            if found is not None:
                sink.put("tumour.histology", found)


def histology_of(sink: Sink, rid: str, concept: Any) -> str | None:
    """``tumour.histology`` of an ICD-O-3 or SNOMED CT morphology (``fhir_codes.json``), else ``None`` with a missing
    ``tumour.histology`` (or, for codings naming two types, an error) naming ``rid``."""
    table: dict[str, Any] = codes.codes_table()["breast_cancer_classifications"]["histology"]
    icdo3, snomed = codes.system("icdo3"), codes.system("snomed")
    found: set[str] = set()
    shown: list[str] = []
    for one in _codings(concept):
        system, code = codes.canonical_system(one.get("system")), str(one.get("code"))
        by_system = table["icdo3"] if system == icdo3 else table["snomed"] if system == snomed else {}
        if not code.startswith("_") and code in by_system:
            found.add(str(by_system[code]))
        shown.append(f"{code} {one.get('display') or ''}".strip())
    if len(found) == 1:
        return found.pop()
    if found:
        sink.problem("tumour.histology", f"{rid} gives the morphology as {', '.join(sorted(found))} at once; say "
                                         "which applies")
        return None
    text = concept.get("text") if isinstance(concept, dict) else None
    said = "; ".join(shown) or (str(text) if text else "no code")
    sink.missing("tumour.histology", f"{rid} gives the morphology '{said[:80]}': not a histologic type micromets "
                                     "reads (ICD-O-3 8500/3 ductal, 8520/3 lobular, 8522/3 mixed ductal and lobular, "
                                     "or a listed special type)")
    return None


def condition_sides(condition: dict[str, Any]) -> dict[str, list[str]]:
    """The sides a breast cancer Condition names, each with where it says so (its code, its body sites)."""
    said: dict[str, list[str]] = {}
    code = condition.get("code")
    if _has(code, "left_breast_cancer"):
        said.setdefault("left", []).append("its SNOMED CT code 353431000119107")
    for found, _, side, _ in _classified_codes(code):
        if side is not None:
            said.setdefault(side, []).append(f"its code {found}")
    letters: dict[str, Any] = codes.codes_table()["coding_sides"]
    for one in _codings(code):  # German ICD side (seitenlokalisation) on the diagnosis coding
        for ext in _items(one.get("extension")):
            value = ext.get("valueCoding")
            if ext.get("url") == letters["extension_url"] and isinstance(value, dict) \
                    and value.get("system") in letters["systems"]:
                for side in letters["codes"].get(str(value.get("code")), []):
                    said.setdefault(side, []).append(f"its code's side {value.get('code')}")
    for site in _items(condition.get("bodySite")):
        for one in _codings(site):  # MII oBDS Seitenlokalisation as a bodySite coding
            if one.get("system") in letters["systems"]:
                for side in letters["codes"].get(str(one.get("code")), []):
                    said.setdefault(side, []).append(f"its bodySite side {one.get('code')}")
        if _has(site, "left_breast"):
            said.setdefault("left", []).append("its bodySite")
        if _has(site, "right_breast"):
            said.setdefault("right", []).append("its bodySite")
        if _has(site, "breast_structure"):
            for ext in _items(site.get("extension")):
                if isinstance(ext, dict) and codes.is_extension(ext.get("url"), "laterality"):
                    side = _has(ext.get("valueCodeableConcept"), "left", "right")
                    if side:
                        said.setdefault(side, []).append("its bodySite laterality")
    return said


# --- declined treatments ---------------------------------------------------------------------------------------

def read_procedure(sink: Sink, procedure: dict[str, Any]) -> None:
    """A Procedure not done because the patient refused it (statusReason 105480006) -> preferences.declined."""
    if procedure.get("status") != "not-done":
        return
    code = procedure.get("code")
    if not _has(procedure.get("statusReason"), "patient_refusal"):
        sink.warn(f"procedure '{_shown(code)}' not done for '{_shown(procedure.get('statusReason'))}', not the "
                  "patient's refusal: not read as declined")
        return
    local = _local(code, "case_value")
    if local in _DECLINABLE:
        sink.put("preferences.declined", local)
        return
    declined: dict[str, list[str]] = _mappings()["declined_import"]
    found = _has(code, *declined)
    if found is None:
        sink.warn(f"the patient declined '{_shown(code)}', which micromets cannot map to a decision: not used")
        return
    for key in declined[found]:
        sink.put("preferences.declined", key)


def read_other_refusal(sink: Sink, resource: dict[str, Any]) -> None:
    """Other ways of saying 'not to be done' are reported, not read (docs/interop.md: the Procedure idiom)."""
    kind = resource.get("resourceType")
    not_done = resource.get("doNotPerform") is True or (kind == "MedicationStatement"
                                                        and resource.get("status") == "not-taken")
    if not_done:
        what = resource.get("code") or resource.get("medicationCodeableConcept")
        sink.warn(f"{kind} '{_shown(what)}' marked not to be done is not read as a declined treatment: micromets reads "
                  "a Procedure with status not-done and the reason 'refusal of treatment by patient' (SNOMED CT "
                  "105480006)")


# --- secondary cancers (metastases) ----------------------------------------------------------------------------

def secondary_cancer_site(condition: dict[str, Any]) -> str | None:
    """``"distant"`` or ``"unclear"`` for a Condition that records a secondary malignant neoplasm (mCODE
    SecondaryCancerCondition, its SNOMED CT / ICD-10-CM codes: ``mappings.secondary_cancer``), else ``None``::

        >>> secondary_cancer_site({"code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C79.51"}]}})
        'distant'
        >>> secondary_cancer_site({"code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C77.3"}]}})
        'unclear'
    """
    table: dict[str, Any] = _mappings()["secondary_cancer"]
    code = condition.get("code")
    icd = {"system": "icd10cm"}
    if any(_classified_as(c, {**icd, "codes": table["icd10cm_unclear"]}) for c in _codings(code)):
        return "unclear"
    if any(_classified_as(c, {**icd, "codes": table["icd10cm_distant"]}) for c in _codings(code)) \
            or any(_classified_as(c, {"system": "snomed", "codes": table["snomed_distant"]}) for c in _codings(code)):
        return "distant"
    meta = condition.get("meta")
    profiles = meta.get("profile") if isinstance(meta, dict) else None
    claimed = isinstance(profiles, list) and table["profile"] in profiles
    if claimed or any(_classified_as(c, {"system": "snomed", "codes": table["snomed_unclear"]}) for c in _codings(code)):
        return "unclear"
    return None


def read_secondary_cancers(sink: Sink, conditions: list[dict[str, Any]], cancer_ids: set[str],
                           metastasis: Any) -> None:
    """Secondary cancers beside ``metastasis``, the M category read from the data. A distant metastasis of this cancer beside
    cM0 is an error on ``metastasis`` (one of them is wrong; an early breast cancer decision would be made for
    metastatic disease); without an M category it is a ``missing`` entry (M1 is not set from it: the Condition may be
    another cancer's). One whose relatedPrimaryCancerCondition is another Condition is another cancer's: said only.
    Refuted ones say nothing; unconfirmed ones are said."""
    table: dict[str, Any] = _mappings()["secondary_cancer"]
    for condition in conditions:
        site = secondary_cancer_site(condition)
        if site is None:
            continue
        rid, shown = f"Condition/{condition.get('id', '(no id)')}", _shown(condition.get("code"))[:80]
        verification = _status_code(condition.get("verificationStatus"))
        if verification == "refuted":
            continue
        related = [str(e["valueReference"].get("reference", "")) for e in _items(condition.get("extension"))
                   if e.get("url") == table["related_primary_extension"] and isinstance(e.get("valueReference"), dict)]
        if related and not any(r.split("/_history")[0].endswith(f"Condition/{i}") for r in related for i in cancer_ids):
            sink.warn(f"{rid}: secondary cancer '{shown}' of another primary ({', '.join(related)[:80]}): not read as "
                      "a metastasis of this breast cancer")
            continue
        if metastasis in ("cM1", "pM1"):
            continue
        if verification in _UNSURE:
            sink.warn(f"{rid}: secondary cancer '{shown}' is {verification}: not read as a metastasis; the M category "
                      "stays as the data give it")
            continue
        if site == "distant" and metastasis in ("cM0", "cM0(i+)"):
            sink.problem("metastasis", f"{rid} records a distant metastasis ('{shown}'), but the data give "
                                       f"{metastasis}; say which applies (cM1 or pM1 if the metastasis is this "
                                       "cancer's)")
        elif metastasis is None:
            sink.missing("metastasis", f"{rid} records a secondary cancer ('{shown}') and no M category is given: "
                                       "whether the cancer is metastatic (cM1/pM1) is not set from it; enter the M "
                                       "category")
        else:
            sink.warn(f"{rid}: secondary cancer '{shown}' does not say that it is a distant metastasis (lymph nodes "
                      f"may be regional, N; skin may be the breast's own, T4b): {metastasis} is read as given")
