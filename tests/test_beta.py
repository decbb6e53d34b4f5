"""β-convergence against statsmodels OLS (HC1 and cluster-robust) and exact data.

plm's two-way within estimator is compared in test_dynamics_r.py.

Tolerances, from the least-squares conditioning (ε = 2⁻⁵²): nqpf (QR or the
within transformation) and statsmodels (pinv of the full dummy design) are two
backward-stable solvers, so by Wedin's bound their coefficients (normwise) and
sandwich standard errors differ by ≲ 2mε·κ₂(X)² for m observations
(:func:`_lsq_rtol`, X the design statsmodels fits). A p-value moves with t:
|Δp/p| ≤ |d log p/dt|·|Δt| ≤ 2(ν + 1)·rtol for Student-t with ν degrees of freedom
(:func:`_p_rtol`). On exact (error-free) data the fit has no residual and the bound
is mε·κ₂(X) (the κ² term multiplies the residual). Functions of β (speed, half-life)
are a few roundings of one double: 1e-12 relative.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from nqpf.dynamics import beta_convergence
from nqpf.errors import InputError

EPS = np.finfo(np.float64).eps


def _lsq_rtol(design) -> float:
    """Two least-squares solvers on an m × k design: 2mε·κ₂(X)² (module docstring)."""
    x = np.asarray(design, dtype=float)
    return 2.0 * x.shape[0] * EPS * float(np.linalg.cond(x)) ** 2


def _exact_fit_rtol(design) -> float:
    """Least squares on error-free data (zero residual): 2mε·κ₂(X), no κ² term."""
    x = np.asarray(design, dtype=float)
    return 2.0 * x.shape[0] * EPS * float(np.linalg.cond(x))


def _p_rtol(rtol: float, dof: float) -> float:
    """p-value of t = β/se when β and se carry relative error rtol: 2(ν + 1)·rtol, plus 8ε."""
    return 2.0 * (dof + 1.0) * rtol + 8.0 * EPS


def _panel(n: int = 24, years: int = 10, seed: int = 11) -> pl.DataFrame:
    """A convergence process: ln x_{t+1} = ln x_t + 0.02 − 0.08 (ln x_t − a_i) + shocks."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        a = rng.normal(0, 0.3)
        lx = rng.normal(0, 0.6)
        for t in range(years):
            z = rng.normal()
            rows.append((f"r{i:02d}", 2010 + t, math.exp(lx), z, 0.5 * lx + rng.normal()))
            lx += 0.02 - 0.08 * (lx - a) + 0.01 * z + 0.03 * rng.standard_normal()
    return pl.DataFrame(rows, schema=["region", "year", "x", "z", "w"], orient="row")


def _annual_pairs(df: pl.DataFrame) -> pl.DataFrame:
    return (
        df.sort("region", "year")
        .with_columns(
            lnx=pl.col("x").log(),
            g=pl.col("x").log().shift(-1).over("region") - pl.col("x").log(),
            gap=pl.col("year").shift(-1).over("region") - pl.col("year"),
        )
        .filter(pl.col("gap") == 1)
    )


@pytest.mark.parametrize(
    ("controls", "at"), [([], "initial"), (["z", "w"], "initial"), (["z"], "mean")]
)
def test_cross_section_matches_statsmodels_hc1(controls, at):
    sm = pytest.importorskip("statsmodels.api")
    df = _panel()
    res = beta_convergence(df, "x", "region", "year", controls=controls, controls_at=at)
    first = df.filter(pl.col("year") == 2010).sort("region")
    last = df.filter(pl.col("year") == 2019).sort("region")
    g = (np.log(last["x"].to_numpy()) - np.log(first["x"].to_numpy())) / 9
    if at == "mean":
        ctrl = df.group_by("region").agg(pl.col(controls).mean()).sort("region")
    else:
        ctrl = first
    X = sm.add_constant(
        np.column_stack([np.log(first["x"].to_numpy()), *(ctrl[c] for c in controls)])
    )
    ref = sm.OLS(g, X).fit(cov_type="HC1", use_t=True)
    assert res.table["term"].to_list() == ["const", "ln_x", *controls]
    rtol = _lsq_rtol(X)
    est = res.table["estimate"].to_numpy()
    np.testing.assert_allclose(est, ref.params, rtol=0, atol=rtol * np.linalg.norm(ref.params))
    np.testing.assert_allclose(res.table["se"].to_numpy(), ref.bse, rtol=rtol)
    p_rtol = _p_rtol(rtol, ref.df_resid)
    np.testing.assert_allclose(res.table["p"].to_numpy(), ref.pvalues, rtol=p_rtol)
    # R² = 1 − RSS/TSS: |ΔR²| ≤ (1 − R²)·rtol
    assert res.r2 == pytest.approx(ref.rsquared, rel=0, abs=rtol)
    assert (res.n, res.n_regions, res.tau, res.se_type) == (24, 24, 9.0, "HC1")
    assert res.speed == pytest.approx(-math.log(1 + 9 * res.beta) / 9, rel=1e-12)
    assert res.half_life == pytest.approx(math.log(2) / res.speed, rel=1e-12)


