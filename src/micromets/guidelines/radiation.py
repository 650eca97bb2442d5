"""DP-R radiation: whole-breast RT and its omission, boost, regional nodal irradiation, post-mastectomy RT.

Fractionation and organ-at-risk limits come from the rule table and are written into the text. The patient
changes three things here: limited fitness strengthens an omission the trial criteria allow (never creates
one), a declined endocrine therapy rules omission out (every omission trial gave it), and during pregnancy
radiotherapy is deferred until after delivery.

    >>> from micromets.model import Case, Findings, Staging
    >>> from micromets.guidelines._context import Board, Context
    >>> case = Case(age=55, surgery={"breast": "bcs", "status": "done"}, nodes={"procedure": "slnb", "examined": 2})
    >>> board = Board()
    >>> whole_breast_rt(Context.of(case, Findings(positive_nodes=1, micrometastatic_nodes=1, er="positive"),
    ...                            Staging(t="pT1c", n="pN1mi(sn)")), board)
    >>> board.decisions["whole_breast_rt"]
    'recommended'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

import numpy as np

from micromets.guidelines._context import Board, Context, unknown_fields
from micromets.guidelines.patient import ecog_of, ecog_words, fitness
from micromets.guidelines.rules import CriteriaSet, FactValue, ShortEvaluation, evaluate, rules
from micromets.guidelines.table import (
    DecisionTable,
    Derived,
    Facts,
    Rule,
    always,
    negate,
    one_of,
    render,
    stack,
    unknown,
)
from micromets.model import INSUFFICIENT_DATA

_PREFIXES = {"whole_breast_rt": "radiation.wbrt", "boost": "radiation.boost",
             "regional_nodal_irradiation": "radiation.rni", "post_mastectomy_rt": "radiation.pmrt"}
_NODAL_METASTASIS = ("micro", "macro")
_EXTENSION_WORDS = {"chest_wall": "cT4a", "skin": "cT4b", "chest_wall_and_skin": "cT4c",
                    "inflammatory": "cT4d (inflammatory)"}


@cache  # a pure function of the rule set
def _schedules(*targets: str) -> str:
    chosen = [f"{f.schedule} ({f.evidence})" for f in rules().radiation.fractionation
              if any(f.target.startswith(t) for t in targets)]
    return "Fractionation: " + "; or ".join(chosen) + "."


@cache  # a pure function of the rule set
def _organs_at_risk() -> str:
    limits = "; ".join(f"{o.organ}: {o.constraint}" + (" [unverified]" if o.verification == "U" else "")
                       for o in rules().radiation.organs_at_risk)
    return f"Organs at risk: {limits}."


def medial_or_central(ctx: Context) -> bool | None:
    """Whether the (largest) tumour lies in an inner quadrant or centrally; None when the quadrant is unknown."""
    quadrant = ctx.case.tumour.quadrant if ctx.case.tumour else None
    return None if quadrant is None else quadrant in rules().radiation.medial_central_quadrants


def adverse_features(ctx: Context) -> tuple[str, ...]:
    """Combined adverse features that make nodal RT/PMRT worth discussing for pN1mi (consensus, not trial data).
    Derived once per patient: the nodal RT and PMRT tables, their texts and the quadrant note all read them."""
    return ctx.remembered("adverse_features", lambda c: tuple(_adverse_features(c)))


@cache  # a pure function of the rule set
def _threshold_words() -> tuple[str, str]:
    """The adverse features of a young age and a large tumour, in words."""
    t = rules().radiation.adverse_features
    return f"age < {t.young_age_below}", f"tumour > {t.large_tumour_above_mm:g} mm"


def _adverse_features(ctx: Context) -> list[str]:
    t = rules().radiation.adverse_features
    tumour = ctx.case.tumour
    found = []
    if ctx.age is not None and ctx.age < t.young_age_below:
        found.append(_threshold_words()[0])
    if ctx.grade == 3:
        found.append("grade 3")
    if ctx.findings.er == "negative":
        found.append("ER-negative")
    if tumour is not None and tumour.lvi:
        found.append("LVI")
    if ctx.size_mm is not None and ctx.size_mm > t.large_tumour_above_mm:
        found.append(_threshold_words()[1])
    if (ctx.findings.micrometastatic_nodes or 0) >= t.multiple_micrometastatic_nodes_min:
        found.append("multiple micrometastatic nodes")
    if medial_or_central(ctx):
        found.append("medial/central tumour (internal mammary drainage; EORTC 22922)")
    return found


def limited_fitness(ctx: Context) -> list[str]:
    """Markers of limited fitness or life expectancy (ECOG, Clinical Frailty Scale, G8, the team's estimate)."""
    t = rules().radiation.limited_fitness
    case = ctx.case
    found = []
    ecog = ecog_of(ctx)
    if ecog is not None and ecog >= t.ecog_min:
        found.append(ecog_words(ctx))
    if case.clinical_frailty_scale is not None and case.clinical_frailty_scale >= t.clinical_frailty_scale_min:
        found.append(f"Clinical Frailty Scale {case.clinical_frailty_scale}")
    if case.g8_score is not None and case.g8_score <= t.g8_max:
        found.append(f"G8 {case.g8_score:g} (<= {t.g8_max:g}, abnormal)")
    if case.life_expectancy_years is not None and case.life_expectancy_years < t.life_expectancy_below_years:
        found.append(f"estimated life expectancy {case.life_expectancy_years:g} years")
    return found


def pre_treatment_high_risk(ctx: Context) -> str | None:
    """After neoadjuvant therapy: the pre-treatment cT4 / cN2-3 finding that calls for PMRT and nodal RT, in words."""
    if ctx.setting != "post_neoadjuvant":
        return None
    t = rules().radiation.post_neoadjuvant_always
    nst = ctx.case.neoadjuvant_therapy
    extension = nst.pre_treatment_t_extension if nst else None
    if extension in t.pre_treatment_t_extensions:
        return f"{_EXTENSION_WORDS[extension]} before neoadjuvant therapy"
    if ctx.initial_clinical_n in t.pre_treatment_n_groups:
        return f"c{ctx.initial_clinical_n} before neoadjuvant therapy"
    return None


def _many_nodes_operated_first(ctx: Context) -> int | None:
    """Before the breast surgery, the positive-node count of an axillary procedure already done (e.g. a sentinel
    biopsy before mastectomy), when it reaches the high-risk threshold (>= 4 positive nodes decide nodal RT and
    PMRT whatever the clinical N, NCCN; EBCTCG 2014), else None. This also covers nodes reported beside
    neoadjuvant therapy, where ``Context.nodes_operated_first`` does not let the pathology decide the rest."""
    if ctx.setting != "planned" or not ctx.case.has_nodal_pathology:
        return None
    positive = ctx.findings.positive_nodes
    return positive if positive is not None and positive >= rules().radiation.high_risk_min_positive_nodes else None


#: Clinical N categories with clinically detected internal mammary nodes (AJCC 8: cN2b without, cN3b with clinically
#: involved axillary nodes).
_IMN_CLINICAL_N = ("cN2b", "cN3b")


def internal_mammary_involved(ctx: Context) -> str | None:
    """'clinically_detected' or 'sentinel_microscopic' when internal mammary nodes hold nodal metastasis (after upfront
    surgery, or before it on the clinical N), else None. After neoadjuvant therapy the residual disease and the stage
    before therapy decide (their own rules)."""
    if ctx.setting == "post_neoadjuvant" or ctx.node_status not in _NODAL_METASTASIS:
        return None
    case = ctx.case
    imn = case.nodes.internal_mammary if case.nodes else None
    if imn in ("clinically_detected", "sentinel_microscopic"):
        return imn
    if ctx.setting == "planned" and not ctx.nodes_operated_first and case.clinical_nodes in _IMN_CLINICAL_N:
        return "clinically_detected"
    return None


def _axilla_negative_words(ctx: Context) -> str:
    """When the axillary nodes examined are negative: the axilla needs no dissection (said where nodal RT is given)."""
    if not ctx.case.has_nodal_pathology or ctx.findings.positive_nodes != 0:
        return ""
    return (" The axillary sentinel nodes are negative: no axillary dissection; the axillary fields are those of "
            "regional nodal RT, not AMAROS axillary treatment.")


def _itc_note(ctx: Context) -> str:
    if ctx.node_status not in ("itc", "molecular"):
        return ""
    return (" Isolated tumour cells only (pN0(i+)) are N0 in AJCC 8 and count as N0 here; the CALGB 9343, PRIME II and "
            "LUMINA reports do not state how ITC were handled (EXPERT enrols pN0(i+) explicitly), and SOUND gave no "
            "axillary treatment for ITC.")


#: The RT decisions that pregnancy defers (each calls _defer_in_pregnancy after its rule).
DEFERRED_IN_PREGNANCY = ("whole_breast_rt", "boost", "regional_nodal_irradiation", "post_mastectomy_rt")


def deferred_in_pregnancy(pregnant: Any, value: Any) -> Any:
    """Whether an RT decision becomes 'deferred': the patient is pregnant and RT is recommended (element-wise over
    columns too: the batch engine applies the same rail)."""
    return pregnant & (value == "recommended")


def deferred_rule_id(key: str) -> str:
    return f"{_PREFIXES[key]}.deferred.pregnancy"


def _defer_in_pregnancy(ctx: Context, board: Board, key: str) -> None:
    """Radiotherapy is never started during pregnancy here: an indicated RT becomes 'deferred' until delivery."""
    if not ctx.pregnant:
        return
    if not board.explains:  # a what-if board: the value and rule id only (a decided RT is deferred)
        found = board.rule(key)
        if found is not None and deferred_in_pregnancy(True, board.decisions.get(key)):
            board.settle(key, "deferred", deferred_rule_id(key))
        return
    rec = board.recommendation(key)
    trimester = f"trimester {ctx.trimester}" if ctx.trimester else "trimester not recorded"
    note = (f"Pregnant ({trimester}): radiotherapy is deferred until after delivery. During pregnancy it is only "
            "possible with a case-by-case fetal-dose assessment (Amant 2012); breast-conserving surgery with "
            "radiotherapy after delivery is the established approach. If the wait would be long (early pregnancy) and no "
            "chemotherapy is planned in between, discuss mastectomy instead.")
    if rec is None or not deferred_in_pregnancy(True, board.decisions.get(key)):
        if rec is not None and board.decisions.get(key) in ("discuss", "omission_possible"):
            board.amend(key, note=f"If given: after delivery ({trimester}).", extra_evidence=("AMANT-2012",))
        return
    board.decide(key, "deferred", rid=deferred_rule_id(key), strength=rec.strength,
                 text=f"{note} Once delivered: {rec.text}", rationale=f"{rec.rationale}; pregnant, {trimester}",
                 evidence=list(dict.fromkeys([*rec.evidence, "AMANT-2012", "RT-AFTER-DELIVERY"])),
                 would_change_if="delivery (then recommended as stated)")


#: The RT decisions that a patient factor turns from 'recommended' into 'discuss' (``rt_caution``).
REIRRADIATED = DEFERRED_IN_PREGNANCY
#: Prior RT fields that overlap the breast, the chest wall or the regional nodes (``conditions.prior_chest_radiotherapy``).
_SAME_REGION = {"ipsilateral_breast": "to this breast or chest wall",
                "mantle_or_mediastinal": "over the mediastinum, axillae or supraclavicular fossae (e.g. mantle field)"}
#: Connective-tissue diseases with which RT is relatively contraindicated (``conditions.connective_tissue_disease``).
_CTD_WORDS = {"scleroderma": "Systemic sclerosis (scleroderma)", "active_lupus": "Active systemic lupus erythematosus"}
_TREATMENT_WORDS = {"whole_breast_rt": "whole-breast RT", "boost": "a tumour-bed boost",
                    "regional_nodal_irradiation": "regional nodal RT", "post_mastectomy_rt": "post-mastectomy RT"}


def rt_caution(ctx: Context) -> str | None:
    """Why radiotherapy here is never a plain recommendation, as the last part of its rule id: 'reirradiation' (RT was
    given before to a region it would cover again: ``conditions.prior_chest_radiotherapy`` this breast or chest wall,
    or a mantle/mediastinal field) or 'connective_tissue_disease' (scleroderma or active lupus); None otherwise. Not
    recorded counts as not known to be so: neither is asked of every patient (see ``_ask_prior_rt``)."""
    conditions = ctx.conditions
    if conditions.prior_chest_radiotherapy in _SAME_REGION:
        return "reirradiation"
    if conditions.connective_tissue_disease in _CTD_WORDS:
        return "connective_tissue_disease"
    return None


def prior_rt_same_region(ctx: Context) -> bool:
    """Whether RT was given before to a region that RT now would cover again."""
    return ctx.conditions.prior_chest_radiotherapy in _SAME_REGION


def discussed_for_caution(caution: Any, value: Any) -> Any:
    """Whether an RT decision becomes 'discuss': RT is recommended and a caution (``rt_caution``) holds (element-wise
    over columns too: the batch engine applies the same rail)."""
    return caution & (value == "recommended")


def caution_rule_id(key: str, caution: str) -> str:
    return f"{_PREFIXES[key]}.discuss.{caution}"


def _caution_words(ctx: Context, key: str, caution: str) -> str:
    what = _TREATMENT_WORDS[key]
    if caution == "reirradiation":
        prior = ctx.conditions.prior_chest_radiotherapy or ""
        return (f"Prior radiotherapy {_SAME_REGION[prior]}: {what} would be re-irradiation. Whether and how much can be "
                "given depends on the earlier fields, dose and interval and on the late effects seen: an individual "
                "decision with the radiation oncologist and the earlier plan (ESTRO-EORTC re-irradiation consensus "
                "2022). NCCN counts prior RT to the breast or chest wall against breast conservation: mastectomy is "
                "the usual alternative; partial-breast re-irradiation is used in selected patients.")
    disease = _CTD_WORDS[ctx.conditions.connective_tissue_disease or ""]
    return (f"{disease}: {what} risks severe acute and late toxicity (fibrosis, necrosis); NCCN counts active "
            "connective-tissue disease involving the skin (especially scleroderma and lupus) against radiotherapy. "
            "Weigh it with the rheumatologist and the radiation oncologist: mastectomy without radiotherapy, omission, "
            "or RT with a reduced volume or dose.")


def _caution_why(ctx: Context, caution: str) -> str:
    if caution == "reirradiation":
        return f"prior radiotherapy {_SAME_REGION[ctx.conditions.prior_chest_radiotherapy or '']}"
    return _CTD_WORDS[ctx.conditions.connective_tissue_disease or ""].lower()


def _discuss_for_caution(ctx: Context, board: Board, key: str) -> None:
    """Prior RT to the same region, scleroderma or active lupus: a recommended RT becomes 'discuss' (never a plain
    recommendation); an RT that is discussed or may be omitted says why it is a caution."""
    caution = rt_caution(ctx)
    if caution is None:
        return
    if not board.explains:  # a what-if board: the value and rule id only
        if discussed_for_caution(True, board.decisions.get(key)):
            board.settle(key, "discuss", caution_rule_id(key, caution))
        return
    rec = board.recommendation(key)
    if rec is None:
        return
    words = _caution_words(ctx, key, caution)
    evidence = ("ESTRO-EORTC-REIRRADIATION-2022", "NCCN-BREAST") if caution == "reirradiation" else ("NCCN-BREAST",)
    if not discussed_for_caution(True, board.decisions.get(key)):
        if board.decisions.get(key) in ("discuss", "omission_possible"):
            board.amend(key, note=words, extra_evidence=evidence)
        return
    board.decide(key, "discuss", rid=caution_rule_id(key, caution), strength="weak",
                 text=f"{words} Without it the rules would recommend it: {rec.text}",
                 rationale=f"{rec.rationale}; {_caution_why(ctx, caution)}",
                 evidence=list(dict.fromkeys([*rec.evidence, *evidence])),
                 would_change_if=("no earlier radiotherapy to this region" if caution == "reirradiation"
                                  else "no active connective-tissue disease") + " (then recommended as stated)")


#: Why the prior RT is asked (``_ask_prior_rt``).
PRIOR_RT_ASKED = ("an earlier cancer was treated (prior anthracycline): radiotherapy to this breast, chest wall or a "
                  "mantle/mediastinal field then would make radiotherapy now re-irradiation (discussed, not "
                  "recommended; ESTRO-EORTC 2022, NCCN), so whether it was given decides it")


def prior_rt_asked(ctx: Context, value: Any) -> bool:
    """Whether a recommended RT decision waits for ``conditions.prior_chest_radiotherapy``: the case records an earlier
    cancer treatment (a prior anthracycline) but not whether RT was given then, and the patient is not pregnant (RT is
    then deferred until delivery whatever the history). The batch engine applies the same rail."""
    conditions = ctx.conditions
    return bool(value == "recommended" and conditions.prior_chest_radiotherapy is None
                and conditions.prior_anthracycline and not ctx.pregnant)


def _ask_prior_rt(ctx: Context, board: Board, key: str) -> None:
    """Prior RT is not asked of every patient (an absent field is 'not recorded, not asked', as comorbidities are),
    but it is when the case records an earlier cancer treatment (a prior anthracycline) and RT is recommended here:
    the decision is then insufficient_data naming it, since RT to the same region before would make it a discussion
    (was: recommended beside a missing entry that could change it)."""
    if prior_rt_asked(ctx, board.decisions.get(key)):
        board.unknown(key, {"conditions.prior_chest_radiotherapy": PRIOR_RT_ASKED})
    elif ctx.pregnant and ctx.conditions.prior_anthracycline and ctx.conditions.prior_chest_radiotherapy is None \
            and board.decisions.get(key) == "recommended":
        # In pregnancy the RT is deferred until delivery whatever the history (the rail after this one): the deferral
        # is the answer now, and the prior RT is asked for the decision after delivery.
        board.need("conditions.prior_chest_radiotherapy", PRIOR_RT_ASKED)


def breast_conservation_after_prior_rt(ctx: Context, board: Board) -> None:
    """Breast-conserving surgery relies on whole-breast RT: after RT to the same region, or with scleroderma or active
    lupus, the surgeon is told (advice, not a contract decision)."""
    caution = rt_caution(ctx)
    if not board.explains or ctx.breast_surgery != "bcs" or caution is None:
        return
    planned = ctx.setting == "planned"
    why = _caution_why(ctx, caution)
    rt = ("would be re-irradiation. NCCN counts prior RT to the breast or chest wall against breast conservation"
          if caution == "reirradiation" else "risks severe toxicity. NCCN counts active connective-tissue disease "
          "involving the skin against breast conservation")
    cited = ["NCCN-BREAST", "ESTRO-EORTC-REIRRADIATION-2022"] if caution == "reirradiation" else ["NCCN-BREAST"]
    board.advise("surgery.breast.radiotherapy_caution", "discuss", strength="moderate",
                 text=f"Breast-conserving surgery {'is planned' if planned else 'was done'} ({why}): conservation relies "
                      f"on whole-breast RT, which here {rt}: "
                      + ("mastectomy (with reconstruction where wished) is the usual choice; breast conservation only if "
                         "the radiation oncologist finds the radiotherapy feasible."
                         if planned else "if the radiotherapy is not feasible, completion mastectomy is the alternative."),
                 rationale=ctx.say("surgery", "t", "n") + f"; {why}",
                 evidence=cited,
                 would_change_if="no earlier radiotherapy to this region" if caution == "reirradiation"
                 else "no active connective-tissue disease")


_AUTOIMMUNE_CAUTION = (
    "{recorded}: if it is a connective-tissue disease (systemic sclerosis/scleroderma or "
    "active lupus), radiotherapy risks severe acute and late toxicity and is relatively contraindicated (NCCN); "
    "confirm the diagnosis and weigh mastectomy without radiotherapy, or omission, with the radiation oncologist.")
#: How the caution names the recorded disease: 'present' is a coded disease whose activity and treatment are not known.
_AUTOIMMUNE_RECORDED = {"active": "Active autoimmune disease is recorded",
                        "present": "An autoimmune disease is recorded (whether it is active is not stated)"}


def _autoimmune_caution(ctx: Context, board: Board, key: str) -> None:
    """Name a recorded autoimmune disease (active, or coded without its activity: 'present') in advice that gives (or
    may give) radiotherapy: the coded condition does not say which disease it is, so the decision stands and the
    caution says what to check."""
    conditions = ctx.case.conditions
    recorded = None if conditions is None else _AUTOIMMUNE_RECORDED.get(conditions.autoimmune_disease or "")
    if not board.explains or recorded is None:
        return
    if board.decisions.get(key) in ("recommended", "discuss", "deferred", "omission_possible"):
        board.amend(key, note=_AUTOIMMUNE_CAUTION.format(recorded=recorded), extra_evidence=("NCCN-BREAST",))


#: The RT decisions whose rules read no fitness: limited fitness is named in their advice (``_limited_fitness_note``).
FITNESS_NAMED = ("regional_nodal_irradiation", "post_mastectomy_rt")


def _limited_fitness_note(ctx: Context, board: Board, key: str) -> None:
    """Nodal RT and PMRT given or discussed to a patient of limited fitness: said, never silent. The trials (MA.20,
    EORTC 22922, EBCTCG 2014) enrolled fit patients and report the benefit at 10 years; no source makes limited
    fitness a reason to omit them, so the decision stands. For a frail patient (ECOG >= 3, Clinical Frailty Scale >= 7
    or a life expectancy under 5 years, the limits that rule chemotherapy out) a recommendation is a weak one: the
    evidence is indirect (as ECOG >= 2 makes olaparib's and HER2-directed therapy's, safety.fitness)."""
    if key not in FITNESS_NAMED or not board.explains or board.decisions.get(key) not in ("recommended", "discuss"):
        return
    found = limited_fitness(ctx)
    if not found:
        return
    frail = fitness(ctx).level == "frail"
    board.amend(key, strength="weak" if frail and board.decisions.get(key) == "recommended" else None,
                extra_evidence=("ASCO-GERIATRIC-2018",),
                note=f"Limited fitness ({', '.join(found)}): the trials enrolled fit patients and report the benefit "
                     "(fewer locoregional recurrences, EBCTCG 2014) over 10 years; weigh it against competing "
                     "mortality - a shared decision"
                     + (", outside trial evidence (frail)" if frail else "")
                     + "; a hypofractionated schedule (40 Gy in 15 fractions) keeps the burden least.")


def _patient_rails(ctx: Context, board: Board, key: str) -> None:
    """What the patient changes after the rule: prior RT to the same region (re-irradiation), scleroderma or active
    lupus make it a discussion; pregnancy defers RT; active autoimmune disease and limited fitness are named."""
    _limited_fitness_note(ctx, board, key)
    _discuss_for_caution(ctx, board, key)
    _ask_prior_rt(ctx, board, key)
    _defer_in_pregnancy(ctx, board, key)
    _autoimmune_caution(ctx, board, key)


def whole_breast_rt(ctx: Context, board: Board) -> None:
    """WBRT after BCS; omission only for node-negative patients meeting CALGB 9343, PRIME II or LUMINA."""
    _whole_breast_rt(ctx, board)
    _partial_breast_note(ctx, board)
    _patient_rails(ctx, board, "whole_breast_rt")
    breast_conservation_after_prior_rt(ctx, board)


def _partial_breast_note(ctx: Context, board: Board) -> None:
    """Partial-breast irradiation named as the alternative to whole-breast RT (given, or if given when its omission is
    possible) for the group in which the ASTRO 2023 guideline recommends it (``pbi_suitable``: every criterion known
    and met; upfront breast-conserving surgery for invasive cancer). The decision is unchanged: it is how the breast is
    irradiated, not whether."""
    if (not board.explains or ctx.breast_surgery != "bcs" or ctx.in_situ_only or ctx.setting != "upfront"
            or board.decisions.get("whole_breast_rt") not in ("recommended", "omission_possible")):
        return
    suitable = rules().radiation.pbi_suitable
    if not evaluate(suitable, ctx.read_facts()).met:
        return
    board.amend("whole_breast_rt", extra_evidence=tuple(suitable.evidence),
                note="Partial-breast irradiation (PBI) is an equally recommended alternative to whole-breast RT here "
                     f"({suitable.name}: {', '.join(c.label for c in suitable.all)}; similar ipsilateral recurrence "
                     "to whole-breast RT in randomised trials at 10 years), unless the histology is lobular, a "
                     "germline BRCA1/2 variant is known or HER2-positive disease gets no anti-HER2 therapy; external "
                     "beam daily or every other day (e.g. 26 Gy in 5 fractions, IMPORT LOW / 30 Gy in 5, Florence) "
                     "rather than twice daily.")


_WBRT_EVIDENCE = ("EBCTCG-RT-BCS-2011", "START", "FAST-FORWARD", "ASTRO-WBI-2018", "DARBY-2013")
_WBRT_OMISSION = "radiation.wbrt.omission_possible"
_WBRT_RECOMMENDED = "radiation.wbrt.recommended"
_WBRT_OMISSION_CRITERIA = ("CALGB 9343 (>= 70, T1 cN0 ER+), PRIME II (>= 65, HR+ pN0 <= 3 cm, margins >= 1 mm) or LUMINA "
                           "(>= 55, T1N0 G1-2 luminal A, Ki-67 <= 13.25%, margins >= 1 mm) criteria with endocrine "
                           "therapy (ITC-only nodes count as N0)")

#: Whole-breast RT after breast-conserving surgery (EBCTCG 2011; EBCTCG 2010 for DCIS) and its omission for
#: node-negative patients who take endocrine therapy and meet every criterion of CALGB 9343, PRIME II or LUMINA
#: (the criteria sets of knowledge/guidelines/radiation.json, ``wbrt_omission``; a declined endocrine therapy fails
#: each of them, as every trial gave it). Limited fitness strengthens an omission the criteria allow and never
#: creates one; without the criteria it lowers the recommendation to moderate. An unknown criterion leaves RT
#: recommended and is named in missing (code around the table). NaN/None = unknown.
WBRT = DecisionTable("whole_breast_rt", (
    Rule("radiation.wbrt.insufficient.surgery", INSUFFICIENT_DATA, lambda f: unknown(f["breast_surgery"]),
         reads=("breast_surgery",), missing={"surgery.breast": "whole-breast RT follows breast-conserving surgery"}),
    Rule("radiation.wbrt.not_applicable", "not_applicable", lambda f: f["breast_surgery"] != "bcs",
         reads=("breast_surgery",), text="No breast-conserving surgery: whole-breast RT does not apply (see PMRT).",
         evidence=("EBCTCG-RT-BCS-2011",), would_change_if="breast-conserving surgery"),
    Rule("radiation.wbrt.recommended.dcis", "recommended", lambda f: f["in_situ_only"], reads=("in_situ_only",),
         strength="moderate",
         text="Ductal carcinoma in situ after breast-conserving surgery: whole-breast RT roughly halves ipsilateral "
              "recurrence (EBCTCG DCIS overview); omission for selected low-risk DCIS is outside the invasive-cancer "
              "criteria this system applies - discuss it at the tumour board. {schedules}",
         evidence=("EBCTCG-DCIS-2010", "START"),
         would_change_if="invasive carcinoma (then the invasive-cancer rules apply)"),
    # Limited fitness does not create an omission for nodal disease, but the advice names it and the gentlest
    # schedule (the omission trials' survival results are for node-negative patients only).
    Rule("radiation.wbrt.recommended.node_positive", "recommended",
         lambda f: ((f["setting"] == "post_neoadjuvant") | one_of(f["node_status"], _NODAL_METASTASIS))
         & f["limited_fitness"],
         reads=("setting", "node_status", "limited_fitness"), strength="moderate",
         text="Node-positive or after neoadjuvant therapy: RT omission is not supported (every omission trial "
              "required node-negative disease).{inflammatory} {standard} Limited fitness ({fitness}): the one-week "
              "schedule (26 Gy in 5 fractions, FAST-Forward) is the least burden; omitting RT for competing mortality "
              "alone is outside trial evidence - a shared decision.",
         rationale="{facts}; {fitness}",
         would_change_if="nothing in this system: omission needs node-negative disease"),
    Rule("radiation.wbrt.recommended.node_positive", "recommended",
         lambda f: (f["setting"] == "post_neoadjuvant") | one_of(f["node_status"], _NODAL_METASTASIS),
         reads=("setting", "node_status"),
         text="Node-positive or after neoadjuvant therapy: RT omission is not supported (every omission trial "
              "required node-negative disease).{inflammatory} {standard}",
         would_change_if="nothing in this system: omission needs node-negative disease"),
    # Text, strength (the met set's; strong with limited fitness), rationale and evidence come from the criteria
    # set that is met: rendered by _wbrt_omission.
    Rule(_WBRT_OMISSION, "omission_possible", lambda f: f["omission_criteria_met"], reads=("omission_criteria_met",),
         strength="moderate",
         would_change_if="any criterion failing (e.g. younger age, larger or higher-grade tumour, nodal disease beyond "
                         "isolated tumour cells, ER-negative) or endocrine therapy declined"),
    Rule(_WBRT_RECOMMENDED, "recommended", lambda f: f["limited_fitness"], reads=("limited_fitness",),
         strength="moderate",
         text="{declined}{standard} Limited fitness ({fitness}) but the omission criteria are not met: omitting RT "
              "for competing mortality alone is outside trial evidence - discuss.",
         rationale="{facts}; {fitness}", would_change_if=_WBRT_OMISSION_CRITERIA),
    Rule(_WBRT_RECOMMENDED, "recommended", always, reads=(), text="{declined}{standard}",
         would_change_if=_WBRT_OMISSION_CRITERIA),
))


def _wbrt_criteria(ctx: Context) -> tuple[ShortEvaluation, ...]:
    """The RT-omission criteria sets evaluated for one patient, in order up to the first one met (the sets after it
    cannot change the decision), all of them when none is (their unknown criteria are named). Each set up to its first
    failed criterion: what is read of a set ruled out is only that it is (``evaluate(..., until_failed=True)``).
    Derived once: the table, the text and the missing inputs read them."""
    return ctx.remembered("wbrt_criteria", _evaluate_wbrt_criteria)


@cache  # a pure function of the rule set
def _omission_sets_before_surgery() -> tuple[CriteriaSet, ...]:
    """The omission criteria sets without their margin criteria: before surgery no margin exists yet, and the
    omission text says that it needs clear margins (decided again on the pathology)."""
    return tuple(s.model_copy(update={"all": [c for c in s.all if c.fact != "margins_mm"]})
                 for s in rules().radiation.wbrt_omission)


def _evaluate_wbrt_criteria(ctx: Context) -> tuple[ShortEvaluation, ...]:
    facts: Mapping[str, FactValue] = ctx.read_facts()  # read as they stand, unless changed here (then a copy)
    sets: Sequence[CriteriaSet] = rules().radiation.wbrt_omission
    if ctx.setting == "planned":
        # Before surgery a clinical cN0 is not the pN0 that PRIME II and LUMINA required; only CALGB 9343
        # enrolled on clinical node status. (SOUND/INSEMA, which omit the sentinel biopsy, gave whole-breast RT.)
        facts = {**facts, "node_status": "not_staged"}
        sets = _omission_sets_before_surgery()
    evaluated = []
    for criteria in sets:
        evaluated.append(evaluate(criteria, facts, until_failed=True))
        if evaluated[-1].met:
            break
    return tuple(evaluated)


def _wbrt_fitness(ctx: Context) -> list[str]:
    """The markers of limited fitness, derived once (the table and the texts read them)."""
    return ctx.remembered("limited_fitness", limited_fitness)


#: How each fact of the whole-breast RT table is derived (NaN/None = unknown); a case derives only those the rules
#: up to its match read.
_WBRT_FACTS: dict[str, Callable[[Context], Any]] = {
    "breast_surgery": lambda c: c.breast_surgery,
    "in_situ_only": lambda c: c.in_situ_only,
    "setting": lambda c: c.setting,
    "node_status": lambda c: c.node_status,
    # The criteria sets are evaluated only for the patients the rules before the omission leave undecided (a batch
    # derives every fact of every row).
    "omission_criteria_met": lambda c: c.breast_surgery == "bcs" and not c.in_situ_only
    and c.setting != "post_neoadjuvant" and c.node_status not in _NODAL_METASTASIS
    and any(e.met for e in _wbrt_criteria(c)),
    "limited_fitness": lambda c: bool(_wbrt_fitness(c)),
}


def wbrt_facts(ctx: Context) -> Derived:
    """The facts the whole-breast RT table reads, for one patient (each derived when first read)."""
    return Derived(ctx, _WBRT_FACTS, {})


def wbrt_columns(contexts: Sequence[Context]) -> dict[str, Any]:
    """The same facts for a batch of patients, one numpy column per fact."""
    return stack([wbrt_facts(ctx).complete() for ctx in contexts], constants={})


@cache  # a pure function of the rule set
def _wbrt_standard() -> str:
    return ("Whole-breast RT after breast-conserving surgery (EBCTCG 2011: 10-yr any first recurrence 35.0% -> "
            f"19.3%; 15-yr breast cancer death 25.2% -> 21.4%). {_schedules('whole breast')} {_organs_at_risk()}")


def _inflammatory_note(ctx: Context) -> str:
    inflammatory = pre_treatment_high_risk(ctx)
    return (f" {inflammatory}: mastectomy, not breast conservation, is the standard for inflammatory cancer."
            if inflammatory and "inflammatory" in inflammatory else "")


#: The parameters of the whole-breast RT texts, each derived for the matched rule of one patient when read.
_WBRT_PARAMETERS: dict[str, Callable[[Context], Any]] = {
    "schedules": lambda c: _schedules("whole breast"),
    "standard": lambda c: _wbrt_standard(),
    "inflammatory": _inflammatory_note,
    "declined": lambda c: "Endocrine therapy declined: every RT-omission trial gave it, so RT is recommended. "
    if c.declined("endocrine") else "",
    "fitness": lambda c: ", ".join(_wbrt_fitness(c)),
}
_WBRT_SAY = ("surgery", "age", "t", "n", "grade", "receptors", "ki67", "margins")


def _whole_breast_rt(ctx: Context, board: Board) -> None:
    rule = WBRT.rules[WBRT.first(wbrt_facts(ctx))]
    if rule.rid == _WBRT_OMISSION:
        return _wbrt_omission(ctx, board, rule)
    if rule.rid == _WBRT_RECOMMENDED:
        # No set met, but each still possible names its unknown criteria: any could make the omission possible.
        possible = [e for e in _wbrt_criteria(ctx) if e.possible]
        if possible:  # (most patients: none, and then no field to name)
            for name, why in unknown_fields(*possible, context=ctx, any_of=True).items():
                board.need(name, f"{why} (RT omission); whole-breast RT stays recommended until it is known")
    render(rule, ctx, board, say=_WBRT_SAY, evidence=_WBRT_EVIDENCE,
           parameters=rule.parameters(ctx, _WBRT_PARAMETERS, explains=board.explains))


def _wbrt_omission(ctx: Context, board: Board, rule: Rule) -> None:
    """The omission the table decided, in the words of the first criteria set met (name, criteria held, evidence)."""
    met = _wbrt_criteria(ctx)[-1]
    fitness = _wbrt_fitness(ctx)
    itc = _itc_note(ctx)
    staging = (" The axilla was not staged: SLNB omission and RT omission are combined only under CALGB 9343-type "
               "criteria (cN0, >= 70)." if ctx.node_status == "not_staged" else "")
    staging += (" Before surgery: provided the excision margins are clear (no tumour on ink; CALGB 9343), decided "
                "again on the pathology." if ctx.setting == "planned" else "")
    europa = (" EUROPA (>= 70, luminal A-like): radiotherapy alone instead of endocrine therapy alone is the other "
              "single-modality option and gave better 2-year quality of life; its recurrence results are pending."
              if ctx.age is not None and ctx.age >= 70 else "")
    strong = (f" Limited fitness ({', '.join(fitness)}) strengthens the omission: the benefit of RT is a lower local "
              "recurrence, not longer survival, and competing mortality dominates." if fitness else "")
    board.decide(
        WBRT.key, rule.decision, rid=rule.rid, strength="strong" if fitness else met.criteria.strength,
        text=f"Whole-breast RT may be omitted ({met.criteria.name}) provided endocrine therapy is taken for 5 years; "
             "RT roughly halves the small local recurrence risk with no survival difference (CALGB 9343: 10-yr "
             "locoregional recurrence 2% vs 10%, 10-yr OS 67% vs 66%; PRIME II 10-yr IBTR 0.9% vs 9.5%; LUMINA 5-yr "
             "2.3% without RT). If endocrine therapy will not be taken, give RT." + itc + staging + europa + strong,
        rationale=ctx.say(*_WBRT_SAY) + f"; criteria met: {', '.join(met.held())}"
        + (f"; {', '.join(fitness)}" if fitness else "")
        + ("; isolated tumour cells only, counted as N0 (AJCC 8); ITC handling not reported by CALGB 9343, PRIME II "
           "or LUMINA, pN0(i+) eligible in EXPERT" if itc else ""),
        evidence=list(dict.fromkeys([*met.criteria.evidence, *(["EUROPA"] if europa else []),
                                     *(["EXPERT"] if itc else [])])),
        would_change_if=rule.would_change_if)


def boost(ctx: Context, board: Board) -> None:
    """Tumour-bed boost after BCS by ASTRO 2018: age, grade and margins."""
    _boost(ctx, board)
    _discuss_for_caution(ctx, board, "boost")
    _ask_prior_rt(ctx, board, "boost")
    _defer_in_pregnancy(ctx, board, "boost")  # (the autoimmune caution is the whole-breast RT's, which it joins)


def _close(f: Facts) -> Any:
    return f["margins_mm"] < f["close_margin_below_mm"]  # NaN (unknown margins) is not close


#: ASTRO 2018 tumour-bed boost after breast-conserving surgery (EORTC 22881 for the size of the benefit).
#: Thresholds are the rule table's (knowledge/guidelines/radiation.json, ``boost``); NaN/None = unknown.
BOOST = DecisionTable("boost", (
    # Whole-breast RT declined: no boost whatever the operation (after a mastectomy none applies either), so an
    # unknown operation is not asked for.
    Rule("radiation.boost.not_applicable.wbi_declined", "not_applicable",
         lambda f: unknown(f["breast_surgery"]) & f["wbi_declined"], reads=("breast_surgery", "wbi_declined"),
         text="Whole-breast RT is declined: no tumour-bed boost (it is given with whole-breast RT).",
         would_change_if="the patient accepts whole-breast RT"),
    Rule("radiation.boost.insufficient.surgery", INSUFFICIENT_DATA, lambda f: unknown(f["breast_surgery"]),
         reads=("breast_surgery",), missing={"surgery.breast": "a boost applies after breast-conserving surgery"}),
    Rule("radiation.boost.not_applicable", "not_applicable", lambda f: f["breast_surgery"] != "bcs",
         reads=("breast_surgery",), text="No breast-conserving surgery: no tumour-bed boost.",
         would_change_if="breast-conserving surgery"),
    Rule("radiation.boost.not_applicable.wbi_declined", "not_applicable", lambda f: f["wbi_declined"],
         reads=("wbi_declined",), text="Whole-breast RT is declined: no tumour-bed boost (it is given with "
                                       "whole-breast RT).",
         would_change_if="the patient accepts whole-breast RT"),
    Rule("radiation.boost.recommended.positive_margin", "recommended", lambda f: f["margins_mm"] == 0,
         reads=("margins_mm",), text="Tumour on ink: re-excision is preferred; if not feasible, a boost.",
         would_change_if="clear margins after re-excision"),
    # In situ carcinoma only: ASTRO 2018's separate DCIS statement (conditional): a boost for any of age <= 50, high
    # nuclear grade, a close or positive margin; may be omitted otherwise. ER is not read (nor the invasive cut-offs).
    Rule("radiation.boost.recommended.dcis", "recommended",
         lambda f: f["in_situ_only"] & ((f["age"] <= f["dcis_max_age"]) | (f["nuclear_grade"] == 3)
                                        | (f["margins_mm"] < f["dcis_close_margin_below_mm"])),
         reads=("in_situ_only", "age", "nuclear_grade", "margins_mm"), strength="weak",
         text="In situ carcinoma only with {dcis_features}: a tumour-bed boost may be used (ASTRO 2018 DCIS statement, "
              "conditional; the randomised boost evidence, EORTC 22881, is in invasive cancer). {schedules}",
         rationale="{facts}; in situ carcinoma only, {nuclear_grade_words}",
         would_change_if="age > {dcis_max_age}, nuclear grade 1-2 and margins >= {dcis_close_margin_below_mm:g} mm "
                         "(the boost may be omitted)",
         evidence=("ASTRO-WBI-2018-DCIS-BOOST", "EORTC-BOOST")),
    Rule("radiation.boost.insufficient.dcis", INSUFFICIENT_DATA,
         lambda f: f["in_situ_only"] & (unknown(f["age"]) | unknown(f["nuclear_grade"]) | unknown(f["margins_mm"])),
         reads=("in_situ_only", "age", "nuclear_grade", "margins_mm"),
         missing={name: "in situ carcinoma only: age <= {dcis_max_age}, high nuclear grade or a margin < "
                        "{dcis_close_margin_below_mm:g} mm would call for a boost (ASTRO 2018 DCIS statement)"
                  for name in ("age", "tumour.nuclear_grade", "surgery.margins_mm")}),
    Rule("radiation.boost.not_indicated.dcis", "not_indicated", lambda f: f["in_situ_only"],
         reads=("in_situ_only", "age", "nuclear_grade", "margins_mm"), strength="weak",
         text="In situ carcinoma only, age > {dcis_max_age}, nuclear grade 1-2, margins >= "
              "{dcis_close_margin_below_mm:g} mm: the tumour-bed boost may be omitted (ASTRO 2018 DCIS statement, "
              "conditional).",
         rationale="{facts}; in situ carcinoma only, {nuclear_grade_words}",
         would_change_if="high nuclear grade or a close/positive margin (a boost)",
         evidence=("ASTRO-WBI-2018-DCIS-BOOST",)),
    Rule("radiation.boost.insufficient.age", INSUFFICIENT_DATA, lambda f: unknown(f["age"]), reads=("age",),
         missing={"age": "age decides the boost (ASTRO 2018)"}),
    Rule("radiation.boost.recommended.young", "recommended", lambda f: f["age"] <= f["recommended_max_age"],
         reads=("age",), text="Age <= {recommended_max_age}: tumour-bed boost (EORTC 22881: 20-yr IBTR 16.4% -> "
                              "12.0%; severe fibrosis 5.2% vs 1.8%). {schedules}",
         would_change_if="age > {recommended_max_age} with grade 1-2 and negative margins"),
    Rule("radiation.boost.insufficient.grade", INSUFFICIENT_DATA,
         lambda f: (f["age"] <= f["omission_min_age_exclusive"]) & unknown(f["grade"]) & negate(_close(f)),
         reads=("age", "grade", "margins_mm"), missing={"tumour.grade": "over 50, grade decides the boost (ASTRO 2018)"}),
    Rule("radiation.boost.recommended.high_grade_or_close", "recommended",
         lambda f: (f["age"] <= f["omission_min_age_exclusive"]) & ((f["grade"] == 3) | _close(f)),
         reads=("age", "grade", "margins_mm"), strength="moderate",
         text="Age 51-{omission_min_age_exclusive} with grade 3 or a close margin: tumour-bed boost. {schedules}",
         would_change_if="grade 1-2 with widely negative margins (discuss)"),
    Rule("radiation.boost.discuss", "discuss",
         lambda f: (f["age"] <= f["omission_min_age_exclusive"]) & unknown(f["margins_mm"]),
         reads=("age", "grade", "margins_mm"), strength="weak", text="{discuss_text}",
         would_change_if="grade 3 or a close/positive margin (recommended)",
         also_need={"surgery.margins_mm": "a close or positive margin would favour a boost"}),
    Rule("radiation.boost.discuss", "discuss", lambda f: f["age"] <= f["omission_min_age_exclusive"],
         reads=("age", "grade", "margins_mm"), strength="weak", text="{discuss_text}",
         would_change_if="grade 3 or a close/positive margin (recommended)"),
    # Over the omission age the boost is omitted only when all three hold (HR-positive, grade 1-2, widely negative
    # margins): one known failure decides "discuss"; otherwise every input still unknown is needed. An unknown ER
    # is unknown, never "HR-negative".
    Rule("radiation.boost.discuss.older", "discuss",
         lambda f: f["er_negative"] | (f["grade"] == 3) | (f["margins_mm"] < f["wide_margin_min_mm"]),
         reads=("age", "hr_positive", "grade", "margins_mm"), strength="weak",
         text="Age > {omission_min_age_exclusive} with {against_omission}: individualise the boost.",
         would_change_if="HR-positive grade 1-2 with widely negative margins (omit)"),
    Rule("radiation.boost.insufficient.older", INSUFFICIENT_DATA,
         lambda f: unknown(f["er"]) | unknown(f["grade"]) | unknown(f["margins_mm"]),
         reads=("er", "grade", "margins_mm"),
         missing={name: "over {omission_min_age_exclusive}, HR-positive grade 1-2 disease with margins >= "
                        "{wide_margin_min_mm:g} mm allows omitting the boost (ASTRO 2018)"
                  for name in ("tumour.er_percent", "tumour.grade", "surgery.margins_mm")}),
    # What is left is HR-positive, grade 1-2, margins >= the wide margin (the three rules above exclude the rest).
    Rule("radiation.boost.not_indicated.older_low_risk", "not_indicated", always,
         reads=("age", "hr_positive", "grade", "margins_mm"), strength="moderate",
         text="Age > {omission_min_age_exclusive}, HR-positive, grade 1-2, margins >= {wide_margin_min_mm:g} mm: omit "
              "the boost (ASTRO 2018).",
         would_change_if="grade 3, HR-negative or close margins"),
))


def boost_facts(ctx: Context) -> dict[str, Any]:
    """The facts the boost table reads, for one patient: plain values (NaN/None = unknown), thresholds included."""
    surgery = ctx.case.surgery
    margins = surgery.margins_mm if surgery else None
    er = ctx.findings.er
    nuclear = _nuclear_grade(ctx)
    return {
        "breast_surgery": ctx.breast_surgery,
        "wbi_declined": ctx.declined("whole_breast_rt"),
        "margins_mm": np.nan if margins is None else float(margins),
        "age": np.nan if ctx.age is None else float(ctx.age),
        "grade": np.nan if ctx.grade is None else float(ctx.grade),
        "in_situ_only": ctx.in_situ_only,
        "nuclear_grade": np.nan if nuclear is None else float(nuclear),
        "hr_positive": er in ("positive", "low_positive"),
        "er": er,
        "er_negative": er == "negative",
        **_boost_thresholds(),
    }


def boost_columns(contexts: Sequence[Context]) -> dict[str, Any]:
    """The same facts for a batch of patients, one numpy column per fact (the thresholds stay numbers)."""
    return stack([boost_facts(ctx) for ctx in contexts], constants=_boost_thresholds())


@cache  # a pure function of the rule set
def _boost_thresholds() -> dict[str, float]:
    t = rules().radiation.boost
    return {name: float(getattr(t, name)) for name in type(t).model_fields}


@cache  # a pure function of the rule set
def _boost_parameters() -> dict[str, Any]:
    t = rules().radiation.boost
    o = t.omission_min_age_exclusive
    return {**t.model_dump(), "schedules": _schedules("tumour-bed"),
            "discuss_text": f"Age 51-{o}, grade 1-2, negative margins: the boost lowers local recurrence a little with "
                            "more fibrosis; shared decision."}


def _nuclear_grade(ctx: Context) -> int | None:
    """The grade of in situ carcinoma: ``tumour.nuclear_grade`` (DCIS is graded by nuclear grade; the Nottingham
    ``tumour.grade`` grades invasive carcinoma and does not stand in for it)."""
    tumour = ctx.case.tumour
    return tumour.nuclear_grade if tumour else None


def _nuclear_grade_words(ctx: Context) -> str:
    nuclear = _nuclear_grade(ctx)
    return "nuclear grade unknown" if nuclear is None else f"nuclear grade {nuclear}"


def _dcis_features(ctx: Context) -> str:
    """What calls for a boost in in situ carcinoma (ASTRO 2018 DCIS statement), in words (read by one rule's text)."""
    t = rules().radiation.boost
    margins = _margins_mm(ctx)
    return ", ".join(reason for reason, found in (
        (f"age <= {t.dcis_max_age}", ctx.age is not None and ctx.age <= t.dcis_max_age),
        ("high nuclear grade (3)", _nuclear_grade(ctx) == 3),
        (f"a close margin (< {t.dcis_close_margin_below_mm:g} mm)",
         margins is not None and margins < t.dcis_close_margin_below_mm)) if found)


def _margins_mm(ctx: Context) -> float | None:
    surgery = ctx.case.surgery
    return surgery.margins_mm if surgery else None


def _against_omission(ctx: Context) -> str:
    """What rules out omitting the boost over the omission age, in words (read by one rule's text only)."""
    t = rules().radiation.boost
    margins = _margins_mm(ctx)
    return ", ".join(reason for reason, failed in (
        ("HR-negative disease", ctx.findings.er == "negative"), ("grade 3", ctx.grade == 3),
        (f"margins < {t.wide_margin_min_mm:g} mm", margins is not None and margins < t.wide_margin_min_mm)) if failed)


#: The parameter of the boost texts derived for the patient (when a text reads it); the others are the rule set's.
_BOOST_PARAMETERS: dict[str, Callable[[Context], Any]] = {"against_omission": _against_omission,
                                                           "dcis_features": _dcis_features,
                                                           "nuclear_grade_words": _nuclear_grade_words}


def _boost(ctx: Context, board: Board) -> None:
    rule = BOOST.rules[BOOST.first(boost_facts(ctx))]
    known: frozenset[str] = frozenset()
    if rule.decision == INSUFFICIENT_DATA:  # the inputs given are not asked for (render reads them only here)
        known = frozenset(name for name, value in (
            ("tumour.er_percent", ctx.findings.er), ("tumour.grade", ctx.grade), ("surgery.margins_mm", _margins_mm(ctx)),
            ("age", ctx.age), ("tumour.nuclear_grade", _nuclear_grade(ctx))) if value is not None)
    say = ("age", "margins") if rule.rid.endswith(".dcis") else ("age", "grade", "margins", "receptors")
    render(rule, ctx, board, say=say, evidence=["ASTRO-WBI-2018", "EORTC-BOOST"],
           parameters=rule.parameters(ctx, _BOOST_PARAMETERS, _boost_parameters(), explains=board.explains),
           known_inputs=known)


def regional_nodal_irradiation(ctx: Context, board: Board) -> None:
    """RNI: not for ITC; pN1mi only with combined adverse features; 1-3 and >= 4 macrometastatic nodes yes."""
    _regional_nodal_irradiation(ctx, board)
    _patient_rails(ctx, board, "regional_nodal_irradiation")


def _unknown_features_could_tip(ctx: Context, board: Board, what: str, *, node_negative: bool = False,
                                name_quadrant: bool = True) -> None:
    """Name each unknown input that alone would add the adverse feature moving the decision to 'discuss'. The
    decision stands (the count of features is consensus, not a trial threshold), but an unknown is never read as
    'feature absent' without saying so. Node-negative, only a medial/central tumour makes nodal RT worth
    discussing, so the other features count only once the tumour is known to be medial or central."""
    need = rules().radiation.adverse_features.min_count_to_discuss
    if len(adverse_features(ctx)) != need - 1:
        return
    medial = medial_or_central(ctx)
    if medial is None and name_quadrant:
        board.need("tumour.quadrant", f"a medial/central tumour would make {what} worth discussing (EORTC 22922)")
    if node_negative and not medial:
        return
    t = rules().radiation.adverse_features
    tumour = ctx.case.tumour
    for name, unknown_input, feature in (
            ("age", ctx.age is None, f"age < {t.young_age_below}"),
            ("tumour.grade", ctx.grade is None, "grade 3"),
            ("tumour.er_percent", ctx.findings.er is None, "ER-negative disease"),
            ("tumour.lvi", tumour is None or tumour.lvi is None, "LVI"),
            # In situ carcinoma only in the breast (pTis, ypTis): no invasive tumour to measure, so no invasive
            # size > the threshold can be given (the case format takes 0 or none beside in_situ_only).
            ("tumour.size_mm", ctx.size_mm is None and not ctx.in_situ_only,
             f"a tumour > {t.large_tumour_above_mm:g} mm")):
        if unknown_input:
            board.need(name, f"{feature} would make {what} worth discussing (one more of the combined adverse "
                             "features, consensus)")


_RNI_EVIDENCE = ("MA20", "EORTC-22922", "DBCG-IMN", "NCCN-BREAST")
_NODE_NEGATIVE = ("negative", "not_staged", "itc", "molecular")

#: Regional nodal irradiation (MA.20, EORTC 22922, DBCG-IMN; NSABP B-51 after neoadjuvant therapy; NCCN). Adverse
#: features for pN1mi and node-negative medial tumours are consensus, not trial thresholds. NaN/None = unknown.
RNI = DecisionTable("regional_nodal_irradiation", (
    Rule("radiation.rni.not_indicated.dcis", "not_indicated",
         lambda f: f["in_situ_only"] & one_of(f["node_status"], (None, *_NODE_NEGATIVE)),
         reads=("in_situ_only", "node_status"), text="Ductal carcinoma in situ: no regional nodal RT.",
         evidence=("NCCN-BREAST",), would_change_if="invasive carcinoma with nodal disease"),
    Rule("radiation.rni.recommended.pre_treatment_high_risk", "recommended", lambda f: f["high_risk_before"],
         reads=("high_risk_before",),
         text="{high_risk_before}: regional nodal RT whatever the response to neoadjuvant therapy (NCCN; NSABP B-51 "
              "enrolled cT1-3 N1 only). {nodal}",
         rationale="{facts}; {high_risk_before}", evidence=(*_RNI_EVIDENCE, "NSABP-B51"),
         would_change_if="nothing in this system: the pre-treatment stage decides"),
    Rule("radiation.rni.recommended.four_or_more", "recommended", lambda f: f["many_nodes_operated_first"],
         reads=("many_nodes_operated_first",),
         text="{operated_first} positive nodes at the axillary surgery already done: regional nodal RT "
              "(supraclavicular, axillary apex, internal mammary). {nodal} {organs}",
         rationale="{facts}; {operated_first} positive nodes", evidence=(*_RNI_EVIDENCE, "EBCTCG-PMRT-2014"),
         would_change_if="nothing short of M1"),
    Rule("radiation.rni.insufficient.nodes", INSUFFICIENT_DATA, lambda f: unknown(f["node_status"]),
         reads=("node_status",),
         missing={"{node_status_field}": "the nodal category decides regional nodal irradiation"}),
    # After neoadjuvant therapy: by the residual nodal disease, then by the nodal status before therapy.
    Rule("radiation.rni.recommended.residual", "recommended",
         lambda f: (f["setting"] == "post_neoadjuvant") & one_of(f["node_status"], ("itc", "micro", "macro")),
         reads=("setting", "node_status"),
         text="Residual nodal disease after neoadjuvant therapy: regional nodal RT (with ALND). {nodal}",
         evidence=(*_RNI_EVIDENCE, "ALLIANCE-A011202"), would_change_if="no residual nodal disease"),
    Rule("radiation.rni.insufficient.pre_treatment_nodes", INSUFFICIENT_DATA,
         lambda f: (f["setting"] == "post_neoadjuvant") & unknown(f["initial_clinical_n"]),
         reads=("setting", "initial_clinical_n"),
         missing={"neoadjuvant_therapy.pre_treatment_clinical_nodes":
                  "after a nodal complete response, nodal RT depends on the nodal status before therapy (cN0: not "
                  "indicated; cN1: discussed; cN2-3: recommended)"}),
    Rule("radiation.rni.discuss.ypn0_after_cn1", "discuss",
         lambda f: (f["setting"] == "post_neoadjuvant") & (f["initial_clinical_n"] != "N0"),
         reads=("setting", "initial_clinical_n"), strength="moderate",
         text="Initially node-positive, ypN0 after neoadjuvant therapy: regional nodal RT has been standard, but NSABP "
              "B-51 (cT1-3 N1 biopsy-proven -> ypN0) found no gain in invasive breast cancer recurrence-free interval "
              "(HR 0.88, 0.60-1.28). If the axillary staging was not adequate, the axilla itself needs RT or ALND (see "
              "axillary surgery). {nodal}",
         evidence=(*_RNI_EVIDENCE, "NSABP-B51"),
         would_change_if="residual nodal disease, or cT4/cN2-3 before therapy (recommended)"),
    Rule("radiation.rni.not_indicated.ypn0", "not_indicated", lambda f: f["setting"] == "post_neoadjuvant",
         reads=("setting",), strength="moderate",
         text="cN0 before and ypN0 after neoadjuvant therapy: no regional nodal RT.",
         would_change_if="residual nodal disease"),
    # Involved internal mammary nodes (AJCC 8 N1b/N1c by sentinel biopsy, N2b/N3b clinically detected): the chain is
    # irradiated (NCCN; the MA.20, EORTC 22922 and DBCG-IMN fields include it). Clinically detected IMN are N2-3.
    Rule("radiation.rni.recommended.internal_mammary", "recommended",
         lambda f: f["internal_mammary"] == "clinically_detected", reads=("internal_mammary",),
         text="Clinically detected internal mammary node(s): regional nodal RT including the internal mammary chain, "
              "the supraclavicular fossa and the axillary apex (NCCN; the MA.20, EORTC 22922 and DBCG-IMN fields "
              "include the internal mammary nodes: EORTC 22922 15-yr breast cancer mortality 16.0% vs 19.8%; DBCG-IMN "
              "8-yr OS 75.9% vs 72.2%).{axilla_negative} {nodal} {organs}",
         evidence=(*_RNI_EVIDENCE, "AJCC-8"), would_change_if="nothing in this system: involved internal mammary "
                                                              "nodes are irradiated"),
    Rule("radiation.rni.recommended.internal_mammary", "recommended",
         lambda f: (f["internal_mammary"] == "sentinel_microscopic")
         & (f["positive_nodes"] < f["high_risk_min_positive_nodes"]),
         reads=("internal_mammary", "positive_nodes"), strength="moderate",
         text="Internal mammary sentinel node metastasis: regional nodal RT including the internal mammary chain "
              "(NCCN; the MA.20, EORTC 22922 and DBCG-IMN fields include the internal mammary nodes: EORTC 22922 15-yr "
              "breast cancer mortality 16.0% vs 19.8%).{axilla_negative} {nodal} {organs}",
         evidence=(*_RNI_EVIDENCE, "AJCC-8"), would_change_if="nothing in this system: involved internal mammary "
                                                              "nodes are irradiated"),
    Rule("radiation.rni.recommended.t3_node_positive", "recommended",
         lambda f: one_of(f["node_status"], _NODAL_METASTASIS)
         & one_of(f["t_group"], f["node_positive_high_risk_t_groups"]),
         reads=("node_status", "t_group"),
         text="{t_group} with nodal metastasis ({burden}): regional nodal RT including the internal mammary and "
              "supraclavicular nodes and any undissected axilla (NCCN: T3 N+; MA.20 enrolled node-positive and "
              "high-risk node-negative patients after BCS, EORTC 22922 node-positive or medial/central tumours). "
              "{nodal} {organs}",
         evidence=(*_RNI_EVIDENCE, "EBCTCG-PMRT-2014"), would_change_if="a T1-2 tumour (then by nodal burden)"),
    # The axilla left unstaged at a mastectomy (no axillary operation) outside the criteria to omit its staging: the
    # axillary decision is ALND or axillary RT (axilla.py); 'node-negative' would read an unexamined axilla as negative.
    Rule("radiation.rni.discuss.unstaged_after_mastectomy", "discuss", lambda f: f["unstaged_after_mastectomy"] == 1,
         reads=("unstaged_after_mastectomy",), strength="weak",
         text="The axilla was not staged at the mastectomy (no node examined): regional nodal RT is decided on the "
              "result of the axillary dissection; if axillary RT is chosen instead of a dissection (see axillary "
              "surgery), it is nodal RT to axillary levels I-III and the medial supraclavicular fossa (AMAROS). {nodal}",
         evidence=(*_RNI_EVIDENCE, "AMAROS", "ASCO-AXILLA-2021"),
         would_change_if="the nodal result of the axillary dissection (node-negative: not indicated; node-positive: by "
                         "the nodal burden)"),
    Rule("radiation.rni.discuss.medial_node_negative", "discuss",
         lambda f: one_of(f["node_status"], _NODE_NEGATIVE) & (f["medial_with_adverse_features"] == 1),
         reads=("node_status", "medial_with_adverse_features"), strength="weak",
         text="Node-negative, medial/central tumour with another adverse feature ({found}): consider internal mammary "
              "and medial supraclavicular RT. EORTC 22922 enrolled medial/central tumours whatever the nodal status "
              "(15-yr breast cancer mortality 16.0% vs 19.8% overall) but identified no subgroup that benefits most; "
              "the count of features is consensus, not a trial threshold. Weigh heart and lung dose. {nodal}",
         evidence=(*_RNI_EVIDENCE, "EIO-MEDIAL"),
         would_change_if="a lateral tumour or no other adverse feature (not indicated)"),
    # The quadrant unrecorded where a medial/central tumour (EORTC 22922 and MA.20 enrolled them) would make it
    # 'discuss': one adverse feature short (node-negative or pN1mi), or node-negative with enough other features
    # (there the medial location is itself the condition). The other rules leave node-negative and pN1mi.
    Rule("radiation.rni.insufficient.quadrant", INSUFFICIENT_DATA, lambda f: f["quadrant_decides"] == 1,
         reads=("quadrant_decides",),
         missing={"tumour.quadrant": "a medial/central tumour would add the adverse feature that makes regional nodal "
                                     "RT worth discussing (EORTC 22922 and MA.20 enrolled medial/central tumours)"}),
    Rule("radiation.rni.not_indicated.node_negative", "not_indicated", lambda f: one_of(f["node_status"], _NODE_NEGATIVE),
         reads=("node_status",), text="{node_negative_words}{decided_again}", rationale="{facts}{adverse_found}",
         evidence=(*_RNI_EVIDENCE, "ASCO-AXILLA-2021"),
         would_change_if="a micrometastasis with adverse features, a macrometastasis, or a medial/central tumour "
                         "with another adverse feature (discuss)"),
    Rule("radiation.rni.discuss.micromets_adverse", "discuss", lambda f: f["micro_with_adverse_features"],
         reads=("micro_with_adverse_features",), strength="weak",
         text="pN1mi with combined adverse features ({found}): consider regional nodal RT (consensus; the trials did "
              "not stratify by micrometastasis). Lymphoedema rises with nodal RT (MA.20 8.4% vs 4.5%). {nodal}",
         evidence=(*_RNI_EVIDENCE, "IBCSG-23-01"), would_change_if="fewer than {need} adverse features (not indicated)"),
    Rule("radiation.rni.not_indicated.micromets", "not_indicated", lambda f: f["node_status"] == "micro",
         reads=("node_status",), strength="moderate",
         text="pN1mi without combined adverse features: no routine nodal RT; whole-breast RT with standard or high "
              "tangents (Z0011 practice, often high tangents; IBCSG 23-01).",
         rationale="{facts}{adverse_found}", evidence=(*_RNI_EVIDENCE, "IBCSG-23-01", "JAGSI-2014", "ACOSOG-Z0011"),
         would_change_if="{need} or more of: young age, grade 3, ER-negative, LVI, large tumour, multiple "
                         "micrometastatic nodes, medial/central location (discuss); a macrometastasis; a T3-4 tumour "
                         "(recommended)"),
    # What is left is a nodal macrometastasis in a T1-2 tumour.
    Rule("radiation.rni.recommended.four_or_more", "recommended",
         lambda f: f["positive_nodes"] >= f["high_risk_min_positive_nodes"], reads=("positive_nodes",),
         text="{positive} positive nodes: regional nodal RT (supraclavicular, axillary apex, internal mammary).{imn} "
              "{nodal} {organs}",
         evidence=(*_RNI_EVIDENCE, "EBCTCG-PMRT-2014"), would_change_if="nothing short of M1"),
    Rule("radiation.rni.recommended.one_to_three", "recommended", always, reads=("positive_nodes",),
         strength="moderate",
         text="1-3 macrometastatic nodes: regional nodal RT is strongly considered (MA.20: 10-yr DFS 82.0% vs 77.0%; "
              "EORTC 22922: 15-yr breast cancer mortality 16.0% vs 19.8%), especially with adverse features; with "
              "ALND omitted (Z0011) high tangents or nodal RT by risk (SENOMAC: about 90% got nodal RT). Lymphoedema "
              "8.4% vs 4.5% (MA.20).{imn} {nodal} {organs}",
         evidence=(*_RNI_EVIDENCE, "SENOMAC", "JAGSI-2014"), would_change_if="micrometastases only (not routine)"),
))


def _enough_adverse_features(ctx: Context) -> bool:
    return len(adverse_features(ctx)) >= rules().radiation.adverse_features.min_count_to_discuss


#: How each fact of the nodal RT and PMRT tables is derived from the guideline context (NaN/None = unknown); a
#: case derives only those its table's rules read up to its match.
def _unstaged_after_mastectomy(ctx: Context) -> float:
    """1 when the axilla was left unstaged at a mastectomy and the criteria to omit its staging do not hold (the
    axillary decision's own test; imported here, as axilla imports this module)."""
    from micromets.guidelines.axilla import _omission_met, unstaged_after_mastectomy

    return float(unstaged_after_mastectomy(ctx) and _omission_met(ctx) is None)


_NODAL_FACTS: dict[str, Callable[[Context], Any]] = {
    "unstaged_after_mastectomy": _unstaged_after_mastectomy,
    "breast_surgery": lambda c: c.breast_surgery,
    "nodes_operated_first": lambda c: c.nodes_operated_first,
    "in_situ_only": lambda c: c.in_situ_only,
    "node_status": lambda c: c.node_status,
    "t_group": lambda c: c.t_group,
    "setting": lambda c: c.setting,
    "initial_clinical_n": lambda c: c.initial_clinical_n,
    "high_risk_before": lambda c: pre_treatment_high_risk(c) is not None,
    "many_nodes_operated_first": lambda c: _many_nodes_operated_first(c) is not None,
    "positive_nodes": lambda c: np.nan if c.positive_nodes is None else float(c.positive_nodes),
    "margins_mm": lambda c: np.nan if c.case.surgery is None or c.case.surgery.margins_mm is None
    else float(c.case.surgery.margins_mm),
    "internal_mammary": lambda c: internal_mammary_involved(c),
    # The costlier facts are derived only for the nodal status they concern (a predicate's & reads both sides).
    "medial_with_adverse_features": lambda c: c.node_status in _NODE_NEGATIVE and bool(medial_or_central(c))
    and _enough_adverse_features(c),
    "micro_with_adverse_features": lambda c: c.node_status == "micro" and _enough_adverse_features(c),
    # Node-negative, only a medial/central tumour with another adverse feature is 'discuss': with enough other
    # features already, the unrecorded quadrant decides it as well (pN1mi with enough features is 'discuss' anyway).
    "quadrant_decides": lambda c: medial_or_central(c) is None and (
        (c.node_status in _NODE_NEGATIVE
         and len(adverse_features(c)) >= rules().radiation.adverse_features.min_count_to_discuss - 1)
        or (c.node_status == "micro"
            and len(adverse_features(c)) == rules().radiation.adverse_features.min_count_to_discuss - 1)),
    "one_macro_node_low_risk": lambda c: c.node_status == "macro"
    and evaluate(rules().radiation.pmrt_favourable_one_to_three, c.read_facts(), until_failed=True).met,
}


def rni_facts(ctx: Context) -> Derived:
    """The facts the RNI table reads, for one patient (each derived when first read), thresholds included."""
    return Derived(ctx, _NODAL_FACTS, _nodal_thresholds())


def rni_columns(contexts: Sequence[Context]) -> dict[str, Any]:
    """The same facts for a batch of patients, one numpy column per fact (the thresholds stay as they are)."""
    return stack([rni_facts(ctx).complete() for ctx in contexts], constants=_nodal_thresholds())


def _axilla_dissected(ctx: Context) -> bool:
    nodes = ctx.case.nodes
    return nodes is not None and nodes.procedure in ("alnd", "slnb_then_alnd")


def _adverse_found(ctx: Context) -> str:
    found = adverse_features(ctx)
    return f"; adverse features: {', '.join(found)}" if found else ""


#: The parameters of the RNI texts, each derived for the matched rule of one patient when its text reads it.
_NODAL_PARAMETERS: dict[str, Callable[[Context], Any]] = {
    "need": lambda c: rules().radiation.adverse_features.min_count_to_discuss,
    "high_risk_before": pre_treatment_high_risk,
    "operated_first": _many_nodes_operated_first,
    "node_status_field": lambda c: c.node_status_field,
}
_RNI_PARAMETERS: dict[str, Callable[[Context], Any]] = {
    **_NODAL_PARAMETERS,
    # The AMAROS axillary fields (levels I-III) replace a dissection; after one, the dissected axilla is not a target.
    "nodal": lambda c: _schedules("regional") if _axilla_dissected(c) else _schedules("regional", "axilla"),
    "organs": lambda c: _organs_at_risk(),
    "t_group": lambda c: c.t_group,
    "burden": lambda c: "micrometastasis only, N1mi, staged as N1 for T3-4 by AJCC 8" if c.node_status == "micro"
    else "macrometastasis",
    "found": lambda c: ", ".join(adverse_features(c)),
    "adverse_found": _adverse_found,
    "node_negative_words": lambda c: "pN0(i+): no nodal RT for the ITC." if c.node_status in ("itc", "molecular")
    else "Node-negative: no nodal RT.",
    "decided_again": lambda c: " Decided again on the sentinel result." if c.setting == "planned"
    and not c.nodes_operated_first else "",
    "positive": lambda c: c.positive_nodes,
    "imn": lambda c: " Medial/central tumour: include the internal mammary nodes (EORTC 22922)."
    if medial_or_central(c) else "",
    "axilla_negative": _axilla_negative_words,
}

def _regional_nodal_irradiation(ctx: Context, board: Board) -> None:
    rule = RNI.rules[RNI.first(rni_facts(ctx))]
    if rule.rid == "radiation.rni.not_indicated.node_negative":
        _unknown_features_could_tip(ctx, board, "internal mammary RT", node_negative=True)
    elif rule.rid == "radiation.rni.not_indicated.micromets":
        _unknown_features_could_tip(ctx, board, "nodal RT")
    elif rule.rid == "radiation.rni.insufficient.quadrant" and ctx.node_status == "micro":
        # The other unknown features that alone would tip it are named too (the table names the quadrant).
        _unknown_features_could_tip(ctx, board, "nodal RT", name_quadrant=False)
    render(rule, ctx, board, say=("setting", "n", "t", "grade", "receptors", "age", "lvi", "surgery"),
           evidence=_RNI_EVIDENCE, parameters=rule.parameters(ctx, _RNI_PARAMETERS, explains=board.explains))


def post_mastectomy_rt(ctx: Context, board: Board) -> None:
    """PMRT after mastectomy: >= 4 nodes or T3-4 N+ (N1mi included) yes; 1-3 macro mostly yes; pN1mi with adverse features."""
    _post_mastectomy_rt(ctx, board)
    _patient_rails(ctx, board, "post_mastectomy_rt")


_PMRT_EVIDENCE = ("EBCTCG-PMRT-2014", "ASCO-ASTRO-PMRT-2016")


#: Post-mastectomy RT (EBCTCG 2014; ASCO/ASTRO/SSO 2016; NCCN for the high-risk groups and after neoadjuvant
#: therapy). Thresholds are the rule table's (knowledge/guidelines/radiation.json); NaN/None = unknown.
PMRT = DecisionTable("post_mastectomy_rt", (
    Rule("radiation.pmrt.insufficient.surgery", INSUFFICIENT_DATA, lambda f: unknown(f["breast_surgery"]),
         reads=("breast_surgery",), missing={"surgery.breast": "PMRT applies after mastectomy"}),
    Rule("radiation.pmrt.not_applicable", "not_applicable", lambda f: f["breast_surgery"] != "mastectomy",
         reads=("breast_surgery",), text="No mastectomy: PMRT does not apply.", would_change_if="mastectomy"),
    Rule("radiation.pmrt.not_indicated.dcis", "not_indicated",
         lambda f: f["in_situ_only"] & one_of(f["node_status"], (None, "negative", "not_staged", "itc", "molecular")),
         reads=("in_situ_only", "node_status"), text="Ductal carcinoma in situ treated by mastectomy: no PMRT.",
         evidence=("NCCN-BREAST",), would_change_if="invasive carcinoma with nodal disease"),
    Rule("radiation.pmrt.recommended.pre_treatment_high_risk", "recommended", lambda f: f["high_risk_before"],
         reads=("high_risk_before",),
         text="{high_risk_before}: PMRT to the chest wall and regional nodes whatever the response to neoadjuvant "
              "therapy (NCCN). {chest}",
         rationale="{facts}; {high_risk_before}", evidence=(*_PMRT_EVIDENCE, "NCCN-BREAST", "NSABP-B51"),
         would_change_if="nothing in this system: the pre-treatment stage decides"),
    Rule("radiation.pmrt.recommended.high_risk", "recommended", lambda f: f["many_nodes_operated_first"],
         reads=("many_nodes_operated_first",),
         text="PMRT to chest wall and regional nodes ({operated_first} positive nodes at the axillary surgery already "
              "done; NCCN: >= 4 nodes, T3 N+ or T4). {chest}",
         rationale="{facts}; {operated_first} positive nodes", evidence=(*_PMRT_EVIDENCE, "NCCN-BREAST"),
         would_change_if="no mastectomy, or M1"),
    Rule("radiation.pmrt.insufficient.nodes", INSUFFICIENT_DATA, lambda f: unknown(f["node_status"]),
         reads=("node_status",), missing={"{node_status_field}": "the nodal category decides PMRT"}),
    Rule("radiation.pmrt.recommended.high_risk", "recommended",
         lambda f: (f["t_group"] == "T4") | (f["positive_nodes"] >= f["high_risk_min_positive_nodes"])
         | (one_of(f["t_group"], f["node_positive_high_risk_t_groups"]) & one_of(f["node_status"], _NODAL_METASTASIS)),
         reads=("t_group", "positive_nodes", "node_status"),
         text="PMRT to chest wall and regional nodes ({why}; NCCN: >= 4 nodes, T3 N+ or T4). {chest}",
         evidence=(*_PMRT_EVIDENCE, "NCCN-BREAST"), would_change_if="nothing short of M1"),
    # The axilla left unstaged at the mastectomy outside the criteria to omit its staging (see the RNI row).
    Rule("radiation.pmrt.discuss.unstaged_after_mastectomy", "discuss", lambda f: f["unstaged_after_mastectomy"] == 1,
         reads=("unstaged_after_mastectomy",), strength="weak",
         text="The axilla was not staged at the mastectomy (no node examined): PMRT is decided on the result of the "
              "axillary dissection (node-negative: not indicated, EBCTCG 2014; node-positive: by the nodal burden); if "
              "axillary RT is chosen instead of a dissection, it is given as PMRT including the regional nodes (ASCO "
              "2025; AMAROS). {chest}",
         evidence=(*_PMRT_EVIDENCE, "ASCO-SLNB-2025", "AMAROS"),
         would_change_if="the nodal result of the axillary dissection"),
    Rule("radiation.pmrt.recommended.after_neoadjuvant", "recommended",
         lambda f: (f["setting"] == "post_neoadjuvant") & one_of(f["node_status"], ("itc", "micro", "macro")),
         reads=("setting", "node_status"), strength="moderate",
         text="Residual nodal disease after neoadjuvant therapy: PMRT including the regional nodes. {chest}",
         evidence=(*_PMRT_EVIDENCE, "NCCN-BREAST"), would_change_if="ypN0 after therapy"),
    Rule("radiation.pmrt.insufficient.pre_treatment_nodes", INSUFFICIENT_DATA,
         lambda f: (f["setting"] == "post_neoadjuvant") & unknown(f["initial_clinical_n"]),
         reads=("setting", "initial_clinical_n"),
         missing={"neoadjuvant_therapy.pre_treatment_clinical_nodes": "after a nodal complete response, PMRT depends "
                                                                       "on the nodal status before therapy"}),
    Rule("radiation.pmrt.discuss.ypn0_after_cn1", "discuss",
         lambda f: (f["setting"] == "post_neoadjuvant") & (f["initial_clinical_n"] != "N0"),
         reads=("setting", "initial_clinical_n"), strength="moderate",
         text="Initially node-positive, ypN0 after neoadjuvant therapy: PMRT including the nodes has been standard; "
              "NSABP B-51 (cT1-3 N1 -> ypN0) found no gain from chest-wall and nodal RT after mastectomy (HR 0.88, "
              "0.60-1.28). {chest}",
         evidence=(*_PMRT_EVIDENCE, "NCCN-BREAST", "NSABP-B51"),
         would_change_if="residual nodal disease or cT4/cN2-3 before therapy (recommended), or cN0 before therapy"),
    # Before the breast surgery (nodes not operated first) the decision is provisional, on the clinical N.
    Rule("radiation.pmrt.recommended.planned", "recommended",
         lambda f: (f["setting"] == "planned") & negate(f["nodes_operated_first"]) & (f["node_status"] == "macro"),
         reads=("setting", "nodes_operated_first", "node_status"), strength="weak",
         text="Provisional, before surgery: final PMRT decision on the pathology. Clinically node-positive: PMRT is "
              "usually indicated.", would_change_if="the final nodal pathology"),
    Rule("radiation.pmrt.not_indicated.planned", "not_indicated",
         lambda f: (f["setting"] == "planned") & negate(f["nodes_operated_first"]),
         reads=("setting", "nodes_operated_first"), strength="weak",
         text="Provisional, before surgery: final PMRT decision on the pathology.",
         would_change_if="the final nodal pathology"),
    # Involved internal mammary nodes: clinically detected ones are N2b/N3b (stage III: PMRT as for >= 4 nodes);
    # an internal mammary sentinel metastasis is N1b/N1c (as 1-3 nodes). Neither is a low-risk finding.
    Rule("radiation.pmrt.recommended.internal_mammary", "recommended",
         lambda f: f["internal_mammary"] == "clinically_detected", reads=("internal_mammary",),
         text="Clinically detected internal mammary node(s) (N2b/N3b, stage III): PMRT to the chest wall and regional "
              "nodes including the internal mammary chain (NCCN: stage III and N2-3 disease).{axilla_negative} {chest}",
         evidence=(*_PMRT_EVIDENCE, "NCCN-BREAST", "EORTC-22922", "AJCC-8"), would_change_if="nothing short of M1"),
    Rule("radiation.pmrt.recommended.internal_mammary", "recommended",
         lambda f: f["internal_mammary"] == "sentinel_microscopic", reads=("internal_mammary",), strength="moderate",
         text="Internal mammary sentinel node metastasis (N1b/N1c): PMRT including the regional nodes and the internal "
              "mammary chain (EBCTCG 2014 for node-positive disease; NCCN).{axilla_negative} {chest}",
         evidence=(*_PMRT_EVIDENCE, "NCCN-BREAST", "EORTC-22922", "AJCC-8"),
         would_change_if="nothing in this system: involved internal mammary nodes are irradiated"),
    Rule("radiation.pmrt.discuss.favourable", "discuss", lambda f: f["one_macro_node_low_risk"],
         reads=("one_macro_node_low_risk",), strength="moderate",
         text="1 macrometastatic node with every low-risk factor (ASCO/ASTRO/SSO 2016): locoregional risk may be low "
              "enough that toxicity outweighs benefit; discuss PMRT. {chest}",
         rationale="{facts}; low-risk factors: {favourable_held}",
         would_change_if="any adverse feature or a second positive node"),
    Rule("radiation.pmrt.recommended.one_to_three", "recommended", lambda f: f["node_status"] == "macro",
         reads=("node_status",), strength="moderate",
         text="1-3 macrometastatic nodes: PMRT including regional nodes (EBCTCG 2014: 10-yr locoregional failure "
              "21.0% -> 4.3%, 20-yr breast cancer mortality 49.4% -> 41.5%). If ALND was omitted, PMRT including the "
              "nodes replaces it (ASCO 2025). {chest}",
         evidence=(*_PMRT_EVIDENCE, "ASCO-SLNB-2025", "AMAROS"),
         would_change_if="a single node with every low-risk factor (discuss)"),
    Rule("radiation.pmrt.discuss.positive_margin", "discuss", lambda f: f["margins_mm"] == 0,
         reads=("margins_mm",), strength="weak",
         text="Tumour on ink after mastectomy: re-excision where feasible; otherwise chest-wall RT is discussed "
              "(NCCN: a positive mastectomy margin is a reason for chest-wall RT). {chest}",
         evidence=(*_PMRT_EVIDENCE, "NCCN-BREAST"),
         would_change_if="clear margins after re-excision (then by nodal status)"),
    Rule("radiation.pmrt.discuss.adverse", "discuss",
         lambda f: (f["t_group"] == "T3") | f["micro_with_adverse_features"],
         reads=("t_group", "micro_with_adverse_features"), strength="weak",
         text="{adverse_head} after mastectomy{adverse_with}: consider PMRT (a single node or small nodal metastases "
              "lowers the risk; ASCO/ASTRO/SSO 2016). {chest}",
         evidence=(*_PMRT_EVIDENCE, "IBCSG-23-01"),
         would_change_if="fewer adverse features (not indicated) or a macrometastasis"),
    Rule("radiation.pmrt.not_indicated", "not_indicated", always,
         reads=("node_status", "micro_with_adverse_features"), strength="moderate",
         text="{word}",
         evidence=(*_PMRT_EVIDENCE, "IBCSG-23-01"),
         would_change_if="{need} or more adverse features (young age, grade 3, ER-negative, LVI, large tumour, multiple "
                         "micrometastatic nodes, medial/central location), T3, or a macrometastasis"),
))




def pmrt_facts(ctx: Context) -> Derived:
    """The facts the PMRT table reads, for one patient (each derived when first read), thresholds included."""
    return Derived(ctx, _NODAL_FACTS, _nodal_thresholds())


def pmrt_columns(contexts: Sequence[Context]) -> dict[str, Any]:
    """The same facts for a batch of patients, one numpy column per fact (the thresholds stay as they are)."""
    return stack([pmrt_facts(ctx).complete() for ctx in contexts], constants=_nodal_thresholds())


@cache  # a pure function of the rule set
def _nodal_thresholds() -> dict[str, Any]:
    t = rules().radiation
    return {"high_risk_min_positive_nodes": float(t.high_risk_min_positive_nodes),
            "node_positive_high_risk_t_groups": tuple(t.node_positive_high_risk_t_groups)}


def _high_risk_why(ctx: Context) -> str:
    status, tg = ctx.node_status, ctx.t_group
    if (ctx.positive_nodes or 0) >= rules().radiation.high_risk_min_positive_nodes:
        return ">= 4 positive nodes"
    if tg == "T4" and status not in _NODAL_METASTASIS:
        return "T4"
    return f"{tg} with nodal metastasis" + (" (N1mi staged as N1 for T3-4 by AJCC 8)" if status == "micro" else "")


def _adverse_with(ctx: Context) -> str:
    found = adverse_features(ctx)
    return f" with adverse features ({', '.join(found)})" if found else ""


#: The parameters of the PMRT texts, each derived for the matched rule of one patient when its text reads it.
_PMRT_PARAMETERS: dict[str, Callable[[Context], Any]] = {
    **_NODAL_PARAMETERS,
    "chest": lambda c: f"{_schedules('regional')} {_organs_at_risk()}",
    "axilla_negative": _axilla_negative_words,
    "why": _high_risk_why,
    "favourable_held": lambda c: ", ".join(evaluate(rules().radiation.pmrt_favourable_one_to_three, c.read_facts()).held()),
    "adverse_head": lambda c: "T3 node-negative" if c.t_group == "T3" else "pN1mi",
    "adverse_with": _adverse_with,
    "word": lambda c: {
        "micro": "pN1mi with favourable features: PMRT generally not indicated (IBCSG 23-01 mastectomy patients had "
                 "no PMRT; ASCO/ASTRO/SSO 2016: a single node or small nodal metastases lower the risk).",
        "itc": "pN0(i+): no PMRT for the ITC (ITC-only nodes are N0, AJCC 8).",
    }.get(c.node_status or "", "Node-negative: PMRT not indicated (EBCTCG 2014: no reduction in recurrence or breast "
                               "cancer mortality after mastectomy for node-negative disease)."),
}


def _post_mastectomy_rt(ctx: Context, board: Board) -> None:
    rule = PMRT.rules[PMRT.first(pmrt_facts(ctx))]
    if rule.rid == "radiation.pmrt.not_indicated":
        if ctx.node_status == "micro":
            _unknown_features_could_tip(ctx, board, "PMRT")
        if ctx.setting != "planned" and _margins_mm(ctx) is None:
            # Only here can the margin change PMRT (the rules before tumour on ink decide without it): named, and the
            # decision stands, as for the whole-breast RT criteria.
            board.need("surgery.margins_mm", "tumour on ink after mastectomy would make chest-wall RT a discussion "
                                             "(NCCN); PMRT stays not indicated until the margin is known")
    elif rule.rid == "radiation.pmrt.recommended.one_to_three":
        # A single node with every ASCO/ASTRO/SSO 2016 low-risk factor is 'discuss': a factor not recorded while the
        # others hold is named, and the decision stands (the standard for 1-3 nodes), as for the adverse features.
        favourable = evaluate(rules().radiation.pmrt_favourable_one_to_three, ctx.read_facts(), until_failed=True)
        if favourable.possible:
            for name, why in unknown_fields(favourable, context=ctx).items():
                board.need(name, f"{why}; a single node with every low-risk factor would make PMRT a discussion, "
                                 "and it stays recommended until this is known")
    render(rule, ctx, board, say=("setting", "surgery", "n", "t", "grade", "receptors", "age", "lvi"),
           evidence=_PMRT_EVIDENCE, parameters=rule.parameters(ctx, _PMRT_PARAMETERS, explains=board.explains))
