"""Adversarial cases for issue 9 ("Integrity on every input"), written by the red team.

Each case is small and self-contained: it builds its own files in ``tmp_path`` and asserts
what the issue demands, not what the code happens to do:

* bad input is one :class:`nqpf.errors.InputError` line (what, where, what to do); the CLI
  exits 2 with exactly one stderr line, no traceback, and writes nothing;
* no silent change of numbers (the same numbers give the same result whatever the file
  format, the column names or the roles' names);
* a user's column name is never refused, renamed or overwritten; nothing the user gave is
  overwritten;
* every writer neutralises formula-like text (XLSX, CSV) and escapes LaTeX, Markdown, HTML.

Reading rules followed (nqpf/io.py module docstring): ``NA`` is missing only in a numeric
column; markers only through ``na_values``; a decimal comma only with ``decimal=","``;
ragged rows are refused.

Independent checks: results under odd names are compared with the results of the same
numbers under plain names (the numbers are the oracle, not a recorded output).
"""

from __future__ import annotations

import io
import math
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

import nqpf
from nqpf.cli import main
from nqpf.errors import InputError
from nqpf.io import read_table, sheet_names, write_tables

# ---------------------------------------------------------------------------- fixtures

REGIONS = ["Anhui", "Beijing", "Chongqing", "Dalian", "Fujian", "Gansu"]
GROUPS = {"Anhui": "east", "Beijing": "east", "Chongqing": "west", "Dalian": "east"}
YEARS = [2018, 2019, 2020, 2021]


def base_frame(
    region: str = "region", year: str = "year", a: str = "a", b: str = "b", grp: str = "grp"
) -> pl.DataFrame:
    """6 regions × 4 years, a benefit (a) and a cost (b) indicator, a two-level group."""
    rows = []
    for i, r in enumerate(REGIONS):
        for t, y in enumerate(YEARS):
            rows.append(
                {
                    region: r,
                    year: y,
                    a: 1.0 + i * 0.7 + t * 0.31 + (i * t % 3) * 0.17,
                    b: 9.0 - i * 0.9 + t * 0.23 + (i + t) % 2 * 0.41,
                    grp: GROUPS.get(r, "west"),
                }
            )
    return pl.DataFrame(rows)


def long_frame(n_regions: int = 8, n_years: int = 15) -> pl.DataFrame:
    """A longer positive panel for the dynamics (clubs need enough years)."""
    rng = np.random.default_rng(11)
    return pl.DataFrame(
        {
            "region": np.repeat([f"r{i}" for i in range(n_regions)], n_years),
            "year": np.tile(np.arange(2000, 2000 + n_years), n_regions),
            "a": 10
            + rng.uniform(0, 5, n_regions * n_years)
            + np.tile(np.arange(n_years), n_regions),
        }
    )


def spec_csv(a: str = "a", b: str = "b", da: str = "econ", db: str = "green") -> str:
    def q(s: str) -> str:
        return '"' + s.replace('"', '""') + '"'

    return f"indicator,dimension,direction\n{q(a)},{q(da)},+\n{q(b)},{q(db)},-\n"


def write(tmp: Path, name: str, text: str | bytes) -> Path:
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, "utf-8")
    else:
        path.write_bytes(text)
    return path


def panel_file(tmp: Path, frame: pl.DataFrame | None = None, name: str = "panel.csv") -> Path:
    frame = base_frame() if frame is None else frame
    path = tmp / name
    if name.endswith(".xlsx"):
        frame.write_excel(path)
    elif name.endswith(".parquet"):
        frame.write_parquet(path)
    else:
        frame.write_csv(path)
    return path


def spec_file(tmp: Path, text: str | None = None, name: str = "spec.csv") -> Path:
    return write(tmp, name, spec_csv() if text is None else text)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def cli_bad(capsys: pytest.CaptureFixture[str], argv: list[str], folder: Path) -> str:
    """Run the CLI on bad input: exit 2, one stderr line, nothing written or changed."""
    before = snapshot(folder)
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    # progress bars write carriage returns on stderr; count the error lines only
    errors = [line for line in lines if "error" in line]
    assert code == 2, (code, captured.err)
    assert len(errors) == 1, captured.err
    assert "Traceback" not in captured.err
    assert snapshot(folder) == before, "the failed run wrote or changed files"
    return errors[0]


def one_line(error: InputError) -> str:
    message = error.message
    assert "\n" not in message, repr(message)
    assert "\r" not in message, repr(message)
    assert "Traceback" not in message
    return message


def scores_of(result: Any, region: str = "region", year: str = "year") -> dict[tuple, float]:
    table = result.tables()["scores"]
    score = next(c for c in table.columns if c not in (region, year))
    return {
        (r, y): s
        for r, y, s in zip(
            table[region].to_list(), table[year].to_list(), table[score].to_list(), strict=True
        )
    }


def score_file(path: Path, spec: Path, **options: Any) -> Any:
    """Read a panel file and score it: an error may come from either step."""
    return nqpf.entropy_topsis(nqpf.read_panel(path, **options), nqpf.read_spec(spec))


BASE_SCORES = None


def base_scores() -> dict[tuple, float]:
    global BASE_SCORES
    if BASE_SCORES is None:
        spec = nqpf.IndicatorSpec.from_frame(pl.read_csv(spec_csv().encode()))
        result = nqpf.entropy_topsis(base_frame().drop("grp"), spec, region="region", year="year")
        BASE_SCORES = {
            (r, y): s
            for r, y, s in result.tables()["scores"].select("region", "year", "score").iter_rows()
        }
    return BASE_SCORES


# ======================================================================== FILES


def test_empty_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "empty.csv", b"")
    with pytest.raises(InputError) as info:
        nqpf.read_panel(path)
    assert "empty.csv" in one_line(info.value)
    cli_bad(capsys, ["score", path, "--spec", spec_file(tmp_path)], tmp_path)


def test_header_only_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "header.csv", "region,year,a,b\n")
    with pytest.raises(InputError) as info:
        nqpf.read_panel(path)
    assert "header.csv" in one_line(info.value)
    cli_bad(capsys, ["score", path, "--spec", spec_file(tmp_path)], tmp_path)


