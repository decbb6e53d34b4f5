"""Time the robustness analysis against a naive loop (bench/README.md).

``nqpf.robustness`` over the default 48-variant grid of a 31 regions × 11 indicators ×
20 years panel, against the baseline a script would write: one ``nqpf.entropy_topsis``
call per variant, then ``scipy.stats.kendalltau``/``spearmanr`` for every pair of
variants (region-year scores and period means), ``nqpf.echelons`` and
``nqpf.dagum_gini`` per variant. Best of ``--repeat`` runs. Never fails on time.

    .venv/bin/python bench/bench_robustness.py
    .venv/bin/python bench/bench_robustness.py --regions 117 --years 18 --indicators 7
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np
import polars as pl

import nqpf
from nqpf.multiverse import DEFAULT_GRID


def panel(regions: int, indicators: int, years: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    base = rng.lognormal(size=(regions, indicators))
    rows = []
    for t in range(years):
        x = base * (1 + 0.03 * t) * rng.lognormal(sigma=0.1, size=(regions, indicators))
        for i in range(regions):
            rows.append(
                {
                    "region": f"R{i:03d}",
                    "year": 2000 + t,
                    "zone": "ABCD"[i % 4],
                    **{f"x{j}": float(x[i, j]) for j in range(indicators)},
                }
            )
    spec = nqpf.IndicatorSpec.from_records(
        {"indicator": f"x{j}", "dimension": f"d{j % 3}", "direction": "-" if j % 5 == 3 else "+"}
        for j in range(indicators)
    )
    return pl.DataFrame(rows), spec


def naive(frame: pl.DataFrame, spec) -> None:
    """The baseline: a loop of entropy_topsis calls and pairwise scipy correlations."""
    from scipy.stats import kendalltau, spearmanr

    names = list(DEFAULT_GRID)
    results = []
    for values in itertools.product(*DEFAULT_GRID.values()):
        options = nqpf.IndexOptions(**dict(zip(names, values, strict=True)))
        results.append(nqpf.entropy_topsis(frame, spec, options=options))
    scores = [r.scores.sort("year", "region").get_column("score").to_numpy() for r in results]
    means = [
        r.scores.group_by("region").agg(pl.col("score").mean()).sort("region")["score"].to_numpy()
        for r in results
    ]
    for a, b in itertools.combinations(range(len(results)), 2):
        kendalltau(scores[a], scores[b])
        spearmanr(scores[a], scores[b])
        kendalltau(means[a], means[b])
        spearmanr(means[a], means[b])
    for r in results:
        nqpf.echelons(r, rule="jenks", k=3)
        nqpf.dagum_gini(r.scores, value="score", group="zone", by="year")


def best(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=31)
    parser.add_argument("--indicators", type=int, default=11)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    frame, spec = panel(args.regions, args.indicators, args.years)
    nqpf.robustness(frame, spec, grid={"weights": ["entropy"]})  # imports, caches
    fast = best(lambda: nqpf.robustness(frame, spec, dagum="zone"), args.repeat)
    slow = best(lambda: naive(frame, spec), max(1, args.repeat - 1))
    variants = int(np.prod([len(v) for v in DEFAULT_GRID.values()]))
    print(
        f"robustness analysis, {variants} variants of {args.regions} regions × "
        f"{args.indicators} indicators × {args.years} years, best of {args.repeat}"
    )
    print(f"{'implementation':<58}{'seconds':>9}{'ratio':>9}")
    print(f"{'nqpf.robustness (default grid, Dagum by zone)':<58}{fast:>9.3f}{1.0:>8.2f}x")
    print(
        f"{'naive: entropy_topsis loop + scipy pairs + echelons + dagum':<58}"
        f"{slow:>9.3f}{slow / fast:>8.2f}x"
    )


if __name__ == "__main__":
    main()
