"""File exports of the app's tables: CSV, XLSX, LaTeX, a ZIP of CSVs and an HTML report.

Pure functions from polars frames to bytes (no Streamlit), so they are tested
directly. Every format is written by the library, never by a copy in the app:
CSV and XLSX by :func:`nqpf.io.write_tables` (the CLI's writer, which neutralises
formula-like headers and cells: a text starting with ``=``, ``+``, ``-`` or ``@``
gets a leading ``'``), LaTeX by :func:`nqpf.formats.latex_table` and the HTML
page by :meth:`nqpf.report.Report.to_html` (both escape what they write).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from nqpf.formats import DIGITS, flatten, html_table, latex_escape, latex_table
from nqpf.io import neutralise_formulas, write_tables
from nqpf.report import Report, ReportTable

__all__ = [
    "DIGITS",
    "csv_bytes",
    "flatten",
    "html_report",
    "html_table",
    "latex_escape",
    "latex_table",
    "neutralise_formulas",
    "xlsx_bytes",
    "zip_of_csv",
]

BOM = b"\xef\xbb\xbf"


def _written(tables: Mapping[str, pl.DataFrame], file_name: str, **options: Any) -> bytes:
    """The bytes :func:`nqpf.io.write_tables` writes for ``tables`` to ``file_name``."""
    with tempfile.TemporaryDirectory(prefix="nqpf-export-") as folder:
        path = Path(folder) / file_name
        write_tables({n: flatten(t) for n, t in tables.items()}, path, **options)
        return path.read_bytes()


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (so Excel opens Chinese text correctly), formulas neutralised."""
    data = _written({"table": frame}, "table.csv")
    return data if data.startswith(BOM) else BOM + data


def xlsx_bytes(tables: Mapping[str, pl.DataFrame], meta: Mapping[str, Any] | None = None) -> bytes:
    """One workbook, one sheet per table (plus an ``options`` sheet from ``meta``)."""
    return _written({_sheet(n): t for n, t in tables.items()}, "tables.xlsx", meta=meta)


def _sheet(name: str) -> str:
    for char in "[]:*?/\\":
        name = name.replace(char, "_")
    return name[:31] or "table"


def zip_of_csv(tables: Mapping[str, pl.DataFrame]) -> bytes:
    """A ZIP archive with one CSV per table."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, table in tables.items():
            archive.writestr(f"{name}.csv", csv_bytes(table))
    return buffer.getvalue()


def html_report(
    title: str,
    sections: Sequence[tuple[str, pl.DataFrame]],
    *,
    meta: Mapping[str, Any] | None = None,
    max_rows: int = 500,
    note: str = "{shown} of {total} rows; the CSV and XLSX files hold them all.",
    language: str = "en",
) -> bytes:
    """A self-contained HTML page (no scripts, no external files) of the analysis tables.

    Written by :meth:`nqpf.report.Report.to_html`, the paper report's writer, which
    escapes every title, option and cell. A table longer than ``max_rows`` shows its
    first rows and says so (``note``, formatted with ``shown`` and ``total``). The
    page's own texts (its language attribute, the footer) are in ``language``.
    """
    from nqpf.options import ReportOptions

    tables = []
    for number, (heading, frame) in enumerate(sections, start=1):
        long = frame.height > max_rows
        tables.append(
            ReportTable(
                name=f"table-{number}",
                title=heading,
                frame=frame.head(max_rows) if long else frame,
                note=note.format(shown=max_rows, total=frame.height) if long else "",
            )
        )
    options = {str(k): v for k, v in (meta or {}).items()}
    page = Report(
        title=title,
        tables=tuple(tables),
        options=options,
        report_options=ReportOptions(language=language),
    )
    return page.to_html().encode("utf-8")