def test_pooled_annual_panel_matches_statsmodels_cluster():
    smf = pytest.importorskip("statsmodels.formula.api")
    df = _panel()
    res = beta_convergence(df, "x", "region", "year", controls=["z"], horizon="annual")
    pdf = _annual_pairs(df).to_pandas()
    ref = smf.ols("g ~ lnx + z", pdf).fit(
        cov_type="cluster",
        cov_kwds={"groups": pdf["region"].astype("category").cat.codes},
        use_t=True,
    )
    rtol = _lsq_rtol(ref.model.exog)
    params = ref.params.to_numpy()
    est = res.table["estimate"].to_numpy()
    np.testing.assert_allclose(est, params, rtol=0, atol=rtol * np.linalg.norm(params))
    # No absorbed effects: the same K, so statsmodels' G/(G−1)(N−1)/(N−K) is ours exactly.
    np.testing.assert_allclose(res.table["se"].to_numpy(), ref.bse.to_numpy(), rtol=rtol)
    p_rtol = _p_rtol(rtol, ref.df_resid)
    np.testing.assert_allclose(res.table["p"].to_numpy(), ref.pvalues.to_numpy(), rtol=p_rtol)
    assert (res.n, res.tau, res.se_type) == (24 * 9, 1.0, "cluster")
    assert res.speed == pytest.approx(-math.log1p(res.beta), rel=1e-12)


@pytest.mark.parametrize("effects", ["region", "twoway"])
@pytest.mark.parametrize("unbalanced", [False, True])
def test_fixed_effects_match_statsmodels_dummies(effects, unbalanced):
    smf = pytest.importorskip("statsmodels.formula.api")
    df = _panel()
    if unbalanced:
        # Holes inside and at the ends of some regions' series.
        drop = [3, 17, 40, 41, 99, 150, 151, 152, 230]
        df = df.with_row_index("i").filter(~pl.col("i").is_in(drop)).drop("i")
    res = beta_convergence(df, "x", "region", "year", controls=["z"], effects=effects)
    pairs = _annual_pairs(df)
    pdf = pairs.to_pandas()
    formula = "g ~ lnx + z + C(region)" + (" + C(year)" if effects == "twoway" else "")
    ref = smf.ols(formula, pdf).fit(
        cov_type="cluster",
        cov_kwds={"groups": pdf["region"].astype("category").cat.codes},
        use_t=True,
    )
    assert res.table["term"].to_list() == ["ln_x", "z"]
    # the full dummy design's κ₂ bounds the slopes' conditioning (Frisch–Waugh–Lovell)
    rtol = _lsq_rtol(ref.model.exog)
    np.testing.assert_allclose(
        res.table["estimate"].to_numpy(),
        ref.params[["lnx", "z"]].to_numpy(),
        rtol=0,
        atol=rtol * np.linalg.norm(ref.params.to_numpy()),
    )
    # statsmodels counts the region dummies in K; we do not (they are nested in the
    # clusters, Stata's xtreg convention): rescale its small-sample factor to ours.
    n, k_full = ref.nobs, len(ref.params)
    k_ours = 2 + (pairs["year"].n_unique() - 1 if effects == "twoway" else 0) + 1
    scale = math.sqrt((n - k_full) / (n - k_ours))
    np.testing.assert_allclose(
        res.table["se"].to_numpy(), ref.bse[["lnx", "z"]].to_numpy() * scale, rtol=rtol
    )
    assert res.n == pairs.height
    assert res.n_regions == pairs["region"].n_unique()
    assert (res.effects, res.horizon) == (effects, "annual")


