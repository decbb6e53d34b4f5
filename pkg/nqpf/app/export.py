"""File exports of the app: each table as CSV, XLSX or LaTeX, all tables as a workbook or
a ZIP of CSVs, and the report.

Pure functions from polars frames and results to bytes (no Streamlit), so they are
tested directly. Every format is written by the library, never by a copy in the app:
CSV and XLSX by :func:`nqpf.io.write_tables` (the CLI's writer, which neutralises
formula-like headers and cells: a text starting with ``=``, ``+``, ``-`` or ``@``
gets a leading ``'``), LaTeX by :func:`nqpf.formats.latex_table`, and the report by
:func:`nqpf.report.build_report` — the same document ``nqpf report`` writes, built
with the app's current options (:func:`report_arguments`): its HTML page
(:meth:`nqpf.report.Report.to_html`) and its folder as a ZIP (:func:`report_zip`,
what :meth:`nqpf.report.Report.write_folder` writes).
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
from nqpf.options import ReportOptions
from nqpf.report import Report

__all__ = [
    "DIGITS",
    "csv_bytes",
    "flatten",
    "html_table",
    "latex_escape",
    "latex_table",
    "neutralise_formulas",
    "report_arguments",
    "report_html",
    "report_zip",
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


def report_arguments(
    group: str | None,
    columns: Sequence[str],
    echelon_rule: str | None = None,
    k: int | None = None,
    language: str = "en",
) -> dict[str, Any]:
    """The keyword arguments of :func:`nqpf.report.build_report` for the app's current
    choices: the Data page's ``group`` column when the scores carry it (``columns``),
    the Disparity page's echelon rule and ``k`` when the report takes that rule (else
    the report's declared defaults, :class:`~nqpf.options.ReportOptions`), and the
    app's language when the report has one."""
    defaults = ReportOptions.defaults()
    arguments: dict[str, Any] = {
        "group": group if group in columns else None,
        "echelon_rule": defaults["echelon_rule"],
        "k": defaults["k"],
    }
    if echelon_rule in ReportOptions.info("echelon_rule").choices:
        arguments["echelon_rule"] = echelon_rule
        if k is not None:
            arguments["k"] = k
    if "language" in ReportOptions.names():
        arguments["language"] = language
    return arguments


def report_html(report: Report) -> bytes:
    """The report's page (report.html of the report folder)."""
    return report.to_html().encode("utf-8")


def report_zip(report: Report) -> bytes:
    """The report folder — report.html, .md, .tex, .xlsx, tables/*.csv and the charts, as
    :meth:`nqpf.report.Report.write_folder` writes them — as a ZIP archive whose
    entries are the folder's paths (``report/report.html``, ``report/tables/….csv``)."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="nqpf-report-") as folder:
        root = Path(folder) / "report"
        report.write_folder(root)
        # every file, the folder's marker too: unpacked, a later `nqpf report` may replace it
        files = sorted(path for path in root.rglob("*") if path.is_file())
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                archive.write(path, f"report/{path.relative_to(root).as_posix()}")
    return buffer.getvalue()
