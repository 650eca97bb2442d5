"""Partial-breast irradiation (PBI) named in the whole-breast RT advice for the group in which the ASTRO 2023 PBI
guideline (Shaitelman, Pract Radiat Oncol 2024;14:112-132) recommends it: early-stage invasive cancer, grade 1-2,
ER-positive, age >= 40, <= 2 cm; not recommended with positive nodes, positive margins or age < 40; conditionally not
recommended with LVI. The note never changes the decision."""

from __future__ import annotations

from tests.guidelines._helpers import MICRO, rec, run

NEGATIVE_SLN: list[dict[str, object]] = []


def _names_pbi(**changes: object) -> bool:
    base: dict[str, object] = {"age": 50, "tumour__ki67_percent": 25, "tumour__grade": 2, "tumour__lvi": False,
                               "nodes__deposits": NEGATIVE_SLN}
    result = run(**{**base, **changes})
    return "Partial-breast irradiation" in rec(result, "whole_breast_rt").text


def test_suitable_group_names_pbi_with_its_evidence() -> None:
    result = run(age=50, tumour__ki67_percent=25, tumour__grade=2, tumour__lvi=False, nodes__deposits=NEGATIVE_SLN)
    r = rec(result, "whole_breast_rt")
    assert result.decisions["whole_breast_rt"] == "recommended"
    assert "Partial-breast irradiation" in r.text and "ASTRO-PBI-2023" in r.evidence


def test_not_named_outside_the_group() -> None:
    """ASTRO 2023: not recommended with positive nodes (pN1mi included) or age < 40; conditionally not with LVI;
    the 'recommended' group needs grade 1-2, ER-positive and <= 2 cm."""
    assert not _names_pbi(nodes__deposits=[MICRO])
    assert not _names_pbi(age=38, menopausal_status="pre")
    assert not _names_pbi(tumour__lvi=True)
    assert not _names_pbi(tumour__grade=3)
    assert not _names_pbi(tumour__size_mm=25)
    assert not _names_pbi(tumour__er_percent=0, tumour__pr_percent=0)


def test_unknown_criterion_names_nothing_and_decides_the_same() -> None:
    with_lvi_unknown = run(age=50, tumour__ki67_percent=25, tumour__grade=2, tumour__lvi=None,
                           nodes__deposits=NEGATIVE_SLN)
    assert with_lvi_unknown.decisions["whole_breast_rt"] == "recommended"
    assert "Partial-breast irradiation" not in rec(with_lvi_unknown, "whole_breast_rt").text
