"""β-convergence: do regions that start lower grow faster?

Two designs are offered, as in the literature:

- the *cross-section* (Barro & Sala-i-Martin 1992): average annual growth over the
  whole period regressed on the initial log level, one row per region;
- the *annual panel*: growth from one year to the next regressed on the log level
  of the first year, pooled or with region and/or year fixed effects
  (conditional β in the sense of Islam 1995 when fixed effects or controls are in).

β < 0 is convergence. The implied speed and half-life are reported, with robust
standard errors: HC1 for the cross-section, clustered by region for the panel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, get_args

import numpy as np
import polars as pl

from nqpf._frames import (
    check_choice,
    check_keys,
    check_real,
    column_name,
    grouped,
    numeric_values,
    numeric_years,
    require_columns,
    to_polars,
)
from nqpf.errors import InputError
from nqpf.options import SmallSample
from nqpf.results import Result

__all__ = ["BetaResult", "beta_convergence", "convergence_speed"]

#: The small-sample conventions of the clustered SE, as declared in nqpf.options.
SMALL_SAMPLE: tuple[str, ...] = get_args(SmallSample)

# A pivot of the QR factor this small, relative to the largest, marks a regressor that
# is a linear combination of the others (e.g. a control that never changes within a region).
_RANK_TOL = 1e-10


@dataclass(frozen=True, slots=True)
class BetaResult(Result):
    """Result of :func:`beta_convergence`.

    Attributes
    ----------
    beta, se, t, p
        The coefficient on the (initial or lagged) log level, its robust standard
        error, t statistic and two-sided p-value.
    speed
        Convergence speed θ = −ln(1 + β τ)/τ per year (NaN when 1 + β τ ≤ 0).
    half_life
        ln 2 / θ years, the time to close half the gap to the steady state; NaN when
        θ ≤ 0 (no convergence, so no half-life).
    n, n_regions
        Observations used (regions for the cross-section, region-year pairs for the
        panel) and regions.
    tau
        Years spanned by one growth observation: T − t₀ for the cross-section, the
        step of the year grid (1 for yearly data) for the panel.
    r2
        R² of the estimated equation; within R² (after removing the fixed effects)
        when ``effects`` is not ``"none"``.
    effects, horizon, se_type
        The design: ``"none"``/``"region"``/``"twoway"``, ``"period"``/``"annual"``,
        ``"HC1"`` or ``"cluster"`` (by region).
    table
        polars frame of all estimated coefficients: ``term``, ``estimate``, ``se``,
        ``t``, ``p`` (fixed effects are absorbed, not listed).
    options
        The call's options as a plain dict: ``controls``, ``effects``, ``horizon``,
        ``start``, ``end``, ``controls_at``.
    """

    beta: float
    se: float
    t: float
    p: float
    speed: float
    half_life: float
    n: int
    n_regions: int
    tau: float
    r2: float
    effects: str
    horizon: str
    se_type: str
    table: pl.DataFrame
    options: Mapping[str, Any] = field(default_factory=dict)

    main_table: ClassVar[str] = "beta"
    title: ClassVar[str] = "β-convergence"

    def tables(self) -> dict[str, pl.DataFrame]:
        """``beta`` (:meth:`to_frame`, one row) and ``coefficients`` (:attr:`table`)."""
        return {"beta": self.to_frame(), "coefficients": self.table}

    def to_frame(self) -> pl.DataFrame:
        """One-row polars summary (beta, se, t, p, speed, half_life, n, …)."""
        names = ("beta", "se", "t", "p", "speed", "half_life", "n", "n_regions", "tau", "r2")
        names += ("effects", "horizon", "se_type")
        return pl.DataFrame({k: [getattr(self, k)] for k in names})

    def summary(self) -> str:
        """One line: β, its inference, the speed and the half-life."""
        kind = "cross-section" if self.horizon == "period" else f"panel, effects={self.effects}"
        return (
            f"β-convergence ({kind}, {self.se_type} SE): β = {self.beta:.6g} "
            f"(se {self.se:.4g}, t {self.t:.3f}, p {self.p:.4g}), speed {self.speed:.4g}/yr, "
            f"half-life {self.half_life:.4g} yr, n = {self.n}, regions = {self.n_regions}"
        )


def beta_convergence(
    frame: Any,
    value: str,
    region: str,
    year: str,
    controls: Sequence[str] | None = None,
    effects: Literal["none", "region", "twoway"] = "none",
    horizon: Literal["period", "annual"] | None = None,
    *,
    start: float | None = None,
    end: float | None = None,
    controls_at: Literal["initial", "mean"] = "initial",
    small_sample: SmallSample = "stata",
) -> BetaResult:
    """Absolute or conditional β-convergence regression with robust standard errors.

    **Cross-section** (``effects="none"``, ``horizon=None`` or ``"period"``): one row per
    region,

        (ln x_{i,T} − ln x_{i,t₀}) / τ = α + β ln x_{i,t₀} + γ′ z_i + ε_i,  τ = T − t₀,

    with HC1 standard errors (White's, scaled by N/(N − K)) and t(N − K) p-values.
    The speed solves β = −(1 − e^{−θτ})/τ (Barro & Sala-i-Martin 1992):
    θ = −ln(1 + βτ)/τ.

    **Annual panel** (``horizon="annual"``, the only design with fixed effects):

        ln(x_{i,t+1} / x_{i,t}) = β ln x_{i,t} + γ′ z_{i,t} + μ_i + λ_t + ε_{i,t}

    with μ_i (``effects="region"`` or ``"twoway"``) and λ_t (``"twoway"``) absorbed
    (within-region demeaning plus year dummies, which is exact for unbalanced
    panels by Frisch–Waugh–Lovell; the same estimate as ``plm(..., model="within",
    effect="twoways")``), or a common intercept (``"none"``: pooled OLS). Standard
    errors are clustered by region with the small-sample factor
    G/(G − 1) · (N − 1)/(N − K), where K counts the slopes, the year dummies and one
    constant but not the region effects, which are nested in the clusters (Stata's
    ``xtreg, fe vce(cluster)`` convention, ``small_sample="stata"``); p-values from
    t(G − 1). θ = −ln(1 + β) for yearly data (τ = 1). ``small_sample="plm"`` counts in K
    only the columns left after the within transformation, as
    ``plm::vcovHC(..., cluster = "group", type = "sss")`` does: the slopes under region or
    two-way effects (the year dummies are swept out by plm's two-way transformation), the
    slopes and the constant in the pooled model — so the two conventions differ only when
    there are fixed effects (docs/methods.md §4.2).

    Parameters
    ----------
    frame
        A polars (or pandas) frame, one row per region-year.
    value
        The variable (must be > 0: logs are taken).
    region, year
        Region and (numeric) year columns.
    controls
        Columns of ``frame`` to add as regressors (conditional β). In the cross-section
        they are taken at the initial year (``controls_at="initial"``) or averaged over
        the period (``"mean"``); in the panel they enter at year t.
    effects
        ``"none"``, ``"region"`` (region fixed effects) or ``"twoway"`` (region and year).
    horizon
        ``"period"``: the long-difference cross-section over [start, end];
        ``"annual"``: the panel of consecutive-year growth. Default: ``"period"`` when
        ``effects="none"``, else ``"annual"``. The panel needs an equally spaced year
        grid; a region missing a year loses the two growth observations that touch it
        (pairs are only formed between consecutive years of the grid).
    small_sample
        ``"stata"`` (default) or ``"plm"``: which K enters the cluster small-sample factor
        G/(G − 1) · (N − 1)/(N − K) of the annual panel (see above). The cross-section's
        HC1 factor N/(N − K) is the same under both.
    start, end
        First and last year of the cross-section (default: the panel's first and last).
        Every region must be observed in both.

    Returns
    -------
    BetaResult
        ``beta``, ``se``, ``t``, ``p``, ``speed``, ``half_life``, ``n``, ``.table`` and more.

    Raises
    ------
    InputError
        Values ≤ 0 (the row and column are named), fewer than 2 years, a region
        missing the first or last year (cross-section), unequally spaced years
        (panel), a control collinear with the fixed effects, too few observations.

    References
    ----------
    Barro, R. J., Sala-i-Martin, X. (1992). Convergence. *Journal of Political Economy*
    100, 223–251.
    Islam, N. (1995). Growth empirics: a panel data approach. *Quarterly Journal of
    Economics* 110, 1127–1170.
    Cameron, A. C., Miller, D. L. (2015). A practitioner's guide to cluster-robust
    inference. *Journal of Human Resources* 50, 317–372.
    """
    df = to_polars(frame)
    controls, horizon = _check_beta_call(
        df, value, region, year, controls, effects, horizon, start, end, controls_at
    )
    check_choice("small_sample", small_sample, SMALL_SAMPLE)
    work, years, cnames = _work_frame(df, value, region, year, controls)
    if horizon == "period":
        y, X, groups, tau = _cross_section(
            work, cnames, years, region, year, start, end, controls_at
        )
        absorbed = None
    else:
        y, X, groups, tau, absorbed = _annual(work, cnames, years, year, effects)
    overflow = InputError(
        "the growth regression overflows double precision (values or years too large)",
        column=value,
        hint="rescale the controls or the years (e.g. divide by 1e6)",
    )
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(X)) and np.isfinite(tau)):
        raise overflow
    terms = ([] if effects != "none" else ["const"]) + [f"ln_{value}", *controls]
    fit = _estimate(y, X, absorbed, groups, terms, horizon, effects, overflow, small_sample)
    coef, se, tstat, pval, r2, se_type = fit
    n_slopes = len(terms)
    i = terms.index(f"ln_{value}")
    b = float(coef[i])
    speed, half = convergence_speed(b, tau)
    table = pl.DataFrame(
        {
            "term": terms,
            "estimate": coef[:n_slopes],
            "se": se[:n_slopes],
            "t": tstat[:n_slopes],
            "p": pval[:n_slopes],
        }
    )
    return BetaResult(
        beta=b,
        se=float(se[i]),
        t=float(tstat[i]),
        p=float(pval[i]),
        speed=float(speed),
        half_life=float(half),
        n=int(y.size),
        n_regions=int(np.unique(groups).size),
        tau=float(tau),
        r2=float(r2),
        effects=effects,
        horizon=horizon,
        se_type=se_type,
        table=table,
        options={
            "controls": list(controls),
            "effects": effects,
            "horizon": horizon,
            "start": start,
            "end": end,
            "controls_at": controls_at,
            "small_sample": small_sample,
        },
    )


def convergence_speed(beta: float, tau: float) -> tuple[float, float]:
    """(speed, half-life) implied by a growth-regression β over steps of τ years.

    θ = −ln(1 + βτ)/τ (Barro & Sala-i-Martin 1992; NaN when 1 + βτ ≤ 0) and the
    half-life ln 2/θ (NaN when θ ≤ 0: no convergence, so no half-life). The one rule
    behind :func:`beta_convergence` and :func:`nqpf.spatial.spatial_beta_convergence`.
    """
    speed = -np.log1p(beta * tau) / tau if 1 + beta * tau > 0 else np.nan
    half = np.log(2) / speed if speed > 0 else np.nan
    return float(speed), float(half)


def _check_beta_call(
    df: pl.DataFrame,
    value: str,
    region: str,
    year: str,
    controls: Any,
    effects: Any,
    horizon: Any,
    start: Any,
    end: Any,
    controls_at: Any,
) -> tuple[list[str], str]:
    """Check the columns and options of :func:`beta_convergence` (and the region-year
    keys); returns the controls as a list and the horizon (its default resolved)."""
    for role, name in (("value", value), ("region", region), ("year", year)):
        column_name(role, name)
    if isinstance(controls, str):
        controls = [controls]
    if controls is not None and not isinstance(controls, Sequence):
        raise InputError(f"controls={controls!r} must be a list of column names")
    controls = list(controls or [])
    for c in controls:
        column_name("a control", c)
    require_columns(df, [value, region, year, *controls])
    check_choice("effects", effects, ("none", "region", "twoway"))
    if horizon is None:
        horizon = "period" if effects == "none" else "annual"
    check_choice("horizon", horizon, ("period", "annual"))
    for label, bound in (("start", start), ("end", end)):
        if bound is not None:
            check_real(label, bound, hint="a year of the panel")
    if horizon == "period" and effects != "none":
        raise InputError(
            f"effects={effects!r} needs the annual panel: the cross-section has one row per region",
            hint="pass horizon='annual' (or effects='none')",
        )
    check_choice("controls_at", controls_at, ("initial", "mean"))
    if value in controls or len(set(controls)) < len(controls):
        raise InputError("controls must be distinct and must not include the value column")
    if df.height == 0:
        raise InputError("the frame has no rows", hint="pass the panel with its values")
    check_keys(df, [region, year])
    return controls, horizon


def _estimate(
    y: np.ndarray,
    X: np.ndarray,
    absorbed: np.ndarray | None,
    groups: np.ndarray,
    terms: list[str],
    horizon: str,
    effects: str,
    overflow: InputError,
    small_sample: str = "stata",
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float, str]:
    """(coefficients, robust SE, t, p, R², SE type) of the growth regression; the year dummies
    (``absorbed``) enter after the slopes ``terms``. ``overflow`` is raised when the
    fit of numbers near 1e308 is not finite."""
    n_slopes = len(terms)
    if absorbed is not None:  # year dummies enter X after the slopes
        X = np.column_stack([X, absorbed])
    names = terms + [f"year_{i}" for i in range(X.shape[1] - n_slopes)]
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            coef, cov, resid, dof, se_type = _fit(
                y, X, groups, names, horizon, effects, n_slopes if small_sample == "plm" else None
            )
    except InputError:
        raise
    except (ValueError, np.linalg.LinAlgError):  # a QR of numbers near 1e308 gives NaN
        raise overflow from None
    if not (np.all(np.isfinite(coef)) and np.all(np.isfinite(np.diag(cov)))):
        raise overflow
    se = np.sqrt(np.diag(cov))
    tstat = coef / se
    from scipy import stats  # loaded when used: import nqpf stays light

    pval = 2 * stats.t.sf(np.abs(tstat), dof)
    r2 = _r2(y, resid, absorbed if effects == "twoway" else None, centred=effects == "none")
    return coef, se, tstat, pval, r2, se_type


def _work_frame(
    df: pl.DataFrame, value: str, region: str, year: str, controls: list[str]
) -> tuple[pl.DataFrame, np.ndarray, list[str]]:
    """(region, year, log value, controls) under helper names, the sorted distinct
    years (at least 2) and the controls' helper names."""
    x = numeric_values(df, value, positive=True, why="β-convergence takes logs")
    t = numeric_years(df, year)
    work = pl.DataFrame(
        {"__r": df.get_column(region), "__t": t, "__lx": np.log(x)}
        | {f"__c{i}": numeric_values(df, c) for i, c in enumerate(controls)}
    )
    years = np.unique(t)
    if years.size < 2:
        raise InputError(
            f"β-convergence needs at least 2 years, the panel has {years.size}",
            column=year,
            hint="growth is measured between years",
        )
    return work, years, [f"__c{i}" for i in range(len(controls))]


def _cross_section(
    work: pl.DataFrame,
    cnames: list[str],
    years: np.ndarray,
    region: str,
    year: str,
    start: float | None,
    end: float | None,
    controls_at: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    t0 = float(years[0] if start is None else start)
    t1 = float(years[-1] if end is None else end)
    for label, yr in (("start", t0), ("end", t1)):
        if yr not in years:
            raise InputError(f"{label}={yr:g} is not a year of the panel", column=year)
    if t1 <= t0:
        raise InputError(f"start={t0:g} must come before end={t1:g}", column=year)
    first = work.filter(pl.col("__t") == t0).select("__r", pl.col("__lx").alias("__l0"), *cnames)
    last = work.filter(pl.col("__t") == t1).select("__r", pl.col("__lx").alias("__l1"))
    regions = work.get_column("__r").unique(maintain_order=True)
    for side, yr in ((first, t0), (last, t1)):
        missing = regions.filter(~regions.is_in(side.get_column("__r").implode()))
        if missing.len():
            raise InputError(
                f"region {missing[0]!r} has no value in {yr:g}",
                column=region,
                hint="the cross-section needs every region in the first and last year; "
                "drop it or choose start=/end=",
            )
    cs = first.join(last, on="__r", how="inner", maintain_order="left")
    if controls_at == "mean" and cnames:
        within = work.filter(pl.col("__t").is_between(t0, t1))
        means = grouped(within.group_by("__r"), {c: (c, "mean") for c in cnames})
        cs = cs.drop(cnames).join(means, on="__r", how="left", maintain_order="left")
    tau = t1 - t0
    y = ((cs.get_column("__l1") - cs.get_column("__l0")) / tau).to_numpy()
    X = np.column_stack([np.ones(cs.height), cs.select("__l0", *cnames).to_numpy()])
    return y, X, cs.get_column("__r").to_numpy(), tau


def _annual(
    work: pl.DataFrame, cnames: list[str], years: np.ndarray, year: str, effects: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, np.ndarray | None]:
    pairs, tau = _pairs(work, years, year)
    y = ((pairs.get_column("__lnext") - pairs.get_column("__lx")) / tau).to_numpy()
    slopes = pairs.select("__lx", *cnames).to_numpy()
    groups = pairs.get_column("__r").to_numpy()
    if effects == "none":
        return y, np.column_stack([np.ones(y.size), slopes]), groups, tau, None
    dummies = None
    if effects == "twoway":
        yrs = pairs.get_column("__t").to_numpy()
        levels = np.unique(yrs)
        # One dummy per origin year except the first: the region effects hold the level.
        dummies = (yrs[:, None] == levels[None, 1:]).astype(np.float64)
    # Absorb the region effects by within-region demeaning (Frisch–Waugh–Lovell).
    codes = np.unique(groups, return_inverse=True)[1]
    y = _demean(y, codes)
    slopes = _demean(slopes, codes)
    if dummies is not None:
        dummies = _demean(dummies, codes)
    return y, slopes, groups, tau, dummies


def _pairs(work: pl.DataFrame, years: np.ndarray, year: str) -> tuple[pl.DataFrame, float]:
    """The consecutive-year pairs of the work frame (``__lnext``, ``__tnext`` added) and
    the step τ of the year grid, which must be regular."""
    steps = np.unique(np.diff(years))
    if steps.size > 1 and not np.allclose(steps, steps[0]):
        shown = ", ".join(f"{s:g}" for s in steps[:5])
        raise InputError(
            f"the years are not equally spaced (steps {shown})",
            column=year,
            hint="the annual panel needs a regular year grid; use the cross-section instead",
        )
    tau = float(steps[0])
    pairs = (
        work.sort("__r", "__t")
        .with_columns(
            pl.col("__lx").shift(-1).over("__r").alias("__lnext"),
            pl.col("__t").shift(-1).over("__r").alias("__tnext"),
        )
        # Only consecutive years of the grid: a gap breaks the chain instead of
        # passing a multi-year change off as one step.
        .filter((pl.col("__tnext") - pl.col("__t") - tau).abs() < 1e-9 * max(1.0, tau))
    )
    if pairs.height == 0:
        raise InputError(
            "no region is observed in two consecutive years", column=year, hint="check the panel"
        )
    return pairs, tau


def _demean(a: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Subtract each group's mean (groups given as 0..G−1 codes)."""
    counts = np.bincount(codes)
    if a.ndim == 1:
        return a - (np.bincount(codes, weights=a) / counts)[codes]
    means = np.stack([np.bincount(codes, weights=col) for col in a.T], axis=1) / counts[:, None]
    return a - means[codes]


def _fit(
    y: np.ndarray,
    X: np.ndarray,
    groups: np.ndarray,
    names: list[str],
    horizon: str,
    effects: str,
    plm_k: int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, str]:
    """OLS by QR with the robust covariance of the design (HC1 or cluster). ``plm_k``: the
    K of plm's ``type="sss"`` factor (the slopes, with the constant when pooled) in place
    of Stata's."""
    n, k = X.shape
    if n <= k:
        unit = "regions" if horizon == "period" else "growth observations"
        raise InputError(
            f"{n} {unit} are too few for {k} coefficients",
            hint="use more regions or years, or fewer controls",
        )
    q, r = np.linalg.qr(X)
    diag = np.abs(np.diag(r))
    bad = np.flatnonzero(diag < _RANK_TOL * max(diag.max(), 1e-300))
    if bad.size:
        name = names[bad[0]]
        what = (
            f"regressor '{name}' is collinear with the others"
            if not name.startswith("year_")
            else "a control is collinear with the year effects"
        )
        if effects != "none" and not name.startswith("year_"):
            what += " or constant within regions (absorbed by the region effects)"
        raise InputError(what, column=name, hint="drop that control")
    from scipy import linalg  # loaded when used: import nqpf stays light

    coef = linalg.solve_triangular(r, q.T @ y)
    resid = y - X @ coef
    rinv = linalg.solve_triangular(r, np.eye(k))
    bread = rinv @ rinv.T  # (X'X)^-1
    codes = np.unique(groups, return_inverse=True)[1]
    n_groups = int(codes.max()) + 1
    if horizon == "period":
        meat = (X * resid[:, None] ** 2).T @ X
        return coef, n / (n - k) * bread @ meat @ bread, resid, n - k, "HC1"
    # K for the small-sample factor: slopes + year dummies + one constant; the region
    # effects are nested in the clusters and so are not counted.
    k_adj = k + (1 if effects != "none" else 0) if plm_k is None else plm_k
    if n_groups < 2 or n <= k_adj:
        raise InputError(
            f"{n} growth observations in {n_groups} regions are too few for this model",
            hint="use more regions or years, or fewer controls",
        )
    scores = np.stack([np.bincount(codes, weights=X[:, j] * resid) for j in range(k)], axis=1)
    meat = scores.T @ scores
    factor = n_groups / (n_groups - 1) * (n - 1) / (n - k_adj)
    return coef, factor * bread @ meat @ bread, resid, n_groups - 1, "cluster"


def _r2(y: np.ndarray, resid: np.ndarray, absorbed: np.ndarray | None, *, centred: bool) -> float:
    """R² against the variation left after the fixed effects (within R²)."""
    if absorbed is not None:
        # y is demeaned by region; removing the year dummies too leaves the two-way
        # transformed y, whose sum of squares is plm's within total.
        fe = np.linalg.lstsq(absorbed, y, rcond=None)[0]
        base = y - absorbed @ fe
    else:
        base = y - y.mean() if centred else y
    tss = float(base @ base)
    return 1 - float(resid @ resid) / tss if tss > 0 else np.nan
