"""The spreadsheet writers (:func:`nqpf.io.write_tables`): formula neutralisation in
headers and cells, Excel-valid sheet names, exact numbers, and atomic writes that keep
a file's mode.

XLSX files are checked in their XML (what Excel itself reads): a formula is an ``<f>``
element, so "no formula" is "no ``<f>`` in any sheet"; the texts are read back from the
shared-string table, independently of the writer."""

from __future__ import annotations

import csv
import json
import os
import re
import stat
import unicodedata
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nqpf.errors import InputError
from nqpf.io import (
    FORMULA_STARTS,
    formula_like,
    neutralise_formulas,
    neutralise_text,
    write_tables,
    xlsx_sheet_names,
)

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}

#: Texts a spreadsheet runs as formulas (OWASP CSV injection), headers or cells.
HOSTILE = [
    "=1+1",
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
    "\n=1",
    "  =1+1",
    "＝1+1",
]


def _xlsx(path: Path) -> dict[str, list[list[object]]]:
    """Each sheet's cells as written: text from the shared strings, numbers as floats;
    asserts that no cell holds a formula or a formula-string result."""
    with zipfile.ZipFile(path) as archive:
        shared = []
        if "xl/sharedStrings.xml" in archive.namelist():
            root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            for si in root.findall("m:si", NS):
                text = "".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t"))
                # OOXML writes control characters as _xHHHH_ (ECMA-376 §22.9.2.19)
                shared.append(re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m[1], 16)), text))
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        names = [s.get("name") for s in book.find("m:sheets", NS)]
        sheets: dict[str, list[list[object]]] = {}
        for number, name in enumerate(names, start=1):
            root = ElementTree.fromstring(archive.read(f"xl/worksheets/sheet{number}.xml"))
            rows = []
            for row in root.iter(f"{{{NS['m']}}}row"):
                cells: list[object] = []
                for cell in row.findall("m:c", NS):
                    assert cell.find("m:f", NS) is None, f"formula in {name}!{cell.get('r')}"
                    assert cell.get("t") not in ("str", "e"), f"formula result in {name}"
                    value = cell.find("m:v", NS)
                    if cell.get("t") == "s":
                        cells.append(shared[int(value.text)])
                    elif cell.get("t") == "b":
                        cells.append(value.text == "1")
                    else:
                        cells.append(float(value.text))
                rows.append(cells)
            sheets[name] = rows
    return sheets


# --------------------------------------------------------------------- neutralisation


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_texts_get_a_quote(text):
    assert formula_like(text)
    assert neutralise_text(text) == "'" + text


@pytest.mark.parametrize("text", ["+", "-", " - ", "ok", "a=b", "1.5", "", "  ", "'=x", "东部"])
def test_other_texts_are_kept(text):
    assert not formula_like(text)
    assert neutralise_text(text) == text


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.text(alphabet=st.sampled_from([*FORMULA_STARTS, " ", "a", "1", "'"])), max_size=8)
)
def test_frame_neutralisation_is_the_scalar_rule(texts):
    """The vectorised column rule and the scalar rule agree on every text."""
    frame = pl.DataFrame({"t": texts}, schema={"t": pl.String})
    got = neutralise_formulas(frame).get_column("t").to_list()
    assert got == [neutralise_text(t) for t in texts]
    assert neutralise_formulas(neutralise_formulas(frame)).equals(neutralise_formulas(frame))


def test_column_names_are_neutralised_and_stay_distinct():
    frame = pl.DataFrame({"=a": [1], "'=a": [2], "ok": [3]})
    assert neutralise_formulas(frame).columns == ["''=a", "'=a", "ok"]


@pytest.fixture
def hostile_tables():
    main = pl.DataFrame(
        {
            "region": HOSTILE,
            "year": [2020] * len(HOSTILE),
            **{name: [float(i) for i in range(len(HOSTILE))] for name in HOSTILE[:5]},
        }
    )
    return {"scores": main, "=weights": pl.DataFrame({"@indicator": HOSTILE, "w": [0.1] * 10})}


