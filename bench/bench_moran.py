"""Benchmark Moran's I and local Moran with 999 permutations: nqpf vs esda vs spdep.

Run:  .venv/bin/python bench/bench_moran.py [--quick]

The panel: a 56 × 50 lattice of 2,800 regions (rook contiguity, row-standardised, a
sparse W with 10,988 links) × 20 years of spatially autocorrelated values (white noise
smoothed twice by the lattice average). Timed, for the whole panel:

* ``nqpf``  — :func:`nqpf.moran` / :func:`nqpf.local_moran` (``permutations=999``,
  seeded), all 20 years in one call: vectorised permutations in memory-bounded blocks;
* ``esda``  — ``esda.Moran`` / ``esda.Moran_Local`` (``permutations=999``, one process,
  numba for the local statistic), one call per year; the local one is called once
  before timing so that numba's compilation is not counted;
* ``spdep`` — ``spdep::moran.mc(nsim = 999)`` and ``spdep::localmoran_perm(nsim = 999)``
  through rpy2 (``nqpf.rbridge``), timed on ONE year and multiplied by 20 (R loops over
  permutations: the whole panel would take minutes), when R and spdep are installed.

Also printed: the largest difference of the analytic I between nqpf and esda (should
be ~1e-16) and the mean |p_sim(nqpf) − p_sim(esda)| of local Moran (Monte Carlo noise,
~0.01 for B = 999). Never fails on time.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import polars as pl

import nqpf
from nqpf.spatial import from_matrix


def lattice(rows: int, cols: int):
    """Rook contiguity of a rows × cols grid as a sparse matrix."""
    from scipy import sparse

    n = rows * cols
    index = np.arange(n).reshape(rows, cols)
    pairs = [
        (index[:, :-1].ravel(), index[:, 1:].ravel()),
        (index[:-1, :].ravel(), index[1:, :].ravel()),
    ]
    i = np.concatenate([a for a, b in pairs] + [b for a, b in pairs])
    j = np.concatenate([b for a, b in pairs] + [a for a, b in pairs])
    return sparse.csr_array((np.ones(i.size), (i, j)), shape=(n, n))


def panel(matrix, years: int, seed: int = 1) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    n = matrix.shape[0]
    row = matrix / matrix.sum(axis=1)[:, None]
    frames = []
    for t in range(years):
        x = rng.normal(size=n)
        for _ in range(2):
            x = 0.5 * x + row @ x
        frames.append(
            pl.DataFrame({"region": [f"r{i}" for i in range(n)], "year": 2001 + t, "x": 10 + x})
        )
    return pl.concat(frames)


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="5 years, one run each")
    args = parser.parse_args()
    years = 5 if args.quick else 20
    repeat = 1 if args.quick else 2
    matrix = lattice(56, 50)
    ids = [f"r{i}" for i in range(matrix.shape[0])]
    w = from_matrix(matrix, ids)
    frame = panel(matrix, years)
    by_year = [part["x"].to_numpy() for part in frame.partition_by("year", maintain_order=True)]
    print(f"{len(ids):,} regions × {years} years, {matrix.nnz:,} links, 999 permutations\n")

    import esda

    lw = w.transform("r").to_libpysal()
    lw.transform = "r"
    esda.Moran_Local(by_year[0], lw, permutations=99, seed=1)  # numba compilation, untimed

    out: dict[str, dict[str, float]] = {"Moran's I": {}, "local Moran": {}}
    out["Moran's I"]["nqpf"] = best(
        lambda: nqpf.moran(frame, "x", "region", "year", w=w, seed=1), repeat
    )
    out["Moran's I"]["esda"] = best(
        lambda: [esda.Moran(x, lw, permutations=999) for x in by_year], repeat
    )
    out["local Moran"]["nqpf"] = best(
        lambda: nqpf.local_moran(frame, "x", "region", "year", w=w, seed=1), repeat
    )
    out["local Moran"]["esda"] = best(
        lambda: [esda.Moran_Local(x, lw, permutations=999, seed=1, n_jobs=1) for x in by_year],
        repeat,
    )
    note = spdep_times(out, by_year[0], w, years)

    print(
        f"{'statistic':<12}{'nqpf':>10}{'esda':>10}{'spdep':>12}{'esda/nqpf':>11}{'spdep/nqpf':>12}"
    )
    for name, t in out.items():
        spdep = t.get("spdep")
        print(
            f"{name:<12}{t['nqpf']:>9.2f}s{t['esda']:>9.2f}s"
            + (f"{spdep:>11.1f}s" if spdep else f"{'—':>12}")
            + f"{t['esda'] / t['nqpf']:>10.1f}×"
            + (f"{spdep / t['nqpf']:>11.0f}×" if spdep else f"{'—':>12}")
        )
    print(note)

    ours = nqpf.moran(frame, "x", "region", "year", w=w, permutations=0).table["I"].to_numpy()
    theirs = np.array([esda.Moran(x, lw, permutations=0).I for x in by_year])
    local = nqpf.local_moran(frame, "x", "region", "year", w=w, seed=1).table["p_sim"].to_numpy()
    esda_p = np.concatenate(
        [esda.Moran_Local(x, lw, permutations=999, seed=2, n_jobs=1).p_sim for x in by_year]
    )
    print(f"max |ΔI| nqpf − esda: {np.abs(ours - theirs).max():.1e}")
    print(
        f"mean |Δp_sim| local Moran nqpf − esda (Monte Carlo noise): {np.abs(local - esda_p).mean():.3f}"
    )


def spdep_times(out, x, w, years: int) -> str:
    from nqpf import rbridge

    reason = rbridge.unavailable_reason()
    if reason is None and rbridge.package_version("spdep") is None:
        reason = "R package spdep is not installed"
    if reason is not None:
        return f"spdep skipped: {reason}"
    start = time.perf_counter()
    rbridge.spdep_moran_mc(x, w, "r", nsim=999, seed=1)
    out["Moran's I"]["spdep"] = (time.perf_counter() - start) * years
    n, f, t, v, s = rbridge._links(w, "r")
    start = time.perf_counter()
    rbridge._call("nqpf_spdep_localmoran_perm", x, n, f, t, v, s, 999, 1, package="spdep")
    out["local Moran"]["spdep"] = (time.perf_counter() - start) * years
    return f"spdep: one year timed, × {years} (moran.mc and localmoran_perm loop in R)"


if __name__ == "__main__":
    main()
