"""Kernel density per year: bandwidth rules by hand, densities against scipy's gaussian_kde.

The R comparison (``stats::density``, ``bw.nrd0``, ``bw.nrd``) is in test_dynamics_r.py.
"""

from __future__ import annotations

import math
import statistics

import numpy as np
import polars as pl
import pytest
from scipy import stats

from nqpf.dynamics import bandwidth, kernel_density
from nqpf.errors import InputError

# Both sides sum the same Gaussian terms exactly (no binning): only rounding differs.
# Bandwidths are sd/IQR of n = 30–90 values (≤ 2nε·κ, κ ≤ 10 for these samples:
# ≤ 4e-13); densities follow :func:`_kernel_sum_rtol`.
RTOL = 1e-12
EPS = np.finfo(np.float64).eps


def _kernel_sum_rtol(x: np.ndarray, grid: np.ndarray, h: float) -> float:
    """Relative tolerance of Σ φ((g − x)/h) / (n h) from two implementations: 8ε·(n + max u²).

    Each term exp(−u²/2), u = (g − x)/h, carries a relative error of about u²·ε from
    its argument (scipy whitens by a Cholesky factor of h², so u itself is rounded
    differently), and n positive terms are summed: 4ε·(n + max u²), doubled for the
    two sides.
    """
    u2 = ((np.asarray(grid)[:, None] - np.asarray(x)[None, :]) / h) ** 2
    return 8.0 * EPS * (np.asarray(x).size + float(u2.max()))


def _panel(seed: int = 7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for yr in (2015, 2016, 2017):
        for i in range(30):
            grp = "East" if i < 12 else "West"
            # A bimodal West that drifts up: the shape the plots are meant to show.
            mu = 0.45 if grp == "East" else (0.15 if i % 2 else 0.3) + 0.02 * (yr - 2015)
            rows.append((f"p{i:02d}", yr, grp, mu + 0.05 * rng.standard_normal()))
    return pl.DataFrame(rows, schema=["region", "year", "zone", "score"], orient="row")


def _r_type7(x: np.ndarray, p: float) -> float:
    """Quantile type 7 written out (R's default): x[h] interpolated at h = (n − 1) p."""
    s = sorted(x)
    h = (len(s) - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (h - lo) * (s[hi] - s[lo])


def _silverman_by_hand(x: np.ndarray) -> float:
    sd = statistics.stdev(x.tolist())
    iqr = _r_type7(x, 0.75) - _r_type7(x, 0.25)
    return 0.9 * min(sd, iqr / 1.34) * len(x) ** -0.2


def test_bandwidth_rules_match_the_written_out_formulas():
    x = _panel().get_column("score").to_numpy()
    assert bandwidth(x) == pytest.approx(_silverman_by_hand(x), rel=RTOL)
    assert bandwidth(x, "scott") == pytest.approx(_silverman_by_hand(x) / 0.9 * 1.06, rel=RTOL)
    assert bandwidth(x, 0.05) == 0.05


def test_bandwidth_falls_back_like_r_for_tied_data():
    # sd = IQR = 0: R's bw.nrd0 uses |x[1]| and then 1.
    assert bandwidth(np.array([2.0, 2.0, 2.0])) == pytest.approx(0.9 * 2.0 * 3**-0.2, rel=RTOL)
    assert bandwidth(np.array([0.0, 0.0])) == pytest.approx(0.9 * 2**-0.2, rel=RTOL)
    # IQR = 0 but sd > 0: R falls back to sd.
    x = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 5.0])
    assert bandwidth(x) == pytest.approx(0.9 * statistics.stdev(x.tolist()) * 6**-0.2, rel=RTOL)
    # ties at a value that is no binary fraction: the mean of n copies of 0.1 summed in
    # double precision is not 0.1, but R's corrected mean is, so s = 0 and the fallback
    # |x₁| applies (a plain two-pass sd gave ~1e-17 here and a bandwidth of ~1e-17)
    for v, n in ((0.1, 3), (0.1, 7), (1 / 3, 31), (0.3, 31)):
        assert bandwidth(np.full(n, v)) == pytest.approx(0.9 * v * n**-0.2, rel=4 * EPS)
    # bw.nrd (Scott) has no fallback: a zero bandwidth is one line naming the curve
    tied = pl.DataFrame({"year": [1, 1, 1, 2, 2, 2], "v": [0.1, 0.1, 0.1, 0.2, 0.3, 0.5]})
    with pytest.raises(InputError, match=r"the scott bandwidth is 0.*\(curve year=1\)"):
        kernel_density(tied, "v", "year", bw="scott")


