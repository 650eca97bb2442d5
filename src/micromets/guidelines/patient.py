"""Patient factors the systemic decision points share: fitness for chemotherapy, the heart, pregnancy and
lactation, ovarian-suppression intent, and how a gate rewrites a decision.

The thresholds live in ``knowledge/guidelines/safety.json``; each decision point decides what a finding means
for its own treatment (a frail patient is not offered chemotherapy; ECOG >= 2 rules out a CDK4/6 inhibitor).

    >>> from micromets.model import Case, Findings, Staging
    >>> from micromets.guidelines._context import Context
    >>> f = fitness(Context.of(Case(age=82, ecog=2, conditions={"heart_failure": True}), Findings(), Staging()))
    >>> f.level, f.older, f.reasons
    ('vulnerable', True, ('ECOG 2', 'heart failure'))
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Literal, NamedTuple

from micromets.guidelines._context import Board, Context
from micromets.guidelines.rules import rules
from micromets.knowledge import load_json
from micromets.model import DEFERRED, INSUFFICIENT_DATA, Case, Findings
from micromets.model.assessment import Strength
from micromets.pathology import classify
from micromets.staging import stage

FitnessLevel = Literal["fit", "vulnerable", "frail"]

#: The recommendation-id prefix of every decision key.
PREFIXES = {"sentinel_biopsy": "surgery.slnb", "axillary_surgery": "surgery.alnd", "chemotherapy": "systemic.chemotherapy",
            "endocrine": "systemic.endocrine", "her2_therapy": "systemic.her2", "cdk46_inhibitor": "systemic.cdk46",
            "olaparib": "systemic.olaparib", "immunotherapy": "systemic.immunotherapy",
            "capecitabine": "systemic.capecitabine", "bisphosphonate": "systemic.bisphosphonate",
            "regional_nodal_irradiation": "radiation.rni", "post_mastectomy_rt": "radiation.pmrt",
            "whole_breast_rt": "radiation.wbrt", "boost": "radiation.boost"}

#: Systemic treatments that are given only when the decision is one of these (a gate leaves the others alone).
ACTIVE = ("recommended", "discuss")


class Fitness(NamedTuple):  # a NamedTuple: built for every case, cheaper than a frozen dataclass
    """Fitness for chemotherapy: ``frail`` (not offered), ``vulnerable`` (discussed after geriatric assessment)."""

    level: FitnessLevel
    reasons: tuple[str, ...]
    older: bool

    @property
    def words(self) -> str:
        return ", ".join(self.reasons)


def karnofsky_to_ecog(kps: int) -> int:
    """The ECOG grade of a Karnofsky score by the ECOG-ACRIN comparison (knowledge/guidelines/safety.json).

    >>> [karnofsky_to_ecog(k) for k in (100, 90, 80, 70, 60, 50, 40, 30, 20, 10)]
    [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    """
    table = rules().safety.performance_status.karnofsky_min_by_ecog
    return min(grade for grade, lowest in table.items() if kps >= lowest)


def ecog_of(ctx: Context) -> int | None:
    """ECOG as rated, else converted from the Karnofsky score, else None (a clinician's own ECOG wins)."""
    case = ctx.case
    if case.ecog is not None:
        return case.ecog
    return None if case.karnofsky is None else karnofsky_to_ecog(case.karnofsky)


def ecog_words(ctx: Context) -> str:
    """'ECOG 2', or 'ECOG 2 (Karnofsky 60)' when converted."""
    grade = ecog_of(ctx)
    converted = ctx.case.ecog is None and ctx.case.karnofsky is not None
    return f"ECOG {grade}" + (f" (Karnofsky {ctx.case.karnofsky})" if converted else "")


def fitness(ctx: Context) -> Fitness:
    """Performance status, frailty scales, comorbidity and the team's life-expectancy estimate, graded."""
    found = ctx.memo.get("fitness")  # several decision points ask: once derived, read without a call
    return ctx.remembered("fitness", _fitness) if found is None else found


def _fitness(ctx: Context) -> Fitness:
    t = rules().safety
    f = t.fitness
    case = ctx.case
    frail: list[str] = []
    vulnerable: list[str] = []
    ecog = ecog_of(ctx)
    if ecog is not None and ecog >= f.frail_min_ecog:
        frail.append(ecog_words(ctx))
    elif ecog is not None and ecog >= t.chemotherapy_discuss_min_ecog:
        vulnerable.append(ecog_words(ctx))
    cfs = case.clinical_frailty_scale
    if cfs is not None and cfs >= f.frail_min_clinical_frailty_scale:
        frail.append(f"Clinical Frailty Scale {cfs} (severely frail)")
    elif cfs is not None and cfs >= f.vulnerable_min_clinical_frailty_scale:
        vulnerable.append(f"Clinical Frailty Scale {cfs} (frail)")
    if case.life_expectancy_years is not None and case.life_expectancy_years < f.min_life_expectancy_years:
        frail.append(f"estimated non-cancer life expectancy {case.life_expectancy_years:g} years")
    if case.g8_score is not None and case.g8_score <= f.g8_abnormal_max:
        vulnerable.append(f"G8 {case.g8_score:g} (abnormal, <= {f.g8_abnormal_max:g})")
    if case.charlson_index is not None and case.charlson_index >= t.charlson_high_min:
        vulnerable.append(f"Charlson comorbidity index {case.charlson_index}")
    if ctx.conditions.heart_failure:
        vulnerable.append("heart failure")
    older = ctx.age is not None and ctx.age >= f.older_min_age
    if frail:
        return Fitness("frail", tuple(frail + vulnerable), older)
    return Fitness("vulnerable" if vulnerable else "fit", tuple(vulnerable), older)


class Heart(NamedTuple):  # as Fitness
    """What the heart allows: HER2-directed therapy and anthracyclines."""

    lvef: float | None
    heart_failure: bool
    severe: bool
    reduced: bool
    borderline: bool
    avoid_anthracycline: tuple[str, ...]
    increased_risk: tuple[str, ...]


def heart(ctx: Context) -> Heart:
    """Cardiac findings graded as IC-OS 2021 grades dysfunction and Armenian 2017 grades risk."""
    found = ctx.memo.get("heart")  # chemotherapy, its regimen and HER2-directed therapy ask
    return ctx.remembered("heart", _heart) if found is None else found


def _heart(ctx: Context) -> Heart:
    t = rules().safety
    c = ctx.conditions
    lvef = ctx.case.lvef_percent
    hf = bool(c.heart_failure)
    reduced = lvef is not None and lvef < t.lvef_min_percent
    severe = lvef is not None and lvef < t.cardiac.lvef_severe_below_percent
    borderline = lvef is not None and t.lvef_min_percent <= lvef <= t.cardiac.lvef_borderline_max_percent
    avoid: list[str] = []
    if reduced:
        avoid.append(f"LVEF {lvef:g}% (< {t.lvef_min_percent:g}%)")
    if hf:
        avoid.append("heart failure")
    dose = c.prior_anthracycline_mg_m2
    if dose is not None and dose >= t.cardiac.high_dose_anthracycline_min_mg_m2:
        avoid.append(f"prior anthracycline {dose:g} mg/m2 doxorubicin-equivalent (>= "
                     f"{t.cardiac.high_dose_anthracycline_min_mg_m2:g}: high risk)")
    if c.ischaemic_heart_disease:
        avoid.append("ischaemic heart disease")
    risk: list[str] = []
    if borderline:
        risk.append(f"borderline LVEF {lvef:g}%")
    if c.prior_anthracycline and not (dose is not None and dose >= t.cardiac.high_dose_anthracycline_min_mg_m2):
        risk.append("prior anthracycline" + (f" {dose:g} mg/m2" if dose else ""))
    return Heart(lvef, hf, severe, reduced, borderline, tuple(avoid), tuple(risk))


def no_invasive_disease(ctx: Context) -> bool:
    """DCIS only (no nodal metastasis shown), or no invasive tumour and node-negative; never after neoadjuvant
    therapy, where residual disease (breast or nodes) is judged by each post-neoadjuvant decision."""
    found = ctx.memo.get("no_invasive")  # most decisions ask first (~8 reads per patient): read without a call
    return ctx.remembered("no_invasive", _no_invasive_disease) if found is None else found


def _no_invasive_disease(ctx: Context) -> bool:
    if ctx.setting == "post_neoadjuvant":
        return False
    if ctx.in_situ_only:
        # As the pathology reads receptors: only a nodal metastasis the pathologist found makes in situ carcinoma
        # invasive (occult invasion); a clinically suspicious node is sampled first (safety.in_situ_clinical_nodes).
        return not (ctx.findings.positive_nodes or 0) > 0
    # A molecular-only nodal finding (pN0(mol+): RT-PCR/OSNA positive, no tumour seen) is N0 as ITCs are (AJCC 8):
    # with no invasive tumour in the breast it shows no invasive disease either.
    return ctx.size_mm == 0 and ctx.node_status in ("negative", "itc", "molecular", "not_staged")


#: The derived values (``Context.remembered``) an unfit what-if variant of the patient takes from the patient's context
#: (``Context.with_ecog``): each reads neither the performance status nor fitness (``_heart``: the coded conditions
#: and the LVEF; ``_no_invasive_disease``: the setting, tumour and nodal status), and is a plain value.
FITNESS_FREE = ("heart", "no_invasive")


def residual_disease(ctx: Context) -> bool | None:
    """After neoadjuvant therapy: residual invasive disease; nodal tumour (ITC included, AJCC 8) is residual even
    when the breast result is not given."""
    residual = ctx.residual_invasive_disease
    if residual is None and ctx.node_status in ("itc", "micro", "macro"):
        return True
    return residual


def ofs_intent(ctx: Context) -> Literal["planned", "not_planned"] | None:
    """The team's ovarian-function-suppression intent; a patient who declines it counts as not planned."""
    return case_ofs_intent(ctx.case)


def case_ofs_intent(case: Case) -> Literal["planned", "not_planned"] | None:
    """:func:`ofs_intent` from the case alone (the follow-up plan reads it too)."""
    if case.preferences is not None and "ovarian_function_suppression" in case.preferences.declined:
        return "not_planned"
    return case.ovarian_function_suppression


# --- pregnancy and lactation -------------------------------------------------------------------------------
PREGNANCY_EVIDENCE = ["AMANT-2012", "SHACHAR-2017-PREGNANCY", "ONKOPEDIA-PREGNANCY-2022"]
#: Treatments not given during pregnancy at all (deferred until after delivery), in words.
NOT_IN_PREGNANCY = {
    "her2_therapy": "trastuzumab, pertuzumab and T-DM1 are contraindicated in pregnancy (oligohydramnios)",
    "endocrine": "endocrine therapy (tamoxifen: teratogenic; aromatase inhibitors, ovarian suppression) is "
                 "contraindicated in pregnancy",
    "cdk46_inhibitor": "CDK4/6 inhibitors are teratogenic in animal studies and not given in pregnancy",
    "olaparib": "olaparib is not given in pregnancy (embryo-fetal toxicity)",
    "immunotherapy": "immune checkpoint inhibitors are contraindicated throughout pregnancy",
    "capecitabine": "capecitabine (a fluoropyrimidine) is not given in pregnancy",
    "bisphosphonate": "bisphosphonates are not given in pregnancy",
}
#: Treatments contraindicated during breastfeeding (deferred until it stops); the others only need it stopped.
NOT_WHILE_BREASTFEEDING = {
    "endocrine": "endocrine therapy is contraindicated during lactation",
    "her2_therapy": "monoclonal antibodies (trastuzumab, pertuzumab, T-DM1) are contraindicated during lactation",
    "immunotherapy": "monoclonal antibodies (pembrolizumab) are contraindicated during lactation",
    "bisphosphonate": "zoledronic acid is contraindicated during breastfeeding (label)",
}
LACTATION_EVIDENCE = ["HKMJ-2017-LACTATION", "SHACHAR-2017-PREGNANCY", "ZOLEDRONIC-ACID-LABEL"]
SYSTEMIC_KEYS = ("chemotherapy", "endocrine", "her2_therapy", "cdk46_inhibitor", "olaparib", "immunotherapy",
                 "capecitabine", "bisphosphonate")


def gate(board: Board, key: str, value: str, *, why: str, rid: str, strength: Strength, evidence: list[str],
         would_change_if: str, keep_plan: bool = True) -> None:
    """Replace a decision for a patient reason; the treatment plan the rules wrote stays in the text."""
    rec = board.recommendation(key) if board.explains else None  # a what-if board keeps the value only
    plan = f" The plan otherwise: {rec.text}" if rec is not None and keep_plan else ""
    rationale = rec.rationale if rec is not None else "patient factors"
    cited = list(dict.fromkeys([*evidence, *(rec.evidence if rec is not None else [])]))
    board.decide(key, value, rid=f"{PREFIXES[key]}.{value}.{rid}", strength=strength, text=why + plan,
                 rationale=rationale, evidence=cited, would_change_if=would_change_if)


def gated_value(ctx: Context, key: str, value: str | None) -> str | None:
    """What the pregnancy/lactation gate will make of a decision value (so that equal outcomes are seen as equal)."""
    if value not in ACTIVE or key not in SYSTEMIC_KEYS:
        return value
    if ctx.pregnant:
        if key != "chemotherapy":
            return DEFERRED
        return DEFERRED if ctx.trimester == 1 else value if ctx.trimester is not None else INSUFFICIENT_DATA
    return DEFERRED if ctx.lactating and key in NOT_WHILE_BREASTFEEDING else value


def _lead(board: Board, key: str, text: str, evidence: list[str]) -> None:
    """Put a patient statement before the rule's text (it governs how the plan is read)."""
    rec = board.recommendation(key) if board.explains else None  # the text only: nothing for a what-if board
    if rec is None:
        return
    board.replace(rec, rec.model_copy(update={
        "text": f"{text} {rec.text}", "evidence": list(dict.fromkeys([*rec.evidence, *evidence]))}))


def gate_reason(ctx: Context, key: str) -> str:
    """The last part of the id of a treatment the pregnancy/lactation gate defers (``gate``): chemotherapy waits
    for the first trimester only, the others for delivery or the end of breastfeeding."""
    if ctx.pregnant:
        return "first_trimester" if key == "chemotherapy" else "pregnancy"
    return "lactation"


def pregnancy_and_lactation(ctx: Context, board: Board) -> None:
    """Nothing contraindicated by pregnancy or breastfeeding is recommended: deferred, with the reason."""
    if ctx.pregnant:
        week = rules().safety.pregnancy.chemotherapy_from_week
        trimester = ctx.trimester
        for key in SYSTEMIC_KEYS:
            if board.decisions.get(key) not in ACTIVE:
                continue
            if key == "chemotherapy":
                if trimester is None:
                    board.unknown(key, {"pregnancy.gestational_age_weeks": "pregnant: chemotherapy is not given in "
                                        f"the first trimester (from {week:g} weeks), so the gestational age decides"})
                    continue
                if trimester == 1:
                    gate(board, key, "deferred", why=f"Pregnant, first trimester: chemotherapy waits until {week:g} "
                         "weeks' gestation (organogenesis); surgery is possible meanwhile.", rid=gate_reason(ctx, key),
                         strength="strong", evidence=PREGNANCY_EVIDENCE,
                         would_change_if=f"{week:g} weeks' gestation or more (second trimester)")
                    continue
                _lead(board, key, f"Pregnant, trimester {trimester}: chemotherapy is possible from {week:g} weeks - "
                      "anthracycline-based (AC/EC), weekly paclitaxel may follow; no trastuzumab, pertuzumab, "
                      "pembrolizumab or endocrine therapy until after delivery; about 3 weeks between the last cycle "
                      "and delivery; obstetric co-management. The plan outside pregnancy:", PREGNANCY_EVIDENCE)
                continue
            gate(board, key, "deferred", why=f"Pregnant: {NOT_IN_PREGNANCY[key]}; deferred until after delivery.",
                 rid=gate_reason(ctx, key), strength="strong", evidence=PREGNANCY_EVIDENCE,
                 would_change_if="after delivery")
    elif ctx.lactating:
        for key in SYSTEMIC_KEYS:
            if board.decisions.get(key) not in ACTIVE:
                continue
            if key in NOT_WHILE_BREASTFEEDING:
                gate(board, key, "deferred", why=f"Breastfeeding: {NOT_WHILE_BREASTFEEDING[key]}; deferred until "
                     "breastfeeding has stopped (it should stop so that treatment is not delayed).",
                     rid=gate_reason(ctx, key), strength="strong", evidence=LACTATION_EVIDENCE,
                     would_change_if="breastfeeding stopped")
            else:
                board.amend(key, note="Breastfeeding: it must stop before this treatment starts (the drug passes into "
                                      "milk); the treatment itself is not delayed.")


# --- insufficient_data only when the missing input could change the decision ------------------------------------------
def receptor_fields(ctx: Context, why: str) -> dict[str, str]:
    """Every receptor input still needed to name the subtype (HER2, and ER and PR unless HR-positive is known)."""
    f = ctx.findings
    tumour = ctx.case.tumour
    out: dict[str, str] = {}
    if f.her2 == "equivocal" and tumour is not None:
        out.update({name: why for name, value in (("tumour.her2_ish_ratio", tumour.her2_ish_ratio),
                                                  ("tumour.her2_ish_copies", tumour.her2_ish_copies)) if value is None})
    elif f.her2 is None:
        out["tumour.her2_ihc"] = why
    if not (f.er in ("positive", "low_positive") or f.pr == "positive"):
        out.update({name: why for name, value in (("tumour.er_percent", f.er), ("tumour.pr_percent", f.pr))
                    if value is None})
    return out or {"tumour.her2_ihc": why}


def subtype_variants(ctx: Context) -> list[Context]:
    """The patient with each subtype the known receptors still allow (HER2-positive, HR-positive, triple-negative).

    Built once per context (a new list each call): the decision points that weigh an unknown subtype (chemotherapy,
    CDK4/6 inhibitor, olaparib, the bisphosphonate's candidacy, ...) then re-run on the same variants, whose facts,
    words and derived values are worked out once instead of once per decision point."""
    return list(ctx.remembered("subtype_variants", _subtype_variants))


def _subtype_variants(ctx: Context) -> tuple[Context, ...]:
    f = ctx.findings
    variants = []
    if f.her2 in (None, "equivocal", "positive"):
        variants.append(f.model_copy(update={"her2": "positive", "subtype": "her2_pos"}))
    if f.her2 != "positive":
        her2 = f.her2 if f.her2 not in (None, "equivocal") else "zero"
        if f.er in (None, "positive", "low_positive") or f.pr in (None, "positive"):
            variants.append(f.model_copy(update={"her2": her2, "subtype": "hr_pos_her2_neg",
                                                 "er": f.er or ("positive" if f.pr != "positive" else None)}))
        if f.er in (None, "negative") and f.pr in (None, "negative"):
            variants.append(f.model_copy(update={"her2": her2, "subtype": "triple_negative", "er": "negative",
                                                 "pr": "negative"}))
    return tuple(ctx.varied(findings=v) for v in variants)


HORMONE_RECEPTOR_FIELDS = ("tumour.er_percent", "tumour.pr_percent")


def what_if_answer(board: Board, key: str, decide: Callable[[Context, Board], None], variant: Context) -> str | None:
    """The decision ``decide`` reaches for a what-if ``variant`` of the patient, on a scratch copy of the board, as
    the pregnancy/lactation gate will make of it (so that equal outcomes compare equal). The scratch board keeps
    values only (``Board.what_if``): the re-run builds no recommendation."""
    return gated_value(variant, key, _what_if_board(board, decide, variant).decisions.get(key))


def _agree_when_completed(board: Board, key: str, decide: Callable[[Context, Board], None], variants: Sequence[Context],
                          completions: Sequence[Callable[[Context], Context]],
                          decided: Sequence[Board | None] = ()) -> bool:
    """Whether the variants get one definite answer under each way of completing the other open inputs
    (``completions``; the record as it is when there are none, with the boards already ``decided`` for it), and,
    where they all still wait for other inputs, once those are given (``_agree_once_given``): then the input that
    separates the variants cannot change the decision."""
    for complete in completions or (lambda c: c,):
        options = [complete(variant) for variant in variants]
        outcomes = [done if not completions and done is not None else _what_if_board(board, decide, option)
                    for option, done in zip(options, decided or [None] * len(options), strict=True)]
        answers = {gated_value(o, key, b.decisions.get(key)) for o, b in zip(options, outcomes, strict=True)}
        if answers == {INSUFFICIENT_DATA}:
            if not _agree_once_given(board, key, decide, options, outcomes):
                return False
        elif len(answers) != 1:
            return False
    return True


def _pr_can_change(board: Board, key: str, decide: Callable[[Context, Board], None], variants: list[Context],
                   completions: Sequence[Callable[[Context], Context]], decided: dict[int, Board]) -> bool:
    """Whether PR can change the decision. It separates HR-positive from triple-negative disease only when ER is
    negative (ER-positive disease is HR-positive whatever PR is), so it matters only if ER-negative PR-positive
    disease is decided otherwise than triple-negative disease (``_agree_when_completed``)."""
    for variant in variants:
        if variant.findings.subtype != "triple_negative":
            continue
        pr_positive = variant.varied(findings=variant.findings.model_copy(
            update={"subtype": "hr_pos_her2_neg", "pr": "positive"}))
        if not _agree_when_completed(board, key, decide, [variant, pr_positive], completions,
                                     [decided.get(id(variant)), None]):
            return True
    return False


def _what_if_board(board: Board, decide: Callable[[Context, Board], None], variant: Context) -> Board:
    """The scratch board ``decide`` leaves for a what-if ``variant``: its decisions, missing inputs and rule ids,
    no recommendation (``Board.what_if``)."""
    scratch = board.what_if()
    decide(variant, scratch)
    return scratch


def explained_board(board: Board, decide: Callable[[Context, Board], None], variant: Context, *,
                    recommendations: bool = True) -> Board:
    """The scratch board ``decide`` leaves for ``variant`` with its recommendations: for the one what-if answer
    that is recorded for the patient (its text, rationale and evidence), after the values chose it. The scratch
    starts from ``board``'s decisions, and its recommendations unless ``recommendations`` is false."""
    scratch = board.explained_copy(recommendations=recommendations)
    decide(variant, scratch)
    return scratch


@cache
def _probe_sizes() -> tuple[float, ...]:
    """No invasive tumour, and each side of every AJCC 8 T cut-off (knowledge/staging/t_size.json)."""
    bands = [band["max_mm"] for band in load_json("staging/t_size.json")["bands"] if band["max_mm"] is not None]
    return (0.0, *sorted({float(v) for b in bands for v in (b, b + 1)}))


#: The other open inputs tried when the variants all wait for them: each value that can change a decision (the
#: size as the T categories and a complete response cut it).
PROBES: dict[str, Callable[[], tuple[object, ...]]] = {
    "tumour.size_mm": _probe_sizes,
    "germline_brca": lambda: ("brca1", "negative"),
    "menopausal_status": lambda: ("pre", "post"),
    "tumour.grade": lambda: (1, 2, 3),
}
#: Beyond this many combinations of open inputs the check is not tried (the receptors stay asked: the safe side).
MAX_PROBES = 64


def _agree_once_given(board: Board, key: str, decide: Callable[[Context, Board], None], options: Sequence[Context],
                      outcomes: Sequence[Board]) -> bool:
    """The options all wait for other inputs: whether, once those are given (each value that matters), they get
    one definite answer each time. An input with no probe values, too many combinations, or an answer still open
    after them count as 'could differ'."""
    fields = sorted({m.field for o in outcomes for m in o.missing if key in m.decisions})
    if not fields or any(f not in PROBES for f in fields):
        return False
    combos = list(itertools.product(*(PROBES[f]() for f in fields)))
    if len(combos) > MAX_PROBES:
        return False
    answer: set[str | None] = set()
    for combo in combos:
        changes = dict(zip(fields, combo, strict=True))
        derived: dict[int, Findings] = {}  # the options differ in receptors only: one pathology per record
        for option in options:
            completed = _given(option, changes, derived)
            answer.add(None if completed is None else what_if_answer(board, key, decide, completed))
            if len(answer) != 1 or None in answer or INSUFFICIENT_DATA in answer:
                return False
        answer.clear()
    return True


def _given(variant: Context, changes: dict[str, object], derived: dict[int, Findings]) -> Context | None:
    """The what-if ``variant`` with more inputs given: the findings and stage derived again from the completed
    record (a size decides a complete response and the T category), the variant's receptors and nodal reading
    kept. None when the record has no part to give them in (no tumour findings at all). ``derived`` keeps the
    findings of each record (by the identity of its case) for the other options."""
    case = variant.case
    for path, value in changes.items():
        head, _, leaf = path.rpartition(".")
        if head:
            part = getattr(case, head)
            if part is None:
                return None
            case = case.model_copy(update={head: part.model_copy(update={leaf: value})})
        else:
            case = case.model_copy(update={leaf: value})
    findings, staging = variant.findings, variant.staging
    if "tumour.size_mm" in changes:  # the size decides a complete response: the pathology is read again
        if id(variant.case) not in derived:
            derived[id(variant.case)] = classify(case).findings
        findings = derived[id(variant.case)].model_copy(update={
            name: getattr(variant.findings, name) for name in ("er", "pr", "her2", "subtype")})
    if changes.keys() & RESTAGED:
        staging = stage(case, findings).staging
    completed = Context.of(case, findings, staging)
    # The variant's nodal reading, set on the context just built (nothing has read it yet, and building it reads no
    # node status): as ``dataclasses.replace`` would give it, without building the context a second time.
    completed.node_status = variant.node_status
    return completed


#: Probed inputs that change the stage (T, and the grade of the prognostic stage group).
RESTAGED = frozenset({"tumour.size_mm", "tumour.grade"})


def one_definite_answer(answers: Iterable[str | None]) -> bool:
    """Whether the what-if answers (each as the pregnancy/lactation gate makes it) are one and the same definite
    decision: then the unknown input they vary cannot change it. The per-case what-if re-runs and the tables'
    subtype-variant facts both decide by this test."""
    distinct = set(answers)
    return len(distinct) == 1 and INSUFFICIENT_DATA not in distinct


def decide_if_immaterial(board: Board, key: str, decide: Callable[[Context, Board], None], variants: list[Context],
                         *, fields: dict[str, str], unknown: str,
                         completions: Sequence[Callable[[Context], Context]] = ()) -> None:
    """Decide under every value the unknown input could take; the same answer each time is the answer.

    ``completions`` are ways to fill the other inputs a variant may still need, used only to judge whether ER
    and PR can change the answer (e.g. each germline BRCA result for olaparib); inputs every variant still waits
    for are tried as well (``_agree_once_given``).
    """
    # The first variant's answer is the one recorded when they agree: on an explaining board it is rendered (it
    # would be decided again otherwise) unless the others, which keep values only, already disagree: then no answer
    # is recorded and its words would be read by no one (its value, rule id and missing inputs are the same).
    others = [_what_if_board(board, decide, variant) for variant in variants[1:]]
    first_run = explained_board if board.explains and (not others or one_definite_answer(
        gated_value(v, key, o.decisions.get(key)) for v, o in zip(variants[1:], others, strict=True))) \
        else _what_if_board
    outcomes = [first_run(board, decide, variants[0]), *others] if variants else []
    values_each = [gated_value(v, key, o.decisions.get(key)) for v, o in zip(variants, outcomes, strict=True)]
    first = outcomes[0].rule(key) if outcomes else None
    if not one_definite_answer(values_each) or first is None:
        # Name every input the decision still needs: the unknown one, and what some of its values need besides
        # (e.g. the tumour size for every subtype), so that supplying the named inputs decides it.
        needed = dict(fields)
        her2_negative = [value for v, value in zip(variants, values_each, strict=True) if v.findings.her2 != "positive"]
        if her2_negative and len(her2_negative) < len(variants) and set(her2_negative) != {INSUFFICIENT_DATA} \
                and len(set(her2_negative)) == 1:
            # Only HER2 separates the answers (every HER2-negative subtype gives the same one): ER and PR cannot
            # change the decision, so they are not asked for it.
            needed = {name: why for name, why in needed.items() if name not in HORMONE_RECEPTOR_FIELDS}
        elif len(her2_negative) > 1 and _agree_when_completed(
                board, key, decide, [v for v in variants if v.findings.her2 != "positive"], completions,
                [o for v, o in zip(variants, outcomes, strict=True) if v.findings.her2 != "positive"]):
            needed = {name: why for name, why in needed.items() if name not in HORMONE_RECEPTOR_FIELDS}
        elif "tumour.pr_percent" in needed and not _pr_can_change(
                board, key, decide, variants, completions, {id(v): o for v, o in zip(variants, outcomes, strict=True)}):
            needed.pop("tumour.pr_percent")
        for outcome in outcomes:
            for item in outcome.missing:
                if key in item.decisions:
                    needed.setdefault(item.field, item.why)
        return board.unknown(key, needed)
    if not board.explains:  # a what-if re-run itself: the first variant's value and rule id
        rid, value = first
        return board.settle(key, value, rid)
    rec = outcomes[0].recommendation(key)
    assert rec is not None
    board.decide(key, rec.decision, rid=rec.id, strength=rec.strength,
                 text=f"{rec.text} ({unknown} not given: the answer is the same whatever it is.)",
                 rationale=rec.rationale, evidence=rec.evidence, would_change_if=rec.would_change_if)
