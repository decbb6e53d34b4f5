"""Conditional densities (stochastic kernels) of a regional panel, over time and in space.

Quah (1993, 1997) reads the dynamics of a cross-section from the density of a region's
value at t + k conditional on its value at t — the *stochastic kernel*: mass along the
45° line means persistence, mass parallel to the horizontal axis convergence, mass along
the vertical axis polarisation. The regional literature (e.g. the 空间条件核密度 of the
Chinese NQPF papers) conditions instead on the region's *neighbours* (its spatial lag
W x at t, "spatially conditioned"), statically (k = 0) or dynamically (k ≥ 1).

For pairs (aⱼ, bⱼ), j = 1 … m — a = the conditioning value (own value at t, or the
spatial lag at t), b = the own value at t + k — with Gaussian kernels φ:

    f(a, b) = (1/(m hₐ h_b)) Σⱼ φ((a − aⱼ)/hₐ) φ((b − bⱼ)/h_b)          (joint)
    f(a)    = (1/(m hₐ))     Σⱼ φ((a − aⱼ)/hₐ)                           (marginal)
    f(b | a) = f(a, b) / f(a)                                            (conditional)

on an n × n grid (Hyndman, Bashtannyk & Grunwald 1996, eq. 2, with the product kernel).
The bandwidths hₐ, h_b are the normal-reference rule of :func:`nqpf.kernel_density`
applied to the a's and to the b's. With ``bounds`` each axis is reflected at the bounds
(docs/methods.md §4.5). ``relative=True`` divides every value by its year's mean first
(Quah's relative incomes, so that a common trend does not move the mass).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np
import polars as pl

from nqpf._frames import check_bool, check_int, check_keys, column_name, numeric_values, to_polars
from nqpf.dynamics.kde import _check_bounds, bandwidth
from nqpf.errors import InputError
from nqpf.results import Result

__all__ = ["ConditionalDensity", "conditional_density"]

_SQRT_2PI = np.sqrt(2.0 * np.pi)


@dataclass(frozen=True)
class ConditionalDensity(Result):
    """Result of :func:`conditional_density`.

    Attributes
    ----------
    surface
        polars frame (x, y, density, joint): x the conditioning value (the value at t,
        or the neighbours' lag), y the value at t + lag, ``density`` = f(y | x),
        ``joint`` = f(x, y); n × n rows, x varying slowest.
    pairs
        polars frame (<region>, <year>, x, y): the pairs the kernel is estimated from.
    bandwidth_x, bandwidth_y
        The bandwidths hₓ and h_y.
    lag, spatial, relative
        The lag k, whether x is the spatial lag, whether values are relative to the
        year's mean.
    """

    surface: pl.DataFrame
    pairs: pl.DataFrame
    bandwidth_x: float
    bandwidth_y: float
    lag: int
    spatial: bool
    relative: bool

    main_table: ClassVar[str] = "surface"
    title: ClassVar[str] = "Conditional kernel density"

    def tables(self) -> dict[str, pl.DataFrame]:
        """``surface`` (the grid) and ``pairs`` (the data)."""
        return {"surface": self.surface, "pairs": self.pairs}

    def matrix(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(x grid, y grid, f(y | x) as an array indexed [x, y])."""
        x = self.surface.get_column("x").unique(maintain_order=True).to_numpy()
        y = self.surface.get_column("y").unique(maintain_order=True).to_numpy()
        return x, y, self.surface.get_column("density").to_numpy().reshape(x.size, y.size)

    def summary(self) -> str:
        """What was conditioned on what, the bandwidths and the share of mass near the
        45° line (|y − x| ≤ hₓ: persistence)."""
        given = "the neighbours' spatial lag" if self.spatial else "its own value"
        at = "the same year" if self.lag == 0 else f"{self.lag} year(s) later"
        pairs = self.pairs
        near = ((pairs.get_column("y") - pairs.get_column("x")).abs() <= self.bandwidth_x).mean()
        return "\n".join(
            [
                f"{self.title}: a region's value {at} given {given}"
                + (" (relative to the year's mean)" if self.relative else ""),
                f"pairs: {pairs.height}; bandwidths h_x = {self.bandwidth_x:.4g}, "
                f"h_y = {self.bandwidth_y:.4g}",
                f"pairs within h_x of the 45° line: {near:.1%}",
            ]
        )


@dataclass
class _Pairs:
    regions: list[Any]
    years: list[Any]
    a: np.ndarray
    b: np.ndarray


def conditional_density(
    frame: Any,
    value: str,
    region: str,
    year: str,
    *,
    lag: int | None = None,
    w: Any = None,
    relative: bool = False,
    bw: Literal["silverman", "scott"] | float = "silverman",
    n: int = 64,
    cut: float = 3.0,
    bounds: Any = None,
) -> ConditionalDensity:
    """The stochastic kernel f(y_{t+lag} | x_t) of a region × year panel.

    Parameters
    ----------
    frame
        polars (or pandas) frame, one row per region-year.
    value, region, year
        The variable and the region and (numeric) year columns.
    lag
        Years between the conditioning value and the outcome; default 1 without ``w``
        (Quah's kernel), 0 with ``w`` (the static spatial kernel). Pairs are formed
        between year t and year t + lag when both are in the panel.
    w
        :class:`nqpf.spatial.SpatialWeights`: condition on the spatial lag (W x)ᵢ at t,
        W row-standardised (the neighbours' mean), instead of the region's own value.
    relative
        Divide each value by its year's mean first (then x and y are relative to the
        year's mean; the lag is that of the relative values).
    bw
        ``"silverman"``, ``"scott"`` or a positive number, applied to each axis.
    n
        Grid points per axis (the surface has n² rows).
    cut
        The grid reaches ``cut`` bandwidths beyond the data (within ``bounds``).
    bounds
        ``None`` or ``(low, high)``: reflect both axes at these bounds (e.g. ``(0, 1)``
        for a score; not with ``relative=True``).

    Returns
    -------
    ConditionalDensity
        ``.surface`` (x, y, density, joint), ``.pairs``, the bandwidths, ``.matrix()``.

    Raises
    ------
    InputError
        Missing columns, duplicate region-years, non-numeric or missing values, a lag
        that forms no pair (too few years), fewer than 2 pairs, W not covering a
        year's regions, values outside ``bounds``.

    References
    ----------
    Quah, D. T. (1997). Empirics for growth and distribution: stratification,
    polarization, and convergence clubs. *Journal of Economic Growth* 2(1), 27–59.
    Hyndman, R. J., Bashtannyk, D. M. and Grunwald, G. K. (1996). Estimating and
    visualizing conditional densities. *Journal of Computational and Graphical
    Statistics* 5(4), 315–336.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"r": ["a", "b", "c"] * 3, "t": [1] * 3 + [2] * 3 + [3] * 3,
    ...                    "v": [0.1, 0.5, 0.9, 0.2, 0.5, 0.8, 0.3, 0.5, 0.7]})
    >>> k = conditional_density(df, "v", "r", "t", n=16)
    >>> k.pairs.height, k.surface.shape
    (6, (256, 4))
    """
    for role, name in (("value", value), ("region", region), ("year", year)):
        column_name(role, name)
    df = to_polars(frame)
    if df.height == 0:
        raise InputError("the frame has no rows", hint="pass the panel with its values")
    check_keys(df, [region, year])
    lag = (0 if w is not None else 1) if lag is None else lag
    lag = check_int("lag", lag, low=0 if w is not None else 1, hint="years between x and y")
    relative = check_bool("relative", relative)
    n = check_int("n", n, low=2, high=2000, hint="grid points per axis, e.g. 64")
    if relative and bounds is not None:
        raise InputError(
            "bounds= and relative=True do not go together: relative values have no fixed bounds",
            hint="drop bounds, or use relative=False",
        )
    pairs = _pairs(df, value, region, year, lag, w, relative)
    if pairs.a.size < 2:
        raise InputError(
            f"only {pairs.a.size} region-year pair(s) {lag} year(s) apart",
            column=year,
            hint="use a smaller lag or a panel with more years",
        )
    low, high = _check_bounds(bounds, np.concatenate([pairs.a, pairs.b]), value)
    h_a, h_b = bandwidth(pairs.a, bw), bandwidth(pairs.b, bw)
    grid_a = _axis(pairs.a, h_a, n, cut, low, high)
    grid_b = _axis(pairs.b, h_b, n, cut, low, high)
    ka = _kernel_matrix(grid_a, pairs.a, h_a, low, high)  # n × m
    kb = _kernel_matrix(grid_b, pairs.b, h_b, low, high)
    m = pairs.a.size
    joint = ka @ kb.T / m  # f(a, b) on the grid, [a, b]
    marginal = ka.sum(axis=1) / m  # f(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        conditional = np.where(marginal[:, None] > 0, joint / marginal[:, None], 0.0)
    surface = pl.DataFrame(
        {
            "x": np.repeat(grid_a, n),
            "y": np.tile(grid_b, n),
            "density": conditional.ravel(),
            "joint": joint.ravel(),
        }
    )
    pair_frame = pl.DataFrame(
        [
            pl.Series(region, pairs.regions, dtype=df.schema[region]),
            pl.Series(year, pairs.years, dtype=df.schema[year]),
            pl.Series("x", pairs.a),
            pl.Series("y", pairs.b),
        ]
    )
    return ConditionalDensity(
        surface=surface,
        pairs=pair_frame,
        bandwidth_x=float(h_a),
        bandwidth_y=float(h_b),
        lag=int(lag),
        spatial=w is not None,
        relative=bool(relative),
    )


def _pairs(
    df: pl.DataFrame, value: str, region: str, year: str, lag: int, w: Any, relative: bool
) -> _Pairs:
    """(a, b) pairs: a = own value (or spatial lag) at t, b = own value at t + lag."""
    x = numeric_values(df, value)
    t = numeric_values(df, year)
    if relative:
        years_u, inverse = np.unique(t, return_inverse=True)
        sums = np.bincount(inverse, weights=x)
        means = sums / np.bincount(inverse)
        if np.any(means == 0):
            bad = years_u[int(np.flatnonzero(means == 0)[0])]
            raise InputError(
                f"the mean of '{value}' is 0 in {year} {bad:g}, so relative values are undefined",
                column=value,
                hint="use relative=False",
            )
        x = x / means[inverse]
    regions = df.get_column(region).to_list()
    own = {(r, float(ti)): xi for r, ti, xi in zip(regions, t, x, strict=True)}
    cond = own
    if w is not None:
        cond = _spatial_lags(df, x, value, region, year, w)
    out = _Pairs([], [], np.empty(0), np.empty(0))
    a, b = [], []
    years_col = df.get_column(year).to_list()
    for r, ti, shown in zip(regions, t, years_col, strict=True):
        key_to = (r, float(ti) + lag)
        if key_to in own and (r, float(ti)) in cond:
            out.regions.append(r)
            out.years.append(shown)
            a.append(cond[(r, float(ti))])
            b.append(own[key_to])
    out.a, out.b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return out


def _spatial_lags(
    df: pl.DataFrame, x: np.ndarray, value: str, region: str, year: str, w: Any
) -> dict[tuple[Any, float], float]:
    """(region, year) → (W x_t)ᵢ with W row-standardised, each year's W aligned to its
    regions (:func:`nqpf.spatial.panel.by_year` refuses a region missing from W or a
    region without neighbours)."""
    from nqpf.spatial.panel import by_year

    work = df.select(region, year).with_columns(pl.Series("__x", x))
    lags: dict[tuple[Any, float], float] = {}
    for key, values, aligned in by_year(work, "__x", region, year, w=w, what="the spatial lag"):
        # by_year gives the year's values in the frame's row order, W aligned to it
        names = work.filter(pl.col(year) == key).get_column(region).to_list()
        lagged = aligned.transform("r").sparse @ values
        for name, v in zip(names, lagged, strict=True):
            lags[(name, float(key))] = float(v)
    return lags


def _axis(data: np.ndarray, h: float, n: int, cut: float, low: float, high: float) -> np.ndarray:
    lo = max(float(data.min()) - cut * h, low)
    hi = min(float(data.max()) + cut * h, high)
    return np.linspace(lo, hi, n)


def _kernel_matrix(
    grid: np.ndarray, data: np.ndarray, h: float, low: float, high: float
) -> np.ndarray:
    """K[g, j] = φ((g − dⱼ)/h)/h plus its reflections at finite bounds; 0 outside them."""
    u = (grid[:, None] - data[None, :]) / h
    k = np.exp(-0.5 * u * u)
    if np.isfinite(low):
        v = (grid[:, None] - (2.0 * low - data[None, :])) / h
        k += np.exp(-0.5 * v * v)
    if np.isfinite(high):
        v = (grid[:, None] - (2.0 * high - data[None, :])) / h
        k += np.exp(-0.5 * v * v)
    k[(grid < low) | (grid > high)] = 0.0
    return k / (h * _SQRT_2PI)
