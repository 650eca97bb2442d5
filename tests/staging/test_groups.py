"""Stage groups: every row of the AJCC 8 anatomic table and sampled cells of both prognostic tables.

Expected values are typed here from the AJCC 8th edition (2018 update) tables, not read from the
package's data files, so a transcription error in the data fails these tests.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from micromets.pathology import classify
from micromets.staging import anatomic_stage, prognostic_stage, stage

from _cases import make_case

ANATOMIC = [
    ("Tis", "N0", "M0", "0"),
    ("T1", "N0", "M0", "IA"),
    ("T0", "N1mi", "M0", "IB"), ("T1", "N1mi", "M0", "IB"),
    ("T0", "N1", "M0", "IIA"), ("T1", "N1", "M0", "IIA"), ("T2", "N0", "M0", "IIA"),
    ("T2", "N1", "M0", "IIB"), ("T3", "N0", "M0", "IIB"),
    ("T0", "N2", "M0", "IIIA"), ("T1", "N2", "M0", "IIIA"), ("T2", "N2", "M0", "IIIA"),
    ("T3", "N1", "M0", "IIIA"), ("T3", "N2", "M0", "IIIA"),
    ("T4", "N0", "M0", "IIIB"), ("T4", "N1", "M0", "IIIB"), ("T4", "N2", "M0", "IIIB"),
    ("T0", "N3", "M0", "IIIC"), ("T1", "N3", "M0", "IIIC"), ("T2", "N3", "M0", "IIIC"),
    ("T3", "N3", "M0", "IIIC"), ("T4", "N3", "M0", "IIIC"),
    ("T2", "N1mi", "M0", "IIB"), ("T3", "N1mi", "M0", "IIIA"), ("T4", "N1mi", "M0", "IIIB"),  # N1mi as N1 for T2-T4
    ("T1", "N2", "M1", "IV"), ("T0", "N0", "M1", "IV"),
]


@pytest.mark.parametrize(("t", "n", "m", "expected"), ANATOMIC)
def test_anatomic_table(t: str, n: str, m: str, expected: str) -> None:
    assert anatomic_stage(t, n, m) == expected


def test_invalid_or_unknown_combinations_have_no_anatomic_stage() -> None:
    assert anatomic_stage("T0", "N0", "M0") is None
    assert anatomic_stage("Tis", "N1", "M0") is None
    assert anatomic_stage(None, "N0", "M0") is None
    assert anatomic_stage("T1", None, "M0") is None


# (kind, T, N, grade, HER2+, ER+, PR+, expected) — cells of the AJCC 8 (2018) prognostic tables.
PROGNOSTIC = [
    ("pathological", "T1", "N0", 1, False, False, False, "IA"),
    ("pathological", "T1", "N0", 2, False, False, False, "IB"),
    ("pathological", "T1", "N1mi", 3, False, False, False, "IB"),
    ("pathological", "T1", "N1mi", 3, False, True, True, "IA"),
    ("pathological", "T2", "N0", 1, False, True, False, "IB"),
    ("pathological", "T2", "N0", 2, False, True, False, "IIA"),
    ("pathological", "T2", "N0", 3, False, True, True, "IB"),
    ("pathological", "T1", "N1", 3, True, True, False, "IIA"),
    ("pathological", "T2", "N1", 1, True, True, True, "IA"),
    ("pathological", "T2", "N1mi", 3, False, False, False, "IIIA"),
    ("pathological", "T3", "N0", 3, False, True, True, "IIA"),
    ("pathological", "T2", "N2", 3, False, False, False, "IIIC"),
    ("pathological", "T3", "N1", 2, False, False, False, "IIIB"),
    ("pathological", "T1", "N2", 3, True, True, True, "IIA"),
    ("pathological", "T4", "N0", 1, False, True, True, "IIIA"),
    ("pathological", "T4", "N2", 3, False, True, False, "IIIC"),
    ("pathological", "T1", "N3", 2, False, False, False, "IIIC"),
    ("pathological", "T4", "N1", 3, True, False, False, "IIIB"),
    ("clinical", "T1", "N0", 1, False, False, False, "IB"),
    ("clinical", "T1", "N0", 3, False, True, False, "IB"),
    ("clinical", "T1", "N0", 3, False, True, True, "IA"),
    ("clinical", "T2", "N0", 2, False, False, False, "IIB"),
    ("clinical", "T1", "N1", 1, True, True, True, "IB"),
    ("clinical", "T2", "N1", 2, False, False, False, "IIIB"),
    ("clinical", "T2", "N1", 3, False, True, False, "IIIA"),
    ("clinical", "T3", "N0", 1, True, False, False, "IIB"),
    ("clinical", "T3", "N1", 3, False, True, True, "IIIA"),
    ("clinical", "T2", "N2", 3, False, False, False, "IIIC"),
    ("clinical", "T4", "N0", 1, False, True, True, "IIIB"),
    ("clinical", "T4", "N1", 2, True, True, True, "IIIA"),
    ("clinical", "T1", "N3", 1, False, False, False, "IIIC"),
]


@pytest.mark.parametrize(("kind", "t", "n", "grade", "her2", "er", "pr", "expected"), PROGNOSTIC)
def test_prognostic_tables(kind: str, t: str, n: str, grade: int, her2: bool, er: bool, pr: bool, expected: str) -> None:
    assert prognostic_stage(kind, t, n, "M0", grade=grade, her2_positive=her2, er_positive=er,
                            pr_positive=pr) == expected


def test_prognostic_special_rows() -> None:
    common = {"grade": 2, "her2_positive": False, "er_positive": True, "pr_positive": True}
    assert prognostic_stage("pathological", "Tis", "N0", "M0", **common) == "0"
    assert prognostic_stage("clinical", "T2", "N1", "M1", **common) == "IV"
    assert prognostic_stage("pathological", "T1", "N0", "M0", grade=None, her2_positive=False, er_positive=True,
                            pr_positive=True) is None


@pytest.mark.parametrize(
    ("grade", "pr", "without_rs"),
    [(1, False, "IB"), (2, False, "IIA"), (3, True, "IB"), (3, False, "IIA")],
)
def test_oncotype_below_11_makes_t2_n0_stage_ia(grade: int, pr: bool, without_rs: str) -> None:
    # AJCC 8 (2018 update): RS < 11 in T1-2 N0 M0, HER2-negative, ER-positive -> pathological stage IA.
    kwargs = {"grade": grade, "her2_positive": False, "er_positive": True, "pr_positive": pr}
    assert prognostic_stage("pathological", "T2", "N0", "M0", **kwargs) == without_rs
    assert prognostic_stage("pathological", "T2", "N0", "M0", oncotype_rs=10, **kwargs) == "IA"
    assert prognostic_stage("pathological", "T2", "N0", "M0", oncotype_rs=11, **kwargs) == without_rs
    assert prognostic_stage("clinical", "T2", "N0", "M0", oncotype_rs=5, **kwargs) != "IA"  # clinical: no genomic rule


def test_oncotype_rule_does_not_apply_to_n1mi_or_er_negative() -> None:
    n1mi = {"grade": 3, "her2_positive": False, "er_positive": True, "pr_positive": False}
    assert prognostic_stage("pathological", "T2", "N1mi", "M0", oncotype_rs=5, **n1mi) == "IIB"
    er_neg = {"grade": 2, "her2_positive": False, "er_positive": False, "pr_positive": True}
    assert prognostic_stage("pathological", "T2", "N0", "M0", oncotype_rs=5, **er_neg) == "IIA"


def test_oncotype_rule_needs_neither_grade_nor_pr() -> None:
    # AJCC 8 (2018 update): RS < 11 in T1-2 N0 HER2- ER+ is IA "whatever the grade", PR any.
    unknown = {"grade": None, "her2_positive": False, "er_positive": True, "pr_positive": None}
    assert prognostic_stage("pathological", "T2", "N0", "M0", oncotype_rs=8, **unknown) == "IA"
    assert prognostic_stage("pathological", "T2", "N0", "M0", oncotype_rs=11, **unknown) is None
    assert prognostic_stage("pathological", "T2", "N0", "M0", oncotype_rs=8, **{**unknown, "er_positive": None}) is None


def full_stage(**changes: object) -> tuple[str | None, str | None, str | None]:
    case = make_case(**changes)
    s = stage(case, classify(case).findings).staging
    return s.anatomic_stage, s.pathological_prognostic_stage, s.clinical_prognostic_stage


def test_contract_example_pt1c_pn1mi() -> None:
    # pT1c pN1mi(sn) cM0, G2, ER+ PR+ HER2-: anatomic IB, pathological prognostic IA (AJCC 8 tables).
    assert full_stage(nodes__deposits=[{"node": 1, "size_mm": 1.2, "method": "he"}]) == ("IB", "IA", "IA")


def test_neoadjuvant_uses_the_anatomic_table_and_no_group_for_complete_response() -> None:
    neo = {"neoadjuvant": True, "neoadjuvant_therapy": {"pre_treatment_size_mm": 28, "pre_treatment_clinical_nodes": "cN1"}}
    assert full_stage(**neo, tumour__size_mm=0, nodes__deposits=[])[:2] == (None, None)
    anatomic, pathological, clinical = full_stage(**neo, tumour__size_mm=12,
                                                  nodes__deposits=[{"node": 1, "size_mm": 1.0, "method": "he"}])
    assert (anatomic, pathological) == ("IB", None)
    assert clinical == "IIA"  # pre-treatment cT2 cN1 (group C), G2, HER2- ER+ PR+: clinical table IIA
    # AJCC 8: M1 before therapy stays stage IV whatever the response.
    assert full_stage(**neo, tumour__size_mm=0, nodes__deposits=[], metastasis="cM1")[0] == "IV"


N_LADDER = [[], [{"node": 1, "size_mm": 1.0, "method": "he"}], [{"node": 1, "size_mm": 3.0, "method": "he"}]]


@given(st.integers(min_value=0, max_value=12), st.integers(min_value=0, max_value=12),
       st.sampled_from([5.0, 15.0, 30.0, 60.0]))
def test_more_positive_nodes_never_lower_the_anatomic_stage(a: int, b: int, size: float) -> None:
    order = ["IA", "IB", "IIA", "IIB", "IIIA", "IIIB", "IIIC", "IV"]
    fewer, more = sorted((a, b))

    def anatomic(count: int) -> str:
        deposits = [{"node": i + 1, "size_mm": 3.0, "method": "he"} for i in range(count)]
        value = full_stage(tumour__size_mm=size, nodes__procedure="alnd", nodes__examined=20, nodes__deposits=deposits)[0]
        assert value is not None
        return value

    assert order.index(anatomic(more)) >= order.index(anatomic(fewer))