@pytest.mark.parametrize("bw", ["silverman", "scott", 0.04])
def test_density_matches_scipy_gaussian_kde(bw):
    df = _panel()
    out = kernel_density(df, "score", "year", bw=bw, n=200)
    for (yr,), curve in out.partition_by("year", as_dict=True).items():
        x = df.filter(pl.col("year") == yr).get_column("score").to_numpy()
        h = bandwidth(x, bw)
        assert curve.get_column("bandwidth").unique().to_list() == [h]
        # scipy's bw_method is a factor of the sample SD (n − 1), not the bandwidth.
        kde = stats.gaussian_kde(x, bw_method=h / np.std(x, ddof=1))
        grid = curve.get_column("x").to_numpy()
        rtol = _kernel_sum_rtol(x, grid, h)
        np.testing.assert_allclose(curve.get_column("density").to_numpy(), kde(grid), rtol=rtol)


def test_common_grid_spans_every_curve_and_integrates_to_one():
    df = _panel()
    out = kernel_density(df, "score", "year", "zone", n=512)
    assert out.columns == ["year", "zone", "x", "density", "bandwidth"]
    curves = out.partition_by("year", "zone", as_dict=True)
    assert len(curves) == 6
    grids = [c.get_column("x").to_numpy() for c in curves.values()]
    for g in grids[1:]:
        np.testing.assert_array_equal(g, grids[0])
    lows, highs = [], []
    for (yr, zone), c in curves.items():
        x = df.filter((pl.col("year") == yr) & (pl.col("zone") == zone)).get_column("score")
        h = c.get_column("bandwidth")[0]
        lows.append(x.min() - 3 * h)
        highs.append(x.max() + 3 * h)
        # ±3 bandwidths past the data leave about 0.3 % of the mass out.
        mass = np.trapezoid(c.get_column("density").to_numpy(), c.get_column("x").to_numpy())
        assert 0.995 < mass <= 1.0
    # min(x) − 3h from the very h in both: a rounding or two of values ≤ 1 (4ε absolute)
    assert grids[0][0] == pytest.approx(min(lows), rel=RTOL, abs=4 * EPS)
    assert grids[0][-1] == pytest.approx(max(highs), rel=RTOL, abs=4 * EPS)


def test_own_grid_is_rs_default_range_and_explicit_grid_is_kept():
    df = _panel().filter(pl.col("year") == 2016)
    x = df.get_column("score").to_numpy()
    h = bandwidth(x)
    own = kernel_density(df, "score", "year", grid="own", n=64)
    np.testing.assert_allclose(
        own.get_column("x").to_numpy(), np.linspace(x.min() - 3 * h, x.max() + 3 * h, 64)
    )
    pts = [0.1, 0.2, 0.3]
    fixed = kernel_density(df, "score", grid=pts)
    assert fixed.columns == ["x", "density", "bandwidth"]
    assert fixed.get_column("x").to_list() == pts


def test_pooled_curve_and_pandas_input():
    df = _panel()
    out = kernel_density(df.to_pandas(), "score", n=50)
    assert out.height == 50
    x = df.get_column("score").to_numpy()
    kde = stats.gaussian_kde(x, bw_method=bandwidth(x) / np.std(x, ddof=1))
    grid = out["x"].to_numpy()
    rtol = _kernel_sum_rtol(x, grid, bandwidth(x))
    np.testing.assert_allclose(out["density"].to_numpy(), kde(grid), rtol=rtol)


def test_bad_input_is_one_line_with_row_and_column():
    df = _panel()
    with pytest.raises(InputError, match=r"row 4, column 'score': missing value"):
        kernel_density(
            df.with_columns(
                pl.when(pl.int_range(pl.len()) == 3)
                .then(None)
                .otherwise(pl.col("score"))
                .alias("score")
            ),
            "score",
            "year",
        )
    one = pl.DataFrame({"year": [1, 1, 2], "v": [0.1, 0.2, 0.3]})
    with pytest.raises(InputError, match=r"at least 2 observations.*year=2"):
        kernel_density(one, "v", "year")
    # A numeric bandwidth works for a single observation.
    assert kernel_density(one, "v", "year", bw=0.1, n=8).height == 16
    with pytest.raises(InputError, match="column 'nope'"):
        kernel_density(df, "nope", "year")
    with pytest.raises(InputError, match="duplicate row"):
        kernel_density(pl.concat([df, df.head(1)]), "score", "year", region="region")
    with pytest.raises(InputError, match="not a positive number"):
        kernel_density(df, "score", "year", bw=-1)
    with pytest.raises(InputError, match="non-numeric value 'x'"):
        kernel_density(pl.DataFrame({"v": ["1", "x"]}), "v")


def test_options_of_the_wrong_type_are_input_errors():
    df = _panel()
    with pytest.raises(InputError, match="bandwidth None is not a positive number"):
        kernel_density(df, "score", "year", bw=None)
    with pytest.raises(InputError, match="cut='3' must be a number"):
        kernel_density(df, "score", "year", cut="3")
    with pytest.raises(InputError, match="non-empty array of finite numbers"):
        kernel_density(df, "score", "year", grid=["low", "high"])
    # region is checked with year only: a region-year in two groups is a duplicate
    twice = pl.concat([df, df.head(1).with_columns(pl.lit("North").alias("zone"))])
    with pytest.raises(InputError, match="duplicate row"):
        kernel_density(twice, "score", "year", "zone", region="region")
