"""``nqpf gini``: the decomposition from the shell, its outputs, and its bad input."""

from __future__ import annotations

import json
from fractions import Fraction

import polars as pl
import pytest

from nqpf.cli import main

# docs/methods.md §7.1 exact fixture, written as a two-year file (the same cross-section twice)
FIXTURE = {"A": [1, 2, 6], "B": [3, 5], "C": [4, 8, 9, 11]}


@pytest.fixture
def fixture_csv(tmp_path):
    rows = [
        {"year": year, "region": f"{g}{i}", "zone": g, "score": value, "pop": 1.0}
        for year in (2020, 2021)
        for g, values in FIXTURE.items()
        for i, value in enumerate(values)
    ]
    path = tmp_path / "scores.csv"
    pl.DataFrame(rows).write_csv(path)
    return path


def test_gini_json_holds_the_exact_fixture(fixture_csv, tmp_path, capsys):
    out = tmp_path / "dagum.json"
    code = main(
        [
            "gini",
            str(fixture_csv),
            "--value",
            "score",
            "--group",
            "zone",
            "--by",
            "year",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert "Dagum" in capsys.readouterr().out
    payload = json.loads(out.read_text("utf-8"))
    assert {"summary", "within", "between"} <= set(payload)
    # the exact fixture has n = 9 units: each quantity within 2nε ≈ 4e-15 of the
    # rational; JSON holds the double's shortest repr, so 1e-12 is a safe bound
    for row in payload["summary"]:
        assert row["G"] == pytest.approx(float(Fraction(146, 441)), abs=1e-12)
        assert row["Gw"] == pytest.approx(float(Fraction(34, 441)), abs=1e-12)
        assert row["Gnb"] == pytest.approx(float(Fraction(2, 9)), abs=1e-12)
        assert row["Gt"] == pytest.approx(float(Fraction(2, 63)), abs=1e-12)
    pairs = {(r["group_j"], r["group_h"]): r for r in payload["between"] if r["year"] == 2020}
    assert pairs[("C", "A")]["Djh"] == pytest.approx(15 / 16, abs=1e-12)


def test_gini_bootstrap_writes_intervals(fixture_csv, tmp_path, capsys):
    out = tmp_path / "dagum.xlsx"
    code = main(
        [
            "gini",
            str(fixture_csv),
            "--value",
            "score",
            "--group",
            "zone",
            "--by",
            "year",
            "--weights",
            "pop",
            "--bootstrap",
            "99",
            "--seed",
            "7",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    captured = capsys.readouterr()
    assert "bootstrap" in captured.err  # the progress bar
    sheets = pl.read_excel(out, sheet_id=0)
    intervals = sheets["intervals"]
    g = intervals.filter((pl.col("quantity") == "G") & (pl.col("year") == 2020))
    assert g.get_column("lower")[0] <= g.get_column("estimate")[0] <= g.get_column("upper")[0]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--value", "nope", "--group", "zone"], "nope"),
        (["--value", "score", "--group", "nope"], "nope"),
        (["--value", "score", "--group", "zone", "--by", "nope"], "nope"),
        (["--value", "score", "--group", "zone", "--weights", "nope"], "nope"),
    ],
)
def test_gini_unknown_columns(fixture_csv, tmp_path, capsys, args, needle):
    out = tmp_path / "out.csv"
    assert main(["gini", str(fixture_csv), *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert needle in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert not out.exists()


def test_gini_negative_value_names_the_row(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("region,zone,score\na,x,1\nb,x,-2\nc,y,3\nd,y,4\n", "utf-8")
    assert main(["gini", str(path), "--value", "score", "--group", "zone"]) == 2
    err = capsys.readouterr().err
    assert "bad.csv" in err
    assert "row 3" in err
    assert "score" in err


def test_gini_non_numeric_value_names_the_cell(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("region,zone,score\na,x,1\nb,x,abc\nc,y,3\nd,y,4\n", "utf-8")
    assert main(["gini", str(path), "--value", "score", "--group", "zone"]) == 2
    err = capsys.readouterr().err
    assert "row 3" in err
    assert "abc" in err
