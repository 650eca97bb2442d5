"""The dated follow-up plan, checked against the guideline text (clinical-knowledge.md DP-F).

Sources quoted in the tests:
- ASCO 2006/2013 (Khatcheressian, JCO 2006;24:5091; JCO 2013;31:961): "History and physical: every 3-6
  months in years 1-3, every 6-12 months in years 4-5, then annually"; "the first post-treatment
  mammogram 1 year after the diagnostic mammogram and >= 6 months after RT, then annually"; no routine
  tumour markers, blood counts or imaging in asymptomatic patients.
- ASCO bone health (Shapiro, JCO 2019): on an AI, baseline DXA then every 1-2 years (we use 2).
- ACOG Committee Opinion 601: annual gynaecological assessment on tamoxifen, report abnormal bleeding,
  no routine endometrial ultrasound.
- Trastuzumab label / ESC 2022: LVEF at baseline and every 3 months during therapy; after completion
  every 6 months for at least 2 years.
- Armenian 2017 (ASCO): echocardiography 6-12 months after anthracycline completion in high-risk patients.
- PREVENT (Ridner 2022): lymphoedema surveillance after ALND and/or RNI (3 years).
"""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from _followup_cases import make_case
from hypothesis import example, given, settings
from hypothesis import strategies as st

from micromets.followup import FollowUpPlan, add_months, load_schedule, plan_follow_up
from micromets.followup.schedule import add_months_each
from micromets.knowledge.evidence import evidence_registry
from micromets.model.assessment import FollowUpItem, Recommendation

SURGERY = dt.date(2026, 10, 1)


def months_between(a: dt.date, b: dt.date) -> int:
    """Whole calendar months from a to b (the plan keeps the day of month)."""
    return (b.year - a.year) * 12 + (b.month - a.month)


def of(plan: FollowUpPlan, category: str) -> list[FollowUpItem]:
    return [i for i in plan.items if i.category == category]


def plan_for(decisions: dict[str, str] | None = None, recs: list[Recommendation] | None = None, **case) -> FollowUpPlan:
    return plan_follow_up(make_case(**case), decisions or {}, recs or [])


# ------------------------------------------------------------------------------------------ visits (F1)
def test_history_and_physical_follows_the_asco_intervals() -> None:
    visits = [i.due for i in of(plan_for(), "visit")]
    months = [months_between(SURGERY, d) for d in visits]
    gaps = list(zip([0, *months], months, strict=False))
    for previous, current in gaps:
        interval = current - previous
        if current <= 36:  # years 1-3: every 3-6 months
            assert 3 <= interval <= 6, (previous, current)
        elif current <= 60:  # years 4-5: every 6-12 months
            assert 6 <= interval <= 12, (previous, current)
        else:  # then annually
            assert interval == 12, (previous, current)
    assert months[-1] == 120, "the plan is dated to year 10"


def test_visit_dates_are_the_documented_schedule() -> None:
    # schedule.json: every 4 months to month 36, every 6 months to month 60, yearly to month 120.
    expected_months = [*range(4, 37, 4), *range(42, 61, 6), *range(72, 121, 12)]
    expected = [add_months(SURGERY, m) for m in expected_months]
    assert [i.due for i in of(plan_for(), "visit")] == expected
    assert expected[:3] == [dt.date(2027, 2, 1), dt.date(2027, 6, 1), dt.date(2027, 10, 1)]
    assert expected[-1] == dt.date(2036, 10, 1)


def test_every_item_cites_known_evidence_and_plan_is_sorted() -> None:
    plan = plan_for(
        {"endocrine": "recommended", "her2_therapy": "recommended", "chemotherapy": "recommended",
         "whole_breast_rt": "recommended", "regional_nodal_irradiation": "recommended"},
        menopausal_status="pre", germline_brca="brca1",
    )
    registry = evidence_registry()
    assert plan.items
    for item in plan.items:
        assert item.evidence, item.what
        assert all(e in registry for e in item.evidence), item.evidence
        assert item.due >= SURGERY
    keys = [(i.due, i.what) for i in plan.items]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def test_no_routine_markers_or_imaging_is_said_explicitly() -> None:
    [item] = of(plan_for(), "not_recommended")
    text = item.what.lower()
    for word in ("no routine tumour markers", "ca 15-3", "cea", "blood counts", "bone scan", "pet", "asymptomatic"):
        assert word in text
    assert {"ASCO-FU-2013", "CHOOSING-WISELY-ASCO"} <= set(item.evidence)
    assert "no routine breast mri" in text  # not a BRCA carrier


