"""Benchmark: entropy-weight TOPSIS on 1,000,000 rows × 30 indicators.

Baseline: pymcdm's ``weights.entropy_weights`` + ``methods.TOPSIS`` on the same matrix
(the most-used Python MCDA package). nqpf is timed twice: the full pipeline
``nqpf.entropy_topsis`` (validation, polars frames, ranks, dimension scores) and its
array kernels alone (standardise + entropy + TOPSIS). Prints a table; never fails on time.

    .venv/bin/python bench/bench_index.py [--rows 1000000] [--indicators 30] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import polars as pl

import nqpf
from nqpf.topsis import closeness, ideal_points
from nqpf.weights import entropy_weights, standardize


def best_of(repeat: int, func) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--indicators", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    rows, m = args.rows, args.indicators
    years = 20
    regions = rows // years
    matrix = rng.lognormal(mean=1.0, sigma=0.8, size=(regions * years, m))
    benefit = np.ones(m, dtype=bool)
    benefit[::5] = False
    names = [f"x{j}" for j in range(m)]
    frame = pl.DataFrame(
        {
            "region": np.repeat(np.arange(regions), years).astype(str),
            "year": np.tile(np.arange(2000, 2000 + years), regions),
        }
    ).with_columns(pl.Series(n, matrix[:, j]) for j, n in enumerate(names))
    spec = nqpf.IndicatorSpec.from_records(
        {"indicator": n, "dimension": f"d{j % 3}", "direction": "+" if benefit[j] else "-"}
        for j, n in enumerate(names)
    )
    panel = nqpf.read_panel(frame)

    def pipeline():
        nqpf.entropy_topsis(panel, spec)

    def kernels():
        z = standardize(matrix, benefit) + 1e-4
        w = entropy_weights(z).weight
        best, worst = ideal_points(z, np.ones(m, dtype=bool))
        closeness(z, w, best, worst)

    results = [
        ("nqpf.entropy_topsis (full pipeline)", best_of(args.repeat, pipeline)),
        ("nqpf kernels (standardise+entropy+TOPSIS)", best_of(args.repeat, kernels)),
    ]
    try:
        from pymcdm.methods import TOPSIS
        from pymcdm.weights import entropy_weights as pymcdm_entropy

        types = np.where(benefit, 1, -1)

        def baseline():
            w = pymcdm_entropy(matrix)
            TOPSIS()(matrix, w, types)

        baseline_time = best_of(args.repeat, baseline)
        results.append(("pymcdm entropy_weights + TOPSIS (baseline)", baseline_time))
    except ImportError:
        baseline_time = None
        print("pymcdm not installed: no baseline (pip install pymcdm)")

    print(
        f"\nentropy-weight TOPSIS, {matrix.shape[0]:,} rows × {m} indicators, best of {args.repeat}"
    )
    print(f"{'implementation':<46}{'seconds':>10}{'vs pymcdm':>12}")
    for label, seconds in results:
        ratio = f"{baseline_time / seconds:>11.2f}x" if baseline_time else "           -"
        print(f"{label:<46}{seconds:>10.3f}{ratio}")
    print("(ratio > 1 means faster than pymcdm; pymcdm computes weights on the raw sum-normalised")
    print(" matrix and min–max TOPSIS, nqpf the pooled min–max entropy and TOPSIS with D+/D−,")
    print(" ranks and dimension scores in the pipeline row)")


if __name__ == "__main__":
    main()
