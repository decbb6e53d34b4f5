"""The reading layer (nqpf.io.read_table / read_source, nqpf.panel.read_panel).

What is proved here:

- the same numbers in CSV, XLSX and Parquet give **bit-identical** frames and index
  scores (hypothesis over random panels, CSV numbers written by ``repr``, the shortest
  round-trip decimal, so the comparison is exact: no tolerance);
- XLSX cells keep every digit (3.2e-10, 1/3, 1e300), also in columns mixing numbers
  and text;
- missing values: empty cells everywhere, ``NA`` only in numeric columns (a region or
  group "NA" is a name), markers only when the user lists them;
- numbers: decimal comma only when asked, thousands separators only where unambiguous;
- CSV structure: quoted headers, separators, ragged rows and unclosed quotes named by row;
- size bounds before parsing (zip bombs), nested Parquet types, years out of range;
- a user's column named like nqpf's own row column is kept as it is.
"""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import xlsxwriter
import xlsxwriter.worksheet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nqpf
from nqpf.errors import InputError
from nqpf.io import number_text, read_source, read_table, sheet_names


class ExactWorksheet(xlsxwriter.worksheet.Worksheet):
    """xlsxwriter writes numbers with 16 significant digits ("%.16G"), which does not
    round-trip every double; Excel itself writes 17. The fixture writes ``repr`` (the
    shortest round-trip form), as Excel's own files carry every bit."""

    def _xml_number_element(self, number, attributes=()):  # type: ignore[override]
        attr = "".join(f' {k}="{self._escape_attributes(v)}"' for k, v in attributes)
        self.fh.write(f"<c{attr}><v>{float(number)!r}</v></c>")


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """A workbook written cell by cell: numbers as numbers (every bit), text as text."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False}) as book:
        for name, rows in sheets.items():
            sheet = book.add_worksheet(name, worksheet_class=ExactWorksheet)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    if value is None:
                        continue
                    if isinstance(value, str):
                        sheet.write_string(r, c, value)
                    else:
                        sheet.write_number(r, c, value)
    return buffer.getvalue()


def csv_bytes(rows: list[list[object]]) -> bytes:
    def cell(v: object) -> str:
        if v is None:
            return ""
        text = repr(v) if isinstance(v, float) else str(v)
        return f'"{text}"' if any(ch in text for ch in ',"\n') else text

    return "".join(",".join(cell(v) for v in row) + "\n" for row in rows).encode()


def parquet_bytes(rows: list[list[object]]) -> bytes:
    header, body = rows[0], rows[1:]
    frame = pl.DataFrame({h: [r[j] for r in body] for j, h in enumerate(header)}, strict=False)
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


# --- bit-identical across formats ---------------------------------------------------------

finite = st.floats(
    min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False, width=64
).filter(lambda v: v == 0 or abs(v) > 1e-300)


@st.composite
def panels(draw: st.DrawFn) -> list[list[object]]:
    n_regions = draw(st.integers(3, 6))
    years = list(range(2010, 2010 + draw(st.integers(1, 3))))
    k = draw(st.integers(2, 3))
    rows: list[list[object]] = [["region", "year", *[f"x{j}" for j in range(k)]]]
    for year in years:
        for r in range(n_regions):
            rows.append([f"R{r}", year, *[draw(finite) for _ in range(k)]])
    # every indicator must vary over the panel, or its weight is undefined
    for j in range(k):
        column = [row[2 + j] for row in rows[1:]]
        if len(set(column)) == 1:
            rows[1][2 + j] = float(column[0]) + 1.0
    return rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=panels())
def test_csv_xlsx_parquet_give_bit_identical_scores(rows: list[list[object]]) -> None:
    files = {
        "p.csv": csv_bytes(rows),
        "p.xlsx": xlsx_bytes({"data": rows}),
        "p.parquet": parquet_bytes(rows),
    }
    frames = {}
    scores = {}
    for name, data in files.items():
        panel = nqpf.read_panel(data, name=name)
        frames[name] = panel.frame.select(pl.all().exclude("region", "year").cast(pl.Float64))
        try:
            result = nqpf.entropy_topsis(panel)
        except InputError as error:  # e.g. an indicator constant within the panel
            scores[name] = str(error).split(": ", 1)[-1]
        else:
            scores[name] = result.scores.select("region", "year", "score", "rank")
    reference = frames["p.csv"]
    want = np.array([[float(v) for v in row[2:]] for row in rows[1:]])
    np.testing.assert_array_equal(reference.to_numpy(), want)  # exact: repr round-trips
    for name in ("p.xlsx", "p.parquet"):
        assert frames[name].equals(reference), name
        got, ref = scores[name], scores["p.csv"]
        if isinstance(ref, str):
            assert got == ref
        else:
            assert got.equals(ref), name


def test_xlsx_numbers_keep_every_digit() -> None:
    rows = [
        ["region", "year", "x", "mixed"],
        ["A", 2015, 3.2e-10, 1 / 3],
        ["B", 2015, 1 / 3, "note"],
        ["C", 2015, 1e300, 0.1],
    ]
    frame = read_table(xlsx_bytes({"s": rows}), name="p.xlsx")
    assert frame.schema["x"] == pl.Float64
    assert frame["x"].to_list() == [3.2e-10, 1 / 3, 1e300]
    # a column mixing numbers and text is text, each number by its shortest round trip
    assert frame["mixed"].to_list() == [repr(1 / 3), "note", "0.1"]
    assert float(frame["mixed"][0]) == 1 / 3


def test_xlsx_mixed_column_with_na_is_numeric() -> None:
    rows = [["region", "year", "x"], ["A", 2015, 1 / 3], ["B", 2015, "NA"], ["C", 2015, 2.0]]
    frame = read_table(xlsx_bytes({"s": rows}), name="p.xlsx")
    assert frame.schema["x"] == pl.Float64
    assert frame["x"].to_list() == [1 / 3, None, 2.0]


def test_numeric_region_codes_are_the_same_region_in_every_format() -> None:
    rows = [["code", "year", "x"], [110000, 2015, 1.0], [120000, 2015, 2.0], [130000, 2015, 4.0]]
    for name, data in (
        ("p.csv", csv_bytes(rows)),
        ("p.xlsx", xlsx_bytes({"s": rows})),
        ("p.parquet", parquet_bytes(rows)),
    ):
        panel = nqpf.read_panel(data, name=name, region="code")
        assert panel.regions == ["110000", "120000", "130000"], name


def test_leading_zero_codes_stay_text() -> None:
    data = b"region,year,code,x\nA,2015,007,1\nB,2015,010,2\nC,2015,123,3\n"
    frame = read_table(data, name="p.csv")
    assert frame["code"].to_list() == ["007", "010", "123"]
    assert frame.schema["x"] == pl.Int64


# --- sheets -------------------------------------------------------------------------------


def test_sheet_by_name_and_index_and_errors_name_the_sheet() -> None:
    good = [["region", "year", "x"], ["A", 2015, 1.0], ["B", 2015, 2.0]]
    bad = [["region", "year", "x"], ["A", 2015, 1.0], ["B", 2015, "abc"]]
    data = xlsx_bytes({"notes": [["read me"]], "panel": good, "broken": bad})
    assert sheet_names(data, name="w.xlsx") == ["notes", "panel", "broken"]
    assert read_table(data, name="w.xlsx", sheet="panel")["x"].to_list() == [1.0, 2.0]
    assert read_table(data, name="w.xlsx", sheet=1)["x"].to_list() == [1.0, 2.0]
    with pytest.raises(InputError, match=r"no sheet named 'nope'.*'notes', 'panel', 'broken'"):
        read_table(data, name="w.xlsx", sheet="nope")
    with pytest.raises(InputError, match="no sheet number 3"):
        read_table(data, name="w.xlsx", sheet=3)
    panel = nqpf.read_panel(data, name="w.xlsx", sheet="broken")
    with pytest.raises(InputError) as raised:
        panel.indicator_frame(nqpf.IndicatorSpec.from_names(["x"]))
    assert str(raised.value).startswith("w.xlsx, sheet 'broken', row 3, column 'x':")


def test_a_sheet_whose_table_starts_lower_counts_rows_from_there() -> None:
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:
        sheet = book.add_worksheet("s")
        sheet.write_row(2, 1, ["region", "year", "x"])  # header in B3
        sheet.write_row(3, 1, ["A", 2015, 1.0])
        sheet.write_row(4, 1, ["B", 2015, "bad"])
    table = read_source(buffer.getvalue(), name="w.xlsx")
    assert table.first_row == 4
    panel = nqpf.read_panel(buffer.getvalue(), name="w.xlsx")
    with pytest.raises(InputError, match=r"row 5, column 'x'"):
        panel.indicator_frame(nqpf.IndicatorSpec.from_names(["x"]))


# --- missing values -----------------------------------------------------------------------


def test_na_is_a_name_in_text_columns_and_missing_in_numeric_ones() -> None:
    data = (
        b"region,year,continent,x\n"
        b"NA,2015,NA,1\n"  # Namibia, North America
        b"FR,2015,EU,NA\n"
        b"JP,2015,AS,3\n"
    )
    frame = read_table(data, name="p.csv")
    assert frame["region"].to_list() == ["NA", "FR", "JP"]
    assert frame["continent"].to_list() == ["NA", "EU", "AS"]
    assert frame["x"].to_list() == [1, None, 3]
    panel = nqpf.read_panel(data, name="p.csv")
    assert panel.regions == ["NA", "FR", "JP"]
    with pytest.raises(InputError, match="missing value of 'x' for FR 2015"):
        panel.indicator_frame(nqpf.IndicatorSpec.from_names(["x"]))


@pytest.mark.parametrize("marker", ["—", "…", "-", "N/A", ".."])
def test_markers_are_missing_only_when_the_user_says_so(marker: str) -> None:
    data = f"region,year,x,y\nA,2015,1,5\nB,2015,{marker},6\nC,2015,3,8\n".encode()
    spec = nqpf.IndicatorSpec.from_names(["x", "y"])
    with pytest.raises(
        InputError, match=rf"row 3, column 'x'.*na_values=\['{re_escape(marker)}'\]"
    ):
        nqpf.read_panel(data, name="p.csv").indicator_frame(spec)
    panel = nqpf.read_panel(data, name="p.csv", na_values=[marker])
    with pytest.raises(InputError, match="missing value of 'x' for B 2015"):
        panel.indicator_frame(spec)
    filled = panel.indicator_frame(spec, missing="drop")
    assert filled["region"].to_list() == ["A", "C"]
    # the same markers as one comma-separated string (the CLI's and the app's form)
    assert nqpf.read_panel(data, name="p.csv", na_values=f"{marker}, N/A").frame["x"][1] is None


def re_escape(text: str) -> str:
    import re

    return re.escape(text)


# --- numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "decimal", "want"),
    [
        ("1.5", ".", 1.5),
        ("-2e-3", ".", -2e-3),
        ("\u22123.5", ".", -3.5),  # typeset minus sign
        ("1,234,567", ".", 1234567.0),
        ("1,234.5", ".", 1234.5),
        ("1,234", ".", None),  # 1234 or 1.234: ambiguous
        ("0,500", ".", None),  # a decimal comma, not thousands
        ("12,34", ".", None),
        ("0,5", ",", 0.5),
        ("1.234.567", ",", 1234567.0),
        ("1.234,5", ",", 1234.5),
        ("1 234,5", ",", 1234.5),
        ("1.234", ",", None),
        ("1.5", ",", None),
        ("abc", ".", None),
        ("1e", ".", None),
        ("12%", ".", None),
    ],
)
def test_number_grammar(text: str, decimal: str, want: float | None) -> None:
    literal = number_text(text, decimal)
    assert (None if literal is None else float(literal)) == want


def test_decimal_comma_semicolon_csv() -> None:
    data = b"region;year;x;y\nA;2015;0,5;1.234,5\nB;2015;1,25;2\nC;2015;2;3\n"
    frame = read_table(data, name="p.csv", decimal=",")
    assert frame["x"].to_list() == [0.5, 1.25, 2.0]
    assert frame["y"].to_list() == [1234.5, 2.0, 3.0]
    panel = nqpf.read_panel(data, name="p.csv", decimal=",")
    assert panel.frame["x"].to_list() == [0.5, 1.25, 2.0]
    with pytest.raises(InputError, match="decimal"):
        read_table(data, name="p.csv", decimal=";")


# --- CSV structure ------------------------------------------------------------------------


def test_quoted_header_with_a_comma() -> None:
    data = b'region,year,"GDP, per capita",x\nA,2015,1,2\nB,2015,3,4\n'
    assert read_table(data, name="p.csv").columns == ["region", "year", "GDP, per capita", "x"]


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_separator_is_found_from_the_header(sep: str) -> None:
    data = (
        sep.join(["region", "year", "x"]).encode() + b"\n" + sep.join(["A", "2015", "1.5"]).encode()
    )
    assert read_table(data, name="p.csv")["x"].to_list() == [1.5]


def test_ragged_and_unclosed_rows_are_named() -> None:
    with pytest.raises(InputError, match=r"p\.csv, row 3: 4 cells where the header names 3"):
        read_table(b"region,year,x\nA,2015,1\nB,2015,2,9\n", name="p.csv")
    with pytest.raises(InputError, match=r"row 3: 2 cells"):
        read_table(b"region,year,x\nA,2015,1\nB,2015\n", name="p.csv")
    with pytest.raises(InputError, match=r"row 3.*quoted cell is never closed"):
        read_table(b'region,year,x\nA,2015,1\nB,"2015,2\nC,2015,3\n', name="p.csv")
    # trailing separators with nothing in them (spreadsheet exports) are not columns
    assert read_table(b"region,year,x,,\nA,2015,1,,\n", name="p.csv").columns == [
        "region",
        "year",
        "x",
    ]


def test_a_multiline_cell_keeps_spreadsheet_rows() -> None:
    data = b'region,year,note,x\nA,2015,"two\nlines",1\nB,2015,ok,abc\n'
    panel = nqpf.read_panel(data, name="p.csv")
    with pytest.raises(InputError, match=r"row 3, column 'x'"):
        panel.indicator_frame(nqpf.IndicatorSpec.from_names(["x"]))


def test_utf16_with_bom_reads_like_utf8() -> None:
    text = "地区,年份,x\n北京,2015,1.5\n上海,2015,2.5\n"
    a = read_table(text.encode("utf-16"), name="p.csv")
    b = read_table(text.encode("utf-8-sig"), name="p.csv")
    c = read_table(text.encode("gbk"), name="p.csv")
    assert a.equals(b)
    assert b.equals(c)


# --- size bounds --------------------------------------------------------------------------


def test_zip_bomb_is_refused_before_parsing() -> None:
    """A sheet of 400 MB of blanks compresses about 1000×: refused from its sizes alone."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b" " * (1 << 20)
            for _ in range(400):
                sheet.write(chunk)
    data = buffer.getvalue()
    assert len(data) < 1_000_000
    with pytest.raises(InputError, match="unpacks to"):
        read_table(data, name="bomb.xlsx", max_bytes=50 * 1024 * 1024)