# ------------------------------------------------------------------------------------------- mammography
def test_first_mammogram_one_year_after_diagnosis_without_radiotherapy_delay() -> None:
    items = [i for i in of(plan_for({"whole_breast_rt": "recommended"}), "imaging") if "ammograph" in i.what]
    # RT ends about 3 months after surgery; 1 year after the diagnostic mammogram comes later.
    assert items[0].due == dt.date(2027, 10, 1)
    assert "first post-treatment mammography" in items[0].what.lower()
    assert all(months_between(a.due, b.due) == 12 for a, b in zip(items, items[1:], strict=False))


def test_first_mammogram_at_least_six_months_after_radiotherapy_after_chemotherapy() -> None:
    plan = plan_for({"whole_breast_rt": "recommended", "chemotherapy": "recommended"})
    first = next(i for i in of(plan, "imaging") if "ammograph" in i.what)
    # chemotherapy months 1-6, RT months 7-8 (estimated): first mammogram >= 6 months after RT ends.
    assert months_between(SURGERY, first.due) >= 8 + 6
    assert months_between(SURGERY, first.due) >= 12
    assert any("estimated" in w for w in plan.warnings)


def test_after_mastectomy_only_the_contralateral_breast_is_imaged() -> None:
    plan = plan_for(surgery={"breast": "mastectomy", "status": "done", "date": "2026-10-01"})
    texts = [i.what for i in of(plan, "imaging")]
    assert texts and all("contralateral breast only" in t for t in texts)
    assert not any("both breasts" in t for t in texts)


# ---------------------------------------------------------------------------------- drug-specific (F2-F4)
def test_aromatase_inhibitor_gives_baseline_dxa_then_every_two_years() -> None:
    dxa = of(plan_for({"endocrine": "recommended"}), "bone_health")
    assert "baseline" in dxa[0].what.lower() and "DXA" in dxa[0].what
    assert {"ASCO-BONE-2019"} <= set(dxa[0].evidence)
    assert [months_between(dxa[0].due, i.due) for i in dxa] == [0, 24, 48]  # within the 5-year AI course


def test_ten_years_of_endocrine_therapy_extends_dxa_and_adherence() -> None:
    plan = plan_for({"endocrine": "recommended"}, treatments={"endocrine": True, "endocrine_years": 10})
    assert len(of(plan, "bone_health")) == 5  # baseline + every 2 years over 10 years
    adherence = of(plan, "adherence")
    assert max(i.due for i in adherence) == add_months(SURGERY, 120)
    assert "10-year" in adherence[0].what


def test_premenopausal_tamoxifen_gets_gynaecology_not_dxa() -> None:
    plan = plan_for({"endocrine": "recommended"}, menopausal_status="pre")
    gyn = of(plan, "gynaecology")
    assert gyn and not of(plan, "bone_health")
    texts = " ".join(i.what.lower() for i in gyn)
    assert "abnormal vaginal bleeding" in texts and "no routine endometrial ultrasound" in texts
    annual = [i for i in gyn if i.what.startswith("Annual")]
    assert all(months_between(a.due, b.due) == 12 for a, b in zip(annual, annual[1:], strict=False))
    assert len(annual) == 5 and all("ACOG-601" in i.evidence for i in gyn)


def test_premenopausal_ovarian_suppression_adds_bone_density() -> None:
    rec = Recommendation(id="systemic.endocrine.ofs_ai", domain="systemic", decision="recommended",
                         strength="moderate", text="Ovarian function suppression plus exemestane.",
                         rationale="premenopausal, high risk", evidence=["PREDICT-V3"], would_change_if="-")
    plan = plan_for({"endocrine": "recommended"}, [rec], menopausal_status="pre")
    assert of(plan, "bone_health")


def test_postmenopausal_gets_no_tamoxifen_gynaecology_or_fertility() -> None:
    """On an AI: no tamoxifen items, only the regular gynaecological follow-up that ASCO 2006/2013 ask for all women."""
    plan = plan_for({"endocrine": "recommended"})
    assert [i.what for i in of(plan, "gynaecology")] == [load_schedule().tamoxifen_gynaecology.text_routine]
    assert not of(plan, "fertility")


