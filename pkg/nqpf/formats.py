"""Tables and text for papers and pages: Markdown, LaTeX (booktabs) and HTML.

LaTeX tables (:func:`latex_table`) are journal three-line tables that fit the page:
a ``threeparttable`` float (caption, table notes) up to :data:`LATEX_LONG_ROWS` rows, a
``longtable`` split across pages beyond; a table wider than the text is set in
``\\footnotesize``, on a landscape page, cut into column parts (long tables) or scaled
to the text width (floats), chosen from an estimate of its width
(:func:`text_width_em`). :func:`latex_document` makes a ``.tex`` file of them that
compiles on its own with pdflatex (English; Chinese through CJKutf8) or xelatex
(Chinese through ctex) and can be ``\\input`` into a paper that loads
:data:`LATEX_PREAMBLE`. Word tables are :mod:`nqpf.word`'s.

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
from collections.abc import Callable, Iterable, Sequence
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

    @property
    def printf(self) -> str:
        """The printf format that shows a cell as :meth:`text` does, for a front that
        formats numbers itself (the app's tables): ``%.4f``, ``%.3e``, ``%.0f``; a
        percent is the caller's to show (its number is ×100)."""
        return f"%.{self.decimals}{'e' if self.scientific else 'f'}"


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


#: The page a LaTeX table's layout is chosen for: the text width (pt) of the standalone
#: document (A4, 2 cm margins) upright and in landscape. A paper with narrower text
#: still gets every float inside its text: a float wider than ``\linewidth`` is scaled
#: down to it when typeset (see :func:`latex_table`).
LATEX_TEXT_WIDTH = 483.0
LATEX_LANDSCAPE_WIDTH = 731.0

#: Tables with more body rows than this are a ``longtable`` (split across pages, the
#: header repeated) instead of a float (a float cannot break and would run off the page).
LATEX_LONG_ROWS = 40

#: A text cell wider than this (in em) wraps in a ragged-right box of this width.
LATEX_WRAP_EM = 16.0

#: Font size command, font size (pt) and ``\tabcolsep`` (pt) of each size a table may
#: be set in: the document's, then ``\footnotesize`` with narrower column gaps.
_LATEX_SIZES = (("", 10.0, 6.0), (r"\footnotesize\setlength{\tabcolsep}{4pt}", 8.0, 4.0))

#: The words the tables add, by language (``"en"``, ``"zh"``).
_LATEX_WORDS = {
    "en": {"note": "Note: ", "continued": r"\tablename~\thetable{} (continued)"},
    "zh": {"note": "注：", "continued": r"续\tablename\thetable"},
}

_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def _latex_words(language: str) -> dict[str, str]:
    return _LATEX_WORDS.get(language, _LATEX_WORDS["en"])


def text_width_em(text: str) -> float:
    """Estimated width of ``text`` in em, a little over the widths of Latin Modern
    (and Times): 1 for a wide (CJK) character, 0.5 for a digit (exact), 0.46 for a
    lower-case letter, 0.75 for a capital, 0.6 for ``_`` (``\\_`` in T1), 0.35 for a
    space and the narrow punctuation ``.,:;'()``, 0.5 for anything else. The LaTeX and
    Word tables choose their layout by it."""
    return sum(_char_em(c) for c in text)


def _char_em(char: str) -> float:
    if unicodedata.east_asian_width(char) in "WF":
        return 1.0
    if char.islower():
        return 0.46
    if char.isupper():
        return 0.75
    return _NARROW_EM.get(char, 0.5)


_NARROW_EM = {
    "_": 0.6,
    " ": 0.35,
    ".": 0.35,
    ",": 0.35,
    ":": 0.35,
    ";": 0.35,
    "'": 0.35,
    "(": 0.4,
    ")": 0.4,
}


def _header_lines(name: str, limit: float) -> list[str]:
    """A header cut after ``_``, ``/``, ``-`` or a space into lines of at most ``limit``
    em (a word longer than that is a line of its own)."""
    lines: list[str] = []
    for piece in re.split(r"(?<=[_/\s-])", clean_text(name)):
        if lines and text_width_em(lines[-1] + piece) <= limit:
            lines[-1] += piece
        elif piece:
            lines.append(piece)
    return [line.strip() for line in lines if line.strip()] or [""]


@dataclass(frozen=True)
class _LatexColumn:
    """One column of a LaTeX table: alignment, header lines, cell texts, width (em)."""

    align: str
    header: list[str]
    cells: list[str]
    width: float


def _latex_columns(frame: pl.DataFrame, digits: int) -> list[_LatexColumn]:
    """Step of :func:`latex_table`: each column's escaped cells and estimated width."""
    rows = _rows(frame, digits)
    columns = []
    for j, dtype in enumerate(frame.schema.values()):
        texts = [row[j] for row in rows]
        content = max((text_width_em(t) for t in texts), default=0.0)
        cells = []
        for text in texts:
            if not dtype.is_numeric() and text_width_em(text) > LATEX_WRAP_EM:
                cells.append(
                    rf"\parbox[t]{{{LATEX_WRAP_EM:g}em}}{{\raggedright\hspace{{0pt}}"
                    rf"{latex_escape(text)}}}"
                )
            else:
                cells.append(latex_escape(text))
        content = min(content, LATEX_WRAP_EM)
        header = _header_lines(frame.columns[j], max(content, 6.0))
        width = max(content, *(text_width_em(line) for line in header))
        columns.append(_LatexColumn("r" if dtype.is_numeric() else "l", header, cells, width))
    return columns


#: Share of the text width a table may fill by the estimate: :func:`text_width_em` counts
#: average letters, a header of capitals or ``_`` is wider.
_LATEX_FILL = 0.96


def _latex_width(columns: Sequence[_LatexColumn], size: int) -> float:
    """Estimated width (pt) of ``columns`` set in :data:`_LATEX_SIZES` ``[size]``,
    divided by :data:`_LATEX_FILL` (to compare with the text width)."""
    _, font, sep = _LATEX_SIZES[size]
    return sum(c.width * font + 2 * sep for c in columns) / _LATEX_FILL


def _latex_layout(columns: Sequence[_LatexColumn]) -> tuple[bool, int] | None:
    """(landscape, size) of the first layout the columns fit: upright in the document's
    size, upright in ``\\footnotesize``, landscape in ``\\footnotesize``; None if none."""
    for landscape, size in ((False, 0), (False, 1), (True, 1)):
        page = LATEX_LANDSCAPE_WIDTH if landscape else LATEX_TEXT_WIDTH
        if _latex_width(columns, size) <= page:
            return landscape, size
    return None


def _latex_header(columns: Sequence[_LatexColumn]) -> str:
    cells = []
    for column in columns:
        lines = [latex_escape(line) for line in column.header]
        if len(lines) == 1:
            cells.append(lines[0])
        else:  # a header of several lines, bottom-aligned over its column
            cells.append(
                rf"\begin{{tabular}}[b]{{@{{}}{column.align}@{{}}}}"
                + r"\\".join(lines)
                + r"\end{tabular}"
            )
    return " & ".join(cells) + r" \\"


def _latex_body(columns: Sequence[_LatexColumn]) -> list[str]:
    return [" & ".join(row) + r" \\" for row in zip(*(c.cells for c in columns), strict=True)]


def _latex_float(
    columns: list[_LatexColumn], head: list[str], note: str, layout: tuple[bool, int] | None
) -> list[str]:
    """Step of :func:`latex_table`: a ``table`` float holding a ``threeparttable``
    (caption, booktabs tabular, notes), scaled to ``\\linewidth`` only if wider."""
    landscape, size = layout or (True, 1)
    lines = [r"\begin{landscape}"] if landscape else []
    lines += [r"\begin{table}[htbp]", r"\centering"]
    if _LATEX_SIZES[size][0]:
        lines.append(_LATEX_SIZES[size][0])
    lines += [r"\setbox0=\hbox{\begin{threeparttable}", *head]
    lines += [
        rf"\begin{{tabular}}{{{''.join(c.align for c in columns)}}}",
        r"\toprule",
        _latex_header(columns),
        r"\midrule",
        *_latex_body(columns),
        r"\bottomrule",
        r"\end{tabular}",
    ]
    if note:
        lines += [
            r"\begin{tablenotes}[flushleft]\footnotesize",
            rf"\item[] {note}",
            r"\end{tablenotes}",
        ]
    lines += [
        r"\end{threeparttable}}%",
        # wider than the text (a narrower paper, a wide table): scaled down to fit
        r"\ifdim\wd0>\linewidth\resizebox{\linewidth}{!}{\box0}\else\box0\fi",
        r"\end{table}",
    ]
    if landscape:
        lines.append(r"\end{landscape}")
    return lines


def _latex_chunks(columns: list[_LatexColumn]) -> list[list[_LatexColumn]]:
    """Columns cut into parts that fit a landscape page in ``\\footnotesize``, each part
    repeating the leading text columns (the row's key: region, year …)."""
    keys = []
    for column in columns:
        if column.align != "l" or len(keys) == len(columns) - 1:
            break
        keys.append(column)
    chunks: list[list[_LatexColumn]] = []
    for column in columns[len(keys) :]:
        if chunks and _latex_width([*chunks[-1], column], 1) <= LATEX_LANDSCAPE_WIDTH:
            chunks[-1].append(column)
        else:
            chunks.append([*keys, column])
    return chunks


def _latex_long(
    columns: list[_LatexColumn],
    head: list[str],
    note: str,
    layout: tuple[bool, int] | None,
    words: dict[str, str],
) -> list[str]:
    """Step of :func:`latex_table`: a ``longtable`` (the header repeated on each page
    under "Table n (continued)", a bottom rule on each page), its note after it; a table
    too wide for a landscape page is cut into column parts (:func:`_latex_chunks`)."""
    landscape, size = layout or (True, 1)
    parts = [columns] if layout is not None else _latex_chunks(columns)
    lines = [r"\begin{landscape}"] if landscape else []
    lines += [r"\begingroup", _LATEX_SIZES[size][0]] if _LATEX_SIZES[size][0] else []
    for number, part in enumerate(parts):
        continued = rf"\multicolumn{{{len(part)}}}{{l}}{{{words['continued']}}} \\"
        header = [r"\toprule", _latex_header(part), r"\midrule"]
        first = [*(line.removesuffix(r"\\") for line in head), r"\\"] if number == 0 else []
        lines += [
            rf"\begin{{longtable}}{{{''.join(c.align for c in part)}}}",
            *(first if first else [continued]),
            *header,
            r"\endfirsthead",
            continued,
            *header,
            r"\endhead",
            r"\bottomrule",
            r"\endfoot",
            *_latex_body(part),
            r"\end{longtable}",
        ]
    if note:
        lines.append(rf"{{\footnotesize {note}\par}}")
    if _LATEX_SIZES[size][0]:
        lines.append(r"\endgroup")
    if landscape:
        lines.append(r"\end{landscape}")
    return lines


def latex_table(
    frame: pl.DataFrame,
    *,
    caption: str = "",
    label: str = "",
    digits: int = DIGITS,
    note: str = "",
    language: str = "en",
) -> str:
    """A booktabs table (``\\toprule``/``\\midrule``/``\\bottomrule``, no vertical
    rules); numbers right-aligned with their column's decimals (:func:`column_format`),
    text left-aligned.

    Layout, chosen from the table's estimated width (:data:`LATEX_TEXT_WIDTH`) and
    length (:data:`LATEX_LONG_ROWS`):

    * up to ``LATEX_LONG_ROWS`` rows: a ``table`` float with a ``threeparttable``
      (caption, tabular, the ``note`` as a table note), upright, else in
      ``\\footnotesize``, else on a landscape page (``pdflscape``); a float still wider
      than ``\\linewidth`` when typeset is scaled down to it (``\\resizebox``);
    * more rows: a ``longtable`` split across pages with the header repeated under
      "Table n (continued)" ("续表n" in Chinese), the note after it; a table too wide
      for a landscape page is cut into column parts that repeat the key columns;
    * a text cell wider than :data:`LATEX_WRAP_EM` wraps; a long header is cut after
      ``_ / -`` or a space into lines over its column.

    Every header, cell, the caption and the ``note`` go through :func:`latex_escape`;
    ``label`` through :func:`latex_label`. ``language`` (``"en"``/``"zh"``) chooses
    "Note:"/"注：" and the continuation line. Needs ``booktabs``, ``threeparttable``
    (floats), ``longtable`` (long tables), ``pdflscape`` (landscape) and ``graphicx``
    (the scaling) in the preamble: :func:`latex_document` loads them.
    """
    frame = flatten(frame)
    head = []
    if caption:
        head.append(rf"\caption{{{latex_escape(caption)}}}")
    if label:
        head.append(rf"\label{{{latex_label(label)}}}")
    if frame.width == 0:
        return "\n".join([r"\begin{table}[htbp]", r"\centering", *head, r"\end{table}"])
    words = _latex_words(language)
    columns = _latex_columns(frame, digits)
    layout = _latex_layout(columns)
    note = " ".join(filter(None, (note, star_note(frame))))  # the stars' legend
    text = words["note"] + latex_escape(note) if note else ""
    if frame.height > LATEX_LONG_ROWS:
        return "\n".join(_latex_long(columns, head, text, layout, words))
    return "\n".join(_latex_float(columns, head, text, layout))


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a CJK character (a document then needs a CJK font setup)."""
    return _CJK.search(text) is not None


def latex_document(
    tables: Sequence[str],
    *,
    title: str = "",
    language: str = "en",
    comment: str = "",
    summary: Sequence[str] = (),
) -> str:
    """A ``.tex`` file of ``tables`` (each a :func:`latex_table`) that compiles on its own
    with ``pdflatex``, ``xelatex`` or ``lualatex``, and can also be ``\\input`` into a
    paper (then it writes the tables only; the paper loads the packages of
    :data:`LATEX_PREAMBLE`).

    The preamble is decided from the content and the engine: ``booktabs``,
    ``threeparttable``, ``longtable``, ``pdflscape``, ``graphicx`` always; Chinese
    (``language == "zh"`` or any CJK character) with ``ctex`` under xelatex/lualatex
    (``scheme=chinese`` for a Chinese document: 表1, Chinese typography; ``scheme=plain``
    for an English one with Chinese names), with ``CJKutf8`` under pdflatex (表 for
    "Table" in Chinese); Greek letters and mathematical signs declared for pdflatex.
    Each table is followed by ``\\clearpage`` when the file is compiled on its own.
    ``title`` (escaped) is the first line's comment and the heading, ``summary`` lines
    (escaped) a list under it; ``comment`` one more comment line (escaped).
    """
    body = "\n".join(tables)
    cjk = language == "zh" or has_cjk(body + title)
    lines = [f"% {latex_escape(title)}"] if title else []
    if comment:
        lines.append(f"% {latex_escape(comment)}")
    lines += [
        "% Generated by nqpf. Compile on its own (pdflatex; xelatex for Chinese), or \\input",
        "% it into a paper whose preamble loads booktabs, threeparttable, longtable,",
        "% pdflscape and graphicx (then only the tables are written).",
        _latex_begin(cjk=cjk, language=language, long="\\begin{longtable}" in body),
        rf"{{\centering\Large {latex_escape(title)}\par}}\bigskip" if title else "",
    ]
    shown = [line for line in summary if line]
    if shown:
        lines += [
            r"\begin{itemize}",
            *(rf"\item {latex_escape(line)}" for line in shown),
            r"\end{itemize}",
        ]
    lines.append("")
    for table in tables:
        lines += [table, r"\nqpfaftertable", ""]
    lines.append(r"\nqpfend")
    return "\n".join(lines)


#: The preamble a paper needs to ``\\input`` nqpf's tables (documented in the user docs):
#: the packages :func:`latex_table` uses.
LATEX_PREAMBLE = r"""\usepackage{booktabs}        % \toprule, \midrule, \bottomrule
\usepackage{threeparttable}  % table notes
\usepackage{longtable}       % tables longer than a page
\usepackage{pdflscape}       % landscape pages for wide tables
\usepackage{graphicx}        % \resizebox for a table wider than the text"""


def _latex_begin(*, cjk: bool, language: str, long: bool) -> str:
    """Step of :func:`latex_document`: the preamble, decided by TeX itself between
    ``\\input`` into a paper and compiled on its own, then by engine."""
    if long:  # a clear message instead of "Environment longtable undefined"
        needs = (
            r"  \ifdefined\longtable\else\PackageError{nqpf}{This file has long tables: "
            r"load longtable in the paper's preamble}{See the preamble snippet of the nqpf "
            r"docs.}\fi"
        )
    else:
        needs = ""
    if cjk:
        scheme = "chinese" if language == "zh" else "plain"
        unicode_cjk = (
            rf"    \usepackage[UTF8,scheme={scheme}]{{ctex}}"
            "\n    \\IfFontExistsTF{Noto Serif CJK SC}{\\setCJKmainfont{Noto Serif CJK SC}}{}"
        )
        names = (
            r"\renewcommand\tablename{表}\renewcommand\figurename{图}" if language == "zh" else ""
        )
        pdf_cjk = (
            r"    \IfFileExists{CJKutf8.sty}{\usepackage{CJKutf8}%"
            "\n"
            rf"      \AtBeginDocument{{\begin{{CJK}}{{UTF8}}{{gbsn}}{names}}}"
            r"\AtEndDocument{\end{CJK}}}{}"
        )
    else:
        unicode_cjk = pdf_cjk = ""
    # Chinese journals: "表1  标题", no colon after the number
    captions = r"  \usepackage{caption}\captionsetup{labelsep=quad}" if language == "zh" else ""
    return _LATEX_BEGIN.format(
        captions=captions,
        needs=needs,
        unicode_cjk=unicode_cjk,
        pdf_cjk=pdf_cjk,
        pdf_math=latex_math_declarations("pdflatex"),
        unicode_math=latex_math_declarations("xelatex"),
    )


#: Characters of captions and names the text fonts may lack (Latin Modern has no
#: Greek; pdflatex stops on a character it has no definition for), set from math:
#: one declaration for pdflatex (``\DeclareUnicodeCharacter``) and xelatex/lualatex
#: (``\newunicodechar``).
LATEX_MATH_CHARACTERS = {
    "α": r"\alpha",
    "β": r"\beta",
    "γ": r"\gamma",
    "δ": r"\delta",
    "ε": r"\varepsilon",
    "λ": r"\lambda",
    "μ": r"\mu",
    "ρ": r"\rho",
    "σ": r"\sigma",
    "τ": r"\tau",
    "χ": r"\chi",
    "Δ": r"\Delta",
    "Σ": r"\Sigma",
    "\u2212": "-",
    "≤": r"\leq",
    "≥": r"\geq",
    "≈": r"\approx",
    "→": r"\rightarrow",
    "∞": r"\infty",
    "⁺": "^{+}",
    "⁻": "^{-}",
    "·": r"\cdot",
    "′": r"^{\prime}",
    "η": r"\eta",
    "θ": r"\theta",
    "π": r"\pi",
    "φ": r"\phi",
    "ω": r"\omega",
}


def latex_math_declarations(engine: str = "pdflatex") -> str:
    """The preamble lines that set :data:`LATEX_MATH_CHARACTERS` from math, for a paper
    that inputs nqpf's tables: ``\\DeclareUnicodeCharacter`` for pdflatex,
    ``\\newunicodechar`` (load the package) for xelatex and lualatex."""
    if engine == "pdflatex":
        return _declare_math(r"\DeclareUnicodeCharacter{{{code:04X}}}")
    return _declare_math(r"\newunicodechar{{{char}}}")


def _declare_math(command: str) -> str:
    """``command`` (a format with ``code`` and ``char``) for each of
    :data:`LATEX_MATH_CHARACTERS`, four to a line."""
    items = [
        command.format(code=ord(char), char=char) + rf"{{\ensuremath{{{math}}}}}"
        for char, math in LATEX_MATH_CHARACTERS.items()
    ]
    return "\n".join("    " + "".join(items[i : i + 4]) + "%" for i in range(0, len(items), 4))


_LATEX_BEGIN = r"""\expandafter\ifx\csname @twoclasseserror\endcsname\documentclass
  % \input into a document: tables only (plain rules if the paper has no booktabs, the
  % tables without notes' layout or landscape pages if it lacks those packages)
  \providecommand\toprule{{\hline}}\providecommand\midrule{{\hline}}%
  \providecommand\bottomrule{{\hline}}%
  \ifdefined\threeparttable\else
    \newenvironment{{threeparttable}}{{\begin{{minipage}}{{\linewidth}}\centering}}{{\end{{minipage}}}}%
    \newenvironment{{tablenotes}}[1][]{{\footnotesize\begin{{itemize}}}}{{\end{{itemize}}}}%
  \fi
  \ifdefined\landscape\else\newenvironment{{landscape}}{{}}{{}}\fi
{needs}
  \def\nqpfend{{}}\def\nqpfaftertable{{}}%
\else
  \documentclass[a4paper]{{article}}
  \usepackage[margin=2cm]{{geometry}}
  \usepackage{{booktabs,threeparttable,longtable,pdflscape,graphicx}}
{captions}
  \ifdefined\XeTeXversion\def\nqpfunicode{{}}\fi
  \ifdefined\directlua\def\nqpfunicode{{}}\fi
  \ifdefined\nqpfunicode
{unicode_cjk}
    \usepackage{{fontspec,newunicodechar}}
    % no TeX quote and dash mapping: a name's " ' -- print as they are; Latin Modern (the
    % metrics the layout is estimated with), Greek and mathematical signs from math
    \setmainfont{{Latin Modern Roman}}[Ligatures=TeXOff]
{unicode_math}
  \else
    % pdflatex: UTF-8 text, the Greek and mathematical signs captions use, Chinese through
    % CJKutf8 (where installed); any other character pdflatex has no glyph for prints as
    % a replacement mark instead of stopping the run (xelatex shows every character)
    \usepackage[utf8]{{inputenc}}
    \usepackage[T1]{{fontenc}}
    \usepackage{{textcomp}}
    \IfFileExists{{lmodern.sty}}{{\usepackage{{lmodern}}}}{{}}
{pdf_math}
{pdf_cjk}
    \makeatletter\def\UTFviii@undefined@err#1{{\textbf{{?}}}}\makeatother
  \fi
  \def\nqpfend{{\end{{document}}}}\def\nqpfaftertable{{\clearpage}}%
  \begin{{document}}
\fi"""


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
