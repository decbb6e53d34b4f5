"""``nqpf spatial`` (and ``--spatial-weights`` of report and validate): the statistics of
a 31-province panel from the shell, the weights it reads, and its bad input.

The panel is synthetic: a score that rises from west to east (the capitals' longitude)
plus noise, over the built-in China contiguity, so that Moran's I is clearly positive.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import polars as pl
import pytest

import nqpf
from nqpf.cli import main
from nqpf.spatial import capital_coordinates, contiguity

YEARS = (2018, 2019, 2020)


def _panel() -> pl.DataFrame:
    coords = capital_coordinates("china-provinces")
    rng = np.random.default_rng(11)
    rows = [
        {"province": name, "year": year, "score": lon / 10 + rng.normal(0, 0.3)}
        for year in YEARS
        for name, (lon, _) in coords.items()
    ]
    return pl.DataFrame(rows)


@pytest.fixture
def panel_csv(tmp_path):
    path = tmp_path / "panel.csv"
    _panel().write_csv(path)
    return path


def _run(panel, *more, weights="china-provinces"):
    base = ["spatial", str(panel), "--value", "score", "--region", "province"]
    return main([*base, "--year", "year", "--weights", str(weights), *more])


def _moran_by_hand(x: np.ndarray, ids: list[str]) -> float:
    """Moran's I = n/S0 · z'Wz / z'z on row-standardised queen contiguity, written from
    the edge list with numpy alone (S0 = n for row-standardised weights)."""
    edges = contiguity("china-provinces").to_frame()
    index = {name: k for k, name in enumerate(ids)}
    w = np.zeros((len(ids), len(ids)))
    for focal, neighbour in zip(edges["focal"], edges["neighbour"], strict=True):
        w[index[focal], index[neighbour]] = 1.0
    w /= w.sum(axis=1, keepdims=True)
    z = x - x.mean()
    return float(len(x) / w.sum() * (z @ w @ z) / (z @ z))


def test_json_holds_one_table_per_statistic_with_the_defining_formula(panel_csv, tmp_path, capsys):
    out = tmp_path / "spatial.json"
    stats = "moran,geary,g,local-moran,local-g,gini"
    assert _run(panel_csv, "--stat", stats, "--seed", "3", "--out", str(out)) == 0
    printed = capsys.readouterr().out
    assert "Moran's I of 'score'" in printed
    assert f"wrote {out}" in printed
    payload = json.loads(out.read_text("utf-8"))
    expected = {"moran", "geary", "getis_ord_g", "local_moran", "local_g", "spatial_gini"}
    assert expected <= set(payload)
    frame = _panel()
    for row in payload["moran"]:
        year = frame.filter(pl.col("year") == row["year"])
        by_hand = _moran_by_hand(year["score"].to_numpy(), year["province"].to_list())
        # 31 regions, sums of O(1) terms: a few ulps apart; 1e-12 is generous
        assert row["I"] == pytest.approx(by_hand, rel=1e-12)
        assert row["expected"] == pytest.approx(-1 / 30, rel=1e-15)
        # the planted west–east gradient is strong positive autocorrelation
        assert row["I"] > 0.3
        assert row["p_norm"] < 0.01
    assert len(payload["local_moran"]) == 31 * len(YEARS)
    assert {r["quadrant"] for r in payload["local_moran"]} <= {"HH", "LH", "LL", "HL"}
    assert payload["meta"]["weights"] == "china-provinces"
    assert payload["meta"]["seed"] == 3


def test_the_cli_gives_the_apis_numbers_and_options(panel_csv, tmp_path, capsys):
    out = tmp_path / "s.xlsx"
    argv = ["--stat", "geary,local-g", "--seed", "5", "--permutations", "99", "--star"]
    assert _run(panel_csv, *argv, "--alpha", "0.1", "--out", str(out)) == 0
    sheets = pl.read_excel(out, sheet_id=0)
    frame = _panel()
    w = contiguity("china-provinces")
    geary = nqpf.geary(frame, "score", "province", "year", w=w, seed=5, permutations=99)
    local = nqpf.local_g(
        frame, "score", "province", "year", w=w, seed=5, permutations=99, star=True, alpha=0.1
    )
    for name, result in (("geary", geary), ("local_g", local)):
        mine = sheets[name]
        assert mine.columns == result.table.columns
        for column in ("z", "p_sim"):
            assert mine[column].to_list() == pytest.approx(result.table[column].to_list())
    assert local.options["star"] is True
    assert local.options["style"] == "b"


def test_an_edge_list_gives_the_same_numbers_as_the_built_in_weights(panel_csv, tmp_path, capsys):
    edges = tmp_path / "edges.csv"
    contiguity("china-provinces").to_frame().select("focal", "neighbour").write_csv(edges)
    built_in, listed = tmp_path / "a.json", tmp_path / "b.json"
    assert _run(panel_csv, "--seed", "1", "--out", str(built_in)) == 0
    assert _run(panel_csv, "--seed", "1", "--out", str(listed), weights=edges) == 0
    a, b = (json.loads(p.read_text("utf-8")) for p in (built_in, listed))
    assert a["moran"] == b["moran"]
    assert a["local_moran"] == b["local_moran"]


def test_csv_out_writes_one_file_per_statistic(panel_csv, tmp_path, capsys):
    out = tmp_path / "res.csv"
    assert _run(panel_csv, "--stat", "moran,gini", "--permutations", "0", "--out", str(out)) == 0
    moran = pl.read_csv(tmp_path / "res-moran.csv")
    assert moran["year"].to_list() == list(YEARS)
    assert moran["p_sim"].null_count() == len(YEARS)  # no permutations asked for
    assert pl.read_csv(tmp_path / "res-gini.csv").height == len(YEARS)
    assert not out.exists()
    one = tmp_path / "one.csv"
    assert _run(panel_csv, "--stat", "moran", "--out", str(one)) == 0
    assert pl.read_csv(one).columns[:2] == ["year", "I"]


def _error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.startswith("nqpf spatial: error: "), err
    assert err.count("\n") == 1, err  # one line, no traceback
    return err


@pytest.mark.parametrize(
    ("content", "name", "needle"),
    [
        (None, "missing.csv", "no spatial weights named"),
        ("x,y\nBeijing,Tianjin\n", "bad.csv", "no column 'focal'"),
        ('{"type": "Feature', "bad.geojson", "cannot read the file as geometry"),
        ("focal,neighbour\nBeijing,Tianjin\n", "two.csv", "at least 3 regions"),
    ],
)
def test_bad_weights_are_one_line(panel_csv, tmp_path, capsys, content, name, needle):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, "utf-8")
    extra = ["--weights-id", "id"] if name.endswith(".geojson") else []
    assert _run(panel_csv, *extra, weights=path) == 2
    assert needle in _error(capsys)


def test_a_polygon_file_needs_its_id_column(panel_csv, tmp_path, capsys):
    path = tmp_path / "map.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}', "utf-8")
    assert _run(panel_csv, weights=path) == 2
    assert "--weights-id" in _error(capsys)


def test_unknown_region_is_named(tmp_path, capsys):
    frame = _panel().with_columns(
        pl.when(pl.col("province") == "Tibet")
        .then(pl.lit("Atlantis"))
        .otherwise(pl.col("province"))
        .alias("province")
    )
    path = tmp_path / "odd.csv"
    frame.write_csv(path)
    assert _run(path) == 2
    err = _error(capsys)
    assert "'Atlantis'" in err
    assert "odd.csv" in err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--stat", "moran,fancy"], "unknown statistic 'fancy'"),
        (["--alpha", "1.5"], "alpha"),
        (["--permutations", "-1"], "permutations"),
        (["--style", "W"], "invalid choice"),
    ],
)
def test_bad_arguments_exit_2(panel_csv, capsys, argv, needle):
    assert _run(panel_csv, *argv) == 2
    assert needle in capsys.readouterr().err


def test_bad_columns_and_outputs(panel_csv, tmp_path, capsys):
    base = ["spatial", str(panel_csv), "--weights", "china-provinces"]
    assert main([*base, "--value", "gdp", "--region", "province", "--year", "year"]) == 2
    assert "'gdp'" in _error(capsys)
    # without --year the three years are duplicate regions of one cross-section
    assert main([*base, "--value", "score", "--region", "province"]) == 2
    assert "duplicate" in _error(capsys)
    assert _run(panel_csv, "--stat", "moran", "--out", str(panel_csv)) == 2
    assert "input file" in _error(capsys)
    assert _run(panel_csv, "--out", str(tmp_path / "x.txt")) == 2
    assert "cannot write" in _error(capsys)


def test_spatial_help_imports_nothing_heavy():
    code = (
        "import sys\nfrom nqpf.cli import main\n"
        "try:\n    main(['spatial', '--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = {'numpy', 'polars', 'scipy', 'matplotlib', 'geopandas', 'libpysal'}\n"
        "print(sorted(heavy & set(sys.modules)))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert run.stdout.strip().splitlines()[-1] == "[]"
    assert "--weights" in run.stdout
    assert "--permutations" in run.stdout


def test_validate_passes_the_spatial_weights(panel_csv, tmp_path, capsys, monkeypatch):
    import nqpf.crossval

    seen = {}

    def fake(panel, spec, **keywords):
        seen.update(keywords)
        raise nqpf.InputError("stop here")

    monkeypatch.setattr(nqpf.crossval, "validate", fake)
    spec = tmp_path / "spec.csv"
    spec.write_text("indicator,direction\nscore,+\n", "utf-8")
    argv = ["validate", str(panel_csv), "--spec", str(spec), "--region", "province"]
    assert main([*argv, "--spatial-weights", "china-provinces"]) == 2
    assert isinstance(seen["spatial_weights"], nqpf.spatial.SpatialWeights)
    assert len(seen["spatial_weights"].ids) == 31
    seen.clear()
    assert main(argv) == 2
    assert seen["spatial_weights"] is None


def test_report_with_spatial_weights(tmp_path, capsys):
    frame = _panel().with_columns(other=pl.col("score") * 0.5 + pl.col("year") - 2000)
    path = tmp_path / "panel.csv"
    frame.write_csv(path)
    spec = tmp_path / "spec.csv"
    spec.write_text("indicator,direction\nscore,+\nother,+\n", "utf-8")
    out = tmp_path / "rep"
    argv = ["report", str(path), "--spec", str(spec), "--region", "province", "--no-validate"]
    assert main([*argv, "--spatial-weights", "china-provinces", "--out", str(out)]) == 0
    page = (out / "report.html").read_text("utf-8")
    assert "Spatial autocorrelation: global Moran&#x27;s I of the score by year" in page
    assert (out / "lisa_map.svg").is_file()
    assert (out / "figures" / "lisa_map.png").read_bytes().startswith(b"\x89PNG")
    assert pl.read_csv(out / "tables" / "moran.csv")["year"].to_list() == list(YEARS)
    assert main([*argv, "--spatial-weights", "nowhere.csv", "--out", str(tmp_path / "r2")]) == 2
    assert "no spatial weights named 'nowhere.csv'" in capsys.readouterr().err
    assert not (tmp_path / "r2").exists()
