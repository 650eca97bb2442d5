"""The tumour-board report as PDF: WeasyPrint renders the standalone HTML report (A4).

Nothing is fetched over the network: the HTML is self-contained and the URL fetcher refuses every
URL except inline ``data:`` URIs.

Example::

    >>> from micromets.model.assessment import Assessment, Findings, Staging
    >>> a = Assessment(id="c1", micromets_version="0.1.0", ruleset_version="r", findings=Findings(),
    ...                staging=Staging())
    >>> render_pdf(a)[:5]
    b'%PDF-'
"""

from __future__ import annotations

from typing import Any

from micromets.model.assessment import Assessment
from micromets.model.case import Case

from .html import render_html

__all__ = ["html_to_pdf", "render_pdf"]


def _offline_fetcher(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        result: dict[str, Any] = default_url_fetcher(url, *args, **kwargs)
        return result
    raise ValueError(f"external resource refused (the report is self-contained): {url[:80]}")


def html_to_pdf(html: str) -> bytes:
    """A self-contained HTML document as PDF bytes (nothing fetched)."""
    from weasyprint import HTML  # imported lazily: loading pango takes a moment

    pdf: bytes = HTML(string=html, url_fetcher=_offline_fetcher).write_pdf()
    return pdf


def render_pdf(assessment: Assessment, case: Case | None = None) -> bytes:
    """Render the report (same content as :func:`render_html`) to PDF bytes."""
    return html_to_pdf(render_html(assessment, case, standalone=True))
