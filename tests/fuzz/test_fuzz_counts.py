"""The fuzz suite sends at least 10,000 hostile inputs in total (issue 9, item 7)."""

from __future__ import annotations

from fuzz.counts import COUNTS


def test_at_least_ten_thousand_hostile_inputs() -> None:
    assert sum(COUNTS.values()) >= 10_000
