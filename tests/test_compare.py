"""nqpf.compare: scores of two index runs side by side, Kendall's τ-b and Spearman's ρ.

References: Kendall (1945) τ-b with ties; Spearman's ρ on average ranks — the
values of ``scipy.stats.kendalltau`` / ``spearmanr`` and of R's
``cor(x, y, method = "kendall" | "spearman")``.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from numpy.testing import assert_allclose

import nqpf
from nqpf.compare import join_scores, rank_agreement, rank_correlations
from nqpf.errors import InputError

# Closed-form textbook values: τ and ρ are ratios of integer counts and a square root
# (≤ 4 roundings, ≈ 4.4e-16 relative), so 1e-12 bounds them on any CPU.
RTOL = 1e-12


def test_known_values() -> None:
    # one discordant pair out of 6 → τ = (5 − 1)/6; ρ = 1 − 6·Σd²/(n(n²−1)) = 1 − 6·2/60
    tau, rho = rank_correlations([1, 2, 3, 4], [1, 2, 4, 3])
    assert_allclose(tau, 4 / 6, rtol=RTOL)
    assert_allclose(rho, 0.8, rtol=RTOL)


def test_ties_give_tau_b() -> None:
    # x has a tie: n0 = 6, n1 = 1 (tied pair in x), concordant 5, discordant 0
    tau, _ = rank_correlations([1, 1, 2, 3], [1, 2, 3, 4])
    assert_allclose(tau, 5 / math.sqrt(5 * 6), rtol=RTOL)


def test_undefined_is_nan() -> None:
    assert all(math.isnan(v) for v in rank_correlations([1, 1, 1], [1, 2, 3]))
    assert all(math.isnan(v) for v in rank_correlations([1], [2]))
    with pytest.raises(InputError, match="differ in shape"):
        rank_correlations([1, 2], [1, 2, 3])


def test_join_and_agreement_on_the_default_data() -> None:
    panel, spec = nqpf.load_pwt()
    pooled = nqpf.entropy_topsis(panel, spec)
    per_year = nqpf.entropy_topsis(panel, spec, scope="year")
    joined = join_scores(pooled, per_year)
    assert joined.columns == [
        "country", "year", "score_a", "score_b", "diff", "rank_a", "rank_b", "rank_change"
    ]  # fmt: skip
    assert joined.height == 117 * 18
    assert_allclose(joined["diff"], joined["score_b"] - joined["score_a"], rtol=0, atol=0)
    table = rank_agreement(pooled, per_year)
    assert table.columns == ["year", "n", "kendall_tau", "spearman_rho"]
    assert table["year"].to_list() == [str(y) for y in range(2000, 2018)] + ["all"]
    # each row equals scipy on that year's scores
    from scipy.stats import kendalltau, spearmanr

    first = joined.filter(pl.col("year") == 2000)
    expected_tau = kendalltau(first["score_a"], first["score_b"]).statistic
    expected_rho = spearmanr(first["score_a"], first["score_b"]).statistic
    assert_allclose(table["kendall_tau"][0], expected_tau, rtol=RTOL)
    assert_allclose(table["spearman_rho"][0], expected_rho, rtol=RTOL)
    assert table["n"].to_list() == [117] * 18 + [2106]


def test_invariant_to_monotone_transforms_and_symmetric() -> None:
    rng = np.random.default_rng(7)
    a = pl.DataFrame(
        {
            "region": [f"r{i}" for i in range(30)] * 2,
            "year": [1] * 30 + [2] * 30,
            "score": rng.random(60),
        }
    )
    b = a.with_columns(pl.col("score").exp() * 3)
    table = rank_agreement(a, b)
    assert_allclose(table["kendall_tau"], 1.0, rtol=RTOL)
    assert_allclose(table["spearman_rho"], 1.0, rtol=RTOL)
    c = a.with_columns(pl.Series("score", rng.random(60)))
    assert_allclose(
        rank_agreement(a, c)["kendall_tau"], rank_agreement(c, a)["kendall_tau"], rtol=RTOL
    )


def test_rank_change_sign() -> None:
    a = pl.DataFrame({"region": ["x", "y"], "year": [1, 1], "score": [0.9, 0.1], "rank": [1, 2]})
    b = a.with_columns(score=pl.Series([0.1, 0.9]), rank=pl.Series([2, 1]))
    joined = join_scores(a, b)
    assert dict(zip(joined["region"], joined["rank_change"], strict=True)) == {"x": -1, "y": 1}


def test_bad_input() -> None:
    a = pl.DataFrame({"region": ["x"], "year": [1], "score": [0.5], "rank": [1]})
    with pytest.raises(InputError, match="no column 'rank'"):
        join_scores(a, a.drop("rank"))
    with pytest.raises(InputError, match="share no region-year"):
        join_scores(a, a.with_columns(pl.lit(2).alias("year")))
    with pytest.raises(InputError, match="cannot read an index run"):
        join_scores([1, 2], a)
