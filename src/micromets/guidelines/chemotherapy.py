"""DP-S1/S3/S4, chemotherapy: by subtype, invasive size, nodal branch and genomic risk.

pN1mi is counted on the NCCN "pN0 or pN1mi" branch; 1-3 macrometastatic nodes are the RxPONDER
branch; 4 or more positive nodes need no assay. When a 21-gene recurrence score is the standard next
step and would decide, the decision is ``insufficient_data`` with ``oncotype_rs`` missing and a
diagnostic recommendation to order the assay (a MammaPrint result is used when given).

The patient comes first: a frail patient (ECOG >= 3, Clinical Frailty Scale >= 7, or a non-cancer life expectancy
below the horizon of the trials) is not offered chemotherapy and gets no assay; a vulnerable one (ECOG 2, CFS 5-6,
G8 <= 14, Charlson >= 3, heart failure) has chemotherapy discussed at most, and at age >= 70 with luminal disease
is not offered it (the assay-guided trials enrolled patients fit for anthracycline/taxane chemotherapy). With a
heart that forbids anthracyclines the regimen named is anthracycline-free.

    >>> from micromets.model import Case, Findings, Staging
    >>> from micromets.guidelines._context import Board, Context
    >>> case = Case(age=60, menopausal_status="post", oncotype_rs=18, tumour={"size_mm": 15},
    ...             surgery={"breast": "bcs", "status": "done"}, nodes={"procedure": "slnb", "examined": 2})
    >>> board = Board()
    >>> chemotherapy(Context.of(case, Findings(subtype="hr_pos_her2_neg", er="positive", her2="low",
    ...              positive_nodes=1, micrometastatic_nodes=1), Staging(t="pT1c", n="pN1mi(sn)")), board)
    >>> board.decisions["chemotherapy"]
    'not_indicated'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, Literal, NamedTuple

import numpy as np
from numpy.typing import NDArray

from micromets.guidelines._context import Board, Context
from micromets.guidelines.patient import (
    Fitness,
    decide_if_immaterial,
    explained_board,
    fitness,
    gated_value,
    heart,
    no_invasive_disease,
    receptor_fields,
    subtype_variants,
    what_if_answer,
)
from micromets.guidelines.rules import rules
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
from micromets.model import INSUFFICIENT_DATA, Surgery

Branch = Literal["n0", "n1", "n2plus"]
KEY = "chemotherapy"
UPFRONT_REGIMEN = ("anthracycline-taxane (e.g. dose-dense AC/EC then weekly paclitaxel) or, for lower risk, "
                   "docetaxel-cyclophosphamide (TC x4-6)")
FITNESS_EVIDENCE = ["ASCO-GERIATRIC-2018", "ASCO-GERIATRIC-2023", "SIOG-EUSOMA-2021"]
_CYTOTOXIC = {"anthracycline", "taxane", "platinum"}


def _regimen(ctx: Context) -> str:
    """The standard regimen, or an anthracycline-free one when the heart forbids anthracyclines (Armenian 2017)."""
    avoid = heart(ctx).avoid_anthracycline
    if not avoid:
        return UPFRONT_REGIMEN
    return (f"a non-anthracycline regimen because of {', '.join(avoid)}: docetaxel-cyclophosphamide (TC x4-6), "
            "with cardio-oncology review")


def _branch(ctx: Context) -> Branch | None:
    """n0 = pN0, pN0(i+) or pN1mi (NCCN grouping); n1 = 1-3 positive nodes with a macrometastasis; n2plus = >= 4."""
    status = ctx.node_status
    if status is None:
        return None
    if status != "macro":
        return "n0"
    positive = ctx.positive_nodes
    if positive is None:  # before surgery: the clinical category stands in for the count
        return "n1" if ctx.read_facts()["clinical_n"] == "N1" else "n2plus"
    return "n2plus" if positive >= rules().chemotherapy.chemo_without_assay_min_positive_nodes else "n1"


def chemotherapy(ctx: Context, board: Board) -> None:
    """Chemotherapy decision for one patient (see the module docstring)."""
    fit = fitness(ctx)
    if not _decide(ctx, board, fit):
        _patient_notes(ctx, board, fit)
    if fit.level != "frail" and ctx.t_group != "T4" and ctx.node_status == "micro" and _occult(ctx) is not ctx:
        # Said where the size is read: on the node-negative/pN1mi branch of the subtype rules.
        board.amend(KEY, note="(In situ carcinoma only in the excised breast, yet a nodal metastasis: the invasive "
                              "focus was not found, so it is microscopic and the T1mi/T1a rows apply.)")


def _occult_invasion(ctx: Context) -> Context:
    """In situ carcinoma only in the excised breast, yet a nodal metastasis the pathologist found: the invasive
    focus was missed, so it is microscopic. The case format takes no invasive size beside ``in_situ_only`` (0 or
    omitted), and an omitted one is read as that: the NCCN T1mi/T1a rows (pN1mi: every subtype 'consider'), not
    an unknown size. Before the breast is excised (or with no breast surgery) the invasive size stays unknown."""
    tumour = ctx.case.tumour
    if tumour is None or tumour.size_mm is not None or not ctx.in_situ_only or ctx.setting != "upfront" \
            or ctx.breast_surgery not in ("bcs", "mastectomy") or no_invasive_disease(ctx):
        return ctx
    return ctx.varied(case=ctx.case.model_copy(update={
        "tumour": tumour.model_copy(update={"size_mm": 0.0})}))


def _operation_open(ctx: Context) -> bool:
    """In situ carcinoma only in the breast with a nodal metastasis, no invasive size, before any neoadjuvant therapy,
    and the breast operation not given: whether the breast was excised decides how the invasive focus is read."""
    tumour = ctx.case.tumour
    return tumour is not None and tumour.size_mm is None and ctx.in_situ_only and ctx.setting == "upfront" \
        and ctx.breast_surgery is None and not no_invasive_disease(ctx)


def _operated(ctx: Context, operation: str) -> Context:
    surgery = ctx.case.surgery or Surgery()
    return ctx.varied(case=ctx.case.model_copy(update={"surgery": surgery.model_copy(update={"breast": operation})}),
                      breast_surgery=operation)


def _operation_unknown(ctx: Context, board: Board, fit: Fitness) -> None:
    """In situ carcinoma only in the breast, a nodal metastasis, the breast operation not given: excised, the missed
    invasive focus is microscopic (``_occult_invasion``: the T1mi/T1a rows); not excised, its size is unknown. The
    operation is asked for only when the two readings differ, and the invasive size is not (the case format takes
    none beside ``in_situ_only``)."""
    why = ("in situ carcinoma only in the breast with a nodal metastasis: whether the breast was excised decides how "
           "the invasive focus is read for chemotherapy (excised and not found: microscopic, the T1mi/T1a rows)")
    variants = [_operated(ctx, "bcs"), _operated(ctx, "none")]
    outcomes = _what_ifs(variants, board, fit)
    values = {gated_value(v, KEY, o.decisions.get(KEY)) for v, o in zip(variants, outcomes, strict=True)}
    needs = [{m.field: m.why for m in o.missing if KEY in m.decisions} for o in outcomes]
    first = outcomes[0].rule(KEY)
    if values == {INSUFFICIENT_DATA} and needs[0].keys() == needs[1].keys():
        return board.unknown(KEY, needs[0])  # open either way, for the same inputs: the operation does not decide
    if len(values) > 1 or INSUFFICIENT_DATA in values or first is None:
        needed = {"surgery.breast": why}
        for need in needs:
            needed.update({name: w for name, w in need.items() if name not in needed and name != "tumour.size_mm"})
        return board.unknown(KEY, needed)
    if not board.explains:  # a what-if re-run itself: the excised reading's value and rule id
        return board.settle(KEY, first[1], first[0])
    rec = explained_board(board, lambda c, b: _full(c, b, fit), variants[0],
                          recommendations=False).recommendation(KEY)
    assert rec is not None and (rec.id, rec.decision) == first  # the same re-run, with words
    board.decide(KEY, rec.decision, rid=rec.id, strength=rec.strength,
                 text=f"{rec.text} (Breast operation not given: the decision is the same whether or not the breast "
                      "was excised.)",
                 rationale=rec.rationale, evidence=rec.evidence, would_change_if=rec.would_change_if)


def _what_ifs(variants: list[Context], board: Board, fit: Fitness) -> list[Board]:
    """The decision re-run on each variant of the case, on scratch boards: values, rule ids and missing inputs."""
    outcomes = []
    for variant in variants:
        scratch = board.what_if()
        _full(variant, scratch, fit)
        outcomes.append(scratch)
    return outcomes


def _full(ctx: Context, board: Board, fit: Fitness) -> None:
    """The decision with its patient notes (for comparing what an unknown input would change)."""
    if not _decide(ctx, board, fit):
        _patient_notes(ctx, board, fit)



def _her2_size_unknown(ctx: Context, board: Board, fit: Fitness) -> None:
    """HER2-positive without nodal macrometastasis, size unknown: T1a is 'discuss', larger tumours 'recommended'
    (APT; NCCN). When the patient caps every answer at 'discuss' (a vulnerable patient, a failing heart) or a
    gate decides, the size changes only the regimen: decided, not insufficient_data."""
    t = rules().chemotherapy
    tumour = ctx.case.tumour
    if tumour is None:
        return _size_unknown(board)
    variants = [ctx.varied(case=ctx.case.model_copy(update={
        "tumour": tumour.model_copy(update={"size_mm": size})})) for size in (t.t1c_max_mm, t.t1c_max_mm + 1,
                                                                              t.t1a_max_mm)]
    decide_if_immaterial(board, KEY, lambda v, b: _full(v, b, fit), variants, unknown="The tumour size",
                         fields={"tumour.size_mm": "the invasive tumour size decides chemotherapy here"})



def _branch_unknown(ctx: Context, board: Board, fit: Fitness) -> None:
    """Nodal category unknown: insufficient only if it would change the decision (not merely the regimen)."""
    field = ctx.node_status_field
    why = "the nodal category (pN0/pN1mi vs 1-3 vs >= 4 positive nodes) decides the chemotherapy branch"
    outcomes = []
    for branch in ("n0", "n1", "n2plus"):
        scratch = board.what_if(recommendations=False)  # values only
        _by_branch(ctx, scratch, branch, fit)
        outcomes.append(scratch)
    values = {gated_value(ctx, KEY, o.decisions[KEY]) for o in outcomes}
    first = outcomes[0].rule(KEY)
    if len(values) > 1 or "insufficient_data" in values or first is None:
        return board.unknown(KEY, {field: why})
    board.need(field, "the nodal category chooses the chemotherapy regimen (the decision is the same either way)")
    if not board.explains:  # a what-if re-run itself: the node-negative branch's value and rule id
        return board.settle(KEY, first[1], first[0])
    # The node-negative branch's recommendation is the answer: decided once more, now with its words.
    rec = explained_board(board, lambda c, b: _by_branch(c, b, "n0", fit), ctx,
                          recommendations=False).recommendation(KEY)
    assert rec is not None and (rec.id, rec.decision) == first  # the same re-run, with words
    board.decide(KEY, rec.decision, rid=rec.id, strength=rec.strength,
                 text=f"{rec.text} (Nodal status not given: the decision is the same whatever it is; with nodal "
                      "macrometastases the regimen is the fuller one.)",
                 rationale=rec.rationale, evidence=rec.evidence, would_change_if=rec.would_change_if)



def _er_low_pr_unknown(ctx: Context, board: Board, fit: Fitness) -> None:
    """ER-low (1-10 %), HER2-negative, PR not given: PR-negative disease goes the triple-negative way, PR-positive
    the luminal one (``Context.triple_negative_like``; ASCO/CAP 2020 on ER-low). The PR is asked for only when the
    two ways give different answers; it is never read as negative."""
    why = ("with ER-low (1-10%) HER2-negative disease the PR decides between the triple-negative and the luminal "
           "chemotherapy pathway")
    variants = [ctx.varied(findings=ctx.findings.model_copy(update={"pr": pr})) for pr in ("negative", "positive")]
    outcomes = _what_ifs(variants, board, fit)
    values = {gated_value(v, KEY, o.decisions.get(KEY)) for v, o in zip(variants, outcomes, strict=True)}
    first = outcomes[0].rule(KEY)
    if len(values) > 1 or INSUFFICIENT_DATA in values or first is None:
        needed = {"tumour.pr_percent": why}
        for outcome in outcomes:
            needed.update({m.field: m.why for m in outcome.missing if KEY in m.decisions and m.field not in needed})
        return board.unknown(KEY, needed)
    if not board.explains:  # a what-if re-run itself: the PR-negative answer's value and rule id
        return board.settle(KEY, first[1], first[0])
    rec = explained_board(board, lambda c, b: _full(c, b, fit), variants[0],
                          recommendations=False).recommendation(KEY)
    assert rec is not None and (rec.id, rec.decision) == first  # the same re-run, with words
    board.decide(KEY, rec.decision, rid=rec.id, strength=rec.strength,
                 text=f"{rec.text} (PR not given: the decision is the same whether it is positive or negative.)",
                 rationale=rec.rationale, evidence=rec.evidence, would_change_if=rec.would_change_if)


def _by_branch(ctx: Context, board: Board, branch: Branch, fit: Fitness) -> None:
    """The decision with its patient notes for a given nodal branch (an unknown nodal category's what-if)."""
    _by_subtype(ctx, board, branch, fit)
    _patient_notes(ctx, board, fit)


def _patient_notes(ctx: Context, board: Board, fit: Fitness) -> None:
    """Vulnerable patients: at most discuss; the heart and pre-existing neuropathy shape the regimen."""
    value = board.decisions.get(KEY)
    if value not in ("recommended", "discuss"):
        return
    if not board.explains:  # a board of values keeps the cap only (the notes, strength and evidence are words)
        if _capped(ctx, fit):
            board.amend(KEY, value="discuss")
        return
    if fit.level == "vulnerable":
        board.amend(KEY, value="discuss", strength="weak", extra_evidence=tuple(FITNESS_EVIDENCE),
                    note=f"Patient: {fit.words} - outside trial evidence (the trials enrolled ECOG 0-1); discuss after a "
                         "geriatric assessment, with a less intensive regimen if given.")
    else:
        _beyond_assay_trials(ctx, board)
    h = heart(ctx)
    if h.avoid_anthracycline:
        cap = h.severe or h.heart_failure
        board.amend(KEY, value="discuss" if cap else None, strength="weak" if cap else None,
                    extra_evidence=("ARMENIAN-2017",),
                    note=f"Cardiac: {', '.join(h.avoid_anthracycline)} - no anthracycline; a non-anthracycline regimen "
                         "(e.g. docetaxel-cyclophosphamide; weekly paclitaxel) with cardio-oncology review"
                         + (" before any chemotherapy." if cap else ".")
                         + (" Trastuzumab/pertuzumab only as the HER2-therapy decision allows (cardiac grading)."
                            if ctx.subtype == "her2_pos" else ""))
    elif h.increased_risk:
        board.amend(KEY, extra_evidence=("ARMENIAN-2017",),
                    note=f"Cardiac risk: {', '.join(h.increased_risk)} - baseline and follow-up echocardiography; weigh "
                         "a non-anthracycline regimen.")
    grade = ctx.conditions.peripheral_neuropathy_grade
    limit = rules().safety.drugs.taxane_caution_min_neuropathy_grade
    if grade is not None and grade >= limit:
        board.amend(KEY, note=f"Pre-existing grade {grade} peripheral neuropathy: taxanes may worsen it - weigh a "
                              "taxane-free regimen or dose adaptation (no threshold is set by the trials).")


#: The assay-guided recommendations and the trial (with its age limit in chemotherapy.json) behind each.
_ASSAY_TRIAL = {"systemic.chemotherapy.recommended.high_rs": ("recurrence_score", "TAILORx", "TAILORX-ELIGIBILITY"),
                "systemic.chemotherapy.recommended.male_high_rs": ("recurrence_score", "TAILORx", "TAILORX-ELIGIBILITY"),
                "systemic.chemotherapy.recommended.mammaprint_high": ("mammaprint", "MINDACT", "MINDACT"),
                "systemic.chemotherapy.recommended.male_mammaprint_high": ("mammaprint", "MINDACT", "MINDACT")}


def _beyond_assay_trials(ctx: Context, board: Board) -> None:
    """An assay-guided recommendation for a patient older than its trial enrolled: not strong, and the geriatric
    assessment named (ASCO geriatric oncology 2018); the decision stays (fitness, not age alone, decides)."""
    rule = board.rule(KEY)
    trial = _ASSAY_TRIAL.get(rule[0]) if rule is not None else None
    if trial is None or ctx.age is None:
        return
    limits = rules().chemotherapy.assay_trials_max_age
    oldest = getattr(limits, trial[0])
    if ctx.age <= oldest:
        return
    board.amend(KEY, strength="moderate", extra_evidence=(trial[2], "ASCO-GERIATRIC-2018"),
                note=f"Age {ctx.age:g}: older than {trial[1]} enrolled (up to {oldest:g}), so this is outside the "
                     "trial's evidence; decide after a geriatric assessment (ASCO geriatric oncology 2018: function, "
                     "comorbidity, falls, depression, cognition, nutrition; toxicity by CARG or CRASH) and the "
                     "non-cancer life expectancy.")


def _subtype_unknown(ctx: Context, board: Board, fit: Fitness) -> None:
    fields = receptor_fields(ctx, "the receptor subtype decides the chemotherapy pathway")
    if ctx.node_status is None:
        # Nodes unknown too: when at every nodal status the receptors give one answer, only the nodes are asked
        # for (e.g. T0: cN0 -> none, cN1mi -> discuss, cN1 -> recommended, whatever the subtype).
        rows = [[variant.varied(node_status=status) for variant in subtype_variants(ctx)]
                for status in ("negative", "micro", "macro")]
        if all(len({_gated_outcome(v, board, fit) for v in row}) == 1 for row in rows) and \
                INSUFFICIENT_DATA not in {_gated_outcome(row[0], board, fit) for row in rows}:
            fields = {ctx.node_status_field: "the nodal status decides chemotherapy here (the receptors do not)"}
            return decide_if_immaterial(board, KEY, lambda v, b: _full(v, b, fit), [row[0] for row in rows],
                                        unknown="The nodal status", fields=fields)
    decide_if_immaterial(board, KEY, lambda v, b: _full(v, b, fit), subtype_variants(ctx),
                         unknown="The receptor subtype", fields=fields)


def _gated_outcome(variant: Context, board: Board, fit: Fitness) -> str | None:
    return what_if_answer(board, KEY, lambda v, b: _full(v, b, fit), variant)


def _size_unknown(board: Board) -> None:
    board.unknown(KEY, {"tumour.size_mm": "the invasive tumour size decides chemotherapy here"})



def _low_clinical_risk(ctx: Context, size: float) -> bool:
    """Node-negative and clinically low risk: grade 1-2 small tumours at >= 70, or grade 1 T1b.

    At >= 70 a clinically node-negative axilla left unstaged (sentinel biopsy omitted, SOUND / Choosing Wisely)
    counts too: the biopsy was omitted because its result would not change the adjuvant therapy."""
    low = rules().chemotherapy.no_assay_low_clinical_risk
    grade = ctx.grade
    older = ctx.age is not None and ctx.age >= low.older_min_age
    if grade is None or ctx.node_status not in ("negative", "itc", "molecular", *(("not_staged",) if older else ())):
        return False
    if grade == 1 and size <= low.any_age_grade1_max_size_mm and ctx.node_status != "not_staged":
        return True
    limit = low.older_max_size_mm_by_grade.get(str(grade))
    return older and limit is not None and size <= limit




# --- the decision table ----------------------------------------------------------------------------------------------
_SUBTYPE_SAY = ("setting", "t", "n", "receptors")
_LUMINAL_SAY = ("setting", "t", "n", "grade", "receptors", "age", "menopause", "rs")
_OLDER_SAY = ("age", "t", "n", "grade", "receptors", "rs")
_TNBC_EVIDENCE = ("NCCN-BREAST", "EBCTCG-CHEMO-2012", "ESMO-EBC-2024")
_RS_EVIDENCE = ("TAILORX", "ASCO-BIOMARKER-2022", "NCCN-BREAST-2015-BINV6")
_SIZE_MISSING = {"tumour.size_mm": "the invasive tumour size decides chemotherapy here"}
#: With 1-3 positive nodes a woman's chemotherapy turns on her menopausal status (RxPONDER enrolled women), a man's
#: does not (no menopausal status: the rules read him by the recurrence score alone): named when not recorded.
_SEX_WHY = ("the sex is not recorded: with 1-3 positive nodes a woman's menopausal status decides chemotherapy "
            "(RxPONDER), a man has none")
_SEX = ("sex",)
#: The rule that hands the decision to the what-if re-runs (an unknown subtype or nodal category, or the size of a
#: HER2-positive tumour without nodal macrometastasis): they decide by what every value of the unknown input gives.
OPEN_RID = "systemic.chemotherapy.insufficient.what_if"
_ASSAY_RID = "systemic.chemotherapy.insufficient.assay"


_LUMINAL_READS = ("tnbc_like", "subtype", "older_vulnerable")

# A yes/no fact is compared with 1 where a rule joins it with others (``f["tnbc_like"] == 1``, not the bare read):
# a comparison is a boolean, so the compiled one-case function stops at the first part that is false and derives
# no fact the rule then does not need (the heart for avoid_anthracycline, the criteria behind low_clinical_risk).
# Over columns the comparison gives the same booleans.


def _tn(f: Facts) -> Any:
    return f["tnbc_like"] == 1


def _her2(f: Facts) -> Any:
    return negate(f["tnbc_like"]) & (f["subtype"] == "her2_pos")


def _luminal(f: Facts) -> Any:
    return negate(f["tnbc_like"]) & (f["subtype"] != "her2_pos") & negate(f["older_vulnerable"])


def _tnbc_recommended(f: Facts) -> Any:
    return _tn(f) & ((f["branch"] != "n0") | (f["size_mm"] > f["t1b_max_mm"]))


def _rs(f: Facts) -> Any:
    return _luminal(f) & negate(unknown(f["rs"]))


def _mammaprint(f: Facts) -> Any:
    """A MammaPrint result to decide by: given, and not at low clinical risk (MINDACT; ASCO 2017: no utility there)."""
    return _luminal(f) & negate(unknown(f["mammaprint"])) & (f["mindact_low"] != 1)


def _assays_disagree(f: Facts) -> Any:
    """Both assays given and on opposite sides (RS >= 26 vs MammaPrint low/ultralow, RS <= 25 vs high) at a known high
    clinical risk (unknown: the score decides, as before MammaPrint was weighed against it), except 1-3
    macrometastatic nodes in a woman not known to be postmenopausal (premenopausal: chemotherapy whatever the score;
    unknown: that status decides, RxPONDER)."""
    return _rs(f) & negate(unknown(f["mammaprint"])) & (f["mindact_low"] == 0) \
        & ((f["rs"] >= f["rs_min"]) != (f["mammaprint"] == "high")) \
        & negate((f["branch"] == "n1") & (f["menopause"] != "post") & negate(f["male"]))


def _pre(f: Facts) -> Any:
    return f["setting"] == "post_neoadjuvant"


_TNBC_TEXT = {"why": "a T1b (discuss) or T1a (not indicated) tumour without nodal macrometastasis"}
_HER2_HIGH_WCI = "a tumour <= {t1c_max_mm:g} mm without nodal macrometastasis (APT de-escalation)"
_HER2_HIGH_EVIDENCE = ("NCCN-BREAST", "APHINITY", "KATHERINE", "ESMO-EBC-2024")
_LOW_RS_WCI = "a recurrence score >= {rs_min} (or 16-25 at age <= {younger_max_age})"

#: DP-S1/S3/S4 chemotherapy, first match wins (the sources of each row in its text and evidence: NCCN Breast, the
#: EBCTCG 2012 meta-analysis, APT/APHINITY/KATHERINE for HER2-positive disease, TAILORx/RxPONDER/MINDACT for
#: genomic risk, ASCO/SIOG geriatric oncology for fitness). Unknown numbers are NaN, unknown codes None. The
#: patient notes (a vulnerable patient or a failing heart: at most 'discuss'; cardiac and neuropathy notes) amend
#: the matched rule afterwards (``_patient_notes``; over columns ``chemotherapy_decide``).
CHEMOTHERAPY = DecisionTable(KEY, (
    Rule("systemic.chemotherapy.not_indicated.no_invasive", "not_indicated", lambda f: f["no_invasive"],
         reads=("no_invasive",), text="No invasive carcinoma: no chemotherapy.", evidence=("NCCN-BREAST",),
         would_change_if="invasive carcinoma"),
    Rule("systemic.chemotherapy.not_indicated.frail", "not_indicated", lambda f: f["frail"], reads=("frail",),
         strength="moderate",
         text="Chemotherapy is not offered: {fit_words}. This is outside trial evidence (the adjuvant chemotherapy "
              "trials enrolled fit patients, ECOG 0-1) and competing mortality outweighs a benefit that accrues over "
              "5-10 years; no genomic assay is ordered. Decide on geriatric assessment, life expectancy and the "
              "patient's preference, not age alone (SIOG/EUSOMA 2021).",
         rationale="{fit_words}; {facts}", evidence=tuple(FITNESS_EVIDENCE),
         would_change_if="ECOG <= {frail_ecog_max}, Clinical Frailty Scale < {frail_cfs} and a life expectancy of "
                         ">= {min_life_expectancy:g} years (then judged on the tumour)"),
    Rule("systemic.chemotherapy.insufficient.neoadjuvant_agents", INSUFFICIENT_DATA,
         lambda f: _pre(f) & (f["agents"] == "none") & negate(one_of(f["subtype"], ("her2_pos", "triple_negative"))),
         reads=("setting", "agents", "subtype"),
         missing={"neoadjuvant_therapy.agents": "whether neoadjuvant therapy was chemotherapy or endocrine therapy "
                                                "decides further chemotherapy"}),
    Rule("systemic.chemotherapy.discuss.after_neoadjuvant_endocrine", "discuss",
         lambda f: _pre(f) & (f["agents"] == "endocrine"), reads=("setting", "agents"), strength="weak",
         text="Neoadjuvant endocrine therapy only: adjuvant chemotherapy by the residual disease (ypT/ypN, "
              "response); discuss at the tumour board.",
         evidence=("NCCN-BREAST", "ESMO-EBC-2024"), would_change_if="neoadjuvant chemotherapy already given"),
    Rule("systemic.chemotherapy.not_indicated.after_neoadjuvant", "not_indicated", _pre, reads=("setting",),
         text="Neoadjuvant chemotherapy completed: no further standard chemotherapy; post-neoadjuvant therapy follows "
              "the residual disease (T-DM1, capecitabine, olaparib, pembrolizumab continuation; see those decisions).",
         evidence=("NCCN-BREAST", "KATHERINE", "CREATE-X", "OLYMPIA"),
         would_change_if="neoadjuvant therapy that was not chemotherapy"),
    Rule("systemic.chemotherapy.recommended.locally_advanced", "recommended", lambda f: f["t4"] & f["inflammatory"],
         reads=("t4", "inflammatory"),
         text="Inflammatory breast cancer (T4d): anthracycline-taxane chemotherapy first (with HER2-directed therapy "
              "if HER2-positive), then mastectomy with axillary dissection and post-mastectomy RT.",
         evidence=("NCCN-BREAST", "ESMO-EBC-2024"),
         would_change_if="no chest-wall or skin involvement on review (then by size, nodes and subtype)"),
    Rule("systemic.chemotherapy.recommended.locally_advanced", "recommended", lambda f: f["t4"], reads=("t4",),
         text="T4 (direct extension to the chest wall or skin): locally advanced whatever the size; preoperative "
              f"systemic therapy ({UPFRONT_REGIMEN}; with HER2-directed therapy if HER2-positive). For an older "
              "HR-positive, HER2-negative patient, primary endocrine therapy is the alternative to discuss.",
         evidence=("NCCN-BREAST", "ESMO-EBC-2024"),
         would_change_if="no chest-wall or skin involvement on review (then by size, nodes and subtype)"),
    # Code, not rows: the decision under every value of the unknown input (one definite answer, or the inputs).
    Rule(OPEN_RID, INSUFFICIENT_DATA, lambda f: negate(unknown(f["open"])), reads=("open",)),
    # Triple-negative (and ER-low HER2-negative) disease: NCCN, EBCTCG 2012; KEYNOTE-522 before surgery.
    Rule("systemic.chemotherapy.recommended.tnbc", "recommended",
         lambda f: _tnbc_recommended(f) & (f["setting"] == "planned") & (f["avoid_anthracycline"] == 1),
         reads=("tnbc_like", "branch", "size_mm", "setting", "avoid_anthracycline"),
         text="Neoadjuvant chemotherapy without anthracycline ({avoid}): paclitaxel-carboplatin (the AC/EC part of "
              "KEYNOTE-522 is left out, so outside that trial's evidence), with cardio-oncology review. Residual "
              "disease then guides capecitabine/olaparib.{er_low}",
         evidence=(*_TNBC_EVIDENCE, "KEYNOTE-522", "ARMENIAN-2017"), would_change_if=_TNBC_TEXT["why"]),
    Rule("systemic.chemotherapy.recommended.tnbc", "recommended",
         lambda f: _tnbc_recommended(f) & (f["setting"] == "planned"),
         reads=("tnbc_like", "branch", "size_mm", "setting"),
         text="Neoadjuvant chemotherapy: for cT1c N1-2 or cT2-4 the KEYNOTE-522 regimen (paclitaxel-carboplatin then "
              "AC/EC, with pembrolizumab, continued to 1 year); for cT1c N0, neoadjuvant or adjuvant "
              "anthracycline-taxane. Residual disease then guides capecitabine/olaparib.{er_low}",
         evidence=(*_TNBC_EVIDENCE, "KEYNOTE-522"), would_change_if=_TNBC_TEXT["why"]),
    Rule("systemic.chemotherapy.recommended.tnbc", "recommended", _tnbc_recommended,
         reads=("tnbc_like", "branch", "size_mm"),
         text="Adjuvant chemotherapy: {regimen}; platinum in selected (e.g. gBRCA) patients.{er_low}",
         evidence=_TNBC_EVIDENCE, would_change_if=_TNBC_TEXT["why"]),
    Rule("systemic.chemotherapy.insufficient.tnbc_size", INSUFFICIENT_DATA,
         lambda f: _tn(f) & unknown(f["size_mm"]), reads=("tnbc_like", "size_mm"), missing=_SIZE_MISSING),
    Rule("systemic.chemotherapy.discuss.tnbc_small", "discuss",
         lambda f: _tn(f) & ((f["size_mm"] > f["t1a_max_mm"]) | (f["node_status"] == "micro")),
         reads=("tnbc_like", "size_mm", "node_status"), strength="weak",
         text="Triple-negative {small} {n_word}: chemotherapy is a 'consider' (NCCN): the absolute benefit is small "
              "and uncertain; weigh age and comorbidity. If given, e.g. TC x4 or anthracycline-taxane.{er_low}",
         evidence=_TNBC_EVIDENCE,
         would_change_if="tumour > {t1b_max_mm:g} mm (T1c) or a macrometastatic node (recommended); T1a N0 (not "
                         "indicated)"),
    Rule("systemic.chemotherapy.not_indicated.tnbc_t1a_n0", "not_indicated", _tn, reads=("tnbc_like",),
         strength="moderate", text="Triple-negative T1a/T1mi N0: no adjuvant chemotherapy.{er_low}",
         evidence=_TNBC_EVIDENCE,
         would_change_if="tumour > {t1a_max_mm:g} mm or nodal micrometastasis (discuss); macrometastasis"),
    # HER2-positive: the full regimen (APHINITY, KATHERINE) or APT de-escalation up to T1c without macrometastasis.
    Rule("systemic.chemotherapy.recommended.her2_high", "recommended",
         lambda f: _her2(f) & ((f["branch"] != "n0") | (f["size_mm"] > f["t1c_max_mm"]))
         & (f["avoid_anthracycline"] == 1),
         reads=("tnbc_like", "subtype", "branch", "size_mm", "avoid_anthracycline"),
         text="{neoadjuvant_or_adjuvant} chemotherapy without anthracycline ({avoid}): docetaxel-carboplatin "
              "(TCH/TCHP backbone) or weekly paclitaxel; trastuzumab/pertuzumab only as the HER2-therapy decision "
              "allows; cardio-oncology review.",
         evidence=_HER2_HIGH_EVIDENCE, would_change_if=_HER2_HIGH_WCI),
    Rule("systemic.chemotherapy.recommended.her2_high", "recommended",
         lambda f: _her2(f) & ((f["branch"] != "n0") | (f["size_mm"] > f["t1c_max_mm"])) & (f["setting"] == "planned"),
         reads=("tnbc_like", "subtype", "branch", "size_mm", "setting"),
         text="Neoadjuvant chemotherapy with trastuzumab + pertuzumab (e.g. TCHP x6, or taxane-based THP with "
              "anthracycline); HER2 therapy to 1 year; T-DM1 if residual invasive disease (KATHERINE).",
         evidence=_HER2_HIGH_EVIDENCE, would_change_if=_HER2_HIGH_WCI),
    Rule("systemic.chemotherapy.recommended.her2_high", "recommended",
         lambda f: _her2(f) & ((f["branch"] != "n0") | (f["size_mm"] > f["t1c_max_mm"])),
         reads=("tnbc_like", "subtype", "branch", "size_mm"),
         text="Adjuvant chemotherapy with trastuzumab (AC/EC then paclitaxel + trastuzumab, or TCH/TCHP); add "
              "pertuzumab for node-positive (macrometastatic) disease (APHINITY).",
         evidence=_HER2_HIGH_EVIDENCE, would_change_if=_HER2_HIGH_WCI),
    Rule("systemic.chemotherapy.insufficient.her2_size", INSUFFICIENT_DATA,
         lambda f: _her2(f) & unknown(f["size_mm"]), reads=("tnbc_like", "subtype", "size_mm"), missing=_SIZE_MISSING),
    Rule("systemic.chemotherapy.recommended.her2_apt", "recommended",
         lambda f: _her2(f) & (f["size_mm"] > f["t1a_max_mm"]), reads=("tnbc_like", "subtype", "size_mm"),
         text="Weekly paclitaxel 80 mg/m2 x12 with trastuzumab, trastuzumab to complete 1 year (APT: node-negative or "
              "micrometastatic, <= 3 cm; 10-yr iDFS 91.3%). T-DM1 for 1 year (ATEMPT) is an alternative, not less "
              "toxic.",
         evidence=("APT", "ATEMPT", "NCCN-BREAST"),
         would_change_if="a tumour > {t1c_max_mm:g} mm or a nodal macrometastasis (full regimen), or T1a (discuss)"),
    Rule("systemic.chemotherapy.discuss.her2_t1a", "discuss", _her2, reads=("tnbc_like", "subtype"), strength="weak",
         text="HER2-positive T1a/T1mi: consider weekly paclitaxel + trastuzumab (APT) or no systemic therapy; higher "
              "risk with ER-negative disease or nodal micrometastasis.",
         evidence=("APT", "NCCN-BREAST"), would_change_if="a tumour > {t1a_max_mm:g} mm (APT recommended)"),
    # HR-positive, HER2-negative at >= 70 and vulnerable: outside the assay trials' eligibility (RxPONDER, TAILORx).
    Rule("systemic.chemotherapy.discuss.older_vulnerable", "discuss",
         lambda f: negate(f["tnbc_like"]) & (f["subtype"] != "her2_pos") & (f["older_vulnerable"] == 1)
         & ((f["branch"] == "n2plus") | (f["genomic_high"] == 1)),
         reads=("tnbc_like", "subtype", "older_vulnerable", "branch", "genomic_high"), strength="weak",
         text="HR-positive disease with {older_why}, but age {age:g} and {fit_words}: chemotherapy is outside trial "
              "evidence for this patient; discuss after a geriatric assessment (toxicity by CARG/CRASH), a less "
              "intensive regimen if any ({regimen}); endocrine therapy is the backbone.",
         rationale="{fit_words}; {facts}", evidence=(*FITNESS_EVIDENCE, "EBCTCG-CHEMO-2012"),
         would_change_if="a fit patient (then recommended), or frailty (not offered)"),
    Rule("systemic.chemotherapy.not_indicated.older_vulnerable", "not_indicated",
         lambda f: negate(f["tnbc_like"]) & (f["subtype"] != "her2_pos") & (f["older_vulnerable"] == 1),
         reads=("tnbc_like", "subtype", "older_vulnerable"), strength="moderate",
         text="HR-positive, HER2-negative disease at age {age:g} with {fit_words}: chemotherapy would not be offered "
              "(its gain is small and assay-guided, and RxPONDER required eligibility for anthracycline or taxane "
              "chemotherapy, TAILORx enrolled women up to 75): endocrine therapy alone; no genomic assay is ordered "
              "because its result would not change this.",
         rationale="{fit_words}; {facts}", evidence=(*FITNESS_EVIDENCE, "RXPONDER-ELIGIBILITY", "TAILORX-ELIGIBILITY"),
         would_change_if="a fit patient (no ECOG >= 2, CFS >= {vulnerable_cfs}, abnormal G8, Charlson >= 3 or heart "
                         "failure), four or more positive nodes, or a known high genomic risk"),
    # HR-positive, HER2-negative: >= 4 nodes without assay; recurrence score (TAILORx, RxPONDER); MammaPrint (MINDACT).
    Rule("systemic.chemotherapy.recommended.four_nodes", "recommended",
         lambda f: _luminal(f) & (f["branch"] == "n2plus"), reads=(*_LUMINAL_READS, "branch"),
         text="Four or more positive nodes: adjuvant chemotherapy ({regimen}) then endocrine therapy; no genomic "
              "assay needed (RxPONDER enrolled 1-3 nodes).",
         evidence=("NCCN-BREAST", "EBCTCG-CHEMO-2012", "RXPONDER"),
         would_change_if="1-3 positive nodes (recurrence-score guided)"),
    Rule("systemic.chemotherapy.discuss.assays_disagree", "discuss", _assays_disagree,
         reads=(*_LUMINAL_READS, "rs", "mammaprint", "mindact_low", "branch", "menopause", "male"), strength="weak",
         text="The 21-gene recurrence score ({rs}) and MammaPrint ({mammaprint}) disagree: no trial or guideline says "
              "which to follow (ASCO 2022: one assay is ordered, not both); discuss chemotherapy, weighing the clinical "
              "risk (TAILORx/RxPONDER for the score, MINDACT for MammaPrint).",
         evidence=("TAILORX", "RXPONDER", "MINDACT", "ASCO-BIOMARKER-2022"),
         would_change_if="concordant assay results, or one assay only"),
    # Men (ASCO 2020 male breast cancer guideline): TAILORx, RxPONDER and MINDACT enrolled women only, so an assay
    # reading in a man is extrapolated (never strong) and is never made by menopausal status or the age <= 50 rule.
    Rule("systemic.chemotherapy.recommended.male_high_rs", "recommended",
         lambda f: _rs(f) & (f["male"] == 1) & (f["rs"] >= f["rs_min"]), reads=(*_LUMINAL_READS, "rs", "male"),
         strength="moderate",
         text="Recurrence score {rs} (>= {rs_min}) in a man: chemotherapy ({regimen}) then endocrine therapy. The "
              "score is used in men as in women (ASCO 2020 male breast cancer guideline), but its thresholds come "
              "from trials that enrolled women (TAILORx), so the evidence is extrapolated.",
         evidence=("ASCO-MALE-2020", "TAILORX", "ASCO-BIOMARKER-2022"), would_change_if="a recurrence score <= {rs_below}"),
    Rule("systemic.chemotherapy.discuss.male_n1", "discuss",
         lambda f: _rs(f) & (f["male"] == 1) & (f["branch"] == "n1"), reads=(*_LUMINAL_READS, "rs", "male", "branch"),
         strength="weak",
         text="A man with 1-3 macrometastatic nodes and recurrence score {rs} (<= {rs_below}): whether chemotherapy can "
              "be omitted is not established for men. RxPONDER, which found no benefit at RS <= 25 after the "
              "menopause, enrolled women only, and the ASCO 2020 male breast cancer guideline supports the score in "
              "node-negative disease. Discuss chemotherapy ({regimen}); endocrine therapy (tamoxifen) in any case.",
         evidence=("ASCO-MALE-2020", "RXPONDER", "ASCO-BIOMARKER-2022"),
         would_change_if="a recurrence score >= {rs_min} (recommended), or node-negative/pN1mi disease (score-guided)"),
    Rule("systemic.chemotherapy.not_indicated.male_low_rs", "not_indicated",
         lambda f: _rs(f) & (f["male"] == 1), reads=(*_LUMINAL_READS, "rs", "male"), strength="moderate",
         text="A man, {n_word} (the NCCN 'pN0 or pN1mi' branch), recurrence score {rs} (<= {rs_below}): endocrine "
              "therapy alone. The score may guide chemotherapy in node-negative men (ASCO 2020 male breast cancer "
              "guideline); its thresholds come from TAILORx, which enrolled women, and the benefit TAILORx found in "
              "women aged <= 50 at RS 16-25 (thought to come partly from the suppression of their ovaries) is not "
              "applied to a man.",
         evidence=("ASCO-MALE-2020", "TAILORX", "NCCN-BREAST-2015-BINV6"),
         would_change_if="a recurrence score >= {rs_min}"),
    Rule("systemic.chemotherapy.recommended.high_rs", "recommended", lambda f: _rs(f) & (f["rs"] >= f["rs_min"]),
         reads=(*_LUMINAL_READS, "rs"),
         text="Recurrence score {rs} (>= {rs_min}): chemotherapy ({regimen}) then endocrine therapy (TAILORx: about "
              "13% 9-yr distant recurrence with chemo + ET at RS 26-100).",
         evidence=("TAILORX", "RXPONDER", "ASCO-BIOMARKER-2022"), would_change_if="a recurrence score <= {rs_below}"),
    Rule("systemic.chemotherapy.recommended.premenopausal_n1", "recommended",
         lambda f: _rs(f) & (f["branch"] == "n1") & (f["menopause"] == "pre"), reads=(*_LUMINAL_READS, "rs", "branch",
                                                                                         "menopause"),
         strength="moderate",
         text="Premenopausal, 1-3 macrometastatic nodes, recurrence score {rs}: chemotherapy then endocrine therapy "
              "(RxPONDER premenopausal iDFS HR 0.60); OFS + endocrine therapy is an alternative under discussion, "
              "since part of the benefit may be chemotherapy-induced ovarian suppression.",
         evidence=("RXPONDER", "ASCO-BIOMARKER-2022", "NCCN-BREAST"),
         would_change_if="postmenopausal status (then no chemotherapy at RS <= 25)"),
    Rule("systemic.chemotherapy.insufficient.rs_menopause", INSUFFICIENT_DATA,
         lambda f: _rs(f) & (f["branch"] == "n1") & unknown(f["menopause"]) & negate(f["male"]),
         reads=(*_LUMINAL_READS, "rs", "branch", "menopause", "male"),
         missing={"menopausal_status": "with 1-3 positive nodes and RS {rs} menopausal status decides chemotherapy "
                                       "(RxPONDER)",
                  "sex": _SEX_WHY}),
    Rule("systemic.chemotherapy.not_indicated.postmenopausal_n1", "not_indicated",
         lambda f: _rs(f) & (f["branch"] == "n1"), reads=(*_LUMINAL_READS, "rs", "branch"),
         text="Postmenopausal, 1-3 positive nodes, recurrence score {rs} (<= {postmenopausal_max}): endocrine therapy "
              "alone (RxPONDER: no iDFS benefit from chemotherapy, HR about 1.02).",
         evidence=("RXPONDER", "ASCO-BIOMARKER-2022"),
         would_change_if="a recurrence score >= {rs_min}, or premenopausal status"),
    # pN1mi with RS <= 25: whether the patient is premenopausal or <= 50 decides (discussed, below) even at RS <= 15,
    # where TAILORx alone would give endocrine therapy at any age (RS 16-25: the age is asked by rs_age below).
    Rule("systemic.chemotherapy.insufficient.n1mi_age", INSUFFICIENT_DATA,
         lambda f: _rs(f) & (f["node_status"] == "micro") & unknown(f["younger"])
         & (f["rs"] <= f["younger_endocrine_alone_max"]),
         reads=(*_LUMINAL_READS, "rs", "node_status", "younger"),
         missing={"age": "with pN1mi and recurrence score {rs} the age/menopausal group decides chemotherapy "
                         "(premenopausal or <= 50: discussed, NCCN vs ASCO 2022)"}),
    Rule("systemic.chemotherapy.discuss.premenopausal_n1mi", "discuss",
         lambda f: _rs(f) & (f["node_status"] == "micro") & (f["younger"] == 1) & (f["rs"] <= f["rs_min"] - 1),
         reads=(*_LUMINAL_READS, "rs", "node_status", "younger"), strength="weak",
         text="Premenopausal/age <= {younger_max_age} with pN1mi and recurrence score {rs}: the guidelines diverge. "
              "NCCN groups pN1mi with pN0 (TAILORx: endocrine therapy alone at RS <= 15; chemotherapy or OFS + ET "
              "considered at RS 16-25). Read as node-positive, ASCO 2022 rec 1.6 says the score should not guide "
              "chemotherapy in premenopausal women with 1-3 nodes (RxPONDER premenopausal benefit). Whether RxPONDER "
              "counted micrometastatic nodes is unverified.",
         evidence=("NCCN-BREAST-2015-BINV6", "TAILORX", "ASCO-BIOMARKER-2022", "RXPONDER"),
         would_change_if="postmenopausal and > {younger_max_age} (endocrine therapy alone at RS <= 25), or RS >= "
                         "{rs_min} (recommended)"),
    Rule("systemic.chemotherapy.not_indicated.low_rs", "not_indicated",
         lambda f: _rs(f) & (f["rs"] <= f["younger_endocrine_alone_max"]), reads=(*_LUMINAL_READS, "rs"),
         text="Recurrence score {rs}: endocrine therapy alone; RS <= {younger_endocrine_alone_max}: no chemotherapy "
              "benefit at any age (TAILORx).",
         evidence=_RS_EVIDENCE, would_change_if=_LOW_RS_WCI),
    Rule("systemic.chemotherapy.insufficient.rs_age", INSUFFICIENT_DATA, lambda f: _rs(f) & unknown(f["younger"]),
         reads=(*_LUMINAL_READS, "rs", "younger"),
         missing={"age": "with recurrence score {rs} the age/menopausal group decides chemotherapy (TAILORx)"}),
    Rule("systemic.chemotherapy.discuss.tailorx_younger", "discuss", lambda f: _rs(f) & (f["younger"] == 1),
         reads=(*_LUMINAL_READS, "rs", "younger"), strength="moderate",
         text="Age <= {younger_max_age} or premenopausal, node-negative/pN1mi, recurrence score {rs} (16-25): "
              "chemotherapy then endocrine therapy may be offered, or ovarian suppression + endocrine therapy "
              "(TAILORx exploratory: distant recurrence about 1.6 points lower with chemo at RS 16-20 and 6.5 points "
              "at RS 21-25, perhaps partly from chemotherapy-induced ovarian suppression).",
         evidence=("TAILORX", "ASCO-BIOMARKER-2022", "NCCN-BREAST"),
         would_change_if="RS <= {younger_endocrine_alone_max} (not indicated) or >= {rs_min} (recommended)"),
    Rule("systemic.chemotherapy.not_indicated.low_rs", "not_indicated", _rs, reads=(*_LUMINAL_READS, "rs"),
         text="Recurrence score {rs}: endocrine therapy alone; age > {younger_max_age}/postmenopausal with RS <= "
              "{rs_below} (TAILORx: 9-yr iDFS 83.3% ET vs 84.3% chemo + ET).",
         evidence=_RS_EVIDENCE, would_change_if=_LOW_RS_WCI),
    # The size matters only on the node-negative/pN1mi branch (before surgery: the clinical size).
    Rule("systemic.chemotherapy.insufficient.size", INSUFFICIENT_DATA,
         lambda f: _luminal(f) & (f["branch"] == "n0") & unknown(f["luminal_size_mm"]),
         reads=(*_LUMINAL_READS, "branch", "luminal_size_mm"), missing=_SIZE_MISSING),
    Rule("systemic.chemotherapy.discuss.t1a_n1mi", "discuss",
         lambda f: _luminal(f) & (f["branch"] == "n0") & (f["luminal_size_mm"] <= f["assay_min_size_mm"])
         & (f["node_status"] == "micro"), reads=(*_LUMINAL_READS, "branch", "luminal_size_mm", "node_status"),
         strength="weak",
         text="HR-positive, HER2-negative T1a/T1mi with a nodal micrometastasis: NCCN lists 'endocrine therapy +/- "
              "chemotherapy (category 2B)'; endocrine therapy is the backbone, and a 21-gene assay may inform the "
              "small chemotherapy question.",
         evidence=("NCCN-BREAST", "NCCN-BREAST-2015-BINV6"),
         would_change_if="no nodal micrometastasis (not indicated), or a recurrence score >= {rs_min} (recommended)"),
    Rule("systemic.chemotherapy.not_indicated.t1a", "not_indicated",
         lambda f: _luminal(f) & (f["branch"] == "n0") & (f["luminal_size_mm"] <= f["assay_min_size_mm"]),
         reads=(*_LUMINAL_READS, "branch", "luminal_size_mm"),
         text="HR-positive, HER2-negative T1a/T1mi N0: endocrine therapy alone; no genomic assay.",
         evidence=("NCCN-BREAST", "NCCN-BREAST-2015-BINV6"),
         would_change_if="a tumour > {assay_min_size_mm:g} mm (assay-guided), or a nodal micrometastasis (discuss)"),
    Rule("systemic.chemotherapy.not_indicated.low_clinical_risk", "not_indicated",
         lambda f: _luminal(f) & (f["branch"] == "n0") & unknown(f["mammaprint"]) & (f["low_clinical_risk"] == 1),
         reads=(*_LUMINAL_READS, "branch", "mammaprint", "low_clinical_risk"), strength="moderate",
         text="{low_risk_lead}, HR-positive, HER2-negative and clinically low risk (MINDACT definition) {low_risk_who}: "
              "endocrine therapy alone. A genomic assay is ordered only for candidates for chemotherapy (NCCN; ESMO "
              "2024), and none would be offered here.",
         evidence=("NCCN-BREAST", "ESMO-EBC-2024", "MINDACT"),
         would_change_if="a larger or higher-grade tumour, younger age, or nodal disease (assay-guided)"),
    Rule("systemic.chemotherapy.recommended.premenopausal_n1", "recommended",
         lambda f: _luminal(f) & (f["branch"] == "n1") & (f["menopause"] == "pre"),
         reads=(*_LUMINAL_READS, "branch", "menopause"), strength="moderate",
         text="Premenopausal with 1-3 macrometastatic nodes: chemotherapy ({regimen}) then endocrine therapy; the "
              "recurrence score should not be used to withhold it (ASCO 2022 rec 1.6; RxPONDER premenopausal 5-yr "
              "iDFS 94.2% vs 89.0%). Part of the benefit may be ovarian suppression: OFS + endocrine therapy is an "
              "alternative under discussion.",
         evidence=("RXPONDER", "ASCO-BIOMARKER-2022", "NCCN-BREAST"),
         would_change_if="postmenopausal status (then recurrence-score guided)"),
    Rule("systemic.chemotherapy.not_indicated.mammaprint_low_clinical_risk", "not_indicated",
         lambda f: _luminal(f) & negate(unknown(f["mammaprint"])) & (f["mindact_low"] == 1) & (f["branch"] == "n0")
         & (f["node_status"] != "micro"), reads=(*_LUMINAL_READS, "mammaprint", "mindact_low", "branch", "node_status"),
         strength="moderate",
         text="Node-negative and clinically low risk by the MINDACT definition: women at low clinical risk did not "
              "benefit from chemotherapy whatever the MammaPrint result (MINDACT; ASCO 2017 focused update: the "
              "assay has no clinical utility there): endocrine therapy alone.",
         evidence=("MINDACT", "ASCO-BIOMARKER-2022"),
         would_change_if="high clinical risk (larger or higher-grade tumour, or nodal disease), then MammaPrint-guided"),
    Rule("systemic.chemotherapy.recommended.male_mammaprint_high", "recommended",
         lambda f: _mammaprint(f) & (f["male"] == 1) & (f["mammaprint"] == "high"),
         reads=(*_LUMINAL_READS, "mammaprint", "mindact_low", "male"), strength="moderate",
         text="MammaPrint high risk in a man: chemotherapy ({regimen}) then endocrine therapy. MINDACT enrolled women "
              "only and the ASCO 2020 male breast cancer guideline names the 21-gene score for men: the evidence is "
              "extrapolated.",
         evidence=("ASCO-MALE-2020", "MINDACT", "ASCO-BIOMARKER-2022"), would_change_if="a low genomic risk result"),
    Rule("systemic.chemotherapy.discuss.male_mammaprint_low", "discuss",
         lambda f: _mammaprint(f) & (f["male"] == 1), reads=(*_LUMINAL_READS, "mammaprint", "mindact_low", "male"),
         strength="weak",
         text="MammaPrint {mammaprint} risk in a man at high clinical risk: MINDACT, whose low genomic result allowed "
              "chemotherapy to be omitted, enrolled women only, and the ASCO 2020 male breast cancer guideline names "
              "the 21-gene score (not MammaPrint) for men. Discuss chemotherapy; a 21-gene recurrence score would "
              "inform it.",
         evidence=("ASCO-MALE-2020", "MINDACT", "ASCO-BIOMARKER-2022"),
         would_change_if="a MammaPrint high result (recommended), or a 21-gene recurrence score"),
    Rule("systemic.chemotherapy.recommended.mammaprint_high", "recommended",
         lambda f: _mammaprint(f) & (f["mammaprint"] == "high"), reads=(*_LUMINAL_READS, "mammaprint", "mindact_low"),
         text="MammaPrint high risk: chemotherapy ({regimen}) then endocrine therapy.",
         evidence=("MINDACT", "ASCO-BIOMARKER-2022"), would_change_if="a low genomic risk result"),
    Rule("systemic.chemotherapy.insufficient.mammaprint_age", INSUFFICIENT_DATA,
         lambda f: _mammaprint(f) & unknown(f["younger"]),
         reads=(*_LUMINAL_READS, "mammaprint", "mindact_low", "younger"),
         missing={"age": "with a low MammaPrint result age decides chemotherapy (MINDACT)"}),
    Rule("systemic.chemotherapy.discuss.mammaprint_younger", "discuss",
         lambda f: _mammaprint(f) & (f["younger"] == 1),
         reads=(*_LUMINAL_READS, "mammaprint", "mindact_low", "younger"), strength="weak",
         text="MammaPrint low risk at age <= 50: MINDACT showed about 5 points less distant metastasis with "
              "chemotherapy in high clinical risk women <= 50 (perhaps ovarian suppression); discuss chemotherapy or "
              "OFS + endocrine therapy.",
         evidence=("MINDACT", "ASCO-BIOMARKER-2022"), would_change_if="age > 50 (not indicated)"),
    Rule("systemic.chemotherapy.not_indicated.mammaprint_low", "not_indicated", _mammaprint,
         reads=(*_LUMINAL_READS, "mammaprint", "mindact_low"),
         text="MammaPrint low risk, age > 50: chemotherapy can be omitted (MINDACT: 0.2 points difference at > 50).",
         evidence=("MINDACT", "ASCO-BIOMARKER-2022"), would_change_if="a high genomic risk result, or >= 4 positive nodes"),
    # A man with 1-3 macrometastatic nodes, no usable assay result, whom the patient notes cap at 'discuss' (a
    # vulnerable patient, a failing heart): a score >= 26 would recommend chemotherapy (capped: discussed) and a lower
    # one leaves it to discussion (RxPONDER enrolled women only; ASCO 2020), so the score cannot change the answer
    # and is not asked for.
    Rule("systemic.chemotherapy.discuss.male_n1_capped", "discuss",
         lambda f: _luminal(f) & (f["male"] == 1) & (f["branch"] == "n1") & (f["capped"] == 1),
         reads=(*_LUMINAL_READS, "male", "branch", "capped"), strength="weak",
         text="A man with 1-3 macrometastatic nodes: chemotherapy ({regimen}) is discussed, whatever a 21-gene "
              "recurrence score would show. A score >= {rs_min} would recommend it, but this patient's own factors "
              "(below) limit it to discussion, and a lower score leaves it to discussion in a man (RxPONDER, which "
              "found no benefit at RS <= 25 after the menopause, enrolled women only; the ASCO 2020 male breast "
              "cancer guideline supports the score in node-negative disease). Endocrine therapy (tamoxifen) in any "
              "case.",
         evidence=("ASCO-MALE-2020", "RXPONDER", "ASCO-BIOMARKER-2022"),
         would_change_if="a fit patient whose heart allows anthracyclines (then the recurrence score decides: >= "
                         "{rs_min} recommended)"),
    # The recurrence score is the next step (ASCO 2022; TAILORx, RxPONDER): the assay is advised beside (code).
    Rule(_ASSAY_RID, INSUFFICIENT_DATA,
         lambda f: (f["branch"] == "n1") & unknown(f["menopause"]) & negate(f["male"]),
         reads=("branch", "menopause", "male"),
         missing={"menopausal_status": "with 1-3 positive nodes, premenopausal women benefit from chemotherapy "
                                       "whatever the recurrence score (RxPONDER)",
                  "oncotype_rs": "a 21-gene recurrence score would decide chemotherapy if postmenopausal",
                  "sex": _SEX_WHY}),
    Rule(_ASSAY_RID, INSUFFICIENT_DATA, always, reads=("branch",),
         missing={"oncotype_rs": "a 21-gene recurrence score would decide chemotherapy here ({assay_where})"}),
))

#: The ``say`` items of each rule's rationale (the facts the old branches named), by rule id.
_SAY: dict[str, tuple[str, ...]] = {
    "systemic.chemotherapy.not_indicated.no_invasive": ("t", "n"),
    "systemic.chemotherapy.not_indicated.frail": ("age", "t", "n", "receptors"),
    "systemic.chemotherapy.discuss.after_neoadjuvant_endocrine": ("setting", "t", "n", "receptors", "pcr"),
    "systemic.chemotherapy.not_indicated.after_neoadjuvant": ("setting", "t", "n", "receptors", "pcr"),
    "systemic.chemotherapy.recommended.locally_advanced": ("t", "n", "receptors", "age"),
    "systemic.chemotherapy.discuss.older_vulnerable": _OLDER_SAY,
    "systemic.chemotherapy.not_indicated.older_vulnerable": _OLDER_SAY,
}
_TNBC_OR_HER2 = ("tnbc", "tnbc_small", "tnbc_t1a_n0", "her2_high", "her2_apt", "her2_t1a")
#: The rows after neoadjuvant therapy: with the agents not given, they are asked for whatever the row decides.
_AFTER_NEOADJUVANT = frozenset(i for i, r in enumerate(CHEMOTHERAPY.rules) if "neoadjuvant" in r.rid)
_FIRST_SUBTYPE_RULE = next(i for i, r in enumerate(CHEMOTHERAPY.rules) if r.rid == OPEN_RID)


def _say(rid: str) -> tuple[str, ...]:
    if rid in _SAY:
        return _SAY[rid]
    return _SUBTYPE_SAY if rid.rsplit(".", 1)[1] in _TNBC_OR_HER2 else _LUMINAL_SAY


#: ``_say`` of each rule, by its index in the table.
_SAY_BY_RULE = tuple(_say(rule.rid) for rule in CHEMOTHERAPY.rules)


def _number(value: float | None) -> float:
    return np.nan if value is None else float(value)


def _flag(value: bool | None) -> float:
    """A yes/no/unknown fact as a number (1, 0, NaN)."""
    return np.nan if value is None else float(value)


def _occult(ctx: Context) -> Context:
    """The context the subtype rules read (``_occult_invasion``), derived once per context."""
    # Remembered as None when it is the context itself: a context holding itself in its memo is a reference cycle,
    # which keeps every case's objects alive until the cyclic garbage collector runs.
    occult = ctx.remembered("chemotherapy.occult", _occult_variant)
    return ctx if occult is None else occult


def _occult_variant(ctx: Context) -> Context | None:
    variant = _occult_invasion(ctx)
    return None if variant is ctx else variant


def _agents(ctx: Context) -> str:
    agents = ctx.agents()
    return "none" if not agents else "cytotoxic" if _CYTOTOXIC & set(agents) else "endocrine"


def _open(ctx: Context) -> str | None:
    """Which unknown input the what-if re-runs weigh (None: the rows decide)."""
    occ = _occult(ctx)
    if _operation_open(occ):
        return "operation"
    if occ.subtype is None:
        return "subtype"
    branch = _branch(occ)
    if branch is None:
        return "branch"
    if occ.size_mm is None and branch == "n0" and occ.subtype == "her2_pos" and occ.case.tumour is not None:
        return "her2_size"
    if occ.er_low and occ.subtype == "hr_pos_her2_neg" and occ.findings.pr is None:
        return "er_low_pr"
    if _mindact_open(occ, branch):
        return "mindact"
    return None


def _mindact_open(ctx: Context, branch: Branch) -> bool:
    """MammaPrint given (no recurrence score) for HR+/HER2- disease with 0-3 positive nodes, and the MINDACT clinical
    risk unknown because the grade or the invasive size is not recorded: how MammaPrint is read depends on it (ASCO
    2017: no utility at low clinical risk), so every grade/size the input leaves open is weighed (``_mindact_unknown``).
    Not where a row before the MammaPrint rows decides whatever the clinical risk (T1a N0/N1mi, premenopausal with
    1-3 macrometastatic nodes, an older vulnerable patient), nor before surgery with no size (the clinical size)."""
    case = ctx.case
    if case.mammaprint is None or case.oncotype_rs is not None or case.tumour is None or branch == "n2plus" \
            or ctx.triple_negative_like or ctx.subtype == "her2_pos" or ctx.node_status == "not_staged" \
            or mindact_low_clinical_risk(ctx) is not None:
        return False
    if branch == "n1" and ctx.menopause == "pre" and not ctx.male:
        return False
    size = _luminal_size(ctx)
    if size is None and ctx.setting == "planned":
        return False
    if size is not None and branch == "n0" and size <= rules().chemotherapy.assay_min_size_mm:
        return False
    fit = fitness(ctx)
    return not (fit.level == "vulnerable" and fit.older)


def _mindact_variants(ctx: Context) -> list[Context]:
    """The patient under each grade (1-3) and each invasive size on either side of MINDACT's low-risk limits that
    the input leaves open."""
    t = rules().chemotherapy
    risk = t.mindact_clinical_risk
    tumour = ctx.case.tumour
    assert tumour is not None
    grades: list[int | None] = [None] if ctx.grade is not None else [1, 2, 3]
    sizes: list[float | None] = [None]
    if ctx.size_mm is None:
        limits = {*risk.node_negative_low_max_size_mm_by_grade.values(),
                  *risk.node_positive_low_max_size_mm_by_grade.values(), t.assay_min_size_mm}
        sizes = [*sorted({edge for limit in limits for edge in (float(limit), float(limit) + 1)})]
    variants = []
    for grade in grades:
        for size in sizes:
            update: dict[str, Any] = {}
            if grade is not None:
                update["grade"] = grade
            if size is not None:
                update["size_mm"] = size
            variants.append(ctx.varied(case=ctx.case.model_copy(update={"tumour": tumour.model_copy(update=update)})))
    return variants


def _mindact_unknown(ctx: Context, board: Board, fit: Fitness) -> None:
    """MammaPrint with the MINDACT clinical risk unknown: decided when every open grade/size gives one answer,
    otherwise insufficient_data naming the grade and/or size."""
    why = "sets the MINDACT clinical risk, which decides how the MammaPrint result is read (ASCO 2017: no utility at " \
          "low clinical risk)"
    fields = {}
    if ctx.grade is None:
        fields["tumour.grade"] = f"the grade {why}"
    if ctx.size_mm is None:
        fields["tumour.size_mm"] = f"the invasive tumour size {why}"
    unknown_words = " and ".join(("The grade" if name == "tumour.grade" else "the tumour size") for name in fields)
    decide_if_immaterial(board, KEY, lambda v, b: _full(v, b, fit), _mindact_variants(ctx),
                         unknown=unknown_words[0].upper() + unknown_words[1:], fields=fields)


def _luminal_size(ctx: Context) -> float | None:
    return ctx.size_mm if ctx.setting != "planned" else ctx.clinical_size_mm


def _low_risk(ctx: Context) -> bool:
    size = _luminal_size(ctx)
    return size is not None and _low_clinical_risk(ctx, size)


def mindact_low_clinical_risk(ctx: Context) -> bool | None:
    """MINDACT's low clinical risk (HR+/HER2-): grade and size by nodal group (node-negative, or 1-3 positive nodes
    with micrometastases counted); None when grade, size or the nodal status is not known, False for >= 4 nodes."""
    t = rules().chemotherapy.mindact_clinical_risk
    size, grade, status = _luminal_size(ctx), ctx.grade, ctx.node_status
    if size is None or grade is None or status is None or status == "not_staged":
        return None
    if _branch(ctx) == "n2plus":
        return False
    limits = t.node_negative_low_max_size_mm_by_grade if status in ("negative", "itc", "molecular") \
        else t.node_positive_low_max_size_mm_by_grade
    limit = limits.get(str(grade))
    return limit is not None and size <= limit


#: How each fact of the table is derived (the gates from the patient's own context, the subtype rows from the one
#: with an occult invasive focus read as microscopic).
_FACTS: dict[str, Callable[[Context], Any]] = {
    "no_invasive": no_invasive_disease,
    "frail": lambda c: fitness(c).level == "frail",
    "setting": lambda c: c.setting,
    "agents": _agents,
    "subtype": lambda c: c.subtype,
    "t4": lambda c: c.t_group == "T4",
    "inflammatory": lambda c: c.case.tumour is not None and c.case.tumour.t_extension == "inflammatory",
    "open": _open,
    "tnbc_like": lambda c: _occult(c).triple_negative_like,
    "branch": lambda c: _branch(_occult(c)),
    "size_mm": lambda c: _number(_occult(c).size_mm),
    "luminal_size_mm": lambda c: _number(_luminal_size(_occult(c))),
    "node_status": lambda c: c.node_status,
    "avoid_anthracycline": lambda c: bool(heart(c).avoid_anthracycline),
    "older_vulnerable": lambda c: fitness(c).level == "vulnerable" and fitness(c).older,
    "genomic_high": lambda c: _flag(c.genomic_high),
    "rs": lambda c: _number(c.case.oncotype_rs),
    "mammaprint": lambda c: c.case.mammaprint,
    "menopause": lambda c: c.menopause,
    "male": lambda c: c.male,
    "younger": lambda c: _flag(c.younger),
    "low_clinical_risk": lambda c: _low_risk(_occult(c)),
    "mindact_low": lambda c: _flag(mindact_low_clinical_risk(_occult(c))),
    "capped": lambda c: _capped(c, fitness(c)),
}


@cache  # a pure function of the rule set
def _thresholds() -> dict[str, float]:
    t = rules().chemotherapy
    rs = t.recurrence_score
    return {"t1a_max_mm": float(t.t1a_max_mm), "t1b_max_mm": float(t.t1b_max_mm), "t1c_max_mm": float(t.t1c_max_mm),
            "assay_min_size_mm": float(t.assay_min_size_mm), "rs_min": float(rs.chemotherapy_min),
            "younger_endocrine_alone_max": float(rs.younger_endocrine_alone_max)}


def chemotherapy_facts(ctx: Context) -> Derived:
    """The facts the chemotherapy table reads, for one patient (each derived when first read), thresholds included."""
    return Derived(ctx, _FACTS, _thresholds())


def chemotherapy_columns(contexts: Sequence[Context]) -> dict[str, Any]:
    """The same facts for a batch of patients, one numpy column per fact (the thresholds stay numbers)."""
    return stack([chemotherapy_facts(ctx).complete() for ctx in contexts], constants=_thresholds())


class _Subject(NamedTuple):
    ctx: Context  # the context the rule's rationale names
    facts: Facts
    fit: Fitness


def _er_low(s: _Subject) -> str:
    return (" ER-low (1-10%) HER2-negative disease is treated on the triple-negative pathway (it often behaves like "
            "triple-negative disease)." if s.ctx.er_low else "")


def _low_risk_who(s: _Subject) -> str:
    older = rules().chemotherapy.no_assay_low_clinical_risk.older_min_age
    return f"at age {older} or over" if (s.ctx.age or 0) >= older else "grade 1 T1b"


#: The parameters of the texts, derived for the matched rule of one patient when its text reads them.
_PARAMETERS: dict[str, Callable[[_Subject], Any]] = {
    "fit_words": lambda s: s.fit.words,
    "age": lambda s: s.ctx.age,
    "regimen": lambda s: _regimen(s.ctx),
    "avoid": lambda s: ", ".join(heart(s.ctx).avoid_anthracycline),
    "er_low": _er_low,
    "small": lambda s: "T1b" if (s.ctx.size_mm or 0) > rules().chemotherapy.t1a_max_mm else "T1a/T1mi",
    "n_word": lambda s: "N1mi" if s.ctx.node_status == "micro" else "N0",
    "neoadjuvant_or_adjuvant": lambda s: "Neoadjuvant" if s.ctx.setting == "planned" else "Adjuvant",
    "older_why": lambda s: "four or more positive nodes" if s.facts["branch"] == "n2plus" else "a high genomic risk",
    "rs": lambda s: s.ctx.case.oncotype_rs,
    "mammaprint": lambda s: s.ctx.case.mammaprint,
    "low_risk_lead": lambda s: ("Clinically node-negative with the sentinel biopsy omitted"
                                if s.ctx.node_status == "not_staged" else "Node-negative"),
    "low_risk_who": _low_risk_who,
    "assay_where": lambda s: _assay_where(s.facts["branch"], s.ctx.male),
    "t1a_max_mm": lambda s: rules().chemotherapy.t1a_max_mm,
    "t1b_max_mm": lambda s: rules().chemotherapy.t1b_max_mm,
    "t1c_max_mm": lambda s: rules().chemotherapy.t1c_max_mm,
    "assay_min_size_mm": lambda s: rules().chemotherapy.assay_min_size_mm,
    "rs_min": lambda s: rules().chemotherapy.recurrence_score.chemotherapy_min,
    "rs_below": lambda s: rules().chemotherapy.recurrence_score.chemotherapy_min - 1,
    "younger_max_age": lambda s: rules().chemotherapy.recurrence_score.younger_max_age,
    "younger_endocrine_alone_max": lambda s: rules().chemotherapy.recurrence_score.younger_endocrine_alone_max,
    "postmenopausal_max": lambda s: rules().chemotherapy.recurrence_score.node_positive_postmenopausal_endocrine_alone_max,
    "frail_ecog_max": lambda s: rules().safety.fitness.frail_min_ecog - 1,
    "frail_cfs": lambda s: rules().safety.fitness.frail_min_clinical_frailty_scale,
    "min_life_expectancy": lambda s: rules().safety.fitness.min_life_expectancy_years,
    "vulnerable_cfs": lambda s: rules().safety.fitness.vulnerable_min_clinical_frailty_scale,
}


def _assay_where(branch: str | None, male: bool = False) -> str:
    if branch == "n0":
        return "node-negative or pN1mi (NCCN 'pN0 or pN1mi' branch; TAILORx" + ("; ASCO 2020 for men)" if male else ")")
    return ("a man with 1-3 positive nodes (RS >= 26: chemotherapy; a lower score leaves it to discussion, since "
            "RxPONDER enrolled women only; ASCO 2020)" if male else "postmenopausal with 1-3 positive nodes (RxPONDER)")


def _render(index: int, ctx: Context, facts: Facts, board: Board, fit: Fitness) -> None:
    """Record the matched rule for one patient (with the assay advice beside the rule that asks for it)."""
    rule = CHEMOTHERAPY.rules[index]
    say = _SAY_BY_RULE[index]
    # Built only when a template of the rule (or the assay advice) reads them: on a board that does not explain, one
    # of the inputs it names as missing.
    reads = (rule.reads_parameters or rule.rid == _ASSAY_RID) if board.explains else rule.values_read_parameters
    parameters = Derived(_Subject(ctx, facts, fit), _PARAMETERS, {}) if reads else {}
    render(rule, ctx, board, say=say, evidence=[], parameters=parameters, known_inputs=() if ctx.sex is None else
           _SEX)
    if rule.rid == _ASSAY_RID and board.explains:  # advice is words: none on a what-if board
        where = parameters["assay_where"]
        board.advise(
            "diagnostics.genomic_assay.order", "order", strength="strong",
            text="Order a 21-gene recurrence score (Oncotype DX; it can be done on the core biopsy before surgery): in "
                 f"{where} it decides chemotherapy. Another validated assay (e.g. MammaPrint) is acceptable.",
            rationale=ctx.say(*say), evidence=["ASCO-BIOMARKER-2022", "TAILORX", "RXPONDER", "NCCN-BREAST"],
            would_change_if="T1a N0 (no assay), >= 4 positive nodes (chemotherapy without assay)"
                            + ("" if ctx.male else ", or premenopausal with 1-3 macrometastatic nodes"))


def _decide(ctx: Context, board: Board, fit: Fitness) -> bool | None:
    """Record the decision; True when the patient notes are already in it (an unknown input was immaterial)."""
    facts = chemotherapy_facts(ctx)
    index = CHEMOTHERAPY.first(facts)
    rid = CHEMOTHERAPY.rules[index].rid
    if rid == OPEN_RID:
        occ = _occult(ctx)
        what = facts["open"]
        if what == "subtype":
            _subtype_unknown(occ, board, fit)
        elif what == "branch":
            _branch_unknown(occ, board, fit)
        elif what == "er_low_pr":
            _er_low_pr_unknown(occ, board, fit)
        elif what == "mindact":
            _mindact_unknown(occ, board, fit)
        elif what == "operation":
            _operation_unknown(occ, board, fit)
        else:
            _her2_size_unknown(occ, board, fit)
        return True
    if index in _AFTER_NEOADJUVANT and facts["agents"] == "none":
        board.need("neoadjuvant_therapy.agents", "the neoadjuvant agents decide which post-neoadjuvant therapy applies")
    _render(index, ctx if index < _FIRST_SUBTYPE_RULE else _occult(ctx), facts, board, fit)
    return None


def _by_subtype(ctx: Context, board: Board, branch: Branch, fit: Fitness) -> None:
    """The subtype rows for a given nodal branch (the what-if re-runs of an unknown nodal category)."""
    facts = chemotherapy_facts(ctx)
    facts["branch"], facts["open"] = branch, None
    index = CHEMOTHERAPY.first(facts)
    _render(index, ctx, facts, board, fit)


def noted_value(ctx: Context, value: str | None) -> str | None:
    """The value after the patient notes (``_patient_notes``): a vulnerable patient, or a heart that forbids
    anthracyclines with severe dysfunction or heart failure, turn a recommended chemotherapy into 'discuss'."""
    if value not in ("recommended", "discuss"):
        return value
    return "discuss" if _capped(ctx, fitness(ctx)) else value


def _capped(ctx: Context, fit: Fitness) -> bool:
    """Whether the patient notes cap chemotherapy at 'discuss': a vulnerable patient, or a heart that forbids
    anthracyclines with severe dysfunction or heart failure."""
    if fit.level == "vulnerable":
        return True
    h = heart(ctx)
    return bool(h.avoid_anthracycline) and (h.severe or h.heart_failure)


def chemotherapy_decide(contexts: Sequence[Context]) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    """The decision and rule id of every patient as ``chemotherapy`` ends it: the table over columns; the what-if
    re-runs per patient where an input is open (the one-case code); the patient notes' cap at 'discuss'."""
    matched = CHEMOTHERAPY.match(chemotherapy_columns(contexts)) if contexts else np.array([], dtype=np.intp)
    decisions = np.array([r.decision for r in CHEMOTHERAPY.rules] + [None], dtype=object)
    ids = np.array([r.rid if r.decision != INSUFFICIENT_DATA else None for r in CHEMOTHERAPY.rules] + [None],
                   dtype=object)
    values, rids = decisions[matched], ids[matched]
    open_index = _FIRST_SUBTYPE_RULE
    for i, index in enumerate(matched.tolist()):
        ctx = contexts[i]
        if index == open_index:
            scratch = Board(explains=False)  # the value and rule id only
            chemotherapy(ctx, scratch)
            rid = scratch.rule_id(KEY)
            values[i] = scratch.decisions[KEY]
            rids[i] = rid if rid is not None and values[i] != INSUFFICIENT_DATA else None
        elif values[i] in ("recommended", "discuss"):
            values[i] = noted_value(ctx, values[i])
    return values, rids
