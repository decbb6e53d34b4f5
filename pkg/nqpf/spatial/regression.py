"""Spatial regression: SAR, SEM and SDM by maximum likelihood, cross-section and panel.

Three models (Anselin 1988; LeSage & Pace 2009; Elhorst 2014), W row-standardised:

- **SAR** (spatial lag):     y = ρ W y + X β + ε;
- **SEM** (spatial error):   y = X β + u,  u = λ W u + ε;
- **SDM** (spatial Durbin):  y = ρ W y + X β + W X θ + ε;

with ε ~ N(0, σ² I). The cross-section has a constant; the panel (one row per
region-year, balanced) has region fixed effects μ_i, and with ``effects="twoway"``
also period effects α_t, in every equation (y_t = ρ W y_t + X_t β + μ + α_t 1 + ε_t).

Estimation is spreg's (Rey & Anselin 2007): ``spreg.ML_Lag`` and ``spreg.ML_Error``
(method "full": exact log-determinant) for the cross-section, ``spreg.ML_LagFE`` and
``spreg.ML_ErrorFE`` (Elhorst 2003: the region effects are concentrated out by
demeaning) for the panel. The SDM is the SAR with the columns W X added (the constant's
lag is left out: W 1 = 1 for a row-standardised W). Period effects enter the panel as
T − 1 period dummies, which is the exact dummy-variable ML (demeaning by region commutes
with the period-by-period lag I_T ⊗ W); their estimates are not listed. ρ and λ are
searched in (−1, 1) by bounded Brent to an absolute tolerance of 1e-10. spreg solves
normal equations, so the cross-section's regressors are centred before the fit and the
constant is mapped back after it (an exact reparametrisation): uncentred, a regressor far
from zero relative to its spread (ln income ≈ 6 ± 0.4) made the rounding of the
likelihood larger than its variation near a flat maximum, and the SEM's λ stopped 7e-6
(relative) from spatialreg's.

Standard errors are the asymptotic ones from the information matrix (Anselin 1988,
ch. 6), as ``spatialreg::lagsarlm``/``errorsarlm`` report; z and normal p-values.
The log-likelihood is the full Gaussian one; AIC = −2 ln L + 2 q with q counting β
(and θ, the period effects), ρ or λ, and σ², as R does (the region effects are not
counted).

**Effects** (LeSage & Pace 2009, ch. 2; SAR and SDM). For regressor r the n × n matrix of
partial derivatives ∂y/∂x_rᵀ is

    S_r(W) = (I − ρ W)⁻¹ (I β_r + W θ_r)        (θ_r = 0 for the SAR),

the average direct effect is tr(S_r)/n, the average total effect 1ᵀ S_r 1 / n and the
indirect (spillover) effect their difference. The point effects use the exact dense
inverse of I − ρ W (n ≤ 4000: memory of n² doubles). Their standard errors are simulated
(``draws``, seeded ``numpy.random.Generator``): (β, θ, ρ) are drawn from the normal with
the estimated covariance, as ``spatialreg::impacts(R = …)`` does, draws with ρ outside
the stable interval (1/ω_min, 1) are dropped, and each draw's effects come from W's
eigenvalues ω (tr (I − ρW)⁻¹ = Σ 1/(1 − ρω), tr W(I − ρW)⁻¹ = Σ ω/(1 − ρω); the total
is (β_r + θ_r)/(1 − ρ) since W 1 = 1). A SEM has no spillover: its effects are β.

References: Anselin, L. (1988). *Spatial Econometrics: Methods and Models*. Kluwer.
LeSage, J., Pace, R. K. (2009). *Introduction to Spatial Econometrics*. CRC.
Elhorst, J. P. (2014). *Spatial Econometrics: From Cross-Sectional Data to Spatial
Panels*. Springer. Elhorst, J. P. (2003). Specification and estimation of spatial
panel data models. *International Regional Science Review* 26, 244–268.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import numpy as np
import polars as pl

from nqpf._frames import (
    check_choice,
    check_keys,
    column_name,
    numeric_values,
    numeric_years,
    require_columns,
    to_polars,
)
from nqpf.checks import check_bool, check_int, check_seed
from nqpf.errors import InputError
from nqpf.results import Result
from nqpf.spatial.weights import SpatialWeights

__all__ = [
    "SpatialRegressionResult",
    "sar",
    "sdm",
    "sem",
    "spatial_regression",
]

Model = Literal["sar", "sem", "sdm"]
MODELS: tuple[str, ...] = ("sar", "sem", "sdm")
#: Absolute tolerance of the bounded Brent search for ρ / λ (spreg's ``epsilon``).
XATOL = 1e-10
#: Largest n for the exact dense effects (two n × n float64 arrays: 256 MB at 4000).
MAX_DENSE = 4000
# A pivot of the QR factor this small, relative to the largest, marks a regressor
# that is a linear combination of the others (the rule of nqpf.dynamics.beta).
_RANK_TOL = 1e-10


@dataclass(frozen=True, slots=True)
class Design:
    """The arrays of one spatial regression, time-major for a panel.

    ``y`` (N,), ``x`` (N, k) without a constant, ``names`` the k regressor names,
    ``w`` the row-standardised weights aligned to ``regions`` (n of them), ``periods``
    T (1 for the cross-section); row t·n + i is region i in period t.
    """

    y: np.ndarray
    x: np.ndarray
    names: list[str]
    w: SpatialWeights
    regions: list[str]
    periods: int


@dataclass(frozen=True, slots=True)
class SpatialRegressionResult(Result):
    """Result of :func:`spatial_regression` (:func:`sar`, :func:`sem`, :func:`sdm`).

    Attributes
    ----------
    model
        ``"sar"``, ``"sem"`` or ``"sdm"``.
    effects
        ``"none"`` (cross-section), ``"region"`` or ``"twoway"`` (panel fixed effects).
    rho, rho_se, rho_z, rho_p
        The spatial parameter (ρ for SAR/SDM, λ for SEM) and its inference.
    log_likelihood, aic, sigma2
        Maximised log-likelihood, AIC = −2 ln L + 2q, the ML residual variance.
    n, n_regions, n_periods
        Observations, regions, periods (1 for the cross-section).
    table
        Coefficients: ``term``, ``estimate``, ``se``, ``z``, ``p`` (the spatial
        parameter last, as ``rho`` or ``lambda``; fixed effects not listed).
    impacts
        LeSage–Pace effects for SAR/SDM: ``term``, ``direct``, ``indirect``, ``total``
        and their simulated ``*_se``, ``*_z``, ``*_p`` (NaN when ``draws=0``);
        ``None`` for the SEM (and with ``impacts=False``).
    draws_used
        Simulation draws kept (inside the stable interval of ρ).
    """

    model: str
    effects: str
    rho: float
    rho_se: float
    rho_z: float
    rho_p: float
    log_likelihood: float
    aic: float
    sigma2: float
    n: int
    n_regions: int
    n_periods: int
    table: pl.DataFrame
    impacts: pl.DataFrame | None
    draws_used: int
    options: Mapping[str, Any] = field(default_factory=dict)

    main_table: ClassVar[str] = "coefficients"
    title: ClassVar[str] = "Spatial regression"

    @property
    def parameter(self) -> str:
        """``"lambda"`` for the SEM, else ``"rho"``."""
        return "lambda" if self.model == "sem" else "rho"

    def tables(self) -> dict[str, pl.DataFrame]:
        """``coefficients``, ``fit`` (one row) and, for SAR/SDM, ``impacts``."""
        out = {"coefficients": self.table, "fit": self.to_frame()}
        if self.impacts is not None:
            out["impacts"] = self.impacts
        return out

    def to_frame(self) -> pl.DataFrame:
        """One row: model, effects, the spatial parameter, log-likelihood, AIC, σ², n."""
        return pl.DataFrame(
            {
                "model": [self.model],
                "effects": [self.effects],
                "parameter": [self.parameter],
                "estimate": [self.rho],
                "se": [self.rho_se],
                "z": [self.rho_z],
                "p": [self.rho_p],
                "log_likelihood": [self.log_likelihood],
                "aic": [self.aic],
                "sigma2": [self.sigma2],
                "n": [self.n],
                "n_regions": [self.n_regions],
                "n_periods": [self.n_periods],
            }
        )

    def summary(self) -> str:
        """The model line, the coefficients and the effects."""
        kind = "cross-section" if self.effects == "none" else f"panel FE ({self.effects})"
        sym = "λ" if self.model == "sem" else "ρ"
        head = (
            f"Spatial regression {self.model.upper()} ({kind}, ML): {sym} = {self.rho:.6g} "
            f"(se {self.rho_se:.4g}, z {self.rho_z:.3f}, p {self.rho_p:.4g}), "
            f"log L = {self.log_likelihood:.6g}, AIC = {self.aic:.6g}, n = {self.n}"
        )
        with pl.Config(tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
            lines = [head, "", str(self.table)]
            if self.impacts is not None:
                shown = self.impacts.select("term", "direct", "indirect", "total", "total_se")
                lines += ["", f"effects (LeSage–Pace; {self.draws_used} simulation draws)"]
                lines.append(str(shown))
            elif self.model == "sem":
                lines += ["", "effects: a SEM has no spillover, the effects are the β"]
        return "\n".join(lines)


# -- public calls ------------------------------------------------------------------------
def spatial_regression(
    frame: Any,
    y: str,
    x: Sequence[str] | str,
    region: str,
    *,
    w: SpatialWeights,
    model: Model = "sar",
    year: str | None = None,
    effects: Literal["region", "twoway"] = "region",
    impacts: bool = True,
    draws: int = 1000,
    seed: int | None = 0,
) -> SpatialRegressionResult:
    """SAR, SEM or SDM by maximum likelihood (see the module docstring for the models,
    the estimator, the standard errors and the effects).

    Parameters
    ----------
    frame
        A polars (or pandas) frame: one row per region (cross-section) or per
        region-year (panel, with ``year``; balanced).
    y, x
        The dependent variable and the regressors (columns of ``frame``).
    region
        The region column, whose values are the ids of ``w`` (or its aliases).
    w
        :class:`~nqpf.spatial.SpatialWeights` covering exactly the data's regions; it is
        row-standardised here (``w.transform("r")``), and islands are refused.
    model
        ``"sar"``, ``"sem"`` or ``"sdm"``.
    year
        The period column: given, the panel fixed-effects model is estimated.
    effects
        Panel only: ``"region"`` (region fixed effects) or ``"twoway"`` (region and
        period).
    impacts
        Compute the LeSage–Pace effects (SAR/SDM; needs n ≤ 4000 for the dense inverse).
    draws, seed
        Simulation draws for the effects' standard errors (0: point effects only) and
        the seed of their ``numpy.random.default_rng`` (None: fresh randomness).

    Raises
    ------
    InputError
        A region of the data not in ``w`` or the reverse (named), an island, a missing
        or non-numeric value (region named), an unbalanced panel, a collinear regressor,
        fewer observations than parameters.
    """
    check_choice("model", model, MODELS)
    draws = check_int("draws", draws, low=0)
    seed = check_seed("seed", seed)
    impacts = check_bool("impacts", impacts)
    check_choice("effects", effects, ("region", "twoway"))
    if year is None and effects != "region":
        raise InputError(
            f"effects={effects!r} needs a panel", hint="pass year= (the period column)"
        )
    design = build_design(frame, y, x, region, w=w, year=year)
    fe = "none" if year is None else effects
    fit = estimate(design, model, fe)
    options = {"model": model, "y": y, "x": list(design.names), "region": region}
    options |= {"year": year, "effects": fe, "impacts": impacts, "draws": draws, "seed": seed}
    return finish(design, fit, model, fe, draws, seed, options, impacts=impacts)


def sar(
    frame: Any, y: str, x: Sequence[str] | str, region: str, **kw: Any
) -> SpatialRegressionResult:
    """Spatial lag model y = ρWy + Xβ + ε: :func:`spatial_regression` with ``model="sar"``."""
    return spatial_regression(frame, y, x, region, model="sar", **kw)


def sem(
    frame: Any, y: str, x: Sequence[str] | str, region: str, **kw: Any
) -> SpatialRegressionResult:
    """Spatial error model y = Xβ + u, u = λWu + ε: ``model="sem"``."""
    return spatial_regression(frame, y, x, region, model="sem", **kw)


def sdm(
    frame: Any, y: str, x: Sequence[str] | str, region: str, **kw: Any
) -> SpatialRegressionResult:
    """Spatial Durbin model y = ρWy + Xβ + WXθ + ε: ``model="sdm"``."""
    return spatial_regression(frame, y, x, region, model="sdm", **kw)


# -- the data ----------------------------------------------------------------------------
def build_design(
    frame: Any, y: str, x: Sequence[str] | str, region: str, *, w: Any, year: str | None
) -> Design:
    """Check the call and return its :class:`Design` (W aligned and row-standardised;
    a panel sorted time-major, periods in order, regions in their first-seen order)."""
    if not isinstance(w, SpatialWeights):
        raise InputError(
            f"w must be nqpf.spatial.SpatialWeights, got {type(w).__name__}",
            hint="build it with nqpf.spatial.from_neighbours, from_matrix, …",
        )
    column_name("y", y)
    column_name("region", region)
    column_name("year", year, optional=True)
    xs = [x] if isinstance(x, str) else list(x) if isinstance(x, Sequence) else None
    if not xs:
        raise InputError("x must name at least one regressor column", hint="x=['col', …]")
    for c in xs:
        column_name("a regressor", c)
    if len(set(xs)) < len(xs) or y in xs:
        raise InputError("the regressors must be distinct and must not include y")
    df = to_polars(frame)
    keys = [region] if year is None else [region, year]
    require_columns(df, [y, *xs, *keys])
    if df.height == 0:
        raise InputError("the frame has no rows", hint="pass the data")
    check_keys(df, keys)
    if year is not None:
        df = _balanced(df, region, year)
    labels = df.get_column(region).cast(pl.String).to_list()
    years = None if year is None else df.get_column(year).to_list()

    def describe(i: int) -> str:
        return f"region {labels[i]!r}" + ("" if years is None else f" in {years[i]}")

    yv = numeric_values(df, y, what="y value", describe=describe)
    xv = np.column_stack([numeric_values(df, c, what="regressor", describe=describe) for c in xs])
    regions = list(dict.fromkeys(labels))
    aligned = w.align(regions).transform("r")
    aligned.check_islands(what="a spatial lag")
    return Design(yv, xv, xs, aligned, regions, len(labels) // len(regions))


def _balanced(df: pl.DataFrame, region: str, year: str) -> pl.DataFrame:
    """The panel sorted time-major (period, then region in first-seen order); every
    region must have every period."""
    t = numeric_years(df, year)
    regions = df.get_column(region).unique(maintain_order=True)
    periods = np.unique(t)
    if periods.size < 2:
        raise InputError(
            f"a panel needs at least 2 periods, the data have {periods.size}",
            column=year,
            hint="drop year= for the cross-section",
        )
    if df.height != regions.len() * periods.size:
        counts = df.group_by(region, maintain_order=True).len()
        short = counts.filter(pl.col("len") < periods.size).get_column(region)
        raise InputError(
            f"the panel is unbalanced: region {short[0]!r} has "
            f"{int(counts.filter(pl.col(region) == short[0])['len'][0])} of {periods.size} periods",
            column=year,
            hint="spatial panel models need every region in every period: fill or drop regions/years",
        )
    order = pl.DataFrame({region: regions, "__order": np.arange(regions.len())})
    return (
        df.with_columns(pl.Series("__t", t))
        .join(order, on=region, how="left")
        .sort("__t", "__order")
        .drop("__t", "__order")
    )


def _lag(design: Design, a: np.ndarray) -> np.ndarray:
    """(I_T ⊗ W) a for a time-major stack of T blocks of n rows."""
    n = len(design.regions)
    m = design.w.sparse
    blocks = a.reshape(design.periods, n, -1)
    return np.concatenate([m @ b for b in blocks]).reshape(a.shape)


def _regressors(design: Design, model: str, fe: str) -> tuple[np.ndarray, list[str], int]:
    """The regressor matrix handed to spreg (no constant), the names of its listed
    columns, and the number of nuisance period dummies appended after them."""
    x, names = design.x, list(design.names)
    if model == "sdm":
        x = np.column_stack([x, _lag(design, x)])
        names += [f"W_{c}" for c in design.names]
    dummies = 0
    if fe == "twoway":
        n, t = len(design.regions), design.periods
        d = np.kron(np.eye(t)[:, 1:], np.ones((n, 1)))  # one per period but the first
        x = np.column_stack([x, d])
        dummies = t - 1
    return x, names, dummies


def _check_rank(design: Design, x: np.ndarray, names: list[str], fe: str) -> None:
    """Refuse collinear regressors (region-demeaned in a panel: a regressor constant
    within regions is absorbed) and too few observations for the parameters."""
    n_obs = x.shape[0]
    if fe == "none":
        full = np.column_stack([np.ones(n_obs), x])
        labels = ["const", *names]
    else:
        n = len(design.regions)
        blocks = x.reshape(design.periods, n, -1)
        full = (blocks - blocks.mean(axis=0)).reshape(x.shape)
        labels = list(names) + ["a period effect"] * (x.shape[1] - len(names))
    params = full.shape[1] + 2 + (0 if fe == "none" else len(design.regions))
    if n_obs < params:
        raise InputError(
            f"{n_obs} observations are too few for {params} parameters "
            f"({full.shape[1]} coefficients, the spatial parameter, σ²"
            + (", the region effects)" if fe != "none" else ")"),
            hint="use more regions or periods, or fewer regressors",
        )
    r = np.linalg.qr(full, mode="r")
    diag = np.abs(np.diag(r))
    bad = np.flatnonzero(diag < _RANK_TOL * max(diag.max(), 1e-300))
    if bad.size:
        name = labels[bad[0]]
        what = f"regressor '{name}' is collinear with the others"
        if fe != "none":
            what += " or constant within regions (absorbed by the region effects)"
        raise InputError(what, column=None if name.startswith("a ") else name, hint="drop it")


# -- estimation --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Fit:
    """What spreg estimated: coefficients (listed regressors, then the constant for a
    cross-section first) with their covariance, ρ/λ last; the log-likelihood, σ², and
    the count q of parameters for the AIC."""

    terms: list[str]
    coef: np.ndarray
    cov: np.ndarray
    log_likelihood: float
    sigma2: float
    q: int


def estimate(design: Design, model: str, fe: str) -> Fit:
    """Fit ``model`` with spreg; the period dummies (two-way panel) are dropped from
    the listed coefficients but kept in q."""
    import spreg  # the spatial extra: loaded when used

    x, names, dummies = _regressors(design, model, fe)
    _check_rank(design, x, names, fe)
    wl = design.w.to_libpysal()
    y = design.y.reshape(-1, 1)
    # Centred regressors give spreg's normal equations a design of condition ~ the
    # regressors' correlation instead of their distance from zero (an exact
    # reparametrisation: same column space with the constant; undone below).
    centre = x.mean(axis=0) if fe == "none" else np.zeros(x.shape[1])
    x = x - centre
    quiet = contextlib.redirect_stdout(io.StringIO())  # spreg prints its class name
    with quiet, warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        if fe == "none" and model == "sem":
            m = spreg.ML_Error(y, x, wl, epsilon=XATOL)
        elif fe == "none":
            m = spreg.ML_Lag(y, x, wl, epsilon=XATOL, spat_diag=False, spat_impacts=None)
        elif model == "sem":
            m = spreg.ML_ErrorFE(y, x, wl, epsilon=XATOL)
        else:
            m = spreg.ML_LagFE(y, x, wl, epsilon=XATOL, spat_impacts=None)
    coef = np.asarray(m.betas, dtype=float).ravel()
    cov = np.asarray(m.vm, dtype=float)
    if fe == "none":  # back to the given regressors: const = const_c − Σ_j mean_j β_j
        back = np.eye(coef.size)
        back[0, 1 : 1 + centre.size] = -centre
        coef, cov = back @ coef, back @ cov @ back.T
    terms = (["const"] if fe == "none" else []) + names
    keep = np.r_[np.arange(len(terms)), coef.size - 1]  # drop the period dummies
    coef, cov = coef[keep], cov[np.ix_(keep, keep)]
    if not (np.all(np.isfinite(coef)) and np.all(np.isfinite(np.diag(cov)))):
        raise InputError(
            "the maximum likelihood fit did not converge to finite estimates",
            hint="check the data's scale and the weights (rescale large regressors)",
        )
    q = len(terms) + dummies + 2  # β (θ, period effects), ρ or λ, σ²
    return Fit(
        [*terms, "lambda" if model == "sem" else "rho"],
        coef,
        cov,
        float(np.asarray(m.logll).ravel()[0]),
        float(np.asarray(m.sig2).ravel()[0]),
        q,
    )


def finish(
    design: Design,
    fit: Fit,
    model: str,
    fe: str,
    draws: int,
    seed: int | None,
    options: Mapping[str, Any],
    *,
    impacts: bool = True,
) -> SpatialRegressionResult:
    """The result object: the coefficient table, the effects for SAR/SDM (``impacts``)."""
    from scipy import stats

    se = np.sqrt(np.diag(fit.cov))
    z = fit.coef / se
    p = 2 * stats.norm.sf(np.abs(z))
    table = pl.DataFrame({"term": fit.terms, "estimate": fit.coef, "se": se, "z": z, "p": p})
    effects_table, used = (None, 0)
    if model != "sem" and impacts:
        effects_table, used = lesage_pace_effects(design, fit, model, draws, seed)
    return SpatialRegressionResult(
        model=model,
        effects=fe,
        rho=float(fit.coef[-1]),
        rho_se=float(se[-1]),
        rho_z=float(z[-1]),
        rho_p=float(p[-1]),
        log_likelihood=fit.log_likelihood,
        aic=-2.0 * fit.log_likelihood + 2.0 * fit.q,
        sigma2=fit.sigma2,
        n=int(design.y.size),
        n_regions=len(design.regions),
        n_periods=design.periods,
        table=table,
        impacts=effects_table,
        draws_used=used,
        options=dict(options),
    )


# -- effects -----------------------------------------------------------------------------
def _slopes(fit: Fit, design: Design, model: str) -> tuple[np.ndarray, np.ndarray]:
    """Indices of β_r and θ_r (θ: −1 for the SAR, which has none) in ``fit.coef``."""
    k = len(design.names)
    first = 1 if fit.terms[0] == "const" else 0
    beta = np.arange(first, first + k)
    theta = beta + k if model == "sdm" else np.full(k, -1)
    return beta, theta


def dense_effects(
    w: np.ndarray, rho: float, beta: np.ndarray, theta: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(direct, total) average effects by the exact inverse of I − ρW:
    direct_r = [tr(A⁻¹) β_r + tr(A⁻¹W) θ_r]/n, total_r = [1ᵀA⁻¹1 β_r + 1ᵀA⁻¹W1 θ_r]/n."""
    from scipy import linalg

    n = w.shape[0]
    a_inv = linalg.solve(np.eye(n) - rho * w, np.eye(n))
    a_inv_w = a_inv @ w
    direct = (np.trace(a_inv) * beta + np.trace(a_inv_w) * theta) / n
    total = (a_inv.sum() * beta + a_inv_w.sum() * theta) / n
    return direct, total


