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

from functools import cache
from importlib.metadata import PackageNotFoundError, version

from micromets.errors import UnknownVersionError
from micromets.followup import plan_follow_up
from micromets.guidelines import recommend
from micromets.guidelines.preferences import with_forgone_benefit
from micromets.knowledge import ruleset_version
from micromets.model import Assessment, Case, MissingItem
from micromets.pathology import classify
from micromets.pathology.plausibility import plausibility_warnings
from micromets.prognosis import LATEST_VERSION, available_versions
from micromets.prognosis.case_adapter import run_prognosis
from micromets.staging import stage

__all__ = ["assess", "available_prognosis_versions", "micromets_version"]


@cache  # package metadata is read from disk; the installed version cannot change under a running process
def micromets_version() -> str:
    """The installed micromets version ("0+unknown" from a source tree that was not installed)."""
    try:
        return version("micromets")
    except PackageNotFoundError:  # running from a source tree without installation
        return "0+unknown"


def available_prognosis_versions() -> list[str]:
    return list(available_versions())


def _unique_missing(items: list[MissingItem]) -> list[MissingItem]:
    """One entry per field (the first reason), with the decisions of every entry for that field."""
    seen: dict[str, MissingItem] = {}
    for item in items:
        first = seen.setdefault(item.field, item)
        extra = [d for d in item.decisions if d not in first.decisions]
        if extra:
            seen[item.field] = first.model_copy(update={"decisions": [*first.decisions, *extra]})
    return list(seen.values())


def assess(case: Case, *, prognosis_version: str | None = None) -> Assessment:
    """Assess one validated case. Deterministic: the same case gives the same assessment.

    ``prognosis_version`` picks the PREDICT version (default: the newest implemented); an unknown
    version raises ``micromets.errors.UnknownVersionError``.
    """
    chosen = prognosis_version or LATEST_VERSION
    if chosen not in available_versions():
        raise UnknownVersionError(
            f"PREDICT version {chosen!r} is not implemented; choose one of {', '.join(available_versions())}"
        )
    pathology = classify(case)
    staging = stage(case, pathology.findings)
    guidance = recommend(case, pathology.findings, staging.staging)
    prognosis, prognosis_missing, prognosis_warnings = run_prognosis(
        case, pathology.findings, guidance.decisions, chosen
    )
    recommendations = with_forgone_benefit(
        case, pathology.findings, guidance.decisions, guidance.recommendations, chosen
    )
    follow_up = plan_follow_up(case, guidance.decisions, guidance.recommendations)
    missing = [*pathology.missing, *staging.missing, *guidance.missing, *prognosis_missing, *follow_up.missing]
    # Plausibility warnings first: a unit slip makes everything after it doubtful.
    warnings = [*plausibility_warnings(case), *pathology.warnings, *staging.warnings, *guidance.warnings, *prognosis_warnings,
                *follow_up.warnings]
    return Assessment(
        id=case.id,
        micromets_version=micromets_version(),
        ruleset_version=ruleset_version(),
        findings=pathology.findings,
        staging=staging.staging,
        prognosis=prognosis,
        decisions=guidance.decisions,
        recommendations=recommendations,
        follow_up=follow_up.items,
        missing=_unique_missing(missing),
        warnings=list(dict.fromkeys(warnings)),
    )
