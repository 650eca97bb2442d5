"""T, N and M categories: worked examples from the AJCC 8th edition text (chapter 48, Breast).

T rounding examples are the AJCC's own (4.9 mm -> 5 mm = T1a; 20.4 mm -> T1c; 1.1 mm -> 2 mm = T1a);
the integer mapping is the SEER EOD table (1 T1mi, 2-5 T1a, 6-10 T1b, 11-20 T1c, 21-50 T2, >= 51 T3).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from micromets.pathology import classify
from micromets.staging import stage, t_category, t_from_size

from _cases import make_case


def expected_t_from_integer_mm(mm: int) -> str:
    """The SEER EOD integer-millimetre mapping, written out independently of the package's data file."""
    if mm <= 1:
        return "T1mi"
    if mm <= 5:
        return "T1a"
    if mm <= 10:
        return "T1b"
    if mm <= 20:
        return "T1c"
    if mm <= 50:
        return "T2"
    return "T3"


@pytest.mark.parametrize("mm", range(1, 121))
def test_integer_sizes_follow_the_seer_mapping(mm: int) -> None:
    assert t_from_size(float(mm)) == expected_t_from_integer_mm(mm)


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (0.4, "T1mi"), (1.0, "T1mi"),  # only <= 1.0 mm is microinvasion
        (1.04, "T1a"), (1.1, "T1a"), (1.9, "T1a"),  # > 1.0 and < 2.0 is rounded up to 2 mm
        (4.9, "T1a"), (5.4, "T1a"), (5.5, "T1a"), (5.6, "T1b"),  # halves round towards the cut-off
        (10.5, "T1b"), (20.4, "T1c"), (20.5, "T1c"), (20.6, "T2"), (50.5, "T2"), (50.6, "T3"),
    ],
)
def test_rounding_rules(size: float, expected: str) -> None:
    assert t_from_size(size) == expected


@pytest.mark.parametrize(
    ("extension", "expected"),
    [("chest_wall", "T4a"), ("skin", "T4b"), ("chest_wall_and_skin", "T4c"), ("inflammatory", "T4d")],
)
def test_t4_by_extension_whatever_the_size(extension: str, expected: str) -> None:
    assert t_category(8.0, extension, False)[0] == expected


def test_tis_t0_and_tx() -> None:
    assert t_category(0, "none", True)[0] == "Tis"
    assert t_category(0, "none", False)[0] == "T0"
    assert t_category(None, None, None)[0] is None


def n_of(**changes: Any) -> str | None:
    case = make_case(**changes)
    return stage(case, classify(case).findings).staging.n


def macro(node: int) -> dict[str, Any]:
    return {"node": node, "size_mm": 4.0, "method": "he"}


def micro(node: int) -> dict[str, Any]:
    return {"node": node, "size_mm": 1.0, "method": "he"}


def test_pn0_variants() -> None:
    assert n_of(nodes__deposits=[]) == "pN0(sn)"
    assert n_of(nodes__deposits=[{"node": 1, "size_mm": 0.1, "method": "ihc"}]) == "pN0(i+)(sn)"
    assert n_of(nodes__deposits=[{"node": 1, "method": "rt_pcr"}]) == "pN0(mol+)(sn)"


def test_pn1mi_whatever_the_number_of_micrometastatic_nodes() -> None:
    assert n_of(nodes__deposits=[micro(1)]) == "pN1mi(sn)"
    assert n_of(nodes__procedure="alnd", nodes__examined=15, nodes__deposits=[micro(i) for i in range(1, 6)]) == "pN1mi"


def test_pn1a_pn2a_pn3a_count_micrometastatic_nodes_once_a_macrometastasis_exists() -> None:
    alnd = {"nodes__procedure": "alnd", "nodes__examined": 20}
    assert n_of(**alnd, nodes__deposits=[macro(1), micro(2), micro(3)]) == "pN1a"
    assert n_of(**alnd, nodes__deposits=[macro(1), micro(2), micro(3), micro(4)]) == "pN2a"
    assert n_of(**alnd, nodes__deposits=[macro(i) for i in range(1, 10)]) == "pN2a"
    assert n_of(**alnd, nodes__deposits=[macro(1)] + [micro(i) for i in range(2, 11)]) == "pN3a"


def test_itc_nodes_do_not_count_towards_n() -> None:
    itc = [{"node": i, "size_mm": 0.1, "method": "ihc"} for i in range(2, 6)]
    assert n_of(nodes__procedure="alnd", nodes__examined=20, nodes__deposits=[macro(1), *itc]) == "pN1a"


