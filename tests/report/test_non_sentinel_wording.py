"""How the reports state the risk of further (non-sentinel) nodal disease when micromets has no patient-specific
estimate: the range of the observed cohort rates it cites, said to be the cohorts' (IBCSG 23-01: 13 % of the ALND arm
with SLN micrometastases had further nodal disease; Cserni 2004 meta-analysis: 20 %), never "not estimated" beside
the very range it shows (a clinician's review of the report, 2026-12-02)."""

from __future__ import annotations

import html as html_lib
import json
from importlib import resources

from micromets.assess import assess
from micromets.model import parse_case
from micromets.report import render_html, render_text
from micromets.report._common import percent


def _pn1mi():
    case = parse_case(json.loads(resources.files("micromets.examples").joinpath("pn1mi.json").read_text()))
    return case, assess(case)


def test_the_cohort_range_is_stated_as_the_cohorts_rate_in_text_and_html() -> None:
    case, assessment = _pn1mi()
    ns = assessment.prognosis.non_sentinel_node_probability
    assert ns is not None and ns.value is None and ns.low is not None and ns.high is not None
    wanted = f"{percent(ns.low)}–{percent(ns.high)} in the cited cohorts"
    text = " ".join(render_text(assessment).split())
    page = " ".join(html_lib.unescape(render_html(assessment, case)).split())
    for rendered in (text, page):
        assert wanted in rendered
        assert "not estimated" not in rendered
