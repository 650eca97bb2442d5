"""The tumour-board report: plain text, self-contained HTML (inline CSS and SVG charts) and PDF.

Example::

    >>> from micromets.model.assessment import Assessment, Findings, Staging
    >>> from micromets.report import render_html, render_text
    >>> a = Assessment(id="c1", micromets_version="0.1.0", ruleset_version="r", findings=Findings(),
    ...                staging=Staging(anatomic_stage="IB"))
    >>> "Decision support only" in render_text(a), "<svg" in render_html(a)
    (True, False)
"""

from __future__ import annotations

from .html import render_html, report_css
from .pdf import render_pdf
from .text import render_text

__all__ = ["render_html", "render_pdf", "render_text", "report_css"]
