"""DP-S2 endocrine therapy (agent, ovarian suppression, duration) and DP-S6 adjuvant bisphosphonates.

Runs after the chemotherapy decision, which is one of the risk markers for ovarian suppression.

    >>> from micromets.model import Case, Findings, Staging
    >>> from micromets.guidelines._context import Board, Context
    >>> board = Board()
    >>> endocrine(Context.of(Case(age=66, menopausal_status="post", tumour={"er_percent": 0}),
    ...                      Findings(er="negative"), Staging()), board)
    >>> board.decisions["endocrine"]
    'not_indicated'
"""

from __future__ import annotations

from micromets.guidelines._context import Board, Context
from micromets.guidelines.rules import rules


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


def _agent(ctx: Context, board: Board) -> str:
    if ctx.male:
        return ("Tamoxifen 20 mg daily (an aromatase inhibitor only together with a GnRH agonist). Male patients "
                "were not in most trials.")
    if ctx.menopause == "post":
        return ("Aromatase inhibitor (letrozole, anastrozole or exemestane) for 5 years, or tamoxifen then AI; "
                "tamoxifen if an AI is not tolerated (EBCTCG: AI vs tamoxifen recurrence RR about 0.70 in years 0-4).")
    if ctx.menopause == "pre":
        if higher_risk_premenopausal(ctx, board):
            return ("Higher-risk premenopausal: ovarian function suppression plus exemestane (or plus tamoxifen) "
                    "(SOFT/TEXT 12-yr DFS about 79.9% vs 75.9%; ASCO OFS 2016).")
        return "Tamoxifen 20 mg daily (no ovarian suppression for stage I disease without a chemotherapy indication)."
    board.need("menopausal_status", "menopausal status decides the endocrine agent (AI vs tamoxifen vs OFS)")
    return "Agent by menopausal status: AI if postmenopausal; tamoxifen, or OFS + AI/tamoxifen at higher risk, if not."


def endocrine(ctx: Context, board: Board) -> None:
    """Endocrine therapy: ER >= 1 % recommended (ER-low weakly), ER < 1 % not indicated."""
    key = "endocrine"
    er = ctx.findings.er
    facts = ctx.say("receptors", "age", "menopause", "n", "t")
    if er is None:
        return board.unknown(key, {"tumour.er_percent": "ER status decides endocrine therapy"})
    if er == "negative":
        pr_note = (" PR-positive/ER-negative disease is rare; its endocrine benefit is uncertain: discuss."
                   if ctx.findings.pr == "positive" else "")
        return board.decide(key, "not_indicated", rid="systemic.endocrine.not_indicated.er_negative", strength="strong",
                            text="ER < 1%: no endocrine therapy." + pr_note, rationale=facts,
                            evidence=["ASCO-CAP-ER-PR-2020", "NCCN-BREAST"],
                            would_change_if="ER >= 1% (ER-low: weak recommendation)")
    if ctx.in_situ_only:
        return board.decide(key, "not_indicated", rid="systemic.endocrine.not_indicated.dcis", strength="weak",
                            text="DCIS only: endocrine therapy is optional risk reduction, outside this system's scope.",
                            rationale=facts, evidence=["NCCN-BREAST"], would_change_if="invasive carcinoma")
    text = f"{_agent(ctx, board)} {_duration(ctx)}"
    if er == "low_positive":
        return board.decide(
            key, "recommended", rid="systemic.endocrine.recommended.er_low", strength="weak",
            text="ER low positive (1-10%): endocrine therapy may be offered, but the benefit is modest and uncertain "
                 "(the group often behaves like triple-negative disease). " + text,
            rationale=facts, evidence=["ASCO-CAP-ER-PR-2020", "NCCN-BREAST", "EBCTCG-AI-2015"],
            would_change_if="ER < 1% (not indicated) or > 10% (strong)")
    board.decide(key, "recommended", rid="systemic.endocrine.recommended", strength="strong", text=text,
                 rationale=facts,
                 evidence=["EBCTCG-AI-2015", "SOFT-TEXT", "ASCO-OFS-2016", "ASCO-EXTENDED-ET-2019", "ATLAS"],
                 would_change_if="ER < 1%")


