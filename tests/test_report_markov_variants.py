"""The report's echelon rules, Markov variants and club and β options (issue 14, item 6):
the report takes the families' options (the API's ``markov_options=``/``club_options=``,
the CLI's ``--markov-*``/``--club-*`` flags), adds the homogeneity tests, the rank and
the LISA Markov chains, and says the variant in its methods; every number of those
tables is the API's, computed here; their LaTeX compiles in English and Chinese.

One report per language on one panel (31 provinces × 5 years, spatially patterned,
grouped in three zones), built once for the module: a full report is the slow part.
"""

from __future__ import annotations

import re

import numpy as np
import polars as pl
import pytest

import nqpf
from nqpf.errors import InputError
from nqpf.options import ClubOptions, MarkovOptions, ReportOptions
from nqpf.spatial import capital_coordinates, contiguity
from nqpf.translations import SYMBOLS

CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")
YEARS = (2015, 2016, 2017, 2018, 2019)
MARKOV = MarkovOptions(k=3, classes="relative", lag_k=2)
CLUBS = ClubOptions(merge_method="vlt", hp_lambda=None)
#: The report's own options: an echelon rule of issue 14 and plm's β convention.
CHOSEN = {"echelon_rule": "equal", "k": 3, "small_sample": "plm"}
NEW_TABLES = (
    "markov",
    "markov_homogeneity",
    "full_rank_markov",
    "geo_rank_markov",
    "spatial_markov",
    "lisa_markov",
    "lisa_markov_tests",
    "clubs",
    "beta",
)


@pytest.fixture(scope="module")
def result():
    coords = capital_coordinates("china-provinces")
    rng = np.random.default_rng(14)
    zones = ("east", "centre", "west")
    rows = [
        {
            "province": name,
            "year": year,
            "zone": zones[int(lon > 110) + int(lon > 117)],
            "gdp": lon / 10 + rng.normal(0, 0.6) + 0.15 * (year - YEARS[0]),
            "patents": lon / 20 + rng.uniform(0, 1.5),
            "energy": 10 - lon / 15 + rng.uniform(0, 1),
        }
        for year in YEARS
        for name, (lon, _) in coords.items()
    ]
    spec = nqpf.IndicatorSpec.from_names(["gdp", "patents", "energy"], directions={"energy": "-"})
    return nqpf.entropy_topsis(
        pl.DataFrame(rows), spec, region="province", year="year", keep=["zone"]
    )


@pytest.fixture(scope="module")
def weights():
    return contiguity("china-provinces")


@pytest.fixture(scope="module")
def reports(result, weights):
    return {
        language: nqpf.build_report(
            result,
            group="zone",
            weights=weights,
            markov_options=MARKOV,
            club_options=CLUBS,
            language=language,
            **CHOSEN,
        )
        for language in ("en", "zh")
    }


def _args(result):
    return (result.scores, "score", "province", "year")


def test_the_markov_section_is_the_chain_of_the_given_options(result, reports):
    chain = nqpf.markov_chain(*_args(result), options=MARKOV)
    report = reports["en"]
    assert report.table("markov").equals(chain.tables()["probabilities"])
    assert report.table("markov_states").equals(chain.tables()["by_state"])
    entry = next(e for e in report.entries if e.name == "markov")
    assert "relative to its year's mean" in entry.title
    # not the default chain: the option reached the computation
    default = nqpf.markov_chain(*_args(result), k=3)
    assert not report.table("markov").equals(default.tables()["probabilities"])


def test_the_homogeneity_table_is_the_apis_tests(result, reports):
    table = reports["en"].table("markov_homogeneity")
    by_zone = nqpf.markov_homogeneity(*_args(result), by="zone", options=MARKOV).tests
    halves = nqpf.markov_homogeneity(*_args(result), periods=[2017], options=MARKOV).tests
    expected = pl.concat([by_zone, halves])
    assert table.drop("regimes").equals(expected)
    assert table.get_column("regimes").n_unique() == 2
    assert table.height == 6  # Q, LR, Kullback for each regime


def test_the_rank_chains_are_the_apis(result, reports):
    report = reports["en"]
    for kind in ("full", "geo"):
        chain = nqpf.rank_markov(*_args(result), kind=kind)
        table = report.table(f"{kind}_rank_markov")
        assert table.columns[0] == ("rank" if kind == "full" else "province")
        assert table.get_column(table.columns[0]).to_list() == list(chain.states)
        assert table["p_stay"].to_list() == np.diag(chain.matrix()).tolist()
        assert table["sojourn_time"].equals(chain.long_run["sojourn_time"])
        assert table["recurrence_time"].equals(chain.long_run["recurrence_time"])


