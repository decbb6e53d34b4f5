"""The report's geographical-detector section: present only with geodetector_factors,
numbers from nqpf.geodetector, translated in Chinese, bad factors noted as not run."""

from __future__ import annotations

import re

import numpy as np
import polars as pl
import pytest

import nqpf
from nqpf.errors import InputError

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def result():
    rng = np.random.default_rng(8)
    zones = ["east", "centre", "west"]
    rows = [
        {
            "region": f"r{i:02d}",
            "year": year,
            "zone": zones[i % 3],
            "gdp": (i % 3) + rng.normal(0, 0.5) + 0.1 * (year - 2016),
            "patents": rng.uniform(0, 1) + i / 20,
            "energy": 5 - (i % 3) + rng.uniform(0, 1),
        }
        for year in (2016, 2017, 2018)
        for i in range(24)
    ]
    spec = nqpf.IndicatorSpec.from_names(["gdp", "patents", "energy"], directions={"energy": "-"})
    return nqpf.entropy_topsis(pl.DataFrame(rows), spec, keep=["zone"])


def test_without_factors_the_section_is_empty(result) -> None:
    # the builder itself (a whole default report is built by tests/test_report.py)
    from nqpf.options import ReportOptions
    from nqpf.report.sections import SECTIONS, Context, geodetector_section

    assert (None, geodetector_section) in SECTIONS
    ctx = Context.of(result, ReportOptions(), group=None, validation=None, progress=None)
    part = geodetector_section(ctx)
    assert part.tables == []
    assert part.lines == []
    assert part.not_run == []


def test_the_section_holds_the_detectors_numbers(result) -> None:
    report = nqpf.build_report(
        result,
        clubs=False,
        geodetector_factors=["zone", "patents"],
        geodetector_options={"discretization": "quantile", "breaks": 4},
    )
    factor = report.table("geodetector")
    # the same numbers as the API on the region-years (scores + the indicator)
    units = result.scores.join(
        result.indicators.select("region", "year", "patents"),
        on=["region", "year"],
        maintain_order="left",
    )
    direct = nqpf.geodetector(
        units, y="score", factors=["zone", "patents"], discretization="quantile", breaks=4
    )
    assert factor["q"].to_list() == direct.factor["q"].to_list()
    assert factor["p"].to_list() == direct.factor["p"].to_list()
    inter = report.table("geodetector_interaction")
    assert inter["q12"].to_list() == direct.interaction["q12"].to_list()
    assert any("Geographical detector" in line for line in report.summary_lines)


def test_the_chinese_section_is_translated(result) -> None:
    zh = nqpf.build_report(
        result, clubs=False, language="zh", geodetector_factors=["zone", "patents"]
    )
    for name in ("geodetector", "geodetector_interaction"):
        item = next(e for e in zh.entries if e.name == name)
        assert CJK.search(item.title), item.title
        assert CJK.search(item.note), item.note
        for header in item.display.columns:
            assert header in {"p"} or CJK.search(header), header
        for column in item.display.columns:
            values = item.display[column]
            if values.dtype == pl.String and column not in {"探测因子", "因子 X1", "因子 X2"}:
                assert all(CJK.search(v) for v in values), (column, values.to_list())


def test_an_unknown_factor_is_noted_as_not_run(result) -> None:
    report = nqpf.build_report(result, clubs=False, geodetector_factors=["nope"])
    assert not any(e.name.startswith("geodetector") for e in report.entries)
    not_run = report.table("not_run")
    assert any("nope" in r for r in not_run["reason"].to_list())
    with pytest.raises(InputError, match="geodetector_factors"):
        nqpf.build_report(result, clubs=False, geodetector_factors=[1])


def test_cli_report_takes_geodetector_factors(tmp_path, capsys) -> None:
    from nqpf.cli import main

    rng = np.random.default_rng(3)
    rows = [
        {
            "region": f"r{i:02d}",
            "year": y,
            "a": (i % 3) + rng.normal(0, 0.5),
            "b": i / 20 + rng.uniform(0, 1),
        }
        for y in (2016, 2017, 2018)
        for i in range(24)
    ]
    panel = tmp_path / "panel.csv"
    pl.DataFrame(rows).write_csv(panel)
    spec = tmp_path / "spec.csv"
    spec.write_text("indicator,dimension,direction\na,econ,+\nb,green,-\n", encoding="utf-8")
    out = tmp_path / "out"
    argv = [
        "report",
        str(panel),
        "--spec",
        str(spec),
        "--no-validate",
        "--geodetector-factors",
        "a,b",
        "--out",
        str(out),
    ]
    assert main(argv) == 0
    assert "Geographical detector:" in capsys.readouterr().out
    assert any(out.rglob("geodetector*.csv"))
