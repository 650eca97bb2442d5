"""DP-S2 endocrine therapy (agent, ovarian suppression, duration) and DP-S6 adjuvant bisphosphonates.

Runs after the chemotherapy decision, which is one of the risk markers for ovarian suppression. The agent
follows the patient: prior venous thromboembolism or thrombophilia steers away from tamoxifen (label), the
team's ovarian-suppression intent is used when given, and osteoporosis with an aromatase inhibitor brings
bone-directed therapy. Bisphosphonates are discussed with every postmenopausal (natural or induced) candidate
for adjuvant systemic therapy whatever the subtype (ASCO-OH 2022), after dental treatment and with the renal
limits of the label.

    >>> from micromets.model import Case, Findings, Staging
    >>> import dataclasses

from micromets.guidelines._context import Board, Context
from micromets.guidelines.chemotherapy import chemotherapy
    >>> board = Board()
    >>> endocrine(Context.of(Case(age=66, menopausal_status="post", tumour={"er_percent": 0}),
    ...                      Findings(er="negative"), Staging()), board)
    >>> board.decisions["endocrine"]
    'not_indicated'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, Literal, TypeVar, overload

import numpy as np
from numpy.typing import NDArray

from micromets.guidelines._context import Board, Context
from micromets.guidelines.chemotherapy import chemotherapy
from micromets.guidelines.patient import (
    ACTIVE,
    PREFIXES,
    fitness,
    gate,
    gated_value,
    no_invasive_disease,
    ofs_intent,
    residual_disease,
    subtype_variants,
)
from micromets.guidelines.rules import rules
from micromets.guidelines.table import DecisionTable, Derived, Rule, always, stack, unknown
from micromets.guidelines.targeted import capecitabine, cdk46_inhibitor, her2_therapy, immunotherapy, olaparib
from micromets.model import DEFERRED, INSUFFICIENT_DATA
from micromets.model._built import copied_with

BONE_EVIDENCE = ("ASCO-BONE-2019", "AIBL-2017")


def higher_risk_premenopausal(ctx: Context, board: Board) -> bool:
    """ASCO OFS 2016: stage II-III or chemotherapy indicated; also age < 35 or macrometastatic nodes."""
    t = rules().endocrine
    return (board.decisions.get("chemotherapy") == "recommended"
            or (ctx.age is not None and ctx.age < t.ofs_young_age_below)
            or ctx.node_status == "macro"
            or ctx.staging.anatomic_stage in t.ofs_stages)


def _duration(ctx: Context) -> str:
    t = rules().endocrine
    if ctx.node_status == "macro":
        return (f"Duration: {t.standard_years} years, then extension to up to {t.extended_years} years in total for "
                "node-positive disease (ASCO 2019; ATLAS: breast cancer mortality 12.2% vs 15.0%).")
    if ctx.node_status == "micro":
        return (f"Duration: {t.standard_years} years; extension for pN1mi has no specific data: individualise "
                "(e.g. CTS5/BCI, tolerance).")
    return f"Duration: {t.standard_years} years; extension is not routine for node-negative low-risk disease."


def _clots(ctx: Context) -> str | None:
    found = [w for w, flag in (("prior venous thromboembolism", ctx.conditions.venous_thromboembolism),
                               ("thrombophilia", ctx.conditions.thrombophilia)) if flag]
    return " and ".join(found) if found else None


def _agent(ctx: Context, board: Board) -> str:  # noqa: C901 - one branch per patient situation
    clots = _clots(ctx)
    avoid_tam = (f" Tamoxifen is avoided because of {clots} (label: thromboembolic risk; for invasive cancer weigh it "
                 "against the benefit)." if clots else "")
    if ctx.male:
        if clots:
            return (f"An aromatase inhibitor with a GnRH agonist (tamoxifen avoided because of {clots}). Male patients "
                    "were not in most trials.")
        return ("Tamoxifen 20 mg daily (an aromatase inhibitor only together with a GnRH agonist). Male patients "
                "were not in most trials.")
    if ctx.menopause == "post":
        if clots:
            return ("Aromatase inhibitor (letrozole, anastrozole or exemestane) for 5 years; no switch to tamoxifen."
                    + avoid_tam)
        return ("Aromatase inhibitor (letrozole, anastrozole or exemestane) for 5 years, or tamoxifen then AI; "
                "tamoxifen if an AI is not tolerated (EBCTCG: AI vs tamoxifen recurrence RR about 0.70 in years 0-4).")
    if _agent_asks_menopause(ctx):
        _ask_menopause(ctx, board)
        if ctx.sex is None:
            return ("Agent by sex and menopausal status (neither is recorded): for a man tamoxifen 20 mg daily, an "
                    "aromatase inhibitor only together with a GnRH agonist (ASCO 2020, male breast cancer); for a "
                    "woman an AI if postmenopausal; tamoxifen, or OFS + AI/tamoxifen at higher risk, if not.")
        return ("Agent by menopausal status: AI if postmenopausal; tamoxifen, or OFS + AI/tamoxifen at higher risk, if "
                "not.")
    return _premenopausal_agent(ctx, board, clots, avoid_tam)


def _agent_asks_menopause(ctx: Context) -> bool:
    """Whether the agent is left to the menopausal status (a woman whose status is not given): the one input the
    agent names as missing."""
    return not ctx.male and ctx.menopause not in ("pre", "post")


def _ask_menopause(ctx: Context, board: Board) -> None:
    """The inputs the agent names as missing: menopausal status and, when not recorded, the sex (ASCO 2020: tamoxifen
    for a man, an aromatase inhibitor only with a GnRH agonist; ovarian suppression is for women)."""
    if ctx.sex is None:
        board.need("sex", "the sex decides the endocrine agent (a man: tamoxifen, an aromatase inhibitor only with a "
                          "GnRH agonist; a woman: by menopausal status)")
    board.need("menopausal_status", "menopausal status decides the endocrine agent (AI vs tamoxifen vs OFS)")


def _premenopausal_agent(ctx: Context, board: Board, clots: str | None, avoid_tam: str) -> str:
    """ASCO 2016 / SOFT-TEXT: ovarian suppression for higher risk; the team's intent decides when it is given."""
    intent = ofs_intent(ctx)
    declined = " (declined by the patient)" if ctx.declined("ovarian_function_suppression") else ""
    if higher_risk_premenopausal(ctx, board):
        if intent == "not_planned":
            agent = ("Higher-risk premenopausal: ovarian function suppression is advised (ASCO 2016; SOFT/TEXT) but is "
                     f"not planned{declined}: tamoxifen 20 mg daily (an AI alone does not work with functioning "
                     "ovaries).")
            if clots:
                agent += (f" With {clots} tamoxifen carries thrombotic risk (label: weigh it for invasive cancer): "
                          "reconsider ovarian suppression with an aromatase inhibitor.")
            return agent
        planned = " as planned" if intent == "planned" else ""
        if clots:
            return f"Higher-risk premenopausal: ovarian function suppression{planned} plus exemestane." + avoid_tam
        return (f"Higher-risk premenopausal: ovarian function suppression{planned} plus exemestane (or plus tamoxifen) "
                "(SOFT/TEXT 12-yr DFS about 79.9% vs 75.9%; ASCO OFS 2016).")
    if intent == "planned":
        return ("Ovarian function suppression as planned, with tamoxifen or an aromatase inhibitor (ASCO 2016: OFS may be "
                "offered at higher stage I-II risk; it is not advised for stage I disease without a chemotherapy "
                "indication - weigh its toxicity)." + avoid_tam)
    if clots and intent == "not_planned":
        return (f"Tamoxifen 20 mg daily, weighing its thrombotic risk with {clots} (label: contraindicated for risk "
                f"reduction and DCIS, weighed for invasive cancer); ovarian suppression is not planned{declined}.")
    if clots:
        return (f"Ovarian function suppression with an aromatase inhibitor rather than tamoxifen, because of {clots} "
                "(label: tamoxifen's thromboembolic risk is weighed for invasive cancer); tamoxifen only if ovarian "
                "suppression is unacceptable.")
    return "Tamoxifen 20 mg daily (no ovarian suppression for stage I disease without a chemotherapy indication)."


