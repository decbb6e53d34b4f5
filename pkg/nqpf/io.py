"""Reading and writing files: CSV (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GBK), XLSX, Parquet, JSON.

Reading
-------
:func:`read_table` returns the table as it is in the file: the same columns, in the same
order, one row per data row (data row *i* is the file's row ``first_row + i - 1``, see
:class:`Table`), every cell the file holds and nothing added. Cells become typed
columns by one rule for every format, so that **the same numbers in CSV, XLSX and
Parquet give the same, bit-identical frame**:

* XLSX and Parquet cells keep their native types (an XLSX number is the IEEE double the
  workbook stores, never a rounded display text). An XLSX column mixing numbers and text
  becomes text, each number written as its shortest round-trip decimal (``repr``).
* A text column (every CSV column, and the text columns of the other formats) becomes
  numeric when every non-missing cell is a number (see :func:`parse_numbers`): Int64 when
  all are integer literals, Float64 otherwise. A column whose numbers carry leading zeros
  (``007``, province codes) stays text, so identifiers keep their spelling. A column with
  one cell that is not a number stays text: the caller then names that cell.

Missing values: an empty (or all-blank) cell is missing in every column; ``NA`` (and
``NaN``/``nan``, as R and numpy write them) is missing only in a numeric column (``NA`` in a text column is a name: North America,
Namibia); the markers a user gives in ``na_values`` (e.g. ``—``, ``…``, ``-``, ``N/A``)
are missing in every column. Nothing else is guessed: ``-`` or ``..`` is not a missing
value unless the user says so.

Numbers: a decimal point by default; ``decimal=","`` for a decimal comma. Thousands
separators are read only where unambiguous: ``1,234,567`` and ``1,234.5`` (``1.234.567``
and ``1.234,5`` with ``decimal=","``), never ``1,234`` (1234 or 1.234?) or ``0,500``.

Size: files over ``max_bytes`` are refused before reading; an XLSX workbook is a zip
archive, and its members are refused before parsing when their declared or actual
uncompressed size passes ``max_unpacked_bytes`` (default 10 × ``max_bytes``) or their
compression ratio passes :data:`MAX_ZIP_RATIO` (a "zip bomb"). A Parquet file's
uncompressed size is read from its metadata (with pyarrow) and bounded the same way.

Writers write to a temporary file beside the target and rename it, so a failed
write never leaves a half-written or stale output behind.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io as _io
import json
import math
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from nqpf.errors import InputError
from nqpf.options import ReadOptions, na_markers

#: Largest input file accepted by default (bytes). The app repeats it in its uploader help.
MAX_FILE_BYTES = 200 * 1024 * 1024

#: Largest uncompressed-to-compressed size ratio accepted for a member of an XLSX archive
#: that unpacks to more than :data:`_RATIO_FLOOR` bytes. Real workbooks compress 5–30×
#: (shared strings, repeated styles); a zip bomb compresses 1000× and more.
MAX_ZIP_RATIO = 200
_RATIO_FLOOR = 16 * 1024 * 1024

#: The 1-based spreadsheet row of the first data row of a CSV file (the header is row 1).
FIRST_DATA_ROW = 2

#: Former name of the row-number column (read_table no longer adds one; a Panel keeps its
#: own under :attr:`nqpf.panel.Panel.row_column`).
ROW_COLUMN = "__nqpf_row__"

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
PARQUET_SUFFIXES = {".parquet", ".pq"}

#: Cell texts read as missing in a *numeric* column (never in a text column): R writes
#: ``NA`` (and ``NaN``), numpy ``nan``.
NUMERIC_NA = ("NA", "NaN", "nan")

#: The missing-value markers offered as a group (the app's "treat these as missing"
#: choice; the examples of ``na_values``' help): statistical yearbooks' dash, ellipsis,
#: hyphen and N/A. Never assumed: a reader lists them in ``na_values``.
SUGGESTED_MARKERS: tuple[str, ...] = ("—", "…", "-", "N/A")

#: Missing-value markers that are common but never assumed: the hint suggests ``na_values``.
COMMON_MARKERS = (
    "-",
    "--",
    "—",
    "–",
    "…",
    "...",
    "..",
    "N/A",
    "n/a",
    "NaN",
    "nan",
    "null",
    "NULL",
    "#N/A",
    "*",
    "x",
    "X",
    "/",
)

_SEPARATORS = (",", "\t", ";")


@dataclass(frozen=True, slots=True)
class Table:
    """A table read from a file, with what is needed to point at its cells.

    Attributes
    ----------
    frame
        The table as in the file (see the module docstring for the typing rule).
    name
        The file name used in messages.
    sheet
        The XLSX sheet read (``None`` for other formats).
    first_row
        The file row of data row 1: 2 for CSV and for a sheet whose header is in row 1
        (a sheet whose table starts lower counts from there); 1 for Parquet (no header
        row). An error naming data row *i* of ``frame`` points at file row
        ``i + first_row - 1``: :meth:`locate` does it.
    """

    frame: pl.DataFrame
    name: str
    sheet: str | None = None
    first_row: int = FIRST_DATA_ROW

    def locate(self, error: InputError) -> InputError:
        """The same error located in this file (and sheet), rows as the file shows them."""
        return error.with_file(self.name, row_offset=self.first_row - 1, sheet=self.sheet)


def decode_text(data: bytes, *, name: str = "<input>") -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or else GBK.

    GBK (read as its superset GB18030) is what Chinese spreadsheet software usually
    writes; UTF-16 with a BOM is Excel's "Unicode text". Anything else is rejected
    with the line of the first byte that is neither.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InputError(
                f"the file starts as UTF-16 text but byte {error.start} is not UTF-16",
                file=name,
                hint="save it as CSV UTF-8 and upload again",
            ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            line = data[: utf8_error.start].count(b"\n") + 1
            raise InputError(
                f"the file is neither UTF-8 nor GBK text (undecodable byte on line {line})",
                file=name,
                row=line,
                hint="save it as CSV UTF-8 (or GBK) and upload again",
            ) from None


def read_table(
    source: str | os.PathLike[str] | bytes,
    *,
    name: str | None = None,
    sheet: str | int | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    max_unpacked_bytes: int | None = None,
    na_values: Sequence[str] | str | None = None,
    decimal: str = ".",
    separator: str | None = None,
) -> pl.DataFrame:
    """Read a CSV, XLSX or Parquet file into a polars frame, as it is in the file.

    Parameters
    ----------
    source
        A path, or the file's bytes (then ``name`` gives its file name and format).
    name
        File name used for the format and in error messages.
    sheet
        XLSX sheet name or 0-based index (default: the first sheet).
    max_bytes
        Files larger than this are refused before reading.
    max_unpacked_bytes
        Largest uncompressed size of an XLSX or Parquet file (default 10 × ``max_bytes``).
    na_values
        Extra cell texts read as missing in every column (e.g. ``["—", "…", "-", "N/A"]``,
        or one comma-separated string). The empty cell is always missing, ``NA`` in
        numeric columns.
    decimal
        ``"."`` (default) or ``","``: the decimal separator of numbers written as text.
    separator
        CSV field separator; default: ``\\t`` for ``.tsv``, else whichever of ``,``,
        ``\\t`` and ``;`` splits the header into the most fields.

    Returns
    -------
    polars.DataFrame
        See the module docstring; :func:`read_source` also returns where the rows are.
    """
    return read_source(
        source,
        name=name,
        sheet=sheet,
        max_bytes=max_bytes,
        max_unpacked_bytes=max_unpacked_bytes,
        na_values=na_values,
        decimal=decimal,
        separator=separator,
    ).frame


def read_source(
    source: str | os.PathLike[str] | bytes,
    *,
    name: str | None = None,
    sheet: str | int | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    max_unpacked_bytes: int | None = None,
    na_values: Sequence[str] | str | None = None,
    decimal: str = ".",
    separator: str | None = None,
) -> Table:
    """:func:`read_table` returning a :class:`Table` (the frame, file, sheet and first row)."""
    markers = check_read_options(na_values=na_values, decimal=decimal, separator=separator)
    data, label = _source_bytes(source, name, max_bytes)
    unpacked = 10 * max_bytes if max_unpacked_bytes is None else max_unpacked_bytes
    suffix = Path(label).suffix.lower()
    sheet_name = None
    if suffix in CSV_SUFFIXES or suffix == "":
        if separator is None and suffix == ".tsv":
            separator = "\t"
        frame = _read_csv_bytes(data, label, separator)
        first_row = FIRST_DATA_ROW
    elif suffix in EXCEL_SUFFIXES:
        frame, sheet_name, first_row = _read_excel_bytes(data, label, sheet, unpacked)
    elif suffix in PARQUET_SUFFIXES:
        frame = _read_parquet_bytes(data, label, unpacked)
        first_row = 1
    else:
        raise InputError(
            f"unknown file type '{suffix}'",
            file=label,
            hint="use .csv, .xlsx or .parquet",
        )
    if frame.height == 0:
        raise InputError("the file has a header but no data rows", file=label, sheet=sheet_name)
    frame = type_columns(frame, na_values=markers, decimal=decimal)
    return Table(frame=frame, name=label, sheet=sheet_name, first_row=first_row)


def sheet_names(source: str | os.PathLike[str] | bytes, *, name: str | None = None) -> list[str]:
    """The sheets of an XLSX workbook, in order (``[]`` for a CSV or Parquet file)."""
    data, label = _source_bytes(source, name, MAX_FILE_BYTES)
    if Path(label).suffix.lower() not in EXCEL_SUFFIXES:
        return []
    return list(_open_workbook(data, label, 10 * MAX_FILE_BYTES).sheet_names)


def check_read_options(
    *,
    na_values: Sequence[str] | str | None = None,
    decimal: str = ".",
    separator: str | None = None,
) -> tuple[str, ...]:
    """Validate the reading options; return the user's missing-value markers as a tuple."""
    ReadOptions.info("decimal").check(decimal)
    if separator is not None and (
        not isinstance(separator, str) or len(separator) != 1 or separator in '"\r\n'
    ):
        raise InputError(
            f"separator={separator!r} is not one character", hint="use ',', ';' or a tab"
        )
    if separator is not None and separator == decimal and decimal == ",":
        raise InputError(
            "the separator and the decimal separator are both ','",
            hint="a decimal-comma CSV is separated by ';'",
        )
    return na_markers(na_values)


