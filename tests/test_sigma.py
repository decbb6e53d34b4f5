"""σ-convergence: every measure recomputed with plain loops; the trend against scipy.

R's laeken::gini is compared in test_dynamics_r.py.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from scipy import stats

from nqpf.dynamics import sigma_convergence, sigma_trend
from nqpf.errors import InputError

# Same sums in a different order (sorted prefix form vs double loop): rounding only.
# A measure over n = 14 regions (sums of n positive terms; the Gini's absolute error is
# ≤ 2nε because its weights |2i − n − 1| ≤ n; sd_log's logs add ε each) is within
# 2nε·κ ≈ 6e-15·κ, κ ≤ 10 for these lognormal data (the Gini ≥ 0.1, cv ≥ 0.1).
RTOL = 1e-12
EPS = np.finfo(np.float64).eps


def _trend_rtol(t: np.ndarray, y: np.ndarray) -> float:
    """Relative tolerance of an OLS trend y ~ a + b·t (slope, se, R²) from two solvers.

    Both centre t; the fit's condition is then set by y: the slope's relative condition
    is ‖y‖/(‖y − ȳ‖·|r|) and the residual sum's ‖y‖²/(‖y − ȳ‖²(1 − r²)) (a measure
    that barely moves over the years is ill-conditioned), so
    4nε·(‖y‖/‖y − ȳ‖)²·(1/r² + 1/(1 − r²)).
    """
    yc = y - y.mean()
    r = float(np.corrcoef(t, y)[0, 1])
    ratio = (np.linalg.norm(y) / np.linalg.norm(yc)) ** 2
    return 4.0 * y.size * EPS * ratio * (1.0 / r**2 + 1.0 / (1.0 - r**2))


def _panel(seed: int = 3) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(14):
        zone = "A" if i < 6 else "B"
        level = rng.lognormal(0.0, 0.6)
        for yr in range(2011, 2019):
            level *= math.exp(0.05 - 0.02 * math.log(level) + 0.05 * rng.standard_normal())
            rows.append((f"r{i}", yr, zone, level))
    return pl.DataFrame(rows, schema=["region", "year", "zone", "gdp"], orient="row")


def _by_hand(x: list[float]) -> dict[str, float]:
    n = len(x)
    mean = sum(x) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in x) / n)
    logs = [math.log(v) for v in x]
    mlog = sum(logs) / n
    sd_log = math.sqrt(sum((v - mlog) ** 2 for v in logs) / n)
    gini = sum(abs(a - b) for a in x for b in x) / (2 * n * n * mean)
    return {"n": n, "mean": mean, "sd": sd, "cv": sd / mean, "sd_log": sd_log, "gini": gini}


@pytest.mark.parametrize("group", [None, "zone"])
def test_measures_match_plain_loops(group):
    df = _panel()
    out = sigma_convergence(df, "gdp", "year", group=group, region="region")
    keys = ["year"] + ([group] if group else [])
    assert out.columns == [*keys, "n", "mean", "sd", "cv", "sd_log", "gini"]
    assert out.height == (8 if group is None else 16)
    assert out.equals(out.sort(keys))
    for row in out.iter_rows(named=True):
        sel = df
        for k in keys:
            sel = sel.filter(pl.col(k) == row[k])
        want = _by_hand(sel.get_column("gdp").to_list())
        assert row["n"] == want["n"]
        for m in ("mean", "sd", "cv", "sd_log", "gini"):
            assert row[m] == pytest.approx(want[m], rel=RTOL), m


def test_scale_invariance_and_equality():
    df = _panel()
    base = sigma_convergence(df, "gdp", "year")
    scaled = sigma_convergence(df.with_columns(pl.col("gdp") * 1000), "gdp", "year")
    for m in ("cv", "sd_log", "gini"):
        np.testing.assert_allclose(scaled[m].to_numpy(), base[m].to_numpy(), rtol=RTOL)
    flat = pl.DataFrame({"year": [1, 1, 1], "v": [2.0, 2.0, 2.0]})
    row = sigma_convergence(flat, "v", "year").row(0, named=True)
    assert (row["gini"], row["cv"], row["sd_log"]) == (0, 0, 0)


def test_gini_of_two_point_distribution():
    # One region holds everything: G = (n − 1)/n with n² denominators.
    df = pl.DataFrame({"year": [1] * 4, "v": [0.0, 0.0, 0.0, 8.0]})
    gini = sigma_convergence(df, "v", "year", log=False)["gini"][0]
    assert gini == pytest.approx(0.75, rel=RTOL)


def test_trend_matches_scipy_linregress():
    df = _panel()
    tab = sigma_convergence(df, "gdp", "year")
    tr = sigma_trend(tab, "year")
    assert tr.columns == ["measure", "n_years", "slope", "se", "t", "p", "r2"]
    assert tr["measure"].to_list() == ["sd", "cv", "sd_log", "gini"]
    t = tab["year"].to_numpy().astype(float)
    for row in tr.iter_rows(named=True):
        y = tab[row["measure"]].to_numpy()
        ref = stats.linregress(t, y)
        rtol = _trend_rtol(t, y)
        assert row["slope"] == pytest.approx(ref.slope, rel=rtol)
        assert row["se"] == pytest.approx(ref.stderr, rel=rtol)
        # |Δp/p| ≤ |d log p/dt|·|Δt| ≤ 2(ν + 1)·rtol for Student-t with ν = n − 2
        p_rtol = 2 * (y.size - 1) * rtol + 8 * EPS
        assert row["p"] == pytest.approx(ref.pvalue, rel=p_rtol, abs=0)  # p may be ≪ 1e-12
        assert row["r2"] == pytest.approx(ref.rvalue**2, rel=rtol)
        assert row["n_years"] == 8


def test_trend_per_group_and_skips_missing_sd_log():
    df = _panel()
    tab = sigma_convergence(df, "gdp", "year", group="zone", log=False)
    assert tab["sd_log"].null_count() == tab.height
    tr = sigma_trend(tab, "year", group="zone")
    assert tr.columns[0] == "zone"
    assert sorted(set(tr["measure"])) == ["cv", "gini", "sd"]
    sub = tab.filter(pl.col("zone") == "B")
    t, y = sub["year"].to_numpy().astype(float), sub["cv"].to_numpy()
    ref = stats.linregress(t, y)
    got = tr.filter((pl.col("zone") == "B") & (pl.col("measure") == "cv"))
    assert got["slope"][0] == pytest.approx(ref.slope, rel=_trend_rtol(t, y))


def test_bad_input():
    df = _panel()
    neg = df.with_columns(
        pl.when(pl.int_range(pl.len()) == 5).then(-1.0).otherwise(pl.col("gdp")).alias("gdp")
    )
    with pytest.raises(InputError, match=r"row 6, column 'gdp': value -1 is not > 0"):
        sigma_convergence(neg, "gdp", "year")
    with pytest.raises(InputError, match=r"row 6, column 'gdp': negative value"):
        sigma_convergence(neg, "gdp", "year", log=False)
    zero = pl.DataFrame({"year": [1, 1], "v": [0.0, 0.0]})
    with pytest.raises(InputError, match="mean of 'v' is 0 for year=1"):
        sigma_convergence(zero, "v", "year", log=False)
    with pytest.raises(InputError, match="duplicate row"):
        sigma_convergence(pl.concat([df, df.tail(1)]), "gdp", "year", region="region")
    with pytest.raises(InputError, match="at least 3 years"):
        sigma_trend(sigma_convergence(df.filter(pl.col("year") < 2013), "gdp", "year"), "year")
