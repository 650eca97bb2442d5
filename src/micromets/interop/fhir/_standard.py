"""Standard-coded FHIR (mCODE, US Core, the LOINC codes of the CAP breast protocol, SNOMED CT AJCC values) -> case.

Hospital systems do not write micromets' own ``case-field`` observations: they send LOINC "/100 cells" receptor
percentages, a HER2 IHC score as a LOINC answer, node counts by macro/micro/ITC, SNOMED CT AJCC qualifier values,
SNOMED procedures and RxNorm medications. Every code read here is listed, with its source, in
``knowledge/interop/fhir_standard.json``. Values are first collected with their *phase* (pre-treatment: clinical,
imaging, core biopsy; post-treatment: the surgical specimen) and only then turned into case fields, so a
pre-treatment size beside ``ypT0`` is the pre-treatment size, not a contradiction. What cannot be mapped is
reported (a ``missing`` entry naming the resource, or a warning), never guessed. Example::

    >>> reader = StandardReader([])
    >>> reader.category_of({"coding": [{"system": "http://snomed.info/sct", "code": "1229974002"}]}, None)
    'cN1mi'
    >>> reader.category_of({"text": "ypT0"}, None)
    'ypT0'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from micromets.errors import KnowledgeError
from micromets.interop.fhir import codes
from micromets.interop.fhir._context import condition_sides, histology_of, the_breast_cancers
from micromets.knowledge import load_json
from micromets.model.strict_json import printable
from micromets.pathology.receptors import er_status, her2_status, pr_status

__all__ = ["STANDARD_FILE", "Candidate", "StandardReader", "ajcc_coding", "expand_contained", "json_objects", "resolve_references",
           "stage_group_text", "standard_table", "tnm_categories"]

STANDARD_FILE = "interop/fhir_standard.json"
_CLINICAL_NODES = {"cN0", "cN1", "cN1mi", "cN2a", "cN2b", "cN3a", "cN3b", "cN3c"}
_METASTASIS = {"cM0", "cM0(i+)", "cM1", "pM1"}
_T4_EXTENSION = {"T4a": "chest_wall", "T4b": "skin", "T4c": "chest_wall_and_skin", "T4d": "inflammatory"}
_CATEGORY = re.compile(r"^(yc|yp|c|p|y)?\s*(T|N|M)\s*([0-4X]|is|mi)([a-d]|mi)?(\((?:i\+|mol\+|i-|mol-|sn|m|f|DCIS|Paget)\))*$",
                       re.IGNORECASE)
_SEVERITY = ("macrometastasis", "micrometastasis", "itc")


class Sink(Protocol):
    """What the reader needs from the import collector."""

    def put(self, path: str, value: Any) -> None: ...
    def problem(self, path: str, message: str) -> None: ...
    def warn(self, message: str) -> None: ...
    def missing(self, path: str, why: str) -> None: ...
    def has(self, path: str) -> bool: ...
    def get(self, path: str) -> Any: ...


def json_objects(value: Any) -> list[dict[str, Any]]:
    """The objects of a JSON array (anything else: none), so that a malformed element is skipped, not a crash."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


@cache
def standard_table() -> dict[str, Any]:
    """The code table (validated on first use: every code has a system, a code and a source)."""
    data: dict[str, Any] = load_json(STANDARD_FILE)
    systems = data.get("systems", {})
    groups = [*data["observations"].values(), *data["values"].values(), *data["methods"].values(),
              data["tnm_values"], data["stage_values"], data["procedures"], data["medications"]]
    for group in groups:
        for entry in group:
            if entry.get("system") not in systems or not entry.get("code") or not entry.get("source"):
                raise KnowledgeError(f"{STANDARD_FILE}: {entry!r} needs a known system, a code and a source")
    return data


@cache
def _index(group: str) -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
    """(system URI, code) -> (kind, entry) for ``observations``, ``values`` or ``methods``."""
    data = standard_table()
    systems = data["systems"]
    out: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    for kind, entries in data[group].items():
        if kind.startswith("_"):
            continue
        for entry in entries:
            out[(systems[entry["system"]], str(entry["code"]))] = (kind, entry)
    return out


@cache
def _flat(group: str) -> dict[tuple[str, str], dict[str, Any]]:
    data = standard_table()
    return {(data["systems"][e["system"]], str(e["code"])): e for e in data[group]}


def ajcc_coding(value: str, group: str = "tnm_values") -> dict[str, str] | None:
    """The verified SNOMED CT coding of an AJCC category (``tnm_values``) or stage group (``stage_values``).

    Suffixes that SNOMED CT does not carry for that value ("(sn)", "(m)", "(f)") are dropped from the lookup only;
    the text keeps them. ``None`` when no verified code exists::

        >>> ajcc_coding("pN1mi(sn)")["code"], ajcc_coding("IB", "stage_values")["code"], ajcc_coding("IIID", "stage_values")
        ('1229952008', '1222728005', None)
    """
    data = standard_table()
    table = {str(e["value"]): e for e in data[group]}
    entry = table.get(value) or table.get(re.sub(r"\((?:sn|m|f)\)", "", value))
    if entry is None:
        return None
    return {"system": data["systems"][entry["system"]], "code": str(entry["code"]), "display": str(entry["display"])}


def _text(name: str) -> Any:
    return standard_table()["text"][name]


def _codings(concept: Any) -> list[dict[str, Any]]:
    """The codings of a CodeableConcept, a code system OID read as its FHIR URI."""
    found = concept.get("coding") if isinstance(concept, dict) else None
    if not isinstance(found, list):
        return []
    out = []
    for one in found:
        if isinstance(one, dict):
            system = one.get("system")
            canonical = codes.canonical_system(system)
            out.append(one if canonical == system else {**one, "system": canonical})
    return out


def _words(concept: Any) -> str:
    """Every human-readable word of a CodeableConcept (text and displays), lower case."""
    if isinstance(concept, str):
        return concept.lower()
    parts = [str(concept.get("text") or "")] if isinstance(concept, dict) else []
    parts += [str(c.get("display") or "") for c in _codings(concept)]
    return " ".join(parts).lower()


def _kind(concept: Any, group: str = "observations") -> str | None:
    index = _index(group)
    for one in _codings(concept):
        found = index.get((str(one.get("system")), str(one.get("code"))))
        if found is not None:
            return found[0]
    return None


def _registry_entry(concept: Any) -> dict[str, Any] | None:
    """The code entry of a tumour-registry count (NAACCR), whose values from ``registry_codes_from`` are codes."""
    index = _index("observations")
    for one in _codings(concept):
        found = index.get((str(one.get("system")), str(one.get("code"))))
        if found is not None and isinstance(found[1].get("registry_codes_from"), int):
            return found[1]
    return None


def _values_of(concept: Any, kind: str) -> list[Any]:
    """Every mapped value of the codings of ``concept`` in ``values[kind]`` (one concept may list several genes)."""
    index = _index("values")
    found = [index.get((str(one.get("system")), str(one.get("code")))) for one in _codings(concept)]
    return [f[1].get("value") for f in found if f is not None and f[0] == kind]


def _value_of(concept: Any, kind: str) -> Any:
    """The mapped value of a coded answer of ``values[kind]``, else ``None``."""
    index = _index("values")
    for one in _codings(concept):
        found = index.get((str(one.get("system")), str(one.get("code"))))
        if found is not None and found[0] == kind:
            return found[1].get("value")
    return None


def _rid(resource: dict[str, Any]) -> str:
    return f"{resource.get('resourceType', 'Resource')}/{resource.get('id', '(no id)')}"


def _date(resource: dict[str, Any], *names: str) -> str | None:
    if "effectiveDateTime" in names:
        names = (*names, "effectiveInstant")
    for name in names:
        value = resource.get(name)
        if isinstance(value, dict):
            value = value.get("start")
        if isinstance(value, str) and len(value) >= 10:
            return value[:10]
    return None


# a decimal comma only with 1-2 decimals: "1,500" may be one thousand five hundred, and is not read
_WRITTEN_NUMBER = re.compile(r"\s*(\d{1,7}(?:\.\d{1,6}|,\d{1,2})?)\s*(mm|cm|µm|um|%|copies/µl|copies/ul)?\s*",
                             re.IGNORECASE)


def _number(element: dict[str, Any]) -> tuple[float | None, str | None]:
    """The number of an Observation or component and its unit (UCUM code, else unit text, else the unit written after
    a number in a text value: "1.8 cm"). A bound ("<1 mm", Quantity.comparator) is not one value: ``None``."""
    if isinstance(element.get("valueInteger"), int) and not isinstance(element.get("valueInteger"), bool):
        return float(element["valueInteger"]), None
    q = element.get("valueQuantity")
    if isinstance(q, dict) and isinstance(q.get("value"), int | float) and not isinstance(q.get("value"), bool):
        if q.get("comparator") is not None:
            return None, None
        unit = q.get("code") or q.get("unit")
        return float(q["value"]), str(unit) if unit is not None else None
    concept = element.get("valueCodeableConcept")
    written = element.get("valueString") if "valueString" in element else (
        concept.get("text") if isinstance(concept, dict) and "coding" not in concept else None)
    match = _WRITTEN_NUMBER.fullmatch(written) if isinstance(written, str) and len(written) < 40 else None
    if match is not None:
        unit = match.group(2)
        return float(match.group(1).replace(",", ".")), unit.lower().replace("ul", "uL") if unit else None
    return None, None


#: Observation.interpretation codes (HL7 v3 ObservationInterpretation, R4 value set observation-interpretation) that
#: say positive or negative
_INTERPRETATION = {"POS": "positive", "NEG": "negative"}


def _interpreted(obs: dict[str, Any]) -> str | None:
    """'positive' / 'negative' from ``Observation.interpretation`` (POS / NEG), else ``None`` (both: ``None``)."""
    found = {_INTERPRETATION[str(c.get("code"))] for concept in json_objects(obs.get("interpretation"))
             for c in _codings(concept) if codes.canonical_system(c.get("system")) == _V3_INTERPRETATION
             and str(c.get("code")) in _INTERPRETATION}
    return found.pop() if len(found) == 1 else None


_V3_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"


def _suffixes(concept: Any) -> list[str]:
    """AJCC/UICC suffixes ("i+", "sn") given as extensions of a category value (``tnm_suffixes``, MII Onkologie)."""
    table = standard_table()["tnm_suffixes"]
    exts = json_objects(concept.get("extension")) if isinstance(concept, dict) else []
    return [str(c["code"]) for e in exts if e.get("url") in table["urls"]
            for c in _codings(e.get("valueCodeableConcept"))
            if c.get("system") == table["system"] and c.get("code") in table["codes"]]
#: FHIR R4 DataAbsentReason code system (mCODE uses it as the value of a pM category that does not apply)
_DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"


def _grade_number(obs: dict[str, Any]) -> int | None:
    """A whole number given as the grade observation's value (valueInteger, a unitless valueQuantity, or text "2")."""
    given = obs.get("valueInteger")
    if isinstance(given, int) and not isinstance(given, bool):
        return given
    q = obs.get("valueQuantity")
    if isinstance(q, dict) and isinstance(q.get("value"), int | float) and not isinstance(q.get("value"), bool) \
            and q.get("comparator") is None and float(q["value"]).is_integer():
        return int(q["value"])
    written = obs.get("valueString")
    if isinstance(written, str) and written.strip().isdigit() and len(written.strip()) == 1:
        return int(written.strip())
    return None


def _grade_from_number(sink: Sink, obs: dict[str, Any], number: int) -> int | None:
    """The Nottingham grade a number says; under a [Score] code (LOINC 44648-4) 4-9 is the total score (Elston and
    Ellis bands) and 3 is either the grade or the score (grade 1): not guessed."""
    table = standard_table()["nottingham_score"]
    scored = any(str(c.get("code")) in table["score_codes"]["loinc"] and codes.canonical_system(c.get("system"))
                 == standard_table()["systems"]["loinc"] for c in _codings(obs.get("code")))
    if number in (1, 2) or (number == 3 and not scored):
        return number
    if scored and number in table["ambiguous"]:
        sink.missing("tumour.grade", f"{_rid(obs)} gives 3 under a Nottingham [Score] code: grade 3 or a total score "
                                     "of 3 (grade 1); give the grade (e.g. LOINC LA27824-4 'Nottingham grade 2')")
        return None
    if scored and str(number) in table["grade_by_score"]:
        grade = int(table["grade_by_score"][str(number)])
        sink.warn(f"{_rid(obs)}: {number} read as the Nottingham total score (3-9), grade {grade} (Elston and Ellis: "
                  "3-5 grade 1, 6-7 grade 2, 8-9 grade 3)")
        return grade
    sink.missing("tumour.grade", f"{_rid(obs)} gives the grade as {number}, not Nottingham grade 1, 2 or 3"
                                 + (" nor a total score 3-9" if scored else ""))
    return None