def test_exact_convergence_recovers_the_speed():
    # ln x_{i,T} − ln x* = e^{−θT} (ln x_{i,0} − ln x*) exactly: the regression has no
    # error, β = −(1 − e^{−θT})/T, and the implied speed must return θ.
    theta, T, lstar = 0.07, 12, 1.5
    l0 = np.linspace(-1.0, 3.0, 9)
    rows = []
    for i, start in enumerate(l0):
        for t in range(T + 1):
            rows.append((i, 2000 + t, math.exp(lstar + math.exp(-theta * t) * (start - lstar))))
    df = pl.DataFrame(rows, schema=["id", "yr", "v"], orient="row")
    # no residual: β to 2mε·κ₂(X) (module docstring; 2 for the data's own rounding);
    # speed = −log(1 + Tβ)/T has condition |Tβ / ((1 + Tβ) log(1 + Tβ))| ≤ 2 here
    lx = np.log(df["v"].to_numpy()).reshape(l0.size, T + 1)
    cs_rtol = _exact_fit_rtol(np.column_stack([np.ones(l0.size), lx[:, 0]]))
    panel_rtol = _exact_fit_rtol(np.column_stack([np.ones(lx[:, :-1].size), lx[:, :-1].ravel()]))
    cs = beta_convergence(df, "v", "id", "yr")
    assert cs.beta == pytest.approx(-(1 - math.exp(-theta * T)) / T, rel=cs_rtol)
    assert cs.speed == pytest.approx(theta, rel=2 * cs_rtol)
    assert cs.half_life == pytest.approx(math.log(2) / theta, rel=2 * cs_rtol + 4 * EPS)
    panel = beta_convergence(df, "v", "id", "yr", horizon="annual")
    assert panel.beta == pytest.approx(math.exp(-theta) - 1, rel=panel_rtol)
    assert panel.speed == pytest.approx(theta, rel=2 * panel_rtol)


def test_divergence_has_no_half_life_and_years_step():
    rows = [
        (i, 2000 + 2 * t, math.exp(l0 * (1.05**t)))
        for i, l0 in enumerate([0.5, 1, 2, 3])
        for t in range(4)
    ]
    df = pl.DataFrame(rows, schema=["id", "yr", "v"], orient="row")
    res = beta_convergence(df, "v", "id", "yr", horizon="annual")
    assert res.tau == 2.0
    assert res.beta > 0
    assert res.speed < 0
    assert math.isnan(res.half_life)
    assert "β-convergence" in str(res)
    assert res.to_frame().columns[:6] == ["beta", "se", "t", "p", "speed", "half_life"]


def test_a_gap_drops_the_growth_pairs_that_touch_it():
    df = _panel(n=5, years=6)
    holed = df.filter(~((pl.col("region") == "r01") & (pl.col("year") == 2012)))
    res = beta_convergence(holed, "x", "region", "year", horizon="annual")
    assert res.n == 5 * 5 - 2


def test_pandas_input():
    pytest.importorskip("pandas")
    df = _panel()
    a = beta_convergence(df, "x", "region", "year")
    b = beta_convergence(df.to_pandas(), "x", "region", "year")
    assert a.beta == b.beta


def test_bad_input():
    df = _panel(n=6, years=4)
    bad = df.with_columns(
        pl.when(pl.int_range(pl.len()) == 6).then(0.0).otherwise(pl.col("x")).alias("x")
    )
    with pytest.raises(
        InputError, match=r"row 7, column 'x': value 0 is not > 0 but β-convergence takes logs"
    ):
        beta_convergence(bad, "x", "region", "year")
    with pytest.raises(InputError, match="at least 2 years"):
        beta_convergence(df.filter(pl.col("year") == 2010), "x", "region", "year")
    with pytest.raises(InputError, match=r"region 'r02' has no value in 2013"):
        beta_convergence(
            df.filter(~((pl.col("region") == "r02") & (pl.col("year") == 2013))),
            "x",
            "region",
            "year",
        )
    with pytest.raises(InputError, match="needs the annual panel"):
        beta_convergence(df, "x", "region", "year", effects="twoway", horizon="period")
    const = df.with_columns(c=pl.col("region").str.slice(1).cast(pl.Int64).cast(pl.Float64))
    with pytest.raises(InputError, match=r"'c' is collinear.*constant within regions"):
        beta_convergence(const, "x", "region", "year", controls=["c"], effects="twoway")
    with pytest.raises(InputError, match="not equally spaced"):
        beta_convergence(df.filter(pl.col("year") != 2011), "x", "region", "year", horizon="annual")
    with pytest.raises(InputError, match="duplicate row"):
        beta_convergence(pl.concat([df, df.head(1)]), "x", "region", "year")
    with pytest.raises(InputError, match="too few"):
        beta_convergence(df.head(8), "x", "region", "year", controls=["z", "w"])
    with pytest.raises(InputError, match="unknown effects"):
        beta_convergence(df, "x", "region", "year", effects="both")
    with pytest.raises(InputError, match=r"column 'q'"):
        beta_convergence(df, "x", "region", "year", controls=["q"])
