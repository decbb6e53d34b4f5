"""The app's Dynamics page (issue 15): σ/β convergence, Markov chains, clubs, kernel
densities and obstacle degrees of the index run, every option, bad input, both languages.

The numbers shown are compared with the nqpf API called here on the same index scores.
"""

from __future__ import annotations

import sys

import numpy as np
import polars as pl
import polars.selectors as cs
import pytest

pytest.importorskip("streamlit", reason="the app extra (streamlit) is not installed")
from app_panel import panel_csv
from polars.testing import assert_frame_equal
from streamlit.testing.v1 import AppTest
from test_app import (
    ROOT,
    TIMEOUT,
    chart_keys,
    compute_index,
    errors,
    frame,
    go,
    ok,
    published,
    upload,
)

import nqpf
from nqpf import datasets, dynamics
from nqpf.app import state
from nqpf.app.verbatim import verbatim
from nqpf.options import ClubOptions, MarkovOptions
from nqpf.spatial.china import contiguity


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.chdir(ROOT)  # AppTest reads .streamlit/config.toml from the working directory
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    app.run()
    return app


def scores_of(at: AppTest, data: bytes) -> nqpf.IndexResult:
    """The index run the page works on (the cached computation of its key, on ``data``)."""
    return state._compute_index(at.session_state["run.index"], data, 1 << 30)


def same(at: AppTest, key: str, expected: pl.DataFrame) -> None:
    """The table ``key`` shows exactly ``expected`` (the API's frame)."""
    shown = frame(at, key)
    assert shown.columns == expected.columns, key
    expected = expected.with_columns(cs.float().fill_nan(None))  # the browser's NaN is empty
    assert_frame_equal(shown, expected, check_dtypes=False, check_exact=False, rel_tol=1e-12)


def show(at: AppTest, section: str) -> AppTest:
    """Show one section of the page (convergence, markov, clubs, kde, obstacle)."""
    at.radio(key="w.dyn.section").set_value(section).run()
    ok(at)
    return at


def pwt_page(at: AppTest) -> tuple[AppTest, nqpf.IndexResult]:
    compute_index(at)
    go(at, "dynamics")
    return at, scores_of(at, datasets.pwt_path().read_bytes())


def province_page(at: AppTest) -> tuple[AppTest, nqpf.IndexResult]:
    upload(at, "provinces.csv", panel_csv())
    compute_index(at)
    go(at, "dynamics")
    return at, scores_of(at, panel_csv())


def test_dynamics_needs_an_index(at: AppTest) -> None:
    go(at, "dynamics")
    assert any("Index page" in i.value for i in at.info)