def _bone_note(ctx: Context) -> str:
    c = ctx.conditions
    on_ai = ctx.menopause == "post" and not ctx.male
    found = [w for w, flag in (("osteoporosis", c.osteoporosis), ("a fragility fracture", c.fragility_fracture)) if flag]
    if not found or not on_ai and not (ctx.menopause == "pre" and ofs_intent(ctx) == "planned"):
        return ""
    return (f" Bone health: {' and '.join(found)} - bone-directed therapy (a bisphosphonate or denosumab) for the "
            "duration of the aromatase inhibitor, DXA, calcium and vitamin D (ASCO 2019; AIBL 2017).")


_ENDOCRINE_EVIDENCE = ("EBCTCG-AI-2015", "SOFT-TEXT", "ASCO-OFS-2016", "ASCO-EXTENDED-ET-2019", "ATLAS")

#: Endocrine therapy by ER (ASCO/CAP 2020: ER >= 1% is positive, 1-10% ER-low with a modest and uncertain benefit,
#: < 1% negative; EBCTCG 2015 for the agents). DCIS alone is outside this system's scope (NSABP B-24: optional risk
#: reduction). The plan (agent, ovarian suppression, duration, bone health) follows the patient and is rendered in
#: code (:func:`_plan`), as are the notes of the DCIS and ER-negative texts.
ENDOCRINE = DecisionTable("endocrine", (
    Rule("systemic.endocrine.not_indicated.dcis", "not_indicated", lambda f: f["dcis_only"], reads=("dcis_only",),
         strength="weak",
         text="DCIS only: endocrine therapy is optional risk reduction (NSABP B-24: ER-positive DCIS), outside this "
              "system's scope.{vte}",
         evidence=("NCCN-BREAST", "NSABP-B24", "IBIS-II-DCIS", "TAMOXIFEN-LABEL"), would_change_if="invasive carcinoma"),
    Rule("systemic.endocrine.insufficient.er", INSUFFICIENT_DATA, lambda f: unknown(f["er"]), reads=("er",),
         missing={"tumour.er_percent": "ER status decides endocrine therapy"}),
    Rule("systemic.endocrine.not_indicated.er_negative", "not_indicated", lambda f: f["er"] == "negative",
         reads=("er",), strength="strong", text="ER < 1%: no endocrine therapy.{pr_note}",
         evidence=("ASCO-CAP-ER-PR-2020", "NCCN-BREAST"), would_change_if="ER >= 1% (ER-low: weak recommendation)"),
    Rule("systemic.endocrine.recommended.er_low", "recommended", lambda f: f["er"] == "low_positive", reads=("er",),
         strength="weak",
         text="ER low positive (1-10%): endocrine therapy may be offered, but the benefit is modest and uncertain "
              "(the group often behaves like triple-negative disease). {plan}",
         evidence=("ASCO-CAP-ER-PR-2020", "NCCN-BREAST", "EBCTCG-AI-2015"),
         would_change_if="ER < 1% (not indicated) or > 10% (strong)"),
    # The evidence grows with the plan (the tamoxifen label with clots, bone health on an AI): _endocrine_evidence.
    Rule("systemic.endocrine.recommended", "recommended", always, reads=("er",), strength="strong", text="{plan}",
         evidence=_ENDOCRINE_EVIDENCE, would_change_if="ER < 1%"),
))

#: How each fact of the endocrine table is derived (None = unknown).
_ENDOCRINE_FACTS: dict[str, Callable[[Context], Any]] = {
    "dcis_only": lambda c: no_invasive_disease(c) and c.in_situ_only,
    "er": lambda c: c.findings.er,
}


