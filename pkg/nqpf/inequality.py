"""Inequality measures: the generalised entropy family, Atkinson, the (extended) Gini
and its decompositions by group and by source, per year, weighted, with a bootstrap.

For values y_i ≥ 0 of n units with non-negative weights w_i (all 1 when none are
given; population or GDP), write p_i = w_i / Σ w the unit shares and μ = Σ p_i y_i.
For groups j (e.g. regions of a country) P_j = Σ_{i∈j} p_i is the population share,
μ_j the group's weighted mean and s_j = P_j μ_j / μ its income share.

Generalised entropy and Theil (Shorrocks 1980; Cowell 2011, ch. 3)
    GE(α) = 1/(α(α − 1)) Σ p_i [(y_i/μ)^α − 1]    (α ≠ 0, 1)
    GE(1) = Σ p_i (y_i/μ) ln(y_i/μ)                Theil T (0 ln 0 = 0)
    GE(0) = −Σ p_i ln(y_i/μ)                       Theil L, the mean log deviation
    GE = Σ_j P_j^{1−α} s_j^α GE_j + GE(μ_j)         within + between (exact)
    where GE(μ_j) is GE of the group means with weights P_j. α ≤ 0 needs y > 0.

Atkinson (1970)
    A(ε) = 1 − (Σ p_i (y_i/μ)^{1−ε})^{1/(1−ε)}      (ε ≠ 1)
    A(1) = 1 − exp(Σ p_i ln y_i) / μ               (the geometric mean)
    ε ≥ 1 needs y > 0; A(0) = 0.

Gini and the extended (S-)Gini (Yitzhaki 1983; Donaldson & Weymark 1980)
    With units sorted ascending, F⁻_i = Σ_{r<i} p_r, F⁺_i = F⁻_i + p_i and the rank
    weight r_i = [(1 − F⁻_i)^ν − (1 − F⁺_i)^ν] / (ν p_i), averaged (p-weighted) over
    each run of tied values so that the order of ties is free,
    G(ν) = −ν cov_p(y, r) / μ = 1 − ν Σ p_i y_i r_i / μ,   ν > 1.
    ν = 2 gives r = 1 − F (mid-point cumulative share) and the Gini
    G = 2 cov_p(y, F)/μ = Σ_i Σ_r p_i p_r |y_i − y_r| / (2μ), computed from one sort,
    O(n log n) (no double sum). ``correction`` multiplies the Gini by n/(n − 1)
    (n the number of units; ineq's ``Gini(x, corr = TRUE)``).

Yitzhaki–Lerman stratification decomposition by group (Yitzhaki & Lerman 1991;
Yitzhaki 1994)
    G = Σ_j s_j G_j  +  Σ_j s_j G_j (O_j − 1)  +  G_B
    with G_j the group's own (S-)Gini, O_j = cov_j(y, r)/cov_j(y, r_j) the overlapping
    index of group j (r the rank weight in the whole distribution, r_j within the group;
    O_j = 1 when the group spans the whole distribution alone, smaller for a stratum),
    G_B = −ν cov_P(μ_j, r̄_j)/μ the between-group term (r̄_j: group j's mean rank
    weight). The three terms sum to G exactly (the law of total covariance). The
    stratification index is S_j = (1 − O_j)/(1 − P_j), as R's IC2 ``decompSGini(...,
    decomp = "YL")`` reports it.

Lerman–Yitzhaki source decomposition (Lerman & Yitzhaki 1985)
    For y = Σ_k y_k (e.g. the index as the sum of its dimensions' contributions),
    G = Σ_k S_k G_k R_k with S_k = μ_k/μ, G_k the (S-)Gini of source k and
    R_k = cov(y_k, r)/cov(y_k, r_k) its Gini correlation with the total; the share of
    source k in G is S_k G_k R_k / G and the effect of a 1 % increase of source k on
    G, relative to G, is S_k G_k R_k / G − S_k (the "marginal" column, Stata's
    ``descogini`` "% change").

The bootstrap resamples units with replacement within each year and group (each draw
carries its weight; without groups within each year), with :mod:`nqpf.dagum`'s
machinery and conventions (draw order, percentile intervals; docs/methods.md §1.8).

References
----------
Atkinson, A. B. (1970). On the measurement of inequality. *J. Econ. Theory* 2, 244–263.
Shorrocks, A. F. (1980). The class of additively decomposable inequality measures.
*Econometrica* 48, 613–625.
Yitzhaki, S. (1983). On an extension of the Gini inequality index. *Int. Econ. Rev.*
24, 617–628.
Lerman, R. I. and Yitzhaki, S. (1985). Income inequality effects by income source: a
new approach and applications to the United States. *Rev. Econ. Stat.* 67, 151–156.
Yitzhaki, S. and Lerman, R. I. (1991). Income stratification and income inequality.
*Rev. Income Wealth* 37, 313–329.
Yitzhaki, S. (1994). Economic distance and overlapping of distributions. *J.
Econometrics* 61, 147–159.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import polars as pl

from nqpf._frames import (
    as_float,
    column_name,
    distinct_columns,
    grouped,
    no_missing,
    output_name,
    require_columns,
    to_polars,
)
from nqpf.dagum import (
    _check_array,
    _chunk_rows,
    _dense_codes,
    _percentile_interval,
    _resolve_rng,
    _stratified_indices,
)
from nqpf.errors import InputError
from nqpf.options import InequalityOptions, takes_options
from nqpf.results import Result
from nqpf.weights import power_of_two_scale

__all__ = [
    "AtkinsonResult",
    "GEResult",
    "GiniResult",
    "InequalityResult",
    "SourceResult",
    "atkinson",
    "dimension_contributions",
    "generalized_entropy",
    "gini",
    "gini_by_dimension",
    "gini_sources",
    "inequality",
    "theil",
]

Kernel = Callable[[np.ndarray, np.ndarray, np.ndarray], dict[str, np.ndarray]]


# ---------------------------------------------------------------------------
# Kernels: arrays of shape (R, n), one row per cross-section (R = 1 for the estimate,
# R replicates in the bootstrap); the units of group j are the contiguous block j of
# ``sizes`` (so that a stratified resample keeps every group in its columns).
# ---------------------------------------------------------------------------


def _unit_shares(w: np.ndarray) -> np.ndarray:
    """p_i = w_i / Σ w per row."""
    return w / w.sum(axis=-1, keepdims=True)


def _ge_terms(ratio: np.ndarray, alpha: float) -> np.ndarray:
    """The unit term of GE(α) at y/μ: r ln r (α = 1), −ln r (α = 0), (r^α − 1)/(α(α−1))."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if alpha == 1:
            return np.where(ratio > 0, ratio * np.log(np.where(ratio > 0, ratio, 1.0)), 0.0)
        if alpha == 0:
            return -np.log(ratio)
        return (ratio**alpha - 1.0) / (alpha * (alpha - 1.0))


