"""Server-rendered web UI through TestClient: form coverage, labels, inline errors, report, downloads."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from micromets.api import create_app, form
from micromets.api.services import example_data, example_names
from micromets.model import Assessment, Case

from _auth import web_client


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with web_client(create_app()) as test_client:
        yield test_client


class _Inputs(HTMLParser):
    """Collects form controls, labels and element ids of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str]] = []
        self.label_for: set[str] = set()
        self.ids: set[str] = set()
        self.in_template = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "template":
            self.in_template += 1
        if self.in_template:
            return
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "label" and "for" in a:
            self.label_for.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.controls.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self.in_template -= 1


def _parse(html: str) -> _Inputs:
    parser = _Inputs()
    parser.feed(html)
    return parser


def _schema_leaves(schema: dict[str, Any], node: dict[str, Any], prefix: str = "") -> set[str]:
    """Every leaf field path of the case JSON Schema (deposit fields as ``nodes.deposits[].x``)."""
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].split("/")[-1]]
    for option in node.get("anyOf", []):
        if "$ref" in option or option.get("type") == "array" and "$ref" in option.get("items", {}):
            return _schema_leaves(schema, option, prefix)
    if node.get("type") == "array" and "$ref" in node.get("items", {}):
        return _schema_leaves(schema, node["items"], prefix + "[]")
    if "properties" in node:
        out: set[str] = set()
        for name, child in node["properties"].items():
            out |= _schema_leaves(schema, child, f"{prefix}.{name}" if prefix else name)
        return out
    return {prefix}


def test_form_covers_every_contract_field() -> None:
    schema = Case.model_json_schema()
    assert _schema_leaves(schema, schema) == set(form.all_paths())


