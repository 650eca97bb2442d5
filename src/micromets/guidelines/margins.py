"""The breast-surgery margin: tumour on ink needs re-excision, whatever radiotherapy is given or declined.

A positive margin is a surgical question before it is a radiotherapy one (SSO-ASTRO 2014 margin consensus: ink on
invasive carcinoma or DCIS at least doubles ipsilateral breast tumour recurrence, and neither a boost, endocrine
therapy nor favourable biology offsets it). So the advice stands on its own here, not in the boost table, whose
rules can end before the margin is read (e.g. whole-breast RT declined). It is advice, not a contract decision: a
board that keeps values only gets nothing.

    >>> from micromets.model import Case, Findings, Staging
    >>> from micromets.guidelines._context import Board, Context
    >>> board = Board()
    >>> case = Case(age=60, surgery={"breast": "bcs", "status": "done", "margins_mm": 0})
    >>> breast_margin(Context.of(case, Findings(), Staging()), board)
    >>> [r.id for r in board.recommendations]
    ['surgery.margins.re_excision']
"""

from __future__ import annotations

from micromets.guidelines._context import Board, Context

RE_EXCISION = "surgery.margins.re_excision"


def breast_margin(ctx: Context, board: Board) -> None:
    """Re-excision advice for tumour on ink (``surgery.margins_mm == 0``) after breast-conserving surgery or mastectomy
    already done."""
    surgery = ctx.case.surgery
    if not board.explains or surgery is None or surgery.status != "done" or surgery.margins_mm != 0:
        return
    if surgery.breast == "bcs":
        text = ("Tumour on ink at the closest margin: re-excision to no ink on tumour, whatever radiotherapy is given "
                "or declined (SSO-ASTRO 2014: a positive margin at least doubles ipsilateral breast tumour recurrence, "
                "and neither a boost, endocrine therapy nor favourable biology offsets it; no ink on tumour is enough, "
                "wider margins add nothing). If re-excision is not feasible: mastectomy, or whole-breast RT with a "
                "tumour-bed boost (ASTRO 2018).")
        evidence = ["SSO-ASTRO-MARGINS-2014", "ASTRO-WBI-2018"]
        would_change_if = "no ink on tumour (then no re-excision, whatever the margin width)"
    elif surgery.breast == "mastectomy":
        text = ("Tumour on ink after mastectomy: re-excision where feasible; otherwise chest-wall radiotherapy is "
                "discussed (see PMRT; NCCN).")
        evidence = ["NCCN-BREAST"]
        would_change_if = "no ink on tumour"
    else:
        return
    board.advise(RE_EXCISION, "recommended", strength="strong", text=text,
                 rationale=ctx.say("surgery", "margins"), evidence=evidence, would_change_if=would_change_if)