def endocrine_facts(ctx: Context) -> Derived:
    """The facts the endocrine table reads, for one patient (each derived when first read)."""
    return Derived(ctx, _ENDOCRINE_FACTS, {})


def endocrine_columns(contexts: Sequence[Context]) -> dict[str, Any]:
    """The same facts for a batch of patients, one numpy column per fact."""
    return stack([endocrine_facts(ctx).complete() for ctx in contexts], constants={})


def _vte_note(ctx: Context) -> str:
    clots = _clots(ctx)
    return (f" With {clots}, tamoxifen is contraindicated for DCIS (label); an aromatase inhibitor is the option if "
            "postmenopausal (IBIS-II DCIS)." if clots else "")


def _pr_note(ctx: Context) -> str:
    return (" PR-positive/ER-negative disease is rare; its endocrine benefit is uncertain: discuss."
            if ctx.findings.pr == "positive" else "")


def _endocrine_evidence(ctx: Context, rule: Rule, bone_note: str) -> list[str]:
    """The rule's evidence, and for the plan the labels and trials its notes cite (``bone_note``: the plan's)."""
    evidence = list(rule.evidence)
    if "{plan}" in rule.text and ctx.sex != "female":
        evidence.append("ASCO-MALE-2020")  # the agent for a man (or a patient whose sex is not recorded)
    if rule.rid != "systemic.endocrine.recommended":
        return evidence
    if _clots(ctx):
        evidence.append("TAMOXIFEN-LABEL")
    if bone_note:
        evidence += list(BONE_EVIDENCE)
    return evidence


def endocrine(ctx: Context, board: Board) -> None:
    """Endocrine therapy: ER >= 1 % recommended (ER-low weakly), ER < 1 % not indicated."""
    key = "endocrine"
    rule = ENDOCRINE.rules[ENDOCRINE.first(endocrine_facts(ctx))]
    if rule.decision == INSUFFICIENT_DATA:
        return board.unknown(key, dict(rule.missing))
    if not board.explains:  # a what-if re-run: the value, and the input the agent may name as missing (no words)
        if "{plan}" in rule.text and _agent_asks_menopause(ctx):
            _ask_menopause(ctx, board)
        return board.settle_checked(rule.key, rule.decision, rule.rid)  # checked once for the rule (Rule.key)
    facts = ctx.say("receptors", "age", "menopause", "n", "t")
    # The plan is written before the decision is recorded: the agent may name menopausal status as missing.
    planned = "{plan}" in rule.text
    bone_note = _bone_note(ctx) if planned else ""  # the plan's note, and the evidence it cites
    plan = f"{_agent(ctx, board)} {_duration(ctx)}{bone_note}" if planned else ""
    notes = {"vte": _vte_note(ctx) if "{vte}" in rule.text else "",
             "pr_note": _pr_note(ctx) if "{pr_note}" in rule.text else "", "plan": plan}
    # The rule's text filled as format_map fills it, by its template compiled once (Rule.fillers); the key, value
    # and id checked once for the rule too (Rule.key).
    fill_text = rule.fillers[0]
    text = rule.text if fill_text is None else fill_text(notes)
    board.record(rule.key, rule.decision, rule.rid, rule.strength, text, facts, _endocrine_evidence(ctx, rule, bone_note),
                 rule.would_change_if)


SYSTEMIC = ("chemotherapy", "her2_therapy", "cdk46_inhibitor", "olaparib", "immunotherapy", "capecitabine")
_ACTIVE_OR_DEFERRED = (*ACTIVE, DEFERRED)
BISPHOSPHONATE_EVIDENCE = ["EBCTCG-BISPHOSPHONATES-2015", "ASCO-BMA-2017", "ASCO-OH-BMA-2022"]


def _systemic_candidate(ctx: Context, board: Board, *, by_subtype: bool = True) -> bool | None:
    """A candidate for adjuvant systemic therapy of any kind (ASCO-OH 2022: irrespective of HR and HER2)."""
    if by_subtype and ctx.subtype is None:
        # Receptors unknown: a candidate if every subtype they still allow makes one.
        answers = {_variant_candidate(variant, board) for variant in subtype_variants(ctx)}
        if len(answers) == 1:
            return answers.pop()
    d = board.decisions
    if d.get("endocrine") == "recommended" or any(d.get(k) in _ACTIVE_OR_DEFERRED for k in SYSTEMIC):
        return True
    if _treated_before_surgery(ctx):
        return True
    if any(d.get(k) == INSUFFICIENT_DATA for k in ("endocrine", "chemotherapy", "her2_therapy")):
        # Whatever the receptors, a tumour beyond T1a or with nodal metastasis is treated systemically (endocrine,
        # HER2-directed or chemotherapy for every subtype), unless the patient is too frail for chemotherapy.
        size = ctx.clinical_size_mm if ctx.setting == "planned" else ctx.size_mm
        beyond_t1a = (size is not None and size > rules().chemotherapy.t1a_max_mm) or ctx.node_status in ("micro",
                                                                                                         "macro")
        return True if beyond_t1a and fitness(ctx).level != "frail" else None
    return False


def _treated_before_surgery(ctx: Context) -> bool:
    """Neoadjuvant chemotherapy or HER2-directed therapy given: a candidate whatever is decided now. Neoadjuvant
    systemic therapy with its agents not recorded counts too: it was chemotherapy, HER2-directed or endocrine
    therapy, and a patient given neoadjuvant endocrine therapy continues it after surgery (a candidate either way);
    the unrecorded agents are asked for by the decisions they change (pembrolizumab, capecitabine)."""
    if ctx.setting != "post_neoadjuvant":
        return False
    agents = ctx.agents()
    return not agents or bool(_NEOADJUVANT_SYSTEMIC & set(agents))


_NEOADJUVANT_SYSTEMIC = frozenset({"anthracycline", "taxane", "platinum", "trastuzumab"})

