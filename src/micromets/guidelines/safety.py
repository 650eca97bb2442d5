"""Safety rails applied after the domain rules: metastatic disease, performance status, cardiac function,
male patients, and pregnancy or breastfeeding (nothing they forbid stays recommended).

    >>> from micromets.guidelines._context import Board, Context
    >>> from micromets.model import Case, Findings, Staging
    >>> board = Board(decisions={"endocrine": "recommended"})
    >>> apply(Context.of(Case(pregnancy={"status": "pregnant", "trimester": 2}), Findings(), Staging()), board)
    >>> board.decisions["endocrine"]
    'deferred'
"""

from __future__ import annotations

from collections.abc import Callable

from micromets.guidelines import chemotherapy, endocrine, targeted
from micromets.guidelines._context import Board, Context
from micromets.guidelines.patient import (
    ACTIVE,
    FITNESS_FREE,
    PREFIXES,
    ecog_of,
    gated_value,
    karnofsky_to_ecog,
    pregnancy_and_lactation,
    what_if_answer,
)
from micromets.guidelines.rules import rules
from micromets.model import DECISION_VALUES, INSUFFICIENT_DATA

__all__ = ["METASTATIC_BY_FITNESS", "PREFIXES", "apply", "cardiac", "fitness", "free_text", "in_situ_clinical_nodes",
           "male", "metastatic", "metastatic_outcome", "metastatic_unfit", "metastatic_unfit_rule_id",
           "nodes_before_breast_surgery"]

DOMAINS = {"sentinel_biopsy": "surgery", "axillary_surgery": "surgery", "regional_nodal_irradiation": "radiation",
           "post_mastectomy_rt": "radiation", "whole_breast_rt": "radiation", "boost": "radiation"}
METASTATIC_WARNING = ("Distant metastasis (M1): micromets covers early breast cancer only; every adjuvant decision is "
                      "left to the metastatic-disease pathway.")


def metastatic(ctx: Context, board: Board) -> None:
    """M1: every decision 'discuss' or 'not_applicable' where allowed, else insufficient_data naming metastasis."""
    board.warn(METASTATIC_WARNING)
    ecog = ecog_of(ctx)
    for key in DECISION_VALUES:
        if metastatic_unfit(ctx, key):
            board.decide(key, "not_indicated", rid=metastatic_unfit_rule_id(key), strength="weak",
                         text=f"Metastatic disease, ECOG {ecog}: a CDK4/6 inhibitor is outside trial evidence "
                              "(ECOG 0-1 enrolled); decide in the metastatic pathway.",
                         rationale=f"metastasis {ctx.case.metastasis}; ECOG {ecog}",
                         evidence=["MONARCHE", "NATALEE", "ESMO-EBC-2024"], would_change_if="ECOG 0-1")
            continue
        value, rid = metastatic_outcome(key)
        if value == "discuss":
            board.decide(key, value, rid=rid, strength="weak",
                         text="Metastatic disease: outside the scope of this early-breast-cancer system; decide in the "
                              "metastatic pathway.", rationale=f"metastasis {ctx.case.metastasis}",
                         evidence=["ESMO-EBC-2024", "NCCN-BREAST"], would_change_if="M0 disease")
        elif value == "not_applicable":
            board.decide(key, value, rid=rid, strength="weak",
                         text="Metastatic disease: not applicable in this system.",
                         rationale=f"metastasis {ctx.case.metastasis}", evidence=["ESMO-EBC-2024"],
                         would_change_if="M0 disease")
        else:
            # One reason for every such decision (the entry lists them): the same words per decision repeated it.
            board.unknown(key, {"metastasis": f"{ctx.case.metastasis}: these decisions in metastatic disease are "
                                              "outside this early-breast-cancer system"})


#: The keys M1 disease may leave not indicated for a poor performance status (``metastatic_unfit``).
METASTATIC_BY_FITNESS = ("cdk46_inhibitor",)


def metastatic_unfit(ctx: Context, key: str) -> bool:
    """Whether M1 disease makes decision ``key`` not indicated rather than 'discuss': the CDK4/6 inhibitor with ECOG
    above the trials' limit (monarchE and NATALEE enrolled ECOG 0-1; the metastatic trials likewise). The batch
    engine applies it with this function too."""
    ecog = ecog_of(ctx)
    return key in METASTATIC_BY_FITNESS and ecog is not None and ecog > rules().safety.trial_max_ecog