def test_the_spatial_chains_are_the_apis(result, reports, weights):
    report = reports["en"]
    spatial = nqpf.markov_chain(*_args(result), w=weights, options=MARKOV)
    assert report.table("spatial_markov").equals(spatial.tables()["spatial_probabilities"])
    lisa = nqpf.lisa_markov(*_args(result), w=weights)
    assert report.table("lisa_markov").equals(lisa.probabilities)
    assert report.table("lisa_markov_tests").equals(lisa.tests)
    entry = next(e for e in report.entries if e.name == "spatial_markov")
    assert "2 neighbours' states" in entry.title


def test_clubs_beta_and_echelons_take_the_options(result, reports):
    report = reports["en"]
    club = nqpf.club_convergence(*_args(result), options=CLUBS).tables()
    assert report.table("clubs").equals(club.get("merged_tests", club["tests"]))
    beta = report.table("beta")
    plm = nqpf.beta_convergence(*_args(result), effects="twoway", small_sample="plm")
    stata = nqpf.beta_convergence(*_args(result), effects="twoway")
    row = beta.filter(pl.col("effects") == "twoway")
    assert row["se"][0] == plm.se
    assert plm.se != stata.se  # the convention changes the standard error
    tiers = nqpf.echelons(result.scores, "score", "province", "year", rule="equal", k=3)
    regions = report.table("regions").sort("province")
    expected = tiers.assignments.sort("province")
    assert regions["echelon"].to_list() == expected[tiers.echelon_column].to_list()
    # the report's rule joins the sensitivity table
    assert "equal" in report.table("echelon_sensitivity").columns


def test_the_methods_say_the_variants(reports):
    en = reports["en"].table("methods")
    methods = " | ".join(en["method"].to_list())
    steps = en["step"].to_list()
    for said in (
        "equal intervals",
        "values relative to the year's mean",
        "m = 2 quantile classes of the lag",
        "plm's small-sample factor",
        "von Lyncker–Thoennessen",
    ):
        assert said in methods, said
    assert {"Markov homogeneity tests", "Rank Markov chains", "LISA Markov chain"} <= set(steps)
    references = " ".join(r or "" for r in en["reference"].to_list())
    assert "Bickenbach" in references
    assert "Rey, S. J. (2014)" in references
    zh = reports["zh"].table("methods")
    assert {"马尔可夫链同质性检验", "秩马尔可夫链", "LISA 马尔可夫链"} <= set(zh["step"].to_list())
    shown = next(e for e in reports["zh"].entries if e.name == "methods").display
    assert "plm 小样本校正" in " ".join(shown.to_series(1).to_list())


def test_the_chinese_sections_are_translated_with_the_same_numbers(reports):
    zh, en = reports["zh"], reports["en"]
    symbols = {*SYMBOLS, "1", "2", "3"}
    for name in NEW_TABLES:
        item = next(e for e in zh.entries if e.name == name)
        assert CJK.search(item.title), item.title
        assert not item.note or CJK.search(item.note), item.note
        for header in item.display.columns:
            assert header in symbols | {"province", "year", "zone"} or CJK.search(header), (
                name,
                header,
            )
        assert zh.table(name).equals(en.table(name)), name
    lisa = next(e for e in zh.entries if e.name == "lisa_markov").display
    assert "高-高" in lisa.columns
    tests = next(e for e in zh.entries if e.name == "markov_homogeneity").display
    assert all(CJK.search(v) for v in tests.to_series(0).to_list())


def test_head_tail_breaks_choose_their_own_k(result):
    from nqpf.report.sections import Context, echelons_section, regions_section

    options = ReportOptions(echelon_rule="head_tail")
    ctx = Context.of(result, options, group=None, validation=None, progress=None)
    part = echelons_section(ctx)
    assert part.not_run == []
    direct = nqpf.echelons(result.scores, "score", "province", "year", rule="head_tail")
    assert ctx.tiers.k == direct.k
    assert ctx.k == direct.k
    note = regions_section(ctx).tables[0].note
    assert f"k = {direct.k}" in note


def test_markov_k_and_markov_options_must_agree(result):
    with pytest.raises(InputError, match="disagree"):
        nqpf.build_report(result, markov_k=3, markov_options={"k": 5})
    with pytest.raises(InputError, match="unknown"):
        nqpf.build_report(result, markov_options={"states": 5})


# ---------------------------------------------------------------------------- LaTeX


