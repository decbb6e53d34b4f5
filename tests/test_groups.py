"""Tests of nqpf.groups (echelons / 梯队).

References used, none of them our own output:

* the motivating study's Table 1 period averages of 12 western provinces and its
  3/4/5 split by the cut points 0.45 and 0.33;
* brute force over every contiguous partition of the sorted values, and over
  every assignment of labels (which does not assume Fisher's contiguity
  theorem);
* ``tests/data/golden/echelons.csv``, written by ``Rscript r/golden_echelons.R``
  from ``classInt::classIntervals(style = "fisher")`` and
  ``stats::kmeans(algorithm = "Lloyd")``; the same routines live through rpy2
  when R is present (marker ``r``); ``mapclassify.FisherJenks`` when installed;
* hand counts for quantiles and the mean–SD rule (``statistics.stdev``,
  ``numpy.quantile(method="linear")`` = Hyndman–Fan type 7).
"""

from __future__ import annotations

import itertools
import math
import statistics
from fractions import Fraction
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nqpf.errors import InputError
from nqpf.groups import (
    EchelonResult,
    echelon_agreement,
    echelon_sensitivity,
    echelons,
    fisher_jenks,
)

EPS = np.finfo(np.float64).eps
# Period averages of a 5-year panel vs numpy's mean of the same numbers: ≤ 5 roundings
# each side (a sum of 5 and a division), 10·ε/2 ≈ 1.1e-15 relative.
MEAN_RTOL = 1e-14


def _ssw_tol(x: np.ndarray) -> dict[str, float]:
    """pytest.approx tolerances for an optimal SSW of the values x (n of them).

    ``fisher_jenks`` keeps, among near-ties, any partition whose DP cost is within
    1e-12·best + 1e-15·SST (its tie rule), its prefix sums round by ≤ nε·SST, and
    the SSW it reports is recomputed two-pass, ≤ 2nε relative (so is the brute
    force's and R's). SST is taken about the median, as the DP centres there.
    """
    arr = np.asarray(x, dtype=float)
    n = arr.size
    sst = float(((arr - np.median(arr)) ** 2).sum())
    return {"rel": 1e-12 + 4 * n * EPS, "abs": (1e-15 + 4 * n * EPS) * sst}


GOLDEN = Path(__file__).parent / "data" / "golden" / "echelons.csv"

# Table 1 of the motivating study: period-average index of the 12 western provinces.
TABLE1 = {
    "Chongqing": 0.572,
    "Sichuan": 0.546,
    "Shaanxi": 0.489,
    "Guangxi": 0.387,
    "Yunnan": 0.375,
    "Guizhou": 0.368,
    "Inner Mongolia": 0.352,
    "Gansu": 0.312,
    "Xinjiang": 0.297,
    "Qinghai": 0.272,
    "Ningxia": 0.231,
    "Xizang": 0.208,
}
JENKS3 = [
    {"Chongqing", "Sichuan", "Shaanxi"},
    {"Guangxi", "Yunnan", "Guizhou", "Inner Mongolia", "Gansu"},
    {"Xinjiang", "Qinghai", "Ningxia", "Xizang"},
]
STUDY = [
    {"Chongqing", "Sichuan", "Shaanxi"},
    {"Guangxi", "Yunnan", "Guizhou", "Inner Mongolia"},
    {"Gansu", "Xinjiang", "Qinghai", "Ningxia", "Xizang"},
]


def table1() -> pl.DataFrame:
    return pl.DataFrame({"region": list(TABLE1), "score": list(TABLE1.values())})


def members(res: EchelonResult, region: str = "region") -> list[set[str]]:
    a = res.assignments
    return [set(a.filter(pl.col("echelon") == j)[region].to_list()) for j in range(1, res.k + 1)]


def ssw_of(x: np.ndarray, classes: np.ndarray) -> float:
    return float(sum(((x[classes == c] - x[classes == c].mean()) ** 2).sum() for c in set(classes)))


