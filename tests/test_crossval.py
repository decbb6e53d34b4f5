"""nqpf.crossval and ``nqpf validate``: Python vs R, quantity by quantity.

The R side is ``r/nqpf_reference.R`` (base R) and the routines of
``nqpf.rbridge``: laeken and Hmisc from Debian (installed by ``make test``, so
these rows run in CI) and the CRAN-only dineq, IC2, ineq, topsis, MCDA and MCDM,
compared when installed (``NQPF_R_LIBS``, DEVELOPERS.md) and skipped with the
reason otherwise. No expected number here comes from nqpf's own output: the
tests check that every compared row agrees with R, that a wrong Python value is
caught and named, and that a missing R is reported in one line without
changing the Python results. The tests at the end need neither R nor rpy2.
"""

from __future__ import annotations

import dataclasses
import json
import sys

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import nqpf
import nqpf.options
import nqpf.results
from nqpf import crossval, rbridge
from nqpf.cli import main
from nqpf.crossval import compare
from nqpf.errors import InputError
from nqpf.weights import EntropyWeights

# Two double-precision computations of the same closed form differ in summation
# order only. A-priori: a Gini-type quantity from n² pair terms summed in plain double
# precision is within n²ε absolute (Σ|terms| ≤ 2W²μ), ≈ 3e-12 for n = 117 units a
# year, and the entropy/TOPSIS sums over 2 106 rows are within 2nε ≈ 9e-13 relative;
# so 1e-10 relative (the package default, nqpf.crossval) bounds every quantity
# ≥ 0.03, and smaller ones (an overlap Gt, a D near 0) are observed at ~1e-15
# relative (five orders below). No routine here needs a looser one.
TOLERANCE = 1e-10
# A Python value wrong by this much (relative) must be caught at TOLERANCE.
PERTURBATION = 1e-7

CRAN = {
    "dineq::gini_decomp": "dineq",
    "IC2::decompSGini": "IC2",
    "ineq::Gini": "ineq",
    "topsis::topsis": "topsis",
    "MCDA::TOPSIS": "MCDA",
    "MCDM::TOPSISVector": "MCDM",
}
INDEX_QUANTITIES = {"entropy", "divergence", "weight", "x''", "score", "d_plus", "d_minus"}
DAGUM_REFERENCE = {"G", "Gw", "Gnb", "Gt", "Gjj", "Gjh", "Djh", "djh", "pjh"}
DAGUM_LAEKEN = {"G", "Gw", "Gnb", "Gt", "Gjj", "Gjh", "Djh"}


def _need_r() -> None:
    if not rbridge.available():
        pytest.skip(rbridge.unavailable_reason() or "R is not available")


def random_panel(seed: int, regions: int = 8, years: int = 5) -> tuple[pl.DataFrame, object]:
    """8 regions × 5 years × 4 indicators in 2 dimensions (x4 a cost), 3 groups, weights ``pop``."""
    rng = np.random.default_rng(seed)
    n = regions * years
    frame = pl.DataFrame(
        {
            "region": np.repeat([f"R{i:02d}" for i in range(regions)], years),
            "year": np.tile(np.arange(2001, 2001 + years), regions),
            "grp": np.repeat([f"g{i % 3}" for i in range(regions)], years),
            "x1": rng.lognormal(0.0, 0.6, n),
            "x2": rng.uniform(0.1, 5.0, n),
            "x3": np.round(rng.gamma(2.0, 1.5, n), 1),  # ties on purpose
            "x4": rng.lognormal(1.0, 0.3, n),
            "pop": rng.uniform(0.5, 20.0, n),
        }
    )
    spec = nqpf.IndicatorSpec.from_records(
        {"indicator": name, "dimension": dim, "direction": direction}
        for name, dim, direction in [
            ("x1", "scale", "+"),
            ("x2", "scale", "+"),
            ("x3", "quality", "+"),
            ("x4", "quality", "-"),
        ]
    )
    return frame, spec


@pytest.fixture(scope="module")
def pwt():
    return nqpf.load_pwt()


@pytest.fixture(scope="module")
def pwt_report(pwt):
    _need_r()
    panel, spec = pwt
    return compare(panel, spec, group="continent")


def _compared(report, routine: str) -> set[str]:
    rows = report.compared.filter(pl.col("routine") == routine)
    return set(rows.get_column("quantity").to_list())


# ---------------------------------------------------------------------------
# the default data


