"""Random frames through every analysis: a result or one InputError, never a traceback.

Each column of a small region × year frame takes a random kind — numbers, numbers
with a NaN, an inf or a null, numeric text, other text, booleans, dates, huge
unsigned integers, a constant, all nulls, lists, categories, values near ±1e308
or subnormal — and every analysis of the module layer runs on it. (The index
itself reads its frame through nqpf.panel, whose checks are tested with the
reading layer.)
"""

from __future__ import annotations

import datetime

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nqpf
from nqpf import compare
from nqpf.errors import InputError

N = 24
KINDS = ["float", "positive", "nan", "inf", "null", "text", "numeric text", "bool", "date",
         "int", "uint64", "constant", "all null", "list", "category", "huge", "subnormal"]  # fmt: skip


def column(kind: str, rng: np.random.Generator) -> pl.Series:
    positive = rng.uniform(0.5, 3.0, N)
    if kind == "float":
        return pl.Series(rng.uniform(-2.0, 3.0, N))
    if kind == "positive":
        return pl.Series(positive)
    if kind in ("nan", "inf"):
        positive[rng.integers(0, N)] = np.nan if kind == "nan" else np.inf
        return pl.Series(positive)
    if kind == "null":
        return pl.Series([None if i == 2 else float(v) for i, v in enumerate(positive)])
    if kind == "text":
        return pl.Series([f"s{i % 3}" for i in range(N)])
    if kind == "numeric text":
        return pl.Series([f"{v:.3f}" for v in positive])
    if kind == "bool":
        return pl.Series([bool(i % 2) for i in range(N)])
    if kind == "date":
        return pl.Series([datetime.date(2000 + i % 5, 1, 1) for i in range(N)])
    if kind == "int":
        return pl.Series(rng.integers(0, 5, N))
    if kind == "uint64":
        return pl.Series([2**64 - 1 - i for i in range(N)], dtype=pl.UInt64)
    if kind == "constant":
        return pl.Series([1.0] * N)
    if kind == "all null":
        return pl.Series([None] * N, dtype=pl.Float64)
    if kind == "list":
        return pl.Series([[1.0]] * N)
    if kind == "category":
        return pl.Series([f"c{i % 2}" for i in range(N)], dtype=pl.Categorical)
    if kind == "huge":
        return pl.Series(rng.uniform(-1.0, 1.0, N) * 1.7e308)
    return pl.Series(rng.uniform(0.0, 1.0, N) * 1e-310)  # subnormal


CALLS = {
    "echelons": lambda d: nqpf.echelons(d, value="v", k=2),
    "echelons column": lambda d: nqpf.echelons(d, value="v", rule="column", column="g"),
    "echelon_sensitivity": lambda d: nqpf.echelon_sensitivity(d, value="v", k=2, n_init=2),
    "dagum_gini": lambda d: nqpf.dagum_gini(d, "v", "g", by="year", weights="w", bootstrap=3),
    "sigma": lambda d: nqpf.sigma_trend(
        nqpf.sigma_convergence(d, "v", "year", "g", region="region"), "year", "g"
    ),
    "beta": lambda d: nqpf.beta_convergence(d, "v", "region", "year", controls=["w"]),
    "beta twoway": lambda d: nqpf.beta_convergence(d, "v", "region", "year", effects="twoway"),
    "markov": lambda d: nqpf.markov_chain(
        d, "v", "region", "year", k=2, neighbours={f"r{i}": [f"r{(i + 1) % 6}"] for i in range(6)}
    ),
    "clubs": lambda d: nqpf.club_convergence(d, "v", "region", "year"),
    "kde": lambda d: nqpf.kernel_density(d, "v", "year", "g", n=8),
    "obstacle": lambda d: nqpf.obstacle_degree(
        d.select("region", "year", "x1", "x2"), {"x1": 1, "x2": 2}, {"x1": "a", "x2": "b"}
    ),
    "compare": lambda d: compare.rank_agreement(
        d.select("region", "year", pl.col("v").alias("score")),
        d.select("region", "year", pl.col("w").alias("score")),
    ),
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kinds=st.fixed_dictionaries(
        {c: st.sampled_from(KINDS) for c in ("region", "year", "v", "g", "w", "x1", "x2")}
    ),
    keyed=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_random_frames_give_a_result_or_one_input_error(kinds, keyed, seed):
    rng = np.random.default_rng(seed)
    frame = pl.DataFrame({name: column(kind, rng) for name, kind in kinds.items()})
    if keyed:  # a well-formed panel's keys, so that the value checks are reached
        frame = frame.with_columns(
            pl.Series("region", [f"r{i % 6}" for i in range(N)]),
            pl.Series("year", [2000 + i // 6 for i in range(N)]),
        )
    with np.errstate(all="ignore"):
        for name, call in CALLS.items():
            message = None
            try:
                call(frame)
            except InputError as error:
                message = str(error)
            assert message is None or "\n" not in message, (name, kinds)