def _spectrum(design: Design) -> np.ndarray:
    """Eigenvalues of the row-standardised W (real when the given weights are
    symmetric: W = D⁻¹B is then similar to D^{-1/2} B D^{-1/2})."""
    from scipy import linalg

    base = design.w.transform("o")
    if base.is_symmetric():
        b = base.dense()
        d = 1.0 / np.sqrt(b.sum(axis=1))
        return linalg.eigvalsh(d[:, None] * b * d[None, :])
    return linalg.eigvals(design.w.dense())


def lesage_pace_effects(
    design: Design, fit: Fit, model: str, draws: int, seed: int | None
) -> tuple[pl.DataFrame, int]:
    """The effects table (module docstring) and the number of draws kept."""
    n = len(design.regions)
    if n > MAX_DENSE:
        raise InputError(
            f"the exact effects need an n × n inverse; n = {n} is above {MAX_DENSE}",
            hint="pass impacts=False for the coefficients alone (the memory grows with n²)",
        )
    bi, ti = _slopes(fit, design, model)
    coef = fit.coef

    def pick(c: np.ndarray, idx: np.ndarray) -> np.ndarray:
        return np.where(idx >= 0, c[..., np.maximum(idx, 0)], 0.0)

    rho = float(coef[-1])
    direct, total = dense_effects(design.w.dense(), rho, pick(coef, bi), pick(coef, ti))
    indirect = total - direct
    cols: dict[str, Any] = {"term": list(design.names)}
    cols |= {"direct": direct, "indirect": indirect, "total": total}
    used = 0
    sds = [np.full(direct.size, np.nan)] * 3
    if draws > 0:
        sds, used = _simulated_sd(design, fit, bi, ti, pick, draws, seed)
    from scipy import stats

    for name, point, sd in zip(
        ("direct", "indirect", "total"), (direct, indirect, total), sds, strict=True
    ):
        z = point / sd
        cols |= {f"{name}_se": sd, f"{name}_z": z, f"{name}_p": 2 * stats.norm.sf(np.abs(z))}
    return pl.DataFrame(cols), used


