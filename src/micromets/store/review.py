"""Re-assess a recorded case under the current rule set and say what moved.

What a tumour board needs when guidelines change: the stored case goes through today's pipeline
(``micromets.assess``) and the new assessment is compared with the one that was returned then —
decisions (with the rule ids behind them), stage, findings, survival figures that moved by more than
``FIGURE_TOLERANCE``, recommendations added, removed or changed (by rule id), missing data and
warnings, and the micromets / rule-set / PREDICT versions old and new.

Pure: nothing is read or written here (the caller records the re-assessment in the audit store).
The comparison works on the stored JSON, so a record written by an older micromets whose assessment
no longer validates against today's model can still be compared.

    >>> from micromets.assess import assess
    >>> from micromets.model import parse_case
    >>> from micromets.store import Store
    >>> case = parse_case({"id": "p", "tumour": {"size_mm": 8}, "metastasis": "cM0"})
    >>> with Store.in_memory() as store:
    ...     row = store.record(case, assess(case), source="api")
    ...     review = reassess(row)
    >>> review.changed, review.versions["ruleset_version"].changed
    (False, False)
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from micromets.model import Assessment, Case, parse_case
from micromets.store.repository import StoredAssessment

__all__ = ["FIGURE_TOLERANCE", "Change", "DecisionChange", "Reassessment", "RecommendationChange",
           "VersionPair", "compare", "reassess"]

#: Survival figures (fractions) that differ by at most this much are not reported as moved: 0.1
#: percentage point, below the precision at which PREDICT figures are read out to patients.
FIGURE_TOLERANCE = 0.001
_STAGE_FIELDS = ("t", "n", "m", "anatomic_stage", "pathological_prognostic_stage", "clinical_prognostic_stage",
                 "edition")
_SERIES = ("overall_survival", "breast_cancer_mortality")
_REC_FIELDS = ("decision", "strength", "domain", "text", "rationale", "evidence", "would_change_if")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Change(_Frozen):
    """One output that differs: ``field`` names it (``staging.n``, ``overall_survival.with_treatments[5y]``)."""

    field: str
    before: Any
    after: Any


class DecisionChange(Change):
    """A decision that moved, with the rule (recommendation) ids behind it then and now."""

    rules_before: list[str] = Field(default_factory=list)
    rules_after: list[str] = Field(default_factory=list)


class RecommendationChange(_Frozen):
    """A recommendation (rule id) added, removed, or with some of its fields changed."""

    id: str = Field(description="The rule id, e.g. 'surgery.alnd.omit.micromets'.")
    change: Literal["added", "removed", "changed"]
    fields: list[str] = Field(default_factory=list, description="What changed (for 'changed').")
    decision_before: str | None = None
    decision_after: str | None = None


class VersionPair(_Frozen):
    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


class Reassessment(_Frozen):
    """The recorded assessment against a new one of the same case under the current rules."""

    row_id: int = Field(description="The record re-assessed.")
    case_id: str | None
    versions: dict[str, VersionPair] = Field(description="micromets_version, ruleset_version, model_version.")
    changed: bool = Field(description="Whether any decision, stage, finding, figure or recommendation moved.")
    decisions: list[DecisionChange] = Field(default_factory=list)
    staging: list[Change] = Field(default_factory=list)
    findings: list[Change] = Field(default_factory=list)
    prognosis: list[Change] = Field(default_factory=list)
    recommendations: list[RecommendationChange] = Field(default_factory=list)
    missing_added: list[str] = Field(default_factory=list)
    missing_removed: list[str] = Field(default_factory=list)
    warnings_added: list[str] = Field(default_factory=list)
    warnings_removed: list[str] = Field(default_factory=list)
    assessment: dict[str, Any] = Field(description="The new assessment.")


def _rules_by_decision(assessment: dict[str, Any]) -> dict[str, list[str]]:
    from micromets.guidelines import decision_key

    rules: dict[str, list[str]] = {}
    for rec in assessment.get("recommendations") or []:
        key = decision_key(str(rec.get("id", "")))
        if key is not None:
            rules.setdefault(key, []).append(str(rec["id"]))
    return rules


def _decisions(old: dict[str, Any], new: dict[str, Any]) -> list[DecisionChange]:
    before, after = old.get("decisions") or {}, new.get("decisions") or {}
    rules_before, rules_after = _rules_by_decision(old), _rules_by_decision(new)
    keys = list(dict.fromkeys([*before, *after]))
    return [DecisionChange(field=k, before=before.get(k), after=after.get(k), rules_before=rules_before.get(k, []),
                           rules_after=rules_after.get(k, []))
            for k in keys if before.get(k) != after.get(k)]


def _staging(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    before, after = old.get("staging") or {}, new.get("staging") or {}
    return [Change(field=f"staging.{f}", before=before.get(f), after=after.get(f))
            for f in _STAGE_FIELDS if before.get(f) != after.get(f)]


def _findings(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    before, after = old.get("findings") or {}, new.get("findings") or {}
    out: list[Change] = []
    for key in dict.fromkeys([*before, *after]):
        if key == "deposits":
            a, b = before.get(key) or [], after.get(key) or []
            for i in range(max(len(a), len(b))):
                x = a[i] if i < len(a) else {}
                y = b[i] if i < len(b) else {}
                if x.get("category") != y.get("category"):
                    out.append(Change(field=f"findings.deposits[{i}].category", before=x.get("category"),
                                      after=y.get("category")))
        elif before.get(key) != after.get(key):
            out.append(Change(field=f"findings.{key}", before=before.get(key), after=after.get(key)))
    return out


def _moved(x: Any, y: Any) -> bool:
    if isinstance(x, int | float) and isinstance(y, int | float):
        return abs(float(x) - float(y)) > FIGURE_TOLERANCE
    return bool(x != y)


def _prognosis(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    a, b = old.get("prognosis"), new.get("prognosis")
    if a is None or b is None:
        if a is None and b is None:
            return []
        return [Change(field="prognosis", before="available" if a else None, after="available" if b else None)]
    out: list[Change] = []
    for key in ("model_version", "treatments_evaluated"):
        if a.get(key) != b.get(key):
            out.append(Change(field=f"prognosis.{key}", before=a.get(key), after=b.get(key)))
    years = b.get("years") or []
    for series in _SERIES:
        for which in ("surgery_only", "with_treatments"):
            xs = (a.get(series) or {}).get(which) or []
            ys = (b.get(series) or {}).get(which) or []
            for year, x, y in zip(years, xs, ys, strict=False):
                if _moved(x, y):
                    out.append(Change(field=f"{series}.{which}[{year}y]", before=round(x, 4), after=round(y, 4)))
    gains_a = {g["treatment"]: g.get("overall_survival_gain") or [] for g in a.get("incremental_benefit") or []}
    gains_b = {g["treatment"]: g.get("overall_survival_gain") or [] for g in b.get("incremental_benefit") or []}
    for treatment in dict.fromkeys([*gains_a, *gains_b]):
        xs, ys = gains_a.get(treatment), gains_b.get(treatment)
        if xs is None or ys is None:
            out.append(Change(field=f"incremental_benefit.{treatment}", before="available" if xs is not None else None,
                              after="available" if ys is not None else None))
            continue
        for year, x, y in zip(years, xs, ys, strict=False):
            if _moved(x, y):
                out.append(Change(field=f"incremental_benefit.{treatment}[{year}y]", before=round(x, 4),
                                  after=round(y, 4)))
    return out


def _recommendations(old: dict[str, Any], new: dict[str, Any]) -> list[RecommendationChange]:
    before = {str(r.get("id")): r for r in old.get("recommendations") or []}
    after = {str(r.get("id")): r for r in new.get("recommendations") or []}
    out: list[RecommendationChange] = []
    for rec_id in dict.fromkeys([*before, *after]):
        x, y = before.get(rec_id), after.get(rec_id)
        if x is None and y is not None:
            out.append(RecommendationChange(id=rec_id, change="added", decision_after=y.get("decision")))
        elif y is None and x is not None:
            out.append(RecommendationChange(id=rec_id, change="removed", decision_before=x.get("decision")))
        elif x is not None and y is not None:
            fields = [f for f in _REC_FIELDS if x.get(f) != y.get(f)]
            if fields:
                out.append(RecommendationChange(id=rec_id, change="changed", fields=fields,
                                                decision_before=x.get("decision"), decision_after=y.get("decision")))
    return out


def _added_removed(old: list[Any], new: list[Any]) -> tuple[list[str], list[str]]:
    a, b = [str(x) for x in old], [str(x) for x in new]
    return [x for x in b if x not in a], [x for x in a if x not in b]


def compare(row_id: int, old: dict[str, Any], new: Assessment) -> Reassessment:
    """Compare a recorded assessment (its JSON) with ``new``."""
    fresh = new.model_dump(mode="json")
    old_model = (old.get("prognosis") or {}).get("model_version")
    new_model = (fresh.get("prognosis") or {}).get("model_version")
    versions = {
        "micromets_version": VersionPair(before=old.get("micromets_version"), after=new.micromets_version),
        "ruleset_version": VersionPair(before=old.get("ruleset_version"), after=new.ruleset_version),
        "model_version": VersionPair(before=old_model, after=new_model),
    }
    missing_added, missing_removed = _added_removed([m.get("field") for m in old.get("missing") or []],
                                                    [m.get("field") for m in fresh.get("missing") or []])
    warnings_added, warnings_removed = _added_removed(old.get("warnings") or [], fresh.get("warnings") or [])
    parts = {"decisions": _decisions(old, fresh), "staging": _staging(old, fresh),
             "findings": _findings(old, fresh), "prognosis": _prognosis(old, fresh),
             "recommendations": _recommendations(old, fresh)}
    return Reassessment(row_id=row_id, case_id=new.id, versions=versions, changed=any(parts.values()),
                        missing_added=missing_added, missing_removed=missing_removed,
                        warnings_added=warnings_added, warnings_removed=warnings_removed,
                        assessment=fresh, **parts)


def _prognosis_version(record: StoredAssessment) -> str | None:
    from micromets.assess import available_prognosis_versions

    # The PREDICT version used then, while it is implemented: the comparison shows what the rules changed.
    return record.model_version if record.model_version in available_prognosis_versions() else None


def reassess_case(record: StoredAssessment) -> tuple[Case, Assessment, Reassessment]:
    """The recorded case (validated today: ``CaseValidationError`` if it no longer is), its new
    assessment and the comparison."""
    from micromets.assess import assess

    case = parse_case(record.case)
    assessment = assess(case, prognosis_version=_prognosis_version(record))
    return case, assessment, compare(record.id, record.assessment, assessment)


def reassess(record: StoredAssessment) -> Reassessment:
    """Re-assess a recorded case under the current rules and compare (see the module docstring)."""
    return reassess_case(record)[2]
