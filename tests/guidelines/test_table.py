"""A decision table gives the same rule for one case (plain values) as for that case in a batch (numpy columns).

The predicates are written once and evaluated both ways (micromets.guidelines.table); the helpers ``unknown`` and
``negate`` must treat None and NaN as numpy does element-wise. Checked over every fact combination hypothesis draws
for the boost table, including unknowns.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from micromets.guidelines.radiation import BOOST, _boost_thresholds
from micromets.guidelines.table import negate, stack, unknown

_NUMBERS = st.sampled_from([math.nan, 0.0, 0.5, 1.0, 1.9, 2.0, 2.1, 5.0])


@st.composite
def boost_rows(draw: st.DrawFn) -> dict[str, Any]:
    er = draw(st.sampled_from([None, "negative", "low_positive", "positive"]))
    return {
        "breast_surgery": draw(st.sampled_from([None, "bcs", "mastectomy", "none"])),
        "wbi_declined": draw(st.booleans()),
        "margins_mm": draw(_NUMBERS),
        "age": draw(st.sampled_from([math.nan, 35.0, 50.0, 50.5, 60.0, 70.0, 70.5, 85.0])),
        "grade": draw(st.sampled_from([math.nan, 1.0, 2.0, 3.0])),
        "in_situ_only": draw(st.booleans()),  # the DCIS boost rows (ASTRO 2018 DCIS statement)
        "nuclear_grade": draw(st.sampled_from([math.nan, 1.0, 2.0, 3.0])),
        "hr_positive": er in ("positive", "low_positive"),
        "er": er,
        "er_negative": er == "negative",
        **_boost_thresholds(),
    }


@settings(max_examples=300, deadline=None)
@given(st.lists(boost_rows(), min_size=1, max_size=40))
def test_one_case_and_a_batch_match_the_same_rule(rows: list[dict[str, Any]]) -> None:
    batch = BOOST.match(stack(rows, constants=_boost_thresholds()))
    assert batch.tolist() == [BOOST.first(row) for row in rows]
    assert -1 not in batch.tolist()  # the table decides every combination


def test_unknown_and_negate_agree_for_values_and_columns() -> None:
    codes = [None, "bcs", "none"]
    numbers = [math.nan, 0.0, 3.0]
    assert unknown(np.array(codes, dtype=object)).tolist() == [unknown(v) for v in codes] == [True, False, False]
    assert unknown(np.array(numbers)).tolist() == [unknown(v) for v in numbers] == [True, False, False]
    assert negate(np.array([True, False])).tolist() == [negate(True), negate(False)] == [False, True]