def _source_bytes(source: Any, name: str | None, max_bytes: int) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        label = name or "<upload>"
        size = len(data)
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        label = name or str(path)
        try:
            exists, is_dir = path.exists(), path.is_dir()
        except (OSError, ValueError) as error:  # a NUL byte in the path, a name too long
            raise InputError(f"not a usable file path ({error})", file=repr(label)) from None
        if not exists:
            raise InputError("file not found", file=label, hint="check the path")
        if is_dir:
            raise InputError("is a directory, not a file", file=label)
        try:
            size = path.stat().st_size
            data = path.read_bytes() if size <= max_bytes else b""
        except OSError as error:  # no permission, a broken mount
            raise InputError(
                f"cannot read the file ({error.strerror or error})", file=label
            ) from None
    else:
        raise InputError(
            f"cannot read a table from a {type(source).__name__}",
            hint="pass a file path or the file's bytes",
        )
    if size > max_bytes:
        raise InputError(
            f"the file is {_size(size)}, over the {_size(max_bytes)} limit",
            file=label,
            hint="split the panel or raise the limit (max_bytes / server.maxUploadSize)",
        )
    if size == 0 or not data.strip():
        raise InputError("the file is empty", file=label, hint="export the panel with a header row")
    return data, label


def _size(n: int) -> str:
    """A file size for messages: bytes below 1 kB, else kB/MB with one decimal."""
    if n < 1000:
        return f"{n} bytes"
    if n < 1_000_000:
        return f"{n / 1e3:.1f} kB"
    return f"{n / 1e6:.1f} MB"


# ---------------------------------------------------------------------------
# Numbers written as text
# ---------------------------------------------------------------------------

_MINUS = str.maketrans({"\u2212": "-"})  # U+2212 minus sign, as typeset tables carry it
_PLAIN = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")
_GROUPED = {
    ".": re.compile(r"[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d*)?([eE][+-]?\d+)?"),
    ",": re.compile(r"[+-]?[1-9]\d{0,2}([. \u00a0\u202f']\d{3})+(,\d*)?([eE][+-]?\d+)?"),
}
_DECIMAL_COMMA = re.compile(r"[+-]?(\d+,?\d*|,\d+)([eE][+-]?\d+)?")
_LEADING_ZERO = re.compile(r"[+-]?0\d")


def number_text(text: str, decimal: str = ".") -> str | None:
    """``text`` as a plain number literal (``-1234.5e3``), or None when it is not a number.

    The grammar: optional sign (``+``, ``-`` or U+2212), digits with a decimal separator
    (``decimal``) and an exponent. Thousands separators are accepted only where they
    cannot be the decimal separator: at least two groups (``1,234,567``) or a group and
    a decimal part (``1,234.5``); with ``decimal=","`` the group separator is ``.``, a
    space, a no-break space or ``'``. ``inf`` and ``nan`` are numbers (the caller
    refuses non-finite values with their own message).
    """
    t = text.strip().translate(_MINUS)
    if not t:
        return None
    low = t.lower().lstrip("+-")
    if low in ("inf", "infinity", "nan"):
        return t
    if decimal == ".":
        if _PLAIN.fullmatch(t):
            return t
        if _GROUPED["."].fullmatch(t) and (t.count(",") >= 2 or "." in t):
            return t.replace(",", "")
        return None
    if _DECIMAL_COMMA.fullmatch(t):
        return t.replace(",", ".")
    match = _GROUPED[","].fullmatch(t)
    if match:
        groups = len(re.findall(r"[. \u00a0\u202f']\d{3}", t.split(",")[0]))
        if groups >= 2 or "," in t:
            return re.sub(r"[. \u00a0\u202f']", "", t).replace(",", ".")
    return None


def number_hint(text: str, decimal: str = ".") -> str:
    """What to do about a cell ``text`` that is not a number: the likely cause first."""
    t = text.strip()
    if t in COMMON_MARKERS or (t and not any(ch.isalnum() for ch in t)):
        return (
            f"if '{t}' marks a missing value, list it as one (na_values=['{t}'] or "
            "--na-values); otherwise write a number"
        )
    if decimal == "." and number_text(t, ",") is not None:
        return (
            "a ',' here could be a decimal comma or a thousands separator: pass "
            "decimal=',' (--decimal ,) if commas are decimal points, or write the number "
            "without thousands separators"
        )
    if decimal == "," and number_text(t, ".") is not None:
        return "decimal=',' is set but this number has a decimal point: write it with a comma"
    point = "a decimal point" if decimal == "." else "a decimal comma"
    return f"cells must be numbers (with {point}); leave a cell empty for a missing value"


