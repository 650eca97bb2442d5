"""Deposit classes by the AJCC 8 rules (chapter 48, regional lymph nodes) and the CAP protocol notes.

Sources: AJCC Cancer Staging Manual 8th ed., ch. 48 (ITC <= 0.2 mm and < 200 cells in one
cross-section; micrometastasis > 0.2 mm to <= 2.0 mm or > 200 cells; macrometastasis > 2.0 mm;
largest contiguous deposit; never summed), CAP breast protocol (cells in one section only),
Tsujimoto, Clin Cancer Res 2007 (OSNA: < 250 negative, 250-5,000 micro (+), > 5,000 macro (++); exactly
5,000 is (+) there, while Ohi, Br J Cancer 2012 writes OSNA++ as >= 5.0 x 10^3: a warning says so).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from micromets.model import Deposit
from micromets.pathology import classify, classify_deposit

from _cases import make_case


def category(**kwargs: object) -> str | None:
    return classify_deposit(Deposit.model_validate({"node": 1, "method": "he", **kwargs})).category


@pytest.mark.parametrize(
    ("size_mm", "expected"),
    [
        (0.05, "itc"),
        (0.2, "itc"),  # "not greater than 0.2 mm": exactly 0.2 is ITC
        (0.21, "micrometastasis"),
        (1.2, "micrometastasis"),
        (2.0, "micrometastasis"),  # exactly 2.0 mm is still a micrometastasis
        (2.01, "macrometastasis"),
        (6.0, "macrometastasis"),
    ],
)
def test_size_cut_offs_are_not_greater_than(size_mm: float, expected: str) -> None:
    assert category(size_mm=size_mm) == expected


def test_two_hundred_cell_rule_upgrades_a_small_deposit_to_micrometastasis() -> None:
    # AJCC/CAP: > 200 cells in a single cross-section is a micrometastasis even if <= 0.2 mm.
    assert category(size_mm=0.15, cells=250) == "micrometastasis"
    assert category(size_mm=0.15, cells=150) == "itc"


def test_cell_count_does_not_downgrade_a_deposit_larger_than_0_2_mm() -> None:
    assert category(size_mm=0.5, cells=120) == "micrometastasis"


def test_exactly_200_cells_is_flagged_as_ambiguous() -> None:
    """AJCC 8: ITC are 'fewer than 200' cells in one cross-section, so 200 is not ITC; CAP speaks of 'more than 200'
    for a micrometastasis. 200 cells (<= 0.2 mm or size unknown) -> micrometastasis with a warning; 199 -> ITC."""
    result = classify_deposit(Deposit(node=1, method="ihc", cells=200))
    assert result.category == "micrometastasis"
    assert any("ambiguous" in w for w in result.warnings)
    assert category(method="ihc", size_mm=0.2, cells=200) == "micrometastasis"
    assert category(method="ihc", size_mm=0.2, cells=199) == "itc"
    assert not any("ambiguous" in w for w in classify_deposit(Deposit(node=1, method="ihc", cells=201)).warnings)


def test_dispersed_lobular_cells_counted_within_one_section() -> None:
    # Lobular carcinoma: > 200 scattered cells in one section -> micrometastasis (CAP).
    assert category(size_mm=1.5, cells=300, contiguous=False) == "micrometastasis"
    assert category(size_mm=1.5, cells=120, contiguous=False) == "itc"


def test_separate_clusters_spanning_more_than_2_mm_are_not_a_macrometastasis_by_sum() -> None:
    result = classify_deposit(Deposit(node=1, method="he", size_mm=3.0, cells=400, contiguous=False))
    assert result.category is None  # undecidable without the largest contiguous cluster
    assert result.missing and result.missing[0][0] == "size_mm"


@pytest.mark.parametrize(
    ("copies", "expected"),
    [(100, "negative"), (249, "negative"), (249.9, "negative"), (250, "micrometastasis"),
     (4999, "micrometastasis"), (4999.9, "micrometastasis"), (5000, "micrometastasis"), (5000.1, "macrometastasis"),
     (5001, "macrometastasis"), (120000, "macrometastasis")],
)
def test_osna_copy_number_thresholds(copies: float, expected: str) -> None:
    """Tsujimoto 2007: (+) is 2.5 x 10^2 to 5 x 10^3 copies/uL, (++) above 5 x 10^3: exactly 250 and exactly 5,000
    are (+)."""
    assert category(method="osna", osna_copies_per_ul=copies) == expected


def test_rt_pcr_only_is_molecular() -> None:
    assert category(method="rt_pcr") == "molecular"


def test_node_is_classed_by_its_largest_deposit_and_deposits_are_not_summed() -> None:
    case = make_case(nodes__deposits=[
        {"node": 1, "size_mm": 1.5, "method": "he"},
        {"node": 1, "size_mm": 1.5, "method": "he"},  # 1.5 + 1.5 > 2 but never summed
        {"node": 2, "size_mm": 0.1, "method": "ihc"},
    ])
    findings = classify(case).findings
    assert findings.micrometastatic_nodes == 1
    assert findings.macrometastatic_nodes == 0
    assert findings.itc_nodes == 1
    assert findings.positive_nodes == 1  # ITC-only nodes are not counted as positive


def test_itc_and_macrometastasis_in_one_node_count_once_as_macrometastasis() -> None:
    case = make_case(nodes__deposits=[{"node": 1, "size_mm": 0.1, "method": "ihc"},
                                      {"node": 1, "size_mm": 4.0, "method": "he"}])
    findings = classify(case).findings
    assert (findings.positive_nodes, findings.macrometastatic_nodes, findings.itc_nodes) == (1, 1, 0)


def test_undecidable_deposit_leaves_counts_unknown_and_names_the_field() -> None:
    case = make_case(nodes__deposits=[{"node": 1, "size_mm": 3.0, "cells": 500, "method": "he", "contiguous": False}])
    result = classify(case)
    assert result.findings.positive_nodes is None
    assert any(m.field == "nodes.deposits[0].size_mm" for m in result.missing)


sizes = st.floats(min_value=0.01, max_value=30, allow_nan=False)
cells = st.one_of(st.none(), st.integers(min_value=1, max_value=100_000))
ORDER = {"itc": 0, "micrometastasis": 1, "macrometastasis": 2}


@given(sizes, sizes, cells)
def test_a_larger_deposit_is_never_a_lower_class(a: float, b: float, n: int | None) -> None:
    small, large = sorted((a, b))
    first, second = category(size_mm=small, cells=n), category(size_mm=large, cells=n)
    assert first is not None and second is not None
    assert ORDER[first] <= ORDER[second]


@given(st.lists(st.floats(min_value=0.01, max_value=0.2), min_size=1, max_size=8))
def test_itc_only_nodes_are_never_positive(itc_sizes: list[float]) -> None:
    deposits = [{"node": i + 1, "size_mm": s, "method": "ihc"} for i, s in enumerate(itc_sizes)]
    findings = classify(make_case(nodes__examined=10, nodes__deposits=deposits)).findings
    assert findings.positive_nodes == 0
    assert findings.itc_nodes == len(itc_sizes)


def test_exactly_5000_osna_copies_is_flagged_because_sources_differ() -> None:
    """Tsujimoto 2007 puts 5,000 in (+); Ohi 2012 writes OSNA++ as >= 5.0 x 10^3: the boundary gets a warning."""
    at = classify_deposit(Deposit(node=1, method="osna", osna_copies_per_ul=5000))
    assert at.category == "micrometastasis" and any("exactly 5,000" in w for w in at.warnings)
    assert not classify_deposit(Deposit(node=1, method="osna", osna_copies_per_ul=4999)).warnings


@pytest.mark.parametrize(("measure", "reported", "expected"), [
    # AJCC 8 / CAP: >= 200 cells without a size is a micrometastasis at least, so a reported macrometastasis stands.
    ({"cells": 300}, "macrometastasis", "macrometastasis"),
    # <= 0.2 mm without a cell count is ITC or (>= 200 cells) a micrometastasis: the report decides.
    ({"size_mm": 0.15}, "micrometastasis", "micrometastasis"),
    # A span of separate clusters is never a size (AJCC: never summed): the pathologist's largest cluster decides.
    ({"size_mm": 3.0, "contiguous": False}, "micrometastasis", "micrometastasis"),
    # A measure that excludes the reported class decides (3 mm contiguous is > 2 mm; 300 cells is not ITC).
    ({"size_mm": 3.0}, "micrometastasis", "macrometastasis"),
    ({"cells": 300}, "itc", "micrometastasis"),
])
def test_a_reported_class_decides_only_inside_what_the_measure_allows(measure: dict, reported: str,
                                                                       expected: str) -> None:
    result = classify_deposit(Deposit(node=1, method="he", reported_category=reported, **measure))
    assert result.category == expected
    assert result.missing == ()
    assert any("the measure is used" in w for w in result.warnings) == (expected != reported)
