"""End-to-end test of the Streamlit app in headless Chromium.

Follows Streamlit's own e2e harness (``e2e_playwright/conftest.py``): ``streamlit
run`` on a free localhost port with its output in a TemporaryFile (never a PIPE,
which can fill and block), polled on ``/_stcore/health`` until it answers
``ok``; then Playwright's sync API drives Debian's ``/usr/bin/chromium`` (never a
downloaded browser). The researcher's path of the issue: upload a CSV of 12
provinces × 11 years × 15 indicators, compute the index, tier and decompose,
download a table — within a minute. Screenshots go to ``test-artifacts/``.

Run: ``.venv/bin/python -m pytest -m e2e tests/test_app_e2e.py``.
"""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from app_panel import INDICATORS, PROVINCES, YEARS, panel_csv
from app_timing import install, installed, wait_for_rerun

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("NQPF_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: The environment before any test starts R in this process: rpy2's start-up puts
#: ``LD_LIBRARY_PATH=/usr/lib/R/lib:/usr/lib/x86_64-linux-gnu:…`` into os.environ,
#: and a Python started with it can load the system's libpython instead of its own
#: (then ``import ssl`` fails). The servers get this snapshot instead.
CLEAN_ENV = dict(os.environ)

#: The issue's promise: weights, scores, echelons and a Dagum table within a minute.
BUDGET_SECONDS = 60
#: Longest wait for one step of the app (a rerun, a computation, a page switch).
STEP_MS = 30_000

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing (Debian package 'chromium'; `make system-deps`)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (dev extra)"
)
expect = sync_api.expect


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=1) as r:
            return r.read().decode().strip() == "ok"
    except OSError:
        return False


@contextlib.contextmanager
def serve(script: str | Path, *, cwd: Path = ROOT, extra: Sequence[str] = ()) -> Iterator[str]:
    """``streamlit run <script>`` on a free port (3 attempts); its log checked on exit."""
    failures = []
    for _attempt in range(3):
        port = _free_port()
        log = tempfile.TemporaryFile()  # noqa: SIM115 - it outlives this block (closed below)
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
                "--server.headless",
                "true",
                "--global.developmentMode",
                "false",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
                "--server.port",
                str(port),
                *extra,
            ],
            cwd=cwd,
            env=CLEAN_ENV,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None and not _healthy(port):
            time.sleep(0.2)
        if _healthy(port):
            break
        proc.kill()
        proc.wait()
        log.seek(0)
        failures.append(log.read().decode("utf-8", "replace")[-1500:])
        log.close()
    else:
        pytest.fail(
            f"streamlit run {script} did not become healthy in 3 attempts; last log:\n{failures[-1]}"
        )
    try:
        yield f"http://localhost:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
        log.close()
        print(f"--- streamlit log ({script}) ---\n{output[-4000:]}")
        assert "Traceback" not in output, "the app logged a traceback"


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    """The repository's entry point, as ``make app`` starts it."""
    with serve("streamlit_app.py") as url:
        yield url


@pytest.fixture
def page(app_url: str) -> Iterator[object]:
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1400, "height": 1000}, accept_downloads=True
        )
        install(context)
        tab = context.new_page()
        tab.set_default_timeout(STEP_MS)
        try:
            yield tab
        finally:
            with contextlib.suppress(Exception):
                tab.screenshot(path=str(ARTIFACTS / "e2e-last.png"), full_page=True)
            context.close()
            browser.close()


def wait_for_app(page: object) -> None:
    """Connected, script finished, no skeletons (Streamlit's ``wait_for_app_loaded``)."""
    page.wait_for_selector("[data-testid='stAppViewContainer']")
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']")
    wait_for_run(page)


def wait_for_run(page: object) -> None:
    """Wait for the run the last click or upload started, then until the script is not
    running and no skeleton is left. With tests/app_timing.py's recorder in the page
    (the ``page`` fixture installs it) the wait ends when the run's last message is
    handled, and lasts 300 ms only when no run starts; without it, 300 ms first."""
    if installed(page):
        wait_for_rerun(page, grace_ms=300, timeout=STEP_MS)
    else:
        page.wait_for_timeout(300)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)


