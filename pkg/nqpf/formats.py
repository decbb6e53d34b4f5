"""Tables as text for papers and pages: Markdown, LaTeX (booktabs) and HTML.

One implementation for :mod:`nqpf.report` and the app's exports. Numbers are shown
with ``digits`` decimals (general format for very small or large magnitudes);
LaTeX and HTML escape their special characters. Spreadsheet formats (CSV, XLSX)
are written by :mod:`nqpf.io`, which neutralises formula-like cells instead.
"""

from __future__ import annotations

import html
import math
from typing import Any

import polars as pl

#: Decimals shown by default (CSV and XLSX keep full precision).
DIGITS = 4


def flatten(frame: pl.DataFrame) -> pl.DataFrame:
    """Nested columns (lists, structs) as text, so every format can hold them."""
    nested = [c for c, dtype in frame.schema.items() if dtype.is_nested()]
    if not nested:
        return frame
    return frame.with_columns(pl.col(c).map_elements(str, return_dtype=pl.String) for c in nested)


def format_cell(value: Any, digits: int = DIGITS) -> str:
    """One cell as text: floats with ``digits`` decimals, '' for null, 'NaN' for NaN."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if value != 0 and (abs(value) < 10**-digits or abs(value) >= 1e7):
            return f"{value:.{digits}g}"
        return f"{value:.{digits}f}"
    return str(value)


def _rows(frame: pl.DataFrame, digits: int) -> list[list[str]]:
    return [[format_cell(v, digits) for v in row] for row in frame.iter_rows()]


def markdown_table(frame: pl.DataFrame, digits: int = DIGITS) -> str:
    """A GitHub-flavoured Markdown table (numbers right-aligned)."""
    frame = flatten(frame)
    numeric = [t.is_numeric() for t in frame.dtypes]
    header = "| " + " | ".join(c.replace("|", "\\|") for c in frame.columns) + " |"
    rule = "|" + "|".join("---:" if n else ":---" for n in numeric) + "|"
    body = [
        "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in _rows(frame, digits)
    ]
    return "\n".join([header, rule, *body])


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(char, char) for char in text)


def latex_table(
    frame: pl.DataFrame, *, caption: str = "", label: str = "", digits: int = DIGITS
) -> str:
    """A booktabs ``table`` environment; numbers right-aligned, text left-aligned."""
    frame = flatten(frame)
    align = "".join("r" if dtype.is_numeric() else "l" for dtype in frame.schema.values())
    lines = [r"\begin{table}[htbp]", r"\centering"]
    if caption:
        lines.append(rf"\caption{{{latex_escape(caption)}}}")
    if label:
        lines.append(rf"\label{{{latex_escape(label)}}}")
    lines += [
        rf"\begin{{tabular}}{{{align}}}",
        r"\toprule",
        " & ".join(latex_escape(c) for c in frame.columns) + r" \\",
        r"\midrule",
        *(" & ".join(latex_escape(c) for c in row) + r" \\" for row in _rows(frame, digits)),
        r"\bottomrule",
        r"\end{tabular}",
        r"\end{table}",
    ]
    return "\n".join(lines)


def html_table(frame: pl.DataFrame, *, digits: int = DIGITS, max_rows: int | None = None) -> str:
    """An HTML table; cells carry class ``num`` or ``txt`` for alignment."""
    frame = flatten(frame)
    shown = frame if max_rows is None else frame.head(max_rows)
    numeric = [dtype.is_numeric() for dtype in frame.schema.values()]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{"num" if is_num else "txt"}">{html.escape(cell)}</td>'
            for cell, is_num in zip(row, numeric, strict=True)
        )
        + "</tr>"
        for row in _rows(shown, digits)
    )
    note = ""
    if max_rows is not None and frame.height > max_rows:
        note = f'<p class="note">{max_rows} / {frame.height}</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"
