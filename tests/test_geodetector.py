"""The geographical detector (nqpf.geodetect) against definitions, a published example
and, where installed, the R package ``geodetector``.

- brute force: q = 1 − Σ N_h σ_h² / (N σ²) with pandas group variances, the F test
  with ``scipy.stats.ncf`` on λ of Wang, Zhang & Fu (2016), Welch t from the formula,
  the ecological F of Wang et al. (2010), the GD package's sample-variance variant;
- published: the R ``geodetector`` 1.0-5 vignette (Xu & Wang), the neural-tube-defects
  data ``CollectData`` of Wang et al. (2010, IJGIS 24) and its printed q, p,
  interaction q and risk-detector significance matrices;
- live R: ``geodetector::factor_detector``/``interaction_detector`` when the package
  is installed (NQPF_R_LIBS), skipped with the reason otherwise. The CRAN package
  ``GD`` (needs BAMMtools, reshape2) is not available here: its convention is checked
  by brute force from its documented formulas.
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from scipy import stats

import nqpf
from nqpf.errors import InputError
from nqpf.geodetect import INTERACTION_TYPES, _interaction_type, discretize, q_statistic

# q, F and λ are ratios of sums of squares of ~100 numbers of size ~1: a different
# summation order (pandas vs bincount) moves them by a few n·ε ≈ 1e-14 relative.
RTOL = 1e-12

# --------------------------------------------------------------- the published data
# R geodetector 1.0-5, data(CollectData): incidence of neural tube defects and the
# codes of watershed, soil type and elevation class of 185 villages (Wang et al. 2010).
_INCIDENCE = """
7.20 7.01 6.79 6.73 6.77 6.74 6.99 6.69 6.81 6.71 7.06 7.10 6.82 6.56 7.42 6.58 6.95 6.71 6.82
6.19 6.92 6.20 6.21 6.63 6.75 6.14 6.80 6.14 6.44 6.70 6.46 6.14 6.19 7.74 6.45 6.33 6.28 6.27
6.66 6.32 6.63 6.33 6.65 6.09 6.01 6.36 6.93 6.52 6.18 6.63 6.57 6.50 6.43 6.48 7.55 6.68 6.59
6.04 6.09 6.64 6.38 6.01 6.53 6.43 6.77 6.58 6.60 6.50 6.65 6.50 6.50 6.61 6.19 6.37 6.53 6.72
7.04 6.09 6.88 6.30 6.29 5.88 6.01 7.01 6.58 6.57 6.49 7.22 6.52 6.53 5.98 6.71 6.11 6.53 6.51
5.87 6.34 6.13 6.25 6.18 6.65 6.46 6.21 6.20 6.57 5.99 6.55 6.17 6.58 6.57 6.24 5.88 6.38 6.19
6.44 6.56 6.13 7.40 5.94 5.96 6.57 6.38 6.32 6.49 6.20 6.33 6.37 5.89 6.48 6.86 6.35 6.03 6.10
6.23 6.09 6.32 6.54 6.49 6.65 6.25 6.44 6.23 6.53 6.13 6.07 5.92 6.02 5.66 6.29 5.95 6.09 6.45
6.27 6.11 6.18 5.86 6.48 6.86 6.28 6.39 5.74 5.95 6.28 6.04 6.14 6.06 5.85 6.15 5.98 6.11 6.04
6.47 5.83 5.86 6.12 5.97 6.45 5.89 5.80 5.80 5.79 5.78 5.73 5.82 5.70
"""
INCIDENCE = [float(v) for v in _INCIDENCE.split()]
WATERSHED = (
    "222444242422222929232339232392933239332993215929193293329112359399232339123391331519992339"
    "53192581117211919187157189185577171115888151177788888115157588881517875886186868886686866666666"
)
SOILTYPE = (
    "333333333333333333353555333553535355553555355535535355535553553522353152535531551552323113"
    "51133411111311213111141312125111123314111143312111111334142131133432114311334143314414144444444"
)
ELEVATION = (
    "666616666166666146636236626234122621334163422141263413344334331111434311341143113531414114"
    "51314511131411134111151114315511141115111353314113111335351511113531115115335151137735357777777"
)


def collect_data() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "incidence": INCIDENCE,
            "watershed": [int(c) for c in WATERSHED],
            "soiltype": [int(c) for c in SOILTYPE],
            "elevation": [int(c) for c in ELEVATION],
        }
    )


FACTORS = ["watershed", "soiltype", "elevation"]


def test_collect_data_is_the_vignettes() -> None:
    df = collect_data()
    assert df.height == 185
    # the vignette's risk detector: mean incidence of soil type 1 … 5
    means = df.group_by("soiltype").agg(pl.col("incidence").mean()).sort("soiltype")
    np.testing.assert_allclose(
        means["incidence"].to_numpy(), [6.340000, 6.687500, 6.583279, 5.843810, 6.347073], atol=5e-7
    )


def test_factor_detector_reproduces_the_geodetector_vignette() -> None:
    res = nqpf.geodetector(collect_data(), y="incidence", factors=FACTORS, categorical=FACTORS)
    got = {r["factor"]: r for r in res.factor.iter_rows(named=True)}
    # q printed with 7 significant digits: half a unit of the last one. R computes the
    # upper tail as 1 − pnbeta(), whose series stops at an absolute error of 1e-9
    # (errmax in R's nmath/pnbeta.c): p agrees to that absolute error, not relatively
    # (scipy's ncf takes the tail itself)
    printed = {
        "watershed": (0.6377737, 0.0001169914),
        "soiltype": (0.3857168, 0.3632363),
        "elevation": (0.6067087, 0.04080407),
    }
    for name, (q, p) in printed.items():
        assert got[name]["q"] == pytest.approx(q, abs=5e-8)
        assert got[name]["p"] == pytest.approx(p, abs=1e-9 + 5e-7 * p)
    assert res.factor["factor"].to_list() == ["watershed", "elevation", "soiltype"]


def test_interaction_detector_reproduces_the_geodetector_vignette() -> None:
    res = nqpf.geodetector(collect_data(), y="incidence", factors=FACTORS, categorical=FACTORS)
    q12 = {(r["factor1"], r["factor2"]): r["q12"] for r in res.interaction.iter_rows(named=True)}
    # printed as text with 15 significant digits
    assert q12[("watershed", "soiltype")] == pytest.approx(0.735680548139531, rel=1e-13)
    assert q12[("soiltype", "elevation")] == pytest.approx(0.663523698335635, rel=1e-13)
    assert q12[("watershed", "elevation")] == pytest.approx(0.71359677853471, rel=1e-13)
    # each q12 exceeds the larger q but not the sum
    assert set(res.interaction["interaction"]) == {"bi-variable enhance"}


def test_risk_detector_reproduces_the_geodetector_vignettes_significance() -> None:
    res = nqpf.geodetector(collect_data(), y="incidence", factors=["soiltype"], categorical=FACTORS)
    sig = {(r["stratum1"], r["stratum2"]): r["significant"] for r in res.risk.iter_rows(named=True)}
    # the vignette's 'Significance t-test:0.05' matrix for soiltype (upper triangle)
    printed = {
        ("1", "2"): True, ("1", "3"): True, ("1", "4"): True, ("1", "5"): False,
        ("2", "3"): False, ("2", "4"): True, ("2", "5"): True,
        ("3", "4"): True, ("3", "5"): True, ("4", "5"): True,
    }  # fmt: skip
    assert sig == printed


def test_ecological_detector_of_the_r_packages_reproduces_the_vignette() -> None:
    # R geodetector's ecological_detector (as GD's gdeco) compares q(X2)/q(X1) with the
    # 0.9 quantile of F(N − 1, N − 1): convention="GD"
    res = nqpf.geodetector(
        collect_data(), y="incidence", factors=FACTORS, categorical=FACTORS, convention="GD"
    )
    sig = {
        (r["factor1"], r["factor2"]): r["significant"] for r in res.ecological.iter_rows(named=True)
    }
    # the vignette's 'Significance.F-test:0.05' matrix
    assert sig == {
        ("watershed", "soiltype"): True,
        ("watershed", "elevation"): False,
        ("soiltype", "elevation"): True,
    }


# --------------------------------------------------------------- brute force


def _sample(seed: int = 3, n: int = 90) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    zone = rng.choice(["east", "centre", "west"], n)
    x = rng.gamma(2.0, 1.0, n)
    y = x + (zone == "east") * 1.5 + rng.normal(0, 0.7, n)
    return pl.DataFrame({"y": y, "x": x, "zone": zone, "band": rng.integers(1, 4, n)})


def _brute_factor(y: np.ndarray, strata: np.ndarray) -> dict[str, float]:
    """q, F, λ and p from the formulas, with pandas group statistics."""
    frame = pd.DataFrame({"y": y, "h": strata})
    g = frame.groupby("h")["y"]
    n_h, mean_h, var_h = g.size(), g.mean(), g.var(ddof=0)
    n, big_l = y.size, len(n_h)
    q = 1 - (n_h * var_h).sum() / (n * y.var())
    f_value = (n - big_l) / (big_l - 1) * q / (1 - q)
    lam = ((mean_h**2).sum() - (np.sqrt(n_h) * mean_h).sum() ** 2 / n) / y.var(ddof=1)
    p = stats.ncf.sf(f_value, big_l - 1, n - big_l, lam)
    return {"q": q, "F": f_value, "lambda": lam, "p": p}


def test_q_and_the_noncentral_f_test_by_definition() -> None:
    df = _sample()
    res = nqpf.geodetector(df, y="y", factors=["zone", "band"], categorical=["band"])
    y = df["y"].to_numpy()
    for r in res.factor.iter_rows(named=True):
        want = _brute_factor(y, df[r["factor"]].to_numpy())
        for key in ("q", "F", "lambda"):
            assert r[key] == pytest.approx(want[key], rel=RTOL)
        # ncf.sf near 1e-6 is a difference of series terms: a relative 1e-9
        assert r["p"] == pytest.approx(want["p"], rel=1e-9)


def test_q_statistic_of_plain_arrays() -> None:
    out = q_statistic([1.0, 2.0, 5.0, 6.0], ["a", "a", "b", "b"])
    # SSW = 0.5 + 0.5, SST = 17: q = 16/17; F = (4 − 2)/(2 − 1) · 16 = 32
    assert out["q"] == pytest.approx(16 / 17, rel=1e-15)
    assert out["F"] == pytest.approx(32.0, rel=1e-14)
    # λ = (1.5² + 5.5² − (√2·1.5 + √2·5.5)²/4)/s², s² = 17/3
    assert out["lambda"] == pytest.approx((1.5**2 + 5.5**2 - 2 * 7**2 / 4) / (17 / 3), rel=1e-14)


def test_interaction_and_ecological_detectors_by_definition() -> None:
    df = _sample(5)
    res = nqpf.geodetector(
        df, y="y", factors=["zone", "band"], categorical=["band"], discretization="quantile"
    )
    y = df["y"].to_numpy()
    joint = (df["zone"] + "|" + df["band"].cast(pl.String)).to_numpy()
    row = res.interaction.row(0, named=True)
    assert row["q12"] == pytest.approx(_brute_factor(y, joint)["q"], rel=RTOL)
    assert row["q12"] >= max(row["q1"], row["q2"])  # a finer partition never explains less

    frame = pd.DataFrame({"y": y, "zone": df["zone"], "band": df["band"]})
    ssw = {
        f: (frame.groupby(f)["y"].var(ddof=0) * frame.groupby(f).size()).sum()
        for f in ("zone", "band")
    }
    n = y.size
    f_value = n * (n - 1) * ssw["zone"] / (n * (n - 1) * ssw["band"])
    eco = res.ecological.row(0, named=True)
    assert eco["F"] == pytest.approx(f_value, rel=RTOL)
    two_sided = 2 * min(stats.f.cdf(f_value, n - 1, n - 1), stats.f.sf(f_value, n - 1, n - 1))
    assert eco["p"] == pytest.approx(two_sided, rel=1e-10)


def test_risk_detector_is_welchs_t_test() -> None:
    df = _sample(7)
    res = nqpf.geodetector(df, y="y", factors=["zone"])
    y, zone = df["y"].to_numpy(), df["zone"].to_numpy()
    assert res.risk.height == 3
    for r in res.risk.iter_rows(named=True):
        a, b = y[zone == r["stratum1"]], y[zone == r["stratum2"]]
        want = stats.ttest_ind(a, b, equal_var=False)
        assert r["t"] == pytest.approx(want.statistic, rel=1e-12)
        assert r["p"] == pytest.approx(want.pvalue, rel=1e-9)
        va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
        welch_df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
        assert r["df"] == pytest.approx(welch_df, rel=1e-12)
        assert r["significant"] == (want.pvalue < 0.05)
    means = res.risk_means.sort("stratum")
    assert means["mean"].to_list() == pytest.approx(
        [y[zone == s].mean() for s in means["stratum"]], rel=1e-14
    )


def test_gd_convention_by_its_formulas() -> None:
    """R GD 10.x ``gd``: q = 1 − Σ (N_h − 1) s_h² / ((N − 1) s²) over the strata of
    ≥ 2 units, λ over (N − 1)/N · s², p = 1 − pf(F, ncp = λ); ``gdeco``: q2/q1."""
    df = _sample(11)
    res = nqpf.geodetector(
        df, y="y", factors=["zone", "band"], categorical=["band"], convention="GD"
    )
    y = df["y"].to_numpy()
    frame = pd.DataFrame({"y": y, "zone": df["zone"], "band": df["band"]})
    n = y.size
    q = {}
    for r in res.factor.iter_rows(named=True):
        g = frame.groupby(r["factor"])["y"]
        q[r["factor"]] = 1 - ((g.size() - 1) * g.var(ddof=1)).sum() / ((n - 1) * y.var(ddof=1))
        big_l = g.ngroups
        f_value = (n - big_l) / (big_l - 1) * q[r["factor"]] / (1 - q[r["factor"]])
        lam = ((g.mean() ** 2).sum() - (np.sqrt(g.size()) * g.mean()).sum() ** 2 / n) / y.var()
        assert r["q"] == pytest.approx(q[r["factor"]], rel=RTOL)
        assert r["lambda"] == pytest.approx(lam, rel=RTOL)
        assert r["p"] == pytest.approx(stats.ncf.sf(f_value, big_l - 1, n - big_l, lam), rel=1e-9)
    eco = res.ecological.row(0, named=True)
    assert eco["F"] == pytest.approx(q["band"] / q["zone"], rel=RTOL)
    bound = stats.f.ppf(0.9, n - 1, n - 1)
    assert eco["significant"] == (eco["F"] > bound or 1 / eco["F"] > bound)
    assert eco["p"] is None


def test_gd_drops_strata_of_one_unit_from_an_interactions_q() -> None:
    # the joint strata a|d and b|c hold one unit each: GD computes q12 without them
    df = pl.DataFrame(
        {
            "y": [1.0, 1.2, 2.0, 2.2, 3.0, 3.1, 5.0, 4.0],
            "x1": ["a", "a", "a", "b", "b", "b", "b", "a"],
            "x2": ["c", "c", "c", "d", "d", "d", "c", "d"],
        }
    )
    res = nqpf.geodetector(df, y="y", factors=["x1", "x2"], convention="GD")
    keep = np.array([True] * 6 + [False, False])
    y = df["y"].to_numpy()[keep]
    joint = (df["x1"] + df["x2"]).to_numpy()[keep]
    assert res.interaction["q12"][0] == pytest.approx(_brute_factor(y, joint)["q"], rel=RTOL)
    wang = nqpf.geodetector(df, y="y", factors=["x1", "x2"])
    all_units = _brute_factor(df["y"].to_numpy(), (df["x1"] + df["x2"]).to_numpy())["q"]
    assert wang.interaction["q12"][0] == pytest.approx(all_units, rel=RTOL)


def test_recorded_outputs_of_r_gd() -> None:
    """R GD 10.8 (CRAN source, its R/gd.R, gdinteract.R, gdeco.R run in R 4.2.2) on
    ``_sample(11)`` with x cut at its type-7 quartiles (``cut(x, quantile(x, seq(0, 1,
    length = 5)), include.lowest = TRUE)``), printed with 17 digits."""
    res = nqpf.geodetector(
        _sample(11),
        y="y",
        factors=["zone", "band", "x"],
        categorical=["band"],
        convention="GD",
        discretization="quantile",
        breaks=4,
    )
    got = {r["factor"]: r for r in res.factor.iter_rows(named=True)}
    recorded = {
        "zone": (0.113311602949919044, 1.3371687617656836e-02),
        "band": (0.022102578727421274, 3.8343868947586379e-01),
        "x": (0.555773106652898807, 1.9413526342049181e-10),
    }
    for name, (q, p) in recorded.items():
        assert got[name]["q"] == pytest.approx(q, rel=RTOL)
        # R's 1 − pf(): absolute error ≤ 1e-9 (pnbeta's errmax), see above
        assert got[name]["p"] == pytest.approx(p, abs=1e-9)
    q12 = res.interaction["q12"].to_list()
    # printed by R with 7 significant digits
    assert q12 == pytest.approx([0.1926705, 0.6946538, 0.5963439], abs=5e-8)
    assert set(res.interaction["interaction"]) == {"nonlinear-enhance"}
    assert res.ecological["significant"].to_list() == [True, True, True]


# --------------------------------------------------------------- interaction types


@pytest.mark.parametrize(
    ("q1", "q2", "q12", "kind"),
    [
        (0.3, 0.5, 0.2, "nonlinear-weaken"),  # q12 < min
        (0.3, 0.5, 0.4, "uni-variable weaken"),  # min ≤ q12 ≤ max
        (0.3, 0.5, 0.5, "uni-variable weaken"),
        (0.3, 0.5, 0.6, "bi-variable enhance"),  # max < q12 < q1 + q2
        (0.25, 0.5, 0.75, "independent"),  # q12 = q1 + q2
        (0.3, 0.5, 0.9, "nonlinear-enhance"),  # q12 > q1 + q2
    ],
)
def test_interaction_types_follow_wang_and_xu(q1: float, q2: float, q12: float, kind: str) -> None:
    assert _interaction_type(q1, q2, q12) == kind
    assert kind in INTERACTION_TYPES


def test_an_exclusive_or_is_a_nonlinear_enhancement() -> None:
    # y = x1 XOR x2: neither factor alone explains anything, together they explain all
    x1 = np.array(["a", "a", "b", "b"] * 5)
    x2 = np.array(["c", "d", "c", "d"] * 5)
    y = ((x1 == "a") ^ (x2 == "c")).astype(float) + np.tile([0.0, 0.0, 0.0, 0.0, 0.01], 4)
    res = nqpf.geodetector(pl.DataFrame({"y": y, "x1": x1, "x2": x2}), y="y", factors=["x1", "x2"])
    row = res.interaction.row(0, named=True)
    assert row["q12"] > row["q1"] + row["q2"]
    assert row["interaction"] == "nonlinear-enhance"


# --------------------------------------------------------------- discretisation


def test_discretisation_methods_follow_gd_disc() -> None:
    x = np.array([0.5, 1.0, 1.2, 2.0, 2.5, 3.1, 4.0, 5.5, 7.0, 9.5])
    cuts, strata = discretize(x, 3, "equal")
    np.testing.assert_allclose(cuts, [0.5, 3.5, 6.5, 9.5])
    # right-closed intervals: stratum = 1 + number of inner cuts strictly below
    assert strata.tolist() == [1, 1, 1, 1, 1, 1, 2, 2, 3, 3]
    cuts, _ = discretize(x, 4, "quantile")
    np.testing.assert_allclose(cuts, np.quantile(x, [0, 0.25, 0.5, 0.75, 1]), rtol=1e-15)
    cuts, _ = discretize(x, 2, "geometric")
    np.testing.assert_allclose(cuts, [0.5, 1.5 * (10.5 / 1.5) ** 0.5 - 1, 9.5], rtol=1e-14)
    # sd with 4 intervals: m − s, m, m + s (GD::disc with steps of s/2)
    m, s = x.mean(), x.std(ddof=1)
    cuts, _ = discretize(x, 4, "sd")
    np.testing.assert_allclose(cuts, [0.5, m - s, m, m + s, 9.5], rtol=1e-14)


def test_natural_breaks_are_the_least_within_sum_of_squares() -> None:
    rng = np.random.default_rng(2)
    x = np.round(rng.gamma(2.0, 1.0, 12), 3)
    _, strata = discretize(x, 3, "natural")
    xs = np.sort(x)

    def ssw(parts: list[np.ndarray]) -> float:
        return sum(float(((p - p.mean()) ** 2).sum()) for p in parts)

    best = min(ssw([xs[:i], xs[i:j], xs[j:]]) for i, j in combinations(range(1, xs.size), 2))
    got = ssw([x[strata == h] for h in (1, 2, 3)])
    assert got == pytest.approx(best, rel=1e-12)


def test_optimal_discretisation_takes_the_largest_admissible_q() -> None:
    df = _sample(13)
    res = nqpf.geodetector(df, y="y", factors=["x"], min_breaks=3, max_breaks=6)
    grid = res.discretization
    assert grid.height == 5 * 4
    y, x = df["y"].to_numpy(), df["x"].to_numpy()
    for r in grid.iter_rows(named=True):
        if r["q"] is None:
            continue
        _, strata = discretize(x, r["breaks"], r["method"])
        assert r["q"] == pytest.approx(_brute_factor(y, strata)["q"], rel=RTOL)
        assert np.bincount(strata)[1:].min() >= 2
    best = grid.drop_nulls("q").sort("q", descending=True).row(0, named=True)
    factor = res.factor.row(0, named=True)
    assert factor["q"] == pytest.approx(best["q"], rel=1e-15)
    assert factor["method"] == best["method"]


def test_a_panel_pools_region_years_or_takes_one_year() -> None:
    df = _sample(17).with_columns(year=pl.Series([2020, 2021, 2022] * 30))
    pooled = nqpf.geodetector(df, y="y", factors=["zone"])
    assert pooled.units == 90
    one = nqpf.geodetector(df, y="y", factors=["zone"], year="year", at=2021)
    alone = nqpf.geodetector(df.filter(pl.col("year") == 2021), y="y", factors=["zone"])
    assert one.units == 30
    assert one.factor["q"][0] == alone.factor["q"][0]


def test_result_protocol() -> None:
    res = nqpf.geodetector(_sample(), y="y", factors=["zone", "x"])
    assert set(res.tables()) == {
        "factor", "interaction", "risk_means", "risk", "ecological", "discretization",
    }  # fmt: skip
    text = res.summary()
    assert "zone" in text
    assert "∩" in text


# --------------------------------------------------------------- bad input


def _one_line(excinfo: pytest.ExceptionInfo[InputError]) -> str:
    text = str(excinfo.value)
    assert "\n" not in text
    return text


def test_a_stratum_of_one_unit_is_named() -> None:
    df = pl.DataFrame({"y": [1.0, 2.0, 3.0, 4.0, 5.0], "zone": ["a", "a", "b", "b", "c"]})
    with pytest.raises(InputError) as excinfo:
        nqpf.geodetector(df, y="y", factors=["zone"])
    text = _one_line(excinfo)
    assert "'zone'" in text
    assert "'c'" in text


def test_a_constant_y_and_a_single_stratum_are_refused() -> None:
    df = pl.DataFrame({"y": [2.0] * 6, "zone": list("aabbcc"), "one": ["x"] * 6})
    with pytest.raises(InputError, match="constant") as excinfo:
        nqpf.geodetector(df, y="y", factors=["zone"])
    _one_line(excinfo)
    df = df.with_columns(y=pl.Series([1.0, 2, 3, 4, 5, 6]))
    with pytest.raises(InputError, match="fewer than 2 strata") as excinfo:
        nqpf.geodetector(df, y="y", factors=["one"])
    assert "'one'" in _one_line(excinfo)


def test_other_bad_input() -> None:
    df = _sample()
    with pytest.raises(InputError, match="nope"):
        nqpf.geodetector(df, y="y", factors=["nope"])
    with pytest.raises(InputError, match="at= needs year="):
        nqpf.geodetector(df, y="y", factors=["zone"], at=2020)
    with pytest.raises(InputError, match="geometric"):
        nqpf.geodetector(
            df.with_columns(x=pl.col("x") - 10), y="y", factors=["x"], discretization="geometric"
        )
    with pytest.raises(InputError, match="min_breaks"):
        nqpf.geodetector(df, y="y", factors=["x"], min_breaks=6, max_breaks=4)
    with pytest.raises(InputError, match="methods"):
        nqpf.geodetector(df, y="y", factors=["x"], methods=["fancy"])


# --------------------------------------------------------------- live R geodetector


@pytest.mark.r
def test_matches_the_r_geodetector_package_on_discretised_factors() -> None:
    pytest.importorskip("rpy2", reason="rpy2 is not installed (pip install 'nqpf[r]')")
    from nqpf.errors import RUnavailableError
    from nqpf.rbridge import package_version

    try:
        version = package_version("geodetector")
    except RUnavailableError as exc:
        pytest.skip(f"R is unavailable: {exc}")
    if version is None:
        pytest.skip("R package 'geodetector' is not installed (CRAN only; set NQPF_R_LIBS)")
    import rpy2.robjects as ro

    df = _sample(19)
    res = nqpf.geodetector(df, y="y", factors=["x", "zone"], discretization="natural", breaks=4)
    _, strata = discretize(df["x"].to_numpy(), 4, "natural")
    ro.globalenv["d"] = ro.DataFrame(
        {
            "y": ro.FloatVector(df["y"].to_list()),
            "x": ro.IntVector(strata.tolist()),
            "zone": ro.StrVector(df["zone"].to_list()),
        }
    )
    r_factor = ro.r(
        'library(geodetector); f <- factor_detector("y", c("x", "zone"), d); '
        "c(f[[1]][1, 1], f[[1]][1, 2], f[[2]][1, 1], f[[2]][1, 2])"
    )
    got = res.factor.sort("factor")
    # same doubles, a different summation order. R's upper tail is 1 − pnbeta(), whose
    # series stops at an absolute error of 1e-9 (errmax in R's nmath/pnbeta.c), with
    # 1e-9 more of cancellation: a p of 1e-13 comes out of R as 3e-16
    assert got["q"].to_list() == pytest.approx([r_factor[0], r_factor[2]], rel=RTOL)
    assert got["p"].to_list() == pytest.approx([r_factor[1], r_factor[3]], abs=2e-9)
    r_q12 = ro.r('as.numeric(interaction_detector("y", c("x", "zone"), d)[1, 3])')
    assert res.interaction["q12"][0] == pytest.approx(r_q12[0], rel=1e-13)
    assert not math.isnan(res.interaction["q12"][0])


# --------------------------------------------------------------- CLI


def test_cli_runs_the_detectors_and_refuses_bad_input(tmp_path, capsys) -> None:
    from nqpf.cli import main

    source = tmp_path / "collect.csv"
    collect_data().write_csv(source)
    out = tmp_path / "geo.json"
    code = main(
        [
            "geodetector", str(source), "--y", "incidence", "--factors", "watershed,soiltype",
            "--categorical", "watershed,soiltype", "--out", str(out),
        ]
    )  # fmt: skip
    assert code == 0
    assert "watershed: q = 0.6378" in capsys.readouterr().out
    import json

    written = json.loads(out.read_text(encoding="utf-8"))
    assert {"factor", "interaction", "risk", "ecological"} <= set(written)
    code = main(["geodetector", str(source), "--y", "incidence", "--factors", "nope"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert "nope" in err
    assert "\n" not in err


def test_joint_strata_of_single_units() -> None:
    # z ∩ w puts each of the 6 units alone: q12 = 1 by definition; GD drops them all
    df = pl.DataFrame({"y": [1.0, 2, 3, 4, 5, 6], "z": list("aabbcc"), "w": list("ababab")})
    wang = nqpf.geodetector(df, y="y", factors=["z", "w"])
    assert wang.interaction["q12"][0] == 1.0
    gd = nqpf.geodetector(df, y="y", factors=["z", "w"], convention="GD")
    assert math.isnan(gd.interaction["q12"][0])
    assert gd.interaction["interaction"][0] is None
    with pytest.raises(InputError, match="cannot be compared"):
        nqpf.geodetector(
            df.with_columns(year=pl.lit(2020)), y="y", factors=["z"], year="year", at="x"
        )
