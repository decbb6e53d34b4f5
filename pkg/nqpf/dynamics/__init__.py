"""Distribution dynamics of a regional index: kernel densities, σ- and β-convergence,
Markov chains (classic, spatial, rank and LISA; :mod:`nqpf.dynamics.ergodic` for
their long-run summaries) and, from :mod:`nqpf.dynamics.clubs`, Phillips–Sul
club convergence.

Every function takes a polars (or pandas) frame with one row per region-year and the
names of its columns, and returns polars frames or a small frozen result object.
"""

from __future__ import annotations

from importlib.util import find_spec

from nqpf.dynamics.beta import BetaResult, beta_convergence
from nqpf.dynamics.kde import bandwidth, kernel_density
from nqpf.dynamics.markov import MarkovResult, markov_chain
from nqpf.dynamics.markov_variants import (
    ChainResult,
    lisa_markov,
    markov_homogeneity,
    rank_markov,
)
from nqpf.dynamics.sigma import sigma_convergence, sigma_trend

__all__ = [
    "BetaResult",
    "ChainResult",
    "MarkovResult",
    "bandwidth",
    "beta_convergence",
    "kernel_density",
    "lisa_markov",
    "markov_chain",
    "markov_homogeneity",
    "rank_markov",
    "sigma_convergence",
    "sigma_trend",
]

# Club convergence lives in its own module, written separately. Import it only when
# the file is there, and then without a guard, so that a real error inside it is not
# swallowed as "module missing".
if find_spec("nqpf.dynamics.clubs") is not None:
    from nqpf.dynamics.clubs import ClubResult, club_convergence

    __all__ += ["ClubResult", "club_convergence"]
