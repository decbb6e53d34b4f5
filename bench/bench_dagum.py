"""Benchmark the Dagum decomposition: fast kernel vs naive O(n²) references vs R's dineq.

Run:  .venv/bin/python bench/bench_dagum.py [--quick]

Columns (seconds, best of a few runs; the full decomposition with every pair):

* ``fast``     — :func:`nqpf.dagum.dagum_decompose` (one sort + prefix sums);
* ``naive``    — ``tests/dagum_reference.dagum_broadcast``: the textbook double sums by
  numpy broadcasting in row blocks, O(n²) (up to n = 20 000);
* ``loops``    — ``tests/dagum_reference.dagum_loops``: plain Python double loops (n = 1 000);
* ``dineq``    — R ``dineq::gini_decomp`` through rpy2 (``nqpf.rbridge``), which gives only
  G, Gw, Gnb, Gt (no pair terms), when R, rpy2 and dineq are installed
  (``NQPF_R_LIBS`` may point to a private R library); otherwise the column is skipped with
  the reason.

Then the bootstrap: B = 999 stratified replicates on a 31 regions × 11 years panel with
4 groups, batched, against a loop of B plain-kernel calls. Never fails on time; the
agreement columns (max |Δ| of G, Gw, Gnb, Gt against the reference) should be ~1e-15.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from dagum_reference import dagum_broadcast, dagum_loops

from nqpf.dagum import dagum_decompose, dagum_gini

NAIVE_MAX_N = 20_000
LOOPS_MAX_N = 1_000


def best_of(fn, repeat: int) -> tuple[float, object]:
    best = float("inf")
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def data(n: int, k: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    # scores in (0, 1) with group-dependent means, rounded to 4 digits (ties, as real indices have)
    g = rng.integers(0, k, size=n)
    y = np.round(rng.beta(2 + g % 3, 5, size=n) + 0.01, 4)
    return y, g


def dineq_runner():
    """A function timing dineq::gini_decomp, or None and the reason."""
    try:
        from nqpf import rbridge
    except Exception as exc:  # rbridge or rpy2 missing
        return None, f"nqpf.rbridge unavailable ({exc.__class__.__name__})"
    try:
        if not rbridge.available():
            return None, rbridge.unavailable_reason() or "R unavailable"
        if rbridge.package_version("dineq") is None:
            return None, "R package dineq not installed (CRAN-only; see DEVELOPERS.md)"
    except Exception as exc:
        return None, f"R check failed: {exc}"
    return rbridge.dineq_gini_decomp, None


def fmt(x: float | None, width: int = 9) -> str:
    if x is None:
        return "—".rjust(width)
    if x < 1e-3:
        return f"{x * 1e6:.0f} µs".rjust(width)
    if x < 1:
        return f"{x * 1e3:.1f} ms".rjust(width)
    return f"{x:.2f} s".rjust(width)


def ratio(a: float | None, b: float) -> str:
    return "—".rjust(8) if a is None else f"{a / b:,.0f}×".rjust(8)


def max_gap(dec, G, Gw, Gnb, Gt) -> float:
    return max(abs(dec.G - G), abs(dec.Gw - Gw), abs(dec.Gnb - Gnb), abs(dec.Gt - Gt))


def gap(x: float | None) -> str:
    return "—".rjust(9) if x is None else f"{x:9.1e}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller grid (for a smoke run)")
    args = parser.parse_args()

    ns = [1_000, 10_000, 20_000] if args.quick else [1_000, 10_000, 20_000, 100_000, 1_000_000]
    ks = [3, 4, 10] if not args.quick else [4]
    dineq, why = dineq_runner()

    print("Dagum decomposition, full (all pairs). Times are the best of a few runs.")
    print(f"numpy {np.__version__}, polars {pl.__version__}")
    if dineq is None:
        print(f"dineq column skipped: {why}")
    else:
        print("dineq: R dineq::gini_decomp via rpy2 (totals only, incl. conversion)")
    head = (
        f"{'n':>9} {'k':>3} {'fast':>9} {'naive':>9} {'naive/fast':>10} {'loops':>9}"
        f" {'loops/fast':>10} {'dineq':>9} {'dineq/fast':>10} {'Δ naive':>9} {'Δ dineq':>9}"
    )
    print(head)
    print("-" * len(head))
    for n in ns:
        for k in ks:
            y, g = data(n, k)
            repeat = 3 if n >= 1_000_000 else 5
            t_fast, dec = best_of(lambda y=y, g=g: dagum_decompose(y, g), repeat)
            t_naive = t_loops = t_r = None
            d_naive = d_r = None
            if n <= NAIVE_MAX_N:
                t_naive, ref = best_of(lambda y=y, g=g: dagum_broadcast(y, g), 1 if n > 5000 else 3)
                d_naive = max_gap(dec, ref.G, ref.Gw, ref.Gnb, ref.Gt)
            if n <= LOOPS_MAX_N:
                t_loops, _ = best_of(lambda y=y, g=g: dagum_loops(y, g), 1)
            if dineq is not None:
                t_r, r = best_of(lambda y=y, g=g: dineq(y, g), 1 if n >= 1_000_000 else 3)
                d_r = max_gap(dec, r["G"], r["Gw"], r["Gnb"], r["Gt"])
            print(
                f"{n:>9,} {k:>3} {fmt(t_fast)} {fmt(t_naive)} {ratio(t_naive, t_fast):>10}"
                f" {fmt(t_loops)} {ratio(t_loops, t_fast):>10} {fmt(t_r)} {ratio(t_r, t_fast):>10}"
                f" {gap(d_naive)} {gap(d_r)}"
            )

    # Bootstrap: 31 regions x 11 years, 4 echelons, B = 999
    rng = np.random.default_rng(1)
    years, regions, n_boot = 11, 31, 999
    frame = pl.DataFrame(
        {
            "region": np.tile(np.arange(regions), years),
            "year": np.repeat(np.arange(2012, 2012 + years), regions),
            "echelon": np.tile(np.arange(regions) % 4, years),
            "score": rng.uniform(0.05, 0.6, regions * years),
        }
    )
    t_boot, res = best_of(
        lambda: dagum_gini(frame, "score", "echelon", by="year", bootstrap=n_boot, seed=1), 3
    )
    # baseline: the same resampling, one plain-kernel call per replicate and year
    y_all = frame["score"].to_numpy()
    g_all = frame["echelon"].to_numpy()
    yr = frame["year"].to_numpy()

    def loop_boot():
        rs = np.random.default_rng(1)
        for year in np.unique(yr):
            idx = np.flatnonzero(yr == year)
            blocks = [idx[g_all[idx] == j] for j in range(4)]
            for _ in range(n_boot):
                take = np.concatenate([rs.choice(b, b.size) for b in blocks])
                dagum_decompose(y_all[take], g_all[take])

    t_loop, _ = best_of(loop_boot, 1)
    print()
    print(
        f"Bootstrap B = {n_boot}, {regions} regions x {years} years, 4 groups (all quantities, percentile CIs):"
    )
    print(f"  batched (dagum_gini)        {fmt(t_boot)}")
    print(f"  one kernel call per draw    {fmt(t_loop)}   ({t_loop / t_boot:.0f}x slower)")
    print(f"  quantities with intervals   {res.intervals.height}")


if __name__ == "__main__":
    main()
