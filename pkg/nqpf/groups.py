"""Echelons (梯队): tier regions by their period-average score.

Regional-disparity papers sort regions into a few tiers ("echelons", 第一梯队 =
the top tier) and then decompose the Gini coefficient between and within those
tiers. The tiering rule is a choice that changes the decomposition, so this
module offers the rules found in the literature side by side, states each one's
tie rule, and can show which regions move when the rule changes
(:func:`echelon_sensitivity`).

Conventions shared by every rule
--------------------------------
* Each region is tiered by its **period average** x̄ᵢ = (1/T) Σₜ yᵢₜ over the
  years of the panel (the panel must be balanced, so every region is averaged
  over the same years).
* Echelon **1 is the highest tier** (第一梯队), k the lowest.
* Cut points (``breaks``) are listed from high to low; a region whose average is
  **equal to a cut point goes to the higher tier** (x̄ ≥ b ⇒ above b). "Equal"
  allows for the rounding of an average: a difference below 1e-12 × the largest
  |x̄| counts as equality.
* Under the score-based rules (all but ``"column"``) equal averages share a tier.

The rules are ``"column"``, ``"thresholds"``, ``"quantiles"``, ``"sd"``,
``"jenks"`` (exact Fisher–Jenks), ``"kmeans"`` (Lloyd's algorithm), ``"equal"``
(equal intervals), ``"max_breaks"``, ``"jenks_caspall"`` and ``"head_tail"`` (the
last three by mapclassify, the spatial extra); see :func:`echelons`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, ClassVar, NamedTuple, get_args

import numpy as np
import polars as pl

from nqpf._frames import (
    check_int,
    check_keys,
    column_name,
    grouped,
    internal_name,
    no_missing,
    numeric_values,
    output_name,
    require_columns,
    to_polars,
)
from nqpf.errors import InputError
from nqpf.options import EchelonOptions, EchelonRule, ReportEchelonRule, takes_options
from nqpf.results import Result
from nqpf.weights import power_of_two_scale

__all__ = [
    "RULES",
    "EchelonResult",
    "echelon_agreement",
    "echelon_sensitivity",
    "echelons",
    "fisher_jenks",
]

#: The tiering rules (declared once: :data:`nqpf.options.EchelonRule`).
RULES: tuple[str, ...] = get_args(EchelonRule)

#: The rules that tier by a number of classes k (a report's ``echelon_rule`` takes these
#: and head/tail breaks, whose data imply k).
K_RULES: tuple[str, ...] = tuple(r for r in get_args(ReportEchelonRule) if r != "head_tail")
# Rules whose number of tiers is chosen through ``k`` (the others imply it).
_K_RULES: tuple[str, ...] = K_RULES
# The rules computed by mapclassify (mapclassify's class name of each).
_MAPCLASSIFY = {
    "max_breaks": "MaximumBreaks",
    "jenks_caspall": "JenksCaspall",
    "head_tail": "HeadTailBreaks",
}

# Two averages closer than this share of the largest |average| are "equal" for
# the cut-point tie rule: averaging T yearly scores moves a value by a few ulps
# (~1e-16 relative), so 1e-12 absorbs that and nothing a reader would call a
# real difference.
_TIE_RTOL = 1e-12


class _DefaultName(str):
    """A default column name that can be told from the same name given explicitly."""

    __slots__ = ()


#: Default of ``year``: ``"year"`` for a plain frame, an index result's own year column.
_YEAR: Any = _DefaultName("year")


# --------------------------------------------------------------------------- input


def _unwrap(
    frame: Any, value: str | None, region: str | None, year: str | None
) -> tuple[pl.DataFrame, str, str, str | None]:
    """The table plus the value/region/year names to use.

    A result such as ``IndexResult`` knows its own column names: ``value=None``
    is its score column (``.score_column``), ``region=None`` its region
    column, and the default ``year`` (or one absent from its ``.scores``) its
    own year column,
    so ``echelons(entropy_topsis(...))`` just works whatever the panel's
    columns are called. For a plain frame the defaults are ``score`` and
    ``region``.
    """
    df = to_polars(frame, index=True)
    is_result = not isinstance(frame, pl.DataFrame | pl.LazyFrame) and hasattr(frame, "scores")
    if value is None:
        own = getattr(frame, "score_column", None) if is_result else None
        value = own if isinstance(own, str) else "score"
    if region is None:
        own = getattr(frame, "region", None) if is_result else None
        region = own if isinstance(own, str) else "region"
    if is_result and year is not None and (year is _YEAR or year not in df.columns):
        own_year = getattr(frame, "year", None)
        if isinstance(own_year, str) and own_year in df.columns:
            year = own_year
    if year is _YEAR:
        year = "year"
    column_name("value", value)
    column_name("region", region)
    column_name("year", year, optional=True)
    return df, value, region, year


def _period_means(
    df: pl.DataFrame, value: str, region: str, year: str | None
) -> tuple[pl.DataFrame, int]:
    """Check the panel and return (region, mean) sorted high to low, and T.

    The mean is the plain average over the panel's years. An unbalanced panel
    is refused: averaging regions over different periods would compare
    unlike things (a region missing its weak early years would look better).
    The mean column is ``mean``, or ``nqpf_mean`` when the region column has
    that name.
    """
    keys = [region] if year is None else [region, year]
    require_columns(df, [value, *keys])
    if df.height == 0:
        raise InputError("the table has no rows")
    x = numeric_values(df, value, what="value")
    check_keys(df, keys)
    n_years = 1
    if year is not None:
        years = df[year].unique().sort()
        n_years = years.len()
        count = internal_name("count", df.columns)
        counts = df.group_by(region, maintain_order=True).agg(pl.len().alias(count))
        short = counts.filter(pl.col(count) < n_years)
        if short.height:
            reg = short[region][0]
            have = set(df.filter(pl.col(region) == reg)[year].to_list())
            missing = next(y for y in years.to_list() if y not in have)
            raise InputError(
                f"unbalanced panel: region '{reg}' has no row for {year} {missing}",
                column=year,
                hint="period averages need the same years for every region; "
                "fill or drop them first, or pass one row per region with year=None",
            )
    mean = output_name("mean", [region])
    # averages of values near ±1e308 would overflow their sum: average 2⁻ᵏ·x, exactly
    scale = power_of_two_scale(x)
    values = df.select(pl.col(region), pl.Series(mean, x / scale if scale != 1.0 else x))
    means = (
        grouped(values.group_by(region, maintain_order=True), {mean: (mean, "mean")})
        .with_columns(pl.col(mean) * scale if scale != 1.0 else pl.col(mean))
        .sort([mean, region], descending=[True, False])
    )
    return means, n_years


def _need_columns(df: pl.DataFrame, *names: str) -> None:
    require_columns(df, list(names))


def _first_row(mask: pl.Series) -> int:
    """1-based data row of the first True in ``mask``."""
    return int(mask.arg_true()[0]) + 1


# ---------------------------------------------------------------- Fisher–Jenks


def _jenks_tables(values: np.ndarray, w: np.ndarray, k: int) -> tuple[np.ndarray, ...]:
    """:func:`fisher_jenks`' dynamic programme up to ``k`` classes: (the distinct values,
    each value's index among them, the split table ``back``). Row c of the tables
    does not depend on ``k`` (the tie tolerance uses the one-class cost), so the
    classes of every k' ≤ k are read from one table (:func:`_jenks_classes`)."""
    uniq, inverse = np.unique(values, return_inverse=True)
    m = uniq.size
    if not 1 <= k <= m:
        raise InputError(f"k={k} classes but {m} distinct values")
    wu = np.bincount(inverse, weights=w, minlength=m)
    # Centre and scale before the prefix sums: SSW = S2 − S1²/W cancels
    # catastrophically when the values sit far from 0 relative to their spread.
    span = uniq[-1] - uniq[0]
    z = (uniq - np.median(uniq)) / (span if span > 0 else 1.0)
    cw = np.concatenate([[0.0], np.cumsum(wu)])
    c1 = np.concatenate([[0.0], np.cumsum(wu * z)])
    c2 = np.concatenate([[0.0], np.cumsum(wu * z * z)])

    def ssw(start: np.ndarray, end: int) -> np.ndarray:
        # classes start..end-1 (0-based, end exclusive); clipped at 0 for rounding
        n = cw[end] - cw[start]
        s = c1[end] - c1[start]
        return np.maximum(c2[end] - c2[start] - s * s / n, 0.0)

    cost = np.full((k + 1, m + 1), np.inf)
    back = np.zeros((k + 1, m + 1), dtype=np.int64)
    cost[1, 1:] = ssw(np.zeros(m, dtype=np.int64), np.arange(1, m + 1)) if m else 0.0
    for c in range(2, k + 1):
        for j in range(c, m + 1):
            starts = np.arange(c - 1, j)  # the last class is starts..j-1
            total = cost[c - 1, starts] + ssw(starts, j)
            best = total.min()
            # smallest start among (near-)ties: the top class takes borderline values
            tol = 1e-12 * max(best, 1e-300) + 1e-15 * cost[1, m]
            pick = int(np.flatnonzero(total <= best + tol)[0])
            cost[c, j] = total[pick]
            back[c, j] = starts[pick]
    return uniq, inverse.ravel(), back


