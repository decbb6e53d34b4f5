"""The geographical detector (地理探测器): how much of a variable's spatial stratified
heterogeneity each factor explains (Wang et al. 2010; Wang & Xu 2017).

A factor X cuts the N units (regions, or region-years of a panel) into L strata
h = 1 … L of N_h units. With σ² and σ_h² the population variances of y over all
units and within stratum h, SSW = Σ_h N_h σ_h² and SST = N σ²,

    q = 1 − Σ_h N_h σ_h² / (N σ²) = 1 − SSW / SST  ∈ [0, 1],

the share of y's variance that X's strata explain (q = 1: X determines y). The
detectors of :func:`geodetector`:

- **factor detector**: q of each factor with the noncentral-F test of Wang, Zhang & Fu
  (2016): F = (N − L)/(L − 1) · q/(1 − q) ~ F(L − 1, N − L; λ) with
  λ = (1/s²)[Σ_h Ȳ_h² − (1/N)(Σ_h √N_h Ȳ_h)²] (s² the sample variance of y, as both
  R packages compute it), p = P(F' > F);
- **interaction detector**: q(X1 ∩ X2) of the strata that X1 and X2 form together,
  and its type (Wang & Xu 2017, Table 2; the boundaries as R ``GD::gdinteract``):
  nonlinear-weaken q12 < min(q1, q2); uni-variable weaken min ≤ q12 ≤ max;
  bi-variable enhance max < q12 < q1 + q2; independent q12 = q1 + q2;
  nonlinear-enhance q12 > q1 + q2 (equalities to 1e-12);
- **risk detector**: the mean of y in each stratum and Welch's two-sample t-test
  between every two strata of a factor, t = (Ȳ_a − Ȳ_b)/√(s_a²/N_a + s_b²/N_b) with
  the Welch–Satterthwaite df (R ``t.test``, as ``GD::gdrisk``; R ``geodetector``
  rounds the df), two-sided p;
- **ecological detector**: whether two factors explain y differently,
  F = N_{X1}(N_{X2} − 1) SSW_{X1} / (N_{X2}(N_{X1} − 1) SSW_{X2}) ~ F(N_{X1} − 1,
  N_{X2} − 1) (Wang et al. 2010; N_{X1} = N_{X2} = N here), two-sided p;
- **discretisation**: a continuous factor is cut into strata by equal intervals,
  natural breaks (exact Fisher–Jenks, :func:`nqpf.fisher_jenks`), type-7 quantiles,
  geometric intervals or standard deviations (the cut points of R ``GD::disc``), with
  intervals closed on the right (the first also on the left) as ``GD::stra``; or the
  optimal discretisation of ``GD::optidisc``: the method × number of strata with the
  largest q, among those whose every stratum holds at least 2 units.

``convention="GD"`` follows R ``GD`` (10.x): q on the units outside strata of one unit
(only an interaction's joint strata can have them here), λ over the population
variance of y, and its ecological detector F = q(X2)/q(X1) against the 0.9 quantile of
F(N − 1, N − 1), which R ``geodetector``'s ``ecological_detector`` uses too.

References
----------
Wang, J.-F., Li, X.-H., Christakos, G., et al. (2010). Geographical detectors-based
health risk assessment and its application in the neural tube defects study of the
Heshun region, China. *IJGIS* 24, 107–127.
Wang, J.-F., Zhang, T.-L., Fu, B.-J. (2016). A measure of spatial stratified
heterogeneity. *Ecological Indicators* 67, 250–256.
王劲峰, 徐成东 (2017). 地理探测器：原理与展望. *地理学报* 72(1), 116–134.
Song, Y., Wang, J., Ge, Y., Xu, C. (2020). An optimal parameters-based geographical
detector model enhances geographic characteristics of explanatory variables for spatial
heterogeneity analysis. *GIScience & Remote Sensing* 57, 593–610 (R package GD).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import Any, ClassVar, NamedTuple

import numpy as np
import polars as pl

from nqpf._frames import column_name, numeric_values, require_columns, to_polars
from nqpf.errors import InputError
from nqpf.options import GeodetectorOptions, GeoMethod, takes_options
from nqpf.results import Result

__all__ = [
    "GEO_METHODS",
    "INTERACTION_TYPES",
    "GeodetectorResult",
    "discretize",
    "geodetector",
    "q_statistic",
]

#: The discretisation methods of a continuous factor (``GD::disc``'s, without manual).
GEO_METHODS: tuple[str, ...] = GeoMethod.__args__  # type: ignore[attr-defined]

#: The five interaction types, weakest first (Wang & Xu 2017, Table 2).
INTERACTION_TYPES = (
    "nonlinear-weaken",
    "uni-variable weaken",
    "bi-variable enhance",
    "independent",
    "nonlinear-enhance",
)

# q lies in [0, 1] and is a difference of sums of squares: two q's that agree to 1e-12
# are equal up to rounding (the interaction types' equalities).
_Q_TOL = 1e-12

# The sd method's cut points are m ± (j/2)·s or m ± (j/4)·s with j ≤ 2000 (GD::disc).
_SD_STEPS = 2000


# ------------------------------------------------------------------ statistics


class _Strata(NamedTuple):
    """Per-stratum counts, means and sums of squared deviations (strata 0 … L − 1)."""

    n: np.ndarray
    mean: np.ndarray
    ss: np.ndarray


def _strata(y: np.ndarray, codes: np.ndarray, size: int) -> _Strata:
    # bincount adds in row order: the same bits on every machine and run
    n = np.bincount(codes, minlength=size).astype(float)
    mean = np.bincount(codes, weights=y, minlength=size) / n
    ss = np.bincount(codes, weights=(y - mean[codes]) ** 2, minlength=size)
    return _Strata(n, mean, ss)


def _ssw(s: _Strata) -> float:
    """Σ_h N_h σ_h², the within-strata sum of squares."""
    return float(np.sum(s.ss))


def _sst(y: np.ndarray) -> float:
    """N σ², the total sum of squares."""
    return float(np.sum((y - y.mean()) ** 2))


def _kept(y: np.ndarray, codes: np.ndarray, convention: str) -> tuple[np.ndarray, np.ndarray]:
    """The units q is computed on: all (``"wang"``), or those outside strata of one unit
    (``"GD"``: R GD's ``gd`` drops them, so that an interaction's singletons count 0)."""
    if convention != "GD":
        return y, codes
    keep = np.bincount(codes)[codes] >= 2
    if keep.all():
        return y, codes
    _, inner = np.unique(codes[keep], return_inverse=True)
    return y[keep], inner.ravel()


def q_statistic(y: Any, strata: Any, *, convention: str = "wang") -> dict[str, float]:
    """q of the strata ``strata`` for ``y``, with the factor detector's F test.

    q = 1 − Σ_h N_h σ_h² / (N σ²); F = (N − L)/(L − 1) · q/(1 − q);
    λ = (1/s²)[Σ_h Ȳ_h² − (1/N)(Σ_h √N_h Ȳ_h)²]; p = P(F(L − 1, N − L; λ) > F)
    (Wang, Zhang & Fu 2016); with ``convention="GD"`` the R ``GD`` package's
    variant (module docstring).

    Parameters
    ----------
    y
        Numbers (one per unit).
    strata
        A label per unit (any hashable values).

    Returns
    -------
    dict
        ``q``, ``F``, ``df1`` (L − 1), ``df2`` (N − L), ``lambda``, ``p``, ``strata`` (L).

    Examples
    --------
    >>> round(q_statistic([1.0, 2.0, 5.0, 6.0], ["a", "a", "b", "b"])["q"], 6)
    0.941176
    """
    yy = np.asarray(y, dtype=float)
    _, codes = np.unique(np.asarray(strata), return_inverse=True)
    return _factor_test(yy, codes.ravel(), convention)


def _q(y: np.ndarray, codes: np.ndarray, convention: str) -> float:
    """q of the strata ``codes``; NaN when ``"GD"`` leaves no variance to explain
    (every joint stratum of an interaction a single unit)."""
    yy, cc = _kept(y, codes, convention)
    sst = _sst(yy) if yy.size else 0.0
    if sst == 0.0:
        return math.nan
    return 1.0 - _ssw(_strata(yy, cc, int(cc.max()) + 1)) / sst


def _factor_test(y: np.ndarray, codes: np.ndarray, convention: str) -> dict[str, float]:
    """q, F, λ and p (module docstring). ``"GD"`` as R GD's ``gd``: q on the units
    outside strata of one unit, L and N counted before they are dropped, and λ over
    the population variance (n − 1)/n · s² of the units kept."""
    from scipy import stats

    n_units, n_strata = y.size, int(codes.max()) + 1
    yy, cc = _kept(y, codes, convention)
    s = _strata(yy, cc, int(cc.max()) + 1)
    q = 1.0 - _ssw(s) / _sst(yy)
    df1, df2 = n_strata - 1, n_units - n_strata
    s2 = float(np.sum((yy - yy.mean()) ** 2)) / (yy.size - 1)
    if convention == "GD":
        s2 *= (n_units - 1) / n_units
    # λ ≥ 0 by Cauchy–Schwarz; rounding may leave it a few ulps below
    lam = max(
        0.0, (float(np.sum(s.mean**2)) - float(np.sum(np.sqrt(s.n) * s.mean)) ** 2 / n_units) / s2
    )
    if df1 < 1 or df2 < 1:
        f_value = p = math.nan
    elif q >= 1.0:
        f_value, p = math.inf, 0.0
    else:
        f_value = df2 / df1 * q / (1.0 - q)
        dist = stats.ncf(df1, df2, lam) if lam > 0 else stats.f(df1, df2)
        p = float(dist.sf(f_value))
    return {
        "q": q,
        "F": f_value,
        "df1": float(df1),
        "df2": float(df2),
        "lambda": lam,
        "p": p,
        "strata": float(n_strata),
    }


def _interaction_type(q1: float, q2: float, q12: float) -> str | None:
    """Wang & Xu (2017) Table 2 with R ``GD::gdinteract``'s boundaries (to 1e-12);
    None when a q is NaN."""
    if math.isnan(q1) or math.isnan(q2) or math.isnan(q12):
        return None
    low, high, total = min(q1, q2), max(q1, q2), q1 + q2
    if q12 < low - _Q_TOL:
        return INTERACTION_TYPES[0]
    if q12 <= high + _Q_TOL:
        return INTERACTION_TYPES[1]
    if abs(q12 - total) <= _Q_TOL:
        return INTERACTION_TYPES[3]
    if q12 < total:
        return INTERACTION_TYPES[2]
    return INTERACTION_TYPES[4]


def _welch(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """Welch's t, its Satterthwaite df and the two-sided p (R ``t.test(a, b)``)."""
    from scipy import stats

    va, vb = float(np.var(a, ddof=1)) / a.size, float(np.var(b, ddof=1)) / b.size
    se2 = va + vb
    if se2 <= 0:
        return math.nan, math.nan, math.nan  # two constant strata: no t (R stops)
    t = (float(np.mean(a)) - float(np.mean(b))) / math.sqrt(se2)
    df = se2**2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    return t, df, float(2 * stats.t.sf(abs(t), df))