#: The decision points that make a candidate, each with the value that does (an active or deferred systemic
#: therapy, recommended endocrine therapy). Each decides from the patient alone except capecitabine, which reads
#: the olaparib decision made before it; the cheapest come first, as a subtype variant stops at the first that
#: makes it a candidate.
_CANDIDACY: tuple[tuple[Callable[[Context, Board], None], str, tuple[str, ...]], ...] = (
    (endocrine, "endocrine", ("recommended",)),
    (her2_therapy, "her2_therapy", _ACTIVE_OR_DEFERRED),
    (chemotherapy, "chemotherapy", _ACTIVE_OR_DEFERRED),
    (cdk46_inhibitor, "cdk46_inhibitor", _ACTIVE_OR_DEFERRED),
    (olaparib, "olaparib", _ACTIVE_OR_DEFERRED),
    (immunotherapy, "immunotherapy", _ACTIVE_OR_DEFERRED),
    (capecitabine, "capecitabine", _ACTIVE_OR_DEFERRED),
)


def _variant_candidate(variant: Context, board: Board) -> bool | None:
    """Whether a subtype variant of the patient is a candidate (``_systemic_candidate`` on its own decisions, made
    on a scratch copy of ``board``), deciding only until one decision makes it one."""
    if _treated_before_surgery(variant):
        return True
    scratch = board.what_if(recommendations=False)  # the decisions are read: values only
    decisions = scratch.decisions
    for decision_point, key, making in _CANDIDACY:
        decision_point(variant, scratch)
        if decisions[key] in making:
            return True
    return _systemic_candidate(variant, scratch, by_subtype=False)


def bisphosphonate_with_candidacy(ctx: Context, board: Board) -> None:
    """The bisphosphonate decision re-run with the systemic decisions it reads (``_CANDIDACY``) re-run first for the
    same patient: what a what-if variant (e.g. an unfit patient, ``safety.FITNESS_DECIDES``) changes in them reaches
    the candidacy for adjuvant systemic therapy, and so the bisphosphonate."""
    for decision_point, _, _ in _CANDIDACY:
        decision_point(ctx, board)
    bisphosphonate(ctx, board)


def _chemotherapy_open(ctx: Context, board: Board) -> bool:
    """Whether the chemotherapy indication is still open: the decision is insufficient_data and, when the subtype
    is what is unknown, some subtype the receptors allow could still indicate it (or still leaves it open)."""
    if board.decisions.get("chemotherapy") != INSUFFICIENT_DATA or ctx.declined("chemotherapy"):
        return False
    if ctx.subtype is not None:
        return not _age_group_only_discusses(ctx, board)
    for variant in subtype_variants(ctx):
        scratch = board.what_if(recommendations=False)  # the value and the rule id are read
        chemotherapy(variant, scratch)
        rid = scratch.rule_id("chemotherapy")
        if scratch.decisions.get("chemotherapy") in (INSUFFICIENT_DATA, "recommended") or (
                rid is not None and rid.startswith("systemic.chemotherapy.recommended.")):
            return True
    return False


def _age_group_only_discusses(ctx: Context, board: Board) -> bool:
    """Whether chemotherapy waits for the age alone and neither TAILORx age group can make it indicated: at age
    <= 50 (or premenopausal) it is discussed, above it not indicated (TAILORx; MINDACT; NCCN pN1mi) - so it marks
    no higher risk either way and the age is not asked on its behalf."""
    if {m.field for m in board.missing if "chemotherapy" in m.decisions} != {"age"}:
        return False
    younger_max = rules().chemotherapy.recurrence_score.younger_max_age
    for age in (younger_max, younger_max + 1):
        scratch = board.what_if(recommendations=False)  # the value and the rule id are read
        chemotherapy(ctx.varied(case=copied_with(ctx.case, "age", age)), scratch)
        rid = scratch.rule_id("chemotherapy")
        if scratch.decisions.get("chemotherapy") == INSUFFICIENT_DATA or (
                rid is not None and rid.startswith("systemic.chemotherapy.recommended.")):
            return False
    return True


def _chemotherapy_fields(board: Board, why: str) -> dict[str, str]:
    """The inputs the chemotherapy decision still needs, when a later decision turns on its indication."""
    return {m.field: why for m in board.missing if "chemotherapy" in m.decisions}


def _on_ovarian_suppression(ctx: Context, board: Board) -> tuple[bool | None, dict[str, str]]:
    """Premenopausal on ovarian suppression (an induced menopause): True or False, or None with the inputs that
    decide it (ER, as OFS is endocrine therapy; the chemotherapy indication, a higher-risk marker of ASCO 2016)."""
    if ctx.menopause != "pre" or ctx.findings.er == "negative":
        return False, {}
    intent = ofs_intent(ctx)
    if intent == "not_planned":
        return False, {}
    fields: dict[str, str] = {}
    if intent is None and not higher_risk_premenopausal(ctx, board):
        if not _chemotherapy_open(ctx, board):
            return False, {}
        fields = _chemotherapy_fields(board, "a chemotherapy indication makes ovarian suppression advised (ASCO 2016), "
                                             "and on it a bisphosphonate is discussed (ASCO-OH 2022)")
    if ctx.findings.er is None:
        fields["tumour.er_percent"] = ("ovarian suppression (an induced menopause, for which a bisphosphonate is "
                                       "discussed) is endocrine therapy for ER-positive disease")
    return (None, fields) if fields else (True, {})


def bisphosphonate(ctx: Context, board: Board) -> None:
    """Postmenopausal (natural or OFS-induced) candidates for adjuvant systemic therapy (ASCO/CCO 2017, ASCO-OH 2022)."""
    if ctx.menopause is None and not ctx.male:
        first, needed = _menopause_outcome(ctx, board)
        if first is None:
            return board.unknown("bisphosphonate", needed)
        if not board.explains:
            return board.settle("bisphosphonate", first[1], first[0])
        # The postmenopausal answer is recorded: decided once more, now with its words.
        rec = _menopause_board(ctx, "post", board.explained_copy(missing=True)).recommendation("bisphosphonate")
        assert rec is not None and (rec.id, rec.decision) == first  # the same re-run, with words
        unsaid = "Menopausal status" if ctx.sex is not None else "Sex and menopausal status"
        note = "" if rec.id.endswith((".no_invasive", ".no_systemic")) else \
            f" ({unsaid} not given: the answer is the same either way.)"
        return board.decide("bisphosphonate", rec.decision, rid=rec.id, strength=rec.strength,
                            text=rec.text + note, rationale=rec.rationale, evidence=rec.evidence,
                            would_change_if=rec.would_change_if)
    _bisphosphonate_decision(ctx, board)
    _bisphosphonate_patient(ctx, board)


