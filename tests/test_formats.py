"""The number policy of the human-readable tables (:func:`nqpf.formats.column_format`).

Every check reads the printed text back independently (a regular expression and
``float``) and compares it with the value in the frame: one number of decimals per
column, no scientific notation for ordinary magnitudes, no ``None``/``nan``/``inf``
text, rounding noise (below 1e-12 of the column's scale) as 0, and every other
value within half a unit of the last decimal shown. The Markdown, LaTeX and HTML
tables of one frame show the same number strings.
"""

from __future__ import annotations

import math
import re

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from nqpf.formats import (
    NOT_APPLICABLE,
    column_format,
    format_cell,
    html_table,
    latex_table,
    markdown_table,
)

#: A printed number: sign, integer part, decimals, exponent (read back on its own).
NUMBER = re.compile(r"^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$")
FORBIDDEN = re.compile(r"none|nan|inf", re.IGNORECASE)


@st.composite
def float_columns(draw):
    """A float column at a drawn scale: ordinary values, noise, whole numbers, gaps."""
    scale = 10.0 ** draw(st.integers(-9, 13))
    ordinary = st.floats(-1, 1, allow_nan=False).map(lambda u: u * scale)
    noise = st.floats(-1e-13, 1e-13, allow_nan=False).map(lambda u: u * scale)
    gaps = st.sampled_from([None, math.nan, math.inf, -math.inf])
    whole = st.integers(-1000, 1000).map(float)
    return draw(st.lists(st.one_of(ordinary, noise, gaps, whole), min_size=1, max_size=12))


def _finite(cells):
    return [x for x in cells if x is not None and math.isfinite(x)]


def _parsed(text):
    match = NUMBER.match(text)
    assert match, f"not a plain number: {text!r}"
    sign, _, decimals, exponent = match.groups()
    return float(text), len(decimals or ""), exponent, sign


def _check_column(cells, printed, digits):
    finite = _finite(cells)
    scale = max((abs(x) for x in finite), default=0.0)
    parsed = {}
    for x, text in zip(cells, printed, strict=True):
        assert not FORBIDDEN.search(text), text
        if x is None or not math.isfinite(x):
            assert text == NOT_APPLICABLE
        else:
            parsed[text] = _parsed(text)
    assert len({decimals for _, decimals, _, _ in parsed.values()}) <= 1, printed
    assert len({exp is None for _, _, exp, _ in parsed.values()}) <= 1, printed  # one notation
    noise_floor = 1e-12 * scale if scale >= 1e-12 else math.inf
    shown = [x for x in finite if abs(x) >= noise_floor]
    largest = max((abs(x) for x in shown), default=0.0)
    if 10.0**-digits <= largest < 1e9:  # ordinary magnitudes: fixed decimals
        assert not any("e" in text for text in printed), printed
    for x, text in zip(cells, printed, strict=True):
        if x is None or not math.isfinite(x):
            continue
        back, decimals, exponent, sign = parsed[text]
        if back == 0:
            assert sign == "", text  # no "-0.0000"
        if abs(x) < noise_floor:
            assert back == 0, (x, text, scale)
            continue
        unit = 10.0 ** (-decimals + (int(exponent) if exponent else 0))
        assert abs(back - x) <= unit / 2 + 4 * math.ulp(x), (x, text)


@settings(max_examples=400, deadline=None)
@given(cells=float_columns(), digits=st.integers(1, 6))
def test_a_float_column_has_one_format(cells, digits):
    printed = list(map(column_format(pl.Series(cells, dtype=pl.Float64), digits), cells))
    _check_column(cells, printed, digits)


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(st.one_of(st.none(), st.integers(-(2**62), 2**62)), min_size=1))
def test_counts_stay_integers(cells):
    printed = list(map(column_format(pl.Series(cells, dtype=pl.Int64)), cells))
    for x, text in zip(cells, printed, strict=True):
        assert text == (NOT_APPLICABLE if x is None else str(x))
        assert x is None or int(text) == x


def test_the_reported_noise_is_gone():
    # the Dagum rows users saw: Gt = 9.479e-18 next to G ≈ 0.34, 0.856 next to 0.9532
    g = column_format(pl.Series([0.3379, 0.3368]))
    gt = column_format(pl.Series([9.479e-18, 8.236e-05, 0.0003]))
    mixed = column_format(pl.Series([0.856, 0.9532]))
    assert [g(0.3379), gt(9.479e-18), gt(8.236e-05)] == ["0.3379", "0.0000", "0.0001"]
    assert [mixed(0.856), mixed(0.9532)] == ["0.8560", "0.9532"]
    all_noise = column_format(pl.Series([2e-18, -3.689e-17]))
    assert [all_noise(2e-18), all_noise(-3.689e-17)] == ["0.0000", "0.0000"]
    years = column_format(pl.Series([2000.0, 2001.0]))
    assert years(2000.0) == "2000"
    tiny = column_format(pl.Series([3e-6, 5e-6]))  # 4 decimals would show only zeros
    assert [tiny(3e-6), tiny(5e-6)] == ["3.000e-06", "5.000e-06"]
    assert [format_cell(None), format_cell(math.nan), format_cell(-math.inf)] == ["—"] * 3
    assert column_format(pl.Series(["a", None]))(None) == ""  # text: null stays empty


def _markdown_cells(table):
    rows = table.splitlines()[2:]
    return [row.strip("| ").split(" | ") for row in rows]


def _latex_cells(table):
    lines = table.splitlines()
    body = lines[lines.index(r"\midrule") + 1 : lines.index(r"\bottomrule")]
    return [line.removesuffix(r" \\").split(" & ") for line in body]


def _html_cells(table, width):
    cells = re.findall(r'<td class="(?:num|txt)">(.*?)</td>', table)
    return [cells[i : i + width] for i in range(0, len(cells), width)]


@settings(max_examples=150, deadline=None)
@given(
    a=float_columns(),
    b=float_columns(),
    counts=st.lists(st.one_of(st.none(), st.integers(-5000, 5000)), min_size=12, max_size=12),
    digits=st.integers(1, 6),
)
def test_markdown_latex_and_html_show_the_same_numbers(a, b, counts, digits):
    height = min(len(a), len(b))
    frame = pl.DataFrame(
        {
            "region": [f"r{i}" for i in range(height)],
            "a": pl.Series(a[:height], dtype=pl.Float64),
            "n": pl.Series(counts[:height], dtype=pl.Int64),
            "b": pl.Series(b[:height], dtype=pl.Float64),
        }
    )
    numeric = [1, 2, 3]
    views = [
        _markdown_cells(markdown_table(frame, digits)),
        _latex_cells(latex_table(frame, digits=digits)),
        _html_cells(html_table(frame, digits=digits), frame.width),
    ]
    numbers = [[[row[i] for i in numeric] for row in view] for view in views]
    assert numbers[0] == numbers[1] == numbers[2]
    for i, name in zip(numeric, ["a", "n", "b"], strict=True):
        column = [row[i] for row in views[0]]
        cells = frame.get_column(name).to_list()
        if name == "n":
            assert column == [NOT_APPLICABLE if x is None else str(x) for x in cells]
        else:
            _check_column(cells, column, digits)


def test_a_shortened_html_table_keeps_the_whole_columns_format():
    frame = pl.DataFrame({"x": [1.0, 2.0, 0.5]})
    assert '<td class="num">1.0000</td>' in html_table(frame, max_rows=1)
