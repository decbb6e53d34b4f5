"""The Inequality page (AppTest): default data → index → the page; every option; the
numbers shown are those of nqpf.inequality called here; bad input is one line, in
Chinese in 中文 mode."""

from __future__ import annotations

import math

import polars as pl
import pytest

pytest.importorskip("streamlit", reason="the app extra (streamlit) is not installed")
from app_panel import INDICATORS, panel_frame
from streamlit.testing.v1 import AppTest
from test_app import (
    at,
    chart_keys,
    chart_svg,
    compute_index,
    errors,
    frame,
    go,
    ok,
    page_path,
    upload,
)

import nqpf
from nqpf import inequality as ineq

__all__ = ["at"]  # the fixture, imported from the app tests


def api_result() -> nqpf.IndexResult:
    """The default panel's index with the app's default options (the panel's text
    columns carried, as the app carries them)."""
    panel, spec = nqpf.load_pwt()
    return nqpf.entropy_topsis(panel, spec, keep=["iso3", "continent"])


def same(shown: pl.DataFrame, expected: pl.DataFrame, rel: float = 1e-15) -> None:
    """The table shown holds the API's columns and cells (floats to ``rel``: the cells
    travel through Arrow unchanged)."""
    assert shown.columns == expected.columns
    assert shown.height == expected.height
    for name in expected.columns:
        mine, theirs = shown[name].to_list(), expected[name].to_list()
        if expected[name].dtype.is_float():
            for a, b in zip(mine, theirs, strict=True):
                if b is None or (isinstance(b, float) and math.isnan(b)):
                    assert a is None or math.isnan(a), name
                else:
                    assert a == pytest.approx(b, rel=rel, abs=1e-300), name
        else:
            assert [str(v) for v in mine] == [str(v) for v in theirs], name


def open_page(at: AppTest, *, check: bool = True) -> AppTest:
    compute_index(at)
    if check:
        return go(at, "inequality")
    at.switch_page(page_path("inequality")).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_default_theil_by_continent_and_the_indices_over_years(at: AppTest) -> None:
    open_page(at)
    assert at.selectbox(key="w.ine.group").value == "continent"
    assert at.selectbox(key="w.ine.measure").value == "theil"
    result = api_result()
    want = ineq.theil(result.scores, "score", "continent", by="year", region="country")
    same(frame(at, "df.ine.overall"), want.overall)
    same(frame(at, "df.ine.detail"), want.detail)
    same(frame(at, "df.ine.period"), want.period_mean())
    # the comparison: every index of the API by year, under the page's parameters
    indices = frame(at, "df.ine.indices")
    s = result.scores
    checks = {
        "Theil T": ineq.generalized_entropy(s, "score", by="year", alpha=1.0),
        "Theil L": ineq.generalized_entropy(s, "score", by="year", alpha=0.0),
        "GE(2)": ineq.generalized_entropy(s, "score", by="year", alpha=2.0),
        "Atkinson(0.5)": ineq.atkinson(s, "score", by="year", epsilon=0.5),
        "Gini": ineq.gini(s, "score", by="year"),
        "S-Gini(2)": ineq.gini(s, "score", by="year", nu=2.0),
    }
    assert indices.columns == ["year", *checks]
    for name, res in checks.items():
        assert indices[name].to_list() == pytest.approx(res.overall["index"].to_list(), rel=1e-15)
    assert chart_keys(at) >= {"ch.ine.indices", "ch.ine.terms"}
    assert "Theil T" in chart_svg(at, "ch.ine.indices")
    # the guidance: formulas rendered, and what to cite
    assert len(at.latex) >= 4
    assert any("Shorrocks (1980)" in c.value for c in at.caption)
    # the tables are offered on the Export page
    tables = at.session_state["tables.extra"]
    assert {"ine_indices", "ine_overall", "ine_groups", "ine_period_mean"} <= set(tables)


