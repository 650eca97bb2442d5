# chemotherapy.py frozen verbatim as it was at commit db6d300 (the base of branch chemo-table: loose-ends 2e13319
# merged with main), before the decision became a table: the oracle of test_chemotherapy_table.py. Not edited, but
# for the clinical amendments marked "amended (systemic audit)": MINDACT clinical risk gates MammaPrint (ASCO 2017
# focused update) and disagreeing assays are discussed (chemotherapy.json, mindact_clinical_risk); and those marked
# "amended (missing-material)": an unknown PR with ER-low disease, or an open age group at pN1mi RS <= 15, is asked;
# and those marked "amended (patient audit 2026-12-01)": men are read by the ASCO 2020 male breast cancer guideline
# (the assay trials enrolled women: never strong, never by menopause or the age <= 50 rule); and "amended
# (chemo-corners)": a man with 1-3 nodes capped at 'discuss' is not asked for a score that cannot change it, and
# in situ carcinoma only with a nodal metastasis and the breast operation unknown asks the operation, not the size.
# ruff: noqa
# mypy: ignore-errors
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

import dataclasses
from typing import Literal

from micromets.guidelines._context import Board, Context
from micromets.guidelines.chemotherapy import mindact_low_clinical_risk  # amended (systemic audit)
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
from micromets.model import INSUFFICIENT_DATA, Surgery

Branch = Literal["n0", "n1", "n2plus"]
KEY = "chemotherapy"
UPFRONT_REGIMEN = ("anthracycline-taxane (e.g. dose-dense AC/EC then weekly paclitaxel) or, for lower risk, "
                   "docetaxel-cyclophosphamide (TC x4-6)")
FITNESS_EVIDENCE = ["ASCO-GERIATRIC-2018", "ASCO-GERIATRIC-2023", "SIOG-EUSOMA-2021"]


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
        return "n1" if ctx.facts()["clinical_n"] == "N1" else "n2plus"
    return "n2plus" if positive >= rules().chemotherapy.chemo_without_assay_min_positive_nodes else "n1"


def chemotherapy(ctx: Context, board: Board) -> None:
    """Chemotherapy decision for one patient (see the module docstring)."""
    fit = fitness(ctx)
    if not _decide(ctx, board, fit):
        _patient_notes(ctx, board, fit)
    if fit.level != "frail" and ctx.t_group != "T4" and ctx.node_status == "micro" and _occult_invasion(ctx) is not ctx:
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
    return dataclasses.replace(ctx, case=ctx.case.model_copy(update={
        "tumour": tumour.model_copy(update={"size_mm": 0.0})}))


