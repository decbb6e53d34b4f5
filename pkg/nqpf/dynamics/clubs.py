"""Club convergence: the Phillips–Sul log-t test and club clustering.

Phillips and Sul (2007) write a (log) series as X_it = δ_it μ_t, a common trend
μ_t times an idiosyncratic loading δ_it, and test whether the loadings converge
(δ_it → δ) with the *log-t regression*. Phillips and Sul (2009) turn that test
into a clustering algorithm that finds groups of regions ("clubs") that
converge to different steady states, and a rule to merge clubs found too
finely. This module follows the R package ConvergenceClubs (Sichera and
Pizzuto 2019), ``findClubs(time_trim = 1/3, cstar = 0, HACmethod = "FQSB")``
and ``mergeClubs(mergeMethod = "PS")``, decision for decision, so that its
published results (and its clubs on any other panel) are reproduced.

Steps of :func:`club_convergence`:

1. ``log=True``: take x_it = ln y_it (Phillips and Sul work with log per-capita
   income); ``hp_lambda``: remove the business cycle of each region with the
   Hodrick–Prescott filter (:func:`hp_filter`; λ = 400 for annual data, as in
   Phillips and Sul 2009 and the package's ``filteredGDP``).
2. Relative transition paths h_it = x_it / ((1/N) Σ_j x_jt) and the
   cross-sectional variance H_t = (1/N) Σ_i (h_it − 1)².
3. The log-t regression (:func:`log_t_test`)
   log(H_1 / H_t) − 2 log(log t) = a + b log t + u_t over t = r₀+1, …, T with
   r₀ = round(T · trim); the one-sided test rejects convergence when
   t_b = b / se(b) ≤ −1.65, with the long-run variance of u from the Quadratic
   Spectral kernel and Andrews' (1991) AR(1) plug-in bandwidth.
4. Clustering (Phillips and Sul 2009, §4) and merging of adjacent clubs.

References
----------
Phillips, P. C. B. and Sul, D. (2007). Transition modeling and econometric
convergence tests. *Econometrica* 75(6), 1771–1855.

Phillips, P. C. B. and Sul, D. (2009). Economic transition and growth.
*Journal of Applied Econometrics* 24(7), 1153–1185.

Andrews, D. W. K. (1991). Heteroskedasticity and autocorrelation consistent
covariance matrix estimation. *Econometrica* 59(3), 817–858.

Hodrick, R. J. and Prescott, E. C. (1997). Postwar U.S. business cycles: an
empirical investigation. *Journal of Money, Credit and Banking* 29(1), 1–16.

Sichera, R. and Pizzuto, P. (2019). ConvergenceClubs: a package for performing
the Phillips and Sul's club convergence clustering procedure. *The R Journal*
11(2), 142–151. doi:10.32614/RJ-2019-021.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import polars as pl

from nqpf._frames import (
    check_keys,
    column_name,
    no_missing,
    numeric_values,
    output_name,
    require_columns,
    to_polars,
)
from nqpf.errors import InputError
from nqpf.options import ClubOptions, takes_options
from nqpf.results import Result

__all__ = [
    "THRESHOLD",
    "ClubResult",
    "LogTTest",
    "club_convergence",
    "hp_filter",
    "log_t_test",
]

#: One-sided 5 % critical value of the log-t test: convergence is rejected when t_b ≤ −1.65.
THRESHOLD = -1.65

#: Fewest points the trimmed log-t regression may have (two coefficients plus one residual).
MIN_LOGT_POINTS = 3


# --------------------------------------------------------------------------------------
# Hodrick–Prescott filter
# --------------------------------------------------------------------------------------


def hp_filter(y: Any, lamb: float = 400.0) -> np.ndarray:
    """Hodrick–Prescott trend of one series or of each column of a matrix.

    The trend τ minimises Σ_t (y_t − τ_t)² + λ Σ_{t=2}^{T−1} (τ_{t+1} − 2τ_t + τ_{t−1})²,
    so it solves the pentadiagonal system

        (I_T + λ DᵀD) τ = y,

    where D is the (T−2) × T second-difference matrix (rows 1, −2, 1). The system
    is solved once, sparse (SuperLU), for all columns. This is the trend of
    ``mFilter::hpfilter(y, freq = lambda, type = "lambda")`` (which solves the
    same problem in its dual form) and of statsmodels' ``hpfilter``.

    Parameters
    ----------
    y
        Array of shape (T,) or (T, k): one series per column, in time order.
    lamb
        Smoothing parameter λ > 0: 400 is Phillips and Sul's (2009) choice for
        annual data (Ravn and Uhlig 2002 suggest 6.25), 1600 for quarterly data.

    Returns
    -------
    numpy.ndarray
        The trend, of the shape of ``y``.

    References
    ----------
    Hodrick, R. J. and Prescott, E. C. (1997). Postwar U.S. business cycles.
    *Journal of Money, Credit and Banking* 29(1), 1–16.
    """
    arr = np.asarray(y, dtype=np.float64)
    if arr.ndim not in (1, 2):
        raise ValueError(f"hp_filter takes a 1-D or 2-D array, not {arr.ndim}-D")
    if lamb is None:
        raise InputError("hp_lambda=None: no filter to apply", hint="use e.g. 400 for annual data")
    lamb = ClubOptions.info("hp_lambda").check(lamb)
    n = arr.shape[0]
    if n < 3:
        raise InputError(
            f"the Hodrick–Prescott filter needs at least 3 periods, not {n}",
            hint="use a longer panel or hp_lambda=None",
        )
    from scipy import sparse  # loaded when used: import nqpf stays light
    from scipy.sparse import linalg as splinalg

    d = sparse.diags([1.0, -2.0, 1.0], [0, 1, 2], shape=(n - 2, n), format="csr")
    a = (sparse.identity(n, format="csr") + lamb * (d.T @ d)).tocsc()
    return splinalg.splu(a).solve(arr)


# --------------------------------------------------------------------------------------
# log-t regression
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogTTest(Result):
    """One log-t regression: slope ``beta``, its HAC standard error ``se`` and
    ``tvalue`` = beta / se; ``n`` units over ``periods`` regression points.
    Convergence is not rejected when ``tvalue`` > −1.65 (``converges``)."""

    beta: float
    se: float
    tvalue: float
    n: int
    periods: int

    main_table: ClassVar[str] = "test"
    title: ClassVar[str] = "Phillips–Sul log-t test"

    @property
    def converges(self) -> bool:
        return bool(self.tvalue > THRESHOLD)

    @property
    def options(self) -> dict[str, Any]:
        """No options: the test is of the series as given (the protocol's mapping)."""
        return {}

    def tables(self) -> dict[str, pl.DataFrame]:
        """``test``: one row ``beta, se, tvalue, n, periods, converges``."""
        return {
            "test": pl.DataFrame(
                {
                    "beta": [self.beta],
                    "se": [self.se],
                    "tvalue": [self.tvalue],
                    "n": [self.n],
                    "periods": [self.periods],
                    "converges": [self.converges],
                },
                schema={
                    "beta": pl.Float64,
                    "se": pl.Float64,
                    "tvalue": pl.Float64,
                    "n": pl.Int64,
                    "periods": pl.Int64,
                    "converges": pl.Boolean,
                },
            )
        }

    def summary(self) -> str:
        """One line: b, se, t, the units and points, and the verdict at 5 %."""
        verdict = "convergence not rejected" if self.converges else "convergence rejected"
        return (
            f"log-t test: b = {self.beta:.4f} (se {self.se:.4f}, t = {self.tvalue:.3f}), "
            f"n = {self.n}, {self.periods} points: {verdict} (t ≤ {THRESHOLD} rejects)"
        )


def _trim_start(n_periods: int, trim: float) -> int:
    """r₀ = round(T · trim), rounding halves to even as R's ``round`` does."""
    return round(n_periods * trim)


def _min_years(trim: float) -> int:
    """Fewest periods T for which the trimmed regression has ≥ 3 points and starts at t ≥ 2."""
    n = MIN_LOGT_POINTS
    while True:
        r0 = _trim_start(n, trim)
        if r0 >= 1 and n - r0 >= MIN_LOGT_POINTS:
            return n
        n += 1


def _transition_h(x: np.ndarray) -> np.ndarray:
    """H_t = (1/n) Σ_i (h_it − 1)² with h_it = x_it / mean_i x_it; x is (n, T)."""
    h = x / x.mean(axis=0)
    return ((h - 1.0) ** 2).mean(axis=0)


def _qs_long_run_variance(u: np.ndarray) -> float:
    """Long-run variance of the log-t residuals, ConvergenceClubs' "FQSB" rule.

    With residuals u_1 … u_n (n = number of regression points) and m = n − 1:

    - AR(1) coefficient ρ = Σ_{t=2}^{n} u_{t−1} u_t / Σ_{t=1}^{n−1} u_t²,
      Andrews' (1991) plug-in α(2) = 4ρ² / (1 − ρ)⁴ and bandwidth
      B = 1.3221 (α(2) n)^{1/5};
    - Quadratic Spectral kernel k(j) = 3/z² (sin z / z − cos z), z = 6πj / (5B);
    - ω² = (1/m) Σ_{t=1}^{n} u_t² + (2/m) Σ_{j=1}^{m−1} k(j) Σ_{t=1}^{m−j} u_t u_{t+j}.

    As in the Phillips–Sul GAUSS code that ConvergenceClubs' ``ps_andrews_hac``
    adapts, the divisor is n − 1 and the autocovariances use u_1 … u_{n−1} only.
    """
    n = u.shape[0]
    x1, x2 = u[:-1], u[1:]
    rho = float(x1 @ x2) / float(x1 @ x1)
    alpha = 4.0 * rho**2 / (1.0 - rho) ** 4
    bandwidth = 1.3221 * (alpha * n) ** 0.2
    m = n - 1
    lags = np.arange(1, m)  # j = 1 … m − 1
    with np.errstate(divide="ignore", invalid="ignore"):
        z = 1.2 * np.pi * lags / bandwidth
        kern = (np.sin(z) / z - np.cos(z)) * (3.0 / z**2)
    v = u[:m]
    if lags.size:
        acov = np.correlate(v, v, mode="full")[m : 2 * m - 1]  # Σ_t v_t v_{t+j}, j = 1 … m−1
        lagged = 2.0 * float(np.sum(acov * kern)) / m
    else:
        lagged = 0.0
    return lagged + float(u @ u) / m


def _andrews_hac_slope_variance(logt: np.ndarray, resid: np.ndarray) -> float:
    """Var(b̂) by ``sandwich::vcovHAC(lm(y ~ log t))``, ConvergenceClubs' "AQSB" rule.

    The scores are ψ_t = u_t (1, log t)ᵀ (n rows, k = 2 columns). Andrews' (1991) AR(1)
    plug-in bandwidth on the slope's score column only (``bwAndrews`` gives the
    intercept's column weight 0): ρ = the OLS slope of ψ_t on (1, ψ_{t−1}) (R's
    ``ar(..., method = "ols")``, which demeans and fits an intercept), α(2) = 4ρ²/(1 − ρ)⁴
    (the innovation variances cancel for one column), S_T = 1.3221 (α(2) n)^{1/5}; the
    Quadratic Spectral weights w_j = k_QS(j/S_T), j = 0 … n − 1, cut after the last
    |w_j| > 1e-7; the long-run covariance
    Ω = (n/(n − k)) Σ_j w_j (Γ_j + Γ_jᵀ) with Γ_0 halved, Γ_j = Σ_t ψ_t ψ_{t+j}ᵀ; and
    V = (XᵀX)⁻¹ Ω (XᵀX)⁻¹ (``adjust = TRUE``, no prewhitening: the defaults).
    """
    n = resid.shape[0]
    X = np.column_stack([np.ones(n), logt])
    psi = X * resid[:, None]
    lagged, current = psi[:-1, 1], psi[1:, 1]
    dl = lagged - lagged.mean()
    rho = float(dl @ (current - current.mean())) / float(dl @ dl)
    alpha2 = 4.0 * rho**2 / (1.0 - rho) ** 4
    bandwidth = 1.3221 * (alpha2 * n) ** 0.2
    z = 6.0 * np.pi / 5.0 * np.arange(n) / bandwidth
    with np.errstate(divide="ignore", invalid="ignore"):
        weights = 3.0 / z**2 * (np.sin(z) / z - np.cos(z))
    weights[0] = 1.0
    keep = np.flatnonzero(np.abs(weights) > 1e-7)
    weights = weights[: int(keep.max()) + 1]
    omega = 0.5 * weights[0] * (psi.T @ psi)
    for j in range(1, weights.size):
        omega += weights[j] * (psi[: n - j].T @ psi[j:])
    omega = (omega + omega.T) * (n / (n - 2))
    bread = np.linalg.inv(X.T @ X)
    return float((bread @ omega @ bread)[1, 1])


def _log_t_from_h(hvar: np.ndarray, trim: float, n_units: int, hac: str = "fqsb") -> LogTTest:
    """The log-t regression on a cross-sectional variance series H_1 … H_T, with the
    slope's standard error by ConvergenceClubs' ``HACmethod`` ``hac`` ("fqsb", "aqsb")."""
    n_periods = hvar.shape[0]
    r0 = _trim_start(n_periods, trim)
    t = np.arange(r0 + 1, n_periods + 1, dtype=np.float64)  # 1-based period index
    logt = np.log(t)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.log(hvar[0] / hvar[r0:]) - 2.0 * np.log(logt)
        # OLS of y on (1, log t), in centred form (the same fit as R's lm)
        xc = logt - logt.mean()
        sxx = float(xc @ xc)
        beta = float(xc @ (y - y.mean())) / sxx
        resid = y - y.mean() - beta * xc
        if hac == "aqsb":
            var_b = _andrews_hac_slope_variance(logt, resid)
            se = math.sqrt(var_b) if var_b >= 0 else math.nan
        else:
            lrv = _qs_long_run_variance(resid)
            # (XᵀX)⁻¹ for the slope is 1 / Σ (log t − mean)²
            se = math.sqrt(lrv / sxx) if lrv >= 0 else math.nan
        tvalue = beta / se
    return LogTTest(beta=beta, se=se, tvalue=float(tvalue), n=n_units, periods=int(n_periods - r0))


def log_t_test(x: Any, trim: float = 1 / 3) -> LogTTest:
    """Phillips–Sul log-t convergence test of a panel of (filtered, log) series.

    With x_it the series of unit i = 1…N in period t = 1…T:

        h_it = x_it / ((1/N) Σ_j x_jt),   H_t = (1/N) Σ_i (h_it − 1)²,
        log(H_1 / H_t) − 2 log(log t) = a + b log t + u_t,   t = r₀+1, …, T,

    with r₀ = round(T · trim) (halves to even, as R's ``round``) and t the
    1-based period index, exactly as ConvergenceClubs' ``estimateMod``. ``b`` is
    estimated by OLS, its standard error is sqrt(ω² / Σ_t (log t − mean log t)²)
    with ω² the Quadratic Spectral long-run variance of u (fixed Andrews
    bandwidth, ConvergenceClubs' ``HACmethod = "FQSB"``; see
    :func:`_qs_long_run_variance`). Convergence is rejected at 5 % when
    t_b = b / se(b) ≤ −1.65; b ≥ 2 indicates convergence in levels, 0 ≤ b < 2
    conditional convergence (the speed is α = b / 2).

    Parameters
    ----------
    x
        Array of shape (N, T), one unit per row, periods in time order
        (usually the HP-filtered log of income per head). All values of one
        period must share one sign.
    trim
        Share of the first periods left out of the regression (Phillips and Sul
        recommend 1/3).

    Returns
    -------
    LogTTest
        ``beta``, ``se``, ``tvalue``, ``n`` (units) and ``periods`` (regression points).

    References
    ----------
    Phillips, P. C. B. and Sul, D. (2007). *Econometrica* 75(6), 1771–1855, §3–4.
    """
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(f"log_t_test takes an (N, T) array, not a {arr.ndim}-D one")
    trim = ClubOptions.info("trim").check(trim)
    _check_trim(trim, arr.shape[1])
    try:
        return _logt(arr, np.arange(arr.shape[0]), trim)
    except _ZeroVariance as err:
        raise InputError(
            f"the cross-sectional variance H_t is 0 in period {err.period + 1}, "
            "so log(H_1/H_t) is undefined",
            hint="the units must not all be equal in a period the test uses",
        ) from None


def _check_trim(trim: float, n_years: int) -> None:
    """Refuse a trim (checked in (0, 1) by its declaration) that leaves too few years."""
    r0 = _trim_start(n_years, trim)
    points = n_years - r0
    if r0 < 1 or points < MIN_LOGT_POINTS:
        need = _min_years(trim)
        if r0 < 1 and points >= MIN_LOGT_POINTS:
            what = (
                f"trim={trim:.4g} leaves out no year of {n_years} (round({n_years}·{trim:.4g}) = 0), "
                "and log(log t) is undefined at t = 1"
            )
        else:
            what = (
                f"too few years for the log-t regression: {n_years} years leave {points} "
                f"after trimming the first {r0}, and it needs at least {MIN_LOGT_POINTS}"
            )
        raise InputError(
            what,
            hint=f"use a panel of at least {need} years with trim={trim:.4g}, or another trim",
        )


# --------------------------------------------------------------------------------------
# clustering and merging (ConvergenceClubs: findClubs, coreG, club, mergeClubs)
# --------------------------------------------------------------------------------------


class _ZeroVariance(Exception):
    """H_t = 0 in a period the log-t regression uses: log(H_1/H_t) is undefined."""

    def __init__(self, rows: np.ndarray, period: int) -> None:
        super().__init__(period)
        self.rows = rows
        self.period = period


def _logt(x: np.ndarray, rows: Any, trim: float, hac: str = "fqsb") -> LogTTest:
    """Log-t test of the rows ``rows`` of x (indices into x)."""
    idx = np.asarray(rows, dtype=np.intp)
    hvar = _transition_h(x[idx])
    r0 = _trim_start(x.shape[1], trim)
    for period in (0, *np.flatnonzero(hvar[r0:] <= 0) + r0):
        if not hvar[period] > 0:
            raise _ZeroVariance(idx, int(period))
    return _log_t_from_h(hvar, trim, idx.shape[0], hac)


def _core_group(
    x: np.ndarray, order: np.ndarray, trim: float, hac: str = "fqsb"
) -> list[int] | None:
    """Step 2: the core group among the rows ``order`` of x (sorted), or None.

    Scan adjacent pairs from the top until one passes t > −1.65; then add the
    next units one by one while the test still passes. Of the groups found, keep
    the one whose t-statistic is largest *in absolute value* (ConvergenceClubs'
    ``coreG(type = "max")`` takes ``which(abs(vt) == max(abs(vt)))``; the first
    on ties). Returns row indices of x.
    """
    nr = order.shape[0]
    start = None
    t_pair = math.nan
    for i in range(1, nr):
        t_pair = _logt(x, order[i - 1 : i + 1], trim, hac).tvalue
        if t_pair > THRESHOLD:
            start = i
            break
    if start is None:
        return None
    units = [int(order[start - 1]), int(order[start])]
    groups = [list(units)]
    tvalues = [t_pair]
    for k in range(start + 1, nr):
        units.append(int(order[k]))
        t_k = _logt(x, units, trim, hac).tvalue
        if not t_k > THRESHOLD:
            break
        groups.append(list(units))
        tvalues.append(t_k)
    return groups[int(np.argmax(np.abs(tvalues)))]


@dataclass(frozen=True)
class _Clustering:
    """The settings of one clustering run (ConvergenceClubs' ``findClubs`` arguments)."""

    trim: float
    cstar: float
    hac: str = "fqsb"
    incremental: bool = False
    increment: float = 0.1
    cap: float = 3.0


def _sieve(
    x: np.ndarray, order: np.ndarray, core: list[int], run: _Clustering
) -> tuple[np.ndarray, LogTTest, float]:
    """Step 3: add to the core each other unit u whose log-t of core ∪ {u} has t > c*.

    With ``incremental`` (ConvergenceClubs' ``cstar_method = "incremental"``): while the
    club's own test gives t ≤ −1.65, raise c* by ``increment`` and sieve again; once c*
    exceeds ``cap`` the club is the core alone. Returns (rows, the club's test, c* used).
    """
    in_core = set(core)
    others = [int(r) for r in order if int(r) not in in_core]
    # t of core ∪ {u} does not depend on c*: computed once, sieved at each c*
    t_with = [_logt(x, [*core, r], run.trim, run.hac).tvalue for r in others]
    cstar = run.cstar
    while True:
        added = [r for r, t in zip(others, t_with, strict=True) if t > cstar]
        rows = np.asarray(core + added, dtype=np.intp)
        test = _logt(x, rows, run.trim, run.hac)
        if test.tvalue > THRESHOLD or not run.incremental:
            return rows, test, cstar
        if cstar <= run.cap:
            cstar += run.increment
        else:
            # ConvergenceClubs keeps the test of the last candidate club here; nqpf
            # reports the test of the club it returns, the core (docs/methods.md §4.4)
            rows = np.asarray(core, dtype=np.intp)
            return rows, _logt(x, rows, run.trim, run.hac), cstar


def _find_clubs(
    x: np.ndarray, run: _Clustering
) -> tuple[list[tuple[np.ndarray, LogTTest, float]], np.ndarray, LogTTest]:
    """Phillips–Sul clustering as ConvergenceClubs' ``findClubs``.

    Returns the clubs (row indices of x, in the order the algorithm added
    them, the club's log-t test and the c* that formed it), the divergent rows and
    the log-t test of the whole panel.
    """
    # Step 1: sort by the last period, decreasing; ties keep input order (R's order()).
    remaining = np.argsort(-x[:, -1], kind="stable")
    clubs: list[tuple[np.ndarray, LogTTest, float]] = []
    divergent = np.empty(0, dtype=np.intp)
    overall: LogTTest | None = None
    while remaining.size:
        if remaining.size == 1:
            divergent = remaining
            break
        test_all = _logt(x, remaining, run.trim, run.hac)
        if overall is None:
            overall = test_all
        if test_all.tvalue > THRESHOLD:  # the rest converge together
            clubs.append((remaining, test_all, run.cstar))
            break
        core = _core_group(x, remaining, run.trim, run.hac)
        if core is None:  # no pair converges: all the rest diverge
            divergent = remaining
            break
        rows, test, cstar = _sieve(x, remaining, core, run)
        clubs.append((rows, test, cstar))
        remaining = remaining[~np.isin(remaining, rows)]
    assert overall is not None
    return clubs, divergent, overall


def _merge_clubs(
    x: np.ndarray,
    clubs: list[tuple[np.ndarray, LogTTest, float]],
    trim: float,
    hac: str = "fqsb",
    method: str = "ps",
) -> list[tuple[np.ndarray, list[int], LogTTest]]:
    """Merging of adjacent clubs, as ``mergeClubs(mergeMethod = "PS" | "vLT")``.

    ``"ps"`` (Phillips and Sul 2009): starting from club i, add the next clubs i+1,
    i+2, … one at a time while the log-t test of the accumulated group still gives
    t > −1.65; the first club that fails starts the next merged club.
    ``"vlt"`` (von Lyncker and Thoennessen 2017): club k joins only if, besides, the
    accumulated group's t exceeds the t of the pair (club k, club k+1) — club k then
    converges better with the clubs above it than with the one below; otherwise club k
    starts the next merged club. The last club is tested as under "ps". As in
    ConvergenceClubs, the pair's t uses the fixed-bandwidth rule ("fqsb") whatever
    ``hac`` is. Returns (rows, indices of the merged clubs, test) per merged club.
    """
    n_clubs = len(clubs)
    if n_clubs < 2:
        return [(rows, [i], test) for i, (rows, test, _) in enumerate(clubs)]
    merged: list[tuple[np.ndarray, list[int], LogTTest]] = []
    i = 0
    while i < n_clubs - 1:
        units = clubs[i][0]
        names = [i]
        append_last = False
        k = i
        for k in range(i + 1, n_clubs):
            candidate = np.concatenate([units, clubs[k][0]])
            t_group = _logt(x, candidate, trim, hac).tvalue
            if not t_group > THRESHOLD:
                append_last = k == n_clubs - 1
                break
            if method == "vlt" and k < n_clubs - 1:
                pair = np.concatenate([clubs[k][0], clubs[k + 1][0]])
                if not t_group > _logt(x, pair, trim, "fqsb").tvalue:
                    break
            units = candidate
            names.append(k)
        i = k
        merged.append((units, names, _logt(x, units, trim, hac)))
        if append_last:
            merged.append((clubs[-1][0], [n_clubs - 1], clubs[-1][1]))
    return merged


def _merge_divergent(
    x: np.ndarray,
    merged: list[tuple[np.ndarray, list[int], LogTTest]],
    divergent: np.ndarray,
    trim: float,
    hac: str,
    estar: float,
) -> tuple[list[tuple[np.ndarray, list[int], LogTTest]], np.ndarray, list[tuple[int, int]]]:
    """Divergent regions join clubs, as ConvergenceClubs' ``mergeDivergent``.

    Repeat: compute t of (club c ∪ {d}) for every club c and divergent region d; if the
    largest exceeds e* (``estar``, default −1.65), d joins c (the first maximum in
    column-major order, as R's ``which(arr.ind = TRUE)``) and the scan restarts; stop
    when no pair exceeds e*. Returns the clubs, the regions still divergent, and the
    (region row, club index) joins in order.
    """
    clubs = list(merged)
    rest = divergent.copy()
    joins: list[tuple[int, int]] = []
    while rest.size and clubs:
        t = np.array([[_logt(x, [*c[0], int(d)], trim, hac).tvalue for d in rest] for c in clubs])
        if not np.nanmax(t) > estar:
            break
        # column-major first maximum: the divergent region first, then the club
        col, row = divmod(int(np.flatnonzero(t.T.ravel() == np.nanmax(t))[0]), len(clubs))
        rows = np.concatenate([clubs[row][0], rest[col : col + 1]])
        clubs[row] = (rows, clubs[row][1], _logt(x, rows, trim, hac))
        joins.append((int(rest[col]), row))
        rest = np.delete(rest, col)
    return clubs, rest, joins


# --------------------------------------------------------------------------------------
# public entry point
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClubResult(Result):
    """Result of :func:`club_convergence`.

    Attributes
    ----------
    clubs
        polars frame (<region>, club): every region with its club, ``"club1"``,
        ``"club2"``, … in the order found (club 1 has the highest last-period
        values), or ``"divergent"``. Rows are ordered by club, then by the
        last-period value of the series, decreasing.
    tests
        polars frame (club, n, beta, se, tvalue): the log-t test of each club; with
        ``cstar_method="incremental"`` also ``cstar``, the c* that formed the club.
    merged
        Like ``clubs``, after Phillips–Sul (2009) merging of adjacent clubs
        (``None`` when ``merge=False``).
    merged_tests
        polars frame (club, merged_from, n, beta, se, tvalue), e.g.
        ``merged_from = "club4+club5"`` (``None`` when ``merge=False``).
    overall
        polars frame with one row (club = "all", n, beta, se, tvalue): the log-t
        test of the whole panel; clustering starts only when it rejects convergence.
    series
        polars frame (<region>, <year>, <value>): the series tested (after the
        log and the HP filter when asked for).
    log, hp_lambda, trim, cstar
        The settings used.
    options
        The options of the call (:class:`nqpf.options.ClubOptions`, merge included).

    The results protocol (:mod:`nqpf.results`): :meth:`tables` names the frames above,
    :meth:`summary` is the text of clubs and tests (also ``str()``).
    """

    clubs: pl.DataFrame
    tests: pl.DataFrame
    merged: pl.DataFrame | None
    merged_tests: pl.DataFrame | None
    overall: pl.DataFrame
    series: pl.DataFrame
    log: bool
    hp_lambda: float | None
    trim: float
    cstar: float
    region: str = field(default="region", repr=False)
    #: Name of the club column of :attr:`clubs`/:attr:`merged`: ``club``, or
    #: ``nqpf_club`` when the region column is called ``club``.
    club_column: str = field(default="club", repr=False)
    #: The options of the call (:class:`nqpf.options.ClubOptions`).
    options: ClubOptions = field(default_factory=ClubOptions, repr=False)
    #: (<region>, club): the divergent regions that joined a merged club, in the order
    #: they joined (``merge_divergent=True``; None otherwise).
    joined: pl.DataFrame | None = field(default=None, repr=False)

    main_table: ClassVar[str] = "clubs"
    title: ClassVar[str] = "Phillips–Sul club convergence"

    def tables(self) -> dict[str, pl.DataFrame]:
        """``clubs``, ``tests``, ``merged`` and ``merged_tests`` (with merging),
        ``overall`` and ``series``."""
        out = {"clubs": self.clubs, "tests": self.tests}
        if self.merged is not None and self.merged_tests is not None:
            out |= {"merged": self.merged, "merged_tests": self.merged_tests}
        if self.joined is not None:
            out["joined"] = self.joined
        return out | {"overall": self.overall, "series": self.series}

    @property
    def n_clubs(self) -> int:
        """Number of clubs found before merging (``"divergent"`` is not a club)."""
        return self.tests.height

    @property
    def divergent(self) -> list[Any]:
        """Regions that belong to no club."""
        return (
            self.clubs.filter(pl.col(self.club_column) == "divergent")
            .get_column(self.region)
            .to_list()
        )

    def summary(self) -> str:
        """A short text table of clubs, sizes and tests (like ConvergenceClubs' ``summary``)."""
        lines = [
            f"Phillips–Sul club convergence (trim={self.trim:g}, c*={self.cstar:g}, "
            f"log={self.log}, hp_lambda={self.hp_lambda})",
            f"whole panel: n={self.overall['n'][0]}, beta={self.overall['beta'][0]:.4f}, "
            f"t={self.overall['tvalue'][0]:.3f}",
        ]
        tables = [("clubs", self.tests)]
        if self.merged_tests is not None:
            tables.append(("merged clubs", self.merged_tests))
        for title, tab in tables:
            lines.append(f"{title}: {tab.height}; divergent regions: {len(self.divergent)}")
            for row in tab.iter_rows(named=True):
                extra = f" ({row['merged_from']})" if "merged_from" in row else ""
                lines.append(
                    f"  {row['club']}{extra}: n={row['n']}, beta={row['beta']:.4f}, "
                    f"se={row['se']:.4f}, t={row['tvalue']:.3f}"
                )
        return "\n".join(lines)


def _first(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def _panel_matrix(
    df: pl.DataFrame, value: str, region: str, year: str, log: bool
) -> tuple[np.ndarray, list[Any], list[Any]]:
    """Validate a long region-year frame and return (N × T values, regions, years)."""
    for col, role in ((region, "region"), (year, "year"), (value, "value")):
        column_name(role, col)
        require_columns(df, [col], role=role)
    require_columns(df, [region, year, value])  # one column for two roles is refused
    if df.height == 0:
        raise InputError("the frame has no rows", hint="pass one row per region-year")
    no_missing(df, [region, year])
    regions_col = df.get_column(region)
    years_col = df.get_column(year)
    vals = numeric_values(
        df,
        value,
        positive=log,
        why="its logarithm is taken (log=False for a series already in logs)" if log else "",
        describe=lambda i: f"region {regions_col[i]!r} in year {years_col[i]!r}",
    )
    check_keys(df, [region, year])

    regions = regions_col.unique(maintain_order=True).to_list()
    years = years_col.unique().sort().to_list()
    n, t = len(regions), len(years)
    if n < 2:
        raise InputError(
            f"club convergence needs at least 2 regions, the frame has {n}",
            column=region,
            hint="pass the whole panel, one row per region-year",
        )
    ri = regions_col.replace_strict(regions, list(range(n)), return_dtype=pl.Int64).to_numpy()
    yi = years_col.replace_strict(years, list(range(t)), return_dtype=pl.Int64).to_numpy()
    counts = np.bincount(ri, minlength=n)
    if (counts < t).any():
        r = int(np.flatnonzero(counts < t)[0])
        have = set(years_col.filter(regions_col == regions[r]).to_list())
        lacking = [y for y in years if y not in have]
        shown = ", ".join(str(y) for y in lacking[:5]) + (", …" if len(lacking) > 5 else "")
        raise InputError(
            f"region {regions[r]!r} has no row for year {shown} "
            f"({len(lacking)} of {t} years missing)",
            column=year,
            hint="the log-t test needs a balanced panel: add the years "
            "(e.g. interpolated) or drop the region",
        )
    mat = np.empty((n, t), dtype=np.float64)
    mat[ri, yi] = vals
    return mat, regions, years


@takes_options(
    ClubOptions,
    order=("frame", "value", "region", "year", "log", "hp_lambda", "trim", "cstar", "merge"),
)
def club_convergence(
    frame: Any, value: str, region: str, year: str, *, options: ClubOptions
) -> ClubResult:
    """Phillips–Sul (2007, 2009) convergence clubs of a region × year panel.

    Reproduces ConvergenceClubs' ``findClubs(X, time_trim = trim, cstar = cstar,
    HACmethod = "FQSB")`` and ``mergeClubs(clubs, mergeMethod = "PS")`` (and their
    variants, see ``merge_method`` … ``cstar_cap`` below) on the
    series x_it = HP_λ(ln y_it) (the package's ``filteredGDP`` is
    ``mFilter::hpfilter(log(GDP), 400)``).

    Algorithm (Phillips and Sul 2009, §4; ConvergenceClubs' choices in brackets):

    0. Log-t test of the whole panel (:func:`log_t_test`): if t_b > −1.65 all
       regions form one club.
    1. Sort regions by the last-period value x_iT, decreasing [ties keep input order].
    2. Core group: find the first adjacent pair (k, k+1) in this order whose
       log-t test gives t > −1.65 [if none, all remaining regions diverge];
       add the following regions one at a time while t > −1.65; the core is the
       group k* = argmax |t_k| among those [ConvergenceClubs takes the absolute
       value].
    3. Sieve: every region u outside the core joins the club when the log-t
       test of core ∪ {u} gives t > c* [c* is kept fixed; the club is kept even
       when its own test gives t ≤ −1.65].
    4. Recursion: apply 0–3 to the regions left; a single region left is
       divergent.
    5. Merging (``merge=True``, Phillips and Sul 2009): test club 1 ∪ club 2; if
       t > −1.65, add club 3 and test again, and so on; the first club that
       breaks convergence starts the next merged club.

    Parameters
    ----------
    frame
        polars (or pandas) frame, one row per region-year, balanced (every
        region in every year). Years are taken in sorted order as equally
        spaced periods t = 1, …, T.
    value
        Column to test (e.g. GDP per head or the index score).
    region, year
        Column names of the region and the year; outputs use these names.
    log
        Take natural logs of ``value`` first (the values must be > 0).
    hp_lambda
        Smoothing parameter of the Hodrick–Prescott filter applied to each
        region's (log) series; ``None`` skips the filter (``log=False,
        hp_lambda=None`` tests the series exactly as given).
    trim
        Share of the first periods left out of each log-t regression:
        r₀ = round(T · trim) (halves to even), regression over t = r₀+1 … T.
    cstar
        Sieve threshold c* of step 3 (Phillips and Sul use 0; a larger c* makes
        clubs stricter and more numerous, which merging then corrects).
    merge
        Also merge adjacent clubs (Phillips and Sul 2009).
    merge_method, merge_divergent, estar, hac, cstar_method, cstar_increment, cstar_cap
        The variants of ConvergenceClubs (keywords; :class:`~nqpf.options.ClubOptions`,
        docs/methods.md §4.4): ``merge_method="vlt"`` merges by von Lyncker and
        Thoennessen (2017); ``merge_divergent=True`` lets divergent regions join the club
        they converge with best while t > e* (``mergeDivergent``); ``hac="aqsb"`` takes
        the slope's standard error from ``sandwich::vcovHAC`` (Andrews' automatic
        bandwidth); ``cstar_method="incremental"`` raises c* by ``cstar_increment`` while
        a club's own test rejects convergence, up to ``cstar_cap``.

    Returns
    -------
    ClubResult
        ``.clubs`` (<region>, club), ``.tests`` (club, n, beta, se, tvalue),
        ``.merged`` and ``.merged_tests`` after merging, ``.overall`` (the
        whole-panel test) and ``.series`` (the series tested).

    Raises
    ------
    InputError
        Missing columns, missing, non-numeric or non-finite values, duplicate
        or missing region-years, non-positive values with ``log=True``, fewer
        than 2 regions, too few years for the trimmed regression, a year in
        which the tested series changes sign across regions (h_it would be
        meaningless), or a group the algorithm tests whose regions all have the
        same value in a year the regression uses (H_t = 0; R's ``lm`` stops
        there too).

    Notes
    -----
    With ``log=True`` and values below 1 (index scores in (0, 1)) the logs are
    negative; h_it = x_it / mean x_t is still well defined as long as all
    regions share the sign in each year, which is checked.

    References
    ----------
    Phillips, P. C. B. and Sul, D. (2007). *Econometrica* 75(6), 1771–1855.
    Phillips, P. C. B. and Sul, D. (2009). *Journal of Applied Econometrics* 24(7), 1153–1185.
    Sichera, R. and Pizzuto, P. (2019). *The R Journal* 11(2), 142–151.
    """
    df = to_polars(frame)
    log, hp_lambda, trim, cstar = options.log, options.hp_lambda, options.trim, options.cstar
    mat, regions, years = _panel_matrix(df, value, region, year, bool(log))
    _check_trim(trim, len(years))
    x = np.log(mat) if log else mat
    if hp_lambda is not None:
        x = hp_filter(x.T, float(hp_lambda)).T
    _check_series(x, regions, years)

    region_dtype = df.get_column(region).dtype
    found = _clustered(x, options, regions, years, value)
    last = x[:, -1]
    # the region column keeps its name; the club column steps aside from it
    club_col = output_name("club", [region])
    empty = pl.Series(region, dtype=region_dtype)

    club_labels = [f"club{j}" for j in range(1, len(found.clubs) + 1)]
    clubs_df = _membership(
        [c[0] for c in found.clubs], found.divergent, last, regions, empty, club_col
    )
    tests_df = _test_frame(club_labels, [c[1] for c in found.clubs])
    if options.cstar_method == "incremental":  # the c* that formed each club
        tests_df = tests_df.with_columns(pl.Series("cstar", [c[2] for c in found.clubs]))
    merged_df = merged_tests_df = joined_df = None
    if found.merged is not None:
        merged = found.merged
        merged_df = _membership(
            [m[0] for m in merged], found.merged_divergent, last, regions, empty, club_col
        )
        merged_tests_df = _test_frame(
            [f"club{j}" for j in range(1, len(merged) + 1)],
            [m[2] for m in merged],
            ["+".join(club_labels[i] for i in m[1]) for m in merged],
        )
    if options.merge_divergent:
        joined_df = pl.DataFrame(
            [
                pl.Series(region, [regions[r] for r, _ in found.joins], dtype=region_dtype),
                pl.Series(club_col, [f"club{c + 1}" for _, c in found.joins], dtype=pl.String),
            ]
        )
    series_df = pl.DataFrame(
        [
            pl.Series(region, [r for r in regions for _ in years], dtype=region_dtype),
            pl.Series(year, years * len(regions), dtype=df.get_column(year).dtype),
            pl.Series(value, x.ravel(), dtype=pl.Float64),
        ]
    )
    return ClubResult(
        clubs=clubs_df,
        tests=tests_df,
        merged=merged_df,
        merged_tests=merged_tests_df,
        overall=_test_frame(["all"], [found.overall]),
        series=series_df,
        log=bool(log),
        hp_lambda=None if hp_lambda is None else float(hp_lambda),
        trim=float(trim),
        cstar=float(cstar),
        region=region,
        club_column=club_col,
        options=options,
        joined=joined_df,
    )


@dataclass
class _Clusters:
    """What :func:`_clustered` found: the clubs (rows, test, c*), the divergent rows, the
    whole-panel test, the merged clubs (rows, clubs merged, test) or None, the rows still
    divergent after merging and the divergent regions' joins (row, merged club index)."""

    clubs: list[tuple[np.ndarray, LogTTest, float]]
    divergent: np.ndarray
    overall: LogTTest
    merged: list[tuple[np.ndarray, list[int], LogTTest]] | None
    merged_divergent: np.ndarray
    joins: list[tuple[int, int]]


def _clustered(
    x: np.ndarray, options: ClubOptions, regions: list[Any], years: list[Any], value: str
) -> _Clusters:
    """Clustering, merging and the divergent regions' merging as ``options`` say;
    a group with H_t = 0 is one InputError naming its regions and the year."""
    run = _Clustering(
        trim=float(options.trim),
        cstar=float(options.cstar),
        hac=options.hac,
        incremental=options.cstar_method == "incremental",
        increment=float(options.cstar_increment),
        cap=float(options.cstar_cap),
    )
    try:
        clubs, divergent, overall = _find_clubs(x, run)
        merged = None
        if options.merge:
            merged = _merge_clubs(x, clubs, run.trim, run.hac, options.merge_method)
        rest, joins = divergent, []
        if options.merge_divergent:
            start = merged
            if start is None:  # mergeDivergent on the clubs as found
                start = [(c[0], [i], c[1]) for i, c in enumerate(clubs)]
            merged, rest, joins = _merge_divergent(
                x, start, divergent, run.trim, run.hac, float(options.estar)
            )
    except _ZeroVariance as err:
        # Only a group of equal series can have H_t = 0; R's lm() stops on it too.
        names = ", ".join(repr(regions[r]) for r in err.rows[:6])
        more = ", …" if err.rows.size > 6 else ""
        raise InputError(
            f"regions {names}{more} have equal values in year {years[err.period]!r}, so their "
            "cross-sectional variance H_t is 0 and the log-t regression log(H_1/H_t) is undefined",
            column=value,
            hint="drop a duplicated region, do not normalise all regions to a common base "
            "year, or use the HP filter (hp_lambda)",
        ) from None
    return _Clusters(clubs, divergent, overall, merged, rest, joins)


def _membership(
    groups: list[np.ndarray],
    divergent: np.ndarray,
    last: np.ndarray,
    regions: list[Any],
    column: pl.Series,
    club_col: str,
) -> pl.DataFrame:
    """(<region>, club): each group's rows by decreasing last value, then the divergent;
    ``regions`` names each row of x, ``column`` is an empty region column (name, dtype)."""
    names, rows = [], []
    for j, g in enumerate(groups, start=1):
        g_sorted = g[np.argsort(-last[g], kind="stable")]
        rows.extend(g_sorted.tolist())
        names.extend([f"club{j}"] * g.size)
    if divergent.size:
        d_sorted = divergent[np.argsort(-last[divergent], kind="stable")]
        rows.extend(d_sorted.tolist())
        names.extend(["divergent"] * divergent.size)
    reg = pl.Series(column.name, [regions[r] for r in rows], dtype=column.dtype)
    return pl.DataFrame([reg, pl.Series(club_col, names, dtype=pl.String)])


def _test_frame(
    labels: list[str], tests: list[LogTTest], extra: list[str] | None = None
) -> pl.DataFrame:
    """(club, [merged_from], n, beta, se, tvalue), one row per log-t test."""
    cols: dict[str, Any] = {"club": pl.Series(labels, dtype=pl.String)}
    if extra is not None:
        cols["merged_from"] = pl.Series(extra, dtype=pl.String)
    cols["n"] = pl.Series([t.n for t in tests], dtype=pl.Int64)
    cols["beta"] = pl.Series([t.beta for t in tests], dtype=pl.Float64)
    cols["se"] = pl.Series([t.se for t in tests], dtype=pl.Float64)
    cols["tvalue"] = pl.Series([t.tvalue for t in tests], dtype=pl.Float64)
    return pl.DataFrame(cols)


def _check_series(x: np.ndarray, regions: list[Any], years: list[Any]) -> None:
    """Refuse a series for which h_it = x_it / mean x_t is undefined or meaningless."""
    with np.errstate(over="ignore", invalid="ignore"):
        means = x.mean(axis=0)
    if not np.all(np.isfinite(x)) or not np.all(np.isfinite(means)):
        raise InputError(
            "the tested series overflows double precision (values near ±1e308)",
            hint="rescale the variable (e.g. divide by 1e6), or pass log=True",
        )
    for t in range(x.shape[1]):
        col = x[:, t]
        if (col > 0).all() or (col < 0).all():
            continue
        pos, neg = int(np.argmax(col)), int(np.argmin(col))
        raise InputError(
            f"the tested series is not of one sign across regions in year {years[t]!r} "
            f"({regions[pos]!r}: {col[pos]:.4g}, {regions[neg]!r}: {col[neg]:.4g}), so the "
            "relative transition paths h = x / mean(x) are undefined",
            hint="rescale the variable so that its logs share one sign (e.g. multiply by 100), "
            "or pass log=True for a positive variable",
        )
