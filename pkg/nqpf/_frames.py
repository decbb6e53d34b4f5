"""Input frames: conversion to polars and the column checks the analyses share.

:func:`to_polars` turns whatever frame the caller hands in (polars, a polars
LazyFrame, pandas, a mapping of columns, or a result with a ``.scores`` table)
into a polars DataFrame; every module that takes a frame uses it, so every one
accepts the same inputs and refuses the rest with the same message. The other
helpers check the columns a method needs, raising :class:`~nqpf.errors.InputError`
with the 1-based data row and the column of the first bad cell, so that the user
can find it. They check *before* anything is sorted or filtered, so the row
numbers are the rows of the frame as the caller gave it: **one meaning of row**,
the 1-based data row (a caller that read the frame from a file turns it into the
file's row with :meth:`~nqpf.errors.InputError.with_file`).

The rules every analysis follows through these helpers:

* **Names.** A caller's column is never refused, renamed or overwritten because
  of a name nqpf uses: helper columns are :func:`internal_name` (``__nqpf_<base>__``,
  numbered around the caller's), output columns that would meet a caller's key take
  :func:`output_name` (``nqpf_<name>``) and each result says which names it used
  (``IndexResult.score_column``, ``DagumResult.columns``, …).
* **Numbers in text.** :func:`parse_numbers`, the reading layer's rule
  (:func:`nqpf.io.parse_numbers`): a decimal point; a comma is read as a thousands
  separator only where it cannot be a decimal comma.
* **Options.** :func:`check_int`, :func:`check_real`, :func:`check_bool`,
  :func:`check_choice`, :func:`check_seed`: a wrong type or range (a bool for a
  number, NaN, a negative seed) is one :class:`~nqpf.errors.InputError`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl

# the option checks live in nqpf.checks (light, shared with nqpf.options); re-exported
# here for the analysis modules that take them with the frame helpers
from nqpf.checks import check_bool as check_bool
from nqpf.checks import check_choice as check_choice
from nqpf.checks import check_int as check_int
from nqpf.checks import check_real as check_real
from nqpf.checks import check_seed as check_seed
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
        names = [str(c) for c in frame.columns]
        twice = next((c for c in names if names.count(c) > 1), None)
        if twice is not None:
            raise InputError(
                f"the pandas frame has two columns named '{twice}'",
                column=twice,
                hint="give every column its own name",
            )
        named = index and any(name is not None for name in frame.index.names)
        clash = [str(n) for n in frame.index.names if n is not None and str(n) in names]
        if named and clash:
            raise InputError(
                f"the pandas index is named '{clash[0]}', like a column",
                column=clash[0],
                hint="reset_index(drop=True) or rename the index before passing the frame",
            )
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


def is_pattern_name(name: str) -> bool:
    """Whether polars reads a column name as a pattern rather than a name: ``*`` (every
    column) or ``^…$`` (a regular expression), so that ``pl.col(name)`` would not select
    the user's column of that name."""
    return name == "*" or (len(name) > 1 and name.startswith("^") and name.endswith("$"))


def check_pattern_names(names: Sequence[str], **where: Any) -> None:
    """Refuse a column whose name polars reads as a pattern (:func:`is_pattern_name`),
    with one line naming it (nqpf computes with polars; docs/design.md, known limits)."""
    for name in names:
        if isinstance(name, str) and is_pattern_name(name):
            raise InputError(
                f"column '{name}' cannot be used: polars, which nqpf computes with, reads a "
                "column named '*' or '^…$' as a pattern of columns",
                column=name,
                hint="rename the column (e.g. 'star' or 'a.*')",
                **where,
            )