def go(page: object, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    wait_for_run(page)


def element(page: object, key: str) -> object:
    """The keyed container of a table or chart (Streamlit gives it the class st-key-<key>)."""
    return page.locator(f".st-key-{key.replace('.', '-')}")


#: The tallest screenshot taken (px): Chromium draws one surface of at most 16384 px.
SHOT_MAX_PX = 16_000
#: The page's height: Streamlit scrolls inside its own containers (the main area, the
#: sidebar), not the document, so ``full_page=True`` alone gives the viewport only.
_CONTENT_HEIGHT = """() => Math.max(document.documentElement.scrollHeight,
  ...Array.from(document.querySelectorAll(
    '[data-testid="stMain"], [data-testid="stAppViewContainer"], [data-testid="stSidebarContent"]'
  ), (e) => e.scrollHeight + e.getBoundingClientRect().top))"""


def shot(page: object, name: str) -> None:
    """A screenshot of the whole page: the viewport is made as tall as the page's
    content for the shot (so Streamlit's scrolling container shows all of it), then
    given back its size (the steps after it see the same page)."""
    size = page.viewport_size
    height = min(int(page.evaluate(_CONTENT_HEIGHT)) + 1, SHOT_MAX_PX)
    if height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": height})
        page.wait_for_timeout(500)  # the tables' canvases redraw at the new size
    try:
        page.screenshot(path=str(ARTIFACTS / f"e2e-{name}.png"), full_page=True)
    finally:
        page.set_viewport_size(size)


def no_errors(page: object) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)