_PLAIN_RE = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_SPECIAL_RE = r"^[+-]?(?i:inf|infinity|nan)$"
_GROUPED_RE = {
    ".": r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d*)?([eE][+-]?\d+)?$",
    ",": r"^[+-]?[1-9]\d{0,2}([. \u00a0\u202f']\d{3})+(,\d*)?([eE][+-]?\d+)?$",
}
_COMMA_RE = r"^[+-]?(\d+,?\d*|,\d+)([eE][+-]?\d+)?$"
_GROUP_CHARS = r"[. \u00a0\u202f']"
#: A character that no finite number literal has: a column holding one stays text (a
#: cell "inf" too: the caller then parses it and refuses it as non-finite, as it would a
#: Parquet inf).
_FOREIGN_RE = r"[^0-9+\-.,eE \u00a0\u202f'\u2212]"


def _literals(stripped: pl.Expr, decimal: str) -> pl.Expr:
    """:func:`number_text` as one vectorised expression (null where not a number)."""
    t = stripped.str.replace_all("\u2212", "-", literal=True)
    special = t.str.contains(_SPECIAL_RE)
    grouped = t.str.contains(_GROUPED_RE[decimal])
    if decimal == ".":
        unambiguous = grouped & (
            (t.str.count_matches(",", literal=True) >= 2) | t.str.contains(".", literal=True)
        )
        return (
            pl.when(t.str.contains(_PLAIN_RE) | special)
            .then(t)
            .when(unambiguous)
            .then(t.str.replace_all(",", "", literal=True))
            .otherwise(None)
        )
    unambiguous = grouped & (
        (t.str.count_matches(_GROUP_CHARS) >= 2) | t.str.contains(",", literal=True)
    )
    return (
        pl.when(special)
        .then(t)
        .when(t.str.contains(_COMMA_RE))
        .then(t.str.replace_all(",", ".", literal=True))
        .when(unambiguous)
        .then(t.str.replace_all(_GROUP_CHARS, "").str.replace_all(",", ".", literal=True))
        .otherwise(None)
    )


def parse_numbers(
    series: pl.Series, *, decimal: str = ".", na_values: Sequence[str] = ()
) -> tuple[pl.Series, pl.Series]:
    """Parse a text column as Float64; return ``(values, bad)``.

    ``values`` is null where the cell is missing (null, blank, ``NA`` or a marker in
    ``na_values``) or not a number; ``bad`` is True exactly where a cell is present but
    is not a number (:func:`number_text`, vectorised), so the caller can name it.
    """
    frame = pl.DataFrame({"t": series.cast(pl.String)})
    stripped = pl.col("t").str.strip_chars()
    missing = stripped.is_null() | (stripped == "") | stripped.is_in([*NUMERIC_NA, *na_values])
    plain = stripped.str.contains(_PLAIN_RE)
    if decimal == "." and frame.select((plain | missing).all()).item():
        literal: pl.Expr = stripped  # the common case: one regex, no grouping rules
    else:
        literal = _literals(stripped, decimal)
    out = frame.select(
        pl.when(missing).then(None).otherwise(literal).cast(pl.Float64, strict=False).alias("v"),
        missing.alias("m"),
    )
    parsed = out.get_column("v")
    bad = ~out.get_column("m") & parsed.is_null()
    return parsed.alias(series.name), bad.alias(series.name)


def type_columns(
    frame: pl.DataFrame, *, na_values: Sequence[str] = (), decimal: str = "."
) -> pl.DataFrame:
    """Apply the module's typing rule to every text column (see the module docstring).

    Markers in ``na_values`` and blank cells become null in every text column; a text
    column whose other cells are all numbers (``NA`` counting as missing) becomes Int64
    (integer literals that fit) or Float64; leading-zero identifiers stay text. Typed
    columns (numbers, dates, a Categorical or Enum with its order) stay as given.

    The text columns are stacked into one long column (so a sheet of thousands of
    columns costs what one long column does) and classified in two passes: a cheap one
    (a character no number has; plain decimal literals) over every cell, and the full
    grammar (:func:`number_text`) only over the columns that need it.

    Length: the two passes and the reassembly share the stacked frame, its masks
    (``skip``, ``blank``) and the column positions; split into functions they would
    hand eight values to each other, and the order of the passes is the point.
    """
    text = [c for c, t in frame.schema.items() if t == pl.String]
    if not text or frame.height == 0:
        return frame
    h = frame.height
    markers = ["", *na_values]
    numeric_na = list(NUMERIC_NA)
    s = pl.col("s")
    long = (
        # positional names, so that no user column can meet the helper names c, v, s, …
        # (the columns as Series: pl.col("*") or pl.col("^…$") would be a wildcard or a
        # pattern, not the user's column of that name)
        pl.DataFrame([frame.get_column(name).alias(str(i)) for i, name in enumerate(text)])
        .unpivot(variable_name="c", value_name="v")
        .select("c", "v", pl.col("v").str.strip_chars().alias("s"))
        .with_columns(
            (pl.col("v").is_null() | s.is_in(markers)).alias("blank"),
            s.is_in(numeric_na).alias("na"),
        )
    )
    skip = pl.col("blank") | pl.col("na")
    first = long.group_by("c", maintain_order=True).agg(
        (~skip & s.str.contains(_FOREIGN_RE)).any().alias("foreign"),
        (skip | s.str.contains(_PLAIN_RE)).all().alias("plain")
        if decimal == "."
        else pl.lit(False).alias("plain"),
        (~skip).any().alias("some"),
    )
    key = {name: str(i) for i, name in enumerate(text)}
    facts = {text[int(row["c"])]: row for row in first.iter_rows(named=True)}
    candidates = [c for c in text if not facts[c]["foreign"] and facts[c]["some"]]
    converted: dict[str, pl.Series] = {}
    if candidates:
        position = {c: i for i, c in enumerate(text)}
        part = pl.concat([long.slice(position[c] * h, h) for c in candidates])
        plain = [facts[c]["plain"] for c in candidates]
        is_plain = pl.col("c").is_in([key[c] for c, p in zip(candidates, plain, strict=True) if p])
        literal = (
            pl.when(is_plain).then(s).otherwise(_literals(s, decimal)) if not all(plain) else s
        )
        part = part.with_columns(
            pl.when(skip)
            .then(None)
            .otherwise(literal)
            .cast(pl.Float64, strict=False)
            .alias("value")
        )
        second = part.group_by("c", maintain_order=True).agg(
            (~skip & pl.col("value").is_null()).any().alias("bad"),
            (~skip & s.str.contains(r"^[+-]?0\d")).any().alias("zero"),
            (skip | (s.str.contains(r"^[+-]?\d+$") & s.cast(pl.Int64, strict=False).is_not_null()))
            .all()
            .alias("integral"),
        )
        more = {text[int(row["c"])]: row for row in second.iter_rows(named=True)}
        for i, c in enumerate(candidates):
            if more[c]["bad"] or more[c]["zero"]:
                continue  # a cell that is no number, or identifiers such as 007 or 0571
            cells = part.slice(i * h, h)
            if more[c]["integral"]:
                converted[c] = cells.select(
                    pl.when(skip).then(None).otherwise(s).cast(pl.Int64, strict=False).alias(c)
                ).to_series()
            else:
                converted[c] = cells.get_column("value").alias(c)
    blank = long.get_column("blank")
    columns = []
    for name in frame.columns:
        if name in converted:
            columns.append(converted[name])
        elif name in facts:
            # text: blank cells and the user's markers become missing, nothing else changes
            k = text.index(name) * h
            columns.append(
                pl.select(
                    pl.when(pl.lit(blank.slice(k, h)))
                    .then(None)
                    .otherwise(pl.lit(frame.get_column(name)))
                    .alias(name)
                ).to_series()
            )
        else:
            columns.append(frame.get_column(name))
    return pl.DataFrame(columns)


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def _check_header(columns: list[str], label: str, sheet: str | None = None) -> None:
    seen: set[str] = set()
    for position, column in enumerate(columns, start=1):
        if column == "":
            raise InputError(
                f"column {position} has no name",
                file=label,
                sheet=sheet,
                row=1,
                hint="give every column a header",
            )
        if column in seen:
            raise InputError(
                f"the header names column '{column}' twice",
                file=label,
                sheet=sheet,
                row=1,
                column=column,
            )
        seen.add(column)