@pytest.mark.r
def test_default_data_every_row_passes(pwt_report, pwt):
    report = pwt_report
    assert report.r_available
    assert report.passed, report.summary()
    assert (report.compared.get_column("tolerance") == TOLERANCE).all()
    assert report.compared.get_column("rel_diff").max() <= TOLERANCE
    panel, spec = pwt
    dims = {f"score[{d}]" for d in spec.dimension_names}
    reference = _compared(report, "r/nqpf_reference.R")
    assert reference == INDEX_QUANTITIES | dims | DAGUM_REFERENCE
    assert _compared(report, "laeken::gini") == DAGUM_LAEKEN
    assert _compared(report, "Hmisc::GiniMd") == {"Δ = 2μG", "Δjj = 2μj·Gjj"}
    n = dict(
        report.compared.filter(pl.col("routine") == "r/nqpf_reference.R")
        .select("quantity", "n")
        .iter_rows()
    )
    regions, years = len(panel.regions), len(panel.years)
    continents = panel.frame.get_column("continent").n_unique()
    assert n["score"] == n["d_plus"] == regions * years
    assert n["weight"] == len(spec)
    assert n["G"] == years
    assert n["Gjj"] == years * continents
    assert n["Gjh"] == n["pjh"] == years * continents * (continents - 1) // 2


@pytest.mark.r
@pytest.mark.parametrize(("routine", "package"), sorted(CRAN.items()))
def test_cran_rows_run_when_installed_and_skip_otherwise(pwt_report, routine, package):
    rows = pwt_report.table.filter(pl.col("routine") == routine)
    assert rows.height >= 1
    if rbridge.package_version(package) is None:
        assert rows.get_column("status").to_list() == ["skipped"] * rows.height
        note = rows.get_column("note")[0]
        assert package in note
        assert rbridge.LIBS_ENV in note  # says how to get it
        assert rows.get_column("ok").null_count() == rows.height
    else:
        assert set(rows.get_column("status")) == {"compared"}
        assert rows.get_column("ok").all(), rows


@pytest.mark.r
def test_cran_rows_skip_without_the_private_library(pwt, monkeypatch):
    _need_r()
    monkeypatch.delenv(rbridge.LIBS_ENV, raising=False)
    panel, spec = pwt
    report = compare(panel, spec, group="continent", routines=list(CRAN))
    for routine, package in CRAN.items():
        rows = report.table.filter(pl.col("routine") == routine)
        if rbridge.package_version(package) is None:  # not in R's own libraries either
            assert rows.get_column("status").to_list() == ["skipped"] * rows.height
            assert package in rows.get_column("note")[0]
        else:
            assert rows.get_column("ok").all()
    assert report.passed


# ---------------------------------------------------------------------------
# random panels, option by option

OPTION_SETS = [
    {},
    {"scope": "year", "topsis": "distance", "ideal": "year"},
    {"scope": "year", "ideal": "panel"},
    {"normalization": "vector", "ideal": "year"},
    {"scope": "year", "normalization": "vector", "ideal": "year"},
    {"ideal": "absolute", "topsis": "distance"},
    {"standardization": "zscore", "shift": 6.0, "weights": "critic"},
    {"shift": 0.0, "dagum_weights": "pop"},
]


@pytest.mark.r
@pytest.mark.parametrize("seed", [1, 2, 20240611])
@pytest.mark.parametrize("options", OPTION_SETS, ids=lambda o: ",".join(map(str, o.values())))
def test_random_panels_pass(seed, options):
    _need_r()
    frame, spec = random_panel(seed)
    report = compare(frame, spec, group="grp", **options)
    assert report.passed, report.summary()
    assert report.compared.height > 0
    reference = _compared(report, "r/nqpf_reference.R")
    assert {"score", "d_plus", "d_minus", "x''", "G", "Gjh", "pjh"} <= reference
    if options.get("weights", "entropy") == "entropy":
        assert {"entropy", "divergence", "weight"} <= reference
    assert _compared(report, "laeken::gini") == DAGUM_LAEKEN
    hmisc = report.table.filter(pl.col("routine") == "Hmisc::GiniMd")
    if "dagum_weights" in options:  # GiniMd takes no weights: skipped, with the reason
        assert hmisc.get_column("status").to_list() == ["skipped"]
        assert "no weights" in hmisc.get_column("note")[0]
    else:
        assert set(hmisc.get_column("status")) == {"compared"}