def test_whitespace_only_file_is_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, "blank.csv", "\n\n   \n")
    with pytest.raises(InputError) as info:
        nqpf.read_panel(path)
    one_line(info.value)


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("gbk", b""),
    ],
)
def test_encodings_give_the_same_scores(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    frame = base_frame().drop("grp")
    text = frame.write_csv()
    path = write(tmp_path, "p.csv", prefix + text.encode(encoding))
    panel = nqpf.read_panel(path)
    assert panel.frame.columns[:2] == ["region", "year"]
    result = nqpf.entropy_topsis(panel, nqpf.read_spec(spec_file(tmp_path)))
    assert scores_of(result) == base_scores()


def test_gbk_chinese_names_survive(tmp_path: Path) -> None:
    names = ["北京", "上海", "重庆", "四川"]
    lines = ["地区,年份,a,b"] + [
        f"{n},{y},{1 + i + t * 0.5},{5 - i * 0.3 + t}"
        for i, n in enumerate(names)
        for t, y in enumerate(YEARS)
    ]
    path = write(tmp_path, "cn.csv", ("\n".join(lines) + "\n").encode("gbk"))
    panel = nqpf.read_panel(path, region="地区", year="年份")
    assert sorted(panel.regions) == sorted(names)


@pytest.mark.parametrize("sep", [";", "\t"])
def test_other_separators_same_scores(tmp_path: Path, sep: str) -> None:
    text = base_frame().drop("grp").write_csv(separator=sep)
    path = write(tmp_path, "p.csv", text)
    result = nqpf.entropy_topsis(nqpf.read_panel(path), nqpf.read_spec(spec_file(tmp_path)))
    assert scores_of(result) == base_scores()


def test_duplicate_header_after_stripping_is_refused(tmp_path: Path) -> None:
    # "a" and "a " are the same column once the header is stripped: one line naming it
    path = write(tmp_path, "dup.csv", "region,year,a,a \nA,2019,1,2\nB,2019,3,4\n")
    with pytest.raises(InputError) as info:
        read_table(path)
    message = one_line(info.value)
    assert "'a'" in message
    assert "dup.csv" in message


def test_ragged_row_names_its_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = base_frame().drop("grp").write_csv().splitlines()
    text[4] += ",extra"
    path = write(tmp_path, "ragged.csv", "\n".join(text) + "\n")
    with pytest.raises(InputError) as info:
        nqpf.read_panel(path)
    message = one_line(info.value)
    assert "row 5" in message, message
    cli_bad(capsys, ["score", path, "--spec", spec_file(tmp_path)], tmp_path)


def test_unclosed_quote_names_its_row(tmp_path: Path) -> None:
    text = base_frame().drop("grp").write_csv().splitlines()
    text[3] = '"Chongqing,2019,1,2'
    path = write(tmp_path, "quote.csv", "\n".join(text) + "\n")
    with pytest.raises(InputError) as info:
        nqpf.read_panel(path)
    assert "row 4" in one_line(info.value)


def test_quoted_header_with_comma_is_one_column(tmp_path: Path) -> None:
    path = write(tmp_path, "q.csv", 'region,year,"GDP, per capita",b\nA,2019,1,2\nB,2019,3,4\n')
    frame = read_table(path)
    assert frame.columns == ["region", "year", "GDP, per capita", "b"]


def test_huge_cell_is_read_or_refused_cleanly(tmp_path: Path) -> None:
    big = "x" * 2_000_000
    frame = base_frame().drop("grp").with_columns(pl.lit("n").alias("note"))
    text = frame.write_csv().replace(",n\n", f",{big}\n", 1)
    path = write(tmp_path, "big.csv", text)
    table = read_table(path)
    assert table.height == frame.height
    assert big in table["note"].to_list()


def test_ten_thousand_columns(tmp_path: Path) -> None:
    header = ["region", "year"] + [f"x{j}" for j in range(10_000)]
    rows = [
        ",".join([r, str(y)] + [str((j + i) % 7 + 1) for j in range(10_000)])
        for i, (r, y) in enumerate([("A", 2019), ("B", 2019), ("A", 2020), ("B", 2020)])
    ]
    path = write(tmp_path, "wide.csv", ",".join(header) + "\n" + "\n".join(rows) + "\n")
    table = read_table(path)
    assert table.columns == header
    assert table["x9999"].to_list() == [(9999 + i) % 7 + 1 for i in range(4)]


def test_hundred_thousand_rows_scores(tmp_path: Path) -> None:
    n_regions, n_years = 5_000, 20
    rng = np.random.default_rng(9)
    frame = pl.DataFrame(
        {
            "region": np.repeat([f"r{i}" for i in range(n_regions)], n_years),
            "year": np.tile(np.arange(2000, 2000 + n_years), n_regions),
            "a": rng.uniform(1, 2, n_regions * n_years),
            "b": rng.uniform(1, 2, n_regions * n_years),
        }
    )
    path = panel_file(tmp_path, frame)
    panel = nqpf.read_panel(path)
    assert panel.height == 100_000
    result = nqpf.entropy_topsis(panel, nqpf.read_spec(spec_file(tmp_path)))
    assert result.tables()["scores"].height == 100_000


def _xlsx_book(tmp: Path, fill: Any, name: str = "p.xlsx", strip_cached: bool = False) -> Path:
    """A workbook written with xlsxwriter; ``fill(workbook, sheet)`` writes the cells.

    ``strip_cached`` removes every formula's cached value (``<v>`` after ``<f>``), as
    openpyxl and hand-made workbooks leave them: the reader sees a formula and no number.
    """
    import xlsxwriter

    path = tmp / name
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("data")
        fill(book, sheet)
    if strip_cached:
        rewritten = tmp / ("stripped-" + name)
        with (
            zipfile.ZipFile(path) as src,
            zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as dst,
        ):
            for item in src.infolist():
                data = src.read(item.filename)
                if item.filename.startswith("xl/worksheets/"):
                    data = re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1", data)
                dst.writestr(item, data)
        rewritten.replace(path)
    return path


def _fill_base(sheet: Any, frame: pl.DataFrame | None = None) -> None:
    frame = base_frame().drop("grp") if frame is None else frame
    sheet.write_row(0, 0, frame.columns)
    for r, row in enumerate(frame.iter_rows(), start=1):
        sheet.write_row(r, 0, list(row))


def _xlsx_formulas(path: Path) -> list[str]:
    """Every formula (``<f>`` element) in a workbook's sheets: a written text must be none."""
    with zipfile.ZipFile(path) as book:
        return [
            f.decode("utf-8", "replace")
            for member in book.namelist()
            if member.startswith("xl/worksheets/")
            for f in re.findall(rb"<f[^>]*>([^<]*)</f>", book.read(member))
        ]


def test_xlsx_numeric_header_is_a_name(tmp_path: Path) -> None:
    def fill(book: Any, sheet: Any) -> None:
        sheet.write_row(0, 0, ["region", "year", 2019, 3.5])
        sheet.write_row(1, 0, ["A", 2019, 1.0, 2.0])
        sheet.write_row(2, 0, ["B", 2019, 3.0, 4.0])

    table = read_table(_xlsx_book(tmp_path, fill))
    assert table.columns == ["region", "year", "2019", "3.5"]


def test_xlsx_date_header_is_a_name(tmp_path: Path) -> None:
    import datetime as dt

    def fill(book: Any, sheet: Any) -> None:
        sheet.write_row(0, 0, ["region", "year"])
        fmt = book.add_format({"num_format": "yyyy-mm-dd"})
        sheet.write_datetime(0, 2, dt.datetime(2020, 1, 1), fmt)
        sheet.write_row(1, 0, ["A", 2019, 1.0])
        sheet.write_row(2, 0, ["B", 2019, 3.0])

    table = read_table(_xlsx_book(tmp_path, fill))
    assert table.columns[:2] == ["region", "year"]
    assert "2020-01-01" in table.columns[2]


def test_xlsx_hidden_sheet_is_listed_and_readable(tmp_path: Path) -> None:
    def fill(book: Any, sheet: Any) -> None:
        sheet.write_row(0, 0, ["x"])
        sheet.write_row(1, 0, [1])
        hidden = book.add_worksheet("secret")
        hidden.hide()
        _fill_base(hidden)

    path = _xlsx_book(tmp_path, fill)
    assert sheet_names(path) == ["data", "secret"]
    spec = nqpf.read_spec(spec_file(tmp_path))
    result = nqpf.entropy_topsis(nqpf.read_panel(path, sheet="secret"), spec)
    # the same doubles through CSV (xlsxwriter keeps 16 digits, so not base_scores())
    held = panel_file(tmp_path, read_table(path, sheet="secret"), "held.csv")
    assert scores_of(result) == scores_of(nqpf.entropy_topsis(nqpf.read_panel(held), spec))


def test_xlsx_missing_sheet_names_it(tmp_path: Path) -> None:
    path = _xlsx_book(tmp_path, lambda book, sheet: _fill_base(sheet))
    with pytest.raises(InputError) as info:
        nqpf.read_panel(path, sheet="nope")
    message = one_line(info.value)
    assert "nope" in message
    assert "p.xlsx" in message


def test_xlsx_error_cell_is_named(tmp_path: Path) -> None:
    def fill(book: Any, sheet: Any) -> None:
        _fill_base(sheet)
        sheet.write_formula("C4", "=1/0", None, "#DIV/0!")

    path = _xlsx_book(tmp_path, fill)
    with pytest.raises(InputError) as info:
        score_file(path, spec_file(tmp_path))
    message = one_line(info.value)
    assert "row 4" in message, message
    assert "'a'" in message, message


def test_xlsx_formula_without_cached_value_is_not_a_number(tmp_path: Path) -> None:
    # openpyxl writes formulas without cached values: the reader must not invent a number
    def fill(book: Any, sheet: Any) -> None:
        _fill_base(sheet)
        sheet.write_formula("C5", "=1/3")

    path = _xlsx_book(tmp_path, fill, strip_cached=True)
    with pytest.raises(InputError) as info:
        score_file(path, spec_file(tmp_path))
    message = one_line(info.value)
    assert "row 5" in message, message


def test_xlsx_merged_region_cells_do_not_shift_numbers(tmp_path: Path) -> None:
    # A2:A3 merged ('Anhui' in both before the merge): the reader either fills the merged
    # cell as Excel shows it, or names row 3; it never shifts or drops a row
    def fill(book: Any, sheet: Any) -> None:
        _fill_base(sheet)
        sheet.merge_range("A2:A3", "Anhui")

    path = _xlsx_book(tmp_path, fill)
    error: InputError | None = None
    try:
        panel = nqpf.read_panel(path)
        result = nqpf.entropy_topsis(panel, nqpf.read_spec(spec_file(tmp_path)))
    except InputError as caught:
        error = caught
    if error is not None:
        assert "row 3" in one_line(error)
        return
    assert set(scores_of(result)) == set(base_scores())


def test_xlsx_years_as_dates_not_silently_wrong(tmp_path: Path) -> None:
    import datetime as dt

    def fill(book: Any, sheet: Any) -> None:
        frame = base_frame().drop("grp")
        sheet.write_row(0, 0, frame.columns)
        fmt = book.add_format({"num_format": "yyyy"})
        for i, (r, y, a, b) in enumerate(frame.iter_rows(), start=1):
            sheet.write_string(i, 0, r)
            sheet.write_datetime(i, 1, dt.datetime(y, 1, 1), fmt)
            sheet.write_row(i, 2, [a, b])

    path = _xlsx_book(tmp_path, fill)
    error: InputError | None = None
    try:
        panel = nqpf.read_panel(path)
    except InputError as caught:
        error = caught
    if error is not None:
        assert "year" in one_line(error)
        return
    assert sorted(set(panel.years)) == YEARS


def test_xlsx_boolean_indicator_is_refused_or_exact(tmp_path: Path) -> None:
    # TRUE/FALSE cells in an indicator: refused naming the column, or read as 1/0
    # exactly (the same scores as the 1/0 numbers); never a crash or another number
    frame = base_frame().drop("grp")
    flags = [i % 2 == 0 for i in range(frame.height)]

    def fill(book: Any, sheet: Any) -> None:
        sheet.write_row(0, 0, frame.columns)
        for i, (r, y, a, _b) in enumerate(frame.iter_rows(), start=1):
            sheet.write_row(i, 0, [r, y, a])
            sheet.write_boolean(i, 3, flags[i - 1])

    path = _xlsx_book(tmp_path, fill)
    spec = nqpf.read_spec(spec_file(tmp_path))
    error: InputError | None = None
    try:
        result = nqpf.entropy_topsis(nqpf.read_panel(path), spec)
    except InputError as caught:
        error = caught
    if error is not None:
        assert "'b'" in one_line(error)
        return
    # the other cells as the workbook holds them (xlsxwriter keeps 16 digits)
    held = read_table(path).with_columns(pl.Series("b", [float(f) for f in flags]))
    numbers = held.with_columns(pl.col("year").cast(pl.Int64))
    expected = nqpf.entropy_topsis(numbers, spec, region="region", year="year")
    assert scores_of(result) == scores_of(expected)


def test_xlsx_csv_parquet_give_identical_scores(tmp_path: Path) -> None:
    frame = base_frame().drop("grp").with_columns(pl.col("a") / 3.0 + 3.2e-10)
    spec = nqpf.read_spec(spec_file(tmp_path))
    via_csv = nqpf.entropy_topsis(nqpf.read_panel(panel_file(tmp_path, frame, "p.csv")), spec)
    via_pq = nqpf.entropy_topsis(nqpf.read_panel(panel_file(tmp_path, frame, "p.parquet")), spec)
    assert scores_of(via_csv) == scores_of(via_pq)
    # xlsxwriter stores 16 significant digits: compare the XLSX path with a CSV of the
    # doubles the workbook really holds (polars writes them in shortest round-trip form)
    xlsx = panel_file(tmp_path, frame, "p.xlsx")
    held = read_table(xlsx)
    assert held["a"].dtype == pl.Float64
    via_xlsx = nqpf.entropy_topsis(nqpf.read_panel(xlsx), spec)
    via_held = nqpf.entropy_topsis(nqpf.read_panel(panel_file(tmp_path, held, "held.csv")), spec)
    assert scores_of(via_xlsx) == scores_of(via_held)


def test_xlsx_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    path = _xlsx_book(tmp_path, lambda book, sheet: _fill_base(sheet))
    # rewrite the sheet member with 200 MB of one repeated row: a few hundred KB compressed
    out = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                head, _, tail = data.partition(b"</sheetData>")
                filler = b"<!--" + b"A" * (200 * 1024 * 1024) + b"-->"
                data = head + filler + b"</sheetData>" + tail
            dst.writestr(item, data)
    assert out.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(InputError) as info:
        read_table(out)
    assert "bomb.xlsx" in one_line(info.value)


def test_parquet_struct_column_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = base_frame().drop("grp").with_columns(pl.struct(pl.col("a"), pl.col("b")).alias("b"))
    path = panel_file(tmp_path, frame, "s.parquet")
    with pytest.raises(InputError) as info:
        score_file(path, spec_file(tmp_path))
    assert "'b'" in one_line(info.value)
    cli_bad(capsys, ["score", path, "--spec", spec_file(tmp_path)], tmp_path)


def test_parquet_list_region_is_refused(tmp_path: Path) -> None:
    frame = base_frame().drop("grp").with_columns(pl.concat_list("region").alias("region"))
    path = panel_file(tmp_path, frame, "l.parquet")
    with pytest.raises(InputError) as info:
        nqpf.read_panel(path)
    assert "region" in one_line(info.value)


@pytest.mark.parametrize("year", ["1e20", "inf", "2019.5", "99999999999999999999"])
def test_absurd_years_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], year: str
) -> None:
    text = base_frame().drop("grp").write_csv().splitlines()
    parts = text[3].split(",")
    parts[1] = year
    text[3] = ",".join(parts)
    path = write(tmp_path, "y.csv", "\n".join(text) + "\n")
    with pytest.raises(InputError) as info:
        score_file(path, spec_file(tmp_path))
    message = one_line(info.value)
    assert "row 4" in message, message
    assert "year" in message, message
    cli_bad(capsys, ["score", path, "--spec", spec_file(tmp_path)], tmp_path)