def test_unpacked_limit_applies_to_honest_workbooks_too() -> None:
    rows = [["region", "year", "x"], *[[f"R{i}", 2015, float(i)] for i in range(2000)]]
    data = xlsx_bytes({"s": rows})
    assert read_table(data, name="w.xlsx").height == 2000
    with pytest.raises(InputError, match=r"over the .* limit"):
        read_table(data, name="w.xlsx", max_unpacked_bytes=10_000)


# --- types --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "column",
    [
        pl.Series("tags", [[1, 2], [3], []]),
        pl.Series("s", [{"a": 1}, {"a": 2}, {"a": 3}]),
        pl.Series("b", [b"x", b"y", b"z"]),
    ],
)
def test_nested_parquet_columns_are_refused(column: pl.Series) -> None:
    frame = pl.DataFrame({"region": ["A", "B", "C"], "year": [2015] * 3, "x": [1.0, 2.0, 3.0]})
    buffer = io.BytesIO()
    frame.with_columns(column).write_parquet(buffer)
    with pytest.raises(InputError, match=rf"column '{column.name}'.*flat tables"):
        read_table(buffer.getvalue(), name="p.parquet")


@pytest.mark.parametrize("year", ["1e20", "inf", "-inf", "nan", "2015.5", "99999999999"])
def test_years_out_of_range_or_not_whole(year: str) -> None:
    data = f"region,year,x\nA,2015,1\nB,{year},2\n".encode()
    with pytest.raises(InputError, match=r"row 3, column 'year'"):
        nqpf.read_panel(data, name="p.csv")


