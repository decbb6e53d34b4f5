"""Distribution dynamics against R, live through rpy2.

Routines compared (R 4.2, Debian packages):

- kernel density: ``stats::bw.nrd0``, ``stats::bw.nrd``, ``stats::density`` and the exact
  Gaussian kernel sum written in R;
- σ-convergence: ``laeken::gini`` (population Gini, percent);
- β-convergence: ``lm`` + ``sandwich::vcovHC(type = "HC1")`` for the cross-section,
  ``plm::plm(model = "within", effect = "twoways")`` with ``plm::vcovHC(method =
  "arellano")`` for the two-way panel, growth and lags built by plm itself;
- Markov chains: quantile classes by ``quantile(type = 7)`` + ``findInterval``, and
  ``markovchain::markovchainFit(method = "mle")`` with ``steadyStates``.

Each test skips with the reason when rpy2, R or the R package is missing.

Tolerances (from each computation's conditioning; ε = 2⁻⁵² is the double-precision
machine epsilon; R here uses Debian's reference BLAS/LAPACK, numpy/scipy OpenBLAS
with whatever kernel the CPU picks):

- ``RTOL`` = 1e-12 for closed forms both sides evaluate in double precision: a sum
  of n positive terms evaluated in two orders differs by ≤ 2nε relative (Higham's
  γₙ), times the quantity's condition number κ. Bandwidths (sd and IQR of n ≤ 30
  values in [0.1, 0.6], κ ≤ 10): 2·30·10·ε ≈ 1.3e-13; the population Gini of
  n = 31 values by sorting (absolute error ≤ 2nε because |2i − n − 1| ≤ n, and
  G ≈ 0.37): 3.7e-14; Markov probabilities (one division of counts): ε. Observed
  ≤ 5e-16 on every OpenBLAS kernel;
- the exact Gaussian kernel sum: :func:`_kernel_sum_rtol`, 4ε·(n + max u²), u = (g − x)/h
  (each term exp(−u²/2) carries a relative error of about u²·ε from its argument,
  and n of them are summed);
- R's ``density()`` grid: :func:`_grid_atol`, absolute (a relative tolerance fails at
  grid points next to 0);
- R's ``density()`` values: :func:`_r_density_atol`, pointwise from R's algorithm
  (it replaced a fixed 2e-3 of the peak, which the data used 56 % of);
- least squares (lm, plm): :func:`_lsq_rtol`, 2mε·κ₂(X)² for m observations;
- the stationary distribution: :func:`_steady_atol`, from the chain's condition number.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from nqpf.dynamics import (
    bandwidth,
    beta_convergence,
    kernel_density,
    markov_chain,
    sigma_convergence,
)

pytest.importorskip("rpy2", reason="rpy2 is not installed (pip install 'nqpf[r]')")
try:
    import rpy2.robjects as ro
    from rpy2.rlike.container import OrdDict
    from rpy2.robjects import numpy2ri
except Exception as exc:  # rpy2 is there but cannot start R
    pytest.skip(f"R cannot be started through rpy2: {exc}", allow_module_level=True)

pytestmark = pytest.mark.r

EPS = np.finfo(np.float64).eps
# Closed-form quantities computed by both sides in double precision (module docstring).
RTOL = 1e-12


def _kernel_sum_rtol(x: np.ndarray, grid: np.ndarray, h: float) -> float:
    """Relative tolerance of Σ φ((g − x)/h) / (n h) evaluated twice: 4ε·(n + max u²)."""
    u2 = ((np.asarray(grid)[:, None] - np.asarray(x)[None, :]) / h) ** 2
    return 4.0 * EPS * (np.asarray(x).size + float(u2.max()))


def _grid_atol(grid: np.ndarray, h: float) -> float:
    """Two evenly spaced grids from min(x) − 3h to max(x) + 3h, computed as lo + i·step.

    A few roundings of size ε·max|g| each, plus 3× the bandwidths' own difference
    (≤ h·RTOL, asserted beside it), which moves both ends.
    """
    return 4.0 * EPS * float(np.abs(grid).max()) + 3.0 * h * RTOL


def _r_density_atol(x: np.ndarray, grid: np.ndarray, h: float, n: int = 512) -> np.ndarray:
    """Pointwise bound on |R's density() − the exact Gaussian kernel sum| (R 4.2).

    R bins the data linearly on n points spanning [min − 7h, max + 7h] (δ apart),
    convolves by FFT with the kernel evaluated on ``seq(0, 2(up − lo), length = 2n)``,
    whose step is 2(n − 1)/(2n − 1) of δ, and interpolates linearly. So it is a
    Gaussian kernel estimate with distances scaled by s = 1 − 1/(2n − 1), i.e.
    (1/s)·f at bandwidth h/s; to first order that differs from f_h by
    mean(u²φ(u))/h / (2n − 2) (since f + h ∂f/∂h = mean(u²φ(u))/h). Linear binning and
    linear interpolation add ≤ δ²/8·|f''| each, ≤ δ²/(4h³)·mean(|u² − 1|φ(u)).
    Factor 1.5 for the second-order terms (relative size ~1/n).
    """
    x = np.asarray(x, dtype=float)
    u = (np.asarray(grid)[:, None] - x[None, :]) / h
    phi = np.exp(-0.5 * u**2) / math.sqrt(2.0 * math.pi)
    delta = (float(x.max() - x.min()) + 14.0 * h) / (n - 1)
    mismatch = np.mean(u**2 * phi, axis=1) / h / (2 * n - 2)
    binning = delta**2 / (4.0 * h**3) * np.mean(np.abs(u**2 - 1.0) * phi, axis=1)
    return 1.5 * (mismatch + binning)


def _lsq_rtol(design: np.ndarray) -> float:
    """Least squares by two algorithms (QR / normal equations / demeaning): 2mε·κ₂(X)².

    Wedin's bound for a problem with non-zero residual: the relative forward error of
    β (normwise) and of the sandwich variances is ≲ m·ε·κ₂(X)² for m observations
    (the κ² term dominates); two independent solvers: factor 2.
    """
    x = np.asarray(design, dtype=float)
    return 2.0 * x.shape[0] * EPS * float(np.linalg.cond(x)) ** 2


def _steady_atol(p: np.ndarray) -> float:
    """Stationary π of a k-state chain from two solvers: 4kε·κ₂([I − Pᵀ; 1ᵀ]).

    π solves the full-column-rank system [I − Pᵀ; 1ᵀ] π = [0; 1]; a backward-stable
    solve (ours) or eigenvector (markovchain's) has forward error ≲ k·ε·κ₂ of it.
    """
    k = p.shape[0]
    system = np.vstack([np.eye(k) - p.T, np.ones((1, k))])
    return 4.0 * k * EPS * float(np.linalg.cond(system))


def need(package: str) -> None:
    # rbridge's lookup, not rpy2's isinstalled: the latter makes R print a warning
    # about every empty library on the path
    from nqpf.rbridge import package_version

    if package_version(package) is None:
        pytest.skip(f"R package '{package}' is not installed (Debian: r-cran-{package.lower()})")


def r_eval(code: str, **values):
    """Evaluate R code with numpy <-> R conversion, after binding ``values`` in R."""
    with (ro.default_converter + numpy2ri.converter).context():
        env = ro.globalenv
        for name, val in values.items():
            env[name] = np.asarray(val)
        out = ro.r(code)
        # A named R list arrives as an ordered dict; give plain name -> array.
        if isinstance(out, OrdDict):
            return {k: np.asarray(v) for k, v in out.items()}
        return out


def _sample(seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.normal(0.2, 0.05, 20), rng.normal(0.45, 0.05, 10)])


@pytest.mark.parametrize(
    "x",
    [
        _sample(1),
        _sample(2)[:7],
        np.array([2.0, 2.0, 2.0, 2.0]),
        np.full(7, 0.1),
        np.array([1.0, 1, 1, 1, 1, 5]),
    ],
    ids=["bimodal", "small", "tied", "tied-0.1", "iqr0"],
)
def test_bandwidths_match_r(x):
    assert bandwidth(x) == pytest.approx(float(r_eval("bw.nrd0(x)", x=x)[0]), rel=RTOL)
    if np.std(x) > 0 and np.subtract(*np.quantile(x, [0.75, 0.25])) > 0:
        # bw.nrd has no fallback: R returns 0 for tied data, which we do too.
        assert bandwidth(x, "scott") == pytest.approx(float(r_eval("bw.nrd(x)", x=x)[0]), rel=RTOL)


def test_density_matches_the_exact_kernel_sum_in_r():
    x = _sample()
    df = pl.DataFrame({"v": x})
    out = kernel_density(df, "v", n=128)
    grid = out["x"].to_numpy()
    ref = r_eval(
        "h <- bw.nrd0(x); sapply(g, function(p) mean(dnorm((p - x) / h)) / h)", x=x, g=grid
    )
    rtol = _kernel_sum_rtol(x, grid, bandwidth(x))
    np.testing.assert_allclose(out["density"].to_numpy(), ref, rtol=rtol)


@pytest.mark.parametrize("bw", ["silverman", "scott", 0.03])
def test_density_matches_r_density(bw):
    x = _sample(3)
    df = pl.DataFrame({"year": [2020] * x.size, "v": x})
    out = kernel_density(df, "v", "year", bw=bw, grid="own", n=512)
    rbw = {"silverman": "'nrd0'", "scott": "'nrd'"}.get(bw, repr(bw))
    d = r_eval(
        f"d <- density(x, bw = {rbw}, kernel = 'gaussian', n = 512); cbind(d$x, d$y, d$bw)", x=x
    )
    grid, h = out["x"].to_numpy(), float(d[0, 2])
    np.testing.assert_allclose(grid, d[:, 0], rtol=0, atol=_grid_atol(grid, h))
    assert out["bandwidth"][0] == pytest.approx(h, rel=RTOL)
    dens = out["density"].to_numpy()
    np.testing.assert_array_less(np.abs(dens - d[:, 1]), _r_density_atol(x, grid, h))


def test_gini_matches_laeken():
    need("laeken")
    rng = np.random.default_rng(4)
    x = rng.lognormal(0, 0.7, 31)
    df = pl.DataFrame({"year": [1] * x.size, "v": x})
    ours = sigma_convergence(df, "v", "year")["gini"][0]
    ref = float(r_eval("laeken::gini(x)$value", x=x)[0]) / 100
    assert ours == pytest.approx(ref, rel=RTOL)


def _panel(n: int = 20, years: int = 9, seed: int = 8) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        a, lx = rng.normal(0, 0.3), rng.normal(0, 0.6)
        for t in range(years):
            z = rng.normal()
            rows.append((i + 1, 2010 + t, math.exp(lx), z))
            lx += 0.02 - 0.1 * (lx - a) + 0.01 * z + 0.03 * rng.standard_normal()
    return pl.DataFrame(rows, schema=["id", "year", "x", "z"], orient="row")


def test_cross_section_matches_lm_with_sandwich_hc1():
    need("sandwich")
    df = _panel()
    res = beta_convergence(df, "x", "id", "year", controls=["z"])
    first = df.filter(pl.col("year") == 2010).sort("id")
    last = df.filter(pl.col("year") == 2018).sort("id")
    ref = r_eval(
        "g <- (log(x1) - log(x0)) / 8; m <- lm(g ~ log(x0) + z0);"
        "cbind(coef(m), sqrt(diag(sandwich::vcovHC(m, type = 'HC1'))))",
        x0=first["x"].to_numpy(),
        x1=last["x"].to_numpy(),
        z0=first["z"].to_numpy(),
    )
    x0 = first["x"].to_numpy()
    rtol = _lsq_rtol(np.column_stack([np.ones(x0.size), np.log(x0), first["z"].to_numpy()]))
    est = res.table["estimate"].to_numpy()
    np.testing.assert_allclose(est, ref[:, 0], rtol=0, atol=rtol * np.linalg.norm(ref[:, 0]))
    np.testing.assert_allclose(res.table["se"].to_numpy(), ref[:, 1], rtol=rtol)


def _within_design(df: pl.DataFrame) -> np.ndarray:
    """[lag log x, lag z] of the annual growth pairs, after two-way dummies are partialled out.

    By Frisch–Waugh–Lovell the slopes of the two-way within estimator are the least
    squares of this design, so its κ₂ sets their conditioning (for :func:`_lsq_rtol`).
    """
    d = df.sort("id", "year").with_columns(
        lx=pl.col("x").log(), step=pl.col("year").diff().over("id")
    )
    d = d.with_columns(
        lag_lx=pl.col("lx").shift().over("id"), lag_z=pl.col("z").shift().over("id")
    ).filter(pl.col("step") == 1)
    slopes = d.select("lag_lx", "lag_z").to_numpy()
    dummies = np.column_stack(
        [d["id"].to_dummies().to_numpy(), d["year"].to_dummies().to_numpy()[:, 1:]]
    ).astype(float)
    fit, *_ = np.linalg.lstsq(dummies, slopes, rcond=None)
    return slopes - dummies @ fit


@pytest.mark.parametrize("unbalanced", [False, True])
def test_twoway_panel_matches_plm(unbalanced):
    need("plm")
    df = _panel()
    if unbalanced:
        df = df.with_row_index("i").filter(~pl.col("i").is_in([4, 30, 31, 77, 150, 179])).drop("i")
    res = beta_convergence(df, "x", "id", "year", controls=["z"], effects="twoway")
    # plm builds the growth and the lags itself from the panel index, so gaps are its own.
    ref = r_eval(
        """
        suppressPackageStartupMessages(library(plm))
        pd <- pdata.frame(data.frame(id = id, year = year, x = x, z = z), index = c("id", "year"))
        m <- plm(diff(log(x)) ~ lag(log(x)) + lag(z), data = pd, model = "within",
                 effect = "twoways")
        V <- vcovHC(m, method = "arellano", type = "HC0", cluster = "group")
        list(coef = coef(m), se0 = sqrt(diag(V)), rsq = summary(m)$r.squared[["rsq"]],
             nobs = nobs(m), n = pdim(m)$nT$n, t = pdim(m)$nT$T)
        """,
        id=df["id"].to_numpy(),
        year=df["year"].to_numpy(),
        x=df["x"].to_numpy(),
        z=df["z"].to_numpy(),
    )
    coef, se0, rsq, nobs, n_groups, n_years = ref.values()
    rtol = _lsq_rtol(_within_design(df))
    est = res.table["estimate"].to_numpy()
    np.testing.assert_allclose(est, coef, rtol=0, atol=rtol * np.linalg.norm(coef))
    # plm's HC0 sandwich has no small-sample factor; ours is G/(G−1)·(N−1)/(N−K) with
    # K = slopes + year dummies + 1 (region effects nested in the clusters).
    n, g, t = int(nobs[0]), int(n_groups[0]), int(n_years[0])
    assert res.n == n
    k = 2 + (t - 1) + 1
    factor = g / (g - 1) * (n - 1) / (n - k)
    np.testing.assert_allclose(res.table["se"].to_numpy(), se0 * math.sqrt(factor), rtol=rtol)
    # R² = 1 − RSS/TSS: RSS carries the residuals' error, relative ≲ rtol; 1 − R² ≤ 1
    assert res.r2 == pytest.approx(float(rsq[0]), rel=rtol / float(rsq[0]))


@pytest.mark.parametrize(
    ("effect", "effects"), [("twoways", "twoway"), ("individual", "region"), (None, "none")]
)
def test_plm_small_sample_convention_matches_vcovhc_sss(effect, effects):
    """``small_sample="plm"`` is plm's ``vcovHC(cluster = "group", type = "sss")`` itself,
    for the within (two-way, one-way) and the pooled model; no factor is rebuilt here."""
    need("plm")
    df = _panel(n=15, years=7, seed=21)
    res = beta_convergence(
        df, "x", "id", "year", controls=["z"], effects=effects, horizon="annual", small_sample="plm"
    )
    model = "pooling" if effect is None else "within"
    effect_arg = "" if effect is None else f', effect = "{effect}"'
    ref = r_eval(
        f"""
        suppressPackageStartupMessages(library(plm))
        pd <- pdata.frame(data.frame(id = id, year = year, x = x, z = z), index = c("id", "year"))
        m <- plm(diff(log(x)) ~ lag(log(x)) + lag(z), data = pd, model = "{model}"{effect_arg})
        V <- vcovHC(m, method = "arellano", type = "sss", cluster = "group")
        list(coef = coef(m), se = sqrt(diag(V)))
        """,
        id=df["id"].to_numpy(),
        year=df["year"].to_numpy(),
        x=df["x"].to_numpy(),
        z=df["z"].to_numpy(),
    )
    coef, se = ref.values()
    rtol = _lsq_rtol(_within_design(df))
    np.testing.assert_allclose(
        res.table["estimate"].to_numpy(), coef, rtol=0, atol=rtol * np.linalg.norm(coef)
    )
    np.testing.assert_allclose(res.table["se"].to_numpy(), se, rtol=rtol)
    if effects != "none":  # Stata's K also counts the year dummies and a constant
        stata = beta_convergence(df, "x", "id", "year", controls=["z"], effects=effects)
        assert np.all(stata.table["se"].to_numpy() > res.table["se"].to_numpy())


@pytest.mark.parametrize("classes", ["pooled", "year"])
def test_markov_matches_markovchain(classes):
    need("markovchain")
    rng = np.random.default_rng(6)
    n, years, k = 25, 10, 4
    lv = np.cumsum(rng.normal(0, 0.4, (n, years)), axis=1) + rng.normal(0, 1, (n, 1))
    df = pl.DataFrame(
        {
            "id": np.repeat(np.arange(n), years),
            "year": np.tile(np.arange(2000, 2000 + years), n),
            "v": np.exp(lv).ravel(),
        }
    )
    res = markov_chain(df, "v", "id", "year", k=k, classes=classes)
    byyear = "TRUE" if classes == "year" else "FALSE"
    ref = r_eval(
        f"""
        suppressPackageStartupMessages(library(markovchain))
        X <- matrix(v, nrow = {n}, byrow = TRUE)
        cls <- function(y) findInterval(y, quantile(y, (1:{k - 1}) / {k}, type = 7),
                                        left.open = TRUE) + 1
        S <- if ({byyear}) apply(X, 2, cls) else matrix(cls(as.vector(X)), nrow = {n})
        fit <- markovchainFit(data = matrix(as.character(S), nrow = {n}), method = "mle")
        P <- fit$estimate@transitionMatrix
        list(S = S, P = P[as.character(1:{k}), as.character(1:{k})],
             pi = steadyStates(fit$estimate))
        """,
        v=df["v"].to_numpy(),
    )
    states_r, p_r, pi_r = ref.values()
    ours = res.states.sort("id", "year")["state"].to_numpy().reshape(n, years)
    np.testing.assert_array_equal(ours, states_r)
    np.testing.assert_allclose(res.matrix(), p_r, rtol=RTOL)
    np.testing.assert_allclose(res.steady_state, pi_r.ravel(), rtol=0, atol=_steady_atol(p_r))
