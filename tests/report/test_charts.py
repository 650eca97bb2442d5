"""Charts: valid, deterministic, self-contained inline SVG with PREDICT's stacking."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from micromets.model.assessment import Assessment
from micromets.report.charts import follow_up_timeline_svg, survival_bar_svg, survival_curves_svg


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_bar_chart_stacks_benefits_on_surgery_alone(assessment: Assessment) -> None:
    p = assessment.prognosis
    assert p is not None
    svg = survival_bar_svg(p)
    texts = _texts(svg)
    # surgery-only values inside the bars, totals (= surgery only + every gain) at the end
    for base, gains, total in zip(p.overall_survival.surgery_only,
                                  zip(*(b.overall_survival_gain for b in p.incremental_benefit), strict=True),
                                  p.overall_survival.with_treatments, strict=True):
        assert f"{100 * base:.1f}%" in texts
        assert abs(base + sum(gains) - total) < 1e-3
        assert any(t.startswith(f"{100 * total:.1f}%") for t in texts)
    assert {"5 years", "10 years", "15 years"} <= set(texts)
    assert {"Surgery only", "+ Endocrine therapy", "+ Chemotherapy"} <= set(texts)


def test_curves_have_one_line_per_column(assessment: Assessment) -> None:
    p = assessment.prognosis
    assert p is not None
    svg = survival_curves_svg(p)
    assert svg is not None
    texts = _texts(svg)
    assert {"Surgery only", "+ Endocrine therapy", "+ Chemotherapy"} <= set(texts)
    assert survival_curves_svg(p.model_copy(update={"curves": {}})) is None


def test_svgs_are_deterministic_inline_and_free_of_metadata(assessment: Assessment) -> None:
    p = assessment.prognosis
    assert p is not None
    charts = [survival_bar_svg(p), survival_curves_svg(p), follow_up_timeline_svg(assessment.follow_up)]
    again = [survival_bar_svg(p), survival_curves_svg(p), follow_up_timeline_svg(assessment.follow_up)]
    assert charts == again
    ids: list[str] = []
    for svg in charts:
        assert svg is not None and svg.startswith("<svg") and "<?xml" not in svg and "DOCTYPE" not in svg
        assert "dc:date" not in svg.lower() and "<metadata" not in svg
        ET.fromstring(svg)
        assert not re.search(r'(?:href|src)="http', svg)
        ids += re.findall(r'\bid="([^"]+)"', svg)
    assert len(ids) == len(set(ids)), "element ids must be unique across charts inlined in one page"


def test_timeline_none_without_items() -> None:
    assert follow_up_timeline_svg([]) is None