def test_csv_neutralises_headers_and_cells(hostile_tables, tmp_path):
    path = write_tables(hostile_tables, tmp_path / "out.csv")
    with path.open(encoding="utf-8", newline="") as handle:  # keep a CR inside a cell
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    assert header == ["region", "year", *("'" + h for h in HOSTILE[:5])]
    assert [row[0] for row in body] == ["'" + h for h in HOSTILE]
    for cell in [*header, *(c for row in body for c in row)]:
        assert not formula_like(cell), cell
    assert float(body[3][2 + 3]) == 3.0  # numbers untouched


def test_xlsx_has_no_formula_and_neutralised_text(hostile_tables, tmp_path):
    meta = {"=option": "=1+1", "keep": ["+zone", "ok"]}
    path = write_tables(hostile_tables, tmp_path / "out.xlsx", meta=meta)
    sheets = _xlsx(path)  # asserts that no cell is a formula
    assert list(sheets) == ["scores", "=weights", "options"]
    scores = sheets["scores"]
    assert scores[0] == ["region", "year", *("'" + h for h in HOSTILE[:5])]
    assert [row[0] for row in scores[1:]] == ["'" + h for h in HOSTILE]
    assert sheets["=weights"][0] == ["'@indicator", "w"]
    assert sheets["options"][1:] == [["'=option", "'=1+1"], ["keep", "'+zone, ok"]]
    for rows in sheets.values():
        for cell in (c for row in rows for c in row):
            assert not (isinstance(cell, str) and formula_like(cell)), cell


def test_xlsx_text_that_looks_like_a_link_or_number_stays_text(tmp_path):
    frame = pl.DataFrame({"t": ["http://evil.example", "mailto:a@b.c", "1e5", "TRUE"]})
    sheets = _xlsx(write_tables({"t": frame}, tmp_path / "t.xlsx"))
    assert [row[0] for row in sheets["t"][1:]] == frame.get_column("t").to_list()
    with zipfile.ZipFile(tmp_path / "t.xlsx") as archive:
        assert not any("hyperlink" in name.lower() for name in archive.namelist())
        assert b"<hyperlink" not in archive.read("xl/worksheets/sheet1.xml")


def test_xlsx_numbers_keep_every_digit(tmp_path):
    frame = pl.DataFrame(
        {
            "x": [1 / 3, 3.2e-10, float("nan"), float("inf"), -float("inf"), 0.1 + 0.2],
            "big": [2**53, 2**53 + 1, -(2**63), 7, None, 1],
        },
        schema={"x": pl.Float64, "big": pl.Int64},
    )
    sheets = _xlsx(write_tables({"t": frame}, tmp_path / "t.xlsx"))
    rows = sheets["t"][1:]
    assert rows[0][0] == 1 / 3  # the XML holds the shortest round-trip repr
    assert rows[1][0] == 3.2e-10
    assert [row[0] for row in rows[2:5]] == ["NaN", "inf", "-inf"]  # no #NUM! formula
    assert rows[5][0] == 0.1 + 0.2  # needs 17 digits: xlsxwriter's %.16G writes 0.3
    assert rows[0][1] == float(2**53)
    assert rows[1][1] == str(2**53 + 1)  # a double would make it 2**53
    assert rows[2][1] == str(-(2**63))


# --------------------------------------------------------------------- sheet names

EXCEL_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _valid_sheet_names(names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        assert 1 <= _utf16(name) <= 31, name
        assert not EXCEL_FORBIDDEN.search(name), name
        assert not name.startswith("'"), name
        assert not name.endswith("'"), name
        assert not any(unicodedata.category(c).startswith("C") for c in name), name
        assert name.casefold() != "history"
        assert name.casefold() not in seen, name
        seen.add(name.casefold())


HOSTILE_SHEETS = [
    "dagum_" + "a" * 25 + "_within",
    "dagum_" + "a" * 25 + "_between",
    "a/b",
    "a\\b?*[x]:y",
    "'quoted'",
    "",
    "   ",
    "Scores",
    "SCORES",
    "History",
    "x\ny",
    "😀" * 20,
    "东部地区" * 10,
    "'",
]


def test_hostile_sheet_names_become_valid_and_distinct():
    names = xlsx_sheet_names(HOSTILE_SHEETS)
    _valid_sheet_names(names)
    assert names[2] == "a_b"
    assert names[7] == "Scores"
    assert names[8] != "SCORES"
    assert names[8].startswith("SCORES")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=12))