def metastatic_unfit_rule_id(key: str) -> str:
    """The id of the rule ``metastatic_unfit`` names (the batch engine's rule id too)."""
    return f"{PREFIXES[key]}.not_indicated.metastatic_ecog"


def metastatic_outcome(key: str) -> tuple[str, str]:
    """What M1 disease makes of decision ``key`` and the id of that rule (the CDK4/6 inhibitor with ECOG >= 2
    aside): 'discuss' where allowed, else 'not_applicable', else insufficient_data (whose rule id names the rule
    only; no recommendation carries it). The batch engine applies the same rail column-wise."""
    allowed = DECISION_VALUES[key]
    for value in ("discuss", "not_applicable"):
        if value in allowed:
            return value, f"{PREFIXES[key]}.{value}.metastatic"
    return INSUFFICIENT_DATA, f"{PREFIXES[key]}.insufficient.metastatic"


def fitness(ctx: Context, board: Board) -> None:
    """Trial populations were ECOG 0-1 (OlympiA, APT, APHINITY, KATHERINE): what is still recommended or discussed
    outside them is said to be so, and a recommendation is a weak one (the evidence is indirect; olaparib's contract
    values have no 'discuss').

    Chemotherapy, capecitabine, CDK4/6 inhibitors and pembrolizumab decide on fitness themselves (their modules);
    this rail only annotates the rest. It changes no decision value, so the batch engine has nothing to apply.
    """
    t = rules().safety
    ecog = ecog_of(ctx)
    if ecog is not None and ecog > t.trial_max_ecog:
        for key in ("olaparib", "her2_therapy"):
            value = board.decisions.get(key)
            if value in ("recommended", "discuss"):
                board.amend(key, note=f"Note: ECOG {ecog} is outside the trial population (ECOG 0-{t.trial_max_ecog}).",
                            strength="weak" if value == "recommended" else None)


def performance_status(ctx: Context, board: Board) -> None:
    """Say when ECOG comes from a Karnofsky score, and when a rated ECOG and a Karnofsky score disagree."""
    case, t = ctx.case, rules().safety.performance_status
    if case.karnofsky is None:
        return
    converted = karnofsky_to_ecog(case.karnofsky)
    if case.ecog is None:
        board.warn(f"ECOG {converted} is taken from karnofsky {case.karnofsky} (ECOG-ACRIN comparison: KPS 100-90 = "
                   "ECOG 0, 80-70 = 1, 60-50 = 2, 40-30 = 3, 20-10 = 4); a converted grade matches a directly rated "
                   "ECOG in only 75-78% of patients (Ma 2010; Prasad 2018): rate ECOG directly where it decides.")
    elif abs(case.ecog - converted) >= t.conflict_min_grades:
        board.warn(f"ecog {case.ecog} and karnofsky {case.karnofsky} (ECOG {converted} by the ECOG-ACRIN comparison) "
                   "differ by more than one grade: the ECOG as rated is used; re-rate the performance status.")


#: Decisions that a poor performance status changes (frailty: no chemotherapy or capecitabine; ECOG >= 2: no
#: CDK4/6 inhibitor or pembrolizumab; HER2-directed therapy without chemotherapy is discussed; a bisphosphonate only
#: for a candidate for adjuvant systemic therapy, ASCO-OH 2022, which a frail patient may no longer be), each with the
#: decision point re-run for an unfit patient (the bisphosphonate's with the systemic decisions it reads: found by
#: the contraindication sweep, contra-unknown 2026-12-02 - it stayed 'recommended' at 82 with no fitness measure).
FITNESS_DECIDES: dict[str, Callable[[Context, Board], None]] = {
    "chemotherapy": chemotherapy.chemotherapy, "her2_therapy": targeted.her2_therapy,
    "cdk46_inhibitor": targeted.cdk46_inhibitor, "immunotherapy": targeted.immunotherapy,
    "capecitabine": targeted.capecitabine, "bisphosphonate": endocrine.bisphosphonate_with_candidacy}


