"""Page switches on a 31-province panel cost the server little and recompute nothing
(issue 15, deliverable 7): every result is cached on its content, charts on their
digest, and the Index page's Charts tab runs only while open. The browser's side is
timed by tests/test_app_speed_e2e.py.

Run with ``-s`` to see the figures.
"""

from __future__ import annotations

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

#: The issue's page-switch budget (the server's share of it is asserted here).
PAGE_SWITCH_SECONDS = 0.5
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
    slow = {n: round(s, 3) for n, s in seconds.items() if s >= PAGE_SWITCH_SECONDS}
    assert not slow, slow
