"""Treatments the patient declines (``preferences.declined``): shown as ``declined`` for every decision key.

Applied after every decision point and safety rail: the decision becomes ``declined``, the recommendation keeps
what the rules decided in ``clinical_decision`` and says so, and nothing further is asked for a declined
treatment (its ``insufficient_data`` inputs leave ``missing``, an assay ordered only for it is withdrawn). After
the prognosis, ``with_forgone_benefit`` adds what PREDICT says the treatment would have given.

    >>> from micromets.model import Case, Findings, Staging
    >>> from micromets.guidelines._context import Board, Context
    >>> board = Board()
    >>> board.decide("chemotherapy", "recommended", rid="systemic.chemotherapy.recommended.x", strength="strong",
    ...              text="Chemotherapy.", rationale="r", evidence=["NCCN-BREAST"], would_change_if="w")
    >>> apply(Context.of(Case(preferences={"declined": ["chemotherapy"]}), Findings(), Staging()), board)
    >>> board.decisions["chemotherapy"], board.recommendation("chemotherapy").clinical_decision
    ('declined', 'recommended')
"""

from __future__ import annotations

from micromets.guidelines._context import Board, Context, decision_key
from micromets.guidelines.patient import PREFIXES
from micromets.model import DECISION_VALUES, DECLINED, Case, Findings, Recommendation
from micromets.prognosis.forgone import HORIZON_YEARS, forgone_benefits

#: Diagnostic orders that serve one decision only (withdrawn when the patient declines that treatment).
ONLY_FOR = {"diagnostics.genomic_assay.order": "chemotherapy"}

WORDS = {"not_indicated": "not indicated", "not_applicable": "not applicable", "insufficient_data": "undecided",
         "omission_possible": "omission possible", "omit_alnd": "no axillary dissection",
         "none_needed": "no further axillary surgery", "alnd": "axillary dissection",
         "axillary_rt_or_alnd": "axillary RT or dissection"}


def apply(ctx: Context, board: Board) -> None:
    """Every declined decision key becomes ``declined``; what the rules decided stays in ``clinical_decision``."""
    preferences = ctx.case.preferences
    if preferences is None or not preferences.declined:  # most patients decline nothing
        return
    for key in DECISION_VALUES:
        if not ctx.declined(key) or key not in board.decisions:
            continue
        clinical = board.decisions[key]
        if not board.explains:  # values only: the decision and its rule id, as the words below record them
            board.settle(key, DECLINED, declined_rule_id(key))
            _forget(board, key)
            continue
        rec = board.recommendation(key)
        needed = [m.field for m in board.missing if key in m.decisions]
        if rec is not None:
            plan = f" The rules decided: {WORDS.get(clinical, clinical)} - {rec.text}"
        else:
            plan = (f" The rules could not decide it without {', '.join(needed) or 'more data'}; nothing more is "
                    "asked for a declined treatment.")
        board.decide(key, DECLINED, rid=declined_rule_id(key), strength=rec.strength if rec else "strong",
                     text="Declined by the patient after information; the decision is respected and can be revisited."
                          + plan,
                     rationale=rec.rationale if rec else ctx.say("t", "n", "receptors"),
                     evidence=rec.evidence if rec else ["NCCN-BREAST"],
                     would_change_if="the patient reconsiders")
        declined_rec = board.recommendation(key)
        assert declined_rec is not None
        board.replace(declined_rec, declined_rec.model_copy(update={"clinical_decision": clinical}))
        _forget(board, key)


def declined_rule_id(key: str) -> str:
    """The id of the recommendation that says the patient declined ``key`` (the batch engine's rule id too)."""
    return f"{PREFIXES[key]}.declined"


def _forget(board: Board, key: str) -> None:
    """Inputs wanted only for a declined decision are no longer missing; its own orders are withdrawn."""
    kept = []
    for item in board.missing:
        if key in item.decisions:
            rest = [d for d in item.decisions if d != key]
            if not rest:
                continue
            item = item.model_copy(update={"decisions": rest})
        kept.append(item)
    board.missing = kept
    board.recommendations = [r for r in board.recommendations if ONLY_FOR.get(r.id) != key]


def with_forgone_benefit(case: Case, findings: Findings, decisions: dict[str, str],
                         recommendations: list[Recommendation], version: str) -> list[Recommendation]:
    """The declined recommendations with PREDICT's 10-year overall-survival gain forgone (or why there is none)."""
    if DECLINED not in decisions.values():
        # No decision declined, so no recommendation is (the board records a decision and its recommendation's
        # together): the ~15 recommendations are not read one by one for the few patients who decline something.
        return recommendations
    clinical = {r_key: r.clinical_decision for r in recommendations
                if r.decision == DECLINED and r.clinical_decision and (r_key := decision_key(r.id))}
    if not clinical:
        return recommendations
    figures = forgone_benefits(case, findings, decisions, clinical, version)
    out = []
    for rec in recommendations:
        key = decision_key(rec.id)
        figure = figures.get(key or "")
        if rec.decision == DECLINED and figure is not None:
            if figure.gain is not None:
                note = (f"PREDICT v{figure.version}: this treatment would add about {figure.gain * 100:.1f} percentage "
                        f"points of {HORIZON_YEARS}-year overall survival on top of the other treatments the rules "
                        "give; that is the benefit forgone.")
            else:
                note = f"No PREDICT figure for the benefit forgone: {figure.note}."
            model = "PREDICT-V2" if figure.version.startswith("2.") else "PREDICT-V3"
            cited = [*rec.evidence, model] if figure.gain is not None else rec.evidence
            rec = rec.model_copy(update={"text": f"{rec.text} {note}", "evidence": list(dict.fromkeys(cited))})
        out.append(rec)
    return out