def _menopause_board(ctx: Context, status: Literal["pre", "post"], scratch: Board) -> Board:
    """``scratch`` (a copy of the patient's board) after the bisphosphonate decision for menopausal ``status``."""
    _bisphosphonate_decision(ctx.varied(menopause=status), scratch)
    _bisphosphonate_patient(ctx, scratch)
    return scratch


def _menopause_outcome(ctx: Context, board: Board) -> tuple[tuple[str, str] | None, dict[str, str]]:
    """A woman whose menopausal status is not given, or a patient whose sex is not recorded either (a man's answer
    is then one more: the adjuvant data are in women, EBCTCG 2015): the rule id and decision of the recommendation
    that every status leads to (patient factors included; the postmenopausal one), or None with what is needed when
    the answers differ. Decided on what-if boards (values, missing inputs and rule ids only)."""
    key = "bisphosphonate"
    outcomes = [_menopause_board(ctx, status, board.what_if(missing=True)) for status in ("pre", "post")]
    if ctx.sex is None:
        outcomes.append(_male_board(ctx, board.what_if(missing=True)))
    first = outcomes[1].rule(key)
    values = [gated_value(ctx, key, o.decisions[key]) for o in outcomes]
    female_settled = values[0] == values[1] and first is not None and first[1] != INSUFFICIENT_DATA
    if female_settled and len(set(values)) == 1:
        return first, {}
    # The answers differ: what decides between them is needed, with whatever any answer still needs.
    needed: dict[str, str] = {}
    if not female_settled:
        needed["menopausal_status"] = ("menopausal status (natural or induced by OFS) decides an adjuvant "
                                       "bisphosphonate (ASCO-OH 2022)")
    if len(set(values)) > 1 and ctx.sex is None:
        needed["sex"] = ("the adjuvant bisphosphonate data are in women (EBCTCG 2015; ASCO-OH 2022): the sex, "
                         "not recorded, decides it")
    for outcome in outcomes:
        needed.update({m.field: m.why for m in outcome.missing if key in m.decisions})
    return None, needed


def _male_board(ctx: Context, scratch: Board) -> Board:
    """``scratch`` (a copy of the patient's board) after the bisphosphonate decision for a man."""
    man = ctx.varied(case=copied_with(ctx.case, "sex", "male"))
    _bisphosphonate_decision(man, scratch)
    _bisphosphonate_patient(man, scratch)
    return scratch


_REGIMEN = ("zoledronic acid 4 mg IV every 6 months for 3 years, or oral clodronate 1,600 mg daily for 2-3 years; "
            "dental assessment first (osteonecrosis of the jaw), calcium and vitamin D.")