def _jenks_classes(back: np.ndarray, m: int, k: int) -> np.ndarray:
    """The class (0 … k − 1) of each of the m distinct values: the split points of
    :func:`_jenks_tables` walked back from the full range."""
    cls_of_unique = np.empty(m, dtype=np.int64)
    end = m
    for c in range(k, 0, -1):
        start = back[c, end] if c > 1 else 0
        cls_of_unique[start:end] = c - 1
        end = start
    return cls_of_unique


def fisher_jenks_classes(x: Any, ks: Sequence[int]) -> dict[int, np.ndarray]:
    """The classes of :func:`fisher_jenks` (``x`` unweighted) for every k of ``ks``
    (each 1 ≤ k ≤ the number of distinct values), from one dynamic programme up to
    the largest k: the same classes as ``fisher_jenks(x, k)[0]``, in about the time of
    the largest alone (the geodetector's optimal discretisation tries k = 3 … 7)."""
    values = np.asarray(x, dtype=float).ravel()
    if not np.all(np.isfinite(values)):
        raise InputError("fisher_jenks needs finite values and positive weights of equal length")
    wanted = sorted({check_int("k", k, low=1, hint="the number of classes") for k in ks})
    if not wanted:
        return {}
    uniq, inverse, back = _jenks_tables(values, np.ones_like(values), wanted[-1])
    return {k: _jenks_classes(back, uniq.size, k)[inverse] for k in wanted}


def fisher_jenks(x: Any, k: int, weights: Any = None) -> tuple[np.ndarray, float]:
    """Exact 1-D optimal partition into ``k`` classes (Fisher 1958), by dynamic programming.

    Minimises the within-class sum of squared deviations

    .. math:: \\mathrm{SSW} = \\sum_{c=1}^{k} \\sum_{i \\in c} w_i (x_i - \\bar x_c)^2 ,

    over all partitions of the values into ``k`` non-empty classes. Fisher
    (1958) showed the optimal classes are intervals of the sorted values, so
    with ``D[c, j]`` the least SSW of the first ``j`` sorted values in ``c``
    classes,

    .. math:: D[c, j] = \\min_{c-1 \\le i < j} \\; D[c-1, i] + \\mathrm{SSW}(i+1 .. j) ,

    and each SSW(a..b) is O(1) from prefix sums of w, w·x and w·x². Cost
    O(k m²) time and O(k m) memory for m distinct values; the inner minimum is
    vectorised. This is the optimum that "natural breaks" approximates; it is
    what R's ``classInt::classIntervals(style = "fisher")`` and
    ``mapclassify.FisherJenks`` compute (Jenks's own iterative heuristic can
    stop short of it).

    Equal values are merged (with summed weight) before the search, so they
    always share a class. When two partitions have the same SSW (to 1e-12
    relative), the higher classes take the borderline values, as the
    cut-point rules do.

    Parameters
    ----------
    x
        1-D finite values.
    k
        Number of classes, 1 ≤ k ≤ number of distinct values.
    weights
        Optional positive weights (default 1 each).

    Returns
    -------
    classes : numpy.ndarray
        Class of each input value, 0 = lowest, k − 1 = highest.
    ssw : float
        The minimal within-class sum of squares.

    References
    ----------
    Fisher, W. D. (1958). On grouping for maximum homogeneity. *JASA* 53, 789–798.
    Jenks, G. F. (1977). *Optimal data classification for choropleth maps.*
    University of Kansas, Occasional Paper 2.
    Wang, H., Song, M. (2011). Ckmeans.1d.dp: optimal k-means clustering in
    one dimension by dynamic programming. *The R Journal* 3(2), 29–33.

    Examples
    --------
    >>> classes, ssw = fisher_jenks([1.0, 2.0, 10.0, 11.0, 30.0], 3)
    >>> classes.tolist(), round(ssw, 10)
    ([0, 0, 1, 1, 2], 1.0)
    """
    try:
        values = np.asarray(x, dtype=float).ravel()
        w = np.ones_like(values) if weights is None else np.asarray(weights, dtype=float).ravel()
    except (TypeError, ValueError):
        raise InputError("fisher_jenks needs a 1-D array of numbers (and of weights)") from None
    k = check_int("k", k, low=1, hint="the number of classes")
    if values.shape != w.shape or not np.all(np.isfinite(values)) or np.any(w <= 0):
        raise InputError("fisher_jenks needs finite values and positive weights of equal length")
    uniq, inverse, back = _jenks_tables(values, w, k)
    cls_of_unique = _jenks_classes(back, uniq.size, k)
    classes = cls_of_unique[inverse]
    # report SSW on the original scale, recomputed directly (not rescaled DP cost)
    ssw_total = 0.0
    for c in range(k):
        sel = classes == c
        mu = np.average(values[sel], weights=w[sel])
        ssw_total += float(np.sum(w[sel] * (values[sel] - mu) ** 2))
    return classes, ssw_total


# ------------------------------------------------------------------- k-means


