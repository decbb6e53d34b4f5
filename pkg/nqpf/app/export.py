"""File exports of the app's tables: CSV, XLSX, LaTeX, a ZIP of CSVs and an HTML report.

Pure functions from polars frames to bytes (no Streamlit), so they are tested
directly. Spreadsheet formats (CSV, XLSX) go through
:func:`nqpf.io.neutralise_formulas`: a text cell starting with ``=``, ``+``,
``-`` or ``@`` gets a leading ``'`` so that a spreadsheet shows it instead of
running it. XLSX is written by :func:`nqpf.io.write_tables`, the writer the CLI
uses. LaTeX and HTML escape their special characters instead.
"""

from __future__ import annotations

import html
import io
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from nqpf.formats import DIGITS, flatten, html_table, latex_escape, latex_table
from nqpf.io import neutralise_formulas, write_tables

__all__ = [
    "DIGITS",
    "csv_bytes",
    "flatten",
    "html_report",
    "html_table",
    "latex_escape",
    "latex_table",
    "xlsx_bytes",
    "zip_of_csv",
]


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (so Excel opens Chinese text correctly), formulas neutralised."""
    return b"\xef\xbb\xbf" + neutralise_formulas(flatten(frame)).write_csv().encode("utf-8")


def xlsx_bytes(tables: Mapping[str, pl.DataFrame], meta: Mapping[str, Any] | None = None) -> bytes:
    """One workbook, one sheet per table (plus an ``options`` sheet from ``meta``)."""
    with tempfile.TemporaryDirectory(prefix="nqpf-export-") as folder:
        path = Path(folder) / "tables.xlsx"
        write_tables({_sheet(n): flatten(t) for n, t in tables.items()}, path, meta=meta)
        return path.read_bytes()


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


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
margin:2rem auto;max-width:70rem;color:#222;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
th,td{padding:.2rem .6rem;border-bottom:1px solid #eee}th{text-align:left;background:#f6f6f6}
td.num{text-align:right;font-variant-numeric:tabular-nums}.note,.meta{color:#666;font-size:.8rem}
"""


def html_report(
    title: str,
    sections: Sequence[tuple[str, pl.DataFrame]],
    *,
    meta: Mapping[str, Any] | None = None,
    meta_title: str = "Options",
    lang: str = "en",
    max_rows: int = 500,
    generated: str = "Generated",
) -> bytes:
    """A self-contained HTML page (no scripts, no external files) of the analysis tables."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(lang)}"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="meta">{html.escape(generated)}: {stamp}</p>',
    ]
    if meta:
        options = pl.DataFrame(
            {"option": list(meta), "value": [str(v) for v in meta.values()]},
            schema={"option": pl.String, "value": pl.String},
        )
        parts += [f"<h2>{html.escape(meta_title)}</h2>", html_table(options)]
    for heading, frame in sections:
        parts += [f"<h2>{html.escape(heading)}</h2>", html_table(frame, max_rows=max_rows)]
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")
