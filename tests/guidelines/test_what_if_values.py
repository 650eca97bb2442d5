"""The what-if re-runs decide on boards that keep values only (``Board.what_if``), and reach what the fully
rendered decision reaches.

A decision point re-run for a what-if variant of the patient (an unfit performance status, each receptor subtype, each
nodal category, size or menopausal status) is read for its value, its missing inputs and the id of the rule that
decided - never for its words. Issue 13 asks for registry rows (where such inputs are open) to cost less, so these
re-runs build no recommendation. The expectation here is the fully rendered run itself: every decision point, run on
an explaining board and on a what-if board from the same state (the board as ``recommend`` has it just before that
point), for the patient and for the variants the re-runs try, must leave the same decisions, the same missing inputs
and, for each decision, the same rule id and value its recommendation carries. Then the safety rails (which re-run
five decision points for an unfit patient) likewise. Rows: the synthetic registry (``micromets cohort --synthetic``,
unknowns included) and cases drawn by the property tests' strategy (neoadjuvant settings, DCIS, inflammatory
disease, patient factors).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from tests.properties._strategies import drawn_case_dicts

from micromets.cohort.columns import cases_from_batch
from micromets.cohort.synthetic import synthetic_registry
from micromets.errors import MicrometsError
from micromets.guidelines import DECISION_POINTS, _her2_field_alias, safety
from micromets.guidelines._context import Board, Context, decision_key
from micromets.guidelines.patient import explained_board, gated_value, subtype_variants, what_if_answer
from micromets.model import Case, parse_case
from micromets.pathology import classify
from micromets.staging import stage

REGISTRY_ROWS = 1_500
DRAWN = 600
Point = Callable[[Context, Board], None]


def _context(case: Case) -> Context:
    findings = classify(case).findings
    return Context.of(case, findings, stage(case, findings).staging)


def _contexts() -> list[Context]:
    contexts = []
    for batch in synthetic_registry(REGISTRY_ROWS, seed=29).to_batches():
        contexts += [_context(case) for case in cases_from_batch(batch)[1] if isinstance(case, Case)]
    for data in drawn_case_dicts(DRAWN):
        try:
            contexts.append(_context(parse_case(data)))
        except MicrometsError:
            continue
    return [ctx for ctx in contexts if not ctx.metastatic]  # M1 takes no decision point


@pytest.fixture(scope="module")
def contexts() -> list[Context]:
    return _contexts()


def _rules_of(board: Board) -> dict[str, tuple[str, str]]:
    """Each decision's rule id and value as its recommendation carries them (the first, as ``recommendation``)."""
    out: dict[str, tuple[str, str]] = {}
    for rec in board.recommendations:
        key = decision_key(rec.id)
        if key is not None:
            out.setdefault(key, (rec.id, rec.decision))
    return out


def _copy(board: Board) -> Board:
    return Board(decisions=dict(board.decisions), recommendations=list(board.recommendations),
                 missing=list(board.missing), warnings=list(board.warnings), field_aliases=dict(board.field_aliases))


def _both(point: Point, variant: Context, before: Board) -> tuple[Board, Board]:
    """``point`` for ``variant`` on a full copy of ``before`` and on a what-if copy of it."""
    full, values = _copy(before), before.what_if(missing=True)
    values.field_aliases = dict(before.field_aliases)
    point(variant, full)
    point(variant, values)
    return full, values


def _same(full: Board, values: Board, where: str) -> None:
    assert values.decisions == full.decisions, where
    assert values.missing == full.missing, where
    assert values.decided_rules() == full.decided_rules() == _rules_of(full), where
    assert not values.recommendations, where


def _variants(ctx: Context) -> list[Context]:
    """The patient and the what-if variants the re-runs try: an unfit performance status (ECOG 2, the frail 3),
    each receptor subtype the known receptors allow, each nodal status and menopausal status when not given."""
    variants = [ctx, ctx.with_ecog(2), ctx.with_ecog(3), *subtype_variants(ctx)]
    if ctx.node_status is None:
        variants += [dataclasses.replace(ctx, node_status=status) for status in ("negative", "micro", "macro")]
    if ctx.menopause is None:
        variants += [dataclasses.replace(ctx, menopause=status) for status in ("pre", "post")]
    return variants


