"""Panels and indicator specs: reading, reshaping and validation.

A :class:`Panel` is a polars frame with a region column, a year column, optional
grouping columns and one column per indicator (the wide form). :func:`read_panel`
also takes the long form (region, year, indicator, value) and pandas frames.
An :class:`IndicatorSpec` lists each indicator's dimension, direction (``+``
benefit, ``-`` cost), label and unit; :func:`read_spec` reads it from CSV or TOML.

Validation follows docs/design.md's "Bad input" list. Every problem is an
:class:`~nqpf.errors.InputError` naming the file, the row as a spreadsheet shows
it (header = row 1) and the column, and saying what to do.

Missing values
--------------
``missing="error"`` (default) rejects the first missing cell. ``"interpolate"``
fills gaps linearly within each region over the years (``polars.Expr.interpolate_by``
the year, so a year absent from an unbalanced panel keeps its distance); a gap at
the start or end of a region's series cannot be interpolated and is still an
error. ``"drop"`` removes every region-year row with a missing indicator (the
panel may become unbalanced; the pooled entropy handles that, the per-year scope
then has fewer regions in those years).
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, get_args

import numpy as np
import polars as pl

from nqpf._frames import check_pattern_names, internal_name
from nqpf._frames import is_pandas as _is_pandas
from nqpf._frames import to_polars as _to_polars
from nqpf.errors import InputError
from nqpf.io import (
    MAX_FILE_BYTES,
    decode_text,
    number_hint,
    parse_numbers,
    read_source,
    read_table,
    type_columns,
)
from nqpf.options import Missing, ReadOptions, takes_options

MissingPolicy = Missing
MISSING_POLICIES: tuple[str, ...] = get_args(Missing)  # as declared in nqpf.options

_DIRECTIONS = {
    "+": "+",
    "-": "-",
    "−": "-",  # U+2212 minus sign, as typeset tables carry it
    "benefit": "+",
    "positive": "+",
    "pos": "+",
    "max": "+",
    "正": "+",
    "正向": "+",
    "cost": "-",
    "negative": "-",
    "neg": "-",
    "min": "-",
    "负": "-",
    "负向": "-",
    "逆向": "-",
    # moderate (适度) indicators: best at a target value
    "mid": "mid",
    "moderate": "mid",
    "target": "mid",
    "适度": "mid",
    "适中": "mid",
    "中性": "mid",
    # interval (区间) indicators: best inside [lower, upper]
    "interval": "interval",
    "range": "interval",
    "区间": "interval",
    "区间型": "interval",
}

#: The directions of the spec (docs/methods.md §2, indicator types).
DIRECTIONS: tuple[str, ...] = ("+", "-", "mid", "interval")

#: The numeric fields an indicator may carry beyond its direction.
_NUMBER_FIELDS = ("target", "lower", "upper", "ideal", "anti_ideal")


# ---------------------------------------------------------------------------
# Indicator spec
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator: its column name, first-level dimension and direction."""

    name: str
    dimension: str = "index"
    direction: str = "+"
    label: str | None = None
    unit: str | None = None
    #: The best value of a ``mid`` (moderate) indicator.
    target: float | None = None
    #: The bounds of the best range of an ``interval`` indicator.
    lower: float | None = None
    upper: float | None = None
    #: A given ideal / anti-ideal point for TOPSIS and grey relational analysis, in
    #: the indicator's own units (None: the ``ideal`` option's rule).
    ideal: float | None = None
    anti_ideal: float | None = None

    @property
    def benefit(self) -> bool:
        """Larger is better once the indicator type is applied: every type but cost
        (``mid`` and ``interval`` are turned into benefit columns first)."""
        return self.direction != "-"


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """The indicator system: which columns are indicators, their dimension and direction.

    Examples
    --------
    >>> spec = IndicatorSpec.from_records([
    ...     {"indicator": "gdp_pc", "dimension": "output", "direction": "+"},
    ...     {"indicator": "energy", "dimension": "green", "direction": "-"},
    ... ])
    >>> spec.names, spec.dimensions
    (('gdp_pc', 'energy'), ('output', 'green'))
    """

    indicators: tuple[Indicator, ...]
    source: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not self.indicators:
            raise InputError("the indicator spec lists no indicators", file=self.source)
        seen: set[str] = set()
        for item in self.indicators:
            if item.name in seen:
                raise InputError(
                    f"indicator '{item.name}' is listed twice in the spec",
                    file=self.source,
                    column="indicator",
                )
            seen.add(item.name)

    # constructors ---------------------------------------------------------
    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any]], *, source: str | None = None
    ) -> IndicatorSpec:
        """Build a spec from dicts with keys indicator (or name), dimension, direction, label, unit."""
        items = []
        for position, record in enumerate(records):
            row = position + 2 if source and source.lower().endswith(".csv") else position + 1
            name = record.get("indicator", record.get("name"))
            if name is None or str(name).strip() == "":
                raise InputError(
                    "an indicator has no name", file=source, row=row, column="indicator"
                )
            name = str(name).strip()
            dimension = record.get("dimension")
            dimension = (
                "index"
                if dimension is None or str(dimension).strip() == ""
                else str(dimension).strip()
            )
            raw_direction = record.get("direction", "+")
            raw_direction = "+" if raw_direction is None else str(raw_direction).strip()
            direction = _DIRECTIONS.get(raw_direction.lower())
            if direction is None:
                raise InputError(
                    f"direction '{raw_direction}' of indicator '{name}' is neither '+' nor '-' "
                    "nor one of mid, interval",
                    file=source,
                    row=row,
                    column="direction",
                    hint="write + for a benefit indicator, - for a cost indicator, mid (with "
                    "target) for a moderate one, interval (with lower, upper) for a range",
                )
            numbers = {
                key: _spec_number(record.get(key), key, name, source, row) for key in _NUMBER_FIELDS
            }
            _check_type_fields(name, direction, numbers, source, row)
            label = record.get("label")
            unit = record.get("unit")
            items.append(
                Indicator(
                    name=name,
                    dimension=dimension,
                    direction=direction,
                    label=None if label is None or str(label) == "" else str(label),
                    unit=None if unit is None or str(unit) == "" else str(unit),
                    **numbers,
                )
            )
        return cls(tuple(items), source=source)

    @classmethod
    def from_frame(cls, frame: Any, *, source: str | None = None) -> IndicatorSpec:
        """Build a spec from a polars/pandas frame with an ``indicator`` column."""
        data = to_polars(frame)
        if "indicator" not in data.columns and "name" not in data.columns:
            raise InputError(
                "the spec has no 'indicator' column",
                file=source,
                row=1,
                hint="columns: indicator, dimension, direction, label, unit",
            )
        return cls.from_records(data.to_dicts(), source=source)

    @classmethod
    def from_names(
        cls, names: Sequence[str], *, directions: Mapping[str, str] | None = None
    ) -> IndicatorSpec:
        """A one-dimension spec over ``names``; all benefit unless ``directions`` says ``-``."""
        directions = directions or {}
        return cls.from_records(
            {"indicator": n, "direction": directions.get(n, "+")} for n in names
        )

    # views ------------------------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.indicators)

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The dimension of each indicator, in spec order."""
        return tuple(i.dimension for i in self.indicators)

    @property
    def dimension_names(self) -> tuple[str, ...]:
        """Distinct dimensions in order of first appearance."""
        return tuple(dict.fromkeys(self.dimensions))

    @property
    def benefit(self) -> np.ndarray:
        return np.array([i.benefit for i in self.indicators], dtype=bool)

    def __len__(self) -> int:
        return len(self.indicators)

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    @property
    def number_fields(self) -> tuple[str, ...]:
        """The numeric fields (target, lower, upper, ideal, anti_ideal) some indicator has."""
        return tuple(
            key for key in _NUMBER_FIELDS if any(getattr(i, key) is not None for i in self)
        )

    def field_values(self, key: str) -> np.ndarray:
        """One numeric field of every indicator, NaN where it has none."""
        return np.array(
            [np.nan if getattr(i, key) is None else getattr(i, key) for i in self], dtype=float
        )

    def to_frame(self) -> pl.DataFrame:
        """The spec as a table; target/lower/upper/ideal/anti_ideal columns only when some
        indicator has them (a spec of + and − keeps its five columns)."""
        frame = pl.DataFrame(
            {
                "indicator": list(self.names),
                "dimension": list(self.dimensions),
                "direction": [i.direction for i in self.indicators],
                "label": [i.label for i in self.indicators],
                "unit": [i.unit for i in self.indicators],
            },
            schema={
                "indicator": pl.String,
                "dimension": pl.String,
                "direction": pl.String,
                "label": pl.String,
                "unit": pl.String,
            },
        )
        return frame.with_columns(
            pl.Series(key, [getattr(i, key) for i in self], dtype=pl.Float64)
            for key in self.number_fields
        )

    def to_toml(self) -> str:
        """The spec as TOML (``[[indicator]]`` tables), the form :func:`read_spec` reads."""
        lines = []
        for item in self.indicators:
            lines.append("[[indicator]]")
            for key, value in (
                ("name", item.name),
                ("dimension", item.dimension),
                ("direction", item.direction),
                ("label", item.label),
                ("unit", item.unit),
            ):
                if value is not None:
                    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
                    lines.append(f'{key} = "{escaped}"')
            for key in _NUMBER_FIELDS:
                number = getattr(item, key)
                if number is not None:
                    lines.append(f"{key} = {number!r}")
            lines.append("")
        return "\n".join(lines)


def _spec_number(value: Any, key: str, name: str, source: str | None, row: int) -> float | None:
    """A numeric spec field (target, lower, upper, ideal, anti_ideal): None when empty."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        number = float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise InputError(
            f"{key} '{value}' of indicator '{name}' is not a number",
            file=source,
            row=row,
            column=key,
            hint=f"write {key} as a number in the indicator's own units",
        ) from None
    if not math.isfinite(number):
        raise InputError(
            f"{key} of indicator '{name}' is not a finite number",
            file=source,
            row=row,
            column=key,
            hint=f"write {key} as a finite number in the indicator's own units",
        )
    return number


