"""Issue 12, "first screen = the tumour board's answer": page 1 of the PDF (and the top of the text report) carries
the stage (anatomic and prognostic, each labelled), every decision with its value in words, overall survival at
5/10/15 years after surgery only and with treatment, and what is missing.

Page 1 is read back from the PDF with pypdf, so the test sees what a reader of the printed page sees.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from micromets.assess import assess
from micromets.model import Case, parse_case, parse_case_json
from micromets.model.assessment import Assessment
from micromets.report import render_pdf, render_text
from micromets.report.labels import decision_label, decision_value_label

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _page_one(assessment: Assessment, case: Case | None) -> str:
    reader = PdfReader(io.BytesIO(render_pdf(assessment, case)))
    return _flat(reader.pages[0].extract_text())


@pytest.fixture(scope="module")
def pn1mi() -> tuple[Case, Assessment]:
    case = parse_case_json((EXAMPLES / "pn1mi.json").read_text(encoding="utf-8"))
    return case, assess(case)


@pytest.fixture(scope="module")
def missing_data() -> tuple[Case, Assessment]:
    """The pN1mi example without its recurrence score and margins: the chemotherapy decision then needs the score
    (NCCN 'pN0 or pN1mi' branch, TAILORx) and the boost the margins, so both are listed as missing."""
    data = json.loads((EXAMPLES / "pn1mi.json").read_text(encoding="utf-8"))
    del data["oncotype_rs"]
    del data["surgery"]["margins_mm"]
    case = parse_case(data)
    return case, assess(case)


def _assert_answer_on(page: str, a: Assessment) -> None:
    # the tile labels are set in capitals by CSS, so compare without case
    assert "anatomic stage" in page.lower() and a.staging.anatomic_stage and a.staging.anatomic_stage in page
    if a.staging.pathological_prognostic_stage:
        assert "pathological prognostic stage" in page.lower()
    for key, value in a.decisions.items():
        # each decision and its value, in words, side by side (the table cell order)
        assert re.search(re.escape(decision_label(key)) + r"\s+" + re.escape(decision_value_label(value)), page), (
            key, value)
    assert "What is missing" in page
    p = a.prognosis
    assert p is not None
    assert "Surgery only" in page and "With treatment" in page
    for series in (p.overall_survival.surgery_only, p.overall_survival.with_treatments):
        for year, value in zip(p.years, series, strict=True):
            assert f"{100 * value:.1f}%" in page, (year, value)
    assert p.years == [5, 10, 15] and "5 years" in page and "10 years" in page and "15 years" in page


def test_page_one_of_the_pdf_is_the_answer(pn1mi: tuple[Case, Assessment]) -> None:
    case, a = pn1mi
    page = _page_one(a, case)
    _assert_answer_on(page, a)
    assert "Nothing required is missing" in page
    # labels, never internal ids, on the page the tumour board reads
    assert "hr_pos_her2_neg" not in page and "omit_alnd" not in page and "surgery.alnd" not in page


def test_page_one_names_what_is_missing(missing_data: tuple[Case, Assessment]) -> None:
    case, a = missing_data
    assert a.missing, "the example lacks inputs (its source says so)"
    page = _page_one(a, case)
    _assert_answer_on(page, a)
    assert {m.field for m in a.missing} >= {"oncotype_rs", "surgery.margins_mm"}
    assert "Oncotype DX recurrence score" in page and "Closest margin (mm)" in page  # labels, not field paths
    assert "oncotype_rs" not in page and "margins_mm" not in page
    assert a.decisions["chemotherapy"] == "insufficient_data" and "Nothing required" not in page


def test_text_report_leads_with_the_same_answer(pn1mi: tuple[Case, Assessment]) -> None:
    _, a = pn1mi
    text = render_text(a)
    top = _flat(text[: text.index("FINDINGS")])
    assert "anatomic stage IB" in top and "pathological prognostic stage IA" in top
    for key, value in a.decisions.items():
        assert re.search(re.escape(decision_label(key)) + r"\s+" + re.escape(decision_value_label(value)), top)
    assert "Surgery only" in top and "What is missing" in top


def test_the_same_headline_stage_everywhere(pn1mi: tuple[Case, Assessment]) -> None:
    """Issue 12: the CDS card said "stage IA" (prognostic, unlabelled) where the web page and the PDF led with the
    anatomic IB; every output now leads with the anatomic stage and labels the prognostic one."""
    from micromets.api.cdshooks import build_cards
    from micromets.report import render_html

    case, a = pn1mi
    assert (a.staging.anatomic_stage, a.staging.pathological_prognostic_stage) == ("IB", "IA")  # AJCC 8 tables
    summary = build_cards(a, "h-1")[0]["summary"]
    assert "anatomic stage IB, pathological prognostic stage IA" in summary
    assert "anatomic stage IB; pathological prognostic stage IA" in render_text(a)
    html = render_html(a, case)
    tiles = re.findall(r'<div class="mm-k">([^<]+)</div><div class="mm-v">([^<]+)</div>', html)
    assert tiles[:2] == [("Anatomic stage", "IB"), ("Pathological prognostic stage", "IA")]


def test_page_one_lists_the_warnings_and_assumptions(pn1mi: tuple[Case, Assessment]) -> None:
    """Decision support never hides uncertainty (product brief): when nothing required is missing but the figures
    rest on an assumption (PREDICT v3 takes a population mean heart dose when none is given), page 1 says so too."""
    case, a = pn1mi
    assert case.treatments is None or case.treatments.heart_dose_gy is None
    assert any(w.startswith("heart dose not given") for w in a.warnings)
    page = _page_one(a, case)
    assert "Nothing required is missing" in page
    assert re.search(rf"Warnings and assumptions \({len(a.warnings)}\)", page), page
    assert "heart dose not given" in page
    text = render_text(a)
    assert f"Warnings and assumptions: {len(a.warnings)} (see Warnings)." in text[: text.index("FINDINGS")]


def test_page_one_of_a_case_after_neoadjuvant_therapy_dates_its_prognostic_stage() -> None:
    """AJCC 8th ed. (breast): no pathological prognostic stage after neoadjuvant therapy; the clinical prognostic
    stage is assigned from the findings before therapy, which page 1 (and the text report) say beside the ypTNM."""
    case = parse_case_json((EXAMPLES / "neoadjuvant-residual-micromet.json").read_text(encoding="utf-8"))
    a = assess(case)
    assert a.staging.t and a.staging.t.startswith("yp") and a.staging.pathological_prognostic_stage is None
    assert a.staging.clinical_prognostic_stage
    page = _page_one(a, case)
    # the tile labels are set in capitals by CSS, so compare without case
    assert f"clinical prognostic stage before neoadjuvant therapy {a.staging.clinical_prognostic_stage}".lower() \
        in page.lower(), page
    assert (f"clinical prognostic stage before neoadjuvant therapy {a.staging.clinical_prognostic_stage}"
            in _flat(render_text(a)))
    # the survival card gives the reason once; it is not repeated among the warnings on page 1
    assert page.count("PREDICT is not validated after neoadjuvant therapy") == 1


def test_page_one_says_the_nodes_are_not_known_before_nodal_surgery() -> None:
    """A planned sentinel node biopsy: no nodal pathology yet, so the tile says "not known", never "– positive"."""
    case = parse_case_json((EXAMPLES / "planned-slnb-omission.json").read_text(encoding="utf-8"))
    a = assess(case)
    assert a.findings.positive_nodes is None
    page = _page_one(a, case)
    assert "not known" in page and "– positive" not in page and "- positive" not in page


def test_page_one_says_which_recommended_treatments_the_survival_figures_leave_out() -> None:
    """PREDICT v3 models chemotherapy, endocrine therapy, trastuzumab, bisphosphonates and radiotherapy (Grootes et
    al., NPJ Breast Cancer 2022), not CDK4/6 inhibitors: when one is recommended, 'with treatment' is not the whole
    plan, and page 1 says so beside the figures."""
    case = parse_case_json((EXAMPLES / "macro-mastectomy.json").read_text(encoding="utf-8"))
    a = assess(case)
    assert a.decisions["cdk46_inhibitor"] == "recommended" and a.prognosis is not None
    assert not any("cdk" in t.lower() for t in a.prognosis.treatments_evaluated)
    page = _page_one(a, case)
    assert "Not in these figures (PREDICT does not model it): CDK4/6 inhibitor (recommended)." in page
    pn1mi = parse_case_json((EXAMPLES / "pn1mi.json").read_text(encoding="utf-8"))
    assert "does not model" not in _page_one(assess(pn1mi), pn1mi)  # nothing left out: no note


def test_every_decision_is_either_in_the_prognosis_model_or_named_as_left_out() -> None:
    """A new treatment decision has to be placed: modelled by PREDICT (report._common.TREATMENT_DECISIONS), not
    modelled (named beside the figures), or not a drug or radiotherapy whose survival effect PREDICT could carry."""
    from micromets.model.assessment import DECISION_VALUES
    from micromets.report._common import TREATMENT_DECISIONS, UNMODELLED_TREATMENT_DECISIONS

    modelled = {key for keys in TREATMENT_DECISIONS.values() for key in keys}
    surgery_and_local = {"sentinel_biopsy", "axillary_surgery", "boost"}
    assert modelled | set(UNMODELLED_TREATMENT_DECISIONS) | surgery_and_local == set(DECISION_VALUES)
    assert not modelled & set(UNMODELLED_TREATMENT_DECISIONS)


def test_page_one_gives_each_decision_the_strength_of_its_recommendation(
        pn1mi: tuple[Case, Assessment], missing_data: tuple[Case, Assessment]) -> None:
    """As on the web answer: page 1 gives each decision the strength of the recommendation that gives it its value
    (contract: every recommendation has one), so a weak "discuss" is not read as a strong one; a decision waiting
    for data has none."""
    from micromets.guidelines import decision_key

    seen = set()
    for case, a in (pn1mi, missing_data):
        page = _page_one(a, case)
        assert "Decisions with the strength of each recommendation" in page
        for key, value in a.decisions.items():
            strength = next((r.strength for r in a.recommendations if decision_key(r.id) == key and r.decision == value),
                            None)
            shown = re.escape(decision_label(key)) + r"\s+" + re.escape(decision_value_label(value))
            if strength:
                assert re.search(shown + r"\s+" + strength + r"\b", page), (key, value, strength)
                seen.add(strength)
            else:
                assert not re.search(shown + r"\s+(strong|moderate|weak)\b", page), (key, value)
                seen.add(value)
    assert {"strong", "weak", "insufficient_data"} <= seen
