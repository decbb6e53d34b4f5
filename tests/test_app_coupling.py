"""The Coupling coordination page (AppTest): default data → index → coupling; every
option and every way of giving the subsystems; bad input as one line in either language.
The numbers shown are compared with :func:`nqpf.coupling_coordination` called here on the
library's own index of the same data (never with values copied from the page)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

pytest.importorskip("streamlit", reason="the app extra (streamlit) is not installed")
from streamlit.testing.v1 import AppTest

from nqpf import coupling_coordination, datasets, entropy_topsis, read_panel
from nqpf.coupling import level_label
from nqpf.options import CouplingOptions
from nqpf.panel import read_spec

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60
REGION, YEAR = datasets.PWT_REGION, datasets.PWT_YEAR
GROUP = "continent"


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.chdir(ROOT)
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    app.run()
    app.switch_page("pkg/nqpf/app/app_pages/index.py").run()
    app.button(key="btn.index").click().run()
    ok(app)
    return app


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def ok(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not errors(at), errors(at)


def go(at: AppTest) -> AppTest:
    at.switch_page("pkg/nqpf/app/app_pages/coupling.py").run()
    ok(at)
    return at


def shown(at: AppTest, key: str) -> pl.DataFrame:
    return pl.from_pandas(at.get_by_key(key).dataframe[0].value)


def index() -> Any:
    panel = read_panel(datasets.pwt_path(), region=REGION, year=YEAR)
    return entropy_topsis(panel, read_spec(datasets.pwt_spec_path()), keep=[GROUP])


def all_regions(at: AppTest) -> pl.DataFrame:
    at.selectbox(key="w.cou.view_year").set_value("all").run()
    ok(at)
    return shown(at, "df.cou.coupling").sort(YEAR, REGION)


def assert_same(app: pl.DataFrame, lib: pl.DataFrame, columns: list[str]) -> None:
    """The app's cells equal the library's, bit for bit."""
    for name in columns:
        assert app.get_column(name).to_list() == lib.get_column(name).to_list(), name


def test_default_is_the_index_dimensions(at: AppTest) -> None:
    go(at)
    expected = coupling_coordination(index(), group=GROUP)
    assert_same(shown(at, "df.cou.by_year"), expected.by_year, expected.by_year.columns)
    assert_same(shown(at, "df.cou.by_group"), expected.by_group, expected.by_group.columns)
    last = expected.by_year.row(-1, named=True)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[f"Mean D, {last[YEAR]}"] == f"{last['mean_D']:.4f}"
    assert metrics[f"Mean C, {last[YEAR]}"] == f"{last['mean_C']:.4f}"
    regions = all_regions(at)
    lib = expected.coupling.sort(YEAR, REGION)
    assert_same(regions, lib, [*expected.systems, "C", "T", "D", "level", "grade"])
    levels = shown(at, "df.cou.levels")
    assert_same(levels, expected.levels, ["level", "n", "share"])
    assert "ch.cou.coupling" in {c.key for c in at.container if c.key}
    # published for the Export page, with their titles
    extra = at.session_state["tables.extra"]
    assert {"cou_coupling", "cou_by_year", "cou_by_group", "cou_levels", "cou_grading"} <= set(
        extra
    )


def test_options_reach_the_library(at: AppTest) -> None:
    go(at)
    at.selectbox(key="w.cou.formula").set_value("corrected")
    at.text_input(key="w.cou.alpha").set_value("0.5, 0.25, 0.25")
    at.number_input(key="w.cou.lag_low").set_value(0.9)
    at.number_input(key="w.cou.lag_high").set_value(1.1)
    at.selectbox(key="w.cou.zeros").set_value("zero").run()
    ok(at)
    options = CouplingOptions(
        formula="corrected", alpha=[0.5, 0.25, 0.25], lag_low=0.9, lag_high=1.1, zeros="zero"
    )
    expected = coupling_coordination(index(), group=GROUP, options=options)
    assert_same(shown(at, "df.cou.by_year"), expected.by_year, expected.by_year.columns)
    regions = all_regions(at)
    lib = expected.coupling.sort(YEAR, REGION)
    names = [c for c in lib.columns if c.startswith("R_")]
    assert_same(regions, lib, ["C", "T", "D", "level", *names])
    # and the options matter: the default coupling differs
    default = coupling_coordination(index(), group=GROUP)
    assert regions["C"].to_list() != default.coupling.sort(YEAR, REGION)["C"].to_list()


def test_two_dimensions_and_score_columns(at: AppTest) -> None:
    go(at)
    result = index()
    two = list(result.dimension_columns)[:2]
    at.multiselect(key="w.cou.dims").set_value(two).run()
    ok(at)
    expected = coupling_coordination(result, two, group=GROUP)
    regions = all_regions(at)
    assert_same(regions, expected.coupling.sort(YEAR, REGION), ["C", "T", "D", "E"])
    # score columns: the index score with one dimension
    at.radio(key="w.cou.mode").set_value("columns").run()
    columns = ["score", result.dimension_columns[two[0]]]
    at.multiselect(key="w.cou.columns").set_value(columns).run()
    ok(at)
    expected = coupling_coordination(result.scores, columns, region=REGION, year=YEAR, group=GROUP)
    assert_same(shown(at, "df.cou.by_year"), expected.by_year, expected.by_year.columns)


def test_groups_of_indicators(at: AppTest) -> None:
    go(at)
    at.radio(key="w.cou.mode").set_value("indicators").run()
    ok(at)
    at.number_input(key="w.cou.n").set_value(2).run()
    groups = {
        "economy": ["gdp_pc", "tfp_level", "capital_pw"],
        "people": ["human_capital", "emp_rate"],
    }
    for i, (name, members) in enumerate(groups.items()):
        at.text_input(key=f"w.cou.sys.{i}.name").set_value(name)
        at.multiselect(key=f"w.cou.sys.{i}.indicators").set_value(members)
    at.run()
    ok(at)
    expected = coupling_coordination(index(), groups)
    assert_same(shown(at, "df.cou.by_year"), expected.by_year, expected.by_year.columns)
    assert at.get_by_key("df.cou.by_year") is not None


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_subsystem_of_one_indicator_is_one_line(at: AppTest, language: str) -> None:
    at.radio(key="w.lang").set_value(language).run()
    go(at)
    at.radio(key="w.cou.mode").set_value("indicators").run()
    at.number_input(key="w.cou.n").set_value(2).run()
    at.text_input(key="w.cou.sys.0.name").set_value("solo")
    at.multiselect(key="w.cou.sys.0.indicators").set_value(["gdp_pc"])
    at.multiselect(key="w.cou.sys.1.indicators").set_value(["emp_rate", "labour_share"]).run()
    assert len(errors(at)) == 1, errors(at)
    assert "solo" in errors(at)[0]
    assert "gdp_pc" in errors(at)[0]
    if language == "zh":
        assert "只有 1 个指标" in errors(at)[0]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_alpha_not_summing_to_one_is_one_line(at: AppTest, language: str) -> None:
    at.radio(key="w.lang").set_value(language).run()
    go(at)
    at.text_input(key="w.cou.alpha").set_value("0.3, 0.3, 0.3").run()
    assert len(errors(at)) == 1, errors(at)
    assert "0.9" in errors(at)[0]
    assert ("和为" if language == "zh" else "sum to") in errors(at)[0]
    # the wrong count of α: one line from the library, naming the systems
    at.text_input(key="w.cou.alpha").set_value("0.5, 0.5").run()
    assert len(errors(at)) == 1, errors(at)


def test_chinese_grades_and_labels(at: AppTest) -> None:
    at.radio(key="w.lang").set_value("zh").run()
    go(at)
    assert at.selectbox(key="w.cou.formula").label == CouplingOptions.info("formula").label_zh
    grading = shown(at, "df.cou.grading")
    assert grading["grade"].to_list() == [level_label(k, "zh") for k in range(1, 11)]
    regions = all_regions(at)
    assert regions["grade"].to_list() == [level_label(k, "zh") for k in regions["level"]]
    assert any("方法说明" in e.label for e in at.expander)