def test_default_panel_numbers_equal_the_api(at: AppTest) -> None:
    at, result = pwt_page(at)
    s, region, year, score = result.scores, result.region, result.year, result.score_column
    # one section at a time: the others do not run
    assert "ch.dyn.sigma" in chart_keys(at)
    assert "df.dyn.markov" not in {c.key for c in at.container}
    sigma = dynamics.sigma_convergence(s, score, year, None, region)
    same(at, "df.dyn.sigma", sigma)
    same(at, "df.dyn.sigma_trend", dynamics.sigma_trend(sigma, year))
    beta = dynamics.beta_convergence(s, score, region, year)
    same(at, "df.dyn.beta", beta.to_frame())
    same(at, "df.dyn.beta_coef", beta.table)
    show(at, "markov")
    assert "ch.dyn.markov" in chart_keys(at)
    # the countries are no Chinese provinces: one line says weights are needed
    assert sum("Spatial page" in i.value for i in at.info) == 2
    chain = dynamics.markov_chain(s, score, region, year, options=MarkovOptions())
    same(at, "df.dyn.markov", chain.probabilities)
    same(at, "df.dyn.markov_stationary", chain.stationary)
    same(at, "df.dyn.markov_first_passage", chain.first_passage)
    same(at, "df.dyn.markov_long_run", chain.long_run)
    homog = dynamics.markov_homogeneity(
        s, score, region, year, by="continent", options=MarkovOptions()
    )
    same(at, "df.dyn.homogeneity", homog.tests)
    show(at, "clubs")
    assert "ch.dyn.clubs" in chart_keys(at)
    clubs = dynamics.club_convergence(s, score, region, year, options=ClubOptions()).tables()
    same(at, "df.dyn.clubs", clubs.get("merged", clubs["clubs"]))
    same(at, "df.dyn.club_overall", clubs["overall"])
    show(at, "kde")
    assert {"ch.dyn.kde", "ch.dyn.conditional"} <= chart_keys(at)
    density = dynamics.kernel_density(s, score, year, region=region, bounds=result.score_bounds)
    same(at, "df.dyn.kde_bw", density.select(year, "bandwidth").unique(maintain_order=True))
    show(at, "obstacle")
    assert "ch.dyn.obstacle" in chart_keys(at)
    obstacle = nqpf.obstacle_degree(result)
    last = max(s.get_column(year).to_list())
    shown = frame(at, "df.dyn.obstacle_dimensions")
    assert shown.height == s.get_column(region).n_unique()
    mine = obstacle.dimensions.filter(pl.col(year) == last)
    for row in shown.head(5).iter_rows(named=True):
        for dim in [c for c in shown.columns if c not in (region, year)]:
            want = mine.filter((pl.col(region) == row[region]) & (pl.col("dimension") == dim))
            assert row[dim] == pytest.approx(want.get_column("obstacle").item(), rel=1e-12)
    # published for the Export page
    extra = published(at)
    assert {"dyn_sigma", "dyn_beta", "dyn_markov_probabilities", "dyn_clubs"} <= set(extra)
    assert_frame_equal(extra["dyn_obstacle_dimensions"], obstacle.dimensions)


def test_pooled_trend_warning_and_relative_classes(at: AppTest) -> None:
    at, result = province_page(at)
    show(at, "markov")
    # the synthetic panel grows 6 % a year: pooled classes make the top state absorbing
    assert any("absorbing" in w.value for w in at.warning)
    at.selectbox(key="w.dyn.markov.classes").set_value("relative").run()
    ok(at)
    s, region, year, score = result.scores, result.region, result.year, result.score_column
    chain = dynamics.markov_chain(s, score, region, year, options=MarkovOptions(classes="relative"))
    same(at, "df.dyn.markov", chain.probabilities)
    same(at, "df.dyn.markov_states", chain.by_state)


def test_provinces_get_the_built_in_contiguity(at: AppTest) -> None:
    at, result = province_page(at)
    s, region, year, score = result.scores, result.region, result.year, result.score_column
    w = contiguity().subset(s.get_column(region).unique(maintain_order=True).to_list())
    show(at, "markov")
    assert "ch.dyn.lisa" in chart_keys(at)
    spatial = dynamics.markov_chain(s, score, region, year, w=w, options=MarkovOptions())
    same(at, "df.dyn.spatial_markov", spatial.spatial_probabilities)
    same(at, "df.dyn.spatial_homogeneity", spatial.homogeneity)
    lisa = dynamics.lisa_markov(s, score, region, year, w=w)
    same(at, "df.dyn.lisa", lisa.probabilities)
    same(at, "df.dyn.lisa_tests", lisa.tests)
    # the matrix conditional on the neighbours' class, as a heatmap
    assert "ch.dyn.spatial_markov" in chart_keys(at)
    at.selectbox(key="w.dyn.markov.lag_class").set_value(3).run()
    ok(at)
    assert "ch.dyn.spatial_markov" in chart_keys(at)
    # the lag options
    at.number_input(key="w.dyn.markov.lag_k").set_value(2).run()
    ok(at)
    two = dynamics.markov_chain(s, score, region, year, w=w, options=MarkovOptions(lag_k=2))
    same(at, "df.dyn.spatial_markov", two.spatial_probabilities)
    at.text_input(key="w.dyn.markov.lag_cutoffs").input("0.35").run()
    ok(at)
    cut = MarkovOptions(lag_k=2, lag_cutoffs=(0.35,))
    chain = dynamics.markov_chain(s, score, region, year, w=w, options=cut)
    same(at, "df.dyn.spatial_markov", chain.spatial_probabilities)
    show(at, "kde")
    # the spatial stochastic kernel (lag 0: the neighbours' value in the same year)
    at.checkbox(key="w.dyn.cond.spatial").check().run()
    at.number_input(key="w.dyn.cond.lag").set_value(0).run()
    ok(at)
    kernel = nqpf.conditional_density(s, score, region, year, lag=0, w=w, bounds=(0.0, 1.0))
    assert any(f"{kernel.bandwidth_x:.4f}" in c.value for c in at.caption)
    at.checkbox(key="w.dyn.cond.spatial").uncheck().run()
    ok(at)
    assert at.number_input(key="w.dyn.cond.lag").value == 1