def panel_from(means: dict[str, float], years: int = 5, seed: int = 1) -> pl.DataFrame:
    """A balanced panel whose yearly values average to ``means`` (deviations sum to 0)."""
    rng = np.random.default_rng(seed)
    rows = []
    for reg, m in means.items():
        dev = rng.normal(0, 0.02, years)
        dev -= dev.mean()
        rows += [(reg, 2011 + t, m + dev[t]) for t in range(years)]
    df = pl.DataFrame(rows, schema=["province", "year", "nqpf"], orient="row")
    return df.sample(fraction=1.0, shuffle=True, seed=seed)  # row order must not matter


# ------------------------------------------------------------------ the study


def test_table1_fisher_jenks_k3() -> None:
    res = echelons(table1(), year=None, rule="jenks", k=3)
    assert members(res) == JENKS3
    assert res.rule == "jenks"
    assert res.k == 3
    # breaks are the lowest average of each upper tier
    assert res.breaks == (0.489, 0.312)
    assert res.tiers["n"].to_list() == [3, 5, 4]
    # GVF = 1 − SSW/SST, recomputed from the published numbers
    x = np.array(list(TABLE1.values()))
    tier = np.array([next(j for j, s in enumerate(JENKS3) if r in s) for r in TABLE1])
    assert res.gvf == pytest.approx(1 - ssw_of(x, tier) / ((x - x.mean()) ** 2).sum(), rel=1e-12)


def test_table1_study_thresholds() -> None:
    res = echelons(table1(), year=None, rule="thresholds", thresholds=[0.33, 0.45])
    assert members(res) == STUDY
    assert res.breaks == (0.45, 0.33)  # sorted high to low whatever the input order
    assert res.tiers["n"].to_list() == [3, 4, 5]


def test_table1_sensitivity_shows_gansu() -> None:
    rules = {"jenks": "jenks", "study": {"rule": "thresholds", "thresholds": [0.45, 0.33]}}
    table = echelon_sensitivity(table1(), year=None, rules=rules)
    assert table.columns == ["region", "mean", "jenks", "study", "differs"]
    assert table["region"].to_list() == list(TABLE1)  # highest average first
    assert table.filter("differs")["region"].to_list() == ["Gansu"]
    gansu = table.row(by_predicate=pl.col("region") == "Gansu", named=True)
    assert (gansu["jenks"], gansu["study"]) == (2, 3)
    agree = echelon_agreement(table)
    assert agree.row(0, named=True) == {
        "rule_a": "jenks",
        "rule_b": "study",
        "n": 12,
        "same": 11,
        "share": pytest.approx(11 / 12, rel=1e-15),
        "moved": "Gansu",
    }


def test_table1_panel_average_gives_same_tiers() -> None:
    panel = panel_from(TABLE1, years=5)
    res = echelons(panel, "nqpf", "province", "year", rule="jenks", k=3)
    assert members(res, "province") == JENKS3
    assert res.years == 5
    # independent average: numpy over each province's rows
    got = dict(zip(res.assignments["province"], res.assignments["mean"], strict=True))
    for reg in TABLE1:
        vals = panel.filter(pl.col("province") == reg)["nqpf"].to_numpy()
        assert got[reg] == pytest.approx(float(np.mean(vals)), rel=MEAN_RTOL)
        # the yearly deviations sum to 0 in decimal, to a few ulps in binary: same bound
        assert got[reg] == pytest.approx(TABLE1[reg], rel=MEAN_RTOL)
    study = echelons(panel, "nqpf", "province", "year", rule="thresholds", thresholds=[0.45, 0.33])
    assert members(study, "province") == STUDY


# ------------------------------------------------------------------ inputs


class _Result:
    """Duck-typed stand-in for the index result: the panel is in ``.scores``."""

    def __init__(self, scores: object) -> None:
        self.scores = scores


@pytest.mark.parametrize("kind", ["polars", "lazy", "pandas", "pandas_index", "scores", "dict"])
def test_input_kinds_agree(kind: str) -> None:
    panel = panel_from(TABLE1, years=3).rename({"province": "region", "nqpf": "score"})
    if kind == "lazy":
        frame: object = panel.lazy()
    elif kind == "pandas":
        frame = panel.to_pandas()
    elif kind == "pandas_index":
        frame = panel.to_pandas().set_index("region")
    elif kind == "scores":
        frame = _Result(panel)
    elif kind == "dict":
        frame = panel.to_dict(as_series=False)
    else:
        frame = panel
    res = echelons(frame, rule="jenks")
    assert members(res) == JENKS3
    assert isinstance(res.assignments, pl.DataFrame)
    assert res.assignments.columns == ["region", "mean", "echelon", "label"]


