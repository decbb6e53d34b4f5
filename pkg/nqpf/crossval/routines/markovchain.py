"""markovchain (Debian r-cran-markovchain): the classic Markov chain of the value's
classes, ``markovchainFit(method = "mle")`` and ``steadyStates``, on nqpf's states
(:mod:`nqpf.crossval.dynamics`: P_ij exact to ε; π to 4kε·κ₂)."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from nqpf import rbridge
from nqpf.crossval.dynamics import DynamicsRun
from nqpf.crossval.registry import Routine, register
from nqpf.crossval.rows import Rows

EPS = float(np.finfo(np.float64).eps)


def state_sequences(run: DynamicsRun, chain: Any) -> np.ndarray:
    """nqpf's states as the regions × periods matrix R takes (NaN where a region-year
    is missing; periods: the chain's years, consecutive in their order)."""
    states = chain.states
    state, region, year = chain.column("state"), run.region, run.year
    frame = states.select(
        pl.col(region).rank("dense").cast(pl.Int64).alias("r") - 1,
        pl.col(year).rank("dense").cast(pl.Int64).alias("p") - 1,
        pl.col(state).cast(pl.Float64).alias("s"),
    )
    n = int(frame.get_column("r").max()) + 1  # type: ignore[arg-type]
    t = int(frame.get_column("p").max()) + 1  # type: ignore[arg-type]
    out = np.full((n, t), np.nan)
    out[frame.get_column("r").to_numpy(), frame.get_column("p").to_numpy()] = frame.get_column(
        "s"
    ).to_numpy()
    return out


def steady_bound(p: np.ndarray) -> tuple[float, float]:
    """(4kε·κ₂([I − Pᵀ; 1ᵀ]), κ₂): the agreement of two stationary solvers."""
    k = p.shape[0]
    system = np.vstack([np.eye(k) - p.T, np.ones((1, k))])
    kappa = float(np.linalg.cond(system))
    return 4.0 * k * EPS * kappa, kappa


@register
class MarkovchainFit(Routine):
    routine = "markovchain::markovchainFit"
    section = "dynamics"
    quantities = ("P", "steady state")

    def run(self, rows: Rows, run: DynamicsRun) -> None:  # type: ignore[override]
        chain = run.chain()
        k = chain.k
        theirs = rbridge.markovchain_fit(state_sequences(run, chain), k)
        ours_p = chain.matrix()
        counts = chain.matrix(counts=True).sum(axis=1)
        left = counts > 0
        where = [f"{i + 1}→{j + 1}" for i in range(k) for j in range(k) if left[i]]
        never = [str(i + 1) for i in range(k) if not left[i]]
        note = f"state {', '.join(never)} never left: no probabilities" if never else None
        rows.compare(
            "P", self.routine, where, ours_p[left].ravel(), theirs["P"][left].ravel(), note=note
        )
        pi = np.asarray(chain.steady_state, dtype=float)
        steady = theirs["steady"]
        if never:
            reason = f"state {', '.join(never)} never left"
            rows.skip(self.routine, ["steady state"], f"not compared: {reason}")
            return
        if steady.shape[0] != 1 and not np.isfinite(pi).all():
            # both sides find no unique one (several closed classes)
            reason = f"{steady.shape[0]} closed classes: no unique steady state"
            rows.skip(self.routine, ["steady state"], f"not compared: {reason}")
            return
        # one side finding a unique steady state and the other none fails (NaN on one side)
        r_pi = steady[0] if steady.shape[0] == 1 else np.full(k, np.nan)
        bound, kappa = steady_bound(ours_p)
        rows.compare(
            "steady state",
            self.routine,
            [str(i + 1) for i in range(k)],
            pi,
            r_pi,
            floor=1.0,
            note=f"κ₂ = {kappa:.3g}",
            minimum=(bound, "4kε·κ₂ of the stationary system"),
        )