def _choose_separator(text: str) -> str:
    """The separator that splits the header (the first record) into the most fields."""
    first = text[: 64 * 1024]
    best, most = ",", 0
    for sep in _SEPARATORS:
        try:
            fields = next(csv.reader(_io.StringIO(first, newline=""), delimiter=sep), [])
        except csv.Error:
            continue
        if len(fields) > most:
            best, most = sep, len(fields)
    return best


def _record_lines(text: str, sep: str, count: int) -> list[int]:
    """The line on which each of the first ``count`` records starts (for messages only:
    a quoted cell may hold line breaks, so records and lines can differ)."""
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=sep, strict=True)
    starts, start = [], 1
    for _ in reader:
        starts.append(start)
        start = reader.line_num + 1
        if len(starts) >= count:
            break
    return starts


def _raise_csv_error(text: str, sep: str, label: str) -> None:
    """Re-read record by record to say where the CSV breaks, and raise."""
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=sep, strict=True)
    count, start = 0, 1
    try:
        for _ in reader:
            count += 1
            start = reader.line_num + 1
    except csv.Error as error:
        row = count + 1
        what = str(error)
        if "unexpected end of data" in what or "EOF" in what:
            what = "a quoted cell is never closed"
        raise InputError(
            f"not a readable CSV table: {what}"
            + (f" (the row starts on line {start})" if start != row else ""),
            file=label,
            row=row,
            hint='close the quote ("…"), or write a quote inside a cell as ""',
        ) from None
    raise InputError("not a readable CSV table", file=label)  # pragma: no cover


def _read_unquoted(text: str, sep: str) -> pl.DataFrame | None:
    """The common CSV, read without a Python loop: no quote character anywhere, a named
    header, and every row with exactly the header's number of cells. Without quotes a
    CSV record is a line split at the separator, so this is what the csv module reads
    (tests/test_reading.py checks both on the same files); anything else returns None
    and goes through the csv module, which names the row that is wrong."""
    if '"' in text:
        return None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        return None
    header = [cell.strip() for cell in lines[0].split(sep)]
    if not all(header) or len(set(header)) != len(header):
        return None  # the full path says which column is unnamed or named twice
    width = len(header)
    body = pl.Series("line", lines[1:], dtype=pl.String)
    if body.len() == 0 or not bool((body.str.count_matches(sep, literal=True) == width - 1).all()):
        return None
    if width == 1:
        return pl.DataFrame({header[0]: body})
    fields = body.str.split_exact(sep, width - 1).struct.unnest()
    return fields.rename(dict(zip(fields.columns, header, strict=True)))


def _read_csv_bytes(data: bytes, label: str, separator: str | None) -> pl.DataFrame:
    text = decode_text(data, name=label)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(
            "the file holds a NUL character, so it is not a text CSV",
            file=label,
            row=line,
            hint="save it as CSV UTF-8 (a UTF-16 file needs its byte-order mark)",
        )
    sep = separator or _choose_separator(text)
    fast = _read_unquoted(text, sep)
    if fast is not None:
        return _drop_trailing_empty_rows(fast)
    # A cell may be as long as the file: lift the csv module's 128 kB default limit
    # (the file's size is already bounded by max_bytes).
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    try:
        records = list(csv.reader(_io.StringIO(text, newline=""), delimiter=sep, strict=True))
    except csv.Error:
        records = []
        _raise_csv_error(text, sep, label)
    if not records:
        raise InputError("the file is empty", file=label)
    header = [cell.strip() for cell in records[0]]
    body = records[1:]
    width = len(header)
    # Columns with neither a header nor any cell (trailing separators that spreadsheet
    # exports add) are dropped; a column with cells but no header is an error.
    while (
        width > 0
        and header[width - 1] == ""
        and all(len(r) < width or r[width - 1].strip() == "" for r in body)
    ):
        width -= 1
    header = header[:width]
    if not header:
        raise InputError(
            "the header row is empty", file=label, row=1, hint="the first row must name the columns"
        )
    _check_header(header, label)
    for k, record in enumerate(body):
        if len(record) == width:
            continue
        if len(record) == 0:  # a blank line: an empty row, so row numbers stay the file's
            body[k] = [""] * width
            continue
        row = k + FIRST_DATA_ROW
        line = _record_lines(text, sep, k + 2)[-1]
        starts = f" (the row starts on line {line})" if line != row else ""
        if len(record) > width and not any(cell.strip() for cell in record[width:]):
            body[k] = record[:width]  # trailing empty cells: nothing is lost
            continue
        raise InputError(
            f"{len(record)} cells where the header names {width} columns{starts}",
            file=label,
            row=row,
            hint=(
                f"remove the extra cells or name the column; the separator is {sep!r}"
                if len(record) > width
                else f"every row needs one cell per column (empty cells between separators {sep!r})"
            ),
        )
    columns = list(zip(*body, strict=True)) if body else [() for _ in range(width)]
    frame = pl.DataFrame(
        [
            pl.Series(name, values, dtype=pl.String)
            for name, values in zip(header, columns, strict=True)
        ]
    )
    return _drop_trailing_empty_rows(frame)


def _drop_trailing_empty_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """Drop rows at the end that are entirely empty (spreadsheets and CSV exports carry them)."""
    if frame.width and frame.height:
        empty = pl.all_horizontal(
            [
                pl.col(c).is_null() | (pl.col(c).cast(pl.String).str.strip_chars() == "")
                if t == pl.String
                else pl.col(c).is_null()
                for c, t in frame.schema.items()
            ]
        )
        keep = frame.select((~empty).alias("k")).to_series()
        last = keep.arg_true().max() if keep.any() else -1
        assert isinstance(last, int)
        frame = frame.head(last + 1)
    return frame


# ---------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------