def test_every_option_gives_the_apis_numbers(at: AppTest) -> None:
    open_page(at)
    result = api_result()
    s = result.scores
    # GE(α) by continent
    at.selectbox(key="w.ine.measure").set_value("ge").run()
    at.number_input(key="w.ine.alpha").set_value(0.5).run()
    ok(at)
    want = ineq.generalized_entropy(s, "score", "continent", by="year", alpha=0.5)
    same(frame(at, "df.ine.overall"), want.overall)
    same(frame(at, "df.ine.detail"), want.detail)
    assert "GE(0.5)" in frame(at, "df.ine.indices").columns
    # Atkinson(ε): no groups
    at.selectbox(key="w.ine.measure").set_value("atkinson").run()
    at.number_input(key="w.ine.epsilon").set_value(1.5).run()
    ok(at)
    same(frame(at, "df.ine.overall"), ineq.atkinson(s, "score", by="year", epsilon=1.5).overall)
    assert "Atkinson(1.5)" in frame(at, "df.ine.indices").columns
    # the plain Gini with the n/(n − 1) correction: offered without groups only
    at.selectbox(key="w.ine.measure").set_value("gini").run()
    assert at.checkbox(key="w.ine.correction").disabled
    at.selectbox(key="w.ine.group").set_value("—").run()
    assert not at.checkbox(key="w.ine.correction").disabled
    at.checkbox(key="w.ine.correction").check().run()
    ok(at)
    want = ineq.gini(s, "score", by="year", correction=True)
    same(frame(at, "df.ine.overall"), want.overall)
    assert frame(at, "df.ine.indices")["Gini × n/(n−1)"].to_list() == pytest.approx(
        want.overall["index"].to_list(), rel=1e-15
    )
    # S-Gini(ν) by the echelons the Disparity page sets (its default rule and k)
    at.selectbox(key="w.ine.measure").set_value("sgini").run()
    at.number_input(key="w.ine.nu").set_value(3.0).run()
    at.selectbox(key="w.ine.group").set_value(at.selectbox(key="w.ine.group").options[1]).run()
    ok(at)
    tiers = nqpf.echelons(s, "score", "country", "year")
    joined = s.join(
        tiers.assignments.select("country", pl.col("label").alias("echelon")), on="country"
    )
    want = ineq.gini(joined, "score", "echelon", by="year", nu=3.0, region="country")
    same(frame(at, "df.ine.overall"), want.overall)
    same(frame(at, "df.ine.detail"), want.detail)
    # the Yitzhaki–Lerman terms add up to the index
    overall = frame(at, "df.ine.overall")
    total = overall["within"] + overall["overlap"] + overall["between"]
    assert ((total - overall["index"]).abs() < 1e-12).all()


def test_gini_by_dimension_and_the_bootstrap(at: AppTest) -> None:
    open_page(at)
    result = api_result()
    at.selectbox(key="w.ine.measure").set_value("sources").run()
    ok(at)
    want = ineq.gini_by_dimension(result)
    same(frame(at, "df.ine.overall"), want.overall)
    same(frame(at, "df.ine.detail"), want.detail)
    assert set(frame(at, "df.ine.detail")["source"]) == set(result.dimension_columns)
    assert "ch.ine.sources" in chart_keys(at)
    assert any("W_d·D_d" in c.value for c in at.caption)
    assert any("not the closeness" in c.value for c in at.caption)  # a TOPSIS index
    # bootstrap intervals (B replicates, level, seed) as the API draws them
    at.number_input(key="w.ine.bootstrap").set_value(19).run()
    at.number_input(key="w.ine.level").set_value(0.9).run()
    at.number_input(key="w.ine.seed").set_value(7).run()
    ok(at)
    want = ineq.gini_by_dimension(result, bootstrap=19, level=0.9, seed=7)
    same(frame(at, "df.ine.intervals"), want.intervals)
    assert "ine_intervals" in at.session_state["tables.extra"]
    # by group with the bootstrap: a warning where a group has fewer than 10 units
    at.selectbox(key="w.ine.measure").set_value("theil").run()
    ok(at)
    small = frame(at, "df.ine.detail")["n"].min() < 10
    assert small == any("fewer than 10 units" in w.value for w in at.warning)


