"""nqpf: composite development indices, Dagum Gini decomposition and distribution
dynamics for region × year panels, with every number checkable against R.

See the README for the two commands (``make demo``, ``make test``) and examples.
"""

from __future__ import annotations

from nqpf.dagum import DagumDecomposition, DagumResult, dagum_decompose, dagum_gini
from nqpf.datasets import load_pwt
from nqpf.dynamics import (
    BetaResult,
    ClubResult,
    MarkovResult,
    beta_convergence,
    club_convergence,
    kernel_density,
    markov_chain,
    sigma_convergence,
    sigma_trend,
)
from nqpf.errors import InputError, NqpfError, RUnavailableError
from nqpf.groups import (
    EchelonResult,
    echelon_agreement,
    echelon_sensitivity,
    echelons,
    fisher_jenks,
)
from nqpf.index import IndexResult, entropy_topsis
from nqpf.obstacle import ObstacleResult, obstacle_degree
from nqpf.panel import Indicator, IndicatorSpec, Panel, read_panel, read_spec
from nqpf.report import Report, build_report

__version__ = "0.1.0.dev0"

__all__ = [
    "BetaResult",
    "ClubResult",
    "DagumDecomposition",
    "DagumResult",
    "EchelonResult",
    "IndexResult",
    "Indicator",
    "IndicatorSpec",
    "InputError",
    "MarkovResult",
    "NqpfError",
    "ObstacleResult",
    "Panel",
    "RUnavailableError",
    "Report",
    "__version__",
    "beta_convergence",
    "build_report",
    "club_convergence",
    "dagum_decompose",
    "dagum_gini",
    "echelon_agreement",
    "echelon_sensitivity",
    "echelons",
    "entropy_topsis",
    "fisher_jenks",
    "kernel_density",
    "load_pwt",
    "markov_chain",
    "obstacle_degree",
    "read_panel",
    "read_spec",
    "sigma_convergence",
    "sigma_trend",
]