def test_any_sheet_names_become_valid_and_distinct(names):
    result = xlsx_sheet_names(names)
    assert len(result) == len(names)
    _valid_sheet_names(result)


def test_workbook_with_hostile_table_names_opens_and_lists_them(tmp_path):
    tables = {name: pl.DataFrame({"v": [i]}) for i, name in enumerate(HOSTILE_SHEETS)}
    path = write_tables(tables, tmp_path / "t.xlsx", meta={"weights": "entropy"})
    sheets = _xlsx(path)
    _valid_sheet_names(list(sheets))
    assert len(sheets) == len(HOSTILE_SHEETS) + 2  # + options + contents
    contents = sheets[list(sheets)[-1]]
    assert contents[0] == ["sheet", "table"]
    listed = {row[1]: row[0] for row in contents[1:]}
    for i, name in enumerate(HOSTILE_SHEETS):
        shown = neutralise_text(name)  # the full name, as a cell shows it
        assert sheets[listed[shown]][1] == [float(i)]
    # polars (calamine) opens every sheet
    assert len(pl.read_excel(path, sheet_id=0)) == len(sheets)


def test_plain_names_get_no_contents_sheet(tmp_path):
    path = write_tables({"scores": pl.DataFrame({"v": [1]})}, tmp_path / "t.xlsx")
    assert list(_xlsx(path)) == ["scores"]


def test_xlsx_too_large_is_refused_before_writing(tmp_path):
    wide = pl.DataFrame({f"c{i}": [1] for i in range(16_385)})
    with pytest.raises(InputError, match="more than an XLSX sheet holds"):
        write_tables({"t": wide}, tmp_path / "t.xlsx")
    long_text = pl.DataFrame({"t": ["x" * 32_768]})
    with pytest.raises(InputError, match="longer than an XLSX cell holds"):
        write_tables({"t": long_text}, tmp_path / "t.xlsx")
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------- atomic writes


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_rewrite_keeps_a_private_mode(tmp_path, suffix):
    path = tmp_path / f"out{suffix}"
    path.write_bytes(b"old")
    path.chmod(0o600)
    write_tables({"t": pl.DataFrame({"v": [1]})}, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o640)
    write_tables({"t": pl.DataFrame({"v": [2]})}, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_new_file_gets_what_open_gives(tmp_path):
    old = os.umask(0o027)
    try:
        with (tmp_path / "plain").open("w"):
            pass
        path = write_tables({"t": pl.DataFrame({"v": [1]})}, tmp_path / "new.csv")
    finally:
        os.umask(old)
    expected = stat.S_IMODE((tmp_path / "plain").stat().st_mode)
    assert expected == 0o640
    assert stat.S_IMODE(path.stat().st_mode) == expected


def test_failed_write_keeps_the_old_file_and_leaves_nothing(tmp_path):
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"old workbook")
    with pytest.raises(InputError):
        write_tables({"t": pl.DataFrame({"t": ["x" * 40_000]})}, path)
    assert path.read_bytes() == b"old workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_symlink_is_written_through(tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old", "utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    write_tables({"t": pl.DataFrame({"v": [1]})}, link)
    assert link.is_symlink()
    assert target.read_text("utf-8") == "v\n1\n"