def require_columns(df: pl.DataFrame, columns: Sequence[str | None], *, role: str = "") -> None:
    """Raise if a named column is absent or named twice (``None`` entries are skipped),
    or is named as polars would read a pattern (:func:`check_pattern_names`)."""
    names = df.columns
    check_pattern_names([c for c in columns if isinstance(c, str)])
    for col in columns:
        if col is not None and not isinstance(col, str):
            raise InputError(
                f"a column name{' (' + role + ')' if role else ''} must be text, "
                f"got {type(col).__name__} {col!r}",
                hint="pass the column's name as a string",
            )
        if col is not None and col not in names:
            shown = ", ".join(names[:12]) + (", …" if len(names) > 12 else "")
            raise InputError(
                f"no column '{col}'{' (' + role + ')' if role else ''} in the frame",
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


def parse_numbers(series: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Numeric text → Float64 by the reading layer's one rule; returns ``(values, bad)``.

    This *is* :func:`nqpf.io.parse_numbers` with ``decimal="."``: a decimal point,
    thousands separators only where they cannot be a decimal comma (``1,234.5``, not
    ``1,234`` or ``1,5``), ``NA``/``NaN`` and blank cells missing. ``bad`` marks the
    cells present but not numbers, so the caller names the first.
    """
    from nqpf.io import parse_numbers as read_numbers

    return read_numbers(series.cast(pl.String))


def _not_numbers_hint(cell: Any) -> str:
    from nqpf.io import number_hint

    return number_hint(str(cell))


def as_float(
    df: pl.DataFrame,
    col: str,
    *,
    what: str = "value",
    allow_missing: bool = False,
    describe: Callable[[int], str] | None = None,
) -> np.ndarray:
    """Column ``col`` as float64 (NaN where missing, with ``allow_missing``).

    Numeric columns are cast; a text column is parsed by :func:`parse_numbers`
    and its first cell that is not a number is named (1-based data row).
    Booleans, dates and other types are refused: they are not measurements.
    ``describe(i)`` (0-based row) may name the row's keys in the message.
    """
    at = (lambda i: f" for {describe(i)}") if describe is not None else (lambda i: "")
    series = df.get_column(col)
    dtype = series.dtype
    if dtype == pl.String or dtype == pl.Categorical or isinstance(dtype, pl.Enum):
        parsed, bad_cells = parse_numbers(series)
        bad = bad_cells.to_numpy()
        if bad.any():
            r = first_row(bad)
            raise InputError(
                f"non-numeric {what} {series[r - 1]!r}{at(r - 1)}",
                row=r,
                column=col,
                hint=_not_numbers_hint(series[r - 1]),
            )
        series = parsed
    elif not (dtype.is_numeric() or dtype == pl.Null):
        raise InputError(
            f"column is {dtype}, not numeric",
            column=col,
            hint=f"choose the numeric column that holds the {what}s",
        )
    nulls = series.is_null().to_numpy()
    if nulls.any() and not allow_missing:
        raise InputError(
            f"missing {what}{at(first_row(nulls) - 1)}",
            row=first_row(nulls),
            column=col,
            hint="fill or drop the row before this analysis",
        )
    return series.cast(pl.Float64).fill_null(np.nan).to_numpy().astype(np.float64, copy=False)


def numeric_values(
    df: pl.DataFrame,
    col: str,
    *,
    positive: bool = False,
    nonnegative: bool = False,
    why: str = "",
    what: str = "value",
    describe: Callable[[int], str] | None = None,
) -> np.ndarray:
    """Return column ``col`` as float64, refusing non-numeric, missing or non-finite cells.

    ``positive``/``nonnegative`` add a sign check; ``why`` says in the message
    what needs it (e.g. "logs are taken"). Text cells are parsed by
    :func:`parse_numbers`; rows are 1-based data rows of ``df``.
    """
    x = as_float(df, col, what=what, describe=describe)
    at = (lambda i: f" for {describe(i)}") if describe is not None else (lambda i: "")
    bad = ~np.isfinite(x)
    if bad.any():
        r = first_row(bad)
        raise InputError(
            f"non-finite {what} {x[r - 1]}{at(r - 1)}",
            row=r,
            column=col,
            hint="use finite numbers only",
        )
    if positive:
        bad = x <= 0
        if bad.any():
            r = first_row(bad)
            raise InputError(
                f"{what} {x[r - 1]:g}{at(r - 1)} is not > 0{' but ' + why if why else ''}",
                row=r,
                column=col,
                hint="use a strictly positive variable (e.g. the score, not a centred value)",
            )
    if nonnegative:
        bad = x < 0
        if bad.any():
            r = first_row(bad)
            raise InputError(
                f"negative {what} {x[r - 1]:g}{at(r - 1)}{' but ' + why if why else ''}",
                row=r,
                column=col,
                hint="use a non-negative variable",
            )
    return x


#: Column types that cannot be labels (region, year, group): nested or opaque values.
_NOT_LABELS = (pl.List, pl.Array, pl.Struct, pl.Object)


def no_missing(df: pl.DataFrame, columns: Sequence[str | None]) -> None:
    """Refuse missing cells, and nested or opaque types, in label columns (region, year,
    group): a label is a text, a number, a date or a category."""
    for k in columns:
        if k is None:
            continue
        dtype = df.schema[k]
        if isinstance(dtype, _NOT_LABELS) or dtype in _NOT_LABELS:
            raise InputError(
                f"column is {dtype}, not labels",
                column=k,
                hint="a region, year or group column holds texts, numbers or dates",
            )
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
        # the first row that repeats an earlier one, and that earlier row
        dup = df.select(~pl.struct(keys).is_first_distinct()).to_series().to_numpy()
        if dup.any():
            r = first_row(dup)
            combo = ", ".join(f"{k} {df.get_column(k)[r - 1]!r}" for k in keys)
            first = first_row(
                df.select(pl.struct(keys) == pl.struct(keys).gather(r - 1).first())
                .to_series()
                .to_numpy()
            )
            raise InputError(
                f"duplicate row for {combo} (rows {first} and {r})",
                row=r,
                column=keys[-1],
                hint="keep one row per " + "-".join(keys),
            )


def numeric_years(df: pl.DataFrame, year: str) -> np.ndarray:
    """The year column as float64 (years must be numbers where time spans are computed)."""
    series = df.get_column(year)
    if not series.dtype.is_numeric():
        as_num, bad_cells = parse_numbers(series)
        bad = bad_cells.to_numpy()
        if bad.any():
            r = first_row(bad)
            raise InputError(
                f"year {series[r - 1]!r} is not a number",
                row=r,
                column=year,
                hint="growth rates need numeric years such as 2015",
            )
        series = as_num
    out = series.cast(pl.Float64).to_numpy()
    bad = ~np.isfinite(out)
    if bad.any():
        r = first_row(bad)
        raise InputError(
            f"year {out[r - 1]} is not a finite number",
            row=r,
            column=year,
            hint="use years such as 2015",
        )
    return out


# ---------------------------------------------------------------------------
# Options: one check per kind, one message shape ("name=value …" + what to pass)
# ---------------------------------------------------------------------------


def column_name(role: str, value: Any, *, optional: bool = False) -> str | None:
    """A column-name argument: text (or None when ``optional``)."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise InputError(
            f"{role} must be a column name (text), got {type(value).__name__} {value!r}",
            hint="pass the column's name as a string",
        )
    return value


# ---------------------------------------------------------------------------
# Grouped sums and means with the same bits on every run and machine
# ---------------------------------------------------------------------------


def grouped(
    groups: Any, reductions: Mapping[str, tuple[str, str]], *others: pl.Expr
) -> pl.DataFrame:
    """``groups.agg(...)`` where each ``alias: (column, "mean" | "sum")`` is reduced over
    the group's values as one list, in row order.

    Why: polars' grouped ``mean()``/``sum()`` adds a group in pieces on several threads
    and combines the partial sums in whatever order the threads finish, so the last bit
    of a mean changed from run to run and with the number of cores (a region's average
    score differed between two runs of the same report). The mean of the group's list
    is one pass in row order, like the single-threaded result. ``others`` are further
    aggregations (counts, first values, …) taken as they are.
    """
    frame = groups.agg(
        *(pl.col(column).alias(alias) for alias, (column, _) in reductions.items()), *others
    )
    return frame.with_columns(
        getattr(pl.col(alias).list, how)() for alias, (_, how) in reductions.items()
    )


def window_sum(frame: pl.DataFrame, value: pl.Expr, by: Sequence[str], alias: str) -> pl.DataFrame:
    """``frame`` with column ``alias`` = the sum of ``value`` over the rows that share
    ``by`` (what ``value.sum().over(by)`` gives, in row order: see :func:`grouped`)."""
    helper = internal_name("value", frame.columns)
    with_value = frame.with_columns(value.alias(helper))
    sums = grouped(with_value.group_by(*by), {alias: (helper, "sum")})
    return with_value.join(
        sums, on=list(by), how="left", maintain_order="left", nulls_equal=True
    ).drop(helper)
