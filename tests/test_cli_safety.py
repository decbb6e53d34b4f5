"""The CLI never destroys an input, and every odd argument is a one-line error (exit 2).

Each case runs through :func:`nqpf.cli.main` (and a few through a real subprocess) and
checks the exit code, that stderr is one line without a traceback, and that the
inputs are byte-for-byte what they were."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

import nqpf
from nqpf.cli import main

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def files(tmp_path):
    """A small panel (CSV), its spec and a Dagum input table, in tmp_path."""
    rows = [
        {
            "region": f"r{i}",
            "year": year,
            "zone": "ab"[i % 2],
            "gdp": 1.0 + i + year / 10,
            "pop": 2.0 + i,
        }
        for year in (2020, 2021, 2022)
        for i in range(6)
    ]
    panel = tmp_path / "panel.csv"
    pl.DataFrame(rows).write_csv(panel)
    spec = tmp_path / "spec.csv"
    spec.write_text("indicator,dimension,direction\ngdp,a,+\npop,a,+\n", "utf-8")
    table = tmp_path / "scores.csv"
    pl.DataFrame(rows).select("region", "year", "zone", pl.col("gdp").alias("score")).write_csv(
        table
    )
    return {"panel": panel, "spec": spec, "table": table}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _one_line_error(capsys) -> str:
    """stderr without the progress bars (``label [###...] n/m``): one line."""
    err = capsys.readouterr().err
    assert "Traceback" not in err
    shown = [line.split("\r")[-1] for line in err.split("\n")]  # what a terminal shows
    lines = [
        line for line in shown if line.strip() and not re.fullmatch(r"\s*\[[#.]+\] \d+/\d+", line)
    ]
    assert len(lines) == 1, err
    return lines[0]


def _command(kind: str, files: dict[str, Path], out: str) -> list[str]:
    panel, spec, table = (str(files[k]) for k in ("panel", "spec", "table"))
    if kind == "score":
        return ["score", panel, "--spec", spec, "--out", out]
    if kind == "gini":
        return ["gini", table, "--value", "score", "--group", "zone", "--out", out]
    if kind == "validate":
        return ["validate", panel, "--spec", spec, "--out", out]
    return ["report", panel, "--spec", spec, "--out", out, "--no-validate"]


# ------------------------------------------------------------------ outputs vs inputs

CASES = [
    ("score", "panel"),
    ("score", "spec"),
    ("gini", "table"),
    ("validate", "panel"),
    ("validate", "spec"),
    ("report", "panel"),
    ("report", "spec"),
]


@pytest.mark.parametrize(("command", "victim"), CASES)
@pytest.mark.parametrize("how", ["same", "relative", "symlink", "hardlink"])
def test_out_naming_an_input_is_refused(files, tmp_path, capsys, monkeypatch, command, victim, how):
    target = files[victim]
    if how == "same":
        out = str(target)
    elif how == "relative":
        monkeypatch.chdir(tmp_path / ".")
        (tmp_path / "sub").mkdir()
        out = f"sub/../{target.name}"
    elif how == "symlink":
        out = str(tmp_path / f"link{target.suffix}")
        Path(out).symlink_to(target)
    else:
        out = str(tmp_path / f"hard{target.suffix}")
        os.link(target, out)
    before = _snapshot(tmp_path)
    assert main(_command(command, files, out)) == 2
    err = _one_line_error(capsys)
    assert "input" in err
    assert _snapshot(tmp_path) == before


def test_report_folder_holding_the_panel_is_refused(files, tmp_path, capsys, monkeypatch):
    before = _snapshot(tmp_path)
    monkeypatch.chdir(tmp_path)
    for out in (".", str(tmp_path), str(tmp_path / ".." / tmp_path.name)):
        assert main(_command("report", files, out)) == 2
        assert "holds the input" in _one_line_error(capsys)
    assert _snapshot(tmp_path) == before


def test_report_out_an_existing_file(files, tmp_path, capsys):
    out = tmp_path / "report"
    out.write_text("my notes", "utf-8")
    assert main(_command("report", files, str(out))) == 2
    assert "is a file, not a folder" in _one_line_error(capsys)
    assert out.read_text("utf-8") == "my notes"


def test_report_out_a_folder_of_other_files(files, tmp_path, capsys):
    out = tmp_path / "results"
    out.mkdir()
    (out / "notes.txt").write_text("mine", "utf-8")
    assert main(_command("report", files, str(out))) == 2
    assert "not an nqpf report" in _one_line_error(capsys)
    assert (out / "notes.txt").read_text("utf-8") == "mine"


def test_report_twice_replaces_the_first(files, tmp_path, capsys):
    out = tmp_path / "report"
    assert main(_command("report", files, str(out))) == 0
    (out / "report.html").write_text("old", "utf-8")
    assert main(_command("report", files, str(out))) == 0
    capsys.readouterr()
    assert (out / "report.html").read_text("utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_failing_report_leaves_nothing(files, tmp_path, capsys, monkeypatch):
    import nqpf.report

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(nqpf.report, "write_tables", broken)
    out = tmp_path / "report"
    assert main(_command("report", files, str(out))) == 2
    assert "No space left" in _one_line_error(capsys)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["panel.csv", "scores.csv", "spec.csv"]


# ------------------------------------------------------------------ odd arguments

ODD = [
    (["report", "{panel}", "--spec", "{spec}", "--k", "0", "--no-validate"], "--k"),
    (["report", "{panel}", "--spec", "{spec}", "--k", "1", "--no-validate"], "--k"),
    (["report", "{panel}", "--spec", "{spec}", "--k", "three", "--no-validate"], "--k"),
    (["demo", "--k", "-2", "--no-validate"], "--k"),
    (
        ["gini", "{table}", "--value", "score", "--group", "zone", "--bootstrap", "-1"],
        "--bootstrap",
    ),
    (
        [
            "gini",
            "{table}",
            "--value",
            "score",
            "--group",
            "zone",
            "--bootstrap",
            "9",
            "--seed",
            "-1",
        ],
        "--seed",
    ),
    (["gini", "{table}", "--value", "score", "--group", "zone", "--level", "2"], "--level"),
    (["gini", "{table}", "--value", "score", "--group", "zone", "--level", "nan"], "--level"),
    (["gini", "{table}", "--value", "score", "--group", "zone", "--level", "0"], "--level"),
    (["score", "{panel}", "--spec", "{spec}", "--shift", "nan"], "--shift"),
    (["score", "{panel}", "--spec", "{spec}", "--shift", "-1"], "--shift"),
    (["score", "{panel}", "--spec", "{spec}", "--shift", "inf"], "--shift"),
    (["validate", "{panel}", "--spec", "{spec}", "--tolerance", "-1e-3"], "--tolerance"),
    (["app", "--port", "0"], "--port"),
    (["score", "{panel}", "--spec", "{spec}", "--decimal", ";"], "--decimal"),
    (["score", "{panel}", "--spec", "{spec}", "--out", "{tmp}/missing/out.csv"], "does not exist"),
    (["score", "{panel}", "--spec", "{spec}", "--out", "{panel}/out.csv"], "is a file"),
    (["score", "{panel}", "--spec", "{spec}", "--out", "/proc/nqpf-out.csv"], "not writable"),
    (["score", "{panel}", "--spec", "{spec}", "--out", "{tmp}/a\nb/out.csv"], "does not exist"),
    (["score", "{panel}", "--spec", "{spec}", "--out", "{tmp}"], "cannot write"),
    (["score", "{panel}", "--spec", "{spec}", "--out", "{tmp}/out.txt"], "cannot write"),
    (["score", "{tmp}/no\nsuch.csv", "--spec", "{spec}"], "not found"),
    (["score", "{tmp}/no\x1b[2Jsuch.csv", "--spec", "{spec}"], "not found"),
    (
        ["gini", "{table}", "--value", "score", "--group", "zone", "--out", "{tmp}/x/y.json"],
        "exist",
    ),
    (["report", "{panel}", "--spec", "{spec}", "--out", "", "--no-validate"], "no report folder"),
    (["report", "{panel}", "--spec", "{spec}", "--out", "/", "--no-validate"], "report"),
    (["report", "{panel}", "--spec", "{spec}", "--out", "{tmp}/m/r", "--no-validate"], "exist"),
    (
        ["report", "{panel}", "--spec", "{spec}", "--out", "/proc/r", "--no-validate"],
        "not writable",
    ),
    (["demo", "--out", "{panel}", "--no-validate"], "is a file"),
]


def _exit_code(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as stop:  # argparse refuses the option (one line, exit 2)
        return int(stop.code)


@pytest.mark.parametrize(("argv", "needle"), ODD, ids=[" ".join(a[:1] + a[3:]) for a, _ in ODD])
def test_odd_arguments_are_one_line_errors(files, tmp_path, capsys, argv, needle):
    values = {k: str(v) for k, v in files.items()} | {"tmp": str(tmp_path)}
    args = [a.format(**values) for a in argv]
    before = _snapshot(tmp_path)
    assert _exit_code(args) == 2
    err = _one_line_error(capsys)
    assert needle in err, err
    assert "\x1b" not in err  # a name cannot drive the terminal
    assert _snapshot(tmp_path) == before


def test_argument_errors_exit_2(files):
    argv = ["gini", str(files["table"]), "--value", "score", "--group", "zone", "--seed", "-1"]
    assert main(argv) == 2  # main() returns argparse's exit code instead of raising it


@pytest.mark.parametrize(
    "argv",
    [
        ["gini", "{table}", "--value", "score", "--group", "zone", "--level", "2"],
        ["report", "{panel}", "--spec", "{spec}", "--k", "0"],
        ["score", "{panel}", "--spec", "{spec}", "--out", "{tmp}/missing/x.csv"],
    ],
)
def test_odd_arguments_in_a_real_process(files, tmp_path, argv):
    values = {k: str(v) for k, v in files.items()} | {"tmp": str(tmp_path)}
    env = {**os.environ, "PYTHONPATH": str(REPO / "pkg")}
    run = subprocess.run(
        [sys.executable, "-m", "nqpf.cli", *(a.format(**values) for a in argv)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr


def test_control_characters_in_names_do_not_reach_the_terminal(tmp_path, capsys):
    frame = pl.DataFrame(
        {"region": ["\x1b[2Jevil", "b", "c"], "year": [2020] * 3, "x": [1.0, 2.0, 3.0]}
    )
    panel = tmp_path / "p.csv"
    frame.write_csv(panel)
    spec = tmp_path / "s.csv"
    spec.write_text("indicator,dimension,direction\nx,a,+\n", "utf-8")
    assert main(["score", str(panel), "--spec", str(spec)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out


def test_an_unexpected_exception_is_one_line(files, capsys, monkeypatch):
    import nqpf.index

    def bug(*args, **kwargs):
        raise ValueError("need at least one array to stack")

    monkeypatch.setattr(nqpf.index, "entropy_topsis", bug)
    monkeypatch.delenv("NQPF_TRACEBACK", raising=False)
    assert main(_command("score", files, str(files["panel"].with_name("o.csv")))) == 2
    err = _one_line_error(capsys)
    assert "internal error" in err
    assert "ValueError" in err


# ------------------------------------------------------------------ reading options


def test_reading_options_reach_read_panel(files, capsys, monkeypatch):
    import nqpf.io
    import nqpf.panel
    from nqpf.options import ReadOptions

    seen = {}
    real = nqpf.panel.read_panel

    def spy(source, *args, options, **kwargs):
        # the CLI hands the reader one ReadOptions: record what differs from the defaults
        given = {name: getattr(options, name) for name in ReadOptions.names()}
        seen.update({k: v for k, v in given.items() if v != ReadOptions.defaults()[k]})
        return real(source, *args, options=ReadOptions(form=options.form), **kwargs)

    monkeypatch.setattr(nqpf.panel, "read_panel", spy)
    monkeypatch.setattr(nqpf.io, "sheet_names", lambda *a, **k: ["data", "2020"], raising=False)
    panel, spec = str(files["panel"]), str(files["spec"])
    for command in (["score"], ["validate"]):
        seen.clear()
        argv = [*command, panel, "--spec", spec, "--na-values", "—, …,-,N/A,", "--decimal", ","]
        assert main([*argv, "--sheet", "1"]) in (0, 1)
        assert seen["na_values"] == ("—", "…", "-", "N/A")
        assert seen["decimal"] == ","
        assert seen["sheet"] == 1  # no sheet is named "1": the 0-based position
        assert main([*argv, "--sheet", "2020"]) in (0, 1)
        assert seen["sheet"] == "2020"  # a sheet of that name wins
        assert main([*argv, "--sheet", "data"]) in (0, 1)
        assert seen["sheet"] == "data"
    seen.clear()
    assert main([*(["score", panel, "--spec", spec])]) == 0
    assert seen.keys().isdisjoint({"sheet", "na_values", "decimal"})  # the reader's defaults
    capsys.readouterr()


def test_reading_options_reach_the_reader_in_gini(files, capsys, monkeypatch):
    import nqpf.io

    seen = {}
    real = nqpf.io.read_source

    def spy(source, **kwargs):
        seen.update(kwargs)
        return real(source)

    monkeypatch.setattr(nqpf.io, "read_source", spy)
    argv = ["gini", str(files["table"]), "--value", "score", "--group", "zone"]
    assert main([*argv, "--na-values", "n/a", "--decimal", ",", "--sheet", "0"]) == 0
    assert seen == {"na_values": ("n/a",), "decimal": ",", "sheet": 0}
    capsys.readouterr()


def test_reading_options_end_to_end(tmp_path, capsys):
    """Markers read as missing and decimal commas, through the real reader."""
    panel = tmp_path / "p.csv"
    panel.write_text(
        "region;year;a;b\nA;2020;1,5;—\nB;2020;2,5;3,0\nC;2020;4,0;1,0\n"
        "A;2021;2,0;2,0\nB;2021;N/A;1,0\nC;2021;3,0;4,0\n",
        "utf-8",
    )
    spec = tmp_path / "s.csv"
    spec.write_text("indicator,dimension,direction\na,d,+\nb,d,+\n", "utf-8")
    out = tmp_path / "o.csv"
    argv = ["score", str(panel), "--spec", str(spec), "--missing", "drop", "--out", str(out)]
    assert main([*argv, "--na-values", "—,N/A", "--decimal", ","]) == 0
    capsys.readouterr()
    scores = pl.read_csv(out)
    assert scores.height == 4  # A-2020 (b = —) and B-2021 (a = N/A) dropped
    assert set(zip(scores["region"], scores["year"], strict=True)) == {
        ("B", 2020),
        ("C", 2020),
        ("A", 2021),
        ("C", 2021),
    }
    # without the options the marker is a non-numeric cell, named
    assert main(argv) == 2
    assert "—" in _one_line_error(capsys)


def test_sheet_option_end_to_end(tmp_path, capsys):
    import xlsxwriter

    path = tmp_path / "book.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        book.add_worksheet("notes").write_string(0, 0, "read me")
        sheet = book.add_worksheet("2020")
        for c, name in enumerate(["region", "zone", "score"]):
            sheet.write_string(0, c, name)
        for r, (region, zone, score) in enumerate(
            [("a", "x", 1.0), ("b", "x", -2.0), ("c", "y", 3.0), ("d", "y", 4.0)], start=1
        ):
            sheet.write_string(r, 0, region)
            sheet.write_string(r, 1, zone)
            sheet.write_number(r, 2, score)
    argv = ["gini", str(path), "--value", "score", "--group", "zone"]
    for choice in ("2020", "1"):  # the sheet's name, then its 0-based position
        assert main([*argv, "--sheet", choice]) == 2
        err = _one_line_error(capsys)
        assert "2020" in err
        assert "row 3" in err  # b's row in the sheet


@pytest.mark.parametrize(("suffix", "row"), [(".xlsx", 3), (".parquet", 2), (".csv", 3)])
def test_gini_rows_are_the_files_rows(tmp_path, capsys, suffix, row):
    """The second data row is row 3 of a spreadsheet (header = row 1), row 2 of Parquet."""
    frame = pl.DataFrame(
        {"region": list("abcd"), "zone": list("xxyy"), "score": [1.0, -2.0, 3.0, 4.0]}
    )
    path = tmp_path / f"t{suffix}"
    if suffix == ".xlsx":
        frame.write_excel(path)
    elif suffix == ".parquet":
        frame.write_parquet(path)
    else:
        frame.write_csv(path)
    assert main(["gini", str(path), "--value", "score", "--group", "zone"]) == 2
    err = _one_line_error(capsys)
    assert f"row {row}," in err
    assert path.name in err


def test_score_output_still_written(files, tmp_path, capsys):
    out = tmp_path / "scores.xlsx"
    assert main(_command("score", files, str(out))) == 0
    capsys.readouterr()
    assert pl.read_excel(out, sheet_name="scores").height == 18
    assert nqpf.read_panel(files["panel"]).frame.height == 18


@pytest.mark.parametrize("group", ["region", "year"])
def test_report_grouped_by_a_key_column(files, tmp_path, capsys, group):
    """--group naming the region (or year) column: a decomposition by region, no crash."""
    out = tmp_path / "report"
    code = main([*_command("report", files, str(out)), "--group", group])
    capsys.readouterr()
    assert code == 0
    assert (out / "report.html").exists()


def test_numpy_warnings_do_not_reach_stderr(files):
    """In a real process (pytest would capture the warning itself)."""
    script = (
        "import sys, numpy as np, nqpf.index\n"
        "from nqpf.errors import InputError\n"
        "def overflowing(*a, **k):\n"
        "    np.exp(np.array([1e308]))  # RuntimeWarning: overflow encountered in exp\n"
        "    raise InputError('the score overflows')\n"
        "nqpf.index.entropy_topsis = overflowing\n"
        "from nqpf.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, "score", str(files["panel"]), "--spec", str(files["spec"])],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "pkg")},
        timeout=300,
        check=False,
    )
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == ["nqpf score: error: the score overflows"]
