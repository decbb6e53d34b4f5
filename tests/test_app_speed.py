"""Page switches on a 31-province panel recompute nothing (issue 15, deliverable 7):
every result is cached on its content, charts on their digest, and the Index page's
Charts tab runs only while open; the imported modules' objects are frozen out of the
collection Streamlit makes after every run. The server time of each switch is printed,
not asserted (speed is measured: bench/bench_app_browser.py and
tests/test_app_speed_e2e.py time the browser's side).

Run with ``-s`` to see the figures.
"""

from __future__ import annotations

import gc
import time
from typing import Any

import pytest

pytest.importorskip("streamlit", reason="the app extra (streamlit) is not installed")
from app_panel31 import PROVINCES, YEARS, panel31_csv
from streamlit.testing.v1 import AppTest
from test_app import ROOT, TIMEOUT, go, ok, upload

import nqpf.dagum
from nqpf.app import state
from nqpf.report import charts as report_charts

PAGES = ("data", "indicators", "index", "disparity", "compare", "export")


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.chdir(ROOT)  # AppTest reads .streamlit/config.toml from the working directory
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    app.run()
    return app


def timed_switch(at: AppTest, name: str) -> float:
    began = time.perf_counter()
    go(at, name)
    return time.perf_counter() - began


def test_page_switches_are_cached_on_content(at: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    upload(at, "provinces31.csv", panel31_csv())
    ok(at)
    go(at, "index")
    at.button(key="btn.index").click().run()
    ok(at)
    assert at.metric[0].value == str(len(PROVINCES))
    go(at, "disparity")
    at.button(key="btn.dagum").click().run()
    ok(at)
    for name in PAGES:  # each page drawn once
        go(at, name)

    calls: list[str] = []

    def counting(module: Any, name: str) -> None:
        original = getattr(module, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    counting(state, "entropy_topsis")
    counting(nqpf.dagum, "dagum_gini")
    counting(report_charts, "render")
    seconds = {name: max(timed_switch(at, name) for _ in range(2)) for name in PAGES}
    print(
        f"\nserver time of a page switch, {len(PROVINCES)} provinces × {len(YEARS)} years "
        "(slowest of two): " + ", ".join(f"{n} {s:.3f} s" for n, s in seconds.items())
    )
    assert calls == []  # nothing computed or drawn again
    # what `streamlit run` adds after every run and AppTest does not: a full collection
    # (runner.postScriptGC); the router froze the imported modules' objects
    # (state.freeze_imports), so it scans only what the sessions made since
    began = time.perf_counter()
    gc.collect(2)
    collection = time.perf_counter() - began
    print(
        f"the server's collection after a run: {collection:.3f} s "
        f"({gc.get_freeze_count():,} objects frozen, {len(gc.get_objects()):,} scanned)"
    )
    assert gc.get_freeze_count() > len(gc.get_objects())