def test_uint64_years_from_parquet(tmp_path: Path) -> None:
    frame = base_frame().drop("grp").with_columns(pl.col("year").cast(pl.UInt64))
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit(2**63 + 5, pl.UInt64))
        .otherwise("year")
        .alias("year")
    )
    path = panel_file(tmp_path, frame, "u.parquet")
    with pytest.raises(InputError) as info:
        score_file(path, spec_file(tmp_path))
    assert "year" in one_line(info.value)


# ---------------------------------------------------------------- missing and locale


def _with_cell(row: int, column: str, text: str, frame: pl.DataFrame | None = None) -> str:
    """The base panel as CSV text with one cell (row as a spreadsheet shows it) replaced."""
    frame = base_frame().drop("grp") if frame is None else frame
    lines = frame.write_csv().splitlines()
    parts = lines[row - 1].split(",")
    parts[frame.columns.index(column)] = text
    lines[row - 1] = ",".join(parts)
    return "\n".join(lines) + "\n"


def test_crlf_and_trailing_separator_same_scores(tmp_path: Path) -> None:
    text = base_frame().drop("grp").write_csv().replace("\n", ",\r\n")
    path = write(tmp_path, "crlf.csv", text)
    assert scores_of(score_file(path, spec_file(tmp_path))) == base_scores()


@pytest.mark.parametrize("text", ["2019年", "FY2019", "2019-01-01", "２０１９"])
def test_odd_year_text_names_its_cell(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, "y.csv", _with_cell(4, "year", text))
    with pytest.raises(InputError) as info:
        score_file(path, spec_file(tmp_path))
    message = one_line(info.value)
    assert "row 4" in message, message


@pytest.mark.parametrize("text", ["inf", "-Inf", "Infinity", "1e400"])
def test_non_finite_indicator_text_names_its_cell(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, "i.csv", _with_cell(6, "a", text))
    with pytest.raises(InputError) as info:
        score_file(path, spec_file(tmp_path))
    message = one_line(info.value)
    assert "row 6" in message, message


def test_unambiguous_thousands_are_read(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", 'k,v\nA,"1,234,567"\nB,"2,000.5"\nC,3\n')
    frame = read_table(path)
    assert frame["v"].to_list() == [1234567.0, 2000.5, 3.0]


def test_ambiguous_thousands_are_not_guessed(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", _with_cell(3, "a", '"1,234"'))
    with pytest.raises(InputError) as info:
        score_file(path, spec_file(tmp_path))
    message = one_line(info.value)
    assert "row 3" in message, message


def test_leading_zero_codes_stay_distinct(tmp_path: Path) -> None:
    frame = (
        base_frame()
        .drop("grp")
        .with_columns(pl.col("region").replace({"Anhui": "007", "Beijing": "7"}))
    )
    panel = nqpf.read_panel(panel_file(tmp_path, frame))
    assert {"007", "7"} <= set(panel.regions)


@pytest.mark.parametrize(
    "call",
    [
        lambda: nqpf.dagum_decompose([1.0, float("nan"), 2.0], ["a", "b", "a"]),
        lambda: nqpf.dagum_decompose([1.0, 2.0, 3.0], ["a", "b"]),
        lambda: nqpf.dagum_decompose([1.0, 2.0, 3.0], ["a", "b", "a"], [1.0, -1.0, 1.0]),
        lambda: nqpf.dagum_decompose([1.0, 2.0, 3.0], ["a", None, "a"]),
        lambda: nqpf.dagum_decompose([], []),
        lambda: nqpf.fisher_jenks([1.0, 2.0, 3.0], 5),
        lambda: nqpf.fisher_jenks([1.0, float("nan"), 3.0], 2),
        lambda: nqpf.fisher_jenks([1.0, 2.0, 3.0], 0),
    ],
)
def test_array_functions_bad_input_one_line(call: Any) -> None:
    with pytest.raises(InputError) as info:
        call()
    one_line(info.value)


@pytest.mark.parametrize("func", ["kde", "markov", "echelons", "sigma"])
def test_all_equal_values_one_line_or_finite(func: str) -> None:
    frame = base_frame().with_columns(pl.lit(3.0).alias("a"))
    calls = {
        "kde": lambda: nqpf.kernel_density(frame, value="a", year="year"),
        "markov": lambda: nqpf.markov_chain(frame, value="a", region="region", year="year", k=2),
        "echelons": lambda: nqpf.echelons(frame, value="a", region="region", year="year", k=2),
        "sigma": lambda: nqpf.sigma_convergence(frame, value="a", year="year", region="region"),
    }
    try:
        result = calls[func]()
    except InputError as caught:
        one_line(caught)
        return
    if isinstance(result, pl.DataFrame):
        numbers = result.select(pl.selectors.float()).to_numpy()
        assert np.isfinite(numbers).all(), result


def test_na_is_a_region_name(tmp_path: Path) -> None:
    frame = base_frame().drop("grp").with_columns(pl.col("region").replace("Anhui", "NA"))
    panel = nqpf.read_panel(panel_file(tmp_path, frame))
    assert "NA" in panel.regions


def test_na_is_a_group_name_in_gini_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    frame = base_frame().with_columns(pl.col("grp").replace("east", "NA"))
    path = panel_file(tmp_path, frame)
    code = main(
        ["gini", str(path), "--value", "a", "--group", "grp", "--out", str(tmp_path / "g.json")]
    )
    assert code == 0, capsys.readouterr().err
    import json

    payload = json.loads((tmp_path / "g.json").read_text())
    assert "NA" in json.dumps(payload)
    expected = nqpf.dagum_gini(frame, value="a", group="grp").tables()["summary"]
    assert payload["summary"][0]["G"] == pytest.approx(expected["G"][0], rel=0, abs=0)


def test_decimal_comma_not_taken_as_thousands(tmp_path: Path) -> None:
    text = base_frame().drop("grp").write_csv()
    lines = text.splitlines()
    parts = lines[2].split(",")
    parts[2] = '"0,500"'
    lines[2] = ",".join(parts)
    path = write(tmp_path, "c.csv", "\n".join(lines) + "\n")
    try:
        frame = read_table(path)
    except InputError as error:
        one_line(error)
        return
    assert frame.schema["a"] == pl.String or frame["a"][1] != 500


def test_decimal_comma_option(tmp_path: Path) -> None:
    frame = base_frame().drop("grp")
    text = frame.write_csv(separator=";").replace(".", ",")
    path = write(tmp_path, "dc.csv", text)
    result = nqpf.entropy_topsis(
        nqpf.read_panel(path, decimal=","), nqpf.read_spec(spec_file(tmp_path))
    )
    # the CSV text of each float is its shortest repr, so the comma text is exact
    assert scores_of(result) == base_scores()


@pytest.mark.parametrize("marker", ["—", "…", "-", "N/A"])
def test_na_values_markers(tmp_path: Path, marker: str) -> None:
    text = base_frame().drop("grp").write_csv().splitlines()
    parts = text[3].split(",")
    parts[2] = marker
    text[3] = ",".join(parts)
    path = write(tmp_path, "m.csv", "\n".join(text) + "\n")
    panel = nqpf.read_panel(path, na_values=[marker])
    with pytest.raises(InputError) as info:
        nqpf.entropy_topsis(panel, nqpf.read_spec(spec_file(tmp_path)))
    assert "row 4" in one_line(info.value)
    dropped = nqpf.entropy_topsis(panel, nqpf.read_spec(spec_file(tmp_path)), missing="interpolate")
    assert all(math.isfinite(v) for v in scores_of(dropped).values())


def test_marker_without_na_values_names_the_cell(tmp_path: Path) -> None:
    text = base_frame().drop("grp").write_csv().splitlines()
    parts = text[3].split(",")
    parts[2] = "—"
    text[3] = ",".join(parts)
    path = write(tmp_path, "m.csv", "\n".join(text) + "\n")
    with pytest.raises(InputError) as info:
        score_file(path, spec_file(tmp_path))
    message = one_line(info.value)
    assert "row 4" in message, message
    assert "na_values" in message, message


# ======================================================================== VALUES


@pytest.mark.parametrize("big", [1e308, -1e308])
def test_huge_values_give_finite_scores_or_one_line(tmp_path: Path, big: float) -> None:
    frame = (
        base_frame()
        .drop("grp")
        .with_columns(
            pl.when(pl.int_range(pl.len()) == 3).then(pl.lit(big)).otherwise("a").alias("a")
        )
    )
    spec = nqpf.IndicatorSpec.from_frame(pl.read_csv(spec_csv().encode()))
    try:
        result = nqpf.entropy_topsis(frame, spec, region="region", year="year")
    except InputError as error:
        one_line(error)
        return
    values = list(scores_of(result).values())
    assert all(math.isfinite(v) for v in values)


def test_overflow_hint_does_not_suggest_the_current_option() -> None:
    frame = (
        base_frame()
        .drop("grp")
        .with_columns(
            pl.when(pl.int_range(pl.len()) == 3)
            .then(pl.lit(1e308))
            .otherwise(pl.lit(-1e308))
            .alias("a")
        )
    )
    spec = nqpf.IndicatorSpec.from_frame(pl.read_csv(spec_csv().encode()))
    error: InputError | None = None
    try:
        result = nqpf.entropy_topsis(frame, spec, region="region", year="year", ideal="panel")
    except InputError as caught:
        error = caught
    if error is not None:
        assert "ideal='panel'" not in one_line(error)
        return
    assert all(math.isfinite(v) for v in scores_of(result).values())


def test_subnormal_values_are_kept(tmp_path: Path) -> None:
    scale = 1e-320
    frame = base_frame().drop("grp")
    tiny = frame.with_columns(
        pl.col("a") * 0 + pl.Series([float(i) * scale for i in range(frame.height)])
    )
    path = panel_file(tmp_path, tiny)
    table = read_table(path)
    assert table["a"].to_list() == tiny["a"].to_list()


def test_negative_zero_is_zero(tmp_path: Path) -> None:
    frame = base_frame().drop("grp")
    plus = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(0.0).otherwise("a").alias("a")
    )
    minus = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(-0.0).otherwise("a").alias("a")
    )
    spec = nqpf.read_spec(spec_file(tmp_path))
    a = nqpf.entropy_topsis(nqpf.read_panel(panel_file(tmp_path, plus, "p.csv")), spec)
    b = nqpf.entropy_topsis(nqpf.read_panel(panel_file(tmp_path, minus, "m.csv")), spec)
    assert scores_of(a) == scores_of(b)