def test_uint64_years_beyond_int64() -> None:
    frame = pl.DataFrame(
        {
            "region": ["A", "B"],
            "year": pl.Series([2015, 2**63 + 5], dtype=pl.UInt64),
            "x": [1.0, 2.0],
        }
    )
    with pytest.raises(InputError, match=r"row 2, column 'year'.*out of range"):
        nqpf.read_panel(frame)


def test_a_user_column_named_like_the_row_column_is_kept() -> None:
    data = b"region,year,__nqpf_row__,x\nA,2015,a,1\nB,2015,b,2\nC,2015,c,4\n"
    panel = nqpf.read_panel(data, name="p.csv")
    assert panel.row_column != "__nqpf_row__"
    assert panel.frame["__nqpf_row__"].to_list() == ["a", "b", "c"]
    result = nqpf.entropy_topsis(panel, nqpf.IndicatorSpec.from_names(["x"]))
    assert result.scores.height == 3


def test_reading_options_are_checked() -> None:
    data = b"region,year,x\nA,2015,1\n"
    with pytest.raises(InputError, match="separator"):
        read_table(data, name="p.csv", separator=";;")
    with pytest.raises(InputError, match="not text"):
        read_table(data, name="p.csv", na_values=[1])  # type: ignore[list-item]
    with pytest.raises(InputError, match="sheet"):
        read_table(xlsx_bytes({"s": [["a"], [1]]}), name="w.xlsx", sheet=1.5)  # type: ignore[arg-type]


