"""``nqpf convergence``: the API's numbers in the CLI's tables, declared options as flags,
bad input as one line and exit 2, nothing written on error."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from nqpf.cli import main
from nqpf.dynamics import beta_convergence, club_convergence, kernel_density, sigma_convergence
from nqpf.dynamics.stochastic_kernel import conditional_density

YEARS = range(2005, 2019)


def _panel() -> pl.DataFrame:
    rng = np.random.default_rng(5)
    rows = []
    level = rng.uniform(0.2, 0.8, 20)
    for year in YEARS:
        for i, v in enumerate(level):
            rows.append(
                {
                    "省份": f"p{i:02d}",
                    "年份": year,
                    "得分": float(v),
                    "区域": "东" if i < 10 else "西",
                }
            )
        level = np.clip(level + 0.1 * (0.5 - level) + rng.normal(0, 0.02, 20), 0.05, 0.95)
    return pl.DataFrame(rows)


@pytest.fixture
def panel_csv(tmp_path):
    path = tmp_path / "panel.csv"
    _panel().write_csv(path)
    return path


def _run(panel, *more):
    return main(
        ["convergence", str(panel), "--value", "得分", "--region", "省份", "--year", "年份", *more]
    )


def test_the_tables_are_the_apis(panel_csv, tmp_path, capsys):
    out = tmp_path / "res.xlsx"
    assert (
        _run(
            panel_csv,
            "--analysis",
            "sigma,beta,clubs,density,conditional",
            "--group",
            "区域",
            "--effects",
            "none,twoway",
            "--small-sample",
            "plm",
            "--bounds",
            "0,1",
            "--merge-method",
            "vlt",
            "--hac",
            "aqsb",
            "--lag",
            "2",
            "--out",
            str(out),
        )
        == 0
    )
    df = _panel()
    sheets = pl.read_excel(out, sheet_id=0)
    assert sheets["sigma"].equals(sigma_convergence(df, "得分", "年份", "区域", "省份"))
    twoway = beta_convergence(df, "得分", "省份", "年份", effects="twoway", small_sample="plm")
    got = sheets["beta_twoway"]
    assert math.isclose(got["beta"][0], twoway.beta, rel_tol=1e-15)
    assert math.isclose(got["se"][0], twoway.se, rel_tol=1e-15)
    clubs = club_convergence(df, "得分", "省份", "年份", merge_method="vlt", hac="aqsb")
    assert sheets["clubs"].equals(clubs.clubs)
    density = kernel_density(df, "得分", "年份", "区域", region="省份", bounds=(0, 1))
    np.testing.assert_array_equal(
        sheets["density"]["density"].to_numpy(), density["density"].to_numpy()
    )
    kernel = conditional_density(df, "得分", "省份", "年份", lag=2, bounds=(0, 1))
    np.testing.assert_array_equal(
        sheets["surface"]["density"].to_numpy(), kernel.surface["density"].to_numpy()
    )
    assert "Phillips–Sul" in capsys.readouterr().out


def test_csv_out_writes_one_file_per_table(panel_csv, tmp_path, capsys):
    out = tmp_path / "res.csv"
    assert _run(panel_csv, "--analysis", "sigma,beta", "--effects", "none", "--out", str(out)) == 0
    assert pl.read_csv(tmp_path / "res-sigma.csv").height == len(YEARS)
    assert pl.read_csv(tmp_path / "res-beta_none.csv")["effects"].to_list() == ["none"]
    assert not out.exists()


@pytest.mark.parametrize(
    ("more", "needle"),
    [
        (["--analysis", "gamma"], "unknown analysis 'gamma'"),
        (["--effects", "time"], "unknown effects 'time'"),
        (["--bounds", "0"], "--bounds '0' is not two numbers"),
        (["--analysis", "density", "--bounds", "0,0.5"], "outside the bounds [0, 0.5]"),
        (["--analysis", "clubs", "--cstar-increment", "0"], "cstar_increment"),
        (["--analysis", "conditional", "--lag", "40"], "pair"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(panel_csv, tmp_path, capsys, more, needle):
    out = tmp_path / "never.xlsx"
    assert _run(panel_csv, *more, "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert err.startswith("nqpf convergence: error: "), err
    assert err.count("\n") == 1, err
    assert needle in err
    assert not out.exists()
