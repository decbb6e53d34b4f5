"""Bad input (docs/design.md "Bad input", issue 2), through the API and through the CLI.

Every case checks both fronts:

* the API raises :class:`nqpf.errors.InputError` whose one-line message names what is
  wrong and where: the file, the row as a spreadsheet shows it (header = row 1, first
  data row = row 2) and the column;
* ``nqpf score`` exits 2 with exactly one line on stderr naming the same place, never a
  traceback, and writes nothing: no output file, no ``.nqpf-*`` temporary file, and an
  output that existed before the run is left byte for byte as it was.

All files are written into ``tmp_path`` by the tests themselves. Most CLI runs call
``nqpf.cli.main`` in-process; a few run ``python -m nqpf.cli`` in a real subprocess to
prove that no traceback reaches a terminal.

Decisions recorded here: the text ``NaN``/``nan`` (and ``NA``, empty) is read as a
missing value in a numeric column (see nqpf.io), while ``inf``/``-Inf`` are non-finite numbers and are
rejected as such; in-memory frames count rows from 1 (no header row).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import nqpf
from nqpf.cli import main
from nqpf.errors import InputError
from nqpf.io import write_tables

REPO = Path(__file__).resolve().parents[1]

# --- a small valid panel: 3 regions × 3 years, a benefit and a cost indicator -------------
# spreadsheet rows: header = 1, then rows 2..10 in this order
HEADER = ["region", "year", "a", "b"]
ROWS = [
    ["A", "2019", "1", "9"],  # row 2
    ["B", "2019", "2", "8"],  # row 3
    ["C", "2019", "3", "7"],  # row 4
    ["A", "2020", "2", "6"],  # row 5
    ["B", "2020", "4", "5"],  # row 6
    ["C", "2020", "5", "4"],  # row 7
    ["A", "2021", "3", "3"],  # row 8
    ["B", "2021", "6", "2"],  # row 9
    ["C", "2021", "8", "1"],  # row 10
]
SPEC_CSV = "indicator,dimension,direction\na,econ,+\nb,green,-\n"


def panel_csv(
    edits: dict[tuple[int, str], str] | None = None,
    *,
    header: list[str] | None = None,
    rows: list[list[str]] | None = None,
) -> str:
    """The panel as CSV text; ``edits[(row, column)]`` replaces one cell (row as a spreadsheet shows it)."""
    header = header or HEADER
    rows = [list(r) for r in (rows or ROWS)]
    for (row, column), value in (edits or {}).items():
        rows[row - 2][header.index(column)] = value
    return "\n".join(",".join(r) for r in [header, *rows]) + "\n"


def long_csv(edits: dict[tuple[int, str], str] | None = None, extra: str = "") -> str:
    """The same panel in long form (region, year, indicator, value): rows 2..19."""
    rows = [[r, y, name, v] for r, y, a, b in ROWS for name, v in (("a", a), ("b", b))]
    return panel_csv(edits, header=["region", "year", "indicator", "value"], rows=rows) + extra


def write_xlsx_panel(path: Path, bad_row: int, column: str, value: str) -> None:
    """An XLSX panel (numbers as numbers) with one text cell at a spreadsheet row."""
    frame = pl.read_csv(panel_csv().encode())
    cells = frame.get_column(column).cast(pl.String).to_list()
    cells[bad_row - 2] = value
    frame.with_columns(pl.Series(column, cells)).write_excel(path)


# --- running both fronts -------------------------------------------------------------------


@dataclass
class Case:
    """One bad input: files to write, how to call, and the expected what/where."""

    id: str
    files: dict[str, str | bytes | Callable[[Path], None]]
    what: str
    where_file: str | None  # "panel", "spec" or None (an option error has no file)
    row: int | None = None
    column: str | None = None
    panel: str = "panel.csv"
    spec: str = "spec.csv"
    read: dict[str, Any] = field(default_factory=dict)  # read_panel(...) keywords
    options: dict[str, Any] = field(default_factory=dict)  # entropy_topsis(...) keywords


def materialise(case: Case, folder: Path) -> tuple[Path, Path]:
    files: dict[str, str | bytes | Callable[[Path], None]] = {
        "panel.csv": panel_csv(),
        "spec.csv": SPEC_CSV,
        **case.files,
    }
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(exist_ok=True)
        if callable(content):
            content(path)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    return folder / case.panel, folder / case.spec


def cli_args(panel: Path, spec: Path, read: dict[str, Any], options: dict[str, Any]) -> list[str]:
    args = ["score", str(panel), "--spec", str(spec)]
    for key, value in {**read, **options}.items():
        args += [f"--{key.replace('_', '-')}", str(value)]
    return args


def assert_names_place(text: str, *, file: Path | None, row: int | None, column: str | None):
    assert "\n" not in text.strip()
    if file is not None:
        assert str(file) in text
    if row is not None:
        assert f"row {row}" in text
    if column is not None:
        assert f"column '{column}'" in text


def assert_no_output(folder: Path, out: Path, before: bytes | None) -> None:
    if before is None:
        assert not out.exists()
    else:
        assert out.read_bytes() == before
    assert not list(folder.glob(".nqpf-*")), "a temporary output file was left behind"


def run_cli_bad(
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    folder: Path,
    *,
    out_name: str = "out.csv",
    existing: bytes | None = None,
) -> str:
    """Run ``nqpf`` in-process with ``--out``; assert exit 2, one stderr line, nothing written."""
    out = folder / out_name
    if existing is not None:
        out.write_bytes(existing)
    capsys.readouterr()
    code = main([*args, "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 2, captured
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    assert captured.err.startswith("nqpf score: error: ")
    assert captured.out == "", "a failed run printed results"
    assert_no_output(folder, out, existing)
    return lines[0]


def run_case(case: Case, folder: Path, capsys: pytest.CaptureFixture[str]) -> InputError:
    panel, spec = materialise(case, folder)
    with pytest.raises(InputError) as raised:
        nqpf.entropy_topsis(
            nqpf.read_panel(panel, **case.read), nqpf.read_spec(spec), **case.options
        )
    error = raised.value
    where = {"panel": panel, "spec": spec, None: None}[case.where_file]
    assert case.what in str(error)
    assert error.file == (None if where is None else str(where))
    assert error.row == case.row
    assert error.column == case.column
    assert_names_place(str(error), file=where, row=case.row, column=case.column)

    args = cli_args(panel, spec, case.read, case.options)
    for existing in (None, b"previous results\n"):
        line = run_cli_bad(capsys, args, folder, existing=existing)
        assert case.what in line
        assert_names_place(line, file=where, row=case.row, column=case.column)
    return error


CASES = [
    # --- cells ------------------------------------------------------------------------
    Case(
        "non-numeric cell",
        {"panel.csv": panel_csv({(6, "a"): "4.5x"})},
        "non-numeric value '4.5x'",
        "panel",
        row=6,
        column="a",
    ),
    Case(
        "non-numeric cell in the last row and column",
        {"panel.csv": panel_csv({(10, "b"): "n/a?"})},
        "non-numeric value 'n/a?'",
        "panel",
        row=10,
        column="b",
    ),
    Case(
        "decimal comma is not read as a thousands separator",
        {"panel.csv": panel_csv({(4, "a"): '"1,5"'})},
        "non-numeric value '1,5'",
        "panel",
        row=4,
        column="a",
    ),
    Case(
        "non-finite cell inf",
        {"panel.csv": panel_csv({(3, "a"): "inf"})},
        "non-finite value inf",
        "panel",
        row=3,
        column="a",
    ),
    Case(
        "non-finite cell -Inf",
        {"panel.csv": panel_csv({(9, "b"): "-Inf"})},
        "non-finite value -inf",
        "panel",
        row=9,
        column="b",
    ),
    Case(
        "text NaN is a missing value",
        {"panel.csv": panel_csv({(5, "b"): "NaN"})},
        "missing value of 'b' for A 2020",
        "panel",
        row=5,
        column="b",
    ),
    Case(
        "missing value, default policy",
        {"panel.csv": panel_csv({(7, "a"): ""})},
        "missing value of 'a' for C 2020",
        "panel",
        row=7,
        column="a",
    ),
    Case(
        # a short row may be a shifted one (a cell left out in the middle): reading its
        # cells left to right would put numbers under the wrong indicator, so it is refused
        "short row is refused",
        {"panel.csv": panel_csv().replace("B,2020,4,5\n", "B,2020,4\n")},
        "3 cells where the header names 4 columns",
        "panel",
        row=6,
    ),
    Case(
        "missing value at the start cannot be interpolated",
        {"panel.csv": panel_csv({(3, "a"): ""})},
        "cannot be interpolated",
        "panel",
        row=3,
        column="a",
        options={"missing": "interpolate"},
    ),
    Case(
        "missing value at the end cannot be interpolated",
        {"panel.csv": panel_csv({(10, "b"): ""})},
        "cannot be interpolated",
        "panel",
        row=10,
        column="b",
        options={"missing": "interpolate"},
    ),
    # --- keys ---------------------------------------------------------------------------
    Case(
        "duplicate region-year",
        {"panel.csv": panel_csv({(9, "region"): "C", (9, "year"): "2019"})},
        "rows 4 and 9 both hold region 'C', year 2019",
        "panel",
        row=9,
        column="region",
    ),
    Case(
        "duplicate region-year after trimming spaces",
        {"panel.csv": panel_csv({(9, "region"): " A ", (9, "year"): "2021.0"})},
        "rows 8 and 9 both hold region 'A', year 2021",
        "panel",
        row=9,
        column="region",
    ),
    Case(
        "year with a fraction",
        {"panel.csv": panel_csv({(5, "year"): "2015.5"})},
        "year '2015.5' is not a whole number",
        "panel",
        row=5,
        column="year",
    ),
    Case(
        "year as text",
        {"panel.csv": panel_csv({(8, "year"): "abc"})},
        "year 'abc' is not a whole number",
        "panel",
        row=8,
        column="year",
    ),
    Case(
        "empty year",
        {"panel.csv": panel_csv({(4, "year"): ""})},
        "empty year",
        "panel",
        row=4,
        column="year",
    ),
    Case(
        "empty region",
        {"panel.csv": panel_csv({(6, "region"): ""})},
        "empty region name",
        "panel",
        row=6,
        column="region",
    ),
    Case(
        "blank line inside the data",
        {"panel.csv": panel_csv().replace("C,2020,5,4\n", "C,2020,5,4\n\n")},
        "empty region name",
        "panel",
        row=8,
        column="region",
    ),
    Case(
        "wrong --region names the column",
        {},
        "no column named 'province'",
        "panel",
        row=1,
        read={"region": "province"},
    ),
    Case(
        "wrong --year names the column",
        {},
        "no column named 'jahr'",
        "panel",
        row=1,
        read={"year": "jahr"},
    ),
    # --- indicators ------------------------------------------------------------------------
    Case(
        "indicator constant over the panel",
        {"panel.csv": panel_csv({(r, "a"): "7" for r in range(2, 11)})},
        "indicator 'a' is constant over the panel",
        "panel",
        column="a",
    ),
    Case(
        "indicator constant within one year (scope=year)",
        {"panel.csv": panel_csv({(8, "a"): "5", (9, "a"): "5", (10, "a"): "5"})},
        "indicator 'a' is constant in year 2021",
        "panel",
        column="a",
        options={"scope": "year"},
    ),
    Case(
        "indicator in the spec but not in the panel",
        {"spec.csv": SPEC_CSV + "c,green,+\n"},
        "indicator 'c' is in the spec but not in the panel",
        "panel",
        column="c",
    ),
    Case(
        "ratio standardisation with a non-positive value",
        {"panel.csv": panel_csv({(9, "b"): "0"})},
        "ratio standardisation needs positive values",
        "panel",
        column="b",
        options={"standardization": "ratio"},
    ),
    Case(
        "z-score with too small a shift",
        {},
        "the z-score translation H = shift = 0.5 leaves values ≤ 0",
        "panel",
        column="b",
        options={"standardization": "zscore", "shift": 0.5},
    ),
    Case(
        "ideal=absolute with vector normalisation",
        {},
        "ideal='absolute' needs the min–max scale",
        None,
        options={"ideal": "absolute", "normalization": "vector"},
    ),
    # --- files --------------------------------------------------------------------------------
    Case("empty file (0 bytes)", {"panel.csv": b""}, "the file is empty", "panel"),
    Case("file of blank lines", {"panel.csv": b"\n \r\n\n"}, "the file is empty", "panel"),
    Case(
        "header-only file",
        {"panel.csv": "region,year,a,b\n"},
        "the file has a header but no data rows",
        "panel",
    ),
    Case(
        "header and empty rows only",
        {"panel.csv": "region,year,a,b\n,,,\n\n"},
        "the file has a header but no data rows",
        "panel",
    ),
    Case(
        "UTF-16 file without a byte-order mark",
        {"panel.csv": panel_csv().encode("utf-16-le")},
        "NUL character",
        "panel",
        row=1,
    ),
    Case(
        "Latin-1 byte that is invalid UTF-8 and invalid GB18030",
        # 'á' in Latin-1 is 0xE1; followed by ',' it is no GB18030 sequence either
        {"panel.csv": panel_csv({(4, "region"): "Bogotá"}).encode("latin-1")},
        "neither UTF-8 nor GBK",
        "panel",
        row=4,
    ),
    Case(
        "unknown file extension",
        {"panel.sav": panel_csv()},
        "unknown file type '.sav'",
        "panel",
        panel="panel.sav",
    ),
    Case("panel file not found", {}, "file not found", "panel", panel="nope.csv"),
    Case(
        "damaged XLSX",
        {"panel.xlsx": b"PK\x03\x04 not really a workbook"},
        "not a readable XLSX workbook",
        "panel",
        panel="panel.xlsx",
    ),
    Case(
        "damaged Parquet",
        {"panel.parquet": b"PAR1 truncated"},
        "not a readable Parquet file",
        "panel",
        panel="panel.parquet",
    ),
    Case(
        "XLSX with a non-numeric cell",
        {"panel.xlsx": lambda p: write_xlsx_panel(p, 7, "b", "four")},
        "non-numeric value 'four'",
        "panel",
        row=7,
        column="b",
        panel="panel.xlsx",
    ),
    Case(
        "header names a column twice",
        {"panel.csv": panel_csv(header=["region", "year", "a", "a"])},
        "names column 'a' twice",
        "panel",
        row=1,
        column="a",
    ),
    # --- long form ------------------------------------------------------------------------
    Case(
        "long form: duplicate (region, year, indicator)",
        {"panel.csv": long_csv(extra="B,2020,a,99\n")},
        "rows 10 and 20 both hold a for B 2020",
        "panel",
        row=20,
        column="indicator",
    ),
    Case(
        "long form: non-numeric value of the second indicator names its own row",
        {"panel.csv": long_csv({(11, "value"): "zz"})},
        "non-numeric value 'zz' of indicator 'b'",
        "panel",
        row=11,
        column="value",
    ),
    Case(
        "long form: non-finite value names its own row",
        {"panel.csv": long_csv({(6, "value"): "inf"})},
        "non-finite value inf of indicator 'a'",
        "panel",
        row=6,
        column="value",
    ),
    Case(
        "long form: empty value names its own row",
        {"panel.csv": long_csv({(15, "value"): ""})},
        "missing value of 'b' for A 2021",
        "panel",
        row=15,
        column="value",
    ),
    Case(
        "long form: absent entry names no cell",
        {"panel.csv": long_csv().replace("C,2021,b,1\n", "")},
        "missing value of 'b' for C 2021",
        "panel",
    ),
    # --- spec -----------------------------------------------------------------------------------
    Case(
        "spec: bad direction",
        {"spec.csv": "indicator,dimension,direction\na,econ,+\nb,green,x\n"},
        "direction 'x' of indicator 'b' is neither '+' nor '-'",
        "spec",
        row=3,
        column="direction",
    ),
    Case(
        "spec: duplicate indicator",
        {"spec.csv": SPEC_CSV + "a,green,-\n"},
        "indicator 'a' is listed twice in the spec",
        "spec",
        column="indicator",
    ),
    Case(
        "spec: indicator without a name",
        {"spec.csv": SPEC_CSV + ",green,-\n"},
        "an indicator has no name",
        "spec",
        row=4,
        column="indicator",
    ),
    Case(
        "spec: no indicator column",
        {"spec.csv": "variable,direction\na,+\n"},
        "the spec has no 'indicator' column",
        "spec",
        row=1,
    ),
    Case("spec: file not found", {}, "spec file not found", "spec", spec="absent.toml"),
    Case("spec: a folder", {"spec.d/keep.txt": ""}, "is a directory", "spec", spec="spec.d"),
    Case("spec: empty TOML", {"spec.toml": ""}, "the spec file is empty", "spec", spec="spec.toml"),
    Case(
        "spec: TOML without [[indicator]]",
        {"spec.toml": 'title = "my index"\n'},
        "the TOML spec has no [[indicator]] tables",
        "spec",
        spec="spec.toml",
    ),
    Case(
        "spec: TOML list of names instead of tables",
        {"spec.toml": 'indicator = ["a", "b"]\n'},
        "the TOML spec has no [[indicator]] tables",
        "spec",
        spec="spec.toml",
    ),
    Case(
        "spec: invalid TOML",
        {"spec.toml": "[[indicator]\nname = 'a'\n"},
        "not valid TOML",
        "spec",
        spec="spec.toml",
    ),
    Case(
        "spec: bad direction in TOML",
        {"spec.toml": '[[indicator]]\nname = "a"\n[[indicator]]\nname = "b"\ndirection = "up"\n'},
        "direction 'up' of indicator 'b'",
        "spec",
        row=2,
        column="direction",
        spec="spec.toml",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_api_and_cli(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    run_case(case, tmp_path, capsys)


def test_error_message_is_one_line_with_spreadsheet_rows(tmp_path: Path):
    """The full message, as a user reads it: file, row, column, what — hint."""
    path = tmp_path / "panel.csv"
    path.write_text(panel_csv({(6, "a"): "abc"}))
    with pytest.raises(InputError) as raised:
        nqpf.read_panel(path).indicator_frame(nqpf.IndicatorSpec.from_names(["a", "b"]))
    assert str(raised.value) == (
        f"{path}, row 6, column 'a': non-numeric value 'abc' — cells must be numbers "
        "(with a decimal point); leave a cell empty for a missing value"
    )


# --- the API alone ---------------------------------------------------------------------------


def test_file_over_the_size_limit(tmp_path: Path):
    path = tmp_path / "panel.csv"
    text = panel_csv()
    path.write_text(text)
    size = len(text.encode())
    with pytest.raises(InputError) as raised:
        nqpf.read_panel(path, max_bytes=size - 1)
    error = raised.value
    assert error.file == str(path)
    assert f"the file is {size} bytes, over the {size - 1} bytes limit" in str(error)
    assert nqpf.read_panel(path, max_bytes=size).height == 9  # the limit itself is allowed
    with pytest.raises(InputError, match="over the 10 bytes limit"):
        nqpf.read_panel(text.encode(), name="upload.csv", max_bytes=10)


def test_unreadable_file_is_an_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # chmod does not stop root, so simulate the operating system's refusal
    path = tmp_path / "panel.csv"
    path.write_text(panel_csv())

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(InputError, match=r"cannot read the file \(Permission denied\)") as raised:
        nqpf.read_panel(path)
    assert raised.value.file == str(path)


@pytest.mark.parametrize(
    ("options", "what"),
    [
        ({"weights": "entropie"}, "unknown weights 'entropie' — use one of: entropy, critic"),
        ({"scope": "region"}, "unknown scope 'region' — use one of: panel, year"),
        ({"normalization": "l2"}, "unknown normalization 'l2'"),
        ({"topsis": "euclid"}, "unknown topsis 'euclid'"),
        ({"ideal": "best"}, "unknown ideal 'best'"),
        ({"method": "sum"}, "unknown method 'sum'"),
        ({"standardization": "rank"}, "unknown standardization 'rank'"),
        ({"zero_log": "skip"}, "unknown zero_log 'skip'"),
        ({"missing": "fill"}, "unknown missing 'fill'"),
        ({"shift": -0.1}, "shift=-0.1 must be ≥ 0"),
        ({"shift": float("nan")}, "shift=nan must be a finite number"),
        ({"shift": "a lot"}, "shift='a lot' must be a number"),
        ({"weights": [0.7, -0.3]}, "weight 2 (in spec order) is -0.3: weights must be finite"),
        ({"weights": {"a": 1.0, "b": -2.0}}, "the weight of indicator 'b' is -2.0: weights must"),
        ({"weights": {"a": float("inf"), "b": 1.0}}, "the weight of indicator 'a' is inf"),
        ({"weights": [1.0]}, "1 weights given for 2 indicators"),
        ({"weights": [0.2, 0.3, 0.5]}, "3 weights given for 2 indicators"),
        ({"weights": {"a": 1.0}}, "no weight given for indicator 'b'"),
        ({"weights": {"a": 1, "b": 1, "c": 1}}, "weight given for 'c', which is not an indicator"),
        ({"weights": [0.0, 0.0]}, "the weights sum to 0"),
        ({"weights": ["heavy", 1.0]}, "user weights must be numbers"),
        ({"weights": 3}, "user weights must be numbers"),
    ],
    ids=lambda v: repr(v) if isinstance(v, dict) else "",
)
def test_bad_option_values(tmp_path: Path, options: dict[str, Any], what: str):
    path = tmp_path / "panel.csv"
    path.write_text(panel_csv())
    spec = nqpf.IndicatorSpec.from_names(["a", "b"], directions={"b": "-"})
    with pytest.raises(InputError) as raised:
        nqpf.entropy_topsis(nqpf.read_panel(path), spec, **options)
    assert what in str(raised.value)
    assert "\n" not in str(raised.value)


def test_in_memory_frames_count_rows_from_one():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {"region": ["A", "B", "C"], "year": [2020] * 3, "a": [1.0, 2.0, 3.0], "b": [3, "x", 1]}
    )
    with pytest.raises(InputError) as raised:
        nqpf.entropy_topsis(frame, nqpf.IndicatorSpec.from_names(["a", "b"]))
    error = raised.value
    assert (error.file, error.row, error.column) == (None, 2, "b")
    assert "non-numeric value 'x'" in str(error)


def test_write_to_a_folder_is_an_input_error_and_leaves_nothing(tmp_path: Path):
    target = tmp_path / "scores.csv"
    target.mkdir()
    with pytest.raises(InputError, match="cannot write the file") as raised:
        write_tables({"scores": pl.DataFrame({"x": [1]})}, target)
    assert raised.value.file == str(target)
    assert target.is_dir()
    assert not list(tmp_path.glob(".nqpf-*"))


# --- what must keep working ---------------------------------------------------------------------

CHINESE = "省份,年份,经济发展,污染\n四川,2020,1.5,9\n重庆,2020,2.5,7\n贵州,2020,2.0,8\n"
CHINESE_SPEC = "indicator,dimension,direction\n经济发展,经济,+\n污染,绿色,-\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_chinese_files_in_each_accepted_encoding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
):
    panel_path = tmp_path / "省级面板.csv"
    panel_path.write_bytes(CHINESE.encode(encoding))
    spec_path = tmp_path / "spec.csv"
    spec_path.write_bytes(CHINESE_SPEC.encode(encoding))
    panel = nqpf.read_panel(panel_path, region="省份", year="年份")
    assert panel.frame.columns == ["省份", "年份", "经济发展", "污染"]  # no BOM in the first name
    assert panel.regions == ["四川", "重庆", "贵州"]
    result = nqpf.entropy_topsis(panel, nqpf.read_spec(spec_path))
    best = result.scores.row(0, named=True)
    assert (best["省份"], best["rank"]) == ("重庆", 1)
    assert set(result.weights.get_column("dimension")) == {"经济", "绿色"}

    out = tmp_path / "out.csv"
    args = ["score", str(panel_path), "--spec", str(spec_path), "--region", "省份"]
    code = main([*args, "--year", "年份", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert "重庆" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("suffix", [".csv", ".toml"])
def test_spec_minus_is_a_cost_indicator_not_a_missing_value(tmp_path: Path, suffix: str):
    """'-' is read as a missing cell in a panel CSV, but in a spec it means cost."""
    path = tmp_path / f"spec{suffix}"
    if suffix == ".csv":
        path.write_text(SPEC_CSV + "c,green,−\n")  # also the typeset minus sign U+2212
    else:
        path.write_text(
            '[[indicator]]\nname = "a"\ndirection = "+"\n'
            '[[indicator]]\nname = "b"\ndirection = "-"\n'
            '[[indicator]]\nname = "c"\ndirection = "−"\n'
        )
    spec = nqpf.read_spec(path)
    assert [i.direction for i in spec] == ["+", "-", "-"]


def test_thousands_separators_are_numbers(tmp_path: Path):
    path = tmp_path / "panel.csv"
    path.write_text(panel_csv({(2, "a"): '"1,234.5"', (3, "a"): '"-12,000,000"', (4, "a"): " 7 "}))
    values = nqpf.read_panel(path).indicator_frame(nqpf.IndicatorSpec.from_names(["a", "b"]))
    first_year = values.filter(pl.col("year") == 2019).sort("region").get_column("a")
    assert first_year.to_list() == [1234.5, -12000000.0, 7.0]


@pytest.mark.parametrize("cell", ['"12,000"', '"0,500"', '"1,5"'])
def test_a_comma_that_may_be_a_decimal_comma_is_refused(tmp_path: Path, cell: str):
    """'12,000' is 12000 with thousands separators or 12.0 with a decimal comma: nqpf
    does not guess; it names the cell and says how to tell it (decimal=',')."""
    path = tmp_path / "panel.csv"
    path.write_text(panel_csv({(3, "a"): cell}))
    with pytest.raises(InputError, match=r"row 3, column 'a'.*decimal=','"):
        nqpf.read_panel(path).indicator_frame(nqpf.IndicatorSpec.from_names(["a", "b"]))
    comma = nqpf.read_panel(path, decimal=",").indicator_frame(
        nqpf.IndicatorSpec.from_names(["a", "b"])
    )
    want = float(cell.strip('"').replace(",", "."))
    assert comma.filter(pl.col("year") == 2019).sort("region")["a"][1] == want


def test_extra_columns_are_not_indicators(tmp_path: Path):
    """Columns outside the spec are not checked, even when they hold text or gaps."""
    rows = [[*r, f"note {i}", "n/a" if i % 2 else ""] for i, r in enumerate(ROWS)]
    path = tmp_path / "panel.csv"
    path.write_text(panel_csv(header=[*HEADER, "note", "junk"], rows=rows))
    spec = nqpf.read_spec(SPEC_CSV.encode(), name="spec.csv")
    result = nqpf.entropy_topsis(nqpf.read_panel(path), spec)
    assert result.weights.get_column("indicator").to_list() == ["a", "b"]
    assert result.scores.height == 9


def test_interpolate_fills_an_interior_gap_linearly_in_years():
    frame = pl.DataFrame(
        {
            "region": ["A", "A", "A", "B", "B", "B"],
            "year": [2018, 2019, 2020, 2018, 2020, 2021],  # B has no 2019 row: unbalanced
            "a": [1.0, None, 5.0, 2.0, None, 8.0],
            "b": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    panel = nqpf.read_panel(frame)
    spec = nqpf.IndicatorSpec.from_names(["a", "b"])
    with pytest.raises(InputError, match="missing value of 'a' for A 2019"):
        panel.indicator_frame(spec)
    filled = panel.indicator_frame(spec, missing="interpolate")
    value = {(r, y): a for r, y, a in filled.select("region", "year", "a").iter_rows()}
    # linear interpolation: ≤ 4 roundings of values ≤ 8 (≈ 2e-15 relative)
    assert value["A", 2019] == pytest.approx(3.0, rel=1e-14)
    assert value["B", 2020] == pytest.approx(2.0 + (8.0 - 2.0) * 2 / 3, rel=1e-14)  # by year
    assert nqpf.entropy_topsis(panel, spec, missing="interpolate").scores.height == 6


def test_drop_removes_the_incomplete_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    path = tmp_path / "panel.csv"
    path.write_text(panel_csv({(6, "b"): ""}))
    spec_path = tmp_path / "spec.csv"
    spec_path.write_text(SPEC_CSV)
    result = nqpf.entropy_topsis(nqpf.read_panel(path), nqpf.read_spec(spec_path), missing="drop")
    keys = set(result.scores.select("region", "year").iter_rows())
    assert ("B", 2020) not in keys
    assert len(keys) == 8
    out = tmp_path / "out.csv"
    code = main(
        ["score", str(path), "--spec", str(spec_path), "--missing", "drop", "--out", str(out)]
    )
    assert code == 0, capsys.readouterr().err
    assert pl.read_csv(out).height == 8


def test_parquet_xlsx_long_and_trailing_blank_rows_read_like_the_csv(tmp_path: Path):
    spec = nqpf.read_spec(SPEC_CSV.encode(), name="spec.csv")
    csv_path = tmp_path / "panel.csv"
    csv_path.write_text(panel_csv())
    expected = nqpf.entropy_topsis(nqpf.read_panel(csv_path), spec).scores

    frame = pl.read_csv(panel_csv().encode())
    frame.write_parquet(tmp_path / "panel.parquet")
    frame.write_excel(tmp_path / "panel.xlsx")
    (tmp_path / "long.csv").write_text(long_csv())
    (tmp_path / "trailing.csv").write_text(panel_csv() + ",,,\n\n")
    for name in ("panel.parquet", "panel.xlsx", "long.csv", "trailing.csv"):
        scores = nqpf.entropy_topsis(nqpf.read_panel(tmp_path / name), spec).scores
        assert scores.equals(expected), name


def test_long_form_pivots_to_the_wide_panel(tmp_path: Path):
    path = tmp_path / "long.csv"
    path.write_text(long_csv())
    panel = nqpf.read_panel(path)
    wide = panel.frame.sort("year", "region").with_columns(pl.col("a", "b").cast(pl.Float64))
    assert wide.columns == ["region", "year", "a", "b"]
    assert wide.row(4) == ("B", 2020, 4.0, 5.0)


# --- CLI alone -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["score", "{panel}"], "the following arguments are required: --spec"),
        (["score", "{panel}", "--spec", "{spec}", "--weights", "best"], "invalid choice: 'best'"),
        (["score", "{panel}", "--spec", "{spec}", "--shift", "abc"], "invalid float value: 'abc'"),
        (["score", "{panel}", "--spec", "{spec}", "--scope", "region"], "invalid choice: 'region'"),
        (["score", "{panel}", "--spec", "{spec}", "--bogus"], "unrecognized arguments: --bogus"),
    ],
    ids=["missing --spec", "unknown --weights", "bad --shift", "unknown --scope", "unknown option"],
)
def test_cli_argument_errors_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], what: str
):
    panel, spec = tmp_path / "panel.csv", tmp_path / "spec.csv"
    panel.write_text(panel_csv())
    spec.write_text(SPEC_CSV)
    out = tmp_path / "out.csv"
    argv = [a.format(panel=panel, spec=spec) for a in args] + ["--out", str(out)]
    assert main(argv) == 2  # main() returns the exit code; `nqpf` exits with it
    captured = capsys.readouterr()
    assert len(captured.err.splitlines()) == 1, captured.err
    assert what in captured.err
    assert "usage:" not in captured.err
    assert captured.out == ""
    assert_no_output(tmp_path, out, None)


@pytest.mark.parametrize("out_name", ["out.txt", "results.csv"], ids=["bad suffix", "a folder"])
def test_cli_refuses_a_bad_out_before_computing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], out_name: str
):
    panel, spec = tmp_path / "panel.csv", tmp_path / "spec.csv"
    panel.write_text(panel_csv())
    spec.write_text(SPEC_CSV)
    if out_name == "results.csv":
        (tmp_path / out_name).mkdir()
        existing = None
    else:
        existing = b"keep me\n"
    args = ["score", str(panel), "--spec", str(spec)]
    if out_name == "results.csv":
        capsys.readouterr()
        assert main([*args, "--out", str(tmp_path / out_name)]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert len(captured.err.splitlines()) == 1
        assert "is a directory" in captured.err
        assert (tmp_path / out_name).is_dir()
        assert not list(tmp_path.glob(".nqpf-*"))
    else:
        line = run_cli_bad(capsys, args, tmp_path, out_name=out_name, existing=existing)
        assert "cannot write '.txt' files" in line


# --- real subprocesses: nothing but one line ever reaches the terminal -----------------------------


def _subprocess(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "pkg")}
    return subprocess.run(
        [sys.executable, "-m", "nqpf.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


SUBPROCESS_CASES = [
    (
        "non-numeric cell",
        {"panel.csv": panel_csv({(6, "a"): "abc"})},
        ["score", "panel.csv", "--spec", "spec.csv"],
        ["panel.csv, row 6, column 'a'", "non-numeric value 'abc'"],
    ),
    (
        "undecodable bytes",
        {"panel.csv": b"region,year,a,b\nA,2020,1,2\n\xff\xfe,2020,3,4\n"},
        ["score", "panel.csv", "--spec", "spec.csv"],
        ["panel.csv, row 3", "neither UTF-8 nor GBK"],
    ),
    (
        "missing --spec",
        {},
        ["score", "panel.csv"],
        ["required: --spec"],
    ),
]


@pytest.mark.parametrize(
    ("files", "args", "expected"),
    [c[1:] for c in SUBPROCESS_CASES],
    ids=[c[0] for c in SUBPROCESS_CASES],
)
def test_subprocess_exits_2_with_one_line(
    tmp_path: Path, files: dict[str, str | bytes], args: list[str], expected: list[str]
):
    contents: dict[str, str | bytes] = {"panel.csv": panel_csv(), "spec.csv": SPEC_CSV, **files}
    for name, content in contents.items():
        if isinstance(content, str):
            (tmp_path / name).write_text(content, encoding="utf-8")
        else:
            (tmp_path / name).write_bytes(content)
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"earlier workbook")
    done = _subprocess([*args, "--out", str(out)], tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    for text in expected:
        assert text in done.stderr
    assert done.stdout == ""
    assert_no_output(tmp_path, out, b"earlier workbook")


@pytest.mark.parametrize("method", ["topsis", "linear"])
def test_a_dimension_weighing_zero_is_named(method):
    """User weights 0 for every indicator of a dimension: its score is 0/0 (TOPSIS: both
    distances 0), said as such — not as an overflow."""
    frame = pl.DataFrame(
        {
            "region": list("ABCD") * 2,
            "year": [1] * 4 + [2] * 4,
            "a": [1.0, 2, 3, 4, 5, 6, 7, 8],
            "b": [9.0, 8, 7, 6, 5, 4, 3, 2],
            "c": [3.0, 1, 4, 1, 5, 9, 2, 6],
        }
    )
    spec = nqpf.read_spec(
        pl.DataFrame(
            {"indicator": ["a", "b", "c"], "dimension": ["d1", "d1", "d2"], "direction": "+"}
        )
    )
    with pytest.raises(InputError) as raised:
        nqpf.entropy_topsis(frame, spec, weights=[0.5, 0.5, 0.0], method=method)
    assert "the weights of dimension 'd2' sum to 0" in str(raised.value)