def test_pandas_frame_with_scores_column_is_a_frame() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"region": list(TABLE1), "scores": list(TABLE1.values())})
    res = echelons(frame, "scores", year=None)
    assert members(res) == JENKS3


def test_row_order_and_affine_invariance() -> None:
    base = echelons(table1(), year=None, rule="jenks", k=4)
    shuffled = table1().sample(fraction=1.0, shuffle=True, seed=3)
    assert members(echelons(shuffled, year=None, rule="jenks", k=4)) == members(base)
    # far from 0 with a small spread: the DP's centring must keep the optimum
    moved = table1().with_columns(pl.col("score") * 1e-3 + 1e4)
    assert members(echelons(moved, year=None, rule="jenks", k=4)) == members(base)


# ------------------------------------------------------------------ tie rules


def test_value_equal_to_threshold_goes_up() -> None:
    df = pl.DataFrame({"region": ["a", "b", "c", "d"], "score": [0.45, 0.33, 0.3299, 0.5]})
    res = echelons(df, year=None, rule="thresholds", thresholds=[0.45, 0.33])
    got = dict(zip(res.assignments["region"], res.assignments["echelon"], strict=True))
    assert got == {"a": 1, "b": 2, "c": 3, "d": 1}


def test_threshold_tie_survives_averaging_rounding() -> None:
    # (0.41 + 0.47 + 0.47) / 3 is 0.44999999999999996 in floating point
    vals = [0.41, 0.47, 0.47]
    assert sum(vals) / 3 < 0.45
    df = pl.DataFrame(
        {
            "region": ["a"] * 3 + ["b"] * 3,
            "year": [1, 2, 3] * 2,
            "score": [*vals, 0.2, 0.2, 0.2],
        }
    )
    res = echelons(df, rule="thresholds", thresholds=[0.45])
    assert res.assignments.filter(pl.col("region") == "a")["echelon"].item() == 1


def test_empty_tier_is_reported_for_fixed_thresholds() -> None:
    res = echelons(table1(), year=None, rule="thresholds", thresholds=[0.9, 0.45, 0.33])
    assert res.tiers["n"].to_list() == [0, 3, 4, 5]
    assert res.tiers["mean"][0] is None
    assert set(res.assignments["echelon"].to_list()) == {2, 3, 4}


# ------------------------------------------------------------------ quantiles


@pytest.mark.parametrize(
    ("n", "k", "quantiles", "counts"),
    [
        (12, 3, None, [4, 4, 4]),
        (12, 4, None, [3, 3, 3, 3]),
        # (n − 1)/3 = 3 falls on an order statistic, which goes up: 4 / 3 / 3
        (10, 3, None, [4, 3, 3]),
        (11, 2, None, [6, 5]),
        # positions 8·p = 2, 4, 6: 2, 4, 6 regions below the cuts
        (9, None, [0.25, 0.5, 0.75], [3, 2, 2, 2]),
        # position 10·0.2 = 2 exactly (0.2 is not exact in binary)
        (11, None, [0.2], [9, 2]),
    ],
)
def test_quantile_counts(
    n: int, k: int | None, quantiles: list[float] | None, counts: list[int]
) -> None:
    x = np.random.default_rng(n).permutation(np.arange(1, n + 1) / 7)
    df = pl.DataFrame({"region": [f"r{i}" for i in range(n)], "score": x})
    res = echelons(df, year=None, rule="quantiles", k=k, quantiles=quantiles)
    assert res.tiers["n"].to_list() == counts
    probs = (
        [j / res.k for j in range(res.k - 1, 0, -1)]
        if quantiles is None
        else sorted(quantiles)[::-1]
    )
    np.testing.assert_allclose(res.breaks, np.quantile(x, probs, method="linear"), rtol=1e-14)