def _unread(sink: Sink, path: str, obs: dict[str, Any], element: dict[str, Any], what: str) -> None:
    """A value given but not as a number micromets can read (text, a range, a bound) -> ``missing``, named."""
    given = sorted(k for k in element if k.startswith("value"))
    if not given:
        _absent(sink, path, obs, element, what)  # a panel has no value of its own; a result may say why it has none
        return
    q = element.get("valueQuantity")
    shown = _value_text(element) or _shown_value(element) or (
        f"{q.get('comparator', '')}{q.get('value')} {q.get('unit') or q.get('code') or ''}" if isinstance(q, dict)
        else given[0])
    sink.missing(path, f"{_rid(obs)} gives {what} as '{str(shown).strip()[:60]}', not a number micromets can read")


def _absent(sink: Sink, path: str, obs: dict[str, Any], element: dict[str, Any], what: str) -> bool:
    """A result without a value that says why (``dataAbsentReason``, e.g. not-performed) -> ``missing``, named."""
    reason = element.get("dataAbsentReason")
    if not isinstance(reason, dict):
        return False
    code = next((str(c.get("code")) for c in _codings(reason) if c.get("code")), None) or str(reason.get("text") or "?")
    sink.missing(path, f"{_rid(obs)} gives no value for {what} (dataAbsentReason '{code[:40]}')")
    return True


def _percent_in_text(element: dict[str, Any]) -> float | None:
    """The one percentage written in a text value ("Positive (95%)", "95 % of nuclei"), else ``None``: a range
    ("1-10%"), a bound ("<1%") or two percentages are not one value and are not read."""
    concept = element.get("valueCodeableConcept")
    texts = [element.get("valueString"), concept.get("text") if isinstance(concept, dict) else None,
             *(c.get("display") for c in _codings(concept))]
    for text in texts:
        if not isinstance(text, str) or len(text) > 200:
            continue
        found = list(re.finditer(r"(\d{1,3}(?:\.\d+)?)\s*%", text))
        if len(found) != 1 or text.count("%") != 1:
            continue
        before, after = text[: found[0].start()].rstrip(), text[found[0].end():].lstrip().lower()
        if (before and before[-1] in "<>≤≥~-–.0123456789") or after.startswith(("-", "–", "to ")):
            continue
        value = float(found[0].group(1))
        return value if value <= 100 else None
    return None


#: a written receptor result below 1 %: "<1%", "< 1 %", "Negative (<1%)", "negative, <1 % of nuclei"
_BELOW_ONE_PERCENT = re.compile(r"(?:(?:er|pr)\b[\s:-]*)?(?:neg(?:ative)?\b[\s,:;(-]*)?\(?\s*(?:<|less than)\s*1(?:\.0)?\s*%\s*\)?"
                                r"(?:\s*(?:of\s+)?(?:tumou?r\s+)?(?:cells|nuclei)(?:\s+stained)?)?\s*\.?", re.IGNORECASE)


def _below_one_percent(element: dict[str, Any]) -> str | None:
    """The bound as shown when a result says "fewer than 1 % of nuclei stained" (Quantity.comparator '<' with 1 %, or a
    text such as "Negative (<1%)"), else ``None``. ASCO/CAP 2020 (Allison et al., J Clin Oncol 2020;38:1346):
    ER or PR in < 1 % of tumour nuclei is negative; no rule tells values below 1 % apart."""
    q = element.get("valueQuantity")
    if isinstance(q, dict):
        value, unit = q.get("value"), q.get("code") or q.get("unit")
        if isinstance(value, int | float) and not isinstance(value, bool) and unit in standard_table()["units"]["percent"] \
                and ((q.get("comparator") == "<" and 0 < value <= 1) or (q.get("comparator") == "<=" and 0 <= value < 1)):
            return f"{q['comparator']}{value:g} {unit}"
        return None
    text = _value_text(element)
    if text and len(text) < 80 and _BELOW_ONE_PERCENT.fullmatch(text.strip()):
        return text.strip()
    return None


def _quantity_number(q: Any) -> float | None:
    value = q.get("value") if isinstance(q, dict) and not q.get("comparator") else None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _ratio_percent(ratio: dict[str, Any]) -> float | None:
    """A FHIR Ratio of stained to counted cells as a percentage (30 {cells} / 100 {cells} -> 30), else ``None``: the two
    quantities must have the same unit (or none) and the denominator must be above 0 (FHIR R4 Ratio, rat-1)."""
    top, bottom = ratio.get("numerator"), ratio.get("denominator")
    n, d = _quantity_number(top), _quantity_number(bottom)
    units = {str(q.get("code") or q.get("unit") or "") for q in (top, bottom) if isinstance(q, dict)}
    if n is None or d is None or d <= 0 or len(units) != 1 or not 0 <= n <= d:
        return None
    return round(n / d * 100, 4)


def _shown_value(element: dict[str, Any]) -> str | None:
    """A range or ratio value as written ("80-90 %", "30 {cells}/100 {cells}"), for a message; else ``None``."""
    def one(q: Any) -> str:
        return f"{q.get('comparator', '')}{q.get('value', '?')} {q.get('unit') or q.get('code') or ''}".strip() \
            if isinstance(q, dict) else "?"
    if isinstance(element.get("valueRange"), dict):
        return f"the range {one(element['valueRange'].get('low'))} to {one(element['valueRange'].get('high'))}"
    if isinstance(element.get("valueRatio"), dict):
        return f"the ratio {one(element['valueRatio'].get('numerator'))} / {one(element['valueRatio'].get('denominator'))}"
    return None


def _value_text(element: dict[str, Any]) -> str:
    """The written value of an Observation or component: valueString, else the CodeableConcept's text/display."""
    if isinstance(element.get("valueString"), str):
        return str(element["valueString"])
    concept = element.get("valueCodeableConcept")
    if isinstance(concept, dict) and isinstance(concept.get("text"), str):
        return str(concept["text"])
    return next((str(c["display"]) for c in _codings(concept) if isinstance(c.get("display"), str)), "")


def _score_note(text: str) -> str:
    words = text.lower()
    if "allred" in words:
        return " (an Allred score sums proportion and intensity; it is not converted to a percentage)"
    if "h-score" in words or "hscore" in words or "h score" in words:
        return " (an H-score weights intensity; it is not converted to a percentage)"
    return ""


_NODAL_KINDS = {"nodes_examined", "nodes_positive", "sentinel_examined", "sentinel_positive", "nodes_macro",
                "nodes_micro", "nodes_itc", "deposit_size", "nodal_procedure", "n_clinical", "n_pathological"}
#: A later report of a result supersedes an earlier one of the same phase (FHIR R4 ObservationStatus).
_STATUS_RANK = {"preliminary": 0, "unknown": 0, "final": 1, "amended": 2, "corrected": 2}
_STAGE_GROUP = re.compile(r"^(?:ajcc\s*(?:8(?:th)?\s*(?:ed(?:ition)?\.?)?)?\s*)?(?:(?:clinical|pathologic(?:al)?|"
                          r"prognostic|anatomic)\s+)*(?:stage(?:\s+group)?\s*:?\s*)?(0|i{1,3}[abc]?|iv|[1-4][abc]?)$")
_TNM_TOKEN = re.compile(r"(yc|yp|c|p|y)?(T(?:is|[0-4X])(?:mi|[a-d])?|N(?:[0-3X])(?:mi|[a-c])?|M(?:0|1|X)?)"
                        r"((?:\((?:i\+|mol\+|i-|sn|m|f)\))*)", re.IGNORECASE)


_TNM_DESCRIPTOR = re.compile(r"(?:G[1-4X]|L[01X]|V[0-2X]|R[0-2X]|Pn[01X])(?=\s|$)")


def stage_group_text(text: Any) -> str | None:
    """The AJCC stage group written in a text ("Stage IIA", "IIA", "stage 2a") in Roman numerals, else ``None``.

    >>> stage_group_text("Stage IIA"), stage_group_text("2b"), stage_group_text("pT1c pN1mi M0")
    ('IIA', 'IIB', None)
    """
    if not isinstance(text, str):
        return None
    cleaned = re.sub(r"\s*\((?:ajcc|uicc|tnm)[^)]*\)\s*$", "", text.strip().lower())  # "Stage IIA (AJCC 8th)"
    match = _STAGE_GROUP.match(cleaned)
    if match is None:
        return None
    group = match.group(1).upper()
    if group[0] in "1234":
        group = ("I", "II", "III", "IV")[int(group[0]) - 1] + group[1:]
    return group


def tnm_categories(text: Any, default_prefix: str) -> list[str]:
    """The AJCC categories of a TNM text ("pT1c pN1mi M0", "pT1cN1mi(sn)M0"), each with its prefix; ``[]`` when the
    text is not entirely a TNM statement. A category without a prefix takes the one before it (or the default).

    >>> tnm_categories("pT1c pN1mi M0", "p"), tnm_categories("ypT0 N1mi(sn) cM0", "p"), tnm_categories("T2 N1 G3", "c")
    (['pT1c', 'pN1mi', 'pM0'], ['ypT0', 'ypN1mi(sn)', 'cM0'], ['cT2', 'cN1'])
    >>> tnm_categories("Positive (95%)", "p")
    []
    """
    if not isinstance(text, str) or len(text) > 200:
        return []
    rest = re.sub(r"^\s*[a-z]{0,3}tnm\s*(?:code|staging|stage)?\s*:?\s*", "", text.strip(), flags=re.IGNORECASE)
    rest = re.sub(r"\s+\(", "(", re.sub(r"[\s,;/]+", " ", rest))
    found: list[str] = []
    prefix = default_prefix
    position = 0
    while position < len(rest):
        if rest[position] == " ":
            position += 1
            continue
        other = _TNM_DESCRIPTOR.match(rest, position)
        if other is not None:  # grade and UICC descriptors (G2, L0, V1, R0, Pn0) are not categories
            position = other.end()
            continue
        match = _TNM_TOKEN.match(rest, position)
        if match is None or not match.group(2):
            return []
        prefix = (match.group(1) or prefix).lower()
        body = match.group(2)
        found.append(prefix + body[0].upper() + body[1:] + match.group(3))
        position = match.end()
    return found if len(found) >= 2 else []


def _rewritten(node: Any, mapping: dict[str, str], depth: int = 0) -> Any:
    """A copy of ``node`` with every ``{"reference": old}`` found in ``mapping`` replaced (JSON data only)."""
    if depth > 40:
        return node
    if isinstance(node, dict):
        out = {k: _rewritten(v, mapping, depth + 1) for k, v in node.items()}
        target = node.get("reference")
        if isinstance(target, str) and target in mapping:
            out["reference"] = mapping[target]
        return out
    if isinstance(node, list):
        return [_rewritten(v, mapping, depth + 1) for v in node]
    return node