# ------------------------------------------------------------------ discretisation


def _equal_cuts(x: np.ndarray, k: int) -> np.ndarray:
    from nqpf.groups import equal_interval_cuts

    return equal_interval_cuts(x, k)


def _quantile_cuts(x: np.ndarray, k: int) -> np.ndarray:
    from nqpf.groups import _quantile7

    xs = np.sort(x)
    return np.array([_quantile7(xs, Fraction(j, k)) for j in range(k + 1)])


def _natural_cuts(x: np.ndarray, k: int) -> np.ndarray:
    from nqpf.groups import fisher_jenks

    if np.unique(x).size < k:
        raise InputError(f"natural breaks need {k} distinct values")
    cls, _ = fisher_jenks(x, k)
    return _natural_cuts_of(x, cls, k)


def _natural_cuts_of(x: np.ndarray, cls: np.ndarray, k: int) -> np.ndarray:
    """The natural-breaks cut points of the Fisher–Jenks classes ``cls``: the minimum,
    then each class's largest value."""
    return np.array([float(x.min()), *(float(x[cls == c].max()) for c in range(k))])


def _geometric_cuts(x: np.ndarray, k: int) -> np.ndarray:
    """(min + 1)·r^j − 1, j = 0 … k, r = ((max + 1)/(min + 1))^(1/k) (R GD::disc's
    geometric intervals of x + 1; values ≥ 0)."""
    low, high = float(x.min()), float(x.max())
    if low < 0:
        raise InputError("geometric intervals need values ≥ 0")
    ratio = ((high + 1.0) / (low + 1.0)) ** (1.0 / k)
    return (low + 1.0) * ratio ** np.arange(k + 1) - 1.0