def _assign(x: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Index of the nearest of the sorted ``centres``; a value exactly midway goes up."""
    return np.searchsorted((centres[:-1] + centres[1:]) / 2, x, side="right")


def _refill(x: np.ndarray, w: np.ndarray, centres: np.ndarray, k: int) -> np.ndarray:
    """Drop centres that won no value and add new ones until all k are in use.

    Each new centre sits on the value that contributes most to the SSW (the
    farthest from its centre, weighted). If that ever fails to settle, the
    centres fall back to k evenly spread distinct values, each of which wins
    at least itself.
    """
    for _ in range(x.size + k):
        counts = np.bincount(_assign(x, centres), minlength=centres.size)
        if centres.size == k and counts.all():
            return centres
        centres = centres[counts > 0]
        if centres.size < k:
            dist = w * (x - centres[_assign(x, centres)]) ** 2
            centres = np.sort(np.append(centres, x[int(np.argmax(dist))]))
    return x[np.linspace(0, x.size - 1, k).round().astype(int)]


def _lloyd(
    x: np.ndarray, w: np.ndarray, centres: np.ndarray, max_iter: int = 300
) -> tuple[np.ndarray, float]:
    """Lloyd's algorithm in 1-D on sorted distinct values ``x`` with weights ``w``.

    Alternates (a) assign each value to its nearest centre and (b) move each
    centre to the weighted mean of its values, until (a) changes nothing
    (at most ``max_iter`` rounds; 1-D Lloyd settles in far fewer). Each round
    cannot raise the SSW, so it stops at a local optimum. A value exactly
    midway between two centres goes to the higher one. A centre that wins no
    value is moved to the value contributing most to the SSW (deterministic;
    R's ``kmeans`` warns and leaves the cluster empty instead).

    Returns (class of each value, 0 = lowest; SSW).
    """
    k = centres.size
    centres = np.sort(centres)
    classes = np.full(x.size, -1)
    for _ in range(max_iter):
        centres = _refill(x, w, centres, k)
        new = _assign(x, centres)
        if np.array_equal(new, classes):
            break
        classes = new
        centres = np.bincount(classes, weights=w * x, minlength=k) / np.bincount(
            classes, weights=w, minlength=k
        )
    ssw = float(np.sum(w * (x - centres[classes]) ** 2))
    return classes, ssw


def _kmeans(x: np.ndarray, k: int, seed: int, n_init: int) -> tuple[np.ndarray, np.ndarray]:
    """1-D k-means by Lloyd's algorithm; returns (class per value 0 = lowest, init centres).

    Start 1 puts the centres at the type-7 quantiles (2c − 1)/(2k), the
    middles of k equal-frequency classes; starts 2..n_init draw k distinct
    values with ``numpy.random.default_rng(seed)``. The run with the least SSW
    wins (the first on a tie).
    """
    uniq, inverse = np.unique(x, return_inverse=True)
    w = np.bincount(inverse).astype(float)
    probs = [Fraction(2 * c - 1, 2 * k) for c in range(1, k + 1)]
    init = np.array([_quantile7(np.sort(x), p) for p in probs])
    if np.unique(init).size < k:  # heavy ties: fall back to evenly spread distinct values
        init = uniq[np.linspace(0, uniq.size - 1, k).round().astype(int)]
    best_cls, best_ssw = _lloyd(uniq, w, init)
    rng = np.random.default_rng(seed)
    for _ in range(n_init - 1):
        start = rng.choice(uniq, size=k, replace=False)
        cls, ssw = _lloyd(uniq, w, start)
        if ssw < best_ssw * (1 - 1e-12):
            best_cls, best_ssw = cls, ssw
    return best_cls[inverse], init


# ----------------------------------------------------------------- cut points


def _quantile7(sorted_x: np.ndarray, p: Fraction) -> float:
    """Hyndman–Fan type-7 quantile (R's default, numpy's "linear").

    The position h = (n − 1)p is computed in exact rational arithmetic so that
    a cut that falls on an order statistic equals it exactly (1/3 in floating
    point would leave it a few ulps off and move a region across the cut).
    """
    h = (sorted_x.size - 1) * p
    lo = math.floor(h)
    frac = h - lo
    if frac == 0:
        return float(sorted_x[lo])
    return float(sorted_x[lo] + float(frac) * (sorted_x[lo + 1] - sorted_x[lo]))


def _tiers_from_breaks(x: np.ndarray, breaks: Sequence[float]) -> np.ndarray:
    """Echelon (1 = highest) of each value: 1 + number of breaks strictly above it."""
    tol = _TIE_RTOL * float(np.max(np.abs(x))) if x.size else 0.0
    tiers = np.ones(x.size, dtype=np.int64)
    for b in breaks:
        tiers += x < b - tol
    return tiers


def _sd_breaks(x: np.ndarray, k: int, c: float, ddof: int) -> tuple[float, ...]:
    """Cut points m + c·s·t of the mean–standard-deviation rule, high to low.

    Odd k = 2q + 1: t = q, …, 1, −1, …, −q (the mean is the centre of the middle
    tier; k = 3 gives m ± c·s). Even k = 2q: t = q − 1, …, 1, 0, −1, …, −(q − 1)
    (the mean is a cut; k = 4 gives m + c·s, m, m − c·s; k = 2 splits at m).
    """
    m = float(np.mean(x))
    s = float(np.std(x, ddof=ddof))
    q = k // 2
    ts = [*range(q, 0, -1), *range(-1, -q - 1, -1)] if k % 2 else list(range(q - 1, -q, -1))
    return tuple(m + c * s * t for t in ts)


def equal_interval_cuts(x: Any, k: int) -> np.ndarray:
    """The k + 1 bounds min + j·(max − min)/k, j = 0 … k, of k equal intervals
    (``numpy.linspace``: the last bound is max exactly). The geodetector's ``equal``
    discretisation and the echelon rule ``"equal"`` (high to low, inner bounds)."""
    xx = np.asarray(x, dtype=float)
    return np.linspace(float(xx.min()), float(xx.max()), int(k) + 1)


def _mapclassify(rule: str, x: np.ndarray, k: int | None) -> np.ndarray:
    """0-based classes (lowest first) of mapclassify's classifier for ``rule``."""
    try:
        import mapclassify
    except ImportError:  # pragma: no cover - the spatial extra is installed in CI
        raise InputError(
            f"rule '{rule}' needs mapclassify", hint="pip install 'nqpf[spatial]'"
        ) from None
    classifier = getattr(mapclassify, _MAPCLASSIFY[rule])
    fitted = classifier(x) if k is None else classifier(x, k=k)
    return np.asarray(fitted.yb, dtype=np.int64)


# -------------------------------------------------------------------- labels


def _default_label(j: int, labels: Any) -> str:
    if labels == "zh":
        from nqpf.translations import tier_label

        return tier_label(j, "zh")  # 第一梯队 … 第十梯队, 第十一梯队 (the report's too)
    return f"echelon {j}"


def _resolve_labels(labels: Any, k: int, base: Mapping[int, str] | None = None) -> list[str]:
    """Label of echelon 1..k. ``labels``: None, "en", "zh", a sequence or {echelon: label}."""
    if labels is None or labels in ("en", "zh"):
        if base is not None and labels is None:
            return [base[j] for j in range(1, k + 1)]
        return [_default_label(j, labels) for j in range(1, k + 1)]
    if isinstance(labels, str):
        raise InputError(
            f"labels='{labels}' is not a label set",
            hint='use None, "en", "zh", a list of k labels (highest tier first) or {echelon: label}',
        )
    if not isinstance(labels, Mapping | Sequence):
        raise InputError(
            f"labels={labels!r} is not a label set",
            hint='use None, "en", "zh", a list of k labels (highest tier first) or {echelon: label}',
        )
    if isinstance(labels, Mapping):
        missing = [j for j in range(1, k + 1) if j not in labels]
        if missing:
            raise InputError(f"labels has no entry for echelon {missing[0]}", hint=f"k = {k}")
        out = [str(labels[j]) for j in range(1, k + 1)]
    else:
        out = [str(v) for v in labels]
        if len(out) != k:
            raise InputError(
                f"{len(out)} labels for {k} echelons", hint="give one label per tier, highest first"
            )
    if len(set(out)) != k:
        raise InputError("labels repeat", hint="give each tier its own label")
    return out


# -------------------------------------------------------------------- result


@dataclass(frozen=True, slots=True, repr=False)
class EchelonResult(Result):
    """Tiers of regions by period-average score.

    Attributes
    ----------
    assignments : polars.DataFrame
        One row per region: ``<region>``, ``mean`` (period average), ``echelon``
        (1 = highest tier) and ``label``; sorted by echelon, then mean (high
        to low).
    tiers : polars.DataFrame
        One row per echelon 1..k: ``echelon``, ``label``, ``n``, ``min``,
        ``max``, ``mean`` (of the region averages; null for an empty tier,
        which only fixed cut points can produce).
    breaks : tuple of float
        The k − 1 cut points, high to low: a region is in echelon j + 1 or
        lower iff its average is below ``breaks[j]`` (equal ⇒ higher tier).
        For ``"jenks"`` and ``"kmeans"`` each break is the lowest average of
        the tier above it. Empty for ``"column"``, whose tiers need not be
        intervals.
    rule : str
        The rule used.
    k : int
        Number of echelons.
    gvf : float
        Goodness of variance fit 1 − SSW/SST of the region averages (Jenks
        1977): the share of their variance between tiers; NaN if all are equal.
    region : str
        Name of the region column.
    years : int
        Number of years averaged (1 for a cross-section).
    options : Mapping
        The rule and the number of tiers (``rule``, ``k``) and the rule's settings
        as used (``thresholds``, ``column``, ``probabilities``; ``sd_multiplier``,
        ``ddof``, ``mean``, ``sd`` for ``"sd"``; ``seed``, ``n_init``,
        ``initial_centres`` for ``"kmeans"``).
    """

    assignments: pl.DataFrame
    tiers: pl.DataFrame
    breaks: tuple[float, ...]
    rule: str
    k: int
    gvf: float
    region: str
    years: int
    options: Mapping[str, Any] = field(default_factory=dict)
    #: Output name → its name in :attr:`assignments` where the region column had it
    #: (``mean`` → ``nqpf_mean``, …); a name absent here is its own.
    columns: Mapping[str, str] = field(default_factory=dict)

    main_table: ClassVar[str] = "assignments"
    title: ClassVar[str] = "Echelons"

    def tables(self) -> dict[str, pl.DataFrame]:
        """``assignments`` (one row per region) and ``tiers`` (one row per echelon)."""
        return {"assignments": self.assignments, "tiers": self.tiers}

    @property
    def mean_column(self) -> str:
        """Name of the period-average column of :attr:`assignments`."""
        return self.columns.get("mean", "mean")

    @property
    def echelon_column(self) -> str:
        """Name of the echelon column of :attr:`assignments`."""
        return self.columns.get("echelon", "echelon")

    @property
    def label_column(self) -> str:
        """Name of the label column of :attr:`assignments`."""
        return self.columns.get("label", "label")

    def to_frame(self) -> pl.DataFrame:
        """The assignments table (region, mean, echelon, label)."""
        return self.assignments

    def to_pandas(self) -> Any:
        """The assignments table as a pandas DataFrame (needs pandas)."""
        return self.assignments.to_pandas()

    def join(
        self, frame: Any, *, name: str | None = None, label: str | None = None
    ) -> pl.DataFrame:
        """Add each row's echelon to a panel, ready to be the Dagum ``group`` column.

        Parameters
        ----------
        frame
            A panel (polars, pandas, or an object with ``.scores``) with the
            same region column; row order is kept.
        name
            Name of the new echelon column; default ``echelon``, or ``nqpf_echelon``
            (numbered while taken) when ``frame`` has a column of that name, which
            is kept. An explicit ``name`` that ``frame`` already has is refused.
        label
            If given, also add the tier label under this name.

        Returns
        -------
        polars.DataFrame
            ``frame`` with the new column(s).

        Examples
        --------
        >>> import polars as pl
        >>> panel = pl.DataFrame({"region": list("abcd"), "year": 2020, "score": [9.0, 8.0, 2.0, 1.0]})
        >>> echelons(panel, rule="jenks", k=2).join(panel)["echelon"].to_list()
        [1, 1, 2, 2]
        """
        df = to_polars(frame, index=True)
        _need_columns(df, self.region)
        if name is None:
            name = output_name("echelon", df.columns)
        column_name("name", name)
        column_name("label", label, optional=True)
        for new in (name, label):
            if new is not None and new in df.columns:
                raise InputError(
                    f"column '{new}' already exists", column=new, hint="pass another name="
                )
        if name == label:
            raise InputError(f"name and label are both '{name}'", hint="give them two names")
        add = self.assignments.select(
            pl.col(self.region),
            pl.col(self.echelon_column).alias(name),
            *([pl.col(self.label_column).alias(label)] if label is not None else []),
        )
        target = df.schema[self.region]
        if add.schema[self.region] != target:
            try:
                add = add.with_columns(pl.col(self.region).cast(target, strict=True))
            except pl.exceptions.PolarsError:
                raise InputError(
                    f"region column is {target} here but {add.schema[self.region]} in the echelons",
                    column=self.region,
                ) from None
        out = df.join(add, on=self.region, how="left", maintain_order="left")
        unknown = out[name].is_null()
        if unknown.any():
            row = _first_row(unknown)
            raise InputError(
                f"region '{out[self.region][row - 1]}' has no echelon",
                row=row,
                column=self.region,
                hint="tier the same regions you join to",
            )
        return out

    def __repr__(self) -> str:
        return (
            f"EchelonResult(rule={self.rule!r}, k={self.k}, "
            f"n={self.assignments.height}, breaks={tuple(round(b, 6) for b in self.breaks)})"
        )

    def summary(self) -> str:
        """The rule, the breaks, the GVF and the regions of each tier, as text."""
        head = f"Echelons by {self.rule!r}: {self.k} tiers of {self.assignments.height} regions"
        if self.years > 1:
            head += f" (average of {self.years} years)"
        lines = [head]
        if self.breaks:
            lines.append("breaks (≥ goes up): " + ", ".join(f"{b:.6g}" for b in self.breaks))
        lines.append(f"GVF = {self.gvf:.4f}")
        for row in self.tiers.iter_rows(named=True):
            members = self.assignments.filter(pl.col(self.echelon_column) == row["echelon"])[
                self.region
            ]
            lines.append(
                f"  {row['echelon']} {row['label']} (n={row['n']}): "
                + "; ".join(str(r) for r in members.to_list())
            )
        return "\n".join(lines)


# ----------------------------------------------------------------- public API


def _check_k(k: int | None, implied: int | None, rule: str, n: int) -> int:
    """The number of tiers: ``k`` (checked ≥ 2 by its declaration), the number a rule's
    input implies, or 3; it must agree with the implied one and not exceed n regions."""
    if implied is not None:
        if k is not None and k != implied:
            raise InputError(
                f"k={k} but rule '{rule}' gives {implied} tiers",
                hint="leave k out or make them agree",
            )
        k = implied
    k = 3 if k is None else int(k)
    if k > n:
        raise InputError(f"k={k} tiers but only {n} regions")
    return k


def _cut_points(values: Any, name: str) -> list[float]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence | np.ndarray):
        raise InputError(f"{name} must be a list of numbers, got {values!r}")
    try:
        out = [float(v) for v in np.asarray(values, dtype=float).ravel()]
    except (TypeError, ValueError):
        raise InputError(f"{name} must be numbers, got {values!r}") from None
    if not out:
        raise InputError(f"{name} is empty", hint="give at least one cut point")
    if not all(math.isfinite(v) for v in out):
        raise InputError(f"{name} must be finite, got {values!r}")
    if len(set(out)) != len(out):
        raise InputError(f"{name} repeat a value: {values!r}", hint="give distinct cut points")
    return out


@takes_options(EchelonOptions)
def echelons(
    frame: Any,
    value: str | None = None,
    region: str | None = None,
    year: str | None = _YEAR,
    *,
    thresholds: Sequence[float] | None = None,
    column: str | None = None,
    quantiles: Sequence[float] | None = None,
    labels: Any = None,
    options: EchelonOptions,
) -> EchelonResult:
    """Tier regions into k echelons (梯队) by their period-average score.

    Each region's period average x̄ᵢ = (1/T) Σₜ yᵢₜ is computed over the
    panel's years (a balanced panel is required), then tiered by ``rule``.
    Echelon 1 is the highest tier. For every rule with cut points, an average
    equal to a cut point (to 1e-12 × max |x̄|) goes to the higher tier.

    Parameters
    ----------
    frame
        Panel with ``region``, ``year`` and ``value`` columns: polars,
        pandas (a named index counts as a column), or an object with a
        ``.scores`` table such as :class:`~nqpf.index.IndexResult` (whose own
        ``.region``/``.year`` names are used when the ones given are absent).
    value, region, year
        Column names (default ``score`` and ``region``; for an index result its
        own score and region columns). ``year=None`` takes one row per region
        as given (e.g. already averaged). The output keeps the caller's region
        name; ``mean``, ``echelon`` and ``label`` become ``nqpf_mean``, … when
        the region column has that name (:attr:`EchelonResult.columns`).
    rule
        One of :data:`RULES`.
    k
        Number of tiers, 2 ≤ k ≤ number of regions; default 3. For
        ``"thresholds"``, ``"column"`` and given ``quantiles`` it is implied
        and, if also given, must agree.
    thresholds, column, quantiles
        The rule's input (see Notes).
    sd_multiplier, ddof
        c and the SD's delta degrees of freedom for ``"sd"``.
    seed, n_init
        Random starts of ``"kmeans"``.
    labels
        Tier labels: None (``"echelon 1"``, … ; for ``"column"`` the column's
        values), ``"zh"`` (``"第一梯队"``, …), a list of k labels (highest tier
        first) or ``{echelon: label}``.

    Returns
    -------
    EchelonResult
        ``.assignments`` (region, mean, echelon, label), ``.tiers``,
        ``.breaks``, ``.gvf``; ``.join(panel)`` adds the echelon column.

    Raises
    ------
    InputError
        Unknown rule, k out of range, a rule's input missing or malformed, a
        missing column, missing/non-finite values, duplicate or unbalanced
        region-years, a ``column`` not constant within a region, or fewer
        distinct averages than tiers for ``"jenks"``/``"kmeans"``.

    See Also
    --------
    echelon_sensitivity : the same regions under several rules.
    fisher_jenks : the exact classifier on plain arrays.

    Notes
    -----
    The rules:

    ``"column"``
        Take the tier from ``column`` (e.g. an official region map); it must
        be constant within each region. Tiers are numbered by the mean of
        their regions' averages, highest first; the label is the column's
        value. ``k`` is the number of distinct values.
    ``"thresholds"``
        Fixed cut points (any order), e.g. ``[0.45, 0.33]``: x̄ ≥ 0.45 → 1,
        0.33 ≤ x̄ < 0.45 → 2, x̄ < 0.33 → 3. k = len(thresholds) + 1; a tier
        may be empty.
    ``"quantiles"``
        Cut at the type-7 sample quantiles (R's default, numpy's "linear") of
        the region averages: at probabilities j/k (k equal-frequency classes)
        or at the given ``quantiles`` (k = len + 1). With n averages and no
        ties, the cut at probability p has exactly ⌈(n − 1)p⌉ regions below it.
    ``"sd"``
        Mean–standard-deviation rule with m = mean and s = SD of the averages
        (``ddof=1``: sample SD, as Excel STDEV and R ``sd``; ``ddof=0`` for
        1/n) and c = ``sd_multiplier``. k = 3: x̄ ≥ m + cs / between /
        x̄ < m − cs. In general the cut points are m + c·s·t with
        t = q, …, 1, −1, …, −q for odd k = 2q + 1, and
        t = q − 1, …, 1, 0, −1, …, −(q − 1) for even k = 2q (k = 4: m + cs,
        m, m − cs, the common four-type scheme; k = 2: the mean). Outer
        tiers may be empty.
    ``"jenks"``
        Fisher–Jenks natural breaks, the **exact** minimum of the within-tier
        sum of squares over all partitions into k tiers (dynamic programming,
        see :func:`fisher_jenks`); equal to R
        ``classInt::classIntervals(style = "fisher")``.
    ``"kmeans"``
        1-D k-means by **Lloyd's algorithm**, which finds a *local* optimum of
        the same objective. Start 1 places the centres at the type-7
        quantiles (2c − 1)/(2k); ``n_init − 1`` further starts draw k
        distinct averages with ``numpy.random.default_rng(seed)``; the best
        run is kept (so results are reproducible). With ``n_init=1`` it is R
        ``kmeans(x, centers = quantile(x, (2 * (1:k) - 1) / (2 * k)),
        algorithm = "Lloyd")``, except where R leaves a cluster empty (here
        its centre moves to the value adding most to the SSW) or a value is
        exactly midway between two centres (R: lower one; here: higher).
        Equal to ``"jenks"`` whenever Lloyd reaches the global optimum; use
        ``"jenks"`` when you want the optimum.
    ``"equal"``
        k equal intervals: cut points min + j·(max − min)/k of the averages
        (mapclassify ``EqualInterval``'s bounds; an average on a cut goes to the
        higher tier, as for every rule with cut points).
    ``"max_breaks"``
        Cut in the middle of the k − 1 widest gaps between consecutive distinct
        averages (mapclassify ``MaximumBreaks``).
    ``"jenks_caspall"``
        Jenks & Caspall's (1971) iterations from the quantile classes, moving each
        average to the class whose centre is nearest until none moves, as
        mapclassify ``JenksCaspall`` computes it (its centres are the class
        medians); a local optimum, where ``"jenks"`` is the exact one.
    ``"head_tail"``
        Head/tail breaks (Jiang 2013): split at the mean, then the mean of the
        values above it (the head), and so on while the head holds more than one
        distinct value; k is the number of classes this gives (mapclassify
        ``HeadTailBreaks``), for heavy-tailed averages.

    The last three need mapclassify (the spatial extra) and take its classes;
    their breaks are the lowest average of each tier above, as for ``"jenks"``.

    References
    ----------
    Fisher, W. D. (1958). On grouping for maximum homogeneity. *JASA* 53, 789–798.
    Jenks, G. F. (1977). *Optimal data classification for choropleth maps.*
    Lloyd, S. P. (1982). Least squares quantization in PCM. *IEEE Trans. Inf.
    Theory* 28, 129–137.
    Hyndman, R. J., Fan, Y. (1996). Sample quantiles in statistical packages.
    *The American Statistician* 50, 361–365.
    Jenks, G. F., Caspall, F. C. (1971). Error on choroplethic maps: definition,
    measurement, reduction. *Annals of the AAG* 61, 217–244.
    Jiang, B. (2013). Head/tail breaks: a new classification scheme for data with a
    heavy-tailed distribution. *The Professional Geographer* 65, 482–494.

    Examples
    --------
    >>> import polars as pl
    >>> t1 = pl.DataFrame({"region": list("ABCDEF"), "score": [0.57, 0.55, 0.49, 0.39, 0.31, 0.21]})
    >>> res = echelons(t1, year=None, rule="thresholds", thresholds=[0.45, 0.33])
    >>> res.assignments["echelon"].to_list()
    [1, 1, 1, 2, 3, 3]
    >>> res.breaks
    (0.45, 0.33)
    """
    rule, k = options.rule, options.k
    df, value, region, year = _unwrap(frame, value, region, year)
    column_name("column", column, optional=True)
    extra = [column] if rule == "column" and column is not None else []
    _need_columns(df, *extra)
    means, n_years = _period_means(df, value, region, year)
    mean_col = means.columns[1]
    raw = means[mean_col].to_numpy().astype(float)
    # Every rule is scale-equivariant: tier 2⁻ᵏ·x̄ (exact) so that SDs, spans and
    # interpolations of averages near ±1e308 cannot overflow; cut points scale back.
    scale = power_of_two_scale(raw)
    x = raw / scale if scale != 1.0 else raw
    n = x.size
    if rule == "column":
        if column is None:
            raise InputError(
                "rule='column' needs column=", hint="name the column holding the tiers"
            )
        tiering = _by_column(df, means, region, column, k, n)
    elif rule == "thresholds":
        tiering = _by_thresholds(x, scale, thresholds, k, n)
    elif rule == "quantiles":
        tiering = _by_quantiles(x, scale, quantiles, k, n)
    elif rule == "sd":
        tiering = _by_sd(x, scale, k, n, options)
    elif rule == "equal":
        tiering = _by_equal(x, scale, k, n)
    elif rule in _MAPCLASSIFY:
        tiering = _by_mapclassify(x, raw, k, n, rule)
    else:
        tiering = _by_clusters(x, raw, scale, k, n, options)
    if not np.all(np.isfinite(tiering.breaks)):
        raise InputError(
            f"the cut points of rule '{rule}' overflow double precision",
            column=value,
            hint="rescale the values (e.g. divide by 1e6)",
        )
    return _echelon_result(
        means, tiering, labels, region, rule, gvf=_gvf(x, tiering.tiers), years=n_years
    )


class _Tiering(NamedTuple):
    """What a rule gives: each region's echelon (1 = highest, in the order of the
    period means), the cut points (high to low), k, the settings used and, for
    ``"column"``, the labels the column gives."""

    tiers: np.ndarray
    breaks: tuple[float, ...]
    k: int
    settings: dict[str, Any]
    base_labels: dict[int, str] | None = None


def _by_column(
    df: pl.DataFrame, means: pl.DataFrame, region: str, column: str, k: int | None, n: int
) -> _Tiering:
    """Rule ``"column"``: the tiers a column gives, numbered by their mean average."""
    tiers, base_labels = _tiers_from_column(df, means, region, column, means.columns[1])
    if len(base_labels) < 2:
        raise InputError(f"column '{column}' holds a single tier", column=column)
    k = _check_k(k, len(base_labels), "column", n)
    return _Tiering(tiers, (), k, {"column": column}, base_labels)


def _by_thresholds(x: np.ndarray, scale: float, thresholds: Any, k: int | None, n: int) -> _Tiering:
    """Rule ``"thresholds"``: fixed cut points (on the caller's scale)."""
    if thresholds is None:
        raise InputError(
            "rule='thresholds' needs thresholds=[...]", hint="e.g. thresholds=[0.45, 0.33]"
        )
    cuts = sorted(_cut_points(thresholds, "thresholds"), reverse=True)
    k = _check_k(k, len(cuts) + 1, "thresholds", n)
    breaks = tuple(cuts)
    tiers = _tiers_from_breaks(x, [b / scale for b in breaks])
    return _Tiering(tiers, breaks, k, {"thresholds": breaks})


def _by_quantiles(x: np.ndarray, scale: float, quantiles: Any, k: int | None, n: int) -> _Tiering:
    """Rule ``"quantiles"``: cut at the type-7 quantiles j/k or at the given ones."""
    if quantiles is None:
        k = _check_k(k, None, "quantiles", n)
        probs = [Fraction(j, k) for j in range(1, k)]
    else:
        given = _cut_points(quantiles, "quantiles")
        if not all(0 < p < 1 for p in given):
            raise InputError(f"quantiles must lie strictly between 0 and 1, got {quantiles!r}")
        k = _check_k(k, len(given) + 1, "quantiles", n)
        # repr() keeps the decimal the caller typed (0.2 → 1/5), so the
        # position (n − 1)p stays exact
        probs = [Fraction(repr(p)) for p in given]
    probs.sort(reverse=True)
    xs = np.sort(x)
    scaled = tuple(_quantile7(xs, p) for p in probs)
    tiers = _tiers_from_breaks(x, scaled)
    breaks = tuple(b * scale for b in scaled)
    return _Tiering(tiers, breaks, k, {"probabilities": tuple(float(p) for p in probs)})


def _by_sd(x: np.ndarray, scale: float, k: int | None, n: int, options: EchelonOptions) -> _Tiering:
    """Rule ``"sd"``: cut points m + c·s·t (:func:`_sd_breaks`)."""
    k = _check_k(k, None, "sd", n)
    c, ddof = options.sd_multiplier, options.ddof
    _need_distinct(x, 2, "sd")
    scaled = _sd_breaks(x, k, c, ddof)
    tiers = _tiers_from_breaks(x, scaled)
    breaks = tuple(b * scale for b in scaled)
    settings = {
        "sd_multiplier": c,
        "ddof": ddof,
        "mean": float(np.mean(x)) * scale,
        "sd": float(np.std(x, ddof=ddof)) * scale,
    }
    return _Tiering(tiers, breaks, k, settings)


def _by_equal(x: np.ndarray, scale: float, k: int | None, n: int) -> _Tiering:
    """Rule ``"equal"``: k intervals of width (max − min)/k (:func:`equal_interval_cuts`)."""
    k = _check_k(k, None, "equal", n)
    _need_distinct(x, 2, "equal")
    scaled = tuple(float(b) for b in equal_interval_cuts(x, k)[-2:0:-1])
    tiers = _tiers_from_breaks(x, scaled)
    return _Tiering(tiers, tuple(b * scale for b in scaled), k, {})


def _by_mapclassify(x: np.ndarray, raw: np.ndarray, k: int | None, n: int, rule: str) -> _Tiering:
    """Rules ``"max_breaks"``, ``"jenks_caspall"`` and ``"head_tail"``: mapclassify's
    classes; each break is the lowest average of the tier above it."""
    if rule == "head_tail":
        _need_distinct(x, 2, rule)
        cls = _mapclassify(rule, x, None)
        k = _check_k(k, int(np.unique(cls).size), rule, n)
    else:
        k = _check_k(k, None, rule, n)
        _need_distinct(x, k, rule)
        cls = _mapclassify(rule, x, k)
    # classes numbered among those present (a classifier may leave one empty)
    _, dense = np.unique(cls, return_inverse=True)
    present = int(dense.max()) + 1
    if present != k:
        raise InputError(
            f"rule '{rule}' found {present} non-empty tiers, not {k}", hint="use fewer tiers"
        )
    tiers = k - dense.ravel()
    breaks = tuple(float(raw[tiers == j].min()) for j in range(1, k))
    return _Tiering(tiers, breaks, k, {})


def _by_clusters(
    x: np.ndarray, raw: np.ndarray, scale: float, k: int | None, n: int, options: EchelonOptions
) -> _Tiering:
    """Rules ``"jenks"`` (exact Fisher–Jenks) and ``"kmeans"`` (Lloyd); each break is
    the lowest average of the tier above it."""
    rule = options.rule
    k = _check_k(k, None, rule, n)
    _need_distinct(x, k, rule)
    settings: dict[str, Any] = {}
    if rule == "jenks":
        cls, _ = fisher_jenks(x, k)
    else:
        seed, n_init = options.seed, options.n_init
        cls, init = _kmeans(x, k, seed, n_init)
        init = init * scale
        settings.update(seed=seed, n_init=n_init, initial_centres=tuple(init.tolist()))
    tiers = k - cls
    breaks = tuple(float(raw[tiers == j].min()) for j in range(1, k))
    return _Tiering(tiers, breaks, k, settings)


def _echelon_result(
    means: pl.DataFrame,
    tiering: _Tiering,
    labels: Any,
    region: str,
    rule: str,
    *,
    gvf: float,
    years: int,
) -> EchelonResult:
    """The assignments and tier tables of a tiering, under names that step aside from
    the region column's."""
    k, tiers = tiering.k, tiering.tiers
    mean_col = means.columns[1]
    label_list = _resolve_labels(labels, k, tiering.base_labels)
    echelon_col = output_name("echelon", [region, mean_col])
    label_col = output_name("label", [region, mean_col, echelon_col])
    assignments = (
        means.with_columns(pl.Series(echelon_col, tiers, dtype=pl.Int64))
        .with_columns(
            pl.col(echelon_col)
            .replace_strict(list(range(1, k + 1)), label_list, return_dtype=pl.String)
            .alias(label_col)
        )
        .sort([echelon_col, mean_col, region], descending=[False, True, False])
    )
    tier_table = _tier_table(assignments, k, label_list, echelon_col, mean_col)
    renamed = {
        wanted: got
        for wanted, got in (("mean", mean_col), ("echelon", echelon_col), ("label", label_col))
        if wanted != got
    }
    return EchelonResult(
        assignments=assignments,
        tiers=tier_table,
        breaks=tuple(float(b) for b in tiering.breaks),
        rule=rule,
        k=k,
        gvf=gvf,
        region=region,
        years=years,
        options={"rule": rule, "k": k, **tiering.settings},
        columns=renamed,
    )


def _need_distinct(x: np.ndarray, k: int, rule: str) -> None:
    distinct = np.unique(x).size
    if distinct < k:
        raise InputError(
            f"rule '{rule}' needs {k} distinct region averages, found {distinct}",
            hint="use fewer tiers",
        )


def _tiers_from_column(
    df: pl.DataFrame, means: pl.DataFrame, region: str, column: str, mean: str
) -> tuple[np.ndarray, dict[int, str]]:
    no_missing(df, [column])
    # helper columns named so that no caller's column can meet them
    taken = [*df.columns, mean]
    tiers_col = internal_name("tiers", taken)
    tier = internal_name("tier", taken)
    tier_mean = internal_name("tier_mean", taken)
    tier_name = internal_name("tier_name", taken)
    per = df.group_by(region, maintain_order=True).agg(
        pl.col(column).unique(maintain_order=True).alias(tiers_col)
    )
    bad = per.filter(pl.col(tiers_col).list.len() > 1)
    if bad.height:
        reg = bad[region][0]
        seen = ", ".join(str(v) for v in bad[tiers_col][0].to_list()[:4])
        raise InputError(
            f"region '{reg}' has different '{column}' values ({seen})",
            column=column,
            hint="an echelon column must be constant within each region",
        )
    given = means.join(
        per.select(pl.col(region), pl.col(tiers_col).list.first().alias(tier)),
        on=region,
        how="left",
        maintain_order="left",
    )
    # number the given tiers by their mean average, highest first; ties by name
    order = (
        grouped(given.group_by(tier), {tier_mean: (mean, "mean")})
        .with_columns(pl.col(tier).cast(pl.String).alias(tier_name))
        .sort([tier_mean, tier_name], descending=[True, False])
    )
    number = {t: j for j, t in enumerate(order[tier].to_list(), start=1)}
    names = {j: str(t) for t, j in number.items()}
    tiers = np.array([number[t] for t in given[tier].to_list()], dtype=np.int64)
    return tiers, names


def _gvf(x: np.ndarray, tiers: np.ndarray) -> float:
    sst = float(np.sum((x - x.mean()) ** 2))
    if sst == 0:
        return float("nan")
    ssw = sum(float(np.sum((x[tiers == t] - x[tiers == t].mean()) ** 2)) for t in np.unique(tiers))
    return 1.0 - ssw / sst


def _tier_table(
    assignments: pl.DataFrame, k: int, label_list: list[str], echelon: str, mean: str
) -> pl.DataFrame:
    """echelon, label, n, min, max, mean per tier (no caller's column: fixed names)."""
    stats = grouped(
        assignments.group_by(pl.col(echelon).alias("echelon")),
        {"mean": (mean, "mean")},
        pl.len().cast(pl.Int64).alias("n"),
        pl.col(mean).min().alias("min"),
        pl.col(mean).max().alias("max"),
    ).select("echelon", "n", "min", "max", "mean")
    frame = pl.DataFrame(
        {"echelon": list(range(1, k + 1)), "label": label_list},
        schema={"echelon": pl.Int64, "label": pl.String},
    )
    return frame.join(stats, on="echelon", how="left", maintain_order="left").with_columns(
        pl.col("n").fill_null(0)
    )


# ------------------------------------------------------------------ sensitivity


# What one rule of echelon_sensitivity may set (the data columns are shared): the
# declared options and the rule's own inputs.
_RULE_OPTIONS = frozenset(EchelonOptions.names()) | {"thresholds", "column", "quantiles", "labels"}

#: The declared defaults the shared options of echelon_sensitivity take.
_DEFAULT = EchelonOptions.defaults()


def _rule_specs(rules: Any) -> dict[str, dict[str, Any]]:
    if rules is None:
        rules = ("quantiles", "sd", "jenks", "kmeans")
    if isinstance(rules, str):
        rules = (rules,)
    if not isinstance(rules, Mapping):
        if not isinstance(rules, Sequence | set | frozenset) or not all(
            isinstance(r, str) for r in rules
        ):
            raise InputError(
                f"rules={rules!r} must be a list of rule names or a mapping",
                hint="e.g. rules=['jenks', 'sd'] or {'study': {'rule': 'thresholds', ...}}",
            )
        rules = {r: r for r in rules}
    specs: dict[str, dict[str, Any]] = {}
    for name, spec in rules.items():
        if isinstance(spec, str):
            specs[str(name)] = {"rule": spec}
        elif isinstance(spec, Mapping):
            kw = dict(spec)
            unknown = sorted(set(kw) - _RULE_OPTIONS)
            if unknown:
                raise InputError(
                    f"rule '{name}': unknown option '{unknown[0]}'",
                    hint="options are: " + ", ".join(sorted(_RULE_OPTIONS)),
                )
            kw.setdefault("rule", name)
            specs[str(name)] = kw
        else:
            raise InputError(
                f"rule '{name}': expected a rule name or a dict of echelons() options, "
                f"got {type(spec).__name__}"
            )
    if len(specs) < 2:
        raise InputError("echelon_sensitivity needs at least 2 rules to compare")
    return specs


def echelon_sensitivity(
    frame: Any,
    value: str | None = None,
    region: str | None = None,
    year: str | None = _YEAR,
    *,
    rules: Any = None,
    k: int | None = _DEFAULT["k"],
    sd_multiplier: float = _DEFAULT["sd_multiplier"],
    ddof: int = _DEFAULT["ddof"],
    seed: int = _DEFAULT["seed"],
    n_init: int = _DEFAULT["n_init"],
) -> pl.DataFrame:
    """Echelon of every region under several rules, side by side.

    Parameters
    ----------
    frame, value, region, year
        As for :func:`echelons`.
    rules
        Which tierings to compare: a list of rule names, or a mapping from a
        column name to a rule name or a dict of :func:`echelons` options,
        e.g. ``{"jenks": "jenks", "study": {"rule": "thresholds",
        "thresholds": [0.45, 0.33]}}`` (a dict without ``"rule"`` takes its
        key as the rule). Default: quantiles, sd, jenks and kmeans.
    k, sd_multiplier, ddof, seed, n_init
        Shared defaults, used by each rule that takes them unless its dict
        sets its own (``k`` only reaches rules that do not imply it).

    Returns
    -------
    polars.DataFrame
        One row per region, highest average first: ``<region>``, ``mean``,
        one Int64 column of echelons (1 = highest) per rule, and ``differs``
        (True where the rules disagree), in that order. The region column keeps
        its name; ``mean`` and ``differs`` become ``nqpf_mean``/``nqpf_differs``
        when the region or a rule has that name, and a rule named like the
        region column gets ``nqpf_<rule>`` (:func:`nqpf._frames.output_name`). Echelon numbers are comparable
        across rules as ranks of tiers; with different k they still show who
        moves. :func:`echelon_agreement` summarises the table pairwise.
    """
    specs = _rule_specs(rules)
    shared = {"sd_multiplier": sd_multiplier, "ddof": ddof, "seed": seed, "n_init": n_init}
    df, value, region, year = _unwrap(frame, value, region, year)
    # the caller's region name first; each rule's column, then mean and differs, step aside
    columns: dict[str, str] = {}
    for name in specs:
        columns[name] = output_name(name, [region, *columns.values()])
    mean = output_name("mean", [region, *columns.values()])
    differs = output_name("differs", [region, mean, *columns.values()])
    table: pl.DataFrame | None = None
    for name, spec in specs.items():
        kw = {**shared, **spec}
        implied = kw.get("thresholds") is not None or kw.get("quantiles") is not None
        if kw["rule"] in _K_RULES and not implied:
            kw.setdefault("k", k)
        res = echelons(df, value, region, year, **kw)
        col = res.assignments.select(
            pl.col(region),
            pl.col(res.mean_column).alias(mean),
            pl.col(res.echelon_column).alias(columns[name]),
        )
        table = (
            col
            if table is None
            else table.join(col.drop(mean), on=region, how="left", maintain_order="left")
        )
    assert table is not None
    names = list(columns.values())
    return table.with_columns((pl.concat_list(names).list.n_unique() > 1).alias(differs)).sort(
        [mean, region], descending=[True, False]
    )


def echelon_agreement(table: pl.DataFrame, region: str = "region") -> pl.DataFrame:
    """Pairwise agreement of the rules in an :func:`echelon_sensitivity` table.

    Returns
    -------
    polars.DataFrame
        One row per pair of rules: ``rule_a``, ``rule_b``, ``n`` (regions),
        ``same`` (regions with the same echelon), ``share`` = same / n, and
        ``moved`` (the regions that differ, comma-separated).
    """
    table = to_polars(table, what="an echelon_sensitivity table", results=False)
    column_name("region", region)
    _need_columns(table, region)
    if (
        table.columns[0] == region
        and table.width >= 4
        and table.schema[table.columns[-1]] == pl.Boolean
    ):
        # echelon_sensitivity's layout: region, mean, one column per rule, differs
        names = table.columns[2:-1]
    else:
        _need_columns(table, "mean")
        names = [c for c in table.columns if c not in (region, "mean", "differs")]
    rows = []
    for a, b in itertools.combinations(names, 2):
        eq = table[a] == table[b]
        rows.append(
            {
                "rule_a": a,
                "rule_b": b,
                "n": table.height,
                "same": int(eq.sum()),
                "share": float(eq.mean()) if table.height else float("nan"),
                "moved": ", ".join(str(r) for r in table.filter(~eq)[region].to_list()),
            }
        )
    schema = {
        "rule_a": pl.String,
        "rule_b": pl.String,
        "n": pl.Int64,
        "same": pl.Int64,
        "share": pl.Float64,
        "moved": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)