@settings(max_examples=60, deadline=None)
@given(
    x=st.lists(st.integers(-1000, 1000), min_size=2, max_size=40, unique=True),
    k=st.integers(2, 6),
)
def test_quantile_counts_property(x: list[int], k: int) -> None:
    n = len(x)
    if k > n:
        return
    df = pl.DataFrame({"region": list(range(n)), "score": [v / 10 for v in x]})
    res = echelons(df, year=None, rule="quantiles", k=k)
    # with distinct values, exactly ceil((n − 1)·j/k) values lie below the cut at j/k
    below = [math.ceil(Fraction((n - 1) * j, k)) for j in range(1, k)]
    bounds = [0, *below, n]
    expected = [bounds[i + 1] - bounds[i] for i in range(k)][::-1]
    assert res.tiers["n"].to_list() == expected


# ------------------------------------------------------------------ sd rule


@pytest.mark.parametrize(
    ("k", "c", "ts"),
    [
        (3, 1.0, [1, -1]),
        (3, 0.5, [1, -1]),
        (2, 1.0, [0]),
        (4, 0.5, [1, 0, -1]),
        (5, 1.0, [2, 1, -1, -2]),
    ],
)
def test_sd_rule(k: int, c: float, ts: list[int]) -> None:
    x = list(TABLE1.values())
    m, s = statistics.fmean(x), statistics.stdev(x)
    res = echelons(table1(), year=None, rule="sd", k=k, sd_multiplier=c)
    np.testing.assert_allclose(res.breaks, [m + c * s * t for t in ts], rtol=1e-12)
    for reg, v in TABLE1.items():
        expected = 1 + sum(v < m + c * s * t for t in ts)
        got = res.assignments.filter(pl.col("region") == reg)["echelon"].item()
        assert got == expected, reg


def test_sd_rule_population_sd() -> None:
    x = list(TABLE1.values())
    res = echelons(table1(), year=None, rule="sd", ddof=0)
    m, s = statistics.fmean(x), statistics.pstdev(x)
    np.testing.assert_allclose(res.breaks, [m + s, m - s], rtol=1e-12)
    # Table 1 by mean ± 1 SD: Chongqing/Sichuan/Shaanxi above, Ningxia/Xizang below
    assert members(res)[0] == {"Chongqing", "Sichuan", "Shaanxi"}
    assert members(res)[2] == {"Ningxia", "Xizang"}


# ------------------------------------------------------------------ column rule


def test_column_rule_numbers_by_mean_and_keeps_labels() -> None:
    region_map = {r: "upper" for r in ["Chongqing", "Sichuan", "Shaanxi"]}
    panel = panel_from(TABLE1, years=3).with_columns(
        zone=pl.col("province").replace_strict(region_map, default="lower")
    )
    res = echelons(panel, "nqpf", "province", rule="column", column="zone")
    assert res.k == 2
    assert res.tiers["label"].to_list() == ["upper", "lower"]
    assert members(res, "province")[0] == {"Chongqing", "Sichuan", "Shaanxi"}
    assert res.breaks == ()
    assert res.options["column"] == "zone"


def test_column_rule_integer_column() -> None:
    df = table1().with_columns(official=pl.Series([3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1]))
    res = echelons(df, year=None, rule="column", column="official", labels="zh")
    # the tier holding the highest averages is echelon 1, whatever its code
    assert members(res) == [set(list(TABLE1)[:3]), set(list(TABLE1)[3:7]), set(list(TABLE1)[7:])]
    assert res.tiers["label"].to_list() == ["第一梯队", "第二梯队", "第三梯队"]


# ------------------------------------------------------------------ Fisher–Jenks


def brute_contiguous(x: np.ndarray, k: int) -> float:
    """Least SSW over all splits of the sorted values into k contiguous classes."""
    xs = np.sort(x)
    best = math.inf
    for cuts in itertools.combinations(range(1, xs.size), k - 1):
        parts = np.split(xs, cuts)
        best = min(best, sum(float(((p - p.mean()) ** 2).sum()) for p in parts))
    return best


def brute_any(x: np.ndarray, k: int) -> float:
    """Least SSW over every assignment of k non-empty labels (no contiguity assumed)."""
    best = math.inf
    for lab in itertools.product(range(k), repeat=x.size):
        if len(set(lab)) == k:
            best = min(best, ssw_of(x, np.array(lab)))
    return best