def _sd_cuts(x: np.ndarray, k: int) -> np.ndarray:
    """GD::disc's ``sd`` cut points: m ± (j/2)·s (m ± (j/4)·s beyond 7 steps) for
    j of one parity, inside (min, max), adding steps until there are ≥ k strata (so
    that there may be one or two more than k, as in GD)."""
    m, s = float(np.mean(x)), float(np.std(x, ddof=1))
    low, high = float(x.min()), float(x.max())
    for steps in range(k + 1, _SD_STEPS + 2):
        js = np.arange((steps - 1) % 2, steps - 1, 2, dtype=float)
        unit = 0.5 if steps <= 7 else 0.25
        below = (m - js * unit * s)[::-1]
        above = m + js * unit * s
        inner = [*below[below > low], *above[above < high]]
        inner = list(dict.fromkeys(inner))  # m itself once
        if len(inner) + 1 >= k:
            return np.array([low, *inner, high])
    raise InputError(f"the sd method cannot place {k} strata")


_CUTS = {
    "equal": _equal_cuts,
    "natural": _natural_cuts,
    "quantile": _quantile_cuts,
    "geometric": _geometric_cuts,
    "sd": _sd_cuts,
}


def discretize(x: Any, k: int, method: str = "quantile") -> tuple[np.ndarray, np.ndarray]:
    """Cut points and strata of a continuous variable (R ``GD::disc`` and ``GD::stra``).

    ``method``: ``equal`` (min + j·(max − min)/k), ``natural`` (the exact Fisher–Jenks
    classes; each cut is a class's largest value), ``quantile`` (type-7 quantiles j/k),
    ``geometric`` ((min + 1)·r^j − 1 with r = ((max + 1)/(min + 1))^(1/k), values ≥ 0), ``sd`` (mean ± multiples of s/2, or s/4 beyond 7 steps; module docstring).
    Stratum j (1-based) holds the values in (c_j, c_{j+1}], the first also c_1: a
    value's stratum is 1 + the number of inner cut points below it; strata are numbered
    by their interval, and an empty interval keeps its number.

    Returns
    -------
    (cuts, strata)
        The k + 1 cut points (min and max included; ``sd`` may give more) and the
        1-based stratum of each value.

    Examples
    --------
    >>> cuts, strata = discretize([1.0, 2.0, 3.0, 4.0, 10.0], 3, "equal")
    >>> cuts.tolist(), strata.tolist()
    ([1.0, 4.0, 7.0, 10.0], [1, 1, 1, 1, 3])
    """
    xx = np.asarray(x, dtype=float)
    if method not in _CUTS:
        raise InputError(f"unknown discretisation method {method!r}", hint=f"use {GEO_METHODS}")
    cuts = _CUTS[method](xx, int(k))
    return cuts, _strata_in(cuts, xx)


