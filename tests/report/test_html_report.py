"""HTML report: content, escaping, self-containment (no CDN, no external fonts)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from micromets.knowledge.evidence import evidence_registry
from micromets.model import Case
from micromets.model.assessment import Assessment, Recommendation
from micromets.report import render_html


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "action", "poster", "data") and value:
                self.urls.append(value)


def _links(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def test_html_contains_stage_decisions_recommendations_and_disclaimer(assessment: Assessment, case: Case) -> None:
    html = render_html(assessment, case)
    assert html.startswith("<!DOCTYPE html>")
    for value in ("pT1c", "pN1mi(sn)", "IB", "AJCC 8th"):
        assert value in html
    assert "Axillary surgery" in html and "omit ALND" in html
    assert "surgery.alnd.omit.micromets" in html and "Omit completion axillary lymph node dissection." in html
    assert "One sentinel node with a 1.2 mm micrometastasis" in html  # rationale
    assert "Decision support only" in html and "Clinical decision support, not a decision." in html
    assert "micromets-rules-2026.11+0123456789ab" in html and "PREDICT 3.0" in html
    assert "Prognosis not computed" not in html


def test_evidence_ids_resolve_to_citations(assessment: Assessment) -> None:
    html = render_html(assessment)
    registry = evidence_registry()
    for evidence_id in ("IBCSG-23-01", "ACOSOG-Z0011", "ASCO-FU-2013", "ASCO-BONE-2019"):
        citation = registry[evidence_id].citation
        assert evidence_id in html
        assert citation.replace("&", "&amp;").replace("'", "&#39;") in html


def test_every_assessment_field_is_shown(assessment: Assessment, case: Case) -> None:
    html = render_html(assessment, case)
    assert "largest deposit 1.2 mm: &gt; 0.2 mm and &lt;= 2.0 mm (AJCC 8)" in html  # deposit basis
    assert "oncotype_rs" in html  # missing
    assert "estimated from a typical adjuvant sequence" in html  # warning
    assert "2036-10-01" in html  # last follow-up visit
    assert "Observed rate, IBCSG 23-01 ALND arm" in html  # non-sentinel estimate
    assert "<li>t_size</li><li>anatomic</li><li>prognostic_pathological</li>" in html  # staging path
    assert "HR+/HER2−" in html and "95 %" in html  # subtype, patient facts from the case


def test_user_text_is_escaped(assessment: Assessment, case: Case) -> None:
    html = render_html(assessment, case)
    assert "hypertension &lt;controlled&gt;" in html
    assert "<controlled>" not in html
    evil = assessment.model_copy(update={"id": '<script>alert("x")</script>'})
    assert "<script>" not in render_html(evil)


def test_self_contained_no_external_resources(assessment: Assessment, case: Case) -> None:
    html = render_html(assessment, case)
    links = _links(html)
    assert "svg" in links.tags and "style" in links.tags
    assert "link" not in links.tags and "script" not in links.tags and "img" not in links.tags
    external = [u for u in links.urls if not u.startswith("#")]
    assert external == [], external
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", html)
    assert "@import" not in html and "@font-face" not in html


def test_fragment_for_embedding(assessment: Assessment) -> None:
    fragment = render_html(assessment, standalone=False)
    assert "<html" not in fragment and "<body" not in fragment
    assert '<article class="mm-report"' in fragment and "<style>" in fragment


def test_without_prognosis_shows_reason(assessment_without_prognosis: Assessment) -> None:
    html = render_html(assessment_without_prognosis)
    assert "Prognosis not computed." in html
    assert "not validated after neoadjuvant therapy" in html
    assert 'class="chart mm-bar"' not in html


def test_empty_assessment_renders(empty_assessment: Assessment) -> None:
    html = render_html(empty_assessment)
    assert "No decisions were computed" in html and "No recommendations were made" in html
    assert "No dated follow-up plan" in html and "Prognosis not computed." in html


def test_unknown_evidence_id_is_flagged(empty_assessment: Assessment) -> None:
    rec = Recommendation(id="x.y", domain="surgery", decision="omit_alnd", strength="weak", text="t",
                         rationale="r", evidence=["NOT-A-REAL-ID"], would_change_if="w")
    html = render_html(empty_assessment.model_copy(update={"recommendations": [rec]}))
    assert "NOT-A-REAL-ID" in html and "not in the evidence registry" in html


def test_html_is_deterministic(assessment: Assessment, case: Case) -> None:
    assert render_html(assessment, case) == render_html(assessment, case)


def test_not_indicated_recommendations_are_listed_compactly(assessment: Assessment) -> None:
    rec = Recommendation(id="systemic.cdk46.not_indicated.t1n1mi", domain="systemic", decision="not_indicated",
                         strength="strong", text="No CDK4/6 inhibitor.", rationale="stage IB",
                         evidence=["IBCSG-23-01"], would_change_if="stage II or higher")
    html = render_html(assessment.model_copy(update={"recommendations": [*assessment.recommendations, rec]}))
    compact = html[html.index("Considered and not indicated"):html.index('<section id="prognosis">')]
    assert "No CDK4/6 inhibitor." in compact and "stage II or higher" in compact
    assert "Omit completion axillary lymph node dissection." not in compact  # actionable ones stay above
    # issue 12: the first page lists every decision, not indicated ones included, each with its value in words
    answer = html[html.index('<section id="mm-answer"'):html.index('<section id="patient"')]
    for key, value in (("Axillary surgery", "omit ALND"), ("Whole-breast radiotherapy", "recommended"),
                       ("HER2-directed therapy", "not indicated"), ("Chemotherapy", "insufficient data")):
        assert re.search(rf'>{re.escape(key)}</td><td[^>]*><span class="mm-badge mm-tone [^"]+">{value}</span>', answer)


def test_a_declined_treatment_names_the_patients_choice_once(case: Case) -> None:
    """Case format (preferences.declined): a declined treatment shows what the rules decided and that the
    patient declined it, in plain words, in the HTML and the text report alike (no doubled phrase)."""
    from micromets.assess import assess
    from micromets.report import render_text

    data = case.model_dump(mode="json", exclude_none=True)
    declined = Case.model_validate({**data, "preferences": {"declined": ["whole_breast_rt"]}})
    assessment = assess(declined)
    assert assessment.decisions["whole_breast_rt"] == "declined"
    html, text = render_html(assessment, declined), render_text(assessment)
    assert "recommended (declined by the patient)</dd>" in html
    assert "declined by the patient; the rules decided: recommended" in text
    assert "by the patient by the patient" not in html + text


def test_deferred_treatments_say_until_when_and_are_named_as_left_out_of_survival(case: Case) -> None:
    """Pregnant at 20 weeks: endocrine therapy, radiotherapy and bisphosphonates wait until after delivery
    (Amant, Lancet 2012; ESMO pregnancy guideline 2023). The answer page says so beside the decisions, and the
    survival figures say they leave these treatments out (they are the eventual plan, not a 'no')."""
    from micromets.assess import assess

    data = case.model_dump(mode="json", exclude_none=True)
    data.update(age=34, menopausal_status="pre", pregnancy={"status": "pregnant", "gestational_age_weeks": 20})
    pregnant = Case.model_validate(data)
    assessment = assess(pregnant)
    assert assessment.decisions["endocrine"] == "deferred"
    html = render_html(assessment, pregnant)
    deferred = re.search(r'<p class="mm-sub" id="mm-deferred">(.*?)</p>', html, re.S)
    assert deferred and "Endocrine therapy: deferred until after delivery" in deferred.group(1)
    held = re.search(r'<p class="mm-sub" id="mm-held-back">(.*?)</p>', html, re.S)
    assert held and "endocrine therapy (deferred)" in held.group(1) and "radiotherapy (deferred)" in held.group(1)
    typical = render_html(assess(case), case)
    assert 'id="mm-deferred"' not in typical and 'id="mm-held-back"' not in typical


def test_every_recommendation_line_shows_its_strength() -> None:
    """The strength of each recommendation (contract: strong, moderate or weak) is on its one-line summary, those
    considered and not indicated included (a strong "not indicated" weighs differently from a weak one)."""
    from pathlib import Path

    from micromets.assess import assess
    from micromets.model import parse_case_json

    example = Path(__file__).resolve().parents[2] / "examples" / "pn1mi.json"
    assessment = assess(parse_case_json(example.read_text(encoding="utf-8")))
    html = render_html(assessment)
    summaries = re.findall(r"<summary>(.*?)</summary>", html[html.index('<section id="recommendations">'):], re.S)
    strengths = [m.group(1) for s in summaries if (m := re.search(r'class="mm-rec-strength">\(strength: (\w+)\)', s))]
    assert sorted(strengths) == sorted(r.strength for r in assessment.recommendations)
    assert any(r.decision in ("not_indicated", "not_applicable") for r in assessment.recommendations)


def test_every_table_header_cell_has_text(assessment: Assessment, case: Case) -> None:
    """WCAG 1.3.1 (axe-core empty-table-header): a header cell names its column for a screen reader."""
    html = render_html(assessment, case)
    assert not re.findall(r"<th\b[^>]*>\s*</th>", html)


def test_the_non_sentinel_node_paragraph_starts_as_a_sentence() -> None:
    """Seen in the PDF of a pN1mi case: the paragraph under "Non-sentinel node involvement" began "observed rates,
    Sentinel-node micrometastasis ..." (the estimate's model name, written to sit inside a sentence in the text
    report). On its own it starts with a capital letter; the name is otherwise unchanged."""
    from micromets.api.services import example_data
    from micromets.assess import assess

    assessment = assess(Case.model_validate(example_data("pn1mi")))
    ns = assessment.prognosis.non_sentinel_node_probability if assessment.prognosis else None
    assert ns is not None and ns.model.startswith("observed rates")
    html = render_html(assessment)
    paragraph = re.search(r"<h3>Non-sentinel node involvement</h3>\s*<p>(.*?)</p>", html, re.S)
    assert paragraph
    assert paragraph.group(1).startswith("O" + ns.model[1:] + ":")