def test_every_option(at: AppTest) -> None:
    at, result = province_page(at)
    s, region, year, score = result.scores, result.region, result.year, result.score_column
    # σ within groups
    at.selectbox(key="w.dyn.sigma.group").set_value("area").run()
    ok(at)
    sigma = dynamics.sigma_convergence(s, score, year, "area", region)
    same(at, "df.dyn.sigma", sigma)
    same(at, "df.dyn.sigma_trend", dynamics.sigma_trend(sigma, year, "area"))
    # β: panel with two-way effects, the plm convention, a dimension score as control
    at.selectbox(key="w.dyn.beta.effects").set_value("twoway").run()
    at.selectbox(key="w.dyn.beta.small_sample").set_value("plm").run()
    control = next(iter(result.dimension_columns.values()))
    at.multiselect(key="w.dyn.beta.controls").set_value([control]).run()
    ok(at)
    beta = dynamics.beta_convergence(
        s, score, region, year, controls=[control], effects="twoway", small_sample="plm"
    )
    same(at, "df.dyn.beta", beta.to_frame())
    same(at, "df.dyn.beta_coef", beta.table)
    # the pooled annual panel (clustered SEs), then a shorter cross-section with the
    # controls' period means
    at.selectbox(key="w.dyn.beta.effects").set_value("none").run()
    at.selectbox(key="w.dyn.beta.horizon").set_value("annual").run()
    ok(at)
    assert not at.selectbox(key="w.dyn.beta.small_sample").disabled
    beta = dynamics.beta_convergence(
        s, score, region, year, controls=[control], horizon="annual", small_sample="plm"
    )
    same(at, "df.dyn.beta", beta.to_frame())
    at.selectbox(key="w.dyn.beta.horizon").set_value("period").run()
    at.selectbox(key="w.dyn.beta.controls_at").set_value("mean").run()
    at.selectbox(key="w.dyn.beta.start").set_value(2014).run()
    at.selectbox(key="w.dyn.beta.end").set_value(2020).run()
    ok(at)
    assert at.selectbox(key="w.dyn.beta.small_sample").disabled
    beta = dynamics.beta_convergence(
        s, score, region, year, controls=[control], start=2014, end=2020, controls_at="mean"
    )
    same(at, "df.dyn.beta", beta.to_frame())
    same(at, "df.dyn.beta_coef", beta.table)
    show(at, "markov")
    # Markov: k, then cut-offs (k greys out)
    at.number_input(key="w.dyn.markov.k").set_value(3).run()
    ok(at)
    chain = dynamics.markov_chain(s, score, region, year, options=MarkovOptions(k=3))
    same(at, "df.dyn.markov", chain.probabilities)
    at.text_input(key="w.dyn.markov.cutoffs").input("0.3, 0.45").run()
    ok(at)
    assert at.number_input(key="w.dyn.markov.k").disabled
    cut = MarkovOptions(cutoffs=(0.3, 0.45))
    same(
        at,
        "df.dyn.markov",
        dynamics.markov_chain(s, score, region, year, options=cut).probabilities,
    )
    # homogeneity over two sub-periods
    at.selectbox(key="w.dyn.homog.by").set_value("periods").run()
    at.selectbox(key="w.dyn.homog.split").set_value(2016).run()
    ok(at)
    homog = dynamics.markov_homogeneity(s, score, region, year, periods=[2016], options=cut)
    same(at, "df.dyn.homogeneity", homog.tests)
    # rank chains, on demand
    assert "df.dyn.rank" not in {c.key for c in at.container}
    at.radio(key="w.dyn.rank.kind").set_value("geo").run()
    at.button(key="btn.dyn.rank").click().run()
    ok(at)
    same(at, "df.dyn.rank", dynamics.rank_markov(s, score, region, year, kind="geo").probabilities)
    show(at, "clubs")
    # clubs: every option of the declaration
    club_values = {
        "log": False,
        "hp_lambda": 100.0,
        "trim": 0.25,
        "cstar": 0.5,
        "merge": True,
        "merge_method": "vlt",
        "merge_divergent": True,
        "estar": -1.5,
        "hac": "aqsb",
        "cstar_method": "incremental",
        "cstar_increment": 0.2,
        "cstar_cap": 2.0,
    }
    for name, value in club_values.items():
        key = f"w.dyn.clubs.{name}"
        if isinstance(value, bool):
            at.checkbox(key=key).set_value(value).run()
        elif isinstance(value, str):
            at.selectbox(key=key).set_value(value).run()
        else:
            at.number_input(key=key).set_value(value).run()
        ok(at)
    clubs = dynamics.club_convergence(
        s, score, region, year, options=ClubOptions(**club_values)
    ).tables()
    same(at, "df.dyn.clubs", clubs.get("merged", clubs["clubs"]))
    same(at, "df.dyn.club_tests", clubs.get("merged_tests", clubs["tests"]))
    show(at, "kde")
    # densities: bandwidth rule and the three views
    at.selectbox(key="w.dyn.kde.bw").set_value("scott").run()
    density = dynamics.kernel_density(s, score, year, region=region, bw="scott", bounds=(0, 1))
    same(at, "df.dyn.kde_bw", density.select(year, "bandwidth").unique(maintain_order=True))
    for view in ("ridgeline", "surface", "curves"):
        at.selectbox(key="w.dyn.kde.view").set_value(view).run()
        ok(at)
        assert "ch.dyn.kde" in chart_keys(at)
    # the ridgeline and the surface by group, on the overall grid
    at.selectbox(key="w.dyn.kde.view").set_value("surface").run()
    at.selectbox(key="w.dyn.kde.group").set_value("area").run()
    ok(at)
    assert "ch.dyn.kde" in chart_keys(at)
    grid = density["x"].unique().sort().to_numpy()
    by_area = dynamics.kernel_density(
        s, score, year, "area", region=region, bw="scott", grid=grid, bounds=(0, 1)
    )
    assert_frame_equal(published(at)["dyn_density_by_group"], by_area)
    # the stochastic kernel: 2 years ahead, relative values (no bounds then)
    at.number_input(key="w.dyn.cond.lag").set_value(2).run()
    at.checkbox(key="w.dyn.cond.relative").check().run()
    ok(at)
    kernel = nqpf.conditional_density(s, score, region, year, lag=2, relative=True, bw="scott")
    assert any(f"y {kernel.bandwidth_y:.4f}" in c.value for c in at.caption)
    show(at, "obstacle")
    # obstacle degree: another year
    at.selectbox(key="w.dyn.obs.year").set_value(2015).run()
    ok(at)
    assert set(frame(at, "df.dyn.obstacle_top").get_column(year)) == {2015}