def _check_type_fields(
    name: str, direction: str, numbers: Mapping[str, float | None], source: str | None, row: int
) -> None:
    """An indicator type's own fields are present, consistent, and only on that type."""

    def fail(what: str, column: str, hint: str) -> None:
        raise InputError(
            f"indicator '{name}' {what}", file=source, row=row, column=column, hint=hint
        )

    target, lower, upper = numbers["target"], numbers["lower"], numbers["upper"]
    if direction == "mid" and target is None:
        fail("is moderate (mid) but has no target", "target", "give its best value as target")
    if direction != "mid" and target is not None:
        fail(
            f"has a target but its direction is '{direction}'",
            "direction",
            "write direction mid for a moderate indicator, or leave target empty",
        )
    if direction == "interval" and (lower is None or upper is None):
        fail(
            "is an interval indicator without both bounds",
            "lower" if lower is None else "upper",
            "give the best range as lower and upper",
        )
    if direction != "interval" and (lower is not None or upper is not None):
        fail(
            f"has interval bounds but its direction is '{direction}'",
            "direction",
            "write direction interval for a range indicator, or leave lower/upper empty",
        )
    if direction == "interval" and lower is not None and upper is not None and lower > upper:
        fail(
            f"has lower {lower:g} > upper {upper:g}",
            "lower",
            "swap the bounds: lower is the smaller end of the best range",
        )