def test_regional_node_stations() -> None:
    assert n_of(nodes__infraclavicular=True, nodes__deposits=[macro(1)]) == "pN3a"
    assert n_of(nodes__supraclavicular=True, nodes__deposits=[macro(1)]) == "pN3c"
    assert n_of(nodes__internal_mammary="sentinel_microscopic", nodes__deposits=[]) == "pN1b"
    assert n_of(nodes__internal_mammary="sentinel_microscopic", nodes__deposits=[macro(1)]) == "pN1c"
    assert n_of(nodes__internal_mammary="clinically_detected", nodes__deposits=[]) == "pN2b"
    assert n_of(nodes__internal_mammary="clinically_detected", nodes__deposits=[macro(1)]) == "pN3b"
    assert n_of(nodes__procedure="alnd", nodes__examined=12, nodes__internal_mammary="sentinel_microscopic",
                nodes__deposits=[macro(i) for i in range(1, 5)]) == "pN3b"


def test_sn_suffix_only_for_sentinel_procedure_with_fewer_than_six_nodes() -> None:
    assert n_of(nodes__procedure="slnb_then_alnd", nodes__examined=12, nodes__deposits=[micro(1)]) == "pN1mi"
    assert n_of(nodes__procedure="slnb", nodes__examined=6, nodes__deposits=[micro(1)]) == "pN1mi"


def test_post_neoadjuvant_prefix() -> None:
    neo = {"neoadjuvant": True, "neoadjuvant_therapy": {"pre_treatment_size_mm": 30, "pre_treatment_clinical_nodes": "cN1"}}
    case = make_case(**neo, tumour__size_mm=0, nodes__deposits=[{"node": 1, "size_mm": 0.1, "method": "ihc"}])
    staging = stage(case, classify(case).findings).staging
    assert (staging.t, staging.n) == ("ypT0", "ypN0(i+)(sn)")


def test_clinical_staging_before_surgery() -> None:
    case = make_case(surgery__status="planned", nodes__procedure="none", nodes__examined=None,
                     clinical_nodes="cN1", tumour__size_mm=25)
    staging = stage(case, classify(case).findings).staging
    assert (staging.t, staging.n, staging.anatomic_stage, staging.pathological_prognostic_stage) == ("cT2", "cN1", "IIB", None)


def test_metastasis_categories_and_unknown_m() -> None:
    case = make_case(metastasis="cM0(i+)", nodes__deposits=[micro(1)])
    assert stage(case, classify(case).findings).staging.anatomic_stage == "IB"  # cM0(i+) is staged as M0
    case = make_case(metastasis=None)
    result = stage(case, classify(case).findings)
    assert result.staging.anatomic_stage is None
    assert any(m.field == "metastasis" for m in result.missing)


ORDER = ["N0", "N1mi", "N1a", "N2a", "N3a"]


@given(st.lists(st.floats(min_value=0.05, max_value=20), min_size=1, max_size=12), st.floats(min_value=0, max_value=10))
def test_a_larger_deposit_never_lowers_n(sizes: list[float], growth: float) -> None:
    base = [{"node": i + 1, "size_mm": s, "method": "he"} for i, s in enumerate(sizes)]
    grown = [dict(d) for d in base]
    grown[0]["size_mm"] = min(sizes[0] + growth, 80.0)
    common = {"nodes__procedure": "alnd", "nodes__examined": 20}
    before = n_of(**common, nodes__deposits=base).lstrip("p").split("(")[0]
    after = n_of(**common, nodes__deposits=grown).lstrip("p").split("(")[0]
    assert ORDER.index(after) >= ORDER.index(before)


def test_deposits_reported_without_a_procedure_are_still_staged() -> None:
    # A registry row may list nodes and deposits without naming the procedure: they are never ignored.
    assert n_of(nodes__procedure=None, nodes__deposits=[micro(1)]) == "pN1mi"


@pytest.mark.parametrize(
    ("clinical_nodes", "anatomic"),
    # cT1c (15 mm) with each clinical N (AJCC 8 anatomic table: T1 N0 IA, N1mi IB, N1 IIA, N2 IIIA, N3 IIIC).
    [("cN0", "IA"), ("cN1mi", "IB"), ("cN1", "IIA"), ("cN2a", "IIIA"), ("cN2b", "IIIA"), ("cN3a", "IIIC"),
     ("cN3b", "IIIC"), ("cN3c", "IIIC"), ("cNX", None)],
)
def test_every_clinical_n_category(clinical_nodes: str, anatomic: str | None) -> None:
    case = make_case(surgery__status="planned", nodes={"procedure": "none"}, clinical_nodes=clinical_nodes,
                     tumour__size_mm=15)
    staging = stage(case, classify(case).findings).staging
    assert staging.n == ("cNX" if clinical_nodes == "cNX" else clinical_nodes)
    assert staging.anatomic_stage == anatomic
