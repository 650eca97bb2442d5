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

import dataclasses

from micromets.guidelines._context import Board, Context
from micromets.guidelines.chemotherapy import chemotherapy
from micromets.guidelines.patient import (
    ACTIVE,
    fitness,
    gate,
    gated_value,
    no_invasive_disease,
    ofs_intent,
    residual_disease,
    subtype_variants,
)
from micromets.guidelines.rules import rules
from micromets.guidelines.targeted import capecitabine, cdk46_inhibitor, her2_therapy, immunotherapy, olaparib
from micromets.model import DEFERRED, INSUFFICIENT_DATA

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
    if ctx.menopause == "pre":
        return _premenopausal_agent(ctx, board, clots, avoid_tam)
    board.need("menopausal_status", "menopausal status decides the endocrine agent (AI vs tamoxifen vs OFS)")
    return "Agent by menopausal status: AI if postmenopausal; tamoxifen, or OFS + AI/tamoxifen at higher risk, if not."


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


def endocrine(ctx: Context, board: Board) -> None:
    """Endocrine therapy: ER >= 1 % recommended (ER-low weakly), ER < 1 % not indicated."""
    key = "endocrine"
    er = ctx.findings.er
    facts = ctx.say("receptors", "age", "menopause", "n", "t")
    if no_invasive_disease(ctx) and ctx.in_situ_only:
        clots = _clots(ctx)
        vte = (f" With {clots}, tamoxifen is contraindicated for DCIS (label); an aromatase inhibitor is the option if "
               "postmenopausal (IBIS-II DCIS)." if clots else "")
        return board.decide(key, "not_indicated", rid="systemic.endocrine.not_indicated.dcis", strength="weak",
                            text="DCIS only: endocrine therapy is optional risk reduction (NSABP B-24: ER-positive "
                                 "DCIS), outside this system's scope." + vte,
                            rationale=facts, evidence=["NCCN-BREAST", "NSABP-B24", "IBIS-II-DCIS", "TAMOXIFEN-LABEL"],
                            would_change_if="invasive carcinoma")
    if er is None:
        return board.unknown(key, {"tumour.er_percent": "ER status decides endocrine therapy"})
    if er == "negative":
        pr_note = (" PR-positive/ER-negative disease is rare; its endocrine benefit is uncertain: discuss."
                   if ctx.findings.pr == "positive" else "")
        return board.decide(key, "not_indicated", rid="systemic.endocrine.not_indicated.er_negative", strength="strong",
                            text="ER < 1%: no endocrine therapy." + pr_note, rationale=facts,
                            evidence=["ASCO-CAP-ER-PR-2020", "NCCN-BREAST"],
                            would_change_if="ER >= 1% (ER-low: weak recommendation)")
    text = f"{_agent(ctx, board)} {_duration(ctx)}{_bone_note(ctx)}"
    if er == "low_positive":
        return board.decide(
            key, "recommended", rid="systemic.endocrine.recommended.er_low", strength="weak",
            text="ER low positive (1-10%): endocrine therapy may be offered, but the benefit is modest and uncertain "
                 "(the group often behaves like triple-negative disease). " + text,
            rationale=facts, evidence=["ASCO-CAP-ER-PR-2020", "NCCN-BREAST", "EBCTCG-AI-2015"],
            would_change_if="ER < 1% (not indicated) or > 10% (strong)")
    evidence = ["EBCTCG-AI-2015", "SOFT-TEXT", "ASCO-OFS-2016", "ASCO-EXTENDED-ET-2019", "ATLAS"]
    if _clots(ctx):
        evidence.append("TAMOXIFEN-LABEL")
    if _bone_note(ctx):
        evidence += list(BONE_EVIDENCE)
    board.decide(key, "recommended", rid="systemic.endocrine.recommended", strength="strong", text=text,
                 rationale=facts, evidence=evidence, would_change_if="ER < 1%")


SYSTEMIC = ("chemotherapy", "her2_therapy", "cdk46_inhibitor", "olaparib", "immunotherapy", "capecitabine")
BISPHOSPHONATE_EVIDENCE = ["EBCTCG-BISPHOSPHONATES-2015", "ASCO-BMA-2017", "ASCO-OH-BMA-2022"]


