"""Reading and writing files: CSV (UTF-8, UTF-8 with BOM, GBK), XLSX, Parquet, JSON.

Readers return polars frames with every column as text when the format carries no
types (CSV), so that :mod:`nqpf.panel` can say exactly which cell is not a number.
Writers write to a temporary file beside the target and rename it, so a failed
write never leaves a half-written or stale output behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from nqpf.errors import InputError

#: Largest input file accepted by default (bytes). The app repeats it in its uploader help.
MAX_FILE_BYTES = 200 * 1024 * 1024

#: The 1-based spreadsheet row of the first data row (the header is row 1).
FIRST_DATA_ROW = 2

#: Column nqpf adds to remember each row's position in its source file.
ROW_COLUMN = "__nqpf_row__"

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
PARQUET_SUFFIXES = {".parquet", ".pq"}

#: CSV cell texts read as missing values in a panel ("-" and ".." as statistical yearbooks write).
NULL_VALUES = ("", "NA", "N/A", "NaN", "nan", "null", "NULL", "-", "--", "..")


def decode_text(data: bytes, *, name: str = "<input>") -> str:
    """Decode CSV bytes as UTF-8 (with or without BOM) or, failing that, GBK.

    GBK (read as its superset GB18030) is what Chinese spreadsheet software
    usually writes. Anything else is rejected with the line of the first byte
    that is neither.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
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
    null_values: Sequence[str] = NULL_VALUES,
) -> pl.DataFrame:
    """Read a CSV, XLSX or Parquet file into a polars frame (CSV: all columns as text).

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
    null_values
        CSV cell texts read as missing (a spec passes ``("",)``: there "-" means cost).

    Returns
    -------
    polars.DataFrame
        With an extra column ``__nqpf_row__`` holding each row's 1-based row
        number in the file as a spreadsheet shows it (header = row 1).
    """
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        label = name or "<upload>"
        size = len(data)
    else:
        path = Path(source)
        label = name or str(path)
        if not path.exists():
            raise InputError("file not found", file=label, hint="check the path")
        if path.is_dir():
            raise InputError("is a directory, not a file", file=label)
        try:
            size = path.stat().st_size
            data = path.read_bytes() if size <= max_bytes else b""
        except OSError as error:
            raise InputError(
                f"cannot read the file ({error.strerror or error})", file=label
            ) from None
    if size > max_bytes:
        raise InputError(
            f"the file is {_size(size)}, over the {_size(max_bytes)} limit",
            file=label,
            hint="split the panel or raise the limit (max_bytes / server.maxUploadSize)",
        )
    if size == 0 or not data.strip():
        raise InputError("the file is empty", file=label, hint="export the panel with a header row")
    suffix = Path(label).suffix.lower()
    if suffix in CSV_SUFFIXES or suffix == "":
        frame = _read_csv_bytes(
            data, label, separator="\t" if suffix == ".tsv" else ",", null_values=null_values
        )
    elif suffix in EXCEL_SUFFIXES:
        frame = _read_excel_bytes(data, label, sheet)
    elif suffix in PARQUET_SUFFIXES:
        frame = _read_parquet_bytes(data, label)
    else:
        raise InputError(
            f"unknown file type '{suffix}'",
            file=label,
            hint="use .csv, .xlsx or .parquet",
        )
    if frame.height == 0:
        raise InputError("the file has a header but no data rows", file=label)
    return frame.with_row_index(ROW_COLUMN, offset=FIRST_DATA_ROW).with_columns(
        pl.col(ROW_COLUMN).cast(pl.Int64)
    )


def _size(n: int) -> str:
    """A file size for messages: bytes below 1 kB, else kB/MB with one decimal."""
    if n < 1000:
        return f"{n} bytes"
    if n < 1_000_000:
        return f"{n / 1e3:.1f} kB"
    return f"{n / 1e6:.1f} MB"


def _drop_trailing_empty_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """Drop rows at the end that are entirely empty (spreadsheets and CSV exports carry them)."""
    if frame.width and frame.height:
        keep = frame.select((~pl.all_horizontal(pl.all().is_null())).alias("k")).to_series()
        last = keep.arg_true().max() if keep.any() else -1
        assert isinstance(last, int)
        frame = frame.head(last + 1)
    return frame


def _check_header(columns: list[str], label: str) -> None:
    seen: set[str] = set()
    for position, column in enumerate(columns, start=1):
        if column.strip() == "" or column.startswith("__UNNAMED__"):
            raise InputError(
                f"column {position} has no name",
                file=label,
                row=1,
                hint="give every column a header",
            )
        if column in seen:
            raise InputError(
                f"the header names column '{column}' twice", file=label, row=1, column=column
            )
        seen.add(column)


def _read_csv_bytes(
    data: bytes, label: str, separator: str, null_values: Sequence[str] = NULL_VALUES
) -> pl.DataFrame:
    text = decode_text(data, name=label)
    header = text.splitlines()[0] if text.strip() else ""
    names = [cell.strip().strip('"') for cell in header.split(separator)]
    _check_header(names, label)
    try:
        frame = pl.read_csv(
            text.encode("utf-8"),
            separator=separator,
            infer_schema=False,
            null_values=list(null_values),
        )
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as error:
        first = str(error).splitlines()[0]
        raise InputError(f"not a readable CSV table ({first})", file=label) from None
    frame = _drop_trailing_empty_rows(frame)
    return frame.rename({c: c.strip() for c in frame.columns})