def fitness_unassessed(ctx: Context) -> bool:
    """No performance status (ECOG or Karnofsky) and no other fitness measure (frailty scale, G8, life expectancy)."""
    case = ctx.case
    return ecog_of(ctx) is None and case.clinical_frailty_scale is None and case.g8_score is None \
        and case.life_expectancy_years is None


def fitness_would_change(ctx: Context, board: Board) -> list[str]:
    """The decision keys (of ``FITNESS_DECIDES``, active and not declined) that an unfit performance status would
    change: each decision point re-run for a frail, then for an unfit patient."""
    decisions = board.decisions
    weighed = [key for key in FITNESS_DECIDES if decisions.get(key) in ACTIVE and not ctx.declined(key)]
    if not weighed:  # nothing a poorer status could take away: no unfit patient to build
        return []
    t = rules().safety
    # One unfit grade that changes the decision is enough; the frail grade first: it usually does, and its re-run
    # stops early. One unfit patient per grade, shared by the decisions re-run.
    frail = ctx.with_ecog(t.fitness.frail_min_ecog, keep=FITNESS_FREE)
    unfit: Context | None = None
    changed: list[str] = []
    for key in weighed:
        decide = FITNESS_DECIDES[key]
        fit_value = gated_value(ctx, key, decisions[key])
        if what_if_answer(board, key, decide, frail) == fit_value:
            if unfit is None:
                unfit = ctx.with_ecog(t.trial_max_ecog + 1, keep=FITNESS_FREE)
            if what_if_answer(board, key, decide, unfit) == fit_value:
                continue
        changed.append(key)
    return changed


def fitness_holds(ctx: Context) -> bool:
    """Whether a decision that fitness would change is held (``insufficient_data``) rather than decided for a fit
    patient: no fitness measure at all, from the age at which the rule set holds (ASCO geriatric oncology 2018/2023,
    SIOG/EUSOMA 2021: at that age fitness, not age, decides, and it is not presumed)."""
    return fitness_unassessed(ctx) and _of_hold_age(ctx)


def _of_hold_age(ctx: Context) -> bool:
    return ctx.age is not None and ctx.age >= rules().safety.fitness.unassessed_hold_min_age


def unassessed_fitness(ctx: Context, board: Board) -> None:
    """No performance status (ECOG or Karnofsky) and no other fitness measure: where an unfit grade would change a
    decision, ECOG is named in missing (the trials enrolled ECOG 0-1); the decision is taken for a fit patient, or,
    from the age of ``fitness_holds``, held as insufficient_data."""
    if not fitness_unassessed(ctx):
        return
    keys = fitness_would_change(ctx, board)
    if not keys:
        return
    t = rules().safety
    limit = t.trial_max_ecog
    changed = [key.replace("_", " ") for key in keys]
    named = changed[0] if len(changed) == 1 else f"{', '.join(changed[:-1])} and {changed[-1]}"
    plural = len(changed) > 1
    start = (f"performance status not given: the trials behind the {named} decision{'s' if plural else ''} "
             f"enrolled ECOG 0-{limit}, and a poorer status would change {'them' if plural else 'it'} "
             "(Karnofsky is used when ECOG is not rated)")
    if _of_hold_age(ctx):  # fitness_unassessed held above
        why = (f"{start}; at {ctx.age:g}, with no fitness measure at all, fitness is not presumed: give the ECOG (or "
               "Karnofsky), or a geriatric screen (G8, clinical frailty scale) (ASCO geriatric 2018)")
        for key in keys:
            board.unknown(key, {"ecog": why})
        return
    why = f"{start}; decided for a fit patient"
    # Named, not held, below the age of ``fitness_holds``: registries and many records carry no performance status,
    # and holding every such decision (tried: 728 of 1,200 synthetic registry rows lost their chemotherapy decision)
    # hides the advice; from 65 the geriatric assessment is advised as well (diagnostics). An unknown age may be 65
    # or more: the advice is then conditional, and age is named as the input that decides it (diagnostics).
    from_age = t.fitness.geriatric_assessment_min_age
    if ctx.age is None:
        why += f" - age not given: from {from_age:g} assess fitness first (ASCO geriatric 2018)"
    elif ctx.age >= from_age:
        why += " - assess fitness first (ASCO geriatric 2018)"
    board.need("ecog", why)