#: Adjuvant bisphosphonates (EBCTCG, Lancet 2015: breast cancer mortality RR 0.82 and bone recurrence RR 0.72 in
#: postmenopausal women, natural or induced, and no benefit before the menopause; ASCO/CCO 2017 and ASCO-OH 2022:
#: discussed with every postmenopausal candidate for adjuvant systemic therapy whatever the subtype, recommended at
#: higher risk). The facts that need earlier decisions (candidacy for systemic therapy, ovarian suppression, the
#: higher-risk markers) are derived by the functions the rule always used (:class:`_Deciding`); each "open" fact has
#: its insufficient_data rule before the rules that read it, and the fields it names are rendered in code
#: (:func:`_needed`). Dental treatment, renal function and osteoporosis act after the table
#: (:func:`bisphosphonate_gate`).
BISPHOSPHONATE = DecisionTable("bisphosphonate", (
    Rule("systemic.bisphosphonate.not_indicated.no_invasive", "not_indicated", lambda f: f["no_invasive"],
         reads=("no_invasive",), strength="strong",
         text="No invasive carcinoma (DCIS only or no invasive tumour): no adjuvant bisphosphonate (the evidence is in "
              "invasive cancer).", would_change_if="invasive carcinoma"),
    # Adjuvant means after surgery: the trials of the meta-analysis gave bisphosphonates after breast surgery.
    Rule("systemic.bisphosphonate.not_indicated.no_breast_surgery", "not_indicated",
         lambda f: f["breast_surgery"] == "none", reads=("breast_surgery",), strength="moderate",
         text="No breast surgery: an adjuvant bisphosphonate does not apply (the EBCTCG 2015 trials and ASCO-OH 2022 "
              "concern treatment after surgery for early breast cancer); bone health on endocrine therapy follows "
              "bone-health guidance.", would_change_if="breast surgery"),
    # ASCO 2020 (male breast cancer): men with early disease are not given bone-modifying agents to prevent
    # recurrence; the EBCTCG 2015 benefit was shown in postmenopausal women only.
    Rule("systemic.bisphosphonate.not_indicated.male", "not_indicated", lambda f: f["male"], reads=("male",),
         strength="weak",
         text="A man: no adjuvant bisphosphonate to prevent recurrence (ASCO 2020 male breast cancer guideline; the "
              "EBCTCG 2015 benefit was in postmenopausal women); bone-modifying agents may still prevent or treat "
              "osteoporosis (bone-health guidance).", evidence=("ASCO-MALE-2020",),
         would_change_if="female postmenopausal patient"),
    # Menopausal status (and the sex, when not recorded) not given, and the statuses lead to different answers (one
    # case: bisphosphonate()).
    Rule("systemic.bisphosphonate.insufficient.menopause", INSUFFICIENT_DATA, lambda f: f["menopause_open"],
         reads=("menopause_open",)),
    Rule("systemic.bisphosphonate.not_indicated.premenopausal", "not_indicated",
         lambda f: (f["menopause"] == "pre") & ((f["ofs_intent"] == "not_planned")
                                                 | ((f["candidate"] != "no") & (f["ofs"] == "no"))),
         reads=("menopause", "ofs_intent", "candidate", "ofs"), strength="strong",
         text="Premenopausal without ovarian suppression: no benefit from adjuvant bisphosphonates (EBCTCG 2015).",
         would_change_if="postmenopausal status or ovarian function suppression"),
    Rule("systemic.bisphosphonate.not_indicated.no_systemic", "not_indicated", lambda f: f["candidate"] == "no",
         reads=("candidate",), strength="moderate",
         text="Not a candidate for adjuvant systemic therapy: no adjuvant bisphosphonate.",
         would_change_if="an indication for adjuvant endocrine, chemotherapy or HER2-directed therapy"),
    Rule("systemic.bisphosphonate.insufficient.candidate", INSUFFICIENT_DATA, lambda f: f["candidate"] == "open",
         reads=("candidate",)),
    Rule("systemic.bisphosphonate.insufficient.ovarian_suppression", INSUFFICIENT_DATA, lambda f: f["ofs"] == "open",
         reads=("ofs",)),
    Rule("systemic.bisphosphonate.insufficient.risk", INSUFFICIENT_DATA, lambda f: f["risk_open"],
         reads=("risk_open",)),
    Rule("systemic.bisphosphonate.discuss.ofs", "discuss", lambda f: f["ofs"] == "yes", reads=("ofs",),
         strength="weak", text="Premenopausal on ovarian suppression (induced menopause): discuss " + _REGIMEN,
         would_change_if="no ovarian suppression"),
    Rule("systemic.bisphosphonate.recommended", "recommended", lambda f: f["high_risk"], reads=("high_risk",),
         strength="moderate",
         text="Postmenopausal candidate for adjuvant systemic therapy at higher risk of recurrence: " + _REGIMEN
              + " EBCTCG: breast cancer mortality RR 0.82, bone recurrence RR 0.72.",
         would_change_if="lower risk (T1, no nodal macrometastasis, no chemotherapy): discuss"),
    Rule("systemic.bisphosphonate.discuss.lower_risk", "discuss", always, reads=(), strength="weak",
         text="Postmenopausal candidate for adjuvant systemic therapy (ASCO-OH 2022: discuss with every such patient, "
              "whatever the subtype), lower risk: the relative benefit is the same but the absolute gain is small; "
              "consider " + _REGIMEN,
         would_change_if="nodal macrometastasis, a tumour > 20 mm or a chemotherapy indication (recommended)"),
))


def _tri(value: bool | None) -> str:
    return "open" if value is None else "yes" if value else "no"


_V = TypeVar("_V")


class _once(Generic[_V]):  # noqa: N801 - used as a decorator, like the cached_property it stands for
    """``functools.cached_property`` without its lock (Python 3.11 takes one on each first read, ~0.5 µs; a patient's
    bisphosphonate rules read about eight): the value derived on the first read is stored in the instance's
    ``__dict__``, where every later read finds it before this descriptor."""

    def __init__(self, derive: Callable[[Any], _V]) -> None:
        self.derive = derive
        self.name = derive.__name__

    @overload
    def __get__(self, instance: None, owner: type[Any] | None = None) -> _once[_V]: ...

    @overload
    def __get__(self, instance: object, owner: type[Any] | None = None) -> _V: ...

    def __get__(self, instance: object | None, owner: type[Any] | None = None) -> _V | _once[_V]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.derive(instance)
        return value


class _Deciding:
    """One patient as the bisphosphonate table reads her: each fact derived once, when first read, and only where
    the rules before it leave the patient undecided (a batch derives every fact of every row). ``board`` holds the
    decisions taken before (built on first use in a batch); ``assumed`` fixes the candidacy (the what-if that names
    what an open candidacy needs)."""

    def __init__(self, patient: Context, board: Board | Callable[[], Board], assumed: bool | None = None) -> None:
        self.patient = patient
        self._board = board
        self.assumed = assumed
        # What costs no more to set than a first read through _once would (every patient's first rule reads whether
        # there is invasive disease): set here, as plain attributes, which the descriptors below then leave alone.
        if isinstance(board, Board):
            self.board = board
        if patient.menopause is not None or patient.male:
            self.ctx = patient
        self.no_invasive: bool = no_invasive_disease(patient)
        #: Decided by the first rules (no invasive disease, no breast surgery, male).
        self.early: bool = self.no_invasive or patient.breast_surgery == "none" or patient.male

    @_once
    def board(self) -> Board:
        """The board built on first use (a batch's)."""
        return self._board if isinstance(self._board, Board) else self._board()

    @_once
    def ctx(self) -> Context:
        """The deciding patient: for a woman of unknown menopausal status whose answer is the same either way, the
        postmenopausal variant (the one-case path takes that variant's recommendation); else the patient."""
        p = self.patient
        return p.varied(menopause="post") if p.menopause is None and not p.male else p

    @_once
    def menopause_open(self) -> bool:
        p = self.patient
        return p.menopause is None and not p.male and not self.early and self.menopause_outcome[0] is None

    # The values an open fact turns on, kept for the inputs its insufficient_data rule names (_needed).
    @_once
    def menopause_outcome(self) -> tuple[tuple[str, str] | None, dict[str, str]]:
        return _menopause_outcome(self.patient, self.board)

    @_once
    def ovarian_suppression(self) -> tuple[bool | None, dict[str, str]]:
        return _on_ovarian_suppression(self.ctx, self.board)

    @_once
    def risk_markers(self) -> dict[str, str]:
        return _risk_markers(self.ctx, self.board)

    @_once
    def candidate(self) -> str:
        if self.early or self.ctx.menopause == "pre" and ofs_intent(self.ctx) == "not_planned":
            return "no"  # decided before (or by the premenopausal rule, whatever the candidacy)
        if self.assumed is not None:
            return _tri(self.assumed)
        return _tri(_systemic_candidate(self.ctx, self.board))

    @_once
    def ofs(self) -> str:
        if self.candidate == "no":
            return "no"
        return _tri(self.ovarian_suppression[0])

    @_once
    def high_risk(self) -> bool:
        if self.candidate != "yes":
            return False
        ctx, t = self.ctx, rules().endocrine
        chemo = self.board.rule_id("chemotherapy")
        # The tumour rule's own verdict (the id keeps it when a patient factor later caps the decision to 'discuss').
        chemo_indicated = chemo is not None and chemo.startswith("systemic.chemotherapy.recommended.")
        return (ctx.node_status == "macro" or (ctx.size_mm or 0) > t.bisphosphonate_high_risk_min_size_mm
                or chemo_indicated
                or (ctx.setting == "post_neoadjuvant" and residual_disease(ctx) is True))

    @_once
    def risk_open(self) -> bool:
        """Lower risk with an unknown higher-risk marker that could make it 'recommended' rather than 'discussed'."""
        if self.candidate != "yes" or self.ofs != "no" or self.high_risk:
            return False
        return bool(self.risk_markers) and _risk_group_matters(self.ctx, self.board)


