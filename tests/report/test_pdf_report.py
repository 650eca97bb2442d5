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