def test_number_text_round_trips_repr() -> None:
    rng = np.random.default_rng(3)
    for value in np.concatenate([rng.normal(size=200), 10.0 ** rng.uniform(-300, 300, 200)]):
        text = repr(float(value))
        assert float(number_text(text)) == value
        assert math.isclose(float(number_text(text.replace(".", ","), ",")), value, rel_tol=0)


def test_files_on_disk_and_bytes_read_the_same(tmp_path: Path) -> None:
    data = b"region,year,x\nA,2015,1.5\nB,2015,2.5\n"
    path = tmp_path / "p.csv"
    path.write_bytes(data)
    assert read_table(path).equals(read_table(data, name="p.csv"))


@settings(max_examples=300, deadline=None)
@given(
    cells=st.lists(
        st.text(alphabet="0123456789+-.,eE '\u2212\u00a0nafiNAIF", max_size=12), max_size=30
    ),
    decimal=st.sampled_from([".", ","]),
)
def test_vectorised_parse_equals_the_scalar_grammar(cells: list[str], decimal: str) -> None:
    """parse_numbers (polars expressions) against number_text (one cell at a time)."""
    from nqpf.io import NUMERIC_NA, parse_numbers

    values, bad = parse_numbers(pl.Series("c", cells, dtype=pl.String), decimal=decimal)
    for cell, value, is_bad in zip(cells, values.to_list(), bad.to_list(), strict=True):
        if cell.strip() in ("", *NUMERIC_NA):
            assert value is None
            assert not is_bad
            continue
        literal = number_text(cell, decimal)
        want = None if literal is None else float(literal)
        assert is_bad == (want is None), cell
        if want is not None:
            assert value == want or (math.isnan(value) and math.isnan(want)), cell


