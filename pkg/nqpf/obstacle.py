"""Obstacle degree model (障碍度模型): which indicators hold a region's index back.

For each region-year, an indicator's obstacle degree is its share of the
weighted shortfall from the best value,

    O_rj = F_j I_rj / Σ_k F_k I_rk × 100 %,

with the factor contribution F_j = w_j (the indicator's weight) and the
deviation I_rj = 1 − x′_rj (x′ the min–max standardised value on [0, 1], 1 =
best). A dimension's obstacle degree is the sum over its indicators. The model
is the standard diagnostic after an entropy-weight index in the regional
literature; it is kept independent of how the weights and the standardised
values were obtained.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import polars as pl

from nqpf._frames import (
    check_choice,
    check_int,
    check_keys,
    column_name,
    distinct_columns,
    first_row,
    grouped,
    internal_name,
    numeric_values,
    output_name,
    require_columns,
    to_polars,
    window_sum,
)
from nqpf.errors import InputError
from nqpf.results import Result
from nqpf.weights import power_of_two_scale

__all__ = ["ObstacleResult", "obstacle_degree"]

# Standardised values may overshoot [0, 1] by rounding in the step that made them.
_UNIT_TOL = 1e-9

# The helper columns of the long table (named so that no key column can meet them).
_HELPERS = (
    "row",
    "order",
    "x",
    "indicator",
    "dimension",
    "weight",
    "deviation",
    "obstacle",
    "scaled_weight",
)


@dataclass(frozen=True, slots=True)
class ObstacleResult(Result):
    """Result of :func:`obstacle_degree`; unpacks as ``indicators, dimensions``.

    Attributes
    ----------
    indicators
        polars, long: the key columns, ``indicator``, ``dimension``, ``weight``,
        ``deviation`` (1 − x′), ``obstacle`` (percent; sums to 100 within a region-year).
    dimensions
        polars, long: the key columns, ``dimension``, ``obstacle`` (percent, the sum of
        its indicators').
    keys
        The key columns (e.g. region, year).
    """

    indicators: pl.DataFrame
    dimensions: pl.DataFrame
    keys: tuple[str, ...]
    #: Output name → its name in these tables where a key column had it
    #: (``indicator``, ``dimension``, ``weight``, ``deviation``, ``obstacle``, ``rank``).
    columns: dict[str, str] | None = None
    #: The call's options as a plain dict (``keys``).
    options: Mapping[str, Any] = field(default_factory=dict)

    main_table: ClassVar[str] = "indicators"
    title: ClassVar[str] = "Obstacle degree"

    def tables(self) -> dict[str, pl.DataFrame]:
        """``indicators`` and ``dimensions`` (long tables, obstacle in percent)."""
        return {"indicators": self.indicators, "dimensions": self.dimensions}

    def column(self, name: str) -> str:
        """The actual name of output column ``name``."""
        return (self.columns or {}).get(name, name)

    def __iter__(self) -> Iterator[pl.DataFrame]:
        yield self.indicators
        yield self.dimensions

    def top(self, n: int = 3, level: str = "indicator") -> pl.DataFrame:
        """The ``n`` largest obstacles per region-year (``level`` "indicator" or "dimension").

        Returns the key columns, ``rank`` (1 = largest obstacle), the indicator (and
        dimension) and ``obstacle``; ties are ordered by name so the output is stable.
        Region-years without any shortfall (all obstacles NaN) have no row.
        """
        check_choice("level", level, ("indicator", "dimension"))
        n = check_int("n", n, low=1)
        frame = self.indicators if level == "indicator" else self.dimensions
        keys = list(self.keys)
        c = self.column
        obstacle, rank, dimension, lev = c("obstacle"), c("rank"), c("dimension"), c(level)
        return (
            frame.filter(pl.col(obstacle).is_not_nan())
            .sort([*keys, obstacle, lev], descending=[False] * len(keys) + [True, False])
            .with_columns(pl.int_range(1, pl.len() + 1).over(keys).alias(rank))
            .filter(pl.col(rank) <= n)
            .select(
                *keys,
                rank,
                *([lev] if level == "dimension" else [lev, dimension]),
                obstacle,
            )
        )


def obstacle_degree(
    standardized: Any,
    weights: Mapping[str, float] | Any = None,
    spec_dimensions: Mapping[str, str] | None = None,
    *,
    keys: Sequence[str] | None = None,
) -> ObstacleResult:
    """Obstacle degree of each indicator and dimension, per region-year.

    O_rj = w_j (1 − x′_rj) / Σ_k w_k (1 − x′_rk) × 100, and a dimension's O is the sum
    of its indicators' O. An indicator at its best value (x′ = 1) is no obstacle; a
    region-year at the best value of every indicator has no shortfall to share out,
    so its obstacles are NaN.

    Parameters
    ----------
    standardized
        polars (or pandas) frame: key columns (e.g. region, year) and one column per
        indicator holding its min–max standardised value in [0, 1] with 1 = best (cost
        indicators already reversed, and no shift added). Or an index result
        (:class:`~nqpf.index.IndexResult`, min–max standardised) without ``weights``:
        its ``.standardized`` values, its weights and dimensions (per year with
        ``scope="year"``), whatever its columns are called.
    weights
        Mapping indicator → weight w_j ≥ 0 (need not sum to 1), or a frame with the
        columns ``indicator`` and ``weight`` and optionally ``dimension`` and a year
        column named as in ``standardized`` (year-specific weights, e.g. from
        ``scope="year"``). The indicators are the weights' keys.
    spec_dimensions
        Mapping indicator → dimension. May be omitted when ``weights`` is a frame with
        a ``dimension`` column.
    keys
        The key columns; default: every column of ``standardized`` that is not an
        indicator.

    Returns
    -------
    ObstacleResult
        ``.indicators`` and ``.dimensions`` (long polars frames), ``.top(3)``.

    Raises
    ------
    InputError
        An indicator missing from the frame or from the dimension map, a value outside
        [0, 1] or missing (row and column named), a negative weight, all weights 0.

    Notes
    -----
    This is the obstacle degree model as the Chinese regional-development literature
    applies it after entropy-weight indices (factor contribution, deviation, obstacle
    share). Some papers use F_j = w_dim · w_j|dim, the dimension weight times the
    within-dimension weight; with weights renormalised within dimensions that product
    equals the overall w_j, so pass the overall weights.

    Examples
    --------
    >>> import polars as pl
    >>> z = pl.DataFrame({"region": ["A"], "year": [1], "a": [0.5], "b": [1.0], "c": [0.0]})
    >>> res = obstacle_degree(z, {"a": 0.5, "b": 0.2, "c": 0.3}, {"a": "X", "b": "X", "c": "Y"})
    >>> res.indicators["obstacle"].round(6).to_list()
    [45.454545, 0.0, 54.545455]
    """
    if weights is None:
        if _is_index_result(standardized):
            return _of_index(standardized)
        raise InputError(
            "no weights given",
            hint="pass weights (indicator → weight), or an index result alone",
        )
    df = to_polars(standardized, what="the standardised values", results=False)
    wframe = _weights_frame(weights, spec_dimensions)
    indicators = wframe.get_column("indicator").unique(maintain_order=True).to_list()
    keys, year_cols = _keys_and_years(df, wframe, indicators, keys)
    for ind in indicators:
        x = numeric_values(df, ind)
        out = (x < -_UNIT_TOL) | (x > 1 + _UNIT_TOL)
        if out.any():
            r = first_row(out)
            raise InputError(
                f"standardised value {x[r - 1]:g} is outside [0, 1]",
                row=r,
                column=ind,
                hint="pass min–max standardised values (1 = best), without the entropy shift",
            )
    for c in year_cols:
        try:
            wframe = wframe.with_columns(pl.col(c).cast(df.schema[c]))
        except pl.exceptions.PolarsError:
            raise InputError(
                f"the weights' '{c}' values do not read as the frame's '{c}' ({df.schema[c]})",
                column=c,
                hint="year-specific weights need the same year column in both",
            ) from None
    # The long table is built on helper names (no key can meet them) and takes the
    # output names at the end: a key's own name wins, the output column steps aside.
    taken = [*keys, *indicators]
    helper = {name: internal_name(name, taken) for name in _HELPERS}
    long = _long_table(df, wframe, keys, indicators, year_cols, helper)
    ind, dim = _degrees(long, wframe, keys, indicators, helper)
    names: dict[str, str] = {}
    for wanted in ("indicator", "dimension", "weight", "deviation", "obstacle", "rank"):
        names[wanted] = output_name(wanted, [*keys, *names.values()])
    shown = ("indicator", "dimension", "weight", "deviation", "obstacle")
    ind = ind.select(*keys, *(helper[w] for w in shown))
    dim = dim.select(*keys, helper["dimension"], helper["obstacle"])
    return ObstacleResult(
        indicators=ind.rename({helper[w]: names[w] for w in shown}),
        dimensions=dim.rename({helper[w]: names[w] for w in ("dimension", "obstacle")}),
        keys=tuple(keys),
        columns={w: n for w, n in names.items() if w != n},
        options={"keys": list(keys)},
    )


def _keys_and_years(
    df: pl.DataFrame, wframe: pl.DataFrame, indicators: list[str], keys: Any
) -> tuple[list[str], list[str]]:
    """The key columns (default: every non-indicator column), checked, and the weights'
    year columns (each a key); refuses an empty frame and duplicate keys."""
    require_columns(df, indicators, role="indicator")
    if keys is None:
        keys = [c for c in df.columns if c not in indicators]
    if isinstance(keys, str):
        keys = [keys]
    if not isinstance(keys, Sequence):
        raise InputError(
            f"keys={keys!r} must be a list of column names", hint="e.g. ['region', 'year']"
        )
    keys = list(keys)
    for key in keys:
        column_name("a key", key)
    require_columns(df, keys, role="key")
    distinct_columns([*keys, *indicators])
    year_cols = [c for c in wframe.columns if c not in ("indicator", "weight", "dimension")]
    missing = [c for c in year_cols if c not in keys]
    if missing:
        raise InputError(
            f"the weights have a column '{missing[0]}' that is not a key of the frame",
            column=missing[0],
            hint="year-specific weights need the same year column in both",
        )
    if df.height == 0:
        raise InputError("the frame has no rows", hint="pass the standardised indicators")
    if keys:
        check_keys(df, keys)
    return keys, year_cols


def _long_table(
    df: pl.DataFrame,
    wframe: pl.DataFrame,
    keys: list[str],
    indicators: list[str],
    year_cols: list[str],
    h: Mapping[str, str],
) -> pl.DataFrame:
    """One row per region-year and indicator (helper names ``h``): its value and weight;
    a region-year without a weight for its year is refused."""
    year_join = {c: internal_name(f"key_{c}", [*keys, *indicators]) for c in year_cols}
    # the shares are scale-free in w: weights near 1e308 enter as 2⁻ᵏ·w (exact; numpy,
    # since polars may divide by a literal as a product with its reciprocal)
    w_raw = wframe.get_column("weight").to_numpy()
    weights_long = wframe.with_columns(
        pl.Series(h["scaled_weight"], w_raw / power_of_two_scale(w_raw))
    ).rename(
        {"indicator": h["indicator"], "weight": h["weight"], "dimension": h["dimension"]}
        | year_join
    )
    long = (
        df.select(*keys, *indicators)
        .with_row_index(h["row"])
        .unpivot(
            index=[h["row"], *keys], on=indicators, variable_name=h["indicator"], value_name=h["x"]
        )
        .with_columns(pl.col(c).alias(year_join[c]) for c in year_cols)
        .join(
            weights_long,
            on=[h["indicator"], *year_join.values()],
            how="left",
            maintain_order="left",
        )
        .drop(year_join.values())
    )
    nulls = long.get_column(h["weight"]).is_null().to_numpy()
    if nulls.any():
        r = first_row(nulls)
        raise InputError(
            f"no weight for indicator '{long.get_column(h['indicator'])[r - 1]}' in "
            + ", ".join(f"{c}={long.get_column(c)[r - 1]!r}" for c in year_cols),
            column=year_cols[0],
            hint="give weights for every year of the frame",
        )
    return long


def _degrees(
    long: pl.DataFrame,
    wframe: pl.DataFrame,
    keys: list[str],
    indicators: list[str],
    h: Mapping[str, str],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """O_rj = w_j (1 − x′_rj) / Σ_k w_k (1 − x′_rk) × 100 per indicator, and its sum per
    dimension, in the order of the rows, then of the indicators (dimensions)."""
    row, order_col, obs_col = h["row"], h["order"], h["obstacle"]
    # Clip the rounding overshoot so that no obstacle comes out a hair below 0.
    dev = 1.0 - pl.col(h["x"]).clip(0.0, 1.0)
    share = pl.col(h["scaled_weight"]) * pl.col(h["deviation"])
    with_dev = long.with_columns(dev.alias(h["deviation"]))
    total_col = internal_name("total", with_dev.columns)
    total = pl.col(total_col)
    # Σ_k over the row's indicators in row order (a window sum's bits vary run to run)
    ind = (
        window_sum(with_dev, share, [row], total_col)
        .with_columns(
            pl.when(total > 0).then(share / total * 100.0).otherwise(float("nan")).alias(obs_col)
        )
        .drop(total_col)
    )
    order = {name: i for i, name in enumerate(indicators)}
    ind = ind.with_columns(
        pl.col(h["indicator"]).replace_strict(order, return_dtype=pl.Int64).alias(order_col)
    ).sort(row, order_col)
    dims = list(dict.fromkeys(wframe.get_column("dimension").to_list()))
    dim = (
        grouped(ind.group_by(row, *keys, h["dimension"]), {obs_col: (obs_col, "sum")})
        .with_columns(
            pl.col(h["dimension"])
            .replace_strict({d: i for i, d in enumerate(dims)}, return_dtype=pl.Int64)
            .alias(order_col)
        )
        .sort(row, order_col)
    )
    return ind, dim


def _is_index_result(obj: Any) -> bool:
    return all(hasattr(obj, a) for a in ("standardized", "weights", "spec", "region", "year"))


def _of_index(result: Any) -> ObstacleResult:
    """Obstacle degrees of an index result, read through its own column names.

    The weight table's year column (``scope="year"``) keeps the panel's name, which may
    be ``weight`` or ``indicator``; it enters the computation under a helper name and
    the outputs get the panel's name back.
    """
    if result.options.get("standardization", "minmax") != "minmax":
        raise InputError(
            f"the obstacle degree needs min–max standardised values, the index used "
            f"standardization='{result.options.get('standardization')}'",
            hint="run the index with standardization='minmax'",
        )
    col = getattr(result, "column", lambda name: name)
    region, year = result.region, result.year
    z = result.standardized
    table = result.weights
    keyed = result.options.get("scope") == "year"  # the weight table has a year column
    inner_year = internal_name("year", [*z.columns, *table.columns]) if keyed else year
    weights = table.select(
        pl.col(col("indicator")).alias("indicator"),
        pl.col(col("weight")).alias("weight"),
        pl.col(col("dimension")).alias("dimension"),
        *([pl.col(year).alias(inner_year)] if keyed else []),
    )
    out = obstacle_degree(z.rename({year: inner_year}), weights, keys=[region, inner_year])
    if not keyed:
        return out
    # an output column named like the year (weight, indicator, …) steps aside from it
    columns = dict(out.columns or {})
    renamed = {}
    for wanted in ("indicator", "dimension", "weight", "deviation", "obstacle", "rank"):
        got = columns.get(wanted, wanted)
        if got == year:
            taken = [region, year, *out.indicators.columns, *columns.values()]
            columns[wanted] = renamed[got] = output_name(wanted, taken)

    def back(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.rename({k: v for k, v in renamed.items() if k in frame.columns}).rename(
            {inner_year: year}
        )

    return ObstacleResult(
        indicators=back(out.indicators),
        dimensions=back(out.dimensions),
        keys=(region, year),
        columns=columns,
        options={"keys": [region, year]},
    )


def _weights_frame(weights: Any, dims: Mapping[str, str] | None) -> pl.DataFrame:
    """Normalise the weights (and dimensions) to a frame: indicator, weight, dimension[, year]."""
    if isinstance(weights, Mapping):
        names = list(weights)
        try:
            w = np.array([float(weights[k]) for k in names])
        except (TypeError, ValueError):
            raise InputError(
                "weights must be numbers", hint="a mapping indicator → weight"
            ) from None
        frame = pl.DataFrame({"indicator": [str(k) for k in names], "weight": w})
    else:
        frame = to_polars(weights, what="the weights")
        require_columns(frame, ["indicator", "weight"], role="weights")
        frame = frame.with_columns(pl.col("indicator").cast(pl.String))
        w = numeric_values(frame, "weight")
        frame = frame.with_columns(pl.Series("weight", w))
    if frame.height == 0:
        raise InputError("no weights given", hint="one weight per indicator")
    if not np.all(np.isfinite(w)) or (w < 0).any():
        bad = int(np.flatnonzero(~np.isfinite(w) | (w < 0))[0])
        raise InputError(
            f"weight {w[bad]:g} of indicator '{frame.get_column('indicator')[bad]}' is not a "
            "non-negative number",
            column="weight",
            hint="weights must be >= 0",
        )
    if dims is not None and not isinstance(dims, Mapping):
        raise InputError(
            f"spec_dimensions={dims!r} must map each indicator to its dimension",
            hint="e.g. {'gdp': 'economy', 'co2': 'green'}",
        )
    if dims is not None:
        missing = [
            k for k in frame.get_column("indicator").unique(maintain_order=True) if k not in dims
        ]
        if missing:
            raise InputError(
                f"indicator '{missing[0]}' has no dimension",
                hint="give every weighted indicator a dimension in spec_dimensions",
            )
        frame = frame.drop("dimension", strict=False).with_columns(
            pl.col("indicator")
            .replace_strict({str(k): str(v) for k, v in dims.items()}, return_dtype=pl.String)
            .alias("dimension")
        )
    elif "dimension" not in frame.columns:
        raise InputError(
            "no dimensions given",
            hint="pass spec_dimensions (indicator → dimension) or a 'dimension' column in weights",
        )
    year_cols = [c for c in frame.columns if c not in ("indicator", "weight", "dimension")]
    dup = frame.select(pl.struct("indicator", *year_cols).is_duplicated()).to_series().to_numpy()
    if dup.any():
        r = first_row(dup)
        raise InputError(
            f"indicator '{frame.get_column('indicator')[r - 1]}' has two weights",
            row=r,
            column="indicator",
            hint="one weight per indicator (per year)",
        )
    sums = (
        grouped(frame.group_by(year_cols), {"weight": ("weight", "sum")}).get_column("weight")
        if year_cols
        else frame.select(pl.col("weight").sum()).to_series()
    )
    if not (sums > 0).all():
        raise InputError(
            "all weights are 0", column="weight", hint="at least one weight must be > 0"
        )
    return frame.select("indicator", "weight", "dimension", *year_cols)
