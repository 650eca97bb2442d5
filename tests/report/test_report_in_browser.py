"""The standalone report and the patient page in real headless Chromium (Debian ``chromium``, Playwright): no
sideways scrolling at 390 px (issue 12, item 5), the answer above the fold at 1366×768 (item 1), recommendation
details folded until opened and citations that jump to the reference list (item 4).

Pages are opened from files (``file://``); the browser talks to nothing else. Skipped only when /usr/bin/chromium
is absent (CI installs it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from micromets.assess import assess
from micromets.model import parse_case_json
from micromets.report import render_html
from micromets.report.labels import decision_label
from micromets.report.patient import render_patient_html

CHROMIUM = Path("/usr/bin/chromium")
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "pn1mi.json"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    case = parse_case_json(EXAMPLE.read_text(encoding="utf-8"))
    assessment = assess(case)
    folder = tmp_path_factory.mktemp("pages")
    report, patient = folder / "report.html", folder / "patient.html"
    report.write_text(render_html(assessment, case), encoding="utf-8")
    patient.write_text(render_patient_html(assessment, case), encoding="utf-8")
    return {"report": report.as_uri(), "patient": patient.as_uri(), "assessment": assessment}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu",
                                                                                  "--disable-dev-shm-usage"])
        yield launched
        launched.close()


@pytest.mark.parametrize("name", ["report", "patient"])
def test_no_sideways_scrolling_on_a_phone(browser: Any, pages: dict[str, Any], name: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(pages[name])
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()


def test_every_decision_and_the_survival_figures_are_on_the_first_screen(browser: Any, pages: dict[str, Any]) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(pages["report"])
    a = pages["assessment"]
    # the standalone page has a margin around the sheet: scroll to the answer, as a reader's first glance would
    top = page.locator("#mm-answer").bounding_box()
    bottom = page.locator("#mm-answer-survival ~ table.mm-os").bounding_box()
    first = page.locator("table.mm-decisions").bounding_box()
    assert top and bottom and first
    assert bottom["y"] + bottom["height"] - top["y"] <= 768, "answer from decisions to survival fits one screen"
    cells = page.locator("table.mm-decisions td.mm-dk").all_inner_texts()
    assert sorted(cells) == sorted(decision_label(k) for k in a.decisions)
    page.close()


def test_details_fold_and_citations_jump_to_the_references(browser: Any, pages: dict[str, Any]) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(pages["report"])
    first = page.locator("details.mm-rec").first
    assert not first.locator("dl").is_visible()  # details folded
    first.locator("summary").click()
    assert first.locator("dl").is_visible()
    # The citations sit in the opened fold, not on the summary line (a link inside <summary> is nested
    # interactive content: axe-core "nested-interactive", WCAG 4.1.2).
    link = first.locator(".mm-rec-body a[href^='#mm-ref-']").first
    target = link.get_attribute("href")
    assert target and target.startswith("#mm-ref-")
    link.click()
    assert page.evaluate("location.hash") == target
    assert page.locator(target).is_visible()
    page.close()
