"""Import of what the patient had before this cancer that changes the radiotherapy decisions: radiotherapy given
before (``conditions.prior_chest_radiotherapy``) and a connective-tissue disease
(``conditions.connective_tissue_disease``), coded the way other systems code them (codes and sources:
``mappings.prior_chest_radiotherapy`` and ``mappings.connective_tissue_disease`` in the codes file).

Only what the data say unambiguously becomes a value. Radiotherapy whose region (or side) is not given, or that
may be the treatment of this cancer, leaves the field unknown and the warning names what was seen: a guessed
region would silently change (or fail to change) the radiation decisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from micromets.interop.fhir import codes
from micromets.interop.fhir._context import Sink, breast_cancer_kind, condition_sides

__all__ = ["PriorRadiotherapy", "connective_tissue_kind", "is_radiotherapy", "is_radiotherapy_history",
           "read_connective_tissue_disease", "read_radiotherapy_history"]

_ACTIVE = {"active", "recurrence", "relapse"}
_QUIET = {"inactive", "remission", "resolved"}
_UNSURE = {"unconfirmed", "provisional", "differential"}
_GIVEN = {"completed", "in-progress", "stopped"}
#: When radiotherapy given before reaches more than one region, the one that weighs in the decisions is the value
#: (docs/case-format.md: the first two make RT 'discuss'; the other breast only does not).
_PRECEDENCE = ("ipsilateral_breast", "mantle_or_mediastinal", "contralateral_breast")


def _items(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _codings(concept: Any) -> list[dict[str, Any]]:
    return _items(concept.get("coding")) if isinstance(concept, dict) else []


def _has(concept: Any, names: list[str] | tuple[str, ...]) -> str | None:
    for one in _codings(concept):
        found = codes.code_name(one, tuple(names))
        if found:
            return found
    return None


def _shown(concept: Any) -> str:
    if isinstance(concept, dict) and concept.get("text"):
        return str(concept["text"])[:80]
    first = next(iter(_codings(concept)), {})
    return str(first.get("display") or first.get("code") or "?")[:80]


def _status(concept: Any) -> str | None:
    return next((str(c["code"]) for c in _codings(concept) if isinstance(c.get("code"), str)), None)


def _rid(resource: dict[str, Any]) -> str:
    return f"{resource.get('resourceType')}/{resource.get('id', '(no id)')}"


@cache
def _rt() -> dict[str, Any]:
    table: dict[str, Any] = codes.codes_table()["mappings"]["prior_chest_radiotherapy"]
    return table


@cache
def _ctd() -> dict[str, Any]:
    table: dict[str, Any] = codes.codes_table()["mappings"]["connective_tissue_disease"]
    return table


def _classified(concept: Any) -> list[str]:
    """The codes of the concept in ICD-10-CM or ICD-10."""
    uris = {codes.system("icd10cm"), codes.system("icd10")}
    return [str(c["code"]) for c in _codings(concept)
            if codes.canonical_system(c.get("system")) in uris and isinstance(c.get("code"), str)]


# --- connective-tissue disease -----------------------------------------------------------------------------

def connective_tissue_kind(concept: Any) -> str | None:
    """``"scleroderma"`` (systemic sclerosis) or ``"lupus"`` (systemic lupus erythematosus) for a Condition code,
    else ``None``::

        >>> connective_tissue_kind({"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M34.1"}]})
        'scleroderma'
        >>> connective_tissue_kind({"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "L94.0"}]})
    """
    for kind in ("scleroderma", "lupus"):
        entry = _ctd()[kind]
        if _has(concept, entry["snomed"]):
            return kind
        if any(code.split(".")[0] in entry["icd_categories"] for code in _classified(concept)):
            return kind
    return None


def read_connective_tissue_disease(sink: Sink, condition: dict[str, Any]) -> None:
    """A systemic sclerosis or systemic lupus Condition -> ``conditions.connective_tissue_disease``."""
    code = condition.get("code")
    kind = connective_tissue_kind(code)
    if kind is None:
        return
    path = "conditions.connective_tissue_disease"
    verification = _status(condition.get("verificationStatus"))
    if verification in _UNSURE:
        sink.warn(f"{_rid(condition)} '{_shown(code)}' is {verification}: not used ({path} left unknown)")
        return
    if verification == "refuted":
        # ruling out one disease does not say there is no connective-tissue disease at all
        sink.warn(f"{_rid(condition)} '{_shown(code)}' is refuted: {path} is not set to 'none' from it")
        return
    if kind == "scleroderma":  # the field names systemic sclerosis whatever its activity
        sink.put(path, "scleroderma")
        return
    status = _status(condition.get("clinicalStatus"))
    if status in _ACTIVE:
        sink.put(path, "active_lupus")
    elif status in _QUIET:
        sink.put(path, "other")
        sink.warn(f"{_rid(condition)}: systemic lupus recorded as {status}: {path} set to 'other' (shown, not weighed "
                  "in the radiotherapy decisions, which weigh active lupus)")
    else:
        sink.warn(f"{_rid(condition)}: systemic lupus recorded without a clinical status: whether it is active is not "
                  f"in the Bundle, so {path} is left unknown (active lupus makes radiotherapy a discussion)")


# --- radiotherapy given before ------------------------------------------------------------------------------

def is_radiotherapy(procedure: dict[str, Any]) -> bool:
    """A Procedure coded as radiotherapy (mCODE RadiotherapyCourseSummary code, or the radiotherapy category)."""
    return _has(procedure.get("code"), _rt()["procedures"]) is not None


def is_radiotherapy_history(condition: dict[str, Any]) -> bool:
    """A Condition that says radiotherapy was given (SNOMED CT history of radiation therapy, ICD-10-CM Z92.3)."""
    code = condition.get("code")
    if _has(code, _rt()["history"]):
        return True
    listed = {(codes.system(name), c) for name, cs in _rt()["history_classified"].items() for c in cs}
    return any((codes.canonical_system(one.get("system")), one.get("code")) in listed for one in _codings(code))


def read_radiotherapy_history(sink: Sink, condition: dict[str, Any]) -> None:
    """A history of radiotherapy says neither the region nor the side: reported, not read."""
    if _status(condition.get("verificationStatus")) in (*_UNSURE, "refuted"):
        return
    sink.warn(f"{_rid(condition)} '{_shown(condition.get('code'))}' says radiotherapy was given before but not to "
              "which region and side: conditions.prior_chest_radiotherapy left unknown (enter it: ipsilateral_breast, "
              "mantle_or_mediastinal, contralateral_breast or none; prior RT to this breast or the mediastinum makes "
              "radiotherapy a discussion)")


@dataclass
class PriorRadiotherapy:
    """The radiotherapy Procedures of the data, read once the cancer's side and diagnosis date are known."""

    procedures: list[dict[str, Any]]

    def read(self, sink: Sink, *, side: str | None, diagnosed: str | None, cancer_ids: set[str],
             other_ids: set[str]) -> None:
        """``cancer_ids``: the Conditions that are the cancer assessed; ``other_ids``: the Conditions that are not a
        breast cancer (radiotherapy for one of them was given for another disease)."""
        found = [value for p in self.procedures
                 if (value := _prior_region(sink, p, side, diagnosed, (cancer_ids, other_ids))) is not None]
        for value in _PRECEDENCE:
            if value in found:
                sink.put("conditions.prior_chest_radiotherapy", value)
                return


def _start(procedure: dict[str, Any]) -> str | None:
    when = procedure.get("performedDateTime")
    period = procedure.get("performedPeriod")
    if not isinstance(when, str) and isinstance(period, dict):
        when = period.get("start") or period.get("end")
    return when[:10] if isinstance(when, str) and len(when) >= 4 else None  # a year or a month is a date too


def _refers_to(procedure: dict[str, Any], ids: set[str]) -> bool:
    refs = [str(r.get("reference", "")).split("/_history")[0] for r in _items(procedure.get("reasonReference"))]
    return any(ref == i or ref.endswith("/" + i) for ref in refs for i in ids)


def _reason_sides(procedure: dict[str, Any]) -> set[str | None]:
    """The sides of the breast cancers the reasonCode names (``None``: one without a side)."""
    sides: set[str | None] = set()
    for reason in _items(procedure.get("reasonCode")):
        if breast_cancer_kind({"code": reason}) is not None:
            sides |= set(condition_sides({"code": reason})) or {None}
    return sides


def _when(procedure: dict[str, Any], side: str | None, diagnosed: str | None,
          conditions: tuple[set[str], set[str]]) -> str:
    """``"this"`` (radiotherapy of the cancer assessed), ``"before"`` (given before it) or ``"unknown"``."""
    cancer_ids, other_ids = conditions
    start = _start(procedure)
    reason_sides = _reason_sides(procedure)
    if _refers_to(procedure, cancer_ids):
        return "this"
    if start is not None and diagnosed is not None and not (start.startswith(diagnosed) or diagnosed.startswith(start)):
        return "this" if start > diagnosed else "before"  # a partial date within the other says neither
    if side is not None and side in reason_sides:
        return "this"
    other_side = side is not None and bool(reason_sides - {None}) and side not in reason_sides
    # another Condition counts only beside a recognised breast cancer: else it may be this cancer coded otherwise
    if other_side or (cancer_ids and _refers_to(procedure, other_ids)):
        return "before"  # given for the other breast's cancer, or for another disease of the data (a lymphoma)
    # a reasonCode micromets does not know as breast cancer may still be this cancer coded otherwise: not 'before'
    return "unknown"


def _sites(procedure: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    """(group, side, shown) of each bodySite: group 'breast', 'regional', 'unclear' or 'other'."""
    table = _rt()
    out = []
    for site in _items(procedure.get("bodySite")):
        side: str | None = None
        named = _has(site, ["left_breast", "right_breast"])
        if named:
            side = named.removesuffix("_breast")
        for ext in _items(site.get("extension")):
            if codes.is_extension(ext.get("url"), "laterality"):
                found = _has(ext.get("valueCodeableConcept"), ["left", "right", "right_and_left"])
                side = "both" if found == "right_and_left" else found or side
        if _has(site, table["breast"]):
            group = "breast"
        elif _has(site, table["regional"]):
            group = "mediastinal" if _has(site, table["mediastinal"]) else "regional"
        elif _has(site, table["chest_unclear"]):
            group = "unclear"
        else:
            group = "other"
        out.append((group, side, _shown(site)))
    return out


def _prior_region(sink: Sink, procedure: dict[str, Any], side: str | None, diagnosed: str | None,
                  conditions: tuple[set[str], set[str]]) -> str | None:
    """The ``prior_chest_radiotherapy`` value one radiotherapy Procedure gives, else ``None`` (warned when the data
    say chest radiotherapy but not enough to name the value)."""
    rid, path = _rid(procedure), "conditions.prior_chest_radiotherapy"
    status = procedure.get("status")
    if status not in _GIVEN:
        if status != "not-done":
            sink.warn(f"{rid}: radiotherapy with status '{status}' is not read as given ({path} not set from it)")
        return None
    sites = _sites(procedure)
    groups = {group for group, _, _ in sites}
    shown = ", ".join(s for _, _, s in sites) or "no body site"
    if sites and groups == {"other"}:
        return None  # radiotherapy elsewhere (pelvis, brain): not chest radiotherapy
    when = _when(procedure, side, diagnosed, conditions)
    if when == "this":
        return None  # the radiotherapy of this cancer is treatment, not radiotherapy given before
    if when == "unknown":
        sink.warn(f"{rid}: radiotherapy ({shown}) without a date before this cancer's diagnosis or a reason naming "
                  f"another disease: whether it was given before this cancer is not in the Bundle ({path} not set "
                  "from it)")
        return None
    breast_sides = {s for group, s, _ in sites if group == "breast"}
    if not sites:
        sink.warn(f"{rid}: radiotherapy given before this cancer without a body site: {path} left unknown")
        return None
    if None in breast_sides or (breast_sides and side is None):
        what = "without the side" if None in breast_sides else "while the tumour's side is not known"
        sink.warn(f"{rid}: radiotherapy to the breast or chest wall given before this cancer, {what} ({shown}): "
                  f"this breast or the other is not in the Bundle, so {path} is left unknown")
        return None
    if side in breast_sides or "both" in breast_sides:
        return "ipsilateral_breast"
    if "mediastinal" in groups:
        return "mantle_or_mediastinal"
    if "regional" in groups and not breast_sides:
        return "mantle_or_mediastinal"  # fields over the axillae or supraclavicular fossae (the field's definition)
    if "regional" in groups or "unclear" in groups:
        sink.warn(f"{rid}: radiotherapy given before this cancer to {shown}: not a region "
                  f"{path} names unambiguously, so it is left unknown")
        return None
    if breast_sides:
        return "contralateral_breast"
    return None