def test_bad_input_is_one_line_in_either_language(at: AppTest) -> None:
    at, _ = province_page(at)
    show(at, "markov")
    at.text_input(key="w.dyn.markov.cutoffs").input("0.3, abc").run()
    assert not at.exception
    (message,) = errors(at)
    assert "abc" in message
    assert "not a number" in message
    # cut-offs with each year's quantiles: the options refuse them together
    at.text_input(key="w.dyn.markov.cutoffs").input("0.3").run()
    at.selectbox(key="w.dyn.markov.classes").set_value("year").run()
    (message,) = errors(at)
    # the app names the widgets (nqpf.app.wording), not the API's classes='year'
    assert "“Classes: Each year's quantiles”" in message
    assert "“Cut-offs”" in message
    assert "=" not in message
    at.radio(key="w.lang").set_value("zh").run()
    assert not at.exception
    (message,) = errors(at)
    assert message.startswith("输入有误：")
    assert "（英文原文）" not in message
    # the page in Chinese
    assert at.header[0].value == "动态演进"
    assert at.radio(key="w.dyn.section").value == "markov"  # the section survives
    assert "马尔可夫链" in str(at.radio(key="w.dyn.section").proto.options)
    show(at, "convergence")
    labels = [e.label for e in at.expander]  # the sidebar has the project's expander too
    assert "方法说明" in labels
    assert "About this method" not in labels


