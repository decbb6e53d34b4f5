"""The report's own tables, arranged from the analyses' results (no statistic is computed
here that a module of nqpf does not compute: means of the index score, pivots)."""

from __future__ import annotations

from typing import Any

import polars as pl

from nqpf._frames import grouped, internal_name, output_name
from nqpf.index import IndexResult


def score_column(result: IndexResult) -> str:
    """The name of the score column of ``result.scores``: ``score``, or the namespaced
    name (:func:`nqpf._frames.output_name`) when a key or carried column is so named."""
    named = getattr(result, "score_column", None)
    if isinstance(named, str) and named in result.tables()["scores"].columns:
        return named
    keep = result.options.get("keep") or []
    keep = [keep] if isinstance(keep, str) else list(keep)
    return output_name("score", [result.region, result.year, *keep])


def region_table(
    result: IndexResult, echelon_assignments: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Average score, rank of the average and echelon per region (the study's Table 1).

    Columns: the region, ``mean_score``, ``rank``, (``echelon``), ``mean_<dimension>``
    and the score of the first and last year (one column when they are the same year).
    An output column named like the region column is namespaced (``nqpf_rank``, …).
    """
    region, year = result.region, result.year
    score = score_column(result)
    dims = result.dimension_columns
    scores = result.tables()["scores"]
    years = scores.get_column(year)
    first, last = years.min(), years.max()
    taken = [region]
    mean_name = output_name("mean_score", taken)
    rank_name = output_name("rank", taken)
    echelon_name = output_name("echelon", taken)
    dim_names = {column: output_name(f"mean_{column}", taken) for column in dims.values()}
    year_names = {y: output_name(f"score_{y}", taken) for y in dict.fromkeys([first, last])}
    means = {mean_name: (score, "mean")}
    means |= {dim_names[column]: (column, "mean") for column in dims.values()}
    table = grouped(
        scores.group_by(region),
        means,
        *(
            pl.col(score).filter(pl.col(year) == y).first().alias(name)
            for y, name in year_names.items()
        ),
    ).with_columns(pl.col(mean_name).rank("min", descending=True).cast(pl.Int64).alias(rank_name))
    if echelon_assignments is not None:
        table = table.join(
            echelon_assignments.select(region, pl.col("echelon").alias(echelon_name)),
            on=region,
            how="left",
        )
    first_columns = [region, mean_name, rank_name]
    if echelon_assignments is not None:
        first_columns.append(echelon_name)
    return table.sort(rank_name, region).select(
        *first_columns, *(c for c in table.columns if c not in first_columns)
    )


def dagum_table(dec: Any, by: str) -> pl.DataFrame:
    """Dagum totals by year with a final 'mean' row (period means of the yearly figures)."""
    summary = dec.overall.with_columns(pl.col(by).cast(pl.String))
    means = dict(dec.period_mean().select("quantity", "mean").iter_rows())
    mean_row = {by: "mean", **{c: means.get(c) for c in summary.columns if c != by}}
    return pl.concat([summary, pl.DataFrame([mean_row], schema=summary.schema)])


def wide_table(frame: pl.DataFrame, index: str, on: str, values: str) -> pl.DataFrame:
    """``frame`` pivoted to one column per value of ``on``; a value named like ``index``
    becomes ``nqpf_<value>`` (output names never replace a key)."""
    key = internal_name("key", [*frame.columns])
    labels = [str(v) for v in frame.get_column(on).unique(maintain_order=True).to_list()]
    wide = frame.select(pl.col(index).alias(key), pl.col(on).cast(pl.String), pl.col(values)).pivot(
        on=on, index=key, values=values
    )
    renames = {label: output_name(label, [index]) for label in labels if label == index}
    return wide.rename({**renames, key: index}).sort(index)


def obstacle_tables(result: IndexResult) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The latest year's top-3 obstacle indicators per region, and the mean obstacle
    degree of each dimension by year (:func:`nqpf.obstacle_degree`)."""
    from nqpf.obstacle import obstacle_degree

    region, year = result.region, result.year
    tables = result.tables()
    weights = tables["weights"]
    weight_columns = ["indicator", "dimension", "weight"] + (
        [year] if year in weights.columns else []
    )
    obstacle = obstacle_degree(
        tables["standardized"], weights.select(weight_columns), keys=[region, year]
    )
    latest = tables["scores"].get_column(year).max()
    top = obstacle.top(3).filter(pl.col(year) == latest)
    cell = internal_name("cell", top.columns)
    top = top.with_columns(
        pl.format("{} ({}%)", "indicator", pl.col("obstacle").round(1)).alias(cell)
    )
    rank = output_name("rank", [region, year])
    if rank not in top.columns:
        rank = "rank"
    top_wide = top.select(region, pl.col(rank).cast(pl.String), cell).pivot(
        on=rank, index=region, values=cell
    )
    top_wide = top_wide.rename(
        {c: output_name(f"obstacle_{c}", [region]) for c in top_wide.columns if c != region}
    ).sort(region)
    dimension_obstacles = wide_table(
        grouped(
            obstacle.dimensions.group_by(year, "dimension", maintain_order=True),
            {"obstacle": ("obstacle", "mean")},
        ),
        year,
        "dimension",
        "obstacle",
    )
    return top_wide, dimension_obstacles
