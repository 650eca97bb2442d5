"""The dated follow-up and survivorship plan (clinical-knowledge DP-F, F1-F7).

The plan is a pure function of the case, the decisions and the recommendations: the reference date is
``case.surgery.date`` (no clock). Numbers and texts come from ``knowledge/followup/schedule.json``;
this module decides which items apply and places them on the calendar. Treatment start and end dates
are not part of the case contract, so they are estimated from a typical adjuvant sequence (and the plan
says so in a warning).

Example::

    >>> from micromets.model import Case
    >>> case = Case.model_validate({"id": "x", "sex": "female", "menopausal_status": "post",
    ...                             "surgery": {"breast": "bcs", "status": "done", "date": "2026-10-01"}})
    >>> plan = plan_follow_up(case, {"endocrine": "recommended"}, [])
    >>> plan.items[0].due.isoformat(), plan.items[0].category
    ('2026-11-01', 'bone_health')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

from micromets.guidelines.patient import case_ofs_intent
from micromets.guidelines.rules import rules
from micromets.model._built import built_follow_up_items, built_missing
from micromets.model.assessment import FollowUpItem, MissingItem, Recommendation
from micromets.model.case import Case, Surgery, implied_premenopausal, recorded_sex

from .schedule import Schedule, add_months_each, load_schedule

__all__ = ["FollowUpPlan", "follow_up_gaps", "plan_follow_up"]

_ACTIVE = ("recommended",)
_ENDOCRINE_RULES = "systemic.endocrine."  # the id prefix of the endocrine recommendation
_POSSIBLE = ("recommended", "discuss")
_CHEMOTHERAPY_AGENTS = ("anthracycline", "taxane", "platinum")


@dataclass(frozen=True)
class FollowUpPlan:
    """The plan: dated ``items`` (sorted by date, then text), plus ``missing`` inputs and ``warnings``."""

    items: list[FollowUpItem]
    missing: list[MissingItem]
    warnings: list[str]


class _Therapy(NamedTuple):
    """What the plan needs to know about treatment, in months relative to surgery (month 0).

    A named tuple, not a frozen dataclass: built once per plan and hashed as the key of ``_entries``, both in C.
    """

    female: bool
    premenopausal: bool
    chemo_end: int | None  # adjuvant chemotherapy only
    anthracycline_end: int | None
    radiotherapy_end: int | None
    her2_start: int | None
    her2_end: int | None
    her2_tdm1: bool  # adjuvant T-DM1 after residual disease (KATHERINE): 14 cycles from the adjuvant start
    her2_on_hold_for_heart: bool  # HER2-directed therapy 'discuss'/'deferred' with LVEF < 50 % or heart failure
    endocrine_start: int | None
    endocrine_end: int | None
    endocrine_years: int
    endocrine_agent: str | None  # "ai" | "tamoxifen" | None (unknown)
    ofs_or_ai_named: bool  # asked only where it decides bone health (premenopausal on endocrine therapy), else False
    lymphoedema_reasons: tuple[str, ...]
    brca_gene: str | None
    adjuvant_start: int  # month of adjuvant systemic therapy (after adjuvant chemotherapy, if any)
    after_local_start: int  # month after adjuvant chemotherapy and radiotherapy (CDK4/6 inhibitors, olaparib)
    drugs: tuple[tuple[str, bool], ...]  # (decision key, discussed only) of each drug with label monitoring
    pregnant: bool  # pregnant now: pregnancy counselling instead of fertility preservation (ESMO 2013)

    @property
    def active_end(self) -> int:
        ends = [e for e in (self.chemo_end, self.radiotherapy_end, self.her2_end) if e is not None]
        return max([0, *ends])


#: One plan entry before it is dated: month after surgery, text, evidence ids, category.
_Entry = tuple[int, str, tuple[str, ...], str]


@dataclass(frozen=True)
class _Context:
    """Everything the builders read: the plan is a function of these and the packaged schedule, dated last."""

    schedule: Schedule
    visits: tuple[int, ...]
    therapy: _Therapy
    breast: str | None
    planned: bool
    lvef_known: bool

    def item(self, month: int, what: str, evidence: Iterable[str], category: str) -> _Entry:
        return month, what, tuple(evidence), category

    @property
    def first_visit(self) -> int:
        return self.visits[0]

    @property
    def first_mammography(self) -> int:
        m = self.schedule.mammography
        first = m.months_after_diagnostic_mammogram
        if self.therapy.radiotherapy_end is not None:
            first = max(first, self.therapy.radiotherapy_end + m.months_after_radiotherapy)
        return first


def plan_follow_up(case: Case, decisions: dict[str, str], recommendations: list[Recommendation]) -> FollowUpPlan:
    """Build the dated follow-up plan from the surgery date, the decisions and the recommendations.

    Without ``case.surgery.date`` no item can be dated: the plan is empty and ``missing`` names
    ``surgery.date``. A planned operation dates the plan from the planned day (with a warning).
    """
    missing: list[MissingItem] = []
    warnings: list[str] = []
    surgery = _dated_surgery(case, missing, warnings)
    if surgery is None or surgery.date is None:
        return FollowUpPlan(items=[], missing=missing, warnings=warnings)
    therapy = _therapy(case, decisions, lambda: recommendations, load_schedule(), missing, warnings)
    months, entries = _entries(therapy, surgery.breast, surgery.status == "planned", case.lvef_percent is not None)
    try:
        dates = add_months_each(surgery.date, months)
    except ValueError:
        warnings.append(_undated(surgery.date))
        return FollowUpPlan(items=[], missing=missing, warnings=warnings)
    return FollowUpPlan(_items(dates, entries), missing, warnings)


def follow_up_gaps(case: Case, decisions: dict[str, str], recommendations: Callable[[], list[Recommendation]]
                   ) -> tuple[list[MissingItem], list[str]]:
    """The ``missing`` and ``warnings`` of :func:`plan_follow_up` (the same steps), without its items: for a caller
    that reads no plan (``micromets cohort``).

    The recommendations decide two things: whether they name ovarian suppression or an aromatase inhibitor
    (bone-health items, ``_names_any``), and whether HER2-directed therapy after neoadjuvant trastuzumab is T-DM1
    (how long LVEF is monitored, ``_has_rule``); they reach the warnings only through the months to date. Every
    answer's months are dated; ``recommendations`` (the rendered ones) is called only when the answers would differ.
    """
    missing: list[MissingItem] = []
    warnings: list[str] = []
    surgery = _dated_surgery(case, missing, warnings)
    if surgery is None or surgery.date is None:
        return missing, warnings
    schedule = load_schedule()
    asked: list[bool] = []  # whether the plan asks the words (premenopausal on endocrine therapy; T-DM1 or not)

    def unread() -> list[Recommendation]:
        asked.append(True)
        return []

    therapy = _therapy(case, decisions, unread, schedule, missing, warnings)
    answers = _possible_answers(therapy, schedule) if asked else [therapy]
    date, breast, planned, lvef_known = surgery.date, surgery.breast, surgery.status == "planned", \
        case.lvef_percent is not None
    undated = {_outside_calendar(date, t, breast, planned, lvef_known) for t in answers}
    if len(undated) > 1:  # the words decide the months that fall outside the calendar: read them
        therapy = _therapy(case, decisions, recommendations, schedule, [], [])  # its gaps are already listed
        undated = {_outside_calendar(date, therapy, breast, planned, lvef_known)}
    if undated == {True}:
        warnings.append(_undated(surgery.date))
    return missing, warnings


def _possible_answers(therapy: _Therapy, schedule: Schedule) -> list[_Therapy]:
    """``therapy`` under every answer the recommendations' words could give (it was built without reading them)."""
    timing = schedule.treatment_timing
    answers = [therapy, therapy._replace(ofs_or_ai_named=True)]
    if therapy.her2_start is not None and therapy.her2_start < 0:  # T-DM1 asked: its own course after surgery
        tdm1_end = timing.adjuvant_systemic_start_months + timing.tdm1_adjuvant_months
        answers += [a._replace(her2_tdm1=True, her2_end=tdm1_end) for a in answers]
    return answers


