"""Paper-ready output: the report's tables against independent computations, its
formats (Markdown, LaTeX, HTML with inline SVG, XLSX, CSV), and ``nqpf demo``/``nqpf report``."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

import nqpf
from nqpf.cli import main
from nqpf.formats import latex_escape, latex_table, markdown_table
from nqpf.report import build_report

# Means of ≤ 18 years (≤ 18 roundings each side, 18ε ≈ 4e-15) and identities between
# Gini-type quantities of ≤ 117 units a year (each within nε absolute, G ≥ 0.1 here):
# 1e-12 relative bounds both; a probability row of k = 4 counts over their sum adds
# up to 1 within kε.
EXACT = 1e-12


@pytest.fixture(scope="module")
def pwt_result():
    panel, spec = nqpf.load_pwt()
    return nqpf.entropy_topsis(panel, spec)


@pytest.fixture(scope="module")
def report(pwt_result):
    return build_report(pwt_result, group="continent")


def test_region_table_is_the_period_average(report, pwt_result):
    table = report.table("regions")
    scores = pwt_result.scores
    for country in ("Qatar", "Germany", "Niger"):
        expected = scores.filter(pl.col("country") == country).get_column("score").to_numpy().mean()
        got = table.filter(pl.col("country") == country).get_column("mean_score")[0]
        assert got == pytest.approx(expected, rel=EXACT)
    means = table.get_column("mean_score").to_numpy()
    assert np.all(np.diff(means) <= 0)
    assert table.get_column("rank").to_list()[:3] == [1, 2, 3]
    assert set(table.get_column("echelon").unique().to_list()) == {1, 2, 3}


def test_dagum_table_mean_row_is_the_mean_of_years(report):
    table = report.table("dagum_continent")
    years = table.filter(pl.col("year") != "mean")
    mean_row = table.filter(pl.col("year") == "mean")
    for column in ("G", "Gw", "Gnb", "Gt", "Gw_share"):
        assert mean_row.get_column(column)[0] == pytest.approx(
            years.get_column(column).to_numpy().mean(), rel=EXACT
        )
    np.testing.assert_allclose(
        years.get_column("Gw") + years.get_column("Gnb") + years.get_column("Gt"),
        years.get_column("G"),
        rtol=EXACT,
    )


def test_report_has_every_section(report):
    expected = {
        "regions",
        "weights",
        "echelon_sensitivity",
        "dagum_continent",
        "dagum_echelon",
        "sigma",
        "sigma_trend",
        "beta",
        "markov",
        "markov_states",
        "clubs",
        "obstacles",
    }
    assert expected <= set(report.names)
    assert report.table("beta").get_column("effects").to_list() == ["none", "twoway"]
    assert {"trend", "dagum_continent", "sigma", "density"} <= set(report.figures)


def test_markov_probabilities_rows_sum_to_one(report):
    probabilities = report.table("markov").drop("state").to_numpy()
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=EXACT)


def test_formats(report, tmp_path):
    files = report.write(tmp_path)
    assert {f.name for f in files} >= {"report.html", "report.md", "report.tex", "report.xlsx"}
    page = (tmp_path / "report.html").read_text("utf-8")
    assert page.count("<svg") >= 4
    assert "<table>" in page
    assert "Dagum Gini decomposition by continent" in page
    markdown = (tmp_path / "report.md").read_text("utf-8")
    # readable headers in the documents (nqpf.translations); the CSV keeps the keys
    assert "| country | Mean score | Rank | Echelon |" in markdown
    latex = (tmp_path / "report.tex").read_text("utf-8")
    # one captioned table each, but the methods section (its formulas in display math)
    tables = [item for item in report.entries if not item.latex]
    assert [item.name for item in report.entries if item.latex] == ["methods"]
    assert latex.count(r"\caption{") == len(tables)
    assert r"\section*{Methods}" in latex
    assert (tmp_path / "tables" / "dagum_continent.csv").exists()
    sheets = pl.read_excel(tmp_path / "report.xlsx", sheet_id=0)
    assert set(report.names) <= set(sheets)


def test_markdown_and_latex_escaping():
    frame = pl.DataFrame({"name": ["a|b", "=1+2", "50%_x"], "value": [1.0, 0.5, 1e-9]})
    markdown = markdown_table(frame)
    assert "a\\|b" in markdown
    assert "=1+2" in markdown  # text formats show text as it is; CSV/XLSX neutralise it
    assert "| 0.0000 |" in markdown  # one column, 4 decimals: 1e-9 is not shown as 1e-09
    latex = latex_table(frame, caption="t_1 & more")
    assert "50\\%\\_x" in latex
    assert "t\\_1 \\& more" in latex
    assert latex_escape("\\") == "\\textbackslash{}"


def test_demo_command_writes_the_report(tmp_path, capsys):
    out = tmp_path / "nqpf-report"
    assert main(["demo", "--out", str(out), "--no-validate"]) == 0
    printed = capsys.readouterr().out
    assert "Dagum by continent" in printed
    assert "β-convergence" in printed
    assert (out / "report.html").exists()


def test_report_command_on_a_small_panel(tmp_path, capsys):
    rng = np.random.default_rng(3)
    regions = [f"p{i}" for i in range(12)]
    rows = []
    for year in range(2012, 2023):
        for i, region in enumerate(regions):
            base = 1 + i / 4 + (year - 2012) / 10
            rows.append(
                {
                    "province": region,
                    "year": year,
                    "zone": "east" if i < 6 else "west",
                    **{f"x{j}": base * rng.uniform(0.8, 1.2) for j in range(5)},
                }
            )
    panel = tmp_path / "panel.csv"
    pl.DataFrame(rows).write_csv(panel)
    spec = tmp_path / "spec.csv"
    pl.DataFrame(
        {
            "indicator": [f"x{j}" for j in range(5)],
            "dimension": ["tech", "tech", "green", "green", "digital"],
            "direction": ["+", "+", "-", "+", "+"],
        }
    ).write_csv(spec)
    out = tmp_path / "report"
    code = main(
        [
            "report",
            str(panel),
            "--spec",
            str(spec),
            "--region",
            "province",
            "--group",
            "zone",
            "--out",
            str(out),
            "--no-validate",
        ]
    )
    assert code == 0
    assert (out / "tables" / "dagum_zone.csv").exists()
    capsys.readouterr()


def test_report_command_rejects_unknown_group(tmp_path, repo, capsys):
    code = main(
        [
            "report",
            str(repo / "data/pwt_panel.csv"),
            "--spec",
            str(repo / "data/pwt_spec.csv"),
            "--region",
            "country",
            "--group",
            "nope",
            "--out",
            str(tmp_path / "r"),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "nope" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "r").exists()
