"""Input frames: conversion to polars and the column checks the analyses share.

:func:`to_polars` turns whatever frame the caller hands in (polars, a polars
LazyFrame, pandas, a mapping of columns, or a result with a ``.scores`` table)
into a polars DataFrame; every module that takes a frame uses it, so every one
accepts the same inputs and refuses the rest with the same message. The other
helpers check the columns a method needs, raising :class:`~nqpf.errors.InputError`
with the 1-based data row and the column of the first bad cell, so that the user
can find it. They check *before* anything is sorted or filtered, so the row
numbers are the rows of the frame as the caller gave it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl

from nqpf.errors import InputError


def internal_name(base: str, taken: Iterable[str]) -> str:
    """A name for a helper column that no column in ``taken`` has.

    ``__nqpf_<base>__``, with a number appended (``__nqpf_<base>__2``, …) while
    that is taken too. nqpf never refuses, renames or overwrites a user's column
    because of a name it uses internally: it picks its own names around them.
    """
    used = set(taken)
    name = f"__nqpf_{base}__"
    n = 1
    while name in used:
        n += 1
        name = f"__nqpf_{base}__{n}"
    return name


def output_name(wanted: str, taken: Iterable[str]) -> str:
    """The name of an output column: ``wanted``, or ``nqpf_<wanted>`` (then
    ``nqpf_<wanted>_2``, …) when a key or carried column of the caller already has it.

    Output frames keep the caller's names for keys; where an output column would
    clash with one, the output column is namespaced, never the input.
    """
    used = set(taken)
    if wanted not in used:
        return wanted
    name = f"nqpf_{wanted}"
    n = 1
    while name in used:
        n += 1
        name = f"nqpf_{wanted}_{n}"
    return name


_HINT = "pass a polars or pandas DataFrame (or a result with a .scores table)"


def is_pandas(obj: Any) -> bool:
    """True for a pandas DataFrame (recognised without importing pandas, which is optional)."""
    return type(obj).__module__.split(".")[0] == "pandas" and hasattr(obj, "columns")


def to_polars(
    frame: Any,
    *,
    what: str = "a table",
    hint: str = _HINT,
    results: bool = True,
    index: bool = False,
) -> pl.DataFrame:
    """Return ``frame`` as a polars DataFrame.

    Accepted: a polars DataFrame or LazyFrame, a pandas DataFrame, a mapping of
    columns and, with ``results``, an object whose ``.scores`` is such a frame
    (e.g. :class:`~nqpf.index.IndexResult`). A pandas column mixing numbers and
    text becomes text, so that the caller's own check names the bad cell; pandas
    column names become strings. With ``index``, a *named* pandas index (e.g.
    after ``set_index("region")``) becomes columns; an unnamed one is dropped.
    Anything else raises ``InputError("cannot read <what> from a <type>")``.
    """
    if isinstance(frame, pl.DataFrame):
        return frame
    if isinstance(frame, pl.LazyFrame):
        return frame.collect()
    if is_pandas(frame):
        named = index and any(name is not None for name in frame.index.names)
        data = frame.reset_index(drop=not named)
        data.columns = [str(c) for c in data.columns]
        try:
            return pl.from_pandas(data)
        except (TypeError, ValueError):  # an object column mixing numbers and text
            mixed = [c for c in data.columns if data[c].dtype == object]
            try:
                return pl.from_pandas(data.astype({c: "string" for c in mixed}))
            except (TypeError, ValueError) as error:
                first = str(error).splitlines()[0] if str(error) else type(error).__name__
                raise InputError(f"cannot convert the pandas frame ({first})") from None
    # Checked after the frame types, so that a frame with a "scores" column is
    # not mistaken for a result.
    scores = getattr(frame, "scores", None) if results else None
    if scores is not None:
        return to_polars(scores, what=what, hint=hint, results=False, index=index)
    if isinstance(frame, Mapping):
        try:
            return pl.DataFrame(dict(frame))
        except (TypeError, ValueError, pl.exceptions.PolarsError) as error:
            first = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise InputError(f"cannot read {what} from the mapping ({first})", hint=hint) from None
    raise InputError(f"cannot read {what} from a {type(frame).__name__}", hint=hint)


def require_columns(df: pl.DataFrame, columns: Sequence[str | None], *, role: str = "") -> None:
    """Raise if a named column is absent or named twice (``None`` entries are skipped)."""
    names = df.columns
    for col in columns:
        if col is not None and col not in names:
            shown = ", ".join(names[:12]) + (", …" if len(names) > 12 else "")
            raise InputError(
                f"column '{col}'{' (' + role + ')' if role else ''} is not in the frame",
                column=col,
                hint=f"the frame has: {shown}",
            )
    distinct_columns(columns)


def distinct_columns(columns: Sequence[str | None]) -> None:
    """Refuse a column named for two roles (e.g. as both region and year)."""
    seen: set[str] = set()
    for col in columns:
        if col is not None and col in seen:
            raise InputError(
                "one column is named for two roles",
                column=col,
                hint="name a different column for each (region, year, value, …)",
            )
        if col is not None:
            seen.add(col)


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
