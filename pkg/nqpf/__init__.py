"""nqpf: composite development indices, Dagum Gini decomposition and distribution
dynamics for region × year panels, with every number checkable against R.

See the README for the two commands (``make demo``, ``make test``) and examples.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

#: Public name → the module that defines it. The package imports a module only when one
#: of its names is first used (PEP 562), so ``import nqpf`` and ``nqpf --help`` do not pay
#: for scipy, matplotlib and polars until an analysis needs them.
_EXPORTS = {
    "nqpf.coupling": ("CouplingResult", "coupling_coordination"),
    "nqpf.crossval": ("CrossValReport", "validate"),
    "nqpf.dagum": ("DagumDecomposition", "DagumResult", "dagum_decompose", "dagum_gini"),
    "nqpf.datasets": ("load_pwt",),
    "nqpf.dynamics": (
        "BetaResult",
        "ClubResult",
        "MarkovResult",
        "beta_convergence",
        "club_convergence",
        "kernel_density",
        "markov_chain",
        "sigma_convergence",
        "sigma_trend",
    ),
    "nqpf.dynamics.markov_variants": (
        "ChainResult",
        "lisa_markov",
        "markov_homogeneity",
        "rank_markov",
    ),
    "nqpf.dynamics.stochastic_kernel": ("ConditionalDensity", "conditional_density"),
    "nqpf.errors": ("InputError", "NqpfError", "RUnavailableError"),
    "nqpf.geodetect": ("GeodetectorResult", "geodetector"),
    "nqpf.groups": (
        "EchelonResult",
        "echelon_agreement",
        "echelon_sensitivity",
        "echelons",
        "fisher_jenks",
    ),
    "nqpf.index": ("IndexInput", "IndexResult", "entropy_topsis", "prepare_index"),
    "nqpf.inequality": (
        "AtkinsonResult",
        "GEResult",
        "GiniResult",
        "InequalityResult",
        "SourceResult",
        "atkinson",
        "generalized_entropy",
        "gini_sources",
        "theil",
    ),
    "nqpf.obstacle": ("ObstacleResult", "obstacle_degree"),
    "nqpf.options": (
        "ClubOptions",
        "CouplingOptions",
        "DagumOptions",
        "EchelonOptions",
        "GeodetectorOptions",
        "IndexOptions",
        "InequalityOptions",
        "MarkovOptions",
        "ReadOptions",
        "ReportOptions",
        "SpatialOptions",
    ),
    "nqpf.panel": ("Indicator", "IndicatorSpec", "Panel", "read_panel", "read_spec"),
    "nqpf.report": ("Report", "build_report"),
    "nqpf.multiverse": ("RobustnessResult", "robustness"),
    "nqpf.spatial": ("spatial_beta_convergence",),
    "nqpf.spatial.autocorrelation": ("geary", "getis_ord_g", "moran"),
    "nqpf.spatial.local": ("local_g", "local_moran"),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

if TYPE_CHECKING:  # what static tools and IDEs see: the eager imports
    from nqpf.coupling import CouplingResult, coupling_coordination
    from nqpf.crossval import CrossValReport, validate
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
    from nqpf.dynamics.markov_variants import (
        ChainResult,
        lisa_markov,
        markov_homogeneity,
        rank_markov,
    )
    from nqpf.dynamics.stochastic_kernel import ConditionalDensity, conditional_density
    from nqpf.errors import InputError, NqpfError, RUnavailableError
    from nqpf.geodetect import GeodetectorResult, geodetector
    from nqpf.groups import (
        EchelonResult,
        echelon_agreement,
        echelon_sensitivity,
        echelons,
        fisher_jenks,
    )
    from nqpf.index import IndexInput, IndexResult, entropy_topsis, prepare_index
    from nqpf.inequality import (
        AtkinsonResult,
        GEResult,
        GiniResult,
        InequalityResult,
        SourceResult,
        atkinson,
        generalized_entropy,
        gini_sources,
        theil,
    )
    from nqpf.multiverse import RobustnessResult, robustness
    from nqpf.obstacle import ObstacleResult, obstacle_degree
    from nqpf.options import (
        ClubOptions,
        CouplingOptions,
        DagumOptions,
        EchelonOptions,
        GeodetectorOptions,
        IndexOptions,
        InequalityOptions,
        MarkovOptions,
        ReadOptions,
        ReportOptions,
        SpatialOptions,
    )
    from nqpf.panel import Indicator, IndicatorSpec, Panel, read_panel, read_spec
    from nqpf.report import Report, build_report
    from nqpf.spatial import spatial_beta_convergence
    from nqpf.spatial.autocorrelation import geary, getis_ord_g, moran
    from nqpf.spatial.local import local_g, local_moran


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        # a submodule (nqpf.io, nqpf.crossval, …), as an eager package would have had it
        from importlib.util import find_spec

        if not name.startswith("_") and find_spec(f"nqpf.{name}") is not None:
            return import_module(f"nqpf.{name}")
        raise AttributeError(f"module 'nqpf' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # the next access is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULE_OF})


__version__ = "0.1.0.dev0"

__all__ = [  # static for linters and IDEs; tests/test_package.py checks it lists _EXPORTS
    "AtkinsonResult",
    "BetaResult",
    "ChainResult",
    "ClubOptions",
    "ClubResult",
    "ConditionalDensity",
    "CouplingOptions",
    "CouplingResult",
    "CrossValReport",
    "DagumDecomposition",
    "DagumOptions",
    "DagumResult",
    "EchelonOptions",
    "EchelonResult",
    "GEResult",
    "GeodetectorOptions",
    "GeodetectorResult",
    "GiniResult",
    "IndexInput",
    "IndexOptions",
    "IndexResult",
    "Indicator",
    "IndicatorSpec",
    "InequalityOptions",
    "InequalityResult",
    "InputError",
    "MarkovOptions",
    "MarkovResult",
    "NqpfError",
    "ObstacleResult",
    "Panel",
    "RUnavailableError",
    "ReadOptions",
    "Report",
    "ReportOptions",
    "RobustnessResult",
    "SourceResult",
    "SpatialOptions",
    "__version__",
    "atkinson",
    "beta_convergence",
    "build_report",
    "club_convergence",
    "conditional_density",
    "coupling_coordination",
    "dagum_decompose",
    "dagum_gini",
    "echelon_agreement",
    "echelon_sensitivity",
    "echelons",
    "entropy_topsis",
    "fisher_jenks",
    "geary",
    "generalized_entropy",
    "geodetector",
    "getis_ord_g",
    "gini_sources",
    "kernel_density",
    "lisa_markov",
    "load_pwt",
    "local_g",
    "local_moran",
    "markov_chain",
    "markov_homogeneity",
    "moran",
    "obstacle_degree",
    "prepare_index",
    "rank_markov",
    "read_panel",
    "read_spec",
    "robustness",
    "sigma_convergence",
    "sigma_trend",
    "spatial_beta_convergence",
    "theil",
    "validate",
]
