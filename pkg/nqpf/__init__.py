"""nqpf: composite development indices, Dagum Gini decomposition and distribution
dynamics for region × year panels, with every number checkable against R.

See the README for the two commands (``make demo``, ``make test``) and examples.
"""

from __future__ import annotations

from nqpf.errors import InputError, NqpfError, RUnavailableError

__version__ = "0.1.0.dev0"

__all__ = [
    "InputError",
    "NqpfError",
    "RUnavailableError",
    "__version__",
]
