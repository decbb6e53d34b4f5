"""The robustness ("multiverse") analysis: nqpf.robustness (nqpf.multiverse).

Oracles, none of them the analysis' own output:

* every variant's scores: a direct ``nqpf.entropy_topsis`` call with that variant's
  options (the same arithmetic, so bit for bit);
* the correlations: ``scipy.stats.kendalltau`` (τ_b) and ``scipy.stats.spearmanr``;
* rank ranges, modal echelons and echelon changes: brute force over the direct results
  (``scipy.stats.rankdata`` of plain Python period means, ``nqpf.echelons`` of each
  result);
* the Dagum shares: ``nqpf.dagum_gini(...).period_mean()`` of each direct result.

Tolerances (each from its computation's conditioning):

* TAU_TOL: τ_b is a ratio of exact integer counts; both sides round only the final
  division and square root (a few ulp of numbers ≤ 1).
* RHO_TOL: ρ is Pearson's r of ranks; scipy and nqpf sum n ≤ 200 squared deviations of
  size ≤ n² in different orders: relative error ≲ n·ε.
* DAGUM_TOL: the batched kernel and dagum_gini do the same per-year arithmetic; the
  period mean of T ≤ 10 yearly shares is summed in another order (≲ T·ε).
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import kendalltau, rankdata, spearmanr

import nqpf
from nqpf import multiverse
from nqpf.cli import main
from nqpf.multiverse import DEFAULT_GRID, kendall_tau_matrix, spearman_rho_matrix

TAU_TOL = 1e-14
RHO_TOL = 1e-12
DAGUM_TOL = 1e-14

REGIONS = ["重庆", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "宁夏", "新疆", "西藏"]


def make_panel(n_regions: int = 10, n_years: int = 4, k: int = 5, seed: int = 3) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    regions = (REGIONS * 10)[:n_regions] if n_regions <= 10 else [f"R{i}" for i in range(n_regions)]
    base = rng.lognormal(size=(n_regions, k))
    rows = []
    for t in range(n_years):
        x = base * (1 + 0.05 * t) * rng.lognormal(sigma=0.15, size=(n_regions, k))
        for i, r in enumerate(regions):
            rows.append(
                {
                    "region": r,
                    "year": 2010 + t,
                    "zone": "东" if i % 2 else "西",
                    **{f"x{j}": float(x[i, j]) for j in range(k)},
                }
            )
    return pl.DataFrame(rows)


def make_spec(k: int = 5) -> nqpf.IndicatorSpec:
    return nqpf.IndicatorSpec.from_records(
        {"indicator": f"x{j}", "dimension": f"d{j % 2}", "direction": "-" if j == 1 else "+"}
        for j in range(k)
    )


@pytest.fixture(scope="module")
def panel():
    return make_panel()


@pytest.fixture(scope="module")
def spec():
    return make_spec()


@pytest.fixture(scope="module")
def full(panel, spec):
    return nqpf.robustness(panel, spec, dagum="zone")


def _direct(panel, spec, base, row, grid):
    options = base.replace(**{name: row[name] for name in grid})
    return nqpf.entropy_topsis(panel, spec, options=options)


def _variant_scores(res, variant):
    return (
        res.scores.filter(pl.col("variant") == variant)
        .sort("year", "region")
        .get_column("score")
        .to_numpy()
    )


# --------------------------------------------------------------- the variants


def test_the_default_grid_is_documented_and_48_variants(full):
    assert math.prod(len(v) for v in DEFAULT_GRID.values()) == 48
    assert full.n_variants == 48
    assert full.dropped.height == 0
    assert full.reference == 1
    assert full.variants.filter(pl.col("reference")).height == 1
    assert set(full.grid) == set(DEFAULT_GRID)


@pytest.mark.parametrize(
    ("grid", "base"),
    [
        (None, {}),
        (
            {
                "method": ["topsis", "linear"],
                "ideal": ["panel", "year", "absolute"],
                "shift": [1e-4, 0.01],
                "zero_log": ["zero", "epsilon"],
            },
            {"weights": "critic", "scope": "year"},
        ),
    ],
)
def test_every_variant_equals_a_direct_entropy_topsis_call_bit_for_bit(panel, spec, grid, base):
    res = nqpf.robustness(panel, spec, grid=grid, dagum=False, **base)
    options = nqpf.IndexOptions(**base)
    names = list(res.grid)
    for row in res.variants.iter_rows(named=True):
        direct = _direct(panel, spec, options, row, names).scores.sort("year", "region")
        assert np.array_equal(
            _variant_scores(res, row["variant"]), direct.get_column("score").to_numpy()
        ), row["label"]
    # the reference is the variant equal to the base options
    reference = res.variants.filter(pl.col("reference")).row(0, named=True)
    assert options.replace(**{n: reference[n] for n in names}) == options


def test_refused_combinations_are_dropped_and_named(panel, spec):
    res = nqpf.robustness(
        panel,
        spec,
        grid={"ideal": ["panel", "absolute"], "normalization": ["minmax", "vector"]},
        dagum=False,
    )
    assert res.n_variants == 3
    assert res.dropped.to_dicts() == [
        {
            "ideal": "absolute",
            "normalization": "vector",
            "reason": "ideal='absolute' needs the min–max scale",
        }
    ]
    assert "dropped ideal=absolute, normalization=vector" in res.summary()


def test_a_combination_the_panel_refuses_is_dropped_with_the_indexs_reason(spec):
    frame = make_panel().with_columns(
        pl.when(pl.col("year") == 2011).then(1.0).otherwise(pl.col("x2")).alias("x2")
    )
    res = nqpf.robustness(frame, spec, grid={"scope": ["panel", "year"]}, dagum=False)
    assert res.n_variants == 1
    assert res.dropped.get_column("scope").to_list() == ["year"]
    assert "'x2' is constant in year 2011" in res.dropped.get_column("reason")[0]
    with pytest.raises(nqpf.InputError, match="no variant of the grid can be run"):
        nqpf.robustness(frame, spec, grid={"scope": ["year"]}, dagum=False)


# ------------------------------------------------------------- correlations


def test_correlations_equal_scipy(full, panel):
    v = full.n_variants
    matrix = np.column_stack([_variant_scores(full, j) for j in range(1, v + 1)])
    frame = panel.sort("year", "region").select("region")
    means = np.array(
        [
            [np.mean(matrix[(frame.get_column("region") == r).to_numpy(), j]) for j in range(v)]
            for r in REGIONS
        ]
    )
    pairs = {(r["variant_a"], r["variant_b"]): r for r in full.correlations.iter_rows(named=True)}
    assert len(pairs) == v * (v - 1) // 2
    for a, b in itertools.combinations(range(v), 2):
        row = pairs[(a + 1, b + 1)]
        assert row["tau_scores"] == pytest.approx(
            kendalltau(matrix[:, a], matrix[:, b]).statistic, abs=TAU_TOL
        )
        assert row["rho_scores"] == pytest.approx(
            spearmanr(matrix[:, a], matrix[:, b]).statistic, abs=RHO_TOL
        )
        assert row["tau_ranks"] == pytest.approx(
            kendalltau(means[:, a], means[:, b]).statistic, abs=TAU_TOL
        )
        assert row["rho_ranks"] == pytest.approx(
            spearmanr(means[:, a], means[:, b]).statistic, abs=RHO_TOL
        )


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 40).flatmap(
        lambda n: st.lists(
            st.lists(st.integers(-3, 3), min_size=n, max_size=n), min_size=1, max_size=5
        )
    ),
    st.sampled_from([1 << 22, 7, 1]),
)
def test_tau_and_rho_matrices_equal_scipy_with_ties(cols, block):
    x = np.array(cols, dtype=float).T
    old = multiverse._PAIR_BLOCK
    multiverse._PAIR_BLOCK = block  # blocks of one row, a few rows, or all at once
    try:
        tau = kendall_tau_matrix(x)
    finally:
        multiverse._PAIR_BLOCK = old
    rho = spearman_rho_matrix(x)
    for a, b in itertools.product(range(x.shape[1]), repeat=2):
        constant = np.ptp(x[:, a]) == 0 or np.ptp(x[:, b]) == 0
        if constant:
            assert math.isnan(tau[a, b])
            assert math.isnan(rho[a, b])
            continue
        assert tau[a, b] == pytest.approx(kendalltau(x[:, a], x[:, b]).statistic, abs=TAU_TOL)
        assert rho[a, b] == pytest.approx(spearmanr(x[:, a], x[:, b]).statistic, abs=RHO_TOL)


# ------------------------------------------------ rank ranges and echelons


def test_rank_ranges_and_echelon_changes_equal_a_brute_force(full, panel, spec):
    base = nqpf.IndexOptions()
    ranks: dict[str, list[int]] = {r: [] for r in REGIONS}
    tiers: dict[str, list[int]] = {r: [] for r in REGIONS}
    for row in full.variants.iter_rows(named=True):
        result = _direct(panel, spec, base, row, list(full.grid))
        scores = result.scores
        means = [
            sum(scores.filter(pl.col("region") == r).get_column("score").to_list()) / 4
            for r in REGIONS
        ]
        for r, rank in zip(REGIONS, rankdata([-m for m in means], method="min"), strict=True):
            ranks[r].append(int(rank))
        echelons = nqpf.echelons(result, rule="jenks", k=3).assignments
        for r, e in echelons.select("region", "echelon").iter_rows():
            tiers[r].append(e)
    table = {row["region"]: row for row in full.regions.iter_rows(named=True)}
    for r in REGIONS:
        assert table[r]["min_rank"] == min(ranks[r])
        assert table[r]["max_rank"] == max(ranks[r])
        assert table[r]["median_rank"] == float(np.median(ranks[r]))
        assert table[r]["reference_rank"] == ranks[r][0]
        counts = {e: tiers[r].count(e) for e in set(tiers[r])}
        modal = min(e for e, c in counts.items() if c == max(counts.values()))
        assert table[r]["modal_echelon"] == modal
        assert table[r]["modal_share"] == max(counts.values()) / full.n_variants
        assert table[r]["echelon_changes"] == (len(counts) > 1)
    changed = sum(len(set(tiers[r])) > 1 for r in REGIONS) / len(REGIONS)
    assert full.echelon_change_share == changed
    medians = full.regions.get_column("median_rank").to_list()
    assert medians == sorted(medians)


def test_one_variant_gives_tau_one_and_no_echelon_changes(panel, spec):
    res = nqpf.robustness(panel, spec, grid={"weights": ["entropy"]})
    assert res.n_variants == 1
    assert res.correlations.height == 0
    row = res.variants.row(0, named=True)
    assert row["tau_scores"] == 1.0
    assert row["tau_ranks"] == 1.0
    assert row["rho_ranks"] == 1.0
    assert res.echelon_change_share == 0.0
    assert not res.regions.get_column("echelon_changes").any()
    assert res.regions.get_column("rank_range").max() == 0
    assert res.conclusions.get_column("robust").all()


# ------------------------------------------------------------- Dagum shares


@pytest.mark.parametrize("by", ["zone", True])
def test_dagum_shares_equal_dagum_gini_of_each_variant(panel, spec, by):
    grid = {"weights": ["entropy", "critic"], "normalization": ["minmax", "vector"]}
    res = nqpf.robustness(panel, spec, grid=grid, dagum=by)
    for row in res.variants.iter_rows(named=True):
        result = _direct(panel, spec, nqpf.IndexOptions(), row, list(grid))
        if by == "zone":
            frame, group = result.scores, "zone"
        else:
            frame = nqpf.echelons(result, rule="jenks", k=3).join(result.scores)
            group = "echelon"
        period = dict(
            nqpf.dagum_gini(frame, value="score", group=group, by="year")
            .period_mean()
            .select("quantity", "mean")
            .iter_rows()
        )
        for name in ("G", "Gw_share", "Gnb_share", "Gt_share"):
            assert row[name] == pytest.approx(period[name], rel=DAGUM_TOL), (row["label"], name)
    shares = res.variants.select("Gw_share", "Gnb_share", "Gt_share").to_numpy()
    dagum = {r["quantity"]: r for r in res.dagum.iter_rows(named=True)}
    for j, name in enumerate(("Gw_share", "Gnb_share", "Gt_share")):
        assert dagum[name]["min"] == shares[:, j].min()
        assert dagum[name]["max"] == shares[:, j].max()
        assert dagum[name]["largest_in"] == int(np.sum(np.argmax(shares, axis=1) == j))


def test_no_dagum_and_a_missing_group_column(panel, spec):
    res = nqpf.robustness(panel, spec, grid={"weights": ["entropy", "critic"]}, dagum=False)
    assert res.dagum.height == 0
    assert res.variants.get_column("G").null_count() == 2
    assert "largest_share" not in res.conclusions.get_column("conclusion").to_list()
    with pytest.raises(nqpf.InputError, match="dagum='continent' is not a column"):
        nqpf.robustness(panel, spec, grid={"weights": ["entropy"]}, dagum="continent")


# -------------------------------------------------------------- conclusions


def test_a_region_best_in_every_indicator_is_first_in_all_variants(spec):
    frame = make_panel().with_columns(
        *(
            pl.when(pl.col("region") == "重庆")
            .then(pl.lit(0.01 if j == 1 else 100.0))  # x1 is a cost indicator
            .otherwise(pl.col(f"x{j}"))
            .alias(f"x{j}")
            for j in range(5)
        )
    )
    res = nqpf.robustness(frame, spec, dagum="zone")
    first = res.conclusions.filter(pl.col("conclusion") == "first").row(0, named=True)
    assert first["holds_in"] == first["variants"] == 48
    assert first["text"] == "重庆 is first in all 48 variants"
    assert first["text_zh"] == "重庆在全部 48 个方案中均排名第一"
    assert res.regions.row(0, named=True)["max_rank"] == 1


def test_conclusion_counts_are_what_they_say(full):
    ranks_first = full.variants.get_column("first").to_list()
    row = full.conclusions.filter(pl.col("conclusion") == "first").row(0, named=True)
    leader = full.regions.sort("reference_rank").get_column("region")[0]
    assert row["holds_in"] == ranks_first.count(leader)
    assert leader in row["text"]
    assert leader in row["text_zh"]
    echelons = full.conclusions.filter(pl.col("conclusion") == "echelons").row(0, named=True)
    kept = int((~full.regions.get_column("echelon_changes")).sum())
    assert echelons["text"].startswith(f"{kept} of {full.regions.height} regions")


# ------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        ({"weight": ["entropy"]}, "unknown option 'weight' of IndexOptions"),
        ({"scope": ["panel", "years"]}, "grid option 'scope': unknown scope 'years'"),
        ({"scope": []}, "grid option 'scope' has no values"),
        ({"shift": [-1.0]}, "grid option 'shift'"),
        ({"missing": ["error", "drop"]}, "grid option 'missing' cannot vary"),
        ("weights", "grid must be a mapping"),
    ],
)
def test_bad_grid_is_one_line_naming_the_option(panel, spec, grid, message):
    with pytest.raises(nqpf.InputError) as caught:
        nqpf.robustness(panel, spec, grid=grid)
    assert message in caught.value.message
    assert "\n" not in caught.value.message


# --------------------------------------------------------- result and figure


def test_result_protocol(full, tmp_path):
    assert set(full.tables()) == {
        "variants",
        "correlations",
        "regions",
        "dagum",
        "conclusions",
        "dropped",
        "scores",
    }
    text = full.summary()
    assert "48 variants run, 0 dropped" in text
    assert full.conclusions.get_column("text")[0] in text
    assert full.conclusions.get_column("text_zh")[0] in full.summary("zh")
    path = full.write(tmp_path / "robust.xlsx")
    assert path.exists()
    assert full.to_dict()["kind"] == "RobustnessResult"
    assert pl.read_csv(full.write(tmp_path / "variants.csv")).height == 48


def test_rank_range_figure_draws_chinese_labels(full):
    from nqpf import figures

    fig = full.rank_range_figure(title="不同方案下的排名范围", xlabel="排名")
    svg = figures.to_bytes(fig, "svg").decode("utf-8")
    for region in REGIONS:
        assert region in svg
    assert "不同方案下的排名范围" in svg
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would warn
        assert figures.to_bytes(fig, "png")[:4] == b"\x89PNG"
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks == full.regions.get_column("region").to_list()


# ------------------------------------------------------------------- CLI


@pytest.fixture
def files(tmp_path, panel, spec):
    panel.write_csv(tmp_path / "panel.csv")
    spec.to_frame().write_csv(tmp_path / "spec.csv")
    return tmp_path


def test_cli_runs_the_grid_and_writes_tables_and_figure(files, capsys):
    out, figure = files / "robust.xlsx", files / "ranks.svg"
    code = main(
        [
            "robustness",
            str(files / "panel.csv"),
            "--spec",
            str(files / "spec.csv"),
            "--grid",
            "weights=entropy,critic",
            "--grid",
            "scope=panel,year",
            "--group",
            "zone",
            "--out",
            str(out),
            "--figure",
            str(figure),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "4 variants run" in printed
    assert out.exists()
    assert figure.exists()
    assert "重庆" in figure.read_text("utf-8")


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        ("weight=entropy", "unknown option 'weight' of IndexOptions"),
        ("scope=panel,years", "grid option 'scope': unknown scope 'years'"),
        ("scope", "is not NAME=V1,V2"),
        ("shift=0.1,x", "grid option 'shift'"),
        ("scope=", "grid option 'scope' has no values"),
    ],
)
def test_cli_bad_grid_is_one_line(files, capsys, flag, message):
    code = main(
        [
            "robustness",
            str(files / "panel.csv"),
            "--spec",
            str(files / "spec.csv"),
            "--grid",
            flag,
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


# ----------------------------------------------------------------- report


def test_report_has_the_robustness_section_in_both_languages(panel, spec):
    result = nqpf.entropy_topsis(panel, spec, keep=["zone"])
    en = nqpf.build_report(result, group="zone", clubs=False)
    zh = nqpf.build_report(result, group="zone", clubs=False, language="zh")
    for report in (en, zh):
        names = [t.name for t in report.entries if t.name.startswith("robustness")]
        assert names == ["robustness_conclusions", "robustness_regions", "robustness_dagum"]
        assert "robustness_regions" in report.figures
    conclusions = en.table("robustness_conclusions")
    assert conclusions.equals(zh.table("robustness_conclusions"))
    direct = nqpf.robustness(
        panel, spec, grid=multiverse.REPORT_GRID, dagum="zone", options=result.options
    )
    assert conclusions.equals(direct.conclusions.select("conclusion", "holds_in", "variants"))
    shown = zh.entries[[t.name for t in zh.entries].index("robustness_conclusions")].display
    assert shown.to_series(0).to_list() == direct.conclusions.get_column("text_zh").to_list()
    assert any(line.startswith("稳健性（8 种指数方案）") for line in zh.summary_lines)
    # the reference variant is the report's own index: its ranks are the region table's
    shown = dict(en.table("regions").select("region", "rank").iter_rows())
    reference = en.table("robustness_regions").select("region", "reference_rank").iter_rows()
    assert {r: rank for r, rank in reference} == shown


def test_dagum_by_a_key_column(panel, spec):
    grid = {"weights": ["entropy", "critic"]}
    by_year = nqpf.robustness(panel, spec, grid=grid, dagum="year")
    # one group per cross-section: the whole Gini is within-group
    assert by_year.variants.get_column("Gw_share").to_list() == pytest.approx([1.0, 1.0])
    by_region = nqpf.robustness(panel, spec, grid=grid, dagum="region")
    # one region per group: nothing is within-group
    assert by_region.variants.get_column("Gw_share").to_list() == [0.0, 0.0]
