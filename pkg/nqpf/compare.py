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

from nqpf._frames import column_name, numeric_values, output_name, to_polars
from nqpf.errors import InputError

__all__ = ["join_scores", "rank_agreement", "rank_correlations"]

#: Label of the pooled row of :func:`rank_agreement`.
ALL_YEARS = "all"


class _Own:
    """Default of ``value``/``rank``: the run's own column (``IndexResult.score_column``)."""

    def __repr__(self) -> str:
        return "<the run's own column>"


_OWN: Any = _Own()


def _scores(result: Any) -> pl.DataFrame:
    return to_polars(
        result, what="an index run", hint="pass an index result or a polars/pandas score frame"
    )


def _own(run: Any, attribute: str, fallback: str) -> str:
    own = getattr(run, attribute, None) if hasattr(run, "scores") else None
    return own if isinstance(own, str) else fallback


def join_scores(
    a: Any,
    b: Any,
    *,
    region: str | None = None,
    year: str | None = None,
    value: str = _OWN,
    rank: str | None = _OWN,
) -> pl.DataFrame:
    """Two runs' scores side by side, one row per region-year.

    Parameters
    ----------
    a, b
        Index results (with ``.scores``, ``.region`` and ``.year``) or score frames.
    region, year
        Key columns (default: taken from ``a``, else ``region`` and ``year``).
    value, rank
        Score and within-year rank columns (default: each run's own, e.g.
        ``IndexResult.score_column``, else ``score`` and ``rank``; ``rank=None``:
        no rank columns).

    Returns
    -------
    polars.DataFrame
        ``<region>, <year>, score_a, score_b, diff`` (= b − a) and, with ranks,
        ``rank_a, rank_b, rank_change`` (= rank_a − rank_b, so a positive change
        means the region ranks higher under b). Only region-years present in
        both runs are kept. The keys keep their names; an output column one of
        them has becomes ``nqpf_<name>``.
    """
    region = region or _own(a, "region", "region")
    year = year or _own(a, "year", "year")
    column_name("region", region)
    column_name("year", year)
    if region == year:
        raise InputError("one column is named for two roles", column=region)
    left, right = _scores(a), _scores(b)
    values = {
        side: (_own(run, "score_column", "score") if value is _OWN else value)
        for side, run in (("a", a), ("b", b))
    }
    ranks = {
        side: (_own(run, "rank_column", "rank") if rank is _OWN else rank)
        for side, run in (("a", a), ("b", b))
    }
    with_rank = ranks["a"] is not None
    for side, frame in (("a", left), ("b", right)):
        column_name("value", values[side])
        column_name("rank", ranks[side], optional=True)
        for column in (region, year, values[side], *([ranks[side]] if with_rank else [])):
            if column not in frame.columns:
                raise InputError(f"run {side} has no column '{column}'", column=column)
    names: dict[str, str] = {}
    for wanted in ("score_a", "score_b", "diff", "rank_a", "rank_b", "rank_change"):
        names[wanted] = output_name(wanted, [region, year, *names.values()])

    def numbers(frame: pl.DataFrame, column: str, what: str) -> pl.Series:
        # the one numeric rule (text cells parse as plain decimals, or name the cell)
        if frame.schema[column].is_numeric():
            return frame.get_column(column)
        return pl.Series(column, numeric_values(frame, column, what=what))

    picked = {
        side: frame.select(region, year).with_columns(
            numbers(frame, values[side], "score").alias(names[f"score_{side}"]),
            *(
                [numbers(frame, ranks[side], "rank").alias(names[f"rank_{side}"])]
                if with_rank
                else []
            ),
        )
        for side, frame in (("a", left), ("b", right))
    }
    try:
        joined = picked["a"].join(picked["b"], on=[region, year], how="inner")
    except pl.exceptions.PolarsError:
        types = ", ".join(
            f"{k}: {picked['a'].schema[k]} vs {picked['b'].schema[k]}" for k in (region, year)
        )
        raise InputError(
            f"the two runs' keys have different types ({types})",
            hint="compare runs of the same panel",
        ) from None
    if joined.height == 0:
        raise InputError("the two runs share no region-year", hint="compare runs of the same panel")
    score_a, score_b = pl.col(names["score_a"]), pl.col(names["score_b"])
    out = joined.select(region, year, score_a, score_b, (score_b - score_a).alias(names["diff"]))
    if with_rank:
        rank_a, rank_b = joined.get_column(names["rank_a"]), joined.get_column(names["rank_b"])
        out = out.with_columns(rank_a, rank_b, (rank_a - rank_b).alias(names["rank_change"]))
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
    value: str = _OWN,
) -> pl.DataFrame:
    """Kendall's τ-b and Spearman's ρ between two runs, per year and pooled.

    Returns
    -------
    polars.DataFrame
        ``<year>`` (text; the last row is ``"all"``, all region-years pooled),
        ``n``, ``kendall_tau``, ``spearman_rho`` (``nqpf_<name>`` where the year
        column has the name).

    Examples
    --------
    >>> import polars as pl
    >>> a = pl.DataFrame({"region": list("abc") * 2, "year": [1] * 3 + [2] * 3,
    ...                   "score": [0.1, 0.2, 0.3, 0.2, 0.3, 0.4]})
    >>> b = a.with_columns(pl.col("score") * 2)
    >>> rank_agreement(a, b)["kendall_tau"].to_list()
    [1.0, 1.0, 1.0]
    """
    year = year or _own(a, "year", "year")
    region = region or _own(a, "region", "region")
    joined = join_scores(a, b, region=region, year=year, value=value, rank=None)
    score_a, score_b = joined.columns[2], joined.columns[3]
    rows = []
    # join_scores sorts by year, and maintain_order keeps that order
    for (key,), part in joined.group_by(year, maintain_order=True):
        tau, rho = rank_correlations(part[score_a], part[score_b])
        rows.append((str(key), part.height, tau, rho))
    tau, rho = rank_correlations(joined[score_a], joined[score_b])
    rows.append((ALL_YEARS, joined.height, tau, rho))
    names: dict[str, str] = {}
    for wanted in ("n", "kendall_tau", "spearman_rho"):
        names[wanted] = output_name(wanted, [year, *names.values()])
    return pl.DataFrame(
        rows,
        schema={
            year: pl.String,
            names["n"]: pl.Int64,
            names["kendall_tau"]: pl.Float64,
            names["spearman_rho"]: pl.Float64,
        },
        orient="row",
    )
