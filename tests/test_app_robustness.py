"""The Robustness page (AppTest): default data → index → robustness behind its button;
the default, the report's and a custom grid, the echelon and Dagum choices, the Index
page's options as the base; bad input as one line in either language. The tables shown
are compared with :func:`nqpf.robustness` called here (never with values copied from the
page)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

pytest.importorskip("streamlit", reason="the app extra (streamlit) is not installed")
from streamlit.testing.v1 import AppTest

from nqpf import datasets, read_panel, robustness
from nqpf.multiverse import DEFAULT_GRID, REPORT_GRID, grid_choices
from nqpf.options import IndexOptions, ReportOptions
from nqpf.panel import read_spec

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 120
REGION, YEAR = datasets.PWT_REGION, datasets.PWT_YEAR
REPORT_ECHELONS = {
    "rule": ReportOptions.info("echelon_rule").default,
    "k": ReportOptions.info("k").default,
}


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.chdir(ROOT)
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    app.run()
    return app


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def ok(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not errors(at), errors(at)


def index(at: AppTest, **options: Any) -> AppTest:
    at.switch_page("pkg/nqpf/app/app_pages/index.py").run()
    for name, value in options.items():
        at.selectbox(key=f"w.idx.{name}").set_value(value)
    at.run()
    at.button(key="btn.index").click().run()
    ok(at)
    at.switch_page("pkg/nqpf/app/app_pages/robustness.py").run()
    ok(at)
    return at


def press(at: AppTest) -> AppTest:
    at.button(key="btn.rob.run").click().run()
    ok(at)
    return at


def shown(at: AppTest, key: str) -> pl.DataFrame:
    return pl.from_pandas(at.get_by_key(key).dataframe[0].value)


def library(**keywords: Any) -> Any:
    panel = read_panel(datasets.pwt_path(), region=REGION, year=YEAR)
    spec = read_spec(datasets.pwt_spec_path())
    keywords.setdefault("echelons", REPORT_ECHELONS)
    return robustness(panel, spec, **keywords)


def assert_same(app: pl.DataFrame, lib: pl.DataFrame, columns: list[str]) -> None:
    for name in columns:
        assert app.get_column(name).to_list() == lib.get_column(name).to_list(), name


def test_default_grid_behind_the_button(at: AppTest) -> None:
    index(at)
    assert not at.get_by_key("btn.rob.run").disabled
    assert "df.rob.regions" not in {c.key for c in at.container if c.key}  # not run yet
    press(at)
    expected = library(grid=DEFAULT_GRID, dagum=True)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Variants run"] == str(expected.n_variants)
    assert metrics["Regions changing echelon"] == f"{100 * expected.echelon_change_share:.1f}%"
    assert_same(shown(at, "df.rob.regions"), expected.regions, expected.regions.columns)
    assert_same(
        shown(at, "df.rob.correlations"), expected.correlations, expected.correlations.columns
    )
    assert_same(shown(at, "df.rob.dagum"), expected.dagum, ["quantity", "min", "max"])
    assert_same(
        shown(at, "df.rob.conclusions"), expected.conclusions, ["conclusion", "holds_in", "text"]
    )
    assert "ch.rob.rank_range" in {c.key for c in at.container if c.key}
    assert {"rob_regions", "rob_correlations", "rob_conclusions"} <= set(
        at.session_state["tables.extra"]
    )


def test_report_grid_group_shares_and_echelon_options(at: AppTest) -> None:
    index(at)
    at.radio(key="w.rob.grid").set_value("report")
    at.selectbox(key="w.rob.ech.rule").set_value("quantiles")
    at.number_input(key="w.rob.ech.k").set_value(4)
    at.selectbox(key="w.rob.dagum").set_value(("column", "continent")).run()
    ok(at)
    press(at)
    expected = library(grid=REPORT_GRID, dagum="continent", echelons={"rule": "quantiles", "k": 4})
    assert_same(shown(at, "df.rob.regions"), expected.regions, expected.regions.columns)
    assert_same(shown(at, "df.rob.dagum"), expected.dagum, ["quantity", "min", "max", "reference"])
    # the sd rule and no decomposition
    at.selectbox(key="w.rob.ech.rule").set_value("sd").run()
    at.number_input(key="w.rob.ech.sd_multiplier").set_value(0.5)
    at.selectbox(key="w.rob.dagum").set_value(("none",)).run()
    assert at.warning  # the shown analysis is stale until the button is pressed
    press(at)
    expected = library(
        grid=REPORT_GRID, dagum=False, echelons={"rule": "sd", "k": 4, "sd_multiplier": 0.5}
    )
    assert_same(shown(at, "df.rob.regions"), expected.regions, expected.regions.columns)
    assert shown(at, "df.rob.dagum").height == 0


def test_custom_grid_lists_the_dropped_combinations(at: AppTest) -> None:
    index(at)
    at.radio(key="w.rob.grid").set_value("custom").run()
    ok(at)
    chosen = {
        "weights": ["entropy", "equal"],
        "normalization": ["minmax", "vector"],
        "ideal": ["panel", "absolute"],
    }
    for name in ("scope", "standardization", "topsis"):
        at.multiselect(key=f"w.rob.grid.{name}").set_value([])
    for name, values in chosen.items():
        at.multiselect(key=f"w.rob.grid.{name}").set_value(values)
    at.run()
    ok(at)
    press(at)
    # the page lists the grid in the declaration's order
    expected = library(grid={n: chosen[n] for n in grid_choices() if n in chosen}, dagum=True)
    assert expected.dropped.height > 0  # absolute ideals need min–max normalisation
    assert_same(shown(at, "df.rob.variants"), expected.variants, ["variant", "label", "first"])
    assert shown(at, "df.rob.dropped").height == expected.dropped.height


def test_the_index_page_s_options_are_the_reference(at: AppTest) -> None:
    index(at, weights="critic")
    at.radio(key="w.rob.grid").set_value("report").run()
    press(at)
    expected = library(grid=REPORT_GRID, dagum=True, options=IndexOptions(weights="critic"))
    assert_same(shown(at, "df.rob.regions"), expected.regions, ["reference_rank"])
    variants = shown(at, "df.rob.variants")
    reference = variants.filter(pl.col("reference"))
    assert reference["weights"].to_list() == ["critic"]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_grid_with_no_runnable_variant_is_one_line(at: AppTest, language: str) -> None:
    at.radio(key="w.lang").set_value(language).run()
    index(at)
    at.radio(key="w.rob.grid").set_value("custom").run()
    for name in DEFAULT_GRID:
        at.multiselect(key=f"w.rob.grid.{name}").set_value([])
    # AHP weights without a pairwise-comparison matrix: every variant is refused
    at.multiselect(key="w.rob.grid.weights").set_value(["ahp"]).run()
    at.button(key="btn.rob.run").click().run()
    assert len(errors(at)) == 1, errors(at)
    expected = (
        "方案网格中没有可在此面板上运行的方案" if language == "zh" else "no variant of the grid"
    )
    assert expected in errors(at)[0]


def test_chinese_conclusions_and_labels(at: AppTest) -> None:
    at.radio(key="w.lang").set_value("zh").run()
    index(at)
    at.radio(key="w.rob.grid").set_value("report").run()
    press(at)
    expected = library(grid=REPORT_GRID, dagum=True)
    conclusions = shown(at, "df.rob.conclusions")
    assert conclusions["text_zh"].to_list() == expected.conclusions["text_zh"].to_list()
    assert any("方法说明" in e.label for e in at.expander)
    at.radio(key="w.rob.grid").set_value("custom").run()
    assert at.multiselect(key="w.rob.grid.weights").label == IndexOptions.info("weights").label_zh


def test_a_new_index_drops_the_shown_analysis(at: AppTest) -> None:
    index(at)
    at.radio(key="w.rob.grid").set_value("report").run()
    press(at)
    index(at, weights="equal")
    assert "df.rob.regions" not in {c.key for c in at.container if c.key}
    assert any("Run the robustness analysis" in i.value for i in at.info)