@pytest.mark.r
def test_detail_has_one_row_per_value():
    _need_r()
    frame, spec = random_panel(7)
    report = compare(frame, spec, group="grp", routines=["reference"], detail=True)
    assert report.passed
    rows = report.compared
    assert (rows.get_column("n") == 1).all()
    score = rows.filter(pl.col("quantity") == "score")
    assert score.height == frame.height
    assert score.get_column("where").n_unique() == frame.height
    pairs = rows.filter(pl.col("quantity") == "Djh")
    assert pairs.height == 5 * 3  # 5 years × 3 pairs of groups


@pytest.mark.r
def test_options_without_an_r_counterpart_are_skipped_with_the_reason():
    _need_r()
    frame, spec = random_panel(3)
    report = compare(frame, spec, normalization="none", zero_log="epsilon")
    notes = " ".join(report.skipped.get_column("note").to_list())
    assert "zero_log='epsilon'" in notes
    assert report.passed
    # normalization="none" (raw values, a cost column's ideal its minimum, as in the
    # index) has an R counterpart, x4 being a cost indicator
    assert {"x''", "score", "d_plus", "d_minus"} <= _compared(report, "r/nqpf_reference.R")
    report = compare(frame, spec, scope="year", normalization="vector", ideal="panel")
    skipped = report.skipped.filter(pl.col("routine") == "r/nqpf_reference.R")
    assert "per-year norms, panel ideals" in skipped.get_column("note")[0]
    report = compare(frame, spec, method="linear")
    skipped = report.skipped.filter(pl.col("routine") == "r/nqpf_reference.R")
    assert skipped.get_column("note").to_list() == [
        "method='linear' (Σ w·x') has no R reference; its weights and x'' are compared"
    ]
    assert report.passed


@pytest.mark.r
@pytest.mark.parametrize("scope", ["panel", "year"])
@pytest.mark.parametrize("ideal", ["panel", "year"])
def test_normalization_none_with_a_cost_indicator_passes(scope, ideal):
    """The raw matrix with a cost column, pooled or per-year weights, both ideals."""
    _need_r()
    frame, spec = random_panel(4)
    report = compare(frame, spec, normalization="none", scope=scope, ideal=ideal)
    assert report.passed, report.summary()
    compared = _compared(report, "r/nqpf_reference.R")
    assert {"score", "d_plus", "d_minus", "score[quality]"} <= compared


# ---------------------------------------------------------------------------
# a wrong Python value is caught and named


def _perturbed_weights(real):
    def entropy_weights(shifted, *, zero_log="zero"):
        ew = real(shifted, zero_log=zero_log)
        weight = ew.weight.copy()
        weight[0] *= 1 + PERTURBATION
        return EntropyWeights(ew.entropy, ew.divergence, weight)

    return entropy_weights


@pytest.mark.r
def test_wrong_weight_fails_and_is_named(monkeypatch, capsys):
    _need_r()
    monkeypatch.setattr(
        nqpf.index, "entropy_weights", _perturbed_weights(nqpf.index.entropy_weights)
    )
    frame, spec = random_panel(5)
    report = compare(frame, spec, routines=["reference"])
    assert not report.passed
    failed = set(report.failed.get_column("quantity"))
    assert "weight" in failed
    assert "entropy" not in failed  # only the weight was touched
    assert "weight (r/nqpf_reference.R)" in "\n".join(report.failures())


