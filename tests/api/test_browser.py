"""End-to-end in real headless Chromium (Debian ``chromium``, driven by Playwright).

A uvicorn server runs the app in a background thread on 127.0.0.1 (free port); the browser talks to
nothing else. Each page signs in as a user does: it opens a one-time ``/?token=...`` link (the kind
``micromets serve`` prints). Skipped only when /usr/bin/chromium is absent (CI installs it).
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# The kept screenshot (docs/) is refreshed on request only, so a test run never dirties the checkout:
# MICROMETS_UPDATE_SCREENSHOT=1 .venv/bin/python -m pytest tests/api/test_browser.py
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "result.png"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium "
                                                     "(apt-get install chromium; CI installs it)"),
]

if CHROMIUM.exists():
    from playwright.sync_api import Browser, Page, expect, sync_playwright


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Any]]:
    import uvicorn

    from micromets.api import create_app

    app = create_app()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    started = threading.Event()
    while thread.is_alive() and not server.started:
        started.wait(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", app
    server.should_exit = True
    thread.join()
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


def _context(browser: Browser, base_url: str) -> Any:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True,
                                  base_url=base_url)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base_url)
                  else route.abort())
    return context


@pytest.fixture
def page(browser: Browser, server: tuple[str, Any]) -> Iterator[Page]:
    base_url, app = server
    context = _context(browser, base_url)
    page = context.new_page()
    page.goto(f"/?token={app.state.access.create_login_token(name='browser test')}")
    expect(page).to_have_url(base_url + "/")  # the token is gone from the address bar
    yield page
    context.close()


def test_without_signing_in_only_the_sign_in_page_is_shown(browser: Browser, server: tuple[str, Any]) -> None:
    base_url, app = server
    context = _context(browser, base_url)
    page = context.new_page()
    response = page.goto("/?example=pn1mi")
    assert response is not None and response.status == 401
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.locator("form#case-form")).to_have_count(0)
    link = f"/?token={app.state.access.create_login_token(name='browser test')}"
    page.goto(link)
    expect(page.get_by_label("Example case")).to_be_visible()
    cookie = next(c for c in context.cookies() if c["name"] == "micromets_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto(link)  # a used link does not sign in again
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("not valid")
    context.close()


def _load_example(page: Page, name: str = "pn1mi") -> None:
    page.goto("/")
    page.get_by_label("Example case").select_option(name)
    page.get_by_role("button", name="Load example").click()
    expect(page.get_by_label("Case id")).to_have_value(f"example-{name}")


def test_example_to_report_with_pdf_download_and_whatif(page: Page, tmp_path: Path) -> None:
    _load_example(page)
    page.get_by_role("button", name="Assess", exact=True).click()

    report = page.locator(".report-column")
    expect(report).to_contain_text("pN1mi")
    expect(report).to_contain_text("IB")
    expect(report).to_contain_text("Recommendations")
    screenshot = DOCS_SCREENSHOT if os.environ.get("MICROMETS_UPDATE_SCREENSHOT") == "1" else tmp_path / "result.png"
    page.screenshot(path=str(screenshot))
    assert screenshot.stat().st_size > 10_000  # a rendered page, not a blank one

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Report (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "example-pn1mi-report.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    page.get_by_label("Field to change").select_option("tumour.grade")
    page.get_by_label("New value").fill("3")
    page.get_by_role("button", name="Show what changes").click()
    expect(page.get_by_role("heading", name="What changes")).to_be_visible()
    page.get_by_role("button", name="Back to the report").click()
    expect(page.locator(".report-column")).to_contain_text("pN1mi")


def test_filled_form_with_deposit_rows(page: Page) -> None:
    page.goto("/")
    page.get_by_label("Case id").fill("typed-in")
    page.get_by_label("Age (years)").fill("61")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Menopausal status").select_option("post")
    page.get_by_label("Invasive size (mm)").fill("15")
    page.get_by_label("Grade (Nottingham)").select_option("2")
    page.get_by_label("ER (% nuclei)").fill("95")
    page.get_by_label("PR (% nuclei)").fill("50")
    page.get_by_label("HER2 IHC").select_option("1+")
    page.get_by_label("Clinical nodal category", exact=True).select_option("cN0")
    page.get_by_label("Axillary procedure").select_option("slnb")
    page.get_by_label("Nodes examined").fill("2")
    page.get_by_label("M category").select_option("cM0")
    page.get_by_label("Breast surgery").select_option("bcs")
    page.get_by_label("Status", exact=True).select_option("done")
    page.get_by_label("Date (done or planned)").fill("2026-10-01")

    rows = page.locator("[data-deposit-row]")
    expect(rows).to_have_count(1)
    page.get_by_role("button", name="Add deposit").click()  # client-side: no round trip
    expect(rows).to_have_count(2)
    rows.nth(1).get_by_role("button", name="Remove deposit").click()
    expect(rows).to_have_count(1)
    first = rows.nth(0)
    first.get_by_label("Node no.").fill("1")
    first.get_by_label("Size (mm)").fill("0,8")  # decimal comma is accepted
    first.get_by_label("Method").select_option("he")

    page.get_by_role("button", name="Assess", exact=True).click()
    expect(page.locator(".report-column")).to_contain_text("pN1mi")
    expect(page.locator(".report-column")).to_contain_text("typed-in")


def test_invalid_value_is_shown_next_to_its_input(page: Page) -> None:
    _load_example(page)
    size = page.get_by_label("Invasive size (mm)")
    size.fill("180 cm")
    page.get_by_role("button", name="Assess", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("tumour.size_mm")
    expect(size).to_have_attribute("aria-invalid", "true")
    error = page.locator("#" + "f-tumour-size_mm-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("tumour.size_mm")
    expect(size).to_have_value("180 cm")
    size.fill("18")
    page.get_by_role("button", name="Assess", exact=True).click()
    expect(page.locator(".report-column")).to_contain_text("pN1mi")
