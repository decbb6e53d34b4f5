"""Writers, the score command's happy path, the default data, and the real Chinese panel.

Tolerances: the same panel read two ways (CLI and API, long and wide form) may reach
the kernels in another row order, and the index is built from sums of positive terms
(entropies, squared distances) over n = 2106 rows, so the scores agree to
2nε ≈ 9.4e-13 relative (``REORDERED``). A score written to CSV round-trips exactly
(shortest repr), and so does an XLSX cell now (nqpf's writer writes repr, not
xlsxwriter's ``%.16G``; tests/test_writers.py checks that exactly); the weights read
back here keep the bound a 16-digit cell would need, ``XLSX_16_DIGITS`` = 5e-16 + ε/2,
so that the CLI's and the API's weights (the same pooled sums) are compared tightly.
"""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest

import nqpf
from nqpf.cli import main
from nqpf.io import neutralise_formulas

EPS = np.finfo(np.float64).eps
REORDERED = 2 * 2106 * EPS
XLSX_16_DIGITS = 5e-16 + EPS / 2


@pytest.fixture(scope="module")
def pwt():
    return nqpf.load_pwt()


def test_default_data_shape(pwt):
    panel, spec = pwt
    assert len(panel.regions) == 117
    assert panel.years == list(range(2000, 2018))
    assert len(spec) == 7
    assert set(spec.dimension_names) == {
        "output_productivity",
        "capital_deepening",
        "human_capital_labour",
    }


def test_toml_and_csv_specs_agree(repo):
    assert nqpf.read_spec(repo / "data/pwt_spec.csv") == nqpf.read_spec(repo / "data/pwt_spec.toml")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_score_command_writes_each_format(tmp_path, repo, capsys, suffix):
    out = tmp_path / f"result{suffix}"
    code = main(
        [
            "score",
            str(repo / "data/pwt_panel.csv"),
            "--spec",
            str(repo / "data/pwt_spec.toml"),
            "--region",
            "country",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert "Weights" in capsys.readouterr().out
    expected = nqpf.entropy_topsis(*nqpf.load_pwt())
    if suffix == ".csv":
        written = pl.read_csv(out)
        assert written.height == 2106
        np.testing.assert_allclose(
            written.sort("year", "country").get_column("score"),
            expected.scores.sort("year", "country").get_column("score"),
            rtol=REORDERED,
        )
    elif suffix == ".xlsx":
        sheets = pl.read_excel(out, sheet_id=0)
        assert {"scores", "weights", "dimension_weights", "options"} <= set(sheets)
        np.testing.assert_allclose(
            sheets["weights"].get_column("weight"),
            expected.weights.get_column("weight"),
            rtol=XLSX_16_DIGITS,
        )
    else:
        payload = json.loads(out.read_text("utf-8"))
        assert payload["meta"]["weights"] == "entropy"
        assert len(payload["scores"]) == 2106


def test_long_form_and_wide_form_agree(tmp_path, pwt):
    panel, spec = pwt
    wide = panel.frame.select("country", "year", *spec.names)
    long = wide.unpivot(index=["country", "year"], variable_name="indicator", value_name="value")
    path = tmp_path / "long.csv"
    long.write_csv(path)
    a = nqpf.entropy_topsis(nqpf.read_panel(path, region="country"), spec)
    b = nqpf.entropy_topsis(wide, spec, region="country")
    np.testing.assert_allclose(
        a.scores.sort("year", "country").get_column("score"),
        b.scores.sort("year", "country").get_column("score"),
        rtol=REORDERED,
    )


def test_formula_cells_are_neutralised():
    frame = pl.DataFrame(
        {"name": ["=cmd()", "+1+1", "@SUM(A1)", "-2-3", "ok", "-", "+"], "v": [1] * 7}
    )
    cleaned = neutralise_formulas(frame).get_column("name").to_list()
    assert cleaned == ["'=cmd()", "'+1+1", "'@SUM(A1)", "'-2-3", "ok", "-", "+"]
    assert neutralise_formulas(frame).get_column("v").to_list() == [1] * 7


def test_written_csv_neutralises_region_names(tmp_path):
    frame = pl.DataFrame(
        {"region": ["=HYPERLINK(1)", "b", "c"], "year": [1, 1, 1], "x": [1.0, 2.0, 3.0]}
    )
    result = nqpf.entropy_topsis(frame, nqpf.IndicatorSpec.from_names(["x"]))
    path = result.write(tmp_path / "s.csv")
    assert "'=HYPERLINK(1)" in path.read_text("utf-8")


def test_missing_interpolate_matches_hand_value():
    frame = pl.DataFrame(
        {
            "region": ["a"] * 3 + ["b"] * 3,
            "year": [1, 2, 3] * 2,
            "x": [1.0, None, 3.0, 2.0, 5.0, 8.0],
        }
    )
    spec = nqpf.IndicatorSpec.from_names(["x"])
    result = nqpf.entropy_topsis(frame, spec, missing="interpolate", method="linear")
    standardized = result.standardized.filter((pl.col("region") == "a") & (pl.col("year") == 2))
    # x(a, 2) is interpolated to 2 → min–max (2 − 1)/(8 − 1)
    assert standardized.get_column("x")[0] == pytest.approx(1 / 7, abs=1e-15)
    dropped = nqpf.entropy_topsis(frame, spec, missing="drop")
    assert dropped.scores.height == 5


def test_real_chinese_panel_runs(shared_china):
    """The real provincial S&T panel (long form) of ../shared: the 12 western provinces."""
    indicators = [
        "rd_intensity",
        "patents_granted_domestic",
        "sci_papers",
        "rd_personnel_fte",
        "public_expenditure_science_tech",
    ]
    raw = pl.read_csv(shared_china).filter(pl.col("indicator").is_in(indicators))
    groups = pl.read_csv(shared_china.parent / "china_province_groups.csv")
    western = groups.filter(
        pl.col("western12").cast(pl.String).is_in(["1", "true", "True", "TRUE"])
    )
    raw = raw.filter(
        pl.col("province").is_in(western.get_column("province").to_list())
        & pl.col("year").is_between(2012, 2022)
    ).select("province", "year", "indicator", "value")
    panel = nqpf.read_panel(raw, region="province")
    assert len(panel.regions) == 12
    result = nqpf.entropy_topsis(panel, nqpf.IndicatorSpec.from_names(indicators))
    assert result.scores.height == 12 * 11
    assert abs(result.weights.get_column("weight").sum() - 1) < 1e-12