def _dated_surgery(case: Case, missing: list[MissingItem], warnings: list[str]) -> Surgery | None:
    """The surgery the plan is dated from (None, with ``surgery.date`` missing, when there is no date)."""
    surgery = case.surgery
    if surgery is None or surgery.date is None:
        missing.append(built_missing(
            "surgery.date", "the follow-up plan is dated from the date of surgery; without it no dated schedule can be made"))
        return None
    if surgery.status == "planned":
        warnings.append(
            f"Surgery is planned, not done: the follow-up plan is dated from the planned date "
            f"{surgery.date.isoformat()}; re-plan from the actual date of surgery."
        )
    return surgery


def _outside_calendar(date: dt.date, therapy: _Therapy, breast: str | None, planned: bool, lvef_known: bool) -> bool:
    """Whether a month of the plan falls outside the calendar (``add_months_each`` refuses it). The year grows
    with the month: the first and the last month decide."""
    months = _entries(therapy, breast, planned, lvef_known)[0]
    try:
        add_months_each(date, months[:1] + months[-1:])
    except ValueError:
        return True
    return False


def _undated(date: dt.date) -> str:
    # Only reachable when a Case bypassed validation (the date range is checked there): never crash.
    return (f"The follow-up plan is not dated: dates counted from the surgery date {date.isoformat()} fall outside "
            "the calendar; check the surgery date.")