def test_too_few_years_for_a_test(at: AppTest) -> None:
    short = pl.read_csv(panel_csv()).filter(pl.col("year") <= 2014)
    upload(at, "short.csv", short.write_csv().encode("utf-8"))
    compute_index(at)
    at.switch_page("pkg/nqpf/app/app_pages/dynamics.py").run()  # errors expected: no go()
    assert not at.exception
    assert any("Only 3 years" in w.value for w in at.warning)
    # each failing analysis is one line, the others still show
    assert all(len(e.value.splitlines()) == 1 for e in at.error)
    assert "ch.dyn.sigma" in chart_keys(at)
    assert np.isfinite(frame(at, "df.dyn.beta").get_column("beta").item())
    at.radio(key="w.dyn.section").set_value("clubs").run()
    assert not at.exception
    assert any("Only 3 years" in w.value for w in at.warning)
    assert all(len(e.value.splitlines()) == 1 for e in at.error)


def test_the_spatial_pages_weights_are_used(at: AppTest) -> None:
    """Weights the Spatial page chose (state key ``spatial.weights``) make the spatial
    chains of any panel: here a ring of the countries."""
    from nqpf.spatial.weights import from_neighbours

    at, result = pwt_page(at)
    s, region, year, score = result.scores, result.region, result.year, result.score_column
    countries = s.get_column(region).unique(maintain_order=True).to_list()
    ring = {
        c: [countries[i - 1], countries[(i + 1) % len(countries)]] for i, c in enumerate(countries)
    }
    w = from_neighbours(ring, source="a ring of the countries")
    at.session_state["spatial.weights"] = w
    show(at, "markov")
    assert any("a ring of the countries" in c.value for c in at.caption)
    chain = dynamics.markov_chain(s, score, region, year, w=w, options=MarkovOptions())
    same(at, "df.dyn.spatial_markov", chain.spatial_probabilities)
    same(at, "df.dyn.lisa", dynamics.lisa_markov(s, score, region, year, w=w).probabilities)