def test_trastuzumab_lvef_every_three_months_then_six_monthly() -> None:
    cardiac = of(plan_for({"her2_therapy": "recommended"}), "cardiac")
    months = [months_between(SURGERY, i.due) for i in cardiac]
    start = months[0]
    assert "baseline" in cardiac[0].what.lower()
    during = [m for m in months if start < m <= start + 12]
    assert during == [start + 3, start + 6, start + 9, start + 12]  # every 3 months for 12 months
    after = [m for m in months if m > start + 12]
    assert after == [start + 18, start + 24, start + 30, start + 36]  # every 6 months for 2 years
    assert all("TRASTUZUMAB-LABEL" in i.evidence for i in cardiac)


def test_neoadjuvant_trastuzumab_continues_after_surgery_without_a_new_baseline() -> None:
    plan = plan_for(
        {"her2_therapy": "recommended"}, neoadjuvant=True,
        neoadjuvant_therapy={"agents": ["taxane", "trastuzumab"]},
    )
    cardiac = of(plan, "cardiac")
    assert not any("before starting" in i.what for i in cardiac)  # the baseline was taken before NST
    assert any("every 3 months" in i.what for i in cardiac)


def test_anthracycline_lvef_six_to_twelve_months_after_completion() -> None:
    plan = plan_for({"chemotherapy": "recommended"})
    late = [i for i in of(plan, "cardiac") if "anthracycline was given" in i.what]
    assert len(late) == 1 and "ARMENIAN-2017" in late[0].evidence
    completion = 1 + 5  # estimated: starts 1 month after surgery, lasts 5 months
    assert 6 <= months_between(SURGERY, late[0].due) - completion <= 12


def test_neoadjuvant_anthracycline_monitoring_dated_after_surgery() -> None:
    plan = plan_for({}, neoadjuvant=True, neoadjuvant_therapy={"agents": ["anthracycline", "taxane"]})
    late = [i for i in of(plan, "cardiac") if "anthracycline" in i.what]
    assert len(late) == 1 and late[0].due > SURGERY


# --------------------------------------------------------------------------------------- lymphoedema (F5)
def test_alnd_gives_lymphoedema_surveillance_for_three_years() -> None:
    nodes = {"procedure": "slnb_then_alnd", "examined": 12, "deposits": [{"node": 1, "size_mm": 1.2, "method": "he"}]}
    items = of(plan_for(nodes=nodes), "lymphoedema")
    assert items and "baseline" in items[0].what.lower()
    assert max(months_between(SURGERY, i.due) for i in items) == 36
    assert all("PREVENT-LYMPHEDEMA" in i.evidence for i in items)
    visits_to_36 = [i.due for i in of(plan_for(nodes=nodes), "visit") if months_between(SURGERY, i.due) <= 36]
    assert [i.due for i in items] == visits_to_36  # at each visit


def test_alnd_decision_or_nodal_rt_also_trigger_lymphoedema_surveillance() -> None:
    assert of(plan_for({"axillary_surgery": "alnd"}), "lymphoedema")
    assert of(plan_for({"regional_nodal_irradiation": "recommended"}), "lymphoedema")
    assert not of(plan_for({"axillary_surgery": "omit_alnd"}), "lymphoedema")


def test_planned_surgery_measures_the_arm_before_the_operation() -> None:
    plan = plan_for({"axillary_surgery": "alnd"}, surgery={"breast": "bcs", "status": "planned", "date": "2026-12-15"})
    first = of(plan, "lymphoedema")[0]
    assert first.due == dt.date(2026, 12, 15) and "before surgery" in first.what
    assert any("planned" in w and "2026-12-15" in w for w in plan.warnings)


# --------------------------------------------------------------------------------- adherence, F6-F7, BRCA
def test_adherence_checked_at_each_visit_during_endocrine_therapy() -> None:
    plan = plan_for({"endocrine": "recommended"})
    adherence = {i.due for i in of(plan, "adherence")}
    visits = [i.due for i in of(plan, "visit")]
    # endocrine therapy months 1-61 (5 years from the estimated start): every visit in that window
    assert adherence == {d for d in visits if months_between(SURGERY, d) <= 61}


def test_no_adherence_items_without_endocrine_therapy() -> None:
    assert not of(plan_for({"endocrine": "not_indicated"}), "adherence")