def _sub_report(report):
    """The report's new sections and its methods, as a report of their own (a whole
    report compiles in tests/test_latex_compile.py; these are the tables added here)."""
    from nqpf.report import Report

    keep = {*NEW_TABLES, "methods"}
    return Report(
        title=report.title,
        tables=tuple(e for e in report.entries if e.name in keep),
        summary_lines=report.summary_lines,
        options=report.shown_options,
        report_options=report.report_options,
    )


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_new_sections_compile(reports, tmp_path, language):
    from test_latex_compile import XELATEX, _has_sty, _pdf_text, _typeset

    if XELATEX is None or not _has_sty("threeparttable.sty"):
        pytest.skip("xelatex or threeparttable.sty is absent (make system-deps)")
    if language == "zh" and not _has_sty("ctex.sty"):
        pytest.skip("ctex.sty is absent (Debian: texlive-lang-chinese)")
    tex = _sub_report(reports[language]).to_latex(language=language)
    log = _typeset(tmp_path, tex, "xelatex")
    assert "Missing character" not in log
    text = _pdf_text(tmp_path / "report.pdf")
    if language == "zh":
        assert "马尔可夫链同质性检验" in text
        assert "LISA 马尔可夫链" in text
    else:
        assert "Markov chain homogeneity" in text
        assert "Geo-rank Markov chain" in text


# ---------------------------------------------------------------------------- CLI


def _small_panel(tmp_path):
    rng = np.random.default_rng(5)
    rows = [
        {"region": f"r{i}", "year": y, "a": i + rng.uniform(0, 2) + 0.2 * y, "b": rng.uniform()}
        for y in range(2010, 2015)
        for i in range(9)
    ]
    panel = tmp_path / "panel.csv"
    pl.DataFrame(rows).write_csv(panel)
    spec = tmp_path / "spec.csv"
    spec.write_text("indicator,dimension,direction\na,x,+\nb,y,+\n", encoding="utf-8")
    return str(panel), str(spec)


def test_cli_report_takes_the_markov_club_and_beta_flags(tmp_path, capsys):
    from nqpf.cli import build_parser, main

    panel, spec = _small_panel(tmp_path)
    out = tmp_path / "out"
    argv = ["report", panel, "--spec", spec, "--no-validate", "--out", str(out)]
    flags = ["--markov-k", "3", "--markov-classes", "relative", "--club-merge-method", "vlt"]
    flags += ["--small-sample", "plm", "--echelon-rule", "max_breaks", "--no-club-merge"]
    args = build_parser().parse_args([*argv, *flags])
    assert getattr(args, "markov.k") == 3
    assert getattr(args, "markov.classes") == "relative"
    assert getattr(args, "clubs.merge_method") == "vlt"
    assert getattr(args, "clubs.merge") is False
    assert getattr(args, "report.small_sample") == "plm"
    assert not hasattr(args, "markov.state_labels")  # the score holds no state labels
    assert main([*argv, *flags]) == 0
    capsys.readouterr()
    written = pl.read_csv(out / "tables" / "markov.csv")
    result = nqpf.entropy_topsis(pl.read_csv(panel), spec)
    chain = nqpf.markov_chain(result.scores, "score", "region", "year", k=3, classes="relative")
    expected = chain.tables()["probabilities"]
    assert np.allclose(written.drop("state").to_numpy(), expected.drop("state").to_numpy())
    methods = (out / "report.md").read_text("utf-8")
    assert "plm's small-sample factor" in methods
    assert "maximum breaks" in methods


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        (["--markov-k", "1"], "--markov-k"),
        (["--markov-classes", "decile"], "--markov-classes"),
        (["--club-trim", "2"], "--club-trim"),
        (["--echelon-rule", "natural"], "--echelon-rule"),
        (["--small-sample", "sas"], "--small-sample"),
        (["--markov-classes", "year", "--markov-cutoffs", "0.5"], "cut-offs are fixed bounds"),
        (["--markov-cutoffs", "0.5,0.2"], "not strictly increasing"),
    ],
)
def test_cli_bad_option_values_are_one_line(tmp_path, capsys, flags, says):
    from nqpf.cli import main

    panel, spec = _small_panel(tmp_path)
    argv = ["report", panel, "--spec", spec, "--no-validate", "--out", str(tmp_path / "o")]
    assert main([*argv, *flags]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert says in err[0]
    assert "Traceback" not in err[0]
    assert not (tmp_path / "o").exists()


def test_cli_demo_takes_the_flags_too():
    from nqpf.cli import build_parser

    args = build_parser().parse_args(["demo", "--markov-lag-k", "2", "--club-hac", "aqsb"])
    assert getattr(args, "markov.lag_k") == 2
    assert getattr(args, "clubs.hac") == "aqsb"
