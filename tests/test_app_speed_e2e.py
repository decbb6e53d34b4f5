"""Speed and network of the app in headless Chromium (issue 15, deliverables 6 and 7).

On a 31-province panel (generated here: 31 provinces × 13 years × 15 indicators, the
size of a Chinese provincial study), scripted as a user would click: open the page,
upload, compute the index, decompose the Gini — the time from opening the page to the
Dagum table — and the time of page switches once each page has been shown. Every
request the page makes is recorded: all go to the app's own host (no font or icon
host: Streamlit serves its Material Symbols font itself). The figures are printed
(``pytest -s``); the issue's budgets are asserted with ``NQPF_E2E_SPEED=strict`` (an
idle machine), looser regression bounds otherwise.

Run: ``.venv/bin/python -m pytest -m e2e -s tests/test_app_speed_e2e.py``
(the harness is tests/test_app_e2e.py's).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from app_panel31 import INDICATORS, YEARS, panel31_csv
from test_app_e2e import (
    ARTIFACTS,
    BUDGET_SECONDS,
    CHROMIUM,
    CHROMIUM_ARGS,
    STEP_MS,
    element,
    expect,
    go,
    no_errors,
    serve,
    wait_for_app,
    wait_for_run,
)

pytestmark = pytest.mark.e2e

#: The issue's budgets (deliverable 7).
OPEN_TO_DAGUM_SECONDS = 5.0
PAGE_SWITCH_SECONDS = 0.5


sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    """A server of its own (its first page open is timed: no earlier test warmed it)."""
    with serve("streamlit_app.py") as url:
        yield url


@pytest.fixture
def browser_page() -> Iterator[object]:
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        tab = context.new_page()
        tab.set_default_timeout(STEP_MS)
        try:
            yield tab
        finally:
            context.close()
            browser.close()


def test_31_provinces_speed_and_no_external_request(
    browser_page: object, app_url: str, tmp_path: Path
) -> None:
    page = browser_page
    own = urlparse(app_url)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    csv_path = tmp_path / "provinces31.csv"
    csv_path.write_bytes(panel31_csv())

    started = time.monotonic()
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_test_id("stRadio").get_by_text("Upload a file").click()
    wait_for_run(page)
    page.locator(".st-key-up-panel").get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        str(csv_path)
    )
    expect(page.get_by_text("Panel ready: provinces31.csv, 31 regions, 2010–2022.")).to_be_visible()
    uploaded = time.monotonic() - started
    go(page, "Index")
    page.get_by_role("button", name="Compute index").click()
    expect(element(page, "df.weights")).to_be_visible()  # the user moves on when it shows
    indexed = time.monotonic() - started
    go(page, "Echelons & disparity")
    page.get_by_role("button", name="Decompose").click()
    expect(element(page, "df.dagum_summary")).to_be_visible()
    dagum = time.monotonic() - started
    wait_for_run(page)
    no_errors(page)
    page.screenshot(path=str(ARTIFACTS / "e2e-speed-31-disparity.png"), full_page=True)

    # every page shown once (its first draw), then the switches a user makes
    pages = ["Data", "Indicators", "Index", "Echelons & disparity", "Compare", "Export"]
    for title in pages:
        go(page, title)
    switches: dict[str, float] = {}
    for title in [*pages, *pages]:
        began = time.monotonic()
        page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
        page.wait_for_timeout(50)  # the rerun starts
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
        switches[title] = max(switches.get(title, 0.0), time.monotonic() - began)
    no_errors(page)

    print(
        f"\n31 provinces × {len(YEARS)} years × {len(INDICATORS)} indicators: "
        f"open → panel ready {uploaded:.2f} s, → index {indexed:.2f} s, "
        f"→ Dagum table {dagum:.2f} s"
    )
    print(
        "page switch (slowest of two, each page drawn before): "
        + ", ".join(f"{title} {seconds:.2f} s" for title, seconds in switches.items())
    )
    foreign = sorted(
        {
            url
            for url in requests
            if urlparse(url).scheme not in ("data", "blob")
            and (urlparse(url).hostname, urlparse(url).port) != (own.hostname, own.port)
        }
    )
    print(f"requests: {len(requests)}, to another host: {len(foreign)}")
    assert requests, "no request was recorded"
    assert not foreign, foreign
    # the Material Symbols icons come from the app itself
    assert any("MaterialSymbols" in url for url in requests) or not any(
        "material" in url.lower() for url in requests
    )
    # the targets, asserted when asked for (an idle machine: on 2 shared cores
    # under load the browser's own drawing takes most of a switch), else printed with
    # bounds that catch a regression (a recomputation, a blocking import)
    strict = os.environ.get("NQPF_E2E_SPEED") == "strict"
    met = dagum < OPEN_TO_DAGUM_SECONDS and max(switches.values()) < PAGE_SWITCH_SECONDS
    print(
        f"targets (open → Dagum < {OPEN_TO_DAGUM_SECONDS} s, switch < {PAGE_SWITCH_SECONDS} s): "
        f"{'met' if met else 'not met'}; load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores"
    )
    budget, switch = (
        (OPEN_TO_DAGUM_SECONDS, PAGE_SWITCH_SECONDS) if strict else (BUDGET_SECONDS, 5.0)
    )
    assert dagum < budget, f"open page → Dagum table took {dagum:.1f} s"
    slow = {t: round(s, 2) for t, s in switches.items() if s >= switch}
    assert not slow, f"page switches over {switch} s: {slow}"