def _simulated_sd(
    design: Design,
    fit: Fit,
    bi: np.ndarray,
    ti: np.ndarray,
    pick: Any,
    draws: int,
    seed: int | None,
) -> tuple[list[np.ndarray], int]:
    """Standard deviations of the direct, indirect and total effects over draws of the
    coefficients from N(estimate, covariance); draws with ρ outside (1/ω_min, 1)
    are dropped."""
    rng = np.random.default_rng(seed)
    sample = rng.multivariate_normal(fit.coef, fit.cov, size=draws, method="eigh")
    omega = _spectrum(design)
    lo = 1.0 / float(np.min(omega.real))
    rho = sample[:, -1]
    sample = sample[(rho > lo) & (rho < 1.0)]
    if sample.shape[0] < 2:
        return [np.full(len(bi), np.nan)] * 3, int(sample.shape[0])
    rho = sample[:, -1][:, None]
    n = omega.size
    with np.errstate(all="ignore"):
        a = (1.0 / (1.0 - rho * omega[None, :])).sum(axis=1).real / n
        b = (omega[None, :] / (1.0 - rho * omega[None, :])).sum(axis=1).real / n
    beta, theta = pick(sample, bi), pick(sample, ti)
    direct = a[:, None] * beta + b[:, None] * theta
    total = (beta + theta) / (1.0 - rho)
    sds = [np.std(v, axis=0, ddof=1) for v in (direct, total - direct, total)]
    return sds, int(sample.shape[0])