def _systemic_candidate(ctx: Context, board: Board, *, by_subtype: bool = True) -> bool | None:
    """A candidate for adjuvant systemic therapy of any kind (ASCO-OH 2022: irrespective of HR and HER2)."""
    if by_subtype and ctx.subtype is None:
        # Receptors unknown: a candidate if every subtype they still allow makes one.
        answers = set()
        for variant in subtype_variants(ctx):
            scratch = Board(decisions=dict(board.decisions))
            for decision_point in (chemotherapy, endocrine, her2_therapy, cdk46_inhibitor, olaparib, immunotherapy,
                                   capecitabine):
                decision_point(variant, scratch)
            answers.add(_systemic_candidate(variant, scratch, by_subtype=False))
        if len(answers) == 1:
            return answers.pop()
    d = board.decisions
    if d.get("endocrine") == "recommended" or any(d.get(k) in (*ACTIVE, DEFERRED) for k in SYSTEMIC):
        return True
    if ctx.setting == "post_neoadjuvant" and {"anthracycline", "taxane", "platinum", "trastuzumab"} & set(ctx.agents()):
        return True
    if any(d.get(k) == INSUFFICIENT_DATA for k in ("endocrine", "chemotherapy", "her2_therapy")):
        # Whatever the receptors, a tumour beyond T1a or with nodal metastasis is treated systemically (endocrine,
        # HER2-directed or chemotherapy for every subtype), unless the patient is too frail for chemotherapy.
        size = ctx.clinical_size_mm if ctx.setting == "planned" else ctx.size_mm
        beyond_t1a = (size is not None and size > rules().chemotherapy.t1a_max_mm) or ctx.node_status in ("micro",
                                                                                                         "macro")
        return True if beyond_t1a and fitness(ctx).level != "frail" else None
    return False


def _chemotherapy_open(ctx: Context, board: Board) -> bool:
    """Whether the chemotherapy indication is still open: the decision is insufficient_data and, when the subtype
    is what is unknown, some subtype the receptors allow could still indicate it (or still leaves it open)."""
    if board.decisions.get("chemotherapy") != INSUFFICIENT_DATA or ctx.declined("chemotherapy"):
        return False
    if ctx.subtype is not None:
        return True
    for variant in subtype_variants(ctx):
        scratch = Board(decisions=dict(board.decisions))
        chemotherapy(variant, scratch)
        rec = scratch.recommendation("chemotherapy")
        if scratch.decisions.get("chemotherapy") in (INSUFFICIENT_DATA, "recommended") or (
                rec is not None and rec.id.startswith("systemic.chemotherapy.recommended.")):
            return True
    return False


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
        # Menopausal status decides only if the two possible answers differ (patient factors included).
        outcomes = []
        for status in ("pre", "post"):
            scratch = Board(decisions=dict(board.decisions), recommendations=list(board.recommendations),
                            missing=list(board.missing))
            _bisphosphonate_decision(dataclasses.replace(ctx, menopause=status), scratch)
            _bisphosphonate_patient(ctx, scratch)
            outcomes.append(scratch)
        rec = outcomes[1].recommendation("bisphosphonate")
        if len({gated_value(ctx, "bisphosphonate", o.decisions["bisphosphonate"]) for o in outcomes}) == 1 \
                and rec is not None \
                and rec.decision != INSUFFICIENT_DATA:
            note = "" if rec.id.endswith((".no_invasive", ".no_systemic")) else \
                " (Menopausal status not given: the answer is the same either way.)"
            return board.decide("bisphosphonate", rec.decision, rid=rec.id, strength=rec.strength,
                                text=rec.text + note, rationale=rec.rationale, evidence=rec.evidence,
                                would_change_if=rec.would_change_if)
        # The two answers differ: menopausal status is needed, with whatever either answer still needs.
        needed = {"menopausal_status": "menopausal status (natural or induced by OFS) decides an adjuvant "
                                       "bisphosphonate (ASCO-OH 2022)"}
        for outcome in outcomes:
            needed.update({m.field: m.why for m in outcome.missing if "bisphosphonate" in m.decisions})
        return board.unknown("bisphosphonate", needed)
    _bisphosphonate_decision(ctx, board)
    _bisphosphonate_patient(ctx, board)