def bisphosphonate(ctx: Context, board: Board) -> None:
    """Postmenopausal (natural or OFS-induced) candidates for adjuvant systemic therapy (ASCO/CCO 2017)."""
    key = "bisphosphonate"
    facts = ctx.say("menopause", "age", "t", "n", "receptors")
    evidence = ["EBCTCG-BISPHOSPHONATES-2015", "ASCO-BMA-2017"]
    regimen = ("zoledronic acid 4 mg IV every 6 months for 3 years, or oral clodronate 1,600 mg daily for 2-3 years; "
               "dental assessment first (osteonecrosis of the jaw), calcium and vitamin D.")
    systemic = (board.decisions.get("endocrine") == "recommended"
                or board.decisions.get("chemotherapy") in ("recommended", "discuss"))
    if not systemic:
        if board.decisions.get("endocrine") == "insufficient_data":
            return board.unknown(key, {"tumour.er_percent": "bisphosphonates are for candidates for adjuvant "
                                                            "systemic therapy"})
        return board.decide(key, "not_indicated", rid="systemic.bisphosphonate.not_indicated.no_systemic",
                            strength="moderate", text="Not a candidate for adjuvant systemic therapy: no adjuvant "
                                                      "bisphosphonate.", rationale=facts, evidence=evidence,
                            would_change_if="an indication for adjuvant endocrine or chemotherapy")
    if ctx.male:
        return board.decide(key, "not_indicated", rid="systemic.bisphosphonate.not_indicated.male", strength="weak",
                            text="The adjuvant bisphosphonate data are in postmenopausal women; for bone health on "
                                 "therapy follow bone-health guidance.", rationale=facts, evidence=evidence,
                            would_change_if="female postmenopausal patient")
    if ctx.menopause is None:
        return board.unknown(key, {"menopausal_status": "adjuvant bisphosphonates benefit postmenopausal women only"})
    ofs = ctx.menopause == "pre" and ctx.findings.er in ("positive", "low_positive") and \
        higher_risk_premenopausal(ctx, board)
    if ctx.menopause == "pre" and not ofs:
        return board.decide(key, "not_indicated", rid="systemic.bisphosphonate.not_indicated.premenopausal",
                            strength="strong", text="Premenopausal without ovarian suppression: no benefit from "
                                                    "adjuvant bisphosphonates (EBCTCG 2015).",
                            rationale=facts, evidence=evidence,
                            would_change_if="postmenopausal status or ovarian function suppression")
    t = rules().endocrine
    high_risk = (ctx.node_status == "macro" or (ctx.size_mm or 0) > t.bisphosphonate_high_risk_min_size_mm
                 or board.decisions.get("chemotherapy") == "recommended")
    if ofs:
        return board.decide(key, "discuss", rid="systemic.bisphosphonate.discuss.ofs", strength="weak",
                            text="Premenopausal on ovarian suppression (induced menopause): consider " + regimen,
                            rationale=facts, evidence=evidence, would_change_if="no ovarian suppression")
    if high_risk:
        return board.decide(key, "recommended", rid="systemic.bisphosphonate.recommended", strength="moderate",
                            text="Postmenopausal, higher risk of recurrence: " + regimen +
                                 " EBCTCG: breast cancer mortality RR 0.82, bone recurrence RR 0.72.",
                            rationale=facts, evidence=evidence,
                            would_change_if="lower risk (T1, no nodal macrometastasis, no chemotherapy): discuss")
    board.decide(key, "discuss", rid="systemic.bisphosphonate.discuss.lower_risk", strength="weak",
                 text="Postmenopausal, lower risk: the relative benefit is the same but the absolute gain is small; "
                      "consider " + regimen, rationale=facts, evidence=evidence,
                 would_change_if="nodal macrometastasis, a tumour > 20 mm or a chemotherapy indication (recommended)")