@pytest.mark.parametrize(
    ("where", "needle"),
    [
        ("missing/out.csv", "does not exist"),
        ("file.txt/out.csv", "is a file, not a folder"),
        ("folder.csv", "is a directory"),
    ],
)
def test_bad_targets_are_one_error(tmp_path, where, needle):
    (tmp_path / "file.txt").write_text("x", "utf-8")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(InputError, match=needle):
        write_tables({"t": pl.DataFrame({"v": [1]})}, tmp_path / where)
    assert not (tmp_path / "missing").exists()


def test_unwritable_folder_is_one_error():
    # /proc refuses new files even to root (CI runs as root, which ignores chmod)
    with pytest.raises(InputError, match="cannot write the file"):
        write_tables({"t": pl.DataFrame({"v": [1]})}, "/proc/nqpf-out.csv")


def test_nested_and_binary_columns_are_written_as_text(tmp_path):
    frame = pl.DataFrame({"l": [[1, 2]], "s": [{"a": "=x"}], "b": [b"\x00\x01"]})
    for suffix in (".csv", ".xlsx"):
        write_tables({"t": frame}, tmp_path / f"t{suffix}")
    assert _xlsx(tmp_path / "t.xlsx")["t"][1][2] == "0001"


def test_app_csv_export_neutralises_headers_too():
    from nqpf.app.export import csv_bytes

    frame = pl.DataFrame({"=SUM(A1)": ["=1+1"], "ok": ["-"]})
    text = csv_bytes(frame).decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header == "'=SUM(A1),ok"
    assert row == "'=1+1,-"


# --------------------------------------------------------------------- Parquet, JSON, CSV folders

#: Numbers a writer must keep exactly: thirds, 17-digit sums, tiny, huge, signed zero,
#: NaN and ±∞, and nulls.
NUMBERS = pl.DataFrame(
    {
        "region": ["a", "=b", "c", "d", "e", "f"],
        "x": [1 / 3, 0.1 + 0.2, 3.2e-310, -1.7976931348623157e308, float("nan"), float("inf")],
        "n": [2**53 + 1, -(2**63), 0, 7, None, 1],
        "flag": [True, False, None, True, True, False],
    },
    schema={"region": pl.String, "x": pl.Float64, "n": pl.Int64, "flag": pl.Boolean},
)
OTHER = pl.DataFrame({"k": ["p", "q"], "v": [-0.0, 2.5e-5]})


def test_parquet_holds_the_main_table_exactly(tmp_path):
    path = write_tables({"other": OTHER, "main": NUMBERS}, tmp_path / "t.parquet", main="main")
    back = pl.read_parquet(path)
    assert back.schema == NUMBERS.schema
    assert back.equals(NUMBERS)  # NaN, ±inf, nulls and every digit; text not quoted
    assert back.get_column("region")[1] == "=b"
    first = pl.read_parquet(write_tables({"other": OTHER, "main": NUMBERS}, tmp_path / "f.pq"))
    assert first.equals(OTHER)  # no main given: the first table
    assert str(first.get_column("v")[0]) == "-0.0"


