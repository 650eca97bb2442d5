"""The guideline board builds its missing inputs and its what-if scratch boards without the generic calls; what it
builds is what those calls build.

The reference is the library's own construction: pydantic's validation of ``MissingItem(...)`` and its
``model_copy(update=...)`` (pydantic 2 docs, "Model methods and properties"), and the dataclass ``__init__`` of
``Board`` (Python docs, dataclasses: fields set in definition order, default factories called).
"""

from __future__ import annotations

import pytest

from micromets.guidelines._context import Board
from micromets.model import MissingItem


def _same(fast: MissingItem, checked: MissingItem) -> None:
    assert type(fast) is MissingItem and fast == checked
    assert fast.model_dump_json() == checked.model_dump_json()
    assert fast.model_fields_set == checked.model_fields_set
    assert repr(fast) == repr(checked)
    assert fast.__pydantic_extra__ is None and fast.__pydantic_private__ is None


@pytest.mark.parametrize("decision", ["chemotherapy", None])
def test_a_missing_input_recorded_on_the_board_is_the_validated_item(decision: str | None) -> None:
    board = Board(explains=False)
    board.need("tumour.grade", "the grade decides chemotherapy", decision=decision)
    checked = MissingItem(field="tumour.grade", why="the grade decides chemotherapy",
                          decisions=[decision] if decision else [])
    _same(board.missing[0], checked)


def test_a_decision_added_to_a_recorded_input_is_the_model_copy() -> None:
    board = Board(explains=False)
    board.need("age", "age decides the boost", decision="boost")
    first = board.missing[0]
    board.need("age", "age decides the boost", decision="whole_breast_rt")
    _same(board.missing[0], first.model_copy(update={"decisions": ["boost", "whole_breast_rt"]}))
    assert first.decisions == ["boost"]  # the recorded item is not changed in place


def test_a_value_that_is_not_a_string_is_still_refused_by_validation() -> None:
    board = Board(explains=False)
    with pytest.raises(ValueError):
        board.need("age", 5)  # type: ignore[arg-type]


@pytest.mark.parametrize(("recommendations", "missing"), [(True, False), (False, True), (True, True)])
def test_a_what_if_board_is_the_dataclass_built_board(recommendations: bool, missing: bool) -> None:
    board = Board(explains=False, field_aliases={"tumour.her2_ihc": ("tumour.her2_ish_ratio",)})
    board.settle("chemotherapy", "recommended", "systemic.chemotherapy.recommended.tnbc")
    board.need("age", "age decides the boost", decision="boost")
    board.warn("a warning")
    scratch = board.what_if(recommendations=recommendations, missing=missing)
    expected = Board(decisions=dict(board.decisions), missing=list(board.missing) if missing else [], explains=False,
                     rule_of=dict(board.rule_of) if recommendations else {}, earlier=())
    assert scratch == expected
    assert vars(scratch) == vars(expected) and list(vars(scratch)) == list(vars(expected))
    assert scratch.decisions is not board.decisions and scratch.missing is not board.missing
    assert scratch.rule_of is not board.rule_of