def test_distress_screening_at_first_visit_and_yearly() -> None:
    distress = [months_between(SURGERY, i.due) for i in of(plan_for(), "psychosocial")]
    assert distress == [4, *range(12, 121, 12)]


def test_one_survivorship_care_plan_at_end_of_active_treatment() -> None:
    [item] = of(plan_for({"chemotherapy": "recommended", "whole_breast_rt": "recommended"}), "survivorship")
    assert months_between(SURGERY, item.due) >= 8  # after chemotherapy (to month 6) and RT (to month 8)


def test_premenopausal_fertility_counselling_cites_positive_when_on_endocrine() -> None:
    [item] = of(plan_for({"endocrine": "recommended"}, menopausal_status="pre"), "fertility")
    assert "POSITIVE-TRIAL" in item.evidence and "contraception" in item.what


def test_brca_carrier_gets_annual_mri_and_referral() -> None:
    plan = plan_for(germline_brca="brca2")
    mri = [i for i in of(plan, "imaging") if "MRI" in i.what]
    assert len(mri) >= 8 and all(months_between(a.due, b.due) == 12 for a, b in zip(mri, mri[1:], strict=False))
    assert of(plan, "genetics")
    assert "breast mri" not in of(plan, "not_recommended")[0].what.lower()


def test_male_patient_has_no_gynaecology_or_fertility_items() -> None:
    plan = plan_for({"endocrine": "recommended"}, sex="male", menopausal_status=None)
    assert not of(plan, "gynaecology") and not of(plan, "fertility")
    assert any("Male patient" in w for w in plan.warnings)


# ------------------------------------------------------------------------------------ missing and warnings
def test_no_surgery_date_gives_missing_entry_and_no_items() -> None:
    plan = plan_for(surgery={"breast": "bcs", "status": "done"})
    assert plan.items == []
    assert [m.field for m in plan.missing] == ["surgery.date"]
    assert plan_for(surgery=None).missing[0].field == "surgery.date"


def test_unknown_menopausal_status_with_endocrine_is_missing() -> None:
    plan = plan_for({"endocrine": "recommended"}, menopausal_status=None)
    assert "menopausal_status" in [m.field for m in plan.missing]
    assert not any("tamoxifen" in i.what for i in of(plan, "gynaecology")) and not of(plan, "bone_health")


def test_insufficient_data_decision_is_warned() -> None:
    plan = plan_for({"endocrine": "insufficient_data"})
    warned = [w for w in plan.warnings if "endocrine" in w and "needs more data" in w]
    assert warned and "insufficient_data" not in warned[0]  # words for the reader, not the raw decision code


def test_plan_is_deterministic() -> None:
    decisions = {"endocrine": "recommended", "her2_therapy": "recommended", "chemotherapy": "recommended"}
    assert plan_for(decisions) == plan_for(decisions)