def test_constant_indicator_is_one_line_or_zero_weight(tmp_path: Path) -> None:
    frame = base_frame().drop("grp").with_columns(pl.lit(5.0).alias("b"))
    spec = nqpf.read_spec(spec_file(tmp_path))
    error: InputError | None = None
    try:
        result = nqpf.entropy_topsis(frame, spec, region="region", year="year")
    except InputError as caught:
        error = caught
    if error is not None:
        assert "'b'" in one_line(error)
        return
    weights = result.tables()["weights"]
    assert all(math.isfinite(w) for w in weights["weight"].to_list())
    assert all(math.isfinite(v) for v in scores_of(result).values())


def _not_run(folder: Path) -> str:
    """The report's table of analyses it could not run, as written to its folder."""
    return (folder / "tables" / "not_run.csv").read_text("utf-8")


def test_single_region_report_runs_what_it_can(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # one region can be scored over its years, but not tiered into echelons: the report
    # (report.py's documented decision) gives what the panel supports and names the rest
    frame = base_frame().filter(pl.col("region") == "Anhui")
    path = panel_file(tmp_path, frame)
    result = nqpf.entropy_topsis(nqpf.read_panel(path), nqpf.read_spec(spec_file(tmp_path)))
    assert all(math.isfinite(v) for v in scores_of(result).values())
    out = tmp_path / "rep"
    argv = ["report", path, "--spec", spec_file(tmp_path), "--no-validate", "--out", out]
    assert main([str(a) for a in argv]) == 0, capsys.readouterr().err
    assert "Traceback" not in capsys.readouterr().err
    assert "echelons" in _not_run(out)


def test_single_year_report_runs_what_it_can(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = base_frame().filter(pl.col("year") == 2019)
    path = panel_file(tmp_path, frame)
    spec = spec_file(tmp_path)
    result = nqpf.entropy_topsis(nqpf.read_panel(path), nqpf.read_spec(spec), keep=["grp"])
    report = nqpf.build_report(result, group="grp", clubs=True)
    skipped = " ".join(str(v) for v in report.table("not_run").to_dicts())
    assert "Markov" in skipped or "markov" in skipped, skipped
    out = tmp_path / "rep"
    argv = ["report", path, "--spec", spec, "--no-validate", "--out", out]
    assert main([str(a) for a in argv]) == 0, capsys.readouterr().err
    assert (out / "report.html").exists()


def test_two_regions_report_does_not_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = base_frame().filter(pl.col("region").is_in(["Anhui", "Gansu"]))
    path = panel_file(tmp_path, frame)
    code = main(
        [
            "report",
            str(path),
            "--spec",
            str(spec_file(tmp_path)),
            "--no-validate",
            "--out",
            str(tmp_path / "rep"),
        ]
    )
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code in (0, 2), err
    if code == 2:
        assert not (tmp_path / "rep").exists()


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -1.0])
def test_dagum_bad_weights_are_one_line(bad: float) -> None:
    frame = base_frame().with_columns(pl.lit(1.0).alias("w"))
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 2).then(pl.lit(bad)).otherwise("w").alias("w")
    )
    with pytest.raises(InputError) as info:
        nqpf.dagum_gini(frame, value="a", group="grp", weights="w")
    message = one_line(info.value)
    assert "row 3" in message, message
    assert "'w'" in message, message


def test_dagum_null_group_is_one_line() -> None:
    frame = base_frame().with_columns(
        pl.when(pl.int_range(pl.len()) == 4)
        .then(pl.lit(None, pl.String))
        .otherwise("grp")
        .alias("grp")
    )
    with pytest.raises(InputError) as info:
        nqpf.dagum_gini(frame, value="a", group="grp")
    assert "row 5" in one_line(info.value)


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_dagum_bad_value_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: float
) -> None:
    frame = base_frame().with_columns(
        pl.when(pl.int_range(pl.len()) == 2).then(pl.lit(bad)).otherwise("a").alias("a")
    )
    path = panel_file(tmp_path, frame)
    line = cli_bad(
        capsys,
        ["gini", path, "--value", "a", "--group", "grp", "--out", tmp_path / "o.csv"],
        tmp_path,
    )
    assert "row 4" in line, line


@pytest.mark.parametrize(
    "func",
    ["sigma", "beta", "markov", "clubs", "kde", "echelons"],
)
def test_nan_in_dynamics_is_one_line(func: str) -> None:
    frame = base_frame().with_columns(
        pl.when(pl.int_range(pl.len()) == 5).then(pl.lit(float("nan"))).otherwise("a").alias("a")
    )
    calls = {
        "sigma": lambda: nqpf.sigma_convergence(frame, value="a", year="year", region="region"),
        "beta": lambda: nqpf.beta_convergence(frame, value="a", region="region", year="year"),
        "markov": lambda: nqpf.markov_chain(frame, value="a", region="region", year="year", k=2),
        "clubs": lambda: nqpf.club_convergence(
            frame.with_columns(pl.col("a") * 10), value="a", region="region", year="year"
        ),
        "kde": lambda: nqpf.kernel_density(frame, value="a", year="year"),
        "echelons": lambda: nqpf.echelons(frame, value="a", region="region", year="year", k=2),
    }
    with pytest.raises(InputError) as info:
        calls[func]()
    assert "row 6" in one_line(info.value)


def test_vector_normalisation_keeps_a_huge_indicator() -> None:
    frame = base_frame().drop("grp").with_columns(pl.col("a") * 1e200)
    spec = nqpf.IndicatorSpec.from_frame(pl.read_csv(spec_csv().encode()))
    plain = nqpf.entropy_topsis(
        base_frame().drop("grp"), spec, region="region", year="year", normalization="vector"
    )
    try:
        huge = nqpf.entropy_topsis(
            frame, spec, region="region", year="year", normalization="vector"
        )
    except InputError as error:
        one_line(error)
        return
    # vector normalisation is scale invariant: the same scores up to rounding
    a, b = scores_of(plain), scores_of(huge)
    for key in a:
        assert b[key] == pytest.approx(a[key], rel=1e-12, abs=1e-12)


# ======================================================================== NAMES

OUTPUT_NAMES = [
    "score",
    "rank",
    "d_plus",
    "d_minus",
    "econ",
    "weight",
    "entropy",
    "divergence",
    "indicator",
    "dimension",
    "direction",
    "value",
    "state",
    "echelon",
    "mean",
    "n",
    "G",
    "group",
    "__nqpf_row__",
    "__nqpf_row_1__",
    "nqpf_score",
    "tier",
    "club",
]


@pytest.mark.parametrize("name", [*OUTPUT_NAMES, "year"])
def test_region_column_named_like_an_output(name: str) -> None:
    frame = base_frame(region=name, year="yr" if name == "year" else "year").drop("grp")
    year = "yr" if name == "year" else "year"
    spec = nqpf.IndicatorSpec.from_frame(pl.read_csv(spec_csv().encode()))
    result = nqpf.entropy_topsis(frame, spec, region=name, year=year)
    table = result.tables()["scores"]
    assert table[name].to_list() == frame[name].to_list() or sorted(
        table[name].to_list()
    ) == sorted(frame[name].to_list())
    got = {
        (r, y): s
        for r, y, s in zip(
            table[name].to_list(),
            table[year].to_list(),
            _composite(table, name, year),
            strict=False,
        )
    }
    assert got == base_scores()


def _composite(table: pl.DataFrame, region: str, year: str) -> list[float]:
    # the composite is 'score' unless that name is a key; then it is namespaced
    for candidate in ("score", "nqpf_score", "nqpf_score_1", "nqpf_score_2"):
        if candidate in table.columns and candidate not in (region, year):
            return table[candidate].to_list()
    raise AssertionError(f"no composite score column in {table.columns}")


@pytest.mark.parametrize("name", ["score", "rank", "d_plus", "econ", "__nqpf_row__", "region"])
def test_year_column_named_like_an_output(name: str) -> None:
    region = "reg" if name == "region" else "region"
    frame = base_frame(region=region, year=name).drop("grp")
    spec = nqpf.IndicatorSpec.from_frame(pl.read_csv(spec_csv().encode()))
    result = nqpf.entropy_topsis(frame, spec, region=region, year=name)
    table = result.tables()["scores"]
    assert sorted(set(table[name].to_list())) == YEARS
    got = {
        (r, y): s
        for r, y, s in zip(
            table[region].to_list(),
            table[name].to_list(),
            _composite(table, region, name),
            strict=False,
        )
    }
    assert got == base_scores()


@pytest.mark.parametrize(
    "name", ["score", "rank", "d_plus", "d_minus", "econ", "__nqpf_row__", "weight"]
)
def test_kept_column_named_like_an_output(name: str) -> None:
    frame = base_frame(grp=name)
    spec = nqpf.IndicatorSpec.from_frame(pl.read_csv(spec_csv().encode()))
    result = nqpf.entropy_topsis(frame, spec, region="region", year="year", keep=[name])
    table = result.tables()["scores"].sort("region", "year")
    assert table[name].to_list() == frame.sort("region", "year")[name].to_list()


