"""Plain-text tumour-board summary: every Assessment field is rendered."""

from __future__ import annotations

from micromets.model.assessment import Assessment
from micromets.report import render_text


def test_text_contains_every_part(assessment: Assessment) -> None:
    text = render_text(assessment)
    assert text.startswith("TUMOUR BOARD SUMMARY - case case-pn1mi-001")
    # findings incl. each deposit's category and basis
    assert "micrometastasis" in text and "largest deposit 1.2 mm" in text
    # staging
    for value in ("pT1c", "pN1mi(sn)", "cM0", "IB", "IA", "AJCC 8th"):
        assert value in text
    # prognosis table (with_treatments 5-year OS 95.5%)
    assert "  - t_size" in text and "  - prognostic_pathological" in text  # staging path
    assert "HR+/HER2-" in text  # ASCII in plain text
    assert "PREDICT 3.0" in text and "95.5%" in text and "+1.1%" in text
    # decisions in words
    assert "Axillary surgery" in text and "omit ALND" in text and "insufficient data" in text
    # recommendations with rationale and evidence ids
    assert "surgery.alnd.omit.micromets" in text and "IBCSG-23-01" in text and "rationale:" in text
    # follow-up, missing, warnings, versions, disclaimer
    assert "2027-02-01" in text and "No routine tumour markers" in text
    assert "oncotype_rs" in text
    assert "estimated from a typical adjuvant sequence" in text
    assert "micromets-rules-2026.11+0123456789ab" in text
    assert "Decision support only" in text and "does not replace" in text
    # references resolved from the registry
    assert "Galimberti V, et al. Lancet Oncol 2013;14:297-305" in text


def test_text_without_prognosis_says_why(assessment_without_prognosis: Assessment) -> None:
    text = render_text(assessment_without_prognosis)
    assert "Prognosis not computed." in text
    assert "not validated after neoadjuvant therapy" in text


def test_empty_assessment_renders(empty_assessment: Assessment) -> None:
    text = render_text(empty_assessment)
    assert "No decisions computed." in text and "No recommendations." in text
    assert "No dated follow-up plan." in text and "case (no id)" in text


def test_text_is_deterministic(assessment: Assessment) -> None:
    assert render_text(assessment) == render_text(assessment)