def _items(dates: list[dt.date], entries: tuple[_Entry, ...]) -> list[FollowUpItem]:
    """The plan's items, built without validating them again (``micromets.model._built``: ~1 µs per item saved,
    ~60 items a plan).

    Safe: every value is of its field's type, which mypy checks through ``built_follow_up_items``' signature;
    ``what`` and ``evidence`` come from the schedule, validated when it was loaded (``evidence`` copied into a list
    of the item's own); ``due`` is a date from ``add_months_each``; ``category`` a builder's literal.
    """
    return built_follow_up_items(dates, entries)


@lru_cache(maxsize=1024)  # a few hundred combinations of treatments and surgery occur; each plan is ~60 entries
def _entries(therapy: _Therapy, breast: str | None, planned: bool,
             lvef_known: bool) -> tuple[tuple[int, ...], tuple[_Entry, ...]]:
    """The undated plan: the months that have an entry, and one entry per (month, text), the first builder's, in
    order of month, then text, with its month given as an index into those months (each month is dated once).

    Dating comes after: ``add_months`` is strictly increasing in the month, so the order and the duplicates by
    (month, text) are those by (date, text).
    """
    ctx = _Context(load_schedule(), _visit_months(), therapy, breast, planned, lvef_known)
    entries: dict[tuple[int, str], _Entry] = {}
    for build in _BUILDERS:
        for entry in build(ctx):
            entries.setdefault((entry[0], entry[1]), entry)
    months = sorted({month for month, _ in entries})
    index = {month: i for i, month in enumerate(months)}
    return tuple(months), tuple((index[m], what, evidence, category)
                                for (m, what, evidence, category) in (entries[k] for k in sorted(entries)))