def _about_whom_aside(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource without ``subject``/``patient``: a contained copy usually leaves them to its container."""
    return {k: v for k, v in resource.items() if k not in ("subject", "patient")}


def _contained_of(resource: dict[str, Any]) -> list[dict[str, Any]]:
    contained = resource.get("contained")
    return [c for c in contained if isinstance(c, dict) and isinstance(c.get("resourceType"), str)
            and c.get("resourceType") != "Bundle"] if isinstance(contained, list) else []


def expand_contained(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The resources with their ``contained`` resources beside them (a pathology report often sends its
    observations contained). A contained resource is named ``Type/<its local id>``, the container's ``#id``
    references are rewritten to that name, and it is about the container's patient unless it names one itself.

    A local id is local to its container (FHIR R4 "Contained Resources"): when two containers hold different
    resources under one local id (a biopsy report's ``#1`` and a surgical report's ``#1``), each is named
    ``Type/<container id>#<local id>`` instead, so that they stay two resources with their own report. The same
    resource under the same id (a contained copy of an entry) stays one."""
    first: dict[tuple[str, str], dict[str, Any]] = {}
    clashing: set[tuple[str, str]] = set()
    for resource in resources:
        kind = resource.get("resourceType")
        if isinstance(kind, str) and kind != "Bundle" and isinstance(resource.get("id"), str):
            first.setdefault((resource["resourceType"], resource["id"]), _about_whom_aside(resource))
    for resource in resources:
        for item in _contained_of(resource):
            if isinstance(item.get("id"), str):
                key, content = (item["resourceType"], item["id"]), _about_whom_aside(item)
                if first.setdefault(key, content) != content:
                    clashing.add(key)
    out: list[dict[str, Any]] = []
    for number, resource in enumerate(resources):
        inner = _contained_of(resource)
        if not inner:
            out.append(resource)
            continue
        scope = resource.get("id") if isinstance(resource.get("id"), str) else f"contained-{number}"
        names = {c["id"]: (f"{scope}#{c['id']}" if (c["resourceType"], c["id"]) in clashing else c["id"])
                 for c in inner if isinstance(c.get("id"), str)}
        mapping = {f"#{c['id']}": f"{c['resourceType']}/{names[c['id']]}" for c in inner if isinstance(c.get("id"), str)}
        out.append(_rewritten(resource, mapping) if mapping else resource)
        subject = next((resource[k] for k in ("subject", "patient") if isinstance(resource.get(k), dict)), None)
        for item in inner:
            item = _rewritten(item, mapping) if mapping else dict(item)
            if isinstance(item.get("id"), str):
                item["id"] = names[item["id"]]
            if subject is not None and item.get("resourceType") != "Patient" and not any(
                    isinstance(item.get(k), dict) for k in ("subject", "patient")):
                item["subject"] = subject
            out.append(item)
    return out


def _full_urls(value: Any, found: dict[str, str], depth: int = 0) -> None:
    if not isinstance(value, dict) or value.get("resourceType") != "Bundle" or depth > 8:
        return
    entries = value.get("entry")
    for entry in entries if isinstance(entries, list) else []:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            continue
        full_url, kind, rid = entry.get("fullUrl"), resource.get("resourceType"), resource.get("id")
        if isinstance(full_url, str) and isinstance(kind, str) and isinstance(rid, str):
            found[full_url] = f"{kind}/{rid}"
        _full_urls(resource, found, depth + 1)


def resolve_references(bundle: Any, resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The resources with references to another entry by its ``fullUrl`` (``urn:uuid:...`` or absolute) rewritten
    as ``Type/id`` everywhere (specimen, DiagnosticReport.result, hasMember, medicationReference ...)."""
    aliases: dict[str, str] = {}
    _full_urls(bundle, aliases)
    if not aliases:
        return resources
    return [_rewritten(r, aliases) for r in resources]


def _named_kind(words: str) -> str | None:
    """The kind of a result coded only by its name ("Estrogen receptor (IHC)", "Invasive tumour size"): the first
    listed name found decides (``text.named_results`` in the code table); ``None`` when none is."""
    padded = f" {_NOT_A_WORD.sub(' ', words)} "
    return next((kind for kind, names in _padded_names() if any(name in padded for name in names)), None)


_NOT_A_WORD = re.compile(r"[^a-z0-9+%-]+")


@cache
def _padded_names() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(kind, its names each between spaces) of ``text.named_results``, in the table's order."""
    named: dict[str, list[str]] = _text("named_results")
    return tuple((kind, tuple(f" {name} " for name in names)) for kind, names in named.items() if not kind.startswith("_"))


def _molecular_method(obs: dict[str, Any]) -> str | None:
    """``"osna"`` or ``"rt_pcr"`` when the observation's code or method names a molecular nodal test. No standard
    code for either could be verified (docs: fhir_standard.json ``text._molecular``), so the text decides."""
    words = _words(obs.get("code")) + " " + _words(obs.get("method"))
    if any(w in words for w in _text("osna")):
        return "osna"
    if any(w in words for w in _text("rt_pcr")) and any(w in words for w in _text("lymph_node")):
        return "rt_pcr"
    return None


def _reference(value: Any) -> str | None:
    target = value.get("reference") if isinstance(value, dict) else None
    return target.split("/_history")[0] if isinstance(target, str) else None


@dataclass(frozen=True)
class _Report:
    """What a DiagnosticReport says about the results it lists: their specimen, date and the report's name."""

    specimen: Any = None
    effective: dict[str, Any] = field(default_factory=dict)
    words: str = ""

    def inherited_by(self, obs: dict[str, Any]) -> dict[str, Any]:
        """The observation with the report's specimen and date where it gives none of its own."""
        if self.specimen is None and not self.effective and not self.words:
            return obs
        out = dict(obs)
        if "specimen" not in out and self.specimen is not None:
            out["specimen"] = self.specimen
        if "effectiveDateTime" not in out and "effectivePeriod" not in out:
            out.update(self.effective)
        if self.words and "method" not in out:
            out["method"] = {"text": self.words}
        return out


_NO_REPORT = _Report()


def _observation_key(reference: str) -> str:
    return "Observation/" + reference.rsplit("/", 1)[-1] if "/" in reference else reference


def _report_context(resources: list[dict[str, Any]],
                    members: dict[str, list[str]] | None = None) -> dict[str, _Report]:
    """``Observation/<id>`` -> the DiagnosticReport listing it in ``result`` (the first one, when several do), or
    listing a panel that groups it with ``hasMember`` (``members``: ``Observation/<id>`` of a panel -> its members'
    references). A synoptic report (CAP eCC in FHIR) lists its panels, whose members are the results: they are from
    the report's specimen as much as the panel is (FHIR R4 Observation.hasMember, DiagnosticReport.result)."""
    out: dict[str, _Report] = {}
    members = members or {}
    for report in resources:
        if report.get("resourceType") != "DiagnosticReport" or not isinstance(report.get("result"), list):
            continue
        specimens = report.get("specimen")
        specimen = specimens[0] if isinstance(specimens, list) and specimens and isinstance(specimens[0], dict) else None
        effective: dict[str, Any] = {k: report[k] for k in ("effectiveDateTime", "effectivePeriod") if k in report}
        words = _words(report.get("code"))
        said = words if any(w in words for w in (*_text("pre_treatment_specimen"), *_text("post_treatment_words"))) else ""
        context = _Report(specimen, effective, said)
        pending = [target for result in report["result"] if (target := _reference(result)) is not None]
        seen: set[str] = set()
        while pending:  # the panels' members, and theirs (a cycle is read once)
            key = _observation_key(pending.pop())
            if key in seen:
                continue
            seen.add(key)
            out.setdefault(key, context)
            pending += members.get(key, [])
    return out


_SIDE_WORD = re.compile(r"\b(left|right)\b")


def _procedure_side(procedure: dict[str, Any]) -> str | None:
    """The one side a Procedure's ``bodySite`` names (the mCODE laterality qualifier, a left/right breast code, or the
    words "left"/"right" of a site such as "Structure of right axilla"), else ``None`` (no side, or both)."""
    said: set[str] = set()
    for site in json_objects(procedure.get("bodySite")):
        for ext in json_objects(site.get("extension")):
            if codes.is_extension(ext.get("url"), "laterality"):
                concept = ext.get("valueCodeableConcept")
                said |= {side for side in ("left", "right") if any(codes.is_code(c, side) for c in _codings(concept))}
        said |= {side for side in ("left", "right") if any(codes.is_code(c, f"{side}_breast") for c in _codings(site))}
        said |= set(_SIDE_WORD.findall(_words(site)))
    return said.pop() if len(said) == 1 else None


@dataclass
class Candidate:
    """One value for a case field, with where it came from and whether it is pre- or post-treatment."""

    value: Any
    rid: str
    phase: str | None  # "pre", "post" or None (not said)
    date: str | None
    specimen: str | None = None
    status: str | None = None


@dataclass
class _Medication:
    agent: str | None
    name: str
    date: str | None
    rid: str
    neoadjuvant_said: bool
    #: given for another disease: "reason" (its reason is another Condition of the data) or "before onset" (given
    #: before the breast cancer was known: set when the case is written); ``None`` when nothing says so
    other_disease: str | None = None


@dataclass
class _Facts:
    fields: dict[str, list[Candidate]] = field(default_factory=dict)
    categories: list[Candidate] = field(default_factory=list)
    counts: dict[str, list[Candidate]] = field(default_factory=dict)
    deposit_sizes: list[tuple[Candidate, str]] = field(default_factory=list)  # (size in mm, method)
    medications: list[_Medication] = field(default_factory=list)
    breast_surgery: list[Candidate] = field(default_factory=list)
    nodal_surgery: list[Candidate] = field(default_factory=list)
    brca: list[Candidate] = field(default_factory=list)
    molecular: list[tuple[Candidate, str]] = field(default_factory=list)  # (OSNA copies/uL or None, "osna"|"rt_pcr")
    laterality: list[Candidate] = field(default_factory=list)
    #: results that count involved nodes but give no count (no value, or a dataAbsentReason)
    uncounted: list[str] = field(default_factory=list)
    #: MII TNM y-symbol observations (their date marks the classification made after therapy)
    y_symbols: list[Candidate] = field(default_factory=list)
    #: sites of distant metastasis (MII Fernmetastasen, SNOMED CT 385421009), checked against the M category
    distant_sites: list[Candidate] = field(default_factory=list)


def _latest(sink: Sink, path: str, candidates: list[Candidate]) -> list[Candidate]:
    """Within one phase, an amended/corrected result supersedes a final one and a final one a preliminary one;
    the same result read twice (a report and its observation) counts once."""
    unique: dict[tuple[str, Any, str | None], Candidate] = {}
    for c in candidates:
        unique.setdefault((c.rid, c.value, c.phase), c)
    candidates = list(unique.values())
    kept: list[Candidate] = []
    for phase in dict.fromkeys(c.phase for c in candidates):
        same = [c for c in candidates if c.phase == phase]
        best = max(_STATUS_RANK.get(c.status or "final", 1) for c in same)
        chosen = [c for c in same if _STATUS_RANK.get(c.status or "final", 1) == best]
        for c in same:
            if c not in chosen and c.value != chosen[0].value:
                sink.warn(f"{c.rid}: {path} {c.value} ({c.status}) is superseded by {chosen[0].value} "
                          f"({chosen[0].status or 'final'}, {chosen[0].rid})")
        if best == 0:
            sink.warn(f"{chosen[0].rid}: {path} is from a {chosen[0].status} result (no final result in the data)")
        kept += chosen
    return kept


class StandardReader:
    """Collects standard-coded values from the resources of one patient, then writes the case fields."""

    def __init__(self, resources: Iterable[dict[str, Any]], breast_cancers: list[dict[str, Any]] | None = None) -> None:
        """``breast_cancers``: the Conditions that are the cancer assessed (default: :func:`the_breast_cancers` of every
        Condition); the importer passes those it reads, without the ones entered in error."""
        self.facts = _Facts()
        #: (resource, category) of every pathological N category the data report; checked against the nodes read
        self.reported_pn: list[tuple[str, str]] = []
        self.reported_pt: list[tuple[str, str]] = []  # pT / ypT categories reported, checked against the size
        self._specimens: dict[str, dict[str, Any]] = {}
        self._medications: dict[str, dict[str, Any]] = {}
        reports = []
        resources = list(resources)
        conditions = [r for r in resources if r.get("resourceType") == "Condition"]
        cancers = the_breast_cancers(conditions) if breast_cancers is None else breast_cancers
        diagnosed = [onset for r in cancers if (onset := _date(r, "onsetDateTime", "onsetPeriod"))]
        #: every other Condition (a lymphoma, an earlier DCIS): a drug given for it is no treatment of this cancer
        self._other_conditions = {f"Condition/{r['id']}" for r in conditions
                                  if isinstance(r.get("id"), str) and not any(r is x for x in cancers)}
        #: whether the breast cancer is among the Conditions (only then is a result about another one set apart)
        self._cancer_known = bool(cancers)
        #: the side of the breast cancer when its Conditions name exactly one (a Procedure on the other side is not its)
        sides = {side for r in cancers for side in condition_sides(r)}
        self._cancer_side = sides.pop() if len(sides) == 1 else None
        for r in resources:
            kind = r.get("resourceType")
            if kind == "Specimen" and isinstance(r.get("id"), str):
                self._specimens[f"Specimen/{r['id']}"] = r
            elif kind == "Medication" and isinstance(r.get("id"), str):
                self._medications[f"Medication/{r['id']}"] = r
            elif kind == "DiagnosticReport":
                reports.append(r)
        panels = {f"Observation/{r['id']}": [t for m in json_objects(r.get("hasMember")) if (t := _reference(m))]
                  for r in resources if r.get("resourceType") == "Observation" and isinstance(r.get("id"), str)
                  and r.get("hasMember")}
        self._reports = _report_context(reports, panels)
        #: the earliest onset of the breast cancer: a drug given before it treated something else
        self._diagnosed = min(diagnosed) if diagnosed else None

    # --- reading -------------------------------------------------------------------------------------------

    def category_of(self, concept: Any, kind: str | None) -> str | None:
        """An AJCC category (``cN1mi``, ``ypT0``) from a SNOMED CT qualifier value or its text."""
        entry = _flat("tnm_values")
        for one in _codings(concept):
            found = entry.get((str(one.get("system")), str(one.get("code"))))
            if found is not None:
                return str(found["value"])
        texts = [concept.get("text")] if isinstance(concept, dict) else [concept]
        texts += [c.get("code") for c in _codings(concept)] + [c.get("display") for c in _codings(concept)]
        for text in texts:
            if not isinstance(text, str):
                continue
            cleaned = text.strip().removeprefix("American Joint Committee on Cancer ").split(" (qualifier")[0].strip()
            cleaned = re.sub(r"\s+\(", "(", cleaned)  # "pN1mi (sn)"
            match = _CATEGORY.match(cleaned)
            if match is None:
                continue
            prefix = (match.group(1) or "").lower()
            if not prefix and kind is not None:
                prefix = "c" if kind.endswith("clinical") else "p"
            body = cleaned[match.end(1):].strip() if match.group(1) else cleaned
            return prefix + body[0].upper() + body[1:]
        return None

    def _phase(self, obs: dict[str, Any]) -> str | None:
        methods = _index("methods")
        for one in _codings(obs.get("method")):
            found = methods.get((str(one.get("system")), str(one.get("code"))))
            if found is not None and found[0] in ("pre_treatment", "post_treatment"):
                return "pre" if found[0] == "pre_treatment" else "post"
        for category in json_objects(obs.get("category")):
            if any(c.get("code") in ("imaging", "exam") for c in _codings(category)):
                return "pre"
        words = _words(obs.get("method"))
        given = obs.get("specimen")
        reference: dict[str, Any] = given if isinstance(given, dict) else {}
        target = str(reference.get("reference", "")).split("/_history")[0]
        specimen = next((s for key, s in self._specimens.items() if target.endswith(key)), None)
        words += " " + str(reference.get("display") or "").lower()
        if specimen is not None:
            given_collection = specimen.get("collection")
            collection = given_collection if isinstance(given_collection, dict) else {}
            words += " " + _words(specimen.get("type")) + " " + _words(collection.get("method"))
            procedure_codes = _flat("procedures")
            for one in _codings(collection.get("method")):
                if (str(one.get("system")), str(one.get("code"))) in procedure_codes:
                    return "post"
        if any(w in words for w in _text("pre_treatment_specimen")):
            return "pre"
        if any(w in words for w in _text("post_treatment_words")):
            return "post"
        return None

    def _add(self, path: str, value: Any, obs: dict[str, Any]) -> None:
        candidate = Candidate(value, _rid(obs), self._phase(obs), _date(obs, "effectiveDateTime", "effectivePeriod"),
                              status=obs.get("status") if isinstance(obs.get("status"), str) else None)
        self.facts.fields.setdefault(path, []).append(candidate)

    def _names_other_condition(self, reference: str) -> bool:
        """Whether ``reference`` (relative ``Condition/x`` or absolute ``.../Condition/x``) names one of the other
        Conditions: looked up, not compared with each (a Bundle of thousands of Conditions and references took
        seconds per reference list; ``Condition/{id}`` holds one ``/``, a FHIR id none)."""
        if reference in self._other_conditions:
            return True
        parts = reference.rsplit("/", 2)
        return len(parts) == 3 and f"{parts[1]}/{parts[2]}" in self._other_conditions

    def _status(self, path: str, value: Any, obs: dict[str, Any]) -> None:
        """A reported Positive/Negative (not a field itself), with its phase: it is checked against the numbers."""
        self.facts.fields.setdefault(path, []).append(
            Candidate(value, _rid(obs), self._phase(obs), _date(obs, "effectiveDateTime", "effectivePeriod")))

    def observation(self, sink: Sink, obs: dict[str, Any]) -> bool:
        """Read one Observation; ``False`` when none of its codes is a standard code read here."""
        if self._reports:
            obs = self._reports.get(_rid(obs), _NO_REPORT).inherited_by(obs)
        kind = _kind(obs.get("code"))
        focus = {str(r.get("reference", "")).split("/_history")[0] for r in json_objects(obs.get("focus"))}
        other = sorted(f for f in focus if self._names_other_condition(f))
        if kind is not None and other and self._cancer_known and len(other) == len(focus):
            # mCODE STU3+: Observation.focus names the cancer a staging or marker result is about (SD_Staging.fsh:
            # "Staging is associated with a particular primary cancer condition"); another Condition's is not this one's
            sink.warn(f"{_rid(obs)} is about {', '.join(other)[:80]}, not the breast cancer assessed (Observation.focus): "
                      "not used")
            return True
        molecular = None if kind is not None else _molecular_method(obs)
        if (kind is not None or molecular is not None) and obs.get("status") == "registered":
            sink.warn(f"{_rid(obs)}: status 'registered' (no result yet): not used")
            return True
        if molecular is not None:
            self._molecular(sink, obs, molecular)
            return True
        if kind is not None and kind not in _NODAL_KINDS:
            self._laterality(sink, obs)
        handled = kind is not None
        context: dict[str, Any] = {k: obs[k] for k in ("resourceType", "id", "status", "effectiveDateTime",
                                                       "effectivePeriod", "method", "specimen", "category") if k in obs}
        for comp in json_objects(obs.get("component")):
            part = _kind(comp.get("code")) if isinstance(comp, dict) else None
            # a panel's parts (e.g. the node counts under LOINC 92832-5) are read as observations of their own
            if part is not None and part != kind and part != "tumour_size_max":
                self._dispatch(sink, {**context, **{k: v for k, v in comp.items() if k != "code"},
                                      "code": comp["code"]}, part)
                handled = True
        if kind is None:
            words = _words(obs.get("code"))
            if any(w in words for w in _text("oncotype")):
                kind = "oncotype"
            elif any(w in words for w in _text("menopause_code")):
                kind = "menopause"
            else:
                kind = _named_kind(words)
                if kind is None:
                    return handled
                sink.warn(f"{_rid(obs)}: '{_words(obs.get('code'))[:60]}' has no standard code: read by its name as "
                          f"{kind.replace('_', ' ')}")
        self._dispatch(sink, obs, kind)
        return True

    def _dispatch(self, sink: Sink, obs: dict[str, Any], kind: str) -> None:
        getattr(self, f"_obs_{_READERS.get(kind, kind)}")(sink, obs, kind)

    def _obs_size(self, sink: Sink, obs: dict[str, Any], kind: str) -> None:
        parts = [p for p in json_objects(obs.get("component")) if isinstance(p, dict) and _kind(p.get("code")) == "tumour_size_max"]
        if parts and _number(obs)[0] is not None:
            parts.append(obs)  # a value beside the longest-dimension component must be the same size (else: conflict)
        for part in parts or [obs]:
            value, unit = _number(part)
            if value is None:
                _unread(sink, "tumour.size_mm", obs, part, "the tumour size")
                continue
            mm = self._length(sink, "tumour.size_mm", value, unit, obs, part)
            if mm is not None:
                self._add("tumour.size_mm", mm, obs)

    def _length(self, sink: Sink, path: str, value: float, unit: str | None, obs: dict[str, Any],
                element: dict[str, Any] | None = None) -> float | None:
        factors: dict[str, float] = standard_table()["units"]["length"]
        q = element.get("valueQuantity") if element is not None else None
        if isinstance(q, dict) and isinstance(q.get("code"), str) and isinstance(q.get("unit"), str):
            # FHIR R4 Quantity: ``code`` is the computable unit, ``unit`` its human-readable form; a readable unit that is
            # another length ("cm" beside the code "mm") is a factor-of-ten slip in one of them, not a synonym
            coded = factors.get(q["code"], factors.get(q["code"].strip().lower()))
            written = factors.get(q["unit"].strip().lower())
            if coded is not None and written is not None and coded != written:
                sink.problem(path, f"{_rid(obs)} gives the length {value:g} with the UCUM code {q['code']!r} but the unit "
                                   f"{q['unit']!r}: they disagree; say which unit applies")
                return None
        if unit is None:
            sink.missing(path, f"{_rid(obs)} gives the length {value:g} without a unit: not used (mm or cm is not "
                               "guessed)")
            return None
        # UCUM's case-insensitive form ("MM", "CM") and the written names are the same units
        factor = factors.get(unit, factors.get(unit.strip().lower()))
        if factor is None:
            sink.problem(path, f"{_rid(obs)} gives a length in {unit!r}; micromets reads mm, cm or um")
            return None
        return round(value * factor, 4)

    def _percent(self, sink: Sink, path: str, element: dict[str, Any], obs: dict[str, Any]) -> None:
        value, unit = _number(element)
        written = element.get("valueString")
        match = re.fullmatch(r"\s*(\d{1,3}(?:\.\d+)?)\s*%?\s*", written) if isinstance(written, str) else None
        if value is None and match is not None:
            value, unit = float(match.group(1)), "%"
        if value is None:
            value = _percent_in_text(element)
            unit = "%" if value is not None else None
        if value is None and isinstance(element.get("valueRatio"), dict):
            value = _ratio_percent(element["valueRatio"])
            unit = "%" if value is not None else None
        bound = _below_one_percent(element) if value is None and path in ("tumour.er_percent", "tumour.pr_percent") \
            else None
        if bound is not None:
            name = path.split('.')[-1].replace('_percent', '').upper()
            sink.warn(f"{_rid(obs)} gives {name} as '{bound[:60]}': read as 0 % ({name}-negative; ASCO/CAP 2020: fewer "
                      "than 1 % of tumour nuclei stained is negative, and no rule tells values below 1 % apart)")
            value, unit = 0.0, "%"
        if value is None:
            name = path.split('.')[-1].replace('_percent', '').upper()
            if "valueCodeableConcept" in element or "valueString" in element:
                shown = _words(element.get("valueCodeableConcept")) or str(element.get("valueString"))
                sink.missing(path, f"{_rid(obs)} gives {name} as '{shown[:80]}', not a percentage of stained "
                                   f"nuclei{_score_note(shown)}")
            else:  # a bound ("<1 %", Quantity.comparator) is not one value; a result may say why it has none
                _unread(sink, path, obs, element, f"the {name} percentage")
            return
        if unit is not None and unit not in standard_table()["units"]["percent"]:
            sink.problem(path, f"{_rid(obs)} gives the percentage in {unit!r}; micromets reads % or /100 cells")
            return
        if unit is None and isinstance(element.get("valueQuantity"), dict) and 0 < value <= 1:
            # a number without a unit at or below 1 is a fraction (0.95 = 95 %) or a percentage (0.95 %): ASCO/CAP
            # calls one of them negative (< 1 %) and the other positive, so neither is chosen; 1 is 1 % (ER-low,
            # 1-10 %) or the whole fraction (100 %), so it is not chosen either
            name = path.split('.')[-1].replace('_percent', '').upper()
            sink.missing(path, f"{_rid(obs)} gives the {name} result as {value:g} without a unit: a fraction "
                               f"({value * 100:g} %) or {value:g} %; give the unit (UCUM '%')")
            return
        self._add(path, value, obs)

    def _obs_percent(self, sink: Sink, obs: dict[str, Any], kind: str) -> None:
        self._percent(sink, f"tumour.{kind}", obs, obs)
        flagged = _interpreted(obs)
        if flagged is not None and kind in ("er_percent", "pr_percent"):  # checked against the percentage
            self._status(f"tumour.{kind}#status", flagged, obs)

    def _obs_receptor(self, sink: Sink, obs: dict[str, Any], kind: str) -> None:
        name = kind.split("_")[0]
        path = f"tumour.{name}_percent"
        local = [c for c in json_objects(obs.get("component")) if isinstance(c, dict) and any(
            one.get("system") == codes.local("case_field") and one.get("code") == path for one in _codings(c.get("code")))]
        for comp in local:
            self._percent(sink, path, comp, obs)
        number, _ = _number(obs)
        flagged = _interpreted(obs)
        if number is not None or (not local and (_percent_in_text(obs) is not None or _below_one_percent(obs))):
            self._percent(sink, path, obs, obs)
            if flagged is not None:  # checked against the percentage (ASCO/CAP), as a written Positive/Negative is
                self._status(f"{path}#status", flagged, obs)
        elif not local and _absent(sink, path, obs, obs, f"{name.upper()} status"):
            return
        elif not local:
            shown = (_value_of(obs.get("valueCodeableConcept"), "presence") or _value_text(obs)[:80].lower()
                     or _words(obs.get("valueCodeableConcept")))
            self._status(f"{path}#status", shown or flagged or "given", obs)
            if shown and flagged is not None and shown in ("positive", "negative") and shown != flagged:
                sink.problem(path, f"{_rid(obs)} gives {name.upper()} as '{shown}' with the interpretation "
                                   f"'{flagged}'; say which applies")

    def _obs_her2_ihc(self, sink: Sink, obs: dict[str, Any], kind: str) -> None:
        concept = obs.get("valueCodeableConcept")
        score = _value_of(concept, "her2_ihc")
        if score is None:
            raw = obs.get("valueString") if isinstance(obs.get("valueString"), str) else (
                concept.get("text") if isinstance(concept, dict) else None)
            if isinstance(obs.get("valueInteger"), int) and 0 <= obs["valueInteger"] <= 3:
                raw = f"{obs['valueInteger']}+" if obs["valueInteger"] else "0"
            score = self._ihc_text(raw) or next((self._ihc_text(c.get("display")) for c in _codings(concept)
                                                 if self._ihc_text(c.get("display"))), None)
        if score is None:
            sink.missing("tumour.her2_ihc", f"{_rid(obs)} gives HER2 by IHC as '{_words(concept) or 'no value'}', not "
                                            "the score 0, 1+, 2+ or 3+")
            return
        self._add("tumour.her2_ihc", score, obs)
        if (flagged := _interpreted(obs)) is not None:  # checked against the score (with any ISH result)
            self._status("tumour.her2_ihc#status", flagged, obs)

    @staticmethod
    def _ihc_text(raw: Any) -> str | None:
        """The IHC score written in a text or display: "2+", "Score 2+ (equivocal)", "HER2 0", "ultralow"."""
        if not isinstance(raw, str):
            return None
        text = raw.strip().lower().replace("her2", "").replace("score", "").replace("ihc", "").strip(" :")
        if "ultralow" in text or "ultra-low" in text:
            return "ultralow"
        if re.fullmatch(r"\(?\s*equivocal\s*\)?\.?", text.replace("result", "").strip(" :-")):
            return "2+"  # ASCO/CAP 2018/2023: the equivocal IHC result IS IHC 2+ (read only for an IHC Observation)
        if text in ("1", "2", "3"):
            return f"{text}+"
        plus = re.search(r"(?<![\d.])([0-3])\s*\+", text)
        if plus is not None:
            return "0" if plus.group(1) == "0" else f"{plus.group(1)}+"
        if re.match(r"0(?![\d.])", text):
            return "0"
        if re.findall(r"\d+(?:\.\d+)?%?", text) == ["0"]:  # "Negative (0)": the only number is a score 0
            return "0"
        return None

    def _obs_her2_ish(self, sink: Sink, obs: dict[str, Any], kind: str) -> None:
        found = False
        for comp in json_objects(obs.get("component")):
            if _kind(comp.get("code")) in ("her2_ish_ratio", "her2_ish_copies"):
                found = True  # read as a result of its own (observation() dispatches coded components)
                continue
            words = _words(comp.get("code"))
            value, _ = _number(comp)
            if value is None:
                continue
            if any(w in words for w in _text("ish_ratio")):
                self._add("tumour.her2_ish_ratio", value, obs)
                found = True
            elif any(w in words for w in _text("ish_copies")):
                self._add("tumour.her2_ish_copies", value, obs)
                found = True
        if not found:  # reported in finish() unless another result gives the ratio
            shown = _value_text(obs)[:80] or _words(obs.get("valueCodeableConcept")) or "no value"
            self.facts.fields.setdefault("tumour.her2_ish_ratio#status", []).append(Candidate(shown, _rid(obs), None, None))

    def _obs_ish_number(self, sink: Sink, obs: dict[str, Any], kind: str) -> None:
        """HER2/CEP17 ratio (LOINC 49683-6) or HER2 signals per nucleus (LOINC 74860-8) as their own result."""
        path = f"tumour.{kind}"
        value, unit = _number(obs)
        ratio = obs.get("valueRatio")
        if value is None and kind == "her2_ish_ratio" and isinstance(ratio, dict):
            # FHIR Ratio: mean HER2 signals / mean CEP17 signals per cell, both as Quantities of the same unit
            top, bottom = ratio.get("numerator"), ratio.get("denominator")
            numbers = [float(q["value"]) for q in (top, bottom) if isinstance(q, dict) and isinstance(q.get("value"), int | float)
                       and not isinstance(q.get("value"), bool) and not q.get("comparator")]
            units = {str(q.get("code") or q.get("unit")) for q in (top, bottom) if isinstance(q, dict)
                     and (q.get("code") or q.get("unit"))}
            if len(numbers) == 2 and numbers[1] > 0 and len(units) <= 1:
                value, unit = round(numbers[0] / numbers[1], 4), None
        if value is None:
            _unread(sink, path, obs, obs, "the HER2 ISH " + ("ratio" if kind.endswith("ratio") else "copy number"))
            return
        if unit is not None and not any(w in unit.lower() for w in ("{", "1", "cell", "nucle", "ratio", "cop", "signal")):
            sink.missing(path, f"{_rid(obs)} gives the HER2 ISH result in {unit!r}: not used")
            return
        self._add(path, value, obs)

    def _obs_her2_interpretation(self, sink: Sink, obs: dict[str, Any], kind: str) -> None:
        shown = _value_of(obs.get("valueCodeableConcept"), "presence") or _words(obs.get("valueCodeableConcept"))
        flagged = _interpreted(obs)
        self._status("tumour.her2_ihc#status", shown or flagged or "given", obs)
        if shown in ("positive", "negative") and flagged is not None and shown != flagged:
            sink.problem("tumour.her2_ihc", f"{_rid(obs)} gives HER2 as '{shown}' with the interpretation '{flagged}'; "
                                            "say which applies")
        for comp in json_objects(obs.get("component")):  # micromets' own export: IHC/ISH as local components
            for one in _codings(comp.get("code") if isinstance(comp, dict) else None):
                path = one.get("code")
                if one.get("system") == codes.local("case_field") and isinstance(path, str) and path.startswith("tumour.her2_"):
                    value, _ = _number(comp)
                    concept = comp.get("valueCodeableConcept")
                    local = next((c.get("code") for c in _codings(concept) if c.get("system") == codes.local("case_value")),
                                 None)
                    self._add(path, value if value is not None else local, obs)

    def _obs_grade(self, sink: Sink, obs: dict[str, Any], kind: str) -> None:
        concept = obs.get("valueCodeableConcept")
        grade = _value_of(concept, "grade")
        number = _grade_number(obs)
        if grade is None and number is not None:
            grade = _grade_from_number(sink, obs, number)
            if grade is None:
                return
        words = _words(concept) + " " + str(obs.get("valueString") or "").lower()
        if grade is None:
            match = re.search(r"\b(?:grade|g)\s*([123]|iii|ii|i)\b", words)
            grade = {"i": 1, "ii": 2, "iii": 3}.get(match.group(1)) or int(match.group(1)) if match else None
        if grade is None and "grade" in words:
            grade = next((g for w, g in (("intermediate", 2), ("low", 1), ("high", 3)) if w in words), None)
        if grade not in (1, 2, 3):
            shown = _words(concept).strip() or next((f"code {c.get('code')}" for c in _codings(concept) if c.get("code")),
                                                    "no value")
            sink.missing("tumour.grade", f"{_rid(obs)} gives the grade as '{shown[:80]}', not Nottingham grade 1, 2 or 3")
            return
        self._add("tumour.grade", grade, obs)

    def _obs_count(self, sink: Sink, obs: dict[str, Any], kind: str) -> None:
        self._count(sink, kind, obs, obs)

    def _count(self, sink: Sink, kind: str, element: dict[str, Any], obs: dict[str, Any]) -> None:
        value, _ = _number(element)
        if value is None:
            if "examined" not in kind:
                self.facts.uncounted.append(_rid(obs))
            _unread(sink, "nodes.examined" if "examined" in kind else "nodes.deposits", obs, element,
                    f"a node count (LOINC {next((c.get('code') for c in _codings(element.get('code'))), '?')})")
            return
        if value < 0 or value != int(value):
            sink.problem("nodes.examined" if "examined" in kind else "nodes.deposits",
                         f"{_rid(obs)} gives a node count that is not a whole number")
            return
        registry = _registry_entry(element.get("code"))
        if registry is not None and value >= registry["registry_codes_from"]:
            # a tumour registry's code (NAACCR: "90 or more", "number unspecified", "no nodes examined", "unknown")
            said = (f"{_rid(obs)} gives {value:g}, a tumour registry code (NAACCR {registry['registry_codes_from']}-99), "
                    "not an exact count of nodes")
            if int(value) in registry.get("registry_codes_positive", []):
                # positive nodes in an unknown number: never staged as node-negative
                sink.problem("nodes.deposits", f"{said}: it says nodes are positive; give the counts by "
                                               "macrometastasis/micrometastasis/ITC (LOINC 85343-2, 85344-0, 85352-3)")
            else:
                sink.missing("nodes.examined" if "examined" in kind else "nodes.deposits", f"{said}: not used")
            return
        self.facts.counts.setdefault(kind, []).append(Candidate(int(value), _rid(obs), None, None))

    def _obs_deposit_size(self, sink: Sink, obs: dict[str, Any], kind: str) -> None:
        value, unit = _number(obs)
        if value is None:
            _unread(sink, "nodes.deposits", obs, obs, "the size of a node deposit")
            return
        mm = self._length(sink, "nodes.deposits", value, unit, obs, obs)
        ihc = _kind(obs.get("method"), "methods") == "ihc" or any(w in _words(obs.get("method"))
                                                                 for w in _text("ihc_method"))
        seen = any(c.rid == _rid(obs) and c.value == mm for c, _ in self.facts.deposit_sizes)
        if mm is not None and not seen:  # the same result read twice (a report's copy) is one deposit
            self.facts.deposit_sizes.append((Candidate(mm, _rid(obs), "post", None), "ihc" if ihc else "he"))

    def _obs_nodal_procedure(self, sink: Sink, obs: dict[str, Any], kind: str) -> None:
        entry = _flat("procedures")
        for one in _codings(obs.get("valueCodeableConcept")):
            found = entry.get((str(one.get("system")), str(one.get("code"))))
            if found is not None and found["field"] == "nodes.procedure":
                self.facts.nodal_surgery.append(Candidate(found["value"], _rid(obs), "post", None))

    def _obs_category(self, sink: Sink, obs: dict[str, Any], kind: str) -> None:
        given = _value_text(obs)
        value = self.category_of(obs.get("valueCodeableConcept") or given, kind)
        date = _date(obs, "effectiveDateTime", "effectivePeriod")
        if value is None:
            prefix = "c" if kind.endswith("clinical") else "p"
            absent = next((str(c.get("code")) for c in _codings(obs.get("valueCodeableConcept"))
                           if c.get("system") == _DATA_ABSENT_REASON and c.get("code")), None)
            if absent == "not-applicable" and kind == "m_pathological":
                # mCODE STU3/STU4 (tnm-pathologic-distant-metastases-category-jenny-m): no pM because the cancer is
                # not metastatic; AJCC 8 has no pM0, M0 is clinical: nothing to read, and nothing is missing
                sink.warn(f"{_rid(obs)}: pM 'not applicable' (AJCC 8: pM0 is not a category; M0 is the clinical "
                          "category): the M category is read from the clinical M observation")
                return
            if absent is not None:
                path = {"n_clinical": "clinical_nodes", "n_pathological": "nodes.deposits"}.get(
                    kind, "metastasis" if kind.startswith("m_") else "tumour.size_mm")
                sink.missing(path, f"{_rid(obs)} gives no AJCC category (data-absent-reason '{printable(absent, 40)}')")
                return
            whole = tnm_categories(given, prefix)
            if whole:  # a whole TNM statement in one category observation: each category is read
                for category in whole:
                    self.facts.categories.append(Candidate(category, _rid(obs), None, date))
                return
            sink.missing("clinical_nodes" if kind == "n_clinical" else "metastasis" if kind.startswith("m_") else
                         "tumour.size_mm", f"{_rid(obs)} gives the AJCC category '{given[:80] or 'no value'}', "
                         "which is not an AJCC 8 breast category micromets can read")
            return
        value += "".join(f"({x})" for x in _suffixes(obs.get("valueCodeableConcept")) if f"({x})" not in value)
        self.facts.categories.append(Candidate(value, _rid(obs), None, date))

    def _obs_distant_metastasis_site(self, sink: Sink, obs: dict[str, Any], kind: str) -> None:
        """A site of distant metastasis (MII Fernmetastasen): checked against the M category once it is read."""
        shown = _value_text(obs) or next((str(c.get("code")) for c in _codings(obs.get("valueCodeableConcept"))), "")
        self.facts.distant_sites.append(Candidate(shown[:60] or "no site given", _rid(obs), None,
                                                  _date(obs, "effectiveDateTime", "effectivePeriod")))

    def _distant_sites_agree(self, sink: Sink) -> None:
        """A distant metastasis beside cM0 is an error on ``metastasis`` (one of them is wrong: early breast cancer
        decisions would be made for metastatic disease); without an M category it is missing (M1 is not set from it)."""
        metastasis = sink.get("metastasis")
        for c in self.facts.distant_sites:
            if metastasis in ("cM0", "cM0(i+)"):
                sink.problem("metastasis", f"{c.rid} records a distant metastasis ({c.value}{', ' + c.date if c.date else ''}), "
                                           f"but the data give {metastasis}; say which applies")
            elif metastasis is None:
                sink.missing("metastasis", f"{c.rid} records a distant metastasis ({c.value}) and no M category is "
                                           "given: enter the M category (cM1/pM1)")

    def _obs_y_symbol(self, sink: Sink, obs: dict[str, Any], kind: str) -> None:
        """MII TNM y-Symbol (LOINC 101658-3, value SNOMED CT 421755005): the TNM classification of that date was made
        during or after initial multimodal therapy, i.e. its categories are y categories (AJCC/UICC y prefix)."""
        wanted = standard_table()["tnm_suffixes"]["y_symbol_value"]
        if not any(c.get("system") == wanted["system"] and c.get("code") == wanted["code"]
                   for c in _codings(obs.get("valueCodeableConcept"))):
            sink.warn(f"{_rid(obs)}: a TNM y-symbol observation whose value is not SNOMED CT {wanted['code']}: not used")
            return
        self.facts.y_symbols.append(Candidate("y", _rid(obs), None, _date(obs, "effectiveDateTime", "effectivePeriod")))

    def _apply_y_symbols(self, sink: Sink) -> None:
        """The categories of the date of a y-symbol observation become y categories (pT0 -> ypT0, cN1 -> ycN1): the
        classification was made after therapy. A y-symbol without a date, or whose date is that of no category, does
        not say which classification it marks: said, and nothing is changed."""
        for y in self.facts.y_symbols:
            marked = [c for c in self.facts.categories if y.date is not None and c.date is not None
                      and c.date[:10] == y.date[:10]]
            if not marked:
                sink.missing("neoadjuvant", f"{y.rid} says a TNM classification was made during or after initial "
                                            "multimodal therapy (y), but " + (
                                                "has no date" if y.date is None else f"no TNM category of {y.date} is "
                                                "given") + ": whether the categories read are y categories is not "
                                                "known; give the categories with their y prefix")
                continue
            for c in marked:
                if not str(c.value).startswith("y"):
                    c.value = "y" + str(c.value)
            sink.warn(f"{y.rid}: the TNM y-symbol marks the categories of {y.date} as y categories ("
                      f"{', '.join(str(c.value) for c in marked)})")

    def _obs_stage(self, sink: Sink, obs: dict[str, Any], kind: str) -> None:
        """A stage group is recomputed, never taken over; a TNM statement written as the stage value ("pT1c pN1mi
        M0") gives its categories, which are read as category observations are."""
        entry = _flat("stage_values")
        concept = obs.get("valueCodeableConcept")
        given = _value_text(obs)
        stage = next((entry[(str(c.get("system")), str(c.get("code")))]["value"] for c in _codings(concept)
                      if (str(c.get("system")), str(c.get("code"))) in entry), None) or stage_group_text(given)
        if stage is None:
            whole = tnm_categories(given, "c" if kind.endswith("clinical") else "p")
            if whole:
                date = _date(obs, "effectiveDateTime", "effectivePeriod")
                for category in whole:
                    self.facts.categories.append(Candidate(category, _rid(obs), None, date))
                sink.warn(f"{_rid(obs)}: the stage value '{given[:80]}' is a TNM statement: its categories are read; "
                          "the stage group is derived from them")
                return
        coded = next((str(c["code"])[:40] for c in _codings(concept) if isinstance(c.get("code"), str)), "")
        sink.warn(f"{_rid(obs)}: stage group '{stage or given[:80] or coded or 'no value'}' read but not used: micromets derives "
                  "the AJCC 8 stage from the T, N and M findings")

    def _molecular(self, sink: Sink, obs: dict[str, Any], method: str) -> None:
        """A molecular nodal result (OSNA: CK19 mRNA copies/uL; RT-PCR: positive or negative), one node each."""
        parts = [p for p in json_objects(obs.get("component")) if isinstance(p, dict) and _number(p)[0] is not None]
        for part in parts or [obs]:
            self._molecular_node(sink, obs, part, method)

    def _molecular_node(self, sink: Sink, obs: dict[str, Any], part: dict[str, Any], method: str) -> None:
        value, unit = _number(part)
        text = _value_text(part).lower()
        said = _value_of(part.get("valueCodeableConcept"), "presence")
        negative = said == "negative" or any(w in text for w in _text("molecular_negative"))
        rid = _rid(obs)
        if method == "osna":
            if value is None:
                if not negative:
                    sink.missing("nodes.deposits", f"{rid} gives an OSNA result '{text[:60] or 'no value'}' without "
                                                   "the CK19 mRNA copy number (copies/uL) that classes the node")
                return
            if unit not in standard_table()["units"]["copies_per_ul"]:
                sink.missing("nodes.deposits", f"{rid} gives an OSNA copy number {value:g} in {unit!r}, not "
                                               "CK19 mRNA copies/uL: not used")
                return
            if not any(c.rid == rid and c.value == value for c, _ in self.facts.molecular):
                self.facts.molecular.append((Candidate(value, rid, "post", None), "osna"))
            return
        if negative:
            return
        if said == "positive" or any(w in text for w in _text("molecular_positive")):
            if not any(c.rid == rid for c, _ in self.facts.molecular):
                self.facts.molecular.append((Candidate(None, rid, "post", None), "rt_pcr"))
            return
        sink.missing("nodes.deposits", f"{rid} gives an RT-PCR nodal result '{text[:60] or 'no value'}', not positive "
                                       "or negative")

    def _laterality(self, sink: Sink, obs: dict[str, Any]) -> None:
        """The side of a tumour finding from ``Observation.bodySite`` (a breast structure code or the mCODE
        laterality qualifier); the nodes' side is not read."""
        site = obs.get("bodySite")
        if not isinstance(site, dict):
            return
        side = None
        if any(codes.is_code(c, "left_breast") for c in _codings(site)):
            side = "left"
        elif any(codes.is_code(c, "right_breast") for c in _codings(site)):
            side = "right"
        for ext in json_objects(site.get("extension")):
            if isinstance(ext, dict) and codes.is_extension(ext.get("url"), "laterality"):
                concept = ext.get("valueCodeableConcept")
                if any(codes.is_code(c, "left") for c in _codings(concept)):
                    side = side or "left"
                elif any(codes.is_code(c, "right") for c in _codings(concept)):
                    side = side or "right"
        if side is None:
            words = _words(site)
            left, right = "left breast" in words, "right breast" in words
            side = "left" if left and not right else "right" if right and not left else None
        if side is not None:
            self.facts.laterality.append(Candidate(side, _rid(obs), None, None))

    def _obs_histology(self, sink: Sink, obs: dict[str, Any], kind: str) -> None:
        """Histology and behaviour (ICD-O-3) as an Observation (MII Onkologie: LOINC 59847-4)."""
        found = histology_of(sink, _rid(obs), obs.get("valueCodeableConcept"))
        if found is not None:
            self._add("tumour.histology", found, obs)

    def _obs_menopause(self, sink: Sink, obs: dict[str, Any], kind: str) -> None:
        concept = obs.get("valueCodeableConcept")
        status = _value_of(concept, "menopause")
        if status is None:
            words = _words(concept) + " " + str(obs.get("valueString") or "").lower()
            status = next((v for k, v in _text("menopause").items() if k in words), None)
        if status is None:
            sink.missing("menopausal_status", f"{_rid(obs)} gives the menopausal status as "
                                              f"'{_words(concept) or 'no value'}', not pre-, peri- or postmenopausal")
            return
        self._add("menopausal_status", status, obs)

    def _obs_oncotype(self, sink: Sink, obs: dict[str, Any], kind: str) -> None:
        value, _ = _number(obs)
        if value is None or value != int(value):
            sink.missing("oncotype_rs", f"{_rid(obs)} gives the Oncotype DX result without a whole-number score")
            return
        self._add("oncotype_rs", int(value), obs)

    def _obs_variant(self, sink: Sink, obs: dict[str, Any], kind: str) -> None:
        genes: set[str] = set()
        source: str | None = None
        for comp in json_objects(obs.get("component")):
            concept = comp.get("valueCodeableConcept") if isinstance(comp, dict) else None
            genes.update(str(g) for g in _values_of(concept, "gene"))
            source = source or _value_of(concept, "germline")
        if not genes:
            return
        result = _value_of(obs.get("valueCodeableConcept"), "variant")
        if source != "germline" or result is None:
            sink.warn(f"{_rid(obs)}: {'/'.join(sorted(genes)).upper()} result not used for germline_brca: "
                      f"{'not marked germline (LOINC LA6683-2)' if source != 'germline' else 'no Present/Absent value'}")
            return
        for gene in genes:
            self.facts.brca.append(Candidate(gene if result == "present" else f"{gene}_negative", _rid(obs), None, None))

    def brca_finding(self, resource: dict[str, Any]) -> bool:
        """A SNOMED CT BRCA1/2 mutation finding (Observation value or Condition code)."""
        for concept in (resource.get("code"), resource.get("valueCodeableConcept")):
            value = _value_of(concept, "brca_finding")
            if value is not None:
                self.facts.brca.append(Candidate(value, _rid(resource), None, None))
                return True
        return False

    def procedure(self, sink: Sink, procedure: dict[str, Any]) -> bool:
        """A completed breast or axillary operation (SNOMED CT) -> surgery / nodes.procedure."""
        entry = _flat("procedures")
        found = next((entry[(str(c.get("system")), str(c.get("code")))] for c in _codings(procedure.get("code"))
                      if (str(c.get("system")), str(c.get("code"))) in entry), None)
        if found is None:
            words = _words(procedure.get("code"))
            named = next(((k, v) for k, v in _text("procedures").items() if not k.startswith("_") and k in words), None)
            if named is None:
                return self._unmapped_cpt(sink, procedure)
            found = {"field": named[1][0], "value": named[1][1], "display": words}
        if procedure.get("status") not in ("completed", "in-progress"):
            if procedure.get("status") != "not-done":
                sink.warn(f"{_rid(procedure)}: {found['display']} with status '{procedure.get('status')}' is not read "
                          "as done")
            return procedure.get("status") != "not-done"
        side = _procedure_side(procedure)
        if side is not None and self._cancer_side is not None and side != self._cancer_side:
            # a contralateral (e.g. prophylactic) mastectomy or an axillary procedure on the other side is not the
            # operation of the cancer assessed (its bodySite laterality: mCODE laterality qualifier, SNOMED CT site)
            sink.warn(f"{_rid(procedure)}: {str(found['display'])[:60]} on the {side} side, the breast cancer assessed is "
                      f"{self._cancer_side}: not read as its surgery")
            return True
        date = _date(procedure, "performedDateTime", "performedPeriod")
        target = self.facts.breast_surgery if found["field"] == "surgery.breast" else self.facts.nodal_surgery
        target.append(Candidate(found["value"], _rid(procedure), "post", date))
        return True

    @staticmethod
    def _unmapped_cpt(sink: Sink, procedure: dict[str, Any]) -> bool:
        """A breast or lymph node operation coded in CPT that micromets does not map -> a warning naming it."""
        table = standard_table()
        cpt = table["systems"]["cpt"]
        found = [str(c.get("code")) for c in _codings(procedure.get("code")) if c.get("system") == cpt
                 and any(low <= str(c.get("code")) <= high and len(str(c.get("code"))) == 5
                         for low, high in table["cpt_unread_ranges"]["ranges"])]
        if not found or procedure.get("status") == "not-done":
            return False
        shown = _words(procedure.get("code")).strip()
        sink.warn(f"{_rid(procedure)}: CPT {found[0]}{f' ({shown[:60]!r})' if shown else ''} is a breast or lymph node "
                  "operation micromets does not map (it reads SNOMED CT codes and CPT 19301/19303): not read as "
                  "surgery or nodes.procedure; give the SNOMED CT code (e.g. 396487001 sentinel lymph node biopsy)")
        return True

    def medication(self, sink: Sink, resource: dict[str, Any]) -> bool:
        """A MedicationStatement/Request/Administration given (active or completed) -> a neoadjuvant agent or an
        adjuvant treatment. ``medicationReference`` is resolved to a Medication of the same data."""
        if resource.get("status") not in ("active", "completed", "stopped", "on-hold", "in-progress"):
            return False
        concept = resource.get("medicationCodeableConcept")
        reference = resource.get("medicationReference")
        if concept is None and isinstance(reference, dict):
            target = str(reference.get("reference", ""))
            medication = next((m for key, m in self._medications.items() if target.endswith(key)), None)
            concept = medication.get("code") if medication is not None else {"text": reference.get("display")}
        entry = _flat("medications")
        found = next((entry[(str(c.get("system")), str(c.get("code")))] for c in _codings(concept)
                      if (str(c.get("system")), str(c.get("code"))) in entry), None)
        words = _words(concept)
        if found is None:
            found = next((e for e in standard_table()["medications"] if str(e["display"]).lower() in words), None)
        if found is None and any(name in words for name in _text("platinum_names")):
            found = {"agent": "platinum", "display": words}
        if found is None:
            if words:
                sink.warn(f"{_rid(resource)}: medication '{words}' is not one micromets maps to a treatment: not used")
            return True
        categories = resource.get("category")
        concepts = [*json_objects(resource.get("reasonCode")),
                    *(categories if isinstance(categories, list) else [categories] if categories else [])]
        said = " ".join(_words(c) for c in concepts) + " " + " ".join(
            str(n.get("text") or "").lower() for n in json_objects(resource.get("note")) if isinstance(n, dict))
        date = _date(resource, "effectiveDateTime", "effectivePeriod", "authoredOn")
        reasons = {str(r.get("reference", "")).split("/_history")[0] for r in json_objects(resource.get("reasonReference"))}
        other_disease = "reason" if any(self._names_other_condition(r) for r in reasons) else None
        self.facts.medications.append(_Medication(found.get("agent"), str(found["display"]), date, _rid(resource),
                                                  any(w in said for w in _text("neoadjuvant")), other_disease))
        return True

    # --- writing the case ----------------------------------------------------------------------------------

    def finish(self, sink: Sink) -> None:
        """Turn what was read into case fields (after every resource was seen)."""
        self._apply_y_symbols(sink)
        surgery_date = self._surgery(sink)
        for candidates in self.facts.fields.values():
            for candidate in candidates:
                if candidate.phase is None and surgery_date is not None and candidate.date is not None:
                    candidate.phase = "pre" if candidate.date < surgery_date else "post"
        neoadjuvant = self._neoadjuvant(sink, surgery_date)
        self._size(sink, neoadjuvant)
        self._receptor_status(sink)
        for path, candidates in self.facts.fields.items():
            if path == "tumour.size_mm" or "#" in path:
                continue
            self._one(sink, path, candidates, neoadjuvant)
        self._status_agrees(sink)
        self._categories(sink, neoadjuvant)
        self._distant_sites_agree(sink)
        self._nodes(sink)
        self._brca(sink)
        sides = {c.value for c in self.facts.laterality}
        if len(sides) > 1:
            sink.problem("tumour.laterality", "the tumour findings name both breasts ("
                         f"{', '.join(sorted({c.rid for c in self.facts.laterality}))}); enter the side assessed")
        elif sides:
            sink.put("tumour.laterality", sides.pop())

    def _surgery(self, sink: Sink) -> str | None:
        breast = self.facts.breast_surgery
        if breast:
            kinds = {c.value for c in breast}
            chosen = "mastectomy" if "mastectomy" in kinds else "bcs"
            if len(kinds) > 1:
                sink.warn("both breast-conserving surgery and mastectomy are recorded: surgery.breast is 'mastectomy' "
                          f"(the more extensive operation; {', '.join(c.rid for c in breast)})")
            sink.put("surgery.breast", chosen)
            sink.put("surgery.status", "done")
            dates = sorted(c.date for c in breast if c.date and c.value == chosen)
            if dates:
                sink.put("surgery.date", dates[-1])
        nodal = {c.value for c in self.facts.nodal_surgery}
        if nodal:
            sink.put("nodes.procedure", "slnb_then_alnd" if nodal == {"slnb", "alnd"} else next(iter(nodal)))
        dates = sorted(c.date for c in [*breast, *self.facts.nodal_surgery] if c.date)
        return dates[0] if dates else None

    def _neoadjuvant(self, sink: Sink, surgery_date: str | None) -> bool:
        y_prefix = any(str(c.value).startswith("y") for c in self.facts.categories)
        before: list[_Medication] = []
        after: list[_Medication] = []
        if self._diagnosed is not None:
            # the cancer was known from its onset, or from an earlier result about it (a core biopsy): a system may
            # record the onset as the date of the operation
            known = [c.date for path, found in self.facts.fields.items() if path.startswith("tumour.") for c in found
                     if c.date] + [c.date for c in self.facts.categories if c.date]
            self._diagnosed = min([self._diagnosed, *known])
        for med in self.facts.medications:
            if med.other_disease is None and None not in (med.date, self._diagnosed) and str(med.date) < str(self._diagnosed):
                med.other_disease = "before onset"
            # a yp category says treatment preceded surgery: then only a stated other reason sets a drug apart
            if not med.neoadjuvant_said and (med.other_disease == "reason" or (med.other_disease and not y_prefix)):
                self._earlier_treatment(sink, med)
            elif med.neoadjuvant_said or (surgery_date is not None and med.date is not None and med.date < surgery_date):
                before.append(med)
            elif surgery_date is not None and med.date is not None:
                after.append(med)
            elif y_prefix and not self.facts.breast_surgery:
                before.append(med)
            else:
                sink.warn(f"{med.rid}: {med.name} without a date before or after the breast operation: not read as "
                          "neoadjuvant or adjuvant treatment")
        neoadjuvant = y_prefix or any(m.agent is not None for m in before)
        if neoadjuvant:
            sink.put("neoadjuvant", True)
            for agent in dict.fromkeys(m.agent for m in before if m.agent is not None):
                sink.put("neoadjuvant_therapy.agents", agent)
        for med in [m for m in before if m.agent is None]:
            sink.warn(f"{med.rid}: {med.name} given before surgery is not one of the agent classes micromets records")
        self._adjuvant(sink, after)
        return neoadjuvant

    def _earlier_treatment(self, sink: Sink, med: _Medication) -> None:
        """A drug given for another disease (before the breast cancer's onset, or for another Condition) is no
        neoadjuvant or adjuvant treatment of this cancer; an anthracycline is the case's ``prior_anthracycline``
        (its cumulative dose limits another one)."""
        why = ("given for another condition" if med.other_disease == "reason"
               else f"given on {med.date}, before the breast cancer was known ({self._diagnosed})")
        if med.agent == "anthracycline":
            sink.put("conditions.prior_anthracycline", True)
            sink.warn(f"{med.rid}: {med.name} {why}: read as a prior anthracycline (conditions.prior_anthracycline), "
                      "not as treatment of this cancer; give the cumulative dose (prior_anthracycline_mg_m2) if known")
        else:
            sink.warn(f"{med.rid}: {med.name} {why}: not read as treatment of this cancer")

    def _adjuvant(self, sink: Sink, after: list[_Medication]) -> None:
        agents = {m.agent for m in after}
        if "endocrine" in agents:
            sink.put("treatments.endocrine", True)
        if "trastuzumab" in agents:
            sink.put("treatments.trastuzumab", True)
        if "taxane" in agents:
            sink.put("treatments.chemotherapy", "third_gen")
        elif "anthracycline" in agents:
            sink.put("treatments.chemotherapy", "second_gen")
        for med in after:
            if med.agent not in ("endocrine", "trastuzumab", "taxane", "anthracycline"):
                sink.warn(f"{med.rid}: adjuvant {med.name} is not a treatment the prognosis model evaluates: not used")

    def _size(self, sink: Sink, neoadjuvant: bool) -> None:
        sizes = self.facts.fields.get("tumour.size_mm", [])
        pre = [c for c in sizes if c.phase == "pre"]
        post = [c for c in sizes if c.phase == "post"]
        unsaid = [c for c in sizes if c.phase is None]
        if neoadjuvant:
            post += unsaid if post or not pre else []
            unsaid = [] if post or not pre else unsaid
        else:
            post += unsaid
            unsaid = []
        if neoadjuvant:
            self._one(sink, "neoadjuvant_therapy.pre_treatment_size_mm", pre + unsaid, neoadjuvant, phased=False)
            if post:
                self._one(sink, "tumour.size_mm", post, neoadjuvant, phased=False)
        elif post:
            self._one(sink, "tumour.size_mm", post, neoadjuvant, phased=False)
            for c in pre:
                sink.warn(f"{c.rid}: pre-treatment (clinical) size {c.value:g} mm read but not used: the pathological "
                          "size stages the tumour")
        elif pre:
            self._one(sink, "tumour.size_mm", pre, neoadjuvant, phased=False)
            if self.facts.breast_surgery:
                sink.warn(f"{pre[0].rid}: the only tumour size is pre-treatment (imaging, examination or core biopsy) "
                          "although the tumour was resected: it is used as the invasive size; give the pathological "
                          "size (LOINC 21889-1 on the surgical specimen)")

    def _one(self, sink: Sink, path: str, candidates: list[Candidate], neoadjuvant: bool, *, phased: bool = True) -> None:
        if not candidates:
            return
        candidates = _latest(sink, path, candidates)
        values = {c.value for c in candidates}
        if len(values) == 1:
            sink.put(path, candidates[0].value)
            return
        if phased:
            # Two phases: after neoadjuvant therapy the untreated tumour (core biopsy) decides treatment; without it
            # the surgical specimen is the fuller sample. Within one phase a difference is a real contradiction.
            wanted = "pre" if neoadjuvant else "post"
            chosen = [c for c in candidates if c.phase == wanted]
            others = [c for c in candidates if c.phase not in (wanted, None)]
            if chosen and len({c.value for c in chosen}) == 1 and not [c for c in candidates if c.phase is None]:
                sink.put(path, chosen[0].value)
                for c in others:
                    sink.warn(f"{c.rid}: {path} {c.value} ({c.phase}-treatment) differs from {chosen[0].value} "
                              f"({wanted}-treatment, {chosen[0].rid}), which is used")
                return
        listed = ", ".join(f"{c.value!r} ({c.rid})" for c in candidates)
        sink.problem(path, f"the data give conflicting values {listed}; say which one applies")

    def _receptor_status(self, sink: Sink) -> None:
        for path, what, needed in (
                ("tumour.er_percent", "ER", "the percentage of stained nuclei (ER-low, endocrine and prognosis rules)"),
                ("tumour.pr_percent", "PR", "the percentage of stained nuclei"),
                ("tumour.her2_ihc", "HER2", "the IHC score (0, 1+, 2+, 3+; HER2-low and HER2 therapy rules)"),
                ("tumour.her2_ish_ratio", "HER2 ISH", "the HER2/CEP17 ratio and HER2 signals per cell, which decide the "
                                                      "ASCO/CAP ISH group")):
            status = self.facts.fields.get(f"{path}#status", [])
            if status and path not in self.facts.fields and not sink.has(path):
                sink.missing(path, f"{status[0].rid} gives {what} as '{status[0].value}' without {needed}"
                                   f"{_score_note(str(status[0].value))}")

    def _status_agrees(self, sink: Sink) -> None:
        """A reported Positive/Negative must agree with the numbers it summarises (ER/PR %, HER2 IHC with the ISH
        result), judged by the ASCO/CAP rules of ``micromets.pathology.receptors``; a disagreement is an error naming
        the field, never a silent choice. A status is compared with the results of its own phase (a core biopsy's
        "negative" is not compared with the excision's percentage: the two specimens may differ)."""
        ratio, copies = sink.get("tumour.her2_ish_ratio"), sink.get("tumour.her2_ish_copies")
        ish = f", ISH ratio {ratio:g}" if isinstance(ratio, int | float) else ""

        def judged(path: str, value: Any) -> tuple[bool, str] | None:  # (positive?, the result as shown)
            if path == "tumour.her2_ihc":
                call = her2_status(str(value), ratio if isinstance(ratio, int | float) else None,
                                   copies if isinstance(copies, int | float) else None).status
                return None if call in (None, "equivocal") else (call == "positive", f"IHC {value}{ish}")
            if not isinstance(value, int | float):
                return None
            status = er_status(value) if path == "tumour.er_percent" else pr_status(value)
            return status in ("positive", "low_positive"), f"{value:g} %"

        rules = {"tumour.er_percent": "ASCO/CAP 2020: ER >= 1 % is positive, < 1 % negative",
                 "tumour.pr_percent": "ASCO/CAP 2020: PR >= 1 % is positive, < 1 % negative",
                 "tumour.her2_ihc": "ASCO/CAP 2018/2023 HER2 rules"}
        for path, rule in rules.items():
            what = {"tumour.er_percent": "ER", "tumour.pr_percent": "PR"}.get(path, "HER2")
            for said in self.facts.fields.get(f"{path}#status", []):
                if said.value not in ("positive", "negative"):
                    continue
                results = self.facts.fields.get(path, [])
                best = {c.phase: max(_STATUS_RANK.get(r.status or "final", 1) for r in results if r.phase == c.phase)
                        for c in results}
                for result in results:
                    if _STATUS_RANK.get(result.status or "final", 1) < best[result.phase]:
                        continue  # superseded (a preliminary result beside the final one)
                    if None not in (said.phase, result.phase) and said.phase != result.phase:
                        continue
                    found = judged(path, result.value)
                    if found is not None and found[0] != (said.value == "positive"):
                        sink.problem(path, f"{said.rid} reports {what} as {said.value}, but {result.rid} gives "
                                           f"{found[1]}, which is {what}-{'positive' if found[0] else 'negative'} "
                                           f"({rule}); say which applies")
                        break

    def _categories(self, sink: Sink, neoadjuvant: bool) -> None:
        for c in self.facts.categories:
            value = str(c.value)
            axis = value.lstrip("cpy")[:1].upper()
            prefix = value[: len(value) - len(value.lstrip("cpy"))]
            if axis == "N" and prefix == "yc":
                sink.warn(f"{c.rid}: {value} (clinical, after therapy) read but not used: micromets uses the clinical "
                          "N category before therapy and the pathological node findings")
            elif axis == "N" and prefix == "c":
                base = re.sub(r"\((?:sn|m|f)\)", "", value)
                if base in _CLINICAL_NODES:
                    sink.put("clinical_nodes", base)
                    if neoadjuvant:
                        sink.put("neoadjuvant_therapy.pre_treatment_clinical_nodes", base)
                elif base != "cNX":
                    sink.missing("clinical_nodes", f"{c.rid} gives {value}; micromets needs one of "
                                                   f"{', '.join(sorted(_CLINICAL_NODES))} (e.g. cN2a or cN2b)")
            elif axis == "M":
                if re.sub(r"\((?:sn|f)\)", "", value) in ("pM0", "ypM0", "M0", "ycM0"):
                    value = "cM0"  # AJCC 8: pM0 is not a valid category; M0 is always clinical
                if value in _METASTASIS:
                    sink.put("metastasis", value)
                elif value.startswith(("cM1", "pM1")):
                    sink.put("metastasis", value[:3])
                else:
                    sink.warn(f"{c.rid}: {value} is not an AJCC 8 M category micromets reads (cM0, cM0(i+), cM1, "
                              "pM1): not used")
            elif axis == "T":
                self._t_category(sink, c, prefix, value, neoadjuvant)
            else:
                self.reported_pn.append((c.rid, value))
                sink.warn(f"{c.rid}: {value} read but not used: micromets derives the pathological N category from the "
                          "node findings")

    def _t_category(self, sink: Sink, c: Candidate, prefix: str, value: str, neoadjuvant: bool) -> None:
        core = value[len(prefix):]
        post = prefix in ("p", "yp")
        extension = _T4_EXTENSION.get(core[:3])
        if extension is not None:
            pre_path = "neoadjuvant_therapy.pre_treatment_t_extension" if neoadjuvant and not post else "tumour.t_extension"
            sink.put(pre_path, extension)
        if post and core == "T0" and not sink.has("tumour.size_mm"):
            sink.put("tumour.size_mm", 0.0)
        elif post and core.startswith("Tis") and sink.get("tumour.size_mm") in (None, 0):
            # pTis: in situ carcinoma and no invasive tumour, which an invasive size of 0 says too (AJCC 8)
            sink.put("tumour.in_situ_only", True)
        elif extension is None:  # pT0 beside a size too: an invasive size contradicts it (checked after parsing)
            if post:
                self.reported_pt.append((c.rid, value))
            sink.warn(f"{c.rid}: {value} read but not used: micromets derives T from the tumour size")

    def _nodes(self, sink: Sink) -> None:
        for kind, found in self.facts.counts.items():
            if len({c.value for c in found}) > 1:
                # e.g. a sentinel report's 2 nodes and a completion dissection's 12: neither the larger nor the sum is
                # known to be the count of the case
                path = {"nodes_examined": "nodes.examined", "sentinel_examined": "nodes.sentinel_nodes_removed"}.get(
                    kind, "nodes.deposits")
                listed = ", ".join(f"{c.value} ({c.rid})" for c in found)
                named = standard_table()["observations"][kind][0]["display"]
                sink.problem(path, f"the data give different values of '{named}': {listed}; give the count for the "
                                   "whole case")
        counts = {kind: max(c.value for c in found) for kind, found in self.facts.counts.items()}
        if "nodes_examined" in counts:
            sink.put("nodes.examined", counts["nodes_examined"])
        if "sentinel_examined" in counts:
            sink.put("nodes.sentinel_nodes_removed", counts["sentinel_examined"])
        categories = [cat for kind, cat in zip(("nodes_macro", "nodes_micro", "nodes_itc"), _SEVERITY, strict=True)
                      for _ in range(counts.get(kind, 0))]
        sizes = sorted(self.facts.deposit_sizes, key=lambda s: -float(s[0].value))
        limit = len(categories) if categories else counts.get("nodes_examined", counts.get("sentinel_examined"))
        if limit is not None and len(sizes) > limit:
            distinct = list({(float(c.value), m): (c, m) for c, m in sizes}.values())
            if len(distinct) <= limit:  # a report's copy of a deposit result under another id: one deposit
                sink.warn(f"{len(sizes)} deposit sizes ({', '.join(c.rid for c, _ in sizes)}) for {limit} node(s): "
                          "equal sizes are read as one deposit reported twice")
                sizes = distinct
        positive = counts.get("nodes_positive", counts.get("sentinel_positive", 0))
        by_counts = counts.get("nodes_macro", 0) + counts.get("nodes_micro", 0)
        molecular = self.facts.molecular
        if not categories and not sizes:
            categories = self._from_pn(sink)
        if not categories and not sizes:
            if molecular:
                self._molecular_rows(sink, 0, positive)
                return
            if positive > 0:
                sink.problem("nodes.deposits", f"the data report {positive} node(s) with metastasis but neither the "
                                               "counts by macrometastasis/micrometastasis/ITC (LOINC 85343-2, 85344-0, "
                                               "85352-3) nor deposit sizes; micromets needs them to stage the nodes")
            elif self.facts.uncounted and not counts.keys() & {"nodes_positive", "sentinel_positive"} \
                    and counts.keys() & {"nodes_examined", "sentinel_examined"} \
                    and not any(re.match(r"y?pN", str(c.value)) for c in self.facts.categories):
                # e.g. the mCODE example's 92832-5 'Sentinel lymph nodes with metastasis [#]' with only the examined
                # count as a component: the examined nodes without a deposit would read as pN0
                examined = counts.get("nodes_examined", counts.get("sentinel_examined"))
                sink.problem("nodes.deposits", f"{', '.join(dict.fromkeys(self.facts.uncounted))} count(s) the nodes "
                                               f"with metastasis but give no number, beside {examined} examined "
                                               "node(s) and no deposit: read as sent, the nodes would be staged as "
                                               "node-negative; give the number (0 if none) or the pN category")
            return
        by_counts = sum(1 for category in categories if category != "itc")
        total_given = "nodes_positive" in counts
        if categories and not molecular and (by_counts != positive if total_given else by_counts < positive):
            sink.problem("nodes.deposits", f"{positive} node(s) with metastasis, but {by_counts} counted as macro- or "
                                           "micrometastasis: the counts disagree")
            return
        if categories and len(sizes) > len(categories):
            sink.problem("nodes.deposits", f"{len(sizes)} deposit sizes for {len(categories)} involved node(s)")
            return
        rows: list[str | None] = list(categories) or [None] * len(sizes)
        for i, category in enumerate(rows):
            deposit: dict[str, Any] = {"node": i + 1, "method": sizes[i][1] if i < len(sizes) else "he"}
            if i < len(sizes):
                deposit["size_mm"] = sizes[i][0].value
            if category is not None:
                deposit["reported_category"] = category
            sink.put("nodes.deposits", deposit)
        if categories and len(sizes) < len(categories):
            sink.warn(f"{len(categories) - len(sizes)} node deposit(s) are known only by the pathologist's count "
                      "(macrometastasis/micrometastasis/ITC, LOINC by light microscopy): recorded with that category "
                      "and method H&E, without a size")
        if molecular:
            self._molecular_rows(sink, len(rows), positive)

    def _molecular_rows(self, sink: Sink, first: int, positive: int) -> None:
        """One deposit per node tested by OSNA (classed by its copy number) or positive by RT-PCR (mol+), numbered
        after the nodes found by microscopy; a count of positive nodes is not checked against them (whether a
        laboratory counts OSNA-positive nodes as nodes with metastasis varies)."""
        for i, (candidate, method) in enumerate(self.facts.molecular):
            deposit: dict[str, Any] = {"node": first + i + 1, "method": method}
            if method == "osna":
                deposit["osna_copies_per_ul"] = candidate.value
            sink.put("nodes.deposits", deposit)
        if positive:
            sink.warn(f"{positive} node(s) with metastasis counted beside {len(self.facts.molecular)} molecular (OSNA/"
                      "RT-PCR) node result(s): the nodes are staged from the results, not the count")

    def _from_pn(self, sink: Sink) -> list[str]:
        """Node classes from a pathological N category when no count or deposit was given: pN0(i+) and pN1mi say
        which class at least one node has (their count does not change N); any other positive pN cannot be
        turned into nodes, and staging such a case as node-negative would be wrong, so it is an error."""
        given = [c for c in self.facts.categories if re.match(r"y?pN", str(c.value))]
        if not given:
            return []
        # "(i-)" / "(mol-)": IHC / RT-PCR found nothing (AJCC 8 pN0(i-), pN0(mol-)): node-negative
        value = re.sub(r"\((?:sn|f|i-|mol-)\)", "", str(given[-1].value)).removeprefix("y").removeprefix("p")
        if value in ("N0", "N0(mol+)", "NX"):
            return []
        if value in ("N0(i+)", "N1mi"):
            category = "itc" if value == "N0(i+)" else "micrometastasis"
            sink.warn(f"{given[-1].rid}: {given[-1].value} given without node counts: recorded as one node with "
                      f"{category} (there may be more); give LOINC 85344-0 / 85352-3 and the examined count")
            return [category]
        sink.problem("nodes.deposits", f"{given[-1].rid} gives {given[-1].value} but no node counts by class (LOINC "
                                       "85343-2, 85344-0, 85352-3) or deposit sizes; micromets needs them to stage")
        return []

    def _brca(self, sink: Sink) -> None:
        found = {str(c.value) for c in self.facts.brca}
        positive = sorted(v for v in found if v in ("brca1", "brca2"))
        if len(positive) > 1:
            sink.problem("germline_brca", "pathogenic variants in both BRCA1 and BRCA2 are recorded; enter the one "
                                          "that applies")
        elif positive:
            sink.put("germline_brca", positive[0])
        elif {"brca1_negative", "brca2_negative"} <= found:
            sink.put("germline_brca", "negative")
        elif found:
            sink.warn("a germline test of only one of BRCA1/BRCA2 is recorded as negative: germline_brca left unknown")


_READERS = {
    "tumour_size": "size", "tumour_size_max": "size", "er_percent": "percent", "pr_percent": "percent",
    "ki67_percent": "percent", "er_status": "receptor", "pr_status": "receptor", "nodes_examined": "count",
    "nodes_positive": "count", "sentinel_examined": "count", "sentinel_positive": "count", "nodes_macro": "count",
    "nodes_micro": "count", "nodes_itc": "count", "t_clinical": "category", "t_pathological": "category",
    "n_clinical": "category", "n_pathological": "category", "m_clinical": "category", "m_pathological": "category",
    "stage_clinical": "stage", "stage_pathological": "stage", "genetic_variant": "variant",
    "her2_ish_ratio": "ish_number", "her2_ish_copies": "ish_number",
}
