"""Speed and network of the app in headless Chromium (issue 15, deliverables 6 and 7).

On a 31-province panel (generated here: 31 provinces × 13 years × 15 indicators, the
size of a Chinese provincial study), scripted as a user would click: open the page,
upload, compute the index, decompose the Gini — the time from opening the page to the
Dagum table — then every analysis page once and three rounds of switches among them.
Each step is timed by tests/app_timing.py in the page's own clock (action → page
drawn), split into the network's share (server and transfer), the browser's, and the
CPU seconds of the server and of Chromium. The figures are printed with the load
average (``pytest -s``), never asserted: speed is measured, not tested (on 2 shared
cores the wall times follow the other jobs; ``bench/bench_app_browser.py`` prints the
same walk outside pytest). What is asserted: every request goes to the app's own host
(no font or icon host: Streamlit serves its Material Symbols font itself), nothing is
recomputed on a switch (tests/test_app_speed.py checks that on the server), no error.

Run: ``.venv/bin/python -m pytest -m e2e -s tests/test_app_speed_e2e.py``
(the harness is tests/test_app_e2e.py's).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from app_panel31 import INDICATORS, YEARS, panel31_csv
from app_timing import install, walk
from test_app_e2e import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, STEP_MS, no_errors, serve

pytestmark = pytest.mark.e2e


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
        install(context)
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

    walked = walk(page, app_url, csv_path, rounds=3)
    no_errors(page)
    page.screenshot(path=str(ARTIFACTS / "e2e-speed-31-export.png"), full_page=True)
    print(f"\n31 provinces × {len(YEARS)} years × {len(INDICATORS)} indicators")
    print(walked.report())
    # the walk went where it says: one run per step, the Dagum table reached
    assert all(step.runs >= 1 for step in walked.to_dagum + walked.switches)
    assert len(walked.switches) == 3 * len(walked.first_visits)

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
