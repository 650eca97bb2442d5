"""The follow-up schedule as data: ``knowledge/followup/schedule.json``, validated when loaded.

Every number of the plan (visit intervals, DXA interval, LVEF interval, ...) and every item text lives
in that file with its sources; this module only gives it types.

Example::

    >>> from micromets.followup.schedule import load_schedule
    >>> [p.interval_months for p in load_schedule().visits.phases]
    [4, 6, 12]
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from micromets.errors import KnowledgeError
from micromets.knowledge import load_json

__all__ = ["Schedule", "add_months", "add_months_each", "load_schedule"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Timing(_Section):
    notes: str
    adjuvant_systemic_start_months: int = Field(ge=0)
    chemotherapy_duration_months: int = Field(ge=1)
    radiotherapy_start_months_after_surgery: int = Field(ge=0)
    radiotherapy_start_months_after_chemotherapy: int = Field(ge=0)
    radiotherapy_duration_months: int = Field(ge=1)
    her2_therapy_total_months: int = Field(ge=1)
    neoadjuvant_her2_start_months_before_surgery: int = Field(ge=0)
    neoadjuvant_anthracycline_end_months_before_surgery: int = Field(ge=0)
    tdm1_adjuvant_months: int = Field(ge=1)


class VisitPhase(_Section):
    until_month: int = Field(ge=1)
    interval_months: int = Field(ge=1)
    guideline: str


class Visits(_Section):
    evidence: list[str]
    phases: list[VisitPhase] = Field(min_length=1)
    text: str
    text_last: str


class Education(_Section):
    evidence: list[str]
    text: str


class NotRecommended(_Section):
    evidence: list[str]
    text: str
    text_mri: str


class Mammography(_Section):
    evidence: list[str]
    evidence_male: list[str]
    months_after_diagnostic_mammogram: int = Field(ge=0)
    months_after_radiotherapy: int = Field(ge=0)
    interval_months: int = Field(ge=1)
    notes: str
    side: dict[str, str]
    side_male: dict[str, str]
    text_first: str
    text: str
    text_last: str


class BoneHealth(_Section):
    evidence: list[str]
    dxa_interval_months: int = Field(ge=1)
    ovarian_suppression_or_ai_keywords: list[str]
    text_baseline: str
    text: str
    agent_ai: str
    agent_ofs: str


class TamoxifenGynaecology(_Section):
    evidence: list[str]
    interval_months: int = Field(ge=1)
    text_start: str
    text: str
    evidence_routine: list[str]
    text_routine: str  # every other woman: ASCO 2006/2013 "regular gynaecological follow-up"


class Her2Cardiac(_Section):
    evidence: list[str]
    during_interval_months: int = Field(ge=1)
    after_interval_months: int = Field(ge=1)
    after_duration_months: int = Field(ge=0)
    text_baseline: str
    text_during: str
    text_completion: str
    text_after: str
    text_on_hold: str
    on_hold_evidence: list[str]
    tdm1_recommendation_ids: list[str] = Field(min_length=1)  # the HER2 rules whose agent is T-DM1
    tdm1_evidence: list[str]


class AnthracyclineCardiac(_Section):
    evidence: list[str]
    months_after_completion: int = Field(ge=0)
    text_baseline: str
    text: str


class Lymphoedema(_Section):
    evidence: list[str]
    surveillance_months: int = Field(ge=0)
    text_baseline_planned: str
    text_baseline_done: str
    text: str


class Adherence(_Section):
    evidence: list[str]
    default_endocrine_years: int = Field(ge=1)
    text: str


class Distress(_Section):
    evidence: list[str]
    interval_months: int = Field(ge=1)
    text: str


class SurvivorshipCarePlan(_Section):
    evidence: list[str]
    text: str


class Fertility(_Section):
    evidence: list[str]
    evidence_endocrine: list[str]
    text: str
    text_endocrine: str
    #: For a pregnant patient the counselling is about the pregnancy: no ovarian stimulation is possible.
    evidence_pregnant: list[str]
    text_pregnant: str
    #: From this age a woman is postmenopausal whatever else is recorded (NCCN Breast, definition of menopause):
    #: an unrecorded menopausal status is asked for the counselling only below it (or with the age unknown).
    postmenopausal_from_age: float = Field(gt=0)


class GermlineBrca(_Section):
    evidence: list[str]
    evidence_male: list[str]
    mri_offset_months_from_mammography: int = Field(ge=0)
    interval_months: int = Field(ge=1)
    text_referral: str
    text: str
    text_male: str


class Deferred(_Section):
    notes: str
    decisions: dict[str, str] = Field(min_length=1)
    reason_pregnant: str
    reason_lactating: str
    reason_other: str
    text: str
    text_radiotherapy: str


class DrugStep(_Section):
    after_months: int = Field(ge=0)
    text: str


class DrugRepeat(_Section):
    first_month: int = Field(ge=1)
    last_month: int = Field(ge=1)
    every_months: int = Field(ge=1)
    text: str


class DrugMonitoringEntry(_Section):
    decision: str
    start: Literal["adjuvant", "after_local_and_chemotherapy"]
    evidence: list[str] = Field(min_length=1)
    text_if_discussed: str
    steps: list[DrugStep] = Field(min_length=1)
    repeat: DrugRepeat | None = None


class DrugMonitoring(_Section):
    notes: str
    drugs: list[DrugMonitoringEntry]


class Schedule(_Section):
    """The whole schedule file (header + one section per kind of item)."""

    id: str
    title: str
    version: str
    last_modified: str
    source: list[str]
    notes: str
    horizon_months: int = Field(ge=12)
    treatment_timing: Timing
    visits: Visits
    education: Education
    not_recommended: NotRecommended
    mammography: Mammography
    bone_health: BoneHealth
    tamoxifen_gynaecology: TamoxifenGynaecology
    her2_cardiac: Her2Cardiac
    anthracycline_cardiac: AnthracyclineCardiac
    lymphoedema: Lymphoedema
    adherence: Adherence
    distress: Distress
    survivorship_care_plan: SurvivorshipCarePlan
    fertility: Fertility
    germline_brca: GermlineBrca
    deferred: Deferred
    drug_monitoring: DrugMonitoring

    def evidence_ids(self) -> set[str]:
        """Every evidence id the schedule cites (header, every section's ``*evidence*`` lists, each drug's)."""
        ids = set(self.source)
        for name in type(self).model_fields:
            section = getattr(self, name)
            if isinstance(section, BaseModel):
                for attr in type(section).model_fields:
                    if "evidence" in attr:
                        ids.update(getattr(section, attr))
        for drug in self.drug_monitoring.drugs:
            ids.update(drug.evidence)
        return ids


@cache
def load_schedule() -> Schedule:
    """The packaged schedule, validated; raises ``KnowledgeError`` if the file is broken."""
    try:
        return Schedule.model_validate(load_json("followup/schedule.json"))
    except ValidationError as exc:
        raise KnowledgeError(f"followup/schedule.json is malformed: {exc}") from None


def add_months(start: dt.date, months: int) -> dt.date:
    """``start`` plus whole calendar months, clamped to the end of a shorter month.

    >>> import datetime as dt
    >>> add_months(dt.date(2026, 1, 31), 1), add_months(dt.date(2026, 10, 1), -4)
    (datetime.date(2026, 2, 28), datetime.date(2026, 6, 1))
    """
    return add_months_each(start, (months,))[0]


#: Days per month in a common year (February of a leap year has 29).
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months_each(start: dt.date, months: Iterable[int]) -> list[dt.date]:
    """``add_months(start, m)`` for each ``m`` of ``months``, in order (a plan dates a few dozen offsets of one day).

    >>> import datetime as dt
    >>> add_months_each(dt.date(2024, 1, 31), [1, 13, -1])
    [datetime.date(2024, 2, 29), datetime.date(2025, 2, 28), datetime.date(2023, 12, 31)]
    """
    months = tuple(months)  # read again to name the month outside the calendar
    year, month0, day = start.year, start.month - 1, start.day
    date = dt.date
    try:
        # One expression per date, no divmod tuple: a plan dates ~25 months. ``//`` floors, as the calendar does.
        if day <= 28:  # every month has 28 days: the day is kept
            return [date(year + (month0 + m) // 12, (month0 + m) % 12 + 1, day) for m in months]
        return [_clamped(year + (month0 + m) // 12, (month0 + m) % 12, day) for m in months]
    except (ValueError, OverflowError):  # a year outside 1-9999, which date() refuses
        outside = [m for m in months if not dt.MINYEAR <= year + (month0 + m) // 12 <= dt.MAXYEAR]
        if not outside:  # pragma: no cover - every month and day given to date() is valid
            raise
        raise ValueError(f"{start.isoformat()} plus {outside[0]} months is outside the calendar (years 1-9999)"
                         ) from None


def _clamped(year: int, month0: int, day: int) -> dt.date:
    """``day`` of month ``month0 + 1`` of ``year``, or the month's last day when it is shorter."""
    last = 29 if month0 == 1 and calendar.isleap(year) else _DAYS_IN_MONTH[month0]
    return dt.date(year, month0 + 1, min(day, last))