@pytest.mark.r
def test_validate_exits_1_and_names_the_quantity(monkeypatch, capsys, tmp_path):
    _need_r()
    real = crossval.validation.dagum_gini

    def wrong_gini(*args, **kwargs):
        result = real(*args, **kwargs)
        summary = result.overall.with_columns(pl.col("Gt") * (1 + PERTURBATION))
        return dataclasses.replace(result, overall=summary)

    monkeypatch.setattr(crossval.validation, "dagum_gini", wrong_gini)
    frame, spec = random_panel(11)
    panel_path, spec_path = tmp_path / "panel.csv", tmp_path / "spec.csv"
    frame.write_csv(panel_path)
    spec.to_frame().write_csv(spec_path)
    argv = ["validate", str(panel_path), "--spec", str(spec_path), "--group", "grp"]
    code = main([*argv, "--routines", "reference,laeken"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "FAIL" in out
    assert "nqpf validate: mismatch: Gt (r/nqpf_reference.R)" in err
    assert "Gt (laeken::gini)" in err
    assert "Gw (" not in err  # the other terms still agree
    monkeypatch.setattr(crossval.validation, "dagum_gini", real)
    assert main([*argv, "--routines", "reference,laeken"]) == 0


@pytest.mark.r
def test_a_group_or_pair_missing_on_one_side_fails(monkeypatch):
    _need_r()
    real = crossval.validation.dagum_gini

    def lossy_gini(*args, **kwargs):  # drops one group's Gjj and one pair
        result = real(*args, **kwargs)
        return dataclasses.replace(
            result, within=result.within.slice(1), between=result.between.slice(1)
        )

    monkeypatch.setattr(crossval.validation, "dagum_gini", lossy_gini)
    frame, spec = random_panel(13)
    report = compare(frame, spec, group="grp", routines=["reference", "laeken"])
    failed = report.failed
    for routine, quantities in [
        ("r/nqpf_reference.R", {"Gjj", "Gjh", "Djh", "djh", "pjh"}),
        ("laeken::gini", {"Gjj", "Gjh", "Djh"}),
    ]:
        rows = failed.filter(pl.col("routine") == routine)
        assert set(rows.get_column("quantity")) == quantities
        assert all("NaN on one side" in note for note in rows.get_column("note"))
    assert "G" not in set(failed.get_column("quantity"))


# ---------------------------------------------------------------------------
# the command line


@pytest.mark.r
def test_validate_default_json_and_out(capsys, tmp_path):
    _need_r()
    out_file = tmp_path / "crossval.csv"
    code = main(["validate", "--default", "--json", "--out", str(out_file)])
    out, err = capsys.readouterr()
    assert code == 0, err
    payload = json.loads(out)
    assert payload["passed"] is True
    assert payload["options"]["group"] == "continent"
    assert payload["compared"] >= 28  # reference, laeken and Hmisc rows at least
    written = pl.read_csv(out_file)
    assert written.height == len(payload["rows"])
    assert {"quantity", "routine", "python", "r_value", "rel_diff", "ok"} <= set(written.columns)


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["validate"], "no panel given"),
        (["validate", "data/pwt_panel.csv"], "--spec is required"),
        (["validate", "--default", "--group", "nope"], "column 'nope'"),
        (["validate", "--default", "--routines", "stata"], "unknown routine 'stata'"),
        (["validate", "--default", "--out", "x.pdf"], "cannot write '.pdf'"),
    ],
)
def test_validate_bad_input_exits_2(argv, match, capsys, repo, monkeypatch):
    monkeypatch.chdir(repo)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert match in err
    assert err.count("\n") == 1


# ---------------------------------------------------------------------------
# without R (simulated): one line, Python results unaffected


@pytest.fixture
def no_rpy2(monkeypatch):
    """Simulate a Python without rpy2: imports of rpy2 fail, the bridge forgets its session."""
    monkeypatch.setitem(sys.modules, "rpy2", None)
    rbridge._reset()
    yield
    monkeypatch.undo()
    rbridge._reset()


def test_without_r_every_row_is_skipped_and_python_is_unaffected(pwt, no_rpy2):
    panel, spec = pwt
    report = compare(panel, spec, group="continent")
    assert report.r_available is False
    assert report.r_reason == rbridge.UNAVAILABLE_MESSAGE
    assert report.compared.height == 0
    assert report.passed  # nothing compared, nothing failed
    assert set(report.table.get_column("status")) == {"skipped"}
    assert set(report.table.get_column("note")) == {rbridge.UNAVAILABLE_MESSAGE}
    assert set(report.table.get_column("routine")) == set(crossval.ROUTINES)
    summary = report.summary()
    assert summary.count("R is not available") == 1
    # the Python results are those of the plain API
    assert_frame_equal(report.index.scores, nqpf.entropy_topsis(panel, spec, keep=[]).scores)
    expected = nqpf.dagum_gini(
        report.index.scores.join(
            panel.frame.select("country", "year", "continent"), on=["country", "year"]
        ),
        "score",
        "continent",
        by="year",
    )
    assert_frame_equal(report.dagum.overall, expected.overall)


def test_validate_without_r_says_so_in_one_line(no_rpy2, capsys):
    assert main(["validate", "--default"]) == 0
    out, err = capsys.readouterr()
    assert err.count("\n") == 1
    assert err.startswith("nqpf validate: R is not available: install R and the `r` extra")
    assert "nothing compared" in out
    assert main(["validate", "--default", "--require-r"]) == 2
    err = capsys.readouterr().err
    assert err == f"nqpf validate: error: {rbridge.UNAVAILABLE_MESSAGE}\n"


# ---------------------------------------------------------------------------
# the comparison rule itself (no R)


