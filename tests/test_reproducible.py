"""The same input gives the same bits on every run and with any number of threads.

polars' grouped sums and means combine per-thread pieces in whatever order the threads
finish; averaged naively, a region's mean score changed in its last bit between two
runs of one report and between a 1-core and a 2-core machine. Every grouped reduction
that feeds a number nqpf reports goes through :func:`nqpf._frames.grouped` (one pass
over the group in row order). This test runs the analyses in fresh interpreters with
1, 2 and 4 polars threads, twice each, and requires identical bytes.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = r"""
import hashlib
import nqpf
from nqpf.report import region_table

panel, spec = nqpf.load_pwt()
res = nqpf.entropy_topsis(panel, spec)
scores = res.scores
ech = nqpf.echelons(res)
names = scores.get_column("country").unique(maintain_order=True).to_list()
neighbours = {r: [names[(i + 1) % len(names)], names[i - 3]] for i, r in enumerate(names)}
frames = {
    "dimension_weights": res.dimension_weights,
    "echelons": ech.to_frame(),
    "tiers": ech.tiers,
    "regions": region_table(res, ech.assignments),
    "sigma": nqpf.sigma_convergence(scores, "score", "year", group="continent"),
    "dagum_period_mean": nqpf.dagum_gini(scores, "score", "continent", by="year").period_mean(),
    "dagum_pairs": nqpf.dagum_gini(scores, "score", "continent", by="year").period_pairs(),
    "spatial_markov": nqpf.markov_chain(
        scores, "score", "country", "year", k=4, neighbours=neighbours
    ).states,
    "obstacle": nqpf.obstacle_degree(res).dimensions,
    "beta_controls_mean": nqpf.beta_convergence(
        scores, "score", "country", "year", controls=["d_plus"], controls_at="mean"
    ).table,
}
for name, frame in frames.items():
    print(name, hashlib.sha256(frame.write_csv(float_precision=None).encode()).hexdigest())
"""


def _run(threads: int) -> str:
    env = {**os.environ, "POLARS_MAX_THREADS": str(threads)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


def test_same_bits_with_any_thread_count_and_on_every_run():
    runs = {f"{t} threads, run {i}": _run(t) for t in (1, 2, 4) for i in (1, 2)}
    first = next(iter(runs.values()))
    assert first.count("\n") == 10
    differing = {}
    for label, out in runs.items():
        for line_a, line_b in zip(first.splitlines(), out.splitlines(), strict=True):
            if line_a != line_b:
                differing.setdefault(line_a.split()[0], []).append(label)
    assert not differing, differing
