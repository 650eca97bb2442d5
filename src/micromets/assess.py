"""The pipeline every interface calls: ``Case -> Assessment``.

Data flows one way: case -> findings -> stage -> recommendations -> prognosis -> follow-up.
Recommendations come before prognosis because, when a case names no treatments, PREDICT evaluates
the options the recommendations name; a treatment the patient declined is left out of that evaluation and,
after it, PREDICT gives the benefit forgone for the declined recommendation.

    >>> from micromets.model import parse_case
    >>> a = assess(parse_case({"id": "x", "tumour": {"size_mm": 8}, "metastasis": "cM0"}))
    >>> a.staging.t
    'cT1b'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from micromets.errors import UnknownVersionError
from micromets.followup import follow_up_gaps, plan_follow_up
from micromets.guidelines import GuidelineResult, recommend
from micromets.guidelines.preferences import with_forgone_benefit
from micromets.knowledge import ruleset_version
from micromets.model import Assessment, Case, Findings, MissingItem, Recommendation, Staging, parse_case
from micromets.model._built import AssessmentFields, MissingItemFields, built, built_given
from micromets.pathology import PathologyResult, classify
from micromets.pathology.plausibility import plausibility_warnings
from micromets.prognosis import LATEST_VERSION, available_versions
from micromets.prognosis.case_adapter import (
    PrognosisFigures,
    PrognosisFiguresOutcome,
    PrognosisOutcome,
    PrognosisRequest,
    run_prognosis_figures_many,
    run_prognosis_many,
)
from micromets.staging import StagingResult, stage

__all__ = ["CaseValues", "assess", "assess_many", "assess_values_many", "available_prognosis_versions",
           "micromets_version"]


@cache  # package metadata is read from disk; the installed version cannot change under a running process
def micromets_version() -> str:
    """The installed micromets version ("0+unknown" from a source tree that was not installed)."""
    try:
        return version("micromets")
    except PackageNotFoundError:  # running from a source tree without installation
        return "0+unknown"


def available_prognosis_versions() -> list[str]:
    return list(available_versions())


#: Between the distinct reasons one missing field is needed for (``MissingItem.why`` stays one string).
REASON_SEPARATOR = "; "


def _unique_missing(items: list[MissingItem]) -> list[MissingItem]:
    """One entry per field, with every distinct reason (in the order first given) and the decisions of every
    entry for that field.

    Each reason says what the field decides: keeping only the first hid the others (age named for nodal RT lost
    "PREDICT needs the age at diagnosis", so the report could not say why no prognosis was computed).

    >>> boost = MissingItem(field="age", why="age decides the boost (ASTRO 2018)", decisions=["boost"])
    >>> predict = MissingItem(field="age", why="PREDICT needs the age at diagnosis")
    >>> [(m.why, m.decisions) for m in _unique_missing([boost, predict, boost])]
    [('age decides the boost (ASTRO 2018); PREDICT needs the age at diagnosis', ['boost'])]
    """
    if not items:  # most cases: nothing is missing
        return []
    seen: dict[str, MissingItem] = {}
    decisions: dict[str, list[str]] = {}  # the decisions gathered so far for a field, when more than its first's
    reasons: dict[str, list[str]] = {}  # the reasons gathered so far for a field, when more than its first's
    for item in items:
        first = seen.setdefault(item.field, item)
        if first is item:
            continue
        gathered = decisions.get(item.field, first.decisions)
        extra = [d for d in item.decisions if d not in gathered]
        if extra:
            decisions[item.field] = [*gathered, *extra]
        given = reasons.get(item.field, [first.why])
        if item.why not in given:
            reasons[item.field] = [*given, item.why]
    for name in decisions.keys() | reasons.keys():  # one copy per field, however many entries it had
        # What ``first.model_copy(update=...)`` gives, without its generic steps (~2.6 µs against ~0.9): the first
        # entry's values with the gathered ones, and its fields set with theirs.
        first = seen[name]
        fields_set = set(first.model_fields_set)
        values: MissingItemFields = {"field": first.field, "why": first.why, "decisions": first.decisions}
        if name in decisions:
            values["decisions"] = decisions[name]
            fields_set.add("decisions")
        if name in reasons:
            values["why"] = REASON_SEPARATOR.join(reasons[name])
            fields_set.add("why")
        seen[name] = built_given(MissingItem, values, fields_set)
    return list(seen.values())


def _check_version(prognosis_version: str | None) -> str:
    chosen = prognosis_version or LATEST_VERSION
    if chosen not in available_versions():
        raise UnknownVersionError(
            f"PREDICT version {chosen!r} is not implemented; choose one of {', '.join(available_versions())}"
        )
    return chosen


@dataclass(frozen=True)
class _Ruled:
    """One case after findings, stage and the guideline decisions (everything before PREDICT)."""

    case: Case
    pathology: PathologyResult
    staging: StagingResult
    guidance: GuidelineResult


def _rule(case: Case, *, explains: bool = True) -> _Ruled:
    pathology = classify(case)
    staging = stage(case, pathology.findings, node_categories=pathology.node_categories)
    return _Ruled(case, pathology, staging, recommend(case, pathology.findings, staging.staging, explains=explains,
                                                      node_categories=pathology.node_categories))


def _gathered(ruled: _Ruled, prognosis_missing: list[MissingItem], prognosis_warnings: list[str],
              follow_up_missing: list[MissingItem], follow_up_warnings: list[str]) -> tuple[list[MissingItem], list[str]]:
    """Every missing input and every warning of one case, in the order of the pipeline (repeats kept)."""
    case, pathology, staging, guidance = ruled.case, ruled.pathology, ruled.staging, ruled.guidance
    missing = [*pathology.missing, *staging.missing, *guidance.missing, *prognosis_missing, *follow_up_missing]
    # Plausibility warnings first: a unit slip makes everything after it doubtful.
    warnings = [*plausibility_warnings(case), *pathology.warnings, *staging.warnings, *guidance.warnings,
                *prognosis_warnings, *follow_up_warnings]
    return missing, warnings


def _assemble(ruled: _Ruled, prognosis_outcome: PrognosisOutcome, version: str) -> Assessment:
    case, pathology, staging, guidance = ruled.case, ruled.pathology, ruled.staging, ruled.guidance
    prognosis, prognosis_missing, prognosis_warnings = prognosis_outcome
    recommendations = with_forgone_benefit(
        case, pathology.findings, guidance.decisions, guidance.recommendations, version
    )
    follow_up = plan_follow_up(case, guidance.decisions, guidance.recommendations)
    missing, warnings = _gathered(ruled, prognosis_missing, prognosis_warnings, follow_up.missing, follow_up.warnings)
    # Built without validating again (``micromets.model._built``): every value is of its field's type, which mypy
    # checks through ``AssessmentFields``; the nested models are instances, which validation would only check with
    # isinstance. The containers are the assessment's own, as validation would copy them.
    fields: AssessmentFields = {
        "id": case.id,
        "micromets_version": micromets_version(),
        "ruleset_version": ruleset_version(),
        "findings": pathology.findings,
        "staging": staging.staging,
        "prognosis": prognosis,
        "decisions": dict(guidance.decisions),
        "recommendations": list(recommendations),
        "follow_up": follow_up.items,
        "missing": _unique_missing(missing),
        "warnings": list(dict.fromkeys(warnings)),
    }
    return built(Assessment, fields)


@dataclass(frozen=True, slots=True)
class CaseValues:
    """The values of one case's assessment, without its explanations: what ``micromets cohort`` outputs.

    ``decisions``, ``findings`` and ``staging`` are the assessment's; ``prognosis`` the figures the columns read of
    the assessment's prognosis (``prognosis.whole()`` builds that whole ``Prognosis``); ``rule_ids`` the id of the
    recommendation that decides each decision key (None where none does); ``missing_fields`` the fields of the
    assessment's ``missing``, in order; ``warnings`` its warnings.
    """

    id: str | None
    findings: Findings
    staging: Staging
    prognosis: PrognosisFigures | None
    decisions: dict[str, str]
    rule_ids: dict[str, str | None]
    missing_fields: tuple[str, ...]
    warnings: tuple[str, ...]


def _values(ruled: _Ruled, prognosis_outcome: PrognosisFiguresOutcome) -> CaseValues:
    """:func:`_assemble`'s values from a guideline result that explains nothing: no recommendation, no benefit
    forgone, no follow-up items (their missing inputs and warnings only)."""
    case, pathology, staging, guidance = ruled.case, ruled.pathology, ruled.staging, ruled.guidance
    prognosis, prognosis_missing, prognosis_warnings = prognosis_outcome
    assert guidance.rule_ids is not None, "a guideline result that explains nothing carries the rule ids"

    def rendered() -> list[Recommendation]:  # the plan reads the words only where they could change its warnings
        return recommend(case, pathology.findings, staging.staging,
                         node_categories=pathology.node_categories).recommendations

    follow_up_missing, follow_up_warnings = follow_up_gaps(case, guidance.decisions, rendered)
    missing, warnings = _gathered(ruled, prognosis_missing, prognosis_warnings, follow_up_missing, follow_up_warnings)
    return CaseValues(
        id=case.id, findings=pathology.findings, staging=staging.staging, prognosis=prognosis,
        decisions=guidance.decisions, rule_ids=guidance.rule_ids,
        missing_fields=tuple(dict.fromkeys([item.field for item in missing])), warnings=tuple(dict.fromkeys(warnings)))


def assess_many(cases: Sequence[Case], *, prognosis_version: str | None = None) -> list[Assessment]:
    """Assess a batch of validated cases, in order; the same assessments as one :func:`assess` call each.

    The rules run case by case; PREDICT runs once per batch (per set of treatments evaluated), which is
    where a batch saves its time. ``micromets cohort`` calls this for every record batch.
    """
    chosen = _check_version(prognosis_version)
    ruled = [_rule(case) for case in cases]
    outcomes = run_prognosis_many(
        [PrognosisRequest(r.case, r.pathology.findings, r.guidance.decisions) for r in ruled], chosen)
    return [_assemble(r, outcome, chosen) for r, outcome in zip(ruled, outcomes, strict=True)]


def assess_values_many(cases: Sequence[Case], *, prognosis_version: str | None = None) -> list[CaseValues]:
    """The values of ``assess_many(cases)`` without their explanations, in order (the same decision points, rails and
    PREDICT runs, on guideline boards that keep values only: ``recommend(..., explains=False)``). ``micromets
    cohort`` calls this for every record batch: it outputs no text, rationale, evidence or follow-up item.
    """
    chosen = _check_version(prognosis_version)
    ruled = [_rule(case, explains=False) for case in cases]
    outcomes = run_prognosis_figures_many(
        [PrognosisRequest(r.case, r.pathology.findings, r.guidance.decisions) for r in ruled], chosen)
    return [_values(r, outcome) for r, outcome in zip(ruled, outcomes, strict=True)]


def assess(case: Case | Mapping[str, Any], *, prognosis_version: str | None = None) -> Assessment:
    """Assess one case (a batch of one). Deterministic: the same case gives the same assessment.

    ``case`` is a validated :class:`~micromets.model.Case`, or the contract's case as a mapping (parsed JSON), which
    is validated first by :func:`~micromets.model.parse_case` (a problem raises ``CaseValidationError`` naming the
    field). ``prognosis_version`` picks the PREDICT version (default: the newest implemented); an unknown version
    raises ``micromets.errors.UnknownVersionError``.
    """
    if not isinstance(case, Case):
        if not isinstance(case, Mapping):
            raise TypeError(f"assess() takes a Case or the case as a mapping (parsed JSON); got {type(case).__name__}")
        case = parse_case(case)
    return assess_many([case], prognosis_version=prognosis_version)[0]