@pytest.mark.parametrize("name", ["score", "rank", "region", "year", "d_plus", "weight", "econ"])
def test_indicator_named_like_an_output(name: str) -> None:
    region = "reg" if name == "region" else "region"
    year = "yr" if name == "year" else "year"
    frame = base_frame(region=region, year=year, a=name).drop("grp")
    spec = nqpf.IndicatorSpec.from_frame(pl.read_csv(spec_csv(a=name).encode()))
    result = nqpf.entropy_topsis(frame, spec, region=region, year=year)
    table = result.tables()["scores"]
    assert len(set(table.columns)) == len(table.columns)
    got = {
        (r, y): s
        for r, y, s in zip(
            table[region].to_list(),
            table[year].to_list(),
            _composite(table, region, year),
            strict=False,
        )
    }
    assert got == base_scores()
    standardized = result.tables()["standardized"]
    assert name in standardized.columns


@pytest.mark.parametrize("name", ["score", "rank", "region", "year", "d_plus", "weight"])
def test_dimension_named_like_an_output(name: str) -> None:
    frame = base_frame().drop("grp")
    spec = nqpf.IndicatorSpec.from_frame(pl.read_csv(spec_csv(da=name).encode()))
    result = nqpf.entropy_topsis(frame, spec, region="region", year="year")
    table = result.tables()["scores"]
    assert len(set(table.columns)) == len(table.columns), table.columns
    assert sorted(set(table["year"].to_list())) == YEARS
    assert sorted(set(table["region"].to_list())) == sorted(REGIONS)
    assert {(r, y) for r, y in zip(table["region"], table["year"], strict=True)} == set(
        base_scores()
    )


