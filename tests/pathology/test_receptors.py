"""ER/PR (ASCO/CAP 2020, Allison JCO 2020) and HER2 (ASCO/CAP 2018, Wolff JCO 2018; 2023 update)."""

from __future__ import annotations

import pytest

from micromets.pathology import classify, er_status, her2_ish_group, her2_status, pr_status

from _cases import make_case


@pytest.mark.parametrize(
    ("percent", "expected"),
    [(0, "negative"), (0.5, "negative"), (1, "low_positive"), (10, "low_positive"), (11, "positive"), (95, "positive")],
)
def test_er_categories_include_er_low(percent: float, expected: str) -> None:
    assert er_status(percent) == expected


def test_pr_positive_from_one_percent() -> None:
    assert (pr_status(0), pr_status(0.9), pr_status(1)) == ("negative", "negative", "positive")


@pytest.mark.parametrize(
    ("ratio", "copies", "group"),
    [(2.0, 4.0, 1), (3.5, 9.0, 1), (2.0, 3.9, 2), (1.9, 6.0, 3), (1.9, 4.0, 4), (1.9, 5.9, 4), (1.9, 3.9, 5)],
)
def test_dual_probe_ish_groups(ratio: float, copies: float, group: int) -> None:
    assert her2_ish_group(ratio, copies) == group


@pytest.mark.parametrize(
    ("ihc", "ratio", "copies", "expected"),
    [
        ("3+", None, None, "positive"),
        ("2+", None, None, "equivocal"),
        ("1+", None, None, "low"),
        ("0", None, None, "zero"),
        ("ultralow", None, None, "ultralow"),
        ("2+", 2.4, 5.0, "positive"),  # group 1
        ("2+", 2.2, 3.5, "low"),  # group 2 with IHC 2+: negative (HER2-low)
        ("3+", 2.2, 3.5, "positive"),  # group 2 with IHC 3+: positive
        ("2+", 1.5, 6.5, "positive"),  # group 3 with IHC 2+: positive
        ("1+", 1.5, 6.5, "low"),  # group 3 with IHC 0/1+: negative
        ("2+", 1.5, 4.5, "low"),  # group 4 with IHC 2+: negative
        ("2+", 1.2, 2.0, "low"),  # group 5: negative; IHC 2+/ISH- is HER2-low
        ("0", 1.2, 2.0, "zero"),
    ],
)
def test_her2_asco_cap_algorithm(ihc: str, ratio: float | None, copies: float | None, expected: str) -> None:
    assert her2_status(ihc, ratio, copies).status == expected


def test_her2_equivocal_names_the_missing_ish() -> None:
    result = classify(make_case(tumour__her2_ihc="2+"))
    assert result.findings.her2 == "equivocal"
    assert result.findings.subtype is None
    assert any(m.field == "tumour.her2_ish_ratio" for m in result.missing)


def test_ish_group_3_without_ihc_asks_for_ihc() -> None:
    call = her2_status(None, 1.5, 7.0)
    assert call.status is None and call.missing[0][0] == "tumour.her2_ihc"


@pytest.mark.parametrize(
    ("er", "pr", "ihc", "expected"),
    [(90, 40, "1+", "hr_pos_her2_neg"), (0, 0, "3+", "her2_pos"), (95, 80, "3+", "her2_pos"),
     (0, 0, "0", "triple_negative"), (0, 30, "0", "hr_pos_her2_neg"), (5, 0, "1+", "hr_pos_her2_neg")],
)
def test_subtype(er: float, pr: float, ihc: str, expected: str) -> None:
    assert classify(make_case(tumour__er_percent=er, tumour__pr_percent=pr, tumour__her2_ihc=ihc)).findings.subtype == expected


def test_er_low_is_flagged() -> None:
    result = classify(make_case(tumour__er_percent=5))
    assert result.findings.er == "low_positive"
    assert any("ER low" in w for w in result.warnings)


def test_unknown_pr_in_er_negative_her2_negative_blocks_the_subtype() -> None:
    result = classify(make_case(tumour__er_percent=0, tumour__pr_percent=None, tumour__her2_ihc="0"))
    assert result.findings.subtype is None
    assert any(m.field == "tumour.pr_percent" for m in result.missing)


NEOADJUVANT = {"neoadjuvant": True, "neoadjuvant_therapy": {"pre_treatment_size_mm": 30,
                                                            "pre_treatment_clinical_nodes": "cN1"}}


def _neo(size: float, deposits: list[dict[str, object]], in_situ: bool = False) -> bool | None:
    case = make_case(**NEOADJUVANT, tumour__size_mm=size, tumour__in_situ_only=in_situ, nodes__deposits=deposits)
    return classify(case).findings.pathological_complete_response


def test_pcr_requires_no_invasive_disease_in_breast_and_nodes() -> None:
    assert _neo(0, []) is True
    assert _neo(0, [], in_situ=True) is True  # ypTis ypN0: residual DCIS only
    assert _neo(3, []) is False
    assert _neo(0, [{"node": 1, "size_mm": 1.0, "method": "he"}]) is False


def test_residual_itc_is_not_a_complete_response() -> None:
    # AJCC 8: residual ITCs after neoadjuvant therapy (ypN0(i+)) are not a pathological complete response.
    assert _neo(0, [{"node": 1, "size_mm": 0.1, "method": "ihc"}]) is False


def test_pcr_is_not_reported_without_neoadjuvant_therapy() -> None:
    assert classify(make_case()).findings.pathological_complete_response is None


@pytest.mark.parametrize(("ihc", "ratio", "copies", "expected", "asked"), [
    ("1+", 4.0, None, "equivocal", "tumour.her2_ish_copies"),  # group 1 (positive) or 2 (negative with IHC 1+)
    ("0", None, 6.0, "equivocal", "tumour.her2_ish_ratio"),  # group 1 (positive) or 3 (negative with IHC 0)
    ("1+", 1.5, None, "low", None),  # groups 3-5: negative with IHC 0/1+ whatever the copies
    ("0", None, 3.0, "zero", None),  # groups 2 or 5: negative with IHC 0/1+ whatever the ratio
])
def test_half_an_ish_result_that_could_be_group_1_is_not_read_as_negative(
        ihc: str, ratio: float | None, copies: float | None, expected: str, asked: str | None) -> None:
    """ASCO/CAP 2018 (Wolff, JCO 2018;36:2105), reaffirmed 2023: ISH group 1 (ratio >= 2.0 and >= 4.0 HER2 copies
    per cell) is HER2-positive whatever the IHC; groups 2-5 are negative with IHC 0/1+. Half a result that still
    allows group 1 leaves HER2 open and names the other half."""
    call = her2_status(ihc, ratio, copies)
    assert call.status == expected
    assert [field for field, _ in call.missing] == ([asked] if asked else [])