def _bisphosphonate_decision(ctx: Context, board: Board, assume_candidate: bool | None = None) -> None:  # noqa: C901
    key = "bisphosphonate"
    facts = ctx.say("menopause", "age", "t", "n", "receptors")
    evidence = BISPHOSPHONATE_EVIDENCE
    regimen = ("zoledronic acid 4 mg IV every 6 months for 3 years, or oral clodronate 1,600 mg daily for 2-3 years; "
               "dental assessment first (osteonecrosis of the jaw), calcium and vitamin D.")
    if no_invasive_disease(ctx):
        return board.decide(key, "not_indicated", rid="systemic.bisphosphonate.not_indicated.no_invasive",
                            strength="strong", text="No invasive carcinoma (DCIS only or no invasive tumour): no "
                                                    "adjuvant bisphosphonate (the evidence is in invasive cancer).",
                            rationale=facts, evidence=evidence, would_change_if="invasive carcinoma")
    if ctx.breast_surgery == "none":
        # Adjuvant means after surgery: the trials of the meta-analysis gave bisphosphonates after breast surgery.
        return board.decide(key, "not_indicated", rid="systemic.bisphosphonate.not_indicated.no_breast_surgery",
                            strength="moderate",
                            text="No breast surgery: an adjuvant bisphosphonate does not apply (the EBCTCG 2015 trials "
                                 "and ASCO-OH 2022 concern treatment after surgery for early breast cancer); bone "
                                 "health on endocrine therapy follows bone-health guidance.",
                            rationale=facts, evidence=evidence, would_change_if="breast surgery")
    if ctx.male:
        return board.decide(key, "not_indicated", rid="systemic.bisphosphonate.not_indicated.male", strength="weak",
                            text="The adjuvant bisphosphonate data are in postmenopausal women; for bone health on "
                                 "therapy follow bone-health guidance.", rationale=facts, evidence=evidence,
                            would_change_if="female postmenopausal patient")
    if ctx.menopause == "pre" and ofs_intent(ctx) == "not_planned":
        return _premenopausal(board, facts)
    candidate = _systemic_candidate(ctx, board) if assume_candidate is None else assume_candidate
    if candidate is None:
        fields = {m.field: m.why for m in board.missing
                  if {"endocrine", "chemotherapy", "her2_therapy"} & set(m.decisions)}
        outcomes = []
        for assumed in (True, False):
            scratch = Board(decisions=dict(board.decisions), recommendations=list(board.recommendations),
                            missing=list(board.missing))
            _bisphosphonate_decision(ctx, scratch, assumed)
            outcomes.append(scratch)
        rec = outcomes[0].recommendation(key)
        if rec is None or len({o.decisions[key] for o in outcomes}) != 1:
            # A candidate's answer that is itself open names what it needs; when that is among the inputs that decide
            # candidacy (ER for endocrine therapy and ovarian suppression, say), those are the ones that matter.
            own = {m.field: m.why for m in outcomes[0].missing if key in m.decisions}
            if own and not set(own) <= set(fields):
                fields = {**fields, **own}
            elif own:
                fields = {name: fields[name] for name in own}
            return board.unknown(key, fields or {"tumour.er_percent": "bisphosphonates are for candidates for "
                                                                      "adjuvant systemic therapy"})
        return board.decide(key, rec.decision, rid=rec.id, strength=rec.strength, text=rec.text,
                            rationale=rec.rationale, evidence=rec.evidence, would_change_if=rec.would_change_if)
    if not candidate:
        return board.decide(key, "not_indicated", rid="systemic.bisphosphonate.not_indicated.no_systemic",
                            strength="moderate", text="Not a candidate for adjuvant systemic therapy: no adjuvant "
                                                      "bisphosphonate.", rationale=facts, evidence=evidence,
                            would_change_if="an indication for adjuvant endocrine, chemotherapy or HER2-directed "
                                            "therapy")
    if ctx.menopause is None:
        return board.unknown(key, {"menopausal_status": "adjuvant bisphosphonates benefit postmenopausal women "
                                                        "(natural or induced) only"})
    ofs, ofs_fields = _on_ovarian_suppression(ctx, board)
    if ofs is None:  # premenopausal: not indicated without ovarian suppression, discussed with it
        return board.unknown(key, ofs_fields)
    if ctx.menopause == "pre" and not ofs:
        return _premenopausal(board, facts)
    t = rules().endocrine
    chemo = board.recommendation("chemotherapy")
    # The tumour rule's own verdict (the id keeps it when a patient factor later caps the decision to 'discuss').
    chemo_indicated = chemo is not None and chemo.id.startswith("systemic.chemotherapy.recommended.")
    high_risk = (ctx.node_status == "macro" or (ctx.size_mm or 0) > t.bisphosphonate_high_risk_min_size_mm
                 or chemo_indicated
                 or (ctx.setting == "post_neoadjuvant" and residual_disease(ctx) is True))
    if not ofs and not high_risk:
        # Each unknown higher-risk marker could make this 'recommended' rather than 'discussed': it is asked, never
        # read as absent (a chemotherapy indication is decided by whatever decides the chemotherapy; a declined
        # chemotherapy asks for no assay), unless the patient's own factors make both answers the same.
        why = "for which a bisphosphonate is recommended rather than discussed (EBCTCG 2015; ASCO-OH 2022)"
        markers: dict[str, str] = {}
        if ctx.size_mm is None:
            markers["tumour.size_mm"] = f"a tumour > {t.bisphosphonate_high_risk_min_size_mm:g} mm marks higher risk, {why}"
        if ctx.node_status is None:
            markers[ctx.node_status_field] = f"a nodal macrometastasis marks higher risk, {why}"
        if _chemotherapy_open(ctx, board):
            markers.update(_chemotherapy_fields(board, f"a chemotherapy indication marks higher risk, {why}")
                           or {"oncotype_rs": f"a chemotherapy indication marks higher risk, {why}"})
        if markers and _risk_group_matters(ctx, board):
            return board.unknown(key, markers)
    if ofs:
        return board.decide(key, "discuss", rid="systemic.bisphosphonate.discuss.ofs", strength="weak",
                            text="Premenopausal on ovarian suppression (induced menopause): discuss " + regimen,
                            rationale=facts, evidence=evidence, would_change_if="no ovarian suppression")
    if high_risk:
        return board.decide(key, "recommended", rid="systemic.bisphosphonate.recommended", strength="moderate",
                            text="Postmenopausal candidate for adjuvant systemic therapy at higher risk of recurrence: "
                                 + regimen + " EBCTCG: breast cancer mortality RR 0.82, bone recurrence RR 0.72.",
                            rationale=facts, evidence=evidence,
                            would_change_if="lower risk (T1, no nodal macrometastasis, no chemotherapy): discuss")
    board.decide(key, "discuss", rid="systemic.bisphosphonate.discuss.lower_risk", strength="weak",
                 text="Postmenopausal candidate for adjuvant systemic therapy (ASCO-OH 2022: discuss with every such "
                      "patient, whatever the subtype), lower risk: the relative benefit is the same but the absolute "
                      "gain is small; consider " + regimen, rationale=facts, evidence=evidence,
                 would_change_if="nodal macrometastasis, a tumour > 20 mm or a chemotherapy indication (recommended)")