def _operation_open(ctx: Context) -> bool:
    """amended (chemo-corners). In situ carcinoma only in the breast with a nodal metastasis, no invasive size, before any neoadjuvant therapy,
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
    outcomes = []
    for variant in variants:
        scratch = board.what_if()  # values, rule ids and missing inputs
        _full(variant, scratch, fit)
        outcomes.append(scratch)
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


def _full(ctx: Context, board: Board, fit: Fitness) -> None:
    """The decision with its patient notes (for comparing what an unknown input would change)."""
    if not _decide(ctx, board, fit):
        _patient_notes(ctx, board, fit)


def _decide(ctx: Context, board: Board, fit: Fitness) -> bool | None:
    """Record the decision; True when the patient notes are already in it (an unknown input was immaterial)."""
    if no_invasive_disease(ctx):
        board.decide(KEY, "not_indicated", rid="systemic.chemotherapy.not_indicated.no_invasive",
                     strength="strong", text="No invasive carcinoma: no chemotherapy.",
                     rationale=ctx.say("t", "n"), evidence=["NCCN-BREAST"], would_change_if="invasive carcinoma")
        return None
    if fit.level == "frail":
        f = rules().safety.fitness
        board.decide(
            KEY, "not_indicated", rid="systemic.chemotherapy.not_indicated.frail", strength="moderate",
            text=f"Chemotherapy is not offered: {fit.words}. This is outside trial evidence (the adjuvant chemotherapy "
                 "trials enrolled fit patients, ECOG 0-1) and competing mortality outweighs a benefit that accrues "
                 "over 5-10 years; no genomic assay is ordered. Decide on geriatric assessment, life expectancy and "
                 "the patient's preference, not age alone (SIOG/EUSOMA 2021).",
            rationale=f"{fit.words}; {ctx.say('age', 't', 'n', 'receptors')}", evidence=FITNESS_EVIDENCE,
            would_change_if=f"ECOG <= {f.frail_min_ecog - 1}, Clinical Frailty Scale < "
                            f"{f.frail_min_clinical_frailty_scale} and a life expectancy of >= "
                            f"{f.min_life_expectancy_years:g} years (then judged on the tumour)")
        return None
    if ctx.setting == "post_neoadjuvant":
        _after_neoadjuvant(ctx, board)
        return None
    if ctx.t_group == "T4":
        _locally_advanced(ctx, board)
        return None
    if _operation_open(ctx):  # amended (chemo-corners): the breast operation, not the size, is asked for
        _operation_unknown(ctx, board, fit)
        return True
    ctx = _occult_invasion(ctx)
    if ctx.subtype is None:
        _subtype_unknown(ctx, board, fit)
        return True
    branch = _branch(ctx)
    if branch is None:
        _branch_unknown(ctx, board, fit)
        return True
    if ctx.size_mm is None and branch == "n0" and ctx.subtype == "her2_pos":
        _her2_size_unknown(ctx, board, fit)
        return True
    # amended (missing-material): ER-low HER2-negative disease with PR not given is not read as PR-negative.
    if ctx.er_low and ctx.subtype == "hr_pos_her2_neg" and ctx.findings.pr is None:
        _er_low_pr_unknown(ctx, board, fit)
        return True
    if _mindact_open(ctx, branch, fit):  # amended (patient audit 2026-12-01): MINDACT clinical risk unknown
        _mindact_unknown(ctx, board, fit)
        return True
    _by_subtype(ctx, board, branch, fit)
    return None


def _er_low_pr_unknown(ctx: Context, board: Board, fit: Fitness) -> None:
    """amended (missing-material): PR-negative goes the triple-negative way, PR-positive the luminal one; PR is
    asked only when the two answers differ (else the PR-negative answer, with a note)."""
    why = ("with ER-low (1-10%) HER2-negative disease the PR decides between the triple-negative and the luminal "
           "chemotherapy pathway")
    variants = [ctx.varied(findings=ctx.findings.model_copy(update={"pr": pr})) for pr in ("negative", "positive")]
    outcomes = []
    for variant in variants:
        scratch = board.what_if()
        _full(variant, scratch, fit)
        outcomes.append(scratch)
    values = {gated_value(v, KEY, o.decisions.get(KEY)) for v, o in zip(variants, outcomes)}
    first = outcomes[0].rule(KEY)
    if len(values) > 1 or INSUFFICIENT_DATA in values or first is None:
        needed = {"tumour.pr_percent": why}
        for outcome in outcomes:
            needed.update({m.field: m.why for m in outcome.missing if KEY in m.decisions and m.field not in needed})
        return board.unknown(KEY, needed)
    if not board.explains:
        return board.settle(KEY, first[1], first[0])
    scratch = board.explained_copy(recommendations=False)
    _full(variants[0], scratch, fit)
    rec = scratch.recommendation(KEY)
    board.decide(KEY, rec.decision, rid=rec.id, strength=rec.strength,
                 text=f"{rec.text} (PR not given: the decision is the same whether it is positive or negative.)",
                 rationale=rec.rationale, evidence=rec.evidence, would_change_if=rec.would_change_if)


def _her2_size_unknown(ctx: Context, board: Board, fit: Fitness) -> None:
    """HER2-positive without nodal macrometastasis, size unknown: T1a is 'discuss', larger tumours 'recommended'
    (APT; NCCN). When the patient caps every answer at 'discuss' (a vulnerable patient, a failing heart) or a
    gate decides, the size changes only the regimen: decided, not insufficient_data."""
    t = rules().chemotherapy
    tumour = ctx.case.tumour
    if tumour is None:
        return _size_unknown(board)
    variants = [dataclasses.replace(ctx, case=ctx.case.model_copy(update={
        "tumour": tumour.model_copy(update={"size_mm": size})})) for size in (t.t1c_max_mm, t.t1c_max_mm + 1,
                                                                              t.t1a_max_mm)]
    decide_if_immaterial(board, KEY, lambda v, b: _full(v, b, fit), variants, unknown="The tumour size",
                         fields={"tumour.size_mm": "the invasive tumour size decides chemotherapy here"})


def _mindact_open(ctx: Context, branch: Branch, fit: Fitness) -> bool:
    """amended (patient audit 2026-12-01): MammaPrint without a recurrence score, HR+/HER2-, 0-3 nodes, and the grade
    or size that sets the MINDACT clinical risk unknown - unless a row before MammaPrint decides anyway."""
    case, t = ctx.case, rules().chemotherapy
    if case.mammaprint is None or case.oncotype_rs is not None or case.tumour is None or branch == "n2plus" \
            or ctx.triple_negative_like or ctx.subtype == "her2_pos" or ctx.node_status == "not_staged" \
            or (fit.level == "vulnerable" and fit.older) or (branch == "n1" and ctx.menopause == "pre" and not ctx.male):
        return False
    size = ctx.size_mm if ctx.setting != "planned" else ctx.clinical_size_mm
    if ctx.grade is not None and size is not None:
        return False
    if size is None:
        return ctx.setting != "planned"
    return not (branch == "n0" and size <= t.assay_min_size_mm)  # T1a N0/N1mi decides whatever the grade


def _mindact_unknown(ctx: Context, board: Board, fit: Fitness) -> None:
    """amended (patient audit 2026-12-01): every grade (1-3) and every size on either side of MINDACT's low-risk
    limits that the input leaves open; one answer decides, otherwise the grade/size are named."""
    t = rules().chemotherapy
    risk = t.mindact_clinical_risk
    tumour = ctx.case.tumour
    grades = [ctx.grade] if ctx.grade is not None else [1, 2, 3]
    if ctx.size_mm is not None:
        sizes = [ctx.size_mm]
    else:
        limits = [*risk.node_negative_low_max_size_mm_by_grade.values(),
                  *risk.node_positive_low_max_size_mm_by_grade.values(), t.assay_min_size_mm]
        sizes = sorted({float(x) for limit in limits for x in (limit, limit + 1)})
    variants = [dataclasses.replace(ctx, case=ctx.case.model_copy(update={
        "tumour": tumour.model_copy(update={"grade": grade, "size_mm": size})})) for grade in grades for size in sizes]
    why = ("sets the MINDACT clinical risk, which decides how the MammaPrint result is read (ASCO 2017: no utility "
           "at low clinical risk)")
    fields = {}
    if ctx.grade is None:
        fields["tumour.grade"] = f"the grade {why}"
    if ctx.size_mm is None:
        fields["tumour.size_mm"] = f"the invasive tumour size {why}"
    unknown = {1: {"tumour.grade": "The grade", "tumour.size_mm": "The tumour size"}[next(iter(fields))],
               2: "The grade and the tumour size"}[len(fields)]
    decide_if_immaterial(board, KEY, lambda v, b: _full(v, b, fit), variants, unknown=unknown, fields=fields)


def _locally_advanced(ctx: Context, board: Board) -> None:
    """T4 (chest wall, skin, inflammatory) is locally advanced whatever its size: systemic therapy first."""
    extension = ctx.case.tumour.t_extension if ctx.case.tumour else None
    inflammatory = extension == "inflammatory"
    board.decide(
        KEY, "recommended", rid="systemic.chemotherapy.recommended.locally_advanced", strength="strong",
        text=("Inflammatory breast cancer (T4d): anthracycline-taxane chemotherapy first (with HER2-directed therapy "
              "if HER2-positive), then mastectomy with axillary dissection and post-mastectomy RT." if inflammatory
              else "T4 (direct extension to the chest wall or skin): locally advanced whatever the size; preoperative "
                   f"systemic therapy ({UPFRONT_REGIMEN}; with HER2-directed therapy if HER2-positive). For an older "
                   "HR-positive, HER2-negative patient, primary endocrine therapy is the alternative to discuss."),
        rationale=ctx.say("t", "n", "receptors", "age"), evidence=["NCCN-BREAST", "ESMO-EBC-2024"],
        would_change_if="no chest-wall or skin involvement on review (then by size, nodes and subtype)")


def _by_subtype(ctx: Context, board: Board, branch: Branch, fit: Fitness) -> None:
    if ctx.triple_negative_like:
        return _triple_negative(ctx, board, branch)
    if ctx.subtype == "her2_pos":
        return _her2_positive(ctx, board, branch)
    if fit.level == "vulnerable" and fit.older:
        return _luminal_older_vulnerable(ctx, board, branch, fit)
    return _luminal(ctx, board, branch)


def _branch_unknown(ctx: Context, board: Board, fit: Fitness) -> None:
    """Nodal category unknown: insufficient only if it would change the decision (not merely the regimen)."""
    field = ctx.node_status_field
    why = "the nodal category (pN0/pN1mi vs 1-3 vs >= 4 positive nodes) decides the chemotherapy branch"
    outcomes = []
    for branch in ("n0", "n1", "n2plus"):
        scratch = Board(decisions=dict(board.decisions))
        _by_subtype(ctx, scratch, branch, fit)
        _patient_notes(ctx, scratch, fit)
        outcomes.append(scratch)
    values = {gated_value(ctx, KEY, o.decisions[KEY]) for o in outcomes}
    rec = outcomes[0].recommendation(KEY)
    if len(values) > 1 or "insufficient_data" in values or rec is None:
        return board.unknown(KEY, {field: why})
    board.need(field, "the nodal category chooses the chemotherapy regimen (the decision is the same either way)")
    board.decide(KEY, rec.decision, rid=rec.id, strength=rec.strength,
                 text=f"{rec.text} (Nodal status not given: the decision is the same whatever it is; with nodal "
                      "macrometastases the regimen is the fuller one.)",
                 rationale=rec.rationale, evidence=rec.evidence, would_change_if=rec.would_change_if)


def _luminal_older_vulnerable(ctx: Context, board: Board, branch: Branch, fit: Fitness) -> None:
    """Age >= 70 and vulnerable, HR+/HER2-: chemotherapy adds little and the assay trials enrolled fit patients."""
    f = rules().safety.fitness
    facts = f"{fit.words}; " + ctx.say("age", "t", "n", "grade", "receptors", "rs")
    if branch == "n2plus" or ctx.genomic_high:
        why = "four or more positive nodes" if branch == "n2plus" else "a high genomic risk"
        return board.decide(
            KEY, "discuss", rid="systemic.chemotherapy.discuss.older_vulnerable", strength="weak",
            text=f"HR-positive disease with {why}, but age {ctx.age:g} and {fit.words}: chemotherapy is outside trial "
                 "evidence for this patient; discuss after a geriatric assessment (toxicity by CARG/CRASH), a less "
                 f"intensive regimen if any ({_regimen(ctx)}); endocrine therapy is the backbone.",
            rationale=facts, evidence=[*FITNESS_EVIDENCE, "EBCTCG-CHEMO-2012"],
            would_change_if="a fit patient (then recommended), or frailty (not offered)")
    board.decide(
        KEY, "not_indicated", rid="systemic.chemotherapy.not_indicated.older_vulnerable", strength="moderate",
        text=f"HR-positive, HER2-negative disease at age {ctx.age:g} with {fit.words}: chemotherapy would not be "
             "offered (its gain is small and assay-guided, and RxPONDER required eligibility for anthracycline or "
             "taxane chemotherapy, TAILORx enrolled women up to 75): endocrine therapy alone; no genomic assay is "
             "ordered because its result would not change this.",
        rationale=facts, evidence=[*FITNESS_EVIDENCE, "RXPONDER-ELIGIBILITY", "TAILORX-ELIGIBILITY"],
        would_change_if=f"a fit patient (no ECOG >= 2, CFS >= {f.vulnerable_min_clinical_frailty_scale}, abnormal G8, "
                        "Charlson >= 3 or heart failure), four or more positive nodes, or a known high genomic risk")


def _patient_notes(ctx: Context, board: Board, fit: Fitness) -> None:
    """Vulnerable patients: at most discuss; the heart and pre-existing neuropathy shape the regimen."""
    value = board.decisions.get(KEY)
    if value not in ("recommended", "discuss"):
        return
    if fit.level == "vulnerable":
        board.amend(KEY, value="discuss", strength="weak", extra_evidence=tuple(FITNESS_EVIDENCE),
                    note=f"Patient: {fit.words} - outside trial evidence (the trials enrolled ECOG 0-1); discuss after a "
                         "geriatric assessment, with a less intensive regimen if given.")
    elif board.explains:  # amended (patient audit 2026-12-01): older than the assay's trial -> not strong, GA named
        rec = board.recommendation(KEY)
        limits = rules().chemotherapy.assay_trials_max_age
        trial = {"high_rs": ("TAILORx", limits.recurrence_score, "TAILORX-ELIGIBILITY"),
                 "male_high_rs": ("TAILORx", limits.recurrence_score, "TAILORX-ELIGIBILITY"),
                 "mammaprint_high": ("MINDACT", limits.mammaprint, "MINDACT"),
                 "male_mammaprint_high": ("MINDACT", limits.mammaprint, "MINDACT")}.get(
            rec.id.removeprefix("systemic.chemotherapy.recommended.") if rec is not None and
            rec.id.startswith("systemic.chemotherapy.recommended.") else "")
        if trial is not None and ctx.age is not None and ctx.age > trial[1]:
            board.amend(KEY, strength="moderate", extra_evidence=(trial[2], "ASCO-GERIATRIC-2018"),
                        note=f"Age {ctx.age:g}: older than {trial[0]} enrolled (up to {trial[1]:g}), so this is outside "
                             "the trial's evidence; decide after a geriatric assessment (ASCO geriatric oncology 2018: "
                             "function, comorbidity, falls, depression, cognition, nutrition; toxicity by CARG or "
                             "CRASH) and the non-cancer life expectancy.")
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


def _subtype_unknown(ctx: Context, board: Board, fit: Fitness) -> None:
    fields = receptor_fields(ctx, "the receptor subtype decides the chemotherapy pathway")
    if ctx.node_status is None:
        # Nodes unknown too: when at every nodal status the receptors give one answer, only the nodes are asked
        # for (e.g. T0: cN0 -> none, cN1mi -> discuss, cN1 -> recommended, whatever the subtype).
        rows = [[dataclasses.replace(variant, node_status=status) for variant in subtype_variants(ctx)]
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


def _triple_negative(ctx: Context, board: Board, branch: Branch) -> None:
    t = rules().chemotherapy
    size = ctx.size_mm
    er_low = (" ER-low (1-10%) HER2-negative disease is treated on the triple-negative pathway (it often behaves "
              "like triple-negative disease)." if ctx.er_low else "")
    facts = ctx.say("setting", "t", "n", "receptors")
    evidence = ["NCCN-BREAST", "EBCTCG-CHEMO-2012", "ESMO-EBC-2024"]
    if branch != "n0" or (size is not None and size > t.t1c_max_mm and ctx.setting == "planned"):
        return _tnbc_recommended(ctx, board, facts, evidence, er_low)
    if size is None:
        return _size_unknown(board)
    if size > t.t1b_max_mm:
        return _tnbc_recommended(ctx, board, facts, evidence, er_low)
    if size > t.t1a_max_mm or ctx.node_status == "micro":
        small = "T1b" if size > t.t1a_max_mm else "T1a/T1mi"
        return board.decide(
            KEY, "discuss", rid="systemic.chemotherapy.discuss.tnbc_small", strength="weak",
            text=f"Triple-negative {small} {'N1mi' if ctx.node_status == 'micro' else 'N0'}: chemotherapy is a "
                 "'consider' (NCCN): the absolute benefit is small and uncertain; weigh age and comorbidity. If given, "
                 "e.g. TC x4 or anthracycline-taxane." + er_low,
            rationale=facts, evidence=evidence,
            would_change_if=f"tumour > {t.t1b_max_mm:g} mm (T1c) or a macrometastatic node (recommended); "
                            f"T1a N0 (not indicated)")
    board.decide(KEY, "not_indicated", rid="systemic.chemotherapy.not_indicated.tnbc_t1a_n0", strength="moderate",
                 text="Triple-negative T1a/T1mi N0: no adjuvant chemotherapy." + er_low, rationale=facts,
                 evidence=evidence,
                 would_change_if=f"tumour > {t.t1a_max_mm:g} mm or nodal micrometastasis (discuss); macrometastasis")


def _tnbc_recommended(ctx: Context, board: Board, facts: str, evidence: list[str], er_low: str) -> None:
    if ctx.setting == "planned" and heart(ctx).avoid_anthracycline:
        text = (f"Neoadjuvant chemotherapy without anthracycline ({', '.join(heart(ctx).avoid_anthracycline)}): "
                "paclitaxel-carboplatin (the AC/EC part of KEYNOTE-522 is left out, so outside that trial's evidence), "
                "with cardio-oncology review. Residual disease then guides capecitabine/olaparib.")
        evidence = [*evidence, "KEYNOTE-522", "ARMENIAN-2017"]
    elif ctx.setting == "planned":
        text = ("Neoadjuvant chemotherapy: for cT1c N1-2 or cT2-4 the KEYNOTE-522 regimen (paclitaxel-carboplatin "
                "then AC/EC, with pembrolizumab, continued to 1 year); for cT1c N0, neoadjuvant or adjuvant "
                "anthracycline-taxane. Residual disease then guides capecitabine/olaparib.")
        evidence = [*evidence, "KEYNOTE-522"]
    else:
        text = f"Adjuvant chemotherapy: {_regimen(ctx)}; platinum in selected (e.g. gBRCA) patients."
    board.decide(KEY, "recommended", rid="systemic.chemotherapy.recommended.tnbc", strength="strong", text=text + er_low,
                 rationale=facts, evidence=evidence,
                 would_change_if="a T1b (discuss) or T1a (not indicated) tumour without nodal macrometastasis")


def _her2_positive(ctx: Context, board: Board, branch: Branch) -> None:
    t = rules().chemotherapy
    size = ctx.size_mm
    facts = ctx.say("setting", "t", "n", "receptors")
    large = size is not None and size > t.t1c_max_mm
    if branch != "n0" or large:
        if heart(ctx).avoid_anthracycline:
            text = (f"{'Neoadjuvant' if ctx.setting == 'planned' else 'Adjuvant'} chemotherapy without anthracycline "
                    f"({', '.join(heart(ctx).avoid_anthracycline)}): docetaxel-carboplatin (TCH/TCHP backbone) or weekly "
                    "paclitaxel; trastuzumab/pertuzumab only as the HER2-therapy decision allows; cardio-oncology "
                    "review.")
        elif ctx.setting == "planned":
            text = ("Neoadjuvant chemotherapy with trastuzumab + pertuzumab (e.g. TCHP x6, or taxane-based THP with "
                    "anthracycline); HER2 therapy to 1 year; T-DM1 if residual invasive disease (KATHERINE).")
        else:
            text = ("Adjuvant chemotherapy with trastuzumab (AC/EC then paclitaxel + trastuzumab, or TCH/TCHP); "
                    "add pertuzumab for node-positive (macrometastatic) disease (APHINITY).")
        return board.decide(KEY, "recommended", rid="systemic.chemotherapy.recommended.her2_high", strength="strong",
                            text=text, rationale=facts, evidence=["NCCN-BREAST", "APHINITY", "KATHERINE", "ESMO-EBC-2024"],
                            would_change_if=f"a tumour <= {t.t1c_max_mm:g} mm without nodal macrometastasis (APT "
                                            "de-escalation)")
    if size is None:
        return _size_unknown(board)
    if size > t.t1a_max_mm:
        return board.decide(
            KEY, "recommended", rid="systemic.chemotherapy.recommended.her2_apt", strength="strong",
            text="Weekly paclitaxel 80 mg/m2 x12 with trastuzumab, trastuzumab to complete 1 year (APT: node-negative "
                 "or micrometastatic, <= 3 cm; 10-yr iDFS 91.3%). T-DM1 for 1 year (ATEMPT) is an alternative, not "
                 "less toxic.",
            rationale=facts, evidence=["APT", "ATEMPT", "NCCN-BREAST"],
            would_change_if=f"a tumour > {t.t1c_max_mm:g} mm or a nodal macrometastasis (full regimen), or T1a "
                            "(discuss)")
    board.decide(
        KEY, "discuss", rid="systemic.chemotherapy.discuss.her2_t1a", strength="weak",
        text="HER2-positive T1a/T1mi: consider weekly paclitaxel + trastuzumab (APT) or no systemic therapy; "
             "higher risk with ER-negative disease or nodal micrometastasis.",
        rationale=facts, evidence=["APT", "NCCN-BREAST"],
        would_change_if=f"a tumour > {t.t1a_max_mm:g} mm (APT recommended)")


def _luminal(ctx: Context, board: Board, branch: Branch) -> None:
    t = rules().chemotherapy
    facts = ctx.say("setting", "t", "n", "grade", "receptors", "age", "menopause", "rs")
    if branch == "n2plus":
        return board.decide(
            KEY, "recommended", rid="systemic.chemotherapy.recommended.four_nodes", strength="strong",
            text=f"Four or more positive nodes: adjuvant chemotherapy ({_regimen(ctx)}) then endocrine therapy; no "
                 "genomic assay needed (RxPONDER enrolled 1-3 nodes).",
            rationale=facts, evidence=["NCCN-BREAST", "EBCTCG-CHEMO-2012", "RXPONDER"],
            would_change_if="1-3 positive nodes (recurrence-score guided)")
    size = ctx.size_mm if ctx.setting != "planned" else ctx.clinical_size_mm
    rs, mammaprint = ctx.case.oncotype_rs, ctx.case.mammaprint
    clinical_low = mindact_low_clinical_risk(ctx)  # amended (systemic audit)
    if rs is not None and mammaprint is not None and clinical_low is False \
            and (rs >= t.recurrence_score.chemotherapy_min) != (mammaprint == "high") \
            and not (branch == "n1" and ctx.menopause != "post" and not ctx.male):  # amended (systemic audit)
        return board.decide(
            KEY, "discuss", rid="systemic.chemotherapy.discuss.assays_disagree", strength="weak",
            text=f"The 21-gene recurrence score ({rs}) and MammaPrint ({mammaprint}) disagree: no trial or guideline "
                 "says which to follow (ASCO 2022: one assay is ordered, not both); discuss chemotherapy, weighing the "
                 "clinical risk (TAILORx/RxPONDER for the score, MINDACT for MammaPrint).",
            rationale=facts, evidence=["TAILORX", "RXPONDER", "MINDACT", "ASCO-BIOMARKER-2022"],
            would_change_if="concordant assay results, or one assay only")
    if rs is not None:  # a known recurrence score decides whatever the size
        return _by_recurrence_score(ctx, board, branch, rs, facts)
    if size is None and branch == "n0":  # the size matters only on the node-negative/pN1mi branch
        return _size_unknown(board)
    if branch == "n0" and size is not None and size <= t.assay_min_size_mm:
        if ctx.node_status == "micro":
            return board.decide(
                KEY, "discuss", rid="systemic.chemotherapy.discuss.t1a_n1mi", strength="weak",
                text="HR-positive, HER2-negative T1a/T1mi with a nodal micrometastasis: NCCN lists 'endocrine therapy "
                     "+/- chemotherapy (category 2B)'; endocrine therapy is the backbone, and a 21-gene assay may "
                     "inform the small chemotherapy question.",
                rationale=facts, evidence=["NCCN-BREAST", "NCCN-BREAST-2015-BINV6"],
                would_change_if=f"no nodal micrometastasis (not indicated), or a recurrence score >= "
                                f"{t.recurrence_score.chemotherapy_min} (recommended)")
        return board.decide(
            KEY, "not_indicated", rid="systemic.chemotherapy.not_indicated.t1a", strength="strong",
            text="HR-positive, HER2-negative T1a/T1mi N0: endocrine therapy alone; no genomic assay.",
            rationale=facts, evidence=["NCCN-BREAST", "NCCN-BREAST-2015-BINV6"],
            would_change_if=f"a tumour > {t.assay_min_size_mm:g} mm (assay-guided), or a nodal micrometastasis "
                            "(discuss)")
    if branch == "n0" and size is not None and mammaprint is None and _low_clinical_risk(ctx, size):
        low = t.no_assay_low_clinical_risk
        return board.decide(
            KEY, "not_indicated", rid="systemic.chemotherapy.not_indicated.low_clinical_risk", strength="moderate",
            text=("Clinically node-negative with the sentinel biopsy omitted" if ctx.node_status == "not_staged" else
                  "Node-negative") + ", HR-positive, HER2-negative and clinically low risk (MINDACT definition) "
                 f"{'at age ' + str(low.older_min_age) + ' or over' if (ctx.age or 0) >= low.older_min_age else 'grade 1 T1b'}"
                 ": endocrine therapy alone. A genomic assay is ordered only for candidates for chemotherapy (NCCN; "
                 "ESMO 2024), and none would be offered here.",
            rationale=facts, evidence=["NCCN-BREAST", "ESMO-EBC-2024", "MINDACT"],
            would_change_if="a larger or higher-grade tumour, younger age, or nodal disease (assay-guided)")
    if branch == "n1" and ctx.menopause == "pre":
        return board.decide(
            KEY, "recommended", rid="systemic.chemotherapy.recommended.premenopausal_n1", strength="moderate",
            text=f"Premenopausal with 1-3 macrometastatic nodes: chemotherapy ({_regimen(ctx)}) then endocrine "
                 "therapy; the recurrence score should not be used to withhold it (ASCO 2022 rec 1.6; RxPONDER "
                 "premenopausal 5-yr iDFS 94.2% vs 89.0%). Part of the benefit may be ovarian suppression: OFS + "
                 "endocrine therapy is an alternative under discussion.",
            rationale=facts, evidence=["RXPONDER", "ASCO-BIOMARKER-2022", "NCCN-BREAST"],
            would_change_if="postmenopausal status (then recurrence-score guided)")
    if mammaprint is not None and clinical_low and branch == "n0" and ctx.node_status != "micro":  # amended
        return board.decide(  # (systemic audit): no chemotherapy benefit at low clinical risk whatever MammaPrint says
            KEY, "not_indicated", rid="systemic.chemotherapy.not_indicated.mammaprint_low_clinical_risk",
            strength="moderate",
            text="Node-negative and clinically low risk by the MINDACT definition: women at low clinical risk did not "
                 "benefit from chemotherapy whatever the MammaPrint result (MINDACT; ASCO 2017 focused update: the "
                 "assay has no clinical utility there): endocrine therapy alone.",
            rationale=facts, evidence=["MINDACT", "ASCO-BIOMARKER-2022"],
            would_change_if="high clinical risk (larger or higher-grade tumour, or nodal disease), then "
                            "MammaPrint-guided")
    if mammaprint is not None and not clinical_low:  # amended (systemic audit): not at low clinical risk
        return _by_mammaprint(ctx, board, mammaprint, facts)
    h = heart(ctx)
    if ctx.male and branch == "n1" and (fitness(ctx).level == "vulnerable"
                                        or (h.avoid_anthracycline and (h.severe or h.heart_failure))):
        # amended (chemo-corners): capped at 'discuss', a man with 1-3 nodes gets 'discuss' whatever the score
        return board.decide(
            KEY, "discuss", rid="systemic.chemotherapy.discuss.male_n1_capped", strength="weak",
            text=f"A man with 1-3 macrometastatic nodes: chemotherapy ({_regimen(ctx)}) is discussed, whatever a "
                 f"21-gene recurrence score would show. A score >= {t.recurrence_score.chemotherapy_min} would "
                 "recommend it, but this patient's own factors (below) limit it to discussion, and a lower score "
                 "leaves it to discussion in a man (RxPONDER, which found no benefit at RS <= 25 after the "
                 "menopause, enrolled women only; the ASCO 2020 male breast cancer guideline supports the score in "
                 "node-negative disease). Endocrine therapy (tamoxifen) in any case.",
            rationale=facts, evidence=["ASCO-MALE-2020", "RXPONDER", "ASCO-BIOMARKER-2022"],
            would_change_if="a fit patient whose heart allows anthracyclines (then the recurrence score decides: >= "
                            f"{t.recurrence_score.chemotherapy_min} recommended)")
    return _order_assay(ctx, board, branch, facts)


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


def _order_assay(ctx: Context, board: Board, branch: Branch, facts: str) -> None:
    where = "node-negative or pN1mi (NCCN 'pN0 or pN1mi' branch; TAILORx)" if branch == "n0" else \
        "postmenopausal with 1-3 positive nodes (RxPONDER)"
    if ctx.male:  # amended (patient audit 2026-12-01): no menopausal wording for a man
        where = ("node-negative or pN1mi (NCCN 'pN0 or pN1mi' branch; TAILORx; ASCO 2020 for men)" if branch == "n0"
                 else "a man with 1-3 positive nodes (RS >= 26: chemotherapy; a lower score leaves it to discussion, "
                      "since RxPONDER enrolled women only; ASCO 2020)")
    if branch == "n1" and ctx.menopause is None and not ctx.male:
        fields = {"menopausal_status": "with 1-3 positive nodes, premenopausal women benefit from chemotherapy "
                                       "whatever the recurrence score (RxPONDER)",
                  "oncotype_rs": "a 21-gene recurrence score would decide chemotherapy if postmenopausal"}
    else:
        fields = {"oncotype_rs": f"a 21-gene recurrence score would decide chemotherapy here ({where})"}
    board.unknown(KEY, fields)
    board.advise(
        "diagnostics.genomic_assay.order", "order", strength="strong",
        text="Order a 21-gene recurrence score (Oncotype DX; it can be done on the core biopsy before surgery): in "
             f"{where} it decides chemotherapy. Another validated assay (e.g. MammaPrint) is acceptable.",
        rationale=facts, evidence=["ASCO-BIOMARKER-2022", "TAILORX", "RXPONDER", "NCCN-BREAST"],
        would_change_if="T1a N0 (no assay), >= 4 positive nodes (chemotherapy without assay)"
                        + ("" if ctx.male else ", or premenopausal with 1-3 macrometastatic nodes"))  # amended (men)


def _by_recurrence_score(ctx: Context, board: Board, branch: Branch, rs: int, facts: str) -> None:
    t = rules().chemotherapy.recurrence_score
    high = rs >= t.chemotherapy_min
    if ctx.male:  # amended (patient audit 2026-12-01): men read by ASCO 2020, not by menopause or age <= 50
        return _male_by_recurrence_score(ctx, board, branch, rs, facts)
    if high:
        return board.decide(
            KEY, "recommended", rid="systemic.chemotherapy.recommended.high_rs", strength="strong",
            text=f"Recurrence score {rs} (>= {t.chemotherapy_min}): chemotherapy ({_regimen(ctx)}) then endocrine "
                 "therapy (TAILORx: about 13% 9-yr distant recurrence with chemo + ET at RS 26-100).",
            rationale=facts, evidence=["TAILORX", "RXPONDER", "ASCO-BIOMARKER-2022"],
            would_change_if=f"a recurrence score <= {t.chemotherapy_min - 1}")
    if branch == "n1":
        if ctx.menopause == "pre":
            return board.decide(
                KEY, "recommended", rid="systemic.chemotherapy.recommended.premenopausal_n1", strength="moderate",
                text=f"Premenopausal, 1-3 macrometastatic nodes, recurrence score {rs}: chemotherapy then endocrine "
                     "therapy (RxPONDER premenopausal iDFS HR 0.60); OFS + endocrine therapy is an alternative under "
                     "discussion, since part of the benefit may be chemotherapy-induced ovarian suppression.",
                rationale=facts, evidence=["RXPONDER", "ASCO-BIOMARKER-2022", "NCCN-BREAST"],
                would_change_if="postmenopausal status (then no chemotherapy at RS <= 25)")
        if ctx.menopause is None and not ctx.male:
            return board.unknown(KEY, {"menopausal_status": f"with 1-3 positive nodes and RS {rs} menopausal status "
                                                            "decides chemotherapy (RxPONDER)"})
        return board.decide(
            KEY, "not_indicated", rid="systemic.chemotherapy.not_indicated.postmenopausal_n1", strength="strong",
            text=f"Postmenopausal, 1-3 positive nodes, recurrence score {rs} (<= "
                 f"{t.node_positive_postmenopausal_endocrine_alone_max}): endocrine therapy alone (RxPONDER: no iDFS "
                 "benefit from chemotherapy, HR about 1.02).",
            rationale=facts, evidence=["RXPONDER", "ASCO-BIOMARKER-2022"],
            would_change_if=f"a recurrence score >= {t.chemotherapy_min}, or premenopausal status")
    younger = ctx.younger
    if ctx.node_status == "micro" and younger and rs <= t.chemotherapy_min - 1:
        return board.decide(
            KEY, "discuss", rid="systemic.chemotherapy.discuss.premenopausal_n1mi", strength="weak",
            text=f"Premenopausal/age <= {t.younger_max_age} with pN1mi and recurrence score {rs}: the guidelines "
                 "diverge. NCCN groups pN1mi with pN0 (TAILORx: endocrine therapy alone at RS <= 15; chemotherapy or "
                 "OFS + ET considered at RS 16-25). Read as node-positive, ASCO 2022 rec 1.6 says the score should "
                 "not guide chemotherapy in premenopausal women with 1-3 nodes (RxPONDER premenopausal benefit). "
                 "Whether RxPONDER counted micrometastatic nodes is unverified.",
            rationale=facts, evidence=["NCCN-BREAST-2015-BINV6", "TAILORX", "ASCO-BIOMARKER-2022", "RXPONDER"],
            would_change_if=f"postmenopausal and > {t.younger_max_age} (endocrine therapy alone at RS <= 25), or RS >= "
                            f"{t.chemotherapy_min} (recommended)")
    # amended (missing-material): pN1mi at RS <= 15 with the age group open is not read as > 50 - the age decides
    # (premenopausal or <= 50: discussed above; TAILORx, ASCO 2022).
    if ctx.node_status == "micro" and younger is None and rs <= t.younger_endocrine_alone_max:
        return board.unknown(KEY, {"age": f"with pN1mi and recurrence score {rs} the age/menopausal group decides "
                                          "chemotherapy (premenopausal or <= 50: discussed, NCCN vs ASCO 2022)"})
    if rs <= t.younger_endocrine_alone_max:
        return _endocrine_alone(board, rs, facts, f"RS <= {t.younger_endocrine_alone_max}: no chemotherapy benefit "
                                                  "at any age (TAILORx)")
    if younger is None:
        return board.unknown(KEY, {"age": f"with recurrence score {rs} the age/menopausal group decides "
                                          "chemotherapy (TAILORx)"})
    if younger:
        return board.decide(
            KEY, "discuss", rid="systemic.chemotherapy.discuss.tailorx_younger", strength="moderate",
            text=f"Age <= {t.younger_max_age} or premenopausal, node-negative/pN1mi, recurrence score {rs} (16-25): "
                 "chemotherapy then endocrine therapy may be offered, or ovarian suppression + endocrine therapy "
                 "(TAILORx exploratory: distant recurrence about 1.6 points lower with chemo at RS 16-20 and 6.5 "
                 "points at RS 21-25, perhaps partly from chemotherapy-induced ovarian suppression).",
            rationale=facts, evidence=["TAILORX", "ASCO-BIOMARKER-2022", "NCCN-BREAST"],
            would_change_if=f"RS <= {t.younger_endocrine_alone_max} (not indicated) or >= {t.chemotherapy_min} "
                            "(recommended)")
    _endocrine_alone(board, rs, facts, f"age > {t.younger_max_age}/postmenopausal with RS <= "
                                       f"{t.chemotherapy_min - 1} (TAILORx: 9-yr iDFS 83.3% ET vs 84.3% chemo + ET)")


def _male_by_recurrence_score(ctx: Context, board: Board, branch: Branch, rs: int, facts: str) -> None:
    """amended (patient audit 2026-12-01): TAILORx, RxPONDER and MINDACT enrolled women only (ASCO 2020 male breast
    cancer guideline: the score in node-negative men); never strong, never by menopause or the age <= 50 rule."""
    t = rules().chemotherapy.recurrence_score
    if rs >= t.chemotherapy_min:
        return board.decide(
            KEY, "recommended", rid="systemic.chemotherapy.recommended.male_high_rs", strength="moderate",
            text=f"Recurrence score {rs} (>= {t.chemotherapy_min}) in a man: chemotherapy ({_regimen(ctx)}) then "
                 "endocrine therapy. The score is used in men as in women (ASCO 2020 male breast cancer guideline), "
                 "but its thresholds come from trials that enrolled women (TAILORx), so the evidence is extrapolated.",
            rationale=facts, evidence=["ASCO-MALE-2020", "TAILORX", "ASCO-BIOMARKER-2022"],
            would_change_if=f"a recurrence score <= {t.chemotherapy_min - 1}")
    if branch == "n1":
        return board.decide(
            KEY, "discuss", rid="systemic.chemotherapy.discuss.male_n1", strength="weak",
            text=f"A man with 1-3 macrometastatic nodes and recurrence score {rs} (<= {t.chemotherapy_min - 1}): "
                 "whether chemotherapy can be omitted is not established for men. RxPONDER, which found no benefit at "
                 "RS <= 25 after the menopause, enrolled women only, and the ASCO 2020 male breast cancer guideline "
                 f"supports the score in node-negative disease. Discuss chemotherapy ({_regimen(ctx)}); endocrine "
                 "therapy (tamoxifen) in any case.",
            rationale=facts, evidence=["ASCO-MALE-2020", "RXPONDER", "ASCO-BIOMARKER-2022"],
            would_change_if=f"a recurrence score >= {t.chemotherapy_min} (recommended), or node-negative/pN1mi "
                            "disease (score-guided)")
    n_word = "N1mi" if ctx.node_status == "micro" else "N0"
    board.decide(
        KEY, "not_indicated", rid="systemic.chemotherapy.not_indicated.male_low_rs", strength="moderate",
        text=f"A man, {n_word} (the NCCN 'pN0 or pN1mi' branch), recurrence score {rs} (<= {t.chemotherapy_min - 1}): "
             "endocrine therapy alone. The score may guide chemotherapy in node-negative men (ASCO 2020 male breast "
             "cancer guideline); its thresholds come from TAILORx, which enrolled women, and the benefit TAILORx found "
             "in women aged <= 50 at RS 16-25 (thought to come partly from the suppression of their ovaries) is not "
             "applied to a man.",
        rationale=facts, evidence=["ASCO-MALE-2020", "TAILORX", "NCCN-BREAST-2015-BINV6"],
        would_change_if=f"a recurrence score >= {t.chemotherapy_min}")


def _endocrine_alone(board: Board, rs: int, facts: str, why: str) -> None:
    t = rules().chemotherapy.recurrence_score
    board.decide(KEY, "not_indicated", rid="systemic.chemotherapy.not_indicated.low_rs", strength="strong",
                 text=f"Recurrence score {rs}: endocrine therapy alone; {why}.", rationale=facts,
                 evidence=["TAILORX", "ASCO-BIOMARKER-2022", "NCCN-BREAST-2015-BINV6"],
                 would_change_if=f"a recurrence score >= {t.chemotherapy_min} (or 16-25 at age <= {t.younger_max_age})")


def _by_mammaprint(ctx: Context, board: Board, result: str, facts: str) -> None:
    if ctx.male:  # amended (patient audit 2026-12-01): MINDACT enrolled women only; ASCO 2020 names the RS for men
        if result == "high":
            return board.decide(
                KEY, "recommended", rid="systemic.chemotherapy.recommended.male_mammaprint_high", strength="moderate",
                text=f"MammaPrint high risk in a man: chemotherapy ({_regimen(ctx)}) then endocrine therapy. MINDACT "
                     "enrolled women only and the ASCO 2020 male breast cancer guideline names the 21-gene score for "
                     "men: the evidence is extrapolated.",
                rationale=facts, evidence=["ASCO-MALE-2020", "MINDACT", "ASCO-BIOMARKER-2022"],
                would_change_if="a low genomic risk result")
        return board.decide(
            KEY, "discuss", rid="systemic.chemotherapy.discuss.male_mammaprint_low", strength="weak",
            text=f"MammaPrint {result} risk in a man at high clinical risk: MINDACT, whose low genomic result allowed "
                 "chemotherapy to be omitted, enrolled women only, and the ASCO 2020 male breast cancer guideline "
                 "names the 21-gene score (not MammaPrint) for men. Discuss chemotherapy; a 21-gene recurrence score "
                 "would inform it.",
            rationale=facts, evidence=["ASCO-MALE-2020", "MINDACT", "ASCO-BIOMARKER-2022"],
            would_change_if="a MammaPrint high result (recommended), or a 21-gene recurrence score")
    if result == "high":
        return board.decide(KEY, "recommended", rid="systemic.chemotherapy.recommended.mammaprint_high",
                            strength="strong", text=f"MammaPrint high risk: chemotherapy ({_regimen(ctx)}) then "
                                                    "endocrine therapy.",
                            rationale=facts, evidence=["MINDACT", "ASCO-BIOMARKER-2022"],
                            would_change_if="a low genomic risk result")
    younger = ctx.younger
    if younger is None:
        return board.unknown(KEY, {"age": "with a low MammaPrint result age decides chemotherapy (MINDACT)"})
    if younger:
        return board.decide(
            KEY, "discuss", rid="systemic.chemotherapy.discuss.mammaprint_younger", strength="weak",
            text="MammaPrint low risk at age <= 50: MINDACT showed about 5 points less distant metastasis with "
                 "chemotherapy in high clinical risk women <= 50 (perhaps ovarian suppression); discuss chemotherapy "
                 "or OFS + endocrine therapy.",
            rationale=facts, evidence=["MINDACT", "ASCO-BIOMARKER-2022"], would_change_if="age > 50 (not indicated)")
    board.decide(KEY, "not_indicated", rid="systemic.chemotherapy.not_indicated.mammaprint_low", strength="strong",
                 text="MammaPrint low risk, age > 50: chemotherapy can be omitted (MINDACT: 0.2 points difference at "
                      "> 50).", rationale=facts, evidence=["MINDACT", "ASCO-BIOMARKER-2022"],
                 would_change_if="a high genomic risk result, or >= 4 positive nodes")


def _after_neoadjuvant(ctx: Context, board: Board) -> None:
    agents = ctx.agents()
    cytotoxic = {"anthracycline", "taxane", "platinum"}
    facts = ctx.say("setting", "t", "n", "receptors", "pcr")
    if not agents:
        board.need("neoadjuvant_therapy.agents", "the neoadjuvant agents decide which post-neoadjuvant therapy applies")
        if ctx.subtype not in ("her2_pos", "triple_negative"):
            return board.unknown(KEY, {"neoadjuvant_therapy.agents": "whether neoadjuvant therapy was chemotherapy "
                                                                     "or endocrine therapy decides further chemotherapy"})
    elif not cytotoxic & set(agents):
        return board.decide(
            KEY, "discuss", rid="systemic.chemotherapy.discuss.after_neoadjuvant_endocrine", strength="weak",
            text="Neoadjuvant endocrine therapy only: adjuvant chemotherapy by the residual disease (ypT/ypN, "
                 "response); discuss at the tumour board.",
            rationale=facts, evidence=["NCCN-BREAST", "ESMO-EBC-2024"],
            would_change_if="neoadjuvant chemotherapy already given")
    board.decide(
        KEY, "not_indicated", rid="systemic.chemotherapy.not_indicated.after_neoadjuvant", strength="strong",
        text="Neoadjuvant chemotherapy completed: no further standard chemotherapy; post-neoadjuvant therapy follows "
             "the residual disease (T-DM1, capecitabine, olaparib, pembrolizumab continuation; see those decisions).",
        rationale=facts, evidence=["NCCN-BREAST", "KATHERINE", "CREATE-X", "OLYMPIA"],
        would_change_if="neoadjuvant therapy that was not chemotherapy")