def test_headers_named_like_the_readers_helpers_are_kept() -> None:
    """The reader's own helper names (and positions) never meet a user's header."""
    names = ["c", "v", "s", "blank", "na", "value", "0", "1", "__nqpf_row__", "t", "m"]
    header = ",".join(names)
    data = f"{header}\n" + "\n".join(
        ",".join(str(i * 10 + j) for j in range(len(names))) for i in range(3)
    )
    frame = read_table(data.encode(), name="p.csv")
    assert frame.columns == names
    assert frame.row(2) == tuple(20 + j for j in range(len(names)))


@settings(max_examples=300, deadline=None)
@given(
    header=st.lists(
        st.text(alphabet="abcxyz年份 _", min_size=1, max_size=5).filter(lambda t: t.strip()),
        min_size=1,
        max_size=5,
        unique_by=str.strip,
    ),
    cells=st.lists(st.text(alphabet="01.-e ,;\tA地区NA", max_size=6), max_size=40),
    sep=st.sampled_from([",", ";", "\t"]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_the_unquoted_fast_path_reads_what_the_csv_module_reads(
    header: list[str], cells: list[str], sep: str, newline: str
) -> None:
    """nqpf.io._read_unquoted (no Python loop) against csv.reader on the same text."""
    import csv as csv_module

    from nqpf.io import _read_unquoted

    width = len(header)
    cells = [c.replace(sep, "") for c in cells]
    rows = [cells[i : i + width] for i in range(0, len(cells) - len(cells) % width, width)]
    text = newline.join([sep.join(header), *(sep.join(r) for r in rows)]) + newline
    fast = _read_unquoted(text, sep)
    records = list(csv_module.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True))
    if fast is None:
        assert not rows or any(len(r) != width for r in records[1:]) or width == 0
        return
    assert fast.columns == [h.strip() for h in records[0]]
    # the csv module reads a blank line as no cells; read_table makes it an empty row
    assert [list(r) for r in fast.iter_rows()] == [r or [""] * width for r in records[1:]]
