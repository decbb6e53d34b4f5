"""Quantity kinds of the number policy (:data:`nqpf.formats.KINDS`): shares as percent
with 2 decimals, p-values with 3, indices with 4, significance stars on the estimates
of the convergence tables with their legend under the table, and the same decimals as
Excel number formats in XLSX while every cell keeps its full-precision number."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile

import polars as pl
import pytest

import nqpf
from nqpf.formats import (
    NOT_APPLICABLE,
    STARS_NOTE,
    column_format,
    html_table,
    latex_table,
    markdown_table,
)
from nqpf.io import write_tables
from nqpf.report import build_report

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def test_a_share_prints_as_percent_with_two_decimals():
    frame = pl.DataFrame({"Gw_share": [0.2345, 0.123456, 1.0, 3e-19, None]})
    cells = [row[0] for row in _body(markdown_table(frame))]
    assert cells == ["23.45%", "12.35%", "100.00%", "0.00%", NOT_APPLICABLE]
    assert "23.45\\%" in latex_table(frame)
    assert ">23.45%<" in html_table(frame)


def test_kinds_are_declared_by_name_not_guessed_from_values():
    # the same numbers under a name of no kind keep the general rule (4 decimals)
    values = [0.2345, 0.5]
    assert column_format(values)(0.2345) == "0.2345"
    assert column_format(values, kind="share")(0.2345) == "23.45%"
    assert column_format(values, kind="pvalue")(0.2345) == "0.234"
    # a p-value column of whole numbers still has 3 decimals; an index column 4
    assert column_format([0.0, 1.0], kind="pvalue")(0.0) == "0.000"
    assert column_format([0.0, 1.0])(1.0) == "1"
    assert column_format([1e-6, 2e-6], kind="index")(1e-6) == "0.0000"


def test_p_values_three_decimals_and_stars_on_the_estimate():
    p = [0.0004, 0.009, 0.01, 0.049, 0.05, 0.0999, 0.1, 0.7, None]
    frame = pl.DataFrame(
        {"measure": [f"m{i}" for i in range(len(p))], "slope": [-0.5] * len(p), "p": p}
    )
    rows = _body(markdown_table(frame))
    stars = ["***", "***", "**", "**", "*", "*", "", "", ""]
    assert [r[1] for r in rows] == ["-0.5000" + s.replace("*", "\\*") for s in stars]
    assert [r[2] for r in rows] == [
        "0.000",
        "0.009",
        "0.010",
        "0.049",
        "0.050",
        "0.100",
        "0.100",
        "0.700",
        NOT_APPLICABLE,
    ]
    # the legend under the table, in every writer
    assert (
        markdown_table(frame)
        .rstrip()
        .endswith("\\*\\*\\* p &lt; 0.01, \\*\\* p &lt; 0.05, \\* p &lt; 0.1.")
    )
    assert html_table(frame).endswith(
        '<p class="note">*** p &lt; 0.01, ** p &lt; 0.05, * p &lt; 0.1.</p>'
    )
    assert "{*}{*}{*} p \\textless{} 0.01" in latex_table(frame)
    assert ">-0.5000***<" in html_table(frame)
    # no p-value beside it: no stars, no legend
    alone = frame.drop("p")
    assert "*" not in markdown_table(alone)
    assert STARS_NOTE not in html_table(alone)


@pytest.fixture(scope="module")
def report():
    panel, spec = nqpf.load_pwt()
    return build_report(nqpf.entropy_topsis(panel, spec), group="continent")


def test_the_report_shows_shares_in_percent_and_stars_on_beta(report):
    dagum = report.table("dagum_continent")
    page = report.to_html()
    section = page[page.index('id="dagum_continent"') :]
    section = section[: section.index("</section>")]
    for value in dagum.get_column("Gw_share").to_list():
        assert f">{100 * value:.2f}%<" in section
    beta = report.table("beta")
    section = page[page.index('id="beta"') :]
    section = section[: section.index("</section>")]
    for row in beta.iter_rows(named=True):
        p = row["p"]
        mark = "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.1 else ""
        assert f">{row['beta']:.4f}{mark}<" in section
        assert f">{p:.3f}<" in section
    assert STARS_NOTE.replace("<", "&lt;") in section
    markdown = report.to_markdown()
    assert f"{100 * dagum['Gw_share'][0]:.2f}%" in markdown
    assert f"{100 * dagum['Gw_share'][0]:.2f}\\%" in report.to_latex()


def test_xlsx_keeps_the_number_and_shows_the_decimals(tmp_path):
    frame = pl.DataFrame(
        {
            "year": [2000, 2001],
            "Gw_share": [0.234567891234, 0.5],
            "p": [0.00412345, 0.3],
            "value": [1.123456789012345, 2.5],
            "whole": [1.0, 2.0],
            "label": ["a", "b"],
        }
    )
    path = tmp_path / "t.xlsx"
    write_tables({"t": frame}, path)
    formats = _cell_formats(path)
    assert formats["B2"] == ("0.00%", 0.234567891234)
    assert formats["C2"] == ("0.000", 0.00412345)
    assert formats["D2"] == ("0.0000", 1.123456789012345)
    assert formats["E2"] == ("0", 1.0)  # a whole-number column: no decimals
    assert formats["A2"][0] is None  # integers: no format
    assert formats["B3"] == ("0.00%", 0.5)
    # read back by the reader: every digit
    back = pl.read_excel(path)
    assert back["Gw_share"].to_list() == frame["Gw_share"].to_list()
    assert back["value"].to_list() == frame["value"].to_list()


def _body(markdown: str) -> list[list[str]]:
    """The body rows of the first Markdown table in ``markdown``, cell by cell."""
    lines = [line for line in markdown.splitlines() if line.startswith("|")][2:]
    return [[c.strip() for c in line.strip("|").split(" | ")] for line in lines]


def _cell_formats(path) -> dict[str, tuple[str | None, float]]:
    """Cell reference → (Excel number format code or None, value) of the first sheet,
    read from the workbook's XML (styles.xml: cellXfs → numFmts; built-in 0 is
    "General", 1 is "0")."""
    with zipfile.ZipFile(path) as archive:
        styles = ET.fromstring(archive.read("xl/styles.xml"))
        sheet = ET.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    codes = {"0": None, "1": "0"}
    codes.update({f.get("numFmtId"): f.get("formatCode") for f in styles.iter(f"{MAIN}numFmt")})
    xfs = [xf.get("numFmtId", "0") for xf in styles.find(f"{MAIN}cellXfs")]
    out = {}
    for cell in sheet.iter(f"{MAIN}c"):
        if cell.get("t") is not None:  # a string or boolean
            continue
        value = cell.find(f"{MAIN}v")
        code = codes.get(xfs[int(cell.get("s", "0"))])
        out[cell.get("r")] = (code, float(value.text))
    assert all(re.fullmatch(r"[A-Z]+\d+", ref) for ref in out)
    return out


def test_the_apps_tables_show_numbers_by_the_same_policy():
    pytest.importorskip("streamlit", reason="the app extra is not installed")
    from nqpf.app.state import number_columns

    frame = pl.DataFrame(
        {
            "region": ["a", "b"],
            "score": [0.5, 1.0],
            "Gw_share": [0.2345, 0.5],
            "p": [0.01, 0.2],
            "Gt": [3.689e-17, 0.1],
            "tiny": [2e-05, 1e-05],
        }
    )
    formats = {
        name: column["type_config"]["format"] for name, column in number_columns(frame).items()
    }
    assert formats == {
        "score": "%.4f",  # an index: always 4 decimals, even for a whole number
        "Gw_share": "percent",  # Streamlit's percent: 0.2345 → 23.45%
        "p": "%.3f",
        "Gt": "%.4f",  # noise below 1e-12 of the column's scale shows as 0.0000
        "tiny": "%.3e",  # all below half the last decimal: scientific, as the documents print it
    }