def read_spec(
    source: str | os.PathLike[str] | bytes | Any, *, name: str | None = None
) -> IndicatorSpec:
    """Read an :class:`IndicatorSpec` from a CSV/XLSX table or a TOML file.

    CSV columns: ``indicator, dimension, direction[, label, unit, target, lower, upper,
    ideal, anti_ideal]``; direction is ``+`` (benefit), ``-`` (cost) (``benefit``/``cost``,
    正向/逆向 are accepted too), ``mid`` (moderate, 适度; needs ``target``) or
    ``interval`` (区间; needs ``lower`` ≤ ``upper``); ``ideal``/``anti_ideal`` give TOPSIS
    points in the indicator's units (docs/methods.md §2).
    TOML: an array of tables ``[[indicator]]`` with the same fields (``name`` for
    ``indicator``). A frame (polars/pandas) or an existing spec is
    accepted as well.
    """
    if isinstance(source, IndicatorSpec):
        return source
    if isinstance(source, pl.DataFrame) or _is_pandas(source):
        return IndicatorSpec.from_frame(source, source=name)
    if isinstance(source, bytes | bytearray):
        label = name or "<spec>"
        data = bytes(source)
    else:
        path = Path(source)
        label = name or str(path)
        if not path.exists():
            raise InputError("spec file not found", file=label, hint="check the --spec path")
        if path.is_dir():
            raise InputError(
                "is a directory, not a spec file", file=label, hint="check the --spec path"
            )
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError(
                f"cannot read the file ({error.strerror or error})", file=label
            ) from None
    if Path(label).suffix.lower() == ".toml":
        text = decode_text(data, name=label)
        if not text.strip():
            raise InputError("the spec file is empty", file=label)
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise InputError(f"not valid TOML ({error})", file=label) from None
        records = document.get("indicator", document.get("indicators"))
        if isinstance(records, dict):  # [indicators.<name>] tables
            records = [{"name": key, **value} for key, value in records.items()]
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise InputError(
                "the TOML spec has no [[indicator]] tables",
                file=label,
                hint="write one [[indicator]] table per indicator with name, dimension, direction",
            )
        return IndicatorSpec.from_records(records, source=label)
    table = read_table(data, name=label)  # no missing markers: "-" is a direction here
    return IndicatorSpec.from_frame(table, source=label)


# ---------------------------------------------------------------------------
# Panel
# ---------------------------------------------------------------------------


def to_polars(frame: Any) -> pl.DataFrame:
    """Convert a polars (lazy) frame, a pandas frame or a mapping of columns to polars."""
    return _to_polars(
        frame,
        what="a panel",
        hint="pass a file path, a polars or a pandas DataFrame",
        results=False,
    )