def test_relative_rule_with_zero_and_floor():
    rows = crossval._Rows(TOLERANCE, detail=True)
    where = ["a", "b", "c", "d", "e"]
    python = [1.0 + 5e-11, 2e-11, 1e-3 + 1e-14, np.nan, 1.0]
    r_value = [1.0, 0.0, 1e-3, np.nan, np.nan]
    rows.compare("q", "r/nqpf_reference.R", where, python, r_value)
    table = rows.frame()
    assert table.get_column("ok").to_list() == [True, True, True, True, False]
    # R value 0: absolute, |2e-11 − 0| exactly
    assert table.get_column("rel_diff")[1] == pytest.approx(2e-11, rel=1e-15, abs=0)
    # a part of a whole: relative to the whole (the floor), not to the tiny part
    rows = crossval._Rows(TOLERANCE, detail=False)
    rows.compare("Gt", "laeken::gini", ["x"], [1e-9 + 1e-17], [1e-9], floor=[0.3])
    assert rows.frame().get_column("ok").to_list() == [True]
    rows.compare("Gt", "laeken::gini", ["x"], [1e-9 + 1e-17], [1e-9])
    assert rows.frame().get_column("ok").to_list() == [True, False]


def test_tolerance_floor_for_ic2_is_stated():
    rows = crossval._Rows(1e-15, detail=False)
    rows.compare("G", "IC2::decompSGini", ["x"], [0.3 + 1e-15], [0.3])
    row = rows.frame().row(0, named=True)
    assert row["tolerance"] == 1e-12
    assert row["ok"] is True
    assert "covariance regression" in row["note"]


def test_bad_arguments():
    frame, spec = random_panel(1)
    with pytest.raises(InputError, match="unknown routine 'stata'"):
        compare(frame, spec, routines=["stata"])
    with pytest.raises(InputError, match="column 'nope'"):
        compare(frame, spec, group="nope")
    with pytest.raises(InputError, match="tolerance"):
        compare(frame, spec, tolerance=-1)


# ---------------------------------------------------------------------------
# the registry of adapters (no R unless marked)


def _expand(quantities, spec):
    """A part's declared quantities with ``score[dimension]`` spelled per dimension."""
    out = set()
    for q in quantities:
        if q == "score[dimension]":
            out |= {f"score[{d}]" for d in spec.dimension_names}
        else:
            out.add(q)
    return out


def test_every_declared_option_exists_in_index_options():
    names = set(nqpf.options.IndexOptions.names())
    declared = [(r.name, r.package) for r in rbridge.ROUTINES]
    for adapter in crossval.adapters():
        assert (adapter.routine, adapter.package) in declared
        assert adapter.section in {"index", "dagum", "spatial", "dynamics"}
        for part in adapter.parts:
            assert set(part.quantities) <= set(adapter.quantities)
            pairs = [(n, v) for n, values in part.options.items() for v in values]
            pairs += [(n, v) for combo in part.excludes for n, v in combo.items()]
            assert pairs, adapter
            for name, value in pairs:
                assert name in names, (adapter, name)
                assert value in nqpf.options.IndexOptions.info(name).choices, (adapter, value)
        for name, value in getattr(adapter, "variant", {}).items():
            assert value in nqpf.options.IndexOptions.info(name).choices
    # validate()'s routines; the dynamics section is validate_dynamics()'s
    validated = [a for a in crossval.adapters() if a.section != "dynamics"]
    assert tuple(dict.fromkeys(a.routine for a in validated)) == crossval.ROUTINES
    assert {a.routine for a in crossval.adapters("dynamics")} == {
        "markovchain::markovchainFit",
        "plm::plm",
        "stats::density",
    }
    assert len(crossval.adapters("index")) == 4
    assert len(crossval.adapters("dagum")) == 6


@pytest.mark.parametrize(
    ("declaration", "match"),
    [
        ({"parts": (crossval.Part(("G",), {"normalisation": ("vector",)}),)}, "no option"),
        ({"parts": (crossval.Part(("G",), {"normalization": ("vectors",)}),)}, "'vectors'"),
        ({"parts": (crossval.Part(("G",), excludes=({"scope": "years"},)),)}, "'years'"),
        ({"parts": (crossval.Part(("Gx",), {"scope": ("year",)}),)}, "not declared"),
        ({"routine": "stata::gini"}, "no R routine"),
        ({"section": "echelons"}, "section"),
        ({"quantities": ()}, "no quantities"),
    ],
)
def test_a_typo_in_a_declaration_is_an_error_at_registration(declaration, match):
    before = crossval.adapters()
    attributes = {"routine": "ineq::Gini", "section": "dagum", "quantities": ("G",)}
    cls = type("Typo", (crossval.Routine,), attributes | declaration)
    with pytest.raises(TypeError, match=match):
        crossval.register(cls)
    assert crossval.adapters() == before