def test_region_named_score_in_cli_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    frame = base_frame(region="score", year="rank").drop("grp")
    path = panel_file(tmp_path, frame)
    out = tmp_path / "out.csv"
    code = main(
        [
            "score",
            str(path),
            "--spec",
            str(spec_file(tmp_path)),
            "--region",
            "score",
            "--year",
            "rank",
            "--out",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr().err
    written = pl.read_csv(out)
    assert sorted(set(written["rank"].to_list())) == YEARS
    assert sorted(set(written["score"].to_list())) == sorted(REGIONS)


@pytest.mark.parametrize(
    "name",
    [
        "score",
        "G",
        "group",
        "Gw",
        "Gnb",
        "Gt",
        "share",
        "n",
        "mean",
        "value",
        "__nqpf_row__",
        "weight",
        "j",
        "h",
        "pair",
    ],
)
def test_dagum_group_named_like_an_output(name: str) -> None:
    plain = nqpf.dagum_gini(base_frame(), value="a", group="grp", by="year")
    odd = nqpf.dagum_gini(base_frame(grp=name), value="a", group=name, by="year")
    assert odd.tables()["summary"].rows() == plain.tables()["summary"].rows()
    for key in ("within", "between"):
        o, p = odd.tables()[key], plain.tables()[key]
        assert len(set(o.columns)) == len(o.columns), o.columns
        assert o.height == p.height
        assert o.rows() == p.rows()


@pytest.mark.parametrize(
    "name", ["score", "G", "group", "n", "__nqpf_row__", "weight", "w", "Gw", "mean"]
)
def test_dagum_value_named_like_an_output(name: str) -> None:
    odd = nqpf.dagum_gini(base_frame(a=name), value=name, group="grp", by="year")
    plain = nqpf.dagum_gini(base_frame(), value="a", group="grp", by="year")
    assert odd.tables()["summary"].rows() == plain.tables()["summary"].rows()


@pytest.mark.parametrize("name", ["G", "Gw", "group", "n", "__nqpf_row__", "mean"])
def test_dagum_by_named_like_an_output(name: str) -> None:
    odd = nqpf.dagum_gini(base_frame(year=name), value="a", group="grp", by=name)
    plain = nqpf.dagum_gini(base_frame(), value="a", group="grp", by="year")
    o, p = odd.tables()["summary"], plain.tables()["summary"]
    assert len(set(o.columns)) == len(o.columns), o.columns
    assert o[name].to_list() == p["year"].to_list()
    g = "G" if name != "G" else next(c for c in o.columns if c != name and c.endswith("G"))
    assert o[g].to_list() == p["G"].to_list()


def test_dagum_group_named_score_is_the_group_not_the_score(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a scores table whose 'score' column is the user's group label: validate must
    # decompose by the user's group, or refuse, never use the composite score
    frame = base_frame(grp="score")
    path = panel_file(tmp_path, frame)
    code = main(["validate", str(path), "--spec", str(spec_file(tmp_path)), "--group", "score"])
    err = capsys.readouterr()
    assert "Traceback" not in err.err
    assert code in (0, 2), err
    if code == 0:
        spec = nqpf.read_spec(spec_file(tmp_path))
        result = nqpf.entropy_topsis(nqpf.read_panel(path), spec, keep=["score"])
        table = result.tables()["scores"]
        kept = table["score"].to_list()
        assert sorted(set(kept)) == ["east", "west"]


@pytest.mark.parametrize(
    "name", ["state", "from", "to", "p", "count", "class", "k", "__nqpf_row__", "n"]
)
def test_markov_region_named_like_an_output(name: str) -> None:
    frame = base_frame(region=name)
    odd = nqpf.markov_chain(frame, value="a", region=name, year="year", k=2)
    plain = nqpf.markov_chain(base_frame(), value="a", region="region", year="year", k=2)
    assert odd.counts.drop(odd.counts.columns[0]).rows() == plain.counts.drop("state").rows()
    assert list(odd.steady_state) == list(plain.steady_state)


@pytest.mark.parametrize(
    "name", ["echelon", "mean", "n", "score", "tier", "rank", "__nqpf_row__", "value"]
)
def test_echelons_region_named_like_an_output(name: str) -> None:
    frame = base_frame(region=name)
    odd = nqpf.echelons(frame, value="a", region=name, year="year", k=2)
    plain = nqpf.echelons(base_frame(), value="a", region="region", year="year", k=2)
    o, p = odd.assignments, plain.assignments
    assert len(set(o.columns)) == len(o.columns), o.columns
    assert sorted(o[name].to_list()) == sorted(p["region"].to_list())
    tiers = dict(zip(p["region"], p["echelon"], strict=True))
    echelon = [
        c for c in o.columns if c not in (name, "mean", "label") and o.schema[c].is_integer()
    ][-1]
    assert dict(zip(o[name], o[echelon], strict=True)) == tiers


@pytest.mark.parametrize(
    "name", ["sd", "cv", "sd_log", "gini", "n", "mean", "year", "__nqpf_row__"]
)
def test_sigma_group_named_like_an_output(name: str) -> None:
    year = "yr" if name == "year" else "year"
    frame = base_frame(year=year, grp=name)
    odd = nqpf.sigma_convergence(frame, value="a", year=year, group=name, region="region")
    plain = nqpf.sigma_convergence(
        base_frame(), value="a", year="year", group="grp", region="region"
    )
    assert sorted(set(odd[name].to_list())) == ["east", "west"]
    assert odd.height == plain.height


@pytest.mark.parametrize("name", ["x", "density", "year", "group", "__nqpf_row__"])
def test_kde_group_named_like_an_output(name: str) -> None:
    year = "yr" if name == "year" else "year"
    frame = base_frame(year=year, grp=name)
    odd = nqpf.kernel_density(frame, value="a", year=year, group=name)
    plain = nqpf.kernel_density(base_frame(), value="a", year="year", group="grp")
    assert sorted(set(odd[name].to_list())) == ["east", "west"]
    assert odd.height == plain.height


@pytest.mark.parametrize("name", ["club", "beta", "__nqpf_row__", "t", "log_t"])
def test_clubs_and_beta_region_named_like_an_output(name: str) -> None:
    plain_frame = long_frame()
    frame = plain_frame.rename({"region": name})
    clubs = nqpf.club_convergence(frame, value="a", region=name, year="year")
    plain = nqpf.club_convergence(plain_frame, value="a", region="region", year="year")
    assert sorted(clubs.clubs[name].to_list()) == sorted(plain.clubs["region"].to_list())
    assert clubs.clubs.drop(name).rows() == plain.clubs.drop("region").rows()
    beta = nqpf.beta_convergence(frame, value="a", region=name, year="year")
    beta_plain = nqpf.beta_convergence(plain_frame, value="a", region="region", year="year")
    assert beta.beta == beta_plain.beta


def test_user_column_named_internal_row_in_csv(tmp_path: Path) -> None:
    frame = base_frame().with_columns(pl.lit("keep me").alias("__nqpf_row__"))
    path = panel_file(tmp_path, frame)
    panel = nqpf.read_panel(path)
    assert panel.frame["__nqpf_row__"].to_list() == ["keep me"] * frame.height
    result = nqpf.entropy_topsis(panel, nqpf.read_spec(spec_file(tmp_path)), keep=["__nqpf_row__"])
    assert result.tables()["scores"]["__nqpf_row__"].to_list() == ["keep me"] * frame.height


@pytest.mark.parametrize(
    "name",
    [
        "地区 名称",
        'say "hi"',
        "line\nbreak",
        '=HYPERLINK("x")',
        "+1",
        "-x",
        "@sum",
        "x" * 300,
        "tab\tin",
    ],
)
def test_odd_region_header_names_round_trip(tmp_path: Path, name: str) -> None:
    frame = base_frame(region=name).drop("grp")
    path = panel_file(tmp_path, frame)
    try:
        panel = nqpf.read_panel(path, region=name)
    except InputError as error:
        pytest.fail(f"user column name refused: {error.message}")
    result = nqpf.entropy_topsis(panel, nqpf.read_spec(spec_file(tmp_path)))
    table = result.tables()["scores"]
    assert name in table.columns
    assert sorted(set(table[name].to_list())) == sorted(REGIONS)


def test_same_name_for_two_roles_is_one_line() -> None:
    frame = base_frame()
    with pytest.raises(InputError) as info:
        nqpf.dagum_gini(frame, value="a", group="a")
    one_line(info.value)
    with pytest.raises(InputError) as info:
        nqpf.markov_chain(frame, value="a", region="year", year="year")
    one_line(info.value)
    spec = nqpf.IndicatorSpec.from_frame(pl.read_csv(spec_csv().encode()))
    with pytest.raises(InputError) as info:
        nqpf.entropy_topsis(frame.drop("grp"), spec, region="year", year="year")
    one_line(info.value)


def test_missing_column_is_one_line_in_every_function() -> None:
    frame = base_frame()
    calls = [
        lambda: nqpf.dagum_gini(frame, value="nope", group="grp"),
        lambda: nqpf.markov_chain(frame, value="nope", region="region", year="year"),
        lambda: nqpf.sigma_convergence(frame, value="nope", year="year"),
        lambda: nqpf.echelons(frame, value="nope"),
        lambda: nqpf.kernel_density(frame, value="nope"),
        lambda: nqpf.beta_convergence(frame, value="nope", region="region", year="year"),
        lambda: nqpf.club_convergence(frame, value="nope", region="region", year="year"),
    ]
    for call in calls:
        with pytest.raises(InputError) as info:
            call()
        assert "nope" in one_line(info.value)


# ======================================================================== INJECTIONS


FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "=1+1"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_xlsx_headers_never_formulas(tmp_path: Path, formula: str) -> None:
    table = pl.DataFrame({formula: ["a", formula], "x": [1.0, 2.0]})
    out = write_tables({"t": table}, tmp_path / "o.xlsx")
    assert _xlsx_formulas(out) == []


@pytest.mark.parametrize("formula", FORMULAS)
def test_csv_headers_neutralised(tmp_path: Path, formula: str) -> None:
    import csv

    table = pl.DataFrame({formula: ["a", formula], "x": [1.0, 2.0]})
    out = write_tables({"t": table}, tmp_path / "o.csv")
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
    for field in (f for row in rows for f in row):
        assert not field.startswith(("=", "+", "-", "@")), rows


def test_score_xlsx_with_formula_indicator_and_region(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = (
        base_frame(a="=1+2").drop("grp").with_columns(pl.col("region").replace("Anhui", "=CMD()"))
    )
    path = panel_file(tmp_path, frame)
    spec = spec_file(tmp_path, spec_csv(a="=1+2", da="@dim"))
    out = tmp_path / "o.xlsx"
    assert main(["score", str(path), "--spec", str(spec), "--out", str(out)]) == 0, (
        capsys.readouterr().err
    )
    assert _xlsx_formulas(out) == []


def test_score_csv_with_formula_dimension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = panel_file(tmp_path, base_frame().drop("grp"))
    spec = spec_file(tmp_path, spec_csv(da="=EVIL()", db="+green"))
    out = tmp_path / "o.csv"
    assert main(["score", str(path), "--spec", str(spec), "--out", str(out)]) == 0, (
        capsys.readouterr().err
    )
    header = out.read_text("utf-8").splitlines()[0]
    assert ",=EVIL()" not in header, header
    assert ",+green" not in header, header


def _report_for(
    frame: pl.DataFrame, tmp: Path, spec: str | None = None, group: str = "grp", clubs: bool = False
) -> nqpf.Report:
    result = nqpf.entropy_topsis(
        frame,
        nqpf.IndicatorSpec.from_frame(pl.read_csv((spec or spec_csv()).encode())),
        region="region",
        year="year",
        keep=[group],
    )
    return nqpf.build_report(result, group=group, k=2, clubs=clubs)


EVIL_REGION = "<script>alert(1)</script>"


def test_report_html_escapes_region_names(tmp_path: Path) -> None:
    frame = base_frame().with_columns(
        pl.col("region").replace(
            {"Anhui": EVIL_REGION, "Beijing": '<img src=x onerror="alert(2)">'}
        )
    )
    html = _report_for(frame, tmp_path).to_html()
    assert "<script>alert" not in html
    assert "<img src=x" not in html


def test_report_markdown_escapes_region_names(tmp_path: Path) -> None:
    frame = base_frame().with_columns(
        pl.col("region").replace(
            {"Anhui": EVIL_REGION, "Beijing": "![x](http://127.0.0.1:9/p.png)", "Chongqing": "a|b"}
        )
    )
    md = _report_for(frame, tmp_path).to_markdown()
    assert "<script>" not in md
    assert "![x](http://127.0.0.1:9" not in md
    assert "a|b" not in md  # a raw pipe splits the table row


def test_report_markdown_escapes_group_labels(tmp_path: Path) -> None:
    frame = base_frame().with_columns(
        pl.col("grp").replace({"east": "# Heading", "west": "<b onclick=x>w</b>"})
    )
    md = _report_for(frame, tmp_path).to_markdown()
    assert "\n# Heading" not in md
    assert "| # Heading" not in md.replace("\\#", "")
    assert "<b onclick" not in md


LATEX_EVIL = r"\input{/etc/passwd}$^_&%#~{}"


def test_report_latex_escapes_cells_and_labels(tmp_path: Path) -> None:
    frame = base_frame().with_columns(
        pl.col("region").replace("Anhui", LATEX_EVIL), pl.col("grp").replace("east", "a_b#c%")
    )
    tex = _report_for(frame, tmp_path).to_latex()
    assert r"\input{/etc" not in tex
    assert "a_b#c%" not in tex
    for label in re.findall(r"\\label\{([^}]*)\}", tex):
        assert re.fullmatch(r"[A-Za-z0-9:._-]+", label), label


def test_report_latex_escapes_indicator_and_dimension_names(tmp_path: Path) -> None:
    frame = base_frame(a="GDP_pc 50%").rename({"b": "b&c"})
    spec = spec_csv(a="GDP_pc 50%", b="b&c", da=r"\newline$x$", db="~green#")
    tex = _report_for(frame, tmp_path, spec=spec).to_latex()
    assert "GDP_pc 50%" not in tex
    assert r"\newline$x$" not in tex
    assert "~green#" not in tex
    assert " b&c" not in tex


def test_report_file_name_with_newline_is_not_live_tex(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "p\n\\input{/etc/passwd}\n.csv"
    path = write(tmp_path, name, base_frame().write_csv())
    out = tmp_path / "rep"
    code = main(
        [
            "report",
            str(path),
            "--spec",
            str(spec_file(tmp_path)),
            "--group",
            "grp",
            "--k",
            "2",
            "--no-validate",
            "--out",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr().err
    tex = (out / "report.tex").read_text("utf-8")
    for line in tex.splitlines():
        if r"\input{/etc/passwd}" in line:
            assert line.lstrip().startswith("%"), line


def test_report_html_file_name_is_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "<img src=x onerror=alert(1)>.csv"
    path = write(tmp_path, name, base_frame().write_csv())
    out = tmp_path / "rep"
    code = main(
        [
            "report",
            str(path),
            "--spec",
            str(spec_file(tmp_path)),
            "--group",
            "grp",
            "--k",
            "2",
            "--no-validate",
            "--out",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert "<img src=x" not in (out / "report.html").read_text("utf-8")
    assert "<img src=x" not in (out / "report.md").read_text("utf-8")


@pytest.mark.parametrize("label", [r"$\frac{1}{0}^$", "$x$", r"a$b", "$$", r"\$^{}_"])
def test_mathtext_group_labels_do_not_crash_the_report(tmp_path: Path, label: str) -> None:
    frame = base_frame().with_columns(pl.col("grp").replace("east", label))
    report = _report_for(frame, tmp_path)
    written = report.write(tmp_path / "rep")
    assert written


@pytest.mark.parametrize("label", ["a/b", "x" * 40, "a:b*c?[d]", "history", "'quoted'"])
def test_group_labels_as_xlsx_sheet_names(tmp_path: Path, label: str) -> None:
    frame = base_frame().with_columns(pl.col("grp").replace("east", label))
    result = nqpf.dagum_gini(frame, value="a", group="grp", by="year")
    out = write_tables(result.tables(), tmp_path / "g.xlsx")
    assert out.exists()
    report = _report_for(frame, tmp_path)
    report.write(tmp_path / "rep")
    assert (tmp_path / "rep" / "report.xlsx").exists()


def test_gini_cli_group_labels_long_and_slash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = base_frame().with_columns(
        pl.col("grp").replace({"east": "East/North-East of the country", "west": "=west"})
    )
    path = panel_file(tmp_path, frame)
    out = tmp_path / "g.xlsx"
    code = main(
        ["gini", str(path), "--value", "a", "--group", "grp", "--by", "year", "--out", str(out)]
    )
    assert code == 0, capsys.readouterr().err
    assert _xlsx_formulas(out) == []


def test_formula_sheet_name_in_input_is_read(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "p.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        _fill_base(book.add_worksheet("=cmd"))
    assert sheet_names(path) == ["=cmd"]
    panel = nqpf.read_panel(path, sheet="=cmd")
    assert panel.height == base_frame().height


# ======================================================================== PATHS


def _score_argv(tmp: Path, out: Path | str, panel: Path | None = None) -> list[Any]:
    panel = panel or panel_file(tmp, base_frame().drop("grp"))
    return ["score", panel, "--spec", spec_file(tmp), "--out", out]


def test_cli_sheet_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the issue asks for --sheet in the CLI; the sheet is named in errors
    def fill(book: Any, sheet: Any) -> None:
        sheet.write_row(0, 0, ["notes"])
        _fill_base(book.add_worksheet("panel"))

    path = _xlsx_book(tmp_path, fill)
    out = tmp_path / "o.csv"
    argv = ["score", str(path), "--sheet", "panel", "--spec", str(spec_file(tmp_path))]
    code = main([*argv, "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert pl.read_csv(out).height == base_frame().height
    line = cli_bad(
        capsys, ["score", path, "--sheet", "nope", "--spec", spec_file(tmp_path)], tmp_path
    )
    assert "nope" in line


@pytest.mark.parametrize("name", ["region", "year", "score", "__nqpf_row__"])
def test_long_form_indicator_named_like_a_key(tmp_path: Path, name: str) -> None:
    # long form: an indicator called 'region' (or 'year') must not overwrite the key
    region, year = ("reg", "yr") if name in ("region", "year") else ("region", "year")
    frame = base_frame().drop("grp").rename({"region": region, "year": year}).rename({"a": name})
    long = frame.unpivot(index=[region, year], variable_name="indicator", value_name="value")
    path = panel_file(tmp_path, long)
    panel = nqpf.read_panel(path, region=region, year=year, form="long")
    assert sorted(panel.regions) == sorted(REGIONS)
    spec = nqpf.IndicatorSpec.from_frame(pl.read_csv(spec_csv(a=name).encode()))
    result = nqpf.entropy_topsis(panel, spec)
    got = scores_of(result, region, year)
    assert got == base_scores()


@pytest.mark.parametrize(
    "name", ["province", "indicator", "obstacle", "dimension", "rank", "weight"]
)
def test_obstacle_keys_named_like_an_output(name: str) -> None:
    spec = nqpf.IndicatorSpec.from_frame(pl.read_csv(spec_csv().encode()))
    plain = nqpf.entropy_topsis(base_frame().drop("grp"), spec, region="region", year="year")
    odd = nqpf.entropy_topsis(base_frame(region=name).drop("grp"), spec, region=name, year="year")
    weights = plain.tables()["weights"].select("indicator", "dimension", "weight")
    o = nqpf.obstacle_degree(odd.tables()["standardized"], weights, keys=[name, "year"])
    p = nqpf.obstacle_degree(plain.tables()["standardized"], weights, keys=["region", "year"])
    ot = o.top(2)
    pt = p.top(2)
    assert sorted(set(ot[name].to_list())) == sorted(REGIONS)
    assert ot.drop(name).rows() == pt.drop("region").rows()


def test_out_equal_to_panel_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    panel = panel_file(tmp_path, base_frame().drop("grp"))
    cli_bad(capsys, _score_argv(tmp_path, panel, panel), tmp_path)


def test_out_equal_to_panel_by_relative_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = panel_file(tmp_path, base_frame().drop("grp"))
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    cli_bad(capsys, _score_argv(tmp_path, "../panel.csv", panel), tmp_path)


def test_out_equal_to_panel_by_symlink(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    panel = panel_file(tmp_path, base_frame().drop("grp"))
    link = tmp_path / "link.csv"
    link.symlink_to(panel)
    cli_bad(capsys, _score_argv(tmp_path, link, panel), tmp_path)


def test_out_equal_to_panel_by_hardlink(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    panel = panel_file(tmp_path, base_frame().drop("grp"))
    link = tmp_path / "hard.csv"
    os.link(panel, link)
    cli_bad(capsys, _score_argv(tmp_path, link, panel), tmp_path)


def test_out_equal_to_spec_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = spec_file(tmp_path)
    panel = panel_file(tmp_path, base_frame().drop("grp"))
    cli_bad(capsys, ["score", panel, "--spec", spec, "--out", spec], tmp_path)


def test_gini_out_equal_to_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = panel_file(tmp_path, base_frame())
    cli_bad(capsys, ["gini", path, "--value", "a", "--group", "grp", "--out", path], tmp_path)


def test_validate_out_equal_to_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = panel_file(tmp_path, base_frame().drop("grp"))
    cli_bad(capsys, ["validate", path, "--spec", spec_file(tmp_path), "--out", path], tmp_path)


def test_report_out_is_an_existing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = panel_file(tmp_path, base_frame())
    existing = write(tmp_path, "notes.txt", "my notes")
    cli_bad(
        capsys,
        [
            "report",
            path,
            "--spec",
            spec_file(tmp_path),
            "--group",
            "grp",
            "--k",
            "2",
            "--no-validate",
            "--out",
            existing,
        ],
        tmp_path,
    )


def test_report_into_folder_holding_the_panel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the panel is named like one of the report's tables: the report must not overwrite it
    folder = tmp_path / "rep"
    (folder / "tables").mkdir(parents=True)
    panel = panel_file(folder / "tables", base_frame(), name="scores.csv")
    before = panel.read_bytes()
    code = main(
        [
            "report",
            str(panel),
            "--spec",
            str(spec_file(tmp_path)),
            "--group",
            "grp",
            "--k",
            "2",
            "--no-validate",
            "--out",
            str(folder),
        ]
    )
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert panel.read_bytes() == before
    assert code in (0, 2)


def test_report_into_folder_holding_the_spec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "rep"
    folder.mkdir()
    spec = spec_file(folder, name="report.md")
    before = spec.read_bytes()
    panel = panel_file(tmp_path, base_frame())
    code = main(
        [
            "report",
            str(panel),
            "--spec",
            str(spec),
            "--group",
            "grp",
            "--k",
            "2",
            "--no-validate",
            "--out",
            str(folder),
        ]
    )
    assert "Traceback" not in capsys.readouterr().err
    assert spec.read_bytes() == before
    assert code in (0, 2)


def test_out_into_missing_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "no" / "such" / "dir" / "o.csv"
    code = main([str(a) for a in _score_argv(tmp_path, out)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert (code == 0 and out.exists()) or (code == 2 and len(err.strip().splitlines()) == 1)


@pytest.mark.parametrize("out", ["/dev/null/o.csv", "/proc/nqpf-o.csv"])
def test_unwritable_out_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], out: str
) -> None:
    cli_bad(capsys, _score_argv(tmp_path, out), tmp_path)


def test_unwritable_report_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = panel_file(tmp_path, base_frame())
    cli_bad(
        capsys,
        [
            "report",
            path,
            "--spec",
            spec_file(tmp_path),
            "--group",
            "grp",
            "--k",
            "2",
            "--no-validate",
            "--out",
            "/proc/nqpf-report",
        ],
        tmp_path,
    )


def test_out_name_with_newline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "o\nx.csv"
    code = main([str(a) for a in _score_argv(tmp_path, out)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if code == 2:
        assert len(err.strip().splitlines()) == 1
        assert "\n" not in err.strip()
    else:
        assert code == 0
        assert out.exists()


def test_rewrite_keeps_file_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "o.csv"
    out.write_text("old")
    out.chmod(0o600)
    assert main([str(a) for a in _score_argv(tmp_path, out)]) == 0, capsys.readouterr().err
    assert out.stat().st_mode & 0o777 == 0o600


def test_failed_run_keeps_previous_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "o.csv"
    out.write_text("previous results")
    bad = write(tmp_path, "bad.csv", "region,year,a,b\nA,2019,x,1\nB,2019,2,3\n")
    cli_bad(capsys, _score_argv(tmp_path, out, bad), tmp_path)
    assert out.read_text() == "previous results"


def test_crashing_report_leaves_no_partial_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a group label matplotlib cannot parse is the report's last chance to fail: nothing
    # may be left in --out, and an existing folder is left as it was
    frame = base_frame().with_columns(pl.col("grp").replace("east", r"$\frac{1}{0}^$"))
    path = panel_file(tmp_path, frame)
    out = tmp_path / "rep"
    code = main(
        [
            "report",
            str(path),
            "--spec",
            str(spec_file(tmp_path)),
            "--group",
            "grp",
            "--k",
            "2",
            "--no-validate",
            "--out",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if code == 2:
        assert not out.exists()
    else:
        assert code == 0
        assert (out / "report.html").exists()


def test_report_over_previous_report_keeps_it_on_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rep"
    out.mkdir()
    (out / "report.html").write_text("previous")
    bad = base_frame().with_columns(pl.col("a").cast(pl.String))
    bad = bad.with_columns(
        pl.when(pl.int_range(pl.len()) == 3).then(pl.lit("oops")).otherwise(pl.col("a")).alias("a")
    )
    cli_bad(
        capsys,
        [
            "report",
            panel_file(tmp_path, bad),
            "--spec",
            spec_file(tmp_path),
            "--group",
            "grp",
            "--no-validate",
            "--out",
            out,
        ],
        tmp_path,
    )
    assert (out / "report.html").read_text() == "previous"


# ======================================================================== OPTIONS


@pytest.mark.parametrize(
    "kwargs",
    [
        {"seed": -1, "bootstrap": 5},
        {"seed": 1.5, "bootstrap": 5},
        {"seed": "abc", "bootstrap": 5},
        {"bootstrap": -1},
        {"bootstrap": True},
        {"bootstrap": 2.5},
        {"level": 1.5, "bootstrap": 5},
        {"level": float("nan"), "bootstrap": 5},
        {"level": 0.0, "bootstrap": 5},
        {"bootstrap": 10**12},
    ],
)
def test_dagum_bad_options_are_one_line(kwargs: dict[str, Any]) -> None:
    with pytest.raises(InputError) as info:
        nqpf.dagum_gini(base_frame(), value="a", group="grp", **kwargs)
    one_line(info.value)


@pytest.mark.parametrize(
    "argv",
    [
        ["--seed", "-1", "--bootstrap", "5"],
        ["--bootstrap", "-5"],
        ["--level", "2"],
        ["--level", "nan", "--bootstrap", "5"],
    ],
)
def test_gini_cli_bad_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    path = panel_file(tmp_path, base_frame())
    cli_bad(capsys, ["gini", path, "--value", "a", "--group", "grp", *argv], tmp_path)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"k": 0},
        {"k": -1},
        {"k": True},
        {"k": 2.5},
        {"k": 10**9},
        {"k": float("nan")},
        {"seed": -1, "rule": "kmeans", "k": 2},
        {"n_init": 0, "rule": "kmeans", "k": 2},
        {"sd_multiplier": float("nan"), "rule": "sd"},
        {"rule": "nope"},
    ],
)
def test_echelons_bad_options(kwargs: dict[str, Any]) -> None:
    with pytest.raises(InputError) as info:
        nqpf.echelons(base_frame(), value="a", region="region", year="year", **kwargs)
    one_line(info.value)


@pytest.mark.parametrize("k", [0, 1, -3, True, 10**6, 2.5])
def test_markov_bad_k(k: Any) -> None:
    with pytest.raises(InputError) as info:
        nqpf.markov_chain(base_frame(), value="a", region="region", year="year", k=k)
    one_line(info.value)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"shift": float("nan")},
        {"shift": -1.0},
        {"shift": float("inf")},
        {"weights": {"a": float("nan"), "b": 1.0}},
        {"weights": {"a": -1.0, "b": 2.0}},
        {"weights": {"a": 0.0, "b": 0.0}},
        {"weights": {"a": 1.0}},
        {"weights": [1.0]},
        {"weights": "nope"},
        {"scope": "decade"},
    ],
)
def test_index_bad_options(kwargs: dict[str, Any]) -> None:
    spec = nqpf.IndicatorSpec.from_frame(pl.read_csv(spec_csv().encode()))
    with pytest.raises(InputError) as info:
        nqpf.entropy_topsis(base_frame().drop("grp"), spec, region="region", year="year", **kwargs)
    one_line(info.value)


@pytest.mark.parametrize("argv", [["--shift", "nan"], ["--shift", "-1"], ["--shift", "inf"]])
def test_score_cli_bad_shift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    panel = panel_file(tmp_path, base_frame().drop("grp"))
    cli_bad(capsys, ["score", panel, "--spec", spec_file(tmp_path), *argv], tmp_path)


def test_report_k_above_the_regions_skips_echelons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--k larger than the number of regions is no tiering, not a failed report: the
    report says so in its not_run table (report.py's decision)."""
    out = tmp_path / "rep"
    argv = [
        "report",
        panel_file(tmp_path, base_frame()),
        "--spec",
        spec_file(tmp_path),
        "--group",
        "grp",
        "--no-validate",
        "--k",
        "1000",
        "--out",
        out,
    ]
    assert main([str(a) for a in argv]) == 0, capsys.readouterr().err
    assert "echelons" in _not_run(out)


@pytest.mark.parametrize("argv", [["--k", "0"], ["--k", "-2"], ["--k", "x"]])
def test_report_cli_bad_k(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    panel = panel_file(tmp_path, base_frame())
    cli_bad(
        capsys,
        [
            "report",
            panel,
            "--spec",
            spec_file(tmp_path),
            "--group",
            "grp",
            "--no-validate",
            *argv,
            "--out",
            tmp_path / "rep",
        ],
        tmp_path,
    )


@pytest.mark.parametrize("tol", ["nan", "-1", "inf"])
def test_validate_cli_bad_tolerance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], tol: str
) -> None:
    panel = panel_file(tmp_path, base_frame().drop("grp"))
    cli_bad(
        capsys, ["validate", panel, "--spec", spec_file(tmp_path), "--tolerance", tol], tmp_path
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n": 0},
        {"n": True},
        {"n": -5},
        {"bw": -1.0},
        {"bw": float("nan")},
        {"bw": 0.0},
        {"cut": float("nan")},
        {"bw": "nope"},
        {"n": 10**10},
    ],
)
def test_kde_bad_options(kwargs: dict[str, Any]) -> None:
    with pytest.raises(InputError) as info:
        nqpf.kernel_density(base_frame(), value="a", year="year", **kwargs)
    one_line(info.value)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"trim": float("nan")},
        {"trim": -0.1},
        {"trim": 1.0},
        {"hp_lambda": -1.0},
        {"hp_lambda": float("nan")},
        {"cstar": float("nan")},
    ],
)
def test_clubs_bad_options(kwargs: dict[str, Any]) -> None:
    with pytest.raises(InputError) as info:
        nqpf.club_convergence(base_frame(), value="a", region="region", year="year", **kwargs)
    one_line(info.value)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"start": 2030.0},
        {"start": float("nan")},
        {"end": 2018.0, "start": 2021.0},
        {"effects": "nope"},
        {"horizon": "weekly"},
    ],
)
def test_beta_bad_options(kwargs: dict[str, Any]) -> None:
    with pytest.raises(InputError) as info:
        nqpf.beta_convergence(base_frame(), value="a", region="region", year="year", **kwargs)
    one_line(info.value)


def test_sigma_log_of_nonpositive_is_one_line() -> None:
    frame = base_frame().with_columns(
        pl.when(pl.int_range(pl.len()) == 7).then(-1.0).otherwise("a").alias("a")
    )
    with pytest.raises(InputError) as info:
        nqpf.sigma_convergence(frame, value="a", year="year", region="region", log=True)
    assert "row 8" in one_line(info.value)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"decimal": "x"},
        {"decimal": ""},
        {"na_values": 5},
        {"max_bytes": -1},
        {"max_bytes": True},
        {"na_values": [None]},
    ],
)
def test_read_bad_options(tmp_path: Path, kwargs: dict[str, Any]) -> None:
    path = panel_file(tmp_path, base_frame().drop("grp"))
    with pytest.raises(InputError) as info:
        nqpf.read_panel(path, **kwargs)
    one_line(info.value)


@pytest.mark.parametrize("sheet", [3.5, -1, 7, True, ""])
def test_read_bad_sheet(tmp_path: Path, sheet: Any) -> None:
    path = panel_file(tmp_path, base_frame().drop("grp"), "p.xlsx")
    with pytest.raises(InputError) as info:
        nqpf.read_panel(path, sheet=sheet)
    assert "p.xlsx" in one_line(info.value)


def test_read_panel_bad_form(tmp_path: Path) -> None:
    path = panel_file(tmp_path, base_frame().drop("grp"))
    with pytest.raises(InputError) as info:
        nqpf.read_panel(path, form="tall")  # type: ignore[arg-type]
    one_line(info.value)


def test_build_report_bad_options(tmp_path: Path) -> None:
    result = nqpf.entropy_topsis(
        base_frame(),
        nqpf.IndicatorSpec.from_frame(pl.read_csv(spec_csv().encode())),
        region="region",
        year="year",
        keep=["grp"],
    )
    for kwargs in (
        {"k": 0},
        {"markov_k": -1},
        {"echelon_rule": "nope"},
        {"group": "nope"},
        {"k": True},
    ):
        with pytest.raises(InputError) as info:
            nqpf.build_report(result, **kwargs)
        one_line(info.value)


# ======================================================================== SPEC


def test_spec_with_unknown_indicator_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    panel = panel_file(tmp_path, base_frame().drop("grp"))
    spec = spec_file(tmp_path, spec_csv(a="zzz"))
    cli_bad(capsys, ["score", panel, "--spec", spec], tmp_path)


@pytest.mark.parametrize("direction", ["up", "1", "NA", "++"])
def test_spec_bad_direction_is_one_line(tmp_path: Path, direction: str) -> None:
    spec = write(
        tmp_path, "s.csv", f"indicator,dimension,direction\na,econ,{direction}\nb,green,-\n"
    )
    with pytest.raises(InputError) as info:
        nqpf.read_spec(spec)
    assert "s.csv" in one_line(info.value)


def test_spec_toml_broken_is_one_line(tmp_path: Path) -> None:
    spec = write(tmp_path, "s.toml", "[[indicator]]\nname = 'a\n")
    with pytest.raises(InputError) as info:
        nqpf.read_spec(spec)
    assert "s.toml" in one_line(info.value)


def test_spec_duplicate_indicator_is_one_line(tmp_path: Path) -> None:
    spec = write(tmp_path, "s.csv", "indicator,dimension,direction\na,econ,+\na,green,-\n")
    with pytest.raises(InputError) as info:
        nqpf.read_spec(spec)
    assert "'a'" in one_line(info.value)


# ======================================================================== LARGE


def test_large_dagum_bootstrap_progress_does_not_crash() -> None:
    rng = np.random.default_rng(3)
    frame = pl.DataFrame({"v": rng.uniform(1, 2, 3000), "g": rng.choice(["a", "b", "c"], 3000)})
    result = nqpf.dagum_gini(frame, value="v", group="g", bootstrap=20, seed=1)
    assert math.isfinite(result.tables()["summary"]["G"][0])


def test_many_groups_dagum() -> None:
    rng = np.random.default_rng(4)
    frame = pl.DataFrame({"v": rng.uniform(1, 2, 4000), "g": [f"g{i % 400}" for i in range(4000)]})
    result = nqpf.dagum_gini(frame, value="v", group="g")
    summary = result.tables()["summary"]
    gw, gnb, gt, g = (summary[c][0] for c in ("Gw", "Gnb", "Gt", "G"))
    assert gw + gnb + gt == pytest.approx(g, rel=1e-12)


# ======================================================================== APP


def _app() -> Any:
    pytest.importorskip("streamlit")
    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parents[1]
    return root, AppTest


def _markdown_bodies(at: Any) -> list[str]:
    bodies = []
    for kind in (
        "error",
        "warning",
        "info",
        "success",
        "markdown",
        "caption",
        "title",
        "header",
        "subheader",
    ):
        for element in getattr(at, kind, []):
            bodies.append(str(element.value))
    return bodies


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("![x](http://127.0.0.1:9/name.png).csv", b"region,year,x\nA,2020,1\nA,2020,2\n"),
        (
            "p.csv",
            b"region,year,x\nA,2020,![x](http://127.0.0.1:9/cell.png)\nB,2020,2\nA,2021,1\nB,2021,3\n",
        ),
        ("[link](http://127.0.0.1:9/l).csv", b"\x00\x01garbage"),
    ],
)
def test_app_never_renders_user_strings_as_markdown(
    monkeypatch: pytest.MonkeyPatch, name: str, data: bytes
) -> None:
    root, AppTest = _app()
    monkeypatch.chdir(root)
    at = AppTest.from_file(str(root / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.radio(key="w.data.source").set_value("upload").run()
    at.file_uploader(key="up.panel").set_value((name, data, "text/csv")).run()
    if "cell.png" in data.decode("latin-1"):
        at.switch_page("pkg/nqpf/app/app_pages/index.py").run()
        if at.button(key="btn.index") is not None:
            at.button(key="btn.index").click().run()
    assert not at.exception, [e.message for e in at.exception]
    for body in _markdown_bodies(at):
        # inside a code span Markdown is literal text (CommonMark §6.1): only outside it
        # would the browser fetch the image or follow the link
        assert "](http://127.0.0.1:9" not in _outside_code_spans(body), body


def _outside_code_spans(text: str) -> str:
    """``text`` with its code spans removed: a run of n backticks up to the next run of
    exactly n backticks (CommonMark §6.1)."""
    import re

    out, i = [], 0
    while i < len(text):
        if text[i] == "`":
            run = re.match(r"`+", text[i:]).group(0)
            close = re.search(rf"(?<!`){run}(?!`)", text[i + len(run) :])
            if close:
                i += len(run) + close.end()
                continue
            out.append(run)
            i += len(run)
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def test_app_region_names_not_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    root, AppTest = _app()
    monkeypatch.chdir(root)
    frame = base_frame().with_columns(
        pl.col("region").replace("Anhui", "**bold** ![i](http://127.0.0.1:9/r.png)")
    )
    at = AppTest.from_file(str(root / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.radio(key="w.data.source").set_value("upload").run()
    at.file_uploader(key="up.panel").set_value(
        ("p.csv", frame.write_csv().encode(), "text/csv")
    ).run()
    assert not at.exception, [e.message for e in at.exception]
    for body in _markdown_bodies(at):
        # inside a code span Markdown is literal text (CommonMark §6.1): only outside it
        # would the browser fetch the image or follow the link
        assert "](http://127.0.0.1:9" not in _outside_code_spans(body), body


def _outside_code_spans(text: str) -> str:
    """``text`` with its code spans removed: a run of n backticks up to the next run of
    exactly n backticks (CommonMark §6.1)."""
    import re

    out, i = [], 0
    while i < len(text):
        if text[i] == "`":
            run = re.match(r"`+", text[i:]).group(0)
            close = re.search(rf"(?<!`){run}(?!`)", text[i + len(run) :])
            if close:
                i += len(run) + close.end()
                continue
            out.append(run)
            i += len(run)
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def test_app_xlsx_zip_bomb_upload_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root, AppTest = _app()
    monkeypatch.chdir(root)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<a>" + b"A" * (300 * 1024 * 1024) + b"</a>")
    at = AppTest.from_file(str(root / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.radio(key="w.data.source").set_value("upload").run()
    at.file_uploader(key="up.panel").set_value(
        (
            "bomb.xlsx",
            buffer.getvalue(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    ).run()
    assert not at.exception
    messages = [e.value for e in at.error]
    assert len(messages) == 1, messages
    assert "\n" not in messages[0], messages
