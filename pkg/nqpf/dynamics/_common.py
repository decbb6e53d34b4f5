"""Input handling shared by the distribution-dynamics modules and the obstacle model.

These helpers turn whatever frame the caller hands in (polars, a polars
LazyFrame, pandas) into a polars DataFrame and check the columns a method
needs, raising :class:`~nqpf.errors.InputError` with the 1-based data row and
the column of the first bad cell, so that the user can find it.
They check *before* anything is sorted or filtered, so the row numbers are the
rows of the frame as the caller gave it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from nqpf.errors import InputError


def to_polars(frame: Any, *, name: str = "frame") -> pl.DataFrame:
    """Return ``frame`` as a polars DataFrame (polars, LazyFrame or pandas accepted)."""
    if isinstance(frame, pl.DataFrame):
        return frame
    if isinstance(frame, pl.LazyFrame):
        return frame.collect()
    # pandas is optional: recognise it by duck typing rather than importing it.
    if type(frame).__module__.startswith("pandas") and hasattr(frame, "columns"):
        return pl.from_pandas(frame)
    if isinstance(frame, dict):
        return pl.DataFrame(frame)
    raise InputError(
        f"{name} must be a polars or pandas DataFrame, not {type(frame).__name__}",
        hint="build a frame with one column per variable, e.g. pl.DataFrame({...})",
    )


def require_columns(df: pl.DataFrame, columns: Sequence[str | None], *, role: str = "") -> None:
    """Raise if a named column is absent (``None`` entries are skipped)."""
    names = df.columns
    for col in columns:
        if col is not None and col not in names:
            shown = ", ".join(names[:12]) + (", …" if len(names) > 12 else "")
            raise InputError(
                f"column '{col}'{' (' + role + ')' if role else ''} is not in the frame",
                column=col,
                hint=f"the frame has: {shown}",
            )


def first_row(mask: np.ndarray) -> int:
    """1-based position of the first True in ``mask``."""
    return int(np.flatnonzero(mask)[0]) + 1


def numeric_values(
    df: pl.DataFrame,
    col: str,
    *,
    positive: bool = False,
    nonnegative: bool = False,
    why: str = "",
) -> np.ndarray:
    """Return column ``col`` as float64, refusing non-numeric, missing or non-finite cells.

    ``positive``/``nonnegative`` add a sign check; ``why`` says in the message
    what needs it (e.g. "logs are taken").
    """
    series = df.get_column(col)
    if not (series.dtype.is_numeric() or series.dtype == pl.Null):
        # Name the first cell that does not read as a number: that is what the user must fix.
        as_num = series.cast(pl.Float64, strict=False)
        bad = (as_num.is_null() & series.is_not_null()).to_numpy()
        if bad.any():
            r = first_row(bad)
            raise InputError(
                f"non-numeric value {series[r - 1]!r}",
                row=r,
                column=col,
                hint="the column must hold numbers only",
            )
        series = as_num
    nulls = series.is_null().to_numpy()
    if nulls.any():
        raise InputError(
            "missing value",
            row=first_row(nulls),
            column=col,
            hint="fill or drop the row before this analysis",
        )
    x = series.cast(pl.Float64).to_numpy().astype(np.float64, copy=False)
    bad = ~np.isfinite(x)
    if bad.any():
        r = first_row(bad)
        raise InputError(
            f"non-finite value {x[r - 1]}", row=r, column=col, hint="use finite numbers only"
        )
    if positive:
        bad = x <= 0
        if bad.any():
            r = first_row(bad)
            raise InputError(
                f"value {x[r - 1]:g} is not > 0{' but ' + why if why else ''}",
                row=r,
                column=col,
                hint="use a strictly positive variable (e.g. the score, not a centred value)",
            )
    if nonnegative:
        bad = x < 0
        if bad.any():
            r = first_row(bad)
            raise InputError(
                f"negative value {x[r - 1]:g}{' but ' + why if why else ''}",
                row=r,
                column=col,
                hint="use a non-negative variable",
            )
    return x


def no_missing(df: pl.DataFrame, columns: Sequence[str | None]) -> None:
    """Refuse missing cells in label columns (region, year, group)."""
    for k in columns:
        if k is None:
            continue
        nulls = df.get_column(k).is_null().to_numpy()
        if nulls.any():
            raise InputError(
                "missing label", row=first_row(nulls), column=k, hint="every row needs one"
            )


def check_keys(df: pl.DataFrame, keys: Sequence[str | None]) -> None:
    """Refuse missing key cells and duplicate key combinations (e.g. region-year)."""
    keys = [k for k in keys if k is not None]
    no_missing(df, keys)
    if keys:
        dup = df.select(pl.struct(keys).is_duplicated()).to_series().to_numpy()
        if dup.any():
            r = first_row(dup)
            combo = ", ".join(f"{k}={df.get_column(k)[r - 1]!r}" for k in keys)
            raise InputError(
                f"duplicate row for {combo}",
                row=r,
                column=keys[-1],
                hint="keep one row per " + "-".join(keys),
            )


def numeric_years(df: pl.DataFrame, year: str) -> np.ndarray:
    """The year column as float64 (years must be numbers where time spans are computed)."""
    series = df.get_column(year)
    if not series.dtype.is_numeric():
        as_num = series.cast(pl.Float64, strict=False)
        bad = (as_num.is_null() & series.is_not_null()).to_numpy()
        if bad.any():
            r = first_row(bad)
            raise InputError(
                f"year {series[r - 1]!r} is not a number",
                row=r,
                column=year,
                hint="growth rates need numeric years such as 2015",
            )
        series = as_num
    return series.cast(pl.Float64).to_numpy()