# --------------------------------------------------------------------------------------------- therapy
def _therapy(
    case: Case,
    decisions: dict[str, str],
    recommendations: Callable[[], list[Recommendation]],
    schedule: Schedule,
    missing: list[MissingItem],
    warnings: list[str],
) -> _Therapy:
    timing = schedule.treatment_timing
    treatments = case.treatments
    neoadjuvant = bool(case.neoadjuvant)
    agents = case.neoadjuvant_therapy.agents if case.neoadjuvant_therapy is not None else []
    if "insufficient_data" in decisions.values():  # rare: one scan of the values before looking up three keys
        for key, what in (("endocrine", "endocrine"), ("her2_therapy", "HER2 therapy"),
                          ("chemotherapy", "chemotherapy")):
            if decisions.get(key) == "insufficient_data":
                warnings.append(
                    f"The {what} decision needs more data (see the missing inputs): {what}-related monitoring is not "
                    "scheduled yet; re-plan once it is decided."
                )
    _warn_deferred(case, decisions, schedule, warnings)
    estimated: list[str] = []
    start = timing.adjuvant_systemic_start_months

    adjuvant_chemo = not (neoadjuvant and any(a in agents for a in _CHEMOTHERAPY_AGENTS)) and (
        decisions.get("chemotherapy") in _ACTIVE
        or (treatments is not None and treatments.chemotherapy in ("second_gen", "third_gen"))
    )
    chemo_end = start + timing.chemotherapy_duration_months if adjuvant_chemo else None
    if chemo_end is not None:
        estimated.append("chemotherapy")
    anthracycline_end: int | None = chemo_end
    if neoadjuvant and "anthracycline" in agents:
        anthracycline_end = -timing.neoadjuvant_anthracycline_end_months_before_surgery

    radiotherapy = (  # written out, not any() over a generator: a generator costs more than the three lookups
        decisions.get("whole_breast_rt") in _POSSIBLE
        or decisions.get("post_mastectomy_rt") in _POSSIBLE
        or decisions.get("regional_nodal_irradiation") in _POSSIBLE
        or decisions.get("axillary_surgery") == "axillary_rt_or_alnd"
        or (treatments is not None and treatments.radiotherapy is True)
    )
    radiotherapy_end: int | None = None
    if radiotherapy:
        rt_start = (
            chemo_end + timing.radiotherapy_start_months_after_chemotherapy
            if chemo_end is not None
            else timing.radiotherapy_start_months_after_surgery
        )
        radiotherapy_end = rt_start + timing.radiotherapy_duration_months
        estimated.append("radiotherapy")

    her2_start: int | None = None
    her2_end: int | None = None
    her2_tdm1 = False
    if (
        decisions.get("her2_therapy") in _ACTIVE
        or (treatments is not None and treatments.trastuzumab is True)
        or "trastuzumab" in agents
    ):
        her2_start = -timing.neoadjuvant_her2_start_months_before_surgery if "trastuzumab" in agents else start
        her2_end = her2_start + timing.her2_therapy_total_months
        # T-DM1 on residual disease is a full course of its own after surgery (KATHERINE), not the rest of a year.
        # Read from the HER2 rule's id, not from words: other recommendations name T-DM1 in passing.
        her2_tdm1 = her2_start < 0 and decisions.get("her2_therapy") in _ACTIVE and _has_rule(
            recommendations(), schedule.her2_cardiac.tdm1_recommendation_ids)
        if her2_tdm1:
            her2_end = start + timing.tdm1_adjuvant_months
        estimated.append("HER2 therapy")

    sex = recorded_sex(case)
    female = sex != "male"
    if sex is None:
        # Not read as a woman's in silence: the plan shows a woman's items (the wider imaging) and says what differs.
        missing.append(built_missing(
            "sex", "decides the breast imaging and the gynaecological items; the plan shows a woman's (for a man, ASCO "
            "2020: mammography of the treated breast only after breast-conserving surgery, the other breast only for a "
            "germline BRCA carrier, no routine breast MRI, no gynaecological items)"))
    endocrine = decisions.get("endocrine") in _ACTIVE or (treatments is not None and treatments.endocrine is True)
    years = (treatments.endocrine_years if treatments is not None else None) or schedule.adherence.default_endocrine_years
    endocrine_start = endocrine_end = None
    agent: str | None = None
    if endocrine:
        endocrine_start = chemo_end if chemo_end is not None else start
        endocrine_end = endocrine_start + 12 * years
        estimated.append("endocrine therapy")
        if not female:
            agent = "tamoxifen"
        elif case.menopausal_status == "post":
            agent = "ai"
        elif case.menopausal_status in ("pre", "peri") or implied_premenopausal(case):
            agent = "tamoxifen"  # premenopausal: recorded, or implied (pregnancy, breastfeeding, OFS planned)
        else:
            missing.append(built_missing(
                "menopausal_status", "decides the endocrine-specific monitoring (bone density on an aromatase "
                "inhibitor, gynaecological review on tamoxifen) and fertility counselling"))
    if not female:
        warnings.append(
            "Male patient: the follow-up schedule follows guidelines written mainly for women; gynaecological and "
            "fertility items are omitted, and mammography follows the ASCO 2020 guideline for men (the treated breast "
            "after breast-conserving surgery; the contralateral breast only for a germline BRCA carrier; no routine "
            "breast MRI). Review the plan individually."
        )
    if estimated:
        warnings.append(
            "Treatment dates are not in the case: the start and end of "
            + ", ".join(estimated)
            + " are estimated from a typical adjuvant sequence after the surgery date; "
            "adjust the treatment-related dates when the actual dates are known."
        )
    pregnant = female and case.pregnancy is not None and case.pregnancy.status == "pregnant"
    premenopausal = female and (case.menopausal_status in ("pre", "peri")
                                or case.menopausal_status != "post" and implied_premenopausal(case))
    if female and case.menopausal_status is None and not premenopausal and not endocrine and (
            case.age is None or case.age < schedule.fertility.postmenopausal_from_age):
        # Not read as postmenopausal in silence: the fertility item is for premenopausal women (asked above when
        # endocrine therapy is given); from 60 a woman is postmenopausal (NCCN definition of menopause).
        missing.append(built_missing(
            "menopausal_status", "decides fertility and contraception counselling before systemic therapy (for "
            "premenopausal women: ACS/ASCO survivorship 2016); the plan has none"))
    her2_on_hold_for_heart = her2_start is None and decisions.get("her2_therapy") in ("discuss", "deferred") and (
        (case.lvef_percent is not None and case.lvef_percent < rules().safety.lvef_min_percent)
        or bool(case.conditions and case.conditions.heart_failure))
    ofs_or_ai_named = endocrine and premenopausal and _on_ovarian_suppression(case, recommendations, schedule)
    lymphoedema_reasons = _lymphoedema_reasons(case, decisions)
    brca_gene = case.germline_brca.upper() if case.germline_brca in ("brca1", "brca2") else None
    adjuvant_start = chemo_end if chemo_end is not None else start
    after_local_start = max(adjuvant_start, radiotherapy_end or 0)
    drugs = _monitored_drugs(case, decisions, schedule)
    # In the fields' order, not by keyword: a class called with keywords first gathers them in a dict (~1 µs for 15).
    return _Therapy(female, premenopausal, chemo_end, anthracycline_end, radiotherapy_end, her2_start, her2_end,
                    her2_tdm1, her2_on_hold_for_heart, endocrine_start, endocrine_end, years, agent, ofs_or_ai_named,
                    lymphoedema_reasons, brca_gene, adjuvant_start, after_local_start, drugs, pregnant)