def test_every_decision_point_reaches_the_same_values_on_a_what_if_board(contexts: list[Context]) -> None:
    assert len(contexts) > REGISTRY_ROWS * 0.9
    compared = 0
    for i, ctx in enumerate(contexts):
        board = Board(field_aliases=_her2_field_alias(ctx.case, ctx.findings))
        for point in DECISION_POINTS:
            for j, variant in enumerate(_variants(ctx)):
                full, values = _both(point, variant, board)
                _same(full, values, f"row {i}, {point.__name__}, variant {j}")
                compared += 1
            point(ctx, board)
        full, values = _both(safety.apply, ctx, board)
        _same(full, values, f"row {i}, safety rails")
    assert compared > len(contexts) * len(DECISION_POINTS) * 4


def test_a_what_if_answer_equals_the_fully_rendered_re_run(contexts: list[Context]) -> None:
    """``what_if_answer`` (values only) against the same re-run on an explaining board, for the five decision points
    an unfit patient's performance status can change, at ECOG 2 and 3."""
    from micromets.guidelines import chemotherapy, targeted

    points: dict[str, Point] = {"chemotherapy": chemotherapy.chemotherapy, "her2_therapy": targeted.her2_therapy,
                                "cdk46_inhibitor": targeted.cdk46_inhibitor,
                                "immunotherapy": targeted.immunotherapy, "capecitabine": targeted.capecitabine}
    changed = 0
    for ctx in contexts[:800]:
        board = Board(field_aliases=_her2_field_alias(ctx.case, ctx.findings))
        for point in DECISION_POINTS:
            point(ctx, board)
        for key, point in points.items():
            for grade in (2, 3):
                variant = ctx.with_ecog(grade)
                rendered = explained_board(board, point, variant)
                expected = gated_value(variant, key, rendered.decisions.get(key))
                assert what_if_answer(board, key, point, variant) == expected, (key, grade)
                changed += expected != gated_value(ctx, key, board.decisions.get(key))
    assert changed > 0  # an unfit patient's answer differs somewhere: the comparison is not vacuous


def test_a_what_if_board_keeps_no_recommendation() -> None:
    board = Board().what_if()
    board.decide("chemotherapy", "recommended", rid="systemic.chemotherapy.recommended.tnbc", strength="strong",
                 text="t", rationale="r", evidence=["NCCN-BREAST"], would_change_if="w")
    assert board.rule("chemotherapy") == ("systemic.chemotherapy.recommended.tnbc", "recommended")
    board.amend("chemotherapy", value="discuss", note="n")  # a rail's new value changes the rule's value too
    assert board.decisions["chemotherapy"] == "discuss"
    assert board.rule("chemotherapy") == ("systemic.chemotherapy.recommended.tnbc", "discuss")
    board.amend("endocrine", value="not_indicated")  # without a recommendation the value still changes
    assert board.decisions["endocrine"] == "not_indicated" and board.rule("endocrine") is None
    board.unknown("chemotherapy", {"tumour.size_mm": "why"})
    assert board.rule("chemotherapy") is None and [m.field for m in board.missing] == ["tumour.size_mm"]
    assert not board.recommendations
    with pytest.raises(RuntimeError):
        board.recommendation("chemotherapy")  # words are never read from a what-if board


def test_a_varied_context_is_the_one_dataclasses_replace_builds(contexts: list[Context]) -> None:
    """``Context.varied`` (the what-if variants, built without ``__init__``) against ``dataclasses.replace``: equal
    fields, and the derived words, facts and memo its own (a variant's facts differ from the patient's)."""
    for ctx in contexts[:300]:
        ctx.facts(), ctx.say("t", "n", "receptors")  # the patient's caches filled first: none may leak
        for changes in [{"findings": v.findings} for v in subtype_variants(ctx)] + [
                {"node_status": "macro"}, {"menopause": "pre"}, {"case": ctx.case.model_copy(update={"ecog": 2})}]:
            varied, replaced = ctx.varied(**changes), dataclasses.replace(ctx, **changes)
            assert varied == replaced and varied.__dict__.keys() == replaced.__dict__.keys()
            if "case" in changes or "findings" in changes:  # the plain facts held of them derived afresh
                fresh = Context.of(varied.case, varied.findings, ctx.staging)
                assert (varied.age, varied.male, varied.size_mm, varied.grade, varied.in_situ_only, varied.subtype,
                        varied.conditions, varied.pregnant) == (fresh.age, fresh.male, fresh.size_mm, fresh.grade,
                                                                fresh.in_situ_only, fresh.subtype, fresh.conditions,
                                                                fresh.pregnant)
            assert varied.memo == {} and varied.facts() == replaced.facts()
            assert varied.say("t", "n", "receptors") == replaced.say("t", "n", "receptors")
            assert varied.memo is not ctx.memo and varied._facts is not ctx._facts