def test_a_variant_outside_the_choices_is_an_error_at_registration():
    from nqpf.crossval.routines.vector_topsis import VectorTopsis

    cls = type("Typo", (VectorTopsis,), {"routine": "MCDA::TOPSIS", "variant": {"ideal": "yearly"}})
    with pytest.raises(TypeError, match="ideal='yearly'"):
        crossval.register(cls)


def test_the_routine_listing_is_the_rbridge_declaration(no_rpy2):
    table = rbridge.routines()
    assert table.get_column("routine").to_list() == [r.name for r in rbridge.ROUTINES]
    assert set(crossval.ROUTINES) <= set(table.get_column("routine"))


def test_validate_is_compare_and_takes_options_or_keywords(no_rpy2):
    assert crossval.validate is crossval.compare
    frame, spec = random_panel(2)
    options = nqpf.options.IndexOptions(scope="year", normalization="vector")
    by_object = crossval.validate(frame, spec, options=options, group="grp")
    by_keywords = compare(frame, spec, scope="year", normalization="vector", group="grp")
    assert by_object.options == by_keywords.options == options
    assert_frame_equal(by_object.index.scores, by_keywords.index.scores)
    mixed = crossval.validate(frame, spec, options={"scope": "year"}, normalization="vector")
    assert mixed.options == options
    with pytest.raises(InputError, match="did you mean 'normalization'"):
        crossval.validate(frame, spec, normalisation="vector")


def test_the_report_follows_the_result_protocol(no_rpy2, tmp_path):
    frame, spec = random_panel(2)
    report = crossval.validate(frame, spec, group="grp", weights=[1, 2, 3, 4])
    assert isinstance(report, nqpf.results.Result)
    tables = report.tables()
    assert set(tables) == {"checks", "routines"}
    assert tables["checks"] is report.table
    assert isinstance(report.options, nqpf.options.IndexOptions)
    assert report.parameters["weights"] == "user"
    assert report.parameters["group"] == "grp"
    content = report.to_dict()
    assert content["kind"] == "CrossValReport"
    assert content["options"]["group"] == "grp"
    assert content["tables"]["checks"] == content["rows"] == report.table.to_dicts()
    assert "html" in report._repr_html_() or "<pre>" in report._repr_html_()
    assert str(report) == report.summary()
    written = json.loads(report.write(tmp_path / "cv.json").read_text(encoding="utf-8"))
    assert len(written["checks"]) == report.table.height
    assert len(written["routines"]) == report.routines.height
    assert written["meta"]["group"] == "grp"
    assert pl.read_csv(report.write(tmp_path / "cv.csv")).height == report.table.height


@pytest.mark.r
def test_a_supported_option_value_really_runs():
    """For each option value an adapter declares, its quantities are compared and
    agree; for each value of that option it does not declare, they are not."""
    _need_r()
    frame, spec = random_panel(6)
    for adapter in crossval.adapters():
        for part in adapter.parts:
            wanted = _expand(part.quantities, spec)
            for name, values in part.options.items():
                for value in nqpf.options.IndexOptions.info(name).choices:
                    try:
                        report = compare(frame, spec, routines=[adapter.routine], **{name: value})
                    except InputError:
                        # a value these data or defaults cannot run (AHP without its
                        # matrix, a combination without members, scatter weights of both
                        # signs): the index refuses it alike, and no adapter declares it
                        with pytest.raises(InputError):
                            nqpf.entropy_topsis(frame, spec, **{name: value})
                        assert value not in values, (adapter, name, value)
                        continue
                    got = _compared(report, adapter.routine)
                    assert report.passed, (name, value, report.summary())
                    if value in values:
                        assert wanted <= got, (adapter, name, value)
                    else:
                        assert not wanted & got, (adapter, name, value)
            for combination in part.excludes:
                report = compare(frame, spec, routines=[adapter.routine], **combination)
                assert not wanted & _compared(report, adapter.routine)
                assert report.skipped.height >= 1
                for name, value in combination.items():  # each value alone runs
                    alone = compare(frame, spec, routines=[adapter.routine], **{name: value})
                    assert wanted <= _compared(alone, adapter.routine), (name, value)