@dataclass(frozen=True, slots=True)
class Panel:
    """A validated region × year panel in wide form.

    Attributes
    ----------
    data
        The frame, with ``region`` as text, ``year`` as Int64, and a hidden
        column (named :attr:`row_column`) giving each row's row in its source
        (used in error messages).
    region, year
        The names of the region and year columns.
    source
        The file name the panel came from, if any.
    row_column
        The name of the hidden row column: ``__nqpf_row__`` unless the user has a
        column of that name (:func:`nqpf._frames.internal_name`).
    sheet
        The XLSX sheet the panel came from, if any.
    decimal, na_values
        The reading options, applied again when a text column is converted.
    """

    data: pl.DataFrame
    region: str
    year: str
    source: str | None = None
    row_column: str = "__nqpf_row__"
    sheet: str | None = None
    decimal: str = "."
    na_values: tuple[str, ...] = ()
    #: Long-form input only: region, year and, per indicator, the source row of that entry.
    cell_rows: pl.DataFrame | None = field(default=None, repr=False, compare=False)
    #: Long-form input only: the name of the value column.
    value_column: str | None = field(default=None, repr=False, compare=False)

    @property
    def frame(self) -> pl.DataFrame:
        """The panel as the user sees it (without the bookkeeping column)."""
        return self.data.drop(self.row_column, strict=False)

    @property
    def regions(self) -> list[str]:
        return self.data.get_column(self.region).unique(maintain_order=True).to_list()

    @property
    def years(self) -> list[int]:
        return sorted(self.data.get_column(self.year).unique().to_list())

    @property
    def height(self) -> int:
        return self.data.height

    def __repr__(self) -> str:
        return (
            f"Panel({len(self.regions)} regions × {len(self.years)} years, {self.height} rows, "
            f"columns={self.frame.columns})"
        )

    def _error(
        self,
        what: str,
        *,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> InputError:
        return InputError(
            what, file=self.source, sheet=self.sheet, row=row, column=column, hint=hint
        )

    def _cell(self, row: Mapping[str, Any], name: str) -> tuple[int | None, str | None]:
        """Source row and column of indicator ``name``'s cell in ``row``.

        Long form: the row of that (region, year, indicator) entry and the value
        column, or (None, None) when the entry is absent.
        """
        if self.cell_rows is None:
            value = row[self.row_column]
            return (None if value is None else int(value)), name
        hit = self.cell_rows.filter(
            (pl.col(self.region) == row[self.region]) & (pl.col(self.year) == row[self.year])
        )
        value = hit.get_column(name)[0] if hit.height and name in hit.columns else None
        return (None, None) if value is None else (int(value), self.value_column)

    def indicator_frame(
        self, spec: IndicatorSpec, *, missing: MissingPolicy = "error"
    ) -> pl.DataFrame:
        """Region, year and the spec's indicators as Float64, validated, sorted by year and region.

        Raises :class:`InputError` for an indicator absent from the panel, a
        non-numeric or non-finite cell, a missing value (per ``missing``), or an
        indicator that is constant over the panel.
        """
        if missing not in MISSING_POLICIES:
            raise InputError(
                f"unknown missing-value policy '{missing}'",
                hint="use one of: " + ", ".join(MISSING_POLICIES),
            )
        absent = [n for n in spec.names if n not in self.data.columns]
        if absent:
            raise self._error(
                f"indicator '{absent[0]}' is in the spec but not in the panel"
                + (f" (and {len(absent) - 1} more)" if len(absent) > 1 else ""),
                column=absent[0],
                hint="fix the spec or the column name; panel columns: "
                + ", ".join(c for c in self.frame.columns[:12]),
            )
        data = self.data.select(self.region, self.year, self.row_column, *spec.names)
        data = data.with_columns(_numeric(data, name, self) for name in spec.names)
        if missing == "drop":
            data = data.drop_nulls(subset=list(spec.names))
            if data.height == 0:
                raise self._error(
                    "no region-year row is complete after dropping missing values",
                    hint="choose missing='interpolate' or fill the gaps",
                )
        elif missing == "interpolate":
            data = data.sort(self.region, self.year).with_columns(
                pl.col(n).interpolate_by(self.year).over(self.region) for n in spec.names
            )
        self._check_no_missing(data, spec, interpolated=missing == "interpolate")
        data = data.sort(self.year, self.region)
        for name in spec.names:
            column = data.get_column(name)
            if column.max() == column.min():
                raise self._error(
                    f"indicator '{name}' is constant over the panel, so its weight is undefined",
                    column=name,
                    hint="drop it from the spec",
                )
        return data

    def check_cells(self, names: Iterable[str]) -> None:
        """Check that every filled cell of the indicator columns ``names`` is a finite number.

        The cell test of :meth:`indicator_frame` without its missing-value policy and its
        constancy test, so that a data-entry page can name a bad cell (file, sheet, row as a
        spreadsheet shows it, column) before any index is computed. Names that are not
        panel columns are skipped (the spec's absent names are :meth:`indicator_frame`'s
        error). Raises :class:`InputError` for the first bad cell.
        """
        present = [n for n in dict.fromkeys(names) if n in self.data.columns]
        data = self.data.select(self.region, self.year, self.row_column, *present)
        for name in present:
            _numeric(data, name, self)

    def incomplete_rows(self, names: Iterable[str]) -> pl.DataFrame:
        """The region-years with an empty cell in an indicator column of ``names``: what
        ``missing="drop"`` removes (:meth:`indicator_frame`).

        Returns a frame of the region, the year, ``row`` (the source row as a spreadsheet
        shows it; None for a long-form region-year) and ``missing`` (the empty
        indicators, comma-separated, in ``names``' order), sorted by year and region.
        Names that are not panel columns are skipped; cells must be numbers
        (:meth:`check_cells` raises otherwise).
        """
        present = [n for n in dict.fromkeys(names) if n in self.data.columns]
        data = self.data.select(self.region, self.year, self.row_column, *present)
        data = data.with_columns(_numeric(data, name, self) for name in present)
        empty = [pl.when(pl.col(n).is_null()).then(pl.lit(n)) for n in present]
        listed = pl.concat_list(empty).list.drop_nulls().list.join(", ") if empty else None
        # a long-form region-year's empty cell is an absent entry: it has no row
        row = pl.col(self.row_column) if self.cell_rows is None else pl.lit(None, pl.Int64)
        out = data.select(
            self.region,
            self.year,
            row.cast(pl.Int64).alias("row"),
            (listed if listed is not None else pl.lit("")).alias("missing"),
        )
        return out.filter(pl.col("missing") != "").sort(self.year, self.region)

    def without_regions(self, regions: Iterable[str]) -> Panel:
        """The panel without the rows of ``regions`` (e.g. a national-total row found by
        :func:`total_rows`); the same panel when none of them is present.

        Raises :class:`InputError` when no region would be left.
        """
        drop = [r for r in dict.fromkeys(regions) if r in set(self.regions)]
        if not drop:
            return self
        kept = self.data.filter(~pl.col(self.region).is_in(drop))
        if kept.height == 0:
            raise self._error(
                "no region is left after excluding " + ", ".join(f"'{r}'" for r in drop[:3]),
                column=self.region,
                hint="exclude only the total rows",
            )
        cells = self.cell_rows
        if cells is not None:
            cells = cells.filter(~pl.col(self.region).is_in(drop))
        return replace(self, data=kept, cell_rows=cells)

    def _check_no_missing(
        self, data: pl.DataFrame, spec: IndicatorSpec, *, interpolated: bool
    ) -> None:
        for name in spec.names:
            nulls = data.get_column(name).is_null()
            if nulls.any():
                position = int(nulls.arg_true()[0])
                row = data.row(position, named=True)
                region, year = row[self.region], row[self.year]
                if interpolated:
                    what = (
                        f"missing value of '{name}' for {region} {year} cannot be interpolated"
                        " (it is at the start or end of the region's series)"
                    )
                    hint = "fill it, or choose missing='drop'"
                else:
                    what = f"missing value of '{name}' for {region} {year}"
                    hint = "fill it, or choose missing='interpolate' or missing='drop'"
                cell_row, cell_column = self._cell(row, name)
                raise self._error(what, row=cell_row, column=cell_column, hint=hint)


def _numeric(data: pl.DataFrame, name: str, panel: Panel) -> pl.Series:
    column = data.get_column(name)
    dtype = column.dtype
    if dtype == pl.String:
        values, bad = parse_numbers(column, decimal=panel.decimal, na_values=panel.na_values)
        if bad.any():
            position = int(bad.arg_true()[0])
            cell_row, cell_column = panel._cell(data.row(position, named=True), name)
            raise panel._error(
                f"non-numeric value '{column[position]}'"
                + ("" if cell_column == name else f" of indicator '{name}'"),
                row=cell_row,
                column=cell_column,
                hint=number_hint(column[position], panel.decimal),
            )
        column = values
    elif dtype.is_numeric() or dtype == pl.Boolean or dtype == pl.Null:
        column = column.cast(pl.Float64)
    else:
        raise panel._error(
            f"indicator column has type {dtype}, not numbers",
            column=name,
            hint="indicator cells must be numbers",
        )
    non_finite = column.is_nan() | column.is_infinite()
    if non_finite.fill_null(False).any():
        position = int(non_finite.fill_null(False).arg_true()[0])
        cell_row, cell_column = panel._cell(data.row(position, named=True), name)
        raise panel._error(
            f"non-finite value {column[position]}"
            + ("" if cell_column == name else f" of indicator '{name}'"),
            row=cell_row,
            column=cell_column,
            hint="replace it with a number or leave the cell empty",
        )
    return column.alias(name)


#: Region names that usually mark a total row rather than a region (compared with the
#: name stripped and case-folded): a national or sample total beside the provinces.
TOTAL_NAMES: tuple[str, ...] = (
    "全国",
    "全国合计",
    "全国总计",
    "合计",
    "总计",
    "总和",
    "total",
    "sum",
    "all",
    "national",
    "nationwide",
    "whole country",
)


#: The country's own name: a total in a panel of its provinces, a region in a
#: cross-country panel (:func:`total_rows` counts it only among few regions).
COUNTRY_NAMES: tuple[str, ...] = ("中国", "中华人民共和国", "china", "people's republic of china")

#: At most this many other regions for a country name to be read as their total: China
#: has 31 provincial units (34 with Hong Kong, Macao and Taiwan); a panel of more regions is
#: cross-country or of cities, where "China" is one region among others.
COUNTRY_TOTAL_MAX_REGIONS = 40


def total_rows(regions: Iterable[Any]) -> list[str]:
    """The region names among ``regions`` that look like a total row, in their order.

    A name is a candidate when, stripped and case-folded, it is one of
    :data:`TOTAL_NAMES`, ends in 合计/总计 or starts with "total" (``Total``,
    ``total (31 provinces)``); or it is the country's name (:data:`COUNTRY_NAMES`) in a
    panel of at most :data:`COUNTRY_TOTAL_MAX_REGIONS` other regions (a provincial panel;
    in a cross-country panel "China" is a region). Only names are judged: the caller
    offers the candidates to the user to exclude (:meth:`Panel.without_regions`), never
    drops them silently.
    """
    names = [r for r in dict.fromkeys(regions) if r is not None]
    few = len(names) - 1 <= COUNTRY_TOTAL_MAX_REGIONS
    found = []
    for region in names:
        name = " ".join(str(region).split()).casefold()
        if (
            name in TOTAL_NAMES
            or (few and name in COUNTRY_NAMES)
            or name.endswith(("合计", "总计"))
            or name.startswith(("total ", "total(", "total（"))
        ):
            found.append(str(region))
    return found


def panel_template(
    form: str = "wide", *, indicators: Sequence[str] = ("x1", "x2", "x3")
) -> pl.DataFrame:
    """An example of the panel layout :func:`read_panel` reads by default, cells empty.

    ``form="wide"``: columns ``region``, ``year``, ``group`` (optional: e.g. a macro-region)
    and one column per indicator; ``"long"``: ``region``, ``year``, ``indicator`` and
    ``value`` (the names :func:`read_panel`'s ``"auto"`` layout recognises; a long panel
    keeps no other column, so a group goes in a wide file). Two regions × two years, so
    that a filled-in copy reads with the defaults (``read_panel(path)``). The column names
    are English whatever the reader's language: they are what nqpf reads untold.
    """
    if form not in ("wide", "long"):
        raise InputError(f"form='{form}' has no template", hint="use form='wide' or 'long'")
    regions, years = ["A", "A", "B", "B"], [2020, 2021, 2020, 2021]
    if form == "wide":
        return pl.DataFrame(
            {"region": regions, "year": years, "group": ["east", "east", "west", "west"]}
            | {name: [None] * 4 for name in indicators},
            schema={"region": pl.String, "year": pl.Int64, "group": pl.String}
            | dict.fromkeys(indicators, pl.Float64),
        )
    n = len(indicators)
    return pl.DataFrame(
        {
            "region": [r for r in regions for _ in range(n)],
            "year": [y for y in years for _ in range(n)],
            "indicator": list(indicators) * 4,
            "value": [None] * (4 * n),
        },
        schema={"region": pl.String, "year": pl.Int64, "indicator": pl.String, "value": pl.Float64},
    )


def is_long_form(
    columns: Sequence[str],
    form: str = "auto",
    *,
    indicator: str = "indicator",
    value: str = "value",
) -> bool:
    """Whether a table with these columns is read as a long panel: ``form="long"``, or
    ``"auto"`` and both an ``indicator`` and a ``value`` column are present (the rule of
    :func:`read_panel`, which the app's guess uses too)."""
    return form == "long" or (form == "auto" and indicator in columns and value in columns)


@takes_options(ReadOptions, order=("source", "region", "year"))
def read_panel(
    source: str | os.PathLike[str] | bytes | Any,
    region: str = "region",
    year: str = "year",
    *,
    indicator: str = "indicator",
    value: str = "value",
    name: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    max_unpacked_bytes: int | None = None,
    options: ReadOptions,
) -> Panel:
    """Read a region × year panel from a file or a frame.

    Parameters
    ----------
    source
        A path to a CSV (UTF-8, UTF-8 with BOM, UTF-16 or GBK), XLSX or Parquet file;
        the file's bytes (with ``name``); a polars or pandas DataFrame; or a Panel.
    region, year
        Names of the region and year columns.
    form
        ``"wide"`` (one column per indicator), ``"long"`` (columns region, year,
        ``indicator``, ``value``) or ``"auto"``: long when the frame has both an
        ``indicator`` and a ``value`` column.
    indicator, value
        Column names of the long form.
    sheet
        XLSX sheet name or 0-based index (default: the first sheet).
    max_bytes, max_unpacked_bytes
        Largest file accepted, and largest uncompressed size of an XLSX or Parquet file
        (default 10 × ``max_bytes``; see :mod:`nqpf.io`).
    na_values
        Extra missing-value markers (e.g. ``["—", "-"]``); see :mod:`nqpf.io`.
    decimal
        ``"."`` or ``","``: the decimal separator of numbers written as text.
    options
        A :class:`~nqpf.options.ReadOptions` (form, sheet, na_values, decimal are its
        options, declared there; keywords apply on top of it).

    Returns
    -------
    Panel
        Regions as text, years as integers, one row per region-year. A frame is read
        by the same typing rule as a file (:func:`nqpf.io.type_columns`), so a frame
        and the file it was saved to give the same panel.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"province": ["A", "B"], "year": [2020, 2020], "x": [1.0, 2.0]})
    >>> read_panel(df, region="province")
    Panel(2 regions × 1 years, 2 rows, columns=['province', 'year', 'x'])
    """
    if isinstance(source, Panel):
        return source
    for option, text in (
        ("region", region),
        ("year", year),
        ("indicator", indicator),
        ("value", value),
    ):
        if not isinstance(text, str):
            raise InputError(f"{option} must be a column name, got {type(text).__name__}")
    data, label, sheet_name, first_row = _panel_table(
        source, name, options, max_bytes, max_unpacked_bytes
    )
    check_pattern_names(data.columns, file=label, sheet=sheet_name)
    is_long = is_long_form(data.columns, options.form, indicator=indicator, value=value)
    # in the long form the indicator names become columns too: the row column avoids them
    taken = list(data.columns)
    if is_long and indicator in data.columns:
        taken += [str(v) for v in data.get_column(indicator).drop_nulls().unique().to_list()]
    row_column = internal_name("row", taken)
    data = data.with_columns(
        pl.int_range(first_row, first_row + data.height, dtype=pl.Int64).alias(row_column)
    )
    where = {"file": label, "sheet": sheet_name}
    _check_key_columns(
        data, (region, year, indicator, value), is_long, row_column, first_row, where
    )
    data = _clean_keys(data, region, year, row_column, where)
    cell_rows = None
    if is_long:
        data, cell_rows = _long_to_wide(data, region, year, indicator, value, row_column, where)
        check_pattern_names(data.columns, file=label, sheet=sheet_name)  # indicator names
    _check_unique(data, region, year, row_column, where)
    return Panel(
        data=data,
        region=region,
        year=year,
        source=label,
        cell_rows=cell_rows,
        value_column=value if is_long else None,
        row_column=row_column,
        sheet=sheet_name,
        decimal=options.decimal,
        na_values=options.na_values,
    )


def _panel_table(
    source: Any, name: str | None, options: ReadOptions, max_bytes: int, max_unpacked: int | None
) -> tuple[pl.DataFrame, str | None, str | None, int]:
    """The table of a file or a frame, typed by the one typing rule, with its label, its
    sheet and the spreadsheet row of its first data row."""
    if isinstance(source, str | os.PathLike | bytes | bytearray | memoryview):
        table = read_source(
            source,
            name=name,
            sheet=options.sheet,
            max_bytes=max_bytes,
            max_unpacked_bytes=max_unpacked,
            na_values=options.na_values,
            decimal=options.decimal,
        )
        return table.frame, table.name, table.sheet, table.first_row
    data = to_polars(source)
    if data.height == 0:
        raise InputError("the panel has no rows", file=name)
    return type_columns(data, na_values=options.na_values, decimal=options.decimal), name, None, 1


def _check_key_columns(
    data: pl.DataFrame,
    keys: tuple[str, str, str, str],
    is_long: bool,
    row_column: str,
    first_row: int,
    where: dict[str, Any],
) -> None:
    """The region and year columns exist and differ; in the long form, the indicator and
    value columns too, all four different."""
    region, year, indicator, value = keys
    label = where["file"]
    for key in (region, year):
        if key not in data.columns or key == row_column:
            raise InputError(
                f"no column named '{key}'",
                **where,
                row=first_row - 1 if label and first_row > 1 else None,
                hint="choose the region/year columns (--region/--year); columns are: "
                + ", ".join(c for c in data.columns if c != row_column)[:200],
            )
    if region == year:
        raise InputError("the region and year columns must differ", **where, column=region)
    if not is_long:
        return
    for key in (indicator, value):
        if key not in data.columns:
            raise InputError(
                f"no column named '{key}' (long form)",
                **where,
                hint="name the indicator and value columns",
            )
    if len({region, year, indicator, value}) < 4:
        raise InputError(
            "the long form needs four different columns",
            **where,
            hint="region, year, indicator and value must differ",
        )


#: Years must be whole numbers of at most this magnitude (room for yyyymm and yyyymmdd codes).
MAX_YEAR = 10**9


def key_text(series: pl.Series) -> pl.Series:
    """A key column (region, indicator name) as text, the same from every format: text as
    it is (stripped), whole numbers without ``.0`` (an XLSX 110000 and a CSV "110000" are
    one region), other numbers by their shortest round-trip form, dates in ISO form."""
    dtype = series.dtype
    if dtype == pl.String:
        return series.str.strip_chars()
    if dtype.is_float():
        return pl.Series(
            series.name,
            [
                None
                if v is None
                else (
                    str(int(v)) if math.isfinite(v) and v == int(v) and abs(v) < 2**53 else repr(v)
                )
                for v in series.to_list()
            ],
            dtype=pl.String,
        )
    if dtype.is_nested() or dtype in (pl.Binary, pl.Object):
        raise InputError(
            f"a key column holds {dtype} values",
            column=series.name,
            hint="region and indicator names must be text or numbers",
        )
    return series.cast(pl.String).str.strip_chars()


def _clean_keys(
    data: pl.DataFrame, region: str, year: str, row_column: str, where: dict[str, Any]
) -> pl.DataFrame:
    region_values = key_text(data.get_column(region))
    missing_region = region_values.is_null() | (region_values == "")
    if missing_region.any():
        position = int(missing_region.arg_true()[0])
        raise InputError(
            "empty region name",
            **where,
            row=int(data.get_column(row_column)[position]),
            column=region,
            hint="every row needs a region",
        )
    raw_year = data.get_column(year)
    dtype = raw_year.dtype
    if dtype == pl.String:
        as_float = raw_year.str.strip_chars().cast(pl.Float64, strict=False)
    elif dtype == pl.Boolean:
        as_float = pl.Series([None] * raw_year.len(), dtype=pl.Float64)
    elif dtype.is_numeric():
        as_float = raw_year.cast(pl.Float64)
    elif dtype in (pl.Date, pl.Datetime) or isinstance(dtype, pl.Datetime):
        as_float = raw_year.dt.year().cast(pl.Float64)
    else:
        as_float = pl.Series([None] * raw_year.len(), dtype=pl.Float64)
    finite = as_float.is_not_null() & as_float.is_finite().fill_null(False)
    safe = as_float.fill_null(0.0).fill_nan(0.0)
    whole = finite & (safe == safe.round(0))
    in_range = safe.abs() <= MAX_YEAR
    bad = ~(whole & in_range)
    if bad.any():
        position = int(bad.arg_true()[0])
        raw = raw_year[position]
        if raw is None or str(raw).strip() == "":
            what = "empty year"
        elif whole[position] and not in_range[position]:
            what = f"year '{raw}' is out of range"
        else:
            what = f"year '{raw}' is not a whole number"
        raise InputError(
            what,
            **where,
            row=int(data.get_column(row_column)[position]),
            column=year,
            hint="years must be integers such as 2015",
        )
    return data.with_columns(region_values.alias(region), as_float.cast(pl.Int64).alias(year))


def _check_unique(
    data: pl.DataFrame, region: str, year: str, row_column: str, where: dict[str, Any]
) -> None:
    duplicated = data.select(pl.struct(region, year).is_duplicated()).to_series()
    if duplicated.any():
        rows = data.filter(duplicated)
        first = rows.row(0, named=True)
        same = rows.filter((pl.col(region) == first[region]) & (pl.col(year) == first[year]))
        row_numbers = same.get_column(row_column).to_list()
        raise InputError(
            f"duplicate region-year: rows {row_numbers[0]} and {row_numbers[1]} both hold "
            f"{region} '{first[region]}', {year} {first[year]}",
            **where,
            row=row_numbers[1],
            column=region,
            hint="keep one row per region and year",
        )


def _long_to_wide(
    data: pl.DataFrame,
    region: str,
    year: str,
    indicator: str,
    value: str,
    row_column: str,
    where: dict[str, Any],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    names = key_text(data.get_column(indicator))
    empty = names.is_null() | (names == "")
    if empty.any():
        position = int(empty.arg_true()[0])
        raise InputError(
            "empty indicator name",
            **where,
            row=int(data.get_column(row_column)[position]),
            column=indicator,
        )
    taken = {region, year, row_column}
    clash = names.is_in(list(taken))
    if clash.any():
        position = int(clash.arg_true()[0])
        raise InputError(
            f"indicator name '{names[position]}' is also the name of the region or year column",
            **where,
            row=int(data.get_column(row_column)[position]),
            column=indicator,
            hint="rename the indicator (in the long form its name becomes a column)",
        )
    data = data.with_columns(names.alias(indicator))
    keys = pl.struct(region, year, indicator)
    duplicated = data.select(keys.is_duplicated()).to_series()
    if duplicated.any():
        rows = data.filter(duplicated)
        first = rows.row(0, named=True)
        same = rows.filter(
            (pl.col(region) == first[region])
            & (pl.col(year) == first[year])
            & (pl.col(indicator) == first[indicator])
        ).get_column(row_column)
        raise InputError(
            f"duplicate entry: rows {same[0]} and {same[1]} both hold {first[indicator]} for "
            f"{first[region]} {first[year]}",
            **where,
            row=int(same[1]),
            column=indicator,
            hint="keep one value per region, year and indicator",
        )
    first_rows = data.group_by(region, year).agg(pl.col(row_column).min())
    wide = data.pivot(on=indicator, index=[region, year], values=value, aggregate_function=None)
    wide = wide.join(first_rows, on=[region, year], how="left")
    cell_rows = data.pivot(
        on=indicator, index=[region, year], values=row_column, aggregate_function=None
    )
    return wide.sort(year, region), cell_rows
