"""A bisphosphonate to discuss before the menopause is not presented as a PREDICT benefit.

PREDICT's bisphosphonate term (b = -0.198, "intended post-menopausal only; not enforced in model":
/work/shared/reference/predict-model.md) is the EBCTCG 2015 benefit in postmenopausal women (Lancet 2015: breast cancer
mortality RR 0.82 after the menopause, no benefit before it). The rules leave a bisphosphonate to discussion for a
premenopausal woman on ovarian suppression (systemic.bisphosphonate.discuss.ofs); the figures must then leave it out
and say so, rather than show a benefit the model was not derived for.
"""

from __future__ import annotations

from typing import Any

from micromets.api import create_app
from micromets.api.services import example_data
from micromets.assess import assess
from micromets.model import parse_case
from micromets.prognosis.case_adapter import BISPHOSPHONATE_BEFORE_MENOPAUSE
from micromets.report.html import render_html

from _auth import web_client


def _premenopausal_on_ofs() -> dict[str, Any]:
    data = example_data("pn1mi")
    data.update(age=42, menopausal_status="pre", ovarian_function_suppression="planned")
    return data


def test_the_default_figures_leave_a_premenopausal_bisphosphonate_out_and_say_why() -> None:
    case = parse_case(_premenopausal_on_ofs())
    a = assess(case)
    assert a.decisions["bisphosphonate"] == "discuss"
    assert a.prognosis is not None and "bisphosphonate" not in a.prognosis.treatments_evaluated
    assert all(b.treatment != "bisphosphonate" for b in a.prognosis.incremental_benefit)
    assert BISPHOSPHONATE_BEFORE_MENOPAUSE in a.warnings
    html = render_html(a, case)
    held = html[html.index('id="mm-held-back"'):]
    assert "bisphosphonate" in held[:held.index("</p>")].lower() and "postmenopausal" in held[:held.index("</p>")]


def test_after_the_menopause_the_bisphosphonate_to_discuss_stays_in_the_figures() -> None:
    data = _premenopausal_on_ofs()
    data.update(age=62, menopausal_status="post")
    del data["ovarian_function_suppression"]
    a = assess(parse_case(data))
    assert a.decisions["bisphosphonate"] in ("recommended", "discuss")
    assert a.prognosis is not None and "bisphosphonate" in a.prognosis.treatments_evaluated
    assert BISPHOSPHONATE_BEFORE_MENOPAUSE not in a.warnings


def test_a_bisphosphonate_the_team_asks_for_is_evaluated_with_the_caution() -> None:
    """docs/case-format.md: the library evaluates a ``treatments`` object as written."""
    data = _premenopausal_on_ofs()
    data["treatments"] = {"endocrine": True, "bisphosphonate": True}
    a = assess(parse_case(data))
    assert a.prognosis is not None and "bisphosphonate" in a.prognosis.treatments_evaluated
    assert any(w.startswith("bisphosphonate evaluated before menopause") for w in a.warnings)


def test_the_web_result_says_the_bisphosphonate_is_held_back_not_that_it_is_not_recommended() -> None:
    import json

    with web_client(create_app()) as client:
        page = client.post("/report", data={"case_json": json.dumps(_premenopausal_on_ofs()),
                                            "prognosis_version": ""}).text
    held = page[page.index('id="survival-held-back"'):]
    held = held[:held.index("</p>")]
    assert "Bisphosphonate (to discuss; PREDICT" in held




def test_a_treatment_only_to_discuss_is_named_as_such_beside_the_figures() -> None:
    """pn1mi (postmenopausal, pT1c pN1mi, RS 14): the bisphosphonate is 'discuss' (ASCO-OH 2022: discuss with every
    postmenopausal candidate, recommended only at higher risk). It is in the figures, so they must say it is only to
    discuss; the treatment table must not call it recommended."""
    import json
    import re

    from micromets.report.text import render_text

    data = example_data("pn1mi")
    case = parse_case(data)
    a = assess(case)
    assert a.decisions["bisphosphonate"] == "discuss" and a.prognosis is not None
    assert "bisphosphonate" in a.prognosis.treatments_evaluated
    html = render_html(a, case)
    assert re.search(r'id="mm-only-to-discuss">[^<]*bisphosphonate', html)
    assert "only to discuss, not recommended: bisphosphonate" in " ".join(render_text(a).split())
    with web_client(create_app()) as client:
        page = client.post("/report", data={"case_json": json.dumps(data), "prognosis_version": ""}).text
    assert re.search(r'id="survival-only-to-discuss">.*?Bisphosphonate', page, re.S)
    status = re.search(r'id="treat-bisphosphonate-status">([^<,]*)', page)
    assert status and status.group(1).strip() == "to discuss"
    # ITC with endocrine therapy (LUMINA): whole-breast RT 'omission possible' is not a 'not recommended'
    with web_client(create_app()) as client:
        itc_page = client.post("/report", data={"case_json": json.dumps(example_data("itc")),
                                                "prognosis_version": ""}).text
    itc = re.search(r'id="treat-radiotherapy-status">([^<,]*)', itc_page)
    assert itc and itc.group(1).strip() == "omission possible"