def test_the_spatial_pages_weights_key_is_built_by_its_module(
    at: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Spatial page stores a key in ``spatial.weights`` and builds the weights with
    ``nqpf.app.runs.spatial.weights(key)``: the chains use what that gives, for a key of
    these regions (in any order) only."""
    import types
    from typing import NamedTuple

    from nqpf.spatial.weights import from_neighbours

    class Key(NamedTuple):
        kind: str
        regions: tuple[str, ...]

    at, result = pwt_page(at)
    s, region, year, score = result.scores, result.region, result.year, result.score_column
    countries = sorted(s.get_column(region).unique().to_list())
    ring = {
        c: [countries[i - 1], countries[(i + 1) % len(countries)]] for i, c in enumerate(countries)
    }
    w = from_neighbours(ring, source="the Spatial page's ring")
    fake = types.ModuleType("nqpf.app.runs.spatial")
    fake.weights = lambda key: w  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "nqpf.app.runs.spatial", fake)
    at.session_state["spatial.weights"] = Key("ring", tuple(reversed(countries)))
    show(at, "markov")
    assert any("the Spatial page's ring" in c.value for c in at.caption)
    lisa = dynamics.lisa_markov(s, score, region, year, w=w)
    same(at, "df.dyn.lisa", lisa.probabilities)
    # a key of other regions (another panel's) is not used
    at.session_state["spatial.weights"] = Key("ring", tuple(countries[:-1]))
    at.run()
    ok(at)
    assert sum("Spatial page" in i.value for i in at.info) == 2


def test_r_check_shows_the_table(at: AppTest) -> None:
    """The button runs nqpf.crossval.validate_dynamics on the chain and the β last shown
    (here k = 3 and the two-way panel): its table, every compared row passing, or, without
    R, every row skipped with the one-line note."""
    at, result = pwt_page(at)
    at.selectbox(key="w.dyn.beta.effects").set_value("twoway").run()
    show(at, "markov")
    at.number_input(key="w.dyn.markov.k").set_value(3).run()
    ok(at)
    at.button(key="btn.dyn.crossval").click().run()
    ok(at)
    report = frame(at, "df.dyn.crossval")
    assert report.columns[0] == "✓"
    assert set(report["routine"]) == {"plm::plm", "markovchain::markovchainFit", "stats::density"}
    assert set(report["✓"]) <= {"✓ pass", "– skipped"}  # nothing fails
    expected = nqpf.crossval.validate_dynamics(
        result.scores,
        result.score_column,
        result.region,
        result.year,
        markov=MarkovOptions(k=3),
        beta={"effects": "twoway", "horizon": "annual"},
        density={"bw": "silverman", "bounds": result.score_bounds},
    )
    assert report.height == expected.height
    compared = report.filter(pl.col("status") == "compared")
    if compared.height:  # R, markovchain and plm are here
        p = compared.filter(pl.col("quantity") == "P")
        assert p["n"][0] == 9  # every cell of the 3 × 3 chain
        assert any("agree with R" in s.value for s in at.success)
    else:
        assert any("Nothing was compared" in i.value for i in at.info)
    assert "dyn_crossval" in published(at)


def test_r_check_compares_the_densities_the_page_draws(at: AppTest) -> None:
    """The kernel densities last drawn (Scott's rule, the surface by area) are checked:
    by year and by year and area on the by-year grid, reflected at the score's bounds
    [0, 1]; the rows name every curve's group, and the caption says what is checked."""
    at, result = province_page(at)
    s, region, year, score = result.scores, result.region, result.year, result.score_column
    show(at, "kde")
    at.selectbox(key="w.dyn.kde.bw").set_value("scott").run()
    at.selectbox(key="w.dyn.kde.view").set_value("surface").run()
    at.selectbox(key="w.dyn.kde.group").set_value("area").run()
    ok(at)
    caption = next(c.value for c in at.caption if "stats::density" in c.value)
    assert f"and by {verbatim('area')};" in caption
    assert "bandwidth rule scott; reflected at [0, 1]" in caption
    at.button(key="btn.dyn.crossval").click().run()
    ok(at)
    report = frame(at, "df.dyn.crossval")
    density = report.filter(pl.col("routine") == "stats::density")
    grid = dynamics.kernel_density(s, score, year, region=region, bw="scott", bounds=(0, 1))
    grid = grid["x"].unique().sort().to_numpy()
    expected = nqpf.crossval.validate_dynamics(
        s,
        score,
        region,
        year,
        density=[
            {"bw": "scott", "bounds": (0, 1)},
            {"bw": "scott", "bounds": (0, 1), "group": "area", "grid": grid},
        ],
        routines=["stats::density"],
    )
    assert density.height == expected.height
    if (density["status"] == "compared").any():  # R is here
        assert density["ok"].all()
        assert (
            density["quantity"].to_list()
            == expected["quantity"].to_list()
            == [
                "h (bw.nrd)",
                "grid",
                "f̂ (density)",
                "f̂ (exact sum)",
            ]
            * 2
        )
        assert density["n"].to_list() == expected["n"].to_list()
        assert all("area=" in w for w in density["where"][4:])
        # the page's own numbers: the by-area curves R checked are the published ones
        by_area = published(at)["dyn_density_by_group"]
        assert density["n"][7] == by_area.height
    else:
        assert set(density["note"]) == {nqpf.rbridge.UNAVAILABLE_MESSAGE}
    # in Chinese, the notes of the density rows are translated
    at.radio(key="w.lang").set_value("zh").run()
    ok(at)
    shown = frame(at, "df.dyn.crossval").filter(pl.col("routine") == "stats::density")
    if (shown["status"] == "compared").any():
        assert all("（英文原文）" not in n for n in shown["note"]), shown["note"].to_list()