def _check_zip(data: bytes, label: str, limit: int) -> None:
    """Refuse an archive whose members unpack past ``limit`` bytes or :data:`MAX_ZIP_RATIO`.

    The declared sizes are checked first (cheap); then each member is decompressed in
    chunks and counted, so an archive that lies about its sizes is caught too, before
    any parser allocates for it.
    """
    hint = "open the workbook in Excel and save it again, or export the sheet as CSV"
    try:
        archive = zipfile.ZipFile(_io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip (e.g. an old .xls): the workbook reader says what it is
    with archive:
        members = archive.infolist()
        declared = sum(m.file_size for m in members)
        if declared > limit:
            raise InputError(
                f"the workbook unpacks to {_size(declared)}, over the {_size(limit)} limit",
                file=label,
                hint=hint,
            )
        total = 0
        for member in members:
            size = 0
            try:
                with archive.open(member) as handle:
                    while chunk := handle.read(1 << 20):
                        size += len(chunk)
                        total += len(chunk)
                        ratio_bad = size > _RATIO_FLOOR and size > MAX_ZIP_RATIO * max(
                            member.compress_size, 1
                        )
                        if total > limit or ratio_bad:
                            raise InputError(
                                f"the workbook's part '{member.filename}' unpacks to more than "
                                f"{_size(size)} from {_size(member.compress_size)}"
                                + (
                                    " (a zip bomb?)"
                                    if ratio_bad
                                    else f", over the {_size(limit)} limit"
                                ),
                                file=label,
                                hint=hint,
                            )
            except InputError:
                raise
            except (
                zipfile.BadZipFile,
                OSError,
                EOFError,
                RuntimeError,
                ValueError,
                NotImplementedError,
            ) as error:
                raise InputError(
                    f"not a readable XLSX workbook (part '{member.filename}': {error})",
                    file=label,
                    hint=hint,
                ) from None


def _open_workbook(data: bytes, label: str, limit: int) -> Any:
    from python_calamine import CalamineWorkbook

    _check_zip(data, label, limit)
    try:
        return CalamineWorkbook.from_filelike(_io.BytesIO(data))
    except Exception as error:  # calamine raises its own types for broken files
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputError(f"not a readable XLSX workbook ({first})", file=label) from None


def _cell_text(value: Any) -> str:
    """A non-text cell as text: numbers by their shortest round-trip form, integral
    numbers without '.0', dates in ISO form, booleans as TRUE/FALSE (as Excel shows them)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    if isinstance(value, _dt.datetime | _dt.date | _dt.time):
        return value.isoformat()
    return str(value)


def _sheet_column(name: str, values: list[Any]) -> pl.Series:
    """One sheet column from its cells: numbers → Float64, booleans → Boolean,
    dates → Date/Datetime when the whole column is of one kind, else text."""
    present = [v for v in values if v is not None]
    kinds = {type(v) for v in present}
    if present and kinds <= {int, float}:
        return pl.Series(name, [None if v is None else float(v) for v in values], dtype=pl.Float64)
    if present and kinds == {bool}:
        return pl.Series(name, values, dtype=pl.Boolean)
    if present and kinds == {_dt.date}:
        return pl.Series(name, values, dtype=pl.Date)
    if present and kinds <= {_dt.datetime}:
        return pl.Series(name, values, dtype=pl.Datetime("us"))
    return pl.Series(
        name,
        [v if v is None or isinstance(v, str) else _cell_text(v) for v in values],
        dtype=pl.String,
    )


def _read_excel_bytes(
    data: bytes, label: str, sheet: str | int | None, limit: int
) -> tuple[pl.DataFrame, str, int]:
    workbook = _open_workbook(data, label, limit)
    names = list(workbook.sheet_names)
    shown = ", ".join(f"'{n}'" for n in names[:10]) + (", …" if len(names) > 10 else "")
    if sheet is None:
        sheet = 0
    if isinstance(sheet, bool) or not isinstance(sheet, int | str):
        raise InputError(f"sheet={sheet!r} is neither a sheet name nor a number", file=label)
    if isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise InputError(
                f"the workbook has no sheet number {sheet} (0-based; it has {len(names)})",
                file=label,
                hint=f"its sheets: {shown}",
            )
        sheet_name = names[sheet]
    else:
        if sheet not in names:
            raise InputError(
                f"the workbook has no sheet named '{sheet}'",
                file=label,
                hint=f"its sheets: {shown}",
            )
        sheet_name = sheet
    try:
        worksheet = workbook.get_sheet_by_name(sheet_name)
        rows = worksheet.to_python(skip_empty_area=True)
        start_row = int(worksheet.start[0]) if worksheet.start else 0
    except Exception as error:  # a damaged sheet
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputError(
            f"not a readable worksheet ({first})", file=label, sheet=sheet_name
        ) from None
    if not rows or not any(v not in ("", None) for v in rows[0]):
        raise InputError(
            "the sheet is empty",
            file=label,
            sheet=sheet_name,
            hint="choose the sheet that holds the panel",
        )
    header_row = start_row + 1
    header = [
        ("" if v is None else v.strip() if isinstance(v, str) else _cell_text(v)) for v in rows[0]
    ]
    body = [[None if (isinstance(v, str) and v == "") else v for v in r] for r in rows[1:]]
    width = len(header)
    while (
        width > 0
        and header[width - 1] == ""
        and all(len(r) < width or r[width - 1] is None for r in body)
    ):
        width -= 1
    header = header[:width]
    try:
        _check_header(header, label, sheet_name)
    except InputError as error:
        raise InputError(
            error.what,
            file=label,
            sheet=sheet_name,
            row=header_row,
            column=error.column,
            hint=error.hint,
        ) from None
    columns = [
        _sheet_column(h, [r[j] if j < len(r) else None for r in body]) for j, h in enumerate(header)
    ]
    frame = _drop_trailing_empty_rows(pl.DataFrame(columns) if columns else pl.DataFrame())
    return frame, sheet_name, header_row + 1


# ---------------------------------------------------------------------------
# Parquet
# ---------------------------------------------------------------------------


def _read_parquet_bytes(data: bytes, label: str, limit: int) -> pl.DataFrame:
    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - pyarrow ships with the app and dev extras
        pq = None
    if pq is not None:
        try:
            meta = pq.read_metadata(_io.BytesIO(data))
            unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        except Exception as error:  # a damaged footer
            first = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise InputError(f"not a readable Parquet file ({first})", file=label) from None
        if unpacked > limit:
            raise InputError(
                f"the Parquet file unpacks to {_size(unpacked)}, over the {_size(limit)} limit",
                file=label,
                hint="split the panel or raise the limit",
            )
    try:
        frame = pl.read_parquet(data)
    except Exception as error:  # polars raises several types for a damaged file
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputError(f"not a readable Parquet file ({first})", file=label) from None
    for name, dtype in frame.schema.items():
        if dtype.is_nested() or dtype in (pl.Binary, pl.Object):
            raise InputError(
                f"the column holds {dtype} values, not numbers or text",
                file=label,
                column=name,
                hint="nqpf reads flat tables: flatten or drop the column before saving",
            )
        if name.strip() == "":
            raise InputError("a column has no name", file=label, hint="give every column a header")
    return frame


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------

#: Characters that make a spreadsheet (Excel, LibreOffice, Google Sheets) read a cell
#: typed or imported as text as a formula — OWASP "CSV injection" — and their
#: full-width forms, which an IME types and some spreadsheets convert.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

#: Largest sheet an XLSX workbook holds (Excel's limits), header row included.
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_COLUMNS = 16_384
#: Longest text an XLSX cell holds (longer text would be cut by the writer).
XLSX_MAX_CELL_CHARS = 32_767
#: Longest XLSX sheet name (in UTF-16 code units, as Excel counts).
XLSX_MAX_SHEET_NAME = 31
#: Whole numbers beyond ±2⁵³ are written to XLSX as text: a double would change their digits.
_XLSX_EXACT_INT = 2**53


def formula_like(text: str) -> bool:
    """True when a spreadsheet would run ``text`` as a formula.

    That is a text that starts with a tab, CR or LF, or whose first character after
    leading spaces is one of ``= + - @`` (or their full-width forms); a lone ``+`` or
    ``-`` (a direction code) is not.
    """
    if (
        text[:1] in ("\t", "\r", "\n")
        or text.lstrip(" ")[:1] in FORMULA_STARTS[:4] + FORMULA_STARTS[7:]
    ):
        return text.strip() not in ("+", "-", "＋", "－")
    return False


def neutralise_text(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would run it as a formula.

    The quote is Excel's own "this is text" mark; the cell shows the text
    as it was, and a later edit of the cell does not turn it into a formula.
    """
    return "'" + text if formula_like(text) else text


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells *and column names* that a spreadsheet would run as a formula
    with a quote (:func:`neutralise_text`); numbers are untouched.

    Cells and headers starting with ``=``, ``+``, ``-``, ``@``, a tab, CR or LF
    (OWASP "CSV injection"; leading spaces aside, full-width forms included) get a
    leading ``'``. Direction codes ``+``/``-`` alone are kept as they are: a lone
    sign is not a formula. A neutralised column name that another column already
    has gets further quotes, so the names stay distinct.
    """
    text_columns = [
        c
        for c, t in frame.schema.items()
        if t == pl.String or t == pl.Categorical or isinstance(t, pl.Enum)
    ]
    if text_columns:
        frame = frame.with_columns(
            pl.when(_formula_like_expr(pl.col(c).cast(pl.String)))
            .then(pl.lit("'") + pl.col(c).cast(pl.String))
            .otherwise(pl.col(c).cast(pl.String))
            .alias(c)
            for c in text_columns
        )
    renames: dict[str, str] = {}
    taken = set(frame.columns)
    for column in frame.columns:
        if formula_like(column):
            new = "'" + column
            while new in taken:
                new = "'" + new
            taken.add(new)
            renames[column] = new
    return frame.rename(renames) if renames else frame


def _formula_like_expr(text: pl.Expr) -> pl.Expr:
    """:func:`formula_like` as a polars expression (one pass over a column)."""
    starts = "".join(ch for ch in FORMULA_STARTS if ch not in "\t\r\n").replace("-", "\\-")
    return (
        text.str.contains(r"^[\t\r\n]") | text.str.contains(f"^ *[{starts}]")
    ) & ~text.str.strip_chars().is_in(["+", "-", "＋", "－"])


def _umask() -> int:
    """The process umask, read without changing it (``os.umask`` sets it, which races
    with other threads, e.g. the app's, creating files meanwhile)."""
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_error(error: BaseException, path: Path) -> InputError:
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return InputError(
        f"cannot write the file ({reason})",
        file=str(path),
        hint="choose another --out file name or folder",
    )


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write ``path`` through ``write(tmp)`` on a temporary file beside it, then rename.

    A failed write leaves the old file (if any) untouched and no temporary file.
    The new file keeps the mode of the file it replaces (a private 0600 file stays
    private); a new file gets what a plain ``open()`` would give (0666 minus the
    umask). A symbolic link is written through: its target is replaced. The folder
    must exist: a typo in a folder name is an error, not a new folder.
    """
    import stat

    target = path.resolve() if path.is_symlink() else path
    parent = target.parent
    if not parent.is_dir():
        what = "is a file, not a folder" if parent.exists() else "does not exist"
        raise InputError(
            f"cannot write the file (the folder '{parent}' {what})",
            file=str(path),
            hint="create the folder first or choose another --out",
        )
    try:
        existing = target.stat()
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as error:
        raise _write_error(error, path) from None
    else:
        if stat.S_ISDIR(existing.st_mode):
            raise InputError(
                "cannot write the file (it is a directory, not a file)",
                file=str(path),
                hint="give a file name",
            )
        if not stat.S_ISREG(existing.st_mode):
            raise InputError(
                "cannot write the file (it is a device or pipe; nqpf replaces output files whole)",
                file=str(path),
                hint="give a file name",
            )
        mode = stat.S_IMODE(existing.st_mode)
    tmp: Path | None = None
    try:
        handle, tmp_name = tempfile.mkstemp(prefix=".nqpf-", suffix=target.suffix, dir=parent)
        os.close(handle)
        tmp = Path(tmp_name)
        write(tmp)
        tmp.chmod(mode)  # mkstemp made it 0600
        tmp.replace(target)
        tmp = None
    except OSError as error:  # no permission, disk full, a name too long
        raise _write_error(error, path) from None
    except Exception as error:
        from xlsxwriter.exceptions import FileCreateError, FileSizeError

        if isinstance(error, FileCreateError | FileSizeError):
            raise _write_error(error, path) from None
        raise
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


#: The file suffixes :func:`write_tables` writes (a path without a suffix is a folder).
WRITE_SUFFIXES = (".csv", ".xlsx", ".json", ".parquet", ".pq")

#: File that marks a folder of CSVs written by :func:`write_tables` (a later write may
#: replace such a folder whole).
TABLES_MARKER = ".nqpf-tables"


def write_tables(
    tables: Mapping[str, pl.DataFrame],
    path: str | os.PathLike[str],
    *,
    meta: Mapping[str, Any] | None = None,
    main: str | None = None,
) -> Path:
    """Write named tables by the path's extension: CSV, XLSX, JSON, Parquet or a folder.

    ``.csv`` and ``.parquet`` (``.pq``) hold the ``main`` table only (default: the
    first); ``.xlsx`` one sheet per table (plus ``options`` from ``meta``); ``.json``
    an object with one array of records per table and ``meta`` (``nqpf_meta`` when a
    table is called ``meta``), with NaN and ±∞ written as ``null`` (JSON has no such
    numbers); a path **without a suffix** is a folder with one ``<table>.csv`` per
    table (file names from :func:`file_stem`). Each write is atomic: a file through
    :func:`_atomic_write`, a folder written whole beside the target and renamed into
    place (:func:`move_into_place`). An existing folder is replaced only when it is
    empty or was written so (it holds the :data:`TABLES_MARKER` file and CSV files
    only); a folder holding other files is refused, never overwritten.

    CSV and XLSX are spreadsheet formats: every text, column names and the option
    sheet included, goes through :func:`neutralise_text`, and XLSX cells are
    written as plain strings (never formulas or hyperlinks). XLSX sheet names are
    made valid for Excel (:func:`xlsx_sheet_names`); when one differs from its
    table's name, a ``contents`` sheet at the end maps sheet to table name. Parquet
    and JSON keep every value as it is (they are not opened as spreadsheets).
    """
    out = Path(path)
    suffix = out.suffix.lower()
    names = list(tables)
    if suffix and suffix not in WRITE_SUFFIXES:
        raise InputError(
            f"cannot write '{suffix}' files",
            file=str(out),
            hint="give --out a .csv, .xlsx, .json or .parquet file name, "
            "or a folder name without a suffix (one CSV per table)",
        )
    if not names:
        raise InputError("there is no table to write", file=str(out))
    if not suffix:
        return _write_csv_folder(tables, out)
    if suffix in (".csv", ".parquet", ".pq"):
        table = tables[main or names[0]]
        if suffix == ".csv":
            _atomic_write(out, lambda tmp: _write_csv(table, tmp))
        else:
            _atomic_write(out, lambda tmp: table.write_parquet(tmp))
    elif suffix == ".xlsx":
        sheets = _xlsx_sheets(tables, meta)
        for title, _, table in sheets:
            _check_xlsx_size(title, table, out)
        _atomic_write(out, lambda tmp: _write_xlsx(sheets, tmp))
    else:
        payload: dict[str, Any] = {name: tables[name].to_dicts() for name in names}
        if meta:
            from nqpf._frames import output_name

            payload[output_name("meta", names)] = dict(meta)
        text = json.dumps(
            _json_ready(payload), ensure_ascii=False, indent=2, default=str, allow_nan=False
        )
        _atomic_write(out, lambda tmp: tmp.write_text(text, "utf-8", errors="replace"))
    return out


def _json_ready(value: Any) -> Any:
    """``value`` with every NaN and ±∞ float as None (JSON's null), lists and dicts
    walked; JSON has no non-finite numbers, and ``NaN`` is not valid JSON."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    return value


_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
)


def file_stem(name: str, taken: Sequence[str] | Any = ()) -> str:
    """A portable file name stem for ``name``: letters and digits of any script, ``-``, ``_``
    and ``.`` kept, anything else (``/``, ``\\``, ``:``, controls, spaces) as ``_``; no
    leading dot; at most 100 UTF-8 bytes; not a Windows device name; numbered (``-2``, …)
    while it equals one in ``taken`` ignoring case (case-insensitive file systems)."""
    from nqpf.formats import clean_text

    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in clean_text(name))
    stem = stem.lstrip(".") or "table"
    while len(stem.encode("utf-8")) > 100:
        stem = stem[:-1]
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    used = {t.casefold() for t in taken}
    candidate, number = stem, 1
    while candidate.casefold() in used:
        number += 1
        candidate = f"{stem}-{number}"
    return candidate


def _write_csv_folder(tables: Mapping[str, pl.DataFrame], path: Path) -> Path:
    """One ``<stem>.csv`` per table in the folder ``path``, all or nothing.

    The folder is written as a temporary folder beside ``path`` and renamed into place
    (:func:`replace_folder`); a failed write leaves no partial folder and an existing
    one as it was. Returns ``path``.
    """
    out = path.resolve() if path.is_symlink() else path  # a link: its target is replaced
    _check_tables_folder(path, out)
    stems: list[str] = []
    for name in tables:
        stems.append(file_stem(str(name), stems))

    def fill(staging: Path) -> None:
        for table, stem in zip(tables.values(), stems, strict=True):
            _write_csv(table, staging / f"{stem}.csv")  # open(): 0666 minus the umask
        (staging / TABLES_MARKER).write_text(
            "written by nqpf; the folder is replaced whole by the next write\n", "utf-8"
        )

    replace_folder(out, fill, lambda error: _write_error(error, path))
    return path


def _check_tables_folder(path: Path, out: Path) -> None:
    """Refuse a folder target that is a file, a root or the current folder, whose parent
    is missing, or that holds files :func:`write_tables` did not write."""
    if path.name in ("", ".", "..") or out.resolve() == out.resolve().parent:
        raise InputError(
            "cannot replace this folder with a folder of tables",
            file=str(path),
            hint="give a new folder name (or a .csv/.xlsx/.json/.parquet file name)",
        )
    if out.exists() and not out.is_dir():
        raise InputError(
            "is a file, not a folder; a path without a suffix is a folder of CSV files",
            file=str(path),
            hint="give a file name with a suffix (.csv, .xlsx, .json, .parquet) or a new folder",
        )
    if not out.parent.is_dir():
        what = "is a file, not a folder" if out.parent.exists() else "does not exist"
        raise InputError(
            f"cannot write the folder (the folder '{out.parent}' {what})",
            file=str(path),
            hint="create the folder first or choose another --out",
        )
    if not out.is_dir():
        return
    try:
        entries = list(out.iterdir())
    except OSError as error:
        raise _write_error(error, path) from None
    ours = any(e.name == TABLES_MARKER and e.is_file() for e in entries)
    foreign = [
        e.name
        for e in entries
        if not ours
        or e.is_symlink()
        or not e.is_file()
        or (e.name != TABLES_MARKER and e.suffix != ".csv")
    ]
    if foreign:
        shown = ", ".join(sorted(foreign)[:3]) + (", …" if len(foreign) > 3 else "")
        raise InputError(
            f"the folder exists and holds files that nqpf did not write ({shown}); "
            "they would be lost when the tables replace it",
            file=str(path),
            hint="choose a new --out folder, or move those files away",
        )


T = TypeVar("T")


def replace_folder(
    out: Path, fill: Callable[[Path], T], error: Callable[[OSError], InputError]
) -> T:
    """Make the folder ``out`` all at once: ``fill(staging)`` writes a temporary folder
    beside it, which then replaces ``out`` (:func:`move_into_place`). On any failure the
    temporary folder is removed and an old ``out`` stays as it was; an ``OSError`` is
    raised as ``error(it)``. Returns what ``fill`` returns. Used by the CSV folders of
    :func:`write_tables` and the report folder (:mod:`nqpf.report.folder`)."""
    import shutil

    try:
        staging = Path(
            tempfile.mkdtemp(prefix=f".{file_stem(out.name)[:40]}.nqpf-", dir=out.parent)
        )
    except OSError as exc:
        raise error(exc) from None
    try:
        filled = fill(staging)
        staging.chmod(0o777 & ~_umask())  # mkdtemp made it private
        move_into_place(staging, out)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise error(exc) from None
        raise
    return filled


def move_into_place(staging: Path, out: Path) -> None:
    """Rename the finished ``staging`` folder to ``out``; an old ``out`` is moved aside
    first and deleted only after the rename succeeded (and put back if it failed)."""
    import shutil

    if not out.is_dir():
        staging.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{file_stem(out.name)[:40]}.nqpf-old-", dir=out.parent))
    old.rmdir()
    out.rename(old)
    try:
        staging.rename(out)
    except BaseException:
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _write_csv(table: pl.DataFrame, tmp: Path) -> None:
    """UTF-8 CSV, formula-like headers and cells neutralised, nested cells as text."""
    import csv
    import io as _io

    from nqpf.formats import flatten

    table = neutralise_formulas(flatten(table))
    header = _io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(table.columns)
    with tmp.open("wb") as handle:
        handle.write(header.getvalue().encode("utf-8"))
        if table.width:
            table.write_csv(handle, include_header=False)


def xlsx_sheet_names(names: Sequence[str]) -> list[str]:
    """Valid, distinct Excel sheet names for ``names``, in order.

    Excel refuses a sheet name that is empty, longer than 31 UTF-16 units, holds
    one of ``[ ] : * ? / \\`` or a control character, starts or ends with ``'``,
    is ``History``, or equals another sheet's name ignoring case. Such characters
    become ``_``; a long name is cut; a name already taken (case-insensitively,
    after cutting) gets ``~2``, ``~3``, … within the 31 units.
    """
    import unicodedata

    def fit(text: str, limit: int) -> str:
        kept, units = [], 0
        for char in text:
            units += 2 if ord(char) > 0xFFFF else 1
            if units > limit:
                break
            kept.append(char)
        return "".join(kept).strip("'")

    taken: set[str] = set()
    result = []
    for name in names:
        base = "".join(
            "_" if char in "[]:*?/\\" or unicodedata.category(char).startswith("C") else char
            for char in str(name)
        ).strip("'")
        if not base.strip():
            base = "sheet"
        if base.casefold() == "history":
            base += "_"
        candidate = fit(base, XLSX_MAX_SHEET_NAME) or "sheet"
        number = 1
        while candidate.casefold() in taken or candidate.lower() in taken:
            number += 1
            mark = f"~{number}"
            candidate = (fit(base, XLSX_MAX_SHEET_NAME - len(mark)) or "sheet") + mark
        taken.update({candidate.casefold(), candidate.lower()})
        result.append(candidate)
    return result


def _xlsx_sheets(
    tables: Mapping[str, pl.DataFrame], meta: Mapping[str, Any] | None
) -> list[tuple[str, str, pl.DataFrame]]:
    """(table name, sheet name, frame) for every sheet of the workbook, in order."""
    from nqpf.formats import flatten

    items: list[tuple[str, pl.DataFrame]] = [(n, flatten(t)) for n, t in tables.items()]
    if meta:
        options = pl.DataFrame(
            {"option": [str(k) for k in meta], "value": [_meta_text(v) for v in meta.values()]},
            schema={"option": pl.String, "value": pl.String},
        )
        items.append(("options", options))
    sheet_names = xlsx_sheet_names([name for name, _ in items])
    sheets = [(n, s, t) for (n, t), s in zip(items, sheet_names, strict=True)]
    if any(n != s for n, s, _ in sheets):
        contents = pl.DataFrame(
            {"sheet": [s for _, s, _ in sheets], "table": [str(n) for n, _, _ in sheets]},
            schema={"sheet": pl.String, "table": pl.String},
        )
        name = xlsx_sheet_names([*sheet_names, "contents"])[-1]
        sheets.append(("contents", name, contents))
    return sheets


def _meta_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _check_xlsx_size(title: str, table: pl.DataFrame, out: Path) -> None:
    if table.height + 1 > XLSX_MAX_ROWS or table.width > XLSX_MAX_COLUMNS:
        raise InputError(
            f"table '{title}' has {table.height} rows and {table.width} columns, more than "
            f"an XLSX sheet holds ({XLSX_MAX_ROWS - 1} rows, {XLSX_MAX_COLUMNS} columns)",
            file=str(out),
            hint="write CSV or JSON instead",
        )


def _exact_worksheet_class() -> type:
    """An xlsxwriter worksheet that writes every number with all its digits.

    xlsxwriter writes numbers as ``%.16G``, which does not round-trip every double
    (0.1 + 0.2 becomes 0.3); Excel itself writes 17 significant digits. ``repr`` is the
    shortest text that reads back to the same double, so an exported workbook read
    again (by nqpf, Excel or R) holds exactly the numbers computed.
    """
    from xlsxwriter.worksheet import Worksheet

    class ExactWorksheet(Worksheet):
        def _xml_number_element(self, number: float, attributes: Any = ()) -> None:
            attr = "".join(f' {k}="{self._escape_attributes(v)}"' for k, v in attributes)
            self.fh.write(f"<c{attr}><v>{float(number)!r}</v></c>")

    return ExactWorksheet


def _write_xlsx(sheets: list[tuple[str, str, pl.DataFrame]], tmp: Path) -> None:
    import xlsxwriter

    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(str(tmp), options) as workbook:
        formats = {
            "bold": workbook.add_format({"bold": True}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
            "time": workbook.add_format({"num_format": "hh:mm:ss"}),
        }
        worksheet_class = _exact_worksheet_class()
        shown: dict[str, Any] = {}  # Excel number format → the workbook's format object

        def number_format(code: str) -> Any:
            if code not in shown:
                shown[code] = workbook.add_format({"num_format": code})
            return shown[code]

        for title, sheet, table in sheets:
            worksheet = workbook.add_worksheet(sheet, worksheet_class=worksheet_class)
            _write_sheet(worksheet, table, formats, title=title, number_format=number_format)


def _column_number_formats(table: pl.DataFrame) -> dict[int, str]:
    """Column position → the Excel number format of each float column: the decimals (or
    percent) the report's tables show (:func:`nqpf.formats.number_style`, by the
    column's declared kind), so that a workbook shows what the report shows while every
    cell keeps its full-precision number."""
    from nqpf.formats import column_kind, number_style

    return {
        c: number_style(table.get_column(name).to_list(), kind=column_kind(name)).excel
        for c, (name, dtype) in enumerate(table.schema.items())
        if dtype.is_float()
    }


def _xlsx_text(text: str, *, title: str, column: str, row: int) -> str:
    """A text as an XLSX cell holds it: neutralised, XML-safe, within Excel's length."""
    text = neutralise_text(text)
    if len(text) > XLSX_MAX_CELL_CHARS:
        raise InputError(
            f"a text of {len(text)} characters in table '{title}' is longer than an XLSX "
            f"cell holds ({XLSX_MAX_CELL_CHARS})",
            row=row,
            column=column,
            hint="write CSV or JSON instead",
        )
    # U+FFFE/U+FFFF are not XML characters (the writer escapes the C0 controls itself);
    # lone surrogates cannot be encoded
    if any(ch in text for ch in "\ufffe\uffff") or any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        text = "".join(
            "\ufffd" if ch in "\ufffe\uffff" or 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text
        )
    return text


def _write_sheet(
    worksheet: Any,
    table: pl.DataFrame,
    formats: Mapping[str, Any],
    *,
    title: str = "",
    number_format: Callable[[str], Any] | None = None,
) -> None:
    """Plain cells (no Excel "table"): full double precision, and column names such as
    ``Djh`` and ``djh`` that Excel tables would reject as case-insensitive duplicates.

    Every text — column names included — is written with ``write_string`` after
    :func:`neutralise_text`, so nothing becomes a formula, a hyperlink or a number.
    Numbers keep their double; whole numbers beyond ±2⁵³ and decimals that a double
    cannot hold exactly are written as text, which keeps their digits. NaN and ±∞,
    which Excel cannot hold, are the texts ``NaN``, ``inf`` and ``-inf`` (as in CSV);
    an Excel error value such as ``#NUM!`` would be a formula cell. A float column gets
    the number format of :func:`_column_number_formats` (``number_format(code)`` gives
    the workbook's format object).
    """
    import datetime as dt
    import math
    from decimal import Decimal

    columns = table.columns
    shown = {}
    if number_format is not None:
        shown = {c: number_format(code) for c, code in _column_number_formats(table).items()}
    for c, name in enumerate(columns):
        worksheet.write_string(
            0, c, _xlsx_text(name, title=title, column=name, row=1), formats["bold"]
        )
    for r, row in enumerate(table.iter_rows(), start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                worksheet.write_boolean(r, c, value)
            elif isinstance(value, float):
                if math.isfinite(value):
                    worksheet.write_number(r, c, value, shown.get(c))
                else:  # Excel has no NaN or infinity; an error cell would be a formula
                    worksheet.write_string(r, c, "NaN" if value != value else f"{value}")
            elif isinstance(value, int):
                if abs(value) <= _XLSX_EXACT_INT:
                    worksheet.write_number(r, c, value)
                else:
                    worksheet.write_string(r, c, str(value))
            elif isinstance(value, Decimal):
                if value.is_finite() and Decimal(float(value)) == value:
                    worksheet.write_number(r, c, float(value))
                else:
                    worksheet.write_string(r, c, str(value))
            elif isinstance(value, dt.datetime) and value.tzinfo is None:
                worksheet.write_datetime(r, c, value, formats["datetime"])
            elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                worksheet.write_datetime(r, c, value, formats["date"])
            elif isinstance(value, dt.time) and value.tzinfo is None:
                worksheet.write_datetime(r, c, value, formats["time"])
            else:
                text = value.isoformat() if isinstance(value, dt.datetime | dt.time) else value
                text = text.hex() if isinstance(text, bytes) else str(text)
                worksheet.write_string(
                    r, c, _xlsx_text(text, title=title, column=columns[c], row=r + 1)
                )
    worksheet.freeze_panes(1, 0)
    for c, name in enumerate(columns):
        worksheet.set_column(c, c, min(max(len(name) + 2, 10), 40))
