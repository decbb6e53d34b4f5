"""Side-by-side comparison of two index runs: scores, rank changes, rank agreement.

Two composite indices of the same panel (say pooled vs per-year entropy, or
TOPSIS vs the linear index) are compared region-year by region-year.
:func:`join_scores` lines them up; :func:`rank_agreement` gives Kendall's τ-b
and Spearman's ρ between the two scores, within each year and pooled over all
region-years (``scipy.stats.kendalltau``, ``scipy.stats.spearmanr``; ties
handled as those functions do: τ-b, and ρ on average ranks).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
from scipy.stats import kendalltau, spearmanr

from nqpf.errors import InputError

__all__ = ["join_scores", "rank_agreement", "rank_correlations"]

#: Label of the pooled row of :func:`rank_agreement`.
ALL_YEARS = "all"


def _scores(result: Any) -> pl.DataFrame:
    scores = getattr(result, "scores", result)
    if not isinstance(scores, pl.DataFrame):
        raise InputError(f"expected an index result or a polars frame, got {type(result).__name__}")
    return scores


def join_scores(
    a: Any,
    b: Any,
    *,
    region: str | None = None,
    year: str | None = None,
    value: str = "score",
    rank: str | None = "rank",
) -> pl.DataFrame:
    """Two runs' scores side by side, one row per region-year.

    Parameters
    ----------
    a, b
        Index results (with ``.scores``, ``.region`` and ``.year``) or score frames.
    region, year
        Key columns (default: taken from ``a``, else ``region`` and ``year``).
    value, rank
        Score and within-year rank columns (``rank=None``: no rank columns).

    Returns
    -------
    polars.DataFrame
        ``<region>, <year>, score_a, score_b, diff`` (= b − a) and, with ranks,
        ``rank_a, rank_b, rank_change`` (= rank_a − rank_b, so a positive change
        means the region ranks higher under b). Only region-years present in
        both runs are kept.
    """
    region = region or getattr(a, "region", "region")
    year = year or getattr(a, "year", "year")
    left, right = _scores(a), _scores(b)
    columns = [value] + ([rank] if rank else [])
    for side, frame in (("a", left), ("b", right)):
        for column in (region, year, *columns):
            if column not in frame.columns:
                raise InputError(f"run {side} has no column '{column}'", column=column)
    joined = left.select(region, year, *(pl.col(c).alias(f"{c}_a") for c in columns)).join(
        right.select(region, year, *(pl.col(c).alias(f"{c}_b") for c in columns)),
        on=[region, year],
        how="inner",
    )
    if joined.height == 0:
        raise InputError("the two runs share no region-year", hint="compare runs of the same panel")
    out = joined.select(
        region,
        year,
        pl.col(f"{value}_a").alias("score_a"),
        pl.col(f"{value}_b").alias("score_b"),
        (pl.col(f"{value}_b") - pl.col(f"{value}_a")).alias("diff"),
    )
    if rank:
        out = out.with_columns(
            joined.get_column(f"{rank}_a").alias("rank_a"),
            joined.get_column(f"{rank}_b").alias("rank_b"),
            (joined.get_column(f"{rank}_a") - joined.get_column(f"{rank}_b")).alias("rank_change"),
        )
    return out.sort(year, region)


def rank_correlations(x: Any, y: Any) -> tuple[float, float]:
    """Kendall's τ-b and Spearman's ρ of two equally long score vectors.

    Returns NaN for a coefficient that is undefined (fewer than 2 values, or a
    constant vector).

    Examples
    --------
    >>> rank_correlations([1, 2, 3, 4], [1, 2, 3, 4])
    (1.0, 1.0)
    >>> rank_correlations([1, 2, 3, 4], [4, 3, 2, 1])
    (-1.0, -1.0)
    """
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    if xa.shape != ya.shape or xa.ndim != 1:
        raise InputError(f"score vectors differ in shape: {xa.shape} vs {ya.shape}")
    if xa.size < 2 or np.ptp(xa) == 0 or np.ptp(ya) == 0:
        return float("nan"), float("nan")
    tau = kendalltau(xa, ya).statistic
    rho = spearmanr(xa, ya).statistic
    return float(tau), float(rho)


def rank_agreement(
    a: Any,
    b: Any,
    *,
    region: str | None = None,
    year: str | None = None,
    value: str = "score",
) -> pl.DataFrame:
    """Kendall's τ-b and Spearman's ρ between two runs, per year and pooled.

    Returns
    -------
    polars.DataFrame
        ``<year>`` (text; the last row is ``"all"``, all region-years pooled),
        ``n``, ``kendall_tau``, ``spearman_rho``.

    Examples
    --------
    >>> import polars as pl
    >>> a = pl.DataFrame({"region": list("abc") * 2, "year": [1] * 3 + [2] * 3,
    ...                   "score": [0.1, 0.2, 0.3, 0.2, 0.3, 0.4]})
    >>> b = a.with_columns(pl.col("score") * 2)
    >>> rank_agreement(a, b)["kendall_tau"].to_list()
    [1.0, 1.0, 1.0]
    """
    year = year or getattr(a, "year", "year")
    joined = join_scores(a, b, region=region, year=year, value=value, rank=None)
    rows = []
    # join_scores sorts by year, and maintain_order keeps that order
    for (key,), part in joined.group_by(year, maintain_order=True):
        tau, rho = rank_correlations(part["score_a"], part["score_b"])
        rows.append((str(key), part.height, tau, rho))
    tau, rho = rank_correlations(joined["score_a"], joined["score_b"])
    rows.append((ALL_YEARS, joined.height, tau, rho))
    return pl.DataFrame(
        rows,
        schema={
            year: pl.String,
            "n": pl.Int64,
            "kendall_tau": pl.Float64,
            "spearman_rho": pl.Float64,
        },
        orient="row",
    )