def _read_excel_bytes(data: bytes, label: str, sheet: str | int | None) -> pl.DataFrame:
    options: dict[str, Any] = {}
    if isinstance(sheet, str):
        options["sheet_name"] = sheet
    elif isinstance(sheet, int):
        options["sheet_id"] = sheet + 1
    try:
        frame = pl.read_excel(data, infer_schema_length=0, drop_empty_rows=False, **options)
    except Exception as error:  # calamine raises its own types for broken files
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputError(f"not a readable XLSX workbook ({first})", file=label) from None
    assert isinstance(frame, pl.DataFrame)
    _check_header(frame.columns, label)
    frame = _drop_trailing_empty_rows(frame)
    return frame.rename({c: c.strip() for c in frame.columns})


def _read_parquet_bytes(data: bytes, label: str) -> pl.DataFrame:
    try:
        return pl.read_parquet(data)
    except Exception as error:  # polars raises several types for a damaged file
        first = str(error).splitlines()[0]
        raise InputError(f"not a readable Parquet file ({first})", file=label) from None


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp_name = tempfile.mkstemp(prefix=".nqpf-", suffix=path.suffix, dir=path.parent)
        os.close(handle)
        tmp = Path(tmp_name)
        write(tmp)
        # mkstemp makes the file private (0600); give it what a plain open() would
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o666 & ~umask)
        tmp.replace(path)
    except BaseException as error:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        if isinstance(error, OSError):  # a folder of that name, no permission, disk full
            raise InputError(
                f"cannot write the file ({error.strerror or error})",
                file=str(path),
                hint="choose another --out file name",
            ) from None
        raise


def write_tables(
    tables: Mapping[str, pl.DataFrame],
    path: str | os.PathLike[str],
    *,
    meta: Mapping[str, Any] | None = None,
    main: str | None = None,
) -> Path:
    """Write named tables to CSV, XLSX or JSON, chosen by the file's extension.

    CSV holds the ``main`` table only (default: the first); XLSX one sheet per
    table (plus ``options`` from ``meta``); JSON an object with one array of
    records per table and ``meta``. The write is atomic.
    """
    out = Path(path)
    suffix = out.suffix.lower()
    names = list(tables)
    if suffix not in {".csv", ".xlsx", ".json"}:
        raise InputError(
            f"cannot write '{suffix or out.name}' files",
            file=str(out),
            hint="give --out a .csv, .xlsx or .json file name",
        )
    if suffix == ".csv":
        table = tables[main or names[0]]
        _atomic_write(out, lambda tmp: neutralise_formulas(table).write_csv(tmp))
    elif suffix == ".xlsx":

        def write_xlsx(tmp: Path) -> None:
            import xlsxwriter

            sheets = dict(tables)
            if meta:
                sheets["options"] = pl.DataFrame(
                    {"option": list(meta), "value": [str(v) for v in meta.values()]}
                )
            with xlsxwriter.Workbook(str(tmp), {"nan_inf_to_errors": True}) as workbook:
                bold = workbook.add_format({"bold": True})
                for sheet, table in sheets.items():
                    _write_sheet(
                        workbook.add_worksheet(sheet[:31]), neutralise_formulas(table), bold
                    )

        _atomic_write(out, write_xlsx)
    else:
        payload: dict[str, Any] = {name: tables[name].to_dicts() for name in names}
        if meta:
            payload["meta"] = dict(meta)

        def write_json(tmp: Path) -> None:
            tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str), "utf-8")

        _atomic_write(out, write_json)
    return out


def _write_sheet(worksheet: Any, table: pl.DataFrame, bold: Any) -> None:
    """Plain cells (no Excel "table"): full double precision, and column names such as
    ``Djh`` and ``djh`` that Excel tables would reject as case-insensitive duplicates."""
    worksheet.write_row(0, 0, table.columns, bold)
    for r, row in enumerate(table.iter_rows(), start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                worksheet.write_string(r, c, value)
            else:
                worksheet.write(r, c, value)
    worksheet.freeze_panes(1, 0)
    for c, name in enumerate(table.columns):
        worksheet.set_column(c, c, min(max(len(name) + 2, 10), 40))


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a quote.

    Cells starting with ``=``, ``+``, ``-`` or ``@`` (OWASP "CSV injection") get a
    leading ``'``; numbers are untouched. Direction codes ``+``/``-`` alone are
    kept as they are: a lone sign is not a formula.
    """
    text_columns = [c for c, t in frame.schema.items() if t == pl.String]
    if not text_columns:
        return frame
    return frame.with_columns(
        pl.when(
            pl.col(c).str.starts_with("=")
            | pl.col(c).str.starts_with("@")
            | pl.col(c).str.starts_with("\t")
            | pl.col(c).str.starts_with("\r")
            | (
                (pl.col(c).str.starts_with("+") | pl.col(c).str.starts_with("-"))
                & (pl.col(c).str.len_chars() > 1)
            )
        )
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in text_columns
    )