def _warn_deferred(case: Case, decisions: dict[str, str], schedule: Schedule, warnings: list[str]) -> None:
    """A deferred treatment has no start date: say that its monitoring is not dated (one warning per treatment)."""
    d = schedule.deferred
    if "deferred" not in decisions.values():
        return
    status = case.pregnancy.status if case.pregnancy is not None else None
    reason = d.reason_pregnant if status == "pregnant" else d.reason_lactating if status == "lactating" \
        else d.reason_other
    named: list[str] = []
    for key, what in d.decisions.items():
        if decisions.get(key) == "deferred" and what not in named:
            named.append(what)
    for what in named:
        extra = d.text_radiotherapy if what == d.decisions.get("whole_breast_rt") else ""
        warnings.append(d.text.format(what=what[:1].upper() + what[1:], reason=reason) + extra)


def _monitored_drugs(case: Case, decisions: dict[str, str], schedule: Schedule) -> tuple[tuple[str, bool], ...]:
    """The drugs with label monitoring that the plan dates: (decision key, discussed only), in the schedule's order."""
    out: list[tuple[str, bool]] = []
    given_bisphosphonate = case.treatments is not None and case.treatments.bisphosphonate is True
    for drug in schedule.drug_monitoring.drugs:
        decision = decisions.get(drug.decision)
        if decision in _ACTIVE or (drug.decision == "bisphosphonate" and given_bisphosphonate):
            out.append((drug.decision, False))
        elif decision == "discuss":
            out.append((drug.decision, True))
    return tuple(out)


class _KeywordSearch(NamedTuple):
    """The keywords as one whole-word, any-case pattern, and lower-cased (None when one is not ASCII)."""

    pattern: re.Pattern[str]
    lowered: tuple[str, ...] | None


@cache  # the packaged schedule's keywords: one search per process
def _keyword_search(keywords: tuple[str, ...]) -> _KeywordSearch:
    # A mention after "no " or "without " is a negation ("no ovarian suppression for stage I disease"), not a plan.
    pattern = re.compile(r"(?<!\bno )(?<!\bwithout )\b(?:" + "|".join(re.escape(k) for k in keywords) + r")\b",
                         re.IGNORECASE)
    return _KeywordSearch(pattern, tuple(k.lower() for k in keywords) if all(k.isascii() for k in keywords) else None)


def _on_ovarian_suppression(case: Case, recommendations: Callable[[], list[Recommendation]],
                            schedule: Schedule) -> bool:
    """Premenopausal on endocrine therapy: whether ovarian suppression (or an AI, which needs it) is part of the plan.

    The team's intent decides when recorded (declining counts as not planned); otherwise the endocrine
    recommendation's words (the guideline chose by risk), a negated mention ("no ovarian suppression") not counting.
    """
    intent = case_ofs_intent(case)
    if intent is not None:
        return intent == "planned"
    return _names_any(recommendations(), schedule.bone_health.ovarian_suppression_or_ai_keywords)


def _has_rule(recommendations: list[Recommendation], rule_ids: list[str]) -> bool:
    """True when one of ``recommendations`` was made by one of ``rule_ids``."""
    return any(r.id in rule_ids for r in recommendations)