def _risk_group_matters(ctx: Context, board: Board) -> bool:
    """Whether 'recommended' (higher risk) and 'discuss' (lower risk) stay different once the patient's own factors
    are applied (dental treatment or pregnancy defers both; osteoporosis makes both recommended)."""
    key = "bisphosphonate"
    finals = set()
    for value in ("discuss", "recommended"):
        scratch = Board(decisions=dict(board.decisions), recommendations=list(board.recommendations))
        scratch.decide(key, value, rid=f"systemic.bisphosphonate.{value}", strength="weak", text=value,
                       rationale=value, evidence=BISPHOSPHONATE_EVIDENCE, would_change_if=value)
        _bisphosphonate_patient(ctx, scratch)
        finals.add(gated_value(ctx, key, scratch.decisions[key]))
    return len(finals) > 1


def _premenopausal(board: Board, facts: str) -> None:
    board.decide("bisphosphonate", "not_indicated", rid="systemic.bisphosphonate.not_indicated.premenopausal",
                 strength="strong", text="Premenopausal without ovarian suppression: no benefit from adjuvant "
                                         "bisphosphonates (EBCTCG 2015).",
                 rationale=facts, evidence=BISPHOSPHONATE_EVIDENCE,
                 would_change_if="postmenopausal status or ovarian function suppression")


def _bisphosphonate_patient(ctx: Context, board: Board) -> None:
    """Dental treatment first; the renal limits of zoledronic acid; osteoporosis makes bone therapy indicated anyway."""
    key = "bisphosphonate"
    value = board.decisions.get(key)
    c = ctx.conditions
    bone = [w for w, flag in (("osteoporosis", c.osteoporosis), ("a fragility fracture", c.fragility_fracture)) if flag]
    if value not in ACTIVE:
        if bone and value == "not_indicated" and board.recommendation(key) is not None:
            board.amend(key, extra_evidence=BONE_EVIDENCE,
                        note=f"{' and '.join(bone).capitalize()}: treat bone health on its own terms (ASCO 2019).")
        return
    if c.dental_surgery_planned or c.dental_health == "needs_treatment":
        what = "invasive dental surgery is planned" if c.dental_surgery_planned else "dental treatment is needed"
        return gate(board, key, "deferred", rid="dental", strength="strong",
                    evidence=["ASCO-BMA-2017", "ZOLEDRONIC-ACID-LABEL"],
                    why=f"Deferred: {what} - complete dental treatment and let it heal before the first dose "
                        "(osteonecrosis of the jaw; ASCO/CCO 2017).",
                    would_change_if="dental treatment completed")
    d = rules().safety.drugs
    egfr = c.egfr_ml_min
    if egfr is not None and egfr < d.zoledronic_acid_not_recommended_below_ml_min:
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
