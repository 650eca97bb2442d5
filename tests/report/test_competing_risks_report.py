"""Deaths from breast cancer beside deaths from other causes, and the model's assumptions next to the figures,
in every report format (issue 8, item 6 and item 3: "the report says so next to the figure").

The fixture's other-cause deaths are 1 - OS - breast-cancer deaths (PREDICT specification §2.2, step 7); the
end-to-end case is an 82-year-old with ECOG 2, Charlson 2 and heart failure, for whom PREDICT's age-only
other-cause figure overstates life expectancy (no comorbidity term; Land, Br J Cancer 2012; de Boer 2019).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader

from micromets.assess import assess
from micromets.model import Case, parse_case
from micromets.model.assessment import Assessment
from micromets.report import render_html, render_pdf, render_text
from micromets.report.charts import deaths_by_cause_svg

FRAIL = {
    "id": "frail-82", "age": 82, "sex": "female", "menopausal_status": "post", "ecog": 2, "charlson_index": 2,
    "life_expectancy_years": 4, "detection": "symptomatic",
    "tumour": {"size_mm": 12, "grade": 1, "er_percent": 95, "pr_percent": 50, "her2_ihc": "1+", "ki67_percent": 5},
    "nodes": {"procedure": "slnb", "examined": 2, "deposits": []},
    "surgery": {"breast": "bcs", "status": "done"}, "conditions": {"heart_failure": True},
    "treatments": {"endocrine": True, "radiotherapy": True},
}


@pytest.fixture(scope="module")
def frail() -> tuple[Case, Assessment]:
    case = parse_case(FRAIL)
    return case, assess(case)


def _texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]


def test_text_puts_both_causes_of_death_first(assessment: Assessment) -> None:
    text = render_text(assessment)
    prognosis = text[text.index("PROGNOSIS"):text.index("RECOMMENDATIONS")]
    # 10 years with endocrine + chemotherapy: 4.1% breast cancer, 7.8% other causes, 88.0% alive
    assert "DEATHS BY CAUSE. At 10 years with endocrine therapy + chemotherapy: 4.1% of women" in " ".join(prognosis.split())
    assert re.search(r"died of breast cancer\s+1\.6%\s+4\.1%\s+6\.5%", prognosis)
    assert re.search(r"died of other causes\s+2\.9%\s+7\.8%\s+14\.4%", prognosis)
    assert prognosis.index("DEATHS BY CAUSE") < prognosis.index("OS, surgery only")
    assert "- Smoking status: population average (10% smokers)." in prognosis


def test_html_table_chart_and_assumptions_sit_together(assessment: Assessment) -> None:
    html = render_html(assessment)
    section = html[html.index('<section id="prognosis">'):html.index('<section id="follow-up">')]
    assert 'id="deaths-by-cause"' in section and "Died of other causes" in section
    assert '<td class="mm-num mm-oc">7.8%</td>' in section and '<td class="mm-num mm-bc">4.1%</td>' in section
    assert 'class="chart mm-causes"' in section
    assert "Assumptions and caveats behind these figures" in section and "population average (10% smokers)" in section
    assert section.index("deaths-by-cause") < section.index("Assumptions and caveats") < section.index(
        "Overall survival and the benefit")
    answer = html[html.index('<section id="mm-answer"'):html.index('<section id="patient"')]
    assert "4.1% of women like this patient die of breast cancer and 7.8% of other causes" in answer  # first page


def test_chart_shows_each_year_and_arm_with_both_causes(assessment: Assessment) -> None:
    p = assessment.prognosis
    assert p is not None
    svg = deaths_by_cause_svg(p)
    assert svg is not None
    texts = _texts(svg)
    assert {"5 y, surgery only", "10 y, with treatments", "15 y, with treatments"} <= set(texts)
    assert "breast cancer 4.1% · other causes 7.8%" in texts
    assert {"Died of breast cancer", "Died of other causes", "Alive"} <= set(texts)
    assert deaths_by_cause_svg(p.model_copy(update={"other_cause_mortality": None})) is None


def test_report_without_other_cause_figures_keeps_breast_cancer_mortality(assessment: Assessment) -> None:
    p = assessment.prognosis
    assert p is not None
    older = assessment.model_copy(update={"prognosis": p.model_copy(update={"other_cause_mortality": None})})
    assert "Breast cancer mortality, surgery only" in render_html(older)
    assert "BC mortality, surgery only" in render_text(older)


def test_frail_patient_gets_the_caution_next_to_the_figures(frail: tuple[Case, Assessment]) -> None:
    case, a = frail
    text = " ".join(render_text(a).split())
    assert "CAUTION: PREDICT likely overstates this patient's life expectancy" in text
    assert "Mean heart dose of radiotherapy (Gy): 2 Gy" in text  # radiotherapy without a dose
    assert "Charlson comorbidity index 2, ECOG performance status 2 and heart failure" in text
    html = render_html(a, case)
    assert "PREDICT likely overstates life expectancy here" in html
    assert "2 Gy (the model&#39;s population mean heart dose)" in html
    assert "<td>Heart failure</td><td>yes</td>" in html  # coded condition in the patient facts


def test_pdf_carries_the_competing_risks_and_assumptions(frail: tuple[Case, Assessment], tmp_path: Path) -> None:
    case, a = frail
    path = tmp_path / "frail.pdf"
    path.write_bytes(render_pdf(a, case))
    flat = " ".join("".join(page.extract_text() or "" for page in PdfReader(path).pages).split())
    assert "Deaths from breast cancer and from other causes" in flat and "Died of other causes" in flat
    assert "2 Gy (the model's population mean heart dose)" in flat
    assert "overstates this patient's life expectancy" in flat


def _rows_per_page(html: str) -> list[list[str]]:
    """Each page's body rows of the deaths-by-cause table, as "arm:<name>" or the outcome (header rows left out)."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    def text(box: boxes.Box) -> str:
        return " ".join(b.text for b in box.descendants() if isinstance(b, boxes.TextBox)).strip()

    pages = []
    for page in HTML(string=html).render().pages:
        rows = []
        for group in (b for b in page._page_box.descendants() if isinstance(b, boxes.TableRowGroupBox)):
            if group.is_header:
                continue
            for row in group.children:
                arm = "mm-arm" in (row.element.get("class") or "")
                rows.append(f"arm:{text(row)}" if arm else text(row).split(" ")[0])
        pages.append(rows)
    return pages