_BISPHOSPHONATE_FACTS: dict[str, Callable[[_Deciding], Any]] = {
    "no_invasive": lambda d: d.no_invasive,
    "breast_surgery": lambda d: d.patient.breast_surgery,
    "male": lambda d: d.patient.male,
    "menopause_open": lambda d: d.menopause_open,
    "menopause": lambda d: d.ctx.menopause,
    "ofs_intent": lambda d: ofs_intent(d.ctx),
    "candidate": lambda d: d.candidate,
    "ofs": lambda d: d.ofs,
    "high_risk": lambda d: d.high_risk,
    "risk_open": lambda d: d.risk_open,
}


def bisphosphonate_facts(ctx: Context, board: Board | Callable[[], Board], *,
                         assume_candidate: bool | None = None) -> Derived:
    """The facts the bisphosphonate table reads for one patient, given the board of the decisions taken before it
    (or how to build it), each derived when first read."""
    return Derived(_Deciding(ctx, board, assume_candidate), _BISPHOSPHONATE_FACTS, {})


def bisphosphonate_columns(contexts: Sequence[Context], boards: Sequence[Board | Callable[[], Board]]
                           ) -> dict[str, Any]:
    """The same facts for a batch of patients, one numpy column per fact."""
    return stack([bisphosphonate_facts(ctx, board).complete() for ctx, board in zip(contexts, boards, strict=True)],
                 constants={})


def bisphosphonate_decide(contexts: Sequence[Context], boards: Sequence[Board | Callable[[], Board]]
                          ) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    """The decision and rule id of every patient as ``bisphosphonate`` ends it: the table over columns, then the
    patient's own factors (per patient, with the function the one-case path uses)."""
    values, ids = BISPHOSPHONATE.decide(bisphosphonate_columns(contexts, boards))
    values, ids = values.copy(), ids.copy()
    for i in np.flatnonzero(np.isin(values, ACTIVE)).tolist():
        values[i], ids[i] = bisphosphonate_gate(contexts[i], values[i], ids[i])
    return values, ids


def _bisphosphonate_decision(ctx: Context, board: Board, assume_candidate: bool | None = None) -> None:
    key = "bisphosphonate"
    deciding = _Deciding(ctx, board, assume_candidate)
    rule = BISPHOSPHONATE.rules[BISPHOSPHONATE.first(Derived(deciding, _BISPHOSPHONATE_FACTS, {}))]
    if rule.decision == INSUFFICIENT_DATA:
        return board.unknown(key, _needed(rule, deciding))
    if not board.explains:  # a what-if re-run reads the value only
        return board.settle(key, rule.decision, rule.rid)
    board.decide(key, rule.decision, rid=rule.rid, strength=rule.strength, text=rule.text,
                 rationale=ctx.say("menopause", "age", "t", "n", "receptors"),
                 evidence=[*BISPHOSPHONATE_EVIDENCE, *(rule.evidence or ())],
                 would_change_if=rule.would_change_if)


def _needed(rule: Rule, deciding: _Deciding) -> dict[str, str]:
    """The inputs an insufficient_data rule of the bisphosphonate table names, with why."""
    key = "bisphosphonate"
    ctx, board = deciding.ctx, deciding.board
    if rule.rid.endswith(".menopause"):
        return deciding.menopause_outcome[1]
    if rule.rid.endswith(".ovarian_suppression"):
        return deciding.ovarian_suppression[1]
    if rule.rid.endswith(".risk"):
        return deciding.risk_markers
    # The candidacy is open: what decides it, and what a candidate's answer would still need.
    fields = {m.field: m.why for m in board.missing if {"endocrine", "chemotherapy", "her2_therapy"} & set(m.decisions)}
    scratch = board.what_if(missing=True)  # its missing inputs are read
    _bisphosphonate_decision(ctx, scratch, True)
    # A candidate's answer that is itself open names what it needs; when that is among the inputs that decide
    # candidacy (ER for endocrine therapy and ovarian suppression, say), those are the ones that matter.
    own = {m.field: m.why for m in scratch.missing if key in m.decisions}
    if own and not set(own) <= set(fields):
        fields = {**fields, **own}
    elif own:
        fields = {name: fields[name] for name in own}
    return fields or {"tumour.er_percent": "bisphosphonates are for candidates for adjuvant systemic therapy"}