def _names_any(recommendations: list[Recommendation], keywords: list[str]) -> bool:
    """True when the endocrine recommendation names one of ``keywords`` (whole words, any case, not negated).

    Only the endocrine one: another recommendation may name them in passing ("Premenopausal without ovarian
    suppression: no benefit from adjuvant bisphosphonates").
    """
    search = _keyword_search(tuple(keywords))
    return any(_mentions(search, f"{r.id} {r.decision} {r.text}") for r in recommendations
               if r.id.startswith(_ENDOCRINE_RULES))


def _mentions(search: _KeywordSearch, text: str) -> bool:
    """Whether ``text`` has a keyword as a whole word, in any case: ``search.pattern.search(text)``, started where
    it can first match.

    The pattern, beginning with a word boundary and matching any case, is tried at every character (about 25 ns
    each: ~10 µs for a rendered recommendation). In ASCII text with ASCII keywords, matching any case is matching the
    lower-cased text (the other characters that match a letter in any case, such as the long s or the Kelvin sign,
    are not ASCII), so a match starts where a keyword occurs in it: none there, no match; else the pattern is tried
    from the first occurrence (its boundary still reads the character before).
    """
    start = 0
    if search.lowered is not None and text.isascii():
        lowered = text.lower()
        found = [at for at in map(lowered.find, search.lowered) if at >= 0]
        if not found:
            return False
        start = min(found)
    return search.pattern.search(text, start) is not None


def _lymphoedema_reasons(case: Case, decisions: dict[str, str]) -> tuple[str, ...]:
    reasons: list[str] = []
    procedure = case.nodes.procedure if case.nodes is not None else None
    if decisions.get("axillary_surgery") == "alnd" or procedure in ("alnd", "slnb_then_alnd"):
        reasons.append("axillary dissection")
    elif decisions.get("axillary_surgery") == "axillary_rt_or_alnd":
        reasons.append("axillary radiotherapy or dissection")
    if decisions.get("regional_nodal_irradiation") in _ACTIVE:
        reasons.append("regional nodal irradiation")
    return tuple(reasons)


@cache  # a pure function of the packaged schedule (a frozen model, but with lists: not hashable itself)
def _visit_months() -> tuple[int, ...]:
    schedule = load_schedule()
    months: list[int] = []
    month = 0
    for phase in schedule.visits.phases:
        while month + phase.interval_months <= min(phase.until_month, schedule.horizon_months):
            month += phase.interval_months
            months.append(month)
    return tuple(months)


def _every(start: int, interval: int, until: int) -> range:
    return range(start, until + 1, interval)


# -------------------------------------------------------------------------------------------- builders
@cache  # a pure function of the packaged schedule
def _visit_texts() -> tuple[tuple[int, str], ...]:
    """Every visit month with its text (the guideline of its phase; the last visit its own text)."""
    v, months = load_schedule().visits, _visit_months()
    out = []
    for month in months:
        phase = next(p for p in v.phases if month <= p.until_month)
        out.append((month, v.text_last if month == months[-1] else v.text.format(guideline=phase.guideline)))
    return tuple(out)


def _visits(ctx: _Context) -> list[_Entry]:
    evidence = ctx.schedule.visits.evidence
    return [ctx.item(month, text, evidence, "visit") for month, text in _visit_texts()]


def _education(ctx: _Context) -> list[_Entry]:
    e = ctx.schedule.education
    return [ctx.item(ctx.first_visit, e.text, e.evidence, "education")]


def _not_recommended(ctx: _Context) -> list[_Entry]:
    n = ctx.schedule.not_recommended
    text = n.text + ("" if ctx.therapy.brca_gene else n.text_mri)
    return [ctx.item(ctx.first_visit, text, n.evidence, "not_recommended")]


def _mammography(ctx: _Context) -> list[_Entry]:
    m = ctx.schedule.mammography
    breast = ctx.breast if ctx.breast in ("bcs", "mastectomy") else "unknown"
    evidence = m.evidence
    if ctx.therapy.female:
        side = m.side.get(breast, m.side["unknown"])
    else:  # ASCO 2020 for men: the treated breast after lumpectomy; the other breast only for a germline carrier
        key = breast + ("_carrier" if ctx.therapy.brca_gene else "")
        if key not in m.side_male:
            return []
        side = m.side_male[key]
        evidence = [*m.evidence, *m.evidence_male]
    months = list(_every(ctx.first_mammography, m.interval_months, ctx.schedule.horizon_months))
    first, middle, last = (text.format(side=side) for text in (m.text_first, m.text, m.text_last))
    items = []
    for i, month in enumerate(months):
        text = first if i == 0 else last if i == len(months) - 1 else middle
        items.append(ctx.item(month, text, evidence, "imaging"))
    return items


