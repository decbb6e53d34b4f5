"""Tables and text for papers and pages: Markdown, LaTeX (booktabs) and HTML.

One implementation for :mod:`nqpf.report` and the app's exports. Numbers follow one
policy, :func:`column_format` (declared once, used by the three table writers): a
column is shown with one number of decimals (``digits``, default 4), rounding noise
below ``1e-12`` of the column's scale as 0, a not-applicable cell (null, NaN, ±∞) as
"—". A column declared of a quantity kind by its name (:data:`KINDS`) has that kind's
decimals: a share (contribution rate) as a percent with 2 (0.2345 → ``23.45%``), a
p-value with 3, an index with 4; an estimate of :data:`STARRED` (β, a trend's slope)
carries the significance stars of its p-value (:data:`STARS`), explained under the
table (:data:`STARS_NOTE`). Only these human-readable tables round: the data formats
(CSV, XLSX, JSON, by :mod:`nqpf.io`) keep every digit and neutralise formula-like
cells instead; XLSX shows the same decimals as Excel number formats
(:attr:`NumberStyle.excel`).

Every string a user can influence — region, group, indicator and file names,
titles, captions, notes — is written through the escape of its format, so that
it shows as the text it is and never becomes markup:

* :func:`clean_text` first (all formats): line breaks and tabs become spaces, other
  control characters and lone surrogates become U+FFFD. A newline would end a LaTeX
  comment or a Markdown table row, and start a Markdown heading.
* :func:`latex_escape`: every TeX special (``\\ & % $ # _ { } ~ ^``), plus ``[ ]``
  (read as an optional argument after ``\\\\`` or ``\\toprule``), ``*`` (``\\\\*``),
  ``< > |`` (wrong glyphs in OT1 fonts), ``' ``` (curly quotes) and the ligatures
  ``--`` (a dash) and ``,,`` („). ``"`` stays: no command prints it in every font
  encoding (``report.tex`` turns the font's quote mapping off).
  :func:`latex_label` makes a valid, ASCII ``\\label`` key.
* :func:`markdown_escape`: ``& < >`` as HTML entities (no raw HTML passes, whatever
  the renderer), a backslash before inline markup (emphasis, code, links and images,
  tables, strikethrough, math) and before a block marker at the start (heading,
  list, quote), and bare URLs broken so that they stay text.
* :func:`html_escape`: :func:`html.escape` (quotes included, for attributes).
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl

#: Decimals shown by default (CSV and XLSX keep full precision).
DIGITS = 4


def flatten(frame: pl.DataFrame) -> pl.DataFrame:
    """Nested columns (lists, structs) and binary columns as text, so every format can hold them."""
    nested = [c for c, dtype in frame.schema.items() if dtype.is_nested() or dtype == pl.Binary]
    if not nested:
        return frame
    return frame.with_columns(
        pl.col(c).map_elements(_nested_text, return_dtype=pl.String) for c in nested
    )


def _nested_text(value: Any) -> str:
    return value.hex() if isinstance(value, bytes) else str(value)


#: A not-applicable numeric cell (null, NaN, +∞, −∞): an em dash, as journals print it.
#: ±∞ is not shown as "∞": in a result it only comes from a degenerate input (a zero
#: denominator), and pdflatex has no text-mode glyph for U+221E; U+2014 is
#: ``\textemdash`` in every LaTeX font encoding.
NOT_APPLICABLE = "\u2014"

#: Relative size below which a value is rounding noise and shown as 0: ``|x| <
#: NOISE · max|column|`` (``Gt = 2e-18`` next to ``G ≈ 0.3``), or every value when
#: the whole column is below ``NOISE`` in magnitude.
NOISE = 1e-12

#: From this magnitude on a float column is shown in scientific notation (its fixed
#: decimals would be digits a double does not hold, and the numbers unreadable).
LARGE = 1e12

#: Whole-number float columns are shown as integers while a double holds them exactly.
_EXACT_INTEGER = 2.0**53

Formatter = Callable[[Any], str]


#: The quantity kinds a column can be declared as (:data:`KINDS`), and how each prints:
#: ``index`` with 4 decimals, ``share`` (a contribution rate or share, stored as a
#: fraction) as a percent with 2 decimals (0.2345 → ``23.45%``), ``pvalue`` with 3
#: decimals. A column of no kind follows the general rule below (``digits`` decimals).
KIND_DECIMALS: dict[str, int] = {"index": 4, "share": 2, "pvalue": 3}

#: The kind of each column, by its name, declared here once for every table of every
#: result (the shares of the Dagum decomposition, the p-values of the convergence tests,
#: the index). Never guessed from the values: a column not named here has no kind.
KINDS: dict[str, str] = {
    **dict.fromkeys(("Gw_share", "Gnb_share", "Gt_share", "Ggb_share"), "share"),
    **dict.fromkeys(("p", "p_value", "pvalue"), "pvalue"),
    **dict.fromkeys(("score", "mean_score", "G", "Gw", "Gnb", "Gt", "Gjj", "Gjh"), "index"),
}

#: Estimates that carry significance stars, by column name → the column of the p-value
#: that qualifies them (in the same table): the slope of the σ-convergence trend and the
#: β of β-convergence.
STARRED: dict[str, str] = {"beta": "p", "slope": "p"}

#: Significance stars: (threshold, stars), the smallest first; p < threshold earns them.
STARS: tuple[tuple[float, str], ...] = ((0.01, "***"), (0.05, "**"), (0.1, "*"))

#: The note under a table whose estimates carry stars.
STARS_NOTE = "*** p < 0.01, ** p < 0.05, * p < 0.1."


def stars(p: Any) -> str:
    """The significance stars of a p-value (:data:`STARS`); none for a missing p."""
    if p is None or not math.isfinite(float(p)):
        return ""
    return next((mark for threshold, mark in STARS if float(p) < threshold), "")


def column_key(name: str) -> str:
    """The column a header stands for: ``name`` itself, or — in a table whose headers a
    report translated (:attr:`nqpf.report.ReportTable.display`) — the nqpf column the
    header shows (:func:`nqpf.translations.column_key`), so that a translated table
    keeps its kinds and stars."""
    if name in KINDS or name in STARRED or name in STARRED.values():
        return name
    from nqpf.translations import column_key as translated

    return translated(name) or name


def column_kind(name: str) -> str | None:
    """The declared kind of a column (:data:`KINDS`; a translated header has its
    column's), None when it has none."""
    return KINDS.get(column_key(name))


@dataclass(frozen=True)
class NumberStyle:
    """How the numbers of one float column are shown: ``decimals`` fixed decimals, as
    a percent (×100, ``%``) or in scientific notation; values below ``floor`` in
    magnitude are 0. Decided once per column by :func:`number_style`, it is both the
    text of a cell (:meth:`text`) and the Excel number format of XLSX (:attr:`excel`)."""

    decimals: int
    percent: bool = False
    scientific: bool = False
    floor: float = math.inf

    def text(self, value: Any) -> str:
        if value is None:
            return NOT_APPLICABLE
        x = float(value)
        if not math.isfinite(x):
            return NOT_APPLICABLE
        x = 0.0 if abs(x) < self.floor else x
        if self.percent:
            x *= 100
        text = format(x, f".{self.decimals}{'e' if self.scientific else 'f'}")
        if text.startswith("-") and float(text) == 0:  # -0.0000: a zero has no sign
            text = text[1:]
        return text + "%" if self.percent else text

    @property
    def excel(self) -> str:
        """The Excel number format that shows a cell as :meth:`text` does (the cell
        keeps its full-precision number): ``0.0000``, ``0.00%``, ``0.000E+00``, ``0``."""
        digits = "0" + ("." + "0" * self.decimals if self.decimals else "")
        if self.scientific:
            return digits + "E+00"
        return digits + ("%" if self.percent else "")


def number_style(
    values: Iterable[Any], digits: int = DIGITS, kind: str | None = None
) -> NumberStyle:
    """The :class:`NumberStyle` of a float column (the rule of :func:`column_format`).

    A column of a declared ``kind`` (:data:`KIND_DECIMALS`) always has that kind's
    fixed decimals (a share as a percent), never scientific notation and never the
    whole-number rule: a p-value of 0 prints ``0.000``, a share of 1 ``100.00%``.
    """
    finite = [x for x in (float(v) for v in values if v is not None) if math.isfinite(x)]
    scale = max((abs(x) for x in finite), default=0.0)
    floor = NOISE * scale if scale >= NOISE else math.inf
    if kind in KIND_DECIMALS:
        return NumberStyle(KIND_DECIMALS[kind], percent=kind == "share", floor=floor)
    largest = max((0.0 if abs(x) < floor else abs(x) for x in finite), default=0.0)
    if all(x.is_integer() and abs(x) < _EXACT_INTEGER for x in finite):
        return NumberStyle(0, floor=floor)
    if largest >= LARGE or 0 < largest < 0.5 * 10.0**-digits:
        return NumberStyle(max(digits - 1, 0), scientific=True, floor=floor)
    return NumberStyle(digits, floor=floor)


def column_format(
    values: Iterable[Any], digits: int = DIGITS, kind: str | None = None
) -> Formatter:
    """The formatter of one column: every cell of the column is shown by it.

    The policy (one declaration for Markdown, LaTeX and HTML tables):

    * integer columns (counts, ranks, years) as integers; booleans as ``yes``/``no``;
    * float columns with ONE number of decimals for the whole column: ``digits``
      (default 4), or 0 when every finite value is a whole number (below 2**53);
    * rounding noise, ``|x| < NOISE · s`` with ``s = max |x|`` over the column's
      finite values (or every value when ``s < NOISE``), as 0 with the column's
      decimals; a result that rounds to zero is shown without a minus sign;
    * scientific notation only for a whole column whose largest magnitude ``s``
      the fixed decimals cannot show: ``s < 10**-digits / 2`` (every value would
      read 0.0000) or ``s >= LARGE``; then every cell of the column is
      ``f"{x:.{digits - 1}e}"`` (``digits`` significant digits);
    * null, NaN and ±∞ in a numeric or boolean column as :data:`NOT_APPLICABLE`;
    * text (and dates, anything else) as ``str``, null as ``""``: each writer
      escapes it.

    ``values`` is a :class:`polars.Series` (its dtype decides the kind) or any
    iterable of cells (their Python types decide; all null counts as numeric).
    The cells keep their full precision in the frame: only the text rounds.

    ``kind`` (``"index"``, ``"share"``, ``"pvalue"``; a table's columns get theirs
    from :data:`KINDS` by name) fixes the decimals of a float column: see
    :func:`number_style`.
    """
    if isinstance(values, pl.Series):
        dtype = values.dtype
        cells = values.to_list()
        if dtype == pl.Boolean:
            return _boolean
        if dtype.is_integer():
            return _integer
        if not dtype.is_numeric() and dtype != pl.Null:
            return _text
    else:
        cells = list(values)
        present = [v for v in cells if v is not None]
        if present and all(isinstance(v, bool) for v in present):
            return _boolean
        if not all(_is_number(v) for v in present):
            return _text
        if all(isinstance(v, int) for v in present):
            return _integer
    return number_style(cells, digits, kind).text


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _boolean(value: Any) -> str:
    if value is None:
        return NOT_APPLICABLE
    return "yes" if value else "no"


def _integer(value: Any) -> str:
    return NOT_APPLICABLE if value is None else str(int(value))


def format_cell(value: Any, digits: int = DIGITS) -> str:
    """One cell on its own as :func:`column_format` shows it (a column of one cell).

    In a table use :func:`column_format` on the whole column: the decimals and the
    noise floor are the column's.
    """
    return column_format([value], digits)(value)


_LINE_BREAKS = frozenset("\n\r\t\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def clean_text(text: Any) -> str:
    """``text`` as one line of printable text.

    Line and paragraph breaks (every character :meth:`str.splitlines` breaks on)
    and tabs become a space; other control characters (Unicode category Cc), the
    non-characters U+FFFE/U+FFFF and lone surrogates (undecodable bytes of a file
    name) become U+FFFD, so that no writer meets a character it cannot encode.
    """
    text = str(text)
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char in _LINE_BREAKS:
            out.append(" ")
        elif (
            unicodedata.category(char) in ("Cc", "Cs")
            or char in "\ufffe\uffff"
            or 0xD800 <= ord(char) <= 0xDFFF
        ):
            out.append("\ufffd")
        else:
            out.append(char)
    return "".join(out)


def _rows(frame: pl.DataFrame, digits: int, max_rows: int | None = None) -> list[list[str]]:
    """The cells of ``frame`` as text, each column by its :func:`column_format` and
    declared kind (:data:`KINDS`; decided on the whole column, also when only
    ``max_rows`` rows are shown), an estimate of :data:`STARRED` with the stars of
    its row's p-value."""
    shown = frame if max_rows is None else frame.head(max_rows)
    columns = []
    for name in frame.columns:
        cells = list(
            map(column_format(frame.get_column(name), digits, column_kind(name)), shown[name])
        )
        if _starred(frame, name):
            marks = map(stars, shown.get_column(_partner(frame, name)))
            cells = [c if c == NOT_APPLICABLE else c + m for c, m in zip(cells, marks, strict=True)]
        columns.append(cells)
    return [list(row) for row in zip(*columns, strict=True)]


def _starred(frame: pl.DataFrame, name: str) -> bool:
    """True when column ``name`` is an estimate of :data:`STARRED` whose numeric p-value
    column is in ``frame``."""
    partner = _partner(frame, name)
    return (
        partner is not None
        and frame.schema[name].is_numeric()
        and frame.schema[partner].is_numeric()
    )


def _partner(frame: pl.DataFrame, name: str) -> str | None:
    """The column of ``frame`` holding the p-value of estimate ``name`` (:data:`STARRED`,
    also under translated headers), None when there is none."""
    wanted = STARRED.get(column_key(name))
    if wanted is None:
        return None
    if wanted in frame.columns:
        return wanted
    return next((c for c in frame.columns if column_key(c) == wanted), None)


def star_note(frame: pl.DataFrame) -> str:
    """:data:`STARS_NOTE` when some estimate of ``frame`` carries stars, else ``""``:
    the note every table writer puts under such a table."""
    return STARS_NOTE if any(_starred(frame, name) for name in frame.columns) else ""


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------

#: Inline markup of CommonMark / GitHub Markdown (emphasis, code, links and images,
#: tables, strikethrough, math): backslash-escaped wherever it occurs.
_MARKDOWN_INLINE = frozenset("\\`*_[]|~$")
_HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
#: A block marker at the start of a text: heading, list, quote, setext underline,
#: ordered list ("1." / "1)").
_MARKDOWN_BLOCK = re.compile(r"^([#+\-=>])|^(\d+)([.)])")


def markdown_escape(text: Any) -> str:
    """``text`` as literal Markdown inline text (see the module docstring).

    ``& < >`` become entities, so no raw HTML (``<script>``, ``<img onerror>``) and no
    ``<…>`` autolink passes, whatever the renderer; inline markup characters get a
    backslash; a block marker at the start (``#``, ``-``, ``+``, ``=``, ``1.``) gets a
    backslash; ``://`` and ``www.`` are broken so that no bare URL becomes a link.
    """
    out = []
    for char in clean_text(text).strip(" "):  # leading spaces: an indented code block
        if char in _HTML_ENTITIES:
            out.append(_HTML_ENTITIES[char])
        elif char in _MARKDOWN_INLINE:
            out.append("\\" + char)
        else:
            out.append(char)
    escaped = "".join(out)
    escaped = _MARKDOWN_BLOCK.sub(
        lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), escaped
    )
    escaped = re.sub(r":(?=//)", r"\\:", escaped)
    return re.sub(r"(?i)\b(www)\.", r"\1\\.", escaped)


def markdown_table(frame: pl.DataFrame, digits: int = DIGITS) -> str:
    """A GitHub-flavoured Markdown table (numbers right-aligned, every text escaped)."""
    frame = flatten(frame)
    if frame.width == 0:
        return ""
    numeric = [t.is_numeric() for t in frame.dtypes]
    header = "| " + " | ".join(markdown_escape(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---:" if n else ":---" for n in numeric) + "|"
    body = [
        "| "
        + " | ".join(
            cell.replace("*", "\\*") if is_num else markdown_escape(cell)
            for cell, is_num in zip(row, numeric, strict=True)
        )
        + " |"
        for row in _rows(frame, digits)
    ]
    note = star_note(frame)
    return "\n".join([header, rule, *body, *(["", markdown_escape(note)] if note else [])])


# ---------------------------------------------------------------------------
# LaTeX
# ---------------------------------------------------------------------------

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
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    "[": "{[}",
    "]": "{]}",
    "*": "{*}",
    "'": r"\textquotesingle{}",
    "`": r"\textasciigrave{}",
}


def latex_escape(text: Any) -> str:
    """``text`` as literal LaTeX text, safe in any argument, cell or comment.

    After :func:`clean_text` (so a newline cannot end a ``%`` comment), each
    special character is replaced by the command that prints it; ``--`` is broken
    into ``-{}-`` so that it prints two hyphens, not a dash. The commands are the
    LaTeX kernel's (≥ 2020), defined in every font encoding.
    """
    escaped = "".join(_LATEX_SPECIAL.get(char, char) for char in clean_text(text))
    for pair, broken in (("--", "-{}-"), (",,", ",{},")):  # ligatures: a dash, „
        escaped = escaped.replace(pair, broken).replace(pair, broken)
    return escaped


def latex_label(text: Any, taken: Iterable[str] = ()) -> str:
    """A valid ``\\label`` key for ``text``: ASCII letters, digits and ``: . - _``
    kept, runs of anything else as one ``-``; ``label`` when nothing is left; a
    number appended (``-2``, ``-3``, …) while the key is in ``taken``."""
    key = re.sub(r"[^A-Za-z0-9:._-]+", "-", clean_text(text)).strip("-") or "label"
    used = set(taken)
    candidate, number = key, 1
    while candidate in used:
        number += 1
        candidate = f"{key}-{number}"
    return candidate


def latex_table(
    frame: pl.DataFrame,
    *,
    caption: str = "",
    label: str = "",
    digits: int = DIGITS,
    note: str = "",
) -> str:
    """A booktabs ``table`` environment; numbers right-aligned, text left-aligned.

    Every header, cell, the caption and the ``note`` (a small paragraph under the
    tabular) go through :func:`latex_escape`; ``label`` through :func:`latex_label`.
    """
    frame = flatten(frame)
    align = "".join("r" if dtype.is_numeric() else "l" for dtype in frame.schema.values())
    lines = [r"\begin{table}[htbp]", r"\centering"]
    if caption:
        lines.append(rf"\caption{{{latex_escape(caption)}}}")
    if label:
        lines.append(rf"\label{{{latex_label(label)}}}")
    if frame.width == 0:
        return "\n".join([*lines, r"\end{table}"])
    lines += [
        rf"\begin{{tabular}}{{{align}}}",
        r"\toprule",
        " & ".join(latex_escape(c) for c in frame.columns) + r" \\",
        r"\midrule",
        *(" & ".join(latex_escape(c) for c in row) + r" \\" for row in _rows(frame, digits)),
        r"\bottomrule",
        r"\end{tabular}",
    ]
    note = " ".join(filter(None, (note, star_note(frame))))  # the stars' legend
    if note:
        lines.append(rf"\par\medskip{{\footnotesize {latex_escape(note)}\par}}")
    lines.append(r"\end{table}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------


def html_escape(text: Any) -> str:
    """``text`` as literal HTML text (also safe inside a quoted attribute value)."""
    return html.escape(clean_text(text), quote=True)


def html_id(text: Any, taken: Iterable[str] = ()) -> str:
    """An HTML ``id`` (and URL fragment) for ``text``: letters, digits, ``-`` and ``_``
    (any script), anything else as ``-``; numbered while in ``taken``."""
    key = "".join(c if c.isalnum() or c in "-_" else "-" for c in clean_text(text)).strip("-")
    key = key or "section"
    used = set(taken)
    candidate, number = key, 1
    while candidate in used:
        number += 1
        candidate = f"{key}-{number}"
    return candidate


def html_table(frame: pl.DataFrame, *, digits: int = DIGITS, max_rows: int | None = None) -> str:
    """An HTML table; cells carry class ``num`` or ``txt`` for alignment."""
    frame = flatten(frame)
    numeric = [dtype.is_numeric() for dtype in frame.schema.values()]
    head = "".join(f"<th>{html_escape(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{"num" if is_num else "txt"}">{html_escape(cell)}</td>'
            for cell, is_num in zip(row, numeric, strict=True)
        )
        + "</tr>"
        for row in _rows(frame, digits, max_rows)
    )
    note = ""
    if max_rows is not None and frame.height > max_rows:
        note = f'<p class="note">{max_rows} / {frame.height}</p>'
    if star_note(frame):
        note += f'<p class="note">{html_escape(star_note(frame))}</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"