def _risk_markers(ctx: Context, board: Board) -> dict[str, str]:
    """Each unknown higher-risk marker could make this 'recommended' rather than 'discussed': it is asked, never read
    as absent (a chemotherapy indication is decided by whatever decides the chemotherapy; a declined chemotherapy
    asks for no assay)."""
    t = rules().endocrine
    why = "for which a bisphosphonate is recommended rather than discussed (EBCTCG 2015; ASCO-OH 2022)"
    markers: dict[str, str] = {}
    # In situ carcinoma only (Tis, or ypTis after neoadjuvant therapy) has no measurable invasive tumour: the
    # > 20 mm marker is known absent, not unknown.
    if ctx.size_mm is None and not ctx.in_situ_only:
        markers["tumour.size_mm"] = f"a tumour > {t.bisphosphonate_high_risk_min_size_mm:g} mm marks higher risk, {why}"
    if ctx.node_status is None:
        markers[ctx.node_status_field] = f"a nodal macrometastasis marks higher risk, {why}"
    if _chemotherapy_open(ctx, board):
        markers.update(_chemotherapy_fields(board, f"a chemotherapy indication marks higher risk, {why}")
                       or {"oncotype_rs": f"a chemotherapy indication marks higher risk, {why}"})
    return markers


def _risk_group_matters(ctx: Context, board: Board) -> bool:
    """Whether 'recommended' (higher risk) and 'discuss' (lower risk) stay different once the patient's own factors
    are applied (dental treatment or pregnancy defers both; osteoporosis makes both recommended)."""
    key = "bisphosphonate"
    # bisphosphonate_gate is the value _bisphosphonate_patient leaves (the batch engine's equality test holds them
    # equal): no scratch board needs to be written for it.
    finals = {gated_value(ctx, key, bisphosphonate_gate(ctx, value, f"systemic.bisphosphonate.{value}")[0])
              for value in ("discuss", "recommended")}
    return len(finals) > 1


def _bone(ctx: Context) -> list[str]:
    c = ctx.conditions
    return [w for w, flag in (("osteoporosis", c.osteoporosis), ("a fragility fracture", c.fragility_fracture)) if flag]


def _dental_pending(ctx: Context) -> str | None:
    """Dental treatment to complete before the first dose (osteonecrosis of the jaw), in words."""
    c = ctx.conditions
    if c.dental_surgery_planned or c.dental_health == "needs_treatment":
        return "invasive dental surgery is planned" if c.dental_surgery_planned else "dental treatment is needed"
    return None


def _renal_barred(ctx: Context) -> bool:
    """eGFR below the limit under which zoledronic acid is not recommended (label)."""
    egfr = ctx.conditions.egfr_ml_min
    return egfr is not None and egfr < rules().safety.drugs.zoledronic_acid_not_recommended_below_ml_min


def bisphosphonate_gate(ctx: Context, value: str, rid: str) -> tuple[str, str]:
    """The decision and rule id of an active bisphosphonate decision after the patient's own factors, as
    :func:`_bisphosphonate_patient` records them: pending dental treatment defers it, an eGFR below zoledronic acid's
    limit makes it discussed, osteoporosis or a fragility fracture makes a discussed one recommended (same id)."""
    if value not in ACTIVE:
        return value, rid
    if _dental_pending(ctx):
        return DEFERRED, f"{PREFIXES['bisphosphonate']}.{DEFERRED}.dental"
    if _renal_barred(ctx):
        return "discuss", f"{PREFIXES['bisphosphonate']}.discuss.renal"
    return ("recommended" if _bone(ctx) and value == "discuss" else value), rid


def _bisphosphonate_patient(ctx: Context, board: Board) -> None:
    """Dental treatment first; the renal limits of zoledronic acid; osteoporosis makes bone therapy indicated anyway."""
    key = "bisphosphonate"
    value = board.decisions.get(key)
    bone = _bone(ctx)
    if value not in ACTIVE:
        if bone and value == "not_indicated" and board.rule_id(key) is not None:
            board.amend(key, extra_evidence=BONE_EVIDENCE,
                        note=f"{' and '.join(bone).capitalize()}: treat bone health on its own terms (ASCO 2019).")
        return
    what = _dental_pending(ctx)
    if what:
        return gate(board, key, "deferred", rid="dental", strength="strong",
                    evidence=["ASCO-BMA-2017", "ZOLEDRONIC-ACID-LABEL"],
                    why=f"Deferred: {what} - complete dental treatment and let it heal before the first dose "
                        "(osteonecrosis of the jaw; ASCO/CCO 2017).",
                    would_change_if="dental treatment completed")
    d = rules().safety.drugs
    egfr = ctx.conditions.egfr_ml_min
    if egfr is not None and _renal_barred(ctx):
        return gate(board, key, "discuss", rid="renal", strength="weak",
                    evidence=["ZOLEDRONIC-ACID-LABEL", *BISPHOSPHONATE_EVIDENCE],
                    why=f"eGFR {egfr:g} mL/min: zoledronic acid is not recommended below "
                        f"{d.zoledronic_acid_not_recommended_below_ml_min:g} mL/min (label); an oral bisphosphonate "
                        "only with renal dose advice - discuss with nephrology.",
                    would_change_if=f"eGFR >= {d.zoledronic_acid_not_recommended_below_ml_min:g} mL/min")
    notes = []
    if egfr is not None and egfr < d.zoledronic_acid_reduced_dose_below_ml_min:
        notes.append(f"eGFR {egfr:g} mL/min: reduced zoledronic acid dose by creatinine clearance (label: 3.0-3.5 mg "
                     "at 30-60 mL/min), creatinine before each dose.")
    if bone and value == "discuss":
        board.amend(key, value="recommended", strength="moderate", extra_evidence=BONE_EVIDENCE,
                    note=f"{' and '.join(bone).capitalize()}: bone-directed therapy is indicated anyway on endocrine "
                         "therapy (ASCO 2019; AIBL 2017); the adjuvant schedule serves both.")
    if notes:
        board.amend(key, note=" ".join(notes), extra_evidence=("ZOLEDRONIC-ACID-LABEL",))
