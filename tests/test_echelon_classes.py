"""The mapclassify-backed echelon rules (equal, max_breaks, jenks_caspall, head_tail)
and the mean ± c·SD rule, against mapclassify itself and brute-force definitions.

mapclassify's classes put a value equal to a bound in the lower class; nqpf's
cut-point rules put it in the higher one (groups.py, "Conventions"). The samples
below are continuous draws, so no average lies on a bound and the two agree.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from nqpf.errors import InputError
from nqpf.groups import echelon_sensitivity, echelons

mapclassify = pytest.importorskip("mapclassify", reason="mapclassify (the spatial extra) is absent")


def _averages(seed: int, n: int = 31, heavy: bool = False) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.pareto(1.5, n) + 0.1 if heavy else rng.gamma(3.0, 0.1, n)


def _tiers(x: np.ndarray, **kw) -> np.ndarray:
    df = pl.DataFrame({"region": [f"r{i:02d}" for i in range(x.size)], "score": x})
    res = echelons(df, year=None, **kw)
    got = res.assignments.sort("region")
    return got["echelon"].to_numpy(), res


def _from_mapclassify(yb: np.ndarray) -> np.ndarray:
    """mapclassify's class 0 (lowest) … k − 1 as echelon k … 1."""
    return int(np.max(yb)) + 1 - np.asarray(yb)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("k", [3, 5])
def test_equal_interval_matches_mapclassify_and_its_definition(seed: int, k: int) -> None:
    x = _averages(seed)
    tiers, res = _tiers(x, rule="equal", k=k)
    assert tiers.tolist() == _from_mapclassify(mapclassify.EqualInterval(x, k=k).yb).tolist()
    width = (x.max() - x.min()) / k
    # class j (0-based from the bottom) holds min + j·w ≤ x < min + (j + 1)·w, the max in k − 1
    brute = k - np.minimum(np.floor((x - x.min()) / width), k - 1).astype(int)
    assert tiers.tolist() == brute.tolist()
    assert res.breaks == pytest.approx(
        [x.min() + j * width for j in range(k - 1, 0, -1)], rel=1e-15
    )


@pytest.mark.parametrize("seed", [4, 5, 6])
@pytest.mark.parametrize("k", [2, 4])
def test_maximum_breaks_matches_mapclassify_and_its_definition(seed: int, k: int) -> None:
    x = _averages(seed)
    tiers, _ = _tiers(x, rule="max_breaks", k=k)
    assert tiers.tolist() == _from_mapclassify(mapclassify.MaximumBreaks(x, k=k).yb).tolist()
    xs = np.unique(x)
    widest = np.sort(np.argsort(np.diff(xs))[-(k - 1) :])
    cuts = (xs[widest] + xs[widest + 1]) / 2  # the middle of each of the k − 1 widest gaps
    brute = k - np.searchsorted(cuts, x)
    assert tiers.tolist() == brute.tolist()


@pytest.mark.parametrize("seed", [7, 8, 9])
@pytest.mark.parametrize("k", [3, 4])
def test_jenks_caspall_matches_mapclassify_and_is_a_fixed_point(seed: int, k: int) -> None:
    x = _averages(seed)
    tiers, res = _tiers(x, rule="jenks_caspall", k=k)
    assert tiers.tolist() == _from_mapclassify(mapclassify.JenksCaspall(x, k=k).yb).tolist()
    # the iterations stop when every average is nearest to its own tier's median
    # (mapclassify's centres are medians)
    means = np.array([np.median(x[tiers == j]) for j in range(1, k + 1)])
    nearest = 1 + np.argmin(np.abs(x[:, None] - means[None, :]), axis=1)
    assert nearest.tolist() == tiers.tolist()
    assert res.breaks == tuple(float(x[tiers == j].min()) for j in range(1, k))


@pytest.mark.parametrize("seed", [10, 11, 12])
def test_head_tail_breaks_match_mapclassify_and_the_recursion(seed: int) -> None:
    x = _averages(seed, n=60, heavy=True)
    tiers, res = _tiers(x, rule="head_tail")
    assert tiers.tolist() == _from_mapclassify(mapclassify.HeadTailBreaks(x).yb).tolist()
    # Jiang (2013): split at the mean, recurse into the head (values above it)
    means, head = [], x
    while np.unique(head).size > 1:
        means.append(head.mean())
        head = head[head > means[-1]]
    brute = len(means) + 1 - np.array([np.sum(v > np.array(means)) for v in x])
    assert tiers.tolist() == brute.tolist()
    assert res.k == len(means) + 1
    with pytest.raises(InputError, match="gives"):
        echelons(
            pl.DataFrame({"region": ["a", "b", "c"], "score": x[:3]}),
            year=None,
            rule="head_tail",
            k=9,
        )


def test_mean_sd_rule_is_mapclassify_std_mean() -> None:
    # rule "sd" with k = 3, c = 1 and the population SD is StdMean(multiples=[-1, 1])
    x = _averages(13)
    tiers, _ = _tiers(x, rule="sd", k=3, sd_multiplier=1.0, ddof=0)
    yb = mapclassify.StdMean(x, multiples=[-1, 1]).yb
    assert tiers.tolist() == _from_mapclassify(yb).tolist()
    # c = 2: m ± 2s, StdMean(multiples=[-2, 2])
    tiers, _ = _tiers(x, rule="sd", k=3, sd_multiplier=2.0, ddof=0)
    yb = mapclassify.StdMean(x, multiples=[-2, 2]).yb
    assert tiers.tolist() == (3 - np.asarray(yb)).tolist()


def test_new_rules_in_the_sensitivity_table_take_k() -> None:
    x = _averages(14)
    df = pl.DataFrame({"region": [f"r{i:02d}" for i in range(x.size)], "score": x})
    table = echelon_sensitivity(df, year=None, rules=["equal", "max_breaks", "jenks_caspall"], k=4)
    assert {int(table[c].max()) for c in ("equal", "max_breaks", "jenks_caspall")} == {4}


def test_too_few_distinct_averages() -> None:
    df = pl.DataFrame({"region": list("abcd"), "score": [1.0, 1.0, 2.0, 2.0]})
    with pytest.raises(InputError, match="distinct"):
        echelons(df, year=None, rule="jenks_caspall", k=3)
    with pytest.raises(InputError, match="distinct"):
        echelons(df.with_columns(score=pl.lit(1.0)), year=None, rule="equal", k=2)
