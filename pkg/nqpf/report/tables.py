"""The report's own tables, arranged from the analyses' results (no statistic is computed
here that a module of nqpf does not compute: means of the index score, pivots)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import numpy as np
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


def wide_table(
    frame: pl.DataFrame,
    index: str,
    on: str,
    values: str,
    order: Sequence[Any] | None = None,
) -> pl.DataFrame:
    """``frame`` pivoted to one column per value of ``on``, in ``order`` (the values'
    texts, e.g. the groups in :func:`nqpf.ordering.order_groups` order; default: first
    appearance); a value named like ``index`` becomes ``nqpf_<value>`` (output names
    never replace a key)."""
    key = internal_name("key", [*frame.columns])
    labels = [str(v) for v in frame.get_column(on).unique(maintain_order=True).to_list()]
    if order is not None:
        wanted = [str(v) for v in order]
        labels = [v for v in wanted if v in labels] + [v for v in labels if v not in wanted]
    wide = frame.select(pl.col(index).alias(key), pl.col(on).cast(pl.String), pl.col(values)).pivot(
        on=on, index=key, values=values
    )
    wide = wide.select(key, *labels)
    renames = {label: output_name(label, [index]) for label in labels if label == index}
    return wide.rename({**renames, key: index}).sort(index)


def pair_table(
    between: pl.DataFrame, by: str, order: Sequence[Any], separator: str = " – "
) -> pl.DataFrame:
    """The between-group Gjh of a Dagum result (``<by>, group_j, group_h, Gjh``) as one
    column per pair of groups, named ``"A – B"`` with A the group that comes first in
    ``order``, the pairs in that order (A's place, then B's). G_jh is symmetric, so the
    name of a pair does not depend on which group had the higher mean in a year (the
    decomposition's own orientation, which may change from year to year)."""
    place = {str(g): i for i, g in enumerate(order)}
    j = between.get_column("group_j").cast(pl.String).to_list()
    h = between.get_column("group_h").cast(pl.String).to_list()
    first = [
        a if place.get(a, len(place)) <= place.get(b, len(place)) else b
        for a, b in zip(j, h, strict=True)
    ]
    second = [b if f == a else a for a, b, f in zip(j, h, first, strict=True)]
    names = [f"{a}{separator}{b}" for a, b in zip(first, second, strict=True)]
    pairs = sorted(
        set(zip(first, second, strict=True)),
        key=lambda p: (place.get(p[0], len(place)), place.get(p[1], len(place)), p),
    )
    named = between.with_columns(pl.Series("pair", names, dtype=pl.String))
    return wide_table(named, by, "pair", "Gjh", [f"{a}{separator}{b}" for a, b in pairs])


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
    # the spec's label where it gives one (the raw names are in the weights tables)
    labels = indicator_labels(result)
    top = top.with_columns(
        pl.format(
            "{} ({}%)",
            pl.col("indicator").replace_strict(labels, default=pl.col("indicator")),
            pl.col("obstacle").round(1),
        ).alias(cell)
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


# ---------------------------------------------------------------------------
# The tables a paper prints before its results (issue 11)
# ---------------------------------------------------------------------------

#: Columns of :func:`descriptive_statistics`.
DESCRIPTIVE_COLUMNS = ("indicator", "label", "dimension", "direction", "unit")
DESCRIPTIVE_STATISTICS = ("n", "mean", "sd", "min", "max")


def descriptive_statistics(result: IndexResult) -> pl.DataFrame:
    """N, mean, standard deviation (sample, n − 1), minimum and maximum of each
    indicator's raw values as the index used them (the paper's 描述性统计 table), with
    the indicator's label, dimension, direction and unit, in spec order.

    The sums run over each column in row order (numpy): the same bits on every run.
    """
    if result.indicators is None:
        raise ValueError("the index result has no indicator values (made by hand)")
    rows = []
    for item in result.spec:
        x = result.indicators.get_column(item.name).to_numpy().astype(float)
        rows.append(
            {
                "indicator": item.name,
                "label": item.label,
                "dimension": item.dimension,
                "direction": item.direction,
                "unit": item.unit,
                "n": int(x.size),
                "mean": float(x.mean()),
                "sd": float(x.std(ddof=1)) if x.size > 1 else float("nan"),
                "min": float(x.min()),
                "max": float(x.max()),
            }
        )
    schema = (
        {c: pl.String for c in DESCRIPTIVE_COLUMNS}
        | {"n": pl.Int64}
        | {c: pl.Float64 for c in DESCRIPTIVE_STATISTICS[1:]}
    )
    return pl.DataFrame(rows, schema=schema)


def indicator_labels(result: IndexResult) -> dict[str, str]:
    """Indicator name → the name shown for it: the spec's ``label``, or the name when
    the spec gives none."""
    return {item.name: item.label or item.name for item in result.spec}


def labelled_weights(result: IndexResult) -> pl.DataFrame:
    """The index's weights table with a ``label`` column after ``indicator`` (the name
    shown, :func:`indicator_labels`; the raw name stays in ``indicator``)."""
    weights = result.tables()["weights"]
    indicator = result.column("indicator")
    if indicator not in weights.columns:
        return weights
    name = output_name("label", weights.columns)
    labels = indicator_labels(result)
    column = pl.col(indicator).replace_strict(labels, default=pl.col(indicator)).alias(name)
    at = weights.columns.index(indicator) + 1
    return weights.select(*weights.columns[:at], column, *weights.columns[at:])


def indicator_system(result: IndexResult, language: str = "en") -> pl.DataFrame:
    """The indicator system with its weights (the paper's 指标体系 table): dimension
    (一级指标) and its weight, indicator (二级指标, its label when the spec gives one),
    its raw name (``code``), direction (+ benefit, − cost, "moderate 3.5" / 适度 3.5,
    "interval [2, 5]" / 区间 [2, 5] in ``language``) and weight. With ``scope="year"`` the weights are the
    mean over the years (``weight`` then is that mean; the per-year weights are in the
    index's ``weights`` table)."""
    weights = result.tables()["weights"]
    weight, indicator = result.column("weight"), result.column("indicator")
    if result.year in weights.columns:  # scope="year": one weight vector per year
        weights = grouped(
            weights.group_by(indicator, maintain_order=True), {weight: (weight, "mean")}
        )
    by_name = dict(zip(weights.get_column(indicator), weights.get_column(weight), strict=True))
    totals: dict[str, float] = {}
    for item in result.spec:
        totals[item.dimension] = totals.get(item.dimension, 0.0) + by_name[item.name]
    return pl.DataFrame(
        {
            "dimension": [item.dimension for item in result.spec],
            "dimension_weight": [totals[item.dimension] for item in result.spec],
            "indicator": [item.label or item.name for item in result.spec],
            "code": [item.name for item in result.spec],
            "direction": [_direction_shown(item, language) for item in result.spec],
            "weight": [by_name[item.name] for item in result.spec],
        },
        schema={
            "dimension": pl.String,
            "dimension_weight": pl.Float64,
            "indicator": pl.String,
            "code": pl.String,
            "direction": pl.String,
            "weight": pl.Float64,
        },
    )


def _direction_shown(item: Any, language: str) -> str:
    """The indicator system's attribute column: +, −, the moderate indicator's target
    or the interval, named in ``language``."""
    if item.direction == "mid":
        return ("moderate", "适度")[language == "zh"] + f" {item.target:g}"
    if item.direction == "interval":
        return ("interval", "区间")[language == "zh"] + f" [{item.lower:g}, {item.upper:g}]"
    return "+" if item.benefit else "−"


def scores_by_year(result: IndexResult) -> pl.DataFrame:
    """The index of each region in each year, one column per year, then the period mean
    and its rank (1 = highest; ties share the smallest rank), regions by that rank."""
    region, year = result.region, result.year
    score = score_column(result)
    scores = result.tables()["scores"].select(region, year, score).sort(year, region)
    years = scores.get_column(year).unique().sort().to_list()
    taken = [region]
    columns = {y: output_name(str(y), taken) for y in years}
    wide = scores.pivot(on=year, index=region, values=score).rename(
        {str(y): columns[y] for y in years}
    )
    mean_name, rank_name = output_name("mean", taken), output_name("rank", taken)
    # the period mean as the region table takes it (each region's years in order)
    means = grouped(scores.group_by(region, maintain_order=True), {mean_name: (score, "mean")})
    negated = -means.get_column(mean_name).to_numpy()
    ranks = np.searchsorted(np.sort(negated), negated, side="left") + 1
    means = means.with_columns(pl.Series(rank_name, ranks, dtype=pl.Int64))
    return (
        wide.select(region, *(columns[y] for y in years))
        .join(means, on=region, how="left", maintain_order="left")
        .sort([rank_name, region])
    )


# ---------------------------------------------------------------------------
# A table as documents show it (issue 11: bilingual headers and nqpf's own cells)
# ---------------------------------------------------------------------------


def displayed(
    frame: pl.DataFrame,
    language: str,
    table: str,
    *,
    keep: Collection[str] = (),
    headers: Mapping[str, str] | None = None,
    cells: Mapping[str, Callable[[Any], Any]] | None = None,
) -> pl.DataFrame:
    """``frame`` as the report's documents show it in ``language``.

    Headers: ``headers[column]`` when given, else the translation table's
    (:func:`nqpf.translations.header`), else the column's own name; the columns in
    ``keep`` (the user's: region, year, group names, dimensions) keep their names.
    Cells: ``cells[column]`` maps each value of a column; a text column not kept has
    its values nqpf writes (``twoway``, ``cv`` …) translated
    (:func:`nqpf.translations.cell`); in Chinese a yes/no column reads 是/否. Numbers
    stay numbers (full precision: the writers round). Headers that would repeat get
    the column's own name in brackets, so every header is distinct.
    """
    from nqpf.formats import NOT_APPLICABLE
    from nqpf.translations import cell, header, text

    headers = dict(headers or {})
    cells = dict(cells or {})
    series: list[pl.Series] = []
    taken: set[str] = set()
    for name in frame.columns:
        column = frame.get_column(name)
        if name in cells:
            convert = cells[name]
            values = [None if v is None else convert(v) for v in column.to_list()]
            column = pl.Series(
                name,
                values,
                dtype=pl.String
                if values and all(isinstance(v, str) or v is None for v in values)
                else None,
            )
        elif column.dtype == pl.Boolean and language == "zh":
            yes, no = text("value.yes", language), text("value.no", language)
            column = pl.Series(
                name,
                [NOT_APPLICABLE if v is None else (yes if v else no) for v in column.to_list()],
                dtype=pl.String,
            )
        elif column.dtype == pl.String and name not in keep:
            found = {v: cell(name, v, language) for v in column.unique().to_list()}
            mapping = {v: t for v, t in found.items() if t is not None and v is not None}
            if mapping:
                column = column.replace(mapping)
        title = headers.get(name) or (None if name in keep else header(name, language, table))
        title = title or name
        if title in taken:
            title = f"{title} ({name})"
        taken.add(title)
        series.append(column.alias(title))
    return pl.DataFrame(series)