def _one_province_group() -> bytes:
    data = panel_frame().with_columns(
        pl.when(pl.col("province") == "西藏").then(pl.lit("青藏")).otherwise("area").alias("area")
    )
    return data.write_csv().encode("utf-8")


def test_bad_input_is_one_line_in_either_language(at: AppTest) -> None:
    upload(at, "provinces.csv", _one_province_group())
    open_page(at, check=False)
    assert at.selectbox(key="w.ine.group").value == "area"
    (message,) = errors(at)
    assert "group '青藏' has one unit" in message
    assert "merge the group" in message
    at.radio(key="w.lang").set_value("zh").run()
    (message,) = errors(at)
    assert message.startswith("输入有误：")
    assert "分组“青藏”只有一个单元" in message
    assert "请将该组与其他组合并或删去" in message
    assert at.header[0].value == "不平等分解"
    # without groups the same data are fine
    at.selectbox(key="w.ine.group").set_value("—").run()
    ok(at)


def _a_zero_score() -> bytes:
    """The provinces with Tibet's 2012 row at every indicator's minimum: its score is 0
    under the upload's default spec (every indicator a benefit)."""
    data = panel_frame()
    low = [pl.col(c).min() for c in INDICATORS]
    worst = (pl.col("province") == "西藏") & (pl.col("year") == 2012)
    data = data.with_columns(
        pl.when(worst).then(m).otherwise(pl.col(c)).alias(c)
        for c, m in zip(INDICATORS, low, strict=True)
    )
    return data.write_csv().encode("utf-8")


def test_a_zero_score_refuses_theil_l_by_name_and_keeps_the_rest(at: AppTest) -> None:
    upload(at, "zero.csv", _a_zero_score())
    open_page(at, check=False)
    at.selectbox(key="w.ine.group").set_value("—").run()
    # the measure shown needs positive scores: one line naming the region and year
    (message,) = errors(at)
    assert "Theil L needs positive values, but '西藏' in year=2012 has 0" in message
    # the comparison keeps every index that admits a zero and names the one refused
    indices = frame(at, "df.ine.indices")
    assert "Theil T" in indices.columns
    assert "Theil L" not in indices.columns
    refused = [c.value for c in at.caption if "not computed" in c.value]
    assert len(refused) == 1
    assert refused[0].startswith("Theil L not computed")
    at.selectbox(key="w.ine.measure").set_value("gini").run()
    ok(at)
    at.radio(key="w.lang").set_value("zh").run()
    refused = [c.value for c in at.caption if "未计算" in c.value]
    assert len(refused) == 1
    assert "需要正值" in refused[0]


def test_the_echelons_are_those_set_on_the_disparity_page(at: AppTest) -> None:
    from app_panel import PROVINCES, panel_csv

    upload(at, "provinces.csv", panel_csv())
    compute_index(at)
    go(at, "disparity")
    # the tiers given by a panel column, on the Disparity page
    at.selectbox(key="w.ech.rule").set_value("column").run()
    go(at, "inequality")
    at.selectbox(key="w.ine.group").set_value(at.selectbox(key="w.ine.group").options[1]).run()
    ok(at)
    assert set(frame(at, "df.ine.detail")["group"]) == set(PROVINCES.values())
    # cut points not given yet there: the page says to set the echelons first
    go(at, "disparity")
    at.selectbox(key="w.ech.rule").set_value("thresholds").run()
    at.switch_page(page_path("inequality")).run()
    assert any("Disparity page" in i.value for i in at.info)
    at.switch_page(page_path("disparity")).run()
    at.text_input(key="w.ech.thresholds").input("0.5, 0.3").run()
    go(at, "inequality")
    groups = frame(at, "df.ine.detail")["group"].unique().to_list()
    assert 2 <= len(groups) <= 3
