"""TOPSIS variants: distances, given ideal points, grey relational analysis and grey
relational TOPSIS (issue 13, deliver 2; docs/methods.md §2).

Published case: the grey relational analysis example of Yıldırım & Önder (eds.),
《İşletmeciler, Mühendisler ve Yöneticiler için ... Çok Kriterli Karar Verme
Yöntemleri》, Dora 2015 (5 alternatives × 6 criteria, weights given, ζ = 0.5), whose
grades JMcDM (Satman et al., Julia) prints and tests: 0.525, 0.7007142857142857,
0.5464285714285715, 0.5762820512820512, 0.650952380952381.

Independent references: MCDA::TOPSIS (R, CRAN) with positiveIdealSolutions /
negativeIdealSolutions for given ideals; brute-force loops written from the formulas
for the distances and grey TOPSIS (Sun, Jiao & Hu 2005).
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nqpf import IndexOptions, IndicatorSpec, entropy_topsis, rbridge
from nqpf.cli import main
from nqpf.errors import InputError
from nqpf.topsis import grey_grades_by_groups

# Yıldırım & Önder (2015) GRA example, as JMcDM's tests carry it
GRA_X = {
    "K1": [105000.0, 120000, 150000, 115000, 135000],
    "K2": [105.0, 110, 120, 105, 115],
    "K3": [10.0, 15, 12, 20, 15],
    "K4": [4.0, 4, 3, 4, 5],
    "K5": [300.0, 500, 550, 600, 400],
    "K6": [10.0, 8, 12, 9, 9],
}
GRA_COST = {"K1": "-", "K3": "-", "K6": "-"}
GRA_W = [0.05, 0.20, 0.10, 0.15, 0.10, 0.40]
GRA_PUBLISHED = [
    0.525,
    0.7007142857142857,
    0.5464285714285715,
    0.5762820512820512,
    0.650952380952381,
]
# The grades are sums of six terms w·ξ with ξ a ratio of min–max values: a few ulps
# of error each (≈ 1e-15); the printed values are the doubles JMcDM computed, so 1e-12
# leaves room for a different summation order and nothing more.
PRINTED = 1e-12

# Hodgett's cars (price is a cost), as in tests/test_r_reference.py
CARS = np.array([[5490, 51.4, 8.5, 285], [6500, 70.6, 7.0, 288], [6489, 54.3, 7.5, 290]])
CARS_W = [0.35, 0.25, 0.25, 0.15]
CARS_NAMES = ["price", "power", "economy", "space"]
# closeness of 3 alternatives × 4 criteria: a dozen rounded operations on values of
# order 0.1–1 and a ratio whose denominator is ≥ 0.05: 1e-13 is ~100 ulps of slack
SUMS = 1e-13


def _frame(columns: dict, years=None) -> pl.DataFrame:
    n = len(next(iter(columns.values())))
    return pl.DataFrame(
        {"region": [f"A{i + 1}" for i in range(n)], "year": years or [2020] * n, **columns}
    )


def _cars(**options):
    frame = _frame({n: CARS[:, j].tolist() for j, n in enumerate(CARS_NAMES)})
    spec = IndicatorSpec.from_records(
        [
            {"indicator": "price", "dimension": "cost", "direction": "-"},
            {"indicator": "power", "dimension": "drive"},
            {"indicator": "economy", "dimension": "drive"},
            {"indicator": "space", "dimension": "cost"},
        ]
    )
    options.setdefault("weights", CARS_W)
    return entropy_topsis(frame, spec, **options)


def _scores(result, column="score"):
    return result.scores.sort("region")[column].to_list()


# ---------------------------------------------------------------------------
# grey relational analysis


def test_grey_relational_published_example():
    spec = IndicatorSpec.from_names(list(GRA_X), directions=GRA_COST)
    result = entropy_topsis(_frame(GRA_X), spec, weights=GRA_W, method="grey")
    np.testing.assert_allclose(_scores(result), GRA_PUBLISHED, rtol=0, atol=PRINTED)
    assert result.scores.sort("rank")["region"][0] == "A2"  # JMcDM's bestIndex == 2
    assert result.scores["d_plus"].null_count() == 5  # no distances in GRA


def test_grey_rho_changes_the_resolution_only():
    spec = IndicatorSpec.from_names(list(GRA_X), directions=GRA_COST)
    low = entropy_topsis(_frame(GRA_X), spec, weights=GRA_W, method="grey", rho=0.1)
    high = entropy_topsis(_frame(GRA_X), spec, weights=GRA_W, method="grey", rho=1.0)
    assert _scores(low) != _scores(high)
    assert max(_scores(high)) - min(_scores(high)) < max(_scores(low)) - min(_scores(low))


def test_grey_grades_brute_force():
    rng = np.random.default_rng(7)
    m = rng.uniform(0, 1, size=(6, 4))
    w = np.array([0.1, 0.2, 0.3, 0.4])
    ref = m.max(axis=0)
    gaps = [[abs(m[r, j] - ref[j]) for j in range(4)] for r in range(6)]
    low = min(min(row) for row in gaps)
    high = max(max(row) for row in gaps)
    expected = [
        sum(w[j] * (low + 0.3 * high) / (gaps[r][j] + 0.3 * high) for j in range(4))
        for r in range(6)
    ]
    got = grey_grades_by_groups(m, w, ref, [[0, 1, 2, 3]], rho=0.3)[0]
    np.testing.assert_allclose(got, expected, rtol=SUMS)


def _grey_topsis_reference(m, w, best, worst, share, rho=0.5):
    """Sun, Jiao & Hu (2005), written out: Euclidean D± of the weighted matrix, grey
    grades R± to the ideal and anti-ideal, each divided by its maximum, then
    S⁺ = (1 − β)D⁻ + βR⁺, S⁻ = (1 − β)D⁺ + βR⁻, C = S⁺/(S⁺ + S⁻)."""
    rows, cols = m.shape

    def grades(point):
        gaps = [[abs(m[r, j] - point[j]) for j in range(cols)] for r in range(rows)]
        low = min(min(g) for g in gaps)
        high = max(max(g) for g in gaps)
        return [
            sum(w[j] * (low + rho * high) / (gaps[r][j] + rho * high) for j in range(cols))
            for r in range(rows)
        ]

    d_plus = [
        math.sqrt(sum((w[j] * (m[r, j] - best[j])) ** 2 for j in range(cols))) for r in range(rows)
    ]
    d_minus = [
        math.sqrt(sum((w[j] * (m[r, j] - worst[j])) ** 2 for j in range(cols))) for r in range(rows)
    ]
    r_plus, r_minus = grades(best), grades(worst)
    out = []
    for r in range(rows):
        s_plus = (1 - share) * d_minus[r] / max(d_minus) + share * r_plus[r] / max(r_plus)
        s_minus = (1 - share) * d_plus[r] / max(d_plus) + share * r_minus[r] / max(r_minus)
        out.append(s_plus / (s_plus + s_minus))
    return out


@pytest.mark.parametrize("share", [0.0, 0.5, 0.8, 1.0])
def test_grey_topsis_brute_force(share):
    spec = IndicatorSpec.from_names(list(GRA_X), directions=GRA_COST)
    result = entropy_topsis(
        _frame(GRA_X), spec, weights=GRA_W, method="grey_topsis", grey_share=share
    )
    x = np.column_stack([GRA_X[k] for k in GRA_X])
    benefit = np.array([k not in GRA_COST for k in GRA_X])
    low, high = x.min(axis=0), x.max(axis=0)
    z = np.where(benefit, (x - low) / (high - low), (high - x) / (high - low)) + 1e-4
    expected = _grey_topsis_reference(z, np.array(GRA_W), z.max(axis=0), z.min(axis=0), share)
    np.testing.assert_allclose(_scores(result), expected, rtol=SUMS)


# ---------------------------------------------------------------------------
# distances


def test_minkowski_two_is_euclidean_bit_for_bit():
    for weighting in ("matrix", "distance"):
        today = _cars(topsis=weighting, normalization="vector")
        p2 = _cars(topsis=weighting, normalization="vector", distance="minkowski", p=2.0)
        assert today.scores.equals(p2.scores)
    assert _cars(distance="manhattan").scores.equals(_cars(distance="minkowski", p=1.0).scores)


def _distance(gaps, w, kind, p, weighting):
    """A weighted distance written out (W = 1 here: the weights sum to 1)."""
    if kind == "chebyshev":
        return max(wj * abs(g) for wj, g in zip(w, gaps, strict=True))
    exponent = 1.0 if kind == "manhattan" else p
    if weighting == "matrix":
        return sum(abs(wj * g) ** exponent for wj, g in zip(w, gaps, strict=True)) ** (1 / exponent)
    return sum(wj * abs(g) ** exponent for wj, g in zip(w, gaps, strict=True)) ** (1 / exponent)


@pytest.mark.parametrize("weighting", ["matrix", "distance"])
@pytest.mark.parametrize(
    ("kind", "p"), [("manhattan", 1.0), ("chebyshev", 2.0), ("minkowski", 3.0), ("minkowski", 1.5)]
)
def test_distances_brute_force_with_dimension_scores(kind, p, weighting):
    result = _cars(normalization="vector", distance=kind, p=p, topsis=weighting)
    norms = [math.sqrt(sum(v * v for v in CARS[:, j])) for j in range(4)]
    v = [[CARS[r, j] / norms[j] for j in range(4)] for r in range(3)]
    benefit = [False, True, True, True]
    best = [max(c) if b else min(c) for c, b in zip(zip(*v, strict=True), benefit, strict=True)]
    worst = [min(c) if b else max(c) for c, b in zip(zip(*v, strict=True), benefit, strict=True)]

    def closeness(cols):
        total = sum(CARS_W[j] for j in cols)
        w = [CARS_W[j] / total for j in cols]
        out = []
        for r in range(3):
            dp = _distance([v[r][j] - best[j] for j in cols], w, kind, p, weighting)
            dm = _distance([v[r][j] - worst[j] for j in cols], w, kind, p, weighting)
            out.append(dm / (dp + dm))
        return out

    np.testing.assert_allclose(_scores(result), closeness([0, 1, 2, 3]), rtol=SUMS)
    np.testing.assert_allclose(_scores(result, "cost"), closeness([0, 3]), rtol=SUMS)
    np.testing.assert_allclose(_scores(result, "drive"), closeness([1, 2]), rtol=SUMS)


# ---------------------------------------------------------------------------
# given ideal points


def test_given_points_on_the_minmax_scale_by_hand():
    ideal = {"price": 5000.0, "power": 80.0}
    result = _cars(ideal_point=ideal, anti_ideal_point={"space": 280.0})
    low, high = CARS.min(axis=0), CARS.max(axis=0)
    benefit = np.array([False, True, True, True])
    z = np.where(benefit, (CARS - low) / (high - low), (high - CARS) / (high - low)) + 1e-4
    best, worst = z.max(axis=0), z.min(axis=0)
    best[0] = (high[0] - 5000.0) / (high[0] - low[0]) + 1e-4  # beyond the data's best
    best[1] = (80.0 - low[1]) / (high[1] - low[1]) + 1e-4
    worst[3] = (280.0 - low[3]) / (high[3] - low[3]) + 1e-4
    w = np.array(CARS_W)
    d_plus = np.sqrt((((z - best) * w) ** 2).sum(axis=1))
    d_minus = np.sqrt((((z - worst) * w) ** 2).sum(axis=1))
    np.testing.assert_allclose(_scores(result), d_minus / (d_plus + d_minus), rtol=SUMS)


def test_given_points_from_the_spec_columns(tmp_path):
    frame = _frame({n: CARS[:, j].tolist() for j, n in enumerate(CARS_NAMES)})
    path = tmp_path / "spec.csv"
    path.write_text(
        "indicator,dimension,direction,ideal,anti_ideal\n"
        "price,cost,-,5000,\npower,drive,+,80,\neconomy,drive,+,,\nspace,cost,+,,280\n",
        encoding="utf-8",
    )
    from_spec = entropy_topsis(frame, str(path), weights=CARS_W)
    from_options = _cars(ideal_point="price=5000, power=80", anti_ideal_point=["space=280"])
    assert from_spec.scores.equals(from_options.scores)


@pytest.mark.r
def test_given_ideals_against_mcda(monkeypatch):
    monkeypatch.setenv("NQPF_R_LIBS", "/work/.rlib")
    if not rbridge.available():
        pytest.skip(rbridge.unavailable_reason() or "R is not available")
    if rbridge.package_version("MCDA") is None:
        pytest.skip("the R package MCDA is not installed (NQPF_R_LIBS=/work/.rlib)")
    ideal = {"price": 5000.0, "power": 75.0, "economy": 9.0, "space": 295.0}
    anti = {"price": 7000.0, "power": 50.0, "economy": 6.5, "space": 280.0}
    ours = _cars(normalization="vector", ideal_point=ideal, anti_ideal_point=anti)
    norms = np.sqrt((CARS**2).sum(axis=0))
    w = np.array(CARS_W)
    pis = w * np.array([ideal[n] for n in CARS_NAMES]) / norms
    nis = w * np.array([anti[n] for n in CARS_NAMES]) / norms
    theirs = rbridge.mcda_topsis(
        CARS, CARS_W, ["min", "max", "max", "max"], ideal=pis, anti_ideal=nis
    )
    # both sides: vector norms and a Euclidean distance of 4 terms in doubles (≈ 1e-16
    # relative each); R's sweep sums in another order: 1e-13 covers it on any BLAS
    np.testing.assert_allclose(_scores(ours), theirs, rtol=SUMS)


# ---------------------------------------------------------------------------
# bad input: one line naming the option or the indicator


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"distance": "minkowski", "p": 0.5}, "p"),
        ({"rho": 0.0}, "rho"),
        ({"rho": 1.5}, "rho"),
        ({"grey_share": -0.1}, "grey_share"),
        ({"distance": "cosine"}, "distance"),
        ({"ideal_point": "price"}, "'price' is not indicator=value"),
        ({"ideal_point": {"price": "cheap"}}, "ideal_point of 'price' is not a number"),
        ({"anti_ideal_point": {"price": math.nan}}, "not a finite number"),
    ],
)
def test_option_errors(options, match):
    with pytest.raises(InputError, match=match) as caught:
        IndexOptions(**options)
    assert "\n" not in caught.value.message


def test_ideal_worse_than_anti_ideal_names_the_indicator():
    with pytest.raises(InputError, match="ideal point of indicator 'power' is not better"):
        _cars(ideal_point={"power": 60.0}, anti_ideal_point={"power": 65.0})
    with pytest.raises(InputError, match="ideal point of indicator 'price' is not better"):
        _cars(normalization="vector", ideal_point={"price": 9000.0})  # a cost: above its worst
    with pytest.raises(InputError, match="names 'speed', which is not an indicator"):
        _cars(ideal_point={"speed": 1.0})


# ---------------------------------------------------------------------------
# dimension sub-scores are each method on the dimension alone


@pytest.mark.parametrize(
    "options",
    [
        {"method": "grey"},
        {"method": "grey", "normalization": "vector", "rho": 0.3},
        {"method": "grey_topsis", "grey_share": 0.3},
        {"method": "grey_topsis", "distance": "chebyshev"},
        {"distance": "minkowski", "p": 4.0, "topsis": "distance"},
        {"ideal_point": {"power": 80.0, "space": 300.0}, "distance": "manhattan"},
    ],
)
def test_dimension_scores_are_the_method_on_the_dimension(options):
    full = _cars(**options)
    for dimension, names in (("cost", ["price", "space"]), ("drive", ["power", "economy"])):
        columns = [CARS_NAMES.index(n) for n in names]
        frame = _frame({n: CARS[:, CARS_NAMES.index(n)].tolist() for n in names})
        spec = IndicatorSpec.from_names(names, directions={"price": "-"})
        point = options.get("ideal_point")
        alone = entropy_topsis(
            frame,
            spec,
            **{
                **options,
                "weights": [CARS_W[j] for j in columns],
                "ideal_point": None
                if point is None
                else {k: v for k, v in point.items() if k in names} or None,
            },
        )
        np.testing.assert_allclose(_scores(full, dimension), _scores(alone), rtol=SUMS)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(1.0, 100.0), min_size=12, max_size=12),
    st.sampled_from(["grey", "grey_topsis", "topsis"]),
    st.sampled_from(["euclidean", "manhattan", "chebyshev"]),
)
def test_improving_a_region_never_lowers_its_score(values, method, distance):
    x = np.array(values).reshape(6, 2)
    if np.any(x.max(axis=0) == x.min(axis=0)):
        return
    frame = _frame({"a": x[:, 0].tolist(), "b": x[:, 1].tolist()})
    spec = IndicatorSpec.from_names(["a", "b"])
    base = entropy_topsis(frame, spec, weights="equal", method=method, distance=distance)
    # region A1 takes the best value of every indicator: it becomes the ideal itself
    better = frame.with_columns(
        pl.when(pl.col("region") == "A1").then(pl.col(c).max()).otherwise(pl.col(c)).alias(c)
        for c in ("a", "b")
    )
    if np.any(
        better.select("a", "b").to_numpy().max(axis=0)
        == better.select("a", "b").to_numpy().min(axis=0)
    ):
        return
    top = entropy_topsis(better, spec, weights="equal", method=method, distance=distance)
    assert _scores(top)[0] >= max(_scores(top)) - 1e-12
    assert _scores(top)[0] >= _scores(base)[0] - 1e-12


# ---------------------------------------------------------------------------
# the CLI offers every variant from the declarations


def test_cli_score_variants(tmp_path, capsys):
    panel = tmp_path / "cars.csv"
    _frame({n: CARS[:, j].tolist() for j, n in enumerate(CARS_NAMES)}).write_csv(panel)
    spec = tmp_path / "spec.csv"
    spec.write_text(
        "indicator,dimension,direction\nprice,cost,-\npower,drive,+\neconomy,drive,+\nspace,cost,+\n",
        encoding="utf-8",
    )
    out = tmp_path / "scores.csv"
    code = main(
        [
            "score",
            str(panel),
            "--spec",
            str(spec),
            "--out",
            str(out),
            "--method",
            "grey_topsis",
            "--distance",
            "minkowski",
            "--p",
            "3",
            "--rho",
            "0.4",
            "--grey-share",
            "0.6",
            "--ideal-point",
            "power=80,space=300",
        ]
    )
    assert code == 0, capsys.readouterr().err
    expected = _cars(
        weights="entropy",
        method="grey_topsis",
        distance="minkowski",
        p=3.0,
        rho=0.4,
        grey_share=0.6,
        ideal_point={"power": 80.0, "space": 300.0},
    )
    written = pl.read_csv(out).sort("region")["score"].to_list()
    np.testing.assert_allclose(written, _scores(expected), rtol=1e-15)
    code = main(["score", str(panel), "--spec", str(spec), "--distance", "minkowski", "--p", "0.5"])
    assert code == 2


# ---------------------------------------------------------------------------
# nqpf validate: the R reference skips what it cannot express (never a mismatch)


@pytest.mark.r
@pytest.mark.parametrize(
    ("options", "typed", "reason"),
    [
        ({"distance": "chebyshev"}, False, "distance='chebyshev' has no R reference"),
        ({"ideal_point": {"power": 80.0}}, False, "given ideal points have no R reference"),
        ({"cost": "reciprocal"}, False, "cost='reciprocal' has no R reference"),
        ({}, True, "indicator 'power' is mid"),
    ],
)
def test_validate_skips_variants_r_cannot_express(options, typed, reason):
    if not rbridge.available():
        pytest.skip(rbridge.unavailable_reason() or "R is not available")
    from nqpf.crossval import validate

    frame = _frame({n: CARS[:, j].tolist() for j, n in enumerate(CARS_NAMES)})
    records = [
        {"indicator": "price", "direction": "-"},
        {"indicator": "power", "direction": "mid", "target": 60}
        if typed
        else {"indicator": "power"},
        {"indicator": "economy"},
        {"indicator": "space"},
    ]
    report = validate(frame, IndicatorSpec.from_records(records), routines=["reference"], **options)
    assert report.passed, report.summary()
    assert reason in report.summary()