values = st.lists(
    st.one_of(
        st.floats(-50, 50, allow_nan=False, allow_subnormal=False), st.sampled_from([0.0, 1.0, 2.5])
    ),
    min_size=2,
    max_size=10,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(x=values, k=st.integers(2, 5))
def test_fisher_jenks_matches_brute_force(x: list[float], k: int) -> None:
    arr = np.array(x)
    if np.unique(arr).size < k:
        return
    classes, ssw = fisher_jenks(arr, k)
    assert set(classes.tolist()) == set(range(k))
    # classes are intervals, ordered like the values, and equal values share one
    order = np.argsort(arr, kind="stable")
    assert np.all(np.diff(classes[order]) >= 0)
    for v in np.unique(arr):
        assert np.unique(classes[arr == v]).size == 1
    assert ssw == pytest.approx(ssw_of(arr, classes), **_ssw_tol(arr))
    assert ssw == pytest.approx(brute_contiguous(arr, k), **_ssw_tol(arr))


@settings(max_examples=40, deadline=None)
@given(x=st.lists(st.floats(0, 1, allow_nan=False), min_size=3, max_size=6), k=st.integers(2, 3))
def test_fisher_jenks_matches_all_set_partitions(x: list[float], k: int) -> None:
    arr = np.array(x)
    if np.unique(arr).size < k:
        return
    _, ssw = fisher_jenks(arr, k)
    assert ssw == pytest.approx(brute_any(arr, k), **_ssw_tol(arr))


@settings(max_examples=60, deadline=None)
@given(x=values)
def test_fisher_jenks_classes_of_many_k_are_those_of_each_k(x: list[float]) -> None:
    from nqpf.groups import fisher_jenks_classes

    arr = np.array(x)
    ks = range(1, np.unique(arr).size + 1)
    many = fisher_jenks_classes(arr, ks)
    assert sorted(many) == list(ks)
    for k in ks:
        assert many[k].tolist() == fisher_jenks(arr, k)[0].tolist(), k


def test_fisher_jenks_weights_equal_repeats() -> None:
    x = np.array([0.1, 0.4, 0.5, 0.9, 1.3])
    w = np.array([3, 1, 2, 1, 4])
    cls_w, ssw_w = fisher_jenks(x, 3, weights=w)
    cls_r, ssw_r = fisher_jenks(np.repeat(x, w), 3)
    assert np.array_equal(np.repeat(cls_w, w), cls_r)
    assert ssw_w == pytest.approx(ssw_r, **_ssw_tol(np.repeat(x, w)))


def test_fisher_jenks_larger_input_is_fast_and_optimal_against_k2_scan() -> None:
    # k = 2 has n − 1 candidate splits: scan them all
    x = np.random.default_rng(7).lognormal(size=800)
    _, ssw = fisher_jenks(x, 2)
    assert ssw == pytest.approx(brute_contiguous(x, 2), **_ssw_tol(x))
    classes, _ = fisher_jenks(x, 7)
    assert set(classes.tolist()) == set(range(7))


# ------------------------------------------------------------------ R golden


def golden_cases() -> list[tuple[str, int]]:
    g = pl.read_csv(GOLDEN, null_values="NA")
    return [tuple(r) for r in g.select("dataset", "k").unique(maintain_order=True).iter_rows()]


@pytest.fixture(scope="module")
def golden() -> pl.DataFrame:
    return pl.read_csv(GOLDEN, null_values="NA").sort("dataset", "k", "i")


@pytest.mark.parametrize(("dataset", "k"), golden_cases())
def test_against_r_golden(golden: pl.DataFrame, dataset: str, k: int) -> None:
    """classInt fisher classes and kmeans(Lloyd) clusters from r/golden_echelons.R."""
    sub = golden.filter(dataset=dataset, k=k)
    x = sub["x"].to_numpy()
    classes, ssw = fisher_jenks(x, k)
    assert ssw == pytest.approx(sub["r_ssw_fisher"][0], **_ssw_tol(x))
    assert (classes + 1).tolist() == sub["fisher"].to_list()
    # through the public API: echelon = k + 1 − R's class
    df = pl.DataFrame({"region": sub["i"], "score": x})
    res = echelons(df, year=None, rule="jenks", k=k).assignments.sort("region")
    assert res["echelon"].to_list() == (k + 1 - sub["fisher"]).to_list()
    if sub["lloyd"].null_count() == 0:
        km = echelons(df, year=None, rule="kmeans", k=k, n_init=1).assignments.sort("region")
        assert km["echelon"].to_list() == (k + 1 - sub["lloyd"]).to_list()


@pytest.mark.r
def test_against_classint_live() -> None:
    pytest.importorskip("rpy2", reason="rpy2 is not installed")
    from rpy2.robjects import FloatVector
    from rpy2.robjects.packages import PackageNotInstalledError, importr

    try:
        class_int = importr("classInt")
    except PackageNotInstalledError:
        pytest.skip("R package classInt is not installed (Debian: r-cran-classint)")
    rng = np.random.default_rng(11)
    for trial in range(25):
        n = int(rng.integers(5, 80))
        x = rng.gamma(2.0, 1.0, n) if trial % 2 else rng.normal(0, 1, n)
        k = int(rng.integers(2, min(8, n)))
        ci = class_int.classIntervals(FloatVector(x), n=k, style="fisher")
        r_classes = np.asarray(class_int.findCols(ci), dtype=int)
        classes, _ = fisher_jenks(x, k)
        assert (classes + 1).tolist() == r_classes.tolist(), (trial, n, k)


# mapclassify without numba warns that it falls back to pure Python; importing
# it (scikit-learn, networkx) takes seconds, hence "slow"
@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Numba not installed")
def test_against_mapclassify() -> None:
    mc = pytest.importorskip("mapclassify", reason="mapclassify is not installed")
    rng = np.random.default_rng(5)
    for _ in range(6):
        x = rng.lognormal(size=int(rng.integers(10, 40)))
        k = int(rng.integers(2, 7))
        classes, _ = fisher_jenks(x, k)
        assert classes.tolist() == mc.FisherJenks(x, k=k).yb.tolist()


# ------------------------------------------------------------------ k-means


@settings(max_examples=60, deadline=None)
@given(
    x=st.lists(st.integers(0, 60), min_size=3, max_size=30),
    k=st.integers(2, 5),
    seed=st.integers(0, 9),
)
def test_kmeans_is_a_lloyd_fixed_point(x: list[int], k: int, seed: int) -> None:
    arr = np.array(x, dtype=float) / 3
    if np.unique(arr).size < k:
        return
    df = pl.DataFrame({"region": list(range(arr.size)), "score": arr})
    res = echelons(df, year=None, rule="kmeans", k=k, seed=seed)
    a = res.assignments
    assert a["echelon"].n_unique() == k  # no empty tier
    centres = a.group_by("echelon").agg(pl.col("mean").mean()).sort("echelon")["mean"].to_numpy()
    # centres are means of ≤ n values, each side within nε·max|x|: distances within 4× that
    margin = 4 * arr.size * EPS * float(np.abs(arr).max())
    for v, e in a.select("mean", "echelon").iter_rows():
        d = np.abs(v - centres)
        # own centre is a nearest one (exact midpoints may go either way)
        assert d[e - 1] <= d.min() + margin
    # never better than the exact optimum, up to the optimum's own tolerance over SST
    jenks = echelons(df, year=None, rule="jenks", k=k)
    tol = _ssw_tol(arr)
    sst = float(((arr - arr.mean()) ** 2).sum())
    assert res.gvf <= jenks.gvf + tol["rel"] + tol["abs"] / sst


def test_kmeans_is_reproducible_and_records_its_start() -> None:
    x = np.random.default_rng(2).normal(size=40)
    df = pl.DataFrame({"region": list(range(40)), "score": x})
    a = echelons(df, year=None, rule="kmeans", k=4, seed=3)
    b = echelons(df, year=None, rule="kmeans", k=4, seed=3)
    assert a.assignments.equals(b.assignments)
    np.testing.assert_allclose(
        a.options["initial_centres"], np.quantile(x, [1 / 8, 3 / 8, 5 / 8, 7 / 8]), rtol=1e-12
    )


# ------------------------------------------------------------------ breaks, labels, join


@pytest.mark.parametrize("rule", ["quantiles", "sd", "jenks", "kmeans"])
@pytest.mark.parametrize("k", [2, 3, 5])
def test_breaks_reproduce_the_assignment(rule: str, k: int) -> None:
    x = np.random.default_rng(k).gamma(2.0, size=30)
    df = pl.DataFrame({"region": list(range(30)), "score": x})
    res = echelons(df, year=None, rule=rule, k=k)
    assert len(res.breaks) == k - 1
    assert list(res.breaks) == sorted(res.breaks, reverse=True)
    again = echelons(df, year=None, rule="thresholds", thresholds=list(res.breaks))
    assert again.assignments["echelon"].to_list() == res.assignments["echelon"].to_list()


def test_labels() -> None:
    res = echelons(table1(), year=None, labels=["high", "mid", "low"])
    assert res.tiers["label"].to_list() == ["high", "mid", "low"]
    res = echelons(table1(), year=None, labels={1: "一", 2: "二", 3: "三"})
    assert res.assignments.filter(pl.col("region") == "Gansu")["label"].item() == "二"
    assert echelons(table1(), year=None).tiers["label"][0] == "echelon 1"
    assert "第一梯队" in str(echelons(table1(), year=None, labels="zh"))


def test_join_adds_group_column_in_row_order() -> None:
    panel = panel_from(TABLE1, years=4)
    res = echelons(panel, "nqpf", "province", rule="thresholds", thresholds=[0.45, 0.33])
    out = res.join(panel, label="tier")
    assert out.columns == [*panel.columns, "echelon", "tier"]
    assert out.select(panel.columns).equals(panel)
    lookup = {r: j + 1 for j, s in enumerate(STUDY) for r in s}
    assert out["echelon"].to_list() == [lookup[r] for r in panel["province"]]
    # echelon is constant within each year's cross-section → usable as a Dagum group
    assert out.group_by("province").agg(pl.col("echelon").n_unique())["echelon"].max() == 1


def test_join_feeds_dagum_groups() -> None:
    # nqpf.dagum is built alongside this module; skip only while it is absent
    dagum = pytest.importorskip("nqpf.dagum", reason="nqpf.dagum is not in this tree yet")
    dagum_gini = dagum.dagum_gini
    panel = panel_from(TABLE1, years=3)
    res = echelons(panel, "nqpf", "province", rule="thresholds", thresholds=[0.45, 0.33])
    dec = dagum_gini(res.join(panel), value="nqpf", group="echelon", by="year")
    within = dec.within.filter(pl.col("year") == 2011).sort("group")
    assert within["n"].to_list() == [3, 4, 5]


class _IndexLike:
    """Like IndexResult: the table in ``.scores`` and its own column names."""

    def __init__(self, scores: pl.DataFrame) -> None:
        self.scores = scores
        self.region = "province"
        self.year = "year"


def test_result_names_are_used() -> None:
    panel = panel_from(TABLE1, years=3).rename({"nqpf": "score"})
    res = echelons(_IndexLike(panel))
    assert res.region == "province"
    assert members(res, "province") == JENKS3
    table = echelon_sensitivity(_IndexLike(panel), rules=["jenks", "sd"])
    assert table.columns[0] == "province"


def test_join_errors() -> None:
    res = echelons(table1(), year=None)
    # the frame's own 'echelon' column is kept; the default new column steps aside
    own = res.assignments.select("region", pl.lit("mine").alias("echelon"))
    joined = res.join(own)
    assert joined["echelon"].to_list() == ["mine"] * own.height
    assert joined["nqpf_echelon"].to_list() == res.assignments["echelon"].to_list()
    # a name the caller asks for explicitly is never overwritten: refused
    with pytest.raises(InputError, match="'echelon' already exists"):
        res.join(own, name="echelon")
    extra = pl.DataFrame({"region": ["Beijing"], "score": [0.9]})
    with pytest.raises(InputError, match="'Beijing' has no echelon"):
        res.join(extra)


# ------------------------------------------------------------------ sensitivity


def test_sensitivity_default_rules_and_errors() -> None:
    table = echelon_sensitivity(table1(), year=None)
    assert table.columns == ["region", "mean", "quantiles", "sd", "jenks", "kmeans", "differs"]
    flags = [len(set(r[2:6])) > 1 for r in table.iter_rows()]
    assert table["differs"].to_list() == flags
    assert echelon_agreement(table).height == 6
    with pytest.raises(InputError, match="at least 2 rules"):
        echelon_sensitivity(table1(), year=None, rules=["jenks"])
    # a rule named like an output column takes that name; the output column steps aside
    named = echelon_sensitivity(table1(), year=None, rules={"mean": "jenks", "sd": "sd"})
    assert named.columns == ["region", "nqpf_mean", "mean", "sd", "differs"]
    assert named["nqpf_mean"].to_list() == table["mean"].to_list()
    assert named["mean"].to_list() == table["jenks"].to_list()
    assert echelon_agreement(named)[["rule_a", "rule_b"]].row(0) == ("mean", "sd")
    with pytest.raises(InputError, match="unknown option 'value'"):
        echelon_sensitivity(table1(), year=None, rules={"a": "sd", "b": {"value": "x"}})


# ------------------------------------------------------------------ bad input


PANEL = pl.DataFrame(
    {
        "region": ["a", "a", "b", "b", "c", "c"],
        "year": [1, 2, 1, 2, 1, 2],
        "score": [0.5, 0.6, 0.3, 0.2, 0.1, 0.15],
        "zone": ["x", "y", "z", "z", "z", "z"],
    }
)


@pytest.mark.parametrize(
    ("frame", "kwargs", "needle"),
    [
        (PANEL, {"rule": "natural"}, "unknown rule 'natural'"),
        (PANEL, {"k": 1}, "k=1"),
        (PANEL, {"k": 4}, "only 3 regions"),
        (PANEL, {"rule": "thresholds"}, "needs thresholds"),
        (PANEL, {"rule": "thresholds", "thresholds": [0.4, 0.4]}, "repeat"),
        (
            PANEL,
            {"rule": "thresholds", "thresholds": [0.4], "k": 3},
            "k=3 but rule 'thresholds' gives 2",
        ),
        (PANEL, {"rule": "column"}, "needs column="),
        (PANEL, {"rule": "column", "column": "zone"}, "region 'a' has different 'zone' values"),
        (PANEL, {"rule": "column", "column": "official"}, "no column 'official'"),
        (PANEL, {"value": "nqpf"}, "no column 'nqpf'"),
        (PANEL, {"region": "province"}, "no column 'province'"),
        (PANEL.drop("year"), {}, "no column 'year'"),
        (PANEL, {"value": "zone"}, "row 1, column 'zone': non-numeric value 'x'"),
        (PANEL, {"rule": "quantiles", "quantiles": [0.5, 1.2]}, "strictly between 0 and 1"),
        (PANEL, {"rule": "sd", "sd_multiplier": -1}, "sd_multiplier"),
        (PANEL, {"labels": ["x", "y"]}, "2 labels for 3 echelons"),
        (PANEL.with_columns(score=pl.lit(0.3)), {"k": 2}, "distinct region averages"),
        (
            PANEL.with_columns(year=pl.Series([1, 1, 1, 2, 1, 2])),
            {},
            "duplicate row for region 'a', year 1",
        ),
        (
            PANEL.filter(~((pl.col("region") == "b") & (pl.col("year") == 2))),
            {},
            "region 'b' has no row for year 2",
        ),
        (
            PANEL.with_columns(score=pl.Series([0.5, None, 0.3, 0.2, 0.1, 0.1])),
            {},
            "row 2, column 'score': missing",
        ),
        (
            PANEL.with_columns(score=pl.Series([0.5, 0.6, float("inf"), 0.2, 0.1, 0.1])),
            {},
            "non-finite",
        ),
        (PANEL.select("region", "score"), {"year": None}, "duplicate row for region 'a'"),
        (42, {}, "cannot read a table from a int"),
    ],
)
def test_bad_input(frame: object, kwargs: dict[str, object], needle: str) -> None:
    with pytest.raises(InputError) as err:
        echelons(frame, **kwargs)
    message = str(err.value)
    assert needle in message
    assert "\n" not in message


def test_option_values_of_the_wrong_type_are_input_errors():
    with pytest.raises(InputError, match="sd_multiplier='wide' must be a number"):
        echelons(PANEL, rule="sd", sd_multiplier="wide")
    with pytest.raises(InputError, match="seed='a' must be a whole number"):
        echelons(PANEL, rule="kmeans", k=2, seed="a")
