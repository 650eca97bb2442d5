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

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from micromets.errors import UnknownVersionError
from micromets.followup import plan_follow_up
from micromets.guidelines import GuidelineResult, recommend
from micromets.guidelines.preferences import with_forgone_benefit
from micromets.knowledge import ruleset_version
from micromets.model import Assessment, Case, MissingItem
from micromets.model._built import AssessmentFields, built
from micromets.pathology import PathologyResult, classify
from micromets.pathology.plausibility import plausibility_warnings
from micromets.prognosis import LATEST_VERSION, available_versions
from micromets.prognosis.case_adapter import PrognosisOutcome, PrognosisRequest, run_prognosis_many
from micromets.staging import StagingResult, stage

__all__ = ["assess", "assess_many", "available_prognosis_versions", "micromets_version"]


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
        update: dict[str, object] = {}
        if name in decisions:
            update["decisions"] = decisions[name]
        if name in reasons:
            update["why"] = REASON_SEPARATOR.join(reasons[name])
        seen[name] = seen[name].model_copy(update=update)
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


def _rule(case: Case) -> _Ruled:
    pathology = classify(case)
    staging = stage(case, pathology.findings)
    return _Ruled(case, pathology, staging, recommend(case, pathology.findings, staging.staging))


def _assemble(ruled: _Ruled, prognosis_outcome: PrognosisOutcome, version: str) -> Assessment:
    case, pathology, staging, guidance = ruled.case, ruled.pathology, ruled.staging, ruled.guidance
    prognosis, prognosis_missing, prognosis_warnings = prognosis_outcome
    recommendations = with_forgone_benefit(
        case, pathology.findings, guidance.decisions, guidance.recommendations, version
    )
    follow_up = plan_follow_up(case, guidance.decisions, guidance.recommendations)
    missing = [*pathology.missing, *staging.missing, *guidance.missing, *prognosis_missing, *follow_up.missing]
    # Plausibility warnings first: a unit slip makes everything after it doubtful.
    warnings = [*plausibility_warnings(case), *pathology.warnings, *staging.warnings, *guidance.warnings, *prognosis_warnings,
                *follow_up.warnings]
    # Built without validating again (``micromets.model._built``): every value is of its field's type, which mypy
    # checks through ``AssessmentFields``; the nested models are instances, which validation would only check with
    # isinstance. The containers are the assessment's own, as validation would copy them.
    return built(Assessment, AssessmentFields(
        id=case.id,
        micromets_version=micromets_version(),
        ruleset_version=ruleset_version(),
        findings=pathology.findings,
        staging=staging.staging,
        prognosis=prognosis,
        decisions=dict(guidance.decisions),
        recommendations=list(recommendations),
        follow_up=follow_up.items,
        missing=_unique_missing(missing),
        warnings=list(dict.fromkeys(warnings)),
    ))


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


def assess(case: Case, *, prognosis_version: str | None = None) -> Assessment:
    """Assess one validated case (a batch of one). Deterministic: the same case gives the same assessment.

    ``prognosis_version`` picks the PREDICT version (default: the newest implemented); an unknown
    version raises ``micromets.errors.UnknownVersionError``.
    """
    return assess_many([case], prognosis_version=prognosis_version)[0]