@settings(max_examples=40, deadline=None)
@given(
    day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
    endocrine=st.sampled_from(["recommended", "not_indicated"]),
    her2=st.sampled_from(["recommended", "not_indicated"]),
    status=st.sampled_from(["pre", "post"]),
)
def test_any_surgery_date_gives_a_sorted_plan_on_or_after_surgery(day: dt.date, endocrine: str, her2: str,
                                                                    status: str) -> None:
    plan = plan_for({"endocrine": endocrine, "her2_therapy": her2}, menopausal_status=status,
                    surgery={"breast": "bcs", "status": "done", "date": day.isoformat()})
    dues = [i.due for i in plan.items]
    assert dues == sorted(dues) and min(dues) >= day
    assert max(dues) <= add_months(day, 120)
    assert len(of(plan, "not_recommended")) == 1


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),  # leap year
        (dt.date(2026, 10, 1), 120, dt.date(2036, 10, 1)),
        (dt.date(2026, 3, 15), -4, dt.date(2025, 11, 15)),
    ],
)
def test_add_months(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


def test_add_months_keeps_the_day_or_clamps_it_to_the_last_day_of_the_month_for_every_offset() -> None:
    """The calendar's own month lengths (``calendar.monthrange``, leap years included): the day of month is kept,
    or clamped to the last day of a shorter month, over ten years either way from month ends and mid-month days."""
    starts = [dt.date(year, month, day) for year in (2023, 2024, 2100) for month in range(1, 13)
              for day in (1, 15, 28, 29, 30, 31) if day <= calendar.monthrange(year, month)[1]]
    offsets = range(-130, 131)
    for start in starts:
        expected = []
        for months in offsets:
            year, month0 = divmod(start.year * 12 + start.month - 1 + months, 12)
            expected.append(dt.date(year, month0 + 1, min(start.day, calendar.monthrange(year, month0 + 1)[1])))
        assert add_months_each(start, offsets) == expected, start
        assert [add_months(start, m) for m in (-1, 1, 12)] == [expected[129], expected[131], expected[142]]
    with pytest.raises(ValueError, match="outside the calendar"):
        add_months(dt.date(9999, 6, 1), 12)


def test_her2_therapy_held_for_the_heart_gets_a_cardio_oncology_review_not_a_trastuzumab_schedule() -> None:
    """LVEF 35 % (IC-OS 2021: severe dysfunction; SAFE-HEaRt enrolled 40-49 %): HER2-directed therapy is not started,
    so the plan has a cardio-oncology review and repeat LVEF instead of three-monthly LVEF on trastuzumab."""
    from micromets.assess import assess
    from micromets.model import parse_case

    case = parse_case({"age": 58, "sex": "female", "menopausal_status": "post", "metastasis": "cM0",
                       "clinical_nodes": "cN0", "lvef_percent": 35,
                       "tumour": {"size_mm": 15, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "3+"},
                       "nodes": {"procedure": "slnb", "examined": 2, "deposits": [{"node": 1, "size_mm": 1.0, "method": "he"}]},
                       "surgery": {"breast": "bcs", "status": "done", "date": "2026-10-01", "margins_mm": 3}})
    result = assess(case)
    assert result.decisions["her2_therapy"] in ("deferred", "discuss")
    cardiac = [i.what for i in result.follow_up if i.category == "cardiac"]
    assert any("Cardio-oncology review" in w for w in cardiac)
    assert not any("every 3 months during trastuzumab" in w for w in cardiac)


_KEYWORD_TEXT = st.lists(st.sampled_from([
    *"ofsOFS aeinrtAEINR-_.(", "ſ", "K", "ı", "İ", "é", "ovarian suppression", "Ovarian Function Suppression",
    "aromatase inhibitor", "letrozole", "OFS", "xofs", "ofsx", "_ofs", "ofs_", "oFſ", "letrozole", "\u212aofs"]),
    max_size=20).map("".join)


@given(text=_KEYWORD_TEXT)
@example(text="ofſ").via("the long s matches s in any case")
@example(text="OFS, letrozole").via("ASCII")
@example(text="ſuppress").via("a keyword that is not ASCII")
@settings(max_examples=400)
def test_keyword_search_finds_what_the_whole_word_any_case_pattern_finds(text: str) -> None:
    """``_mentions`` starts the pattern where a keyword first occurs in ASCII text; it must answer as the pattern
    tried from the start does, for ASCII and other text (the long s, the Kelvin sign and the dotted and dotless i
    match ASCII letters in any case)."""
    from micromets.followup.plan import _keyword_search, _mentions
    from micromets.followup.schedule import load_schedule

    for keywords in (tuple(load_schedule().bone_health.ovarian_suppression_or_ai_keywords), ("OFS", "ſuppress")):
        search = _keyword_search(keywords)
        assert _mentions(search, text) == (search.pattern.search(text) is not None), (keywords, text)


def test_an_unrecorded_sex_is_named_and_the_plan_says_whose_items_it_shows() -> None:
    """ASCO 2020 (Hassett, male breast cancer): after breast-conserving surgery a man's mammography is of the treated
    breast only and he has no gynaecological follow-up; ASCO 2013 gives every woman gynaecological follow-up. With the
    sex unrecorded (and nothing that implies it) the plan must not pass a woman's items off as known: it names sex."""
    unrecorded = plan_follow_up(make_case(sex=None, menopausal_status=None), {}, [])
    why = {m.field: m.why for m in unrecorded.missing}
    assert "sex" in why and "a woman's" in why["sex"] and "treated breast only" in why["sex"]
    for recorded in ({"sex": "female"}, {"sex": None, "menopausal_status": "post"}, {"sex": "male",
                                                                                      "menopausal_status": None}):
        plan = plan_follow_up(make_case(**recorded), {}, [])
        assert "sex" not in {m.field for m in plan.missing}, recorded
