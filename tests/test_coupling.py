"""Coupling coordination degree (nqpf.coupling): hand-worked examples, brute-force
references, properties, bad input, the CLI and the report section."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import polars as pl
import pytest

import nqpf
from nqpf.coupling import (
    COUPLING_LEVELS,
    coupling_classic,
    coupling_coordination,
    coupling_corrected,
    coupling_level,
    level_label,
)
from nqpf.errors import InputError

#: Closed-form values (square and cube roots of exact fractions) against the
#: computation's few float operations on numbers in [0, 1]: a few ulps.
EXACT = 1e-14


def frame(rows: list[tuple]) -> pl.DataFrame:
    names = ["region", "year", "a", "b", "c"][: len(rows[0])]
    return pl.DataFrame(rows, schema=names, orient="row")


# ---------------------------------------------------------------- hand-worked examples


def test_two_systems_by_hand() -> None:
    # U1 = 1/4, U2 = 1.
    # classic: C = 2·√(U1·U2)/(U1 + U2) = 2·(1/2)/(5/4) = 4/5
    # T = (1/4 + 1)/2 = 5/8;  D = √(4/5 · 5/8) = √(1/2) → level 8 (中级协调, [0.7, 0.8))
    # E = U1/U2 = 1/4 ≤ 0.8: the first system lags
    res = coupling_coordination(frame([("A", 2020, 0.25, 1.0)]), ["a", "b"])
    row = res.coupling.row(0, named=True)
    assert row["C"] == pytest.approx(float(Fraction(4, 5)), abs=EXACT)
    assert row["T"] == pytest.approx(float(Fraction(5, 8)), abs=EXACT)
    assert row["D"] == pytest.approx(math.sqrt(0.5), abs=EXACT)
    assert row["level"] == 8
    assert row["grade"] == "intermediate coordination"
    assert level_label(row["level"], "zh") == "中级协调"
    assert row["E"] == 0.25
    assert row["lagging"] == "a"
    # corrected (Wang et al. 2021, n = 2): C = √[(1 − |U1 − U2|)·U_min/U_max]
    #   = √[(1 − 3/4)·(1/4)] = √(1/16) = 1/4;  D = √(1/4 · 5/8) = √(5/32) → level 4
    res = coupling_coordination(frame([("A", 2020, 0.25, 1.0)]), ["a", "b"], formula="corrected")
    row = res.coupling.row(0, named=True)
    assert row["C"] == pytest.approx(0.25, abs=EXACT)
    assert row["D"] == pytest.approx(math.sqrt(5 / 32), abs=EXACT)
    assert row["level"] == 4
    assert row["grade"] == "mild imbalance"


def test_three_systems_by_hand() -> None:
    # U = (1/4, 1/2, 1): Π U = 1/8, (Π U)^(1/3) = 1/2, Σ U = 7/4
    # classic: C = 3·[ (1/8) / (7/4)³ ]^(1/3) = 3·(1/2)/(7/4) = 6/7
    # T = (7/4)/3 = 7/12;  D = √(6/7 · 7/12) = √(1/2)
    # R = U / mean(U) = (3/7, 6/7, 12/7): only a ≤ 0.8 → "a" lags
    df = frame([("A", 2020, 0.25, 0.5, 1.0)])
    row = coupling_coordination(df, ["a", "b", "c"]).coupling.row(0, named=True)
    assert row["C"] == pytest.approx(6 / 7, abs=EXACT)
    assert row["T"] == pytest.approx(7 / 12, abs=EXACT)
    assert row["D"] == pytest.approx(math.sqrt(0.5), abs=EXACT)
    assert (row["R_a"], row["R_b"], row["R_c"]) == pytest.approx((3 / 7, 6 / 7, 12 / 7), abs=EXACT)
    assert row["lagging"] == "a"
    # corrected: pairwise |differences| 1/4, 3/4, 1/2 sum to 3/2; Σ_{m=1}^{2} m = 3,
    # so the first factor is 1 − 1/2 = 1/2; ratios to max (1/4, 1/2, 1), product 1/8,
    # power 1/(n − 1) = 1/2: (1/8)^(1/2) = 1/(2√2); C = √(1/2 · 1/(2√2)) = 2^(-5/4)
    row = coupling_coordination(df, ["a", "b", "c"], formula="corrected").coupling.row(
        0, named=True
    )
    assert row["C"] == pytest.approx(2 ** (-5 / 4), abs=EXACT)
    # α = (0.5, 0.3, 0.2): T = 1/8 + 3/20 + 1/5 = 19/40
    row = coupling_coordination(df, ["a", "b", "c"], alpha=[0.5, 0.3, 0.2]).coupling.row(
        0, named=True
    )
    assert row["T"] == pytest.approx(19 / 40, abs=EXACT)
    assert row["D"] == pytest.approx(math.sqrt(6 / 7 * 19 / 40), abs=EXACT)
    # the same α as a mapping
    mapped = coupling_coordination(df, ["a", "b", "c"], alpha={"c": 0.2, "a": 0.5, "b": 0.3})
    assert mapped.coupling["T"][0] == row["T"]


def test_relative_development_of_two_systems() -> None:
    # E = U1/U2: ≤ 0.8 first lags; (0.8, 1.2] synchronous; > 1.2 second lags
    df = frame([("A", 1, 0.4, 0.5), ("B", 1, 0.5, 0.5), ("C", 1, 0.6, 0.5), ("D", 1, 0.7, 0.5)])
    table = coupling_coordination(df, ["a", "b"]).coupling.sort("region")
    assert table["E"].to_list() == pytest.approx([0.8, 1.0, 1.2, 1.4])
    assert table["lagging"].to_list() == ["a", None, None, "b"]


# ---------------------------------------------------------------- brute force


def brute_classic(u: list[float]) -> float:
    n = len(u)
    return n * (math.prod(u) / sum(u) ** n) ** (1 / n)


def brute_corrected(u: list[float]) -> float:
    n = len(u)
    pairs = sum(math.sqrt((ui - uj) ** 2) for ui, uj in itertools.combinations(u, 2))
    first = 1 - pairs / sum(range(1, n))
    return math.sqrt(first * (math.prod(u) / max(u) ** n) ** (1 / (n - 1)))


#: The vectorised forms reorder a few float operations on numbers in (0, 1].
BRUTE = 1e-12


@pytest.mark.parametrize("n", [2, 3, 4, 6])
def test_against_brute_force(n: int) -> None:
    rng = np.random.default_rng(n)
    u = rng.uniform(0.01, 1.0, size=(50, n))
    assert coupling_classic(u) == pytest.approx([brute_classic(list(r)) for r in u], abs=BRUTE)
    assert coupling_corrected(u) == pytest.approx([brute_corrected(list(r)) for r in u], abs=BRUTE)
    df = pl.DataFrame({"region": [f"r{i}" for i in range(50)], "year": [1] * 50}).with_columns(
        pl.Series(f"s{k}", u[:, k]) for k in range(n)
    )
    res = coupling_coordination(df, [f"s{k}" for k in range(n)])
    t = u.mean(axis=1)
    d = np.sqrt(np.array([brute_classic(list(r)) for r in u]) * t)
    got = res.coupling.sort("region")  # sorted by year, region: r0, r1, r10, …
    order = np.argsort([f"r{i}" for i in range(50)])
    assert got["D"].to_numpy() == pytest.approx(d[order], abs=BRUTE)
    levels = [1 + sum(x >= low for low, _, _ in COUPLING_LEVELS[1:]) for x in d[order]]
    assert got["level"].to_list() == levels


# ---------------------------------------------------------------- properties


def test_bounds_and_symmetry() -> None:
    rng = np.random.default_rng(7)
    u = rng.uniform(0.0, 1.0, size=(500, 4))
    u[::17, 1] = 0.0  # some systems at 0
    for c in (coupling_classic(u), coupling_corrected(u)):
        assert np.all((c >= 0) & (c <= 1))
    perm = u[:, [2, 0, 3, 1]]
    assert coupling_classic(perm) == pytest.approx(coupling_classic(u), abs=BRUTE)
    assert coupling_corrected(perm) == pytest.approx(coupling_corrected(u), abs=BRUTE)


@pytest.mark.parametrize("value", [0.1, 1 / 3, 0.7, 1.0, 1e-9])
def test_equal_systems_couple_at_one(value: float) -> None:
    u = np.full((1, 3), value)
    assert coupling_classic(u)[0] == 1.0
    assert coupling_corrected(u)[0] == 1.0  # no gap, ratios 1


def test_corrected_tells_apart_what_classic_does_not() -> None:
    # the classic C is scale-free: (0.01, 0.02) and (0.4, 0.8) couple alike
    # (2√2/3 ≈ 0.943); Wang et al. (2021) argue that two systems far apart in level
    # must not be rated as well coupled: the corrected C falls with the gap
    u = np.array([[0.01, 0.02], [0.4, 0.8]])
    classic = coupling_classic(u)
    assert classic[0] == pytest.approx(classic[1], abs=EXACT)
    assert classic[0] == pytest.approx(2 * math.sqrt(2) / 3, abs=EXACT)
    corrected = coupling_corrected(u)
    assert corrected[0] == pytest.approx(math.sqrt(0.99 * 0.5), abs=EXACT)
    assert corrected[1] == pytest.approx(math.sqrt(0.6 * 0.5), abs=EXACT)
    assert corrected[0] > corrected[1]


def test_level_bounds() -> None:
    d = [0.0, 0.0999, 0.1, 0.3, 0.45, 0.5, 0.8999, 0.9, 1.0]
    assert coupling_level(d).tolist() == [1, 1, 2, 4, 5, 6, 9, 10, 10]
    assert [level_label(k, "zh") for k in (1, 5, 6, 10)] == [
        "极度失调",
        "濒临失调",
        "勉强协调",
        "优质协调",
    ]


def test_tables_and_distribution() -> None:
    df = frame(
        [
            ("A", 1, 0.2, 0.4),
            ("B", 1, 0.5, 0.5),
            ("C", 1, 0.9, 0.8),
            ("A", 2, 0.3, 0.3),
            ("B", 2, 0.6, 0.6),
            ("C", 2, 0.61, 0.61),
        ]
    )
    res = coupling_coordination(df, ["a", "b"])
    assert set(res.tables()) == {"coupling", "by_year", "levels", "grading"}
    # year 2: D = √(1·0.3), √(1·0.6), √(1·0.61) → levels 6, 8, 8
    levels = res.levels.filter(pl.col("year") == 2)
    assert levels.select("level", "n").rows() == [(6, 1), (8, 2)]
    assert levels["share"].to_list() == pytest.approx([1 / 3, 2 / 3])
    by_year = res.by_year.filter(pl.col("year") == 2).row(0, named=True)
    assert by_year["mean_D"] == pytest.approx(
        (math.sqrt(0.3) + math.sqrt(0.6) + math.sqrt(0.61)) / 3, abs=EXACT
    )
    assert by_year["n"] == 3
    assert "formula=classic" in res.summary()
    grading = res.tables()["grading"]
    assert grading.height == 10
    assert grading["grade_zh"][0] == "极度失调"


def test_pandas_frame_and_group() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(
        {
            "province": ["A", "B", "A", "B"],
            "yr": [1, 1, 2, 2],
            "zone": ["East", "West", "East", "West"],
            "x": [0.5, 0.2, 0.6, 0.3],
            "y": [0.5, 0.4, 0.6, 0.3],
        }
    )
    res = coupling_coordination(df, ["x", "y"], region="province", year="yr", group="zone")
    assert res.by_group.columns[:3] == ["yr", "zone", "n"]
    assert res.by_group.height == 4
    assert res.by_year.height == 2
    assert "by_group" in res.tables()


# ---------------------------------------------------------------- index dimensions


@pytest.fixture(scope="module")
def three_dimensions() -> nqpf.IndexResult:
    rng = np.random.default_rng(3)
    regions, years = [f"R{i}" for i in range(6)], [2018, 2019, 2020]
    rows = [(r, y, *rng.uniform(1, 10, 6)) for r in regions for y in years]
    names = ["x1", "x2", "x3", "x4", "x5", "x6"]
    df = pl.DataFrame(rows, schema=["region", "year", *names], orient="row")
    spec = nqpf.IndicatorSpec.from_records(
        {"indicator": n, "dimension": d}
        for n, d in zip(names, ["econ", "econ", "tech", "tech", "green", "green"], strict=True)
    )
    return nqpf.entropy_topsis(df, spec)


def test_index_dimensions_are_the_default_systems(three_dimensions: nqpf.IndexResult) -> None:
    res = coupling_coordination(three_dimensions)
    assert res.systems == ("econ", "tech", "green")
    scores = three_dimensions.scores.sort("year", "region")
    u = scores.select("econ", "tech", "green").to_numpy()
    assert res.coupling["C"].to_numpy() == pytest.approx(
        [brute_classic(list(r)) for r in u], abs=BRUTE
    )
    two = coupling_coordination(three_dimensions, ["econ", "green"])
    assert two.systems == ("econ", "green")


def test_systems_from_indicators(three_dimensions: nqpf.IndexResult) -> None:
    panel = three_dimensions.indicators
    res = coupling_coordination(panel, {"p": ["x1", "x2"], "q": ["x3", "x4"]})
    alone = nqpf.entropy_topsis(panel, nqpf.IndicatorSpec.from_names(["x1", "x2"]))
    expected = alone.scores.sort("year", "region")["score"].to_list()
    assert res.coupling["p"].to_list() == expected
    with pytest.raises(InputError, match="subsystem 'q' has 1 indicator \\('x3'\\)"):
        coupling_coordination(panel, {"p": ["x1", "x2"], "q": ["x3"]})


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("rows", "systems", "keywords", "message"),
    [
        ([("A", 1, 0.5, 1.2)], ["a", "b"], {}, "column 'b': score 1.2 of system 'b' is outside"),
        ([("A", 1, -0.1, 0.2)], ["a", "b"], {}, "column 'a'.*outside \\[0, 1\\]"),
        ([("A", 1, 0.5, 0.2)], ["a"], {}, "at least 2 systems, got 1"),
        ([("A", 1, 0.5, 0.2)], ["a", "zz"], {}, "zz"),
        ([("A", 1, 0.5, 0.2)], ["a", "b"], {"alpha": [0.5, 0.4]}, "sum to 0.9, not 1"),
        ([("A", 1, 0.5, 0.2)], ["a", "b"], {"alpha": [0.5, 0.2, 0.3]}, "3 values for 2"),
        ([("A", 1, 0.5, 0.2)], ["a", "b"], {"alpha": {"a": 0.5, "q": 0.5}}, "unknown system"),
        ([("A", 1, 0.0, 0.0)], ["a", "b"], {}, "every system is 0 for region='A', year=1"),
        ([("A", 1, 0.5, 0.2), ("A", 1, 0.5, 0.2)], ["a", "b"], {}, "duplicate|twice|more than"),
    ],
)
def test_bad_input_one_line(rows, systems, keywords, message) -> None:
    with pytest.raises(InputError, match=message) as caught:
        coupling_coordination(frame(rows), systems, **keywords)
    assert "\n" not in str(caught.value)


def test_bad_score_names_the_input_row() -> None:
    # the table is shown sorted by year and region; an error names the row as given
    df = frame([("B", 2, 0.5, 0.5), ("A", 1, 0.5, 0.5), ("A", 2, 0.5, 3.0)])
    with pytest.raises(InputError, match="row 3, column 'b'"):
        coupling_coordination(df, ["a", "b"])


def test_non_numeric_column() -> None:
    df = pl.DataFrame({"region": ["A"], "year": [1], "a": ["high"], "b": [0.2]})
    with pytest.raises(InputError, match="column 'a'"):
        coupling_coordination(df, ["a", "b"])


def test_all_zero_as_zero() -> None:
    res = coupling_coordination(
        frame([("A", 1, 0.0, 0.0), ("B", 1, 0.5, 0.5)]), ["a", "b"], zeros="zero"
    )
    row = res.coupling.filter(pl.col("region") == "A").row(0, named=True)
    assert (row["C"], row["T"], row["D"], row["level"]) == (0.0, 0.0, 0.0, 1)
    assert row["lagging"] is None
    assert row["E"] is None


def test_one_zero_system_couples_at_zero() -> None:
    row = coupling_coordination(frame([("A", 1, 0.0, 0.6)]), ["a", "b"]).coupling.row(0, named=True)
    assert row["C"] == 0.0
    assert row["D"] == 0.0
    assert row["E"] == 0.0
    assert row["lagging"] == "a"


def test_single_dimension_index_refused() -> None:
    df = pl.DataFrame(
        {"region": ["A", "B", "C"], "year": [1, 1, 1], "x": [1.0, 2.0, 3.0], "y": [3.0, 1.0, 2.0]}
    )
    with pytest.raises(InputError, match="1 dimension"):
        coupling_coordination(nqpf.entropy_topsis(df))


def test_options_declared() -> None:
    opts = nqpf.CouplingOptions(alpha="0.5, 0.3, 0.2")
    assert opts.alpha == (0.5, 0.3, 0.2)
    with pytest.raises(InputError, match="formula"):
        nqpf.CouplingOptions(formula="new")
    with pytest.raises(InputError, match="not a number"):
        nqpf.CouplingOptions(alpha=["x", "y"])
    assert nqpf.CouplingOptions.info("formula").choice_title("corrected", "zh").startswith("修正")


# ---------------------------------------------------------------- CLI


def test_cli(tmp_path, capsys) -> None:
    from nqpf.cli import main

    path = tmp_path / "u.csv"
    frame([("A", 1, 0.25, 0.5, 1.0), ("B", 1, 0.5, 0.5, 0.5)]).write_csv(path)
    out = tmp_path / "out.csv"
    code = main(
        ["coupling", str(path), "--systems", "a,b,c", "--formula", "corrected", "--out", str(out)]
    )
    assert code == 0, capsys.readouterr().err
    written = pl.read_csv(out)
    assert written.filter(pl.col("region") == "A")["C"][0] == pytest.approx(2 ** (-5 / 4))
    code = main(["coupling", str(path), "--systems", "a"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert "at least 2 systems" in err
    code = main(["coupling", str(path), "--systems", "a,b", "--alpha", "0.6,0.6"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert "sum to 1.2" in err


# ---------------------------------------------------------------- report


def test_report_section(three_dimensions: nqpf.IndexResult) -> None:
    reports = {
        lang: nqpf.build_report(three_dimensions, language=lang, clubs=False)
        for lang in ("en", "zh")
    }
    en, zh = reports["en"], reports["zh"]
    for name in ("coupling_by_year", "coupling_regions", "coupling_levels"):
        assert name in en.names
        assert name in zh.names
    assert "coupling" in en.figures
    direct = coupling_coordination(three_dimensions)
    assert en.table("coupling_by_year")["mean_D"].to_list() == direct.by_year["mean_D"].to_list()
    # the regions of the last year, best D first; the grade shown in the language
    shown = next(e for e in zh.entries if e.name == "coupling_regions").display
    assert "协调等级" in shown.columns
    assert set(shown["协调等级"].to_list()) <= {zh_ for _, _, zh_ in COUPLING_LEVELS}
    # grades by year: counts add up to the regions of each year
    levels = en.table("coupling_levels")
    assert levels.drop("year").sum_horizontal().to_list() == [6, 6, 6]
    assert any("mean D" in line for line in en.summary_lines)
    assert any("耦合协调度" in line for line in zh.summary_lines)


def test_no_coupling_section_for_one_dimension() -> None:
    rng = np.random.default_rng(5)
    rows = [(f"R{i}", y, *rng.uniform(1, 10, 2)) for i in range(5) for y in (1, 2)]
    df = pl.DataFrame(rows, schema=["region", "year", "x", "y"], orient="row")
    report = nqpf.build_report(nqpf.entropy_topsis(df), clubs=False)
    assert not [n for n in report.names if n.startswith("coupling")]


# ---------------------------------------------------------------- published numbers

#: Wang Shujia 王淑佳 et al. (2021), 国内耦合协调度模型的误区及修正, 《自然资源学报》
#: 36(3), 793–810, Table 8: the eco-economic coupling degree C of the 13 cities of
#: Beijing–Tianjin–Hebei (北京 … 衡水) by the original (classic) and the modified
#: (corrected) model, 2008–2011, as printed (four decimals).
TABLE_8 = {
    2008: (
        "0.9989 0.9935 0.8868 0.9073 0.6821 0.8328 0.6816 0.7789 0.6871 0.6101 0.8017 0.7867 0.7191",
        "0.9404 0.8660 0.5440 0.5769 0.3006 0.4780 0.3344 0.4171 0.3278 0.2700 0.4374 0.4196 0.3738",
    ),
    2009: (
        "0.9984 0.9997 0.8912 0.9079 0.6790 0.8114 0.6839 0.7786 0.7180 0.6377 0.8018 0.7587 0.7396",
        "0.9238 0.9675 0.5435 0.5716 0.2946 0.4445 0.3224 0.4117 0.3533 0.2731 0.4352 0.3821 0.3906",
    ),
    2010: (
        "0.9999 0.9920 0.9071 0.9224 0.6957 0.8309 0.7044 0.7992 0.7556 0.6212 0.8277 0.7707 0.7109",
        "0.9835 0.8497 0.5659 0.5942 0.3041 0.4593 0.3385 0.4245 0.3857 0.2533 0.4574 0.3908 0.3529",
    ),
    2011: (
        "0.9939 0.9848 0.9373 0.9468 0.7446 0.8488 0.7437 0.8114 0.7806 0.6469 0.8601 0.8162 0.7560",
        "0.8485 0.7896 0.6271 0.6503 0.3454 0.4767 0.3720 0.4332 0.4123 0.2600 0.4994 0.4361 0.3951",
    ),
}

#: Half a unit of the fourth printed decimal.
PRINTED = 5e-5


def test_wang_2021_table_8_pairs_are_attained() -> None:
    """The paper prints C but not the subsystem scores, so the check is this: for two
    systems the classic C fixes r = U_min/U_max (C = 2√r/(1 + r)), and the corrected
    C² = (1 − |U₁ − U₂|)·r then fixes the gap d and U_max = d/(1 − r). Every printed
    pair must come from scores in [0, 1] — and those scores must give both printed
    values through our functions. A modified model without the outer square root
    (C = (1 − d)·r) is refused by the same pairs (U_max < 0), so the check can fail."""
    variant_feasible = []
    for classic_row, corrected_row in TABLE_8.values():
        for c1, c2 in zip(
            map(float, classic_row.split()), map(float, corrected_row.split()), strict=True
        ):
            if c1 > 0.9995:  # r is not recoverable from a printed C of 1.000
                continue
            s = (1 - math.sqrt(1 - c1 * c1)) / c1
            r = s * s
            gap = 1 - c2 * c2 / r
            u_max = gap / (1 - r)
            assert gap >= 0
            assert 0 < u_max <= 1, (c1, c2)
            u = np.array([[r * u_max, u_max]])
            assert coupling_classic(u)[0] == pytest.approx(c1, abs=PRINTED)
            assert coupling_corrected(u)[0] == pytest.approx(c2, abs=PRINTED)
            variant_feasible.append((1 - c2 / r) / (1 - r) > 0)
    assert not any(variant_feasible)


def test_cli_couples_the_dimensions_of_the_index(
    tmp_path, capsys, three_dimensions: nqpf.IndexResult
) -> None:
    from nqpf.cli import main

    panel = tmp_path / "panel.csv"
    three_dimensions.indicators.write_csv(panel)
    spec = tmp_path / "spec.csv"
    pl.DataFrame(
        {
            "indicator": ["x1", "x2", "x3", "x4", "x5", "x6"],
            "dimension": ["econ", "econ", "tech", "tech", "green", "green"],
            "direction": ["+"] * 6,
        }
    ).write_csv(spec)
    out = tmp_path / "coupling.xlsx"
    code = main(["coupling", str(panel), "--spec", str(spec), "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert "3 systems (econ, tech, green)" in capsys.readouterr().out
    sheets = pl.read_excel(out, sheet_id=0)
    direct = coupling_coordination(three_dimensions)
    assert sheets["coupling"]["D"].to_list() == pytest.approx(direct.coupling["D"].to_list())
    assert {"by_year", "levels", "grading"} <= set(sheets)
    code = main(["coupling", str(panel), "--spec", str(spec), "--systems", "econ,nope"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert "nope" in err