def _starts(sizes: np.ndarray) -> np.ndarray:
    return np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.intp)


def _group_means(y: np.ndarray, p: np.ndarray, sizes: np.ndarray):
    """P_j, μ_j (R, k) and μ (R,)."""
    starts = _starts(sizes)
    big_p = np.add.reduceat(p, starts, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.add.reduceat(p * y, starts, axis=-1) / big_p
    mu = (p * y).sum(axis=-1)
    return big_p, mean, mu


def _ge_kernel(alpha: float) -> Kernel:
    """GE(α) with its within/between decomposition (module docstring)."""

    def kernel(y: np.ndarray, w: np.ndarray, sizes: np.ndarray) -> dict[str, np.ndarray]:
        p = _unit_shares(w)
        big_p, mean, mu = _group_means(y, p, sizes)
        index = (p * _ge_terms(y / mu[:, None], alpha)).sum(axis=-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            local = _ge_terms(y / np.repeat(mean, sizes, axis=-1), alpha)
            ge_j = np.add.reduceat(p * local, _starts(sizes), axis=-1) / big_p
            between = (big_p * _ge_terms(mean / mu[:, None], alpha)).sum(axis=-1)
            s = big_p * mean / mu[:, None]
            contrib = np.where(big_p > 0, big_p ** (1.0 - alpha) * s**alpha * ge_j, 0.0)
        within = contrib.sum(axis=-1)
        return {
            "index": index,
            "within": within,
            "between": between,
            "between_share": np.where(index > 0, between / np.where(index > 0, index, 1.0), np.nan),
            "GE_j": ge_j,
            "contribution": contrib,
            "mean": mean,
            "pop_share": big_p,
            "income_share": s,
        }

    return kernel


def _atkinson_kernel(epsilon: float) -> Kernel:
    """A(ε) (module docstring); groups are ignored."""

    def kernel(y: np.ndarray, w: np.ndarray, sizes: np.ndarray) -> dict[str, np.ndarray]:
        p = _unit_shares(w)
        mu = (p * y).sum(axis=-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            if epsilon == 1:
                ede = np.exp((p * np.log(y)).sum(axis=-1))
            else:
                ede = mu * (p * (y / mu[:, None]) ** (1.0 - epsilon)).sum(axis=-1) ** (
                    1.0 / (1.0 - epsilon)
                )
        return {"index": 1.0 - ede / mu, "ede": ede, "mean": mu}

    return kernel


def _rank_weights(y: np.ndarray, p: np.ndarray, nu: float) -> np.ndarray:
    """r_i = [(1 − F⁻_i)^ν − (1 − F⁺_i)^ν]/(ν p_i), each run of ties given its
    p-weighted average (module docstring), in the units' own order; rows independent."""
    order = np.argsort(y, axis=-1, kind="stable")
    ys = np.take_along_axis(y, order, axis=-1)
    ps = np.take_along_axis(p, order, axis=-1)
    upper = np.cumsum(ps, axis=-1)
    total = upper[..., -1:]
    n = y.shape[-1]
    pos = np.broadcast_to(np.arange(n), y.shape)
    new = np.ones(y.shape, dtype=bool)
    new[..., 1:] = ys[..., 1:] != ys[..., :-1]
    last = np.ones(y.shape, dtype=bool)
    last[..., :-1] = new[..., 1:]
    # first and last position of each unit's run of tied values
    first = np.maximum.accumulate(np.where(new, pos, 0), axis=-1)
    end = np.flip(np.minimum.accumulate(np.flip(np.where(last, pos, n - 1), -1), axis=-1), -1)
    hi = np.take_along_axis(upper, end, axis=-1) / total
    lo = (
        np.take_along_axis(upper, first, axis=-1) - np.take_along_axis(ps, first, axis=-1)
    ) / total
    hi = np.minimum(hi, 1.0)
    lo = np.clip(lo, 0.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        # a run of zero weight adds nothing: its weight is the derivative's limit
        r = np.where(
            hi > lo,
            ((1.0 - lo) ** nu - (1.0 - hi) ** nu) / (nu * (hi - lo)),
            (1.0 - lo) ** (nu - 1.0),
        )
    out = np.empty_like(r)
    np.put_along_axis(out, order, r, axis=-1)
    return out


def _sgini_of(y: np.ndarray, p: np.ndarray, nu: float) -> tuple[np.ndarray, np.ndarray]:
    """(G(ν), r) of each row: G = −ν cov_p(y, r)/μ."""
    r = _rank_weights(y, p, nu)
    q = p / p.sum(axis=-1, keepdims=True)
    mu = (q * y).sum(axis=-1)
    rbar = (q * r).sum(axis=-1)
    cov = (q * (y - mu[:, None]) * (r - rbar[:, None])).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -nu * cov / mu, r


def _gini_kernel(nu: float, factor: float = 1.0) -> Kernel:
    """The (S-)Gini and its Yitzhaki–Lerman decomposition by the blocks (module
    docstring). ``factor`` (n/(n − 1) or 1) scales the undecomposed Gini."""

    def kernel(y: np.ndarray, w: np.ndarray, sizes: np.ndarray) -> dict[str, np.ndarray]:
        p = _unit_shares(w)
        index, r = _sgini_of(y, p, nu)
        big_p, mean, mu = _group_means(y, p, sizes)
        rows, k = big_p.shape
        g_j = np.empty((rows, k))
        overlap = np.empty((rows, k))
        term = np.empty((rows, k))
        rbar = np.empty((rows, k))
        for j, (a, size) in enumerate(zip(_starts(sizes), sizes, strict=True)):
            yb, pb, rb = y[:, a : a + size], p[:, a : a + size], r[:, a : a + size]
            with np.errstate(divide="ignore", invalid="ignore"):
                qb = pb / big_p[:, j : j + 1]
                g_j[:, j], r_own = _sgini_of(yb, pb, nu)
                rbar[:, j] = (qb * rb).sum(axis=-1)
                dev = yb - mean[:, j : j + 1]
                cov_all = (qb * dev * (rb - rbar[:, j : j + 1])).sum(axis=-1)
                cov_own = (qb * dev * (r_own - (qb * r_own).sum(-1, keepdims=True))).sum(-1)
                overlap[:, j] = cov_all / cov_own
                term[:, j] = -nu * big_p[:, j] * cov_all / mu
        with np.errstate(divide="ignore", invalid="ignore"):
            s = big_p * mean / mu[:, None]
            rbar_all = (big_p * rbar).sum(axis=-1, keepdims=True)
            mean_all = (big_p * mean).sum(axis=-1, keepdims=True)
            between = -nu * (big_p * (mean - mean_all) * (rbar - rbar_all)).sum(-1) / mu
            plain = np.where(big_p > 0, s * g_j, 0.0)
            strat = (1.0 - overlap) / (1.0 - big_p)
        term = np.where(big_p > 0, term, 0.0)
        within = plain.sum(axis=-1)
        return {
            "index": index * factor,
            "within": within,
            "overlap": (term - plain).sum(axis=-1),
            "between": between,
            "G_j": g_j,
            "O_j": overlap,
            "S_j": strat,
            "contribution": term,
            "mean": mean,
            "pop_share": big_p,
            "income_share": s,
        }

    return kernel


def _sources_kernel(nu: float, parts: int) -> Kernel:
    """Lerman–Yitzhaki decomposition; ``y`` holds the ``parts`` components side by side
    on its last axis, (R, n·parts), component k in columns k·n … (k+1)·n − 1."""

    def kernel(y: np.ndarray, w: np.ndarray, sizes: np.ndarray) -> dict[str, np.ndarray]:
        n = w.shape[-1]
        comps = [y[:, k * n : (k + 1) * n] for k in range(parts)]
        total = np.sum(comps, axis=0)
        p = _unit_shares(w)
        index, r = _sgini_of(total, p, nu)
        mu = (p * total).sum(axis=-1)
        rbar = (p * r).sum(axis=-1, keepdims=True)
        out = {name: np.empty((y.shape[0], parts)) for name in ("S_k", "G_k", "R_k", "C_k")}
        for k, yk in enumerate(comps):
            g_k, r_k = _sgini_of(yk, p, nu)
            mu_k = (p * yk).sum(axis=-1)
            dev = yk - mu_k[:, None]
            cov_all = (p * dev * (r - rbar)).sum(axis=-1)
            cov_own = (p * dev * (r_k - (p * r_k).sum(-1, keepdims=True))).sum(-1)
            with np.errstate(divide="ignore", invalid="ignore"):
                out["S_k"][:, k] = mu_k / mu
                out["G_k"][:, k] = g_k
                out["R_k"][:, k] = cov_all / cov_own
            out["C_k"][:, k] = -nu * cov_all / mu
        with np.errstate(divide="ignore", invalid="ignore"):
            share = out["C_k"] / index[:, None]
        return {
            "index": index,
            **out,
            "share": share,
            "marginal": share - out["S_k"],
        }

    return kernel


# ---------------------------------------------------------------------------
# The frame: checks, slices, bootstrap
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Data:
    """A checked frame: values (n, or n × components), weights, codes, labels, rows."""

    y: np.ndarray
    w: np.ndarray | None
    gcode: np.ndarray
    labels: np.ndarray
    by_keys: pl.Series | None
    bcode: np.ndarray
    rows: np.ndarray
    region: np.ndarray | None
    scale: float


def _read(
    frame: Any,
    values: Sequence[str],
    group: str | None,
    by: str | None,
    weights: str | None,
    region: str | None,
) -> _Data:
    """The frame's columns checked once: names, numbers, no missing label, y ≥ 0, w ≥ 0."""
    df = to_polars(frame)
    roles = {"group": group, "by": by, "weights": weights, "region": region}
    for i, name in enumerate(values):
        column_name("value" if i == 0 else "component", name)
        require_columns(df, [name], role="value")
    for role, name in roles.items():
        column_name(role, name, optional=True)
        require_columns(df, [name], role=role)
    distinct_columns([*values, *roles.values()])
    no_missing(df, [group, by, region])
    if df.height == 0:
        raise InputError("the table has no rows")
    rows = np.arange(1, df.height + 1)
    ys = []
    for name in values:
        y = as_float(df, name, what="value")
        _check_array(y, "value", rows, column=name)
        ys.append(y)
    y = np.column_stack(ys) if len(ys) > 1 else ys[0]
    w = None
    if weights is not None:
        w = as_float(df, weights, what="weight")
        _check_array(w, "weight", rows, column=weights)
        w = w / power_of_two_scale(w)
    # every measure is scale-free: values near 1e308 are measured as 2⁻ᵏ·y (exact)
    scale = power_of_two_scale(y)
    if group is not None:
        keys, gcode = _dense_codes(df.get_column(group))
        labels = np.array(keys.cast(pl.String).to_list(), dtype=object)
    else:
        gcode, labels = np.zeros(df.height, dtype=np.intp), np.array(["all"], dtype=object)
    by_keys, bcode = (None, np.zeros(df.height, dtype=np.intp))
    if by is not None:
        by_keys, bcode = _dense_codes(df.get_column(by))
    names = None if region is None else np.array(df.get_column(region).cast(pl.String).to_list())
    return _Data(y / scale, w, gcode, labels, by_keys, bcode, rows, names, scale)


@dataclass(frozen=True)
class _Slice:
    """One by-slice in group-block order: values, weights (1 when none), group sizes."""

    where: str
    y: np.ndarray
    w: np.ndarray
    sizes: np.ndarray
    labels: np.ndarray
    rows: np.ndarray
    region: np.ndarray | None


def _slices(data: _Data, by: str | None, group: str | None) -> list[_Slice]:
    out = []
    n_slices = 1 if data.by_keys is None else data.by_keys.len()
    for t in range(n_slices):
        pos = np.flatnonzero(data.bcode == t)
        where = "" if data.by_keys is None else f"{by}={data.by_keys[t]}"
        codes = data.gcode[pos]
        pos = pos[np.argsort(codes, kind="stable")]
        present, sizes = np.unique(data.gcode[pos], return_counts=True)
        w = np.ones(pos.size) if data.w is None else data.w[pos]
        out.append(
            _Slice(
                where,
                data.y[pos],
                w,
                sizes.astype(np.intp),
                data.labels[present],
                data.rows[pos],
                None if data.region is None else data.region[pos],
            )
        )
    return out


def _unit_name(sl: _Slice, i: int) -> str:
    """'region X in year=2010' (or the row) of unit i of a slice, for messages."""
    who = f"'{sl.region[i]}'" if sl.region is not None else f"the unit of row {sl.rows[i]}"
    return who + (f" in {sl.where}" if sl.where else "")


def _check_slice(sl: _Slice, need: int, positive: str, group: str | None, column: str) -> None:
    """Enough units; positive values where the measure takes logs or negative powers;
    groups with more than one unit and positive total weight and mean."""
    at = f" in {sl.where}" if sl.where else ""
    if sl.y.shape[0] < need:
        raise InputError(
            f"only {sl.y.shape[0]} unit(s){at}; this measure needs at least {need}",
            column=column,
            hint="drop that year or add units",
        )
    if not np.any(sl.w > 0):
        raise InputError(f"all weights are 0{at}", hint="give at least one unit a positive weight")
    values = sl.y if sl.y.ndim == 1 else sl.y.sum(axis=1)
    if positive:
        bad = np.flatnonzero(values <= 0)
        if bad.size:
            i = bad[np.argmin(sl.rows[bad])]  # the first in the caller's row order
            raise InputError(
                f"{positive} needs positive values, but {_unit_name(sl, i)} has {values[i]:g}",
                row=int(sl.rows[i]),
                column=column,
                hint="drop or replace that value, shift the index (e.g. score + 0.01), "
                "or use a measure that admits zeros (Theil T, GE(α > 0), Atkinson ε < 1, Gini)",
            )
    if not (sl.w * values).sum() > 0:
        raise InputError(f"the mean is 0{at}", column=column, hint="inequality needs a mean > 0")
    if group is None:
        return
    starts = _starts(sl.sizes)
    for j, size in enumerate(sl.sizes):
        lab = sl.labels[j]
        if size < 2:
            raise InputError(
                f"group '{lab}' has one unit{at}; a within-group measure needs at least 2",
                column=group,
                hint="merge the group with another or drop it",
            )
        block = slice(starts[j], starts[j] + size)
        if not (sl.w[block] * values[block]).sum() > 0:
            raise InputError(
                f"group '{lab}' has mean 0 or total weight 0{at}",
                column=group,
                hint="drop the group or give its units positive values and weights",
            )


def _flatten(terms: dict[str, np.ndarray], labels: Sequence[str]) -> dict[str, np.ndarray]:
    """Scalar quantities: (R,) arrays as they are, (R, k) arrays as ``name[label]``."""
    out = {}
    for name, val in terms.items():
        if val.ndim == 1:
            out[name] = val
        else:
            for j, lab in enumerate(labels):
                out[f"{name}[{lab}]"] = val[:, j]
    return out


def _bootstrap(
    sl: _Slice,
    kernel: Kernel,
    keep: Sequence[str],
    parts: int,
    n_boot: int,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """B replicates of every quantity: units drawn within each group block
    (:func:`nqpf.dagum._stratified_indices`, the same draw order), in batches."""
    starts = _starts(sl.sizes)
    blocks = [np.arange(a, a + s) for a, s in zip(starts, sl.sizes, strict=True)]
    n = sl.w.size
    per = _chunk_rows(n * parts)
    chunks: list[dict[str, np.ndarray]] = []
    y2 = sl.y if sl.y.ndim == 1 else sl.y.T.reshape(-1)
    for start in range(0, n_boot, per):
        rows = min(n_boot, start + per) - start
        idx = _stratified_indices(rng, blocks, rows)
        cols = idx if parts == 1 else np.concatenate([idx + k * n for k in range(parts)], axis=1)
        with np.errstate(all="ignore"):
            terms = kernel(y2[cols], sl.w[idx], sl.sizes)
        chunks.append(_flatten({q: terms[q] for q in keep}, sl.labels))
    return {key: np.concatenate([c[key] for c in chunks]) for key in chunks[0]}


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InequalityResult(Result):
    """An inequality measure by ``by`` slice (and its decomposition).

    Attributes
    ----------
    overall : polars.DataFrame
        One row per by value (per α for :func:`theil`): the index and its
        decomposition terms (columns by measure; see each function).
    detail : polars.DataFrame or None
        Per group (``groups``) or per source (``sources``) and by value.
    intervals : polars.DataFrame or None
        With a bootstrap: ``<by>, [alpha], quantity, estimate, lower, upper, level, B``.
    measure, value, group, by, weights : str or None
        What was measured and the caller's column names.
    options : InequalityOptions
        The options of the call.
    """

    overall: pl.DataFrame
    detail: pl.DataFrame | None = None
    intervals: pl.DataFrame | None = None
    measure: str = ""
    value: str = "value"
    group: str | None = None
    by: str | None = None
    weights: str | None = None
    detail_name: str = "groups"
    options: InequalityOptions = field(default_factory=InequalityOptions, repr=False)

    main_table: ClassVar[str] = "overall"
    title: ClassVar[str] = "Inequality"

    def tables(self) -> dict[str, pl.DataFrame]:
        """``overall``, ``groups`` or ``sources`` (when present), ``period_mean``
        (with a by column) and ``intervals`` (with a bootstrap)."""
        out = {"overall": self.overall}
        if self.detail is not None:
            out[self.detail_name] = self.detail
        if self.by is not None:
            out["period_mean"] = self.period_mean()
        if self.intervals is not None:
            out["intervals"] = self.intervals
        return out

    def period_mean(self) -> pl.DataFrame:
        """Mean of every numeric column of :attr:`overall` over the by values (per α)."""
        keys = [c for c in ("alpha", "nu", "epsilon") if c in self.overall.columns]
        numeric = [
            c
            for c, t in self.overall.schema.items()
            if t.is_numeric() and c not in keys and c != self.by
        ]
        frame = self.overall.with_columns(pl.lit(0).alias("__nqpf_all__"))
        out = grouped(
            frame.group_by(keys or ["__nqpf_all__"], maintain_order=True),
            {c: (c, "mean") for c in numeric},
            pl.len().cast(pl.Int64).alias("periods"),
        )
        return out.drop("__nqpf_all__", strict=False)

    def summary(self) -> str:
        head = f"{self.title} of '{self.value}'"
        if self.group:
            head += f" by '{self.group}'"
        if self.by:
            head += f", per '{self.by}'"
        if self.weights:
            head += f", weighted by '{self.weights}'"
        # the protocol's text, its title replaced by the head and its options line by
        # the options this measure uses
        lines = Result.summary(self).split("\n")
        used = _USED.get(self.measure, ()) + (
            ("bootstrap", "level", "seed") if self.options.bootstrap else ()
        )
        shown = ", ".join(f"{k}={self.options[k]}" for k in used)
        return "\n".join([head, *([shown] if shown else []), *lines[2:]])


#: The options each measure uses (the summary shows those).
_USED: dict[str, tuple[str, ...]] = {
    "theil": (),
    "ge": ("alpha",),
    "atkinson": ("epsilon",),
    "gini": ("nu", "correction"),
    "sources": ("nu",),
}


class GEResult(InequalityResult):
    """Generalised entropy GE(α) (Theil T = GE(1), L = GE(0)) with its decomposition."""

    title: ClassVar[str] = "Generalised entropy (Theil) decomposition"


class AtkinsonResult(InequalityResult):
    """Atkinson index by year."""

    title: ClassVar[str] = "Atkinson index"


class GiniResult(InequalityResult):
    """(S-)Gini with the Yitzhaki–Lerman decomposition by group."""

    title: ClassVar[str] = "Gini (Yitzhaki–Lerman decomposition)"


class SourceResult(InequalityResult):
    """Lerman–Yitzhaki decomposition of the Gini by source."""

    title: ClassVar[str] = "Gini decomposition by source (Lerman–Yitzhaki)"


# ---------------------------------------------------------------------------
# The runner shared by every measure
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    """What a measure computes: its kernel per slice and how its tables are laid out."""

    measure: str
    make_kernel: Callable[[_Slice], Kernel]
    totals: tuple[str, ...]
    per_group: tuple[str, ...]
    keys: dict[str, float]
    positive: str = ""
    need: int = 2
    parts: int = 1
    per_name: str = "group"
    #: the source names (``parts`` > 1)
    labels: tuple[str, ...] = ()


def _run(
    spec: _Spec,
    data: _Data,
    group: str | None,
    by: str | None,
    options: InequalityOptions,
    column: str,
) -> tuple[pl.DataFrame, pl.DataFrame | None, pl.DataFrame | None]:
    """Every slice through the kernel (and the bootstrap): the three tables."""
    rng = _resolve_rng(options.seed) if options.bootstrap else None
    over: list[dict[str, Any]] = []
    detail: list[dict[str, Any]] = []
    intervals: list[dict[str, Any]] = []
    grouped_detail = group is not None or spec.parts > 1
    keep = _boot_names(spec, grouped_detail)
    for t, sl in enumerate(_slices(data, by, group)):
        _check_slice(sl, spec.need, spec.positive, group, column)
        kernel = spec.make_kernel(sl)
        y2 = sl.y if sl.y.ndim == 1 else sl.y.T.reshape(-1)
        with np.errstate(all="ignore"):
            terms = kernel(y2[None, :], sl.w[None, :], sl.sizes)
        key = {**({} if by is None else {_BY: data.by_keys[t]}), **spec.keys}
        over.append({**key, **{q: float(terms[q][0]) * _unit(q, data) for q in spec.totals}})
        labels = sl.labels if spec.parts == 1 else np.array(spec.labels, dtype=object)
        if grouped_detail:
            for j, lab in enumerate(labels):
                rec = {**key, spec.per_name: str(lab)}
                if spec.parts == 1:
                    rec["n"] = int(sl.sizes[j])
                for q in spec.per_group:
                    rec[q] = float(terms[q][0, j]) * _unit(q, data)
                detail.append(rec)
        if rng is not None:
            point = _flatten({q: terms[q] for q in keep}, labels)
            boot = _Slice(sl.where, sl.y, sl.w, sl.sizes, labels, sl.rows, sl.region)
            reps = _bootstrap(boot, kernel, keep, spec.parts, options.bootstrap, rng)
            intervals += _interval_rows(key, point, reps, options.level)
    return (
        _output(pl.DataFrame(over), by),
        _output(pl.DataFrame(detail), by) if detail else None,
        _output(pl.DataFrame(intervals), by) if intervals else None,
    )


#: The by column inside the runner (never a caller's name: see :func:`_output`).
_BY = "__nqpf_by__"


def _output(frame: pl.DataFrame, by: str | None) -> pl.DataFrame:
    """An output table: NaN as null, the by column under the caller's name and an
    output column of that name namespaced (``nqpf_index``; nqpf._frames.output_name)."""
    frame = frame.with_columns(pl.col(pl.Float64).fill_nan(None))
    if by is None:
        return frame
    clash = {c: output_name(c, [by]) for c in frame.columns if c == by}
    return frame.rename(clash).rename({_BY: by})


def _interval_rows(
    key: dict[str, Any], point: dict[str, np.ndarray], reps: dict[str, np.ndarray], level: float
) -> list[dict[str, Any]]:
    """Percentile intervals (:func:`nqpf.dagum._percentile_interval`), one row per quantity."""
    names = list(point)
    lower, upper, count = _percentile_interval(np.column_stack([reps[q] for q in names]), level)
    return [
        {**key, "quantity": q, "estimate": float(point[q][0]), "lower": float(lower[i]),
         "upper": float(upper[i]), "level": level, "B": int(count[i])}
        for i, q in enumerate(names)
    ]  # fmt: skip


def _unit(name: str, data: _Data) -> float:
    """The factor that takes a quantity back to the values' unit: the scale of
    :func:`_read` for means, 1 for every scale-free measure."""
    return data.scale if name in ("mean", "ede") else 1.0


def _boot_names(spec: _Spec, grouped_detail: bool) -> tuple[str, ...]:
    """The quantities bootstrapped: the scale-free totals, and the per-group indices."""
    per = tuple(q for q in spec.per_group if q in ("GE_j", "G_j", "O_j", "G_k", "R_k", "share"))
    totals = tuple(q for q in spec.totals if q not in ("mean", "ede"))
    return totals + (per if grouped_detail else ())


def _finish(
    cls: type[InequalityResult],
    tables: tuple[pl.DataFrame, pl.DataFrame | None, pl.DataFrame | None],
    measure: str,
    value: str,
    group: str | None,
    by: str | None,
    weights: str | None,
    options: InequalityOptions,
    detail_name: str = "groups",
) -> Any:
    overall, detail, intervals = tables
    return cls(
        overall=overall,
        detail=detail,
        intervals=intervals,
        measure=measure,
        value=value,
        group=group,
        by=by,
        weights=weights,
        detail_name=detail_name,
        options=options,
    )


_GE_GROUP = ("mean", "pop_share", "income_share", "GE_j", "contribution")


def _ge_spec(alpha: float, group: str | None) -> _Spec:
    name = {1.0: "Theil T", 0.0: "Theil L"}.get(alpha, f"GE({alpha:g})")
    return _Spec(
        measure=name,
        make_kernel=lambda sl: _ge_kernel(alpha),
        totals=("index", "within", "between", "between_share") if group else ("index",),
        per_group=_GE_GROUP,
        keys={"alpha": alpha},
        positive=name if alpha <= 0 else "",
    )


def _ge_tables(
    frame: Any, value: str, group, by, weights, region, alphas, options
) -> tuple[pl.DataFrame, pl.DataFrame | None, pl.DataFrame | None]:
    data = _read(frame, [value], group, by, weights, region)
    parts = [_run(_ge_spec(a, group), data, group, by, options, value) for a in alphas]
    overall = pl.concat([p[0] for p in parts])
    detail = pl.concat([p[1] for p in parts]) if group else None
    ivs = [p[2] for p in parts if p[2] is not None]
    return overall, detail, (pl.concat(ivs) if ivs else None)


@takes_options(InequalityOptions)
def theil(
    frame: Any,
    value: str,
    group: str | None = None,
    by: str | None = None,
    weights: str | None = None,
    *,
    region: str | None = None,
    options: InequalityOptions,
) -> GEResult:
    """Theil T = GE(1) and Theil L = GE(0) per ``by`` slice, decomposed by ``group``.

    GE(1) = Σ p_i (y_i/μ) ln(y_i/μ), GE(0) = −Σ p_i ln(y_i/μ) and, by group,
    T = Σ_j s_j T_j + T_B, L = Σ_j P_j L_j + L_B (module docstring; Shorrocks 1980).

    Parameters
    ----------
    frame : polars/pandas DataFrame or IndexResult
        One row per unit (and by value).
    value : str
        Column of non-negative values; Theil L needs them positive.
    group, by, weights : str, optional
        Group column (decomposition), slice column (e.g. year), unit weights.
    region : str, optional
        A column naming each unit, used in messages ("'Tibet' in year=2010").
    bootstrap, level, seed
        Stratified bootstrap (:class:`nqpf.options.InequalityOptions`).

    Returns
    -------
    GEResult
        ``overall``: ``<by>, alpha, index[, within, between, between_share]`` (two rows
        per slice: α = 1 then α = 0); ``groups``: ``<by>, alpha, group, n, mean,
        pop_share, income_share, GE_j, contribution``.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"y": [1.0, 2, 3, 4], "g": ["a", "a", "b", "b"]})
    >>> res = theil(df, "y", "g")
    >>> [round(v, 6) for v in res.overall.get_column("index")]
    [0.10644, 0.121777]
    """
    tables = _ge_tables(frame, value, group, by, weights, region, (1.0, 0.0), options)
    return _finish(GEResult, tables, "theil", value, group, by, weights, options)


@takes_options(InequalityOptions)
def generalized_entropy(
    frame: Any,
    value: str,
    group: str | None = None,
    by: str | None = None,
    weights: str | None = None,
    *,
    region: str | None = None,
    options: InequalityOptions,
) -> GEResult:
    """GE(α) (``alpha``) per ``by`` slice, decomposed by ``group``.

    GE(α) = 1/(α(α − 1)) Σ p_i [(y_i/μ)^α − 1] = Σ_j P_j^{1−α} s_j^α GE_j + GE(μ_j)
    (module docstring). Tables as :func:`theil` with one α. α ≤ 0 needs positive values.
    """
    tables = _ge_tables(frame, value, group, by, weights, region, (options.alpha,), options)
    return _finish(GEResult, tables, "ge", value, group, by, weights, options)


@takes_options(InequalityOptions)
def atkinson(
    frame: Any,
    value: str,
    by: str | None = None,
    weights: str | None = None,
    *,
    region: str | None = None,
    options: InequalityOptions,
) -> AtkinsonResult:
    """Atkinson index A(ε) (``epsilon``) per ``by`` slice.

    A(ε) = 1 − (Σ p_i (y_i/μ)^{1−ε})^{1/(1−ε)}, A(1) = 1 − exp(Σ p_i ln y_i)/μ
    (Atkinson 1970). ``overall``: ``<by>, epsilon, index, ede`` (the equally
    distributed equivalent) and ``mean``. ε ≥ 1 needs positive values.
    """
    eps = options.epsilon
    spec = _Spec(
        measure="Atkinson",
        make_kernel=lambda sl: _atkinson_kernel(eps),
        totals=("index", "ede", "mean"),
        per_group=(),
        keys={"epsilon": eps},
        positive=f"Atkinson(ε = {eps:g})" if eps >= 1 else "",
    )
    data = _read(frame, [value], None, by, weights, region)
    overall, _, iv = _run(spec, data, None, by, options, value)
    return _finish(
        AtkinsonResult, (overall, None, iv), "atkinson", value, None, by, weights, options
    )


@takes_options(InequalityOptions)
def gini(
    frame: Any,
    value: str,
    group: str | None = None,
    by: str | None = None,
    weights: str | None = None,
    *,
    region: str | None = None,
    options: InequalityOptions,
) -> GiniResult:
    """The Gini (ν = 2) or extended S-Gini (``nu``) per ``by`` slice, with the
    Yitzhaki–Lerman decomposition by ``group``.

    G(ν) = −ν cov(y, r)/μ from one sort (module docstring), and with groups
    G = Σ_j s_j G_j + Σ_j s_j G_j (O_j − 1) + G_B. ``correction`` multiplies the
    Gini (ν = 2, no group) by n/(n − 1).

    Returns
    -------
    GiniResult
        ``overall``: ``<by>, nu, index[, within, overlap, between]``; ``groups``:
        ``<by>, nu, group, n, mean, pop_share, income_share, G_j, O_j, S_j, contribution``
        (contribution: s_j G_j O_j, the group's part of G − G_B).

    Examples
    --------
    >>> import polars as pl
    >>> round(gini(pl.DataFrame({"y": [1.0, 2, 3, 4]}), "y").overall.item(0, "index"), 6)
    0.25
    """
    nu = options.nu
    if options.correction and (nu != 2 or group is not None):
        raise InputError(
            "the n/(n − 1) correction applies to the plain Gini (nu = 2, no group)",
            hint="drop correction, or nu and group",
        )
    spec = _Spec(
        measure="Gini",
        make_kernel=lambda sl: _gini_kernel(
            nu, sl.w.size / (sl.w.size - 1) if options.correction else 1.0
        ),
        totals=("index", "within", "overlap", "between") if group else ("index",),
        per_group=("mean", "pop_share", "income_share", "G_j", "O_j", "S_j", "contribution"),
        keys={"nu": nu},
    )
    data = _read(frame, [value], group, by, weights, region)
    tables = _run(spec, data, group, by, options, value)
    return _finish(GiniResult, tables, "gini", value, group, by, weights, options)


@takes_options(InequalityOptions)
def gini_sources(
    frame: Any,
    components: Sequence[str],
    by: str | None = None,
    weights: str | None = None,
    *,
    region: str | None = None,
    options: InequalityOptions,
) -> SourceResult:
    """Lerman–Yitzhaki decomposition of the (S-)Gini of y = Σ_k y_k by source.

    G = Σ_k S_k G_k R_k (module docstring). ``components`` are the columns y_k
    (non-negative); their row sum is the total whose Gini is decomposed.

    Returns
    -------
    SourceResult
        ``overall``: ``<by>, nu, index`` (the Gini of the total); ``sources``:
        ``<by>, nu, source, S_k, G_k, R_k, C_k, share, marginal`` with
        C_k = S_k G_k R_k (Σ_k C_k = G) and marginal = share − S_k.
    """
    if isinstance(components, str) or not components:
        raise InputError(
            "components must be a list of at least 2 column names",
            hint="e.g. components=['economy', 'society']",
        )
    comps = list(components)
    if len(comps) < 2:
        raise InputError("a source decomposition needs at least 2 components")
    nu = options.nu
    spec = _Spec(
        measure="sources",
        make_kernel=lambda sl: _sources_kernel(nu, len(comps)),
        totals=("index",),
        per_group=("S_k", "G_k", "R_k", "C_k", "share", "marginal"),
        keys={"nu": nu},
        parts=len(comps),
        per_name="source",
        labels=tuple(comps),
    )
    data = _read(frame, comps, None, by, weights, region)
    tables = _run(spec, data, None, by, options, comps[0])
    by_name = tables[1].drop("n", strict=False) if tables[1] is not None else None
    return _finish(
        SourceResult, (tables[0], by_name, tables[2]), "sources", "+".join(comps), None, by,
        weights, options, detail_name="sources",
    )  # fmt: skip


@takes_options(InequalityOptions)
def inequality(
    frame: Any,
    value: str | Sequence[str],
    group: str | None = None,
    by: str | None = None,
    weights: str | None = None,
    *,
    region: str | None = None,
    options: InequalityOptions,
) -> InequalityResult:
    """The measure that ``measure`` names (theil, ge, atkinson, gini, sgini, sources).

    ``value`` is a column, or the component columns for ``sources``; ``gini`` is
    the S-Gini with ν = 2, ``sgini`` with the given ``nu``; ``group`` is ignored by
    atkinson and sources.
    """
    measure = options.measure
    common = {"by": by, "weights": weights, "region": region}
    if measure == "sources":
        comps = [value] if isinstance(value, str) else list(value)
        return gini_sources(frame, comps, options=options, **common)
    if not isinstance(value, str):
        raise InputError(f"measure {measure} takes one value column", hint="e.g. --value score")
    if measure == "atkinson":
        return atkinson(frame, value, options=options, **common)
    if measure == "theil":
        return theil(frame, value, group, options=options, **common)
    if measure == "ge":
        return generalized_entropy(frame, value, group, options=options, **common)
    if measure == "gini":
        options = options.replace(nu=2.0)
    return gini(frame, value, group, options=options, **common)


def dimension_contributions(result: Any) -> tuple[pl.DataFrame, dict[str, str]]:
    """An index run's scores with one column W_d·D_d per dimension (the dimension's
    weight × its score; the year's weight under ``scope="year"``): (frame, column →
    dimension), the columns in the spec's dimension order.

    These are the sources of :func:`gini_by_dimension` (docs/methods.md §9.5): for
    ``method="linear"`` they add up to the score exactly; for TOPSIS their sum is the
    linear composite of the dimension scores, not the closeness. The columns are named
    ``__nqpf_dim_<i>__`` (never a name the scores already have).
    """
    weights = result.dimension_weights
    wcol = result.weight_column
    year = result.year
    frame = result.scores
    names: dict[str, str] = {}
    for d, col in result.dimension_columns.items():
        name = output_name(f"__nqpf_dim_{len(names)}__", frame.columns)
        rows = weights.filter(pl.col("dimension") == d)
        if year in weights.columns:
            w = rows.select(year, pl.col(wcol).alias(name))
            frame = frame.join(w, on=year, how="left", maintain_order="left")
            frame = frame.with_columns(pl.col(name) * pl.col(col))
        else:
            frame = frame.with_columns((pl.col(col) * float(rows[wcol][0])).alias(name))
        names[name] = d
    return frame, names


@takes_options(InequalityOptions)
def gini_by_dimension(
    result: Any, weights: str | None = None, *, options: InequalityOptions
) -> SourceResult:
    """The Lerman–Yitzhaki decomposition of the (S-)Gini (``nu``) of an index run by
    dimension, per year: :func:`gini_sources` of the W_d·D_d columns of
    :func:`dimension_contributions`, with the sources named by their dimension (in the
    ``sources`` table and the interval quantities ``G_k[<dimension>]`` …).

    G = Σ_k S_k G_k R_k (module docstring; docs/methods.md §9.5). Needs an index of at
    least 2 dimensions; ``weights`` is a column of the scores (unit weights).
    """
    dims = list(result.dimension_columns)
    if len(dims) < 2:
        raise InputError(
            f"a decomposition by dimension needs at least 2 dimensions; the index has {len(dims)}",
            hint="give the indicators two or more dimensions in the spec",
        )
    frame, names = dimension_contributions(result)
    res = gini_sources(
        frame, list(names), by=result.year, weights=weights, region=result.region, options=options
    )
    detail = res.detail
    if detail is not None:
        detail = detail.with_columns(pl.col("source").replace_strict(names))
    intervals = res.intervals
    if intervals is not None:
        quantity = pl.col("quantity")
        for name, d in names.items():
            quantity = quantity.str.replace(f"[{name}]", f"[{d}]", literal=True)
        intervals = intervals.with_columns(quantity)
    return SourceResult(
        overall=res.overall,
        detail=detail,
        intervals=intervals,
        measure="sources",
        value="+".join(dims),
        by=result.year,
        weights=weights,
        detail_name="sources",
        options=res.options,
    )
