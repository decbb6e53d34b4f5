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
    records per table and ``meta`` (``nqpf_meta`` when a table is called ``meta``).
    The write is atomic (:func:`_atomic_write`).

    CSV and XLSX are spreadsheet formats: every text, column names and the option
    sheet included, goes through :func:`neutralise_text`, and XLSX cells are
    written as plain strings (never formulas or hyperlinks). XLSX sheet names are
    made valid for Excel (:func:`xlsx_sheet_names`); when one differs from its
    table's name, a ``contents`` sheet at the end maps sheet to table name.
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
    if not names:
        raise InputError("there is no table to write", file=str(out))
    if suffix == ".csv":
        table = tables[main or names[0]]
        _atomic_write(out, lambda tmp: _write_csv(table, tmp))
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

        def write_json(tmp: Path) -> None:
            text = json.dumps(payload, ensure_ascii=False, indent=2, default=str)
            tmp.write_text(text, "utf-8", errors="replace")

        _atomic_write(out, write_json)
    return out


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
        for title, sheet, table in sheets:
            _write_sheet(workbook.add_worksheet(sheet), table, formats, title=title)


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
    worksheet: Any, table: pl.DataFrame, formats: Mapping[str, Any], *, title: str = ""
) -> None:
    """Plain cells (no Excel "table"): full double precision, and column names such as
    ``Djh`` and ``djh`` that Excel tables would reject as case-insensitive duplicates.

    Every text — column names included — is written with ``write_string`` after
    :func:`neutralise_text`, so nothing becomes a formula, a hyperlink or a number.
    Numbers keep their double; whole numbers beyond ±2⁵³ and decimals that a double
    cannot hold exactly are written as text, which keeps their digits. NaN and ±∞,
    which Excel cannot hold, are the texts ``NaN``, ``inf`` and ``-inf`` (as in CSV);
    an Excel error value such as ``#NUM!`` would be a formula cell.
    """
    import datetime as dt
    import math
    from decimal import Decimal

    columns = table.columns
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
                    worksheet.write_number(r, c, value)
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