def cardiac(ctx: Context, board: Board) -> None:
    """LVEF below the limit: a warning; HER2-directed therapy and chemotherapy are graded in their own modules."""
    lvef = ctx.case.lvef_percent
    limit = rules().safety.lvef_min_percent
    if lvef is None or lvef >= limit:
        return
    board.warn(f"Cardiac safety: LVEF {lvef:g}% (< {limit:g}%) - no anthracycline or HER2-directed therapy is started "
               "without cardio-oncology review; non-anthracycline regimens are named.")


def male(ctx: Context, board: Board) -> None:
    if ctx.male:
        board.warn("Male patient: the trials behind these recommendations enrolled mostly or only women; "
                   "endocrine therapy is tamoxifen-based.")


def free_text(ctx: Context, board: Board) -> None:
    """Free-text comorbidities are shown but never parsed: say so, naming each entry, so none is taken as weighed."""
    entries = ctx.case.comorbidities
    if entries:
        listed = "; ".join(f"'{entry}'" for entry in entries)
        board.warn(f"Comorbidities in free text were not interpreted by any rule: {listed}. Weigh them at the "
                   "tumour board, and code those that change a decision under conditions (heart failure, prior "
                   "VTE, eGFR, ...; docs/case-format.md).")


def in_situ_clinical_nodes(ctx: Context, board: Board) -> None:
    """DCIS only with clinically positive nodes and no nodal pathology: the systemic decisions are those of DCIS
    until a node is sampled (the receptors of the missed invasive carcinoma are unknown). Said, not hidden."""
    if not ctx.in_situ_only or ctx.case.has_nodal_pathology or ctx.node_status not in ("micro", "macro"):
        return
    board.warn(f"tumour.in_situ_only with clinical_nodes {ctx.case.clinical_nodes}: in situ carcinoma does not "
               "metastasise, so invasive carcinoma was probably missed. Sample the node (ultrasound-guided biopsy) "
               "and review the breast pathology; until a nodal metastasis is shown the systemic decisions are those "
               "of DCIS (NCCN).")


def nodes_before_breast_surgery(ctx: Context, board: Board) -> None:
    """Breast surgery planned, yet nodal pathology given: say how the case is read."""
    case = ctx.case
    if ctx.setting != "planned" or not case.has_nodal_pathology or case.nodes is None:
        return
    positive = ctx.findings.positive_nodes
    counted = f"{positive} positive" if positive is not None else "positive count unknown"
    if ctx.nodes_operated_first:
        # A clinically negative axilla with positive sentinel nodes is what sentinel biopsy is for: no contradiction.
        return board.warn(
            f"surgery.status is 'planned' and nodes reports an axillary procedure already done "
            f"({case.nodes.procedure or 'procedure not named'}, {counted}): axillary surgery, chemotherapy, nodal RT "
            "and PMRT follow that pathology, as after surgery; choices made on the stage before surgery (neoadjuvant "
            "immunotherapy, NATALEE's stage) use the clinical stage, and those that depend on the breast surgery "
            "(margins, final size) are provisional. If the breast surgery is done, give surgery.status 'done'.")
    board.warn(f"surgery.status is 'planned' but nodes reports an axillary procedure already done "
               f"({case.nodes.procedure or 'procedure not named'}, {counted}) with neoadjuvant therapy: the case is "
               f"read as before surgery (clinical_nodes: {case.clinical_nodes or 'not given'}); the nodal pathology "
               "decides only where it settles a decision by itself (>= 4 positive nodes: PMRT and regional nodal RT). "
               "If the breast surgery is done, give surgery.status 'done'.")


def apply(ctx: Context, board: Board) -> None:
    """Every safety rail, in order (pregnancy and breastfeeding last: they override every other plan)."""
    performance_status(ctx, board)
    unassessed_fitness(ctx, board)
    fitness(ctx, board)
    cardiac(ctx, board)
    male(ctx, board)
    free_text(ctx, board)
    in_situ_clinical_nodes(ctx, board)
    nodes_before_breast_surgery(ctx, board)
    pregnancy_and_lactation(ctx, board)
    if not board.missing:  # insufficient data with no input named: the first such decision is named (most boards
        # name some input, and then no decision is looked through)
        undecided = next((key for key, value in board.decisions.items() if value == INSUFFICIENT_DATA), None)
        if undecided is not None:
            board.need("(case)", f"{undecided} could not be decided")