def test_an_arm_of_the_deaths_table_never_loses_its_heading_at_a_page_break(assessment: Assessment) -> None:
    """Seen in a printed report: the heading row "With radiotherapy + endocrine therapy" alone at the foot of page 5,
    its three rows (died of breast cancer, of other causes, alive) on page 6 without it, so read as belonging to no
    arm or to the arm above. The table is moved down an A4 page a few millimetres at a time, to and past the foot of
    the page: wherever the page breaks, each page's part of the table starts with an arm heading and none ends with
    one (the fix keeps this short table whole)."""
    from micromets.report.html import report_css

    html = render_html(assessment)
    table = re.search(r'<table class="mm-causes">.*?</table>', html, re.S)
    assert table
    arms = len(re.findall(r'class="mm-arm"', table.group(0)))
    assert arms >= 2
    moved = 0
    for spacer_mm in range(200, 256, 3):
        pages = _rows_per_page(f'<html><head><style>{report_css()}</style></head><body><article class="mm-report">'
                               f'<div style="height: {spacer_mm}mm"></div>{table.group(0)}</article></body></html>')
        parts = [rows for rows in pages if rows]
        assert sum(row.startswith("arm:") for rows in parts for row in rows) == arms, (spacer_mm, parts)
        for rows in parts:
            assert rows[0].startswith("arm:") and not rows[-1].startswith("arm:"), (spacer_mm, parts)
        moved += not pages[0]
    assert moved > 0  # the sweep reached the foot of page 1: the table did not fit there