# ---------------------------------------------------------------------------
# the CRAN adapters against closed forms standing in for R (no R needed)


@pytest.fixture
def fake_cran(monkeypatch):
    """The CRAN routines reported installed, each replaced by an independent numpy
    closed form (tests/test_rbridge.py) with the routine's own conventions."""
    from test_rbridge import dagum_numpy, gini_sorted, topsis_vector

    def topsis(kinds):
        def call(X, w, words):
            assert set(words) <= set(kinds)
            return topsis_vector(X, w, np.asarray([k == kinds[0] for k in words]))

        return call

    def decomposition(y, g, w=None):
        out = dagum_numpy(y, g, w)
        return {k: out[k] for k in ("G", "Gw", "Gnb", "Gt", "Gjj")}

    monkeypatch.setattr(rbridge, "topsis_topsis", topsis(("+", "-")))
    monkeypatch.setattr(rbridge, "mcda_topsis", topsis(("max", "min")))
    monkeypatch.setattr(rbridge, "mcdm_topsis_vector", topsis(("max", "min")))
    monkeypatch.setattr(rbridge, "dineq_gini_decomp", decomposition)
    monkeypatch.setattr(rbridge, "ic2_decomp_sgini", decomposition)
    monkeypatch.setattr(rbridge, "ineq_gini", gini_sorted)
    names = [r.name for r in rbridge.ROUTINES]
    table = pl.DataFrame(
        {
            "routine": names,
            "package": [r.package for r in rbridge.ROUTINES],
            "version": ["0"] * len(names),
            "status": ["ok"] * len(names),
            "reason": pl.Series([None] * len(names), dtype=pl.String),
        }
    )
    monkeypatch.setattr(rbridge, "routines", lambda: table)
    monkeypatch.setattr(rbridge, "unavailable_reason", lambda: None)


@pytest.mark.parametrize("options", OPTION_SETS, ids=lambda o: ",".join(map(str, o.values())))
def test_cran_adapters_run_for_every_option_set(fake_cran, options):
    frame, spec = random_panel(8)
    report = compare(frame, spec, group="grp", routines=list(CRAN), **options)
    assert report.passed, report.summary()
    for routine in ("topsis::topsis", "MCDA::TOPSIS", "MCDM::TOPSISVector"):
        assert _compared(report, routine) == {"score (vector TOPSIS per year)"}
    for routine in ("dineq::gini_decomp", "IC2::decompSGini"):
        assert _compared(report, routine) == {"G", "Gw", "Gnb", "Gt", "Gjj"}
    ineq = report.table.filter(pl.col("routine") == "ineq::Gini")
    if "dagum_weights" in options:
        assert ineq.get_column("note").to_list() == ["not applicable: ineq::Gini takes no weights"]
    else:
        assert _compared(report, "ineq::Gini") == {"G"}


def test_a_wrong_cran_value_is_caught(fake_cran, monkeypatch):
    real = rbridge.mcda_topsis
    monkeypatch.setattr(rbridge, "mcda_topsis", lambda X, w, k: real(X, w, k) * (1 + PERTURBATION))
    frame, spec = random_panel(8)
    report = compare(frame, spec, group="grp", routines=list(CRAN))
    assert set(report.failed.get_column("routine")) == {"MCDA::TOPSIS"}


# ---------------------------------------------------------------------------
# the spatialreg rows: spatial β-convergence of the index score (section "spatial")

SPATIALREG = {
    "spatialreg::lagsarlm": {"constant", "β", "ρ", "log-likelihood", "direct β", "indirect β", "total β"},
    "spatialreg::errorsarlm": {"constant", "β", "λ", "log-likelihood"},
    'spatialreg::lagsarlm(type="mixed")': {
        "constant", "β", "θ (W·ln x)", "ρ", "log-likelihood", "direct β", "indirect β", "total β",
    },
}  # fmt: skip
# R's optimiser stops at √ε ≈ 1.5e-8 in ρ (nqpf.crossval.routines.spatialreg): the
# rows are held to 1e-6 relative whatever tolerance is asked for.
SPATIALREG_TOLERANCE = 1e-6


@pytest.fixture(scope="module")
def china_panel():
    """Random indicators of the 31 provinces over 4 years, on the built-in contiguity."""
    from nqpf.spatial import contiguity

    w = contiguity("china-provinces")
    frame, spec = random_panel(12, regions=31, years=4)
    names = {f"R{i:02d}": name for i, name in enumerate(w.ids)}
    frame = frame.with_columns(pl.col("region").replace_strict(names))
    return frame, spec, w


