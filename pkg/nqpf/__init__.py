"""nqpf: composite development indices, Dagum Gini decomposition and distribution
dynamics for region × year panels, with every number checkable against R.

See the README for the two commands (``make demo``, ``make test``) and examples.
"""

from __future__ import annotations

from nqpf.dagum import DagumResult, dagum_decompose, dagum_gini
from nqpf.datasets import load_pwt
from nqpf.errors import InputError, NqpfError, RUnavailableError
from nqpf.groups import (
    EchelonResult,
    echelon_agreement,
    echelon_sensitivity,
    echelons,
    fisher_jenks,
)
from nqpf.index import IndexResult, entropy_topsis
from nqpf.panel import Indicator, IndicatorSpec, Panel, read_panel, read_spec

__version__ = "0.1.0.dev0"

__all__ = [
    "DagumResult",
    "EchelonResult",
    "IndexResult",
    "Indicator",
    "IndicatorSpec",
    "InputError",
    "NqpfError",
    "Panel",
    "RUnavailableError",
    "__version__",
    "dagum_decompose",
    "dagum_gini",
    "echelon_agreement",
    "echelon_sensitivity",
    "echelons",
    "entropy_topsis",
    "fisher_jenks",
    "load_pwt",
    "read_panel",
    "read_spec",
]
