"""The Geodetector page (AppTest): default data → index → the page; every option; the
tables shown are those of nqpf.geodetector called here; bad input (a stratum of one
unit, a constant factor) is one line naming the column, in Chinese in 中文 mode."""

from __future__ import annotations

import polars as pl
import pytest

pytest.importorskip("streamlit", reason="the app extra (streamlit) is not installed")
from app_panel import panel_frame, spec_csv
from streamlit.testing.v1 import AppTest
from test_app import at, chart_keys, compute_index, errors, frame, go, ok, upload
from test_app_inequality import same

import nqpf
from nqpf.geodetect import geodetector

__all__ = ["at"]  # the fixture, imported from the app tests

TABLES = {
    "df.geo.factor": "factor",
    "df.geo.interaction": "interaction",
    "df.geo.risk_means": "risk_means",
    "df.geo.risk": "risk",
    "df.geo.ecological": "ecological",
}


def api_units(years: list[int], y: str = "score") -> pl.DataFrame:
    panel, spec = nqpf.load_pwt()
    result = nqpf.entropy_topsis(panel, spec, keep=["iso3", "continent"])
    frame = result.scores.select("country", "year", y).join(
        result.indicators, on=["country", "year"], how="left", maintain_order="left"
    )
    return frame.filter(pl.col("year").is_in(years))


#: The app's scores come in another row order than the API's here (by year and rank),
#: and the detectors' sums of squares depend on the order of the units in the last bits.
REL = 1e-12


def shown_equal(at: AppTest, expected: nqpf.GeodetectorResult) -> None:
    for key, name in TABLES.items():
        table = getattr(expected, name)
        if table.height:
            same(frame(at, key), table, REL)
    if expected.discretization.height:
        same(frame(at, "df.geo.discretization"), expected.discretization, REL)


def run(at: AppTest) -> AppTest:
    at.button(key="btn.geo.run").click().run()
    ok(at)
    return at


def test_default_detectors_on_the_last_year(at: AppTest) -> None:
    compute_index(at)
    go(at, "geodetector")
    factors = at.multiselect(key="w.geo.factors").value
    assert factors == ["gdp_pc", "tfp_level", "capital_pw", "invest_share"]
    assert at.multiselect(key="w.geo.years").value == [2017]
    assert any("press the button" in i.value for i in at.info)
    run(at)
    expected = geodetector(api_units([2017]), y="score", factors=factors)
    shown_equal(at, expected)
    assert chart_keys(at) >= {"ch.geo.q", "ch.geo.interaction"}
    assert any("117 units" in c.value for c in at.caption)
    assert len(at.latex) >= 3
    assert any("Wang et al. (2010)" in c.value for c in at.caption)
    published = at.session_state["tables.extra"]
    assert {"geo_factor", "geo_interaction", "geo_risk", "geo_ecological"} <= set(published)
    # a changed choice is flagged until the detectors run again
    at.number_input(key="w.geo.alpha").set_value(0.1).run()
    assert any("press the button again" in w.value for w in at.warning)