def _bone_health(ctx: _Context) -> list[_Entry]:
    t, b = ctx.therapy, ctx.schedule.bone_health
    if t.endocrine_start is None or t.endocrine_end is None:
        return []
    if t.endocrine_agent == "ai":
        agent = b.agent_ai
    elif t.premenopausal and t.ofs_or_ai_named:
        agent = b.agent_ofs
    else:
        return []
    items = [ctx.item(t.endocrine_start, b.text_baseline.format(agent=agent), b.evidence, "bone_health")]
    until = min(t.endocrine_end - 1, ctx.schedule.horizon_months)
    for month in _every(t.endocrine_start + b.dxa_interval_months, b.dxa_interval_months, until):
        items.append(ctx.item(month, b.text.format(agent=agent), b.evidence, "bone_health"))
    return items


def _tamoxifen_gynaecology(ctx: _Context) -> list[_Entry]:
    t, g = ctx.therapy, ctx.schedule.tamoxifen_gynaecology
    if not t.female:
        return []
    if t.endocrine_agent != "tamoxifen" or t.endocrine_start is None or t.endocrine_end is None:
        return [ctx.item(ctx.first_visit, g.text_routine, g.evidence_routine, "gynaecology")]
    items = [ctx.item(t.endocrine_start, g.text_start, g.evidence, "gynaecology")]
    until = min(t.endocrine_end, ctx.schedule.horizon_months)
    for month in _every(t.endocrine_start + g.interval_months, g.interval_months, until):
        items.append(ctx.item(month, g.text, g.evidence, "gynaecology"))
    return items


def _her2_cardiac(ctx: _Context) -> list[_Entry]:
    t, h = ctx.therapy, ctx.schedule.her2_cardiac
    if t.her2_on_hold_for_heart:
        return [ctx.item(0, h.text_on_hold, h.on_hold_evidence, "cardiac")]
    if t.her2_start is None or t.her2_end is None:
        return []
    evidence = [*h.evidence, *h.tdm1_evidence] if t.her2_tdm1 else h.evidence
    items = []
    if t.her2_start >= 0:
        items.append(ctx.item(t.her2_start, h.text_baseline, evidence, "cardiac"))
    for month in range(t.her2_start + h.during_interval_months, t.her2_end, h.during_interval_months):
        if month > 0:
            items.append(ctx.item(month, h.text_during, evidence, "cardiac"))
    if t.her2_end > 0:
        items.append(ctx.item(t.her2_end, h.text_completion, evidence, "cardiac"))
    after_until = t.her2_end + h.after_duration_months
    for month in _every(t.her2_end + h.after_interval_months, h.after_interval_months, after_until):
        if month > 0:
            items.append(ctx.item(month, h.text_after, h.evidence, "cardiac"))
    return items


def _anthracycline_cardiac(ctx: _Context) -> list[_Entry]:
    t, a = ctx.therapy, ctx.schedule.anthracycline_cardiac
    if t.anthracycline_end is None:
        return []
    items = []
    adjuvant = t.chemo_end is not None
    if adjuvant and not ctx.lvef_known and t.her2_start is None:
        items.append(ctx.item(ctx.schedule.treatment_timing.adjuvant_systemic_start_months, a.text_baseline,
                              a.evidence, "cardiac"))
    month = t.anthracycline_end + a.months_after_completion
    if month > 0:
        items.append(ctx.item(month, a.text, a.evidence, "cardiac"))
    return items


def _lymphoedema(ctx: _Context) -> list[_Entry]:
    t, ly = ctx.therapy, ctx.schedule.lymphoedema
    if not t.lymphoedema_reasons:
        return []
    planned = ctx.planned
    text = ly.text.format(reason=" and ".join(t.lymphoedema_reasons))
    visits = [m for m in ctx.visits if m <= ly.surveillance_months]
    if planned:
        items = [ctx.item(0, ly.text_baseline_planned, ly.evidence, "lymphoedema")]
    else:
        items = [ctx.item(visits[0], ly.text_baseline_done, ly.evidence, "lymphoedema")]
        visits = visits[1:]
    items.extend(ctx.item(m, text, ly.evidence, "lymphoedema") for m in visits)
    return items


