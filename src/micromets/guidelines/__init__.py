"""The guideline engine: every decision of the contract, as recommendations with evidence.

``recommend(case, findings, staging)`` runs the decision points in clinical order (axilla, systemic,
radiation), then the safety rails (patient factors such as pregnancy), the patient's declined treatments
(``preferences``), the breast-margin advice (re-excision for tumour on ink, whatever else is decided) and the
diagnostics that the final decisions call for. Each decision is one of the contract's allowed values or
``insufficient_data`` with the missing field named; each recommendation names the patient facts used,
cites registry evidence ids and says what would change it (``would_change_if`` is written with the rule,
from the same thresholds the rule uses; ``micromets.whatif`` checks such claims by re-running the engine).

    >>> from micromets.model import parse_case
    >>> from micromets.pathology import classify
    >>> from micromets.staging import stage
    >>> case = parse_case({"age": 58, "menopausal_status": "post", "metastasis": "cM0", "clinical_nodes": "cN0",
    ...     "tumour": {"size_mm": 16, "grade": 2, "er_percent": 95, "pr_percent": 60, "her2_ihc": "1+"},
    ...     "surgery": {"breast": "bcs", "status": "done", "margins_mm": 3}, "oncotype_rs": 14,
    ...     "nodes": {"procedure": "slnb", "examined": 2, "deposits": [{"node": 1, "size_mm": 1.1, "method": "he"}]}})
    >>> findings = classify(case).findings
    >>> result = recommend(case, findings, stage(case, findings).staging)
    >>> result.decisions["axillary_surgery"], result.decisions["chemotherapy"], result.decisions["whole_breast_rt"]
    ('omit_alnd', 'not_indicated', 'recommended')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

from micromets.guidelines import axilla, chemotherapy, endocrine, preferences, radiation, safety, targeted
from micromets.guidelines._context import DECISION_PREFIXES, Board, Context, decision_key
from micromets.guidelines.diagnostics import diagnostics
from micromets.guidelines.margins import breast_margin
from micromets.model import DECISION_VALUES, Case, Findings, MissingItem, Recommendation, Staging

__all__ = ["DECISION_PREFIXES", "GuidelineResult", "decision_key", "recommend"]

#: Decision points in the order a tumour board takes them (later rules read earlier decisions).
DECISION_POINTS: tuple[Callable[[Context, Board], None], ...] = (
    axilla.sentinel_biopsy,
    axilla.axillary_surgery,
    chemotherapy.chemotherapy,
    endocrine.endocrine,
    targeted.her2_therapy,
    targeted.cdk46_inhibitor,
    targeted.olaparib,
    targeted.immunotherapy,
    targeted.capecitabine,
    endocrine.bisphosphonate,
    radiation.whole_breast_rt,
    radiation.boost,
    radiation.regional_nodal_irradiation,
    radiation.post_mastectomy_rt,
)


@dataclass(frozen=True)
class GuidelineResult:
    """Every decision key with its value, the recommendations, missing inputs and warnings."""

    decisions: dict[str, str]
    recommendations: list[Recommendation]
    missing: list[MissingItem]
    warnings: list[str]
    #: Only from ``recommend(..., explains=False)`` (no recommendation built): for every decision key, the id of the
    #: recommendation that would decide it (None for insufficient_data). None on an explained result: read the
    #: recommendations.
    rule_ids: dict[str, str | None] | None = None


def _her2_field_alias(case: Case, findings: Findings) -> dict[str, tuple[str, ...]]:
    """When IHC is known but HER2 is equivocal (IHC 2+, or an incomplete ISH result that could be amplified), the
    missing input is the ISH result (ratio and copy number, both needed to read the dual-probe group), not the IHC
    score."""
    tumour = case.tumour
    if findings.her2 == "equivocal" and tumour is not None and tumour.her2_ihc is not None:
        ish = tuple(name for name, value in (("tumour.her2_ish_ratio", tumour.her2_ish_ratio),
                                              ("tumour.her2_ish_copies", tumour.her2_ish_copies)) if value is None)
        return {"tumour.her2_ihc": ish, "tumour.her2_ish_ratio": ish}
    return {}


_ORDER = {key: i for i, key in enumerate(DECISION_VALUES)}
_DECISION_KEYS = frozenset(DECISION_VALUES)


def _display_order(recommendation: Recommendation) -> tuple[int, str]:
    """Contract order of the decision keys, then the id (diagnostics and notes last)."""
    return _order_of(recommendation.id)


@cache  # a few hundred recommendation ids
def _order_of(rid: str) -> tuple[int, str]:
    return _ORDER.get(decision_key(rid) or "", len(_ORDER)), rid


def recommend(case: Case, findings: Findings, staging: Staging, *, explains: bool = True,
              node_categories: Mapping[int, str | None] | None = None) -> GuidelineResult:
    """All guideline decisions for one patient (pure and deterministic).

    ``node_categories``: each node's class as ``classify`` found it (``PathologyResult.node_categories``), so that
    the nodal status is not worked out from the deposits again (``Context.of``); without it, it is, to the same
    decisions.

    ``explains=False``: the same decision points and rails on a board that keeps values only (``Board``): the
    decisions, missing inputs, warnings and each decision's rule id (``rule_ids``), no recommendation built (no
    text, rationale or evidence), for callers that read no explanation (``micromets cohort``).
    """
    ctx = Context.of(case, findings, staging, node_categories=node_categories)
    board = Board(field_aliases=_her2_field_alias(case, findings), explains=explains)
    if ctx.metastatic:
        safety.metastatic(ctx, board)
        safety.free_text(ctx, board)
        preferences.apply(ctx, board)
    else:
        for decision_point in DECISION_POINTS:
            decision_point(ctx, board)
        safety.apply(ctx, board)
        preferences.apply(ctx, board)
        breast_margin(ctx, board)
        diagnostics(ctx, board)
    if not board.decisions.keys() >= _DECISION_KEYS:  # a programming error, never a clinical default
        absent = [key for key in DECISION_VALUES if key not in board.decisions]
        raise RuntimeError(f"guideline engine left decisions unset: {absent}")
    decisions = {key: board.decisions[key] for key in DECISION_VALUES}
    if not explains:
        return GuidelineResult(decisions=decisions, recommendations=[], missing=list(board.missing),
                               warnings=list(board.warnings), rule_ids=board.rule_ids(decisions))
    recommendations = sorted(board.recommendations, key=_display_order)
    return GuidelineResult(
        decisions=decisions,
        recommendations=recommendations,
        missing=list(board.missing),
        warnings=list(board.warnings),
    )
