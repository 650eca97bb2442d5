"""PDF report: WeasyPrint output checked as text (pdftotext, pypdf) and as images (pdftoppm)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from micromets.model import Case
from micromets.model.assessment import Assessment
from micromets.report import render_pdf

POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdftoppm") is not None
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdftoppm) is not installed")


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    from _report_cases import build_assessment, build_case

    return render_pdf(build_assessment(), build_case())


def test_pdf_is_a4_and_readable_with_pypdf(pdf_bytes: bytes, tmp_path: Path) -> None:
    assert pdf_bytes.startswith(b"%PDF-")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes)
    reader = PdfReader(path)
    assert len(reader.pages) >= 2
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5  # A4 in points
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert "Tumour board report" in text and "case-pn1mi-001" in text


@needs_poppler
def test_pdf_text_has_stage_recommendation_and_disclaimer(pdf_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    flat = " ".join(text.split())
    assert "pN1mi(sn)" in flat and "Anatomic stage" in flat and "IB" in flat
    assert "surgery.alnd.omit.micromets" in flat
    assert "Decision support only" in flat
    assert "Page 1 of" in flat  # page numbers in the margin box
    assert "No routine tumour markers" in flat
    assert "Overall survival" in flat  # chart text stays text (svg.fonttype none)


@needs_poppler
def test_first_page_renders_to_a_non_blank_png(pdf_bytes: bytes, tmp_path: Path) -> None:
    import matplotlib.image

    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
                   check=True)
    [png] = sorted(tmp_path.glob("page*.png"))
    assert png.stat().st_size > 5_000
    pixels = matplotlib.image.imread(png)
    assert pixels.shape[0] > pixels.shape[1]  # portrait
    ink = (pixels[..., :3].mean(axis=2) < 0.8).mean()
    assert 0.02 < ink < 0.6, f"page 1 looks blank or solid (ink fraction {ink:.3f})"


def test_pdf_without_prognosis_and_empty_assessment(assessment_without_prognosis: Assessment,
                                                    empty_assessment: Assessment, case: Case,
                                                    tmp_path: Path) -> None:
    for i, pdf in enumerate((render_pdf(assessment_without_prognosis, case), render_pdf(empty_assessment))):
        path = tmp_path / f"r{i}.pdf"
        path.write_bytes(pdf)
        text = "".join(page.extract_text() or "" for page in PdfReader(path).pages)
        assert "Prognosis not computed" in text


def test_pdf_is_deterministic(pdf_bytes: bytes) -> None:
    from _report_cases import build_assessment, build_case

    assert render_pdf(build_assessment(), build_case()) == pdf_bytes


def _overflowing_boxes(box: object, right_edge: float, found: list[str]) -> list[str]:
    """Boxes (with their text) whose border box ends right of ``right_edge``: content the page clips."""
    x, width = getattr(box, "position_x", 0.0), getattr(box, "margin_width", None)
    if callable(width) and x + width() > right_edge + 0.5:
        found.append(f"{type(box).__name__} {getattr(box, 'text', '')[:40]!r} ends at {x + width():.0f}")
    for child in getattr(box, "children", ()):
        _overflowing_boxes(child, right_edge, found)
    return found


def test_a_word_longer_than_its_column_does_not_push_the_facts_off_the_page() -> None:
    """A tumour board handout must not clip: free-text comorbidities (never parsed, shown as typed) may hold a
    long token (a pasted code, an underscore-joined list); the patient-facts table beside it must stay on A4."""
    from _report_cases import build_assessment, build_case
    from weasyprint import HTML

    from micromets.report import render_html

    case = build_case().model_copy(update={"comorbidities": ["Chronic_kidney_disease_stage_3a_" + "x" * 150]})
    html = render_html(build_assessment(), case, standalone=True)
    document = HTML(string=html).render()
    for number, page in enumerate(document.pages, start=1):
        body = page._page_box  # the page's box tree, as laid out by WeasyPrint
        right_edge = body.content_box_x() + body.width
        found: list[str] = []
        for child in body.children:
            _overflowing_boxes(child, right_edge, found)
        assert found[:5] == [], f"page {number}"


def _word_boxes(pdf: Path, page: int, tmp_path: Path) -> tuple[float, list[tuple[float, float, float, float, str]]]:
    """The page width and every word's box (xMin, yMin, xMax, yMax, text) on one page, from pdftotext -bbox."""
    import re

    out = tmp_path / f"words-{page}.html"
    subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), str(out)], check=True)
    html = out.read_text(encoding="utf-8")
    width = float(re.search(r'<page width="([\d.]+)"', html).group(1))  # type: ignore[union-attr]
    words = [(float(a), float(b), float(c), float(d), text) for a, b, c, d, text in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]
    return width, words


@needs_poppler
def test_a_long_case_id_neither_leaves_the_page_nor_overwrites_other_text(tmp_path: Path) -> None:
    """A case id of 200 characters without a space (the case format's maximum) wraps in the heading and is cut with
    an ellipsis in the running header; before, it ran past the right edge over the rule-set versions."""
    from _report_cases import build_assessment, build_case

    long_id = "X" * 200
    case = build_case().model_copy(update={"id": long_id})
    path = tmp_path / "long-id.pdf"
    path.write_bytes(render_pdf(build_assessment().model_copy(update={"id": long_id}), case))
    for page in (1, 2):
        width, words = _word_boxes(path, page, tmp_path)
        assert words
        right_margin = width - 15 / 25.4 * 72  # @page margin 15 mm
        beyond = [w for w in words if w[2] > right_margin + 1]
        assert not beyond, beyond
        overlapping = [(a[4][:20], b[4][:20]) for i, a in enumerate(words) for b in words[i + 1:]
                       if min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > 1]
        assert not overlapping, overlapping
    header = " ".join(w[4] for w in _word_boxes(path, 2, tmp_path)[1] if w[1] < 15 / 25.4 * 72 + 20)
    assert "Tumour board report" in header and 0 < header.count("X") < len(long_id)  # cut (poppler drops the "…")