def _adherence(ctx: _Context) -> list[_Entry]:
    t, a = ctx.therapy, ctx.schedule.adherence
    if t.endocrine_start is None or t.endocrine_end is None:
        return []
    text = a.text.format(years=t.endocrine_years)
    return [ctx.item(m, text, a.evidence, "adherence") for m in ctx.visits if t.endocrine_start < m <= t.endocrine_end]


def _distress(ctx: _Context) -> list[_Entry]:
    d = ctx.schedule.distress
    months = sorted({ctx.first_visit, *_every(d.interval_months, d.interval_months, ctx.schedule.horizon_months)})
    return [ctx.item(m, d.text, d.evidence, "psychosocial") for m in months]


def _survivorship(ctx: _Context) -> list[_Entry]:
    s = ctx.schedule.survivorship_care_plan
    active_end = ctx.therapy.active_end
    month = next((m for m in ctx.visits if m >= active_end), ctx.visits[-1])
    return [ctx.item(month, s.text, s.evidence, "survivorship")]


def _fertility(ctx: _Context) -> list[_Entry]:
    t, f = ctx.therapy, ctx.schedule.fertility
    if not t.premenopausal:
        return []
    on_endocrine = t.endocrine_start is not None
    # Pregnant now: ovarian stimulation for oocyte or embryo cryopreservation cannot be done, and contraception is
    # for after delivery (ESMO 2013, Peccatori; Amant, Lancet 2012): the counselling is the pregnancy's.
    text = (f.text_pregnant if t.pregnant else f.text) + (f.text_endocrine if on_endocrine else "")
    evidence = [*(f.evidence_pregnant if t.pregnant else f.evidence), *(f.evidence_endocrine if on_endocrine else [])]
    return [ctx.item(0, text, evidence, "fertility")]


def _germline_brca(ctx: _Context) -> list[_Entry]:
    gene, g = ctx.therapy.brca_gene, ctx.schedule.germline_brca
    if gene is None:
        return []
    items = [ctx.item(ctx.first_visit, g.text_referral.format(gene=gene), g.evidence, "genetics")]
    if not ctx.therapy.female:  # ASCO 2020: no routine breast MRI for men; the contralateral mammography is dated above
        items.append(ctx.item(ctx.first_visit, g.text_male.format(gene=gene), [*g.evidence, *g.evidence_male],
                              "genetics"))
        return items
    first = ctx.first_mammography + g.mri_offset_months_from_mammography
    items.extend(
        ctx.item(m, g.text.format(gene=gene), g.evidence, "imaging")
        for m in _every(first, g.interval_months, ctx.schedule.horizon_months)
    )
    return items


def _drug_monitoring(ctx: _Context) -> list[_Entry]:
    """Label monitoring of each drug given (or, discussed only: its first step, saying "if chosen")."""
    t, horizon = ctx.therapy, ctx.schedule.horizon_months
    drugs = {d.decision: d for d in ctx.schedule.drug_monitoring.drugs}
    items = []
    for key, discussed_only in t.drugs:
        drug = drugs[key]
        start = t.after_local_start if drug.start == "after_local_and_chemotherapy" else t.adjuvant_start
        if discussed_only:
            items.append(ctx.item(start, drug.text_if_discussed + drug.steps[0].text, drug.evidence, "drug_monitoring"))
            continue
        items.extend(ctx.item(start + s.after_months, s.text, drug.evidence, "drug_monitoring") for s in drug.steps
                     if start + s.after_months <= horizon)
        if drug.repeat is not None:
            r = drug.repeat
            items.extend(ctx.item(start + m, r.text, drug.evidence, "drug_monitoring")
                         for m in _every(r.first_month, r.every_months, r.last_month) if start + m <= horizon)
    return items


_BUILDERS: tuple[Callable[[_Context], list[_Entry]], ...] = (
    _visits,
    _education,
    _not_recommended,
    _mammography,
    _bone_health,
    _tamoxifen_gynaecology,
    _her2_cardiac,
    _anthracycline_cardiac,
    _lymphoedema,
    _adherence,
    _distress,
    _survivorship,
    _fertility,
    _germline_brca,
    _drug_monitoring,
)