def _strata_in(cuts: np.ndarray, xx: np.ndarray) -> np.ndarray:
    """Each value's 1-based stratum: 1 + the number of inner cut points below it."""
    strata = np.searchsorted(cuts[1:-1], xx, side="left") + 1
    return strata.astype(np.int64)


# ------------------------------------------------------------------ factors


class _Factor(NamedTuple):
    """One factor as strata: codes 0 … L − 1, each stratum's label and interval."""

    name: str
    codes: np.ndarray
    labels: list[str]
    lower: list[float | None]
    upper: list[float | None]
    method: str
    breaks: int | None


def _compact(strata: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The non-empty strata (sorted) and each unit's code 0 … L − 1 among them."""
    kept, codes = np.unique(strata, return_inverse=True)
    return kept, codes.ravel()


def _continuous(
    name: str,
    x: np.ndarray,
    y: np.ndarray,
    method: str,
    k: int,
    classes: np.ndarray | None = None,
) -> tuple[_Factor, np.ndarray]:
    """The factor of ``x`` cut by ``method`` into ``k`` strata; ``classes``: the
    Fisher–Jenks classes of a natural-breaks cut, when already computed."""
    if classes is None:
        cuts, strata = discretize(x, k, method)
    else:
        cuts = _natural_cuts_of(x, classes, k)
        strata = _strata_in(cuts, x)
    kept, codes = _compact(strata)
    labels = [str(int(j)) for j in kept]
    lower = [float(cuts[j - 1]) for j in kept]
    upper = [float(cuts[j]) for j in kept]
    return _Factor(name, codes, labels, lower, upper, method, cuts.size - 1), strata


def _optimal(
    name: str, x: np.ndarray, y: np.ndarray, options: GeodetectorOptions
) -> tuple[_Factor, list[dict[str, Any]]]:
    """GD::optidisc: every method × number of strata; the largest q among those whose
    intervals all hold ≥ 2 units (ties: the first method given, then fewer strata)."""
    from nqpf.groups import fisher_jenks_classes

    grid: list[dict[str, Any]] = []
    best: tuple[float, _Factor] | None = None
    ks = range(options.min_breaks, options.max_breaks + 1)
    # the natural breaks of every k from one dynamic programme (the same classes)
    distinct = np.unique(x).size
    natural = (
        fisher_jenks_classes(x, [k for k in ks if k <= distinct])
        if "natural" in options.methods
        else {}
    )
    for method in options.methods:
        for k in ks:
            q: float | None = None
            try:
                factor, strata = _continuous(
                    name, x, y, method, k, natural.get(k) if method == "natural" else None
                )
            except InputError:
                factor = None
            if factor is not None:
                counts = np.bincount(strata, minlength=factor.breaks + 1)[1:]
                if counts.min() >= 2:
                    q = _q(y, factor.codes, options.convention)
                    if best is None or q > best[0]:
                        best = (q, factor)
            grid.append({"factor": name, "method": method, "breaks": k, "q": q})
    if best is None:
        raise InputError(
            f"factor '{name}': no discretisation gives strata of ≥ 2 units each",
            column=name,
            hint="use fewer breaks (min_breaks=2) or declare it categorical",
        )
    return best[1], grid


def _categorical(name: str, values: pl.Series) -> _Factor:
    text = values.cast(pl.String).to_numpy()
    labels, codes = np.unique(text, return_inverse=True)
    none: list[float | None] = [None] * labels.size
    return _Factor(name, codes.ravel(), [str(v) for v in labels], none, none, "categorical", None)


def _is_categorical(series: pl.Series, name: str, options: GeodetectorOptions) -> bool:
    return name in options.categorical or not series.dtype.is_numeric()


def _check_factor(factor: _Factor) -> None:
    counts = np.bincount(factor.codes)
    if counts.size < 2:
        raise InputError(
            f"factor '{factor.name}' has fewer than 2 strata",
            column=factor.name,
            hint="a factor must split the units into at least 2 strata",
        )
    single = np.flatnonzero(counts == 1)
    if single.size:
        raise InputError(
            f"factor '{factor.name}': stratum '{factor.labels[single[0]]}' holds one unit",
            column=factor.name,
            hint="merge it with a neighbouring stratum, or use fewer breaks",
        )


# ------------------------------------------------------------------ result


@dataclass(frozen=True, slots=True)
class GeodetectorResult(Result):
    """The four detectors of :func:`nqpf.geodetector` (module :mod:`nqpf.geodetect`).

    Attributes
    ----------
    factor
        One row per factor: ``factor``, ``method`` (``categorical`` or the
        discretisation), ``strata`` (L), ``q``, ``F``, ``df1``, ``df2``, ``lambda``,
        ``p``; sorted by q, largest first.
    interaction
        One row per pair: ``factor1``, ``factor2``, ``q1``, ``q2``, ``q12``,
        ``interaction`` (one of :data:`INTERACTION_TYPES`); empty for one factor.
    risk_means
        ``factor``, ``stratum``, ``lower``, ``upper`` (a continuous factor's interval,
        null for a categorical one), ``n``, ``mean`` of y.
    risk
        ``factor``, ``stratum1``, ``stratum2``, ``mean1``, ``mean2``, ``t``, ``df``,
        ``p``, ``significant`` (p < alpha), for every two strata of a factor.
    ecological
        ``factor1``, ``factor2``, ``F``, ``df1``, ``df2``, ``p``, ``significant``.
    discretization
        The optimal discretisation's grid: ``factor``, ``method``, ``breaks``, ``q``
        (null where a stratum would hold < 2 units or the method does not apply).
    y, units
        The explained column and the number of units.
    options
        The :class:`~nqpf.options.GeodetectorOptions` used.
    """

    factor: pl.DataFrame
    interaction: pl.DataFrame
    risk_means: pl.DataFrame
    risk: pl.DataFrame
    ecological: pl.DataFrame
    discretization: pl.DataFrame
    y: str
    units: int
    options: Any = field(default_factory=dict)

    main_table: ClassVar[str] = "factor"
    title: ClassVar[str] = "Geographical detector"

    def tables(self) -> dict[str, pl.DataFrame]:
        out = {
            "factor": self.factor,
            "interaction": self.interaction,
            "risk_means": self.risk_means,
            "risk": self.risk,
            "ecological": self.ecological,
            "discretization": self.discretization,
        }
        return {k: v for k, v in out.items() if v.height or k == "factor"}

    def summary(self) -> str:
        """q and p of each factor, and each pair's interaction."""
        lines = [f"{self.title}: {self.y!r} over {self.units} units"]
        for r in self.factor.iter_rows(named=True):
            lines.append(
                f"  {r['factor']}: q = {r['q']:.4f}, p = {r['p']:.4g} "
                f"({r['strata']} strata, {r['method']})"
            )
        for r in self.interaction.iter_rows(named=True):
            lines.append(
                f"  {r['factor1']} ∩ {r['factor2']}: q = {r['q12']:.4f} "
                f"({r['interaction'] or 'no type: q undefined'})"
            )
        return "\n".join(lines)


# ------------------------------------------------------------------ the analysis


def _units(
    frame: Any, y: Any, factors: Any, year: Any, at: Any
) -> tuple[pl.DataFrame, str, list[str]]:
    """The rows analysed (one year when ``at`` is given) and the checked names."""
    df = to_polars(frame, what="the geodetector's table")
    y_name = column_name("y", y)
    if isinstance(factors, str):
        factors = [factors]
    if not isinstance(factors, Sequence) or not factors:
        raise InputError("factors= must name at least one column", hint="e.g. factors=['x1', 'x2']")
    names = [column_name("a factor", f) for f in factors]
    if len(set(names)) != len(names) or y_name in names:
        raise InputError("factors= repeat a column or include y", hint="name each factor once")
    year_name = column_name("year", year, optional=True)
    require_columns(df, [y_name, *names, year_name])
    if at is not None:
        if year_name is None:
            raise InputError("at= needs year=", hint="name the year column")
        try:
            df = df.filter(pl.col(year_name) == at)
        except pl.exceptions.PolarsError:
            raise InputError(
                f"at={at!r} cannot be compared with column '{year_name}'",
                column=year_name,
                hint="give at= a value of the year column's type",
            ) from None
        if df.height == 0:
            raise InputError(f"no rows with {year_name} = {at!r}", column=year_name)
    missing = [c for c in names if df[c].null_count()]
    if missing:
        raise InputError(f"factor '{missing[0]}' has missing values", column=missing[0])
    return df, y_name, names


def _factor_rows(y: np.ndarray, factors: list[_Factor], convention: str) -> pl.DataFrame:
    rows = []
    for f in factors:
        test = _factor_test(y, f.codes, convention)
        rows.append(
            {
                "factor": f.name,
                "method": f.method,
                "strata": len(f.labels),
                **{k: test[k] for k in ("q", "F", "df1", "df2", "lambda", "p")},
            }
        )
    return pl.DataFrame(rows).sort("q", descending=True, maintain_order=True)


def _interaction_rows(y: np.ndarray, factors: list[_Factor], convention: str) -> pl.DataFrame:
    schema = {
        "factor1": pl.String,
        "factor2": pl.String,
        "q1": pl.Float64,
        "q2": pl.Float64,
        "q12": pl.Float64,
        "interaction": pl.String,
    }
    rows = []
    for a, b in combinations(factors, 2):
        _, joint = _compact(a.codes * (int(b.codes.max()) + 1) + b.codes)
        q1, q2, q12 = (_q(y, c, convention) for c in (a.codes, b.codes, joint))
        rows.append((a.name, b.name, q1, q2, q12, _interaction_type(q1, q2, q12)))
    return pl.DataFrame(rows, schema=schema, orient="row")


def _risk_rows(
    y: np.ndarray, factors: list[_Factor], alpha: float
) -> tuple[pl.DataFrame, pl.DataFrame]:
    means, tests = [], []
    for f in factors:
        groups = [y[f.codes == h] for h in range(len(f.labels))]
        for h, g in enumerate(groups):
            means.append((f.name, f.labels[h], f.lower[h], f.upper[h], g.size, float(g.mean())))
        for i, j in combinations(range(len(groups)), 2):
            t, df, p = _welch(groups[i], groups[j])
            sig = bool(p < alpha) if not math.isnan(p) else False
            mi, mj = float(groups[i].mean()), float(groups[j].mean())
            tests.append((f.name, f.labels[i], f.labels[j], mi, mj, t, df, p, sig))
    means_schema = {
        "factor": pl.String,
        "stratum": pl.String,
        "lower": pl.Float64,
        "upper": pl.Float64,
        "n": pl.Int64,
        "mean": pl.Float64,
    }
    test_schema = {
        "factor": pl.String,
        "stratum1": pl.String,
        "stratum2": pl.String,
        "mean1": pl.Float64,
        "mean2": pl.Float64,
        "t": pl.Float64,
        "df": pl.Float64,
        "p": pl.Float64,
        "significant": pl.Boolean,
    }
    return (
        pl.DataFrame(means, schema=means_schema, orient="row"),
        pl.DataFrame(tests, schema=test_schema, orient="row"),
    )


def _ecological_rows(
    y: np.ndarray, factors: list[_Factor], convention: str, alpha: float
) -> pl.DataFrame:
    """Wang et al. (2010): F = SSW_{X1}/SSW_{X2} (N_{X1} = N_{X2} = N), two-sided p.
    ``"GD"``: as R GD's ``gdeco`` (and R geodetector's ``ecological_detector``),
    F = q(X2)/q(X1), significant when F or 1/F exceeds the 0.9 quantile of
    F(N − 1, N − 1) (whatever ``alpha``), no p."""
    from scipy import stats

    n = y.size
    rows = []
    for a, b in combinations(factors, 2):
        if convention == "GD":
            q_a, q_b = _q(y, a.codes, convention), _q(y, b.codes, convention)
            f_value = q_b / q_a if q_a != 0 else math.inf
            bound = float(stats.f.ppf(0.9, n - 1, n - 1))
            sig = bool(f_value > bound or (f_value != 0 and 1 / f_value > bound))
            rows.append((a.name, b.name, f_value, float(n - 1), float(n - 1), None, sig))
            continue
        ssw = [_ssw(_strata(y, f.codes, int(f.codes.max()) + 1)) for f in (a, b)]
        # N_{X1}(N_{X2} − 1) SSW1 / (N_{X2}(N_{X1} − 1) SSW2) with N_{X1} = N_{X2} = N
        f_value = n * (n - 1) * ssw[0] / (n * (n - 1) * ssw[1]) if ssw[1] > 0 else math.inf
        cdf, sf = (
            float(stats.f.cdf(f_value, n - 1, n - 1)),
            float(stats.f.sf(f_value, n - 1, n - 1)),
        )
        p = min(1.0, 2 * min(cdf, sf))
        rows.append((a.name, b.name, f_value, float(n - 1), float(n - 1), p, bool(p < alpha)))
    schema = {
        "factor1": pl.String,
        "factor2": pl.String,
        "F": pl.Float64,
        "df1": pl.Float64,
        "df2": pl.Float64,
        "p": pl.Float64,
        "significant": pl.Boolean,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def _strata_of(
    df: pl.DataFrame, names: list[str], y: np.ndarray, options: GeodetectorOptions
) -> tuple[list[_Factor], list[dict[str, Any]]]:
    """Each factor as strata: categorical as given, continuous discretised."""
    factors, grid = [], []
    for name in names:
        series = df[name]
        if _is_categorical(series, name, options):
            factor = _categorical(name, series)
        else:
            x = numeric_values(df, name, what="factor value")
            if options.discretization == "optimal":
                factor, rows = _optimal(name, x, y, options)
                grid += rows
            else:
                try:
                    factor, _ = _continuous(name, x, y, options.discretization, options.breaks)
                except InputError as error:
                    raise InputError(
                        f"factor '{name}': {error.what}",
                        column=name,
                        hint="use another discretization or fewer breaks",
                    ) from None
        _check_factor(factor)
        factors.append(factor)
    return factors, grid


@takes_options(GeodetectorOptions)
def geodetector(
    frame: Any,
    y: str = "score",
    factors: Sequence[str] = (),
    *,
    year: str | None = None,
    at: Any = None,
    options: GeodetectorOptions,
) -> GeodetectorResult:
    """The geographical detector: factor, interaction, risk and ecological detectors.

    Formulas, conventions and references: module :mod:`nqpf.geodetect` and
    docs/methods.md (geodetector). The units are the rows of ``frame``: a panel's
    region-years pooled, or one year with ``year=`` and ``at=``.

    Parameters
    ----------
    frame
        polars or pandas frame (or an index result, whose scores are used).
    y
        The explained column (default ``score``).
    factors
        The factor columns. Text and boolean columns, and those named in
        ``categorical``, are strata as given; numeric ones are discretised
        (``discretization``, ``breaks``, ``min_breaks``, ``max_breaks``, ``methods``).
    year, at
        The year column and the year analysed (``at=None``: every row).
    discretization, breaks, min_breaks, max_breaks, methods, categorical, convention, alpha
        :class:`~nqpf.options.GeodetectorOptions`.

    Returns
    -------
    GeodetectorResult

    Raises
    ------
    InputError
        A missing column, non-numeric or non-finite y, a constant y, a factor with
        fewer than 2 strata or a stratum of one unit (naming the factor and stratum).

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"y": [1.0, 2.0, 5.0, 6.0, 1.5, 5.5], "zone": list("aabbab")})
    >>> res = geodetector(df, y="y", factors=["zone"])
    >>> round(res.factor["q"][0], 4)  # 1 − SSW/SST = 1 − (0.5 + 0.5)/25
    0.96
    """
    df, y_name, names = _units(frame, y, factors, year, at)
    yv = numeric_values(df, y_name, what="y value")
    if yv.size < 3 or float(np.ptp(yv)) == 0.0:
        raise InputError(
            f"y '{y_name}' is constant over the {yv.size} units"
            if yv.size >= 3
            else f"the geodetector needs at least 3 units, got {yv.size}",
            column=y_name,
            hint="q compares y's variance within strata with its total variance",
        )
    strata, grid = _strata_of(df, names, yv, options)
    means, risk = _risk_rows(yv, strata, options.alpha)
    grid_schema = {"factor": pl.String, "method": pl.String, "breaks": pl.Int64, "q": pl.Float64}
    return GeodetectorResult(
        factor=_factor_rows(yv, strata, options.convention),
        interaction=_interaction_rows(yv, strata, options.convention),
        risk_means=means,
        risk=risk,
        ecological=_ecological_rows(yv, strata, options.convention, options.alpha),
        discretization=pl.DataFrame(grid, schema=grid_schema),
        y=y_name,
        units=int(yv.size),
        options=options,
    )
