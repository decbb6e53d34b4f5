"""The panel side of the spatial statistics: one cross-section per year, W aligned to it.

Every spatial statistic of a region × year panel is computed year by year on that
year's cross-section. :func:`by_year` checks the frame once (column names, duplicate
region-years, numbers) and yields, for each year in order, the values in the weights'
order and the weights aligned to that year's regions — a region of the panel missing
from W, or a region of W without a value that year, is an :class:`InputError` naming
it and the year (a statistic over part of W would silently drop links).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from nqpf.errors import InputError

__all__ = ["by_year", "check_panel", "check_weights", "seed_rng", "year_table"]


def seed_rng(seed: Any) -> np.random.Generator:
    """A ``numpy.random.Generator`` from ``seed`` (an int, ``None`` or a Generator)."""
    if isinstance(seed, np.random.Generator):
        return seed
    from nqpf.checks import check_seed

    return np.random.default_rng(check_seed("seed", seed))


def check_weights(w: Any) -> None:
    """``w`` must be a :class:`~nqpf.spatial.SpatialWeights` (one message for every
    spatial analysis)."""
    from nqpf.spatial.weights import SpatialWeights

    if not isinstance(w, SpatialWeights):
        raise InputError(
            f"w must be nqpf.spatial.SpatialWeights, got {type(w).__name__}",
            hint="build it with nqpf.spatial.contiguity(...), from_neighbours(...) or from_file(...)",
        )


def check_panel(frame: Any, value: str, region: str, year: str | None) -> Any:
    """The checks every spatial analysis of a panel starts with — the column names,
    the columns present, rows present, one row per region(-year) — and the frame as
    polars."""
    from nqpf._frames import check_keys, column_name, require_columns, to_polars

    for role, name in (("value", value), ("region", region)):
        column_name(role, name)
    column_name("year", year, optional=True)
    df = to_polars(frame)
    require_columns(df, [value, region, year])
    if df.height == 0:
        raise InputError("the frame has no rows", hint="pass the panel with its values")
    check_keys(df, [region] if year is None else [region, year])
    return df


def by_year(
    frame: Any,
    value: str,
    region: str,
    year: str | None,
    *,
    w: Any,
    what: str = "this statistic",
    allow_islands: bool = False,
) -> Iterator[tuple[Any, np.ndarray, Any]]:
    """Yield ``(year value, x, W)`` per year in ascending order (one ``(None, x, W)``
    when ``year`` is None): ``x`` the values as float64 in the order of ``W.ids``, and
    ``W`` the weights aligned to that cross-section (islands refused, naming them,
    unless ``allow_islands``: a statistic without a spatial lag, such as the spatial
    Gini, is defined with them)."""
    import polars as pl

    from nqpf._frames import internal_name, numeric_values

    check_weights(w)
    df = check_panel(frame, value, region, year)
    keys = [region] if year is None else [region, year]
    x = numeric_values(df, value)
    xs = internal_name("x", keys)
    base = df.select(keys).with_columns(pl.Series(xs, x, dtype=pl.Float64))
    years = [None] if year is None else base.get_column(year).unique().sort().to_list()
    for key in years:
        part = base if key is None else base.filter(pl.col(year) == key)
        where = "the data" if key is None else f"year {key}"
        aligned = w.align(part.get_column(region).to_list(), what=where)
        if not allow_islands:
            aligned.check_islands(what=what)
        yield key, part.get_column(xs).to_numpy(), aligned


def year_table(frame: Any, year: str | None, keys: list[Any], rows: list[dict[str, Any]]) -> Any:
    """One row of statistics per year as a polars frame: the caller's ``year`` column
    first (its own dtype), then the statistics, each renamed ``nqpf_<name>`` only where
    it would clash with the year column's name."""
    import polars as pl

    from nqpf._frames import output_name, to_polars

    taken = [] if year is None else [year]
    names = {k: output_name(k, taken) for k in rows[0]}
    table = pl.DataFrame([{names[k]: v for k, v in r.items()} for r in rows])
    if year is None:
        return table
    dtype = to_polars(frame).schema[year]
    return pl.DataFrame([pl.Series(year, keys, dtype=dtype)]).hstack(table)
