"""Fuzzing the CSV reader: any bytes give a table or one InputError line, never a
traceback, and numbers are never silently changed.

Two properties, each over a few thousand hypothesis examples:

1. *No crash*: random CSV-like bytes (random encodings, separators, quotes, ragged rows,
   unclosed quotes, NUL and other control bytes, numbers in odd notations) through
   ``read_table`` and ``read_panel`` + ``entropy_topsis`` raise nothing but InputError,
   and the message is one line.
2. *No silent change*: a generated panel whose cells carry an intended value (or
   "not a number" for ambiguous and invalid spellings) reads to exactly the intended
   values, or fails with an InputError naming a cell that really is not a number.
"""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nqpf
from nqpf.errors import InputError
from nqpf.io import read_table

FUZZ = settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# Cell spellings: (text, the number it means, or None where nqpf must refuse it).
SPELLINGS = [
    ("1.5", 1.5),
    ("-2e-3", -2e-3),
    ("+3", 3.0),
    (".5", 0.5),
    ("5.", 5.0),
    (" 7 ", 7.0),
    ("\u22124.25", -4.25),
    ('"1,234.5"', 1234.5),
    ('"1,234,567"', 1234567.0),
    ('"1,234"', None),  # ambiguous
    ('"0,500"', None),  # a decimal comma
    ("1e400", None),  # overflows to inf: non-finite
    ("abc", None),
    ("12%", None),
    ("0x10", None),
    ("1_000", None),
    ("NaN", "missing"),
    ("NA", "missing"),
    ("", "missing"),
]

text_cell = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), min_codepoint=1), max_size=8
)


def _quote(cell: str, sep: str) -> str:
    if any(ch in cell for ch in (sep, '"', "\n", "\r")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


@st.composite
def messy_csv(draw: st.DrawFn) -> bytes:
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))
    width = draw(st.integers(1, 5))
    header = draw(st.lists(text_cell, min_size=width, max_size=width))
    lines = [sep.join(_quote(h, sep) for h in header)]
    for _ in range(draw(st.integers(0, 6))):
        n = draw(st.integers(0, width + 2))  # ragged rows on purpose
        cells = draw(
            st.lists(
                st.one_of(text_cell, st.sampled_from([s for s, _ in SPELLINGS])),
                min_size=n,
                max_size=n,
            )
        )
        quote = draw(st.booleans())
        lines.append(sep.join(_quote(c, sep) if quote else c for c in cells))
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    if draw(st.booleans()):
        text += "\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 9)) == 0:  # a damaged byte somewhere
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        data = data[:position] + bytes([draw(st.integers(0, 255))]) + data[position + 1 :]
    return data


def _one_line(error: InputError) -> None:
    text = str(error)
    assert "\n" not in text, text
    assert "\r" not in text, text


@FUZZ
@given(data=messy_csv())
def test_any_csv_bytes_give_a_table_or_one_error_line(data: bytes) -> None:
    try:
        frame = read_table(data, name="fuzz.csv")
    except InputError as error:
        _one_line(error)
        return
    assert isinstance(frame, pl.DataFrame)
    # and the panel path: pick the first two columns as region and year
    if frame.width >= 2:
        try:
            panel = nqpf.read_panel(
                data, name="fuzz.csv", region=frame.columns[0], year=frame.columns[1]
            )
            nqpf.entropy_topsis(panel)
        except InputError as error:
            _one_line(error)


@st.composite
def spelled_panel(draw: st.DrawFn) -> tuple[bytes, dict[tuple[int, str], object]]:
    """A 4-region × 2-year panel with indicators a, b; each cell a spelling from SPELLINGS
    or a repr'd random float. Returns the bytes and (file row, column) → intended value."""
    intended: dict[tuple[int, str], object] = {}
    lines = ["region,year,a,b"]
    row = 2
    for year in (2019, 2020):
        for region in "ABCD":
            cells = []
            for column in ("a", "b"):
                if draw(st.integers(0, 3)) == 0:
                    text, value = draw(st.sampled_from(SPELLINGS))
                else:
                    value = draw(st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False))
                    text = repr(value)
                cells.append(text)
                intended[(row, column)] = value
            lines.append(f"{region},{year}," + ",".join(cells))
            row += 1
    return ("\n".join(lines) + "\n").encode(), intended


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=spelled_panel())
def test_numbers_are_read_as_meant_or_the_bad_cell_is_named(
    case: tuple[bytes, dict[tuple[int, str], object]],
) -> None:
    data, intended = case
    spec = nqpf.IndicatorSpec.from_names(["a", "b"])
    error: InputError | None = None
    try:
        values = nqpf.read_panel(data, name="p.csv").indicator_frame(spec, missing="drop")
    except InputError as caught:
        error = caught
    if error is not None:
        _one_line(error)
        if error.row is None:  # e.g. every row dropped, or an indicator constant
            return
        meant = intended[(error.row, error.column)]
        refusable = meant is None or meant == "missing"
        assert refusable or not math.isfinite(meant), (str(error), meant)
        assert meant != "missing" or "missing" in str(error), str(error)
        return
    rows = {(r, y): (a, b) for r, y, a, b in values.select("region", "year", "a", "b").iter_rows()}
    row = 2
    for year in (2019, 2020):
        for region in "ABCD":
            want = (intended[(row, "a")], intended[(row, "b")])
            if "missing" in want:
                assert (region, year) not in rows
            else:
                assert rows[(region, year)] == want, (region, year)
            row += 1


def test_a_column_named_like_a_polars_pattern():
    """Found by the fuzz test: a header cell '*' (polars' wildcard) crashed the typing of
    the columns. The table reads; a panel with such a column is one line naming it (nqpf
    computes with polars, which reads '*' and '^…$' as patterns)."""
    frame = read_table(b"0,*\n,0", name="fuzz.csv")
    assert frame.columns == ["0", "*"]
    assert frame["*"].to_list() == [0]
    for header, year in ((b"region,*,x", "*"), (b"region,year,^x$", "year")):
        data = header + b"\na,2000,1\nb,2000,2\na,2001,3\nb,2001,5\n"
        with pytest.raises(InputError, match="cannot be used: polars") as err:
            nqpf.read_panel(data, name="f.csv", region="region", year=year)
        _one_line(err.value)
    long = b"region,year,indicator,value\na,2000,*,1\nb,2000,*,2\na,2001,*,3\nb,2001,*,4\n"
    with pytest.raises(InputError, match="column '\\*' cannot be used"):
        nqpf.read_panel(long, name="long.csv", region="region", year="year")
