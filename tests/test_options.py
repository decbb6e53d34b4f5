"""Options of a wrong type or out of range: one-line InputError, never a traceback.

A sweep over every public function of the analysis modules × each of its options
× values of the wrong kind: a bool where a number is wanted (``True`` is an int in
Python, and was taken as 1), NaN and ±inf, negative or zero counts, text, None, a
list, out-of-range probabilities and levels, a negative seed. Each call must raise
:class:`~nqpf.errors.InputError` whose message is one line and names the option
(or the column) — and nothing else: a ValueError from numpy, a TypeError or a
polars error is a bug.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl
import pytest

import nqpf
from nqpf import compare as nqpf_compare
from nqpf import crossval
from nqpf.dagum import dagum_decompose
from nqpf.dynamics.clubs import hp_filter, log_t_test
from nqpf.dynamics.kde import bandwidth
from nqpf.dynamics.sigma import sigma_trend
from nqpf.errors import InputError
from nqpf.groups import fisher_jenks

NAN, INF = math.nan, math.inf


def panel() -> pl.DataFrame:
    rng = np.random.default_rng(7)
    n_regions, n_years = 6, 8
    n = n_regions * n_years
    return pl.DataFrame(
        {
            "region": np.repeat([f"r{i}" for i in range(n_regions)], n_years),
            "year": np.tile(np.arange(2000, 2000 + n_years), n_regions),
            "score": np.repeat(np.linspace(1, 3, n_regions), n_years) + rng.uniform(0, 0.3, n),
            "zone": np.repeat(["a", "b", "a", "b", "c", "c"], n_years),
            "pop": rng.uniform(1, 5, n),
            "ctl": rng.normal(size=n),
            "x1": rng.uniform(1, 2, n),
            "x2": rng.uniform(10, 20, n),
        }
    )


DF = panel()
INDEX = nqpf.entropy_topsis(DF.select("region", "year", "x1", "x2"))
TIERS = nqpf.echelons(DF, k=2)
DAGUM = nqpf.dagum_gini(DF, "score", "zone", by="year")
Z = DF.select(
    "region",
    "year",
    *(((pl.col(c) - pl.col(c).min()) / (pl.col(c).max() - pl.col(c).min())) for c in ("x1", "x2")),
)
OBSTACLE = nqpf.obstacle_degree(Z, {"x1": 0.6, "x2": 0.4}, {"x1": "a", "x2": "b"})
SENSITIVITY = nqpf.echelon_sensitivity(DF, k=2)
SIGMA = nqpf.sigma_convergence(DF, "score", "year")

#: Values that are never a count, a probability or a finite number.
NOT_A_NUMBER = [True, False, "3", None, [1], NAN, INF, -INF, {1: 2}, 2.5j]
NOT_A_COUNT = [True, False, "3", None, [3], NAN, INF, 2.5, -1, {1: 2}]
NOT_A_CHOICE = ["nope", "", 5, None, True, ["panel"], np.array(["panel"]), {"a": 1}]
NOT_A_BOOL = [1, 0, "yes", "True", None, 1.0, [True], np.array([True, False])]
NOT_A_COLUMN = [5, None, True, ["score"], ("score",), {"a": 1}, 2.5]
NOT_A_SEED = [-1, -(2**70), 1.5, "a", True, NAN, [1]]


def _sweep(name: str, call: Callable[[Any], Any], values: list[Any]) -> list[Any]:
    return [pytest.param(call, v, id=f"{name}={v!r}"[:60]) for v in values]


CASES: list[Any] = []


def case(name: str, values: list[Any]) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
    def add(call: Callable[[Any], Any]) -> Callable[[Any], Any]:
        CASES.extend(_sweep(name, call, values))
        return call

    return add


# --- entropy_topsis -----------------------------------------------------------
IDX = DF.select("region", "year", "x1", "x2")
for opt in ("scope", "standardization", "zero_log", "method", "topsis", "ideal", "normalization",
            "missing"):  # fmt: skip
    CASES += _sweep(f"entropy_topsis {opt}", lambda v, o=opt: nqpf.entropy_topsis(IDX, **{o: v}),
                    NOT_A_CHOICE)  # fmt: skip
CASES += _sweep("entropy_topsis shift", lambda v: nqpf.entropy_topsis(IDX, shift=v),
                [*NOT_A_NUMBER, -1e-4])  # fmt: skip
CASES += _sweep("entropy_topsis weights", lambda v: nqpf.entropy_topsis(IDX, weights=v),
                ["nope", 5, [1.0], [1.0, NAN], [1.0, -1.0], [0.0, 0.0], {"x1": "a", "x2": 1},
                 {"x1": 1.0}, [True, "a"], None])  # fmt: skip
CASES += _sweep("entropy_topsis keep", lambda v: nqpf.entropy_topsis(IDX, keep=v),
                [["nope"], [5], 5, [None]])  # fmt: skip
CASES += _sweep("entropy_topsis region", lambda v: nqpf.entropy_topsis(IDX, region=v),
                [5, ["region"], "nope"])  # fmt: skip

# --- echelons ---------------------------------------------------------------
CASES += _sweep("echelons rule", lambda v: nqpf.echelons(DF, rule=v), NOT_A_CHOICE)
# k=None, value=None, region=None are the defaults (3 tiers; the score and region columns)
NOT_A_K = [v for v in NOT_A_COUNT if v is not None]
CASES += _sweep("echelons k", lambda v: nqpf.echelons(DF, k=v), [*NOT_A_K, 0, 1, 10**6])
CASES += _sweep("echelons thresholds",
                lambda v: nqpf.echelons(DF, rule="thresholds", thresholds=v),
                ["a", [NAN], [INF], [], [2.0, 2.0], 5, [[1, 2], [3]], None])  # fmt: skip
CASES += _sweep("echelons quantiles", lambda v: nqpf.echelons(DF, rule="quantiles", quantiles=v),
                ["x", [0.0], [1.0], [1.5], [NAN], [0.5, 0.5], []])  # fmt: skip
CASES += _sweep("echelons sd_multiplier",
                lambda v: nqpf.echelons(DF, rule="sd", sd_multiplier=v),
                [*NOT_A_NUMBER, 0, -1])  # fmt: skip
CASES += _sweep("echelons ddof", lambda v: nqpf.echelons(DF, rule="sd", ddof=v),
                [2, -1, True, "1", 0.5, None])  # fmt: skip
CASES += _sweep("echelons seed", lambda v: nqpf.echelons(DF, rule="kmeans", seed=v), NOT_A_SEED)
CASES += _sweep("echelons n_init", lambda v: nqpf.echelons(DF, rule="kmeans", n_init=v),
                [0, -1, 1.5, True, "3", None, 10**9])  # fmt: skip
CASES += _sweep("echelons labels", lambda v: nqpf.echelons(DF, k=2, labels=v),
                ["x", ["a"], {1: "a"}, ["a", "a"], 5])  # fmt: skip
CASES += _sweep("echelons column", lambda v: nqpf.echelons(DF, rule="column", column=v),
                [5, ["zone"], "nope"])  # fmt: skip
for opt in ("value", "region", "year"):
    CASES += _sweep(f"echelons {opt}", lambda v, o=opt: nqpf.echelons(DF, **{o: v}),
                    [5, ["score"], True, 2.5])  # fmt: skip
CASES += _sweep("EchelonResult.join name", lambda v: TIERS.join(DF, name=v), [5, ["e"], True])
CASES += _sweep("EchelonResult.join label", lambda v: TIERS.join(DF, label=v), [5, ["e"]])
CASES += _sweep("echelon_sensitivity rules", lambda v: nqpf.echelon_sensitivity(DF, rules=v),
                [5, [], ["jenks"], {"a": 5}, {"a": {"k": 2}}, {"a": {"rule": "x"}}, {"a": {"kk": 1}},
                 "nope"])  # fmt: skip
CASES += _sweep("echelon_sensitivity k", lambda v: nqpf.echelon_sensitivity(DF, k=v),
                [*NOT_A_K, 0, 1])  # fmt: skip
CASES += _sweep("echelon_sensitivity seed", lambda v: nqpf.echelon_sensitivity(DF, seed=v),
                NOT_A_SEED)  # fmt: skip
CASES += _sweep("echelon_agreement table", lambda v: nqpf.echelon_agreement(v),
                [5, "x", None, [1, 2]])  # fmt: skip
CASES += _sweep(
    "echelon_agreement region",
    lambda v: nqpf.echelon_agreement(SENSITIVITY, region=v),
    [5, None, "nope"],
)
CASES += _sweep("fisher_jenks k", lambda v: fisher_jenks([1.0, 2.0, 3.0], v),
                [0, -1, 4, 2.5, True, "2", None, NAN])  # fmt: skip
CASES += _sweep("fisher_jenks x", lambda v: fisher_jenks(v, 2),
                [["a", "b"], [1.0, NAN], None, [[1.0, 2.0], [3.0]]])  # fmt: skip

# --- dagum -------------------------------------------------------------------
CASES += _sweep("dagum_gini bootstrap",
                lambda v: nqpf.dagum_gini(DF, "score", "zone", bootstrap=v),
                [*NOT_A_COUNT, 10**12])  # fmt: skip
CASES += _sweep("dagum_gini level",
                lambda v: nqpf.dagum_gini(DF, "score", "zone", bootstrap=9, level=v),
                [*NOT_A_NUMBER, 0.0, 1.0, 1.5, -0.5])  # fmt: skip
CASES += _sweep(
    "dagum_gini seed",
    lambda v: nqpf.dagum_gini(DF, "score", "zone", bootstrap=9, seed=v),
    NOT_A_SEED,
)
CASES += _sweep("dagum_gini progress",
                lambda v: nqpf.dagum_gini(DF, "score", "zone", bootstrap=9, progress=v),
                [5, "x"])  # fmt: skip
for opt in ("value", "group", "by", "weights"):
    CASES += _sweep(
        f"dagum_gini {opt}",
        lambda v, o=opt: nqpf.dagum_gini(DF, **({"value": "score", "group": "zone"} | {o: v})),
        [5, ["score"], True, "nope"] + ([None] if opt in ("value", "group") else []),
    )
CASES += _sweep("dagum_decompose y", lambda v: dagum_decompose(v, ["a", "b", "b"]),
                [["x", "y", "z"], [1.0, NAN, 2.0], [1.0, -1.0, 2.0], [[1.0, 2.0, 3.0]], None,
                 [1.0, 2.0]])  # fmt: skip
CASES += _sweep(
    "dagum_decompose weights",
    lambda v: dagum_decompose([1.0, 2.0, 3.0], ["a", "b", "b"], v),
    [[1.0, -1.0, 1.0], [NAN, 1.0, 1.0], ["a", "b", "c"], [1.0], [0.0, 0.0, 0.0]],
)
CASES += _sweep("DagumResult.summary_text digits", lambda v: DAGUM.summary_text(v),
                [-1, 2.5, True, "4", None, 10**6])  # fmt: skip

# --- dynamics ----------------------------------------------------------------
CASES += _sweep(
    "sigma_convergence log",
    lambda v: nqpf.sigma_convergence(DF, "score", "year", log=v),
    NOT_A_BOOL,
)
for opt in ("value", "year"):
    CASES += _sweep(
        f"sigma_convergence {opt}",
        lambda v, o=opt: nqpf.sigma_convergence(
            DF, **({"value": "score", "year": "year"} | {o: v})
        ),
        NOT_A_COLUMN,
    )
CASES += _sweep(
    "sigma_convergence group",
    lambda v: nqpf.sigma_convergence(DF, "score", "year", group=v),
    [5, ["zone"], True],
)
CASES += _sweep("sigma_trend measures", lambda v: sigma_trend(SIGMA, "year", measures=v),
                ["nope", [5], [None], 5])  # fmt: skip
CASES += _sweep("sigma_trend year", lambda v: sigma_trend(SIGMA, v), NOT_A_COLUMN)
for opt, values in (("effects", NOT_A_CHOICE), ("horizon", ["nope", "", 5, True]),
                    ("controls_at", NOT_A_CHOICE), ("controls", [5, ["nope"], [5], ["score"]]),
                    ("start", ["a", NAN, True, 1999]), ("end", [INF, [2005], 3000])):  # fmt: skip
    CASES += _sweep(
        f"beta_convergence {opt}",
        lambda v, o=opt: nqpf.beta_convergence(DF, "score", "region", "year", **{o: v}),
        values,
    )
CASES += _sweep("markov_chain k", lambda v: nqpf.markov_chain(DF, "score", "region", "year", k=v),
                [*NOT_A_COUNT, 1, 0, 10**6])  # fmt: skip
CASES += _sweep(
    "markov_chain classes",
    lambda v: nqpf.markov_chain(DF, "score", "region", "year", classes=v),
    NOT_A_CHOICE,
)
CASES += _sweep("markov_chain neighbours",
                lambda v: nqpf.markov_chain(DF, "score", "region", "year", k=2, neighbours=v),
                [5, "abc", {"r0": "r1"}, {"r0": ["nope"]}, {"r0": ["r0"]}, {"r0": ["r1"]},
                 pl.DataFrame({"a": [1]}), [("r0", "r1")], {"r0": 5}])  # fmt: skip
for opt in ("value", "region", "year"):
    CASES += _sweep(
        f"markov_chain {opt}",
        lambda v, o=opt: nqpf.markov_chain(
            DF, **({"value": "score", "region": "region", "year": "year"} | {o: v})
        ),
        NOT_A_COLUMN,
    )
CASES += _sweep(
    "club_convergence log",
    lambda v: nqpf.club_convergence(DF, "score", "region", "year", log=v),
    NOT_A_BOOL,
)
CASES += _sweep(
    "club_convergence merge",
    lambda v: nqpf.club_convergence(DF, "score", "region", "year", merge=v),
    NOT_A_BOOL,
)
CASES += _sweep("club_convergence hp_lambda",
                lambda v: nqpf.club_convergence(DF, "score", "region", "year", hp_lambda=v),
                [0, -1, NAN, INF, "x", True, [400]])  # fmt: skip
CASES += _sweep("club_convergence trim",
                lambda v: nqpf.club_convergence(DF, "score", "region", "year", trim=v),
                [0, 1, -0.1, 1.5, NAN, "x", True, None, 0.01])  # fmt: skip
CASES += _sweep("club_convergence cstar",
                lambda v: nqpf.club_convergence(DF, "score", "region", "year", cstar=v),
                [NAN, INF, "x", True, None])  # fmt: skip
CASES += _sweep("hp_filter lamb", lambda v: hp_filter(np.ones((5, 2)), v), [0, -1, NAN, "x", True])
CASES += _sweep("log_t_test trim", lambda v: log_t_test(np.ones((3, 10)), v), [0, 1, NAN, True])
CASES += _sweep("kernel_density bw", lambda v: nqpf.kernel_density(DF, "score", "year", bw=v),
                ["foo", -1, 0, NAN, INF, True, None, [0.1]])  # fmt: skip
CASES += _sweep("kernel_density n", lambda v: nqpf.kernel_density(DF, "score", "year", n=v),
                [*NOT_A_COUNT, 1, 0, 10**9])  # fmt: skip
CASES += _sweep("kernel_density cut", lambda v: nqpf.kernel_density(DF, "score", "year", cut=v),
                [*NOT_A_NUMBER, -1])  # fmt: skip
CASES += _sweep("kernel_density grid",
                lambda v: nqpf.kernel_density(DF, "score", "year", grid=v),
                ["foo", [], [NAN], ["a", "b"], None, 5, [[1.0], [2.0, 3.0]]])  # fmt: skip
CASES += _sweep("bandwidth rule", lambda v: bandwidth([1.0, 2.0, 3.0], v),
                ["nope", -1, NAN, True, None])  # fmt: skip

# --- obstacle, compare, crossval ---------------------------------------------
CASES += _sweep("obstacle_degree weights",
                lambda v: nqpf.obstacle_degree(Z, v, {"x1": "a", "x2": "b"}),
                [{"x1": "a", "x2": 1}, {"x1": -1, "x2": 1}, {"x1": NAN, "x2": 1}, 5, None, {},
                 {"x1": 0, "x2": 0}, {"nope": 1}, {"x1": True, "x2": [1]}])  # fmt: skip
CASES += _sweep("obstacle_degree spec_dimensions",
                lambda v: nqpf.obstacle_degree(Z, {"x1": 1, "x2": 1}, v),
                [5, {"x1": "a"}, "ab", None])  # fmt: skip
CASES += _sweep("obstacle_degree keys",
                lambda v: nqpf.obstacle_degree(Z, {"x1": 1, "x2": 1}, {"x1": "a", "x2": "b"}, keys=v),
                [5, ["nope"], [5], "nope", ["x1"]])  # fmt: skip
CASES += _sweep("ObstacleResult.top n", lambda v: OBSTACLE.top(v), [0, -1, 1.5, True, "3", None])
CASES += _sweep("ObstacleResult.top level", lambda v: OBSTACLE.top(level=v), NOT_A_CHOICE)
CASES += _sweep("join_scores value", lambda v: nqpf_compare.join_scores(INDEX, INDEX, value=v),
                [5, "nope", True, ["score"]])  # fmt: skip
CASES += _sweep("join_scores rank", lambda v: nqpf_compare.join_scores(INDEX, INDEX, rank=v),
                [5, "nope", True])  # fmt: skip
CASES += _sweep("join_scores region", lambda v: nqpf_compare.join_scores(INDEX, INDEX, region=v),
                [5, "nope", ["region"]])  # fmt: skip
CASES += _sweep("join_scores runs", lambda v: nqpf_compare.join_scores(v, INDEX),
                [5, "x", None, [1, 2]])  # fmt: skip
CASES += _sweep(
    "rank_agreement value",
    lambda v: nqpf_compare.rank_agreement(INDEX, INDEX, value=v),
    [5, "nope"],
)
CASES += _sweep("IndexResult.summary top", lambda v: INDEX.summary(v),
                [-1, 1.5, True, "3", None])  # fmt: skip
for opt, values in (("tolerance", [0, -1, NAN, INF, "x", True, None]),
                    ("detail", NOT_A_BOOL), ("routines", ["nope", 5, [5], ["laeken", "x"]]),
                    ("group", [5, "nope", ["zone"]]), ("by", [5, "nope"]),
                    ("dagum_weights", [5, "nope"]), ("scope", NOT_A_CHOICE[:4]),
                    ("shift", [NAN, -1, True])):  # fmt: skip
    CASES += _sweep(
        f"crossval.compare {opt}",
        lambda v, o=opt: crossval.compare(
            DF.select("region", "year", "zone", "pop", "x1", "x2"),
            nqpf.IndicatorSpec.from_names(["x1", "x2"]),
            **({"group": "zone"} if o not in ("group",) else {}),
            **{o: v},
        ),
        values,
    )


@pytest.mark.parametrize(("call", "value"), CASES)
def test_a_bad_option_is_one_input_error(call: Callable[[Any], Any], value: Any) -> None:
    with pytest.raises(InputError) as err:
        call(value)
    message = str(err.value)
    assert message
    assert "\n" not in message
    assert "Traceback" not in message


def test_the_sweep_covers_every_public_function() -> None:
    """A guard: each public analysis is swept (the list is long enough to miss one)."""
    swept = {p.id.split(" ")[0].split("=")[0] for p in CASES}
    for name in ("entropy_topsis", "echelons", "echelon_sensitivity", "echelon_agreement",
                 "dagum_gini", "sigma_convergence", "sigma_trend", "beta_convergence",
                 "markov_chain", "club_convergence", "kernel_density", "obstacle_degree",
                 "join_scores", "rank_agreement", "crossval.compare", "fisher_jenks",
                 "dagum_decompose", "bandwidth", "hp_filter", "log_t_test"):  # fmt: skip
        assert name in swept, name
    assert len(CASES) > 400


@pytest.mark.parametrize(
    ("call", "ok"),
    [
        # the same options with good values of other numeric types are accepted
        (lambda: nqpf.echelons(DF, k=np.int64(2)), "k"),
        (
            lambda: nqpf.dagum_gini(DF, "score", "zone", bootstrap=np.int32(5), seed=np.int64(1)),
            "B",
        ),
        (lambda: nqpf.dagum_gini(DF, "score", "zone", bootstrap=5, level=np.float32(0.9)), "level"),
        (lambda: nqpf.markov_chain(DF, "score", "region", "year", k=np.int16(2)), "k"),
        (lambda: nqpf.kernel_density(DF, "score", "year", n=np.int64(8), cut=1), "n"),
        (lambda: nqpf.entropy_topsis(IDX, shift=0), "shift"),
        (lambda: nqpf.club_convergence(DF, "score", "region", "year", log=np.bool_(True)), "log"),
    ],
)
def test_good_values_of_other_numeric_types_still_work(call: Callable[[], Any], ok: str) -> None:
    assert call() is not None, ok
