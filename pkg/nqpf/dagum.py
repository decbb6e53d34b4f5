"""Dagum (1997) Gini decomposition by subgroups, with a stratified bootstrap.

For values y (one per unit, e.g. a region's index in one year) split into groups
j = 1..k with non-negative unit weights w (all 1 when none are given), write
W_j = Σ_{i∈j} w_i, W = Σ_j W_j, μ_j = Σ_{i∈j} w_i y_i / W_j, μ = Σ_j W_j μ_j / W,
p_j = W_j / W and s_j = p_j μ_j / μ. Dagum's terms are

* G    = Σ_i Σ_r w_i w_r |y_i − y_r| / (2 W² μ)                    (overall Gini)
* G_jj = Σ_{i∈j} Σ_{r∈j} w_i w_r |y_i − y_r| / (2 W_j² μ_j)        (within group j)
* G_jh = Σ_{i∈j} Σ_{r∈h} w_i w_r |y_i − y_r| / (W_j W_h (μ_j + μ_h)) (between j and h)
* with each pair ordered so that μ_j ≥ μ_h: d_jh = E(y_j − y_h)⁺ (gross economic
  affluence), p_jh = E(y_h − y_j)⁺ (first moment of transvariation), both weighted
  means over the W_j W_h pairs, and D_jh = (d_jh − p_jh) / (d_jh + p_jh)
* G_w  = Σ_j G_jj p_j s_j
* G_nb = Σ_{j>h} G_jh (p_j s_h + p_h s_j) D_jh
* G_t  = Σ_{j>h} G_jh (p_j s_h + p_h s_j) (1 − D_jh),  and G = G_w + G_nb + G_t.

Computation
-----------
No n × n matrix is ever formed. After one sort of all values, for each group h
the running sums C_h(i) = Σ_{r∈h, r ≤ i} w_r and Y_h(i) = Σ_{r∈h, r ≤ i} w_r y_r
(over the sorted order) give, for every unit i, the one-sided sum
Σ_{r∈h, y_r ≤ y_i} w_r (y_i − y_r) = y_i C_h(i) − Y_h(i); summing w_i times that
over the units of group j gives A_jh = W_j W_h d_jh. Ties need no rule, because a
tie adds 0 whichever side it is counted on. The k × k matrix A holds every term:
the within sums are 2 A_jj, the between sums A_jh + A_hj, d_jh = A_jh/(W_j W_h),
p_jh = A_hj/(W_j W_h). Cost: one O(n log n) sort plus O(n) per group, memory O(n).
D_jh is computed as (μ_j − μ_h) / (d_jh + p_jh), which equals the definition by the
identity d_jh − p_jh = μ_j − μ_h (Dagum 1997; docs/methods.md §1.3); taking the
numerator from the means keeps 0 ≤ D_jh ≤ 1 exact under the mean ordering. A
pair with d_jh + p_jh = 0 (all its values equal) has G_jh = 0 and D_jh := 0.

The bootstrap resamples units within each by-slice and group (stratified; each
draw carries its weight) and evaluates the same kernel on all B resamples at once,
one row per resample.

Conventions
-----------
* Pairs are oriented so that μ_j ≥ μ_h; means equal to 1e-12 relative count as
  equal (D_jh = 0) and then the earlier label is j, so that row order cannot flip
  a pair. Pairs are listed by the mean rank of j, then of h (Dagum's order).
* Group labels keep the order of their column's dtype (numbers numerically, text
  lexically, an Enum by its categories) and are output as strings.
* Shares Gw/G, Gnb/G, Gt/G are null when G = 0 (all values equal).
* Period means (:meth:`DagumResult.period_mean`) average the yearly values,
  shares included, as the regional-economics literature reports them.

References
----------
Dagum, C. (1997). A new approach to the decomposition of the Gini income inequality
ratio. *Empirical Economics* 22, 515–531. doi:10.1007/BF01205777.
Dagum, C. (1997). Decomposition and interpretation of Gini and the generalized
entropy inequality measures. *Statistica* 57(3), 295–308.
Efron, B. and Tibshirani, R. (1993). *An Introduction to the Bootstrap*, ch. 13
(percentile intervals).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import polars as pl

from nqpf._frames import (
    as_float,
    check_int,
    column_name,
    distinct_columns,
    grouped,
    no_missing,
    output_name,
    require_columns,
    to_polars,
)
from nqpf.errors import InputError
from nqpf.options import DagumOptions, takes_options
from nqpf.results import Result
from nqpf.weights import power_of_two_scale

__all__ = ["DagumDecomposition", "DagumResult", "dagum_decompose", "dagum_gini"]

#: Replicates computed at once hold about this many resampled values (bounds memory).
_BOOT_CHUNK_VALUES = 1 << 20

#: Largest number of bootstrap replicates accepted (memory grows with B × quantities);
#: declared with the option (:class:`nqpf.options.DagumOptions`).
MAX_BOOTSTRAP = int(DagumOptions.info("bootstrap").high)

#: Names the output frames use; where the ``by`` column has one, that output column
#: is namespaced (``nqpf_<name>``) and :attr:`DagumResult.columns` records it.
_RESERVED = frozenset(
    {
        "G", "Gw", "Gnb", "Gt", "Gw_share", "Gnb_share", "Gt_share",
        "group", "n", "mean", "weight", "Gjj",
        "group_j", "group_h", "Gjh", "Djh", "djh", "pjh",
        "quantity", "estimate", "lower", "upper", "level", "B", "replicate", "value", "periods",
    }
)  # fmt: skip

_TOTALS = ("G", "Gw", "Gnb", "Gt", "Gw_share", "Gnb_share", "Gt_share")

#: The by column inside :class:`DagumResult`'s methods, which work on the tables
#: under their standard names (never a name an output column has).
_BY = "__nqpf_by__"

#: Helper column of the pair label inside those methods.
_PAIR = "__nqpf_pair__"

#: Joins the two labels of a pair when pairs are matched: a control character, so that
#: labels containing "|" (a|b with c, a with b|c) cannot make two pairs one.
_SEP = "\x1f"


# ---------------------------------------------------------------------------
# Kernel (no validation)
# ---------------------------------------------------------------------------


def _one_sided_sums(y: np.ndarray, w: np.ndarray | None, g: np.ndarray, k: int) -> np.ndarray:
    """Matrix A of weighted positive-part sums, for each row of sorted data.

    Parameters
    ----------
    y, w, g
        Arrays of shape (R, n): each row holds n values sorted ascending, their
        weights (``None`` for unit weights) and their group codes 0..k−1.
    k
        Number of groups.

    Returns
    -------
    ndarray of shape (R, k, k)
        A[:, j, h] = Σ_{i∈j} Σ_{r∈h} w_i w_r max(y_i − y_r, 0).
    """
    rows, n = y.shape
    # Shifting y leaves every difference unchanged; centring on the median keeps
    # the running sums small, so y·C − Y cancels less.
    y = y - y[:, n // 2 : n // 2 + 1]
    wy = y if w is None else w * y
    # One bincount for all rows: row r, group j goes to bin r·k + j.
    bins = (g + (np.arange(rows) * k)[:, None]).ravel() if rows > 1 else g.ravel()
    out = np.empty((rows, k, k))
    # Work buffers reused for every group: the loop is memory-bound, and fresh
    # n-sized temporaries per step cost as much as the arithmetic.
    in_h = np.empty(y.shape, dtype=bool)
    cw = np.empty(y.shape)
    cwy = np.empty(y.shape)
    below = np.empty(y.shape)
    for h in range(k):
        np.equal(g, h, out=in_h)
        if w is None:
            np.cumsum(in_h, axis=1, dtype=np.float64, out=cw)
        else:
            np.multiply(w, in_h, out=below)
            np.cumsum(below, axis=1, out=cw)
        np.multiply(wy, in_h, out=below)
        np.cumsum(below, axis=1, out=cwy)
        # y_i C_h(i) − Y_h(i) = Σ_{r∈h, r before i} w_r (y_i − y_r): a tie after i
        # in the sort order would add y_i − y_r = 0, so the order of ties is free.
        np.multiply(y, cw, out=below)
        below -= cwy
        if w is not None:
            below *= w
        out[:, :, h] = np.bincount(bins, weights=below.ravel(), minlength=rows * k).reshape(rows, k)
    return out


def _terms(a: np.ndarray, wsum: np.ndarray, mean: np.ndarray) -> dict[str, np.ndarray]:
    """All Dagum terms from the one-sided sums, batched over a leading axis.

    Parameters
    ----------
    a : ndarray (R, k, k)
        One-sided sums from :func:`_one_sided_sums`.
    wsum, mean : ndarray (R, k)
        W_j and μ_j of each group.

    Returns
    -------
    dict of ndarrays
        ``G, Gw, Gnb, Gt`` (R,), ``Gjj`` (R, k), ``Gjh, djh, pjh, Dsigned`` (R, k, k)
        where ``Dsigned[j, h] = (μ_j − μ_h)/(d_jh + p_jh)`` (so Dagum's D_jh for a
        pair ordered by mean), ``p, s`` (R, k) and ``mu`` (R,). A quantity with a
        zero denominator (a zero group mean, which only a bootstrap resample of
        zeros can produce) is NaN.
    """
    total_w = wsum.sum(axis=-1)
    mu = (wsum * mean).sum(axis=-1) / total_w
    p = wsum / total_w[:, None]
    s = p * mean / mu[:, None]
    pair_w = wsum[:, :, None] * wsum[:, None, :]
    djh = a / pair_w
    pjh = np.swapaxes(djh, 1, 2)
    delta = djh + pjh  # weighted mean absolute difference Δ_jh
    mean_sum = mean[:, :, None] + mean[:, None, :]
    dmu = _mean_gaps(mean)
    with np.errstate(divide="ignore", invalid="ignore"):
        gjh = delta / mean_sum  # diagonal: Δ_jj / (2 μ_j) = G_jj
        gjj = np.diagonal(gjh, axis1=1, axis2=2).copy()
        big_g = a.sum(axis=(1, 2)) / (total_w**2 * mu)
        dsigned = np.where(delta > 0, dmu / delta, 0.0)
    # |μ_j − μ_h| ≤ Δ_jh holds exactly; clip only the last-bit rounding.
    np.clip(dsigned, -1.0, 1.0, out=dsigned)
    # G_jh (p_j s_h + p_h s_j); a degenerate pair (Δ = 0) contributes nothing.
    weight = np.where(
        delta > 0, gjh * (p[:, :, None] * s[:, None, :] + p[:, None, :] * s[:, :, None]), 0.0
    )
    off = ~np.eye(a.shape[1], dtype=bool)
    # Over ordered pairs each unordered pair appears twice; |D| is D_jh in the pair's
    # own mean order, so no swap is needed for the totals.
    absd = np.abs(dsigned)
    gnb = 0.5 * np.where(off, weight * absd, 0.0).sum(axis=(1, 2))
    gt = 0.5 * np.where(off, weight * (1.0 - absd), 0.0).sum(axis=(1, 2))
    # A group of zero mean has s_j = 0: its within term vanishes although G_jj is 0/0.
    gw = np.where(s > 0, gjj * p * s, 0.0).sum(axis=-1)
    return {
        "G": big_g,
        "Gw": gw,
        "Gnb": gnb,
        "Gt": gt,
        "Gjj": gjj,
        "Gjh": gjh,
        "djh": djh,
        "pjh": pjh,
        "Dsigned": dsigned,
        "p": p,
        "s": s,
        "mu": mu,
    }


def _group_sums(y: np.ndarray, w: np.ndarray | None, g: np.ndarray, k: int):
    """Counts, W_j and μ_j of each group (1-D inputs)."""
    counts = np.bincount(g, minlength=k)
    wsum = counts.astype(np.float64) if w is None else np.bincount(g, weights=w, minlength=k)
    wy = np.bincount(g, weights=y if w is None else w * y, minlength=k)
    with np.errstate(divide="ignore", invalid="ignore"):
        return counts, wsum, wy / wsum


def _kernel(y: np.ndarray, w: np.ndarray | None, g: np.ndarray, k: int, sums=None):
    """Decompose one cross-section: (counts, W_j, μ_j, terms). No validation.

    ``sums`` may pass (counts, W_j, μ_j) already computed by :func:`_group_sums`.
    """
    counts, wsum, mean = _group_sums(y, w, g, k) if sums is None else sums
    order = np.argsort(y)
    a = _one_sided_sums(
        y[order][None, :], None if w is None else w[order][None, :], g[order][None, :], k
    )
    terms = {key: val[0] for key, val in _terms(a, wsum[None], mean[None]).items()}
    return counts, wsum, mean, terms


#: Group means equal to this relative precision count as equal (D_jh = 0, label
#: order), so that summation order (row order) cannot flip a pair of equal means.
_MEAN_TIE_RTOL = 1e-12


def _mean_gaps(mean: np.ndarray) -> np.ndarray:
    """μ_j − μ_h over the last axis pair, with rounding-level gaps set to 0."""
    dmu = mean[..., :, None] - mean[..., None, :]
    scale = np.maximum(np.abs(mean[..., :, None]), np.abs(mean[..., None, :]))
    return np.where(np.abs(dmu) <= _MEAN_TIE_RTOL * scale, 0.0, dmu)


def _mean_order(mean: np.ndarray) -> np.ndarray:
    """Group indices by ascending mean; equal means put the earlier label higher."""
    k = mean.size
    # lexsort: last key is primary. Secondary key −index makes the earlier label
    # rank above a later one with the same mean, so it becomes group_j of the pair.
    order = np.lexsort((-np.arange(k), mean))
    # Means equal up to rounding form one tie cluster, ordered by label alone.
    gaps = np.diff(mean[order]) > _MEAN_TIE_RTOL * np.maximum(
        np.abs(mean[order][1:]), np.abs(mean[order][:-1])
    )
    cluster = np.empty(k, dtype=np.intp)
    cluster[order] = np.concatenate(([0], np.cumsum(gaps)))
    return np.lexsort((-np.arange(k), cluster))


def _ordered_pairs(mean: np.ndarray) -> list[tuple[int, int]]:
    """Pairs (j, h) with μ_j ≥ μ_h, as Dagum lists them: by j's rank, then h's."""
    rank = _mean_order(mean)
    return [(int(rank[a]), int(rank[b])) for a in range(1, rank.size) for b in range(a)]


# ---------------------------------------------------------------------------
# Array-level API
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DagumDecomposition:
    """Dagum decomposition of one cross-section (see the module docstring).

    Matrices are indexed by group position in :attr:`groups` (sorted labels).

    Attributes
    ----------
    G, Gw, Gnb, Gt : float
        Overall Gini and its within, net-between and transvariation parts.
    groups : ndarray
        Sorted distinct group labels, as given.
    n : ndarray of int
        Units per group.
    weight : ndarray
        W_j, the sum of weights per group (equal to ``n`` without weights).
    mean : ndarray
        μ_j, weighted group means.
    p, s : ndarray
        Population shares W_j/W and income shares W_j μ_j/(W μ).
    mu : float
        Overall weighted mean.
    Gjj : ndarray (k,)
        Within-group Ginis.
    Gjh : ndarray (k, k)
        Between-group Ginis, symmetric, with ``Gjh[j, j] == Gjj[j]``.
    djh, pjh : ndarray (k, k)
        ``djh[j, h]`` = E(y_j − y_h)⁺ and ``pjh[j, h]`` = E(y_h − y_j)⁺ for every
        ordered pair, so ``pjh == djh.T``. For a pair in :attr:`pairs` they are
        Dagum's d_jh and p_jh.
    Djh : ndarray (k, k)
        (d − p)/(d + p) for every ordered pair, computed as (μ_j − μ_h)/(d + p)
        (equal by Dagum's identity); antisymmetric, 0 for a degenerate pair and
        for means equal to 1e-12 relative; in [0, 1] for the pairs in :attr:`pairs`.
    pairs : tuple of (int, int)
        The k(k−1)/2 pairs (j, h) with μ_j ≥ μ_h (equal means: the earlier label
        first), ordered by the mean rank of j, then of h.
    """

    G: float
    Gw: float
    Gnb: float
    Gt: float
    groups: np.ndarray
    n: np.ndarray
    weight: np.ndarray
    mean: np.ndarray
    p: np.ndarray
    s: np.ndarray
    mu: float
    Gjj: np.ndarray
    Gjh: np.ndarray
    djh: np.ndarray
    pjh: np.ndarray
    Djh: np.ndarray
    pairs: tuple[tuple[int, int], ...]

    @property
    def shares(self) -> tuple[float, float, float]:
        """(Gw/G, Gnb/G, Gt/G); NaN when G = 0."""
        if self.G == 0:
            return (float("nan"),) * 3
        return (self.Gw / self.G, self.Gnb / self.G, self.Gt / self.G)


def dagum_decompose(y: Any, group: Any, weights: Any = None) -> DagumDecomposition:
    """Dagum (1997) Gini decomposition of one cross-section given as arrays.

    G = Σ_i Σ_r w_i w_r |y_i − y_r| / (2 W² μ) = G_w + G_nb + G_t, with
    G_w = Σ_j G_jj p_j s_j, G_nb = Σ_{j>h} G_jh (p_j s_h + p_h s_j) D_jh and
    G_t = Σ_{j>h} G_jh (p_j s_h + p_h s_j)(1 − D_jh); every term is in the module
    docstring. Computed from one sort and prefix sums: O(n log n + n k) time, O(n)
    memory.

    Parameters
    ----------
    y : array_like of shape (n,)
        Non-negative finite values; every group needs a positive (weighted) mean.
    group : array_like of shape (n,)
        Group labels (anything ``numpy.unique`` can sort).
    weights : array_like of shape (n,), optional
        Non-negative finite unit weights (e.g. population); they replace counts
        everywhere (docs/methods.md §1.5). ``None`` means all 1.

    Returns
    -------
    DagumDecomposition

    Raises
    ------
    InputError
        For negative or non-finite values or weights, mismatched lengths, fewer
        than 2 units, a group with zero total weight or a mean ≤ 0.

    References
    ----------
    Dagum, C. (1997), *Empirical Economics* 22, 515–531.

    Examples
    --------
    >>> import numpy as np
    >>> dec = dagum_decompose([1, 2, 6, 3, 5, 4, 8, 9, 11], list("AAABBCCCC"))
    >>> round(dec.G, 6), round(dec.Gw + dec.Gnb + dec.Gt, 6)
    (0.331066, 0.331066)
    """
    yv = np.asarray(y)
    if yv.ndim != 1:
        raise InputError(f"values must be one-dimensional, got shape {yv.shape}")
    if not (np.issubdtype(yv.dtype, np.number) and not np.issubdtype(yv.dtype, np.complexfloating)):
        raise InputError(f"values must be numeric, got dtype {yv.dtype}")
    yv = yv.astype(np.float64)
    gv = np.asarray(group)
    if gv.shape != yv.shape:
        raise InputError(f"group has shape {gv.shape} but values have shape {yv.shape}")
    if gv.dtype == object or np.issubdtype(gv.dtype, np.floating):
        # a missing label (None, NaN) cannot be sorted among the others: name it
        missing = np.array([v is None or (isinstance(v, float) and v != v) for v in gv.tolist()])
        if missing.any():
            position = int(np.flatnonzero(missing)[0]) + 1
            raise InputError(
                f"missing group label at position {position}", hint="give every unit a group"
            )
        kinds = {type(v) for v in gv.tolist()}
        if len(kinds) > 1 and not kinds <= {int, float, bool}:
            raise InputError(
                "group labels mix types (" + ", ".join(sorted(k.__name__ for k in kinds)) + ")",
                hint="use labels of one type, e.g. all text",
            )
    wv = None
    if weights is not None:
        wv = np.asarray(weights)
        if wv.shape != yv.shape:
            raise InputError(f"weights have shape {wv.shape} but values have shape {yv.shape}")
        if not np.issubdtype(wv.dtype, np.number) or np.issubdtype(wv.dtype, np.complexfloating):
            raise InputError(f"weights must be numeric, got dtype {wv.dtype}")
        wv = wv.astype(np.float64)
    _check_array(yv, "value", rows=None)
    if wv is not None:
        _check_array(wv, "weight", rows=None)
    if yv.size < 2:
        raise InputError(f"{yv.size} unit(s): a Gini needs at least 2")
    labels, codes = np.unique(gv, return_inverse=True)
    codes = codes.reshape(-1).astype(np.intp)
    sy, sw = power_of_two_scale(yv), 1.0 if wv is None else power_of_two_scale(wv)
    dec = _decompose_checked(
        yv / sy if sy != 1.0 else yv,
        None if wv is None else (wv / sw if sw != 1.0 else wv),
        codes,
        labels,
        where="",
    )
    return _rescaled(dec, sy, sw)


def _rescaled(dec: DagumDecomposition, sy: float, sw: float) -> DagumDecomposition:
    """The decomposition of values sy·y and weights sw·w from that of y and w.

    Every Gini, share and D_jh is scale-free; means and d_jh, p_jh scale with y, W_j
    with w. Values near ±1e308 are decomposed on 2⁻ᵏ·y (exact), so that no sum
    overflows; sy = sw = 1 (the usual case) returns ``dec`` itself.
    """
    if sy == 1.0 and sw == 1.0:
        return dec
    return dataclasses.replace(
        dec,
        weight=dec.weight * sw,
        mean=dec.mean * sy,
        mu=dec.mu * sy,
        djh=dec.djh * sy,
        pjh=dec.pjh * sy,
    )


def _decompose_checked(
    y: np.ndarray, w: np.ndarray | None, codes: np.ndarray, labels: np.ndarray, where: str
) -> DagumDecomposition:
    """Check group totals and means, then run the kernel."""
    k = labels.size
    sums = _group_sums(y, w, codes, k)
    counts, wsum, mean = sums
    _check_groups(labels, wsum, mean, where)
    _, _, _, t = _kernel(y, w, codes, k, sums)
    return DagumDecomposition(
        G=float(t["G"]),
        Gw=float(t["Gw"]),
        Gnb=float(t["Gnb"]),
        Gt=float(t["Gt"]),
        groups=labels,
        n=counts,
        weight=wsum,
        mean=mean,
        p=t["p"],
        s=t["s"],
        mu=float(t["mu"]),
        Gjj=t["Gjj"],
        Gjh=t["Gjh"],
        djh=t["djh"],
        pjh=t["pjh"],
        Djh=t["Dsigned"],
        pairs=tuple(_ordered_pairs(mean)),
    )


def _check_array(x: np.ndarray, what: str, rows: np.ndarray | None, column: str | None = None):
    """Reject NaN/inf and negative entries, naming the first offending row."""
    bad = np.flatnonzero(~np.isfinite(x))
    if bad.size:
        i = bad[0]
        raise InputError(
            f"{what} {x[i]} is not finite" + ("" if column else f" (position {i})"),
            row=None if rows is None else int(rows[i]),
            column=column,
            hint="remove or fill the cell",
        )
    bad = np.flatnonzero(x < 0)
    if bad.size:
        i = bad[0]
        hint = (
            "a Gini needs non-negative values; shift or transform the index"
            if what == "value"
            else "weights must be non-negative (e.g. population)"
        )
        raise InputError(
            f"negative {what} {x[i]:g}" + ("" if column else f" (position {i})"),
            row=None if rows is None else int(rows[i]),
            column=column,
            hint=hint,
        )


def _check_groups(labels: np.ndarray, wsum: np.ndarray, mean: np.ndarray, where: str) -> None:
    at = f" in {where}" if where else ""
    if not np.any(wsum > 0):
        raise InputError(f"all weights are 0{at}", hint="give at least one unit a positive weight")
    for j in range(labels.size):
        if wsum[j] <= 0:
            raise InputError(
                f"group '{labels[j]}' has total weight 0{at}",
                hint="drop the group or give its units positive weights",
            )
        if not mean[j] > 0:
            raise InputError(
                f"group '{labels[j]}' has mean {mean[j]:g}{at}; the Dagum Gini needs every group mean > 0",
                hint="drop the group or use a positive index",
            )


# ---------------------------------------------------------------------------
# Bootstrap (stratified by group, batched over replicates)
# ---------------------------------------------------------------------------


def _resolve_rng(seed: int | np.random.Generator | None) -> np.random.Generator:
    """The generator of a seed checked by :class:`~nqpf.options.DagumOptions`."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


def _stratified_indices(
    rng: np.random.Generator, blocks: Sequence[np.ndarray], rows: int
) -> np.ndarray:
    """Positions of ``rows`` stratified resamples, shape (rows, n).

    For each group in label order, in turn, draws an (rows, n_j) matrix of
    ``rng.integers(0, n_j)`` and maps it to that group's positions ``blocks[j]``;
    the columns of the result are the groups' blocks side by side. This draw
    order is part of the contract: it makes a seeded bootstrap reproducible and
    lets a test rebuild any replicate.
    """
    return np.concatenate(
        [blk[rng.integers(0, blk.size, size=(rows, blk.size))] for blk in blocks], axis=1
    )


def _chunk_rows(n: int) -> int:
    """Replicates per batch for a slice of n units (deterministic in n)."""
    return max(1, _BOOT_CHUNK_VALUES // max(n, 1))


def _replicate_terms(
    y: np.ndarray, w: np.ndarray | None, sizes: np.ndarray, idx: np.ndarray
) -> dict[str, np.ndarray]:
    """Dagum terms of each resample row of ``idx`` (groups in contiguous column blocks)."""
    k = sizes.size
    rows = idx.shape[0]
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    gcols = np.repeat(np.arange(k), sizes)
    yb = y[idx]
    wb = None if w is None else w[idx]
    if wb is None:
        wsum = np.broadcast_to(sizes.astype(np.float64), (rows, k))
        mean = np.add.reduceat(yb, starts, axis=1) / wsum
    else:
        wsum = np.add.reduceat(wb, starts, axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = np.add.reduceat(wb * yb, starts, axis=1) / wsum
        # A resample of only zero-weight units leaves its group empty: it then
        # adds nothing to μ or the totals, and its G_jj and G_jh are undefined (NaN).
        mean[wsum == 0] = 0.0
    order = np.argsort(yb, axis=1)
    ys = np.take_along_axis(yb, order, axis=1)
    gs = gcols[order]
    ws = None if wb is None else np.take_along_axis(wb, order, axis=1)
    a = _one_sided_sums(ys, ws, gs, k)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _terms(a, np.ascontiguousarray(wsum), mean)


def _quantities(
    terms: dict[str, np.ndarray], labels: Sequence[str], pairs: Sequence[tuple[int, int]]
) -> tuple[list[str], np.ndarray]:
    """Named scalar quantities (columns) of batched terms (rows).

    Names: G, Gw, Gnb, Gt, the three shares, ``Gjj[g]`` per group, and
    ``Gjh[j|h]`` and ``Djh[j|h]`` per pair in the given orientation; in a resample
    whose means cross, Djh of that orientation is negative (its signed value).
    """
    g = terms["G"]
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = [np.where(g > 0, terms[key] / g, np.nan) for key in ("Gw", "Gnb", "Gt")]
    cols = [g, terms["Gw"], terms["Gnb"], terms["Gt"], *shares]
    names = list(_TOTALS)
    for j, lab in enumerate(labels):
        names.append(f"Gjj[{lab}]")
        cols.append(terms["Gjj"][:, j])
    for j, h in pairs:
        names.append(f"Gjh[{labels[j]}|{labels[h]}]")
        cols.append(terms["Gjh"][:, j, h])
    for j, h in pairs:
        names.append(f"Djh[{labels[j]}|{labels[h]}]")
        cols.append(terms["Dsigned"][:, j, h])
    return names, np.column_stack(cols)


def _percentile_interval(reps: np.ndarray, level: float) -> tuple[np.ndarray, ...]:
    """Percentile interval per column over the finite replicates.

    With m finite replicates, the bound for tail α is the order statistic at
    position h = α(m + 1), linearly interpolated between neighbours when h is not
    whole and clamped to [1, m] (numpy's ``"weibull"`` positions). With B = 999
    and level 0.95 that is exactly the 25th and 975th value, as
    ``boot::boot.ci(type = "perc")`` gives when (B+1)α is whole.
    Returns (lower, upper, m) per column; NaN bounds where m = 0.
    """
    finite = np.isfinite(reps)
    count = finite.sum(axis=0)
    # NaN sorts last, so the first m entries of each column are its finite values
    ordered = np.sort(np.where(finite, reps, np.nan), axis=0)
    cols = np.arange(reps.shape[1])
    bounds = []
    for alpha in ((1.0 - level) / 2.0, (1.0 + level) / 2.0):
        h = alpha * (count + 1.0)
        whole = np.round(h)
        # α(m+1) is whole up to rounding (0.025 × 1000): take the order statistic itself
        h = np.where(np.abs(h - whole) < 1e-9, whole, h)
        h = np.clip(h, 1.0, np.maximum(count, 1))
        lo = np.floor(h).astype(np.intp)
        frac = h - lo
        hi = np.minimum(lo + 1, np.maximum(count, 1))
        a = ordered[lo - 1, cols]
        b = ordered[hi - 1, cols]
        val = np.where(frac > 0, a + frac * (b - a), a)
        bounds.append(np.where(count > 0, val, np.nan))
    return bounds[0], bounds[1], count


def _bootstrap_slice(
    y: np.ndarray,
    w: np.ndarray | None,
    codes: np.ndarray,
    dec: DagumDecomposition,
    n_boot: int,
    rng: np.random.Generator,
    step: Callable[[int], None],
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Stratified bootstrap of one cross-section: (names, estimates, replicates (B, q)).

    Units are drawn with replacement within each group (:func:`_stratified_indices`),
    in batches of :func:`_chunk_rows` replicates; ``step(rows)`` is called after
    each batch.
    """
    labels = [str(v) for v in dec.groups]
    # positions of each group's units, groups in label order (codes are label ranks)
    blocks = np.split(np.argsort(codes, kind="stable"), np.cumsum(dec.n)[:-1])
    sizes = np.asarray(dec.n, dtype=np.intp)
    point = {
        "G": np.array([dec.G]),
        "Gw": np.array([dec.Gw]),
        "Gnb": np.array([dec.Gnb]),
        "Gt": np.array([dec.Gt]),
        "Gjj": dec.Gjj[None],
        "Gjh": dec.Gjh[None],
        "Dsigned": dec.Djh[None],
    }
    names, est = _quantities(point, labels, dec.pairs)
    per = _chunk_rows(y.size)
    reps = np.empty((n_boot, len(names)))
    for start in range(0, n_boot, per):
        stop = min(n_boot, start + per)
        idx = _stratified_indices(rng, blocks, stop - start)
        _, reps[start:stop] = _quantities(_replicate_terms(y, w, sizes, idx), labels, dec.pairs)
        step(stop - start)
    return names, est[0], reps


# ---------------------------------------------------------------------------
# Frame-level API
# ---------------------------------------------------------------------------


def _numeric_column(df: pl.DataFrame, name: str, what: str) -> np.ndarray:
    """Float64 values of a numeric column (numeric text parses by the one rule of
    :func:`nqpf._frames.parse_numbers`); missing cells are refused with their row."""
    return as_float(df, name, what=what)


def _check_columns(df: pl.DataFrame, names: dict[str, str | None]) -> None:
    """Column names are text and present; label columns have no missing cell."""
    for role, name in names.items():
        column_name(role, name, optional=role in ("by", "weights"))
        require_columns(df, [name], role=role)
    # one column in two roles (value = group, say) would decompose a column by itself
    distinct_columns(list(names.values()))
    no_missing(df, [names["group"], names["by"]])


def _dense_codes(col: pl.Series) -> tuple[pl.Series, np.ndarray]:
    """Sorted distinct values (the dtype's order; Enum: category order) and each row's
    0-based position among them."""
    keys = col.unique().sort()
    try:
        # a hash lookup of k keys: several times faster than rank() on 10⁶ strings
        codes = col.replace_strict(
            keys, pl.Series(np.arange(keys.len(), dtype=np.int64)), return_dtype=pl.Int64
        )
    except (pl.exceptions.PolarsError, TypeError):  # dtypes replace_strict cannot map
        codes = col.rank("dense").cast(pl.Int64) - 1
    return keys, codes.to_numpy().astype(np.intp)


@dataclass(frozen=True, slots=True)
class DagumResult(Result):
    """Dagum decomposition of a frame, per ``by`` slice, with optional bootstrap CIs.

    Attributes
    ----------
    overall : polars.DataFrame
        ``<by>, G, Gw, Gnb, Gt, Gw_share, Gnb_share, Gt_share`` — one row per by
        value (one row, without the by column, when ``by`` is None). A share is
        null when G = 0.
    within : polars.DataFrame
        ``<by>, group, n, [weight], mean, Gjj`` — n counts units; ``weight`` (sum
        of weights, W_j) only when weights were given; ``mean`` is the weighted mean.
    between : polars.DataFrame
        ``<by>, group_j, group_h, Gjh, Djh, djh, pjh`` — one row per pair with
        μ_j ≥ μ_h (equal means: the earlier label is group_j), listed by the mean
        rank of group_j, then of group_h.
    intervals : polars.DataFrame or None
        With ``bootstrap > 0``: ``<by>, quantity, estimate, lower, upper, level, B``;
        ``quantity`` is G, Gw, Gnb, Gt, Gw_share, Gnb_share, Gt_share,
        ``Gjj[<group>]``, ``Gjh[<group_j>|<group_h>]`` and ``Djh[<group_j>|<group_h>]``
        (pairs oriented as in :attr:`between`); ``B`` counts the replicates in
        which the quantity is defined. None without a bootstrap.
    replicates : polars.DataFrame or None
        The bootstrap draws behind :attr:`intervals`: ``<by>, replicate, quantity, value``.
    groups : tuple of str
        All group labels in their natural (sorted) order, as strings.
    value, group, by, weights : str or None
        The caller's column names.
    bootstrap : int
        Number of bootstrap replicates B (0 = none).
    level : float
        Confidence level of the intervals.
    options : DagumOptions
        The options of the call (bootstrap, level, seed).

    Tables (:meth:`tables`, the results protocol of :mod:`nqpf.results`): ``summary``
    (:attr:`overall`), ``within``, ``between``, ``period_mean`` and, with a bootstrap,
    ``intervals``; :meth:`summary` is the text report.

    Notes
    -----
    Group labels are output as strings (``cast(pl.String)``), so integer codes
    1, 2, 3 come back as "1", "2", "3"; the order is that of the original values.
    """

    overall: pl.DataFrame
    within: pl.DataFrame
    between: pl.DataFrame
    intervals: pl.DataFrame | None = None
    replicates: pl.DataFrame | None = None
    groups: tuple[str, ...] = ()
    value: str = "value"
    group: str = "group"
    by: str | None = None
    weights: str | None = None
    bootstrap: int = 0
    level: float = 0.95
    #: Output name → its name in these tables where the ``by`` column had it
    #: (by="G" → ``G`` is the by column, the Gini is ``nqpf_G``); absent: its own.
    columns: dict[str, str] = field(default_factory=dict)
    _pair_order: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    #: The options of the call (:class:`nqpf.options.DagumOptions`).
    options: DagumOptions = field(default_factory=DagumOptions, repr=False)

    main_table: ClassVar[str] = "summary"
    title: ClassVar[str] = "Dagum Gini decomposition"

    def column(self, name: str) -> str:
        """The actual name of output column ``name`` (e.g. ``"G"`` → ``"nqpf_G"``)."""
        return self.columns.get(name, name)

    def _view(self, frame: pl.DataFrame) -> pl.DataFrame:
        """``frame`` with the standard output names and the by column as :data:`_BY`."""
        ren = {v: k for k, v in self.columns.items() if v in frame.columns}
        if self.by is not None and self.by in frame.columns:
            ren[self.by] = _BY
        return frame.rename(ren) if ren else frame

    def period_mean(self) -> pl.DataFrame:
        """Means over the by values (the "period mean" row of a paper's table).

        Returns
        -------
        polars.DataFrame
            Columns ``quantity, mean, periods``: ``quantity`` uses the keys of
            :attr:`intervals` — G, Gw, Gnb, Gt, Gw_share, Gnb_share, Gt_share,
            ``Gjj[<group>]`` and ``Gjh[<group_j>|<group_h>]`` — and ``periods``
            counts the by values that entered the mean. Shares are the mean of the
            yearly shares (as papers report them), not the share of the mean G.
            Each pair is named with the group whose mean, averaged over the
            periods, is higher first (equal: the earlier label first); G_jh is
            symmetric, so the orientation only names it. With ``by=None`` the
            means are the single cross-section's values.
        """
        names: list[str] = []
        means: list[float | None] = []
        periods: list[int] = []
        summary, within, between = (
            self._view(f) for f in (self.overall, self.within, self.between)
        )
        for col in _TOTALS:
            s = summary.get_column(col).drop_nulls()
            names.append(col)
            means.append(float(s.mean()) if s.len() else None)
            periods.append(s.len())
        for lab in self.groups:
            s = within.filter(pl.col("group") == lab).get_column("Gjj")
            names.append(f"Gjj[{lab}]")
            means.append(float(s.mean()) if s.len() else None)
            periods.append(s.len())
        pairs = between.with_columns(
            pl.when(_pair_key(pl.col("group_j"), pl.col("group_h"), self._pair_order))
            .then(pl.concat_str("group_j", pl.lit(_SEP), "group_h"))
            .otherwise(pl.concat_str("group_h", pl.lit(_SEP), "group_j"))
            .alias(_PAIR)
        )
        for j, h in self._pair_order:
            s = pairs.filter(pl.col(_PAIR) == f"{j}{_SEP}{h}").get_column("Gjh")
            if s.len():
                names.append(f"Gjh[{j}|{h}]")
                means.append(float(s.mean()))
                periods.append(s.len())
        return pl.DataFrame(
            {"quantity": names, "mean": means, "periods": periods},
            schema={"quantity": pl.String, "mean": pl.Float64, "periods": pl.Int64},
        )

    def period_pairs(self) -> pl.DataFrame:
        """Period means of the between-group terms, one row per pair of groups.

        Returns
        -------
        polars.DataFrame
            ``group_j, group_h, Gjh, Djh, periods``, pairs named and listed as in
            :meth:`period_mean` (higher period-average mean first). ``Gjh`` is the
            mean of the yearly G_jh (:meth:`period_mean`'s ``Gjh[j|h]``). ``Djh``
            is the mean of the yearly relative affluence of group_j over group_h:
            a period in which group_h had the higher mean (so that :attr:`between`
            lists the pair as h, j) enters as −D_hj, since D_hj = −D_jh.
            ``periods`` counts the by values in which the pair occurs.
        """
        oriented = _pair_key(pl.col("group_j"), pl.col("group_h"), self._pair_order)
        pairs = self._view(self.between).select(
            pl.when(oriented).then("group_j").otherwise("group_h").alias("group_j"),
            pl.when(oriented).then("group_h").otherwise("group_j").alias("group_h"),
            pl.col("Gjh"),
            pl.when(oriented).then("Djh").otherwise(-pl.col("Djh")).alias("Djh"),
        )
        means = grouped(
            pairs.group_by("group_j", "group_h"),
            {"Gjh": ("Gjh", "mean"), "Djh": ("Djh", "mean")},
            pl.len().cast(pl.Int64).alias("periods"),
        )
        order = pl.DataFrame(
            {
                "group_j": [j for j, _ in self._pair_order],
                "group_h": [h for _, h in self._pair_order],
            },
            schema={"group_j": pl.String, "group_h": pl.String},
        )
        return order.join(means, on=["group_j", "group_h"], how="inner", maintain_order="left")

    def summary_text(self, digits: int = 4) -> str:
        """The same text as :meth:`summary` (its name before the results protocol)."""
        return self.summary(digits)

    def summary(self, digits: int = 4) -> str:
        """A readable plain-text report: totals and shares, G_jj, G_jh (and CIs)."""
        digits = check_int("digits", digits, low=0, high=17, hint="decimals shown, e.g. 4")
        fmt = f"{{:.{digits}f}}"

        def num(x: Any) -> str:
            return "" if x is None or (isinstance(x, float) and np.isnan(x)) else fmt.format(x)

        def pct(x: Any) -> str:
            return "" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{100 * x:.2f}"

        by = self.by
        head = f"Dagum Gini decomposition of '{self.value}' by '{self.group}' ({len(self.groups)} groups: {', '.join(self.groups)})"
        if by:
            head += f", per '{by}'"
        if self.weights:
            head += f", weighted by '{self.weights}'"
        out = [head, ""]
        pm = dict(
            zip(
                *self.period_mean().select("quantity", "mean").to_dict(as_series=False).values(),
                strict=True,
            )
        )
        summary, within, between = (
            self._view(f) for f in (self.overall, self.within, self.between)
        )
        label = by or ""
        by = _BY if by else None
        keys = [str(v) for v in summary.get_column(by)] if by else [""]
        rows = [
            [key, num(r["G"]), num(r["Gw"]), num(r["Gnb"]), num(r["Gt"]),
             pct(r["Gw_share"]), pct(r["Gnb_share"]), pct(r["Gt_share"])]
            for key, r in zip(keys, summary.iter_rows(named=True), strict=True)
        ]  # fmt: skip
        if by and summary.height > 1:
            rows.append(
                ["mean", *(num(pm[c]) for c in _TOTALS[:4]), *(pct(pm[c]) for c in _TOTALS[4:])]
            )
        out += _table([label, "G", "Gw", "Gnb", "Gt", "Gw %", "Gnb %", "Gt %"], rows)
        out += ["", "Within-group Gini G_jj"]
        out += _wide(within, by, keys, "group", list(self.groups), "Gjj", num, pm, "Gjj", label)
        if self._pair_order:
            pair_names = [f"{j}{_SEP}{h}" for j, h in self._pair_order]
            between = between.with_columns(
                pl.when(_pair_key(pl.col("group_j"), pl.col("group_h"), self._pair_order))
                .then(pl.concat_str("group_j", pl.lit(_SEP), "group_h"))
                .otherwise(pl.concat_str("group_h", pl.lit(_SEP), "group_j"))
                .alias(_PAIR)
            )
            out += ["", "Between-group Gini G_jh (pair j|h)"]
            out += _wide(between, by, keys, _PAIR, pair_names, "Gjh", num, pm, "Gjh", label)
            out += ["", "Relative economic affluence D_jh (row's own mean order)"]
            out += _wide(between, by, keys, _PAIR, pair_names, "Djh", num, None, "Djh", label)
        if self.intervals is not None:
            pct_level = f"{100 * self.level:g}%"
            out += [
                "",
                f"Bootstrap {pct_level} percentile intervals (B = {self.bootstrap}, stratified by group)",
            ]
            iv = self._view(self.intervals).filter(pl.col("quantity").is_in(list(_TOTALS)))
            rows = []
            for r in iv.iter_rows(named=True):
                rows.append(
                    [
                        str(r[by]) if by else "",
                        r["quantity"],
                        num(r["estimate"]),
                        num(r["lower"]),
                        num(r["upper"]),
                    ]
                )
            out += _table([label, "quantity", "estimate", "lower", "upper"], rows)
        return "\n".join(out)

    def __repr__(self) -> str:
        slices = self.overall.height
        return (
            f"DagumResult(value={self.value!r}, group={self.group!r}, by={self.by!r}, "
            f"weights={self.weights!r}, slices={slices}, groups={len(self.groups)}, "
            f"bootstrap={self.bootstrap})"
        )

    def tables(self) -> dict[str, pl.DataFrame]:
        """The result as named tables, for :func:`nqpf.io.write_tables`.

        ``summary``, ``within``, ``between``, ``period_mean`` and, with a bootstrap,
        ``intervals`` (the replicates are left out: B rows per quantity).
        """
        out = {
            "summary": self.overall,
            "within": self.within,
            "between": self.between,
            "period_mean": self.period_mean(),
        }
        if self.intervals is not None:
            out["intervals"] = self.intervals
        return out


def _pair_key(gj: pl.Expr, gh: pl.Expr, order: Sequence[tuple[str, str]]) -> pl.Expr:
    """True where (gj, gh) is oriented as in ``order``."""
    oriented = [f"{j}{_SEP}{h}" for j, h in order]
    return pl.concat_str(gj, pl.lit(_SEP), gh).is_in(oriented)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Fixed-width text table: a left-aligned key column, right-aligned numbers."""
    left = 1
    if header[0] == "" and all(r[0] == "" for r in rows):
        # no by column: drop the empty key column
        header, rows, left = header[1:], [r[1:] for r in rows], 0
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(wd) if i < left else c.rjust(wd)
            for i, (c, wd) in enumerate(zip(cells, widths, strict=True))
        )

    return [line(header), *(line(r) for r in rows)]


def _wide(frame, by, keys, col, names, val, num, pm, prefix, label=None) -> list[str]:
    """Rows = by values, columns = groups or pairs; optional period-mean row."""
    rows = []
    for key in keys:
        sub = frame.filter(pl.col(by).cast(pl.String) == key) if by else frame
        got = dict(zip(sub.get_column(col).to_list(), sub.get_column(val).to_list(), strict=True))
        rows.append([key, *(num(got.get(n)) for n in names)])
    # pairs are matched on "j<SEP>h" and shown (and keyed in period_mean) as "j|h"
    shown = [n.replace(_SEP, "|") for n in names]
    if pm is not None and by and len(keys) > 1:
        rows.append(["mean", *(num(pm.get(f"{prefix}[{n}]")) for n in shown)])
    return _table([(label if label is not None else by) or "", *shown], rows)


@takes_options(DagumOptions)
def dagum_gini(
    frame: Any,
    value: str,
    group: str,
    by: str | None = None,
    weights: str | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    options: DagumOptions,
) -> DagumResult:
    """Dagum (1997) Gini decomposition of a frame by group, per ``by`` slice.

    For each value of ``by`` (e.g. each year) the units of that slice are split
    by ``group`` and G = G_w + G_nb + G_t is computed with
    G_jj = ΣΣ w_i w_r |y_i − y_r| / (2 W_j² μ_j), G_jh = ΣΣ w_i w_r |y_i − y_r| /
    (W_j W_h (μ_j + μ_h)), D_jh = (d_jh − p_jh)/(d_jh + p_jh) for μ_j ≥ μ_h,
    G_w = Σ G_jj p_j s_j, G_nb = Σ G_jh (p_j s_h + p_h s_j) D_jh and
    G_t = Σ G_jh (p_j s_h + p_h s_j)(1 − D_jh) (module docstring; weights replace
    counts everywhere). O(n log n) per slice, no n × n matrix.

    Parameters
    ----------
    frame : polars.DataFrame, polars.LazyFrame, pandas.DataFrame or IndexResult
        The data, one row per unit (and by value). Anything with a polars
        ``.scores`` attribute (an :class:`nqpf.index.IndexResult`) is read from it.
    value : str
        Column of non-negative values (e.g. ``"score"``). A text column is
        accepted when every cell is a number.
    group : str
        Column of group labels (strings or integers; output as strings).
    by : str, optional
        Column to slice by (e.g. ``"year"``); each slice needs at least 2 units.
    weights : str, optional
        Column of non-negative unit weights (e.g. population); not all 0.
    bootstrap : int, default 0
        Number of bootstrap replicates B; 0 for none. Units are resampled with
        replacement within each slice and group (stratified; weights travel with
        their unit) and percentile intervals are returned in ``.intervals``.
        999 is the usual choice.
    level : float, default 0.95
        Confidence level of the intervals.
    seed : int or numpy.random.Generator, optional
        Randomness of the bootstrap. Draws go slice by slice (sorted by value),
        then batch by batch, then group by group in label order, each a
        ``rng.integers(0, n_j, size=(rows, n_j))`` matrix.
    progress : callable(done, total), optional
        Called after each batch of replicates; ``total`` is B × number of slices.

    Returns
    -------
    DagumResult
        ``.overall``, ``.within``, ``.between``, ``.intervals``, ``.period_mean()``,
        ``.summary()`` (text).

    Raises
    ------
    InputError
        A missing column; a non-numeric value or weight column; a null (naming
        the row and column); a NaN, infinite or negative value or weight; a slice
        with fewer than 2 units; all weights 0 or a group with total weight 0; a
        group mean ≤ 0 (naming the group and the by value).

    References
    ----------
    Dagum, C. (1997), *Empirical Economics* 22, 515–531; docs/methods.md §1.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"y": [1, 2, 6, 3, 5, 4, 8, 9, 11], "g": list("AAABBCCCC")})
    >>> res = dagum_gini(df, "y", "g")
    >>> res.overall.select(pl.col("G", "Gw", "Gnb", "Gt").round(6)).row(0)
    (0.331066, 0.077098, 0.222222, 0.031746)
    """
    bootstrap, level = options.bootstrap, options.level
    rng = _resolve_rng(options.seed)
    if progress is not None and not callable(progress):
        raise InputError(f"progress={progress!r} must be a function progress(done, total)")
    df, y, w, rows, (sy, sw) = _frame_values(frame, value, group, by, weights)
    names = {name: output_name(name, [] if by is None else [by]) for name in _RESERVED}
    group_keys, gcode = _dense_codes(df.get_column(group))
    labels_all = np.array(group_keys.cast(pl.String).to_list(), dtype=object)
    if by is not None:
        by_keys, bcode = _dense_codes(df.get_column(by))
    else:
        by_keys, bcode = None, np.zeros(df.height, dtype=np.intp)
    n_slices = 1 if by_keys is None else by_keys.len()
    order = np.argsort(bcode, kind="stable")
    bounds = np.concatenate(([0], np.cumsum(np.bincount(bcode, minlength=n_slices))))
    collected = _Collected(weighted=w is not None)
    counter = _Progress(progress, bootstrap * n_slices)
    for t in range(n_slices):
        pos = order[bounds[t] : bounds[t + 1]]
        where = "" if by_keys is None else f"{by}={by_keys[t]}"
        if pos.size < 2:
            raise InputError(
                f"only {pos.size} unit in {where}; a Gini needs at least 2",
                row=int(rows[pos[0]]) if pos.size else None,
                column=by,
                hint="drop that slice",
            )
        yt = y[pos]
        wt = None if w is None else w[pos]
        present, local = np.unique(gcode[pos], return_inverse=True)
        local = local.reshape(-1).astype(np.intp)
        labels = labels_all[present]
        try:
            point = _decompose_checked(yt, wt, local, labels, where)  # on the scaled values
        except InputError as err:
            raise InputError(err.what, column=group, hint=err.hint) from None
        collected.add_slice(t, _rescaled(point, sy, sw), labels)
        if bootstrap:
            boot = _bootstrap_slice(yt, wt, local, point, bootstrap, rng, counter.step)
            collected.add_bootstrap(t, *boot, level)
    tables = collected.frames(names, by, by_keys, bootstrap)
    renamed = {k: v for k, v in names.items() if k != v}
    return DagumResult(
        **tables,
        groups=tuple(labels_all.tolist()),
        value=value,
        group=group,
        by=by,
        weights=weights,
        bootstrap=bootstrap,
        level=level,
        columns=renamed,
        options=options,
        _pair_order=_period_pair_order(
            tables["within"],
            tuple(labels_all.tolist()),
            renamed.get("group", "group"),
            renamed.get("mean", "mean"),
        ),
    )


def _frame_values(
    frame: Any, value: str, group: str, by: str | None, weights: str | None
) -> tuple[pl.DataFrame, np.ndarray, np.ndarray | None, np.ndarray, tuple[float, float]]:
    """The checked frame, its values y and weights w (each divided by a power of two,
    given last, when near ±1e308), and the 1-based row of each unit for messages."""
    df = to_polars(frame)
    _check_columns(df, {"value": value, "group": group, "by": by, "weights": weights})
    if df.height == 0:
        raise InputError("the table has no rows")
    # rows in messages: the 1-based data row of the frame as the caller gave it
    rows = np.arange(1, df.height + 1)
    y = _numeric_column(df, value, "value")
    _check_array(y, "value", rows, column=value)
    w = None
    if weights is not None:
        w = _numeric_column(df, weights, "weight")
        _check_array(w, "weight", rows, column=weights)
    # Values (or weights) near ±1e308 would overflow the sums: decompose 2⁻ᵏ·y, exactly,
    # and scale the means, d_jh, p_jh (and W_j) back; every Gini is scale-free.
    sy = power_of_two_scale(y)
    sw = 1.0 if w is None else power_of_two_scale(w)
    if sy != 1.0:
        y = y / sy
    if w is not None and sw != 1.0:
        w = w / sw
    return df, y, w, rows, (sy, sw)


class _Progress:
    """Counts the bootstrap replicates done over all slices and reports them."""

    def __init__(self, progress: Callable[[int, int], None] | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def step(self, rows_done: int) -> None:
        self.done += rows_done
        if self.progress is not None:
            self.progress(self.done, self.total)


@dataclass
class _Collected:
    """The rows of the output tables, collected slice by slice (``t``: slice number)."""

    weighted: bool
    summary: list[list[float]] = field(default_factory=list)
    within: list[tuple] = field(default_factory=list)
    within_by: list[int] = field(default_factory=list)
    between: list[tuple] = field(default_factory=list)
    between_by: list[int] = field(default_factory=list)
    intervals: list[tuple] = field(default_factory=list)
    intervals_by: list[int] = field(default_factory=list)
    replicates: list[tuple[int, list[str], np.ndarray]] = field(default_factory=list)

    def add_slice(self, t: int, dec: DagumDecomposition, labels: np.ndarray) -> None:
        self.summary.append([dec.G, dec.Gw, dec.Gnb, dec.Gt, *dec.shares])
        for j in range(labels.size):
            rec = (labels[j], int(dec.n[j]))
            if self.weighted:
                rec += (float(dec.weight[j]),)
            self.within.append((*rec, float(dec.mean[j]), float(dec.Gjj[j])))
            self.within_by.append(t)
        for j, h in dec.pairs:
            self.between.append(
                (labels[j], labels[h], float(dec.Gjh[j, h]), float(dec.Djh[j, h]),
                 float(dec.djh[j, h]), float(dec.pjh[j, h]))
            )  # fmt: skip
            self.between_by.append(t)

    def add_bootstrap(
        self, t: int, names: list[str], est: np.ndarray, reps: np.ndarray, level: float
    ) -> None:
        lower, upper, count = _percentile_interval(reps, level)
        for i, name in enumerate(names):
            self.intervals.append(
                (name, float(est[i]), float(lower[i]), float(upper[i]), level, int(count[i]))
            )
            self.intervals_by.append(t)
        self.replicates.append((t, names, reps))

    def frames(
        self, names: dict[str, str], by: str | None, by_keys: pl.Series | None, bootstrap: int
    ) -> dict[str, pl.DataFrame | None]:
        """``overall``, ``within``, ``between``, ``intervals`` and ``replicates``."""

        def with_by(frame_: pl.DataFrame, idx: list[int]) -> pl.DataFrame:
            # the output columns take the names chosen around the by column's
            frame_ = frame_.rename({c: names[c] for c in frame_.columns if names[c] != c})
            if by_keys is None:
                return frame_
            return frame_.insert_column(0, by_keys.gather(idx).alias(by))

        nan_to_null = [pl.col(c).fill_nan(None) for c in _TOTALS]
        summary = pl.DataFrame(
            self.summary, schema=dict.fromkeys(_TOTALS, pl.Float64), orient="row"
        ).with_columns(nan_to_null)
        wcols = {"group": pl.String, "n": pl.Int64}
        if self.weighted:
            wcols["weight"] = pl.Float64
        wcols |= {"mean": pl.Float64, "Gjj": pl.Float64}
        bcols = {"group_j": pl.String, "group_h": pl.String, "Gjh": pl.Float64, "Djh": pl.Float64,
                 "djh": pl.Float64, "pjh": pl.Float64}  # fmt: skip
        out: dict[str, pl.DataFrame | None] = {
            "overall": with_by(summary, list(range(len(self.summary)))),
            "within": with_by(
                pl.DataFrame(self.within, schema=wcols, orient="row"), self.within_by
            ),
            "between": with_by(
                pl.DataFrame(self.between, schema=bcols, orient="row"), self.between_by
            ),
            "intervals": None,
            "replicates": None,
        }
        if not bootstrap:
            return out
        icols = {"quantity": pl.String, "estimate": pl.Float64, "lower": pl.Float64,
                 "upper": pl.Float64, "level": pl.Float64, "B": pl.Int64}  # fmt: skip
        out["intervals"] = with_by(
            pl.DataFrame(self.intervals, schema=icols, orient="row").with_columns(
                pl.col("estimate", "lower", "upper").fill_nan(None)
            ),
            self.intervals_by,
        )
        parts = []
        for t, quantity_names, reps in self.replicates:
            part = pl.DataFrame(
                {
                    "replicate": np.repeat(np.arange(1, bootstrap + 1), len(quantity_names)),
                    "quantity": np.tile(np.array(quantity_names, dtype=object), bootstrap),
                    "value": reps.ravel(),
                },
                schema={"replicate": pl.Int64, "quantity": pl.String, "value": pl.Float64},
            )
            parts.append(with_by(part, [t] * part.height))
        out["replicates"] = pl.concat(parts)
        return out


def _period_pair_order(
    within: pl.DataFrame, groups: tuple[str, ...], group: str = "group", mean: str = "mean"
) -> tuple[tuple[str, str], ...]:
    """Pairs named by the period-average group means (higher first), Dagum's listing order."""
    # averaged on 2⁻ᵏ·μ (exact), so that means near 1e308 do not overflow their sum
    # (in numpy: polars may divide by a literal as a product with its reciprocal, which
    # overflows for a subnormal scale)
    values = within.get_column(mean).to_numpy()
    scaled = pl.Series(mean, values / power_of_two_scale(values))
    avg = grouped(within.select(group).with_columns(scaled).group_by(group), {mean: (mean, "mean")})
    lookup = dict(zip(avg.get_column(group).to_list(), avg.get_column(mean).to_list(), strict=True))
    present = [g for g in groups if g in lookup]
    means = np.array([lookup[g] for g in present], dtype=np.float64)
    return tuple((present[j], present[h]) for j, h in _ordered_pairs(means))