def test_every_control_has_a_label_and_the_page_is_self_contained(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = _parse(response.text)
    assert len(page.controls) > 50
    unlabelled = [c.get("name") for c in page.controls if c.get("id") not in page.label_for]
    assert unlabelled == []
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", response.text), "no external resources"


def test_static_files_reference_nothing_external() -> None:
    static = Path(form.__file__).parent / "static"
    for path in static.iterdir():
        assert not re.search(r"https?://|url\(\s*['\"]?//", path.read_text(encoding="utf-8")), path.name


def test_example_loader_prefills_the_form(client: TestClient) -> None:
    response = client.get("/", params={"example": "pn1mi"})
    assert response.status_code == 200
    data = example_data("pn1mi")
    assert f'value="{data["id"]}"' in response.text
    assert 'name="nodes.deposits[0].size_mm" value="1.2"' in response.text
    assert client.get("/", params={"example": "nope"}).status_code == 404
    assert example_names()[0] == "pn1mi"


def _form_of(case: dict[str, Any]) -> dict[str, Any]:
    return {**form.flatten(case), "action": "assess"}


def test_form_round_trips_every_example() -> None:
    for name in example_names():
        data = example_data(name)
        fields = {k: v if isinstance(v, list) else [v] for k, v in form.flatten(data).items()}
        rebuilt = Case.model_validate(form.case_data_from_form(fields))
        assert rebuilt == Case.model_validate(data), name


def test_empty_inputs_are_unknown_never_zero() -> None:
    data = form.case_data_from_form({"age": [""], "tumour.size_mm": [" "], "tumour.grade": [""],
                                     "tumour.lvi": [""], "nodes.deposits[0].size_mm": [""],
                                     "treatments.endocrine": [""], "tumour.er_percent": ["0"]})
    assert data == {"tumour": {"er_percent": 0.0}}


def test_submit_shows_the_report(client: TestClient) -> None:
    response = client.post("/assess", data=_form_of(example_data("pn1mi")))
    assert response.status_code == 200, response.text
    assert "pN1mi" in response.text
    assert 'action="/download/pdf"' in response.text and 'action="/whatif"' in response.text


def test_invalid_value_is_shown_inline_next_to_its_input(client: TestClient) -> None:
    values = _form_of(example_data("pn1mi"))
    values["tumour.size_mm"] = "180 cm"
    values["nodes.deposits[0].size_mm"] = "400"
    response = client.post("/assess", data=values)
    assert response.status_code == 422
    for name in ("tumour.size_mm", "nodes.deposits[0].size_mm"):
        error_id = form.input_id(name) + "-error"
        assert f'id="{error_id}"' in response.text
        assert re.search(rf'id="{re.escape(form.input_id(name))}"[^>]*aria-describedby="[^"]*{error_id}',
                         response.text)
    assert 'value="180 cm"' in response.text, "the typed value is kept for correction"
    # the number is quoted back as it was typed, not as the float it was read as
    assert re.search(r'id="f-nodes-deposits-0-size_mm-error">.*?got 400\b(?!\.)', response.text, re.S)


def test_add_and_remove_deposit_rows_without_javascript(client: TestClient) -> None:
    values = _form_of(example_data("pn1mi"))
    added = client.post("/assess", data={**values, "action": "add_deposit"})
    assert 'name="nodes.deposits[1].size_mm"' in added.text
    removed = client.post("/assess", data={**values, "action": "remove_deposit:0"})
    assert 'name="nodes.deposits[0].size_mm" value=""' in removed.text


def _posted(case: dict[str, Any]) -> dict[str, str]:
    return {"case_json": json.dumps(case), "prognosis_version": ""}


def test_downloads(client: TestClient) -> None:
    case = example_data("pn1mi")
    as_json = client.post("/download/json", data=_posted(case))
    assert as_json.status_code == 200
    assert Assessment.model_validate(as_json.json()).id == case["id"]
    assert "attachment" in as_json.headers["content-disposition"]
    assert client.post("/download/pdf", data=_posted(case)).content.startswith(b"%PDF")
    assert client.post("/download/ics", data=_posted(case)).content.startswith(b"BEGIN:VCALENDAR")
    assert client.post("/download/exe", data=_posted(case)).status_code == 404
    tampered = client.post("/download/json", data=_posted({**case, "age": 5}))
    assert tampered.status_code == 422 and "age" in tampered.text


def test_fhir_download_only_when_available(client: TestClient) -> None:
    import importlib.util

    available = importlib.util.find_spec("micromets.interop") is not None and \
        importlib.util.find_spec("micromets.interop.fhir") is not None
    page = client.post("/report", data=_posted(example_data("pn1mi")))
    assert page.status_code == 200
    assert ('action="/download/fhir"' in page.text) == available


def test_whatif_page(client: TestClient) -> None:
    data = {**_posted(example_data("pn1mi")), "field": "tumour.grade", "value": "3"}
    response = client.post("/whatif", data=data)
    assert response.status_code == 200, response.text
    assert "What changes" in response.text
    bad = client.post("/whatif", data={**data, "field": "tumour.colour"})
    assert bad.status_code == 422


def test_edit_prefills_the_form_with_the_case(client: TestClient) -> None:
    response = client.post("/edit", data=_posted(example_data("pn1mi")))
    assert response.status_code == 200
    assert 'name="tumour.size_mm" value="18"' in response.text


# Issue 12: the answer first, treatments as toggles, what-if on any input, readable labels, near-empty forms.

def _visible_text(html: str) -> str:
    """The page text outside <details> folds, <template>s, scripts and attributes (what a reader sees first)."""
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<details\b.*?</details>", " ", html, flags=re.S)  # no nested folds outside the report
    return re.sub(r"<[^>]+>", " ", html)


def test_an_empty_form_says_what_is_needed_instead_of_a_report(client: TestClient) -> None:
    response = client.post("/assess", data={"action": "assess", "prognosis_version": ""})
    assert response.status_code == 422
    assert "Tumour board answer" not in response.text
    assert "What is needed for a report" in response.text
    # the inputs every stage group needs (AJCC 8th: T, N, M) are named by their labels and linked to their inputs
    for name in ("tumour.size_mm", "metastasis", "clinical_nodes"):
        label = form.labels()[name]
        assert f'<a href="#{form.input_id(name)}">{label}</a>' in response.text.replace("&amp;", "&")
        # and marked beside the input itself, which points to the mark (aria-describedby)
        needed_id = form.input_id(name) + "-needed"
        assert f'<p class="needed-message" id="{needed_id}">Needed for a report</p>' in response.text
        assert re.search(rf'id="{re.escape(form.input_id(name))}"[^>]*aria-describedby="[^"]*{needed_id}',
                         response.text), name
    assert 'id="f-tumour-ki67_percent-needed"' not in response.text  # Ki-67 is in no AJCC 8 stage table: not marked
    near_empty = client.post("/assess", data={"action": "assess", "age": "60"})
    assert near_empty.status_code == 422 and "What is needed for a report" in near_empty.text


def test_result_page_shows_every_decision_in_words_and_no_internal_code(client: TestClient) -> None:
    case = example_data("pn1mi")
    response = client.post("/report", data=_posted(case))
    page = response.text
    decisions = re.findall(r'<li data-decision="(\w+)">', page)
    assessment = Assessment.model_validate(client.post("/download/json", data=_posted(case)).json())
    assert decisions and set(decisions) == set(assessment.decisions), "every decision, not only the active ones"
    assert "not indicated" in page and "omit ALND" in page and "discuss" in page
    assert "Anatomic stage" in page and "Prognostic stage (pathological)" in page
    visible = _visible_text(page)
    for code in ("hr pos her2 neg", "hr_pos_her2_neg", "third_gen", "overall_survival.", "surgery.alnd.",
                 "not_indicated", "insufficient_data"):
        assert code not in visible, code
    # every citation links to an entry of the reference list
    cited = set(re.findall(r'class="cite" href="#(ref-\d+)"', page))
    assert cited and cited <= set(re.findall(r'<li id="(ref-\d+)"', page))


def _checked(page: str) -> set[str]:
    return set(re.findall(r'name="treat" value="(\w+)" id="treat-\w+" checked', page))


def _with_treatment_os(page: str) -> list[str]:
    row = re.search(r"With the treatments ticked</th>(.*?)</tr>", page, flags=re.S)
    assert row
    return re.findall(r"(\d+\.\d)%", row.group(1))


def test_treatment_toggles_add_one_at_a_time_from_the_recommended_set(client: TestClient) -> None:
    """PREDICT's tool adds treatments one by one to the same patient; choosing chemotherapy must keep the others."""
    case = example_data("pn1mi")
    first = client.post("/report", data=_posted(case)).text
    recommended = _checked(first)
    assert "endocrine" in recommended and "chemotherapy" not in recommended
    added = client.post("/report", data={**_posted(case), "treatments": "apply", "treat": [*recommended, "chemotherapy"],
                                         "treat_chemotherapy_generation": "third_gen"}).text
    assert _checked(added) == recommended | {"chemotherapy"}
    assert "added by you" in added
    before, after = _with_treatment_os(first), _with_treatment_os(added)
    assert all(float(a) >= float(b) for a, b in zip(after, before, strict=True)), (before, after)
    removed = client.post("/report", data={**_posted(case), "treatments": "apply",
                                           "treat": sorted(recommended - {"endocrine"})}).text
    assert _checked(removed) == recommended - {"endocrine"} and "removed by you" in removed
    reset = client.post("/report", data={**_posted(case), "treatments": "reset"}).text
    assert _checked(reset) == recommended


def test_form_choosing_only_chemotherapy_keeps_the_recommended_treatments(client: TestClient) -> None:
    values = {**_form_of(example_data("pn1mi")), "treatments.chemotherapy": "third_gen"}
    page = client.post("/assess", data=values).text
    assert {"endocrine", "chemotherapy"} <= _checked(page)


def test_whatif_on_a_deposit_names_what_changed_in_words(client: TestClient) -> None:
    """AJCC 8th: a nodal deposit > 2.0 mm is a macrometastasis, so 1 positive node is pN1a, and T1 N1 M0 is IIA."""
    data = {**_posted(example_data("pn1mi")), "field": "nodes.deposits[0].size_mm", "value": "2.5"}
    response = client.post("/whatif", data=data)
    assert response.status_code == 200, response.text
    visible = _visible_text(response.text)
    assert "Deposit 1: size (mm)" in visible and "N category" in visible and "Anatomic stage" in visible
    assert "pN1a" in visible and "IIA" in visible
    assert "nodes.deposits[0]" not in visible and "staging.n" not in visible


def test_whatif_from_the_whole_form(client: TestClient) -> None:
    case = example_data("pn1mi")
    opened = client.post("/whatif/form", data=_posted(case))
    assert opened.status_code == 200 and 'name="mode" value="form"' in opened.text
    values = {**_form_of(case), "case_json": json.dumps(case), "mode": "form", "prognosis_version": "",
              "nodes.deposits[0].size_mm": "2.5", "tumour.grade": "3"}
    response = client.post("/whatif", data=values)
    assert response.status_code == 200, response.text
    changed = re.findall(r'<tr><th scope="row">([^<]+)</th>', response.text.split('id="whatif-inputs"')[1]
                         .split("</table>")[0])
    assert sorted(changed) == ["Deposit 1: size (mm)", "Grade (Nottingham)"]
    unchanged = client.post("/whatif", data={**_form_of(case), "case_json": json.dumps(case), "mode": "form"})
    assert unchanged.status_code == 422 and "no input was changed" in unchanged.text


def test_quick_whatif_accepts_a_choice_by_its_label(client: TestClient) -> None:
    data = {**_posted(example_data("pn1mi")), "field": "tumour.lvi", "value": "yes"}
    assert client.post("/whatif", data=data).status_code == 200
    wrong = client.post("/whatif", data={**data, "value": "perhaps"})
    assert wrong.status_code == 422 and "choose one of yes, no" in wrong.text


def test_every_decision_value_of_the_contract_has_a_tone_and_words() -> None:
    """Issue 12 item 1: colour and text by value, for every value the case-format contract allows."""
    from micromets.api import board
    from micromets.model import DECISION_VALUES, DECLINED, DEFERRED, INSUFFICIENT_DATA

    values = {v for allowed in DECISION_VALUES.values() for v in allowed} | {INSUFFICIENT_DATA, DECLINED, DEFERRED}
    for value in values:
        assert board.tone(value) != "other", value
        assert "_" not in board.decision_text(value), value
    assert {board.tone(v) for v in ("recommended", "discuss", "not_indicated", "insufficient_data", "not_applicable",
                                    "declined", "deferred")} == {"recommended", "discuss", "not-indicated",
                                                                 "insufficient", "not-applicable", "declined",
                                                                 "deferred"}


def test_whatif_form_goes_back_to_the_report_unchanged(client: TestClient) -> None:
    case = example_data("pn1mi")
    values = {**_form_of(case), "case_json": json.dumps(case), "mode": "form", "tumour.grade": "3"}
    response = client.post("/report", data=values)  # the form's "Back to the report" (formaction=/report)
    assert response.status_code == 200 and "Tumour board answer" in response.text
    assert '<dd class="big" id="anatomic-stage">IB</dd>' in response.text


def _row(page: str, key: str) -> str:
    """The decision row of ``key`` on the result page (its <li>, up to the next row)."""
    match = re.search(rf'<li data-decision="{key}">(.*?)</li>', page, re.S)
    assert match, key
    return match.group(1)


def test_an_undecided_chemotherapy_names_what_it_needs_next_to_it(client: TestClient) -> None:
    """An 80-year-old with grade 3, RS 31 and no fitness measure: chemotherapy waits on ECOG (ASCO geriatric
    oncology 2018: fitness is assessed, not presumed, before chemotherapy at this age). The product principle
    ("insufficient data: need X") wants the X beside the decision, with a way to enter it."""
    case = example_data("pn1mi")
    case.update(id="elderly-no-fitness", age=80, oncotype_rs=31)
    case["tumour"]["grade"] = 3
    for fitness in ("ecog", "charlson_index", "lvef_percent"):
        case.pop(fitness, None)
    page = client.post("/report", data=_posted(case)).text
    chemotherapy = _row(page, "chemotherapy")
    assert "insufficient data" in chemotherapy
    assert re.search(r"Needs <strong>ECOG performance status</strong>", chemotherapy), chemotherapy
    ecog_input = form.input_id("ecog")
    assert f'action="/edit#{ecog_input}"' in chemotherapy  # opens the form at the ECOG field
    assert f'id="{ecog_input}"' in client.post("/edit", data=_posted(case)).text
    # (the bisphosphonate too waits on fitness at 80 since 2026-12-02: "needed for Chemotherapy, Bisphosphonate")
    assert re.search(r"<li>ECOG performance status<span[^>]*> — needed for [^<]*\bChemotherapy\b[^<]*</span></li>", page)
    assert "Needs" not in _row(page, "endocrine")  # only the undecided row carries the line


def test_a_deferred_treatment_says_until_when_and_declined_ones_say_whose_choice(client: TestClient) -> None:
    """Pregnant, 20 weeks: endocrine therapy and radiotherapy are deferred until after delivery (Amant, Lancet
    2012; ESMO pregnancy guideline 2023); a patient's refusal is shown as her choice, not as 'not indicated'."""
    case = example_data("pn1mi")
    case.update(id="pregnant", age=34, menopausal_status="pre",
                pregnancy={"status": "pregnant", "gestational_age_weeks": 20})
    page = client.post("/report", data=_posted(case)).text
    for key in ("endocrine", "whole_breast_rt"):
        row = _row(page, key)
        assert "deferred" in row and "until after delivery" in row, row
    assert "\u23f8" not in page  # the pause sign has no glyph in DejaVu / most system fonts: an empty box
    assert "until" not in _row(page, "axillary_surgery")
    # the treatments table and the survival card do not call a deferred treatment "not recommended"
    assert '<span class="sub" id="treat-endocrine-status">deferred</span>' in page
    assert re.search(r"Not in these figures: [^<]*Endocrine therapy \(deferred\)", page)
    declined = {**example_data("pn1mi"), "preferences": {"declined": ["whole_breast_rt", "endocrine"]}}
    page = client.post("/report", data=_posted(declined)).text
    for key in ("endocrine", "whole_breast_rt"):
        assert "declined by the patient" in _row(page, key)
    assert '<span class="sub" id="treat-radiotherapy-status">declined by the patient</span>' in page
    assert re.search(r"Not in these figures: [^<]*Radiotherapy \(declined by the patient\)", page)
    typical = client.post("/report", data=_posted(example_data("pn1mi"))).text
    assert "Not in these figures" not in typical  # nothing held back: no note


def test_a_hostile_id_and_long_comorbidities_are_shown_as_text(client: TestClient) -> None:
    case = {**example_data("pn1mi"), "id": "<img src=x onerror=alert(1)>",
            "comorbidities": ["Atrial fibrillation on apixaban", "x" * 200]}
    page = client.post("/report", data=_posted(case)).text
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Atrial fibrillation on apixaban" in _visible_text(page)


def test_declined_treatment_choices_are_named_in_words(client: TestClient) -> None:
    """The 'Treatments declined' checkboxes name each treatment as the decisions do, never as a code."""
    page = client.get("/").text
    labels = re.findall(r'<label for="f-preferences-declined-\w+">([^<]+)</label>', page)
    assert "HER2-directed therapy" in labels and "Whole-breast radiotherapy" in labels, labels
    assert not [text for text in labels if "_" in text or text in ("her2 therapy", "whole breast rt")], labels


def _answer(page: str) -> str:
    """The first screen of the result page: from the answer grid up to the in-page navigation."""
    match = re.search(r'<div class="answer" id="answer">(.*?)<nav class="jump"', page, re.S)
    assert match
    return match.group(1)


def test_the_answer_lists_the_warnings_beside_what_is_missing(client: TestClient) -> None:
    """Decision support never hides uncertainty (product brief): an assumption the model made (PREDICT takes a
    population mean heart dose when none is given) is on the first screen, not only in the fold at the end; "nothing
    required is missing" alone would read as "nothing uncertain"."""
    case = example_data("pn1mi")
    assert "treatments" not in case or "heart_dose_gy" not in case["treatments"]
    answer = _answer(client.post("/report", data=_posted(case)).text)
    card = re.search(r'<section class="card warnings-card".*?</section>', answer, re.S)
    assert card, "no warnings card in the answer"
    assert "heart dose not given" in card.group(0)
    assert "Nothing required is missing." in answer


def test_the_reason_survival_was_not_computed_is_not_repeated_as_a_warning(client: TestClient) -> None:
    """After neoadjuvant therapy PREDICT is not applied (it models adjuvant treatment after primary surgery): that
    reason stands in the survival card, once; the warnings card keeps the others."""
    answer = _answer(client.post("/report", data=_posted(example_data("neoadjuvant-residual-micromet"))).text)
    assert answer.count("PREDICT is not validated after neoadjuvant therapy") == 1
    assert 'id="board-warnings"' in answer  # the treatment-dates warning remains


def test_each_recommendation_line_shows_its_strength(client: TestClient) -> None:
    """The tumour board weighs a recommendation by its strength (contract: every recommendation has one): it is on
    the one-line summary, not only inside the fold."""
    case = example_data("pn1mi")
    page = client.post("/report", data=_posted(case)).text
    section = page[page.index('id="board-recommendations"'):page.index('id="whatif"')]
    summaries = re.findall(r'<details class="rec[^"]*">\s*<summary>(.*?)</summary>', section, re.S)
    from micromets.assess import assess

    recommendations = assess(Case.model_validate(case)).recommendations
    assert len(summaries) == len(recommendations)
    shown = sorted(re.search(r'data-strength="(\w+)">\(strength: \1\)', s).group(1)  # type: ignore[union-attr]
                   for s in summaries)
    assert shown == sorted(r.strength for r in recommendations)


def _prognostic_stage_label(page: str) -> str:
    match = re.search(r"<dt>(Prognostic stage[^<]*)</dt>", page)
    assert match
    return match.group(1)


def test_the_prognostic_stage_says_which_one_it_is(client: TestClient) -> None:
    """AJCC 8th ed. (breast): after neoadjuvant therapy there is no pathological prognostic stage; the clinical one
    was assigned from the findings before therapy, so beside a ypTNM it says so. Without any prognostic stage the
    label claims neither kind."""
    neoadjuvant = client.post("/report", data=_posted(example_data("neoadjuvant-residual-micromet"))).text
    assert re.search(r"ypT\w+ ypN", neoadjuvant)
    assert _prognostic_stage_label(neoadjuvant) == "Prognostic stage (clinical, before neoadjuvant therapy)"
    assert _prognostic_stage_label(client.post("/report", data=_posted(example_data("pn1mi"))).text) == \
        "Prognostic stage (pathological)"
    unknown_receptors = example_data("pn1mi")
    for key in ("er_percent", "pr_percent", "her2_ihc"):
        unknown_receptors["tumour"].pop(key)
    page = client.post("/report", data=_posted(unknown_receptors)).text
    assert _prognostic_stage_label(page) == "Prognostic stage"
    assert re.search(r'id="prognostic-stage">not assigned<', page)



def test_a_contradiction_is_explained_with_the_labels_of_both_fields(client: TestClient) -> None:
    """The case format (docs/case-format.md): size_mm is the invasive size, so an 'in situ only' tumour with an
    invasive size is a contradiction. On the form (docs/web-and-api.md: each message next to its input, named by
    its label) the message names the other field as the form labels it, not by its JSON name."""
    values = _form_of(example_data("pn1mi"))
    values["tumour.in_situ_only"] = "true"
    response = client.post("/assess", data=values)
    assert response.status_code == 422
    inline = re.search(r'<p class="error-message" id="f-tumour-size_mm-error">(.*?)</p>', response.text, re.S)
    assert inline, "no message next to the invasive size"
    assert "In situ carcinoma only (Tis)" in inline.group(1)
    summary = response.text[response.text.index('id="error-summary"'):response.text.index('id="case-form"')]
    for text in (inline.group(1), re.sub(r"<[^>]+>", " ", summary)):  # the words, not the links' anchors
        assert "in_situ_only" not in text and "size_mm" not in text, text
    # the model (and so the REST API) keeps its wording: field names are its vocabulary
    from micromets.errors import CaseValidationError
    from micromets.model import parse_case

    data = example_data("pn1mi")
    data["tumour"]["in_situ_only"] = True
    with pytest.raises(CaseValidationError) as raised:
        parse_case(data)
    assert any("in_situ_only" in p.message for p in raised.value.problems)


def test_the_survival_card_names_a_recommended_treatment_the_model_leaves_out(client: TestClient) -> None:
    """PREDICT v3 has no CDK4/6 inhibitor (Grootes et al., NPJ Breast Cancer 2022): beside the figures the card
    says that the recommended one is not in them."""
    page = client.post("/report", data=_posted(example_data("macro-mastectomy"))).text
    assert re.search(r'data-decision="cdk46_inhibitor">.*?recommended', page, re.S)
    card = re.search(r'<section class="card survival-card".*?</section>', page, re.S)
    assert card and "Not in these figures (PREDICT does not model it): CDK4/6 inhibitor (recommended)." in card.group(0)


def test_the_error_page_names_a_field_by_its_label_and_shows_no_pseudo_field(client: TestClient) -> None:
    """An error about a case field names it by the form's label (its code beside it, for support); an error that is
    about no field (the "(method)" of a GET where a POST is needed) leads with its message, not "(method) ((method))"."""
    case = example_data("pn1mi")
    case["tumour"]["size_mm"] = 400
    page = client.post("/report", data=_posted(case))
    assert page.status_code == 422
    items = re.findall(r"<li>(.*?)</li>", page.text[page.text.index('id="error-summary"'):], re.S)
    assert any(item.startswith("Invasive size (mm) ") and "<code>tumour.size_mm</code>" in item for item in items)
    wrong_method = client.get("/assessments/1/reassess")
    assert wrong_method.status_code == 405
    text = wrong_method.text[wrong_method.text.index('id="error-summary"'):]
    assert "((method))" not in text and "<li>Re-assessing records a new row" in text


def test_every_mistake_of_a_submit_is_marked_at_each_field_it_involves(client: TestClient) -> None:
    """Three independent mistakes (docs/case-format.md, "Validation a clinician would expect": an in-situ tumour with
    an invasive size, margins without breast surgery, a node number above the nodes examined) are all listed in one
    submit, and each contradiction is marked at both of its inputs, since either may be the one typed wrong."""
    values = _form_of(example_data("pn1mi"))
    values["tumour.in_situ_only"] = "true"
    values["surgery.breast"] = "none"
    values["surgery.margins_mm"] = "2"
    values["nodes.examined"] = "1"
    values["nodes.deposits[0].node"] = "2"
    values["tumour.ki67_percent"] = "abc"  # and one value of the wrong kind
    response = client.post("/assess", data=values)
    assert response.status_code == 422
    marked = set(re.findall(r'<p class="error-message" id="(f-[^"]+)-error">', response.text))
    for name in ("tumour.size_mm", "tumour.in_situ_only", "surgery.margins_mm", "surgery.breast",
                 "nodes.deposits[0].node", "nodes.examined", "tumour.ki67_percent"):
        assert form.input_id(name) in marked, name
    assert re.search(r"<h2 id=\"error-summary-title\">4 problems to correct</h2>", response.text)
    other = re.search(r'id="f-tumour-in_situ_only-error">(.*?)</p>', response.text, re.S)
    assert other and "Does not agree with “Invasive size (mm)”" in other.group(1)
    margins = re.search(r'id="f-surgery-margins_mm-error">(.*?)</p>', response.text, re.S)
    assert margins and "surgery.breast" not in margins.group(1) and "Breast surgery" in margins.group(1)



def test_size_0_beside_a_t4_extension_is_marked_at_both_inputs_with_the_other_mistakes(client: TestClient) -> None:
    """AJCC 8: T4a-d are invasive carcinoma of any size with direct extension (T4d: inflammatory carcinoma with
    invasive carcinoma proven), and the case format reads size 0 as no invasive tumour (T0/ypT0): the pair is a
    contradiction, shown at both inputs by their labels, in the same submit as an independent mistake elsewhere."""
    values = _form_of(example_data("pn1mi"))
    values["tumour.size_mm"] = "0"
    values["tumour.t_extension"] = "skin"
    values["surgery.breast"] = "none"
    values["surgery.margins_mm"] = "2"
    response = client.post("/assess", data=values)
    assert response.status_code == 422
    marked = set(re.findall(r'<p class="error-message" id="(f-[^"]+)-error">', response.text))
    for name in ("tumour.size_mm", "tumour.t_extension", "surgery.margins_mm", "surgery.breast"):
        assert form.input_id(name) in marked, name
    assert re.search(r"<h2 id=\"error-summary-title\">2 problems to correct</h2>", response.text)
    inline = re.search(r'id="f-tumour-size_mm-error">(.*?)</p>', response.text, re.S)
    assert inline and "“Direct extension (T4)”" in inline.group(1) and "AJCC 8" in inline.group(1)
    assert "t_extension" not in inline.group(1)
    other = re.search(r'id="f-tumour-t_extension-error">(.*?)</p>', response.text, re.S)
    assert other and "Does not agree with “Invasive size (mm)”" in other.group(1)

_THE_PATIENT = {  # every field of docs/case-format.md "The patient, not only the tumour" that the form must take
    "karnofsky": 80, "g8_score": 13.5, "clinical_frailty_scale": 4, "life_expectancy_years": 12,
    "conditions": {"prior_chest_radiotherapy": "mantle_or_mediastinal", "connective_tissue_disease": "scleroderma"},
    "pregnancy": {"status": "not_pregnant"},
    "preferences": {"declined": ["bisphosphonate", "boost"]},
}


def test_every_patient_field_of_the_case_format_round_trips_through_the_form_to_the_report(client: TestClient) -> None:
    data = example_data("pn1mi")
    data.update(_THE_PATIENT)
    data["nodes"].update(sentinel_nodes_removed=1, tracers=["radioisotope", "blue_dye"])
    page = client.get("/").text
    for path in ("karnofsky", "g8_score", "clinical_frailty_scale", "life_expectancy_years",
                 "conditions.prior_chest_radiotherapy", "conditions.connective_tissue_disease",
                 "nodes.sentinel_nodes_removed", "nodes.tracers", "nodes.clipped_node", "pregnancy.status",
                 "pregnancy.trimester", "pregnancy.gestational_age_weeks", "preferences.declined"):
        assert f'name="{path}"' in page, path
    fields = {k: v if isinstance(v, list) else [v] for k, v in form.flatten(data).items()}
    rebuilt = Case.model_validate(form.case_data_from_form(fields))
    assert rebuilt == Case.model_validate(data)
    report = client.post("/assess", data=_form_of(data))
    assert report.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", report.text))
    for shown in ("Karnofsky", "G8", "Clinical Frailty Scale", "Life expectancy", "Sentinel nodes removed",
                  "mantle", "scleroderma", "Declined by the patient"):
        assert shown.lower() in text.lower(), shown


def test_the_patient_choices_read_as_a_clinician_would_say_them(client: TestClient) -> None:
    page = client.get("/").text
    for words in ("this breast or chest wall", "mantle or mediastinal field", "the other breast only",
                  "breastfeeding", "active systemic lupus", "superparamagnetic iron oxide (SPIO)"):
        assert words in page, words


def _head_of_answer(page: str) -> str:
    """The result page above the in-page navigation (title, disclaimer and the answer grid), folds left out."""
    return _visible_text(page[page.index('<div class="board-head">'):page.index('<nav class="jump"')])


def test_the_answer_names_the_rule_set_and_software_it_came_from(client: TestClient) -> None:
    """Traceability: every assessment names its rule set version (Assessment.ruleset_version, from
    micromets.knowledge.ruleset_version) and the PDF prints it on every page; the web answer the tumour board reads
    said it only inside the closed "full report" fold. It stands above the answer, with the staging edition and the
    prognosis model and version, beside the "decision support, not a decision" statement."""
    from micromets.knowledge import ruleset_version

    case = example_data("pn1mi")
    page = client.post("/report", data=_posted(case)).text
    head = " ".join(_head_of_answer(page).split())
    assert f"rule set {ruleset_version()}" in head
    software = Assessment.model_validate(client.post("/download/json", data=_posted(case)).json()).micromets_version
    assert f"micromets {software}" in head
    assert "staging AJCC 8th" in head and re.search(r"prognosis PREDICT \d", head)
    assert "Decision support, not a decision" in head
    neoadjuvant = client.post("/report", data=_posted(example_data("neoadjuvant-residual-micromet"))).text
    assert "prognosis not computed" in " ".join(_head_of_answer(neoadjuvant).split())


def test_each_decision_of_the_answer_shows_the_strength_of_its_recommendation(client: TestClient) -> None:
    """The first screen's decision list gives each decision its recommendation's strength (contract: every
    recommendation has one), so "recommended" with a weak basis is not read as a strong one; a decision no
    recommendation gives (insufficient data: it waits for an input) shows none rather than a made-up one."""
    from micromets.assess import assess
    from micromets.guidelines import decision_key

    elderly = example_data("pn1mi")  # at 80, grade 3, RS 31, fitness unknown: chemotherapy waits for a measure
    elderly.update(age=80, oncotype_rs=31)
    elderly["tumour"]["grade"] = 3
    for key in ("ecog", "charlson_index", "lvef_percent"):
        elderly.pop(key)
    cases = {name: example_data(name) for name in ("pn1mi", "tnbc-micromet", "neoadjuvant-residual-micromet")}
    values_seen: dict[str, set[str | None]] = {}
    for name, case in {**cases, "elderly": elderly}.items():
        assessment = assess(Case.model_validate(case))
        answer = _answer(client.post("/report", data=_posted(case)).text)
        rows = dict(re.findall(r'<li data-decision="(\w+)">(.*?)</li>', answer, re.S))
        assert set(rows) == set(assessment.decisions)
        for key, value in assessment.decisions.items():
            expected = next((r.strength for r in assessment.recommendations
                             if decision_key(r.id) == key and r.decision == value), None)
            shown = re.search(r'class="d-strength" data-strength="(\w+)"', rows[key])
            assert (shown.group(1) if shown else None) == expected, (name, key, value)
            values_seen.setdefault(value, set()).add(shown.group(1) if shown else None)
    assert values_seen["insufficient_data"] == {None}  # the cases cover a decision without a strength
    assert {"strong", "weak"} <= values_seen["recommended"] | values_seen["discuss"]  # ... and strengths that differ


def test_a_number_typed_with_a_unit_is_told_to_type_the_number_alone_in_the_fields_unit(client: TestClient) -> None:
    """GOV.UK Design System, error messages: say what went wrong and how to fix it, in the user's words. A size
    typed as "1.8 cm" in a millimetre field (a unit slip that changes the T category tenfold) was answered with the
    REST API's list of JSON types ("text, true/false, lists and objects are not numbers"); the form says to type the
    number alone and names the field's unit, next to the field and in the summary."""
    values = _form_of(example_data("pn1mi"))
    values.update({"tumour.size_mm": "1.8 cm", "age": "58 y", "tumour.er_percent": "90%", "nodes.examined": "three"})
    page = client.post("/assess", data=values).text
    for name, expected in (("tumour.size_mm", "must be a number; got '1.8 cm'. Type the number alone, in mm."),
                           ("age", "must be a number; got '58 y'. Type the number alone, in years."),
                           ("tumour.er_percent", "must be a number; got '90%'. Type the number alone, in % nuclei."),
                           ("nodes.examined", "must be a whole number; got 'three'")):
        error = re.search(rf'id="{re.escape(form.input_id(name))}-error">(.*?)</p>', page, re.S)
        assert error, name
        assert " ".join(_visible_text(error.group(1)).split()).endswith(expected.replace("'", "&#39;")), error.group(1)
    summary = page[page.index('id="error-summary"'):page.index('id="case-form"')]
    assert "lists and objects" not in page and "Type the number alone, in mm." in summary