def _spatialreg_rows(report):
    return report.table.filter(pl.col("routine").is_in(list(SPATIALREG)))


@pytest.mark.r
def test_spatialreg_rows_agree_on_the_index_score(china_panel):
    _need_r()
    if rbridge.package_version("spatialreg") is None:
        pytest.skip("R package 'spatialreg' is not installed (Debian: r-cran-spatialreg)")
    frame, spec, w = china_panel
    report = compare(frame, spec, routines=list(SPATIALREG), spatial_weights=w)
    rows = _spatialreg_rows(report)
    assert set(rows["status"]) == {"compared"}
    assert rows["ok"].all(), rows.filter(~pl.col("ok"))
    for routine, quantities in SPATIALREG.items():
        assert set(rows.filter(pl.col("routine") == routine)["quantity"]) == quantities
    assert set(rows["tolerance"]) == {SPATIALREG_TOLERANCE}
    assert rows["note"].str.contains("sqrt\\(eps\\)").all()
    assert set(rows["where"]) == {"2001–2004"}
    # the Python side is the public spatial β-convergence of the index's score
    beta = nqpf.spatial.spatial_beta_convergence(
        report.index.scores, "score", "region", "year", w=w, model="sem", draws=0
    )
    sem = rows.filter((pl.col("routine") == "spatialreg::errorsarlm") & (pl.col("quantity") == "β"))
    assert sem["python"][0] == beta.beta
    # without weights: skipped with the reason, as the spdep rows are
    without = _spatialreg_rows(compare(frame, spec, routines=list(SPATIALREG)))
    assert set(without["status"]) == {"skipped"}
    assert without["note"].str.starts_with("no spatial weights given").all()


@pytest.mark.r
def test_a_wrong_spatial_rho_is_caught_and_named(china_panel, monkeypatch):
    _need_r()
    if rbridge.package_version("spatialreg") is None:
        pytest.skip("R package 'spatialreg' is not installed (Debian: r-cran-spatialreg)")
    real = nqpf.spatial.spatial_beta_convergence

    def shifted(*args, **kwargs):
        out = real(*args, **kwargs)
        # 1e-5 in ρ: ten times the tolerance on ρ's own scale (1)
        regression = dataclasses.replace(out.regression, rho=out.regression.rho + 1e-5)
        return dataclasses.replace(out, regression=regression)

    monkeypatch.setattr(nqpf.spatial, "spatial_beta_convergence", shifted)
    frame, spec, w = china_panel
    report = compare(frame, spec, routines=["spatialreg::lagsarlm"], spatial_weights=w)
    failed = set(report.failed.get_column("quantity"))
    assert failed == {"ρ"}  # the coefficients and effects were not touched


def test_spatialreg_rows_skip_without_r_or_the_package(china_panel, no_rpy2, monkeypatch):
    frame, spec, w = china_panel
    rows = _spatialreg_rows(compare(frame, spec, routines=list(SPATIALREG), spatial_weights=w))
    assert set(rows["status"]) == {"skipped"}
    assert set(rows["note"]) == {rbridge.UNAVAILABLE_MESSAGE}
    assert set(rows["routine"]) == set(SPATIALREG)


@pytest.mark.r
def test_spatialreg_rows_skip_without_spatialreg(china_panel, monkeypatch):
    _need_r()
    real = rbridge._versions

    def without(session, packages):
        return [
            None if p == "spatialreg" else v
            for p, v in zip(packages, real(session, packages), strict=True)
        ]

    monkeypatch.setattr(rbridge, "_versions", without)
    frame, spec, w = china_panel
    rows = _spatialreg_rows(compare(frame, spec, routines=list(SPATIALREG), spatial_weights=w))
    assert set(rows["status"]) == {"skipped"}
    assert set(rows["note"]) == {
        "R package 'spatialreg' is not installed (Debian: apt-get install r-cran-spatialreg)"
    }


def test_a_package_name_chooses_all_its_routines():
    from nqpf.crossval.validation import select_routines

    assert select_routines(["spatialreg"]) == set(SPATIALREG)
    assert select_routines("SPDEP") == {
        "spdep::moran.test",
        "spdep::geary.test",
        "spdep::globalG.test",
        "spdep::localmoran",
        "spdep::localG",
    }
    assert select_routines(["laeken", 'spatialreg::lagsarlm(type="mixed")']) == {
        "laeken::gini",
        'spatialreg::lagsarlm(type="mixed")',
    }