def test_every_option_gives_the_apis_tables(at: AppTest) -> None:
    compute_index(at)
    go(at, "geodetector")
    # the optimal search over chosen methods and strata, pooled over two years
    at.multiselect(key="w.geo.factors").set_value(["human_capital", "continent"]).run()
    at.multiselect(key="w.geo.years").set_value([2016, 2017]).run()
    at.text_input(key="w.geo.methods").input("natural, quantile").run()
    at.number_input(key="w.geo.min_breaks").set_value(2).run()
    at.number_input(key="w.geo.max_breaks").set_value(4).run()
    run(at)
    units = api_units([2016, 2017]).join(
        nqpf.load_pwt()[0].frame.select("country", "year", "continent"), on=["country", "year"]
    )
    expected = geodetector(
        units,
        y="score",
        factors=["human_capital", "continent"],
        methods=["natural", "quantile"],
        min_breaks=2,
        max_breaks=4,
    )
    shown_equal(at, expected)
    assert set(frame(at, "df.geo.discretization")["method"]) == {"natural", "quantile"}
    # a fixed method and number of strata, R GD's convention, another level, a
    # dimension's score explained, and a numeric factor taken as categorical
    dimension = at.selectbox(key="w.geo.y").options[1]
    at.selectbox(key="w.geo.y").set_value(dimension).run()
    at.selectbox(key="w.geo.discretization").set_value("quantile").run()
    at.number_input(key="w.geo.breaks").set_value(4).run()
    at.selectbox(key="w.geo.convention").set_value("GD").run()
    at.number_input(key="w.geo.alpha").set_value(0.1).run()
    at.multiselect(key="w.geo.factors").set_value(["human_capital", "emp_rate"]).run()
    at.multiselect(key="w.geo.years").set_value([2017]).run()
    run(at)
    expected = geodetector(
        api_units([2017], dimension),
        y=dimension,
        factors=["human_capital", "emp_rate"],
        discretization="quantile",
        breaks=4,
        convention="GD",
        alpha=0.1,
    )
    shown_equal(at, expected)
    assert not frame(at, "df.geo.factor")["method"].is_in(["optimal"]).any()
    # categorical: the continents as strata (a text column is categorical anyway)
    at.text_input(key="w.geo.categorical").input("continent").run()
    at.multiselect(key="w.geo.factors").set_value(["continent", "emp_rate"]).run()
    run(at)
    assert frame(at, "df.geo.factor").filter(pl.col("factor") == "continent")[
        "method"
    ].to_list() == ["categorical"]


def _panel_with_extra_columns() -> bytes:
    """The provinces with a numeric column outside the spec (population), a constant
    text column, and one province alone in its area."""
    data = panel_frame().with_columns(
        pl.when(pl.col("province") == "西藏").then(pl.lit("青藏")).otherwise("area").alias("area"),
        (pl.col("x01") * 3 + pl.col("year") - 2000).alias("pop"),
        pl.lit("中国").alias("nation"),
    )
    return data.write_csv().encode("utf-8")


def test_panel_columns_as_factors_and_bad_factors_are_one_line(at: AppTest) -> None:
    upload(at, "provinces.csv", _panel_with_extra_columns())
    go(at, "indicators")
    at.file_uploader(key="up.spec").set_value(("spec.csv", spec_csv(), "text/csv")).run()
    ok(at)
    compute_index(at)
    go(at, "geodetector")
    options = at.multiselect(key="w.geo.factors").options
    assert options[:3] == ["pop (numeric)", "area (text)", "nation (text)"]
    assert at.multiselect(key="w.geo.factors").value == ["pop"]
    # a numeric column outside the spec, pooled over every year (none chosen)
    at.multiselect(key="w.geo.years").set_value([]).run()
    at.selectbox(key="w.geo.discretization").set_value("equal").run()
    at.number_input(key="w.geo.breaks").set_value(3).run()
    run(at)
    panel = nqpf.read_panel(_panel_with_extra_columns(), region="province", year="year")
    spec = nqpf.read_spec(spec_csv())
    result = nqpf.entropy_topsis(panel, spec, keep=["area", "nation"])
    units = result.scores.select("province", "year", "score").join(
        panel.frame.select("province", "year", "pop"), on=["province", "year"]
    )
    shown_equal(
        at, geodetector(units, y="score", factors=["pop"], discretization="equal", breaks=3)
    )
    # one year: Tibet alone in its area is a stratum of one unit
    at.multiselect(key="w.geo.years").set_value([2012]).run()
    at.multiselect(key="w.geo.factors").set_value(["area"]).run()
    at.button(key="btn.geo.run").click().run()
    assert not at.exception
    (message,) = errors(at)
    assert "column 'area'" in message
    assert "stratum '青藏' holds one unit" in message
    # a constant column: one stratum
    at.multiselect(key="w.geo.factors").set_value(["nation"]).run()
    at.button(key="btn.geo.run").click().run()
    (message,) = errors(at)
    assert "factor 'nation' has fewer than 2 strata" in message
    at.radio(key="w.lang").set_value("zh").run()
    (message,) = errors(at)
    assert message.startswith("输入有误：")
    assert "列“nation”" in message
    assert "因子“nation”的层数少于 2" in message
    assert at.header[0].value == "地理探测器"
    assert at.multiselect(key="w.geo.factors").options[0] == "pop (数值)"