def _strict_json(text: str) -> object:
    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_json_writes_non_finite_numbers_as_null(tmp_path):
    meta = {"level": 0.95, "bad": float("nan"), "list": [1.0, float("-inf")]}
    path = write_tables({"main": NUMBERS, "other": OTHER}, tmp_path / "t.json", meta=meta)
    data = _strict_json(path.read_text("utf-8"))  # valid JSON: no NaN/Infinity tokens
    rows = data["main"]
    assert [r["x"] for r in rows] == [*NUMBERS.get_column("x").to_list()[:4], None, None]
    assert [r["n"] for r in rows] == NUMBERS.get_column("n").to_list()
    assert [r["flag"] for r in rows] == NUMBERS.get_column("flag").to_list()
    assert rows[1]["region"] == "=b"  # JSON is not a spreadsheet: text as it is
    assert data["other"] == OTHER.to_dicts()
    assert data["meta"] == {"level": 0.95, "bad": None, "list": [1.0, None]}


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_a_path_without_suffix_is_a_folder_of_csvs(tmp_path):
    tables = {"main": NUMBERS, "=other": OTHER, "a/../b": OTHER.head(1)}
    out = write_tables(tables, tmp_path / "tables")
    assert out == tmp_path / "tables"
    names = sorted(p.name for p in out.iterdir())
    assert names == [".nqpf-tables", "_other.csv", "a_.._b.csv", "main.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]  # nothing else left
    header, *body = _read_csv(out / "main.csv")
    assert header == NUMBERS.columns
    assert [r[0] for r in body] == ["a", "'=b", "c", "d", "e", "f"]  # neutralised
    for row, x, n in zip(body, NUMBERS["x"], NUMBERS["n"], strict=True):
        assert float(row[1]) == x or (x != x and row[1] == "NaN")
        assert (int(row[2]) if row[2] else None) == n
    other = _read_csv(out / "_other.csv")
    assert other[0] == ["k", "v"]
    assert [(r[0], float(r[1])) for r in other[1:]] == [("p", -0.0), ("q", 2.5e-5)]
    assert str(float(other[1][1])) == "-0.0"  # the sign of zero kept
    assert _read_csv(out / "a_.._b.csv") == other[:2]


def test_a_folder_of_tables_is_replaced_whole_and_others_are_refused(tmp_path):
    out = write_tables({"a": OTHER, "b": OTHER}, tmp_path / "t")
    write_tables({"c": NUMBERS}, out)  # written by nqpf: replaced whole
    assert sorted(p.name for p in out.iterdir()) == [".nqpf-tables", "c.csv"]
    empty = tmp_path / "empty"
    empty.mkdir()
    write_tables({"c": NUMBERS}, empty)  # an empty folder is taken
    assert (empty / "c.csv").is_file()
    for i, foreign in enumerate(("notes.txt", "data.csv")):
        mine = tmp_path / f"mine{i}"
        mine.mkdir()
        (mine / foreign).write_text("keep me", "utf-8")
        with pytest.raises(
            InputError, match=f"holds files that nqpf did not write \\({foreign}\\)"
        ):
            write_tables({"c": NUMBERS}, mine)
        assert sorted(p.name for p in mine.iterdir()) == [foreign]
    (out / "extra.txt").write_text("added by hand", "utf-8")  # an nqpf folder grown by hand
    with pytest.raises(InputError, match=r"\(extra\.txt\)"):
        write_tables({"c": NUMBERS}, out)
    (tmp_path / "plain").write_text("a file", "utf-8")
    with pytest.raises(InputError, match="is a file, not a folder"):
        write_tables({"c": NUMBERS}, tmp_path / "plain")
    with pytest.raises(InputError, match="does not exist"):
        write_tables({"c": NUMBERS}, tmp_path / "missing" / "t")
    assert not (tmp_path / "missing").exists()


def test_a_failed_folder_write_keeps_the_old_folder_and_leaves_nothing(tmp_path, monkeypatch):
    import nqpf.io

    out = write_tables({"a": OTHER}, tmp_path / "t")
    before = (out / "a.csv").read_bytes()
    real = nqpf.io._write_csv
    calls = []

    def fail_second(table, path):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(table, path)

    monkeypatch.setattr(nqpf.io, "_write_csv", fail_second)
    with pytest.raises(InputError, match="No space left"):
        write_tables({"a": NUMBERS, "b": NUMBERS}, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t"]
    assert sorted(p.name for p in out.iterdir()) == [".nqpf-tables", "a.csv"]
    assert (out / "a.csv").read_bytes() == before


def test_folder_targets_that_cannot_be_replaced_are_one_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for where in (".", "..", "/"):
        with pytest.raises(InputError, match="cannot replace this folder"):
            write_tables({"c": OTHER}, where)
    with pytest.raises(InputError, match="cannot write"):
        write_tables({"c": OTHER}, "/proc/nqpf-tables")
    with pytest.raises(InputError, match=r"cannot write '\.txt' files"):
        write_tables({"c": OTHER}, tmp_path / "t.txt")