def test_researcher_path(page: object, app_url: str, tmp_path: Path) -> None:
    started = time.monotonic()
    page.goto(app_url)
    wait_for_app(page)
    expect(page.get_by_text("Default data (Penn World Table 9.1)")).to_be_visible()
    shot(page, "01-default-data")

    # Upload the provinces CSV.
    page.get_by_test_id("stRadio").get_by_text("Upload a file").click()
    wait_for_run(page)
    csv_path = tmp_path / "provinces.csv"
    csv_path.write_bytes(panel_csv())
    page.locator(".st-key-up-panel").get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        str(csv_path)
    )
    expect(page.get_by_text("Panel ready: provinces.csv, 12 regions, 2012–2022.")).to_be_visible()
    wait_for_run(page)
    metrics = page.get_by_test_id("stMetricValue")
    expect(metrics.nth(0)).to_have_text("12")
    expect(metrics.nth(3)).to_have_text(str(len(INDICATORS)))
    no_errors(page)
    shot(page, "02-uploaded")

    # Index: defaults, one click.
    go(page, "Index")
    page.get_by_role("button", name="Compute index").click()
    wait_for_run(page)
    expect(page.get_by_test_id("stMetricValue").nth(0)).to_have_text("12")
    page.get_by_role("tab", name="Scores").click()
    scores = page.get_by_test_id("stDataFrame").filter(visible=True)
    expect(scores.first).to_be_visible()
    no_errors(page)
    shot(page, "03-index")
    page.get_by_role("tab", name="Charts").click()
    for key in ("trend", "dimensions", "rank"):
        chart = element(page, f"ch.{key}")
        expect(chart.get_by_test_id("stImage")).to_be_visible()  # SVG of nqpf.figures
        chart.screenshot(path=str(ARTIFACTS / f"e2e-chart-{key}.png"))
    page.get_by_role("tab", name="Weights").click()
    element(page, "ch.weights").screenshot(path=str(ARTIFACTS / "e2e-chart-weights.png"))

    # Echelons and Dagum.
    go(page, "Echelons & disparity")
    expect(page.get_by_text("Goodness of variance fit")).to_be_visible()
    page.get_by_role("button", name="Decompose").click()
    wait_for_run(page)
    expect(page.get_by_text("Period means")).to_be_visible()
    charts = page.locator("[class*='st-key-ch-']").get_by_test_id("stImage")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 4  # contributions, Gjj lines, Gjh and Djh heatmaps
    no_errors(page)
    elapsed = time.monotonic() - started
    shot(page, "04-disparity")
    for key in ("dagum", "within", "gjh", "djh"):
        element(page, f"ch.{key}").screenshot(path=str(ARTIFACTS / f"e2e-chart-{key}.png"))
    element(page, "df.dagum_summary").screenshot(path=str(ARTIFACTS / "e2e-dagum-table.png"))
    print(f"page open → upload → index → echelons → Dagum table: {elapsed:.1f} s")
    assert elapsed < BUDGET_SECONDS, f"upload → Dagum table took {elapsed:.0f} s"

    # Python against R: which routines this machine has (R starts in the server's thread).
    go(page, "Compare")
    page.get_by_role("button", name="Check against R").click()
    wait_for_run(page)
    expect(element(page, "df.routines")).to_be_visible(timeout=60_000)
    no_errors(page)
    if importlib.util.find_spec("nqpf.crossval") is not None:
        expect(element(page, "df.crossval")).to_be_visible()
        page.get_by_role("button", name="Check against R").click()  # a rerun in a new thread
        wait_for_run(page)
        expect(element(page, "df.crossval")).to_be_visible(timeout=60_000)
        no_errors(page)
    shot(page, "05-compare-r")

    # Download the score table as CSV and check it.
    go(page, "Export")
    with page.expect_download() as info:
        page.get_by_role("button", name="CSV", exact=True).click()
    target = tmp_path / "scores.csv"
    info.value.save_as(target)
    text = target.read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(PROVINCES) * len(YEARS)
    assert {r["province"] for r in rows} == set(PROVINCES)
    assert all(0.0 <= float(r["score"]) <= 1.0 for r in rows)
    assert {r["rank"] for r in rows if r["year"] == "2022"} == {str(i) for i in range(1, 13)}
    # and the report of the analysis (nqpf.report.build_report, as `nqpf report` writes it)
    page.get_by_role("button", name="Build the paper report").click()
    wait_for_run(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Report (HTML with charts)").click()
    report = tmp_path / "report.html"
    info.value.save_as(report)
    text = report.read_text("utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "Dagum Gini decomposition by echelon" in text
    assert "<svg" in text
    assert "重庆" in text
    # the downloaded report as a reader opens it: self-contained, charts drawn, Chinese shown
    view = page.context.new_page()
    view.goto(report.as_uri())
    expect(view.locator("svg").first).to_be_visible()
    assert "重庆" in view.inner_text("body")
    view.screenshot(path=str(ARTIFACTS / "e2e-report-html.png"))
    view.close()
    no_errors(page)
    shot(page, "06-export")

    # Language: the same page in Chinese.
    page.get_by_test_id("stSidebar").get_by_text("中文").click()
    wait_for_run(page)
    expect(page.get_by_role("heading", name="导出")).to_be_visible()
    shot(page, "07-chinese")


def test_chinese_chart_pages(page: object, app_url: str, tmp_path: Path) -> None:
    """The Chinese chart pages on the default data: drawn by nqpf.figures with Chinese
    text (the screenshots are looked at for boxes), SVG and PNG downloads that parse,
    and the page-switch time (first draw, then cached)."""
    page.goto(app_url)
    wait_for_app(page)
    go(page, "Index")
    page.get_by_role("button", name="Compute index").click()
    wait_for_run(page)
    go(page, "Echelons & disparity")
    page.get_by_role("button", name="Decompose").click()
    wait_for_run(page)
    expect(element(page, "ch.dagum").get_by_test_id("stImage")).to_be_visible()
    go(page, "Data")  # Chinese chosen on a page without charts: drawn when shown
    page.get_by_test_id("stSidebar").get_by_text("中文").click()
    wait_for_run(page)
    started = time.monotonic()
    go(page, "梯队与差异")
    dagum = element(page, "ch.dagum")
    expect(dagum.get_by_test_id("stImage")).to_be_visible()
    first = time.monotonic() - started
    dagum.screenshot(path=str(ARTIFACTS / "e2e-chart-dagum-zh.png"))
    shot(page, "08-disparity-zh")
    with page.expect_download() as info:
        dagum.get_by_role("button", name="SVG").click()
    target = tmp_path / "dagum.svg"
    info.value.save_as(target)
    svg = target.read_text("utf-8")
    assert "<svg" in svg
    assert "组内差异 Gw" in svg  # text kept as text, in Chinese
    with page.expect_download() as info:  # drawn when pressed (a deferred download)
        dagum.get_by_role("button", name="PNG").click()
    target = tmp_path / "dagum.png"
    info.value.save_as(target)
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    go(page, "综合指数")
    expect(element(page, "ch.weights").get_by_test_id("stImage")).to_be_visible()
    element(page, "ch.weights").screenshot(path=str(ARTIFACTS / "e2e-chart-weights-zh.png"))
    # back to a page whose charts are drawn already: cached on their content
    started = time.monotonic()
    go(page, "梯队与差异")
    expect(element(page, "ch.dagum").get_by_test_id("stImage")).to_be_visible()
    again = time.monotonic() - started
    print(f"page switch to the Chinese disparity page: first {first:.2f} s, again {again:.2f} s")
    no_errors(page)


def test_installed_entry_point_from_elsewhere(tmp_path: Path) -> None:
    """``nqpf app``'s way: the package's main.py, started outside the repository."""
    from nqpf.app import MAIN, streamlit_args

    with (
        serve(MAIN, cwd=tmp_path, extra=streamlit_args()) as url,
        sync_api.sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1400, "height": 1000})
            tab.set_default_timeout(STEP_MS)
            tab.goto(url)
            wait_for_app(tab)
            expect(tab.get_by_test_id("stMetricValue").first).to_have_text("117")
            no_errors(tab)
            go(tab, "Indicators")
            expect(tab.get_by_text("7 indicators in 3 dimensions")).to_be_visible()
            no_errors(tab)
        finally:
            browser.close()
